// datastore.ts after patch 6/6 "vdso/datastore: Simplify the mapping logic for
// VDSO_TIME_PAGE_OFFSET" (0b50763e): the handler as merged for v7.2.
// Mirrors lib/vdso/datastore.c: vvar_fault() and vdso_install_vvar_mapping().
//
// What changed: only the shape of the TIME case, flattened to "nothing special unless there is
// a namespace page". Behaviour is that of patch 5. The whole series, in one handler:
//   * a remote fault is refused before the time namespace is looked up (no WARN);
//   * pgoff n maps vdso_data_pages + n, zero-filled where the kernel provides no data;
//   * in a time namespace pgoff 0 is the namespace page and pgoff 1 the real time data;
//   * no VM_IO, so mlockall() prefaults [vvar] and no exception follows.

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
  // Remote access (/proc/pid/mem, ptrace, process_vm_readv) cannot know the target's
  // namespace layout: refuse it before find_timens_vvar_page() would WARN.
  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;

  const timens_page = find_timens_vvar_page(vma);
  let pg: page = vdso_data_pages + vmf.pgoff;

  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY) || !timens_page) break;
      // Namespace layout: the real data goes to pgoff 1 now (one fault maps both pages), and
      // the namespace page, whose clock_mode sends the vDSO to pgoff 1, to pgoff 0.
      const err = vmf_insert_page(vma, vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE,
                                  vdso_data_pages + VDSO_TIME_PAGE_OFFSET);
      if (err & VM_FAULT_ERROR) return err;
      pg = timens_page;
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      if (IS_ENABLED(CONFIG_TIME_NS) && timens_page) pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;
      break;
    }
    case VDSO_RNG_PAGE_OFFSET:
      break;
    default: {
      if (vmf.pgoff < VDSO_ARCH_PAGES_START || vmf.pgoff > VDSO_ARCH_PAGES_END) return VM_FAULT_SIGBUS;
      break;
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
