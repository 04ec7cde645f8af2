// tests/unit/scenario-gen.test.ts: the practice generator (engine/scenario-gen*.ts) on the real
// lessons: deterministic, schema-valid, about what each lesson teaches, for many seeds; the
// answers read from real runs of the reference solutions on the kernel model; the marking.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Lesson } from "../../engine/lesson.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { ASKED_OPS, generateQuiz, parseSeed, QUIZ_GENERATOR_VERSION, QUIZ_SEED_MAX, type QuizProblem } from "../../engine/scenario-gen.js";
import { answerDiff, markQuiz, quizAnswer, type QuizAnswer } from "../../engine/scenario-gen-answer.js";
import { lessonTopics } from "../../engine/scenario-gen-topics.js";
import { mulberry32 } from "../../engine/scenario-gen-rng.js";
import { validateScenario } from "../../engine/validate.js";
import { gradeSubmission, variantFiles, type GradeDeps } from "../../engine/grade-submission.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, loadLessonDir, nodeGradeDeps } from "../../cli/grade-submission.js";
import { closeSharedRunner } from "../../cli/node-runner.js";

after(() => closeSharedRunner());

const IDS = listLessonIds();
const LESSONS: Lesson[] = IDS.map(id => {
  const l = loadLessonDir(join(DEFAULT_LESSONS_DIR, id));
  assert.ok(l.ok, !l.ok ? l.error.message : "");
  return l.lesson;
});
const SEEDS = Array.from({ length: 300 }, (_, i) => (i < 200 ? i : (i * 2654435761) >>> 0));

function problem(l: Lesson, seed: number): QuizProblem {
  const q = generateQuiz(l, seed);
  assert.ok(q.ok, !q.ok ? q.message : "");
  return q.problem;
}

test("there are lessons to practise", () => { assert.ok(LESSONS.length >= 6, `${LESSONS.length} lessons`); });

test("the same lesson and seed give the same problem, byte for byte; the PRNG stream is fixed", () => {
  for (const l of LESSONS) {
    for (const seed of SEEDS.slice(0, 60)) {
      assert.equal(JSON.stringify(problem(l, seed)), JSON.stringify(problem(l, seed)), `${l.id} seed ${seed}`);
    }
  }
  // mulberry32's stream for seed 1, as an independent implementation (Python's unbounded
  // integers, masked to 32 bits) computes it: integer arithmetic, the same on every engine
  const r = mulberry32(1);
  assert.deepEqual([r.next(), r.next(), r.next()].map(x => x * 4294967296), [2693262067, 11749833, 2265367787]);
});

// A change to what a seed generates must bump QUIZ_GENERATOR_VERSION: a teacher's handed-out
// seeds then visibly mean another problem. Update both together, on purpose.
test("the problems of seeds 0..19 of every lesson hash to the value pinned for this generator version", () => {
  const h = createHash("sha256");
  for (const l of LESSONS) for (let seed = 0; seed < 20; seed++) h.update(JSON.stringify(problem(l, seed)) + "\n");
  const pinned: Record<number, string> = { 1: "e88f7837811d7f572e6a2ec0a47d3a4cc94aca379e842dd37366ecec68617ba8" };
  assert.equal(QUIZ_GENERATOR_VERSION, 1);
  assert.equal(h.digest("hex"), pinned[QUIZ_GENERATOR_VERSION],
    "the generator's output changed: if on purpose, bump QUIZ_GENERATOR_VERSION and pin the new digest");
});

