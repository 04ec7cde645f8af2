// engine/probe/compare.ts: a probe record beside the model. Picks the model stage that matches
// the kernel's era (from [vvar]'s VmFlags), builds one scenario per observation, and, given the
// model's results, sets each observation's facts side by side. Pure: the caller runs the
// scenarios (cli/commands/probe.ts in Node).

import type { RunResult, Scenario, ScenarioConfig } from "../types.js";
import { contextOf, observationDefs, type BuiltObservation, type Facts } from "./observations.js";
import { ERA_STAGE, ERA_TITLE, eraOfVmFlags, type Era, type ProbeHeader, type ProbeRecord } from "./record.js";

export type RowStatus = "agree" | "differ" | "skipped" | "error" | "missing" | "info";

export interface ProbeRow {
  id: string;
  title: string;
  status: RowStatus;
  /** the kernel's facts and the model's, as "label value; ..." */
  kernel: string;
  model: string;
  kernel_facts: Facts;
  model_facts: Facts;
  /** why a row is skipped, an error, missing */
  reason?: string;
  /** how the model side is read */
  note?: string;
}

export interface ProbeReport {
  kernel: { release: string; machine: string; glibc: string | null; euid: number | null; cap_sys_admin: boolean | null };
  era: Era | null;
  era_title: string | null;
  stage: string;
  /** the stage was named by the user (--stage), not picked from the era */
  stage_forced: boolean;
  rows: ProbeRow[];
  summary: Record<RowStatus, number>;
  /** every observation the probe could make agrees with the model, and none is missing */
  ok: boolean;
  fault_cost_ns: number | null;
}

/** The era of a record ([vvar] VmFlags of the smaps.vm_flags observation), or null. */
export function eraOfRecord(rec: ProbeRecord): Era | null {
  const o = rec.observations.find(x => x.id === "smaps.vm_flags");
  return o && o.status === "ok" && typeof o.vm_flags === "string" ? eraOfVmFlags(o.vm_flags) : null;
}

/** The model configuration of the probed kernel. */
export function scenarioConfig(h: ProbeHeader): ScenarioConfig {
  const arch = h.arch_data === true;
  return {
    GENERIC_GETTIMEOFDAY: true,
    TIME_NS: h.time_ns !== false,
    VDSO_GETRANDOM: h.vdso_getrandom !== false,
    ARCH_HAS_VDSO_ARCH_DATA: arch,
    arch_data_pages: Math.min(8, Math.max(1, h.vvar_pages - 3)),
  };
}

/** The observations of a record, each with its scenario (null when the model runs nothing). */
export function probeScenarios(rec: ProbeRecord): { def: BuiltObservation; scenario: Scenario | null }[] {
  const ctx = contextOf(rec.header, rec.observations.find(o => o.id === "smaps.vm_flags"));
  const config = scenarioConfig(rec.header);
  return observationDefs(ctx).map(def => ({
    def,
    scenario: def.steps ? { name: `probe ${def.id}`.slice(0, 64), config, steps: def.steps } : null,
  }));
}

const show = (f: Facts) => f.map(([k, v]) => `${k} ${v}`).join("; ");

/** The side-by-side report. `results` holds the model's RunResult per observation id (a
 *  missing one: the model was not run for it). */
export function compareProbe(rec: ProbeRecord, stage: string, stageForced: boolean,
                             results: Map<string, RunResult>): ProbeReport {
  const era = eraOfRecord(rec);
  const rows: ProbeRow[] = [];
  const seen = new Set<string>();
  for (const { def } of probeScenarios(rec)) {
    seen.add(def.id);
    const o = rec.observations.find(x => x.id === def.id);
    const r = results.get(def.id);
    let model_facts: Facts = [];
    let modelError: string | undefined;
    if (def.steps === null) model_facts = def.model(undefined as unknown as RunResult);
    else if (!r) modelError = "the model was not run";
    else if (r.status !== "ok") modelError = `the model: ${r.status}${r.oops ? `: ${r.oops.message}` : ""}`;
    else model_facts = def.model(r);
    const base = { id: def.id, title: def.title, note: def.note, model_facts, model: modelError ?? show(model_facts) };
    if (!o) {
      rows.push({ ...base, status: "missing", kernel: "not reported", kernel_facts: [], reason: "the probe did not report this observation" });
      continue;
    }
    if (o.status !== "ok") {
      rows.push({ ...base, status: o.status, kernel: `${o.status}: ${o.reason ?? "no reason given"}`, kernel_facts: [], reason: o.reason });
      continue;
    }
    const kernel_facts = def.real(o);
    let status: RowStatus;
    if (def.informational) status = "info";
    else if (modelError) status = "error";
    else status = JSON.stringify(kernel_facts) === JSON.stringify(model_facts) ? "agree" : "differ";
    rows.push({ ...base, status, kernel: show(kernel_facts), kernel_facts, reason: modelError });
  }
  for (const o of rec.observations) {
    if (seen.has(o.id)) continue;
    rows.push({ id: o.id, title: "an observation this version of Prefault does not know", status: "info",
                kernel: o.status, model: "-", kernel_facts: [], model_facts: [] });
  }
  const summary: Record<RowStatus, number> = { agree: 0, differ: 0, skipped: 0, error: 0, missing: 0, info: 0 };
  for (const row of rows) summary[row.status]++;
  const cost = rec.observations.find(o => o.id === "cost.fault");
  const h = rec.header;
  return {
    kernel: { release: h.release, machine: h.machine, glibc: h.glibc ?? null, euid: h.euid ?? null, cap_sys_admin: h.cap_sys_admin ?? null },
    era, era_title: era ? ERA_TITLE[era] : null, stage, stage_forced: stageForced,
    rows, summary,
    ok: summary.differ === 0 && summary.error === 0 && summary.missing === 0 && rec.complete,
    fault_cost_ns: cost && cost.status === "ok" && typeof cost.fault_ns === "number" ? cost.fault_ns : null,
  };
}

