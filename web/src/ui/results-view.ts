// results-view.ts: draws a graded run into the "Results" region: the score (and a Next-lesson
// button on full marks), what stopped the run (a compile error, once, with file:line links; a
// timeout), the checks (passed/failed, points, explanation, a link to the check a failure
// follows from), and per scenario: who was killed and when, every step with how it went, the
// [vvar] page strips with VmFlags, the fault timeline, the counters and the kernel log. All
// numbers come from core/results.ts. Each scenario section and step row carries
// data-scenario / data-step, so a later panel (a step-through) can attach to them.
import type { Costs, Diagnostic, Report, RunResult } from "../../../engine/types.js";
import { checkRows, counterTable, deaths, fmtNs, mlockWords, stepRows, summaryLine, timeline, vvarStrips } from "../core/results.js";
import { fmtCost } from "../../../engine/costs.js";
import { h } from "./dom.js";
import { drawTimeline, markerKey } from "./timeline-view.js";

export interface RunView {
  report: Report;
  runs: RunResult[];
  /** a banner above the checks: a compile failure, a timeout, an internal error */
  banner?: { kind: "compile" | "timeout" | "error"; text: string };
  diagnostics?: Diagnostic[];
  ms?: { compile: number; run: number; cached: boolean };
  /** the learner's fault cost the pictures were drawn at (the checks keep the lesson's) */
  costs?: { fault_exception_ns: number };
  /** all the learner's costs the runs were made at, when not the lesson's (so that a run can be
   *  made again the same way: the step-through's call sites) */
  pricedWith?: Costs;
}

/** What the view can ask of the page. */
export interface ResultsActions {
  /** moves the editor's cursor to file:line:column */
  goto(file: string, line: number, column: number): void;
  /** the next lesson, offered on full marks */
  next?: { title: string; open(): void };
}

/** Replaces the content of `body` with the view of one graded run. */
export function renderResults(body: HTMLElement, v: RunView, act: ResultsActions): void {
  const pass = v.report.status === "pass";
  const kids: Node[] = [];
  kids.push(h("p", { class: "stale-note", id: "results-stale", role: "note" },
    "These results are for an earlier version of your code: Run again to update them."));
  kids.push(h("p", { class: `summary ${pass ? "pass" : "fail"}`, id: "results-summary" },
    pass ? `All checks passed, ${fmtPts(v.report.score)} / ${fmtPts(v.report.max_score)} points` : summaryLine(v.report)));
  if (pass && act.next) {
    const next = act.next;
    const b = h("button", { type: "button", class: "primary next-lesson", id: "next-lesson-btn" }, `Next lesson: ${next.title}`);
    b.addEventListener("click", () => next.open());
    kids.push(b);
  }
  if (v.banner) {
    const banner = h("div", { class: `banner ${v.banner.kind}`, role: "alert" }, v.banner.text);
    if (v.diagnostics?.length) banner.append(diagnosticList(v.diagnostics, act));
    kids.push(banner);
  }
  const list = h("ul", { class: "checks", "aria-label": "Checks" });
  const names = new Map(v.report.tests.map(t => [t.id, t.name]));
  for (const r of checkRows(v.report)) {
    const t = v.report.tests.find(x => x.id === r.id);
    const because = t?.because && names.has(t.because) ? t.because : undefined;
    const li = h("li", { class: r.word, id: `check-${r.id}`, "data-check": r.id, tabindex: "-1",
        "aria-label": `${r.name}: ${r.word}, ${r.score} of ${r.max_score} points` },
      h("span", { class: "pts" }, `${fmtPts(r.score)} / ${fmtPts(r.max_score)}`),
      h("span", { class: "word" }, r.word), h("span", { class: "name" }, r.name),
      t?.visibility === "hidden" ? h("span", { class: "tag" }, "hidden check") : null,
      // a compile error is said once, in the banner, not again under every check
      r.message && !(v.banner?.kind === "compile" && r.word === "error") ? h("p", { class: "why" }, r.message) : null);
    if (because) {
      const a = h("a", { href: `#check-${because}`, class: "because" }, `Go to “${names.get(because)}”`);
      a.addEventListener("click", e => { e.preventDefault(); document.getElementById(`check-${because}`)?.focus(); });
      li.append(h("p", { class: "why" }, a));
    }
    list.append(li);
  }
  kids.push(list);
  if (v.costs) {
    kids.push(h("p", { class: "cost-note", id: "cost-note" },
      `Timelines at your fault cost, ${fmtCost(v.costs.fault_exception_ns)} per fault; the checks are graded at the lesson's costs.`));
  }
  for (const run of v.runs) kids.push(scenarioDetails(run, !run.ok, act));
  if (v.ms) {
    kids.push(h("p", { class: "muted small" },
      `compile ${v.ms.cached ? "cached" : Math.round(v.ms.compile) + " ms"}, run ${Math.round(v.ms.run)} ms (wall clock)`));
  }
  body.replaceChildren(...kids);
}

