// engine/scenario-gen-answer.ts: the answers of a practice problem (engine/scenario-gen.ts), read
// from a run of its scenario, and the marking of a learner's predictions against them.
//
//   QuizProblem + RunResult (the lesson's reference handler) ──quizAnswer()──► QuizAnswer
//   QuizAnswer + predictions ──markQuiz()──► right / wrong per field, with why
//
// The answers are what the kernel model did: each asked step's fault exceptions, ru_minflt and
// signal (the step's counter deltas), and why, in words, from the step's trace events (which
// pgoff faulted and what it mapped, the faults get_user_pages() took, what refused an access).
// Predictions are marked against the reference handler's run, so practice teaches the
// kernel's behaviour; a learner's own run is answered the same way and shown beside it
// (docs/practice.md). Pure.

import type { PageKind, RunResult, SignalName, StepResult, TraceEvent } from "./types.js";
import type { QuizProblem } from "./scenario-gen.js";

export type QuizSignal = SignalName | "none";
export type QuizField = "faults" | "minflt" | "signal";
export const QUIZ_FIELDS: readonly QuizField[] = ["faults", "minflt", "signal"];

export interface StepAnswer {
  index: number;
  /** user page-fault exceptions on [vvar] in the step (system-wide delta) */
  faults: number;
  /** ru_minflt added in the step: the exceptions plus the GUP faults that mapped a page */
  minflt: number;
  /** the signal the step delivered, or "none" */
  signal: QuizSignal;
  /** false when the step did not run (its task was killed earlier, or the run stopped) */
  ran: boolean;
  /** what the step returned, in words: "the time (correct)", "failed with EIO", "page: time data" */
  result: string;
  /** why these numbers, from the run's trace */
  why: string;
}

export interface QuizAnswer {
  lesson: string;
  seed: number;
  generator: number;
  /** "ok", or how the run ended early ("oops", "timeout") */
  status: RunResult["status"];
  /** the asked steps, in order */
  steps: StepAnswer[];
}

/** One step's predictions; a field left empty is null (and marked wrong). */
export interface Prediction { faults: number | null; minflt: number | null; signal: QuizSignal | null }

export interface FieldMark { field: QuizField; predicted: number | QuizSignal | null; expected: number | QuizSignal; right: boolean }
export interface StepMark { index: number; right: boolean; fields: FieldMark[]; why: string }
export interface QuizMarks { steps: StepMark[]; right: number; total: number }

