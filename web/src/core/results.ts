// results.ts: view models for the results pane, from the engine's Report and RunResults.
//
// Pure: everything the DOM layer (web/src/ui/results-view.ts) draws is computed here, so it is
// unit-tested under node. Input types are the engine contracts (engine/types.ts).
import type { Counters, PageKind, Report, RunResult, TaskState, TraceEvent } from "../../../engine/types.js";

export interface CheckRow {
  id: string;
  name: string;
  passed: boolean;
  /** "passed" | "failed" | "error": the word the row says, for people and screen readers */
  word: "passed" | "failed" | "error";
  score: number;
  max_score: number;
  /** teaching explanation (empty when passed) */
  message: string;
  scenario?: string;
}

/** One row per check, in report order. */
export function checkRows(report: Report): CheckRow[] {
  return report.tests.map(t => ({
    id: t.id, name: t.name, passed: t.status === "pass",
    word: t.status === "pass" ? "passed" : t.status === "error" ? "error" : "failed",
    score: t.score, max_score: t.max_score, message: t.message, scenario: t.scenario,
  }));
}

/** "3 of 5 checks passed, 60 / 100 points" */
export function summaryLine(report: Report): string {
  const passed = report.tests.filter(t => t.status === "pass").length;
  return `${passed} of ${report.tests.length} checks passed, ${fmtNum(report.score)} / ${fmtNum(report.max_score)} points`;
}

function fmtNum(n: number): string { return Number.isInteger(n) ? String(n) : n.toFixed(1); }

/** The datastore slot a [vvar] pgoff names (enum vdso_pages), for strip labels. */
export function slotName(pgoff: number): string {
  if (pgoff === 0) return "time data";
  if (pgoff === 1) return "timens";
  if (pgoff === 2) return "rng";
  return `arch ${pgoff - 3}`;
}

const PAGE_LABEL: Record<PageKind, string> = {
  time: "time data", timens: "namespace page", zero: "zero slot", rng: "rng", arch: "arch",
  zero_page: "ZERO_PAGE", other: "other", anon: "private copy (anon)",
};

export interface StripCell { pgoff: number; slot: string; present: boolean; page: PageKind | null; label: string }
export interface Strip { task: string; pid: number; alive: boolean; ns: string; vm_flags: string; cells: StripCell[] }

/** One strip of pages per task: what each pgoff of [vvar] maps at the end of the scenario. */
export function vvarStrips(run: RunResult): Strip[] {
  return Object.entries(run.tasks).map(([task, t]: [string, TaskState]) => ({
    task, pid: t.pid, alive: t.alive, ns: t.ns, vm_flags: t.vm_flags,
    cells: t.vvar.map(p => ({
      pgoff: p.pgoff, slot: slotName(p.pgoff), present: p.present, page: p.page,
      label: `pgoff ${p.pgoff} (${slotName(p.pgoff)}): ` +
        (p.present && p.page ? `maps ${PAGE_LABEL[p.page]}` : "not present"),
    })),
  }));
}

/** `slot`: the call's position in order (0, 1, ...); markers sit between calls (slot - 0.5). */
/** `fault_event`: the RunResult.trace index of the fault a faulted call took (the step-through
 *  opens at it). */
export interface TimelinePoint { slot: number; t_ns: number; latency_ns: number; faulted: boolean; task: string; step: number; pgoff?: number; fault_event?: number }
export interface TimelineMarker { slot: number; t_ns: number; label: string; kind: TraceEvent["kind"]; step: number; task: string }
export interface Timeline {
  points: TimelinePoint[];
  markers: TimelineMarker[];
  t_min: number; t_max: number; max_latency_ns: number;
  /** vDSO calls made in all (a step's repeat makes many; the points are the first call of each
   *  step and every call that faulted) */
  calls: number;
  /** calls that took a fault, and those of them made by a task in a step after that task's
   *  own mlockall() and before its munlockall() or exec() (a fault of another task, one that
   *  never called mlockall(), is not one: mlockall() locks the caller's memory only, a child
   *  does not inherit it, and munlockall() and execve() end it: mlockall(2)) */
  fault_calls: number;
  faults_after_mlockall: number;
  /** each span in which a task's memory was locked, in step order (empty: no task called
   *  mlockall()): from the step of its mlockall() (the first, when it called it again while
   *  locked) to the step of the munlockall() or exec() that ended it (`until`, with `by` naming
   *  which), or to the end of the run */
  mlockall_tasks: MlockSpan[];
  dropped: number;
}

