// memory.ts: the fault path, the insert helpers a fault handler may call, and zap.
// Models: mm/memory.c (handle_mm_fault, do_read_fault, __do_fault, finish_fault, set_pte_range,
//         vm_insert_page, vmf_insert_pfn, vmf_insert_mixed, zap_vma_pages, copy_page_range,
//         mm_account_fault), include/linux/mm.h (vmf_insert_page).
//
// [vvar] has no ->map_pages, so there is no fault-around: a fault calls the handler once and
// maps what it returns in vmf->page (finish_fault), plus whatever it inserted itself.
//
// The rules a handler can break, and what the model does (kernel-facts.md §4.6):
//   returns 0 with vmf->page NULL                 -> NULL dereference in __do_fault: oops
//   vmf->page is ZERO_PAGE                        -> WARN __folio_rmap_sanity_checks (lkp, v2)
//   vmf->page has refcount 0                      -> WARN, the page is mapped anyway
//   vmf->page returned without get_page()         -> "BUG: Bad page state" when the PTE is zapped
//   vmf_insert_pfn(struct-page pfn) in MIXEDMAP   -> BUG
//   vm_insert_page() into a VMA without MIXEDMAP  -> BUG (needs mmap_lock held for write)
//   VM_FAULT_NOPAGE but nothing mapped            -> the access refaults: capped, oops

import { mm_struct, vm_area_struct, vm_fault, PTE_PRESENT, PTE_SPECIAL, PAGE_SHIFT, PAGE_SIZE,
         PTRS_PER_VVAR, VVAR_BASE, VM_FAULT_ERROR, VM_FAULT_NOPAGE, VM_FAULT_RETRY, VM_FAULT_SIGBUS,
         VM_FAULT_OOM, VM_MIXEDMAP, VM_PFNMAP, VM_WRITE, VM_MAYWRITE, VM_SHARED, H_VMF, H_ID_MASK,
         H_PAGE, PK_OTHER, kzalloc } from "./mm_types";
import { current } from "./sched";
import { page_get, page_put, pfn_page, pfn_valid, is_zero_pfn, page_ref_count, ZERO_PFN } from "./page_alloc";
import { special_mapping_fault } from "./mmap";
import { WARN, BUG, die } from "./bug";
import { EBUSY, EFAULT, EINVAL, ENOMEM, EEXIST } from "./errno";
import { printk as printk_line } from "./printk";
import { trace_event, TR_MAP, TR_ZAP, TD_RMAP_ZERO_PAGE, TD_RMAP_FREE_PAGE, TD_NULL_PAGE,
         TD_INSERT_PFN_MIXEDMAP, TD_INSERT_PAGE_NO_MIXEDMAP, TD_PFNMAP_MIXEDMAP, TD_NONE } from "./trace";

/** The one struct vm_fault: faults do not nest in the model. */
export const vmf: vm_fault = changetype<vm_fault>(kzalloc(offsetof<vm_fault>()));
/** True while the learner's handler runs for vmf (its handle is valid only then). */
export let in_fault: bool = false;
let vmf_gen: u32 = 0;

/** The PTE slot of addr in mm's [vvar] window, or 0 when addr is outside it. */
export function pte_offset_map(mm: mm_struct, addr: u64): usize {
  if (addr < VVAR_BASE) return 0;
  const i = (addr - VVAR_BASE) >> PAGE_SHIFT;
  if (i >= <u64>PTRS_PER_VVAR) return 0;
  return mm.pgtable + <usize>i * 4;
}

// @ts-ignore: decorator
@inline export function pte_pfn(pte: u32): u32 { return pte >> 2; }
// @ts-ignore: decorator
@inline export function pte_present(pte: u32): bool { return (pte & PTE_PRESENT) != 0; }

/** What a PTE maps, as a PK_* kind (PK_OTHER for a pfn without a struct page). */
export function pte_page_kind(pte: u32): i32 {
  const pfn = pte_pfn(pte);
  if (!pfn_valid(pfn)) return PK_OTHER;
  const p = pfn_page(pfn);
  return p._refcount <= 0 && !is_zero_pfn(pfn) ? PK_OTHER : p.kind;
}

/** The kernel address of the contents a PTE maps (a zero page for a pfn without struct page). */
export function pte_page_data(pte: u32): usize {
  const pfn = pte_pfn(pte);
  return pfn_page(pfn_valid(pfn) ? pfn : ZERO_PFN).data;
}

/** handle_mm_fault(): resolves a missing PTE of vma at address by calling the VMA's ->fault.
 *  Returns the vm_fault_t. Accounts the fault (mm_account_fault: current's min_flt on success).
 *  Callers: the user fault path (vdso_user.ts) and faultin_page() (gup.ts). */
