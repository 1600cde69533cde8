// SPDX-License-Identifier: MIT
/*
 * team.c - the benchmark's client threads: the caller (member 0) and one
 * thread per further member, started once and kept for the whole run.
 *
 * Kept, not started per measurement, for two reasons: the cpu provider
 * remembers the first thread that uses a channel as its owner (a second
 * thread turns the channel shared for good, with atomics on every call), so
 * client k must always be the same thread; and thread start-up stays out of
 * the figures. Between jobs the members sleep on a wait queue: they use no
 * CPU while other systems are measured, nor in the idle measurement.
 */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static struct bench_team {
	unsigned int n;				       /* members, the caller included */
	struct dmae_thread *thread[BENCH_MAX_THREADS]; /* members 1..n-1 */
	pid_t tid[BENCH_MAX_THREADS];		       /* their kernel thread ids; atomic */
	u32 gen;		      /* bumped for every job and for stop; atomic */
	bool stop;		      /* the members are to return */
	void (*fn)(unsigned int, void *); /* the job: member index, argument */
	void *arg;		      /* argument of fn */
	unsigned int job_n;	      /* members taking part in the job (a prefix) */
	u32 arrived;		      /* members at the job's start barrier; atomic */
	u32 answered;		      /* threads that finished with the job; atomic */
	wait_queue_head_t go;	      /* members wait here for gen to change */
	wait_queue_head_t done;	      /* the caller waits here for answered */
} team;

static void team_member(void *arg)
{
	unsigned int idx = (unsigned int)(uintptr_t)arg;
	u32 seen = 0;

	__atomic_store_n(&team.tid[idx], gettid(), __ATOMIC_RELEASE);
	wake_up(&team.done);
	for (;;) {
		/* acquire: the job's fields, written before gen was bumped */
		wait_event(team.go, __atomic_load_n(&team.gen, __ATOMIC_ACQUIRE) != seen);
		seen = __atomic_load_n(&team.gen, __ATOMIC_ACQUIRE);
		if (team.stop)
			return;
		if (idx < team.job_n)
			team.fn(idx, team.arg);
		__atomic_fetch_add(&team.answered, 1, __ATOMIC_RELEASE);
		wake_up(&team.done);
	}
}

/* Start members 1..@n-1 and learn their thread ids. 0, or -1 (said why). */
int team_start(unsigned int n)
{
	team.n = n < 1 ? 1 : n > BENCH_MAX_THREADS ? BENCH_MAX_THREADS : n;
	team.tid[0] = gettid();
	init_waitqueue_head(&team.go);
	init_waitqueue_head(&team.done);
	for (unsigned int i = 1; i < team.n; i++) {
		char name[24]; /* cut to 15 by dmae_thread_create */

		snprintf(name, sizeof(name), "dmabench%u", i);
		if (dmae_thread_create(&team.thread[i], team_member, (void *)(uintptr_t)i, name)) {
			fprintf(stderr, "dmabench: cannot start client thread %u\n", i);
			team.n = i;
			return -1;
		}
	}
	for (unsigned int i = 1; i < team.n; i++)
		wait_event(team.done, __atomic_load_n(&team.tid[i], __ATOMIC_ACQUIRE) != 0);
	return 0;
}

unsigned int team_size(void)
{
	return team.n;
}

pid_t team_tid(unsigned int idx)
{
	return idx < team.n ? __atomic_load_n(&team.tid[idx], __ATOMIC_ACQUIRE) : 0;
}

/* Wake the members on a new gen and wait until each has answered. */
static void team_kick(void)
{
	__atomic_store_n(&team.answered, 0, __ATOMIC_RELAXED);
	/* release: fn, arg, job_n and stop before the members see the new gen */
	__atomic_fetch_add(&team.gen, 1, __ATOMIC_RELEASE);
	wake_up(&team.go);
}

/*
 * team_run - @fn(idx, @arg) on members 0..@n-1 at once (the caller is
 * member 0); returns when all of them have returned. @fn starts its timed
 * part after team_barrier(), so that the members run side by side.
 */
void team_run(unsigned int n, void (*fn)(unsigned int idx, void *arg), void *arg)
{
	team.fn = fn;
	team.arg = arg;
	team.job_n = n > team.n ? team.n : n;
	__atomic_store_n(&team.arrived, 0, __ATOMIC_RELAXED);
	team_kick();
	fn(0, arg);
	wait_event(team.done, __atomic_load_n(&team.answered, __ATOMIC_ACQUIRE) == team.n - 1);
}

/* Wait (spinning: the wait is short) until every member of the job is here. */
void team_barrier(void)
{
	__atomic_fetch_add(&team.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&team.arrived, __ATOMIC_ACQUIRE) < team.job_n)
		cpu_relax();
}

void team_stop(void)
{
	team.stop = true;
	team_kick();
	for (unsigned int i = 1; i < team.n; i++)
		dmae_thread_join(team.thread[i]);
	team.n = 1;
}
