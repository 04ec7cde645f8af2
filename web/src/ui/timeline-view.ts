// timeline-view.ts: the fault timeline as an SVG drawn at the pixel width of its container, so
// its text is the size the stylesheet says (12 px), never scaled down. Latency is on a log10
// scale labelled at 0 and at each power of ten (10 ns, 100 ns, 1 µs ...). Redrawn when the width
// changes (a splitter drag, a phone tab that becomes visible). Events (mlockall(), fork, a
// SIGBUS ...) are dashed lines keyed A, B, ...; the legend under the picture names them in full.
// A call that faulted is a button (click, Enter or Space): it sends EXPLAIN_EVENT up the page
// with the step and the fault's trace index, and the step-through (explain-view.ts) opens there.
import { fmtNs, latencyAxis, mlockWords, type Timeline, type TimelinePoint } from "../core/results.js";
import { formatNs } from "../../../engine/runner-trace.js";
import { s } from "./dom.js";

/** The event a fault bar sends (bubbling): detail { step, event } (a RunResult.trace index). */
export const EXPLAIN_EVENT = "prefault-explain";
export interface ExplainRequest { step: number; event?: number }

/** The key of marker i on the picture and in its legend: A, B, ... Z, AA ... */
export function markerKey(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : markerKey(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));
}

/** Draws `t` into `host` now (when it has a width) and again whenever its width changes. */
export function drawTimeline(host: HTMLElement, t: Timeline): void {
  let lastW = -1;
  const draw = () => {
    const w = Math.floor(host.clientWidth);
    if (w <= 0 || w === lastW) return;
    lastW = w;
    host.replaceChildren(svgOf(t, w));
  };
  new ResizeObserver(draw).observe(host);
  draw();
}

function svgOf(t: Timeline, W: number): SVGElement {
  const FONT = 12;
  const H = 170, L = 52, R = 8, B = 20, T = 8 + FONT * 2;
  const n = t.points.length;
  const step = (W - L - R) / Math.max(1, n);
  const axis = latencyAxis(t.max_latency_ns);
  const x = (slot: number) => L + (slot + 0.5) * step;
  // log scale: a 20 µs fault next to 50 ns reads are both visible; it ends at a power of ten
  const y = (lat: number) => H - B - (Math.log10(1 + lat) / Math.log10(1 + axis.top)) * (H - B - T);
  const mlock = t.mlockall_tasks.length > 0;
  const clickable = t.points.some(p => p.faulted && p.fault_event !== undefined);
  // with buttons inside, the picture is a group (an img's children are hidden from assistive tech)
  const svg = s("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: clickable ? "group" : "img",
    "aria-label": `Latency of ${t.calls} vDSO calls in order (${n} drawn); ${t.fault_calls} took a page fault` +
      (mlock ? `, ${t.faults_after_mlockall} of them ${mlockWords(t)}` : "") + `; the slowest took ${fmtNs(t.max_latency_ns)}.` });
  // the latency axis: a labelled tick and a grid line at 0 and at each power of ten (a label
  // that would touch the one below it is left out; its grid line stays)
  let lastLabelY = Infinity;
  for (const v of axis.ticks) {
    const ty = y(v);
    svg.append(s("line", { class: v === 0 ? "axis" : "grid", x1: L - 3, y1: ty, x2: W - R, y2: ty }));
    if (lastLabelY - ty < FONT + 1) continue;
    lastLabelY = ty;
    svg.append(s("text", { class: "tick", x: L - 5, y: ty, dy: "0.35em", "text-anchor": "end" }, formatNs(v)));   // "0 ns", "10 ns" .. "1 µs" .. "1 ms"
  }
  svg.append(s("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
  svg.append(s("text", { x: L, y: H - 5 }, "vDSO calls in order →"));
  const bw = Math.max(2, Math.min(12, step * 0.7));
  for (const p of t.points) {
    svg.append(s("rect", { class: p.faulted ? "bar fault" : "bar", x: x(p.slot) - bw / 2, width: bw,
      y: y(p.latency_ns), height: Math.max(1, H - B - y(p.latency_ns)) },
      s("title", {}, `${p.task}, step ${p.step}: ${fmtNs(p.latency_ns)}${p.faulted ? ` (page fault${p.pgoff !== undefined ? ` on pgoff ${p.pgoff}` : ""})` : ""}`)));
    if (p.faulted && p.fault_event !== undefined) svg.append(faultButton(p, x(p.slot), Math.max(bw + 6, Math.min(step, 24)), T, H - B));
  }
  // marker keys in two rows at the top, a row further down when two would touch
  const lastInRow = [-Infinity, -Infinity];
  t.markers.forEach((m, i) => {
    const mx = Math.max(L, x(m.slot));
    svg.append(s("line", { class: "mark", x1: mx, x2: mx, y1: T - 2, y2: H - B }, s("title", {}, `${markerKey(i)}: ${m.label}`)));
    const key = markerKey(i);
    const wKey = key.length * FONT * 0.7 + 4;
    const row = mx - lastInRow[0] >= wKey ? 0 : mx - lastInRow[1] >= wKey ? 1 : -1;
    if (row < 0) return;
    lastInRow[row] = mx;
    svg.append(s("text", { class: "key", x: Math.min(W - R - wKey, mx + 2), y: FONT + row * FONT }, key));
  });
  return svg;
}

// A fault's bar as a button: a transparent target the height of the plot and at least the bar's
// width (easier to hit than the bar), named for assistive tech; a click, Enter or Space sends
// EXPLAIN_EVENT.
function faultButton(p: TimelinePoint, cx: number, w: number, top: number, bottom: number): SVGElement {
  const label = `Step through the page fault of ${p.task} in step ${p.step}${p.pgoff !== undefined ? ` (pgoff ${p.pgoff})` : ""}`;
  const b = s("rect", { class: "hit", x: cx - w / 2, y: top, width: w, height: bottom - top, role: "button", tabindex: 0,
    "aria-label": label, "data-step": p.step, "data-event": p.fault_event! }, s("title", {}, label));
  const send = () => b.dispatchEvent(new CustomEvent<ExplainRequest>(EXPLAIN_EVENT, { bubbles: true, detail: { step: p.step, event: p.fault_event } }));
  b.addEventListener("click", send);
  b.addEventListener("keydown", e => {
    const k = (e as KeyboardEvent).key;
    if (k === "Enter" || k === " ") { e.preventDefault(); send(); }
  });
  return b;
}