export function handle_mm_fault(vma: vm_area_struct, address: u64, flags: u32): u32 {
  const ptep = pte_offset_map(vma.vm_mm, address);
  if (ptep == 0) return VM_FAULT_SIGBUS;
  if (pte_present(load<u32>(ptep))) return 0;        // mapped meanwhile: nothing to do
  let ret = do_read_fault(vma, address, flags);
  // mm_account_fault(): failures are not counted in min_flt
  if (!(ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))) current.c.minflt++;
  return ret;
}

// do_read_fault(): __do_fault() then finish_fault()
function do_read_fault(vma: vm_area_struct, address: u64, flags: u32): u32 {
  let ret = __do_fault(vma, address, flags);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  return ret | finish_fault(vmf);
}

/** __do_fault(): fills vmf and calls the handler. A handler that returns success without a page
 *  makes the kernel dereference NULL (lock_page(vmf->page)): an oops. */
function __do_fault(vma: vm_area_struct, address: u64, flags: u32): u32 {
  vmf_gen = (vmf_gen + 1) & H_ID_MASK;
  if (vmf_gen == 0) vmf_gen = 1;
  vmf.handle = H_VMF | vmf_gen;
  vmf.flags = flags;
  vmf.vma = vma;
  vmf.address = address & ~(PAGE_SIZE - 1);
  vmf.pgoff = ((vmf.address - vma.vm_start) >> PAGE_SHIFT) + vma.vm_pgoff;
  vmf.page = 0;
  current.c.handler_calls++;
  in_fault = true;
  const ret = special_mapping_fault(vmf);
  in_fault = false;
  vmf.handle = 0;                                   // any handle kept from this fault is stale now
  if (!(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) && vmf.page == 0) {
    printk_null_deref();
    die("0000 [#1] PREEMPT SMP", "__do_fault",
        "vvar_fault() returned 0 without setting vmf->page: the kernel dereferenced a NULL struct page",
        TD_NULL_PAGE);
  }
  return ret;
}

function printk_null_deref(): void {
  if (changetype<usize>(current) != 0) current.c.bugs++;
  printk_line("BUG: kernel NULL pointer dereference, address: 0000000000000000");
  printk_line("#PF: supervisor read access in kernel mode");
}

/** finish_fault(): maps vmf->page at vmf->address with a normal PTE (set_pte_range: rmap, the
 *  handler's reference moves to the PTE). Returns 0, or VM_FAULT_NOPAGE when a PTE is already
 *  there (the reference is dropped). */
export function finish_fault(f: vm_fault): u32 {
  const vma = f.vma;
  const pfn = f.page - H_PAGE;
  const ptep = pte_offset_map(vma.vm_mm, f.address);
  if (pte_present(load<u32>(ptep))) { page_put(pfn); return VM_FAULT_NOPAGE; }
  if (is_zero_pfn(pfn)) {
    // folio_add_file_rmap_ptes() on the shared zero folio: what the kernel test robot hit in v2
    WARN("include/linux/rmap.h:216", "__folio_rmap_sanity_checks+0x1b0/0x2c0",
         "vvar_fault: ZERO_PAGE returned through vmf->page; the zero page cannot be mapped as a refcounted, rmapped file page",
         TD_RMAP_ZERO_PAGE);
  } else if (page_ref_count(pfn) <= 0) {
    WARN("include/linux/rmap.h:216", "__folio_rmap_sanity_checks+0x1b0/0x2c0",
         "vvar_fault: vmf->page has refcount 0 (a free page, not one of the datastore's)",
         TD_RMAP_FREE_PAGE);
  }
  set_pte(vma, ptep, pfn, false);
  return 0;
}

// installs a PTE for pfn and accounts the mapping
function set_pte(vma: vm_area_struct, ptep: usize, pfn: u32, special: bool): void {
  assert(ptep != 0, "set_pte: address outside the [vvar] window");
  assert(!pte_present(load<u32>(ptep)), "set_pte: PTE already present");
  store<u32>(ptep, (pfn << 2) | PTE_PRESENT | (special ? PTE_SPECIAL : 0));
  if (!special && pfn_valid(pfn)) pfn_page(pfn)._mapcount++;
  const pgoff = <i32>((ptep - vma.vm_mm.pgtable) >> 2);
  trace_event(current.pid, TR_MAP, pgoff, pfn_valid(pfn) ? pte_page_kind(load<u32>(ptep)) : PK_OTHER, TD_NONE, 0);
}

/** vm_mixed_zeropage_allowed(): the zero page may back a VMA that can never be written. */
function vm_mixed_zeropage_allowed(vma: vm_area_struct): bool {
  return (vma.vm_flags & (VM_WRITE | VM_MAYWRITE)) == 0;
}

