// The engine's runner over worker threads: real kernel build, real learner modules, real workers.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { NodeRunner, runScenarios, closeSharedRunner, nodeRunnerTransport } from "../../cli/node-runner.js";
import { RunnerPool, ScenarioRunner, type RunnerTransport } from "../../engine/runner.js";
import { softLockupMessage, timeoutMessage } from "../../engine/runner-protocol.js";
import { loadKernel } from "../../cli/node-paths.js";
import type { Scenario } from "../../engine/types.js";
import { DATASTORE_POST, DATASTORE_SPIN, DATASTORE_TRAP, DATASTORE_TRAP_LINE, LATE_HANG_SCENARIO } from "./fixtures.js";

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

test("an endless loop is a soft lockup in the step that hung, the same every time, with no worker killed", async () => {
  const spin = await learner(DATASTORE_SPIN);
  const good = await learner(DATASTORE_POST);
  const k = kernel();
  await runner.run(k, good.module, FIRST_FAULT);
  const before = runner.spawned;
  const hung = await runner.run(k, spin.module, FIRST_FAULT, { sourceMap: spin.sourceMap });
  assert.ok(hung.ok);
  const r = hung.result;
  assert.equal(r.status, "timeout");
  assert.equal(r.ok, false);
  assert.equal(r.oops?.message, softLockupMessage(1));
  assert.equal(r.oops?.step, 1, "the step that hung (the first clock_gettime)");
  assert.equal(r.oops?.file, "datastore.ts");
  assert.equal(r.oops?.line, DATASTORE_SPIN.split("\n").findIndex(l => l.includes("while (vmf.pgoff < 1000)")) + 1);
  // spawn ran and is kept with its deltas; the hung step ran up to the lockup; the rest did not
  assert.deepEqual(r.steps.map(s => s.ran), [true, true, false]);
  assert.equal(r.steps[0].ok, true);
  assert.deepEqual(r.steps[1].failures, [softLockupMessage(1)]);
  assert.equal(r.steps[1].deltas.handler_calls, 1, "the handler was called once and never returned");
  assert.deepEqual(r.steps[2].failures, ["not run: an earlier step did not return"]);
  assert.ok(r.dmesg.some(l => /\] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[a:1\]$/.test(l)), r.dmesg.join("\n"));
  const again = await runner.run(k, spin.module, FIRST_FAULT, { sourceMap: spin.sourceMap });
  assert.ok(again.ok);
  assert.deepEqual(again.result, r, "fuel is counted in Wasm: the same result every time");
  const next = await runner.run(k, good.module, FIRST_FAULT);
  assert.ok(next.ok);
  assert.equal(next.result.status, "ok");
  assert.equal(next.result.ok, true, JSON.stringify(next.result.steps.map(s => s.failures)));
  assert.equal(runner.spawned - before, 0, "a soft lockup is reported by the worker itself");
});

test("an endless loop in the datastore's top-level code is a soft lockup before the first step", async () => {
  const top = await learner(DATASTORE_POST + "\nlet n: i32 = 0;\nwhile (n >= 0) { n = n | 1; }\n");
  const r = await runner.run(kernel(), top.module, FIRST_FAULT, { sourceMap: top.sourceMap });
  assert.ok(r.ok);
  assert.equal(r.result.status, "timeout");
  assert.deepEqual([r.result.oops?.step, r.result.oops?.message], [-1, softLockupMessage(-1)]);
  assert.ok(r.result.steps.every(s => !s.ran));
  assert.ok(r.result.dmesg.some(l => l.endsWith("[swapper/0:1]")), r.result.dmesg.join("\n"));
});

