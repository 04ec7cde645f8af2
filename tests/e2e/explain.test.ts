// The step-through in real Chromium: run lesson 01's solution, click the fault of the timeline,
// see the call chain (the same lines `prefault run --explain` prints for the same run, made here
// with the real asc and kernel), the learner's lines highlighted in Monaco, a link that moves the
// cursor there; a step's own button opens it too; axe-core finds nothing in the panel; no
// horizontal scroll at 1440x900 nor at 390x844. Screenshots in test-results/screenshots/explain/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { explainStep, type StepWalk } from "../../engine/explain.js";
import type { Scenario } from "../../engine/types.js";
import { compile, run } from "../model/helpers.js";
import { launch, openApp, serve, setCode, waitRun } from "./harness.js";

/** the learner's line of each kernel call, as `prefault run` and the browser ask for */
const SITES = { callSites: true };
const LESSON = "01-first-fault";
const lessonFile = (p: string) => readFileSync(join(repoRoot(), "lessons", LESSON, p), "utf8");
const SOLUTION = lessonFile("solution/datastore.ts");
const SCENARIO = JSON.parse(lessonFile("scenarios/first-fault.json")) as Scenario;
const SHOTS = join(repoRoot(), "test-results", "screenshots", "explain");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server: RunningServer;
let expected: StepWalk;
before(async () => {
  server = await serve();
  mkdirSync(SHOTS, { recursive: true });
  // the walk the CLI prints for this run (cli/run-explain.ts prints explainLines() of it)
  expected = explainStep(run(await compile(SOLUTION), SCENARIO, SITES), 1, SCENARIO);
});
after(async () => { await server?.close(); });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
async function axe(page: Page, selector: string): Promise<AxeResult["violations"]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(async sel => {
    const a = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<AxeResult> } }).axe;
    return a.run({ include: [sel] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] } });
  }, selector);
  return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target })) }));
}

