// tests/unit/fixtures.ts: learner sources used by the unit, runner and CLI tests.
// (Plain strings: these are AssemblyScript, compiled by the real asc in the tests.)

/** A post-series datastore (map by pgoff, zero slots, refuse remote faults), written the way a
 *  learner would; it does not depend on the stages/ folder. */
export const DATASTORE_POST = `import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, page,
  vdso_data_pages, get_page, find_timens_vvar_page, vmf_insert_page, _install_special_mapping,
  vdso_vvar_mapping, IS_ENABLED, CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS,
  VM_FAULT_SIGBUS, VM_FAULT_ERROR, FAULT_FLAG_REMOTE, VDSO_NR_PAGES, VDSO_TIME_PAGE_OFFSET,
  VDSO_TIMENS_PAGE_OFFSET, PAGE_SIZE, VM_READ, VM_MAYREAD, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;
  const pgoff = vmf.pgoff;
  if (pgoff >= VDSO_NR_PAGES) return VM_FAULT_SIGBUS;
  let p: page = vdso_data_pages + pgoff;
  const timens = find_timens_vvar_page(vma);
  if (pgoff == VDSO_TIME_PAGE_OFFSET) {
    if (IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY) && timens) {
      const err = vmf_insert_page(vma, vmf.address + PAGE_SIZE, vdso_data_pages);
      if (err & VM_FAULT_ERROR) return err;
      p = timens;
    }
  } else if (pgoff == VDSO_TIMENS_PAGE_OFFSET) {
    if (IS_ENABLED(CONFIG_TIME_NS) && timens) p = vdso_data_pages;
  }
  get_page(p);
  vmf.page = p;
  return 0;
}

export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP, vdso_vvar_mapping);
}
`;

/** DATASTORE_POST whose handler never returns. */
export const DATASTORE_SPIN = DATASTORE_POST.replace(
  "if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;",
  "while (vmf.pgoff < 1000) { /* spin */ }\n  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;");

/** DATASTORE_POST whose handler traps (unreachable) on line 12. */
export const DATASTORE_TRAP = DATASTORE_POST.replace(
  "if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;",
  "if (vmf.pgoff < 1000) unreachable();");

/** Line (1-based) of the unreachable() in DATASTORE_TRAP. */
export const DATASTORE_TRAP_LINE = DATASTORE_TRAP.split("\n").findIndex(l => l.includes("unreachable()")) + 1;

/** DATASTORE_POST whose handler never returns for pgoff 2 only: a scenario runs until the first
 *  fault on that page (LATE_HANG_SCENARIO's step 2). */
export const DATASTORE_SPIN_PGOFF2 = DATASTORE_POST.replace(
  "if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;",
  "while (vmf.pgoff == 2) { /* spin */ }\n  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;");

/** Steps 0 and 1 run (step 1 faults once); step 2 faults on pgoff 2, where DATASTORE_SPIN_PGOFF2 hangs. */
export const LATE_HANG_SCENARIO = {
  name: "late-hang",
  steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", expect: { faults: 1 } },
    { op: "read", task: "a", pgoff: 2 },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC" },
  ],
} as const;

/** DATASTORE_POST with a recursive generic that makes asc crash (stack overflow) and call
 *  process.exit(1) (the reproducer of tests/hardening/compile.test.ts). */
export const DATASTORE_ASC_CRASH = DATASTORE_POST
  .replace("export function vvar_fault(",
    "function f<T>(x: T): i32 { return f<StaticArray<T>>(changetype<StaticArray<T>>(0)); }\n\nexport function vvar_fault(")
  .replace("if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;",
    "if (vmf.flags & FAULT_FLAG_REMOTE) return <u32>f<i32>(1);");

/** DATASTORE_POST with 2^depth generic instantiations from ~depth lines: asc runs for minutes. */
export function datastoreSlowCompile(depth = 22): string {
  let pre = "class P<A, B> { a: i32 = 0; }\nfunction f0<T>(): i32 { return sizeof<T>() as i32; }\n";
  for (let i = 1; i <= depth; i++) pre += `function f${i}<T>(): i32 { return f${i - 1}<P<T, i32>>() + f${i - 1}<P<T, i64>>(); }\n`;
  return DATASTORE_POST
    .replace("export function vvar_fault(", `${pre}\nexport function vvar_fault(`)
    .replace("if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;",
      `if (vmf.flags & FAULT_FLAG_REMOTE) return <u32>f${depth}<i32>() & 0;`);
}
