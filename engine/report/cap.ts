// engine/report/cap.ts: limits on what a submission can make a report hold.
//
// A learner controls some text that reaches a report: an abort() message, the values it logs,
// the oops location. A handler that aborts with a megabyte-long message must not produce a
// megabyte-long results.json (PrairieLearn refuses more than 1 MB; CI logs choke). Every
// emitter passes its report through capReport() first.

import type { Report } from "../types.js";
import { capText } from "./util.js";

/** Most characters kept of one check's message or one error. */
export const MESSAGE_MAX = 4000;
/** Most errors kept (a compile can report hundreds). */
export const ERRORS_MAX = 50;

/** The report with every message cut to MESSAGE_MAX characters and at most ERRORS_MAX errors
 *  (the last one saying how many were dropped). Returns the argument itself when nothing needs
 *  cutting. Pure. */
export function capReport(report: Report): Report {
  const long = (s: string) => s.length > MESSAGE_MAX;
  if (!report.tests.some(t => long(t.message) || long(t.name)) && report.errors.length <= ERRORS_MAX
      && !report.errors.some(e => long(e.message))) {
    return report;
  }
  const errors = report.errors.slice(0, ERRORS_MAX).map(e => ({ ...e, message: capText(e.message, MESSAGE_MAX) }));
  if (report.errors.length > ERRORS_MAX) {
    errors[ERRORS_MAX - 1] = { message: `... and ${report.errors.length - ERRORS_MAX + 1} more errors` };
  }
  return {
    ...report,
    tests: report.tests.map(t => ({ ...t, name: capText(t.name, 200), message: capText(t.message, MESSAGE_MAX) })),
    errors,
  };
}
