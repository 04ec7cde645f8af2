// tests/hardening/determinism.test.ts: the same submission always gets byte-identical reports:
// graded twice by one grader, by a fresh grader, alone with `prefault grade`, or in a class with
// `prefault grade-all --jobs 1` or `--jobs 2`, also when it is slow (each deadline counts only the
// CPU time of the thread doing the work, and the fuel counts the learner's code in Wasm).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emitReport, FORMATS } from "../../engine/report/index.js";
import type { BatchReport } from "../../engine/report/batch.js";
import { LESSON, ROOT, lessonFile, lessonsDir, pool, solution, submission } from "./helpers.js";
import type { Report } from "../../engine/types.js";

const p = pool();
// a second grader, closed in after() so that a test that times out cannot leave its workers
// keeping this file's process (and the whole test run) alive
const fresh = pool();
after(() => Promise.all([p.close(), fresh.close()]));

const SUBMISSIONS: Record<string, string> = {
  solution: solution(),
  starter: lessonFile("starter/datastore.ts"),
  mutant: lessonFile("mutants/insert-pfn.ts"),
  broken: "export function vvar_fault(: i32 {",
};

test("graded twice, or by a fresh grader: byte-identical in every format", { timeout: 300_000 }, async () => {
  for (const [name, src] of Object.entries(SUBMISSIONS)) {
    const a = await p.grade({ files: { "datastore.ts": src } });
    const b = await p.grade({ files: { "datastore.ts": src } });
    const c = await fresh.grade({ files: { "datastore.ts": src } });
    for (const f of FORMATS) {
      assert.equal(emitReport(b, f), emitReport(a, f), `${name} ${f}: second grading differs`);
      assert.equal(emitReport(c, f), emitReport(a, f), `${name} ${f}: fresh grader differs`);
    }
  }
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

// finite but slow: 300,000 printk()s in every fault, well within the fuel, a good part of the
// per-scenario deadline given below; four identical copies of it
const SLOW = submission(`  for (let i: u64 = 0; i < 300_000; i++) pr_info_value(i);
  if (vmf.pgoff != VDSO_TIME_PAGE_OFFSET) return VM_FAULT_SIGBUS;
  const p = virt_to_page(vdso_k_time_data);
  get_page(p);
  vmf.page = p;
  return 0;`);

test("identical slow submissions: the same bytes alone, and in grade-all batches with --jobs 1 and --jobs 2", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-slow-"));
  try {
    const names = ["s1", "s2", "s3", "s4"];
    for (const n of names) { mkdirSync(join(dir, "class", n), { recursive: true }); writeFileSync(join(dir, "class", n, "datastore.ts"), SLOW); }
    const bin = join(ROOT, "bin", "prefault.js");
    const common = ["--lesson", LESSON, "--lessons-dir", lessonsDir(), "--deadline-ms", "3000"];
    const batches: BatchReport[] = [];
    for (const jobs of ["1", "2"]) {
      const out = join(dir, `class-${jobs}.json`);
      const r = spawnSync(process.execPath, [bin, "grade-all", ...common, join(dir, "class"), "--jobs", jobs, "--out", out],
        { encoding: "utf8", timeout: 290_000 });
      assert.equal(r.status, 0, r.stderr);
      batches.push(JSON.parse(readFileSync(out, "utf8")) as BatchReport);
    }
    const alone = spawnSync(process.execPath, [bin, "grade", ...common, join(dir, "class", "s3", "datastore.ts"), "--format", "json", "--reveal"],
      { encoding: "utf8", timeout: 120_000 });
    assert.ok(alone.status === 0 || alone.status === 1, alone.stderr);
    const want = alone.stdout;
    const report = JSON.parse(want) as Report;
    // a real grade, not an error or a timeout: the handler is slow but finite
    assert.ok(report.tests.every(t => t.failure?.kind !== "timeout" && t.failure?.kind !== "error"), want);
    assert.ok(report.score > 0, want);
    for (const [i, b] of batches.entries()) {
      assert.deepEqual(b.rows.map(r => r.student), names);
      for (const n of names) assert.equal(emitReport(b.reports[n], "json", { reveal: true }), want, `--jobs ${i + 1}, ${n}: differs from alone`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
