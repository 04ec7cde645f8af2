// tests/model/learner-boundary.test.ts: what the learner's module can and cannot do to the
// kernel. A refused import never links; forged or stale handles and traps in learner code are
// oopses with a message (and the learner's file:line), never writes into kernel state.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Scenario } from "../../engine/types.js";
import { compile, run, variant, stageSource } from "./helpers.js";
import { runScenario } from "../../engine/machine.js";
import { kernelModule } from "./helpers.js";

const SIMPLE: Scenario = { name: "simple", steps: [
  { op: "spawn", task: "a" },
  { op: "read", task: "a", pgoff: 0 },
  { op: "read", task: "a", pgoff: 2 },
  { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC" },
] };

const FIRST_LINE = "export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {\n";

// p6 with `code` inserted at the top of vvar_fault()
function withPrologue(code: string, prelude = ""): string {
  return prelude + variant("p6", [[FIRST_LINE, FIRST_LINE + code + "\n"]]);
}

function lineOf(src: string, needle: string): number {
  return src.slice(0, src.indexOf(needle)).split("\n").length;
}

test("a datastore importing something outside kernel.ts is refused at link time, naming the import", async () => {
  const l = await compile(withPrologue("  if (Date.now() < 0) return 0;"));
  assert.throws(() => run(l, SIMPLE), (e: unknown) =>
    e instanceof WebAssembly.LinkError && /env\.Date\.now/.test(e.message));
  // a kernel export that is not part of the learner ABI (a step entry point) is refused too
  const sneaky = await compile(withPrologue("  __spawn();",
    '@external("kernel", "step_spawn") declare function __spawn(): i32;\n'));
  assert.throws(() => run(sneaky, SIMPLE), (e: unknown) =>
    e instanceof WebAssembly.LinkError && /kernel\.step_spawn/.test(e.message));
});

test("a forged vm_fault handle is an oops in the report, and the rest of the scenario does not run", async () => {
  const src = withPrologue("  if (vmf.pgoff == 2) return <u32>changetype<vm_fault>(<usize>0x20000777).pgoff;");
  const r = run(await compile(src), SIMPLE);
  assert.equal(r.status, "oops");
  assert.equal(r.oops?.step, 2);
  assert.match(r.oops!.message, /^vmf_pgoff: .*forged/);
  assert.equal(r.oops?.file, "datastore.ts");
  assert.equal(r.oops?.line, lineOf(src, "0x20000777"));
  assert.ok(r.dmesg.some(l => /Oops: general protection fault/.test(l)), r.dmesg.join("\n"));
  assert.deepEqual(r.steps.map(s => s.ran), [true, true, true, false]);
  assert.equal(r.ok, false);
});

test("a vm_fault kept from an earlier fault is stale: using it is an oops", async () => {
  const src = withPrologue(
    "  if (saved != 0) { const old = changetype<vm_fault>(saved); if (old.pgoff > 100) return VM_FAULT_SIGBUS; }\n" +
    "  saved = changetype<usize>(vmf);", "let saved: usize = 0;\n");
  const r = run(await compile(src), SIMPLE);
  assert.equal(r.status, "oops");
  assert.equal(r.oops?.step, 2, "the second fault uses the first fault's vmf");
  assert.match(r.oops!.message, /vmf_pgoff: .*earlier fault/);
});

test("forged page and VMA pointers are oopses; the kernel's counters are not touched", async () => {
  const page = await compile(withPrologue("  if (vmf.pgoff == 2) { vmf.page = changetype<page>(<usize>0x7777); return 0; }"));
  const r = run(page, SIMPLE);
  assert.equal(r.status, "oops");
  assert.match(r.oops!.message, /vmf_set_page: not a struct page pointer/);
  const vma = await compile(withPrologue(
    "  if (vmf.pgoff == 2) return vmf_insert_page(changetype<vm_area_struct>(<usize>0x30000099), vmf.address, vdso_data_pages);"));
  const r2 = run(vma, SIMPLE);
  assert.match(r2.oops!.message, /vmf_insert_page: not a live vm_area_struct/);
  assert.equal(r2.steps[2].deltas.minflt, 0);
  assert.equal(r2.tasks.a.vvar[2].present, false);
});

test("state-changing kernel functions refuse to run outside a fault", async () => {
  const src = variant("p6", [["  return _install_special_mapping(", "  get_page(vdso_data_pages);\n  return _install_special_mapping("]]);
  const r = run(await compile(src), SIMPLE);
  assert.equal(r.status, "oops");
  assert.equal(r.oops?.step, 0);
  assert.match(r.oops!.message, /get_page: may only be called while vvar_fault\(\) handles a fault/);
});

test("an assert in learner code is an oops with the learner's file:line and message", async () => {
  const src = withPrologue('  assert(vmf.pgoff != VDSO_RNG_PAGE_OFFSET, "no rng page today");');
  const r = run(await compile(src), SIMPLE);
  assert.equal(r.status, "oops");
  assert.equal(r.oops?.message, "abort: no rng page today");
  assert.equal(r.oops?.file, "datastore.ts");
  assert.equal(r.oops?.line, lineOf(src, "no rng page today"));
  assert.equal(r.oops?.step, 2);
  assert.ok(r.dmesg.some(l => /^\[ +\d+\.\d{6}\] Oops: abort: no rng page today at datastore\.ts:/.test(l)), r.dmesg.join("\n"));
});

test("a raw trap (unreachable) in learner code is located through the source map", async () => {
  const src = withPrologue("  if (vmf.pgoff == VDSO_RNG_PAGE_OFFSET) unreachable();");
  const r = run(await compile(src), SIMPLE);
  assert.equal(r.status, "oops");
  assert.match(r.oops!.message, /unreachable/);
  assert.equal(r.oops?.file, "datastore.ts");
  assert.equal(r.oops?.line, lineOf(src, "unreachable()"));
});

test("the learner's start function runs after boot and can read the data store layout", async () => {
  const src = stageSource("p6").replace("export function vvar_fault", "const NR_AT_START = VDSO_NR_PAGES;\nexport function vvar_fault")
    .replace("  get_page(pg);", "  if (NR_AT_START != 6) return VM_FAULT_SIGBUS;\n  get_page(pg);")
    .replace("PAGE_SIZE, FAULT_FLAG_REMOTE,", "PAGE_SIZE, FAULT_FLAG_REMOTE, VDSO_NR_PAGES,");
  const l = await compile(src);
  const r = runScenario(kernelModule(), l.module, { ...SIMPLE, config: { ARCH_HAS_VDSO_ARCH_DATA: true, arch_data_pages: 3 } });
  assert.ok(r.ok, JSON.stringify(r.steps.map(s => s.failures)));
  assert.equal(r.tasks.a.vvar.length, 6);
  assert.equal(r.steps[1].page, "time");
});

test("every function of kernel.ts links against the kernel with the same signature", async () => {
  // a handler that references the whole API (on a path never taken), so the module imports it all
  const use = `
  if (vmf.pgoff == 999) {
    const m = current.mm; const vm = vma.vm_mm;
    let x: u64 = vma.vm_start + vma.vm_end + vma.vm_flags + <u64>vmf.flags + vmf.address + <u64>(m == vm);
    x += page_to_pfn(pfn_to_page(1)) + page_to_pfn(ZERO_PAGE(0)) + page_to_pfn(virt_to_page(vdso_k_time_data));
    x += vdso_k_rng_data + vdso_k_arch_data + <u64>IS_ENABLED(CONFIG_TIME_NS);
    const p = vmf.page; if (p) put_page(p);
    x += <u64>vmf_insert_mixed(vmf.vma, vmf.address, 1) + <u64>vmf_insert_pfn(vma, vmf.address, 1);
    pr_info_value(x); pr_warn_value(x);
    return <u32>x;
  }`;
  const src = withPrologue(use, "").replace("PAGE_SIZE, FAULT_FLAG_REMOTE,",
    "PAGE_SIZE, FAULT_FLAG_REMOTE, current, page_to_pfn, pfn_to_page, ZERO_PAGE, virt_to_page, vdso_k_time_data, " +
    "vdso_k_rng_data, vdso_k_arch_data, put_page, vmf_insert_mixed, vmf_insert_pfn, pr_info_value, pr_warn_value,");
  const l = await compile(src);
  const imported = WebAssembly.Module.imports(l.module).filter(i => i.module === "kernel").map(i => i.name).sort();
  const { KERNEL_IMPORTS } = await import("../../engine/learner-abi.js");
  assert.deepEqual(imported, [...KERNEL_IMPORTS].sort(), "the datastore imports the whole kernel API");
  const r = run(l, SIMPLE);
  assert.ok(r.ok, JSON.stringify(r.steps.map(s => s.failures)));
});
