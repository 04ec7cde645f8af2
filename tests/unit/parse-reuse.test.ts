// engine/parse-reuse.ts: asc's library is parsed once per process, and a compile that reuses the
// kept trees gives what asc as shipped gives, byte for byte, and leaves the trees as it found them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { keptLibrarySources } from "../../engine/parse-reuse.js";
import type { Answer, Job } from "./parse-reuse-worker.js";
import type { CompileResult } from "../../engine/types.js";
import { DATASTORE_POST } from "./fixtures.js";

const A = asc as unknown as AscModule;
const ROOT = new URL("../../../", import.meta.url).pathname;

// asc with the reuse, handing over the library sources of each program it parses
const programSources: { internalPath: string }[][] = [];
const WATCHED: AscModule = {
  version: A.version,
  main: (argv, o) => A.main(argv, { ...o, transforms: [...(o.transforms ?? []), class {
    declare readonly program: { sources: { internalPath: string }[] };
    afterParse(): void { programSources.push(this.program.sources.filter(s => s.internalPath.startsWith("~lib/"))); }
  }] }),
};

// every learner file the lessons ship (starters, solutions, mutants: the cheats among them), the
// stage handlers, and hostile or unusual code that reaches far into the library
function corpus(): [string, string][] {
  const out: [string, string][] = [];
  const lessons = join(ROOT, "lessons");
  for (const id of readdirSync(lessons).sort()) {
    for (const dir of ["starter", "solution", "mutants"]) {
      const d = join(lessons, id, dir);
      if (!existsSync(d)) continue;
      for (const f of readdirSync(d).sort()) if (f.endsWith(".ts")) out.push([`${id}/${dir}/${f}`, readFileSync(join(d, f), "utf8")]);
    }
  }
  const stages = join(ROOT, "stages");
  for (const s of readdirSync(stages).sort()) {
    const f = join(stages, s, "datastore.ts");
    if (existsSync(f)) out.push([`stages/${s}`, readFileSync(f, "utf8")]);
  }
  const extra = (name: string, code: string) => out.push([name, DATASTORE_POST + "\n" + code]);
  extra("library at large", `
    export function library_at_large(n: i32): string {
      const m = new Map<string, i32>(); m.set("a", n);
      const a = [3, 1, 2]; a.sort((x, y) => x - y);
      const s = new Set<i64>(); s.add(<i64>n);
      return a.join(",") + m.get("a").toString() + (s.has(1) ? "y" : "n") + Math.floor(1.5).toString() + "x".repeat(n);
    }`);
  extra("imports a library file", `import { HASH } from "~lib/util/hash";\nexport function h(): u32 { return HASH<i32>(1); }`);
  extra("imports a library file that does not exist", `import { nope } from "~lib/no/such/file";\nexport function h(): i32 { return nope; }`);
  extra("a parse error", "export function broken(: i32 {");
  extra("a type error", `export function wrong(): i32 { return "text"; }`);
  extra("shadows library globals", `@global export function isNaN<T>(x: T): bool { return false; }\nexport function abort2(): void { unreachable(); }`);
  // asc's parser carries tryParseSignatureIsSignature from one file to the next, and this one
  // reads it without setting it: a second diagnostic (TS1012) comes only from a parser that last
  // parsed the library, as asc's own does
  extra("a this-typed signature that fails to parse", "type F = (this: 123) => void;");
  extra("extends library classes", `class MyArray extends Array<i32> { twice(): i32 { return this.length * 2; } }\nexport function mine(): i32 { const a = new MyArray(); a.push(1); return a.twice(); }`);
  return out;
}

function same(name: string, a: CompileResult, b: CompileResult): void {
  assert.equal(a.ok, b.ok, `${name}: compiles with reuse: ${a.ok}, without: ${b.ok}`);
  if (a.ok && b.ok) {
    assert.deepEqual(a.wasm, b.wasm, `${name}: other bytes`);
    assert.equal(a.sourceMap, b.sourceMap, `${name}: other source map`);
    assert.deepEqual(a.diagnostics, b.diagnostics, `${name}: other warnings`);
  } else if (!a.ok && !b.ok) {
    assert.deepEqual(a.error, b.error, `${name}: other error`);
  }
}

