// tests/unit/lesson-folder.test.ts: the engine's one lesson-folder reader (engine/lesson-folder.ts)
// and hint parser (engine/hints.ts), which the CLI, the web build and the assignment kit share.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadLessonFolder, readLessonFolder, type FolderReader } from "../../engine/lesson-folder.js";
import { hintProblems, parseHints } from "../../engine/hints.js";
import { DEFAULT_LESSONS_DIR, nodeFolder } from "../../cli/node-paths.js";
import { loadLessonDir } from "../../cli/grade-submission.js";

/** A FolderReader over an object of path -> text (folders are the path prefixes). */
function memory(files: Record<string, string>): FolderReader {
  return {
    read: p => files[p],
    list: dir => Object.keys(files).filter(p => p.startsWith(`${dir}/`)).map(p => p.slice(dir.length + 1)).filter(n => !n.includes("/")),
  };
}

const LESSON = { id: "01-first-fault" };

test("a lesson folder: lesson.json required, README/hints optional, files sorted, mutants keyed by path", () => {
  const r = readLessonFolder("01-x", memory({
    "lesson.json": JSON.stringify(LESSON),
    "starter/b.ts": "b", "starter/a.ts": "a", "starter/notes.txt": "not a source",
    "scenarios/two.json": "{\"n\":2}", "scenarios/one.json": "{\"n\":1}",
    "mutants/m.ts": "m",
  }));
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.source.starter), ["a.ts", "b.ts"]);
  assert.deepEqual(r.source.scenarios, { one: { n: 1 }, two: { n: 2 } });
  assert.deepEqual(r.source.mutants, { "mutants/m.ts": "m" });
  assert.equal(r.source.readme, "");
  assert.equal(r.source.hints, "");
  assert.deepEqual(r.source.solution, {});
});

test("a missing lesson.json or a JSON syntax error is an invalid error naming the file", () => {
  const none = readLessonFolder("01-x", memory({}));
  assert.ok(!none.ok && none.error.kind === "invalid" && none.error.path === "lesson.json");
  const bad = readLessonFolder("01-x", memory({ "lesson.json": "{}", "scenarios/a.json": "{oops" }));
  assert.ok(!bad.ok);
  assert.equal(bad.ok || (bad.error.kind === "invalid" && bad.error.path), "scenarios/a.json");
});

test("loadLessonFolder validates: a lesson.json that breaks the schema is refused with its path", () => {
  const dir = join(DEFAULT_LESSONS_DIR, "01-first-fault");
  const real = nodeFolder(dir);
  const broken: FolderReader = {
    read: p => p === "lesson.json" ? JSON.stringify({ ...JSON.parse(real.read(p)!), checks: "none" }) : real.read(p),
    list: d => real.list(d),
  };
  const r = loadLessonFolder("01-first-fault", broken);
  assert.ok(!r.ok);
  assert.match(r.error.message, /checks/);
  assert.ok(loadLessonFolder("01-first-fault", real).ok);
});

test("every course lesson loads the same through the CLI's reader and an in-memory copy", () => {
  for (const id of readdirSync(DEFAULT_LESSONS_DIR).filter(n => /^\d{2}-/.test(n))) {
    const disk = nodeFolder(join(DEFAULT_LESSONS_DIR, id));
    const files: Record<string, string> = {};
    for (const f of ["lesson.json", "README.md", "hints.md"]) files[f] = disk.read(f)!;
    for (const d of ["starter", "solution", "scenarios", "mutants"]) for (const n of disk.list(d)) files[`${d}/${n}`] = disk.read(`${d}/${n}`)!;
    const a = loadLessonDir(join(DEFAULT_LESSONS_DIR, id)), b = loadLessonFolder(id, memory(files));
    assert.ok(a.ok && b.ok, id);
    assert.deepEqual(a, b, id);
  }
});

test("parseHints: one hint per ## section, numbered in order; the title and text before are not hints", () => {
  const h = parseHints("# Hints\r\n\r\nintro\r\n\r\n## Level 1: a nudge\r\nlook at pgoff\r\n\r\n## Level 2: closer\n- get_page\n\n## Level 3\n");
  assert.deepEqual(h, [
    { level: 1, title: "Level 1: a nudge", body: "look at pgoff" },
    { level: 2, title: "Level 2: closer", body: "- get_page" },
    { level: 3, title: "Level 3", body: "" },
  ]);
  assert.deepEqual(parseHints(""), []);
  assert.deepEqual(parseHints("# Hints\n### not a level\n"), []);
});

test("hintProblems: three levels headed Level 1..3, each with text", () => {
  assert.deepEqual(hintProblems("## Level 1: a\nx\n## Level 2: b\ny\n## Level 3: c\nz\n"), []);
  assert.deepEqual(hintProblems("## Level 1\nx\n## Level 2\ny\n"), ["hints.md has 2 of 3 levels"]);
  assert.deepEqual(hintProblems("## Level 1\nx\n## Level 3\ny\n## Level 2\nz\n"),
    ['hint 2 is headed "Level 3", not "Level 2: ..."', 'hint 3 is headed "Level 2", not "Level 3: ..."']);
  assert.deepEqual(hintProblems("## Level 1\nx\n## Level 2\n\n## Level 3\nz\n"), ["hint 2 has no text"]);
  for (const id of readdirSync(DEFAULT_LESSONS_DIR).filter(n => /^\d{2}-/.test(n))) {
    assert.deepEqual(hintProblems(nodeFolder(join(DEFAULT_LESSONS_DIR, id)).read("hints.md") ?? ""), [], id);
  }
});
