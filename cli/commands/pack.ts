// cli/commands/pack.ts: `prefault pack`, a grader tarball for a class.
//
//   prefault pack --student --lesson 06-mlockall --out kit/    student grader: what students may hold
//   prefault pack --student --lesson 06-mlockall --bundle      ... with its dependencies inside
//   prefault pack --lesson 06-mlockall                         teacher grader: the lesson as it is
//
// A student grader has no reference solution, no mutant and no hidden check; its hidden checks
// are written next to it as a --checks folder (OUT/hidden-checks/<lesson>/) for the platforms
// that keep them from students. Exit 0 written, 2 bad usage or an unknown lesson, 3 npm failed.

import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import { packGrader } from "../pack.js";
import { writeChecksFolder } from "../kit-files.js";

export const command = {
  name: "pack",
  summary: "build a grader tarball (--student: no solution, no mutant, no hidden check)",
  usage: "prefault pack [--student] [--lesson ID]... [--bundle] [--out DIR] [--lessons-dir DIR]",
  async run(argv: string[]): Promise<number> {
    let v;
    try {
      v = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
        student: { type: "boolean" }, bundle: { type: "boolean" }, lesson: { type: "string", multiple: true },
        out: { type: "string", short: "o" }, "lessons-dir": { type: "string" }, help: { type: "boolean", short: "h" },
      } }).values;
    } catch (e) { process.stderr.write(`pack: ${(e as Error).message}\nusage: ${command.usage}\n`); return 2; }
    if (v.help) { process.stdout.write(`usage: ${command.usage}\n`); return 0; }
    const out = v.out ?? ".";
    const r = packGrader({ student: v.student === true, bundle: v.bundle === true, lessons: v.lesson, outDir: out, lessonsDir: v["lessons-dir"] });
    if (!r.ok) { process.stderr.write(`pack: ${r.message}\n`); return r.message.startsWith("npm pack") ? 3 : 2; }
    process.stdout.write(`wrote ${relative(process.cwd(), r.file) || r.file}\n`);
    for (const [id, folder] of Object.entries(r.hidden)) {
      if (folder.json.checks.length === 0) continue;
      const dir = join(out, "hidden-checks", id);
      writeChecksFolder(dir, folder);
      process.stdout.write(`wrote ${relative(process.cwd(), dir) || dir}/ (${folder.json.checks.length} hidden check(s): grade with --checks, keep from students)\n`);
    }
    return 0;
  },
};
