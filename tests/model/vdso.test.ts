// tests/model/vdso.test.ts: the user-side vDSO of the model: every clock id in the root and in a
// time namespace, COARSE clocks and ticks, syscall fallbacks, simulated latency.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClockName, Scenario, Step } from "../../engine/types.js";
import { compile, run, stageSource, failures } from "./helpers.js";

const CLOCKS: ClockName[] = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
  "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM",
  "CLOCK_BOOTTIME_ALARM", "CLOCK_TAI"];
/** clocks the vDSO does not serve: always the syscall */
const SYSCALL_ONLY = new Set(["CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM"]);

test("every clock id reads the right time, in the root namespace and in a time namespace", async () => {
  const l = await compile(stageSource("p6"));
  for (const ns of [false, true]) {
    const task = ns ? "b" : "a";
    const steps: Step[] = [{ op: "spawn", task: "a" }];
    if (ns) steps.push({ op: "unshare_timens", task: "a", ns: "t", monotonic_offset_s: 1000, boottime_offset_s: 2000 },
                       { op: "fork", task: "a", child: "b" });
    steps.push({ op: "clock_gettime", task, clock: "CLOCK_MONOTONIC" }, { op: "tick", ns: 4_000_000 });
    for (const clock of CLOCKS) {
      steps.push({ op: "clock_gettime", task, clock, repeat: 3,
                   expect: { correct: true, faults: 0, syscall_fallbacks: SYSCALL_ONLY.has(clock) ? 3 : 0 } });
    }
    const r = run(l, { name: ns ? "clocks-timens" : "clocks-root", steps });
    assert.ok(r.ok, failures(r));
  }
});

test("a namespace's offsets show in MONOTONIC and BOOTTIME, not in REALTIME", async () => {
  const l = await compile(stageSource("p6"));
  const read = (clock: ClockName, task: string): Step => ({ op: "clock_gettime", task, clock });
  const r = run(l, { name: "offsets", steps: [
    { op: "spawn", task: "a" }, { op: "unshare_timens", task: "a", ns: "t", monotonic_offset_s: 1000, boottime_offset_s: 2000 },
    { op: "fork", task: "a", child: "b" },
    read("CLOCK_MONOTONIC", "a"), read("CLOCK_MONOTONIC", "b"), read("CLOCK_BOOTTIME", "a"), read("CLOCK_BOOTTIME", "b"),
    read("CLOCK_REALTIME", "a"), read("CLOCK_REALTIME", "b")] });
  assert.ok(r.ok, failures(r));
  const v = r.steps.slice(3).map(s => BigInt(s.value!));
  const s = 1_000_000_000n;
  const near = (d: bigint, want: bigint) => d > want - s / 10n && d < want + s / 10n;
  assert.ok(near(v[1] - v[0], 1000n * s), `monotonic: ${v[1] - v[0]}`);
  assert.ok(near(v[3] - v[2], 2000n * s), `boottime: ${v[3] - v[2]}`);
  assert.ok(near(v[5] - v[4], 0n), `realtime: ${v[5] - v[4]}`);
  assert.ok(v[4] > 1_795_000_000n * s, "CLOCK_REALTIME is a 2026 date");
});

test("COARSE clocks move only with ticks; the time page's seq stays even", async () => {
  const l = await compile(stageSource("p6"));
  const r = run(l, { name: "coarse", steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC_COARSE" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC_COARSE", repeat: 1000 },
    { op: "tick", ns: 4_000_000 },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC_COARSE", expect: { correct: true } },
    { op: "read", task: "a", pgoff: 0, offset: 0 }] });
  assert.ok(r.ok, failures(r));
  assert.equal(r.steps[1].value, r.steps[2].value, "no tick, no change");
  // the tick publishes "now": the first call's fault (20 us) and 1001 calls (25 ns each) earlier, plus 4 ms
  assert.equal(BigInt(r.steps[4].value!) - BigInt(r.steps[2].value!), 4_000_000n + 20_000n + 1001n * 25n);
  assert.equal(BigInt(r.steps[5].value!) & 1n, 0n, "seq is even");
});

test("simulated latency: a fault costs fault_exception_ns, a present page vdso_call_ns, a fallback syscall_ns", async () => {
  const l = await compile(stageSource("p6"));
  const costs = { fault_exception_ns: 20000, vdso_call_ns: 30, syscall_ns: 400 };
  const r = run(l, { name: "latency", costs, steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", repeat: 10 },
    { op: "clock_gettime", task: "a", clock: "CLOCK_PROCESS_CPUTIME_ID", repeat: 2 }] });
  assert.ok(r.ok, failures(r));
  assert.deepEqual(r.steps[1].latency_ns, { max: 20030, total: 20030 + 9 * 30 });
  assert.equal(r.steps[1].calls, 10);
  assert.deepEqual(r.steps[2].latency_ns, { max: 430, total: 860 });
  const faults = r.trace.filter(e => e.kind === "fault");
  assert.equal(faults.length, 1);
  assert.equal(faults[0].latency_ns, 20000);
  assert.equal(faults[0].page, "time");
});

test("without CONFIG_GENERIC_GETTIMEOFDAY clock_gettime is a syscall and [vvar] is never touched", async () => {
  const l = await compile(stageSource("pre"));
  const sc: Scenario = { name: "no-gtod", config: { GENERIC_GETTIMEOFDAY: false }, steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_REALTIME", repeat: 5,
      expect: { faults: 0, handler_calls: 0, syscall_fallbacks: 5, correct: true } }] };
  const r = run(l, sc);
  assert.ok(r.ok, failures(r));
});

test("a million clock_gettime calls are one step, looped inside the kernel", async () => {
  const l = await compile(stageSource("p6"));
  const r = run(l, { name: "million", steps: [
    { op: "spawn", task: "a" }, { op: "mlockall", task: "a", flags: ["MCL_CURRENT"] },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", repeat: 1_000_000, expect: { faults: 0, correct: true } }] });
  assert.ok(r.ok, failures(r));
  assert.equal(r.steps[2].calls, 1_000_000);
  assert.equal(r.steps[2].latency_ns!.total, 25 * 1_000_000);
  assert.ok(r.trace.length < 50, "hits are not traced one by one");
});
