// The learner's view in real Chromium, at a desktop size (1440x900) and a phone size (390x844):
// where focus goes after "Next lesson" and "Skip to the editor", which phone tab they open, the
// lesson chips scrolled to the current lesson, a compile error's link scrolling its line into
// the editor's view, the phone tabs inside a landmark, the results splitter's ARIA values and
// keys (the WAI-ARIA window splitter pattern), the solution diff's labels and its "no
// differences" note, a file:line link closing an open diff to show its line in the editor, and
// the editor's stylesheet fetched once (its preload used).
// Screenshots go to test-results/screenshots/learner-*.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { launch, openApp, serve, setCode, waitRun } from "./harness.js";

const lessonFile = (id: string, p: string) => readFileSync(join(repoRoot(), "lessons", id, p), "utf8");
const SOLUTION = lessonFile("01-first-fault", "solution/datastore.ts");
const SHOTS = join(repoRoot(), "test-results", "screenshots");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server: RunningServer;
before(async () => { server = await serve(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await server?.close(); });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `learner-${name}.png`) });

/** The focused element, as "tag#id" (inside Monaco: "monaco"). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a) return "none";
    if (a.closest(".monaco-editor")) return "monaco";
    return `${a.tagName.toLowerCase()}${a.id ? "#" + a.id : ""}`;
  });
}

/** Whether element `sel` lies wholly inside the visible box of its scroll container `box`. */
function within(page: Page, sel: string, box: string): Promise<boolean> {
  return page.evaluate(([s, b]) => {
    const e = document.querySelector(s)!.getBoundingClientRect(), c = document.querySelector(b)!.getBoundingClientRect();
    return e.width > 0 && e.left >= c.left - 1 && e.right <= c.right + 1 && e.top >= c.top - 1 && e.bottom <= c.bottom + 1;
  }, [sel, box]);
}

/** The editor's line number `n`, if Monaco draws it inside the editor's visible box. */
function lineShown(page: Page, n: number): Promise<boolean> {
  return page.evaluate(line => {
    const ed = document.querySelector(".monaco-editor")!.getBoundingClientRect();
    return Array.from(document.querySelectorAll<HTMLElement>(".monaco-editor .line-numbers")).some(el => {
      if (el.textContent?.trim() !== String(line)) return false;
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= ed.top && r.bottom <= ed.bottom;
    });
  }, n);
}

type Violation = { id: string; nodes: { target: string[] }[] };
async function axe(page: Page, rules?: string[]): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async only => {
    const a = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const r = await a.run(document, only ? { runOnly: { type: "rule", values: only } }
      : { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] } });
    return r.violations.map(v => ({ id: v.id, nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target as string[] })) }));
  }, rules);
}

type Sep = { now: number; min: number; max: number; text: string | null; x: number };
function separator(page: Page, id: string): Promise<Sep> {
  return page.locator(`#${id}`).evaluate(e => ({ now: Number(e.getAttribute("aria-valuenow")), min: Number(e.getAttribute("aria-valuemin")),
    max: Number(e.getAttribute("aria-valuemax")), text: e.getAttribute("aria-valuetext"), x: e.getBoundingClientRect().left }));
}
/** A pane's width in % of the layout's. */
function widthPct(page: Page, id: string): Promise<number> {
  return page.evaluate(i => document.getElementById(i)!.getBoundingClientRect().width / document.getElementById("layout")!.getBoundingClientRect().width * 100, id);
}

