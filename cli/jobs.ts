// cli/jobs.ts: how many grading workers a machine can carry. Each worker holds the compiler
// (asc, ~400 MB resident when warm) and a runner; more workers than cores only queue for CPU,
// and more than memory holds end in swapping or the OOM killer, not in faster grading.

import { availableParallelism, totalmem } from "node:os";

/** Resident memory one grading worker is budgeted (MB): asc warm plus a runner and headroom. */
export const WORKER_BUDGET_MB = 600;

/** The most workers this machine takes: its cores, and its memory at WORKER_BUDGET_MB each
 *  (half of it, leaving the rest to the system), at least 1. */
export function maxJobs(cores = availableParallelism(), memBytes = totalmem()): number {
  const byMem = Math.floor(memBytes / 2 / (WORKER_BUDGET_MB * 1024 * 1024));
  return Math.max(1, Math.min(cores, byMem));
}

/** `requested` capped at maxJobs(), with the warning to print when it was cut. */
export function capJobs(requested: number, max = maxJobs()): { jobs: number; warning?: string } {
  if (requested <= max) return { jobs: requested };
  return { jobs: max, warning: `--jobs ${requested} is more than this machine can run at once (${availableParallelism()} cores, ` +
    `${Math.round(totalmem() / 2 ** 30)} GB of memory at ~${WORKER_BUDGET_MB} MB per worker): using ${max}` };
}