const PAGE: Record<PageKind, string> = {
  time: "the time data", timens: "the namespace page", zero: "a zero-filled slot", rng: "the random state",
  arch: "the arch data", zero_page: "the shared ZERO_PAGE", other: "an unexpected page", anon: "a private anonymous copy",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The answers of `problem` from `run` (a run of problem.scenario). */
export function quizAnswer(problem: QuizProblem, run: RunResult): QuizAnswer {
  const steps: StepAnswer[] = [];
  for (const q of problem.steps) {
    if (!q.ask) continue;
    const r = run.steps[q.index];
    steps.push(answerOf(problem, run, q.index, r));
  }
  return { lesson: problem.lesson, seed: problem.seed, generator: problem.generator, status: run.status, steps };
}

function answerOf(problem: QuizProblem, run: RunResult, index: number, r: StepResult | undefined): StepAnswer {
  if (!r || !r.ran) {
    const why = r?.not_run ? `Not run: ${r.not_run}. A killed task does nothing more, so nothing faults.`
      : run.oops ? `Not run: the run stopped at step ${run.oops.step} (${run.oops.message}).` : "Not run.";
    return { index, faults: 0, minflt: 0, signal: "none", ran: false, result: "not run", why };
  }
  const step = problem.scenario.steps[index];
  const ev = run.trace.filter(e => e.step === index);
  const d = r.deltas;
  const parts: string[] = [];
  const stopped = run.oops && run.oops.step === index ? run.oops : undefined;
  if (stopped) parts.push(`The run stopped in this step: ${stopped.message}.`);

  // exceptions: which pgoff, and what the fault did
  const faults = ev.filter(e => e.kind === "fault");
  const mapped = (e: TraceEvent) => e.detail !== "failed";
  if (d.faults > 0) {
    const what = faults.map(e => mapped(e) ? `pgoff ${e.pgoff} had no PTE, and vvar_fault() mapped ${e.page ? PAGE[e.page] : "a page"}`
      : `pgoff ${e.pgoff} had no PTE, and vvar_fault() refused it`);
    parts.push(`${cap(plural(d.faults, "page-fault exception"))}: ${what.join("; ") || "on [vvar]"}.`);
  } else if (step.op === "clock_gettime" || step.op === "getrandom" || step.op === "read") {
    parts.push(d.syscall_fallbacks > 0 ? "No fault: the vDSO fell back to the system call." : "No fault: every [vvar] page it touched already had a PTE in its page tables.");
  } else {
    parts.push("No exception: this is the kernel's own work, not a user access that faults.");
  }
  // pages mapped without a fault of their own (a pre-insert next to the faulting page)
  const faulted = new Set(ev.filter(e => e.kind === "fault" || e.kind === "gup_fault").map(e => e.pgoff));
  const extra = ev.filter(e => e.kind === "map" && !faulted.has(e.pgoff));
  if (extra.length && (d.faults > 0 || d.gup_faults > 0)) {
    parts.push(`The same handler call also inserted ${extra.map(e => `pgoff ${e.pgoff} (${e.page ? PAGE[e.page] : "a page"})`).join(", ")}, so ${extra.length === 1 ? "that page does" : "those pages do"} not fault later.`);
  }
  // faults get_user_pages() took on the task's behalf
  const gup = ev.filter(e => e.kind === "gup_fault");
  const gupOk = gup.filter(mapped).length, gupFailed = gup.length - gupOk;
  if (gup.length) {
    const who = step.op === "remote_read" || step.op === "remote_write" ? `for ${step.task}'s access to ${step.target}` : "for the populate";
    parts.push(`get_user_pages() faulted ${gup.map(e => `pgoff ${e.pgoff}`).join(", ")} from inside the kernel ${who}` +
      (gupOk ? `; ${plural(gupOk, "fault")} mapped a page (counted in ru_minflt, not as exceptions)` : "") +
      (gupFailed ? `; ${plural(gupFailed, "fault")} ${gupFailed === 1 ? "was" : "were"} refused by vvar_fault() (not counted in ru_minflt)` : "") + ".");
  } else if (step.op === "mlockall" || step.op === "mlock" || step.op === "madvise_populate_read") {
    parts.push(populateNothing(run, step.task, step.op === "mlockall" ? step.flags : undefined));
  } else if ((step.op === "remote_read" || step.op === "remote_write") && r.errno) {
    parts.push(refusedBeforeFault(run, step.target, step.op === "remote_write", r.errno));
  }
  if (gupOk > 0) parts.push(`ru_minflt ${d.minflt} = ${plural(d.faults, "exception")} + ${plural(gupOk, "GUP fault")} that mapped a page.`);
  else if (d.faults > 0) {
    const refused = faults.filter(e => !mapped(e)).length;
    parts.push(d.minflt === d.faults ? `ru_minflt grows by the same ${d.minflt}: an exception that maps a page is a minor fault.`
      : `ru_minflt grows by ${d.minflt}: ${refused ? `${refused === 1 ? "an exception" : `${refused} exceptions`} that vvar_fault() refused ${refused === 1 ? "does" : "do"} not count` : "not every exception counted"}.`);
  }
  if (d.handler_calls > 0) parts.push(`vvar_fault() ran ${d.handler_calls === 1 ? "once" : `${d.handler_calls} times`}.`);
  if (r.signal) {
    const sig = ev.find(e => e.kind === "sigbus");
    parts.push(`${step.task} got ${r.signal}${sig?.pgoff !== undefined ? ` for pgoff ${sig.pgoff}` : ""}: a fatal signal, the kernel kills it.`);
  } else {
    parts.push("No signal.");
  }
  if (d.warns > 0) parts.push(`The kernel logged ${plural(d.warns, "WARN")}.`);
  return { index, faults: d.faults, minflt: d.minflt, signal: r.signal ?? "none", ran: true, result: resultWords(r), why: parts.join(" ") };
}

// why a populate took no fault at all
function populateNothing(run: RunResult, task: string, flags?: string[]): string {
  if (flags && !flags.includes("MCL_CURRENT")) return "mlockall() without MCL_CURRENT populates nothing that is mapped now.";
  const vm = run.tasks[task]?.vm_flags.split(" ") ?? [];
  if (vm.includes("io") || vm.includes("pf")) return `__mm_populate() skips [vvar]: check_vma_flags() refuses a ${vm.includes("io") ? "VM_IO" : "VM_PFNMAP"} mapping, so nothing is faulted in.`;
  return "get_user_pages() found every page already present: nothing to fault.";
}

// why a remote access failed before any fault
function refusedBeforeFault(run: RunResult, target: string, write: boolean, errno: string): string {
  const vm = run.tasks[target]?.vm_flags.split(" ") ?? [];
  if (vm.includes("io") || vm.includes("pf")) return `check_vma_flags() refuses get_user_pages() on a ${vm.includes("io") ? "VM_IO" : "VM_PFNMAP"} mapping: ${errno} before any fault.`;
  if (write && !vm.includes("mw")) return `[vvar] has no VM_MAYWRITE, so check_vma_flags() refuses even a FOLL_FORCE write: ${errno} before any fault.`;
  return `The access failed with ${errno} before any fault.`;
}

function resultWords(r: StepResult): string {
  const out: string[] = [];
  if (r.errno) out.push(`failed with ${r.errno}`);
  if (r.signal) out.push(`killed by ${r.signal}`);
  if (r.page) out.push(`read ${PAGE[r.page]}`);
  if (r.correct !== undefined && !r.signal) out.push(r.correct ? "correct" : "WRONG value");
  if (out.length === 0) out.push(r.ret !== undefined ? `returned ${r.ret}` : "done");
  return out.join(", ");
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Marks `predictions` (by step index) against `answer`. A missing step or field is wrong. */
export function markQuiz(answer: QuizAnswer, predictions: Record<number, Partial<Prediction> | undefined>): QuizMarks {
  let right = 0, total = 0;
  const steps = answer.steps.map(a => {
    const p = predictions[a.index] ?? {};
    const fields = QUIZ_FIELDS.map(f => {
      const predicted = p[f] ?? null;
      const expected = a[f];
      const ok = predicted !== null && predicted === expected;
      total++; if (ok) right++;
      return { field: f, predicted, expected, right: ok } as FieldMark;
    });
    return { index: a.index, right: fields.every(x => x.right), fields, why: a.why };
  });
  return { steps, right, total };
}

/** Predictions read from a file (`prefault quiz --predictions`): a JSON object keyed by the step
 *  numbers to predict, each `{ "faults": n, "minflt": n, "signal": "none" | "SIGBUS" | "SIGSEGV" }`;
 *  a field left out or null is not predicted (marked wrong), a step left out likewise. Anything
 *  else is refused with where it is wrong. */
export function parsePredictions(json: unknown, problem: QuizProblem):
    { ok: true; predictions: Record<number, Prediction> } | { ok: false; message: string } {
  const asked = problem.steps.filter(s => s.ask).map(s => s.index);
  if (!json || typeof json !== "object" || Array.isArray(json))
    return { ok: false, message: `expected an object keyed by the step numbers to predict (${asked.join(", ")}), e.g. {"${asked[0] ?? 1}": {"faults": 1, "minflt": 1, "signal": "none"}}` };
  const out: Record<number, Prediction> = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const index = /^(0|[1-9]\d*)$/.test(k) ? Number(k) : NaN;
    if (!asked.includes(index)) return { ok: false, message: `"${k}" is not a step to predict (the steps to predict: ${asked.join(", ")})` };
    if (!v || typeof v !== "object" || Array.isArray(v)) return { ok: false, message: `step ${k}: expected {"faults": n, "minflt": n, "signal": "..."}` };
    const o = v as Record<string, unknown>;
    const extra = Object.keys(o).filter(f => !(QUIZ_FIELDS as readonly string[]).includes(f));
    if (extra.length) return { ok: false, message: `step ${k}: unknown field "${extra[0]}" (the fields: ${QUIZ_FIELDS.join(", ")})` };
    const count = (f: "faults" | "minflt"): number | null | string => {
      const x = o[f];
      if (x === undefined || x === null) return null;
      return typeof x === "number" && Number.isSafeInteger(x) && x >= 0 ? x : `step ${k}: ${f} must be a whole number 0 or more (got ${JSON.stringify(x)})`;
    };
    const faults = count("faults"), minflt = count("minflt");
    if (typeof faults === "string") return { ok: false, message: faults };
    if (typeof minflt === "string") return { ok: false, message: minflt };
    const sig = o.signal;
    if (sig !== undefined && sig !== null && !(["none", "SIGBUS", "SIGSEGV"] as unknown[]).includes(sig))
      return { ok: false, message: `step ${k}: signal must be "none", "SIGBUS" or "SIGSEGV" (got ${JSON.stringify(sig)})` };
    out[index] = { faults, minflt, signal: (sig ?? null) as QuizSignal | null };
  }
  return { ok: true, predictions: out };
}

/** Where two answers of the same step differ (the learner's handler against the reference):
 *  the predicted fields, then "result" when the step returned something else (a wrong time,
 *  another page, an errno), e.g. ["faults", "signal"] or ["result"]. */
export function answerDiff(ref: StepAnswer, mine: StepAnswer): (QuizField | "result")[] {
  const out: (QuizField | "result")[] = QUIZ_FIELDS.filter(f => ref[f] !== mine[f]);
  if (ref.result !== mine.result) out.push("result");
  return out;
}
