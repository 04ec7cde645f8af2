// bench/stats.ts: timing helpers for the benchmarks (median and range of n runs).
import { performance } from "node:perf_hooks";

export interface Sample { median: number; min: number; max: number; n: number }

/** Times `f` n times (after `warmup` untimed runs) and returns milliseconds. */
export async function time(n: number, f: () => unknown | Promise<unknown>, warmup = 0): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return summarize(xs);
}

export function summarize(xs: number[]): Sample {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** "103.2 ms (72.0–296.1, n=15)" */
export function fmt(x: Sample, unit = "ms"): string {
  const f = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  return `${f(x.median)} ${unit} (${f(x.min)}–${f(x.max)}, n=${x.n})`;
}

/** One output line: a label padded to a column, then the figure. */
export function line(label: string, value: string): void {
  process.stdout.write(`  ${label.padEnd(50)} ${value}\n`);
}
