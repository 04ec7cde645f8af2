// tests/unit/generated.test.ts: the generated files (engine/generated/) cannot silently go stale
// or mislabel. `npm test` and `.ci/run` run every generator with --check before the build; here
// each check is shown to fail on a copy of the sources with one thing changed, and the ABI
// generator is shown to follow the kernel's constants by name, never by position.

import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ABI from "../../engine/generated/abi.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const PATHS = ["kernel-as", "learner", "engine/schema", "engine/generated"];

/** A scratch copy of the generators' inputs and outputs; `edit` changes it before use. */
function copy(edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "prefault-gen-"));
  for (const p of PATHS) cpSync(join(root, p), join(dir, p), { recursive: true });
  edit?.(dir);
  return dir;
}

function replaceIn(dir: string, file: string, from: string, to: string): void {
  const p = join(dir, file), text = readFileSync(p, "utf8");
  assert.ok(text.includes(from), `${file} has no ${JSON.stringify(from)}`);
  writeFileSync(p, text.replace(from, to));
}

function gen(script: string, dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(root, "scripts", script), "--root", dir, ...args], { encoding: "utf8" });
}

async function renderAbi(dir: string): Promise<string> {
  const m = await import(new URL("scripts/gen-abi.mjs", `file://${root}`).href) as { render(root: string): string };
  return m.render(dir);
}

const GENERATORS: [string, string, string, string][] = [
  // script, a source file, a change in it, the generated file that goes stale
  ["gen-abi.mjs", "kernel-as/trace.ts", "@inline export const TD_BAD_PAGE: u32 = 4; // Bad page state",
   "@inline export const TD_BAD_PAGE: u32 = 4; // Bad page state!"],
  ["gen-header.mjs", "learner/kernel.ts", "export const PAGE_SHIFT: u32 = 12;", "export const PAGE_SHIFT: u32 = 13;"],
  ["gen-validator.mjs", "engine/schema/scenario.schema.json", "\"proc_mem\"", "\"proc_mem2\""],
];

for (const [script, file, from, to] of GENERATORS) {
  test(`${script} --check passes on the committed files and fails once ${file} changes`, () => {
    const same = copy();
    const changed = copy(d => replaceIn(d, file, from, to));
    try {
      const ok = gen(script, same, "--check");
      assert.equal(ok.status, 0, ok.stderr);
      const stale = gen(script, changed, "--check");
      assert.equal(stale.status, 1, "a stale generated file must fail the check");
      assert.match(stale.stderr, /engine\/generated\/[a-z-]+\.ts is stale/);
      // regenerating fixes it, and then the check passes
      assert.equal(gen(script, changed).status, 0);
      assert.equal(gen(script, changed, "--check").status, 0);
    } finally {
      rmSync(same, { recursive: true, force: true });
      rmSync(changed, { recursive: true, force: true });
    }
  });
}

