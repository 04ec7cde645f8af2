// layout.ts: the page's panes. At desktop width three columns (lesson, editor, results) with
// two splitters (role="separator": drag with the pointer, or focus and use the arrow keys,
// Home/End, Enter to collapse the lesson pane) and a button that collapses the lesson pane.
// A splitter's value is where it stands, in % of the layout's width from its left edge (the
// lesson splitter's is the lesson pane's width; the results splitter's, 100 minus the results
// pane's, which its aria-valuetext says), so that, as the WAI-ARIA window splitter pattern has
// it, ArrowLeft moves it left and ArrowRight right, and Right (and Up) raise the value; its
// aria-valuemin and aria-valuemax are the positions it can really reach (clampPrefs). At
// phone width one pane at a time behind a tablist (Lesson, Code, Results; arrow keys move
// between the tabs). Widths and the collapsed state are kept by the caller (storage.ts).
import type { LayoutPrefs } from "../core/storage.js";

export type PaneId = "lesson" | "code" | "results";

export interface Layout {
  /** Shows pane `id` (phone width: its tab; desktop: opens the lesson pane if it is collapsed). */
  show(id: PaneId): void;
  /** Whether the page is in one-pane (phone) mode. */
  narrow(): boolean;
  /** Puts a short text on a tab (e.g. "3 of 7" on Results), "" to clear it. */
  badge(id: PaneId, text: string): void;
}

/** The width below which one pane is shown at a time; styles.css has the same number. */
export const NARROW_PX = 760;
const PANES: PaneId[] = ["lesson", "code", "results"];
const PANE_EL: Record<PaneId, string> = { lesson: "lesson-pane", code: "editor-pane", results: "results" };
const TAB_EL: Record<PaneId, string> = { lesson: "tab-lesson", code: "tab-code", results: "tab-results" };

/** Wires the splitters, the collapse button and the phone tabs of index.html. `prefs` are the
 *  saved widths; `save` is called with new ones after each change. */
