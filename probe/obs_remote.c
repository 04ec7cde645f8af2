/* obs_remote.c: another process's view of [vvar] (/proc/<pid>/mem, process_vm_readv(),
 * PTRACE_PEEKDATA, also on oneself), and what fork() and vfork()+execve() hand a child. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "probe.h"

extern char probe_self_exe[];

static const char *via_name(int via)
{
	return via == VIA_PROC_MEM ? "proc_mem" : via == VIA_PROCESS_VM_READV ? "process_vm_readv" : "ptrace_peekdata";
}

/* reads 8 bytes at addr of pid through `via`; 0 or an errno */
static int remote_read(pid_t pid, int via, uintptr_t addr)
{
	uint64_t v = 0;
	if (via == VIA_PROC_MEM) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) return errno;
		ssize_t r = pread(fd, &v, sizeof v, (off_t)addr);
		int e = r == (ssize_t)sizeof v ? 0 : r < 0 ? errno : EIO;
		close(fd);
		return e;
	}
	if (via == VIA_PROCESS_VM_READV) {
		struct iovec local = { &v, sizeof v }, remote = { (void *)addr, sizeof v };
		ssize_t r = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		return r == (ssize_t)sizeof v ? 0 : r < 0 ? errno : EFAULT;
	}
	/* PTRACE_PEEKDATA: attach, wait for the stop, peek, detach */
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) != 0) return errno;
	int st;
	waitpid(pid, &st, __WALL);
	errno = 0;
	ptrace(PTRACE_PEEKDATA, pid, (void *)addr, NULL);
	int e = errno;
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return e;
}

/* a byte over a pipe: the child says it is ready; the parent says "go on" */
static void send1(int fd, char c) { if (write(fd, &c, 1) != 1) _exit(3); }
static char recv1(int fd) { char c = 0; if (read(fd, &c, 1) != 1) return 0; return c; }

void obs_remote(struct jb *o, int how)
{
	int via = how & 3, target = how & 12;
	jb_str(o, "via", via_name(via));
	int touched = target == TARGET_CHILD_TOUCHED || target == TARGET_SELF_TOUCHED;
	jb_str(o, "target", target <= TARGET_CHILD_UNTOUCHED ? "child" : "self");
	jb_bool(o, "populated", touched);
	if (target >= TARGET_SELF_TOUCHED) {
		if (via == VIA_PTRACE_PEEKDATA) { obs_skip(o, "a process cannot ptrace itself"); return; }
		if (touched) vdso_call_faults(CLOCK_MONOTONIC);
		int e = remote_read(getpid(), via, vvar_base);
		jb_str(o, "errno", errno_name(e));
		/* did the failed read map the page? a local read now tells */
		int sig;
		jb_int(o, "after_minflt", vvar_read(0, 0, NULL, &sig));
		return;
	}
	int up[2], down[2];
	if (pipe(up) || pipe(down)) { obs_skip(o, "pipe failed"); return; }
	pid_t pid = fork();
	if (pid == 0) {
		warm();
		if (touched) vdso_call_faults(CLOCK_MONOTONIC);
		send1(up[1], 'r');
		recv1(down[0]);
		int sig;
		long d = vvar_read(0, 0, NULL, &sig);
		send1(up[1], (char)('0' + (d > 9 ? 9 : d)));
		_exit(0);
	}
	recv1(up[0]);
	int e = remote_read(pid, via, vvar_base);
	send1(down[1], 'g');
	char after = recv1(up[0]);
	waitpid(pid, NULL, 0);
	jb_str(o, "errno", errno_name(e));
	jb_int(o, "after_minflt", after ? after - '0' : -1);
}

void obs_fork(struct jb *o, int parent_touched)
{
	jb_bool(o, "parent_touched", parent_touched);
	if (parent_touched) vdso_call_faults(CLOCK_MONOTONIC);
	int p[2];
	if (pipe(p)) { obs_skip(o, "pipe failed"); return; }
	pid_t pid = fork();
	if (pid == 0) {
		warm();
		long d = vdso_call_faults(CLOCK_MONOTONIC);
		char ptes[MAX_VVAR_PAGES + 1];
		vvar_ptes(ptes);
		char msg[64];
		int n = snprintf(msg, sizeof msg, "%ld %s", d, ptes);
		if (write(p[1], msg, (size_t)n) != n) _exit(3);
		_exit(0);
	}
	close(p[1]);
	char msg[64] = "";
	ssize_t n = read(p[0], msg, sizeof msg - 1);
	waitpid(pid, NULL, 0);
	long d = -1;
	char ptes[MAX_VVAR_PAGES + 1] = "";
	if (n > 0) { msg[n] = 0; sscanf(msg, "%ld %16s", &d, ptes); }
	jb_int(o, "child_minflt", d);
	jb_str(o, "child_ptes", ptes);
}

void obs_vfork_exec(struct jb *o, int arg)
{
	(void)arg;
	vdso_call_faults(CLOCK_MONOTONIC);       /* the parent's pages are present: exec drops them */
	int p[2];
	if (pipe(p)) { obs_skip(o, "pipe failed"); return; }
	char fdarg[16];
	snprintf(fdarg, sizeof fdarg, "%d", p[1]);
	char *argv[] = { probe_self_exe, "--exec-child", fdarg, NULL };
	pid_t pid = vfork();
	if (pid == 0) {
		execv(probe_self_exe, argv);
		_exit(127);
	}
	close(p[1]);
	char msg[64] = "";
	ssize_t n = read(p[0], msg, sizeof msg - 1);
	int st = 0;
	waitpid(pid, &st, 0);
	long d = -1;
	if (n > 0) { msg[n] = 0; d = strtol(msg, NULL, 10); }
	jb_int(o, "child_minflt", d);
}

int exec_child_main(int fd)
{
	if (maps_load() != 0 || vdso_init() != 0) return 2;
	warm();
	long d = vdso_call_faults(CLOCK_MONOTONIC);
	char msg[32];
	int n = snprintf(msg, sizeof msg, "%ld", d);
	return write(fd, msg, (size_t)n) == n ? 0 : 3;
}
