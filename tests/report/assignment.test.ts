// tests/report/assignment.test.ts: `prefault assignment` writes a starter repository and a
// Gradescope bundle that follow their platforms' rules (checked here without the platforms:
// the workflow against the classroom reporter's documented requirements, the scripts with
// `bash -n`, the zip by unpacking it). The kit's scripts are run for real in
// assignment-run.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { unzipSync } from "fflate";

const ROOT = new URL("../../../", import.meta.url).pathname;
const BIN = join(ROOT, "bin", "prefault.js");
const LESSON = "01-first-fault";

function prefault(args: string[], cwd = ROOT) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
}

function makeKit(extra: string[] = []): string {
  const out = mkdtempSync(join(tmpdir(), "prefault-kit-"));
  const r = prefault(["assignment", "--lesson", LESSON, "--out", out, "--grader", "prefault@0.1.0", ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

test("starter repository: the lesson's editable files, a README, the classroom workflow", () => {
  const out = makeKit();
  try {
    const lesson = JSON.parse(readFileSync(join(ROOT, "lessons", LESSON, "lesson.json"), "utf8"));
    for (const f of lesson.files.editable) {
      assert.equal(readFileSync(join(out, "starter", f), "utf8"), readFileSync(join(ROOT, "lessons", LESSON, "starter", f), "utf8"));
    }
    assert.ok(!existsSync(join(out, "starter", "solution")));
    const readme = readFileSync(join(out, "starter", "README.md"), "utf8");
    assert.match(readme, new RegExp(`^# ${lesson.title}`));
    assert.ok(readme.includes(`prefault grade --lesson ${LESSON} datastore.ts`));

    const wf = parseYaml(readFileSync(join(out, "starter", ".github", "workflows", "classroom.yml"), "utf8"));
    // GitHub Classroom reads scores only from this workflow name and this single job name
    assert.equal(wf.name, "Autograding Tests");
    assert.deepEqual(Object.keys(wf.jobs), ["run-autograding-tests"]);
    assert.ok(wf.on.includes("push"));
    const steps = wf.jobs["run-autograding-tests"].steps as { id?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> }[];
    const grade = steps.find(s => s.id === "prefault");
    assert.ok(grade?.run?.includes(`grade --lesson ${LESSON} datastore.ts --format github --base64`));
    const reporter = steps.find(s => s.uses?.startsWith("classroom-resources/autograding-grading-reporter@"));
    assert.ok(reporter);
    // the reporter reads env `<RUNNER ID uppercased>_RESULTS` for each id in `runners`
    const runners = String(reporter.with!.runners).split(",");
    for (const id of runners) {
      assert.match(id, /^[a-zA-Z0-9]+$/);   // the reporter's own input pattern
      assert.ok(steps.some(s => s.id === id), `no step with id ${id}`);
      assert.equal(reporter.env![`${id.toUpperCase()}_RESULTS`], `\${{ steps.${id}.outputs.result }}`);
    }
    assert.equal(steps.findIndex(s => s === reporter), steps.length - 1);
  } finally { rmSync(out, { recursive: true, force: true }); }
});

test("gradescope bundle: setup.sh and run_autograder at the zip root, executable, valid bash", () => {
  const out = makeKit();
  try {
    for (const f of ["setup.sh", "run_autograder"]) {
      const p = join(out, "gradescope", f);
      assert.match(readFileSync(p, "utf8"), /^#!\/usr\/bin\/env bash\n/);
      assert.equal(statSync(p).mode & 0o111, 0o111, `${f} is not executable`);
      const syntax = spawnSync("bash", ["-n", p], { encoding: "utf8" });
      assert.equal(syntax.status, 0, syntax.stderr);
    }
    const run = readFileSync(join(out, "gradescope", "run_autograder"), "utf8");
    assert.ok(run.includes("/autograder/results/results.json") || run.includes("$AUTOGRADER/results/results.json"));
    const zip = unzipSync(new Uint8Array(readFileSync(join(out, "gradescope.zip"))));
    assert.deepEqual(Object.keys(zip).sort(), ["run_autograder", "setup.sh"]);
    assert.equal(new TextDecoder().decode(zip["setup.sh"]), readFileSync(join(out, "gradescope", "setup.sh"), "utf8"));
  } finally { rmSync(out, { recursive: true, force: true }); }
});

test("the kit is byte-identical from run to run; hidden checks go to Gradescope only", () => {
  const checks = mkdtempSync(join(tmpdir(), "prefault-checks-"));
  mkdirSync(join(checks, "scenarios"));
  writeFileSync(join(checks, "checks.json"), JSON.stringify({ checks: [] }));
  writeFileSync(join(checks, "scenarios", "secret.json"), "{}");
  const a = makeKit(), b = makeKit(), c = makeKit(["--checks", checks]);
  try {
    assert.deepEqual(readFileSync(join(a, "gradescope.zip")), readFileSync(join(b, "gradescope.zip")));
    assert.ok(existsSync(join(c, "gradescope", "checks", "scenarios", "secret.json")));
    assert.ok(!existsSync(join(c, "starter", "checks")));
    assert.match(readFileSync(join(c, "gradescope", "run_autograder"), "utf8"), /--checks "\$AUTOGRADER\/source\/checks"/);
    const zip = unzipSync(new Uint8Array(readFileSync(join(c, "gradescope.zip"))));
    assert.ok("checks/checks.json" in zip);
  } finally { for (const d of [a, b, c, checks]) rmSync(d, { recursive: true, force: true }); }
});

test("bad usage exits 2 with a message", () => {
  const r = prefault(["assignment", "--lesson", "99-nope", "--out", join(tmpdir(), "x")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no lesson 99-nope/);
  assert.equal(prefault(["assignment", "--lesson", LESSON]).status, 2);
});
