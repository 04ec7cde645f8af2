// engine/compare-text.ts: a Comparison (engine/compare.ts) as lines of text, for
// `prefault run --compare STAGE`. Pure. It prints the record's cells and nothing else, so the
// terminal shows exactly what the browser's view (web/src/ui/compare-view.ts) shows: one row
// per step, one column per field; a cell where the two sides differ reads "LEFT vs RIGHT" and
// its row is marked "*".

import { COMPARE_FIELDS, TASK_FIELDS, type Comparison, type FieldCell, type ScenarioComparison } from "./compare.js";

/** "4 vs 0" where the sides differ, else the one value. */
export function cellText(c: FieldCell): string { return c.differs ? `${c.left} vs ${c.right}` : c.left; }

// rows of cells as left-aligned columns, two spaces apart, without trailing blanks
function columns(rows: string[][]): string[] {
  const w = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  return rows.map(r => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join("  ").trimEnd());
}

/** One scenario's comparison: the headline, the step table, notes on steps that did not run
 *  or stopped, and the end state of each task. */
export function formatScenarioComparison(sc: ScenarioComparison): string[] {
  const lines = [`scenario ${sc.scenario}: ${sc.headline}`];
  const head = ["", "step", "what", ...COMPARE_FIELDS.map(f => f.label)];
  const rows = sc.steps.map(s => [s.differs.length ? "*" : "", String(s.index), s.what, ...COMPARE_FIELDS.map(f => cellText(s.cells[f.key]))]);
  lines.push(...columns([head, ...rows]).map(l => `  ${l}`));
  for (const [side, label] of [["left", sc.left.label], ["right", sc.right.label]] as const) {
    const stopped = sc.steps.find(s => s[side].state === "hung" || s[side].state === "oops");
    if (stopped) lines.push(`  ${label}: step ${stopped.index} ${stopped[side].state === "hung" ? "hung" : "oopsed"}: ${sc[side].oops ?? ""}`.trimEnd());
    const firstNotRun = sc.steps.find(s => s[side].state === "not run");
    if (firstNotRun) {
      const n = sc.steps.filter(s => s[side].state === "not run").length;
      lines.push(`  ${label}: ${n} step${n === 1 ? "" : "s"} not run, from step ${firstNotRun.index}: ${firstNotRun[side].not_run}`);
    }
  }
  if (sc.tasks.length) {
    lines.push("  at the end:");
    const trows = sc.tasks.flatMap(t => TASK_FIELDS.map(f => [t.cells[f.key].differs ? "*" : "", `${t.task} ${f.label}`,
      t.cells[f.key].left, t.cells[f.key].right]));
    lines.push(...columns([["", "task", sc.left.label, sc.right.label], ...trows]).map(l => `    ${l}`));
  }
  return lines;
}

/** The whole comparison: who is compared with whom, each scenario, the overall headline. */
export function formatComparison(c: Comparison): string[] {
  const lines = [`comparing ${c.left} (left) with ${c.right} (right); "*" marks what differs, a cell reads "left vs right"`];
  for (const sc of c.scenarios) lines.push("", ...formatScenarioComparison(sc));
  lines.push("", c.headline);
  return lines;
}
