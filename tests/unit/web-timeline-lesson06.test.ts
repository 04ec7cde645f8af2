// tests/unit/web-timeline-lesson06.test.ts: the results pane's fault timeline (web/src/core/results.ts
// timeline()) on real runs of lesson 06's scenarios: the solution compiled by the real asc, run
// on the real kernel. "N after mlockall()" counts the faults a task took after its own
// mlockall(): in remote-write, rt calls mlockall() and takes no fault, and the one fault is
// other's, a task that never called mlockall().
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { timeline } from "../../web/src/core/results.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { compile, run, ROOT } from "../model/helpers.js";

const DIR = join(ROOT, "lessons", "06-mlockall");
const scenario = (name: string) => JSON.parse(readFileSync(join(DIR, "scenarios", `${name}.json`), "utf8")) as Scenario;

// the faults of each task, and the step of each task's first mlockall(), read off the run's trace
function truth(r: RunResult): { faults: { task: string; step: number }[]; mlocked: Map<string, number> } {
  const mlocked = new Map<string, number>();
  for (const e of r.trace) if (e.kind === "mlockall" && !mlocked.has(e.task)) mlocked.set(e.task, e.step);
  const faults = r.steps.filter(s => s.ran && s.task && s.deltas.faults > 0).map(s => ({ task: s.task!, step: s.index }));
  return { faults, mlocked };
}

test("lesson 06 remote-write (solution): other's fault is not counted 'after mlockall()', rt's mlockall is named", async () => {
  const learner = await compile(readFileSync(join(DIR, "solution", "datastore.ts"), "utf8"));
  const r = run(learner, scenario("remote-write"));
  assert.ok(r.ok, JSON.stringify(r.steps.filter(s => !s.ok)));
  const { faults, mlocked } = truth(r);
  assert.deepEqual([...mlocked], [["rt", 1]], "only rt calls mlockall(), in step 1");
  assert.deepEqual(faults, [{ task: "other", step: 3 }], "the one fault of the run is other's, in step 3");
  const t = timeline(r);
  assert.equal(t.fault_calls, 1);
  assert.equal(t.faults_after_mlockall, 0, "other never called mlockall(): its fault is not one after mlockall()");
  assert.deepEqual(t.mlockall_tasks, [{ task: "rt", step: 1 }]);
});

test("lesson 06 (starter and solution, every scenario): 'after mlockall()' counts the faulting steps of a task after its own mlockall(), by the steps' own counters", async () => {
  const names = ["control-loop", "fork-after-mlockall", "mlockall-onfault", "mlockall-root", "mlockall-timens", "not-prefaulted",
                 "remote-ns", "remote-write", "timens-first-call"];
  const other: string[] = [];
  for (const side of ["starter", "solution"]) {
    const learner = await compile(readFileSync(join(DIR, side, "datastore.ts"), "utf8"));
    for (const name of names) {
      const r = run(learner, scenario(name));
      assert.equal(r.trace_dropped, 0);
      // the spans in which each task's memory was locked, from the step results: from a
      // successful mlockall() to the task's munlockall() or exec() (mlockall(2))
      const spans: { task: string; step: number; until?: number; by?: string }[] = [];
      const open = new Map<string, (typeof spans)[number]>();
      for (const s of r.steps) {
        if (!s.ran || !s.task) continue;
        if (s.op === "mlockall" && !s.errno && !open.has(s.task)) { const sp = { task: s.task, step: s.index }; spans.push(sp); open.set(s.task, sp); }
        const o = open.get(s.task);
        if ((s.op === "munlockall" || s.op === "exec") && o) { o.until = s.index; o.by = s.op; open.delete(s.task); }
      }
      const locked = (task: string, step: number) => spans.some(sp => sp.task === task && step > sp.step && (sp.until === undefined || step < sp.until));
      const faulting = r.steps.filter(s => s.ran && s.task && s.deltas.faults > 0);
      const t = timeline(r);
      for (const s of faulting) assert.equal(t.points.filter(p => p.faulted && p.step === s.index).length, 1, `${side} ${name}: one faulted call in step ${s.index}`);
      const after = faulting.filter(s => locked(s.task!, s.index));
      assert.equal(t.faults_after_mlockall, after.length, `${side} ${name}`);
      assert.deepEqual(t.mlockall_tasks, spans, `${side} ${name}`);
      if (spans.length) other.push(...faulting.filter(s => !after.includes(s)).map(s => `${side} ${name} ${s.task}@${s.index}`));
    }
  }
  // the cases the count once got wrong are among them: a fault of a task that never called
  // mlockall(), and one after the task's exec() (not-prefaulted: b locks at 6, execs at 7,
  // faults at 8 in its new, unlocked mm)
  assert.ok(other.includes("solution remote-write other@3") && other.includes("starter fork-after-mlockall worker@3"), other.join(", "));
  assert.ok(other.includes("solution not-prefaulted b@8") && other.includes("starter not-prefaulted b@8"), other.join(", "));
});
