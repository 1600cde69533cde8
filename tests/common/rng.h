/* SPDX-License-Identifier: MIT */
/*
 * rng.h - the tests' seeded PRNG (xorshift64*): a test sets seed (printed,
 * replayable from its environment variable), and each case starts from the
 * seed and its own salt, so a filtered run replays the same cases.
 * Header-only: one copy per test program.
 */
#ifndef DMAE_TEST_RNG_H
#define DMAE_TEST_RNG_H

#include <dmaengine/types.h>

static u64 seed;
static u64 rng;

static inline void rng_init(u64 salt)
{
	rng = seed ^ (salt * 0x9e3779b97f4a7c15ull);
	if (!rng)
		rng = 1;
}

static inline u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

/* Uniform in [lo, hi]. */
static inline u64 rnd_range(u64 lo, u64 hi)
{
	return lo + rnd() % (hi - lo + 1);
}

#endif /* DMAE_TEST_RNG_H */
