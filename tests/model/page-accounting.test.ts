// tests/model/page-accounting.test.ts: the xv6-style leak check every model run goes through
// (tests/model/helpers.ts run() -> engine/machine.ts pageProblems), and the host reading the
// kernel's trace through the generated ABI tables (engine/generated/abi.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Scenario } from "../../engine/types.js";
import { pageProblems, runScenario } from "../../engine/machine.js";
import { compile, kernelModule, run, stageSource, variant } from "./helpers.js";

const BUSY: Scenario = {
  name: "busy",
  steps: [
    { op: "spawn", task: "a" },
    { op: "mlockall", task: "a", flags: ["MCL_CURRENT", "MCL_FUTURE"] },
    { op: "fork", task: "a", child: "b" },
    { op: "unshare_timens", task: "a", ns: "t", monotonic_offset_s: 60 },
    { op: "fork", task: "a", child: "c" },
    { op: "clock_gettime", task: "c", clock: "CLOCK_MONOTONIC" },
    { op: "setns", task: "b", ns: "t" },
    { op: "clock_gettime", task: "b", clock: "CLOCK_MONOTONIC" },
    { op: "exec", task: "c" },
    { op: "getrandom", task: "c" },
  ],
};

test("a correct handler leaves every page's refcount at its mappings plus the kernel's reference", async () => {
  const l = await compile(stageSource("p6"));
  let problems: string[] | undefined;
  const r = runScenario(kernelModule(), l.module, BUSY, { afterRun: k => { problems = pageProblems(k); } });
  assert.equal(r.status, "ok");
  assert.deepEqual(problems, []);
});

test("a handler that takes two references per fault leaks pages, and the check names them", async () => {
  // no WARN, no BUG: only the accounting shows the leak
  const leaky = await compile(variant("p6", [["  get_page(pg);", "  get_page(pg);\n  get_page(pg);"]]));
  let problems: string[] = [];
  const r = runScenario(kernelModule(), leaky.module, BUSY, { afterRun: k => { problems = pageProblems(k); } });
  assert.equal(r.status, "ok");
  assert.equal(Object.values(r.tasks).reduce((n, t) => n + t.counters.warns + t.counters.bugs, 0), 0);
  assert.ok(problems.length > 0);
  assert.match(problems[0], /^pfn \d+: refcount \d+ with \d+ mappings?, want \d+$/);
  assert.throws(() => run(leaky, BUSY), /page refcounts leaked without a WARN or BUG/);
});

test("trace records are read through the generated tables: kinds, page kinds and details by name", async () => {
  const pre = await compile(stageSource("pre"));
  const r = run(pre, { name: "pre-mlockall", steps: [
    { op: "spawn", task: "a" },
    { op: "mlockall", task: "a", flags: ["MCL_CURRENT"] },
    { op: "clock_gettime", task: "a", clock: "CLOCK_REALTIME" },
  ] });
  assert.equal(r.trace.find(e => e.kind === "mlockall")?.detail, "MCL_CURRENT");
  const populate = r.trace.find(e => e.kind === "populate" && e.detail !== undefined);
  assert.equal(populate?.detail, "populate skipped (VM_IO|VM_PFNMAP)");
  assert.equal(populate?.step, 1);
  const fault = r.trace.find(e => e.kind === "fault");
  assert.equal(fault?.pgoff, 0);
  assert.equal(fault?.step, 2);
  assert.equal(r.trace.find(e => e.kind === "map")?.page, "time");
  assert.ok(r.trace.every(e => e.task === "a"));
});
