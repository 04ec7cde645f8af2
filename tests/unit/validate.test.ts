// validateScenario(): the JSON Schema and the semantic checks, with the JSON path in each message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { validateScenario } from "../../engine/validate.js";

const base = () => ({
  name: "t",
  config: { TIME_NS: true, arch_data_pages: 1 },
  costs: { fault_exception_ns: 20000 },
  steps: [
    { op: "spawn", task: "a" },
    { op: "unshare_timens", task: "a", ns: "n1", monotonic_offset_s: 100 },
    { op: "fork", task: "a", child: "b" },
    { op: "mlockall", task: "b", flags: ["MCL_CURRENT", "MCL_FUTURE"], expect: { errno: null, gup_faults: 3 } },
    { op: "clock_gettime", task: "b", clock: "CLOCK_MONOTONIC", repeat: 1000, expect: { faults: 0, correct: true } },
    { op: "remote_read", task: "a", target: "b", pgoff: 0, via: "proc_mem", expect: { errno: "EIO", warns: 0 } },
    { op: "setns", task: "a", ns: "root" },
    { op: "tick", ns: 1000000 },
    { op: "smaps", task: "b" },
  ] as Record<string, unknown>[],
});

function invalid(mutate: (s: ReturnType<typeof base>) => void): { path: string; message: string } {
  const s = base(); mutate(s);
  const r = validateScenario(s);
  assert.ok(!r.ok, "expected invalid");
  assert.equal(r.error.kind, "invalid");
  assert.ok(r.error.message.startsWith(r.error.path + ": "), r.error.message);
  return r.error;
}

test("a scenario using many ops is valid and comes back typed", () => {
  const r = validateScenario(base());
  assert.ok(r.ok, !r.ok ? r.error.message : "");
  assert.equal(r.scenario.steps.length, 9);
});

test("a bad enum names the path and the allowed values", () => {
  const e = invalid(s => { s.steps[4].clock = "CLOCK_FOO"; });
  assert.equal(e.path, "/steps/4/clock");
  assert.match(e.message, /^\/steps\/4\/clock: must be one of CLOCK_REALTIME, CLOCK_MONOTONIC, /);
});

test("an unknown op, an unknown field, a missing field", () => {
  assert.match(invalid(s => { s.steps[2].op = "clone3"; }).message, /^\/steps\/2\/op: must be one of spawn, thread, /);
  assert.equal(invalid(s => { s.steps[2].colour = "red"; }).path, "/steps/2/colour");
  assert.equal(invalid(s => { delete s.steps[2].child; }).path, "/steps/2/child");
  assert.equal(invalid(s => { (s as Record<string, unknown>).extra = 1; }).path, "/extra");
  assert.equal(invalid(s => { delete (s as Record<string, unknown>).name; }).path, "/name");
});

test("bad numbers and expectations", () => {
  assert.equal(invalid(s => { s.steps[4].repeat = 0; }).path, "/steps/4/repeat");
  assert.equal(invalid(s => { s.steps[5].pgoff = -1; }).path, "/steps/5/pgoff");
  assert.equal(invalid(s => { s.steps[3].expect = { faults: 1.5 }; }).path, "/steps/3/expect/faults");
  assert.equal(invalid(s => { s.steps[3].expect = { errno: "ENOENT" }; }).path, "/steps/3/expect/errno");
  assert.equal(invalid(s => { s.steps[3].expect = { page: "vclock" }; }).path, "/steps/3/expect/page");
  assert.equal(invalid(s => { s.config.arch_data_pages = 9; }).path, "/config/arch_data_pages");
  assert.equal(invalid(s => { s.steps[3].flags = ["MCL_NOW"]; }).path, "/steps/3/flags/0");
});

test("semantic checks: use before spawn, duplicate names, unknown target, unknown namespace", () => {
  const used = invalid(s => { s.steps[3].task = "c"; });
  assert.deepEqual([used.path, used.message], ["/steps/3/task", '/steps/3/task: task "c" is used before it is spawned']);
  assert.equal(invalid(s => { s.steps[2].child = "a"; }).path, "/steps/2/child");
  assert.equal(invalid(s => { s.steps.push({ op: "spawn", task: "b" }); }).path, "/steps/9/task");
  assert.equal(invalid(s => { s.steps[5].target = "zz"; }).path, "/steps/5/target");
  assert.equal(invalid(s => { s.steps[6].ns = "n2"; }).path, "/steps/6/ns");
  assert.equal(invalid(s => { s.steps[1].ns = "root"; }).path, "/steps/1/ns");
  assert.equal(invalid(s => { s.steps.unshift({ op: "clock_gettime", task: "a", clock: "CLOCK_TAI" }); }).path, "/steps/0/task");
  assert.equal(invalid(s => { s.steps[7].task = "q"; }).path, "/steps/7/task");
});

test("a thread named in a step can be used by later steps", () => {
  const s = base();
  s.steps.push({ op: "thread", task: "a", thread: "a2" }, { op: "clock_gettime", task: "a2", clock: "CLOCK_REALTIME" });
  assert.ok(validateScenario(s).ok);
});

test("not an object", () => {
  for (const j of [null, [], 3, "x"]) {
    const r = validateScenario(j);
    assert.ok(!r.ok);
  }
});

test("every sample scenario in scenarios/ is valid", () => {
  const dir = new URL("../../../scenarios/", import.meta.url);
  const files = readdirSync(dir).filter(f => f.endsWith(".json"));
  assert.ok(files.length >= 4, "expected the sample scenarios");
  for (const f of files) {
    const r = validateScenario(JSON.parse(readFileSync(new URL(f, dir), "utf8")));
    assert.ok(r.ok, `${f}: ${!r.ok ? r.error.message : ""}`);
  }
});
