// engine/report/util.ts: small pure helpers shared by the emitters (numbers, text, base64).

import type { Report, TestResult } from "../types.js";

/** A score as text: at most two decimals, no trailing zeros ("3", "2.5", "0.33"). */
export function fmtPoints(n: number): string {
  if (!Number.isFinite(n)) return "0";
  return String(Math.round(n * 100) / 100);
}

/** n rounded to 4 decimals (scores in JSON formats; avoids 0.30000000000000004). */
export function round4(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 10000) / 10000 : 0;
}

/** The report's errors as text lines, "file:line:col: message" when a position is known. */
export function errorLines(report: Report): string[] {
  return report.errors.map(e => {
    const where = e.file ? `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ""}` : ""}: ` : "";
    return where + e.message;
  });
}

/** The tests to list in formats that need at least one test to show a failure: the report's
 *  tests, or, when none ran because of errors, one synthetic "compile" test in error holding
 *  every point. Pure. */
export function testsOrBuildError(report: Report): TestResult[] {
  if (report.tests.length > 0 || report.errors.length === 0) return report.tests;
  return [{
    id: "compile", name: "compile", status: "error", score: 0, max_score: report.max_score,
    message: errorLines(report).join("\n"), visibility: "visible",
  }];
}

/** s cut to at most max characters, with a note saying how much was dropped. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  const note = `\n[... ${s.length - max} more characters cut]`;
  return s.slice(0, Math.max(0, max - note.length)) + note;
}

/** Base64 of the UTF-8 bytes of s. Uses btoa (browsers, Node >= 16), so no Buffer. */
export function base64Utf8(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** s without characters XML 1.0 forbids and without lone surrogates; learner text (abort
 *  messages) can hold anything. */
export function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** s escaped for an XML text node. */
export function xmlText(s: string): string {
  return xmlSafe(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

/** s escaped for a double-quoted XML attribute (newlines and tabs kept as character references,
 *  since a parser would turn them into spaces). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

/** One line of text: newlines, the other line breaks Unicode has (U+0085, U+2028, U+2029)
 *  and other control characters become spaces. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F\u0085\u2028\u2029]+/g, " ").trim();
}

/** s as a JSON string literal that is also one line for any reader: JSON.stringify leaves
 *  U+2028 and U+2029 raw, which line-oriented parsers (tap-parser, YAML) take as line breaks. */
export function jsonLine(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Why a check did not pass: its assertions did not hold ("assertion"), its scenario never
 *  returned ("timeout") or trapped ("oops"), the submission did not compile ("compile"), the
 *  grader could not run it ("engine"), or a check it requires did not pass ("blocked"). */
export type FailureReason = "assertion" | "timeout" | "oops" | "compile" | "engine" | "blocked";

/** A check's outcome for the formats that tell a failed test from one that could not run:
 *  "error" for a timeout, an oops, a compile error or an engine error, "fail" for assertions
 *  that did not hold; a blocked check takes the outcome of the check blocking it. Reads the
 *  check's `failure.kind` (engine/grade.ts writes one for every check that does not pass); a
 *  report without one (written before it existed) is read by its message. Pure. */
export function checkOutcome(t: TestResult, all: readonly TestResult[], depth = 0): { status: TestResult["status"]; reason?: FailureReason } {
  if (t.status === "pass") return { status: "pass" };
  const kind = t.failure?.kind ?? (t as TestResult & { reason?: string }).reason;
  if (kind === "timeout" || kind === "oops" || kind === "compile") return { status: "error", reason: kind };
  if (kind === "error" || kind === "engine") return { status: "error", reason: "engine" };
  if (kind === "assertion") return { status: "fail", reason: "assertion" };
  const blocked = /^Not graded until "(.*)" passes\.$/.exec(t.message);
  if ((kind === "blocked" || blocked) && depth < all.length) {
    const by = all.find(x => x !== t && (t.because !== undefined ? x.id === t.because : x.name === blocked?.[1]));
    if (by) return { status: checkOutcome(by, all, depth + 1).status, reason: "blocked" };
    if (kind === "blocked") return { status: "fail", reason: "blocked" };
  }
  if (t.status === "error") return { status: "error", reason: /^did not compile/.test(t.message) ? "compile" : "engine" };
  if (/^(soft lockup: )?(vvar_fault\(\) did not return|the datastore's top-level code)/.test(t.message)) return { status: "error", reason: "timeout" };
  if (/^The kernel oopsed in step /.test(t.message)) return { status: "error", reason: "oops" };
  return { status: "fail", reason: "assertion" };
}

/** The report with each check's status replaced by its checkOutcome(), and the reasons in
 *  check order (undefined for a pass). Pure. */
export function classifyReport(report: Report): { report: Report; reasons: (FailureReason | undefined)[] } {
  const outcomes = report.tests.map(t => checkOutcome(t, report.tests));
  return {
    report: { ...report, tests: report.tests.map((t, i) => ({ ...t, status: outcomes[i].status })) },
    reasons: outcomes.map(o => o.reason),
  };
}
