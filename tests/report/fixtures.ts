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

/** What engine/grade.ts writes for checks that could not run, as "fail" with the story in the
 *  message (a timeout, an oops), a check blocked by the timeout, a plain assertion failure,
 *  and a message with U+2028/U+2029 (an abort() text a learner controls). */
export function outcomesReport(): Report {
  return {
    lesson: "06-mlockall", score: 1, max_score: 6, status: "fail", errors: [],
    tests: [
      { id: "loop", name: "the loop", status: "fail", score: 0, max_score: 1, visibility: "visible", scenario: "control-loop",
        message: "soft lockup: vvar_fault() did not return (it ran 20,000,000 loop iterations and calls, the budget of one scenario): an endless loop? at datastore.ts:18:3 (in step 1 of scenario control-loop)",
        failure: { kind: "timeout", message: "in step 1: soft lockup: vvar_fault() did not return (it ran 20,000,000 loop iterations and calls, the budget of one scenario): an endless loop? at datastore.ts:18:3" } },
      { id: "after-loop", name: "after the loop", status: "fail", score: 0, max_score: 1, visibility: "visible", scenario: "control-loop",
        message: "Not graded until \"the loop\" passes.",
        failure: { kind: "blocked", message: "requires loop, which did not pass (timeout)" }, because: "loop" },
      { id: "trap", name: "no trap", status: "fail", score: 0, max_score: 1, visibility: "visible", scenario: "mlockall-root",
        message: "The kernel oopsed in step 1 of scenario mlockall-root: abort: line\u2028two\u2029three at datastore.ts:9:5" },
      { id: "flags", name: "no VM_IO", status: "fail", score: 0, max_score: 1, visibility: "visible", scenario: "mlockall-root",
        message: "/proc/pid/smaps still shows 'io'.\n(steps.4.smaps.vm_flags: expected not_matches \"io\", got \"rd io\")" },
      { id: "hidden-loop", name: "hidden loop", status: "fail", score: 0, max_score: 1, visibility: "hidden", scenario: "secret",
        message: "vvar_fault() did not return within 2000 ms: an endless loop? (scenario secret)" },   // a report without failure kinds
      { id: "ok", name: "fine", status: "pass", score: 1, max_score: 1, visibility: "visible", message: "" },
    ],
  };
}