/** Marks the shown results as those of older code (or not). */
export function markStale(body: HTMLElement, stale: boolean): void {
  body.classList.toggle("stale", stale);
}

function fmtPts(n: number): string { return Number.isInteger(n) ? String(n) : n.toFixed(1); }

/** "datastore.ts:12:5" as a link that moves the editor's cursor there. */
function fileLink(file: string, line: number, column: number, act: ResultsActions): HTMLElement {
  const a = h("a", { href: "#editor-pane", class: "loc", title: `Go to line ${line} of ${file}` }, `${file}:${line}:${column}`);
  a.addEventListener("click", e => { e.preventDefault(); act.goto(file, line, column); });
  return a;
}

// the compile errors (and warnings) once each, in file and line order
function diagnosticList(diags: Diagnostic[], act: ResultsActions): HTMLElement {
  const seen = new Set<string>();
  const uniq = diags.filter(d => {
    const k = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k); return true;
  });
  return h("ul", { class: "diags", "aria-label": "Compiler messages" },
    ...uniq.map(d => h("li", { class: d.severity === "error" ? "bad" : "" },
      fileLink(d.file, d.line, d.column, act), ` ${d.severity} ${d.code}: ${d.message}`)));
}

// A scenario's section; its pictures are drawn when it is first opened (failed ones start open),
// so a Run that passes costs no drawing.
function scenarioDetails(run: RunResult, open: boolean, act: ResultsActions): HTMLElement {
  const d = h("details", { class: "scenario", "data-scenario": run.scenario });
  const dead = deaths(run);
  const what = run.ok ? "ok" : run.status === "timeout" ? "soft lockup" : run.status === "oops" ? "oops"
    : dead.length ? dead.map(x => `${x.task} killed by ${x.signal} at step ${x.step}`).join(", ") : "expectations not met";
  d.append(h("summary", {}, `${run.scenario}: ${what}`));
  let drawn = false;
  const draw = () => { if (!drawn) { drawn = true; scenarioBody(d, run, act); } };
  d.addEventListener("toggle", () => { if (d.open) draw(); });
  if (open) { draw(); d.open = true; }
  return d;
}

