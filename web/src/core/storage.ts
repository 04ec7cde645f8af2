// storage.ts: versioned autosave and progress, validated on every read.
//
// Keys (one per lesson, so a corrupt entry loses nothing else):
//   prefault:v1:code:<lesson>   { v: 1, files: { "datastore.ts": "..." }, saved: <ms> }
//   prefault:v1:undo:<lesson>   the same shape: the files before the last "Reset to starter"
//   prefault:v1:progress        { v: 1, current: <lesson>|null, lessons: { <id>: LessonProgress } }
//   prefault:v1:results:<lesson> { v: 1, files: {...}, view: SavedRunView }  the last Run's results
//   prefault:v1:layout          { v: 1, lesson: %, results: %, collapsed: bool }  pane widths
//   prefault:v1:costs, prefault:v1:machine-era   the learner's fault cost and kernel era (core/costs.ts)
//   prefault:v1:compiler-seen   { v: 1, asc: "<version>" }  this browser has loaded that compiler before
//   prefault:v1:predictions:<lesson>  { v: 1, problems: [{ seed, steps: { <i>: SavedPrediction } }] }
//                               practice predictions, the most recently touched problem first
// Legacy: a bare string under "prefault:code:<lesson>" (v0) migrates to v1 on read.
//
// Pure logic over an injected KeyValueStore (window.localStorage in the app, a Map in tests).

/** The format version: in every key's prefix and every stored record's `v`. A record with another
 *  `v` is not trusted (dropped); a new format gets a new number and a migration on read. */
export const STORAGE_VERSION = 1;
const PREFIX = `prefault:v${STORAGE_VERSION}:`;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SavedCode { v: typeof STORAGE_VERSION; files: Record<string, string>; saved: number }

export interface LessonProgress {
  /** best score so far and the maximum */
  score: number;
  max_score: number;
  passed: boolean;
  /** checks passed at the best run, of total */
  passed_checks: number;
  total_checks: number;
  /** hint levels unlocked */
  hints: number;
}

export interface Progress { v: typeof STORAGE_VERSION; current: string | null; lessons: Record<string, LessonProgress> }

function isFiles(x: unknown): x is Record<string, string> {
  return !!x && typeof x === "object" && !Array.isArray(x) &&
    Object.values(x as object).every(v => typeof v === "string");
}

function readJson(store: KeyValueStore, key: string): unknown {
  try {
    const raw = store.getItem(key);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return null;            // corrupt: the caller falls back
  }
}

/** Validates and migrates one stored code entry; null when unusable. */
export function parseSavedCode(x: unknown): SavedCode | null {
  if (!x || typeof x !== "object") return null;
  const o = x as Record<string, unknown>;
  if (o.v === STORAGE_VERSION && isFiles(o.files) && typeof o.saved === "number") return { v: STORAGE_VERSION, files: o.files, saved: o.saved };
  return null;
}

/** The learner's saved files for a lesson, limited to the lesson's editable files, or null. */
export function loadCode(store: KeyValueStore, lesson: string, editable: string[]): Record<string, string> | null {
  let saved = parseSavedCode(readJson(store, PREFIX + "code:" + lesson));
  if (!saved) {
    const legacy = safeGet(store, "prefault:code:" + lesson);          // v0: a bare string
    if (legacy !== null && editable.length > 0) {
      saved = { v: STORAGE_VERSION, files: { [editable[0]]: legacy }, saved: 0 };
      saveCode(store, lesson, saved.files, 0);
      safeRemove(store, "prefault:code:" + lesson);
    }
  }
  if (!saved) return null;
  const files: Record<string, string> = {};
  for (const n of editable) if (saved.files[n] !== undefined) files[n] = saved.files[n];
  return Object.keys(files).length ? files : null;
}

/** Saves the files; returns false when the store refused (quota, private mode). */
export function saveCode(store: KeyValueStore, lesson: string, files: Record<string, string>, now: number): boolean {
  return safeSet(store, PREFIX + "code:" + lesson, JSON.stringify({ v: STORAGE_VERSION, files, saved: now }));
}

