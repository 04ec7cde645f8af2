// gup.ts: get_user_pages and population.
// Models: mm/gup.c (check_vma_flags, __get_user_pages, faultin_page, populate_vma_page_range,
//         __mm_populate, faultin_page_range, get_user_pages_remote).
//
// Two facts carry the whole series:
//   * __mm_populate() skips a VMA with VM_IO|VM_PFNMAP, and check_vma_flags() refuses it:
//     so before the series mlockall() never touched [vvar] and remote access never reached
//     the handler.
//   * the first page whose fault fails ends the population of the rest of that VMA: so SIGBUS
//     holes (pre-P3) would stop mlockall() half-way once VM_IO is gone.

import { vm_area_struct, mm_struct, VM_IO, VM_PFNMAP, VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_MAYREAD,
         VM_MAYWRITE, VM_LOCKED, VM_LOCKONFAULT, PAGE_SIZE, PAGE_SHIFT, FAULT_FLAG_WRITE, FAULT_FLAG_REMOTE,
         FAULT_FLAG_ALLOW_RETRY, FAULT_FLAG_KILLABLE, VM_FAULT_ERROR, VM_FAULT_RETRY, VM_FAULT_OOM, VM_FAULT_SIGBUS,
         VM_FAULT_SIGSEGV, VM_FAULT_HWPOISON, VM_FAULT_HWPOISON_LARGE } from "./mm_types";
import { current } from "./sched";
import { find_vma } from "./mmap";
import { handle_mm_fault, follow_page_pte, FOLLOW_NONE } from "./memory";
import { EFAULT, ENOMEM, EINVAL, EEXIST, EHWPOISON } from "./errno";
import { die, BUG } from "./bug";
import { printk } from "./printk";
import { trace_event, TR_GUP_FAULT, TR_POPULATE, TD_NONE, TD_FAILED, TD_REFAULT_LOOP, TD_POPULATE_SKIPPED,
         TD_POPULATE_STOPPED, TD_RETRY_LOOP, TD_UNEXPECTED_FAULT_CODE, call_enter, call_exit, KF_FAULTIN_PAGE,
         KF___GET_USER_PAGES, KF_POPULATE_VMA_PAGE_RANGE, KF___MM_POPULATE, KF_FAULTIN_PAGE_RANGE,
         KF_GET_USER_PAGES_REMOTE } from "./trace";

// FOLL_* (include/linux/mm_types.h, mm/internal.h)
// @ts-ignore: decorator
@inline export const FOLL_WRITE: u32 = 1 << 0;
// @ts-ignore: decorator
@inline export const FOLL_GET: u32 = 1 << 1;
// @ts-ignore: decorator
@inline export const FOLL_FORCE: u32 = 1 << 3;
// @ts-ignore: decorator
@inline export const FOLL_HWPOISON: u32 = 1 << 6;
// @ts-ignore: decorator
@inline export const FOLL_ANON: u32 = 1 << 7;
// @ts-ignore: decorator
@inline export const FOLL_TOUCH: u32 = 1 << 16;
// @ts-ignore: decorator
@inline export const FOLL_REMOTE: u32 = 1 << 18;
// @ts-ignore: decorator
@inline export const FOLL_PIN: u32 = 1 << 19;
// @ts-ignore: decorator
@inline export const FOLL_UNLOCKABLE: u32 = 1 << 21;
// @ts-ignore: decorator
@inline export const FOLL_MADV_POPULATE: u32 = 1 << 22;

/** vm_fault_to_errno() (include/linux/mm.h): -errno for a failed fault (vm_fault_t bits),
 *  checked in this order: OOM -ENOMEM; HWPOISON -EHWPOISON with FOLL_HWPOISON in foll_flags,
 *  else -EFAULT; SIGBUS/SIGSEGV -EFAULT. 0 for anything else, VM_FAULT_FALLBACK included:
 *  faultin_page() (gup.ts) treats that 0 as a kernel bug. */
export function vm_fault_to_errno(ret: u32, foll_flags: u32): i32 {
  if (ret & VM_FAULT_OOM) return -ENOMEM;
  if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) return (foll_flags & FOLL_HWPOISON) ? -EHWPOISON : -EFAULT;
  if (ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)) return -EFAULT;
  return 0;
}

