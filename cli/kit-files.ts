// cli/kit-files.ts: writing the folders the kits and `prefault pack` produce.

import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ChecksFolder } from "./student-lesson.js";

/** Writes `text` to `path`, creating its folder, with `mode` when given. */
export function writeFile(path: string, text: string | Uint8Array, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mode !== undefined) chmodSync(path, mode);
}

/** Writes a --checks folder: dir/checks.json and dir/scenarios/<name>.json. */
export function writeChecksFolder(dir: string, f: ChecksFolder): void {
  writeFile(join(dir, "checks.json"), JSON.stringify(f.json, null, 2) + "\n");
  for (const [n, s] of Object.entries(f.scenarios)) writeFile(join(dir, "scenarios", `${n}.json`), JSON.stringify(s, null, 2) + "\n");
}