/** Keeps files as the undo point of a reset. */
export function saveUndo(store: KeyValueStore, lesson: string, files: Record<string, string>, now: number): boolean {
  return safeSet(store, PREFIX + "undo:" + lesson, JSON.stringify({ v: STORAGE_VERSION, files, saved: now }));
}

/** The undo point of the last reset, or null. */
export function loadUndo(store: KeyValueStore, lesson: string): Record<string, string> | null {
  return parseSavedCode(readJson(store, PREFIX + "undo:" + lesson))?.files ?? null;
}

export function clearUndo(store: KeyValueStore, lesson: string): void {
  safeRemove(store, PREFIX + "undo:" + lesson);
}

function parseLessonProgress(x: unknown): LessonProgress | null {
  if (!x || typeof x !== "object") return null;
  const o = x as Record<string, unknown>;
  const n = (k: string) => typeof o[k] === "number" && Number.isFinite(o[k]) && (o[k] as number) >= 0;
  if (!n("score") || !n("max_score") || typeof o.passed !== "boolean") return null;
  return {
    score: o.score as number, max_score: o.max_score as number, passed: o.passed,
    passed_checks: n("passed_checks") ? o.passed_checks as number : 0,
    total_checks: n("total_checks") ? o.total_checks as number : 0,
    hints: n("hints") ? Math.floor(o.hints as number) : 0,
  };
}

/** Progress over all lessons; entries that fail validation are dropped one by one. */
export function loadProgress(store: KeyValueStore): Progress {
  const x = readJson(store, PREFIX + "progress");
  const out: Progress = { v: STORAGE_VERSION, current: null, lessons: {} };
  if (!x || typeof x !== "object") return out;
  const o = x as Record<string, unknown>;
  if (typeof o.current === "string") out.current = o.current;
  if (o.lessons && typeof o.lessons === "object") {
    for (const [id, p] of Object.entries(o.lessons as Record<string, unknown>)) {
      const lp = parseLessonProgress(p);
      if (lp) out.lessons[id] = lp;
    }
  }
  return out;
}

export function saveProgress(store: KeyValueStore, p: Progress): boolean {
  return safeSet(store, PREFIX + "progress", JSON.stringify(p));
}

/** Merges a graded run into the progress of a lesson: the best score is kept, hints kept. */
export function recordRun(p: Progress, lesson: string,
                          run: { score: number; max_score: number; passed: boolean; passed_checks: number; total_checks: number }): Progress {
  const old = p.lessons[lesson];
  const better = !old || run.score > old.score || (run.passed && !old.passed);
  const next: LessonProgress = better
    ? { ...run, hints: old?.hints ?? 0 }
    : { ...old, max_score: run.max_score, total_checks: run.total_checks };
  return { ...p, lessons: { ...p.lessons, [lesson]: next } };
}

/** Unlocks one more hint level (up to max) for a lesson. */
export function unlockHint(p: Progress, lesson: string, max: number): Progress {
  const old = p.lessons[lesson] ?? { score: 0, max_score: 0, passed: false, passed_checks: 0, total_checks: 0, hints: 0 };
  return { ...p, lessons: { ...p.lessons, [lesson]: { ...old, hints: Math.min(max, old.hints + 1) } } };
}

function safeGet(store: KeyValueStore, key: string): string | null {
  try { return store.getItem(key); } catch { return null; }
}
function safeSet(store: KeyValueStore, key: string, value: string): boolean {
  try { store.setItem(key, value); return true; } catch { return false; }
}
function safeRemove(store: KeyValueStore, key: string): void {
  try { store.removeItem(key); } catch { /* ignore */ }
}

// ---- the last Run's results of a lesson ---------------------------------------------------------

/** What the results pane showed after a Run, as plain data (web/src/ui/results-view.ts RunView). */
export interface SavedResults { v: 1; files: Record<string, string>; view: unknown }

/** The results to keep: a view whose JSON is over this many characters drops its traces. */
const RESULTS_MAX_CHARS = 1_000_000;

/** Keeps the results of the Run of `files`; traces go first should the entry be too big.
 *  Returns false when the store refused. */
