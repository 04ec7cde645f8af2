// The kernel's memory (engine/kernel-memory.ts): its size as asconfig.json and the built kernel
// declare it, and a memory reused by the next run is as good as new.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { runScenario } from "../../engine/machine.js";
import { giveBackKernelMemory, KERNEL_MAX_MEMORY_PAGES, KERNEL_MEMORY_PAGES, takeKernelMemory } from "../../engine/kernel-memory.js";
import { loadKernel, PACKAGE_ROOT } from "../../cli/node-paths.js";
import type { Scenario } from "../../engine/types.js";
import { DATASTORE_POST } from "./fixtures.js";

// the limits of every memory import of a Wasm binary (section 2), as "module.name": [min, max]
function memoryImports(bytes: Uint8Array): Record<string, [number, number | undefined]> {
  let at = 8;
  const u32 = () => { let v = 0, shift = 0, b: number; do { b = bytes[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return v >>> 0; };
  const name = () => { const n = u32(); const s = new TextDecoder().decode(bytes.subarray(at, at + n)); at += n; return s; };
  const out: Record<string, [number, number | undefined]> = {};
  while (at < bytes.length) {
    const id = bytes[at++], size = u32(), end = at + size;
    if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        const key = `${name()}.${name()}`, kind = bytes[at++];
        if (kind === 0) u32();                                   // a function: its type index
        else if (kind === 1) { at++; const f = u32(); u32(); if (f & 1) u32(); }   // a table
        else if (kind === 2) { const f = u32(); const min = u32(); out[key] = [min, f & 1 ? u32() : undefined]; }
        else if (kind === 3) at += 2;                            // a global: type, mutability
        else throw new Error(`import kind ${kind}`);
      }
    }
    at = end;
  }
  return out;
}

// the active data segments of a Wasm binary (section 11), as [offset, bytes]
function dataSegments(bytes: Uint8Array): [number, Uint8Array][] {
  let at = 8;
  const u32 = () => { let v = 0, shift = 0, b: number; do { b = bytes[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return v >>> 0; };
  const out: [number, Uint8Array][] = [];
  while (at < bytes.length) {
    const id = bytes[at++], size = u32(), end = at + size;
    if (id === 11) {
      for (let n = u32(); n > 0; n--) {
        const flags = u32();
        if (flags !== 0) throw new Error(`data segment flags ${flags}: only active segments of memory 0 are expected`);
        if (bytes[at++] !== 0x41) throw new Error("data segment offset: not an i32.const");
        const offset = u32();
        if (bytes[at++] !== 0x0b) throw new Error("data segment offset: no end");
        const len = u32();
        out.push([offset, bytes.subarray(at, at + len)]);
        at += len;
      }
    }
    at = end;
  }
  return out;
}

test("the kernel imports its memory with the pages engine/kernel-memory.ts gives it", () => {
  const config = JSON.parse(readFileSync(join(PACKAGE_ROOT, "asconfig.json"), "utf8")).options;
  assert.deepEqual([config.importMemory, config.zeroFilledMemory, config.initialMemory, config.maximumMemory],
                   [true, true, KERNEL_MEMORY_PAGES, KERNEL_MAX_MEMORY_PAGES]);
  for (const f of ["kernel.wasm", "kernel.debug.wasm"]) {
    assert.deepEqual(memoryImports(readFileSync(join(PACKAGE_ROOT, "build", f))), { "env.memory": [KERNEL_MEMORY_PAGES, KERNEL_MAX_MEMORY_PAGES] }, f);
  }
});

const SCENARIO: Scenario = {
  name: "reuse",
  steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", expect: { faults: 1 } },
    { op: "spawn", task: "b" },
    { op: "mlockall", task: "b", flags: ["MCL_CURRENT"] },
    { op: "getrandom", task: "b" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", repeat: 5, expect: { faults: 0 } },
  ],
} as Scenario;

test("a kernel memory given back is reused zeroed: the next run is the same as in a new memory; one that grew is not reused", async () => {
  const k = loadKernel();
  assert.ok(k.ok);
  const c = await compileDatastore(asc as unknown as AscModule, { "datastore.ts": DATASTORE_POST });
  assert.ok(c.ok);
  const learner = new WebAssembly.Module(c.wasm as Uint8Array<ArrayBuffer>);
  const seen: WebAssembly.Memory[] = [];
  const run = (after?: (m: WebAssembly.Memory) => void) => runScenario(k.module, learner, SCENARIO, {
    afterRun: kp => { const m = (kp as unknown as { memory: WebAssembly.Memory }).memory; seen.push(m); after?.(m); },
  });
  const first = run(m => new Uint8Array(m.buffer).fill(0xaa));     // given back dirty
  assert.equal(first.status, "ok", JSON.stringify(first.steps.map(s => s.failures)));
  const second = run(m => m.grow(1));                              // given back grown
  assert.equal(seen[1], seen[0], "the second run got the first one's memory");
  assert.deepEqual(second, first);
  const third = run();
  assert.notEqual(seen[2], seen[1], "a memory that grew is not reused");
  assert.equal(seen[2].buffer.byteLength, KERNEL_MEMORY_PAGES * 65536);
  assert.deepEqual(third, first);
});

// asconfig.json "zeroFilledMemory": the memory a kernel instance gets is all zero (new, or
// zeroed by takeKernelMemory), so the release build leaves out the data segments that are
// nothing but zeros (its static tables: 738 KiB that every instantiation used to copy)
test("the release kernel carries no all-zero data segment: it relies on the zeroed memory it is given", () => {
  const segments = dataSegments(readFileSync(join(PACKAGE_ROOT, "build", "kernel.wasm")));
  assert.ok(segments.length > 0, "the kernel's strings and constants are data segments");
  const zero = segments.filter(([, d]) => d.every(b => b === 0)).map(([offset, d]) => `${d.length} B at ${offset}`);
  assert.deepEqual(zero, [], "all-zero data segments");
  const total = segments.reduce((n, [, d]) => n + d.length, 0);
  assert.ok(total < 64 * 1024, `${total} bytes of data segments`);
});

test("takeKernelMemory: a memory given back comes back with every byte zero, at its initial size", () => {
  const m = takeKernelMemory();
  assert.equal(m.buffer.byteLength, KERNEL_MEMORY_PAGES * 65536);
  new Uint8Array(m.buffer).fill(0x5a);
  giveBackKernelMemory(m);
  const again = takeKernelMemory();
  assert.equal(again, m);
  assert.ok(new Uint8Array(again.buffer).every(b => b === 0), "a byte of the last run survived");
  // one that grew: a new one instead
  again.grow(1);
  giveBackKernelMemory(again);
  const other = takeKernelMemory();
  assert.notEqual(other, again);
  assert.equal(other.buffer.byteLength, KERNEL_MEMORY_PAGES * 65536);
});
