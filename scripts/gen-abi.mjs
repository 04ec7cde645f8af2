// Generates engine/generated/abi.ts: every number the host (engine/machine.ts) and the kernel
// instance (kernel-as/) share, read from the kernel's own declarations, so that adding or
// renumbering a constant in kernel-as can never mislabel anything on the host side.
//
// Each table is the set of `export const NAME: type = value;` declarations in kernel-as/*.ts whose
// NAME has the table's prefix (whatever file they are in, in any order); the value must be an
// integer literal. The host's word for each is NAME without the prefix, in lower case, except
// TRACE_DETAILS, whose words are the `// comment` after the declaration. Indexed tables must be
// dense from 0 (a gap or a duplicate is an error, not a silent mislabel). KERNEL_IMPORTS are the
// `@external("kernel", name)` declarations of learner/kernel.ts.
//
// Run by `npm run build` (script "gen-abi"). Usage: node scripts/gen-abi.mjs [--check] [--root DIR]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { emit, generatorArgs } from "./generated-file.mjs";

const DECL = /^\s*(?:@inline\s+)?export\s+const\s+([A-Z][A-Z0-9_]*)\s*:\s*(\w+)\s*=\s*([^;]+);\s*(?:\/\/\s*(.*?))?\s*$/;

/** Every `export const` of the kernel sources: name -> { value (string), comment, file, line }. */
export function declarations(root) {
  const dir = join(root, "kernel-as");
  const out = new Map();
  for (const f of readdirSync(dir).filter(n => n.endsWith(".ts")).sort()) {
    readFileSync(join(dir, f), "utf8").split("\n").forEach((line, i) => {
      const m = DECL.exec(line);
      if (!m) return;
      const where = `kernel-as/${f}:${i + 1}`;
      if (out.has(m[1])) throw new Error(`${where}: ${m[1]} is also declared at ${out.get(m[1]).where}`);
      out.set(m[1], { type: m[2], value: m[3].trim(), comment: m[4] ?? "", where });
    });
  }
  return out;
}

// the integer value of a declaration, which must be a literal
function literal(name, d) {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(d.value)) throw new Error(`${d.where}: ${name} = ${d.value}: a shared constant must be an integer literal`);
  return Number(d.value);
}

/** The declarations whose name matches `re` (group 1 is the host's word): [{ name, word, value, comment, where }]. */
function family(decls, re) {
  const out = [];
  for (const [name, d] of decls) {
    const m = re.exec(name);
    if (m) out.push({ name, word: m[1].toLowerCase(), value: literal(name, d), comment: d.comment, where: d.where });
  }
  if (out.length === 0) throw new Error(`no kernel-as constant matches ${re}`);
  return out.sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
}

// the words of a family indexed by value: dense from 0, no duplicates
function indexed(list, what) {
  list.forEach((e, i) => {
    if (e.value !== i) {
      const dup = list.find(o => o !== e && o.value === e.value);
      throw new Error(dup ? `${e.where}: ${e.name} = ${e.value} duplicates ${dup.name}` : `${what}: no constant has the value ${i} (next is ${e.name} = ${e.value})`);
    }
  });
  return list;
}

// name -> value, no two names with one value
function unique(list) {
  for (const e of list) {
    const dup = list.find(o => o !== e && o.value === e.value);
    if (dup) throw new Error(`${e.where}: ${e.name} = ${e.value} duplicates ${dup.name}`);
  }
  return list;
}

const js = v => JSON.stringify(v);

