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
import type { Assertion, Check, Lesson } from "./lesson.js";
import { runKey } from "./lesson.js";

export type GradeInput =
  | { ok: false; error: EngineError }
  | { ok: true; runs: Record<string, RunResult | EngineError>; sources: Record<string, string> };

/** Grades one submission. `input` is either the error that stopped everything (a compile error:
 *  its diagnostics become Report.errors) or the RunResults keyed by runKey(scenario, variant)
 *  plus the learner's sources (for source assertions). Called by engine/grade-submission.ts
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
  for (const c of lesson.checks) {
    const blocker = (c.requires ?? []).map(id => tests.find(t => t.id === id)).find(t => t !== undefined && t.status !== "pass");
    tests.push(blocker
      ? result(c, blocker.status, `Not graded until "${blocker.name}" passes.`,
               { kind: "blocked", message: `requires ${blocker.id}, which did not pass (${blocker.failure?.kind ?? blocker.status})` })
      : gradeCheck(c, input.runs[runKey(c.scenario, c.variant)], input.sources));
  }
  const score = sum(tests.map(t => t.score));
  return {
    lesson: lesson.id, score, max_score: max,
    status: tests.every(t => t.status === "pass") ? "pass" : "fail",
    tests, errors: [],
  };
}

function gradeCheck(c: Check, run: RunResult | EngineError | undefined, sources: Record<string, string>): TestResult {
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
    const why = evaluate(a, run, sources);
    if (why !== null) return result(c, "fail", `${c.explain}\n(${why})`, { kind: "assertion", message: why });
  }
  return result(c, "pass", "");
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

/** null when assertion `a` holds on `run`, else the evidence of why not (one line).
 *  Exported for tests and for the web app's per-assertion display. */
export function evaluate(a: Assertion, run: RunResult, sources: Record<string, string>): string | null {
  if ("steps_ok" in a) {
    const idx = a.steps_ok === "all" ? run.steps.map(s => s.index) : a.steps_ok;
    for (const i of idx) {
      const s = run.steps[i];
      if (s === undefined) return `step ${i} is missing from the result`;
      if (!s.ran) return `step ${i} (${s.op}) did not run`;
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
  const got = lookup(run, a.path);
  if (got === undefined) return `${a.path}: expected ${a.op} ${JSON.stringify(a.value)}, got nothing (not in the result)`;
  return compare(got, a.op, a.value) ? null : `${a.path}: expected ${a.op} ${JSON.stringify(a.value)}, got ${show(got)}`;
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
