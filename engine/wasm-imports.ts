// engine/wasm-imports.ts: the imports a compiled Wasm module declares, read from its bytes.
//
// A lesson that asks for a form of the code (lesson 3: "map by pgoff", no virt_to_page()) checks
// what the compiled learner module imports from the kernel, not words in its source text: an
// escaped name (`@external("kernel", "virt\u005fto_page")`), a string literal or a comment cannot
// change what the binary links to, and asc leaves out every kernel function the code never
// reaches. The import section is parsed by hand (Wasm core spec, 5.5.5 "Import Section") so that
// no module has to be compiled: the browser refuses to compile a large module synchronously on
// its main thread, and this runs where the grade is made (engine/grade-submission.ts).

/** One import of a module: "module.name" and what it is. */
export interface WasmImport { module: string; name: string; kind: "function" | "table" | "memory" | "global" | "tag" }

const KINDS = ["function", "table", "memory", "global", "tag"] as const;

/** The imports of the Wasm binary `bytes`, in declaration order, or a message saying why the
 *  bytes are not a module this parser can read. Pure. */
export function wasmImports(bytes: Uint8Array): { ok: true; imports: WasmImport[] } | { ok: false; message: string } {
  let at = 0;
  const fail = (why: string) => ({ ok: false as const, message: `not a Wasm module: ${why} (byte ${at})` });
  const byte = (): number => {
    if (at >= bytes.length) throw new RangeError("truncated");
    return bytes[at++];
  };
  // an unsigned LEB128 of at most 5 bytes (u32)
  const u32 = (): number => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = byte();
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    throw new RangeError("LEB128 too long");
  };
  const name = (): string => {
    const n = u32();
    if (at + n > bytes.length) throw new RangeError("truncated name");
    const s = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const limits = (): void => { const flags = byte(); u32(); if (flags & 1) u32(); };
  try {
    const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    for (const m of magic) if (byte() !== m) return fail("no \\0asm version 1 header");
    const out: WasmImport[] = [];
    while (at < bytes.length) {
      const id = byte();
      const size = u32();
      const end = at + size;
      if (end > bytes.length) return fail(`section ${id} runs past the end`);
      if (id === 2) {
        for (let n = u32(); n > 0; n--) {
          const module = name(), field = name(), kind = byte();
          if (kind === 0) u32();                                  // type index
          else if (kind === 1) { byte(); limits(); }              // reftype, limits
          else if (kind === 2) limits();
          else if (kind === 3) { byte(); byte(); }                // valtype, mutability
          else if (kind === 4) { byte(); u32(); }                 // attribute, type index
          else return fail(`unknown import kind ${kind}`);
          out.push({ module, name: field, kind: KINDS[kind] });
        }
        return { ok: true, imports: out };
      }
      at = end;
    }
    return { ok: true, imports: out };
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** The names of the functions `bytes` imports from module `from` (e.g. "kernel"), sorted, or
 *  undefined when the bytes cannot be read. */
export function importedFunctions(bytes: Uint8Array, from: string): string[] | undefined {
  const r = wasmImports(bytes);
  if (!r.ok) return undefined;
  return [...new Set(r.imports.filter(i => i.module === from && i.kind === "function").map(i => i.name))].sort();
}
