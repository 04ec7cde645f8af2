/* main.c: the probe's driver. Prints a header line (kernel release, architecture, libc, what
 * the vDSO exports), then runs each observation in a fresh child process and prints the line
 * it reports, then the fault cost, then an end line. Exit 0 when it ran (whatever it saw),
 * 2 when this system cannot be probed (not Linux, an architecture we have no table for, no
 * [vvar], no vDSO).
 *
 *   probe [--samples N] [--only PREFIX]     observe; N fresh children for the fault cost (default 100)
 *   probe --exec-child FD                   (internal) the image vfork()+execve() starts
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gnu/libc-version.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "probe.h"

#ifndef __linux__
#error "the probe observes Linux"
#endif

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

/* vDSO symbol names and whether the arch has vDSO arch data pages (CONFIG_ARCH_HAS_VDSO_ARCH_DATA) */
static const struct arch_info arches[] = {
	{ "x86_64", "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_clock_getres", "__vdso_getrandom", 0 },
	{ "aarch64", "__kernel_clock_gettime", "__kernel_gettimeofday", NULL, "__kernel_clock_getres", "__kernel_getrandom", 0 },
};
const struct arch_info *arch;
char probe_self_exe[4096];

static int skipped;
static char skip_reason[256];

void obs_skip(struct jb *out, const char *reason)
{
	(void)out;
	skipped = 1;
	snprintf(skip_reason, sizeof skip_reason, "%s", reason);
}

int have_cap_sys_admin(void)
{
	static char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0) return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return 0;
	buf[n] = 0;
	char *c = strstr(buf, "CapEff:");
	if (!c) return 0;
	unsigned long long caps = strtoull(c + 7, NULL, 16);
	return (caps >> 21) & 1;        /* CAP_SYS_ADMIN */
}

struct obs { const char *id; obs_fn fn; int arg; int needs_admin; };

static const char *clock_ids[] = { "CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
	"CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
	"CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", NULL, "CLOCK_TAI" };

static const char *only;

/* runs one observation in a fresh child and prints its line */
static void run_obs(const char *id, obs_fn fn, int arg, int needs_admin)
{
	if (only && strncmp(id, only, strlen(only)) != 0) return;
	struct jb j;
	if (needs_admin && !have_cap_sys_admin()) {
		jb_begin(&j);
		jb_str(&j, "type", "observation");
		jb_str(&j, "id", id);
		jb_str(&j, "status", "skipped");
		jb_str(&j, "reason", "needs CAP_SYS_ADMIN");
		jb_end(&j);
		fputs(j.buf, stdout);
		fflush(stdout);
		return;
	}
	int p[2];
	fflush(stdout);
	if (pipe(p)) { perror("probe: pipe"); exit(3); }
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		alarm(10);                        /* a hung observation ends as an error line */
		warm();
		jb_begin(&j);
		jb_str(&j, "type", "observation");
		jb_str(&j, "id", id);
		fn(&j, arg);
		if (skipped) { jb_str(&j, "status", "skipped"); jb_str(&j, "reason", skip_reason); }
		else jb_str(&j, "status", "ok");
		jb_end(&j);
		_exit(write(p[1], j.buf, j.n) == (ssize_t)j.n ? 0 : 3);
	}
	close(p[1]);
	static char line[16384];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(p[0], line + n, sizeof line - 1 - n);
		if (r <= 0) break;
		n += (size_t)r;
	}
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	line[n] = 0;
	if (n == 0 || line[n - 1] != '\n') {
		char why[96];
		if (WIFSIGNALED(st)) snprintf(why, sizeof why, "the observing process died of signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
		else snprintf(why, sizeof why, "the observing process exited with %d and reported nothing", WEXITSTATUS(st));
		jb_begin(&j);
		jb_str(&j, "type", "observation");
		jb_str(&j, "id", id);
		jb_str(&j, "status", "error");
		jb_str(&j, "reason", why);
		jb_end(&j);
		fputs(j.buf, stdout);
	} else fputs(line, stdout);
	fflush(stdout);
}

