// engine/compile.ts: compile a learner's datastore into a Wasm module, in memory.
//
//   files (datastore.ts, ...)  ─┐
//   kernel.ts (read-only header) ├─► asc.main (in-memory fs) ─► learner.wasm + source map
//   prefault_entry.ts (generated)┘        │
//                                         └─► Diagnostic[] (learner files: editor positions)
//
// The asc module is injected (the default export of "assemblyscript/asc"), so this file runs
// unchanged in a browser worker and in Node. Results are cached by a hash of the input, so an
// unchanged source costs nothing; asc's standard library is parsed once per process, not once per
// compile (engine/parse-reuse.ts; so asc runs one compile at a time). Callers: the CLI
// (cli/node-compile-worker.ts), the grader, the web compiler worker.

import type { CompileResult, Diagnostic, EngineError } from "./types.js";
import { KERNEL_HEADER_TS } from "./generated/kernel-header.js";
import { DATASTORE_FILE, ENTRY_FILE, ENTRY_TS, KERNEL_FILE, learnerExportDiagnostic, lineColumn } from "./compile-entry.js";
import { contentHash } from "./hash.js";
import { FuelTransform } from "./fuel.js";
import { forgetLibraryParses, LibraryParseReuse } from "./parse-reuse.js";
import { LEARNER_FUEL, LEARNER_MAX_MEMORY_PAGES } from "./limits.js";

/** The part of "assemblyscript/asc" this file uses. */
export interface AscModule {
  version?: string;
  main(argv: string[], options: {
    readFile(filename: string, baseDir: string): string | null | Promise<string | null>;
    writeFile(filename: string, contents: Uint8Array | string, baseDir: string): void | Promise<void>;
    listFiles(dirname: string, baseDir: string): string[] | null | Promise<string[] | null>;
    stdout?: { write(chunk: unknown): unknown };
    stderr?: { write(chunk: unknown): unknown };
    reportDiagnostic?(d: AscDiagnostic): void;
    /** transform classes (asc instantiates them and sets their `binaryen`) */
    transforms?: unknown[];
  }): Promise<{ error: Error | null }>;
}

/** What asc hands reportDiagnostic (assemblyscript/cli/index.d.ts DiagnosticMessage). */
export interface AscDiagnostic {
  code: number;
  category: number;
  message: string;
  range: { start: number; end: number; source: { normalizedPath: string; text?: string } } | null;
}

/** asc itself, or a way to load it only when a compile is really needed (a cache hit in a
 *  CompileStore then never loads the compiler). `version` is part of the cache key. */
export type AscSource = AscModule | { version: string; load(): Promise<AscModule> };

/** A second-level cache (e.g. on disk, cli/node-compile-cache.ts), consulted after the in-memory
 *  one. Keyed by CompileResult.hash; a store that fails should act as a miss. */
export interface CompileStore {
  get(hash: string): Promise<CompileResult | undefined>;
  set(hash: string, result: CompileResult): Promise<void>;
}

export interface CompileOptions {
  /** --debug: function names in traps and stack traces. Default true. */
  debug?: boolean;
  /** emit a source map (for engine/trap.ts). Default true. */
  sourceMap?: boolean;
  /** --maximumMemory, in 64 KiB pages: a memory blow-up traps here. Default LEARNER_MAX_MEMORY_PAGES. */
  maximumMemoryPages?: number;
  /** a persistent cache behind the in-memory one (not part of the key) */
  store?: CompileStore;
  /** serve asc's standard library from the trees of an earlier compile (engine/parse-reuse.ts).
   *  Default true; false is asc as shipped, for benchmarks and tests. Not part of the key: the
   *  result is the same (tests/unit/parse-reuse.test.ts). */
  reuseLibraryParse?: boolean;
}

const OUT_FILE = "learner.wasm";
const LEARNER_NAME = /^[A-Za-z_][A-Za-z0-9_-]*\.ts$/;
const RESERVED = [KERNEL_FILE, ENTRY_FILE].map(f => f.toLowerCase());
const CACHE_LIMIT = 32;
/** Part of every cache key: bump it when this file changes what a compile returns (flags,
 *  diagnostic mapping), so persistent stores do not serve results of the old code. */
const RESULT_FORMAT = 2;          // 2: the fuel meter (engine/fuel.ts)

// cache key -> compile in flight or done; insertion order doubles as LRU order
const cache = new Map<string, Promise<CompileResult>>();

/** Compiles the learner's editable `files` (normally just datastore.ts) with the read-only
 *  kernel header and the generated entry file. Returns the wasm bytes (a fresh copy for every
 *  caller, so it may be transferred), the source map, the warnings, and the cache hash; or
 *  {ok:false, error:{kind:"compile"}} with diagnostics mapped to the learner's files. Never throws. */
