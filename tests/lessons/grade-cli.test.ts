// tests/lessons/grade-cli.test.ts: `prefault grade` as a learner and a CI job use it: the real
// bin as a child process, the real compiler and kernel. Text and JSON output, exit codes.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LESSONS_DIR, PACKAGE_ROOT } from "../../cli/grade-submission.js";
import type { Report } from "../../engine/types.js";

const BIN = join(PACKAGE_ROOT, "bin", "prefault.js");
const L1 = join(DEFAULT_LESSONS_DIR, "01-first-fault");

function grade(...args: string[]) {
  return spawnSync(process.execPath, [BIN, "grade", ...args], { encoding: "utf8", timeout: 120_000 });
}

test("the lesson 1 starter: FAIL lines with explanations, Score, the summary line, exit 1", () => {
  const r = grade("--lesson", "01-first-fault", join(L1, "starter", "datastore.ts"));
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines[0], "lesson 01-first-fault");
  assert.match(r.stdout, /^the first clock_gettime\(\) faults once and gets the time: FAIL \(0\/3\)$/m);
  assert.match(r.stdout, /^ {4}In scenario first-fault, app was killed by SIGBUS at step 1 \(a fault on \[vvar\] pgoff 0 in clock_gettime\)\. The first clock_gettime\(\) touches \[vvar\] pgoff 0/m,
    "what happened, then the explanation, indented under the failure");
  // the same fault in another scenario: that check says so and points to the one that explains it
  assert.match(r.stdout, /^each process faults once on its own: FAIL \(0\/1\)\n {4}Because a was killed by SIGBUS at step 2 .* in scenario two-processes: the same cause as "the first clock_gettime\(\) faults once and gets the time"; fix that first\.$/m);
  assert.doesNotMatch(r.stdout, /your handler must work for any task/, "no explanation that points elsewhere");
  assert.match(r.stdout, /^the random and arch pages still map: OK \(1\/1\)$/m);
  assert.match(lines[lines.length - 2], /^Score: \d+\/10$/);
  const [, passed, failed] = /^(\d+) passed, (\d+) failed$/.exec(lines[lines.length - 1]) ?? [];
  assert.ok(Number(passed) >= 1 && Number(failed) >= 2, lines[lines.length - 1]);
});

test("the lesson 1 solution: full score and exit 0; --format json prints the Report", () => {
  const j = grade("--lesson", "01-first-fault", join(L1, "solution", "datastore.ts"), "--format", "json");
  assert.equal(j.status, 0, j.stdout + j.stderr);
  const rep = JSON.parse(j.stdout) as Report;
  assert.equal(rep.lesson, "01-first-fault");
  assert.equal(rep.status, "pass");
  assert.deepEqual([rep.score, rep.max_score], [10, 10]);
  assert.equal(rep.tests.length, 7);
  for (const x of rep.tests) {
    assert.deepEqual(Object.keys(x).filter(k => k !== "id" && k !== "scenario").sort(),
      ["max_score", "message", "name", "score", "status", "visibility"]);
    assert.deepEqual([x.status, x.score, x.message], ["pass", x.max_score, ""]);
  }
  assert.deepEqual(rep.errors, []);
});

test("a folder submission that does not compile: an error entry with file:line:col, exit 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-grade-"));
  try {
    const lines = readFileSync(join(L1, "solution", "datastore.ts"), "utf8").split("\n");
    const at = lines.findIndex(l => l.includes("vmf.page = p;"));
    lines[at] = "  vmf.page = ;";
    writeFileSync(join(dir, "datastore.ts"), lines.join("\n"));
    const t = grade("--lesson", "01-first-fault", dir);
    assert.equal(t.status, 1, t.stderr);
    assert.match(t.stdout, new RegExp(`^error: datastore\\.ts:${at + 1}:\\d+: `, "m"));
    assert.match(t.stdout, /^Score: 0\/10$/m);
    assert.match(t.stdout, /^0 passed, 7 failed$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad usage exits 2", () => {
  const sol = join(L1, "solution", "datastore.ts");
  assert.equal(grade(sol).status, 2, "no --lesson");
  assert.equal(grade("--lesson", "99-nothing", sol).status, 2, "unknown lesson");
  assert.equal(grade("--lesson", "01-first-fault").status, 2, "no files");
  assert.equal(grade("--lesson", "01-first-fault", sol, "--format", "pdf").status, 2, "unknown format");
  assert.equal(grade("--lesson", "01-first-fault", "/nonexistent/datastore.ts").status, 2, "missing file");
});