test("gen-abi: a TD_* constant inserted in the middle moves every later word with its number", async () => {
  const dir = copy(d => {
    replaceIn(d, "kernel-as/trace.ts", "@inline export const TD_RMAP_ZERO_PAGE: u32 = 2;",
      "@inline export const TD_NEW_THING: u32 = 2; // a new thing\n// @ts-ignore: decorator\n@inline export const TD_RMAP_ZERO_PAGE: u32 = 3;");
    // renumber the rest by name, as an engineer inserting a value would
    const p = join(d, "kernel-as/trace.ts");
    let text = readFileSync(p, "utf8");
    text = text.replace(/(export const TD_(?!NONE|REMOTE_WARN|NEW_THING|RMAP_ZERO_PAGE)[A-Z_]+: u32 = )(\d+);/g, (_, a, n) => `${a}${Number(n) + 1};`);
    writeFileSync(p, text);
  });
  try {
    const text = await renderAbi(dir);
    const details = JSON.parse(/TRACE_DETAILS: readonly string\[\] = (\[[^\]]*\]);/.exec(text)![1].replace(/,\s*\]/, "]"));
    assert.equal(details.length, ABI.TRACE_DETAILS.length + 1);
    assert.equal(details[2], "a new thing");
    assert.equal(details[3], ABI.TRACE_DETAILS[2]);
    assert.equal(details.at(-1), ABI.TRACE_DETAILS.at(-1));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("gen-abi: new constants in any kernel file are picked up by prefix; gaps, duplicates and missing words are errors", async () => {
  const cases: [string, string, string, RegExp | ((t: string) => void)][] = [
    ["kernel-as/mm_types.ts", "@inline export const TC_SYSCALL_FALLBACKS: u32 = 7;",
     "@inline export const TC_SYSCALL_FALLBACKS: u32 = 7;\n// @ts-ignore: decorator\n@inline export const TC_RETRIES: u32 = 8;",
     t => assert.match(t, /"syscall_fallbacks", "retries"\]/)],
    ["kernel-as/errno.ts", "@inline export const EPERM: i32 = 1;",
     "@inline export const EPERM: i32 = 1;\n// @ts-ignore: decorator\n@inline export const ENOSPC: i32 = 28;",
     t => assert.match(t, /22: "EINVAL", 28: "ENOSPC"/)],
    ["kernel-as/trace.ts", "@inline export const TD_FAILED: u32 = 14; // failed", "@inline export const TD_FAILED: u32 = 18; // failed",
     /no constant has the value 14/],
    ["kernel-as/trace.ts", "@inline export const TD_FAILED: u32 = 14; // failed", "@inline export const TD_FAILED: u32 = 13; // failed",
     /duplicates TD_/],
    ["kernel-as/trace.ts", "@inline export const TD_FAILED: u32 = 14; // failed", "@inline export const TD_FAILED: u32 = 14;",
     /TD_FAILED needs its words/],
    ["kernel-as/mlock.ts", "@inline export const MCL_ONFAULT: u32 = 4;", "@inline export const MCL_ONFAULT: u32 = MCL_FUTURE << 1;",
     /must be an integer literal/],
    ["kernel-as/trace.ts", "@inline export const TRACE_OFF_LATENCY_NS: usize = 32;", "@inline export const TRACE_OFF_LATENCY_NS: usize = 40;",
     /past TRACE_REC/],
  ];
  for (const [file, from, to, expect] of cases) {
    const dir = copy(d => replaceIn(d, file, from, to));
    try {
      if (typeof expect === "function") expect(await renderAbi(dir));
      else await assert.rejects(async () => renderAbi(dir), expect);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
});

// the value of a constant expression over earlier constants (`1 << 7`, `<u64>1 << 42`,
// `VM_IO | VM_PFNMAP`), or undefined when it is not one
function evaluate(expr: string, known: Map<string, bigint>): bigint | undefined {
  let e = expr.replace(/<\w+>/g, "").trim();
  let unknown = false;
  e = e.replace(/\b[A-Za-z_][A-Za-z0-9_]*\b/g, name => {
    if (/^0x/i.test(name)) return name;
    const v = known.get(name);
    if (v === undefined) { unknown = true; return "0"; }
    return `${v}`;
  });
  if (unknown || !/^[0-9a-fA-Fx\s|&<>()+\-~]+$/.test(e)) return undefined;
  e = e.replace(/\b(0x[0-9a-f]+|\d+)\b/gi, "$1n");
  return (new Function(`return (${e});`))() as bigint;
}

function constants(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const m of text.matchAll(/^\s*(?:@inline\s+)?export\s+const\s+([A-Z][A-Z0-9_]*)\s*:\s*\w+\s*=\s*([^;]+);/gm)) {
    const v = evaluate(m[2], out);
    if (v !== undefined) out.set(m[1], v);
  }
  return out;
}

test("every constant learner/kernel.ts shares with the kernel has the kernel's value", () => {
  // the learner header is hand-written API (it is what Monaco shows); its numbers must be the
  // kernel's: VM_*, VM_FAULT_*, FAULT_FLAG_*, CONFIG_* options, PAGE_SHIFT, the vdso_pages enum
  const kernel = new Map<string, bigint>();
  const dir = join(root, "kernel-as");
  // two passes, so constants defined from another file's constants resolve
  for (let pass = 0; pass < 2; pass++) {
    for (const f of ["mm_types.ts", "config.ts", "datastore_pages.ts", "errno.ts", "mlock.ts", "timekeeping.ts"]) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(/^\s*(?:@inline\s+)?export\s+const\s+([A-Z][A-Z0-9_]*)\s*:\s*\w+\s*=\s*([^;]+);/gm)) {
        const v = evaluate(m[2], kernel);
        if (v !== undefined) kernel.set(m[1], v);
      }
    }
  }
  const learner = constants(readFileSync(join(root, "learner", "kernel.ts"), "utf8"));
  const shared = [...learner.keys()].filter(k => kernel.has(k));
  assert.ok(shared.length >= 30, `only ${shared.length} shared constants found: the parser is broken`);
  for (const name of ["VM_IO", "VM_MIXEDMAP", "VM_FAULT_SIGBUS", "FAULT_FLAG_REMOTE", "CONFIG_TIME_NS", "VM_SEALED"]) {
    assert.ok(shared.includes(name), `${name} is not compared`);
  }
  const differ = shared.filter(k => learner.get(k) !== kernel.get(k)).map(k => `${k}: learner ${learner.get(k)}, kernel ${kernel.get(k)}`);
  assert.deepEqual(differ, []);
});
