// engine/lesson-folder.ts: the one reader of a lesson folder, used by the CLI (cli/lessons.ts),
// the web build (web/vite.config.ts) and the assignment kit. The engine touches no file system:
// the caller hands it a FolderReader over the folder (Node's fs, Vite's watched reads, a test's
// object), and gets plain data (LessonSource) that engine/lesson.ts loadLesson() then validates.
//
//   lessons/NN-slug/lesson.json            required
//                   README.md, hints.md    optional ("" when missing)
//                   starter/*.ts, solution/*.ts, mutants/*.ts, scenarios/*.json

import type { EngineError } from "./types.js";
import type { LessonSource, LoadResult } from "./lesson.js";
import { loadLesson } from "./lesson.js";
import { validateScenario } from "./validate.js";

/** A lesson folder's name: two digits, a dash, a slug ("01-first-fault"). */
export const LESSON_ID = /^\d{2}-[a-z0-9-]+$/;

/** Read access to one lesson folder, by paths relative to it ("lesson.json", "starter"). */
export interface FolderReader {
  /** the text of a file, or undefined when it cannot be read */
  read(path: string): string | undefined;
  /** the names of the entries of a sub-folder, or [] when it does not exist */
  list(dir: string): string[];
}

type Read<T> = { ok: true; value: T } | { ok: false; error: EngineError };

// a JSON file of the folder; a missing file or a syntax error names the file
function json(f: FolderReader, path: string): Read<unknown> {
  const text = f.read(path);
  if (text === undefined) return { ok: false, error: { kind: "invalid", path, message: `${path}: cannot read` } };
  try { return { ok: true, value: JSON.parse(text) }; }
  catch (e) { return { ok: false, error: { kind: "invalid", path, message: `${path}: ${(e as Error).message}` } }; }
}

// the files of sub-folder `dir` ending in `ext`, sorted by name
function files(f: FolderReader, dir: string, ext: string): string[] {
  return f.list(dir).filter(n => n.endsWith(ext)).sort();
}

/** Reads lesson folder `id` through `f` into plain data, unvalidated. */
export function readLessonFolder(id: string, f: FolderReader): { ok: true; source: LessonSource } | { ok: false; error: EngineError } {
  const lesson = json(f, "lesson.json");
  if (!lesson.ok) return lesson;
  const scenarios: Record<string, unknown> = {};
  for (const n of files(f, "scenarios", ".json")) {
    const s = json(f, `scenarios/${n}`);
    if (!s.ok) return s;
    scenarios[n.slice(0, -".json".length)] = s.value;
  }
  const ts = (dir: string, key: (n: string) => string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const n of files(f, dir, ".ts")) out[key(n)] = f.read(`${dir}/${n}`) ?? "";
    return out;
  };
  return {
    ok: true,
    source: {
      id, json: lesson.value, readme: f.read("README.md") ?? "", hints: f.read("hints.md") ?? "",
      starter: ts("starter", n => n), solution: ts("solution", n => n), scenarios,
      mutants: ts("mutants", n => `mutants/${n}`),
    },
  };
}

/** Reads and validates lesson folder `id` (lesson.json against its schema, every scenario,
 *  the references between them). */
export function loadLessonFolder(id: string, f: FolderReader): LoadResult | { ok: false; error: EngineError } {
  const src = readLessonFolder(id, f);
  return src.ok ? loadLesson(src.source, validateScenario) : src;
}
