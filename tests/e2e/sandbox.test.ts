// Browser stories of the Prefault sandbox, in real Chromium (four launches in all).
// Each asserts what the learner sees: the Results region, its check rows, squiggles, messages.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { checkRows, getCode, launch, markers, openApp, runCount, serve, setCode, waitRun } from "./harness.js";
import type { Page } from "playwright-core";

const LESSON = "01-first-fault";
const lessonFile = (p: string) => readFileSync(join(repoRoot(), "lessons", LESSON, p), "utf8");
const SOLUTION = lessonFile("solution/datastore.ts");
const STARTER = lessonFile("starter/datastore.ts");

let server: RunningServer;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

test("solving lesson 1 turns every check green; Ctrl+Enter runs; the code survives a reload; it works offline; a share link restores it in a fresh profile", async () => {
  const b = await launch();
  let link = "";
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    assert.equal(await getCode(page), STARTER, "a new learner starts from the starter");

    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    const before = await checkRows(page);
    assert.ok(before.length > 0);
    assert.ok(before.some(r => r.includes("failed")), `the starter fails a check: ${before.join(" | ")}`);

    await setCode(page, SOLUTION);
    await page.locator(".monaco-editor").first().click();
    await page.keyboard.press("Control+Enter");
    await waitRun(page, 2);
    const rows = await checkRows(page);
    assert.equal(rows.length, before.length);
    for (const r of rows) assert.match(r, /: passed,/, r);
    assert.match(await page.locator("#results-summary").innerText(), /All checks passed/);
    // after passing, the solution diff opens without asking
    await page.getByRole("button", { name: "Compare with solution" }).click();
    await page.locator(".monaco-diff-editor").first().waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Close comparison" }).click();
    await page.getByRole("navigation", { name: "Lessons" }).getByRole("link", { name: /1\..*, done$/ }).waitFor({ timeout: 5_000 });

    await page.reload();
    await openApp(page, page.url());
    assert.equal(await getCode(page), SOLUTION, "autosave restored the code after a reload");
    assert.equal(await runCount(page), 0);

    await page.getByRole("button", { name: "Share link" }).click();
    link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
    assert.match(link, new RegExp(`#lesson=${LESSON}&v=1&code=`));

    // offline once loaded: the service worker has precached the build
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await b.context.setOffline(true);
    await page.reload();
    await openApp(page, page.url());
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    for (const r of await checkRows(page)) assert.match(r, /: passed,/, `offline: ${r}`);
    await b.context.setOffline(false);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }

  const fresh = await launch();
  try {
    await openApp(fresh.page, link);
    assert.equal(await getCode(fresh.page), SOLUTION, "the shared code is in the editor");
    assert.match(await fresh.page.locator("#lesson-title").innerText(), /\S/);
    assert.equal(await fresh.page.locator(`a[data-lesson="${LESSON}"]`).getAttribute("aria-current"), "page");
    assert.deepEqual(fresh.errors, []);
  } finally { await fresh.close(); }
});

