// datastore.ts after patch 5/6 "vdso/datastore: Allow prefaulting by mlockall()" (c27e727c).
// Mirrors lib/vdso/datastore.c: vvar_fault() and vdso_install_vvar_mapping().
//
// What changed: VM_IO is gone from the VMA flags. __mm_populate() skips VM_IO|VM_PFNMAP VMAs,
// so until now mlockall(MCL_CURRENT) left [vvar] alone and the first clock_gettime() still took a
// page fault (~20 us) in a latency-sensitive program. Now mlockall(), mlock() and
// MADV_POPULATE_READ fault every pgoff in ahead of time: no exceptions later. [vvar] still never
// becomes VM_LOCKED (it is VM_SPECIAL); it is only prefaulted. Side effect: GUP now accepts the
// VMA, so remote reads of pages already mapped succeed; absent ones meet the check of patch 4.

import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, page,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping, IS_ENABLED,
  vdso_data_pages, vdso_vvar_mapping,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START,
  VDSO_ARCH_PAGES_END, VDSO_NR_PAGES, PAGE_SIZE, FAULT_FLAG_REMOTE,
  VM_READ, VM_MAYREAD, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // A remote fault (/proc/pid/mem, ptrace, process_vm_readv: FAULT_FLAG_REMOTE) comes from
  // another task, so current's time namespace says nothing about the target:
  // find_timens_vvar_page() would WARN "vvar_page accessed remotely" and map the wrong page.
  // Refuse before looking it up. Until now VM_IO kept GUP away; patch 5 drops it.
  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;

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
    VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
