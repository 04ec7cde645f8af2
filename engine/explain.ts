// engine/explain.ts: the step-through of a fault. From a RunResult's call trace (RunResult.calls,
// recorded by the kernel: kernel-as/trace.ts) and its event trace, the walk of each page fault
// of one step down the call chain it took in the kernel model: who faulted (the user access or
// the GUP caller), handle_mm_fault(), do_read_fault(), __do_fault(), special_mapping_fault(),
// the learner's vvar_fault() with every kernel function it called (arguments, return value, and
// the line of the learner's source that called it), finish_fault(), the PTE that resulted, or
// the SIGBUS / WARN / BUG / oops and where.
//
// Pure. One builder for every view: `prefault run --explain STEP` prints explainLines() of it
// (cli/run-explain.ts), the browser draws the same nodes (web/src/ui/explain-view.ts), so the two
// cannot disagree. Names are Linux's, so a learner can grep the kernel for each.

import type { CallEvent, PageKind, RunResult, Scenario, TraceEvent } from "./types.js";
import { describeStep, formatNs } from "./runner-trace.js";
import { ERRNO_NAMES, FAULT_FLAG_BITS, FOLL_BITS, HANDLES, VM_FAULT_BITS, ZERO_PFN } from "./generated/abi.js";

/** One line of a walk. `depth` is the indentation (0: the caller). */
export interface WalkNode {
  depth: number;
  /** caller: who faulted; call: a kernel function; learner: a kernel API call made by the
   *  learner's code; event: what the kernel did (a PTE, a WARN, a signal); result: the outcome */
  kind: "caller" | "call" | "learner" | "event" | "result";
  /** the kernel function (calls), Linux's name */
  func?: string;
  text: string;
  /** a learner call: the line of the learner's source it was made from */
  at?: { file: string; line: number; column: number };
  /** the call never returned (the oops unwound through it) */
  unfinished?: boolean;
  /** an event that went wrong (a SIGBUS, a WARN, a BUG, an oops) */
  bad?: boolean;
}

/** The walk of one fault (a user page-fault exception, or one GUP faultin_page()). */
export interface FaultWalk {
  /** the fault's own event in RunResult.trace (kind "fault" or "gup_fault"), when recorded */
  event?: number;
  kind: "user" | "gup";
  task: string;
  pgoff?: number;
  /** "fault 1 of 2: app, [vvar] pgoff 0 (time data), a user page fault, 20 µs" */
  title: string;
  /** the outcome in one line: the PTE, or the signal / WARN / BUG and where */
  result: string;
  nodes: WalkNode[];
  /** the learner's lines this fault ran kernel calls from (file, line), in order, each once */
  lines: { file: string; line: number }[];
}

/** The walk of one step: its faults, and the kernel calls of the step outside any fault (a GUP
 *  refused before faulting, an install of [vvar]). */
export interface StepWalk {
  step: number;
  op: string;
  task?: string;
  /** "step 1: clock_gettime app CLOCK_MONOTONIC" */
  title: string;
  faults: FaultWalk[];
  /** calls of the step that took no fault (shown after the faults) */
  other: WalkNode[];
  /** what else to know: the step did not run, took no fault, calls were not recorded */
  notes: string[];
}

const PAGE_LABEL: Record<PageKind, string> = {
  time: "time data", timens: "the namespace page", zero: "a zero-filled slot", rng: "rng data", arch: "arch data",
  zero_page: "ZERO_PAGE", other: "a page without struct page", anon: "a private copy (anon)",
};

/** The datastore slot a [vvar] pgoff names (enum vdso_pages). */
export function slotOf(pgoff: number): string {
  return pgoff === 0 ? "time data" : pgoff === 1 ? "timens" : pgoff === 2 ? "rng" : `arch ${pgoff - 3}`;
}

// ---- how each function's recorded arguments and return value read ---------------------------

type Fmt = "hex" | "int" | "signed" | "bool" | "fault_flags" | "foll_flags" | "vm_fault" | "handle" | "page" | "pfn" | "void";
/** params: [name, format] for a recorded argument (a0, a1, a2 in order), or a plain name
 *  (a parameter the record does not carry); `vmf`: the a0..a2 are vmf fields shown after it */
interface Sig { params: (string | [string, Fmt])[]; ret: Fmt; vmf?: [string, Fmt][] }

