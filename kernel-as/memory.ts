// memory.ts: the fault path, the insert helpers a fault handler may call, and zap.
// Models: mm/memory.c (handle_mm_fault, do_read_fault, __do_fault, finish_fault, set_pte_range,
//         vm_insert_page, vmf_insert_pfn, vmf_insert_mixed, zap_vma_pages, copy_page_range,
//         mm_account_fault), include/linux/mm.h (vmf_insert_page).
//
// [vvar] has no ->map_pages, so there is no fault-around: a fault calls the handler once and
// maps what it returns in vmf->page (finish_fault), plus whatever it inserted itself.
//
// The rules a handler can break, and what the model does (docs/kernel-facts.md §4.6):
//   returns 0 with vmf->page NULL                 -> NULL dereference in __do_fault: oops
//   vmf->page is ZERO_PAGE                        -> WARN __folio_rmap_sanity_checks (lkp, v2)
//   vmf->page has refcount 0                      -> mapped without a word (a model note in dmesg)
//   vmf->page returned without get_page()         -> "BUG: Bad page state" when the PTE is zapped
//   vmf_insert_pfn(struct-page pfn) in MIXEDMAP   -> BUG
//   vm_insert_page() into a VMA without MIXEDMAP  -> BUG (needs mmap_lock held for write)
//   VM_FAULT_NOPAGE but nothing mapped            -> the access refaults: capped, oops

import { mm_struct, vm_area_struct, vm_fault, PTE_PRESENT, PTE_SPECIAL, PAGE_SHIFT, PAGE_SIZE,
         PTRS_PER_VVAR, VVAR_BASE, VM_FAULT_ERROR, VM_FAULT_NOPAGE, VM_FAULT_RETRY, VM_FAULT_SIGBUS,
         VM_FAULT_OOM, VM_MIXEDMAP, VM_PFNMAP, VM_WRITE, VM_MAYWRITE, VM_SHARED, VM_COPY_ON_FORK, FAULT_FLAG_WRITE, H_VMF, H_ID_MASK,
         H_PAGE, PK_OTHER, PK_ANON, kzalloc } from "./mm_types";
import { current } from "./sched";
import { page_get, page_put, pfn_page, pfn_valid, is_zero_pfn, page_ref_count, alloc_pages, ZERO_PFN } from "./page_alloc";
import { WARN, BUG, die } from "./bug";
import { EBUSY, EFAULT, EINVAL, ENOMEM, EEXIST } from "./errno";
import { printk as printk_line } from "./printk";
import { trace_event, TR_MAP, TR_ZAP, TD_RMAP_ZERO_PAGE, TD_NULL_PAGE,
         TD_INSERT_PFN_MIXEDMAP, TD_INSERT_PAGE_NO_MIXEDMAP, TD_PFNMAP_MIXEDMAP, TD_COW, TD_NONE } from "./trace";

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

/** handle_mm_fault(): resolves a fault of vma at address. Returns the vm_fault_t. Accounts the
 *  fault (mm_account_fault: current's min_flt on success). Callers: the user fault path
 *  (vdso_user.ts, reads only) and faultin_page() (gup.ts; writes come from remote writes).
 *    no PTE, read                  do_read_fault(): ->fault, then finish_fault()
 *    no PTE, write, private VMA    do_cow_fault(): ->fault, then a private anonymous copy
 *    no PTE, write, shared VMA     do_shared_fault(): ->fault, then finish_fault()
 *    PTE, write, private VMA       do_wp_page() -> wp_page_copy(): a private copy, no ->fault
 *    PTE otherwise                 nothing to do (mapped meanwhile, or a shared write) */
