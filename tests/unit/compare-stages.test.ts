// The stage catalogue (engine/compare-stages.ts) is true: every stage is graded against every
// lesson with the real compiler and kernel, and `solves` must list exactly the lessons it
// passes, since a classroom build hides stages by it. Then the classroom rule itself.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { gradeSubmission, type GradeDeps } from "../../engine/grade-submission.js";
import { classroomMayOffer, offeredStages, STAGES, stageInfo } from "../../engine/compare-stages.js";
import { listLessonIds, loadLessonDir, DEFAULT_LESSONS_DIR } from "../../cli/grade-submission.js";
import { closeSharedRunner, runScenarios } from "../../cli/node-runner.js";
import { loadKernel, PACKAGE_ROOT } from "../../cli/node-paths.js";
import { listStages } from "../../cli/run-compare.js";

after(() => closeSharedRunner());
const A = asc as unknown as AscModule;

test("the catalogue names every folder of stages/, in the order `run --compare` lists them", () => {
  const folders = readdirSync(join(PACKAGE_ROOT, "stages")).filter(n => existsSync(join(PACKAGE_ROOT, "stages", n, "datastore.ts"))).sort();
  assert.deepEqual(STAGES.map(s => s.name).sort(), folders);
  assert.deepEqual(listStages(), STAGES.map(s => s.name));
});

test("each stage solves exactly the lessons its `solves` lists (graded for real)", async () => {
  const k = loadKernel();
  assert.ok(k.ok, !k.ok ? k.message : "");
  const deps: GradeDeps = {
    compile: files => compileDatastore(A, files),
    run: async (wasm, scenarios, o) => runScenarios(k.module, wasm, scenarios, { sourceMap: o.sourceMap }),
  };
  const lessons = listLessonIds().map(id => {
    const l = loadLessonDir(join(DEFAULT_LESSONS_DIR, id));
    assert.ok(l.ok, !l.ok ? l.error.message : "");
    return l.lesson;
  });
  for (const s of STAGES) {
    const files = { "datastore.ts": readFileSync(join(PACKAGE_ROOT, "stages", s.name, "datastore.ts"), "utf8") };
    const passed: string[] = [];
    for (const l of lessons) {
      const r = await gradeSubmission(l, files, deps);
      assert.notEqual(r.status, "error", `${s.name} on ${l.id}: ${r.errors.map(e => e.message).join("; ")}`);
      if (r.status === "pass") passed.push(l.id);
    }
    assert.deepEqual(s.solves, passed, `stage ${s.name}`);
  }
});

test("a classroom build offers on lesson N only the stages that solve no lesson from N on", () => {
  const names = (id: string) => offeredStages(id, true).map(s => s.name);
  assert.deepEqual(names("01-first-fault"), []);
  assert.deepEqual(names("02-time-namespaces"), []);
  assert.deepEqual(names("03-map-by-pgoff"), ["v6.18", "pre", "p1"]);
  assert.deepEqual(names("04-no-holes"), ["v6.18", "pre", "p1", "p2"]);
  assert.deepEqual(names("05-remote-access"), ["v6.18", "pre", "p1", "p2", "p3"]);
  assert.deepEqual(names("06-mlockall"), ["v6.18", "pre", "p1", "p2", "p3", "p4"]);
  // never the stage that is the open lesson's solution, nor one that is a later lesson's
  for (const id of listLessonIds()) for (const s of offeredStages(id, true)) assert.ok(s.solves.every(l => l < id), `${s.name} on ${id}`);
  // self-paced: every stage, everywhere; an unknown stage is never offered in a classroom
  assert.equal(offeredStages("01-first-fault", false).length, STAGES.length);
  assert.equal(classroomMayOffer(stageInfo("nope"), "06-mlockall"), false);
});
