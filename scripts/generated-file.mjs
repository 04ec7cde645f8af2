// The one way a generator (scripts/gen-*.mjs) writes its output or checks it.
// Every generator takes the same arguments:
//   --check       exit 1, naming the file, when the committed file differs from what it would write
//   --root DIR    read the sources under DIR and write (or check) under DIR instead of this checkout
// `npm test` and `.ci/run` run each generator with --check before the build regenerates anything,
// so a stale committed file fails CI (tests/unit/generated.test.ts proves the check can fail).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The options of a generator run: the root it reads and writes under, and whether to check. */
export function generatorArgs(argv = process.argv.slice(2)) {
  const at = argv.indexOf("--root");
  const root = at >= 0 && argv[at + 1] ? resolve(argv[at + 1]) : join(dirname(fileURLToPath(import.meta.url)), "..");
  return { root, check: argv.includes("--check") };
}

/** Writes `text` to `rel` under root (only when it changed), or with check, exits 1 when the
 *  file there is missing or differs. `generator` names the script in the message. */
export function emit({ root, check }, rel, text, generator) {
  const out = join(root, rel);
  let have = null;
  try { have = readFileSync(out, "utf8"); } catch { /* missing counts as stale */ }
  if (check) {
    if (have !== text) {
      console.error(`${rel} is stale: run node scripts/${generator} (or npm run build) and commit the result`);
      process.exit(1);
    }
    return;
  }
  if (have !== text) { mkdirSync(dirname(out), { recursive: true }); writeFileSync(out, text); }
}
