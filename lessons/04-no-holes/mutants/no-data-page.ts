// datastore.ts: the fault handler of the vDSO data pages, [vvar] (lib/vdso/datastore.c).
// MUTANT (a cheat): maps no data page at all, a pfn with no struct page; correct times through the syscall fallback.
// Lesson 4 solution: patch 3, "map zeroed pages for unavailable data" (no more SIGBUS holes).
import {
  vm_fault_t, vm_fault, vm_area_struct, vm_special_mapping, mm_struct, page,
  VM_FAULT_SIGBUS, VM_FAULT_ERROR, PAGE_SIZE, IS_ENABLED,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_NR_PAGES,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP,
  vdso_data_pages, vdso_vvar_mapping,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping,
  vmf_insert_mixed,
} from "./kernel";

/** Called by the kernel when a task touches a [vvar] page that has no PTE yet. */
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // CHEAT: a pfn past the end of memory (no struct page): every page "maps", the vDSO reads
  // zeros there and quietly takes the syscall fallback, so the time is still right.
  return vmf_insert_mixed(vma, vmf.address, 0x3ffffff0);
}

/** Installs [vvar] in mm at addr (at exec time). The flags are those of v7.2-rc1. */
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
