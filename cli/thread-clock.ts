// cli/thread-clock.ts: the CPU time of one worker thread, read from outside it, for the
// deadlines of the runner (engine/runner.ts) and the compiler (cli/node-compiler.ts). Only the
// worker's own thread counts: other workers grading other submissions (grade-all --jobs N),
// the main thread and the rest of the machine do not, so a loaded machine does not turn a slow
// but finite job into a timeout. A busy worker cannot report on itself (it is stuck in Wasm),
// so the clock is read by its parent:
//   1. worker.cpuUsage() (Node >= 24.6: the thread's user + system time);
//   2. on Linux, /proc/self/task/<tid>/schedstat (the ns the thread has run on a CPU), where tid
//      is the OS thread id the worker reports once (workerThreadId(), from /proc/thread-self);
//   3. otherwise process.cpuUsage(): every thread of the process (too much, never too little).
// (process.threadCpuUsage(), Node >= 22.15/23.9, measures the calling thread only: no use here.)

import { readFileSync } from "node:fs";
import type { Worker } from "node:worker_threads";

type CpuUsage = { user: number; system: number };

/** The OS thread id of the calling thread (Linux), or undefined. Called inside a worker. */
export function workerThreadId(): number | undefined {
  try {
    const tid = Number(readFileSync("/proc/thread-self/stat", "utf8").split(" ", 1)[0]);
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
  } catch { return undefined; }
}

/** A function giving worker `w`'s CPU time in ms (see above). `tid`: what the worker reported. */
export function threadCpuClock(w: Worker, tid: number | undefined): () => Promise<number> | number {
  const cpuUsage = (w as unknown as { cpuUsage?: () => Promise<CpuUsage> }).cpuUsage;
  if (typeof cpuUsage === "function") {
    return async () => { const u = await cpuUsage.call(w); return (u.user + u.system) / 1000; };
  }
  if (tid !== undefined) {
    const file = `/proc/self/task/${tid}/schedstat`;
    try {
      readFileSync(file, "utf8");
      let last = 0;
      // the thread's file disappears when it exits: keep the last reading then
      return () => { try { last = Number(readFileSync(file, "utf8").split(" ", 1)[0]) / 1e6; } catch { /* gone */ } return last; };
    } catch { /* no schedstat: fall through */ }
  }
  return () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
}
