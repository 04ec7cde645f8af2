// The comparison builder (engine/compare.ts) and its text (engine/compare-text.ts) on real runs:
// the stages compiled by the real asc, run on the real kernel in the engine's runner.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { compareRuns, compareRunSets, COMPARE_FIELDS } from "../../engine/compare.js";
import { cellText, formatComparison } from "../../engine/compare-text.js";
import { validateScenario } from "../../engine/validate.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { closeSharedRunner, runScenarios } from "../../cli/node-runner.js";
import { loadKernel, PACKAGE_ROOT } from "../../cli/node-paths.js";
import { DATASTORE_POST } from "./fixtures.js";

after(() => closeSharedRunner());

const A = asc as unknown as AscModule;
function scenario(file: string): Scenario {
  const v = validateScenario(JSON.parse(readFileSync(join(PACKAGE_ROOT, "scenarios", file), "utf8")));
  assert.ok(v.ok, !v.ok ? v.error.message : "");
  return v.scenario;
}
const SCENARIOS = ["01-first-fault.json", "02-mlockall.json", "03-mlockall-timens.json", "04-remote-read.json"].map(scenario);
const MLOCKALL = SCENARIOS[1];

async function runs(src: string, scenarios: Scenario[]): Promise<RunResult[]> {
  const c = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(c.ok, !c.ok ? c.error.message : "");
  const k = loadKernel();
  assert.ok(k.ok, !k.ok ? k.message : "");
  const out = await runScenarios(k.module, c.wasm, scenarios, { sourceMap: c.sourceMap });
  assert.ok(Array.isArray(out), !Array.isArray(out) ? out.message : "");
  return out;
}
const stage = (name: string) => readFileSync(join(PACKAGE_ROOT, "stages", name, "datastore.ts"), "utf8");
const L = { left: "yours", right: "stage" };

test("pre vs p6 on scenarios/02-mlockall.json: mlockall populates with p6 only, so the calls after it fault with pre only", async () => {
  const [p6] = await runs(stage("p6"), [MLOCKALL]);
  const [pre] = await runs(stage("pre"), [MLOCKALL]);
  const c = compareRuns(p6, pre, { left: "stage p6", right: "stage pre" }, MLOCKALL);
  assert.equal(c.scenario, "mlockall-root");
  assert.equal(c.steps.length, MLOCKALL.steps.length);
  assert.equal(c.same, false);
  // step 1, mlockall: p6 populates the four pages (minflt 4, no exception); pre skips the VM_IO VMA
  const ml = c.steps[1];
  assert.equal(ml.op, "mlockall");
  assert.equal(ml.what, "mlockall rt MCL_CURRENT|MCL_FUTURE");
  assert.deepEqual(ml.cells.minflt, { left: "4", right: "0", differs: true });
  assert.deepEqual(ml.cells.faults, { left: "0", right: "0", differs: false });
  // step 2, the clock_gettime loop after mlockall: the fault difference
  const loop = c.steps[2];
  assert.equal(loop.op, "clock_gettime");
  assert.deepEqual(loop.cells.faults, { left: "0", right: "1", differs: true });
  assert.equal(loop.left.faults, 0);
  assert.equal(loop.right.faults, 1);
  assert.ok(loop.differs.includes("faults") && loop.differs.includes("minflt"), loop.differs.join());
  assert.deepEqual(loop.cells.correct, { left: "yes", right: "yes", differs: false });
  // step 4, the read of pgoff 1: a zero slot with p6, a SIGBUS hole with pre, which kills rt
  assert.deepEqual(c.steps[4].cells.signal, { left: "-", right: "SIGBUS", differs: true });
  assert.deepEqual(c.steps[4].cells.page, { left: "zero", right: "-", differs: true });
  assert.equal(c.steps[5].right.state, "not run");
  assert.match(c.steps[5].right.not_run ?? "", /killed by SIGBUS at step 4/);
  assert.deepEqual(c.steps[5].cells.result, { left: "0", right: "not run", differs: true });
  // the spawn is the same; differing_steps lists exactly the steps with a differing cell
  assert.deepEqual(c.steps[0].differs, []);
  assert.deepEqual(c.differing_steps, c.steps.filter(s => COMPARE_FIELDS.some(f => s.cells[f.key].differs)).map(s => s.index));
  assert.deepEqual(c.differing_steps, [1, 2, 3, 4, 5]);
  // a step run on one side only counts once, under result
  assert.equal(c.field_counts.result, 2);
  assert.equal(c.field_counts.warns, undefined);
  // the end state: VM_IO ("io") on pre's VMA, none on p6's; rt killed on pre's side
  const rt = c.tasks.find(t => t.task === "rt")!;
  assert.ok(rt.differs.includes("killed"));
  assert.equal(rt.cells.killed.right, "SIGBUS at step 4");
  assert.doesNotMatch(rt.cells.vm_flags.left, /\bio\b/);
  assert.match(c.headline, /^5 of 6 steps differ \(result in 2, faults in 3, minflt in 3, signal in 1, page in 1\); the end state of 1 task differs$/);
});

