// cli/commands/lessons.ts: `prefault lessons`, the course in order.
//
//   $ prefault lessons
//   01-first-fault       The first fault
//   02-time-namespaces   Time namespaces
//   ...

import { join } from "node:path";
import { DEFAULT_LESSONS_DIR, listLessonIds, loadLessonDir } from "../grade-submission.js";
import { parseCommandArgs } from "../args.js";

export const command = {
  name: "lessons",
  summary: "list the lessons (id, title) in course order",
  usage: "prefault lessons [--json] [--lessons-dir DIR]",
  /** Prints one line per lesson, or a JSON array of {id, title, summary, points}. Exit 0; 1 when
   *  a lesson folder is invalid (listed with its problem); 2 for bad usage. */
  async run(argv: string[]): Promise<number> {
    const p = parseCommandArgs(argv, { json: { type: "boolean" }, "lessons-dir": { type: "string" } });
    if (!p.ok) { process.stderr.write(`lessons: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const json = p.values.json === true, dir = p.values["lessons-dir"] ?? DEFAULT_LESSONS_DIR;
    const rows: { id: string; title: string; summary: string; points: number }[] = [];
    let bad = 0;
    for (const id of listLessonIds(dir)) {
      const l = loadLessonDir(join(dir, id));
      if (!l.ok) { bad++; process.stderr.write(`lessons: ${id}: ${l.error.message}\n`); continue; }
      rows.push({ id, title: l.lesson.title, summary: l.lesson.summary,
        points: l.lesson.checks.reduce((s, c) => s + c.points, 0) });
    }
    if (json) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    else {
      const w = Math.max(0, ...rows.map(r => r.id.length));
      for (const r of rows) process.stdout.write(`${r.id.padEnd(w)}   ${r.title}\n`);
    }
    return bad > 0 ? 1 : 0;
  },
};