export function handle_mm_fault(vma: vm_area_struct, address: u64, flags: u32): u32 {
  const ptep = pte_offset_map(vma.vm_mm, address);
  if (ptep == 0) return VM_FAULT_SIGBUS;
  const write = (flags & FAULT_FLAG_WRITE) != 0;
  const private_vma = (vma.vm_flags & VM_SHARED) == 0;
  let ret: u32;
  if (pte_present(load<u32>(ptep))) {
    if (!write || !private_vma || pte_anon_exclusive(load<u32>(ptep))) return 0;
    ret = wp_page_copy(vma, ptep);
  } else if (write && private_vma) {
    ret = do_cow_fault(vma, address, flags);
  } else {
    ret = do_read_fault(vma, address, flags);       // do_shared_fault() too: no ->page_mkwrite
  }
  // mm_account_fault(): failures are not counted in min_flt
  if (!(ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))) current.c.minflt++;
  return ret;
}

/** Whether the PTE maps an anonymous page only this PTE maps (PageAnonExclusive): the one
 *  page a FOLL_FORCE write may go to in a read-only private mapping (can_follow_write_pte()). */
export function pte_anon_exclusive(pte: u32): bool {
  if (!pte_present(pte) || (pte & PTE_SPECIAL) != 0) return false;
  const pfn = pte_pfn(pte);
  return pfn_valid(pfn) && pfn_page(pfn).kind == PK_ANON && pfn_page(pfn)._mapcount == 1;
}

/** A new anonymous page for a copy-on-write fault, holding a copy of `from` (kernel address)
 *  and one reference (the PTE's). vmf_anon_prepare() gives the VMA its anon_vma. 0 when
 *  memory is exhausted. */
function cow_alloc(vma: vm_area_struct, from: usize): u32 {
  const pfn = alloc_pages(1, PK_ANON);
  if (pfn == 0) return 0;
  pfn_page(pfn).reserved = 0;                        // the user's page: freed when unmapped
  memory.copy(pfn_page(pfn).data, from, <usize>PAGE_SIZE);
  vma.anon_vma = 1;
  return pfn;
}

/** do_cow_fault(): a write fault on a missing PTE of a private mapping. The handler's page
 *  (vmf->page) is copied into a new anonymous page, which is mapped instead; the handler's
 *  reference is dropped. A handler that fails, or maps for itself (NOPAGE), leaves no copy. */
function do_cow_fault(vma: vm_area_struct, address: u64, flags: u32): u32 {
  let ret = __do_fault(vma, address, flags);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  const page = vmf.page - H_PAGE;
  const ptep = pte_offset_map(vma.vm_mm, vmf.address);
  if (pte_present(load<u32>(ptep))) { page_put(page); return ret | VM_FAULT_NOPAGE; }
  const copy = cow_alloc(vma, pfn_page(page).data);
  if (copy == 0) { page_put(page); return VM_FAULT_OOM; }
  set_pte(vma, ptep, copy, false);
  trace_event(current.pid, TR_MAP, <i32>((ptep - vma.vm_mm.pgtable) >> 2), PK_ANON, TD_COW, 0);
  page_put(page);
  return ret;
}

/** wp_page_copy(): a write fault on a present, read-only PTE of a private mapping (do_wp_page()
 *  with nothing to reuse): the page it maps (a special PTE's pfn too) is copied into a new
 *  anonymous page that replaces it; the old page loses this mapping and its reference. The
 *  handler is not called. */