const SIGS: Record<string, Sig> = {
  do_user_addr_fault: { params: ["regs", ["address", "hex"]], ret: "vm_fault" },
  __mm_populate: { params: [["start", "hex"], ["len", "int"], ["ignore_errors", "bool"]], ret: "signed" },
  populate_vma_page_range: { params: ["vma", ["start", "hex"], ["end", "hex"]], ret: "signed" },
  faultin_page_range: { params: ["mm", ["start", "hex"], ["end", "hex"], ["write", "bool"]], ret: "signed" },
  access_remote_vm: { params: ["mm", ["addr", "hex"], "buf", "len", ["gup_flags", "foll_flags"]], ret: "int" },
  get_user_pages_remote: { params: ["mm", ["start", "hex"], "nr_pages", ["gup_flags", "foll_flags"]], ret: "signed" },
  __get_user_pages: { params: ["mm", ["start", "hex"], ["nr_pages", "int"], ["gup_flags", "foll_flags"]], ret: "signed" },
  faultin_page: { params: ["vma", ["address", "hex"], ["flags", "foll_flags"]], ret: "signed" },
  handle_mm_fault: { params: ["vma", ["address", "hex"], ["flags", "fault_flags"], "regs"], ret: "vm_fault" },
  do_read_fault: { params: ["vmf"], ret: "vm_fault" },
  do_shared_fault: { params: ["vmf"], ret: "vm_fault" },
  do_cow_fault: { params: ["vmf"], ret: "vm_fault" },
  wp_page_copy: { params: ["vmf"], ret: "vm_fault" },
  __do_fault: { params: ["vmf"], ret: "vm_fault" },
  special_mapping_fault: { params: ["vmf"], ret: "vm_fault", vmf: [["pgoff", "int"]] },
  vvar_fault: { params: ["sm", "vma", "vmf"], ret: "vm_fault", vmf: [["pgoff", "int"], ["address", "hex"], ["flags", "fault_flags"]] },
  finish_fault: { params: ["vmf"], ret: "vm_fault", vmf: [["address", "hex"], ["page", "pfn"]] },
  vmf_pgoff: { params: [["vmf", "handle"]], ret: "int" },
  vmf_address: { params: [["vmf", "handle"]], ret: "hex" },
  vmf_flags: { params: [["vmf", "handle"]], ret: "fault_flags" },
  vmf_vma: { params: [["vmf", "handle"]], ret: "handle" },
  vmf_get_page: { params: [["vmf", "handle"]], ret: "page" },
  vmf_set_page: { params: [["vmf", "handle"], ["page", "page"]], ret: "void" },
  vma_vm_mm: { params: [["vma", "handle"]], ret: "handle" },
  vma_vm_start: { params: [["vma", "handle"]], ret: "hex" },
  vma_vm_end: { params: [["vma", "handle"]], ret: "hex" },
  vma_vm_flags: { params: [["vma", "handle"]], ret: "hex" },
  task_mm: { params: [["task", "handle"]], ret: "handle" },
  kernel_config: { params: [["option", "int"]], ret: "int" },
  vdso_nr_pages: { params: [], ret: "int" },
  vdso_data_pages: { params: [], ret: "page" },
  vdso_k_data: { params: [["which", "int"]], ret: "hex" },
  vdso_vvar_mapping: { params: [], ret: "handle" },
  find_timens_vvar_page: { params: [["vma", "handle"]], ret: "page" },
  vmf_insert_page: { params: [["vma", "handle"], ["addr", "hex"], ["page", "page"]], ret: "vm_fault" },
  vmf_insert_pfn: { params: [["vma", "handle"], ["addr", "hex"], ["pfn", "int"]], ret: "vm_fault" },
  vmf_insert_mixed: { params: [["vma", "handle"], ["addr", "hex"], ["pfn", "int"]], ret: "vm_fault" },
  get_page: { params: [["page", "page"]], ret: "void" },
  put_page: { params: [["page", "page"]], ret: "void" },
  page_to_pfn: { params: [["page", "page"]], ret: "int" },
  pfn_to_page: { params: [["pfn", "int"]], ret: "page" },
  virt_to_page: { params: [["kaddr", "hex"]], ret: "page" },
  zero_page: { params: [["vaddr", "hex"]], ret: "page" },
  install_special_mapping: { params: ["mm", ["addr", "hex"], ["len", "int"], ["vm_flags", "hex"], "spec"], ret: "handle" },
  printk: { params: [["level", "int"], ["value", "int"]], ret: "void" },
};

