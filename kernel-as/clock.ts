// clock.ts: the simulated clock itself, a leaf module every other file may read.
// Models: the timekeeper's notion of "now" (kernel/time/timekeeping.c ktime_get(), the last
//         tick's time that the COARSE clocks publish), not its code.
//
// Time is simulated: ktime advances only by the costs of what tasks do (engine/defaults.ts) and
// by explicit ticks, so every run of a scenario sees the same clock. The log (printk.ts) and the
// trace ring (trace.ts) stamp their lines from here; timekeeping.ts publishes it to the vDSO
// time page. This file imports nothing, so the log can never depend on the datastore.

/** CLOCK_MONOTONIC now (ns since boot). Starts 2 s after boot. */
let ktime_ns: u64 = 2000000000;
/** ktime at the last update_vsyscall(): what the COARSE clocks read. */
let tick_ns: u64 = 0;

/** ktime_get(): CLOCK_MONOTONIC now, in ns. */
// @ts-ignore: decorator
@inline export function ktime_get_ns(): u64 { return ktime_ns; }

/** The time of the last tick (update_vsyscall()). */
// @ts-ignore: decorator
@inline export function ktime_last_tick_ns(): u64 { return tick_ns; }

/** Records that the timekeeper publishes now (the COARSE clocks jump to ktime). */
export function ktime_mark_tick(): void { tick_ns = ktime_ns; }

/** Advances the simulated clock by ns (costs of a fault, a vDSO call, a syscall; a tick). */
// @ts-ignore: decorator
@inline export function ktime_advance(ns: u64): void { ktime_ns += ns; }

/** The clocksource counter a vDSO reader sees (rdtsc): 1 GHz, so cycles are ns. */
// @ts-ignore: decorator
@inline export function read_cycles(): u64 { return ktime_ns; }
