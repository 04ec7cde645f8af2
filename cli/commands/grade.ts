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
import { intOption, parseCommandArgs, type OptionsSpec } from "../args.js";
import { MIN_DEADLINE_MS } from "../../engine/limits.js";
import { lessonReportContext } from "../report-context.js";

interface Args { lesson?: string; files: string[]; format: string; reveal: boolean; base64?: boolean; out?: string;
                 checks?: string; lessonsDir?: string; deadlineMs?: number; compileDeadlineMs?: number }

const OPTIONS = {
  lesson: { type: "string" }, format: { type: "string", short: "f" }, reveal: { type: "boolean" }, base64: { type: "boolean" },
  out: { type: "string", short: "o" }, checks: { type: "string" }, "lessons-dir": { type: "string" },
  "deadline-ms": { type: "string", aliases: ["deadline"] },
  "compile-deadline-ms": { type: "string", aliases: ["compile-deadline"] },
} as const satisfies OptionsSpec;

function parseArgs(argv: string[]): { ok: true; a: Args } | { ok: false; message: string } {
  const p = parseCommandArgs(argv, OPTIONS, Infinity);
  if (!p.ok) return p;
  const v = p.values;
  const deadline = intOption("deadline-ms", v["deadline-ms"], MIN_DEADLINE_MS);
  if (!deadline.ok) return deadline;
  const compile = intOption("compile-deadline-ms", v["compile-deadline-ms"], MIN_DEADLINE_MS);
  if (!compile.ok) return compile;
  const a: Args = { lesson: v.lesson, files: p.positionals, format: v.format ?? "text", reveal: v.reveal === true,
                    base64: v.base64, out: v.out, checks: v.checks, lessonsDir: v["lessons-dir"], deadlineMs: deadline.value,
                    compileDeadlineMs: compile.value };
  if (!a.lesson) return { ok: false, message: "--lesson ID is required" };
  if (a.files.length === 0) return { ok: false, message: "give the submission: a datastore.ts, or a folder holding it" };
  if (parseFormat(a.format) === null) return { ok: false, message: `--format must be one of ${FORMATS.join(", ")}` };
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
    const context = lessonReportContext(lessonsDir, a.lesson!, a.checks);
    const text = emitReport(report, a.format, { reveal: a.reveal, base64: a.base64, context });
    if (outPath) {
      const failed = writeOutFile(outPath, text);
      if (failed) { process.stderr.write(`grade: --out: ${failed}\n`); return 2; }
    } else process.stdout.write(text);
    return report.status === "pass" ? 0 : 1;
  },
};
