// vite.config.ts: the static build of the Prefault sandbox (npm run build:web -> web/dist).
//
// base "./" so any static server (or a sub-path) works; ES workers because asc and binaryen use
// top-level await; precompressed .gz and .br copies of every large asset for cli/commands/serve.ts.
import { defineConfig, type Plugin } from "vite";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
import { brotliCompress, gzip as gzipCb, constants, type BrotliOptions, type ZlibOptions } from "node:zlib";
import { promisify } from "node:util";

const gzip = promisify(gzipCb) as (b: Buffer, o: ZlibOptions) => Promise<Buffer>;
const brotli = promisify(brotliCompress) as (b: Buffer, o: BrotliOptions) => Promise<Buffer>;

const here = import.meta.dirname;
const version = (pkg: string) => (JSON.parse(readFileSync(resolve(here, "../node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|wasm|ttf|map|txt|md)$/;

// Writes name.gz and name.br next to every compressible file over 1 KiB in the output, in
// parallel on libuv's pool. Brotli 11 only for small files: it costs ~10x brotli 9 for ~1 % less.
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "prefault-precompress",
    apply: "build",
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    async closeBundle() {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          if (statSync(p).isDirectory()) walk(p);
          else if (COMPRESSIBLE.test(name) && statSync(p).size >= 1024) files.push(p);
        }
      };
      walk(outDir);
      await Promise.all(files.flatMap(p => {
        const data = readFileSync(p);
        return [
          gzip(data, { level: 9 }).then(b => writeFileSync(p + ".gz", b)),
          brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: data.length > 256 * 1024 ? 9 : 11,
                                   [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }).then(b => writeFileSync(p + ".br", b)),
        ];
      }));
    },
  };
}

// Writes sw.js: a service worker that precaches every file of the build (so the sandbox works
// offline once loaded) under a cache named after the build's file list. Network first for the
// page itself, cache first for the hashed assets.
function serviceWorker(): Plugin {
  let outDir = "";
  return {
    name: "prefault-service-worker",
    apply: "build",
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    closeBundle: { order: "pre", handler() {
      const files: string[] = [];
      const walk = (dir: string, rel: string) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          if (statSync(p).isDirectory()) walk(p, rel + name + "/");
          else if (!/\.(gz|br)$/.test(name) && name !== "sw.js") files.push(rel + name);
        }
      };
      walk(outDir, "");
      const version = createHash("sha256").update(files.sort().join("\n")).digest("hex").slice(0, 12);
      writeFileSync(join(outDir, "sw.js"), readFileSync(resolve(here, "src/sw-template.js"), "utf8")
        .replace("__PREFAULT_CACHE__", `prefault-${version}`)
        .replace("__PREFAULT_FILES__", JSON.stringify(["./", ...files.map(f => "./" + f)])));
    } },
  };
}

export default defineConfig({
  root: here,
  base: "./",
  publicDir: resolve(here, "public"),
  build: {
    outDir: resolve(here, "dist"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 16000,
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  worker: { format: "es" },
  define: {
    __PREFAULT_VERSIONS__: JSON.stringify({ monaco: version("monaco-editor"), assemblyscript: version("assemblyscript"), vite: version("vite") }),
  },
  server: { fs: { allow: [resolve(here, "..")] } },
  optimizeDeps: { include: ["assemblyscript/asc", "comlink"] },
  plugins: [serviceWorker(), precompress()],
  logLevel: "warn",
});
