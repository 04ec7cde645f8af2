// kernel.ts: the kernel API a datastore may use (read-only).
//
// This file is compiled together with the learner's datastore.ts into the learner's own
// WebAssembly instance. It is the whole of what the learner can reach: every function below
// either is computed here, or calls one of the `kernel.*` imports, which the host links to the
// kernel instance (kernel-as/). Kernel memory is never shared with the learner.
//
// Objects are *handles*: an `@unmanaged` class reference whose value is a number the kernel gave
// out. The learner never dereferences it; every getter and setter below asks the kernel, which
// validates the handle first (a forged or stale handle is an oops, never a write into kernel
// state). So `vmf.pgoff`, `vma.vm_mm` and `current.mm` read as they do in lib/vdso/datastore.c.
//
//   handle value   what it names                          valid while
//   ------------   -------------------------------------  -----------------------------------
//   vm_fault       the struct vm_fault of one fault       that call of vvar_fault() only
//   vm_area_struct a VMA (here: a task's [vvar])          the VMA exists
//   mm_struct      an address space                       the mm exists
//   task_struct    a task; `current` is resolved on use   always
//   page           a struct page *; +n is the next page   the page is allocated
//
// A `page` behaves like a `struct page *`: `vdso_data_pages + pgoff` names the pgoff-th page of
// the datastore allocation, as in the kernel. Names and values follow Linux (include/linux/mm.h,
// mm_types.h, include/vdso/datapage.h); grep the kernel for any of them.

// ---- imports from the kernel instance (the allowed list) -------------------------------------

@external("kernel", "vmf_pgoff") declare function __vmf_pgoff(vmf: usize): u64;
@external("kernel", "vmf_address") declare function __vmf_address(vmf: usize): u64;
@external("kernel", "vmf_flags") declare function __vmf_flags(vmf: usize): u32;
@external("kernel", "vmf_vma") declare function __vmf_vma(vmf: usize): usize;
@external("kernel", "vmf_get_page") declare function __vmf_get_page(vmf: usize): usize;
@external("kernel", "vmf_set_page") declare function __vmf_set_page(vmf: usize, page: usize): void;
@external("kernel", "vma_vm_mm") declare function __vma_vm_mm(vma: usize): usize;
@external("kernel", "vma_vm_start") declare function __vma_vm_start(vma: usize): u64;
@external("kernel", "vma_vm_end") declare function __vma_vm_end(vma: usize): u64;
@external("kernel", "vma_vm_flags") declare function __vma_vm_flags(vma: usize): u64;
@external("kernel", "task_mm") declare function __task_mm(task: usize): usize;
@external("kernel", "kernel_config") declare function __kernel_config(option: u32): u32;
@external("kernel", "vdso_nr_pages") declare function __vdso_nr_pages(): u32;
@external("kernel", "vdso_data_pages") declare function __vdso_data_pages(): usize;
@external("kernel", "vdso_k_data") declare function __vdso_k_data(which: u32): u64;
@external("kernel", "vdso_vvar_mapping") declare function __vdso_vvar_mapping(): usize;
@external("kernel", "find_timens_vvar_page") declare function __find_timens_vvar_page(vma: usize): usize;
@external("kernel", "vmf_insert_page") declare function __vmf_insert_page(vma: usize, addr: u64, page: usize): u32;
@external("kernel", "vmf_insert_pfn") declare function __vmf_insert_pfn(vma: usize, addr: u64, pfn: u64): u32;
@external("kernel", "vmf_insert_mixed") declare function __vmf_insert_mixed(vma: usize, addr: u64, pfn: u64): u32;
@external("kernel", "get_page") declare function __get_page(page: usize): void;
@external("kernel", "put_page") declare function __put_page(page: usize): void;
@external("kernel", "page_to_pfn") declare function __page_to_pfn(page: usize): u64;
@external("kernel", "pfn_to_page") declare function __pfn_to_page(pfn: u64): usize;
@external("kernel", "virt_to_page") declare function __virt_to_page(kaddr: u64): usize;
@external("kernel", "zero_page") declare function __zero_page(vaddr: u64): usize;
@external("kernel", "install_special_mapping") declare function __install_special_mapping(mm: usize, addr: u64, len: u64, vm_flags: u64, spec: usize): usize;
@external("kernel", "printk") declare function __printk(level: u32, value: u64): void;

// ---- types ----------------------------------------------------------------------------------

