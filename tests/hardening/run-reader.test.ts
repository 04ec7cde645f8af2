// tests/hardening/run-reader.test.ts: `prefault run --datastore` reads through the one submission
// reader (cli/submission-reader.ts), as `prefault grade` does: a link (to the lesson's solution),
// a FIFO, /dev/zero, an oversized or non-UTF-8 file, and a link among the files it imports are
// refused with the reader's words, exit 2, quickly, without hanging or reading without end.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, solution } from "./helpers.js";
import { MAX_SOURCE_BYTES } from "../../engine/submission.js";
import { readDatastoreFiles } from "../../cli/submission-reader.js";

const BIN = join(ROOT, "bin", "prefault.js");
const SCENARIO = join(ROOT, "scenarios", "01-first-fault.json");
const dir = mkdtempSync(join(tmpdir(), "prefault-run-reader-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(datastore: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, "run", SCENARIO, "--datastore", datastore], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

test("a symbolic link is refused, not followed", { timeout: 60_000 }, () => {
  const link = join(dir, "link.ts");
  symlinkSync(join(ROOT, "lessons", "01-first-fault", "solution", "datastore.ts"), link);
  const r = run(link);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /link\.ts is a symbolic link; hand in the file itself/);
});

test("a FIFO and /dev/zero are refused at once", { timeout: 60_000 }, () => {
  const fifo = join(dir, "fifo.ts");
  assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
  const f = run(fifo);
  assert.equal(f.status, 2, f.stderr);
  assert.match(f.stderr, /fifo\.ts is a named pipe \(FIFO\), not a regular file/);
  const z = run("/dev/zero");
  assert.equal(z.status, 2, z.stderr);
  assert.match(z.stderr, /\/dev\/zero is a character device.*not a regular file/);
});

test("an oversized or non-UTF-8 file is refused with the grader's words", { timeout: 60_000 }, () => {
  const big = join(dir, "big.ts");
  writeFileSync(big, "// " + "x".repeat(MAX_SOURCE_BYTES));
  const b = run(big);
  assert.equal(b.status, 2, b.stderr);
  assert.match(b.stderr, new RegExp(`big\\.ts is \\d+ bytes; the limit is ${MAX_SOURCE_BYTES}`));
  const bad = join(dir, "latin1.ts");
  writeFileSync(bad, Buffer.concat([Buffer.from("// caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
  const u = run(bad);
  assert.equal(u.status, 2, u.stderr);
  assert.match(u.stderr, /latin1\.ts.*UTF-8/);
});

test("a file it imports is read by the same rules: a link next to it is refused", () => {
  const d = join(dir, "imports");
  mkdirSync(d);
  writeFileSync(join(d, "datastore.ts"), `import { helper } from "./helper";\n${solution()}`);
  symlinkSync("/etc/passwd", join(d, "helper.ts"));
  const r = readDatastoreFiles(join(d, "datastore.ts"));
  assert.ok(!r.ok);
  assert.match(r.error.message, /helper\.ts is a symbolic link/);
  // an ordinary helper is read, kernel.ts is the grader's and never read from the folder
  rmSync(join(d, "helper.ts"));
  writeFileSync(join(d, "helper.ts"), "export function helper(): i32 { return 1; }\n");
  writeFileSync(join(d, "kernel.ts"), "this is never read");
  const ok = readDatastoreFiles(join(d, "datastore.ts"));
  assert.ok(ok.ok);
  assert.deepEqual(Object.keys(ok.files).sort(), ["datastore.ts", "helper.ts"]);
});

test("an ordinary file runs as before", { timeout: 60_000 }, () => {
  const f = join(dir, "good.ts");
  writeFileSync(f, solution());
  const r = run(f);
  assert.equal(r.status, 0, r.stderr);
});

test("a datastore importing ./helper: run uses it and says grading will not; grade says the file is not the lesson's", { timeout: 120_000 }, () => {
  const d = join(dir, "with-helper");
  mkdirSync(d);
  writeFileSync(join(d, "datastore.ts"), `import { HELPER } from "./helper";\n${solution()}`);
  writeFileSync(join(d, "helper.ts"), "export const HELPER: i32 = 1;\n");
  const r = run(join(d, "datastore.ts"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /note: helper\.ts is read from the datastore's folder for this run; `prefault grade` takes a lesson's own files only/);
  const g = spawnSync(process.execPath, [BIN, "grade", "--lesson", "01-first-fault", d], { encoding: "utf8", timeout: 120_000 });
  assert.equal(g.status, 1, g.stderr);
  assert.match(g.stdout, /datastore\.ts:1:\d+: TS6054 imports \.\/helper, which is not a file of lesson 01-first-fault \(its files: datastore\.ts, kernel\.ts\); the grader compiles those only, so put that code in datastore\.ts/);
  assert.doesNotMatch(g.stdout, /File 'helper\.ts' not found/);
  // without a helper the run has nothing to say
  const plain = join(dir, "plain.ts");
  writeFileSync(plain, solution());
  assert.doesNotMatch(run(plain).stderr, /note:/);
});
