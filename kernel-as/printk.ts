// printk.ts: the kernel log (dmesg), a byte buffer in kernel memory that the host reads.
// Models: kernel/printk/printk.c, include/asm-generic/bug.h (WARN/BUG splat lines).
//
// Lines are ASCII, '\n'-terminated, prefixed "[    s.uuuuuu] " with *simulated* time, so a run
// prints the same log every time. No allocation: strings are copied from static data.
// When the buffer is full, later lines are dropped and counted ("printk: N messages suppressed").

import { ktime_get_ns } from "./clock";

// @ts-ignore: decorator
@inline const LOG_BUF_LEN: usize = 65536;
const log_buf: usize = memory.data(<i32>LOG_BUF_LEN, 16);
let log_len: usize = 0;
let line_start: usize = 0;
let dropping: bool = false;
let suppressed: u32 = 0;

/** Start of the log buffer and its length, for the host (index.ts dmesg_ptr/dmesg_len). */
export function log_buf_ptr(): usize { return log_buf; }
export function log_buf_len(): usize { return log_len; }

/** Begins a line with the timestamp. Always pair with pr_end(). */
export function pr_begin(): void {
  line_start = log_len;
  dropping = log_len + 512 > LOG_BUF_LEN;
  if (dropping) { suppressed++; return; }
  const ns = ktime_get_ns();
  pr_c(0x5b); // [
  pr_pad(<u64>(ns / 1000000000), 5, 0x20);
  pr_c(0x2e);
  pr_pad(<u64>((ns % 1000000000) / 1000), 6, 0x30);
  pr_str("] ");
}

/** Ends the current line. */
export function pr_end(): void {
  if (dropping) return;
  pr_c(0x0a);
}

/** Offset of the current line's first byte (for the oops message). */
export function pr_line_start(): usize { return line_start; }

export function pr_str(s: string): void {
  if (dropping) return;
  const n = s.length;
  for (let i = 0; i < n; i++) pr_c(<u8>s.charCodeAt(i));
}

export function pr_u64(v: u64): void {
  if (dropping) return;
  if (v == 0) { pr_c(0x30); return; }
  let digits: u64 = 1;
  while (v / digits >= 10) digits *= 10;
  while (digits > 0) { pr_c(<u8>(0x30 + (v / digits) % 10)); digits /= 10; }
}

export function pr_i64(v: i64): void {
  if (v < 0) { pr_str("-"); pr_u64(<u64>(-v)); } else pr_u64(<u64>v);
}

/** v in hex, zero-padded to `width` digits, without 0x. */
export function pr_hex(v: u64, width: i32): void {
  if (dropping) return;
  let n = 1;
  while (n < 16 && (v >> (<u64>n * 4)) != 0) n++;
  if (n < width) n = width;
  for (let i = n - 1; i >= 0; i--) {
    const d = <u8>((v >> (<u64>i * 4)) & 0xf);
    pr_c(d < 10 ? 0x30 + d : 0x57 + d);
  }
}

function pr_pad(v: u64, width: i32, pad: u8): void {
  let n = 1; let d: u64 = 10;
  while (v >= d && n < 20) { n++; d *= 10; }
  for (let i = n; i < width; i++) pr_c(pad);
  pr_u64(v);
}

// @ts-ignore: decorator
@inline function pr_c(c: u8): void {
  if (log_len < LOG_BUF_LEN) { store<u8>(log_buf + log_len, c); log_len++; }
}

/** One whole line: the common case. */
export function printk(s: string): void { pr_begin(); pr_str(s); pr_end(); }

/** Writes the "messages suppressed" line if any were dropped; called by the host at the end. */
export function printk_flush_suppressed(): void {
  if (suppressed == 0) return;
  const n = suppressed; suppressed = 0;
  if (log_len + 64 > LOG_BUF_LEN) log_len = LOG_BUF_LEN - 64;
  dropping = false;
  pr_str("printk: "); pr_u64(n); pr_str(" messages suppressed"); pr_c(0x0a);
}
