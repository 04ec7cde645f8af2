// cli/commands/run.ts: `prefault run`, one scenario against one datastore, with a readable trace.
//
//   prefault run <scenario.json> [--stage <name> | --datastore <file.ts>] [--compare <stage> | --explain <step>] [--json] [--deadline-ms <ms>]
//
// --compare STAGE runs the scenario on both sides and prints them side by side
// (cli/run-compare.ts); its exit code is diff's: 0 the same, 1 they differ.
// --explain STEP walks the faults of one step down the kernel's call chain (cli/run-explain.ts).
//
// Exit 0 when every expectation held; 1 when one did not, or the handler trapped or hung; 2 for
// bad input (unreadable or invalid scenario, with the JSON path; compile errors, as
// file:line:col and asc's message; a compiler crash or a compile past --compile-deadline-ms, naming
// the file; an unknown stage; no kernel build); 3 for an internal error.

import { escapeControls } from "../../engine/report/escape.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { formatDiagnostic } from "../../engine/compile.js";
import { validateScenario } from "../../engine/validate.js";
import { formatRunResult } from "../../engine/runner-trace.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { resolveStage, runCompare } from "../run-compare.js";
import { stepIndex } from "../../engine/explain.js";
import { explainOutput } from "../run-explain.js";
import { runScenarios, warmSharedRunner } from "../node-runner.js";
import { readCostsFile } from "../costs-file.js";
import { withCosts } from "../../engine/costs.js";
import { loadKernelAsync, stageDir, PACKAGE_ROOT } from "../node-paths.js";
import { intOption, parseCommandArgs, type OptionsSpec } from "../args.js";
import { DEFAULT_COMPILE_DEADLINE_MS, NodeCompiler } from "../node-compiler.js";
import { MIN_DEADLINE_MS, SCENARIO_DEADLINE_MS } from "../../engine/limits.js";
import { readDatastoreFiles as readDatastore } from "../submission-reader.js";

const USAGE = "prefault run <scenario.json> [--stage <name> | --datastore <file.ts>] [--compare <stage> | --explain <step>] [--json] [--costs <file>] [--deadline-ms <ms>] [--compile-deadline-ms <ms>] [--no-cache]\n\n" +
  "  <scenario.json>      a scenario file; scenarios/... and lessons/<id>/scenarios/... are found in the package\n" +
  "                       when the current folder has no such file\n" +
  "  --stage <name>       run the datastore of stages/<name>/ (pre, p1 .. p6; default p6)\n" +
  "  --datastore <file>   run your own datastore.ts (files it imports as \"./x\" are read from its folder)\n" +
  "  --compare <stage>    run it with stages/<stage>/ too (pre, p1 .. p6, v6.18) and show both side by side, step by step;\n" +
  "                       exit 0 when they behave the same, 1 when they differ\n" +
  "  --explain <step>     step through the faults of step <step> (its index as the trace prints it): the call\n" +
  "                       chain each took in the kernel, your vvar_fault()'s kernel calls with their lines, the result\n" +
  "  --json               print the RunResult as JSON instead of the trace (with --compare: the comparison record;\n" +
  "                       with --explain: the walk)\n" +
  "  --costs <file>       simulated costs from a costs file (`prefault probe --save-costs`), over the scenario's own\n" +
  `  --deadline-ms <ms>   stop a handler that has not returned after this much CPU time (default ${SCENARIO_DEADLINE_MS}, at least\n` +
  `                       ${MIN_DEADLINE_MS}; the handler's own budget, a soft lockup, comes first); --deadline is the same option\n` +
  `  --compile-deadline-ms <ms>  stop a compile that has not finished after this much CPU time (default ${DEFAULT_COMPILE_DEADLINE_MS},\n` +
  `                       at least ${MIN_DEADLINE_MS}); --compile-deadline is the same option\n` +
  "  --no-cache           compile even when this exact datastore was compiled before (.cache/compile/)";

interface Args { scenario: string; stage?: string; datastore?: string; compare?: string; costs?: string; explain?: string; json: boolean; deadlineMs: number; compileDeadlineMs: number; cache: boolean }

const OPTIONS = {
  stage: { type: "string" }, datastore: { type: "string" }, compare: { type: "string" }, costs: { type: "string" }, explain: { type: "string" }, json: { type: "boolean" }, "no-cache": { type: "boolean" },
  // the same names as grade and grade-all; the short spellings are aliases
  "deadline-ms": { type: "string", aliases: ["deadline"] }, "compile-deadline-ms": { type: "string", aliases: ["compile-deadline"] },
} as const satisfies OptionsSpec;

