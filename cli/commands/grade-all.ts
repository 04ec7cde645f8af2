// cli/commands/grade-all.ts: `prefault grade-all`, a whole class in one command.
//
//   prefault grade-all --lesson ID SUBMISSIONS_DIR [--jobs N] [--out report.csv|report.json]
//                      [--shard K/N] [--checks DIR] [--deadline-ms MS]
//
//   SUBMISSIONS_DIR/
//     alice/datastore.ts     one folder per student; the folder's name is the student
//     bob/datastore.ts
//
// Each submission is graded by the same function as `prefault grade` (gradeFolder() below, in a
// worker thread), so a student gets the same report alone or in a batch. N worker threads each
// keep their compiler warm and take the next folder when done; a worker that does not answer
// within the deadline (a compile that never ends) is terminated, the submission recorded as an
// error, and a fresh worker takes its place. --shard K/N grades only the K-th of N slices of the
// sorted folder list, for a CI matrix; `prefault merge-reports` joins the slices.
//
// This file is also the worker's entry: started with workerData.prefaultGradeAll it serves
// grading requests instead of exporting a command.

import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Report } from "../../engine/types.js";
import { emitBatchJson, errorReport, makeBatch, parseShard, shardOf } from "../../engine/report/batch.js";
import { emitCsv } from "../../engine/report/csv.js";
import { fmtPoints } from "../../engine/report/util.js";
import { gradeFolder, loadGrader, type GraderOptions } from "../grade-submission.js";

/** A grading request to a worker and its answer. */
type Request = { id: number; student: string; dir: string };
type Answer = { id: number; report: Report } | { ready: true; max_score: number } | { fatal: string };

/** Default time a worker may spend on one submission before it is terminated (compile + every
 *  scenario, each of which also has its own, shorter deadline). */
const DEFAULT_SUBMISSION_DEADLINE_MS = 60_000;

interface PoolOptions extends GraderOptions {
  jobs: number;
  deadlineMs: number;
  onProgress?: (done: number, total: number) => void;
}

/** Grades every (student, folder) pair in `jobs` worker threads and returns the reports, in the
 *  order given. A worker crash or a deadline overrun gives that student an error report; it
 *  never fails the batch. Rejects only when no worker can start at all (e.g. an unknown lesson). */