/** A span of steps in which `task`'s memory was locked by its mlockall() (Timeline.mlockall_tasks). */
export interface MlockSpan { task: string; step: number; until?: number; by?: "munlockall" | "exec" }

const MARKER_KINDS = new Set<TraceEvent["kind"]>(["mlockall", "populate", "fork", "exec", "setns", "sigbus", "warn", "bug", "oops"]);

/** The fault timeline of a run: the latency of every vDSO call (spikes where a call took a
 *  fault), and markers for mlockall() and other events worth seeing. A fault event that
 *  precedes a vdso_call of the same task and step marks that call as faulted. */
export function timeline(run: RunResult): Timeline {
  const points: TimelinePoint[] = [];
  const markers: TimelineMarker[] = [];
  const pendingFault = new Map<string, number>();          // task -> pgoff of a fault not yet paired
  const pendingEvent = new Map<string, number>();          // task -> the trace index of that fault
  for (const [index, e] of run.trace.entries()) {
    if (e.kind === "fault") {
      pendingFault.set(e.task, e.pgoff ?? -1);
      if (!pendingEvent.has(e.task)) pendingEvent.set(e.task, index);   // the call's first fault
    }
    else if (e.kind === "vdso_call") {
      const lat = e.latency_ns ?? 0;
      const faulted = pendingFault.has(e.task);
      const pgoff = pendingFault.get(e.task);
      const fault_event = pendingEvent.get(e.task);
      pendingFault.delete(e.task);
      pendingEvent.delete(e.task);
      points.push({ slot: points.length, t_ns: e.t_ns, latency_ns: lat, faulted, task: e.task, step: e.step,
                    ...(faulted && pgoff !== undefined && pgoff >= 0 ? { pgoff } : {}),
                    ...(faulted && fault_event !== undefined ? { fault_event } : {}) });
    }
    if (MARKER_KINDS.has(e.kind)) {
      const last = markers[markers.length - 1];
      const label = e.kind === "mlockall" ? "mlockall()" : e.kind + (e.detail ? `: ${e.detail}` : "");
      if (last && last.slot === points.length - 0.5 && last.label === label) continue;   // one marker per burst
      markers.push({ slot: points.length - 0.5, t_ns: e.t_ns, kind: e.kind, label, step: e.step, task: e.task });
    }
  }
  // each mlockall() that found its task unlocked starts a span, which the task's next
  // munlockall() or exec() (a new mm) that ran ends; the trace is in step order
  const unlocks = run.steps.filter(s => s.ran && s.task && (s.op === "munlockall" || s.op === "exec"));
  const mlockall_tasks: MlockSpan[] = [];
  for (const e of run.trace) {
    if (e.kind !== "mlockall") continue;
    if (mlockall_tasks.some(s => s.task === e.task && (s.until === undefined || e.step < s.until))) continue;   // already locked
    const end = unlocks.find(s => s.task === e.task && s.index > e.step);
    mlockall_tasks.push({ task: e.task, step: e.step, ...(end ? { until: end.index, by: end.op as "munlockall" | "exec" } : {}) });
  }
  const afterOwnMlock = (p: TimelinePoint) => mlockall_tasks.some(s => s.task === p.task && p.step > s.step && (s.until === undefined || p.step < s.until));
  const ts = [...points.map(p => p.t_ns), ...markers.map(m => m.t_ns)];
  return {
    points, markers,
    t_min: ts.length ? Math.min(...ts) : 0,
    t_max: ts.length ? Math.max(...ts) : 0,
    max_latency_ns: points.reduce((m, p) => Math.max(m, p.latency_ns), 0),
    calls: run.steps.reduce((n, st) => n + (st.ran ? st.calls ?? 0 : 0), 0),
    fault_calls: points.filter(p => p.faulted).length,
    faults_after_mlockall: points.filter(p => p.faulted && afterOwnMlock(p)).length,
    mlockall_tasks,
    dropped: run.trace_dropped,
  };
}

/** What the count of faults after mlockall() counts: "in a task after its own mlockall() (rt:
 *  step 1; b: step 6 until its exec() at step 7)". A fault of a task that never called
 *  mlockall(), or one after its munlockall() or exec(), is not one of them. */
