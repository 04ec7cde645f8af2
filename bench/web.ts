// bench/web.ts: the browser sandbox in real Chromium (not a test; never fails on time).
//   node dist/bench/web.js [--cold N] [--runs N]       (after `npm run build`)
// Prints, since navigation: editor usable (the lesson code in the plain textarea, editable and
// runnable), editor ready (Monaco created), compiler ready (asc and binaryen loaded), the first
// compile done (the lesson code, asked for at load: the compiler's slow warm-up), cold (fresh
// profile) and warm (reload, cached); Run-to-results with a fresh compile and on already-compiled
// code (median of --runs); the bare compile in the same worker, the baseline of the ratio, and
// the same compile by asc as shipped (which parses its standard library again each time:
// engine/parse-reuse.ts keeps that parse), the baseline of what keeping it saves; and the
// bytes each part of the app costs on a first visit (raw, gzip -9, and what went over the wire
// with brotli), then what the first focus of the editor fetches (the TypeScript service).
// Aims (issue 13): editor usable within 1 s; compiler ready within 1 s cold; Run on compiled
// code under 50 ms; Run with a compile within 1.2x the bare compile; a first visit within 3 MB
// brotli (tests/e2e/first-visit.test.ts asserts that one: bytes are deterministic, times are not).
// The Run ratio is printed twice: as the ratio of the two medians, and paired, from what each
// Run adds to its own compile (the aim's figure: on this 2-core machine one compile differs from
// the next by tens of ms, more than all a Run adds, so the medians' ratio swings ±0.1x). Since the
// kept library parse made the compile itself 3-5x faster, that ratio is of a much smaller
// compile (docs/web-performance.md, change 13); the Run is also set against the compile of asc as
// shipped.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { repoRoot } from "../cli/commands/serve.js";
import { launch, openApp, serve } from "../tests/e2e/harness.js";
import { fmt, summarize, type Sample } from "./stats.js";
import { FIRST_VISIT_BUDGET } from "../tests/e2e/budget.js";