test("a syntax error puts a squiggle on its line; an endless loop is stopped with a plain message; an oops is marked at its line; reset is undoable; each lesson keeps its code", async () => {
  const b = await launch();
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    const lines = SOLUTION.split("\n");
    const bad = lines.findIndex(l => /export function vvar_fault/.test(l)) + 2;    // 1-based line after it
    lines.splice(bad - 1, 0, "  let broken = ;");
    await setCode(page, lines.join("\n"));
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    const asc = await markers(page, "asc");
    assert.ok(asc.some(m => m.file === "datastore.ts" && m.line === bad), `a marker on line ${bad}: ${JSON.stringify(asc)}`);
    await page.locator(".squiggly-error").first().waitFor({ timeout: 10_000 });
    assert.match(await page.getByRole("region", { name: "Results" }).innerText(), /did not compile/);

    const loop = SOLUTION.replace(/(export function vvar_fault\([^)]*\)[^{]*\{)/, "$1\n  while (true) {}");
    assert.notEqual(loop, SOLUTION);
    await setCode(page, loop);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 2);
    const alert = await page.getByRole("region", { name: "Results" }).getByRole("alert").innerText();
    assert.match(alert, /soft lockup: vvar_fault\(\) did not return \(it ran [\d,]+ loop iterations and calls, the budget of one scenario\): an endless loop\?/);
    assert.equal(await getCode(page), loop, "the learner's code is untouched");

    // a trap in learner code is a kernel oops, marked at its line
    const oopsLines = SOLUTION.split("\n");
    const at = oopsLines.findIndex(l => /export function vvar_fault/.test(l)) + 2;
    oopsLines.splice(at - 1, 0, "  unreachable();");
    await setCode(page, oopsLines.join("\n"));
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 3);
    const runtime = await markers(page, "runtime");
    assert.ok(runtime.some(m => m.file === "datastore.ts" && m.line === at && /oops/i.test(m.message)),
      `an oops marker on line ${at}: ${JSON.stringify(runtime)}`);
    assert.match(await page.getByRole("region", { name: "Results" }).innerText(), /oops/i);
    // the learner follows the oops's link to its line and deletes the line: the oops marker goes
    // with it (the results, now stale, still say where it was); undoing the edit brings it back
    const squiggles = () => page.locator(".monaco-editor .squiggly-error").count();
    await page.waitForFunction(() => document.querySelectorAll(".monaco-editor .squiggly-error").length > 0);
    await page.getByRole("region", { name: "Results" }).locator(`a.loc[title="Go to line ${at} of datastore.ts"]`).first().click();
    const cur = await page.evaluate(() => (window as unknown as { __prefault: { cursor(): { file: string; line: number } } }).__prefault.cursor());
    assert.deepEqual([cur.file, cur.line], ["datastore.ts", at]);
    await page.keyboard.press("Control+Shift+K");                 // Monaco's "Delete Line"
    assert.ok(!(await getCode(page)).includes("unreachable();"), "the line is gone");
    assert.equal(await page.locator("#results-body.stale").count(), 1);
    assert.deepEqual(await markers(page, "runtime"), [], "no oops marker on code that no longer oopses there");
    await page.waitForFunction(() => document.querySelectorAll(".monaco-editor .squiggly-error").length === 0);
    assert.equal(await squiggles(), 0);
    await page.keyboard.press("Control+Z");
    assert.equal(await getCode(page), oopsLines.join("\n"), "undo restores the code that oopsed");
    assert.equal(await page.locator("#results-body.stale").count(), 0);
    const back = await markers(page, "runtime");
    assert.ok(back.some(m => m.file === "datastore.ts" && m.line === at), `the oops marker is back on line ${at}: ${JSON.stringify(back)}`);

    await setCode(page, SOLUTION);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 4);
    for (const r of await checkRows(page)) assert.match(r, /: passed,/, r);
    assert.equal(await runCount(page), 4);

    // reset to the starter, and undo it
    await page.getByRole("button", { name: "Reset to starter" }).click();
    assert.equal(await getCode(page), STARTER);
    await page.getByRole("button", { name: "Undo reset" }).click();
    assert.equal(await getCode(page), SOLUTION);

    // switching lessons keeps each lesson's own code
    const nav = page.getByRole("navigation", { name: "Lessons" });
    await nav.getByRole("link", { name: /\b2\. / }).click();
    await page.waitForFunction(() => location.hash.includes("02-"));
    assert.equal(await getCode(page), readFileSync(join(repoRoot(), "lessons", "02-time-namespaces", "starter", "datastore.ts"), "utf8"));
    await nav.getByRole("link", { name: /\b1\. / }).click();
    await page.waitForFunction(() => location.hash.includes("01-"));
    assert.equal(await getCode(page), SOLUTION);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

/** Opens the sandbox with Monaco's chunks failing to load (the fallback), so the plain textarea
 *  stays the editor. */
async function openWithoutMonaco(page: Page): Promise<void> {
  await page.route(/\/assets\/(monaco|editor\.api)-[^/]*\.js$/, r => r.abort());
  await page.goto(`${server.url}?nosw#lesson=${LESSON}`);
  await page.locator("html[data-editor=plain]").waitFor({ state: "attached", timeout: 30_000 });
}

test("the lesson code is editable and runnable in a plain, labelled textarea at once, and stays so when Monaco fails to load", async () => {
  const b = await launch();
  try {
    const { page } = b;
    await openWithoutMonaco(page);
    const box = page.getByRole("textbox", { name: /Code editor, datastore\.ts/ });
    assert.equal(await box.inputValue(), STARTER, "the starter is in the plain editor");
    assert.match(await box.evaluate(e => getComputedStyle(e).fontFamily), /mono|Consolas|Courier/i);
    await box.fill(SOLUTION);
    assert.equal(await getCode(page), SOLUTION, "an edit in the textarea is the code");
    await page.locator("html[data-compiler=ready]").waitFor({ state: "attached", timeout: 120_000 });
    await box.focus();
    await page.keyboard.press("Control+Enter");
    await waitRun(page, 1);
    const rows = await checkRows(page);
    assert.ok(rows.length > 0);
    for (const r of rows) assert.match(r, /: passed,/, r);
    assert.match(await page.locator("#status").innerText(), /All checks passed/);
    assert.equal(await page.locator(".monaco-editor").count(), 0);
    assert.equal(await page.locator("html").getAttribute("data-editor"), "plain");
  } finally { await b.close(); }
});

