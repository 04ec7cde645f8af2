// tests/kit/github.test.ts: the GitHub Classroom template of `prefault assignment`, built by the
// packed and installed package, as students and GitHub get it.
//   - Every student-facing file (the template repository, the grader tarball committed in it,
//     and what its workflow installs) is listed: none is a reference solution, a mutant or a
//     hidden check, and none holds their text.
//   - The workflow follows GitHub Classroom's rules and runs on node24 actions and Node LTS.
//   - Its `run:` steps run in order, as GitHub runs them (bash -eo pipefail, RUNNER_TEMP,
//     GITHUB_OUTPUT, step outputs into later steps' env), for a solution, a starter, an endless
//     loop, a file that does not compile and a missing file; the reporter's input is decoded
//     and summed the way the GitHub Classroom reporter does, and the annotations the classroom
//     reads are checked against it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { installPackage, type Installed } from "./installed.js";
import { lessonChecks, submissions, type Submissions } from "./submissions.js";

const LESSON = "01-first-fault";   // it has a hidden check
let pkg: Installed, kit = "", lessonDir = "", subs: Submissions;

/** The actions majors whose action.yml says `using: node24` (actions/checkout and
 *  actions/setup-node: v4 is node20; v5, v6 and v7 are node24). */
const NODE24_MAJORS: Record<string, string[]> = { "actions/checkout": ["v5", "v6", "v7"], "actions/setup-node": ["v5", "v6", "v7"] };

before(() => {
  pkg = installPackage();
  lessonDir = join(pkg.app, "node_modules", "prefault", "lessons", LESSON);
  subs = submissions(lessonDir);
  kit = join(pkg.tmp, "kit");
  const r = pkg.prefault(["assignment", "--lesson", LESSON, "--out", kit]);
  assert.equal(r.status, 0, r.stderr);
});
after(() => pkg?.remove());

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap(n => statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]);
}

/** Fails on any student-facing file that is, or holds, what students must not see. */
function assertStudentSafe(root: string, what: string): void {
  const { hidden } = lessonChecks(lessonDir);
  assert.ok(hidden.length > 0, "the lesson has a hidden check to keep back");
  const solution = readFileSync(join(lessonDir, "solution", "datastore.ts"), "utf8");
  const mutants = readdirSync(join(lessonDir, "mutants")).map(n => readFileSync(join(lessonDir, "mutants", n), "utf8"));
  const files = walk(root);
  assert.ok(files.length > 0, `${what} has files`);
  for (const f of files) {
    const rel = relative(root, f);
    assert.doesNotMatch(rel, /(^|\/)(solution|mutants|stages)(\/|$)/, `${what}: ${rel}`);
    if (/\.(tgz|wasm)$/.test(f)) continue;
    const text = readFileSync(f, "utf8");
    assert.notEqual(text, solution, `${what}: ${rel} is the reference solution`);
    for (const m of mutants) assert.notEqual(text, m, `${what}: ${rel} is a mutant`);
    for (const h of hidden) {
      assert.ok(!text.includes(h.explain), `${what}: ${rel} holds the explanation of hidden check ${h.id}`);
      assert.ok(!text.includes(`"${h.id}"`), `${what}: ${rel} names hidden check ${h.id}`);
    }
    for (const h of hidden) assert.ok(!rel.endsWith(`scenarios/${h.scenario}.json`), `${what}: ${rel} is a hidden check's scenario`);
  }
}

test("the template repository holds no solution, mutant or hidden check", () => {
  assertStudentSafe(join(kit, "starter"), "the template");
  assert.deepEqual(readdirSync(join(kit, "starter", ".grader")).length, 1);
});

test("the grader committed in the template holds no solution, mutant or hidden check", () => {
  const tgz = join(kit, "starter", ".grader", readdirSync(join(kit, "starter", ".grader"))[0]);
  const list = spawnSync("tar", ["tzf", tgz], { encoding: "utf8" });
  assert.equal(list.status, 0, list.stderr);
  assert.ok(list.stdout.includes(`package/lessons/${LESSON}/starter/datastore.ts`));
  assert.doesNotMatch(list.stdout, /(solution|mutants|stages)\//);
  const x = join(pkg.tmp, "grader-x");
  mkdirSync(x);
  assert.equal(spawnSync("tar", ["xzf", tgz, "-C", x]).status, 0);
  assertStudentSafe(x, "the student grader");
});

test("the workflow: GitHub Classroom's names, node24 actions, Node LTS", () => {
  const wf = parseYaml(readFileSync(join(kit, "starter", ".github", "workflows", "classroom.yml"), "utf8"));
  assert.equal(wf.name, "Autograding Tests");
  assert.deepEqual(Object.keys(wf.jobs), ["run-autograding-tests"]);
  const steps = wf.jobs["run-autograding-tests"].steps as { uses?: string; with?: Record<string, unknown> }[];
  for (const s of steps.filter(x => x.uses)) {
    const [name, major] = s.uses!.split("@");
    assert.ok(NODE24_MAJORS[name]?.includes(major), `${s.uses} runs on node24`);
  }
  assert.equal(steps.find(s => s.uses?.startsWith("actions/setup-node"))?.with?.["node-version"], 26);
});

/** `${{ ... }}` in a workflow value, for the expressions the workflow uses. */
function expand(v: string, outputs: Record<string, Record<string, string>>): string {
  return v.replace(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g, (_, id, k) => outputs[id]?.[k] ?? "");
}

/** GITHUB_OUTPUT lines name=value (the workflow writes no multi-line values). */
function parseOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) { const i = line.indexOf("="); if (i > 0) out[line.slice(0, i)] = line.slice(i + 1); }
  return out;
}