test("desktop 1440x900: the results splitter's values are its real limits and its keys move it their way; the diff is labelled and says when there is no difference; Next lesson and Skip to the editor put the focus somewhere", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    page.on("dialog", d => void d.accept());            // "you have not passed this lesson yet"
    await openApp(page, `${server.url}#lesson=01-first-fault`);

    // ---- the results splitter: its value is where it is (per cent of the layout from the left)
    const rs = page.getByRole("separator", { name: "Width of the results pane" });
    let s = await separator(page, "split-results");
    assert.ok(Math.abs(100 - s.now - await widthPct(page, "results")) < 1.5, `value ${s.now} is where the splitter is`);
    assert.match(s.text ?? "", /^results pane \d+ ?% wide$/, "the value in words: the pane's width");
    await rs.focus();
    const x0 = s.x, v0 = s.now;
    await page.keyboard.press("ArrowRight");
    s = await separator(page, "split-results");
    assert.equal(s.now, v0 + 2, "ArrowRight raises the value");
    assert.ok(s.x > x0 + 10, "... and moves the splitter right");
    await page.keyboard.press("ArrowUp");
    assert.equal((await separator(page, "split-results")).now, v0 + 4, "ArrowUp raises it too");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowDown");
    s = await separator(page, "split-results");
    assert.equal(s.now, v0, "ArrowLeft and ArrowDown lower it");
    assert.ok(Math.abs(s.x - x0) < 2);
    // Home and End reach the limits the separator states, and the keys stop there
    await page.keyboard.press("Home");
    s = await separator(page, "split-results");
    assert.equal(s.now, s.min);
    const widest = await widthPct(page, "results");
    assert.ok(Math.abs(100 - s.min - widest) < 1.5, `valuemin ${s.min}: the results pane at its widest (${widest.toFixed(1)} %)`);
    await page.keyboard.press("ArrowLeft");
    assert.equal((await separator(page, "split-results")).now, s.min, "no further than the minimum");
    assert.ok(await widthPct(page, "results") < widest + 0.5);
    await page.keyboard.press("End");
    s = await separator(page, "split-results");
    assert.equal(s.now, s.max);
    assert.ok(Math.abs(100 - s.max - await widthPct(page, "results")) < 1.5, `valuemax ${s.max}: the results pane at its narrowest`);
    await page.keyboard.press("ArrowRight");
    assert.equal((await separator(page, "split-results")).now, s.max, "no further than the maximum");
    // a wider lesson pane leaves the results less room: the results splitter says so
    await page.keyboard.press("Home");
    await page.getByRole("separator", { name: "Width of the lesson pane" }).focus();
    await page.keyboard.press("End");
    const lesson = await separator(page, "split-lesson");
    assert.equal(lesson.now, lesson.max);
    assert.ok(Math.abs(lesson.max - await widthPct(page, "lesson-pane")) < 1.5, "the lesson splitter's maximum is real");
    s = await separator(page, "split-results");
    const room = await widthPct(page, "results");
    assert.ok(Math.abs(100 - s.min - room) < 1.5, `with the lesson pane at ${lesson.max} %, the results pane's widest (${room.toFixed(1)} %) is valuemin ${s.min}`);
    assert.equal(s.now, s.min);
    await rs.focus();
    await page.keyboard.press("ArrowLeft");
    assert.equal((await separator(page, "split-results")).now, s.min);
    await page.getByRole("separator", { name: "Width of the lesson pane" }).focus();
    await page.keyboard.press("Home");
    await shot(page, "desktop-1-splitters");

    // ---- the solution diff: both sides named, no unnamed or roleless labels, no difference said
    await setCode(page, SOLUTION);
    await page.getByRole("button", { name: "Compare with solution" }).click();
    await page.locator(".monaco-diff-editor").first().waitFor({ timeout: 15_000 });
    const note = page.locator("#diff-note");
    await page.waitForFunction(() => /No differences/.test(document.getElementById("diff-note")?.textContent ?? ""), undefined, { timeout: 15_000 });
    assert.equal(await note.getAttribute("role"), "status");
    assert.ok(await note.isVisible(), "the note is on screen");
    const labels = await page.evaluate(() => {
      const d = document.querySelector(".monaco-diff-editor")!;
      return { empty: Array.from(d.querySelectorAll("[aria-label='']")).map(e => e.outerHTML.slice(0, 80)),
        roleless: Array.from(document.querySelectorAll<HTMLElement>("#editor-pane div[aria-label]:not([role])")).map(e => e.outerHTML.slice(0, 120)),
        editors: Array.from(d.querySelectorAll<HTMLElement>("textarea[aria-label], .native-edit-context[aria-label]")).map(e => e.getAttribute("aria-label")) };
    });
    assert.deepEqual(labels.empty, [], "no element of the diff has an empty aria-label");
    assert.deepEqual(labels.roleless, [], "no div of the editor pane has an aria-label without a role");
    assert.ok(labels.editors.some(l => /^Solution/.test(l ?? "")) && labels.editors.some(l => /^Your code/.test(l ?? "")), `the two sides: ${labels.editors.join(" | ")}`);
    assert.ok(await page.getByRole("region", { name: /solution .*your code/i }).isVisible(), "the comparison is a named region");
    await shot(page, "desktop-2-diff-same");
    const diffAxe = (await axe(page, ["aria-prohibited-attr", "aria-allowed-attr", "aria-valid-attr-value", "empty-heading", "landmark-unique", "region"]));
    assert.deepEqual(diffAxe, [], JSON.stringify(diffAxe));
    // a difference: the note says there is one
    await setCode(page, SOLUTION.replace("export function vvar_fault", "// changed\nexport function vvar_fault"));
    await page.waitForFunction(() => !/No differences/.test(document.getElementById("diff-note")?.textContent ?? ""), undefined, { timeout: 15_000 });
    assert.match(await note.innerText(), /1 change/);
    await page.getByRole("button", { name: "Close comparison" }).click();
    assert.equal(await page.locator(".monaco-diff-editor").count(), 0);

    // ---- Skip to the editor: the editor has the focus, the lesson link stays in the address
    await page.locator("a.skip").focus();
    assert.ok(await page.locator("a.skip").isVisible(), "the link shows when it has the focus");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "monaco", "the editor has the focus");
    assert.match(page.url(), /#lesson=01-first-fault$/);

    // ---- pass, then Next lesson: lesson 2's heading has the focus
    await setCode(page, SOLUTION);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    await page.getByRole("button", { name: /^Next lesson: / }).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash.includes("02-"));
    assert.equal(await focused(page), "h2#lesson-title", "the new lesson's heading has the focus");
    assert.match(await page.locator("#lesson-title").innerText(), /namespace/i);
    assert.ok(await within(page, "#lesson-title", "#lesson-pane"), "the heading is in view");
    await shot(page, "desktop-3-next-lesson");
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("desktop 1440x900: with the solution diff open, a step-through link, a compile error's link and an oops link close the comparison and show their line in the editor, the cursor on it", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    page.on("dialog", d => void d.accept());            // "you have not passed this lesson yet"
    await openApp(page, `${server.url}#lesson=01-first-fault`);
    const compare = async () => {
      await page.getByRole("button", { name: "Compare with solution" }).click();
      await page.locator(".monaco-diff-editor").first().waitFor({ timeout: 15_000 });
    };
    // a click on `link`, a link to line `line` of datastore.ts: no comparison left on screen, the
    // editor shows that line with the cursor on it and has the focus
    const follow = async (link: ReturnType<Page["locator"]>, line: number, what: string) => {
      await link.scrollIntoViewIfNeeded();
      await link.click();
      assert.equal(await page.locator(".monaco-diff-editor").count(), 0, `${what}: the comparison is closed`);
      assert.equal(await page.locator("#diff-btn").innerText(), "Compare with solution", `${what}: the button opens it again`);
      const cur = await page.evaluate(() => (window as unknown as { __prefault: { cursor(): { file: string; line: number } } }).__prefault.cursor());
      assert.deepEqual([cur.file, cur.line], ["datastore.ts", line], `${what}: the cursor`);
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));   // Monaco draws on the next frame
      assert.ok(await lineShown(page, line), `${what}: line ${line} is on screen`);
      assert.equal(await focused(page), "monaco", `${what}: the editor has the focus`);
    };

    // the step-through's link to a line of the learner's that called the kernel
    await setCode(page, SOLUTION);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    await compare();
    const section = page.locator("details[data-scenario='first-fault']");
    if (!(await section.evaluate(d => (d as HTMLDetailsElement).open))) await section.locator("summary").click();
    await section.locator("li.step[data-step='1'] button.explain-step").click();
    const step = page.locator("section.explain a.loc").first();
    await step.waitFor();
    await follow(step, Number((await step.textContent())!.match(/datastore\.ts:(\d+)$/)![1]), "the step-through's link");
    await shot(page, "desktop-4-diff-closed-by-link");

    // a compile error far down the file
    const lines = SOLUTION.split("\n");
    const at = lines.length + 81;
    await setCode(page, [...lines, ...Array.from({ length: 80 }, (_, i) => `// padding ${i + 1}`), "let broken = ;", ""].join("\n"));
    await compare();
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 2);
    assert.equal(await page.locator(".monaco-diff-editor").count(), 1, "a Run leaves the comparison open");
    await follow(page.getByRole("list", { name: "Compiler messages" }).getByRole("link", { name: new RegExp(`^datastore\\.ts:${at}:`) }).first(),
      at, "the compile error's link");

    // a kernel oops in the learner's code
    const oops = SOLUTION.split("\n");
    const trap = oops.findIndex(l => /export function vvar_fault/.test(l)) + 2;
    oops.splice(trap - 1, 0, "  unreachable();");
    await setCode(page, oops.join("\n"));
    await compare();
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 3);
    await follow(page.getByRole("region", { name: "Results" }).locator(`a.loc[title="Go to line ${trap} of datastore.ts"]`).first(), trap, "the oops's link");

    // a lesson switch with the comparison open: it goes, and the button says it opens it again
    await compare();
    await page.locator("#lesson-list a[href='#lesson=02-time-namespaces']").click();
    await page.locator("#lesson-title", { hasText: "Time namespaces" }).waitFor();
    assert.equal(await page.locator(".monaco-diff-editor").count(), 0, "a lesson switch closes the comparison");
    assert.equal(await page.locator("#diff-btn").innerText(), "Compare with solution", "after a lesson switch the button opens it again");
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("phone 390x844: the chips show the current lesson; the tabs are in a landmark; Skip to the editor opens Code; a compile error's link scrolls its line into view; Next lesson opens the Lesson tab", async () => {
  const b = await launch({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = b;
    // the last lesson's chip is off the row's right end unless the row is scrolled to it
    await openApp(page, `${server.url}#lesson=06-mlockall`);
    assert.ok(await page.locator("#lesson-list").evaluate(e => e.scrollWidth > e.clientWidth + 40), "the chips overflow their row");
    assert.ok(await within(page, '#lesson-list a[aria-current="page"]', "#lesson-list"), "lesson 6's chip is in view");
    await shot(page, "phone-1-chips");
    await page.locator("#lesson-list a[data-lesson='01-first-fault']").click();
    await page.waitForFunction(() => document.getElementById("lesson-title")?.textContent?.includes("first fault") ?? false);
    assert.ok(await within(page, '#lesson-list a[aria-current="page"]', "#lesson-list"), "lesson 1's chip is in view");

    // the tablist is inside a landmark: axe's "region" rule finds nothing outside one
    assert.ok(await page.locator("#pane-tabs").evaluate(e => !!e.closest("main, nav, [role=main], [role=navigation]")), "the tablist is inside a landmark");
    const region = await axe(page, ["region", "landmark-one-main", "landmark-unique", "aria-required-children", "aria-required-parent"]);
    assert.deepEqual(region, [], JSON.stringify(region));
    assert.equal(await page.getByRole("main").getByRole("tablist", { name: "Panes" }).count(), 1);

    // Skip to the editor, from the Lesson tab
    await page.getByRole("tab", { name: "Lesson" }).click();
    assert.ok(!(await page.locator("#editor-pane").isVisible()));
    await page.locator("a.skip").focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.getByRole("tab", { name: "Code" }).getAttribute("aria-selected"), "true", "the Code tab is open");
    assert.ok(await page.locator("#editor-pane").isVisible());
    assert.equal(await focused(page), "monaco", "the editor has the focus");
    await shot(page, "phone-2-skipped");

    // a compile error far down the file: its link opens Code with that line on screen
    const lines = SOLUTION.split("\n");
    const bad = [...lines, ...Array.from({ length: 80 }, (_, i) => `// padding ${i + 1}`), "let broken = ;", ""];
    const at = lines.length + 81;
    await setCode(page, bad.join("\n"));
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    assert.equal(await page.getByRole("tab", { name: /Results/ }).getAttribute("aria-selected"), "true");
    const link = page.getByRole("list", { name: "Compiler messages" }).getByRole("link", { name: new RegExp(`^datastore\\.ts:${at}:`) });
    await link.click();
    assert.equal(await page.getByRole("tab", { name: "Code" }).getAttribute("aria-selected"), "true");
    const cur = await page.evaluate(() => (window as unknown as { __prefault: { cursor(): { line: number } } }).__prefault.cursor());
    assert.equal(cur.line, at);
    await page.waitForFunction(() => document.querySelector(".monaco-editor .cursor") !== null);
    await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));   // Monaco draws on the next frame
    await shot(page, "phone-3-error-line");
    assert.ok(await lineShown(page, at), `line ${at} is on screen`);
    assert.equal(await focused(page), "monaco");

    // pass, then Next lesson: the Lesson tab opens, with lesson 2's heading focused
    await setCode(page, SOLUTION);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 2);
    assert.equal(await page.getByRole("tab", { name: /Results/ }).getAttribute("aria-selected"), "true");
    await page.getByRole("button", { name: /^Next lesson: / }).click();
    await page.waitForFunction(() => location.hash.includes("02-"));
    assert.equal(await page.getByRole("tab", { name: "Lesson" }).getAttribute("aria-selected"), "true", "the Lesson tab is open");
    assert.ok(await page.getByRole("tabpanel", { name: "Lesson" }).isVisible());
    assert.equal(await focused(page), "h2#lesson-title");
    assert.ok(await within(page, '#lesson-list a[aria-current="page"]', "#lesson-list"), "lesson 2's chip is in view");
    await shot(page, "phone-4-next-lesson");
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("the editor's stylesheet is fetched once: its preload is used (same credentials mode), no preload warning", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    const fetched: string[] = [], warnings: string[] = [];
    page.on("request", r => { if (/\/assets\/monaco-[^/]+\.css$/.test(new URL(r.url()).pathname)) fetched.push(r.url()); });
    page.on("console", m => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    const html = await (await fetch(server.url)).text();
    assert.match(html, /<link rel="preload" as="style" href="[^"]*monaco-[^"]+\.css"/, "the page preloads the editor's CSS");
    // a first visit (Monaco waits for the compiler), then a second (Monaco at once)
    await openApp(page, `${server.url}#lesson=01-first-fault`);
    assert.equal(fetched.length, 1, `fetched once: ${fetched.join(", ")}`);
    await page.reload();
    await openApp(page, page.url());
    assert.equal(fetched.length, 2, `once per visit: ${fetched.join(", ")}`);
    // Chromium says a preload went unused a few seconds after the load event: wait that long
    await page.waitForFunction(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      return !!nav && nav.loadEventEnd > 0 && performance.now() > nav.loadEventEnd + 4000;
    }, undefined, { timeout: 30_000, polling: 250 });
    assert.deepEqual(warnings, []);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
