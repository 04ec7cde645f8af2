// engine/limits.ts: every limit Prefault puts on a submission, in one place. The CLI, the
// grading pool and the browser read them from here; nothing else hard-codes a deadline or a cap.
//
// Two kinds of limit, on purpose:
//
//   deterministic  LEARNER_FUEL: how much learner code one scenario may execute, counted in
//                  Wasm (engine/fuel.ts instruments every loop iteration, function entry and
//                  return of the learner's module). It is the same count on every machine, in
//                  Node and in every browser, whatever the load: a handler that never returns
//                  runs out of it at the same place every time, and the report is the same.
//                  When it runs out the kernel reports a soft lockup (engine/machine.ts).
//   backstops      deadlines in time, for what fuel cannot meter (the kernel model itself, a
//                  compiler that never ends, a worker that hangs in the engine). In Node they
//                  count the CPU time of the worker thread doing the work (engine/runner.ts,
//                  cli/thread-clock.ts); the browser has no per-thread CPU clock, so there they
//                  count wall time, and are set generously. A finite handler never meets one:
//                  the fuel runs out long before (at about 0.05-0.3 s of CPU on a laptop).

/** Learner loop iterations, function entries and returns one scenario may execute. A real fault
 *  handler uses a few per fault; 20 million is about 0.1 s of a busy loop on a laptop. */
export const LEARNER_FUEL = 20_000_000;

/** The learner module's memory cap, in 64 KiB Wasm pages (asc --maximumMemory): 1 MiB. */
export const LEARNER_MAX_MEMORY_PAGES = 16;

/** The duration the soft-lockup line in dmesg names. Linux's watchdog (kernel/watchdog.c) flags
 *  a CPU stuck in kernel code for more than 2 * watchdog_thresh = 20 s (watchdog_thresh defaults
 *  to 10), checked every 4 s; the report lands at 22-24 s. The model has no wall clock: running
 *  out of LEARNER_FUEL stands for that, and the line names the threshold the kernel would. */
export const SOFT_LOCKUP_SECONDS = 22;

/** Backstop per scenario (Node: CPU ms of the runner's worker thread), `--deadline`/`--deadline-ms`. */
export const SCENARIO_DEADLINE_MS = 10_000;

/** The least --deadline-ms and --compile-deadline-ms any command takes: below it a correct
 *  handler or a small compile would be stopped too, and reported as hung. */
export const MIN_DEADLINE_MS = 100;

/** Whatever the clock, a stuck worker is stopped after this many deadlines of wall time. Large,
 *  so that only a worker that stopped using CPU meets it: on a machine starved 10x over (a class
 *  graded beside other work) a slow but finite compile or scenario still ends on its CPU time,
 *  and its report does not depend on the load. */
export const WALL_CAP = 20;

/** The browser's backstop per scenario, in wall time (no thread CPU clock there). */
export const BROWSER_SCENARIO_DEADLINE_MS = 20_000;

/** Backstop for one compile (Node: CPU ms of the compiler's worker thread), `--compile-deadline(-ms)`. */
export const COMPILE_DEADLINE_MS = 20_000;

/** The browser's backstop for one compile, in wall time. */
export const BROWSER_COMPILE_DEADLINE_MS = 60_000;

/** Backstop for grading one submission in all (compile and every scenario), `--submission-deadline-ms`. */
export const SUBMISSION_DEADLINE_MS = 120_000;

/** Resident memory (MB) one submission may add to the grader's process while it is graded (its
 *  compile and its runs), monitored (cli/rss-watch.ts): the heap cap below bounds only the V8
 *  heap, not asc's Wasm memory or the runners'. */
export const SUBMISSION_RSS_MB = 2048;

/** Heap cap (MB) of a worker thread that runs asc: asc needs ~400 MB, a hostile compile far more. */
export const COMPILER_HEAP_MB = 2048;
