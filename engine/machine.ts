// engine/machine.ts: link the kernel model and a learner's datastore, run one scenario.
//
//   runScenario(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario,
//               opts?: { sourceMap?: string; onStep?: (index) => void; afterRun?: (kernel) => void }): RunResult
//
// Synchronous and platform-neutral (no fs, no DOM, no worker API): the runner worker calls it
// (engine/runner-protocol.ts) and puts a deadline around it. Every call makes a fresh kernel
// instance and a fresh learner instance, so runs are independent and deterministic.
//
//   1. check the learner's imports against the allowlist (engine/learner-abi.ts); a refused
//      import throws a WebAssembly.LinkError naming it (the runner reports kind "link");
//   2. boot the kernel (config, costs, the data store): the learner's start function asks it
//      for VDSO_NR_PAGES and vdso_data_pages, so this comes first;
//   3. instantiate the learner with only the kernel.* functions, put its two exports into the
//      kernel's function table (the kernel calls them with call_indirect: wasm to wasm);
//   4. run the steps, checking each step's expectations against its outcome and counter deltas;
//   5. collect per-task state, dmesg and the trace.
//
// A trap while a step runs (the learner's abort or a raw trap, or a kernel-detected oops: a
// forged handle, BUG(), a NULL page) ends the scenario: status "oops", the message and the
// learner's file:line in `oops`, an "Oops:" line in dmesg, and the remaining steps `ran: false`.

import { MAX_TASKS, PTRS_PER_VVAR, TRACE_MAX } from "./kernel-bounds.js";
import type { CallEvent, Counters, ErrnoName, Expect, Oops, RunResult, Scenario, SignalName, Step,
              StepResult, TaskState, TraceEvent } from "./types.js";
import { checkLearnerModule, KERNEL_IMPORTS } from "./learner-abi.js";
import { resolveConfig, resolveCosts } from "./defaults.js";
import { CLOCK_IDS, COUNTER_NAMES, ERRNO_NAMES, MCL_BITS, PAGE_KINDS, SIGNAL_NAMES, SI_CODE_NAMES, TRACE_DETAILS, TRACE_KINDS,
         TRACE_RECORD as TR, VIA_IDS, KERNEL_LIMITS, ZERO_PFN, CALL_FUNCS, CALL_RECORD as CR, CALL_TRACE_MAX } from "./generated/abi.js";
import { describeTrap, learnerLocator, locateTrap, type TrapLocation } from "./trap.js";
import { FUEL_EXPORT, fuelLeft } from "./fuel.js";
import { giveBackKernelMemory, takeKernelMemory } from "./kernel-memory.js";
import { softLockupLine, softLockupMessage } from "./runner-protocol.js";

/** The kernel instance's exports used here (kernel-as/index.ts). */
interface KernelExports {
  memory: WebAssembly.Memory;
  table: WebAssembly.Table;
  boot(gtod: number, timens: number, getrandom: number, arch: number, archPages: number,
       faultNs: number, vdsoNs: number, syscallNs: number): void;
  set_learner_slots(fault: number, install: number): void;
  set_step(step: number): void;
  now_ns(): number;
  step_spawn(): number;
  step_thread(pid: number): void;
  step_unshare_timens(pid: number, mono: bigint, boot: bigint): number;
  step_setns(pid: number, ns: number): void;
  step_fork(pid: number): number;
  step_vfork_exec(pid: number): number;
  step_exec(pid: number): void;
  step_mlockall(pid: number, flags: number): void;
  step_munlockall(pid: number): void;
  step_mlock(pid: number, pgoff: number, pages: number): void;
  step_madvise_populate_read(pid: number, pgoff: number, pages: number): void;
  step_clock_gettime(pid: number, clk: number, repeat: number): void;
  step_getrandom(pid: number, repeat: number): void;
  step_read(pid: number, pgoff: number, offset: number): void;
  step_remote(pid: number, target: number, pgoff: number, offset: number, via: number, write: number): void;
  step_tick(ns: number): void;
  step_smaps(pid: number): void;
  res_ret(): number; res_errno(): number; res_signal(): number; res_si_code(): number; res_has_value(): number;
  res_value(): bigint; res_page(): number; res_correct(): number; res_calls(): number;
  res_lat_max(): number; res_lat_total(): number; res_rss_kb(): number; res_locked_kb(): number;
  res_vm_flags(): bigint;
  nr_tasks(): number; task_alive(pid: number): number; task_ns(pid: number): number;
  task_counter(pid: number, idx: number): number; task_vm_flags(pid: number): bigint;
  task_vvar_pages(pid: number): number; task_pte_kind(pid: number, pgoff: number): number;
  dmesg_ptr(): number; dmesg_len(): number;
  trace_ptr(): number; trace_count(): number; trace_dropped(): number;
  call_trace_ptr(): number; call_trace_count(): number; call_trace_dropped(): number;
  oops_pending(): number; oops_msg_start(): number; oops_msg_end(): number;
  page_refcount(pfn: number): number; page_mapcount(pfn: number): number; page_reserved(pfn: number): number;
}

