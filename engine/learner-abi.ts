// engine/learner-abi.ts: what a learner module may import and must export.
//
// The learner's datastore is compiled against learner/kernel.ts, whose `@external("kernel", ...)`
// declarations are the whole kernel API. The kernel instance (kernel-as/learner_abi.ts) exports
// functions with exactly these names; the host hands the learner *only* these, so nothing else
// of the kernel (its memory, its table, the step entry points) is reachable. Before
// instantiating, the host checks the learner's import list against this allowlist and refuses
// anything else (a memory or table import, Date.now, console.log ...) with a message that names
// it. Callers: engine/machine.ts (runScenario), and anyone who wants to check a module early.

import { KERNEL_IMPORTS } from "./generated/abi.js";

/** The kernel functions a datastore may import (module "kernel"): learner/kernel.ts's
 *  `@external("kernel", ...)` declarations, generated into engine/generated/abi.ts. */
export { KERNEL_IMPORTS };

/** AssemblyScript runtime imports the host provides (module "env"): abort (assert, throw,
 *  bounds checks) reports an oops with the learner's file:line; trace and seed are stubs. */
export const ENV_IMPORTS: readonly string[] = ["abort", "trace", "seed"];

/** The learner module's exports the kernel links to (see engine/compile-entry.ts). */
export const LEARNER_EXPORTS: readonly string[] = ["vvar_fault", "vdso_install_vvar_mapping"];

// why a few imports people reach for are refused
const REFUSAL_HINTS: Record<string, string> = {
  "env.Date.now": "wall-clock time would make grades differ from run to run; the kernel's time is simulated",
  "env.console.log": "a fault handler has no console; log with pr_info_value(value), which appears in dmesg",
};

/** The first problem with learner module `m`: an import outside the allowlist, a non-function
 *  import, or a missing export. Returns a message naming it, or undefined when the module may be
 *  linked. Pure. */
export function checkLearnerModule(m: WebAssembly.Module): { message: string; import?: string } | undefined {
  for (const imp of WebAssembly.Module.imports(m)) {
    const name = `${imp.module}.${imp.name}`;
    const allowed = imp.kind === "function" &&
      ((imp.module === "kernel" && KERNEL_IMPORTS.includes(imp.name)) ||
       (imp.module === "env" && ENV_IMPORTS.includes(imp.name)));
    if (!allowed) {
      const what = imp.kind === "function" ? "function" : imp.kind;
      const hint = REFUSAL_HINTS[name] ? ` (${REFUSAL_HINTS[name]})` : "";
      return {
        message: `the datastore imports ${what} "${name}", which the sandbox does not provide${hint}; ` +
          `a datastore may use only the kernel API of kernel.ts`,
        import: name,
      };
    }
  }
  const exports = new Set(WebAssembly.Module.exports(m).filter(e => e.kind === "function").map(e => e.name));
  for (const name of LEARNER_EXPORTS) {
    if (!exports.has(name)) return { message: `the learner module does not export ${name}()` };
  }
  return undefined;
}
