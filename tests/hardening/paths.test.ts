// tests/hardening/paths.test.ts: which file is graded when a submission names it more than once
// or hides it: two folders or two paths holding datastore.ts, a path that is not a lesson file,
// a folder with two zips, a datastore.ts nested in folders (an upload, a repository), and the
// names a class folder's messages use (the entry's name, never the grading machine's path).
// Through the real bin (`prefault grade`, as the kits call it) and `prefault grade-all`.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { LESSON, ROOT, allText, lessonFile, lessonsDir, solution } from "./helpers.js";
import type { Report } from "../../engine/types.js";
import type { BatchReport } from "../../engine/report/batch.js";

const BIN = join(ROOT, "bin", "prefault.js");
const dir = mkdtempSync(join(tmpdir(), "prefault-paths-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function put(rel: string, text: string | Uint8Array): string {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function grade(...paths: string[]): { status: number | null; report: Report; text: string } {
  const r = spawnSync(process.execPath, [BIN, "grade", "--lesson", LESSON, "--lessons-dir", lessonsDir(), "--format", "json", ...paths],
    { encoding: "utf8", timeout: 120_000 });
  assert.ok(r.stdout, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  return { status: r.status, report, text: allText(report) };
}

const STARTER = () => lessonFile("starter/datastore.ts");

test("grade with two folders or two paths holding datastore.ts refuses, naming both, whichever order", { timeout: 120_000 }, () => {
  put("two/a/datastore.ts", solution());
  put("two/b/datastore.ts", STARTER());
  for (const order of [["a", "b"], ["b", "a"]]) {
    const folders = grade(...order.map(x => join(dir, "two", x)));
    assert.equal(folders.report.status, "error");
    assert.equal(folders.status, 1);
    assert.match(folders.text, new RegExp(`datastore\\.ts is given twice \\(.*two/${order[0]}/datastore\\.ts and .*two/${order[1]}/datastore\\.ts\\)`));
    const files = grade(...order.map(x => join(dir, "two", x, "datastore.ts")));
    assert.equal(files.report.status, "error");
    assert.match(files.text, /datastore\.ts is given twice/);
  }
  // one file given once is graded as before, whatever it is called
  put("named/my-datastore.ts", solution());
  assert.equal(grade(join(dir, "named", "my-datastore.ts")).report.status, "pass");
});

test("grade with several paths takes them by name: one that is not a lesson file is refused", { timeout: 120_000 }, () => {
  const a = put("several/datastore.ts", solution());
  const b = put("several/notes.ts", "// notes\n");
  const r = grade(a, b);
  assert.equal(r.report.status, "error");
  assert.match(r.text, /notes\.ts is not a file of this lesson \(its file is datastore\.ts\)/);
});

test("a folder: two zips are refused as ambiguous; a datastore.ts nested once is graded; nested twice is refused", { timeout: 180_000 }, () => {
  const zip = (text: string) => zipSync({ "datastore.ts": strToU8(text) });
  put("zips/first.zip", zip(solution()));
  put("zips/second.zip", zip(STARTER()));
  const z = grade(join(dir, "zips"));
  assert.equal(z.report.status, "error");
  assert.match(z.text, /holds 2 zip archives \(first\.zip, second\.zip\) and no datastore\.ts: hand in one/);

  put("nested/lab1/src/datastore.ts", solution());
  put("nested/lab1/README.md", "hi");
  put("nested/.git/datastore.ts", STARTER());               // hidden folders are not searched
  put("nested/node_modules/x/datastore.ts", STARTER());     // nor installed packages
  put("nested/__MACOSX/lab1/src/datastore.ts", "junk");
  const n = grade(join(dir, "nested"));
  assert.equal(n.report.status, "pass", n.text);

  put("nested2/a/datastore.ts", solution());
  put("nested2/b/c/datastore.ts", STARTER());
  const n2 = grade(join(dir, "nested2"));
  assert.equal(n2.report.status, "error");
  assert.match(n2.text, /holds datastore\.ts more than once \(a\/datastore\.ts, b\/c\/datastore\.ts\); hand in one/);

  // a folder whose name is not UTF-8 is read by its bytes
  const odd = Buffer.concat([Buffer.from(join(dir, "bytes") + "/"), Buffer.from([0x6c, 0xff])]);
  mkdirSync(odd, { recursive: true });
  writeFileSync(Buffer.concat([odd, Buffer.from("/datastore.ts")]), solution());
  const o = grade(join(dir, "bytes"));
  assert.equal(o.report.status, "pass", o.text);

  // the file at the top wins over nested copies (a starter kept in a subfolder is not a clash)
  put("top/datastore.ts", solution());
  put("top/old/datastore.ts", STARTER());
  assert.equal(grade(join(dir, "top")).report.status, "pass");

  // only packages: nothing to grade, the missing file is reported
  put("pkgonly/node_modules/x/datastore.ts", solution());
  const m = grade(join(dir, "pkgonly"));
  assert.equal(m.report.status, "error");
  assert.match(m.text, /datastore\.ts/);
  assert.notEqual(m.report.status, "pass");
});

test("grade-all names a student's files by the entry, not by the grading machine's path", { timeout: 300_000 }, () => {
  const cls = join(dir, "class");
  put("class/bob.zip", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
  put("class/carol.zip", zipSync({ "a/datastore.ts": strToU8("1"), "b/datastore.ts": strToU8("2") }));
  put("class/dave/one.zip", zipSync({ "datastore.ts": strToU8("1") }));
  put("class/dave/two.zip", zipSync({ "datastore.ts": strToU8("2") }));
  put("class/erin/x/datastore.ts", "1");
  put("class/erin/y/datastore.ts", "2");
  put("class/fay/hw/datastore.ts", solution());
  const out = join(dir, "class.json");
  const r = spawnSync(process.execPath, [BIN, "grade-all", "--lesson", LESSON, "--lessons-dir", lessonsDir(), cls, "--jobs", "2", "--out", out],
    { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const batch = JSON.parse(readFileSync(out, "utf8")) as BatchReport;
  const errors = (s: string) => batch.rows.find(x => x.student === s)!.errors.join("\n");
  assert.match(errors("bob.zip"), /^bob\.zip looks like a zip archive but cannot be unpacked/);
  assert.match(errors("carol.zip"), /^carol\.zip holds datastore\.ts more than once/);
  assert.match(errors("dave"), /^dave holds 2 zip archives \(one\.zip, two\.zip\)/);
  assert.match(errors("erin"), /^erin holds datastore\.ts more than once \(x\/datastore\.ts, y\/datastore\.ts\)/);
  assert.equal(batch.rows.find(x => x.student === "fay")!.status, "pass");
  const whole = readFileSync(out, "utf8");
  assert.ok(!whole.includes(dir), "no absolute path of the grading machine in the report");
});
