// mmap.ts: address spaces, VMAs, and the special mapping [vvar].
// Models: kernel/fork.c mm_alloc/mmput, mm/mmap.c (_install_special_mapping,
//         __install_special_mapping, special_mapping_fault, dup_mmap, exit_mmap).
//
// Each mm has at most one VMA: [vvar], created by the learner's vdso_install_vvar_mapping()
// through _install_special_mapping(). Its ->fault is the learner's vvar_fault(), reached through
// a slot of the kernel's function table (the host puts the learner's export there), so a fault
// is a direct wasm-to-wasm call.

import { mm_struct, vm_area_struct, vm_fault, vm_operations_struct, MAX_MMS, MAX_VMAS, PTRS_PER_VVAR, VVAR_BASE, PAGE_SHIFT,
         PAGE_SIZE, VM_DONTEXPAND, VM_LOCKED_MASK, VM_INIT_DEF_MASK, VM_FAULT_SIGBUS, H_VMA, H_MM,
         H_VVAR_MAPPING, kzalloc, VM_SOFTDIRTY, VM_DONTCOPY, VM_WIPEONFORK, TASK_SIZE } from "./mm_types";
import { zap_vma_pages, copy_page_range } from "./memory";
import { printk } from "./printk";
import { TD_NONE, TD_FORK_DONTCOPY, TD_FORK_WIPEONFORK, TD_FORK_NO_PTE_COPY, call_enter, call_exit,
         KF_SPECIAL_MAPPING_FAULT, KF_VVAR_FAULT } from "./trace";
import { current } from "./sched";

const mm_table: usize = kzalloc(<usize>MAX_MMS * sizeof<usize>());
const vma_table: usize = kzalloc(<usize>MAX_VMAS * sizeof<usize>());
let nr_mms: u32 = 0;
let nr_vmas: u32 = 0;

/** Function-table slots of the learner's exports (0: not linked yet). */
export let vvar_fault_slot: u32 = 0;
export let vdso_install_slot: u32 = 0;

export function set_learner_slots(fault: u32, install: u32): void {
  vvar_fault_slot = fault;
  vdso_install_slot = install;
}

/** True while the kernel runs the learner's vdso_install_vvar_mapping() for install_mm: the only
 *  time learner_abi.ts lets it call _install_special_mapping(), and only for that mm. */
export let in_install: bool = false;
export let install_mm: mm_struct | null = null;

function set_install_context(mm: mm_struct | null): void {
  in_install = mm !== null;
  install_mm = mm;
}

/** special_mapping_vmops: the vm_ops of every VMA _install_special_mapping() creates; its
 *  ->fault is special_mapping_fault(). */
export const special_mapping_vmops: vm_operations_struct =
  changetype<vm_operations_struct>(kzalloc(offsetof<vm_operations_struct>()));
special_mapping_vmops.fault = special_mapping_fault;

/** CONFIG_MEM_SOFT_DIRTY: off in the model, so smaps shows no "sd". */
// @ts-ignore: decorator
@inline const pgtable_supports_soft_dirty: bool = false;

/** mm_alloc(): a new, empty address space (def_flags from `parent_def_flags` & VM_INIT_DEF_MASK,
 *  as mm_init() does: the lock bits are never inherited). Null when the table is full. */
export function mm_alloc(parent_def_flags: u64): mm_struct | null {
  if (nr_mms >= MAX_MMS) return null;
  const mm = changetype<mm_struct>(kzalloc(offsetof<mm_struct>()));
  nr_mms++;
  mm.id = nr_mms;
  mm.mm_users = 1;
  mm.def_flags = parent_def_flags & VM_INIT_DEF_MASK;
  mm.pgtable = kzalloc(<usize>PTRS_PER_VVAR * 4);
  store<usize>(mm_table + <usize>(nr_mms - 1) * sizeof<usize>(), changetype<usize>(mm));
  return mm;
}

export function mm_handle(mm: mm_struct): u32 { return H_MM | mm.id; }
export function vma_handle(vma: vm_area_struct): u32 { return H_VMA | vma.id; }

/** The live mm named by handle h, or null (forged, or the mm is gone). */
export function mm_from_handle(h: u32): mm_struct | null {
  if ((h & 0xf0000000) != H_MM) return null;
  const id = h & 0x0fffffff;
  if (id < 1 || id > nr_mms) return null;
  const mm = changetype<mm_struct>(load<usize>(mm_table + <usize>(id - 1) * sizeof<usize>()));
  return mm.dead ? null : mm;
}

