// Generates the conformance scenarios: one JSON file per truth-table row (docs/kernel-facts.md §7),
// with the table's outcomes as `expect`s, for the pre-series handler and for the merged one.
//
//   tests/conformance/pre/<row>.json   v7.2-rc1 (also what p1, p2 must do)
//   tests/conformance/p3/<row>.json    rows where p3/p4 (zeros, VM_IO still set) differ from pre
//   tests/conformance/p6/<row>.json    v4 as merged (also what p5 must do)
//   tests/conformance/e3/<row>.json    the hypothetical e3 handler (VM_IO dropped without P3)
//
// Usage: node tests/conformance/generate.mjs   (rewrites the JSON files; commit them)
// The rows are written here once, as data, so that pre and post differ only where the table
// says they do. tests/model/conformance.test.ts runs them.
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ["MCL_CURRENT", "MCL_FUTURE"];
const MONO = "CLOCK_MONOTONIC";
const NS = (task, expect) => ({ op: "unshare_timens", task, ns: "t", monotonic_offset_s: 86400, boottime_offset_s: 172800, ...(expect ? { expect } : {}) });

// step builders
const spawn = task => ({ op: "spawn", task });
const mlockall = (task, flags = ALL, expect) => ({ op: "mlockall", task, flags, ...(expect ? { expect } : {}) });
const clock = (task, expect, repeat) => ({ op: "clock_gettime", task, clock: MONO, ...(repeat ? { repeat } : {}), ...(expect ? { expect } : {}) });
const read = (task, pgoff, expect) => ({ op: "read", task, pgoff, ...(expect ? { expect } : {}) });
const remote = (task, target, pgoff, via, expect, write = false) =>
  ({ op: write ? "remote_write" : "remote_read", task, target, pgoff, via, ...(expect ? { expect } : {}) });
const note = (step, text) => ({ ...step, note: text });

const FAULT1 = { faults: 1, minflt: 1, handler_calls: 1, gup_faults: 0, correct: true };
const NOFAULT = { faults: 0, handler_calls: 0, correct: true };
const SIGBUS = { faults: 1, handler_calls: 1, minflt: 0, sigbus: 1, signal: "SIGBUS" };
const ZEROS = { faults: 1, handler_calls: 1, minflt: 1, sigbus: 0, signal: null, page: "zero" };
const POP4 = { ret: 0, faults: 0, handler_calls: 4, gup_faults: 4, minflt: 4, warns: 0 };
const POP0 = { ret: 0, faults: 0, handler_calls: 0, gup_faults: 0, minflt: 0 };