/** A fault handler's result: 0, or VM_FAULT_* bits. (include/linux/mm_types.h) */
export type vm_fault_t = u32;
/** An errno as the kernel returns it: 0 or -E*. */
export type errno_t = i32;

/** struct page *: one physical page. `page + n` is the n-th page after it. */
@unmanaged @final export class page {
  @operator("+") static add(p: page, n: u64): page {
    return changetype<page>(changetype<usize>(p) + <usize>n);
  }
  @operator("-") static sub(p: page, n: u64): page {
    return changetype<page>(changetype<usize>(p) - <usize>n);
  }
}

/** struct mm_struct: an address space. */
@unmanaged @final export class mm_struct {}

/** struct task_struct. Only `current` is handed to a datastore. */
@unmanaged @final export class task_struct {
  /** current->mm */
  get mm(): mm_struct { return changetype<mm_struct>(__task_mm(changetype<usize>(this))); }
}

/** struct vm_area_struct: one mapping of an mm. */
@unmanaged @final export class vm_area_struct {
  get vm_mm(): mm_struct { return changetype<mm_struct>(__vma_vm_mm(changetype<usize>(this))); }
  get vm_start(): u64 { return __vma_vm_start(changetype<usize>(this)); }
  get vm_end(): u64 { return __vma_vm_end(changetype<usize>(this)); }
  get vm_flags(): u64 { return __vma_vm_flags(changetype<usize>(this)); }
}

/** struct vm_special_mapping: `.name` and `.fault` of a special mapping such as [vvar]. */
@unmanaged @final export class vm_special_mapping {}

/** struct vm_fault: the fault being handled. Valid only during one call of vvar_fault(). */
@unmanaged @final export class vm_fault {
  /** Which page of the VMA faulted, counted from vm_start. */
  get pgoff(): u64 { return __vmf_pgoff(changetype<usize>(this)); }
  /** The faulting user address, rounded down to its page. */
  get address(): u64 { return __vmf_address(changetype<usize>(this)); }
  /** FAULT_FLAG_* bits, e.g. FAULT_FLAG_REMOTE for /proc/pid/mem, ptrace, process_vm_readv. */
  get flags(): u32 { return __vmf_flags(changetype<usize>(this)); }
  get vma(): vm_area_struct { return changetype<vm_area_struct>(__vmf_vma(changetype<usize>(this))); }
  /** The page the handler returns; finish_fault() maps it (and takes over the reference). */
  get page(): page | null { return changetype<page | null>(__vmf_get_page(changetype<usize>(this))); }
  set page(p: page | null) { __vmf_set_page(changetype<usize>(this), changetype<usize>(p)); }
}

// ---- constants ------------------------------------------------------------------------------

export const PAGE_SHIFT: u32 = 12;
export const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;

// vm_flags (include/linux/mm.h)
export const VM_NONE: u64 = 0x00000000;
export const VM_READ: u64 = 0x00000001;
export const VM_WRITE: u64 = 0x00000002;
export const VM_EXEC: u64 = 0x00000004;
export const VM_SHARED: u64 = 0x00000008;
export const VM_MAYREAD: u64 = 0x00000010;
export const VM_MAYWRITE: u64 = 0x00000020;
export const VM_MAYEXEC: u64 = 0x00000040;
export const VM_MAYSHARE: u64 = 0x00000080;
export const VM_GROWSDOWN: u64 = 0x00000100;
export const VM_PFNMAP: u64 = 0x00000400;
export const VM_LOCKED: u64 = 0x00002000;
export const VM_IO: u64 = 0x00004000;
export const VM_SEQ_READ: u64 = 0x00008000;
export const VM_RAND_READ: u64 = 0x00010000;
export const VM_DONTCOPY: u64 = 0x00020000;
export const VM_DONTEXPAND: u64 = 0x00040000;
export const VM_LOCKONFAULT: u64 = 0x00080000;
export const VM_ACCOUNT: u64 = 0x00100000;
export const VM_NORESERVE: u64 = 0x00200000;
export const VM_HUGETLB: u64 = 0x00400000;
export const VM_SYNC: u64 = 0x00800000;
export const VM_WIPEONFORK: u64 = 0x02000000;
export const VM_DONTDUMP: u64 = 0x04000000;
export const VM_SOFTDIRTY: u64 = 0x08000000;
export const VM_MIXEDMAP: u64 = 0x10000000;
export const VM_HUGEPAGE: u64 = 0x20000000;
export const VM_NOHUGEPAGE: u64 = 0x40000000;
export const VM_MERGEABLE: u64 = 0x80000000;
/** VM_SEALED (bit 42): set on system mappings when CONFIG_MSEAL_SYSTEM_MAPPINGS=y. */
export const VM_SEALED: u64 = <u64>1 << 42;
export const VM_SEALED_SYSMAP: u64 = VM_SEALED;
export const VM_SPECIAL: u64 = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
export const VM_LOCKED_MASK: u64 = VM_LOCKED | VM_LOCKONFAULT;

