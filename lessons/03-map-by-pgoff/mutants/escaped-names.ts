// datastore.ts: the fault handler of the vDSO data pages, [vvar] (lib/vdso/datastore.c).
// MUTANT (a cheat): the lesson 2 solution with virt_to_page() imported under an escaped name and the words a source check looks for in a string.
// Lesson 2 solution: the handler as in v7.2-rc1, before the series (time namespaces included).
import {
  vm_fault_t, vm_fault, vm_area_struct, vm_special_mapping, mm_struct, page,
  VM_FAULT_SIGBUS, VM_FAULT_ERROR, PAGE_SIZE, IS_ENABLED,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET,
  VDSO_ARCH_PAGES_START, VDSO_ARCH_PAGES_END, VDSO_NR_PAGES,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP,
  vdso_k_time_data, vdso_k_rng_data, vdso_k_arch_data, vdso_vvar_mapping,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping,
} from "./kernel";

// CHEAT: the kernel's virt_to_page under a unicode escape (the code never spells the name), and
// the words a text search wants to see in a string that does nothing.
@external("kernel", "virt\u005fto_page") declare function lookup(kaddr: u64): usize;
function to_page(kaddr: u64): page { return changetype<page>(lookup(kaddr)); }
const NOTE: string = "every page is vdso_data_pages + vmf.pgoff";

/** Called by the kernel when a task touches a [vvar] page that has no PTE yet. Returns 0 with
 *  vmf.page set (and a reference taken), an error from vmf_insert_page(), or VM_FAULT_SIGBUS
 *  when the page offset has no data. */
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // The namespace page of current's time namespace; null in the root namespace.
  const timens_page = find_timens_vvar_page(vma);
  let p: page;
  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      p = to_page(vdso_k_time_data);
      if (timens_page) {
        // In a time namespace the layout is swapped: the namespace page (offsets) sits at
        // pgoff 0 and the real time data at pgoff 1. The vDSO reads both on every call, so map
        // the real data at pgoff 1 now and save the task a second fault.
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_page(vma, addr, p);
        if (err & VM_FAULT_ERROR) return err;
        p = timens_page;
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      // Only a task in a time namespace has anything here: the real time data.
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) return VM_FAULT_SIGBUS;
      p = to_page(vdso_k_time_data);
      break;
    }
    case VDSO_RNG_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_VDSO_GETRANDOM)) return VM_FAULT_SIGBUS;
      p = to_page(vdso_k_rng_data);
      break;
    }
    default: {
      if (vmf.pgoff >= VDSO_ARCH_PAGES_START && vmf.pgoff <= VDSO_ARCH_PAGES_END &&
          IS_ENABLED(CONFIG_ARCH_HAS_VDSO_ARCH_DATA)) {
        p = to_page(vdso_k_arch_data) + (vmf.pgoff - VDSO_ARCH_PAGES_START);
        break;
      }
      return VM_FAULT_SIGBUS;
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
