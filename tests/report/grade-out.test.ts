// tests/report/grade-out.test.ts: `prefault grade --out` writes where the platform expects, and
// real reports (not only fixtures) pass the format's own validation.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateXML } from "xmllint-wasm";

const ROOT = new URL("../../../", import.meta.url).pathname;
const LESSON = "01-first-fault";
const tmp = mkdtempSync(join(tmpdir(), "prefault-out-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function grade(file: string, args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "bin", "prefault.js"), "grade", "--lesson", LESSON,
    join(ROOT, "lessons", LESSON, file), ...args], { encoding: "utf8", timeout: 120_000 });
}

test("--out FOLDER/ makes the folder and writes the platform's file name (PrairieLearn)", { timeout: 120_000 }, () => {
  const r = grade("starter/datastore.ts", ["--format", "prairielearn", "--out", join(tmp, "grade", "results") + "/"]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, "");
  const res = JSON.parse(readFileSync(join(tmp, "grade", "results", "results.json"), "utf8"));
  assert.equal(res.gradable, true);
  assert.ok(res.score > 0 && res.score < 1);
});

test("a real JUnit report validates against the Jenkins xunit and Ant XSDs; an oops is an <error>", { timeout: 120_000 }, async () => {
  const out = join(tmp, "junit.xml");
  const r = grade("mutants/insert-pfn.ts", ["--format", "junit", "--out", out]);
  assert.equal(r.status, 1, r.stderr);
  const xml = readFileSync(out, "utf8");
  for (const name of ["jenkins-xunit-junit-10.xsd", "ant-junit.xsd"]) {
    const xsd = readFileSync(join(ROOT, "tests", "report", "xsd", name), "utf8");
    const v = await validateXML({ xml: [{ fileName: "junit.xml", contents: xml }], schema: [xsd] });
    assert.ok(v.valid, `${name}: ${v.errors.map(e => e.rawMessage).join("\n")}`);
  }
  // the mutant traps in vmf_insert_pfn(): the checks it reaches are errors, saying so
  assert.match(xml, /<error message="The kernel oopsed in step \d+ of scenario [^"]*vmf_insert_pfn[^"]*" type="oops">/);
});

test("a real endless loop is an error on every platform that has one, a blocked check with it", { timeout: 120_000 }, () => {
  const solution = readFileSync(join(ROOT, "lessons", LESSON, "solution", "datastore.ts"), "utf8");
  const head = /export function vvar_fault\([^)]*\)\s*:\s*vm_fault_t\s*\{/.exec(solution);
  assert.ok(head);
  const at = head.index + head[0].length;
  const file = join(tmp, "endless.ts");
  writeFileSync(file, `${solution.slice(0, at)}\n  while (true) {}\n${solution.slice(at)}`);
  const run = (format: string) => spawnSync(process.execPath, [join(ROOT, "bin", "prefault.js"), "grade", "--lesson", LESSON,
    file, "--format", format], { encoding: "utf8", timeout: 120_000 });
  const json = JSON.parse(run("json").stdout) as { tests: { id: string; status: string; failure?: { kind: string } }[] };
  const kinds = new Set(json.tests.map(t => t.failure?.kind));
  assert.ok(kinds.has("timeout") && kinds.has("blocked"), [...kinds].join());
  const gh = JSON.parse(run("github").stdout) as { tests: { status: string; message: string }[] };
  assert.deepEqual(new Set(gh.tests.map(t => t.status)), new Set(["error"]));
  for (const t of gh.tests) assert.match(t.message, /did not return|Not graded until|^hidden check: /);
  const junit = run("junit").stdout;
  assert.match(junit, /<error message="[^"]*soft lockup: vvar_fault\(\) did not return[^"]*" type="timeout">/);
  assert.doesNotMatch(junit, /<failure /);
});
