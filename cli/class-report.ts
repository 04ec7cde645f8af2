// cli/class-report.ts: the class HTML report's I/O edge. Reads the page script the build made
// (dist/class-report/page.bundle.js: web/src/class-report/page.ts with Observable Plot inside),
// hashes it for the page's Content-Security-Policy and hands both to the pure emitter.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BatchReport } from "../engine/report/batch.js";
import { emitClassHtml, type ClassPageScript } from "../engine/report/class-html.js";

/** Where the build writes the page script (next to the compiled emitter). */
export const CLASS_PAGE_SCRIPT = fileURLToPath(new URL("../class-report/page.bundle.js", import.meta.url));

/** The page script and its hash, or a message saying the build is missing. */
export function loadClassPageScript(): { ok: true; page: ClassPageScript } | { ok: false; message: string } {
  let js: string;
  try { js = readFileSync(CLASS_PAGE_SCRIPT, "utf8"); } catch {
    return { ok: false, message: `the class report's script is not built (${CLASS_PAGE_SCRIPT}): run \`npm run build\`` };
  }
  return { ok: true, page: { js, sha256: createHash("sha256").update(js, "utf8").digest("base64") } };
}

/** The batch as a class HTML report, or a message when the page script is missing. */
export function classHtml(batch: BatchReport): { ok: true; html: string } | { ok: false; message: string } {
  const p = loadClassPageScript();
  return p.ok ? { ok: true, html: emitClassHtml(batch, p.page) } : p;
}
