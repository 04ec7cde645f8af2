// cli/node-compiler.ts: compile a learner's datastore in a disposable worker under a deadline (Node).
//
// asc calls process.exit(1) when it crashes internally (a recursive generic is enough), and a
// few lines of nested generics can keep it busy for minutes; in the CLI's own thread either one
// ends the command without a word. Here asc runs in a worker thread (cli/node-compile-worker.ts)
// with a heap cap: a crash, an out-of-memory or a compile past the deadline becomes an error
// result naming the file, and the next compile gets a fresh worker. A result already in the disk
// store (cli/node-compile-cache.ts) is served without starting a worker or loading asc.
// Callers: `prefault run`, `prefault lesson check`. (The grader has its own worker pool,
// cli/commands/grade-all.ts, which compiles and runs in one worker.)

import type { Worker } from "node:worker_threads";
import { cpuDeadline, WarmWorker } from "./warm-worker.js";
import { threadCpuClock } from "./thread-clock.js";
import { COMPILE_DEADLINE_MS, COMPILER_HEAP_MB, WALL_CAP } from "../engine/limits.js";
import { storedCompile } from "../engine/compile.js";
import type { CompileResult } from "../engine/types.js";
import { ascVersion, COMPILE_CACHE_DIR, diskCompileStore } from "./node-compile-cache.js";

/** Default time one compile may take, from when the worker has loaded asc: CPU ms of the
 *  compiler's thread (at most WALL_CAP x in wall time). engine/limits.ts. */
export const DEFAULT_COMPILE_DEADLINE_MS = COMPILE_DEADLINE_MS;
const WORKER_URL = new URL("./node-compile-worker.js", import.meta.url);

export interface CompileRequest { id: number; files: Record<string, string>; cacheDir: string | null }
export type CompileAnswer = { ready: true; tid?: number } | { id: number; result: CompileResult };

export interface IsolatedCompileOptions {
  /** CPU ms a compile may take once the worker is ready; default DEFAULT_COMPILE_DEADLINE_MS */
  deadlineMs?: number;
  /** use the disk store: true for COMPILE_CACHE_DIR, or a folder; default false */
  cache?: boolean | string;
  /** how messages name the learner's datastore.ts (e.g. the path the user gave) */
  file?: string;
}

/** A CompileResult; `stopped` says the compiler did not answer: it crashed (or ran out of
 *  memory), or it overran the deadline. The error message then names the file. */
export type IsolatedCompileResult = CompileResult & { stopped?: "crashed" | "timeout" };

/** A compiler owning at most one live worker, kept warm between compiles while nothing goes
 *  wrong. `spawned` counts workers started (for tests). */
export class NodeCompiler {
  private nextId = 1;
  private stderr = "";
  private tid: number | undefined;
  // whatever asc prints stays off the user's terminal; its crash report is kept (capped) for the message
  private pool = new WarmWorker<CompileAnswer>(WORKER_URL,
    { stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: COMPILER_HEAP_MB } },
    m => { if (!("ready" in m)) return false; this.tid = m.tid; return true; },
    w => {
      w.stdout.resume();
      w.stderr.on("data", (chunk: Buffer) => { if (this.stderr.length < 16_384) this.stderr += chunk.toString(); });
    },
    code => `worker exited with code ${code}${this.stderr ? `: ${this.stderr.trim().slice(0, 500)}` : ""}`);
  get spawned(): number { return this.pool.spawned; }

  /** Compiles `files` (engine/compile.ts compileDatastore) in the worker. Never rejects. */
  async compile(files: Record<string, string>, o: IsolatedCompileOptions = {}): Promise<IsolatedCompileResult> {
    const file = o.file ?? "datastore.ts";
    const ms = o.deadlineMs ?? DEFAULT_COMPILE_DEADLINE_MS;
    const cacheDir = o.cache === true ? COMPILE_CACHE_DIR : typeof o.cache === "string" ? o.cache : null;
    const known = await storedCompile(ascVersion(), files, cacheDir ? { store: diskCompileStore(cacheDir) } : {});
    if (known) return known;
    let w: Worker;
    try {
      w = await this.pool.start();
    } catch (e) {
      return { ok: false, error: { kind: "internal", message: `cannot start the compiler worker: ${(e as Error).message}` } };
    }
    const id = this.nextId++;
    this.stderr = "";
    return new Promise<IsolatedCompileResult>(resolve => {
      let settled = false, oom = false;
      const done = (r: IsolatedCompileResult, kill: boolean) => {
        if (settled) return;
        settled = true;
        cancel();
        w.off("message", onMessage); w.off("error", onError); w.off("exit", onExit);
        if (kill) this.pool.discard(w); else w.unref();
        resolve(r);
      };
      const onMessage = (m: CompileAnswer) => {
        if ("id" in m && m.id === id) done(m.result, false);
      };
      const onError = (e: Error) => { if ((e as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY") oom = true; };
      const onExit = (code: number) => {
        // asc's crash report reaches us through the worker's stderr, which may still be flowing
        let waited = false;
        const report = () => {
          if (waited) return;
          waited = true;
          done({ ok: false, stopped: "crashed", error: { kind: "compile", diagnostics: [], message: crashMessage(file, code, oom, this.stderr) } }, true);
        };
        if (w.stderr.readableEnded) { report(); return; }
        w.stderr.once("end", report);
        setTimeout(report, 500).unref();
      };
      // The deadline is the compiler thread's CPU time (cli/thread-clock.ts), as for the runner.
      const cancel = cpuDeadline(ms, WALL_CAP, () => done({ ok: false, stopped: "timeout", error: { kind: "timeout", ms,
        message: `compiling ${file} took longer than ${ms} ms and was stopped (nested generics can make the compiler run for minutes)` } }, true),
        threadCpuClock(w, this.tid));
      w.on("message", onMessage); w.on("error", onError); w.on("exit", onExit);
      w.ref();
      w.postMessage({ id, files, cacheDir } satisfies CompileRequest);
    });
  }

  /** Terminates the worker, if any. The compiler can still be used: the next compile starts one. */
  close(): Promise<void> { return this.pool.close(); }
}

/** The message for a compiler worker that exited instead of answering. `log` is what it wrote
 *  to stderr: asc's "Whoops, the AssemblyScript compiler has crashed during compile" report,
 *  whose error line ("RangeError: Maximum call stack size exceeded") is quoted. */
export function crashMessage(file: string, code: number, oom: boolean, log: string): string {
  const lines = log.split("\n").map(l => l.replace(/^\s*\u258C\s?/, "").trim());
  const phase = /has crashed during (\S+)/.exec(log)?.[1];
  const why = oom ? "it ran out of memory" : lines.find(l => /^[A-Za-z]*Error\b/.test(l));
  return `the AssemblyScript compiler crashed on ${file}${phase ? ` during ${phase}` : ""} ` +
    `(${why ? `${why}; ` : ""}exit code ${code}). This is a bug in asc that the code triggers, ` +
    `not an error it can point to: recursive or deeply nested generics are the usual cause; change that code and compile again.`;
}
