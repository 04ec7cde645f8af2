// vite.config.ts: the static build of the Prefault sandbox (npm run build:web -> web/dist).
//
// base "./" so any static server (or a sub-path) works; ES workers because asc and binaryen use
// top-level await; precompressed .gz and .br copies of every large asset for cli/commands/serve.ts.
//
// Options (environment variables; the default build, `npm run build:web`, uses none):
//   PREFAULT_NO_SOLUTIONS=1  (or `--mode classroom`) the classroom build: no reference solution,
//                            no mutant in any bundle, no "Compare with solution" button
//   PREFAULT_LESSONS=ID,...  only these lessons (a lesson's starter is the previous lesson's
//                            solution, so a class working on lesson 3 gets lessons 01..03)
//   PREFAULT_BASE=/path/     the public base path (GitHub Pages: /<repository>/); default "./"
//   PREFAULT_WEB_OUT=DIR     the output folder; default web/dist
//   PREFAULT_PRECOMPRESS=0   no .gz/.br copies (for a host that compresses, or a quick build)
import { defineConfig, type Plugin } from "vite";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { createHash } from "node:crypto";
import { brotliCompress, gzip as gzipCb, constants, type BrotliOptions, type ZlibOptions } from "node:zlib";
import { promisify } from "node:util";
import { predictions } from "./predictions-plugin.ts";
import { stages } from "./stages-plugin.ts";
import { binaryenWasm } from "./plugins/binaryen-wasm.ts";
import { COMPILER_WORKER_NAME, EARLY_COMPILER_GLOBAL } from "./src/workers/early-start.ts";

const gzip = promisify(gzipCb) as (b: Buffer, o: ZlibOptions) => Promise<Buffer>;
const brotli = promisify(brotliCompress) as (b: Buffer, o: BrotliOptions) => Promise<Buffer>;

