// tests/probe/probe-cli.test.ts: `prefault probe` on this machine: the real bin builds the probe
// with the system C compiler, runs it on the running kernel, and every observation it can make
// agrees with the model stage of the kernel's era; those it cannot make are skipped with a
// reason. CI (.ci/run) installs gcc, so there the test always runs; without Linux or a C
// compiler it says why it is skipped. Also: usage errors, no compiler, --save-costs and
// `prefault run --costs`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hostProblem } from "../../cli/probe-build.js";
import type { ProbeReport } from "../../engine/probe/compare.js";
import type { RunResult } from "../../engine/types.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");
const FIX = join(ROOT, "tests", "probe", "fixtures");

interface Out { code: number | null; stdout: string; stderr: string }
function prefault(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Out> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}

const tmp = mkdtempSync(join(tmpdir(), "prefault-probe-"));
const cannot = hostProblem() ?? (spawnSync(process.env.CC || "cc", ["--version"]).status === 0 ? null : "no C compiler (cc)");

test("prefault probe on this kernel: every observation it can make agrees with the model", { skip: cannot ?? false }, async () => {
  const r = await prefault(["probe", "--json", "--samples", "20"]);
  const rep = JSON.parse(r.stdout) as ProbeReport & { probe: { complete: boolean } };
  const bad = rep.rows.filter(x => !["agree", "skipped", "info"].includes(x.status));
  assert.deepEqual(bad.map(x => `${x.id}: kernel ${x.kernel} | model ${x.model}`), []);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(rep.probe.complete);
  assert.ok(rep.summary.agree >= 40, `only ${rep.summary.agree} rows agree`);
  for (const s of rep.rows.filter(x => x.status === "skipped")) assert.ok(s.reason && s.reason.length > 0, `${s.id} skipped without a reason`);
  // root (or CAP_SYS_ADMIN) observes time namespaces; otherwise each row says why not
  const tn = rep.rows.filter(x => x.id.startsWith("timens."));
  assert.equal(tn.length, 12);
  if (rep.kernel.cap_sys_admin) assert.ok(tn.some(x => x.status === "agree"));
  else assert.ok(tn.every(x => x.status === "skipped" && x.reason === "needs CAP_SYS_ADMIN"));
  assert.ok(["v6.18", "pre", "p6"].includes(rep.stage));
  assert.equal(typeof rep.kernel.release, "string");
});

test("prefault probe prints the table headed by kernel, architecture and glibc", { skip: cannot ?? false }, async () => {
  const r = await prefault(["probe", "--samples", "0"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.match(lines[0], /^kernel: Linux \S+ {3}architecture: (x86_64|aarch64) {3}glibc: \S+$/);
  assert.match(r.stdout, /^observation +your kernel +the model +agree\?$/m);
  assert.match(r.stdout, /^cost\.fault +skipped: --samples 0 /m);
});

test("prefault probe: bad usage and a missing compiler exit 2 with a clear message", async () => {
  for (const args of [["--samples", "x"], ["--bogus"], ["--raw", "--json"], ["extra"]]) {
    const r = await prefault(["probe", ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^prefault probe: .*\n\nusage: prefault probe/);
  }
  const r = await prefault(["probe"], { ...process.env, CC: join(tmp, "no-such-cc") });
  assert.equal(r.code, 2);
  assert.match(r.stderr, cannot && !cannot.startsWith("no C") ? /prefault probe: / : /no C compiler: \$CC \(.*no-such-cc\)/);
  const f = await prefault(["probe", "--from", join(tmp, "absent.jsonl")]);
  assert.equal(f.code, 2);
  assert.match(f.stderr, /cannot read .*absent\.jsonl: ENOENT/);
  writeFileSync(join(tmp, "junk.jsonl"), "hello\n");
  const j = await prefault(["probe", "--from", join(tmp, "junk.jsonl")]);
  assert.equal(j.code, 2);
  assert.match(j.stderr, /line 1: not JSON/);
});

test("--save-costs writes the measured cost; prefault run --costs makes the first fault cost that much", async () => {
  const costs = join(tmp, "costs.json");
  const s = await prefault(["probe", "--from", join(FIX, "linux-6.18-x86_64.jsonl"), "--save-costs", costs]);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(JSON.parse(readFileSync(costs, "utf8")), { fault_exception_ns: 3267 });
  const other = join(tmp, "costs2.json");
  writeFileSync(other, JSON.stringify({ fault_exception_ns: 50000 }));
  const first = async (file: string) => {
    const r = await prefault(["run", join(ROOT, "scenarios", "01-first-fault.json"), "--costs", file, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as RunResult;
    return res.steps.find(x => x.op === "clock_gettime")!.latency_ns!.max;
  };
  const a = await first(costs), b = await first(other);
  assert.equal(b - a, 50000 - 3267);
  writeFileSync(join(tmp, "bad.json"), JSON.stringify({ fault_exception_ns: "fast" }));
  const bad = await prefault(["run", join(ROOT, "scenarios", "01-first-fault.json"), "--costs", join(tmp, "bad.json")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.json: \/fault_exception_ns: must be number/);
});
