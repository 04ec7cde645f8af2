// engine/probe/observations.ts: each probe observation as a scenario on the model, and the facts
// both sides report, so the two can be set side by side. Pure: no I/O.
//
// An observation definition builds the scenario steps that do on the model what the probe did
// on the kernel (a fresh task "t", children as the probe forks them), and reads the same facts
// from the probe's line and from the model's RunResult: fault counts (ru_minflt deltas), errnos,
// signals, which [vvar] pages are present afterwards ('P' or '-' per pgoff), smaps lines.
// docs/probe.md describes every observation and the kernel code behind it.

import type { ClockName, McFlag, RemoteVia, RunResult, Step, StepResult } from "../types.js";
import type { ProbeHeader, ProbeObservation } from "./record.js";

/** What one side reports: labelled values, compared as a whole. */
export type Facts = [label: string, value: string][];

/** What the definitions need to know about the system. */
export interface ProbeContext {
  /** [vvar] pages (VDSO_NR_PAGES) */
  pages: number;
  /** the kernel seals system mappings (CONFIG_MSEAL_SYSTEM_MAPPINGS: "sl" on [vdso]) */
  sealing: boolean;
}

/** One observation, built for a context: its model steps and the two readers. */
export interface BuiltObservation {
  id: string;
  title: string;
  /** the scenario steps; null when the model has nothing to run (the row is informational) */
  steps: Step[] | null;
  real(o: ProbeObservation): Facts;
  model(r: RunResult): Facts;
  /** how the model side is read, when it is not a plain replay */
  note?: string;
  /** a fact of the kernel the model does not produce: shown, not compared */
  informational?: boolean;
}

// ---- small readers ------------------------------------------------------------------------------

const plus = (n: unknown): string => typeof n === "number" ? (n < 0 ? String(n) : `+${n}`) : "?";
const str = (v: unknown): string => v === null || v === undefined ? "none" : String(v);
const errnoOf = (v: unknown): string => v === null || v === undefined ? "ok" : String(v);

/** 'P'/'-' per pgoff of a task's [vvar] at the end of the run */
function ptes(r: RunResult, task: string, pages: number): string {
  const t = r.tasks[task];
  if (!t) return "?";
  let s = "";
  for (let i = 0; i < pages; i++) s += t.vvar[i]?.present ? "P" : "-";
  return s;
}

/** a read's outcome as the probe words it */
function readOutcome(s: StepResult | undefined): string {
  if (!s || !s.ran) return "not run";
  if (s.signal === "SIGBUS") return "sigbus";
  return s.deltas.minflt > 0 ? "mapped" : "present";
}

/** VmFlags as the kernel would print it: without "sl" when the kernel does not seal */
function flagsFor(ctx: ProbeContext, flags: string | undefined): string {
  if (flags === undefined) return "none";
  return ctx.sealing ? flags : flags.split(" ").filter(f => f !== "sl").join(" ");
}

/** Builds steps and remembers where each named step is. */
class Steps {
  readonly list: Step[] = [];
  private at = new Map<string, number>();
  add(step: Step, name?: string): this {
    if (name) this.at.set(name, this.list.length);
    this.list.push(step);
    return this;
  }
  /** the result of the step added under `name` */
  of(r: RunResult, name: string): StepResult | undefined {
    const i = this.at.get(name);
    return i === undefined ? undefined : r.steps[i];
  }
}

const spawn = (task = "t"): Step => ({ op: "spawn", task });
const call = (task = "t", clock: ClockName = "CLOCK_MONOTONIC", repeat?: number): Step =>
  repeat ? { op: "clock_gettime", task, clock, repeat } : { op: "clock_gettime", task, clock };
const read = (pgoff: number, task = "t"): Step => ({ op: "read", task, pgoff });
const smaps = (task = "t"): Step => ({ op: "smaps", task });
const NS = { ns: "probe-ns", monotonic_offset_s: 100000, boottime_offset_s: 200000 };

export const CLOCKS: ClockName[] = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
  "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
  "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_TAI"];

const MLOCKALL: [id: string, flags: McFlag[]][] = [
  ["current_future", ["MCL_CURRENT", "MCL_FUTURE"]], ["current", ["MCL_CURRENT"]],
  ["current_onfault", ["MCL_CURRENT", "MCL_ONFAULT"]], ["future", ["MCL_FUTURE"]], ["onfault", ["MCL_ONFAULT"]],
];

