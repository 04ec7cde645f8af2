/* obs_timens.c: time namespaces (CLONE_NEWTIME) and [vvar]: unshare(), the offsets file, the
 * layout and first faults of a child in a namespace, and setns(), which zaps [vvar].
 * Needs CAP_SYS_ADMIN; the driver skips these observations without it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "probe.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

long getrandom_first(const char **why);

static const char OFFSETS[] = "monotonic 100000 0\nboottime 200000 0\n";

/* writes OFFSETS to /proc/self/timens_offsets: bytes written, or -errno */
static long write_offsets(void)
{
	int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	ssize_t n = write(fd, OFFSETS, sizeof OFFSETS - 1);
	long r = n < 0 ? -errno : (long)n;
	close(fd);
	return r;
}

/* what a child in the new namespace reports (runs warmed, in the child) */
static void child_report(int which, long long *host, char *msg, size_t n)
{
	char p[MAX_VVAR_PAGES + 1];
	int sig;
	switch (which) {
	case TN_CHILD_LAYOUT: {
		long d = vvar_read(0, 0, NULL, &sig);
		const char *k0 = vvar_page_kind(0), *k1 = vvar_page_kind(1);
		snprintf(msg, n, "\"first_read_minflt\":%ld,\"page0\":\"%s\",\"page1\":\"%s\"", d, k0 ? k0 : "sigbus", k1 ? k1 : "sigbus");
		break;
	}
	case TN_CHILD_FIRST_CALL: {
		long d = vdso_call_faults(CLOCK_MONOTONIC);
		long again = vdso_call_faults(CLOCK_MONOTONIC);
		vvar_ptes(p);
		snprintf(msg, n, "\"minflt\":%ld,\"again_minflt\":%ld,\"ptes\":\"%s\"", d, again, p);
		break;
	}
	case TN_CHILD_PGOFF1_FIRST: {
		long d1 = vvar_read(1, 0, NULL, &sig);
		long d0 = vvar_read(0, 0, NULL, &sig);
		snprintf(msg, n, "\"pgoff1_minflt\":%ld,\"then_pgoff0_minflt\":%ld", d1, d0);
		break;
	}
	case TN_CHILD_OFFSETS: {
		struct timespec m, b, r;
		vdso_gettime(CLOCK_MONOTONIC, &m);
		vdso_gettime(CLOCK_BOOTTIME, &b);
		vdso_gettime(CLOCK_REALTIME, &r);
		long long dm = (long long)m.tv_sec * 1000000000LL + m.tv_nsec - host[0];
		long long db = (long long)b.tv_sec * 1000000000LL + b.tv_nsec - host[1];
		long long dr = (long long)r.tv_sec * 1000000000LL + r.tv_nsec - host[2];
		/* whole seconds: the child runs within milliseconds of the parent's reading */
		snprintf(msg, n, "\"monotonic_s\":%lld,\"boottime_s\":%lld,\"realtime_s\":%lld",
			 (dm + 500000000LL) / 1000000000LL, (db + 500000000LL) / 1000000000LL, (dr + 500000000LL) / 1000000000LL);
		break;
	}
	case TN_CHILD_MLOCKALL: {
		int ret = mlockall(MCL_CURRENT | MCL_FUTURE);
		int e = ret ? errno : 0;
		long d = vdso_call_faults(CLOCK_MONOTONIC);
		const char *en = errno_name(e);
		snprintf(msg, n, "\"ret\":%d,\"errno\":%s%s%s,\"next_call_minflt\":%ld", ret, en ? "\"" : "", en ? en : "null", en ? "\"" : "", d);
		break;
	}
	case TN_CHILD_GETRANDOM: {
		const char *why = NULL;
		long d = vdso_getrandom ? getrandom_first(&why) : -1;
		if (d < 0) snprintf(msg, n, "\"skip_reason\":\"%s\"", vdso_getrandom ? why : "the vDSO exports no getrandom");
		else { vvar_ptes(p); snprintf(msg, n, "\"minflt\":%ld,\"ptes\":\"%s\"", d, p); }
		break;
	}
	case TN_FORK_NEW_NS:
		vvar_ptes(p);
		snprintf(msg, n, "\"child_ptes\":\"%s\"", p);
		break;
	}
}

/* forks a child into the namespace made for children; it runs child_report(which). The fields
 * it reports are added to o. */
