// results-view.ts: draws a graded run into the "Results" region: the checks (passed/failed,
// points, explanation), the score, and per scenario the [vvar] page strips with VmFlags, the
// fault timeline, the counters and the kernel log. All numbers come from core/results.ts.
import type { Diagnostic, Report, RunResult } from "../../../engine/types.js";
import { checkRows, counterTable, fmtNs, summaryLine, timeline, vvarStrips, type Timeline } from "../core/results.js";
import { h, s } from "./dom.js";

export interface RunView {
  report: Report;
  runs: RunResult[];
  /** a banner above the checks: a compile failure, a timeout, an internal error */
  banner?: { kind: "compile" | "timeout" | "error"; text: string };
  diagnostics?: Diagnostic[];
  ms?: { compile: number; run: number; cached: boolean };
}

/** Replaces the content of `body` with the view of one graded run. */
export function renderResults(body: HTMLElement, v: RunView): void {
  const pass = v.report.status === "pass";
  const kids: Node[] = [];
  kids.push(h("p", { class: `summary ${pass ? "pass" : "fail"}`, id: "results-summary" },
    (pass ? "All checks passed. " : "") + summaryLine(v.report)));
  if (v.banner) kids.push(h("div", { class: `banner ${v.banner.kind}`, role: "alert" }, v.banner.text));
  if (v.diagnostics?.length) {
    kids.push(h("ul", { class: "steps", "aria-label": "Compiler messages" },
      ...v.diagnostics.map(d => h("li", { class: d.severity === "error" ? "bad" : "" },
        `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`))));
  }
  const list = h("ul", { class: "checks", "aria-label": "Checks" });
  for (const r of checkRows(v.report)) {
    list.append(h("li", { class: r.word, "data-check": r.id, "aria-label": `${r.name}: ${r.word}, ${r.score} of ${r.max_score} points` },
      h("span", { class: "pts" }, `${fmtPts(r.score)} / ${fmtPts(r.max_score)}`),
      h("span", { class: "word" }, r.word), h("span", { class: "name" }, r.name),
      r.message ? h("p", { class: "why" }, r.message) : null));
  }
  kids.push(list);
  for (const run of v.runs) kids.push(scenarioDetails(run, !run.ok));
  if (v.ms) {
    kids.push(h("p", { class: "muted", style: "font-size:11px" },
      `compile ${v.ms.cached ? "cached" : Math.round(v.ms.compile) + " ms"}, run ${Math.round(v.ms.run)} ms (wall clock)`));
  }
  body.replaceChildren(...kids);
}

function fmtPts(n: number): string { return Number.isInteger(n) ? String(n) : n.toFixed(1); }

// A scenario's section; its pictures are drawn when it is first opened (failed ones start open),
// so a Run that passes costs no drawing.
function scenarioDetails(run: RunResult, open: boolean): HTMLElement {
  const d = h("details", { class: "scenario", "data-scenario": run.scenario });
  d.append(h("summary", {}, `${run.scenario}: ${run.ok ? "ok" : run.status === "ok" ? "expectations not met" : run.status}`));
  let drawn = false;
  const draw = () => { if (!drawn) { drawn = true; scenarioBody(d, run); } };
  d.addEventListener("toggle", () => { if (d.open) draw(); });
  if (open) { draw(); d.open = true; }
  return d;
}

