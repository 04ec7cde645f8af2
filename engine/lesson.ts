// engine/lesson.ts: a lesson as data, loaded and validated without a file system.
//
//   lessons/NN-slug/            what the caller reads (cli/lesson-files.ts in Node; the web app
//     lesson.json               bundles the same files) and hands to loadLesson() as LessonSource
//     README.md, hints.md
//     starter/datastore.ts, solution/datastore.ts
//     scenarios/<name>.json
//     mutants/<name>.ts
//
// loadLesson() checks lesson.json against lessons/lesson.schema.json, then what a schema cannot
// say (ids unique, every scenario / variant / check a check or mutant names exists, regexes
// compile, the starter and solution hold every editable file), then every scenario. Any problem
// is {kind:"invalid"} with the path of the bad field, e.g. "lesson.json/checks/2/points".
// The assertion language is documented in lessons/FORMAT.md.

import { Ajv } from "ajv";
import type { ErrorObject } from "ajv";
import lessonSchema from "../lessons/lesson.schema.json" with { type: "json" };
import type { EngineError, FailureKind, Scenario, Visibility } from "./types.js";
import { KERNEL_IMPORTS } from "./generated/abi.js";

/** One assertion on a RunResult (or on the learner's source). All of a check's must hold. */
export type Assertion =
  | { steps_ok: "all" | number[] }
  | { path: string; op: AssertOp; value: number | string | boolean | null; describe?: string }
  | { source: string; absent?: string; present?: string }
  /** what the compiled learner module imports from the kernel (engine/wasm-imports.ts): a kernel
   *  function the code calls is imported, one it never reaches is not, whatever the source says */
  | { imports: "kernel"; absent?: string; present?: string };
export type AssertOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "contains" | "not_contains" | "matches" | "not_matches";

export interface Check {
  id: string;
  name: string;
  scenario: string;
  variant?: string;
  points: number;
  visibility: Visibility;
  /** ids of earlier checks that must pass before this one is graded */
  requires?: string[];
  assert: Assertion[];
  explain: string;
}

/** Run the learner's vvar_fault() with [vvar] installed with these flags instead of its own. */
export interface Variant { description: string; vm_flags: string[] }

/** A wrong answer the checks must catch: `fails` every check it fails, exactly; `because` the
 *  reason of each (TestResult.failure.kind), as `prefault lesson check` requires. */
export interface Mutant { file: string; fails: string[]; why: string; because?: Record<string, FailureKind> }

/** The files of one lesson folder, as plain data. */
export interface LessonSource {
  /** the folder name, e.g. "01-first-fault" */
  id: string;
  /** lesson.json, parsed */
  json: unknown;
  readme: string;
  hints: string;
  starter: Record<string, string>;
  solution: Record<string, string>;
  /** scenario name (file name without .json) -> parsed JSON */
  scenarios: Record<string, unknown>;
  /** "mutants/<name>.ts" -> source */
  mutants: Record<string, string>;
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  series?: string;
  files: { editable: string[]; readonly: string[] };
  prerequisites: string[];
  variants: Record<string, Variant>;
  checks: Check[];
  mutants: Mutant[];
  readme: string;
  hints: string;
  starter: Record<string, string>;
  solution: Record<string, string>;
  scenarios: Record<string, Scenario>;
  mutantSources: Record<string, string>;
}

/** Validates one scenario (engine/validate.ts validateScenario has this shape). */
export type ScenarioValidator = (json: unknown) =>
  { ok: true; scenario: Scenario } | { ok: false; error: { path: string; message: string } };

export type LoadResult = { ok: true; lesson: Lesson } | { ok: false; error: EngineError & { kind: "invalid" } };

/** Kernel imports every compiled datastore has, whatever its code: learner/kernel.ts calls them
 *  in its top-level initializers (VDSO_NR_PAGES, vdso_data_pages, vdso_k_*_data,
 *  vdso_vvar_mapping), which asc keeps. An imports assertion on one could never fail. */
