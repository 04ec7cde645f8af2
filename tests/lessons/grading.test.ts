// tests/lessons/grading.test.ts: the grader on real lessons, real sources and the real compiler.
// RunResults for the pure assertion tests are written by hand (the grader is a pure function of
// them); everything that compiles uses assemblyscript for real. No kernel needed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { loadLesson, type Lesson } from "../../engine/lesson.js";
import { evaluate, gradeLesson, lookup } from "../../engine/grade.js";
import { gradeSubmission, variantFiles } from "../../engine/grade-submission.js";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { validateScenario } from "../../engine/validate.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, readLessonSource } from "../../cli/grade-submission.js";
import type { Counters, RunResult } from "../../engine/types.js";

function lesson(id: string): Lesson {
  const src = readLessonSource(join(DEFAULT_LESSONS_DIR, id));
  assert.ok(src.ok);
  const l = loadLesson(src.source, validateScenario);
  assert.ok(l.ok, !l.ok ? l.error.message : "");
  return l.lesson;
}

const zero: Counters = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };

function run(over: Partial<RunResult> = {}): RunResult {
  return {
    scenario: "s", status: "ok", ok: true, dmesg: [], trace: [], trace_dropped: 0,
    steps: [
      { index: 0, op: "spawn", task: "app", ran: true, deltas: { ...zero }, ok: true, failures: [] },
      { index: 1, op: "clock_gettime", task: "app", ran: true, correct: true, deltas: { ...zero, faults: 1 }, ok: true, failures: [],
        latency_ns: { max: 20050, total: 20050 }, smaps: undefined },
    ],
    tasks: { app: { pid: 1, alive: true, ns: "root", counters: { ...zero, faults: 1 }, vm_flags: "rd mr io de dd mm", vvar: [] } },
    ...over,
  };
}

test("assertions: steps_ok, paths, ops, and the evidence they give", () => {
  const r = run();
  assert.equal(evaluate({ steps_ok: "all" }, r, {}), null);
  const failing = run();
  failing.steps[1] = { ...failing.steps[1], ok: false, failures: ["faults: expected 0, got 1"] };
  assert.equal(evaluate({ steps_ok: [1] }, failing, {}), "step 1 (clock_gettime by app): faults: expected 0, got 1");
  assert.equal(evaluate({ steps_ok: [0] }, failing, {}), null);
  const notRun = run();
  notRun.steps[1] = { ...notRun.steps[1], ran: false };
  assert.match(evaluate({ steps_ok: "all" }, notRun, {})!, /did not run/);
  // a step of a killed task satisfies no expectation, whatever its zero deltas say
  const killed = run();
  killed.steps[1] = { ...killed.steps[1], ran: false, not_run: "app was killed by SIGBUS at step 0", correct: undefined };
  assert.equal(evaluate({ steps_ok: [1] }, killed, {}), "step 1 (clock_gettime by app) not run: app was killed by SIGBUS at step 0");
  assert.equal(evaluate({ path: "steps.1.deltas.faults", op: "eq", value: 0 }, killed, {}),
    "steps.1.deltas.faults: step 1 (clock_gettime by app) not run: app was killed by SIGBUS at step 0");
  assert.equal(lookup(r, "tasks.app.counters.faults"), 1);
  assert.equal(lookup(r, "steps.1.latency_ns.max"), 20050);
  assert.equal(lookup(r, "steps.7.ok"), undefined);
  assert.equal(evaluate({ path: "tasks.app.counters.faults", op: "eq", value: 0 }, r, {}),
    "tasks.app.counters.faults: expected 0, got 1");
  assert.equal(evaluate({ path: "steps.1.latency_ns.max", op: "lt", value: 20000 }, r, {}),
    "steps.1.latency_ns.max: expected less than 20000, got 20050");
  assert.equal(evaluate({ path: "tasks.app.vm_flags", op: "not_matches", value: "(^| )io( |$)" }, r, {}),
    'tasks.app.vm_flags: expected not to match the pattern /(^| )io( |$)/, got "rd mr io de dd mm"');
  assert.equal(evaluate({ path: "tasks.app.vm_flags", op: "not_matches", value: "(^| )io( |$)", describe: "VmFlags without io" }, r, {}),
    'tasks.app.vm_flags: expected VmFlags without io, got "rd mr io de dd mm"');
  assert.equal(evaluate({ path: "tasks.app.vm_flags", op: "contains", value: "mm" }, r, {}), null);
  assert.equal(evaluate({ path: "dmesg", op: "not_contains", value: "WARN" }, run({ dmesg: ["x", "WARNING: vvar_page accessed remotely"] }), {}),
    'dmesg: expected not to contain "WARN", got ["x","WARNING: vvar_page accessed remotely"]');
  assert.equal(evaluate({ path: "tasks.nobody.counters.faults", op: "eq", value: 0 }, r, {}),
    "tasks.nobody.counters.faults: expected 0, got nothing (not in the result)");
});

