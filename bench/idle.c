// SPDX-License-Identifier: MIT
/*
 * idle.c - what an idle provider costs: after a quiet spell without work,
 * the CPU time its threads use over a window of idleness, as a percentage of
 * one core.
 *
 * Per thread, from /proc/self/task/<tid>/schedstat (nanoseconds on the CPU;
 * /proc/.../stat clock ticks where schedstat is missing). The library's
 * threads are all the process's threads except the bench's own (its client
 * threads, the main one sleeping meanwhile) and DPDK's (the EAL's, seen
 * appear around rte_eal_init), which are reported apart. getrusage() of the
 * whole process minus the main thread's gives a cross-check.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define IDLE_MAX_TASKS 256

struct idle_task {
	pid_t tid;     /* kernel thread id */
	u64 cpu_ns;    /* CPU time so far */
	char name[16]; /* its comm */
};

/* The thread ids of this process now; how many (at most @max). */
unsigned int tasks_snapshot(pid_t *tids, unsigned int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] != '.')
			tids[n++] = (pid_t)atoi(e->d_name);
	closedir(d);
	return n;
}

/* Read one small /proc file of thread @tid into @buf; 0, or -1. */
static int task_read(pid_t tid, const char *what, char *buf, size_t len)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, what);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	return n ? 0 : -1;
}

/* CPU time of @tid in ns; *@fine false when only clock ticks were to be had. */
static u64 task_cpu_ns(pid_t tid, bool *fine)
{
	char buf[512], *p;
	unsigned long long ut = 0, st = 0;

	if (!task_read(tid, "schedstat", buf, sizeof(buf)))
		return strtoull(buf, NULL, 10);
	*fine = false;
	/* stat: fields 14 and 15 (utime, stime), counted after the ")" of comm */
	if (task_read(tid, "stat", buf, sizeof(buf)) || !(p = strrchr(buf, ')')))
		return 0;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return (ut + st) * (1000000000ull / (u64)sysconf(_SC_CLK_TCK));
}

static unsigned int tasks_read(struct idle_task *t, bool *fine)
{
	pid_t tids[IDLE_MAX_TASKS];
	unsigned int n = tasks_snapshot(tids, IDLE_MAX_TASKS);

	for (unsigned int i = 0; i < n; i++) {
		char *nl;

		t[i].tid = tids[i];
		t[i].cpu_ns = task_cpu_ns(tids[i], fine);
		if (task_read(tids[i], "comm", t[i].name, sizeof(t[i].name)))
			strcpy(t[i].name, "?");
		if ((nl = strchr(t[i].name, '\n')))
			*nl = 0;
	}
	return n;
}

static bool tid_in(pid_t tid, const pid_t *set, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (set[i] == tid)
			return true;
	return false;
}

static s64 tv_ns(const struct timeval *tv)
{
	return (s64)tv->tv_sec * 1000000000ll + (s64)tv->tv_usec * 1000ll;
}

/*
 * CPU time of the threads other than the calling one, from getrusage: ns.
 * The caller's own time is read first, so that what it spends between the
 * two calls makes the result too big by a few hundred ns, never negative.
 */
static s64 rusage_others_ns(void)
{
	struct rusage self, me;

	if (getrusage(RUSAGE_THREAD, &me) || getrusage(RUSAGE_SELF, &self))
		return 0;
	return tv_ns(&self.ru_utime) + tv_ns(&self.ru_stime) - tv_ns(&me.ru_utime) -
	       tv_ns(&me.ru_stime);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

/* Thread @b's CPU time since snapshot @a (absent from @a: all of it). */
static u64 idle_used(const struct idle_task *a, unsigned int na, const struct idle_task *b)
{
	for (unsigned int i = 0; i < na; i++)
		if (a[i].tid == b->tid)
			return b->cpu_ns - a[i].cpu_ns;
	return b->cpu_ns;
}

/* --verbose: one line per thread on stderr. */
static void idle_show(const struct idle_task *a, unsigned int na, const struct idle_task *b,
		      const char *whose, double window_ns)
{
	fprintf(stderr, "  idle: thread %d %-15s (%s) %.4f%% of a core\n", (int)b->tid, b->name,
		whose, (double)idle_used(a, na, b) / window_ns * 100);
}

/* Add thread @b's use since @a to @r. */
static void idle_account(const struct idle_task *a, unsigned int na, const struct idle_task *b,
			 bool foreign, double window_ns, struct idle_result *r)
{
	double pct = (double)idle_used(a, na, b) / window_ns * 100;

	if (foreign) {
		r->other_pct += pct;
		return;
	}
	r->lib_pct += pct;
	r->lib_threads++;
	if (pct >= r->busiest_pct) {
		r->busiest_pct = pct;
		snprintf(r->busiest, sizeof(r->busiest), "%s", b->name);
	}
}

/*
 * idle_measure - sleep @quiet_ms, then measure the CPU time of the threads
 * over @ms of sleep. @bench: the bench's own threads (left out); @foreign:
 * DPDK's (counted apart); @verbose: every thread on stderr. 0, or -1 when
 * /proc could not be read.
 */
int idle_measure(unsigned int quiet_ms, unsigned int ms, const pid_t *bench, unsigned int nbench,
		 const pid_t *foreign, unsigned int nforeign, bool verbose, struct idle_result *r)
{
	static struct idle_task a[IDLE_MAX_TASKS], b[IDLE_MAX_TASKS];
	unsigned int na, nb;
	u64 t0, t1;
	s64 r0, r1;

	memset(r, 0, sizeof(*r));
	r->fine = true;
	sleep_ms(quiet_ms);
	t0 = dmae_clock_ns();
	r0 = rusage_others_ns();
	na = tasks_read(a, &r->fine);
	sleep_ms(ms);
	nb = tasks_read(b, &r->fine);
	r1 = rusage_others_ns();
	t1 = dmae_clock_ns();
	if (!na || !nb)
		return -1;
	r->window_ms = (double)(t1 - t0) / 1e6;
	r->all_pct = r1 > r0 ? (double)(r1 - r0) / (double)(t1 - t0) * 100 : 0;
	for (unsigned int i = 0; i < nb; i++) {
		bool mine = tid_in(b[i].tid, bench, nbench);
		bool theirs = tid_in(b[i].tid, foreign, nforeign);

		if (verbose)
			idle_show(a, na, &b[i], mine ? "the bench's" : theirs ? "DPDK's" : "the library's",
				  (double)(t1 - t0));
		if (!mine)
			idle_account(a, na, &b[i], theirs, (double)(t1 - t0), r);
	}
	return 0;
}
