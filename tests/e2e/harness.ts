// tests/e2e/harness.ts: shared helpers of the browser stories. Serves the built site (web/dist,
// or PREFAULT_WEB_ROOT) with the project's own server on a free 127.0.0.1 port and launches
// the system's Chromium (found by ./chromium.ts) through playwright-core with a fresh profile. Builds nothing: `npm run
// build` must have run. Every wait is on an app signal (data-* attributes), never a sleep.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startServer, type RunningServer } from "../../cli/commands/serve.js";
import { chromiumPath } from "./chromium.js";

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Browser { page: Page; context: BrowserContext; errors: string[]; close(): Promise<void> }

/** Starts the static server for the whole test file. */
export function serve(): Promise<RunningServer> {
  return startServer({ root: process.env.PREFAULT_WEB_ROOT });
}

/** A fresh Chromium profile with one page; collects page errors and console errors. Throws a
 *  one-line error (what to install) when there is no Chromium. */
export async function launch(opts: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  const dir = mkdtempSync(join(tmpdir(), "prefault-e2e-"));
  const context = await chromium.launchPersistentContext(dir, { executablePath, headless: true, args: CHROMIUM_ARGS,
    ...(opts.viewport ? { viewport: opts.viewport } : {}) });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", e => errors.push(`pageerror: ${e.message}`));
  page.on("console", m => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  return { page, context, errors, async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Opens url and waits until the editor and the compiler say they are ready. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator("html[data-editor=ready]").waitFor({ state: "attached", timeout: 60_000 });
  await page.locator("html[data-compiler=ready]").waitFor({ state: "attached", timeout: 120_000 });
}

/** The number of finished runs shown by the page. */
export async function runCount(page: Page): Promise<number> {
  return Number(await page.locator("#results").getAttribute("data-runs") ?? "0");
}

/** Waits until the page has finished run number n (1-based). */
export async function waitRun(page: Page, n: number): Promise<void> {
  await page.locator(`#results[data-runs="${n}"][data-state="done"]`).waitFor({ state: "attached", timeout: 120_000 });
}

/** Replaces datastore.ts through the test hook (typing into Monaco is rewritten by auto-close). */
export async function setCode(page: Page, text: string): Promise<void> {
  await page.evaluate(t => (window as unknown as { __prefault: { setCode(t: string): void } }).__prefault.setCode(t), text);
}

export async function getCode(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __prefault: { getCode(): string } }).__prefault.getCode());
}

/** What each check row of the Results region says: its accessible name. */
export async function checkRows(page: Page): Promise<string[]> {
  const region = page.getByRole("region", { name: "Results" });
  return region.getByRole("list", { name: "Checks" }).getByRole("listitem").evaluateAll(els => els.map(e => e.getAttribute("aria-label") ?? ""));
}

export type Marker = { owner: string; file: string; line: number; message: string };
export async function markers(page: Page, owner?: string): Promise<Marker[]> {
  return page.evaluate(o => (window as unknown as { __prefault: { markers(o?: string): Marker[] } }).__prefault.markers(o), owner);
}
