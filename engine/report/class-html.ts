// engine/report/class-html.ts: a class's results as one self-contained HTML page
// (`prefault grade-all --out class.html`). Pure: the batch and the page script in, the bytes out;
// the same batch always gives the same bytes (no date, no machine name).
//
//   header      lesson, students, mean and median score, full marks, submissions not graded
//   Scores      histogram (drawn by the page script with Observable Plot) + its numbers as a table
//   Checks      pass rate of each check (chart + table)
//   Failures    the most common failure explanations, with how many students got each
//   Students    one row per student, sortable by every column (header buttons with aria-sort)
//
// Nothing is fetched: the script (web/src/class-report/page.ts bundled with Plot) and the styles are inline,
// and a Content-Security-Policy allows that one script (by its hash) and nothing from the network.
// Every string that can come from a student (folder names, compile errors, abort() messages in
// failure explanations) is escaped; names are isolated with <bdi> so bidi controls stay inside.

import type { BatchReport, BatchRow } from "./batch.js";
import { summarizeClass, type ClassSummary } from "./class-html-summary.js";
import { fmtPoints } from "./util.js";

/** The page script (holding no "</script" or "<!--"), and its SHA-256 in base64 for the
 *  Content-Security-Policy. */
export interface ClassPageScript { js: string; sha256: string }

/** Longest error text shown in a table cell (the JSON report has it whole). */
const MAX_CELL = 300;

/** s without characters HTML forbids in text (controls but tab/newline, lone surrogates,
 *  noncharacters). */
function htmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** s escaped for HTML text and for a double-quoted attribute. Pure. */
export function escapeHtml(s: string): string {
  return htmlSafe(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** v as JSON that can sit inside <script type="application/json">: no "<", ">", "&" or line
 *  separators as such, so no "</script>" or "<!--" can end or change the element. Pure. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const cut = (s: string) => (s.length > MAX_CELL ? s.slice(0, MAX_CELL - 1) + "\u2026" : s);
const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;
const STATUS_TEXT: Record<BatchRow["status"], string> = { pass: "full marks", fail: "checks failed", error: "not graded" };

function header(s: ClassSummary): string {
  const facts = [
    plural(s.students, "student"),
    `mean ${fmtPoints(s.mean)}/${fmtPoints(s.max_score)}`,
    `median ${fmtPoints(s.median)}`,
    `${s.full_marks} with full marks`,
    `${s.errors} not graded (did not compile or stopped)`,
  ];
  return `<header>
<h1>Class report <span class="lesson">${escapeHtml(s.lesson)}</span></h1>
<ul class="facts" aria-label="Summary">${facts.map(f => `<li>${escapeHtml(f)}</li>`).join("")}</ul>
</header>`;
}

function scores(s: ClassSummary): string {
  const rows = s.histogram.map(b => `<tr><th scope="row">${escapeHtml(b.label)}</th><td>${b.count}</td></tr>`).join("\n");
  return `<section aria-labelledby="h-scores">
<h2 id="h-scores">Scores</h2>
<figure class="chart" id="histogram" data-chart="histogram"><p class="nojs">The chart needs JavaScript; its numbers are in the table below.</p></figure>
<details><summary>The histogram's numbers</summary>
<table class="numbers"><thead><tr><th scope="col">score (points)</th><th scope="col">students</th></tr></thead>
<tbody>
${rows}
</tbody></table></details>
</section>`;
}

function checks(s: ClassSummary): string {
  if (s.checks.length === 0) return "";
  const rows = s.checks.map(c => {
    const pct = c.total ? Math.round((1000 * c.pass) / c.total) / 10 : 0;
    return `<tr><th scope="row"><code>${escapeHtml(c.id)}</code>${c.hidden ? ' <span class="tag">hidden</span>' : ""}<br><span class="muted">${escapeHtml(c.name)}</span></th>` +
      `<td>${fmtPoints(c.max_score)}</td><td>${c.pass} of ${c.total} (${pct}%)</td><td>${c.fail}</td><td>${c.error}</td></tr>`;
  }).join("\n");
  return `<section aria-labelledby="h-checks">
<h2 id="h-checks">Pass rate of each check</h2>
<figure class="chart" id="check-chart" data-chart="checks"><p class="nojs">The chart needs JavaScript; its numbers are in the table below.</p></figure>
<details><summary>Each check's numbers</summary>
<table class="numbers"><thead><tr><th scope="col">check</th><th scope="col">points</th><th scope="col">passed</th><th scope="col">failed</th><th scope="col">errors</th></tr></thead>
<tbody>
${rows}
</tbody></table></details>
</section>`;
}

function failures(s: ClassSummary): string {
  const items = s.failures.map(f => `<li><span class="count">${plural(f.students, "student")}</span>` +
    `<blockquote>${escapeHtml(f.text)}</blockquote>` +
    (f.checks.length ? `<span class="muted">${f.checks.length === 1 ? "check" : "checks"}: ${f.checks.map(c => `<code>${escapeHtml(c)}</code>`).join(", ")}</span>` : "") +
    `</li>`).join("\n");
  return `<section aria-labelledby="h-failures">
<h2 id="h-failures">Most common failure explanations</h2>
${s.failures.length ? `<ol class="failures" id="failures">\n${items}\n</ol>` : `<p>No check failed.</p>`}
</section>`;
}

function students(b: BatchReport, max: number): string {
  const rows = b.rows.map(r => {
    const pct = max > 0 ? Math.round((100 * r.score) / max) : 0;
    const err = r.errors.length ? cut(r.errors.join("; ")) : "";
    return `<tr><th scope="row" data-value="${escapeHtml(r.student)}"><bdi>${escapeHtml(r.student)}</bdi></th>` +
      `<td data-value="${r.score}"><span class="bar" style="--w:${pct}%"></span>${fmtPoints(r.score)}/${fmtPoints(r.max_score)}</td>` +
      `<td data-value="${r.status}" class="st-${r.status}">${STATUS_TEXT[r.status]}</td>` +
      `<td data-value="${r.failed.length}">${r.failed.map(c => `<code>${escapeHtml(c)}</code>`).join(" ")}</td>` +
      `<td>${escapeHtml(err)}</td></tr>`;
  }).join("\n");
  const head = (label: string, type: "text" | "number", sort: "ascending" | "none") =>
    `<th scope="col" aria-sort="${sort}" data-type="${type}"><button type="button">${label}</button></th>`;
  return `<section aria-labelledby="h-students">
<h2 id="h-students">Students</h2>
<p class="muted">Select a column heading to sort by it; again to reverse.</p>
<p id="sort-status" class="sr-only" aria-live="polite"></p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-students">
<table id="students"><thead><tr>${head("Student", "text", "ascending")}${head("Score", "number", "none")}${head("Status", "text", "none")}${head("Failed checks", "number", "none")}<th scope="col">Errors</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
</section>`;
}

const STYLE = `
:root{color-scheme:light;--fg:#1a1a1a;--muted:#4a4a4a;--line:#d0d0d0;--accent:#1d4ed8;--bg:#fff;--soft:#f3f4f6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:1.6rem;margin:0 0 6px}
h1 .lesson{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:1.2rem;color:var(--muted)}
h2{font-size:1.2rem;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.facts{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 10px}
.facts li{background:var(--soft);border-radius:4px;padding:2px 10px}
.chart{margin:0;min-height:120px;overflow-x:auto}
.chart svg{max-width:100%;height:auto;font-size:12px}
.muted{color:var(--muted)}
.tag{font-size:.8em;border:1px solid #6d28d9;color:#5b21b6;border-radius:3px;padding:0 4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
details{margin:6px 0 0}
summary{cursor:pointer;color:var(--accent)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
thead th{background:var(--soft)}
table.numbers{max-width:720px}
.failures{padding-left:1.4em}
.failures li{margin:0 0 10px}
.failures .count{font-weight:600}
.failures blockquote{margin:2px 0;padding-left:10px;border-left:3px solid var(--line);overflow-wrap:anywhere}
.scroll{overflow-x:auto}
#students{min-width:640px}
#students code{white-space:nowrap;display:inline-block;margin-right:6px}
#students th button,#students td:nth-child(3){white-space:nowrap}
#students td:nth-child(5){overflow-wrap:anywhere;min-width:14em}
#students th[scope=row]{font-weight:600;overflow-wrap:anywhere}
#students th button{font:inherit;font-weight:600;color:var(--accent);background:none;border:0;padding:0;cursor:pointer;text-decoration:underline}
#students th[aria-sort=ascending] button::after{content:" \\25B2" / ""}
#students th[aria-sort=descending] button::after{content:" \\25BC" / ""}
button:focus-visible,summary:focus-visible,.scroll:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.bar{display:block;height:4px;width:var(--w);background:var(--accent);margin-bottom:2px;min-width:1px}
.st-pass{color:#166534}.st-fail{color:#92400e}.st-error{color:#b91c1c}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{max-width:1100px;margin:30px auto;padding:0 20px;color:var(--muted);font-size:.85rem}
@media (max-width:600px){body{font-size:14px}header,main,footer{padding:0 12px}th,td{padding:4px 5px}}
`;

/** The class report as a self-contained HTML document. Pure. */
export function emitClassHtml(batch: BatchReport, page: ClassPageScript): string {
  const s = summarizeClass(batch);
  const csp = `default-src 'none'; script-src 'sha256-${page.sha256}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  // the hash covers the script's exact text, so it cannot be escaped here: the build makes sure
  if (/<\/script|<!--/i.test(page.js)) throw new Error("emitClassHtml: the page script holds </script or <!--");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="generator" content="prefault grade-all">
<title>Class report: ${escapeHtml(s.lesson)} (${plural(s.students, "student")})</title>
<style>${STYLE}</style>
</head>
<body>
${header(s)}
<main>
${scores(s)}
${checks(s)}
${failures(s)}
${students(batch, s.max_score)}
</main>
<footer>Made by <code>prefault grade-all</code>${batch.shard ? ` (shard ${escapeHtml(batch.shard)})` : ""}. Charts drawn with Observable Plot, bundled in this file: it needs no network.</footer>
<script type="application/json" id="class-data">${jsonForScript(s)}</script>
<script>${page.js}</script>
</body>
</html>
`;
}
