// timeline-view.ts: the fault timeline as an SVG drawn at the pixel width of its container, so
// its text is the size the stylesheet says (12 px), never scaled down. Redrawn when the width
// changes (a splitter drag, a phone tab that becomes visible). Events (mlockall(), fork, a
// SIGBUS ...) are dashed lines keyed A, B, ...; the legend under the picture names them in full.
import { fmtNs, type Timeline } from "../core/results.js";
import { s } from "./dom.js";

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
  const maxLat = Math.max(1, t.max_latency_ns);
  const x = (slot: number) => L + (slot + 0.5) * step;
  // log scale: a 20 µs fault next to 50 ns reads are both visible
  const y = (lat: number) => H - B - (Math.log10(1 + lat) / Math.log10(1 + maxLat)) * (H - B - T);
  const mlock = t.mlockall_step !== null;
  const svg = s("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Latency of ${t.calls} vDSO calls in order (${n} drawn); ${t.fault_calls} took a page fault` +
      (mlock ? `, ${t.faults_after_mlockall} of them after mlockall()` : "") + `; the slowest took ${fmtNs(t.max_latency_ns)}.` });
  svg.append(s("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }));
  svg.append(s("text", { x: 2, y: T + FONT / 2 }, fmtNs(maxLat)), s("text", { x: 2, y: H - B }, "0 ns"),
    s("text", { x: L, y: H - 5 }, "vDSO calls in order →"));
  const bw = Math.max(2, Math.min(12, step * 0.7));
  for (const p of t.points) {
    svg.append(s("rect", { class: p.faulted ? "bar fault" : "bar", x: x(p.slot) - bw / 2, width: bw,
      y: y(p.latency_ns), height: Math.max(1, H - B - y(p.latency_ns)) },
      s("title", {}, `${p.task}, step ${p.step}: ${fmtNs(p.latency_ns)}${p.faulted ? ` (page fault${p.pgoff !== undefined ? ` on pgoff ${p.pgoff}` : ""})` : ""}`)));
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
