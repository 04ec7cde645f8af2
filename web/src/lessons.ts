// lessons.ts: the lesson catalog, bundled at build time from lessons/<NN-slug>/ (data only) and
// validated by the engine's own loader (engine/lesson.ts), so the browser and the CLI agree on
// what a lesson is. A lesson that fails validation is listed with its problem instead of crashing
// the page.
import { loadLesson, type Lesson, type LessonSource } from "../../engine/lesson.js";

export type WebLesson = Lesson;
export interface BrokenLesson { id: string; message: string }

const rawFiles = import.meta.glob<string>(
  ["../../lessons/*/lesson.json", "../../lessons/*/README.md", "../../lessons/*/hints.md",
   "../../lessons/*/starter/*.ts", "../../lessons/*/solution/*.ts", "../../lessons/*/scenarios/*.json",
   "../../lessons/*/mutants/*.ts"],
  { eager: true, query: "?raw", import: "default" });

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

/** The lesson folders as LessonSource values (the shape engine/lesson.ts loads). */
export function lessonSources(): LessonSource[] {
  const byId = new Map<string, Record<string, string>>();
  for (const [path, text] of Object.entries(rawFiles)) {
    const m = /lessons\/([^/]+)\/(.+)$/.exec(path);
    if (!m) continue;
    if (!byId.has(m[1])) byId.set(m[1], {});
    byId.get(m[1])![m[2]] = text;
  }
  return [...byId.keys()].sort().map(id => {
    const files = byId.get(id)!;
    const pick = (dir: string, strip = true) => Object.fromEntries(Object.entries(files)
      .filter(([p]) => p.startsWith(dir + "/")).map(([p, t]) => [strip ? p.slice(dir.length + 1) : p, t]));
    const scenarios: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(pick("scenarios"))) scenarios[name.replace(/\.json$/, "")] = parseJson(text);
    return { id, json: parseJson(files["lesson.json"]), readme: files["README.md"] ?? "", hints: files["hints.md"] ?? "",
             starter: pick("starter"), solution: pick("solution"), scenarios, mutants: pick("mutants", false) };
  });
}

/** All valid lessons in folder order, and the folders that did not load. */
export function loadLessons(): { lessons: WebLesson[]; broken: BrokenLesson[] } {
  const lessons: WebLesson[] = [], broken: BrokenLesson[] = [];
  for (const src of lessonSources()) {
    if (src.json === undefined) continue;                         // a folder still being written
    const r = loadLesson(src);
    if (r.ok) lessons.push(r.lesson);
    else broken.push({ id: src.id, message: r.error.message });
  }
  return { lessons, broken };
}
