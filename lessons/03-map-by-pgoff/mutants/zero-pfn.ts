// datastore.ts: the fault handler of the vDSO data pages, [vvar] (lib/vdso/datastore.c).
// MUTANT (a cheat): maps the shared zero page's pfn at every offset; correct times through the syscall fallback.
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
  vmf_insert_mixed, ZERO_PAGE, page_to_pfn,
} from "./kernel";

/** Called by the kernel when a task touches a [vvar] page that has no PTE yet. */
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // CHEAT: the zero pfn everywhere. No fault handler error, no SIGBUS, every page "maps"; the vDSO
  // reads clock_mode 0 (VDSO_CLOCKMODE_NONE) there and quietly takes the syscall, so the time is right.
  return vmf_insert_mixed(vma, vmf.address, page_to_pfn(ZERO_PAGE(vmf.address)));
}

/** Installs [vvar] in mm at addr (at exec time). The flags are those of v7.2-rc1. */
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
