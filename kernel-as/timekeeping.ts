// timekeeping.ts: the simulated clock and the vDSO time page it keeps up to date.
// Models: kernel/time/timekeeping.c (timekeeping_update -> update_vsyscall),
//         kernel/time/vsyscall.c (update_vdso_time_data), include/vdso/datapage.h.
//
// Time is simulated: ktime advances only by the costs of what tasks do (engine/defaults.ts) and
// by explicit ticks, so every run of a scenario sees the same clock. The "TSC" counts
// nanoseconds since boot, so a vDSO reader turns cycles into ns with mult/shift as Linux does.
//
// struct vdso_time_data on the time page (pgoff 0 of [vvar]; x86 has no arch_data here):
//
//   offset  field
//   ------  -----------------------------------------------------------------
//      0    clock_data[CS_HRES_COARSE]  (struct vdso_clock, 224 bytes)
//    224    clock_data[CS_RAW]          (struct vdso_clock)
//    448    tz { tz_minuteswest, tz_dsttime }
//    456    hrtimer_res
//
//   struct vdso_clock:  0 seq  4 clock_mode  8 cycle_last  16 mask  24 mult  28 shift
//                      32 basetime[VDSO_BASES] (or offset[] on a namespace page): {sec, nsec}
//                         16 bytes per clock id, 12 clock ids

import { vdso_time_data_ptr } from "./datastore_pages";
import { ktime_get_ns, ktime_advance, ktime_last_tick_ns, ktime_mark_tick, read_cycles } from "./clock";
import { CONFIG_GENERIC_GETTIMEOFDAY_y } from "./config";

// @ts-ignore: decorator
@inline export const CS_HRES_COARSE: usize = 0;
// @ts-ignore: decorator
@inline export const CS_RAW: usize = 224;
// @ts-ignore: decorator
@inline export const VC_SEQ: usize = 0;
// @ts-ignore: decorator
@inline export const VC_CLOCK_MODE: usize = 4;
// @ts-ignore: decorator
@inline export const VC_CYCLE_LAST: usize = 8;
// @ts-ignore: decorator
@inline export const VC_MASK: usize = 16;
// @ts-ignore: decorator
@inline export const VC_MULT: usize = 24;
// @ts-ignore: decorator
@inline export const VC_SHIFT: usize = 28;
// @ts-ignore: decorator
@inline export const VC_BASETIME: usize = 32;
// @ts-ignore: decorator
@inline export const VDSO_HRTIMER_RES: usize = 456;

// enum vdso_clock_mode
// @ts-ignore: decorator
@inline export const VDSO_CLOCKMODE_NONE: i32 = 0;
// @ts-ignore: decorator
@inline export const VDSO_CLOCKMODE_TSC: i32 = 1;
// @ts-ignore: decorator
@inline export const VDSO_CLOCKMODE_TIMENS: i32 = 0x7fffffff;

// clock ids (include/uapi/linux/time.h)
// @ts-ignore: decorator
@inline export const CLOCK_REALTIME: u32 = 0;
// @ts-ignore: decorator
@inline export const CLOCK_MONOTONIC: u32 = 1;
// @ts-ignore: decorator
@inline export const CLOCK_PROCESS_CPUTIME_ID: u32 = 2;
// @ts-ignore: decorator
@inline export const CLOCK_THREAD_CPUTIME_ID: u32 = 3;
// @ts-ignore: decorator
@inline export const CLOCK_MONOTONIC_RAW: u32 = 4;
// @ts-ignore: decorator
@inline export const CLOCK_REALTIME_COARSE: u32 = 5;
// @ts-ignore: decorator
@inline export const CLOCK_MONOTONIC_COARSE: u32 = 6;
// @ts-ignore: decorator
@inline export const CLOCK_BOOTTIME: u32 = 7;
// @ts-ignore: decorator
@inline export const CLOCK_REALTIME_ALARM: u32 = 8;
// @ts-ignore: decorator
@inline export const CLOCK_BOOTTIME_ALARM: u32 = 9;
// @ts-ignore: decorator
@inline export const CLOCK_TAI: u32 = 11;

/** The clocksource: 1 GHz, so cycles == ns; mult/shift scale as update_vsyscall() publishes. */
// @ts-ignore: decorator
@inline export const TK_SHIFT: u32 = 8;
// @ts-ignore: decorator
@inline export const TK_MULT: u32 = 1 << TK_SHIFT;

