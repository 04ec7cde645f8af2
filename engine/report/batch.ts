// engine/report/batch.ts: a class's results, one row per student (grade-all, merge-reports).
//
// A BatchReport is what `prefault grade-all` writes as JSON and `prefault merge-reports` reads
// back; the CSV form (csv.ts) is the same rows for a spreadsheet. Rows are always sorted by
// student (code-unit order), so shards merged in any order give byte-identical output.
// Teacher-facing: hidden checks appear with their details.

import type { Report } from "../types.js";

export interface BatchRow {
  /** the submission folder's name */
  student: string;
  score: number;
  max_score: number;
  status: Report["status"];
  /** ids of the checks that failed or errored, in the lesson's order */
  failed: string[];
  /** errors that stopped grading (compile diagnostics, a crash of the grader, a bad folder) */
  errors: string[];
}

export interface BatchReport {
  format: "prefault-batch";
  version: 1;
  lesson: string;
  /** which slice this is ("2/4"), or null for a whole class */
  shard: string | null;
  rows: BatchRow[];
  /** the full report of each student, by student */
  reports: Record<string, Report>;
}

/** The row summarising one student's report. Pure. */
export function batchRow(student: string, report: Report): BatchRow {
  return {
    student,
    score: report.score,
    max_score: report.max_score,
    status: report.status,
    failed: report.tests.filter(t => t.status !== "pass").map(t => t.id),
    errors: report.errors.map(e => e.file ? `${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}` : e.message),
  };
}

/** A report for a submission that could not be graded at all (unreadable folder, grader
 *  crash): score 0 of max_score, status "error", the message as its only error. */
export function errorReport(lesson: string, max_score: number, message: string): Report {
  return { lesson, score: 0, max_score, status: "error", tests: [], errors: [{ message }] };
}

/** Code-unit order, the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The batch of (student, report) pairs, rows and reports sorted by student. */
export function makeBatch(lesson: string, shard: string | null, graded: [string, Report][]): BatchReport {
  const sorted = [...graded].sort((x, y) => compareNames(x[0], y[0]));
  const reports: Record<string, Report> = {};
  for (const [s, r] of sorted) reports[s] = r;
  return { format: "prefault-batch", version: 1, lesson, shard, rows: sorted.map(([s, r]) => batchRow(s, r)), reports };
}

/** The batch as pretty JSON with a trailing newline. */
export function emitBatchJson(b: BatchReport): string {
  return JSON.stringify(b, null, 2) + "\n";
}

/** Parses "K/N" (1 <= K <= N) or returns null. */
export function parseShard(s: string): { k: number; n: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) return null;
  const k = Number(m[1]), n = Number(m[2]);
  return n >= 1 && k >= 1 && k <= n ? { k, n } : null;
}

/** The K-th of N contiguous slices of `names` after sorting them (code-unit order): slice sizes
 *  differ by at most one, and the N slices together hold every name exactly once. Pure. */
export function shardOf(names: string[], k: number, n: number): string[] {
  const sorted = [...names].sort(compareNames);
  const start = Math.floor(((k - 1) * sorted.length) / n);
  const end = Math.floor((k * sorted.length) / n);
  return sorted.slice(start, end);
}

export type MergeResult =
  | { ok: true; batch: BatchReport; warnings: string[] }
  | { ok: false; error: { kind: "invalid"; message: string; path: string } };

/** Joins shard batches into one: same lesson required, a student in two shards is refused,
 *  missing shards (by their "K/N") are warned about. Rows come out sorted. */
export function mergeBatches(parts: { name: string; batch: BatchReport }[]): MergeResult {
  const warnings: string[] = [];
  if (parts.length === 0) return { ok: false, error: { kind: "invalid", message: "no reports to merge", path: "" } };
  const lesson = parts[0].batch.lesson;
  const seen = new Map<string, string>();
  const graded: [string, Report][] = [];
  const rowsOnly: BatchRow[] = [];
  const shards = new Set<string>();
  let total: number | null = null;
  for (const { name, batch } of parts) {
    if (batch.lesson !== lesson) {
      return { ok: false, error: { kind: "invalid", message: `${name} grades lesson ${batch.lesson}, not ${lesson}`, path: `${name}/lesson` } };
    }
    if (batch.shard !== null) {
      const s = parseShard(batch.shard);
      if (s) {
        if (total !== null && total !== s.n) warnings.push(`${name}: shard ${batch.shard} is from a split into ${s.n}, others into ${total}`);
        total ??= s.n;
        if (shards.has(batch.shard)) warnings.push(`${name}: shard ${batch.shard} given twice`);
        shards.add(batch.shard);
      }
    }
    for (const row of batch.rows) {
      const prev = seen.get(row.student);
      if (prev !== undefined) {
        return { ok: false, error: { kind: "invalid", message: `student ${row.student} is in both ${prev} and ${name}`, path: `${name}/rows` } };
      }
      seen.set(row.student, name);
      const rep = batch.reports?.[row.student];
      if (rep) graded.push([row.student, rep]); else rowsOnly.push(row);
    }
  }
  if (total !== null) {
    for (let k = 1; k <= total; k++) if (!shards.has(`${k}/${total}`)) warnings.push(`shard ${k}/${total} is missing`);
  }
  const merged = makeBatch(lesson, null, graded);
  if (rowsOnly.length > 0) {
    merged.rows = [...merged.rows, ...rowsOnly].sort((a, b) => compareNames(a.student, b.student));
  }
  return { ok: true, batch: merged, warnings };
}