export function mlockWords(t: Timeline): string {
  const span = (m: MlockSpan) => `${m.task}: step ${m.step}` + (m.until !== undefined ? ` until its ${m.by}() at step ${m.until}` : "");
  return `in a task after its own mlockall() (${t.mlockall_tasks.map(span).join("; ")})`;
}

export interface CounterRow { task: string; counters: Counters }
const COUNTER_LABELS: [keyof Counters, string][] = [
  ["faults", "page-fault exceptions"], ["minflt", "ru_minflt"], ["handler_calls", "vvar_fault() calls"],
  ["gup_faults", "GUP faults"], ["sigbus", "SIGBUS"], ["warns", "WARN"], ["bugs", "BUG"],
  ["syscall_fallbacks", "syscall fallbacks"],
];

/** Counter table: one row per task, columns labelled for people. */
export function counterTable(run: RunResult): { columns: { key: keyof Counters; label: string }[]; rows: CounterRow[] } {
  return {
    columns: COUNTER_LABELS.map(([key, label]) => ({ key, label })),
    rows: Object.entries(run.tasks).map(([task, t]) => ({ task, counters: t.counters })),
  };
}

/** "1.2 µs", "20 µs", "85 ns" */
export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e7 ? 0 : 1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 1e4 ? 0 : 1)} µs`;
  return `${Math.round(ns)} ns`;
}

/** The latency axis of a timeline: a log10 scale from 0 up to `top`, the first power of ten at
 *  or above the slowest call (at least 10 ns), with a tick at 0 and at each power of ten from
 *  10 ns to `top`, so that a reader can tell 50 ns from 20 µs from 1 ms. */
export function latencyAxis(maxLatencyNs: number): { top: number; ticks: number[] } {
  const decades = Math.max(1, Math.ceil(Math.log10(Math.max(1, maxLatencyNs)) - 1e-9));
  const ticks = [0];
  for (let k = 1; k <= decades; k++) ticks.push(10 ** k);
  return { top: 10 ** decades, ticks };
}

/** A task killed by a signal: who, by what, in which step (and the op of that step). */
export interface Death { task: string; signal: string; step: number; op: string; pgoff?: number }

/** The tasks of a run that a signal killed, in step order. */
export function deaths(run: RunResult): Death[] {
  return Object.entries(run.tasks).filter(([, t]) => t.killed)
    .map(([task, t]) => {
      const ev = run.trace.find(e => e.kind === "sigbus" && e.step === t.killed!.step && e.pgoff !== undefined);
      return { task, signal: t.killed!.signal, step: t.killed!.step, op: run.steps[t.killed!.step]?.op ?? "?",
               ...(ev?.pgoff !== undefined ? { pgoff: ev.pgoff } : {}) };
    })
    .sort((a, b) => a.step - b.step);
}

/** One row per step for the step list: what it did, how it went, in words. */
export interface StepRow {
  index: number; op: string; task?: string;
  state: "ok" | "failed" | "killed" | "not run";
  /** "not run: app was killed by SIGBUS at step 1", the unmet expectations, or "" */
  text: string;
}

/** The steps of a run as rows: a step whose signal killed its task is "killed", a step of a dead
 *  task (or after an oops) is "not run" with the reason. */
export function stepRows(run: RunResult): StepRow[] {
  const killedAt = new Map(deaths(run).map(d => [d.step, d]));
  return run.steps.map(st => {
    const base = { index: st.index, op: st.op, ...(st.task ? { task: st.task } : {}) };
    if (!st.ran) {
      const hung = run.status === "timeout" && run.oops?.step === st.index;
      return { ...base, state: "not run" as const, text: hung ? "did not return" : `not run: ${st.not_run ?? (run.status === "timeout" ? "an earlier step did not return" : "an earlier step oopsed")}` };
    }
    const d = killedAt.get(st.index);
    const unmet = st.failures.join("; ");
    if (d) return { ...base, state: "killed" as const, text: `${d.task} killed by ${d.signal}${d.pgoff !== undefined ? ` (a fault on [vvar] pgoff ${d.pgoff})` : ""}${unmet ? `; ${unmet}` : ""}` };
    return { ...base, state: st.ok ? "ok" as const : "failed" as const, text: unmet };
  });
}
