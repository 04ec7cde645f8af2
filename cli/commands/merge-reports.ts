// cli/commands/merge-reports.ts: `prefault merge-reports`, the shards of a class joined again.
//
//   prefault merge-reports shard-1.json shard-2.json ... [--out class.csv|class.json|class.html]
//
// Each input is the JSON (or CSV) a `prefault grade-all --shard K/N --out ...` wrote. The output
// is what one grade-all over the whole class would have written: rows sorted by student, byte
// for byte the same whatever order the shards come in. A student in two inputs or inputs of two
// lessons are refused (exit 2); a missing shard is a warning on stderr (exit 1), so a CI job
// notices an incomplete class.

import { readFileSync } from "node:fs";
import { checkOutPath, writeOutFile } from "../out-file.js";
import { basename } from "node:path";
import { emitBatchJson, mergeBatches, type BatchReport } from "../../engine/report/batch.js";
import { emitCsv, rowsFromCsv } from "../../engine/report/csv.js";
import { parseCommandArgs } from "../args.js";
import { classHtml } from "../class-report.js";

/** One input file as a batch: a grade-all JSON, or a CSV (rows only; its lesson is unknown, so
 *  it takes the lesson of the JSON inputs, or "?"). */
function readBatch(path: string): { ok: true; batch: BatchReport } | { ok: false; message: string } {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) { return { ok: false, message: `cannot read ${path}: ${(e as Error).message}` }; }
  if (/\.csv$/i.test(path)) {
    const r = rowsFromCsv(text);
    if (!r.ok) return { ok: false, message: `${path}: ${r.message}` };
    return { ok: true, batch: { format: "prefault-batch", version: 1, lesson: "?", shard: null, rows: r.rows, reports: {} } };
  }
  let j: unknown;
  try { j = JSON.parse(text); } catch (e) { return { ok: false, message: `${path}: ${(e as Error).message}` }; }
  const b = j as BatchReport;
  if (b === null || typeof b !== "object" || b.format !== "prefault-batch" || b.version !== 1 || !Array.isArray(b.rows)) {
    return { ok: false, message: `${path}: not a prefault grade-all report (format "prefault-batch", version 1)` };
  }
  return { ok: true, batch: { ...b, reports: b.reports ?? {} } };
}

export const command = {
  name: "merge-reports",
  summary: "join the reports of grade-all shards into one class report",
  usage: "prefault merge-reports REPORT.json|REPORT.csv ... [--out class.csv|class.json|class.html]",
  async run(argv: string[]): Promise<number> {
    const p = parseCommandArgs(argv, { out: { type: "string", short: "o" } }, Infinity);
    if (!p.ok) { process.stderr.write(`merge-reports: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const inputs = p.positionals, out = p.values.out;
    if (inputs.length === 0) { process.stderr.write(`merge-reports: no reports given\nusage: ${command.usage}\n`); return 2; }
    if (out !== undefined && !/\.(csv|json|html)$/i.test(out)) { process.stderr.write("merge-reports: --out must end in .csv, .json or .html\n"); return 2; }
    const outProblem = out ? checkOutPath(out) : undefined;
    if (outProblem) { process.stderr.write(`merge-reports: --out: ${outProblem}\n`); return 2; }
    const parts: { name: string; batch: BatchReport }[] = [];
    for (const p of inputs) {
      const r = readBatch(p);
      if (!r.ok) { process.stderr.write(`merge-reports: ${r.message}\n`); return 2; }
      parts.push({ name: basename(p), batch: r.batch });
    }
    const lesson = parts.find(p => p.batch.lesson !== "?")?.batch.lesson ?? "?";
    for (const p of parts) if (p.batch.lesson === "?") p.batch.lesson = lesson;
    const m = mergeBatches(parts);
    if (!m.ok) { process.stderr.write(`merge-reports: ${m.error.message}\n`); return 2; }
    for (const w of m.warnings) process.stderr.write(`merge-reports: warning: ${w}\n`);
    let text: string;
    if (out && /\.html$/i.test(out)) {
      const h = classHtml(m.batch);
      if (!h.ok) { process.stderr.write(`merge-reports: ${h.message}\n`); return 3; }
      text = h.html;
    } else text = out && /\.json$/i.test(out) ? emitBatchJson(m.batch) : emitCsv(m.batch.rows);
    if (out) {
      const failed = writeOutFile(out, text);
      if (failed) { process.stderr.write(`merge-reports: --out: ${failed}\n`); return 2; }
    } else process.stdout.write(text);
    process.stderr.write(`merged ${parts.length} report(s): ${m.batch.rows.length} student(s)${out ? `; wrote ${out}` : ""}\n`);
    return m.warnings.length > 0 ? 1 : 0;
  },
};
