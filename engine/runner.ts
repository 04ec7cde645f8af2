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
import { crashResult, parseWorkerMessage, timeoutMessage, timeoutResult, type RunRequest, type WorkerMessage } from "./runner-protocol.js";
import { SCENARIO_DEADLINE_MS, WALL_CAP } from "./limits.js";

/** One live worker, as a transport gives it to the runner. */
export interface RunnerWorker {
  /** posts a request to the worker */
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

type Live = { worker: RunnerWorker; ready: Promise<void>; listener?: (m: WorkerMessage) => void;
              onExit?: (why: string) => void; dead?: string };
type Attempt = RunOne | { hung: number };

/** A runner owning at most one live worker, kept warm while nothing goes wrong. */
export class ScenarioRunner {
  /** workers started so far (tests) */
  spawned = 0;
  private live: Live | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private transport: RunnerTransport) {}

  /** Runs one scenario. Resolves (never rejects) with its RunResult, which is a "timeout" or
   *  "oops" result when the handler hung or the worker died, or with the worker's EngineError.
   *  One scenario at a time: a call made while another runs waits for it (the worker runs one
   *  request at a time, and its messages are told apart by the request's id). */
  run(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario, opts: RunOptions = {}): Promise<RunOne> {
    const mine = this.queue.then(() => this.runNow(kernel, learner, scenario, opts));
    this.queue = mine.catch(() => undefined);
    return mine;
  }

  private async runNow(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario, opts: RunOptions): Promise<RunOne> {
    const first = await this.attempt(kernel, learner, scenario, opts);
    if (!("hung" in first)) return first;
    return { ok: true, result: await this.recover(kernel, learner, scenario, opts, first.hung) };
  }

  /** Runs `scenarios` in order; the first EngineError (a link error, an internal error) stops
   *  the batch and is returned instead of the results. */
  async runAll(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenarios: Scenario[], opts: RunOptions = {}): Promise<RunMany> {
    const results: RunResult[] = [];
    for (const s of scenarios) {
      const r = await this.run(kernel, learner, s, opts);
      if (!r.ok) return r;
      results.push(r.result);
    }
    return { ok: true, results };
  }

  /** Starts a worker now so that the next run finds it ready; errors are left for that run. */
  warm(): void { this.start().ready.catch(() => undefined); }

  /** Terminates the worker, if any; the next run starts a fresh one. */
  async close(): Promise<void> {
    const l = this.live;
    this.live = undefined;
    l?.worker.terminate();
  }

  // The backstop stopped the worker in step k: the results of steps 0..k-1 died with it. A fresh
  // worker runs the scenario cut after step k-1 and those results go into the timeout result.
  private async recover(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                        opts: RunOptions, step: number): Promise<RunResult> {
    const message = timeoutMessage(opts.deadlineMs ?? SCENARIO_DEADLINE_MS, this.transport.clock, step);
    if (step <= 0 || step >= scenario.steps.length) return timeoutResult(scenario, message, step);
    const prefix = await this.attempt(kernel, learner, { ...scenario, steps: scenario.steps.slice(0, step) }, opts);
    return timeoutResult(scenario, message, step, "hung" in prefix || !prefix.ok ? undefined : prefix.result);
  }

  // the live worker, or a new one (ready once it has posted "ready")
  private start(): Live {
    if (this.live && !this.live.dead) return this.live;
    let readyOk!: () => void, readyFail!: (e: Error) => void;
    const ready = new Promise<void>((ok, fail) => { readyOk = ok; readyFail = fail; });
    const l: Live = { worker: undefined as unknown as RunnerWorker, ready };
    l.worker = this.transport.spawn({
      message: raw => {
        const m = parseWorkerMessage(raw);
        if (typeof m === "string") { l.onExit?.(`the runner worker sent a malformed message (${m})`); return; }
        if (m.type === "ready") { readyOk(); return; }
        l.listener?.(m);
      },
      exit: why => {
        l.dead = why;
        if (this.live === l) this.live = undefined;
        readyFail(new Error(why));
        l.onExit?.(why);
      },
    });
    this.spawned++;
    this.live = l;
    return l;
  }

