// main.ts: wiring only. Starts the compiler worker, the kernel fetch and Monaco's import at once
// (they load while the learner reads), renders the lesson with its code in a plain textarea
// (usable and runnable at once), swaps in Monaco when it has loaded, and connects Run, autosave,
// the background compile, reset/undo, hints, the solution diff and share links.
//
// App signals for tests and the benchmark (never fixed sleeps):
//   <html data-editor="plain"|"ready" data-compiler="ready"> ("plain": the textarea; "ready":
//   Monaco), #results[data-state="running"|"done"],
//   #results[data-runs=N], and window.__prefault (setCode, getCode, run, lastReport, markers, timings).
import "./styles.css";
import kernelUrl from "../../build/kernel.wasm?url";
import headerText from "../../learner/kernel.ts?raw";
import type { CompileResult, Costs, Diagnostic, Oops, Report, RunResult, Scenario } from "../../engine/types.js";
import { gradeSubmission, renameFile, variantFiles, type GradeDeps } from "../../engine/grade-submission.js";
import { runPlan } from "../../engine/lesson.js";
import { redactReport } from "../../engine/report/hidden.js";
import { decodeShare, encodeShare } from "./core/share.js";
import { clearUndo, loadCode, loadCompilerSeen, loadLayout, loadProgress, loadResults, loadUndo, recordRun, saveCode, saveCompilerSeen, saveLayout, saveProgress, saveResults, saveUndo,
         unlockHint, loadPredictions, savePredictions, type KeyValueStore } from "./core/storage.js";
import { loadLessons, type WebLesson } from "./lessons.js";
import { RunnerPool, ScenarioRunner } from "../../engine/runner.js";
import { BROWSER_SCENARIO_DEADLINE_MS } from "../../engine/limits.js";
import { browserRunnerTransport, CompilerClient } from "./workers/clients.js";
import { markStale, renderResults, type RunView } from "./ui/results-view.js";
import { attachExplain } from "./ui/explain-view.js";
import { lacksCallSites, withCallSites } from "../../engine/explain.js";
import { createLayout } from "./ui/layout.js";
import { progressLabel, renderHints, renderLessonList, renderLessonText } from "./ui/lesson-view.js";
import type { CodeEditor, EditorFile } from "./editor/monaco.js";
import { createPlainEditor, type PlainEditor } from "./editor/plain.js";
import predictions from "virtual:prefault-predictions";
import { renderCostField, renderMachineSection } from "./ui/machine-view.js";
import { withCosts } from "../../engine/costs.js";
import { mountCompare } from "./ui/compare-view.js";
import type { PracticeView } from "./ui/practice-view.js";

declare const __PREFAULT_VERSIONS__: { monaco: string; assemblyscript: string; vite: string };
const versions = __PREFAULT_VERSIONS__;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const root = document.documentElement;

// ---- heavy work, all started at once: the compiler worker (asc is the longest to load and warm
// up, and it runs on its own thread), Monaco, the kernel module and the runner worker. The
// editor is usable at once anyway: the lesson code is in a plain textarea until Monaco is up ----
const compiler = new CompilerClient();
compiler.start();
const store: KeyValueStore = (() => {
  try { localStorage.setItem("prefault:probe", "1"); localStorage.removeItem("prefault:probe"); return localStorage; }
  catch { const m = new Map<string, string>(); return { getItem: k => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: k => void m.delete(k) }; }
})();
// On a first visit, Monaco (2.7 MB of JavaScript to parse and run) waits until the compiler has
// loaded (at most MONACO_WAIT_MS): both compete for the same cores, and the plain textarea is
// usable meanwhile. Once the compiler has loaded here, its files are cached and both start at once.
const MONACO_WAIT_MS = 4000;
const monacoModule = (loadCompilerSeen(store, versions.assemblyscript) ? Promise.resolve()
  : Promise.race([compiler.ready.catch(() => undefined), new Promise(ok => setTimeout(ok, MONACO_WAIT_MS))]))
  .then(() => import("./editor/monaco.js"));
const kernelModule: Promise<WebAssembly.Module> = WebAssembly.compileStreaming(fetch(kernelUrl))
  .catch(() => fetch(kernelUrl).then(r => r.arrayBuffer()).then(b => WebAssembly.compile(b)));
// the engine's runner (the CLI's policy) over Web Workers; one is started now, to be warm
// two of them, so the scenarios of a Run run two at a time (engine/runner.ts RunnerPool); the
// first is started now, the second once the compiler has loaded (not to compete with it)
const runner = new RunnerPool(browserRunnerTransport, Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)));
runner.runners[0].warm();
const timings: Record<string, number> = { mainStart: performance.now() };