/** vm_insert_page(): inserts page pfn at addr of vma from a fault handler. Returns 0, -EFAULT
 *  (addr outside the VMA), -EINVAL (refcount 0, or a zero page the VMA may not hold), -EBUSY (a
 *  PTE is already there). Without VM_MIXEDMAP it would need mmap_lock held for write: BUG. */
export function vm_insert_page(vma: vm_area_struct, addr: u64, pfn: u32): i32 {
  if (addr < vma.vm_start || addr >= vma.vm_end) return -EFAULT;
  if (!(vma.vm_flags & VM_MIXEDMAP)) {
    BUG("mm/memory.c:2446", "vm_insert_page",
        "vm_insert_page() on a VMA without VM_MIXEDMAP needs mmap_lock held for write (->mmap time), not a fault handler",
        TD_INSERT_PAGE_NO_MIXEDMAP);
  }
  if (vma.vm_flags & VM_PFNMAP) {
    BUG("mm/memory.c:2448", "vm_insert_page", "vm_insert_page() on a VM_PFNMAP VMA", TD_PFNMAP_MIXEDMAP);
  }
  // validate_page_before_insert()
  if (is_zero_pfn(pfn)) {
    if (!vm_mixed_zeropage_allowed(vma)) return -EINVAL;
  } else if (page_ref_count(pfn) <= 0) {
    return -EINVAL;
  }
  const ptep = pte_offset_map(vma.vm_mm, addr & ~(PAGE_SIZE - 1));
  if (pte_present(load<u32>(ptep))) return -EBUSY;
  if (is_zero_pfn(pfn)) { set_pte(vma, ptep, pfn, true); return 0; }   // special PTE, no rmap
  page_get(pfn);
  set_pte(vma, ptep, pfn, false);
  return 0;
}

/** vmf_insert_page(): vm_insert_page() as a vm_fault_t. -ENOMEM -> VM_FAULT_OOM, other errors
 *  except -EBUSY -> VM_FAULT_SIGBUS; success and -EBUSY -> VM_FAULT_NOPAGE. */
export function vmf_insert_page(vma: vm_area_struct, addr: u64, pfn: u32): u32 {
  const err = vm_insert_page(vma, addr, pfn);
  if (err == -ENOMEM) return VM_FAULT_OOM;
  if (err < 0 && err != -EBUSY) return VM_FAULT_SIGBUS;
  return VM_FAULT_NOPAGE;
}

function is_cow_mapping(flags: u64): bool { return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE; }

/** vmf_insert_pfn(): a special PTE (no struct page, no refcount) for pfn. BUG()s when the VMA is
 *  neither or both VM_PFNMAP/VM_MIXEDMAP, a COW PFNMAP, or VM_MIXEDMAP with a pfn that has a
 *  struct page. Returns VM_FAULT_NOPAGE (an existing PTE is left alone) or SIGBUS. */
export function vmf_insert_pfn(vma: vm_area_struct, addr: u64, pfn: u64): u32 {
  const f = vma.vm_flags;
  if (!(f & (VM_PFNMAP | VM_MIXEDMAP)) || ((f & VM_PFNMAP) && (f & VM_MIXEDMAP))) {
    BUG("mm/memory.c:2620", "vmf_insert_pfn_prot",
        "vmf_insert_pfn() needs exactly one of VM_PFNMAP and VM_MIXEDMAP on the VMA", TD_PFNMAP_MIXEDMAP);
  }
  if ((f & VM_PFNMAP) && is_cow_mapping(f)) {
    BUG("mm/memory.c:2622", "vmf_insert_pfn_prot", "vmf_insert_pfn() into a COW VM_PFNMAP VMA", TD_PFNMAP_MIXEDMAP);
  }
  if ((f & VM_MIXEDMAP) && pfn_valid(pfn)) {
    BUG("mm/memory.c:2624", "vmf_insert_pfn_prot",
        "vmf_insert_pfn() of a pfn with a struct page into a VM_MIXEDMAP VMA (use vmf_insert_page or vmf->page)",
        TD_INSERT_PFN_MIXEDMAP);
  }
  return insert_pfn(vma, addr, pfn);
}

function insert_pfn(vma: vm_area_struct, addr: u64, pfn: u64): u32 {
  if (addr < vma.vm_start || addr >= vma.vm_end) return VM_FAULT_SIGBUS;
  if (pfn >= 0x3fffffff) return VM_FAULT_SIGBUS;
  const ptep = pte_offset_map(vma.vm_mm, addr & ~(PAGE_SIZE - 1));
  if (!pte_present(load<u32>(ptep))) set_pte(vma, ptep, <u32>pfn, true);
  return VM_FAULT_NOPAGE;
}

