// practice-view.ts: "Predict, then run" (docs/practice.md). A practice problem of the lesson,
// generated from a seed (engine/scenario-gen.ts): the steps in words, and for each step that
// touches [vvar] a prediction of its faults, minflt and signal. "Run and check" runs the
// scenario with the lesson's reference handler (the answers: what the kernel does) and with the
// learner's own code, marks every prediction right or wrong with why (from the reference run),
// and shows the learner's own result beside a step where it differs. Predictions are kept per
// problem as they are typed (host.kept) and come back when the problem is opened again. Loaded on first use
// (main.ts imports it dynamically), so a visit that never practises pays nothing for it.
//
// App signals for tests: #practice[data-state="ready"|"running"|"done"], #practice[data-runs=N],
// #practice[data-seed=N].
import type { RunResult, Scenario } from "../../../engine/types.js";
import type { GradeDeps } from "../../../engine/grade-submission.js";
import { variantFiles } from "../../../engine/grade-submission.js";
import { generateQuiz, QUIZ_SEED_MAX, parseSeed, type QuizProblem } from "../../../engine/scenario-gen.js";
import { answerDiff, markQuiz, quizAnswer, type Prediction, type QuizAnswer, type QuizField, type QuizSignal, type StepAnswer } from "../../../engine/scenario-gen-answer.js";
import { scenarioJson } from "../../../engine/scenario-gen-text.js";
import type { WebLesson } from "../lessons.js";
import { h } from "./dom.js";
import "./practice.css";

/** What the view needs from the page. */
export interface PracticeHost {
  lesson: WebLesson;
  /** the page's compiler and runner workers (the same ones Run uses) */
  deps: GradeDeps;
  /** the learner's editable files as they are now */
  learnerFiles(): Record<string, string>;
  /** the problem on screen changed to `seed` (the page puts it in its address) */
  onSeed(seed: number): void;
  /** the learner closed practice */
  close(): void;
  /** where the predictions of each problem are kept across reloads (core/storage.ts) */
  kept?: {
    load(seed: number): Record<number, Prediction> | null;
    save(seed: number, predictions: Record<number, Prediction>): void;
  };
}

export interface PracticeView {
  readonly seed: number;
  /** shows problem `seed` (with the predictions kept for it, else empty) */
  open(seed: number): void;
}

const SIGNALS: QuizSignal[] = ["none", "SIGBUS", "SIGSEGV"];
const LABEL: Record<QuizField, string> = { faults: "faults", minflt: "minflt", signal: "signal" };

