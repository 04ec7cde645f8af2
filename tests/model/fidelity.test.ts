// tests/model/fidelity.test.ts: the rows of docs/fidelity.md. Each folder of
// tests/conformance/fidelity/ is run with the handler of the same name: the merged one
// (stages/p6) or the one before the series (stages/pre), or a student's variant of the merged
// one, built here by a few edits. Rows that end in an oops are listed in OOPS with the step and
// the words the oops must carry; every other row must meet all its expectations.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateScenario } from "../../engine/validate.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { ROOT, compile, run, stageSource, variant, failures } from "./helpers.js";

const DIR = join(ROOT, "tests", "conformance", "fidelity");
const FLAGS = "VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,";
const IMPORTS = "VM_READ, VM_MAYREAD, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,";
const RNG = "    case VDSO_RNG_PAGE_OFFSET:\n      break;";

/** p6 with extra imports and [vvar] flags `flags` (replacing the merged ones). */
const withFlags = (flags: string, names: string): [string, string][] =>
  [[FLAGS, `${flags},`], [IMPORTS, `${IMPORTS} ${names},`]];
/** p6 whose rng page (pgoff 2) returns `code`. */
const rngReturns = (code: string): [string, string][] =>
  [[RNG, `    case VDSO_RNG_PAGE_OFFSET:\n      return ${code};`], [IMPORTS, `${IMPORTS} ${code},`]];

const VARIANTS: Record<string, () => string> = {
  p6: () => stageSource("p6"),
  pre: () => stageSource("pre"),
  dontcopy: () => variant("p6", withFlags("VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP | VM_DONTCOPY", "VM_DONTCOPY")),
  wipeonfork: () => variant("p6", withFlags("VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP | VM_WIPEONFORK", "VM_WIPEONFORK")),
  "no-mixedmap": () => variant("p6", withFlags("VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_SEALED_SYSMAP", "VM_MAYWRITE")),
  maywrite: () => variant("p6", withFlags("VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP", "VM_MAYWRITE")),
  oom: () => variant("p6", rngReturns("VM_FAULT_OOM")),
  hwpoison: () => variant("p6", rngReturns("VM_FAULT_HWPOISON")),
  sigsegv: () => variant("p6", rngReturns("VM_FAULT_SIGSEGV")),
  fallback: () => variant("p6", rngReturns("VM_FAULT_FALLBACK")),
  retry: () => variant("p6", rngReturns("VM_FAULT_RETRY")),
  "mixed-pfnmap": () => variant("p6", [
    [RNG, "    case VDSO_RNG_PAGE_OFFSET:\n      return vmf_insert_mixed(vma, vmf.address, page_to_pfn(pg));"],
    [FLAGS, "VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_PFNMAP | VM_SEALED_SYSMAP,"],
    [IMPORTS, `${IMPORTS} VM_PFNMAP, vmf_insert_mixed, page_to_pfn,`]]),
  "mixed-and-pfnmap": () => variant("p6", withFlags("VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_PFNMAP | VM_SEALED_SYSMAP", "VM_PFNMAP")),
};

/** Rows that end in an oops: the step, and what the oops message and dmesg must say. */
const OOPS: Record<string, { step: number; message: RegExp; dmesg: RegExp[] }> = {
  "oom/oom-user-fault": { step: 1, message: /do_user_addr_fault: .*VM_FAULT_OOM/,
    dmesg: [/Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF/, /the model stops here; Linux would retry this fault for ever/] },
  "fallback/fallback-user-fault": { step: 1, message: /do_user_addr_fault: .*VM_FAULT_FALLBACK/,
    dmesg: [/kernel BUG at arch\/x86\/mm\/fault.c:\d+!/] },
  "fallback/fallback-gup": { step: 1, message: /faultin_page: .*VM_FAULT_FALLBACK/, dmesg: [/kernel BUG at mm\/gup.c:\d+!/] },
  "retry/retry-user-fault": { step: 1, message: /do_user_addr_fault: .*VM_FAULT_RETRY/,
    dmesg: [/Oops: retry loop/, /the model stops here; Linux would retry this fault for ever/] },
  "retry/retry-gup": { step: 1, message: /__get_user_pages: .*VM_FAULT_RETRY: get_user_pages would retry the page for ever/,
    dmesg: [/Oops: retry loop/, /the model stops here; Linux would retry the fault for ever/] },
  "retry/retry-mlockall": { step: 1, message: /__get_user_pages: .*VM_FAULT_RETRY: get_user_pages would retry the page for ever/,
    dmesg: [/Oops: retry loop/, /the model stops here; Linux would retry the fault for ever/] },
};