export function saveResults(store: KeyValueStore, lesson: string, files: Record<string, string>, view: unknown): boolean {
  let text = JSON.stringify({ v: 1, files, view });
  if (text.length > RESULTS_MAX_CHARS && view && typeof view === "object" && Array.isArray((view as { runs?: unknown }).runs)) {
    const v = view as { runs: { trace?: unknown[]; trace_dropped?: number; calls?: unknown[]; calls_dropped?: number }[] };
    const slim = { ...v, runs: v.runs.map(r => ({ ...r, trace: [], trace_dropped: (r.trace_dropped ?? 0) + (r.trace?.length ?? 0),
                                                  calls: [], calls_dropped: (r.calls_dropped ?? 0) + (r.calls?.length ?? 0) })) };
    text = JSON.stringify({ v: 1, files, view: slim });
  }
  if (text.length > RESULTS_MAX_CHARS) { safeRemove(store, PREFIX + "results:" + lesson); return false; }
  return safeSet(store, PREFIX + "results:" + lesson, text);
}

/** The saved results of a lesson, or null when there are none or they do not validate: a
 *  view with a report (tests[] with id/name/status/score) and runs[] (scenario, steps[], tasks). */
export function loadResults(store: KeyValueStore, lesson: string): SavedResults | null {
  const x = readJson(store, PREFIX + "results:" + lesson);
  if (!x || typeof x !== "object") return null;
  const o = x as Record<string, unknown>;
  if (o.v !== 1 || !isFiles(o.files) || !isRunView(o.view, lesson)) return null;
  return { v: 1, files: o.files, view: o.view };
}

function isRunView(x: unknown, lesson: string): boolean {
  if (!x || typeof x !== "object") return false;
  const v = x as { report?: { lesson?: unknown; tests?: unknown; score?: unknown; max_score?: unknown }; runs?: unknown };
  const r = v.report;
  if (!r || r.lesson !== lesson || typeof r.score !== "number" || typeof r.max_score !== "number" || !Array.isArray(r.tests)) return false;
  const testOk = (t: unknown) => !!t && typeof t === "object" && typeof (t as { id?: unknown }).id === "string" &&
    typeof (t as { name?: unknown }).name === "string" && ["pass", "fail", "error"].includes((t as { status?: string }).status ?? "");
  const runOk = (u: unknown) => !!u && typeof u === "object" && typeof (u as { scenario?: unknown }).scenario === "string" &&
    Array.isArray((u as { steps?: unknown }).steps) && Array.isArray((u as { trace?: unknown }).trace) &&
    !!(u as { tasks?: unknown }).tasks && typeof (u as { tasks?: unknown }).tasks === "object" &&
    Array.isArray((u as { dmesg?: unknown }).dmesg);
  return r.tests.every(testOk) && Array.isArray(v.runs) && v.runs.every(runOk);
}

// ---- pane layout --------------------------------------------------------------------------------

/** Pane widths in % of the page width, and whether the lesson pane is collapsed. */
export interface LayoutPrefs { lesson: number; results: number; collapsed: boolean }
export const DEFAULT_LAYOUT: LayoutPrefs = { lesson: 22, results: 28, collapsed: false };

export function loadLayout(store: KeyValueStore): LayoutPrefs {
  const x = readJson(store, PREFIX + "layout");
  if (!x || typeof x !== "object") return { ...DEFAULT_LAYOUT };
  const o = x as Record<string, unknown>;
  const pct = (k: string) => typeof o[k] === "number" && Number.isFinite(o[k]) && (o[k] as number) > 0 && (o[k] as number) < 100;
  return {
    lesson: pct("lesson") ? o.lesson as number : DEFAULT_LAYOUT.lesson,
    results: pct("results") ? o.results as number : DEFAULT_LAYOUT.results,
    collapsed: typeof o.collapsed === "boolean" ? o.collapsed : false,
  };
}

export function saveLayout(store: KeyValueStore, p: LayoutPrefs): boolean {
  return safeSet(store, PREFIX + "layout", JSON.stringify({ v: 1, ...p }));
}

// ---- first visit or not ---------------------------------------------------------------------------

