// tests/hardening/runaway.test.ts: handlers that never return, recurse without end or eat
// memory are stopped and graded as failures, never a hang or a crash of the grader.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { allText, pool, reportProblems, solution, submission } from "./helpers.js";

const p = pool();
after(() => p.close());

test("an endless loop is a soft lockup, graded as a failure (timeout) of every check it reaches", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": submission("  while (true) {}\n  return 0;") } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.status, "fail");
  assert.equal(r.score, 0);
  assert.ok(r.tests.some(t => t.failure?.kind === "timeout"), allText(r));
  for (const t of r.tests) if (t.failure?.kind === "timeout") assert.match(t.failure.message, /^in step \d+: soft lockup: vvar_fault\(\) did not return/);
  // graded twice: the lockup is counted in Wasm, so the report is the same
  assert.deepEqual(await p.grade({ files: { "datastore.ts": submission("  while (true) {}\n  return 0;") } }), r);
});

test("a deep recursion is a kernel oops in the report, not a crash", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": submission("  return <u32>deep(vmf.pgoff + 100000000);",
    "function deep(n: u64): u64 { return n == 0 ? 0 : 1 + deep(n - 1); }") } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.score, 0);
  // a stack overflow is an ordinary trap: the oops (not the deadline) ends the scenario
  assert.ok(r.tests.some(t => /oops/i.test(t.message) && !/did not return/.test(t.message)), allText(r));
});

test("a memory blow-up hits the learner module's memory cap", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": submission(
    "  while (true) keep.push(new StaticArray<u8>(65536));\n  return 0;",
    "const keep: StaticArray<u8>[] = [];") } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.score, 0);
  // stopped by the cap (a trap, an oops), not by the deadline
  assert.ok(r.tests.some(t => /oops/i.test(t.message) && !/did not return/.test(t.message)), allText(r));
});

test("after all that, the same grader still grades the reference solution full marks", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": solution() } });
  assert.equal(r.status, "pass", allText(r));
  assert.equal(r.score, r.max_score);
});
