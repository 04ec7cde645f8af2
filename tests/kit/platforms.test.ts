// tests/kit/platforms.test.ts: the Gradescope and PrairieLearn kits of `prefault assignment`,
// built by the packed and installed package, run the way their platforms run them, in
// temporary folders, for a solution, a starter, an endless loop, a file that does not compile
// and a missing file; every results.json is validated against the platform's documented format
// (tests/kit/schemas/, transcribed from their specs) and read for what students would see.
//   Gradescope: gradescope.zip unpacked into a fake /autograder root (AUTOGRADER), setup.sh run
//   as the image build runs it (Node is here, so it only installs the bundled grader, offline),
//   run_autograder copied to /autograder/run_autograder and run from /autograder.
//   PrairieLearn: a /grade-style folder (GRADE): tests/ (the question's), student/, data/; the
//   entrypoint info.json names, tests/run.sh.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { unzipSync } from "fflate";
import { ROOT, installPackage, type Installed } from "./installed.js";
import { lessonChecks, submissions, type Submissions } from "./submissions.js";

const LESSON = "01-first-fault";   // it has a hidden check
let pkg: Installed, kit = "", lessonDir = "", subs: Submissions, agRoot = "";
const ajv = new Ajv({ allErrors: true, strict: false });
/** A validator for a schema of tests/kit/schemas/ (a plain predicate: no type narrowing). */
function schema(n: string): ((x: unknown) => boolean) & { errors?: unknown } {
  const v = ajv.compile(JSON.parse(readFileSync(join(ROOT, "tests", "kit", "schemas", n), "utf8")));
  const f = (x: unknown): boolean => { const ok = v(x) as boolean; f.errors = v.errors; return ok; };
  f.errors = undefined as unknown;
  return f;
}
const gradescopeValid = schema("gradescope-results.schema.json");
const prairielearnValid = schema("prairielearn-results.schema.json");

before(() => {
  pkg = installPackage();
  lessonDir = join(pkg.app, "node_modules", "prefault", "lessons", LESSON);
  subs = submissions(lessonDir);
  kit = join(pkg.tmp, "kit");
  const r = pkg.prefault(["assignment", "--lesson", LESSON, "--out", kit]);
  assert.equal(r.status, 0, r.stderr);
  // Gradescope's image build: the zip into /autograder/source, then setup.sh
  agRoot = join(pkg.tmp, "autograder");
  for (const [name, data] of Object.entries(unzipSync(readFileSync(join(kit, "gradescope.zip"))))) {
    const p = join(agRoot, "source", name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  }
  chmodSync(join(agRoot, "source", "setup.sh"), 0o755);
  const setup = spawnSync("bash", [join(agRoot, "source", "setup.sh")], {
    cwd: join(agRoot, "source"), encoding: "utf8", timeout: 300_000, env: { ...process.env, AUTOGRADER: agRoot },
  });
  assert.equal(setup.status, 0, setup.stderr);
  cpSync(join(agRoot, "source", "run_autograder"), join(agRoot, "run_autograder"));
  chmodSync(join(agRoot, "run_autograder"), 0o755);
});
after(() => pkg?.remove());

const points = () => {
  const { visible, hidden } = lessonChecks(lessonDir);
  const sum = (cs: { points: number }[]) => cs.reduce((s, c) => s + c.points, 0);
  return { visible: sum(visible), hidden: sum(hidden), all: sum(visible) + sum(hidden), hiddenChecks: hidden };
};

test("gradescope.zip: setup.sh and run_autograder at its root, the bundled grader, the hidden checks", () => {
  const names = Object.keys(unzipSync(readFileSync(join(kit, "gradescope.zip")))).sort();
  assert.deepEqual(names, ["checks/checks.json", "checks/scenarios/no-gettimeofday.json",
    `prefault-grader-student-${LESSON}-bundle.tgz`, "run_autograder", "setup.sh"]);
  const setup = readFileSync(join(kit, "gradescope", "setup.sh"), "utf8");
  // Node only when missing, the current LTS; nothing of ours from a URL
  assert.match(setup, /if ! command -v node .*-lt 20 \]; then/);
  assert.match(setup, /setup_26\.x/);
  const urls = setup.match(/https?:\/\/\S+/g) ?? [];
  assert.deepEqual(urls, ["https://deb.nodesource.com/setup_26.x"]);
  assert.match(setup, /npm install .*--offline .*\$SOURCE\/prefault-grader-student-01-first-fault-bundle\.tgz/);
  // installed offline from the bundle: its dependencies came inside it
  assert.ok(readdirSync(join(agRoot, "prefault", "node_modules")).includes("prefault"));
  const bundled = readdirSync(join(agRoot, "prefault", "node_modules", "prefault", "node_modules"));
  for (const d of ["assemblyscript", "binaryen", "ajv", "fflate"]) assert.ok(bundled.includes(d), d);
});

