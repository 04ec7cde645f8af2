// madvise.ts: madvise(MADV_POPULATE_READ).
// Models: mm/madvise.c madvise_populate(), mm/gup.c faultin_page_range().
//
// GUP-based: before the series check_vma_flags() refuses [vvar] (VM_IO) and the call fails with
// -EINVAL; after it, the range is faulted in, and a page whose fault fails gives -EFAULT
// (SIGBUS/SIGSEGV), -EHWPOISON (FOLL_HWPOISON is set) or -ENOMEM (VM_FAULT_OOM).

import { PAGE_SIZE } from "./mm_types";
import { current } from "./sched";
import { faultin_page_range } from "./gup";
import { EINVAL, ENOMEM, EFAULT, EHWPOISON, EINTR } from "./errno";
import { pr_begin, pr_end, pr_str, pr_i64 } from "./printk";

let warned_unhandled = false;
import { trace_event, TR_POPULATE, TD_NONE } from "./trace";

/** madvise(start, len, MADV_POPULATE_READ): 0, or madvise_populate()'s own errno for what
 *  GUP said: -EINVAL (a VMA GUP refuses), -EHWPOISON (a poisoned page), -EFAULT (a fault
 *  failed with SIGBUS/SIGSEGV), -ENOMEM (no VMA, or out of memory). Any other GUP error is
 *  unexpected: "madvise_populate: unhandled return value" once in dmesg, then -ENOMEM. */
export function madvise_populate_read(start: u64, len: u64): i32 {
  const mm = current.mm;
  if (mm === null) return -ENOMEM;
  if ((start & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  const end = start + len;
  trace_event(current.pid, TR_POPULATE, -1, -1, TD_NONE, 1);
  let s = start;
  while (s < end) {
    const ret = faultin_page_range(mm, s, end, false);
    if (ret < 0) {
      if (ret == -EINTR || ret == -EINVAL || ret == -EHWPOISON || ret == -EFAULT || ret == -ENOMEM) return <i32>ret;
      if (!warned_unhandled) {
        warned_unhandled = true;          // pr_warn_once()
        pr_begin(); pr_str("madvise_populate: unhandled return value: "); pr_i64(ret); pr_end();
      }
      return -ENOMEM;
    }
    s += <u64>ret * PAGE_SIZE;
  }
  return 0;
}
