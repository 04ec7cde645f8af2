// The deadline runner: real kernel build, real learner modules, real worker threads.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { NodeRunner, runScenarios, closeSharedRunner } from "../../cli/node-runner.js";
import { loadKernel } from "../../cli/node-paths.js";
import type { Scenario } from "../../engine/types.js";
import { DATASTORE_POST, DATASTORE_SPIN, DATASTORE_SPIN_PGOFF2, DATASTORE_TRAP, DATASTORE_TRAP_LINE, LATE_HANG_SCENARIO } from "./fixtures.js";

const A = asc as unknown as AscModule;
const FIRST_FAULT: Scenario = {
  name: "first-fault",
  steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", expect: { faults: 1 } },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", repeat: 10, expect: { faults: 0 } },
  ],
};

async function learner(src: string): Promise<{ module: WebAssembly.Module; sourceMap?: string }> {
  const r = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(r.ok, !r.ok ? r.error.message : "");
  return { module: new WebAssembly.Module(r.wasm as Uint8Array<ArrayBuffer>), sourceMap: r.sourceMap };
}

function kernel(): WebAssembly.Module {
  const k = loadKernel();
  assert.ok(k.ok, !k.ok ? k.message : "");
  return k.module;
}

const runner = new NodeRunner();
after(async () => { await runner.close(); await closeSharedRunner(); });

test("an endless loop is stopped at the deadline, and the next scenario still runs", async () => {
  const spin = await learner(DATASTORE_SPIN);
  const good = await learner(DATASTORE_POST);
  const k = kernel();
  const before = runner.spawned;
  const hung = await runner.run(k, spin.module, FIRST_FAULT, { deadlineMs: 300 });
  assert.ok(hung.ok);
  assert.equal(hung.result.status, "timeout");
  assert.equal(hung.result.ok, false);
  assert.equal(hung.result.oops?.message, "vvar_fault() did not return within 300 ms: an endless loop?");
  assert.equal(hung.result.oops?.step, 1, "the step that hung (the first clock_gettime)");
  assert.deepEqual(hung.result.steps[1].failures, [hung.result.oops?.message]);
  const next = await runner.run(k, good.module, FIRST_FAULT, { deadlineMs: 5000 });
  assert.ok(next.ok);
  assert.equal(next.result.status, "ok");
  assert.equal(next.result.ok, true, JSON.stringify(next.result.steps.map(s => s.failures)));
  assert.equal(runner.spawned - before, 2, "a fresh worker after the timeout");
});

test("a worker is reused while nothing hangs", async () => {
  const good = await learner(DATASTORE_POST);
  const k = kernel();
  await runner.run(k, good.module, FIRST_FAULT, { deadlineMs: 5000 });
  const before = runner.spawned;
  const all = await runner.runAll(k, good.module, [FIRST_FAULT, FIRST_FAULT, FIRST_FAULT], { deadlineMs: 5000 });
  assert.ok(all.ok);
  assert.equal(all.results.length, 3);
  assert.ok(all.results.every(r => r.ok));
  assert.equal(runner.spawned, before);
});

test("a trap in the handler is an oops at the learner's line, not a crash", async () => {
  const bad = await learner(DATASTORE_TRAP);
  const r = await runner.run(kernel(), bad.module, FIRST_FAULT, { deadlineMs: 5000, sourceMap: bad.sourceMap });
  assert.ok(r.ok);
  assert.equal(r.result.status, "oops");
  assert.equal(r.result.oops?.file, "datastore.ts");
  assert.equal(r.result.oops?.line, DATASTORE_TRAP_LINE);
});

test("runScenarios: results in order, or an EngineError for a module that is not Wasm", async () => {
  const good = await compileDatastore(A, { "datastore.ts": DATASTORE_POST });
  assert.ok(good.ok);
  const out = await runScenarios(kernel(), good.wasm, [FIRST_FAULT, { ...FIRST_FAULT, name: "again" }], { deadlineMs: 5000 });
  assert.ok(Array.isArray(out));
  assert.deepEqual(out.map(r => r.scenario), ["first-fault", "again"]);
  const junk = await runScenarios(kernel(), new Uint8Array([1, 2, 3]), [FIRST_FAULT]);
  assert.ok(!Array.isArray(junk));
  assert.equal(junk.kind, "link");
});

test("a scenario that hangs at step k still reports the results of steps 0..k-1", async () => {
  const spin = await learner(DATASTORE_SPIN_PGOFF2);
  const hung = await runner.run(kernel(), spin.module, LATE_HANG_SCENARIO as unknown as Scenario, { deadlineMs: 300 });
  assert.ok(hung.ok);
  const r = hung.result;
  const message = "vvar_fault() did not return within 300 ms: an endless loop?";
  assert.equal(r.status, "timeout");
  assert.equal(r.ok, false);
  assert.deepEqual(r.oops, { message, step: 2 });
  assert.deepEqual(r.steps.map(s => s.index), [0, 1, 2, 3]);
  // the steps before the hang, as a run of them alone gives them
  assert.deepEqual(r.steps.map(s => s.ran), [true, true, false, false]);
  assert.equal(r.steps[0].ok, true);
  assert.equal(r.steps[1].ok, true, JSON.stringify(r.steps[1].failures));
  assert.equal(r.steps[1].deltas.faults, 1);
  assert.equal(r.steps[1].correct, true);
  assert.deepEqual(r.steps[2].failures, [message]);
  assert.deepEqual(r.steps[3].failures, []);
  assert.deepEqual(Object.keys(r.tasks), ["a"]);
  assert.ok(r.trace.some(e => e.kind === "fault" && e.step === 1), "the trace of the steps that ran");
  assert.equal(r.dmesg.at(-1), message);
});
