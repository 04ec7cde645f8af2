// fork.ts: new tasks.
// Models: kernel/fork.c (copy_process, copy_mm, dup_mm), kernel/nsproxy.c (copy_namespaces).
//
// copy_mm() runs before copy_namespaces(): the child first gets copies of the parent's [vvar]
// PTEs (dup_mmap), and only then, if it enters a different time namespace, timens_on_fork()
// zaps them. With CLONE_VM (vfork) the mm is shared and the namespace is not switched.

import { alloc_task, current, set_current } from "./sched";
import { dup_mmap, mm_alloc, arch_setup_vvar, dup_mmap_vvar_detail } from "./mmap";
import { timens_on_fork, init_time_ns } from "./time_namespace";
import { ENOMEM } from "./errno";
import { trace_event, TR_FORK, TD_NONE } from "./trace";

/** A first process (what the scenario calls "spawn"): root time namespace, a fresh mm whose
 *  [vvar] the learner's vdso_install_vvar_mapping() creates, no PTEs. Returns the pid or
 *  -ENOMEM. */
export function spawn_task(): i32 {
  const t = alloc_task();
  if (t === null) return -ENOMEM;
  const mm = mm_alloc(0);
  if (mm === null) return -ENOMEM;
  t.mm = mm;
  t.time_ns = init_time_ns;
  t.time_ns_for_children = init_time_ns;
  set_current(t);
  arch_setup_vvar(mm);
  return <i32>t.pid;
}

/** fork() (clone_vm false) or vfork() (true) of current. Returns the child's pid or -ENOMEM. */
export function copy_process(clone_vm: bool): i32 {
  const t = alloc_task();
  if (t === null) return -ENOMEM;
  const parent = current;
  t.time_ns = parent.time_ns;
  t.time_ns_for_children = parent.time_ns_for_children;
  const pmm = parent.mm;
  if (pmm !== null) {
    if (clone_vm) {
      pmm.mm_users++;
      t.mm = pmm;
    } else {
      const mm = dup_mmap(pmm);
      if (mm === null) return -ENOMEM;
      t.mm = mm;
    }
  }
  trace_event(parent.pid, TR_FORK, -1, -1, clone_vm ? TD_NONE : dup_mmap_vvar_detail, <u64>t.pid);
  // copy_namespaces(): CLONE_VM skips timens_on_fork()
  if (!clone_vm) timens_on_fork(t);
  return <i32>t.pid;
}
