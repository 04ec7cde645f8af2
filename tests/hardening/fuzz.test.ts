// tests/hardening/fuzz.test.ts: many generated handlers (fuzz-gen.ts) graded for real; the
// grader never crashes, every report holds its invariants and every format emits.
//   PREFAULT_FUZZ_N=500 PREFAULT_FUZZ_SEED=7 node scripts/test.mjs tests/hardening/fuzz
// for a bigger run (default: 16 handlers, seed 1).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { emitReport, FORMATS } from "../../engine/report/index.js";
import { generateHandler } from "./fuzz-gen.js";
import { pool, reportProblems } from "./helpers.js";

const N = Number(process.env.PREFAULT_FUZZ_N ?? 16);
const SEED = Number(process.env.PREFAULT_FUZZ_SEED ?? 1);

const p = pool({ jobs: 2 });
after(() => p.close());

test("the generator is deterministic", () => {
  assert.equal(generateHandler(SEED, 3), generateHandler(SEED, 3));
  assert.notEqual(generateHandler(SEED, 3), generateHandler(SEED, 4));
});

test(`${N} generated handlers (seed ${SEED}): the grader never crashes`, { timeout: 30_000 + N * 10_000 }, async () => {
  const statuses: Record<string, number> = {};
  await Promise.all(Array.from({ length: N }, async (_, n) => {
    const src = generateHandler(SEED, n);
    const r = await p.grade({ files: { "datastore.ts": src } });
    assert.deepEqual(reportProblems(r), [], `handler ${n} (seed ${SEED}):\n${src}`);
    for (const f of FORMATS) assert.equal(typeof emitReport(r, f), "string");
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }));
  // the generator reaches the graders' different outcomes, not only compile errors
  assert.ok((statuses.fail ?? 0) > 0, JSON.stringify(statuses));
  assert.ok((statuses.error ?? 0) < N, `every handler failed to compile: ${JSON.stringify(statuses)}`);
});
