// The class report in real Chromium, offline from file://: `prefault grade-all --out class.html`
// over a small class (a solution, a starter, mutants, a compile error and a hostile student),
// checked against `grade-all --out class.json` of the same folder: the drawn marks (bar heights
// and widths, their titles), the failure list, the sortable table (mouse and keyboard, aria-sort),
// the escaping of what students control, no request but the file, no console error (the CSP
// would log one), axe-core with no WCAG A/AA violation, and a phone-width layout that does not
// overflow. PREFAULT_SCREENSHOTS=DIR saves 1440x900 and 390x844 screenshots there.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../../cli/commands/serve.js";
import type { BatchReport } from "../../engine/report/batch.js";
import { summarizeClass } from "../../engine/report/class-html-summary.js";
import { launch, type Browser } from "./harness.js";

const LESSON = "01-first-fault";
const lessonDir = join(repoRoot(), "lessons", LESSON);
const BIN = join(repoRoot(), "bin", "prefault.js");
const EVIL_NAME = `<img src=x onerror=alert(1)>'"&`;
const EVIL_ABORT = `<img src=y onerror=alert(2)></script><!-- &amp;`;

let dir: string, batch: BatchReport, url: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "prefault-class-html-"));
  const subs = join(dir, "subs");
  const put = (student: string, text: string) => { mkdirSync(join(subs, student), { recursive: true }); writeFileSync(join(subs, student, "datastore.ts"), text); };
  const solution = readFileSync(join(lessonDir, "solution", "datastore.ts"), "utf8");
  put("ada", solution);
  put("bea", readFileSync(join(lessonDir, "starter", "datastore.ts"), "utf8"));
  for (const [i, m] of readdirSync(join(lessonDir, "mutants")).sort().slice(0, 3).entries()) {
    mkdirSync(join(subs, `m${i}`), { recursive: true });
    copyFileSync(join(lessonDir, "mutants", m), join(subs, `m${i}`, "datastore.ts"));
  }
  put("zed", "export function vvar_fault( {\n");
  const hostile = solution.replace("if (!IS_ENABLED(CONFIG_VDSO_GETRANDOM)) return VM_FAULT_SIGBUS;", `abort(${JSON.stringify(EVIL_ABORT)});`);
  assert.notEqual(hostile, solution);
  put(EVIL_NAME, hostile);
  for (const out of ["class.json", "class.html"]) {
    const r = spawnSync(process.execPath, [BIN, "grade-all", "--lesson", LESSON, subs, "--jobs", "2", "--out", join(dir, out)], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  batch = JSON.parse(readFileSync(join(dir, "class.json"), "utf8")) as BatchReport;
  url = pathToFileURL(join(dir, "class.html")).href;
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

type Mark = { title: string; x: number; y: number; width: number; height: number };
async function marks(b: Browser, chart: string): Promise<Mark[]> {
  return b.page.locator(`#${chart} svg g[aria-label="bar"] rect`).evaluateAll(els => els.map(e => ({
    title: e.querySelector("title")?.textContent ?? "", x: Number(e.getAttribute("x")), y: Number(e.getAttribute("y")),
    width: Number(e.getAttribute("width")), height: Number(e.getAttribute("height")) })));
}

/** Asserts that sizes are proportional to values (one scale factor for all, within 0.6 px). */
function proportional(sizes: number[], values: number[], what: string): void {
  const i = values.findIndex(v => v === Math.max(...values));
  const unit = sizes[i] / values[i];
  assert.ok(unit > 0, `${what}: the largest mark has a size`);
  sizes.forEach((s, k) => assert.ok(Math.abs(s - unit * values[k]) < 0.6, `${what} #${k}: ${s} px for ${values[k]} (unit ${unit})`));
}

async function open(viewport: { width: number; height: number }): Promise<{ b: Browser; requests: string[]; dialogs: string[] }> {
  const b = await launch({ viewport });
  const requests: string[] = [], dialogs: string[] = [];
  b.page.on("request", r => requests.push(r.url()));
  b.page.on("dialog", d => { dialogs.push(d.message()); void d.dismiss(); });
  await b.page.goto(url);
  await b.page.locator("html[data-ready=true]").waitFor({ state: "attached", timeout: 30_000 });
  return { b, requests, dialogs };
}

test("the charts draw what the JSON report says; the table sorts; nothing a student wrote runs; no network; axe finds nothing", async () => {
  const { b, requests, dialogs } = await open({ width: 1440, height: 900 });
  try {
    const { page } = b;
    const rows = batch.rows;
    assert.equal(rows.length, 7);

    // the histogram: one bar per point from 0 to the maximum, as tall as its number of students
    const max = Math.max(...rows.map(r => r.max_score));
    const counts = Array.from({ length: max + 1 }, (_, k) => rows.filter(r => Math.min(max, Math.floor(r.score)) === k).length);
    const hist = await marks(b, "histogram");
    assert.deepEqual(hist.map(m => m.title), counts.map((n, k) => `${k} points: ${n} student${n === 1 ? "" : "s"}`));
    proportional(hist.map(m => m.height), counts, "histogram bar");
    for (let k = 1; k < hist.length; k++) assert.ok(hist[k].x > hist[k - 1].x, "bins left to right");

    // the pass rates: one bar per check of the lesson, as long as its share of passes
    const ids = batch.reports[rows[0].student].tests.map(t => t.id);
    const rates = ids.map(id => {
      const ts = rows.map(r => batch.reports[r.student].tests.find(t => t.id === id)!);
      return { id, pass: ts.filter(t => t.status === "pass").length, total: ts.length, hidden: ts.some(t => t.visibility !== "visible") };
    });
    const bars = await marks(b, "check-chart");
    assert.deepEqual(bars.map(m => m.title), rates.map(r =>
      `${r.id}${r.hidden ? " (hidden)" : ""}: ${r.pass} of ${r.total} passed (${Math.round(1000 * r.pass / r.total) / 10}%)`));
    proportional(bars.map(m => m.width), rates.map(r => r.pass / r.total), "pass-rate bar");
    assert.ok(rates.some(r => r.hidden), "the lesson has a hidden check, and it is labelled");

    // the failure explanations, most common first, with their counts
    const want = summarizeClass(batch).failures;
    const items = await page.locator("#failures > li").evaluateAll(els => els.map(e => ({
      count: e.querySelector(".count")?.textContent ?? "", text: e.querySelector("blockquote")?.textContent ?? "" })));
    assert.deepEqual(items, want.map(f => ({ count: `${f.students} student${f.students === 1 ? "" : "s"}`, text: f.text })));
    assert.ok(items.some(i => i.text.includes(EVIL_ABORT)), "the hostile abort() message is shown as text");
    assert.ok(items.some(i => i.text === "did not compile"));

    // the table: every student, names exactly as their folders; sortable by mouse and keyboard
    const names = () => page.locator("#students tbody tr th").allTextContents();
    assert.deepEqual(await names(), rows.map(r => r.student));
    const sortOf = (label: string) => page.locator("#students thead th").filter({ has: page.getByRole("button", { name: label, exact: true }) }).getAttribute("aria-sort");
    assert.equal(await sortOf("Student"), "ascending");
    await page.getByRole("button", { name: "Score", exact: true }).click();
    const byScore = [...rows].sort((x, y) => x.score - y.score || (x.student < y.student ? -1 : 1)).map(r => r.student);
    assert.deepEqual(await names(), byScore);
    assert.equal(await sortOf("Score"), "ascending");
    assert.equal(await sortOf("Student"), "none");
    await page.getByRole("button", { name: "Score", exact: true }).click();
    const desc = await page.locator("#students tbody tr td:nth-of-type(1)").evaluateAll(els => els.map(e => Number((e as HTMLElement).dataset.value)));
    assert.deepEqual(desc, [...rows.map(r => r.score)].sort((x, y) => y - x));
    assert.equal(await sortOf("Score"), "descending");
    await page.getByRole("button", { name: "Failed checks", exact: true }).focus();
    await page.keyboard.press("Enter");
    const failedCounts = await page.locator("#students tbody tr td:nth-of-type(3)").evaluateAll(els => els.map(e => Number((e as HTMLElement).dataset.value)));
    assert.deepEqual(failedCounts, [...rows.map(r => r.failed.length)].sort((x, y) => x - y));
    assert.equal(await sortOf("Failed checks"), "ascending");

    // nothing a student wrote became markup or ran; nothing but the file was fetched
    assert.deepEqual(dialogs, []);
    assert.equal(await page.locator("img").count(), 0);
    assert.ok((await names()).includes(EVIL_NAME));
    assert.deepEqual(requests, [url]);
    assert.deepEqual(b.errors, []);

    // axe-core: no WCAG 2 A/AA violation (contrast, names, headers)
    const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    await page.evaluate(axe);
    const violations = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> } })
        .axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return r.violations.map(v => `${v.id}: ${v.nodes.map(n => n.html).join(" | ").slice(0, 300)}`);
    });
    assert.deepEqual(violations, []);
    if (process.env.PREFAULT_SCREENSHOTS) await page.screenshot({ path: join(process.env.PREFAULT_SCREENSHOTS, "class-1440x900.png"), fullPage: true });
  } finally { await b.close(); }
});

test("on a phone (390x844) the charts are redrawn to fit and the page does not overflow sideways", async () => {
  const { b } = await open({ width: 390, height: 844 });
  try {
    const { page } = b;
    const widths = await page.locator("svg").evaluateAll(els => els.map(e => e.getBoundingClientRect().right));
    assert.ok(widths.length >= 2);
    for (const w of widths) assert.ok(w <= 390, `a chart ends at ${w} px`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, "no sideways scroll of the page");
    // the check names are drawn above their bars, not beside them (no left axis to crowd)
    const labels = await page.locator('#check-chart svg g[aria-label="text"] text').allTextContents();
    for (const t of batch.reports[batch.rows[0].student].tests) assert.ok(labels.some(l => l.startsWith(t.id)), `label of ${t.id}`);
    assert.equal((await marks(b, "check-chart")).length, batch.reports[batch.rows[0].student].tests.length);
    assert.deepEqual(b.errors, []);
    if (process.env.PREFAULT_SCREENSHOTS) await page.screenshot({ path: join(process.env.PREFAULT_SCREENSHOTS, "class-390x844.png"), fullPage: true });
  } finally { await b.close(); }
});
