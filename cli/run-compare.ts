// cli/run-compare.ts: `prefault run SCENARIO --compare STAGE`: the scenario run with your
// datastore (--datastore, or --stage, default p6) and with stages/STAGE/, side by side, step by
// step. The diff is engine/compare.ts's (the browser's compare view draws the same record), the
// text engine/compare-text.ts's; --json prints the Comparison record.
//
// Exit codes, as diff(1): 0 the two behave the same, 1 they differ, 2 bad input (an unknown
// stage, listing the stages; a compile error), 3 an internal error.

import { escapeControls } from "../engine/report/escape.js";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compareRunSets } from "../engine/compare.js";
import { formatComparison } from "../engine/compare-text.js";
import { STAGES } from "../engine/compare-stages.js";
import type { RunResult, Scenario } from "../engine/types.js";
import { NodeCompiler } from "./node-compiler.js";
import { runScenarios } from "./node-runner.js";
import { PACKAGE_ROOT, stageDir } from "./node-paths.js";

/** The stages of the package: the folders of stages/ holding a datastore.ts, the catalogue's
 *  (engine/compare-stages.ts) in history order first, then any others by name. */
export function listStages(): string[] {
  let names: string[] = [];
  try { names = readdirSync(join(PACKAGE_ROOT, "stages")).filter(n => existsSync(join(stageDir(n), "datastore.ts"))); } catch { /* none */ }
  const known = STAGES.map(s => s.name).filter(n => names.includes(n));
  return [...known, ...names.filter(n => !known.includes(n)).sort()];
}

/** stages/<name>/datastore.ts, or the message of exit 2 naming every stage there is. */
export function resolveStage(name: string): { ok: true; main: string } | { ok: false; message: string } {
  const all = listStages();
  if (/^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith(".") && all.includes(name)) return { ok: true, main: join(stageDir(name), "datastore.ts") };
  return { ok: false, message: `no stage "${name}"; the stages are: ${all.join(", ") || "(none: the package has no stages/ folder)"}` };
}

export interface CompareInput {
  stage: string;
  /** the compiled datastore of "your" side and its label ("stage p6", "my/datastore.ts") */
  mine: { wasm: Uint8Array; sourceMap?: string; label: string };
  kernel: WebAssembly.Module;
  scenario: Scenario;
  readFiles(main: string): { ok: true; files: Record<string, string> } | { ok: false; message: string };
  json: boolean;
  deadlineMs: number;
  compileDeadlineMs: number;
  cache: boolean;
  out: (text: string) => void;
  err: (msg: string, code: number) => number;
  /** names the user's files in an oops (cli/commands/run.ts) */
  fixOops(r: RunResult): void;
}

/** Compiles the stage, runs the scenario on both sides and prints the comparison. */
export async function runCompare(c: CompareInput): Promise<number> {
  const st = resolveStage(c.stage);
  if (!st.ok) return c.err(st.message, 2);
  const files = c.readFiles(st.main);
  if (!files.ok) return c.err(files.message, 2);
  const compiler = new NodeCompiler();
  let compiled;
  try { compiled = await compiler.compile(files.files, { cache: c.cache, deadlineMs: c.compileDeadlineMs, file: `stages/${c.stage}/datastore.ts` }); }
  finally { await compiler.close(); }
  if (!compiled.ok) return c.err(`stage ${c.stage} did not compile: ${compiled.error.message}`, compiled.error.kind === "compile" || compiled.stopped ? 2 : 3);
  const runs: RunResult[] = [];
  for (const wasm of [c.mine, { wasm: compiled.wasm, sourceMap: compiled.sourceMap }]) {
    const out = await runScenarios(c.kernel, wasm.wasm, [c.scenario], { deadlineMs: c.deadlineMs, sourceMap: wasm.sourceMap });
    if (!Array.isArray(out)) return c.err(`${out.kind} error: ${out.message}`, out.kind === "link" ? 2 : 3);
    runs.push(out[0]);
  }
  c.fixOops(runs[0]);
  const cmp = compareRunSets({ left: c.mine.label, right: `stage ${c.stage}` }, [runs[0]], [runs[1]], [c.scenario]);
  c.out(c.json ? JSON.stringify(cmp, null, 2) + "\n" : formatComparison(cmp).map(l => escapeControls(l, true)).join("\n") + "\n");
  return cmp.same ? 0 : 1;
}
