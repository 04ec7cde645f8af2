// engine/report/class-html-summary.ts: the figures of a class report (grade-all --out
// class.html), computed from a BatchReport. Pure and deterministic: the HTML embeds this object
// and the page draws its charts from it, so the drawn marks can be checked against the batch.
//
//   histogram  students per score bin (bin width 1 point up to 20 points, else max/20 rounded up)
//   checks     per check of the lesson: how many passed, failed, errored (students with a report)
//   failures   the most common failure explanations: the first line of a failed check's message,
//              without the step details and file positions, counted once per student

import type { BatchReport } from "./batch.js";
import type { Report } from "../types.js";

export interface HistogramBin {
  /** lower bound (inclusive) */
  x0: number;
  /** upper bound (exclusive; the last bin holds the maximum score itself) */
  x1: number;
  count: number;
  /** the axis label: "6" (width 1: 6 <= score < 7), or "40–45" */
  label: string;
}

export interface CheckRate {
  id: string;
  name: string;
  hidden: boolean;
  max_score: number;
  pass: number;
  fail: number;
  error: number;
  /** students whose report has this check */
  total: number;
}

export interface FailureGroup {
  text: string;
  /** students with at least one failed check saying this */
  students: number;
  /** the checks that said it, in the lesson's order */
  checks: string[];
}

export interface ClassSummary {
  lesson: string;
  students: number;
  max_score: number;
  mean: number;
  median: number;
  full_marks: number;
  /** submissions that could not be graded (status "error") */
  errors: number;
  histogram: HistogramBin[];
  checks: CheckRate[];
  failures: FailureGroup[];
}

/** How many failure groups the report lists. */
export const MAX_FAILURE_GROUPS = 10;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The bins of a score histogram over [0, max]: width 1 up to 20 points, else max/20 rounded
 *  up; bin k holds x0 <= score < x1, the last one also the top score. Pure. */
export function histogramBins(scores: number[], max: number): HistogramBin[] {
  const top = Math.max(0, max, ...scores);
  const w = top <= 20 ? 1 : Math.ceil(top / 20);
  const n = Math.floor(top / w) + 1;
  const bins: HistogramBin[] = [];
  for (let k = 0; k < n; k++) {
    const x0 = k * w, x1 = (k + 1) * w;
    bins.push({ x0, x1, count: 0, label: w === 1 || x0 === top ? String(x0) : `${x0}\u2013${x1}` });
  }
  for (const s of scores) bins[Math.min(n - 1, Math.max(0, Math.floor(s / w)))].count++;
  return bins;
}

/** The explanation a failed check's message gives, as a group key: its first line, without a
 *  trailing "(step ...)" detail or " at file:line:col" position; "did not compile: ..." is
 *  "did not compile". Pure. */
export function failureKey(message: string): string {
  let s = message.split("\n")[0].trim();
  if (/^did not compile\b/i.test(s)) return "did not compile";
  s = s.replace(/\s*\(step [^)]*\)\s*$/, "").replace(/\s+at [^\s:]+:\d+(:\d+)?$/, "")
    .replace(/\bin step \d+ of scenario\b/, "in a step of scenario");
  return s;
}

// a check not graded because an earlier one failed says so, and explains nothing of its own
const NOT_GRADED = /^Not graded until\b/;

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The class's figures. Pure. */
export function summarizeClass(batch: BatchReport): ClassSummary {
  const rows = batch.rows;
  const scores = rows.map(r => r.score);
  const max = rows.reduce((m, r) => Math.max(m, r.max_score), 0);
  const reports: Report[] = rows.map(r => batch.reports[r.student]).filter((r): r is Report => r !== undefined);

  // checks in the order of the first report that lists the most of them
  const order: string[] = [];
  const byId = new Map<string, CheckRate>();
  for (const rep of reports) {
    for (const t of rep.tests) {
      let c = byId.get(t.id);
      if (!c) {
        c = { id: t.id, name: t.name, hidden: t.visibility !== "visible", max_score: t.max_score, pass: 0, fail: 0, error: 0, total: 0 };
        byId.set(t.id, c); order.push(t.id);
      }
      c.hidden ||= t.visibility !== "visible";
      c[t.status]++; c.total++;
    }
  }

  const groups = new Map<string, { students: Set<string>; checks: Set<string> }>();
  for (const r of rows) {
    const rep = batch.reports[r.student];
    if (!rep) continue;
    for (const t of rep.tests) {
      if (t.status === "pass" || NOT_GRADED.test(t.message)) continue;
      const key = failureKey(t.message) || "(no explanation)";
      let g = groups.get(key);
      if (!g) { g = { students: new Set(), checks: new Set() }; groups.set(key, g); }
      g.students.add(r.student); g.checks.add(t.id);
    }
    if (rep.tests.length === 0 && rep.status === "error") {
      const key = rep.errors[0] ? failureKey(rep.errors[0].message) : "could not be graded";
      let g = groups.get(key);
      if (!g) { g = { students: new Set(), checks: new Set() }; groups.set(key, g); }
      g.students.add(r.student);
    }
  }
  const failures = [...groups.entries()]
    .map(([text, g]) => ({ text, students: g.students.size, checks: order.filter(id => g.checks.has(id)) }))
    .sort((a, b) => b.students - a.students || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .slice(0, MAX_FAILURE_GROUPS);

  return {
    lesson: batch.lesson,
    students: rows.length,
    max_score: max,
    mean: rows.length ? round2(scores.reduce((s, x) => s + x, 0) / rows.length) : 0,
    median: round2(median(scores)),
    full_marks: rows.filter(r => r.status === "pass").length,
    errors: rows.filter(r => r.status === "error").length,
    histogram: histogramBins(scores, max),
    checks: order.map(id => byId.get(id)!),
    failures,
  };
}
