// tests/report/emitters.test.ts: each emitter against its format's own rules.
//   TAP: tap-parser; the JSON formats against the fields and values their platforms document
//   (docs/toolchain.md §4). JUnit against the published XSDs: junit-xsd.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Parser } from "tap-parser";
import { emitReport, FORMATS, HIDDEN_MESSAGE, parseFormat } from "../../engine/report/index.js";
import { ALL_FIXTURES, compileErrorReport, mixedReport, outcomesReport, perfectReport } from "./fixtures.js";
import type { ReportContext } from "../../engine/report/context.js";
import { checkOutcome } from "../../engine/report/util.js";

test("text: gradelib lines, explanation under failures, Score and the counts line", () => {
  const out = emitReport(mixedReport(), "text");
  const lines = out.split("\n");
  assert.equal(lines[0], "lesson 02-mlockall");
  assert.ok(lines.includes("no fault after mlockall: OK (3/3)"));
  const i = lines.findIndex(l => l.startsWith("remote read # of <unpopulated>"));
  assert.match(lines[i], /: FAIL \(0\/2\)$/);
  assert.equal(lines[i + 1], "    A remote read of an unpopulated [vvar] page must fail with EIO.");
  assert.ok(lines.includes("handler does not trap: FAIL (0/2)"));
  assert.ok(lines.includes(`    ${HIDDEN_MESSAGE}`));
  assert.ok(!out.includes("SECRET"));
  assert.equal(lines.at(-3), "Score: 5.5/12");
  assert.equal(lines.at(-2), "2 passed, 3 failed");
  assert.equal(lines.at(-1), "");
  assert.ok(emitReport(mixedReport(), "text", { reveal: true }).includes("SECRET"));
});

test("text: compile errors are listed before the score", () => {
  const out = emitReport(compileErrorReport(), "text");
  assert.match(out, /error: datastore\.ts:4:12: TS1109: Expression expected\.\nerror: 1 parse error\(s\)\nScore: 0\/10\n0 passed, 0 failed\n$/);
});

test("json: the Report, hidden details redacted unless revealed", () => {
  const r = mixedReport();
  assert.deepEqual(JSON.parse(emitReport(r, "json", { reveal: true })), r);
  const student = JSON.parse(emitReport(r, "json"));
  assert.equal(student.tests[3].message, HIDDEN_MESSAGE);
  assert.equal(student.tests[3].scenario, undefined);
  assert.equal(student.tests[3].status, "fail");
  assert.equal(student.tests[4].message, "");
  assert.ok(!JSON.stringify(student).includes("SECRET"));
});

test("gradescope: results.json fields, per-test visibility, no wall clock", () => {
  const g = JSON.parse(emitReport(mixedReport(), "gradescope"));
  assert.equal(g.score, 5.5);
  assert.equal(g.execution_time, undefined);
  assert.ok(["text", "html", "simple_format", "md", "ansi"].includes(g.output_format));
  assert.equal(g.tests.length, 5);
  const sum = g.tests.reduce((a: number, t: { score: number }) => a + t.score, 0);
  assert.equal(sum, g.score);
  for (const t of g.tests) {
    assert.equal(typeof t.name, "string");
    assert.equal(typeof t.score, "number");
    assert.equal(typeof t.max_score, "number");
    assert.ok(t.score <= t.max_score);
    assert.ok(["passed", "failed"].includes(t.status));
    assert.ok(["hidden", "after_due_date", "after_published", "visible"].includes(t.visibility));
  }
  assert.deepEqual(g.tests.map((t: { visibility: string }) => t.visibility),
    ["visible", "visible", "visible", "after_due_date", "after_due_date"]);
  // Gradescope hides by visibility, so the instructor still sees the hidden details...
  assert.match(g.tests[3].output, /SECRET/);
  // ...but the top-level output (visible to students) does not carry them.
  assert.ok(!g.output.includes("SECRET"));
  assert.equal(g.tests[2].status, "failed");
  assert.match(g.tests[2].output, /^error: kernel oops/);
  const ce = JSON.parse(emitReport(compileErrorReport(), "gradescope"));
  assert.equal(ce.score, 0);
  assert.match(ce.output, /TS1109/);
});

/** The grading reporter's sums (autograding-grading-reporter src/notify-classroom.js). */
function reporterTotals(results: { max_score: number; tests: { score: number }[] }) {
  let totalPoints = 0, maxPoints = 0;
  if (results.max_score) {
    maxPoints += results.max_score;
    results.tests.forEach(({ score }) => { totalPoints += score; });
  }
  return { totalPoints, maxPoints };
}