function wp_page_copy(vma: vm_area_struct, ptep: usize): u32 {
  const old = load<u32>(ptep);
  const copy = cow_alloc(vma, pte_page_data(old));
  if (copy == 0) return VM_FAULT_OOM;
  store<u32>(ptep, 0);
  if (!(old & PTE_SPECIAL)) {
    const pfn = pte_pfn(old);
    if (pfn_valid(pfn)) { pfn_page(pfn)._mapcount--; page_put(pfn); }
  }
  set_pte(vma, ptep, copy, false);
  trace_event(current.pid, TR_MAP, <i32>((ptep - vma.vm_mm.pgtable) >> 2), PK_ANON, TD_COW, 0);
  return 0;
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
  const ops = vma.vm_ops;
  const ret = ops !== null ? ops.fault(vmf) : VM_FAULT_SIGBUS;   // do_fault(): no ->fault is SIGBUS
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
    // Linux checks no refcount here (__folio_rmap_sanity_checks() has no such test): the free
    // page is mapped silently. Its refcount goes below zero when the PTE is zapped, and the
    // allocator finds it ("BUG: Bad page state ... nonzero _refcount") only when it hands the
    // page out again, which the model never does. So the model says so, and counts nothing.
    printk_line("prefault: vvar_fault() returned through vmf->page a page with refcount 0 (a free page, not one of the datastore's): " +
           "the model notes it here; Linux would map it without a word and find it only when the allocator hands it out again (Bad page state)");
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

function is_cow_mapping(flags: u64): bool { return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE; }

/** vm_mixed_zeropage_allowed(): whether the shared zero page may back vma: in a COW mapping
 *  (common and harmless), or where no PTE can ever become writable (no VM_WRITE|VM_MAYWRITE).
 *  The pfn_mkwrite exception (FSDAX, VM_IO with ->pfn_mkwrite) does not apply to [vvar]. */
function vm_mixed_zeropage_allowed(vma: vm_area_struct): bool {
  if (is_cow_mapping(vma.vm_flags)) return true;
  return (vma.vm_flags & (VM_WRITE | VM_MAYWRITE)) == 0;
}

/** validate_page_before_insert(): -EINVAL for a free page (refcount 0), a zero page the VMA
 *  may not hold, or an anonymous page (a copy-on-write copy); else 0. */
function validate_page_before_insert(vma: vm_area_struct, pfn: u32): i32 {
  if (page_ref_count(pfn) <= 0 && !is_zero_pfn(pfn)) return -EINVAL;
  if (is_zero_pfn(pfn)) return vm_mixed_zeropage_allowed(vma) ? 0 : -EINVAL;
  if (pfn_page(pfn).kind == PK_ANON) return -EINVAL;
  return 0;
}

/** vm_insert_page(): inserts page pfn at addr of vma from a fault handler. Returns 0, -EFAULT
 *  (addr outside the VMA), -EINVAL (validate_page_before_insert()), -EBUSY (a PTE is already
 *  there). Without VM_MIXEDMAP Linux would BUG_ON(mmap_read_trylock()) (it may only run with
 *  mmap_lock held for write, at ->mmap time; a fault handler holds it for read, or only the
 *  VMA lock, so the trylock succeeds): BUG. Its second BUG_ON (VM_PFNMAP) is in the same
 *  branch, so a VMA with both VM_MIXEDMAP and VM_PFNMAP passes. */
export function vm_insert_page(vma: vm_area_struct, addr: u64, pfn: u32): i32 {
  if (addr < vma.vm_start || addr >= vma.vm_end) return -EFAULT;
  if (!(vma.vm_flags & VM_MIXEDMAP)) {
    BUG("mm/memory.c:2446", "vm_insert_page",
        "vm_insert_page() on a VMA without VM_MIXEDMAP needs mmap_lock held for write (->mmap time), not a fault handler",
        TD_INSERT_PAGE_NO_MIXEDMAP);
    // not reached: BUG_ON(vma->vm_flags & VM_PFNMAP), then vm_flags_set(vma, VM_MIXEDMAP)
  }
  // insert_page()
  const err = validate_page_before_insert(vma, pfn);
  if (err != 0) return err;
  const ptep = pte_offset_map(vma.vm_mm, addr & ~(PAGE_SIZE - 1));
  if (ptep == 0) return -ENOMEM;                                        // get_locked_pte()
  if (pte_present(load<u32>(ptep))) return -EBUSY;                     // insert_page_into_pte_locked()
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

/** vmf_insert_pfn() (vmf_insert_pfn_prot() with the VMA's protection): a special PTE (no struct
 *  page, no refcount) for pfn. Four BUG_ONs, in Linux's order: neither VM_PFNMAP nor
 *  VM_MIXEDMAP; both; a COW VM_PFNMAP; VM_MIXEDMAP with a pfn that has a struct page. Then
 *  VM_FAULT_SIGBUS for an address outside the VMA or a pfn the PTE cannot hold
 *  (pfn_modify_allowed()); else insert_pfn(). */
export function vmf_insert_pfn(vma: vm_area_struct, addr: u64, pfn: u64): u32 {
  const f = vma.vm_flags;
  if (!(f & (VM_PFNMAP | VM_MIXEDMAP))) {
    BUG("mm/memory.c:2620", "vmf_insert_pfn_prot",
        "vmf_insert_pfn() needs VM_PFNMAP or VM_MIXEDMAP on the VMA", TD_PFNMAP_MIXEDMAP);
  }
  if ((f & (VM_PFNMAP | VM_MIXEDMAP)) == (VM_PFNMAP | VM_MIXEDMAP)) {
    BUG("mm/memory.c:2621", "vmf_insert_pfn_prot",
        "vmf_insert_pfn() on a VMA with both VM_PFNMAP and VM_MIXEDMAP", TD_PFNMAP_MIXEDMAP);
  }
  if ((f & VM_PFNMAP) && is_cow_mapping(f)) {
    BUG("mm/memory.c:2622", "vmf_insert_pfn_prot", "vmf_insert_pfn() into a COW VM_PFNMAP VMA", TD_PFNMAP_MIXEDMAP);
  }
  if ((f & VM_MIXEDMAP) && pfn_valid(pfn)) {
    BUG("mm/memory.c:2624", "vmf_insert_pfn_prot",
        "vmf_insert_pfn() of a pfn with a struct page into a VM_MIXEDMAP VMA (use vmf_insert_page or vmf->page)",
        TD_INSERT_PFN_MIXEDMAP);
  }
  if (addr < vma.vm_start || addr >= vma.vm_end) return VM_FAULT_SIGBUS;
  if (!pfn_modify_allowed(pfn)) return VM_FAULT_SIGBUS;
  return insert_pfn(vma, addr, pfn);
}

/** pfn_modify_allowed(): the model's PTE holds a 30-bit pfn; a larger one is refused as x86
 *  refuses a pfn it cannot map safely. */
function pfn_modify_allowed(pfn: u64): bool { return pfn < 0x3fffffff; }

/** insert_pfn(): a special PTE for pfn at addr, unless a PTE is already there (then nothing
 *  changes). Always VM_FAULT_NOPAGE (VM_FAULT_OOM if the page table could not be allocated,
 *  which the model's fixed table never needs). */
function insert_pfn(vma: vm_area_struct, addr: u64, pfn: u64): u32 {
  const ptep = pte_offset_map(vma.vm_mm, addr & ~(PAGE_SIZE - 1));
  if (ptep == 0) return VM_FAULT_OOM;
  if (!pte_present(load<u32>(ptep))) set_pte(vma, ptep, <u32>pfn, true);
  return VM_FAULT_NOPAGE;
}

/** vm_mixed_ok(): what vmf_insert_mixed() accepts (the abort conditions of vm_normal_page()):
 *  never a zero pfn the VMA may not hold; any pfn in a VM_MIXEDMAP VMA; the zero pfn anywhere
 *  else. A VM_PFNMAP-only VMA takes only the zero pfn. */
function vm_mixed_ok(vma: vm_area_struct, pfn: u64): bool {
  const zero = pfn == <u64>ZERO_PFN;
  if (zero && !vm_mixed_zeropage_allowed(vma)) return false;
  if (vma.vm_flags & VM_MIXEDMAP) return true;
  return zero;
}

/** vmf_insert_mixed(): for a VM_MIXEDMAP VMA. VM_FAULT_SIGBUS when vm_mixed_ok() fails, the
 *  address is outside the VMA, or pfn_modify_allowed() refuses. x86 has pte_special, so this
 *  is a special PTE even when the pfn has a struct page (GUP cannot follow it). */
export function vmf_insert_mixed(vma: vm_area_struct, addr: u64, pfn: u64): u32 {
  if (!vm_mixed_ok(vma, pfn)) return VM_FAULT_SIGBUS;
  if (addr < vma.vm_start || addr >= vma.vm_end) return VM_FAULT_SIGBUS;
  if (!pfn_modify_allowed(pfn)) return VM_FAULT_SIGBUS;
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
      if (is_zero_pfn(pfn)) {
        // zap_present_ptes(): vm_normal_page(), then folio_remove_rmap_ptes() on the zero folio
        vm_normal_page_zero_warn();
        WARN("include/linux/rmap.h:216", "__folio_rmap_sanity_checks+0x1b0/0x2c0",
             "zap: the zero page is unmapped as a refcounted, rmapped file page (ZERO_PAGE through vmf->page)",
             TD_RMAP_ZERO_PAGE);
      }
      if (pfn_valid(pfn)) {
        pfn_page(pfn)._mapcount--;
        assert(pfn_page(pfn)._mapcount >= 0, "zap_vma_pages: mapcount underflow");
        // folios_put_refs() drops the PTE's reference with no debug check: a page that was free
        // when it was mapped (refcount 0) goes below zero without a word, as in Linux
        if (page_ref_count(pfn) <= 0) pfn_page(pfn)._refcount--;
        else page_put(pfn);
      }
    }
  }
  if (changetype<usize>(current) != 0) trace_event(current.pid, TR_ZAP, -1, -1, TD_NONE, <u64>zapped);
}

