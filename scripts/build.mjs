// `npm run build`: kernel (build/kernel*.wasm), generated header and scenario validator, TypeScript (dist/), the class
// report's chart script (dist/engine/report/class-html-page.bundle.js), and the web
// app when package.json has a "build:web" script. Stops at the first failing step.
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const steps = ["build:kernel", "gen-header", "gen-validator", "build:ts", "build:class-report"];
if (scripts["build:web"]) steps.push("build:web");
for (const step of steps) {
  const r = spawnSync(npm, ["run", "--silent", step], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) { console.error(`build: ${step} failed`); process.exit(r.status ?? 1); }
}
