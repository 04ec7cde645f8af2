// engine/probe/record.ts: what the probe (probe/*.c) prints, as data: a header line, one line per
// observation, an end line, each a JSON object. Pure: text in, a ProbeRecord or an error out.

/** The probe's first line: the system it ran on. */
export interface ProbeHeader {
  type: "header";
  format: number;
  sysname: string;
  release: string;
  version?: string;
  machine: string;
  libc?: string;
  glibc?: string;
  euid?: number;
  cap_sys_admin?: boolean;
  page_size?: number;
  vvar_pages: number;
  vdso_symbols?: string[];
  /** /proc/self/ns/time exists (CONFIG_TIME_NS) */
  time_ns?: boolean;
  /** the vDSO exports getrandom (CONFIG_VDSO_GETRANDOM) */
  vdso_getrandom?: boolean;
  /** the architecture has vDSO arch data pages (CONFIG_ARCH_HAS_VDSO_ARCH_DATA) */
  arch_data?: boolean;
}

/** One observation: `status` "ok" with its fields, "skipped" or "error" with the reason. */
export interface ProbeObservation {
  type: "observation";
  id: string;
  status: "ok" | "skipped" | "error";
  reason?: string;
  [field: string]: unknown;
}

export interface ProbeRecord {
  header: ProbeHeader;
  observations: ProbeObservation[];
  /** the end line was there (the probe ran to completion) */
  complete: boolean;
}

export type ParseResult = { ok: true; record: ProbeRecord } | { ok: false; message: string };

/** Parses the probe's output (JSON lines). A line that is not JSON, a missing or second header,
 *  or an observation without id/status is an error naming the line. */
export function parseProbeOutput(text: string): ParseResult {
  let header: ProbeHeader | undefined;
  const observations: ProbeObservation[] = [];
  let complete = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let v: unknown;
    try { v = JSON.parse(line); } catch { return { ok: false, message: `line ${i + 1}: not JSON: ${line.slice(0, 80)}` }; }
    if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, message: `line ${i + 1}: not a JSON object` };
    const o = v as Record<string, unknown>;
    if (o.type === "header") {
      if (header) return { ok: false, message: `line ${i + 1}: a second header` };
      if (typeof o.release !== "string" || typeof o.machine !== "string" || typeof o.vvar_pages !== "number") {
        return { ok: false, message: `line ${i + 1}: the header needs release, machine and vvar_pages` };
      }
      header = o as unknown as ProbeHeader;
    } else if (o.type === "observation") {
      if (!header) return { ok: false, message: `line ${i + 1}: an observation before the header` };
      if (typeof o.id !== "string" || !["ok", "skipped", "error"].includes(o.status as string)) {
        return { ok: false, message: `line ${i + 1}: an observation needs an id and a status (ok, skipped, error)` };
      }
      observations.push(o as ProbeObservation);
    } else if (o.type === "end") {
      complete = true;
    } else {
      return { ok: false, message: `line ${i + 1}: unknown line type ${JSON.stringify(o.type)}` };
    }
  }
  if (!header) return { ok: false, message: "no header line: this is not the probe's output" };
  return { ok: true, record: { header, observations, complete } };
}

/** The kernel era the VmFlags of [vvar] name: "pf io" the VM_PFNMAP era (<= v6.18), "io" without
 *  "pf" v7.0/v7.1 and v7.2-rc before the series, no "io" the series merged (v7.2 on). */
export type Era = "v6.18" | "pre" | "merged";

/** The era of a VmFlags line, or null when the line names no [vvar] we know. */
export function eraOfVmFlags(flags: string): Era | null {
  const f = new Set(flags.trim().split(/\s+/));
  if (!f.has("rd")) return null;
  if (f.has("io")) return f.has("pf") ? "v6.18" : "pre";
  return "merged";
}

/** The model stage that reproduces an era: stages/v6.18, stages/pre, stages/p6. */
export const ERA_STAGE: Record<Era, string> = { "v6.18": "v6.18", pre: "pre", merged: "p6" };

/** Words for an era, for the table's head. */
export const ERA_TITLE: Record<Era, string> = {
  "v6.18": "VM_IO|VM_PFNMAP, vmf_insert_pfn() (Linux up to v6.18)",
  pre: "VM_IO|VM_MIXEDMAP, struct pages (v7.0 to v7.2-rc1, before the series)",
  merged: "no VM_IO: the series merged (v7.2 on)",
};
