// engine/kernel-memory.ts: the kernel instance's linear memory, which engine/machine.ts hands to
// each fresh kernel instance (the kernel imports it: asconfig.json "importMemory").
//
// Every scenario runs in a fresh kernel instance. Its memory used to be a fresh 768 KiB
// allocation too, and a runner worker allocating one per scenario made V8 collect garbage every
// 20 scenarios or so ("external memory pressure": scavenges and mark-compacts of 1 to 7 ms,
// docs/web-performance.md change 15). A finished run now gives its memory back here when it is
// still at its initial size, and the next run on this thread takes it zeroed. A Wasm memory is
// nothing but its bytes and its size, so a zeroed memory of the initial size is
// indistinguishable from a new one: instantiation writes the kernel's data segments into it as
// into a new one, and no state of the last run survives. A memory that grew is never reused
// (memory.size would differ); it is left to the garbage collector.
//
// Every memory handed out is all zero, and the kernel build counts on it: asconfig.json
// "zeroFilledMemory" lets binaryen leave out the data segments that hold nothing but zeros (the
// kernel's static tables, 738 KiB that each instantiation used to copy), as for a memory the
// module defines itself (tests/unit/kernel-memory.test.ts).

/** The kernel's memory, in 64 KiB Wasm pages: asconfig.json "initialMemory" and
 *  "maximumMemory" (tests/unit/kernel-memory.test.ts checks both and the built kernel's import). */
export const KERNEL_MEMORY_PAGES = 12;
export const KERNEL_MAX_MEMORY_PAGES = 64;

const BYTES = KERNEL_MEMORY_PAGES * 65536;
/** Spare memories kept per thread: one per run in flight is enough (a runner runs one at a time). */
const SPARES_KEPT = 2;
const spares: WebAssembly.Memory[] = [];

/** A memory for a new kernel instance: a spare one zeroed, else a new one. */
export function takeKernelMemory(): WebAssembly.Memory {
  const m = spares.pop();
  if (m && m.buffer.byteLength === BYTES) {
    new Uint8Array(m.buffer).fill(0);
    return m;
  }
  return new WebAssembly.Memory({ initial: KERNEL_MEMORY_PAGES, maximum: KERNEL_MAX_MEMORY_PAGES });
}

/** Gives back the memory of a kernel instance that will never run again: kept when it is still
 *  at its initial size and fewer than SPARES_KEPT are. */
export function giveBackKernelMemory(m: WebAssembly.Memory): void {
  if (m.buffer.byteLength === BYTES && spares.length < SPARES_KEPT && !spares.includes(m)) spares.push(m);
}
