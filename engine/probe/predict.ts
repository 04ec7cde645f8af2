// engine/probe/predict.ts: what the model predicts `prefault probe` sees on a kernel of each era,
// for the browser's "On your machine" section. The same observation scenarios the probe's table
// runs (observations.ts), on a typical x86_64 kernel (4 [vvar] pages, TIME_NS, VDSO_GETRANDOM,
// no arch data, no system-mapping sealing), run on the era's stage; a lesson shows the rows that
// bear on it. Pure: the caller compiles the stages and runs the scenarios
// (cli/era-predictions.ts, at the web app's build).

import type { RunResult, Scenario } from "../types.js";
import { scenarioConfig } from "./compare.js";
import { observationDefs, type BuiltObservation, type Facts, type ProbeContext } from "./observations.js";
import { ERA_STAGE, type Era, type ProbeHeader } from "./record.js";

/** The eras a learner can pick, oldest first, with the words the picker shows. */
export const ERAS: { era: Era; label: string; detail: string }[] = [
  { era: "v6.18", label: "v6.18", detail: "VM_IO|VM_PFNMAP, vmf_insert_pfn(): Linux up to 6.18" },
  { era: "pre", label: "7.0–7.1", detail: "VM_IO|VM_MIXEDMAP, struct pages: 7.0 to 7.2-rc1, before the series" },
  { era: "merged", label: "series merged", detail: "no VM_IO: the series merged, 7.2 on" },
];

/** The kernel the predictions are for: what `prefault probe` reports on a typical x86_64 VM. */
export const TYPICAL_HEADER: ProbeHeader = {
  type: "header", format: 1, sysname: "Linux", release: "typical", machine: "x86_64",
  vvar_pages: 4, time_ns: true, vdso_getrandom: true, arch_data: false,
};
const CONTEXT: ProbeContext = { pages: TYPICAL_HEADER.vvar_pages, sealing: false };

/** One predicted row: the probe's observation id, its title, the model's facts. */
export interface Prediction { id: string; title: string; facts: Facts; note?: string }

/** Every era's predictions by observation id, as computed from the stages' runs. */
export type EraPredictions = Record<Era, Record<string, Prediction>>;

/** The observations the model can predict (those with a scenario), with their scenarios. */
export function predictionScenarios(): { def: BuiltObservation; scenario: Scenario }[] {
  const config = scenarioConfig(TYPICAL_HEADER);
  return observationDefs(CONTEXT).filter(d => d.steps !== null && !d.informational)
    .map(def => ({ def, scenario: { name: `predict ${def.id}`.slice(0, 64), config, steps: def.steps! } }));
}

/** The stage each era's predictions run on. */
export function eraStage(era: Era): string { return ERA_STAGE[era]; }

/** The predictions of one era from its stage's results (in predictionScenarios() order). A run
 *  that did not finish is an error: the model is expected to run every observation. */
export function predictionsOf(results: RunResult[]): Record<string, Prediction> {
  const todo = predictionScenarios();
  if (results.length !== todo.length) throw new Error(`predictions: ${results.length} results for ${todo.length} scenarios`);
  const out: Record<string, Prediction> = {};
  todo.forEach(({ def }, i) => {
    const r = results[i];
    if (r.status !== "ok") throw new Error(`predictions: ${def.id} did not run (${r.status}${r.oops ? `: ${r.oops.message}` : ""})`);
    out[def.id] = { id: def.id, title: def.title, facts: def.model(r), ...(def.note ? { note: def.note } : {}) };
  });
  return out;
}

/** The observations each lesson shows; every lesson starts with the one that tells the eras
 *  apart ([vvar]'s VmFlags). A lesson not listed shows DEFAULT_ROWS. */
export const LESSON_ROWS: Record<string, string[]> = {
  "01-first-fault": ["vdso.clock_gettime.CLOCK_MONOTONIC", "read.pgoff.0", "read.pgoff.1", "vfork_exec", "smaps.after_first_call"],
  "02-time-namespaces": ["timens.child_first_call", "timens.child_layout", "timens.child_pgoff1_first", "timens.setns_same", "timens.setns_other"],
  "03-map-by-pgoff": ["read.pgoff.0", "read.pgoff.1", "read.pgoff.2", "read.pgoff.3", "vdso.getrandom"],
  "04-no-holes": ["read.pgoff.1", "read.pgoff.3", "madvise.populate_read", "mlockall.current"],
  "05-remote-access": ["remote.proc_mem.populated", "remote.proc_mem.untouched", "remote.process_vm_readv.untouched", "remote.ptrace_peekdata.populated"],
  "06-mlockall": ["mlockall.current_future", "mlockall.current_onfault", "mlock", "timens.child_mlockall", "fork.parent_touched"],
};
export const DEFAULT_ROWS = ["vdso.clock_gettime.CLOCK_MONOTONIC", "mlockall.current_future"];
const ERA_ROW = "smaps.vm_flags";

/** The observation ids a lesson shows, the era-telling row first. */
export function lessonRows(lesson: string): string[] {
  return [ERA_ROW, ...(LESSON_ROWS[lesson] ?? DEFAULT_ROWS).filter(id => id !== ERA_ROW)];
}

/** A prediction's facts as one line: "first +1; next 1000 +0; present P---". */
export function factsLine(f: Facts): string { return f.map(([k, v]) => `${k} ${v}`).join("; "); }
