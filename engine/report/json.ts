// engine/report/json.ts: the Report itself, as JSON (engine/types.ts is its schema).

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";

/** The Report as pretty JSON with a trailing newline, keys in the contract's order so the same
 *  report always gives the same bytes. Hidden details redacted unless opts.reveal. */
export function emitJson(report: Report, opts: EmitOptions = {}): string {
  const r = redactReport(report, opts.reveal === true);
  const ordered: Report = {
    lesson: r.lesson, score: r.score, max_score: r.max_score, status: r.status,
    tests: r.tests.map(t => {
      const o: Report["tests"][number] = {
        id: t.id, name: t.name, status: t.status, score: t.score, max_score: t.max_score,
        message: t.message, visibility: t.visibility,
      };
      if (t.scenario !== undefined) o.scenario = t.scenario;
      if (t.failure !== undefined) o.failure = { kind: t.failure.kind, message: t.failure.message };
      if (t.because !== undefined) o.because = t.because;
      return o;
    }),
    errors: r.errors.map(e => {
      const o: Report["errors"][number] = { message: e.message };
      if (e.file !== undefined) o.file = e.file;
      if (e.line !== undefined) o.line = e.line;
      if (e.column !== undefined) o.column = e.column;
      return o;
    }),
  };
  return JSON.stringify(ordered, null, 2) + "\n";
}
