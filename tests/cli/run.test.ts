// `prefault run` and `prefault --help`: the real bin in a child process, real kernel and asc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { softLockupMessage } from "../../engine/runner-protocol.js";
import { DATASTORE_ASC_CRASH, DATASTORE_POST, DATASTORE_SPIN, DATASTORE_SPIN_PGOFF2, DATASTORE_TRAP, DATASTORE_TRAP_LINE,
  LATE_HANG_SCENARIO, datastoreSlowCompile } from "../unit/fixtures.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");
const SCENARIOS = join(ROOT, "scenarios");

interface Out { code: number | null; stdout: string; stderr: string }

function prefault(args: string[], cwd = ROOT): Promise<Out> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}

const tmp = mkdtempSync(join(tmpdir(), "prefault-cli-"));
function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

test("--help lists the commands; <cmd> --help shows the usage; unknown command exits 2", async () => {
  const h = await prefault(["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^ {2}run {2,}run a scenario/m);
  const r = await prefault(["run", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /usage: prefault run <scenario\.json>/);
  const u = await prefault(["frobnicate"]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /unknown command "frobnicate"/);
});

test("run a sample scenario with the default stage from another cwd: trace, exit 0", async () => {
  const r = await prefault(["run", join(SCENARIOS, "01-first-fault.json")], tmp);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /clock_gettime app CLOCK_MONOTONIC/);
  assert.match(r.stdout, /faults 1/);
  assert.match(r.stdout, /every expectation held/);
  // durations in microseconds are written with the micro sign, as in the browser and `prefault probe`
  assert.match(r.stdout, /^1 ok .*; 1 call, latency max 20 µs, total 20 µs$/m);
  assert.doesNotMatch(r.stdout, /\d us\b/);
});

test("--json prints the RunResult", async () => {
  const r = await prefault(["run", join(SCENARIOS, "02-mlockall.json"), "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.scenario, "mlockall-root");
  assert.equal(j.status, "ok");
  assert.equal(j.ok, true);
  assert.equal(j.steps[1].deltas.faults, 0);
});

test("an unmet expectation exits 1 and says which", async () => {
  const s = file("strict.json", JSON.stringify({ name: "strict", steps: [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_REALTIME", expect: { faults: 0 } }] }));
  const r = await prefault(["run", s, "--datastore", file("datastore.ts", DATASTORE_POST)]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /FAIL/);
  assert.match(r.stdout, /faults/);
});

test("an invalid scenario exits 2 naming the JSON path", async () => {
  const s = file("bad.json", JSON.stringify({ name: "bad", steps: [
    { op: "spawn", task: "a" }, { op: "clock_gettime", task: "a", clock: "CLOCK_NOW" }] }));
  const r = await prefault(["run", s]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/steps\/1\/clock: must be one of CLOCK_REALTIME/);
  const j = await prefault(["run", file("broken.json", "{ nope")]);
  assert.equal(j.code, 2);
  assert.match(j.stderr, /not valid JSON/);
  const m = await prefault(["run", join(tmp, "missing.json")]);
  assert.equal(m.code, 2);
  assert.match(m.stderr, /cannot read/);
});

test("a compile error exits 2 with file:line:col and asc's message", async () => {
  const src = DATASTORE_POST.replace("const pgoff = vmf.pgoff;", "const pgoff = ;");
  const line = src.split("\n").findIndex(l => l.includes("const pgoff = ;")) + 1;
  const p = file("datastore.ts", src);
  const r = await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--datastore", p], tmp);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`datastore\\.ts:${line}:\\d+ - error TS1109: Expression expected`));
});

test("a handler that never returns is a soft lockup in its step: exit 1, the message and the kernel's line", async () => {
  const p = file("datastore.ts", DATASTORE_SPIN);
  const r = await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--datastore", p]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes(`timeout (step 1): ${softLockupMessage(1)} at `), r.stdout);
  assert.match(r.stdout, /^timeout \(step 1\): .* at \S*datastore\.ts:\d+:\d+$/m);
  assert.match(r.stdout, /watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[\w+:1\]/);
});

test("a trap in the handler is an oops at the user's file and line: exit 1", async () => {
  const p = file("trapping.ts", DATASTORE_TRAP);
  const r = await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--datastore", p], tmp);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, new RegExp(`oops \\(step 1\\): unreachable at trapping\\.ts:${DATASTORE_TRAP_LINE}:\\d+`));
});

test("an abort message's newlines cannot start lines of their own: text, --explain and --compare escape them; --json keeps them exact", async () => {
  const message = "\\nScore: 13/13\\n10 passed, 0 failed\\u2028x";
  const p = file("forging.ts", DATASTORE_POST.replace("if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;", `if (vmf.pgoff < 1000) abort("${message}");`));
  const sc = join(SCENARIOS, "01-first-fault.json");
  for (const extra of [[], ["--explain", "1"], ["--compare", "pre"]]) {
    const r = await prefault(["run", sc, "--datastore", p, ...extra], tmp);
    assert.ok(r.code === 1 || r.code === 0, `${extra.join(" ")}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /^\s*(Score:|10 passed)/m, extra.join(" "));
    assert.match(r.stdout, /\\x0aScore: 13\/13\\x0a10 passed, 0 failed\\u\{2028\}x/, extra.join(" "));
    // the walk of the aborting fault ends in the oops, not in "no PTE was made"
    if (extra[0] === "--explain") assert.match(r.stdout, /^  => Oops: abort: \\x0aScore: 13\/13/m);
  }
  for (const extra of [[], ["--explain", "1"]]) {
    const j = await prefault(["run", sc, "--datastore", p, "--json", ...extra], tmp);
    assert.ok(JSON.stringify(JSON.parse(j.stdout)).includes("\\nScore: 13/13\\n10 passed, 0 failed\u2028x"), extra.join(" "));
  }
});

test("bad options and unknown stages exit 2", async () => {
  assert.equal((await prefault(["run"])).code, 2);
  assert.equal((await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--stage", "p99"])).code, 2);
  assert.equal((await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--bogus"])).code, 2);
});

test("deadlines: run spells them as grade does (--deadline-ms, --compile-deadline-ms; the short forms are aliases), at least 100 ms", async () => {
  const sc = join(SCENARIOS, "01-first-fault.json");
  for (const flag of ["--deadline-ms", "--deadline", "--compile-deadline-ms", "--compile-deadline"]) {
    const low = await prefault(["run", sc, flag, "1"]);
    assert.equal(low.code, 2, flag);
    assert.match(low.stderr, /must be an integer of at least 100 \(got "1"\)/, flag);
    const ok = await prefault(["run", sc, flag, "5000"]);
    assert.equal(ok.code, 0, `${flag}: ${ok.stderr}`);
  }
  const help = await prefault(["run", "--help"]);
  assert.match(help.stdout, /--deadline-ms <ms>/);
  assert.match(help.stdout, /--compile-deadline-ms <ms>/);
});

test("a handler that hangs at a later step: the steps before it are reported, text and --json", async () => {
  const s = file("late-hang.json", JSON.stringify(LATE_HANG_SCENARIO));
  const p = file("late-spin.ts", DATASTORE_SPIN_PGOFF2);
  const message = softLockupMessage(2);
  const r = await prefault(["run", s, "--datastore", p], tmp);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.split("\n");
  assert.match(lines.find(l => /^0 /.test(l)) ?? "", /^0 ok +spawn a: ret 1/);
  assert.match(lines.find(l => /^1 /.test(l)) ?? "", /^1 ok +clock_gettime a CLOCK_MONOTONIC: .*correct; faults 1/);
  assert.match(lines.find(l => /^2 /.test(l)) ?? "", /^2 HUNG +read a.*: did not return/);
  assert.match(lines.find(l => /^3 /.test(l)) ?? "", /^3 - +clock_gettime a CLOCK_MONOTONIC: \(not run\)/);
  assert.ok(r.stdout.includes(`timeout (step 2): ${message} at late-spin.ts:`), r.stdout);
  assert.match(r.stdout, /late-hang: timeout/);

  const j = await prefault(["run", s, "--datastore", p, "--json"], tmp);
  assert.equal(j.code, 1, j.stderr);
  const res = JSON.parse(j.stdout);
  assert.equal(res.status, "timeout");
  assert.equal(res.ok, false);
  assert.deepEqual([res.oops.message, res.oops.step, res.oops.file], [message, 2, "late-spin.ts"]);
  // the hung step ran up to the lockup (its deltas so far: the handler was called once)
  assert.deepEqual(res.steps.map((x: { ran: boolean }) => x.ran), [true, true, true, false]);
  assert.equal(res.steps[2].deltas.handler_calls, 1);
  assert.equal(res.steps[1].deltas.faults, 1);
  assert.equal(res.steps[1].ok, true);
  assert.deepEqual(res.steps[2].failures, [message]);
  assert.ok(res.tasks.a, "the tasks as they were after step 1");
});

test("an asc crash (process.exit in the compiler) is a compile error naming the file: exit 2", { timeout: 120_000 }, async () => {
  const p = file("crashing.ts", DATASTORE_ASC_CRASH);
  const r = await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--datastore", p, "--no-cache"], tmp);
  assert.equal(r.code, 2, r.stderr + r.stdout);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^prefault run: the AssemblyScript compiler crashed on crashing\.ts .*RangeError: Maximum call stack size exceeded/);
  assert.doesNotMatch(r.stderr, /Whoops/, "asc's own crash banner stays out");
});

test("a compile that never ends is stopped at --compile-deadline: exit 2", { timeout: 120_000 }, async () => {
  const p = file("slow.ts", datastoreSlowCompile());
  const r = await prefault(["run", join(SCENARIOS, "01-first-fault.json"), "--datastore", p, "--compile-deadline", "1500"], tmp);
  assert.equal(r.code, 2, r.stderr + r.stdout);
  assert.match(r.stderr, /^prefault run: compiling slow\.ts took longer than 1500 ms and was stopped/);
});

test("a task killed by SIGBUS: its step says so, its later steps are 'not run' with the reason (not -ESRCH, not ok), in text and --json", async () => {
  const s = file("killed.json", JSON.stringify({ name: "killed", steps: [
    { op: "spawn", task: "app" },
    { op: "clock_gettime", task: "app", clock: "CLOCK_MONOTONIC", expect: { faults: 1 } },
    { op: "smaps", task: "app" },
    { op: "clock_gettime", task: "app", clock: "CLOCK_MONOTONIC", expect: { faults: 0, correct: true } },
    { op: "spawn", task: "other" },
    { op: "remote_read", task: "other", target: "app", pgoff: 0, via: "proc_mem" }] }));
  // the lesson 1 starter answers VM_FAULT_SIGBUS for pgoff 0
  const starter = join(ROOT, "lessons", "01-first-fault", "starter", "datastore.ts");
  const r = await prefault(["run", s, "--datastore", starter]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^1 ok +clock_gettime app CLOCK_MONOTONIC: .*SIGBUS.*; app killed by SIGBUS$/m);
  assert.match(r.stdout, /^2 - +smaps app: not run: app was killed by SIGBUS at step 1$/m);
  assert.match(r.stdout, /^3 - +clock_gettime app CLOCK_MONOTONIC: not run: app was killed by SIGBUS at step 1$/m);
  assert.doesNotMatch(r.stdout, /smaps app: -ESRCH/);
  assert.doesNotMatch(r.stdout, /unmet: not run/, "the reason is said once");
  // another task's remote access to the dead one runs, and the kernel answers ESRCH as Linux does
  assert.match(r.stdout, /^5 ok +remote_read other app pgoff 0 via proc_mem: -ESRCH$/m);
  assert.match(r.stdout, /killed: 2 steps not run \(a killed task\)$/m);
  const j = JSON.parse((await prefault(["run", s, "--datastore", starter, "--json"])).stdout);
  assert.deepEqual(j.tasks.app.killed, { signal: "SIGBUS", step: 1 });
  assert.deepEqual([j.steps[2].ran, j.steps[2].ok, j.steps[2].not_run], [false, false, "app was killed by SIGBUS at step 1"]);
  assert.equal(j.ok, false);
});
