// web/start.mjs: `npm start`. Builds only what is missing or older than its sources (the
// server's JS, the kernel, the generated header, the static site), then serves web/dist with
// `prefault serve` and prints the URL of the first lesson. Never uses Vite's dev server: it
// serves the compiler with a huge inline source map (12-15 s to a usable page).
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const at = p => join(root, p);
const mtime = p => (existsSync(at(p)) ? statSync(at(p)).mtimeMs : 0);

// newest modification time under the paths (files or folders), skipping dist/ and node_modules
function newest(paths) {
  let best = 0;
  const walk = p => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const n of readdirSync(p)) if (n !== "dist" && n !== "node_modules" && !n.startsWith(".")) walk(join(p, n));
    } else best = Math.max(best, st.mtimeMs);
  };
  for (const p of paths) if (existsSync(at(p))) walk(at(p));
  return best;
}

function step(script, why) {
  process.stderr.write(`npm start: ${why}: npm run ${script}\n`);
  const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", script], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) { process.stderr.write(`npm start: ${script} failed\n`); process.exit(r.status ?? 1); }
}

const serveJs = "dist/cli/commands/serve.js";
if (mtime(serveJs) === 0 || mtime("cli/commands/serve.ts") > mtime(serveJs)) step("build:ts", "the server is not compiled");
if (existsSync(at("asconfig.json")) && (mtime("build/kernel.wasm") === 0 || newest(["kernel-as", "asconfig.json"]) > mtime("build/kernel.wasm")))
  step("build:kernel", "the kernel is missing or stale");
// by content, not mtime: a fresh clone's checkout order says nothing about which file is newer
const headerStale = spawnSync(process.execPath, [at("scripts/gen-header.mjs"), "--check"], { cwd: root, stdio: "ignore" }).status !== 0;
if (headerStale) step("gen-header", "the kernel header changed");
const siteInputs = ["web/src", "web/index.html", "web/vite.config.ts", "web/public", "engine", "lessons", "learner/kernel.ts", "build/kernel.wasm"];
if (mtime("web/dist/index.html") === 0 || newest(siteInputs) > mtime("web/dist/index.html")) step("build:web", "the site is missing or stale");

const { command } = await import(pathToFileURL(at(serveJs)).href);
process.exit(await command.run(process.argv.slice(2)));