const arg = (name: string, d: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const COLD = arg("--cold", 3), RUNS = arg("--runs", 10);
const LESSON = "01-first-fault";
const SOLUTION = readFileSync(join(repoRoot(), "lessons", LESSON, "solution", "datastore.ts"), "utf8");

type Hook = { __prefault: { timings: Record<string, number>; setCode(t: string): void; run(): Promise<void>;
  compileOnly(f: Record<string, string>): Promise<{ ok: boolean; ms: number }>;
  compileAsShipped?(f: Record<string, string>): Promise<{ ok: boolean; ms: number }> } };

function part(url: string): string {
  const name = url.split("/").pop() ?? "";
  if (/^(index\.html|)$/.test(name) || /^index-.*\.(js|css)$/.test(name) || /favicon/.test(name) || /rolldown-runtime/.test(name)) return "first paint";
  if (/^(asc|binaryen|compiler\.worker|__vite-browser-external)/.test(name)) return "compiler (asc, binaryen.wasm)";
  if (/kernel.*\.wasm$|^runner\.worker/.test(name)) return "kernel + runner";
  if (/^ts\.worker|^tsMode|^register|^typescript/.test(name)) return "TS language service";
  return "editor";
}

type Load = { usable: number[]; editor: number[]; compiler: number[]; firstCompile: number[]; phases: Map<string, number[]> };
// the compiler worker's start-up phases (page clock), when the build reports them
const PHASES: [string, string][] = [["compilerWorkerStart", "compiler worker started"], ["compilerBinaryenCompiled", "binaryen.wasm compiled"],
  ["compilerAscImported", "asc + binaryen loaded"]];
async function loadTimes(url: string, page: Page, into: Load): Promise<void> {
  await openApp(page, url);
  // the first compile (the lesson code, the compiler's warm-up) ends after "ready"
  await page.waitForFunction(() => typeof (window as unknown as Hook).__prefault.timings.compilerWarm1 === "number", undefined, { timeout: 120_000 });
  const t = await page.evaluate(() => (window as unknown as Hook).__prefault.timings);
  // builds without the plain editor have no editorUsable: Monaco is the first usable editor there
  into.usable.push(t.editorUsable ?? t.editorReady); into.editor.push(t.editorReady); into.compiler.push(t.compilerReady);
  into.firstCompile.push(t.compilerWarm1);
  for (const [k] of PHASES) if (typeof t[k] === "number") into.phases.set(k, [...(into.phases.get(k) ?? []), t[k]]);
}

async function main(): Promise<void> {
  const server = await serve();
  // ?nosw: no service worker, so its precache fetches are not counted as page loads
  const url = `${server.url}?nosw#lesson=${LESSON}`;
  const dist = process.env.PREFAULT_WEB_ROOT ?? join(repoRoot(), "web", "dist");
  const load = (): Load => ({ usable: [], editor: [], compiler: [], firstCompile: [], phases: new Map() });
  const cold = load(), warm = load();
  let onDemand = false;                  // requests from here on come from the first focus, not the first visit
  const bytes = new Map<string, { raw: number; gzip: number; wire: number; files: number }>();
  for (let i = 0; i < COLD; i++) {
    const b = await launch();
    const seen: Promise<void>[] = [], urls = new Set<string>();
    if (i === 0) b.page.on("requestfinished", req => { if (urls.has(req.url())) return; urls.add(req.url()); seen.push((async () => {
      const path = join(dist, new URL(req.url()).pathname.replace(/\/$/, "/index.html"));
      if (!existsSync(path)) return;
      const raw = statSync(path).size;
      const gz = existsSync(path + ".gz") ? statSync(path + ".gz").size : gzipSync(readFileSync(path), { level: 9 }).length;
      // what prefault serve sends a browser that accepts brotli (the .br sibling; raw when none)
      const wire = existsSync(path + ".br") ? statSync(path + ".br").size : raw;
      const k = onDemand ? `on first focus: ${part(req.url())}` : part(req.url());
      const o = bytes.get(k) ?? { raw: 0, gzip: 0, wire: 0, files: 0 };
      bytes.set(k, { raw: o.raw + raw, gzip: o.gzip + gz, wire: o.wire + wire, files: o.files + 1 });
    })()); });
    await loadTimes(url, b.page, cold);
    // the TypeScript service (completion, hover) loads when the learner first focuses the editor
    if (i === 0) {
      await b.page.waitForLoadState("networkidle");
      await Promise.all(seen);
      onDemand = true;
      await b.page.locator(".monaco-editor").first().click();
      await b.page.locator("html[data-typescript=ready]").waitFor({ state: "attached", timeout: 120_000 });
    }
    await Promise.all(seen);
    await b.page.reload();
    await loadTimes(b.page.url(), b.page, warm);
    if (i < COLD - 1) await b.close();
    else await runs(b.page, cold, warm, bytes).finally(() => b.close());
  }
  await server.close();
}

async function runs(page: Page, cold: Load, warm: Load,
                    bytes: Map<string, { raw: number; gzip: number; wire: number; files: number }>): Promise<void> {
  const timed = (code: string | null) => page.evaluate(async c => {
    const p = (window as unknown as Hook).__prefault;
    // the edit happens before the click, as when a learner types and then runs: let the editor
    // settle (tokenizing, TS syntax check) for 300 ms, under the 450 ms background-compile debounce
    if (c !== null) { p.setCode(c); await new Promise(r => setTimeout(r, 300)); }
    const t = performance.now();
    await p.run();
    return performance.now() - t;
  }, code);
  // a learner who edits has the cursor in the editor: the TS service runs beside the compiler
  await page.locator(".monaco-editor").first().click();
  await page.locator("html[data-typescript=ready]").waitFor({ state: "attached", timeout: 120_000 });
  // warm-up: tier-up of asc and the kernel before timing (measurements P18)
  for (let i = 0; i < 3; i++) await timed(`${SOLUTION}\n// warm-up ${i}\n`);
  const fresh: number[] = [], cached: number[] = [], bare: number[] = [], shipped: number[] = [], runPart: number[] = [], renderPart: number[] = [], compilePart: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    fresh.push(await timed(`${SOLUTION}\n// fresh ${i} ${Math.random()}\n`));
    compilePart.push((await page.evaluate(() => (window as unknown as Hook).__prefault.timings)).lastCompile);
    cached.push(await timed(null));
    const t = await page.evaluate(() => (window as unknown as Hook).__prefault.timings);
    runPart.push(t.lastRun); renderPart.push(t.lastRender);
    const src = `${SOLUTION}\n// bare ${i} ${Math.random()}\n`;
    bare.push(await page.evaluate(async s => (await (window as unknown as Hook).__prefault.compileOnly({ "datastore.ts": s })).ms, src));
    // (a build from before the kept library parse has no such hook: PREFAULT_WEB_ROOT=old build)
    const asShipped = await page.evaluate(async s => (window as unknown as Hook).__prefault.compileAsShipped?.({ "datastore.ts": s }),
                                          `${SOLUTION}\n// as shipped ${i} ${Math.random()}\n`);
    if (asShipped && !asShipped.ok) throw new Error("the compile by asc as shipped failed");
    if (asShipped) shipped.push(asShipped.ms);
  }
  const row = (label: string, s: Sample, aim = "") => console.log(`  ${label.padEnd(44)} ${fmt(s)}${aim ? `   aim: ${aim}` : ""}`);
  console.log(`Prefault web benchmark (headless Chromium, ${COLD} cold loads, ${RUNS} runs; lesson ${LESSON})`);
  console.log("Load, ms since navigation:");
  row("editor usable (plain textarea), cold", summarize(cold.usable), "< 1000");
  row("editor usable, warm (reload)", summarize(warm.usable));
  row("Monaco ready, cold (fresh profile)", summarize(cold.editor));
  row("Monaco ready, warm (reload)", summarize(warm.editor));
  row("compiler ready (asc + binaryen loaded), cold", summarize(cold.compiler), "< 1000");
  for (const [k, label] of PHASES) { const v = cold.phases.get(k); if (v?.length) row(`  ${label}, cold`, summarize(v)); }
  row("first compile done (the lesson code), cold", summarize(cold.firstCompile));
  row("compiler ready, warm (reload)", summarize(warm.compiler));
  row("first compile done, warm (reload)", summarize(warm.firstCompile));
  console.log("Run to results (compile if needed, every scenario, grade, render):");
  const f = summarize(fresh), c = summarize(cached), b = summarize(bare);
  row("Run with a fresh compile", f);
  row("  of which: the compile", summarize(compilePart));
  // what the Run adds to its own compile, run by run: the compile's own spread (tens of ms from
  // one compile to the next on a small machine) cancels out of it
  const added = summarize(fresh.map((t, i) => t - compilePart[i]));
  row("  of which: all the rest (run, grade, draw)", added);
  row("Run on already-compiled code", c, "< 50");
  row("  of which: run all scenarios + grade", summarize(runPart));
  row("  of which: draw the results", summarize(renderPart));
  row("bare compile in the worker (no run)", b);
  const sh = shipped.length ? summarize(shipped) : undefined;
  if (sh) row("bare compile, asc as shipped (parses lib)", sh);
  console.log(`  ratio Run-with-compile / bare compile        ${(f.median / b.median).toFixed(2)}x   (medians of both: carries the compile's spread)`);
  console.log(`  ratio, paired: (bare + what a Run adds) / bare ${((b.median + added.median) / b.median).toFixed(2)}x   aim: <= 1.2x`);
  if (sh) {
    console.log(`  ratio Run-with-compile / bare compile by asc as shipped ${(f.median / sh.median).toFixed(2)}x`);
    console.log(`  the kept library parse: a compile ${(sh.median / b.median).toFixed(1)}x faster than asc as shipped`);
  }
  console.log("Bytes fetched by a first visit (raw, gzip -9, and brotli as prefault serve sends it; kB = 1000 B):");
  const table = (rows: [string, { raw: number; gzip: number; wire: number; files: number }][], label: string, aim = "") => {
    let tr = 0, tg = 0, tw = 0;
    for (const [k, v] of rows) {
      tr += v.raw; tg += v.gzip; tw += v.wire;
      console.log(`  ${k.padEnd(44)} ${kb(v.raw).padStart(10)} raw ${kb(v.gzip).padStart(10)} gzip ${kb(v.wire).padStart(10)} br  (${v.files} files)`);
    }
    console.log(`  ${label.padEnd(44)} ${kb(tr).padStart(10)} raw ${kb(tg).padStart(10)} gzip ${kb(tw).padStart(10)} br${aim}`);
  };
  const all = [...bytes.entries()].sort();
  table(all.filter(([k]) => !k.startsWith("on first focus")), "first visit", `   aim: <= ${kb(FIRST_VISIT_BUDGET)}`);
  table(all.filter(([k]) => k.startsWith("on first focus")), "then, on the first focus of the editor");
}

const kb = (n: number) => `${(n / 1000).toFixed(0)} kB`;

main().catch(e => { console.error(e instanceof Error ? e.stack ?? e.message : e); process.exit(1); });
