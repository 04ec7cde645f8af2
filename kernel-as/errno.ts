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

// si_code of a fault signal (include/uapi/asm-generic/siginfo.h): why it was sent
// @ts-ignore: decorator
@inline export const BUS_ADRERR: i32 = 2;      // SIGBUS: a fault the handler could not serve (VM_FAULT_SIGBUS)
// @ts-ignore: decorator
@inline export const BUS_MCEERR_AR: i32 = 4;   // SIGBUS: a poisoned page was accessed (VM_FAULT_HWPOISON)
// @ts-ignore: decorator
@inline export const SEGV_MAPERR: i32 = 1;     // SIGSEGV: no VMA there, or VM_FAULT_SIGSEGV
// @ts-ignore: decorator
@inline export const SEGV_ACCERR: i32 = 2;     // SIGSEGV: the VMA forbids the access
