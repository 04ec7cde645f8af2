// cli/run-explain.ts: `prefault run --explain STEP`: the step-through of a step's faults
// (engine/explain.ts) in a terminal, as text or (--json) as the StepWalk.

import { escapeControls } from "../engine/report/escape.js";
import { explainLines, explainStep, type StepWalk } from "../engine/explain.js";
import type { RunResult, Scenario } from "../engine/types.js";

/** The text `prefault run --explain STEP` prints for step `step` of `result` (a header line,
 *  then explainLines()), or with `json` the StepWalk as JSON. Pure. */
export function explainOutput(result: RunResult, scenario: Scenario, step: number, json: boolean): string {
  const walk: StepWalk = explainStep(result, step, scenario);
  if (json) return JSON.stringify(walk, null, 2) + "\n";
  // each line escaped on its own: a newline in learner text (an abort message) is \x0a, not a line
  return explainLines(walk).map(l => escapeControls(l, true)).join("\n") + "\n";
}
