// tests/model/helpers.ts: compile datastores with the real asc and run scenarios on the real
// kernel build (build/kernel.debug.wasm: asserts on), in this process.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { pageProblems, runScenario } from "../../engine/machine.js";
import type { RunResult, Scenario } from "../../engine/types.js";

export const ROOT = new URL("../../../", import.meta.url).pathname;

let kernel: WebAssembly.Module | undefined;
/** The kernel model, debug build (built by `npm run build:kernel`). */
export function kernelModule(): WebAssembly.Module {
  kernel ??= new WebAssembly.Module(readFileSync(join(ROOT, "build", "kernel.debug.wasm")));
  return kernel;
}

export interface Learner { module: WebAssembly.Module; sourceMap?: string }

/** Compiles datastore.ts source `src`; fails the test with the diagnostics if it does not compile. */
export async function compile(src: string): Promise<Learner> {
  const r = await compileDatastore(asc as unknown as AscModule, { "datastore.ts": src });
  if (!r.ok) throw new Error(`datastore does not compile: ${r.error.message}`);
  return { module: new WebAssembly.Module(r.wasm as Uint8Array<ArrayBuffer>), sourceMap: r.sourceMap };
}

/** The reference datastore of stage `name` (stages/<name>/datastore.ts). */
export function stageSource(name: string): string {
  return readFileSync(join(ROOT, "stages", name, "datastore.ts"), "utf8");
}

/** Runs `scenario`, then checks the kernel's page accounting (engine/machine.ts pageProblems):
 *  a run that logged no WARN and no BUG must leave every page's refcount equal to its
 *  mappings plus the kernel's own reference. Throws, naming the pages, when one leaks. */
export function run(l: Learner, scenario: Scenario): RunResult {
  let problems: string[] = [];
  const r = runScenario(kernelModule(), l.module, scenario, { sourceMap: l.sourceMap, afterRun: k => { problems = pageProblems(k); } });
  const splats = Object.values(r.tasks).reduce((n, t) => n + t.counters.warns + t.counters.bugs, 0);
  // a leak Linux makes silently too is allowed when the model said so in dmesg ("prefault: ...")
  const noted = r.dmesg.some(l => /(^|\] )prefault: /.test(l));
  if (splats === 0 && r.status === "ok" && problems.length > 0 && !noted) {
    throw new Error(`scenario ${scenario.name}: page refcounts leaked without a WARN or BUG:\n  ${problems.join("\n  ")}`);
  }
  return r;
}

/** stages/<stage>/datastore.ts with `from` replaced by `to` (must occur). */
export function variant(stage: string, edits: [from: string, to: string][]): string {
  let s = stageSource(stage);
  for (const [from, to] of edits) {
    if (!s.includes(from)) throw new Error(`variant of ${stage}: "${from}" not found`);
    s = s.replace(from, to);
  }
  return s;
}

/** A readable summary of the failed steps of r, for assertion messages. */
export function failures(r: RunResult): string {
  const bad = r.steps.filter(s => s.ran && !s.ok).map(s => `#${s.index} ${s.op}: ${s.failures.join("; ")}`);
  return `${r.scenario} (${r.status}${r.oops ? `: ${r.oops.message}` : ""}) ${bad.join(" | ")}`;
}
