// Unit tests of the browser app's pure core (web/src/core): share links, autosave storage,
// results view models, Markdown. They run under node against the same modules Vite bundles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeShare, encodeShare } from "../../web/src/core/share.js";
import { clearUndo, loadCode, loadCompilerSeen, loadLayout, loadProgress, loadResults, loadUndo, recordRun, saveCode, saveCompilerSeen, saveLayout, saveProgress, saveResults, saveUndo, unlockHint, type KeyValueStore } from "../../web/src/core/storage.js";
import { checkRows, counterTable, deaths, latencyAxis, mlockWords, slotName, stepRows, summaryLine, timeline, vvarStrips } from "../../web/src/core/results.js";
import { formatNs } from "../../engine/runner-trace.js";
import { hintLevels, renderMarkdown } from "../../web/src/core/markdown.js";
import type { Report, RunResult } from "../../engine/types.js";

function memStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: k => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: k => void map.delete(k) };
}

const STARTER = { "datastore.ts": "export function vvar_fault(): u32 { return 2; }\n" };

test("a share link carries the lesson, and the code only when it differs from the starter", () => {
  const same = encodeShare("01-first-fault", { ...STARTER }, STARTER);
  assert.equal(same, "#lesson=01-first-fault&v=1");
  assert.deepEqual(decodeShare(same), { lesson: "01-first-fault", files: null, seed: null });
  const edited = { "datastore.ts": STARTER["datastore.ts"].replace("2", "0") + "// ünïcode ✓\n".repeat(50) };
  const link = encodeShare("01-first-fault", edited, STARTER);
  assert.match(link, /^#lesson=01-first-fault&v=1&code=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < edited["datastore.ts"].length, "the code is compressed");
  assert.deepEqual(decodeShare(link), { lesson: "01-first-fault", files: edited, seed: null });
});

test("a share link carries a practice problem's seed, with or without code; a bad seed is dropped", () => {
  const link = encodeShare("06-mlockall", { ...STARTER }, STARTER, 4294967295);
  assert.equal(link, "#lesson=06-mlockall&v=1&seed=4294967295");
  assert.deepEqual(decodeShare(link), { lesson: "06-mlockall", files: null, seed: 4294967295 });
  const edited = { "datastore.ts": "// mine\n" };
  assert.deepEqual(decodeShare(encodeShare("06-mlockall", edited, STARTER, 0)), { lesson: "06-mlockall", files: edited, seed: 0 });
  for (const bad of ["-1", "4294967296", "1.5", "x", ""]) assert.equal(decodeShare(`#lesson=06-mlockall&seed=${bad}`)?.seed, null, bad);
});

test("a damaged share link still opens its lesson, without code", () => {
  assert.deepEqual(decodeShare("#lesson=02-x&v=1&code=%%%not-base64"), { lesson: "02-x", files: null, seed: null });
  assert.deepEqual(decodeShare("#lesson=02-x&code=AAAA&seed=7"), { lesson: "02-x", files: null, seed: 7 });
  assert.equal(decodeShare("#code=abc"), null);
  assert.equal(decodeShare("#lesson=../../etc"), null);
});

test("autosave round-trips per lesson; a corrupt entry falls back without touching others", () => {
  const s = memStore();
  assert.ok(saveCode(s, "01", { "datastore.ts": "one" }, 1));
  assert.ok(saveCode(s, "02", { "datastore.ts": "two", "stray.ts": "x" }, 2));
  assert.deepEqual(loadCode(s, "02", ["datastore.ts"]), { "datastore.ts": "two" });
  s.map.set("prefault:v1:code:01", "{not json");
  assert.equal(loadCode(s, "01", ["datastore.ts"]), null);
  s.map.set("prefault:v1:code:01", JSON.stringify({ v: 1, files: { "datastore.ts": 5 }, saved: 1 }));
  assert.equal(loadCode(s, "01", ["datastore.ts"]), null);
  s.map.set("prefault:v1:code:01", JSON.stringify({ v: 99, files: {}, saved: 1 }));
  assert.equal(loadCode(s, "01", ["datastore.ts"]), null);
  assert.deepEqual(loadCode(s, "02", ["datastore.ts"]), { "datastore.ts": "two" });
});

test("a v0 entry (a bare string) migrates to v1", () => {
  const s = memStore();
  s.map.set("prefault:code:03", "legacy text");
  assert.deepEqual(loadCode(s, "03", ["datastore.ts"]), { "datastore.ts": "legacy text" });
  assert.equal(s.map.has("prefault:code:03"), false);
  assert.equal(JSON.parse(s.map.get("prefault:v1:code:03")!).v, 1);
});

test("a store that refuses writes reports it instead of throwing", () => {
  const full: KeyValueStore = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); }, removeItem: () => {} };
  assert.equal(saveCode(full, "01", STARTER, 1), false);
});

