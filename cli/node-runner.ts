// cli/node-runner.ts: run scenarios in a disposable worker under a deadline (Node).
//
// One worker is kept warm and reused while nothing hangs. A scenario that does not answer within
// the deadline (CPU time, see run()) gets a "timeout" RunResult, its worker is terminated, and a
// fresh worker runs the rest, after re-running the steps before the hung one so that their
// results are reported (runner-protocol.ts timeoutResult). A worker that dies (crash, out of memory) gives an "oops" RunResult the same way.
// Callers: cli/commands/run.ts, the grader, the benchmarks.

import type { Worker } from "node:worker_threads";
import { cpuDeadline, WarmWorker } from "./warm-worker.js";
import type { EngineError, RunResult, Scenario } from "../engine/types.js";
import { crashResult, timeoutResult, type RunRequest, type RunResponse } from "../engine/runner-protocol.js";

export interface RunOptions {
  /** per scenario, from when the worker is ready: CPU ms of the run (at most WALL_CAP x in wall time); default 2000 */
  deadlineMs?: number;
  sourceMap?: string;
}

export type RunOne = { ok: true; result: RunResult } | { ok: false; error: EngineError };
export type RunMany = { ok: true; results: RunResult[] } | { ok: false; error: EngineError };

const WORKER_URL = new URL("./node-runner-worker.js", import.meta.url);
/** A hung scenario is stopped after at most this many deadlines of wall time. */
const WALL_CAP = 5;

/** A runner owning at most one live worker. `spawned` counts workers started (for tests). */
export class NodeRunner {
  private pool = new WarmWorker<RunResponse>(WORKER_URL, {}, m => m.type === "ready");
  private nextId = 1;
  get spawned(): number { return this.pool.spawned; }

  /** Runs one scenario. Resolves (never rejects) with the RunResult, which is a "timeout" or
   *  "oops" result when the worker hung or died, or with an EngineError from the worker. */
  async run(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
            opts: RunOptions = {}): Promise<RunOne> {
    const first = await this.attempt(kernel, learner, scenario, opts);
    if (!("hung" in first)) return first;
    return { ok: true, result: await this.recover(kernel, learner, scenario, opts, first.hung) };
  }

  // A scenario hung at step k: the results of steps 0..k-1 died with the worker. The model is
  // deterministic, so a fresh worker runs the scenario cut after step k-1 (same deadline) and
  // those results go into the timeout result; anything unexpected keeps the plain one.
  private async recover(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                        opts: RunOptions, step: number): Promise<RunResult> {
    const ms = opts.deadlineMs ?? 2000;
    if (step <= 0 || step >= scenario.steps.length) return timeoutResult(scenario, ms, step);
    const prefix = await this.attempt(kernel, learner, { ...scenario, steps: scenario.steps.slice(0, step) }, opts);
    const ran = "hung" in prefix || !prefix.ok ? undefined : prefix.result;
    return timeoutResult(scenario, ms, step, ran);
  }

  // one run in the live worker: the RunOne, or the step that was running when it hung
  private async attempt(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                        opts: RunOptions): Promise<RunOne | { hung: number }> {
    const ms = opts.deadlineMs ?? 2000;
    let w: Worker;
    try {
      w = await this.pool.start();
    } catch (e) {
      return { ok: false, error: { kind: "internal", message: `cannot start the runner worker: ${(e as Error).message}` } };
    }
    const id = this.nextId++;
    const req: RunRequest = { type: "run", id, kernel, learner, scenario, sourceMap: opts.sourceMap };
    return new Promise<RunOne | { hung: number }>(resolve => {
      let settled = false;
      const done = (r: RunOne | { hung: number }, kill: boolean) => {
        if (settled) return;
        settled = true;
        cancel();
        w.off("message", onMessage); w.off("error", onError); w.off("exit", onExit);
        if (kill) this.pool.discard(w); else w.unref();
        resolve(r);
      };
      let step = -1;
      const onMessage = (m: RunResponse) => {
        if (m.type === "step" && m.id === id) { step = m.index; return; }
        if (m.type !== "result" || m.id !== id) return;
        done(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error }, false);
      };
      const onError = (e: Error) => done({ ok: true, result: crashResult(scenario, e.message) }, true);
      const onExit = (code: number) => done({ ok: true, result: crashResult(scenario, `worker exited with code ${code}`) }, true);
      // The deadline is CPU time (cli/warm-worker.ts cpuDeadline). Decide in the check phase,
      // after the poll phase has delivered the worker's queued "step" messages: a main thread
      // that was busy (asc loading) would otherwise report the hung step as unknown.
      const cancel = cpuDeadline(ms, WALL_CAP, () => setImmediate(() => done({ hung: step }, true)));
      w.on("message", onMessage); w.on("error", onError); w.on("exit", onExit);
      w.ref();
      w.postMessage(req);
    });
  }

  /** Runs `scenarios` in order; the first EngineError (a link error, an internal error) stops
   *  the batch and is returned instead of the results. */
  async runAll(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenarios: Scenario[],
               opts: RunOptions = {}): Promise<RunMany> {
    const results: RunResult[] = [];
    for (const s of scenarios) {
      const r = await this.run(kernel, learner, s, opts);
      if (!r.ok) return r;
      results.push(r.result);
    }
    return { ok: true, results };
  }

  /** Starts the worker now (it loads the kernel glue) so a later run() finds it ready; errors
   *  are left for that run() to report. */
  warm(): void { this.pool.warm(); }

  /** Terminates the worker, if any. The runner can still be used: the next run starts one. */
  close(): Promise<void> { return this.pool.close(); }
}

let shared: NodeRunner | undefined;

/** Runs `scenarios` against `learnerWasm` (bytes or a compiled module) in the process's shared
 *  runner: one RunResult per scenario, in order, or the EngineError that stopped the batch
 *  (tell them apart with Array.isArray). The worker stays alive between calls but does not keep
 *  the process running. Callers: the grader (cli/grade-submission.ts), `prefault run`. */
export async function runScenarios(kernelModule: WebAssembly.Module, learnerWasm: Uint8Array | WebAssembly.Module,
                                   scenarios: Scenario[], opts: RunOptions = {}): Promise<RunResult[] | EngineError> {
  let learner: WebAssembly.Module;
  try {
    learner = learnerWasm instanceof WebAssembly.Module ? learnerWasm : new WebAssembly.Module(learnerWasm as Uint8Array<ArrayBuffer>);
  } catch (e) {
    return { kind: "link", message: `the learner module is not valid Wasm: ${(e as Error).message}` };
  }
  shared ??= new NodeRunner();
  const r = await shared.runAll(kernelModule, learner, scenarios, opts);
  return r.ok ? r.results : r.error;
}

/** Starts the shared runner's worker ahead of the first runScenarios() (e.g. while compiling). */
export function warmSharedRunner(): void { (shared ??= new NodeRunner()).warm(); }

/** Stops the shared runner's worker (tests; a CLI may simply exit). */
export async function closeSharedRunner(): Promise<void> { await shared?.close(); }
