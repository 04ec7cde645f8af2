// engine/report/prairielearn.ts: PrairieLearn external-grader results.json
// (PrairieLearn docs/externalGrading.md).
//
// `score` is a fraction in [0, 1]. A submission that does not build is not gradable:
// PrairieLearn then consumes no attempt and shows `format_errors` to the student. Each test's
// `description` is the check's description (what its scenario does, from the context; hidden
// checks show none), `message` says why it did not pass ("error: " first when it could not
// run: a timeout, an oops).

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { classifyReport, errorLines, fmtPoints, round4 } from "./util.js";

/** results.json text (pretty JSON, trailing newline). Hidden details redacted unless opts.reveal. */
export function emitPrairielearn(report: Report, opts: EmitOptions = {}): string {
  const reveal = opts.reveal === true;
  const r = redactReport(classifyReport(report).report, reveal);
  if (r.status === "error" && r.errors.length > 0) {
    const results = { gradable: false, score: 0, format_errors: errorLines(r), message: "The submission did not build." };
    return JSON.stringify(results, null, 2) + "\n";
  }
  const fraction = r.max_score > 0 ? Math.min(1, Math.max(0, r.score / r.max_score)) : 0;
  const passed = r.tests.filter(t => t.status === "pass").length;
  const results = {
    gradable: true,
    score: round4(fraction),
    message: `Score: ${fmtPoints(r.score)}/${fmtPoints(r.max_score)} (${passed} of ${r.tests.length} checks passed)`,
    tests: r.tests.map(t => ({
      name: t.name,
      description: t.visibility === "hidden" && !reveal ? "" : opts.context?.checks[t.id]?.description ?? "",
      points: round4(t.score),
      max_points: round4(t.max_score),
      message: t.status === "error" && t.message !== "" ? `error: ${t.message}` : t.message,
      output: "",
    })),
  };
  return JSON.stringify(results, null, 2) + "\n";
}
