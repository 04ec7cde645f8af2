// engine/kernel-bounds.ts: the kernel model's table sizes, as the host bounds its loops over
// counts the kernel reports (a count a learner's install or a kernel bug could make huge never
// drives a host loop past the table it counts). Generated from kernel-as's constants
// (engine/generated/abi.ts, scripts/gen-abi.mjs), so they cannot drift from the kernel.
import { KERNEL_LIMITS } from "./generated/abi.js";

export { PTRS_PER_VVAR, TRACE_MAX } from "./generated/abi.js";
/** kernel-as/mm_types.ts MAX_TASKS. */
export const MAX_TASKS: number = KERNEL_LIMITS.tasks;