/** The functions whose call is one fault (the walks' roots). */
const FAULT_ENTRIES = new Set(["do_user_addr_fault", "faultin_page"]);

const big = (v: number | string | undefined): bigint => v === undefined ? 0n : BigInt(v);

function flagNames(v: bigint, bits: Readonly<Record<string, number>>): string {
  if (v === 0n) return "0";
  const names: string[] = [];
  let rest = v;
  for (const [name, bit] of Object.entries(bits)) {
    if (v & BigInt(bit)) { names.push(name); rest &= ~BigInt(bit); }
  }
  if (rest) names.push("0x" + rest.toString(16));
  return names.join("|");
}

/** A handle the learner sees, in words: vmf, vma, mm, sm, current, page pfn N, ZERO_PAGE, NULL. */
function handleName(v: bigint): string {
  if (v === 0n) return "NULL";
  if (v === BigInt(HANDLES.H_CURRENT)) return "current";
  if (v === BigInt(HANDLES.H_VVAR_MAPPING)) return "sm";
  const top = v & 0xf0000000n;
  if (top === BigInt(HANDLES.H_VMF)) return "vmf";
  if (top === BigInt(HANDLES.H_VMA)) return "vma";
  if (top === BigInt(HANDLES.H_MM)) return "mm";
  if (v >= BigInt(HANDLES.H_PAGE) && v < BigInt(HANDLES.H_VMF)) {
    const pfn = v - BigInt(HANDLES.H_PAGE);
    return pfn === BigInt(ZERO_PFN) ? "ZERO_PAGE" : `page pfn ${pfn}`;
  }
  return "0x" + v.toString(16);
}

function fmt(v: number | string | undefined, f: Fmt): string {
  const b = big(v);
  switch (f) {
    case "hex": return "0x" + b.toString(16);
    case "int": return b.toString();
    case "bool": return b ? "true" : "false";
    case "signed": {
      const s = BigInt.asIntN(64, b);
      return s < 0n && ERRNO_NAMES[Number(-s)] ? `-${ERRNO_NAMES[Number(-s)]}` : s.toString();
    }
    case "fault_flags": return flagNames(b, FAULT_FLAG_BITS);
    case "foll_flags": return flagNames(b, FOLL_BITS);
    case "vm_fault": return flagNames(b, VM_FAULT_BITS);
    case "handle": case "page": return handleName(b);
    case "pfn": return handleName(b + BigInt(HANDLES.H_PAGE));
    case "void": return "";
  }
}

/** "handle_mm_fault(vma, address=0x7ffff7fc0000, flags=FAULT_FLAG_USER) = 0": one call. */
export function callText(c: CallEvent): string {
  const sig = SIGS[c.func];
  if (!sig) return `${c.func}(${c.args.join(", ")})${c.ret !== undefined ? ` = ${c.ret}` : ""}`;
  let i = 0;
  const params = sig.params.map(p => {
    if (typeof p === "string") return p;
    return `${p[0]}=${fmt(c.args[i++], p[1])}`;
  });
  let vmf = "";
  if (sig.vmf) vmf = ` [${sig.vmf.map(([n, f], k) => `vmf->${n}=${fmt(c.args[k], f)}`).join(", ")}]`;
  // a learner call's handle argument is shown by its name alone: vmf_pgoff(vmf), not vmf=vmf
  const shown = params.map(p => { const m = /^(\w+)=(\w+)$/.exec(p); return m && m[1] === m[2] ? m[1] : p; });
  const ret = c.ret === undefined ? " (did not return)" : sig.ret === "void" ? "" : ` = ${fmt(c.ret, sig.ret)}`;
  return `${c.func}(${shown.join(", ")})${vmf}${ret}`;
}

// ---- events ------------------------------------------------------------------------------------

interface Where { warns: string[]; bugs: string[] }

// "at include/linux/rmap.h:216 __folio_rmap_sanity_checks+0x1b0/0x2c0" of each WARN in dmesg, and
// "at mm/memory.c:2446" of each BUG, in order
function whereOf(run: RunResult): Where {
  const warns: string[] = [], bugs: string[] = [];
  for (const l of run.dmesg) {
    const w = /WARNING: CPU: \d+ PID: \d+ at (\S+) (\S+)/.exec(l);
    if (w) warns.push(`${w[1]} ${w[2]}`);
    const b = /kernel BUG at (\S+?)!/.exec(l);
    if (b) bugs.push(b[1]);
  }
  return { warns, bugs };
}

