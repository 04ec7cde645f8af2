// engine/report/text.ts: the human report, in the style of MIT 6.1810 gradelib.
//
//   lesson 02-mlockall
//   no fault after mlockall: OK (3/3)
//   remote read gets EIO: FAIL (0/2)
//       A remote read of an unpopulated [vvar] page must fail ...
//   Score: 3/5
//   1 passed, 1 failed
//
// A check in error (its scenario trapped or timed out) prints FAIL like a failed one, with the
// error as its explanation. Errors that stopped grading (compile diagnostics) come before Score.
// CI reads the last line ("N passed, N failed") alone. Learner-controlled text (abort messages,
// compiler messages quoting the source) has its control characters escaped (escape.ts): a CR
// cannot forge a "Score:" line, an ESC cannot drive the teacher's terminal.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import { errorLines, fmtPoints } from "./util.js";
import type { EmitOptions } from "./options.js";
import { escapeControls } from "./escape.js";

/** The text report, ending in a newline. Hidden details redacted unless opts.reveal. */
export function emitText(report: Report, opts: EmitOptions = {}): string {
  const r = redactReport(report, opts.reveal === true);
  const esc = (x: string) => escapeControls(x, true);
  const out: string[] = [`lesson ${esc(r.lesson)}`];
  let passed = 0, failed = 0;
  for (const t of r.tests) {
    const ok = t.status === "pass";
    if (ok) passed++; else failed++;
    out.push(`${esc(t.name)}: ${ok ? "OK" : "FAIL"} (${fmtPoints(t.score)}/${fmtPoints(t.max_score)})`);
    if (!ok && t.message !== "") {
      for (const line of t.message.split("\n")) out.push(`    ${esc(line)}`);
    }
  }
  for (const e of errorLines(r)) out.push(`error: ${e.split("\n").map(esc).join("\n")}`);
  out.push(`Score: ${fmtPoints(r.score)}/${fmtPoints(r.max_score)}`);
  out.push(`${passed} passed, ${failed} failed`);
  return out.join("\n") + "\n";
}
