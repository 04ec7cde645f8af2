// engine/costs.ts: the simulated costs a learner brings from their own machine, and how a run
// uses them. One parser for the CLI (`prefault run --costs FILE`, cli/costs-file.ts) and the
// browser's fault-cost field (web/src/ui/machine-view.ts). Pure: text in, Costs or a message out.
//
// What it accepts is what `prefault probe` prints or writes:
//   a figure with its unit        "1.4 µs", "1.4us", "1400 ns", "0.0014 ms"
//   the probe's summary line      "one [vvar] fault costs about 1.4 µs here (...)"
//   the probe's cost row          "cost.fault  fault 1412 ns; samples 100 ..."
//   a costs file (--save-costs)   {"fault_exception_ns": 1412}  (the scenario "costs" object)

import { DEFAULT_COSTS } from "./defaults.js";
import type { Costs, Scenario } from "./types.js";
import { validateScenario } from "./validate.js";

export type CostsParse = { ok: true; costs: Costs } | { ok: false; message: string };

/** The largest fault cost taken (1 s): anything above is a typo, not a machine. */
export const MAX_FAULT_NS = 1_000_000_000;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1000, "µs": 1000, "μs": 1000, ms: 1_000_000 };
// a number and its unit; µ is U+00B5 (micro sign) or U+03BC (Greek mu), both appear in pastes.
// The number stands on its own: not the tail of a longer one ("1.2.3 us", "5e3 ns") nor of a word
// ("x5 us"); a sign before it is kept (group 1), so that "-5 us" is refused, not read as 5 µs.
const FIGURE = /(?<![\w.,+\-\u2212])([-+\u2212]?)(\d+(?:[.,]\d+)?|\.\d+)\s*(ns|us|µs|μs|ms)\b/gi;
// the end of a number and the spaces after it: before a figure, a digit group ("1 400 ns")
const NUMBER_BEFORE = /\d[\s\u00a0\u202f]+$/;

/** Parses `text` (a figure, a line `prefault probe` printed, or a costs file's JSON) into the
 *  costs it names. Never throws; a message says what to paste instead. */
export function parseCosts(text: string): CostsParse {
  const t = text.trim();
  if (t === "") return { ok: false, message: "Paste a figure such as 1.4 µs or 1400 ns, or the costs file from `prefault probe --save-costs`." };
  if (t.startsWith("{") || t.startsWith("[")) return parseCostsJson(t);
  // the probe's own lines name the machine's figure beside the model's default: take the former
  const line = /\b(?:costs about|fault)\s+(\d[\d.,]*\s*(?:ns|us|µs|μs|ms))\b/i.exec(t);
  const figures = line ? [...line[1].matchAll(FIGURE)] : [...t.matchAll(FIGURE)];
  if (figures.length === 0) {
    if (/^\d+(?:[.,]\d+)?$/.test(t)) return { ok: false, message: `"${t}" has no unit: write ${t} ns or ${t} µs.` };
    return { ok: false, message: `No fault cost in "${short(t)}": paste a figure such as 1.4 µs or 1400 ns, or the costs file's JSON.` };
  }
  if (figures.length > 1) return { ok: false, message: `"${short(t)}" holds ${figures.length} figures: paste the one fault cost, e.g. 1.4 µs.` };
  const [whole, sign, num, unit] = figures[0];
  const before = (line ? line[1] : t).slice(0, figures[0].index);
  const minus = /[-\u2212]\s*$/.exec(before);
  if (sign === "-" || sign === "\u2212" || minus) {
    return { ok: false, message: `"${(minus ? minus[0] : "") + whole.trim()}" is negative: a fault cost is a time, more than 0 ns (e.g. ${num} ${unit}).` };
  }
  if (NUMBER_BEFORE.test(before)) {
    return { ok: false, message: `"${short(t)}" has a number just before ${num} ${unit}: write the figure without spaces, e.g. 1400 ns.` };
  }
  // "1,400 ns": a thousands separator or a decimal comma? 1400 ns and 1.4 ns are 1000 times apart
  if (/^\d+,\d{3}$/.test(num)) {
    return { ok: false, message: `"${num} ${unit}" could be ${num.replace(",", "")} ${unit} or ${num.replace(",", ".")} ${unit}: write it without the comma, or with a decimal point.` };
  }
  const ns = Number(num.replace(",", ".")) * UNIT_NS[unit.toLowerCase()];
  return faultCosts(ns, `${num} ${unit}`);
}

/** Parses a costs file's text (the scenario "costs" object, as `prefault probe --save-costs`
 *  writes it), checked against the scenario schema's "costs". `name` prefixes the messages. */
export function parseCostsJson(text: string, name?: string): CostsParse {
  const at = name ? `${name}: ` : "";
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, message: `${at}not valid JSON: ${(e as Error).message}` }; }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, message: `${at}a costs file is a JSON object such as {"fault_exception_ns": 1200}` };
  }
  // the schema's own check of "costs", through a one-step scenario that carries them
  const v = validateScenario({ name: "costs", costs: json, steps: [{ op: "spawn", task: "t" }] });
  if (!v.ok) return { ok: false, message: `${at}${v.error.message.replace(/\/costs/g, "")}` };
  const costs = v.scenario.costs ?? {};
  if (costs.fault_exception_ns !== undefined && (costs.fault_exception_ns <= 0 || costs.fault_exception_ns > MAX_FAULT_NS)) {
    return { ok: false, message: `${at}/fault_exception_ns: ${rangeWords(costs.fault_exception_ns)}` };
  }
  return { ok: true, costs };
}

// a fault cost in ns -> costs, or why not (whole nanoseconds, above 0, at most 1 s)
function faultCosts(ns: number, said: string): CostsParse {
  if (!Number.isFinite(ns) || ns <= 0 || ns > MAX_FAULT_NS) return { ok: false, message: `${said}: ${rangeWords(ns)}` };
  const rounded = Math.round(ns);
  if (rounded < 1) return { ok: false, message: `${said}: ${rangeWords(ns)}` };
  return { ok: true, costs: { fault_exception_ns: rounded } };
}

function rangeWords(ns: number): string {
  return `a fault cost is more than 0 ns and at most 1 s (got ${Number.isFinite(ns) ? fmtCost(ns) : "no number"})`;
}

function short(t: string): string { return t.length > 40 ? t.slice(0, 37) + "..." : t; }

/** A cost in words: "850 ns", "1.4 µs", "20 µs", "1.5 ms". */
export function fmtCost(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${trim(ns / 1000)} µs`;
  return `${trim(ns / 1_000_000)} ms`;
}
function trim(x: number): string { return x >= 100 ? String(Math.round(x)) : String(Number(x.toFixed(1))); }

/** The fault cost a scenario runs with: its own, else the default (the series' 20 µs). */
export function faultCostOf(costs?: Costs): number { return costs?.fault_exception_ns ?? DEFAULT_COSTS.fault_exception_ns; }

/** `scenario` with `costs` over its own: the cost model of `prefault run --costs` and of the
 *  browser's timelines with the learner's figure. Behaviour (faults, signals, pages) does not
 *  depend on costs; only simulated time and latencies do. */
export function withCosts(scenario: Scenario, costs: Costs): Scenario {
  return { ...scenario, costs: { ...scenario.costs, ...costs } };
}