export async function gradeInWorkers(subs: { student: string; dir: string }[], o: PoolOptions): Promise<Report[]> {
  const reports: (Report | undefined)[] = new Array(subs.length);
  let next = 0, done = 0, maxScore = 0;
  const total = subs.length;
  const url = new URL(import.meta.url);
  const data = { prefaultGradeAll: true, lesson: o.lesson, checksDir: o.checksDir ?? null, lessonsDir: o.lessonsDir ?? null };

  function finish(i: number, r: Report): void {
    if (reports[i] !== undefined) return;
    reports[i] = r; done++;
    o.onProgress?.(done, total);
  }

  // one worker slot: starts a worker, feeds it submissions until none are left, replaces it when
  // it dies or overruns; resolves when the queue is empty
  function slot(): Promise<void> {
    return new Promise<void>((resolveSlot, rejectSlot) => {
      let w: Worker, current = -1, timer: ReturnType<typeof setTimeout> | undefined, everReady = false;
      const start = (): void => {
        w = new Worker(url, { workerData: data, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
        w.stdout.resume(); w.stderr.resume();   // a submission cannot print into the class report
        w.on("message", (m: Answer) => {
          if ("fatal" in m) { w.terminate(); rejectSlot(new Error(m.fatal)); return; }
          if ("ready" in m) { everReady = true; maxScore = m.max_score; feed(); return; }
          clearTimeout(timer);
          finish(m.id, m.report);
          current = -1;
          feed();
        });
        w.on("error", () => undefined);
        w.on("exit", () => {
          clearTimeout(timer);
          if (current >= 0) {
            finish(current, errorReport(o.lesson, maxScore, "the grader stopped while grading this submission"));
            current = -1;
          }
          if (next < total) {
            if (!everReady) { rejectSlot(new Error("the grading worker could not start")); return; }
            start();
          } else resolveSlot();
        });
      };
      const feed = (): void => {
        if (next >= total) { w.terminate(); return; }
        current = next++;
        const req: Request = { id: current, student: subs[current].student, dir: subs[current].dir };
        timer = setTimeout(() => {
          finish(req.id, errorReport(o.lesson, maxScore,
            `grading took longer than ${o.deadlineMs} ms (a compile or a scenario that never ends) and was stopped`));
          current = -1;
          w.terminate();   // exit handler starts a fresh worker for the rest
        }, o.deadlineMs);
        w.postMessage(req);
      };
      start();
    });
  }

  const n = Math.max(1, Math.min(o.jobs, total));
  await Promise.all(Array.from({ length: total === 0 ? 0 : n }, slot));
  return reports.map((r, i) => r ?? errorReport(o.lesson, maxScore, `not graded: ${subs[i].student}`));
}

// ---- worker side ----------------------------------------------------------------------------

async function serve(): Promise<void> {
  const port = parentPort!;
  const d = workerData as { lesson: string; checksDir: string | null; lessonsDir: string | null };
  const g = await loadGrader({ lesson: d.lesson, checksDir: d.checksDir ?? undefined, lessonsDir: d.lessonsDir ?? undefined });
  if (!g.ok) { port.postMessage({ fatal: g.message } satisfies Answer); return; }
  port.on("message", async (req: Request) => {
    const report = await gradeFolder(g.grader, req.dir);
    port.postMessage({ id: req.id, report } satisfies Answer);
  });
  port.postMessage({ ready: true, max_score: g.grader.maxScore } satisfies Answer);
}

if (!isMainThread && (workerData as { prefaultGradeAll?: boolean } | null)?.prefaultGradeAll) {
  serve().catch(e => parentPort!.postMessage({ fatal: `grade-all worker: ${(e as Error)?.message ?? e}` } satisfies Answer));
}

// ---- command --------------------------------------------------------------------------------

interface Args {
  lesson?: string; dir?: string; jobs: number; out?: string; shard?: string; checks?: string;
  lessonsDir?: string; deadlineMs: number;
}

function parseArgs(argv: string[]): { ok: true; args: Args } | { ok: false; message: string } {
  const a: Args = { jobs: Math.max(1, Math.min(availableParallelism(), 8)), deadlineMs: DEFAULT_SUBMISSION_DEADLINE_MS };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = (): string | undefined => argv[++i];
    if (k === "--lesson") a.lesson = val();
    else if (k === "--jobs" || k === "-j") a.jobs = Number(val());
    else if (k === "--out" || k === "-o") a.out = val();
    else if (k === "--shard") a.shard = val();
    else if (k === "--checks") a.checks = val();
    else if (k === "--lessons-dir") a.lessonsDir = val();
    else if (k === "--deadline-ms") a.deadlineMs = Number(val());
    else if (k.startsWith("-")) return { ok: false, message: `unknown option ${k}` };
    else if (a.dir === undefined) a.dir = k;
    else return { ok: false, message: `one SUBMISSIONS_DIR only (got ${a.dir} and ${k})` };
  }
  if (!a.lesson) return { ok: false, message: "--lesson ID is required" };
  if (!a.dir) return { ok: false, message: "SUBMISSIONS_DIR is required" };
  if (!Number.isInteger(a.jobs) || a.jobs < 1) return { ok: false, message: "--jobs must be a positive integer" };
  if (!Number.isFinite(a.deadlineMs) || a.deadlineMs < 100) return { ok: false, message: "--deadline-ms must be at least 100" };
  if (a.shard !== undefined && parseShard(a.shard) === null) return { ok: false, message: `--shard must be K/N with 1 <= K <= N (got ${a.shard})` };
  if (a.out !== undefined && !/\.(csv|json)$/i.test(a.out)) return { ok: false, message: "--out must end in .csv or .json" };
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
  usage: "prefault grade-all --lesson ID SUBMISSIONS_DIR [--jobs N] [--out report.csv|report.json] [--shard K/N] [--checks DIR] [--deadline-ms MS]",
  async run(argv: string[]): Promise<number> {
    const p = parseArgs(argv);
    if (!p.ok) { process.stderr.write(`grade-all: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const a = p.args;
    const root = resolve(a.dir!);
    let names: string[];
    try {
      names = readdirSync(root, { withFileTypes: true })
        .filter(e => e.isDirectory() && !e.name.startsWith(".")).map(e => e.name);
    } catch (e) {
      process.stderr.write(`grade-all: cannot read ${root}: ${(e as Error).message}\n`);
      return 2;
    }
    const shard = a.shard ? parseShard(a.shard)! : null;
    const mine = shard ? shardOf(names, shard.k, shard.n) : shardOf(names, 1, 1);
    const subs = mine.map(student => ({ student, dir: join(root, student) }));
    const bar = progressBar();
    let reports: Report[];
    try {
      reports = await gradeInWorkers(subs, {
        lesson: a.lesson!, checksDir: a.checks, lessonsDir: a.lessonsDir, jobs: a.jobs, deadlineMs: a.deadlineMs,
        onProgress: (d, t) => bar.update(d, t),
      });
    } catch (e) {
      bar.end();
      process.stderr.write(`grade-all: ${(e as Error).message}\n`);
      return 2;
    }
    bar.end();
    const batch = makeBatch(a.lesson!, a.shard ?? null, subs.map((s, i) => [s.student, reports[i]]));
    const text = a.out && /\.json$/i.test(a.out) ? emitBatchJson(batch) : emitCsv(batch.rows);
    if (a.out) writeFileSync(a.out, text); else process.stdout.write(text);
    const errors = batch.rows.filter(r => r.status === "error").length;
    const passed = batch.rows.filter(r => r.status === "pass").length;
    const mean = batch.rows.length ? batch.rows.reduce((s, r) => s + r.score, 0) / batch.rows.length : 0;
    process.stderr.write(`graded ${batch.rows.length} submission(s)${shard ? ` (shard ${a.shard})` : ""}: ` +
      `${passed} full marks, ${errors} error(s), mean score ${fmtPoints(mean)}` +
      `${batch.rows[0] ? `/${fmtPoints(batch.rows[0].max_score)}` : ""}${a.out ? `; wrote ${a.out}` : ""}\n`);
    return 0;
  },
};
