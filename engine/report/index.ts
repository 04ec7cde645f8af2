// engine/report/index.ts: the emitter registry. One Report, many autograder formats.
//
//   format        what reads it                                 where it goes
//   text          people, CI logs (gradelib style)              stdout
//   json          scripts (engine/types.ts Report)              anywhere
//   gradescope    Gradescope                                    /autograder/results/results.json
//   github        GitHub Classroom grading reporter             step output `result` (--base64)
//   prairielearn  PrairieLearn external grader                  /grade/results/results.json
//   exercism      Exercism test-runner interface v3             <output_dir>/results.json
//   junit         Jenkins, GitLab, CI test reporters, Ant XSD   report.xml
//   surefire      Maven Surefire's TEST-*.xml readers           TEST-<lesson>.xml
//   tap           TAP 14 harnesses                              stdout
//
// Every emitter is pure and deterministic: the same Report and options give the same bytes.

import type { Report } from "../types.js";
import type { EmitOptions } from "./options.js";
import { emitText } from "./text.js";
import { emitJson } from "./json.js";
import { emitGradescope } from "./gradescope.js";
import { emitGithub } from "./github.js";
import { emitPrairielearn } from "./prairielearn.js";
import { emitExercism } from "./exercism.js";
import { emitJunit, emitSurefire } from "./junit.js";
import { emitTap } from "./tap.js";

export type { EmitOptions } from "./options.js";
export { reportContext, type ReportContext } from "./context.js";
export { HIDDEN_MESSAGE, redactReport, studentView } from "./hidden.js";

export const FORMATS = ["text", "json", "gradescope", "github", "prairielearn", "exercism", "junit", "surefire", "tap"] as const;
export type Format = typeof FORMATS[number];

/** Other names accepted for a format (what teachers may type). */
const ALIASES: Record<string, Format> = {
  "gh-classroom": "github", "classroom": "github", "pl": "prairielearn", "xml": "junit", "junit-surefire": "surefire",
};

const EMITTERS: Record<Format, (r: Report, o: EmitOptions) => string> = {
  text: emitText, json: emitJson, gradescope: emitGradescope, github: emitGithub,
  prairielearn: emitPrairielearn, exercism: emitExercism, junit: emitJunit, surefire: emitSurefire, tap: emitTap,
};

/** The canonical format for a name or alias, or null when unknown. */
export function parseFormat(name: string): Format | null {
  const n = name.toLowerCase();
  if ((FORMATS as readonly string[]).includes(n)) return n as Format;
  return ALIASES[n] ?? null;
}

/** The report in the given format. Throws on an unknown format (a caller bug: CLIs check
 *  parseFormat() first and print the FORMATS list). */
export function emitReport(report: Report, format: Format | string, opts: EmitOptions = {}): string {
  const f = parseFormat(format);
  if (f === null) throw new Error(`emitReport: unknown format "${format}" (one of ${FORMATS.join(", ")})`);
  return EMITTERS[f](report, opts);
}

/** The file name a platform expects the report under, for `--out` defaults and kits. */
export function defaultFileName(format: Format): string {
  switch (format) {
    case "text": return "report.txt";
    case "tap": return "report.tap";
    case "junit": return "report.xml";
    case "surefire": return "TEST-prefault.xml";
    case "github": return "result.json";
    default: return "results.json";
  }
}