/** An event of the trace as a line of the walk, or undefined for one the walk does not show. */
function eventNode(run: RunResult, e: TraceEvent, index: number, where: Where, depth: number): WalkNode | undefined {
  const detail = e.detail ? `: ${e.detail}` : "";
  switch (e.kind) {
    case "map":
      return { depth, kind: "event", text: `PTE: [vvar] pgoff ${e.pgoff} (${slotOf(e.pgoff ?? 0)}) maps ${e.page ? PAGE_LABEL[e.page] : "a page"}${e.detail ? ` (${e.detail})` : ""}` };
    case "sigbus": {
      const sig = e.detail === "SIGSEGV" ? "SIGSEGV" : "SIGBUS";
      const path = sig === "SIGSEGV" ? "bad_area() -> force_sig_fault(SIGSEGV, SEGV_MAPERR)"
        : /HWPOISON/.test(e.detail ?? "") ? "mm_fault_error() -> do_sigbus() -> force_sig_mceerr(BUS_MCEERR_AR)"
        : "mm_fault_error() -> do_sigbus() -> force_sig_fault(SIGBUS, BUS_ADRERR)";
      return { depth, kind: "event", bad: true, text: `${sig} to ${e.task}${e.pgoff !== undefined ? ` for [vvar] pgoff ${e.pgoff}` : ""} (${path}): the task is killed` };
    }
    case "warn": {
      const k = run.trace.slice(0, index).filter(x => x.kind === "warn").length;
      const at = where.warns[k];
      return { depth, kind: "event", bad: true, text: `WARN${at ? ` at ${at}` : ""}${detail}` };
    }
    case "bug": {
      const splat = e.detail !== "Bad page state" && e.detail !== "page_ref underflow";
      const k = run.trace.slice(0, index).filter(x => x.kind === "bug" && x.detail !== "Bad page state" && x.detail !== "page_ref underflow").length;
      const at = splat ? where.bugs[k] : undefined;
      return { depth, kind: "event", bad: true, text: `BUG${at ? ` at ${at}` : ""}${detail}` };
    }
    case "oops": {
      const o = run.oops;
      const loc = o?.file ? ` at ${o.file}:${o.line ?? 0}` : "";
      return { depth, kind: "event", bad: true, text: `Oops: ${o?.message ?? e.detail ?? "the kernel stopped"}${loc}` };
    }
    case "zap": return { depth, kind: "event", text: `zap_vma_pages()${detail} (the [vvar] PTEs go with the mm)` };
    case "populate": return { depth, kind: "event", text: `__mm_populate()${e.pgoff !== undefined ? ` at pgoff ${e.pgoff}` : ""}${detail}` };
    case "remote":
      return { depth, kind: "event", text: e.detail === "failed" ? "access_remote_vm(): GUP failed, nothing copied"
        : `access_remote_vm(): 8 bytes of ${e.page ? PAGE_LABEL[e.page] : "the page"} copied` };
    default: return undefined;
  }
}

// ---- the walk ----------------------------------------------------------------------------------

// the end (exclusive) of call i's subtree in `calls`
function subtreeEnd(calls: CallEvent[], i: number): number {
  let j = i + 1;
  while (j < calls.length && calls[j].depth > calls[i].depth) j++;
  return j;
}

// the events a call contains: [event, event_end), or to the end of its step's events when it
// never returned
function eventRange(run: RunResult, c: CallEvent): [number, number] {
  if (c.event_end !== undefined) return [c.event, Math.min(c.event_end, run.trace.length)];
  let end = c.event;
  while (end < run.trace.length && run.trace[end].step === c.step) end++;
  return [c.event, end];
}

