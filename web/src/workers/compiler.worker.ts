// compiler.worker.ts: the long-lived compiler worker. Exposes CompilerApi through Comlink.
//
// Comlink.expose() runs synchronously at the top and asc is imported lazily: asc and binaryen
// use top-level await, and messages posted to a module worker still in its TLA phase are lost
// (toolchain-notes §3.2). Compiles go through engine/compile.ts, which caches by source hash.
import * as Comlink from "comlink";
import { compileDatastore, type AscModule } from "../../../engine/compile.js";
import type { CompileResult } from "../../../engine/types.js";
import type { CompilerApi } from "./api.js";

const t0 = performance.now();
const ascReady: Promise<AscModule & { version: string; definitionFiles: { assembly: string } }> =
  import("assemblyscript/asc").then(m => m.default as never);

// Warm-up: the first compiles after load are 3-5x slower (measurements P14); do a few in the
// background so the learner's first Run is fast. Runs once.
const WARM_SOURCE = `import { vm_special_mapping, vm_area_struct, vm_fault, vm_fault_t, mm_struct, VM_FAULT_SIGBUS } from "./kernel";
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t { return VM_FAULT_SIGBUS; }
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct { return changetype<vm_area_struct>(0); }
`;
const warmed = ascReady.then(async asc => {
  for (let i = 0; i < 2; i++) await compileDatastore(asc, { "datastore.ts": WARM_SOURCE + `// warm ${i}\n` });
  return asc;
});

const api: CompilerApi = {
  async ready() {
    const asc = await warmed;
    return { toolchain: { asc: asc.version }, definitions: asc.definitionFiles.assembly, ms: performance.now() - t0 };
  },
  async compile(files: Record<string, string>): Promise<CompileResult> {
    const asc = await ascReady;
    const r = await compileDatastore(asc, files);
    return r.ok ? Comlink.transfer(r, [r.wasm.buffer]) : r;
  },
};

Comlink.expose(api);
