// engine/report/context.ts: what some formats say about a check beyond its result, taken from
// the lesson: the scenario it runs (its description, its steps) and the lesson's task headings.
// `prefault grade` builds it from the lesson it grades and hands it to the emitters
// (EmitOptions.context); without it those fields fall back to what the report holds.

import type { Lesson } from "../lesson.js";
import type { Step } from "../types.js";

export interface ReportContext {
  /** how many task headings the lesson text has ("## The task", "## Task 2", "## 3. ...") */
  taskHeadings: number;
  /** per check id: its scenario's description and steps, one line per step */
  checks: Record<string, { description: string; steps: string[] }>;
}

/** The number of task headings in a lesson README: level-2 headings "The task", "Task ...",
 *  or Exercism's numbered "1. ...". Pure. */
export function taskHeadingCount(readme: string): number {
  return readme.split("\n").filter(l => /^##\s+(The task\b|Task\b|\d+\.\s)/i.test(l)).length;
}

/** One step as one line: its JSON without the note (what the step does and expects). */
export function stepLine(s: Step): string {
  const { note: _note, ...rest } = s as Step & { note?: string };
  return JSON.stringify(rest);
}

/** The context of every check of `lesson` (instructor checks merged into it included). Pure. */
export function reportContext(lesson: Lesson): ReportContext {
  const checks: ReportContext["checks"] = {};
  for (const c of lesson.checks) {
    const s = lesson.scenarios[c.scenario];
    checks[c.id] = { description: s?.description ?? "", steps: s ? s.steps.map(stepLine) : [] };
  }
  return { taskHeadings: taskHeadingCount(lesson.readme), checks };
}
