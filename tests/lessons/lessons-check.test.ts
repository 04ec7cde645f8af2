// tests/lessons/lessons-check.test.ts: every lesson passes `lesson check` on the real kernel:
// the starter fails at least one check, the solution passes all, and every mutant (at least
// three per lesson) fails exactly the checks its manifest names, for the reasons it gives; and
// every check is failed by the starter or a mutant.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadLesson } from "../../engine/lesson.js";
import { checkLesson, MIN_MUTANTS, mutantProblems } from "../../engine/lesson-check.js";
import type { Report } from "../../engine/types.js";
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
      const failed = rep.tests.filter(t => t.status !== "pass");
      assert.deepEqual(failed.map(t => t.id).sort(), [...m.fails].sort(), `${m.file}: exactly the checks it names`);
      assert.deepEqual(Object.fromEntries(failed.map(t => [t.id, t.failure?.kind])), m.because, `${m.file}: for the reasons it gives`);
    }
    assert.deepEqual(r.uncaught, [], `${id}: checks no mutant and not the starter fails`);
  });
}

test("a mutant's manifest must name exactly what it fails and why", () => {
  const t = (id: string, kind?: "assertion" | "oops") => ({ id, name: id, status: kind ? "fail" as const : "pass" as const, score: 0, max_score: 1,
    message: "", visibility: "visible" as const, ...(kind ? { failure: { kind, message: "x" } } : {}) });
  const rep: Report = { lesson: "x", score: 0, max_score: 3, status: "fail", errors: [], tests: [t("a", "oops"), t("b", "assertion"), t("c")] };
  assert.deepEqual(mutantProblems({ fails: ["a", "b"], because: { a: "oops", b: "assertion" } }, rep), []);
  assert.deepEqual(mutantProblems({ fails: ["a"], because: { a: "oops" } }, rep), ['also fails b (assertion), which "fails" does not name']);
  assert.deepEqual(mutantProblems({ fails: ["a", "b", "c"], because: { a: "oops", b: "assertion", c: "assertion" } }, rep),
    ["should fail c but passes"]);
  assert.deepEqual(mutantProblems({ fails: ["a", "b"], because: { a: "oops", b: "assertion", c: "oops" } }, rep), ['"because" names c, which "fails" does not']);
  assert.deepEqual(mutantProblems({ fails: ["a", "b"], because: { a: "assertion", b: "assertion" } }, rep), ["a fails by oops, not assertion"]);
  assert.deepEqual(mutantProblems({ fails: ["a", "b"] }, rep), ['"because" gives no reason for a (it fails by oops)', '"because" gives no reason for b (it fails by assertion)']);
});
