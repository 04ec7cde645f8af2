// cli/node-paths.ts: where the installed package's own files are (not the cwd's), and the
// Node file-system side of the engine's lesson-folder reader. The one way the CLI finds the
// package root. Callers: every CLI command, the benchmarks, the CLI tests.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FolderReader } from "../engine/lesson-folder.js";

/** The package root: the nearest folder above this file holding package.json (dist/cli/ -> ../..). */
export const PACKAGE_ROOT: string = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(d, "package.json")) && existsSync(join(d, "bin", "prefault.js"))) return d;
    d = dirname(d);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
})();

/** The package's package.json, parsed ({} when it cannot be read). */
export function packageJson(): { name?: string; version?: string } {
  try { return JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { name?: string; version?: string }; }
  catch { return {}; }
}

/** The package's lessons/ folder (the course). */
export const DEFAULT_LESSONS_DIR: string = join(PACKAGE_ROOT, "lessons");

/** A FolderReader (engine/lesson-folder.ts) over folder `dir` on disk. */
export function nodeFolder(dir: string): FolderReader {
  return {
    read(path) { try { return readFileSync(join(dir, path), "utf8"); } catch { return undefined; } },
    list(sub) {
      const d = join(dir, sub);
      try { return statSync(d).isDirectory() ? readdirSync(d) : []; } catch { return []; }
    },
  };
}

/** build/kernel.wasm (release) or build/kernel.debug.wasm of the package. */
export function kernelPath(debug = false): string {
  return join(PACKAGE_ROOT, "build", debug ? "kernel.debug.wasm" : "kernel.wasm");
}

let kernelModules: Record<string, WebAssembly.Module> = {};

/** The compiled kernel module (cached per process), or an error message when it is not built. */
export function loadKernel(debug = false): { ok: true; module: WebAssembly.Module } | { ok: false; message: string } {
  const p = kernelPath(debug);
  if (kernelModules[p]) return { ok: true, module: kernelModules[p] };
  if (!existsSync(p)) return { ok: false, message: `no kernel build at ${p}: run \`npm run build\` in ${PACKAGE_ROOT}` };
  try {
    kernelModules = { ...kernelModules, [p]: new WebAssembly.Module(readFileSync(p)) };
    return { ok: true, module: kernelModules[p] };
  } catch (e) {
    return { ok: false, message: `${p} is not a valid kernel module: ${(e as Error).message}` };
  }
}

/** stages/<name>/ of the package. */
export function stageDir(name: string): string { return join(PACKAGE_ROOT, "stages", name); }

/** loadKernel(), compiled off the main thread (WebAssembly.compile), to overlap other start-up work. */
export async function loadKernelAsync(debug = false): Promise<{ ok: true; module: WebAssembly.Module } | { ok: false; message: string }> {
  const p = kernelPath(debug);
  if (kernelModules[p]) return { ok: true, module: kernelModules[p] };
  let bytes: Uint8Array;
  try { bytes = await readFile(p); } catch { return { ok: false, message: `no kernel build at ${p}: run \`npm run build\` in ${PACKAGE_ROOT}` }; }
  try {
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    kernelModules = { ...kernelModules, [p]: module };
    return { ok: true, module };
  } catch (e) {
    return { ok: false, message: `${p} is not a valid kernel module: ${(e as Error).message}` };
  }
}
