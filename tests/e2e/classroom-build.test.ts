// The classroom build of the site (web/vite.config.ts: PREFAULT_NO_SOLUTIONS=1, PREFAULT_LESSONS,
// PREFAULT_BASE), built here into a folder of its own: no line of any reference solution or
// mutant that a learner could not already read in a starter is in any built file, and the site,
// served from a sub-path by a plain static server (as GitHub Pages would), runs a lesson in
// Chromium without a "Compare with solution" button and without a request outside its sub-path.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { repoRoot } from "../../cli/commands/serve.js";
import { checkRows, launch, openApp, setCode, waitRun } from "./harness.js";

const ROOT = repoRoot();
const LESSONS = ["01-first-fault", "02-time-namespaces", "03-map-by-pgoff"];
const BASE = "/course/prefault/";
let out = "", server: Server, origin = "";

const lessonFile = (id: string, p: string) => readFileSync(join(ROOT, "lessons", id, p), "utf8");
const allLessons = () => readdirSync(join(ROOT, "lessons")).filter(d => existsSync(join(ROOT, "lessons", d, "lesson.json"))).sort();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap(n => statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]);
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".ttf": "font/ttf", ".json": "application/json" };

before(async () => {
  out = mkdtempSync(join(tmpdir(), "prefault-classroom-web-"));
  const vite = join(ROOT, "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(ROOT, "web", "vite.config.ts")], {
    cwd: ROOT, encoding: "utf8", timeout: 600_000,
    env: { ...process.env, PREFAULT_NO_SOLUTIONS: "1", PREFAULT_LESSONS: LESSONS.join(","), PREFAULT_BASE: BASE,
      PREFAULT_WEB_OUT: out, PREFAULT_PRECOMPRESS: "0" },
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // a plain static server: the build under BASE, 404 for everything else (and logged)
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (!path.startsWith(BASE)) { res.writeHead(404).end(); return; }
    let file = normalize(join(out, path.slice(BASE.length)));
    if (!file.startsWith(out)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>(res => server.listen(0, "127.0.0.1", res));
  const a = server.address();
  origin = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
});
after(async () => {
  await new Promise<void>(res => server ? server.close(() => res()) : res());
  if (out) rmSync(out, { recursive: true, force: true });
});

test("no line of a solution or a mutant that no included starter holds is in any built file", () => {
  const built = files(out).map(f => {
    const b = readFileSync(f);
    const text = f.endsWith(".gz") ? gunzipSync(b) : f.endsWith(".br") ? brotliDecompressSync(b) : b;
    return { f, text: text.toString("latin1") + "\n" + text.toString("utf8") };
  });
  // what a learner may read anyway: the included lessons' starters, texts, checks and scenarios,
  // and the kernel header; a line found in any of them (even inside a longer line) is no secret
  const visible = LESSONS.flatMap(id => ["starter/datastore.ts", "README.md", "hints.md", "lesson.json",
    ...readdirSync(join(ROOT, "lessons", id, "scenarios")).map(n => `scenarios/${n}`)].map(p => lessonFile(id, p)))
    .concat(readFileSync(join(ROOT, "learner", "kernel.ts"), "utf8")).join("\n");
  const secret = (text: string) => text.split("\n").map(l => l.trim())
    .filter(l => l.length >= 16 && !visible.includes(l) && !/["'`\\]/.test(l));
  let checked = 0;
  const perLesson: Record<string, number> = {};
  for (const id of allLessons()) {
    const dir = join(ROOT, "lessons", id);
    const sources = ["solution/datastore.ts", ...readdirSync(join(dir, "mutants")).map(m => `mutants/${m}`)];
    for (const src of sources) {
      for (const line of secret(lessonFile(id, src))) {
        checked++;
        if (src.startsWith("solution")) perLesson[id] = (perLesson[id] ?? 0) + 1;
        const hit = built.find(b => b.text.includes(line));
        assert.ok(!hit, `${id}/${src}: "${line}" is in ${hit?.f}`);
      }
    }
  }
  assert.ok(checked > 100, `enough lines to mean something (${checked})`);
  assert.ok((perLesson["03-map-by-pgoff"] ?? 0) > 0, "the assigned lesson's solution has lines of its own, and none is in the build");
  // the same search finds what is meant to be there: a starter line and a mutant-free lesson text
  const starterLine = secret(lessonFile("03-map-by-pgoff", "starter/datastore.ts")).length === 0
    ? lessonFile("03-map-by-pgoff", "starter/datastore.ts").split("\n").map(l => l.trim()).find(l => l.length >= 16 && !/["'`\\]/.test(l))!
    : "";
  assert.ok(starterLine && built.some(b => b.text.includes(starterLine)), "the starter is in the build");
  const excluded = lessonFile("06-mlockall", "README.md").split("\n").map(l => l.trim()).find(l => l.length > 40 && !/["'`\\]/.test(l) && !visible.includes(l))!;
  assert.ok(!built.some(b => b.text.includes(excluded)), "a lesson not listed in PREFAULT_LESSONS is left out");
});

test("served from a sub-path by a plain static server, the classroom site runs a lesson; no solution button, nothing fetched outside the sub-path", async () => {
  const b = await launch();
  const outside: string[] = [];
  b.page.on("request", r => { const u = new URL(r.url()); if (u.origin === origin && !u.pathname.startsWith(BASE)) outside.push(u.pathname); });
  try {
    const { page } = b;
    await openApp(page, `${origin}${BASE}#lesson=03-map-by-pgoff`);
    assert.equal(await page.getByRole("button", { name: "Compare with solution" }).count(), 0, "the button is hidden (not in the accessibility tree)");
    assert.equal(await page.locator("#diff-btn").isHidden(), true);
    assert.equal(await page.evaluate(() => (window as unknown as { __prefault: { solution(): unknown } }).__prefault.solution()), undefined);
    assert.deepEqual(await page.locator("#lesson-list li").count(), LESSONS.length);
    // "Compare with Linux" offers on lesson 03 only the stages that solve no lesson from 03 on
    // (docs/compare.md); the others (p2 is lesson 03's solution) are not in the build at all
    const stages = await page.locator("#compare-stage option").evaluateAll(os => os.map(o => (o as HTMLOptionElement).value));
    assert.deepEqual(stages, ["v6.18", "pre", "p1"]);
    const wasm = files(out).filter(f => f.endsWith(".wasm")).map(f => readFileSync(f));
    for (const st of ["p2", "p3", "p4", "p5", "p6"]) {
      const bytes = readFileSync(join(ROOT, "build", "stages", `${st}.wasm`));
      assert.ok(!wasm.some(w => w.equals(bytes)), `stage ${st} is not in the classroom build`);
    }
    await setCode(page, lessonFile("03-map-by-pgoff", "solution/datastore.ts"));
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    const rows = await checkRows(page);
    assert.ok(rows.length > 0);
    for (const r of rows) assert.match(r, /: passed,/, r);
    assert.deepEqual(outside, []);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
