// datastore.ts: the fault handler of the vDSO data pages, [vvar] (lib/vdso/datastore.c).
// MUTANT (a cheat): the lesson 3 solution handed in unchanged, as lesson 4.
// Lesson 3 solution: patches 1 and 2, "map pages in terms of the fault's pgoff".
import {
  vm_fault_t, vm_fault, vm_area_struct, vm_special_mapping, mm_struct, page,
  VM_FAULT_SIGBUS, VM_FAULT_ERROR, PAGE_SIZE, IS_ENABLED,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET,
  VDSO_ARCH_PAGES_START, VDSO_ARCH_PAGES_END, VDSO_NR_PAGES,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP,
  vdso_data_pages, vdso_vvar_mapping,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping,
} from "./kernel";

/** Called by the kernel when a task touches a [vvar] page that has no PTE yet. Returns 0 with
 *  vmf.page set (and a reference taken), an error from vmf_insert_page(), or VM_FAULT_SIGBUS
 *  when the page offset has no data. */
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  const timens_page = find_timens_vvar_page(vma);
  // One rule for every page: the datastore holds one page per pgoff, in enum vdso_pages order.
  let p: page = vdso_data_pages + vmf.pgoff;
  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      if (timens_page) {
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_page(vma, addr, p);
        if (err & VM_FAULT_ERROR) return err;
        p = timens_page;
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) return VM_FAULT_SIGBUS;
      // The exception to the rule: in a namespace, pgoff 1 shows the real time data.
      p = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;
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
  get_page(p);
  vmf.page = p;
  return 0;
}

/** Installs [vvar] in mm at addr (at exec time). The flags are those of v7.2-rc1. */
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
