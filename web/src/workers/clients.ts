// clients.ts: the page's side of the two workers.
//
// CompilerClient: one long-lived worker; compile results are cached here by source hash (as
// promises, so a background compile and a Run of the same text share one compile).
// RunnerClient: a disposable worker that runs scenarios under a deadline. A call that does not
// return in time terminates the worker (the only way to stop a Wasm endless loop) and a fresh
// one is spawned in the background for the next run. Comlink calls to a dead worker would hang
// for ever (comlink#601), so every call is raced against the deadline.
import * as Comlink from "comlink";
import type { CompileResult, EngineError, RunResult, Scenario } from "../../../engine/types.js";
import { filesHash } from "../../../engine/hash.js";
import type { CompilerApi, CompilerPhases, RunnerApi, RunnerProgress, Toolchain } from "./api.js";

/** A compile that takes longer than this is abandoned and the compiler worker restarted (a
 *  crashed worker would otherwise leave the call pending for ever). */
const COMPILE_DEADLINE_MS = 60_000;

export class CompilerClient {
  private api: Comlink.Remote<CompilerApi> | null = null;
  private worker: Worker | null = null;
  private cache = new Map<string, Promise<CompileResult>>();
  private readyResolve!: (r: Promise<{ toolchain: Toolchain; definitions: string; ms: number; phases: CompilerPhases }>) => void;
  /** Resolves when the worker has loaded asc and warmed it up (after start()). */
  readonly ready = new Promise<{ toolchain: Toolchain; definitions: string; ms: number; phases: CompilerPhases }>(ok => { this.readyResolve = ok; });

  /** Spawns the worker (once). The page calls it when the editor is up, so the 13 MB compiler
   *  does not compete with Monaco for the CPU; compile() calls it too. */
  start(): void {
    if (this.api) return;
    const worker = new Worker(new URL("./compiler.worker.ts", import.meta.url), { type: "module", name: "prefault-compiler" });
    this.worker = worker;
    this.api = Comlink.wrap<CompilerApi>(worker);
    this.readyResolve(this.api.ready());
  }

  /** The compile of `files`, from the cache when the same text was compiled before. */
  compile(files: Record<string, string>): Promise<CompileResult> {
    const key = filesHash(files);
    let p = this.cache.get(key);
    if (!p) {
      this.start();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<CompileResult>(ok => { timer = setTimeout(() => {
        this.worker?.terminate();
        this.worker = null; this.api = null;                     // the next compile starts a new one
        this.cache.delete(key);
        ok({ ok: false, error: { kind: "timeout", message: `the compiler did not answer within ${COMPILE_DEADLINE_MS / 1000} s`, ms: COMPILE_DEADLINE_MS } });
      }, COMPILE_DEADLINE_MS); });
      const call = this.api!.compile(files).catch((e: unknown): CompileResult => {
        this.cache.delete(key);                                  // not a verdict on the code: retry next time
        return { ok: false, error: { kind: "internal", message: `compiler worker failed: ${String(e)}` } };
      });
      p = Promise.race([call, deadline]).finally(() => clearTimeout(timer));
      this.cache.set(key, p);
      if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value as string);
    }
    return p;
  }

  /** Whether `files` has a finished or running compile. */
  has(files: Record<string, string>): boolean { return this.cache.has(filesHash(files)); }
}

export class RunnerClient {
  private current: { worker: Worker; api: Comlink.Remote<RunnerApi>; init: Promise<void> } | null = null;
  /** workers terminated after a deadline (for tests and the status line) */
  restarts = 0;

  constructor(private kernel: Promise<WebAssembly.Module>) { this.spawn(); }

  private spawn() {
    const worker = new Worker(new URL("./runner.worker.ts", import.meta.url), { type: "module", name: "prefault-runner" });
    const api = Comlink.wrap<RunnerApi>(worker);
    const init = this.kernel.then(k => api.init(k));
    this.current = { worker, api, init };
  }

  /** Runs `scenarios` in order in one round trip; each gets `deadlineMs` from the end of the
   *  previous one. On a deadline the worker is terminated (a fresh one is spawned): the result
   *  holds the runs that finished and the index of the scenario that did not return. */
  async runAll(learner: WebAssembly.Module, sourceMap: string | undefined, scenarios: Scenario[], deadlineMs: number):
      Promise<{ ok: true; runs: RunResult[]; timedOut?: number } | { ok: false; error: EngineError }> {
    if (!this.current) this.spawn();
    const cur = this.current!;
    await cur.init;
    let done = -1, timer: ReturnType<typeof setTimeout> | undefined, fire: (v: "timeout") => void = () => {};
    const deadline = new Promise<"timeout">(res => { fire = res; });
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => fire("timeout"), deadlineMs); };
    const onProgress = (e: MessageEvent) => {
      const p = e.data as RunnerProgress | null;
      if (p && typeof p.prefaultProgress === "number") { done = p.prefaultProgress; arm(); }
    };
    cur.worker.addEventListener("message", onProgress);
    arm();
    const r = await Promise.race([cur.api.runBatch(learner, sourceMap, scenarios), deadline]);
    clearTimeout(timer);
    cur.worker.removeEventListener("message", onProgress);
    if (r !== "timeout") return r;
    cur.worker.terminate();
    this.restarts++;
    this.spawn();
    // the finished runs are lost with the worker: run them again (they returned before) in the new one
    const before = scenarios.slice(0, done + 1);
    if (before.length === 0) return { ok: true, runs: [], timedOut: 0 };
    const again = await this.runAll(learner, sourceMap, before, deadlineMs);
    return again.ok ? { ok: true, runs: again.runs, timedOut: again.timedOut ?? done + 1 } : again;
  }
}
