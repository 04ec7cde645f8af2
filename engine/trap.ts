// engine/trap.ts: where in the learner's source a Wasm trap happened.
//
// A trap (RuntimeError: unreachable, divide by zero, out of bounds ...) carries a stack whose
// Wasm frames each engine writes its own way (the Web API's convention is
// "name@url:wasm-function[index]:0xoffset", https://webassembly.github.io/spec/web-api/):
//
//   V8 (Node, Chromium)   at datastore/vvar_fault (wasm://wasm/b03ceb1a:wasm-function[3]:0x1bb)
//   SpiderMonkey (Firefox)  datastore/vvar_fault@http://h/w.js line 1 > WebAssembly.Module:wasm-function[3]:0x1bb
//   JavaScriptCore (Safari) <?>.wasm-function[datastore/vvar_fault]@[wasm code]      (before 2025)
//                           datastore/vvar_fault@<?>:wasm-function[3]                (since)
//
// JavaScriptCore gives no byte offset: there the location is the learner's file without a line
// (line 0). The hex offset is a byte offset into the module, which is also the "generated column" (on
// generated line 1) of a Wasm source map. Frames of the kernel's module must not be mapped
// through the learner's map: the learner's module is the one whose frames carry names of the
// learner's files ("datastore/...", "prefault_entry/..."), as asc --debug names them.

export interface TrapLocation { file: string; line: number; column: number }

/** One Wasm frame: the function's name ("" when the module has no names), the module's url (""
 *  when the engine does not say), the byte offset (undefined on JavaScriptCore). */
export interface Frame { name: string; url: string; offset?: number }

// files of a learner compile that are not the learner's own
const ENGINE_SOURCES = new Set(["kernel.ts", "prefault_entry.ts"]);

/** Maps the innermost learner frame of trap `err` through `sourceMap` (the learner module's
 *  source map from compileDatastore) to {file, line, column} (1-based) in a learner file.
 *  Returns undefined when there is no map, no Wasm frame, or no frame in a learner file.
 *  Called by the runner (engine/machine.ts) when learner code traps. */
export function locateTrap(err: unknown, sourceMap?: string): TrapLocation | undefined {
  if (!sourceMap) return undefined;
  return learnerLocator(sourceMap)(err);
}

/** A locator for one learner module: decodes `sourceMap` once and returns a function that maps
 *  a stack (an error, or a stack string) as locateTrap() does. Used for every kernel API call the
 *  learner makes while its calls are traced (engine/machine.ts), so the map is not decoded per
 *  call. A map that does not parse gives a locator that always answers undefined. */
export function learnerLocator(sourceMap: string): (err: unknown) => TrapLocation | undefined {
  // one grading runs every scenario with the same map: decode it once, and only when asked
  if (sourceMap === lastMap && lastLocator) return lastLocator;
  let made: ((err: unknown) => TrapLocation | undefined) | undefined;
  const lazy = (err: unknown) => (made ??= makeLocator(sourceMap))(err);
  lastMap = sourceMap;
  lastLocator = lazy;
  return lazy;
}

let lastMap: string | undefined;
let lastLocator: ((err: unknown) => TrapLocation | undefined) | undefined;

function makeLocator(sourceMap: string): (err: unknown) => TrapLocation | undefined {
  let map: SourceMapV3;
  try { map = JSON.parse(sourceMap) as SourceMapV3; } catch { return () => undefined; }
  if (!Array.isArray(map.sources) || typeof map.mappings !== "string") return () => undefined;
  const stems = new Set(map.sources.filter(s => !s.startsWith("~lib/")).map(s => s.replace(/\.ts$/, "")));
  const segments = decodeMappings(map.mappings);
  return (err: unknown) => {
    const stack = typeof err === "string" ? err : (err as { stack?: unknown } | null)?.stack;
    if (typeof stack !== "string") return undefined;
    const frames = parseWasmFrames(stack);
    // the learner module: the url of the first frame named after one of the map's own files
    const mine = frames.find(f => stems.has(stemOf(f.name)));
    const candidates = mine ? frames.filter(f => f.url === mine.url) : frames;
    for (const f of candidates) {
      if (f.offset === undefined) {
        // no offset (JavaScriptCore): the learner's file, from the frame's name, without a line
        const file = map.sources.find(src => src.replace(/\.ts$/, "") === stemOf(f.name));
        if (file !== undefined && !file.startsWith("~lib/") && !ENGINE_SOURCES.has(file)) return { file, line: 0, column: 0 };
        continue;
      }
      const seg = lookup(segments, f.offset);
      if (!seg) continue;
      const file = map.sources[seg.source];
      if (file === undefined || file.startsWith("~lib/") || ENGINE_SOURCES.has(file)) continue;
      return { file, line: seg.line + 1, column: seg.column + 1 };
    }
    return undefined;
  };
}