/** What a finished run lets a test inspect of the kernel's pages (RunOpts.afterRun). */
export interface KernelPages {
  page_refcount(pfn: number): number;
  page_mapcount(pfn: number): number;
  /** 1 when the kernel holds a reference of its own (0: an anonymous page, held by its PTEs) */
  page_reserved(pfn: number): number;
}

// The tables shared with the kernel (PAGE_KINDS, COUNTER_NAMES, TRACE_*, ERRNO_NAMES, ...) are
// generated from kernel-as's constants: engine/generated/abi.ts (scripts/gen-abi.mjs).
export { PAGE_KINDS } from "./generated/abi.js";

/** smaps VmFlags mnemonics by bit (fs/proc/task_mmu.c show_smap_vma_flags). */
const VM_FLAG_MNEMONICS: [number, string][] = [
  [0, "rd"], [1, "wr"], [2, "ex"], [3, "sh"], [4, "mr"], [5, "mw"], [6, "me"], [7, "ms"], [8, "gd"],
  [9, "um"], [10, "pf"], [12, "uw"], [13, "lo"], [14, "io"], [15, "sr"], [16, "rr"], [17, "dc"], [18, "de"],
  [19, "lf"], [20, "ac"], [21, "nr"], [22, "ht"], [23, "sf"], [24, "ar"], [25, "wf"], [26, "dd"], [27, "sd"],
  [28, "mm"], [29, "hg"], [30, "nh"], [31, "mg"], [42, "sl"],
];

/** "rd mr io de dd mm sl": the smaps VmFlags line of vm_flags, in bit order. Pure. */
export function vmFlagsMnemonics(flags: bigint): string {
  return VM_FLAG_MNEMONICS.filter(([bit]) => (flags >> BigInt(bit)) & 1n).map(([, m]) => m).join(" ");
}

/** Thrown by the learner's env.abort: an assert/throw/bounds check in the learner's code. */
class LearnerAbort extends Error {
  constructor(message: string, readonly file?: string, readonly line?: number, readonly column?: number) {
    super(message);
  }
}

// an AssemblyScript string at ptr in memory (UTF-16LE, byte length at ptr - 4), or undefined
function asString(mem: WebAssembly.Memory | undefined, ptr: number): string | undefined {
  if (!mem || !ptr || ptr < 4 || ptr > mem.buffer.byteLength) return undefined;
  const len = new Uint32Array(mem.buffer.slice(ptr - 4, ptr))[0];
  if (ptr + len > mem.buffer.byteLength) return undefined;
  return new TextDecoder("utf-16le").decode(new Uint8Array(mem.buffer, ptr, len));
}

function zero(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map(name => [name, 0])) as unknown as Counters;
}

/** Options of runScenario(). */
export interface RunOpts {
  /** the learner module's source map (compileDatastore), to locate raw traps in its files */
  sourceMap?: string;
  /** with sourceMap: the learner's line of each traced kernel API call (CallEvent.at), for the
   *  step-through (engine/explain.ts). A stack per traced call: off unless asked for. */
  callSites?: boolean;
  /** called before each step starts (index), so a host that stops a hung worker can name it */
  onStep?: (index: number) => void;
  /** called once the run is over, with the kernel's page accounting (tests: pageProblems()) */
  afterRun?: (kernel: KernelPages) => void;
}