/** A fault that keeps returning without mapping anything would loop for ever in the kernel
 *  (VM_FAULT_NOPAGE with no PTE). The model stops after this many tries and reports it. */
// @ts-ignore: decorator
@inline export const REFAULT_LIMIT: u32 = 8;

/** check_vma_flags(): 0 when GUP may work on vma with gup_flags, else -EFAULT. VM_IO|VM_PFNMAP
 *  is refused outright; writes need VM_WRITE, or FOLL_FORCE on a COW mapping; reads need
 *  VM_READ (or FOLL_FORCE) and VM_MAYREAD. */
export function check_vma_flags(vma: vm_area_struct, gup_flags: u32): i32 {
  const vm_flags = vma.vm_flags;
  if (vm_flags & (VM_IO | VM_PFNMAP)) return -EFAULT;
  if (gup_flags & FOLL_ANON) return -EFAULT;              // [vvar] is not anonymous
  if (gup_flags & FOLL_WRITE) {
    if (!(vm_flags & VM_WRITE)) {
      if (!(gup_flags & FOLL_FORCE)) return -EFAULT;
      if ((vm_flags & (VM_SHARED | VM_MAYWRITE)) != VM_MAYWRITE) return -EFAULT;  // !is_cow_mapping
    }
  } else if (!(vm_flags & VM_READ)) {
    if (!(gup_flags & FOLL_FORCE)) return -EFAULT;
    if (!(vm_flags & VM_MAYREAD)) return -EFAULT;
  }
  return 0;
}

/** The vm_fault_t of the last fault faultin_page() took (for the refault-loop report). */
let gup_last_fault: u32 = 0;

/** faultin_page(): handle_mm_fault() for GUP (FOLL_WRITE -> FAULT_FLAG_WRITE, FOLL_REMOTE ->
 *  FAULT_FLAG_REMOTE, no user regs). Counts a GUP fault for current. Returns 0 (retry the
 *  lookup) or -errno from vm_fault_to_errno(). An error code that maps to no errno
 *  (VM_FAULT_FALLBACK) is a BUG(), as in Linux. VM_FAULT_RETRY is -EBUSY in Linux, which
 *  __get_user_pages() turns into "look the page up again"; here it is 0, the same thing. */
export function faultin_page(vma: vm_area_struct, address: u64, gup_flags: u32): i32 {
  const c = call_enter(current.pid, KF_FAULTIN_PAGE, address, <u64>gup_flags, 0);
  const r = faultin_page_body(vma, address, gup_flags);
  call_exit(c, <u64>r);
  return r;
}

// faultin_page()'s work, between the call trace's entry and exit records
function faultin_page_body(vma: vm_area_struct, address: u64, gup_flags: u32): i32 {
  let fault_flags: u32 = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
  if (gup_flags & FOLL_WRITE) fault_flags |= FAULT_FLAG_WRITE;
  if (gup_flags & FOLL_REMOTE) fault_flags |= FAULT_FLAG_REMOTE;
  current.c.gup_faults++;
  const pgoff = <i32>((address - vma.vm_start) >> PAGE_SHIFT);
  const ret = handle_mm_fault(vma, address, fault_flags);
  gup_last_fault = ret;
  trace_event(current.pid, TR_GUP_FAULT, pgoff, -1, (ret & VM_FAULT_ERROR) ? TD_FAILED : TD_NONE, 0);
  if (ret & VM_FAULT_ERROR) {
    const err = vm_fault_to_errno(ret, gup_flags);
    if (err != 0) return err;
    BUG("mm/gup.c:1221", "faultin_page",
        "vvar_fault() returned VM_FAULT_FALLBACK, an error vm_fault_to_errno() has no errno for (only huge-page faults may return it)",
        TD_UNEXPECTED_FAULT_CODE);
  }
  return 0;
}

/** __get_user_pages(): walks nr_pages pages from start in mm, faulting in what is missing.
 *  Returns the number of pages done, or -errno when none was (an error after some pages ends
 *  the walk and returns the count). The pfn of the last page is left in gup_last_pfn. */