/** The stage for a record: the one its era names, or null when the era is unknown. */
export function stageOfRecord(rec: ProbeRecord): string | null {
  const era = eraOfRecord(rec);
  return era ? ERA_STAGE[era] : null;
}

/** The widest a table cell gets before it wraps. */
const CELL_MAX = 48;

/** `text` in lines of at most `w` characters, broken after "; " where it can, else at a space,
 *  else anywhere. */
export function wrapCell(text: string, w: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > w) {
    let at = rest.lastIndexOf("; ", w - 1);
    if (at > 0) at += 1; else at = rest.lastIndexOf(" ", w);
    if (at <= 0) at = w;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  lines.push(rest);
  return lines;
}

const MARK: Record<RowStatus, string> = { agree: "agree", differ: "DIFFER", skipped: "skipped", error: "ERROR", missing: "MISSING", info: "info" };

/** The report as the table `prefault probe` prints. */
export function formatProbeReport(rep: ProbeReport): string[] {
  const k = rep.kernel;
  const out: string[] = [
    `kernel: Linux ${k.release}   architecture: ${k.machine}   glibc: ${k.glibc ?? "unknown"}`,
    `[vvar] era: ${rep.era_title ?? "unknown (no VmFlags)"}; model stage: ${rep.stage}${rep.stage_forced ? " (--stage)" : ""}`,
    "",
  ];
  const w0 = Math.max(11, ...rep.rows.map(r => r.id.length));
  const w1 = Math.min(CELL_MAX, Math.max(11, ...rep.rows.map(r => r.kernel.length)));
  const w2 = Math.min(CELL_MAX, Math.max(9, ...rep.rows.map(r => r.model.length)));
  out.push(`${"observation".padEnd(w0)}  ${"your kernel".padEnd(w1)}  ${"the model".padEnd(w2)}  agree?`);
  out.push(`${"-".repeat(w0)}  ${"-".repeat(w1)}  ${"-".repeat(w2)}  ------`);
  for (const r of rep.rows) {
    // a long cell goes on under its own column, so every column stays where its head is
    const k = wrapCell(r.kernel, w1), m = wrapCell(r.model, w2);
    for (let i = 0; i < Math.max(k.length, m.length); i++) {
      out.push(`${(i === 0 ? r.id : "").padEnd(w0)}  ${(k[i] ?? "").padEnd(w1)}  ${(m[i] ?? "").padEnd(w2)}  ${i === 0 ? MARK[r.status] : ""}`.trimEnd());
    }
  }
  const notes = rep.rows.filter(r => r.status === "differ" || r.status === "error" || r.status === "missing");
  if (notes.length) {
    out.push("", "where they differ:");
    for (const r of notes) out.push(`  ${r.id}: ${r.title}${r.reason ? ` (${r.reason})` : ""}${r.note ? `; ${r.note}` : ""}`);
  }
  const s = rep.summary;
  out.push("", `${s.agree} agree, ${s.differ} differ, ${s.skipped} skipped, ${s.error} errors, ${s.missing} missing, ${s.info} for information`);
  if (rep.fault_cost_ns !== null) {
    out.push(`one [vvar] fault costs about ${(rep.fault_cost_ns / 1000).toFixed(1)} µs here (the model's default: 20 µs, the series' test machine); ` +
             "`prefault probe --save-costs costs.json` saves it for `prefault run --costs costs.json`");
  }
  return out;
}
