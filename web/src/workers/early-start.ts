// early-start.ts: the compiler worker started by index.html's first script, before the app's
// entry has arrived. The build (web/vite.config.ts, preloadEditor) writes that script with the
// worker's hashed file name under EARLY_COMPILER_GLOBAL; CompilerClient.start() adopts the worker
// once, so asc and binaryen load while the page's own JavaScript downloads and runs. Without it
// (the dev server, or a browser that refused it) the client starts a worker of its own.

/** The global the head script stores the worker under. */
export const EARLY_COMPILER_GLOBAL = "__prefaultCompilerWorker";
/** The compiler worker's name (devtools), wherever it is started. */
export const COMPILER_WORKER_NAME = "prefault-compiler";

/** The worker the page's head started, once; null after the first call or when there is none. */
export function takeEarlyCompilerWorker(): Worker | null {
  const g = globalThis as unknown as Record<string, unknown>;
  const w = g[EARLY_COMPILER_GLOBAL];
  delete g[EARLY_COMPILER_GLOBAL];
  return typeof Worker !== "undefined" && w instanceof Worker ? w : null;
}
