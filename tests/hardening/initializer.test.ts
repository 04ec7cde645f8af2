// tests/hardening/initializer.test.ts: a datastore whose global initializers never finish (or
// take longer than the runner's backstop) is reported where it hangs: the module's start, its
// top-level code, before the first step; never as a vvar_fault() that did not return.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pool, reportProblems, submission } from "./helpers.js";
import { nodeGradeDeps } from "../../cli/grade-submission.js";
import { closeSharedRunner, runScenarios } from "../../cli/node-runner.js";
import { loadKernel } from "../../cli/node-paths.js";
import { softLockupMessage, timeoutMessage } from "../../engine/runner-protocol.js";
import { validateScenario } from "../../engine/validate.js";
import type { Scenario } from "../../engine/types.js";
import { ROOT } from "./helpers.js";

const p = pool();
after(async () => { await p.close(); await closeSharedRunner(); });

// finite but slow: six million printk()s before the module is ready (within the fuel: ~3 per
// iteration), so only the runner's backstop deadline can stop it. That is 30 to 450 ms of CPU
// (Node 24's Wasm is about twice as fast as Node 20's, and a module already tiered up elsewhere
// in the process runs at its fastest): the deadline is 10 ms, well under the fastest.
const SLOW_INIT = submission("  return VM_FAULT_SIGBUS;", `
function warm(): u64 { let s: u64 = 0; for (let i: u64 = 0; i < 6_000_000; i++) { pr_info_value(i); s += i; } return s; }
const WARM: u64 = warm();`);
// endless: the fuel runs out in the initializer
const LOOP_INIT = submission("  return VM_FAULT_SIGBUS;", `
function spin(): u64 { let x: u64 = 1; while (x != 0) { x = x * 3 + 1; if (x == 5) x = 7; } return x; }
const G: u64 = spin();`);

const TOP = "the datastore's top-level code (its global initializers, run when the module starts) did not finish";

test("the backstop stops a slow initializer and names it, not vvar_fault()", { timeout: 120_000 }, async () => {
  const deps = await nodeGradeDeps();
  const c = await deps.compile({ "datastore.ts": SLOW_INIT });
  assert.ok(c.ok, !c.ok ? c.error.message : "");
  const k = loadKernel();
  assert.ok(k.ok);
  const v = validateScenario(JSON.parse(readFileSync(join(ROOT, "scenarios", "01-first-fault.json"), "utf8")));
  assert.ok(v.ok);
  const out = await runScenarios(k.module, c.wasm, [v.scenario as Scenario], { deadlineMs: 10, sourceMap: c.sourceMap });
  assert.ok(Array.isArray(out), JSON.stringify(out));
  const r = out[0];
  assert.equal(r.status, "timeout");
  assert.equal(r.oops?.step, -1);
  assert.equal(r.oops?.message, timeoutMessage(10, "CPU time", -1));
  assert.equal(r.oops?.message, `${TOP} within 10 ms of CPU time: an endless loop?`);
  assert.ok(r.steps.every(s => !s.ran && s.failures.join() === "not run: the datastore's top-level code did not finish"), JSON.stringify(r.steps));
  assert.doesNotMatch(JSON.stringify(r), /vvar_fault\(\) did not return/);
});

test("graded: an endless initializer is a soft lockup before the first step of every scenario", { timeout: 120_000 }, async () => {
  const r = await p.grade({ files: { "datastore.ts": LOOP_INIT } });
  assert.deepEqual(reportProblems(r), []);
  assert.equal(r.score, 0);
  const hung = r.tests.filter(t => t.failure?.kind === "timeout");
  assert.ok(hung.length > 0, JSON.stringify(r.tests.map(t => t.failure)));
  for (const t of hung) {
    assert.ok(t.failure!.message.startsWith(`before the first step: ${softLockupMessage(-1)}`), t.failure!.message);
    assert.ok(t.message.includes(TOP), t.message);
  }
  assert.doesNotMatch(JSON.stringify(r), /vvar_fault\(\) did not return/);
});
