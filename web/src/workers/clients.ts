// clients.ts: the page's side of the two workers.
//
// CompilerClient: one long-lived worker; compile results are cached here by source hash (as
// promises, so a background compile and a Run of the same text share one compile).
// browserRunnerTransport: the Web Worker transport of the engine's runner (engine/runner.ts),
// which owns the run policy (fuel and soft lockups, the backstop, fresh instances), the same as
// the CLI's. The browser has no per-thread CPU clock: the backstop counts wall time
// (BROWSER_SCENARIO_DEADLINE_MS), which is why the policy rests on fuel, counted in Wasm.
// Comlink calls to a dead worker would hang for ever (comlink#601): the runner races every run
// against its deadline and never awaits a terminated worker.
import * as Comlink from "comlink";
import type { CompileResult } from "../../../engine/types.js";
import type { RunnerTransport, RunnerWorker } from "../../../engine/runner.js";
import { BROWSER_COMPILE_DEADLINE_MS } from "../../../engine/limits.js";
import { filesHash } from "../../../engine/hash.js";
import type { CompilerApi, CompilerPhases, RunnerWorkerApi, Toolchain } from "./api.js";
import { COMPILER_WORKER_NAME, takeEarlyCompilerWorker } from "./early-start.js";

/** A compile that takes longer than this is abandoned and the compiler worker restarted (a
 *  crashed worker would otherwise leave the call pending for ever). */
const COMPILE_DEADLINE_MS = BROWSER_COMPILE_DEADLINE_MS;

export class CompilerClient {
  private api: Comlink.Remote<CompilerApi> | null = null;
  private worker: Worker | null = null;
  private cache = new Map<string, Promise<CompileResult>>();
  private answered = new WeakSet<Promise<CompileResult>>();   // the compiles of the cache that have answered
  private modules = new WeakMap<Uint8Array, Promise<WebAssembly.Module>>();
  private keys = new WeakMap<Record<string, string>, string>();   // the hash of each files object asked about
  private readyResolve!: (r: Promise<{ toolchain: Toolchain; definitions: string; ms: number; phases: CompilerPhases }>) => void;
  private warmedResolve!: (r: Promise<CompilerPhases>) => void;
  /** Resolves when the worker has loaded asc (after start()); a compile may still be warming up. */
  readonly ready = new Promise<{ toolchain: Toolchain; definitions: string; ms: number; phases: CompilerPhases }>(ok => { this.readyResolve = ok; });
  /** Resolves when the first compile after load is done (the phases, for the benchmark). */
  readonly warmed = new Promise<CompilerPhases>(ok => { this.warmedResolve = ok; });

  /** Spawns the worker (once), or adopts the one index.html's head started. The page calls it
   *  first thing, so asc and binaryen load on their own thread while Monaco loads on the page's;
   *  compile() calls it too. */
  start(): void {
    if (this.api) return;
    // the one index.html's head started (early-start.ts), else a new one
    const worker = takeEarlyCompilerWorker()
      ?? new Worker(new URL("./compiler.worker.ts", import.meta.url), { type: "module", name: COMPILER_WORKER_NAME });
    this.worker = worker;
    this.api = Comlink.wrap<CompilerApi>(worker);
    this.readyResolve(this.api.ready());
    this.warmedResolve(this.api.warmed());
  }

  /** The compile of `files`, from the cache when the same text was compiled before. */
  compile(files: Record<string, string>): Promise<CompileResult> {
    const key = this.key(files);
    let p = this.cache.get(key);
    if (!p) {
      this.start();
      let timer: ReturnType<typeof setTimeout> | undefined;
      // a compile that failed is no verdict on the code: forgotten, so the next ask retries (only
      // this compile's entry: an evicted one must not take a newer compile of the same text along)
      const forget = () => { if (this.cache.get(key) === settled) this.cache.delete(key); };
      const deadline = new Promise<CompileResult>(ok => { timer = setTimeout(() => {
        this.worker?.terminate();
        this.worker = null; this.api = null;                     // the next compile starts a new one
        forget();
        ok({ ok: false, error: { kind: "timeout", message: `the compiler did not answer within ${COMPILE_DEADLINE_MS / 1000} s`, ms: COMPILE_DEADLINE_MS } });
      }, COMPILE_DEADLINE_MS); });
      const call = this.api!.compile(files).then(({ module, ...r }): CompileResult => {
        if (module && r.ok) this.modules.set(r.wasm, Promise.resolve(module));
        return r;
      }).catch((e: unknown): CompileResult => {
        forget();
        return { ok: false, error: { kind: "internal", message: `compiler worker failed: ${String(e)}` } };
      });
      const settled: Promise<CompileResult> = Promise.race([call, deadline]).finally(() => {
        clearTimeout(timer);
        this.answered.add(settled);
      });
      p = settled;
      this.cache.set(key, p);
      if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value as string);
    }
    return p;
  }

  // A Run asks settled(), has() and compile() of one files object: hashed once. The page makes
  // a new object for each state of the editor; the object is frozen once hashed, so a caller that
  // changed it afterwards (and would get the old text's compile) throws instead (module code is
  // strict).
  private key(files: Record<string, string>): string {
    let k = this.keys.get(files);
    if (k === undefined) { k = filesHash(files); this.keys.set(Object.freeze(files), k); }
    return k;
  }

  /** A compile by asc as shipped, past this cache (the benchmark's baseline, CompilerApi.compileAsShipped). */
  compileAsShipped(files: Record<string, string>): Promise<boolean> {
    this.start();
    return this.api!.compileAsShipped(files);
  }

  /** The WebAssembly.Module of a successful compile's bytes: the one the worker sent, else
   *  compiled here (once per bytes). */
  moduleOf(wasm: Uint8Array): Promise<WebAssembly.Module> {
    let m = this.modules.get(wasm);
    if (!m) { m = WebAssembly.compile(wasm as BufferSource); this.modules.set(wasm, m); }
    return m;
  }

  /** Whether `files` has a finished or running compile. */
  has(files: Record<string, string>): boolean { return this.cache.has(this.key(files)); }

  /** Whether the compile of `files` has answered (compile() would resolve at once). */
  settled(files: Record<string, string>): boolean {
    const p = this.cache.get(this.key(files));
    return p !== undefined && this.answered.has(p);
  }
}

/** Runner workers as module Web Workers behind Comlink; the deadline clock is wall time. */
export const browserRunnerTransport: RunnerTransport = {
  clock: "wall time",
  spawn(events): RunnerWorker {
    const worker = new Worker(new URL("./runner.worker.ts", import.meta.url), { type: "module", name: "prefault-runner" });
    const api = Comlink.wrap<RunnerWorkerApi>(worker);
    let dead = false;
    const steps = new MessageChannel();                     // the "step" messages, one way (runner.worker.ts)
    const die = (why: string) => { if (!dead) { dead = true; steps.port1.close(); events.exit(why); } };
    worker.addEventListener("error", e => die(e.message || "the runner worker failed to load"));
    steps.port1.onmessage = e => { if (!dead) events.message(e.data); };
    api.hello(Comlink.transfer(steps.port2, [steps.port2])).then(m => events.message(m), e => die(String(e)));
    return {
      post(req) {
        api.run(req).then(m => events.message(m), e => die(String(e)));
      },
      terminate() { dead = true; steps.port1.close(); worker.terminate(); },
      clockMs: () => performance.now(),
    };
  },
};