function scenarioBody(d: HTMLElement, run: RunResult): void {
  if (run.oops) {
    const where = run.oops.file ? ` at ${run.oops.file}:${run.oops.line}:${run.oops.column}` : "";
    d.append(h("div", { class: "banner", role: "note" }, `Kernel oops in step ${run.oops.step}: ${run.oops.message}${where}`));
  }
  const failing = run.steps.filter(st => st.failures.length > 0 || !st.ran);
  if (failing.length) {
    d.append(h("ul", { class: "steps", "aria-label": "Steps that did not go as expected" },
      ...failing.map(st => h("li", { class: "bad" },
        `step ${st.index} ${st.op}${st.task ? ` (${st.task})` : ""}: ${st.ran ? st.failures.join("; ") : "did not run"}`))));
  }
  d.append(h("h3", {}, "[vvar] pages at the end"));
  for (const strip of vvarStrips(run)) {
    const row = h("div", { class: "strip", role: "group", "aria-label": `task ${strip.task} [vvar]` },
      h("span", { class: "task" }, `${strip.task}${strip.ns !== "root" ? ` (ns ${strip.ns})` : ""}`));
    for (const c of strip.cells) {
      row.append(h("span", { class: `cell ${c.present ? "present" : "absent"} ${c.page ?? ""}`, title: c.label, "aria-label": c.label },
        h("b", {}, String(c.pgoff)), c.present ? (c.page ?? "?") : "—"));
    }
    row.append(h("span", { class: "vmflags", title: "VmFlags from /proc/pid/smaps" }, `VmFlags: ${strip.vm_flags}`));
    d.append(row);
  }
  d.append(h("h3", {}, "Fault timeline"));
  d.append(timelineSvg(timeline(run)));
  const ct = counterTable(run);
  d.append(h("table", { class: "counters", "aria-label": "Counters per task" },
    h("thead", {}, h("tr", {}, h("th", {}, "task"), ...ct.columns.map(c => h("th", {}, c.label)))),
    h("tbody", {}, ...ct.rows.map(r => h("tr", {}, h("td", {}, r.task),
      ...ct.columns.map(c => h("td", {}, String(r.counters[c.key]))))))));
  if (run.dmesg.length) {
    d.append(h("h3", {}, "Kernel log"), h("pre", { class: "dmesg", tabindex: "0", "aria-label": "Kernel log" }, run.dmesg.join("\n")));
  }
}

function timelineSvg(t: Timeline): HTMLElement {
  const wrap = h("div", { class: "timeline" });
  if (t.points.length === 0) { wrap.append(h("p", { class: "muted" }, "No vDSO calls in this scenario.")); return wrap; }
  const W = 600, H = 150, L = 44, B = 16, T = 14;
  const n = t.points.length;
  const step = (W - L - 8) / Math.max(1, n);
  const maxLat = Math.max(1, t.max_latency_ns);
  const x = (slot: number) => L + (slot + 0.5) * step;
  // log scale: a 20 µs fault next to 50 ns reads are both visible
  const y = (lat: number) => H - B - (Math.log10(1 + lat) / Math.log10(1 + maxLat)) * (H - B - T);
  const mlock = t.markers.some(m => m.kind === "mlockall");
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Latency of ${n} vDSO calls in order; ${t.fault_calls} took a page fault` +
      (mlock ? `, ${t.faults_after_mlockall} of them after mlockall()` : "") + `; the slowest took ${fmtNs(t.max_latency_ns)}.` });
  svg.append(s("line", { class: "axis", x1: L, y1: H - B, x2: W, y2: H - B }));
  svg.append(s("text", { x: 2, y: T }, fmtNs(maxLat)), s("text", { x: 2, y: H - B }, "0 ns"),
    s("text", { x: L, y: H - 3 }, "vDSO calls in order →"));
  const bw = Math.max(1, Math.min(10, step * 0.7));
  for (const p of t.points) {
    svg.append(s("rect", { class: p.faulted ? "bar fault" : "bar", x: x(p.slot) - bw / 2, width: bw,
      y: y(p.latency_ns), height: Math.max(1, H - B - y(p.latency_ns)) },
      s("title", {}, `call ${p.slot + 1} (${p.task}, step ${p.step}): ${fmtNs(p.latency_ns)}${p.faulted ? ` — page fault${p.pgoff !== undefined ? ` on pgoff ${p.pgoff}` : ""}` : ""}`)));
  }
  let lastLabelX = -Infinity, row = 0;
  for (const m of t.markers) {
    const mx = x(m.slot);
    svg.append(s("line", { class: "mark", x1: mx, x2: mx, y1: T - 4, y2: H - B }, s("title", {}, m.label)));
    row = mx - lastLabelX < 70 ? row + 1 : 0;
    if (row < 3) svg.append(s("text", { x: Math.min(W - 70, mx + 2), y: T + 10 * row }, m.label.slice(0, 22)));
    lastLabelX = mx;
  }
  wrap.append(svg);
  wrap.append(h("p", { class: "muted", style: "font-size:12px;margin:2px 0" },
    `${n} vDSO calls, ${t.fault_calls} with a page fault (red)` + (mlock ? `, ${t.faults_after_mlockall} after mlockall()` : "") +
    (t.dropped ? `; ${t.dropped} trace events dropped` : "")));
  return wrap;
}
