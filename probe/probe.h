/* probe.h: the declarations the probe's files share.
 *
 * The probe (`prefault probe` builds and runs it) observes how the running Linux kernel treats the
 * vDSO data pages ([vvar]): which pages fault, which raise SIGBUS, what mlockall(), madvise(),
 * remote reads, fork, exec and time namespaces do to them, and what one fault costs. Each
 * observation runs in a fresh child process, with every mapping but [vvar] touched first, and
 * counts page faults with getrusage(RUSAGE_SELF).ru_minflt. Output: one JSON object per line.
 * Plain libc and Linux system calls; see docs/probe.md for what each observation means.
 */
#ifndef PREFAULT_PROBE_H
#define PREFAULT_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/time.h>
#include <sys/types.h>

#define PROBE_FORMAT 1
#define MAX_VVAR_PAGES 16

/* ---- the architecture table (main.c) ---------------------------------------------------- */
struct arch_info {
	const char *name;            /* uname -m */
	const char *sym_gettime;     /* the vDSO's clock_gettime, gettimeofday, time, clock_getres, getrandom */
	const char *sym_gettimeofday;
	const char *sym_time;        /* NULL: this vDSO has no time() */
	const char *sym_getres;
	const char *sym_getrandom;
	int arch_data;               /* CONFIG_ARCH_HAS_VDSO_ARCH_DATA on this arch */
};
extern const struct arch_info *arch;

/* ---- JSON lines (json.c) -------------------------------------------------------------------- */
struct jb { char buf[8192]; size_t n; int fields; };
void jb_begin(struct jb *j);
void jb_str(struct jb *j, const char *key, const char *val);   /* val NULL: null */
void jb_int(struct jb *j, const char *key, long long val);
void jb_bool(struct jb *j, const char *key, int val);
void jb_raw(struct jb *j, const char *key, const char *json);
void jb_end(struct jb *j);                                      /* closes the object, adds '\n' */
const char *errno_name(int e);                                  /* "EINVAL"; NULL for 0 */

/* ---- the vDSO (vdso.c) ---------------------------------------------------------------------- */
typedef int (*vdso_gettime_t)(clockid_t, struct timespec *);
typedef int (*vdso_gettimeofday_t)(struct timeval *, void *);
typedef time_t (*vdso_time_t)(time_t *);
typedef long (*vdso_getrandom_t)(void *, size_t, unsigned int, void *, size_t);
extern vdso_gettime_t vdso_gettime;
extern vdso_gettimeofday_t vdso_gettimeofday;
extern vdso_time_t vdso_time;
extern vdso_gettime_t vdso_getres;
extern vdso_getrandom_t vdso_getrandom;
/* Finds the vDSO functions of `arch` in the image at getauxval(AT_SYSINFO_EHDR). 0 or -1. */
int vdso_init(void);
/* The names of the vDSO's exported functions, as a JSON array. */
const char *vdso_symbols_json(void);

/* ---- memory: maps, warm-up, fault counting, guarded reads (mem.c) --------------------------- */
struct region { uintptr_t start, end; int readable, writable; char name[32]; };
extern struct region regions[];
extern int nregions;
extern uintptr_t vvar_base;      /* [vvar] */
extern int vvar_pages;
/* Reads /proc/self/maps into regions[]. 0, or -1 when there is no [vvar]. */
int maps_load(void);
/* Touches every page of every mapping except [vvar] ([vvar_vclock] under a SIGBUS guard), and
 * every function the observations call, so that afterwards only [vvar] can fault. */
void warm(void);
long minflt(void);
/* Reads one word at pgoff/offset of [vvar]. Returns the ru_minflt delta; *sig is the SIGBUS
 * si_code (1 BUS_ADRERR ...) or 0; *word the value read. */
long vvar_read(int pgoff, size_t offset, uint32_t *word, int *sig);
/* What reading pgoff returned: "timens", "time", "rng", "zero" (only when it did not SIGBUS). */
const char *vvar_page_kind(int pgoff);
/* Which [vvar] pages are present, as 'P'/'-' per pgoff, found by reading them from the last to
 * the first (so a time namespace's pgoff 0 fault does not map pgoff 1 before it is looked at). */
void vvar_ptes(char *out);
/* smaps of [vvar]: VmFlags line (without "VmFlags: "), Rss and Locked in kB. 0 or -1. */
int smaps_vvar(const char *which, char *flags, size_t n, long *rss_kb, long *locked_kb);
/* CLOCK_MONOTONIC through the system call (never the vDSO), in ns. */
long long sys_mono_ns(void);
long long sys_clock_ns(clockid_t c);
/* The vDSO clock_gettime; returns its minflt delta. */
long vdso_call_faults(clockid_t c);

/* ---- observations ----------------------------------------------------------------------------- */
/* One observation: runs in a fresh, warmed child and adds its fields to `out`. It may call
 * obs_skip() (not observable here, with the reason) instead. */
typedef void (*obs_fn)(struct jb *out, int arg);
void obs_skip(struct jb *out, const char *reason);
int have_cap_sys_admin(void);

void obs_layout(struct jb *o, int arg);
void obs_vmflags(struct jb *o, int arg);
void obs_smaps_after_call(struct jb *o, int arg);
void obs_read(struct jb *o, int pgoff);
void obs_clock(struct jb *o, int clock);
void obs_gettimeofday(struct jb *o, int arg);
void obs_time(struct jb *o, int arg);
void obs_getres(struct jb *o, int arg);
void obs_getrandom(struct jb *o, int arg);
void obs_mlockall(struct jb *o, int flags);
void obs_mlock(struct jb *o, int arg);
void obs_madvise(struct jb *o, int advice);
void obs_remote(struct jb *o, int how);
void obs_fork(struct jb *o, int parent_touched);
void obs_vfork_exec(struct jb *o, int arg);
void obs_timens(struct jb *o, int which);
int exec_child_main(int fd);     /* the image vfork+exec starts: reports its first-call faults */

/* remote read kinds (obs_remote's arg): via | target */
enum { VIA_PROC_MEM = 0, VIA_PROCESS_VM_READV = 1, VIA_PTRACE_PEEKDATA = 2 };
enum { TARGET_CHILD_TOUCHED = 0, TARGET_CHILD_UNTOUCHED = 4, TARGET_SELF_TOUCHED = 8, TARGET_SELF_UNTOUCHED = 12 };

/* time namespace observations (obs_timens's arg) */
enum { TN_UNSHARE, TN_OFFSETS_BEFORE, TN_OFFSETS_AFTER, TN_CHILD_LAYOUT, TN_CHILD_FIRST_CALL,
       TN_CHILD_PGOFF1_FIRST, TN_CHILD_OFFSETS, TN_CHILD_MLOCKALL, TN_CHILD_GETRANDOM,
       TN_SETNS_OTHER, TN_SETNS_SAME, TN_FORK_NEW_NS };

/* the cost of one fault (cost.c): runs in the parent, forks `samples` children */
void measure_cost(struct jb *o, int samples);

#endif
