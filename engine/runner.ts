// engine/runner.ts: the one run policy, for every host. A ScenarioRunner runs scenarios in a
// disposable worker reached through a RunnerTransport (the CLI's worker threads,
// cli/node-runner.ts; the browser's Web Worker through Comlink, web/src/workers/clients.ts):
//
//   - every scenario gets a fresh kernel and learner instance (engine/machine.ts), so a hang or
//     an oops never leaks into the next one;
//   - a handler that never returns runs out of fuel (engine/fuel.ts, LEARNER_FUEL): the worker
//     itself reports a soft lockup in the hung step, with the steps before it and their deltas.
//     That is the same on every machine, so the CLI and the browser give the same report;
//   - behind it, a backstop deadline per scenario (SCENARIO_DEADLINE_MS, or the caller's): counted
//     on the transport's clock (Node: the worker thread's CPU time; the browser: wall time), at
//     most WALL_CAP deadlines of wall time. A worker past it is terminated; the steps before the
//     hung one are re-run in a fresh worker (the model is deterministic) and kept with their
//     deltas, the hung step is named (timeoutResult); the next scenario runs in a fresh worker;
//   - a worker that dies gives an "oops" result (crashResult); a message that fails validation
//     (engine/runner-protocol.ts) is an internal error.
// Platform-neutral: timers only (setTimeout), no worker API.

import type { EngineError, RunResult, Scenario } from "./types.js";
import { crashResult, parseWorkerMessage, timeoutMessage, timeoutResult, type RunRequest } from "./runner-protocol.js";
import { SCENARIO_DEADLINE_MS, WALL_CAP } from "./limits.js";

/** One live worker, as a transport gives it to the runner. */
export interface RunnerWorker {
  /** posts a request to the worker; a worker runs its requests one at a time, in the order posted */
  post(req: RunRequest): void;
  /** stops the worker at once (the only way to stop a busy Wasm instance) */
  terminate(): void;
  /** ms on the deadline clock since some fixed point (Node: this worker thread's CPU time) */
  clockMs(): Promise<number> | number;
  /** while true, the host must stay alive for this worker (Node: ref/unref); optional */
  busy?(yes: boolean): void;
}

/** How a host starts runner workers. */
export interface RunnerTransport {
  /** what the deadline clock counts, in words for the timeout message ("CPU time", "wall time") */
  readonly clock: string;
  /** Starts a worker. Everything it posts goes to `events.message` unvalidated (the runner
   *  validates), its death (exit, error) to `events.exit`. */
  spawn(events: { message(m: unknown): void; exit(why: string): void }): RunnerWorker;
}

export interface RunOptions {
  /** backstop per scenario, ms on the transport's clock; default SCENARIO_DEADLINE_MS */
  deadlineMs?: number;
  sourceMap?: string;
  /** record the learner's source line of each traced kernel API call (CallEvent.at), for the
   *  step-through; it costs a stack per call, so grading leaves it off */
  callSites?: boolean;
}

export type RunOne = { ok: true; result: RunResult } | { ok: false; error: EngineError };
export type RunMany = { ok: true; results: RunResult[] } | { ok: false; error: EngineError };

type Live = { worker: RunnerWorker; ready: Promise<void>; dead?: string;
              /** requests posted to this worker, in order: the first is the one it runs */
              posted: Posted[] };
/** What became of one request: its RunOne, or the step that was running when the backstop fired. */
type Attempt = RunOne | { hung: number };
/** One request to run, waiting for a worker; `done` is called once with what became of it. */
type Job = { kernel: WebAssembly.Module; learner: WebAssembly.Module; scenario: Scenario; opts: RunOptions;
             done(a: Attempt): void };
/** A job posted to a worker: `step` is the last step it said it started; the deadline runs from
 *  when it became the first of its worker's requests (`armed`). */
type Posted = { id: number; job: Job; step: number; armed: boolean; timer?: ReturnType<typeof setTimeout> };

/** How many requests a runner keeps posted to its worker: the one it runs and the next, which
 *  then starts as soon as the first is done instead of a round trip through the host later
 *  (docs/web-performance.md, change 14). The price: a scenario queued behind one that hangs
 *  waits for that one's soft lockup (or backstop and re-run), even while another runner of a
 *  pool is idle. Wall time only; no result depends on it. */