/** The live VMA named by handle h, or null. */
export function vma_from_handle(h: u32): vm_area_struct | null {
  if ((h & 0xf0000000) != H_VMA) return null;
  const id = h & 0x0fffffff;
  if (id < 1 || id > nr_vmas) return null;
  const vma = changetype<vm_area_struct>(load<usize>(vma_table + <usize>(id - 1) * sizeof<usize>()));
  return vma.dead ? null : vma;
}

/** find_vma(): the VMA of mm containing addr, or null. */
export function find_vma(mm: mm_struct, addr: u64): vm_area_struct | null {
  const v = mm.vvar;
  if (v === null) return null;
  return addr >= v.vm_start && addr < v.vm_end ? v : null;
}

/** vma_pages() */
export function vma_pages(vma: vm_area_struct): u64 { return (vma.vm_end - vma.vm_start) >> PAGE_SHIFT; }

function vm_area_alloc(mm: mm_struct): vm_area_struct | null {
  if (nr_vmas >= MAX_VMAS) return null;
  const vma = changetype<vm_area_struct>(kzalloc(offsetof<vm_area_struct>()));
  nr_vmas++;
  vma.id = nr_vmas;
  vma.vm_mm = mm;
  store<usize>(vma_table + <usize>(nr_vmas - 1) * sizeof<usize>(), changetype<usize>(vma));
  return vma;
}

/** __install_special_mapping(): a VMA [addr, addr+len) in mm with vm_flags | def_flags |
 *  VM_DONTEXPAND (| VM_SOFTDIRTY), VM_LOCKED_MASK cleared, served by special mapping `spec`.
 *  No page is populated. Returns null (ERR_PTR) for a bad range, a second mapping, or no memory.
 *  Called by the learner's vdso_install_vvar_mapping() through learner_abi.ts. */
export function _install_special_mapping(mm: mm_struct, addr: u64, len: u64, vm_flags: u64, spec: u32): vm_area_struct | null {
  if (mm.vvar !== null) return null;                                    // -EEXIST
  if ((addr & (PAGE_SIZE - 1)) != 0 || len == 0 || (len & (PAGE_SIZE - 1)) != 0) return null;  // -EINVAL
  // the range checks of __get_unmapped_area() (mm/mmap.c), which the vDSO's caller ran on this
  // range: -ENOMEM for a length past TASK_SIZE or an end past it, written so that addr + len
  // is never computed when it could wrap past 2^64
  if (len > TASK_SIZE || addr > TASK_SIZE - len) return null;                  // -ENOMEM
  // the model's one page table covers PTRS_PER_VVAR pages from VVAR_BASE (a range outside it
  // would be another VMA's: insert_vm_struct()'s -ENOMEM)
  const window = <u64>PTRS_PER_VVAR << PAGE_SHIFT;
  if (addr < VVAR_BASE || len > window || addr - VVAR_BASE > window - len) return null; // -ENOMEM
  const vma = vm_area_alloc(mm);
  if (vma === null) return null;
  vma.vm_start = addr;
  vma.vm_end = addr + len;
  let flags = vm_flags | mm.def_flags | VM_DONTEXPAND;
  if (pgtable_supports_soft_dirty) flags |= VM_SOFTDIRTY;
  vma.vm_flags = flags & ~VM_LOCKED_MASK;
  vma.vm_pgoff = 0;
  vma.vm_special = spec;
  vma.vm_ops = special_mapping_vmops;
  mm.vvar = vma;
  mm.total_vm += len >> PAGE_SHIFT;
  return vma;
}

/** special_mapping_fault(): the ->fault of special_mapping_vmops. Calls the mapping's own
 *  ->fault, the learner's vvar_fault(sm, vma, vmf), through the function table, and returns
 *  its vm_fault_t; a mapping without one (not linked) is VM_FAULT_SIGBUS. */
