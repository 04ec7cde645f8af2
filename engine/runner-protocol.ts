// engine/runner-protocol.ts: the messages between the engine's runner (engine/runner.ts) and a
// runner worker, and the RunResults a host makes when a worker could not answer.
//
//   host (engine/runner.ts over a transport)                 runner worker
//   ─────────────────────────────────────────                ─────────────────────────────
//                                          ◄─────── { type:"ready", tid? }      once, when it can run
//   { type:"run", id, kernel, learner, scenario, sourceMap? } ─►  runScenario() (engine/machine.ts)
//                                          ◄─────── { type:"step", id, index }  before each step
//                                          ◄─────── { type:"result", id, result }
//                                          ◄─────── { type:"error", id, error }  (a link error, ...)
//
// Every message is one tagged union with a `type` field and is validated on receipt
// (parseWorkerMessage, parseRunRequest): a malformed message is an internal error, never trusted.
// Platform-neutral: no worker API is named here. The Node worker (cli/node-runner-worker.ts) and
// the browser's (web/src/workers/runner.worker.ts, through Comlink) both wire createRunnerHandler()
// to their own channel; the modules travel as WebAssembly.Module (structured-clonable).

import type { Counters, EngineError, RunResult, Scenario } from "./types.js";
import { LEARNER_FUEL, SOFT_LOCKUP_SECONDS } from "./limits.js";

export interface RunRequest {
  type: "run";
  id: number;
  kernel: WebAssembly.Module;
  learner: WebAssembly.Module;
  scenario: Scenario;
  /** the learner module's source map, for trap locations */
  sourceMap?: string;
  /** record the learner's line of each traced kernel API call (engine/machine.ts RunOpts) */
  callSites?: boolean;
}

/** What a runner worker posts. `tid`: the OS thread id of a Node worker (its CPU clock). */
export type WorkerMessage =
  | { type: "ready"; tid?: number }
  | { type: "step"; id: number; index: number }
  | { type: "result"; id: number; result: RunResult }
  | { type: "error"; id: number; error: EngineError };

/** @deprecated name of WorkerMessage */
export type RunResponse = WorkerMessage;

/** engine/machine.ts runScenario(), injected so this file does not load the kernel glue. */
export type RunScenarioFn = (kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                             opts?: { sourceMap?: string; callSites?: boolean; onStep?: (index: number) => void })
                             => RunResult | Promise<RunResult>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const ENGINE_ERROR_KINDS = new Set(["compile", "link", "invalid", "timeout", "internal"]);
const RUN_STATUSES = new Set(["ok", "oops", "timeout"]);

/** `m` as a WorkerMessage, or a string saying what is wrong with it. Checks the envelope and the
 *  shape a host relies on (a RunResult's status, steps and tasks), not every field. Pure. */
export function parseWorkerMessage(m: unknown): WorkerMessage | string {
  if (!isObj(m)) return "not an object";
  switch (m.type) {
    case "ready":
      if (m.tid !== undefined && !isId(m.tid)) return "ready: tid is not a thread id";
      return m.tid === undefined ? { type: "ready" } : { type: "ready", tid: m.tid };
    case "step":
      if (!isId(m.id) || !isId(m.index)) return "step: id and index must be non-negative integers";
      return { type: "step", id: m.id, index: m.index };
    case "result": {
      if (!isId(m.id)) return "result: no id";
      const r = m.result;
      if (!isObj(r) || typeof r.scenario !== "string" || !RUN_STATUSES.has(r.status as string) || typeof r.ok !== "boolean"
          || !Array.isArray(r.steps) || !isObj(r.tasks) || !Array.isArray(r.dmesg) || !Array.isArray(r.trace)) {
        return "result: not a RunResult";
      }
      if (!r.steps.every((s, i) => isObj(s) && s.index === i && typeof s.ran === "boolean" && typeof s.ok === "boolean" && isObj(s.deltas))) {
        return "result: malformed steps";
      }
      return { type: "result", id: m.id, result: r as unknown as RunResult };
    }
    case "error": {
      if (!isId(m.id)) return "error: no id";
      const e = m.error;
      if (!isObj(e) || !ENGINE_ERROR_KINDS.has(e.kind as string) || typeof e.message !== "string") return "error: not an EngineError";
      return { type: "error", id: m.id, error: e as unknown as EngineError };
    }
    default:
      return `unknown message type ${JSON.stringify(m.type)}`;
  }
}

/** `m` as a RunRequest, or a string saying what is wrong with it (checked by the worker). */
export function parseRunRequest(m: unknown): RunRequest | string {
  if (!isObj(m) || m.type !== "run") return "not a run request";
  if (!isId(m.id)) return "run: no id";
  if (!(m.kernel instanceof WebAssembly.Module) || !(m.learner instanceof WebAssembly.Module)) return "run: kernel and learner must be WebAssembly.Module";
  const s = m.scenario;
  if (!isObj(s) || typeof s.name !== "string" || !Array.isArray(s.steps)) return "run: not a scenario";
  if (m.sourceMap !== undefined && typeof m.sourceMap !== "string") return "run: sourceMap must be a string";
  if (m.callSites !== undefined && typeof m.callSites !== "boolean") return "run: callSites must be a boolean";
  return { type: "run", id: m.id, kernel: m.kernel, learner: m.learner, scenario: s as unknown as Scenario,
           ...(m.sourceMap !== undefined ? { sourceMap: m.sourceMap as string } : {}),
           ...(m.callSites === true ? { callSites: true } : {}) };
}