// row -> (post: boolean, zeros: boolean) -> scenario; `zeros` is P3's behaviour (no SIGBUS)
const rows = {
  a1: (post) => ({ description: "Root ns, plain clock_gettime, 1st call: 1 fault maps pgoff 0 to the time page",
    steps: [spawn("a"), clock("a", FAULT1), read("a", 0, { faults: 0, page: "time" })] }),
  a2: () => ({ description: "Root ns, 2nd and later calls: no fault",
    steps: [spawn("a"), clock("a", FAULT1), clock("a", NOFAULT, 1000)] }),
  a3: () => ({ description: "Timens, 1st call: 1 fault maps pgoff 1 (real data) and pgoff 0 (ns page)",
    steps: [spawn("a"), NS("a"), { op: "fork", task: "a", child: "b" }, clock("b", FAULT1),
            read("b", 0, { faults: 0, page: "timens" }), read("b", 1, { faults: 0, page: "time" })] }),
  b1: (post) => ({ description: post
      ? "mlockall(MCL_CURRENT|MCL_FUTURE): GUP faults pgoff 0..3, 4 handler calls, minflt += 4, no exception; pgoff 1 is the zero slot"
      : "mlockall(MCL_CURRENT|MCL_FUTURE): returns 0, [vvar] skipped (VM_IO), no handler call",
    steps: [spawn("a"), mlockall("a", ALL, post ? POP4 : POP0),
            ...(post ? [read("a", 1, { faults: 0, page: "zero" }), read("a", 3, { faults: 0, page: "zero" })] : [])] }),
  b2: (post) => ({ description: "Faults in a clock_gettime loop after mlockall (task b touched pgoff 0 before mlockall)",
    steps: [spawn("a"), mlockall("a"), clock("a", { faults: post ? 0 : 1, correct: true }, 1000),
            spawn("b"), clock("b", FAULT1), mlockall("b"), clock("b", { faults: 0, correct: true }, 1000)] }),
  b3: () => ({ description: "smaps of [vvar] after mlockall: io before, none after; Locked 0 kB; Rss = mapped pages (checked by the test)",
    steps: [spawn("a"), mlockall("a"), { op: "smaps", task: "a" }, clock("a"), { op: "smaps", task: "a" }] }),
  c1: (post) => ({ description: "Timens task: mlockall then loop",
    steps: [spawn("a"), NS("a"), { op: "fork", task: "a", child: "b" },
            mlockall("b", ALL, post ? { ret: 0, faults: 0, handler_calls: 3, gup_faults: 3, minflt: 3 } : POP0),
            clock("b", { faults: post ? 0 : 1, handler_calls: post ? 0 : 1, correct: true }, 1000)] }),
  d1: (post) => ({ description: "vgetrandom after mlockall (CONFIG_VDSO_GETRANDOM=y)",
    steps: [spawn("a"), mlockall("a"), { op: "getrandom", task: "a", repeat: 100,
            expect: { faults: post ? 0 : 1, syscall_fallbacks: 0, correct: true } }] }),
  d2: (post, zeros) => ({ description: "CONFIG_VDSO_GETRANDOM=n: getrandom is a syscall; a direct read of pgoff 2 is SIGBUS before, zeros after",
    config: { VDSO_GETRANDOM: false },
    steps: [spawn("a"), { op: "getrandom", task: "a", expect: { faults: 0, syscall_fallbacks: 1, correct: true } },
            read("a", 2, zeros ? { ...ZEROS, ...{} } : SIGBUS),
            spawn("b"), mlockall("b", ALL, post ? POP4 : POP0),
            read("b", 2, post ? { faults: 0, page: "zero" } : zeros ? ZEROS : SIGBUS)] }),
  d3: () => ({ description: "vgetrandom inside a timens: pgoff 2 is not swapped",
    steps: [spawn("a"), NS("a"), { op: "fork", task: "a", child: "b" },
            { op: "getrandom", task: "b", repeat: 10, expect: { faults: 1, syscall_fallbacks: 0, correct: true } },
            read("b", 2, { faults: 0, page: "rng" })] }),
  e1: (post, zeros) => ({ description: "Direct user read of pgoff 1 in the root ns: SIGBUS before, a zero-filled page after",
    steps: [spawn("a"), read("a", 1, zeros ? { ...ZEROS } : SIGBUS)] }),
  e2: (post, zeros) => ({ description: "Arch page with ARCH_HAS_VDSO_ARCH_DATA=n, time page with GENERIC_GETTIMEOFDAY=n: SIGBUS before, zeros after",
    config: { GENERIC_GETTIMEOFDAY: false, ARCH_HAS_VDSO_ARCH_DATA: false },
    steps: [spawn("a"), read("a", 3, zeros ? ZEROS : SIGBUS), spawn("b"), read("b", 0, zeros ? ZEROS : SIGBUS),
            spawn("c"), note(clock("c", { faults: 0, syscall_fallbacks: 1, correct: true }), "no generic vDSO: the syscall")] }),
  f1: (post) => ({ description: "/proc/<pid>/mem read of a populated [vvar] page, root ns",
    steps: [spawn("a"), clock("a"), spawn("r"),
            remote("r", "a", 0, "proc_mem", post ? { errno: null, page: "time", handler_calls: 0, gup_faults: 0 }
                                                 : { errno: "EIO", handler_calls: 0, gup_faults: 0 })] }),
  f2: (post) => ({ description: "/proc/<pid>/mem read of an unpopulated page",
    steps: [spawn("a"), spawn("r"),
            remote("r", "a", 0, "proc_mem", post ? { errno: "EIO", handler_calls: 1, gup_faults: 1, minflt: 0, warns: 0 }
                                                 : { errno: "EIO", handler_calls: 0, gup_faults: 0, warns: 0 }),
            clock("a", FAULT1)] }),
  f3: (post) => ({ description: "process_vm_readv, populated then unpopulated",
    steps: [spawn("a"), clock("a"), spawn("r"),
            remote("r", "a", 0, "process_vm_readv", post ? { errno: null, page: "time" } : { errno: "EFAULT", handler_calls: 0 }),
            remote("r", "a", 2, "process_vm_readv", post ? { errno: "EFAULT", handler_calls: 1 } : { errno: "EFAULT", handler_calls: 0 })] }),
  f4: (post) => ({ description: "PTRACE_PEEKDATA, populated then unpopulated",
    steps: [spawn("a"), clock("a"), spawn("r"),
            remote("r", "a", 0, "ptrace_peekdata", post ? { errno: null, page: "time" } : { errno: "EIO", handler_calls: 0 }),
            remote("r", "a", 2, "ptrace_peekdata", post ? { errno: "EIO", handler_calls: 1 } : { errno: "EIO", handler_calls: 0 })] }),
  f5: (post) => ({ description: "Remote read, target in a timens with pgoff 0 and 1 populated",
    steps: [spawn("a"), NS("a"), { op: "fork", task: "a", child: "b" }, clock("b", FAULT1), spawn("r"),
            remote("r", "b", 0, "proc_mem", post ? { errno: null, page: "timens" } : { errno: "EIO" }),
            remote("r", "b", 1, "proc_mem", post ? { errno: null, page: "time" } : { errno: "EIO" })] }),
  f6: (post) => ({ description: "Remote read, timens target, pgoff 0 not populated: EIO, no WARN, nothing mapped",
    steps: [spawn("a"), NS("a"), { op: "fork", task: "a", child: "b" }, spawn("r"),
            remote("r", "b", 0, "proc_mem", { errno: "EIO", warns: 0, handler_calls: post ? 1 : 0 }),
            clock("b", FAULT1)] }),
  f7: (post) => ({ description: "/proc/self/mem read of its own [vvar] (FOLL_REMOTE even for self)",
    steps: [spawn("a"), clock("a"),
            remote("a", "a", 0, "proc_mem", post ? { errno: null, page: "time" } : { errno: "EIO" }),
            remote("a", "a", 2, "proc_mem", post ? { errno: "EIO", handler_calls: 1 } : { errno: "EIO", handler_calls: 0 })] }),
  f8: () => ({ description: "Any remote write fails, and never reaches the handler",
    steps: [spawn("a"), clock("a"), spawn("r"),
            remote("r", "a", 0, "proc_mem", { errno: "EIO", handler_calls: 0 }, true),
            remote("r", "a", 0, "process_vm_readv", { errno: "EFAULT", handler_calls: 0 }, true),
            remote("r", "a", 0, "ptrace_peekdata", { errno: "EIO", handler_calls: 0 }, true)] }),
  g1: (post) => ({ description: "setns() into a timens after mlockall zaps: the prefault is lost; a second mlockall re-prefaults",
    steps: [spawn("a"), mlockall("a"), clock("a"), NS("a"), { op: "setns", task: "a", ns: "t", expect: { errno: null } },
            clock("a", FAULT1), { op: "getrandom", task: "a", expect: { faults: 1, correct: true } },
            spawn("b"), mlockall("b"), { op: "setns", task: "b", ns: "t" },
            mlockall("b", ["MCL_CURRENT"], post ? { ret: 0, handler_calls: 3, gup_faults: 3, faults: 0 } : POP0),
            clock("b", { faults: post ? 0 : 1, correct: true })] }),
  g2: () => ({ description: "setns() into the namespace it is already in still zaps",
    steps: [spawn("a"), clock("a"), { op: "setns", task: "a", ns: "root", expect: { errno: null } }, clock("a", FAULT1)] }),
  g3: () => ({ description: "setns() from a multi-threaded process: EUSERS, no zap",
    steps: [spawn("a"), clock("a"), { op: "thread", task: "a" }, NS("a"),
            { op: "setns", task: "a", ns: "t", expect: { errno: "EUSERS" } }, clock("a", NOFAULT)] }),
  g4: () => ({ description: "unshare(CLONE_NEWTIME) alone: no zap, the caller stays in its old namespace",
    steps: [spawn("a"), clock("a"), NS("a", { errno: null, faults: 0 }), clock("a", NOFAULT)] }),
  h1: (post) => ({ description: "fork() after mlockall, same ns: the child inherits the parent's [vvar] PTEs",
    steps: [spawn("a"), mlockall("a"), clock("a"), { op: "fork", task: "a", child: "b" },
            clock("b", NOFAULT), { op: "getrandom", task: "b", expect: { faults: post ? 0 : 1, correct: true } }] }),
  h2: () => ({ description: "fork() after unshare(CLONE_NEWTIME): the child's PTEs are zapped, 1 fault",
    steps: [spawn("a"), mlockall("a"), clock("a"), NS("a"), { op: "fork", task: "a", child: "b" }, clock("b", FAULT1),
            clock("a", NOFAULT)] }),
  h3: () => ({ description: "vfork()+execve after unshare: the child enters the new ns at exec, 1 fault at first use",
    steps: [spawn("a"), clock("a"), NS("a"), { op: "vfork_exec", task: "a", child: "b" }, clock("b", FAULT1),
            clock("a", NOFAULT)] }),
  h4: (post) => ({ description: "execve: a new [vvar] with no PTEs; mlock state dropped; 0 faults if the new image calls mlockall first",
    steps: [spawn("a"), mlockall("a"), clock("a"), { op: "exec", task: "a" }, clock("a", FAULT1),
            spawn("b"), { op: "exec", task: "b" }, mlockall("b", ["MCL_CURRENT"]), clock("b", { faults: post ? 0 : 1, correct: true })] }),
  i1: (post) => ({ description: "munlockall() after mlockall: no effect on [vvar]",
    steps: [spawn("a"), mlockall("a"), { op: "munlockall", task: "a", expect: { errno: null, handler_calls: 0 } },
            clock("a", { faults: post ? 0 : 1, correct: true }, 10)] }),
  j1: (post) => ({ description: "mlockall(MCL_CURRENT|MCL_ONFAULT): [vvar] is still prefaulted after the series (never VM_LOCKONFAULT)",
    steps: [spawn("a"), mlockall("a", ["MCL_CURRENT", "MCL_ONFAULT"], post ? POP4 : POP0),
            clock("a", { faults: post ? 0 : 1, correct: true })] }),
  j2: () => ({ description: "mlockall(MCL_FUTURE) or MCL_FUTURE|MCL_ONFAULT: no populate",
    steps: [spawn("a"), mlockall("a", ["MCL_FUTURE"], POP0), clock("a", FAULT1),
            spawn("b"), mlockall("b", ["MCL_FUTURE", "MCL_ONFAULT"], POP0), clock("b", FAULT1)] }),
  j3: () => ({ description: "mlockall(MCL_ONFAULT) alone: EINVAL",
    steps: [spawn("a"), mlockall("a", ["MCL_ONFAULT"], { errno: "EINVAL", handler_calls: 0 })] }),
  k1: (post) => ({ description: "mlock() of the [vvar] range: returns 0; populated only after the series",
    steps: [spawn("a"), { op: "mlock", task: "a", pgoff: 0, pages: 4, expect: post ? POP4 : POP0 },
            clock("a", { faults: post ? 0 : 1, correct: true })] }),
  k2: (post) => ({ description: "madvise(MADV_POPULATE_READ) of [vvar]: EINVAL before, populated after",
    steps: [spawn("a"), { op: "madvise_populate_read", task: "a", pgoff: 0, pages: 4,
              expect: post ? POP4 : { errno: "EINVAL", handler_calls: 0, gup_faults: 0 } },
            clock("a", { faults: post ? 0 : 1, correct: true })] }),
};