export function special_mapping_fault(vmf: vm_fault): u32 {
  const vma = vmf.vma;
  const c = call_enter(current.pid, KF_SPECIAL_MAPPING_FAULT, vmf.pgoff, vmf.address, <u64>vmf.flags);
  let ret: u32 = VM_FAULT_SIGBUS;
  if (vma.vm_special == H_VVAR_MAPPING && vvar_fault_slot != 0) {
    // the learner's handler: its record carries what it was asked (vmf->pgoff, address, flags)
    const h = call_enter(current.pid, KF_VVAR_FAULT, vmf.pgoff, vmf.address, <u64>vmf.flags);
    ret = call_indirect<u32>(vvar_fault_slot, H_VVAR_MAPPING, vma_handle(vma), vmf.handle);
    call_exit(h, ret);
  }
  call_exit(c, ret);
  return ret;
}

/** arch_setup_additional_pages() for the data part: asks the learner's
 *  vdso_install_vvar_mapping(mm, VVAR_BASE) to create [vvar]. Returns the VMA, or null when the
 *  learner created none (the task then has no [vvar]: its vDSO calls SIGSEGV). */
export function arch_setup_vvar(mm: mm_struct): vm_area_struct | null {
  if (vdso_install_slot == 0) return null;
  set_install_context(mm);
  const h = call_indirect<u32>(vdso_install_slot, mm_handle(mm), VVAR_BASE);
  set_install_context(null);
  const vma = vma_from_handle(h);
  if (vma === null || vma.vm_mm !== mm || mm.vvar !== vma) {
    printk("vdso: vdso_install_vvar_mapping() did not return the new [vvar] VMA: this task has no [vvar]");
    return null;
  }
  return vma;
}

/** What the last dup_mmap() did with [vvar], as a TD_* trace detail for the fork event:
 *  TD_NONE (copied with its PTEs, or there was none), TD_FORK_DONTCOPY, TD_FORK_WIPEONFORK,
 *  TD_FORK_NO_PTE_COPY. */
export let dup_mmap_vvar_detail: u32 = TD_NONE;

/** dup_mmap(): a copy of oldmm for fork, VMA by VMA, as kernel/fork.c does it:
 *    VM_DONTCOPY     the VMA is not copied (and not counted in total_vm): the child has no
 *                    [vvar], so its first vDSO load is a SIGSEGV
 *    VM_WIPEONFORK   the VMA is copied, its page tables are not (and no anon_vma): the child
 *                    faults every page in again
 *    otherwise       the VMA is copied (VM_LOCKED_MASK cleared), then copy_page_range(), which
 *                    copies the PTEs only when vma_needs_copy() says a fault could not rebuild
 *                    them (VM_COPY_ON_FORK, or an anon_vma)
 *  Null when out of memory. */
export function dup_mmap(oldmm: mm_struct): mm_struct | null {
  const mm = mm_alloc(oldmm.def_flags);
  if (mm === null) return null;
  dup_mmap_vvar_detail = TD_NONE;
  mm.total_vm = oldmm.total_vm;
  const old = oldmm.vvar;
  if (old === null) return mm;
  if (old.vm_flags & VM_DONTCOPY) {
    mm.total_vm -= vma_pages(old);                // vm_stat_account(mm, flags, -vma_pages())
    dup_mmap_vvar_detail = TD_FORK_DONTCOPY;
    return mm;
  }
  const vma = vm_area_alloc(mm);
  if (vma === null) return null;
  vma.vm_start = old.vm_start;
  vma.vm_end = old.vm_end;
  vma.vm_flags = old.vm_flags & ~VM_LOCKED_MASK;
  vma.vm_pgoff = old.vm_pgoff;
  vma.vm_special = old.vm_special;
  vma.vm_ops = old.vm_ops;
  mm.vvar = vma;
  if (vma.vm_flags & VM_WIPEONFORK) {
    vma.anon_vma = 0;
    dup_mmap_vvar_detail = TD_FORK_WIPEONFORK;
    return mm;
  }
  vma.anon_vma = old.anon_vma;                    // anon_vma_fork()
  if (!copy_page_range(vma, old)) dup_mmap_vvar_detail = TD_FORK_NO_PTE_COPY;
  return mm;
}

/** mmput(): drops a user of mm; the last one tears it down (exit_mmap: zap, free the VMA). */
export function mmput(mm: mm_struct): void {
  if (mm.mm_users > 1) { mm.mm_users--; return; }
  mm.mm_users = 0;
  const v = mm.vvar;
  if (v !== null) {
    zap_vma_pages(v);
    v.dead = 1;
    mm.vvar = null;
  }
  mm.dead = 1;
}