export function createLayout(prefs: LayoutPrefs, save: (p: LayoutPrefs) => void): Layout {
  const $ = (id: string) => document.getElementById(id)!;
  const layout = $("layout");
  const toggle = $("lesson-toggle") as HTMLButtonElement;
  let p: LayoutPrefs = { ...prefs };
  const mq = window.matchMedia(`(max-width: ${NARROW_PX}px)`);

  function apply(): void {
    layout.style.setProperty("--lesson-w", `${p.lesson}%`);
    layout.style.setProperty("--results-w", `${p.results}%`);
    layout.classList.toggle("lesson-collapsed", p.collapsed);
    toggle.setAttribute("aria-expanded", String(!p.collapsed));
    toggle.textContent = p.collapsed ? "Show lesson" : "Hide lesson";
    const ls = $("split-lesson");
    ls.setAttribute("aria-valuenow", String(Math.round(p.lesson)));
    if (p.collapsed) ls.setAttribute("aria-valuetext", "lesson pane collapsed"); else ls.removeAttribute("aria-valuetext");
    const rs = $("split-results");
    rs.setAttribute("aria-valuemin", String(Math.round(100 - resultsMax(p))));
    rs.setAttribute("aria-valuemax", String(100 - RESULTS_MIN));
    rs.setAttribute("aria-valuenow", String(Math.round(100 - p.results)));
    rs.setAttribute("aria-valuetext", `results pane ${Math.round(p.results)}% wide`);
  }
  const change = (next: Partial<LayoutPrefs>) => { p = clampPrefs({ ...p, ...next }); apply(); save(p); };

  toggle.addEventListener("click", () => change({ collapsed: !p.collapsed }));

  // a splitter: its position in % of the layout from the left, which sizes `which` pane (the
  // lesson pane left of it, the results pane right of it)
  function splitter(el: HTMLElement, which: "lesson" | "results"): void {
    el.addEventListener("keydown", e => {
      const stepPct = e.shiftKey ? 10 : 2;
      let at = which === "lesson" ? (p.collapsed ? 0 : p.lesson) : 100 - p.results;
      if (e.key === "ArrowLeft" || e.key === "ArrowDown") at -= stepPct;
      else if (e.key === "ArrowRight" || e.key === "ArrowUp") at += stepPct;
      else if (e.key === "Home") at = Number(el.getAttribute("aria-valuemin"));
      else if (e.key === "End") at = Number(el.getAttribute("aria-valuemax"));
      else if (e.key === "Enter" && which === "lesson") { e.preventDefault(); change({ collapsed: !p.collapsed }); return; }
      else return;
      e.preventDefault();
      change(which === "lesson" ? { lesson: at, collapsed: false } : { results: 100 - at });
    });
    el.addEventListener("pointerdown", e => {
      e.preventDefault();
      el.setPointerCapture(e.pointerId);
      const box = layout.getBoundingClientRect();
      const move = (ev: PointerEvent) => {
        const pct = which === "lesson" ? (ev.clientX - box.left) / box.width * 100 : (box.right - ev.clientX) / box.width * 100;
        change(which === "lesson" ? { lesson: pct, collapsed: false } : { results: pct });
      };
      const up = () => { el.removeEventListener("pointermove", move); el.removeEventListener("pointerup", up); el.removeEventListener("pointercancel", up); };
      el.addEventListener("pointermove", move);
      el.addEventListener("pointerup", up);
      el.addEventListener("pointercancel", up);
    });
  }
  splitter($("split-lesson"), "lesson");
  splitter($("split-results"), "results");

  // the phone tabs: a tablist with roving tabindex; arrows, Home and End move and select
  let current: PaneId = "code";
  function select(id: PaneId, focus = false): void {
    current = id;
    layout.dataset.pane = id;
    for (const pane of PANES) {
      const tab = $(TAB_EL[pane]);
      tab.setAttribute("aria-selected", String(pane === id));
      tab.tabIndex = pane === id ? 0 : -1;
    }
    if (focus) $(TAB_EL[id]).focus();
  }
  for (const pane of PANES) {
    const tab = $(TAB_EL[pane]);
    tab.addEventListener("click", () => select(pane));
    tab.addEventListener("keydown", e => {
      const i = PANES.indexOf(current);
      const next = e.key === "ArrowRight" ? PANES[(i + 1) % PANES.length] : e.key === "ArrowLeft" ? PANES[(i + PANES.length - 1) % PANES.length]
        : e.key === "Home" ? PANES[0] : e.key === "End" ? PANES[PANES.length - 1] : null;
      if (!next) return;
      e.preventDefault();
      select(next, true);
    });
  }
  // at phone width the panes are the tabs' panels; at desktop width they are plain regions
  function roles(): void {
    for (const pane of PANES) {
      const el = $(PANE_EL[pane]);
      if (mq.matches) { el.setAttribute("role", "tabpanel"); el.setAttribute("aria-labelledby", TAB_EL[pane]); }
      else if (pane === "results") { el.setAttribute("role", "region"); el.removeAttribute("aria-labelledby"); }
      else { el.removeAttribute("role"); if (pane === "lesson") el.setAttribute("aria-labelledby", "lesson-title"); else el.removeAttribute("aria-labelledby"); }
    }
  }
  mq.addEventListener("change", roles);
  roles();
  apply();
  select("code");

  return {
    show(id) {
      if (mq.matches) select(id);
      else if (id === "lesson" && p.collapsed) change({ collapsed: false });
    },
    narrow: () => mq.matches,
    badge(id, text) {
      const b = document.getElementById(`${TAB_EL[id]}-badge`);
      if (b) b.textContent = text ? ` (${text})` : "";
    },
  };
}

const LESSON_MIN = 12, LESSON_MAX = 45, RESULTS_MIN = 18, RESULTS_MAX = 55, EDITOR_MIN = 30;

/** The widest the results pane can be beside the lesson pane of `p` (in % of the layout). */
function resultsMax(p: LayoutPrefs): number {
  return Math.min(RESULTS_MAX, 100 - EDITOR_MIN - (p.collapsed ? 0 : p.lesson));
}

/** Widths within their bounds (lesson 12..45 %, results 18..55 %, the editor keeps 30 %). */
export function clampPrefs(p: LayoutPrefs): LayoutPrefs {
  const lesson = Math.min(LESSON_MAX, Math.max(LESSON_MIN, p.lesson));
  const results = Math.min(resultsMax({ ...p, lesson }), Math.max(RESULTS_MIN, p.results));
  return { lesson, results, collapsed: p.collapsed };
}
