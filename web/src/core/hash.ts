// hash.ts: a stable, fast content hash for cache keys (compile cache, autosave dedupe).
//
// Returns 16 hex digits: two FNV-1a 32-bit passes with different offsets over the UTF-16 code
// units. Not cryptographic; it only has to tell edited sources apart. Pure; used by the
// compiler client (web/src/workers/clients.ts) and tests.
export function contentHash(text: string): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** The hash of a set of files: names and contents, in name order. */
export function filesHash(files: Record<string, string>): string {
  const names = Object.keys(files).sort();
  return contentHash(names.map(n => n + "\u0000" + files[n]).join("\u0001"));
}
