// bug.ts: WARN, BUG and oops splats in the kernel log, and their counters.
// Models: include/asm-generic/bug.h (WARN, BUG), kernel/panic.c (__warn), arch/x86 die(),
//         mm/page_alloc.c bad_page().
//
// WARN and "Bad page state" log, count and carry on. BUG() and oopses end the scenario: the
// kernel records the message for the host (oops_message_*) and traps, which unwinds through the
// learner's frames, so the host can point at the learner's file:line.

import { current } from "./sched";
import { pr_begin, pr_end, pr_hex, pr_str, pr_u64, printk, log_buf_len, log_buf_ptr } from "./printk";
import { trace_event, TR_BUG, TR_OOPS, TR_WARN, TD_BAD_PAGE, TD_REF_UNDERFLOW } from "./trace";

let oops_pending: u32 = 0;
let oops_msg_start: usize = 0;
let oops_msg_end: usize = 0;

export function oops_is_pending(): u32 { return oops_pending; }
/** Kernel memory addresses of the oops message (in the log buffer). */
export function oops_message_start(): usize { return oops_msg_start; }
export function oops_message_end(): usize { return oops_msg_end; }

function cur_pid(): u32 { return changetype<usize>(current) != 0 ? current.pid : 0; }

/** WARN(1, msg) from `func` at `where` ("kernel/time/namespace_vdso.c:52"). Counts a warn for
 *  current and records a trace event with `detail`. */
export function WARN(where: string, func: string, msg: string, detail: u32): void {
  printk("------------[ cut here ]------------");
  if (msg.length > 0) printk(msg);
  pr_begin(); pr_str("WARNING: CPU: 0 PID: "); pr_u64(cur_pid()); pr_str(" at "); pr_str(where);
  pr_str(" "); pr_str(func); pr_end();
  printk("---[ end trace 0000000000000000 ]---");
  if (changetype<usize>(current) != 0) current.c.warns++;
  trace_event(cur_pid(), TR_WARN, -1, -1, detail, 0);
}

/** bad_page(): a kernel-owned page was freed while still in use. Logs, counts a bug, carries on. */
export function BUG_bad_page(pfn: u32, mapcount: i32): void {
  pr_begin(); pr_str("BUG: Bad page state in process prefault-"); pr_u64(cur_pid());
  pr_str("  pfn:"); pr_hex(pfn, 5); pr_end();
  pr_begin(); pr_str("page: refcount:0 mapcount:"); pr_u64(<u64>mapcount);
  pr_str(" (a page mapped without get_page() was zapped: the datastore lost its own reference)"); pr_end();
  if (changetype<usize>(current) != 0) current.c.bugs++;
  trace_event(cur_pid(), TR_BUG, -1, -1, TD_BAD_PAGE, 0);
}

/** put_page() below zero. Logs, counts a bug, carries on. */
export function BUG_page_ref_underflow(pfn: u32): void {
  pr_begin(); pr_str("BUG: page_ref underflow: pfn:"); pr_hex(pfn, 5);
  pr_str(" (put_page() without a matching get_page())"); pr_end();
  if (changetype<usize>(current) != 0) current.c.bugs++;
  trace_event(cur_pid(), TR_BUG, -1, -1, TD_REF_UNDERFLOW, 0);
}

/** BUG() in `func` (file:line `where`): "kernel BUG at ...", then the oops. Never returns. */
export function BUG(where: string, func: string, why: string, detail: u32): void {
  printk("------------[ cut here ]------------");
  pr_begin(); pr_str("kernel BUG at "); pr_str(where); pr_str("!"); pr_end();
  if (changetype<usize>(current) != 0) current.c.bugs++;
  trace_event(cur_pid(), TR_BUG, -1, -1, detail, 0);
  die("invalid opcode: 0000 [#1] PREEMPT SMP", func, why, detail);
}

/** An oops: logs "Oops: <kind>", the RIP and the reason (the message the host reports), then
 *  traps. Called for BUG(), a NULL dereference, a forged or stale handle, a refault loop. */
export function die(kind: string, func: string, why: string, detail: u32, value: i64 = -1): void {
  pr_begin(); pr_str("Oops: "); pr_str(kind); pr_end();
  pr_begin(); pr_str("CPU: 0 PID: "); pr_u64(cur_pid()); pr_str(" Comm: prefault-"); pr_u64(cur_pid()); pr_end();
  pr_begin(); pr_str("RIP: 0010:"); pr_str(func); pr_end();
  pr_begin();
  oops_msg_start = log_buf_ptr() + log_buf_len();
  pr_str(func); pr_str(": "); pr_str(why);
  if (value >= 0) { pr_str(" (0x"); pr_hex(<u64>value, 1); pr_str(")"); }
  oops_msg_end = log_buf_ptr() + log_buf_len();
  pr_end();
  oops_pending = 1;
  trace_event(cur_pid(), TR_OOPS, -1, -1, detail, 0);
  unreachable();
}
