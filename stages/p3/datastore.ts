// datastore.ts after patch 3/6 "vdso/datastore: Map zeroed pages for unavailable data" (43648f9f).
// Mirrors lib/vdso/datastore.c: vvar_fault() and vdso_install_vvar_mapping().
//
// What changed: no more SIGBUS holes. Where the kernel provides no data (a config option is
// off, or pgoff 1 outside a time namespace) the handler now maps the datastore's own slot for
// that pgoff, which is all zeros. Why: mlockall()'s populate stops at the first page that cannot
// be faulted in, so a hole would leave the pages after it unmapped once VM_IO is dropped (patch
// 5). Not ZERO_PAGE: v2 of the series returned the shared zero page through vmf->page and the
// kernel test robot hit an rmap WARN; the zero page is not a refcounted, rmapped page.

import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, page,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping, IS_ENABLED,
  vdso_data_pages, vdso_vvar_mapping,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START,
  VDSO_ARCH_PAGES_END, VDSO_NR_PAGES, PAGE_SIZE,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  const timens_page = find_timens_vvar_page(vma);
  // The default: the datastore page at the same offset. For data the kernel does not provide,
  // that page is one of the block's zero-filled slots.
  let pg: page = vdso_data_pages + vmf.pgoff;

  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) break;       // zeros: the vDSO falls back
      if (timens_page) {
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_page(vma, addr, vdso_data_pages + VDSO_TIME_PAGE_OFFSET);
        if (err & VM_FAULT_ERROR) return err;
        pg = timens_page;
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) break;   // zeros in the root namespace
      pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;
      break;
    }
    case VDSO_RNG_PAGE_OFFSET:
      break;                                                     // data, or zeros if disabled
    default: {
      if (vmf.pgoff < VDSO_ARCH_PAGES_START || vmf.pgoff > VDSO_ARCH_PAGES_END) return VM_FAULT_SIGBUS;
      break;                                                     // data, or zeros if disabled
    }
  }

  get_page(pg);
  vmf.page = pg;
  return 0;
}

export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
