// trace.ts: the event ring the pictures are drawn from (fault timelines, page strips).
// Models: the idea of include/trace/events/ (tracepoints), not its code.
//
// A fixed array of TRACE_MAX records in kernel memory; when full, later events are counted in
// trace_dropped and not stored, so the first events of a run (the interesting faults) survive.
//
//   record (TRACE_REC = 40 bytes): TRACE_OFF_* below give each field's byte offset
//   (t_ns u64, step u32, pid u32, kind u32 TR_*, pgoff i32, page i32 PK_*, detail u32 TD_*,
//   latency_ns u64). The host reads them through engine/generated/abi.ts (scripts/gen-abi.mjs).

import { ktime_get_ns } from "./clock";

// @ts-ignore: decorator
@inline export const TRACE_MAX: u32 = 4096;
// @ts-ignore: decorator
@inline export const TRACE_REC: usize = 40;
// @ts-ignore: decorator
@inline export const TRACE_OFF_T_NS: usize = 0;
// @ts-ignore: decorator
@inline export const TRACE_OFF_STEP: usize = 8;
// @ts-ignore: decorator
@inline export const TRACE_OFF_PID: usize = 12;
// @ts-ignore: decorator
@inline export const TRACE_OFF_KIND: usize = 16;
// @ts-ignore: decorator
@inline export const TRACE_OFF_PGOFF: usize = 20;
// @ts-ignore: decorator
@inline export const TRACE_OFF_PAGE: usize = 24;
// @ts-ignore: decorator
@inline export const TRACE_OFF_DETAIL: usize = 28;
// @ts-ignore: decorator
@inline export const TRACE_OFF_LATENCY_NS: usize = 32;

// kinds: the host's name is the name in lower case (engine/types.ts TraceEvent["kind"])
// @ts-ignore: decorator
@inline export const TR_VDSO_CALL: u32 = 0;
// @ts-ignore: decorator
@inline export const TR_FAULT: u32 = 1;
// @ts-ignore: decorator
@inline export const TR_GUP_FAULT: u32 = 2;
// @ts-ignore: decorator
@inline export const TR_MAP: u32 = 3;
// @ts-ignore: decorator
@inline export const TR_ZAP: u32 = 4;
// @ts-ignore: decorator
@inline export const TR_SIGBUS: u32 = 5;
// @ts-ignore: decorator
@inline export const TR_WARN: u32 = 6;
// @ts-ignore: decorator
@inline export const TR_BUG: u32 = 7;
// @ts-ignore: decorator
@inline export const TR_MLOCKALL: u32 = 8;
// @ts-ignore: decorator
@inline export const TR_POPULATE: u32 = 9;
// @ts-ignore: decorator
@inline export const TR_SETNS: u32 = 10;
// @ts-ignore: decorator
@inline export const TR_FORK: u32 = 11;
// @ts-ignore: decorator
@inline export const TR_EXEC: u32 = 12;
// @ts-ignore: decorator
@inline export const TR_REMOTE: u32 = 13;
// @ts-ignore: decorator
@inline export const TR_OOPS: u32 = 14;
// @ts-ignore: decorator
@inline export const TR_SYSCALL_FALLBACK: u32 = 15;

