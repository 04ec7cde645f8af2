// engine/scenario-gen.ts: practice problems ("predict, then run"). From a lesson and a seed,
// a scenario the learner predicts step by step (faults, ru_minflt, the signal) before running it.
//
//   lesson ──lessonTopics()──► what its scenarios use ─┐
//   seed ──mulberry32(seed ^ fnv1a(lesson id))────────┴─► generateQuiz() ─► QuizProblem
//                                                          (scenario + each step in words)
//
// Deterministic: the same lesson and seed give the same problem, byte for byte, on every
// machine (integer PRNG, no clock, no locale, no Map/Set iteration over unsorted input).
// QUIZ_GENERATOR_VERSION names the stream: a change to what a seed generates bumps it, so a
// seed handed out for version N is known to mean something else under N+1.
// Every problem is valid against the scenario schema (engine/validate.ts); the answers come
// from running it (engine/scenario-gen-answer.ts). Documented in docs/practice.md.

import type { ClockName, McFlag, Scenario, ScenarioConfig, Step } from "./types.js";
import type { Lesson } from "./lesson.js";
import { DEFAULT_CONFIG, resolveConfig } from "./defaults.js";
import { fnv1a, mulberry32, QUIZ_SEED_MAX, type Rng } from "./scenario-gen-rng.js";
export { parseSeed, QUIZ_SEED_MAX } from "./scenario-gen-rng.js";
import { lessonTopics, type LessonTopics, type Op } from "./scenario-gen-topics.js";
import { configWords, stepWords } from "./scenario-gen-words.js";

/** The version of the seed -> problem mapping. */
export const QUIZ_GENERATOR_VERSION = 1;


/** The ops whose step touches [vvar] (or asks the kernel to): the learner predicts these. */
export const ASKED_OPS: readonly Op[] = ["clock_gettime", "getrandom", "read", "remote_read", "remote_write",
  "mlockall", "mlock", "madvise_populate_read"];

export interface QuizStep {
  index: number;
  op: Op;
  task?: string;
  /** the step in words: "app calls clock_gettime(CLOCK_MONOTONIC) 1000 times in a row" */
  words: string;
  /** whether the learner predicts this step (it touches [vvar]); the others set the scene */
  ask: boolean;
}

export interface QuizProblem {
  generator: number;
  lesson: string;
  seed: number;
  /** the lesson variant the scenario runs with ([vvar] installed with its flags), if any */
  variant?: string;
  /** the kernel and the [vvar] install, in words */
  setting: string[];
  scenario: Scenario;
  steps: QuizStep[];
}

export type QuizResult = { ok: true; problem: QuizProblem } | { ok: false; message: string };

/** The practice problem of `lesson` for `seed`. A bad seed, or a lesson whose scenarios make no
 *  vDSO access to ask about, is {ok:false} with a message. Pure. The scenario is valid by
 *  construction (the generator only names tasks and namespaces it created); the unit tests
 *  prove it with engine/validate.ts over many seeds, and `prefault quiz` checks it again
 *  (the browser does not load the validator for it). */
export function generateQuiz(lesson: Pick<Lesson, "id" | "scenarios" | "checks" | "variants">, seed: number): QuizResult {
  if (!Number.isInteger(seed) || seed < 0 || seed > QUIZ_SEED_MAX) {
    return { ok: false, message: `the seed must be an integer from 0 to ${QUIZ_SEED_MAX} (got ${seed})` };
  }
  const topics = lessonTopics(lesson);
  if (!topics.ops.some(o => ASKED_OPS.includes(o))) {
    return { ok: false, message: `lesson ${lesson.id} has no scenario step that touches [vvar]: nothing to predict` };
  }
  const r = mulberry32((seed ^ fnv1a(lesson.id)) >>> 0);
  const variant = topics.variants.length && r.chance(0.6) ? r.pick(topics.variants) : undefined;
  const config = pickConfig(r, topics);
  const steps = new Builder(r, topics, config).build();
  const scenario: Scenario = {
    name: `practice-${lesson.id}-${seed}`,
    description: `Practice problem ${seed} of lesson ${lesson.id} (generator ${QUIZ_GENERATOR_VERSION}): predict each step's faults, minflt and signal.`,
    ...(Object.keys(config).length ? { config } : {}),
    steps,
  };
  const setting = configWords(config, variant === undefined ? undefined : lesson.variants[variant]);
  return {
    ok: true,
    problem: {
      generator: QUIZ_GENERATOR_VERSION, lesson: lesson.id, seed, ...(variant !== undefined ? { variant } : {}),
      setting, scenario,
      steps: steps.map((s, index) => ({ index, op: s.op, ...(s.task !== undefined ? { task: s.task } : {}),
        words: stepWords(s), ask: ASKED_OPS.includes(s.op) })),
    },
  };
}

