// cli/commands/probe.ts: `prefault probe`, the running Linux kernel beside the model.
//
//   prefault probe [--json] [--save-costs FILE] [--samples N] [--stage NAME] [--from FILE] [--raw]
//
// Builds probe/*.c with the system C compiler (cli/probe-build.ts), runs it (each observation in
// a fresh process), picks the model stage of the kernel's era from [vvar]'s VmFlags, runs the same
// observations as scenarios on that stage, and prints one table: observation, your kernel, the
// model, agree or not. Exit 0 when every observation the probe could make agrees; 1 when one
// differs (or the probe stopped early); 2 for bad usage, or a system the probe cannot observe (not
// Linux, no C compiler, an architecture without a vDSO table, no [vvar]); 3 for an internal error.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { compareProbe, formatProbeReport, probeScenarios, stageOfRecord } from "../../engine/probe/compare.js";
import { parseProbeOutput, type ProbeRecord } from "../../engine/probe/record.js";
import type { Costs, RunResult } from "../../engine/types.js";
import { buildProbe, runProbe } from "../probe-build.js";
import { loadKernelAsync, stageDir } from "../node-paths.js";
import { NodeCompiler } from "../node-compiler.js";
import { runScenarios } from "../node-runner.js";
import { readDatastoreFiles } from "./run.js";
import { existsSync } from "node:fs";

const USAGE = "prefault probe [--json] [--save-costs FILE] [--samples N] [--stage NAME] [--from FILE] [--raw]\n\n" +
  "  --json             print the whole record (kernel, probe output, model, every row) as JSON\n" +
  "  --save-costs FILE  write the measured fault cost as a scenario costs file (for `prefault run --costs FILE`)\n" +
  "  --samples N        fresh processes that time the fault cost (default 100, 0 to skip; at most 3 s)\n" +
  "  --stage NAME       compare with stages/NAME instead of the stage of the kernel's era (v6.18, pre, p6)\n" +
  "  --from FILE        compare a saved probe output (from --raw) instead of probing this machine\n" +
  "  --raw              print the probe's own output (JSON lines) and stop";

interface Args { json: boolean; saveCosts?: string; samples: number; stage?: string; from?: string; raw: boolean }

// argv -> Args, or a usage message
function parse(argv: string[]): Args | string {
  let v;
  try {
    v = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        json: { type: "boolean" }, raw: { type: "boolean" }, "save-costs": { type: "string" },
        samples: { type: "string" }, stage: { type: "string" }, from: { type: "string" },
      },
    }).values;
  } catch (e) { return (e as Error).message; }
  let samples = 100;
  if (v.samples !== undefined) {
    samples = Number(v.samples);
    if (!/^\d+$/.test(v.samples) || samples > 10000) return "--samples needs a whole number from 0 to 10000";
  }
  if (v.stage !== undefined && !/^[A-Za-z0-9_.-]+$/.test(v.stage)) return `bad stage name "${v.stage}"`;
  if (v.raw && (v.json || v.from !== undefined || v["save-costs"] !== undefined)) return "--raw prints the probe's output alone: no --json, --from or --save-costs with it";
  return { json: v.json === true, raw: v.raw === true, saveCosts: v["save-costs"], samples, stage: v.stage, from: v.from };
}

/** The costs file `--save-costs` writes: the scenario "costs" object. */
export function costsFile(faultNs: number): Costs { return { fault_exception_ns: Math.round(faultNs) }; }

// writes text to path atomically (a temporary file in the same folder, then rename)
function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${process.pid}.prefault-costs.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