/** A random seed for "New problem". */
function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** Renders practice into `el` (the #practice section) for problem `seed`. */
export function createPractice(el: HTMLElement, host: PracticeHost, seed: number): PracticeView {
  let problem: QuizProblem | null = null;
  let current = seed, runs = 0;
  el.dataset.runs = "0";

  function open(s: number): void {
    current = s;
    el.dataset.seed = String(s);
    el.dataset.state = "ready";
    const q = generateQuiz(host.lesson, s);
    problem = q.ok ? q.problem : null;
    el.replaceChildren(...header(s), ...(q.ok ? body(q.problem) : [h("p", { class: "banner error", role: "alert" }, q.message)]));
    if (q.ok) restore(q.problem);
    host.onSeed(s);
  }

  function header(s: number): Node[] {
    const input = h("input", { id: "practice-seed", type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false",
      value: String(s), "aria-describedby": "practice-seed-help", size: "10" });
    const seedForm = h("form", { class: "practice-seed", "aria-label": "Choose a problem" },
      h("label", { for: "practice-seed" }, "Problem number"), input,
      h("button", { type: "submit" }, "Open"),
      h("button", { type: "button", id: "practice-new" }, "New problem"),
      h("button", { type: "button", id: "practice-close" }, "Back to results"));
    seedForm.addEventListener("submit", e => {
      e.preventDefault();
      const n = parseSeed(input.value.trim());
      if (n === null) { input.setAttribute("aria-invalid", "true"); say(`A problem number is a whole number from 0 to ${QUIZ_SEED_MAX}.`); input.focus(); return; }
      open(n);
      focusTitle();
    });
    seedForm.querySelector("#practice-new")!.addEventListener("click", () => { open(randomSeed()); focusTitle(); });
    seedForm.querySelector("#practice-close")!.addEventListener("click", () => host.close());
    return [
      h("h2", { id: "practice-title", tabindex: "-1" }, "Practice: predict, then run"),
      seedForm,
      h("p", { class: "muted small", id: "practice-seed-help" },
        "The same number is the same problem everywhere: a teacher can hand each student a different one (Share link carries it)."),
    ];
  }

  function focusTitle(): void { (el.querySelector("#practice-title") as HTMLElement | null)?.focus(); }
  function say(text: string): void { const s = el.querySelector("#practice-status"); if (s) s.textContent = text; }

  function body(p: QuizProblem): Node[] {
    const form = h("form", { id: "practice-form", novalidate: true, "aria-label": "Your predictions" },
      h("ol", { class: "practice-steps", "aria-label": "Steps of the problem" }, ...p.steps.map(s => stepItem(p, s.index))),
      h("div", { class: "practice-actions" },
        h("button", { type: "submit", class: "primary", id: "practice-run" }, "Run and check"),
        h("p", { id: "practice-status", role: "status", "aria-live": "polite" })),
      h("div", { id: "practice-score", class: "practice-score", "aria-live": "polite" }));
    form.addEventListener("submit", e => { e.preventDefault(); void check(p, form); });
    // every change is kept at once: a reload, a closed tab or another problem loses nothing
    const keep = () => host.kept?.save(p.seed, predictions(form, p));
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    return [
      h("ul", { class: "practice-setting", "aria-label": "The kernel" }, ...p.setting.map(t => h("li", {}, t))),
      h("p", {}, "For each step that touches [vvar], predict: ", h("b", {}, "faults"), " (page-fault exceptions on [vvar]), ",
        h("b", {}, "minflt"), " (what ru_minflt grows by: the exceptions plus the faults get_user_pages() takes for a populate or a remote access) and the ",
        h("b", {}, "signal"), ". Counts are over the whole system, for that step. Then run it."),
      form,
      h("details", { class: "practice-json" }, h("summary", {}, "The scenario as JSON"),
        h("pre", { tabindex: "0", "aria-label": "The scenario as JSON" }, scenarioJson(p.scenario))),
      h("p", { class: "muted small" }, "In a terminal: ", h("code", {}, `npx prefault quiz --lesson ${p.lesson} --seed ${p.seed}`),
        " (add ", h("code", {}, "--answer"), " for the answers, or ", h("code", {}, "--predictions FILE"),
        " to mark predictions kept in a JSON file)."),
    ];
  }

  function stepItem(p: QuizProblem, i: number): HTMLElement {
    const s = p.steps[i];
    if (!s.ask) return h("li", { class: "setup", "data-step": String(i) }, h("span", { class: "num" }, `Step ${i}`), " ", s.words);
    const id = (f: QuizField) => `pred-${i}-${f}`;
    const num = (f: "faults" | "minflt") => h("span", { class: "pred", "data-field": f },
      h("label", { for: id(f) }, LABEL[f]),
      h("input", { id: id(f), name: id(f), type: "number", min: "0", step: "1", inputmode: "numeric" }),
      h("span", { class: "mark", "aria-live": "off" }));
    const sig = h("span", { class: "pred", "data-field": "signal" },
      h("label", { for: id("signal") }, LABEL.signal),
      h("select", { id: id("signal"), name: id("signal") }, h("option", { value: "" }, "choose…"), ...SIGNALS.map(x => h("option", { value: x }, x))),
      h("span", { class: "mark" }));
    return h("li", { class: "ask", "data-step": String(i) },
      h("fieldset", {}, h("legend", {}, h("span", { class: "num" }, `Step ${i}`), " ", s.words),
        h("div", { class: "pred-fields" }, num("faults"), num("minflt"), sig),
        h("div", { class: "pred-result", hidden: true })));
  }

  // the predictions kept for `p`, put back into its fields
  function restore(p: QuizProblem): void {
    const saved = host.kept?.load(p.seed);
    if (!saved) return;
    for (const s of p.steps.filter(x => x.ask)) {
      const pr = saved[s.index];
      if (!pr) continue;
      const field = (f: QuizField) => el.querySelector(`#pred-${s.index}-${f}`) as HTMLInputElement | HTMLSelectElement;
      field("faults").value = pr.faults === null ? "" : String(pr.faults);
      field("minflt").value = pr.minflt === null ? "" : String(pr.minflt);
      field("signal").value = pr.signal ?? "";
    }
  }

  // the learner's predictions, read from the form
  function predictions(form: HTMLElement, p: QuizProblem): Record<number, Prediction> {
    const out: Record<number, Prediction> = {};
    const int = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
    for (const s of p.steps.filter(x => x.ask)) {
      const val = (f: QuizField) => (form.querySelector(`#pred-${s.index}-${f}`) as HTMLInputElement | HTMLSelectElement).value;
      const sig = val("signal");
      out[s.index] = { faults: int(val("faults")), minflt: int(val("minflt")), signal: sig ? (sig as QuizSignal) : null };
    }
    return out;
  }

  // compile `files` (with the problem's variant) and run the problem's scenario
  async function runWith(p: QuizProblem, files: Record<string, string>): Promise<RunResult | string> {
    const input = p.variant !== undefined ? variantFiles(files, host.lesson.variants[p.variant]) : files;
    const c = await host.deps.compile(input);
    if (!c.ok) return c.error.kind === "compile" && c.error.diagnostics.length
      ? `${c.error.diagnostics[0].file}:${c.error.diagnostics[0].line}: ${c.error.diagnostics[0].message}` : c.error.message;
    const out = await host.deps.run(c.wasm, [p.scenario as Scenario], { sourceMap: c.sourceMap });
    return Array.isArray(out) ? out[0] : out.message;
  }

  async function check(p: QuizProblem, form: HTMLElement): Promise<void> {
    const btn = form.querySelector("#practice-run") as HTMLButtonElement;
    if (btn.disabled) return;
    btn.disabled = true;
    el.dataset.state = "running";
    el.setAttribute("aria-busy", "true");
    say("Running the problem with the reference handler and with yours…");
    try {
      const ref = await runWith(p, host.lesson.solution);
      if (p !== problem) return;                               // another problem was opened meanwhile
      if (typeof ref === "string") { say(`The reference run failed: ${ref}`); return; }
      const answer = quizAnswer(p, ref);
      const mine = await runWith(p, host.learnerFiles());
      if (p !== problem) return;
      const yours = typeof mine === "string" ? null : quizAnswer(p, mine);
      show(form, p, answer, yours, typeof mine === "string" ? mine : null);
    } finally {
      btn.disabled = false;
      runs++;
      el.dataset.runs = String(runs);
      el.dataset.state = "done";
      el.setAttribute("aria-busy", "false");
    }
  }

  function show(form: HTMLElement, p: QuizProblem, answer: QuizAnswer, yours: QuizAnswer | null, yourError: string | null): void {
    const marks = markQuiz(answer, predictions(form, p));
    let differ = 0;
    for (const m of marks.steps) {
      const li = form.querySelector(`li[data-step="${m.index}"]`) as HTMLElement;
      li.classList.toggle("right", m.right);
      li.classList.toggle("wrong", !m.right);
      for (const f of m.fields) {
        const cell = li.querySelector(`.pred[data-field="${f.field}"]`) as HTMLElement;
        cell.classList.toggle("right", f.right);
        cell.classList.toggle("wrong", !f.right);
        cell.querySelector(".mark")!.textContent = f.right ? "✓ right" : f.predicted === null ? `✗ it is ${f.expected}` : `✗ wrong: it is ${f.expected}`;
      }
      const a = answer.steps.find(x => x.index === m.index)!;
      const res = li.querySelector(".pred-result") as HTMLElement;
      const mine = yours?.steps.find(x => x.index === m.index);
      const diff = mine ? answerDiff(a, mine) : [];
      if (diff.length) differ++;
      res.replaceChildren(...[
        h("p", { class: "verdict" }, m.right ? "All three right." : `${m.fields.filter(f => f.right).length} of 3 right.`,
          ` The kernel: ${fields(a)} (${a.result}).`),
        h("p", { class: "why" }, h("b", {}, "Why: "), a.why),
        diff.length && mine ? h("p", { class: "yours" }, h("b", {}, "Your handler: "), `${fields(mine)} (${mine.result}): differs in ${diff.join(", ")}.`) : null,
      ].filter((x): x is HTMLParagraphElement => x !== null));
      res.hidden = false;
    }
    const score = form.querySelector("#practice-score") as HTMLElement;
    score.replaceChildren(
      h("p", { class: `summary ${marks.right === marks.total ? "pass" : "fail"}` }, `${marks.right} of ${marks.total} predictions right.`),
      h("p", { class: "muted small" }, yourError !== null ? `Your code did not compile or run (${yourError}), so only the kernel's answers are shown.`
        : differ ? `Your handler differs from the reference in ${differ} step${differ === 1 ? "" : "s"} (shown under each).`
          : "Your handler gives the same faults, minflt, signal and result as the reference in every step."));
    say("");
  }

  function fields(a: StepAnswer): string { return `faults ${a.faults}, minflt ${a.minflt}, signal ${a.signal}`; }

  open(seed);
  return { get seed() { return current; }, open };
}
