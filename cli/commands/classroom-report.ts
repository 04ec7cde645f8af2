// cli/commands/classroom-report.ts: `prefault classroom-report`, the last step of the GitHub
// Classroom workflow. It does what classroom-resources/autograding-grading-reporter@v1 does
// (src/main.js, console-results.js, notify-classroom.js), on the node24 runtime the workflow's
// other actions use (the reporter declares node20):
//
//   for each runner id R of --runners (comma or space separated; default "prefault"):
//     results = JSON.parse(base64-decode(env[R.toUpperCase() + "_RESULTS"]))
//     print each test (✅ / ❌ / Error:), its message, the runner's points
//   totalPoints = sum of tests[].score, maxPoints = sum of max_score (runners with a max_score)
//   ::notice title=Autograding complete::Points <totalPoints>/<maxPoints>
//   ::notice title=Autograding report::{"totalPoints":..,"maxPoints":..}
//   exit 1 when a runner's status is "fail" or "error" (the job fails, as with the reporter)
//
// GitHub Classroom reads the two annotations of the run-autograding-tests job for the grade.
// Exit 2 when a runner's results are missing or not base64 JSON.

import { parseArgs } from "node:util";

interface RunnerTest { name: string; status: string; score?: number; message?: string; test_code?: string; line_no?: number }
interface RunnerResult { status: string; max_score?: number; tests: RunnerTest[] }

/** A workflow-command message escaped as @actions/core escapes it (%, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A line of text from the results (test names, and messages that carry learner text: abort and
 *  compiler messages) made inert for the Actions runner, which takes a log line for a workflow
 *  command when, trimmed of leading white space, it starts with "::" (ActionCommand.TryParseV2),
 *  or when "##[" appears anywhere in it (the older form, ActionCommand.TryParse): a submission
 *  could otherwise print "::stop-commands::T" and its own "Autograding complete" notices, and the
 *  real ones after it would never be read. Both are written as visible escapes (`\x3a`, `\x23`),
 *  the text report's style (engine/report/escape.ts). The runner splits lines at CR and LF alike. */
export function inertLine(line: string): string {
  return line.replace(/##\[/g, "#\\x23[").replace(/^([\s\u0085]*):/, "$1\\x3a");
}
/** Text of the results as log lines, each inert (see inertLine), indented by `indent`. */
function inertLines(text: string, indent = ""): string[] {
  return text.split(/\r\n|\r|\n/).map(x => indent + inertLine(x));
}

/** The runner results in env, decoded as the reporter decodes them, or a message. */
export function readRunners(ids: string[], env: Record<string, string | undefined>): { ok: true; runners: { runner: string; results: RunnerResult }[] } | { ok: false; message: string } {
  const runners: { runner: string; results: RunnerResult }[] = [];
  for (const runner of ids) {
    const key = `${runner.trim().toUpperCase()}_RESULTS`;
    const encoded = env[key];
    if (encoded === undefined || encoded.trim() === "") return { ok: false, message: `${key} is not set: the grading step left no result` };
    try {
      const results = JSON.parse(Buffer.from(encoded, "base64").toString("utf-8")) as RunnerResult;
      if (!results || !Array.isArray(results.tests)) return { ok: false, message: `${key} holds no tests` };
      runners.push({ runner, results });
    } catch (e) { return { ok: false, message: `${key} is not base64 JSON: ${(e as Error).message}` }; }
  }
  return { ok: true, runners };
}

/** The reporter's totals (notify-classroom.js): points summed over tests, max over runners. */
export function totals(runners: { results: RunnerResult }[]): { totalPoints: number; maxPoints: number } {
  return runners.reduce((acc, { results }) => {
    if (!results.max_score) return acc;
    acc.maxPoints += results.max_score;
    results.tests.forEach(({ score }) => { acc.totalPoints += score ?? 0; });
    return acc;
  }, { totalPoints: 0, maxPoints: 0 });
}

export const command = {
  name: "classroom-report",
  summary: "report runner results to GitHub Classroom (the workflow's last step)",
  usage: "prefault classroom-report [--runners ID[,ID...]]   (reads env <ID>_RESULTS, base64 runner JSON)",
  async run(argv: string[]): Promise<number> {
    let v;
    try {
      v = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { runners: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
    } catch (e) { process.stderr.write(`classroom-report: ${(e as Error).message}\nusage: ${command.usage}\n`); return 2; }
    if (v.help) { process.stdout.write(`usage: ${command.usage}\n`); return 0; }
    const ids = (v.runners ?? "prefault").split(/[\s,]/).filter(Boolean);
    const r = readRunners(ids, process.env);
    if (!r.ok) { process.stdout.write(`::error::${escapeData(r.message)}\n`); process.stderr.write(`classroom-report: ${r.message}\n`); return 2; }
    const out: string[] = [];
    for (const { runner, results } of r.runners) {
      out.push(`Processing: ${inertLine(runner)}`);
      for (const t of results.tests) {
        const name = inertLines(String(t.name)).join(" ");
        if (t.status === "pass") out.push(`✅ ${name}`);
        else if (t.status === "error") out.push(...inertLines(`Error: ${name}: ${t.message || `Failed to run test '${name}'`}`));
        else out.push(`❌ ${name}`, ...(t.message ? inertLines(t.message, "   ") : []));
      }
      const score = results.tests.reduce((a, t) => a + (t.score ?? 0), 0);
      if (results.max_score) out.push(`Total points for ${runner}: ${score.toFixed(2)}/${results.max_score}`, "");
    }
    const { totalPoints, maxPoints } = totals(r.runners);
    if (maxPoints) {
      out.push(`::notice title=Autograding complete::${escapeData(`Points ${totalPoints}/${maxPoints}`)}`);
      out.push(`::notice title=Autograding report::${escapeData(JSON.stringify({ totalPoints, maxPoints }))}`);
    }
    process.stdout.write(out.join("\n") + "\n");
    if (r.runners.some(x => x.results.status === "fail")) { process.stdout.write("::error::Some tests failed.\n"); return 1; }
    if (r.runners.some(x => x.results.status === "error")) { process.stdout.write("::error::Some tests errored.\n"); return 1; }
    return 0;
  },
};
