// exec.ts: execve().
// Models: fs/exec.c (begin_new_exec: exec_mmap, exec_task_namespaces), arch
//         arch_setup_additional_pages() (the new [vvar]).
//
// A new image gets a new mm: [vvar] is installed again with no PTEs and def_flags reset (so an
// earlier mlockall is gone). If the task had unshared a time namespace, it enters it now; that
// zaps nothing that matters, since the new [vvar] is still empty.

import { current } from "./sched";
import { mm_alloc, mmput, arch_setup_vvar } from "./mmap";
import { timens_on_fork } from "./time_namespace";
import { ENOMEM } from "./errno";
import { trace_event, TR_EXEC, TD_NONE } from "./trace";

/** execve() for current. Returns 0 or -ENOMEM. */
export function do_execve(): i32 {
  const mm = mm_alloc(0);
  if (mm === null) return -ENOMEM;
  current.nr_threads = 1;               // de_thread(): the other threads are gone
  const old = current.mm;
  current.mm = mm;                      // exec_mmap()
  if (old !== null) mmput(old);
  timens_on_fork(current);              // exec_task_namespaces()
  trace_event(current.pid, TR_EXEC, -1, -1, TD_NONE, 0);
  arch_setup_vvar(mm);                  // load_elf_binary() -> arch_setup_additional_pages()
  return 0;
}