export const RUNNER_DEPTH = 2;

/** A runner owning at most one live worker, kept warm while nothing goes wrong. */
export class ScenarioRunner {
  /** workers started so far (tests) */
  spawned = 0;
  private live: Live | undefined;
  private nextId = 1;
  private waiting: Job[] = [];
  private closed = 0;
  /** times close() was called (a batch running across one stops taking scenarios) */
  get closings(): number { return this.closed; }

  /** `depth`: how many requests are posted to the worker at once (RUNNER_DEPTH; 1 posts the next
   *  only when the last has answered). */
  constructor(private transport: RunnerTransport, readonly depth = RUNNER_DEPTH) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`ScenarioRunner: depth must be a positive integer (got ${depth})`);
  }

  /** Runs one scenario. Resolves (never rejects) with its RunResult, which is a "timeout" or
   *  "oops" result when the handler hung or the worker died, or with the worker's EngineError.
   *  Calls made while others run are queued, in order: the worker runs one scenario at a time and
   *  has at most `depth` of them posted; its messages are told apart by the request's id. */
  run(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario, opts: RunOptions = {}): Promise<RunOne> {
    return new Promise<RunOne>(resolve => {
      this.enqueue({ kernel, learner, scenario, opts, done: a => {
        if (!("hung" in a)) { resolve(a); return; }
        void this.recover(kernel, learner, scenario, opts, a.hung).then(result => resolve({ ok: true, result }));
      } });
    });
  }

  /** Runs `scenarios` in order; the first EngineError (a link error, an internal error) stops the
   *  batch and is returned instead of the results. The next scenario is posted while one runs. */
  runAll(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenarios: Scenario[], opts: RunOptions = {}): Promise<RunMany> {
    return runInLanes(Array.from({ length: this.depth }, () => this), kernel, learner, scenarios, opts);
  }

  /** Starts a worker now so that the next run finds it ready; errors are left for that run. */
  warm(): void { this.start().ready.catch(() => undefined); }

  /** Terminates the worker, if any; the next run starts a fresh one. A scenario it was running
   *  (or had been given) gets an "oops" result. */
  async close(): Promise<void> {
    this.closed++;
    const l = this.live;
    if (!l) return;
    this.live = undefined;
    this.discard(l);
    const lost = [...l.posted.splice(0).map(p => ({ job: p.job, step: p.step })), ...this.waiting.splice(0).map(job => ({ job, step: -1 }))];
    for (const { job, step } of lost) job.done({ ok: true, result: crashResult(job.scenario, "the runner was closed", step) });
  }

  // The backstop stopped the worker in step k: the results of steps 0..k-1 died with it. A fresh
  // worker runs the scenario cut after step k-1 and those results go into the timeout result.
  private async recover(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                        opts: RunOptions, step: number): Promise<RunResult> {
    const message = timeoutMessage(opts.deadlineMs ?? SCENARIO_DEADLINE_MS, this.transport.clock, step);
    if (step <= 0 || step >= scenario.steps.length) return timeoutResult(scenario, message, step);
    // first in line: the worker that replaces the stopped one runs it before the queued scenarios
    const prefix = await new Promise<Attempt>(done =>
      this.enqueue({ kernel, learner, scenario: { ...scenario, steps: scenario.steps.slice(0, step) }, opts, done }, true));
    return timeoutResult(scenario, message, step, "hung" in prefix || !prefix.ok ? undefined : prefix.result);
  }

  private enqueue(job: Job, first = false): void {
    if (first) this.waiting.unshift(job); else this.waiting.push(job);
    this.pump();
  }

  // posts waiting jobs to the live worker (started if need be) while it has fewer than `depth`
  private pump(): void {
    while (this.waiting.length > 0) {
      const l = this.start();
      if (l.posted.length >= this.depth) return;
      const p: Posted = { id: this.nextId++, job: this.waiting.shift()!, step: -1, armed: false };
      l.posted.push(p);
      l.ready.then(() => this.post(l, p), e => this.refuse(l, p, e as Error));
    }
  }

  // the live worker, or a new one (ready once it has posted "ready")
  private start(): Live {
    if (this.live && !this.live.dead) return this.live;
    let readyOk!: () => void, readyFail!: (e: Error) => void, up = false;
    const ready = new Promise<void>((ok, fail) => { readyOk = () => { up = true; ok(); }; readyFail = fail; });
    const l: Live = { worker: undefined as unknown as RunnerWorker, ready, posted: [] };
    // a worker that never started: what was posted to it fails as "cannot start" (refuse)
    const unstarted = (why: string) => {
      l.dead = why;
      readyFail(new Error(why));
      this.discard(l);
    };
    try {
      l.worker = this.transport.spawn({
        message: raw => {
          if (l.dead) return;
          const m = parseWorkerMessage(raw);
          if (typeof m === "string") {
            const why = `the runner worker sent a malformed message (${m})`;
            if (up) this.died(l, why); else unstarted(why);
            return;
          }
          if (m.type === "ready") { readyOk(); return; }
          const p = l.posted.find(x => x.id === m.id);
          if (!p) return;
          if (m.type === "step") { p.step = m.index; return; }
          this.finish(l, p, m.type === "result" ? { ok: true, result: m.result } : { ok: false, error: m.error });
        },
        exit: why => {
          if (l.dead) return;
          if (up) this.died(l, why); else unstarted(why);
        },
      });
    } catch (e) {
      unstarted((e as Error)?.message ?? String(e));     // not live: the next start tries again
      ready.catch(() => undefined);
      return l;
    }
    this.spawned++;
    if (l.dead) { l.worker.terminate(); return l; }          // it died while being spawned
    this.live = l;
    return l;
  }

  private discard(l: Live): void {
    if (this.live === l) this.live = undefined;
    l.dead ??= "stopped";
    for (const p of l.posted) clearTimeout(p.timer);
    const w = l.worker as RunnerWorker | undefined;             // none when spawn() threw
    w?.busy?.(false);
    w?.terminate();
  }

  // The worker is gone (it died, sent a malformed message or was stopped past the deadline): the
  // scenario it ran gets `what`, the ones posted behind it go back to the front of the line.
  private lose(l: Live, what: (p: Posted) => Attempt): void {
    this.discard(l);
    const [head, ...rest] = l.posted.splice(0);
    this.waiting.unshift(...rest.map(p => p.job));
    if (head) this.settle(head, what(head));
    this.pump();
  }

  private died(l: Live, why: string): void {
    this.lose(l, p => ({ ok: true, result: crashResult(p.job.scenario, why, p.step) }));
  }

  // the worker could not start: every request posted to it fails so
  private refuse(l: Live, p: Posted, e: Error): void {
    const i = l.posted.indexOf(p);
    if (i < 0) return;
    l.posted.splice(i, 1);
    this.discard(l);
    this.settle(p, { ok: false, error: { kind: "internal", message: `cannot start the runner worker: ${e.message}` } });
    this.pump();
  }

  private post(l: Live, p: Posted): void {
    if (l.dead || !l.posted.includes(p)) return;
    const { opts } = p.job;
    l.worker.busy?.(true);
    if (l.posted[0] === p) this.arm(l, p);
    l.worker.post({ type: "run", id: p.id, kernel: p.job.kernel, learner: p.job.learner, scenario: p.job.scenario,
                    ...(opts.sourceMap !== undefined ? { sourceMap: opts.sourceMap } : {}), ...(opts.callSites ? { callSites: true } : {}) });
  }

  // An answer from the worker: the next posted request is now the one it runs, and its deadline starts.
  private finish(l: Live, p: Posted, a: RunOne): void {
    l.posted.splice(l.posted.indexOf(p), 1);
    clearTimeout(p.timer);
    const next = l.posted[0];
    if (next) this.arm(l, next); else l.worker.busy?.(false);
    this.settle(p, a);
    this.pump();
  }

  private settle(p: Posted, a: Attempt): void {
    clearTimeout(p.timer);
    p.job.done(a);
  }

  // The backstop deadline of the request the worker runs, on the transport's clock from now (a
  // request posted behind another starts when that one answers, a little before it is heard of:
  // its count is, if anything, short). It is decided in a later task, after the worker's queued
  // "step" messages have been delivered, so the hung step is known.
  private arm(l: Live, p: Posted): void {
    if (p.armed) return;
    p.armed = true;
    const ms = p.job.opts.deadlineMs ?? SCENARIO_DEADLINE_MS;
    const w = l.worker, wall0 = Date.now();
    const live = () => !l.dead && l.posted[0] === p;
    const check = async (clock0: number) => {
      let used: number;
      try { used = (await w.clockMs()) - clock0; } catch { used = ms; }
      if (!live()) return;
      const wall = Date.now() - wall0;
      if (used >= ms || wall >= ms * WALL_CAP) p.timer = setTimeout(() => { if (live()) this.lose(l, () => ({ hung: p.step })); }, 0);
      else p.timer = setTimeout(() => void check(clock0), Math.max(5, Math.min(ms - used, ms * WALL_CAP - wall)));
    };
    const begin = (clock0: number) => { if (live()) p.timer = setTimeout(() => void check(clock0), ms); };
    let c0: Promise<number> | number;
    try { c0 = w.clockMs(); } catch { c0 = 0; }
    if (typeof c0 === "number") begin(c0);
    else c0.then(begin, () => begin(0));
  }
}

