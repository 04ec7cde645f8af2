// process_vm_access.ts: process_vm_readv / process_vm_writev.
// Models: mm/process_vm_access.c (process_vm_rw_single_vec: pin_user_pages_remote, no
// FOLL_FORCE; pinned_pages <= 0 -> -EFAULT; the syscall returns the bytes copied, if any).

import { mm_struct } from "./mm_types";
import { access_remote_vm } from "./remote_access";
import { FOLL_WRITE, FOLL_PIN } from "./gup";
import { EFAULT } from "./errno";

/** One 8-byte iovec at addr of mm. Returns 8 or -EFAULT. */
export function process_vm_rw(mm: mm_struct, addr: u64, value: u64, write: bool): i32 {
  const n = access_remote_vm(mm, addr, value, FOLL_PIN | (write ? FOLL_WRITE : 0));
  return n == 0 ? -EFAULT : <i32>n;
}
