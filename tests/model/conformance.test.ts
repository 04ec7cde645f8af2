// tests/model/conformance.test.ts: the kernel model reproduces the truth table
// (docs/kernel-facts.md §7), fault by fault, for every stage of the series.
//
//   stage        scenarios (tests/conformance/...)
//   pre p1 p2    pre/
//   p3 p4        pre/, with p3/ replacing the rows where zero-filled pages replace SIGBUS
//   p5 p6        p6/
//   e3           e3/ (tests/conformance/datastores/e3-no-p3.ts: VM_IO dropped without P3)
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

test("conformance: the v6.18 handler (VM_IO|VM_PFNMAP, vmf_insert_pfn) behaves as pre on every pre row", async () => {
  // docs/kernel-facts.md §3.8: before v7.0 the same user-visible semantics came from special PTEs
  const src = stageSource("pre")
    .replace("  get_page(pg);\n  vmf.page = pg;\n  return 0;", "  return vmf_insert_pfn(vma, vmf.address, page_to_pfn(pg));")
    .replace("const err = vmf_insert_page(vma, addr, pg);", "const err = vmf_insert_pfn(vma, addr, page_to_pfn(pg));")
    .replace("VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP", "VM_DONTDUMP | VM_PFNMAP | VM_SEALED_SYSMAP")
    .replace("VM_FAULT_SIGBUS, VM_FAULT_ERROR,", "VM_FAULT_SIGBUS, VM_FAULT_ERROR, VM_PFNMAP, vmf_insert_pfn, page_to_pfn,");
  assert.ok(!src.includes("vmf.page = pg") && src.includes("VM_PFNMAP | VM_SEALED_SYSMAP"));
  const learner = await compile(src);
  for (const [row, sc] of rows("pre")) {
    const r = run(learner, sc);
    assert.ok(r.ok, `v6.18 ${row}: ${failures(r)}`);
    if (row === "b3") assert.equal(r.steps[2].smaps!.vm_flags, "rd mr pf io de dd sl");
  }
});