// the nodes of calls [from, to) (one subtree, or a run of sibling roots) with their events,
// interleaved in the order they happened; `base`: the depth the first call is drawn at
function treeNodes(run: RunResult, calls: CallEvent[], from: number, to: number, base: number, where: Where): WalkNode[] {
  const shift = base - calls[from].depth;
  let handler = -1;              // the depth of the vvar_fault() being drawn, or -1
  const items: { key: number; order: number; node: WalkNode }[] = [];
  const seen = new Set<number>();
  for (let i = from; i < to; i++) {
    const c = calls[i];
    if (handler >= 0 && c.depth <= handler) handler = -1;
    const learner = handler >= 0 && c.depth > handler;
    const node: WalkNode = { depth: c.depth + shift, kind: learner ? "learner" : "call", func: c.func, text: callText(c),
      ...(c.at && learner ? { at: c.at } : {}), ...(c.ret === undefined ? { unfinished: true } : {}) };
    if (c.func === "vvar_fault") { handler = c.depth; node.text += "   <- your handler"; }
    if (learner && c.at) node.text += `   <- ${c.at.file}:${c.at.line}`;
    items.push({ key: c.event, order: items.length, node });
    if (c.skipped) {
      items.push({ key: c.event_end ?? Infinity, order: items.length - 0.5,
        node: { depth: c.depth + shift + 1, kind: "learner", text: `... and ${c.skipped} more kernel call${c.skipped === 1 ? "" : "s"}, not recorded` } });
    }
    // the events this call holds and its callees do not: at this call's depth + 1
    const [a, b] = eventRange(run, c);
    for (let e = a; e < b; e++) {
      if (seen.has(e)) continue;
      const inner = calls.slice(i + 1, subtreeEnd(calls, i)).some(k => { const [x, y] = eventRange(run, k); return e >= x && e < y; });
      if (inner) continue;
      seen.add(e);
      const n = eventNode(run, run.trace[e], e, where, c.depth + shift + 1);
      if (n) items.push({ key: e + 0.5, order: items.length, node: n });
    }
  }
  return items.sort((x, y) => x.key - y.key || x.order - y.order).map(x => x.node);
}

// A fault that never returned because the run stopped in it (the learner's abort or trap, which
// unwinds out of the kernel leaving no trace event, or a soft lockup): the stop, one level below
// the deepest call that did not return. undefined when the walk already shows an Oops event.
function stopNode(run: RunResult, step: number, root: CallEvent, nodes: WalkNode[]): WalkNode | undefined {
  const o = run.oops;
  if (!o || o.step !== step || root.ret !== undefined || run.status === "ok") return undefined;
  if (nodes.some(n => n.kind === "event" && n.bad && n.text.startsWith("Oops"))) return undefined;
  const depth = nodes.reduce((d, n) => n.unfinished ? Math.max(d, n.depth) : d, 0) + 1;
  const loc = o.file ? ` at ${o.file}:${o.line ?? 0}` : "";
  return { depth, kind: "event", bad: true, text: run.status === "timeout" ? `${o.message}${loc}` : `Oops: ${o.message}${loc}` };
}

// a fault's outcome in one line, from the nodes of its walk and its root call
function resultOf(root: CallEvent, nodes: WalkNode[]): string {
  const bad = nodes.filter(n => n.kind === "event" && n.bad);
  const oops = bad.find(n => n.text.startsWith("Oops") || n.text.startsWith("soft lockup"));
  if (oops) return oops.text;
  const sig = bad.find(n => /^SIG(BUS|SEGV)/.test(n.text));
  const warns = bad.filter(n => n.text.startsWith("WARN") || n.text.startsWith("BUG"));
  const pte = nodes.filter(n => n.kind === "event" && n.text.startsWith("PTE:")).map(n => n.text.replace(/^PTE: /, ""));
  const parts: string[] = [];
  if (sig) parts.push(sig.text);
  else if (pte.length) parts.push(pte.join("; "));
  else if (root.func === "faultin_page" && root.ret !== undefined && BigInt.asIntN(64, big(root.ret)) < 0n) {
    parts.push(`faultin_page() = ${fmt(root.ret, "signed")}: get_user_pages stops at this page`);
  } else parts.push("no PTE was made: the access faults again");
  for (const w of warns) parts.push(w.text);
  return parts.join("; ");
}

// whose [vvar] a fault of `root` is on: the remote target for a remote access, else the task
function ownerOf(scenario: Scenario | undefined, step: number, root: CallEvent): string {
  const s = scenario?.steps[step] as { op: string; target?: string } | undefined;
  return s && (s.op === "remote_read" || s.op === "remote_write") && s.target ? s.target : root.task;
}

