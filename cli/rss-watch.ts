// cli/rss-watch.ts: a resident-memory (RSS) cap for the grading pool's submissions.
//
// The grading workers are threads of one process, and Node can cap a thread's V8 heap
// (resourceLimits) but not what it holds outside it: asc's binaryen runs in a Wasm memory of its
// own, and a hostile compile once held 2.5 GB resident under a 2 GB heap cap. No portable API
// gives one thread's RSS, so the cap is monitored: the process's RSS is read every
// RSS_POLL_MS while submissions are in flight, and
//   - one submission in flight: the growth since it started is its own; over `capMb` it is
//     stopped (`over(true)`), and its report says so;
//   - several in flight: their growth cannot be told apart, so when the total growth passes
//     `capMb` for each of them, every one is stopped (`over(false)`) and graded again alone,
//     where the rule above applies. A submission is only ever failed for memory it used alone,
//     so its report does not depend on what else was graded with it.

/** How often the process's RSS is read while submissions are in flight (ms). */
export const RSS_POLL_MS = 50;

interface Entry { rss0: number; over(alone: boolean): void }

export class RssWatch {
  private readonly entries = new Map<number, Entry>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextId = 0;
  private readonly cap: number;

  /** `capMb`: what one submission may add to the process's RSS. `read`: the process's RSS in
   *  bytes (tests pass their own). */
  constructor(capMb: number, private readonly read: () => number = () => process.memoryUsage.rss(),
              private readonly everyMs = RSS_POLL_MS) {
    this.cap = capMb * 1024 * 1024;
  }

  /** Watches a submission that starts now; `over` is called at most once. Returns the function
   *  that stops watching it (when it finishes). */
  add(over: (alone: boolean) => void): () => void {
    const id = this.nextId++;
    this.entries.set(id, { rss0: this.read(), over });
    this.timer ??= setInterval(() => this.tick(), this.everyMs);
    this.timer.unref?.();
    return () => {
      this.entries.delete(id);
      if (this.entries.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; }
    };
  }

  /** One reading, and the verdicts it gives (above). Public for tests. */
  tick(): void {
    const n = this.entries.size;
    if (n === 0) return;
    const rss = this.read();
    const all = [...this.entries.values()];
    const base = Math.min(...all.map(e => e.rss0));
    if (rss - base <= n * this.cap) return;
    this.entries.clear();
    if (this.timer) { clearInterval(this.timer); this.timer = undefined; }
    for (const e of all) e.over(n === 1);
  }
}
