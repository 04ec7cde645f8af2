// binaryen-module.ts: binaryen's WebAssembly module, which the build takes out of binaryen.js
// into an asset of its own (web/plugins/binaryen-wasm.ts), compiled while it downloads.
//
// The compiler worker calls binaryenModule() at its first line, so the fetch and the streaming
// compile run while the asc chunk downloads and parses; binaryen's patched start-up calls it
// again and gets the same promise. Chromium keeps the compiled code of a streamed module in its
// code cache, so a later visit skips most of the compile.
import wasmUrl from "virtual:prefault-binaryen-wasm";

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled module (started once); rejects with the reason when it cannot be fetched or
 *  compiled. Null in a build that keeps binaryen's Wasm inline (Vite's dev server). */
export function binaryenModule(): Promise<WebAssembly.Module> | null {
  if (!wasmUrl) return null;
  return compiled ??= compile(new URL(wasmUrl, import.meta.url).href);
}

// streaming when the server says application/wasm; else from the bytes (a host that serves
// .wasm with another type still works, a little slower)
async function compile(url: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (streamError) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`cannot load the compiler's binaryen.wasm: HTTP ${res.status} for ${url}`);
    try { return await WebAssembly.compile(await res.arrayBuffer()); }
    catch (e) { throw new Error(`cannot compile the compiler's binaryen.wasm (${String(streamError)}; ${String(e)})`); }
  }
}
