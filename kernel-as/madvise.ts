// madvise.ts: madvise(MADV_POPULATE_READ).
// Models: mm/madvise.c madvise_populate(), mm/gup.c faultin_page_range().
//
// GUP-based: before the series check_vma_flags() refuses [vvar] (VM_IO) and the call fails with
// -EINVAL; after it, the range is faulted in, and a page whose fault fails gives -EFAULT.

import { PAGE_SIZE } from "./mm_types";
import { current } from "./sched";
import { faultin_page_range } from "./gup";
import { EINVAL, ENOMEM, EFAULT } from "./errno";
import { trace_event, TR_POPULATE, TD_NONE } from "./trace";

/** madvise(start, len, MADV_POPULATE_READ): 0, -ENOMEM (unmapped range), -EINVAL (a VMA GUP
 *  refuses), -EFAULT (a fault failed). */
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
      if (ret == -EINVAL) return -EINVAL;
      if (ret == -ENOMEM) return -ENOMEM;
      return -EFAULT;
    }
    s += <u64>ret * PAGE_SIZE;
  }
  return 0;
}