test("before Monaco has loaded, a compile error's link puts the textarea's caret on its line and column, scrolled into view, focused", async () => {
  const b = await launch();
  try {
    const { page } = b;
    await openWithoutMonaco(page);
    await page.locator("html[data-compiler=ready]").waitFor({ state: "attached", timeout: 120_000 });
    // the error far below the textarea's first screen, after short lines (none wraps, so each
    // line's place is (n - 1) line heights below the top padding)
    const padding = Array.from({ length: 150 }, (_, i) => `// padding ${i + 1}`);
    const at = padding.length + 1;
    const code = [...padding, "let broken = ;", SOLUTION].join("\n");
    const box = page.getByRole("textbox", { name: /Code editor, datastore\.ts/ });
    await box.fill(code);
    await page.getByRole("button", { name: "Run" }).click();
    await waitRun(page, 1);
    const link = page.getByRole("list", { name: "Compiler messages" }).getByRole("link", { name: new RegExp(`^datastore\\.ts:${at}:`) }).first();
    const column = Number((await link.textContent())!.split(":")[2]);
    assert.ok(column > 1, `the error is inside its line: ${await link.textContent()}`);
    // the learner is back at the top of the file, the caret there, and the focus on the link
    await box.evaluate(e => { const ta = e as HTMLTextAreaElement; ta.setSelectionRange(0, 0); ta.scrollTop = 0; ta.blur(); });
    assert.equal(await box.evaluate(e => (e as HTMLTextAreaElement).scrollTop), 0, "the textarea starts at the top");
    await link.click();
    const offset = padding.reduce((n, l) => n + l.length + 1, 0) + column - 1;
    const got = await box.evaluate(e => {
      const ta = e as HTMLTextAreaElement, cs = getComputedStyle(ta);
      return { start: ta.selectionStart, end: ta.selectionEnd, focused: document.activeElement === ta, scrollTop: ta.scrollTop,
               clientHeight: ta.clientHeight, lineHeight: parseFloat(cs.lineHeight), paddingTop: parseFloat(cs.paddingTop) };
    });
    assert.deepEqual([got.start, got.end], [offset, offset], `the caret at line ${at}, column ${column}`);
    assert.ok(got.focused, "the textarea has the focus");
    const top = got.paddingTop + (at - 1) * got.lineHeight;
    assert.ok(top >= got.scrollTop && top + got.lineHeight <= got.scrollTop + got.clientHeight,
      `line ${at} (at ${top} px) is in the textarea's view (${got.scrollTop} to ${got.scrollTop + got.clientHeight} px)`);
    assert.equal(await page.locator(".monaco-editor").count(), 0);
  } finally { await b.close(); }
});

test("edits made in the textarea before Monaco has loaded are carried over into Monaco", async () => {
  const b = await launch();
  try {
    const { page } = b;
    // hold Monaco back until the learner has typed into the textarea
    let release: () => void = () => {};
    const held = new Promise<void>(r => { release = r; });
    await page.route(/\/assets\/monaco-[^/]*\.js$/, async r => { await held; await r.continue(); });
    await page.goto(`${server.url}?nosw#lesson=${LESSON}`);
    await page.locator("html[data-editor=plain]").waitFor({ state: "attached", timeout: 30_000 });
    const box = page.getByRole("textbox", { name: /Code editor, datastore\.ts/ });
    await box.focus();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n// typed before Monaco\n");
    release();
    await openApp(page, page.url());
    assert.equal(await getCode(page), STARTER + "\n// typed before Monaco\n");
    assert.equal(await page.locator("textarea.plain-editor").count(), 0, "Monaco replaced the textarea");
    await page.locator(".monaco-editor").first().waitFor();
  } finally { await b.close(); }
});

test("the file tabs are one tab stop; arrow keys, Home and End show and focus another file", async () => {
  const b = await launch();
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=01-first-fault`);
    const tabs = page.getByRole("tablist", { name: "Files" }).getByRole("tab");
    assert.equal(await tabs.count(), 2);
    const selected = async () => (await tabs.evaluateAll(els => els.filter(e => e.getAttribute("aria-selected") === "true").map(e => e.textContent ?? "")))[0];
    assert.deepEqual(await tabs.evaluateAll(els => els.map(e => (e as HTMLElement).tabIndex)), [0, -1]);
    await tabs.first().focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await selected(), /^kernel\.ts/);
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ""), /^kernel\.ts/, "focus moved with the selection");
    assert.deepEqual(await tabs.evaluateAll(els => els.map(e => (e as HTMLElement).tabIndex)), [-1, 0]);
    await page.keyboard.press("ArrowRight");                       // wraps
    assert.match(await selected(), /^datastore\.ts/);
    await page.keyboard.press("End");
    assert.match(await selected(), /^kernel\.ts/);
    await page.keyboard.press("Home");
    assert.match(await selected(), /^datastore\.ts/);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
