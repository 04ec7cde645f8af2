// tests/model/conformance.test.ts: the kernel model reproduces the truth table
// (docs/kernel-facts.md §7), fault by fault, for every stage of the series.
//
//   stage        scenarios (tests/conformance/...)
//   pre p1 p2    pre/
//   p3 p4        pre/, with p3/ replacing the rows where zero-filled pages replace SIGBUS
//   p5 p6        p6/
//   e3           e3/ (tests/conformance/datastores/e3-no-p3.ts: VM_IO dropped without P3)
//   v6.18        v6.18/ (stages/v6.18, the VM_PFNMAP era: the pre rows, and smaps rows v1 v2)
//
// Each stage is compiled once. Besides each step's expectations, every run is checked against
// the invariants of docs/kernel-facts.md §6.4.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateScenario } from "../../engine/validate.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { ROOT, compile, run, stageSource, failures, type Learner } from "./helpers.js";

const CONF = join(ROOT, "tests", "conformance");

function rows(dir: string): Map<string, Scenario> {
  const out = new Map<string, Scenario>();
  for (const f of readdirSync(join(CONF, dir)).filter(f => f.endsWith(".json")).sort()) {
    const v = validateScenario(JSON.parse(readFileSync(join(CONF, dir, f), "utf8")));
    assert.ok(v.ok, `${dir}/${f}: ${!v.ok && v.error.message}`);
    out.set(f.replace(/\.json$/, ""), v.scenario);
  }
  return out;
}

function merged(...dirs: string[]): Map<string, Scenario> {
  const m = new Map<string, Scenario>();
  for (const d of dirs) for (const [k, v] of rows(d)) m.set(k, v);
  return m;
}

const PLAN: [stage: string, dirs: string[], post: boolean][] = [
  ["pre", ["pre"], false], ["p1", ["pre"], false], ["p2", ["pre"], false],
  ["p3", ["pre", "p3"], false], ["p4", ["pre", "p3"], false],
  ["p5", ["p6"], true], ["p6", ["p6"], true],
];

// docs/kernel-facts.md §6.4: never VM_LOCKED; zero slots are never the shared ZERO_PAGE; the layout per namespace;
// io in VmFlags exactly before P5
function checkInvariants(r: RunResult, post: boolean): void {
  for (const [name, t] of Object.entries(r.tasks)) {
    const where = `${r.scenario}: task ${name}`;
    assert.ok(!t.vm_flags.split(" ").includes("lo"), `${where}: [vvar] is VM_LOCKED (${t.vm_flags})`);
    if (t.vm_flags) assert.equal(t.vm_flags.split(" ").includes("io"), !post, `${where}: VmFlags ${t.vm_flags}`);
    for (const p of t.vvar) assert.notEqual(p.page, "zero_page", `${where}: pgoff ${p.pgoff} maps ZERO_PAGE`);
    const p0 = t.vvar[0], p1 = t.vvar[1], p2 = t.vvar[2];
    if (t.ns !== "root" && p0?.present) assert.equal(p0.page, "timens", `${where}: pgoff 0 in a time namespace`);
    if (t.ns !== "root" && p1?.present) assert.equal(p1.page, "time", `${where}: pgoff 1 in a time namespace`);
    if (t.ns === "root" && p1?.present) assert.equal(p1.page, "zero", `${where}: pgoff 1 in the root namespace`);
    if (p2?.present) assert.ok(p2.page === "rng" || p2.page === "zero", `${where}: pgoff 2 is ${p2.page}`);
  }
}

for (const [stage, dirs, post] of PLAN) {
  test(`conformance: ${stage} reproduces the truth table (${dirs.join(" + ")})`, async () => {
    const learner = await compile(stageSource(stage));
    for (const [row, sc] of merged(...dirs)) {
      const r = run(learner, sc);
      assert.equal(r.status, "ok", `${stage} ${row}: ${failures(r)}`);
      assert.ok(r.ok, `${stage} ${row}: ${failures(r)}`);
      checkInvariants(r, post);
      if (row === "b3") checkSmaps(r, post);
    }
  });
}

// b3: smaps after mlockall (step 2) and after one clock_gettime (step 4)
function checkSmaps(r: RunResult, post: boolean): void {
  const a = r.steps[2].smaps!, b = r.steps[4].smaps!;
  assert.equal(a.vm_flags, post ? "rd mr de dd mm sl" : "rd mr io de dd mm sl");
  assert.equal(a.locked_kb, 0);
  assert.equal(b.locked_kb, 0);
  assert.equal(a.rss_kb, post ? 16 : 0);
  assert.equal(b.rss_kb, post ? 16 : 4);
}