/** The scenario file `given` names: itself when it exists; else, for a relative path into the
 *  package's own scenarios (scenarios/..., lessons/ID/scenarios/...), that file of the installed
 *  package, so the commands of the README and of a lesson's text work from any folder (with the
 *  package in node_modules, `scenarios/01-first-fault.json` is not in the cwd). */
export function scenarioPath(given: string): string {
  if (existsSync(given) || isAbsolute(given)) return given;
  const rel = normalize(given).split(sep).join("/");
  if (!/^(scenarios\/|lessons\/[^/]+\/scenarios\/)[^]*\.json$/.test(rel) || rel.split("/").includes("..")) return given;
  const inPackage = join(PACKAGE_ROOT, rel);
  return existsSync(inPackage) ? inPackage : given;
}

// argv -> Args, or a usage message
function parseArgs(argv: string[]): Args | string {
  const p = parseCommandArgs(argv, OPTIONS, 1);
  if (!p.ok) return p.message;
  const v = p.values;
  const deadline = intOption("deadline-ms", v["deadline-ms"], MIN_DEADLINE_MS);
  const compile = intOption("compile-deadline-ms", v["compile-deadline-ms"], MIN_DEADLINE_MS);
  if (!deadline.ok) return deadline.message;
  if (!compile.ok) return compile.message;
  const scenario = p.positionals[0];
  if (scenario === undefined) return "no scenario file given";
  if (v.stage !== undefined && v.datastore !== undefined) return "give --stage or --datastore, not both";
  return { scenario, stage: v.stage, datastore: v.datastore, compare: v.compare, costs: v.costs, explain: v.explain, json: v.json === true, deadlineMs: deadline.value ?? SCENARIO_DEADLINE_MS,
           compileDeadlineMs: compile.value ?? DEFAULT_COMPILE_DEADLINE_MS, cache: v["no-cache"] !== true };
}

/** The learner files for `main` (a datastore.ts path): it, as datastore.ts, plus every "./x" it
 *  imports that exists next to it, read by the one submission reader (cli/submission-reader.ts
 *  readDatastoreFiles). Returns the files or the refusal's message. */
export function readDatastoreFiles(main: string): { ok: true; files: Record<string, string> } | { ok: false; message: string } {
  const r = readDatastore(main);
  return r.ok ? r : { ok: false, message: r.error.message };
}

function readScenario(path: string): { ok: true; scenario: Scenario } | { ok: false; message: string } {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) { return { ok: false, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }; }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, message: `${path}: not valid JSON: ${(e as Error).message}` }; }
  const v = validateScenario(json);
  return v.ok ? { ok: true, scenario: v.scenario } : { ok: false, message: `${path}: ${v.error.message}` };
}

