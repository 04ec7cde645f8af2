// cli/node-runner.ts: the Node transport of the engine's runner (engine/runner.ts): runner
// workers are worker_threads (cli/node-runner-worker.ts), the deadline clock is the worker
// thread's own CPU time (cli/thread-clock.ts). The policy (fuel, soft lockup, backstop, a fresh
// instance per scenario, recovering the steps before a hang) is the engine's, the same as in
// the browser. Callers: cli/commands/run.ts, the grader (cli/grade-submission.ts), the benchmarks.

import { Worker, type WorkerOptions } from "node:worker_threads";
import type { EngineError, RunResult, Scenario } from "../engine/types.js";
import { ScenarioRunner, type RunnerTransport, type RunnerWorker, type RunOptions } from "../engine/runner.js";
import { parseWorkerMessage } from "../engine/runner-protocol.js";
import { threadCpuClock } from "./thread-clock.js";

export type { RunOne, RunMany, RunOptions } from "../engine/runner.js";

const WORKER_URL = new URL("./node-runner-worker.js", import.meta.url);

/** Runner workers as worker threads of `url` (default cli/node-runner-worker.ts; tests pass
 *  others); the clock is the thread's CPU time. */
export function nodeRunnerTransport(url: URL | string = WORKER_URL, options: WorkerOptions = {}): RunnerTransport {
  return { clock: "CPU time", spawn: events => spawnNodeWorker(url, options, events) };
}

function spawnNodeWorker(url: URL | string, options: WorkerOptions,
                         events: { message(m: unknown): void; exit(why: string): void }): RunnerWorker {
    const w = new Worker(url, options);
    let clock: () => Promise<number> | number = threadCpuClock(w, undefined);
    w.on("message", (m: unknown) => {
      const p = parseWorkerMessage(m);
      if (typeof p !== "string" && p.type === "ready") { clock = threadCpuClock(w, p.tid); w.unref(); }
      events.message(m);
    });
    w.on("error", e => events.exit(e.message));
    w.on("exit", code => events.exit(`worker exited with code ${code}`));
    // referenced until ready, then only while it runs something: an idle one does not keep the CLI alive
    return {
      post: req => w.postMessage(req),
      terminate: () => { void w.terminate().catch(() => undefined); },
      clockMs: () => clock(),
      busy: yes => { if (yes) w.ref(); else w.unref(); },
    };
}

/** The engine's runner over worker threads. `spawned` counts workers started (for tests). */
export class NodeRunner extends ScenarioRunner {
  constructor() { super(nodeRunnerTransport()); }
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
