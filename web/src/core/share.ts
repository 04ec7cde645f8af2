// share.ts: the share link codec. A link carries the lesson id and, only when they differ from
// the starter, the learner's editable files, deflated (fflate) and base64url-encoded, and, for
// a practice problem ("predict, then run", docs/practice.md), its seed:
//
//   #lesson=01-vvar-fault&v=1&code=<base64url(deflate(JSON {"datastore.ts": "..."}))>
//   #lesson=01-first-fault&v=1&seed=42          practice problem 42 of lesson 01
//
// Pure (no DOM): main.ts passes location.hash in and gets a ShareState out.
import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";
import { parseSeed } from "../../../engine/scenario-gen-rng.js";

export const SHARE_VERSION = 1;

export interface ShareState {
  lesson: string;
  /** edited files, or null when the link carries no code (the starter is meant) */
  files: Record<string, string> | null;
  /** the practice problem the link opens (a seed, 0 .. 2^32-1), or null for none */
  seed: number | null;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Whether any editable file differs from its starter text. */
export function differsFromStarter(files: Record<string, string>, starter: Record<string, string>): boolean {
  return Object.keys(starter).some(n => (files[n] ?? starter[n]) !== starter[n]);
}

/** The hash fragment (with '#') for a lesson, its current files and (when given) the seed of
 *  the practice problem on screen. */
export function encodeShare(lesson: string, files: Record<string, string>, starter: Record<string, string>, seed: number | null = null): string {
  const params = new URLSearchParams({ lesson, v: String(SHARE_VERSION) });
  if (seed !== null) params.set("seed", String(seed));
  if (differsFromStarter(files, starter)) {
    const edited: Record<string, string> = {};
    for (const n of Object.keys(starter)) if (files[n] !== undefined && files[n] !== starter[n]) edited[n] = files[n];
    params.set("code", toBase64Url(deflateSync(strToU8(JSON.stringify(edited)), { level: 9 })));
  }
  return "#" + params.toString();
}

/** Parses a hash fragment. Returns null when it names no lesson; drops undecodable code
 *  (files: null) and a seed that is not one (seed: null) rather than failing, so a truncated
 *  link still opens the lesson. */
export function decodeShare(hash: string): ShareState | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const lesson = params.get("lesson");
  if (!lesson || !/^[A-Za-z0-9._-]{1,80}$/.test(lesson)) return null;
  const seed = parseSeed(params.get("seed"));
  const code = params.get("code");
  if (!code) return { lesson, files: null, seed };
  try {
    const parsed: unknown = JSON.parse(strFromU8(inflateSync(fromBase64Url(code))));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { lesson, files: null, seed };
    const files: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === "string" && /^[A-Za-z0-9._/-]{1,100}$/.test(k)) files[k] = v;
    }
    return { lesson, files, seed };
  } catch {
    return { lesson, files: null, seed };
  }
}
