// compare-view.ts: "Compare with Linux" in the results pane. The learner picks a stage (the
// kernel before the series, after each patch, or v6.18), and the lesson's scenarios run with
// their handler and with the stage's, side by side: one table per scenario, one row per step,
// one column per field (engine/compare.ts COMPARE_FIELDS). The record is engine/compare.ts's,
// the same one `prefault run --compare` prints, and every cell shows that record's text.
// A difference is shown three ways, never by colour alone: the cell reads "yours vs stage",
// its row is marked "≠", and screen readers hear "differs".
//
// The stage's handler was compiled at build time (web/stages-plugin.ts): comparing fetches a
// small module; only the learner's code goes through the compiler worker (cached by text, so
// a comparison right after a Run compiles nothing). Runs use a runner of their own, so a
// comparison never waits for, or delays, a Run.
import "./compare-view.css";
import type { CompileResult, RunResult, Scenario } from "../../../engine/types.js";
import type { Lesson } from "../../../engine/lesson.js";
import { runPlan } from "../../../engine/lesson.js";
import { compareRunSets, COMPARE_FIELDS, TASK_FIELDS, type Comparison, type FieldCell, type ScenarioComparison } from "../../../engine/compare.js";
import { CLASSROOM, stageModule, stagesFor, type WebStage } from "../core/stages.js";
import { h } from "./dom.js";

export interface CompareDeps {
  lesson(): Lesson;
  files(): Record<string, string>;
  compile(files: Record<string, string>): Promise<CompileResult>;
  /** the module of a successful compile's bytes (the compiler's, cached) */
  moduleOf(wasm: Uint8Array): Promise<WebAssembly.Module>;
  /** runs `scenarios` on `learner` (a fresh instance each), in order */
  run(learner: WebAssembly.Module, scenarios: Scenario[]): Promise<{ ok: true; results: RunResult[] } | { ok: false; message: string }>;
}

export interface CompareView {
  /** a lesson was opened: new stage list, no comparison shown */
  reset(): void;
  /** the code changed: a shown comparison is of older code */
  edited(): void;
  /** the comparison on screen, or null (tests) */
  last(): Comparison | null;
}

/** The scenarios a comparison runs: those the lesson's own checks use, in first-use order. */
export function compareScenarios(lesson: Lesson): Scenario[] {
  const names: string[] = [];
  for (const p of runPlan(lesson)) if (p.variant === undefined) for (const n of p.scenarios) if (!names.includes(n)) names.push(n);
  for (const p of runPlan(lesson)) for (const n of p.scenarios) if (!names.includes(n)) names.push(n);
  return names.map(n => lesson.scenarios[n]);
}

/** Builds the section inside `root` and returns its controls. */
export function mountCompare(root: HTMLElement, deps: CompareDeps): CompareView {
  const select = h("select", { id: "compare-stage" });
  const button = h("button", { type: "button", id: "compare-btn" }, "Compare");
  const note = h("p", { class: "muted small", id: "compare-note" });
  const status = h("p", { class: "small", role: "status", "aria-live": "polite", id: "compare-status" });
  const out = h("div", { id: "compare-out" });
  root.replaceChildren(
    h("h2", { id: "compare-title" }, "Compare with Linux"),
    h("p", { class: "muted small" }, "Run this lesson's scenarios with your handler and with the kernel's, side by side, step by step."),
    h("div", { class: "compare-pick" }, h("label", { for: "compare-stage" }, "Stage"), select, button),
    note, status, out);
  root.setAttribute("aria-labelledby", "compare-title");
  let shown: { files: string; cmp: Comparison } | null = null;
  let busy = false, generation = 0;

  function reset(): void {
    generation++;
    shown = null;
    out.replaceChildren();
    status.textContent = "";
    root.dataset.state = "idle";
    const lesson = deps.lesson();
    const list = stagesFor(lesson.id);
    select.replaceChildren(...list.map(s => h("option", { value: s.name }, `${s.name}: ${s.title}`)));
    const p6 = list.find(s => s.name === "p6") ?? list.at(-1);
    if (p6) select.value = p6.name;
    select.disabled = button.disabled = list.length === 0;
    note.textContent = CLASSROOM
      ? list.length ? "This classroom build offers only the stages that do not give away this lesson's solution or a later one's."
        : "This classroom build offers no stage on this lesson: every one would give away its solution."
      : "";
    note.hidden = !CLASSROOM;
  }

  async function compare(): Promise<void> {
    if (busy) return;
    const stage = stagesFor(deps.lesson().id).find(s => s.name === select.value);
    if (!stage) return;
    busy = true; button.disabled = true;
    const gen = generation;
    root.dataset.state = "running";
    root.setAttribute("aria-busy", "true");
    status.textContent = `Running the scenarios with your handler and with ${stage.name}…`;
    try {
      const files = deps.files();
      const cmp = await build(files, stage);
      if (gen !== generation) return;                 // the learner moved to another lesson
      if (typeof cmp === "string") { status.textContent = cmp; out.replaceChildren(); shown = null; return; }
      shown = { files: JSON.stringify(files), cmp };
      render(cmp);
      status.textContent = cmp.headline + ".";
      edited();
    } finally {
      busy = false; button.disabled = select.options.length === 0;
      root.setAttribute("aria-busy", "false");
      root.dataset.state = "done";
      root.dataset.runs = String(Number(root.dataset.runs ?? "0") + 1);
    }
  }

  // the comparison, or what stopped it in words
  async function build(files: Record<string, string>, stage: WebStage): Promise<Comparison | string> {
    const lesson = deps.lesson();
    const scenarios = compareScenarios(lesson);
    const [mine, theirs] = await Promise.all([deps.compile(files), stageModule(stage).catch((e: unknown) => String(e))]);
    if (!mine.ok) return mine.error.kind === "compile" ? "Your datastore does not compile: press Run to see why, then compare." : `Could not compile your datastore: ${mine.error.message}`;
    if (typeof theirs === "string") return `Could not load stage ${stage.name}: ${theirs}`;
    const a = await deps.run(await deps.moduleOf(mine.wasm), scenarios);
    if (!a.ok) return `Your handler could not run: ${a.message}`;
    const b = await deps.run(theirs, scenarios);
    if (!b.ok) return `Stage ${stage.name} could not run: ${b.message}`;
    return compareRunSets({ left: "your handler", right: `stage ${stage.name}` }, a.results, b.results, scenarios);
  }

  function render(cmp: Comparison): void {
    out.replaceChildren(
      h("p", { class: "compare-legend small" }, "A cell where the two differ reads ", h("mark", {}, "yours vs ", cmp.right.replace(/^stage /, "")),
        " and its row is marked ≠. “-”: does not apply."),
      h("p", { class: "stale-note", role: "note" }, "Your code has changed since this comparison: press Compare again."),
      ...cmp.scenarios.map(sc => scenarioBlock(sc, cmp)));
  }

  function edited(): void {
    out.classList.toggle("stale", !!shown && shown.files !== JSON.stringify(deps.files()));
  }

  button.addEventListener("click", () => void compare());
  reset();
  return { reset, edited, last: () => shown?.cmp ?? null };
}

