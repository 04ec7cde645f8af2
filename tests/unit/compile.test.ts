// compileDatastore(): real asc, in memory; diagnostics mapped to the learner's file.
import { test } from "node:test";
import assert from "node:assert/strict";
import asc from "assemblyscript/asc";
import { LEARNER_FUEL } from "../../engine/limits.js";
import { compileDatastore, type AscModule } from "../../engine/compile.js";
import { FuelTransform } from "../../engine/fuel.js";
import { DATASTORE_POST } from "./fixtures.js";

const A = asc as unknown as AscModule;

test("a correct datastore compiles to a module with the ABI exports and only kernel.* imports", async () => {
  const r = await compileDatastore(A, { "datastore.ts": DATASTORE_POST });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  const m = new WebAssembly.Module(r.wasm as Uint8Array<ArrayBuffer>);
  const exports = WebAssembly.Module.exports(m).map(e => `${e.kind}:${e.name}`).sort();
  // the ABI exports, the top-level code (run by the host, engine/machine.ts) and the fuel meter
  assert.deepEqual(exports, ["function:_initialize", "function:vdso_install_vvar_mapping", "function:vvar_fault",
                             "global:prefault_fuel", "memory:memory"]);
  for (const i of WebAssembly.Module.imports(m)) assert.equal(i.module, "kernel", `unexpected import ${i.module}.${i.name}`);
  assert.ok(r.sourceMap && JSON.parse(r.sourceMap).sources.includes("datastore.ts"));
  assert.match(r.hash, /^[0-9a-f]{64}$/);
});

test("a compile leaves nothing of itself on the shared transform class (asc puts the Program, an AST of MBs, on a transform class's prototype)", async () => {
  const r = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// retention\n" });
  assert.ok(r.ok);
  for (const k of ["program", "readFile", "writeFile", "listFiles", "stdout", "stderr"])
    assert.ok(!Object.hasOwn(FuelTransform.prototype, k), `FuelTransform.prototype.${k} keeps the last compile alive`);
});

test("the memory cap option reaches the module", async () => {
  const r = await compileDatastore(A, { "datastore.ts": DATASTORE_POST }, { maximumMemoryPages: 3 });
  assert.ok(r.ok);
  // limits of the memory section: flags 0x01 (has max), initial, max = 3
  const bytes = r.wasm;
  const idx = findSection(bytes, 5);
  assert.ok(idx >= 0, "no memory section");
  assert.equal(bytes[idx + 2], 0x01, "memory has no maximum");
  assert.equal(bytes[idx + 4], 3);
});

test("an unchanged source is served from the cache, as a fresh copy", async () => {
  const a = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// cache\n" });
  const b = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// cache\n" });
  assert.ok(a.ok && b.ok);
  assert.equal(a.hash, b.hash);
  assert.deepEqual(a.wasm, b.wasm);
  assert.notEqual(a.wasm, b.wasm);
  a.wasm.fill(0);
  const c = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// cache\n" });
  assert.ok(c.ok);
  assert.deepEqual(c.wasm, b.wasm);
  const d = await compileDatastore(A, { "datastore.ts": DATASTORE_POST + "\n// cache\n" }, { debug: false });
  assert.ok(d.ok);
  assert.notEqual(d.hash, a.hash);
});

test("a parse error maps to the learner's line and column, TS code, offsets", async () => {
  const src = DATASTORE_POST.replace("const pgoff = vmf.pgoff;", "const pgoff = ;");
  const r = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(!r.ok);
  assert.equal(r.error.kind, "compile");
  if (r.error.kind !== "compile") return;
  const d = r.error.diagnostics[0];
  const line = src.split("\n").findIndex(l => l.includes("const pgoff = ;")) + 1;
  assert.equal(d.file, "datastore.ts");
  assert.equal(d.code, "TS1109");
  assert.equal(d.severity, "error");
  assert.equal(d.line, line);
  assert.equal(d.column, src.split("\n")[line - 1].indexOf(";") + 1);
  assert.equal(src.slice(d.start, d.end), ";");
  assert.match(r.error.message, new RegExp(`^datastore.ts:${line}:\\d+ - error TS1109: Expression expected`));
});

test("an AS-specific error carries an AS code", async () => {
  const src = DATASTORE_POST.replace("return 0;\n}", "let big: i64 = 1; let small: i32 = big; return 0;\n}");
  const r = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(!r.ok && r.error.kind === "compile");
  assert.ok(r.error.diagnostics.some(d => d.code === "AS200" && d.file === "datastore.ts"), r.error.message);
});

test("a wrong handler signature is reported on the learner's declaration, not the entry file", async () => {
  const src = DATASTORE_POST.replace(
    "vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault)", "vvar_fault(vmf: vm_fault)")
    .replace("find_timens_vvar_page(vma)", "find_timens_vvar_page(vmf.vma)")
    .replace("vmf_insert_page(vma,", "vmf_insert_page(vmf.vma,");
  const r = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(!r.ok && r.error.kind === "compile", !r.ok ? r.error.message : "compiled");
  const [d] = r.error.diagnostics;
  assert.equal(d.file, "datastore.ts");
  assert.equal(src.slice(d.start, d.end), "vvar_fault");
  assert.match(d.message, /vvar_fault\(\) must be exported from datastore\.ts with exactly this signature: export function vvar_fault\(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault\): vm_fault_t/);
  assert.ok(!r.error.diagnostics.some(x => x.file.includes("prefault_entry")));
});