export const STARTUP_IMPORTS: readonly string[] = ["vdso_nr_pages", "vdso_data_pages", "vdso_k_data", "vdso_vvar_mapping"];

let validateLessonJson: ((x: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

function schemaValidator() {
  if (!validateLessonJson) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validateLessonJson = ajv.compile(lessonSchema);
  }
  return validateLessonJson;
}

function invalid(path: string, message: string): LoadResult {
  return { ok: false, error: { kind: "invalid", path, message: `${path}: ${message}` } };
}

// The most useful of ajv's errors: the deepest one, preferring a concrete keyword over the
// oneOf/anyOf summaries that only say "must match exactly one schema".
function bestError(errors: ErrorObject[]): ErrorObject {
  const score = (e: ErrorObject) =>
    e.instancePath.split("/").length * 10 + (e.keyword === "oneOf" || e.keyword === "anyOf" ? 0 : 5);
  return errors.reduce((a, b) => (score(b) > score(a) ? b : a));
}

function describe(e: ErrorObject): string {
  if (e.keyword === "additionalProperties") return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === "enum") return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return e.message ?? "is invalid";
}

/** Validates and loads one lesson. Returns the lesson (scenarios typed, mutants attached) or the
 *  first problem with its path, relative to the lesson folder ("lesson.json/checks/0/points",
 *  "scenarios/first-fault.json/steps/1/op", "solution/datastore.ts"). `validateScenario` is
 *  engine/validate.ts's validator; without it a scenario is only checked to be an object with
 *  steps. Pure; called by cli/lesson-files.ts, the lesson tests and the web app. */