static void header(void)
{
	struct utsname u;
	uname(&u);
	struct jb j;
	jb_begin(&j);
	jb_str(&j, "type", "header");
	jb_int(&j, "format", PROBE_FORMAT);
	jb_str(&j, "sysname", u.sysname);
	jb_str(&j, "release", u.release);
	jb_str(&j, "version", u.version);
	jb_str(&j, "machine", u.machine);
	jb_str(&j, "libc", "glibc");
	jb_str(&j, "glibc", gnu_get_libc_version());
	jb_int(&j, "euid", (long long)geteuid());
	jb_bool(&j, "cap_sys_admin", have_cap_sys_admin());
	jb_int(&j, "page_size", sysconf(_SC_PAGESIZE));
	jb_int(&j, "vvar_pages", vvar_pages);
	jb_raw(&j, "vdso_symbols", vdso_symbols_json());
	jb_bool(&j, "time_ns", access("/proc/self/ns/time", F_OK) == 0);
	jb_bool(&j, "vdso_getrandom", vdso_getrandom != NULL);
	jb_bool(&j, "arch_data", arch->arch_data);
	jb_end(&j);
	fputs(j.buf, stdout);
}

int main(int argc, char **argv)
{
	struct utsname u;
	uname(&u);
	for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++)
		if (strcmp(u.machine, arches[i].name) == 0) arch = &arches[i];
	int samples = 100;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--exec-child") == 0 && i + 1 < argc) {
			if (!arch) return 2;
			return exec_child_main(atoi(argv[i + 1]));
		} else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
			samples = atoi(argv[++i]);
			if (samples < 0 || samples > 10000) { fprintf(stderr, "probe: --samples needs 0..10000\n"); return 2; }
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			only = argv[++i];
		} else { fprintf(stderr, "usage: probe [--samples N] [--only PREFIX]\n"); return 2; }
	}
	if (strcmp(u.sysname, "Linux") != 0) { fprintf(stderr, "probe: this is %s, not Linux\n", u.sysname); return 2; }
	if (!arch) { fprintf(stderr, "probe: no vDSO table for %s (known: x86_64, aarch64)\n", u.machine); return 2; }
	if (readlink("/proc/self/exe", probe_self_exe, sizeof probe_self_exe - 1) < 0) { perror("probe: /proc/self/exe"); return 2; }
	if (maps_load() != 0) { fprintf(stderr, "probe: no [vvar] in /proc/self/maps\n"); return 2; }
	if (vdso_init() != 0) { fprintf(stderr, "probe: no vDSO clock_gettime (%s) in the vDSO\n", arch->sym_gettime); return 2; }
	if (vvar_pages > MAX_VVAR_PAGES) vvar_pages = MAX_VVAR_PAGES;

	header();
	run_obs("layout", obs_layout, 0, 0);
	run_obs("smaps.vm_flags", obs_vmflags, 0, 0);
	run_obs("smaps.after_first_call", obs_smaps_after_call, 0, 0);
	for (int p = 0; p < vvar_pages; p++) {
		char id[32];
		snprintf(id, sizeof id, "read.pgoff.%d", p);
		run_obs(id, obs_read, p, 0);
	}
	for (int c = 0; c < 12; c++) {
		if (!clock_ids[c]) continue;
		char id[64];
		snprintf(id, sizeof id, "vdso.clock_gettime.%s", clock_ids[c]);
		run_obs(id, obs_clock, c, 0);
	}
	run_obs("vdso.gettimeofday", obs_gettimeofday, 0, 0);
	run_obs("vdso.gettimeofday.after_clock_gettime", obs_gettimeofday, 1, 0);
	run_obs("vdso.time", obs_time, 0, 0);
	run_obs("vdso.time.after_clock_gettime", obs_time, 1, 0);
	run_obs("vdso.clock_getres", obs_getres, 0, 0);
	run_obs("vdso.clock_getres.after_clock_gettime", obs_getres, 1, 0);
	run_obs("vdso.getrandom", obs_getrandom, 0, 0);
	run_obs("mlockall.current_future", obs_mlockall, MCL_CURRENT | MCL_FUTURE, 0);
	run_obs("mlockall.current", obs_mlockall, MCL_CURRENT, 0);
	run_obs("mlockall.current_onfault", obs_mlockall, MCL_CURRENT | MCL_ONFAULT, 0);
	run_obs("mlockall.future", obs_mlockall, MCL_FUTURE, 0);
	run_obs("mlockall.onfault", obs_mlockall, MCL_ONFAULT, 0);
	run_obs("mlock", obs_mlock, 0, 0);
	run_obs("madvise.populate_read", obs_madvise, MADV_POPULATE_READ, 0);
	run_obs("madvise.willneed", obs_madvise, MADV_WILLNEED, 0);
	static const char *vias[] = { "proc_mem", "process_vm_readv", "ptrace_peekdata" };
	for (int v = 0; v < 3; v++) {
		char id[64];
		snprintf(id, sizeof id, "remote.%s.populated", vias[v]);
		run_obs(id, obs_remote, v | TARGET_CHILD_TOUCHED, 0);
		snprintf(id, sizeof id, "remote.%s.untouched", vias[v]);
		run_obs(id, obs_remote, v | TARGET_CHILD_UNTOUCHED, 0);
	}
	for (int v = 0; v < 2; v++) {
		char id[64];
		snprintf(id, sizeof id, "remote.self.%s.populated", vias[v]);
		run_obs(id, obs_remote, v | TARGET_SELF_TOUCHED, 0);
		snprintf(id, sizeof id, "remote.self.%s.untouched", vias[v]);
		run_obs(id, obs_remote, v | TARGET_SELF_UNTOUCHED, 0);
	}
	run_obs("fork.parent_touched", obs_fork, 1, 0);
	run_obs("fork.parent_untouched", obs_fork, 0, 0);
	run_obs("vfork_exec", obs_vfork_exec, 0, 0);
	static const struct { const char *id; int which; } tn[] = {
		{ "timens.unshare", TN_UNSHARE }, { "timens.offsets_before", TN_OFFSETS_BEFORE },
		{ "timens.offsets_after", TN_OFFSETS_AFTER }, { "timens.child_layout", TN_CHILD_LAYOUT },
		{ "timens.child_first_call", TN_CHILD_FIRST_CALL }, { "timens.child_pgoff1_first", TN_CHILD_PGOFF1_FIRST },
		{ "timens.child_offsets", TN_CHILD_OFFSETS }, { "timens.child_mlockall", TN_CHILD_MLOCKALL },
		{ "timens.child_getrandom", TN_CHILD_GETRANDOM }, { "timens.setns_other", TN_SETNS_OTHER },
		{ "timens.setns_same", TN_SETNS_SAME }, { "timens.fork_new_ns", TN_FORK_NEW_NS },
	};
	for (size_t i = 0; i < sizeof tn / sizeof tn[0]; i++) run_obs(tn[i].id, obs_timens, tn[i].which, 1);

	if (!only || strncmp("cost", only, strlen(only)) == 0) {
		struct jb j;
		jb_begin(&j);
		jb_str(&j, "type", "observation");
		jb_str(&j, "id", "cost.fault");
		if (samples == 0) obs_skip(&j, "--samples 0");
		else measure_cost(&j, samples);
		if (skipped) { jb_str(&j, "status", "skipped"); jb_str(&j, "reason", skip_reason); skipped = 0; }
		else jb_str(&j, "status", "ok");
		jb_end(&j);
		fputs(j.buf, stdout);
	}
	printf("{\"type\":\"end\"}\n");
	return 0;
}
