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
#include "quiesce.h"
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

/* dmae_wq_wait - sleep while @wq's sequence is @seq, until @end (0: no limit). */
static void dmae_wq_wait(wait_queue_head_t *wq, u32 seq, u64 end)
{
	/* Acquire pairs with the waker's bump: its state is visible on return. */
	while (__atomic_load_n(&wq->seq, __ATOMIC_ACQUIRE) == seq) {
		struct timespec ts;
		u64 now;

		/* For the waker: the CPU where a wake-up is cheap (dmae_wake_route). */
		__atomic_store_n(&wq->cpu, (s32)dmae_current_cpu(), __ATOMIC_RELAXED);
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

/**
 * dmae_wq_sleep - sleep until a wake_up() after @seq was read, or
 * @timeout_ns passes (< 0: no limit). Context: process.
 */
DMAE_EXPORT void dmae_wq_sleep(wait_queue_head_t *wq, u32 seq, s64 timeout_ns)
{
	u64 end = dmae_wq_deadline(timeout_ns);

	/* A simulated board's thread is counted out while it sleeps (quiesce.c). */
	if (!dmae__quiesce_sleep_begin(wq, seq))
		return;
	dmae_wq_wait(wq, seq, end);
	dmae__quiesce_sleep_end();
}

/**
 * dmae_wq_sleep_running - as dmae_wq_sleep, but a thread of a simulated
 * board stays counted as running meanwhile (it waits for the board to
 * settle, not for time to pass). Context: process.
 */
DMAE_EXPORT void dmae_wq_sleep_running(wait_queue_head_t *wq, u32 seq, s64 timeout_ns)
{
	dmae_wq_wait(wq, seq, dmae_wq_deadline(timeout_ns));
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

/* The calling thread's wake relays (dmae_wake_route), if any. */
static __thread struct dmae_wake_relay *route_relays;
static __thread unsigned int route_n;

/* Hand @r the wake-up of @addr; false when it will not make it. */
static bool relay_post(struct dmae_wake_relay *r, u32 *addr)
{
	for (unsigned int i = 0; i < DMAE_WAKE_RELAY_SLOTS; i++) {
		u32 *cur = NULL;

		if (!__atomic_compare_exchange_n(&r->slot[i].addr, &cur, addr, false,
						 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			/*
			 * Held already: whoever takes it from the slot wakes
			 * after we saw it there, so after our bump of seq.
			 */
			if (cur == addr)
				return true;
			continue;
		}
		__atomic_store_n(&r->slot[i].at, dmae_clock_ns(), __ATOMIC_RELAXED);
		/*
		 * Open read after the slot was filled (both SEQ_CST), against
		 * close, which clears open and then empties the slots: either
		 * the owner empties this slot or we see it closed.
		 */
		if (__atomic_load_n(&r->open, __ATOMIC_SEQ_CST))
			return true;
		cur = addr;
		/* Closed: take it back, unless the owner took it already. */
		return !__atomic_compare_exchange_n(&r->slot[i].addr, &cur, NULL, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	}
	return false;
}

/* Routed: the open relay on the CPU where @wq's sleeper last slept, if it is not ours. */
static bool wake_routed(wait_queue_head_t *wq)
{
	s32 cpu = __atomic_load_n(&wq->cpu, __ATOMIC_RELAXED);

	if (cpu < 0 || cpu == dmae_current_cpu())
		return false; /* a wake-up on this CPU is cheap */
	for (unsigned int i = 0; i < route_n; i++) {
		struct dmae_wake_relay *r = &route_relays[i];

		if (__atomic_load_n(&r->cpu, __ATOMIC_RELAXED) == cpu &&
		    __atomic_load_n(&r->open, __ATOMIC_RELAXED))
			return relay_post(r, &wq->seq);
	}
	return false;
}

/**
 * wake_up - wake every sleeper of @wq; one barrier and one load when none.
 * Context: any.
 */
DMAE_EXPORT void dmae_wake_up(wait_queue_head_t *wq)
{
	if (!dmae_wq_bump(wq))
		return;
	/* Full barrier: the bump before the count of board sleepers is read (quiesce.c). */
	dmae__smp_mb();
	if (__atomic_load_n(&dmae__quiesce_sleepers, __ATOMIC_RELAXED))
		dmae__quiesce_wake(wq);
	if (route_n && wake_routed(wq))
		return;
	dmae__futex_wake(&wq->seq, INT_MAX);
}

DMAE_EXPORT void dmae_wake_route(struct dmae_wake_relay *relays, unsigned int n)
{
	route_relays = n ? relays : NULL;
	route_n = relays ? n : 0;
}

DMAE_EXPORT void dmae_wake_relay_open(struct dmae_wake_relay *r)
{
	__atomic_store_n(&r->cpu, (s32)dmae_current_cpu(), __ATOMIC_RELAXED);
	__atomic_store_n(&r->open, 1, __ATOMIC_SEQ_CST);
}

/* Take slot @i's wake-up, if it has one, and make it; 1 if it did. */
static unsigned int relay_take(struct dmae_wake_relay *r, unsigned int i)
{
	u32 *addr = __atomic_exchange_n(&r->slot[i].addr, NULL, __ATOMIC_SEQ_CST);

	if (!addr)
		return 0;
	dmae__futex_wake(addr, INT_MAX);
	return 1;
}

DMAE_EXPORT unsigned int dmae_wake_relay_close(struct dmae_wake_relay *r)
{
	unsigned int n = 0;

	__atomic_store_n(&r->open, 0, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < DMAE_WAKE_RELAY_SLOTS; i++)
		n += relay_take(r, i);
	return n;
}

DMAE_EXPORT unsigned int dmae_wake_relay_flush(struct dmae_wake_relay *r, u64 age_ns)
{
	u64 now = 0;
	unsigned int n = 0;

	for (unsigned int i = 0; i < DMAE_WAKE_RELAY_SLOTS; i++) {
		if (!__atomic_load_n(&r->slot[i].addr, __ATOMIC_RELAXED))
			continue;
		if (age_ns) {
			if (!now)
				now = dmae_clock_ns();
			/* A stamp not yet written for a new post is older: taken early, harmless. */
			if (now - __atomic_load_n(&r->slot[i].at, __ATOMIC_RELAXED) < age_ns)
				continue;
		}
		n += relay_take(r, i);
	}
	return n;
}

DMAE_EXPORT unsigned int dmae_wake_relay_poll(struct dmae_wake_relay *r)
{
	s32 cpu = (s32)dmae_current_cpu();

	/* Written only when it changes: posters read this line. */
	if (__atomic_load_n(&r->cpu, __ATOMIC_RELAXED) != cpu)
		__atomic_store_n(&r->cpu, cpu, __ATOMIC_RELAXED);
	return dmae_wake_relay_flush(r, 0); /* the owner: all it holds */
}

void dmae__wake_up_one(wait_queue_head_t *wq)
{
	if (dmae_wq_bump(wq))
		dmae__futex_wake(&wq->seq, 1);
}
