// Unit tests of the browser app's pure core (web/src/core): share links, autosave storage,
// results view models, Markdown. They run under node against the same modules Vite bundles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeShare, encodeShare } from "../../web/src/core/share.js";
import { clearUndo, loadCode, loadProgress, loadUndo, recordRun, saveCode, saveProgress, saveUndo, unlockHint, type KeyValueStore } from "../../web/src/core/storage.js";
import { checkRows, counterTable, slotName, summaryLine, timeline, vvarStrips } from "../../web/src/core/results.js";
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
  assert.deepEqual(decodeShare(same), { lesson: "01-first-fault", files: null });
  const edited = { "datastore.ts": STARTER["datastore.ts"].replace("2", "0") + "// ünïcode ✓\n".repeat(50) };
  const link = encodeShare("01-first-fault", edited, STARTER);
  assert.match(link, /^#lesson=01-first-fault&v=1&code=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < edited["datastore.ts"].length, "the code is compressed");
  assert.deepEqual(decodeShare(link), { lesson: "01-first-fault", files: edited });
});

test("a damaged share link still opens its lesson, without code", () => {
  assert.deepEqual(decodeShare("#lesson=02-x&v=1&code=%%%not-base64"), { lesson: "02-x", files: null });
  assert.deepEqual(decodeShare("#lesson=02-x&code=AAAA"), { lesson: "02-x", files: null });
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
  assert.ok(!html.includes("javascript:"));
  assert.ok(html.includes('href="https://kernel.org"'));
  assert.ok(html.includes("1 &lt; 2"));
  assert.ok(html.includes("<ul><li>one</li><li>two</li></ul>"));
  assert.equal(renderMarkdown("| a | `b` |\n|---|---|\n| 1 | <i> |"),
    "<table><thead><tr><th>a</th><th><code>b</code></th></tr></thead><tbody><tr><td>1</td><td>&lt;i&gt;</td></tr></tbody></table>");
  assert.deepEqual(hintLevels("# Hints\n\n## Where\nlook at pgoff\n\n## How\nuse get_page").map(h => h.title), ["Where", "How"]);
});