// the caller line of a fault: what the step did that touched [vvar]
function callerText(run: RunResult, scenario: Scenario | undefined, step: number, root: CallEvent): string {
  const r = run.steps[step];
  const what = describeStep(scenario?.steps[step], r ?? { op: "?", task: root.task });
  if (root.func === "do_user_addr_fault") {
    const pgoff = Number(big(root.args[1]));
    return `${what}: ${root.task} loads [vvar] pgoff ${pgoff} (${slotOf(pgoff)}); no PTE, so the CPU raises a page fault`;
  }
  const owner = ownerOf(scenario, step, root);
  return owner !== root.task ? `${what}: get_user_pages_remote() walks ${owner}'s [vvar] for ${root.task}`
    : `${what}: get_user_pages() walks ${root.task}'s [vvar] in the kernel`;
}

/** The walk of step `step` of `run` (`scenario`, when given, adds the step's arguments). Every
 *  fault the step took (a user fault or a GUP fault), in order, and its other kernel calls.
 *  Pure. Throws RangeError for a step the run does not have (callers check with stepIndex()). */
export function explainStep(run: RunResult, step: number, scenario?: Scenario): StepWalk {
  const r = run.steps[step];
  if (!r) throw new RangeError(`no step ${step} (the run has ${run.steps.length})`);
  const title = `step ${step}: ${describeStep(scenario?.steps[step], r)}`;
  const walk: StepWalk = { step, op: r.op, ...(r.task ? { task: r.task } : {}), title, faults: [], other: [], notes: [] };
  if (!r.ran) { walk.notes.push(r.not_run ? `not run: ${r.not_run}` : "not run: an earlier step did not finish"); return walk; }
  const calls = (run.calls ?? []).filter(c => c.step === step);
  const where = whereOf(run);
  const inFault = new Set<number>();
  const entries = calls.map((c, i) => i).filter(i => FAULT_ENTRIES.has(calls[i].func));
  entries.forEach((i, n) => {
    const root = calls[i];
    const end = subtreeEnd(calls, i);
    for (let j = i; j < end; j++) inFault.add(j);
    // the GUP caller: the chain of calls that encloses faultin_page(), outermost first
    const chain: CallEvent[] = [];
    let d = root.depth;
    for (let j = i - 1; j >= 0 && d > 0; j--) if (calls[j].depth < d) { chain.unshift(calls[j]); d = calls[j].depth; }
    const nodes: WalkNode[] = [{ depth: 0, kind: "caller", text: callerText(run, scenario, step, root) }];
    chain.forEach((c, k) => nodes.push({ depth: k + 1, kind: "call", func: c.func, text: callText(c) }));
    nodes.push(...treeNodes(run, calls, i, end, chain.length + 1, where));
    const stop = stopNode(run, step, root, nodes);
    if (stop) nodes.push(stop);
    const [a, b] = eventRange(run, root);
    let event: number | undefined;
    for (let e = a; e < b; e++) if (run.trace[e]?.kind === (root.func === "faultin_page" ? "gup_fault" : "fault")) { event = e; break; }
    const ev = event !== undefined ? run.trace[event] : undefined;
    const pgoff = root.func === "do_user_addr_fault" ? Number(big(root.args[1])) : ev?.pgoff;
    const kind = root.func === "faultin_page" ? "gup" : "user";
    const lat = kind === "user" && ev?.latency_ns ? `, ${formatNs(ev.latency_ns)}` : "";
    const seen = new Set<string>();
    const lines = nodes.filter(x => x.at).map(x => ({ file: x.at!.file, line: x.at!.line }))
      .filter(x => { const k = `${x.file}:${x.line}`; if (seen.has(k)) return false; seen.add(k); return true; });
    const owner = ownerOf(scenario, step, root);
    walk.faults.push({
      ...(event !== undefined ? { event } : {}), kind, task: root.task, ...(pgoff !== undefined ? { pgoff } : {}),
      title: `fault ${n + 1} of ${entries.length}: ${owner === root.task ? root.task : `${owner} (for ${root.task})`}, [vvar] pgoff ${pgoff ?? "?"}${pgoff !== undefined ? ` (${slotOf(pgoff)})` : ""}, ` +
        `${kind === "user" ? "a user page fault" : "a GUP fault (faultin_page)"}${lat}`,
      result: resultOf(root, nodes), nodes, lines,
    });
  });
  // the rest of the step's calls, by root, when a root took no fault
  for (let i = 0; i < calls.length; i = subtreeEnd(calls, i)) {
    const end = subtreeEnd(calls, i);
    let mine = false;
    for (let j = i; j < end; j++) if (inFault.has(j)) mine = true;
    if (!mine) walk.other.push(...treeNodes(run, calls, i, end, 0, where));
  }
  if (walk.faults.length === 0) {
    const faults = run.trace.filter(e => e.step === step && (e.kind === "fault" || e.kind === "gup_fault")).length;
    walk.notes.push(faults ? `${faults} fault${faults === 1 ? "" : "s"} in this step, but the call trace was full (CALL_TRACE_MAX)`
      : "no page fault in this step: every [vvar] page it touched was already mapped, or it touched none");
  }
  if (run.calls_dropped) walk.notes.push(`${run.calls_dropped} calls of this run were not recorded: the call trace was full (CALL_TRACE_MAX)`);
  return walk;
}