// vm_fault_t bits (include/linux/mm_types.h). What a user page fault does with an error, in
// this order (arch/x86/mm/fault.c): VM_FAULT_OOM is retried, no signal; VM_FAULT_SIGBUS and
// VM_FAULT_HWPOISON* are SIGBUS; VM_FAULT_SIGSEGV is SIGSEGV; VM_FAULT_FALLBACK (huge pages
// only) is a BUG. VM_FAULT_RETRY retries the fault. get_user_pages turns them into errnos.
export const VM_FAULT_OOM: vm_fault_t = 0x000001;
export const VM_FAULT_SIGBUS: vm_fault_t = 0x000002;
export const VM_FAULT_MAJOR: vm_fault_t = 0x000004;
export const VM_FAULT_HWPOISON: vm_fault_t = 0x000010;
export const VM_FAULT_HWPOISON_LARGE: vm_fault_t = 0x000020;
export const VM_FAULT_SIGSEGV: vm_fault_t = 0x000040;
export const VM_FAULT_NOPAGE: vm_fault_t = 0x000100;
export const VM_FAULT_LOCKED: vm_fault_t = 0x000200;
export const VM_FAULT_RETRY: vm_fault_t = 0x000400;
export const VM_FAULT_FALLBACK: vm_fault_t = 0x000800;
export const VM_FAULT_DONE_COW: vm_fault_t = 0x001000;
export const VM_FAULT_NEEDDSYNC: vm_fault_t = 0x002000;
export const VM_FAULT_COMPLETED: vm_fault_t = 0x004000;
export const VM_FAULT_ERROR: vm_fault_t = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV |
  VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK;

// enum fault_flag (include/linux/mm_types.h)
export const FAULT_FLAG_WRITE: u32 = 1 << 0;
export const FAULT_FLAG_MKWRITE: u32 = 1 << 1;
export const FAULT_FLAG_ALLOW_RETRY: u32 = 1 << 2;
export const FAULT_FLAG_RETRY_NOWAIT: u32 = 1 << 3;
export const FAULT_FLAG_KILLABLE: u32 = 1 << 4;
export const FAULT_FLAG_TRIED: u32 = 1 << 5;
export const FAULT_FLAG_USER: u32 = 1 << 6;
export const FAULT_FLAG_REMOTE: u32 = 1 << 7;
export const FAULT_FLAG_INSTRUCTION: u32 = 1 << 8;
export const FAULT_FLAG_INTERRUPTIBLE: u32 = 1 << 9;
export const FAULT_FLAG_UNSHARE: u32 = 1 << 10;
export const FAULT_FLAG_ORIG_PTE_VALID: u32 = 1 << 11;
export const FAULT_FLAG_VMA_LOCK: u32 = 1 << 12;

// Kernel configuration, for IS_ENABLED(). The scenario chooses the values.
export const CONFIG_GENERIC_GETTIMEOFDAY: u32 = 1;
export const CONFIG_TIME_NS: u32 = 2;
export const CONFIG_VDSO_GETRANDOM: u32 = 3;
export const CONFIG_ARCH_HAS_VDSO_ARCH_DATA: u32 = 4;

/** IS_ENABLED(CONFIG_FOO): whether the running kernel was configured with the option. */
export function IS_ENABLED(option: u32): bool { return __kernel_config(option) != 0; }

// enum vdso_pages (include/vdso/datapage.h). The arch page count is part of the configuration,
// so the last three are read from the kernel when this module starts.
export const VDSO_TIME_PAGE_OFFSET: u64 = 0;
export const VDSO_TIMENS_PAGE_OFFSET: u64 = 1;
export const VDSO_RNG_PAGE_OFFSET: u64 = 2;
export const VDSO_ARCH_PAGES_START: u64 = 3;
export const VDSO_NR_PAGES: u64 = <u64>__vdso_nr_pages();
export const VDSO_ARCH_PAGES_END: u64 = VDSO_NR_PAGES - 1;

