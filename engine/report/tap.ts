// engine/report/tap.ts: TAP version 14 (testanything.org/tap-version-14-specification.html).
//
//   TAP version 14
//   1..2
//   ok 1 - no fault after mlockall
//   not ok 2 - remote read gets EIO
//     ---
//     message: "A remote read ..."
//     severity: fail
//     score: 0
//     max_score: 2
//     ...
//   # Score: 3/5
//
// Descriptions escape `\` and `#`; YAML strings are JSON-quoted (valid YAML 1.2 scalars) with
// U+2028/U+2029 escaped too, so no learner text can break a line. A check that could not run
// (a timeout, an oops, a compile error) is `not ok` with `severity: error` and its `reason`.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { classifyReport, fmtPoints, jsonLine, oneLine, round4, testsOrBuildError } from "./util.js";

/** A test point description: one line, `\` and `#` escaped. */
function description(name: string): string {
  return oneLine(name).replace(/\\/g, "\\\\").replace(/#/g, "\\#");
}

/** The TAP stream (trailing newline). Hidden details redacted unless opts.reveal. */
export function emitTap(report: Report, opts: EmitOptions = {}): string {
  const classified = classifyReport(report);
  const r = redactReport(classified.report, opts.reveal === true);
  const tests = testsOrBuildError(r);
  const reasons = r.tests.length > 0 ? classified.reasons : ["compile" as const];
  const out: string[] = ["TAP version 14", `1..${tests.length}`];
  tests.forEach((t, i) => {
    const ok = t.status === "pass";
    out.push(`${ok ? "ok" : "not ok"} ${i + 1} - ${description(t.name)}`);
    if (ok) return;
    out.push("  ---");
    out.push(`  message: ${jsonLine(t.message)}`);
    out.push(`  severity: ${t.status === "error" ? "error" : "fail"}`);
    out.push(`  reason: ${reasons[i] ?? (t.status === "error" ? "engine" : "assertion")}`);
    out.push(`  id: ${jsonLine(t.id)}`);
    out.push(`  score: ${round4(t.score)}`);
    out.push(`  max_score: ${round4(t.max_score)}`);
    out.push("  ...");
  });
  out.push(`# Score: ${fmtPoints(r.score)}/${fmtPoints(r.max_score)}`);
  return out.join("\n") + "\n";
}