/** Runs `scenario` with a fresh kernel (from `kernel`) and a fresh instance of the learner's
 *  datastore (`learner`). Returns the RunResult; throws WebAssembly.LinkError when the learner
 *  module may not be linked (a refused import, a missing export). Called by the runner worker
 *  (engine/runner-protocol.ts) and by tests. */
export function runScenario(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                            opts: RunOpts = {}): RunResult {
  const refused = checkLearnerModule(learner);
  if (refused) throw new WebAssembly.LinkError(refused.message);

  // a fresh instance in memory as good as new (engine/kernel-memory.ts), given back once the
  // instance will never run again
  const memory = takeKernelMemory();
  try { return runIn(memory, kernel, learner, scenario, opts); }
  finally { giveBackKernelMemory(memory); }
}

function runIn(memory: WebAssembly.Memory, kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
               opts: RunOpts): RunResult {
  let kernelAbort: string | undefined;
  const k = new WebAssembly.Instance(kernel, {
    env: {
      memory,
      abort: (msg: number, file: number, line: number, col: number) => {
        const mem = k.memory;
        kernelAbort = `kernel assertion failed: ${asString(mem, msg) ?? "?"} at ${asString(mem, file) ?? "?"}:${line}:${col}`;
        throw new Error(kernelAbort);
      },
    },
  }).exports as unknown as KernelExports;

  const config = resolveConfig(scenario.config);
  const costs = resolveCosts(scenario.costs);
  k.boot(+config.GENERIC_GETTIMEOFDAY, +config.TIME_NS, +config.VDSO_GETRANDOM, +config.ARCH_HAS_VDSO_ARCH_DATA,
         config.arch_data_pages, costs.fault_exception_ns, costs.vdso_call_ns, costs.syscall_ns);

  let learnerExports: WebAssembly.Exports | undefined;
  const run = new Run(k, scenario, opts, () => learnerExports ? fuelLeft(learnerExports) : undefined);
  // the learner: only the kernel.* functions of the allowlist, and stubs for the AS runtime
  let learnerMemory: WebAssembly.Memory | undefined;
  const kernelImports: Record<string, unknown> = {};
  const locate = opts.sourceMap && opts.callSites ? learnerLocator(opts.sourceMap) : undefined;
  for (const name of KERNEL_IMPORTS) {
    const f = (k as unknown as Record<string, unknown>)[name];
    kernelImports[name] = locate && typeof f === "function" ? callSite(k, f as (...a: unknown[]) => unknown, locate, run.sites) : f;
  }
  let li: WebAssembly.Instance;
  try {
    li = new WebAssembly.Instance(learner, {
      kernel: kernelImports as WebAssembly.ModuleImports,
      env: {
        abort: (msg: number, file: number, line: number, col: number) => {
          throw new LearnerAbort(asString(learnerMemory, msg) ?? "abort", asString(learnerMemory, file), line, col);
        },
        trace: () => undefined,
        seed: () => 0x5eed,
      },
    });
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) throw e;
    return run.oopsBeforeSteps(e);
  }
  learnerExports = li.exports;
  learnerMemory = li.exports.memory as WebAssembly.Memory | undefined;
  if (fuelLeft(li.exports) === undefined) {
    throw new WebAssembly.LinkError(`the learner module has no ${FUEL_EXPORT} meter: it was not compiled by Prefault (engine/compile.ts)`);
  }
  // the learner's top-level code (asc --exportStart), run here so that its fuel can be read
  try { (li.exports._initialize as (() => void) | undefined)?.(); }
  catch (e) { return run.oopsBeforeSteps(e); }
  const slot = k.table.grow(2);
  k.table.set(slot, li.exports.vvar_fault as () => unknown);
  k.table.set(slot + 1, li.exports.vdso_install_vvar_mapping as () => unknown);
  k.set_learner_slots(slot, slot + 1);
  const result = run.all(() => kernelAbort);
  opts.afterRun?.(k);
  return result;
}

/** The frames a call site's stack keeps: the wrapper, up to two kernel.ts accessors, then learner
 *  frames (a call from a helper of the learner's is found at the helper). */
const STACK_FRAMES = 6;