test("after one compile, a compile parses no library file: every one is served from the kept trees", async () => {
  const first = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// reuse 1\n" });
  assert.ok(first.ok);
  const kept = new Set(keptLibrarySources());
  assert.ok(kept.size >= 40, `only ${kept.size} library files kept`);
  const again = await compileDatastore(WATCHED, { "datastore.ts": DATASTORE_POST + "\n// reuse 2\n" });
  assert.ok(again.ok);
  const lib = programSources.at(-1) ?? [];
  assert.equal(lib.length, kept.size, "the second program has other library files");
  for (const s of lib) assert.ok(kept.has(s), `${s.internalPath} was parsed again`);
});

// the same list compiled in two fresh workers, with and without the reuse (see parse-reuse-worker.ts)
async function compileInWorker(job: Job): Promise<Answer> {
  const w = new Worker(new URL("./parse-reuse-worker.js", import.meta.url), { workerData: job });
  try {
    return await new Promise<Answer>((resolve, reject) => { w.once("message", resolve); w.once("error", reject); });
  } finally { await w.terminate(); }
}

test("every lesson file, stage and hostile submission compiles to the same bytes, source map and diagnostics as with asc as shipped, and leaves the library trees unchanged", async () => {
  const files = corpus();
  assert.ok(files.length >= 50, `a corpus of ${files.length} files`);
  // compiles started together take turns, and each gets its own source map (the kept trees'
  // source map indices belong to one compile at a time)
  const together = [0, 1, 2, 3].map(i => DATASTORE_POST.replace("export function vvar_fault",
    `${"\n".repeat(i + 1)}export function vvar_fault`) + `\n// together ${i}\n`);
  const [reused, stock] = await Promise.all([compileInWorker({ reuse: true, files, together }),
                                             compileInWorker({ reuse: false, files, together })]);
  assert.ok(reused.kept >= 40, `only ${reused.kept} library files kept`);
  assert.equal(stock.kept, 0);
  files.forEach(([name], i) => same(name, reused.results[i], stock.results[i]));
  assert.ok(reused.results.filter(r => !r.ok).length >= 3, "the corpus has its compile errors");
  // as the first compile parsed them, the trees are after all those compiles
  assert.equal(reused.digests.length, 2);
  assert.equal(reused.digests[1], reused.digests[0], "a compile changed a kept library tree");
  together.forEach((_, i) => same(`compile ${i} of 4 started together`, reused.together[i], stock.together[i]));
});

test("a compile that fails inside asc drops the kept trees, and the compiles after it still run", async () => {
  const ok = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// before the crash\n" });
  assert.ok(ok.ok && keptLibrarySources().length > 0);
  const throwing: AscModule = { version: "throws", main: async () => { throw new Error("asc crashed"); } };
  const crashed = await compileDatastore(throwing, { "datastore.ts": DATASTORE_POST });
  assert.equal(!crashed.ok && crashed.error.kind, "internal");
  assert.equal(keptLibrarySources().length, 0, "trees of a compile that crashed are kept");
  // a diagnostic asc could not place (no source) breaks the mapping after asc returned
  const garbled: AscModule = { version: "garbled", main: async (_argv, o) => {
    o.reportDiagnostic?.({ code: 1, category: 3, message: "x", range: { start: 0, end: 0, source: null as never } });
    return { error: null };
  } };
  const odd = await compileDatastore(garbled, { "datastore.ts": DATASTORE_POST });
  assert.equal(!odd.ok && odd.error.kind, "internal");
  const after = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// after the crash\n" });
  assert.ok(after.ok, !after.ok ? after.error.message : "");
  assert.ok(keptLibrarySources().length >= 40, "the next compile keeps the library again");
});