test("a missing export names the export and its signature, once", async () => {
  const src = DATASTORE_POST.replace("export function vdso_install_vvar_mapping", "function vdso_install_vvar_mapping");
  const r = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(!r.ok && r.error.kind === "compile");
  assert.equal(r.error.diagnostics.length, 1, r.error.message);
  assert.match(r.error.diagnostics[0].message, /vdso_install_vvar_mapping\(\) must be exported/);
  assert.equal(r.error.diagnostics[0].file, "datastore.ts");
});

test("learner files named like engine files, or with folders, are refused", async () => {
  const sets: Record<string, string>[] = [{ "datastore.ts": DATASTORE_POST, "kernel.ts": "" },
                       { "datastore.ts": DATASTORE_POST, "prefault_entry.ts": "" },
                       { "datastore.ts": DATASTORE_POST, "../x.ts": "" },
                       { "other.ts": DATASTORE_POST }];
  for (const files of sets) {
    const r = await compileDatastore(A, files);
    assert.ok(!r.ok, JSON.stringify(Object.keys(files)));
    assert.equal(r.error.kind, "compile");
  }
});

test("a second learner file can be imported by datastore.ts", async () => {
  const helper = `export function pick(n: u64): u64 { return n; }\n`;
  const src = DATASTORE_POST.replace("} from \"./kernel\";", "} from \"./kernel\";\nimport { pick } from \"./helpers\";")
    .replace("const pgoff = vmf.pgoff;", "const pgoff = pick(vmf.pgoff);");
  const r = await compileDatastore(A, { "datastore.ts": src, "helpers.ts": helper });
  assert.ok(r.ok, !r.ok ? r.error.message : "");
  const bad = await compileDatastore(A, { "datastore.ts": src, "helpers.ts": "export function pick(n: u64): u64 { return ; }" });
  assert.ok(!bad.ok && bad.error.kind === "compile");
  assert.ok(bad.error.diagnostics.some(d => d.file === "helpers.ts"), bad.error.message);
});

// byte index of the payload of the first section with id `id` in a wasm binary, or -1
function findSection(b: Uint8Array, id: number): number {
  let i = 8;
  while (i < b.length) {
    const sid = b[i++];
    let size = 0, shift = 0, byte: number;
    do { byte = b[i++]; size |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    if (sid === id) return i - 1;   // points at the last size byte; payload starts at i
    i += size;
  }
  return -1;
}

test("the fuel meter counts loop iterations in Wasm and traps when it runs out", async () => {
  // a handler that loops vmf.pgoff times (the stub kernel below answers vmf_pgoff with n)
  const src = DATASTORE_POST.replace("if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;",
    "let s: u64 = 0;\n  for (let i: u64 = 0; i < vmf.pgoff; i++) s += i;\n  if (s == 1) return VM_FAULT_SIGBUS;");
  const r = await compileDatastore(A, { "datastore.ts": src });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  const m = new WebAssembly.Module(r.wasm as Uint8Array<ArrayBuffer>);
  assert.ok(!WebAssembly.Module.imports(m).some(i => i.name === "log_execution"), "the meter is inside the module, not an import");
  // an instance whose kernel imports are stubs; only the meter is looked at
  let n = 0;
  const U64 = new Set(["vmf_pgoff", "vmf_address", "vma_vm_start", "vma_vm_end", "vma_vm_flags", "vdso_k_data", "page_to_pfn"]);
  const stubs = Object.fromEntries(WebAssembly.Module.imports(m).filter(i => i.module === "kernel")
    .map(i => [i.name, i.name === "vmf_pgoff" ? () => BigInt(n) : U64.has(i.name) ? () => 0n : () => 0]));
  const inst = new WebAssembly.Instance(m, { kernel: stubs, env: { abort: () => { throw new Error("abort"); }, trace: () => 0, seed: () => 0 } });
  const fuel = inst.exports.prefault_fuel as WebAssembly.Global;
  assert.equal(fuel.value, LEARNER_FUEL);
  (inst.exports._initialize as () => void)();
  const handler = inst.exports.vvar_fault as (a: number, b: number, c: number) => number;
  const used = (count: number) => { n = count; fuel.value = LEARNER_FUEL; handler(1, 2, 3); return LEARNER_FUEL - fuel.value; };
  // the same count every time, growing by a fixed number of units per iteration (the loop
  // header, and the entry and returns of the vmf.pgoff getter it calls)
  assert.equal(used(1000), used(1000));
  const perThousand = used(2000) - used(1000);
  assert.ok(perThousand >= 1000 && perThousand % 1000 === 0, String(perThousand));
  assert.equal(used(3000) - used(2000), perThousand);
  fuel.value = 50;
  n = 1000;
  assert.throws(() => handler(1, 2, 3), WebAssembly.RuntimeError);
  assert.ok(fuel.value < 0, "an empty tank reads negative");
});