test("source assertions read the learner's code, not its comments; lesson 3's rule reads the module's imports", () => {
  const l = lesson("03-map-by-pgoff");
  const absent = { source: "datastore.ts", absent: "virt_to_page" };
  const present = { source: "datastore.ts", present: "vdso_data_pages" };
  const starter = { "datastore.ts": l.starter["datastore.ts"] };
  const solution = { "datastore.ts": l.solution["datastore.ts"] };
  assert.equal(evaluate(absent, run(), starter), "datastore.ts still uses virt_to_page");
  assert.equal(evaluate(absent, run(), solution), null);
  assert.equal(evaluate(present, run(), solution), null);
  const commented = { "datastore.ts": solution["datastore.ts"] + "\n// virt_to_page(vdso_k_time_data) was the old way\n/* virt_to_page */\n" };
  assert.equal(evaluate(absent, run(), commented), null);
  // lesson 3 no longer reads words: what the compiled module imports (tests/hardening/cheats.test.ts)
  const [rule] = l.checks.find(c => c.id === "one-rule")!.assert;
  assert.deepEqual(rule, { imports: "kernel", absent: "virt_to_page" });
  assert.equal(evaluate(rule, run(), solution, ["vmf_pgoff", "virt_to_page"]), "the compiled datastore still calls the kernel's virt_to_page()");
  assert.equal(evaluate(rule, run(), starter, ["vmf_pgoff"]), null);
  assert.equal(evaluate(rule, run(), solution), "the compiled datastore was not available to check what it calls");
});

test("an oops or a timeout fails the check with what happened and where", () => {
  const l = lesson("01-first-fault");
  const oops = run({ status: "oops", ok: false, oops: { message: "unreachable", file: "datastore.ts", line: 21, column: 7, step: 1 } });
  const runs = Object.fromEntries(Object.keys(l.scenarios).map(s => [s, oops]));
  const rep = gradeLesson(l, { ok: true, runs, sources: l.solution });
  assert.equal(rep.status, "fail");
  assert.equal(rep.score, 0);
  const t = rep.tests[0];
  assert.equal(t.status, "fail");
  assert.equal(t.message, "The kernel oopsed in step 1 of scenario first-fault: unreachable at datastore.ts:21:7");
  assert.deepEqual(t.failure, { kind: "oops", message: "in step 1: unreachable at datastore.ts:21:7" });
  const timeout = gradeLesson(l, { ok: true, runs: Object.fromEntries(Object.keys(l.scenarios).map(s =>
    [s, run({ status: "timeout", ok: false, oops: { message: "soft lockup: vvar_fault() did not return", step: 1 } })])), sources: {} });
  assert.equal(timeout.tests[0].message, "soft lockup: vvar_fault() did not return (in step 1 of scenario first-fault)");
  assert.deepEqual(timeout.tests[0].failure, { kind: "timeout", message: "in step 1: soft lockup: vvar_fault() did not return" });
  // an oops before the first step (the datastore's top-level code) is not "step -1"
  const early = gradeLesson(l, { ok: true, runs: Object.fromEntries(Object.keys(l.scenarios).map(s =>
    [s, run({ status: "oops", ok: false, oops: { message: "abort: no", step: -1 } })])), sources: {} });
  assert.equal(early.tests[0].message, "The kernel oopsed before the first step of scenario first-fault: abort: no");
  const missing = gradeLesson(l, { ok: true, runs: {}, sources: {} });
  assert.ok(missing.tests.every(x => x.status === "error" && (x.failure?.kind === "error" || x.failure?.kind === "blocked")));
  assert.ok(missing.tests.some(x => x.failure?.kind === "error"));
});

