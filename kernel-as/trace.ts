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

export function trace_set_step(step: u32): void { trace_step = step; call_trace_reset_depth(); }
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

// ---- the call trace: the functions a fault went through, for the step-through ----------------
// A second fixed ring of CALL_TRACE_MAX records, so the calls never crowd out the events above.
// Each record is one call of a kernel function on the fault path (named as in Linux, KF_* below)
// or of a kernel API function made by the learner's vvar_fault(): its arguments, its return
// value, its depth (nesting), and the event index range [event, event_end) of the records the
// ring above received while it ran (so the host can hang a map, a WARN or a SIGBUS on the call
// it happened in). A call that never returned (an oops) keeps done = 0. When the ring is full,
// later calls are counted in call_dropped; inside one vvar_fault() at most CALLS_PER_HANDLER
// learner calls are kept, the rest counted in the handler's `skipped`.
//
//   record (CALL_REC = 64 bytes): step u32, pid u32, func u32 KF_*, depth u32, a0 u64, a1 u64,
//   a2 u64, ret u64, done u32, event u32, event_end u32, skipped u32.

// @ts-ignore: decorator
@inline export const CALL_TRACE_MAX: u32 = 2048;
// @ts-ignore: decorator
@inline export const CALLS_PER_HANDLER: u32 = 64;
// @ts-ignore: decorator
@inline export const CALL_REC: usize = 64;
// @ts-ignore: decorator
@inline export const CALL_OFF_STEP: usize = 0;
// @ts-ignore: decorator
@inline export const CALL_OFF_PID: usize = 4;
// @ts-ignore: decorator
@inline export const CALL_OFF_FUNC: usize = 8;
// @ts-ignore: decorator
@inline export const CALL_OFF_DEPTH: usize = 12;
// @ts-ignore: decorator
@inline export const CALL_OFF_A0: usize = 16;
// @ts-ignore: decorator
@inline export const CALL_OFF_A1: usize = 24;
// @ts-ignore: decorator
@inline export const CALL_OFF_A2: usize = 32;
// @ts-ignore: decorator
@inline export const CALL_OFF_RET: usize = 40;
// @ts-ignore: decorator
@inline export const CALL_OFF_DONE: usize = 48;
// @ts-ignore: decorator
@inline export const CALL_OFF_EVENT: usize = 52;
// @ts-ignore: decorator
@inline export const CALL_OFF_EVENT_END: usize = 56;
// @ts-ignore: decorator
@inline export const CALL_OFF_SKIPPED: usize = 60;

// functions: the host's name is the name in lower case (Linux's own name)
// the kernel's fault path and its callers
// @ts-ignore: decorator
@inline export const KF_DO_USER_ADDR_FAULT: u32 = 0;
// @ts-ignore: decorator
@inline export const KF___MM_POPULATE: u32 = 1;
// @ts-ignore: decorator
@inline export const KF_POPULATE_VMA_PAGE_RANGE: u32 = 2;
// @ts-ignore: decorator
@inline export const KF_FAULTIN_PAGE_RANGE: u32 = 3;
// @ts-ignore: decorator
@inline export const KF_ACCESS_REMOTE_VM: u32 = 4;
// @ts-ignore: decorator
@inline export const KF_GET_USER_PAGES_REMOTE: u32 = 5;
// @ts-ignore: decorator
@inline export const KF___GET_USER_PAGES: u32 = 6;
// @ts-ignore: decorator
@inline export const KF_FAULTIN_PAGE: u32 = 7;
// @ts-ignore: decorator
@inline export const KF_HANDLE_MM_FAULT: u32 = 8;
// @ts-ignore: decorator
@inline export const KF_DO_READ_FAULT: u32 = 9;
// @ts-ignore: decorator
@inline export const KF_DO_SHARED_FAULT: u32 = 10;
// @ts-ignore: decorator
@inline export const KF_DO_COW_FAULT: u32 = 11;
// @ts-ignore: decorator
@inline export const KF_WP_PAGE_COPY: u32 = 12;
// @ts-ignore: decorator
@inline export const KF___DO_FAULT: u32 = 13;
// @ts-ignore: decorator
@inline export const KF_SPECIAL_MAPPING_FAULT: u32 = 14;
// @ts-ignore: decorator
@inline export const KF_VVAR_FAULT: u32 = 15;
// @ts-ignore: decorator
@inline export const KF_FINISH_FAULT: u32 = 16;
// the kernel API a datastore imports (learner_abi.ts), in learner/kernel.ts's names
// @ts-ignore: decorator
@inline export const KF_VMF_PGOFF: u32 = 17;
// @ts-ignore: decorator
@inline export const KF_VMF_ADDRESS: u32 = 18;
// @ts-ignore: decorator
@inline export const KF_VMF_FLAGS: u32 = 19;
// @ts-ignore: decorator
@inline export const KF_VMF_VMA: u32 = 20;
// @ts-ignore: decorator
@inline export const KF_VMF_GET_PAGE: u32 = 21;
// @ts-ignore: decorator
@inline export const KF_VMF_SET_PAGE: u32 = 22;
// @ts-ignore: decorator
@inline export const KF_VMA_VM_MM: u32 = 23;
// @ts-ignore: decorator
@inline export const KF_VMA_VM_START: u32 = 24;
// @ts-ignore: decorator
@inline export const KF_VMA_VM_END: u32 = 25;
// @ts-ignore: decorator
@inline export const KF_VMA_VM_FLAGS: u32 = 26;
// @ts-ignore: decorator
@inline export const KF_TASK_MM: u32 = 27;
// @ts-ignore: decorator
@inline export const KF_KERNEL_CONFIG: u32 = 28;
// @ts-ignore: decorator
@inline export const KF_VDSO_NR_PAGES: u32 = 29;
// @ts-ignore: decorator
@inline export const KF_VDSO_DATA_PAGES: u32 = 30;
// @ts-ignore: decorator
@inline export const KF_VDSO_K_DATA: u32 = 31;
// @ts-ignore: decorator
@inline export const KF_VDSO_VVAR_MAPPING: u32 = 32;
// @ts-ignore: decorator
@inline export const KF_FIND_TIMENS_VVAR_PAGE: u32 = 33;
// @ts-ignore: decorator
@inline export const KF_VMF_INSERT_PAGE: u32 = 34;
// @ts-ignore: decorator
@inline export const KF_VMF_INSERT_PFN: u32 = 35;
// @ts-ignore: decorator
@inline export const KF_VMF_INSERT_MIXED: u32 = 36;
// @ts-ignore: decorator
@inline export const KF_GET_PAGE: u32 = 37;
// @ts-ignore: decorator
@inline export const KF_PUT_PAGE: u32 = 38;
// @ts-ignore: decorator
@inline export const KF_PAGE_TO_PFN: u32 = 39;
// @ts-ignore: decorator
@inline export const KF_PFN_TO_PAGE: u32 = 40;
// @ts-ignore: decorator
@inline export const KF_VIRT_TO_PAGE: u32 = 41;
// @ts-ignore: decorator
@inline export const KF_ZERO_PAGE: u32 = 42;
// @ts-ignore: decorator
@inline export const KF_INSTALL_SPECIAL_MAPPING: u32 = 43;
// @ts-ignore: decorator
@inline export const KF_PRINTK: u32 = 44;
// @ts-ignore: decorator
@inline export const LEARNER_API_FIRST_KF: u32 = 17;

