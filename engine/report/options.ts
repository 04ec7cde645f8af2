// engine/report/options.ts: options every emitter accepts.

import type { ReportContext } from "./context.js";

export interface EmitOptions {
  /** Show hidden checks' details (instructor views). Default false: student-facing. */
  reveal?: boolean;
  /** github: print the runner JSON base64-encoded, as a `result` step output wants it. */
  base64?: boolean;
  /** What the lesson says of each check (exercism task_id and test_code, prairielearn
   *  description); engine/report/context.ts. */
  context?: ReportContext;
}
