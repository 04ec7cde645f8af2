// tests/model/machine.test.ts: the host side's pure pieces (engine/machine.ts): smaps VmFlags
// mnemonics, expectation messages, and what a RunResult carries (trace, dmesg, task state).

import { test } from "node:test";
import assert from "node:assert/strict";
import { checkExpect, vmFlagsMnemonics } from "../../engine/machine.js";
import { compile, failures, run, stageSource } from "./helpers.js";

const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };

test("VmFlags mnemonics come out in bit order, as /proc/pid/smaps prints them", () => {
  // VM_READ|VM_MAYREAD|VM_IO|VM_DONTEXPAND|VM_DONTDUMP|VM_MIXEDMAP|VM_SEALED
  const pre = 0x1n | 0x10n | 0x4000n | 0x40000n | 0x4000000n | 0x10000000n | (1n << 42n);
  assert.equal(vmFlagsMnemonics(pre), "rd mr io de dd mm sl");
  assert.equal(vmFlagsMnemonics(pre & ~0x4000n), "rd mr de dd mm sl");
  assert.equal(vmFlagsMnemonics(0x2000n | 0x80000n), "lo lf");
  assert.equal(vmFlagsMnemonics(0n), "");
});

test("unmet expectations read 'field: expected X, got Y'", () => {
  assert.deepEqual(checkExpect({ faults: 0, errno: null, page: "zero" }, { errno: "EIO", page: "time" }, { ...zero, faults: 1 }),
    ["faults: expected 0, got 1", "errno: expected success, got EIO", 'page: expected zero, got "time"']);
  assert.deepEqual(checkExpect({ signal: "SIGBUS", correct: true }, { signal: null }, zero),
    ["signal: expected SIGBUS, got none", "correct: expected true, got nothing"]);
  assert.deepEqual(checkExpect({ faults: 1, ret: 0 }, { ret: 0 }, { ...zero, faults: 1 }), []);
  assert.deepEqual(checkExpect(undefined, {}, zero), []);
});

test("a RunResult carries per-task state, dmesg and a trace with simulated times", async () => {
  const r = run(await compile(stageSource("p6")), { name: "shape", steps: [
    { op: "spawn", task: "a" },
    { op: "mlockall", task: "a", flags: ["MCL_CURRENT"] },
    { op: "unshare_timens", task: "a", ns: "box", monotonic_offset_s: 10 },
    { op: "fork", task: "a", child: "b" },
    { op: "clock_gettime", task: "b", clock: "CLOCK_BOOTTIME" },
    { op: "smaps", task: "b" },
  ] });
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.tasks), ["a", "b"]);
  assert.equal(r.tasks.b.ns, "box");
  assert.equal(r.tasks.a.ns, "root");
  assert.deepEqual(r.tasks.a.vvar.map(p => p.page), ["time", "zero", "rng", "zero"]);
  assert.deepEqual(r.tasks.b.vvar.map(p => p.page), ["timens", "time", null, null]);
  assert.equal(r.tasks.b.vm_flags, "rd mr de dd mm sl");
  assert.deepEqual(r.steps[5].smaps, { vm_flags: "rd mr de dd mm sl", rss_kb: 8, locked_kb: 0 });
  assert.match(r.dmesg[0], /^\[ {4}2\.000000\] Linux version/);
  const kinds = r.trace.map(e => e.kind);
  for (const k of ["mlockall", "populate", "gup_fault", "map", "fork", "zap", "fault", "vdso_call"]) assert.ok(kinds.includes(k as never), k);
  const times = r.trace.map(e => e.t_ns);
  assert.ok(times.every(t => t >= 2e9), "simulated time starts at 2 s");
  assert.equal(r.trace_dropped, 0);
  const fault = r.trace.find(e => e.kind === "fault")!;
  assert.deepEqual([fault.task, fault.pgoff, fault.page, fault.latency_ns, fault.step], ["b", 0, "timens", 20000, 4]);
});

test("onStep is called before each step that runs, in order", async () => {
  const { runScenario } = await import("../../engine/machine.js");
  const { kernelModule } = await import("./helpers.js");
  const l = await compile(stageSource("p6"));
  const seen: number[] = [];
  const r = runScenario(kernelModule(), l.module, { name: "steps", steps: [
    { op: "spawn", task: "a" }, { op: "tick", ns: 1000 }, { op: "clock_gettime", task: "a", clock: "CLOCK_TAI" }] },
    { onStep: i => seen.push(i) });
  assert.ok(r.ok);
  assert.deepEqual(seen, [0, 1, 2]);
});

test("a named thread acts for its process in later steps and is not a task of its own", async () => {
  const r = run(await compile(stageSource("p6")), { name: "threads", steps: [
    { op: "spawn", task: "app" },
    { op: "thread", task: "app", thread: "worker" },
    { op: "clock_gettime", task: "worker", clock: "CLOCK_MONOTONIC", expect: { faults: 1, correct: true } },
    { op: "clock_gettime", task: "app", clock: "CLOCK_MONOTONIC", expect: { faults: 0 } },
    { op: "unshare_timens", task: "app", ns: "box" },
    { op: "setns", task: "worker", ns: "box", expect: { errno: "EUSERS" } },
  ] });
  assert.ok(r.ok, failures(r));
  assert.deepEqual(Object.keys(r.tasks), ["app"]);
  assert.equal(r.tasks.app.counters.faults, 1);
});
