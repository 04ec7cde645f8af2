// The first visit's byte budget: what a learner's browser downloads on a first visit to the
// sandbox, brotli-compressed as `prefault serve` sends it, is at most FIRST_VISIT_BUDGET bytes.
// Bytes are deterministic, so this is a test (times are only benchmarked, bench/web.ts).
//   1. from the build: the service worker's precache list (what a first visit downloads, the
//      page's own requests included), summed over the .br siblings in web/dist;
//   2. from real Chromium with a fresh profile, through a counting proxy in front of the
//      server: every response body on the wire until the app is ready, the warm-up compile is
//      done and the service worker has installed; then the TypeScript service, which is not part
//      of it, loads when the learner focuses the editor, and the service worker keeps it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { launch, openApp, serve } from "./harness.js";
import { FIRST_VISIT_BUDGET } from "./budget.js";
const DIST = process.env.PREFAULT_WEB_ROOT ?? join(repoRoot(), "web", "dist");

let server: RunningServer, proxy: Server, proxyUrl = "";
const wire = new Map<string, number>();            // path -> body bytes sent, summed over requests

before(async () => {
  server = await serve();
  const up = new URL(server.url);
  // forwards every request unchanged and counts the bytes of each response body as sent
  proxy = createServer((req, res) => {
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, r => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      const path = new URL(req.url ?? "/", "http://x").pathname;
      r.on("data", (c: Buffer) => wire.set(path, (wire.get(path) ?? 0) + c.length));
      r.pipe(res);
    });
    fwd.on("error", () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  await new Promise<void>(ok => proxy.listen(0, "127.0.0.1", ok));
  const a = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/`;
});
after(async () => {
  await new Promise<void>(ok => proxy ? proxy.close(() => ok()) : ok());
  await server?.close();
});

const kb = (n: number) => `${(n / 1000).toFixed(0)} kB`;
const largest = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([p, n]) => `${p} ${kb(n)}`).join(", ");

test("the service worker's precache (the whole first visit) is within the budget, brotli as served", t => {
  const sw = readFileSync(join(DIST, "sw.js"), "utf8");
  const m = /const FILES = (\[.*?\]);/s.exec(sw);
  assert.ok(m, "sw.js lists its precache");
  const files = (JSON.parse(m[1]) as string[]).map(f => f === "./" ? "index.html" : f.replace(/^\.\//, ""));
  assert.ok(files.some(f => /^assets\/binaryen-.*\.wasm$/.test(f)) && files.some(f => /^assets\/asc-.*\.js$/.test(f)),
    "the compiler (asc and binaryen's Wasm) is precached: the sandbox compiles offline");
  const sizes = new Map<string, number>();
  for (const f of files) {
    const p = join(DIST, f);
    assert.ok(existsSync(p), `precached ${f} is in the build`);
    sizes.set(f, statSync(existsSync(p + ".br") ? p + ".br" : p).size);
  }
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`precache: ${files.length} files, ${kb(total)} brotli (budget ${kb(FIRST_VISIT_BUDGET)})`);
  assert.ok(total <= FIRST_VISIT_BUDGET, `first visit ${kb(total)} > ${kb(FIRST_VISIT_BUDGET)}; largest: ${largest(sizes)}`);
});

test("a first visit in Chromium downloads at most the budget; the TypeScript service comes on focus and is kept offline", async t => {
  const b = await launch();
  try {
    const { page } = b;
    await openApp(page, `${proxyUrl}#lesson=01-first-fault`);
    await page.waitForFunction(() => typeof (window as unknown as { __prefault: { timings: Record<string, number> } })
      .__prefault.timings.compilerWarm1 === "number", undefined, { timeout: 120_000 });
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.waitForLoadState("networkidle");
    // index.html's head started the compiler worker and the app adopted it: one worker, one
    // download of asc and of binaryen's Wasm (no prefetch of them beside the worker's own fetch)
    assert.match(readFileSync(join(DIST, "index.html"), "utf8"), /<script>try\{self\.__prefaultCompilerWorker=new Worker\("[^"]*compiler\.worker-[^"]+\.js"/);
    assert.equal(page.workers().filter(w => /compiler\.worker-[^/]+\.js$/.test(w.url())).length, 1, "one compiler worker");
    const fetched = (re: RegExp) => [...wire].filter(([p]) => re.test(p));
    for (const re of [/\/assets\/asc-[^/]+\.js$/, /\/assets\/binaryen-[^/]+\.wasm$/]) {
      const [f] = fetched(re);
      assert.ok(f, `fetched ${re}`);
      assert.equal(f[1], statSync(join(DIST, f[0].replace(/^\//, "")) + ".br").size, `${f[0]} was downloaded once, brotli`);
    }
    // the page remembers that this browser has the compiler now (later visits load Monaco at once)
    assert.match(await page.evaluate(() => localStorage.getItem("prefault:v1:compiler-seen") ?? ""), /"asc":"\d+\.\d+\.\d+"/);
    const total = [...wire.values()].reduce((a, c) => a + c, 0);
    t.diagnostic(`on the wire: ${wire.size} paths, ${kb(total)} (budget ${kb(FIRST_VISIT_BUDGET)}); largest: ${largest(wire)}`);
    assert.ok(wire.has("/sw.js") && [...wire.keys()].some(p => /\/assets\/binaryen-.*\.wasm$/.test(p)), `counted: ${[...wire.keys()].join(" ")}`);
    assert.ok(total <= FIRST_VISIT_BUDGET, `first visit ${kb(total)} on the wire > ${kb(FIRST_VISIT_BUDGET)}; largest: ${largest(wire)}`);
    assert.equal([...wire.keys()].filter(p => /\/assets\/ts\.worker-/.test(p)).length, 0, "the TS service waits for the editor's focus");

    // the learner clicks into the editor: completion and hover load, and are cached for offline
    await page.locator(".monaco-editor").first().click();
    await page.locator("html[data-typescript=ready]").waitFor({ state: "attached", timeout: 120_000 });
    // (the cache write ends a little after the response: wait for it, up to 30 s)
    const kept = await page.waitForFunction(async () => {
      const names = await caches.keys();
      const reqs = (await Promise.all(names.map(async n => (await caches.open(n)).keys()))).flat();
      return reqs.some(r => /\/assets\/ts\.worker-[^/]+\.js$/.test(new URL(r.url).pathname)) || null;
    }, undefined, { timeout: 30_000, polling: 250 }).then(() => true, () => false);
    assert.ok(kept, "the service worker kept the TS worker it fetched on demand");
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