interface Run { steps: { name: string; status: number | null; stdout: string; stderr: string }[]; env: Record<string, string>; outputs: Record<string, Record<string, string>> }

/** Runs the workflow's `run:` steps in order in a copy of the template whose datastore.ts is
 *  `source` (or removed when null), until one fails. `uses:` steps are GitHub's: the
 *  checkout is the copy, Node is this one; the hidden checks' checkout is done when
 *  `hiddenChecks` names a checks folder (it is copied where that step would put it). */
function runWorkflow(name: string, source: string | null, hiddenChecks?: string): Run {
  const wf = parseYaml(readFileSync(join(kit, "starter", ".github", "workflows", "classroom.yml"), "utf8"));
  const repo = join(pkg.tmp, `repo-${name}`), runnerTemp = join(pkg.tmp, `runner-${name}`);
  cpSync(join(kit, "starter"), repo, { recursive: true });
  if (source === null) rmSync(join(repo, "datastore.ts")); else writeFileSync(join(repo, "datastore.ts"), source);
  if (hiddenChecks) cpSync(hiddenChecks, join(repo, ".prefault-checks"), { recursive: true });
  mkdirSync(runnerTemp);
  const run: Run = { steps: [], env: {}, outputs: {} };
  for (const step of wf.jobs["run-autograding-tests"].steps as { name: string; id?: string; run?: string; env?: Record<string, string> }[]) {
    if (step.run === undefined) continue;
    const file = join(runnerTemp, `output-${run.steps.length}`);
    writeFileSync(file, "");
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), run.outputs)]));
    Object.assign(run.env, stepEnv);
    // GitHub runs `run:` steps with `bash -e {0}` (no shell: given); npm answers from its cache here
    const r = spawnSync("bash", ["-e", "-c", step.run], {
      cwd: repo, encoding: "utf8", timeout: 240_000,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: file,
        GITHUB_WORKSPACE: repo, CI: "true", GITHUB_ACTIONS: "true", npm_config_prefer_offline: "true", ...stepEnv },
    });
    run.steps.push({ name: step.name, status: r.status, stdout: r.stdout, stderr: r.stderr });
    if (step.id) run.outputs[step.id] = parseOutput(readFileSync(file, "utf8"));
    if (r.status !== 0) break;
  }
  return run;
}

/** The reporter's reading of its input (autograding-grading-reporter src/main.js and
 *  notify-classroom.js): env <RUNNER>_RESULTS, base64, JSON; points summed over tests. */
function reporterInput(env: Record<string, string>, runner = "prefault") {
  const results = JSON.parse(Buffer.from(env[`${runner.toUpperCase()}_RESULTS`], "base64").toString("utf-8"));
  const totalPoints = results.tests.reduce((s: number, t: { score: number }) => s + t.score, 0);
  return { results, totalPoints, maxPoints: results.max_score as number, failed: results.status === "fail" || results.status === "error" };
}

function annotations(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^::notice title=([^:]+)::(.*)$/gm)) out[m[1]] = m[2];
  return out;
}

const visibleMax = () => lessonChecks(lessonDir).visible.reduce((s, c) => s + c.points, 0);

test("workflow on a solution: every step passes, full points reported", { timeout: 600_000 }, () => {
  const run = runWorkflow("solution", subs.solution);
  assert.deepEqual(run.steps.map(s => [s.name, s.status]), [["Install the Prefault grader", 0], ["Grade", 0], ["Autograding Reporter", 0]],
    run.steps.map(s => s.stderr).join("\n"));
  const input = reporterInput(run.env);
  assert.equal(input.failed, false);
  assert.equal(input.maxPoints, visibleMax());
  assert.equal(input.totalPoints, input.maxPoints);
  const notes = annotations(run.steps[2].stdout);
  assert.equal(notes["Autograding complete"], `Points ${input.totalPoints}/${input.maxPoints}`);
  // what the workflow installed is student-safe too
  assertStudentSafe(join(pkg.tmp, "runner-solution", "prefault", "node_modules", "prefault"), "the installed grader");
  assert.deepEqual(JSON.parse(notes["Autograding report"]), { totalPoints: input.totalPoints, maxPoints: input.maxPoints });
});