// A stand-in runner worker (a real worker thread) for the backstop, which the fuel leaves with
// nothing to catch in learner code: it answers a scenario cut to fewer than 3 steps, and for a
// longer one reports steps 0..2 and then spins in JavaScript, where no fuel is counted.
const STUCK_WORKER = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const tid = Number(fs.readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
parentPort.on("message", m => {
  if (m.scenario.name === "malformed") { parentPort.postMessage({ type: "result", id: m.id, result: { scenario: 3 } }); return; }
  const n = m.scenario.steps.length;
  if (n < 3) {
    const steps = m.scenario.steps.map((s, index) => ({ index, op: s.op, task: s.task, ran: true, ok: true, failures: [], deltas: { ...zero, faults: index } }));
    parentPort.postMessage({ type: "result", id: m.id, result: { scenario: m.scenario.name, status: "ok", ok: true, steps,
      tasks: { a: { pid: 7, alive: true, ns: "root", counters: zero, vm_flags: "", vvar: [] } }, dmesg: ["[    0.000000] booted"], trace: [], trace_dropped: 0 } });
    return;
  }
  for (let i = 0; i < 3; i++) parentPort.postMessage({ type: "step", id: m.id, index: i });
  for (;;) {}
});
parentPort.postMessage({ type: "ready", tid: Number.isSafeInteger(tid) ? tid : undefined });
`;

test("the backstop: a worker stuck outside learner code is stopped on its thread's CPU clock, the hung step named and the steps before it kept", { timeout: 60_000 }, async () => {
  const stuck = new ScenarioRunner(nodeRunnerTransport(STUCK_WORKER, { eval: true }));
  try {
    const good = await learner(DATASTORE_POST);
    const sc: Scenario = { ...LATE_HANG_SCENARIO, name: "stuck", steps: [...LATE_HANG_SCENARIO.steps] } as unknown as Scenario;
    const r = await stuck.run(kernel(), good.module, sc, { deadlineMs: 400 });
    assert.ok(r.ok);
    const message = timeoutMessage(400, "CPU time");
    assert.equal(message, "vvar_fault() did not return within 400 ms of CPU time: an endless loop?");
    assert.equal(r.result.status, "timeout");
    assert.deepEqual(r.result.oops, { message, step: 2 });
    assert.deepEqual(r.result.steps.map(s => [s.ran, s.deltas.faults]), [[true, 0], [true, 1], [false, 0], [false, 0]]);
    assert.deepEqual(r.result.steps[2].failures, [message]);
    assert.deepEqual(r.result.dmesg, ["[    0.000000] booted", "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [a:7]", message]);
    assert.equal(stuck.spawned, 2, "the stuck worker (terminated), and a fresh one that re-ran steps 0..1");
    // a message that fails validation is never trusted
    const bad = await stuck.run(kernel(), good.module, { name: "malformed", steps: [] });
    assert.ok(bad.ok);
    assert.equal(bad.result.status, "oops");
    assert.match(bad.result.oops?.message ?? "", /malformed message \(result: not a RunResult\)/);
  } finally {
    await stuck.close();
  }
});

test("a worker is reused while nothing hangs", async () => {
  const good = await learner(DATASTORE_POST);
  const k = kernel();
  await runner.run(k, good.module, FIRST_FAULT);
  const before = runner.spawned;
  const all = await runner.runAll(k, good.module, [FIRST_FAULT, FIRST_FAULT, FIRST_FAULT]);
  assert.ok(all.ok);
  assert.equal(all.results.length, 3);
  assert.ok(all.results.every(r => r.ok));
  assert.equal(runner.spawned, before);
});

test("a trap in the handler is an oops at the learner's line, not a crash", async () => {
  const bad = await learner(DATASTORE_TRAP);
  const r = await runner.run(kernel(), bad.module, FIRST_FAULT, { sourceMap: bad.sourceMap });
  assert.ok(r.ok);
  assert.equal(r.result.status, "oops");
  assert.equal(r.result.oops?.file, "datastore.ts");
  assert.equal(r.result.oops?.line, DATASTORE_TRAP_LINE);
});

test("runScenarios: results in order, or an EngineError for a module that is not Wasm", async () => {
  const good = await compileDatastore(A, { "datastore.ts": DATASTORE_POST });
  assert.ok(good.ok);
  const out = await runScenarios(kernel(), good.wasm, [FIRST_FAULT, { ...FIRST_FAULT, name: "again" }]);
  assert.ok(Array.isArray(out));
  assert.deepEqual(out.map(r => r.scenario), ["first-fault", "again"]);
  const junk = await runScenarios(kernel(), new Uint8Array([1, 2, 3]), [FIRST_FAULT]);
  assert.ok(!Array.isArray(junk));
  assert.equal(junk.kind, "link");
});

test("RunnerPool: two workers give the sequential runner's results, in order, a soft lockup included; an error stops it as in order", async () => {
  const good = await learner(DATASTORE_POST), spin = await learner(DATASTORE_SPIN);
  const k = kernel();
  const names = ["a", "b", "c", "d", "e"];
  const scenarios = names.map(name => ({ ...FIRST_FAULT, name }));
  const pool = new RunnerPool(nodeRunnerTransport(), 2);
  try {
    assert.throws(() => new RunnerPool(nodeRunnerTransport(), 0), /positive integer/);
    const seq = await runner.runAll(k, good.module, scenarios);
    const par = await pool.runAll(k, good.module, scenarios);
    assert.ok(seq.ok && par.ok);
    assert.deepEqual(par.results.map(r => r.scenario), names);
    assert.deepEqual(par.results, seq.results, "the same results as one worker's, scenario by scenario");
    assert.equal(pool.spawned, 2, "both workers ran scenarios");
    // a handler that hangs: each scenario is a soft lockup in step 1, reported the same way
    const hung = await pool.runAll(k, spin.module, scenarios.slice(0, 3), { sourceMap: spin.sourceMap });
    assert.ok(hung.ok);
    assert.deepEqual(hung.results.map(r => [r.scenario, r.status, r.oops?.step]), [["a", "timeout", 1], ["b", "timeout", 1], ["c", "timeout", 1]]);
    // a module that cannot be linked: the EngineError, as runAll gives it
    const junk = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const err = await pool.runAll(k, junk, scenarios);
    const errSeq = await runner.runAll(k, junk, scenarios);
    assert.ok(!err.ok && !errSeq.ok);
    assert.deepEqual(err.error, errSeq.error);
  } finally {
    await pool.close();
  }
});

test("calls made while a scenario runs wait their turn: each gets its own result, none is stopped as hung", async () => {
  const good = await learner(DATASTORE_POST), spin = await learner(DATASTORE_SPIN);
  const k = kernel();
  const one = new ScenarioRunner(nodeRunnerTransport());
  try {
    const alone = await one.run(k, good.module, { ...FIRST_FAULT, name: "alone" });
    assert.ok(alone.ok);
    // were the calls not queued, the later ones would take over the worker's one listener: the
    // first would never hear its answer, be stopped by the backstop and cost a new worker
    const [a, b, c] = await Promise.all([
      one.run(k, spin.module, { ...FIRST_FAULT, name: "hangs" }, { sourceMap: spin.sourceMap }),
      one.run(k, good.module, { ...FIRST_FAULT, name: "b" }),
      one.run(k, good.module, { ...FIRST_FAULT, name: "c" }),
    ]);
    assert.ok(a.ok && b.ok && c.ok);
    assert.deepEqual([a.result.scenario, a.result.status, a.result.oops?.step], ["hangs", "timeout", 1]);
    assert.deepEqual({ ...b.result, scenario: "alone" }, alone.result);
    assert.deepEqual({ ...c.result, scenario: "alone" }, alone.result);
    assert.equal(one.spawned, 1, "one worker for all: the soft lockup is the worker's own report");
  } finally {
    await one.close();
  }
});

// A stand-in runner worker for the queue of requests a runner keeps posted (RUNNER_DEPTH): it
// answers every scenario with its own name in `scenario` and in dmesg which worker ran it, and:
//   "pair-*"  is held until a second request has arrived (so it answers only when the runner
//             posted the next one before this one's answer),
//   "burn-*"  burns 300 ms of CPU time first,
//   "die"     ends the worker thread,
//   "stuck"   reports steps 0..2 and spins (cut to fewer than 3 steps, it is answered).
const PIPE_WORKER = `
const { parentPort, threadId } = require("node:worker_threads");
const fs = require("node:fs");
const tid = Number(fs.readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
const answer = m => {
  const steps = m.scenario.steps.map((s, index) => ({ index, op: s.op, task: s.task, ran: true, ok: true, failures: [], deltas: zero }));
  parentPort.postMessage({ type: "result", id: m.id, result: { scenario: m.scenario.name, status: "ok", ok: true, steps,
    tasks: { a: { pid: 7, alive: true, ns: "root", counters: zero, vm_flags: "", vvar: [] } }, dmesg: ["worker " + threadId], trace: [], trace_dropped: 0 } });
};
let held = null;
parentPort.on("message", m => {
  const name = m.scenario.name;
  if (held) { answer(held); held = null; }
  if (name.startsWith("pair-") && !held) { held = m; return; }
  if (name.startsWith("burn-")) { const t = process.cpuUsage(); for (let u = process.cpuUsage(t); u.user + u.system < 300_000; u = process.cpuUsage(t)) {} }
  if (name === "die") process.exit(3);
  if (name === "stuck" && m.scenario.steps.length >= 3) { for (let i = 0; i < 3; i++) parentPort.postMessage({ type: "step", id: m.id, index: i }); for (;;) {} }
  answer(m);
});
parentPort.postMessage({ type: "ready", tid: Number.isSafeInteger(tid) ? tid : undefined });
`;
const pipe = (depth: number) => new ScenarioRunner(nodeRunnerTransport(PIPE_WORKER, { eval: true }), depth);
const named = (name: string, steps = 2): Scenario => ({ name, steps: FIRST_FAULT.steps.slice(0, steps) } as Scenario);

test("a runner posts the next scenario while its worker runs one; with depth 1 it waits for the answer", { timeout: 60_000 }, async () => {
  assert.throws(() => new ScenarioRunner(nodeRunnerTransport(), 0), /positive integer/);
  const deep = pipe(2), shallow = pipe(1);
  try {
    const k = kernel(), m = (await learner(DATASTORE_POST)).module;
    // the worker answers "pair-a" only once "pair-b" has reached it
    const r = await deep.runAll(k, m, [named("pair-a"), named("pair-b"), named("c")], { deadlineMs: 200 });
    assert.ok(r.ok);
    assert.deepEqual(r.results.map(x => [x.scenario, x.status]), [["pair-a", "ok"], ["pair-b", "ok"], ["c", "ok"]]);
    assert.equal(deep.spawned, 1);
    // one at a time, the held request waits for a second that is never posted: the backstop stops it
    const one = await shallow.runAll(k, m, [named("pair-a"), named("c")], { deadlineMs: 100 });
    assert.ok(one.ok);
    assert.deepEqual(one.results.map(x => x.status), ["timeout", "ok"]);
  } finally {
    await deep.close(); await shallow.close();
  }
});

test("the backstop of a queued scenario starts when the one before it answers", { timeout: 60_000 }, async () => {
  const r2 = pipe(2);
  try {
    const k = kernel(), m = (await learner(DATASTORE_POST)).module;
    // 300 ms of CPU each, 500 ms allowed each: counted from when each was posted, the second would be stopped
    const r = await r2.runAll(k, m, [named("burn-a"), named("burn-b")], { deadlineMs: 500 });
    assert.ok(r.ok);
    assert.deepEqual(r.results.map(x => x.status), ["ok", "ok"]);
    assert.equal(r2.spawned, 1);
  } finally {
    await r2.close();
  }
});

test("a worker stopped or dead loses the scenario queued behind it to a fresh worker, which runs it", { timeout: 60_000 }, async () => {
  const r2 = pipe(2);
  try {
    const k = kernel(), m = (await learner(DATASTORE_POST)).module;
    const d = await r2.runAll(k, m, [named("die"), named("after-death")]);
    assert.ok(d.ok);
    assert.equal(d.results[0].status, "oops");
    assert.match(d.results[0].oops?.message ?? "", /the runner stopped while running this scenario: worker exited with code 3/);
    assert.equal(d.results[1].status, "ok");
    assert.equal(r2.spawned, 2, "after-death ran in a fresh worker");
    // stopped past the deadline in step 2: the fresh worker re-runs steps 0..1, then the queued one
    const s = await r2.runAll(k, m, [named("stuck", 3), named("after-stuck")], { deadlineMs: 300 });
    assert.ok(s.ok);
    assert.deepEqual(s.results.map(x => [x.scenario, x.status, x.oops?.step]), [["stuck", "timeout", 2], ["after-stuck", "ok", undefined]]);
    assert.deepEqual(s.results[0].steps.map(x => x.ran), [true, true, false]);
    assert.equal(r2.spawned, 3);
  } finally {
    await r2.close();
  }
});

test("a worker that cannot start: the batch stops with an internal error that says so, not an oops per scenario", { timeout: 60_000 }, async () => {
  const broken = new ScenarioRunner(nodeRunnerTransport(`throw new Error("no runner here");`, { eval: true }));
  try {
    const k = kernel(), m = (await learner(DATASTORE_POST)).module;
    const r = await broken.runAll(k, m, [named("a"), named("b"), named("c")]);
    assert.ok(!r.ok);
    assert.equal(r.error.kind, "internal");
    assert.match(r.error.message, /^cannot start the runner worker: .*no runner here/);
    const one = await broken.run(k, m, named("d"));
    assert.ok(!one.ok);
    assert.match(one.error.message, /^cannot start the runner worker/);
  } finally {
    await broken.close();
  }
});

test("a transport whose spawn throws, a worker whose ready is malformed: 'cannot start', no job lost or run twice", { timeout: 60_000 }, async () => {
  const k = kernel(), m = (await learner(DATASTORE_POST)).module;
  const real = nodeRunnerTransport(PIPE_WORKER, { eval: true });
  let throws = 1;
  const flaky: RunnerTransport = { clock: real.clock, spawn: ev => { if (throws-- > 0) throw new Error("no workers today"); return real.spawn(ev); } };
  const r = new ScenarioRunner(flaky);
  try {
    const first = await r.run(k, m, named("a"));
    assert.ok(!first.ok);
    assert.equal(first.error.message, "cannot start the runner worker: no workers today");
    const all = await r.runAll(k, m, [named("b"), named("c")]);
    assert.ok(all.ok);
    assert.deepEqual(all.results.map(x => x.scenario), ["b", "c"], "a is not run later by a worker nobody hears");
    assert.equal(r.spawned, 1);
  } finally {
    await r.close();
  }
  const bad = new ScenarioRunner(nodeRunnerTransport(`require("node:worker_threads").parentPort.postMessage({ type: "ready", tid: -1 });`, { eval: true }));
  try {
    const out = await bad.runAll(k, m, [named("a"), named("b"), named("c")]);
    assert.ok(!out.ok);
    assert.match(out.error.message, /^cannot start the runner worker: the runner worker sent a malformed message/);
    assert.equal(bad.spawned, 1);
  } finally {
    await bad.close();
  }
});

test("close() during a batch: what ran or waited is 'the runner was closed', the rest is not run, no worker starts after", { timeout: 60_000 }, async () => {
  const k = kernel(), m = (await learner(DATASTORE_POST)).module;
  const r = pipe(2);
  try {
    await r.run(k, m, named("warm"));
    const batch = r.runAll(k, m, [named("burn-a"), named("burn-b"), named("c"), named("d")]);
    await new Promise(ok => setTimeout(ok, 50));
    await r.close();
    const out = await batch;
    assert.ok(out.ok);
    assert.deepEqual(out.results.map(x => [x.scenario, x.status]), [["burn-a", "oops"], ["burn-b", "oops"], ["c", "oops"], ["d", "oops"]]);
    assert.ok(out.results.every(x => /the runner was closed/.test(x.oops?.message ?? "")));
    await new Promise(ok => setTimeout(ok, 100));
    assert.equal(r.spawned, 1, "no worker started after close()");
  } finally {
    await r.close();
  }
});
