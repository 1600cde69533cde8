// SPDX-License-Identifier: MIT
/*
 * completion.c - completions: a count of events that waiters consume, or
 * an event that lets everyone through (complete_all).
 */
#include <limits.h>

#include <dmaengine/os.h>

#define DMAE_COMPLETION_ALL (UINT_MAX / 2) /* done after complete_all: never consumed */

/* Timeouts beyond this many jiffies (about 35 years) mean no limit. */
#define DMAE_COMPLETION_FOREVER (1ull << 40)

/** init_completion - make @x a completion with nothing completed. Context: any. */
DMAE_EXPORT void dmae_init_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_RELAXED);
	init_waitqueue_head(&x->wait);
	spin_lock_init(&x->lock);
}

/** reinit_completion - forget past completions. Context: any, with no waiter. */
DMAE_EXPORT void dmae_reinit_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_RELAXED);
}

/*
 * A waiter that has seen a completion may free it at once (it often lives on
 * the waiter's stack): complete() does all it does to @x under x->lock, and a
 * successful waiter passes through that lock before it returns.
 */
static void completion_sync(struct completion *x)
{
	dmae_lock(&x->lock);
	dmae_unlock(&x->lock);
}

/** complete - let one waiter through (one consumption). Context: any. */
DMAE_EXPORT void dmae_complete(struct completion *x)
{
	u32 done;

	dmae_lock(&x->lock);
	done = __atomic_load_n(&x->done, __ATOMIC_RELAXED);
	/* Release: a waiter that consumes this sees what the caller did before. */
	while (done < DMAE_COMPLETION_ALL &&
	       !__atomic_compare_exchange_n(&x->done, &done, done + 1, true,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	wake_up(&x->wait);
	dmae_unlock(&x->lock);
}

/** complete_all - let every waiter through until reinit_completion. Context: any. */
DMAE_EXPORT void dmae_complete_all(struct completion *x)
{
	dmae_lock(&x->lock);
	__atomic_store_n(&x->done, DMAE_COMPLETION_ALL, __ATOMIC_RELEASE);
	wake_up(&x->wait);
	dmae_unlock(&x->lock);
}

/* Consume a completion if one is ready (without the lifetime handshake). */
static bool completion_consume(struct completion *x)
{
	u32 done = __atomic_load_n(&x->done, __ATOMIC_ACQUIRE);

	for (;;) {
		if (done == 0)
			return false;
		if (done >= DMAE_COMPLETION_ALL)
			return true;
		/* Acquire: see what the completer did before complete(). */
		if (__atomic_compare_exchange_n(&x->done, &done, done - 1, true,
						__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			return true;
	}
}

/** try_wait_for_completion - consume a completion if one is ready. Context: any. */
DMAE_EXPORT bool dmae_try_wait_for_completion(struct completion *x)
{
	if (!completion_consume(x))
		return false;
	completion_sync(x);
	return true;
}

/** completion_done - whether a wait would return at once. Context: any. */
DMAE_EXPORT bool dmae_completion_done(struct completion *x)
{
	if (!__atomic_load_n(&x->done, __ATOMIC_ACQUIRE))
		return false;
	completion_sync(x);
	return true;
}

/**
 * wait_for_completion - sleep until a completion is consumed.
 * Context: process; elsewhere it warns and returns without waiting.
 */
DMAE_EXPORT void dmae_wait_for_completion(struct completion *x)
{
	if (dmae_might_sleep("wait_for_completion"))
		return;
	wait_event(x->wait, try_wait_for_completion(x));
}

/**
 * wait_for_completion_timeout - as wait_for_completion, for at most @timeout
 * jiffies (MAX_SCHEDULE_TIMEOUT: no limit). Returns 0 on time-out, else the
 * jiffies left, at least 1. Context: process; elsewhere it warns and returns 0.
 */
DMAE_EXPORT unsigned long dmae_wait_for_completion_timeout(struct completion *x,
						      unsigned long timeout)
{
	long left;

	if (dmae_might_sleep("wait_for_completion_timeout"))
		return 0;
	if ((u64)timeout >= DMAE_COMPLETION_FOREVER) {
		wait_event(x->wait, try_wait_for_completion(x));
		return timeout;
	}
	left = wait_event_timeout(x->wait, try_wait_for_completion(x), timeout);
	return (unsigned long)left;
}
