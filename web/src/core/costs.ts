// costs.ts: the learner's own fault cost in the browser, kept in the app's versioned storage
// (core/storage.ts) under prefault:v1:costs as
//   { v: 1, costs: { fault_exception_ns: 1412 }, text: "1.4 µs", saved: <ms> }
// `text` is what the learner pasted (shown back in the field). Read through the engine's one
// costs parser (engine/costs.ts), so a stored entry is held to the rules a fresh paste is; one
// that fails them is dropped. Also the kernel era picked in "On your machine"
// (prefault:v1:machine-era { v: 1, era: "v6.18" | "pre" | "merged" }). Pure logic over an
// injected KeyValueStore.
import { parseCosts, parseCostsJson } from "../../../engine/costs.js";
import type { Era } from "../../../engine/probe/record.js";
import type { Costs } from "../../../engine/types.js";
import { STORAGE_VERSION, type KeyValueStore } from "./storage.js";

export const COSTS_KEY = `prefault:v${STORAGE_VERSION}:costs`;

export interface SavedCosts { v: typeof STORAGE_VERSION; costs: Costs; text: string; saved: number }

/** The learner's saved costs, or null when there are none or the entry does not validate. */
export function loadCosts(store: KeyValueStore): SavedCosts | null {
  let x: unknown;
  try { const raw = store.getItem(COSTS_KEY); if (raw === null) return null; x = JSON.parse(raw); } catch { return null; }
  if (!x || typeof x !== "object") return null;
  const o = x as Record<string, unknown>;
  if (o.v !== STORAGE_VERSION || typeof o.text !== "string" || typeof o.saved !== "number") return null;
  const p = parseCostsJson(JSON.stringify(o.costs ?? null));
  if (!p.ok || p.costs.fault_exception_ns === undefined) return null;
  return { v: STORAGE_VERSION, costs: p.costs, text: o.text, saved: o.saved };
}

/** Parses what the learner pasted and, when it is a cost, saves it. The message says what was
 *  wrong (nothing is saved then) or that the store refused. */
export function saveCostsText(store: KeyValueStore, text: string, now: number):
    { ok: true; saved: SavedCosts; stored: boolean } | { ok: false; message: string } {
  const p = parseCosts(text);
  if (!p.ok) return p;
  if (p.costs.fault_exception_ns === undefined) {
    return { ok: false, message: "These costs name no fault cost (fault_exception_ns): paste the figure `prefault probe` printed." };
  }
  const saved: SavedCosts = { v: STORAGE_VERSION, costs: p.costs, text: text.trim().slice(0, 500), saved: now };
  let stored = true;
  try { store.setItem(COSTS_KEY, JSON.stringify(saved)); } catch { stored = false; }
  return { ok: true, saved, stored };
}

/** Forgets the learner's costs: the lesson's own (the series' 20 µs) apply again. */
export function clearCosts(store: KeyValueStore): void {
  try { store.removeItem(COSTS_KEY); } catch { /* ignore */ }
}

// ---- the kernel era the learner picked in "On your machine" ------------------------------------

export const ERA_KEY = `prefault:v${STORAGE_VERSION}:machine-era`;
const ERA_NAMES: readonly Era[] = ["v6.18", "pre", "merged"];

/** The era the learner picked last, or null. */
export function loadEra(store: KeyValueStore): Era | null {
  try {
    const x = JSON.parse(store.getItem(ERA_KEY) ?? "null") as { v?: unknown; era?: unknown } | null;
    return x && x.v === STORAGE_VERSION && ERA_NAMES.includes(x.era as Era) ? x.era as Era : null;
  } catch { return null; }
}

export function saveEra(store: KeyValueStore, era: Era): boolean {
  try { store.setItem(ERA_KEY, JSON.stringify({ v: STORAGE_VERSION, era })); return true; } catch { return false; }
}
