// tests/report/batch.test.ts: class rows, CSV, shards and merging (pure parts of grade-all and
// merge-reports).

import { test } from "node:test";
import assert from "node:assert/strict";
import { batchRow, emitBatchJson, makeBatch, mergeBatches, parseShard, shardOf } from "../../engine/report/batch.js";
import { emitCsv, parseCsv, rowsFromCsv } from "../../engine/report/csv.js";
import { compileErrorReport, mixedReport, perfectReport } from "./fixtures.js";

test("batchRow: score, status, failed check ids and errors", () => {
  const r = batchRow("bob", mixedReport());
  assert.deepEqual(r, { student: "bob", score: 5.5, max_score: 12, status: "fail",
    failed: ["remote-eio", "oops", "hidden-timens"], errors: [] });
  assert.deepEqual(batchRow("eve", compileErrorReport()).errors, ["datastore.ts:4: TS1109: Expression expected.", "1 parse error(s)"]);
});

test("shardOf: N slices cover every name once, stable under input order", () => {
  const names = Array.from({ length: 23 }, (_, i) => `s${String(i).padStart(2, "0")}`);
  for (const n of [1, 2, 3, 5, 23, 30]) {
    const all: string[] = [];
    const sizes: number[] = [];
    for (let k = 1; k <= n; k++) {
      const a = shardOf(names, k, n), b = shardOf([...names].reverse(), k, n);
      assert.deepEqual(a, b);
      all.push(...a); sizes.push(a.length);
    }
    assert.deepEqual(all, names);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  }
  assert.deepEqual(parseShard("2/4"), { k: 2, n: 4 });
  for (const bad of ["0/4", "5/4", "x", "1/0", "1/2/3"]) assert.equal(parseShard(bad), null);
});

test("csv: RFC 4180 quoting, formula neutralising, and a round trip", () => {
  const rows = [
    batchRow("=HYPERLINK(\"x\")", mixedReport()),
    batchRow("carol, jr", perfectReport()),
    batchRow("dave", compileErrorReport()),
  ];
  rows[2].errors.push("multi\nline \"quoted\"");
  const csv = emitCsv(rows);
  const lines = csv.split("\n");
  assert.equal(lines[0], "student,score,max_score,status,failed_checks,errors");
  assert.ok(lines[1].startsWith(`"'=HYPERLINK(""x"")",5.5,12,fail,remote-eio; oops; hidden-timens,`));
  assert.ok(lines[2].startsWith(`"carol, jr",4,4,pass,,`));
  const recs = parseCsv(csv);
  assert.equal(recs.length, 4);
  assert.ok(recs.every(r => r.length === 6));
  const back = rowsFromCsv(csv);
  assert.ok(back.ok);
  assert.equal(back.rows[0].student, "=HYPERLINK(\"x\")");
  assert.deepEqual(back.rows[0].failed, rows[0].failed);
  assert.equal(back.rows[2].errors.at(-1), "multi line \"quoted\"");
  assert.equal(rowsFromCsv("a,b\n1,2\n").ok, false);
});

test("merge: shards in any order give the same bytes; overlaps refused; gaps warned", () => {
  const graded: [string, ReturnType<typeof mixedReport>][] = ["a", "b", "c", "d", "e"].map((s, i) =>
    [s, i % 2 ? mixedReport() : perfectReport()]);
  const whole = makeBatch("02-mlockall", null, graded);
  const names = graded.map(g => g[0]);
  const shards = [1, 2, 3].map(k => {
    const mine = new Set(shardOf(names, k, 3));
    return { name: `shard${k}.json`, batch: makeBatch("02-mlockall", `${k}/3`, graded.filter(g => mine.has(g[0]))) };
  });
  const m1 = mergeBatches(shards), m2 = mergeBatches([...shards].reverse());
  assert.ok(m1.ok && m2.ok);
  assert.deepEqual(m1.warnings, []);
  assert.equal(emitBatchJson(m1.batch), emitBatchJson(whole));
  assert.equal(emitBatchJson(m2.batch), emitBatchJson(whole));
  const gap = mergeBatches([shards[0], shards[2]]);
  assert.ok(gap.ok);
  assert.deepEqual(gap.warnings, ["shard 2/3 is missing"]);
  const dup = mergeBatches([shards[0], shards[0]]);
  assert.equal(dup.ok, false);
  const other = mergeBatches([shards[0], { name: "x.json", batch: { ...shards[1].batch, lesson: "03-other" } }]);
  assert.equal(other.ok, false);
});