test("github: the classroom reporter's runner JSON, base64 when asked", () => {
  const b64 = emitReport(mixedReport(), "github", { base64: true });
  assert.match(b64, /^[A-Za-z0-9+/]+=*$/);
  const res = JSON.parse(Buffer.from(b64, "base64").toString("utf-8"));
  assert.deepEqual(res, JSON.parse(emitReport(mixedReport(), "github")));
  assert.equal(res.version, 1);
  assert.equal(res.status, "error");   // one check could not run (autograding-command-grader's word for it)
  assert.deepEqual(reporterTotals(res), { totalPoints: 5.5, maxPoints: 12 });
  for (const t of res.tests) {
    assert.ok(["pass", "fail", "error"].includes(t.status));
    for (const k of ["name", "message", "test_code", "filename"]) assert.equal(typeof t[k], "string");
    assert.equal(t.line_no, 0);
    assert.equal(typeof t.duration, "number");
  }
  assert.equal(res.tests[3].message, HIDDEN_MESSAGE);
  assert.match(res.tests[4].name, /été 😀/);
  const ce = JSON.parse(emitReport(compileErrorReport(), "github"));
  assert.equal(ce.status, "error");
  assert.equal(ce.tests.length, 1);
  assert.match(ce.tests[0].message, /TS1109/);
  assert.deepEqual(reporterTotals(ce), { totalPoints: 0, maxPoints: 10 });
  assert.equal(JSON.parse(emitReport(perfectReport(), "github")).status, "pass");
});

test("prairielearn: score in [0,1], gradable:false with format_errors on a build error", () => {
  const pl = JSON.parse(emitReport(mixedReport(), "prairielearn"));
  assert.equal(pl.gradable, true);
  assert.ok(pl.score >= 0 && pl.score <= 1);
  assert.equal(pl.score, Math.round(5.5 / 12 * 10000) / 10000);
  for (const t of pl.tests) {
    assert.equal(typeof t.name, "string");
    assert.ok(t.points <= t.max_points);
  }
  assert.ok(!JSON.stringify(pl).includes("SECRET"));
  const ce = JSON.parse(emitReport(compileErrorReport(), "prairielearn"));
  assert.equal(ce.gradable, false);
  assert.ok(Array.isArray(ce.format_errors) && ce.format_errors.length === 2);
  assert.match(ce.format_errors[0], /datastore\.ts:4:12/);
  assert.equal(JSON.parse(emitReport(perfectReport(), "prairielearn")).score, 1);
});

test("exercism: version 3, statuses, messages where required, tests in order", () => {
  const ex = JSON.parse(emitReport(mixedReport(), "exercism"));
  assert.equal(ex.version, 3);
  assert.equal(ex.status, "fail");
  assert.equal(ex.message, undefined);
  assert.deepEqual(ex.tests.map((t: { name: string }) => t.name), mixedReport().tests.map(t => t.name));
  for (const t of ex.tests) {
    assert.ok(["pass", "fail", "error"].includes(t.status));
    if (t.status !== "pass") assert.ok(typeof t.message === "string" && t.message.length > 0);
    else assert.equal(t.message, undefined);
    assert.equal(typeof t.test_code, "string");
    assert.equal(t.task_id, undefined);   // no context: no check can be placed under a task
    if (t.output !== undefined) assert.ok(t.output.length <= 500);
  }
  const ce = JSON.parse(emitReport(compileErrorReport(), "exercism"));
  assert.equal(ce.status, "error");
  assert.match(ce.message, /TS1109/);
  assert.equal(JSON.parse(emitReport(perfectReport(), "exercism")).status, "pass");
});

function parseTap(s: string) {
  const events = Parser.parse(s);
  const complete = events.find(e => e[0] === "complete");
  assert.ok(complete, "no complete event");
  return { events, results: complete[1] as { ok: boolean; count: number; pass: number; fail: number; bailout: boolean | string; plan: { start: number; end: number } } };
}