// the kernel options: each option the lesson switches, switched here too now and then
function pickConfig(r: Rng, t: LessonTopics): ScenarioConfig {
  const c: ScenarioConfig = {};
  for (const { option, value } of t.toggles) if (r.chance(0.3)) c[option] = value;
  if ((c.ARCH_HAS_VDSO_ARCH_DATA ?? DEFAULT_CONFIG.ARCH_HAS_VDSO_ARCH_DATA) && t.archPages.length) c.arch_data_pages = r.pick(t.archPages);
  return c;
}

/** Ops that make a lesson's topic (beyond spawning and calling the vDSO), most advanced first:
 *  the tie-break when two are used by as many of the lesson's scenarios. */
const TOPIC_ORDER: Op[] = ["mlockall", "remote_read", "remote_write", "setns", "unshare_timens", "munlockall", "mlock",
  "madvise_populate_read", "exec", "vfork_exec", "fork", "read"];

type Action = "call" | "rng" | "read" | "spawn" | "fork" | "timens" | "setns" | "mlockall" | "munlockall" | "mlock"
  | "populate" | "remote" | "remote_write" | "exec";

/** The action that produces op `o`. */
const ACTION_OF: Partial<Record<Op, Action>> = {
  clock_gettime: "call", getrandom: "rng", read: "read", spawn: "spawn", fork: "fork", unshare_timens: "timens",
  setns: "setns", mlockall: "mlockall", munlockall: "munlockall", mlock: "mlock", madvise_populate_read: "populate",
  remote_read: "remote", remote_write: "remote_write", exec: "exec",
};

interface Task { name: string; ns: string; forChildren: string; retired: boolean; debugger: boolean }

const REPEATS = [1, 1, 1, 3, 1000];
const OFFSETS_S = [3600, 86400, 600];

// Builds the steps: a spawn, then actions drawn by weight among those the lesson's ops allow,
// until 4..7 steps touch [vvar]. The lesson's focus op (the topic most of its scenarios use)
// is drawn at a random point if chance has not drawn it by then.
class Builder {
  private steps: Step[] = [];
  private tasks: Task[] = [];
  private nss: string[] = [];
  /** the task the next action takes: a child just forked (so no fork is made for nothing) */
  private next: Task | null = null;
  private counters = { task: 1, child: 0, ns: 0 };
  private readonly nr: number;
  private readonly maxRead: number;
  private readonly cfg: Required<ScenarioConfig>;

  constructor(private r: Rng, private t: LessonTopics, config: ScenarioConfig) {
    this.cfg = resolveConfig(config);
    this.nr = 3 + this.cfg.arch_data_pages;
    this.maxRead = Math.min(this.nr - 1, Math.max(t.maxPgoff, 1));
  }

  build(): Step[] {
    this.spawn("app");
    const want = this.r.int(4, 7);
    const focus = focusAction(this.t);
    const focusAt = this.r.int(0, want - 2);
    let asked = 0, focusDone = false;
    for (let round = 0; asked < want && this.steps.length < 18; round++) {
      const forced = !focusDone && focus !== undefined && round >= focusAt && this.available(focus);
      const a = forced ? focus! : this.r.weighted(this.weights());
      if (a === focus) focusDone = true;
      const before = this.steps.length;
      this.act(a);
      asked += this.steps.slice(before).filter(s => ASKED_OPS.includes(s.op)).length;
    }
    return this.steps;
  }

  private has(o: Op): boolean { return this.t.ops.includes(o); }
  private live(): Task[] { return this.tasks.filter(x => !x.retired && !x.debugger); }

  private available(a: Action): boolean {
    switch (a) {
      case "call": return this.has("clock_gettime");
      case "rng": return this.has("getrandom");
      case "read": return this.has("read");
      case "spawn": return this.live().length < 4;
      case "fork": return this.has("fork") && this.live().length < 4;
      case "timens": return this.has("unshare_timens") && this.has("fork") && this.nss.length < 2 && this.live().length < 4;
      case "setns": return this.has("setns") && this.nss.length > 0;
      case "mlockall": return this.has("mlockall") && this.t.mlockFlags.length > 0;
      case "munlockall": return this.has("munlockall");
      case "mlock": return this.has("mlock");
      case "populate": return this.has("madvise_populate_read");
      case "remote": return this.has("remote_read") && this.t.vias.length > 0;
      case "remote_write": return this.has("remote_write") && this.t.vias.length > 0;
      case "exec": return this.has("exec");
    }
  }

  private weights(): Partial<Record<Action, number>> {
    const base: Record<Action, number> = { call: 6, rng: 2, read: 4, spawn: 1, fork: 2, timens: 3, setns: 2, mlockall: 4,
      munlockall: 1, mlock: 1, populate: 1, remote: 4, remote_write: 1, exec: 1 };
    const w: Partial<Record<Action, number>> = {};
    for (const a of Object.keys(base) as Action[]) if (this.available(a)) w[a] = base[a];
    return w;
  }

