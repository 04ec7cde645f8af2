// tests/report/fixtures.ts: Reports the emitter tests feed in. Plain data, hand-written so the
// tests do not depend on the engine producing them.

import type { Report } from "../../engine/types.js";

/** A mixed report: a pass, a fail, an error, a hidden fail and a hidden pass, with names and
 *  messages full of characters each format must escape. */
export function mixedReport(): Report {
  return {
    lesson: "02-mlockall",
    score: 5.5,
    max_score: 12,
    status: "fail",
    tests: [
      { id: "no-fault", name: "no fault after mlockall", status: "pass", score: 3, max_score: 3,
        message: "", visibility: "visible", scenario: "mlockall-loop" },
      { id: "remote-eio", name: "remote read # of <unpopulated> page & \"quotes\" \\ back", status: "fail",
        score: 0, max_score: 2, visibility: "visible", scenario: "remote-read",
        message: "A remote read of an unpopulated [vvar] page must fail with EIO.\nfaults: expected 0, got 3 ]]> <x/>" },
      { id: "oops", name: "handler does not trap", status: "error", score: 0, max_score: 2, visibility: "visible",
        message: "kernel oops: learner: null vaddr at datastore.ts:7:3\u0001\u0007", scenario: "oops" },
      { id: "hidden-timens", name: "namespace page after setns", status: "fail", score: 0, max_score: 2.5,
        visibility: "hidden", message: "SECRET: the hidden scenario forks then setns", scenario: "secret-scenario" },
      { id: "hidden-pass", name: "partial credit \u00e9t\u00e9 \ud83d\ude00", status: "pass", score: 2.5, max_score: 2.5,
        visibility: "hidden", message: "" },
    ],
    errors: [],
  };
}

/** A submission that did not compile: no test ran. */
export function compileErrorReport(): Report {
  return {
    lesson: "02-mlockall",
    score: 0,
    max_score: 10,
    status: "error",
    tests: [],
    errors: [
      { message: "TS1109: Expression expected.", file: "datastore.ts", line: 4, column: 12 },
      { message: "1 parse error(s)" },
    ],
  };
}

/** Everything passes. */
export function perfectReport(): Report {
  return {
    lesson: "01-intro", score: 4, max_score: 4, status: "pass", errors: [],
    tests: [
      { id: "a", name: "first", status: "pass", score: 1, max_score: 1, message: "", visibility: "visible" },
      { id: "b", name: "second", status: "pass", score: 3, max_score: 3, message: "", visibility: "hidden" },
    ],
  };
}

export const ALL_FIXTURES: [string, () => Report][] = [
  ["mixed", mixedReport], ["compile-error", compileErrorReport], ["perfect", perfectReport],
];