// ---- the definitions ------------------------------------------------------------------------------

function layout(ctx: ProbeContext): BuiltObservation {
  const b = new Steps().add(spawn()).add(smaps());
  return {
    id: "layout", title: "[vvar] size in pages (/proc/self/maps)", steps: b.list,
    real: o => [["pages", str(o.vvar_pages)]],
    model: r => [["pages", str(r.tasks.t?.vvar.length)]],
    note: `the model's VDSO_NR_PAGES (${ctx.pages}); [vvar_vclock] and [vdso] are not modelled`,
  };
}

function vmFlags(ctx: ProbeContext): BuiltObservation {
  const b = new Steps().add(spawn()).add(smaps(), "smaps");
  return {
    id: "smaps.vm_flags", title: "smaps of a fresh [vvar]: VmFlags, Rss, Locked", steps: b.list,
    real: o => [["VmFlags", str(o.vm_flags)], ["Rss", `${str(o.rss_kb)} kB`], ["Locked", `${str(o.locked_kb)} kB`]],
    model: r => {
      const s = b.of(r, "smaps")?.smaps;
      return [["VmFlags", flagsFor(ctx, s?.vm_flags)], ["Rss", `${str(s?.rss_kb)} kB`], ["Locked", `${str(s?.locked_kb)} kB`]];
    },
    note: ctx.sealing ? undefined : "sl (CONFIG_MSEAL_SYSTEM_MAPPINGS) is off on this kernel: left out of the model's line",
  };
}

function smapsAfterCall(ctx: ProbeContext): BuiltObservation {
  const b = new Steps().add(spawn()).add(call(), "call").add(smaps(), "smaps");
  return {
    id: "smaps.after_first_call", title: "smaps after the first clock_gettime", steps: b.list,
    real: o => [["first call", plus(o.minflt)], ["Rss", `${str(o.rss_kb)} kB`], ["Locked", `${str(o.locked_kb)} kB`]],
    model: r => {
      const s = b.of(r, "smaps")?.smaps;
      return [["first call", plus(b.of(r, "call")?.deltas.minflt)], ["Rss", `${str(s?.rss_kb)} kB`], ["Locked", `${str(s?.locked_kb)} kB`]];
    },
  };
}

function readPgoff(pgoff: number): BuiltObservation {
  const b = new Steps().add(spawn()).add(read(pgoff), "first").add(read(pgoff), "second");
  return {
    id: `read.pgoff.${pgoff}`, title: `first read of pgoff ${pgoff}, then a second`, steps: b.list,
    // after a SIGBUS only the first read is compared: the model's task dies of it (the default
    // action), the probe catches it and reads again (still SIGBUS: a hole is never filled)
    real: o => o.outcome === "sigbus" ? [["first", "sigbus"]]
      : [["first", o.outcome === "mapped" ? `mapped ${str(o.page)}` : str(o.outcome)], ["second", str(o.second)]],
    model: r => {
      const f = b.of(r, "first");
      const out = readOutcome(f);
      return out === "sigbus" ? [["first", "sigbus"]]
        : [["first", out === "mapped" ? `mapped ${str(f?.page)}` : out], ["second", readOutcome(b.of(r, "second"))]];
    },
  };
}

function clock(ctx: ProbeContext, c: ClockName): BuiltObservation {
  const b = new Steps().add(spawn()).add(call("t", c), "first").add(call("t", c, 1000), "repeat");
  return {
    id: `vdso.clock_gettime.${c}`, title: `first vDSO clock_gettime(${c}), then 1000 more`, steps: b.list,
    real: o => [["first", plus(o.minflt)], ["next 1000", plus(o.repeat_minflt)], ["present", str(o.ptes)]],
    model: r => [["first", plus(b.of(r, "first")?.deltas.minflt)], ["next 1000", plus(b.of(r, "repeat")?.deltas.minflt)],
                 ["present", ptes(r, "t", ctx.pages)]],
  };
}