test("reset keeps an undo point until it is used", () => {
  const s = memStore();
  saveUndo(s, "01", { "datastore.ts": "mine" }, 1);
  assert.deepEqual(loadUndo(s, "01"), { "datastore.ts": "mine" });
  clearUndo(s, "01");
  assert.equal(loadUndo(s, "01"), null);
});

test("progress keeps the best run and hint levels; bad entries are dropped one by one", () => {
  const s = memStore();
  let p = loadProgress(s);
  assert.deepEqual(p, { v: 1, current: null, lessons: {} });
  p = recordRun(p, "01", { score: 3, max_score: 10, passed: false, passed_checks: 2, total_checks: 7 });
  p = unlockHint(p, "01", 2); p = unlockHint(p, "01", 2); p = unlockHint(p, "01", 2);
  assert.equal(p.lessons["01"].hints, 2);
  p = recordRun(p, "01", { score: 1, max_score: 10, passed: false, passed_checks: 1, total_checks: 7 });
  assert.equal(p.lessons["01"].score, 3, "a worse run does not lower the best");
  p = recordRun(p, "01", { score: 10, max_score: 10, passed: true, passed_checks: 7, total_checks: 7 });
  assert.equal(p.lessons["01"].passed, true);
  assert.equal(p.lessons["01"].hints, 2);
  saveProgress(s, { ...p, current: "01" });
  const raw = JSON.parse(s.map.get("prefault:v1:progress")!);
  raw.lessons["02"] = { score: "lots" };
  s.map.set("prefault:v1:progress", JSON.stringify(raw));
  const back = loadProgress(s);
  assert.equal(back.current, "01");
  assert.deepEqual(Object.keys(back.lessons), ["01"]);
});

function sampleRun(): RunResult {
  const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
  return {
    scenario: "s", status: "ok", ok: true, steps: [], dmesg: [], trace_dropped: 0,
    tasks: { app: { pid: 1, alive: true, ns: "root", counters: { ...zero, faults: 1, minflt: 1, handler_calls: 1 }, vm_flags: "rd mr de dd mm",
      vvar: [{ pgoff: 0, present: true, page: "time" }, { pgoff: 1, present: false, page: null }, { pgoff: 2, present: true, page: "rng" }, { pgoff: 3, present: false, page: null }] } },
    trace: [
      { t_ns: 0, step: 1, task: "app", kind: "fault", pgoff: 0 },
      { t_ns: 100, step: 1, task: "app", kind: "vdso_call", latency_ns: 20000 },
      { t_ns: 200, step: 1, task: "app", kind: "vdso_call", latency_ns: 30 },
      { t_ns: 300, step: 2, task: "app", kind: "mlockall" },
      { t_ns: 400, step: 3, task: "app", kind: "fault", pgoff: 2 },
      { t_ns: 500, step: 3, task: "app", kind: "vdso_call", latency_ns: 20000 },
    ],
  };
}

test("the timeline pairs faults with the vDSO call that took them and counts those after mlockall()", () => {
  const t = timeline(sampleRun());
  assert.deepEqual(t.points.map(p => [p.latency_ns, p.faulted]), [[20000, true], [30, false], [20000, true]]);
  assert.equal(t.points[0].pgoff, 0);
  assert.equal(t.fault_calls, 2);
  assert.equal(t.faults_after_mlockall, 1);
  assert.deepEqual(t.markers.map(m => [m.label, m.slot]), [["mlockall()", 1.5]]);
  assert.deepEqual(t.points.map(p => p.slot), [0, 1, 2]);
  assert.equal(t.max_latency_ns, 20000);
});

