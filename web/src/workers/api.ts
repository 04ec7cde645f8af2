// api.ts: the typed surface of Prefault's two browser workers (the "protocol" file).
//
//   compiler.worker.ts  long-lived; loads asc once, compiles learner files (cached by hash)
//   runner.worker.ts    disposable; links kernel.wasm + learner.wasm and runs scenarios for the
//                       engine's runner (engine/runner.ts), which stops it past the backstop.
//
// Results cross the boundary as tagged unions, never as thrown Errors.
import type { CompileResult } from "../../../engine/types.js";
import type { RunRequest, WorkerMessage } from "../../../engine/runner-protocol.js";

export interface Toolchain { asc: string; binaryen?: string }

export interface CompilerApi {
  /** Resolves once asc is loaded (binaryen instantiated): the version and the std definitions
   *  (for Monaco). The first compile, 3-5x slower than later ones, may still be running. */
  ready(): Promise<{ toolchain: Toolchain; definitions: string; ms: number; phases: CompilerPhases }>;
  /** Resolves once the first compile after load (the warm-up) is done, with every phase. */
  warmed(): Promise<CompilerPhases>;
  /** Compiles the learner's editable files. Cached by content in the worker. A successful compile
   *  comes with its WebAssembly.Module, compiled in the worker as soon as asc is done, so that
   *  neither the page nor a runner compiles it again (a Module crosses to a worker uncopied). */
  compile(files: Record<string, string>): Promise<CompiledInWorker>;
  /** The benchmark's baseline: a compile by asc as shipped, which parses its standard library
   *  again (engine/parse-reuse.ts is what compile() saves). Cached as compile() is: give it a text
   *  not compiled before. Whether it compiled. */
  compileAsShipped(files: Record<string, string>): Promise<boolean>;
}

/** What the compiler worker answers: the engine's CompileResult, and the module when it compiled. */
export type CompiledInWorker = CompileResult & { module?: WebAssembly.Module };

/** When the compiler worker's start-up phases ended, in ms since the epoch (performance.timeOrigin
 *  + now(), comparable across the page and the worker): the worker's first line, binaryen's Wasm
 *  compiled (0 in a build that keeps it inline), asc imported (with binaryen), the warm-up compile
 *  done (empty until it is). */
export interface CompilerPhases { workerStart: number; binaryenCompiled: number; ascImported: number; warm: number[] }

/** The runner worker's Comlink surface (runner.worker.ts): the browser transport of the engine's
 *  runner (engine/runner.ts). Messages are engine/runner-protocol.ts's, validated by the page. */
export interface RunnerWorkerApi {
  /** resolves with { type: "ready" } once the worker's module has loaded; `steps` (transferred)
   *  is where the worker posts each "step" message, one way */
  hello(steps: MessagePort): Promise<WorkerMessage>;
  /** runs one request; its "step" messages go to the hello() port, the "result"/"error" message
   *  resolves it */
  run(req: RunRequest): Promise<WorkerMessage>;
}
