// cli/commands/grade-submission.ts: not a command. Re-exports the grading pipeline that
// grade-all.ts imports from here; the code lives in cli/grade-submission.ts.
export { gradeFolder, loadGrader } from "../grade-submission.js";
export type { Grader, GraderOptions } from "../grade-submission.js";
