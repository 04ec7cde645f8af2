// remote_access.ts: reading and writing another mm through GUP.
// Models: mm/memory.c __access_remote_vm() / access_remote_vm().
//
// Every remote interface goes through get_user_pages_remote(), which always adds FOLL_REMOTE
// (so a fault it takes carries FAULT_FLAG_REMOTE, even for /proc/self/mem). When GUP fails,
// Linux would try vma->vm_ops->access; special mappings have none ("vDSO code relies that VVAR
// can't be accessed remotely"), so the access just stops.

import { mm_struct, PAGE_SIZE } from "./mm_types";
import { current } from "./sched";
import { get_user_pages_remote, FOLL_WRITE } from "./gup";
import { pfn_page } from "./page_alloc";
import { pte_page_kind } from "./memory";
import { trace_event, TR_REMOTE, TD_NONE, TD_FAILED, call_enter, call_exit, KF_ACCESS_REMOTE_VM } from "./trace";

// The interfaces a scenario's remote_read/remote_write uses (step_remote's `via`); the host's
// names are these in lower case (engine/generated/abi.ts).
// @ts-ignore: decorator
@inline export const VIA_PROC_MEM: u32 = 0;
// @ts-ignore: decorator
@inline export const VIA_PROCESS_VM_READV: u32 = 1;
// @ts-ignore: decorator
@inline export const VIA_PTRACE_PEEKDATA: u32 = 2;

/** The bytes read by the last successful access_remote_vm(), and the kind of page they came from. */
export let remote_value: u64 = 0;
export let remote_page_kind: i32 = -1;
/** the -errno GUP gave when access_remote_vm() copied nothing */
export let remote_gup_error: i32 = 0;

/** access_remote_vm(mm, addr, 8 bytes, gup_flags): copies 8 bytes from (or, with FOLL_WRITE,
 *  to) addr in mm. Returns the bytes copied: 8, or 0 when GUP failed (remote_gup_error says why). */
export function access_remote_vm(mm: mm_struct, addr: u64, value: u64, gup_flags: u32): u32 {
  const c = call_enter(current.pid, KF_ACCESS_REMOTE_VM, addr, <u64>gup_flags, 0);
  const r = access_remote_vm_body(mm, addr, value, gup_flags);
  call_exit(c, <u64>r);
  return r;
}

// access_remote_vm()'s work, between the call trace's entry and exit records
function access_remote_vm_body(mm: mm_struct, addr: u64, value: u64, gup_flags: u32): u32 {
  const r = get_user_pages_remote(mm, addr, gup_flags);
  const pgoff = mm.vvar !== null ? <i32>((addr - mm.vvar!.vm_start) >> 12) : -1;
  if (r < 0) {
    remote_gup_error = r;
    trace_event(current.pid, TR_REMOTE, pgoff, -1, TD_FAILED, 0);
    return 0;
  }
  const off = <usize>(addr & (PAGE_SIZE - 1) & 0xff8);
  const data = pfn_page(<u32>r).data;
  if (gup_flags & FOLL_WRITE) store<u64>(data + off, value);
  else remote_value = load<u64>(data + off);
  remote_page_kind = pte_page_kind(<u32>r << 2);
  trace_event(current.pid, TR_REMOTE, pgoff, remote_page_kind, TD_NONE, 0);
  return 8;
}