test("the timeline counts calls, not steps, and 'after mlockall()' means in a later step than the mlockall step", () => {
  const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
  const st = (index: number, op: string, calls?: number) => ({ index, op, task: "rt", ran: true, deltas: zero, ok: true, failures: [],
    ...(calls !== undefined ? { calls, latency_ns: { max: 0, total: 0 } } : {}) });
  const r: RunResult = { ...sampleRun(),
    steps: [st(0, "spawn"), st(1, "mlockall"), st(2, "clock_gettime", 1), st(3, "clock_gettime", 1000), st(4, "getrandom", 1)],
    // the first call after mlockall() starts at the very t_ns of the mlockall event
    trace: [
      { t_ns: 100, step: 1, task: "rt", kind: "mlockall", detail: "MCL_CURRENT|MCL_FUTURE" },
      { t_ns: 100, step: 2, task: "rt", kind: "fault", pgoff: 0 },
      { t_ns: 100, step: 2, task: "rt", kind: "vdso_call", latency_ns: 20000 },
      { t_ns: 20100, step: 3, task: "rt", kind: "vdso_call", latency_ns: 30 },
      { t_ns: 60000, step: 4, task: "rt", kind: "fault", pgoff: 2 },
      { t_ns: 60000, step: 4, task: "rt", kind: "vdso_call", latency_ns: 20000 },
    ] };
  const t = timeline(r);
  assert.equal(t.calls, 1002);
  assert.equal(t.points.length, 3);
  assert.equal(t.fault_calls, 2);
  assert.equal(t.faults_after_mlockall, 2, "both faulting calls came after the mlockall step");
  assert.deepEqual(t.mlockall_tasks, [{ task: "rt", step: 1 }]);
  assert.deepEqual(t.markers.map(m => [m.label, m.step, m.task]), [["mlockall()", 1, "rt"]]);
});

test("'after mlockall()' counts a task's faults after its own mlockall() only, not another task's nor a child's", () => {
  const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
  const st = (index: number, op: string, task: string, calls?: number) => ({ index, op, task, ran: true, deltas: zero, ok: true, failures: [],
    ...(calls !== undefined ? { calls, latency_ns: { max: 0, total: 0 } } : {}) });
  const r: RunResult = { ...sampleRun(),
    steps: [st(0, "spawn", "rt"), st(1, "mlockall", "rt"), st(2, "spawn", "other"), st(3, "clock_gettime", "other", 1),
            st(4, "fork", "rt"), st(5, "clock_gettime", "child", 1), st(6, "mlockall", "other"), st(7, "mlockall", "other"),
            st(8, "getrandom", "other", 1), st(9, "getrandom", "rt", 1)],
    trace: [
      { t_ns: 0, step: 1, task: "rt", kind: "mlockall", detail: "MCL_CURRENT|MCL_FUTURE" },
      // other never called mlockall() before this fault, nor does a child inherit it
      { t_ns: 10, step: 3, task: "other", kind: "fault", pgoff: 0 },
      { t_ns: 10, step: 3, task: "other", kind: "vdso_call", latency_ns: 20000 },
      { t_ns: 30000, step: 5, task: "child", kind: "fault", pgoff: 0 },
      { t_ns: 30000, step: 5, task: "child", kind: "vdso_call", latency_ns: 20000 },
      // other's own mlockall (twice: the first one counts), then a fault of other's and one of rt's
      { t_ns: 60000, step: 6, task: "other", kind: "mlockall", detail: "MCL_CURRENT" },
      { t_ns: 60000, step: 7, task: "other", kind: "mlockall", detail: "MCL_CURRENT" },
      { t_ns: 60000, step: 8, task: "other", kind: "fault", pgoff: 2 },
      { t_ns: 60000, step: 8, task: "other", kind: "vdso_call", latency_ns: 20000 },
      { t_ns: 90000, step: 9, task: "rt", kind: "fault", pgoff: 2 },
      { t_ns: 90000, step: 9, task: "rt", kind: "vdso_call", latency_ns: 20000 },
    ] };
  const t = timeline(r);
  assert.equal(t.fault_calls, 4);
  assert.equal(t.faults_after_mlockall, 2, "other's fault in step 8 and rt's in step 9; not other's in step 3 nor child's");
  assert.deepEqual(t.mlockall_tasks, [{ task: "rt", step: 1 }, { task: "other", step: 6 }]);
  // without other's mlockall, only rt's own fault counts
  const t2 = timeline({ ...r, trace: r.trace.filter(e => !(e.kind === "mlockall" && e.task === "other")) });
  assert.equal(t2.faults_after_mlockall, 1);
  assert.deepEqual(t2.mlockall_tasks, [{ task: "rt", step: 1 }]);
});