test("every problem is a valid scenario, named after its lesson and seed, with 4 to 7 steps to predict", () => {
  for (const l of LESSONS) {
    for (const seed of SEEDS) {
      const p = problem(l, seed);
      const v = validateScenario(JSON.parse(JSON.stringify(p.scenario)));
      assert.ok(v.ok, `${l.id} seed ${seed}: ${!v.ok ? v.error.message : ""}`);
      assert.equal(p.scenario.name, `practice-${l.id}-${seed}`);
      assert.equal(p.steps.length, p.scenario.steps.length);
      const asked = p.steps.filter(s => s.ask);
      assert.ok(asked.length >= 4 && asked.length <= 8, `${l.id} seed ${seed}: ${asked.length} steps to predict`);
      for (const s of p.steps) {
        assert.equal(s.ask, ASKED_OPS.includes(s.op));
        assert.equal(s.op, p.scenario.steps[s.index].op);
        assert.ok(s.words.length > 10 && !/undefined|NaN|\[object/.test(s.words), `${l.id} seed ${seed} step ${s.index}: ${s.words}`);
      }
      if (p.variant !== undefined) assert.ok(p.variant in l.variants);
    }
  }
});

test("each lesson's problems use only what its scenarios use, cover all of it, and nearly always its focus", () => {
  // the focus of each lesson of the course: what the lesson is about
  const FOCUS: Record<string, string> = { "01-first-fault": "read", "02-time-namespaces": "unshare_timens", "03-map-by-pgoff": "read",
    "04-no-holes": "read", "05-remote-access": "remote_read", "06-mlockall": "mlockall" };
  for (const l of LESSONS) {
    const topics = lessonTopics(l);
    const seen = new Set<string>();
    let withFocus = 0, variants = 0;
    const configs = new Set<string>();
    for (const seed of SEEDS) {
      const p = problem(l, seed);
      const ops = new Set(p.scenario.steps.map(s => s.op));
      for (const o of ops) {
        assert.ok(topics.ops.includes(o) || o === "spawn", `${l.id} seed ${seed}: ${o} is not in the lesson`);
        seen.add(o);
      }
      if (FOCUS[l.id] && ops.has(FOCUS[l.id] as Scenario["steps"][number]["op"])) withFocus++;
      if (p.variant) variants++;
      configs.add(JSON.stringify(p.scenario.config ?? {}));
      for (const s of p.scenario.steps) {
        if (s.op === "clock_gettime") assert.ok(topics.clocks.includes(s.clock), `${l.id}: ${s.clock}`);
        if (s.op === "remote_read" || s.op === "remote_write") assert.ok(topics.vias.includes(s.via));
        if (s.op === "mlockall") assert.ok(topics.mlockFlags.some(f => f.join() === s.flags.join()));
      }
    }
    for (const o of topics.ops) {
      if (o === "smaps" || o === "thread" || o === "tick" || o === "vfork_exec") continue;   // set no prediction
      assert.ok(seen.has(o), `${l.id}: no problem uses ${o}`);
    }
    if (FOCUS[l.id]) assert.ok(withFocus >= SEEDS.length * 0.95, `${l.id}: ${FOCUS[l.id]} in only ${withFocus} of ${SEEDS.length}`);
    if (topics.variants.length) assert.ok(variants > SEEDS.length * 0.3 && variants < SEEDS.length * 0.9, `${l.id}: ${variants} with a variant`);
    if (topics.toggles.length) assert.ok(configs.size > 1, `${l.id}: every problem has the same kernel config`);
    else assert.deepEqual([...configs], ["{}"]);
  }
  // what the course's lessons have, and so their problems do: none of lesson 01's has a fork or
  // a namespace; lesson 05's debugger reads; lesson 06's mlockall()
  assert.ok(!lessonTopics(LESSONS[0]).ops.includes("fork"));
});

test("different seeds give different problems; one seed gives different problems in different lessons", () => {
  for (const l of LESSONS) {
    const distinct = new Set(SEEDS.map(s => JSON.stringify(problem(l, s).scenario.steps)));
    assert.ok(distinct.size >= SEEDS.length * 0.9, `${l.id}: ${distinct.size} distinct of ${SEEDS.length}`);
  }
  const a = problem(LESSONS[1], 5).scenario.steps, b = problem(LESSONS[2], 5).scenario.steps;
  assert.notDeepEqual(a, b);
});

test("seeds: decimal integers 0 .. 2^32-1; anything else is refused with a message", () => {
  assert.equal(parseSeed("0"), 0);
  assert.equal(parseSeed("4294967295"), QUIZ_SEED_MAX);
  assert.equal(parseSeed("0042"), 42);
  for (const bad of ["", "-1", "1.5", "4294967296", "1e3", "abc", " 1", "0x10", null, undefined]) assert.equal(parseSeed(bad), null, String(bad));
  for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
    const q = generateQuiz(LESSONS[0], bad);
    assert.ok(!q.ok && /seed must be an integer from 0 to 4294967295/.test(q.message), String(bad));
  }
});

test("a lesson whose scenarios never touch [vvar] has nothing to predict: a clear error", () => {
  const l = { ...LESSONS[0], scenarios: { only: { name: "only", steps: [{ op: "spawn", task: "a" }, { op: "smaps", task: "a" }] } as Scenario } };
  const q = generateQuiz(l, 1);
  assert.ok(!q.ok);
  assert.match(q.message, /nothing to predict/);
});

// ---- answers from real runs ---------------------------------------------------------------------

let deps: GradeDeps | undefined;
const wasmCache = new Map<string, Uint8Array>();
async function runWith(l: Lesson, files: Record<string, string>, p: QuizProblem): Promise<RunResult> {
  deps ??= await nodeGradeDeps();
  const input = p.variant ? variantFiles(files, l.variants[p.variant]) : files;
  const key = JSON.stringify(input);
  let wasm = wasmCache.get(key);
  if (!wasm) {
    const c = await deps.compile(input);
    assert.ok(c.ok, !c.ok ? c.error.message : "");
    wasm = c.wasm;
    wasmCache.set(key, wasm);
  }
  const out = await deps.run(wasm, [p.scenario], {});
  assert.ok(Array.isArray(out), !Array.isArray(out) ? out.message : "");
  return out[0];
}

