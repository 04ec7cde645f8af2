// cli/grade-submission.ts: lessons from disk, and the grading pipeline with Node's compiler and
// runner plugged in. `prefault grade`, `prefault lesson check`, `prefault lessons` and
// `prefault grade-all` all come through here.
//
//   lessons/NN-slug/ ──readLessonSource──► LessonSource ──engine/lesson.ts──► Lesson
//   submission dir / files ──cli/submission-reader.ts─────► engine/grade-submission.ts ──► Report
//                     compile: engine/compile.ts + assemblyscript/asc
//                     run:     cli/node-runner.ts (worker threads, deadline) + build/kernel.wasm

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { EngineError, Report } from "../engine/types.js";
import type { Lesson, LessonSource, LoadResult } from "../engine/lesson.js";
import { loadLesson } from "../engine/lesson.js";
import type { GradeDeps } from "../engine/grade-submission.js";
import { gradeSubmission } from "../engine/grade-submission.js";
import { gradeLesson } from "../engine/grade.js";
import { validateScenario } from "../engine/validate.js";
import { compileDatastore, type AscModule } from "../engine/compile.js";
import { addInstructorChecks, type ChecksSource } from "../engine/report/instructor-checks.js";
import { runScenarios } from "./node-runner.js";
import { DEFAULT_LESSONS_DIR, loadKernel, nodeFolder } from "./node-paths.js";
import { LESSON_ID, loadLessonFolder, readLessonFolder } from "../engine/lesson-folder.js";
import { SCENARIO_DEADLINE_MS } from "../engine/limits.js";
import { readSubmissionFiles, type FsPath } from "./submission-reader.js";
import { checkFiles } from "../engine/submission.js";

export { PACKAGE_ROOT, DEFAULT_LESSONS_DIR } from "./node-paths.js";

/** The lesson folder names under `lessonsDir`, in course order (the NN- prefix). */
export function listLessonIds(lessonsDir: string = DEFAULT_LESSONS_DIR): string[] {
  if (!existsSync(lessonsDir)) return [];
  return readdirSync(lessonsDir)
    .filter(n => LESSON_ID.test(n) && statSync(join(lessonsDir, n)).isDirectory()
      && existsSync(join(lessonsDir, n, "lesson.json")))
    .sort();
}

function readText(path: string): string | undefined {
  try { return readFileSync(path, "utf8"); } catch { return undefined; }
}

/** Reads the lesson folder `dir` into plain data (engine/lesson-folder.ts readLessonFolder). */
export function readLessonSource(dir: string): { ok: true; source: LessonSource } | { ok: false; error: EngineError } {
  return readLessonFolder(basename(resolve(dir)), nodeFolder(dir));
}

/** Loads and validates the lesson in folder `dir` (engine/lesson-folder.ts loadLessonFolder). */
export function loadLessonDir(dir: string): LoadResult | { ok: false; error: EngineError } {
  return loadLessonFolder(basename(resolve(dir)), nodeFolder(dir));
}

// ---- compiling and running in Node ----------------------------------------------------------

export interface NodeDepsOptions {
  /** per-scenario backstop deadline (CPU ms of the runner thread); default SCENARIO_DEADLINE_MS */
  deadlineMs?: number;
  /** compile with this instead of asc in this thread (which is then not loaded), e.g. a
   *  NodeCompiler's worker (cli/node-compiler.ts) */
  compile?: GradeDeps["compile"];
}

/** GradeDeps for Node: compileDatastore with the real asc, and the worker-thread runner with
 *  the prebuilt kernel (build/kernel.wasm, else build/kernel.debug.wasm). Throws when the
 *  kernel is not built (callers report it and exit 2). */
export async function nodeGradeDeps(o: NodeDepsOptions = {}): Promise<GradeDeps> {
  let k = loadKernel(false);
  if (!k.ok) { const d = loadKernel(true); if (d.ok) k = d; }
  if (!k.ok) throw new Error(k.message);
  const kernel = k.module;
  let compile = o.compile;
  if (!compile) {
    const asc = (await import("assemblyscript/asc")).default;
    compile = files => compileDatastore(asc as unknown as AscModule, files);
  }
  return {
    compile,
    run: (wasm, scenarios, opts) => runScenarios(kernel, wasm, scenarios,
      { deadlineMs: o.deadlineMs ?? SCENARIO_DEADLINE_MS, sourceMap: opts.sourceMap }),
  };
}

