// datastore.ts: the vDSO data pages' fault handler, as in Linux v7.2-rc1 (before the series).
// Mirrors lib/vdso/datastore.c: vvar_fault() and vdso_install_vvar_mapping().
//
// Each pgoff of [vvar] maps one kernel page, found through its kernel address
// (virt_to_page(vdso_k_*_data)). A page whose data the kernel does not provide (a config option
// is off, or the task is not in a time namespace) gets SIGBUS: a hole in the VMA.
// The VMA carries VM_IO. That keeps two things away: mlockall()'s populate (so every task still
// takes one page fault, ~20 us, at its first clock_gettime()), and remote access
// (/proc/pid/mem, ptrace, process_vm_readv), which GUP refuses before the handler is reached.

import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, page,
  find_timens_vvar_page, vmf_insert_page, get_page, virt_to_page, _install_special_mapping, IS_ENABLED,
  vdso_k_time_data, vdso_k_rng_data, vdso_k_arch_data, vdso_vvar_mapping,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START,
  VDSO_ARCH_PAGES_END, VDSO_NR_PAGES, PAGE_SIZE,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // No check for remote faults: VM_IO already stops GUP in check_vma_flags().
  const timens_page = find_timens_vvar_page(vma);
  let pg: page;

  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      pg = virt_to_page(vdso_k_time_data);
      if (timens_page) {
        // In a time namespace the vDSO reads the namespace page at pgoff 0 and the real data
        // at pgoff 1. Map the real data at pgoff 1 now, so the vDSO does not fault twice.
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_page(vma, addr, pg);
        if (err & VM_FAULT_ERROR) return err;
        pg = timens_page;
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      // Only a task in a time namespace has anything at pgoff 1: the real time data.
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) return VM_FAULT_SIGBUS;
      pg = virt_to_page(vdso_k_time_data);
      break;
    }
    case VDSO_RNG_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_VDSO_GETRANDOM)) return VM_FAULT_SIGBUS;
      pg = virt_to_page(vdso_k_rng_data);
      break;
    }
    default: {
      if (vmf.pgoff < VDSO_ARCH_PAGES_START || vmf.pgoff > VDSO_ARCH_PAGES_END) return VM_FAULT_SIGBUS;
      if (!IS_ENABLED(CONFIG_ARCH_HAS_VDSO_ARCH_DATA)) return VM_FAULT_SIGBUS;
      pg = virt_to_page(vdso_k_arch_data) + (vmf.pgoff - VDSO_ARCH_PAGES_START);
      break;
    }
  }

  // Hand the page to the generic fault code, which maps it (finish_fault) and keeps this ref.
  get_page(pg);
  vmf.page = pg;
  return 0;
}

export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
