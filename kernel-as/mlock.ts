// mlock.ts: mlockall, munlockall, mlock.
// Models: mm/mlock.c (SYSCALL mlockall/munlockall/mlock, apply_mlockall_flags, mlock_fixup,
//         apply_vma_lock_flags, __mlock_posix_error_return), mm/gup.c mm_populate.
//
// [vvar] is VM_SPECIAL (VM_DONTEXPAND at least), so mlock_fixup() never gives it VM_LOCKED or
// VM_LOCKONFAULT, before or after the series. What changed is only the populate that follows
// MCL_CURRENT: __mm_populate() now walks [vvar] once VM_IO is gone.

import { VM_LOCKED, VM_LOCKONFAULT, VM_LOCKED_MASK, VM_SPECIAL, TASK_SIZE, PAGE_SHIFT, vm_area_struct } from "./mm_types";
import { current } from "./sched";
import { __mm_populate } from "./gup";
import { EINVAL, EFAULT, ENOMEM, EAGAIN } from "./errno";
import { trace_event, TR_MLOCKALL, TR_POPULATE, TD_NONE } from "./trace";

// @ts-ignore: decorator
@inline export const MCL_CURRENT: u32 = 1;
// @ts-ignore: decorator
@inline export const MCL_FUTURE: u32 = 2;
// @ts-ignore: decorator
@inline export const MCL_ONFAULT: u32 = 4;

/** mlock_fixup(): sets newflags' lock bits on vma, unless nothing changes or the VMA is one
 *  mlock leaves alone (VM_SPECIAL, hugetlb, gate, DAX, secretmem, VM_DROPPABLE). Returns 0. */
export function mlock_fixup(vma: vm_area_struct, newflags: u64): i32 {
  const oldflags = vma.vm_flags;
  if (newflags == oldflags || (oldflags & VM_SPECIAL)) return 0;
  const pages = (vma.vm_end - vma.vm_start) >> PAGE_SHIFT;
  if ((newflags & VM_LOCKED) && !(oldflags & VM_LOCKED)) vma.vm_mm.locked_vm += pages;
  if (!(newflags & VM_LOCKED) && (oldflags & VM_LOCKED)) vma.vm_mm.locked_vm -= pages;
  vma.vm_flags = newflags;
  return 0;
}

/** apply_mlockall_flags(): sets mm->def_flags for MCL_FUTURE and, for MCL_CURRENT (or for
 *  munlockall, flags 0), runs mlock_fixup() over every VMA. */
export function apply_mlockall_flags(flags: u32): void {
  const mm = current.mm;
  if (mm === null) return;
  mm.def_flags &= ~VM_LOCKED_MASK;
  if (flags & MCL_FUTURE) {
    mm.def_flags |= VM_LOCKED;
    if (flags & MCL_ONFAULT) mm.def_flags |= VM_LOCKONFAULT;
    if (!(flags & MCL_CURRENT)) return;
  }
  let to_add: u64 = 0;
  if (flags & MCL_CURRENT) {
    to_add |= VM_LOCKED;
    if (flags & MCL_ONFAULT) to_add |= VM_LOCKONFAULT;
  }
  const vma = mm.vvar;
  if (vma !== null) mlock_fixup(vma, (vma.vm_flags & ~VM_LOCKED_MASK) | to_add);
}

/** mlockall(flags): 0 or -EINVAL (no flag, an unknown flag, or MCL_ONFAULT alone). With
 *  MCL_CURRENT it then populates the whole address space, ignoring errors. The task is assumed
 *  to have CAP_IPC_LOCK, so RLIMIT_MEMLOCK does not apply. */
export function sys_mlockall(flags: u32): i32 {
  if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT) return -EINVAL;
  trace_event(current.pid, TR_MLOCKALL, -1, -1, TD_NONE, <u64>flags);
  apply_mlockall_flags(flags);
  if (flags & MCL_CURRENT) {
    trace_event(current.pid, TR_POPULATE, -1, -1, TD_NONE, 0);
    __mm_populate(0, TASK_SIZE, true);
  }
  return 0;
}

/** munlockall(): apply_mlockall_flags(0). Returns 0. */
export function sys_munlockall(): i32 {
  apply_mlockall_flags(0);
  return 0;
}

/** __mlock_posix_error_return(): POSIX wants EAGAIN/ENOMEM from mlock, not GUP's codes. */
function __mlock_posix_error_return(retval: i32): i32 {
  if (retval == -EFAULT) return -ENOMEM;
  if (retval == -ENOMEM) return -EAGAIN;
  return retval;
}

/** mlock(start, len): locks (VM_SPECIAL VMAs excepted) then populates the range without
 *  ignoring errors. -ENOMEM when the range is not fully mapped or a fault fails with SIGBUS,
 *  SIGSEGV or HWPOISON (GUP's -EFAULT: no FOLL_HWPOISON here), -EAGAIN when it fails with
 *  VM_FAULT_OOM (GUP's -ENOMEM), as POSIX wants. */
export function sys_mlock(start: u64, len: u64): i32 {
  const mm = current.mm;
  if (mm === null) return -ENOMEM;
  const end = start + len;
  const vma = mm.vvar;
  if (vma === null || start < vma.vm_start || end > vma.vm_end || len == 0) return len == 0 ? 0 : -ENOMEM;
  mlock_fixup(vma, vma.vm_flags | VM_LOCKED);   // apply_vma_lock_flags()
  trace_event(current.pid, TR_POPULATE, -1, -1, TD_NONE, 0);
  const error = __mm_populate(start, len, false);
  if (error) return __mlock_posix_error_return(error);
  return 0;
}
