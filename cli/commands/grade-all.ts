// cli/commands/grade-all.ts: `prefault grade-all`, a whole class in one command, and the
// grading pool it (and `prefault grade`, through gradeIsolated) grades in.
//
//   prefault grade-all --lesson ID SUBMISSIONS_DIR [--jobs N] [--out report.csv|report.json|class.html]
//                      [--shard K/N] [--checks DIR] [--deadline-ms MS] [--compile-deadline-ms MS]
//                      [--submission-deadline-ms MS]
//   (--deadline-ms is per scenario, as for `prefault grade`)
//
//   SUBMISSIONS_DIR/
//     alice/datastore.ts     one folder per student; the folder's name is the student
//     bob/datastore.ts
//
//   main thread ── GradePool ──┬─ worker 1: lesson loaded, asc warm ─ runner worker (deadline)
//                              └─ worker N: ...
//
// Each worker grades with cli/grade-submission.ts (gradePaths / gradeFiles), so a student
// gets the same report alone or in a batch. A worker that does not answer within the deadline
// (a compile that never ends), exits (asc calls process.exit when it crashes) or runs out of
// memory is terminated, the submission gets an error report, and a fresh worker takes its place.
// --shard K/N grades only the K-th of N slices of the sorted folder list, for a CI matrix;
// `prefault merge-reports` joins the slices.
//
// This file is also the workers' entry: started with workerData.prefaultGradeAll it serves
// grading requests instead of exporting a command.

import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EngineError, Report } from "../../engine/types.js";
import type { Lesson } from "../../engine/lesson.js";
import { gradeLesson } from "../../engine/grade.js";
import { gradeSubmission } from "../../engine/grade-submission.js";
import { emitBatchJson, errorReport, makeBatch, parseShard, shardOf } from "../../engine/report/batch.js";
import { emitCsv } from "../../engine/report/csv.js";
import { classHtml } from "../class-report.js";
import { fmtPoints } from "../../engine/report/util.js";
import { COMPILE_DEADLINE_MS, COMPILER_HEAP_MB, MIN_DEADLINE_MS, SUBMISSION_DEADLINE_MS, SUBMISSION_RSS_MB, WALL_CAP } from "../../engine/limits.js";
import { DEFAULT_LESSONS_DIR, gradeFiles, gradePaths, listLessonIds, loadGrader, type GraderOptions } from "../grade-submission.js";
import type { FsPath } from "../submission-reader.js";
import { listClassFolder } from "../class-folder.js";
import { checkOutPath, writeOutFile } from "../out-file.js";
import { capJobs } from "../jobs.js";
import { crashMessage } from "../node-compiler.js";
import { cpuDeadline } from "../warm-worker.js";
import { RssWatch } from "../rss-watch.js";
import { threadCpuClock, workerThreadId } from "../thread-clock.js";
import { intOption, parseCommandArgs, type OptionsSpec } from "../args.js";

/** One submission: a folder holding the lesson's editable files, the files themselves, or the
 *  paths `prefault grade` was given (files or folders). Read by cli/submission-reader.ts; paths
 *  may be bytes (a class folder entry whose name is not UTF-8). */
export type Submission = { dir: FsPath; shown?: string } | { files: Record<string, string> } | { paths: FsPath[]; shown?: string[] }
  /** an entry refused before grading (a class folder's symbolic link): an error report */
  | { refused: EngineError };

type Request = { id: number; sub: Submission };
type Answer =
  | { id: number; report: Report }
  | { id: number; phase: "compile" | "run" }
  | { ready: true; lesson: Lesson; tid?: number }
  | { fatal: string };

/** Default time one submission may take in all (compile + every scenario; each scenario also
 *  has the runner's own, shorter deadline). */
export const DEFAULT_SUBMISSION_DEADLINE_MS = SUBMISSION_DEADLINE_MS;
/** Default time one compile may take (a few-line generic can make asc run for minutes). */
export const DEFAULT_COMPILE_DEADLINE_MS = COMPILE_DEADLINE_MS;

/** Tries to start a worker that dies before it is ready for no stated reason. */
const START_ATTEMPTS = 3;

/** Heap limit of a grading worker (MB); asc needs ~400 MB, a hostile compile far more. */
const WORKER_HEAP_MB = COMPILER_HEAP_MB;

