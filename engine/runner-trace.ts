// engine/runner-trace.ts: a RunResult as readable lines, one per step (what happened, faults,
// latency, unmet expectations), then the oops and the kernel log. Pure; used by `prefault run`
// and usable by any text view.

import type { Counters, RunResult, Scenario, Step, StepResult } from "./types.js";

const COUNTER_LABELS: [keyof Counters, string][] = [
  ["faults", "faults"], ["minflt", "minflt"], ["handler_calls", "handler"], ["gup_faults", "gup"],
  ["sigbus", "SIGBUS"], ["warns", "WARN"], ["bugs", "BUG"], ["syscall_fallbacks", "syscall"],
];

/** "1.2 µs", "20 µs", "35 ns", "1.5 ms": a simulated duration. The micro sign as everywhere
 *  else a learner reads one (the browser, `prefault probe`, the costs: engine/costs.ts). */
export function formatNs(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)} µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)} ms`;
  return `${trim(ns / 1e9)} s`;
}

function trim(x: number): string { return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10); }

/** What the step asked for, e.g. "mlockall rt MCL_CURRENT|MCL_FUTURE" (`step`: the scenario's
 *  step, for its arguments). Pure; also the step-through's heading (engine/explain.ts). */
export function describeStep(step: Step | undefined, r: Pick<StepResult, "op" | "task">): string {
  const s = (step ?? { op: r.op, task: r.task ?? "" }) as Step & Record<string, unknown>;
  const parts: string[] = [r.op];
  if (s.task) parts.push(String(s.task));
  switch (s.op) {
    case "thread": if (s.thread) parts.push(`-> ${s.thread}`); break;
    case "unshare_timens": parts.push(`ns=${s.ns}`); break;
    case "setns": parts.push(`ns=${s.ns}`); break;
    case "fork": case "vfork_exec": parts.push(`-> ${s.child}`); break;
    case "mlockall": parts.push(s.flags.length ? s.flags.join("|") : "0"); break;
    case "mlock": case "madvise_populate_read": parts.push(`pgoff ${s.pgoff}+${s.pages}`); break;
    case "clock_gettime": parts.push(s.clock + (s.repeat && s.repeat > 1 ? ` x${s.repeat}` : "")); break;
    case "getrandom": if (s.repeat && s.repeat > 1) parts.push(`x${s.repeat}`); break;
    case "read": parts.push(`pgoff ${s.pgoff}`); break;
    case "remote_read": case "remote_write": parts.push(`${s.target} pgoff ${s.pgoff} via ${s.via}`); break;
    case "tick": parts.push(formatNs(s.ns)); break;
  }
  return parts.join(" ");
}

// what came out of the step, e.g. "ret 0; faults 1, handler 1; latency max 20 µs"
function outcome(r: StepResult): string {
  const out: string[] = [];
  const res: string[] = [];
  if (r.errno) res.push(`-${r.errno}`); else if (r.ret !== undefined) res.push(`ret ${r.ret}`);
  if (r.signal) res.push(r.si_code ? `${r.signal} (${r.si_code})` : r.signal);
  if (r.page) res.push(`page ${r.page}`);
  if (r.value !== undefined) res.push(`value ${r.value}`);
  if (r.correct !== undefined) res.push(r.correct ? "correct" : "WRONG");
  if (r.smaps) res.push(`VmFlags: ${r.smaps.vm_flags}; Rss ${r.smaps.rss_kb} kB; Locked ${r.smaps.locked_kb} kB`);
  if (res.length) out.push(res.join(", "));
  const counters = COUNTER_LABELS.filter(([k]) => r.deltas && r.deltas[k] !== 0).map(([k, l]) => `${l} ${r.deltas[k]}`);
  if (counters.length) out.push(counters.join(", "));
  if (r.latency_ns && (r.calls ?? 0) > 0) {
    out.push(`${r.calls} call${r.calls === 1 ? "" : "s"}, latency max ${formatNs(r.latency_ns.max)}, total ${formatNs(r.latency_ns.total)}`);
  }
  return out.join("; ");
}

// "; app killed by SIGBUS" when step r's signal killed a task of the run, else ""
function killedIn(result: RunResult, r: StepResult): string {
  const dead = Object.entries(result.tasks).filter(([, t]) => t.killed?.step === r.index);
  return dead.map(([name, t]) => `; ${name} killed by ${t.killed!.signal}`).join("");
}

/** The trace of `result` as lines of text. `scenario` (optional) adds the step arguments. */
export function formatRunResult(result: RunResult, scenario?: Scenario): string[] {
  const lines: string[] = [];
  const width = String(Math.max(0, result.steps.length - 1)).length;
  for (const r of result.steps) {
    const step = scenario?.steps[r.index];
    // the step a handler never returned in (a soft lockup, or the backstop's stop)
    const hung = result.status === "timeout" && result.oops?.step === r.index;
    const mark = hung ? "HUNG" : !r.ran ? "-" : r.ok ? "ok" : "FAIL";
    const what = describeStep(step, r);
    const got = hung ? "did not return (see below)" : r.ran ? outcome(r) + killedIn(result, r) : r.not_run ? `not run: ${r.not_run}` : "(not run)";
    lines.push(`${String(r.index).padStart(width)} ${mark.padEnd(4)} ${what}${got ? `: ${got}` : ""}`);
    for (const f of r.failures) if (!r.not_run || f !== `not run: ${r.not_run}`) lines.push(`${" ".repeat(width)}      unmet: ${f}`);
    if (r.ran && !r.ok && step?.note) lines.push(`${" ".repeat(width)}      note: ${step.note}`);
  }
  if (result.oops) {
    const o = result.oops;
    const where = o.file ? ` at ${o.file}:${o.line ?? 0}:${o.column ?? 0}` : "";
    const step = o.step >= 0 ? ` (step ${o.step})` : "";
    lines.push(`${result.status === "timeout" ? "timeout" : "oops"}${step}: ${o.message}${where}`);
  }
  const log = result.dmesg.filter(l => !result.oops || l !== result.oops.message);
  if (log.length) {
    lines.push("dmesg:");
    for (const l of log) lines.push(`  ${l}`);
  }
  const failed = result.steps.filter(s => s.ran && !s.ok).length;
  const skipped = result.steps.filter(s => s.not_run).length;
  const notRun = skipped ? `${failed ? ", " : ""}${skipped} step${skipped === 1 ? "" : "s"} not run (a killed task)` : "";
  lines.push(result.ok ? `${result.scenario}: every expectation held`
    : `${result.scenario}: ${result.status !== "ok" ? result.status : `${failed ? `${failed} step${failed === 1 ? "" : "s"} with unmet expectations` : ""}${notRun}`}`);
  return lines;
}
