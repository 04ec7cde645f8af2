// mm_types.ts: the kernel objects of the model and the flag values they carry.
// Models: include/linux/mm_types.h, include/linux/mm.h (v7.2-rc1). Names kept verbatim.
//
// Every object lives in kernel memory as an @unmanaged record, allocated once and never moved.
// The learner never sees these addresses: it gets *handles* (learner_abi.ts), small numbers that
// the kernel checks and turns back into records.
//
//   handle range            names                 check
//   ----------------------  --------------------  -----------------------------------------
//   1                       current (task)        always valid
//   0x0100_0000 + pfn       struct page *         pfn < MAX_PFN (struct page exists)
//   0x2000_0000 | gen       struct vm_fault       only during that call of vvar_fault()
//   0x3000_0000 | id        vm_area_struct        the VMA still exists
//   0x4000_0000 | id        mm_struct             the mm still exists
//   0x6000_0001             vdso_vvar_mapping     constant

// @ts-ignore: decorator
@inline export const PAGE_SHIFT: u32 = 12;
// @ts-ignore: decorator
@inline export const PAGE_SIZE: u64 = 4096;

// vm_flags (include/linux/mm.h)
// @ts-ignore: decorator
@inline export const VM_READ: u64 = 0x00000001;
// @ts-ignore: decorator
@inline export const VM_WRITE: u64 = 0x00000002;
// @ts-ignore: decorator
@inline export const VM_EXEC: u64 = 0x00000004;
// @ts-ignore: decorator
@inline export const VM_SHARED: u64 = 0x00000008;
// @ts-ignore: decorator
@inline export const VM_MAYREAD: u64 = 0x00000010;
// @ts-ignore: decorator
@inline export const VM_MAYWRITE: u64 = 0x00000020;
// @ts-ignore: decorator
@inline export const VM_PFNMAP: u64 = 0x00000400;
// @ts-ignore: decorator
@inline export const VM_LOCKED: u64 = 0x00002000;
// @ts-ignore: decorator
@inline export const VM_IO: u64 = 0x00004000;
// @ts-ignore: decorator
@inline export const VM_DONTCOPY: u64 = 0x00020000;
// @ts-ignore: decorator
@inline export const VM_DONTEXPAND: u64 = 0x00040000;
// @ts-ignore: decorator
@inline export const VM_LOCKONFAULT: u64 = 0x00080000;
// @ts-ignore: decorator
@inline export const VM_WIPEONFORK: u64 = 0x02000000;
// @ts-ignore: decorator
@inline export const VM_DONTDUMP: u64 = 0x04000000;
// @ts-ignore: decorator
@inline export const VM_SOFTDIRTY: u64 = 0x08000000;
// @ts-ignore: decorator
@inline export const VM_MIXEDMAP: u64 = 0x10000000;
// @ts-ignore: decorator
@inline export const VM_NOHUGEPAGE: u64 = 0x40000000;
// @ts-ignore: decorator
@inline export const VM_SEALED: u64 = <u64>1 << 42;
// @ts-ignore: decorator
@inline export const VM_SPECIAL: u64 = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
// @ts-ignore: decorator
@inline export const VM_LOCKED_MASK: u64 = VM_LOCKED | VM_LOCKONFAULT;
/** VM_COPY_ON_FORK: page tables fork must copy because a fault could not rebuild them. Linux
 *  also lists VM_UFFD_WP and VM_MAYBE_GUARD, which the model has no use for. */
// @ts-ignore: decorator
@inline export const VM_COPY_ON_FORK: u64 = VM_PFNMAP | VM_MIXEDMAP;
// mm_init(): the def_flags a new mm inherits (the lock bits are not among them)
// @ts-ignore: decorator
@inline export const VM_INIT_DEF_MASK: u64 = VM_NOHUGEPAGE;

