// tests/report/instructor-checks.test.ts: --checks DIR adds an instructor's checks to a lesson's.

import { test } from "node:test";
import assert from "node:assert/strict";
import { loadLesson, type LessonSource } from "../../engine/lesson.js";
import { gradeLesson } from "../../engine/grade.js";
import { addInstructorChecks } from "../../engine/report/instructor-checks.js";
import { emitReport } from "../../engine/report/index.js";
import type { RunResult } from "../../engine/types.js";

function lessonSource(): LessonSource {
  return {
    id: "01-first-fault",
    json: {
      id: "01-first-fault", title: "The first fault", summary: "s",
      files: { editable: ["datastore.ts"], readonly: ["kernel.ts"] },
      checks: [{ id: "ok", name: "scenario runs", scenario: "first", points: 2, visibility: "visible",
        assert: [{ path: "status", op: "eq", value: "ok" }], explain: "it must run" }],
      mutants: [],
    },
    readme: "", hints: "", starter: { "datastore.ts": "" }, solution: { "datastore.ts": "" },
    scenarios: { first: { name: "first", steps: [{ op: "spawn", task: "app" }] } },
    mutants: {},
  };
}

const extra = () => ({
  json: { checks: [{ id: "secret", name: "secret behaviour", scenario: "secret-scn", points: 3,
    assert: [{ path: "tasks.app.counters.faults", op: "eq", value: 0 }], explain: "SECRET explanation" }] },
  scenarios: { "secret-scn": { name: "secret-scn", steps: [{ op: "spawn", task: "app" }] } },
});

test("the instructor's checks come after the lesson's, hidden by default, and load as a lesson", () => {
  const m = addInstructorChecks(lessonSource(), extra());
  assert.ok(m.ok);
  const l = loadLesson(m.source);
  assert.ok(l.ok, JSON.stringify(!l.ok && l.error));
  assert.deepEqual(l.lesson.checks.map(c => [c.id, c.visibility]), [["ok", "visible"], ["secret", "hidden"]]);
  assert.ok("secret-scn" in l.lesson.scenarios);
  // the lesson source handed in is not modified
  assert.equal((lessonSource().json as { checks: unknown[] }).checks.length, 1);
});

test("a hidden instructor check shows its result but not its details to students", () => {
  const m = addInstructorChecks(lessonSource(), extra());
  assert.ok(m.ok);
  const l = loadLesson(m.source);
  assert.ok(l.ok);
  const run = (faults: number): RunResult => ({
    scenario: "x", status: "ok", ok: true, steps: [], dmesg: [], trace: [], trace_dropped: 0,
    tasks: { app: { pid: 1, alive: true, ns: "root", vm_flags: "", vvar: [],
      counters: { faults, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 } } },
  });
  const report = gradeLesson(l.lesson, { ok: true, runs: { first: run(1), "secret-scn": run(1) }, sources: {} });
  assert.equal(report.tests[1].status, "fail");
  assert.match(report.tests[1].message, /SECRET explanation/);
  for (const f of ["text", "json", "github", "junit", "tap", "exercism", "prairielearn"]) {
    const out = emitReport(report, f);
    assert.ok(!out.includes("SECRET"), `${f} leaks a hidden check's details`);
    assert.ok(out.includes("secret behaviour"), `${f} hides the check name`);
  }
  assert.match(emitReport(report, "text"), /secret behaviour: FAIL \(0\/3\)/);
  assert.ok(emitReport(report, "text", { reveal: true }).includes("SECRET explanation"));
});

test("a kit's checks folder: the lesson's own checks, unchanged, are skipped; a folder for another lesson is refused", () => {
  // the full package's lesson already holds its hidden checks, which a kit's checks folder repeats
  const full = lessonSource();
  const secret = { ...extra().json.checks[0], visibility: "hidden" };
  (full.json as { checks: unknown[] }).checks.push(secret);
  full.scenarios = { ...full.scenarios, ...extra().scenarios };
  const kit = { json: { lesson: "01-first-fault", ...extra().json }, scenarios: extra().scenarios };
  const m = addInstructorChecks(full, kit);
  assert.ok(m.ok, JSON.stringify(!m.ok && m.error));
  const l = loadLesson(m.source);
  assert.ok(l.ok, JSON.stringify(!l.ok && l.error));
  assert.deepEqual(l.lesson.checks.map(c => c.id), ["ok", "secret"]);
  // the same id with other content is still a clash, saying it differs
  const changed = { json: { checks: [{ ...extra().json.checks[0], points: 9 }] }, scenarios: extra().scenarios };
  const c = addInstructorChecks(full, changed);
  assert.ok(!c.ok && /already has a check "secret", and it differs/.test(c.error.message));
  // a folder written for another lesson
  const other = addInstructorChecks(lessonSource(), { json: { lesson: "06-mlockall", ...extra().json }, scenarios: extra().scenarios });
  assert.ok(!other.ok && other.error.path === "checks/checks.json/lesson");
  assert.match(other.error.message, /these checks are for lesson 06-mlockall, not 01-first-fault/);
});

test("clashes and bad shapes are refused with a path", () => {
  const dupId = extra(); (dupId.json.checks[0] as { id: string }).id = "ok";
  const r1 = addInstructorChecks(lessonSource(), dupId);
  assert.ok(!r1.ok && r1.error.path === "checks/checks.json/checks/0/id");
  const dupScn = extra(); dupScn.scenarios = { first: { name: "first", steps: [] } } as never;
  const r2 = addInstructorChecks(lessonSource(), dupScn);
  assert.ok(!r2.ok && r2.error.path === "checks/scenarios/first.json");
  const r3 = addInstructorChecks(lessonSource(), { json: { checks: [], extra: 1 }, scenarios: {} });
  assert.ok(!r3.ok && /unknown field/.test(r3.error.message));
  const r4 = addInstructorChecks(lessonSource(), { json: [], scenarios: {} });
  assert.ok(!r4.ok);
  // a check that names a scenario nobody provides fails lesson validation with its path
  const orphan = extra(); orphan.scenarios = {} as never;
  const m = addInstructorChecks(lessonSource(), orphan);
  assert.ok(m.ok);
  const l = loadLesson(m.source);
  assert.ok(!l.ok && l.error.path === "lesson.json/checks/1/scenario");
});
