// engine/compare.ts: two runs of the same scenario side by side, step by step: the learner's
// handler (left) and a Linux stage (right). Pure: two RunResults in, a per-step diff out. The
// CLI's printer (engine/compare-text.ts, `prefault run --compare STAGE`) and the browser's view
// (web/src/ui/compare-view.ts) both draw this record's cells, so they cannot disagree.
//
// What is compared, per step (the contract: faults, minflt, signal, page, WARN/BUG,
// correct, plus what the step returned): each value is turned into the text both views show,
// and two values differ when their texts differ. At the end: each task's [vvar] VmFlags, its
// page table and whether it was killed.

import type { ErrnoName, PageKind, RunResult, Scenario, SignalName, StepResult, TaskState } from "./types.js";
import { describeStep } from "./runner-trace.js";

/** The per-step fields, in the order both views show them. */
export type CompareField = "result" | "faults" | "minflt" | "signal" | "page" | "warns" | "bugs" | "correct";
export const COMPARE_FIELDS: readonly { key: CompareField; label: string; title: string }[] = [
  { key: "result", label: "result", title: "what the step returned: its return value, -errno, or that it did not run" },
  { key: "faults", label: "faults", title: "user page-fault exceptions on [vvar] (about 20 µs each)" },
  { key: "minflt", label: "minflt", title: "ru_minflt: exceptions plus faults taken inside the kernel (populate, GUP)" },
  { key: "signal", label: "signal", title: "the signal the step delivered" },
  { key: "page", label: "page", title: "what a read of [vvar] found" },
  { key: "warns", label: "WARN", title: "WARN splats in the kernel log" },
  { key: "bugs", label: "BUG", title: "BUG splats in the kernel log" },
  { key: "correct", label: "correct", title: "whether the vDSO returned the right time (or random bytes)" },
];

/** What "no value" looks like in every view. */
export const NONE = "-";

/** What one side did in one step. Null: the value does not apply (the step did not run, or it
 *  is not a read / a vDSO call). */
export interface StepValues {
  /** "ran"; "not run" (an earlier oops or lockup, or the task was killed); "hung" (the handler
   *  never returned in this step); "oops" (the handler trapped in this step) */
  state: "ran" | "not run" | "hung" | "oops";
  not_run?: string;
  ret?: number;
  errno?: ErrnoName | null;
  faults: number | null;
  minflt: number | null;
  signal: SignalName | null;
  /** with a signal, its si_code ("BUS_ADRERR"); in the record only: the signal cell names the signal */
  si_code?: string | null;
  page: PageKind | null;
  warns: number | null;
  bugs: number | null;
  correct: boolean | null;
}

/** One field of one step: the text each side shows, and whether they differ. */
export interface FieldCell { left: string; right: string; differs: boolean }

export interface StepDiff {
  index: number;
  op: string;
  task?: string;
  /** what the step asked for, e.g. "mlockall rt MCL_CURRENT|MCL_FUTURE" */
  what: string;
  left: StepValues;
  right: StepValues;
  cells: Record<CompareField, FieldCell>;
  /** the fields whose cells differ, in COMPARE_FIELDS order; empty when the step is the same */
  differs: CompareField[];
}

export type TaskField = "vm_flags" | "vvar" | "killed";
export const TASK_FIELDS: readonly { key: TaskField; label: string }[] = [
  { key: "vm_flags", label: "VmFlags" }, { key: "vvar", label: "[vvar] pages" }, { key: "killed", label: "killed" },
];

/** One task at the end of the scenario, on both sides. */
export interface TaskDiff {
  task: string;
  cells: Record<TaskField, FieldCell>;
  differs: TaskField[];
}

export interface SideSummary { label: string; status: RunResult["status"]; ok: boolean; oops?: string }

