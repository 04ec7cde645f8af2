/* obs_local.c: what one process sees of its own [vvar]: the layout and flags, a first read of
 * each page, the first vDSO calls, and mlockall()/mlock()/madvise() on the mapping. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include "probe.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static long page_bytes(void) { return sysconf(_SC_PAGESIZE); }

/* the region called name, or NULL */
static const struct region *region_named(const char *name)
{
	for (int i = 0; i < nregions; i++) if (strcmp(regions[i].name, name) == 0) return &regions[i];
	return NULL;
}

void obs_layout(struct jb *o, int arg)
{
	(void)arg;
	long ps = page_bytes();
	const struct region *vv = region_named("[vvar]"), *vc = region_named("[vvar_vclock]"), *vd = region_named("[vdso]");
	jb_int(o, "vvar_pages", vv ? (long long)((vv->end - vv->start) / (uintptr_t)ps) : 0);
	jb_int(o, "vvar_vclock_pages", vc ? (long long)((vc->end - vc->start) / (uintptr_t)ps) : 0);
	jb_int(o, "vdso_pages", vd ? (long long)((vd->end - vd->start) / (uintptr_t)ps) : 0);
	/* the order of the three, by address, and whether they touch */
	char order[96] = "";
	for (int i = 0; i < nregions; i++) {
		const char *n = regions[i].name;
		if (strcmp(n, "[vvar]") && strcmp(n, "[vvar_vclock]") && strcmp(n, "[vdso]")) continue;
		if (order[0]) strcat(order, i > 0 && regions[i - 1].end == regions[i].start ? " " : " ... ");
		strcat(order, n);
	}
	jb_str(o, "order", order);
	jb_int(o, "page_size", ps);
}

void obs_vmflags(struct jb *o, int arg)
{
	(void)arg;
	char f[128];
	long rss, locked;
	if (smaps_vvar("[vvar]", f, sizeof f, &rss, &locked) == 0) jb_str(o, "vm_flags", f);
	else jb_str(o, "vm_flags", NULL);
	jb_int(o, "rss_kb", rss);
	jb_int(o, "locked_kb", locked);
	if (smaps_vvar("[vvar_vclock]", f, sizeof f, &rss, &locked) == 0) jb_str(o, "vvar_vclock_vm_flags", f);
	if (smaps_vvar("[vdso]", f, sizeof f, &rss, &locked) == 0) jb_str(o, "vdso_vm_flags", f);
}

void obs_smaps_after_call(struct jb *o, int arg)
{
	(void)arg;
	jb_int(o, "minflt", vdso_call_faults(CLOCK_MONOTONIC));
	char f[128];
	long rss, locked;
	smaps_vvar("[vvar]", f, sizeof f, &rss, &locked);
	jb_str(o, "vm_flags", f);
	jb_int(o, "rss_kb", rss);
	jb_int(o, "locked_kb", locked);
}

/* a read's outcome: "sigbus", "mapped" (it faulted the page in), "present" (no fault) */
static const char *outcome(long d, int sig) { return sig ? "sigbus" : d ? "mapped" : "present"; }

void obs_read(struct jb *o, int pgoff)
{
	int sig;
	jb_int(o, "pgoff", pgoff);
	if (pgoff >= vvar_pages) { obs_skip(o, "no such page in [vvar]"); return; }
	long d = vvar_read(pgoff, 0, NULL, &sig);
	jb_str(o, "outcome", outcome(d, sig));
	jb_int(o, "minflt", d);
	jb_str(o, "si_code", sig == 0 ? NULL : sig == 1 ? "BUS_ADRALN" : sig == 2 ? "BUS_ADRERR" : sig == 3 ? "BUS_OBJERR" : "other");
	jb_str(o, "page", sig ? NULL : vvar_page_kind(pgoff));
	long d2 = vvar_read(pgoff, 0, NULL, &sig);
	jb_str(o, "second", outcome(d2, sig));
}

static const char *clock_name(int c)
{
	static const char *names[] = { "CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
		"CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
		"CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI" };
	return c >= 0 && c < 12 ? names[c] : "?";
}

void obs_clock(struct jb *o, int clock)
{
	struct timespec ts;
	jb_str(o, "clock", clock_name(clock));
	long before = minflt();
	int ret = vdso_gettime(clock, &ts);
	jb_int(o, "minflt", minflt() - before);
	jb_int(o, "ret", ret);
	before = minflt();
	for (int i = 0; i < 1000; i++) vdso_gettime(clock, &ts);
	jb_int(o, "repeat_minflt", minflt() - before);
	char p[MAX_VVAR_PAGES + 1];
	vvar_ptes(p);
	jb_str(o, "ptes", p);
}

/* shared tail of gettimeofday/time/clock_getres: whether it faults after a clock_gettime ran */
static void after_clock(struct jb *o, long first)
{
	jb_int(o, "minflt", first);
	char p[MAX_VVAR_PAGES + 1];
	vvar_ptes(p);
	jb_str(o, "ptes", p);
}

void obs_gettimeofday(struct jb *o, int arg)
{
	struct timeval tv;
	if (!vdso_gettimeofday) { obs_skip(o, "the vDSO exports no gettimeofday"); return; }
	if (arg) vdso_call_faults(CLOCK_MONOTONIC);
	long before = minflt();
	vdso_gettimeofday(&tv, NULL);
	jb_bool(o, "after_clock_gettime", arg);
	after_clock(o, minflt() - before);
}

