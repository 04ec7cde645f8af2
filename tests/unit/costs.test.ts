// Unit tests of the one costs parser (engine/costs.ts) that `prefault run --costs` and the
// browser's fault-cost field share, and of the browser's keeping of it (web/src/core/costs.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmtCost, parseCosts, parseCostsJson, withCosts } from "../../engine/costs.js";
import { formatProbeReport, compareProbe } from "../../engine/probe/compare.js";
import { parseProbeOutput } from "../../engine/probe/record.js";
import { clearCosts, COSTS_KEY, ERA_KEY, loadCosts, loadEra, saveCostsText, saveEra } from "../../web/src/core/costs.js";
import type { KeyValueStore } from "../../web/src/core/storage.js";
import type { Scenario } from "../../engine/types.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ok = (text: string) => { const r = parseCosts(text); assert.ok(r.ok, `${text}: ${!r.ok && r.message}`); return r.costs.fault_exception_ns; };
const bad = (text: string) => { const r = parseCosts(text); assert.ok(!r.ok, `${text} was taken`); return r.message; };

test("a figure with its unit, as the probe prints it or a learner types it", () => {
  assert.equal(ok("1.4 µs"), 1400);
  assert.equal(ok("1.4µs"), 1400);
  assert.equal(ok("1.4 μs"), 1400);                   // Greek mu, as some keyboards give it
  assert.equal(ok("1.4 us"), 1400);
  assert.equal(ok("1.4 US"), 1400);
  assert.equal(ok("1400 ns"), 1400);
  assert.equal(ok("  1400ns \n"), 1400);
  assert.equal(ok("1,4 µs"), 1400);                   // a decimal comma
  assert.equal(ok(".5 µs"), 500);
  assert.equal(ok("0.0014 ms"), 1400);
  assert.equal(ok("20 µs"), 20000);
  assert.equal(ok("1234.4 ns"), 1234);                // whole nanoseconds
});

test("the probe's own lines: its figure, not the model's default beside it", () => {
  assert.equal(ok("one [vvar] fault costs about 3.0 µs here (the model's default: 20 µs, the series' test machine); `prefault probe --save-costs costs.json` saves it"), 3000);
  assert.equal(ok("cost.fault    fault 3046 ns; samples 100    fault 20000 ns; samples the series' cover letter    info"), 3046);
  assert.equal(ok("fault 1412 ns"), 1412);
});

test("a costs file, as --save-costs writes it, through the scenario schema", () => {
  assert.equal(ok('{\n  "fault_exception_ns": 1412\n}\n'), 1412);
  const all = parseCosts('{"fault_exception_ns": 900, "vdso_call_ns": 30, "syscall_ns": 300}');
  assert.deepEqual(all, { ok: true, costs: { fault_exception_ns: 900, vdso_call_ns: 30, syscall_ns: 300 } });
  assert.match(bad('{"fault_exception_ns": "fast"}'), /^\/fault_exception_ns: must be number/);
  assert.match(bad('{"fault_ns": 1}'), /fault_ns/);
  assert.match(bad("[1400]"), /a costs file is a JSON object/);
  assert.match(bad("{ nope"), /not valid JSON/);
  assert.match(bad('{"fault_exception_ns": 0}'), /more than 0 ns and at most 1 s/);
  assert.match(parseCostsJson("{", "costs.json").ok ? "" : (parseCostsJson("{", "costs.json") as { message: string }).message, /^costs\.json: not valid JSON/);
});

test("anything else is refused with what to paste instead", () => {
  assert.match(bad(""), /Paste a figure such as 1\.4 µs or 1400 ns/);
  assert.match(bad("fast"), /No fault cost in "fast"/);
  assert.match(bad("1400"), /"1400" has no unit: write 1400 ns or 1400 µs/);
  assert.match(bad("1.4 µs or 20 µs"), /holds 2 figures/);
  assert.match(bad("0 ns"), /more than 0 ns and at most 1 s \(got 0 ns\)/);
  assert.match(bad("2000 ms"), /at most 1 s \(got 2000 ms\)/);
  assert.match(bad("0.1 ns"), /more than 0 ns/);
  assert.match(bad("x".repeat(100)), /No fault cost in "x{37}\.\.\."/);
});

