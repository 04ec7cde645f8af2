// tests/kit/installed.ts: the package as a user gets it. Packs this checkout with `npm pack`
// (scripts skipped: `npm test` has just built it, and prepack's clean build would pull dist/
// from under the tests running beside this one) and installs the tarball into an empty
// temporary folder with `npm install`, which fetches only the runtime dependencies from the
// registry (the npm cache answers when it can: --prefer-offline). Once per test file.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = new URL("../../../", import.meta.url).pathname;

export interface Installed {
  /** the temporary folder: tarball/, app/ (the installing project) */
  tmp: string;
  /** the packed tarball */
  tarball: string;
  /** app/, where `npm install <tarball>` ran */
  app: string;
  /** runs the installed `prefault` (node_modules/.bin/prefault) in `cwd` (default app/) */
  prefault(args: string[], opts?: { cwd?: string; env?: Record<string, string> }): SpawnSyncReturns<string>;
  remove(): void;
}

/** Runs npm with `args` in `cwd`; throws with npm's stderr when it fails. */
export function npm(args: string[], cwd: string): string {
  const r = spawnSync("npm", args, { cwd, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** npm install of local tarballs into `dir` (created), deps from the registry or the cache. */
export function npmInstall(dir: string, specs: string[], extra: string[] = []): void {
  mkdirSync(dir, { recursive: true });
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-save", ...extra, ...specs], dir);
}

/** Packs the checkout and installs it into a fresh temporary folder. */
export function installPackage(): Installed {
  const tmp = mkdtempSync(join(tmpdir(), "prefault-installed-"));
  const out = join(tmp, "tarball");
  mkdirSync(out);
  const name = (JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", out], ROOT)) as { filename: string }[])[0].filename;
  const tarball = join(out, name);
  const app = join(tmp, "app");
  npmInstall(app, [tarball]);
  const bin = join(app, "node_modules", ".bin", "prefault");
  return {
    tmp, tarball, app,
    prefault: (args, opts = {}) => spawnSync(bin, args, {
      cwd: opts.cwd ?? app, encoding: "utf8", timeout: 180_000, env: { ...process.env, ...opts.env },
    }),
    remove: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