test("'after mlockall()' ends at the task's munlockall() or exec(); a later mlockall() starts a new span", () => {
  const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
  const st = (index: number, op: string, task: string, calls?: number) => ({ index, op, task, ran: true, deltas: zero, ok: true, failures: [],
    ...(calls !== undefined ? { calls, latency_ns: { max: 0, total: 0 } } : {}) });
  const call = (t_ns: number, step: number, task: string) => [
    { t_ns, step, task, kind: "fault" as const, pgoff: 0 }, { t_ns, step, task, kind: "vdso_call" as const, latency_ns: 20000 }];
  const r: RunResult = { ...sampleRun(),
    steps: [st(0, "spawn", "a"), st(1, "mlockall", "a"), st(2, "clock_gettime", "a", 1), st(3, "munlockall", "a"),
            st(4, "clock_gettime", "a", 1), st(5, "mlockall", "a"), st(6, "clock_gettime", "a", 1),
            st(7, "spawn", "b"), st(8, "mlockall", "b"), st(9, "exec", "b"), st(10, "clock_gettime", "b", 1)],
    trace: [
      { t_ns: 0, step: 1, task: "a", kind: "mlockall", detail: "MCL_CURRENT|MCL_FUTURE" }, ...call(10, 2, "a"),
      ...call(20, 4, "a"),                                  // after a's munlockall(): not locked
      { t_ns: 30, step: 5, task: "a", kind: "mlockall", detail: "MCL_CURRENT" }, ...call(40, 6, "a"),
      { t_ns: 50, step: 8, task: "b", kind: "mlockall", detail: "MCL_CURRENT|MCL_FUTURE" },
      { t_ns: 60, step: 9, task: "b", kind: "exec" }, ...call(70, 10, "b"),          // a new mm: not locked
    ] };
  const t = timeline(r);
  assert.equal(t.fault_calls, 4);
  assert.equal(t.faults_after_mlockall, 2, "a's faults in steps 2 and 6; not a's in step 4 (after munlockall) nor b's in step 10 (after exec)");
  assert.deepEqual(t.mlockall_tasks, [{ task: "a", step: 1, until: 3, by: "munlockall" }, { task: "a", step: 5 }, { task: "b", step: 8, until: 9, by: "exec" }]);
  assert.equal(mlockWords(t), "in a task after its own mlockall() (a: step 1 until its munlockall() at step 3; a: step 5; b: step 8 until its exec() at step 9)");
  // a munlockall() step that did not run (its task was killed) ends nothing
  const t2 = timeline({ ...r, steps: r.steps.map(s => s.index === 3 ? { ...s, ran: false } : s) });
  assert.equal(t2.faults_after_mlockall, 3);
  assert.deepEqual(t2.mlockall_tasks[0], { task: "a", step: 1 });
});