// gettimeofday, time and clock_getres read the same pages as clock_gettime (lib/vdso/gettimeofday.c)
function likeClock(ctx: ProbeContext, name: string, after: boolean): BuiltObservation {
  const b = new Steps().add(spawn());
  if (after) b.add(call());
  b.add(call("t", "CLOCK_REALTIME"), "call");
  return {
    id: `vdso.${name}${after ? ".after_clock_gettime" : ""}`,
    title: after ? `vDSO ${name}() after a clock_gettime` : `first vDSO ${name}()`, steps: b.list,
    real: o => [["call", plus(o.minflt)], ["present", str(o.ptes)]],
    model: r => [["call", plus(b.of(r, "call")?.deltas.minflt)], ["present", ptes(r, "t", ctx.pages)]],
    note: `the model has no ${name}() step: it reads pgoff 0 as clock_gettime(CLOCK_REALTIME) does`,
  };
}

function getrandom(ctx: ProbeContext): BuiltObservation {
  const b = new Steps().add(spawn()).add({ op: "getrandom", task: "t" }, "call");
  return {
    id: "vdso.getrandom", title: "first vDSO getrandom (a real call, with a state)", steps: b.list,
    real: o => [["call", plus(o.minflt)], ["present", str(o.ptes)]],
    model: r => [["call", plus(b.of(r, "call")?.deltas.minflt)], ["present", ptes(r, "t", ctx.pages)]],
  };
}

// the tail the probe reads after an mlock-family call: smaps, then the next vDSO call
function lockFacts(ctx: ProbeContext, b: Steps, r: RunResult): Facts {
  const op = b.of(r, "op"), s = b.of(r, "smaps")?.smaps;
  return [["returns", errnoOf(op?.errno)], ["VmFlags", flagsFor(ctx, s?.vm_flags)], ["Locked", `${str(s?.locked_kb)} kB`],
          ["next call", plus(b.of(r, "next")?.deltas.minflt)]];
}
const lockReal = (o: ProbeObservation): Facts =>
  [["returns", errnoOf(o.errno)], ["VmFlags", str(o.vm_flags)], ["Locked", `${str(o.locked_kb)} kB`], ["next call", plus(o.next_call_minflt)]];

function mlockall(ctx: ProbeContext, id: string, flags: McFlag[]): BuiltObservation {
  const b = new Steps().add(spawn()).add({ op: "mlockall", task: "t", flags }, "op").add(smaps(), "smaps").add(call(), "next");
  return {
    id: `mlockall.${id}`, title: `mlockall(${flags.join("|")}), then the first clock_gettime`, steps: b.list,
    real: lockReal, model: r => lockFacts(ctx, b, r),
  };
}

function mlock(ctx: ProbeContext): BuiltObservation {
  const b = new Steps().add(spawn()).add({ op: "mlock", task: "t", pgoff: 0, pages: ctx.pages }, "op")
    .add(smaps(), "smaps").add(call(), "next");
  return { id: "mlock", title: "mlock() of all of [vvar], then the first clock_gettime", steps: b.list, real: lockReal, model: r => lockFacts(ctx, b, r) };
}

function populateRead(ctx: ProbeContext): BuiltObservation {
  const b = new Steps().add(spawn()).add({ op: "madvise_populate_read", task: "t", pgoff: 0, pages: ctx.pages }, "op")
    .add(smaps(), "smaps").add(call(), "next");
  return { id: "madvise.populate_read", title: "madvise(MADV_POPULATE_READ) on [vvar], then the first clock_gettime", steps: b.list,
           real: lockReal, model: r => lockFacts(ctx, b, r) };
}

function willneed(ctx: ProbeContext): BuiltObservation {
  // no MADV_WILLNEED op in the model: madvise_willneed() on a VMA without a file only looks for
  // swap entries and returns 0 (mm/madvise.c), so the model's answer is [vvar] untouched
  const b = new Steps().add(spawn()).add(smaps(), "smaps").add(call(), "next");
  return {
    id: "madvise.willneed", title: "madvise(MADV_WILLNEED) on [vvar], then the first clock_gettime", steps: b.list,
    real: lockReal, model: r => lockFacts(ctx, b, r),
    note: "no MADV_WILLNEED step in the model: madvise_willneed() on a file-less VMA returns 0 and maps nothing",
  };
}

