// trace.ts: the event ring the pictures are drawn from (fault timelines, page strips).
// Models: the idea of include/trace/events/ (tracepoints), not its code.
//
// A fixed array of TRACE_MAX records in kernel memory; when full, later events are counted in
// trace_dropped and not stored, so the first events of a run (the interesting faults) survive.
//
//   record (40 bytes): 0 t_ns u64 | 8 step u32 | 12 pid u32 | 16 kind u32 | 20 pgoff i32
//                      24 page i32 | 28 detail u32 | 32 latency_ns u64

import { ktime_get_ns } from "./clock";

// @ts-ignore: decorator
@inline export const TRACE_MAX: u32 = 4096;
// @ts-ignore: decorator
@inline export const TRACE_REC: usize = 40;

// kinds, in the order of engine/types.ts TraceEvent["kind"]
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

// details (engine/machine.ts TRACE_DETAILS has the words)
// @ts-ignore: decorator
@inline export const TD_NONE: u32 = 0;
// @ts-ignore: decorator
@inline export const TD_REMOTE_WARN: u32 = 1;
// @ts-ignore: decorator
@inline export const TD_RMAP_ZERO_PAGE: u32 = 2;
// @ts-ignore: decorator
@inline export const TD_RMAP_FREE_PAGE: u32 = 3;
// @ts-ignore: decorator
@inline export const TD_BAD_PAGE: u32 = 4;
// @ts-ignore: decorator
@inline export const TD_REF_UNDERFLOW: u32 = 5;
// @ts-ignore: decorator
@inline export const TD_INSERT_PFN_MIXEDMAP: u32 = 6;
// @ts-ignore: decorator
@inline export const TD_INSERT_PAGE_NO_MIXEDMAP: u32 = 7;
// @ts-ignore: decorator
@inline export const TD_NULL_PAGE: u32 = 8;
// @ts-ignore: decorator
@inline export const TD_REFAULT_LOOP: u32 = 9;
// @ts-ignore: decorator
@inline export const TD_BAD_HANDLE: u32 = 10;
// @ts-ignore: decorator
@inline export const TD_SIGSEGV: u32 = 11;
// @ts-ignore: decorator
@inline export const TD_POPULATE_SKIPPED: u32 = 12;
// @ts-ignore: decorator
@inline export const TD_POPULATE_STOPPED: u32 = 13;
// @ts-ignore: decorator
@inline export const TD_FAILED: u32 = 14;
// @ts-ignore: decorator
@inline export const TD_GET_PAGE_FREE: u32 = 15;
// @ts-ignore: decorator
@inline export const TD_PFNMAP_MIXEDMAP: u32 = 16;
// @ts-ignore: decorator
@inline export const TD_FORK_DONTCOPY: u32 = 17;
// @ts-ignore: decorator
@inline export const TD_FORK_WIPEONFORK: u32 = 18;
// @ts-ignore: decorator
@inline export const TD_FORK_NO_PTE_COPY: u32 = 19;
// @ts-ignore: decorator
@inline export const TD_FAULT_OOM: u32 = 20;
// @ts-ignore: decorator
@inline export const TD_HWPOISON: u32 = 21;
// @ts-ignore: decorator
@inline export const TD_RETRY_LOOP: u32 = 22;
// @ts-ignore: decorator
@inline export const TD_UNEXPECTED_FAULT_CODE: u32 = 23;
// @ts-ignore: decorator
@inline export const TD_COW: u32 = 24;

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
  store<u64>(r, t_ns);
  store<u32>(r, trace_step, 8);
  store<u32>(r, pid, 12);
  store<u32>(r, kind, 16);
  store<i32>(r, pgoff, 20);
  store<i32>(r, pagekind, 24);
  store<u32>(r, detail, 28);
  store<u64>(r, latency, 32);
  count++;
}