/** Young-generation size of a grading worker (MB). asc allocates short-lived objects at a high
 *  rate: with V8's default (16 MB semi-spaces) a quarter of a worker's CPU went to scavenges. */
const WORKER_YOUNG_MB = 96;

export interface PoolOptions extends GraderOptions {
  /** worker threads, >= 1 */
  jobs: number;
  /** per submission (compile and every scenario), ms */
  submissionDeadlineMs?: number;
  /** per compile, ms */
  compileDeadlineMs?: number;
  /** warm each worker's compiler before it takes work (default true; a pool that grades one
   *  submission only would pay for it twice) */
  warm?: boolean;
  /** resident memory one submission may add (MB), monitored (cli/rss-watch.ts); default SUBMISSION_RSS_MB */
  rssMb?: number;
}

/** gradeOnce()'s answer when the memory cap stopped a submission that was not alone: grade it again, alone. */
const AGAIN = Symbol("again");

/** A set of grading worker threads, each with the lesson loaded and its compiler warm. grade()
 *  hands a submission to the next free worker and resolves with its Report; it never rejects
 *  for a submission's sake: a worker that crashes (asc calls process.exit on an internal
 *  crash), runs out of memory or overruns a deadline is terminated, the submission gets an
 *  error report, and a fresh worker takes its place. Callers: grade-all, gradeIsolated(). */
export class GradePool {
  private readonly deadlineMs: number;
  private readonly compileDeadlineMs: number;
  private readonly idle: Worker[] = [];
  private readonly waiting: { res: (w: Worker) => void; rej: (e: Error) => void }[] = [];
  private readonly live = new Set<Worker>();
  /** each worker's stderr since its current submission started (capped), for crash reports */
  private readonly logs = new WeakMap<Worker, string>();
  /** each worker's OS thread id (Linux), for its CPU clock (cli/thread-clock.ts) */
  private readonly tids = new WeakMap<Worker, number | undefined>();
  private starting = 0;
  private nextId = 0;
  private lesson: Lesson | undefined;
  private fatal: Error | undefined;
  private closed = false;
  private readonly rss: RssWatch;
  private readonly rssMb: number;
  /** submissions being graded (sent to a worker, no answer yet) */
  private inflight = 0;
  /** gradings waiting to run, or running, alone */
  private aloneDepth = 0;
  private aloneChain: Promise<unknown> = Promise.resolve();
  private readonly gateWaiters: (() => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];

  constructor(private readonly o: PoolOptions) {
    this.deadlineMs = o.submissionDeadlineMs ?? DEFAULT_SUBMISSION_DEADLINE_MS;
    this.compileDeadlineMs = o.compileDeadlineMs ?? DEFAULT_COMPILE_DEADLINE_MS;
    this.rssMb = o.rssMb ?? SUBMISSION_RSS_MB;
    this.rss = new RssWatch(this.rssMb);
  }

  /** The lesson as the workers loaded it (once a worker is ready). */
  get loadedLesson(): Lesson | undefined { return this.lesson; }

  /** Grades one submission. Rejects only when no worker can start (unknown lesson, no build).
   *  A submission stopped by the memory cap while others were graded with it is graded again
   *  alone (cli/rss-watch.ts), so its report never depends on its neighbours. */
  async grade(sub: Submission): Promise<Report> {
    const r = await this.gradeOnce(sub, false);
    return r === AGAIN ? this.alone(() => this.gradeOnce(sub, true)) : r;
  }

  // runs `fn` once no other submission is in flight, and holds new ones back until it is done
  private async alone(fn: () => Promise<Report | typeof AGAIN>): Promise<Report> {
    this.aloneDepth++;
    const run = this.aloneChain.then(async () => {
      while (this.inflight > 0) await new Promise<void>(r => this.drainWaiters.push(r));
      return fn();
    });
    this.aloneChain = run.catch(() => undefined);
    try {
      const r = await run;
      // alone, the cap gives the final verdict (RssWatch calls over(true)): never AGAIN
      return r === AGAIN ? this.failed({ kind: "internal", message: "the memory cap stopped this submission" }) : r;
    } finally {
      if (--this.aloneDepth === 0) for (const g of this.gateWaiters.splice(0)) g();
    }
  }

