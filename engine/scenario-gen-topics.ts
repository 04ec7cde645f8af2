// engine/scenario-gen-topics.ts: what a lesson is about, read from its own scenarios, so the
// practice generator (engine/scenario-gen.ts) only asks about what the lesson has taught:
// the ops its scenarios use (vDSO calls, direct reads, mlockall, remote reads, forks, time
// namespaces), the clocks, mlockall flags and remote paths they name, the pgoffs they touch,
// the kernel options they switch away from the default, and the lesson's [vvar] variants.
// Data-driven: a teacher's own lesson gets practice problems about what its scenarios do.

import type { ClockName, ConfigOption, McFlag, RemoteVia, Scenario, Step } from "./types.js";
import { DEFAULT_CONFIG } from "./defaults.js";
import type { Lesson } from "./lesson.js";

export type Op = Step["op"];

export interface LessonTopics {
  /** every op the lesson's scenarios use, sorted */
  ops: Op[];
  /** for each op, how many of the lesson's scenarios use it */
  scenarioCounts: Partial<Record<Op, number>>;
  /** clocks its clock_gettime steps name (CLOCK_MONOTONIC when none), sorted */
  clocks: ClockName[];
  /** the distinct mlockall flag sets, in first-use order */
  mlockFlags: McFlag[][];
  /** remote access paths, sorted */
  vias: RemoteVia[];
  /** the largest pgoff a step touches */
  maxPgoff: number;
  /** each boolean option some scenario sets away from its default, with that value, sorted */
  toggles: { option: ConfigOption; value: boolean }[];
  /** arch_data_pages values the scenarios use (besides the default), sorted */
  archPages: number[];
  /** lesson variants a check runs with, sorted */
  variants: string[];
}

const BOOLEAN_OPTIONS: ConfigOption[] = ["GENERIC_GETTIMEOFDAY", "TIME_NS", "VDSO_GETRANDOM", "ARCH_HAS_VDSO_ARCH_DATA"];

/** The topics of `lesson`, from its scenarios and checks. Pure. */
export function lessonTopics(lesson: Pick<Lesson, "scenarios" | "checks">): LessonTopics {
  const ops = new Set<Op>(), clocks = new Set<ClockName>(), vias = new Set<RemoteVia>(), arch = new Set<number>();
  const flags = new Map<string, McFlag[]>();
  const toggles = new Map<ConfigOption, boolean>();
  const scenarioCounts: Partial<Record<Op, number>> = {};
  let maxPgoff = 0;
  const names = Object.keys(lesson.scenarios).sort();
  for (const name of names) {
    const sc: Scenario = lesson.scenarios[name];
    for (const o of BOOLEAN_OPTIONS) {
      const v = sc.config?.[o];
      if (v !== undefined && v !== DEFAULT_CONFIG[o]) toggles.set(o, v);
    }
    if (sc.config?.arch_data_pages !== undefined && sc.config.arch_data_pages !== DEFAULT_CONFIG.arch_data_pages) arch.add(sc.config.arch_data_pages);
    for (const o of new Set(sc.steps.map(s => s.op))) scenarioCounts[o] = (scenarioCounts[o] ?? 0) + 1;
    for (const s of sc.steps) {
      ops.add(s.op);
      if (s.op === "clock_gettime") clocks.add(s.clock);
      if (s.op === "mlockall") flags.set(s.flags.join("|"), [...s.flags]);
      if (s.op === "remote_read" || s.op === "remote_write") vias.add(s.via);
      if ("pgoff" in s) maxPgoff = Math.max(maxPgoff, s.pgoff + ("pages" in s ? s.pages - 1 : 0));
    }
  }
  const byName = <T extends string>(xs: Iterable<T>) => [...xs].sort();
  return {
    ops: byName(ops),
    scenarioCounts,
    clocks: clocks.size ? byName(clocks) : ["CLOCK_MONOTONIC"],
    mlockFlags: [...flags.values()],
    vias: byName(vias),
    maxPgoff,
    toggles: byName(toggles.keys()).map(option => ({ option, value: toggles.get(option)! })),
    archPages: [...arch].sort((a, b) => a - b),
    variants: [...new Set(lesson.checks.map(c => c.variant).filter((v): v is string => v !== undefined))].sort(),
  };
}