/** One scenario, compared. */
export interface ScenarioComparison {
  scenario: string;
  left: SideSummary;
  right: SideSummary;
  steps: StepDiff[];
  tasks: TaskDiff[];
  /** the indexes of the steps that differ */
  differing_steps: number[];
  /** how many steps differ in each field (only fields that differ somewhere); a step that ran on
   *  one side only counts under "result" alone */
  field_counts: Partial<Record<CompareField, number>>;
  /** no step and no task differs */
  same: boolean;
  /** one line, e.g. "2 of 6 steps differ (faults in 1, minflt in 2)" */
  headline: string;
}

/** Several scenarios, compared: what `prefault run --compare --json` prints and the browser draws. */
export interface Comparison {
  left: string;
  right: string;
  scenarios: ScenarioComparison[];
  same: boolean;
  headline: string;
}

/** The values of step `r` (or of a step that is missing from a run cut short) of `run`. */
export function stepValues(run: RunResult, r: StepResult | undefined): StepValues {
  const stopped = run.status !== "ok" && run.oops?.step === r?.index;
  const state: StepValues["state"] = !r ? "not run" : stopped ? (run.status === "timeout" ? "hung" : "oops") : r.ran ? "ran" : "not run";
  const ran = state !== "not run";
  const v: StepValues = {
    state,
    faults: ran && r ? r.deltas.faults : null,
    minflt: ran && r ? r.deltas.minflt : null,
    signal: ran && r ? r.signal ?? null : null,
    page: ran && r ? r.page ?? null : null,
    warns: ran && r ? r.deltas.warns : null,
    bugs: ran && r ? r.deltas.bugs : null,
    correct: ran && r && r.correct !== undefined ? r.correct : null,
  };
  if (state === "not run") v.not_run = r?.not_run ?? (run.oops ? `the scenario stopped at step ${run.oops.step}` : "not run");
  if (ran && r?.signal && r.si_code !== undefined) v.si_code = r.si_code;
  if (ran && r?.ret !== undefined) v.ret = r.ret;
  if (ran && r?.errno !== undefined) v.errno = r.errno;
  return v;
}

/** The text a field shows for one side's values: the same in the terminal and the browser. */
export function fieldText(field: CompareField, v: StepValues): string {
  if (field === "result") {
    if (v.state === "not run") return "not run";
    if (v.state === "hung") return "hung";
    if (v.state === "oops") return "oops";
    if (v.errno) return `-${v.errno}`;
    return v.ret === undefined ? NONE : String(v.ret);
  }
  const x = v[field];
  if (x === null) return NONE;
  if (typeof x === "boolean") return x ? "yes" : "no";
  return String(x);
}

function cell(left: string, right: string): FieldCell { return { left, right, differs: left !== right }; }

/** "0 time, 1 zero, 2 rng, 3 -": which page each [vvar] pgoff maps ("-" not present). */
export function vvarText(t: TaskState): string {
  if (t.vvar.length === 0) return "no [vvar]";
  return t.vvar.map(p => `${p.pgoff} ${p.present ? p.page ?? "?" : NONE}`).join(", ");
}

function taskTexts(t: TaskState | undefined): Record<TaskField, string> {
  if (!t) return { vm_flags: NONE, vvar: NONE, killed: NONE };
  return { vm_flags: t.vm_flags || NONE, vvar: vvarText(t), killed: t.killed ? `${t.killed.signal} at step ${t.killed.step}` : "no" };
}