/** vma_needs_copy(): whether fork must copy src's page tables. Only when a fault could not
 *  rebuild them: a VM_COPY_ON_FORK mapping (VM_PFNMAP, VM_MIXEDMAP: their PTEs were inserted by
 *  hand), or a VMA with anonymous pages (anon_vma). Everything else refaults in the child. */
export function vma_needs_copy(dst: vm_area_struct, src: vm_area_struct): bool {
  if (src.vm_flags & VM_COPY_ON_FORK) return true;
  return src.anon_vma != 0;
}

/** copy_page_range(): copies src's PTEs into dst at fork, when vma_needs_copy() says so
 *  (returns false when it did not copy). Normal PTEs take a reference and a mapcount. */
export function copy_page_range(dst: vm_area_struct, src: vm_area_struct): bool {
  if (!vma_needs_copy(dst, src)) return false;
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
  return true;
}

/** vm_normal_page() on a debug kernel (CONFIG_DEBUG_VM, as the model is: its rmap checks are
 *  VM_WARN_ON_FOLIO too): a PTE that is not special but maps the zero page makes it
 *  VM_WARN_ON_ONCE, the first time any walker (GUP, zap) looks at one. */
let warned_normal_zero = false;
function vm_normal_page_zero_warn(): void {
  if (warned_normal_zero) return;
  warned_normal_zero = true;
  WARN("mm/memory.c:676", "vm_normal_page+0x1d4/0x2a0",
       "vm_normal_page: a normal (not special) PTE maps the zero page: ZERO_PAGE was returned through vmf->page",
       TD_RMAP_ZERO_PAGE);
}

