// engine/report/exercism.ts: the Exercism test-runner results.json, version 3
// (exercism/docs building/tooling/test-runners/interface.md).
//
// status "error" means no test ran (the submission did not build) and carries a top-level
// message. Tests are listed in the lesson's order; message is present on fail and error only;
// test_code names what the check runs; task_id is the check's 1-based position (each check is
// one task of the lesson). output is omitted: learner code prints nothing.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { capText, errorLines } from "./util.js";

/** Exercism's `message` limit (characters). */
const MESSAGE_MAX = 65535;

/** results.json text (pretty JSON, trailing newline). Hidden details redacted unless opts.reveal. */
export function emitExercism(report: Report, opts: EmitOptions = {}): string {
  const r = redactReport(report, opts.reveal === true);
  const status: "pass" | "fail" | "error" =
    r.status === "error" && r.errors.length > 0 ? "error" : r.tests.every(t => t.status === "pass") ? "pass" : "fail";
  const results: Record<string, unknown> = { version: 3, status };
  if (status === "error") results.message = capText(errorLines(r).join("\n") || "grading failed", MESSAGE_MAX);
  results.tests = r.tests.map((t, i) => {
    const o: Record<string, unknown> = { name: t.name, status: t.status };
    if (t.status !== "pass") o.message = capText(t.message || t.status, MESSAGE_MAX);
    o.test_code = t.scenario !== undefined ? `check ${t.id} on scenario ${t.scenario}` : `check ${t.id}`;
    o.task_id = i + 1;
    return o;
  });
  return JSON.stringify(results, null, 2) + "\n";
}
