// cli/node-paths.ts: where the installed package's own files are (not the cwd's).
// Callers: cli/commands/run.ts, the benchmarks, the CLI tests.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the nearest folder above this file holding package.json (dist/cli/ -> ../..). */
export const PACKAGE_ROOT: string = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(d, "package.json")) && existsSync(join(d, "bin", "prefault.js"))) return d;
    d = dirname(d);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
})();

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