  private async gradeOnce(sub: Submission, isAlone: boolean): Promise<Report | typeof AGAIN> {
    let w: Worker;
    for (;;) {
      w = await this.acquire();
      if (isAlone || this.aloneDepth === 0) break;
      // a submission is being graded alone: wait for it
      this.release(w);
      await new Promise<void>(r => this.gateWaiters.push(r));
    }
    const id = this.nextId++;
    this.inflight++;
    return new Promise<Report | typeof AGAIN>(resolveReport => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let phase: "start" | "compile" | "run" = "start";
      const started = Date.now();
      // (re)arms the deadline of the current phase: a compile gets the compile deadline, counted
      // in CPU time of this worker's thread (asc runs there), so that other workers, the system
      // and the load do not count; nothing outlives the submission's total (wall time, a backstop)
      let cancelCompile = (): void => undefined;
      const arm = (): void => {
        clearTimeout(timer); cancelCompile();
        const left = this.deadlineMs - (Date.now() - started);
        const total = (): void => finish(this.failed({ kind: "timeout", ms: this.deadlineMs,
          message: `grading took longer than ${this.deadlineMs} ms and was stopped` }), true);
        timer = setTimeout(total, Math.max(1, left));
        if (phase === "compile") {
          const ms = this.compileDeadlineMs;
          cancelCompile = cpuDeadline(ms, WALL_CAP, () => finish(this.failed({ kind: "timeout", ms,
            message: `compiling took longer than ${ms} ms and was stopped` }), true), threadCpuClock(w, this.tids.get(w)));
        }
      };
      let finished = false;
      const finish = (r: Report | typeof AGAIN, kill: boolean): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer); cancelCompile(); unwatch();
        w.off("message", onMessage); w.off("exit", onExit);
        if (kill) this.discard(w); else this.release(w);
        if (--this.inflight === 0) for (const d of this.drainWaiters.splice(0)) d();
        resolveReport(r);
      };
      // the memory cap: alone, over it is this submission's fault; with others, grade it again alone
      const unwatch = this.rss.add(alone => {
        if (!alone) { finish(AGAIN, true); return; }
        const message = `grading used more than ${this.rssMb} MB of memory (resident) and was stopped`;
        finish(this.failed(phase === "compile"
          ? { kind: "compile", diagnostics: [], message: `the AssemblyScript compiler used more than ${this.rssMb} MB of memory (resident) on datastore.ts and was stopped: recursive or deeply nested generics are the usual cause` }
          : { kind: "internal", message }), true);
      });
      const onMessage = (m: Answer): void => {
        if (!("id" in m) || m.id !== id) return;
        if ("phase" in m) { phase = m.phase; arm(); return; }
        finish(m.report, false);
      };
      // asc's crash report (its own words) comes through the worker's stderr, which may still be
      // flowing when the exit is seen
      this.logs.set(w, "");
      const onExit = (code: number): void => {
        let reported = false;
        const report = (): void => {
          if (reported) return;
          reported = true;
          const log = this.logs.get(w) ?? "";
          const crashed = phase === "compile" || /has crashed during/.test(log);
          finish(this.failed(crashed
            ? { kind: "compile", diagnostics: [], message: crashMessage("datastore.ts", code, /heap out of memory|ERR_WORKER_OUT_OF_MEMORY/.test(log), log) }
            : { kind: "internal", message: `the grader stopped (exit code ${code}) while grading this submission` }), true);
        };
        if (w.stderr.readableEnded) { report(); return; }
        w.stderr.once("end", report);
        // the stream ends right after the exit; the timer only covers one that never does (a slow
        // machine must not cut asc's words short: the report would change with the load)
        setTimeout(report, 10_000).unref();
      };
      w.on("message", onMessage); w.on("exit", onExit);
      arm();
      w.postMessage({ id, sub } satisfies Request);
    });
  }

  /** Terminates every worker; grade() may not be called afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const ws = [...this.live];
    this.live.clear(); this.idle.length = 0;
    await Promise.all(ws.map(w => w.terminate()));
  }

  // an error report in the lesson's shape (every check "error"), as gradeLesson makes for a
  // compile error, so a stopped submission reads like any other that could not run
  private failed(error: EngineError): Report {
    if (this.lesson) return gradeLesson(this.lesson, { ok: false, error });
    return errorReport(this.o.lesson, 0, error.message);
  }

  private acquire(): Promise<Worker> {
    if (this.fatal) return Promise.reject(this.fatal);
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    const p = new Promise<Worker>((res, rej) => this.waiting.push({ res, rej }));
    if (this.live.size + this.starting < this.o.jobs) this.spawn();
    return p;
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next.res(w); else this.idle.push(w);
  }

  private discard(w: Worker): void {
    this.live.delete(w);
    void w.terminate().catch(() => undefined);
    if (!this.closed && this.waiting.length > this.starting) this.spawn();
  }

  // starts a worker; one that dies before it is ready for no stated reason (not a bad lesson,
  // which it reports as `fatal`) is retried, up to START_ATTEMPTS times in all
  private spawn(attempt = 1): void {
    this.starting++;
    const data = { prefaultGradeAll: true, lesson: this.o.lesson, checksDir: this.o.checksDir ?? null,
      lessonsDir: this.o.lessonsDir ?? null, deadlineMs: this.o.deadlineMs ?? null, warm: this.o.warm ?? true };
    // the heap cap turns a compiler that eats memory (nested generics) into an error report
    const w = new Worker(new URL(import.meta.url), { workerData: data, stdout: true, stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    // whatever asc or a submission prints stays out of reports; the start-up output is kept
    // (capped) to explain a worker that could not start
    let startLog = "";
    const keep = (chunk: Buffer): void => { if (startLog.length < 2000) startLog += chunk.toString(); };
    w.stdout.resume(); w.stderr.on("data", keep);
    let lastError = "";
    const log = (chunk: Buffer): void => { const l = this.logs.get(w) ?? ""; if (l.length < 16_384) this.logs.set(w, l + chunk.toString()); };
    const off = (): void => { w.off("message", onMessage); w.off("exit", onExit); w.stderr.off("data", keep); w.stderr.on("data", log); };
    const onMessage = (m: Answer): void => {
      if ("fatal" in m) { off(); this.starting--; void w.terminate(); this.startFailed(new Error(m.fatal)); return; }
      if ("ready" in m) {
        off(); this.starting--;
        if (this.closed) { void w.terminate(); return; }
        this.lesson ??= m.lesson;
        this.tids.set(w, m.tid);
        this.live.add(w);
        this.release(w);
      }
    };
    const onExit = (code: number): void => {
      off(); this.starting--;
      if (!this.closed && attempt < START_ATTEMPTS) { this.spawn(attempt + 1); return; }
      const why = (lastError || startLog.trim()).slice(0, 500);
      this.startFailed(new Error(`the grading worker could not start (exit code ${code})${why ? `: ${why}` : ""}`));
    };
    w.on("message", onMessage); w.on("exit", onExit);
    w.on("error", e => { lastError = e?.message ?? String(e); });
  }

  // a worker did not start: when none is alive or starting, no submission can be graded
  private startFailed(e: Error): void {
    if (this.live.size > 0 || this.starting > 0) return;
    this.fatal = e;
    for (const w of this.waiting.splice(0)) w.rej(e);
  }
}

/** Grades one submission in a fresh one-worker pool: a compile or a run that never ends, or a
 *  compiler that calls process.exit, cannot take the caller down. The report is the one
 *  grade-all gives for the same files. For `prefault grade`. */