void obs_time(struct jb *o, int arg)
{
	if (!vdso_time) { obs_skip(o, "the vDSO exports no time()"); return; }
	if (arg) vdso_call_faults(CLOCK_MONOTONIC);
	long before = minflt();
	vdso_time(NULL);
	jb_bool(o, "after_clock_gettime", arg);
	after_clock(o, minflt() - before);
}

void obs_getres(struct jb *o, int arg)
{
	struct timespec ts;
	if (!vdso_getres) { obs_skip(o, "the vDSO exports no clock_getres"); return; }
	if (arg) vdso_call_faults(CLOCK_MONOTONIC);
	long before = minflt();
	vdso_getres(CLOCK_MONOTONIC, &ts);
	jb_bool(o, "after_clock_gettime", arg);
	after_clock(o, minflt() - before);
}

/* struct vgetrandom_opaque_params (include/uapi/linux/random.h) */
struct vgr_params { uint32_t size_of_opaque_state, mmap_prot, mmap_flags, reserved[13]; };

/* a first real vDSO getrandom call; returns its minflt delta or -1 (reason in *why) */
long getrandom_first(const char **why)
{
	struct vgr_params pr;
	memset(&pr, 0, sizeof pr);
	if (vdso_getrandom(NULL, 0, 0, &pr, ~0UL) != 0 || pr.size_of_opaque_state == 0) { *why = "vgetrandom gave no state parameters"; return -1; }
	size_t len = ((size_t)pr.size_of_opaque_state + (size_t)page_bytes() - 1) & ~((size_t)page_bytes() - 1);
	void *state = mmap(NULL, len, (int)pr.mmap_prot, (int)pr.mmap_flags, -1, 0);
	if (state == MAP_FAILED) { *why = "cannot map a vgetrandom state"; return -1; }
	memset(state, 0, len);              /* present before the call, so only [vvar] can fault */
	unsigned char buf[32];
	memset(buf, 0, sizeof buf);
	long before = minflt();
	long r = vdso_getrandom(buf, sizeof buf, 0, state, pr.size_of_opaque_state);
	long d = minflt() - before;
	if (r != (long)sizeof buf) { *why = "vgetrandom did not fill the buffer"; return -1; }
	return d;
}

void obs_getrandom(struct jb *o, int arg)
{
	(void)arg;
	if (!vdso_getrandom) { obs_skip(o, "the vDSO exports no getrandom (CONFIG_VDSO_GETRANDOM=n or before 6.11)"); return; }
	const char *why = NULL;
	long d = getrandom_first(&why);
	if (d < 0) { obs_skip(o, why); return; }
	jb_int(o, "minflt", d);
	char p[MAX_VVAR_PAGES + 1];
	vvar_ptes(p);
	jb_str(o, "ptes", p);
}

/* mlockall(MCL_CURRENT) as an unprivileged user needs RLIMIT_MEMLOCK for the whole process */
static int raise_memlock(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0) return -1;
	rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_MEMLOCK, &rl);
}

/* the flags as "MCL_CURRENT|MCL_FUTURE" */
static void mcl_names(int flags, char *out)
{
	out[0] = 0;
	if (flags & MCL_CURRENT) strcat(out, "MCL_CURRENT");
	if (flags & MCL_FUTURE) strcat(out, out[0] ? "|MCL_FUTURE" : "MCL_FUTURE");
	if (flags & MCL_ONFAULT) strcat(out, out[0] ? "|MCL_ONFAULT" : "MCL_ONFAULT");
}

/* after an mlock-family call: smaps of [vvar], then whether the next vDSO call still faults */
static void after_lock(struct jb *o)
{
	char f[128];
	long rss, locked;
	smaps_vvar("[vvar]", f, sizeof f, &rss, &locked);
	jb_str(o, "vm_flags", f);
	jb_int(o, "rss_kb", rss);
	jb_int(o, "locked_kb", locked);
	jb_int(o, "next_call_minflt", vdso_call_faults(CLOCK_MONOTONIC));
}

void obs_mlockall(struct jb *o, int flags)
{
	char names[64];
	mcl_names(flags, names);
	jb_str(o, "flags", names);
	raise_memlock();
	int r = mlockall(flags);
	int e = r ? errno : 0;
	if (r && (e == ENOMEM || e == EPERM) && geteuid() != 0) {
		obs_skip(o, "mlockall needs a larger RLIMIT_MEMLOCK for an unprivileged user"); return;
	}
	jb_int(o, "ret", r);
	jb_str(o, "errno", errno_name(e));
	after_lock(o);
}

void obs_mlock(struct jb *o, int arg)
{
	(void)arg;
	raise_memlock();
	int r = mlock((void *)vvar_base, (size_t)vvar_pages * (size_t)page_bytes());
	int e = r ? errno : 0;
	if (r && (e == ENOMEM || e == EPERM) && geteuid() != 0) { obs_skip(o, "mlock needs RLIMIT_MEMLOCK"); return; }
	jb_int(o, "ret", r);
	jb_str(o, "errno", errno_name(e));
	after_lock(o);
}

void obs_madvise(struct jb *o, int advice)
{
	jb_str(o, "advice", advice == MADV_POPULATE_READ ? "MADV_POPULATE_READ" : advice == MADV_WILLNEED ? "MADV_WILLNEED" : "?");
	int r = madvise((void *)vvar_base, (size_t)vvar_pages * (size_t)page_bytes(), advice);
	int e = r ? errno : 0;
	jb_int(o, "ret", r);
	jb_str(o, "errno", errno_name(e));
	after_lock(o);
}
