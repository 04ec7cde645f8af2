// engine/report/escape.ts: learner-controlled text made safe for a terminal, a log or a
// spreadsheet. An abort() message, a student folder name or a compiler message quoting a string
// literal can hold ESC (cursor moves, screen clears, OSC 52 sets the clipboard), BEL, a CR that
// rewinds the line (a forged "Score: 10/10"), C1 controls (U+0080..U+009F, CSI on some
// terminals) and bidi overrides (U+202E turns "fail" into "liaf"). Every human-readable format
// (the text report, CSV, `prefault run`) passes such text through escapeControls().

/** C0 (but tab and line feed), DEL, C1, the bidi embeddings/overrides/isolates and marks, and
 *  the line/paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const UNSAFE_NO_NL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

function visible(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u{${n.toString(16)}}`;
}

/** s with every unsafe character written as a visible escape (\x1b, \x0d, \u{202e}). Line
 *  feeds and tabs are kept unless `oneLine`, which escapes line feeds too. Idempotent. Pure. */
export function escapeControls(s: string, oneLine = false): string {
  return s.replace(oneLine ? UNSAFE_NO_NL : UNSAFE, visible);
}

/** True when s holds a character escapeControls() would escape. */
export function hasControls(s: string): boolean {
  return /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.test(s);
}