/** The worker side: returns the handler for one incoming message. It validates the request,
 *  runs the scenario and posts "step" messages and exactly one "result" or "error" per request;
 *  an exception from runScenario becomes an "error" (kind "link" for a WebAssembly.LinkError,
 *  else "internal"). A message that is not a valid request gets an "error" when it has an id. */
export function createRunnerHandler(runScenario: RunScenarioFn,
                                    post: (msg: WorkerMessage) => void): (msg: unknown) => void {
  return (raw: unknown) => {
    const msg = parseRunRequest(raw);
    if (typeof msg === "string") {
      const id = isObj(raw) && isId(raw.id) ? raw.id : undefined;
      if (id !== undefined) post({ type: "error", id, error: { kind: "internal", message: `runner worker: ${msg}` } });
      return;
    }
    const fail = (e: unknown) => post({ type: "error", id: msg.id, error: errorOf(e) });
    try {
      const r = runScenario(msg.kernel, msg.learner, msg.scenario,
                            { sourceMap: msg.sourceMap, callSites: msg.callSites, onStep: index => post({ type: "step", id: msg.id, index }) });
      Promise.resolve(r).then(result => post({ type: "result", id: msg.id, result }), fail);
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

/** Where a hang is, for people: in step `step` the handler, before the first step (-1) the
 *  datastore's top-level code, i.e. its global initializers, which the module's start function
 *  runs when the runner instantiates it (engine/machine.ts), before any fault. */
function hungWhere(step: number): string {
  return step < 0 ? "the datastore's top-level code (its global initializers, run when the module starts) did not finish"
    : "vvar_fault() did not return";
}

/** The learner-facing message of a soft lockup: the learner's code used up the scenario's fuel
 *  (engine/fuel.ts) in step `step` (-1: in its top-level code, before the first step). */
export function softLockupMessage(step: number): string {
  const where = hungWhere(step);
  return `soft lockup: ${where} (it ran ${LEARNER_FUEL.toLocaleString("en-US")} loop iterations and calls, ` +
    `the budget of one scenario): an endless loop?`;
}

/** The kernel's soft-lockup line for task `comm` (kernel/watchdog.c watchdog_timer_fn). */
export function softLockupLine(comm: string, pid: number): string {
  return `watchdog: BUG: soft lockup - CPU#0 stuck for ${SOFT_LOCKUP_SECONDS}s! [${comm}:${pid}]`;
}

/** The message of a scenario stopped by the runner's backstop deadline (engine/runner.ts):
 *  `clock` says what was counted ("CPU time" or "wall time"); `step` is the step that was running
 *  (the worker reports each one before it starts), -1 before the first: the datastore's global
 *  initializers were still running (the kernel's boot before them is bounded and takes no time). */
export function timeoutMessage(ms: number, clock = "CPU time", step = 0): string {
  return `${hungWhere(step)} within ${ms} ms of ${clock}: an endless loop?`;
}

export function zeroCounters(): Counters {
  return { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
}

/** The RunResult of a scenario whose worker was stopped by the backstop deadline: status
 *  "timeout", `message` in `oops`, in dmesg (after the kernel's soft-lockup line) and on the hung
 *  step's failures. `step` is the step that was running (from the worker's "step" messages), or
 *  -1 when the host cannot tell. `before` is the result of the same scenario cut to steps
 *  0..step-1, run in a fresh worker (the model is deterministic): when it ran all of them without
 *  an oops, their results (with their deltas), the tasks, the log and the trace are kept, step
 *  `step` is the timeout and the rest are not run. Without it no step counts as run. */
export function timeoutResult(scenario: Scenario, message: string, step = -1, before?: RunResult): RunResult {
  const usable = before !== undefined && step > 0 && before.status === "ok" && before.steps.length === step
    && before.steps.every((s, i) => s.ran && s.index === i);
  const prefix = usable ? before.steps : [];
  const task = step >= 0 ? scenario.steps[step]?.task : undefined;
  const pid = (task !== undefined && usable ? before.tasks[task]?.pid : undefined) ?? 1;
  const lockup = softLockupLine(task ?? "swapper/0", pid);
  return {
    scenario: scenario.name,
    status: "timeout",
    ok: false,
    steps: [...prefix, ...scenario.steps.slice(prefix.length).map((s, j) => {
      const index = prefix.length + j;
      return { index, op: s.op, task: s.task, ran: false, deltas: zeroCounters(), ok: false,
               failures: index === step ? [message]
                 : [step >= 0 ? `not run: step ${step} did not return` : "not run: the datastore's top-level code did not finish"] };
    })],
    tasks: usable ? before.tasks : {},
    dmesg: usable ? [...before.dmesg, lockup, message] : [lockup, message],
    trace: usable ? before.trace : [],
    trace_dropped: usable ? before.trace_dropped : 0,
    oops: { message, step },
  };
}

/** The RunResult of a scenario whose worker died (crashed, ran out of memory) without answering. */
export function crashResult(scenario: Scenario, why: string, step = -1): RunResult {
  const message = `the runner stopped while running this scenario: ${why}`;
  const r = timeoutResult(scenario, message, step);
  return { ...r, status: "oops", dmesg: [message], oops: { message, step } };
}
