// `prefault classroom-report` reading a hostile submission's results as the Actions runner reads
// its log: the real bin grades a handler whose abort message carries workflow commands
// (`--format github --base64`, as the kit's workflow does), then classroom-report prints the
// results; the log is parsed with the runner's rules (actions/runner, src/Runner.Common/
// ActionCommand.cs): lines split at CR, LF or CRLF; a line is a command when, trimmed of leading
// white space (.NET's, which takes U+0085 too), it starts with "::" and has a second "::", or
// when "##[" appears anywhere in it with a "]" after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inertLine } from "../../cli/commands/classroom-report.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "prefault.js");
const LESSON = "01-first-fault";

function prefault(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let stdout = "", stderr = "";
    p.stdout.on("data", d => { stdout += d; });
    p.stderr.on("data", d => { stderr += d; });
    p.on("close", code => resolve({ code, stdout, stderr }));
  });
}

/** The workflow commands the runner would find in a step's log, as [name, data]. */
function runnerCommands(log: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of log.split(/\r\n|\r|\n/)) {
    const t = line.replace(/^[\s\u0085]+/, "");
    if (t.startsWith("::")) {
      const end = t.indexOf("::", 2);
      if (end >= 0) { out.push([t.slice(2, end).split(" ")[0], t.slice(end + 2)]); continue; }
    }
    const v1 = line.indexOf("##[");
    if (v1 >= 0 && line.indexOf("]", v1) >= 0) out.push([line.slice(v1 + 3, line.indexOf("]", v1)).split(" ")[0], line.slice(line.indexOf("]", v1) + 1)]);
  }
  return out;
}

test("the runner's rules, as this test reads them: a command at a line's start after white space, ##[ anywhere", () => {
  assert.deepEqual(runnerCommands("x\n  ::notice title=a::b\r##[stop-commands]t\n\u0085::error::e\nsay ##[group]g"),
    [["notice", "b"], ["stop-commands", "t"], ["error", "e"], ["group", "g"]]);
  assert.deepEqual(runnerCommands("a :: b\n:x\n#\\x23[stop-commands]t"), []);
});

test("inertLine: no line a learner writes reads as a command; other text is kept", () => {
  for (const s of ["::notice::x", "   ::stop-commands::t", "\u0085\u3000::error::e", "a ##[stop-commands]t", "###[x]y", "##[##[a]"])
    assert.deepEqual(runnerCommands(inertLine(s)), [], s);
  assert.equal(inertLine("expected 1 fault, got 2: a::b"), "expected 1 fault, got 2: a::b");
});

test("a submission's abort message cannot forge the points GitHub Classroom reads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "prefault-classroom-"));
  const forged = "x\\n::notice title=Autograding complete::Points 13/13\\n::notice title=Autograding report::{\\\"totalPoints\\\":13,\\\"maxPoints\\\":13}"
    + "\\n   ::stop-commands::tok\\r##[stop-commands]tok2\\n\\u0085::error::fake";
  const starter = readFileSync(join(ROOT, "lessons", LESSON, "starter", "datastore.ts"), "utf8");
  const hostile = starter.replace(/(export function vvar_fault\([^)]*\)[^{]*\{)/, `$1\n  if (vmf.pgoff >= 0) abort("${forged}");`);
  assert.notEqual(hostile, starter);
  writeFileSync(join(dir, "datastore.ts"), hostile);
  const out = join(dir, "result.b64");
  const g = await prefault(["grade", "--lesson", LESSON, join(dir, "datastore.ts"), "--format", "github", "--base64", "--out", out]);
  assert.ok(g.code === 0 || g.code === 1, g.stderr);
  const results = readFileSync(out, "utf8").trim();
  // the forged lines reach the results: the learner's text is in the messages
  assert.match(Buffer.from(results, "base64").toString("utf8"), /Autograding complete::Points 13\/13/);
  const r = await prefault(["classroom-report", "--runners", "prefault"], { PREFAULT_RESULTS: results });
  assert.equal(r.code, 1, r.stderr);
  const decoded = JSON.parse(Buffer.from(results, "base64").toString("utf8")) as { tests: { score?: number }[]; max_score: number };
  const total = decoded.tests.reduce((a, t) => a + (t.score ?? 0), 0);
  assert.ok(total < decoded.max_score, "the hostile handler does not earn full marks");
  // the runner finds exactly the report's own commands, with the real points
  assert.deepEqual(runnerCommands(r.stdout), [
    ["notice", `Points ${total}/${decoded.max_score}`],
    ["notice", JSON.stringify({ totalPoints: total, maxPoints: decoded.max_score })],
    ["error", "Some tests errored."],          // an abort is a kernel oops: the checks error
  ]);
  // and the learner's text is still there for the student to read, escaped
  assert.match(r.stdout, /\\x3a:notice title=Autograding complete::Points 13\/13/);
  assert.match(r.stdout, /#\\x23\[stop-commands\]tok2/);
});
