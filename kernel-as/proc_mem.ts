// proc_mem.ts: /proc/<pid>/mem.
// Models: fs/proc/base.c mem_rw() (FOLL_FORCE per proc_mem_foll_force, FOLL_WRITE to write).
// Zero bytes on the first chunk is -EIO. /proc/self/mem takes the same path (FOLL_REMOTE).

import { mm_struct } from "./mm_types";
import { access_remote_vm } from "./remote_access";
import { FOLL_FORCE, FOLL_WRITE } from "./gup";
import { EIO } from "./errno";

/** mem_rw(): reads (or writes) 8 bytes at addr of mm. Returns 8 or -EIO. */
export function mem_rw(mm: mm_struct, addr: u64, value: u64, write: bool): i32 {
  const flags = FOLL_FORCE | (write ? FOLL_WRITE : 0);
  const n = access_remote_vm(mm, addr, value, flags);
  return n == 0 ? -EIO : <i32>n;
}
