// time_namespace.ts: time namespaces and their vvar page.
// Models: kernel/time/namespace.c (copy_time_ns, timens_install, timens_on_fork,
//         timens_commit), kernel/time/namespace_vdso.c (find_timens_vvar_page,
//         timens_setup_vdso_clock_data, timens_set_vvar_page, vdso_join_timens).
//
// A task in a time namespace sees a different [vvar] layout:
//
//   pgoff   root namespace                 time namespace
//   -----   ----------------------------   -------------------------------------------
//   0       time data (vdso_time_data)     namespace page: seq 1, clock_mode TIMENS,
//                                          offset[] per clock
//   1       (never touched by the vDSO)    the real time data
//
// Entering a namespace (setns, or fork/exec into time_ns_for_children) zaps the task's [vvar]
// PTEs so that they refault with the new layout. Nothing repopulates them.

import { time_namespace, task_struct, vm_area_struct, MAX_TIMENS, PK_TIMENS, kzalloc } from "./mm_types";
import { current } from "./sched";
import { alloc_pages, pfn_page } from "./page_alloc";
import { zap_vma_pages } from "./memory";
import { WARN } from "./bug";
import { CONFIG_TIME_NS_y } from "./config";
import { EINVAL, ENOMEM, EUSERS } from "./errno";
import { CS_HRES_COARSE, CS_RAW, VC_SEQ, VC_CLOCK_MODE, VC_BASETIME, VDSO_CLOCKMODE_TIMENS, CLOCK_MONOTONIC,
         CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM } from "./timekeeping";
import { trace_event, TR_SETNS, TD_NONE, TD_REMOTE_WARN } from "./trace";

const ns_table: usize = kzalloc(<usize>MAX_TIMENS * sizeof<usize>());
let nr_ns: u32 = 0;

/** init_time_ns: the root namespace, id 0, no vvar page. */
export const init_time_ns: time_namespace = changetype<time_namespace>(kzalloc(offsetof<time_namespace>()));

/** The namespace with id, or null. id 0 is init_time_ns. */
export function timens_by_id(id: u32): time_namespace | null {
  if (id == 0) return init_time_ns;
  if (id > nr_ns) return null;
  return changetype<time_namespace>(load<usize>(ns_table + <usize>(id - 1) * sizeof<usize>()));
}

/** copy_time_ns(): a new namespace with the given offsets (what /proc/self/timens_offsets would
 *  set before the first task enters) and its zeroed vvar page. Null without CONFIG_TIME_NS. */
export function copy_time_ns(monotonic_ns: i64, boottime_ns: i64): time_namespace | null {
  if (!CONFIG_TIME_NS_y || nr_ns >= MAX_TIMENS) return null;
  const pfn = alloc_pages(1, PK_TIMENS);     // timens_vdso_alloc_vvar_page(): __GFP_ZERO
  if (pfn == 0) return null;
  const ns = changetype<time_namespace>(kzalloc(offsetof<time_namespace>()));
  nr_ns++;
  ns.id = nr_ns;
  ns.vvar_page = pfn;
  ns.monotonic_ns = monotonic_ns;
  ns.boottime_ns = boottime_ns;
  store<usize>(ns_table + <usize>(nr_ns - 1) * sizeof<usize>(), changetype<usize>(ns));
  return ns;
}

/** find_timens_vvar_page(vma): current's namespace page (a pfn; 0 in init_time_ns). Only
 *  meaningful for current's own mm: for another mm it WARNs "vvar_page accessed remotely" and
 *  returns 0. vvar_fault() keeps remote faults away from here (P4: FAULT_FLAG_REMOTE check);
 *  before the series, VM_IO did, through check_vma_flags(). */
export function find_timens_vvar_page(vma: vm_area_struct): u32 {
  if (!CONFIG_TIME_NS_y) return 0;
  if (vma.vm_mm === current.mm) return current.time_ns.vvar_page;
  WARN("kernel/time/namespace_vdso.c:54", "find_timens_vvar_page+0x4c/0x60", "vvar_page accessed remotely",
       TD_REMOTE_WARN);
  return 0;
}

