// explain-view.ts: the step-through panel. A click on a step's "Step through" button, or on a
// fault of the timeline (EXPLAIN_EVENT from timeline-view.ts), opens it inside that scenario's
// section: the walk of the step's faults down the kernel's call chain, built by the engine
// (engine/explain.ts, the same walk `prefault run --explain STEP` prints), one fault at a time,
// with the learner's lines of the shown fault highlighted in the editor. Each node's text is the
// engine's text, so the panel and the terminal say the same thing.
import type { RunResult, Scenario } from "../../../engine/types.js";
import { explainStep, faultOfEvent, type FaultWalk, type StepWalk } from "../../../engine/explain.js";
import { h } from "./dom.js";
import { EXPLAIN_EVENT, type ExplainRequest } from "./timeline-view.js";

/** What the panel needs of the page. */
export interface ExplainContext {
  /** the runs on screen */
  runs(): RunResult[];
  /** `run` with the learner's source line of each kernel call (a Run grades without them: the
   *  page runs the scenario again with call sites); `run` itself when they cannot be had */
  withSites?(run: RunResult): Promise<RunResult>;
  /** the scenario a run is of (its name), for the steps' arguments */
  scenario(name: string): Scenario | undefined;
  /** highlights these lines of file in the editor (an empty list clears) */
  highlight(file: string, lines: number[]): void;
  /** moves the editor's cursor to file:line:column */
  goto(file: string, line: number, column: number): void;
}

/** Listens in `body` (the results, re-rendered at will: the listeners are on `body` itself) for
 *  the step buttons and the timeline's fault buttons, and opens the panel for them. Call once. */
export function attachExplain(body: HTMLElement, ctx: ExplainContext): void {
  body.addEventListener("click", e => {
    const b = (e.target as Element | null)?.closest?.("button.explain-step");
    if (!b || !body.contains(b)) return;
    void open(body, ctx, b, Number(b.getAttribute("data-step")), undefined);
  });
  body.addEventListener(EXPLAIN_EVENT, e => {
    const d = (e as CustomEvent<ExplainRequest>).detail;
    void open(body, ctx, e.target as Element, d.step, d.event);
  });
}

// the walks asked for: only the last one asked opens (a re-run for call sites can take a while);
// a section is busy while a walk of it waits
let opened = 0;
const waiting = new WeakMap<Element, number>();

// opens the panel for step `step` of the run whose section holds `from`, at the fault whose
// trace index is `event` (else the step's first fault)
async function open(body: HTMLElement, ctx: ExplainContext, from: Element, step: number, event: number | undefined): Promise<void> {
  const section = from.closest("details[data-scenario]");
  const shown = ctx.runs().find(r => r.scenario === section?.getAttribute("data-scenario"));
  if (!section || !shown || !shown.steps[step]) return;
  const mine = ++opened;
  waiting.set(section, (waiting.get(section) ?? 0) + 1);
  section.setAttribute("aria-busy", "true");
  const run = ctx.withSites ? await ctx.withSites(shown).catch(() => shown) : shown;
  const left = (waiting.get(section) ?? 1) - 1;
  if (left > 0) waiting.set(section, left); else { waiting.delete(section); section.removeAttribute("aria-busy"); }
  if (mine !== opened) return;                         // a later click asked for another walk
  if (!body.contains(section)) return;                 // the results were drawn again meanwhile
  const walk = explainStep(run, step, ctx.scenario(run.scenario));
  const at = event !== undefined ? Math.max(0, faultOfEvent(walk, event)) : 0;
  body.querySelectorAll(".explain").forEach(p => p.remove());
  const panel = renderPanel(walk, at, ctx, () => {
    panel.remove();
    ctx.highlight("datastore.ts", []);
    (from as HTMLElement).focus?.();
  });
  // right under the step list, so the walk sits next to the steps it explains
  const steps = section.querySelector("ol.steps");
  if (steps) steps.after(panel); else section.append(panel);
  panel.scrollIntoView({ block: "nearest" });
  panel.querySelector<HTMLElement>("h3")?.focus();
}