function rowsOf(v: string): [string, Scenario][] {
  return readdirSync(join(DIR, v)).filter(f => f.endsWith(".json")).sort().map(f => {
    const res = validateScenario(JSON.parse(readFileSync(join(DIR, v, f), "utf8")));
    assert.ok(res.ok, `${v}/${f}: ${!res.ok && res.error.message}`);
    return [f.replace(/\.json$/, ""), res.scenario] as [string, Scenario];
  });
}

test("fidelity: every folder names a handler, every oops row exists", () => {
  const dirs = readdirSync(DIR).sort();
  assert.deepEqual(dirs, Object.keys(VARIANTS).sort());
  for (const k of Object.keys(OOPS)) assert.ok(rowsOf(k.split("/")[0]).some(([r]) => r === k.split("/")[1]), k);
});

for (const v of Object.keys(VARIANTS)) {
  test(`fidelity: ${v}`, async () => {
    const learner = await compile(VARIANTS[v]());
    for (const [row, sc] of rowsOf(v)) {
      const r: RunResult = run(learner, sc);
      const oops = OOPS[`${v}/${row}`];
      if (oops) {
        assert.equal(r.status, "oops", `${v}/${row}: ${failures(r)}`);
        assert.equal(r.oops?.step, oops.step, `${v}/${row}: oops step`);
        assert.match(r.oops!.message, oops.message);
        for (const re of oops.dmesg) assert.ok(r.dmesg.some(l => re.test(l)), `${v}/${row}: no ${re} in\n${r.dmesg.join("\n")}`);
      } else {
        assert.equal(r.status, "ok", `${v}/${row}: ${failures(r)}`);
        assert.ok(r.ok, `${v}/${row}: ${failures(r)}`);
      }
    }
  });
}

test("fidelity: a COW write leaves the shared time page as it was, for everybody else", async () => {
  const learner = await compile(VARIANTS.maywrite());
  const [, sc] = rowsOf("maywrite").find(([r]) => r === "remote-write-cow")!;
  const r = run(learner, sc);
  assert.ok(r.ok, failures(r));
  // c was spawned after both writes: its clock reads the shared page, so it is still right
  assert.equal(r.tasks.c.vvar[0].page, "time");
  assert.ok(r.trace.some(e => e.kind === "map" && e.page === "anon" && /copy-on-write/.test(e.detail ?? "")), "the COW is traced");
});

test("fidelity: HWPOISON is a SIGBUS with BUS_MCEERR_AR and the MCE line, SIGBUS otherwise BUS_ADRERR", async () => {
  const learner = await compile(VARIANTS.hwpoison());
  const [, sc] = rowsOf("hwpoison")[0];
  const r = run(learner, sc);
  assert.ok(r.ok, failures(r));
  assert.ok(r.dmesg.some(l => /MCE: Killing prefault-1:1 due to hardware memory corruption fault at 7ffff7fba000/.test(l)), r.dmesg.join("\n"));
  assert.ok(r.trace.some(e => e.kind === "sigbus" && /BUS_MCEERR_AR/.test(e.detail ?? "")));
  const poisoned = r.steps.filter(s => s.signal === "SIGBUS");
  assert.ok(poisoned.length > 0);
  for (const s of poisoned) assert.equal(s.si_code, "BUS_MCEERR_AR", `step ${s.op}`);
  // a hole (pgoff 1 in the root namespace before the series) is BUS_ADRERR
  const hole = run(await compile(stageSource("pre")), { name: "hole", steps: [{ op: "spawn", task: "a" }, { op: "read", task: "a", pgoff: 1 }] });
  assert.equal(hole.steps[1].signal, "SIGBUS");
  assert.equal(hole.steps[1].si_code, "BUS_ADRERR");
  // no signal, no si_code
  assert.equal(hole.steps[0].si_code, undefined);
});

test("fidelity: a child without [vvar] (VM_DONTCOPY) dies of SIGSEGV with SEGV_MAPERR", async () => {
  const r = run(await compile(VARIANTS.dontcopy()), rowsOf("dontcopy")[0][1]);
  const segv = r.steps.filter(s => s.signal === "SIGSEGV");
  assert.ok(segv.length > 0, JSON.stringify(r.steps));
  for (const s of segv) assert.equal(s.si_code, "SEGV_MAPERR");
});

test("fidelity: fork events say what dup_mmap() did with [vvar]", async () => {
  for (const [v, words] of [["dontcopy", /not copied \(VM_DONTCOPY\)/], ["wipeonfork", /without its PTEs/],
                            ["no-mixedmap", /PTEs not copied/]] as const) {
    const r = run(await compile(VARIANTS[v]()), rowsOf(v)[0][1]);
    const ev = r.trace.find(e => e.kind === "fork");
    assert.match(ev?.detail ?? "", words, `${v}: ${ev?.detail}`);
    assert.match(ev?.detail ?? "", /^child b/);
  }
});
