// engine/grade.ts: a lesson's checks applied to what a submission did. Pure and deterministic:
// the same lesson and runs give the same Report, byte for byte, in check order.
//
//   compile error ──────────────► every check "error", Report.status "error", errors[] file:line:col
//   runs[scenario@variant] ──┬──► run missing / engine error ─► check "error"
//                            ├──► oops or timeout            ─► check "fail" (the oops, where it happened)
//                            └──► assertions                 ─► "pass" | "fail" (explain + evidence)
// Every check that does not pass says why in `failure` (kind and one line), for reports and for
// `lesson check`'s exact proofs.

import type { Diagnostic, EngineError, FailureKind, Report, RunResult, TestResult } from "./types.js";
import type { AssertOp, Assertion, Check, Lesson } from "./lesson.js";
import { runKey } from "./lesson.js";

export type GradeInput =
  | { ok: false; error: EngineError }
  | { ok: true; runs: Record<string, RunResult | EngineError>; sources: Record<string, string>;
      /** the kernel functions the learner's compiled module imports (engine/wasm-imports.ts),
       *  for `imports` assertions; absent when the module was not given */
      imports?: readonly string[] };

/** Grades one submission. `input` is either the error that stopped everything (a compile error:
 *  its diagnostics become Report.errors) or the RunResults keyed by runKey(scenario, variant)
 *  plus the learner's sources (for source assertions) and its module's kernel imports (for
 *  imports assertions). Called by engine/grade-submission.ts
 *  and the web app. */
export function gradeLesson(lesson: Lesson, input: GradeInput): Report {
  const max = sum(lesson.checks.map(c => c.points));
  if (!input.ok) {
    const msg = errorSummary(input.error);
    return {
      lesson: lesson.id, score: 0, max_score: max, status: "error",
      tests: lesson.checks.map(c => result(c, "error", msg, { kind: input.error.kind === "compile" ? "compile" : "error", message: msg })),
      errors: reportErrors(input.error),
    };
  }
  const tests: TestResult[] = [];
  const failedOn = new Map<string, Assertion>();     // check id -> its first assertion that failed
  for (const c of lesson.checks) {
    const blocker = (c.requires ?? []).map(id => tests.find(t => t.id === id)).find(t => t !== undefined && t.status !== "pass");
    tests.push(blocker
      ? { ...result(c, blocker.status, `Not graded until "${blocker.name}" passes.`,
                { kind: "blocked", message: `requires ${blocker.id}, which did not pass (${blocker.failure?.kind ?? blocker.status})` }),
          because: blocker.id }
      : gradeCheck(c, input.runs[runKey(c.scenario, c.variant)], input.sources, input.imports, failedOn));
  }
  attributeKills(lesson, input.runs, tests, failedOn);
  const score = sum(tests.map(t => t.score));
  return {
    lesson: lesson.id, score, max_score: max,
    status: tests.every(t => t.status === "pass") ? "pass" : "fail",
    tests, errors: [],
  };
}

function gradeCheck(c: Check, run: RunResult | EngineError | undefined, sources: Record<string, string>,
                    imports: readonly string[] | undefined, failedOn: Map<string, Assertion>): TestResult {
  if (run === undefined) {
    const msg = `scenario ${runKey(c.scenario, c.variant)} did not run`;
    return result(c, "error", msg, { kind: "error", message: msg });
  }
  if ("kind" in run) return result(c, "error", errorSummary(run), { kind: "error", message: errorSummary(run) });
  // an oops or a timeout is the whole story: the check's explanation would be about something else
  const o = run.oops;
  const where = o?.file ? ` at ${o.file}${o.line ? `:${o.line}:${o.column ?? 0}` : ""}` : "";
  const inStep = o === undefined || o.step < 0 ? "before the first step" : `in step ${o.step}`;
  if (run.status === "timeout") {
    const what = `${o?.message ?? "vvar_fault() did not return: an endless loop?"}${where}`;
    return result(c, "fail", `${what} (${inStep} of scenario ${c.scenario})`, { kind: "timeout", message: `${inStep}: ${what}` });
  }
  if (run.status === "oops") {
    const what = `${o?.message ?? "unknown"}${where}`;
    return result(c, "fail", `The kernel oopsed ${inStep} of scenario ${c.scenario}: ${what}`, { kind: "oops", message: `${inStep}: ${what}` });
  }
  for (const a of c.assert) {
    const why = evaluate(a, run, sources, imports);
    if (why !== null) { failedOn.set(c.id, a); return result(c, "fail", `${c.explain}\n(${why})`, { kind: "assertion", message: why }); }
  }
  return result(c, "pass", "");
}

