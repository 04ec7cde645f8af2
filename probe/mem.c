/* mem.c: the process's mappings, the warm-up that leaves [vvar] as the only thing that can
 * fault, fault counting (getrusage ru_minflt), SIGBUS-guarded reads of [vvar] pages, and the
 * smaps lines of a mapping. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "probe.h"

#define MAX_REGIONS 256
struct region regions[MAX_REGIONS];
int nregions;
uintptr_t vvar_base;
int vvar_pages;
static long page_size = 4096;

static char maps_buf[65536];
static char smaps_buf[262144];

/* reads all of path into buf (NUL-terminated); bytes read or -1 */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, size - 1 - n);
		if (r <= 0) break;
		n += (size_t)r;
		if (n >= size - 1) break;
	}
	close(fd);
	buf[n] = 0;
	return (ssize_t)n;
}

int maps_load(void)
{
	page_size = sysconf(_SC_PAGESIZE);
	if (slurp("/proc/self/maps", maps_buf, sizeof maps_buf) < 0) return -1;
	nregions = 0;
	vvar_base = 0;
	for (char *line = maps_buf; *line && nregions < MAX_REGIONS;) {
		char *nl = strchr(line, '\n');
		if (nl) *nl = 0;
		unsigned long s, e;
		char perms[8] = "", name[256] = "";
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255[^\n]", &s, &e, perms, name) >= 3) {
			struct region *r = &regions[nregions++];
			r->start = s; r->end = e;
			r->readable = perms[0] == 'r';
			r->writable = perms[1] == 'w';
			const char *base = strrchr(name, '/');
			snprintf(r->name, sizeof r->name, "%.31s", base ? base + 1 : name);
			if (strcmp(name, "[vvar]") == 0) { vvar_base = s; vvar_pages = (int)((e - s) / (unsigned long)page_size); }
		}
		if (!nl) break;
		line = nl + 1;
	}
	return vvar_base ? 0 : -1;
}

/* ---- SIGBUS guard ---------------------------------------------------------------------------- */
static sigjmp_buf guard_env;
static volatile int guard_armed;
static volatile int guard_code;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)sig; (void)ctx;
	if (!guard_armed) { signal(SIGBUS, SIG_DFL); raise(SIGBUS); return; }
	guard_code = si->si_code;
	siglongjmp(guard_env, 1);
}

static void guard_install(void)
{
	static int done;
	if (done) return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	done = 1;
}

/* reads the u32 at addr; 0, or the SIGBUS si_code */
static int guarded_load(uintptr_t addr, uint32_t *word)
{
	guard_install();
	guard_code = 0;
	if (sigsetjmp(guard_env, 1) == 0) {
		guard_armed = 1;
		*word = *(volatile uint32_t *)addr;
		guard_armed = 0;
		return 0;
	}
	guard_armed = 0;
	return guard_code ? guard_code : -1;
}

long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

long long sys_clock_ns(clockid_t c)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, c, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long sys_mono_ns(void) { return sys_clock_ns(CLOCK_MONOTONIC); }

void warm(void)
{
	volatile char sink = 0;
	uint32_t w;
	for (int i = 0; i < nregions; i++) {
		struct region *r = &regions[i];
		if (r->start == vvar_base || !r->readable || strcmp(r->name, "[vsyscall]") == 0) continue;
		int vclock = strcmp(r->name, "[vvar_vclock]") == 0;
		for (uintptr_t a = r->start; a < r->end; a += (uintptr_t)page_size) {
			if (vclock) { guarded_load(a, &w); continue; }
			volatile char *p = (volatile char *)a;
			if (r->writable) *p = *p; else sink += *p;
		}
	}
	(void)sink;
	/* the calls the observations make, once each, so their code and data are present */
	minflt();
	sys_mono_ns();
	guarded_load((uintptr_t)&w, &w);
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%d", nregions);
}

long vvar_read(int pgoff, size_t offset, uint32_t *word, int *sig)
{
	uint32_t w = 0;
	long before = minflt();
	int code = guarded_load(vvar_base + (uintptr_t)pgoff * (uintptr_t)page_size + offset, &w);
	long d = minflt() - before;
	if (word) *word = w;
	if (sig) *sig = code;
	return d;
}

const char *vvar_page_kind(int pgoff)
{
	uint32_t seq, mode, w;
	int sig;
	vvar_read(pgoff, 0, &seq, &sig);
	if (sig) return NULL;
	vvar_read(pgoff, 4, &mode, &sig);
	/* the namespace page: seq odd forever, clock_mode VDSO_CLOCKMODE_TIMENS (INT_MAX) */
	if (seq == 1 && mode == 0x7fffffffu) return "timens";
	int zero = 1;
	for (size_t off = 0; off < (size_t)page_size && zero; off += 4) {
		vvar_read(pgoff, off, &w, &sig);
		if (w) zero = 0;
	}
	if (zero) return "zero";
	return pgoff == 2 ? "rng" : "time";
}

void vvar_ptes(char *out)
{
	for (int p = vvar_pages - 1; p >= 0; p--) {
		int sig;
		long d = vvar_read(p, 0, NULL, &sig);
		out[p] = (d == 0 && !sig) ? 'P' : '-';
	}
	out[vvar_pages] = 0;
}

long vdso_call_faults(clockid_t c)
{
	struct timespec ts;
	long before = minflt();
	vdso_gettime(c, &ts);
	return minflt() - before;
}

int smaps_vvar(const char *which, char *flags, size_t n, long *rss_kb, long *locked_kb)
{
	if (slurp("/proc/self/smaps", smaps_buf, sizeof smaps_buf) < 0) return -1;
	size_t wl = strlen(which);
	int in = 0, found = 0;
	*rss_kb = *locked_kb = -1;
	flags[0] = 0;
	for (char *line = smaps_buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl) *nl = 0;
		size_t ll = strlen(line);
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, ' ')) {
			in = ll >= wl && strcmp(line + ll - wl, which) == 0 && line[ll - wl - 1] == ' ';
			if (in) found = 1;
		} else if (in) {
			if (strncmp(line, "Rss:", 4) == 0) *rss_kb = strtol(line + 4, NULL, 10);
			else if (strncmp(line, "Locked:", 7) == 0) *locked_kb = strtol(line + 7, NULL, 10);
			else if (strncmp(line, "VmFlags:", 8) == 0) {
				const char *f = line + 8;
				while (*f == ' ') f++;
				snprintf(flags, n, "%s", f);
				size_t fl = strlen(flags);
				while (fl && flags[fl - 1] == ' ') flags[--fl] = 0;
			}
		}
		if (!nl) break;
		line = nl + 1;
	}
	return found ? 0 : -1;
}
