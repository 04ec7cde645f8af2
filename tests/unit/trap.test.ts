// locateTrap(): a real trap in asc-compiled code, mapped through the real source map; the stack
// formats of V8, SpiderMonkey and JavaScriptCore.
import { test } from "node:test";
import assert from "node:assert/strict";
import asc from "assemblyscript/asc";
import { locateTrap, decodeMappings, describeTrap, parseWasmFrames } from "../../engine/trap.js";

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

// Fixture stacks of the three engines, as each prints a trap in asc --debug code (formats: the
// Web API's conventions; Firefox and Safari as reported by their users and in WebKit's history).
const V8_STACK = `RuntimeError: unreachable
    at datastore/vvar_fault (wasm://wasm/b03ceb1a:wasm-function[3]:0x1bb)
    at prefault_entry/vvar_fault (wasm://wasm/b03ceb1a:wasm-function[5]:0x1e0)
    at kernel-as/memory/handle_mm_fault (wasm://wasm/77aa0c12:wasm-function[40]:0x2f31)
    at Run.step (file:///app/engine/machine.js:240:19)`;
const SPIDERMONKEY_STACK = `datastore/vvar_fault@http://127.0.0.1:8080/assets/runner.worker-1a2b.js line 1 > WebAssembly.Module:wasm-function[3]:0x1bb
prefault_entry/vvar_fault@http://127.0.0.1:8080/assets/runner.worker-1a2b.js line 1 > WebAssembly.Module:wasm-function[5]:0x1e0
kernel-as/memory/handle_mm_fault@http://127.0.0.1:8080/assets/kernel.wasm:wasm-function[40]:0x2f31
step@http://127.0.0.1:8080/assets/runner.worker-1a2b.js:1:4410`;
const JSC_STACK_OLD = `<?>.wasm-function[datastore/vvar_fault]@[wasm code]
<?>.wasm-function[prefault_entry/vvar_fault]@[wasm code]
<?>.wasm-function[kernel-as/memory/handle_mm_fault]@[wasm code]
step@http://127.0.0.1:8080/assets/runner.worker-1a2b.js:1:4410`;
const JSC_STACK = `datastore/vvar_fault@<?>:wasm-function[3]
prefault_entry/vvar_fault@<?>:wasm-function[5]
kernel-as/memory/handle_mm_fault@<?>:wasm-function[40]
step@http://127.0.0.1:8080/assets/runner.worker-1a2b.js:1:4410`;

test("the Wasm frames of V8, SpiderMonkey and JavaScriptCore stacks", () => {
  const want = [["datastore/vvar_fault", 0x1bb], ["prefault_entry/vvar_fault", 0x1e0], ["kernel-as/memory/handle_mm_fault", 0x2f31]];
  assert.deepEqual(parseWasmFrames(V8_STACK).map(f => [f.name, f.offset]), want);
  assert.deepEqual(parseWasmFrames(SPIDERMONKEY_STACK).map(f => [f.name, f.offset]), want);
  assert.deepEqual(parseWasmFrames(V8_STACK).map(f => f.url), ["wasm://wasm/b03ceb1a", "wasm://wasm/b03ceb1a", "wasm://wasm/77aa0c12"]);
  assert.deepEqual(parseWasmFrames(SPIDERMONKEY_STACK)[0].url, "http://127.0.0.1:8080/assets/runner.worker-1a2b.js line 1 > WebAssembly.Module");
  for (const jsc of [JSC_STACK_OLD, JSC_STACK]) {
    assert.deepEqual(parseWasmFrames(jsc).map(f => [f.name, f.offset]), want.map(([n]) => [n, undefined]));
  }
  assert.deepEqual(parseWasmFrames("Error: x\n    at f (file:///a.js:1:2)\nf@http://h/a.js:1:2"), []);
});

test("a real trap is located the same from its V8 stack and from the same frames written the SpiderMonkey way; JavaScriptCore gives the file", async () => {
  const { wasm, map } = await build();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), { env: { abort: () => { throw new Error("abort"); } } });
  const err = trapOf(() => (inst.exports.boom as (n: number) => number)(0)) as Error;
  const v8 = locateTrap(err, map);
  assert.deepEqual(v8 && [v8.file, v8.line], ["boom.ts", 8]);
  const frames = parseWasmFrames(err.stack!);
  assert.ok(frames.length >= 2);
  const sm = frames.map((f, i) => `${f.name}@http://127.0.0.1/w.js line 3 > WebAssembly.Module:wasm-function[${i}]:0x${f.offset!.toString(16)}`).join("\n");
  assert.deepEqual(locateTrap({ stack: `${sm}\nrun@http://127.0.0.1/w.js:3:9` }, map), v8);
  const jsc = frames.map(f => `<?>.wasm-function[${f.name}]@[wasm code]`).join("\n");
  assert.deepEqual(locateTrap({ stack: jsc }, map), { file: "boom.ts", line: 0, column: 0 });
  const jscNew = frames.map((f, i) => `${f.name}@<?>:wasm-function[${i}]`).join("\n");
  assert.deepEqual(locateTrap({ stack: jscNew }, map), { file: "boom.ts", line: 0, column: 0 });
});
