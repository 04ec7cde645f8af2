// "Compare with Linux" in real Chromium: lesson 01's starter beside a stage, step by step, the
// differences highlighted (a mark reading "yours vs stage", a ≠ on the row, "differs" for screen
// readers: not colour alone); every cell equal to the record `prefault run --compare --json`
// prints (one builder, so the terminal and the browser cannot disagree); the stage's module
// the real compiler's output; axe-core clean on the view; no page-level sideways scroll and
// every table inside the pane or scrolling inside itself, at 1440x900 and 390x844.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import type { Page } from "playwright-core";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { COMPARE_FIELDS, type Comparison } from "../../engine/compare.js";
import { launch, openApp, serve, setCode } from "./harness.js";

const LESSON = "01-first-fault";
const ROOT = repoRoot();
const SHOTS = join(ROOT, "test-results", "screenshots", "compare");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const STARTER = join(ROOT, "lessons", LESSON, "starter", "datastore.ts");

let server: RunningServer;
before(async () => { server = await serve(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await server?.close(); });

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [join(ROOT, "bin", "prefault.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}

async function compare(page: Page, stage: string, n: number): Promise<void> {
  await page.getByLabel("Stage", { exact: true }).selectOption(stage);
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await page.locator(`#compare[data-runs="${n}"][data-state="done"]`).waitFor({ state: "attached", timeout: 120_000 });
}

/** What the page shows in each step table: per scenario, per step, per field, the two sides. */
function shownCells(page: Page): Promise<Record<string, { step: number; differs: string; cells: Record<string, { left: string; right: string; differs: boolean }> }[]>> {
  return page.evaluate(() => {
    const out: Record<string, { step: number; differs: string; cells: Record<string, { left: string; right: string; differs: boolean }> }[]> = {};
    for (const d of Array.from(document.querySelectorAll<HTMLElement>("#compare details.compare-scenario"))) {
      out[d.dataset.scenario!] = Array.from(d.querySelectorAll<HTMLElement>("table.compare-steps tbody tr")).map(tr => {
        const cells: Record<string, { left: string; right: string; differs: boolean }> = {};
        for (const td of Array.from(tr.querySelectorAll<HTMLElement>("td[data-field]"))) {
          const m = td.querySelector("mark");
          cells[td.dataset.field!] = m ? { left: m.querySelector(".l")!.textContent!, right: m.querySelector(".r")!.textContent!, differs: true }
            : { left: td.textContent!, right: td.textContent!, differs: false };
        }
        return { step: Number(tr.dataset.step), differs: tr.dataset.differs ?? "", cells };
      });
    }
    return out;
  });
}

/** Tables of the compare view that stick out of the results pane (or of their own scroll box),
 *  and how far the page scrolls sideways. */
function fit(page: Page): Promise<{ outside: string[]; page: number; pane: number }> {
  return page.evaluate(() => {
    const pane = document.getElementById("results")!.getBoundingClientRect();
    const outside: string[] = [];
    for (const t of Array.from(document.querySelectorAll<HTMLElement>("#compare table, #compare .compare-pick"))) {
      if (t.closest("details:not([open])")) continue;
      const box = (t.closest(".table-scroll") ?? t).getBoundingClientRect();
      if (box.left < pane.left - 1 || box.right > pane.right + 1) outside.push(`${t.className} ${Math.round(box.width)}px in ${Math.round(pane.width)}px`);
    }
    const r = document.getElementById("results")!;
    return { outside, page: document.documentElement.scrollWidth - document.documentElement.clientWidth, pane: r.scrollWidth - r.clientWidth };
  });
}

async function axe(page: Page, selector: string) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(async sel => {
    const a = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return a.run({ include: [sel] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] } });
  }, selector);
  return r.violations.map(v => ({ id: v.id, nodes: v.nodes.slice(0, 5).map(n => n.target) }));
}

