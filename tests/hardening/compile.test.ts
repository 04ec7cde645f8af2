// tests/hardening/compile.test.ts: the compiler itself as an attack surface. A few lines of
// generics make asc run for minutes (2^depth instantiations); a recursive generic makes it
// crash and call process.exit(1). Both become an error report, and the grader goes on.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { allText, pool, reportProblems, solution, submission } from "./helpers.js";

const p = pool({ compileDeadlineMs: 6000 });
after(() => p.close());

/** 2^depth generic instantiations from ~depth lines of source. */
function exponentialGenerics(depth: number): string {
  let pre = "class P<A, B> { a: i32 = 0; }\nfunction f0<T>(): i32 { return sizeof<T>() as i32; }\n";
  for (let i = 1; i <= depth; i++) pre += `function f${i}<T>(): i32 { return f${i - 1}<P<T, i32>>() + f${i - 1}<P<T, i64>>(); }\n`;
  return submission(`  return <u32>f${depth}<i32>() & 0;`, pre);
}

// the compile deadline is CPU time of the compiling thread (at most WALL_CAP times as much wall
// time on a starved machine), so the test allows for a loaded machine
test("a compile that takes too long is stopped and graded as an error", { timeout: 300_000 }, async () => {
  const src = exponentialGenerics(22);
  assert.ok(src.length < 4000);
  const r = await p.grade({ files: { "datastore.ts": src } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.status, "error");
  assert.equal(r.score, 0);
  assert.match(allText(r), /compiling took longer than 6000 ms/);
});

test("a compiler crash (asc calls process.exit) is graded as an error, not a dead grader", { timeout: 120_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": submission("  return <u32>f<i32>(1);",
    "function f<T>(x: T): i32 { return f<StaticArray<T>>(changetype<StaticArray<T>>(0)); }") } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.status, "error");
  assert.equal(r.score, 0);
  assert.ok(r.errors.length > 0);
});

test("the grader still grades the next submission full marks", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": solution() } });
  assert.equal(r.status, "pass", allText(r));
});
