// learner_abi.ts: the functions a datastore may import ("kernel.*" in learner/kernel.ts).
// Not a Linux file: it is the boundary between the learner's Wasm instance and this one.
//
// The learner passes only numbers. Every function here first turns its handles back into kernel
// objects and refuses anything else: a forged handle, a stale one (a vm_fault kept from an
// earlier fault, a VMA of an mm that was torn down), a page pointer off the end of mem_map. A
// refusal is an oops (a line in dmesg, then a trap, so the host can show the learner's
// file:line), never a write into kernel state. Functions that change state work only where a
// fault handler may call them: inside vvar_fault() (and _install_special_mapping() inside
// vdso_install_vvar_mapping()). The names and signatures are exactly those of the imports in
// learner/kernel.ts; engine/learner-abi.ts lists them for the host's import check.

import { vm_area_struct, mm_struct, H_PAGE, H_CURRENT, H_VVAR_MAPPING, MAX_PFN, PAGE_SHIFT } from "./mm_types";
import { current } from "./sched";
import { vmf, in_fault, vmf_insert_page as __vmf_insert_page, vmf_insert_pfn as __vmf_insert_pfn,
         vmf_insert_mixed as __vmf_insert_mixed } from "./memory";
import { mm_from_handle, vma_from_handle, mm_handle, vma_handle, _install_special_mapping, in_install,
         install_mm } from "./mmap";
import { page_get, page_put, page_ref_count, pfn_valid, ZERO_PFN } from "./page_alloc";
import { find_timens_vvar_page as __find_timens_vvar_page } from "./time_namespace";
import { kernel_config_enabled, VDSO_NR_PAGES } from "./config";
import { vdso_data_pages_pfn, vdso_k_data_kaddr, PAGE_OFFSET } from "./datastore_pages";
import { BUG, die, WARN } from "./bug";
import { pr_begin, pr_end, pr_str, pr_u64, printk as printk_line } from "./printk";
import { TD_BAD_HANDLE, TD_GET_PAGE_FREE } from "./trace";

// ---- handle checks (each either returns the object or oopses) --------------------------------

function bad(func: string, why: string, h: u64): void {
  die("general protection fault: 0000 [#1] PREEMPT SMP", func, why, TD_BAD_HANDLE, <i64>h);
}

function check_vmf(func: string, h: u32): void {
  if (!in_fault || h != vmf.handle || h == 0) {
    bad(func, "not the vm_fault of the fault being handled (forged, or kept from an earlier fault)", h);
  }
}

function check_vma(func: string, h: u32): vm_area_struct {
  const vma = vma_from_handle(h);
  if (vma === null) bad(func, "not a live vm_area_struct", h);
  return vma!;
}

function check_mm(func: string, h: u32): mm_struct {
  const mm = mm_from_handle(h);
  if (mm === null) bad(func, "not a live mm_struct", h);
  return mm!;
}

// a page handle -> pfn; a pointer outside mem_map is an oops
function check_page(func: string, h: u32): u32 {
  const pfn = h - H_PAGE;
  if (h < H_PAGE || !pfn_valid(<u64>pfn)) bad(func, "not a struct page pointer (outside mem_map)", h);
  return pfn;
}

function check_fault_context(func: string): void {
  if (!in_fault) {
    die("general protection fault: 0000 [#1] PREEMPT SMP", func,
        "may only be called while vvar_fault() handles a fault", TD_BAD_HANDLE);
  }
}

// ---- struct vm_fault ---------------------------------------------------------------------------

export function vmf_pgoff(h: u32): u64 { check_vmf("vmf_pgoff", h); return vmf.pgoff; }
export function vmf_address(h: u32): u64 { check_vmf("vmf_address", h); return vmf.address; }
export function vmf_flags(h: u32): u32 { check_vmf("vmf_flags", h); return vmf.flags; }
export function vmf_vma(h: u32): u32 { check_vmf("vmf_vma", h); return vma_handle(vmf.vma); }
export function vmf_get_page(h: u32): u32 { check_vmf("vmf_get_page", h); return vmf.page; }
export function vmf_set_page(h: u32, page: u32): void {
  check_vmf("vmf_set_page", h);
  if (page != 0) check_page("vmf_set_page", page);
  vmf.page = page;
}

// ---- VMAs, mms, tasks --------------------------------------------------------------------------

export function vma_vm_mm(h: u32): u32 { return mm_handle(check_vma("vma_vm_mm", h).vm_mm); }
export function vma_vm_start(h: u32): u64 { return check_vma("vma_vm_start", h).vm_start; }
export function vma_vm_end(h: u32): u64 { return check_vma("vma_vm_end", h).vm_end; }
export function vma_vm_flags(h: u32): u64 { return check_vma("vma_vm_flags", h).vm_flags; }