const here = import.meta.dirname;
const version = (pkg: string) => (JSON.parse(readFileSync(resolve(here, "../node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|wasm|ttf|map|txt|md)$/;

// The module "virtual:prefault-lessons": every lessons/NN-slug folder, loaded and validated at
// build time by the engine's own loader (engine/lesson.ts with engine/validate.ts), as JSON. The
// browser then needs neither ajv nor a schema compile at start-up; a broken lesson is listed
// with its problem (and printed as a build warning).
function lessons(o: { classroom: boolean; only: string[] | null }): Plugin {
  const ID = "virtual:prefault-lessons";
  const dir = resolve(here, "../lessons");
  return {
    name: "prefault-lessons",
    resolveId(id) { return id === ID ? "\0" + ID : undefined; },
    async load(id) {
      if (id !== "\0" + ID) return undefined;
      // the engine's one lesson-folder reader, over watched reads (a lesson edit reloads the page)
      const { loadLessonFolder } = await import("../engine/lesson-folder.ts");
      const out: { lessons: unknown[]; broken: { id: string; message: string }[] } = { lessons: [], broken: [] };
      for (const lid of readdirSync(dir).sort()) {
        const ldir = join(dir, lid);
        if (!statSync(ldir).isDirectory() || !existsSync(join(ldir, "lesson.json"))) continue;
        if (o.only && !o.only.includes(lid)) continue;
        const r = loadLessonFolder(lid, {
          read: p => {
            this.addWatchFile(join(ldir, p));
            try { return readFileSync(join(ldir, p), "utf8"); } catch { return undefined; }
          },
          list: sub => existsSync(join(ldir, sub)) && statSync(join(ldir, sub)).isDirectory() ? readdirSync(join(ldir, sub)) : [],
        });
        // the classroom build keeps neither the solution nor the mutants (their descriptions
        // say what the bugs are): only what a learner may see
        if (r.ok) out.lessons.push(o.classroom ? { ...r.lesson, solution: {}, mutants: [], mutantSources: {} } : { ...r.lesson, mutantSources: {} });
        else out.broken.push({ id: lid, message: r.error.message });
      }
      for (const b of out.broken) this.warn(`lesson ${b.id} left out: ${b.message}`);
      for (const id of o.only ?? []) if (!readdirSync(dir).includes(id)) this.error(`PREFAULT_LESSONS names ${id}, which is not a lesson folder`);
      return `export default ${JSON.stringify(out)};`;
    },
  };
}

// What a first visit does not fetch: the TypeScript language service (completion and hover; its
// worker is 7 MB), loaded when the learner first puts the cursor in the editor
// (src/editor/monaco.ts). The service worker caches these when they are first fetched instead of
// precaching them, so a first visit stays within its byte budget (tests/e2e/first-visit.test.ts).
const ON_DEMAND = /^assets\/(ts\.worker|tsMode|typescript)-[^/]*$/;

// Writes name.gz and name.br next to every compressible file over 1 KiB in the output, in
// parallel on libuv's pool. Brotli 11 for small files; for a large one a first visit fetches
// (binaryen's Wasm, asc, Monaco) brotli 10 with a 16 MiB window, 10-15 % smaller than brotli 9
// at 10x its time, so those results are kept in node_modules/.cache/prefault-precompress, keyed
// by content (they change when a dependency does); the large on-demand ones get brotli 9.
function precompress(): Plugin {
  let outDir = "";
  const cacheDir = resolve(here, "../node_modules/.cache/prefault-precompress");
  const brotliOptions = (rel: string, size: number): BrotliOptions => ({ params: {
    [constants.BROTLI_PARAM_QUALITY]: size <= 256 * 1024 ? 11 : ON_DEMAND.test(rel) ? 9 : 10,
    ...(size > 256 * 1024 && !ON_DEMAND.test(rel) ? { [constants.BROTLI_PARAM_LGWIN]: 24 } : {}),
    [constants.BROTLI_PARAM_SIZE_HINT]: size } });
  // compress(data) through the cache: one file per content hash and options
  const cached = async (data: Buffer, how: string, compress: () => Promise<Buffer>): Promise<Buffer> => {
    if (data.length <= 256 * 1024) return compress();
    const file = join(cacheDir, createHash("sha256").update(how).update(data).digest("hex"));
    if (existsSync(file)) return readFileSync(file);
    const out = await compress();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file + ".tmp" + process.pid, out);
    renameSync(file + ".tmp" + process.pid, file);
    return out;
  };
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
        const br = brotliOptions(relative(outDir, p).split(sep).join("/"), data.length);
        return [
          gzip(data, { level: 9 }).then(b => writeFileSync(p + ".gz", b)),
          cached(data, "br" + JSON.stringify(br), () => brotli(data, br)).then(b => writeFileSync(p + ".br", b)),
        ];
      }));
    },
  };
}

// Writes sw.js: a service worker that precaches every file of the build but the on-demand ones
// (so the sandbox works offline once loaded) under a cache named after the build's file list, and
// caches the on-demand ones when the page first fetches them. Network first for the page itself,
// cache first for the hashed assets.
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
        .replace("__PREFAULT_FILES__", JSON.stringify(["./", ...files.filter(f => !ON_DEMAND.test(f)).map(f => "./" + f)])));
    } },
  };
}

