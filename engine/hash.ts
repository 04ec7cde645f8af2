// engine/hash.ts: the one content hash of Prefault: hex SHA-256, in pure JavaScript
// (@noble/hashes), so it works where Web Crypto does not: crypto.subtle exists only on secure
// origins, and a class serving Prefault over plain HTTP from a LAN address has none. Synchronous
// and platform-neutral. Keys the compile cache (engine/compile.ts, cli/node-compile-cache.ts)
// and the web app's compile results (web/src/workers/clients.ts) and autosave dedupe.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** Hex SHA-256 (64 lowercase digits) of the UTF-8 encoding of `text`. */
export function contentHash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The hash of a set of files: names and contents, in name order (the names and texts are
 *  JSON-encoded, so no choice of file name or content can make two sets collide by framing). */
export function filesHash(files: Record<string, string>): string {
  const names = Object.keys(files).sort();
  return contentHash(JSON.stringify(names.map(n => [n, files[n]])));
}