  // a task to act: the newest live one more often than not (a fork's child, a namespace's
  // first task), else any live one; a fresh process when every task has been retired
  private task(): Task {
    const next = this.next;
    this.next = null;
    if (next && !next.retired) return next;
    const live = this.live();
    if (live.length === 0) return this.spawn(`app${++this.counters.task}`);
    return this.r.chance(0.5) ? live[live.length - 1] : this.r.pick(live);
  }

  private push(s: Step): void { this.steps.push(s); }

  private spawn(name: string, dbg = false): Task {
    const t: Task = { name, ns: "root", forChildren: "root", retired: false, debugger: dbg };
    this.tasks.push(t);
    this.push({ op: "spawn", task: name });
    return t;
  }

  private fork(parent: Task): Task {
    const child: Task = { name: `child${++this.counters.child}`, ns: parent.forChildren, forChildren: parent.forChildren, retired: false, debugger: false };
    this.tasks.push(child);
    this.push({ op: "fork", task: parent.name, child: child.name });
    this.next = child;
    return child;
  }

  private act(a: Action): void {
    const r = this.r;
    switch (a) {
      case "call": {
        const t = this.task();
        const repeat = r.pick(REPEATS);
        const clock: ClockName = r.pick(this.t.clocks);
        this.push({ op: "clock_gettime", task: t.name, clock, ...(repeat > 1 ? { repeat } : {}) });
        if (!this.cfg.GENERIC_GETTIMEOFDAY) t.retired = true;     // no time data: it may be its last act
        return;
      }
      case "rng": {
        const t = this.task();
        const repeat = r.pick(REPEATS.slice(0, 4));
        this.push({ op: "getrandom", task: t.name, ...(repeat > 1 ? { repeat } : {}) });
        if (!this.cfg.VDSO_GETRANDOM) t.retired = true;
        return;
      }
      case "read": {
        const t = this.task();
        const pgoff = r.int(0, this.maxRead);
        this.push({ op: "read", task: t.name, pgoff });
        // a slot that may have no data can kill the task (SIGBUS): a task's last act, so the
        // steps after it are about something else than a dead task
        if (pgoff > 0) t.retired = true;
        return;
      }
      case "spawn": this.spawn(`app${++this.counters.task}`); return;
      case "fork": this.fork(this.task()); return;
      case "timens": {
        const ns = `ns${++this.counters.ns}`;
        this.nss.push(ns);
        const launcher = r.chance(0.5) && this.live().length < 3 ? this.spawn(`launcher${this.counters.ns}`) : this.task();
        this.push({ op: "unshare_timens", task: launcher.name, ns, monotonic_offset_s: r.pick(OFFSETS_S) });
        launcher.forChildren = ns;
        this.fork(launcher);
        return;
      }
      case "setns": {
        const t = this.task();
        const choices = ["root", ...this.nss].filter(n => n !== t.ns);
        const ns = r.pick(choices);
        this.push({ op: "setns", task: t.name, ns });
        t.ns = ns; t.forChildren = ns;
        return;
      }
      case "mlockall": {
        const flags: McFlag[] = [...r.pick(this.t.mlockFlags)];
        this.push({ op: "mlockall", task: this.task().name, flags });
        return;
      }
      case "munlockall": this.push({ op: "munlockall", task: this.task().name }); return;
      case "mlock": case "populate": {
        const pgoff = r.int(0, this.nr - 1);
        const pages = r.int(1, this.nr - pgoff);
        this.push({ op: a === "mlock" ? "mlock" : "madvise_populate_read", task: this.task().name, pgoff, pages });
        return;
      }
      case "remote": case "remote_write": {
        const target = this.task();
        let dbg = this.tasks.find(x => x.debugger);
        if (!dbg) dbg = this.spawn("gdb", true);
        const pgoff = r.int(0, this.maxRead);
        this.push({ op: a === "remote" ? "remote_read" : "remote_write", task: dbg.name, target: target.name, pgoff, via: r.pick(this.t.vias) });
        return;
      }
      case "exec": {
        const t = this.task();
        this.push({ op: "exec", task: t.name });
        t.ns = t.forChildren;
        return;
      }
    }
  }
}

/** The lesson's focus: the topic op used by the most of its scenarios (TOPIC_ORDER breaks a tie),
 *  as the action that makes it. Undefined when the lesson has none beyond vDSO calls. */
function focusAction(t: LessonTopics): Action | undefined {
  let best: Op | undefined, bestN = 0;
  for (const o of TOPIC_ORDER) {
    const n = t.scenarioCounts[o] ?? 0;
    if (n > bestN) { best = o; bestN = n; }
  }
  return best === undefined ? undefined : ACTION_OF[best];
}
