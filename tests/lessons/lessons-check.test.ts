// tests/lessons/lessons-check.test.ts: every lesson passes `lesson check` on the real kernel:
// the starter fails at least one check, the solution passes all, and every mutant (at least
// three per lesson) fails the checks its manifest names.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadLesson } from "../../engine/lesson.js";
import { checkLesson, MIN_MUTANTS } from "../../engine/lesson-check.js";
import { validateScenario } from "../../engine/validate.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, nodeGradeDeps, readLessonSource } from "../../cli/grade-submission.js";
import { closeSharedRunner } from "../../cli/node-runner.js";

after(() => closeSharedRunner());

for (const id of listLessonIds()) {
  test(`lesson ${id}: starter fails, solution passes, mutants are caught`, async () => {
    const src = readLessonSource(join(DEFAULT_LESSONS_DIR, id));
    assert.ok(src.ok);
    const l = loadLesson(src.source, validateScenario);
    assert.ok(l.ok, !l.ok ? l.error.message : "");
    const deps = await nodeGradeDeps();
    const r = await checkLesson(l.lesson, deps);
    assert.ok(r.ok, `${id}:\n  ${r.lines.join("\n  ")}`);
    assert.ok(l.lesson.mutants.length >= MIN_MUTANTS);
    assert.equal(r.reports.solution.score, r.reports.solution.max_score);
    assert.ok(r.reports.starter.score < r.reports.starter.max_score);
    for (const m of l.lesson.mutants) {
      const rep = r.reports.mutants[m.file];
      for (const c of m.fails) assert.notEqual(rep.tests.find(t => t.id === c)?.status, "pass", `${m.file} passes ${c}`);
    }
  });
}
