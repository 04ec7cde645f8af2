// tests/kit/student-lesson.test.ts: splitting a lesson's hidden checks from what students hold,
// on every lesson of the course and on hand-made edge cases.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { mergeChecksFolders, splitHidden } from "../../cli/student-lesson.js";
import { ROOT } from "./installed.js";

const lessons = readdirSync(join(ROOT, "lessons")).filter(n => /^\d{2}-/.test(n));

function read(id: string) {
  const dir = join(ROOT, "lessons", id);
  const json = JSON.parse(readFileSync(join(dir, "lesson.json"), "utf8"));
  const scenarios = Object.fromEntries(readdirSync(join(dir, "scenarios")).map(n => [n.slice(0, -5), JSON.parse(readFileSync(join(dir, "scenarios", n), "utf8"))]));
  return { json, scenarios };
}

test("every lesson splits: visible checks stay, hidden ones and their own scenarios leave, no mutant stays", () => {
  for (const id of lessons) {
    const { json, scenarios } = read(id);
    const r = splitHidden(json, scenarios);
    assert.ok(r.ok, id);
    if (!r.ok) continue;
    const checks = json.checks as { id: string; visibility: string; scenario: string }[];
    assert.deepEqual((r.student.json.checks as { id: string }[]).map(c => c.id), checks.filter(c => c.visibility !== "hidden").map(c => c.id), id);
    assert.deepEqual((r.hidden.json.checks as { id: string }[]).map(c => c.id), checks.filter(c => c.visibility === "hidden").map(c => c.id), id);
    assert.deepEqual(r.student.json.mutants, []);
    const visibleScenarios = new Set(checks.filter(c => c.visibility !== "hidden").map(c => c.scenario));
    for (const s of Object.keys(r.hidden.scenarios)) assert.ok(!visibleScenarios.has(s) && !(s in r.student.scenarios), `${id}: ${s}`);
    for (const s of visibleScenarios) assert.ok(s in r.student.scenarios, `${id}: ${s} stays`);
    assert.equal(Object.keys(r.student.scenarios).length + Object.keys(r.hidden.scenarios).length, Object.keys(scenarios).length);
  }
});

test("a visible check requiring a hidden one is refused; variants go with the checks that use them", () => {
  const base = { id: "09-x", checks: [
    { id: "h", scenario: "s2", variant: "v2", visibility: "hidden" },
    { id: "a", scenario: "s1", variant: "v1", visibility: "visible" },
  ], variants: { v1: { description: "", vm_flags: [] }, v2: { description: "", vm_flags: [] } }, mutants: [{ file: "mutants/m.ts" }] };
  const r = splitHidden(base, { s1: {}, s2: {}, s3: {} });
  assert.ok(r.ok);
  if (r.ok) {
    assert.deepEqual(Object.keys(r.student.json.variants as object), ["v1"]);
    assert.deepEqual(Object.keys(r.hidden.json.variants ?? {}), ["v2"]);
    assert.deepEqual(Object.keys(r.student.scenarios), ["s1", "s3"]);
    assert.deepEqual(Object.keys(r.hidden.scenarios), ["s2"]);
  }
  const bad = splitHidden({ ...base, checks: [base.checks[0], { ...base.checks[1], requires: ["h"] }] }, { s1: {}, s2: {} });
  assert.deepEqual(bad, { ok: false, message: 'visible check "a" requires hidden check "h"' });
});

test("merging the lesson's hidden checks with an instructor's refuses clashes", () => {
  const a = { json: { checks: [{ id: "h" }] }, scenarios: { s: {} } };
  assert.ok(mergeChecksFolders(a, { json: { checks: [{ id: "i" }] }, scenarios: { t: {} } }).ok);
  assert.equal(mergeChecksFolders(a, { json: { checks: [{ id: "h" }] }, scenarios: {} }).ok, false);
  assert.equal(mergeChecksFolders(a, { json: { checks: [{ id: "i" }] }, scenarios: { s: {} } }).ok, false);
});