export let gup_last_pfn: i32 = 0;
export function __get_user_pages(mm: mm_struct, start: u64, nr_pages: u64, gup_flags: u32): i64 {
  const c = call_enter(current.pid, KF___GET_USER_PAGES, start, nr_pages, <u64>gup_flags);
  const r = __get_user_pages_body(mm, start, nr_pages, gup_flags);
  call_exit(c, <u64>r);
  return r;
}

// __get_user_pages()'s work, between the call trace's entry and exit records
function __get_user_pages_body(mm: mm_struct, start: u64, nr_pages: u64, gup_flags: u32): i64 {
  let i: u64 = 0;
  let vma: vm_area_struct | null = null;
  let ret: i32 = 0;
  while (i < nr_pages) {
    const addr = start + i * PAGE_SIZE;
    if (vma === null || addr >= vma.vm_end) {
      vma = find_vma(mm, addr);
      if (gup_flags & FOLL_MADV_POPULATE) {
        if (vma === null) { ret = -ENOMEM; break; }
        if (check_vma_flags(vma, gup_flags) != 0) { ret = -EINVAL; break; }
      } else {
        if (vma === null) { ret = -EFAULT; break; }
        ret = check_vma_flags(vma, gup_flags);
        if (ret != 0) break;
      }
    }
    let tries: u32 = 0;
    let got = follow_page_pte(vma, addr, (gup_flags & FOLL_WRITE) != 0);
    while (got == FOLLOW_NONE) {
      if (++tries > REFAULT_LIMIT) {
        if (gup_last_fault & VM_FAULT_RETRY) {
          printk("the model stops here; Linux would retry the fault for ever (VM_FAULT_RETRY without dropping mmap_lock)");
          die("retry loop", "__get_user_pages",
              "vvar_fault() keeps returning VM_FAULT_RETRY: get_user_pages would retry the page for ever", TD_RETRY_LOOP);
        }
        printk("the model stops here; Linux would look the page up and fault it again for ever");
        die("refault loop", "__get_user_pages",
            "vvar_fault() keeps returning VM_FAULT_NOPAGE without mapping the page: get_user_pages would retry for ever",
            TD_REFAULT_LOOP);
      }
      ret = faultin_page(vma, addr, gup_flags);
      if (ret != 0) break;
      got = follow_page_pte(vma, addr, (gup_flags & FOLL_WRITE) != 0);
    }
    if (ret != 0) break;
    if (got == -EEXIST) {
      // a special PTE: present but no struct page; fine unless the caller wants the page
      if (gup_flags & (FOLL_GET | FOLL_PIN)) { ret = -EEXIST; break; }
    } else {
      gup_last_pfn = got;
    }
    i++;
  }
  if (i > 0) return <i64>i;
  return <i64>ret;
}

/** populate_vma_page_range(): faults in [start, end) of vma as mlock does. A VM_LOCKONFAULT VMA
 *  is "done" without faulting; an inaccessible one is -EFAULT. Returns pages done or -errno. */
export function populate_vma_page_range(vma: vm_area_struct, start: u64, end: u64): i64 {
  const c = call_enter(current.pid, KF_POPULATE_VMA_PAGE_RANGE, start, end, 0);
  const r = populate_vma_page_range_body(vma, start, end);
  call_exit(c, <u64>r);
  return r;
}

