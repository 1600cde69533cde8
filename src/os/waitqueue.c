// SPDX-License-Identifier: MIT
/*
 * waitqueue.c - wait queues: sleep until a condition holds, with no lost
 * wake-up and no cost to the waker when nobody sleeps.
 *
 * The handshake, with W the waiter and K the waker:
 *   W: waiters++; mb; s = seq; if (cond) done; else sleep while seq == s
 *   K: cond = true; mb; if (waiters) { seq++; futex wake }
 * The two barriers make it impossible for W to miss cond while K misses
 * waiters. If K sees W, it bumps seq: either W read seq before the bump and
 * the futex sees a changed value or the wake, or W read the bumped value,
 * which (acquire on release) shows it cond.
 */
#include <limits.h>
#include <time.h> /* before os.h, whose timer_delete macro clashes with POSIX's */

#include <dmaengine/os.h>

#include "futex.h"
#include "waitqueue.h"

/**
 * dmae_wq_prepare - count the caller as a waiter of @wq, before it checks its
 * condition; returns the sequence for dmae_wq_sleep(). Context: any.
 */
DMAE_EXPORT u32 dmae_wq_prepare(wait_queue_head_t *wq)
{
	__atomic_add_fetch(&wq->waiters, 1, __ATOMIC_SEQ_CST);
	dmae__smp_mb(); /* waiters visible before the caller reads its condition */
	return __atomic_load_n(&wq->seq, __ATOMIC_ACQUIRE);
}

static struct timespec dmae_ns_to_timespec(u64 ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ull),
		.tv_nsec = (long)(ns % 1000000000ull),
	};
	return ts;
}

/* dmae_wq_deadline - the end of a relative @timeout_ns; 0 when there is none. */
static u64 dmae_wq_deadline(s64 timeout_ns)
{
	u64 now;

	if (timeout_ns < 0)
		return 0;
	now = dmae_clock_ns();
	if ((u64)timeout_ns > UINT64_MAX - now)
		return 0; /* beyond the clock's range: no limit */
	return now + (u64)timeout_ns;
}

/**
 * dmae_wq_sleep - sleep until a wake_up() after @seq was read, or
 * @timeout_ns passes (< 0: no limit). Context: process.
 */
DMAE_EXPORT void dmae_wq_sleep(wait_queue_head_t *wq, u32 seq, s64 timeout_ns)
{
	u64 end = dmae_wq_deadline(timeout_ns);

	/* Acquire pairs with the waker's bump: its state is visible on return. */
	while (__atomic_load_n(&wq->seq, __ATOMIC_ACQUIRE) == seq) {
		struct timespec ts;
		u64 now;

		if (!end) {
			dmae__futex_wait(&wq->seq, seq, NULL);
			continue;
		}
		now = dmae_clock_ns();
		if (now >= end)
			return;
		ts = dmae_ns_to_timespec(end - now);
		dmae__futex_wait(&wq->seq, seq, &ts);
	}
}

/** dmae_wq_finish - stop being a waiter of @wq. Context: any. */
DMAE_EXPORT void dmae_wq_finish(wait_queue_head_t *wq)
{
	__atomic_sub_fetch(&wq->waiters, 1, __ATOMIC_RELEASE);
}

/* dmae_wq_bump - true if someone may sleep on @wq; then moves seq on. */
static bool dmae_wq_bump(wait_queue_head_t *wq)
{
	dmae__smp_mb(); /* the caller's condition visible before waiters is read */
	if (!__atomic_load_n(&wq->waiters, __ATOMIC_RELAXED))
		return false;
	/* Release pairs with the acquire loads of seq in prepare and sleep. */
	__atomic_add_fetch(&wq->seq, 1, __ATOMIC_RELEASE);
	return true;
}

/**
 * wake_up - wake every sleeper of @wq; one barrier and one load when none.
 * Context: any.
 */
DMAE_EXPORT void wake_up(wait_queue_head_t *wq)
{
	if (dmae_wq_bump(wq))
		dmae__futex_wake(&wq->seq, INT_MAX);
}

void dmae__wake_up_one(wait_queue_head_t *wq)
{
	if (dmae_wq_bump(wq))
		dmae__futex_wake(&wq->seq, 1);
}
