// engine/scenario-gen-words.ts: a scenario step, and the kernel it runs on, in plain words, for
// the practice problems (engine/scenario-gen.ts): what `prefault quiz` prints and the browser's
// practice view shows above each prediction. Pure; no locale (the same text everywhere).

import type { ScenarioConfig, Step } from "./types.js";
import type { Variant } from "./lesson.js";
import { DEFAULT_CONFIG } from "./defaults.js";

/** The datastore slot a pgoff names (enum vdso_pages). */
export function slotWords(pgoff: number): string {
  if (pgoff === 0) return "VDSO_TIME_PAGE_OFFSET";
  if (pgoff === 1) return "VDSO_TIMENS_PAGE_OFFSET";
  if (pgoff === 2) return "VDSO_RNG_PAGE_OFFSET";
  return `arch page ${pgoff - 3}`;
}

const VIA: Record<string, string> = {
  proc_mem: "/proc/<pid>/mem", process_vm_readv: "process_vm_readv()", ptrace_peekdata: "ptrace(PTRACE_PEEKDATA)",
};
const VIA_WRITE: Record<string, string> = {
  proc_mem: "/proc/<pid>/mem", process_vm_readv: "process_vm_writev()", ptrace_peekdata: "ptrace(PTRACE_POKEDATA)",
};

const times = (n: number | undefined) => (n === undefined || n === 1 ? "once" : `${n} times in a row`);

/** One step in words: "app calls clock_gettime(CLOCK_MONOTONIC) 1000 times in a row". */
export function stepWords(s: Step): string {
  switch (s.op) {
    case "spawn": return `A new process ${s.task} starts (in the root time namespace).`;
    case "thread": return `${s.task} starts a thread${s.thread ? ` ${s.thread}` : ""}.`;
    case "unshare_timens": {
      const off = [s.monotonic_offset_s ? `CLOCK_MONOTONIC +${s.monotonic_offset_s} s` : "", s.boottime_offset_s ? `CLOCK_BOOTTIME +${s.boottime_offset_s} s` : ""].filter(Boolean);
      return `${s.task} unshares a new time namespace ${s.ns}${off.length ? ` (${off.join(", ")})` : ""} for the children it forks from now on; ${s.task} itself stays where it is.`;
    }
    case "setns": return s.ns === "root" ? `${s.task} joins the root time namespace with setns().` : `${s.task} joins time namespace ${s.ns} with setns().`;
    case "fork": return `${s.task} forks a child, ${s.child}.`;
    case "vfork_exec": return `${s.task} starts ${s.child} with vfork() and execve().`;
    case "exec": return `${s.task} calls execve(): a new mm, with a new [vvar].`;
    case "mlockall": return `${s.task} calls mlockall(${s.flags.length ? s.flags.join(" | ") : "0"}).`;
    case "munlockall": return `${s.task} calls munlockall().`;
    case "mlock": return `${s.task} calls mlock() on [vvar] pgoff ${s.pgoff}${s.pages > 1 ? ` .. ${s.pgoff + s.pages - 1}` : ""}.`;
    case "madvise_populate_read": return `${s.task} calls madvise(MADV_POPULATE_READ) on [vvar] pgoff ${s.pgoff}${s.pages > 1 ? ` .. ${s.pgoff + s.pages - 1}` : ""}.`;
    case "clock_gettime": return `${s.task} calls clock_gettime(${s.clock}) through the vDSO ${times(s.repeat)}.`;
    case "getrandom": return `${s.task} calls getrandom() through the vDSO ${times(s.repeat)}.`;
    case "read": return `${s.task} reads [vvar] pgoff ${s.pgoff} (${slotWords(s.pgoff)}) directly.`;
    case "remote_read": return `${s.task} reads pgoff ${s.pgoff} (${slotWords(s.pgoff)}) of ${s.target}'s [vvar] through ${VIA[s.via]}.`;
    case "remote_write": return `${s.task} writes pgoff ${s.pgoff} (${slotWords(s.pgoff)}) of ${s.target}'s [vvar] through ${VIA_WRITE[s.via]}.`;
    case "tick": return `The timekeeping tick runs (${s.ns} ns pass).`;
    case "smaps": return `${s.task} reads its /proc/self/smaps.`;
  }
}

/** The kernel the scenario runs on, and how [vvar] is installed, as sentences. */
export function configWords(c: ScenarioConfig, variant?: Variant): string[] {
  const y = (o: keyof typeof DEFAULT_CONFIG) => (c[o] ?? DEFAULT_CONFIG[o]) ? "y" : "n";
  const arch = c.ARCH_HAS_VDSO_ARCH_DATA ?? DEFAULT_CONFIG.ARCH_HAS_VDSO_ARCH_DATA;
  const pages = c.arch_data_pages ?? DEFAULT_CONFIG.arch_data_pages;
  const out = [
    `Kernel: CONFIG_GENERIC_GETTIMEOFDAY=${y("GENERIC_GETTIMEOFDAY")}, CONFIG_TIME_NS=${y("TIME_NS")}, ` +
    `CONFIG_VDSO_GETRANDOM=${y("VDSO_GETRANDOM")}, CONFIG_ARCH_HAS_VDSO_ARCH_DATA=${y("ARCH_HAS_VDSO_ARCH_DATA")}` +
    `; [vvar] has ${3 + pages} pages (pgoff 0 .. ${2 + pages}${arch ? `, arch data at 3 .. ${2 + pages}` : ""}).`,
  ];
  out.push(variant ? `[vvar] is installed the lesson's other way: ${variant.description}` : "[vvar] is installed by the datastore's vdso_install_vvar_mapping().");
  return out;
}
