// engine/fuel.ts: the instruction budget of a learner module, as an asc transform.
//
// After asc has compiled the learner's module (its afterCompile hook), binaryen's own
// log-execution pass puts a call at every loop header, function entry and return; that call is
// then defined here as "take one unit of fuel, trap when none is left", and inlined into every
// caller (only that function: every other one is marked no-inline first). The fuel lives in a
// Wasm global the learner's source cannot name (it is added after compiling), exported as
// FUEL_EXPORT so the host can tell a trap for an empty tank from any other trap. Its initial
// value is LEARNER_FUEL (engine/limits.ts); every scenario instantiates the module afresh, so the
// budget is per scenario. Counting Wasm is deterministic: the same source runs out of fuel at the
// same instruction in Node, Chromium, Firefox and Safari, however loaded the machine is.
// Used by engine/compile.ts for every learner compile; read by engine/machine.ts.

import { LEARNER_FUEL } from "./limits.js";

/** The learner module's export holding the fuel left (a mutable i32 global). */
export const FUEL_EXPORT = "prefault_fuel";

// the function log-execution calls (binaryen src/passes/LogExecution.cpp)
const LOGGER = "log_execution";

/** The part of binaryen.js the transform uses. */
interface Binaryen {
  i32: number; none: number;
  createType(types: number[]): number;
  setPassArgument(key: string, value: string | null): void;
  getAlwaysInlineMaxSize(): number;
  setAlwaysInlineMaxSize(size: number): void;
}
interface BinaryenModule {
  runPasses(passes: string[]): void;
  getFunction(name: string): number;
  removeFunction(name: string): void;
  addFunction(name: string, params: number, results: number, vars: number[], body: number): number;
  addGlobal(name: string, type: number, mutable: boolean, init: number): number;
  addGlobalExport(internal: string, external: string): number;
  i32: { const(v: number): number; sub(a: number, b: number): number; lt_s(a: number, b: number): number };
  block(label: string | null, children: number[], type: number): number;
  global: { get(name: string, t: number): number; set(name: string, v: number): number };
  if(c: number, t: number, f?: number): number;
  unreachable(): number;
}

/** The asc transform (pass the class in asc.main's `transforms`; asc sets `binaryen`). Adds the
 *  fuel global, its export and the metering; `fuel` is the initial budget. */
export class FuelTransform {
  declare readonly binaryen: Binaryen;
  static fuel = LEARNER_FUEL;

  afterCompile(m: BinaryenModule): void {
    const b = this.binaryen;
    const global = "~prefault/fuel";
    // learner functions keep their frames (trap locations, stack traces): only the meter inlines
    b.setPassArgument("no-inline", "*");
    try { m.runPasses(["no-inline"]); } finally { b.setPassArgument("no-inline", null); }
    m.runPasses(["log-execution"]);
    m.removeFunction(LOGGER);                               // the import the pass added
    m.addGlobal(global, b.i32, true, m.i32.const(FuelTransform.fuel));
    // (param $id i32): fuel -= 1; if (fuel < 0) trap. A negative fuel is the sign of an empty tank.
    const take = m.block(null, [
      m.global.set(global, m.i32.sub(m.global.get(global, b.i32), m.i32.const(1))),
      m.if(m.i32.lt_s(m.global.get(global, b.i32), m.i32.const(0)), m.unreachable()),
    ], b.none);
    m.addFunction(LOGGER, b.createType([b.i32]), b.none, [], take);
    m.addGlobalExport(global, FUEL_EXPORT);
    const size = b.getAlwaysInlineMaxSize();
    b.setAlwaysInlineMaxSize(1000);
    try { m.runPasses(["inlining"]); } finally { b.setAlwaysInlineMaxSize(size); }
  }
}

/** The fuel left in learner instance `exports` (negative once it ran out), or undefined when the
 *  module has no meter (it was not compiled by engine/compile.ts). */
export function fuelLeft(exports: WebAssembly.Exports): number | undefined {
  const g = exports[FUEL_EXPORT];
  return g instanceof WebAssembly.Global ? Number(g.value) : undefined;
}