/** vmf_insert_mixed(): for a VM_MIXEDMAP VMA. x86 has pte_special, so this is a special PTE
 *  even when the pfn has a struct page (GUP cannot follow it). SIGBUS when vm_mixed_ok() fails. */
export function vmf_insert_mixed(vma: vm_area_struct, addr: u64, pfn: u64): u32 {
  const ok = (vma.vm_flags & (VM_MIXEDMAP | VM_PFNMAP)) != 0 ||
             (pfn == <u64>ZERO_PFN && vm_mixed_zeropage_allowed(vma));
  if (!ok) return VM_FAULT_SIGBUS;
  return insert_pfn(vma, addr, pfn);
}

/** zap_vma_pages(): removes every PTE of vma. Normal PTEs drop their page reference (which may
 *  expose a missing get_page() as "Bad page state"); the pages themselves stay the kernel's. */
export function zap_vma_pages(vma: vm_area_struct): void {
  const mm = vma.vm_mm;
  const n = <u32>((vma.vm_end - vma.vm_start) >> PAGE_SHIFT);
  const first = <u32>((vma.vm_start - VVAR_BASE) >> PAGE_SHIFT);
  let zapped = 0;
  for (let i = first; i < first + n && i < PTRS_PER_VVAR; i++) {
    const ptep = mm.pgtable + <usize>i * 4;
    const pte = load<u32>(ptep);
    if (!pte_present(pte)) continue;
    store<u32>(ptep, 0);
    zapped++;
    if (!(pte & PTE_SPECIAL)) {
      const pfn = pte_pfn(pte);
      if (pfn_valid(pfn)) {
        pfn_page(pfn)._mapcount--;
        assert(pfn_page(pfn)._mapcount >= 0, "zap_vma_pages: mapcount underflow");
        page_put(pfn);
      }
    }
  }
  if (changetype<usize>(current) != 0) trace_event(current.pid, TR_ZAP, -1, -1, TD_NONE, <u64>zapped);
}

/** copy_page_range(): copies src's PTEs into dst (fork). Normal PTEs take a reference. */
export function copy_page_range(dst: vm_area_struct, src: vm_area_struct): void {
  for (let i: u32 = 0; i < PTRS_PER_VVAR; i++) {
    const pte = load<u32>(src.vm_mm.pgtable + <usize>i * 4);
    if (!pte_present(pte)) continue;
    assert(!pte_present(load<u32>(dst.vm_mm.pgtable + <usize>i * 4)), "copy_page_range: destination not empty");
    store<u32>(dst.vm_mm.pgtable + <usize>i * 4, pte);
    if (!(pte & PTE_SPECIAL)) {
      const pfn = pte_pfn(pte);
      if (pfn_valid(pfn)) { page_get(pfn); pfn_page(pfn)._mapcount++; }
    }
  }
}

/** The result of follow_page_pte(): a pfn (>= 0), FOLLOW_NONE (no PTE: fault it in), or
 *  -EEXIST (a special PTE: present, but no struct page GUP could return). */
// @ts-ignore: decorator
@inline export const FOLLOW_NONE: i32 = -1;

/** follow_page_pte(): what GUP finds at addr. Special PTEs have no page for GUP
 *  (vm_normal_page() returns NULL), except the zero page. */
export function follow_page_pte(vma: vm_area_struct, addr: u64): i32 {
  const ptep = pte_offset_map(vma.vm_mm, addr);
  if (ptep == 0) return FOLLOW_NONE;
  const pte = load<u32>(ptep);
  if (!pte_present(pte)) return FOLLOW_NONE;
  const pfn = pte_pfn(pte);
  if (pte & PTE_SPECIAL) return is_zero_pfn(pfn) ? <i32>pfn : -EEXIST;
  return <i32>pfn;
}

/** smaps Rss of mm's [vvar], in pages: the present PTEs that map a normal page. As in
 *  smaps_pte_entry() (fs/proc/task_mmu.c), which counts only what vm_normal_page() returns, a
 *  special PTE (vmf_insert_pfn(), the zero page) is not counted: Rss stays 0 kB in the VM_PFNMAP
 *  era (<= v6.18) however many pages are mapped. */
export function vvar_rss_pages(mm: mm_struct): u32 {
  let n: u32 = 0;
  for (let i: u32 = 0; i < PTRS_PER_VVAR; i++) {
    const pte = load<u32>(mm.pgtable + <usize>i * 4);
    if (pte_present(pte) && !(pte & PTE_SPECIAL)) n++;
  }
  return n;
}
