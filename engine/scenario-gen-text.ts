// engine/scenario-gen-text.ts: a practice problem and its answers as terminal text, the way
// `prefault quiz` prints them (cli/commands/quiz.ts). Pure; the same bytes on every machine.

import type { Scenario } from "./types.js";
import type { QuizProblem } from "./scenario-gen.js";
import { answerDiff, type FieldMark, type QuizAnswer, type QuizMarks, type StepAnswer } from "./scenario-gen-answer.js";

/** The scenario as JSON with one step per line (as the lesson files are written); valid JSON
 *  that `prefault run` reads. */
export function scenarioJson(s: Scenario): string {
  const head = Object.entries(s).filter(([k]) => k !== "steps").map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const steps = s.steps.map((st, i) => `    ${JSON.stringify(st)}${i < s.steps.length - 1 ? "," : ""}`);
  return ["{", ...head, '  "steps": [', ...steps, "  ]", "}"].join("\n");
}

/** The problem: the setting, the steps in words (a "?" on each one to predict), the scenario. */
export function problemText(p: QuizProblem, title: string): string[] {
  const w = String(p.steps.length - 1).length;
  return [
    `Practice: lesson ${p.lesson} (${title}), seed ${p.seed}`,
    "",
    ...p.setting,
    "",
    "For each step marked ?, predict: faults (page-fault exceptions on [vvar]), minflt (what",
    "ru_minflt grows by: the exceptions plus the faults get_user_pages() takes), and the signal",
    "(none, SIGBUS or SIGSEGV). Counts are over the whole system, for that step.",
    "",
    ...p.steps.flatMap(s => wrap(s.words, 100 - (w + 6)).map((l, i) =>
      i === 0 ? `${String(s.index).padStart(w + 2)} ${s.ask ? "?" : " "}  ${l}` : `${" ".repeat(w + 6)}${l}`)),
    "",
    `The scenario${p.variant ? ` (run with the lesson's variant ${p.variant})` : ""}:`,
    scenarioJson(p.scenario),
  ];
}

function fields(a: StepAnswer): string {
  return `faults ${a.faults}, minflt ${a.minflt}, signal ${a.signal}`;
}

/** The answers, step by step with why; `yours` (a run of the learner's datastore) adds a line
 *  under each step where it differs from the reference. */
export function answerText(p: QuizProblem, ref: QuizAnswer, yours?: QuizAnswer): string[] {
  const w = String(p.steps.length - 1).length;
  const pad = " ".repeat(w + 2 + 4);
  const lines = ["Answers (the lesson's reference handler, run on the kernel model):"];
  if (ref.status !== "ok") lines.push(`  (the reference run ended early: ${ref.status})`);
  for (const a of ref.steps) {
    lines.push(`${String(a.index).padStart(w + 2)} ?  ${fields(a)}  (${a.result})`);
    lines.push(...wrap(a.why, 100 - pad.length).map(l => pad + l));
    const mine = yours?.steps.find(x => x.index === a.index);
    if (mine && answerDiff(a, mine).length) lines.push(`${pad}Your handler: ${fields(mine)} (${mine.result}): differs in ${answerDiff(a, mine).join(", ")}.`);
  }
  if (yours) {
    const n = ref.steps.filter(a => { const m = yours.steps.find(x => x.index === a.index); return m && answerDiff(a, m).length; }).length;
    lines.push("", n === 0 ? "Your handler gives the same faults, minflt, signal and result in every step."
      : `Your handler differs from the reference in ${n} of ${ref.steps.length} steps.`);
  }
  return lines;
}

/** Each prediction marked, step by step, and the count right (the terminal's form of the
 *  browser's marks). */
export function marksText(marks: QuizMarks): string[] {
  const lines = ["Your predictions:"];
  const w = Math.max(1, ...marks.steps.map(m => String(m.index).length));
  for (const m of marks.steps) {
    const cell = (f: FieldMark) => f.right ? `${f.field} ${f.predicted} right`
      : f.predicted === null ? `${f.field} not predicted (it is ${f.expected})` : `${f.field} ${f.predicted} wrong (it is ${f.expected})`;
    lines.push(`  step ${String(m.index).padStart(w)}  ${m.right ? "✓" : "✗"}  ${m.fields.map(cell).join(", ")}`);
  }
  lines.push(`${marks.right} of ${marks.total} predictions right.`);
  return lines;
}

/** `text` in lines of at most `width` characters, broken at spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) { out.push(line); line = word; }
    else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