/** Runs `scenarios` over `lanes` (a runner may be listed more than once: it then has that many
 *  posted at a time): a free lane takes the next scenario, in order; the results come in the
 *  scenarios' order, or the EngineError of the first scenario (in order) that gave one. None is
 *  taken after an error, so every scenario before the first failing one has run. */
async function runInLanes(lanes: ScenarioRunner[], kernel: WebAssembly.Module, learner: WebAssembly.Module,
                          scenarios: Scenario[], opts: RunOptions): Promise<RunMany> {
  const out: (RunOne | undefined)[] = new Array(scenarios.length);
  let next = 0, failed = false;
  const closings = lanes.map(r => r.closings);
  const closed = () => lanes.some((r, i) => r.closings !== closings[i]);
  await Promise.all(lanes.map(async r => {
    while (!failed && next < scenarios.length) {
      const i = next++;
      // a runner closed during the batch: the rest are not run (no worker starts after close())
      const one = closed() ? { ok: true as const, result: crashResult(scenarios[i], "the runner was closed") }
        : await r.run(kernel, learner, scenarios[i], opts);
      out[i] = one;
      if (!one.ok) failed = true;
    }
  }));
  const results: RunResult[] = [];
  for (const one of out) {
    if (!one) break;                                  // not taken: after a failure
    if (!one.ok) return one;
    results.push(one.result);
  }
  return { ok: true, results };
}

