// The class HTML report's pure parts: the figures (class-html-summary.ts) and the page
// (class-html.ts): bins, failure groups, escaping of everything a student controls, the CSP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { makeBatch } from "../../engine/report/batch.js";
import { failureKey, histogramBins, summarizeClass } from "../../engine/report/class-html-summary.js";
import { emitClassHtml, escapeHtml, jsonForScript } from "../../engine/report/class-html.js";
import type { Report, TestResult } from "../../engine/types.js";
import { loadClassPageScript } from "../../cli/class-report.js";

const t = (id: string, status: TestResult["status"], message = "", max = 2, visibility: TestResult["visibility"] = "visible"): TestResult =>
  ({ id, name: `the ${id} check`, status, score: status === "pass" ? max : 0, max_score: max, message, visibility });
const rep = (tests: TestResult[], errors: Report["errors"] = []): Report => {
  const score = tests.reduce((s, x) => s + x.score, 0), max = tests.reduce((s, x) => s + x.max_score, 0) || 4;
  return { lesson: "L", score, max_score: max, status: errors.length ? "error" : score === max ? "pass" : "fail", tests, errors };
};

test("histogram bins: one per point up to 20 points, the top score in the last bin; wider bins above 20", () => {
  const b = histogramBins([0, 3, 3.5, 9.99, 10, 10], 10);
  assert.equal(b.length, 11);
  assert.deepEqual(b.map(x => x.count), [1, 0, 0, 2, 0, 0, 0, 0, 0, 1, 2]);
  assert.deepEqual(b.map(x => x.label).slice(0, 3), ["0", "1", "2"]);
  const w = histogramBins([0, 44, 45, 2.9, 3], 45);
  assert.equal(w.length, 16);
  assert.equal(w[0].label, "0\u20133");
  assert.equal(w[15].label, "45");
  assert.deepEqual([w[0].count, w[1].count, w[14].count, w[15].count], [2, 1, 1, 1]);
  assert.equal(histogramBins([], 0).length, 1);
});

test("a failure's group is its explanation: first line, no step detail or file position; every compile error is one group", () => {
  assert.equal(failureKey("Page tables belong to an mm.\n(step 2 (clock_gettime by a): correct false)"), "Page tables belong to an mm.");
  assert.equal(failureKey("did not compile: datastore.ts:1:17: TS1126 Unexpected end of text."), "did not compile");
  assert.equal(failureKey("The kernel oopsed in step 1 of scenario first-fault: vmf_insert_pfn_prot: bad at datastore.ts:22:14"),
    "The kernel oopsed in a step of scenario first-fault: vmf_insert_pfn_prot: bad");
  assert.equal(failureKey("Maps pgoff 1 (step 3)"), "Maps pgoff 1");
});

test("the summary counts each check's results and groups failures by student, most common first", () => {
  const batch = makeBatch("L", null, [
    ["carol", rep([t("a", "fail", "A is wrong.\n(step 1: x)"), t("b", "fail", "Not graded until \"a\" passes.")])],
    ["alice", rep([t("a", "pass"), t("b", "pass")])],
    ["bob", rep([t("a", "fail", "A is wrong.\n(step 4: y)"), t("b", "fail", "B is wrong.", 2, "hidden")])],
    ["dave", rep([t("a", "error", "did not compile: x.ts:1: e"), t("b", "error", "did not compile: x.ts:1: e")], [{ message: "e" }])],
    ["erin", rep([], [{ message: "datastore.ts is a symbolic link; hand in the file itself" }])],
  ]);
  const s = summarizeClass(batch);
  assert.deepEqual([s.students, s.full_marks, s.errors, s.max_score], [5, 1, 2, 4]);
  assert.equal(s.mean, Math.round(100 * 4 / 5) / 100);
  assert.equal(s.median, 0);
  assert.deepEqual(s.checks.map(c => [c.id, c.pass, c.fail, c.error, c.total, c.hidden]),
    [["a", 1, 2, 1, 4, false], ["b", 1, 2, 1, 4, true]]);
  assert.deepEqual(s.failures, [
    { text: "A is wrong.", students: 2, checks: ["a"] },
    { text: "B is wrong.", students: 1, checks: ["b"] },
    { text: "datastore.ts is a symbolic link; hand in the file itself", students: 1, checks: [] },
    { text: "did not compile", students: 1, checks: ["a", "b"] },
  ]);
  assert.deepEqual(s.histogram.map(b => b.count), [4, 0, 0, 0, 1]);
});

const page = { js: "document.documentElement.dataset.ready='true';", sha256: "" };
page.sha256 = createHash("sha256").update(page.js).digest("base64");

test("every string a student controls is escaped; the embedded data cannot end its script element", () => {
  const evil = `</script><script>alert(1)</script><img src=x onerror="alert(2)">'&`;
  const batch = makeBatch("L", null, [
    [evil, rep([t("a", "fail", `The kernel oopsed: abort: ${evil}`), t("b", "pass")], [])],
    ["ok\u202Eevil", rep([t("a", "pass"), t("b", "pass")])],
    ["ctl\u0007\uD800x", rep([t("a", "pass"), t("b", "pass")])],
  ]);
  const html = emitClassHtml(batch, page);
  assert.equal(html.match(/<script\b/g)?.length, 2, "only the data element and the page script");
  assert.equal(html.match(/<\/script>/g)?.length, 2);
  assert.ok(!html.includes("<img"), "no element from a student string");
  assert.ok(!html.includes("onerror=\""), "no attribute from a student string");
  assert.ok(html.includes(escapeHtml(evil)));
  assert.ok(html.includes("<bdi>ok\u202Eevil</bdi>"), "a name with a bidi control is isolated");
  assert.ok(html.includes("ctl\uFFFD\uFFFDx"), "controls and lone surrogates are replaced");
  const data = /<script type="application\/json" id="class-data">([^<]*)<\/script>/.exec(html);
  assert.ok(data, "the data element holds no '<' at all");
  assert.equal(JSON.parse(data![1]).failures[0].text, `The kernel oopsed: abort: ${evil}`);
  assert.equal(jsonForScript({ s: "</script>\u2028" }), '{"s":"\\u003c/script\\u003e\\u2028"}');
});

test("the page is deterministic, allows only its own script by hash, and refuses a script that would end early", () => {
  const batch = makeBatch("L", "2/3", [["a", rep([t("a", "pass")])], ["b", rep([t("a", "fail", "no")])]]);
  const one = emitClassHtml(batch, page);
  assert.equal(emitClassHtml(makeBatch("L", "2/3", [["b", rep([t("a", "fail", "no")])], ["a", rep([t("a", "pass")])]]), page), one);
  assert.match(one.replace(/&#39;/g, "'"), new RegExp(`script-src 'sha256-${page.sha256.replace(/[+/]/g, "\\$&")}'`));
  assert.match(one, /default-src &#39;none&#39;/);
  assert.throws(() => emitClassHtml(batch, { js: "x='</script>'", sha256: "" }), /<\/script/);
});

test("the built page script (Observable Plot inside) is there, carries its licences, and its hash is what the CSP names", () => {
  const p = loadClassPageScript();
  assert.ok(p.ok, !p.ok ? p.message : "");
  if (!p.ok) return;
  assert.ok(p.page.js.length > 50_000, "Plot is bundled in");
  assert.match(p.page.js, /@observablehq\/plot \d+\.\d+\.\d+ \(ISC\)/);
  assert.match(p.page.js, /Copyright .* Observable, Inc\./);
  assert.equal(p.page.sha256, createHash("sha256").update(p.page.js).digest("base64"));
});
