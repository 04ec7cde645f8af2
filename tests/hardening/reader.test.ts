// tests/hardening/reader.test.ts: the attacks on the submission reader, through `prefault grade`
// (the real bin, as the kit's run_autograder calls it) and the grading pool (as grade-all
// grades a student folder): a link to the reference solution, a FIFO, /dev/zero, a 50 MB source,
// bytes that are not UTF-8, zip archives. Each is refused with the same message everywhere,
// quickly, and never hangs or eats memory.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { LESSON, ROOT, allText, lessonsDir, pool, reportProblems, solution } from "./helpers.js";
import { filesFromZip, MAX_SOURCE_BYTES } from "../../engine/submission.js";
import type { Report } from "../../engine/types.js";

const BIN = join(ROOT, "bin", "prefault.js");
const dir = mkdtempSync(join(tmpdir(), "prefault-reader-"));
const p = pool();
after(async () => { await p.close(); rmSync(dir, { recursive: true, force: true }); });

function folder(name: string): string { const d = join(dir, name); mkdirSync(d, { recursive: true }); return d; }

/** `prefault grade --format json` on args; the report and exit code. */
function gradeCli(...args: string[]): { status: number | null; report: Report | undefined; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, "grade", "--lesson", LESSON, "--lessons-dir", lessonsDir(), "--format", "json", ...args],
    { encoding: "utf8", timeout: 120_000 });
  let report: Report | undefined;
  try { report = JSON.parse(r.stdout); } catch { /* asserted by callers */ }
  return { status: r.status, report, stderr: r.stderr };
}

function refused(r: Report | undefined, pattern: RegExp): void {
  assert.ok(r, "a report");
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.status, "error");
  assert.equal(r.score, 0);
  assert.match(allText(r), pattern);
}

const LINK = /datastore\.ts is a symbolic link; hand in the file itself/;

test("a datastore.ts linking to the lesson's solution is refused by grade DIR, grade FILE and the pool", { timeout: 120_000 }, async () => {
  const d = folder("link");
  symlinkSync(join(lessonsDir(), LESSON, "solution", "datastore.ts"), join(d, "datastore.ts"));
  refused(gradeCli(d).report, LINK);
  refused(gradeCli(join(d, "datastore.ts")).report, /is a symbolic link; hand in the file itself/);
  refused(await p.grade({ dir: d }), LINK);
});

test("a FIFO as datastore.ts is refused without reading it (no hang)", { timeout: 120_000 }, async () => {
  const d = folder("fifo");
  assert.equal(spawnSync("mkfifo", [join(d, "datastore.ts")]).status, 0);
  const cli = gradeCli(d);
  assert.equal(cli.status, 1, cli.stderr);
  refused(cli.report, /datastore\.ts is a named pipe \(FIFO\), not a regular file/);
  refused(gradeCli(join(d, "datastore.ts")).report, /is a named pipe \(FIFO\), not a regular file/);
  refused(await p.grade({ dir: d }), /datastore\.ts is a named pipe \(FIFO\)/);
});

test("/dev/zero is refused as a character device, not read until memory runs out", { timeout: 120_000 }, async () => {
  refused(gradeCli("/dev/zero").report, /\/dev\/zero is a character device, not a regular file/);
  const d = folder("devzero");
  symlinkSync("/dev/zero", join(d, "datastore.ts"));
  refused(gradeCli(d).report, LINK);
  refused(await p.grade({ paths: ["/dev/zero"] }), /\/dev\/zero is a character device/);
});

test("a 50 MB source is refused by grade as by grade-all, before it is read", { timeout: 120_000 }, async () => {
  const d = folder("big");
  const fd = openSync(join(d, "datastore.ts"), "w");
  ftruncateSync(fd, 50 * 1024 * 1024);   // sparse: 50 MB of size, no disk
  closeSync(fd);
  const msg = new RegExp(`datastore\\.ts is ${50 * 1024 * 1024} bytes; the limit is ${MAX_SOURCE_BYTES}`);
  refused(gradeCli(d).report, msg);
  refused(await p.grade({ dir: d }), msg);
  refused(await p.grade({ files: { "datastore.ts": "x".repeat(MAX_SOURCE_BYTES + 1) } }), /the limit is 262144/);
  // multi-byte text counts in UTF-8 bytes, as on disk
  refused(await p.grade({ files: { "datastore.ts": "é".repeat(MAX_SOURCE_BYTES / 2 + 1) } }), /the limit is 262144/);
});

test("a source that is not UTF-8 is refused, naming the byte and line", { timeout: 120_000 }, async () => {
  const d = folder("latin1");
  writeFileSync(join(d, "datastore.ts"), Buffer.concat([Buffer.from("// ok\n// caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
  const msg = /datastore\.ts is not UTF-8 text \(byte 0xe9 at offset 12, line 2\); save it as UTF-8/;
  refused(gradeCli(d).report, msg);
  refused(await p.grade({ dir: d }), msg);
});

test("a zip archive is unpacked by rule: the solution inside it is graded, not compiled as source", { timeout: 180_000 }, async () => {
  const zip = zipSync({ "handin/src/datastore.ts": strToU8(solution()), "handin/README.md": strToU8("hi"),
    "__MACOSX/handin/src/datastore.ts": strToU8("junk") });
  const z = join(dir, "handin.zip");
  writeFileSync(z, zip);
  const cli = gradeCli(z);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.report?.status, "pass");
  // a folder holding only the zip is graded from it too
  const d = folder("zipped");
  writeFileSync(join(d, "submission.zip"), zip);
  const r = await p.grade({ dir: d });
  assert.equal(r.status, "pass", allText(r));
});

test("zip rules: a name found twice, an oversized entry and a broken archive are refused", () => {
  const two = zipSync({ "a/datastore.ts": strToU8("1"), "b/datastore.ts": strToU8("2") });
  const r2 = filesFromZip("s.zip", two, ["datastore.ts"]);
  assert.ok(!r2.ok && /s\.zip holds datastore\.ts more than once \(a\/datastore\.ts, b\/datastore\.ts\)/.test(r2.error.message));
  const big = zipSync({ "datastore.ts": new Uint8Array(MAX_SOURCE_BYTES + 1) });
  const rb = filesFromZip("s.zip", big, ["datastore.ts"]);
  assert.ok(!rb.ok && /s\.zip:datastore\.ts is 262145 bytes; the limit is 262144/.test(rb.error.message), JSON.stringify(rb));
  const broken = filesFromZip("s.zip", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), ["datastore.ts"]);
  assert.ok(!broken.ok && /s\.zip looks like a zip archive but cannot be unpacked/.test(broken.error.message));
  const bad = zipSync({ "datastore.ts": Uint8Array.from([0x61, 0xff]) });
  const rn = filesFromZip("s.zip", bad, ["datastore.ts"]);
  assert.ok(!rn.ok && /s\.zip:datastore\.ts is not UTF-8 text/.test(rn.error.message));
});

test("a zip entry that declares a small size cannot unpack to more (a zip bomb)", () => {
  const real = zipSync({ "datastore.ts": new Uint8Array(MAX_SOURCE_BYTES * 8).fill(0x61) });
  // the central directory's and local header's uncompressed size: patch both to 10 bytes
  const view = new DataView(real.buffer);
  for (let i = 0; i + 4 <= real.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, 10, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, 10, true);
  }
  const r = filesFromZip("bomb.zip", real, ["datastore.ts"]);
  if (r.ok) assert.ok(r.files["datastore.ts"].length <= 10, `unpacked ${r.files["datastore.ts"].length} bytes`);
});
