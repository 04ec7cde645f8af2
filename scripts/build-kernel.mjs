// Builds the kernel model: build/kernel.wasm (release) and build/kernel.debug.wasm (debug, asserts
// on), from asconfig.json (owned by the kernel engineer). Called by `npm run build:kernel`.
//  - Skips a target whose output is newer than asconfig.json and every file in kernel-as/
//    (`--force` rebuilds anyway).
//  - Builds into a private folder and renames into build/, so a test reading build/kernel.wasm
//    while another process rebuilds never sees a half-written file.
//  - Skips, with a note, while asconfig.json does not exist, so the rest of the build still runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = join(root, "asconfig.json");
if (!existsSync(config)) {
  console.error("build-kernel: no asconfig.json yet; skipping the kernel build");
  process.exit(0);
}
const force = process.argv.includes("--force");
const targets = JSON.parse(readFileSync(config, "utf8")).targets ?? {};
const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");

// newest modification time of the kernel's inputs
function newestInput() {
  let t = statSync(config).mtimeMs;
  const walk = dir => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p); else t = Math.max(t, s.mtimeMs);
    }
  };
  if (existsSync(join(root, "kernel-as"))) walk(join(root, "kernel-as"));
  return t;
}
const inputs = newestInput();

for (const [target, opts] of Object.entries(targets)) {
  const outFile = join(root, opts.outFile ?? `build/kernel.${target}.wasm`);
  if (!force && existsSync(outFile) && statSync(outFile).mtimeMs > inputs) continue;
  const tmp = join(dirname(outFile), `.tmp-${target}-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const tmpOut = join(tmp, basename(outFile));
  const r = spawnSync(process.execPath, [asc, "--config", config, "--target", target, "--outFile", tmpOut],
    { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    console.error(`build-kernel: target ${target} failed`);
    process.exit(r.status ?? 1);
  }
  for (const f of readdirSync(tmp)) renameSync(join(tmp, f), join(dirname(outFile), f));
  rmSync(tmp, { recursive: true, force: true });
  console.error(`build-kernel: ${target} -> ${join(basename(dirname(outFile)), basename(outFile))}`);
}