// ---- the interface `prefault grade-all` uses --------------------------------------------------

export interface GraderOptions {
  /** lesson id (folder name) */
  lesson: string;
  /** an instructor's folder: checks.json ({"checks": [...], "variants"?}) and scenarios/*.json,
   *  added to the lesson's (engine/report/instructor-checks.ts) */
  checksDir?: string;
  /** where the lessons are; default the package's lessons/ */
  lessonsDir?: string;
  deadlineMs?: number;
}

/** Reads an instructor's --checks folder (checks.json, scenarios/*.json) into plain data. */
export function readChecksSource(dir: string): { ok: true; source: ChecksSource } | { ok: false; message: string } {
  const text = readText(join(dir, "checks.json"));
  if (text === undefined) return { ok: false, message: `${join(dir, "checks.json")}: cannot read` };
  const source: ChecksSource = { json: null, scenarios: {} };
  try { source.json = JSON.parse(text); } catch (e) { return { ok: false, message: `checks.json: ${(e as Error).message}` }; }
  const sdir = join(dir, "scenarios");
  if (existsSync(sdir)) {
    for (const n of readdirSync(sdir).sort()) {
      if (!n.endsWith(".json")) continue;
      try { source.scenarios[n.slice(0, -".json".length)] = JSON.parse(readFileSync(join(sdir, n), "utf8")); }
      catch (e) { return { ok: false, message: `scenarios/${n}: ${(e as Error).message}` }; }
    }
  }
  return { ok: true, source };
}

export interface Grader { lesson: Lesson; deps: GradeDeps; maxScore: number }

/** Loads a lesson (plus an instructor's checks folder) and the Node deps, once per
 *  worker. {ok:false} with a message for an unknown lesson, an invalid lesson or a broken build. */
export async function loadGrader(o: GraderOptions): Promise<{ ok: true; grader: Grader } | { ok: false; message: string }> {
  const lessonsDir = o.lessonsDir ?? DEFAULT_LESSONS_DIR;
  const dir = join(lessonsDir, o.lesson);
  if (!existsSync(join(dir, "lesson.json"))) {
    return { ok: false, message: `unknown lesson "${o.lesson}" (lessons: ${listLessonIds(lessonsDir).join(", ") || "none"})` };
  }
  const src = readLessonSource(dir);
  if (!src.ok) return { ok: false, message: src.error.message };
  let source = src.source;
  if (o.checksDir) {
    const extra = readChecksSource(o.checksDir);
    if (!extra.ok) return { ok: false, message: `--checks: ${extra.message}` };
    const merged = addInstructorChecks(source, extra.source);
    if (!merged.ok) return { ok: false, message: `--checks: ${merged.error.message}` };
    source = merged.source;
  }
  const l = loadLesson(source, validateScenario);
  if (!l.ok) return { ok: false, message: `lesson ${o.lesson}: ${l.error.message}` };
  let deps: GradeDeps;
  try { deps = await nodeGradeDeps({ deadlineMs: o.deadlineMs }); }
  catch (e) { return { ok: false, message: (e as Error).message }; }
  return { ok: true, grader: { lesson: l.lesson, deps, maxScore: l.lesson.checks.reduce((s, c) => s + c.points, 0) } };
}

/** Grades the submission at `paths` (files or folders, read by cli/submission-reader.ts: the
 *  rules of engine/submission.ts; `shown`: their names in messages). Never throws. */
export async function gradePaths(g: Grader, paths: FsPath[], shown?: readonly string[]): Promise<Report> {
  const sub = readSubmissionFiles(g.lesson.files.editable, paths, shown);
  if (!sub.ok) return gradeLesson(g.lesson, { ok: false, error: sub.error });
  return gradeSubmission(g.lesson, sub.files, g.deps);
}

/** Grades in-memory files (the same byte cap as files on disk). Never throws. */
export async function gradeFiles(g: Grader, files: Record<string, string>): Promise<Report> {
  const refused = checkFiles(files);
  if (refused) return gradeLesson(g.lesson, { ok: false, error: refused });
  return gradeSubmission(g.lesson, files, g.deps);
}