test("workflow on a starter: partial points, the job fails", { timeout: 600_000 }, () => {
  const run = runWorkflow("starter", subs.starter);
  assert.deepEqual(run.steps.map(s => s.status), [0, 0, 1]);
  const input = reporterInput(run.env);
  assert.equal(input.results.status, "fail");
  assert.ok(input.totalPoints < input.maxPoints);
  assert.equal(annotations(run.steps[2].stdout)["Autograding complete"], `Points ${input.totalPoints}/${input.maxPoints}`);
  assert.match(run.steps[2].stdout, /❌ /);
});

test("workflow on an endless loop: the checks are errors that say so", { timeout: 600_000 }, () => {
  const run = runWorkflow("endless", subs.endless);
  assert.deepEqual(run.steps.map(s => s.status), [0, 0, 1]);
  const input = reporterInput(run.env);
  assert.equal(input.totalPoints, 0);
  const errors = input.results.tests.filter((t: { status: string }) => t.status === "error");
  assert.ok(errors.length > 0);
  for (const t of errors) assert.match(t.message, /did not return|endless loop|Not graded until/);
});

test("workflow on a file that does not compile: 0 points, the compile error shown", { timeout: 600_000 }, () => {
  const run = runWorkflow("broken", subs.broken);
  assert.deepEqual(run.steps.map(s => s.status), [0, 0, 1]);
  const input = reporterInput(run.env);
  assert.equal(input.results.status, "error");
  assert.equal(input.totalPoints, 0);
  assert.equal(input.maxPoints, visibleMax());
  assert.match(JSON.stringify(input.results.tests), /datastore\.ts:\d+/);
});

test("workflow without datastore.ts: the grading step fails and says why", { timeout: 600_000 }, () => {
  const run = runWorkflow("missing", null);
  assert.equal(run.steps[1].name, "Grade");
  assert.notEqual(run.steps[1].status, 0);
  assert.match(run.steps[1].stderr, /datastore\.ts/);
});

test("workflow with the hidden checks fetched: they count, their details stay out of the log", { timeout: 600_000 }, () => {
  const run = runWorkflow("hidden", subs.starter, join(kit, "gradescope", "checks"));
  const input = reporterInput(run.env);
  const { hidden } = lessonChecks(lessonDir);
  assert.equal(input.maxPoints, visibleMax() + hidden.reduce((s, c) => s + c.points, 0));
  const all = run.steps.map(s => s.stdout + s.stderr).join("\n") + JSON.stringify(input.results);
  for (const h of hidden) assert.ok(!all.includes(h.explain), "the hidden explanation is not printed");
  assert.ok(existsSync(join(pkg.tmp, "repo-hidden", ".prefault-checks", "checks.json")));
});

test("the student README: every command it gives runs as written in the template (no npx, no registry, no path of a Prefault checkout)", { timeout: 600_000 }, () => {
  const readme = readFileSync(join(kit, "starter", "README.md"), "utf8");
  assert.doesNotMatch(readme, /^## How to check$/m, "the lesson's own section (web app, npx, lesson start) is replaced");
  assert.doesNotMatch(readme, /\bnpx prefault\b|lesson start|my-work\//);
  const section = readme.slice(readme.indexOf("## Checking your work"), readme.indexOf("## How this is graded"));
  const commands = [...section.matchAll(/```sh\n([^]*?)```/g)].flatMap(m => m[1].split("\n"))
    .map(l => l.replace(/\s+#.*$/, "").trim()).filter(l => l !== "");
  const inline = [...section.matchAll(/`(\.prefault\/node_modules\/\.bin\/prefault [^`]+)`/g)].map(m => m[1]);
  assert.ok(commands.some(c => /prefault grade /.test(c)) && commands.some(c => /prefault run /.test(c)), commands.join("\n"));
  assert.ok(inline.some(c => / lesson hint /.test(c)), readme);
  const repo = join(pkg.tmp, "repo-readme");
  cpSync(join(kit, "starter"), repo, { recursive: true });
  const env = { PATH: process.env.PATH!, HOME: process.env.HOME!, npm_config_prefer_offline: "true", npm_config_offline: "true" };
  for (const [source, grade] of [[subs.starter, 1], [subs.solution, 0]] as const) {
    writeFileSync(join(repo, "datastore.ts"), source);
    for (const c of [...commands, ...inline]) {
      const r = spawnSync("bash", ["-eo", "pipefail", "-c", c], { cwd: repo, encoding: "utf8", timeout: 240_000, env });
      const expected = / grade /.test(c) ? grade : / run /.test(c) && source === subs.starter ? 1 : 0;
      assert.equal(r.status, expected, `${c}\n${r.stdout}\n${r.stderr}`);
      if (/ run /.test(c)) assert.match(r.stdout, /^scenario /, c);
    }
  }
});