// details: the words after each value are what the host shows (engine/generated/abi.ts)
// @ts-ignore: decorator
@inline export const TD_NONE: u32 = 0;
// @ts-ignore: decorator
@inline export const TD_REMOTE_WARN: u32 = 1; // vvar_page accessed remotely
// @ts-ignore: decorator
@inline export const TD_RMAP_ZERO_PAGE: u32 = 2; // ZERO_PAGE returned through vmf->page
// @ts-ignore: decorator
@inline export const TD_RMAP_FREE_PAGE: u32 = 3; // vmf->page has refcount 0
// @ts-ignore: decorator
@inline export const TD_BAD_PAGE: u32 = 4; // Bad page state
// @ts-ignore: decorator
@inline export const TD_REF_UNDERFLOW: u32 = 5; // page_ref underflow
// @ts-ignore: decorator
@inline export const TD_INSERT_PFN_MIXEDMAP: u32 = 6; // vmf_insert_pfn of a struct-page pfn into a VM_MIXEDMAP VMA
// @ts-ignore: decorator
@inline export const TD_INSERT_PAGE_NO_MIXEDMAP: u32 = 7; // vm_insert_page without VM_MIXEDMAP
// @ts-ignore: decorator
@inline export const TD_NULL_PAGE: u32 = 8; // NULL vmf->page
// @ts-ignore: decorator
@inline export const TD_REFAULT_LOOP: u32 = 9; // refault loop
// @ts-ignore: decorator
@inline export const TD_BAD_HANDLE: u32 = 10; // bad handle
// @ts-ignore: decorator
@inline export const TD_SIGSEGV: u32 = 11; // SIGSEGV
// @ts-ignore: decorator
@inline export const TD_POPULATE_SKIPPED: u32 = 12; // populate skipped (VM_IO|VM_PFNMAP)
// @ts-ignore: decorator
@inline export const TD_POPULATE_STOPPED: u32 = 13; // populate stopped
// @ts-ignore: decorator
@inline export const TD_FAILED: u32 = 14; // failed
// @ts-ignore: decorator
@inline export const TD_GET_PAGE_FREE: u32 = 15; // get_page on a free page
// @ts-ignore: decorator
@inline export const TD_PFNMAP_MIXEDMAP: u32 = 16; // VM_PFNMAP/VM_MIXEDMAP misuse
// @ts-ignore: decorator
@inline export const TD_FORK_DONTCOPY: u32 = 17; // vvar not copied (VM_DONTCOPY)
// @ts-ignore: decorator
@inline export const TD_FORK_WIPEONFORK: u32 = 18; // vvar copied without its PTEs (VM_WIPEONFORK)
// @ts-ignore: decorator
@inline export const TD_FORK_NO_PTE_COPY: u32 = 19; // vvar PTEs not copied (vma_needs_copy)
// @ts-ignore: decorator
@inline export const TD_FAULT_OOM: u32 = 20; // VM_FAULT_OOM (retried)
// @ts-ignore: decorator
@inline export const TD_HWPOISON: u32 = 21; // VM_FAULT_HWPOISON (BUS_MCEERR_AR)
// @ts-ignore: decorator
@inline export const TD_RETRY_LOOP: u32 = 22; // retry loop
// @ts-ignore: decorator
@inline export const TD_UNEXPECTED_FAULT_CODE: u32 = 23; // unexpected vm_fault_t
// @ts-ignore: decorator
@inline export const TD_COW: u32 = 24; // copy-on-write

const ring: usize = memory.data(<i32>(<usize>TRACE_MAX * TRACE_REC), 16);
let count: u32 = 0;
let dropped: u32 = 0;
/** the scenario step being run, set by the host through set_step() */
export let trace_step: u32 = 0;

export function trace_set_step(step: u32): void { trace_step = step; }
export function trace_ptr(): usize { return ring; }
export function trace_count(): u32 { return count; }
export function trace_dropped(): u32 { return dropped; }

/** Records one event at the current simulated time. */
export function trace_event(pid: u32, kind: u32, pgoff: i32, pagekind: i32, detail: u32, latency: u64): void {
  trace_event_at(ktime_get_ns(), pid, kind, pgoff, pagekind, detail, latency);
}

/** Records one event that began at simulated time t_ns (a fault: its start, with its latency). */
export function trace_event_at(t_ns: u64, pid: u32, kind: u32, pgoff: i32, pagekind: i32, detail: u32, latency: u64): void {
  if (count >= TRACE_MAX) { dropped++; return; }
  const r = ring + <usize>count * TRACE_REC;
  store<u64>(r + TRACE_OFF_T_NS, t_ns);
  store<u32>(r + TRACE_OFF_STEP, trace_step);
  store<u32>(r + TRACE_OFF_PID, pid);
  store<u32>(r + TRACE_OFF_KIND, kind);
  store<i32>(r + TRACE_OFF_PGOFF, pgoff);
  store<i32>(r + TRACE_OFF_PAGE, pagekind);
  store<u32>(r + TRACE_OFF_DETAIL, detail);
  store<u64>(r + TRACE_OFF_LATENCY_NS, latency);
  count++;
}
