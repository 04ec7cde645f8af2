// Builds the kernel model: build/kernel.wasm (release) and build/kernel.debug.wasm (debug, asserts
// on), from asconfig.json (owned by the kernel engineer). Called by `npm run build:kernel`.
// Skips, with a note, while asconfig.json does not exist yet, so the rest of the build still runs.
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = join(root, "asconfig.json");
if (!existsSync(config)) {
  console.error("build-kernel: no asconfig.json yet; skipping the kernel build");
  process.exit(0);
}
const targets = Object.keys(JSON.parse(readFileSync(config, "utf8")).targets ?? { release: {} });
const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
for (const target of targets) {
  const r = spawnSync(process.execPath, [asc, "--config", config, "--target", target], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) { console.error(`build-kernel: target ${target} failed`); process.exit(r.status ?? 1); }
}
