// tests/hardening/isolation.test.ts: a submission cannot change what the kernel counts, forge
// kernel objects, or flood the report: it can only behave well or badly as a fault handler.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { emitReport, FORMATS } from "../../engine/report/index.js";
import { allText, pool, reportProblems, solution, submission } from "./helpers.js";

const p = pool();
after(() => p.close());

/** The solution's vvar_fault() body, renamed so a wrapper can call it. */
function solutionAs(name: string): string {
  return solution().replace("export function vvar_fault(", `function ${name}(`)
    .replace(/export function vdso_install_vvar_mapping[\s\S]*$/, "");
}

test("scribbling over its own memory does not change what the kernel counts", { timeout: 60_000 }, async () => {
  const ref = await p.grade({ files: { "datastore.ts": solution() } });
  assert.equal(ref.status, "pass");
  // the solution, but every fault first fills the learner's whole memory with counter-like
  // values: kernel counters live in the kernel instance's memory, which is not this one
  const src = solutionAs("reference_fault").replace(/^\} from "\.\/kernel";/m, `} from "./kernel";
function scribble(): void {
  if (memory.size() == 0) memory.grow(1);
  const end = <usize>memory.size() << 16;
  for (let a: usize = 0; a + 8 <= end; a += 8) store<u64>(a, 0);
}`) + `
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  scribble();
  return reference_fault(sm, vma, vmf);
}
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP, vdso_vvar_mapping);
}
`;
  const r = await p.grade({ files: { "datastore.ts": src } });
  assert.equal(r.status, "pass", allText(r));
  assert.deepEqual(r.tests.map(t => [t.id, t.status, t.score]), ref.tests.map(t => [t.id, t.status, t.score]));
});

test("forged page and VMA handles are refused by the kernel, not trusted", { timeout: 60_000 }, async () => {
  // each forged handle is an oops naming the kernel function and what was wrong with it, in
  // every check that faulted; no check fails for another reason
  const cases: [string, RegExp][] = [
    [`
  const forged = changetype<page>(<usize>0x7fff0000);
  get_page(forged);
  vmf.page = forged;
  return 0;`, /get_page.*not a struct page pointer \(outside mem_map\)/],
    [`
  return vmf_insert_page(changetype<vm_area_struct>(<usize>12345), vmf.address, vdso_data_pages);`, /vmf_insert_page.*not a live vm_area_struct/],
  ];
  for (const [body, why] of cases) {
    const r = await p.grade({ files: { "datastore.ts": submission(body) } });
    assert.deepEqual(reportProblems(r), []);
    assert.equal(r.status, "fail");
    const failed = r.tests.filter(t => t.status !== "pass");
    assert.ok(failed.some(t => t.failure?.kind === "oops"), allText(r));
    for (const t of failed) {
      assert.ok(t.failure?.kind === "oops" || t.failure?.kind === "blocked", `${t.id}: ${JSON.stringify(t.failure)}`);
      if (t.failure.kind === "oops") assert.match(t.failure.message, why, t.id);
    }
  }
});

test("a huge abort() message is capped in every report format", { timeout: 60_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": submission(`
  let s = "x";
  for (let i = 0; i < 18; i++) s += s;   // 256 K characters
  throw new Error(s);`) } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.score, 0);
  for (const f of FORMATS) {
    const out = emitReport(r, f, { reveal: true });
    assert.ok(out.length < 200_000, `${f}: ${out.length} characters`);
  }
});
