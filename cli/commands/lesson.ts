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

import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { checkLesson } from "../../engine/lesson-check.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, loadLessonDir, nodeGradeDeps } from "../grade-submission.js";
import { closeSharedRunner } from "../node-runner.js";
import type { GradeDeps } from "../../engine/grade-submission.js";

export const command = {
  name: "lesson",
  summary: "check lesson folders: schema, starter fails, solution passes, mutants caught",
  usage: "prefault lesson check [DIR...] [--schema-only] [--json]",
  async run(argv: string[]): Promise<number> {
    if (argv[0] !== "check") {
      process.stderr.write(`lesson: unknown subcommand ${argv[0] ?? "(none)"}\nusage: ${command.usage}\n`);
      return 2;
    }
    let schemaOnly = false, json = false;
    const dirs: string[] = [];
    for (const k of argv.slice(1)) {
      if (k === "--schema-only") schemaOnly = true;
      else if (k === "--json") json = true;
      else if (k.startsWith("-")) { process.stderr.write(`lesson: unknown option ${k}\nusage: ${command.usage}\n`); return 2; }
      else dirs.push(k);
    }
    if (dirs.length === 0) dirs.push(...listLessonIds().map(id => join(DEFAULT_LESSONS_DIR, id)));
    for (const d of dirs) {
      if (!existsSync(join(d, "lesson.json"))) { process.stderr.write(`lesson: ${d} holds no lesson.json\n`); return 2; }
    }
    let deps: GradeDeps | undefined;
    if (!schemaOnly) {
      try { deps = await nodeGradeDeps(); }
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
          if (deps) {
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
      await closeSharedRunner();
    }
    if (json) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
    else process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};
