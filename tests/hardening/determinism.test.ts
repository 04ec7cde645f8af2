// tests/hardening/determinism.test.ts: the same submission always gets byte-identical reports:
// graded twice by one grader, by a fresh grader, alone with `prefault grade`, or in a class with
// `prefault grade-all --jobs 2`.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emitReport, FORMATS } from "../../engine/report/index.js";
import type { BatchReport } from "../../engine/report/batch.js";
import { LESSON, ROOT, lessonFile, lessonsDir, pool, solution } from "./helpers.js";

const p = pool();
after(() => p.close());

const SUBMISSIONS: Record<string, string> = {
  solution: solution(),
  starter: lessonFile("starter/datastore.ts"),
  mutant: lessonFile("mutants/insert-pfn.ts"),
  broken: "export function vvar_fault(: i32 {",
};

test("graded twice, or by a fresh grader: byte-identical in every format", { timeout: 120_000 }, async () => {
  const fresh = pool();
  try {
    for (const [name, src] of Object.entries(SUBMISSIONS)) {
      const a = await p.grade({ files: { "datastore.ts": src } });
      const b = await p.grade({ files: { "datastore.ts": src } });
      const c = await fresh.grade({ files: { "datastore.ts": src } });
      for (const f of FORMATS) {
        assert.equal(emitReport(b, f), emitReport(a, f), `${name} ${f}: second grading differs`);
        assert.equal(emitReport(c, f), emitReport(a, f), `${name} ${f}: fresh grader differs`);
      }
    }
  } finally { await fresh.close(); }
});

test("alone (prefault grade) or in a class (prefault grade-all --jobs 2): the same report", { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-class-"));
  try {
    for (const [name, src] of Object.entries(SUBMISSIONS)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "datastore.ts"), src);
    }
    const bin = join(ROOT, "bin", "prefault.js");
    const all = spawnSync(process.execPath, [bin, "grade-all", "--lesson", LESSON, "--lessons-dir", lessonsDir(), dir, "--jobs", "2", "--out", join(dir, "class.json")],
      { encoding: "utf8", timeout: 170_000 });
    assert.equal(all.status, 0, all.stderr);
    const batch = JSON.parse(readFileSync(join(dir, "class.json"), "utf8")) as BatchReport;
    assert.deepEqual(batch.rows.map(r => r.student), Object.keys(SUBMISSIONS).sort());
    for (const name of ["mutant", "broken"]) {   // a failing and a non-compiling one, alone
      const one = spawnSync(process.execPath, [bin, "grade", "--lesson", LESSON, "--lessons-dir", lessonsDir(), join(dir, name, "datastore.ts"), "--format", "json", "--reveal"],
        { encoding: "utf8", timeout: 60_000 });
      assert.ok(one.status === 0 || one.status === 1, one.stderr);
      assert.equal(one.stdout, emitReport(batch.reports[name], "json", { reveal: true }), `${name} differs alone and in a batch`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
