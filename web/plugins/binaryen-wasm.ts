// binaryen-wasm.ts: a Vite plugin (build only) that takes binaryen's WebAssembly binary out of its
// JavaScript. binaryen.js (what asc compiles with) carries its 8.9 MB Wasm module as a 13 MB
// string literal, which the browser must scan as JavaScript and then copy byte by byte into an
// array before a non-streaming WebAssembly.instantiate(). Here it becomes an asset of its own
// (assets/binaryen-HASH.wasm): fetched and compiled while it downloads
// (WebAssembly.compileStreaming, web/src/workers/binaryen-module.ts, started by the compiler
// worker's first line, in parallel with the asc chunk), cached compiled by Chromium, and 200 KiB
// smaller over the wire (brotli). binaryen gets the module through Emscripten's documented
// `instantiateWasm` hook; no line of binaryen's code changes otherwise.
//
// docs/toolchain.md §5.1. The patch matches two shapes of binaryen's build and fails the build, naming them, when either
// is missing (a binaryen upgrade that changes its output must be looked at, not silently slow).
import type { Plugin } from "vite";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The module the compiler worker imports for binaryen's URL: `export default "<url>" | null`. */
export const BINARYEN_WASM_ID = "virtual:prefault-binaryen-wasm";
const RUNTIME = resolve(import.meta.dirname, "../src/workers/binaryen-module.ts");
const BINARYEN = /[\\/]node_modules[\\/]binaryen[\\/]index\.js$/;

/** The wasm literal in binaryen's source: where it starts (the decoder call) and ends, and the bytes. */
export function findWasmLiteral(code: string): { start: number; end: number; bytes: Uint8Array } {
  const calls = [...code.matchAll(/\b[\w$]+\(`\\0asm/g)];
  if (calls.length !== 1) throw new Error(`binaryen-wasm: expected one embedded Wasm literal (NAME(\`\\0asm...\`)) in binaryen, found ${calls.length}`);
  const start = calls[0].index!;
  const open = code.indexOf("`", start);
  let i = open + 1;
  for (; i < code.length; i++) {
    if (code[i] === "\\") { i++; continue; }
    if (code[i] === "`") break;
    if (code[i] === "$" && code[i + 1] === "{") throw new Error("binaryen-wasm: the Wasm literal has a substitution");
  }
  if (code[i] !== "`" || code[i + 1] !== ")") throw new Error("binaryen-wasm: the Wasm literal does not end");
  // a template literal without substitutions: evaluating it runs no code of binaryen's
  const text = new Function(`return ${code.slice(open, i + 1)};`)() as string;
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) { const n = text.charCodeAt(k); bytes[k] = ~n >> 8 & n; }   // binaryen's own decoder
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error("binaryen-wasm: the literal is not a Wasm module");
  return { start, end: i + 2, bytes };
}

/** binaryen's source without its Wasm literal, instantiated from `binaryenModule` (RUNTIME). */
export function patchBinaryen(code: string): string {
  const { start, end } = findWasmLiteral(code);
  if (!code.includes(".instantiateWasm")) throw new Error("binaryen-wasm: binaryen has no instantiateWasm hook");
  const tail = /var ([\w$]+)=await ([\w$]+)\(\),([\w$]+)=\1;export\{\3 as default\};?\s*$/;
  const m = tail.exec(code);
  if (!m) throw new Error("binaryen-wasm: binaryen's last statement is not `var X=await F(),Y=X;export{Y as default}`");
  const body = code.slice(0, start) + "new Uint8Array(0)" + code.slice(end, m.index);
  return `import { binaryenModule as __prefaultBinaryen } from ${JSON.stringify(RUNTIME)};\n` + body +
    // a failed fetch or instantiate rejects the import (Emscripten's hook has no error path)
    `var ${m[1]}=await new Promise((ok,no)=>{${m[2]}({instantiateWasm(imports,done){` +
    `__prefaultBinaryen().then(mod=>WebAssembly.instantiate(mod,imports)).then(done,no);return{}}}).then(ok,no)}),` +
    `${m[3]}=${m[1]};export{${m[3]} as default};\n`;
}

/** The plugin, for the workers' build (vite.config.ts `worker.plugins`; the dev server: a null URL). */
export function binaryenWasm(): Plugin {
  let wasm: Uint8Array | null = null, build = false;
  return {
    name: "prefault-binaryen-wasm",
    enforce: "pre",
    configResolved(c) { build = c.command === "build"; },
    resolveId(id) { return id === BINARYEN_WASM_ID ? "\0" + BINARYEN_WASM_ID : undefined; },
    async load(id) {
      if (id !== "\0" + BINARYEN_WASM_ID) return undefined;
      // the dev server pre-bundles asc untouched (optimizeDeps): binaryen keeps its literal there
      if (!build) return "export default null;";
      const asc = await this.resolve("assemblyscript/asc", RUNTIME);
      const bin = asc && await this.resolve("binaryen", asc.id);
      if (!bin) this.error("binaryen-wasm: cannot resolve binaryen from assemblyscript");
      wasm ??= findWasmLiteral(readFileSync(bin.id, "utf8")).bytes;
      const ref = this.emitFile({ type: "asset", name: "binaryen.wasm", source: wasm });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    transform(code, id) {
      if (!build || !BINARYEN.test(id)) return undefined;
      return { code: patchBinaryen(code), map: null };
    },
  };
}
