// index.ts: the kernel instance's exports.
//
//   learner_abi.ts      the "kernel.*" functions a datastore imports (exact names)
//   host below          boot, learner linking, steps (syscalls.ts), and state for the report
//
// The host (engine/machine.ts) calls boot() first, then links the learner (set_learner_slots),
// then runs steps; it reads results, counters, the page tables, dmesg and the trace from here.

export * from "./learner_abi";
export * from "./syscalls";

import { set_config, set_costs } from "./config";
import { mem_init, pfn_page, page_ref_count } from "./page_alloc";
import { vdso_setup_data_pages, vdso_data_pages_pfn } from "./datastore_pages";
import { update_vsyscall } from "./timekeeping";
import { ktime_get_ns } from "./clock";
import { printk, log_buf_ptr, log_buf_len, printk_flush_suppressed } from "./printk";
import { find_task_by_vpid, task_count } from "./sched";
import { set_learner_slots as __set_learner_slots } from "./mmap";
import { pte_offset_map, pte_present, pte_page_kind } from "./memory";
import { trace_set_step, trace_ptr as __trace_ptr, trace_count as __trace_count, trace_dropped as __trace_dropped } from "./trace";
import { oops_is_pending, oops_message_start, oops_message_end } from "./bug";
import { VVAR_BASE, PAGE_SHIFT, TC_FAULTS, TC_MINFLT, TC_HANDLER_CALLS, TC_GUP_FAULTS, TC_SIGBUS, TC_WARNS, TC_BUGS,
         TC_SYSCALL_FALLBACKS } from "./mm_types";
import * as R from "./step_result";

/** Boots the kernel for one scenario: configuration, costs, mem_map, the data store, the time
 *  page. Must run before the learner module is instantiated (its start function asks for
 *  VDSO_NR_PAGES and vdso_data_pages). */
export function boot(gtod: bool, timens: bool, getrandom: bool, arch: bool, arch_pages: u32,
                     fault_ns: f64, vdso_ns: f64, syscall_ns: f64): void {
  set_config(gtod, timens, getrandom, arch, arch_pages);
  set_costs(<u64>fault_ns, <u64>vdso_ns, <u64>syscall_ns);
  mem_init();
  vdso_setup_data_pages();
  update_vsyscall();
  printk("Linux version 7.2.0-rc1-prefault (simulated mini-mm)");
}

/** The learner's exports are in the function table at these slots. */
export function set_learner_slots(fault: u32, install: u32): void { __set_learner_slots(fault, install); }
export function set_step(step: u32): void { trace_set_step(step); }
export function now_ns(): f64 { return <f64>ktime_get_ns(); }

// ---- the last step's result --------------------------------------------------------------------
export function res_ret(): f64 { return <f64>R.res_ret; }
export function res_errno(): i32 { return R.res_errno; }
export function res_signal(): i32 { return R.res_signal; }
export function res_si_code(): i32 { return R.res_si_code; }
export function res_has_value(): bool { return R.res_has_value; }
export function res_value(): u64 { return R.res_value; }
export function res_page(): i32 { return R.res_page; }
export function res_correct(): i32 { return R.res_correct; }
export function res_calls(): f64 { return <f64>R.res_calls; }
export function res_lat_max(): f64 { return <f64>R.res_lat_max; }
export function res_lat_total(): f64 { return <f64>R.res_lat_total; }
export function res_rss_kb(): f64 { return <f64>R.res_rss_kb; }
export function res_locked_kb(): f64 { return <f64>R.res_locked_kb; }
export function res_vm_flags(): u64 { return R.res_vm_flags; }

// ---- tasks ---------------------------------------------------------------------------------------
export function nr_tasks(): u32 { return task_count(); }
export function task_alive(pid: u32): bool { const t = find_task_by_vpid(pid); return t !== null && t.alive != 0; }
export function task_ns(pid: u32): u32 { const t = find_task_by_vpid(pid); return t === null ? 0 : t.time_ns.id; }

/** Counter TC_* idx of task pid (0 for an unknown task or counter). */
export function task_counter(pid: u32, idx: u32): f64 {
  const t = find_task_by_vpid(pid);
  if (t === null) return 0;
  const c = t.c;
  switch (idx) {
    case TC_FAULTS: return <f64>c.faults;
    case TC_MINFLT: return <f64>c.minflt;
    case TC_HANDLER_CALLS: return <f64>c.handler_calls;
    case TC_GUP_FAULTS: return <f64>c.gup_faults;
    case TC_SIGBUS: return <f64>c.sigbus;
    case TC_WARNS: return <f64>c.warns;
    case TC_BUGS: return <f64>c.bugs;
    case TC_SYSCALL_FALLBACKS: return <f64>c.syscall_fallbacks;
    default: return 0;
  }
}

/** [vvar] VmFlags of pid (0 without [vvar]). */
export function task_vm_flags(pid: u32): u64 {
  const t = find_task_by_vpid(pid);
  if (t === null || t.mm === null) return 0;
  const v = t.mm!.vvar;
  return v === null ? 0 : v.vm_flags;
}

/** Pages of pid's [vvar] VMA (0 without one). */
export function task_vvar_pages(pid: u32): u32 {
  const t = find_task_by_vpid(pid);
  if (t === null || t.mm === null) return 0;
  const v = t.mm!.vvar;
  return v === null ? 0 : <u32>((v.vm_end - v.vm_start) >> PAGE_SHIFT);
}

/** PK_* mapped at pgoff of pid's [vvar], or -1 when no PTE is present. */
export function task_pte_kind(pid: u32, pgoff: u32): i32 {
  const t = find_task_by_vpid(pid);
  if (t === null || t.mm === null) return -1;
  const ptep = pte_offset_map(t.mm!, VVAR_BASE + (<u64>pgoff << PAGE_SHIFT));
  if (ptep == 0) return -1;
  const pte = load<u32>(ptep);
  return pte_present(pte) ? pte_page_kind(pte) : -1;
}

// ---- pages (for invariant checks) ----------------------------------------------------------------
export function datastore_pfn(): u32 { return vdso_data_pages_pfn; }
export function page_refcount(pfn: u32): i32 { return page_ref_count(pfn); }
export function page_mapcount(pfn: u32): i32 { return pfn_page(pfn)._mapcount; }
/** 1 when the kernel holds its own reference on pfn (datastore and namespace pages), 0 for a
 *  user's anonymous page (only its mappings hold it) or a free one. */
export function page_reserved(pfn: u32): u32 { return pfn_page(pfn).reserved; }

// ---- dmesg, trace, oops ---------------------------------------------------------------------------
export function dmesg_ptr(): usize { printk_flush_suppressed(); return log_buf_ptr(); }
export function dmesg_len(): usize { return log_buf_len(); }
export function trace_ptr(): usize { return __trace_ptr(); }
export function trace_count(): u32 { return __trace_count(); }
export function trace_dropped(): u32 { return __trace_dropped(); }
export function oops_pending(): u32 { return oops_is_pending(); }
export function oops_msg_start(): usize { return oops_message_start(); }
export function oops_msg_end(): usize { return oops_message_end(); }