export async function compileDatastore(asc: AscSource, files: Record<string, string>,
                                       opts: CompileOptions = {}): Promise<CompileResult> {
  const bad = checkLearnerFiles(files);
  if (bad) return { ok: false, error: bad };
  const { o, key } = compileKey(asc.version ?? "", files, opts);
  let p = cache.get(key);
  if (p) {
    cache.delete(key); cache.set(key, p);           // most recently used
  } else {
    p = compileThroughStore(asc, { ...files }, o, key, opts.store);
    cache.set(key, p);
    while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  }
  const r = await p;
  if (!r.ok && r.error.kind === "internal") cache.delete(key);   // a crash is not an answer to keep
  return copyResult(r);
}

/** The options of one asc run, resolved. */
type RunOptions = Required<Omit<CompileOptions, "store">>;

// the resolved options and the cache key of a compile of `files` with asc `version`
function compileKey(version: string, files: Record<string, string>, opts: CompileOptions): { o: RunOptions; key: string } {
  const keyed = { debug: opts.debug ?? true, sourceMap: opts.sourceMap ?? true,
                  maximumMemoryPages: opts.maximumMemoryPages ?? LEARNER_MAX_MEMORY_PAGES };
  const names = Object.keys(files).sort();
  const key = contentHash(JSON.stringify([RESULT_FORMAT, version, keyed, LEARNER_FUEL, KERNEL_HEADER_TS, ENTRY_TS,
                                          names.map(n => [n, files[n]])]));
  return { o: { ...keyed, reuseLibraryParse: opts.reuseLibraryParse ?? true }, key };
}

/** What compileDatastore() would answer without running asc `version`: a bad file set's error,
 *  the in-memory cache's result or `opts.store`'s; undefined when asc would have to run. For a
 *  host that runs asc elsewhere (cli/node-compiler.ts: in a worker) and wants a cache hit to
 *  cost no worker. Never throws. */
export async function storedCompile(version: string, files: Record<string, string>,
                                    opts: CompileOptions = {}): Promise<CompileResult | undefined> {
  const bad = checkLearnerFiles(files);
  if (bad) return { ok: false, error: bad };
  const { key } = compileKey(version, files, opts);
  const p = cache.get(key);
  if (p) { const r = await p; return r.ok || r.error.kind === "compile" ? copyResult(r) : undefined; }
  if (!opts.store) return undefined;
  try {
    const hit = await opts.store.get(key);
    if (hit && (hit.ok ? hit.wasm instanceof Uint8Array && hit.hash === key : hit.error?.kind === "compile")) return copyResult(hit);
  } catch { /* a broken store is a miss */ }
  return undefined;
}

// the store's answer when it has one, else asc's (which then goes into the store)
async function compileThroughStore(asc: AscSource, files: Record<string, string>, o: RunOptions,
                                   key: string, store: CompileStore | undefined): Promise<CompileResult> {
  if (store) {
    try {
      const hit = await store.get(key);
      if (hit && (hit.ok ? hit.wasm instanceof Uint8Array && hit.hash === key : hit.error?.kind === "compile")) return hit;
    } catch { /* a broken store is a miss */ }
  }
  let module: AscModule;
  try {
    module = "main" in asc ? asc : await asc.load();
  } catch (e) {
    return { ok: false, error: { kind: "internal", message: `cannot load asc: ${(e as Error)?.message ?? String(e)}` } };
  }
  const r = await runAsc(module, files, o, key);
  if (store && (r.ok || r.error.kind === "compile")) {
    try { await store.set(key, r); } catch { /* best effort */ }
  }
  return r;
}

/** Empties the compile cache (tests, benchmarks). */
export function clearCompileCache(): void { cache.clear(); }

// undefined when `files` is a valid learner file set, else the error to return
function checkLearnerFiles(files: Record<string, string>): EngineError | undefined {
  const fail = (message: string): EngineError => ({ kind: "compile", message, diagnostics: [] });
  if (files === null || typeof files !== "object") return fail("no learner files given");
  for (const [name, text] of Object.entries(files)) {
    if (RESERVED.includes(name.toLowerCase()))
      return fail(`${name} is a file of the engine (the read-only kernel header or the generated entry); rename your file`);
    if (!LEARNER_NAME.test(name))
      return fail(`${JSON.stringify(name)} is not a valid learner file name (expected a name like datastore.ts, no folders)`);
    if (typeof text !== "string") return fail(`${name}: the file's content is not text`);
  }
  if (!Object.hasOwn(files, DATASTORE_FILE)) return fail(`no ${DATASTORE_FILE} among the learner files`);
  return undefined;
}

// the asc run in progress: runs take turns, as they share the library's syntax trees
// (engine/parse-reuse.ts; asc awaits only the host's callbacks and hooks, so nothing is lost)
let ascTurn: Promise<unknown> = Promise.resolve();