// populate_vma_page_range()'s work, between the call trace's entry and exit records
function populate_vma_page_range_body(vma: vm_area_struct, start: u64, end: u64): i64 {
  const nr_pages = (end - start) >> PAGE_SHIFT;
  if ((vma.vm_flags & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKONFAULT) return <i64>nr_pages;
  if (!(vma.vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) return -EFAULT;
  let gup_flags = FOLL_TOUCH | FOLL_UNLOCKABLE;
  if ((vma.vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE) gup_flags |= FOLL_WRITE;
  else gup_flags |= FOLL_FORCE;
  return __get_user_pages(vma.vm_mm, start, nr_pages, gup_flags);
}

/** __mm_populate(): populates every VMA of current->mm in [start, start+len) except
 *  VM_IO|VM_PFNMAP ones. After a partial result it resumes at the first page not done, which
 *  fails again and ends that VMA. Returns 0, or the -errno when !ignore_errors. Callers:
 *  mlockall (ignore_errors), mlock (not). */
export function __mm_populate(start: u64, len: u64, ignore_errors: bool): i32 {
  const c = call_enter(current.pid, KF___MM_POPULATE, start, len, <u64>ignore_errors);
  const r = __mm_populate_body(start, len, ignore_errors);
  call_exit(c, <u64>r);
  return r;
}

// __mm_populate()'s work, between the call trace's entry and exit records
function __mm_populate_body(start: u64, len: u64, ignore_errors: bool): i32 {
  const mm = current.mm;
  if (mm === null) return 0;
  const end = start + len;
  let nstart = start;
  let ret: i64 = 0;
  while (nstart < end) {
    // find_vma_intersection(): the model's only VMA is [vvar]
    const vma = mm.vvar;
    if (vma === null || vma.vm_start >= end || vma.vm_end <= nstart) break;
    let nend = end < vma.vm_end ? end : vma.vm_end;
    if (vma.vm_flags & (VM_IO | VM_PFNMAP)) {
      trace_event(current.pid, TR_POPULATE, -1, -1, TD_POPULATE_SKIPPED, 0);
      nstart = nend;
      continue;
    }
    if (nstart < vma.vm_start) nstart = vma.vm_start;
    ret = populate_vma_page_range(vma, nstart, nend);
    if (ret >= 0 && nstart + <u64>ret * PAGE_SIZE < nend) {
      trace_event(current.pid, TR_POPULATE, <i32>((nstart - vma.vm_start) >> PAGE_SHIFT) + <i32>ret, -1, TD_POPULATE_STOPPED, 0);
    }
    if (ret < 0) {
      if (ignore_errors) { ret = 0; nstart = nend; continue; }
      break;
    }
    nend = nstart + <u64>ret * PAGE_SIZE;
    ret = 0;
    nstart = nend;
  }
  return <i32>ret;
}

/** faultin_page_range(): MADV_POPULATE_(READ|WRITE) of [start, end), with FOLL_HWPOISON.
 *  Returns pages done or -errno (-ENOMEM no VMA or out of memory, -EINVAL a VMA GUP refuses,
 *  -EHWPOISON a poisoned page, -EFAULT a fault failed with SIGBUS/SIGSEGV). */
export function faultin_page_range(mm: mm_struct, start: u64, end: u64, write: bool): i64 {
  const c = call_enter(current.pid, KF_FAULTIN_PAGE_RANGE, start, end, <u64>write);
  const r = faultin_page_range_body(mm, start, end, write);
  call_exit(c, <u64>r);
  return r;
}

// faultin_page_range()'s work, between the call trace's entry and exit records
function faultin_page_range_body(mm: mm_struct, start: u64, end: u64, write: bool): i64 {
  let gup_flags = FOLL_TOUCH | FOLL_HWPOISON | FOLL_UNLOCKABLE | FOLL_MADV_POPULATE;
  if (write) gup_flags |= FOLL_WRITE;
  return __get_user_pages(mm, start, (end - start) >> PAGE_SHIFT, gup_flags);
}

/** get_user_pages_remote(): one page at addr of mm, for access_remote_vm() and friends. Always
 *  FOLL_TOUCH|FOLL_REMOTE, so a fault carries FAULT_FLAG_REMOTE (also for /proc/self/mem).
 *  Returns the pfn, or -errno. */
export function get_user_pages_remote(mm: mm_struct, addr: u64, gup_flags: u32): i32 {
  const c = call_enter(current.pid, KF_GET_USER_PAGES_REMOTE, addr, <u64>gup_flags, 0);
  const r = get_user_pages_remote_body(mm, addr, gup_flags);
  call_exit(c, <u64>r);
  return r;
}

// get_user_pages_remote()'s work, between the call trace's entry and exit records
function get_user_pages_remote_body(mm: mm_struct, addr: u64, gup_flags: u32): i32 {
  const r = __get_user_pages(mm, addr & ~(PAGE_SIZE - 1), 1, gup_flags | FOLL_TOUCH | FOLL_REMOTE | FOLL_GET);
  if (r < 0) return <i32>r;
  return gup_last_pfn;
}
