// tests/hardening/output.test.ts: what reaches a teacher's terminal, spreadsheet and disk.
// A learner's abort() message with ESC, BEL, CR, OSC 52 and U+202E is escaped in the text
// report, the CSV and `prefault run` (a CR cannot forge a "Score:" line); --out is checked
// before grading (a path under a file, /dev/full, /proc/version: exit 2, a clear message) and a
// report is written atomically.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LESSON, ROOT, lessonsDir, pool, submission } from "./helpers.js";
import { emitText } from "../../engine/report/text.js";
import { emitCsv } from "../../engine/report/csv.js";
import { makeBatch } from "../../engine/report/batch.js";
import { escapeControls, hasControls } from "../../engine/report/escape.js";
import { checkOutPath, writeOutFile } from "../../cli/out-file.js";

const BIN = join(ROOT, "bin", "prefault.js");
const dir = mkdtempSync(join(tmpdir(), "prefault-output-"));
const p = pool();
after(async () => { await p.close(); rmSync(dir, { recursive: true, force: true }); });

// ESC [2J clears the screen; OSC 52 sets the clipboard; the CR rewinds to forge a score line
const HOSTILE = "\\x1b[2J\\x1b]52;c;cm0gLXJmIH4=\\x07\\rScore: 10/10\\n7 passed, 0 failed\\u202Eliaf\\u009b31m";
const HANDLER = submission(`  abort("${HOSTILE}");\n  return 0;`);
/** Raw control characters a terminal acts on (tab and line feed are plain text). */
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

test("escapeControls: C0, DEL, C1 and bidi controls become visible escapes; idempotent", () => {
  const s = "a\x1bb\x07c\rd\u202Ee\u0085f\u2067g\x7fh\tn\n";
  assert.equal(escapeControls(s), "a\\x1bb\\x07c\\x0dd\\u{202e}e\\x85f\\u{2067}g\\x7fh\tn\n");
  assert.equal(escapeControls(s, true).endsWith("\\x0a"), true);
  assert.equal(escapeControls(escapeControls(s)), escapeControls(s));
  assert.equal(hasControls(escapeControls(s)), false);
});

test("an abort() message full of terminal controls cannot forge or drive the text report", { timeout: 120_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": HANDLER } });
  assert.ok(r.tests.some(t => t.message.includes("\x1b")), "the report holds the raw message (JSON keeps it exactly)");
  const text = emitText(r, { reveal: true });
  assert.doesNotMatch(text, RAW);
  const scoreLines = text.split("\n").filter(l => /^\s*Score:/.test(l) || /\rScore:/.test(l));
  assert.deepEqual(scoreLines, [`Score: 0/${r.max_score}`]);
  assert.match(text, /\\x0dScore: 10\/10/, "the forged line is shown, escaped, inside the message");
  const csv = emitCsv(makeBatch(LESSON, null, [["\x1b]0;pwned\x07", r]]).rows);
  assert.doesNotMatch(csv, RAW);
});

test("prefault run prints the escaped message, not the raw one", { timeout: 120_000 }, () => {
  const f = join(dir, "abort.ts");
  writeFileSync(f, HANDLER);
  const r = spawnSync(process.execPath, [BIN, "run", join(lessonsDir(), LESSON, "scenarios", "first-fault.json"), "--datastore", f],
    { encoding: "utf8", timeout: 120_000 });
  assert.ok(r.status === 1 || r.status === 0, r.stderr);
  assert.match(r.stdout + r.stderr, /\\x1b\[2J/);
  assert.doesNotMatch(r.stdout, RAW);
  assert.doesNotMatch(r.stderr, RAW);
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
}

test("an unwritable --out is refused before grading: exit 2 and a clear message, no stack", { timeout: 120_000 }, () => {
  const fileAsDir = join(dir, "plain-file");
  writeFileSync(fileAsDir, "x");
  const sub = join(dir, "sub.ts");
  writeFileSync(sub, "this is not even AssemblyScript");
  const cases: [string[], RegExp][] = [
    [["grade", "--lesson", LESSON, sub, "--out", join(fileAsDir, "r.json"), "--format", "json"], /--out: .*a part of the path is a file, not a folder/],
    [["grade", "--lesson", LESSON, sub, "--out", "/dev/full"], /--out: \/dev\/full is not a regular file/],
    [["grade", "--lesson", LESSON, sub, "--out", "/proc/version"], /--out: cannot write \/proc\/version: cannot create a file in \/proc/],
    [["grade-all", "--lesson", LESSON, dir, "--out", join(fileAsDir, "c.csv")], /--out: .*a part of the path is a file, not a folder/],
    [["grade-all", "--lesson", LESSON, dir, "--out", "/proc/class.json"], /--out: cannot write \/proc\/class\.json/],
    [["merge-reports", join(dir, "none.json"), "--out", join(fileAsDir, "m.csv")], /--out: .*a part of the path is a file, not a folder/],
  ];
  for (const [args, msg] of cases) {
    const r = cli(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(r.stdout, "", "nothing graded");
  }
  assert.equal(readFileSync("/proc/version", "utf8").length > 0, true);
});

test("a report is written through a temporary file and renamed; no temporary file stays", () => {
  const d = join(dir, "atomic");
  mkdirSync(d);
  const out = join(d, "r.csv");
  writeFileSync(out, "old\n");
  assert.equal(checkOutPath(out), undefined);
  assert.deepEqual(readdirSync(d), ["r.csv"], "the probe is removed");
  assert.equal(writeOutFile(out, "new\n"), undefined);
  assert.equal(readFileSync(out, "utf8"), "new\n");
  assert.deepEqual(readdirSync(d), ["r.csv"]);
  // a target that turned into a folder: an error, the folder untouched, no temporary left
  mkdirSync(join(d, "x.csv"));
  assert.match(writeOutFile(join(d, "x.csv"), "z") ?? "", /cannot write .*x\.csv/);
  assert.deepEqual(readdirSync(d).sort(), ["r.csv", "x.csv"]);
  assert.match(checkOutPath(join(d, "x.csv")) ?? "", /is a folder/);
});