/** Rows where p3 (zeros instead of SIGBUS, VM_IO still set) differs from pre. */
const P3_ROWS = ["d2", "e1", "e2"];

function write(dir, row, sc) {
  mkdirSync(join(here, dir), { recursive: true });
  const scenario = { name: `${dir.replace(/[\\/]/g, "-")}-${row}`, ...sc };
  writeFileSync(join(here, dir, `${row}.json`), JSON.stringify(scenario, null, 2) + "\n");
}

for (const dir of ["pre", "p3", "p6", "e3"]) rmSync(join(here, dir), { recursive: true, force: true });
for (const [row, make] of Object.entries(rows)) {
  write("pre", row, make(false, false));
  write("p6", row, make(true, true));
}
for (const row of P3_ROWS) write("p3", row, rows[row](false, true));

// e3: VM_IO dropped but P3 missing (tests/conformance/datastores/e3-no-p3.ts): mlockall populates
// pgoff 0, the SIGBUS at pgoff 1 ends the populate (__mm_populate resumes once at pgoff 1, which
// fails again: 3 handler calls), pgoff 2 and 3 stay unmapped.
write("e3", "e3", {
  description: "VM_IO removed without P3: mlockall in the root ns maps pgoff 0, stops at the SIGBUS hole at pgoff 1",
  steps: [spawn("a"), mlockall("a", ALL, { ret: 0, faults: 0, handler_calls: 3, gup_faults: 3, minflt: 1 }),
          read("a", 0, { faults: 0, page: "time" }),
          note(read("a", 2, { faults: 1, page: "rng" }), "not populated: the first user access faults"),
          spawn("b"), { op: "mlock", task: "b", pgoff: 0, pages: 4, expect: { errno: "ENOMEM", handler_calls: 3 } }],
});
// Fidelity rows (docs/fidelity.md): behaviour a student's handler can reach that the truth table
// does not cover. Each runs with the handler named by its folder: tests/model/fidelity.test.ts
// builds it from stages/p6 (or stages/pre) with the edits of the same name.
//   fidelity/<variant>/<row>.json
const fork = (task, child) => ({ op: "fork", task, child });
const sm = (task, pgoff, pages, op, expect) => ({ op, task, pgoff, pages, ...(expect ? { expect } : {}) });
const fidelity = {
  p6: {
    "fork-copies-ptes": { description: "fork() after mlockall: VM_MIXEDMAP is in VM_COPY_ON_FORK, so the child has every PTE",
      steps: [spawn("a"), mlockall("a"), fork("a", "b"), clock("b", NOFAULT), { op: "getrandom", task: "b", expect: { faults: 0, correct: true } },
              read("b", 3, { faults: 0, page: "zero" })] },
  },
  pre: {
    "fork-copies-ptes": { description: "fork() after a first call: the child has pgoff 0 (VM_MIXEDMAP is copied even with VM_IO)",
      steps: [spawn("a"), clock("a", FAULT1), fork("a", "b"), clock("b", NOFAULT)] },
  },
  dontcopy: {
    "fork-no-vvar": { description: "VM_DONTCOPY: dup_mmap() skips [vvar]; the child's first vDSO load is a SIGSEGV, the parent is untouched",
      steps: [spawn("a"), mlockall("a", ALL, POP4), fork("a", "b"),
              clock("b", { faults: 1, handler_calls: 0, signal: "SIGSEGV", sigbus: 0 }), clock("a", NOFAULT)] },
  },
  wipeonfork: {
    "fork-wiped": { description: "VM_WIPEONFORK: [vvar] is copied without its page tables; the child faults every page in again",
      steps: [spawn("a"), mlockall("a", ALL, POP4), fork("a", "b"), clock("b", FAULT1),
              { op: "getrandom", task: "b", expect: { faults: 1, handler_calls: 1, correct: true } }, clock("a", NOFAULT)] },
  },
  "no-mixedmap": {
    "fork-refaults": { description: "[vvar] without VM_MIXEDMAP/VM_PFNMAP: vma_needs_copy() is false, the child refaults",
      steps: [spawn("a"), mlockall("a", ALL, POP4), fork("a", "b"), clock("b", FAULT1), clock("a", NOFAULT)] },
  },
  maywrite: {
    "remote-write-cow": { description: "VM_MAYWRITE: a FOLL_FORCE write breaks copy-on-write; the target gets a private anonymous copy, the shared page is not written",
      steps: [spawn("a"), clock("a", FAULT1), spawn("b"), clock("b", FAULT1), spawn("r"),
              remote("r", "a", 0, "proc_mem", { errno: null, handler_calls: 0, gup_faults: 1 }, true),
              read("a", 0, { faults: 0, page: "anon" }), read("b", 0, { faults: 0, page: "time" }),
              remote("r", "b", 0, "process_vm_readv", { errno: "EFAULT", handler_calls: 0, gup_faults: 0 }, true),
              remote("r", "b", 0, "ptrace_peekdata", { errno: null, handler_calls: 0, gup_faults: 1 }, true),
              read("b", 0, { faults: 0, page: "anon" }),
              spawn("c"), clock("c", FAULT1), read("c", 0, { faults: 0, page: "time" })] },
    "remote-write-unpopulated": { description: "VM_MAYWRITE, page not populated: the COW fault calls the handler, which refuses a remote fault: EIO",
      steps: [spawn("a"), spawn("r"), remote("r", "a", 2, "proc_mem", { errno: "EIO", handler_calls: 1, gup_faults: 1 }, true),
              read("a", 2, { faults: 1, page: "rng" })] },
    "fork-after-cow": { description: "fork() after a COW write: the child shares the private copy",
      steps: [spawn("a"), clock("a", FAULT1), spawn("r"), remote("r", "a", 0, "proc_mem", { errno: null }, true),
              fork("a", "b"), read("b", 0, { faults: 0, page: "anon" })] },
  },
  oom: {
    "oom-errnos": { description: "VM_FAULT_OOM at pgoff 2: mlock EAGAIN, MADV_POPULATE_READ ENOMEM, mlockall ignores it",
      steps: [spawn("a"), sm("a", 2, 1, "mlock", { errno: "EAGAIN" }), sm("a", 2, 1, "madvise_populate_read", { errno: "ENOMEM" }),
              mlockall("a", ALL, { errno: null }), read("a", 0, { faults: 0, page: "time" })] },
    "oom-user-fault": { description: "VM_FAULT_OOM on a user fault: no SIGBUS; pagefault_out_of_memory() and a retry, which the model bounds (an oops)",
      steps: [spawn("a"), read("a", 2)] },
  },
  hwpoison: {
    "hwpoison-errnos": { description: "VM_FAULT_HWPOISON at pgoff 2: MADV_POPULATE_READ EHWPOISON (FOLL_HWPOISON), mlock ENOMEM (no FOLL_HWPOISON: -EFAULT)",
      steps: [spawn("a"), sm("a", 2, 1, "madvise_populate_read", { errno: "EHWPOISON" }), sm("a", 2, 1, "mlock", { errno: "ENOMEM" }),
              read("a", 2, { faults: 1, signal: "SIGBUS", sigbus: 1 })] },
  },
  sigsegv: {
    "sigsegv-errnos": { description: "VM_FAULT_SIGSEGV at pgoff 2: MADV_POPULATE_READ EFAULT, mlock ENOMEM, a user load SIGSEGV",
      steps: [spawn("a"), sm("a", 2, 1, "madvise_populate_read", { errno: "EFAULT" }), sm("a", 2, 1, "mlock", { errno: "ENOMEM" }),
              read("a", 2, { faults: 1, signal: "SIGSEGV", sigbus: 0 })] },
  },
  fallback: {
    "fallback-user-fault": { description: "VM_FAULT_FALLBACK on a user fault: mm_fault_error() has no case for it: BUG",
      steps: [spawn("a"), read("a", 2)] },
    "fallback-gup": { description: "VM_FAULT_FALLBACK in GUP: vm_fault_to_errno() gives 0, faultin_page() BUGs",
      steps: [spawn("a"), sm("a", 2, 1, "madvise_populate_read")] },
  },
  retry: {
    "retry-user-fault": { description: "VM_FAULT_RETRY every time: the fault is retried for ever (the model stops: a retry loop)",
      steps: [spawn("a"), read("a", 2)] },
    "retry-gup": { description: "VM_FAULT_RETRY every time under GUP (MADV_POPULATE_READ): faultin_page() gives -EBUSY with the lock dropped and the populate retries the page for ever (the model stops: a retry loop)",
      steps: [spawn("a"), sm("a", 2, 1, "madvise_populate_read")] },
    "retry-mlockall": { description: "VM_FAULT_RETRY every time under mlockall(): __mm_populate() retries the page for ever (the model stops: a retry loop)",
      steps: [spawn("a"), mlockall("a", ALL)] },
  },
  "mixed-pfnmap": {
    "insert-mixed-needs-mixedmap": { description: "vmf_insert_mixed() on a VM_PFNMAP-only VMA: vm_mixed_ok() refuses a struct-page pfn: SIGBUS",
      steps: [spawn("a"), read("a", 2, { faults: 1, signal: "SIGBUS", sigbus: 1, bugs: 0 })] },
  },
  "mixed-and-pfnmap": {
    "insert-page-both-flags": { description: "vm_insert_page() on VM_MIXEDMAP|VM_PFNMAP: its BUG_ONs apply only without VM_MIXEDMAP: mapped",
      steps: [spawn("a"), NS("a"), fork("a", "b"), clock("b", { faults: 1, handler_calls: 1, bugs: 0, correct: true }),
              read("b", 1, { faults: 0, page: "time" })] },
  },
};
rmSync(join(here, "fidelity"), { recursive: true, force: true });
for (const [v, rowsOf] of Object.entries(fidelity)) {
  for (const [row, sc] of Object.entries(rowsOf)) write(join("fidelity", v), row, sc);
}
console.log("conformance scenarios written under", here);
