// datastore.ts after patch 2/6 "vdso/datastore: Map pages in terms of the faults pgoff" (7557273419).
// Mirrors lib/vdso/datastore.c: vvar_fault() and vdso_install_vvar_mapping().
//
// What changed: the page for pgoff n is simply `vdso_data_pages + n`, the n-th page of the
// block allocated at boot, because the block is laid out exactly like [vvar]. The
// virt_to_page(vdso_k_*_data) lookups are gone; the time-namespace case names the time page as
// `vdso_data_pages + VDSO_TIME_PAGE_OFFSET`. Behaviour is unchanged: the same pages, and still
// SIGBUS where the kernel provides no data.

import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, page,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping, IS_ENABLED,
  vdso_data_pages, vdso_vvar_mapping,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START,
  VDSO_ARCH_PAGES_END, VDSO_NR_PAGES, PAGE_SIZE,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  const timens_page = find_timens_vvar_page(vma);
  // The default: the datastore page at the same offset as the fault.
  let pg: page = vdso_data_pages + vmf.pgoff;

  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      if (timens_page) {
        // Namespace layout: real data at pgoff 1, namespace page at pgoff 0.
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_page(vma, addr, vdso_data_pages + VDSO_TIME_PAGE_OFFSET);
        if (err & VM_FAULT_ERROR) return err;
        pg = timens_page;
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) return VM_FAULT_SIGBUS;
      pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;
      break;
    }
    case VDSO_RNG_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_VDSO_GETRANDOM)) return VM_FAULT_SIGBUS;
      break;
    }
    default: {
      if (vmf.pgoff < VDSO_ARCH_PAGES_START || vmf.pgoff > VDSO_ARCH_PAGES_END) return VM_FAULT_SIGBUS;
      if (!IS_ENABLED(CONFIG_ARCH_HAS_VDSO_ARCH_DATA)) return VM_FAULT_SIGBUS;
      break;
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