const { lessons, broken } = loadLessons();
timings.lessonsLoaded = performance.now();
if (broken.length) console.warn("lessons that did not load:", broken);
let progress = loadProgress(store);
const layout = createLayout(loadLayout(store), p => { saveLayout(store, p); });
// the learner's own fault cost (from `prefault probe`): the next Run's timelines use it
const costField = renderCostField($("cost-field"), store, () => undefined);

let lesson: WebLesson = lessons[0];
let editor: CodeEditor | PlainEditor | null = null;  // the textarea, then Monaco
let files: Record<string, string> = {};          // the editable files as of the last lesson switch
let running = false, runs = 0;
let lastReport: Report | null = null;         // the report of the last Run, as `prefault grade --format json` prints it
let compareView: ReturnType<typeof mountCompare> | null = null;   // "Compare with Linux"

const status = (text: string) => { $("status").textContent = text; };
/** How long a Run runs before it says so (see run()). */
const BUSY_DELAY_MS = 150;
let shownFor: Record<string, string> | null = null;     // the files the results on screen are for
const currentFiles = () => editor ? editor.getFiles() : { ...files };

// ---- lessons ---------------------------------------------------------------------------------
/** Opens a lesson: saved code (or the shared code from a link, or the starter) in the editor. */
function openLesson(id: string, shared: Record<string, string> | null): void {
  if (editor) flushSave();                                  // the edits of the lesson being left
  flushResults();                                           // and its last Run's results
  lesson = lessons.find(l => l.id === id) ?? lessons[0];
  const editable = lesson.files.editable;
  const saved = loadCode(store, lesson.id, editable);
  if (shared) {
    files = { ...lesson.starter, ...Object.fromEntries(Object.entries(shared).filter(([n]) => editable.includes(n))) };
    if (saved && JSON.stringify(saved) !== JSON.stringify(files)) saveUndo(store, lesson.id, saved, Date.now());
    saveCode(store, lesson.id, files, Date.now());
  } else {
    files = { ...lesson.starter, ...(saved ?? {}) };
  }
  progress = { ...progress, current: lesson.id };
  saveProgress(store, progress);
  renderLessonList($("lesson-list"), lessons, lesson.id, progress);
  renderLessonText($("lesson-title"), $("lesson-text"), lesson);
  renderHints($("hints"), $("hint-btn") as HTMLButtonElement, lesson, progress.lessons[lesson.id]?.hints ?? 0);
  renderMachineSection($("machine"), lesson.id, predictions, store);
  $("undo-reset-btn").hidden = loadUndo(store, lesson.id) === null;
  // the classroom build carries no solution: no comparison to offer
  $("diff-btn").hidden = Object.keys(lesson.solution).length === 0;
  // the results, share link and status of the lesson being left go with it; this lesson's last
  // results come back (marked stale when the code has changed since)
  $("results-body").replaceChildren();
  $("results-empty").hidden = false;
  $("share-box").replaceChildren();
  hidePractice();
  $("practice-btn").hidden = Object.keys(lesson.solution).length === 0;   // practice answers from the solution
  status("");
  layout.badge("results", "");
  shownFor = null;
  shownRuns = []; shownView = null; shownJobs = undefined; shownOops = null;
  const kept = loadResults(store, lesson.id);
  if (kept) { show(kept.view as RunView); shownFor = kept.files; }
  history.replaceState(null, "", `#lesson=${encodeURIComponent(lesson.id)}`);
  document.title = `${lesson.title} · Prefault`;
  closeDiff();                                     // the comparison was with the lesson left
  if (editor) {
    editor.setFiles(editorFiles());
    renderTabs();
    oopsEditor = null;                             // new files: mark (or clear) the oops again
  }
  checkStale();
  compareView?.reset();
  backgroundCompile();
}

/** Marks the results stale when the code differs from the code they were run on. A kernel
 *  oops of those results is marked at its line only while the code is the code that oopsed:
 *  an edit clears the marker (the results pane still says where it was; the next Run marks a
 *  new one), and undoing the edit brings it back. */
function checkStale(): void {
  const stale = shownFor !== null && JSON.stringify(shownFor) !== JSON.stringify(currentFiles());
  if (shownFor) markStale($("results-body"), stale);
  const oops = shownFor && !stale ? shownOops : null;
  if (editor && (oops !== markedOops || editor !== oopsEditor)) {
    editor.setOops(oops);
    markedOops = oops;
    oopsEditor = editor;
  }
}
let shownOops: Oops | null = null;                 // the oops of the results on screen
let markedOops: Oops | null = null;                 // the oops marked in the editor
let oopsEditor: CodeEditor | PlainEditor | null = null;

