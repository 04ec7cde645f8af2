// tests/hardening/imports.test.ts: a submission reaches nothing but the kernel API. Imports of
// other modules, of files outside the submission (the reference solution, hidden checks) and
// host functions outside the allowed list are refused, by name.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { allText, pool, reportProblems, submission } from "./helpers.js";

const p = pool();
after(() => p.close());

const REFUSED: [string, string, RegExp][] = [
  ["a Node module", `import { readFileSync } from "fs";`, /\bfs\b/],
  ["the reference solution", `import { vvar_fault as ref } from "../solution/datastore";`, /solution\/datastore/],
  ["a lesson file by path", `import * as l from "../../lessons/01-first-fault/solution/datastore";`, /lessons\/01-first-fault\/solution\/datastore/],
  ["hidden checks", `import * as h from "../checks/checks";`, /checks\/checks/],
];

for (const [what, prelude, name] of REFUSED) {
  test(`importing ${what} is refused by name`, { timeout: 60_000 }, async () => {
    const r = await p.grade({ files: { "datastore.ts": submission("  return VM_FAULT_SIGBUS;", prelude) } });
    assert.deepEqual(reportProblems(r), []);
    assert.equal(r.status, "error");
    assert.equal(r.score, 0);
    assert.match(allText(r), name);
  });
}

const HOST: [string, string][] = [
  ["env", "system"],
  ["wasi_snapshot_preview1", "fd_write"],
  ["kernel", "set_counters"],
  ["env", "fetch"],
];

for (const [mod, fn] of HOST) {
  test(`a host import ${mod}.${fn} is refused by name`, { timeout: 60_000 }, async () => {
    const r = await p.grade({ files: { "datastore.ts": submission(`  ${fn}_(0);\n  return VM_FAULT_SIGBUS;`,
      `@external("${mod}", "${fn}") declare function ${fn}_(x: i32): i32;`) } });
    assert.deepEqual(reportProblems(r), []);
    assert.notEqual(r.status, "pass");
    assert.equal(r.score, 0);
    assert.ok(allText(r).includes(`${mod}.${fn}`), allText(r));
  });
}

test("a submission file named like an engine file is refused by name", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": submission("  return VM_FAULT_SIGBUS;"), "kernel.ts": "export const x = 1;" } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.status, "error");
  assert.match(allText(r), /kernel\.ts/);
});
