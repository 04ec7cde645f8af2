// datastore_pages.ts: the vDSO data store, VDSO_NR_PAGES pages allocated once at boot.
// Models: lib/vdso/datastore.c vdso_setup_data_pages() (v7.0+), include/vdso/datapage.h.
//
//   slot (pgoff)  enum vdso_pages              holds                      when its option is off
//   ------------  ---------------------------  -------------------------  ----------------------
//   0             VDSO_TIME_PAGE_OFFSET        struct vdso_time_data      zeros
//   1             VDSO_TIMENS_PAGE_OFFSET      nothing: always zeros      -
//   2             VDSO_RNG_PAGE_OFFSET         struct vdso_rng_data       zeros
//   3 ..          VDSO_ARCH_PAGES_START ..     struct vdso_arch_data      zeros
//
// The block is one allocation split into order-0 pages, each refcounted on its own. Unused slots
// stay allocated (and zero) to keep the layout: they are what the merged series maps instead of
// raising SIGBUS. Only the kernel writes them.

import { alloc_pages, pfn_page } from "./page_alloc";
import { PK_ARCH, PK_RNG, PK_TIME, PK_ZERO, PAGE_SHIFT } from "./mm_types";
import { CONFIG_ARCH_HAS_VDSO_ARCH_DATA_y, CONFIG_GENERIC_GETTIMEOFDAY_y, CONFIG_VDSO_GETRANDOM_y, VDSO_NR_PAGES } from "./config";

// @ts-ignore: decorator
@inline export const VDSO_TIME_PAGE_OFFSET: u32 = 0;
// @ts-ignore: decorator
@inline export const VDSO_TIMENS_PAGE_OFFSET: u32 = 1;
// @ts-ignore: decorator
@inline export const VDSO_RNG_PAGE_OFFSET: u32 = 2;
// @ts-ignore: decorator
@inline export const VDSO_ARCH_PAGES_START: u32 = 3;

/** x86-64 direct map: the kernel virtual address of pfn is PAGE_OFFSET + (pfn << PAGE_SHIFT). */
// @ts-ignore: decorator
@inline export const PAGE_OFFSET: u64 = 0xffff888000000000;

/** struct vdso_rng_data { u64 generation; u8 is_ready; } */
// @ts-ignore: decorator
@inline export const RNG_GENERATION: usize = 0;
// @ts-ignore: decorator
@inline export const RNG_IS_READY: usize = 8;

/** pfn of the first page of the allocation (vdso_data_pages) */
export let vdso_data_pages_pfn: u32 = 0;

/** Allocates and fills the data store. Called once by boot(), after the configuration is set. */
export function vdso_setup_data_pages(): void {
  const nr = VDSO_NR_PAGES;
  vdso_data_pages_pfn = alloc_pages(nr, PK_ZERO);
  assert(vdso_data_pages_pfn != 0, "vdso_setup_data_pages: no memory");
  if (CONFIG_GENERIC_GETTIMEOFDAY_y) pfn_page(vdso_data_pages_pfn + VDSO_TIME_PAGE_OFFSET).kind = PK_TIME;
  if (CONFIG_VDSO_GETRANDOM_y) {
    const rng = pfn_page(vdso_data_pages_pfn + VDSO_RNG_PAGE_OFFSET);
    rng.kind = PK_RNG;
    store<u64>(rng.data + RNG_GENERATION, 1);   // crng is seeded at boot
    store<u8>(rng.data + RNG_IS_READY, 1);
  }
  if (CONFIG_ARCH_HAS_VDSO_ARCH_DATA_y) {
    for (let i: u32 = VDSO_ARCH_PAGES_START; i < nr; i++) {
      const a = pfn_page(vdso_data_pages_pfn + i);
      a.kind = PK_ARCH;
      store<u64>(a.data, 0x6863726100000000 | <u64>(i - VDSO_ARCH_PAGES_START)); // "arch" + index
    }
  }
}

/** Kernel address of the time data (vdso_k_time_data); a data pointer for the model itself. */
export function vdso_time_data_ptr(): usize {
  return pfn_page(vdso_data_pages_pfn + VDSO_TIME_PAGE_OFFSET).data;
}

/** vdso_k_time_data / vdso_k_rng_data / vdso_k_arch_data as kernel virtual addresses, for
 *  virt_to_page(): `which` is the slot (0, 2 or 3). */
export function vdso_k_data_kaddr(which: u32): u64 {
  return PAGE_OFFSET + (<u64>(vdso_data_pages_pfn + which) << PAGE_SHIFT);
}