const calls: usize = memory.data(<i32>(<usize>CALL_TRACE_MAX * CALL_REC), 16);
let call_n: u32 = 0;
let call_dropped_n: u32 = 0;
let call_depth: u32 = 0;
/** the record of the vvar_fault() being run (-1: none, or not kept), and its learner calls so far */
let handler_rec: i32 = -1;
let handler_calls_n: u32 = 0;

export function call_trace_ptr(): usize { return calls; }
export function call_trace_count(): u32 { return call_n; }
export function call_trace_dropped(): u32 { return call_dropped_n; }

/** Starts a step: no call is open (an oops unwinds without closing its calls). */
export function call_trace_reset_depth(): void { call_depth = 0; handler_rec = -1; }

/** Records the entry of kernel function `func` (KF_*) with its arguments; returns the record's
 *  index for call_exit(), or -1 when it was not kept (the ring is full, or the learner's handler
 *  has made CALLS_PER_HANDLER calls already). Every call_enter() must be paired with call_exit()
 *  on every path that returns. */
export function call_enter(pid: u32, func: u32, a0: u64, a1: u64, a2: u64): i32 {
  const depth = call_depth++;
  if (func >= LEARNER_API_FIRST_KF && handler_rec >= 0) {
    if (++handler_calls_n > CALLS_PER_HANDLER) {
      const h = calls + <usize>handler_rec * CALL_REC;
      store<u32>(h + CALL_OFF_SKIPPED, load<u32>(h + CALL_OFF_SKIPPED) + 1);
      return -1;
    }
  }
  if (call_n >= CALL_TRACE_MAX) { call_dropped_n++; return -1; }
  const r = calls + <usize>call_n * CALL_REC;
  store<u32>(r + CALL_OFF_STEP, trace_step);
  store<u32>(r + CALL_OFF_PID, pid);
  store<u32>(r + CALL_OFF_FUNC, func);
  store<u32>(r + CALL_OFF_DEPTH, depth);
  store<u64>(r + CALL_OFF_A0, a0);
  store<u64>(r + CALL_OFF_A1, a1);
  store<u64>(r + CALL_OFF_A2, a2);
  store<u64>(r + CALL_OFF_RET, 0);
  store<u32>(r + CALL_OFF_DONE, 0);
  store<u32>(r + CALL_OFF_EVENT, count + dropped);
  store<u32>(r + CALL_OFF_EVENT_END, 0);
  store<u32>(r + CALL_OFF_SKIPPED, 0);
  const idx = <i32>call_n;
  call_n++;
  if (func == KF_VVAR_FAULT) { handler_rec = idx; handler_calls_n = 0; }
  return idx;
}

/** Records the return of the call `idx` (from call_enter(); -1 is ignored) with value `ret`. */
export function call_exit(idx: i32, ret: u64): void {
  if (call_depth > 0) call_depth--;
  if (idx < 0) return;
  const r = calls + <usize>idx * CALL_REC;
  store<u64>(r + CALL_OFF_RET, ret);
  store<u32>(r + CALL_OFF_DONE, 1);
  store<u32>(r + CALL_OFF_EVENT_END, count + dropped);
  if (idx == handler_rec) handler_rec = -1;
}
