// The disk compile cache: a second process-level compile of the same source needs no asc at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { clearCompileCache, compileDatastore, type AscModule } from "../../engine/compile.js";
import { diskCompileStore } from "../../cli/node-compile-cache.js";
import { DATASTORE_POST } from "./fixtures.js";

const A = asc as unknown as AscModule;
const noAsc = { version: A.version ?? "", load: async (): Promise<AscModule> => { throw new Error("asc must not be loaded"); } };

test("a stored compile is served without loading asc, byte for byte", async () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-cache-"));
  const src = DATASTORE_POST + "\n// disk cache test\n";
  const first = await compileDatastore(A, { "datastore.ts": src }, { store: diskCompileStore(dir) });
  assert.ok(first.ok);
  assert.equal(readdirSync(dir).filter(f => f.endsWith(".json")).length, 1);
  clearCompileCache();
  const again = await compileDatastore(noAsc, { "datastore.ts": src }, { store: diskCompileStore(dir) });
  assert.ok(again.ok, !again.ok ? again.error.message : "");
  assert.deepEqual(again.wasm, first.wasm);
  assert.equal(again.sourceMap, first.sourceMap);
  assert.equal(again.hash, first.hash);
});

test("compile errors are stored too; a damaged entry is a miss", async () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-cache-"));
  const bad = DATASTORE_POST.replace("const pgoff = vmf.pgoff;", "const pgoff = ;");
  const first = await compileDatastore(A, { "datastore.ts": bad }, { store: diskCompileStore(dir) });
  assert.ok(!first.ok);
  clearCompileCache();
  const again = await compileDatastore(noAsc, { "datastore.ts": bad }, { store: diskCompileStore(dir) });
  assert.deepEqual(again, first);
  // damage every entry: the next compile must go to asc (and the loader says so)
  for (const f of readdirSync(dir)) writeFileSync(join(dir, f), "{ not json");
  clearCompileCache();
  const miss = await compileDatastore(noAsc, { "datastore.ts": bad }, { store: diskCompileStore(dir) });
  assert.ok(!miss.ok);
  assert.equal(miss.error.kind, "internal");
  assert.match(miss.error.message, /asc must not be loaded/);
});