export async function gradeIsolated(o: Omit<PoolOptions, "jobs">, sub: Submission): Promise<Report> {
  const pool = new GradePool({ ...o, jobs: 1, warm: false });
  try { return await pool.grade(sub); } finally { await pool.close(); }
}

/** Grades every submission with `jobs` workers; reports in the order given. onProgress is
 *  called after each. Rejects only when no worker can start. */
export async function gradeAll(subs: { student: string; sub: Submission }[], o: PoolOptions,
                               onProgress?: (done: number, total: number) => void): Promise<Report[]> {
  const pool = new GradePool(o);
  let done = 0;
  try {
    return await Promise.all(subs.map(async s => {
      const r = await pool.grade(s.sub);
      onProgress?.(++done, subs.length);
      return r;
    }));
  } finally { await pool.close(); }
}

// ---- worker side ----------------------------------------------------------------------------

async function serve(): Promise<void> {
  const port = parentPort!;
  const d = workerData as { lesson: string; checksDir: string | null; lessonsDir: string | null; deadlineMs: number | null; warm: boolean };
  const g = await loadGrader({ lesson: d.lesson, checksDir: d.checksDir ?? undefined, lessonsDir: d.lessonsDir ?? undefined,
    deadlineMs: d.deadlineMs ?? undefined });
  if (!g.ok) { port.postMessage({ fatal: g.message } satisfies Answer); return; }
  let current = -1;
  const compile = g.grader.deps.compile;
  // report the phase, so the pool can give a compile its own deadline
  g.grader.deps.compile = async files => {
    port.postMessage({ id: current, phase: "compile" } satisfies Answer);
    try { return await compile(files); } finally { port.postMessage({ id: current, phase: "run" } satisfies Answer); }
  };
  port.on("message", async (req: Request) => {
    current = req.id;
    let report: Report;
    try {
      const sub = req.sub;
      report = "refused" in sub ? gradeLesson(g.grader.lesson, { ok: false, error: sub.refused })
        : "files" in sub ? await gradeFiles(g.grader, sub.files)
        : await gradePaths(g.grader, "dir" in sub ? [sub.dir] : sub.paths, "dir" in sub ? (sub.shown !== undefined ? [sub.shown] : undefined) : sub.shown);
    } catch (e) {
      report = gradeLesson(g.grader.lesson, { ok: false, error: { kind: "internal", message: `grader error: ${(e as Error)?.message ?? e}` } });
    }
    port.postMessage({ id: req.id, report } satisfies Answer);
  });
  // warm the compiler: the first compile in a fresh thread costs 3-5x a warm one
  if (d.warm) try { await compile({ ...g.grader.lesson.starter }); } catch { /* graded submissions will say */ }
  port.postMessage({ ready: true, lesson: g.grader.lesson, tid: workerThreadId() } satisfies Answer);
}

