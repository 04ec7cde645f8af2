// web/src/class-report/page.ts: the script inside a class report (grade-all --out
// class.html). Runs in the browser, offline: scripts/build-class-report.mjs bundles it with
// Observable Plot into one minified file (dist/class-report/page.bundle.js) that
// engine/report/class-html.ts inlines. It is page code, so it lives with the web app's and is
// type-checked with it (web/tsconfig.json); the engine only holds the data it draws.
//
// Draws the two charts from the embedded ClassSummary (<script id="class-data">) as SVG, one
// mark per bin or check, each with a <title> saying its figure; makes the student table
// sortable (header buttons, aria-sort). The tables under the charts hold the same numbers as
// text, so the report reads without this script too.

import { axisX, axisY, barX, barY, plot, ruleX, ruleY, text } from "@observablehq/plot";
import type { CheckRate, ClassSummary, HistogramBin } from "../../../engine/report/class-html-summary.js";

const BAR = "#1d4ed8";          // 6.7:1 on white
const BAR_HIDDEN = "#6d28d9";   // 7.1:1 on white

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;
const pct = (c: CheckRate) => (c.total ? Math.round((1000 * c.pass) / c.total) / 10 : 0);

/** The score histogram, one bar per bin (bars of empty bins have height 0). */
function histogram(s: ClassSummary, width: number): SVGSVGElement | HTMLElement {
  const most = Math.max(1, ...s.histogram.map(b => b.count));
  return plot({
    width, height: 260, marginBottom: 44, marginLeft: 44,
    ariaLabel: "Score histogram",
    ariaDescription: `How many of the ${plural(s.students, "student")} got each score, out of ${s.max_score} points.`,
    x: { type: "band", domain: s.histogram.map(b => b.label), label: "score (points)", padding: 0.15 },
    y: { domain: [0, most], label: "students", grid: true },
    marks: [
      axisY({ ticks: Math.min(most, 6), tickFormat: (d: number) => (Number.isInteger(d) ? String(d) : "") }),
      axisX({ label: "score (points)", labelAnchor: "center", labelOffset: 36 }),
      barY(s.histogram, {
        x: "label", y: "count", fill: BAR,
        title: (b: HistogramBin) => `${b.label} points: ${plural(b.count, "student")}`,
      }),
      text(s.histogram.filter(b => b.count > 0), { x: "label", y: "count", text: (b: HistogramBin) => String(b.count), dy: -7, fontSize: 12 }),
      ruleY([0], { ariaHidden: "true" }),
    ],
  });
}

/** The pass rate of each check, one horizontal bar per check (percent of the students with a
 *  report for it). */
function checkRates(s: ClassSummary, width: number): SVGSVGElement | HTMLElement {
  const longest = Math.max(4, ...s.checks.map(c => c.id.length + (c.hidden ? 9 : 0)));
  // on a narrow screen each check's name goes above its bar instead of beside it
  const narrow = width < 560;
  const step = narrow ? 46 : 30, padding = narrow ? 0.5 : 0.25;
  const label = (c: CheckRate) => `${c.id}${c.hidden ? " (hidden)" : ""}`;
  return plot({
    width, height: 40 + step * Math.max(1, s.checks.length),
    marginLeft: narrow ? 8 : Math.min(width * 0.45, 16 + 6.6 * longest), marginRight: 56, marginTop: narrow ? 44 : 30,
    ariaLabel: "Pass rate of each check",
    ariaDescription: "The share of students who passed each check of the lesson, in percent.",
    x: { domain: [0, 100], label: "passed (%)", grid: true, axis: "top" },
    y: { domain: s.checks.map(label), label: null, axis: narrow ? null : "left", padding },
    marks: [
      barX(s.checks, {
        x: pct, y: label, fill: (c: CheckRate) => (c.hidden ? BAR_HIDDEN : BAR),
        title: (c: CheckRate) => `${label(c)}: ${c.pass} of ${c.total} passed (${pct(c)}%)`,
      }),
      text(s.checks, { x: pct, y: label, text: (c: CheckRate) => `${pct(c)}%`, textAnchor: "start", dx: 4, fontSize: 12 }),
      ...(narrow ? [text(s.checks, { x: 0, y: label, text: label, textAnchor: "start", dy: -(step * (1 - padding)) / 2 - 8, fontSize: 12 })] : []),
      ruleX([0], { ariaHidden: "true" }),
    ],
  });
}

function draw(s: ClassSummary): void {
  for (const [id, make] of [["histogram", histogram], ["check-chart", checkRates]] as const) {
    const host = document.getElementById(id);
    if (!host) continue;
    const width = Math.max(280, Math.min(host.clientWidth || 640, 960));
    host.replaceChildren(make(s, width));
    host.dataset.drawn = String(width);
  }
}

/** Sorts the student table by a header's key; the same header again flips the order. */
function sortable(table: HTMLTableElement): void {
  const body = table.tBodies[0];
  const heads = Array.from(table.tHead!.rows[0].cells);
  heads.forEach((th, col) => {
    const button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const numeric = th.dataset.type === "number";
      const dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      const sign = dir === "ascending" ? 1 : -1;
      const key = (tr: HTMLTableRowElement) => tr.cells[col].dataset.value ?? tr.cells[col].textContent ?? "";
      const rows = Array.from(body.rows).map((tr, i) => ({ tr, k: key(tr), i }));
      rows.sort((a, b) => {
        const d = numeric ? Number(a.k) - Number(b.k) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
        return d !== 0 ? sign * d : a.i - b.i;
      });
      body.replaceChildren(...rows.map(r => r.tr));
      for (const h of heads) h.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", dir);
      const live = document.getElementById("sort-status");
      if (live) live.textContent = `Sorted by ${button.textContent}, ${dir}.`;
    });
  });
}

function main(): void {
  const data = document.getElementById("class-data");
  if (!data) return;
  const s = JSON.parse(data.textContent ?? "{}") as ClassSummary;
  draw(s);
  let last = window.innerWidth, timer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener("resize", () => {
    if (window.innerWidth === last) return;
    last = window.innerWidth;
    clearTimeout(timer);
    timer = setTimeout(() => draw(s), 150);
  });
  const table = document.getElementById("students") as HTMLTableElement | null;
  if (table) sortable(table);
  document.documentElement.dataset.ready = "true";
}

main();