static void in_child(struct jb *o, int which, long long *host)
{
	int p[2];
	if (pipe(p)) { obs_skip(o, "pipe failed"); return; }
	pid_t pid = fork();
	if (pid < 0) { obs_skip(o, "fork failed"); return; }
	if (pid == 0) {
		close(p[0]);
		warm();
		char msg[512];
		child_report(which, host, msg, sizeof msg);
		size_t l = strlen(msg);
		_exit(write(p[1], msg, l) == (ssize_t)l ? 0 : 3);
	}
	close(p[1]);
	char msg[512];
	ssize_t n = read(p[0], msg, sizeof msg - 1);
	close(p[0]);
	waitpid(pid, NULL, 0);
	if (n <= 0) { obs_skip(o, "the child in the namespace reported nothing"); return; }
	msg[n] = 0;
	/* the child's fields are JSON already: splice them in */
	char *c = msg;
	while (*c) {
		char *k = strchr(c, '"'), *ke = k ? strchr(k + 1, '"') : NULL;
		if (!k || !ke || ke[1] != ':') break;
		*ke = 0;
		char *v = ke + 2, *ve = v;
		int q = 0;
		while (*ve && (q || *ve != ',')) { if (*ve == '"') q = !q; ve++; }
		char save = *ve;
		*ve = 0;
		if (strcmp(k + 1, "skip_reason") == 0) {
			static char reason[256];
			snprintf(reason, sizeof reason, "%.*s", (int)strlen(v) - 2, v + 1);
			obs_skip(o, reason);
		} else jb_raw(o, k + 1, v);
		if (!save) break;
		c = ve + 1;
	}
}

/* a child that waits in the new namespace until `release` is written; its pid */
static pid_t holder(int *release)
{
	int p[2];
	if (pipe(p)) return -1;
	pid_t pid = fork();
	if (pid == 0) { char c; close(p[1]); (void)!read(p[0], &c, 1); _exit(0); }
	close(p[0]);
	*release = p[1];
	return pid;
}

void obs_timens(struct jb *o, int which)
{
	int sig;
	char p[MAX_VVAR_PAGES + 1];
	if (which == TN_SETNS_SAME) {
		vdso_call_faults(CLOCK_MONOTONIC);
		vvar_read(2, 0, NULL, &sig);
		int fd = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		int r = fd < 0 ? -1 : setns(fd, CLONE_NEWTIME);
		int e = r ? errno : 0;
		jb_int(o, "ret", r);
		jb_str(o, "errno", errno_name(e));
		jb_int(o, "next_call_minflt", vdso_call_faults(CLOCK_MONOTONIC));
		vvar_ptes(p);
		jb_str(o, "ptes", p);
		return;
	}
	if (which == TN_UNSHARE || which == TN_SETNS_OTHER || which == TN_FORK_NEW_NS) {
		vdso_call_faults(CLOCK_MONOTONIC);       /* the caller's pages are present */
		if (which != TN_UNSHARE) vvar_read(2, 0, NULL, &sig);
	}
	int r = unshare(CLONE_NEWTIME);
	if (r != 0) {
		char why[96];
		snprintf(why, sizeof why, "unshare(CLONE_NEWTIME) failed: %s", errno_name(errno));
		if (which == TN_UNSHARE) { jb_int(o, "ret", r); jb_str(o, "errno", errno_name(errno)); return; }
		obs_skip(o, why);
		return;
	}
	switch (which) {
	case TN_UNSHARE:
		jb_int(o, "ret", 0);
		jb_str(o, "errno", NULL);
		jb_int(o, "next_call_minflt", vdso_call_faults(CLOCK_MONOTONIC));
		return;
	case TN_OFFSETS_BEFORE: {
		long w = write_offsets();
		jb_int(o, "written", w < 0 ? -1 : w);
		jb_int(o, "of", (long long)sizeof OFFSETS - 1);
		jb_str(o, "errno", w < 0 ? errno_name((int)-w) : NULL);
		return;
	}
	case TN_OFFSETS_AFTER: {
		write_offsets();
		pid_t c = fork();
		if (c == 0) _exit(0);
		waitpid(c, NULL, 0);
		long w = write_offsets();
		jb_int(o, "written", w < 0 ? -1 : w);
		jb_str(o, "errno", w < 0 ? errno_name((int)-w) : NULL);
		return;
	}
	case TN_SETNS_OTHER: {
		int release = -1;
		pid_t h = holder(&release);
		if (h < 0) { obs_skip(o, "fork failed"); return; }
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/time", (int)h);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		int s = fd < 0 ? -1 : setns(fd, CLONE_NEWTIME);
		int e = s ? errno : 0;
		(void)!write(release, "x", 1);
		waitpid(h, NULL, 0);
		jb_int(o, "ret", s);
		jb_str(o, "errno", errno_name(e));
		jb_int(o, "next_call_minflt", vdso_call_faults(CLOCK_MONOTONIC));
		vvar_ptes(p);
		jb_str(o, "ptes", p);
		return;
	}
	default: {
		long w = write_offsets();
		if (w < 0) { obs_skip(o, "cannot write /proc/self/timens_offsets"); return; }
		long long host[3] = { sys_clock_ns(CLOCK_MONOTONIC), sys_clock_ns(CLOCK_BOOTTIME), sys_clock_ns(CLOCK_REALTIME) };
		in_child(o, which, host);
		return;
	}
	}
}
