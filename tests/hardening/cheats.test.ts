// tests/hardening/cheats.test.ts: the cheats a hostile student tries, kept as lesson mutants and
// graded for real: the previous lesson's solution handed in unchanged, virt_to_page() under an
// escaped name with the words a source search wants in a string, a handler that maps no data
// page, the shared zero page's pfn at every offset. Each must stay in every lesson it applies to,
// and `prefault lesson check` (tests/lessons/lessons-check.test.ts) proves each fails exactly the
// checks its manifest names; here: what each cheat fakes, and why the checks cannot be fooled.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadLesson, STARTUP_IMPORTS, type Lesson } from "../../engine/lesson.js";
import { evaluate } from "../../engine/grade.js";
import { gradeSubmission } from "../../engine/grade-submission.js";
import { importedFunctions, wasmImports } from "../../engine/wasm-imports.js";
import { validateScenario } from "../../engine/validate.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, nodeGradeDeps, readLessonSource } from "../../cli/grade-submission.js";
import { closeSharedRunner } from "../../cli/node-runner.js";
import type { RunResult } from "../../engine/types.js";

after(() => closeSharedRunner());

const IDS = listLessonIds();

function lesson(id: string): Lesson {
  const src = readLessonSource(join(DEFAULT_LESSONS_DIR, id));
  assert.ok(src.ok);
  const l = loadLesson(src.source, validateScenario);
  assert.ok(l.ok, !l.ok ? l.error.message : "");
  return l.lesson;
}

// the code of a datastore.ts without its comments and blank lines
function code(text: string): string {
  return text.split("\n").filter(l => !/^\s*(\/\/.*)?$/.test(l)).join("\n");
}

test("every lesson keeps its cheats as mutants with exact fails and reasons", () => {
  assert.equal(IDS.length, 6);
  IDS.forEach((id, i) => {
    const l = lesson(id);
    const cheats = ["mutants/zero-pfn.ts", "mutants/no-data-page.ts",
      ...(i > 0 ? ["mutants/previous-solution.ts"] : []), ...(id.startsWith("03-") ? ["mutants/escaped-names.ts"] : [])];
    for (const f of cheats) {
      const m = l.mutants.find(x => x.file === f);
      assert.ok(m, `${id}: ${f} is a mutant`);
      assert.ok(m.fails.length > 0 && m.because && Object.keys(m.because).length === m.fails.length, `${id}: ${f} names why it fails each check`);
      assert.match(m.why, /^A cheat: /);
    }
    if (i > 0) {
      // the previous lesson's solution, unchanged: only comments differ
      const prev = lesson(IDS[i - 1]).solution["datastore.ts"];
      assert.equal(code(l.mutantSources["mutants/previous-solution.ts"]), code(prev), `${id}: previous-solution.ts is ${IDS[i - 1]}'s solution`);
    }
    // no lesson grades the words of the source any more
    for (const c of l.checks) assert.ok(c.assert.every(a => !("source" in a)), `${id}/${c.id}: a source-text assertion`);
  });
});

test("an escaped name defeats a search of the source text, not the compiled module's imports", { timeout: 120_000 }, async () => {
  const l = lesson("03-map-by-pgoff");
  const cheat = l.mutantSources["mutants/escaped-names.ts"];
  assert.match(cheat, /@external\("kernel", "virt\\u005fto_page"\)/);
  const run = { steps: [] } as unknown as RunResult;
  // what lesson 3 used to check: the words; the cheat passes both
  assert.equal(evaluate({ source: "datastore.ts", absent: "virt_to_page" }, run, { "datastore.ts": cheat }), null);
  assert.equal(evaluate({ source: "datastore.ts", present: "vdso_data_pages" }, run, { "datastore.ts": cheat }), null);
  // what it checks now: the module still links to the kernel's virt_to_page
  const deps = await nodeGradeDeps();
  const compiled = await deps.compile({ "datastore.ts": cheat });
  assert.ok(compiled.ok);
  const imports = importedFunctions(compiled.wasm, "kernel");
  assert.ok(imports?.includes("virt_to_page"), String(imports));
  assert.equal(evaluate({ imports: "kernel", absent: "virt_to_page" }, run, {}, imports),
    "the compiled datastore still calls the kernel's virt_to_page()");
  const r = await gradeSubmission(l, { "datastore.ts": cheat }, deps);
  const rule = r.tests.find(t => t.id === "one-rule")!;
  assert.equal(rule.status, "fail");
  assert.equal(rule.failure?.message, "the compiled datastore still calls the kernel's virt_to_page()");
  // and the solution, which has no path to virt_to_page, does not import it
  const sol = await deps.compile(l.solution);
  assert.ok(sol.ok);
  assert.ok(!importedFunctions(sol.wasm, "kernel")!.includes("virt_to_page"));
});

