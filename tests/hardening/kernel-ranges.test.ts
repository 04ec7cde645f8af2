// tests/hardening/kernel-ranges.test.ts: the kernel refuses the ranges Linux refuses. A
// learner's vdso_install_vvar_mapping() that passes a range wrapping past 2^64, a length past
// TASK_SIZE, an unaligned address or length, or a range outside [vvar]'s window gets ERR_PTR
// (the task has no [vvar], as __get_unmapped_area() / insert_vm_struct() would have it), the
// run ends quickly and nothing blames vvar_fault(). The host's loops over kernel counts are
// bounded by the kernel's own table sizes (engine/kernel-bounds.ts, checked against kernel-as).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, lessonFile, solution } from "./helpers.js";
import { nodeGradeDeps } from "../../cli/grade-submission.js";
import { MAX_TASKS, PTRS_PER_VVAR, TRACE_MAX } from "../../engine/kernel-bounds.js";
import type { RunResult, Scenario } from "../../engine/types.js";

const scenario = JSON.parse(lessonFile("scenarios/first-fault.json")) as Scenario;
const depsP = nodeGradeDeps({ deadlineMs: 5000 });

/** The lesson's solution with its install call's address and length replaced. */
function withInstall(addr: string, len: string): string {
  const src = solution();
  const out = src.replace(/_install_special_mapping\(\s*mm,\s*addr,\s*[^,]+,/, `_install_special_mapping(mm, ${addr}, ${len},`);
  assert.notEqual(out, src, "the solution calls _install_special_mapping(mm, addr, LEN, ...)");
  return out;
}

async function run(src: string): Promise<RunResult> {
  const deps = await depsP;
  const c = await deps.compile({ "datastore.ts": src });
  assert.ok(c.ok, JSON.stringify(!c.ok && c.error));
  const out = await deps.run(c.wasm, [scenario], { sourceMap: c.sourceMap });
  assert.ok(Array.isArray(out), JSON.stringify(out));
  return out[0];
}

const BAD: [string, string, string][] = [
  ["a range wrapping past 2^64", "addr", "(<u64>0 - addr) + PAGE_SIZE"],
  ["a length of 2^63", "addr", "<u64>1 << 63"],
  ["a length past TASK_SIZE", "addr", "<u64>0x800000000000"],
  ["an end past the window", "addr", "<u64>(VDSO_NR_PAGES + 64) * PAGE_SIZE"],
  ["an address below [vvar]", "addr - PAGE_SIZE * 4", "<u64>VDSO_NR_PAGES * PAGE_SIZE"],
  ["an unaligned address", "addr + 1", "<u64>VDSO_NR_PAGES * PAGE_SIZE"],
  ["an unaligned length", "addr", "<u64>VDSO_NR_PAGES * PAGE_SIZE + 1"],
  ["a length of 0", "addr", "<u64>0"],
  ["an address past TASK_SIZE", "<u64>0xfffffffffffff000", "<u64>PAGE_SIZE"],
];

for (const [what, addr, len] of BAD) {
  test(`_install_special_mapping() refuses ${what}: no [vvar], no blame on vvar_fault()`, { timeout: 120_000 }, async () => {
    const r = await run(withInstall(addr, len));
    assert.equal(r.status, "ok", JSON.stringify(r.oops));
    for (const t of Object.values(r.tasks)) assert.deepEqual(t.vvar, [], "the task has no [vvar]");
    assert.ok(r.dmesg.some(l => /did not return the new \[vvar\] VMA/.test(l)), r.dmesg.join("\n"));
    assert.ok(!r.dmesg.some(l => /vvar_fault\(\) did not return/.test(l)));
  });
}

test("the solution's own range is accepted (the checks refuse only bad ranges)", { timeout: 120_000 }, async () => {
  const r = await run(solution());
  assert.equal(r.ok, true, JSON.stringify(r.steps.flatMap(s => s.failures)));
  for (const t of Object.values(r.tasks)) assert.ok(t.vvar.length > 0 && t.vvar.length <= PTRS_PER_VVAR);
});

test("the host's loop bounds are the kernel's table sizes", () => {
  const mm = readFileSync(join(ROOT, "kernel-as", "mm_types.ts"), "utf8");
  const trace = readFileSync(join(ROOT, "kernel-as", "trace.ts"), "utf8");
  const constant = (src: string, name: string) => Number(new RegExp(`export const ${name}: u32 = (\\d+);`).exec(src)?.[1]);
  assert.equal(constant(mm, "PTRS_PER_VVAR"), PTRS_PER_VVAR);
  assert.equal(constant(mm, "MAX_TASKS"), MAX_TASKS);
  assert.equal(constant(trace, "TRACE_MAX"), TRACE_MAX);
});
