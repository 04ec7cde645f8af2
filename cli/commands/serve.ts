// cli/commands/serve.ts: `prefault serve [--port N] [--host H] [--root DIR]`, a small static
// server for the built sandbox (web/dist). No backend: the page needs only files.
//
// Serves precompressed siblings (name.br, name.gz written by web/vite.config.ts) when the client
// accepts them, gzips other text on the fly (cached), sends correct MIME types (application/wasm
// for kernel.wasm, so WebAssembly.compileStreaming works), long-term caching for hashed assets,
// and no-cache for index.html. Imports only node: modules, so `npm start` can run it directly.
// Used by `npm start` (web/start.mjs), the browser tests (tests/e2e) and bench/web.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { intOption, parseCommandArgs } from "../args.js";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8", ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
  ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8", ".webmanifest": "application/manifest+json",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".md", ".wasm", ".ttf"]);

/** The repository root (this file is dist/cli/commands/serve.js or cli/commands/serve.ts). */
export function repoRoot(): string {
  return resolve(fileURLToPath(new URL(".", import.meta.url)), import.meta.url.includes("/dist/") ? "../../.." : "../..");
}

export interface ServeOptions { root?: string; port?: number; host?: string; quiet?: boolean }
export interface RunningServer { url: string; port: number; server: Server; close(): Promise<void> }

/** Starts serving `root` (default web/dist) on host:port (port 0: a free one). Resolves once
 *  listening. Throws when the root has no index.html. */
export async function startServer(opts: ServeOptions = {}): Promise<RunningServer> {
  const root = resolve(opts.root ?? join(repoRoot(), "web", "dist"));
  if (!existsSync(join(root, "index.html"))) {
    // a clone builds the app; the installed package (the grader) carries none
    const fromClone = existsSync(join(repoRoot(), "web", "vite.config.ts"));
    throw Object.assign(new Error(fromClone ? `${root} has no index.html: run \`npm run build:web\` first`
      : `${root} has no index.html: the installed prefault package is the grader and carries no web app; ` +
        "serve a built sandbox with --root DIR (a clone's web/dist, or a classroom build), or run `npm start` in a clone"),
      { code: "ENOAPP" });
  }
  const gzCache = new Map<string, { mtime: number; data: Buffer }>();
  const server = createServer((req, res) => handle(root, gzCache, req, res));
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, host, () => { server.off("error", fail); ok(); });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://${host}:${port}/`, port, server,
    close: () => new Promise<void>(ok => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

function handle(root: string, gzCache: Map<string, { mtime: number; data: Buffer }>, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "GET" && req.method !== "HEAD") { res.writeHead(405, { Allow: "GET, HEAD" }).end(); return; }
  let path: string;
  try { path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname); } catch { res.writeHead(400).end(); return; }
  if (path.endsWith("/")) path += "index.html";
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
  let st;
  try { st = statSync(file); } catch { st = null; }
  if (!st || !st.isFile()) { res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n"); return; }
  const ext = extname(file).toLowerCase();
  const headers: Record<string, string> = {
    "Content-Type": MIME[ext] ?? "application/octet-stream",
    "Cache-Control": /[/\\]assets[/\\]/.test(file) ? "public, max-age=31536000, immutable" : "no-cache",
    "X-Content-Type-Options": "nosniff",
  };
  const accept = String(req.headers["accept-encoding"] ?? "");
  let body: Buffer | null = null;
  if (COMPRESSIBLE.has(ext)) {
    headers["Vary"] = "Accept-Encoding";
    for (const [enc, suffix] of [["br", ".br"], ["gzip", ".gz"]] as const) {
      if (!new RegExp(`\\b${enc}\\b`).test(accept)) continue;
      const pre = file + suffix;
      if (existsSync(pre) && statSync(pre).mtimeMs >= st.mtimeMs) { body = readFileSync(pre); headers["Content-Encoding"] = enc; break; }
    }
    if (!body && /\bgzip\b/.test(accept) && st.size > 1024) {
      const hit = gzCache.get(file);
      if (hit && hit.mtime === st.mtimeMs) body = hit.data;
      else { body = gzipSync(readFileSync(file), { level: 6 }); gzCache.set(file, { mtime: st.mtimeMs, data: body }); }
      headers["Content-Encoding"] = "gzip";
    }
  }
  body ??= readFileSync(file);
  headers["Content-Length"] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The id of the first lesson folder (lessons/NN-slug with a lesson.json), or null. */
export function firstLesson(root = repoRoot()): string | null {
  const dir = join(root, "lessons");
  if (!existsSync(dir)) return null;
  return readdirSync(dir).sort().find(n => existsSync(join(dir, n, "lesson.json"))) ?? null;
}

function parseArgs(argv: string[]): { port: number; host: string; root?: string; help: boolean } | string {
  const p = parseCommandArgs(argv, {
    help: { type: "boolean", short: "h" }, port: { type: "string", short: "p" }, host: { type: "string" }, root: { type: "string" },
  });
  if (!p.ok) return p.message;
  const port = intOption("port", p.values.port, 0);
  if (!port.ok) return port.message;
  if ((port.value ?? 0) > 65535) return `--port must be at most 65535 (got ${port.value})`;
  if (p.values.host === "") return "--host needs an address";
  return { port: port.value ?? 8080, host: p.values.host ?? "127.0.0.1", root: p.values.root, help: p.values.help === true };
}

export const command = {
  name: "serve",
  summary: "serve the built browser sandbox (web/dist) on 127.0.0.1",
  usage: "prefault serve [--port N] [--host H] [--root DIR]\n" +
    "  Serves web/dist (build it with `npm run build:web`; `npm start` builds when stale, then serves).\n" +
    "  --port N   port to listen on (default 8080; the next free one is tried if it is taken; 0 = any)\n" +
    "  --host H   address to bind (default 127.0.0.1)\n" +
    "  --root DIR serve another directory",
  async run(argv: string[]): Promise<number> {
    const o = parseArgs(argv);
    if (typeof o === "string") { process.stderr.write(`prefault serve: ${o}\nusage: ${command.usage}\n`); return 2; }
    if (o.help) { process.stdout.write(command.usage + "\n"); return 0; }
    let srv: RunningServer | null = null;
    for (let attempt = 0; attempt < 20 && !srv; attempt++) {
      try { srv = await startServer({ root: o.root, port: o.port === 0 ? 0 : o.port + attempt, host: o.host }); }
      catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EADDRINUSE" && o.port !== 0) continue;
        process.stderr.write(`prefault serve: ${(e as Error).message}\n`);
        return (e as NodeJS.ErrnoException).code === "ENOAPP" ? 2 : 1;
      }
    }
    if (!srv) { process.stderr.write(`prefault serve: ports ${o.port}..${o.port + 19} are taken\n`); return 1; }
    const lesson = firstLesson();
    process.stdout.write(`Prefault is at ${srv.url}${lesson ? `#lesson=${lesson}` : ""}\n(Ctrl+C stops the server)\n`);
    await new Promise<void>(ok => {
      const stop = () => { void srv!.close().then(ok); };
      process.once("SIGINT", stop); process.once("SIGTERM", stop);
    });
    return 0;
  },
};
