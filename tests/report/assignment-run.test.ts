// tests/report/assignment-run.test.ts: the kit's scripts run for real, outside the platforms.
//   - the workflow's grading step, under bash with GitHub's RUNNER_TEMP/GITHUB_OUTPUT, then the
//     classroom reporter's arithmetic on the result it leaves;
//   - Gradescope's run_autograder with a nested upload, a missing file, and hidden checks.
// The grader the kit would install is this checkout's bin/prefault.js.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

const ROOT = new URL("../../../", import.meta.url).pathname;
const BIN = join(ROOT, "bin", "prefault.js");
const LESSON = "01-first-fault";
let tmp = "", kit = "";
/** The lesson's full marks (its checks' points). */
const MAX = (JSON.parse(readFileSync(join(ROOT, "lessons", LESSON, "lesson.json"), "utf8")).checks as { points: number }[])
  .reduce((s, c) => s + c.points, 0);

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "prefault-kit-run-"));
  kit = join(tmp, "kit");
  const checks = join(tmp, "checks");
  mkdirSync(join(checks, "scenarios"), { recursive: true });
  const scenario = JSON.parse(readFileSync(join(ROOT, "lessons", LESSON, "scenarios", "first-fault.json"), "utf8"));
  writeFileSync(join(checks, "scenarios", "secret-first.json"), JSON.stringify({ ...scenario, name: "secret-first" }));
  writeFileSync(join(checks, "checks.json"), JSON.stringify({ checks: [{
    id: "secret-no-sigbus", name: "instructor: no SIGBUS on the first call", scenario: "secret-first", points: 2,
    assert: [{ path: "status", op: "eq", value: "ok" }], explain: "SECRET: the instructor's explanation" }] }));
  const r = spawnSync(process.execPath, [BIN, "assignment", "--lesson", LESSON, "--out", kit, "--checks", checks], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The grading reporter's sums over one runner result (autograding-grading-reporter). */
function reporterTotals(b64: string) {
  const results = JSON.parse(Buffer.from(b64, "base64").toString("utf-8"));
  return { status: results.status, totalPoints: results.tests.reduce((s: number, t: { score: number }) => s + t.score, 0), maxPoints: results.max_score };
}

function runWorkflowStep(student: string, source: string) {
  const wf = parseYaml(readFileSync(join(kit, "starter", ".github", "workflows", "classroom.yml"), "utf8"));
  const step = wf.jobs["run-autograding-tests"].steps.find((s: { id?: string }) => s.id === "prefault");
  const repo = join(tmp, student), runnerTemp = join(tmp, `${student}-runner`);
  cpSync(join(kit, "starter"), repo, { recursive: true });
  writeFileSync(join(repo, "datastore.ts"), source);
  mkdirSync(join(runnerTemp, "prefault", "node_modules", ".bin"), { recursive: true });
  symlinkSync(BIN, join(runnerTemp, "prefault", "node_modules", ".bin", "prefault"));
  const out = join(runnerTemp, "github_output");
  writeFileSync(out, "");
  // GitHub runs `run:` steps as `bash --noprofile --norc -eo pipefail {0}`
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], {
    cwd: repo, encoding: "utf8", timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: out },
  });
  assert.equal(r.status, 0, r.stderr);
  const m = /^result=(.*)$/m.exec(readFileSync(out, "utf8"));
  assert.ok(m && m[1].length > 0, "no result output");
  return { log: r.stdout, totals: reporterTotals(m[1]) };
}

test("GitHub Classroom: the workflow's grading step reports partial and full credit", { timeout: 240_000 }, () => {
  const good = runWorkflowStep("alice", readFileSync(join(ROOT, "lessons", LESSON, "solution", "datastore.ts"), "utf8"));
  assert.deepEqual(good.totals, { status: "pass", totalPoints: MAX, maxPoints: MAX });
  assert.match(good.log, new RegExp(`Score: ${MAX}/${MAX}`));
  const partial = runWorkflowStep("bob", readFileSync(join(ROOT, "lessons", LESSON, "starter", "datastore.ts"), "utf8"));
  assert.equal(partial.totals.status, "fail");
  assert.equal(partial.totals.maxPoints, MAX);
  assert.ok(partial.totals.totalPoints < MAX);
});

function runAutograder(name: string, files: Record<string, string>) {
  const ag = join(tmp, `ag-${name}`);
  cpSync(join(kit, "gradescope"), join(ag, "source"), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(ag, "submission", rel, ".."), { recursive: true });
    writeFileSync(join(ag, "submission", rel), text);
  }
  const r = spawnSync("bash", [join(ag, "source", "run_autograder")], {
    encoding: "utf8", timeout: 120_000, env: { ...process.env, AUTOGRADER: ag, PREFAULT: BIN },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(join(ag, "results", "results.json"), "utf8"));
}

test("Gradescope: run_autograder grades a nested upload, with hidden checks kept back", { timeout: 240_000 }, () => {
  const solution = readFileSync(join(ROOT, "lessons", LESSON, "solution", "datastore.ts"), "utf8");
  const res = runAutograder("nested", { "my-repo/src/datastore.ts": solution, "my-repo/.git/datastore.ts": "junk" });
  assert.equal(res.score, MAX + 2);   // the lesson's checks and the instructor's hidden one
  const hidden = res.tests.find((t: { name: string }) => t.name.startsWith("instructor:"));
  assert.equal(hidden.visibility, "after_due_date");
  assert.equal(hidden.status, "passed");
  assert.ok(!res.output.includes("SECRET"));
});

test("Gradescope: a submission without the file still gets a results.json", { timeout: 60_000 }, () => {
  const res = runAutograder("missing", { "notes.txt": "hello" });
  assert.equal(res.score, 0);
  assert.match(res.output, /no datastore\.ts/);
});