function remote(via: RemoteVia, populated: boolean): BuiltObservation {
  const b = new Steps().add(spawn("p")).add({ op: "fork", task: "p", child: "c" });
  if (populated) b.add(call("c"));
  b.add({ op: "remote_read", task: "p", target: "c", pgoff: 0, via }, "remote").add(read(0, "c"), "after");
  return {
    id: `remote.${via}.${populated ? "populated" : "untouched"}`,
    title: `${via} of a child's pgoff 0 (${populated ? "the child faulted it in" : "never touched"}); then the child reads it`,
    steps: b.list,
    real: o => [["read", errnoOf(o.errno)], ["child's read after", plus(o.after_minflt)]],
    model: r => [["read", errnoOf(b.of(r, "remote")?.errno)], ["child's read after", plus(b.of(r, "after")?.deltas.minflt)]],
  };
}

function remoteSelf(via: RemoteVia, populated: boolean): BuiltObservation {
  const b = new Steps().add(spawn());
  if (populated) b.add(call());
  b.add({ op: "remote_read", task: "t", target: "t", pgoff: 0, via }, "remote").add(read(0), "after");
  return {
    id: `remote.self.${via}.${populated ? "populated" : "untouched"}`,
    title: `${via === "proc_mem" ? "/proc/self/mem" : via} of one's own pgoff 0 (${populated ? "present" : "never touched"})`,
    steps: b.list,
    real: o => [["read", errnoOf(o.errno)], ["own read after", plus(o.after_minflt)]],
    model: r => [["read", errnoOf(b.of(r, "remote")?.errno)], ["own read after", plus(b.of(r, "after")?.deltas.minflt)]],
  };
}

function fork(ctx: ProbeContext, parentTouched: boolean): BuiltObservation {
  const b = new Steps().add(spawn("p"));
  if (parentTouched) b.add(call("p"));
  b.add({ op: "fork", task: "p", child: "c" }).add(call("c"), "child");
  return {
    id: `fork.parent_${parentTouched ? "touched" : "untouched"}`,
    title: `fork(), parent ${parentTouched ? "faulted pgoff 0 in" : "never touched [vvar]"}: the child's first call`, steps: b.list,
    real: o => [["child's first call", plus(o.child_minflt)], ["child present", str(o.child_ptes)]],
    model: r => [["child's first call", plus(b.of(r, "child")?.deltas.minflt)], ["child present", ptes(r, "c", ctx.pages)]],
  };
}

function vforkExec(): BuiltObservation {
  const b = new Steps().add(spawn("p")).add(call("p")).add({ op: "vfork_exec", task: "p", child: "c" }).add(call("c"), "child");
  return {
    id: "vfork_exec", title: "vfork()+execve(): the new image's first call", steps: b.list,
    real: o => [["first call", plus(o.child_minflt)]],
    model: r => [["first call", plus(b.of(r, "child")?.deltas.minflt)]],
  };
}

// a child forked into a new time namespace (offsets monotonic 100000 s, boottime 200000 s)
function nsChild(): Steps {
  return new Steps().add(spawn("p")).add({ op: "unshare_timens", task: "p", ...NS }).add({ op: "fork", task: "p", child: "c" });
}

