// vdso_user.ts: the user side: a task's own loads from [vvar], and the vDSO functions.
// Models: arch/x86/mm/fault.c (do_user_addr_fault: the exception, SIGBUS/SIGSEGV),
//         lib/vdso/gettimeofday.c (do_hres, do_hres_timens, do_coarse, do_coarse_timens,
//         __cvdso_clock_gettime_common), include/vdso/helpers.h (vdso_read_begin[_timens]),
//         lib/vdso/getrandom.c (the rng page check).
//
// Which [vvar] pages a vDSO call loads (docs/kernel-facts.md §3.7):
//   clock_gettime HRES/RAW/COARSE   page 0; if that is a namespace page (seq odd, clock_mode
//                                   TIMENS), page 1 for the real data + page 0's offset[clk]
//   CPUTIME and ALARM clocks        none: the vDSO always uses the syscall
//   getrandom                       page 2 (independent of namespaces)
// clock_mode NONE on the data page (e.g. a zero page) makes HRES clocks use the syscall:
// right but slow. COARSE clocks do no such check, so a zero page there reads time 0: wrong.
// Loops run here, in wasm: a million calls is one host call.

import { task_struct, VM_READ, PAGE_SHIFT, FAULT_FLAG_USER, FAULT_FLAG_ALLOW_RETRY, FAULT_FLAG_KILLABLE,
         FAULT_FLAG_TRIED, VM_FAULT_ERROR, VM_FAULT_SIGBUS, VM_FAULT_SIGSEGV, VM_FAULT_OOM, VM_FAULT_RETRY,
         VM_FAULT_HWPOISON, VM_FAULT_HWPOISON_LARGE, PK_RNG } from "./mm_types";
import { current } from "./sched";
import { find_vma, mmput } from "./mmap";
import { handle_mm_fault, pte_offset_map, pte_present, pte_page_data, pte_page_kind } from "./memory";
import { REFAULT_LIMIT } from "./gup";
import { die, BUG } from "./bug";
import { pr_begin, pr_end, pr_str, pr_u64, pr_hex, printk } from "./printk";
import { SIGBUS, SIGSEGV, BUS_ADRERR, BUS_MCEERR_AR, SEGV_MAPERR } from "./errno";
import { CONFIG_GENERIC_GETTIMEOFDAY_y, CONFIG_VDSO_GETRANDOM_y, CONFIG_TIME_NS_y, cost_fault_exception_ns,
         cost_vdso_call_ns, cost_syscall_ns } from "./config";
import { ktime_get_ns, ktime_advance, read_cycles } from "./clock";
import { clock_truth_ns, CS_HRES_COARSE, CS_RAW, VC_SEQ, VC_CLOCK_MODE,
         VC_CYCLE_LAST, VC_MASK, VC_MULT, VC_SHIFT, VC_BASETIME, VDSO_CLOCKMODE_NONE, VDSO_CLOCKMODE_TIMENS,
         CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
         CLOCK_MONOTONIC_COARSE } from "./timekeeping";
import { RNG_IS_READY } from "./datastore_pages";
import { VVAR_BASE } from "./mm_types";
import { trace_event, trace_event_at, TR_FAULT, TR_SIGBUS, TR_VDSO_CALL, TR_SYSCALL_FALLBACK, TD_NONE, TD_SIGSEGV,
         TD_REFAULT_LOOP, TD_FAILED, TD_FAULT_OOM, TD_HWPOISON, TD_RETRY_LOOP, TD_UNEXPECTED_FAULT_CODE } from "./trace";
import { set_signal, set_value, set_correct, set_calls, set_ret, set_killed } from "./step_result";

/** do_exit() after a fatal signal: the task dies and its mm goes. */
function do_exit(t: task_struct): void {
  t.alive = 0;
  const mm = t.mm;
  if (mm !== null) { t.mm = null; mmput(mm); }
}

/** force_sig_fault(): SIGBUS or SIGSEGV with `si_code` for t (current); the default action kills
 *  it. `detail` is the trace detail of the signal event (TD_HWPOISON for BUS_MCEERR_AR). */
function force_sig_fault(t: task_struct, sig: i32, si_code: i32, pgoff: i32, detail: u32): void {
  if (sig == SIGBUS) t.c.sigbus++;
  else {
    // show_signal_msg() (show_unhandled_signals is on by default)
    pr_begin(); pr_str("prefault-"); pr_u64(t.pid); pr_str("["); pr_u64(t.pid); pr_str("]: segfault at ");
    pr_hex(VVAR_BASE + (<u64>pgoff << PAGE_SHIFT), 1); pr_str(" error 4 in [vvar]"); pr_end();
  }
  trace_event(t.pid, TR_SIGBUS, pgoff, -1, sig == SIGSEGV ? TD_SIGSEGV : detail, 0);
  set_signal(sig, si_code);
  do_exit(t);
}

