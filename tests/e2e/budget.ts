// tests/e2e/budget.ts: the first visit's byte budget, shared by its test (first-visit.test.ts)
// and the benchmark (bench/web.ts), which prints the figure against it.

/** 3 MB (decimal bytes), brotli as `prefault serve` sends it: issue 13's aim for a first visit. */
export const FIRST_VISIT_BUDGET = 3_000_000;
