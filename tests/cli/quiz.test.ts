// `prefault quiz`: the real bin in a child process, the real compiler, kernel and runner. The
// problem is the engine's for the seed, byte for byte whatever the machine's locale, time zone
// or working folder; --answer gives the reference run's answers; bad input exits 2.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateQuiz, type QuizProblem } from "../../engine/scenario-gen.js";
import { markQuiz, quizAnswer, type Prediction, type QuizAnswer } from "../../engine/scenario-gen-answer.js";
import { validateScenario } from "../../engine/validate.js";
import { variantFiles } from "../../engine/grade-submission.js";
import { DEFAULT_LESSONS_DIR, loadLessonDir, nodeGradeDeps } from "../../cli/grade-submission.js";
import { closeSharedRunner } from "../../cli/node-runner.js";
import type { Lesson } from "../../engine/lesson.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");
const tmp = mkdtempSync(join(tmpdir(), "prefault-quiz-"));
after(async () => { rmSync(tmp, { recursive: true, force: true }); await closeSharedRunner(); });

interface Out { code: number | null; stdout: string; stderr: string }
function prefault(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): Promise<Out> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd ?? ROOT, env: { ...process.env, ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}

function lesson(id: string): Lesson {
  const l = loadLessonDir(join(DEFAULT_LESSONS_DIR, id));
  assert.ok(l.ok);
  return l.lesson;
}

/** Problem `seed` of lesson `id` and its answers, from the reference solution run in this process
 *  (the real compiler and runner, as the CLI's own path). */
async function referenceAnswer(id: string, seed: number): Promise<{ problem: QuizProblem; answer: QuizAnswer }> {
  const l = lesson(id);
  const q = generateQuiz(l, seed);
  assert.ok(q.ok);
  const deps = await nodeGradeDeps();
  const c = await deps.compile(q.problem.variant ? variantFiles(l.solution, l.variants[q.problem.variant]) : l.solution);
  assert.ok(c.ok);
  const runs = await deps.run(c.wasm, [q.problem.scenario], {});
  assert.ok(Array.isArray(runs));
  return { problem: q.problem, answer: quizAnswer(q.problem, runs[0]) };
}

/** The scenario block of the text output: from "{" after "The scenario" to the closing "}". */
function scenarioBlock(stdout: string): unknown {
  const lines = stdout.split("\n");
  const start = lines.findIndex(l => /^The scenario/.test(l)) + 1;
  const end = lines.indexOf("}", start);
  return JSON.parse(lines.slice(start, end + 1).join("\n"));
}