export function loadLesson(src: LessonSource, validateScenario?: ScenarioValidator): LoadResult {
  const v = schemaValidator();
  if (!v(src.json)) {
    const e = bestError(v.errors ?? []);
    return invalid(`lesson.json${e.instancePath}`, describe(e));
  }
  const j = src.json as {
    id: string; title: string; summary: string; series?: string;
    files: { editable: string[]; readonly: string[] }; prerequisites?: string[];
    variants?: Record<string, Variant>; checks: Check[]; mutants: Mutant[];
  };
  if (j.id !== src.id) return invalid("lesson.json/id", `must equal the folder name "${src.id}"`);

  const scenarios: Record<string, Scenario> = {};
  for (const [name, json] of Object.entries(src.scenarios)) {
    const where = `scenarios/${name}.json`;
    if (validateScenario) {
      const r = validateScenario(json);
      if (!r.ok) return invalid(`${where}${r.error.path.startsWith("/") || r.error.path === "" ? r.error.path : "/" + r.error.path}`, r.error.message);
      scenarios[name] = r.scenario;
    } else {
      if (typeof json !== "object" || json === null || !Array.isArray((json as Scenario).steps)) {
        return invalid(where, "must be a scenario object with steps");
      }
      scenarios[name] = json as Scenario;
    }
  }

  // a lesson without any solution/ file is a student copy (cli/pack.ts): it grades, it cannot be proved
  const hasSolution = Object.keys(src.solution).length > 0;
  for (const f of j.files.editable) {
    if (typeof src.starter[f] !== "string") return invalid(`starter/${f}`, "missing (listed in files.editable)");
    if (hasSolution && typeof src.solution[f] !== "string") return invalid(`solution/${f}`, "missing (listed in files.editable)");
  }
  const variants = j.variants ?? {};
  const ids = new Set<string>();
  for (const [i, c] of j.checks.entries()) {
    const at = `lesson.json/checks/${i}`;
    if (ids.has(c.id)) return invalid(`${at}/id`, `duplicate check id "${c.id}"`);
    ids.add(c.id);
    if (!(c.scenario in scenarios)) return invalid(`${at}/scenario`, `no scenarios/${c.scenario}.json in this lesson`);
    for (const [k, r] of (c.requires ?? []).entries()) {
      if (!ids.has(r) || r === c.id) return invalid(`${at}/requires/${k}`, `no earlier check with id "${r}"`);
    }
    if (c.variant !== undefined && !(c.variant in variants)) return invalid(`${at}/variant`, `no variant "${c.variant}" in lesson.json/variants`);
    for (const [k, a] of c.assert.entries()) {
      if ("steps_ok" in a && Array.isArray(a.steps_ok)) {
        const n = scenarios[c.scenario].steps.length;
        const bad = a.steps_ok.find(s => s >= n);
        if (bad !== undefined) return invalid(`${at}/assert/${k}/steps_ok`, `step ${bad} does not exist (the scenario has ${n} steps)`);
      }
      if ("op" in a && (a.op === "matches" || a.op === "not_matches")) {
        try { new RegExp(String(a.value)); } catch { return invalid(`${at}/assert/${k}/value`, "is not a valid regular expression"); }
      }
      if ("op" in a && ["lt", "le", "gt", "ge"].includes(a.op) && typeof a.value !== "number") {
        return invalid(`${at}/assert/${k}/value`, `must be a number for op "${a.op}"`);
      }
      if ("source" in a && !j.files.editable.includes(a.source)) {
        return invalid(`${at}/assert/${k}/source`, `"${a.source}" is not an editable file`);
      }
      if ("imports" in a) {
        // a name the kernel does not export could never be imported: such a check proves nothing
        for (const key of ["absent", "present"] as const) {
          const n = a[key];
          if (n !== undefined && !KERNEL_IMPORTS.includes(n)) {
            return invalid(`${at}/assert/${k}/${key}`, `"${n}" is not a kernel import (learner/kernel.ts: ${KERNEL_IMPORTS.join(", ")})`);
          }
          if (n !== undefined && STARTUP_IMPORTS.includes(n)) {
            return invalid(`${at}/assert/${k}/${key}`, `"${n}" is imported by every datastore (kernel.ts reads it when the module starts): an assertion on it proves nothing`);
          }
        }
      }
    }
  }
  for (const [i, m] of j.mutants.entries()) {
    const at = `lesson.json/mutants/${i}`;
    if (typeof src.mutants[m.file] !== "string") return invalid(`${at}/file`, `${m.file} is missing`);
    for (const [k, id] of m.fails.entries()) {
      if (!ids.has(id)) return invalid(`${at}/fails/${k}`, `no check with id "${id}"`);
    }
    for (const id of Object.keys(m.because ?? {})) {
      if (!m.fails.includes(id)) return invalid(`${at}/because/${id}`, `"${id}" is not in fails`);
    }
  }

  return {
    ok: true,
    lesson: {
      id: j.id, title: j.title, summary: j.summary, series: j.series,
      files: { editable: [...j.files.editable], readonly: [...j.files.readonly] },
      prerequisites: j.prerequisites ?? [], variants, checks: j.checks, mutants: j.mutants,
      readme: src.readme, hints: src.hints, starter: src.starter, solution: src.solution,
      scenarios, mutantSources: src.mutants,
    },
  };
}

/** The key of one run in a grading: the scenario name, plus "@variant" when it has one. */
export function runKey(scenario: string, variant?: string): string {
  return variant === undefined ? scenario : `${scenario}@${variant}`;
}

/** What a grading of `lesson` must run: for each variant ("" = the learner's own install
 *  function), the scenario names its checks use, in first-use order. */
export function runPlan(lesson: Lesson): { variant?: string; scenarios: string[] }[] {
  const byVariant = new Map<string, string[]>();
  for (const c of lesson.checks) {
    const k = c.variant ?? "";
    const list = byVariant.get(k) ?? [];
    if (!list.includes(c.scenario)) list.push(c.scenario);
    byVariant.set(k, list);
  }
  return [...byVariant.entries()].map(([k, scenarios]) => (k === "" ? { scenarios } : { variant: k, scenarios }));
}
