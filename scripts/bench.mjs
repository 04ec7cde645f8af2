// `npm run bench`: runs the benchmarks one after another (never in parallel: 2 cores), each a
// module of dist/bench/: main (engine and CLI), grade-all (classroom grading), web (Chromium).
// Usage: node scripts/bench.mjs [name ...]   (default: all that are built). Never fails on time;
// exits 1 only when a benchmark itself crashed.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const all = ["main", "grade-all", "web"];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of wanted) {
  const file = join(root, "dist", "bench", `${name}.js`);
  if (!existsSync(file)) { console.log(`\n== bench/${name}: not built, skipped`); continue; }
  console.log(`\n== bench/${name}`);
  const r = spawnSync(process.execPath, [file], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) { failed++; console.log(`== bench/${name} exited with ${r.status ?? r.signal}`); }
}
process.exit(failed ? 1 : 0);