test("identical handlers show no difference; so do pre and p1 (a rename), on every sample scenario", async () => {
  const a = await runs(stage("p6"), SCENARIOS);
  const b = await runs(stage("p6"), SCENARIOS);
  const same = compareRunSets(L, a, b, SCENARIOS);
  assert.equal(same.same, true, same.headline);
  for (const sc of same.scenarios) {
    assert.equal(sc.same, true, sc.scenario);
    assert.deepEqual(sc.differing_steps, []);
    assert.deepEqual(sc.field_counts, {});
    for (const s of sc.steps) for (const f of COMPARE_FIELDS) assert.equal(s.cells[f.key].differs, false, `${sc.scenario} step ${s.index} ${f.key}`);
  }
  assert.equal(same.headline, "yours and stage behave the same in 4 scenarios");
  const pre = await runs(stage("pre"), SCENARIOS), p1 = await runs(stage("p1"), SCENARIOS);
  const rename = compareRunSets(L, pre, p1, SCENARIOS);
  assert.equal(rename.same, true, rename.scenarios.map(s => `${s.scenario}: ${s.headline}`).join("; "));
  // and the text says so: no row marked
  const text = formatComparison(rename);
  assert.equal(text.filter(l => /^ {2}\* /.test(l)).length, 0, text.join("\n"));
  assert.equal(text.at(-1), "yours and stage behave the same in 4 scenarios");
});

test("a learner-style post-series handler against pre: the text marks exactly the differing rows and cells", async () => {
  const mine = await runs(DATASTORE_POST, SCENARIOS);
  const pre = await runs(stage("pre"), SCENARIOS);
  const c = compareRunSets({ left: "datastore.ts", right: "stage pre" }, mine, pre, SCENARIOS);
  assert.equal(c.same, false);
  assert.match(c.headline, /^datastore\.ts and stage pre differ in \d of 4 scenarios$/);
  const text = formatComparison(c);
  for (const sc of c.scenarios) {
    const start = text.indexOf(`scenario ${sc.scenario}: ${sc.headline}`);
    assert.ok(start >= 0, sc.scenario);
    const rows = text.slice(start + 2, start + 2 + sc.steps.length);
    sc.steps.forEach((s, i) => {
      assert.equal(rows[i].startsWith("  *"), s.differs.length > 0, `${sc.scenario} row ${i}: ${rows[i]}`);
      for (const f of s.differs) assert.ok(rows[i].includes(cellText(s.cells[f])), `${rows[i]} lacks ${cellText(s.cells[f])}`);
      assert.ok(rows[i].includes(s.what), rows[i]);
    });
  }
  // the remote read: refused by VM_IO before the handler (pre) and by the handler's own check (post):
  // both EIO, no WARN
  const remote = c.scenarios.find(s => s.scenario === "remote-read")!;
  assert.ok(remote.steps.every(s => !s.cells.warns.differs));
});

test("a comparison of runs of two different scenarios is a caller's bug", async () => {
  const [a, b] = await runs(stage("p6"), SCENARIOS.slice(0, 2));
  assert.throws(() => compareRuns(a, b, L), /different scenarios/);
  assert.throws(() => compareRunSets(L, [a], [b]), /no run of first-fault|no run of/);
});