/** run_autograder on one submission (files by path under /autograder/submission). */
function gradescope(files: Record<string, string>) {
  rmSync(join(agRoot, "submission"), { recursive: true, force: true });
  rmSync(join(agRoot, "results"), { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(agRoot, "submission", rel)), { recursive: true });
    writeFileSync(join(agRoot, "submission", rel), text);
  }
  const r = spawnSync(join(agRoot, "run_autograder"), [], { cwd: agRoot, encoding: "utf8", timeout: 300_000, env: { ...process.env, AUTOGRADER: agRoot } });
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(readFileSync(join(agRoot, "results", "results.json"), "utf8"));
  assert.ok(gradescopeValid(res), JSON.stringify(gradescopeValid.errors));
  // what students see before the due date: no hidden check's name, result or details in output
  for (const h of points().hiddenChecks) {
    assert.ok(!res.output.includes(h.name), "the output names no hidden check");
    assert.ok(!res.output.includes(h.explain));
  }
  return res;
}

test("gradescope: a solution (nested in an upload) gets every point; hidden checks after the due date", { timeout: 300_000 }, () => {
  const res = gradescope({ "repo/src/datastore.ts": subs.solution, "repo/.git/datastore.ts": "junk" });
  const p = points();
  assert.equal(res.score, p.all);
  assert.ok(res.tests.every((t: { status: string }) => t.status === "passed"));
  const hidden = res.tests.filter((t: { visibility: string }) => t.visibility === "after_due_date");
  assert.deepEqual(hidden.map((t: { name: string }) => t.name), p.hiddenChecks.map(h => h.name));
  assert.match(res.output, new RegExp(`^Visible checks: ${p.visible}/${p.visible}$`, "m"));
  assert.doesNotMatch(res.output, /^Score: /m);
});

test("gradescope: a starter gets partial credit", { timeout: 300_000 }, () => {
  const res = gradescope({ "datastore.ts": subs.starter });
  assert.ok(res.score > 0 && res.score < points().all, String(res.score));
  assert.ok(res.tests.some((t: { status: string }) => t.status === "failed"));
});

test("gradescope: an endless loop is graded, the checks it hangs say so", { timeout: 300_000 }, () => {
  const res = gradescope({ "datastore.ts": subs.endless });
  assert.equal(res.score, 0);
  assert.ok(res.tests.some((t: { output: string }) => /^error: (in step \d+: )?(soft lockup: )?vvar_fault\(\) did not return/.test(t.output)));
});

test("gradescope: a file that does not compile gets 0 and the compiler's message", { timeout: 300_000 }, () => {
  const res = gradescope({ "datastore.ts": subs.broken });
  assert.equal(res.score, 0);
  assert.match(res.output, /did not build/);
  assert.match(res.output, /datastore\.ts:\d+:\d+/);
});

test("gradescope: a submission without the file gets 0 and is told which file", { timeout: 120_000 }, () => {
  const res = gradescope({ "notes.txt": "hello" });
  assert.equal(res.score, 0);
  assert.match(res.output, /no datastore\.ts/);
});

