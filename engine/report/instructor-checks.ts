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
// failure shown") is unchanged. A check id, scenario or variant name the lesson already uses is
// refused when it differs, so an instructor's check never silently replaces a lesson's; one that
// is the lesson's own, unchanged, is skipped (a kit's checks folder holds the lesson's hidden
// checks, which the full package's lesson has too). A folder a kit wrote names its lesson
// ("lesson": "01-first-fault"); given with another lesson it is refused. The merged source goes
// through loadLesson() like any lesson, so the same validation applies. Pure: the caller reads
// the files.

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

// JSON text with object keys sorted: two parses of the same data compare equal
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => x && typeof x === "object" && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map(k => [k, (x as Record<string, unknown>)[k]])) : x);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The lesson source with the instructor's checks, variants and scenarios added. A check with no
 *  "visibility" is made "hidden". Returns {ok:false} with a path under "checks/" when the
 *  folder's checks.json has the wrong shape or clashes with the lesson. */
export function addInstructorChecks(lesson: LessonSource, extra: ChecksSource): MergeChecksResult {
  const j = extra.json as { checks?: unknown; variants?: unknown } | null;
  if (j === null || typeof j !== "object" || Array.isArray(j)) return bad("checks/checks.json", "must be an object with a \"checks\" array");
  for (const k of Object.keys(j)) {
    if (k !== "checks" && k !== "variants" && k !== "$schema" && k !== "lesson") return bad(`checks/checks.json/${k}`, `unknown field "${k}"`);
  }
  const forLesson = (j as { lesson?: unknown }).lesson;
  if (forLesson !== undefined && forLesson !== lesson.id) {
    return bad("checks/checks.json/lesson", typeof forLesson === "string"
      ? `these checks are for lesson ${forLesson}, not ${lesson.id}` : "must be a lesson id");
  }
  if (!Array.isArray(j.checks) || j.checks.length === 0) return bad("checks/checks.json/checks", "must be a non-empty array of checks");
  const base = lesson.json as { checks?: { id?: unknown }[]; variants?: Record<string, unknown> } | null;
  if (base === null || typeof base !== "object" || !Array.isArray(base.checks)) {
    return bad("lesson.json/checks", "the lesson has no checks array");
  }
  const own = new Map(base.checks.map(c => [c?.id, c]));
  const ids = new Set(own.keys());
  const added: unknown[] = [];
  for (const [i, c] of (j.checks as unknown[]).entries()) {
    if (c === null || typeof c !== "object" || Array.isArray(c)) return bad(`checks/checks.json/checks/${i}`, "must be an object");
    const check = { ...(c as Record<string, unknown>) };
    if (check.visibility === undefined) check.visibility = "hidden";
    if (own.has(check.id) && same(check, own.get(check.id))) continue;       // the lesson's own, unchanged
    if (ids.has(check.id)) return bad(`checks/checks.json/checks/${i}/id`, `the lesson already has a check "${String(check.id)}", and it differs; give yours another id`);
    ids.add(check.id);
    added.push(check);
  }
  const variants = { ...(base.variants ?? {}) };
  if (j.variants !== undefined) {
    if (j.variants === null || typeof j.variants !== "object" || Array.isArray(j.variants)) return bad("checks/checks.json/variants", "must be an object");
    for (const [name, v] of Object.entries(j.variants as Record<string, unknown>)) {
      if (Object.hasOwn(variants, name) && same(v, variants[name])) continue;
      if (Object.hasOwn(variants, name)) return bad(`checks/checks.json/variants/${name}`, "the lesson already has this variant, and it differs; give yours another name");
      variants[name] = v;
    }
  }
  const scenarios = { ...lesson.scenarios };
  for (const [name, s] of Object.entries(extra.scenarios)) {
    if (Object.hasOwn(scenarios, name) && same(s, scenarios[name])) continue;
    if (Object.hasOwn(scenarios, name)) return bad(`checks/scenarios/${name}.json`, "the lesson already has a scenario of this name, and it differs; give yours another name");
    scenarios[name] = s;
  }
  const json: Record<string, unknown> = { ...(base as Record<string, unknown>), checks: [...base.checks, ...added] };
  if (Object.keys(variants).length > 0) json.variants = variants;
  return { ok: true, source: { ...lesson, json, scenarios } };
}
