// tests/lessons/lesson-format.test.ts: every lesson folder is valid data, and a broken
// lesson.json or scenario is rejected with the path of the bad field. No kernel needed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLesson, runPlan, type LessonSource } from "../../engine/lesson.js";
import { DEFAULT_LESSONS_DIR, PACKAGE_ROOT, listLessonIds, readLessonSource } from "../../cli/grade-submission.js";
import { validateScenario } from "../../engine/validate.js";
import asc from "assemblyscript/asc";
import { compileDatastore, formatDiagnostic, type AscModule } from "../../engine/compile.js";

const BIN = join(PACKAGE_ROOT, "bin", "prefault.js");
const IDS = listLessonIds();

function source(id: string): LessonSource {
  const r = readLessonSource(join(DEFAULT_LESSONS_DIR, id));
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return structuredClone(r.source);
}

test("the course has six lessons in order, each a valid lesson", () => {
  assert.deepEqual(IDS, ["01-first-fault", "02-time-namespaces", "03-map-by-pgoff", "04-no-holes",
    "05-remote-access", "06-mlockall"]);
  for (const id of IDS) {
    const l = loadLesson(source(id), validateScenario);
    assert.ok(l.ok, `${id}: ${!l.ok && l.error.message}`);
    assert.ok(l.lesson.readme.includes("## The task"), `${id}: README has no task section`);
    assert.ok(l.lesson.readme.includes("## How to check"), `${id}: README does not say how to check`);
    assert.equal((l.lesson.hints.match(/^## Level [123]/gm) ?? []).length, 3, `${id}: hints.md needs three levels`);
    assert.ok(l.lesson.mutants.length >= 3, `${id}: fewer than three mutants`);
    assert.ok(l.lesson.checks.every(c => c.explain.length >= 60), `${id}: an explanation too short to teach`);
  }
});

test("lesson texts a learner reads in the browser and the terminal write microseconds as µs, as the UI does", () => {
  // check names and explanations, scenario descriptions, hints (the README quotes the series'
  // cover letter, "20us", as it was written)
  for (const id of IDS) {
    const dir = join(DEFAULT_LESSONS_DIR, id);
    const texts: [string, string][] = [["lesson.json", readFileSync(join(dir, "lesson.json"), "utf8")], ["hints.md", readFileSync(join(dir, "hints.md"), "utf8")]];
    for (const name of readdirSync(join(dir, "scenarios"))) texts.push([`scenarios/${name}`, readFileSync(join(dir, "scenarios", name), "utf8")]);
    for (const [file, text] of texts) {
      const bad = text.match(/.{0,30}\d ?us\b.{0,10}/g) ?? [];
      assert.deepEqual(bad, [], `${id}/${file} writes "us" for µs`);
    }
  }
});

test("each starter is the previous lesson's solution, apart from its header comment", () => {
  const code = (t: string) => t.split("\n").filter(l => !l.startsWith("// Lesson")).join("\n").trimEnd();
  for (let i = 1; i < IDS.length; i++) {
    const prev = source(IDS[i - 1]).solution["datastore.ts"];
    const starter = source(IDS[i]).starter["datastore.ts"];
    assert.equal(code(starter), code(prev), `${IDS[i]} starter differs from ${IDS[i - 1]} solution`);
  }
});

test("every starter, solution and mutant compiles without a message from asc (a learner sees each one)", async () => {
  for (const id of IDS) {
    const src = source(id);
    const files: [string, string][] = [["starter", src.starter["datastore.ts"]], ["solution", src.solution["datastore.ts"]],
      ...Object.entries(src.mutants)];
    for (const [what, text] of files) {
      const r = await compileDatastore(asc as unknown as AscModule, { "datastore.ts": text });
      assert.ok(r.ok, `${id} ${what} does not compile`);
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), [], `${id} ${what}`);
    }
  }
});

test("an invalid lesson.json is rejected with the path of the bad field", () => {
  const cases: [string, (j: any) => void, string, RegExp][] = [
    ["negative points", j => { j.checks[1].points = -1; }, "lesson.json/checks/1/points", /must be > 0/],
    ["unknown field", j => { j.checks[0].weight = 2; }, "lesson.json/checks/0", /unknown field "weight"/],
    ["bad visibility", j => { j.checks[2].visibility = "secret"; }, "lesson.json/checks/2/visibility", /visible, hidden/],
    ["missing scenario", j => { j.checks[0].scenario = "nope"; }, "lesson.json/checks/0/scenario", /no scenarios\/nope.json/],
    ["duplicate id", j => { j.checks[1].id = j.checks[0].id; }, "lesson.json/checks/1/id", /duplicate/],
    ["bad op", j => { j.checks[2].assert[0] = { path: "status", op: "approx", value: 1 }; }, "lesson.json/checks/2/assert/0", /./],
    ["step out of range", j => { j.checks[0].assert = [{ steps_ok: [99] }]; }, "lesson.json/checks/0/assert/0/steps_ok", /step 99 does not exist/],
    ["mutant names no check", j => { j.mutants[0].fails = ["no-such-check"]; }, "lesson.json/mutants/0/fails/0", /no check/],
    ["wrong id", j => { j.id = "07-other"; }, "lesson.json/id", /folder name/],
    ["requires a later check", j => { j.checks[0].requires = [j.checks[1].id]; }, "lesson.json/checks/0/requires/0", /no earlier check/],
  ];
  for (const [what, mutate, path, message] of cases) {
    const src = source("01-first-fault");
    mutate(src.json);
    const r = loadLesson(src, validateScenario);
    assert.ok(!r.ok, `${what}: accepted`);
    assert.equal(r.error.kind, "invalid");
    assert.ok(r.error.path.startsWith(path), `${what}: path ${r.error.path}, expected ${path}`);
    assert.match(r.error.message, message, what);
    assert.ok(r.error.message.startsWith(r.error.path), `${what}: the message names the path`);
  }
});

test("a bad scenario is rejected with the scenario file and the step's path", () => {
  const src = source("01-first-fault");
  (src.scenarios["first-fault"] as { steps: { op: string }[] }).steps[1].op = "clock_settime";
  const r = loadLesson(src, validateScenario);
  assert.ok(!r.ok);
  assert.equal(r.error.path, "scenarios/first-fault.json/steps/1/op");
});

test("checks that share a scenario and variant share one run", () => {
  const l = loadLesson(source("04-no-holes"), validateScenario);
  assert.ok(l.ok);
  const plan = runPlan(l.lesson);
  assert.deepEqual(plan.map(p => p.variant ?? "own").sort(), ["own", "vm_io_dropped"]);
  const own = plan.find(p => p.variant === undefined)!.scenarios;
  assert.equal(new Set(own).size, own.length, "a scenario is planned twice");
  assert.equal(own.length, Object.keys(l.lesson.scenarios).length - 1);
  assert.deepEqual(plan.find(p => p.variant === "vm_io_dropped")!.scenarios, ["populate-no-io"]);
});

test("prefault lesson check --schema-only names the bad field and exits 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-lesson-"));
  try {
    const copy = join(dir, "01-first-fault");
    cpSync(join(DEFAULT_LESSONS_DIR, "01-first-fault"), copy, { recursive: true });
    const good = spawnSync(process.execPath, [BIN, "lesson", "check", "--schema-only", copy], { encoding: "utf8" });
    assert.equal(good.status, 0, good.stderr + good.stdout);
    assert.match(good.stdout, /^1 passed, 0 failed$/m);
    const j = JSON.parse(readFileSync(join(copy, "lesson.json"), "utf8"));
    j.checks[3].points = "two";
    writeFileSync(join(copy, "lesson.json"), JSON.stringify(j));
    const bad = spawnSync(process.execPath, [BIN, "lesson", "check", "--schema-only", copy], { encoding: "utf8" });
    assert.equal(bad.status, 1, bad.stderr + bad.stdout);
    assert.match(bad.stdout, /FAIL lesson\.json\/checks\/3\/points: must be number/);
    assert.match(bad.stdout, /^0 passed, 1 failed$/m);
    const usage = spawnSync(process.execPath, [BIN, "lesson", "frobnicate"], { encoding: "utf8" });
    assert.equal(usage.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("prefault lessons lists the course in order", () => {
  const r = spawnSync(process.execPath, [BIN, "lessons"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.deepEqual(lines.map(l => l.split(/\s+/)[0]), IDS);
  assert.match(lines[0], /^01-first-fault\s+The first fault$/);
  const js = spawnSync(process.execPath, [BIN, "lessons", "--json"], { encoding: "utf8" });
  const rows = JSON.parse(js.stdout) as { id: string; title: string; points: number }[];
  assert.deepEqual(rows.map(x => x.id), IDS);
  assert.ok(rows.every(x => x.points > 0));
});

test("prefault lesson start, show and hint serve a learner in a terminal", () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-start-"));
  try {
    const work = join(dir, "work");
    const start = spawnSync(process.execPath, [BIN, "lesson", "start", "02-time-namespaces", work], { encoding: "utf8" });
    assert.equal(start.status, 0, start.stderr);
    assert.equal(readFileSync(join(work, "datastore.ts"), "utf8"),
      readFileSync(join(DEFAULT_LESSONS_DIR, "02-time-namespaces", "starter", "datastore.ts"), "utf8"));
    assert.match(start.stdout, /^Check your work: +npx prefault grade --lesson 02-time-namespaces /m, "the commands as a learner types them");
    assert.equal(readFileSync(join(work, "kernel.ts"), "utf8"), readFileSync(join(PACKAGE_ROOT, "learner", "kernel.ts"), "utf8"),
      "the kernel header is next to the starter, so an editor resolves ./kernel");
    const again = spawnSync(process.execPath, [BIN, "lesson", "start", "02-time-namespaces", work], { encoding: "utf8" });
    assert.equal(again.status, 2, "must not overwrite the learner's work");
    const show = spawnSync(process.execPath, [BIN, "lesson", "show", "01-first-fault"], { encoding: "utf8" });
    assert.equal(show.status, 0);
    assert.match(show.stdout, /^# Lesson 1: The first fault/);
    assert.match(show.stdout, /^- without CONFIG_GENERIC_GETTIMEOFDAY pgoff 0 is SIGBUS \(1 point, hidden\)$/m);
    const hint = spawnSync(process.execPath, [BIN, "lesson", "hint", "01-first-fault", "3"], { encoding: "utf8" });
    assert.equal(hint.status, 0);
    assert.match(hint.stdout, /hint level 3/);
    assert.match(hint.stdout, /virt_to_page\(vdso_k_time_data\)/);
    assert.doesNotMatch(hint.stdout, /Level 2/);
    assert.equal(spawnSync(process.execPath, [BIN, "lesson", "hint", "01-first-fault", "9"]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
