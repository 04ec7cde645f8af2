// engine/submission.ts: the rules every submission passes before it reaches the compiler, the
// same for `prefault grade FILE|DIR`, `prefault grade-all`, the kit's run_autograder (which calls
// `prefault grade`) and in-memory files (the browser, tests). Pure: the CLI's
// cli/submission-reader.ts does the file-system part (lstat, a bounded read) and hands the
// bytes here; the messages below are the only wording a refused submission gets.
//
//   a source file ── regular file? ── at most MAX_SOURCE_BYTES? ── a zip? ──► its entries
//                                                                └─ UTF-8? ──► text
//
// Rules:
//   - only regular files are read: a symbolic link is refused (it could point at the lesson's
//     reference solution, the hidden checks or any file of the grading machine), and so is a
//     FIFO, a device (/dev/zero), a socket or a folder where a file is expected;
//   - a source file holds at most MAX_SOURCE_BYTES bytes (a lesson's handler is ~5 KB; asc's
//     time grows with the source);
//   - the text must be UTF-8 (a BOM is allowed and dropped);
//   - a file whose bytes start with a zip signature is an archive, wherever it is given: it is
//     unpacked (at most MAX_ZIP_BYTES packed, MAX_ZIP_ENTRIES entries, each unpacked entry read
//     under the same byte cap, sizes as the archive declares them, never more), and the
//     lesson's editable files are taken from it by base name, in any folder of the archive
//     except hidden ones (".git/", "__MACOSX/"); a name found twice is refused as ambiguous.

import { unzipSync } from "fflate";
import type { EngineError } from "./types.js";

/** Largest source file graded (bytes). */
export const MAX_SOURCE_BYTES = 256 * 1024;
/** Largest zip archive unpacked (bytes, as handed in). */
export const MAX_ZIP_BYTES = 4 * 1024 * 1024;
/** Most entries a zip archive may list. */
export const MAX_ZIP_ENTRIES = 1000;

/** What lstat said a path is, as the reader reports it. */
export type FileKind = "file" | "symlink" | "directory" | "fifo" | "socket" | "char-device" | "block-device" | "other";

const KIND_WORDS: Record<FileKind, string> = {
  file: "a file", symlink: "a symbolic link", directory: "a folder", fifo: "a named pipe (FIFO)", socket: "a socket",
  "char-device": "a character device", "block-device": "a block device", other: "not a regular file",
};

function invalid(path: string, message: string): EngineError {
  return { kind: "invalid", path, message };
}

/** The refusal of a path that is not a regular file, saying what it is and why. */
export function refuseKind(name: string, kind: FileKind): EngineError {
  if (kind === "symlink") {
    return invalid(name, `${name} is a symbolic link; hand in the file itself (a link is never followed: it could point at any file of the grading machine)`);
  }
  return invalid(name, `${name} is ${KIND_WORDS[kind]}, not a regular file; only regular files are read`);
}

/** The refusal of a source larger than MAX_SOURCE_BYTES (`bytes` may be a lower bound). */
export function refuseSize(name: string, bytes: number, limit = MAX_SOURCE_BYTES): EngineError {
  return invalid(name, `${name} is ${bytes} bytes; the limit is ${limit}`);
}

/** The refusal of a file the reader could not open or read (errno code, e.g. EACCES). */
export function refuseUnreadable(name: string, code: string): EngineError {
  return invalid(name, `cannot read ${name}: ${code}`);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];

/** True when `bytes` start like a zip archive (a local file header, or an empty archive). */
export function isZip(bytes: Uint8Array): boolean {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  return bytes.length >= 4 && (starts(ZIP_MAGIC) || starts(EMPTY_ZIP));
}

/** The text of source `name` from its bytes: UTF-8 checked (a BOM dropped), size capped.
 *  The error says where the first bad byte is. */
export function decodeSource(name: string, bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: EngineError } {
  if (bytes.length > MAX_SOURCE_BYTES) return { ok: false, error: refuseSize(name, bytes.length) };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const at = firstBadUtf8(bytes);
    const line = 1 + bytes.subarray(0, at).filter(b => b === 0x0a).length;
    return { ok: false, error: invalid(name, `${name} is not UTF-8 text (byte 0x${bytes[at]?.toString(16).padStart(2, "0") ?? "??"} at offset ${at}, line ${line}); save it as UTF-8`) };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstBadUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const n = utf8SeqLen(b, i);
    if (n === 0) return i;
    i += n;
  }
  return b.length;
}

/** Length of the valid UTF-8 sequence at b[i] (1..4), or 0 when it is not one (overlong forms,
 *  surrogates and code points past U+10FFFF are invalid, as TextDecoder's fatal mode says). */
export function utf8SeqLen(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The lesson's editable files out of zip archive `name`, by the rules above. Entries that are
 *  not editable files are ignored; a missing editable file is left for the grader to report. */
export function filesFromZip(name: string, bytes: Uint8Array, editable: readonly string[]):
    { ok: true; files: Record<string, string> } | { ok: false; error: EngineError } {
  if (bytes.length > MAX_ZIP_BYTES) return { ok: false, error: refuseSize(name, bytes.length, MAX_ZIP_BYTES) };
  const found = new Map<string, string[]>();
  let entries = 0, refused: EngineError | undefined;
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(bytes, {
      filter: f => {
        if (++entries > MAX_ZIP_ENTRIES) { refused ??= invalid(name, `${name} lists more than ${MAX_ZIP_ENTRIES} entries`); return false; }
        if (f.name.endsWith("/")) return false;
        const parts = f.name.split("/");
        const base = parts[parts.length - 1];
        if (!editable.includes(base) || parts.slice(0, -1).some(p => p.startsWith(".") || p === "__MACOSX")) return false;
        found.set(base, [...(found.get(base) ?? []), f.name]);
        if (f.originalSize > MAX_SOURCE_BYTES) { refused ??= refuseSize(`${name}:${f.name}`, f.originalSize); return false; }
        return true;
      },
    });
  } catch (e) {
    return { ok: false, error: invalid(name, `${name} looks like a zip archive but cannot be unpacked: ${(e as Error).message}`) };
  }
  if (refused) return { ok: false, error: refused };
  const files: Record<string, string> = {};
  for (const [base, paths] of [...found].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (paths.length > 1) return { ok: false, error: invalid(name, `${name} holds ${base} more than once (${paths.sort().join(", ")}); hand in one`) };
    const d = decodeSource(`${name}:${paths[0]}`, unpacked[paths[0]]);
    if (!d.ok) return d;
    files[base] = d.text;
  }
  return { ok: true, files };
}

/** The refusal of in-memory files (the browser, a `{files}` submission) by the same rules:
 *  each at most MAX_SOURCE_BYTES bytes as UTF-8. */
export function checkFiles(files: Record<string, string>): EngineError | undefined {
  const enc = new TextEncoder();
  for (const [name, text] of Object.entries(files)) {
    if (typeof text !== "string") continue;
    // a string of n code units is at least n and at most 3n UTF-8 bytes
    if (text.length > MAX_SOURCE_BYTES) return refuseSize(name, text.length);
    if (text.length * 3 > MAX_SOURCE_BYTES) {
      const n = enc.encode(text).length;
      if (n > MAX_SOURCE_BYTES) return refuseSize(name, n);
    }
  }
  return undefined;
}