export const command = {
  name: "run",
  summary: "run a scenario against a datastore and print what happened, step by step (--compare STAGE: beside a Linux stage; --explain STEP: its faults' call chain)",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    // learner text (abort messages, string literals in compiler messages) reaches a terminal:
    // its control characters are escaped (engine/report/escape.ts)
    const err = (msg: string, code: number) => { process.stderr.write(`prefault run: ${escapeControls(msg)}\n`); return code; };
    const args = parseArgs(argv);
    if (typeof args === "string") return err(`${args}\n\nusage: ${USAGE}`, 2);

    args.scenario = scenarioPath(args.scenario);
    const sc = readScenario(args.scenario);
    if (!sc.ok) return err(sc.message, 2);
    if (args.compare !== undefined && args.explain !== undefined) return err("--compare and --explain cannot be combined: pick one", 2);
    if (args.compare !== undefined) { const st = resolveStage(args.compare); if (!st.ok) return err(st.message, 2); }
    // a bad STEP is bad input, said before anything is compiled
    const explain = args.explain === undefined ? undefined : stepIndex(sc.scenario.steps.length, sc.scenario.name, args.explain);
    if (explain && !explain.ok) return err(explain.message, 2);
    if (args.costs !== undefined) {
      const c = readCostsFile(args.costs);
      if (!c.ok) return err(c.message, 2);
      sc.scenario = withCosts(sc.scenario, c.costs);
    }

    let mainPath: string, label: string;
    if (args.datastore !== undefined) {
      mainPath = resolve(args.datastore); label = args.datastore;
    } else {
      const stage = args.stage ?? "p6";
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(stage) || !existsSync(join(stageDir(stage), "datastore.ts"))) {
        return err(`no stage "${stage}" (stages are the folders of ${join(PACKAGE_ROOT, "stages")} holding a datastore.ts)`, 2);
      }
      mainPath = join(stageDir(stage), "datastore.ts"); label = `stage ${stage}`;
    }
    // the one submission reader (cli/submission-reader.ts): no link followed, no FIFO or device
    // read, the byte cap, UTF-8 checked, as `prefault grade` reads a submission
    const learner = readDatastoreFiles(args.datastore !== undefined ? args.datastore : mainPath);
    if (!learner.ok) return err(learner.message, 2);
    const extraFiles = Object.keys(learner.files).filter(f => f !== "datastore.ts").sort();
    if (extraFiles.length && args.datastore !== undefined) {
      process.stderr.write(escapeControls(`prefault run: note: ${extraFiles.join(", ")} ${extraFiles.length === 1 ? "is" : "are"} read from ` +
        `the datastore's folder for this run; \`prefault grade\` takes a lesson's own files only (datastore.ts), so move that code into it before handing in`) + "\n");
    }

    // the input is good: start the kernel compile and the runner worker while asc loads
    const kernelP = loadKernelAsync();
    warmSharedRunner();
    const shown = (f: string) => f === "datastore.ts" ? relative(process.cwd(), mainPath) || f
      : Object.hasOwn(learner.files, f) ? relative(process.cwd(), join(dirname(mainPath), f)) : f;
    // asc runs in a worker (cli/node-compiler.ts), only on a miss of the disk cache, and after
    // the input checks (bad input fails fast): a crash of asc (process.exit) or a compile that
    // never ends is an error message here, not a dead command
    const compiler = new NodeCompiler();
    let compiled;
    try {
      compiled = await compiler.compile(learner.files, { cache: args.cache, deadlineMs: args.compileDeadlineMs, file: shown("datastore.ts") });
    } finally { await compiler.close(); }
    if (!compiled.ok && compiled.stopped) return err(compiled.error.message, 2);
    if (!compiled.ok) {
      if (compiled.error.kind !== "compile") return err(compiled.error.message, 3);
      const lines = compiled.error.diagnostics.filter(d => d.severity === "error")
        .map(d => formatDiagnostic({ ...d, file: d.file ? shown(d.file) : d.file }));
      return err(`compile errors in ${label}:\n${lines.length ? lines.join("\n") : compiled.error.message}`, 2);
    }
    for (const d of compiled.diagnostics) {
      if (d.severity === "warning" && Object.hasOwn(learner.files, d.file)) {
        process.stderr.write(escapeControls(formatDiagnostic({ ...d, file: shown(d.file) })) + "\n");
      }
    }
    const kernel = await kernelP;
    if (!kernel.ok) return err(kernel.message, 2);

    const fixOops = (result: RunResult) => {
      if (result.oops?.file && Object.hasOwn(learner.files, result.oops.file)) {
        // name the file the user gave, not the name the engine compiled it under
        const f = result.oops.file === "datastore.ts" ? mainPath : join(dirname(mainPath), result.oops.file);
        result.oops.file = relative(process.cwd(), f) || result.oops.file;
      }
    };
    if (args.compare !== undefined) {
      return runCompare({ stage: args.compare, mine: { wasm: compiled.wasm, sourceMap: compiled.sourceMap, label }, kernel: kernel.module,
        scenario: sc.scenario, readFiles: readDatastoreFiles, json: args.json, deadlineMs: args.deadlineMs, compileDeadlineMs: args.compileDeadlineMs,
        cache: args.cache, out: t => process.stdout.write(t), err, fixOops });
    }
    const out = await runScenarios(kernel.module, compiled.wasm, [sc.scenario],
      { deadlineMs: args.deadlineMs, sourceMap: compiled.sourceMap, callSites: true });
    if (!Array.isArray(out)) return err(`${out.kind} error: ${out.message}`, out.kind === "link" ? 2 : 3);
    const result = out[0];
    fixOops(result);
    if (explain?.ok) {
      if (!args.json) process.stdout.write(`scenario ${result.scenario} (${relative(process.cwd(), resolve(args.scenario))}), datastore: ${label}\n`);
      process.stdout.write(explainOutput(result, sc.scenario, explain.step, args.json));      // JSON exact, text escaped
    } else if (args.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    } else {
      process.stdout.write(`scenario ${result.scenario} (${relative(process.cwd(), resolve(args.scenario))}), datastore: ${label}\n`);
      process.stdout.write(formatRunResult(result, sc.scenario).map(l => escapeControls(l, true)).join("\n") + "\n");
    }
    return result.ok ? 0 : 1;
  },
};
