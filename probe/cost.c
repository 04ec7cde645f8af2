/* cost.c: what one [vvar] page fault costs: in each of `samples` fresh children, the first vDSO
 * clock_gettime (which faults) minus the fastest of a few warm calls, timed with the
 * clock_gettime system call; the median over the children. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "probe.h"

struct sample { long long first_ns, warm_ns; long minflt; };

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* one child's sample; minflt < 0 when the child failed */
static struct sample one(void)
{
	struct sample s = { 0, 0, -1 };
	int p[2];
	if (pipe(p)) return s;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		warm();
		struct timespec ts;
		struct sample r;
		long f0 = minflt();
		long long t0 = sys_mono_ns();
		vdso_gettime(CLOCK_MONOTONIC, &ts);
		long long t1 = sys_mono_ns();
		r.minflt = minflt() - f0;
		r.first_ns = t1 - t0;
		r.warm_ns = -1;
		for (int i = 0; i < 7; i++) {
			long long a = sys_mono_ns();
			vdso_gettime(CLOCK_MONOTONIC, &ts);
			long long b = sys_mono_ns();
			if (r.warm_ns < 0 || b - a < r.warm_ns) r.warm_ns = b - a;
		}
		_exit(write(p[1], &r, sizeof r) == (ssize_t)sizeof r ? 0 : 3);
	}
	close(p[1]);
	if (read(p[0], &s, sizeof s) != (ssize_t)sizeof s) s.minflt = -1;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return s;
}

void measure_cost(struct jb *o, int samples)
{
	long long *cost = calloc((size_t)samples, sizeof *cost), *first = calloc((size_t)samples, sizeof *first);
	long long *warmv = calloc((size_t)samples, sizeof *warmv);
	int n = 0, rejected = 0;
	long long start = sys_mono_ns();
	for (int i = 0; i < samples; i++) {
		/* bounded: at most 3 s, however slow the machine */
		if (sys_mono_ns() - start > 3000000000LL) break;
		struct sample s = one();
		if (s.minflt != 1) { rejected++; continue; }    /* not exactly the one [vvar] fault */
		first[n] = s.first_ns;
		warmv[n] = s.warm_ns;
		cost[n] = s.first_ns - s.warm_ns;
		n++;
	}
	if (n == 0) { obs_skip(o, "no child took exactly one [vvar] fault"); free(cost); free(first); free(warmv); return; }
	qsort(cost, (size_t)n, sizeof *cost, cmp_ll);
	qsort(first, (size_t)n, sizeof *first, cmp_ll);
	qsort(warmv, (size_t)n, sizeof *warmv, cmp_ll);
	jb_int(o, "samples", n);
	jb_int(o, "rejected", rejected);
	jb_int(o, "fault_ns", cost[n / 2]);
	jb_int(o, "p10_ns", cost[n / 10]);
	jb_int(o, "p90_ns", cost[(n * 9) / 10]);
	jb_int(o, "first_call_ns", first[n / 2]);
	jb_int(o, "warm_call_ns", warmv[n / 2]);
	jb_str(o, "timer", "clock_gettime system call (CLOCK_MONOTONIC)");
	free(cost); free(first); free(warmv);
}
