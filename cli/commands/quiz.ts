// cli/commands/quiz.ts: `prefault quiz`, a practice problem of a lesson from a seed ("predict,
// then run"), with its answers on request, as OSTEP's simulators print theirs with -c.
//
//   prefault quiz --lesson 01-first-fault --seed 7              the problem
//   prefault quiz --lesson 01-first-fault --seed 7 --answer     and the answers, with why
//   prefault quiz --lesson 06-mlockall --seed 7 --answer --datastore my/datastore.ts
//   prefault quiz --lesson 01-first-fault --seed 7 --predictions mine.json   each prediction marked
//   prefault quiz ... --json                                    the problem (and answers) as JSON
//
// The problem comes from engine/scenario-gen.ts (the same seed, the same bytes everywhere); the
// answers from running the lesson's reference solution on the kernel model. Exit 0 (with
// --predictions: every prediction right); 1 when a prediction is wrong; 2 for bad usage, an
// unknown lesson, a bad seed, a copy of the lesson without its solution (--answer,
// --predictions), a --datastore that does not compile or a predictions file that cannot be read
// or is not predictions of this problem; 3 when the reference run itself fails.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { escapeControls } from "../../engine/report/escape.js";
import { formatDiagnostic } from "../../engine/compile.js";
import { generateQuiz, parseSeed, QUIZ_SEED_MAX, type QuizProblem } from "../../engine/scenario-gen.js";
import { markQuiz, parsePredictions, quizAnswer, type Prediction, type QuizAnswer } from "../../engine/scenario-gen-answer.js";
import { answerText, marksText, problemText } from "../../engine/scenario-gen-text.js";
import { VARIANT_LEARNER_FILE, variantFiles } from "../../engine/grade-submission.js";
import type { Lesson } from "../../engine/lesson.js";
import { DEFAULT_LESSONS_DIR, listLessonIds, loadLessonDir } from "../grade-submission.js";
import { parseCommandArgs, type OptionsSpec } from "../args.js";
import { NodeCompiler } from "../node-compiler.js";
import { loadKernelAsync } from "../node-paths.js";
import { runScenarios, warmSharedRunner } from "../node-runner.js";
import { readDatastoreFiles } from "./run.js";
import { SCENARIO_DEADLINE_MS } from "../../engine/limits.js";
import { validateScenario } from "../../engine/validate.js";

const USAGE = "prefault quiz --lesson <id> [--seed <n>] [--answer] [--predictions <file.json>] [--datastore <file.ts>] [--json] [--lessons-dir <dir>]\n\n" +
  "  --lesson <id>        the lesson the problem practises (prefault lessons lists them)\n" +
  `  --seed <n>           which problem: an integer 0 .. ${QUIZ_SEED_MAX} (default 0); the same seed is the same problem everywhere\n` +
  "  --answer             also print the answers: each step's faults, minflt and signal, and why, from the reference handler's run\n" +
  "  --predictions <file> mark your predictions (JSON keyed by step: {\"1\": {\"faults\": 1, \"minflt\": 1, \"signal\": \"none\"}}),\n" +
  "                       then the answers; exit 1 when one is wrong\n" +
  "  --datastore <file>   with --answer: also run your datastore.ts and show where it differs from the reference\n" +
  "  --json               print the problem (and the answers) as JSON\n" +
  "  --lessons-dir <dir>  where the lessons are (default: the package's lessons/)";

const OPTIONS = {
  lesson: { type: "string" }, seed: { type: "string", short: "s" }, answer: { type: "boolean", short: "c" },
  datastore: { type: "string" }, json: { type: "boolean" }, "lessons-dir": { type: "string" }, predictions: { type: "string" },
} as const satisfies OptionsSpec;

type Ran = { ok: true; answer: QuizAnswer } | { ok: false; message: string; code: number };

/** Compiles `files` (with the problem's variant, if any), runs the problem's scenario, answers it. */
async function answerWith(compiler: NodeCompiler, lesson: Lesson, problem: QuizProblem, files: Record<string, string>,
                          label: string): Promise<Ran> {
  const input = problem.variant !== undefined ? variantFiles(files, lesson.variants[problem.variant]) : files;
  const compiled = await compiler.compile(input, { cache: true, file: label });
  if (!compiled.ok) {
    // the learner's file under the name it was given (a variant compiles it as learner_datastore.ts)
    const shown = (f: string) => (f === "datastore.ts" || f === VARIANT_LEARNER_FILE ? label : f);
    const lines = compiled.error.kind === "compile"
      ? compiled.error.diagnostics.filter(d => d.severity === "error").map(d => formatDiagnostic({ ...d, file: shown(d.file) })) : [];
    return { ok: false, code: 2, message: `${label} did not compile:\n${lines.length ? lines.join("\n") : compiled.error.message}` };
  }
  const kernel = await loadKernelAsync();
  if (!kernel.ok) return { ok: false, code: 2, message: kernel.message };
  const out = await runScenarios(kernel.module, compiled.wasm, [problem.scenario], { deadlineMs: SCENARIO_DEADLINE_MS, sourceMap: compiled.sourceMap });
  if (!Array.isArray(out)) return { ok: false, code: 3, message: `${label}: ${out.kind} error: ${out.message}` };
  return { ok: true, answer: quizAnswer(problem, out[0]) };
}