test("every check that does not pass says why: assertion, compile, blocked; a pass says nothing", () => {
  const l = lesson("01-first-fault");
  const good = gradeLesson(l, { ok: true, runs: Object.fromEntries(Object.keys(l.scenarios).map(s => [s, run()])), sources: l.solution });
  for (const t of good.tests) {
    if (t.status === "pass") assert.equal(t.failure, undefined, t.id);
    else assert.ok(t.failure && t.failure.kind !== "oops" && t.failure.kind !== "timeout" && t.failure.message.length > 0, JSON.stringify(t));
  }
  const failed = good.tests.find(t => t.failure?.kind === "assertion");
  assert.ok(failed, "a hand-made run fails some assertion");
  assert.ok(failed.message.endsWith(`(${failed.failure!.message})`), "the failure message is the evidence shown under the explanation");
  const compile = gradeLesson(l, { ok: false, error: { kind: "compile", message: "x", diagnostics: [
    { file: "datastore.ts", line: 3, column: 5, endLine: 3, endColumn: 6, start: 0, end: 1, code: "TS1109", severity: "error", message: "Expression expected." }] } });
  assert.ok(compile.tests.every(t => t.failure?.kind === "compile" && t.failure.message === "did not compile: datastore.ts:3:5: TS1109 Expression expected."));
  const blocked = good.tests.find(t => t.failure?.kind === "blocked");
  if (blocked) assert.match(blocked.failure!.message, /^requires \S+, which did not pass/);
});

test("a passing run scores the check's points; visibility and scenario are reported", () => {
  const l = lesson("01-first-fault");
  const runs = Object.fromEntries(Object.keys(l.scenarios).map(s => [s, run()]));
  const rep = gradeLesson(l, { ok: true, runs, sources: l.solution });
  const first = rep.tests.find(t => t.id === "first-call-faults-once")!;
  assert.deepEqual([first.status, first.score, first.max_score, first.message, first.scenario], ["pass", 3, 3, "", "first-fault"]);
  assert.equal(rep.tests.find(t => t.id === "no-gettimeofday-sigbus")!.visibility, "hidden");
  assert.equal(rep.max_score, l.checks.reduce((s, c) => s + c.points, 0));
  // no-warn-no-bug looks at counters; an all-zero warn count passes
  assert.equal(rep.tests.find(t => t.id === "no-warn-no-bug")!.status, "pass");
});

const ascModule = asc as unknown as AscModule;

test("a compile error makes every check an error and names file:line:col", async () => {
  const l = lesson("01-first-fault");
  const broken = l.solution["datastore.ts"].replace("p = virt_to_page(vdso_k_time_data);", "p = virt_to_page(vdso_k_time_data) +;");
  const rep = await gradeSubmission(l, { "datastore.ts": broken }, {
    compile: files => compileDatastore(ascModule, files),
    run: async () => assert.fail("nothing may run after a compile error"),
  });
  assert.equal(rep.status, "error");
  assert.equal(rep.score, 0);
  assert.ok(rep.tests.every(t => t.status === "error" && /^did not compile: datastore\.ts:\d+:\d+: TS\d+/.test(t.message)), rep.tests[0].message);
  assert.equal(rep.errors[0].file, "datastore.ts");
  assert.equal(rep.errors[0].line, broken.split("\n").findIndex(x => x.includes("+;")) + 1);
  const missing = await gradeSubmission(l, {}, { compile: async () => assert.fail(), run: async () => assert.fail() });
  assert.equal(missing.status, "error");
  assert.match(missing.errors[0].message, /missing file datastore\.ts/);
});

test("the variant harness compiles around a learner's file and installs the variant's flags", async () => {
  const l = lesson("04-no-holes");
  const v = l.variants["vm_io_dropped"];
  const files = variantFiles({ "datastore.ts": l.solution["datastore.ts"] }, v);
  assert.deepEqual(Object.keys(files).sort(), ["datastore.ts", "learner_datastore.ts"]);
  const install = files["datastore.ts"].split("\n").find(x => x.includes("return _install_special_mapping("))!;
  assert.match(install, /VM_READ \| VM_MAYREAD \| VM_DONTDUMP \| VM_MIXEDMAP \| VM_SEALED_SYSMAP/);
  assert.doesNotMatch(install, /VM_IO/);
  const r = await compileDatastore(ascModule, files);
  assert.ok(r.ok, !r.ok ? JSON.stringify(r.error) : "");
});

test("a check that requires a failing one is not graded", () => {
  const l = lesson("01-first-fault");
  const runs = Object.fromEntries(Object.keys(l.scenarios).map(s => [s, run()]));
  const failing = run();
  failing.steps[1] = { ...failing.steps[1], ok: false, failures: ["sigbus: expected 0, got 1"] };
  runs["first-fault"] = failing;
  const rep = gradeLesson(l, { ok: true, runs, sources: l.solution });
  const later = rep.tests.find(t => t.id === "later-calls-never-fault")!;
  assert.deepEqual([later.status, later.score, later.message],
    ["fail", 0, 'Not graded until "the first clock_gettime() faults once and gets the time" passes.']);
});
