// tests/model/import-cycles.test.ts: kernel-as has no import cycle. Each file imports only files
// below it (a leaf clock, the log, the page allocator, ... up to the syscall layer), so a file
// can be read, and its start-up code runs, without the files that use it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.js";

const DIR = join(ROOT, "kernel-as");

/** The relative imports of each kernel-as file: "mmap" -> ["mm_types", "memory", ...]. Covers
 *  `import ... from "./x"` and `export ... from "./x"`, over several lines. */
export function importGraph(dir: string): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter(f => f.endsWith(".ts")).sort()) {
    const src = readFileSync(join(dir, f), "utf8").replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
    const deps = new Set<string>();
    for (const m of src.matchAll(/\b(?:import|export)\b[^;"']*?\bfrom\s*["']\.\/([\w.-]+?)(?:\.ts)?["']/g)) deps.add(m[1]);
    for (const m of src.matchAll(/\bimport\s*["']\.\/([\w.-]+?)(?:\.ts)?["']/g)) deps.add(m[1]);
    g.set(f.replace(/\.ts$/, ""), [...deps].sort());
  }
  return g;
}

/** Every elementary cycle found by a depth-first walk, each as "a -> b -> a" (one per back edge). */
export function findCycles(g: Map<string, string[]>): string[] {
  const state = new Map<string, 1 | 2>();   // 1: on the stack, 2: done
  const stack: string[] = [];
  const out: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      if (state.get(d) === 1) out.push([...stack.slice(stack.indexOf(d)), d].join(" -> "));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of g.keys()) if (!state.has(n)) visit(n);
  return out;
}

test("kernel-as: the import graph has no cycle", () => {
  const g = importGraph(DIR);
  assert.ok(g.size > 20 && g.get("index")!.length > 5, "the graph was read");
  assert.deepEqual(findCycles(g), []);
});

test("kernel-as: the cycle finder finds a cycle (self-check on a made-up graph)", () => {
  const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
  assert.deepEqual(findCycles(g), ["a -> b -> c -> a"]);
  assert.deepEqual(findCycles(new Map([["a", ["b"]], ["b", []]])), []);
});

test("kernel-as: every relative import names a kernel-as file", () => {
  const g = importGraph(DIR);
  for (const [f, deps] of g) for (const d of deps) assert.ok(g.has(d), `${f}.ts imports ./${d}, which is not in kernel-as`);
});
