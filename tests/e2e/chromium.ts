// tests/e2e/chromium.ts: which Chromium the browser tests and benchmarks drive.
//
// The usual places, in order: $PREFAULT_CHROMIUM (a path, or a command name looked up on the
// PATH), then `chromium`, `chromium-browser`, `google-chrome` on the PATH. No download: the
// browser comes from the system (Debian: apt-get install chromium). When none is found, the
// error is one line saying what to install, with no stack trace under it.

import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/** Command names tried on the PATH, in order, when PREFAULT_CHROMIUM is not set. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome"];

export type ChromiumLookup = { ok: true; path: string; from: string } | { ok: false; message: string };

function executable(p: string): boolean {
  try { return statSync(p).isFile() && (accessSync(p, constants.X_OK), true); } catch { return false; }
}

/** The first executable file called `name` in the PATH's folders (a name with a slash is taken
 *  as a path), or undefined. */
export function which(name: string, pathVar: string | undefined): string | undefined {
  if (name.includes("/")) return executable(name) ? resolve(name) : undefined;
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;        // "" or "." would make the answer depend on the cwd
    const p = join(dir, name);
    if (executable(p)) return p;
  }
  return undefined;
}

/** Finds Chromium from an environment (process.env by default). Never throws. */
export function findChromium(env: Record<string, string | undefined> = process.env): ChromiumLookup {
  const given = env.PREFAULT_CHROMIUM?.trim();
  if (given) {
    const p = which(given, env.PATH);
    return p ? { ok: true, path: p, from: "PREFAULT_CHROMIUM" }
      : { ok: false, message: `PREFAULT_CHROMIUM=${given} is not an executable file: point it at a Chromium or Chrome binary, or unset it to search the PATH for ${CHROMIUM_NAMES.join(", ")}` };
  }
  for (const name of CHROMIUM_NAMES) {
    const p = which(name, env.PATH);
    if (p) return { ok: true, path: p, from: `${name} on the PATH` };
  }
  return { ok: false, message: `no Chromium found (looked for ${CHROMIUM_NAMES.join(", ")} on the PATH): install it (Debian/Ubuntu: apt-get install chromium) or set PREFAULT_CHROMIUM=/path/to/chrome` };
}

/** An Error that prints as its one line: no stack, no cause (node's test reporter prints an
 *  error's stack, and a custom name would be printed beside it). */
export function setupError(message: string): Error {
  const e = new Error(message);
  e.stack = message;
  return e;
}

/** The Chromium binary to launch, or throws a one-line setupError() whose text says what to install. */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const r = findChromium(env);
  if (!r.ok) throw setupError(r.message);
  return r.path;
}
