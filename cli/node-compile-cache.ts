// cli/node-compile-cache.ts: a CompileStore on disk, so a `prefault run` of an unchanged datastore
// costs no compile and does not even load asc. One JSON file per compile hash under
// <package>/.cache/compile/ (git-ignored); writes are atomic (temporary file + rename); any
// failure (read-only install, a damaged file) is a cache miss. Callers: cli/node-compiler.ts
// (`prefault run`).

import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { CompileStore } from "../engine/compile.js";
import type { CompileResult } from "../engine/types.js";
import { PACKAGE_ROOT } from "./node-paths.js";

export const COMPILE_CACHE_DIR = join(PACKAGE_ROOT, ".cache", "compile");
const MAX_ENTRIES = 256;

interface Stored { v: 1; result: Omit<Extract<CompileResult, { ok: true }>, "wasm"> & { wasm: string } | Extract<CompileResult, { ok: false }> }

/** The disk store in `dir` (default COMPILE_CACHE_DIR). */
export function diskCompileStore(dir: string = COMPILE_CACHE_DIR): CompileStore {
  const file = (hash: string) => join(dir, `${hash}.json`);
  return {
    async get(hash) {
      if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
      let s: Stored;
      try { s = JSON.parse(readFileSync(file(hash), "utf8")) as Stored; } catch { return undefined; }
      if (s?.v !== 1 || !s.result) return undefined;
      const r = s.result;
      if (!r.ok) return r;
      if (typeof r.wasm !== "string") return undefined;
      return { ...r, wasm: new Uint8Array(Buffer.from(r.wasm, "base64")) };
    },
    async set(hash, result) {
      const stored: Stored = { v: 1, result: result.ok ? { ...result, wasm: Buffer.from(result.wasm).toString("base64") } : result };
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${hash}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(stored));
      renameSync(tmp, file(hash));
      prune(dir);
    },
  };
}

/** The installed assemblyscript's version (part of the compile cache key), without loading asc. */
export function ascVersion(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve("assemblyscript/package.json");
    return String((JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version);
  } catch { return "unknown"; }
}

// keep the newest MAX_ENTRIES entries
function prune(dir: string): void {
  const names = readdirSync(dir).filter(n => n.endsWith(".json"));
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map(n => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES)) {
    try { unlinkSync(join(dir, n)); } catch { /* another process pruned it */ }
  }
}