/** The editor's tabs: the lesson's editable files, then its read-only ones (the kernel header). */
function editorFiles(): EditorFile[] {
  return [...lesson.files.editable.map(n => ({ name: n, text: files[n] ?? "", readOnly: false })),
          ...lesson.files.readonly.map(n => ({ name: n, text: n === "kernel.ts" ? headerText : "", readOnly: true }))];
}

function renderTabs(): void {
  if (!editor) return;
  const names = [...lesson.files.editable, ...lesson.files.readonly];
  const active = editor.activeFile();
  $("tabs").replaceChildren(...names.map(n => {
    const b = document.createElement("button");
    b.type = "button"; b.className = "tab"; b.setAttribute("role", "tab");
    b.setAttribute("aria-selected", String(n === active));
    b.setAttribute("aria-controls", "editor");
    b.tabIndex = n === active ? 0 : -1;             // one tab stop; arrows move between files
    b.dataset.file = n;
    b.textContent = n;
    if (lesson.files.readonly.includes(n)) {
      const ro = document.createElement("span");
      ro.className = "ro"; ro.textContent = " (read-only)";
      b.append(ro);
    }
    b.onclick = () => { editor!.showFile(n); renderTabs(); };
    return b;
  }));
}
// the WAI-ARIA tabs pattern: Left/Right (wrapping), Home and End show and focus another file
$("tabs").addEventListener("keydown", e => {
  if (!editor || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
  const names = [...lesson.files.editable, ...lesson.files.readonly];
  const i = names.indexOf(editor.activeFile() ?? names[0]);
  const j = e.key === "Home" ? 0 : e.key === "End" ? names.length - 1
    : (i + (e.key === "ArrowRight" ? 1 : names.length - 1)) % names.length;
  e.preventDefault();
  editor.showFile(names[j]);
  renderTabs();
  $("tabs").querySelector<HTMLElement>(`[data-file="${CSS.escape(names[j])}"]`)?.focus();
});

// ---- compile in the background as the learner types -------------------------------------------
let compileTimer: ReturnType<typeof setTimeout> | undefined, saveTimer: ReturnType<typeof setTimeout> | undefined;
function backgroundCompile(): void {
  clearTimeout(compileTimer);
  compileTimer = setTimeout(async () => {
    if (!editor) return;                       // the editor's arrival triggers the first one
    const f = currentFiles();
    const r = await compiler.compile(f);
    if (r.ok) void compiler.moduleOf(r.wasm).catch(() => undefined);
    if (JSON.stringify(currentFiles()) !== JSON.stringify(f)) return;      // stale
    editor?.setDiagnostics(r.ok ? r.diagnostics : r.error.kind === "compile" ? r.error.diagnostics : []);
  }, 450);
}
let savePending = false;
/** Saves the current lesson's files now if an edit is waiting for its debounced save. */
function flushSave(): void {
  clearTimeout(saveTimer);
  if (!savePending) return;
  savePending = false;
  if (!saveCode(store, lesson.id, currentFiles(), Date.now())) status("Could not save to this browser's storage.");
}
function onEdit(): void {
  checkStale();
  compareView?.edited();
  clearTimeout(saveTimer);
  savePending = true;
  saveTimer = setTimeout(flushSave, 250);
  backgroundCompile();
}
window.addEventListener("pagehide", flushSave);

// ---- Run ------------------------------------------------------------------------------------------
/** The engine's GradeDeps over the two workers: compile (cached by source hash) and the engine's
 *  runner (engine/runner.ts), the same policy as the CLI's: a handler that never returns is a
 *  soft lockup in its step, and every scenario runs in a fresh instance. */
/** How a run on screen was made, so that the step-through can run it again with call sites. */
interface RunJob { learner: WebAssembly.Module; sourceMap?: string; scenario: Scenario }

function gradeDeps(seen: { compile?: CompileResult; runs: RunResult[]; priced: RunResult[]; costs: Costs | null; compileMs: number; cached: boolean;
                            compiled?(): void; jobs?: RunJob[]; pricedJobs?: RunJob[] }): GradeDeps {
  return {
    async compile(f) {
      const a = performance.now();
      const cached = compiler.has(f);
      const r = await compiler.compile(f);
      if (!seen.compile) { seen.compile = r; seen.compileMs = performance.now() - a; seen.cached = cached; seen.compiled?.(); }
      return r;
    },
    async run(wasm, scenarios, opts) {
      const learner = await compiler.moduleOf(wasm);
      // graded without call sites (engine/explain.ts withCallSites): the step-through asks for them
      const r = await runner.runAll(await kernelModule, learner, scenarios,
                                    { deadlineMs: BROWSER_SCENARIO_DEADLINE_MS, sourceMap: opts.sourceMap });
      if (!r.ok) return r.error;
      seen.runs.push(...r.results);
      seen.jobs?.push(...scenarios.map(scenario => ({ learner, sourceMap: opts.sourceMap, scenario })));
      // the learner's fault cost: the same scenarios again at that cost, for the pictures only
      // (the checks are graded at the lesson's costs, so the report does not depend on it)
      const mine = seen.costs;
      if (mine) {
        const priced = scenarios.map(s => withCosts(s, mine));
        const p = await runner.runAll(await kernelModule, learner, priced, { deadlineMs: BROWSER_SCENARIO_DEADLINE_MS, sourceMap: opts.sourceMap });
        if (p.ok) {                                  // else the pictures fall back to the graded runs
          seen.priced.push(...p.results);
          seen.pricedJobs?.push(...priced.map(scenario => ({ learner, sourceMap: opts.sourceMap, scenario })));
        }
      }
      return r.results;
    },
  };
}

async function run(): Promise<void> {
  if (running) return;
  running = true;
  if (practice) closePractice();
  const results = $("results");
  results.dataset.state = "running";
  results.setAttribute("aria-busy", "true");
  const f = currentFiles();
  const tStart = performance.now();
  // The page says it is busy only when a Run takes long enough to be noticed: any change to the
  // page is a frame on the main thread (style, layout, paint: 3-25 ms), drawn at the next
  // vsync. A compile now takes 10-30 ms, so that frame often came after the compile's answer,
  // right when the scenarios post their results, and held them back (docs/web-performance.md,
  // change 16). So the compile and the scenarios say so only when they are still going after
  // BUSY_DELAY_MS (a first compile, a hang, a slow machine), below the delay a learner notices
  // (about 0.1 s, Nielsen's "instantaneous"); a Run that ends sooner changes the page once.
  let busyTimer: ReturnType<typeof setTimeout> | undefined;
  const busy = (text: string) => { status(text); ($("run-btn") as HTMLButtonElement).disabled = true; };
  const busyLater = (text: string) => { clearTimeout(busyTimer); busyTimer = setTimeout(() => busy(text), BUSY_DELAY_MS); };
  const compiled = compiler.settled(f);
  const seen: Parameters<typeof gradeDeps>[0] = { runs: [], priced: [], costs: costField.current()?.costs ?? null, compileMs: 0, cached: false,
    compiled: () => busyLater("Running the scenarios…"), jobs: [], pricedJobs: [] };
  // the compile (or the first scenarios) is asked for first; saving and the busy state follow
  // while the workers work
  const grading = gradeSubmission(lesson, f, gradeDeps(seen));
  saveCode(store, lesson.id, f, Date.now());
  busyLater(compiled ? "Running the scenarios…" : "Compiling…");
  try {
    const report = await grading;
    lastReport = report;
    const tEnd = performance.now();
    const c = seen.compile;
    const diagnostics: Diagnostic[] = !c ? [] : c.ok ? c.diagnostics : c.error.kind === "compile" ? c.error.diagnostics : [];
    editor?.setDiagnostics(diagnostics);
    let banner: RunView["banner"];
    if (c && !c.ok) banner = { kind: "compile", text: diagnostics.length ? "Your datastore did not compile:" : `Your datastore did not compile:\n${c.error.message}` };
    else if (seen.runs.some(x => x.status === "timeout")) {
      const hung = seen.runs.find(x => x.status === "timeout")!;
      banner = { kind: "timeout", text: `${hung.oops?.message ?? "vvar_fault() did not return."} (scenario ${hung.scenario}, ${(hung.oops?.step ?? 0) < 0 ? "before the first step" : `step ${hung.oops?.step}`}) Your code is untouched.` };
    }
    else if (report.status === "error") banner = { kind: "error", text: report.errors.map(e => e.message).join("\n") || "The checks could not run." };
    const passedChecks = report.tests.filter(t => t.status === "pass").length;
    if (!c || c.ok) {
      const before = progressLabel(progress, lesson.id);
      progress = recordRun(progress, lesson.id, { score: report.score, max_score: report.max_score, passed: report.status === "pass",
        passed_checks: passedChecks, total_checks: report.tests.length });
      saveProgress(store, progress);
      // the list shows the label only: redrawn when it changed (a redraw is a layout, 1 ms)
      if (progressLabel(progress, lesson.id) !== before) renderLessonList($("lesson-list"), lessons, lesson.id, progress);
    }
    timings.lastCompile = seen.compileMs; timings.lastRun = tEnd - tStart - seen.compileMs; timings.lastTotal = tEnd - tStart;
    // self-paced: a hidden check is shown in full (its scenario's pictures are shown anyway)
    const mine = seen.costs;
    const priced = mine !== null && seen.priced.length === seen.runs.length;
    const view: RunView = { report: redactReport(report, true), runs: priced ? seen.priced : seen.runs, banner,
           costs: priced && mine.fault_exception_ns !== undefined ? { fault_exception_ns: mine.fault_exception_ns } : undefined,
           pricedWith: priced ? mine : undefined, diagnostics: c && !c.ok ? diagnostics : undefined,
           ms: { compile: seen.compileMs, run: tEnd - tStart - seen.compileMs, cached: seen.cached } };
    show(view, priced ? seen.pricedJobs : seen.jobs);
    shownFor = f;
    checkStale();
    saveResultsAfterPaint(lesson.id, f, view);
    layout.badge("results", c && !c.ok ? "error" : `${passedChecks}/${report.tests.length}`);
    if (layout.narrow()) layout.show("results");
    timings.lastRender = performance.now() - tEnd;
    status(c && !c.ok ? "Compile error: see the red squiggles." : report.status === "pass" ? "All checks passed." : `${passedChecks} of ${report.tests.length} checks passed.`);
  } finally {
    clearTimeout(busyTimer);
    running = false;
    runs++;
    results.dataset.runs = String(runs);
    results.dataset.state = "done";
    results.setAttribute("aria-busy", "false");
    ($("run-btn") as HTMLButtonElement).disabled = false;
  }
}
/** Keeps a Run's results (saveResults) once the frame that shows them is drawn: writing them
 *  (serialising the view, localStorage) is about 0.3 ms the learner would otherwise wait for.
 *  A lesson switch, a reload or leaving the page writes a pending one at once (flushResults). */
let pendingResults: (() => void) | null = null;
function saveResultsAfterPaint(id: string, f: Record<string, string>, view: RunView): void {
  pendingResults = () => { if (!saveResults(store, id, f, view)) console.warn("the results were not kept: the browser's storage refused them"); };
  // after the next frame (rAF runs just before it is drawn); a hidden page draws no frame
  requestAnimationFrame(() => setTimeout(flushResults, 0));
  setTimeout(flushResults, 500);
}
function flushResults(): void {
  const save = pendingResults;
  pendingResults = null;
  save?.();
}
window.addEventListener("pagehide", flushResults);
let shownRuns: RunResult[] = [];                 // the runs on screen, for the step-through
let shownView: RunView | null = null;
let shownJobs: RunJob[] | undefined;             // how each of shownRuns was made (this visit's Runs)
/** `run` (one of shownRuns) with the learner's source line of each kernel call, for the
 *  step-through: the same scenario run again with call sites recorded (a Run grades without).
 *  Results kept from an earlier visit are run again from the code they were made with: the
 *  lesson's scenario of that run (in the grading's order, engine/lesson.ts runPlan), its
 *  variant's compile and the costs the pictures were drawn at. The results on screen and in
 *  storage get the lines; `run` itself when they cannot be had. One re-run per run shown. */
const sitedOf = new WeakMap<RunResult, Promise<RunResult>>();
function withSites(run: RunResult): Promise<RunResult> {
  let p = sitedOf.get(run);
  if (!p) { p = resiteRun(run).catch(() => run); sitedOf.set(run, p); }
  return p;
}
async function resiteRun(run: RunResult): Promise<RunResult> {
  const i = shownRuns.indexOf(run);
  if (i < 0 || !lacksCallSites(run)) return run;
  const view = shownView, files = shownFor, at = lesson;
  let job = shownJobs?.[i];
  if (!job) {
    // the runs on screen are the grading's, in its order: a variant's part, then each scenario
    const plan = runPlan(at).flatMap(pt => pt.scenarios.map(name => ({ variant: pt.variant, base: at.scenarios[name] })));
    const part = plan[i];
    if (!files || !view || plan.length !== view.runs.length || part.base?.name !== run.scenario) return run;
    const base = part.base;
    const c = await compiler.compile(part.variant !== undefined ? variantFiles(files, at.variants[part.variant]) : files);
    if (!c.ok) return run;
    job = { learner: await compiler.moduleOf(c.wasm), sourceMap: c.sourceMap, scenario: view.pricedWith ? withCosts(base, view.pricedWith) : base };
  }
  const r = await runner.runners[0].run(await kernelModule, job.learner, job.scenario,
                                        { deadlineMs: BROWSER_SCENARIO_DEADLINE_MS, sourceMap: job.sourceMap, callSites: true });
  // a variant's compile has the learner's file under another name (engine/grade-submission.ts)
  const sited = r.ok ? withCallSites(run, renameFile(r.result)) : undefined;
  if (!sited) return run;
  if (shownView === view && shownRuns[i] === run && lesson === at) {
    shownRuns[i] = sited;
    if (view && files) saveResults(store, at.id, files, view);
  }
  return sited;
}
attachExplain($("results-body"), {
  runs: () => shownRuns,
  withSites,
  scenario: name => Object.values(lesson.scenarios).find(sc => sc.name === name),
  highlight: (file, lines) => editor?.highlightLines(file, lines),
  goto: gotoLine,
});
function show(v: RunView, jobs?: RunJob[]): void {
  shownRuns = v.runs;
  shownView = v;
  // marked in the editor by checkStale() (the caller's next step), while the code is unchanged
  shownOops = v.runs.find(x => x.oops && x.status === "oops")?.oops ?? null;
  shownJobs = jobs && jobs.length === v.runs.length ? jobs : undefined;
  editor?.highlightLines("datastore.ts", []);
  $("results-empty").hidden = true;
  const at = lessons.findIndex(l => l.id === lesson.id);
  const next = lessons[at + 1];
  renderResults($("results-body"), v, {
    goto: gotoLine,
    next: next ? { title: next.title, open: () => openNext(next.id) } : undefined,
  });
}
/** "Next lesson": opens lesson `id` (a history entry, as its link in the lesson list makes) and
 *  shows its text with the focus on its heading (on a phone the Lesson tab; at desktop width the
 *  lesson pane, opened if it was hidden). The button itself goes with the old results. */
function openNext(id: string): void {
  location.hash = `#lesson=${encodeURIComponent(id)}`;   // its hashchange finds the lesson open
  if (lesson.id !== id) openLesson(id, null);
  layout.show("lesson");
  $("lesson-pane").scrollTop = 0;
  $("lesson-title").focus();
}

// ---- buttons and keys -------------------------------------------------------------------------
// "Skip to the editor": the editor itself gets the focus, in the Code tab on a phone (the link's
// #editor-pane target is hidden behind another tab there, and is the pane, not the editor)
document.querySelector<HTMLAnchorElement>("a.skip")?.addEventListener("click", e => {
  e.preventDefault();
  layout.show("code");
  if (editor) editor.focus(); else $("editor-pane").focus();
});
$("run-btn").addEventListener("click", () => void run());
document.addEventListener("keydown", e => {
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && !e.defaultPrevented) { e.preventDefault(); void run(); }
});
$("reset-btn").addEventListener("click", () => {
  const before = currentFiles();
  saveUndo(store, lesson.id, before, Date.now());
  for (const [n, t] of Object.entries(lesson.starter)) editor ? editor.setFileText(n, t) : (files[n] = t);
  saveCode(store, lesson.id, currentFiles(), Date.now());
  $("undo-reset-btn").hidden = false;
  status("Reset to the starter. “Undo reset” brings your code back.");
});
$("undo-reset-btn").addEventListener("click", () => {
  const undo = loadUndo(store, lesson.id);
  if (!undo) return;
  for (const [n, t] of Object.entries(undo)) editor ? editor.setFileText(n, t) : (files[n] = t);
  saveCode(store, lesson.id, currentFiles(), Date.now());
  clearUndo(store, lesson.id);
  $("undo-reset-btn").hidden = true;
  status("Your code is back.");
});
let diffOpen = false;
/** Closes the solution diff if it is open: the editor shows again, and the button opens it. */
function closeDiff(): void {
  if (!diffOpen) return;
  editor?.hideDiff();
  diffOpen = false;
  $("diff-btn").textContent = "Compare with solution";
}
/** A file:line link of the results or the step-through: the editor (in the Code tab on a phone)
 *  shows that line with the cursor on it. The diff hides the editor whose cursor moves, so an
 *  open comparison is closed first: the line is shown where the learner edits it. */