function timens(ctx: ProbeContext, which: string): BuiltObservation {
  const id = `timens.${which}`;
  switch (which) {
    case "unshare": {
      const b = new Steps().add(spawn()).add(call()).add({ op: "unshare_timens", task: "t", ...NS }, "op").add(call(), "next");
      return { id, title: "unshare(CLONE_NEWTIME) after a call: the caller's next call", steps: b.list,
        real: o => [["unshare", errnoOf(o.errno)], ["next call", plus(o.next_call_minflt)]],
        model: r => [["unshare", errnoOf(b.of(r, "op")?.errno)], ["next call", plus(b.of(r, "next")?.deltas.minflt)]] };
    }
    case "offsets_before": {
      const b = new Steps().add(spawn()).add({ op: "unshare_timens", task: "t", ...NS }, "op");
      return { id, title: "timens_offsets written before any task entered", steps: b.list,
        real: o => [["offsets", o.errno ? String(o.errno) : o.written === o.of ? "accepted" : `short write ${str(o.written)}/${str(o.of)}`]],
        model: r => [["offsets", b.of(r, "op")?.errno ? String(b.of(r, "op")?.errno) : "accepted"]],
        note: "the model takes the offsets with unshare_timens (the kernel: a write to /proc/self/timens_offsets)" };
    }
    case "offsets_after":
      return { id, title: "timens_offsets written after a task entered", steps: null, informational: true,
        real: o => [["offsets", o.errno ? String(o.errno) : "accepted"]],
        model: () => [["offsets", "frozen"]],
        note: "the model freezes the offsets when the first task enters (timens_set_vvar_page) and has no step that writes them later" };
    case "child_layout": {
      const b = nsChild().add(read(0, "c"), "r0").add(read(1, "c"), "r1");
      return { id, title: "a child in the namespace reads pgoff 0, then pgoff 1", steps: b.list,
        real: o => [["first read", plus(o.first_read_minflt)], ["pgoff 0", str(o.page0)], ["pgoff 1", str(o.page1)]],
        model: r => [["first read", plus(b.of(r, "r0")?.deltas.minflt)], ["pgoff 0", str(b.of(r, "r0")?.page)], ["pgoff 1", str(b.of(r, "r1")?.page)]] };
    }
    case "child_first_call": {
      const b = nsChild().add(call("c"), "first").add(call("c"), "again");
      return { id, title: "a child in the namespace: first clock_gettime", steps: b.list,
        real: o => [["first", plus(o.minflt)], ["again", plus(o.again_minflt)], ["present", str(o.ptes)]],
        model: r => [["first", plus(b.of(r, "first")?.deltas.minflt)], ["again", plus(b.of(r, "again")?.deltas.minflt)], ["present", ptes(r, "c", ctx.pages)]] };
    }
    case "child_pgoff1_first": {
      const b = nsChild().add(read(1, "c"), "r1").add(read(0, "c"), "r0");
      return { id, title: "a child in the namespace reads pgoff 1 first, then pgoff 0", steps: b.list,
        real: o => [["pgoff 1", plus(o.pgoff1_minflt)], ["then pgoff 0", plus(o.then_pgoff0_minflt)]],
        model: r => [["pgoff 1", plus(b.of(r, "r1")?.deltas.minflt)], ["then pgoff 0", plus(b.of(r, "r0")?.deltas.minflt)]] };
    }
    case "child_offsets": {
      const b = nsChild().add(call("c", "CLOCK_MONOTONIC"), "m").add(call("c", "CLOCK_BOOTTIME"), "b").add(call("c", "CLOCK_REALTIME"), "r");
      const want = (label: string, ok: boolean | undefined, off: number) => [label, ok === undefined ? "?" : ok ? `+${off} s` : "wrong"] as [string, string];
      return { id, title: "the child's clocks: MONOTONIC +100000 s, BOOTTIME +200000 s, REALTIME +0 s", steps: b.list,
        real: o => [want("MONOTONIC", o.monotonic_s === undefined ? undefined : o.monotonic_s === 100000, 100000),
                    want("BOOTTIME", o.boottime_s === undefined ? undefined : o.boottime_s === 200000, 200000),
                    want("REALTIME", o.realtime_s === undefined ? undefined : o.realtime_s === 0, 0)],
        model: r => [want("MONOTONIC", b.of(r, "m")?.correct, 100000), want("BOOTTIME", b.of(r, "b")?.correct, 200000),
                     want("REALTIME", b.of(r, "r")?.correct, 0)],
        note: "the model checks each clock against host time plus the namespace's offset (correct)" };
    }
    case "child_mlockall": {
      const b = nsChild().add({ op: "mlockall", task: "c", flags: ["MCL_CURRENT", "MCL_FUTURE"] }, "op").add(call("c"), "next");
      return { id, title: "a child in the namespace: mlockall(MCL_CURRENT|MCL_FUTURE), then the first call", steps: b.list,
        real: o => [["mlockall", errnoOf(o.errno)], ["next call", plus(o.next_call_minflt)]],
        model: r => [["mlockall", errnoOf(b.of(r, "op")?.errno)], ["next call", plus(b.of(r, "next")?.deltas.minflt)]] };
    }
    case "child_getrandom": {
      const b = nsChild().add({ op: "getrandom", task: "c" }, "call");
      return { id, title: "a child in the namespace: first vDSO getrandom", steps: b.list,
        real: o => [["call", plus(o.minflt)], ["present", str(o.ptes)]],
        model: r => [["call", plus(b.of(r, "call")?.deltas.minflt)], ["present", ptes(r, "c", ctx.pages)]] };
    }
    case "setns_other": {
      const b = new Steps().add(spawn()).add(call()).add(read(2)).add({ op: "unshare_timens", task: "t", ...NS })
        .add({ op: "fork", task: "t", child: "holder" }).add({ op: "setns", task: "t", ns: NS.ns }, "op").add(call(), "next");
      return { id, title: "setns() into another time namespace after pgoff 0 and 2 were present", steps: b.list,
        real: o => [["setns", errnoOf(o.errno)], ["next call", plus(o.next_call_minflt)], ["present after it", str(o.ptes)]],
        model: r => [["setns", errnoOf(b.of(r, "op")?.errno)], ["next call", plus(b.of(r, "next")?.deltas.minflt)], ["present after it", ptes(r, "t", ctx.pages)]] };
    }
    case "setns_same": {
      const b = new Steps().add(spawn()).add(call()).add(read(2)).add({ op: "setns", task: "t", ns: "root" }, "op").add(call(), "next");
      return { id, title: "setns() into the namespace the task is already in", steps: b.list,
        real: o => [["setns", errnoOf(o.errno)], ["next call", plus(o.next_call_minflt)], ["present after it", str(o.ptes)]],
        model: r => [["setns", errnoOf(b.of(r, "op")?.errno)], ["next call", plus(b.of(r, "next")?.deltas.minflt)], ["present after it", ptes(r, "t", ctx.pages)]] };
    }
    case "fork_new_ns": {
      const b = new Steps().add(spawn("p")).add(call("p")).add(read(2, "p")).add({ op: "unshare_timens", task: "p", ...NS })
        .add({ op: "fork", task: "p", child: "c" });
      return { id, title: "fork() into a new namespace after the parent's pgoff 0 and 2 were present", steps: b.list,
        real: o => [["child present", str(o.child_ptes)]],
        model: r => [["child present", ptes(r, "c", ctx.pages)]] };
    }
  }
  throw new Error(`no time namespace observation ${which}`);
}

