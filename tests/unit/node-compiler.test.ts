// The isolated compiler (cli/node-compiler.ts): real asc in a real worker thread. A crash of asc
// (process.exit) or a compile past the deadline is an error result, the caller goes on, and an
// unchanged source is served from the disk store without a worker.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeCompiler } from "../../cli/node-compiler.js";
import { DATASTORE_ASC_CRASH, DATASTORE_POST, datastoreSlowCompile } from "./fixtures.js";

const compiler = new NodeCompiler();
after(() => compiler.close());

test("an asc crash is a compile error naming the file; the next compile gets a fresh worker", { timeout: 300_000 }, async () => {
  const r = await compiler.compile({ "datastore.ts": DATASTORE_ASC_CRASH }, { file: "my/datastore.ts" });
  assert.ok(!r.ok);
  assert.equal(r.stopped, "crashed");
  assert.equal(r.error.kind, "compile");
  assert.match(r.error.message, /the AssemblyScript compiler crashed on my\/datastore\.ts/);
  assert.match(r.error.message, /RangeError: Maximum call stack size exceeded/);
  const before = compiler.spawned;
  const good = await compiler.compile({ "datastore.ts": DATASTORE_POST + "\n// after a crash\n" });
  assert.ok(good.ok, !good.ok ? good.error.message : "");
  assert.equal(good.stopped, undefined);
  assert.ok(new WebAssembly.Module(good.wasm as Uint8Array<ArrayBuffer>));
  assert.equal(compiler.spawned - before, 1);
});

test("a compile that does not end is stopped at the deadline", { timeout: 300_000 }, async () => {
  const r = await compiler.compile({ "datastore.ts": datastoreSlowCompile() }, { deadlineMs: 1500 });
  assert.ok(!r.ok);
  assert.equal(r.stopped, "timeout");
  assert.equal(r.error.kind, "timeout");
  assert.match(r.error.message, /compiling datastore\.ts took longer than 1500 ms and was stopped/);
});

test("the worker is reused, and a stored compile needs no worker at all", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-cache-"));
  const src = DATASTORE_POST + "\n// node-compiler cache test\n";
  const a = await compiler.compile({ "datastore.ts": src }, { cache: dir });
  assert.ok(a.ok);
  assert.equal(readdirSync(dir).filter(f => f.endsWith(".json")).length, 1);
  const before = compiler.spawned;
  const b = await compiler.compile({ "datastore.ts": src + "// another\n" });
  assert.ok(b.ok);
  assert.equal(compiler.spawned, before, "the warm worker compiled it");
  const fresh = new NodeCompiler();
  const c = await fresh.compile({ "datastore.ts": src }, { cache: dir });
  assert.ok(c.ok);
  assert.equal(fresh.spawned, 0, "served from the disk store");
  assert.deepEqual(c.wasm, a.wasm);
  await fresh.close();
});