function scenarioBody(d: HTMLElement, run: RunResult, act: ResultsActions): void {
  if (run.oops) {
    const o = run.oops;
    const box = h("div", { class: "banner", role: "note" },
      `${run.status === "timeout" ? "Stopped" : "Kernel oops"}${o.step >= 0 ? ` in step ${o.step}` : ""}: ${o.message}`);
    if (o.file && o.line) box.append(" at ", fileLink(o.file, o.line, o.column ?? 1, act));
    d.append(box);
  }
  for (const x of deaths(run)) {
    const later = run.steps.filter(st => st.not_run?.startsWith(`${x.task} was killed`)).length;
    d.append(h("p", { class: "death", role: "note" },
      `${x.task} was killed by ${x.signal} at step ${x.step} (${x.op}` +
      `${x.pgoff !== undefined ? `: a fault on [vvar] pgoff ${x.pgoff} that vvar_fault() answered with VM_FAULT_SIGBUS` : ""}).` +
      (later ? ` ${later} later step${later === 1 ? "" : "s"} of ${x.task} did not run.` : "")));
  }
  d.append(h("h3", {}, "Steps"));
  d.append(h("ol", { class: "steps", start: "0", "aria-label": `Steps of ${run.scenario}` },
    ...stepRows(run).map(r => h("li", { class: `step ${r.state.replace(" ", "-")}`, "data-step": String(r.index) },
      h("span", { class: "state" }, r.state), " ",
      h("code", {}, `${r.op}${r.task ? ` ${r.task}` : ""}`),
      r.text ? `: ${r.text}` : "",
      // the step-through (explain-view.ts) opens on a click of this
      r.state !== "not run" ? h("button", { type: "button", class: "explain-step", "data-step": String(r.index),
        "aria-label": `Step through step ${r.index} (${r.op}${r.task ? ` ${r.task}` : ""})` }, "Step through") : null))));
  d.append(h("h3", {}, "[vvar] pages at the end"));
  for (const strip of vvarStrips(run)) {
    const killed = run.tasks[strip.task]?.killed;
    const row = h("div", { class: "strip", role: "group", "aria-label": `task ${strip.task} [vvar]` },
      h("span", { class: "task" }, `${strip.task}${strip.ns !== "root" ? ` (ns ${strip.ns})` : ""}` +
        (killed ? ` (killed by ${killed.signal} at step ${killed.step})` : "")));
    if (strip.cells.length === 0) row.append(h("span", { class: "muted" }, killed ? "no mm: the task exited" : "no [vvar]"));
    for (const c of strip.cells) {
      row.append(h("span", { class: `cell ${c.present ? "present" : "absent"} ${c.page ?? ""}`, title: c.label, "aria-label": c.label },
        h("b", {}, String(c.pgoff)), c.present ? (c.page ?? "?") : "—"));
    }
    row.append(h("span", { class: "vmflags", title: "VmFlags from /proc/pid/smaps" }, `VmFlags: ${strip.vm_flags || "(none)"}`));
    d.append(row);
  }
  d.append(h("h3", {}, "Fault timeline"));
  d.append(timelineBlock(run));
  // counters: one row per counter, one column per task (a handful of tasks fit any pane)
  const ct = counterTable(run);
  d.append(h("h3", {}, "Counters"));
  d.append(h("div", { class: "table-scroll" }, h("table", { class: "counters", "aria-label": "Counters per task" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "counter"), ...ct.rows.map(r => h("th", { scope: "col" }, r.task)))),
    h("tbody", {}, ...ct.columns.map(c => h("tr", {}, h("th", { scope: "row" }, c.label),
      ...ct.rows.map(r => h("td", {}, String(r.counters[c.key])))))))));
  if (run.dmesg.length) {
    d.append(h("h3", {}, "Kernel log"), h("pre", { class: "dmesg", tabindex: "0", "aria-label": "Kernel log" }, run.dmesg.join("\n")));
  }
}

function timelineBlock(run: RunResult): HTMLElement {
  const t = timeline(run);
  const wrap = h("div", { class: "timeline" });
  if (t.points.length === 0) {
    const dead = deaths(run);
    wrap.append(h("p", { class: "muted small" }, t.calls > 0 || dead.length
      ? `${t.calls} vDSO call${t.calls === 1 ? "" : "s"}${dead.length ? `; ${dead.map(x => `${x.task} was killed by ${x.signal} at step ${x.step}`).join(", ")}` : ""}.`
      : "No vDSO calls in this scenario."));
    return wrap;
  }
  const mlock = t.mlockall_tasks.length > 0;
  const pic = h("div", { class: "timeline-pic" });
  wrap.append(pic);
  drawTimeline(pic, t);
  wrap.append(h("p", { class: "muted small" },
    `${t.calls} vDSO call${t.calls === 1 ? "" : "s"} (${t.points.length} drawn: the first of each step and every one that faulted), ` +
    `${t.fault_calls} with a page fault (red)` +
    (mlock ? `, ${t.faults_after_mlockall} ${mlockWords(t)}` : "") +
    `; the slowest took ${fmtNs(t.max_latency_ns)}` + (t.dropped ? `; ${t.dropped} trace events dropped` : "") + "."));
  if (t.markers.length) {
    wrap.append(h("ol", { class: "markers", "aria-label": "Events on the timeline" },
      ...t.markers.map((m, i) => h("li", {}, h("b", {}, markerKey(i)), ` ${m.label} (${m.task}, step ${m.step})`))));
  }
  return wrap;
}