function side(label: string, run: RunResult): SideSummary {
  const s: SideSummary = { label, status: run.status, ok: run.ok };
  if (run.oops) s.oops = run.oops.message;
  return s;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Compares `left` and `right`, two runs of one scenario (`scenario`, when given, names each
 *  step's arguments). Panics when they are runs of different scenarios: a caller's bug. */
export function compareRuns(left: RunResult, right: RunResult, labels: { left: string; right: string },
                            scenario?: Scenario): ScenarioComparison {
  if (left.scenario !== right.scenario) throw new Error(`compareRuns: runs of different scenarios (${left.scenario}, ${right.scenario})`);
  const n = Math.max(left.steps.length, right.steps.length, scenario?.steps.length ?? 0);
  const steps: StepDiff[] = [];
  for (let i = 0; i < n; i++) {
    const a = left.steps.find(s => s.index === i), b = right.steps.find(s => s.index === i);
    const l = stepValues(left, a), r = stepValues(right, b);
    const cells = {} as Record<CompareField, FieldCell>;
    for (const f of COMPARE_FIELDS) cells[f.key] = cell(fieldText(f.key, l), fieldText(f.key, r));
    const base = a ?? b ?? { index: i, op: scenario?.steps[i]?.op ?? "?", task: scenario?.steps[i]?.task, ran: false, deltas: zeroDeltas(), ok: false, failures: [] };
    steps.push({ index: i, op: base.op, ...(base.task !== undefined ? { task: base.task } : {}), what: describeStep(scenario?.steps[i], base),
                 left: l, right: r, cells, differs: COMPARE_FIELDS.filter(f => cells[f.key].differs).map(f => f.key) });
  }
  const names = [...Object.keys(left.tasks), ...Object.keys(right.tasks).filter(t => !Object.hasOwn(left.tasks, t))];
  const tasks: TaskDiff[] = names.map(task => {
    const a = taskTexts(left.tasks[task]), b = taskTexts(right.tasks[task]);
    const cells = {} as Record<TaskField, FieldCell>;
    for (const f of TASK_FIELDS) cells[f.key] = cell(a[f.key], b[f.key]);
    return { task, cells, differs: TASK_FIELDS.filter(f => cells[f.key].differs).map(f => f.key) };
  });
  const differing = steps.filter(s => s.differs.length > 0).map(s => s.index);
  // a step that ran on one side only differs in every field; the counts say so once, as "result"
  const counts: Partial<Record<CompareField, number>> = {};
  for (const s of steps) {
    const oneSided = (s.left.state === "not run") !== (s.right.state === "not run");
    for (const f of oneSided ? s.differs.filter(f => f === "result") : s.differs) counts[f] = (counts[f] ?? 0) + 1;
  }
  const taskDiffs = tasks.filter(t => t.differs.length > 0).length;
  const same = differing.length === 0 && taskDiffs === 0;
  const byField = COMPARE_FIELDS.filter(f => counts[f.key]).map(f => `${f.label} in ${counts[f.key]}`).join(", ");
  const headline = same ? `the same in all ${plural(steps.length, "step")}`
    : [differing.length ? `${differing.length} of ${plural(steps.length, "step")} differ${differing.length === 1 ? "s" : ""} (${byField})` : `every step the same`,
       taskDiffs ? `the end state of ${plural(taskDiffs, "task")} differs` : ""].filter(Boolean).join("; ");
  return { scenario: left.scenario, left: side(labels.left, left), right: side(labels.right, right), steps, tasks,
           differing_steps: differing, field_counts: counts, same, headline };
}

/** Compares two lists of runs of the same scenarios, paired by scenario name in `left`'s order.
 *  `scenarios` (optional) names each step's arguments. Panics when a scenario has no partner. */
export function compareRunSets(labels: { left: string; right: string }, left: RunResult[], right: RunResult[],
                               scenarios: Scenario[] = []): Comparison {
  const out = left.map(a => {
    const b = right.find(x => x.scenario === a.scenario);
    if (!b) throw new Error(`compareRunSets: no run of ${a.scenario} on the right`);
    return compareRuns(a, b, labels, scenarios.find(s => s.name === a.scenario));
  });
  const differ = out.filter(s => !s.same).length;
  return { left: labels.left, right: labels.right, scenarios: out, same: differ === 0,
           headline: differ === 0 ? `${labels.left} and ${labels.right} behave the same in ${plural(out.length, "scenario")}`
             : `${labels.left} and ${labels.right} differ in ${differ} of ${plural(out.length, "scenario")}` };
}

function zeroDeltas() { return { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 }; }