/** The result of follow_page_pte(): a pfn (>= 0), FOLLOW_NONE (no PTE: fault it in), or
 *  -EEXIST (a special PTE: present, but no struct page GUP could return). */
// @ts-ignore: decorator
@inline export const FOLLOW_NONE: i32 = -1;

/** follow_page_pte(): what GUP finds at addr. Special PTEs have no page for GUP
 *  (vm_normal_page() returns NULL), except the zero page. A write (`write`) to a private
 *  mapping may only go to an exclusive anonymous page (can_follow_write_pte(): the model's
 *  PTEs are never writable, so FOLL_FORCE on a COW mapping is the only way here): anything
 *  else is FOLLOW_NONE, and the write fault that follows breaks copy-on-write. */
export function follow_page_pte(vma: vm_area_struct, addr: u64, write: bool): i32 {
  const ptep = pte_offset_map(vma.vm_mm, addr);
  if (ptep == 0) return FOLLOW_NONE;
  const pte = load<u32>(ptep);
  if (!pte_present(pte)) return FOLLOW_NONE;
  if (write && (vma.vm_flags & VM_SHARED) == 0 && !pte_anon_exclusive(pte)) return FOLLOW_NONE;
  const pfn = pte_pfn(pte);
  if (pte & PTE_SPECIAL) return is_zero_pfn(pfn) ? <i32>pfn : -EEXIST;
  if (is_zero_pfn(pfn)) vm_normal_page_zero_warn();
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
