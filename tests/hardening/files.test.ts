// tests/hardening/files.test.ts: what a class folder may hold. A symbolic link in place of the
// handed-in file (to the reference solution, the hidden checks, /etc/passwd) is refused, not
// followed; an oversized source is refused before asc sees it.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LESSON, allText, lessonsDir, pool, reportProblems, submission } from "./helpers.js";

const p = pool();
const dir = mkdtempSync(join(tmpdir(), "prefault-files-"));
after(async () => { await p.close(); rmSync(dir, { recursive: true, force: true }); });

test("a symbolic link to the reference solution is refused, not graded", { timeout: 60_000 }, async () => {
  mkdirSync(join(dir, "linker"));
  symlinkSync(join(lessonsDir(), LESSON, "solution", "datastore.ts"), join(dir, "linker", "datastore.ts"));
  const r = await p.grade({ dir: join(dir, "linker") });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.status, "error");
  assert.equal(r.score, 0);
  assert.match(allText(r), /datastore\.ts is a symbolic link/);
});

test("an oversized source is refused before it reaches the compiler", { timeout: 60_000 }, async () => {
  const big = submission("  return VM_FAULT_SIGBUS;") + "// padding\n".repeat(40_000);
  mkdirSync(join(dir, "big"));
  writeFileSync(join(dir, "big", "datastore.ts"), big);
  for (const sub of [{ dir: join(dir, "big") }, { files: { "datastore.ts": big } }]) {
    const r = await p.grade(sub);
    assert.deepEqual(reportProblems(r), []);
    assert.equal(r.status, "error");
    assert.match(allText(r), /the limit is 262144/);
  }
});