// @ts-ignore: decorator
@inline const NSEC_PER_SEC: u64 = 1000000000;
/** CLOCK_REALTIME at boot: 2026-11-18 00:00:00 UTC. */
// @ts-ignore: decorator
@inline export const REALTIME_AT_BOOT_NS: u64 = 1795478400 * NSEC_PER_SEC;
/** TAI - UTC */
// @ts-ignore: decorator
@inline export const TAI_OFFSET_NS: u64 = 37 * NSEC_PER_SEC;
// @ts-ignore: decorator
@inline export const HRTIMER_RES_NS: u32 = 1;


/** The true value of clock `clk` now, for a task whose namespace adds the given offsets.
 *  The oracle for "correct": vDSO results are compared with it (vdso_user.ts). */
// @ts-ignore: decorator
@inline export function clock_truth_ns(clk: u32, mono_off: i64, boot_off: i64): u64 {
  const ktime_ns = ktime_get_ns(), tick_ns = ktime_last_tick_ns();
  switch (clk) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_ALARM: return REALTIME_AT_BOOT_NS + ktime_ns;
    case CLOCK_REALTIME_COARSE: return REALTIME_AT_BOOT_NS + tick_ns;
    case CLOCK_TAI: return REALTIME_AT_BOOT_NS + TAI_OFFSET_NS + ktime_ns;
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: return <u64>(<i64>ktime_ns + mono_off);
    case CLOCK_MONOTONIC_COARSE: return <u64>(<i64>tick_ns + mono_off);
    case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM: return <u64>(<i64>ktime_ns + boot_off);
    default: return ktime_ns; // CPUTIME clocks: the syscall's own answer
  }
}

// basetime[clk] = {sec, nsec << shift} (nsec unshifted for the COARSE clocks)
function set_base(vc: usize, clk: u32, ns: u64, shifted: bool): void {
  const p = vc + VC_BASETIME + <usize>clk * 16;
  store<u64>(p, ns / NSEC_PER_SEC);
  store<u64>(p + 8, shifted ? (ns % NSEC_PER_SEC) << TK_SHIFT : ns % NSEC_PER_SEC);
}

/** Publishes the timekeeper into the time page under the seqcount, as update_vsyscall() does
 *  (seq odd while writing, even after). Called at boot and by do_tick(). No-op without
 *  CONFIG_GENERIC_GETTIMEOFDAY (the time slot is then an all-zero page). */
export function update_vsyscall(): void {
  ktime_mark_tick();
  const ktime_ns = ktime_get_ns();
  if (!CONFIG_GENERIC_GETTIMEOFDAY_y) return;
  const vd = vdso_time_data_ptr();
  for (let b: usize = 0; b < 2; b++) {
    const vc = vd + (b == 0 ? CS_HRES_COARSE : CS_RAW);
    store<u32>(vc + VC_SEQ, load<u32>(vc + VC_SEQ) + 1);
    store<i32>(vc + VC_CLOCK_MODE, VDSO_CLOCKMODE_TSC);
    store<u64>(vc + VC_CYCLE_LAST, read_cycles());
    store<u64>(vc + VC_MASK, <u64>-1);
    store<u32>(vc + VC_MULT, TK_MULT);
    store<u32>(vc + VC_SHIFT, TK_SHIFT);
    if (b == 0) {
      set_base(vc, CLOCK_REALTIME, REALTIME_AT_BOOT_NS + ktime_ns, true);
      set_base(vc, CLOCK_MONOTONIC, ktime_ns, true);
      set_base(vc, CLOCK_BOOTTIME, ktime_ns, true);
      set_base(vc, CLOCK_TAI, REALTIME_AT_BOOT_NS + TAI_OFFSET_NS + ktime_ns, true);
      set_base(vc, CLOCK_REALTIME_COARSE, REALTIME_AT_BOOT_NS + ktime_ns, false);
      set_base(vc, CLOCK_MONOTONIC_COARSE, ktime_ns, false);
    } else {
      set_base(vc, CLOCK_MONOTONIC_RAW, ktime_ns, true);
    }
    store<u32>(vc + VC_SEQ, load<u32>(vc + VC_SEQ) + 1);
  }
  store<u32>(vd + VDSO_HRTIMER_RES, HRTIMER_RES_NS);
}

/** A timer tick: time passes by ns, then the timekeeper publishes. (scenario op "tick") */
export function do_tick(ns: u64): void {
  ktime_advance(ns);
  update_vsyscall();
}