/** task->mm; only `current` (handle 1) is ever handed out. 0 for a task without an mm. */
export function task_mm(h: u32): u32 {
  if (h != H_CURRENT) bad("task_mm", "not a task_struct (only current is valid)", h);
  const mm = changetype<usize>(current) != 0 ? current.mm : null;
  return mm === null ? 0 : mm_handle(mm);
}

// ---- configuration and the data store ------------------------------------------------------------

export function kernel_config(option: u32): u32 { return kernel_config_enabled(option) ? 1 : 0; }
export function vdso_nr_pages(): u32 { return VDSO_NR_PAGES; }
export function vdso_data_pages(): u32 { return H_PAGE + vdso_data_pages_pfn; }
export function vdso_k_data(which: u32): u64 { return vdso_k_data_kaddr(which); }
export function vdso_vvar_mapping(): u32 { return H_VVAR_MAPPING; }

// ---- what a fault handler does ------------------------------------------------------------------

export function find_timens_vvar_page(vma: u32): u32 {
  check_fault_context("find_timens_vvar_page");
  const pfn = __find_timens_vvar_page(check_vma("find_timens_vvar_page", vma));
  return pfn == 0 ? 0 : H_PAGE + pfn;
}

// the VMA must belong to the mm whose fault is being handled (its mmap_lock is the one held)
function check_insert_vma(func: string, h: u32): vm_area_struct {
  check_fault_context(func);
  const vma = check_vma(func, h);
  if (vma.vm_mm !== vmf.vma.vm_mm) {
    printk_line("the model stops here; Linux would write into the page table of that other mm without holding its mmap_lock");
    bad(func, "VMA of another mm (its mmap_lock is not held)", h);
  }
  return vma;
}

export function vmf_insert_page(vma: u32, addr: u64, page: u32): u32 {
  const v = check_insert_vma("vmf_insert_page", vma);
  return __vmf_insert_page(v, addr, check_page("vmf_insert_page", page));
}

export function vmf_insert_pfn(vma: u32, addr: u64, pfn: u64): u32 {
  return __vmf_insert_pfn(check_insert_vma("vmf_insert_pfn", vma), addr, pfn);
}

export function vmf_insert_mixed(vma: u32, addr: u64, pfn: u64): u32 {
  return __vmf_insert_mixed(check_insert_vma("vmf_insert_mixed", vma), addr, pfn);
}

export function get_page(page: u32): void {
  check_fault_context("get_page");
  const pfn = check_page("get_page", page);
  if (pfn != ZERO_PFN && page_ref_count(pfn) <= 0) {
    // folio_get(): VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio), folio), a BUG on
    // the debug kernel the model is (CONFIG_DEBUG_VM): taking a reference needs one already held
    printk_line("page dumped because: VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))");
    BUG("include/linux/mm.h:1531", "get_page+0x3c/0x50",
        "get_page() on a page with refcount 0 (a free page: taking a reference needs one already held)", TD_GET_PAGE_FREE);
  }
  page_get(pfn);
}

export function put_page(page: u32): void {
  check_fault_context("put_page");
  page_put(check_page("put_page", page));
}

export function page_to_pfn(page: u32): u64 { return <u64>check_page("page_to_pfn", page); }

/** pfn_to_page(): pointer arithmetic, like Linux: an invalid pfn gives a pointer that is
 *  refused when used. */
export function pfn_to_page(pfn: u64): u32 { return pfn < <u64>0x0e000000 ? H_PAGE + <u32>pfn : 0xffffffff; }

export function virt_to_page(kaddr: u64): u32 {
  if (kaddr < PAGE_OFFSET || kaddr >= PAGE_OFFSET + (<u64>MAX_PFN << PAGE_SHIFT)) {
    bad("virt_to_page", "not a kernel direct-map address", kaddr);
  }
  return H_PAGE + <u32>((kaddr - PAGE_OFFSET) >> PAGE_SHIFT);
}

export function zero_page(vaddr: u64): u32 { return H_PAGE + ZERO_PFN; }

/** _install_special_mapping(), from the learner's vdso_install_vvar_mapping() only, for the mm
 *  it was given. Returns the VMA handle, or 0 (the kernel's ERR_PTR) when the range is bad. */
export function install_special_mapping(mm: u32, addr: u64, len: u64, vm_flags: u64, spec: u32): u32 {
  const m = check_mm("install_special_mapping", mm);
  if (!in_install || m !== install_mm) {
    bad("install_special_mapping", "may only be called from vdso_install_vvar_mapping() for the mm it was given", mm);
  }
  if (spec != H_VVAR_MAPPING) bad("install_special_mapping", "not a vm_special_mapping", spec);
  const vma = _install_special_mapping(m, addr, len, vm_flags, spec);
  return vma === null ? 0 : vma_handle(vma);
}

/** printk(level, value): "datastore: <value>" in dmesg (level 4 adds "warn: "). */
export function printk(level: u32, value: u64): void {
  pr_begin();
  pr_str("datastore: ");
  if (level <= 4) pr_str("warn: ");
  pr_u64(value);
  pr_end();
}
