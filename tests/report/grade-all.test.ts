// tests/report/grade-all.test.ts: `prefault grade-all` and `prefault merge-reports` as a teacher
// runs them (the real bin, real grading): per-student rows, shards that merge into exactly the
// whole class's report, bad folders graded as errors, no progress bar off a terminal.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rowsFromCsv } from "../../engine/report/csv.js";
import type { BatchReport } from "../../engine/report/batch.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const BIN = join(ROOT, "bin", "prefault.js");
const LESSON = "01-first-fault";
let dir = "";

// grading runs against a private copy of the lesson, so edits to lessons/ while the tests run
// cannot make two gradings differ
function prefault(args: string[]) {
  const [cmd, ...rest] = args;
  const extra = cmd === "grade-all" ? ["--lessons-dir", join(dir, "lessons")] : [];
  return spawnSync(process.execPath, [BIN, cmd, ...extra, ...rest], { encoding: "utf8", timeout: 170_000 });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "prefault-grade-all-"));
  const lesson = join(dir, "lessons", LESSON);
  cpSync(join(ROOT, "lessons", LESSON), lesson, { recursive: true });
  const put = (student: string, file: string, text: string) => {
    mkdirSync(join(dir, "class", student), { recursive: true });
    writeFileSync(join(dir, "class", student, file), text);
  };
  put("alice", "datastore.ts", readFileSync(join(lesson, "solution", "datastore.ts"), "utf8"));
  put("bob", "datastore.ts", readFileSync(join(lesson, "starter", "datastore.ts"), "utf8"));
  put("carol", "datastore.ts", "export function vvar_fault(: i32 {\n");
  put("dave", "notes.txt", "forgot to hand in the file\n");
  put("=cmd", "datastore.ts", readFileSync(join(lesson, "solution", "datastore.ts"), "utf8"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("grade-all: one row per student folder, errors for the broken and the missing", { timeout: 180_000 }, () => {
  const r = prefault(["grade-all", "--lesson", LESSON, join(dir, "class"), "--jobs", "2", "--out", join(dir, "all.csv")]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\r\[/);   // no progress bar when stderr is not a terminal
  assert.match(r.stderr, /graded 5 submission\(s\)/);
  const csv = readFileSync(join(dir, "all.csv"), "utf8");
  assert.match(csv, /^student,score,max_score,status,failed_checks,errors\n/m);
  assert.match(csv, /^'=cmd,/m);         // formula-looking names are neutralised
  const rows = rowsFromCsv(csv);
  assert.ok(rows.ok);
  const by = Object.fromEntries(rows.rows.map(x => [x.student, x]));
  assert.deepEqual(Object.keys(by), ["=cmd", "alice", "bob", "carol", "dave"]);
  assert.equal(by.carol.status, "error");
  assert.ok(by.carol.errors.some(e => /datastore\.ts:1/.test(e)), by.carol.errors.join("|"));
  assert.equal(by.dave.status, "error");
  assert.ok(by.dave.errors.some(e => /datastore\.ts/.test(e)), by.dave.errors.join("|"));
  assert.equal(by.alice.max_score, by.bob.max_score);
  assert.ok(by.bob.failed.length > 0);
  assert.deepEqual([by.alice.score, by.alice.status], [by["=cmd"].score, by["=cmd"].status]);
});

test("shards merged in any order equal the whole class, byte for byte", { timeout: 180_000 }, () => {
  const whole = prefault(["grade-all", "--lesson", LESSON, join(dir, "class"), "--out", join(dir, "whole.json")]);
  assert.equal(whole.status, 0, whole.stderr);
  for (const k of [1, 2, 3]) {
    const s = prefault(["grade-all", "--lesson", LESSON, join(dir, "class"), "--shard", `${k}/3`, "--jobs", "1", "--out", join(dir, `s${k}.json`)]);
    assert.equal(s.status, 0, s.stderr);
    const b = JSON.parse(readFileSync(join(dir, `s${k}.json`), "utf8")) as BatchReport;
    assert.equal(b.shard, `${k}/3`);
  }
  const m = prefault(["merge-reports", join(dir, "s3.json"), join(dir, "s1.json"), join(dir, "s2.json"), "--out", join(dir, "merged.json")]);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(readFileSync(join(dir, "merged.json"), "utf8"), readFileSync(join(dir, "whole.json"), "utf8"));
  const gap = prefault(["merge-reports", join(dir, "s1.json"), join(dir, "s3.json"), "--out", join(dir, "gap.csv")]);
  assert.equal(gap.status, 1);
  assert.match(gap.stderr, /shard 2\/3 is missing/);
  const dup = prefault(["merge-reports", join(dir, "s1.json"), join(dir, "s1.json")]);
  assert.equal(dup.status, 2);
});

test("bad usage exits 2", () => {
  assert.equal(prefault(["grade-all", join(dir, "class")]).status, 2);
  assert.equal(prefault(["grade-all", "--lesson", LESSON, join(dir, "class"), "--shard", "4/3"]).status, 2);
  assert.equal(prefault(["grade-all", "--lesson", LESSON, join(dir, "nope")]).status, 2);
  const unknown = prefault(["grade-all", "--lesson", "99-none", join(dir, "class")]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown lesson/);
});
