// engine/report/csv.ts: a class's rows as CSV (RFC 4180), and back.
//
//   student,score,max_score,status,failed_checks,errors
//   alice,12,12,pass,,
//   bob,5.5,12,fail,remote-eio; oops,
//
// Fields that a spreadsheet would run as a formula (= + - @ at the start) get a leading ', as
// OWASP advises for CSV injection: student folder names and error text come from students. A
// field that itself starts with ' gets one too, so reading the CSV back (merge-reports) removes
// exactly the quote emitCsv added and a merged CSV is byte for byte an unsharded one. Control
// characters and bidi overrides are written as visible escapes (report/escape.ts).

import type { BatchRow } from "./batch.js";
import { fmtPoints } from "./util.js";
import { escapeControls } from "./escape.js";

export const CSV_HEADER = ["student", "score", "max_score", "status", "failed_checks", "errors"];

const GUARDED = /^[=+\-@\t\r']/;

/** One CSV field: control characters escaped, formula-neutralised, quoted when it holds a
 *  comma, quote or line break. */
export function csvField(s: string): string {
  const e = escapeControls(s, true);
  let v = GUARDED.test(e) ? `'${e}` : e;
  if (/[",\r\n]/.test(v)) v = `"${v.replace(/"/g, '""')}"`;
  return v;
}

/** The rows as CSV text: a header line, then one line per row, CRLF-free ("\n"), trailing newline. */
export function emitCsv(rows: BatchRow[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const r of rows) {
    lines.push([r.student, fmtPoints(r.score), fmtPoints(r.max_score), r.status, r.failed.join("; "),
      r.errors.map(e => e.replace(/\s*\n\s*/g, " ")).join("; ")].map(csvField).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Parses RFC 4180 CSV text into records of fields. Pure. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [], field = "", i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ",") { row.push(field); field = ""; i++; continue; }
    if (c === "\r" && text[i + 1] === "\n") { i++; continue; }
    if (c === "\n") { row.push(field); out.push(row); row = []; field = ""; i++; continue; }
    field += c; i++;
  }
  if (field !== "" || row.length > 0) { row.push(field); out.push(row); }
  return out;
}

/** Rows back from emitCsv() output, or a message saying what is wrong. The leading ' of a
 *  neutralised field is removed again. */
export function rowsFromCsv(text: string): { ok: true; rows: BatchRow[] } | { ok: false; message: string } {
  const recs = parseCsv(text);
  if (recs.length === 0 || recs[0].join(",") !== CSV_HEADER.join(",")) {
    return { ok: false, message: `not a prefault class CSV (the header must be ${CSV_HEADER.join(",")})` };
  }
  const unq = (s: string) => (/^'/.test(s) && GUARDED.test(s.slice(1)) ? s.slice(1) : s);
  const rows: BatchRow[] = [];
  for (let i = 1; i < recs.length; i++) {
    const f = recs[i];
    if (f.length !== CSV_HEADER.length) return { ok: false, message: `line ${i + 1}: ${f.length} fields, expected ${CSV_HEADER.length}` };
    const status = f[3];
    if (status !== "pass" && status !== "fail" && status !== "error") return { ok: false, message: `line ${i + 1}: bad status ${status}` };
    rows.push({
      student: unq(f[0]), score: Number(f[1]), max_score: Number(f[2]), status,
      failed: f[4] === "" ? [] : f[4].split("; "), errors: f[5] === "" ? [] : unq(f[5]).split("; "),
    });
  }
  return { ok: true, rows };
}
