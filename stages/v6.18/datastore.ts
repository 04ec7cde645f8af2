// datastore.ts: the vDSO data pages' fault handler as Linux v6.18 had it (the VM_PFNMAP era).
// Mirrors lib/vdso/datastore.c of v6.13 .. v6.18: vvar_fault() and vdso_install_vvar_mapping().
//
// Same rules as stages/pre (the v7.2-rc1 handler the series starts from): each pgoff maps one
// kernel data page, an absent one is a SIGBUS hole, and a task in a time namespace gets its
// namespace page at pgoff 0 with the real data pre-inserted at pgoff 1. What differs is how a
// page is mapped. The data pages were static kernel-image data then, not struct pages from the
// page allocator, so the handler inserts raw pfns with vmf_insert_pfn() and the VMA is
// VM_PFNMAP (VmFlags "pf") instead of VM_MIXEDMAP ("mm"). Those PTEs are special: no refcount,
// no rmap, and smaps does not count them, so [vvar] shows "Rss: 0 kB" however many pages are
// mapped. v7.0 ("vdso/datastore: Allocate data pages dynamically", "Map pages through struct
// page") moved to the vmf->page form of stages/pre. VM_IO is the same in both eras, and it is
// what keeps mlockall() and remote reads away from [vvar].

import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct,
  find_timens_vvar_page, vmf_insert_pfn, page_to_pfn, virt_to_page, _install_special_mapping, IS_ENABLED,
  vdso_k_time_data, vdso_k_rng_data, vdso_k_arch_data, vdso_vvar_mapping,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START,
  VDSO_ARCH_PAGES_END, VDSO_NR_PAGES, PAGE_SIZE,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_PFNMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // No check for remote faults: VM_IO|VM_PFNMAP already stop GUP in check_vma_flags().
  const timens_page = find_timens_vvar_page(vma);
  let pfn: u64;

  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      pfn = page_to_pfn(virt_to_page(vdso_k_time_data));
      if (timens_page) {
        // The namespace page goes to pgoff 0; the vDSO then reads the real data at pgoff 1,
        // so insert that as well and spare the task a second fault.
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_pfn(vma, addr, pfn);
        if (err & VM_FAULT_ERROR) return err;
        pfn = page_to_pfn(timens_page);
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      // Only a task in a time namespace has anything at pgoff 1: the real time data.
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) return VM_FAULT_SIGBUS;
      pfn = page_to_pfn(virt_to_page(vdso_k_time_data));
      break;
    }
    case VDSO_RNG_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_VDSO_GETRANDOM)) return VM_FAULT_SIGBUS;
      pfn = page_to_pfn(virt_to_page(vdso_k_rng_data));
      break;
    }
    default: {
      if (vmf.pgoff < VDSO_ARCH_PAGES_START || vmf.pgoff > VDSO_ARCH_PAGES_END) return VM_FAULT_SIGBUS;
      if (!IS_ENABLED(CONFIG_ARCH_HAS_VDSO_ARCH_DATA)) return VM_FAULT_SIGBUS;
      pfn = page_to_pfn(virt_to_page(vdso_k_arch_data)) + (vmf.pgoff - VDSO_ARCH_PAGES_START);
      break;
    }
  }

  // A special PTE for the pfn; VM_FAULT_NOPAGE tells the fault code the PTE is in place.
  return vmf_insert_pfn(vma, vmf.address, pfn);
}

export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
