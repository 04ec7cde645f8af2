// cli/probe-build.ts: builds the probe (probe/*.c) with the system C compiler and runs it.
// The binary is kept in <package>/.cache/probe/<hash>/ (the hash covers the sources, the
// compiler's --version and the flags), or under the system's temporary folder when the package
// folder is read-only. Callers: cli/commands/probe.ts, tests/probe/*.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT } from "./node-paths.js";

export const PROBE_SOURCE_DIR = join(PACKAGE_ROOT, "probe");
const CFLAGS = ["-O1", "-std=gnu11", "-Wall"];

/** Architectures with a vDSO table in probe/main.c (Node's process.arch -> uname -m). */
export const PROBE_ARCHES: Record<string, string> = { x64: "x86_64", arm64: "aarch64" };

export type Built = { ok: true; path: string; compiler: string; cached: boolean } | { ok: false; message: string };

/** Why this host cannot run the probe, or null when it can (Linux, a known architecture). */
export function hostProblem(platform: string = process.platform, arch: string = process.arch): string | null {
  if (platform !== "linux") return `the probe observes Linux's [vvar]; this is ${platform}`;
  if (!Object.hasOwn(PROBE_ARCHES, arch)) {
    return `no vDSO data-page table for the ${arch} architecture (known: ${Object.values(PROBE_ARCHES).join(", ")})`;
  }
  return null;
}

/** The C compiler to use ($CC, else cc) and its --version line, or null when there is none. */
export function findCompiler(env: NodeJS.ProcessEnv = process.env): { cc: string; version: string } | null {
  const cc = env.CC && env.CC.trim() !== "" ? env.CC.trim() : "cc";
  const r = spawnSync(cc, ["--version"], { encoding: "utf8", timeout: 20_000 });
  if (r.error || r.status !== 0) return null;
  return { cc, version: (r.stdout || "").split("\n")[0] };
}

function sources(): string[] {
  return readdirSync(PROBE_SOURCE_DIR).filter(f => f.endsWith(".c") || f.endsWith(".h")).sort();
}

// writable cache roots, best first
function cacheRoots(): string[] {
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  return [join(PACKAGE_ROOT, ".cache", "probe"), join(tmpdir(), `prefault-probe-${uid}`)];
}

/** Builds the probe (or finds it built). */
export function buildProbe(env: NodeJS.ProcessEnv = process.env): Built {
  const host = hostProblem();
  if (host) return { ok: false, message: host };
  const c = findCompiler(env);
  if (!c) return { ok: false, message: `no C compiler: ${env.CC ? `$CC (${env.CC})` : "cc"} is not there or does not run (install gcc, or set CC)` };
  let files: string[];
  try { files = sources(); } catch { return { ok: false, message: `no probe sources at ${PROBE_SOURCE_DIR}` }; }
  const h = createHash("sha256").update(c.cc + "\0" + c.version + "\0" + CFLAGS.join(" "));
  for (const f of files) h.update(f + "\0").update(readFileSync(join(PROBE_SOURCE_DIR, f)));
  const key = h.digest("hex").slice(0, 16);
  let lastError = "";
  for (const root of cacheRoots()) {
    const dir = join(root, key), bin = join(dir, "probe");
    if (existsSync(bin)) return { ok: true, path: bin, compiler: c.version, cached: true };
    try { mkdirSync(dir, { recursive: true }); } catch (e) { lastError = (e as Error).message; continue; }
    const tmp = join(dir, `probe.${process.pid}.tmp`);
    const r = spawnSync(c.cc, [...CFLAGS, "-o", tmp, ...files.filter(f => f.endsWith(".c")).map(f => join(PROBE_SOURCE_DIR, f))],
      { encoding: "utf8", timeout: 120_000 });
    if (r.error || r.status !== 0) {
      rmSync(tmp, { force: true });
      return { ok: false, message: `${c.cc} could not build the probe:\n${(r.stderr || r.error?.message || "").trim()}` };
    }
    try { chmodSync(tmp, 0o755); renameSync(tmp, bin); } catch (e) { lastError = (e as Error).message; continue; }
    return { ok: true, path: bin, compiler: c.version, cached: false };
  }
  return { ok: false, message: `no writable folder for the probe binary (${lastError})` };
}

export type ProbeRun = { ok: true; stdout: string } | { ok: false; code: number; message: string };

/** Runs the built probe; `samples` fresh processes time the fault cost. */
export function runProbe(bin: string, samples: number): ProbeRun {
  const r = spawnSync(bin, ["--samples", String(samples)], { encoding: "utf8", timeout: 120_000, maxBuffer: 16 << 20 });
  if (r.error) return { ok: false, code: 3, message: `the probe did not run: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, code: r.status === 2 ? 2 : 3, message: (r.stderr || `the probe exited with ${r.status ?? r.signal}`).trim() };
  return { ok: true, stdout: r.stdout };
}