/** The first task of `run` killed by a signal its step did not expect, or null. `text` says it
 *  in words: "app was killed by SIGBUS at step 1 (a fault on [vvar] pgoff 0 in clock_gettime)";
 *  `same` identifies the fault (signal and pgoff), to recognise it in another scenario. */
export function unexpectedKill(run: RunResult): { task: string; step: number; text: string; same: string } | null {
  const kills = Object.entries(run.tasks).filter(([, t]) => t.killed)
    .map(([task, t]) => ({ task, ...t.killed! })).sort((a, b) => a.step - b.step);
  for (const k of kills) {
    const st = run.steps[k.step];
    if (st?.failures.length === 0) continue;             // the step expected it (e.g. a read of a hole)
    const ev = run.trace.find(e => e.kind === "sigbus" && e.step === k.step && e.pgoff !== undefined);
    const where = ev ? ` (a fault on [vvar] pgoff ${ev.pgoff} in ${st?.op ?? "the step"})` : "";
    return { task: k.task, step: k.step, text: `${k.task} was killed by ${k.signal} at step ${k.step}${where}`,
             same: `${k.signal} pgoff ${ev?.pgoff ?? "?"}` };
  }
  return null;
}

// The kill of a task is the root cause of every failed check on its scenario. The check whose
// failing assertion covers the killing step keeps its explanation, led by what happened; every
// other failed check on that run, and every failed check on a later run where the same fault
// (signal, pgoff) killed a task, says it follows from the kill and names that check
// (`because`), instead of an explanation about something that never ran. Mutates `tests`.
function attributeKills(lesson: Lesson, runs: Record<string, RunResult | EngineError>, tests: TestResult[],
                        failedOn: Map<string, Assertion>): void {
  const byKey = new Map<string, number[]>();               // in check order
  lesson.checks.forEach((c, i) => {
    const t = tests[i];
    const on = failedOn.get(c.id);
    if (t.status !== "fail" || t.because !== undefined || !on || "source" in on || "imports" in on) return;
    const key = runKey(c.scenario, c.variant);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const roots = new Map<string, TestResult>();              // kill.same -> the check that explains it
  for (const [key, idx] of byKey) {
    const run = runs[key];
    if (!run || "kind" in run) continue;
    const kill = unexpectedKill(run);
    if (!kill) continue;
    const scenario = lesson.checks[idx[0]].scenario;
    const touches = (a: Assertion) => "steps_ok" in a
      ? (a.steps_ok === "all" || a.steps_ok.includes(kill.step))
      : "path" in a && a.path.startsWith(`steps.${kill.step}.`);
    let root = roots.get(kill.same);
    let rootAt = -1;
    if (!root) {
      rootAt = idx.find(i => touches(failedOn.get(lesson.checks[i].id)!)) ?? idx[0];
      root = tests[rootAt];
      root.message = `In scenario ${scenario}, ${kill.text}. ${root.message}`;
      roots.set(kill.same, root);
    }
    for (const i of idx) {
      if (i === rootAt) continue;
      const t = tests[i];
      const evidence = /\n(\([^\n]*\))$/.exec(t.message)?.[1] ?? "";
      t.message = `Because ${kill.text} in scenario ${scenario}: the same cause as "${root.name}"; fix that first.` +
        (evidence ? `\n${evidence}` : "");
      t.because = root.id;
    }
  }
}

function result(c: Check, status: TestResult["status"], message: string,
                failure?: { kind: FailureKind; message: string }): TestResult {
  const r: TestResult = {
    id: c.id, name: c.name, status, score: status === "pass" ? c.points : 0, max_score: c.points,
    message, visibility: c.visibility, scenario: c.scenario,
  };
  if (status !== "pass" && failure) r.failure = { kind: failure.kind, message: oneLine(failure.message) };
  return r;
}

// the first line of `s`, at most 500 characters
function oneLine(s: string): string {
  const line = s.split("\n", 1)[0];
  return line.length > 500 ? line.slice(0, 497) + "..." : line;
}

/** null when assertion `a` holds on `run`, else the evidence of why not (one line). `imports`:
 *  the kernel functions the learner's module imports (an imports assertion fails without them).
 *  Exported for tests and for the web app's per-assertion display. */
export function evaluate(a: Assertion, run: RunResult, sources: Record<string, string>,
                         imports?: readonly string[]): string | null {
  if ("steps_ok" in a) {
    const idx = a.steps_ok === "all" ? run.steps.map(s => s.index) : a.steps_ok;
    for (const i of idx) {
      const s = run.steps[i];
      if (s === undefined) return `step ${i} is missing from the result`;
      if (!s.ran) return `step ${i} (${s.op}${s.task ? ` by ${s.task}` : ""}) ${s.not_run ? `not run: ${s.not_run}` : "did not run"}`;
      if (!s.ok) return `step ${i} (${s.op}${s.task ? ` by ${s.task}` : ""}): ${s.failures.join("; ") || "failed"}`;
    }
    return null;
  }
  if ("source" in a) {
    const text = stripComments(sources[a.source] ?? "");
    if (a.absent !== undefined && wordIn(text, a.absent)) return `${a.source} still uses ${a.absent}`;
    if (a.present !== undefined && !wordIn(text, a.present)) return `${a.source} does not use ${a.present}`;
    return null;
  }
  if ("imports" in a) {
    if (imports === undefined) return "the compiled datastore was not available to check what it calls";
    if (a.absent !== undefined && imports.includes(a.absent)) return `the compiled datastore still calls the kernel's ${a.absent}()`;
    if (a.present !== undefined && !imports.includes(a.present)) return `the compiled datastore never uses the kernel's ${a.present}`;
    return null;
  }
  // a step that did not run satisfies nothing, whatever its (zero) deltas say
  const stepAt = /^steps\.(\d+)(\.|$)/.exec(a.path);
  const st = stepAt ? run.steps[Number(stepAt[1])] : undefined;
  if (st && !st.ran) return `${a.path}: step ${st.index} (${st.op}${st.task ? ` by ${st.task}` : ""}) ${st.not_run ? `not run: ${st.not_run}` : "did not run"}`;
  const got = lookup(run, a.path);
  if (got === undefined) return `${a.path}: expected ${expectation(a)}, got nothing (not in the result)`;
  return compare(got, a.op, a.value) ? null : `${a.path}: expected ${expectation(a)}, got ${show(got)}`;
}

const OP_WORDS: Record<AssertOp, string> = {
  eq: "", ne: "not", lt: "less than", le: "at most", gt: "more than", ge: "at least",
  contains: "to contain", not_contains: "not to contain", matches: "to match the pattern", not_matches: "not to match the pattern",
};

// what a path assertion wants, for people: its `describe`, or the operator in words
function expectation(a: Extract<Assertion, { path: string }>): string {
  if (a.describe) return a.describe;
  const v = a.op === "matches" || a.op === "not_matches" ? `/${String(a.value)}/` : JSON.stringify(a.value);
  return OP_WORDS[a.op] ? `${OP_WORDS[a.op]} ${v}` : v;
}

/** The value at a dotted path ("tasks.app.counters.faults", "steps.2.latency_ns.max") or undefined. */
export function lookup(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

function compare(got: unknown, op: string, want: unknown): boolean {
  switch (op) {
    case "eq": return got === want;
    case "ne": return got !== want;
    case "lt": return typeof got === "number" && got < (want as number);
    case "le": return typeof got === "number" && got <= (want as number);
    case "gt": return typeof got === "number" && got > (want as number);
    case "ge": return typeof got === "number" && got >= (want as number);
    case "contains": return contains(got, want);
    case "not_contains": return !contains(got, want);
    case "matches": return matches(got, String(want));
    case "not_matches": return !matches(got, String(want));
    default: return false;
  }
}

// a string containing the text, or an array with an element equal to it or (strings) containing it
function contains(got: unknown, want: unknown): boolean {
  if (typeof got === "string") return got.includes(String(want));
  if (Array.isArray(got)) return got.some(x => x === want || (typeof x === "string" && x.includes(String(want))));
  return false;
}

function matches(got: unknown, re: string): boolean {
  const r = new RegExp(re);
  if (typeof got === "string") return r.test(got);
  if (Array.isArray(got)) return got.some(x => typeof x === "string" && r.test(x));
  return false;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 160 ? s.slice(0, 157) + "..." : s;
}

// The source without // and /* */ comments (string contents are kept; good enough for names).
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
}

function wordIn(text: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_$])${word}([^A-Za-z0-9_$]|$)`).test(text);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** One line for an engine error: a compile error names the first diagnostic's file:line:col. */
export function errorSummary(e: EngineError): string {
  if (e.kind === "compile") {
    const d = e.diagnostics.find(x => x.severity === "error") ?? e.diagnostics[0];
    return d ? `did not compile: ${fmtDiag(d)}` : `did not compile: ${e.message}`;
  }
  if (e.kind === "invalid") return `${e.path}: ${e.message}`;
  return e.message;
}

function fmtDiag(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.code} ${d.message}`;
}

function reportErrors(e: EngineError): Report["errors"] {
  if (e.kind === "compile" && e.diagnostics.length > 0) {
    return e.diagnostics.filter(d => d.severity === "error")
      .map(d => ({ message: `${d.code} ${d.message}`, file: d.file, line: d.line, column: d.column }));
  }
  return [{ message: e.message }];
}
