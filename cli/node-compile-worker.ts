// cli/node-compile-worker.ts: the disposable compiler worker (worker_threads) of the Node CLI.
// It loads asc once, says {ready}, then answers each {id, files, cacheDir} with the
// CompileResult of engine/compile.ts (through the disk store when cacheDir is given). Started
// and, when asc crashes (process.exit) or overruns the deadline, replaced by cli/node-compiler.ts.
import { parentPort } from "node:worker_threads";
import { compileDatastore, type AscModule } from "../engine/compile.js";
import { ascVersion, diskCompileStore } from "./node-compile-cache.js";
import type { CompileAnswer, CompileRequest } from "./node-compiler.js";
import { workerThreadId } from "./thread-clock.js";

const port = parentPort;
if (!port) throw new Error("node-compile-worker: not started as a worker");
const asc = (await import("assemblyscript/asc")).default as unknown as AscModule;
// the same key as a main-thread lookup (cli/node-compiler.ts): the package's version
const source = { version: ascVersion(), load: async () => asc };
port.on("message", async (m: CompileRequest) => {
  const result = await compileDatastore(source, m.files, m.cacheDir ? { store: diskCompileStore(m.cacheDir) } : {});
  port.postMessage({ id: m.id, result } satisfies CompileAnswer, result.ok ? [result.wasm.buffer as ArrayBuffer] : []);
});
port.postMessage({ ready: true, tid: workerThreadId() } satisfies CompileAnswer);
