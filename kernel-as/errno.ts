// errno.ts: error numbers and the one place where fault results become errnos.
// Models: include/uapi/asm-generic/errno-base.h, errno.h; mm/gup.c vm_fault_to_errno().

import { VM_FAULT_HWPOISON, VM_FAULT_HWPOISON_LARGE, VM_FAULT_OOM, VM_FAULT_SIGBUS, VM_FAULT_SIGSEGV } from "./mm_types";

// @ts-ignore: decorator
@inline export const EPERM: i32 = 1;
// @ts-ignore: decorator
@inline export const ESRCH: i32 = 3;
// @ts-ignore: decorator
@inline export const EIO: i32 = 5;
// @ts-ignore: decorator
@inline export const EAGAIN: i32 = 11;
// @ts-ignore: decorator
@inline export const ENOMEM: i32 = 12;
// @ts-ignore: decorator
@inline export const EACCES: i32 = 13;
// @ts-ignore: decorator
@inline export const EFAULT: i32 = 14;
// @ts-ignore: decorator
@inline export const EBUSY: i32 = 16;
// @ts-ignore: decorator
@inline export const EEXIST: i32 = 17;
// @ts-ignore: decorator
@inline export const EINVAL: i32 = 22;
// @ts-ignore: decorator
@inline export const EUSERS: i32 = 87;
// @ts-ignore: decorator
@inline export const EHWPOISON: i32 = 133;

/** -errno for a failed fault (vm_fault_t bits), 0 when `ret` is not an error. Called by
 *  faultin_page() (gup.ts): SIGBUS/SIGSEGV become -EFAULT, OOM -ENOMEM, HWPOISON -EHWPOISON. */
export function vm_fault_to_errno(ret: u32): i32 {
  if (ret & VM_FAULT_OOM) return -ENOMEM;
  if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) return -EHWPOISON;
  if (ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)) return -EFAULT;
  return 0;
}

// signals (asm-generic/signal.h)
// @ts-ignore: decorator
@inline export const SIGBUS: i32 = 7;
// @ts-ignore: decorator
@inline export const SIGSEGV: i32 = 11;
