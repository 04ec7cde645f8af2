// `prefault run --compare STAGE`: the real bin in a child process, real kernel and asc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Comparison } from "../../engine/compare.js";
import { DATASTORE_POST, DATASTORE_SPIN_PGOFF2 } from "../unit/fixtures.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");
const MLOCKALL = join(ROOT, "scenarios", "02-mlockall.json");

function prefault(args: string[], cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}
const tmp = mkdtempSync(join(tmpdir(), "prefault-compare-"));

test("run --compare pre: the default p6 beside pre, the differing steps marked; exit 1 as they differ", async () => {
  const r = await prefault(["run", MLOCKALL, "--compare", "pre"]);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /^comparing stage p6 \(left\) with stage pre \(right\)/);
  assert.match(r.stdout, /^scenario mlockall-root: 5 of 6 steps differ \(/m);
  // the clock_gettime loop after mlockall: no fault with p6, one with pre
  assert.match(r.stdout, /^ {2}\* +2 +clock_gettime rt CLOCK_MONOTONIC x1000 +0 +0 vs 1 +0 vs 1 /m);
  assert.match(r.stdout, /^ {2}\* +1 +mlockall rt MCL_CURRENT\|MCL_FUTURE +0 +0 +4 vs 0 /m);
  assert.match(r.stdout, /^ {3} +0 +spawn rt /m);                      // the same: no mark
  assert.match(r.stdout, /stage pre: 1 step not run, from step 5: rt was killed by SIGBUS at step 4/);
  assert.match(r.stdout, /\* +rt VmFlags +rd mr de dd mm/);
  assert.match(r.stdout, /stage p6 and stage pre differ in 1 of 1 scenario\n$/);
});

test("run --compare with the same handler on both sides: every step the same, exit 0", async () => {
  const r = await prefault(["run", MLOCKALL, "--stage", "pre", "--compare", "pre"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /scenario mlockall-root: the same in all 6 steps/);
  assert.doesNotMatch(r.stdout.split("\n").slice(1).join("\n"), / vs /);
  assert.doesNotMatch(r.stdout, /^ {2}\* /m);
});

test("run --compare --json --datastore: the whole comparison record", async () => {
  const mine = join(tmp, "datastore.ts");
  writeFileSync(mine, DATASTORE_POST);
  const r = await prefault(["run", MLOCKALL, "--datastore", "datastore.ts", "--compare", "v6.18", "--json"], tmp);
  assert.equal(r.code, 1, r.stderr);
  const c = JSON.parse(r.stdout) as Comparison;
  assert.equal(c.left, "datastore.ts");
  assert.equal(c.right, "stage v6.18");
  assert.equal(c.same, false);
  const sc = c.scenarios[0];
  assert.equal(sc.scenario, "mlockall-root");
  assert.deepEqual(sc.steps[2].cells.faults, { left: "0", right: "1", differs: true });
  assert.equal(sc.steps[2].left.state, "ran");
  assert.equal(sc.steps[2].right.faults, 1);
  assert.deepEqual(sc.steps[2].differs, ["faults", "minflt"]);
  // v6.18's VM_PFNMAP ("pf") against the learner's VM_MIXEDMAP ("mm")
  const vmf = sc.tasks.find(t => t.task === "rt")!.cells.vm_flags;
  assert.match(vmf.left, /\bmm\b/);
  assert.equal(vmf.differs, true);
});

test("run --compare: an unknown stage is exit 2 listing the stages, before any compile; usage mentions --compare", async () => {
  const r = await prefault(["run", MLOCKALL, "--compare", "p9"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /no stage "p9"; the stages are: v6\.18, pre, p1, p2, p3, p4, p5, p6\n/);
  const dots = await prefault(["run", MLOCKALL, "--compare", "../lessons"]);
  assert.equal(dots.code, 2);
  assert.match(dots.stderr, /no stage "\.\.\/lessons"/);
  const bad = join(tmp, "broken.ts");
  writeFileSync(bad, "export function vvar_fault(: i32 {}\n");
  const c = await prefault(["run", MLOCKALL, "--datastore", bad, "--compare", "pre"]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /compile errors in/);
  const h = await prefault(["run", "--help"]);
  assert.match(h.stdout, /--compare <stage>/);
});

test("run --compare with a handler that hangs in mlockall's populate: that step is hung, the later ones not run, on its side only", async () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-compare-spin-"));
  writeFileSync(join(dir, "datastore.ts"), DATASTORE_SPIN_PGOFF2);
  const r = await prefault(["run", MLOCKALL, "--datastore", "datastore.ts", "--compare", "p6"], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^ {2}\* +1 +mlockall rt MCL_CURRENT\|MCL_FUTURE +hung vs 0 /m);
  assert.match(r.stdout, /^ {2}\* +2 +clock_gettime rt CLOCK_MONOTONIC x1000 +not run vs 0 /m);
  assert.match(r.stdout, /^ {2}datastore\.ts: step 1 hung: soft lockup: vvar_fault\(\) did not return/m);
  assert.match(r.stdout, /^ {2}datastore\.ts: 4 steps not run, from step 2: the scenario stopped at step 1$/m);
});