test("conformance: e3 (VM_IO dropped without P3) stops the populate at the first hole", async () => {
  const learner: Learner = await compile(readFileSync(join(CONF, "datastores", "e3-no-p3.ts"), "utf8"));
  for (const [row, sc] of rows("e3")) {
    const r = run(learner, sc);
    assert.ok(r.ok, `e3 ${row}: ${failures(r)}`);
    const a = r.tasks.a.vvar.map(p => p.present);
    assert.deepEqual(a.slice(1), [false, true, false], "after mlockall: pgoff 0 mapped, 1 a hole, 2 read later, 3 never");
  }
});

test("conformance: the pre-series handler fails the merged table where the series changed behaviour", async () => {
  const learner = await compile(stageSource("pre"));
  const failed = [...rows("p6")].filter(([, sc]) => !run(learner, sc).ok).map(([row]) => row).sort();
  for (const row of ["b1", "b2", "c1", "d1", "e1", "f1", "j1", "k1", "k2"]) assert.ok(failed.includes(row), `pre passes p6/${row}`);
  for (const row of ["a1", "a2", "a3", "g2", "g3", "h2", "j3"]) assert.ok(!failed.includes(row), `pre fails p6/${row}`);
});

test("conformance: runs are deterministic, and the release kernel agrees with the debug kernel", async () => {
  const { readFileSync: read } = await import("node:fs");
  const { runScenario } = await import("../../engine/machine.js");
  const release = new WebAssembly.Module(read(join(ROOT, "build", "kernel.wasm")));
  const learner = await compile(stageSource("p6"));
  for (const [row, sc] of rows("p6")) {
    const a = run(learner, sc), b = run(learner, sc);
    assert.deepEqual(a, b, `p6 ${row}: two runs differ`);
    assert.deepEqual(runScenario(release, learner.module, sc, { sourceMap: learner.sourceMap }), a, `p6 ${row}: release differs`);
  }
});

// docs/kernel-facts.md §3.8: before v7.0 the same user-visible semantics came from special PTEs:
// VmFlags "pf" instead of "mm", and smaps' Rss never counts a mapped page
const V618_FLAGS = "rd mr pf io de dd sl";
test("conformance: v6.18 (VM_IO|VM_PFNMAP, vmf_insert_pfn) reproduces every pre row; smaps shows pf io and Rss 0 kB", async () => {
  const learner = await compile(stageSource("v6.18"));
  const table = rows("v6.18");
  assert.deepEqual([...rows("pre").keys()].filter(k => !table.has(k)), [], "every pre row has a v6.18 row");
  for (const [row, sc] of table) {
    const r = run(learner, sc);
    assert.equal(r.status, "ok", `v6.18 ${row}: ${failures(r)}`);
    assert.ok(r.ok, `v6.18 ${row}: ${failures(r)}`);
    checkInvariants(r, false);
    for (const t of Object.values(r.tasks)) {
      if (t.vm_flags) assert.equal(t.vm_flags, V618_FLAGS, `v6.18 ${row}: VmFlags`);
      assert.ok(!t.vvar.some(p => p.present && p.page === "zero"), `v6.18 ${row}: a zero-filled slot (P3) in the VM_PFNMAP era`);
    }
    const snaps = r.steps.filter(x => x.smaps).map(x => x.smaps!);
    for (const sm of snaps) {
      assert.equal(sm.vm_flags, V618_FLAGS, `v6.18 ${row}: smaps VmFlags`);
      assert.equal(sm.rss_kb, 0, `v6.18 ${row}: smaps Rss of [vvar] (special PTEs are not counted)`);
      assert.equal(sm.locked_kb, 0, `v6.18 ${row}: smaps Locked`);
    }
    if (row === "b3" || row === "v1" || row === "v2") assert.ok(snaps.length >= 2, `v6.18 ${row}: its smaps snapshots`);
    if (row === "v1") {
      // Rss 0 kB although pages are mapped: pgoff 0 and 2 for a, 0 and 1 for the namespace child
      assert.deepEqual(r.tasks.a.vvar.map(p => p.present), [true, false, true, false]);
      assert.deepEqual(r.tasks.b.vvar.map(p => p.present), [true, true, false, false]);
      assert.equal(r.tasks.b.vvar[0].page, "timens");
    }
  }
});

test("conformance: the pre handler fails the v6.18 smaps rows, the v6.18 handler pre's b3 (Rss, mm)", async () => {
  const pre = await compile(stageSource("pre"));
  const r = run(pre, rows("v6.18").get("v1")!);
  assert.ok(r.ok, failures(r));      // the same faults ...
  assert.equal(r.steps[4].smaps!.rss_kb, 8, "... but struct pages count in Rss (pgoff 0 and 2)");
  assert.equal(r.steps[4].smaps!.vm_flags, "rd mr io de dd mm sl");
  const v618 = await compile(stageSource("v6.18"));
  const b3 = run(v618, rows("pre").get("b3")!);
  assert.throws(() => checkSmaps(b3, false), /rd mr pf io de dd sl/);
});