// vm_fault_t (include/linux/mm_types.h)
// @ts-ignore: decorator
@inline export const VM_FAULT_OOM: u32 = 0x000001;
// @ts-ignore: decorator
@inline export const VM_FAULT_SIGBUS: u32 = 0x000002;
// @ts-ignore: decorator
@inline export const VM_FAULT_HWPOISON: u32 = 0x000010;
// @ts-ignore: decorator
@inline export const VM_FAULT_HWPOISON_LARGE: u32 = 0x000020;
// @ts-ignore: decorator
@inline export const VM_FAULT_SIGSEGV: u32 = 0x000040;
// @ts-ignore: decorator
@inline export const VM_FAULT_NOPAGE: u32 = 0x000100;
// @ts-ignore: decorator
@inline export const VM_FAULT_LOCKED: u32 = 0x000200;
// @ts-ignore: decorator
@inline export const VM_FAULT_RETRY: u32 = 0x000400;
// @ts-ignore: decorator
@inline export const VM_FAULT_FALLBACK: u32 = 0x000800;
// @ts-ignore: decorator
@inline export const VM_FAULT_ERROR: u32 = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV |
  VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK;

// enum fault_flag (include/linux/mm_types.h)
// @ts-ignore: decorator
@inline export const FAULT_FLAG_WRITE: u32 = 1 << 0;
// @ts-ignore: decorator
@inline export const FAULT_FLAG_ALLOW_RETRY: u32 = 1 << 2;
// @ts-ignore: decorator
@inline export const FAULT_FLAG_KILLABLE: u32 = 1 << 4;
// @ts-ignore: decorator
@inline export const FAULT_FLAG_TRIED: u32 = 1 << 5;
// @ts-ignore: decorator
@inline export const FAULT_FLAG_USER: u32 = 1 << 6;
// @ts-ignore: decorator
@inline export const FAULT_FLAG_REMOTE: u32 = 1 << 7;

// Model capacities. The [vvar] window has room for VDSO_NR_PAGES <= 3 + 8 arch pages.
// @ts-ignore: decorator
@inline export const MAX_PFN: u32 = 96;
// @ts-ignore: decorator
@inline export const MAX_TASKS: u32 = 64;
// @ts-ignore: decorator
@inline export const MAX_MMS: u32 = 128;
// @ts-ignore: decorator
@inline export const MAX_VMAS: u32 = 128;
// @ts-ignore: decorator
@inline export const MAX_TIMENS: u32 = 16;
// @ts-ignore: decorator
@inline export const PTRS_PER_VVAR: u32 = 16;
/** Where [vvar] is placed in every address space (the x86-64 layout puts it below [vdso]). */
// @ts-ignore: decorator
@inline export const VVAR_BASE: u64 = 0x7ffff7fb8000;
// @ts-ignore: decorator
@inline export const TASK_SIZE: u64 = 0x7ffffffff000;

// Handle tags (see the table above).
// @ts-ignore: decorator
@inline export const H_CURRENT: u32 = 1;
// @ts-ignore: decorator
@inline export const H_PAGE: u32 = 0x01000000;
// @ts-ignore: decorator
@inline export const H_VMF: u32 = 0x20000000;
// @ts-ignore: decorator
@inline export const H_VMA: u32 = 0x30000000;
// @ts-ignore: decorator
@inline export const H_MM: u32 = 0x40000000;
// @ts-ignore: decorator
@inline export const H_VVAR_MAPPING: u32 = 0x60000001;
// @ts-ignore: decorator
@inline export const H_ID_MASK: u32 = 0x0fffffff;

/** What a page holds. The host names them (engine/types.ts PageKind). */
// @ts-ignore: decorator
@inline export const PK_TIME: i32 = 0;
// @ts-ignore: decorator
@inline export const PK_TIMENS: i32 = 1;
// @ts-ignore: decorator
@inline export const PK_ZERO: i32 = 2;
// @ts-ignore: decorator
@inline export const PK_RNG: i32 = 3;
// @ts-ignore: decorator
@inline export const PK_ARCH: i32 = 4;
// @ts-ignore: decorator
@inline export const PK_ZERO_PAGE: i32 = 5;
// @ts-ignore: decorator
@inline export const PK_OTHER: i32 = 6;
/** an anonymous page: the private copy a copy-on-write fault made */
// @ts-ignore: decorator
@inline export const PK_ANON: i32 = 7;

/** struct page: one physical page frame. `_mapcount` counts PTEs (Linux starts it at -1). */
@unmanaged export class page {
  _refcount: i32;
  _mapcount: i32;
  /** PK_*: what the page holds */
  kind: i32;
  /** 1 for the datastore and namespace pages: the kernel owns a reference for ever */
  reserved: u32;
  /** the 4096 bytes of the page, in kernel memory */
  data: usize;
}

