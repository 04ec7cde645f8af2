// cli/warm-worker.ts: the two pieces the Node runner and the Node compiler share.
//
// WarmWorker: at most one live worker thread, started on first use and kept warm between
// requests; a request that went wrong discards it and the next one starts a fresh worker.
// cpuDeadline: a deadline in CPU time of the worker thread doing the job (cli/thread-clock.ts),
// so that a busy machine does not turn a slow but finite job into a timeout; `wallCap` x ms of
// wall time bounds the wait however starved it is. Callers: cli/node-compiler.ts (the scenario
// runner's deadline is the engine's, engine/runner.ts).

import { Worker, type WorkerOptions } from "node:worker_threads";
import { performance } from "node:perf_hooks";

export class WarmWorker<Msg> {
  /** workers started so far (for tests) */
  spawned = 0;
  private worker?: Worker;
  private ready?: Promise<Worker>;

  /** `isReady(m)`: the message a new worker sends once it can take requests. `describeExit`
   *  adds to the error of a worker that exited before it was ready. `onSpawn` sees each new one. */
  constructor(private url: URL, private options: WorkerOptions, private isReady: (m: Msg) => boolean,
              private onSpawn?: (w: Worker) => void, private describeExit: (code: number) => string = c => `worker exited with code ${c}`) {}

  /** The live worker, started (and waited for) when there is none. Rejects if it dies first. */
  start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const w = new Worker(this.url, this.options);
    this.worker = w;
    this.spawned++;
    this.onSpawn?.(w);
    this.ready = new Promise<Worker>((resolve, reject) => {
      const onMessage = (m: Msg) => { if (this.isReady(m)) { off(); w.unref(); resolve(w); } };
      const onError = (e: Error) => { off(); this.discard(w); reject(e); };
      const onExit = (code: number) => { off(); this.discard(w); reject(new Error(this.describeExit(code))); };
      const off = () => { w.off("message", onMessage); w.off("error", onError); w.off("exit", onExit); };
      w.on("message", onMessage); w.on("error", onError); w.on("exit", onExit);
    });
    return this.ready;
  }

  /** Starts the worker now so a later request finds it ready; errors are left for that request. */
  warm(): void { this.start().catch(() => undefined); }

  /** Forgets worker w and stops it (without waiting: terminate() of a spinning thread is quick). */
  discard(w: Worker): void {
    if (this.worker === w) { this.worker = undefined; this.ready = undefined; }
    void w.terminate().catch(() => undefined);
  }

  /** Terminates the worker, if any. The next request starts one. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined; this.ready = undefined;
    if (w) await w.terminate();
  }
}

/** Calls `onExpire` once `ms` of `clock` (ms of CPU time, e.g. threadCpuClock()) or `wallCap` x
 *  ms of wall time have passed; returns the function that cancels it. */
export function cpuDeadline(ms: number, wallCap: number, onExpire: () => void,
                            clock: () => number | Promise<number>): () => void {
  let cancelled = false, timer: ReturnType<typeof setTimeout> | undefined;
  const wall0 = performance.now();
  const start = Promise.resolve(clock()).catch(() => 0);
  const check = async () => {
    const cpu0 = await start;
    let cpuMs: number;
    try { cpuMs = (await clock()) - cpu0; } catch { cpuMs = ms; }
    if (cancelled) return;
    const wallMs = performance.now() - wall0;
    if (cpuMs >= ms || wallMs >= ms * wallCap) onExpire();
    else timer = setTimeout(() => void check(), Math.max(5, ms - cpuMs));
  };
  timer = setTimeout(() => void check(), ms);
  return () => { cancelled = true; clearTimeout(timer); };
}