// "0 vs 1" with the sides apart, or the one value
function fieldCell(c: FieldCell, label: string, key: string): HTMLTableCellElement {
  if (!c.differs) return h("td", { "data-field": key }, c.left);
  return h("td", { class: "differs", "data-field": key },
    h("mark", {}, h("span", { class: "l" }, c.left), " vs ", h("span", { class: "r" }, c.right)),
    h("span", { class: "sr-only" }, ` (${label} differs)`));
}

function scenarioBlock(sc: ScenarioComparison, cmp: Comparison): HTMLElement {
  const d = h("details", { class: "compare-scenario", "data-scenario": sc.scenario, "data-same": String(sc.same) });
  d.open = !sc.same;
  d.append(h("summary", {}, h("span", { class: "mark-sign", "aria-hidden": "true" }, sc.same ? "= " : "≠ "), `${sc.scenario}: ${sc.headline}`));
  const label = `Steps of ${sc.scenario}, your handler vs ${cmp.right}`;
  d.append(h("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-label": label },
    h("table", { class: "compare-steps" },
      h("caption", { class: "sr-only" }, `${label}: ${sc.headline}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "step"), h("th", { scope: "col" }, "what"),
        ...COMPARE_FIELDS.map(f => h("th", { scope: "col", title: f.title }, f.label)))),
      h("tbody", {}, ...sc.steps.map(s => h("tr", { class: s.differs.length ? "differs" : "same", "data-step": String(s.index), "data-differs": s.differs.join(" ") },
        h("th", { scope: "row" }, h("span", { class: "mark-sign", "aria-hidden": "true" }, s.differs.length ? "≠" : ""), String(s.index),
          s.differs.length ? h("span", { class: "sr-only" }, " differs") : null),
        h("td", { class: "what" }, h("code", {}, s.what)),
        ...COMPARE_FIELDS.map(f => fieldCell(s.cells[f.key], f.label, f.key))))))));
  const notes: string[] = [];
  for (const [side, who] of [["left", "your handler"], ["right", cmp.right]] as const) {
    const stop = sc.steps.find(s => s[side].state === "hung" || s[side].state === "oops");
    if (stop) notes.push(`With ${who}, step ${stop.index} ${stop[side].state === "hung" ? "never returned" : "oopsed"}${sc[side].oops ? `: ${sc[side].oops}` : ""}.`);
    const nr = sc.steps.find(s => s[side].state === "not run");
    if (nr) notes.push(`With ${who}, steps from ${nr.index} did not run: ${nr[side].not_run}.`);
  }
  for (const n of notes) d.append(h("p", { class: "small compare-note" }, n));
  if (sc.tasks.length) {
    const tl = `End state of ${sc.scenario}`;
    d.append(h("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-label": tl },
      h("table", { class: "compare-tasks" },
        h("caption", { class: "small" }, "At the end"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "task"), h("th", { scope: "col" }, "your handler"), h("th", { scope: "col" }, cmp.right))),
        h("tbody", {}, ...sc.tasks.flatMap(t => TASK_FIELDS.map(f => {
          const c = t.cells[f.key];
          return h("tr", { class: c.differs ? "differs" : "same", "data-task": t.task, "data-field": f.key },
            h("th", { scope: "row" }, h("span", { class: "mark-sign", "aria-hidden": "true" }, c.differs ? "≠ " : ""), `${t.task} ${f.label}`,
              c.differs ? h("span", { class: "sr-only" }, " differs") : null),
            h("td", {}, c.differs ? h("mark", {}, c.left) : c.left), h("td", {}, c.differs ? h("mark", {}, c.right) : c.right));
        }))))));
  }
  return d;
}
