// page_alloc.ts: physical pages (mem_map) and their reference counts.
// Models: mm/page_alloc.c (alloc_pages, split_page), include/linux/mm.h (get_page, put_page,
//         page_ref_count, pfn_valid, ZERO_PAGE), mm/debug.c (bad_page).
//
//   pfn 0        never used (so a page handle of pfn 0 is always a mistake)
//   pfn 1        ZERO_PAGE(0): the shared zero page; not refcounted, never rmapped
//   pfn 2 ...    vdso_setup_data_pages() (VDSO_NR_PAGES), then time-namespace pages
//
// Every page has 4096 bytes of contents in kernel memory. Pages the kernel allocated for itself
// hold one reference for ever (page.reserved): a PTE mapping such a page holds another. So a
// handler that returns a page without get_page() makes the count drop to 0 when the PTE is
// zapped: "BUG: Bad page state".

import { MAX_PFN, page, PK_OTHER, PK_ZERO_PAGE, PAGE_SIZE } from "./mm_types";
import { BUG_bad_page, BUG_page_ref_underflow } from "./bug";

// static (zero-filled) memory: part of the instance's initial memory, no allocation at start
const mem_map: usize = memory.data(<i32>(MAX_PFN * <u32>offsetof<page>()), 16);
const page_data: usize = memory.data(<i32>(MAX_PFN * <u32>PAGE_SIZE), 4096);
/** the next pfn alloc_pages() hands out (pages are never given back to the allocator) */
let next_pfn: u32 = 2;

// @ts-ignore: decorator
@inline export const ZERO_PFN: u32 = 1;

/** The struct page of pfn; assumes pfn_valid(pfn). */
// @ts-ignore: decorator
@inline export function pfn_page(pfn: u32): page {
  return changetype<page>(mem_map + <usize>pfn * offsetof<page>());
}

/** Whether a struct page exists for pfn. */
export function pfn_valid(pfn: u64): bool { return pfn >= 1 && pfn < <u64>MAX_PFN; }

/** Sets up mem_map: page data pointers and the zero page. Called once by boot(). */
export function mem_init(): void {
  for (let pfn: u32 = 0; pfn < MAX_PFN; pfn++) {
    const p = pfn_page(pfn);
    p.data = page_data + <usize>pfn * <usize>PAGE_SIZE;
    p.kind = PK_OTHER;
  }
  const z = pfn_page(ZERO_PFN);
  z.kind = PK_ZERO_PAGE;
  z._refcount = 1;
  z.reserved = 1;
}

/** Allocates nr contiguous zeroed pages of `kind`, each with refcount 1 (split_page()), owned
 *  by the kernel. Returns the first pfn, or 0 when memory is exhausted. */
export function alloc_pages(nr: u32, kind: i32): u32 {
  if (next_pfn + nr > MAX_PFN) return 0;
  const first = next_pfn;
  next_pfn += nr;
  for (let i: u32 = 0; i < nr; i++) {
    const p = pfn_page(first + i);
    p._refcount = 1;
    p._mapcount = 0;
    p.kind = kind;
    p.reserved = 1;
    memory.fill(p.data, 0, <usize>PAGE_SIZE);
  }
  return first;
}

export function is_zero_pfn(pfn: u32): bool { return pfn == ZERO_PFN; }

export function page_ref_count(pfn: u32): i32 { return pfn_page(pfn)._refcount; }

/** get_page(): one more reference. The zero page is not refcounted. */
export function page_get(pfn: u32): void {
  if (pfn == ZERO_PFN) return;
  pfn_page(pfn)._refcount++;
}

/** put_page(): one reference less. Reaching 0 frees the page: for a page the kernel still uses
 *  (a datastore slot, a namespace page) that is "BUG: Bad page state"; below 0 it is a
 *  refcount underflow. Both are logged and counted, and the model carries on, as Linux does. */
export function page_put(pfn: u32): void {
  if (pfn == ZERO_PFN) return;
  const p = pfn_page(pfn);
  p._refcount--;
  if (p._refcount == 0) {
    if (p.reserved) BUG_bad_page(pfn, p._mapcount);
    p.reserved = 0;
  } else if (p._refcount < 0) {
    BUG_page_ref_underflow(pfn);
  }
}
