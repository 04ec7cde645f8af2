// datastore.ts: the fault handler of the vDSO data pages, [vvar] (lib/vdso/datastore.c).
// Lesson 6 solution: patches 5 and 6, "allow prefaulting by mlockall()": the series as merged.
import {
  vm_fault_t, vm_fault, FAULT_FLAG_REMOTE, vm_area_struct, vm_special_mapping, mm_struct, page,
  VM_FAULT_SIGBUS, VM_FAULT_ERROR, PAGE_SIZE, IS_ENABLED,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_NR_PAGES,
  VM_READ, VM_MAYREAD, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP,
  vdso_data_pages, vdso_vvar_mapping,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping,
} from "./kernel";

/** Called by the kernel when a task touches a [vvar] page that has no PTE yet. Returns 0 with
 *  vmf.page set (and a reference taken), or an error from vmf_insert_page(). A page whose data
 *  is unavailable maps its own zero-filled slot. A remote fault, or a pgoff past the datastore,
 *  is VM_FAULT_SIGBUS. */
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  // A remote fault (/proc/pid/mem, process_vm_readv, PTRACE_PEEKDATA) comes from another mm:
  // find_timens_vvar_page() cannot know that task's namespace and would WARN. Refuse it first.
  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;
  const timens_page = find_timens_vvar_page(vma);
  if (vmf.pgoff >= VDSO_NR_PAGES) return VM_FAULT_SIGBUS;
  let p: page = vdso_data_pages + vmf.pgoff;
  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY) || !timens_page) break;
      const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
      const err = vmf_insert_page(vma, addr, p);
      if (err & VM_FAULT_ERROR) return err;
      p = timens_page;
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      // Root namespace: the zero-filled TIMENS slot, not a hole.
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) break;
      p = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;
      break;
    }
    default:
      // RNG and arch pages: data when the config option is on, the zero-filled slot when off.
      break;
  }
  get_page(p);
  vmf.page = p;
  return 0;
}

/** Installs [vvar] in mm at addr (at exec time). Without VM_IO, __mm_populate() and GUP no
 *  longer skip the mapping: mlockall(MCL_CURRENT) prefaults every page. VM_MIXEDMAP stays,
 *  for vmf_insert_page() in the namespace case. */
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
