// engine/grade-submission.ts: the whole grading pipeline for one submission, platform-neutral.
//
//   files ─► compile ─┬─ error ─────────────────────────────────────────► gradeLesson ─► Report
//                     └─ wasm ─► run the scenarios its checks use ─┐
//   files ─► variant harness ─► compile ─► run the variant's ones ─┴──► gradeLesson ─► Report
//
// Compiling and running are injected (GradeDeps): the CLI passes engine/compile.ts with the asc
// module and cli/node-runner.ts (worker threads, deadline); the web app passes its workers.
// `grade-all` calls gradeSubmission once per submission with the same deps.

import type { CompileResult, EngineError, Report, RunResult, Scenario } from "./types.js";
import type { Lesson, Variant } from "./lesson.js";
import { runKey, runPlan } from "./lesson.js";
import { gradeLesson } from "./grade.js";
import { importedFunctions } from "./wasm-imports.js";
import { DATASTORE_FILE } from "./compile-entry.js";

export interface GradeDeps {
  /** compile the learner's editable files (engine/compile.ts compileDatastore with asc bound) */
  compile(files: Record<string, string>): Promise<CompileResult>;
  /** run scenarios on one compiled learner module, in order; a RunResult each, or the error
   *  that stopped the whole batch */
  run(wasm: Uint8Array, scenarios: Scenario[], opts: { sourceMap?: string }): Promise<RunResult[] | EngineError>;
}

/** The learner file a variant harness imports; the harness itself takes the name datastore.ts. */
export const VARIANT_LEARNER_FILE = "learner_datastore.ts";

/** Grades `files` (the learner's editable files by name) against `lesson`. Never throws: a
 *  missing file, a compile error or a runner failure becomes an error Report or error checks. */
export async function gradeSubmission(lesson: Lesson, files: Record<string, string>, deps: GradeDeps): Promise<Report> {
  for (const f of lesson.files.editable) {
    if (typeof files[f] !== "string") {
      return gradeLesson(lesson, { ok: false, error: { kind: "invalid", path: f, message: `missing file ${f}` } });
    }
  }
  const unknown = Object.keys(files).find(f => !lesson.files.editable.includes(f));
  if (unknown !== undefined) {
    return gradeLesson(lesson, { ok: false, error: { kind: "invalid", path: unknown,
      message: `${unknown} is not an editable file of lesson ${lesson.id} (editable: ${lesson.files.editable.join(", ")})` } });
  }
  let base: CompileResult;
  try { base = await deps.compile(files); } catch (e) { base = { ok: false, error: internal(e) }; }
  if (!base.ok) return gradeLesson(lesson, { ok: false, error: explainForeignImports(lesson, base.error) });

  const runs: Record<string, RunResult | EngineError> = {};
  for (const part of runPlan(lesson)) {
    let compiled: CompileResult = base;
    if (part.variant !== undefined) {
      try { compiled = await deps.compile(variantFiles(files, lesson.variants[part.variant])); }
      catch (e) { compiled = { ok: false, error: internal(e) }; }
    }
    const scenarios = part.scenarios.map(n => lesson.scenarios[n]);
    let out: RunResult[] | EngineError;
    if (!compiled.ok) {
      out = { kind: "internal", message: `variant ${part.variant}: ${compiled.error.message}` };
    } else {
      try { out = await deps.run(compiled.wasm, scenarios, { sourceMap: compiled.sourceMap }); }
      catch (e) { out = internal(e); }
    }
    part.scenarios.forEach((name, i) => {
      runs[runKey(name, part.variant)] = Array.isArray(out) ? renameFile(out[i]) : out;
    });
  }
  // what the learner's own module links to, for imports assertions (the variants' harness adds nothing)
  const imports = importedFunctions(base.wasm, "kernel");
  return gradeLesson(lesson, { ok: true, runs, sources: files, ...(imports ? { imports } : {}) });
}

/** A compile error with asc's TS6054 ("File 'helper.ts' not found") for a "./x" import of a
 *  file the lesson does not have told in the grader's terms: `prefault run --datastore` reads
 *  such a file from the datastore's folder, but grading takes the lesson's files only, so the
 *  code must move into them. Other errors are returned as they are. Pure. */
export function explainForeignImports(lesson: Lesson, error: EngineError): EngineError {
  if (error.kind !== "compile") return error;
  const files = [...lesson.files.editable, ...lesson.files.readonly];
  let changed = false;
  const diagnostics = error.diagnostics.map(d => {
    const m = d.code === "TS6054" ? /File '([^']+)' not found/.exec(d.message) : null;
    if (!m || files.includes(m[1])) return d;
    changed = true;
    return { ...d, message: `imports ./${m[1].replace(/\.ts$/, "")}, which is not a file of lesson ${lesson.id} (its files: ${files.join(", ")}); ` +
      `the grader compiles those only, so put that code in ${lesson.files.editable.join(" or ")}` };
  });
  if (!changed) return error;
  const first = diagnostics.find(d => d.severity === "error");
  return { ...error, diagnostics, message: first ? `${first.file}:${first.line}:${first.column}: ${first.code} ${first.message}` : error.message };
}

/** The files of a variant compile: a generated datastore.ts that re-exports the learner's
 *  vvar_fault() but installs [vvar] with the variant's flags, and the learner's datastore.ts
 *  under VARIANT_LEARNER_FILE. Only the learner ABI is used, so the kernel cannot tell. */
export function variantFiles(files: Record<string, string>, v: Variant): Record<string, string> {
  const flags = v.vm_flags.join(" | ");
  const harness = [
    "// Generated by Prefault (engine/grade-submission.ts): a lesson variant.",
    `// ${v.description.replace(/\n/g, " ")}`,
    "import { vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, PAGE_SIZE, VDSO_NR_PAGES,",
    `  vdso_vvar_mapping, _install_special_mapping, ${v.vm_flags.join(", ")} } from "./kernel";`,
    `import { vvar_fault as __learner_vvar_fault } from "./${VARIANT_LEARNER_FILE.replace(/\.ts$/, "")}";`,
    "export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {",
    "  return __learner_vvar_fault(sm, vma, vmf);",
    "}",
    "export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {",
    `  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE, ${flags}, vdso_vvar_mapping);`,
    "}",
    "",
  ].join("\n");
  const out: Record<string, string> = {};
  for (const [k, text] of Object.entries(files)) out[k === "datastore.ts" ? VARIANT_LEARNER_FILE : k] = text;
  out["datastore.ts"] = harness;
  return out;
}

/** A run of a variant compile (variantFiles) with the learner's file under its own name again:
 *  the oops and the call sites say datastore.ts, the file the learner edits. */
export function renameFile(r: RunResult): RunResult {
  if (!r || typeof r !== "object") return r;
  const own = (f: string | undefined) => f === VARIANT_LEARNER_FILE;
  let out = r;
  if (own(r.oops?.file)) out = { ...out, oops: { ...r.oops!, file: DATASTORE_FILE } };
  if (r.calls?.some(c => own(c.at?.file))) out = { ...out, calls: r.calls.map(c => c.at && own(c.at.file) ? { ...c, at: { ...c.at, file: DATASTORE_FILE } } : c) };
  return out;
}

function internal(e: unknown): EngineError {
  return { kind: "internal", message: e instanceof Error ? e.message : String(e) };
}