/** Kernel API function `f` as the learner's import: when the call made a call-trace record (it
 *  was made inside vvar_fault() and the ring had room), the learner's source line it was made
 *  from (the innermost learner frame of a stack taken here, mapped by `locate`) is kept in
 *  `sites` under that record's index. At most CALL_TRACE_MAX stacks per run. */
function callSite(k: KernelExports, f: (...a: unknown[]) => unknown, locate: (e: unknown) => TrapLocation | undefined,
                  sites: Map<number, TrapLocation>): (...a: unknown[]) => unknown {
  return (...a: unknown[]) => {
    const before = k.call_trace_count();
    try { return f(...a); } finally {
      if (k.call_trace_count() > before) {
        // a short stack is enough: the caller is within the first frames (this wrapper, a
        // kernel.ts accessor, the learner's function); formatting a long one is the cost here
        const E = Error as { stackTraceLimit?: number };
        const limit = E.stackTraceLimit;
        E.stackTraceLimit = STACK_FRAMES;
        const stack = new Error().stack;
        E.stackTraceLimit = limit;
        const at = locate(stack);
        if (at && at.line > 0) sites.set(before, at);
      }
    }
  };
}

/** The page-accounting invariant after a run, as xv6's usertests check for leaked pages: every
 *  page holds one reference per PTE that maps it, plus the kernel's own when the kernel
 *  allocated it for itself (a user's copy-on-write page has none, a page never allocated holds
 *  nothing), and the shared zero page is never refcounted. Returns one line
 *  per page that breaks it (empty when none does). Pure. */
export function pageProblems(k: KernelPages): string[] {
  const out: string[] = [];
  for (let pfn = 1; pfn < KERNEL_LIMITS.pfn; pfn++) {
    const ref = k.page_refcount(pfn), map = k.page_mapcount(pfn);
    if (pfn === ZERO_PFN) { if (ref !== 1) out.push(`pfn ${pfn} (ZERO_PAGE): refcount ${ref}, want 1`); continue; }
    const want = ref === 0 && map === 0 ? 0 : map + k.page_reserved(pfn);
    if (map < 0 || ref !== want) out.push(`pfn ${pfn}: refcount ${ref} with ${map} mapping${map === 1 ? "" : "s"}, want ${want}`);
  }
  return out;
}

// one scenario run: name tables, step dispatch, results
class Run {
  private pids = new Map<string, number>();
  private threads = new Map<string, string>();   // thread name -> its process's task name
  private nsIds = new Map<string, number>([["root", 0]]);
  private steps: StepResult[] = [];
  private oops?: Oops;
  private hostDmesg: string[] = [];
  private killed = new Map<number, { task: string; signal: SignalName; step: number }>();   // pid -> its death

  private lockup = false;
  /** call-trace record index -> the learner's source line of that kernel API call */
  readonly sites = new Map<number, TrapLocation>();

  /** `fuel()`: the learner instance's fuel left (engine/fuel.ts), negative once it ran out. */
  constructor(private k: KernelExports, private scenario: Scenario, private opts: RunOpts,
              private fuel: () => number | undefined) {}

  // every step in order; stops at the first oops
  all(kernelAbort: () => string | undefined): RunResult {
    const steps = this.scenario.steps;
    for (let i = 0; i < steps.length; i++) {
      if (this.oops) { this.steps.push(notRun(i, steps[i], this.lockup)); continue; }
      const dead = this.deadTask(steps[i]);
      if (dead) { this.steps.push(notRun(i, steps[i], false, dead)); continue; }
      this.opts.onStep?.(i);
      this.k.set_step(i);
      const before = this.totals();
      let r: Partial<StepResult>;
      let failures: string[] = [];
      try {
        r = this.step(steps[i], failures);
      } catch (e) {
        this.oops = this.oopsOf(e, i, kernelAbort());
        r = { ret: undefined, errno: null, signal: null };
        failures = [this.lockup ? this.oops.message : `oops: ${this.oops.message}`];
      }
      const deltas = diff(before, this.totals());
      failures.push(...checkExpect(steps[i].expect, r, deltas));
      this.noteKill(steps[i], i, r.signal);
      this.steps.push({ index: i, op: steps[i].op, task: steps[i].task, ran: true, ...r, deltas,
                        ok: failures.length === 0 && !this.oops, failures });
    }
    return this.result();
  }

