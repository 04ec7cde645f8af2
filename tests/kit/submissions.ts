// tests/kit/submissions.ts: the submissions every kit is run on, from a lesson folder of the
// installed package: its solution, its starter, an endless loop, a file that does not compile.

import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Submissions { solution: string; starter: string; endless: string; broken: string }

/** The four datastore.ts texts of lesson folder `dir`. The endless loop is the solution with
 *  a loop that never ends at the top of vvar_fault(). */
export function submissions(dir: string): Submissions {
  const solution = readFileSync(join(dir, "solution", "datastore.ts"), "utf8");
  const head = /export function vvar_fault\([^)]*\)\s*:\s*vm_fault_t\s*\{/.exec(solution);
  if (!head) throw new Error("the solution has no vvar_fault()");
  const at = head.index + head[0].length;
  return {
    solution,
    starter: readFileSync(join(dir, "starter", "datastore.ts"), "utf8"),
    endless: `${solution.slice(0, at)}\n  let spin: u64 = 0;\n  while (true) { spin++; }\n${solution.slice(at)}`,
    broken: solution.replace(/export function vvar_fault\(/, "export function vvar_fault(((("),
  };
}

/** The lesson's checks by visibility, and their points, from its lesson.json. */
export function lessonChecks(dir: string): { visible: { id: string; name: string; points: number }[]; hidden: { id: string; name: string; points: number; explain: string; scenario: string }[] } {
  const j = JSON.parse(readFileSync(join(dir, "lesson.json"), "utf8")) as { checks: { id: string; name: string; points: number; visibility: string; explain: string; scenario: string }[] };
  return { visible: j.checks.filter(c => c.visibility !== "hidden"), hidden: j.checks.filter(c => c.visibility === "hidden") };
}
