// engine/report/gradescope.ts: Gradescope's results.json
// (gradescope-autograders.readthedocs.io/en/latest/specs/).
//
// run_autograder writes this to /autograder/results/results.json. Hidden checks keep their
// details and get `visibility: "after_due_date"`: Gradescope itself keeps them from students
// until then. No execution_time: reports carry no wall-clock values.

import type { Report } from "../types.js";
import type { EmitOptions } from "./options.js";
import { errorLines, round4 } from "./util.js";
import { emitText } from "./text.js";
import { capReport } from "./cap.js";

interface GsTest {
  name: string; number: string; score: number; max_score: number;
  status: "passed" | "failed"; output: string; visibility: "visible" | "after_due_date";
  tags?: string[];
}

/** results.json text (pretty JSON, trailing newline). opts are unused: visibility does it. */
export function emitGradescope(full: Report, _opts: EmitOptions = {}): string {
  const report = capReport(full);
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
  const output = errors.length > 0
    ? `Grading stopped: the submission did not build.\n${errors.join("\n")}\n`
    : emitText(report, { reveal: false });
  const results = {
    score: round4(report.score),
    output,
    output_format: "text",
    test_output_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests,
  };
  return JSON.stringify(results, null, 2) + "\n";
}
