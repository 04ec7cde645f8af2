// engine/runner-protocol.ts: the messages between a host and its disposable runner worker.
//
//   host (CLI: cli/node-runner.ts, web: web/...)            runner worker
//   ───────────────────────────────────────────            ─────────────────────────────
//   { type:"run", id, kernel, learner, scenario } ───────►  runScenario(...)  (engine/machine.ts)
//                                        ◄─────── { type:"result", id, ok:true, result }
//                                        ◄─────── { type:"result", id, ok:false, error }
//   no answer within the deadline: the host terminates the worker, records
//   timeoutResult(scenario, ms, step) and starts a fresh worker for the next scenario (a host
//   may first run the steps before the hung one there, and pass that result to timeoutResult).
//
// Platform-neutral: no worker API is named here. A worker wires createRunnerHandler() to its own
// onmessage/postMessage; the modules travel as WebAssembly.Module (structured-clonable).

import type { Counters, EngineError, RunResult, Scenario } from "./types.js";

export interface RunRequest {
  type: "run";
  id: number;
  kernel: WebAssembly.Module;
  learner: WebAssembly.Module;
  scenario: Scenario;
  /** the learner module's source map, for trap locations */
  sourceMap?: string;
}

export type RunResponse =
  | { type: "ready" }                                   // posted once, when the worker can run
  | { type: "step"; id: number; index: number }         // step `index` of request `id` starts
  | { type: "result"; id: number; ok: true; result: RunResult }
  | { type: "result"; id: number; ok: false; error: EngineError };

/** engine/machine.ts runScenario(), injected so this file does not load the kernel glue.
 *  `onStep`, when the machine calls it before each step, lets a host that stops a hung worker
 *  say which step hung; a machine without it is fine (the step is then reported as -1). */
export type RunScenarioFn = (kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                             opts?: { sourceMap?: string; onStep?: (index: number) => void })
                             => RunResult | Promise<RunResult>;

/** The worker side: returns the handler for one incoming message. It runs the scenario and posts
 *  exactly one response per request; an exception from runScenario becomes an error response
 *  (kind "link" for a WebAssembly.LinkError, else "internal"). */
export function createRunnerHandler(runScenario: RunScenarioFn,
                                    post: (msg: RunResponse) => void): (msg: RunRequest) => void {
  return (msg: RunRequest) => {
    if (!msg || msg.type !== "run") return;
    const fail = (e: unknown) => post({ type: "result", id: msg.id, ok: false, error: errorOf(e) });
    try {
      const r = runScenario(msg.kernel, msg.learner, msg.scenario,
                            { sourceMap: msg.sourceMap,
                              onStep: index => post({ type: "step", id: msg.id, index }) });
      Promise.resolve(r).then(result => post({ type: "result", id: msg.id, ok: true, result }), fail);
    } catch (e) {
      fail(e);
    }
  };
}

/** An exception thrown while running a scenario, as an EngineError. */
export function errorOf(e: unknown): EngineError {
  const message = (e as Error)?.message ?? String(e);
  if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.LinkError) return { kind: "link", message };
  return { kind: "internal", message };
}

/** The learner-facing message for a handler that did not return in time. */
export function timeoutMessage(ms: number): string {
  return `vvar_fault() did not return within ${ms} ms: an endless loop?`;
}

export function zeroCounters(): Counters {
  return { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
}

/** The RunResult of a scenario whose worker was stopped after `ms` ms: status "timeout", the
 *  message in `oops` and in dmesg, and on the hung step's failures. `step` is the step that was
 *  running (from the worker's "step" messages), or -1 when the host cannot tell. Without
 *  `before`, no step counts as run (their outcomes died with the worker). `before` is the result
 *  of running the same scenario cut to steps 0..step-1 (in a fresh worker; the model is
 *  deterministic): when it ran all of them without an oops, their results, the tasks, the log and
 *  the trace are taken from it, step `step` is the timeout and the rest are not run. Used by
 *  every host's runner. */
export function timeoutResult(scenario: Scenario, ms: number, step = -1, before?: RunResult): RunResult {
  const message = timeoutMessage(ms);
  const usable = before !== undefined && step > 0 && before.status === "ok" && before.steps.length === step
    && before.steps.every((s, i) => s.ran && s.index === i);
  const prefix = usable ? before.steps : [];
  return {
    scenario: scenario.name,
    status: "timeout",
    ok: false,
    steps: [...prefix, ...scenario.steps.slice(prefix.length).map((s, j) => {
      const index = prefix.length + j;
      return { index, op: s.op, task: s.task, ran: false, deltas: zeroCounters(), ok: false,
               failures: index === step ? [message] : [] };
    })],
    tasks: usable ? before.tasks : {},
    dmesg: usable ? [...before.dmesg, message] : [message],
    trace: usable ? before.trace : [],
    trace_dropped: usable ? before.trace_dropped : 0,
    oops: { message, step },
  };
}

/** The RunResult of a scenario whose worker died (crashed, ran out of memory) without answering. */
export function crashResult(scenario: Scenario, why: string): RunResult {
  const r = timeoutResult(scenario, 0);
  const message = `the runner stopped while running this scenario: ${why}`;
  return { ...r, status: "oops", dmesg: [message], oops: { message, step: -1 } };
}
