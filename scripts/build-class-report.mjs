// `npm run build:class-report`: the script of the class HTML report (web/src/class-report/page.ts
// with Observable Plot, tree-shaken and minified) as one classic script,
// dist/class-report/page.bundle.js, headed by the licence of every package whose code
// it holds. `prefault grade-all --out class.html` inlines it, so the report needs no network.
import { build } from "vite";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "dist", "class-report");
const fileName = "page.bundle.js";

const result = await build({
  configFile: false,
  root,
  logLevel: "warn",
  build: {
    write: false,
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: { entry: join(root, "web", "src", "class-report", "page.ts"), formats: ["iife"], name: "prefaultClassReport", fileName: () => fileName },
  },
});
const chunk = (Array.isArray(result) ? result : [result]).flatMap(r => r.output).find(o => o.type === "chunk");
if (!chunk) throw new Error("build-class-report: no chunk built");

// the packages whose modules are in the chunk, with their licence texts (one copy of each text)
const pkgs = new Map();
for (const id of chunk.moduleIds) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replace(/\\/g, "/"));
  if (!m || pkgs.has(m[1])) continue;
  const dir = join(root, "node_modules", m[1]);
  const pj = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const lic = readdirSync(dir).find(f => /^licen[cs]e/i.test(f));
  pkgs.set(m[1], { version: pj.version, license: pj.license, text: lic ? readFileSync(join(dir, lic), "utf8").trim() : "" });
}
const names = [...pkgs.keys()].sort();
const texts = new Map();
for (const n of names) {
  const t = pkgs.get(n).text;
  if (t) texts.set(t, [...(texts.get(t) ?? []), n]);
}
const banner = "/*! The class report's charts: Observable Plot and its dependencies, bundled.\n" +
  names.map(n => ` * ${n} ${pkgs.get(n).version} (${pkgs.get(n).license})`).join("\n") + "\n *\n" +
  [...texts.entries()].map(([t, ns]) => ` * ${ns.join(", ")}:\n` + t.replace(/\*\//g, "* /").split("\n").map(l => ` * ${l}`.trimEnd()).join("\n")).join("\n *\n") +
  "\n */\n";
// the report inlines the script in a <script> element under a CSP hash of its exact text: it must
// hold nothing that would end that element early
if (/<\/script|<!--/i.test(chunk.code)) throw new Error("build-class-report: the bundle holds </script or <!--");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, fileName), banner + chunk.code);
console.log(`build-class-report: ${((banner.length + chunk.code.length) / 1024).toFixed(0)} KiB (${names.length} packages) -> dist/class-report/${fileName}`);
