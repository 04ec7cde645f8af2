// engine/report/github.ts: the runner result the GitHub Classroom grading reporter reads
// (classroom-resources/autograding-grading-reporter: src/main.js, src/notify-classroom.js).
//
// The reporter decodes env `<RUNNER ID>_RESULTS` from base64, sums `tests[].score` against
// `max_score`, and fails the job when `status` is "fail" or "error". Emitting this ourselves
// (in place of autograding-command-grader, which is all-or-nothing) gives partial credit:
//   echo "result=$(prefault grade ... --format github --base64)" >> "$GITHUB_OUTPUT"
// Workflow logs are public to the student, so hidden details are redacted.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { base64Utf8, round4, testsOrBuildError } from "./util.js";

/** The runner JSON (one line, no newline when base64; pretty with a newline otherwise). */
export function emitGithub(report: Report, opts: EmitOptions = {}): string {
  const r = redactReport(report, opts.reveal === true);
  const result = {
    version: 1,
    status: r.status,
    max_score: round4(r.max_score),
    tests: testsOrBuildError(r).map(t => ({
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