  // the learner's top-level code trapped or ran out of fuel: no step ran
  oopsBeforeSteps(e: unknown): RunResult {
    this.oops = this.oopsOf(e, -1, undefined);
    // name the real place: the module's start (its global initializers), not an earlier step
    const why = `the datastore's top-level code ${this.lockup ? "did not finish" : "oopsed"}`;
    this.steps = this.scenario.steps.map((s, i) => notRun(i, s, this.lockup, why));
    return this.result();
  }

  // A fatal signal delivered in step `index` killed its task (its process: every thread of it)
  // when the kernel says the task is no longer alive; the kill is remembered for later steps.
  private noteKill(s: Step, index: number, signal: SignalName | null | undefined): void {
    if (!signal || s.task === undefined || s.op === "spawn") return;
    const pid = this.pid(s.task);
    if (pid !== 0 && !this.killed.has(pid) && this.k.task_alive(pid) === 0) this.killed.set(pid, { task: s.task, signal, step: index });
  }

  // "app was killed by SIGBUS at step 1" when step s is by a task an earlier step killed
  // (a new spawn under the name, and tick, have no such task), else undefined
  private deadTask(s: Step): string | undefined {
    if (s.op === "spawn" || s.op === "tick" || s.task === undefined) return undefined;
    const k = this.killed.get(this.pid(s.task));
    return k ? `${k.task} was killed by ${k.signal} at step ${k.step}` : undefined;
  }

  // a task's pid; a thread's name (op "thread") resolves to its process
  private pid(name: string | undefined): number {
    const pid = name === undefined ? undefined : this.pids.get(this.threads.get(name) ?? name);
    return pid ?? 0;          // pid 0 never exists: the kernel answers ESRCH
  }

  // runs one step; returns its outcome fields
  private step(s: Step, failures: string[]): Partial<StepResult> {
    const k = this.k;
    const pid = this.pid(s.task);
    if (s.op !== "spawn" && s.op !== "tick" && s.task !== undefined && this.pid(s.task) === 0) {
      failures.push(`unknown task "${s.task}" (spawn or fork it first)`);
    }
    switch (s.op) {
      case "spawn": {
        const p = k.step_spawn();
        if (p > 0) this.pids.set(s.task, p);
        return this.outcome();
      }
      case "thread": {
        k.step_thread(pid);
        const o = this.outcome();
        if (s.thread !== undefined && o.errno === null) this.threads.set(s.thread, this.threads.get(s.task) ?? s.task);
        return o;
      }
      case "unshare_timens": {
        const id = k.step_unshare_timens(pid, BigInt(Math.round((s.monotonic_offset_s ?? 0) * 1e9)),
                                         BigInt(Math.round((s.boottime_offset_s ?? 0) * 1e9)));
        if (id > 0) this.nsIds.set(s.ns, id);
        return this.outcome();
      }
      case "setns": k.step_setns(pid, this.nsIds.get(s.ns) ?? 0xffff); return this.outcome();
      case "fork": case "vfork_exec": {
        const c = s.op === "fork" ? k.step_fork(pid) : k.step_vfork_exec(pid);
        if (c > 0) this.pids.set(s.child, c);
        return this.outcome();
      }
      case "exec": k.step_exec(pid); return this.outcome();
      case "mlockall": k.step_mlockall(pid, s.flags.reduce((a, f) => a | (MCL_BITS[f] ?? 0x100), 0)); return this.outcome();
      case "munlockall": k.step_munlockall(pid); return this.outcome();
      case "mlock": k.step_mlock(pid, s.pgoff, s.pages); return this.outcome();
      case "madvise_populate_read": k.step_madvise_populate_read(pid, s.pgoff, s.pages); return this.outcome();
      case "clock_gettime": k.step_clock_gettime(pid, CLOCK_IDS[s.clock] ?? 0, s.repeat ?? 1); return this.outcome(true);
      case "getrandom": k.step_getrandom(pid, s.repeat ?? 1); return this.outcome(true);
      case "read": k.step_read(pid, s.pgoff, s.offset ?? 0); return this.outcome();
      case "remote_read": case "remote_write":
        k.step_remote(pid, this.pid(s.target), s.pgoff, s.offset ?? 0, VIA_IDS[s.via] ?? 0, s.op === "remote_write" ? 1 : 0);
        return this.outcome();
      case "tick": k.step_tick(s.ns); return this.outcome();
      case "smaps": {
        k.step_smaps(pid);
        const o = this.outcome();
        if (o.errno === null) {
          o.smaps = { vm_flags: vmFlagsMnemonics(k.res_vm_flags()), rss_kb: k.res_rss_kb(), locked_kb: k.res_locked_kb() };
        }
        return o;
      }
      default:
        failures.push(`unknown op "${(s as { op: string }).op}"`);
        return {};
    }
  }