if (!isMainThread && (workerData as { prefaultGradeAll?: boolean } | null)?.prefaultGradeAll) {
  serve().catch(e => parentPort!.postMessage({ fatal: `grade-all worker: ${(e as Error)?.message ?? e}` } satisfies Answer));
}

// ---- command --------------------------------------------------------------------------------

interface Args {
  lesson?: string; dir?: string; jobs: number; out?: string; shard?: string; checks?: string;
  lessonsDir?: string; deadlineMs?: number; submissionDeadlineMs: number; compileDeadlineMs: number;
}

const OPTIONS = {
  lesson: { type: "string" }, jobs: { type: "string", short: "j" }, out: { type: "string", short: "o" },
  shard: { type: "string" }, checks: { type: "string" }, "lessons-dir": { type: "string" },
  "deadline-ms": { type: "string", aliases: ["deadline"] },
  "submission-deadline-ms": { type: "string", aliases: ["submission-deadline"] },
  "compile-deadline-ms": { type: "string", aliases: ["compile-deadline"] },
} as const satisfies OptionsSpec;

function parseArgs(argv: string[]): { ok: true; args: Args } | { ok: false; message: string } {
  const p = parseCommandArgs(argv, OPTIONS, Infinity);
  if (!p.ok) return p;
  const v = p.values;
  if (p.positionals.length > 1) return { ok: false, message: `one SUBMISSIONS_DIR only (got ${p.positionals[0]} and ${p.positionals[1]})` };
  const jobs = intOption("jobs", v.jobs, 1), deadline = intOption("deadline-ms", v["deadline-ms"], MIN_DEADLINE_MS);
  const submission = intOption("submission-deadline-ms", v["submission-deadline-ms"], 1000);
  const compile = intOption("compile-deadline-ms", v["compile-deadline-ms"], MIN_DEADLINE_MS);
  for (const n of [jobs, deadline, submission, compile]) if (!n.ok) return n;
  const a: Args = {
    lesson: v.lesson, dir: p.positionals[0], out: v.out, shard: v.shard, checks: v.checks, lessonsDir: v["lessons-dir"],
    jobs: (jobs.ok && jobs.value) || Math.max(1, Math.min(availableParallelism(), 8)),
    deadlineMs: deadline.ok ? deadline.value : undefined,
    submissionDeadlineMs: (submission.ok && submission.value) || DEFAULT_SUBMISSION_DEADLINE_MS,
    compileDeadlineMs: (compile.ok && compile.value) || DEFAULT_COMPILE_DEADLINE_MS,
  };
  if (!a.lesson) return { ok: false, message: "--lesson ID is required" };
  if (!a.dir) return { ok: false, message: "SUBMISSIONS_DIR is required" };
  if (a.shard !== undefined && parseShard(a.shard) === null) return { ok: false, message: `--shard must be K/N with 1 <= K <= N (got ${a.shard})` };
  if (a.out !== undefined && !/\.(csv|json|html)$/i.test(a.out)) return { ok: false, message: "--out must end in .csv, .json or .html" };
  return { ok: true, args: a };
}