/** do_sigbus(): SIGBUS for a failed fault. A poisoned page is BUS_MCEERR_AR with the MCE line
 *  in dmesg; anything else BUS_ADRERR. */
function do_sigbus(t: task_struct, pgoff: i32, fault: u32): void {
  if (fault & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) {
    pr_begin(); pr_str("MCE: Killing prefault-"); pr_u64(t.pid); pr_str(":"); pr_u64(t.pid);
    pr_str(" due to hardware memory corruption fault at "); pr_hex(VVAR_BASE + (<u64>pgoff << PAGE_SHIFT), 1); pr_end();
    force_sig_fault(t, SIGBUS, BUS_MCEERR_AR, pgoff, TD_HWPOISON);     // force_sig_mceerr()
    return;
  }
  force_sig_fault(t, SIGBUS, BUS_ADRERR, pgoff, TD_NONE);
}

/** A load by current from [vvar] page pgoff. Returns the PTE once present (taking page-fault
 *  exceptions, ~20 us each, as needed), or 0 when the task got SIGBUS/SIGSEGV and died.
 *
 *  do_user_addr_fault() and mm_fault_error() as x86 does them: VM_FAULT_RETRY retries inside
 *  the same exception; then an error goes, in this order, OOM -> pagefault_out_of_memory() and
 *  back to user space, which faults again; SIGBUS or HWPOISON -> do_sigbus(); SIGSEGV ->
 *  bad_area_nosemaphore(); anything else (VM_FAULT_FALLBACK) -> BUG(). Where Linux would loop
 *  for ever (NOPAGE without a PTE, OOM without an OOM kill, RETRY for ever) the model stops
 *  after REFAULT_LIMIT tries and says so in dmesg. */
export function user_touch(pgoff: u32): u32 {
  const t = current;
  const mm = t.mm;
  if (mm === null) return 0;
  const addr = VVAR_BASE + (<u64>pgoff << PAGE_SHIFT);
  const ptep = pte_offset_map(mm, addr);
  if (ptep != 0) {
    const pte = load<u32>(ptep);
    if (pte_present(pte)) return pte;
  }
  let last: u32 = 0;
  for (let tries: u32 = 0; tries < REFAULT_LIMIT; tries++) {
    // do_user_addr_fault(): the exception costs fault_exception_ns, charged after the handler ran
    t.c.faults++;
    const t0 = ktime_get_ns();
    const vma = find_vma(mm, addr);
    if (vma === null || !(vma.vm_flags & VM_READ) || ptep == 0) {
      ktime_advance(cost_fault_exception_ns);
      trace_event_at(t0, t.pid, TR_FAULT, <i32>pgoff, -1, TD_FAILED, cost_fault_exception_ns);
      force_sig_fault(t, SIGSEGV, SEGV_MAPERR, <i32>pgoff, TD_NONE);    // bad_area()
      return 0;
    }
    let ret = handle_mm_fault(vma, addr, FAULT_FLAG_USER | FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE);
    for (let retries: u32 = 0; (ret & VM_FAULT_RETRY) && !(ret & VM_FAULT_ERROR); retries++) {
      if (retries >= REFAULT_LIMIT) {
        printk("the model stops here; Linux would retry this fault for ever (the handler returns VM_FAULT_RETRY every time)");
        die("retry loop", "do_user_addr_fault",
            "vvar_fault() keeps returning VM_FAULT_RETRY: the page fault is retried for ever", TD_RETRY_LOOP);
      }
      ret = handle_mm_fault(vma, addr, FAULT_FLAG_USER | FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE | FAULT_FLAG_TRIED);
    }
    last = ret;
    ktime_advance(cost_fault_exception_ns);
    const pte = load<u32>(ptep);
    const detail = (ret & VM_FAULT_OOM) ? TD_FAULT_OOM : (ret & VM_FAULT_ERROR) ? TD_FAILED : TD_NONE;
    trace_event_at(t0, t.pid, TR_FAULT, <i32>pgoff, pte_present(pte) ? pte_page_kind(pte) : -1, detail,
                   ktime_get_ns() - t0);
    if (ret & VM_FAULT_ERROR) {
      if (ret & VM_FAULT_OOM) {
        // pagefault_out_of_memory(): no OOM kill from #PF; back to user space, which faults again
        printk("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF");
        continue;
      }
      if (ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) { do_sigbus(t, <i32>pgoff, ret); return 0; }
      if (ret & VM_FAULT_SIGSEGV) { force_sig_fault(t, SIGSEGV, SEGV_MAPERR, <i32>pgoff, TD_NONE); return 0; }  // bad_area_nosemaphore()
      BUG("arch/x86/mm/fault.c:1484", "do_user_addr_fault",
          "vvar_fault() returned VM_FAULT_FALLBACK: none of OOM, SIGBUS, HWPOISON, SIGSEGV, so mm_fault_error() has nothing to do but BUG()",
          TD_UNEXPECTED_FAULT_CODE);
    }
    if (pte_present(pte)) return pte;
  }
  if (last & VM_FAULT_OOM) {
    printk("the model stops here; Linux would retry this fault for ever (VM_FAULT_OOM with no task to kill: each retry faults again)");
    die("OOM fault loop", "do_user_addr_fault",
        "vvar_fault() keeps returning VM_FAULT_OOM: pagefault_out_of_memory() only retries, so the task would fault for ever",
        TD_FAULT_OOM);
  }
  printk("the model stops here; Linux would take this page fault again for ever");
  die("refault loop", "do_user_addr_fault",
      "vvar_fault() returned VM_FAULT_NOPAGE without mapping the page: the task would fault on it for ever",
      TD_REFAULT_LOOP);
  return 0;
}

