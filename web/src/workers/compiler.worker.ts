// compiler.worker.ts: the long-lived compiler worker. Exposes CompilerApi through Comlink.
//
// Comlink.expose() runs synchronously at the top and asc is imported lazily: asc and binaryen
// use top-level await, and messages posted to a module worker still in its TLA phase are lost
// (docs/toolchain.md §3.2). Compiles go through engine/compile.ts, which caches by source hash.
import * as Comlink from "comlink";
import { compileDatastore, type AscModule } from "../../../engine/compile.js";
import type { CompiledInWorker, CompilerApi, CompilerPhases } from "./api.js";
import { binaryenModule } from "./binaryen-module.js";

const t0 = performance.now();
const epoch = () => performance.timeOrigin + performance.now();
const phases: CompilerPhases = { workerStart: epoch(), binaryenCompiled: 0, ascImported: 0, warm: [] };
// binaryen's Wasm downloads and compiles on V8's background threads while the asc chunk loads
void binaryenModule()?.then(() => { phases.binaryenCompiled = epoch(); }, () => undefined);   // a failure surfaces through import(asc)
const ascReady: Promise<AscModule & { version: string; definitionFiles: { assembly: string } }> =
  import("assemblyscript/asc").then(m => { phases.ascImported = epoch(); return m.default as never; });

// Compiles start a task after asc is in (docs/toolchain.md §3.4), so that ready()'s answer (a
// few microtasks in Comlink) is posted first: a compile holds the thread for its synchronous part.
const ascForCompiles = ascReady.then(asc => new Promise<typeof asc>(ok => setTimeout(() => ok(asc), 0)));

// Compiles run one at a time, in the order asked: two interleaved asc compiles (its main() is
// async) would both finish late.
let chain: Promise<unknown> = Promise.resolve();
function serial<T>(job: (asc: Awaited<typeof ascReady>) => Promise<T>): Promise<T> {
  const p = chain.then(() => ascForCompiles).then(job);
  chain = p.catch(() => undefined);
  return p;
}

// Warm-up: the first compile after load is 3-5x slower (measurements P14). It is off the
// critical path: "ready" means asc is loaded, and warmed() resolves after the first compile. The
// page asks for a compile of the lesson code at load, long before asc has loaded: that compile is
// the warm-up (its result is what the first Run needs). Only when no compile was asked for by the
// time asc is in does the worker compile a stand-in of its own. Runs once.
const WARM_SOURCE = `import { vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, VM_FAULT_SIGBUS } from "./kernel";
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t { return VM_FAULT_SIGBUS; }
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct { return changetype<vm_area_struct>(0); }
`;
let first: Promise<unknown> | null = null;
const warmed = ascForCompiles.then(async asc => {
  first ??= serial(a => compileDatastore(a, { "datastore.ts": WARM_SOURCE + "// warm\n" }));
  await first.catch(() => undefined);
  phases.warm.push(epoch());
  return asc;
});

const api: CompilerApi = {
  async ready() {
    const asc = await ascReady;
    return { toolchain: { asc: asc.version }, definitions: asc.definitionFiles.assembly, ms: performance.now() - t0, phases: { ...phases } };
  },
  async warmed() {
    await warmed;
    return { ...phases, warm: [...phases.warm] };
  },
  async compile(files: Record<string, string>): Promise<CompiledInWorker> {
    const p = serial(asc => compileDatastore(asc, files));
    first ??= p;
    const r = await p;
    if (!r.ok) return r;
    // a learner module is small: compiled synchronously here, at once, it skips the page's
    // asynchronous compile and its wait for a free moment on the page's thread
    let module: WebAssembly.Module | undefined;
    try { module = new WebAssembly.Module(r.wasm as Uint8Array<ArrayBuffer>); } catch { module = undefined; }   // the runner reports why
    // a copy goes over: engine/compile.ts keeps `r` in its cache, whose bytes a transfer would detach
    const wasm = r.wasm.slice();
    return Comlink.transfer({ ...r, wasm, ...(module ? { module } : {}) }, [wasm.buffer]);
  },
  async compileAsShipped(files: Record<string, string>): Promise<boolean> {
    return serial(async asc => (await compileDatastore(asc, files, { reuseLibraryParse: false })).ok);
  },
};

Comlink.expose(api);
