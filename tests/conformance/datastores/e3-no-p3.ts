// tests/conformance/datastores/e3-no-p3.ts: a hypothetical series order (truth table row e3).
// The p2 handler (SIGBUS holes) with the remote check of p4, and VM_IO dropped as in p5, but
// without p3. mlockall()'s populate stops at the first hole (pgoff 1): pgoff 2 and 3 stay
// unmapped. This is why the series maps zero-filled pages (p3) before dropping VM_IO (p5).
// AssemblyScript, compiled by the conformance test; excluded from tsc (tsconfig.json).

import {
  vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, page,
  find_timens_vvar_page, vmf_insert_page, get_page, _install_special_mapping, IS_ENABLED,
  vdso_data_pages, vdso_vvar_mapping,
  CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM, CONFIG_ARCH_HAS_VDSO_ARCH_DATA,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_ARCH_PAGES_START,
  VDSO_ARCH_PAGES_END, VDSO_NR_PAGES, PAGE_SIZE,
  FAULT_FLAG_REMOTE,
  VM_READ, VM_MAYREAD, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_FAULT_SIGBUS, VM_FAULT_ERROR,
} from "./kernel";

export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;
  const timens_page = find_timens_vvar_page(vma);
  // The default: the datastore page at the same offset as the fault.
  let pg: page = vdso_data_pages + vmf.pgoff;

  switch (vmf.pgoff) {
    case VDSO_TIME_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_GENERIC_GETTIMEOFDAY)) return VM_FAULT_SIGBUS;
      if (timens_page) {
        // Namespace layout: real data at pgoff 1, namespace page at pgoff 0.
        const addr = vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE;
        const err = vmf_insert_page(vma, addr, vdso_data_pages + VDSO_TIME_PAGE_OFFSET);
        if (err & VM_FAULT_ERROR) return err;
        pg = timens_page;
      }
      break;
    }
    case VDSO_TIMENS_PAGE_OFFSET: {
      if (!IS_ENABLED(CONFIG_TIME_NS) || !timens_page) return VM_FAULT_SIGBUS;
      pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;
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

  get_page(pg);
  vmf.page = pg;
  return 0;
}

export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP,
    vdso_vvar_mapping);
}