/** Whether clk is served by the vDSO at all (VDSO_HRES | VDSO_COARSE | VDSO_RAW). */
function vdso_clockid_served(clk: u32): bool {
  return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_BOOTTIME || clk == CLOCK_TAI ||
         clk == CLOCK_MONOTONIC_RAW || clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE;
}

// @ts-ignore: decorator
@inline function is_coarse(clk: u32): bool { return clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE; }

// vdso_calc_ns() + the seconds of basetime[clk]: the time a data page says, in ns
// @ts-ignore: decorator
@inline function vdso_time_ns(vc: usize, clk: u32, coarse: bool): u64 {
  const bt = vc + VC_BASETIME + <usize>clk * 16;
  const sec = load<u64>(bt);
  if (coarse) return sec * 1000000000 + load<u64>(bt + 8);
  const delta = (read_cycles() - load<u64>(vc + VC_CYCLE_LAST)) & load<u64>(vc + VC_MASK);
  const ns = (load<u64>(bt + 8) + delta * <u64>load<u32>(vc + VC_MULT)) >> <u64>load<u32>(vc + VC_SHIFT);
  return sec * 1000000000 + ns;
}

// offset[clk] of a namespace page, in ns
// @ts-ignore: decorator
@inline function timens_offset_ns(vc: usize, clk: u32): i64 {
  const p = vc + VC_BASETIME + <usize>clk * 16;
  return load<i64>(p) * 1000000000 + <i64>load<u64>(p + 8);
}

// the vDSO's answer for clk, or FALLBACK when it must use the syscall; DIED when a load killed
// the task
// @ts-ignore: decorator
@inline const FALLBACK: u64 = 0xffffffffffffffff;
// @ts-ignore: decorator
@inline const DIED: u64 = 0xfffffffffffffffe;

// The PTE of pgoff, taking the fault path only when it is not present (the hot loop's fast path).
// @ts-ignore: decorator
@inline function vvar_pte(ptep: usize, pgoff: u32): u32 {
  const pte = ptep != 0 ? load<u32>(ptep) : 0;
  return pte_present(pte) ? pte : user_touch(pgoff);
}

function cvdso_clock_gettime(clk: u32, coarse: bool, base: usize, ptep0: usize, ptep1: usize): u64 {
  const pte0 = vvar_pte(ptep0, 0);
  if (pte0 == 0) return DIED;
  const vc = pte_page_data(pte0) + base;
  const seq = load<u32>(vc + VC_SEQ);
  const mode = load<i32>(vc + VC_CLOCK_MODE);
  if ((seq & 1) != 0) {
    if (!(CONFIG_TIME_NS_y && mode == VDSO_CLOCKMODE_TIMENS)) return FALLBACK; // would spin: no writer
    // do_hres_timens / do_coarse_timens: real data on page 1, offset from page 0
    const pte1 = vvar_pte(ptep1, 1);
    if (pte1 == 0) return DIED;
    const rvc = pte_page_data(pte1) + base;
    if ((load<u32>(rvc + VC_SEQ) & 1) != 0) return FALLBACK;
    if (!coarse && load<i32>(rvc + VC_CLOCK_MODE) == VDSO_CLOCKMODE_NONE) return FALLBACK;
    return <u64>(<i64>vdso_time_ns(rvc, clk, coarse) + timens_offset_ns(vc, clk));
  }
  if (!coarse && mode == VDSO_CLOCKMODE_NONE) return FALLBACK;   // !vdso_clocksource_ok()
  return vdso_time_ns(vc, clk, coarse);
}

/** clock_gettime(clk) through the vDSO, `repeat` times, by current. Fills the step result:
 *  calls made, latency max/total, the last value, whether every value was right. Stops early
 *  if a load kills the task. */
