// syscalls.ts: the entry points the host calls, one per scenario operation.
// Models: the syscall layer (arch entry -> sys_*): set `current`, run, leave the result.
//
// Each step_* function runs one step of a scenario for task `pid` and leaves its outcome in
// step_result.ts. A step on a dead or unknown task fails with ESRCH. Times are simulated.

import { task_struct, PAGE_SHIFT, PAGE_SIZE, VM_LOCKED, VVAR_BASE } from "./mm_types";
import { current, set_current, find_task_by_vpid } from "./sched";
import { spawn_task, copy_process } from "./fork";
import { do_execve } from "./exec";
import { sys_mlockall, sys_munlockall, sys_mlock } from "./mlock";
import { madvise_populate_read } from "./madvise";
import { timens_install, unshare_timens, timens_by_id } from "./time_namespace";
import { vdso_clock_gettime, vdso_getrandom, user_read } from "./vdso_user";
import { mem_rw } from "./proc_mem";
import { process_vm_rw } from "./process_vm_access";
import { ptrace_access_vm } from "./ptrace";
import { remote_value, remote_page_kind, VIA_PROC_MEM, VIA_PROCESS_VM_READV } from "./remote_access";
import { do_tick } from "./timekeeping";
import { vvar_rss_pages } from "./memory";
import { reset_result, set_ret, set_value, set_smaps } from "./step_result";
import { ESRCH, EINVAL } from "./errno";

// enter(): the task or null (ESRCH set); sets current
function enter(pid: u32): task_struct | null {
  reset_result();
  const t = find_task_by_vpid(pid);
  if (t === null || !t.alive) { set_ret(-ESRCH); return null; }
  set_current(t);
  return t;
}

/** "spawn": a new process in the root namespace. Returns the pid (or -errno). */
export function step_spawn(): i32 {
  reset_result();
  const r = spawn_task();
  set_ret(r);
  return r;
}

/** "thread": one more thread in pid (setns then fails with EUSERS). */
export function step_thread(pid: u32): void {
  const t = enter(pid);
  if (t === null) return;
  t.nr_threads++;
  set_ret(0);
}

/** "unshare_timens": returns the new namespace id (or -errno). */
export function step_unshare_timens(pid: u32, monotonic_ns: i64, boottime_ns: i64): i32 {
  if (enter(pid) === null) return -ESRCH;
  const r = unshare_timens(monotonic_ns, boottime_ns);
  set_ret(r < 0 ? r : 0);
  return r;
}

/** "setns" into namespace ns_id (0 = root). */
export function step_setns(pid: u32, ns_id: u32): void {
  if (enter(pid) === null) return;
  const ns = timens_by_id(ns_id);
  set_ret(ns === null ? -EINVAL : timens_install(ns));
}

/** "fork": returns the child's pid (or -errno). */
export function step_fork(pid: u32): i32 {
  if (enter(pid) === null) return -ESRCH;
  const r = copy_process(false);
  set_ret(r);
  return r;
}

/** "vfork_exec": vfork, then the child execs (entering time_ns_for_children). Returns its pid. */
export function step_vfork_exec(pid: u32): i32 {
  if (enter(pid) === null) return -ESRCH;
  const r = copy_process(true);
  if (r < 0) { set_ret(r); return r; }
  const child = find_task_by_vpid(<u32>r)!;
  const parent = current;
  set_current(child);
  do_execve();
  set_current(parent);
  set_ret(r);
  return r;
}

/** "exec" */
export function step_exec(pid: u32): void {
  if (enter(pid) === null) return;
  set_ret(do_execve());
}

/** "mlockall" with MCL_* bits */
export function step_mlockall(pid: u32, flags: u32): void {
  if (enter(pid) === null) return;
  set_ret(sys_mlockall(flags));
}

export function step_munlockall(pid: u32): void {
  if (enter(pid) === null) return;
  set_ret(sys_munlockall());
}

/** "mlock" of [vvar] pages [pgoff, pgoff+pages) */
export function step_mlock(pid: u32, pgoff: u32, pages: u32): void {
  if (enter(pid) === null) return;
  set_ret(sys_mlock(VVAR_BASE + (<u64>pgoff << PAGE_SHIFT), <u64>pages << PAGE_SHIFT));
}

/** "madvise_populate_read" of [vvar] pages [pgoff, pgoff+pages) */
export function step_madvise_populate_read(pid: u32, pgoff: u32, pages: u32): void {
  if (enter(pid) === null) return;
  set_ret(madvise_populate_read(VVAR_BASE + (<u64>pgoff << PAGE_SHIFT), <u64>pages << PAGE_SHIFT));
}

/** "clock_gettime" of clock id clk, repeat times (the loop runs here). */
export function step_clock_gettime(pid: u32, clk: u32, repeat: f64): void {
  if (enter(pid) === null) return;
  vdso_clock_gettime(clk, <u64>repeat);
}

export function step_getrandom(pid: u32, repeat: f64): void {
  if (enter(pid) === null) return;
  vdso_getrandom(<u64>repeat);
}

/** "read": a direct load from [vvar] page pgoff at offset. */
export function step_read(pid: u32, pgoff: u32, offset: u32): void {
  if (enter(pid) === null) return;
  user_read(pgoff, offset);
}

/** "remote_read"/"remote_write" by pid of target's [vvar] page pgoff, through `via`. */
export function step_remote(pid: u32, target: u32, pgoff: u32, offset: u32, via: u32, write: bool): void {
  if (enter(pid) === null) return;
  const tt = find_task_by_vpid(target);
  if (tt === null || !tt.alive || tt.mm === null) { set_ret(-ESRCH); return; }
  const addr = VVAR_BASE + (<u64>pgoff << PAGE_SHIFT) + <u64>(offset & <u32>(PAGE_SIZE - 1));
  const mm = tt.mm!;
  let r: i32;
  if (via == VIA_PROC_MEM) r = mem_rw(mm, addr, 0, write);
  else if (via == VIA_PROCESS_VM_READV) r = process_vm_rw(mm, addr, 0, write);
  else r = ptrace_access_vm(mm, addr, 0, write);
  if (r < 0) { set_ret(r); return; }
  set_ret(write ? 8 : 0);
  if (!write) set_value(remote_value, remote_page_kind);
}

/** "tick": time passes by ns and the time page is updated. */
export function step_tick(ns: f64): void {
  reset_result();
  do_tick(<u64>ns);
  set_ret(0);
}

/** "smaps": VmFlags, Rss and Locked of pid's [vvar]. */
export function step_smaps(pid: u32): void {
  const t = enter(pid);
  if (t === null) return;
  const mm = t.mm;
  if (mm === null || mm.vvar === null) { set_smaps(0, 0, 0); set_ret(0); return; }
  const vma = mm.vvar!;
  const rss = <u64>vvar_rss_pages(mm) * 4;
  set_smaps(vma.vm_flags, rss, (vma.vm_flags & VM_LOCKED) ? rss : 0);
  set_ret(0);
}