/** struct mm_struct: an address space. Only the [vvar] window of the page table is modelled:
 *  pgtable[i] is the PTE of VVAR_BASE + i * PAGE_SIZE.
 *
 *    PTE (u32):  31 ............. 2   1        0
 *                [      pfn       ] [special] [present]
 */
@unmanaged export class mm_struct {
  id: u32;
  /** tasks using this mm (vfork shares it) */
  mm_users: u32;
  def_flags: u64;
  total_vm: u64;
  locked_vm: u64;
  /** the [vvar] VMA, or null */
  vvar: vm_area_struct | null;
  pgtable: usize;
  dead: u32;
}

// @ts-ignore: decorator
@inline export const PTE_PRESENT: u32 = 1;
// @ts-ignore: decorator
@inline export const PTE_SPECIAL: u32 = 2;

/** struct vm_area_struct: [vm_start, vm_end) of vm_mm. */
@unmanaged export class vm_area_struct {
  id: u32;
  dead: u32;
  vm_mm: mm_struct;
  vm_start: u64;
  vm_end: u64;
  vm_flags: u64;
  vm_pgoff: u64;
  /** the vm_special_mapping handle whose .fault serves this VMA, 0 if none (vm_private_data) */
  vm_special: u32;
  /** vm_ops: what a fault on this VMA calls (special_mapping_vmops for [vvar]) */
  vm_ops: vm_operations_struct | null;
  /** 1 once the VMA holds an anonymous page (a copy-on-write copy): Linux's anon_vma != NULL */
  anon_vma: u32;
}

/** struct vm_operations_struct: the one operation the model needs. do_read_fault() ->
 *  __do_fault() calls vma->vm_ops->fault(vmf); mm/memory.c never names the special mapping. */
@unmanaged export class vm_operations_struct {
  fault: (vmf: vm_fault) => u32;
}

/** struct vm_fault: one fault in progress. `page` is a page handle (0 = NULL). */
@unmanaged export class vm_fault {
  handle: u32;
  flags: u32;
  vma: vm_area_struct;
  address: u64;
  pgoff: u64;
  page: u32;
}

/** Counters of one task (what getrusage/perf/dmesg would show). */
@unmanaged export class task_counters {
  faults: u64;
  minflt: u64;
  handler_calls: u64;
  gup_faults: u64;
  sigbus: u64;
  warns: u64;
  bugs: u64;
  syscall_fallbacks: u64;
}

// task_counters fields by number, for the host's task_counter(pid, idx). The host's names are
// these names in lower case (scripts/gen-abi.mjs generates engine/generated/abi.ts from them).
// @ts-ignore: decorator
@inline export const TC_FAULTS: u32 = 0;
// @ts-ignore: decorator
@inline export const TC_MINFLT: u32 = 1;
// @ts-ignore: decorator
@inline export const TC_HANDLER_CALLS: u32 = 2;
// @ts-ignore: decorator
@inline export const TC_GUP_FAULTS: u32 = 3;
// @ts-ignore: decorator
@inline export const TC_SIGBUS: u32 = 4;
// @ts-ignore: decorator
@inline export const TC_WARNS: u32 = 5;
// @ts-ignore: decorator
@inline export const TC_BUGS: u32 = 6;
// @ts-ignore: decorator
@inline export const TC_SYSCALL_FALLBACKS: u32 = 7;

/** struct time_namespace (kernel/time/namespace.c). vvar_page is a pfn, 0 for init_time_ns. */
@unmanaged export class time_namespace {
  id: u32;
  vvar_page: u32;
  frozen_offsets: u32;
  monotonic_ns: i64;
  boottime_ns: i64;
}

/** struct task_struct, with nsproxy's two time namespaces folded in. */
@unmanaged export class task_struct {
  pid: u32;
  alive: u32;
  nr_threads: u32;
  mm: mm_struct | null;
  time_ns: time_namespace;
  time_ns_for_children: time_namespace;
  c: task_counters;
}

/** Allocates a zeroed record of `size` bytes in kernel memory (never freed: the kernel
 *  instance lives for one scenario). */
export function kzalloc(size: usize): usize {
  const p = heap.alloc(size);
  memory.fill(p, 0, size);
  return p;
}
