// cli/student-lesson.ts: a lesson as students may hold it, and its hidden checks set apart.
//
//   lesson.json + scenarios ──splitHidden──► student lesson.json (visible checks, no mutants)
//                                            + the scenarios and variants those checks use
//                                      └───► hidden checks, in the shape of an instructor's
//                                            --checks folder (checks.json + scenarios/)
//
// A student grader (`prefault pack --student`) holds only the first; the kits give the second
// to the platforms that keep it from students (Gradescope, PrairieLearn), where
// `prefault grade --checks` adds it back. Pure: plain data in, plain data out.

/** A check as lesson.json holds it (only the fields this file reads). */
interface CheckJson { id: string; scenario: string; variant?: string; visibility?: string; requires?: string[] }

/** An instructor's checks folder as data: checks.json and scenarios/<name>.json. */
export interface ChecksFolder {
  /** checks.json: `lesson` names the lesson the checks are for (a kit writes it; grade refuses the folder for another) */
  json: { lesson?: string; checks: unknown[]; variants?: Record<string, unknown> };
  scenarios: Record<string, unknown>;
}

export type SplitResult =
  | { ok: true; student: { json: Record<string, unknown>; scenarios: Record<string, unknown> }; hidden: ChecksFolder }
  | { ok: false; message: string };

/** Splits a lesson's checks into the visible ones (kept in the lesson with every scenario but
 *  those only hidden checks run, and the variants they use; mutants dropped) and the hidden
 *  ones (with the scenarios and variants only they use). Refuses a visible check that `requires` a hidden one: its grading would
 *  depend on what the student grader cannot run. */
export function splitHidden(lessonJson: Record<string, unknown>, scenarios: Record<string, unknown>): SplitResult {
  const checks = (lessonJson.checks ?? []) as CheckJson[];
  const visible = checks.filter(c => c.visibility !== "hidden");
  const hidden = checks.filter(c => c.visibility === "hidden");
  const hiddenIds = new Set(hidden.map(c => c.id));
  for (const c of visible) {
    const r = (c.requires ?? []).find(id => hiddenIds.has(id));
    if (r !== undefined) return { ok: false, message: `visible check "${c.id}" requires hidden check "${r}"` };
  }
  const variants = (lessonJson.variants ?? {}) as Record<string, unknown>;
  const pick = <T>(from: Record<string, T>, names: Set<string>): Record<string, T> =>
    Object.fromEntries(Object.entries(from).filter(([k]) => names.has(k)));
  const usedBy = (cs: CheckJson[], key: "scenario" | "variant") =>
    new Set(cs.map(c => c[key]).filter((x): x is string => typeof x === "string"));

  const studentScenarios = usedBy(visible, "scenario"), studentVariants = usedBy(visible, "variant");
  const json: Record<string, unknown> = { ...lessonJson, checks: visible, mutants: [] };
  delete json.variants;
  if (studentVariants.size > 0) json.variants = pick(variants, studentVariants);

  // a scenario only hidden checks run goes with them; every other one stays (learners run them)
  const hiddenScenarios = new Set([...usedBy(hidden, "scenario")].filter(s => !studentScenarios.has(s)));
  const keptScenarios = new Set(Object.keys(scenarios).filter(s => !hiddenScenarios.has(s)));
  const hiddenVariants = new Set([...usedBy(hidden, "variant")].filter(v => !studentVariants.has(v)));
  const hiddenJson: ChecksFolder["json"] = { checks: hidden };
  if (hiddenVariants.size > 0) hiddenJson.variants = pick(variants, hiddenVariants);
  return {
    ok: true,
    student: { json, scenarios: pick(scenarios, keptScenarios) },
    hidden: { json: hiddenJson, scenarios: pick(scenarios, hiddenScenarios) },
  };
}

/** One checks folder holding the checks, variants and scenarios of both (the lesson's hidden
 *  checks first, then an instructor's), or a message naming the clash. */
export function mergeChecksFolders(a: ChecksFolder, b: ChecksFolder): { ok: true; folder: ChecksFolder } | { ok: false; message: string } {
  const ids = new Set((a.json.checks as CheckJson[]).map(c => c.id));
  for (const c of b.json.checks as CheckJson[]) if (ids.has(c.id)) return { ok: false, message: `check "${c.id}" is both a hidden check of the lesson and one of --checks` };
  for (const n of Object.keys(b.scenarios)) if (n in a.scenarios) return { ok: false, message: `scenario "${n}" is both in the lesson's hidden checks and in --checks` };
  const va = a.json.variants ?? {}, vb = b.json.variants ?? {};
  for (const n of Object.keys(vb)) if (n in va) return { ok: false, message: `variant "${n}" is both in the lesson's hidden checks and in --checks` };
  const json: ChecksFolder["json"] = { ...(a.json.lesson ? { lesson: a.json.lesson } : {}), checks: [...a.json.checks, ...b.json.checks] };
  if (Object.keys(va).length + Object.keys(vb).length > 0) json.variants = { ...va, ...vb };
  return { ok: true, folder: { json, scenarios: { ...a.scenarios, ...b.scenarios } } };
}