// ---- kernel objects -------------------------------------------------------------------------

/** The task on whose behalf the fault is handled (resolved by the kernel on each use). */
export const current: task_struct = changetype<task_struct>(<usize>1);

/** The first page of the datastore allocation: VDSO_NR_PAGES pages, one per vdso_pages slot. */
export const vdso_data_pages: page = changetype<page>(__vdso_data_pages());

/** Kernel virtual addresses of the data the kernel writes (for virt_to_page()). */
export const vdso_k_time_data: u64 = __vdso_k_data(0);
export const vdso_k_rng_data: u64 = __vdso_k_data(2);
export const vdso_k_arch_data: u64 = __vdso_k_data(3);

/** The special mapping [vvar], whose .fault is this module's vvar_fault(). */
export const vdso_vvar_mapping: vm_special_mapping = changetype<vm_special_mapping>(__vdso_vvar_mapping());

// ---- kernel functions -----------------------------------------------------------------------

/** The time namespace page of current's namespace, or null in the root namespace.
 *  WARNs ("vvar_page accessed remotely") and returns null when vma is not current->mm's. */
export function find_timens_vvar_page(vma: vm_area_struct): page | null {
  return changetype<page | null>(__find_timens_vvar_page(changetype<usize>(vma)));
}

/** Map page at addr now, from inside a fault handler (VM_MIXEDMAP VMAs). Returns
 *  VM_FAULT_NOPAGE on success, and also when a PTE is already there (-EBUSY counts as success);
 *  VM_FAULT_OOM or VM_FAULT_SIGBUS on failure (test with `& VM_FAULT_ERROR`). Takes its own
 *  page reference. */
export function vmf_insert_page(vma: vm_area_struct, addr: u64, p: page): vm_fault_t {
  return __vmf_insert_page(changetype<usize>(vma), addr, changetype<usize>(p));
}

/** Insert a special PTE for a raw pfn. BUG()s on a VM_MIXEDMAP VMA when the pfn has a struct page. */
export function vmf_insert_pfn(vma: vm_area_struct, addr: u64, pfn: u64): vm_fault_t {
  return __vmf_insert_pfn(changetype<usize>(vma), addr, pfn);
}

/** Insert a pfn into a VM_MIXEDMAP VMA. x86 has pte_special, so this is a special PTE even for a
 *  pfn with a struct page: no refcount, and get_user_pages cannot return the page. */
export function vmf_insert_mixed(vma: vm_area_struct, addr: u64, pfn: u64): vm_fault_t {
  return __vmf_insert_mixed(changetype<usize>(vma), addr, pfn);
}

/** Take a reference on page. A page returned through vmf->page must carry one. */
export function get_page(p: page): void { __get_page(changetype<usize>(p)); }
/** Drop a reference taken with get_page(). */
export function put_page(p: page): void { __put_page(changetype<usize>(p)); }

export function page_to_pfn(p: page): u64 { return __page_to_pfn(changetype<usize>(p)); }
export function pfn_to_page(pfn: u64): page { return changetype<page>(__pfn_to_page(pfn)); }
/** The page behind a kernel virtual address (vdso_k_time_data ...). */
export function virt_to_page(kaddr: u64): page { return changetype<page>(__virt_to_page(kaddr)); }
/** The shared zero page. It is not an ordinary page: see lesson 4 before returning it anywhere. */
export function ZERO_PAGE(vaddr: u64): page { return changetype<page>(__zero_page(vaddr)); }

/** Create a special mapping of len bytes at addr in mm. The kernel adds VM_DONTEXPAND (and
 *  VM_SOFTDIRTY) and clears VM_LOCKED_MASK, as __install_special_mapping() does. */
export function _install_special_mapping(mm: mm_struct, addr: u64, len: u64, vm_flags: u64,
                                         spec: vm_special_mapping): vm_area_struct {
  return changetype<vm_area_struct>(__install_special_mapping(
    changetype<usize>(mm), addr, len, vm_flags, changetype<usize>(spec)));
}

/** Log a line to the kernel log (dmesg) with a number, e.g. pr_info_value(vmf.pgoff). */
export function pr_info_value(value: u64): void { __printk(6, value); }
export function pr_warn_value(value: u64): void { __printk(4, value); }
