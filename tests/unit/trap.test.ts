// locateTrap(): a real trap in asc-compiled code, mapped through the real source map.
import { test } from "node:test";
import assert from "node:assert/strict";
import asc from "assemblyscript/asc";
import { locateTrap, decodeMappings, describeTrap } from "../../engine/trap.js";

const SRC = [
  "export function boom(n: i32): i32 {",
  "  if (n > 0) {",
  "    unreachable();",
  "  }",
  "  return inner(n);",
  "}",
  "function inner(n: i32): i32 {",
  "  return 100 / n;",
  "}",
  ""].join("\n");

async function build(): Promise<{ wasm: Uint8Array; map: string }> {
  const outs: Record<string, Uint8Array | string> = {};
  const { error } = await asc.main(["boom.ts", "--outFile", "b.wasm", "--noColors", "--runtime", "stub", "-O0",
                                    "--debug", "--sourceMap"], {
    readFile: (f: string) => f === "boom.ts" ? SRC : null,
    writeFile: (f: string, c: Uint8Array | string) => { outs[f] = c; },
    listFiles: () => [], stdout: { write: () => true }, stderr: { write: () => true },
  } as never);
  assert.equal(error, null);
  return { wasm: outs["b.wasm"] as Uint8Array, map: String(outs["b.wasm.map"]) };
}

function trapOf(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  assert.fail("did not trap");
}

test("unreachable and divide-by-zero traps map to the source line", async () => {
  const { wasm, map } = await build();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), { env: { abort: () => { throw new Error("abort"); } } });
  const boom = inst.exports.boom as (n: number) => number;
  const u = locateTrap(trapOf(() => boom(1)), map);
  assert.deepEqual(u && { file: u.file, line: u.line }, { file: "boom.ts", line: 3 });
  assert.equal(u!.column, SRC.split("\n")[2].indexOf("unreachable") + 1);
  const z = locateTrap(trapOf(() => boom(0)), map);
  assert.deepEqual(z && { file: z.file, line: z.line }, { file: "boom.ts", line: 8 });
});

test("frames of another module (the kernel) are not mapped through the learner's map", async () => {
  const { wasm, map } = await build();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), { env: { abort: () => { throw new Error("abort"); } } });
  const err = trapOf(() => (inst.exports.boom as (n: number) => number)(1)) as Error;
  const offset = /wasm-function\[\d+\]:(0x[0-9a-f]+)/.exec(err.stack!)![1];
  // a kernel frame at an offset that would map to line 3 of boom.ts if it were the learner's
  const divide = /wasm-function\[\d+\]:(0x[0-9a-f]+)/.exec((trapOf(() => (inst.exports.boom as (n: number) => number)(0)) as Error).stack!)![1];
  const stack = `RuntimeError: unreachable\n    at kernel-as/memory/handle_mm_fault (wasm://wasm/0000beef:wasm-function[40]:${offset})\n` +
    err.stack!.split("\n").slice(1).join("\n").replace(/wasm-function\[(\d+)\]:0x[0-9a-f]+/, `wasm-function[$1]:${divide}`);
  const loc = locateTrap({ stack }, map);
  assert.equal(loc?.line, 8);
});

test("no source map, a JS error, or a garbage map give undefined", async () => {
  assert.equal(locateTrap(new Error("x")), undefined);
  assert.equal(locateTrap(new Error("x"), "{}"), undefined);
  assert.equal(locateTrap(new Error("x"), "not json"), undefined);
  assert.equal(locateTrap(undefined, "{}"), undefined);
});

test("VLQ decoding of a known mapping", () => {
  // "AAAA" = [0,0,0,0]; "CAAC" = [1,0,0,1]; "gBACA" = [16,0,1,0]
  assert.deepEqual(decodeMappings("AAAA,CAAC,gBACA").map(s => [s.generated, s.source, s.line, s.column]),
    [[0, 0, 0, 0], [1, 0, 0, 1], [17, 0, 1, 1]]);
});

test("allocating past the memory cap is described as out of memory, at the allocating line", async () => {
  const src = "export function hog(): i32 {\n  let n = 0;\n  while (true) {\n    const a = new Array<u64>(1024);\n    n += a.length;\n  }\n  return n;\n}\n";
  const outs: Record<string, Uint8Array | string> = {};
  const { error } = await asc.main(["hog.ts", "--outFile", "h.wasm", "--noColors", "--runtime", "stub", "-O0", "--debug",
                                    "--sourceMap", "--maximumMemory", "2"], {
    readFile: (f: string) => f === "hog.ts" ? src : null,
    writeFile: (f: string, c: Uint8Array | string) => { outs[f] = c; },
    listFiles: () => [], stdout: { write: () => true }, stderr: { write: () => true },
  } as never);
  assert.equal(error, null);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(outs["h.wasm"] as Uint8Array<ArrayBuffer>),
    { env: { abort: () => { throw new Error("abort"); } } });
  const err = trapOf(() => (inst.exports.hog as () => number)());
  assert.match(describeTrap(err) ?? "", /^out of memory/);
  assert.equal(locateTrap(err, String(outs["h.wasm.map"]))?.line, 4);
  // an ordinary trap keeps its own message
  assert.equal(describeTrap(new Error("divide by zero")), undefined);
});