test("the imports every datastore has cannot be asserted on (such a check could never fail)", async () => {
  const deps = await nodeGradeDeps();
  // a datastore that uses none of them still imports each: kernel.ts reads them when it starts
  const bare = lesson("01-first-fault").starter["datastore.ts"];
  const compiled = await deps.compile({ "datastore.ts": bare });
  assert.ok(compiled.ok);
  const imports = importedFunctions(compiled.wasm, "kernel")!;
  for (const n of STARTUP_IMPORTS) assert.ok(imports.includes(n), `${n} in ${imports}`);
  const src = readLessonSource(join(DEFAULT_LESSONS_DIR, "03-map-by-pgoff"));
  assert.ok(src.ok);
  const json = JSON.parse(JSON.stringify(src.source.json));
  json.checks[0].assert = [{ imports: "kernel", present: "vdso_data_pages" }];
  const startup = loadLesson({ ...src.source, json }, validateScenario);
  assert.ok(!startup.ok);
  assert.equal(startup.error.path, "lesson.json/checks/0/assert/0/present");
  assert.match(startup.error.message, /imported by every datastore/);
  json.checks[0].assert = [{ imports: "kernel", absent: "virt_to_pages" }];
  const typo = loadLesson({ ...src.source, json }, validateScenario);
  assert.ok(!typo.ok);
  assert.match(typo.error.message, /"virt_to_pages" is not a kernel import/);
});

test("the import section is read from the bytes: hand-made modules, and garbage refused", () => {
  // (module (import "kernel" "virt_to_page" (func (param i64) (result i32))) (import "env" "memory" (memory 1)))
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const types = [0x01, 0x60, 0x01, 0x7e, 0x01, 0x7f];
  const imports = [0x02, ...name("kernel"), ...name("virt_to_page"), 0x00, 0x00, ...name("env"), ...name("memory"), 0x02, 0x00, 0x01];
  const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, types.length, ...types, 0x02, imports.length, ...imports]);
  assert.ok(WebAssembly.validate(bytes), "a valid module");
  assert.deepEqual(wasmImports(bytes), { ok: true, imports: [
    { module: "kernel", name: "virt_to_page", kind: "function" }, { module: "env", name: "memory", kind: "memory" }] });
  assert.deepEqual(importedFunctions(bytes, "kernel"), ["virt_to_page"]);
  assert.equal(importedFunctions(new Uint8Array([1, 2, 3]), "kernel"), undefined);
  const cut = wasmImports(bytes.subarray(0, bytes.length - 4));
  assert.ok(!cut.ok && /not a Wasm module/.test(cut.message));
});

test("a no-data-page or zero-pfn cheat fails every check that needs the data page in lessons 3 to 6", { timeout: 300_000 }, async () => {
  const deps = await nodeGradeDeps();
  for (const id of IDS.filter(x => /^0[3-6]-/.test(x))) {
    const l = lesson(id);
    for (const f of ["mutants/no-data-page.ts", "mutants/zero-pfn.ts"]) {
      const r = await gradeSubmission(l, { "datastore.ts": l.mutantSources[f] }, deps);
      assert.equal(r.status, "fail", `${id} ${f}`);
      // at most the checks a mapping cannot fake pass: SIGBUS for a hole it also maps, flags
      assert.ok(r.score <= r.max_score / 5, `${id} ${f}: ${r.score}/${r.max_score}`);
      const fallback = r.tests.filter(t => /syscall_fallbacks|page: expected|correct: expected/.test(t.failure?.message ?? ""));
      assert.ok(fallback.length > 0, `${id} ${f}: no check names the data page or the fallback: ${r.tests.map(t => t.failure?.message).join(" | ")}`);
    }
  }
});

test("the cheat files exist where the manifests say", () => {
  for (const id of IDS) for (const m of lesson(id).mutants) assert.ok(existsSync(join(DEFAULT_LESSONS_DIR, id, m.file)), `${id}/${m.file}`);
  assert.ok(readFileSync(join(DEFAULT_LESSONS_DIR, "03-map-by-pgoff", "lesson.json"), "utf8").includes('"imports": "kernel"'));
});
