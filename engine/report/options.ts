// engine/report/options.ts: options every emitter accepts.

export interface EmitOptions {
  /** Show hidden checks' details (instructor views). Default false: student-facing. */
  reveal?: boolean;
  /** github: print the runner JSON base64-encoded, as a `result` step output wants it. */
  base64?: boolean;
}
