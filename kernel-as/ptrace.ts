// ptrace.ts: PTRACE_PEEKDATA / PTRACE_POKEDATA.
// Models: kernel/ptrace.c generic_ptrace_peekdata/pokedata -> ptrace_access_vm (FOLL_FORCE);
// fewer than sizeof(long) bytes is -EIO.

import { mm_struct } from "./mm_types";
import { access_remote_vm } from "./remote_access";
import { FOLL_FORCE, FOLL_WRITE } from "./gup";
import { EIO } from "./errno";

/** PEEKDATA (or POKEDATA) of one word at addr of mm. Returns 8 or -EIO. */
export function ptrace_access_vm(mm: mm_struct, addr: u64, value: u64, write: bool): i32 {
  const n = access_remote_vm(mm, addr, value, FOLL_FORCE | (write ? FOLL_WRITE : 0));
  return n < 8 ? -EIO : <i32>n;
}
