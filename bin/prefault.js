#!/usr/bin/env node
// The `prefault` command: runs dist/cli/main.js (built by `npm run build`).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("prefault: not built yet (no dist/cli/main.js): run `npm run build` in the package folder\n");
  process.exit(3);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
