// Layout and accessibility of the sandbox in real Chromium, at a desktop size (1440x900) and a
// phone size (390x844): no page-level horizontal scroll, every results table and picture
// inside its pane, text in pictures at least 11 px, enough editor lines, resizable and
// collapsible panes (pointer and keyboard), one pane at a time behind a real tablist on a
// phone, and axe-core finding no violation in the results pane nor a contrast or focus one on
// the page. A screenshot of each state goes to test-results/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { launch, openApp, serve, setCode, waitRun } from "./harness.js";

const LESSON = "01-first-fault";
const lessonFile = (id: string, p: string) => readFileSync(join(repoRoot(), "lessons", id, p), "utf8");
const SOLUTION = lessonFile(LESSON, "solution/datastore.ts");
const SHOTS = join(repoRoot(), "test-results", "screenshots");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server: RunningServer;
before(async () => { server = await serve(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await server?.close(); });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

/** How far the page scrolls sideways (0 when it does not). */
function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Tables and pictures of the results pane that stick out of it (or of their own scroll box),
 *  SVG text under 11 px on screen, and how far the pane itself scrolls sideways. */
function resultsFit(page: Page): Promise<{ outside: string[]; smallText: string[]; paneOverflow: number }> {
  return page.evaluate(() => {
    const pane = document.getElementById("results")!;
    const pr = pane.getBoundingClientRect();
    const outside: string[] = [];
    for (const el of Array.from(pane.querySelectorAll<HTMLElement | SVGElement>("table, svg, .strip, pre, .banner"))) {
      if ((el as HTMLElement).closest("details:not([open])")) continue;
      const box = el.closest(".table-scroll") ?? el;
      const r = box.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < pr.left - 1 || r.right > pr.right + 1) outside.push(`${el.tagName.toLowerCase()}.${(el as HTMLElement).className?.toString() ?? ""} ${Math.round(r.width)}px in a ${Math.round(pr.width)}px pane`);
    }
    const smallText: string[] = [];
    for (const t of Array.from(pane.querySelectorAll<SVGTextElement>("svg text"))) {
      const svg = t.ownerSVGElement!;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < 11) smallText.push(`${t.textContent}: ${px.toFixed(1)}px`);
    }
    return { outside, smallText, paneOverflow: pane.scrollWidth - pane.clientWidth };
  });
}

type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
async function axe(page: Page, selector?: string): Promise<AxeResult["violations"]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(async sel => {
    const a = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<AxeResult> } }).axe;
    return a.run(sel ? { include: [sel] } : document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] } });
  }, selector);
  return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target })) }));
}
const CONTRAST_OR_FOCUS = /color-contrast|focus|tabindex|scrollable-region|nested-interactive|aria-hidden-focus/;

