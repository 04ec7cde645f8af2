// engine/types.ts: the data contracts shared by the engine, the CLI, the browser and the grader.
//
// Everything here is plain data (JSON-serialisable, structured-clonable), so it crosses worker
// boundaries unchanged. Results across a boundary are tagged unions, never thrown Errors:
//   { ok: true, ...value } | { ok: false, error: EngineError }
// Field names are a contract that teachers and graders script against: add, never rename.

// ---- scenarios (validated by engine/schema/scenario.schema.json) ----------------------------

export type ConfigOption = "GENERIC_GETTIMEOFDAY" | "TIME_NS" | "VDSO_GETRANDOM" | "ARCH_HAS_VDSO_ARCH_DATA";

/** Kernel configuration of one scenario. Defaults: true, true, true, false, 1. */
export interface ScenarioConfig {
  GENERIC_GETTIMEOFDAY?: boolean;
  TIME_NS?: boolean;
  VDSO_GETRANDOM?: boolean;
  ARCH_HAS_VDSO_ARCH_DATA?: boolean;
  /** VDSO_ARCH_DATA_PAGES: 1..8. VDSO_NR_PAGES = 3 + arch_data_pages. */
  arch_data_pages?: number;
}

/** Simulated costs in nanoseconds (defaults in engine/defaults.ts). */
export interface Costs {
  /** A user page-fault exception on [vvar] (the series' cover letter: ~20 µs). */
  fault_exception_ns?: number;
  /** One vDSO call whose pages are present. */
  vdso_call_ns?: number;
  /** The syscall fallback of a vDSO call (clock_mode says "use the syscall"). */
  syscall_ns?: number;
}

export type ClockName =
  | "CLOCK_REALTIME" | "CLOCK_MONOTONIC" | "CLOCK_PROCESS_CPUTIME_ID" | "CLOCK_THREAD_CPUTIME_ID"
  | "CLOCK_MONOTONIC_RAW" | "CLOCK_REALTIME_COARSE" | "CLOCK_MONOTONIC_COARSE" | "CLOCK_BOOTTIME"
  | "CLOCK_REALTIME_ALARM" | "CLOCK_BOOTTIME_ALARM" | "CLOCK_TAI";
export type McFlag = "MCL_CURRENT" | "MCL_FUTURE" | "MCL_ONFAULT";
export type RemoteVia = "proc_mem" | "process_vm_readv" | "ptrace_peekdata";
/** What a [vvar] page holds: the datastore slot or namespace page it maps. */
export type PageKind = "time" | "timens" | "zero" | "rng" | "arch" | "zero_page" | "other" | "anon";
export type ErrnoName = "EPERM" | "ENOMEM" | "EAGAIN" | "EFAULT" | "EINVAL" | "EIO" | "EUSERS" | "EACCES" | "ESRCH" | "EBUSY" | "EHWPOISON" | "EEXIST";
export type SignalName = "SIGBUS" | "SIGSEGV";

/** Counter deltas an expectation may check. Deltas are system-wide, over the step. */
export interface CounterExpect {
  faults?: number;            // user page-fault exceptions on [vvar]
  minflt?: number;            // ru_minflt (exceptions + successful GUP faults)
  handler_calls?: number;     // calls of the datastore's vvar_fault()
  gup_faults?: number;        // faults taken by get_user_pages (populate, remote access)
  sigbus?: number;            // SIGBUS delivered
  warns?: number;             // WARN splats in the kernel log
  bugs?: number;              // BUG splats in the kernel log
  syscall_fallbacks?: number; // vDSO calls that fell back to the syscall
}

export interface Expect extends CounterExpect {
  ret?: number;
  /** null: the step must succeed; a name: it must fail with that errno. */
  errno?: ErrnoName | null;
  /** null: no signal; a name: that signal was delivered. */
  signal?: SignalName | null;
  /** what a read returned (read, remote_read) */
  page?: PageKind;
  /** the vDSO returned the right time (or random bytes) for the task's namespace */
  correct?: boolean;
}

interface StepBase { op: string; task: string; expect?: Expect; note?: string }
export type Step =
  | StepBase & { op: "spawn" }
  | StepBase & { op: "thread"; thread?: string }
  | StepBase & { op: "unshare_timens"; ns: string; monotonic_offset_s?: number; boottime_offset_s?: number }
  | StepBase & { op: "setns"; ns: string }                       // "root" names the initial namespace
  | StepBase & { op: "fork"; child: string }
  | StepBase & { op: "vfork_exec"; child: string }
  | StepBase & { op: "exec" }
  | StepBase & { op: "mlockall"; flags: McFlag[] }
  | StepBase & { op: "munlockall" }
  | StepBase & { op: "mlock"; pgoff: number; pages: number }
  | StepBase & { op: "madvise_populate_read"; pgoff: number; pages: number }
  | StepBase & { op: "clock_gettime"; clock: ClockName; repeat?: number }
  | StepBase & { op: "getrandom"; repeat?: number }
  | StepBase & { op: "read"; pgoff: number; offset?: number }
  | StepBase & { op: "remote_read"; target: string; pgoff: number; offset?: number; via: RemoteVia }
  | StepBase & { op: "remote_write"; target: string; pgoff: number; offset?: number; via: RemoteVia }
  | Omit<StepBase, "task"> & { op: "tick"; ns: number; task?: string }
  | StepBase & { op: "smaps" };

export interface Scenario {
  name: string;
  description?: string;
  config?: ScenarioConfig;
  costs?: Costs;
  steps: Step[];
}

// ---- results of a run -----------------------------------------------------------------------

