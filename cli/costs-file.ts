// cli/costs-file.ts: a costs file, as `prefault probe --save-costs FILE` writes it and
// `prefault run --costs FILE` reads it: the scenario "costs" object on its own, e.g.
// { "fault_exception_ns": 1200 }, checked against the scenario schema's "costs".

import { readFileSync } from "node:fs";
import { validateScenario } from "../engine/validate.js";
import type { Costs } from "../engine/types.js";

/** The costs in `path`, or a message naming what is wrong with it. */
export function readCostsFile(path: string): { ok: true; costs: Costs } | { ok: false; message: string } {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    return { ok: false, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, message: `${path}: not valid JSON: ${(e as Error).message}` }; }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, message: `${path}: a costs file is a JSON object such as {"fault_exception_ns": 1200}` };
  // the schema's own check of "costs", through a one-step scenario that carries them
  const v = validateScenario({ name: "costs", costs: json, steps: [{ op: "spawn", task: "t" }] });
  if (!v.ok) return { ok: false, message: `${path}: ${v.error.message.replace(/\/costs/g, "")}` };
  return { ok: true, costs: v.scenario.costs ?? {} };
}
