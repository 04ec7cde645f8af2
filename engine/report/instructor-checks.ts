// engine/report/instructor-checks.ts: an instructor's own checks, added to a lesson's.
//
//   prefault grade --lesson 06-mlockall --checks course/hidden/ datastore.ts
//
//   course/hidden/
//     checks.json          { "checks": [ <check>, ... ], "variants": { ... } }   (lesson.json's
//                          "checks" and "variants", same fields; visibility defaults to hidden)
//     scenarios/<name>.json  scenarios those checks name (same format as a lesson's)
//
// The extra checks come after the lesson's, so a lesson's check order (and Exercism's "first
// failure shown") is unchanged. A check id or scenario name the lesson already uses is refused,
// so an instructor's check never silently replaces a lesson's. The merged source goes through
// loadLesson() like any lesson, so the same validation applies. Pure: the caller reads the files.

import type { LessonSource } from "../lesson.js";

/** The files of a --checks folder, as plain data. */
export interface ChecksSource {
  /** checks.json, parsed */
  json: unknown;
  /** scenario name -> parsed JSON */
  scenarios: Record<string, unknown>;
}

export type MergeChecksResult =
  | { ok: true; source: LessonSource }
  | { ok: false; error: { kind: "invalid"; message: string; path: string } };

function bad(path: string, message: string): MergeChecksResult {
  return { ok: false, error: { kind: "invalid", path, message: `${path}: ${message}` } };
}

/** The lesson source with the instructor's checks, variants and scenarios added. A check with no
 *  "visibility" is made "hidden". Returns {ok:false} with a path under "checks/" when the
 *  folder's checks.json has the wrong shape or clashes with the lesson. */
export function addInstructorChecks(lesson: LessonSource, extra: ChecksSource): MergeChecksResult {
  const j = extra.json as { checks?: unknown; variants?: unknown } | null;
  if (j === null || typeof j !== "object" || Array.isArray(j)) return bad("checks/checks.json", "must be an object with a \"checks\" array");
  for (const k of Object.keys(j)) {
    if (k !== "checks" && k !== "variants" && k !== "$schema") return bad(`checks/checks.json/${k}`, `unknown field "${k}"`);
  }
  if (!Array.isArray(j.checks) || j.checks.length === 0) return bad("checks/checks.json/checks", "must be a non-empty array of checks");
  const base = lesson.json as { checks?: { id?: unknown }[]; variants?: Record<string, unknown> } | null;
  if (base === null || typeof base !== "object" || !Array.isArray(base.checks)) {
    return bad("lesson.json/checks", "the lesson has no checks array");
  }
  const ids = new Set(base.checks.map(c => c?.id));
  const added: unknown[] = [];
  for (const [i, c] of (j.checks as unknown[]).entries()) {
    if (c === null || typeof c !== "object" || Array.isArray(c)) return bad(`checks/checks.json/checks/${i}`, "must be an object");
    const check = { ...(c as Record<string, unknown>) };
    if (check.visibility === undefined) check.visibility = "hidden";
    if (ids.has(check.id)) return bad(`checks/checks.json/checks/${i}/id`, `the lesson already has a check "${String(check.id)}"`);
    ids.add(check.id);
    added.push(check);
  }
  const variants = { ...(base.variants ?? {}) };
  if (j.variants !== undefined) {
    if (j.variants === null || typeof j.variants !== "object" || Array.isArray(j.variants)) return bad("checks/checks.json/variants", "must be an object");
    for (const [name, v] of Object.entries(j.variants as Record<string, unknown>)) {
      if (name in variants) return bad(`checks/checks.json/variants/${name}`, "the lesson already has this variant");
      variants[name] = v;
    }
  }
  const scenarios = { ...lesson.scenarios };
  for (const [name, s] of Object.entries(extra.scenarios)) {
    if (name in scenarios) return bad(`checks/scenarios/${name}.json`, "the lesson already has a scenario of this name");
    scenarios[name] = s;
  }
  const json: Record<string, unknown> = { ...(base as Record<string, unknown>), checks: [...base.checks, ...added] };
  if (Object.keys(variants).length > 0) json.variants = variants;
  return { ok: true, source: { ...lesson, json, scenarios } };
}
