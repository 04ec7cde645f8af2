// engine/report/gradescope.ts: Gradescope's results.json
// (gradescope-autograders.readthedocs.io/en/latest/specs/).
//
// run_autograder writes this to /autograder/results/results.json. Hidden checks keep their
// details and get `visibility: "after_due_date"`: Gradescope shows them, and hides the total
// score, until the due date. The top-level `output` is always visible, so it lists the visible
// checks only and counts only their points ("Visible checks: x/y"), and says how many points
// the hidden checks hold, never their names or results. A check that could not run (a timeout,
// an oops) is failed with "error: " and what happened as its output. No execution_time:
// reports carry no wall-clock values.

import type { Report } from "../types.js";
import type { EmitOptions } from "./options.js";
import { classifyReport, errorLines, fmtPoints, round4 } from "./util.js";
import { emitText } from "./text.js";
import { capReport } from "./cap.js";

interface GsTest {
  name: string; number: string; score: number; max_score: number;
  status: "passed" | "failed"; output: string; visibility: "visible" | "after_due_date";
  tags?: string[];
}

/** results.json text (pretty JSON, trailing newline). opts are unused: visibility does it. */
export function emitGradescope(full: Report, _opts: EmitOptions = {}): string {
  const report = classifyReport(capReport(full)).report;
  const tests: GsTest[] = report.tests.map((t, i) => {
    const g: GsTest = {
      name: t.name, number: String(i + 1), score: round4(t.score), max_score: round4(t.max_score),
      status: t.status === "pass" ? "passed" : "failed",
      output: t.status === "error" && t.message !== "" ? `error: ${t.message}` : t.message,
      visibility: t.visibility === "hidden" ? "after_due_date" : "visible",
    };
    if (t.scenario !== undefined) g.tags = [t.scenario];
    return g;
  });
  const errors = errorLines(report);
  const results = {
    score: round4(report.score),
    output: errors.length > 0 ? `Grading stopped: the submission did not build.\n${errors.join("\n")}\n` : visibleOutput(report),
    output_format: "text",
    test_output_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests,
  };
  return JSON.stringify(results, null, 2) + "\n";
}

/** The text report of the visible checks alone, then one line for the hidden ones' points. */
function visibleOutput(report: Report): string {
  const visible = report.tests.filter(t => t.visibility !== "hidden");
  const hidden = report.tests.filter(t => t.visibility === "hidden");
  const score = visible.reduce((s, t) => s + t.score, 0), max = visible.reduce((s, t) => s + t.max_score, 0);
  const text = emitText({ ...report, tests: visible, score, max_score: max }, { reveal: false });
  if (hidden.length === 0) return text;
  const lines = text.trimEnd().split("\n");
  const at = lines.findIndex(l => l.startsWith("Score: "));
  lines[at] = `Visible checks: ${fmtPoints(score)}/${fmtPoints(max)}`;
  const points = hidden.reduce((s, t) => s + t.max_score, 0);
  lines.push(`${hidden.length} more ${hidden.length === 1 ? "check" : "checks"} (${fmtPoints(points)} ${points === 1 ? "point" : "points"}) ` +
    `${hidden.length === 1 ? "is" : "are"} shown, with your total, after the due date.`);
  return lines.join("\n") + "\n";
}
