// tests/hardening/resources.test.ts: limits a teacher can set and the grader enforces: --jobs
// capped by cores and memory with a warning, --compile-deadline-ms on `prefault grade`, and the
// resident-memory cap of a submission (monitored: cli/rss-watch.ts).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LESSON, ROOT, lessonsDir, pool, solution, submission } from "./helpers.js";
import { RssWatch } from "../../cli/rss-watch.js";
import { datastoreSlowCompile } from "../unit/fixtures.js";

const MB = 2 ** 20;
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

test("RssWatch: alone, a submission over the cap is stopped; with others, all are stopped to be graded again alone", () => {
  let rss = 1000 * MB;
  const w = new RssWatch(100, () => rss, 1_000_000);
  const seen: string[] = [];
  const a = w.add(alone => seen.push(`a ${alone}`));
  rss += 90 * MB; w.tick();
  assert.equal(seen.join(), "", "under the cap");
  const b = w.add(alone => seen.push(`b ${alone}`));
  rss += 90 * MB; w.tick();
  assert.equal(seen.join(), "", "180 MB for two submissions: under twice the cap");
  rss += 30 * MB; w.tick();
  assert.equal(seen.join(), "a false,b false", "over twice the cap: neither can be blamed");
  a(); b();
  const c = w.add(alone => seen.push(`c ${alone}`));
  rss += 101 * MB; w.tick();
  assert.equal(seen.slice(2).join(), "c true", "alone: its own growth");
  c();
});

test("the memory cap holds: a compile over it is stopped with a clear error, its neighbour is graded as if alone", { timeout: 600_000 }, async () => {
  const heavy = datastoreSlowCompile(14);   // asc holds ~400 MB more while it compiles this
  const one = pool({ rssMb: 150, compileDeadlineMs: 600_000, submissionDeadlineMs: 600_000 });
  const two = pool({ rssMb: 150, jobs: 2, compileDeadlineMs: 600_000, submissionDeadlineMs: 600_000 });
  try {
    const alone = await one.grade({ files: { "datastore.ts": heavy } });
    assert.equal(alone.status, "error");
    assert.match(alone.errors.map(e => e.message).join("\n"), /the AssemblyScript compiler used more than 150 MB of memory \(resident\) on datastore\.ts and was stopped/);
    const good = await one.grade({ files: { "datastore.ts": solution() } });
    assert.equal(good.status, "pass");
    // graded together: the total is over the cap for two, neither can be blamed; each is graded
    // again alone, and gets the report it gets alone
    const [h, s] = await Promise.all([two.grade({ files: { "datastore.ts": heavy } }), two.grade({ files: { "datastore.ts": solution() } })]);
    assert.deepEqual(h, alone);
    assert.deepEqual(s, good);
  } finally { await Promise.all([one.close(), two.close()]); }
});
