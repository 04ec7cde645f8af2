// A worker for tests/unit/parse-reuse.test.ts: compiles a list of datastores in order, with asc's
// library parse reused (engine/parse-reuse.ts) or with asc as shipped, and posts the results.
// A worker of its own per mode, because Binaryen numbers the fuel meter's calls (log-execution)
// from a counter that lives as long as its instance: two workers that compile the same list in
// the same order see the same numbers, and so must produce the same bytes.
import { parentPort, workerData } from "node:worker_threads";
import { createHash } from "node:crypto";
import asc from "assemblyscript/asc";
import { clearCompileCache, compileDatastore, type AscModule } from "../../engine/compile.js";
import { keptLibrarySources } from "../../engine/parse-reuse.js";
import type { CompileResult } from "../../engine/types.js";

export interface Job { reuse: boolean; files: [string, string][]; together: string[] }
/** digests: of the kept trees as the first compile parsed them and after the last compile (reuse only) */
export interface Answer { results: CompileResult[]; together: CompileResult[]; digests: string[]; kept: number }

// asc, taking the first digest of the kept trees as soon as the first compile has parsed (before
// that compile resolves or compiles anything)
let made: string | undefined;
const A: AscModule = {
  version: (asc as unknown as AscModule).version,
  main: (argv, o) => (asc as unknown as AscModule).main(argv, { ...o, transforms: [...(o.transforms ?? []), class {
    afterParse(): void { if (made === undefined && keptLibrarySources().length > 0) made = digest(); }
  }] }),
};

// a digest of every kept library tree: each node's fields, in order, to the leaves (an object met
// again, such as a range's `source`, stands for its first visit)
export function digest(): string {
  const h = createHash("sha256");
  const seen = new Map<object, number>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") { h.update(`${typeof v}:${String(v)};`); return; }
    const id = seen.get(v);
    if (id !== undefined) { h.update(`#${id};`); return; }
    seen.set(v, seen.size);
    if (Array.isArray(v)) { h.update(`[${v.length}`); v.forEach(walk); h.update("]"); return; }
    if (v instanceof Map || v instanceof Set) { h.update(`<${v.size}`); for (const e of v) walk(e); h.update(">"); return; }
    h.update("{");
    for (const k of Object.keys(v)) {
      // derived from the text, on demand; the source map's file index, which a compile sets and
      // the reuse resets (each compile's own)
      if (k === "lineCache" || k === "lineColumn" || k === "debugInfoIndex") continue;
      h.update(k + "="); walk((v as Record<string, unknown>)[k]);
    }
    h.update("}");
  };
  for (const s of keptLibrarySources()) walk(s);
  return h.digest("hex");
}

async function main(job: Job): Promise<Answer> {
  const opts = { reuseLibraryParse: job.reuse };     // false: asc as shipped
  const results: CompileResult[] = [], digests: string[] = [];
  for (const [i, [, src]] of job.files.entries()) {
    clearCompileCache();
    results.push(await compileDatastore(A, { "datastore.ts": src }, opts));
    if (job.reuse && i === job.files.length - 1) digests.push(made ?? "none kept", digest());   // as made, after all
  }
  clearCompileCache();
  const together = await Promise.all(job.together.map(s => compileDatastore(A, { "datastore.ts": s }, opts)));
  return { results, together, digests, kept: keptLibrarySources().length };
}

if (parentPort && workerData) main(workerData as Job).then(a => parentPort!.postMessage(a));
