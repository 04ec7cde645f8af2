// tests/model/random-walk.test.ts: seeded random scenarios (every op, valid names) against the
// reference handlers. The reference handlers never oops, so any oops or internal error here is a
// kernel-model bug; the run must be deterministic and keep the invariants of docs/kernel-facts.md §6.4.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClockName, McFlag, RemoteVia, Scenario, Step } from "../../engine/types.js";
import { compile, run, stageSource } from "./helpers.js";

// a small deterministic PRNG (LCG), so failures reproduce from the seed
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

const CLOCKS: ClockName[] = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_MONOTONIC_RAW", "CLOCK_MONOTONIC_COARSE",
  "CLOCK_BOOTTIME", "CLOCK_TAI", "CLOCK_PROCESS_CPUTIME_ID"];
const FLAGS: McFlag[][] = [["MCL_CURRENT"], ["MCL_CURRENT", "MCL_FUTURE"], ["MCL_FUTURE"], ["MCL_CURRENT", "MCL_ONFAULT"], ["MCL_ONFAULT"]];
const VIAS: RemoteVia[] = ["proc_mem", "process_vm_readv", "ptrace_peekdata"];

function scenario(seed: number): Scenario {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const tasks = ["t0"];
  const nss: string[] = [];
  const steps: Step[] = [{ op: "spawn", task: "t0" }];
  for (let i = 0; i < 30; i++) {
    const task = pick(tasks);
    const pgoff = Math.floor(r() * 4);
    const k = Math.floor(r() * 17);
    let s: Step;
    switch (k) {
      case 0: s = { op: "spawn", task: `t${tasks.length}` }; tasks.push(s.task); break;
      case 1: s = { op: "fork", task, child: `t${tasks.length}` }; tasks.push(s.child); break;
      case 2: s = { op: "vfork_exec", task, child: `t${tasks.length}` }; tasks.push(s.child); break;
      case 3: s = { op: "exec", task }; break;
      case 4: s = { op: "unshare_timens", task, ns: `n${nss.length}`, monotonic_offset_s: Math.floor(r() * 1000) }; nss.push(s.ns); break;
      case 5: s = { op: "setns", task, ns: nss.length && r() < 0.8 ? pick(nss) : "root" }; break;
      case 6: s = { op: "mlockall", task, flags: pick(FLAGS) }; break;
      case 7: s = { op: "munlockall", task }; break;
      case 8: s = { op: "mlock", task, pgoff, pages: 1 + Math.floor(r() * (4 - pgoff)) }; break;
      case 9: s = { op: "madvise_populate_read", task, pgoff, pages: 1 }; break;
      case 10: s = { op: "clock_gettime", task, clock: pick(CLOCKS), repeat: 1 + Math.floor(r() * 50) }; break;
      case 11: s = { op: "getrandom", task, repeat: 3 }; break;
      case 12: s = { op: "read", task, pgoff: r() < 0.5 ? 0 : pgoff }; break;
      case 13: s = { op: r() < 0.8 ? "remote_read" : "remote_write", task, target: pick(tasks), pgoff, via: pick(VIAS) }; break;
      case 14: s = { op: "tick", ns: 1_000_000 }; break;
      case 15: s = { op: "thread", task }; break;
      default: s = { op: "smaps", task }; break;
    }
    steps.push(s);
  }
  const config = { VDSO_GETRANDOM: r() < 0.8, ARCH_HAS_VDSO_ARCH_DATA: r() < 0.3, arch_data_pages: 1 + Math.floor(r() * 3) };
  return { name: `walk-${seed}`, config, steps };
}

for (const stage of ["pre", "p3", "p6"]) {
  test(`random walks on ${stage}: no oops, deterministic, invariants hold`, async () => {
    const l = await compile(stageSource(stage));
    for (let seed = 1; seed <= 25; seed++) {
      const sc = scenario(seed * 7919 + stage.length);
      const a = run(l, sc);
      assert.equal(a.status, "ok", `${sc.name}: ${a.oops?.message}`);
      assert.deepEqual(run(l, sc), a, `${sc.name}: not deterministic`);
      for (const [name, t] of Object.entries(a.tasks)) {
        assert.ok(!t.vm_flags.includes("lo"), `${sc.name} ${name}: VM_LOCKED`);
        for (const p of t.vvar) assert.notEqual(p.page, "zero_page", `${sc.name} ${name}: ZERO_PAGE mapped`);
        assert.equal(t.counters.warns, 0, `${sc.name} ${name}: a WARN`);
        assert.equal(t.counters.bugs, 0, `${sc.name} ${name}: a BUG`);
        if (t.ns !== "root" && t.vvar[0]?.present) assert.equal(t.vvar[0].page, "timens", `${sc.name} ${name}: pgoff 0`);
      }
      for (const s of a.steps) {
        if (s.op === "clock_gettime" && s.errno === null && s.signal === null) assert.equal(s.correct, true, `${sc.name} #${s.index}: wrong time`);
      }
    }
  });
}