// one asc run, after the one before it; never throws
function runAsc(asc: AscModule, files: Record<string, string>,
                o: RunOptions, hash: string): Promise<CompileResult> {
  const r = ascTurn.then(() => runAscNow(asc, files, o, hash)).catch((e: unknown): CompileResult => {
    forgetLibraryParses();      // asc stopped half way: its trees may be half resolved
    return { ok: false, error: { kind: "internal", message: `asc failed: ${(e as Error)?.message ?? String(e)}` } };
  });
  ascTurn = r;       // never rejects: one compile's failure is not the next one's
  return r;
}

// one asc run; throws what asc throws
async function runAscNow(asc: AscModule, files: Record<string, string>,
                         o: RunOptions, hash: string): Promise<CompileResult> {
  const sources: Record<string, string> = { ...files, [KERNEL_FILE]: KERNEL_HEADER_TS, [ENTRY_FILE]: ENTRY_TS };
  const outs: Record<string, Uint8Array | string> = {};
  const raw: AscDiagnostic[] = [];
  let stderr = "";
  const argv = [ENTRY_FILE, "--outFile", OUT_FILE, "--noColors", "--runtime", "stub", "-O0", "--exportStart", "_initialize",
                "--maximumMemory", String(o.maximumMemoryPages)];
  if (o.debug) argv.push("--debug");
  if (o.sourceMap) argv.push("--sourceMap");
  const { error } = await asc.main(argv, {
    readFile: (name, baseDir) => (baseDir === "." || baseDir === "") && Object.hasOwn(sources, name) ? sources[name] : null,
    writeFile: (name, contents) => { outs[name] = contents; },
    listFiles: () => [],
    stdout: { write: () => undefined },
    stderr: { write: (s: unknown) => { stderr += String(s); } },
    reportDiagnostic: d => { raw.push(d); },
    // a class of its own per compile: asc assigns the compile's Program (its whole AST) and our
    // callbacks to a transform class's prototype, so the shared class would keep the last
    // compile alive until the next one (and each compile's garbage would outlive it).
    // LibraryParseReuse serves asc's library from the trees of the compiles before.
    transforms: o.reuseLibraryParse ? [class extends LibraryParseReuse {}, class extends FuelTransform {}]
                                    : [class extends FuelTransform {}],
  });
  const diagnostics = dedupeExportDiagnostics(raw.map(d => mapDiagnostic(d, sources)));
  const wasm = outs[OUT_FILE];
  if (error || !(wasm instanceof Uint8Array) || diagnostics.some(d => d.severity === "error")) {
    const errs = diagnostics.filter(d => d.severity === "error");
    const message = errs.length > 0 ? errs.map(formatDiagnostic).join("\n")
      : (error?.message ?? stderr.trim()) || "asc produced no output";
    return { ok: false, error: { kind: "compile", message, diagnostics } };
  }
  const map = outs[OUT_FILE + ".map"];
  const sourceMap = map === undefined ? undefined : typeof map === "string" ? map : new TextDecoder().decode(map);
  return { ok: true, wasm, sourceMap, diagnostics, hash };
}

// asc's diagnostic -> ours; learner files and the header keep their positions, the entry file's
// are moved onto the learner's exports
function mapDiagnostic(d: AscDiagnostic, sources: Record<string, string>): Diagnostic {
  const severity: Diagnostic["severity"] = d.category === 3 ? "error" : d.category === 2 ? "warning" : "info";
  const code = (d.code < 1000 ? "AS" : "TS") + d.code;
  if (!d.range) {
    return { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, start: 0, end: 0, code, severity, message: d.message };
  }
  const file = d.range.source.normalizedPath;
  if (file === ENTRY_FILE) {
    return learnerExportDiagnostic({ code, severity, message: d.message }, d.range.start, sources[DATASTORE_FILE]);
  }
  const text = Object.hasOwn(sources, file) ? sources[file] : (d.range.source.text ?? "");
  const a = lineColumn(text, d.range.start), b = lineColumn(text, d.range.end);
  return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column,
           start: d.range.start, end: d.range.end, code, severity, message: d.message };
}

// one missing or mistyped export makes asc report several errors in the entry file; they all
// translate to the same advice, so keep the first
function dedupeExportDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter(d => {
    const cut = d.message.indexOf(" (asc: ");
    if (cut < 0) return true;
    const key = `${d.file}:${d.start}:${d.message.slice(0, cut)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "datastore.ts:3:5 - error TS1109: Expression expected." (the form the CLI prints). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line}:${d.column} - ` : "";
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}

// a caller-owned copy, so that transferring or mutating the bytes cannot spoil the cache
function copyResult(r: CompileResult): CompileResult {
  if (!r.ok) return { ok: false, error: structuredCloneError(r.error) };
  return { ...r, wasm: r.wasm.slice(), diagnostics: r.diagnostics.map(d => ({ ...d })) };
}

function structuredCloneError(e: EngineError): EngineError {
  return e.kind === "compile" ? { ...e, diagnostics: e.diagnostics.map(d => ({ ...d })) } : { ...e };
}