test("answers: the reference run's deltas, with why from its trace; the starter answers differently where the lesson changes behaviour", async () => {
  for (const l of LESSONS) {
    // a lesson whose starter fails only checks of the code itself, its source or the kernel functions
    // its module imports (lesson 03.s refactor), changes no
    // behaviour: its starter must answer every problem as the solution does
    deps ??= await nodeGradeDeps();
    const graded = await gradeSubmission(l, l.starter, deps);
    const failed = l.checks.filter(c => graded.tests.find(t => t.id === c.id)?.status !== "pass");
    assert.ok(failed.length > 0, `${l.id}: the starter passes`);
    const refactor = failed.every(c => c.assert.every(a => "source" in a || "imports" in a));
    let differs = 0, notRun = 0, asked = 0;
    for (let seed = 0; seed < 12; seed++) {
      const p = problem(l, seed);
      const run = await runWith(l, l.solution, p);
      assert.equal(run.status, "ok", `${l.id} seed ${seed}: the reference run ${run.status}`);
      const a = quizAnswer(p, run);
      assert.deepEqual(a.steps.map(s => s.index), p.steps.filter(s => s.ask).map(s => s.index));
      for (const s of a.steps) {
        const r = run.steps[s.index];
        asked++;
        assert.equal(s.faults, r.deltas.faults);
        assert.equal(s.minflt, r.deltas.minflt);
        assert.equal(s.signal, r.signal ?? "none");
        assert.equal(s.ran, r.ran);
        if (!r.ran) { notRun++; assert.match(s.why, /^Not run: .* was killed by SIG/); continue; }
        // the why names what happened: the pgoff of each fault, the GUP faults, the signal
        for (const e of run.trace.filter(e => e.step === s.index && e.kind === "fault")) assert.ok(s.why.includes(`pgoff ${e.pgoff}`), `${l.id} ${seed}/${s.index}: ${s.why}`);
        if (r.deltas.faults === 0) assert.match(s.why, /No (fault|exception)/);
        if (r.deltas.gup_faults > 0) assert.match(s.why, /get_user_pages\(\) faulted/);
        if (r.deltas.minflt > r.deltas.faults) assert.match(s.why, new RegExp(`ru_minflt ${r.deltas.minflt} = `));
        assert.match(s.why, s.signal === "none" ? /No signal\./ : new RegExp(`got ${s.signal}`));
      }
      const starter = quizAnswer(p, await runWith(l, l.starter, p));
      if (a.steps.some((s, i) => answerDiff(s, starter.steps[i]).length > 0)) differs++;
    }
    if (refactor) assert.equal(differs, 0, `${l.id}: a refactor, yet the starter answers ${differs} problems differently`);
    else assert.ok(differs >= 1, `${l.id}: the starter answers every problem as the solution does`);
    assert.ok(notRun <= asked * 0.15, `${l.id}: ${notRun} of ${asked} asked steps did not run`);
  }
});

test("marking: each field right or wrong against the answer; an empty field is wrong", () => {
  const answer: QuizAnswer = { lesson: "x", seed: 1, generator: 1, status: "ok", steps: [
    { index: 1, faults: 1, minflt: 1, signal: "none", ran: true, result: "correct", why: "a" },
    { index: 3, faults: 0, minflt: 4, signal: "none", ran: true, result: "returned 0", why: "b" },
    { index: 4, faults: 1, minflt: 0, signal: "SIGBUS", ran: true, result: "killed by SIGBUS", why: "c" },
  ] };
  const m = markQuiz(answer, {
    1: { faults: 1, minflt: 1, signal: "none" },
    3: { faults: 4, minflt: 4, signal: "none" },
    4: { faults: 1, minflt: null, signal: "SIGBUS" },
  });
  assert.equal(m.total, 9);
  assert.equal(m.right, 7);
  assert.deepEqual(m.steps.map(s => s.right), [true, false, false]);
  assert.deepEqual(m.steps[1].fields.map(f => f.right), [false, true, true]);
  assert.deepEqual(m.steps[2].fields[1], { field: "minflt", predicted: null, expected: 0, right: false });
  assert.equal(m.steps[2].why, "c");
  const none = markQuiz(answer, {});
  assert.equal(none.right, 0);
  assert.deepEqual(answerDiff(answer.steps[0], { ...answer.steps[0], signal: "SIGBUS", minflt: 0 }), ["minflt", "signal"]);
  assert.deepEqual(answerDiff(answer.steps[0], { ...answer.steps[0], result: "WRONG value" }), ["result"]);
  assert.deepEqual(answerDiff(answer.steps[0], { ...answer.steps[0], why: "other words" }), []);
});
