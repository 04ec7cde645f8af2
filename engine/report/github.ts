// engine/report/github.ts: the runner result the GitHub Classroom grading reporter reads
// (classroom-resources/autograding-grading-reporter: src/main.js, src/notify-classroom.js).
//
// The reporter decodes env `<RUNNER ID>_RESULTS` from base64, sums `tests[].score` against
// `max_score`, and fails the job when `status` is "fail" or "error". Emitting this ourselves
// (in place of autograding-command-grader, which is all-or-nothing) gives partial credit:
//   echo "result=$(prefault grade ... --format github --base64)" >> "$GITHUB_OUTPUT"
// Workflow logs are public to the student, so hidden details are redacted. A check that could
// not run (a timeout, an oops, a compile error) is "error", as autograding-command-grader
// calls a timeout; the runner's status is "error" when any check is, else "fail" when any
// failed. test_code is the check's id (the reporter prints it under the test).

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { base64Utf8, classifyReport, round4, testsOrBuildError } from "./util.js";

/** The runner JSON (one line, no newline when base64; pretty with a newline otherwise). */
export function emitGithub(report: Report, opts: EmitOptions = {}): string {
  const r = redactReport(classifyReport(report).report, opts.reveal === true);
  const tests = testsOrBuildError(r);
  const status = r.status === "error" || tests.some(t => t.status === "error") ? "error"
    : tests.some(t => t.status === "fail") ? "fail" : "pass";
  const result = {
    version: 1,
    status,
    max_score: round4(r.max_score),
    tests: tests.map(t => ({
      name: t.name,
      status: t.status,
      score: round4(t.score),
      message: t.message,
      test_code: t.id,
      filename: "",
      line_no: 0,
      duration: 0,
    })),
  };
  if (opts.base64) return base64Utf8(JSON.stringify(result));
  return JSON.stringify(result, null, 2) + "\n";
}
