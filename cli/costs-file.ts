// cli/costs-file.ts: a costs file, as `prefault probe --save-costs FILE` writes it and
// `prefault run --costs FILE` reads it: the scenario "costs" object on its own, e.g.
// { "fault_exception_ns": 1200 }, checked by the engine's one costs parser (engine/costs.ts),
// the same the browser's fault-cost field uses.

import { readFileSync } from "node:fs";
import { parseCostsJson } from "../engine/costs.js";
import type { Costs } from "../engine/types.js";

/** The costs in `path`, or a message naming what is wrong with it. */
export function readCostsFile(path: string): { ok: true; costs: Costs } | { ok: false; message: string } {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    return { ok: false, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  return parseCostsJson(text, path);
}
