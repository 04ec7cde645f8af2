// tests/hardening/class-folder.test.ts: every entry of a class folder gets exactly one row, by
// `prefault grade-all` for real: a symbolic-linked student, names that are not UTF-8 (two that
// a lossy decode would merge), an ESC in a name, a formula-like name, a stray file, a FIFO, a
// zip per student. Then shards merged by `prefault merge-reports` are byte for byte one run.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { LESSON, ROOT, lessonsDir, solution } from "./helpers.js";
import type { BatchReport } from "../../engine/report/batch.js";
import { makeBatch } from "../../engine/report/batch.js";
import { emitCsv, rowsFromCsv } from "../../engine/report/csv.js";
import { studentName, studentNameBytes } from "../../engine/student-name.js";

const BIN = join(ROOT, "bin", "prefault.js");
const work = mkdtempSync(join(tmpdir(), "prefault-class-"));
const cls = join(work, "class");
after(() => rmSync(work, { recursive: true, force: true }));

const b = (s: string) => Buffer.from(s, "latin1");
const sub = (dir: Buffer | string) => {
  const d = typeof dir === "string" ? join(cls, dir) : Buffer.concat([b(cls + "/"), dir]);
  mkdirSync(d);
  writeFileSync(Buffer.concat([Buffer.from(d), b("/datastore.ts")]), solution());
};

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000 });
}

test("studentName: reversible, injective on bytes, printable", () => {
  const names = [b("alice"), b("a\\xff"), Buffer.from([0x61, 0xff]), Buffer.from([0x61, 0xfe]), b("a\\\\"),
    Buffer.from("Zoë 王芳"), Buffer.from("x\u202Ey"), b("\x1b[2J"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf])];
  const shown = names.map(n => studentName(n));
  assert.equal(new Set(shown).size, names.length, shown.join(" | "));
  for (let i = 0; i < names.length; i++) assert.deepEqual(Buffer.from(studentNameBytes(shown[i])!), names[i], shown[i]);
  assert.deepEqual(shown.slice(0, 4), ["alice", "a\\\\xff", "a\\xff", "a\\xfe"]);
  assert.equal(shown[5], "Zoë 王芳");
  assert.equal(shown[6], "x\\u{202e}y");
  assert.equal(shown[7], "\\x1b[2J");
  for (const s of shown) assert.doesNotMatch(s, /[\u0000-\u001F\u007F-\u009F\u202A-\u202E]/);
});

test("grade-all: one row per entry, names kept apart, links and strays in error; shards merge byte for byte", { timeout: 600_000 }, () => {
  mkdirSync(cls);
  sub("alice");
  sub(Buffer.from([0x6d, 0xff]));          // "m\xff"
  sub(Buffer.from([0x6d, 0xfe]));          // "m\xfe": a lossy decode names both "m\uFFFD"
  sub("'=cmd");
  sub(b("esc\x1b]0;x\x07"));
  symlinkSync(join(cls, "alice"), join(cls, "linked"));
  writeFileSync(join(cls, "notes.txt"), "not a student");
  assert.equal(spawnSync("mkfifo", [join(cls, "pipe")]).status, 0);
  writeFileSync(join(cls, "zed.zip"), zipSync({ "zed/datastore.ts": strToU8(solution()) }));
  mkdirSync(join(cls, ".git"));
  const entries = 9;

  const json = join(work, "all.json"), csv = join(work, "all.csv");
  const j = cli("grade-all", "--lesson", LESSON, "--lessons-dir", lessonsDir(), cls, "--jobs", "2", "--out", json);
  assert.equal(j.status, 0, j.stderr);
  const batch = JSON.parse(readFileSync(json, "utf8")) as BatchReport;
  assert.equal(batch.rows.length, entries, batch.rows.map(r => r.student).join(", "));
  assert.equal(Object.keys(batch.reports).length, entries);
  const row = (s: string) => batch.rows.find(r => r.student === s)!;
  for (const s of ["alice", "m\\xff", "m\\xfe", "'=cmd", "esc\\x1b]0;x\\x07", "zed.zip"]) {
    assert.equal(row(s)?.status, "pass", `${s}: ${JSON.stringify(row(s))}`);
  }
  assert.match(row("linked").errors.join(), /linked is a symbolic link/);
  assert.match(row("notes.txt").errors.join(), /notes\.txt is a file, not a student folder/);
  assert.match(row("pipe").errors.join(), /pipe is a named pipe \(FIFO\)/);

  const c = cli("grade-all", "--lesson", LESSON, "--lessons-dir", lessonsDir(), cls, "--jobs", "2", "--out", csv);
  assert.equal(c.status, 0, c.stderr);
  const whole = readFileSync(csv, "utf8");
  assert.equal(whole.trimEnd().split("\n").length, entries + 1);
  assert.match(whole, /^''=cmd,/m, "the formula guard quotes a leading quote too");
  // the CSV rows are the JSON rows
  assert.equal(emitCsv(batch.rows), whole);

  const shards: string[] = [];
  for (const k of [1, 2]) {
    const out = join(work, `shard-${k}.csv`);
    const r = cli("grade-all", "--lesson", LESSON, "--lessons-dir", lessonsDir(), cls, "--shard", `${k}/2`, "--out", out);
    assert.equal(r.status, 0, r.stderr);
    shards.push(out);
  }
  const merged = join(work, "merged.csv");
  const m = cli("merge-reports", shards[1], shards[0], "--out", merged);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(readFileSync(merged, "utf8"), whole);
});

test("CSV rows round-trip exactly through rowsFromCsv (merge-reports' reader)", () => {
  const names = ["'=x", "=y", "''z", "+1", "-2", "@3", "'", "a,b", 'q"uote', "plain"];
  const rows = makeBatch(LESSON, null, names.map(n => [n, { lesson: LESSON, score: 0, max_score: 1, status: "error" as const, tests: [],
    errors: [{ message: `'=${n}` }, { message: "second; error" }] }])).rows;
  const text = emitCsv(rows);
  const back = rowsFromCsv(text);
  assert.ok(back.ok);
  assert.deepEqual(back.rows.map(r => r.student), rows.map(r => r.student));
  assert.equal(emitCsv(back.rows), text);
});