  private discard(l: Live): void {
    if (this.live === l) this.live = undefined;
    l.dead ??= "stopped";
    l.worker.terminate();
  }

  // one run in the live worker: the RunOne, or the step that was running when the backstop fired
  private async attempt(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenario: Scenario,
                        opts: RunOptions): Promise<Attempt> {
    const ms = opts.deadlineMs ?? SCENARIO_DEADLINE_MS;
    const l = this.start();
    try {
      await l.ready;
    } catch (e) {
      this.discard(l);
      return { ok: false, error: { kind: "internal", message: `cannot start the runner worker: ${(e as Error).message}` } };
    }
    const id = this.nextId++;
    const w = l.worker;
    let clock0: number;
    try { clock0 = await w.clockMs(); } catch { clock0 = 0; }
    return new Promise<Attempt>(resolve => {
      let settled = false, step = -1, timer: ReturnType<typeof setTimeout> | undefined;
      const wall0 = Date.now();
      const done = (r: Attempt, kill: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        l.listener = undefined; l.onExit = undefined;
        w.busy?.(false);
        if (kill) this.discard(l);
        resolve(r);
      };
      l.listener = m => {
        if (m.type === "ready" || m.id !== id) return;
        if (m.type === "step") { step = m.index; return; }
        if (m.type === "result") done({ ok: true, result: m.result }, false);
        else if (m.type === "error") done({ ok: false, error: m.error }, false);
      };
      l.onExit = why => done({ ok: true, result: crashResult(scenario, why, step) }, true);
      // The deadline is on the transport's clock. It is decided in a later task, after the
      // worker's queued "step" messages have been delivered, so the hung step is known.
      const check = async () => {
        let used: number;
        try { used = (await w.clockMs()) - clock0; } catch { used = ms; }
        if (settled) return;
        const wall = Date.now() - wall0;
        if (used >= ms || wall >= ms * WALL_CAP) timer = setTimeout(() => done({ hung: step }, true), 0);
        else timer = setTimeout(() => void check(), Math.max(5, Math.min(ms - used, ms * WALL_CAP - wall)));
      };
      timer = setTimeout(() => void check(), ms);
      w.busy?.(true);
      w.post({ type: "run", id, kernel, learner, scenario, ...(opts.sourceMap !== undefined ? { sourceMap: opts.sourceMap } : {}),
               ...(opts.callSites ? { callSites: true } : {}) });
    });
  }
}

/** Several ScenarioRunners, each with a worker of its own. runAll spreads the scenarios over them
 *  (a free runner takes the next scenario, in order) and gives the results in the scenarios'
 *  order. Each scenario still runs alone, in a fresh kernel and learner instance, under the one
 *  policy above: only the wall time changes, never a result. The browser's Run uses two. */
export class RunnerPool {
  readonly runners: ScenarioRunner[];

  constructor(transport: RunnerTransport, size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`RunnerPool: size must be a positive integer (got ${size})`);
    this.runners = Array.from({ length: size }, () => new ScenarioRunner(transport));
  }

  /** workers started so far, by every runner of the pool (tests) */
  get spawned(): number { return this.runners.reduce((n, r) => n + r.spawned, 0); }

  /** Starts every runner's worker now. */
  warm(): void { for (const r of this.runners) r.warm(); }

  async close(): Promise<void> { await Promise.all(this.runners.map(r => r.close())); }

  /** As ScenarioRunner.runAll: the results in order, or the EngineError of the first scenario (in
   *  order) that gave one. Scenarios are taken in order and none is taken after an error, so every
   *  scenario before the first failing one has run, as in the sequential loop. */
  async runAll(kernel: WebAssembly.Module, learner: WebAssembly.Module, scenarios: Scenario[], opts: RunOptions = {}): Promise<RunMany> {
    const out: (RunOne | undefined)[] = new Array(scenarios.length);
    let next = 0, failed = false;
    await Promise.all(this.runners.map(async r => {
      while (!failed && next < scenarios.length) {
        const i = next++;
        const one = await r.run(kernel, learner, scenarios[i], opts);
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
}