/** `shown` with the learner's source line of each call (CallEvent.at) taken from `sited`: the
 *  same scenario run again with the same learner module and RunOptions.callSites. A Run grades
 *  without call sites (a stack per call costs the run as much as the scenario itself) and the
 *  step-through asks for them when it opens. The model is deterministic, so both runs have the
 *  same steps and record the same calls; when they do not (another module, another scenario,
 *  other costs), undefined. A run kept without its traces (the browser's storage limit: trace and
 *  calls emptied, their counts moved into *_dropped) takes both traces of `sited`. Pure. */
export function withCallSites(shown: RunResult, sited: RunResult): RunResult | undefined {
  if (shown.scenario !== sited.scenario || JSON.stringify(shown.steps) !== JSON.stringify(sited.steps)) return undefined;
  if (trimmed(shown)) {
    return { ...shown, trace: sited.trace, trace_dropped: sited.trace_dropped, calls: sited.calls, calls_dropped: sited.calls_dropped };
  }
  const a = shown.calls ?? [], b = sited.calls ?? [];
  if (a.length !== b.length) return undefined;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x.func !== y.func || x.step !== y.step || x.depth !== y.depth || x.task !== y.task) return undefined;
  }
  return { ...shown, calls: a.map((c, i) => b[i].at ? { ...c, at: b[i].at } : c) };
}

/** Whether the step-through should run `run` again (withCallSites): it recorded kernel calls and
 *  none has a source line (it was graded without RunOptions.callSites), or it was kept without
 *  its traces. */
export function lacksCallSites(run: RunResult): boolean {
  const calls = run.calls ?? [];
  return trimmed(run) || (calls.length > 0 && !calls.some(c => c.at));
}

// kept without its traces: a run's trace and call rings fill before they drop, so an empty one
// with some dropped was emptied afterwards
const trimmed = (run: RunResult) => ((run.calls?.length ?? 0) === 0 && (run.calls_dropped ?? 0) > 0) ||
                                    (run.trace.length === 0 && (run.trace_dropped ?? 0) > 0);

/** The index into walk.faults of the fault whose trace event is `event` (a RunResult.trace
 *  index of a "fault" or "gup_fault"), or -1. The timeline's click goes through this. */
export function faultOfEvent(walk: StepWalk, event: number): number {
  return walk.faults.findIndex(f => f.event === event);
}

/** STEP of `prefault run --explain STEP` as a step index of a scenario named `name` with `count`
 *  steps, or a message saying why it is not one. Pure. */
export function stepIndex(count: number, name: string, arg: string): { ok: true; step: number } | { ok: false; message: string } {
  const last = count - 1;
  if (!/^\d+$/.test(arg.trim())) return { ok: false, message: `--explain takes a step index as \`prefault run\` prints it (0..${last}), not "${arg}"` };
  const step = Number(arg.trim());
  if (step > last) return { ok: false, message: `--explain ${step}: ${name} has ${count} step${count === 1 ? "" : "s"}, 0..${last}` };
  return { ok: true, step };
}

/** The walk as lines of text: the title, then each fault (its title, its nodes indented two spaces
 *  per depth, "=> " its result), the other calls, the notes. What `prefault run --explain` prints;
 *  the browser shows the same nodes' text. */
export function explainLines(w: StepWalk): string[] {
  const out: string[] = [w.title];
  for (const f of w.faults) {
    out.push(f.title);
    for (const n of f.nodes) out.push(`  ${"  ".repeat(n.depth)}${n.text}`);
    out.push(`  => ${f.result}`);
  }
  if (w.other.length) {
    out.push(w.faults.length ? "other kernel calls of this step:" : "kernel calls of this step:");
    for (const n of w.other) out.push(`  ${"  ".repeat(n.depth)}${n.text}`);
  }
  for (const n of w.notes) out.push(n);
  return out;
}
