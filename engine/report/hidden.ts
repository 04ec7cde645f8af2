// engine/report/hidden.ts: what a student may see of a hidden check.
//
// A hidden check (TestResult.visibility "hidden") comes from an instructor's --checks folder or
// a lesson that keeps some checks back until the due date. Students see its name and result
// (pass, fail, points) but never its explanation, error text or scenario: those would tell them
// what the check looks for. Gradescope hides by its own `visibility` field instead (gradescope.ts).

import type { Report, TestResult } from "../types.js";
import { capReport } from "./cap.js";

/** The neutral message that replaces a hidden check's details in student-facing output. */
export const HIDDEN_MESSAGE = "hidden check: details are shown after the due date";

/** The test as a student may see it: itself when visible or `reveal` is set, else a copy whose
 *  message (when it had one) is HIDDEN_MESSAGE and whose scenario is dropped. Pure. */
export function studentView(t: TestResult, reveal: boolean): TestResult {
  if (reveal || t.visibility !== "hidden") return t;
  const out: TestResult = { ...t, message: t.message === "" ? "" : HIDDEN_MESSAGE };
  delete out.scenario;
  if (out.failure) out.failure = { kind: out.failure.kind, message: HIDDEN_MESSAGE };
  return out;
}

/** The report as an emitter may print it: messages capped (cap.ts), and every hidden test passed
 *  through studentView() unless `reveal`. Called by the emitters that have no visibility field
 *  of their own. Does not modify its argument. */
export function redactReport(report: Report, reveal: boolean): Report {
  const r = capReport(report);
  if (reveal) return r;
  return { ...r, tests: r.tests.map(t => studentView(t, false)) };
}