function gotoLine(file: string, line: number, column: number): void {
  if (!editor) return;
  closeDiff();
  layout.show("code");
  if (!editor.revealLine(file, line, column)) status(`${file} is not open in the editor.`);
}
$("diff-btn").addEventListener("click", () => {
  if (!editor || "plain" in editor) { status("The comparison opens once the full editor has loaded."); return; }
  if (diffOpen) { closeDiff(); return; }
  const passed = progress.lessons[lesson.id]?.passed;
  if (!passed && !confirm("You have not passed this lesson yet. Show the reference solution next to your code?")) return;
  editor.showDiff(lesson.solution, "Reference solution (left) and your code (right)");
  diffOpen = true;
  $("diff-btn").textContent = "Close comparison";
});
$("hint-btn").addEventListener("click", () => {
  const n = renderHints($("hints"), $("hint-btn") as HTMLButtonElement, lesson, 0);
  progress = unlockHint(progress, lesson.id, n);
  saveProgress(store, progress);
  renderHints($("hints"), $("hint-btn") as HTMLButtonElement, lesson, progress.lessons[lesson.id]?.hints ?? 0);
});
$("share-btn").addEventListener("click", async () => {
  const url = location.href.replace(/#.*$/, "") + encodeShare(lesson.id, currentFiles(), lesson.starter, practice?.seed ?? null);
  let copied = false;
  try { await navigator.clipboard.writeText(url); copied = true; } catch { /* no permission */ }
  let out = document.getElementById("share-url") as HTMLInputElement | null;
  if (!out) {
    out = document.createElement("input");
    out.id = "share-url"; out.readOnly = true; out.setAttribute("aria-label", "Share link");
    $("share-box").append(out);
  }
  out.value = url;
  out.select();
  status(copied ? "Share link copied to the clipboard." : "Share link below: copy it.");
});
window.addEventListener("hashchange", () => {
  const st = decodeShare(location.hash);
  if (st && lessons.some(l => l.id === st.lesson) && (st.lesson !== lesson.id || st.files)) openLesson(st.lesson, st.files);
  if (st && st.seed !== null && st.lesson === lesson.id) void openPractice(st.seed);
});

// ---- practice: "predict, then run" (ui/practice-view.ts, loaded on first use) -------------------
let practice: PracticeView | null = null;
async function openPractice(seed: number, focus = false): Promise<void> {
  const forLesson = lesson;
  const { createPractice } = await import("./ui/practice-view.js");
  if (forLesson !== lesson) return;
  $("results").classList.add("practicing");
  $("practice").hidden = false;
  layout.show("results");
  if (practice) practice.open(seed);
  else practice = createPractice($("practice"), { lesson, learnerFiles: currentFiles, close: closePractice,
    deps: { compile: f => compiler.compile(f), run: gradeDeps({ runs: [], priced: [], costs: null, compileMs: 0, cached: false }).run },
    onSeed: s => history.replaceState(null, "", encodeShare(forLesson.id, {}, {}, s)),
    kept: { load: s => loadPredictions(store, forLesson.id, s), save: (s, p) => { savePredictions(store, forLesson.id, s, p); } } }, seed);
  if (focus) $("practice-title").focus();
}
function hidePractice(): void {
  practice = null;
  $("practice").hidden = true;
  $("practice").replaceChildren();
  $("results").classList.remove("practicing");
}
function closePractice(): void {
  hidePractice();
  history.replaceState(null, "", `#lesson=${encodeURIComponent(lesson.id)}`);
  $("practice-btn").focus();
}
$("practice-btn").addEventListener("click", () => void openPractice(crypto.getRandomValues(new Uint32Array(1))[0], true));

// ---- start ------------------------------------------------------------------------------------
$("toolchain").textContent = `loading compiler… · Monaco ${versions.monaco}`;
if (lessons.length === 0) {
  $("lesson-title").textContent = "No lessons";
  $("lesson-text").textContent = "This build of Prefault contains no valid lesson. " + broken.map(b => `${b.id}: ${b.message}`).join(" ");
  throw new Error("no lessons");
}
// "Compare with Linux": its own runner (a worker spawned on the first comparison), so it never waits for a Run
const compareRunner = new ScenarioRunner(browserRunnerTransport);
compareView = mountCompare($("compare"), { lesson: () => lesson, files: currentFiles, compile: f => compiler.compile(f), moduleOf: w => compiler.moduleOf(w),
  async run(learner, scenarios) {
    const r = await compareRunner.runAll(await kernelModule, learner, scenarios, { deadlineMs: BROWSER_SCENARIO_DEADLINE_MS });
    return r.ok ? r : { ok: false, message: r.error.message };
  } });
const plainEditor = createPlainEditor($("editor"));
editor = plainEditor;
plainEditor.onDidChange(onEdit);
plainEditor.onDidShowFile(() => renderTabs());
const shared = decodeShare(location.hash);
const known = (id: string | null | undefined) => !!id && lessons.some(l => l.id === id);
if (shared && known(shared.lesson)) openLesson(shared.lesson, shared.files);
else openLesson(known(progress.current) ? progress.current! : lessons[0].id, null);    // resume where the learner left off
if (shared && known(shared.lesson) && shared.seed !== null) void openPractice(shared.seed);   // a practice link
timings.editorUsable = performance.now();
root.dataset.editor = "plain";
// the compiler's first (slow, warm-up) compile is the lesson code, so the first Run finds it done
void compiler.compile(currentFiles());

compiler.ready.then(r => {
  timings.compilerReady = performance.now();
  const at = (epoch: number) => epoch - performance.timeOrigin;            // worker clock -> page clock
  timings.compilerWorkerStart = at(r.phases.workerStart);
  timings.compilerAscImported = at(r.phases.ascImported);
  if (r.phases.binaryenCompiled) timings.compilerBinaryenCompiled = at(r.phases.binaryenCompiled);
  void compiler.warmed.then(p => p.warm.forEach((w, i) => { timings[`compilerWarm${i + 1}`] = at(w); }));
  root.dataset.compiler = "ready";
  saveCompilerSeen(store, versions.assemblyscript);
  runner.warm();
  $("toolchain").textContent = `AssemblyScript ${r.toolchain.asc} · Monaco ${versions.monaco} · built with Vite ${versions.vite}`;
  editor?.setTypings(r.definitions, headerText);
  pendingTypings = r.definitions;
  // offline support, registered once the heavy loading is over so it does not compete with it
  if ("serviceWorker" in navigator && location.protocol.startsWith("http") && !/[?&]nosw\b/.test(location.search)) {
    navigator.serviceWorker.register("./sw.js").catch(() => undefined);
  }
}, e => { $("toolchain").textContent = `The compiler failed to load: ${String(e)}`; });
let pendingTypings: string | null = null;

void monacoModule.then(({ createCodeEditor }) => {
  timings.monacoLoaded = performance.now();
  // carry the textarea's text, file, selection and marks over to Monaco (in this one task, so no
  // keystroke falls in between)
  files = { ...files, ...plainEditor.getFiles() };
  const shown = plainEditor.activeFile(), sel = plainEditor.selection(), marks = plainEditor.lastMarks();
  plainEditor.dispose();
  const m = createCodeEditor($("editor"));
  editor = m;
  m.onDidChange(onEdit);
  m.onDidShowFile(() => renderTabs());
  m.addRunAction(() => void run());
  m.setFiles(editorFiles());
  if (shown && shown !== m.activeFile()) m.showFile(shown);
  m.setSelectionOffsets(sel.start, sel.end);
  m.setDiagnostics(marks.diagnostics);
  m.setOops(marks.oops);
  renderTabs();
  if (sel.focused) m.focus();
  if (pendingTypings) m.setTypings(pendingTypings, headerText);
  timings.editorReady = performance.now();
  root.dataset.editor = "ready";
  backgroundCompile();
}, e => { status(`The full editor failed to load (${String(e)}): the plain editor stays, and Run works.`); });

// ---- test and benchmark hook ------------------------------------------------------------------
(window as unknown as { __prefault: unknown }).__prefault = {
  /** Replaces an editable file's text (typing into Monaco is rewritten by auto-close). */
  setCode(text: string, file = "datastore.ts") { if (editor) editor.setFileText(file, text); else { files[file] = text; onEdit(); } },
  getCode(file = "datastore.ts") { return currentFiles()[file]; },
  run,
  lesson: () => lesson.id,
  solution: (file = "datastore.ts") => lesson.solution[file],
  markers: (owner?: string) => editor?.markers(owner) ?? [],
  /** the editor lines the step-through highlights */
  highlighted: () => editor?.highlighted() ?? [],
  /** the active file and the cursor's line and column */
  cursor: () => editor?.cursor() ?? null,
  timings,
  /** the Report of the last Run (unredacted, as `prefault grade --format json` prints it), or null */
  lastReport: () => lastReport,
  /** the comparison on screen ("Compare with Linux"), or null */
  lastComparison: () => compareView?.last() ?? null,
  runnerRestarts: () => Math.max(0, runner.spawned - runner.runners.length),
  /** compiles without running (benchmark: the bare compile) */
  compileOnly: async (f: Record<string, string>) => { const a = performance.now(); const r = await compiler.compile(f); return { ok: r.ok, ms: performance.now() - a }; },
  /** the same, by asc as shipped (benchmark: what keeping the library's parse saves) */
  compileAsShipped: async (f: Record<string, string>) => { const a = performance.now(); const ok = await compiler.compileAsShipped(f); return { ok, ms: performance.now() - a }; },
};