export interface Counters {
  faults: number; minflt: number; handler_calls: number; gup_faults: number;
  sigbus: number; warns: number; bugs: number; syscall_fallbacks: number;
}

export interface StepResult {
  index: number;
  op: string;
  task?: string;
  /** false when an earlier oops ended the scenario before this step, or the step's task had
   *  been killed by a signal in an earlier step */
  ran: boolean;
  /** why a step did not run, in words: "app was killed by SIGBUS at step 1" */
  not_run?: string;
  ret?: number;
  errno?: ErrnoName | null;
  signal?: SignalName | null;
  /** with a signal: its si_code, why the kernel sent it ("BUS_ADRERR" a fault the handler could
   *  not serve, "BUS_MCEERR_AR" a poisoned page, "SEGV_MAPERR" nothing mapped there) */
  si_code?: string | null;
  /** the value read, as a 0x-prefixed hex string (u64 does not fit a JSON number) */
  value?: string;
  page?: PageKind | null;
  correct?: boolean;
  /** vDSO calls made by the step (repeat) */
  calls?: number;
  /** simulated latency of the step's vDSO calls */
  latency_ns?: { max: number; total: number };
  /** smaps snapshot (op "smaps") */
  smaps?: { vm_flags: string; rss_kb: number; locked_kb: number };
  /** system-wide counter deltas over the step */
  deltas: Counters;
  ok: boolean;
  /** unmet expectations, e.g. "faults: expected 0, got 1" */
  failures: string[];
}

export interface VvarPte { pgoff: number; present: boolean; page: PageKind | null }

export interface TaskState {
  pid: number;
  alive: boolean;
  /** the time namespace the task is in ("root" or a scenario name) */
  ns: string;
  /** the fatal signal that killed the task, and the step it was delivered in */
  killed?: { signal: SignalName; step: number };
  counters: Counters;
  /** smaps VmFlags mnemonics of [vvar], in bit order, e.g. "rd mr io de dd mm" */
  vm_flags: string;
  vvar: VvarPte[];
}

/** One event for pictures (fault timeline, page strips). Capped; see RunResult.trace_dropped. */
export interface TraceEvent {
  t_ns: number;       // simulated time
  step: number;
  task: string;
  kind: "vdso_call" | "fault" | "gup_fault" | "map" | "zap" | "sigbus" | "warn" | "bug"
      | "mlockall" | "populate" | "setns" | "fork" | "exec" | "remote" | "oops" | "syscall_fallback";
  pgoff?: number;
  page?: PageKind;
  latency_ns?: number;
  detail?: string;
}

export interface Oops { message: string; file?: string; line?: number; column?: number; step: number }

export interface RunResult {
  scenario: string;
  /** "ok": every step ran; "oops": learner code trapped; "timeout": the handler never returned */
  status: "ok" | "oops" | "timeout";
  /** every step ran and every expectation held */
  ok: boolean;
  steps: StepResult[];
  tasks: Record<string, TaskState>;
  dmesg: string[];
  trace: TraceEvent[];
  trace_dropped: number;
  oops?: Oops;
}

// ---- compile --------------------------------------------------------------------------------

export interface Diagnostic {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  /** character offsets into the file, for editors */
  start: number; end: number;
  code: string;                 // "TS1109", "AS200"
  severity: "error" | "warning" | "info";
  message: string;
}

export type CompileResult =
  | { ok: true; wasm: Uint8Array; sourceMap?: string; diagnostics: Diagnostic[]; hash: string }
  | { ok: false; error: EngineError };

export type EngineError =
  | { kind: "compile"; message: string; diagnostics: Diagnostic[] }
  | { kind: "link"; message: string; import?: string }
  | { kind: "invalid"; message: string; path: string }      // a bad scenario or lesson: JSON path
  | { kind: "timeout"; message: string; ms: number }
  | { kind: "internal"; message: string };

// ---- grading --------------------------------------------------------------------------------

export type Visibility = "visible" | "hidden";

/** Why a check did not pass (TestResult.failure):
 *   assertion  the run completed and one of the check's assertions did not hold
 *   oops       the learner's code trapped, or the kernel oopsed because of it (BUG, a forged handle)
 *   timeout    the handler never returned (a soft lockup: it ran out of fuel), or the runner's
 *              backstop stopped it
 *   compile    the submission did not compile
 *   error      the check could not be graded for another reason (a missing file, a link error,
 *              an internal error, a run that is missing)
 *   blocked    not graded because a check it requires did not pass (`message` names it) */
export type FailureKind = "assertion" | "oops" | "timeout" | "compile" | "error" | "blocked";

export interface TestResult {
  id: string;
  name: string;
  status: "pass" | "fail" | "error";
  score: number;
  max_score: number;
  /** the teaching explanation on failure, the error on error, "" on pass */
  message: string;
  visibility: Visibility;
  scenario?: string;
  /** the id of the check whose failure this one follows from (the same root cause, such as a
   *  task killed by SIGBUS), when this check did not fail for a reason of its own */
  because?: string;
  /** why the check did not pass: absent on "pass". `message` is one line (the evidence of a
   *  failed assertion, the oops or lockup with where it happened, the first compile error). */
  failure?: { kind: FailureKind; message: string };
}

/** One grading of one submission. No wall-clock values: the same input gives byte-identical output. */
export interface Report {
  lesson: string;
  score: number;
  max_score: number;
  /** "error": the checks could not run (compile error) */
  status: "pass" | "fail" | "error";
  tests: TestResult[];
  /** compile diagnostics and other problems that stopped grading */
  errors: { message: string; file?: string; line?: number; column?: number }[];
}
