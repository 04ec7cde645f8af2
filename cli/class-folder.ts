// cli/class-folder.ts: a class folder's entries, one submission each, for `prefault grade-all`.
//
//   SUBMISSIONS_DIR/
//     alice/            a folder: graded (its editable files, or its one .zip)
//     bob.zip           a zip archive: graded as bob.zip's submission
//     carol -> /x       a symbolic link: a row in error, "is a symbolic link; ..."
//     notes.txt         any other entry: a row in error saying what it is
//     .git/             hidden entries (a leading dot) are not students and get no row
//
// Every entry but the hidden ones gets exactly one row. Entries are read by their bytes and
// named by engine/student-name.ts (reversible escapes), so names that are not UTF-8 are found,
// kept apart and never merged.

import { lstatSync, readdirSync } from "node:fs";
import type { EngineError } from "../engine/types.js";
import { refuseKind, refuseUnreadable } from "../engine/submission.js";
import { studentName } from "../engine/student-name.js";
import { fileKind, fsPath, joinPath } from "./submission-reader.js";
import type { Submission } from "./commands/grade-all.js";

export interface ClassEntry { student: string; sub: Submission }

/** The entries of class folder `root`, sorted by student name (code-unit order), or why the
 *  folder itself cannot be listed. */
export function listClassFolder(root: string): { ok: true; entries: ClassEntry[] } | { ok: false; message: string } {
  let names: Buffer[];
  try { names = readdirSync(root, { encoding: "buffer" }); }
  catch (e) { return { ok: false, message: `cannot read ${root}: ${(e as Error).message}` }; }
  const entries: ClassEntry[] = [];
  for (const n of names) {
    if (n[0] === 0x2e) continue;
    const student = studentName(n);
    const path = joinPath(root, n);
    let refused: EngineError | undefined;
    let sub: Submission | undefined;
    try {
      const st = lstatSync(fsPath(path));
      if (st.isDirectory()) sub = { dir: path, shown: student };
      else if (st.isFile() && /\.zip$/i.test(student)) sub = { paths: [path], shown: [student] };
      else if (st.isFile()) refused = { kind: "invalid", path: student, message: `${student} is a file, not a student folder (a folder, or a .zip archive, per student)` };
      else refused = refuseKind(student, fileKind(st));
    } catch (e) {
      refused = refuseUnreadable(student, (e as NodeJS.ErrnoException).code ?? String(e));
    }
    entries.push({ student, sub: sub ?? { refused: refused! } });
  }
  entries.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  return { ok: true, entries };
}
