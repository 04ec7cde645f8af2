// `prefault run --explain STEP`: the real bin in a child process, real kernel and asc. The walk it
// prints is engine/explain.ts's, line for line, for the same run made in this process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explainLines, explainStep } from "../../engine/explain.js";
import type { Scenario } from "../../engine/types.js";
import { compile, run, stageSource } from "../model/helpers.js";

/** the learner's line of each kernel call, as `prefault run` and the browser ask for */
const SITES = { callSites: true };
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");
const SCENARIOS = join(ROOT, "scenarios");

interface Out { code: number | null; stdout: string; stderr: string }
function prefault(args: string[]): Promise<Out> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}

test("run --explain 1 prints the engine's walk of step 1, line for line", async () => {
  const path = join(SCENARIOS, "01-first-fault.json");
  const r = await prefault(["run", path, "--explain", "1"]);
  assert.equal(r.code, 0, r.stderr);
  const [header, ...lines] = r.stdout.trimEnd().split("\n");
  assert.match(header, /^scenario first-fault \(scenarios\/01-first-fault\.json\), datastore: stage p6$/);
  const sc = JSON.parse(readFileSync(path, "utf8")) as Scenario;
  const mine = run(await compile(stageSource("p6")), sc, SITES);
  assert.deepEqual(lines, explainLines(explainStep(mine, 1, sc)));
  assert.match(r.stdout, /^ +vvar_fault\(sm, vma, vmf\) \[vmf->pgoff=0, .*\] = 0 {3}<- your handler$/m);
  assert.match(r.stdout, /^ +get_page\(page=page pfn \d+\) {3}<- datastore\.ts:\d+$/m);
  assert.match(r.stdout, /^ {2}=> \[vvar\] pgoff 0 \(time data\) maps time data$/m);
  // the fault's cost in µs, as the browser's panel and the rest of the UI write it
  assert.match(r.stdout, /^fault 1 of 1: app, \[vvar\] pgoff 0 \(time data\), a user page fault, 20 µs$/m);
  assert.doesNotMatch(r.stdout, /\d us\b/);
});

test("run --explain works with --stage, --datastore and --json", async () => {
  const pre = await prefault(["run", join(SCENARIOS, "02-mlockall.json"), "--stage", "pre", "--explain", "1"]);
  assert.equal(pre.code, 1, pre.stderr);          // the scenario's expectations fail before the series
  assert.match(pre.stdout, /datastore: stage pre\n/);
  assert.match(pre.stdout, /populate skipped \(VM_IO\|VM_PFNMAP\)/);
  assert.match(pre.stdout, /no page fault in this step/);
  const own = await prefault(["run", join(SCENARIOS, "02-mlockall.json"), "--datastore", join(ROOT, "stages", "p6", "datastore.ts"), "--explain", "1", "--json"]);
  assert.equal(own.code, 0, own.stderr);
  const walk = JSON.parse(own.stdout);
  assert.equal(walk.step, 1);
  assert.equal(walk.op, "mlockall");
  assert.deepEqual(walk.faults.map((f: { pgoff: number }) => f.pgoff), [0, 1, 2, 3]);
  assert.ok(walk.faults[0].nodes.some((n: { func?: string }) => n.func === "__mm_populate"));
  assert.ok(walk.faults[0].lines.length > 0 && walk.faults[0].lines.every((l: { file: string }) => l.file === "datastore.ts"));
});

test("a bad STEP is exit 2 with a clear message, before anything compiles", async () => {
  const path = join(SCENARIOS, "01-first-fault.json");
  const past = await prefault(["run", path, "--explain", "9"]);
  assert.equal(past.code, 2);
  assert.equal(past.stdout, "");
  assert.match(past.stderr, /^prefault run: --explain 9: first-fault has 4 steps, 0\.\.3\n$/);
  const word = await prefault(["run", path, "--explain", "first"]);
  assert.equal(word.code, 2);
  assert.match(word.stderr, /--explain takes a step index as `prefault run` prints it \(0\.\.3\), not "first"/);
  const none = await prefault(["run", path, "--explain"]);
  assert.equal(none.code, 2);
  const help = await prefault(["run", "--help"]);
  assert.match(help.stdout, /--explain <step> +step through the faults of step <step>/);
});
