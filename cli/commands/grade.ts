// cli/commands/grade.ts: `prefault grade`, one submission against one lesson.
//
//   $ prefault grade --lesson 01-first-fault datastore.ts
//   lesson 01-first-fault
//   the first clock_gettime() faults once and gets the time: FAIL (0/3)
//       The first clock_gettime() touches [vvar] pgoff 0 and must ...
//   ...
//   Score: 5/10
//   4 passed, 3 failed
//
// Exit 0 when every check passed, 1 when any failed or the code did not compile (an error entry
// with file:line:col), 2 for bad usage or a broken install.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkOutPath, writeOutFile } from "../out-file.js";
import { FORMATS, defaultFileName, emitReport, parseFormat, type Format } from "../../engine/report/index.js";
import { DEFAULT_LESSONS_DIR, listLessonIds } from "../grade-submission.js";
import { gradeIsolated } from "./grade-all.js";

interface Args { lesson?: string; files: string[]; format: string; reveal: boolean; base64?: boolean; out?: string;
                 checks?: string; lessonsDir?: string; deadlineMs?: number; compileDeadlineMs?: number }

function parseArgs(argv: string[]): { ok: true; a: Args } | { ok: false; message: string } {
  const a: Args = { files: [], format: "text", reveal: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = (): string | undefined => argv[++i];
    if (k === "--lesson") a.lesson = val();
    else if (k === "--format" || k === "-f") a.format = val() ?? "";
    else if (k === "--reveal") a.reveal = true;
    else if (k === "--base64") a.base64 = true;
    else if (k === "--out" || k === "-o") a.out = val();
    else if (k === "--checks") a.checks = val();
    else if (k === "--lessons-dir") a.lessonsDir = val();
    else if (k === "--deadline-ms") a.deadlineMs = Number(val());
    else if (k === "--compile-deadline-ms") a.compileDeadlineMs = Number(val());
    else if (k.startsWith("-")) return { ok: false, message: `unknown option ${k}` };
    else a.files.push(k);
  }
  if (!a.lesson) return { ok: false, message: "--lesson ID is required" };
  if (a.files.length === 0) return { ok: false, message: "give the submission: a datastore.ts, or a folder holding it" };
  if (parseFormat(a.format) === null) return { ok: false, message: `--format must be one of ${FORMATS.join(", ")}` };
  if (a.deadlineMs !== undefined && !(a.deadlineMs >= 100)) return { ok: false, message: "--deadline-ms must be at least 100" };
  if (a.compileDeadlineMs !== undefined && !(Number.isFinite(a.compileDeadlineMs) && a.compileDeadlineMs >= 100)) {
    return { ok: false, message: "--compile-deadline-ms must be at least 100" };
  }
  for (const f of a.files) if (!existsSync(f)) return { ok: false, message: `no such file: ${f}` };
  return { ok: true, a };
}

/** The file the report goes to: a folder (existing, or a path ending in "/") gets the file name
 *  the platform expects there (results.json, report.xml ...). Missing folders are made when it
 *  is written: PrairieLearn, for one, does not create /grade/results/. */
function reportPath(out: string, format: Format): string {
  const isDir = out.endsWith("/") || (existsSync(out) && statSync(out).isDirectory());
  return isDir ? join(out, defaultFileName(format)) : out;
}

export const command = {
  name: "grade",
  summary: "compile a submission and grade it against a lesson's checks",
  usage: `prefault grade --lesson ID FILE|DIR... [--format ${FORMATS.join("|")}] [--out FILE] [--reveal] [--base64] [--checks DIR] [--deadline-ms MS] [--compile-deadline-ms MS]`,
  async run(argv: string[]): Promise<number> {
    const p = parseArgs(argv);
    if (!p.ok) { process.stderr.write(`grade: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const a = p.a;
    const lessonsDir = a.lessonsDir ?? DEFAULT_LESSONS_DIR;
    if (!existsSync(join(lessonsDir, a.lesson!, "lesson.json"))) {
      process.stderr.write(`grade: unknown lesson "${a.lesson}" (lessons: ${listLessonIds(lessonsDir).join(", ")})\n`);
      return 2;
    }
    // an --out that cannot be written is found now, not after grading
    const outPath = a.out ? reportPath(a.out, parseFormat(a.format)!) : undefined;
    const outProblem = outPath ? checkOutPath(outPath) : undefined;
    if (outProblem) { process.stderr.write(`grade: --out: ${outProblem}\n`); return 2; }
    // graded in a worker (cli/commands/grade-all.ts GradePool): a compile that never ends or
    // an asc crash (asc calls process.exit) becomes an error report, not a dead grader
    let report;
    try {
      report = await gradeIsolated({ lesson: a.lesson!, checksDir: a.checks, lessonsDir, deadlineMs: a.deadlineMs,
        compileDeadlineMs: a.compileDeadlineMs }, { paths: a.files });
    } catch (e) {
      process.stderr.write(`grade: ${(e as Error).message}\n`);
      return 2;
    }
    const text = emitReport(report, a.format, { reveal: a.reveal, base64: a.base64 });
    if (outPath) {
      const failed = writeOutFile(outPath, text);
      if (failed) { process.stderr.write(`grade: --out: ${failed}\n`); return 2; }
    } else process.stdout.write(text);
    return report.status === "pass" ? 0 : 1;
  },
};