  // the kernel's step_result as StepResult fields
  private outcome(vdso = false): Partial<StepResult> {
    const k = this.k;
    const e = k.res_errno();
    const sig = k.res_signal();
    const o: Partial<StepResult> = {
      ret: k.res_ret(),
      errno: e === 0 ? null : ((ERRNO_NAMES[e] ?? `E${e}`) as ErrnoName),
      signal: sig === 0 ? null : ((SIGNAL_NAMES[sig] ?? "SIGSEGV") as SignalName),
    };
    if (sig !== 0) {
      const code = k.res_si_code();
      o.si_code = SI_CODE_NAMES[o.signal!]?.[code] ?? (code === 0 ? null : String(code));
    }
    if (k.res_has_value()) o.value = "0x" + BigInt.asUintN(64, k.res_value()).toString(16);
    const pk = k.res_page();
    if (pk >= 0) o.page = PAGE_KINDS[pk] ?? "other";
    const c = k.res_correct();
    if (c >= 0) o.correct = c === 1;
    if (vdso) {
      o.calls = k.res_calls();
      o.latency_ns = { max: k.res_lat_max(), total: k.res_lat_total() };
    }
    return o;
  }

  // system-wide counters now
  private totals(): Counters {
    const t = zero();
    const n = Math.min(this.k.nr_tasks(), MAX_TASKS);
    for (let pid = 1; pid <= n; pid++) {
      COUNTER_NAMES.forEach((name, idx) => { t[name] += this.k.task_counter(pid, idx); });
    }
    return t;
  }

  // a trap during step `step` as an Oops (and the host's dmesg line when the kernel wrote none)
  private oopsOf(e: unknown, step: number, kernelAbort: string | undefined): Oops {
    const k = this.k;
    if ((this.fuel() ?? 0) < 0) {
      // the learner's code used up the scenario's fuel: the handler (or the top-level code) never
      // returned. The kernel's word for a CPU stuck in kernel code is a soft lockup.
      this.lockup = true;
      const task = step >= 0 ? this.scenario.steps[step]?.task : undefined;
      const pid = task === undefined ? 1 : this.pid(task) || 1;
      this.hostDmesg.push(this.stamp(softLockupLine(task === undefined || step < 0 ? "swapper/0" : task, pid)));
      const where = locateTrap(e, this.opts.sourceMap);
      return { message: softLockupMessage(step), step, ...(where ? { file: where.file, line: where.line, column: where.column } : {}) };
    }
    if (k.oops_pending()) {
      const bytes = new Uint8Array(k.memory.buffer, k.oops_msg_start(), k.oops_msg_end() - k.oops_msg_start());
      const message = new TextDecoder().decode(bytes);
      const where = locateTrap(e, this.opts.sourceMap);
      return { message, step, ...(where ? { file: where.file, line: where.line, column: where.column } : {}) };
    }
    if (e instanceof LearnerAbort) {
      const message = `abort: ${e.message}`;
      this.hostDmesg.push(this.stamp(`Oops: ${message}${e.file ? ` at ${e.file}:${e.line}:${e.column}` : ""}`));
      return { message, step, ...(e.file ? { file: e.file, line: e.line, column: e.column } : {}) };
    }
    const raw = e instanceof RangeError && /call stack/i.test(e.message)
      ? "stack overflow (unbounded recursion in the handler?)"
      : kernelAbort ?? describeTrap(e) ?? (e instanceof Error ? e.message : String(e));
    const message = /signature mismatch/.test(raw)
      ? "the kernel could not call the datastore's export: its signature does not match"
      : raw;
    const where = locateTrap(e, this.opts.sourceMap);
    this.hostDmesg.push(this.stamp(`Oops: ${message}${where ? ` at ${where.file}:${where.line}:${where.column}` : ""}`));
    return { message, step, ...(where ? { file: where.file, line: where.line, column: where.column } : {}) };
  }