// offset[clk] = {sec, nsec} on a namespace page
function set_offset(vc: usize, clk: u32, ns: i64): void {
  const p = vc + VC_BASETIME + <usize>clk * 16;
  let sec = ns / 1000000000;
  let nsec = ns % 1000000000;
  if (nsec < 0) { sec -= 1; nsec += 1000000000; }
  store<i64>(p, sec);
  store<u64>(p + 8, <u64>nsec);
}

/** timens_setup_vdso_clock_data(): every clock_data[] of the namespace page gets seq 1 (odd
 *  for ever), clock_mode VDSO_CLOCKMODE_TIMENS and the monotonic/boottime offsets. */
function timens_setup_vdso_clock_data(vd: usize, ns: time_namespace): void {
  for (let b: usize = 0; b < 2; b++) {
    const vc = vd + (b == 0 ? CS_HRES_COARSE : CS_RAW);
    store<u32>(vc + VC_SEQ, 1);
    store<i32>(vc + VC_CLOCK_MODE, VDSO_CLOCKMODE_TIMENS);
    set_offset(vc, CLOCK_MONOTONIC, ns.monotonic_ns);
    set_offset(vc, CLOCK_MONOTONIC_RAW, ns.monotonic_ns);
    set_offset(vc, CLOCK_MONOTONIC_COARSE, ns.monotonic_ns);
    set_offset(vc, CLOCK_BOOTTIME, ns.boottime_ns);
    set_offset(vc, CLOCK_BOOTTIME_ALARM, ns.boottime_ns);
  }
}

/** timens_set_vvar_page(): fills the namespace page once, when the first task enters; the
 *  offsets are frozen from then on. */
function timens_set_vvar_page(ns: time_namespace): void {
  if (ns === init_time_ns || ns.frozen_offsets) return;
  timens_setup_vdso_clock_data(pfn_page(ns.vvar_page).data, ns);
  ns.frozen_offsets = 1;
}

/** vdso_join_timens(): zaps the [vvar] PTEs of tsk's mm so they refault with the new layout. */
export function vdso_join_timens(tsk: task_struct): void {
  const mm = tsk.mm;
  if (mm === null) return;
  const vma = mm.vvar;
  if (vma !== null) zap_vma_pages(vma);
}

/** timens_commit(): fill the page, then zap. */
export function timens_commit(tsk: task_struct, ns: time_namespace): void {
  timens_set_vvar_page(ns);
  vdso_join_timens(tsk);
}

/** setns(fd, CLONE_NEWTIME) for current: -EUSERS when multi-threaded; otherwise switches both
 *  time_ns and time_ns_for_children, and commit_nsset() commits (zaps) even when ns is the
 *  namespace current is already in. Returns 0 or -errno. */
export function timens_install(ns: time_namespace): i32 {
  if (!CONFIG_TIME_NS_y) return -EINVAL;
  if (current.nr_threads > 1) return -EUSERS;
  current.time_ns = ns;
  current.time_ns_for_children = ns;
  trace_event(current.pid, TR_SETNS, -1, -1, TD_NONE, <u64>ns.id);
  timens_commit(current, ns);
  return 0;
}

/** unshare(CLONE_NEWTIME): a new namespace for current's future children; current stays where
 *  it is, and nothing is zapped. Returns the namespace id or -errno. */
export function unshare_timens(monotonic_ns: i64, boottime_ns: i64): i32 {
  if (!CONFIG_TIME_NS_y) return -EINVAL;
  const ns = copy_time_ns(monotonic_ns, boottime_ns);
  if (ns === null) return -ENOMEM;
  current.time_ns_for_children = ns;
  return <i32>ns.id;
}

/** timens_on_fork(): a new task (or an exec) enters time_ns_for_children if that differs. */
export function timens_on_fork(tsk: task_struct): void {
  const ns = tsk.time_ns_for_children;
  if (ns === tsk.time_ns) return;
  tsk.time_ns = ns;
  timens_commit(tsk, ns);
}