/** A progress bar on stderr, drawn only on a terminal. */
function progressBar(): { update(done: number, total: number): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  return {
    update(done, total) {
      if (!tty) return;
      const width = 30, fill = total === 0 ? width : Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(fill)}${" ".repeat(width - fill)}] ${done}/${total}`);
    },
    end() { if (tty) process.stderr.write("\n"); },
  };
}

export const command = {
  name: "grade-all",
  summary: "grade every submission folder of a class, in parallel (CSV or JSON per student)",
  usage: "prefault grade-all --lesson ID SUBMISSIONS_DIR [--jobs N] [--out report.csv|report.json|class.html] [--shard K/N] [--checks DIR] [--deadline-ms MS (per scenario)] [--compile-deadline-ms MS] [--submission-deadline-ms MS]",
  async run(argv: string[]): Promise<number> {
    const p = parseArgs(argv);
    if (!p.ok) { process.stderr.write(`grade-all: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const a = p.args;
    const lessonsDir = a.lessonsDir ?? DEFAULT_LESSONS_DIR;
    if (!existsSync(join(lessonsDir, a.lesson!, "lesson.json"))) {
      process.stderr.write(`grade-all: unknown lesson "${a.lesson}" (lessons: ${listLessonIds(lessonsDir).join(", ")})\n`);
      return 2;
    }
    const capped = capJobs(a.jobs);
    if (capped.warning) process.stderr.write(`grade-all: warning: ${capped.warning}\n`);
    const outProblem = a.out ? checkOutPath(a.out) : undefined;
    if (outProblem) { process.stderr.write(`grade-all: --out: ${outProblem}\n`); return 2; }
    const root = resolve(a.dir!);
    const listed = listClassFolder(root);
    if (!listed.ok) { process.stderr.write(`grade-all: ${listed.message}\n`); return 2; }
    const shard = a.shard ? parseShard(a.shard)! : null;
    const byName = new Map(listed.entries.map(e => [e.student, e.sub]));
    const mine = shard ? shardOf([...byName.keys()], shard.k, shard.n) : shardOf([...byName.keys()], 1, 1);
    const subs = mine.map(student => ({ student, sub: byName.get(student)! }));
    const bar = progressBar();
    bar.update(0, subs.length);
    let reports: Report[];
    try {
      reports = await gradeAll(subs, {
        lesson: a.lesson!, checksDir: a.checks, lessonsDir: a.lessonsDir, jobs: capped.jobs,
        deadlineMs: a.deadlineMs, submissionDeadlineMs: a.submissionDeadlineMs, compileDeadlineMs: a.compileDeadlineMs,
      }, (d, t) => bar.update(d, t));
    } catch (e) {
      bar.end();
      process.stderr.write(`grade-all: ${(e as Error).message}\n`);
      return 2;
    }
    bar.end();
    const batch = makeBatch(a.lesson!, a.shard ?? null, subs.map((s, i) => [s.student, reports[i]]));
    let text: string;
    if (a.out && /\.html$/i.test(a.out)) {
      const h = classHtml(batch);
      if (!h.ok) { process.stderr.write(`grade-all: ${h.message}\n`); return 3; }
      text = h.html;
    } else text = a.out && /\.json$/i.test(a.out) ? emitBatchJson(batch) : emitCsv(batch.rows);
    if (a.out) {
      const failed = writeOutFile(a.out, text);
      if (failed) { process.stderr.write(`grade-all: --out: ${failed}\n`); return 2; }
    } else process.stdout.write(text);
    const errors = batch.rows.filter(r => r.status === "error").length;
    const passed = batch.rows.filter(r => r.status === "pass").length;
    const mean = batch.rows.length ? batch.rows.reduce((s, r) => s + r.score, 0) / batch.rows.length : 0;
    process.stderr.write(`graded ${batch.rows.length} submission(s)${shard ? ` (shard ${a.shard})` : ""}: ` +
      `${passed} full marks, ${errors} error(s), mean score ${fmtPoints(mean)}` +
      `${batch.rows[0] ? `/${fmtPoints(batch.rows[0].max_score)}` : ""}${a.out ? `; wrote ${a.out}` : ""}\n`);
    return 0;
  },
};
