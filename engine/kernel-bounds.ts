// engine/kernel-bounds.ts: the kernel model's table sizes, as the host bounds its loops over
// counts the kernel reports (a count a learner's install or a kernel bug could make huge never
// drives a host loop past the table it counts). They mirror kernel-as constants;
// tests/hardening/kernel-ranges.test.ts checks each against its kernel-as source.

/** kernel-as/mm_types.ts PTRS_PER_VVAR: PTEs of the one [vvar] page table. */
export const PTRS_PER_VVAR = 16;
/** kernel-as/mm_types.ts MAX_TASKS. */
export const MAX_TASKS = 64;
/** kernel-as/trace.ts TRACE_MAX: trace records kept. */
export const TRACE_MAX = 4096;
