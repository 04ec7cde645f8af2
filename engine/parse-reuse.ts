// engine/parse-reuse.ts: parse asc's standard library once per process, not once per compile.
//
// asc parses its standard library (49 files for a datastore, ~lib/array.ts to ~lib/rt/stub.ts)
// on every compile, and that parse is most of a compile: of a lesson compile's 128 ms in Node,
// 105 ms (docs/toolchain.md §6.1).
// The library's text never changes, so its syntax trees need not either:
//
//   compile 1:  parseFile("~lib/array.ts") ─► asc's own parser ─► Source (AST) ─┬─► program 1
//                                                                  kept here ◄──┘
//   compile 2:  parseFile("~lib/array.ts") ─► the kept Source, pushed as is ────────► program 2
//               parseFile("datastore.ts")  ─► asc's own parser (learner files: always)
//
// Serving a kept Source must leave asc's parser exactly as its own parse would have left it:
// the Source appended to `sources`, the file marked done and seen, and for each import or
// `export ... from` of the file, in order, the imported file queued (`backlog`) with its dependee,
// unless already seen (a named re-export also marks it seen; an import or `export *` does not).
// That rule is checked against asc's own parse of each file before it is kept, in the parser
// state that parse ran in: a file whose parse did anything else there (a diagnostic, more or
// fewer files queued) is not kept. The parser also carries a few fields from one file into the
// next (`currentModuleName`, `tryParseSignatureIsSignature`, `parseParametersThis`): each is set
// to what asc's own parse of the file left, so the learner's files, parsed after, start from
// the same state. A parser with any field not named here is not touched.
//
// What a compile writes into a syntax tree it does not own is put back: `debugInfoIndex` (the
// source map's file index, per Binaryen module) is reset on each reuse; `currentlyResolving`
// (asc's resolver) is reset by asc itself. tests/unit/parse-reuse.test.ts proves the rest: the
// same bytes, source map and diagnostics with and without reuse for every lesson's files, and
// library trees unchanged, bit for bit, by compiling them. Two compiles must not interleave
// (they share these trees): engine/compile.ts runs one asc at a time.
//
// Reaches into asc's parser (`program.parser`), which is not asc's public API: its fields are
// checked first, and any other set of fields means asc parses as it always did (only slower).

const LIBRARY_PREFIX = "~lib/";

/** The parts of asc's Source (src/ast.ts) used here. */
interface AstSource {
  internalPath: string;
  statements: AstStatement[];
  debugInfoIndex: number;
}
/** ImportStatement and ExportStatement carry the imported file (other statements do not). */
interface AstStatement { internalPath?: string | null; path?: unknown; members?: unknown }
interface Dependee { source: AstSource; reportNode: unknown }
/** The parts of asc's Parser (src/parser.ts) used here. */
interface AscParser {
  parseFile(text: string | null, path: string, isEntry: boolean): void;
  donelog: Set<string>;
  seenlog: Set<string>;
  backlog: string[];
  dependees: Map<string, Dependee>;
  sources: AstSource[];
  diagnostics: unknown[];
  currentSource: AstSource | null;
  currentModuleName: string | null;
  onComment: unknown;
  options: { features?: unknown } | null;
}

/** The parser's fields this file keeps in step (the rest of them carry over from file to file). */
const MANAGED = ["seen", "diagnostics", "backlog", "seenlog", "donelog", "dependees", "sources", "currentSource",
                 "options", "onComment"];
/** The fields that carry the end of one file's parse into the next file's (src/parser.ts). */
const CARRIED = ["currentModuleName", "tryParseSignatureIsSignature", "parseParametersThis"];

interface Kept { text: string; features: unknown; source: AstSource; carried: unknown[] }

// asc's own parseFile (one per loaded asc) -> kept library parses by "E|" or "L|" (entry or not) + path
const kept = new Map<object, Map<string, Kept>>();

/** The asc transform that installs the reuse (pass a subclass of it per compile, as with
 *  FuelTransform: asc assigns the compile's Program to the class's prototype, then constructs it
 *  before parsing anything). */
export class LibraryParseReuse {
  declare readonly program: { parser?: unknown } | undefined;
  constructor() {
    const parser = this.program?.parser;
    if (isAscParser(parser)) install(parser);
  }
}

/** Forgets every kept parse (after a compile that crashed inside asc, whose trees may be half
 *  resolved; and for tests). */
export function forgetLibraryParses(): void { kept.clear(); }

