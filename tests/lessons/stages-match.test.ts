// tests/lessons/stages-match.test.ts: the solutions of lessons 2 to 6 behave exactly as the
// reference stages pre, p2, p3, p4 and p6: every conformance scenario of the model
// (tests/conformance/<stage>/*.json, all stages pooled) gives the same RunResult for both.
// Lesson 1's solution is the root-namespace subset of pre: it matches pre on the scenarios
// that never enter a time namespace.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { validateScenario } from "../../engine/validate.js";
import type { RunResult, Scenario } from "../../engine/types.js";
import { DEFAULT_LESSONS_DIR, PACKAGE_ROOT } from "../../cli/grade-submission.js";
import { closeSharedRunner, runScenarios } from "../../cli/node-runner.js";
import { loadKernel } from "../../cli/node-paths.js";

after(() => closeSharedRunner());

const PAIRS: [lesson: string, stage: string][] = [
  ["01-first-fault", "pre"], ["02-time-namespaces", "pre"], ["03-map-by-pgoff", "p2"], ["04-no-holes", "p3"],
  ["05-remote-access", "p4"], ["06-mlockall", "p6"],
];

// every conformance scenario, once (by name), in a stable order
function conformanceScenarios(): Scenario[] {
  const root = join(PACKAGE_ROOT, "tests", "conformance");
  const byName = new Map<string, Scenario>();
  for (const dir of readdirSync(root).sort()) {
    const d = join(root, dir);
    if (!existsSync(d) || dir === "datastores") continue;
    let files: string[];
    try { files = readdirSync(d).filter(f => f.endsWith(".json")).sort(); } catch { continue; }
    for (const f of files) {
      const v = validateScenario(JSON.parse(readFileSync(join(d, f), "utf8")));
      assert.ok(v.ok, `${dir}/${f}: ${!v.ok && v.error.message}`);
      const key = `${dir}/${f}`;
      byName.set(key, { ...v.scenario, name: key });
    }
  }
  return [...byName.values()];
}

// a scenario that never enters a time namespace (for lesson 1, which has no namespace support)
function rootOnly(s: Scenario): boolean {
  return !s.steps.some(st => st.op === "unshare_timens" || (st.op === "setns" && st.ns !== "root"));
}

// what must match: everything the learner's handler influences (the scenario name differs)
function comparable(r: RunResult) {
  return { status: r.status, ok: r.ok, steps: r.steps, tasks: r.tasks, dmesg: r.dmesg, trace: r.trace, oops: r.oops };
}

const ascModule = asc as unknown as AscModule;

for (const [lesson, stage] of PAIRS) {
  test(`${lesson} solution behaves as stage ${stage} on the conformance scenarios`, async () => {
    const k = loadKernel(false).ok ? loadKernel(false) : loadKernel(true);
    assert.ok(k.ok, !k.ok ? k.message : "");
    let scenarios = conformanceScenarios();
    if (lesson === "01-first-fault") scenarios = scenarios.filter(rootOnly);
    assert.ok(scenarios.length >= 5, `only ${scenarios.length} conformance scenarios`);
    const sol = await compileDatastore(ascModule, { "datastore.ts": readFileSync(join(DEFAULT_LESSONS_DIR, lesson, "solution", "datastore.ts"), "utf8") });
    const ref = await compileDatastore(ascModule, { "datastore.ts": readFileSync(join(PACKAGE_ROOT, "stages", stage, "datastore.ts"), "utf8") });
    assert.ok(sol.ok && ref.ok);
    const a = await runScenarios(k.module, sol.wasm, scenarios, {});
    const b = await runScenarios(k.module, ref.wasm, scenarios, {});
    assert.ok(Array.isArray(a) && Array.isArray(b), JSON.stringify(!Array.isArray(a) ? a : b));
    for (let i = 0; i < scenarios.length; i++) {
      assert.deepEqual(comparable(a[i]), comparable(b[i]), `${scenarios[i].name}: ${lesson} differs from ${stage}`);
    }
  });
}