export function vdso_clock_gettime(clk: u32, repeat: u64): void {
  const t = current;
  const mono = t.time_ns.monotonic_ns, boot = t.time_ns.boottime_ns;
  const served = CONFIG_GENERIC_GETTIMEOFDAY_y && vdso_clockid_served(clk);
  const coarse = is_coarse(clk);
  const base: usize = clk == CLOCK_MONOTONIC_RAW ? CS_RAW : CS_HRES_COARSE;
  const mm = t.mm;
  const ptep0 = mm === null ? <usize>0 : pte_offset_map(mm, VVAR_BASE);
  const ptep1 = mm === null ? <usize>0 : pte_offset_map(mm, VVAR_BASE + (1 << PAGE_SHIFT));
  let calls: u64 = 0, lat_max: u64 = 0, lat_total: u64 = 0, value: u64 = 0;
  let all_right = true;
  let traced_fallback = false;
  for (let i: u64 = 0; i < repeat; i++) {
    if (!t.alive) break;
    const t0 = ktime_get_ns();
    const f0 = t.c.faults;
    let v: u64 = served ? cvdso_clock_gettime(clk, coarse, base, ptep0, ptep1) : FALLBACK;
    if (v == DIED) { calls++; break; }
    const truth = clock_truth_ns(clk, mono, boot);
    let fell_back = false;
    if (v == FALLBACK) {
      fell_back = true;
      v = truth;
      t.c.syscall_fallbacks++;
      ktime_advance(cost_syscall_ns);
    } else if (v != truth) {
      all_right = false;
    }
    ktime_advance(cost_vdso_call_ns);
    const lat = ktime_get_ns() - t0;
    calls++;
    lat_total += lat;
    if (lat > lat_max) lat_max = lat;
    value = v;
    if (i == 0 || t.c.faults != f0 || (fell_back && !traced_fallback)) {
      if (fell_back && !traced_fallback) {
        trace_event(t.pid, TR_SYSCALL_FALLBACK, -1, -1, TD_NONE, cost_syscall_ns);
        traced_fallback = true;
      }
      trace_event_at(t0, t.pid, TR_VDSO_CALL, -1, -1, TD_NONE, lat);
    }
  }
  if (t.alive) set_ret(0); else set_killed();
  if (calls > 0 && t.alive) set_value(value, -1);
  set_correct(all_right && t.alive);
  set_calls(calls, lat_max, lat_total);
}

/** getrandom() through the vDSO, `repeat` times: loads the rng page (pgoff 2) and uses the
 *  syscall when it is not ready. Without CONFIG_VDSO_GETRANDOM libc uses the syscall (counted
 *  as a fallback, and correct). With it, a fallback means the rng page was not the rng data:
 *  correct is false (what the "getrandom timens" selftest checks). */
export function vdso_getrandom(repeat: u64): void {
  const t = current;
  let calls: u64 = 0, lat_max: u64 = 0, lat_total: u64 = 0;
  let all_right = true;
  for (let i: u64 = 0; i < repeat; i++) {
    if (!t.alive) break;
    const t0 = ktime_get_ns();
    const f0 = t.c.faults;
    let fell_back = !CONFIG_VDSO_GETRANDOM_y;
    if (!fell_back) {
      const pte2 = user_touch(2);
      if (pte2 == 0) { calls++; break; }
      if (load<u8>(pte_page_data(pte2) + RNG_IS_READY) == 0) { fell_back = true; all_right = false; }
      else if (pte_page_kind(pte2) != PK_RNG) all_right = false;
    }
    if (fell_back) { t.c.syscall_fallbacks++; ktime_advance(cost_syscall_ns); }
    ktime_advance(cost_vdso_call_ns);
    const lat = ktime_get_ns() - t0;
    calls++;
    lat_total += lat;
    if (lat > lat_max) lat_max = lat;
    if (i == 0 || t.c.faults != f0) trace_event_at(t0, t.pid, TR_VDSO_CALL, 2, -1, TD_NONE, lat);
  }
  if (t.alive) set_ret(0); else set_killed();
  set_correct(all_right && t.alive);
  set_calls(calls, lat_max, lat_total);
}

/** A direct 8-byte load by current from [vvar] page pgoff at offset (e.g. e1: reading pgoff 1
 *  in the root namespace). Sets the value and page kind, or the signal that killed the task. */
export function user_read(pgoff: u32, offset: u32): void {
  const pte = user_touch(pgoff);
  if (pte == 0) { set_killed(); return; }
  const off = <usize>(offset & 0xff8);
  set_ret(0);
  set_value(load<u64>(pte_page_data(pte) + off), pte_page_kind(pte));
}