// Adds <link rel="modulepreload"> for the editor's chunks to index.html, so the browser fetches
// Monaco while it is still parsing the app entry (main.ts imports it dynamically, first thing).
function preloadEditor(): Plugin {
  let base = "./";
  return {
    name: "prefault-preload-editor",
    apply: "build",
    configResolved(c) { base = c.base; },
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const editor = Object.values(bundle).find(c => c.type === "chunk" && c.facadeModuleId?.endsWith("/src/editor/monaco.ts"));
        if (!editor || editor.type !== "chunk") return [];
        const files = new Set<string>([editor.fileName]);
        const walk = (name: string) => {
          const c = bundle[name];
          if (c && c.type === "chunk") for (const i of c.imports) if (!files.has(i)) { files.add(i); walk(i); }
        };
        walk(editor.fileName);
        const css = [...(editor.viteMetadata?.importedCss ?? [])];
        // the compiler worker's asc chunk and binaryen's Wasm, prefetched when nothing else starts
        // the worker early (see below)
        const asc = Object.keys(bundle).filter(f => /(^|\/)(asc-[^/]*\.js|binaryen-[^/]*\.wasm)$/.test(f));
        // the compiler worker itself starts from the page's head, before the app's entry has even
        // arrived: asc's load is the longest on a first visit (docs/web-performance.md). The app's
        // CompilerClient adopts this worker; without it (dev server) the app starts its own.
        const worker = Object.keys(bundle).find(f => /(^|\/)compiler\.worker-[^/]*\.js$/.test(f));
        const early = worker ? [{ tag: "script", injectTo: "head-prepend" as const,
          children: `try{self.${EARLY_COMPILER_GLOBAL}=new Worker(${JSON.stringify(base + worker)},{type:"module",name:${JSON.stringify(COMPILER_WORKER_NAME)}})}catch(e){}` }] : [];
        return [
          ...early,
          // (only when the worker does not start from the head: a fetch that finds a prefetch of
          // the same file under way waits for all of it, so binaryen could not compile while it streams)
          ...(worker ? [] : asc).map(f => ({ tag: "link", attrs: { rel: "prefetch", href: base + f, crossorigin: true }, injectTo: "head" as const })),
          ...[...files].map(f => ({ tag: "link", attrs: { rel: "modulepreload", href: base + f, crossorigin: true }, injectTo: "head" as const })),
          // crossorigin as on the <link rel="stylesheet"> Vite's preload helper adds for the chunk's
          // CSS (crossOrigin = ""): a preload whose credentials mode differs is not used, and the
          // browser fetches the file a second time (and warns that the preload went unused)
          ...css.map(f => ({ tag: "link", attrs: { rel: "preload", as: "style", href: base + f, crossorigin: true }, injectTo: "head" as const })),
        ];
      },
    },
  };
}

export default defineConfig(({ mode }) => {
const env = process.env;
const classroom = mode === "classroom" || env.PREFAULT_NO_SOLUTIONS === "1";
const only = env.PREFAULT_LESSONS ? env.PREFAULT_LESSONS.split(",").map(x => x.trim()).filter(Boolean) : null;
const base = env.PREFAULT_BASE || "./";
if (base !== "./" && !/^\/(.*\/)?$/.test(base)) throw new Error(`PREFAULT_BASE must be "./" or an absolute path ending in "/" (got ${base})`);
return {
  root: here,
  base,
  publicDir: resolve(here, "public"),
  build: {
    outDir: env.PREFAULT_WEB_OUT ? resolve(env.PREFAULT_WEB_OUT) : resolve(here, "dist"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 16000,
    sourcemap: false,
    assetsInlineLimit: 0,
    rolldownOptions: {
      // known noise: asc/binaryen name Node modules they only import under Node (pitfall P19),
      // and the plugin timing report (dominated by the precompression on purpose)
      onLog(level, log, handler) {
        if (log.code === "PLUGIN_TIMINGS" || /externalized for browser compatibility/.test(log.message)) return;
        handler(level, log);
      },
    },
  },
  // the workers are a build of their own: binaryen's Wasm out of its JS (plugins/binaryen-wasm.ts)
  worker: { format: "es", plugins: () => [binaryenWasm()] },
  define: {
    __PREFAULT_VERSIONS__: JSON.stringify({ monaco: version("monaco-editor"), assemblyscript: version("assemblyscript"), vite: version("vite") }),
  },
  server: { fs: { allow: [resolve(here, "..")] } },
  optimizeDeps: { include: ["assemblyscript/asc", "comlink"] },
  plugins: [lessons({ classroom, only }), predictions(resolve(here, "..")), stages({ classroom, only }), preloadEditor(), serviceWorker(), ...(env.PREFAULT_PRECOMPRESS === "0" ? [] : [precompress()])],
  logLevel: "warn",
};
});
