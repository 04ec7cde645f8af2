// cli/report-context.ts: the report context (engine/report/context.ts) of a lesson on disk, with
// an instructor's --checks folder merged in, for `prefault grade`. Reads files only: no kernel,
// no compiler. undefined when the lesson cannot be read (grading reports that itself).

import { join } from "node:path";
import { loadLesson } from "../engine/lesson.js";
import { validateScenario } from "../engine/validate.js";
import { addInstructorChecks } from "../engine/report/instructor-checks.js";
import { reportContext, type ReportContext } from "../engine/report/context.js";
import { readChecksSource, readLessonSource } from "./grade-submission.js";

export function lessonReportContext(lessonsDir: string, lesson: string, checksDir?: string): ReportContext | undefined {
  const src = readLessonSource(join(lessonsDir, lesson));
  if (!src.ok) return undefined;
  let source = src.source;
  if (checksDir) {
    const extra = readChecksSource(checksDir);
    if (!extra.ok) return undefined;
    const merged = addInstructorChecks(source, extra.source);
    if (!merged.ok) return undefined;
    source = merged.source;
  }
  const l = loadLesson(source, validateScenario);
  return l.ok ? reportContext(l.lesson) : undefined;
}
