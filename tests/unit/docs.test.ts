// tests/unit/docs.test.ts: the documentation a clone relies on is in the clone. Every "§N.M"
// reference in the code, tests and docs names a section that exists in the docs/ file it cites,
// and nothing points outside the repository (to a ../shared folder a clone does not have).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const SKIP = new Set(["node_modules", "dist", "build", ".git", ".cache", "web/dist"]);
const TEXT = /\.(ts|mjs|js|md|json|html|css)$/;

/** Every tracked-looking text file under root (relative paths), generated bundles excluded. */
function files(dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name), rel = relative(root, p);
    if (SKIP.has(name) || SKIP.has(rel) || rel.startsWith("engine/generated")) continue;
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (TEXT.test(name) && name !== "package-lock.json") out.push(rel);
  }
  return out;
}

/** The section numbers ("4", "4.6") that a docs/ Markdown file declares in its headings. */
function sections(doc: string): Set<string> {
  const text = readFileSync(join(root, "docs", doc), "utf8");
  return new Set([...text.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map(m => m[1]));
}

/** The "§N.M" references in `text`, each with the docs file it cites: the nearest mention of a
 *  docs file before it on the same line or earlier in the file, else `self` (a docs file citing
 *  itself). */
export function references(text: string, self: string | null): { doc: string | null; section: string; line: number }[] {
  const refs: { doc: string | null; section: string; line: number }[] = [];
  const DOC = /(kernel-facts|toolchain)(?:\.md)?/g;
  let doc: string | null = self;
  text.split("\n").forEach((line, i) => {
    let at = 0;
    for (const m of line.matchAll(/§(\d+(?:\.\d+)*)/g)) {
      for (const d of line.slice(at, m.index).matchAll(DOC)) doc = `${d[1]}.md`;
      at = m.index!;
      refs.push({ doc, section: m[1], line: i + 1 });
    }
    for (const d of line.slice(at).matchAll(DOC)) doc = `${d[1]}.md`;
  });
  return refs;
}

test("every § reference resolves to a section of a docs/ file in the repository", () => {
  const docs = new Map(readdirSync(join(root, "docs")).filter(f => f.endsWith(".md")).map(f => [f, sections(f)]));
  const bad: string[] = [];
  let n = 0;
  for (const f of files()) {
    const self = f.startsWith("docs/") ? f.slice(5) : null;
    if (f === "tests/unit/docs.test.ts") continue; // its own made-up references
    for (const r of references(readFileSync(join(root, f), "utf8"), self)) {
      n++;
      if (r.doc === null) { bad.push(`${f}:${r.line}: §${r.section} names no docs file`); continue; }
      const have = docs.get(r.doc);
      if (!have) bad.push(`${f}:${r.line}: §${r.section}: docs/${r.doc} does not exist`);
      else if (!have.has(r.section)) bad.push(`${f}:${r.line}: docs/${r.doc} has no section ${r.section}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(n > 40, `only ${n} references found: the scan is broken`);
});

test("the resolver finds a dangling reference", () => {
  // the check above passes only if it can fail: a made-up section is reported
  const refs = references("see docs/kernel-facts.md §4.6 and §9.9; toolchain §2.2", null);
  assert.deepEqual(refs.map(r => `${r.doc} ${r.section}`), ["kernel-facts.md 4.6", "kernel-facts.md 9.9", "toolchain.md 2.2"]);
  assert.ok(!sections("kernel-facts.md").has("9.9"));
  assert.ok(sections("kernel-facts.md").has("4.6") && sections("kernel-facts.md").has("7"));
});

test("nothing points outside the repository for documentation", () => {
  const bad = files().filter(f => f !== "tests/unit/docs.test.ts")
    .filter(f => /\.\.\/shared|shared\/docs|toolchain-notes/.test(readFileSync(join(root, f), "utf8")));
  assert.deepEqual(bad, []);
});
