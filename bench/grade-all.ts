// bench/grade-all.ts: how fast a class is graded (a benchmark, not a test; never fails on time).
//
//   node dist/bench/grade-all.js            (PREFAULT_BENCH_CLASS=100 submissions by default)
//
// Builds a class of distinct submissions of lesson 01 (the solution, the starter and the
// mutants, each made unique so the compile cache cannot help), then times whole processes:
//   prefault grade-all --jobs 1    submissions per second
//   prefault grade-all --jobs 2    submissions per second, and the speed-up over 1 job
//   prefault grade                 one submission, end to end (median of 3)
// Aim: a class of 100 graded in under 15 s on the 2-core reference box.

import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../cli/node-paths.js";
import { fmt, line, summarize } from "./stats.js";

const LESSON = "01-first-fault";
const N = Number(process.env.PREFAULT_BENCH_CLASS ?? 100);
const AIM_S = 15;
const BIN = join(PACKAGE_ROOT, "bin", "prefault.js");

/** A class of n distinct submissions, one folder each. */
function makeClass(n: number): string {
  const lesson = join(PACKAGE_ROOT, "lessons", LESSON);
  const sources = [readFileSync(join(lesson, "solution", "datastore.ts"), "utf8"),
    readFileSync(join(lesson, "starter", "datastore.ts"), "utf8"),
    ...readdirSync(join(lesson, "mutants")).sort().map(f => readFileSync(join(lesson, "mutants", f), "utf8"))];
  const dir = mkdtempSync(join(tmpdir(), "prefault-bench-class-"));
  for (let i = 0; i < n; i++) {
    const name = `student${String(i).padStart(3, "0")}`;
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "datastore.ts"), `${sources[i % sources.length]}\n// ${name}\n`);
  }
  return dir;
}

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Wall time of one process in ms, its CPU time (user + system, all threads) in ms when
 *  /usr/bin/time is there, and whether it exited as expected. CPU time does not depend on what
 *  else the machine runs, so it gives a figure for an idle box too. */
function run(args: string[], okCodes: number[]): { ms: number; cpuMs?: number; ok: boolean; stderr: string } {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ["-f", "prefault-cpu %U %S", process.execPath, BIN, ...args], { encoding: "utf8" })
    : spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  const ms = performance.now() - t;
  const m = /prefault-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
  return { ms, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined, ok: okCodes.includes(r.status ?? -1), stderr: r.stderr };
}

function main(): void {
  const dir = makeClass(N);
  try {
    process.stdout.write(`grade-all: a class of ${N} submissions of lesson ${LESSON}\n`);
    const times: Record<number, number> = {};
    const cpu: Record<number, number> = {};
    process.stdout.write(`  (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores: wall times grow with it, CPU times do not)\n`);
    for (const jobs of [1, 2]) {
      const out = join(dir, `class-${jobs}.csv`);
      const r = run(["grade-all", "--lesson", LESSON, dir, "--jobs", String(jobs), "--out", out], [0]);
      if (!r.ok) { process.stdout.write(`  grade-all --jobs ${jobs} failed: ${r.stderr}\n`); continue; }
      const rows = readFileSync(out, "utf8").trim().split("\n").length - 1;
      times[jobs] = r.ms;
      line(`grade-all --jobs ${jobs} (${rows} graded)`, `${(r.ms / 1000).toFixed(2)} s, ${(rows / (r.ms / 1000)).toFixed(1)} submissions/s`);
      if (r.cpuMs !== undefined) {
        cpu[jobs] = r.cpuMs;
        line(`  CPU time (all threads)`, `${(r.cpuMs / 1000).toFixed(2)} s, ${(r.cpuMs / rows).toFixed(0)} ms per submission`);
      }
    }
    if (times[1] && times[2]) line("speed-up of 2 jobs over 1", `${(times[1] / times[2]).toFixed(2)}x`);
    const one = join(dir, "student000", "datastore.ts");
    const singles: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = run(["grade", "--lesson", LESSON, one, "--format", "json"], [0, 1]);
      if (r.ok) singles.push(r.ms);
    }
    if (singles.length) line("prefault grade, one submission, end to end", fmt(summarize(singles)));
    const best = Math.min(...Object.values(times));
    if (Number.isFinite(best)) {
      const per100 = (best / N) * 100 / 1000;
      line(`aim: 100 submissions in < ${AIM_S} s`, `${per100.toFixed(1)} s for 100 (${per100 < AIM_S ? "met" : "NOT met"})`);
    }
    if (cpu[2] !== undefined) {
      // on an idle box, 2 jobs on 2 cores take about half their CPU time
      const idle = (cpu[2] / N) * 100 / 1000 / Math.min(2, availableParallelism());
      line("projected on an idle 2-core box (CPU / 2)", `${idle.toFixed(1)} s for 100 (${idle < AIM_S ? "met" : "NOT met"})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