test("the latency axis ends at the first power of ten at or above the slowest call, with a tick at 0 and at every power of ten", () => {
  assert.deepEqual(latencyAxis(20050), { top: 1e5, ticks: [0, 10, 100, 1e3, 1e4, 1e5] });
  assert.deepEqual(latencyAxis(1000), { top: 1e3, ticks: [0, 10, 100, 1e3] });
  assert.deepEqual(latencyAxis(1001).top, 1e4);
  assert.deepEqual(latencyAxis(50), { top: 100, ticks: [0, 10, 100] });
  assert.deepEqual(latencyAxis(0), { top: 10, ticks: [0, 10] });
  // the labels the timeline draws (formatNs, as every duration a learner reads)
  assert.deepEqual(latencyAxis(3e6).ticks.map(formatNs), ["0 ns", "10 ns", "100 ns", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms"]);
  assert.equal(formatNs(latencyAxis(5e8).top), "1 s");
  // every latency is on the axis: at most its top, above the tick below it
  for (const lat of [1, 9, 10, 11, 50, 999, 20000, 123456789]) {
    const a = latencyAxis(lat);
    assert.ok(lat <= a.top && (a.top === 10 || a.top / 10 < lat), `${lat} ns: top ${a.top}`);
  }
});

test("a task killed by SIGBUS: its death, the killing step, and its later steps 'not run' with the reason", () => {
  const zero = { faults: 0, minflt: 0, handler_calls: 0, gup_faults: 0, sigbus: 0, warns: 0, bugs: 0, syscall_fallbacks: 0 };
  const base = sampleRun();
  const r: RunResult = { ...base, ok: false,
    tasks: { app: { ...base.tasks.app, alive: false, killed: { signal: "SIGBUS", step: 1 }, vvar: [] } },
    trace: [{ t_ns: 0, step: 1, task: "app", kind: "fault", pgoff: 0 }, { t_ns: 0, step: 1, task: "app", kind: "sigbus", pgoff: 0 }],
    steps: [
      { index: 0, op: "spawn", task: "app", ran: true, deltas: zero, ok: true, failures: [] },
      { index: 1, op: "clock_gettime", task: "app", ran: true, signal: "SIGBUS", deltas: { ...zero, sigbus: 1 }, ok: false, failures: ["sigbus: expected 0, got 1"] },
      { index: 2, op: "smaps", task: "app", ran: false, not_run: "app was killed by SIGBUS at step 1", deltas: zero, ok: false,
        failures: ["not run: app was killed by SIGBUS at step 1"] },
    ] };
  assert.deepEqual(deaths(r), [{ task: "app", signal: "SIGBUS", step: 1, op: "clock_gettime", pgoff: 0 }]);
  assert.deepEqual(stepRows(r).map(x => [x.state, x.text]), [
    ["ok", ""],
    ["killed", "app killed by SIGBUS (a fault on [vvar] pgoff 0); sigbus: expected 0, got 1"],
    ["not run", "not run: app was killed by SIGBUS at step 1"]]);
});

test("results are kept per lesson, validated on read, and a foreign or broken entry is ignored", () => {
  const s = memStore();
  const view = { report: { lesson: "01", score: 1, max_score: 2, status: "fail", errors: [], tests: [
    { id: "a", name: "A", status: "pass", score: 1, max_score: 1, message: "", visibility: "visible" }] }, runs: [sampleRun()] };
  assert.equal(saveResults(s, "01", { "datastore.ts": "x" }, view), true);
  assert.deepEqual(loadResults(s, "01")?.files, { "datastore.ts": "x" });
  assert.equal(loadResults(s, "02"), null);
  s.map.set("prefault:v1:results:02", s.map.get("prefault:v1:results:01")!);
  assert.equal(loadResults(s, "02"), null, "results of lesson 01 never show under lesson 02");
  s.map.set("prefault:v1:results:01", JSON.stringify({ v: 1, files: {}, view: { report: { lesson: "01" }, runs: [] } }));
  assert.equal(loadResults(s, "01"), null);
  s.map.set("prefault:v1:results:01", "{not json");
  assert.equal(loadResults(s, "01"), null);
  // a huge view drops its traces first
  const big = { ...view, runs: [{ ...sampleRun(), trace: Array.from({ length: 30000 }, (_, i) => ({ t_ns: i, step: 1, task: "app", kind: "vdso_call", latency_ns: 30 })) }] };
  assert.equal(saveResults(s, "01", {}, big), true);
  const back = loadResults(s, "01")!.view as { runs: RunResult[] };
  assert.equal(back.runs[0].trace.length, 0);
  assert.equal(back.runs[0].trace_dropped, 30000);
  assert.deepEqual(loadLayout(s), { lesson: 22, results: 28, collapsed: false });
  saveLayout(s, { lesson: 30, results: 25, collapsed: true });
  assert.deepEqual(loadLayout(s), { lesson: 30, results: 25, collapsed: true });
  s.map.set("prefault:v1:layout", JSON.stringify({ lesson: "wide", results: 400, collapsed: 1 }));
  assert.deepEqual(loadLayout(s), { lesson: 22, results: 28, collapsed: false });
  // a first visit (nothing stored, another compiler version, a corrupt entry) or not
  assert.equal(loadCompilerSeen(s, "0.28.20"), false);
  assert.equal(saveCompilerSeen(s, "0.28.20"), true);
  assert.equal(loadCompilerSeen(s, "0.28.20"), true);
  assert.equal(loadCompilerSeen(s, "0.29.0"), false, "a new compiler is fetched again: a first visit for it");
  s.map.set("prefault:v1:compiler-seen", "{not json");
  assert.equal(loadCompilerSeen(s, "0.28.20"), false);
  s.map.set("prefault:v1:compiler-seen", JSON.stringify({ v: 2, asc: "0.28.20" }));
  assert.equal(loadCompilerSeen(s, "0.28.20"), false);
});

test("the [vvar] strip names each pgoff's slot and what it maps", () => {
  const [strip] = vvarStrips(sampleRun());
  assert.equal(strip.vm_flags, "rd mr de dd mm");
  assert.deepEqual(strip.cells.map(c => c.label), [
    "pgoff 0 (time data): maps time data", "pgoff 1 (timens): not present",
    "pgoff 2 (rng): maps rng", "pgoff 3 (arch 0): not present"]);
  assert.equal(slotName(5), "arch 2");
  assert.deepEqual(counterTable(sampleRun()).rows[0].counters.faults, 1);
});

test("check rows say passed or failed, and the summary counts them", () => {
  const report: Report = { lesson: "01", score: 3, max_score: 4, status: "fail", errors: [], tests: [
    { id: "a", name: "A", status: "pass", score: 3, max_score: 3, message: "", visibility: "visible" },
    { id: "b", name: "B", status: "fail", score: 0, max_score: 1, message: "why", visibility: "visible" }] };
  assert.deepEqual(checkRows(report).map(r => r.word), ["passed", "failed"]);
  assert.equal(summaryLine(report), "1 of 2 checks passed, 3 / 4 points");
});

test("Markdown is escaped: a lesson cannot inject markup or script links", () => {
  const html = renderMarkdown("# T\n\nUse `<b>` and **bold** [x](javascript:alert(1)) [ok](https://kernel.org)\n\n```ts\nlet a = 1 < 2;\n```\n- one\n- two");
  assert.ok(!html.includes("<b>"));
  assert.ok(html.includes("<code>&lt;b&gt;</code>"));
  assert.ok(html.includes("<strong>bold</strong>"));
  assert.ok(!/href="javascript:/i.test(html), "a javascript: link stays text");
  assert.ok(html.includes('href="https://kernel.org"'));
  assert.ok(html.includes("1 &lt; 2"));
  assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
  assert.ok(html.includes("<h2>T</h2>"), "headings move one level down");
  const table = renderMarkdown("| a | `b` |\n|---|---|\n| 1 | <i> |");
  assert.match(table, /^<div class="table-scroll" tabindex="0"><table>/);
  assert.match(table, /<th><code>b<\/code><\/th>/);
  assert.match(table, /<td>&lt;i&gt;<\/td>/);
  // what the hand-written renderer got wrong: fenced code inside a list item, a | inside
  // backticks outside a table, _em_, raw HTML blocks
  const listCode = renderMarkdown("1. Map the page:\n\n   ```ts\n   p = virt_to_page(x);\n   ```\n2. Return 0.");
  assert.match(listCode, /<li>\s*<p>Map the page:<\/p>\s*<pre tabindex="0"><code class="language-ts">p = virt_to_page\(x\);\n<\/code><\/pre>\s*<\/li>/);
  assert.match(listCode, /<li>\s*(<p>)?Return 0\./);
  assert.match(renderMarkdown("`VM_IO | VM_PFNMAP` skip populate"), /<p><code>VM_<wbr>IO \| VM_<wbr>PFNMAP<\/code> skip populate<\/p>/);
  // a long identifier in code may wrap after an underscore only: the text is unchanged
  const id = renderMarkdown("| name |\n|---|\n| `VDSO_TIMENS_PAGE_OFFSET` `__a` `<x_y>` |");
  assert.match(id, /<code>VDSO_<wbr>TIMENS_<wbr>PAGE_<wbr>OFFSET<\/code> <code>__<wbr>a<\/code> <code>&lt;x_<wbr>y&gt;<\/code>/);
  assert.equal(id.replace(/<[^>]+>/g, "").includes("VDSO_TIMENS_PAGE_OFFSET"), true);
  assert.match(renderMarkdown("an _emphasis_ and snake_case_name"), /an <em>emphasis<\/em> and snake_case_name/);
  const raw = renderMarkdown("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
  assert.ok(!/<script|<img/.test(raw), raw);
  assert.deepEqual(hintLevels("# Hints\n\n## Where\nlook at pgoff\n\n## How\nuse get_page").map(h => h.title), ["Where", "How"]);
});

test("storage: keys carry STORAGE_VERSION, and a record of another version is not trusted", async () => {
  const { STORAGE_VERSION } = await import("../../web/src/core/storage.js");
  const s = memStore();
  saveCode(s, "01", STARTER, 7);
  const key = `prefault:v${STORAGE_VERSION}:code:01`;
  assert.equal(JSON.parse(s.map.get(key)!).v, STORAGE_VERSION);
  s.map.set(key, JSON.stringify({ v: STORAGE_VERSION + 1, files: STARTER, saved: 1 }));
  assert.equal(loadCode(s, "01", ["datastore.ts"]), null);
});

test("practice predictions are kept per lesson and problem, the latest first, validated on read", async () => {
  const { loadPredictions, savePredictions, PREDICTIONS_KEPT, STORAGE_VERSION } = await import("../../web/src/core/storage.js");
  const s = memStore();
  assert.equal(loadPredictions(s, "02", 7), null);
  const mine = { 1: { faults: 1, minflt: 2, signal: "none" as const }, 3: { faults: null, minflt: 0, signal: null } };
  assert.equal(savePredictions(s, "02", 7, mine), true);
  assert.deepEqual(loadPredictions(s, "02", 7), mine);
  assert.equal(loadPredictions(s, "02", 8), null, "another problem has its own");
  assert.equal(loadPredictions(s, "03", 7), null, "another lesson has its own");
  // a problem saved again replaces its predictions; the most recently touched come first, and
  // only PREDICTIONS_KEPT problems are kept
  for (let seed = 100; seed < 100 + PREDICTIONS_KEPT; seed++) savePredictions(s, "02", seed, { 1: { faults: 0, minflt: 0, signal: "SIGBUS" } });
  assert.equal(loadPredictions(s, "02", 7), null, "the oldest problem went first");
  savePredictions(s, "02", 100, { 1: { faults: 5, minflt: 5, signal: "SIGSEGV" } });
  savePredictions(s, "02", 200, {});
  assert.deepEqual(loadPredictions(s, "02", 100), { 1: { faults: 5, minflt: 5, signal: "SIGSEGV" } }, "touched again: kept");
  assert.equal(loadPredictions(s, "02", 101), null);
  // what does not validate is dropped on its own; a record of another version, or broken JSON, is none
  const key = `prefault:v${STORAGE_VERSION}:predictions:02`;
  s.map.set(key, JSON.stringify({ v: STORAGE_VERSION, problems: [
    { seed: 9, steps: { 1: { faults: -1, minflt: 0, signal: null }, 2: { faults: 1, minflt: 1, signal: "SIGKILL" },
                        x: { faults: 1, minflt: 1, signal: null }, 4: { faults: 2, minflt: 3, signal: "SIGBUS" } } },
    { seed: "10", steps: {} }, null, { seed: 11 } ] }));
  assert.deepEqual(loadPredictions(s, "02", 9), { 4: { faults: 2, minflt: 3, signal: "SIGBUS" } });
  assert.equal(loadPredictions(s, "02", 11), null);
  s.map.set(key, JSON.stringify({ v: STORAGE_VERSION + 1, problems: [{ seed: 9, steps: {} }] }));
  assert.equal(loadPredictions(s, "02", 9), null);
  s.map.set(key, "{not json");
  assert.equal(loadPredictions(s, "02", 9), null);
  assert.equal(savePredictions(s, "02", 9, mine), true, "a broken entry is replaced");
  assert.deepEqual(loadPredictions(s, "02", 9), mine);
});