test("desktop 1440x900: panes fit, resize by pointer and keyboard, collapse; 25+ editor lines; results fit; axe-core is clean", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    await shot(page, "desktop-1-start");
    assert.equal(await pageOverflow(page), 0, "no horizontal scroll at load");
    const lines = await page.evaluate(() => {
      const ed = document.querySelector<HTMLElement>(".monaco-editor")!;
      const line = document.querySelector<HTMLElement>(".monaco-editor .view-line")!;
      return Math.floor(ed.getBoundingClientRect().height / line.getBoundingClientRect().height);
    });
    assert.ok(lines >= 25, `${lines} editor lines visible`);
    // the editor's toolbar is one row at the default widths; the short label keeps its whole name
    const tops = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>(".toolbar > button, .toolbar .tab"))
      .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().top));
    assert.ok(Math.max(...tops) - Math.min(...tops) < 10, `the toolbar wraps (tops ${tops.join(", ")})`);
    await page.getByRole("button", { name: "Reset to starter" }).waitFor();

    // the starter: failing checks, a killed task, open scenarios with pictures
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    await shot(page, "desktop-2-starter-results");
    const results = page.getByRole("region", { name: "Results" });
    const text = await results.innerText();
    assert.match(text, /app was killed by SIGBUS at step 1/, "the results say what happened");
    assert.match(text, /not run: a was killed by SIGBUS at step 2/, "a killed task's later step is 'not run' with the reason");
    assert.doesNotMatch(text, /details are shown after the due date/);
    let fit = await resultsFit(page);
    assert.deepEqual(fit.outside, [], "every table and picture is inside the results pane");
    assert.deepEqual(fit.smallText, [], "picture text is at least 11 px");
    assert.ok(fit.paneOverflow <= 0, `the results pane does not scroll sideways (${fit.paneOverflow}px)`);
    assert.equal(await pageOverflow(page), 0);

    const paneViolations = await axe(page, "#results");
    assert.deepEqual(paneViolations, [], `axe-core on the results pane: ${JSON.stringify(paneViolations)}`);
    const pageViolations = (await axe(page)).filter(v => CONTRAST_OR_FOCUS.test(v.id));
    assert.deepEqual(pageViolations, [], `axe-core contrast/focus on the page: ${JSON.stringify(pageViolations)}`);

    // keyboard resize: the separator's value and the pane's width follow the arrow keys
    const sep = page.getByRole("separator", { name: "Width of the lesson pane" });
    const width = (id: string) => page.locator(`#${id}`).evaluate(e => e.getBoundingClientRect().width);
    const v0 = Number(await sep.getAttribute("aria-valuenow"));
    const w0 = await width("lesson-pane");
    await sep.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(Number(await sep.getAttribute("aria-valuenow")), v0 + 4);
    assert.ok(await width("lesson-pane") > w0 + 40, "the lesson pane grew");
    await page.keyboard.press("Home");
    assert.equal(await sep.getAttribute("aria-valuenow"), await sep.getAttribute("aria-valuemin"));
    // pointer resize of the results pane
    const rsep = page.getByRole("separator", { name: "Width of the results pane" });
    const r0 = await width("results");
    const box = (await rsep.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x - 150, box.y + 200, { steps: 5 });
    await page.mouse.up();
    assert.ok(await width("results") > r0 + 100, "dragging the separator widened the results pane");
    fit = await resultsFit(page);
    assert.deepEqual([fit.outside, fit.smallText], [[], []], "the pictures redraw for the new width");
    await shot(page, "desktop-3-resized");
    // collapse and restore the lesson pane
    const toggle = page.getByRole("button", { name: "Hide lesson" });
    const e0 = await width("editor-pane");
    await toggle.click();
    assert.equal(await page.getByRole("button", { name: "Show lesson" }).getAttribute("aria-expanded"), "false");
    assert.ok(await width("editor-pane") > e0 + 100, "the editor took the lesson pane's room");
    await shot(page, "desktop-4-lesson-collapsed");
    await page.getByRole("button", { name: "Show lesson" }).click();
    assert.equal(await page.getByRole("button", { name: "Hide lesson" }).getAttribute("aria-expanded"), "true");

    // a compile error: shown once, its file:line is a link that moves the cursor there
    const bad = SOLUTION.split("\n");
    const at = bad.findIndex(l => /export function vvar_fault/.test(l)) + 2;
    bad.splice(at - 1, 0, "  let broken = ;");
    await setCode(page, bad.join("\n"));
    assert.equal(await page.locator("#results-body.stale").count(), 1, "an edit marks the results stale");
    // stale results say so in words, and stay readable: axe-core finds nothing in the pane, in
    // the light and the dark scheme (they were faded below AA contrast)
    const note = page.locator("#results-stale");
    assert.ok(await note.isVisible(), "the stale note is shown");
    assert.match(await note.innerText(), /earlier version of your code/);
    await shot(page, "desktop-4b-stale");
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const stale = await axe(page, "#results");
      assert.deepEqual(stale, [], `axe-core on the stale results (${colorScheme}): ${JSON.stringify(stale)}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 2);
    await shot(page, "desktop-5-compile-error");
    const diag = page.getByRole("list", { name: "Compiler messages" }).getByRole("listitem");
    const items = await diag.allInnerTexts();
    assert.equal(new Set(items).size, items.length, `each compiler message once: ${items.join(" | ")}`);
    assert.equal((await results.innerText()).split(items[0]).length - 1, 1, "the message is not repeated in a banner");
    await diag.first().getByRole("link").click();
    const cur = await page.evaluate(() => (window as unknown as { __prefault: { cursor(): { file: string; line: number } } }).__prefault.cursor());
    assert.deepEqual([cur.file, cur.line], ["datastore.ts", at]);

    // full marks: a Next lesson button; reload keeps the results; the next lesson starts clean
    await setCode(page, SOLUTION);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 3);
    await shot(page, "desktop-6-passed");
    assert.equal(await page.locator("#results-body.stale").count(), 0);
    const next = page.getByRole("button", { name: /^Next lesson: / });
    await page.getByRole("button", { name: "Share link" }).click();
    await page.reload();
    await openApp(page, page.url());
    assert.match(await page.locator("#results-summary").innerText(), /All checks passed/, "the results survive a reload");
    assert.equal(await page.locator("#results-body.stale").count(), 0);
    await next.click();
    await page.waitForFunction(() => location.hash.includes("02-"));
    assert.equal(await page.locator("#results-summary").count(), 0, "lesson 02 shows none of lesson 01's results");
    assert.equal(await page.getByRole("textbox", { name: "Share link" }).count(), 0);
    assert.equal(await page.locator("#status").innerText(), "");
    // the lesson link names its progress once
    const nav = await page.getByRole("navigation", { name: "Lessons" }).ariaSnapshot();
    assert.match(nav, /link "[^"(,]*1\. The first fault ?, done"/, nav);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("phone 390x844: one pane at a time behind a tablist, no sideways scroll, the editor takes clicks, the results fit", async () => {
  const b = await launch({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    await shot(page, "phone-0-start");
    const wide = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>("body *"))
      .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && e.offsetParent !== null && !e.closest(".lesson-list"))
      .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`));
    assert.equal(await pageOverflow(page), 0, `no horizontal scroll on a phone; too wide: ${wide.join(", ")}`);
    const tabs = page.getByRole("tablist", { name: "Panes" }).getByRole("tab");
    assert.deepEqual(await tabs.allInnerTexts(), ["Lesson", "Code", "Results"]);
    const code = page.getByRole("tab", { name: "Code" });
    assert.equal(await code.getAttribute("aria-selected"), "true");
    await shot(page, "phone-1-code");
    // a click on the editor reaches the editor (nothing lies over it)
    await page.locator(".monaco-editor .view-lines").click({ position: { x: 60, y: 40 } });
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest(".monaco-editor")), "the editor has the focus");
    // arrow keys move between the tabs
    await code.focus();
    await page.keyboard.press("ArrowLeft");
    const lessonTab = page.getByRole("tab", { name: "Lesson" });
    assert.equal(await lessonTab.getAttribute("aria-selected"), "true");
    assert.ok(await page.evaluate(() => document.activeElement?.id === "tab-lesson"));
    assert.ok(await page.getByRole("tabpanel", { name: "Lesson" }).isVisible());
    assert.ok(!(await page.locator("#editor-pane").isVisible()), "one pane at a time");
    assert.equal(await pageOverflow(page), 0, "the lesson text fits");
    await shot(page, "phone-2-lesson");
    await page.keyboard.press("End");
    assert.equal(await page.getByRole("tab", { name: /Results/ }).getAttribute("aria-selected"), "true");
    await page.keyboard.press("ArrowRight");
    assert.equal(await lessonTab.getAttribute("aria-selected"), "true", "the arrows wrap around");

    // Run from the Code tab: the Results tab opens with results that fit
    await code.click();
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    assert.equal(await page.getByRole("tab", { name: /Results/ }).getAttribute("aria-selected"), "true");
    await shot(page, "phone-3-results");
    const fit = await resultsFit(page);
    assert.deepEqual(fit.outside, []);
    assert.deepEqual(fit.smallText, []);
    assert.ok(fit.paneOverflow <= 0, `the results pane does not scroll sideways (${fit.paneOverflow}px)`);
    assert.equal(await pageOverflow(page), 0);
    await page.locator("#results").evaluate(e => { e.scrollTop = e.scrollHeight / 2; });
    await shot(page, "phone-4-results-scrolled");
    const violations = (await axe(page)).filter(v => CONTRAST_OR_FOCUS.test(v.id));
    assert.deepEqual(violations, [], JSON.stringify(violations));
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