/** The text of engine/generated/abi.ts for the sources under root. Throws on a broken table. */
export function render(root) {
  const decls = declarations(root);
  const pages = indexed(family(decls, /^PK_([A-Z0-9_]+)$/), "PK_*");
  const counters = indexed(family(decls, /^TC_([A-Z0-9_]+)$/), "TC_*");
  const kinds = indexed(family(decls, /^TR_([A-Z0-9_]+)$/), "TR_*");
  const details = indexed(family(decls, /^TD_([A-Z0-9_]+)$/), "TD_*");
  for (const d of details) {
    if (d.value === 0 && d.comment) throw new Error(`${d.where}: ${d.name} = 0 means "no detail" and takes no words`);
    if (d.value !== 0 && !d.comment) throw new Error(`${d.where}: ${d.name} needs its words as a trailing // comment`);
  }
  const offsets = family(decls, /^TRACE_OFF_([A-Z0-9_]+)$/);
  const rec = decls.get("TRACE_REC");
  if (!rec) throw new Error("kernel-as declares no TRACE_REC");
  const recSize = literal("TRACE_REC", rec);
  for (const o of offsets) if (o.value >= recSize) throw new Error(`${o.where}: ${o.name} = ${o.value} is past TRACE_REC (${recSize})`);
  const errnos = unique(family(decls, /^(E[A-Z0-9]+)$/));
  const signals = unique(family(decls, /^(SIG[A-Z0-9]+)$/));
  const busCodes = unique(family(decls, /^(BUS_[A-Z0-9_]+)$/));
  const segvCodes = unique(family(decls, /^(SEGV_[A-Z0-9_]+)$/));
  const clocks = unique(family(decls, /^(CLOCK_[A-Z0-9_]+)$/));
  const mcl = unique(family(decls, /^(MCL_[A-Z0-9_]+)$/));
  const via = unique(family(decls, /^VIA_([A-Z0-9_]+)$/));
  const limits = family(decls, /^MAX_([A-Z0-9_]+)$/);
  const single = name => { const d = decls.get(name); if (!d) throw new Error(`kernel-as declares no ${name}`); return literal(name, d); };
  const zeroPfn = single("ZERO_PFN"), ptrsPerVvar = single("PTRS_PER_VVAR"), traceMax = single("TRACE_MAX");
  const imports = [...readFileSync(join(root, "learner", "kernel.ts"), "utf8").matchAll(/@external\("kernel",\s*"([A-Za-z0-9_]+)"\)/g)].map(m => m[1]);
  if (imports.length === 0) throw new Error("learner/kernel.ts declares no @external(\"kernel\", ...) import");

  const upper = list => list.map(e => `${js(e.name)}: ${e.value}`).join(", ");
  const lower = list => list.map(e => `${js(e.word)}: ${e.value}`).join(", ");
  const byNumber = list => list.map(e => `${e.value}: ${js(e.name)}`).join(", ");
  return [
    "// GENERATED by scripts/gen-abi.mjs from kernel-as/*.ts and learner/kernel.ts. Do not edit:",
    "// change the kernel's constants and run `npm run build`.",
    "// The numbers the host and the kernel instance share, each table from one family of kernel-as",
    "// constants (by name prefix).",
    "import type { Counters, PageKind, TraceEvent } from \"../types.js\";",
    "",
    "/** PK_* by number: the kind of page a PTE maps. */",
    `export const PAGE_KINDS: readonly PageKind[] = [${pages.map(e => js(e.word)).join(", ")}];`,
    "/** TC_* by number: the counters of task_counter(pid, idx). */",
    `export const COUNTER_NAMES: readonly (keyof Counters)[] = [${counters.map(e => js(e.word)).join(", ")}];`,
    "/** TR_* by number: a trace record's kind. */",
    `export const TRACE_KINDS: readonly TraceEvent["kind"][] = [${kinds.map(e => js(e.word)).join(", ")}];`,
    "/** TD_* by number: a trace record's detail, in words (\"\" for none). */",
    `export const TRACE_DETAILS: readonly string[] = [\n${details.map(e => `  ${js(e.comment)},`).join("\n")}\n];`,
    "/** TRACE_REC and TRACE_OFF_*: a trace record's size and each field's byte offset. */",
    `export const TRACE_RECORD = { size: ${recSize}, ${lower(offsets)} } as const;`,
    "/** E* by number (positive; the kernel returns -E*). */",
    `export const ERRNO_NAMES: Readonly<Record<number, string>> = { ${byNumber(errnos)} };`,
    "/** SIG* by number. */",
    `export const SIGNAL_NAMES: Readonly<Record<number, string>> = { ${byNumber(signals)} };`,
    "/** BUS_* and SEGV_* by number: a fault signal's si_code, per signal. */",
    `export const SI_CODE_NAMES: Readonly<Record<string, Readonly<Record<number, string>>>> = { SIGBUS: { ${byNumber(busCodes)} }, SIGSEGV: { ${byNumber(segvCodes)} } };`,
    "/** CLOCK_* ids of clock_gettime(). */",
    `export const CLOCK_IDS: Readonly<Record<string, number>> = { ${upper(clocks)} };`,
    "/** MCL_* bits of mlockall(). */",
    `export const MCL_BITS: Readonly<Record<string, number>> = { ${upper(mcl)} };`,
    "/** VIA_*: how step_remote() reaches the target (the scenario's `via`). */",
    `export const VIA_IDS: Readonly<Record<string, number>> = { ${lower(via)} };`,
    "/** MAX_*: the kernel's fixed table sizes (pages, tasks, mms, VMAs, time namespaces). */",
    `export const KERNEL_LIMITS = { ${lower(limits)} } as const;`,
    "/** The pfn of ZERO_PAGE(0): shared, never refcounted. */",
    `export const ZERO_PFN = ${zeroPfn};`,
    "/** PTRS_PER_VVAR: the PTEs of the one [vvar] page table. */",
    `export const PTRS_PER_VVAR = ${ptrsPerVvar};`,
    "/** TRACE_MAX: the trace records the kernel keeps. */",
    `export const TRACE_MAX = ${traceMax};`,
    "/** The kernel functions a datastore may import (module \"kernel\"), as learner/kernel.ts declares them. */",
    `export const KERNEL_IMPORTS: readonly string[] = [${imports.map(js).join(", ")}];`,
    "",
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = generatorArgs();
  let text;
  try { text = render(args.root); } catch (e) { console.error(`gen-abi: ${e.message}`); process.exit(1); }
  emit(args, "engine/generated/abi.ts", text, "gen-abi.mjs");
}
