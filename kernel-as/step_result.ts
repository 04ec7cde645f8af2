// step_result.ts: what the last step returned, for the host to read (index.ts res_* exports).
// Not a Linux concept: it is the model's "registers after the syscall".

export let res_ret: i64 = 0;
/** positive errno, 0 for none */
export let res_errno: i32 = 0;
/** signal delivered (SIGBUS 7, SIGSEGV 11), 0 for none */
export let res_signal: i32 = 0;
/** the signal's si_code (BUS_ADRERR, BUS_MCEERR_AR, SEGV_MAPERR, ...), 0 for none */
export let res_si_code: i32 = 0;
export let res_value: u64 = 0;
export let res_has_value: bool = false;
/** PK_* of the page read, -1 for none */
export let res_page: i32 = -1;
/** -1 unknown, 0 wrong, 1 right */
export let res_correct: i32 = -1;
export let res_calls: u64 = 0;
export let res_lat_max: u64 = 0;
export let res_lat_total: u64 = 0;
export let res_rss_kb: u64 = 0;
export let res_locked_kb: u64 = 0;
export let res_vm_flags: u64 = 0;

/** Clears the record; called at the start of every step. */
export function reset_result(): void {
  res_ret = 0; res_errno = 0; res_signal = 0; res_si_code = 0; res_value = 0; res_has_value = false;
  res_page = -1; res_correct = -1; res_calls = 0; res_lat_max = 0; res_lat_total = 0;
  res_rss_kb = 0; res_locked_kb = 0; res_vm_flags = 0;
}

/** A syscall's return: >= 0 is the value, < 0 is -errno. */
export function set_ret(r: i64): void {
  if (r < 0) { res_ret = -1; res_errno = <i32>(-r); } else { res_ret = r; res_errno = 0; }
}
/** The task died of a signal: no return value, no errno. */
export function set_killed(): void { res_ret = -1; res_errno = 0; }
export function set_signal(sig: i32, si_code: i32): void { res_signal = sig; res_si_code = si_code; }
export function set_value(v: u64, pagekind: i32): void { res_value = v; res_has_value = true; res_page = pagekind; }
export function set_correct(ok: bool): void { res_correct = ok ? 1 : 0; }
export function set_calls(calls: u64, lat_max: u64, lat_total: u64): void {
  res_calls = calls; res_lat_max = lat_max; res_lat_total = lat_total;
}
export function set_smaps(flags: u64, rss_kb: u64, locked_kb: u64): void {
  res_vm_flags = flags; res_rss_kb = rss_kb; res_locked_kb = locked_kb;
}
