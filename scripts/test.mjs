// Runs every compiled test file (dist/tests/**/*.test.js) with node's test runner.
// Usage: node scripts/test.mjs [substring ...]   (only files whose path contains a substring)
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (p.endsWith(".test.js")) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
const files = walk("dist/tests").sort().filter(f => filters.length === 0 || filters.some(s => f.includes(s)));
if (files.length === 0) { console.error("no test files found under dist/tests"); process.exit(1); }
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: "inherit" });
process.exit(r.status ?? 1);