// WCAG 2 contrast of the text of every highlighted editor line against what is drawn behind it:
// the editor's background under the line's decorations (Monaco draws them in an overlay layer
// under the text, one row per line at the text row's height)
async function highlightContrast(page: Page): Promise<{ lines: number; worst: { ratio: number; text: string; fg: string; bg: string; under: string } | null }> {
  return page.evaluate(() => {
    const rgba = (c: string): number[] => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
    };
    const over = (top: number[], under: number[]): number[] =>
      [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map(x => { const s = x / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: number[], b: number[]) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const editor = document.querySelector<HTMLElement>(".monaco-editor:not(.monaco-diff-editor .monaco-editor)")!;
    const base = over(rgba(getComputedStyle(editor.querySelector(".monaco-editor-background") ?? editor).backgroundColor), [255, 255, 255, 1]);
    let worst: { ratio: number; text: string; fg: string; bg: string; under: string } | null = null;
    let lines = 0;
    for (const deco of Array.from(editor.querySelectorAll<HTMLElement>(".view-overlays .explain-line"))) {
      const row = deco.parentElement!;
      const top = row.getBoundingClientRect().top;
      const text = Array.from(editor.querySelectorAll<HTMLElement>(".view-lines .view-line")).find(l => Math.abs(l.getBoundingClientRect().top - top) < 1);
      if (!text) continue;
      lines++;
      for (const span of Array.from(text.querySelectorAll<HTMLElement>("span span"))) {
        if (!(span.textContent ?? "").trim()) continue;
        // the decorations of that row under the span (in drawing order) over the editor's background
        const box = span.getBoundingClientRect(), x = box.left + box.width / 2;
        let bg = base;
        const under: string[] = [];
        for (const d of Array.from(row.children)) {
          const r = d.getBoundingClientRect();
          if (x < r.left || x > r.right) continue;
          const c = rgba(getComputedStyle(d).backgroundColor);
          if (c[3] > 0) { bg = over(c, bg); under.push(d.className); }
        }
        const fg = over(rgba(getComputedStyle(span).color), bg);
        const r = ratio(fg, bg);
        if (!worst || r < worst.ratio) worst = { ratio: Math.round(r * 100) / 100, text: span.textContent!, fg: getComputedStyle(span).color,
                                                 bg: `rgb(${bg.slice(0, 3).map(Math.round).join(", ")})`, under: under.join(" | ") };
      }
    }
    return { lines, worst };
  });
}

// the words of the panel that the browser wrapped in their middle: an identifier, a field
// (vmf->pgoff), a number or an address whose text is laid out on more than one line
function brokenWords(page: Page): Promise<string[]> {
  return page.locator("section.explain").evaluate(panel => {
    const out: string[] = [];
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of (n.textContent ?? "").matchAll(/[A-Za-z_0-9]+(?:->[A-Za-z_0-9]+)*/g)) {
        const r = document.createRange();
        r.setStart(n, m.index!);
        r.setEnd(n, m.index! + m[0].length);
        const tops = new Set(Array.from(r.getClientRects()).filter(b => b.width > 0).map(b => Math.round(b.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
    return out;
  });
}

const highlighted = (page: Page) => page.evaluate(() =>
  (window as unknown as { __prefault: { highlighted(): { file: string; line: number }[] } }).__prefault.highlighted());

// what the panel says: its title, the shown fault's title, each node's text, the result
async function panelText(page: Page): Promise<{ title: string; fault: string; nodes: string[]; result: string }> {
  const panel = page.locator("section.explain");
  return {
    title: (await panel.locator("h3").textContent()) ?? "",
    fault: (await panel.locator("h4.explain-title").textContent()) ?? "",
    nodes: await panel.locator("ol.walk[aria-label='Call chain'] > li").allTextContents(),
    result: (await panel.locator(".explain-result").textContent()) ?? "",
  };
}

// runs the solution and opens the first-fault scenario's section
async function runSolution(page: Page): Promise<void> {
  await openApp(page, `${server.url}#lesson=${LESSON}`);
  await setCode(page, SOLUTION);
  await page.locator("#run-btn").click();
  await waitRun(page, 1);
  const section = page.locator("details[data-scenario='first-fault']");
  if (!(await section.evaluate(d => (d as HTMLDetailsElement).open))) await section.locator("summary").click();
  // the section draws its pictures on its "toggle" event, a task after it opens
  await section.locator(".timeline svg").first().waitFor({ state: "attached" });
}

for (const size of [{ name: "desktop", width: 1440, height: 900 }, { name: "phone", width: 390, height: 844 }]) {
  test(`${size.name} ${size.width}x${size.height}: a click on the timeline's fault walks it down the kernel, the editor shows its lines`, async () => {
    const b = await launch({ viewport: { width: size.width, height: size.height } });
    try {
      const { page } = b;
      await runSolution(page);
      const section = page.locator("details[data-scenario='first-fault']");
      const fault = section.locator(".timeline rect.hit[role=button]");
      assert.equal(await fault.count(), 1, "one faulted call on the timeline of first-fault");
      assert.equal(await fault.getAttribute("data-step"), "1");
      await fault.scrollIntoViewIfNeeded();
      await fault.click();
      const panel = page.locator("section.explain");
      await panel.waitFor();
      // the same walk as the terminal's, node for node
      const got = await panelText(page);
      const f = expected.faults[0];
      assert.equal(got.title, `Step through: ${expected.title}`);
      assert.equal(got.fault, f.title);
      assert.deepEqual(got.nodes, f.nodes.map(n => n.text));
      assert.equal(got.result, `=> ${f.result}`);
      // the fault's cost as the rest of the page writes a duration: "20 µs", never "20 us"
      assert.match(got.fault, /, 20 µs$/);
      assert.doesNotMatch(await panel.innerText(), /\d us\b/);
      assert.ok(got.nodes.some(t => /^vvar_fault\(sm, vma, vmf\)/.test(t)) && got.nodes.some(t => /^finish_fault\(vmf\)/.test(t)));
      assert.equal(await page.evaluate(() => document.activeElement?.closest("section.explain") !== null), true, "focus moves to the panel");
      // the learner's lines of this fault, highlighted in Monaco (decorations the editor draws)
      const lines = await highlighted(page);
      assert.deepEqual(lines, f.lines.map(l => ({ file: "datastore.ts", line: l.line })).sort((a, c) => a.line - c.line));
      assert.ok(lines.length > 0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, "no page-level horizontal scroll with the panel open");
      const paneOverflow = await page.evaluate(() => { const p = document.getElementById("results")!; return p.scrollWidth - p.clientWidth; });
      assert.equal(paneOverflow, 0, "the panel fits its pane");
      // lines wrap between words (at a space, after a '|' or ','), never inside an identifier; a
      // word longer than the line scrolls inside the panel
      assert.deepEqual(await brokenWords(page), [], "no word of the panel is split over two lines");
      assert.deepEqual(await axe(page, "section.explain"), []);
      await panel.screenshot({ path: join(SHOTS, `${size.name}-panel.png`) });
      await shot(page, `${size.name}-1-panel`);
      // a learner call's link goes to its line in the editor
      const link = panel.locator("a.loc").first();
      const where = (await link.textContent())!.match(/datastore\.ts:(\d+)$/)!;
      await link.click();
      const cursor = await page.evaluate(() => (window as unknown as { __prefault: { cursor(): { file: string; line: number } } }).__prefault.cursor());
      assert.deepEqual({ file: cursor.file, line: cursor.line }, { file: "datastore.ts", line: Number(where[1]) });
      const drawn = await page.locator(".monaco-editor .explain-line").count();
      assert.ok(drawn > 0, "Monaco draws the highlighted lines");
      await shot(page, `${size.name}-2-editor`);
      // the code on a highlighted line keeps AA contrast (4.5:1), in the light and the dark theme
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        await page.waitForFunction(dark => {
          const bg = getComputedStyle(document.querySelector(".monaco-editor .monaco-editor-background")!).backgroundColor;
          const [r] = (bg.match(/\d+/g) ?? ["0"]).map(Number);
          return dark ? r < 128 : r >= 128;
        }, colorScheme === "dark");
        const c = await highlightContrast(page);
        assert.ok(c.lines > 0, `${colorScheme}: highlighted lines on screen`);
        assert.ok(c.worst && c.worst.ratio >= 4.5, `${colorScheme}: the text of a highlighted line has contrast ${JSON.stringify(c.worst)}`);
        await shot(page, `${size.name}-2-editor-${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: "light" });
      assert.deepEqual(b.errors, []);
    } finally { await b.close(); }
  });
}

test("a step's button opens the walk of any step: a step with no fault says so; Close clears the highlight", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    await runSolution(page);
    const section = page.locator("details[data-scenario='first-fault']");
    await section.locator("li.step[data-step='2'] button.explain-step").click();
    const panel = page.locator("section.explain");
    await panel.waitFor();
    assert.equal(await panel.locator("h3").textContent(), "Step through: step 2: clock_gettime app CLOCK_MONOTONIC x1000");
    assert.match((await panel.locator(".explain-note").allTextContents()).join("\n"), /no page fault in this step/);
    assert.deepEqual(await highlighted(page), []);
    await section.locator("li.step[data-step='1'] button.explain-step").click();
    assert.equal(await page.locator("section.explain").count(), 1, "one panel at a time");
    assert.deepEqual((await panelText(page)).nodes, expected.faults[0].nodes.map(n => n.text));
    assert.ok((await highlighted(page)).length > 0);
    await shot(page, "desktop-3-step");
    await page.locator("section.explain button.explain-close").click();
    assert.equal(await page.locator("section.explain").count(), 0);
    assert.deepEqual(await highlighted(page), []);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

// opens the section of `scenario` and the walk of its step `step` (its own button)
async function walkStep(page: Page, scenario: string, step: number): Promise<void> {
  const section = page.locator(`details[data-scenario='${scenario}']`);
  if (!(await section.evaluate(d => (d as HTMLDetailsElement).open))) await section.locator("summary").click();
  await section.locator(`li.step[data-step='${step}'] button.explain-step`).click();
  await page.locator("section.explain h4.explain-title").waitFor();
}

// whether the results kept in storage carry the learner's line of a kernel call
const keptHaveSites = (page: Page) => page.evaluate(() => Object.entries(localStorage)
  .filter(([k]) => k.includes(":results:")).some(([, v]) => v.includes('"at":{')));

// keeps the stored results as storage does past its size limit (web/src/core/storage.ts
// saveResults: traces emptied, their counts moved into *_dropped), then reloads the page
async function reloadWithoutTraces(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const [k, v] of Object.entries(localStorage)) {
      if (!k.includes(":results:")) continue;
      const x = JSON.parse(v);
      x.view.runs = x.view.runs.map((r: { trace: unknown[]; trace_dropped: number; calls?: unknown[]; calls_dropped?: number }) =>
        ({ ...r, trace: [], trace_dropped: r.trace_dropped + r.trace.length, calls: [], calls_dropped: (r.calls_dropped ?? 0) + (r.calls?.length ?? 0) }));
      localStorage.setItem(k, JSON.stringify(x));
    }
  });
  await page.reload();
  await page.locator("html[data-editor=ready]").waitFor({ state: "attached", timeout: 60_000 });
}

test("after a reload, kept results walk the same, the learner's lines included, even kept without their traces (run again from the code they were made with)", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    await runSolution(page);
    // a Run grades without call sites: the kept results have none until a step-through asks
    assert.equal(await keptHaveSites(page), false, "the kept results carry no call sites yet");
    await page.reload();
    await page.locator("html[data-editor=ready]").waitFor({ state: "attached", timeout: 60_000 });
    await walkStep(page, "first-fault", 1);
    assert.deepEqual((await panelText(page)).nodes, expected.faults[0].nodes.map(n => n.text));
    assert.ok(expected.faults[0].nodes.some(n => n.at), "the expected walk names the learner's lines");
    assert.ok((await highlighted(page)).length > 0);
    // and the kept results now have them
    assert.equal(await keptHaveSites(page), true);
    // results kept without their traces (what storage keeps of results over its size limit): the
    // walk is the same, from the scenario run again, not "the call trace was full"
    await reloadWithoutTraces(page);
    await walkStep(page, "first-fault", 1);
    assert.deepEqual((await panelText(page)).nodes, expected.faults[0].nodes.map(n => n.text));
    assert.ok((await highlighted(page)).length > 0);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("a variant's run (lesson 05, [vvar] without VM_IO) walks with the learner's lines in datastore.ts, this visit and after a reload that kept no traces", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    const lesson = "05-remote-access";
    await openApp(page, `${server.url}#lesson=${lesson}`);
    await setCode(page, readFileSync(join(repoRoot(), "lessons", lesson, "solution", "datastore.ts"), "utf8"));
    await page.locator("#run-btn").click();
    await waitRun(page, 1);
    // remote-ns-unpopulated runs only in the variant: its step 5 is the target's own first fault
    const walk = async () => {
      await walkStep(page, "remote-ns-unpopulated", 5);
      return { text: await panelText(page), lines: await highlighted(page) };
    };
    const first = await walk();
    assert.ok(first.text.nodes.some(t => /^vvar_fault\(sm, vma, vmf\)/.test(t)), first.text.nodes.join("\n"));
    assert.ok(first.lines.length > 0, "the learner's lines are highlighted");
    assert.deepEqual([...new Set(first.lines.map(l => l.file))], ["datastore.ts"], "in the file the learner edits, not the variant's copy");
    // kept without their traces, reloaded: the same walk, from the variant compiled again
    await reloadWithoutTraces(page);
    const again = await walk();
    assert.deepEqual(again.text, first.text);
    assert.deepEqual(again.lines, first.lines);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