// replaces the parser's parseFile (an own property shadowing asc's method) with one that serves
// kept library files and keeps the ones asc parses
function install(parser: AscParser): void {
  const own = parser.parseFile;
  const store = kept.get(own) ?? new Map<string, Kept>();
  kept.set(own, store);
  parser.parseFile = function (this: AscParser, text, path, isEntry) {
    if (text === null || !path.startsWith(LIBRARY_PREFIX) || this.onComment != null) return own.call(this, text, path, isEntry);
    const key = (isEntry ? "E|" : "L|") + path;
    const features = this.options?.features;
    const k = store.get(key);
    if (k && k.text === text && k.features === features) { serve(this, k); return; }
    const fresh = parseAndCheck(this, own, text, path, isEntry);
    if (fresh) store.set(key, { text, features, ...fresh });
  };
}

// what asc's parseFile does for a file it parsed before, with the kept tree
function serve(parser: AscParser, k: Kept): void {
  const source = k.source;
  if (parser.donelog.has(source.internalPath)) return;
  parser.donelog.add(source.internalPath);
  parser.seenlog.add(source.internalPath);
  source.debugInfoIndex = -1;             // an index into the last compile's Binaryen module
  parser.sources.push(source);
  parser.currentSource = source;
  queueImports(parser, source);
  const fields = parser as unknown as Record<string, unknown>;
  CARRIED.forEach((f, i) => { fields[f] = k.carried[i]; });
}

// the parser's bookkeeping for the files `source` imports, as asc's parseImport/parseExport do it
function queueImports(p: Pick<AscParser, "seenlog" | "backlog" | "dependees">, source: AstSource): void {
  for (const st of source.statements) {
    const path = st.internalPath;
    if (typeof path !== "string" || st.path == null) continue;
    if (p.seenlog.has(path)) continue;
    p.dependees.set(path, { source, reportNode: st.path });
    p.backlog.push(path);
    if (Array.isArray(st.members)) p.seenlog.add(path);   // export { a } from: seen; import, export *: not
  }
}

// asc's own parse of a library file; the tree and the carried fields as the parse left them, when
// the parse did exactly what serve() would do (else undefined: the file is not kept)
function parseAndCheck(parser: AscParser, own: AscParser["parseFile"], text: string, path: string,
                       isEntry: boolean): { source: AstSource; carried: unknown[] } | undefined {
  const done = parser.donelog.size, seen = new Set(parser.seenlog), queued = parser.backlog.length;
  const deps = new Map(parser.dependees), nsources = parser.sources.length, ndiag = parser.diagnostics.length;
  own.call(parser, text, path, isEntry);
  if (parser.sources.length !== nsources + 1 || parser.diagnostics.length !== ndiag || parser.donelog.size !== done + 1) return undefined;
  const source = parser.sources[nsources];
  if (!isAstSource(source)) return undefined;
  // the same bookkeeping replayed from the state before the parse must give the state after it
  const replay = { seenlog: new Set(seen).add(source.internalPath), backlog: [] as string[], dependees: new Map(deps) };
  queueImports(replay, source);
  const added = parser.backlog.slice(queued);
  if (added.length !== replay.backlog.length || added.some((f, i) => f !== replay.backlog[i])) return undefined;
  if (replay.seenlog.size !== parser.seenlog.size || [...parser.seenlog].some(f => !replay.seenlog.has(f))) return undefined;
  if (replay.dependees.size !== parser.dependees.size) return undefined;
  for (const [f, d] of parser.dependees) {
    const r = replay.dependees.get(f);
    if (!r || r.source !== d.source || r.reportNode !== d.reportNode) return undefined;
  }
  const fields = parser as unknown as Record<string, unknown>;
  return { source, carried: CARRIED.map(f => fields[f]) };
}

// asc's Parser with exactly the fields this file knows (a new field could be more carried state;
// an own parseFile would be a reuse installed already)
function isAscParser(p: unknown): p is AscParser {
  const q = p as Partial<AscParser> | null;
  if (typeof q !== "object" || q === null) return false;
  const known = [...MANAGED, ...CARRIED], keys = Object.keys(q);
  if (keys.length !== known.length || !known.every(k => keys.includes(k))) return false;
  return typeof q.parseFile === "function" && q.donelog instanceof Set && q.seenlog instanceof Set
    && Array.isArray(q.backlog) && q.dependees instanceof Map && Array.isArray(q.sources) && Array.isArray(q.diagnostics);
}

function isAstSource(s: unknown): s is AstSource {
  const q = s as Partial<AstSource> | null;
  return typeof q === "object" && q !== null && typeof q.internalPath === "string" && Array.isArray(q.statements)
    && typeof q.debugInfoIndex === "number";
}

/** The kept library trees (tests: a compile must leave them as it found them). */
export function keptLibrarySources(): object[] {
  return [...kept.values()].flatMap(files => [...files.values()].map(k => k.source));
}
