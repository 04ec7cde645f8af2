// engine/lesson-check.ts: proof that a lesson teaches what it claims, as `prefault lesson check`
// and CI run it. A lesson passes when
//   - README.md has the sections a learner needs, hints.md its three levels,
//   - the starter compiles and fails at least one check (there is something to do),
//   - the solution passes every check,
//   - there are at least MIN_MUTANTS mutants, each compiles, and each fails every check its
//     manifest entry names (the checks really catch those wrong answers).

import type { Report } from "./types.js";
import type { Lesson } from "./lesson.js";
import type { GradeDeps } from "./grade-submission.js";
import { gradeSubmission } from "./grade-submission.js";
import { hintProblems } from "./hints.js";

export const MIN_MUTANTS = 3;

export interface LessonCheckResult {
  lesson: string;
  ok: boolean;
  /** one line per verdict, "ok ..." or "FAIL ..." */
  lines: string[];
  reports: { starter: Report; solution: Report; mutants: Record<string, Report> };
}

/** Grades the starter, the solution and every mutant of `lesson` with `deps` and judges them as
 *  above. Never throws (gradeSubmission does not). */
export async function checkLesson(lesson: Lesson, deps: GradeDeps): Promise<LessonCheckResult> {
  const lines: string[] = [];
  let ok = true;
  const verdict = (good: boolean, text: string) => { lines.push(`${good ? "ok" : "FAIL"} ${text}`); if (!good) ok = false; };

  const missing = ["## The task", "## How to check", "## What success looks like"].filter(h => !lesson.readme.includes(h));
  verdict(missing.length === 0, missing.length === 0 ? "README.md has the task, how to check it, and what success looks like"
    : `README.md lacks ${missing.join(", ")}`);
  const hintIssues = hintProblems(lesson.hints);
  verdict(hintIssues.length === 0, hintIssues.length === 0 ? "hints.md has its 3 levels" : hintIssues.join("; "));

  const starter = await gradeSubmission(lesson, lesson.starter, deps);
  const starterFails = starter.tests.filter(t => t.status !== "pass").map(t => t.id);
  verdict(starter.status !== "error" && starterFails.length > 0,
    starter.status === "error" ? `starter does not compile or run: ${firstError(starter)}`
      : starterFails.length > 0 ? `starter fails ${starterFails.length} check(s): ${starterFails.join(", ")}`
        : "starter passes every check: nothing left for the learner to do");

  const solution = await gradeSubmission(lesson, lesson.solution, deps);
  const solFails = solution.tests.filter(t => t.status !== "pass");
  verdict(solution.status === "pass",
    solution.status === "pass" ? `solution passes all ${solution.tests.length} checks (${solution.score}/${solution.max_score})`
      : `solution fails: ${solFails.map(t => `${t.id}: ${t.message.split("\n").pop()}`).join(" | ") || firstError(solution)}`);

  verdict(lesson.mutants.length >= MIN_MUTANTS, `${lesson.mutants.length} mutant(s) (at least ${MIN_MUTANTS})`);
  const mutants: Record<string, Report> = {};
  for (const m of lesson.mutants) {
    const files = { ...lesson.solution, [lesson.files.editable[0]]: lesson.mutantSources[m.file] };
    const r = await gradeSubmission(lesson, files, deps);
    mutants[m.file] = r;
    if (r.status === "error") { verdict(false, `${m.file} does not compile or run: ${firstError(r)}`); continue; }
    const passing = m.fails.filter(id => r.tests.find(t => t.id === id)?.status === "pass");
    verdict(passing.length === 0, passing.length === 0 ? `${m.file} fails ${m.fails.join(", ")}`
      : `${m.file} should fail ${passing.join(", ")} but passes`);
  }
  return { lesson: lesson.id, ok, lines, reports: { starter, solution, mutants } };
}

function firstError(r: Report): string {
  return r.errors[0]?.message ?? r.tests.find(t => t.status === "error")?.message ?? "unknown error";
}
