// tests/cli/args.test.ts: one argument parser for every command (cli/args.ts over node:util
// parseArgs): --flag=value, aliases for the old spellings, a missing value is an error, and every
// command exits 2 on bad usage.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { intOption, parseCommandArgs, type OptionsSpec } from "../../cli/args.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const SPEC = {
  lesson: { type: "string" }, out: { type: "string", short: "o" }, json: { type: "boolean" },
  "deadline-ms": { type: "string", aliases: ["deadline"] }, file: { type: "string", multiple: true },
} as const satisfies OptionsSpec;

test("--flag value, --flag=value, -o value and aliases all give the option its value", () => {
  const r = parseCommandArgs(["--lesson", "01-x", "--out=a.json", "--deadline", "300", "--json", "sub/"], SPEC, 1);
  assert.ok(r.ok);
  assert.deepEqual(r.values, { lesson: "01-x", out: "a.json", "deadline-ms": "300", json: true });
  assert.deepEqual(r.positionals, ["sub/"]);
  const s = parseCommandArgs(["-o", "b.csv", "--deadline-ms=400"], SPEC);
  assert.ok(s.ok);
  assert.deepEqual(s.values, { out: "b.csv", "deadline-ms": "400" });
  const m = parseCommandArgs(["--file", "a", "--file=b"], SPEC);
  assert.ok(m.ok);
  assert.deepEqual(m.values.file, ["a", "b"]);
  // a value starting with a dash needs the = form, as with node:util
  const neg = parseCommandArgs(["--lesson=-x"], SPEC);
  assert.ok(neg.ok && neg.values.lesson === "-x");
});

test("usage errors: a missing value, an unknown option, a value on a flag, a repeat, a stray argument", () => {
  const cases: [string[], string][] = [
    [["--lesson"], "--lesson needs a value"],
    [["--lesson", "--json"], "--lesson needs a value"],
    [["-o"], "--out needs a value"],
    [["--bogus"], "unknown option --bogus"],
    [["--json=yes"], "--json takes no value"],
    [["--out", "a", "--out", "b"], "--out given more than once"],
    [["--deadline", "1", "--deadline-ms", "2"], "--deadline-ms given more than once"],
    [["extra"], "unexpected argument extra"],
  ];
  for (const [argv, message] of cases) assert.deepEqual(parseCommandArgs(argv, SPEC), { ok: false, message }, argv.join(" "));
});

test("intOption: integers at or above the minimum; anything else names the option", () => {
  assert.deepEqual(intOption("jobs", undefined, 1), { ok: true, value: undefined });
  assert.deepEqual(intOption("jobs", "4", 1), { ok: true, value: 4 });
  for (const bad of ["0", "1.5", "", "4x", "-2"]) {
    const r = intOption("jobs", bad, 1);
    assert.ok(!r.ok && r.message.startsWith("--jobs must be an integer of at least 1"), bad);
  }
});

function cli(...argv: string[]) {
  return spawnSync(process.execPath, ["bin/prefault.js", ...argv], { cwd: root, encoding: "utf8", timeout: 60_000 });
}

test("every command exits 2 for bad usage, naming the problem and its usage", () => {
  const cases: [string[], RegExp][] = [
    [["run", "scenarios/01-first-fault.json", "--bogus"], /unknown option --bogus/],
    [["run", "scenarios/01-first-fault.json", "--deadline"], /--deadline needs a value/],
    [["run", "scenarios/01-first-fault.json", "--deadline-ms=abc"], /--deadline-ms must be an integer of at least 100/],
    [["grade", "--lesson"], /--lesson needs a value/],
    [["grade", "--lesson", "01-first-fault", "--deadline", "5", "x.ts"], /--deadline-ms must be an integer of at least 100/],
    [["grade-all", "--lesson=01-first-fault", "--jobs", "0", "subs/"], /--jobs must be an integer of at least 1/],
    [["grade-all", "--lesson", "01-first-fault", "--compile-deadline"], /--compile-deadline needs a value/],
    [["merge-reports", "--out"], /--out needs a value/],
    [["lessons", "--lessons-dir"], /--lessons-dir needs a value/],
    [["lessons", "extra"], /unexpected argument extra/],
    [["lesson", "check", "--bogus"], /unknown option --bogus/],
    [["lesson", "hint", "01-first-fault", "1", "2"], /unexpected argument 2/],
    [["lesson", "hint", "01-first-fault", "9"], /the hint level is 1 to 3/],
    [["assignment", "--lesson"], /--lesson needs a value/],
    [["serve", "--port", "x"], /--port must be an integer/],
    [["serve", "--bogus"], /unknown option --bogus/],
  ];
  for (const [argv, message] of cases) {
    const r = cli(...argv);
    assert.equal(r.status, 2, `${argv.join(" ")}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, message, argv.join(" "));
    assert.match(r.stderr, /usage/i, argv.join(" "));
  }
});

test("the old and the new spelling of an option both work, in both forms", () => {
  for (const flag of ["--deadline=3000", "--deadline-ms=3000", "--deadline-ms", "--deadline"]) {
    const argv = ["run", "scenarios/01-first-fault.json", "--stage=p6", ...(flag.includes("=") ? [flag] : [flag, "3000"])];
    const r = cli(...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}\n${r.stderr}`);
    assert.match(r.stdout, /every expectation held/);
  }
  const hint = cli("lesson", "hint", "01-first-fault", "2");
  assert.equal(hint.status, 0, hint.stderr);
  assert.match(hint.stdout, /hint level 2:\n\n\S/);
});