/** The panel for `walk`, showing fault `at`; `close` removes it. */
export function renderPanel(walk: StepWalk, at: number, ctx: ExplainContext, close: () => void): HTMLElement {
  const id = `explain-${walk.step}`;
  const panel = h("section", { class: "explain", "aria-labelledby": `${id}-title`, "data-step": String(walk.step) });
  const closeBtn = h("button", { type: "button", class: "explain-close" }, "Close");
  closeBtn.addEventListener("click", close);
  panel.append(h("div", { class: "explain-head" },
    h("h3", { id: `${id}-title`, tabindex: "-1" }, `Step through: ${walk.title}`), closeBtn));
  const shown = h("div", { class: "explain-fault" });
  const show = (i: number) => {
    shown.replaceChildren(...faultNodes(walk.faults[i], ctx));
    picker?.querySelectorAll("button").forEach((b, k) => b.setAttribute("aria-pressed", String(k === i)));
    const f = walk.faults[i];
    const file = f.lines[0]?.file ?? "datastore.ts";
    ctx.highlight(file, f.lines.filter(l => l.file === file).map(l => l.line));
  };
  let picker: HTMLElement | undefined;
  if (walk.faults.length > 1) {
    picker = h("div", { class: "explain-picker", role: "group", "aria-label": "Faults of this step" },
      ...walk.faults.map((f, i) => {
        const b = h("button", { type: "button", "aria-pressed": "false", title: f.title }, `fault ${i + 1}${f.pgoff !== undefined ? ` (pgoff ${f.pgoff})` : ""}`);
        b.addEventListener("click", () => show(i));
        return b;
      }));
    panel.append(picker);
  }
  panel.append(shown);
  if (walk.other.length) {
    panel.append(h("h4", {}, walk.faults.length ? "other kernel calls of this step:" : "kernel calls of this step:"),
      nodeList(walk.other, ctx, "Kernel calls of this step"));
  }
  for (const n of walk.notes) panel.append(h("p", { class: "explain-note" }, n));
  if (walk.faults.length) show(Math.min(at, walk.faults.length - 1));
  else ctx.highlight("datastore.ts", []);
  return panel;
}

function faultNodes(f: FaultWalk, ctx: ExplainContext): Node[] {
  return [
    h("h4", { class: "explain-title" }, f.title),
    nodeList(f.nodes, ctx, "Call chain"),
    h("p", { class: `explain-result${f.nodes.some(n => n.bad) ? " bad" : ""}` }, `=> ${f.result}`),
  ];
}

// the nodes as a list, indented by depth; a learner call's "<- file:line" is a link to the line
function nodeList(nodes: FaultWalk["nodes"], ctx: ExplainContext, label: string): HTMLElement {
  return h("ol", { class: "walk", "aria-label": label }, ...nodes.map(n => {
    const li = h("li", { class: `node ${n.kind}${n.bad ? " bad" : ""}${n.unfinished ? " unfinished" : ""}`, "data-depth": String(n.depth) });
    li.style.setProperty("--depth", String(n.depth));
    const suffix = n.at ? `<- ${n.at.file}:${n.at.line}` : "";
    if (suffix && n.text.endsWith(suffix)) {
      const a = h("a", { href: "#editor-pane", class: "loc", title: `Go to line ${n.at!.line} of ${n.at!.file}` }, suffix);
      a.addEventListener("click", e => { e.preventDefault(); ctx.goto(n.at!.file, n.at!.line, n.at!.column); });
      li.append(codeOf(n.text.slice(0, n.text.length - suffix.length)), a);
    } else {
      li.append(codeOf(n.text));
    }
    return li;
  }));
}

// A node's text as code that wraps only between words: each word (up to a space, or just after a
// '|' or a ',': FAULT_FLAG_A|FAULT_FLAG_B, "regs, address=...") is a span that never breaks, so
// an identifier, vmf->pgoff or an address stays whole (a browser breaks after the '-' of '->'
// otherwise); a word longer than the line scrolls the panel sideways. The text is unchanged.
function codeOf(text: string): HTMLElement {
  const parts = text.match(/ +|[^ |,]+[|,]?|[|,]/g) ?? [];
  // (a <wbr> after a '|' or ',': Chromium does not break between two unbreakable spans)
  return h("code", {}, ...parts.flatMap((p): (string | HTMLElement)[] => !p.trim() ? [p] : /[|,]$/.test(p) ? [h("span", { class: "w" }, p), h("wbr")] : [h("span", { class: "w" }, p)]));
}