/** Several ScenarioRunners, each with a worker of its own. runAll spreads the scenarios over them
 *  (a free runner takes the next scenario, in order) and gives the results in the scenarios'
 *  order. Each scenario still runs alone, in a fresh kernel and learner instance, under the one
 *  policy above: only the wall time changes, never a result. The browser's Run uses two. */
export class RunnerPool {
  readonly runners: ScenarioRunner[];

  /** `size` runners, each with `depth` requests posted to its worker at a time (ScenarioRunner). */
  constructor(transport: RunnerTransport, size: number, depth = RUNNER_DEPTH) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`RunnerPool: size must be a positive integer (got ${size})`);
    this.runners = Array.from({ length: size }, () => new ScenarioRunner(transport, depth));
  }

  /** workers started so far, by every runner of the pool (tests) */
  get spawned(): number { return this.runners.reduce((n, r) => n + r.spawned, 0); }

  /** Starts every runner's worker now. */
  warm(): void { for (const r of this.runners) r.warm(); }

  async close(): Promise<void> { await Promise.all(this.runners.map(r => r.close())); }

  /** As ScenarioRunner.runAll: the results in order, or the EngineError of the first scenario (in
   *  order) that gave one. Each runner has up to its depth of them posted; scenarios are taken in
   *  order, the first ones spread over the runners (a, c to the first of two; b, d to the second). */
  runAll(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenarios: Scenario[], opts: RunOptions = {}): Promise<RunMany> {
    const depth = Math.max(...this.runners.map(r => r.depth));
    const lanes: ScenarioRunner[] = [];
    for (let d = 0; d < depth; d++) for (const r of this.runners) if (d < r.depth) lanes.push(r);
    return runInLanes(lanes, kernel, learner, scenarios, opts);
  }
}
