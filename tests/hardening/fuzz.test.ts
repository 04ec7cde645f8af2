// tests/hardening/fuzz.test.ts: many generated handlers (fuzz-gen.ts) graded for real; the
// grader never crashes, every report holds its invariants, every format says what the report
// says, and every check that did not pass says why.
//   npm run fuzz                 4,000 handlers (PREFAULT_FUZZ_N, PREFAULT_FUZZ_SEED, PREFAULT_FUZZ_JOBS to change)
// prints pass/fail/error/crash counts; a crash or a missing row fails it. The default test run
// grades 16 handlers, seed 1.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { emitReport, FORMATS } from "../../engine/report/index.js";
import { generateHandler } from "./fuzz-gen.js";
import { pool, reportProblems } from "./helpers.js";
import type { Report } from "../../engine/types.js";

/** What is wrong with the emitted formats of report `r`: each must say what the report says
 *  (its check count, its score), parse where it is JSON, and every check that did not pass must
 *  say why, consistently with the report's status. */
function emitProblems(r: Report): string[] {
  const out: string[] = [];
  const n = r.tests.length;
  for (const f of FORMATS) {
    const text = emitReport(r, f);
    if (text.length === 0) out.push(`${f}: empty`);
    if (f === "json") {
      const back = JSON.parse(text) as Report;
      if (back.score !== r.score || back.tests.length !== n || back.status !== r.status) out.push("json: not the report");
      if (back.tests.some((t, i) => t.failure?.kind !== r.tests[i].failure?.kind)) out.push("json: failure kinds differ");
    }
    if (f === "tap" && !new RegExp(`^1\\.\\.${n}$`, "m").test(text)) out.push(`tap: no plan 1..${n}`);
    if (f === "junit" && !text.includes(`tests="${n}"`)) out.push(`junit: no tests="${n}"`);
    if (f === "gradescope" && (JSON.parse(text) as { tests: unknown[] }).tests.length !== n) out.push("gradescope: check count");
    if ((f === "github" || f === "prairielearn" || f === "exercism")) { try { JSON.parse(text); } catch { out.push(`${f}: not JSON`); } }
  }
  for (const t of r.tests) {
    if (t.status === "pass" && t.failure) out.push(`${t.id}: passes with a failure`);
    if (t.status !== "pass" && !t.failure) out.push(`${t.id}: ${t.status} without a failure reason`);
  }
  const kinds = new Set(r.tests.map(t => t.failure?.kind));
  if (r.status === "error" && r.tests.some(t => t.failure?.kind !== "compile" && t.failure?.kind !== "error")) out.push("an error report with a non-error failure");
  if (r.status === "fail" && kinds.has("compile")) out.push("a fail report with a compile failure");
  return out;
}

const N = Number(process.env.PREFAULT_FUZZ_N ?? 16);
const SEED = Number(process.env.PREFAULT_FUZZ_SEED ?? 1);

const p = pool({ jobs: Number(process.env.PREFAULT_FUZZ_JOBS ?? 2) });
after(() => p.close());

test("the generator is deterministic", () => {
  assert.equal(generateHandler(SEED, 3), generateHandler(SEED, 3));
  assert.notEqual(generateHandler(SEED, 3), generateHandler(SEED, 4));
});

test(`${N} generated handlers (seed ${SEED}): the grader never crashes`, { timeout: 30_000 + N * 10_000 }, async () => {
  const statuses: Record<string, number> = { pass: 0, fail: 0, error: 0, crash: 0 };
  const rows: (string | undefined)[] = new Array(N);
  const problems: string[] = [];
  await Promise.all(Array.from({ length: N }, async (_, n) => {
    const src = generateHandler(SEED, n);
    let r;
    try { r = await p.grade({ files: { "datastore.ts": src } }); }
    catch (e) { statuses.crash++; problems.push(`handler ${n}: the grader crashed: ${(e as Error).message}`); return; }
    const bad = [...reportProblems(r), ...emitProblems(r)];
    if (bad.length) problems.push(`handler ${n} (seed ${SEED}): ${bad.join("; ")}\n${src}`);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    rows[n] = r.status;
  }));
  const missing = rows.filter(x => x === undefined).length;
  // the counts, for `npm run fuzz` (printed by the test runner as a diagnostic)
  console.log(`fuzz: ${N} handlers, seed ${SEED}: pass ${statuses.pass}, fail ${statuses.fail}, error ${statuses.error}, ` +
    `crash ${statuses.crash}, missing rows ${missing}`);
  assert.deepEqual(problems.slice(0, 5), []);
  assert.equal(statuses.crash, 0);
  assert.equal(missing, 0);
  // the generator reaches the graders' different outcomes, not only compile errors
  assert.ok(statuses.fail > 0, JSON.stringify(statuses));
  assert.ok(statuses.error < N, `every handler failed to compile: ${JSON.stringify(statuses)}`);
});