test("prairielearn: info.json enables external grading with an entrypoint the question holds", () => {
  const q = join(kit, "prairielearn", LESSON);
  const info = JSON.parse(readFileSync(join(q, "info.json"), "utf8"));
  assert.match(info.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(info.type, "v3");
  assert.equal(info.gradingMethod, "External");
  const o = info.externalGradingOptions;
  assert.equal(o.enabled, true);
  assert.match(o.image, /^node:26-bookworm-slim$/);
  assert.equal(o.entrypoint, "/grade/tests/run.sh");
  assert.ok(statSync(join(q, "tests", "run.sh")).isFile());
  assert.ok(o.timeout > 0 && o.timeout <= 600);
  assert.equal(o.enableNetworking, undefined, "grading needs no network: the grader is bundled");
  const html = readFileSync(join(q, "question.html"), "utf8");
  assert.match(html, /<pl-file-editor file-name="datastore.ts"[^>]* source-file-name="datastore.ts"/);
  assert.match(html, /<pl-external-grader-results>/);
  assert.equal(readFileSync(join(q, "datastore.ts"), "utf8"), subs.starter);
});

/** The entrypoint on a /grade-style folder; student/ holds `source` as datastore.ts (none when null). */
function prairielearn(name: string, source: string | null) {
  const g = join(pkg.tmp, `grade-${name}`);
  cpSync(join(kit, "prairielearn", LESSON, "tests"), join(g, "tests"), { recursive: true });
  mkdirSync(join(g, "student"), { recursive: true });
  mkdirSync(join(g, "data"), { recursive: true });
  writeFileSync(join(g, "data", "data.json"), JSON.stringify({ params: {}, correct_answers: {}, submitted_answers: {} }));
  if (source !== null) writeFileSync(join(g, "student", "datastore.ts"), source);
  const r = spawnSync("bash", [join(g, "tests", "run.sh")], { cwd: g, encoding: "utf8", timeout: 300_000, env: { ...process.env, GRADE: g } });
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(join(g, "results", "results.json"), "utf8");
  assert.ok(text.length < 1_000_000, "results.json stays under PrairieLearn's 1 MB");
  const res = JSON.parse(text);
  assert.ok(prairielearnValid(res), JSON.stringify(prairielearnValid.errors));
  for (const h of points().hiddenChecks) assert.ok(!text.includes(h.explain), "no hidden explanation reaches the student");
  return res;
}

test("prairielearn: a solution scores 1, each test with its description", { timeout: 300_000 }, () => {
  const res = prairielearn("solution", subs.solution);
  assert.equal(res.gradable, true);
  assert.equal(res.score, 1);
  assert.equal(res.tests.length, lessonChecks(lessonDir).visible.length + points().hiddenChecks.length);
  const visible = res.tests.filter((t: { name: string }) => !points().hiddenChecks.some(h => h.name === t.name));
  assert.ok(visible.every((t: { description: string }) => t.description.length > 20 && !/^(passed|failed)$/.test(t.description)));
});

test("prairielearn: a starter gets partial credit", { timeout: 300_000 }, () => {
  const res = prairielearn("starter", subs.starter);
  assert.ok(res.score > 0 && res.score < 1, String(res.score));
});

test("prairielearn: an endless loop is graded 0, the hung checks say what happened", { timeout: 300_000 }, () => {
  const res = prairielearn("endless", subs.endless);
  assert.equal(res.gradable, true);
  assert.equal(res.score, 0);
  assert.ok(res.tests.some((t: { message: string }) => /^error: (soft lockup: )?vvar_fault\(\) did not return/.test(t.message)));
});

test("prairielearn: a file that does not compile is not gradable, with the compiler's message", { timeout: 300_000 }, () => {
  const res = prairielearn("broken", subs.broken);
  assert.equal(res.gradable, false);
  assert.match(res.format_errors.join("\n"), /datastore\.ts:\d+:\d+/);
});

test("prairielearn: no datastore.ts is not gradable, and says so", { timeout: 120_000 }, () => {
  const res = prairielearn("missing", null);
  assert.equal(res.gradable, false);
  assert.match(JSON.stringify(res.format_errors), /no datastore\.ts was submitted/);
});

test("a kit's checks folder with the full package: grade counts each check once; grade and grade-all refuse it for another lesson", { timeout: 300_000 }, () => {
  const checks = join(kit, "gradescope", "checks");
  assert.equal(JSON.parse(readFileSync(join(checks, "checks.json"), "utf8")).lesson, LESSON);
  const file = join(pkg.tmp, "sol-datastore.ts");
  writeFileSync(file, subs.solution);
  // the full package's lesson holds the hidden checks the folder repeats
  const plain = pkg.prefault(["grade", "--lesson", LESSON, file, "--format", "json"]);
  const withKit = pkg.prefault(["grade", "--lesson", LESSON, "--checks", checks, file, "--format", "json"]);
  assert.equal(withKit.status, 0, withKit.stderr);
  assert.deepEqual(JSON.parse(withKit.stdout).tests.map((t: { name: string }) => t.name), JSON.parse(plain.stdout).tests.map((t: { name: string }) => t.name));
  const other = pkg.prefault(["grade", "--lesson", "06-mlockall", "--checks", checks, file]);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /these checks are for lesson 01-first-fault, not 06-mlockall/);
  const cls = join(pkg.tmp, "class-other");
  mkdirSync(join(cls, "alice"), { recursive: true });
  writeFileSync(join(cls, "alice", "datastore.ts"), subs.solution);
  const all = pkg.prefault(["grade-all", "--lesson", "06-mlockall", "--checks", checks, cls, "--out", join(pkg.tmp, "other.csv")]);
  assert.equal(all.status, 2, all.stdout + all.stderr);
  assert.match(all.stderr, /these checks are for lesson 01-first-fault, not 06-mlockall/);
});
