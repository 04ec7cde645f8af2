// tests/cli/pipe.test.ts: a reader that closes the pipe early (`prefault lesson show ID | head -3`)
// does not crash the command with an unhandled EPIPE: the output is dropped, the command runs to
// its end and its exit code stands.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");

// runs the CLI with a stdout pipe whose read end is closed before the command writes a byte
function closedReader(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    p.stdout.destroy();
    let stderr = "";
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stderr }));
  });
}

for (const [args, code] of [
  [["lesson", "show", "01-first-fault"], 0],
  [["lessons"], 0],
  [["--help"], 0],
  [["run", "scenarios/01-first-fault.json", "--stage", "pre"], 0],
  [["run", "scenarios/01-first-fault.json", "--datastore", "lessons/01-first-fault/starter/datastore.ts"], 1],
  [["grade", "lessons/01-first-fault/starter/datastore.ts", "--lesson", "01-first-fault"], 1],
  [["quiz", "--lesson", "01-first-fault", "--seed", "7", "--answer"], 0],
] as [string[], number][]) {
  test(`prefault ${args.join(" ")} into a closed pipe: no EPIPE crash, exit ${code}`, async () => {
    const r = await closedReader(args);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled 'error'/);
    assert.equal(r.stderr, "");
    assert.equal(r.code, code);
  });
}
