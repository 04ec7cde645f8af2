// datastore.ts: the fault handler of the vDSO data pages, [vvar] (lib/vdso/datastore.c).
// MUTANT (a cheat): the lesson 1 solution handed in unchanged, as lesson 2.
// Lesson 1 solution: the root time namespace only.
import {
  vm_fault_t, vm_fault, vm_area_struct, vm_special_mapping, mm_struct, page,
  VM_FAULT_SIGBUS, PAGE_SIZE, IS_ENABLED,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START, VDSO_ARCH_PAGES_END,
  VDSO_NR_PAGES, VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP,
  vdso_k_time_data, vdso_k_rng_data, vdso_k_arch_data, vdso_vvar_mapping,
  virt_to_page, get_page, _install_special_mapping,
} from "./kernel";

/** Called by the kernel when a task touches a [vvar] page that has no PTE yet. Returns 0 with
 *  vmf.page set (and a reference taken) to map that page, or VM_FAULT_SIGBUS when the page
 *  offset has no data. */
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  let p: page;
  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      // The time data (struct vdso_time_data) that the vDSO's clock_gettime() reads.
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      p = virt_to_page(vdso_k_time_data);
      break;
    }
    case VDSO_RNG_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_VDSO_GETRANDOM)) return VM_FAULT_SIGBUS;
      p = virt_to_page(vdso_k_rng_data);
      break;
    }
    default: {
      // The architecture's pages, VDSO_ARCH_PAGES_START ..= VDSO_ARCH_PAGES_END.
      if (vmf.pgoff >= VDSO_ARCH_PAGES_START && vmf.pgoff <= VDSO_ARCH_PAGES_END &&
          IS_ENABLED(CONFIG_ARCH_HAS_VDSO_ARCH_DATA)) {
        p = virt_to_page(vdso_k_arch_data) + (vmf.pgoff - VDSO_ARCH_PAGES_START);
        break;
      }
      // Everything else has no data here: VDSO_TIMENS_PAGE_OFFSET (the root namespace has no
      // namespace page) and any page whose config option is off. No page, no mapping: SIGBUS.
      return VM_FAULT_SIGBUS;
    }
  }
  get_page(p);      // finish_fault() takes over this reference when it maps the page
  vmf.page = p;
  return 0;
}

/** Installs [vvar] in mm at addr (at exec time). The flags are those of v7.2-rc1. */
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
