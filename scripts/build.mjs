// `npm run build`: kernel (build/kernel*.wasm), the generated files (engine/generated/: ABI tables,
// header, scenario validator), TypeScript (dist/), the web app's type check (web/tsconfig.json), the
// class report's chart script (dist/class-report/page.bundle.js), and the web app when
// package.json has a "build:web" script. Stops at the first failing step.
// `--clean` (the prepack build) first removes dist/, so a packed tarball holds no stale module.
import { readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const steps = ["build:kernel", "gen-abi", "gen-header", "gen-validator", "build:ts", "check:web", "build:class-report"];
if (scripts["build:web"]) steps.push("build:web");
// `npm pack` runs prepack (this, with --clean) and then prepare: the second build is skipped
if (process.env.npm_lifecycle_event === "prepare" && process.env.npm_command === "pack") {
  console.log("build: already built by prepack");
  process.exit(0);
}
if (process.argv.includes("--clean")) rmSync(join(root, "dist"), { recursive: true, force: true });
for (const step of steps) {
  const r = spawnSync(npm, ["run", "--silent", step], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) { console.error(`build: ${step} failed`); process.exit(r.status ?? 1); }
}