/** A learner-facing message for a raw trap whose own message says little, or undefined.
 *  Today: "unreachable" raised inside the AssemblyScript runtime's allocator, which is what a
 *  learner module that allocates past its memory cap (--maximumMemory) dies with. Called by the
 *  run (engine/machine.ts) when it turns a trap into an Oops. */
export function describeTrap(err: unknown): string | undefined {
  const stack = typeof err === "string" ? err : (err as { stack?: unknown } | null)?.stack;
  const message = err instanceof Error ? err.message : typeof stack === "string" ? stack.split("\n")[0] : "";
  if (typeof stack !== "string") return undefined;
  const inner = parseWasmFrames(stack)[0];
  if (/unreachable/.test(message) && inner && /^~lib\/rt\/(stub|tlsf|tcms|itcms)\//.test(inner.name)) {
    return "out of memory: the datastore allocated past its memory cap (its heap is never freed: " +
      "allocate nothing per fault)";
  }
  return undefined;
}

interface SourceMapV3 { version: number; sources: string[]; mappings: string }

// the file stem a frame's function name starts with: "datastore" of "datastore/vvar_fault" (a
// "module." prefix some engines add is dropped)
function stemOf(name: string): string {
  const head = name.split("/")[0];
  return head.slice(head.lastIndexOf(".") + 1);
}

const V8_FRAME = /^\s*at (?:(\S+) \()?(.+?):wasm-function\[\d+\]:0x([0-9a-fA-F]+)\)?\s*$/;
const SPIDERMONKEY_FRAME = /^\s*(.*?)@(.*?):wasm-function\[\d+\]:0x([0-9a-fA-F]+)\s*$/;
const JSC_FRAME_OLD = /^\s*(?:[^@]*?\.)?wasm-function\[([^\]]+)\]@\[wasm code\]\s*$/;
const JSC_FRAME = /^\s*(.*?)@(.*?):wasm-function\[\d+\]\s*$/;

/** The Wasm frames of a V8, SpiderMonkey or JavaScriptCore stack, innermost first. */
export function parseWasmFrames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const line of stack.split("\n")) {
    let m = V8_FRAME.exec(line);
    if (m) { out.push({ name: m[1] ?? "", url: m[2], offset: parseInt(m[3], 16) }); continue; }
    m = SPIDERMONKEY_FRAME.exec(line);
    if (m) { out.push({ name: m[1], url: m[2], offset: parseInt(m[3], 16) }); continue; }
    m = JSC_FRAME_OLD.exec(line);
    if (m) { out.push({ name: /^\d+$/.test(m[1]) ? "" : m[1], url: "" }); continue; }
    m = JSC_FRAME.exec(line);
    if (m) out.push({ name: m[1], url: "" });
  }
  return out;
}

interface Segment { generated: number; source: number; line: number; column: number }

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes the first generated line of source-map `mappings` (a Wasm map has only one) into
 *  segments sorted by generated column; segments without a source are dropped. */
export function decodeMappings(mappings: string): Segment[] {
  const out: Segment[] = [];
  let generated = 0, source = 0, line = 0, column = 0;
  const line1 = mappings.split(";")[0];
  for (const group of line1.split(",")) {
    if (group === "") continue;
    const v = decodeVlq(group);
    generated += v[0];
    if (v.length >= 4) {
      source += v[1]; line += v[2]; column += v[3];
      out.push({ generated, source, line, column });
    }
  }
  return out.sort((a, b) => a.generated - b.generated);
}

function decodeVlq(s: string): number[] {
  const out: number[] = [];
  let value = 0, shift = 0;
  for (const ch of s) {
    const digit = B64.indexOf(ch);
    if (digit < 0) break;
    value += (digit & 31) << shift;
    if (digit & 32) { shift += 5; continue; }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0; shift = 0;
  }
  return out;
}

// the last segment at or before byte offset `offset`
function lookup(segs: Segment[], offset: number): Segment | undefined {
  let lo = 0, hi = segs.length - 1, best: Segment | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].generated <= offset) { best = segs[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}
