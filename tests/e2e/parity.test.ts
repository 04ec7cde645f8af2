// tests/e2e/parity.test.ts: the browser grades exactly as the CLI does. For every lesson, five
// submissions (the starter, the solution, an endless loop, a trap, a compile error) are graded
// in real Chromium (one page, one compiler worker for all of them, the Run of the app, then
// window.__prefault.lastReport()) and by `prefault grade --format json --reveal` as a child
// process; the two reports must be deep-equal. Reports carry no timing fields, so nothing is
// set aside. The CLI runs two at a time while the browser works.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, PACKAGE_ROOT } from "../../cli/grade-submission.js";
import type { Report } from "../../engine/types.js";
import { launch, openApp, serve, setCode } from "./harness.js";

const BIN = join(PACKAGE_ROOT, "bin", "prefault.js");
const HANDLER = /(export function vvar_fault\([^)]*\)[^{]*\{)/;

/** The five submissions of a lesson, by name. */
function submissions(id: string): Record<string, string> {
  const read = (p: string) => readFileSync(join(repoRoot(), "lessons", id, p), "utf8");
  const solution = read("solution/datastore.ts");
  const out: Record<string, string> = {
    starter: read("starter/datastore.ts"),
    solution,
    "endless-loop": solution.replace(HANDLER, "$1\n  while (true) {}"),
    trap: solution.replace(HANDLER, "$1\n  if (vmf.pgoff < 1000) unreachable();"),
    "compile-error": solution.replace(HANDLER, "$1\n  let broken = ;"),
  };
  for (const [k, v] of Object.entries(out)) if (k !== "starter" && k !== "solution") assert.notEqual(v, solution, `${id}: ${k}`);
  return out;
}

// `prefault grade --format json --reveal` of one file, as a parsed Report
function cliGrade(lesson: string, file: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, "grade", "--lesson", lesson, file, "--format", "json", "--reveal"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", c => { out += c; });
    p.stderr.on("data", c => { err += c; });
    p.on("close", code => {
      try { resolve(JSON.parse(out) as Report); } catch { reject(new Error(`prefault grade exited ${code}: ${err}${out}`)); }
    });
  });
}

// runs `jobs` in order, `n` at a time
async function limited<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i](); }
  }));
  return out;
}

let server: RunningServer;
let dir: string;
before(async () => { server = await serve(); dir = mkdtempSync(join(tmpdir(), "prefault-parity-")); });
after(async () => { await server?.close(); rmSync(dir, { recursive: true, force: true }); });

test("every lesson: starter, solution, endless loop, trap and compile error get the same report in Chromium and from prefault grade", { timeout: 900_000 }, async () => {
  const lessons = listLessonIds(DEFAULT_LESSONS_DIR);
  assert.ok(lessons.length >= 6);
  const cases = lessons.flatMap(id => Object.entries(submissions(id)).map(([name, text]) => ({ id, name, text })));
  const cliDone = limited(cases.map(c => () => {
    const f = join(dir, `${c.id}-${c.name}.ts`);
    writeFileSync(f, c.text);
    return cliGrade(c.id, f);
  }), 2);

  const b = await launch();
  const web: Report[] = [];
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${lessons[0]}`);
    for (const c of cases) {
      if (await page.evaluate(() => (window as unknown as { __prefault: { lesson(): string } }).__prefault.lesson()) !== c.id) {
        await page.evaluate(id => { location.hash = `#lesson=${id}`; }, c.id);
        await page.waitForFunction(id => (window as unknown as { __prefault: { lesson(): string } }).__prefault.lesson() === id, c.id);
      }
      await setCode(page, c.text);
      const r = await page.evaluate(async () => {
        const p = (window as unknown as { __prefault: { run(): Promise<void>; lastReport(): unknown } }).__prefault;
        await p.run();
        return JSON.stringify(p.lastReport());
      });
      web.push(JSON.parse(r) as Report);
    }
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
  const cli = await cliDone;
  const kinds = new Set<string>();
  cases.forEach((c, i) => {
    assert.deepEqual(web[i], cli[i], `${c.id} ${c.name}: the browser's report differs from prefault grade's`);
    for (const t of cli[i].tests) if (t.failure) kinds.add(t.failure.kind);
  });
  // the cases reach every outcome the runner can give, so the comparison covers them all
  for (const k of ["assertion", "oops", "timeout", "compile"]) assert.ok(kinds.has(k), `no ${k} among ${[...kinds].join(", ")}`);
  for (const id of lessons) {
    assert.equal(cli[cases.findIndex(c => c.id === id && c.name === "solution")].status, "pass", `${id}: the solution passes`);
  }
});