export const command = {
  name: "quiz",
  summary: "a practice problem of a lesson from a seed: predict each step's faults, minflt and signal (--answer: the solution)",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const err = (msg: string, code: number) => { process.stderr.write(`prefault quiz: ${escapeControls(msg)}\n`); return code; };
    // "--seed -1" would read as a missing value followed by an unknown option
    const neg = argv.findIndex((a, i) => (a === "--seed" || a === "-s") && /^-\d/.test(argv[i + 1] ?? ""));
    if (neg >= 0) return err(`--seed must be an integer from 0 to ${QUIZ_SEED_MAX} (got ${JSON.stringify(argv[neg + 1])})`, 2);
    const p = parseCommandArgs(argv, OPTIONS);
    if (!p.ok) return err(`${p.message}\n\nusage: ${USAGE}`, 2);
    const v = p.values;
    if (v.lesson === undefined) return err(`give the lesson: --lesson <id>\n\nusage: ${USAGE}`, 2);
    if (v.datastore !== undefined && v.answer !== true && v.predictions === undefined)
      return err("--datastore goes with --answer (it compares your handler's answers with the reference's)", 2);
    const seed = v.seed === undefined ? 0 : parseSeed(v.seed.trim());
    if (seed === null) return err(`--seed must be an integer from 0 to ${QUIZ_SEED_MAX} (got ${JSON.stringify(v.seed)})`, 2);
    const dir = v["lessons-dir"] ?? DEFAULT_LESSONS_DIR;
    if (!/^[A-Za-z0-9._-]+$/.test(v.lesson) || !existsSync(join(dir, v.lesson, "lesson.json"))) {
      return err(`unknown lesson "${v.lesson}" (lessons: ${listLessonIds(dir).join(", ") || "none"})`, 2);
    }
    const loaded = loadLessonDir(join(dir, v.lesson));
    if (!loaded.ok) return err(`lesson ${v.lesson}: ${loaded.error.message}`, 2);
    const lesson = loaded.lesson;
    const q = generateQuiz(lesson, seed);
    if (!q.ok) return err(q.message, 2);
    const problem = q.problem;
    const valid = validateScenario(JSON.parse(JSON.stringify(problem.scenario)));
    if (!valid.ok) return err(`internal error: the generator made an invalid scenario (${valid.error.message})`, 3);

    let predictions: Record<number, Prediction> | undefined;
    if (v.predictions !== undefined) {
      let json: unknown;
      try { json = JSON.parse(readFileSync(resolve(v.predictions), "utf8")); }
      catch (e) { return err(`${v.predictions}: ${e instanceof SyntaxError ? `not JSON (${e.message})` : `cannot be read (${(e as Error).message})`}`, 2); }
      const parsed = parsePredictions(json, problem);
      if (!parsed.ok) return err(`${v.predictions}: ${parsed.message}`, 2);
      predictions = parsed.predictions;
    }

    let ref: QuizAnswer | undefined, yours: QuizAnswer | undefined;
    if (v.answer || predictions) {
      if (Object.keys(lesson.solution).length === 0) {
        return err(`this copy of lesson ${lesson.id} has no reference solution (a student copy), so it cannot give the answers`, 2);
      }
      let mine: Record<string, string> | undefined;
      if (v.datastore !== undefined) {
        const f = readDatastoreFiles(resolve(v.datastore));
        if (!f.ok) return err(f.message, 2);
        mine = f.files;
      }
      warmSharedRunner();
      const compiler = new NodeCompiler();
      try {
        const r = await answerWith(compiler, lesson, problem, lesson.solution, `the reference solution of ${lesson.id}`);
        if (!r.ok) return err(r.message, r.code === 2 ? 3 : r.code);       // the lesson's own solution must build
        ref = r.answer;
        if (mine) {
          const y = await answerWith(compiler, lesson, problem, mine, v.datastore!);
          if (!y.ok) return err(y.message, y.code);
          yours = y.answer;
        }
      } finally { await compiler.close(); }
    }

    const marks = ref && predictions ? markQuiz(ref, predictions) : undefined;
    const code = marks && marks.right < marks.total ? 1 : 0;
    if (v.json) {
      const out = { ...problem, ...(ref ? { answer: ref } : {}), ...(yours ? { your_answer: yours } : {}), ...(marks ? { marks } : {}) };
      process.stdout.write(JSON.stringify(out, null, 2) + "\n");
      return code;
    }
    const lines = problemText(problem, lesson.title);
    lines.push("");
    if (marks) lines.push(...marksText(marks), "");
    if (ref) lines.push(...answerText(problem, ref, yours));
    else lines.push(`The answers: prefault quiz --lesson ${lesson.id} --seed ${seed} --answer`,
                    `Your predictions marked: prefault quiz --lesson ${lesson.id} --seed ${seed} --predictions <file.json>`);
    process.stdout.write(lines.map(l => escapeControls(l)).join("\n") + "\n");
    return code;
  },
};