// the probe's output, from --from or by building and running it
function probeOutput(args: Args): { ok: true; text: string } | { ok: false; code: number; message: string } {
  if (args.from !== undefined) {
    try { return { ok: true, text: readFileSync(args.from, "utf8") }; } catch (e) {
      return { ok: false, code: 2, message: `cannot read ${args.from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }
  const b = buildProbe();
  if (!b.ok) return { ok: false, code: 2, message: b.message };
  const r = runProbe(b.path, args.samples);
  return r.ok ? { ok: true, text: r.stdout } : { ok: false, code: r.code, message: r.message };
}

/** Runs every observation's scenario on `stage`; results by observation id, or an error. */
export async function runModel(rec: ProbeRecord, stage: string): Promise<{ ok: true; results: Map<string, RunResult> } | { ok: false; code: number; message: string }> {
  const main = join(stageDir(stage), "datastore.ts");
  if (!existsSync(main)) return { ok: false, code: 2, message: `no stage "${stage}" (a folder of stages/ holding a datastore.ts)` };
  const files = readDatastoreFiles(main);
  if (!files.ok) return { ok: false, code: 2, message: files.message };
  const kernelP = loadKernelAsync();
  const compiler = new NodeCompiler();
  let compiled;
  try { compiled = await compiler.compile(files.files, { cache: true, file: `stages/${stage}/datastore.ts` }); } finally { await compiler.close(); }
  if (!compiled.ok) return { ok: false, code: 3, message: `stage ${stage} does not compile: ${compiled.error.message}` };
  const kernel = await kernelP;
  if (!kernel.ok) return { ok: false, code: 2, message: kernel.message };
  const todo = probeScenarios(rec).filter(x => x.scenario !== null);
  const out = await runScenarios(kernel.module, compiled.wasm, todo.map(x => x.scenario!), { deadlineMs: 5000, sourceMap: compiled.sourceMap });
  if (!Array.isArray(out)) return { ok: false, code: 3, message: `${out.kind} error: ${out.message}` };
  const results = new Map<string, RunResult>();
  todo.forEach((x, i) => results.set(x.def.id, out[i]));
  return { ok: true, results };
}

export const command = {
  name: "probe",
  summary: "measure how the running Linux treats [vvar] and set the model beside it",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const err = (msg: string, code: number) => { process.stderr.write(`prefault probe: ${msg}\n`); return code; };
    const args = parse(argv);
    if (typeof args === "string") return err(`${args}\n\nusage: ${USAGE}`, 2);

    const got = probeOutput(args);
    if (!got.ok) return err(got.message, got.code);
    if (args.raw) { process.stdout.write(got.text); return 0; }
    const parsed = parseProbeOutput(got.text);
    if (!parsed.ok) return err(`${args.from ?? "the probe's output"}: ${parsed.message}`, args.from !== undefined ? 2 : 3);
    const rec = parsed.record;

    const picked = stageOfRecord(rec);
    const stage = args.stage ?? picked;
    if (stage === null) return err("the probe saw no [vvar] VmFlags, so it cannot tell the kernel's era: name a stage with --stage", 2);

    if (args.saveCosts !== undefined) {
      const cost = rec.observations.find(o => o.id === "cost.fault");
      if (!cost || cost.status !== "ok" || typeof cost.fault_ns !== "number") {
        return err(`no fault cost to save (${cost?.reason ?? "the probe did not measure it"})`, 2);
      }
      const path = resolve(args.saveCosts);
      try { writeAtomic(path, JSON.stringify(costsFile(cost.fault_ns), null, 2) + "\n"); } catch (e) {
        return err(`cannot write ${args.saveCosts}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
      }
    }

    const model = await runModel(rec, stage);
    if (!model.ok) return err(model.message, model.code);
    const report = compareProbe(rec, stage, args.stage !== undefined, model.results);
    if (args.json) process.stdout.write(JSON.stringify({ ...report, probe: rec }, null, 2) + "\n");
    else process.stdout.write(formatProbeReport(report).join("\n") + "\n");
    if (args.saveCosts !== undefined && !args.json) {
      process.stderr.write(`prefault probe: wrote ${args.saveCosts} (fault_exception_ns ${costsFile(report.fault_cost_ns ?? 0).fault_exception_ns})\n`);
    }
    return report.ok ? 0 : 1;
  },
};
