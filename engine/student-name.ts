// engine/student-name.ts: a class folder entry's name (bytes, as the file system holds it) as
// the student name in reports, and back. Linux names are bytes, not text: two folders whose
// names are invalid UTF-8 would both decode to "\uFFFD..." and be merged. The escape is
// reversible (injective), so every entry keeps its own row, and safe to print:
//
//   valid UTF-8 printable text    kept as it is           alice, Zoë, 王芳
//   a backslash                   \\                      a\b   -> a\\b
//   a byte of invalid UTF-8       \xHH                    0xff  -> \xff
//   C0, DEL                       \xHH                    ESC   -> \x1b
//   C1, bidi controls, LS/PS      \u{HHHH}                U+202E -> \u{202e}
//
// Pure.

import { utf8SeqLen } from "./submission.js";

const UNSAFE_CP = /[\u0080-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** The student name of a folder entry named by `bytes`. */
export function studentName(bytes: Uint8Array): string {
  let out = "";
  const dec = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i];
    if (c < 0x80) {
      out += c === 0x5c ? "\\\\" : c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, "0")}` : String.fromCharCode(c);
      i++;
      continue;
    }
    const n = utf8SeqLen(bytes, i);
    if (n === 0) { out += `\\x${c.toString(16).padStart(2, "0")}`; i++; continue; }
    const ch = dec.decode(bytes.subarray(i, i + n));
    out += UNSAFE_CP.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch;
    i += n;
  }
  return out;
}

/** The bytes of the entry a studentName() names, or null when `name` is not one's output. */
export function studentNameBytes(name: string): Uint8Array | null {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < name.length;) {
    if (name[i] !== "\\") {
      const cp = name.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const rest = name.slice(i);
    let m: RegExpExecArray | null;
    if (rest.startsWith("\\\\")) { out.push(0x5c); i += 2; }
    else if ((m = /^\\x([0-9a-f]{2})/.exec(rest))) { out.push(parseInt(m[1], 16)); i += 4; }
    else if ((m = /^\\u\{([0-9a-f]{1,6})\}/.exec(rest))) { out.push(...enc.encode(String.fromCodePoint(parseInt(m[1], 16)))); i += m[0].length; }
    else return null;
  }
  return Uint8Array.from(out);
}