/** Whether this browser has loaded AssemblyScript `asc` here before: then its files are cached
 *  and the page loads Monaco at once; on a first visit Monaco waits for the compiler (main.ts). */
export function loadCompilerSeen(store: KeyValueStore, asc: string): boolean {
  const x = readJson(store, PREFIX + "compiler-seen");
  return !!x && typeof x === "object" && (x as { v?: unknown }).v === STORAGE_VERSION && (x as { asc?: unknown }).asc === asc;
}

export function saveCompilerSeen(store: KeyValueStore, asc: string): boolean {
  return safeSet(store, PREFIX + "compiler-seen", JSON.stringify({ v: STORAGE_VERSION, asc }));
}

// ---- practice predictions -------------------------------------------------------------------------

/** One step's prediction in practice (engine/scenario-gen-answer.ts Prediction): null is a field
 *  left empty. */
export interface SavedPrediction { faults: number | null; minflt: number | null; signal: "none" | "SIGBUS" | "SIGSEGV" | null }

/** How many practice problems of a lesson keep their predictions (the oldest touched go first). */
export const PREDICTIONS_KEPT = 20;

const SIGNAL_NAMES = ["none", "SIGBUS", "SIGSEGV"];

function parsePrediction(x: unknown): SavedPrediction | null {
  if (!x || typeof x !== "object") return null;
  const o = x as Record<string, unknown>;
  const count = (v: unknown) => v === null || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0);
  if (!count(o.faults) || !count(o.minflt)) return null;
  if (o.signal !== null && !SIGNAL_NAMES.includes(o.signal as string)) return null;
  return { faults: o.faults as number | null, minflt: o.minflt as number | null, signal: o.signal as SavedPrediction["signal"] };
}

// the valid problems of a lesson's entry, in order (an invalid problem or step is dropped alone)
function readProblems(store: KeyValueStore, lesson: string): { seed: number; steps: Record<string, SavedPrediction> }[] {
  const x = readJson(store, PREFIX + "predictions:" + lesson);
  if (!x || typeof x !== "object" || (x as { v?: unknown }).v !== STORAGE_VERSION) return [];
  const problems = (x as { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return [];
  const out: { seed: number; steps: Record<string, SavedPrediction> }[] = [];
  for (const p of problems) {
    if (!p || typeof p !== "object") continue;
    const { seed, steps } = p as { seed?: unknown; steps?: unknown };
    if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0 || !steps || typeof steps !== "object") continue;
    const kept: Record<string, SavedPrediction> = {};
    for (const [i, v] of Object.entries(steps as Record<string, unknown>)) {
      const pr = /^\d+$/.test(i) ? parsePrediction(v) : null;
      if (pr) kept[i] = pr;
    }
    if (!out.some(q => q.seed === seed)) out.push({ seed, steps: kept });
  }
  return out;
}

/** The predictions kept for practice problem `seed` of `lesson`, by step index; null when none. */
export function loadPredictions(store: KeyValueStore, lesson: string, seed: number): Record<number, SavedPrediction> | null {
  const p = readProblems(store, lesson).find(q => q.seed === seed);
  if (!p) return null;
  const out: Record<number, SavedPrediction> = {};
  for (const [i, v] of Object.entries(p.steps)) out[Number(i)] = v;
  return out;
}

/** Keeps the predictions of problem `seed` (replacing its earlier ones) as the most recent of the
 *  lesson's, PREDICTIONS_KEPT problems at most. Returns false when the store refused. */
export function savePredictions(store: KeyValueStore, lesson: string, seed: number, steps: Record<number, SavedPrediction>): boolean {
  const kept: Record<string, SavedPrediction> = {};
  for (const [i, v] of Object.entries(steps)) { const pr = parsePrediction(v); if (pr) kept[i] = pr; }
  const problems = [{ seed, steps: kept }, ...readProblems(store, lesson).filter(q => q.seed !== seed)].slice(0, PREDICTIONS_KEPT);
  return safeSet(store, PREFIX + "predictions:" + lesson, JSON.stringify({ v: STORAGE_VERSION, problems }));
}

