// The static server behind `npm start` and `prefault serve` (cli/commands/serve.ts), over HTTP:
// MIME types (application/wasm for the kernel), precompressed bodies, caching, and containment.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync, brotliCompressSync, brotliDecompressSync } from "node:zlib";
import { startServer, type RunningServer } from "../../cli/commands/serve.js";

let root: string, srv: RunningServer;
const BIG = "console.log('prefault');\n".repeat(400);

before(async () => {
  root = mkdtempSync(join(tmpdir(), "prefault-serve-"));
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "index.html"), "<!doctype html><title>x</title>");
  writeFileSync(join(root, "assets", "app-abc.js"), BIG);
  writeFileSync(join(root, "assets", "app-abc.js.br"), brotliCompressSync(BIG));
  writeFileSync(join(root, "assets", "app-abc.js.gz"), gzipSync(BIG));
  writeFileSync(join(root, "assets", "lazy.css"), "a{color:red}\n".repeat(200));
  writeFileSync(join(root, "assets", "kernel-1.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(root, "stale.js"), BIG);
  writeFileSync(join(root, "stale.js.gz"), gzipSync("old"));
  utimesSync(join(root, "stale.js.gz"), new Date(0), new Date(0));              // older than its source
  srv = await startServer({ root, port: 0 });
});
after(async () => { await srv?.close(); rmSync(root, { recursive: true, force: true }); });

const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(new URL(path, srv.url), { headers, method });

test("the page and the kernel are served with their MIME types; the page is never cached stale", async () => {
  const page = await get("/", { "accept-encoding": "identity" });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(page.headers.get("cache-control"), "no-cache");
  const wasm = await get("/assets/kernel-1.wasm");
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  assert.equal(wasm.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.ok(await WebAssembly.compile(await wasm.arrayBuffer()));
});

test("precompressed siblings are sent when accepted: brotli first, then gzip", async () => {
  const br = await get("/assets/app-abc.js", { "accept-encoding": "gzip, br" });
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.equal(br.headers.get("content-type"), "text/javascript; charset=utf-8");
  // undici decodes br itself; check the bytes via a raw request instead
  const raw = await rawGet("/assets/app-abc.js", "br");
  assert.equal(brotliDecompressSync(raw).toString(), BIG);
  const gz = await rawGet("/assets/app-abc.js", "gzip");
  assert.equal(gunzipSync(gz).toString(), BIG);
  assert.equal((await rawGet("/assets/app-abc.js", "identity")).toString(), BIG);
});

test("other text is gzipped on the fly; a precompressed file older than its source is ignored", async () => {
  assert.equal(gunzipSync(await rawGet("/assets/lazy.css", "gzip")).toString(), "a{color:red}\n".repeat(200));
  assert.equal(gunzipSync(await rawGet("/stale.js", "gzip")).toString(), BIG);
});

test("missing files are 404, paths cannot leave the root, only GET and HEAD", async () => {
  assert.equal((await get("/nope.js")).status, 404);
  assert.equal((await rawStatus("/../../../etc/passwd")), 404);
  assert.equal((await rawStatus("/%2e%2e/%2e%2e/etc/passwd")), 404);          // dot segments resolve inside the root
  assert.equal((await rawStatus("/..%2f..%2f..%2fetc%2fpasswd")), 403);
  assert.equal((await get("/", {}, "POST")).status, 405);
  const head = await get("/assets/app-abc.js", { "accept-encoding": "identity" }, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(Buffer.byteLength(BIG)));
});

test("a root without index.html is refused with a hint", async () => {
  const empty = mkdtempSync(join(tmpdir(), "prefault-serve-empty-"));
  await assert.rejects(startServer({ root: empty, port: 0 }), /npm run build:web/);
  rmSync(empty, { recursive: true, force: true });
});

// raw HTTP (no automatic decoding, no path normalisation)
function rawReq(path: string, enc: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((ok, fail) => {
    const u = new URL(srv.url);
    const req = request({ host: u.hostname, port: u.port, path, headers: { "accept-encoding": enc } }, res => {
      const chunks: Buffer[] = [];
      res.on("data", c => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}
async function rawGet(path: string, enc: string): Promise<Buffer> { return (await rawReq(path, enc)).body; }
async function rawStatus(path: string): Promise<number> { return (await rawReq(path, "identity")).status; }
