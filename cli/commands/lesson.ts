// cli/commands/lesson.ts: `prefault lesson check`, proof that lessons teach what they claim.
//
//   $ prefault lesson check                    every lesson
//   $ prefault lesson check lessons/04-no-holes
//   04-no-holes
//     ok lesson.json and 6 scenarios are valid
//     ok starter fails 2 check(s): populate-complete, root-pgoff1-zero
//     ok solution passes all 7 checks (11/11)
//     ok 3 mutant(s) (at least 3)
//     ok mutants/zero-page.ts fails no-zero-page, populate-complete
//   ...
//   6 passed, 0 failed
//
// --schema-only validates lesson.json and the scenarios without compiling anything.
// Exit 0 when every lesson passed, 1 when one did not, 2 for bad usage or a broken install.
//
// For learners in a terminal:
//   prefault lesson start ID [DIR]    copy the starter into DIR (default ./ID), print the task
//   prefault lesson show ID           the README and the checks (hidden ones by name only)
//   prefault lesson hint ID [1|2|3]   one level of hints.md (default 1)

import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { checkLesson } from "../../engine/lesson-check.js";
import { parseHints } from "../../engine/hints.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, loadLessonDir, nodeGradeDeps } from "../grade-submission.js";
import { closeSharedRunner } from "../node-runner.js";
import { NodeCompiler } from "../node-compiler.js";
import type { GradeDeps } from "../../engine/grade-submission.js";
import { parseCommandArgs } from "../args.js";

export const command = {
  name: "lesson",
  summary: "check lesson folders: schema, starter fails, solution passes, mutants caught",
  usage: "prefault lesson check [DIR...] [--schema-only] [--json] | start ID [DIR] | show ID | hint ID [1|2|3]",
  async run(argv: string[]): Promise<number> {
    if (argv[0] === "start" || argv[0] === "show" || argv[0] === "hint") return learnerCommand(argv[0], argv.slice(1));
    if (argv[0] !== "check") {
      process.stderr.write(`lesson: unknown subcommand ${argv[0] ?? "(none)"}\nusage: ${command.usage}\n`);
      return 2;
    }
    const p = parseCommandArgs(argv.slice(1), { "schema-only": { type: "boolean" }, json: { type: "boolean" } }, Infinity);
    if (!p.ok) { process.stderr.write(`lesson: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const schemaOnly = p.values["schema-only"] === true, json = p.values.json === true;
    const dirs = [...p.positionals];
    if (dirs.length === 0) dirs.push(...listLessonIds().map(id => join(DEFAULT_LESSONS_DIR, id)));
    for (const d of dirs) {
      if (!existsSync(join(d, "lesson.json"))) { process.stderr.write(`lesson: ${d} holds no lesson.json\n`); return 2; }
    }
    let deps: GradeDeps | undefined;
    // asc runs in a worker (cli/node-compiler.ts): a compiler crash or a compile that never ends
    // fails that lesson's check instead of ending the command
    const compiler = new NodeCompiler();
    if (!schemaOnly) {
      try { deps = await nodeGradeDeps({ compile: files => compiler.compile(files) }); }
      catch (e) { process.stderr.write(`lesson: ${(e as Error).message}\n`); return 2; }
    }
    let passed = 0, failed = 0;
    const results: { lesson: string; ok: boolean; lines: string[] }[] = [];
    try {
      for (const d of dirs) {
        const id = basename(resolve(d));
        const lines: string[] = [];
        let ok = true;
        const l = loadLessonDir(d);
        if (!l.ok) { lines.push(`FAIL ${l.error.message}`); ok = false; }
        else {
          lines.push(`ok lesson.json and ${Object.keys(l.lesson.scenarios).length} scenarios are valid`);
          if (deps && Object.keys(l.lesson.solution).length === 0) {
            lines.push("FAIL no solution/ folder: a student copy of the lesson (prefault pack --student) cannot be proved");
            ok = false;
          } else if (deps) {
            const r = await checkLesson(l.lesson, deps);
            lines.push(...r.lines);
            ok = r.ok;
          }
        }
        if (ok) passed++; else failed++;
        results.push({ lesson: id, ok, lines });
        if (!json) process.stdout.write(`${id}\n${lines.map(x => `  ${x}\n`).join("")}`);
      }
    } finally {
      await Promise.all([closeSharedRunner(), compiler.close()]);
    }
    if (json) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
    else process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};

// `lesson start|show|hint`: what a learner without the web app needs. Exit 0, or 2 for bad usage.
function learnerCommand(sub: "start" | "show" | "hint", argv: string[]): number {
  const fail = (m: string) => { process.stderr.write(`lesson ${sub}: ${m}\nusage: ${command.usage}\n`); return 2; };
  const p = parseCommandArgs(argv, {}, sub === "show" ? 1 : 2);
  if (!p.ok) return fail(p.message);
  const args = p.positionals, id = args[0];
  if (!id) return fail("give a lesson id (prefault lessons lists them)");
  if (!listLessonIds().includes(id)) return fail(`unknown lesson "${id}" (lessons: ${listLessonIds().join(", ")})`);
  const l = loadLessonDir(join(DEFAULT_LESSONS_DIR, id));
  if (!l.ok) return fail(l.error.message);
  const lesson = l.lesson;
  if (sub === "hint") {
    const hints = parseHints(lesson.hints);
    const level = Number(args[1] ?? "1");
    const hint = hints.find(h => h.level === level);
    if (!hint) return fail(hints.length === 0 ? `lesson ${id} has no hints` : `the hint level is 1 to ${hints.length}`);
    process.stdout.write(`${id}, hint level ${level}:\n\n${hint.body}\n`);
    return 0;
  }
  if (sub === "show") {
    process.stdout.write(lesson.readme.trimEnd() + "\n\n## Checks\n\n");
    for (const c of lesson.checks) {
      process.stdout.write(`- ${c.name} (${c.points} point${c.points === 1 ? "" : "s"}${c.visibility === "hidden" ? ", hidden" : ""})\n`);
    }
    return 0;
  }
  const dest = resolve(args[1] ?? id);
  mkdirSync(dest, { recursive: true });
  for (const f of lesson.files.editable) {
    const to = join(dest, f);
    if (existsSync(to)) return fail(`${to} exists; not overwriting your work`);
    copyFileSync(join(DEFAULT_LESSONS_DIR, id, "starter", f), to);
  }
  process.stdout.write(`${lesson.title}: the starter is in ${dest}/\n\n${lesson.summary}\n\n` +
    `Read the lesson:  prefault lesson show ${id}\n` +
    `Check your work:  prefault grade --lesson ${id} ${dest}\n` +
    `Stuck?            prefault lesson hint ${id} 1\n`);
  return 0;
}
