// engine/report/exercism.ts: the Exercism test-runner results.json, version 3
// (exercism/docs building/tooling/test-runners/interface.md).
//
// Top-level status "error" means no test ran (the submission did not build) and carries a
// message. Each test is "pass", "fail" (its assertions did not hold) or "error" (it could not
// run: a timeout, an oops), with a message saying what happened. test_code is the scenario
// steps the check runs, one JSON line per step (with the context; hidden checks show none).
// task_id is given only where a check belongs to exactly one task heading: a lesson with one
// "## The task" gives every check task 1; with several, no check can be placed, and none is
// given. output is omitted: learner code prints nothing.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { capText, classifyReport, errorLines } from "./util.js";

/** Exercism's `message` limit (characters). */
const MESSAGE_MAX = 65535;

/** results.json text (pretty JSON, trailing newline). Hidden details redacted unless opts.reveal. */
export function emitExercism(report: Report, opts: EmitOptions = {}): string {
  const reveal = opts.reveal === true;
  const r = redactReport(classifyReport(report).report, reveal);
  const status: "pass" | "fail" | "error" =
    r.status === "error" && r.errors.length > 0 ? "error" : r.tests.every(t => t.status === "pass") ? "pass" : "fail";
  const results: Record<string, unknown> = { version: 3, status };
  if (status === "error") results.message = capText(errorLines(r).join("\n") || "grading failed", MESSAGE_MAX);
  const ctx = opts.context;
  results.tests = r.tests.map(t => {
    const o: Record<string, unknown> = { name: t.name, status: t.status };
    if (t.status !== "pass") o.message = capText(t.message || t.status, MESSAGE_MAX);
    const steps = ctx?.checks[t.id]?.steps;
    o.test_code = t.visibility === "hidden" && !reveal ? "(a hidden check: its scenario is shown after the due date)"
      : steps && steps.length > 0 ? steps.join("\n") : `scenario ${t.scenario ?? t.id}`;
    if (ctx?.taskHeadings === 1) o.task_id = 1;
    return o;
  });
  return JSON.stringify(results, null, 2) + "\n";
}