  // a dmesg line with the kernel's timestamp format, "[    2.000020] "
  private stamp(line: string): string {
    const us = Math.floor(this.k.now_ns() / 1000);
    return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, "0")}] ${line}`;
  }

  private result(): RunResult {
    const tasks: Record<string, TaskState> = {};
    for (const [name, pid] of this.pids) tasks[name] = this.taskState(pid);
    const status = this.lockup ? "timeout" : this.oops ? "oops" : "ok";
    const r: RunResult = {
      scenario: this.scenario.name,
      status,
      ok: !this.oops && this.steps.every(s => s.ok),
      steps: this.steps,
      tasks,
      dmesg: this.dmesg(),
      trace: this.trace(),
      trace_dropped: this.k.trace_dropped(),
      calls: this.calls(),
      calls_dropped: this.k.call_trace_dropped(),
    };
    if (this.oops) r.oops = this.oops;
    return r;
  }

  private taskState(pid: number): TaskState {
    const k = this.k;
    const counters = zero();
    COUNTER_NAMES.forEach((name, idx) => { counters[name] = k.task_counter(pid, idx); });
    const nsId = k.task_ns(pid);
    const ns = [...this.nsIds].find(([, id]) => id === nsId)?.[0] ?? "root";
    const vvar = [];
    // bounded by the kernel's constant, whatever length the learner's install gave [vvar]
    const n = Math.min(k.task_vvar_pages(pid), PTRS_PER_VVAR);
    for (let pgoff = 0; pgoff < n; pgoff++) {
      const kind = k.task_pte_kind(pid, pgoff);
      vvar.push({ pgoff, present: kind >= 0, page: kind >= 0 ? (PAGE_KINDS[kind] ?? "other") : null });
    }
    const killed = this.killed.get(pid);
    return { pid, alive: k.task_alive(pid) !== 0, ns, ...(killed ? { killed: { signal: killed.signal, step: killed.step } } : {}),
             counters, vm_flags: vmFlagsMnemonics(k.task_vm_flags(pid)), vvar };
  }

  private dmesg(): string[] {
    const ptr = this.k.dmesg_ptr();
    const text = new TextDecoder().decode(new Uint8Array(this.k.memory.buffer, ptr, this.k.dmesg_len()));
    const lines = text.split("\n").filter(l => l.length > 0);
    return lines.concat(this.hostDmesg);
  }

  // what the kernel's event argument means, in words (mlockall flags, the new namespace, ...)
  private argDetail(kind: TraceEvent["kind"], arg: number, names: Map<number, string>): string {
    switch (kind) {
      case "mlockall": return mclNames(arg);
      case "setns": return `ns ${[...this.nsIds].find(([, id]) => id === arg)?.[0] ?? arg}`;
      case "fork": return `child ${names.get(arg) ?? `pid${arg}`}`;
      case "zap": return `${arg} PTE${arg === 1 ? "" : "s"}`;
      default: return "";
    }
  }

  // the call trace (kernel-as/trace.ts): one CallEvent per record, with the learner's lines
  private calls(): CallEvent[] {
    const k = this.k;
    const n = Math.min(k.call_trace_count(), CALL_TRACE_MAX);
    const view = new DataView(k.memory.buffer, k.call_trace_ptr(), n * CR.size);
    const names = new Map<number, string>();
    for (const [name, pid] of this.pids) names.set(pid, name);
    const u64 = (o: number): number | string => {
      const v = view.getBigUint64(o, true);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : "0x" + v.toString(16);
    };
    const out: CallEvent[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * CR.size;
      const pid = view.getUint32(o + CR.pid, true);
      const done = view.getUint32(o + CR.done, true) !== 0;
      const skipped = view.getUint32(o + CR.skipped, true);
      const at = this.sites.get(i);
      out.push({
        step: view.getUint32(o + CR.step, true),
        task: names.get(pid) ?? `pid${pid}`,
        func: CALL_FUNCS[view.getUint32(o + CR.func, true)] ?? "?",
        depth: view.getUint32(o + CR.depth, true),
        args: [u64(o + CR.a0), u64(o + CR.a1), u64(o + CR.a2)],
        ...(done ? { ret: u64(o + CR.ret) } : {}),
        event: view.getUint32(o + CR.event, true),
        ...(done ? { event_end: view.getUint32(o + CR.event_end, true) } : {}),
        ...(skipped ? { skipped } : {}),
        ...(at ? { at: { file: at.file, line: at.line, column: at.column } } : {}),
      });
    }
    return out;
  }

  private trace(): TraceEvent[] {
    const k = this.k;
    const n = Math.min(k.trace_count(), TRACE_MAX);
    const view = new DataView(k.memory.buffer, k.trace_ptr(), n * TR.size);
    const names = new Map<number, string>();
    for (const [name, pid] of this.pids) names.set(pid, name);
    const out: TraceEvent[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * TR.size;
      const pid = view.getUint32(o + TR.pid, true);
      const ev: TraceEvent = {
        t_ns: Number(view.getBigUint64(o + TR.t_ns, true)),
        step: view.getUint32(o + TR.step, true),
        task: names.get(pid) ?? `pid${pid}`,
        kind: TRACE_KINDS[view.getUint32(o + TR.kind, true)] ?? "oops",
      };
      const pgoff = view.getInt32(o + TR.pgoff, true);
      if (pgoff >= 0) ev.pgoff = pgoff;
      const page = view.getInt32(o + TR.page, true);
      if (page >= 0) ev.page = PAGE_KINDS[page] ?? "other";
      const lat = Number(view.getBigUint64(o + TR.latency_ns, true));
      if (ev.kind === "vdso_call" || ev.kind === "fault" || ev.kind === "syscall_fallback") ev.latency_ns = lat;
      const d = [this.argDetail(ev.kind, lat, names), TRACE_DETAILS[view.getUint32(o + TR.detail, true)]].filter(Boolean).join(": ");
      if (d) ev.detail = d;
      out.push(ev);
    }
    return out;
  }
}

function mclNames(flags: number): string {
  return Object.entries(MCL_BITS).filter(([, bit]) => flags & bit).map(([name]) => name).join("|");
}

// a step that did not run: after an oops or a lockup, or (`why`) because its task had been killed
function notRun(index: number, s: Step, lockup: boolean, why?: string): StepResult {
  const reason = why ?? (lockup ? "an earlier step did not return" : "an earlier step oopsed");
  return { index, op: s.op, task: s.task, ran: false, ...(why ? { not_run: why } : {}), deltas: zero(), ok: false,
           failures: [`not run: ${reason}`] };
}

function diff(a: Counters, b: Counters): Counters {
  const d = zero();
  for (const k of COUNTER_NAMES) d[k] = b[k] - a[k];
  return d;
}

/** The unmet expectations of `expect` for outcome `r` and counter deltas `d`, as
 *  "faults: expected 0, got 1". Pure; exported for tests. */
export function checkExpect(expect: Expect | undefined, r: Partial<StepResult>, d: Counters): string[] {
  if (!expect) return [];
  const out: string[] = [];
  const show = (v: unknown) => v === undefined ? "nothing" : JSON.stringify(v);
  for (const key of COUNTER_NAMES) {
    const want = expect[key];
    if (want !== undefined && d[key] !== want) out.push(`${key}: expected ${want}, got ${d[key]}`);
  }
  if (expect.ret !== undefined && r.ret !== expect.ret) out.push(`ret: expected ${expect.ret}, got ${show(r.ret)}`);
  if (expect.errno !== undefined && (r.errno ?? null) !== expect.errno) {
    out.push(`errno: expected ${expect.errno ?? "success"}, got ${r.errno ?? "success"}`);
  }
  if (expect.signal !== undefined && (r.signal ?? null) !== expect.signal) {
    out.push(`signal: expected ${expect.signal ?? "none"}, got ${r.signal ?? "none"}`);
  }
  if (expect.page !== undefined && r.page !== expect.page) out.push(`page: expected ${expect.page}, got ${show(r.page)}`);
  if (expect.correct !== undefined && r.correct !== expect.correct) {
    out.push(`correct: expected ${expect.correct}, got ${show(r.correct)}`);
  }
  return out;
}