test("tap: TAP 14 that tap-parser reads with the right counts and YAML diagnostics", () => {
  const { events, results } = parseTap(emitReport(mixedReport(), "tap"));
  assert.equal(results.count, 5);
  assert.equal(results.pass, 2);
  assert.equal(results.fail, 3);
  assert.equal(results.ok, false);
  assert.equal(results.bailout, false);
  assert.deepEqual([results.plan.start, results.plan.end], [1, 5]);
  const asserts = events.filter(e => e[0] === "assert").map(e => e[1]);
  assert.equal(asserts[1].name, "remote read # of <unpopulated> page & \"quotes\" \\ back");
  assert.equal(asserts[1].diag.message, mixedReport().tests[1].message);
  assert.equal(asserts[1].diag.severity, "fail");
  assert.equal(asserts[2].diag.severity, "error");
  assert.equal(asserts[3].diag.message, HIDDEN_MESSAGE);
  assert.equal(events.filter(e => e[0] === "extra").length, 0);
  const ce = parseTap(emitReport(compileErrorReport(), "tap")).results;
  assert.equal(ce.count, 1);
  assert.equal(ce.fail, 1);
  assert.equal(parseTap(emitReport(perfectReport(), "tap")).results.ok, true);
});

/** A deep copy of v with every object's keys in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  }
  return v;
}

test("every format: byte-identical output for identical input, whatever the key order", () => {
  for (const f of FORMATS) {
    for (const [, mk] of ALL_FIXTURES) {
      const a = mk();
      const shuffled = reverseKeys(a) as typeof a;
      assert.equal(emitReport(a, f), emitReport(mk(), f), f);
      assert.equal(emitReport(shuffled, f), emitReport(a, f), `${f} depends on key order`);
    }
  }
});

test("formats: names, aliases and unknown names", () => {
  assert.equal(parseFormat("gh-classroom"), "github");
  assert.equal(parseFormat("GRADESCOPE"), "gradescope");
  assert.equal(parseFormat("csv"), null);
  assert.throws(() => emitReport(mixedReport(), "nope"), /unknown format/);
});

test("every format: a submission cannot blow up the report (messages and errors capped)", () => {
  const r = mixedReport();
  r.tests[1].message = "A".repeat(1_000_000);
  r.errors = Array.from({ length: 5000 }, (_, i) => ({ message: `error ${i} ` + "B".repeat(10_000) }));
  for (const f of FORMATS) {
    const out = emitReport(r, f, { reveal: true });
    assert.ok(out.length < 300_000, `${f}: ${out.length} characters`);
  }
  assert.match(emitReport(r, "text"), /more characters cut/);
  assert.match(emitReport(r, "text"), /and 4951 more errors/);
});

test("outcomes: a timeout and an oops are errors, a blocked check takes its blocker's, assertions fail", () => {
  const r = outcomesReport();
  assert.deepEqual(r.tests.map(t => checkOutcome(t, r.tests)), [
    { status: "error", reason: "timeout" }, { status: "error", reason: "blocked" }, { status: "error", reason: "oops" },
    { status: "fail", reason: "assertion" }, { status: "error", reason: "timeout" }, { status: "pass" },
  ]);
  // the kind the report carries wins over the message
  assert.deepEqual(checkOutcome({ ...r.tests[3], failure: { kind: "timeout", message: "x" } }, r.tests), { status: "error", reason: "timeout" });
  assert.deepEqual(checkOutcome({ ...r.tests[0], failure: { kind: "assertion", message: "x" } }, r.tests), { status: "fail", reason: "assertion" });
  assert.deepEqual(checkOutcome({ ...r.tests[0], failure: { kind: "error", message: "x" } }, r.tests), { status: "error", reason: "engine" });
});

test("outcomes: every platform with an error status says error, with what happened", () => {
  const gh = JSON.parse(emitReport(outcomesReport(), "github"));
  assert.deepEqual(gh.tests.map((t: { status: string }) => t.status), ["error", "error", "error", "fail", "error", "pass"]);
  assert.equal(gh.status, "error");
  assert.match(gh.tests[0].message, /^soft lockup: vvar_fault\(\) did not return \(it ran 20,000,000/);
  const ex = JSON.parse(emitReport(outcomesReport(), "exercism"));
  assert.deepEqual(ex.tests.map((t: { status: string }) => t.status), ["error", "error", "error", "fail", "error", "pass"]);
  assert.match(ex.tests[2].message, /oopsed in step 1/);
  const { events } = parseTap(emitReport(outcomesReport(), "tap"));
  const asserts = events.filter(e => e[0] === "assert").map(e => e[1]);
  assert.deepEqual(asserts.map(a => a.diag?.severity), ["error", "error", "error", "fail", "error", undefined]);
  assert.deepEqual(asserts.map(a => a.diag?.reason), ["timeout", "blocked", "oops", "assertion", "timeout", undefined]);
  const gs = JSON.parse(emitReport(outcomesReport(), "gradescope"));
  assert.match(gs.tests[0].output, /^error: soft lockup: vvar_fault\(\) did not return/);
  const pl = JSON.parse(emitReport(outcomesReport(), "prairielearn"));
  assert.match(pl.tests[0].message, /^error: soft lockup: vvar_fault\(\) did not return/);
  assert.equal(pl.tests[3].message, outcomesReport().tests[3].message);
});

test("tap: U+2028 and U+2029 in a message do not cost tap-parser a test point", () => {
  const tap = emitReport(outcomesReport(), "tap");
  assert.ok(!/[\u2028\u2029]/.test(tap), "the stream holds no raw U+2028/U+2029");
  const { events, results } = parseTap(tap);
  assert.equal(results.count, 6);
  assert.equal(results.pass, 1);
  assert.equal(events.filter(e => e[0] === "extra").length, 0);
  const trap = events.filter(e => e[0] === "assert").map(e => e[1])[2];
  assert.equal(trap.diag.message, outcomesReport().tests[2].message);
  // the same message unescaped is what the escape prevents: tap-parser loses points on it
  const raw = tap.replace(/\\u2028/g, "\u2028").replace(/\\u2029/g, "\u2029");
  assert.ok(parseTap(raw).results.count < 6 || parseTap(raw).events.some(e => e[0] === "extra"), "raw U+2028 breaks the stream");
});

const CONTEXT: ReportContext = {
  taskHeadings: 1,
  checks: {
    "no-fault": { description: "A loop after mlockall().", steps: ['{"op":"spawn","task":"rt"}', '{"op":"mlockall","task":"rt","flags":["MCL_CURRENT"]}'] },
    "hidden-timens": { description: "SECRET scenario description", steps: ['{"op":"setns","task":"SECRET","ns":"x"}'] },
  },
};

test("exercism with the lesson's context: task_id where the lesson has one task heading, test_code the steps", () => {
  const ex = JSON.parse(emitReport(mixedReport(), "exercism", { context: CONTEXT }));
  assert.deepEqual(ex.tests.map((t: { task_id?: number }) => t.task_id), [1, 1, 1, 1, 1]);
  assert.equal(ex.tests[0].test_code, CONTEXT.checks["no-fault"].steps.join("\n"));
  assert.ok(!JSON.stringify(ex).includes("SECRET"));
  const two = JSON.parse(emitReport(mixedReport(), "exercism", { context: { ...CONTEXT, taskHeadings: 2 } }));
  assert.ok(two.tests.every((t: { task_id?: number }) => t.task_id === undefined));
});

test("prairielearn with the lesson's context: description is the check's description", () => {
  const pl = JSON.parse(emitReport(mixedReport(), "prairielearn", { context: CONTEXT }));
  assert.equal(pl.tests[0].description, "A loop after mlockall().");
  assert.ok(pl.tests.every((t: { description: string }) => !/^(passed|failed|error)$/.test(t.description)));
  assert.equal(pl.tests[3].description, "");
  assert.ok(!JSON.stringify(pl).includes("SECRET"));
});

test("gradescope: the always-visible output and its score count the visible checks only", () => {
  const g = JSON.parse(emitReport(mixedReport(), "gradescope"));
  for (const t of mixedReport().tests.filter(x => x.visibility === "hidden")) assert.ok(!g.output.includes(t.name), t.name);
  assert.match(g.output, /^Visible checks: 3\/7$/m);
  assert.doesNotMatch(g.output, /^Score: /m);
  assert.match(g.output, /2 more checks \(5 points\) are shown, with your total, after the due date/);
  assert.equal(g.score, 5.5);   // the grade itself counts every check; Gradescope hides it while tests are hidden
  // one hidden check worth one point: singular words
  const one = mixedReport();
  const hidden = one.tests.filter(t => t.visibility === "hidden");
  one.tests = one.tests.filter(t => t !== hidden[1]);
  hidden[0].max_score = 1;
  const g1 = JSON.parse(emitReport(one, "gradescope"));
  assert.match(g1.output, /^1 more check \(1 point\) is shown, with your total, after the due date\.$/m);
});