test("a negative or malformed figure is refused, never read as the number inside it", () => {
  // a sign: "-5 us" is not 5 µs (nor is the Unicode minus, nor a sign inside a probe line)
  assert.match(bad("-5 us"), /"-5 us" is negative/);
  assert.match(bad(" -5us"), /"-5us" is negative/);
  assert.match(bad("\u22121.4 µs"), /is negative/);
  assert.match(bad("- 5 us"), /"- 5 us" is negative/);
  assert.match(bad("fault -1412 ns"), /is negative/);
  assert.equal(ok("+5 us"), 5000);
  // the tail of a longer number or of a word is not a figure
  assert.match(bad("1.2.3 us"), /No fault cost in "1\.2\.3 us"/);
  assert.match(bad("5e3 ns"), /No fault cost/);
  assert.match(bad("x5 us"), /No fault cost/);
  assert.match(bad("--5 us"), /No fault cost/);
  // digit groups: "1 400 ns" is not 400 ns, "1,400 ns" neither 1400 nor 1.4 ns silently
  assert.match(bad("1 400 ns"), /a number just before 400 ns/);
  assert.match(bad("1,400 ns"), /could be 1400 ns or 1\.400 ns/);
  // what was taken stays taken
  assert.equal(ok("1,4 µs"), 1400);
  assert.equal(ok("0.0014 ms"), 1400);
  assert.equal(ok("one [vvar] fault costs about 3.0 µs here (the model's default: 20 µs)"), 3000);
  assert.equal(ok("cost.fault    fault 3046 ns; samples 100    fault 20000 ns; samples 5"), 3046);
});

test("fmtCost words a cost; withCosts lays costs over a scenario's own, as run --costs does", () => {
  assert.deepEqual([850, 1400, 3046, 20000, 123456, 1_500_000].map(fmtCost), ["850 ns", "1.4 µs", "3 µs", "20 µs", "123 µs", "1.5 ms"]);
  const sc: Scenario = { name: "s", costs: { fault_exception_ns: 20000, vdso_call_ns: 50 }, steps: [{ op: "spawn", task: "t" }] };
  const w = withCosts(sc, { fault_exception_ns: 1400 });
  assert.deepEqual(w.costs, { fault_exception_ns: 1400, vdso_call_ns: 50 });
  assert.deepEqual(sc.costs, { fault_exception_ns: 20000, vdso_call_ns: 50 }, "the scenario itself is untouched");
});

function memStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: k => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: k => void map.delete(k) };
}

test("the browser keeps the learner's cost under prefault:v1:costs, validated on every read", () => {
  const s = memStore();
  assert.equal(loadCosts(s), null);
  const r = saveCostsText(s, " 1.4 µs ", 5);
  assert.ok(r.ok && r.stored);
  assert.deepEqual(loadCosts(s), { v: 1, costs: { fault_exception_ns: 1400 }, text: "1.4 µs", saved: 5 });
  // a refused paste saves nothing and keeps the old one
  const no = saveCostsText(s, "fast", 6);
  assert.ok(!no.ok && /No fault cost/.test(no.message));
  assert.equal(loadCosts(s)?.costs.fault_exception_ns, 1400);
  // costs without a fault cost are not a fault cost
  assert.ok(!saveCostsText(s, '{"vdso_call_ns": 30}', 7).ok);
  // a tampered or foreign entry is dropped
  for (const raw of ["{", '{"v":2,"costs":{"fault_exception_ns":1},"text":"","saved":1}',
                     '{"v":1,"costs":{"fault_exception_ns":-5},"text":"","saved":1}', '{"v":1,"costs":{},"text":"","saved":1}']) {
    s.setItem(COSTS_KEY, raw);
    assert.equal(loadCosts(s), null, raw);
  }
  clearCosts(s);
  assert.equal(s.map.has(COSTS_KEY), false);
  // a store that refuses: the cost is taken for the page's life, and the caller is told
  const full: KeyValueStore = { getItem: () => null, setItem: () => { throw new Error("quota"); }, removeItem: () => undefined };
  const f = saveCostsText(full, "1400 ns", 1);
  assert.ok(f.ok && !f.stored);
});

test("the browser keeps the picked kernel era", () => {
  const s = memStore();
  assert.equal(loadEra(s), null);
  assert.ok(saveEra(s, "merged"));
  assert.equal(loadEra(s), "merged");
  s.setItem(ERA_KEY, '{"v":1,"era":"v9"}');
  assert.equal(loadEra(s), null);
});

test("prefault probe's table: every row's cells line up, long ones wrap under their column", () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const p = parseProbeOutput(readFileSync(root + "tests/probe/fixtures/linux-6.18-x86_64.jsonl", "utf8"));
  assert.ok(p.ok);
  const rep = compareProbe(p.record, "v6.18", false, new Map());
  const lines = formatProbeReport(rep);
  const head = lines.findIndex(l => l.startsWith("observation"));
  const cols = [lines[head].indexOf("your kernel"), lines[head].indexOf("the model"), lines[head].indexOf("agree?")];
  const body = lines.slice(head + 2, lines.findIndex((l, i) => i > head && l === ""));
  assert.ok(body.length > 59);
  for (const l of body) {
    assert.ok(l.length <= cols[2] + "MISSING".length, `too wide: ${l}`);
    for (const c of cols) assert.ok(l.length <= c || l[c - 1] === " " && l[c - 2] === " ", `a cell runs into column ${c}: ${l}`);
  }
  const mlock = body.findIndex(l => l.startsWith("mlockall.current_future "));
  assert.ok(mlock >= 0 && body[mlock + 1].startsWith(" "), "the long mlockall row goes on under its columns");
});
