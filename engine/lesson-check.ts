// engine/lesson-check.ts: proof that a lesson teaches what it claims, as `prefault lesson check`
// and CI run it. A lesson passes when
//   - README.md has the sections a learner needs, hints.md its three levels,
//   - the starter compiles and fails at least one check (there is something to do),
//   - the solution passes every check,
//   - there are at least MIN_MUTANTS mutants, each compiles, and each fails exactly the checks its
//     manifest entry names (`fails`), each for the reason it gives (`because`: assertion, oops,
//     timeout, blocked ...: TestResult.failure.kind), so a mutant caught only because the whole
//     run oopsed does not pass for one whose assertions catch it;
//   - every check is failed by the starter or by some mutant (a check nothing fails proves
//     nothing: each one left is listed).

import type { FailureKind, Report } from "./types.js";
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
  /** checks that neither the starter nor any mutant fails */
  uncaught: string[];
}

/** How mutant `m`'s manifest entry disagrees with its report `r`: checks it names that pass,
 *  checks it fails that it does not name, reasons that differ or are missing. Pure. */
export function mutantProblems(m: { fails: string[]; because?: Record<string, FailureKind> }, r: Report): string[] {
  const out: string[] = [];
  const failed = r.tests.filter(t => t.status !== "pass");
  const named = new Set(m.fails);
  const passing = m.fails.filter(id => r.tests.find(t => t.id === id)?.status === "pass");
  if (passing.length) out.push(`should fail ${passing.join(", ")} but passes`);
  const unnamed = failed.filter(t => !named.has(t.id));
  if (unnamed.length) out.push(`also fails ${unnamed.map(t => `${t.id} (${t.failure?.kind ?? t.status})`).join(", ")}, which "fails" does not name`);
  for (const t of failed) {
    if (!named.has(t.id)) continue;
    const want = m.because?.[t.id];
    const got = t.failure?.kind ?? t.status;
    if (want === undefined) out.push(`"because" gives no reason for ${t.id} (it fails by ${got})`);
    else if (want !== got) out.push(`${t.id} fails by ${got}, not ${want}`);
  }
  for (const id of Object.keys(m.because ?? {})) if (!named.has(id)) out.push(`"because" names ${id}, which "fails" does not`);
  return out;
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
  const caught = new Set(starterFails);
  for (const m of lesson.mutants) {
    const files = { ...lesson.solution, [lesson.files.editable[0]]: lesson.mutantSources[m.file] };
    const r = await gradeSubmission(lesson, files, deps);
    mutants[m.file] = r;
    if (r.status === "error") { verdict(false, `${m.file} does not compile or run: ${firstError(r)}`); continue; }
    const problems = mutantProblems(m, r);
    for (const t of r.tests) if (t.status !== "pass") caught.add(t.id);
    verdict(problems.length === 0, problems.length === 0
      ? `${m.file} fails exactly ${m.fails.map(id => `${id} (${m.because?.[id]})`).join(", ")}`
      : `${m.file}: ${problems.join("; ")}`);
  }
  const uncaught = lesson.checks.map(c => c.id).filter(id => !caught.has(id));
  verdict(uncaught.length === 0, uncaught.length === 0 ? `every check is failed by the starter or a mutant`
    : `failed by neither the starter nor any mutant (add a mutant for each): ${uncaught.join(", ")}`);
  return { lesson: lesson.id, ok, lines, reports: { starter, solution, mutants }, uncaught };
}

function firstError(r: Report): string {
  return r.errors[0]?.message ?? r.tests.find(t => t.status === "error")?.message ?? "unknown error";
}
