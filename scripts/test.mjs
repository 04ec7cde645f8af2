// Runs every compiled test file (dist/tests/**/*.test.js) with node's test runner.
// Usage: node scripts/test.mjs [substring ...]   (only files whose path contains a substring)
// The spec reporter prints the list of failing tests after its summary; this script holds the
// summary lines back and prints them last, so the output always ends with the summary.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

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
let all = [];
try { all = walk("dist/tests"); } catch { /* not built */ }
const files = all.sort().filter(f => filters.length === 0 || filters.some(s => f.includes(s)));
if (files.length === 0) { console.error("no test files found under dist/tests (run npm run build)"); process.exit(1); }
const child = spawn(process.execPath, ["--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: ["ignore", "pipe", "inherit"] });
const summary = [];
const SUMMARY = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;
createInterface({ input: child.stdout }).on("line", line => {
  if (SUMMARY.test(line)) summary.push(line); else process.stdout.write(line + "\n");
});
child.on("close", code => {
  process.stdout.write(summary.join("\n") + (summary.length ? "\n" : ""));
  process.exit(code ?? 1);
});
