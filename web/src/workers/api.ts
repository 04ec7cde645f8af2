// api.ts: the typed surface of Prefault's two browser workers (the "protocol" file).
//
//   compiler.worker.ts  long-lived; loads asc once, compiles learner files (cached by hash)
//   runner.worker.ts    disposable; links kernel.wasm + learner.wasm and runs scenarios. The
//                       page terminates it when a handler does not return before the deadline.
//
// Results cross the boundary as tagged unions, never as thrown Errors.
import type { CompileResult, RunResult, Scenario, EngineError } from "../../../engine/types.js";

export interface Toolchain { asc: string; binaryen?: string }

export interface CompilerApi {
  /** Resolves once asc is loaded and warmed up; the version and the std definitions (for Monaco). */
  ready(): Promise<{ toolchain: Toolchain; definitions: string; ms: number; phases: CompilerPhases }>;
  /** Compiles the learner's editable files. Cached by content in the worker. */
  compile(files: Record<string, string>): Promise<CompileResult>;
}

/** When the compiler worker's start-up phases ended, in ms since the epoch (performance.timeOrigin
 *  + now(), comparable across the page and the worker): the worker's first line, asc imported,
 *  each warm-up compile done. */
export interface CompilerPhases { workerStart: number; ascImported: number; warm: number[] }

export interface RunnerApi {
  /** Keeps the compiled kernel Module (shared with the page; instantiated per scenario). */
  init(kernel: WebAssembly.Module): Promise<void>;
  /** Runs scenarios in order, in one round trip. After each one the worker posts a plain
   *  RunnerProgress message, so the page can give every scenario its own deadline. */
  runBatch(learner: WebAssembly.Module, sourceMap: string | undefined, scenarios: Scenario[]): Promise<{ ok: true; runs: RunResult[] } | { ok: false; error: EngineError }>;
}

/** Posted by the runner worker (outside Comlink) when scenario `done` of a batch has finished. */
export interface RunnerProgress { prefaultProgress: number }
