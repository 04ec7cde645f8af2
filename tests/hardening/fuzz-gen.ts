// tests/hardening/fuzz-gen.ts: a seeded generator of vvar_fault() handlers. Each is valid
// AssemblyScript that does something a learner might (or should not): return random fault
// codes, hand back random pages (in range, past the end, the zero page, forged handles),
// take and drop references, insert pages and pfns, test random fault flags and config bits,
// and install [vvar] with random VM_* flags. Same seed, same handlers.

import { submission } from "./helpers.js";
import { mulberry32 } from "../../engine/scenario-gen-rng.js";

/** The engine's seeded PRNG (mulberry32, engine/scenario-gen-rng.ts) as a bare stream in [0, 1). */
export function rng(seed: number): () => number {
  const r = mulberry32(seed);
  return () => r.next();
}

const RETURNS = ["0", "VM_FAULT_SIGBUS", "VM_FAULT_OOM", "VM_FAULT_NOPAGE", "VM_FAULT_SIGSEGV", "VM_FAULT_RETRY",
  "VM_FAULT_ERROR", "0xffffffff", "0x100", "0x2"];
const PAGES = ["vdso_data_pages", "vdso_data_pages + vmf.pgoff", "vdso_data_pages + 1", "vdso_data_pages + 99",
  "vdso_data_pages + (vmf.pgoff * 7)", "virt_to_page(vdso_k_time_data)", "virt_to_page(vdso_k_rng_data)",
  "ZERO_PAGE(vmf.address)", "pfn_to_page(0x1234)", "pfn_to_page(page_to_pfn(vdso_data_pages) + vmf.pgoff)",
  "changetype<page>(<usize>0xdeadbeef)", "changetype<page>(<usize>1)"];
const FLAGS = ["FAULT_FLAG_REMOTE", "FAULT_FLAG_WRITE", "FAULT_FLAG_USER", "0x80", "0xffffffff"];
const CONFIGS = ["CONFIG_GENERIC_GETTIMEOFDAY", "CONFIG_TIME_NS", "CONFIG_VDSO_GETRANDOM", "0", "99"];
const VM = ["VM_READ", "VM_MAYREAD", "VM_IO", "VM_DONTDUMP", "VM_MIXEDMAP", "VM_SEALED_SYSMAP", "VM_PFNMAP", "VM_LOCKED"];

/** The n-th handler of the stream for `seed`: a whole datastore.ts. */
export function generateHandler(seed: number, n: number): string {
  const r = rng(seed * 1_000_003 + n);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const lines: string[] = [];
  const stmts = 1 + Math.floor(r() * 6);
  for (let i = 0; i < stmts; i++) {
    const k = r();
    if (k < 0.2) lines.push(`  if (vmf.flags & ${pick(FLAGS)}) return ${pick(RETURNS)};`);
    else if (k < 0.35) lines.push(`  if (vmf.pgoff == ${Math.floor(r() * 8)}) return ${pick(RETURNS)};`);
    else if (k < 0.45) lines.push(`  if (!IS_ENABLED(${pick(CONFIGS)})) return ${pick(RETURNS)};`);
    else if (k < 0.55) lines.push(`  get_page(${pick(PAGES)});`);
    else if (k < 0.62) lines.push(`  put_page(${pick(PAGES)});`);
    else if (k < 0.72) lines.push(`  { const e = vmf_insert_page(vma, vmf.address + ${Math.floor(r() * 3)} * PAGE_SIZE, ${pick(PAGES)}); if (e & VM_FAULT_ERROR) return e; }`);
    else if (k < 0.78) lines.push(`  { const e = vmf_insert_pfn(vma, vmf.address, page_to_pfn(${pick(PAGES)})); if (e) return e; }`);
    else if (k < 0.83) lines.push(`  { const e = vmf_insert_mixed(vma, vmf.address, ${Math.floor(r() * 0x10000)}); if (e) return e; }`);
    else if (k < 0.9) lines.push(`  { const t = find_timens_vvar_page(vma); if (t) { get_page(t!); vmf.page = t; return 0; } }`);
    else if (k < 0.95) lines.push(`  pr_info_value(vmf.pgoff);`);
    else lines.push(`  if (vmf.pgoff > ${Math.floor(r() * 10)}) unreachable();`);
  }
  const end = r();
  if (end < 0.6) {
    const p = pick(PAGES);
    if (r() < 0.7) lines.push(`  get_page(${p});`);
    lines.push(`  vmf.page = ${p};`, `  return ${r() < 0.8 ? "0" : pick(RETURNS)};`);
  } else {
    lines.push(`  return ${pick(RETURNS)};`);
  }
  let flags = VM.filter(() => r() < 0.4);
  if (flags.length === 0) flags = ["VM_READ"];
  return submission(lines.join("\n")).replace(
    "VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP", flags.join(" | "));
}
