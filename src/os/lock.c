// SPDX-License-Identifier: MIT
/*
 * lock.c - the lock behind spinlock_t and struct mutex: spins briefly, then
 * sleeps on a futex, so that a holder preempted or sleeping costs no CPU.
 */
#include <time.h> /* before os.h, whose timer_delete macro clashes with POSIX's */

#include <dmaengine/os.h>

#include "futex.h"

enum {
	DMAE_LOCK_FREE = 0,	/* nobody holds it */
	DMAE_LOCK_HELD = 1,	/* held, nobody sleeping */
	DMAE_LOCK_CONTENDED = 2, /* held, maybe sleepers: unlock must wake one */
};

/* Spins before sleeping: about the length of a short critical section. */
#define DMAE_LOCK_SPINS 100

static bool dmae_lock_try(u32 *state, u32 to)
{
	u32 expected = DMAE_LOCK_FREE;

	/* Acquire: the critical section sees what the previous holder wrote. */
	return __atomic_compare_exchange_n(state, &expected, to, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* dmae_lock_spin - wait for the lock to come free for a short while. */
static bool dmae_lock_spin(u32 *state)
{
	int i;

	for (i = 0; i < DMAE_LOCK_SPINS; i++) {
		u32 s = __atomic_load_n(state, __ATOMIC_RELAXED);

		if (s == DMAE_LOCK_FREE && dmae_lock_try(state, DMAE_LOCK_HELD))
			return true;
		if (s == DMAE_LOCK_CONTENDED)
			return false; /* others already sleep: join them */
		cpu_relax();
	}
	return false;
}

/*
 * dmae_lock_sleep - take the lock, sleeping until it is free. It is taken as
 * CONTENDED since this thread cannot know whether others still sleep.
 */
static void dmae_lock_sleep(u32 *state)
{
	while (__atomic_exchange_n(state, DMAE_LOCK_CONTENDED, __ATOMIC_ACQUIRE) !=
	       DMAE_LOCK_FREE)
		dmae__futex_wait(state, DMAE_LOCK_CONTENDED, NULL);
}

/** dmae_lock - take @lock. Context: any; sleeps while it is held elsewhere. */
DMAE_EXPORT void dmae_lock(spinlock_t *lock)
{
	if (dmae_lock_try(&lock->state, DMAE_LOCK_HELD))
		return;
	if (dmae_lock_spin(&lock->state))
		return;
	dmae_lock_sleep(&lock->state);
}

/** dmae_trylock - take @lock if it is free; true if taken. Context: any. */
DMAE_EXPORT bool dmae_trylock(spinlock_t *lock)
{
	return dmae_lock_try(&lock->state, DMAE_LOCK_HELD);
}

/** dmae_unlock - release @lock, waking one sleeper if any. Context: any. */
DMAE_EXPORT void dmae_unlock(spinlock_t *lock)
{
	/* Release: the next holder sees this critical section's writes. */
	if (__atomic_exchange_n(&lock->state, DMAE_LOCK_FREE, __ATOMIC_RELEASE) ==
	    DMAE_LOCK_CONTENDED)
		dmae__futex_wake(&lock->state, 1);
}

/** dmae_is_locked - whether @lock is held now (a hint, racy by nature). Context: any. */
DMAE_EXPORT bool dmae_is_locked(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->state, __ATOMIC_RELAXED) != DMAE_LOCK_FREE;
}