test("desktop 1440x900: lesson 01's starter beside pre, differences marked, the same cells as the CLI, axe-core clean", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    const picker = page.getByLabel("Stage", { exact: true });
    const offered = await picker.locator("option").evaluateAll(os => os.map(o => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ["v6.18", "pre", "p1", "p2", "p3", "p4", "p5", "p6"], "a self-paced build offers every stage");
    await compare(page, "pre", 1);
    await page.locator("#compare").scrollIntoViewIfNeeded();
    await page.locator("#compare").screenshot({ path: join(SHOTS, "desktop-compare-section.png") });
    await page.screenshot({ path: join(SHOTS, "desktop-1440x900.png") });

    // the starter answers SIGBUS where pre maps the time page: step 1 of first-fault differs in signal
    const shown = await shownCells(page);
    const ff = shown["first-fault"];
    assert.ok(ff, Object.keys(shown).join());
    assert.deepEqual(ff[1].cells.signal, { left: "SIGBUS", right: "-", differs: true });
    assert.match(ff[1].differs, /\bsignal\b/);
    // the highlight is not colour alone: a ≠ on the row, "vs" in the cell, "differs" for screen readers
    const row = page.locator('#compare details[data-scenario="first-fault"] tr[data-step="1"]');
    assert.match(await row.locator("th").innerText(), /^≠\s*1/);
    assert.match(await row.locator('td[data-field="signal"]').innerText(), /^SIGBUS vs -\s*(\(signal differs\))?$/);
    assert.match(await row.locator('td[data-field="signal"] .sr-only').textContent() ?? "", /signal differs/);
    assert.equal(await page.locator('#compare details[data-scenario="first-fault"] tr[data-step="0"] th').innerText(), "0");

    // the very cells `prefault run --compare pre --json` prints for the same handler and scenario
    for (const name of Object.keys(shown)) {
      const r = await cli(["run", join(ROOT, "lessons", LESSON, "scenarios", `${name}.json`), "--datastore", STARTER, "--compare", "pre", "--json"]);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const rec = (JSON.parse(r.stdout) as Comparison).scenarios[0];
      assert.deepEqual(shown[name].map(s => s.step), rec.steps.map(s => s.index), name);
      rec.steps.forEach((s, i) => {
        assert.equal(shown[name][i].differs, s.differs.join(" "), `${name} step ${i}`);
        for (const f of COMPARE_FIELDS) assert.deepEqual(shown[name][i].cells[f.key], s.cells[f.key], `${name} step ${i} ${f.key}`);
      });
    }
    const pageRecord = await page.evaluate(() => (window as unknown as { __prefault: { lastComparison(): Comparison | null } }).__prefault.lastComparison());
    assert.equal(pageRecord?.right, "stage pre");
    assert.equal(pageRecord?.same, false);

    // the stage's module is what the real compiler makes of stages/pre/datastore.ts
    const wasmUrls = await page.evaluate(() => performance.getEntriesByType("resource").map(e => e.name).filter(n => /\/assets\/(pre|p1)-[^/]*\.wasm$/.test(n)));
    assert.equal(wasmUrls.length, 1, "one stage module fetched, on Compare");
    const shipped = Buffer.from(await page.evaluate(async u => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer())), wasmUrls[0]));
    const c = await compileDatastore(asc as unknown as AscModule, { "datastore.ts": readFileSync(join(ROOT, "stages", "pre", "datastore.ts"), "utf8") });
    assert.ok(c.ok);
    // the same module up to binaryen's log-execution ids: that pass numbers its calls with a counter
    // that lives as long as the process (a build compiles several stages), and the fuel meter
    // ignores the number (docs/compare.md); so: the same imports and exports, the same size give
    // or take the ids' LEB128 bytes, and (above) the same cells as the CLI's own compile
    const shape = (b: Uint8Array) => { const m = new WebAssembly.Module(b as BufferSource); return { imports: WebAssembly.Module.imports(m), exports: WebAssembly.Module.exports(m) }; };
    assert.deepEqual(shape(shipped), shape(c.wasm));
    assert.ok(Math.abs(shipped.length - c.wasm.length) < 256, `${shipped.length} vs ${c.wasm.length} bytes`);

    const v = await axe(page, "#compare");
    assert.deepEqual(v, [], `axe-core on the compare view: ${JSON.stringify(v)}`);
    const f = await fit(page);
    assert.deepEqual(f.outside, [], "every compare table is inside the results pane or scrolls inside itself");
    assert.equal(f.page, 0, "no page-level horizontal scroll");
    assert.ok(f.pane <= 0, `the results pane does not scroll sideways (${f.pane}px)`);

    // an edit marks the comparison stale; comparing the solution-like p6 again replaces it
    await setCode(page, (await page.evaluate(() => (window as unknown as { __prefault: { getCode(): string } }).__prefault.getCode())) + "\n// edited\n");
    assert.equal(await page.locator("#compare-out.stale").count(), 1);
    assert.ok(await page.getByText("Your code has changed since this comparison").isVisible());
    await compare(page, "p6", 2);
    assert.equal(await page.locator("#compare-out.stale").count(), 0);
    assert.match(await page.locator("#compare-status").innerText(), /your handler and stage p6 differ in \d of 5 scenarios/);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("phone 390x844: the compare view in the Results tab fits; its tables scroll inside themselves", async () => {
  const b = await launch({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    await page.getByRole("tab", { name: /Results/ }).click();
    await compare(page, "v6.18", 1);
    await page.locator("#compare").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "phone-390x844.png") });
    await page.locator("#compare").screenshot({ path: join(SHOTS, "phone-compare-section.png") });
    const f = await fit(page);
    assert.deepEqual(f.outside, []);
    assert.equal(f.page, 0, "no page-level horizontal scroll");
    assert.ok(f.pane <= 0, `the results pane does not scroll sideways (${f.pane}px)`);
    // a wide table scrolls in its own focusable region
    const scrollers = await page.locator("#compare .table-scroll").evaluateAll(els => els.map(e => ({ wide: e.scrollWidth > e.clientWidth, tab: e.getAttribute("tabindex"), role: e.getAttribute("role") })));
    assert.ok(scrollers.some(s => s.wide), "at 390 px the step table is wider than the pane and scrolls inside itself");
    assert.ok(scrollers.every(s => s.tab === "0" && s.role === "region"));
    assert.ok((await page.locator("#compare tr.differs").count()) > 0);
    const v = await axe(page, "#compare");
    assert.deepEqual(v, [], `axe-core on the compare view: ${JSON.stringify(v)}`);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
