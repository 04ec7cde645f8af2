// sched.ts: tasks and `current`.
// Models: include/linux/sched.h (task_struct, current), kernel/pid.c (find_task_by_vpid).
//
// The host runs one step at a time on behalf of one task; syscall entry (syscalls.ts) sets
// `current` first, so everything below it (faults, GUP, WARN accounting) is charged to it.

import { MAX_TASKS, task_counters, task_struct, kzalloc } from "./mm_types";

const task_table: usize = kzalloc(<usize>MAX_TASKS * sizeof<usize>());
let nr_tasks: u32 = 0;

/** The task on whose behalf the kernel runs now. Set by set_current(). */
export let current: task_struct = changetype<task_struct>(0);

export function set_current(t: task_struct): void { current = t; }

/** A new task with the next pid (pids start at 1), alive, one thread, zero counters; the caller
 *  fills mm and namespaces. Returns null when the task table is full. */
export function alloc_task(): task_struct | null {
  if (nr_tasks >= MAX_TASKS) return null;
  const t = changetype<task_struct>(kzalloc(offsetof<task_struct>()));
  t.c = changetype<task_counters>(kzalloc(offsetof<task_counters>()));
  nr_tasks++;
  t.pid = nr_tasks;
  t.alive = 1;
  t.nr_threads = 1;
  store<usize>(task_table + <usize>(nr_tasks - 1) * sizeof<usize>(), changetype<usize>(t));
  return t;
}

/** find_task_by_vpid(): the task with `pid`, or null. */
export function find_task_by_vpid(pid: u32): task_struct | null {
  if (pid < 1 || pid > nr_tasks) return null;
  return changetype<task_struct | null>(load<usize>(task_table + <usize>(pid - 1) * sizeof<usize>()));
}

export function task_count(): u32 { return nr_tasks; }