export const TIMENS = ["unshare", "offsets_before", "offsets_after", "child_layout", "child_first_call",
  "child_pgoff1_first", "child_offsets", "child_mlockall", "child_getrandom", "setns_other", "setns_same", "fork_new_ns"];

function cost(): BuiltObservation {
  return {
    id: "cost.fault", title: "one [vvar] fault: first call minus a warm call, median over fresh processes",
    steps: null, informational: true,
    real: o => [["fault", typeof o.fault_ns === "number" ? `${o.fault_ns} ns` : "?"], ["samples", str(o.samples)]],
    model: () => [["fault", "20000 ns"], ["samples", "the series' cover letter"]],
    note: "the model's cost is a parameter (20 µs by default): `prefault probe --save-costs FILE` and `prefault run --costs FILE` use this machine's figure",
  };
}

/** Every observation the probe makes on a system with `ctx.pages` [vvar] pages, in its order. */
export function observationDefs(ctx: ProbeContext): BuiltObservation[] {
  const defs: BuiltObservation[] = [layout(ctx), vmFlags(ctx), smapsAfterCall(ctx)];
  for (let p = 0; p < ctx.pages; p++) defs.push(readPgoff(p));
  for (const c of CLOCKS) defs.push(clock(ctx, c));
  for (const n of ["gettimeofday", "time", "clock_getres"]) defs.push(likeClock(ctx, n, false), likeClock(ctx, n, true));
  defs.push(getrandom(ctx));
  for (const [id, flags] of MLOCKALL) defs.push(mlockall(ctx, id, flags));
  defs.push(mlock(ctx), populateRead(ctx), willneed(ctx));
  for (const via of ["proc_mem", "process_vm_readv", "ptrace_peekdata"] as RemoteVia[]) defs.push(remote(via, true), remote(via, false));
  for (const via of ["proc_mem", "process_vm_readv"] as RemoteVia[]) defs.push(remoteSelf(via, true), remoteSelf(via, false));
  defs.push(fork(ctx, true), fork(ctx, false), vforkExec());
  for (const t of TIMENS) defs.push(timens(ctx, t));
  defs.push(cost());
  return defs;
}

/** The context of a probe record: [vvar] size from the header, sealing from [vdso]'s VmFlags. */
export function contextOf(header: ProbeHeader, vmflags?: ProbeObservation): ProbeContext {
  const vdso = typeof vmflags?.vdso_vm_flags === "string" ? vmflags.vdso_vm_flags : undefined;
  return { pages: header.vvar_pages, sealing: vdso === undefined ? true : vdso.split(/\s+/).includes("sl") };
}