test("--help lists quiz; quiz --help shows its usage", async () => {
  const h = await prefault(["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^ {2}quiz {2,}a practice problem of a lesson from a seed/m);
  const q = await prefault(["quiz", "--help"]);
  assert.equal(q.code, 0);
  assert.match(q.stdout, /usage: prefault quiz --lesson <id> \[--seed <n>\] \[--answer\]/);
});

test("the problem: the steps in words and the scenario, which prefault run accepts; no answers without --answer", async () => {
  const l = lesson("06-mlockall");
  const q = generateQuiz(l, 5);
  assert.ok(q.ok);
  const r = await prefault(["quiz", "--lesson", "06-mlockall", "--seed", "5"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^Practice: lesson 06-mlockall \(mlockall\(\)\), seed 5\n/);
  for (const s of q.problem.steps) {
    assert.match(r.stdout, new RegExp(`^ +${s.index} ${s.ask ? "\\?" : " "}  ${s.words.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
  }
  const sc = scenarioBlock(r.stdout);
  assert.deepEqual(sc, q.problem.scenario);
  assert.ok(validateScenario(sc).ok);
  assert.match(r.stdout, /The answers: prefault quiz --lesson 06-mlockall --seed 5 --answer\nYour predictions marked: prefault quiz --lesson 06-mlockall --seed 5 --predictions <file\.json>\n$/);
  assert.doesNotMatch(r.stdout, /Answers \(|Why|faults \d+, minflt/);
  // the scenario as printed is a file prefault run reads
  const file = join(tmp, "p.json");
  writeFileSync(file, JSON.stringify(sc));
  const run = await prefault(["run", file, "--stage", "p6"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /practice-06-mlockall-5: every expectation held/);
});

test("the same seed prints the same bytes, whatever the locale, time zone and folder; another seed another problem", async () => {
  const a = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", "123", "--json"]);
  const b = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", "0123", "--json"], { cwd: tmp, env: { LANG: "de_DE.UTF-8", LC_ALL: "tr_TR.UTF-8", TZ: "Pacific/Chatham" } });
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.stdout, a.stdout);
  const j = JSON.parse(a.stdout);
  const q = generateQuiz(lesson("02-time-namespaces"), 123);
  assert.ok(q.ok);
  assert.deepEqual(j, JSON.parse(JSON.stringify(q.problem)));
  assert.equal(j.answer, undefined);
  const c = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", "124", "--json"]);
  assert.notDeepEqual(JSON.parse(c.stdout).scenario.steps, j.scenario.steps);
  const t1 = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", "123"]);
  const t2 = await prefault(["quiz", "--lesson", "02-time-namespaces", "-s", "123"], { cwd: tmp, env: { TZ: "Asia/Kolkata", LANG: "fr_FR.UTF-8" } });
  assert.equal(t2.stdout, t1.stdout);
});

test("--answer: each asked step's faults, minflt and signal with why, as the reference solution's run gives them", async () => {
  for (const [id, seed] of [["01-first-fault", 3], ["05-remote-access", 11]] as const) {
    const { answer: expected } = await referenceAnswer(id, seed);

    const r = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--answer"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Answers \(the lesson's reference handler, run on the kernel model\):$/m);
    for (const a of expected.steps) {
      assert.match(r.stdout, new RegExp(`^ +${a.index} \\?  faults ${a.faults}, minflt ${a.minflt}, signal ${a.signal}  \\(`, "m"), `${id} step ${a.index}`);
    }
    assert.doesNotMatch(r.stdout, /The answers: prefault quiz/);
    const j = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--answer", "--json"]);
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout).answer, JSON.parse(JSON.stringify(expected)));
  }
});

test("--predictions: each prediction in the file marked against the reference run; exit 0 only when all are right", async () => {
  const id = "05-remote-access", seed = 11;
  const { problem, answer } = await referenceAnswer(id, seed);
  assert.ok(answer.steps.length >= 2);
  const all: Record<string, Prediction> = {};
  for (const a of answer.steps) all[a.index] = { faults: a.faults, minflt: a.minflt, signal: a.signal };
  const file = (name: string, body: unknown) => { const f = join(tmp, name); writeFileSync(f, typeof body === "string" ? body : JSON.stringify(body)); return f; };

  const right = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--predictions", file("right.json", all)]);
  assert.equal(right.code, 0, right.stderr);
  const n = answer.steps.length * 3;
  assert.match(right.stdout, new RegExp(`^${n} of ${n} predictions right\\.$`, "m"));
  assert.match(right.stdout, /^Answers \(the lesson's reference handler/m, "the answers follow the marks");

  // the first step's faults off by one, the last step's signal left out, a middle step not in the file
  const [first, , ...rest] = answer.steps, last = answer.steps[answer.steps.length - 1];
  const some: Record<string, Partial<Prediction>> = { ...all };
  some[first.index] = { ...all[first.index], faults: first.faults + 1 };
  some[last.index] = { faults: last.faults, minflt: last.minflt };
  if (rest.length) delete some[answer.steps[1].index];
  const wrong = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--predictions", file("some.json", some)]);
  assert.equal(wrong.code, 1, wrong.stderr);
  const marks = markQuiz(answer, some);
  assert.match(wrong.stdout, new RegExp(`^${marks.right} of ${marks.total} predictions right\\.$`, "m"));
  assert.match(wrong.stdout, new RegExp(`^  step +${first.index}  ✗  faults ${first.faults + 1} wrong \\(it is ${first.faults}\\), minflt ${first.minflt} right`, "m"));
  assert.match(wrong.stdout, new RegExp(`signal not predicted \\(it is ${last.signal}\\)$`, "m"));
  const json = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--predictions", file("some.json", some), "--json"]);
  assert.equal(json.code, 1, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout).marks, JSON.parse(JSON.stringify(marks)));

  // a file that is not predictions of this problem is refused, naming the file and what is wrong
  const asked = answer.steps.map(a => a.index), notAsked = [...Array(problem.steps.length).keys()].find(i => !asked.includes(i))!;
  for (const [name, body, msg] of [
    ["not-json.json", "{faults: 1", /not-json\.json: not JSON/],
    ["array.json", [1, 2], /array\.json: expected an object keyed by the step numbers to predict/],
    ["step.json", { [notAsked]: { faults: 0 } }, new RegExp(`step\\.json: "${notAsked}" is not a step to predict`)],
    ["neg.json", { [first.index]: { faults: -1 } }, /neg\.json: step \d+: faults must be a whole number 0 or more \(got -1\)/],
    ["sig.json", { [first.index]: { signal: "SIGKILL" } }, /sig\.json: step \d+: signal must be "none", "SIGBUS" or "SIGSEGV" \(got "SIGKILL"\)/],
    ["field.json", { [first.index]: { fault: 1 } }, /field\.json: step \d+: unknown field "fault"/],
  ] as const) {
    const r = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--predictions", file(name, body)]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, msg, name);
    assert.equal(r.stdout, "", `${name}: nothing on stdout`);
  }
  const missing = await prefault(["quiz", "--lesson", id, "--seed", String(seed), "--predictions", join(tmp, "no-such.json")]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such\.json: cannot be read/);
});

test("--answer --datastore: your handler's answers beside the reference, where they differ", async () => {
  const starter = join(ROOT, "lessons", "02-time-namespaces", "starter", "datastore.ts");
  // a problem with a namespace task: the starter (lesson 01's handler) ignores the namespace
  let seed = 0, out: Out | undefined;
  for (; seed < 40; seed++) {
    const q = generateQuiz(lesson("02-time-namespaces"), seed);
    assert.ok(q.ok);
    if (!q.problem.scenario.steps.some(s => s.op === "unshare_timens")) continue;
    out = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", String(seed), "--answer", "--datastore", starter, "--json"]);
    assert.equal(out.code, 0, out.stderr);
    const j = JSON.parse(out.stdout);
    assert.equal(j.your_answer.steps.length, j.answer.steps.length);
    const key = (a: { faults: number; minflt: number; signal: string }[]) => JSON.stringify(a.map(x => [x.faults, x.minflt, x.signal]));
    if (key(j.your_answer.steps) !== key(j.answer.steps)) break;
  }
  assert.ok(seed < 40, "a problem where the starter differs");
  const t = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", String(seed), "--answer", "--datastore", starter]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /Your handler: faults \d+, minflt \d+, signal \w+ \(.*\): differs in /);
  assert.match(t.stdout, /Your handler differs from the reference in \d+ of \d+ steps\./);
  const same = await prefault(["quiz", "--lesson", "02-time-namespaces", "--seed", String(seed), "--answer", "--datastore",
    join(ROOT, "lessons", "02-time-namespaces", "solution", "datastore.ts")]);
  assert.match(same.stdout, /Your handler gives the same faults, minflt, signal and result in every step\./);
});

test("bad input exits 2 with a clear message", async () => {
  const cases: [string[], RegExp][] = [
    [["quiz", "--lesson", "99-nope", "--seed", "1"], /unknown lesson "99-nope" \(lessons: 01-first-fault, .*06-mlockall\)/],
    [["quiz", "--lesson", "../etc", "--seed", "1"], /unknown lesson "\.\.\/etc"/],
    [["quiz", "--lesson", "01-first-fault", "--seed", "-1"], /--seed must be an integer from 0 to 4294967295 \(got "-1"\)/],
    [["quiz", "--lesson", "01-first-fault", "--seed", "4294967296"], /--seed must be an integer from 0 to 4294967295/],
    [["quiz", "--lesson", "01-first-fault", "--seed", "1.5"], /--seed must be an integer/],
    [["quiz", "--lesson", "01-first-fault", "--seed", "abc"], /--seed must be an integer/],
    [["quiz", "--seed", "1"], /give the lesson: --lesson <id>/],
    [["quiz", "--lesson", "01-first-fault", "--datastore", "x.ts"], /--datastore goes with --answer/],
    [["quiz", "--lesson", "01-first-fault", "--frob"], /unknown option --frob/],
    [["quiz", "--lesson", "01-first-fault", "--answer", "--datastore", join(tmp, "missing.ts")], /cannot read .*missing\.ts/],
  ];
  for (const [args, re] of cases) {
    const r = await prefault(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(" "));
    assert.equal(r.stdout, "");
  }
  // a datastore that does not compile: file:line of the error
  const bad = join(tmp, "bad.ts");
  writeFileSync(bad, "export function vvar_fault(: u32 {\n");
  const c = await prefault(["quiz", "--lesson", "01-first-fault", "--answer", "--datastore", bad]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /did not compile:\n.*bad\.ts:1:\d+/);
  // a student copy of a lesson (no solution/) prints problems but cannot answer them
  const dir = join(tmp, "lessons");
  cpSync(join(ROOT, "lessons", "01-first-fault"), join(dir, "01-first-fault"), { recursive: true });
  rmSync(join(dir, "01-first-fault", "solution"), { recursive: true });
  const p = await prefault(["quiz", "--lessons-dir", dir, "--lesson", "01-first-fault", "--seed", "2"]);
  assert.equal(p.code, 0, p.stderr);
  const s = await prefault(["quiz", "--lessons-dir", dir, "--lesson", "01-first-fault", "--seed", "2", "--answer"]);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /has no reference solution \(a student copy\), so it cannot give the answers/);
});
