// Finding Chromium (tests/e2e/chromium.ts): PREFAULT_CHROMIUM first, then chromium,
// chromium-browser, google-chrome on the PATH; and, on a machine with none, what a browser test
// prints: one line saying what to install, no stack trace.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumPath, findChromium, which } from "./chromium.js";

const tmp = mkdtempSync(join(tmpdir(), "prefault-chromium-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder holding executables (and, with exec false, plain files) of the given names. */
function binDir(name: string, files: Record<string, boolean>): string {
  const d = join(tmp, name);
  mkdirSync(d);
  for (const [f, exec] of Object.entries(files)) {
    writeFileSync(join(d, f), "#!/bin/sh\nexit 0\n");
    chmodSync(join(d, f), exec ? 0o755 : 0o644);
  }
  return d;
}

test("the PATH is searched for chromium, then chromium-browser, then google-chrome; non-executables and relative folders are skipped", () => {
  const a = binDir("a", { "google-chrome": true, "chromium": false });
  const b = binDir("b", { "chromium-browser": true });
  const c = binDir("c", { "chromium": true });
  assert.deepEqual(findChromium({ PATH: [a, b].join(":") }), { ok: true, path: join(b, "chromium-browser"), from: "chromium-browser on the PATH" });
  assert.deepEqual(findChromium({ PATH: [a, b, c].join(":") }), { ok: true, path: join(c, "chromium"), from: "chromium on the PATH" });
  assert.deepEqual(findChromium({ PATH: a }), { ok: true, path: join(a, "google-chrome"), from: "google-chrome on the PATH" });
  assert.equal(which("chromium", `.:${a}`), undefined);
});

test("PREFAULT_CHROMIUM wins over the PATH, as a path or a command name; a wrong one is an error that names it", () => {
  const a = binDir("d", { "chromium": true, "my-chrome": true });
  const e = binDir("e", { "chromium": true });
  assert.equal(chromiumPath({ PATH: a, PREFAULT_CHROMIUM: join(e, "chromium") }), join(e, "chromium"));
  assert.equal(chromiumPath({ PATH: a, PREFAULT_CHROMIUM: "my-chrome" }), join(a, "my-chrome"));
  const bad = findChromium({ PATH: a, PREFAULT_CHROMIUM: join(tmp, "nope") });
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.message : "", /^PREFAULT_CHROMIUM=.*nope is not an executable file/);
});

test("no Chromium anywhere: the error says what to install, in one line without a stack", () => {
  const r = findChromium({ PATH: binDir("f", { "firefox": true }) });
  assert.equal(r.ok, false);
  assert.throws(() => chromiumPath({ PATH: "" }), (e: Error) => {
    assert.equal(e.stack, e.message);
    assert.match(e.message, /apt-get install chromium/);
    assert.match(e.message, /PREFAULT_CHROMIUM/);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
});

test("a browser test on a machine without Chromium fails with that line, not a Playwright stack trace", () => {
  const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "needs-chromium.js");
  const env: Record<string, string> = { PATH: join(tmp, "empty-path") };
  for (const k of ["HOME", "TMPDIR", "LANG"]) if (process.env[k]) env[k] = process.env[k]!;
  const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", fixture], { encoding: "utf8", env, timeout: 60_000 });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, /✖ a browser test/);
  const lines = out.split("\n");
  const i = lines.findIndex(l => l.includes("✖ a browser test"));
  assert.match(lines[i + 1], /^\s*\[?no Chromium found .*apt-get install chromium.*\]?$/, out);
  assert.doesNotMatch(out, /playwright|^\s+at /im, out);
});
