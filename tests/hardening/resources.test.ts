// tests/hardening/resources.test.ts: limits a teacher can set and the grader enforces: --jobs
// capped by cores and memory with a warning, --compile-deadline-ms on `prefault grade`.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LESSON, ROOT, lessonsDir, submission } from "./helpers.js";
import { capJobs, maxJobs, WORKER_BUDGET_MB } from "../../cli/jobs.js";
import type { Report } from "../../engine/types.js";

const BIN = join(ROOT, "bin", "prefault.js");
const dir = mkdtempSync(join(tmpdir(), "prefault-resources-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("maxJobs: the smaller of the cores and half the memory at the worker budget", () => {
  const GB = 2 ** 30;
  assert.equal(maxJobs(2, 64 * GB), 2);
  assert.equal(maxJobs(64, 4 * GB), Math.floor((2 * GB) / (WORKER_BUDGET_MB * 2 ** 20)));
  assert.equal(maxJobs(8, 256 * 2 ** 20), 1, "at least one");
  assert.deepEqual(capJobs(2, 4), { jobs: 2 });
  const c = capJobs(40, 3);
  assert.equal(c.jobs, 3);
  assert.match(c.warning ?? "", /--jobs 40 is more than this machine can run at once .*: using 3/);
});

test("grade-all --jobs 1000 warns and runs with the cap", { timeout: 120_000 }, () => {
  const cls = join(dir, "class");
  mkdirSync(join(cls, "a"), { recursive: true });
  writeFileSync(join(cls, "a", "datastore.ts"), "not code");
  const r = spawnSync(process.execPath, [BIN, "grade-all", "--lesson", LESSON, "--lessons-dir", lessonsDir(), cls, "--jobs", "1000"],
    { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`grade-all: warning: --jobs 1000 is more than this machine can run at once .*: using ${maxJobs()}`));
  assert.equal(r.stdout.trimEnd().split("\n").length, 2);
});

test("grade --compile-deadline-ms stops a compile that runs for minutes", { timeout: 120_000 }, () => {
  let pre = "class P<A, B> { a: i32 = 0; }\nfunction f0<T>(): i32 { return sizeof<T>() as i32; }\n";
  for (let i = 1; i <= 22; i++) pre += `function f${i}<T>(): i32 { return f${i - 1}<P<T, i32>>() + f${i - 1}<P<T, i64>>(); }\n`;
  const f = join(dir, "slow.ts");
  writeFileSync(f, submission("  return <u32>f22<i32>() & 0;", pre));
  const r = spawnSync(process.execPath, [BIN, "grade", "--lesson", LESSON, "--lessons-dir", lessonsDir(), f, "--format", "json",
    "--compile-deadline-ms", "3000"], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 1, r.stderr);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.status, "error");
  assert.match(rep.errors.map(e => e.message).join("\n"), /compiling took longer than 3000 ms/);
  const bad = spawnSync(process.execPath, [BIN, "grade", "--lesson", LESSON, f, "--compile-deadline-ms", "5"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--compile-deadline-ms must be an integer of at least 100/);
});
