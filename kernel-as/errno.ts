// errno.ts: error numbers and signal numbers (plain constants; no imports).
// Models: include/uapi/asm-generic/errno-base.h, errno.h, asm-generic/signal.h.

// @ts-ignore: decorator
@inline export const EPERM: i32 = 1;
// @ts-ignore: decorator
@inline export const ESRCH: i32 = 3;
// @ts-ignore: decorator
@inline export const EIO: i32 = 5;
// @ts-ignore: decorator
@inline export const EAGAIN: i32 = 11;
// @ts-ignore: decorator
@inline export const ENOMEM: i32 = 12;
// @ts-ignore: decorator
@inline export const EACCES: i32 = 13;
// @ts-ignore: decorator
@inline export const EFAULT: i32 = 14;
// @ts-ignore: decorator
@inline export const EBUSY: i32 = 16;
// @ts-ignore: decorator
@inline export const EEXIST: i32 = 17;
// @ts-ignore: decorator
@inline export const EINVAL: i32 = 22;
// @ts-ignore: decorator
@inline export const EINTR: i32 = 4;
// @ts-ignore: decorator
@inline export const EUSERS: i32 = 87;
// @ts-ignore: decorator
@inline export const EHWPOISON: i32 = 133;


// signals (asm-generic/signal.h)
// @ts-ignore: decorator
@inline export const SIGBUS: i32 = 7;
// @ts-ignore: decorator
@inline export const SIGSEGV: i32 = 11;
