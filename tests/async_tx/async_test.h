/* SPDX-License-Identifier: MIT */
/*
 * async_test.h - private to the async_tx tests: the run mode (channels or
 * the synchronous fallback), a seeded PRNG, page buffers, log capture and
 * callback probes.
 *
 * Environment:
 *   DMAENGINE_PLATFORM=none  no default cpu device: every async_tx call must
 *                            run synchronously (return NULL)
 *   ASYNC_SEED=n             replay a run (the seed is printed)
 */
#ifndef ASYNC_TEST_H
#define ASYNC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dmaengine/async_tx.h>
#include <dmaengine/os.h>

#include "raid/raid.h" /* the plain C reference and the GF(2^8) tables */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* How long a test waits for a callback before it fails (ms). */
#define AT_WAIT_MS 20000

/* ------------------------------------------------------------ run mode */

/* true: channels exist, operations must be offloaded (return descriptors);
 * false: DMAENGINE_PLATFORM=none, everything runs in the caller (NULL). */
extern bool at_offload;
/* The seed of this run. */
extern u64 at_seed;
/* Set on the thread that runs the tests: tells a callback where it runs. */
extern __thread bool at_on_test_thread;

/**
 * at_init - read the mode and the seed, print them, capture the log and
 * mark the calling thread. @name is the program's name for the message.
 */
void at_init(const char *name);

/* cmocka setup/teardown: reset the log; fail when a test logged a line it
 * did not expect (at_log_expect). */
int at_setup(void **state);
int at_teardown(void **state);

/* ------------------------------------------------------------ randomness */

static inline u64 at_rand(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [lo, hi]. */
static inline u64 at_rand_range(u64 *s, u64 lo, u64 hi)
{
	return lo + at_rand(s) % (hi - lo + 1);
}

/* A per-test random state derived from the run's seed and @salt. */
u64 at_rng(u64 salt);

/* Fill @len bytes at @p with random bytes. */
void at_fill(void *p, size_t len, u64 *s);

/* ------------------------------------------------------------ buffers */

/* 2^@order zeroed pages; the test fails if there is no memory. */
struct page *at_alloc(unsigned int order);

static inline u8 *at_ptr(struct page *pg, unsigned int off)
{
	return (u8 *)page_address(pg) + off;
}

/* true when @len bytes at @p all equal @byte. */
bool at_all(const void *p, size_t len, u8 byte);

/* ------------------------------------------------------------ descriptors */

/**
 * at_check_tx - check what an async_* call returned: never an error here;
 * a descriptor when @offload (the operation went to a channel), NULL
 * otherwise (it ran in the caller). @what names the call for the message.
 */
void at_check_tx_(const char *file, int line, struct dma_async_tx_descriptor *tx, bool offload,
		  const char *what);
#define at_check_tx(tx, offload, what) at_check_tx_(__FILE__, __LINE__, (tx), (offload), (what))

/* Issue every public channel, then wait for @tx (NULL: nothing), ack it. */
void at_finish(struct dma_async_tx_descriptor **tx);

/* ------------------------------------------------------------ callbacks */

/* A callback probe: counts calls, records where it ran and in which order. */
struct at_cb {
	struct completion done; /* completed by each call */
	u32 calls;		/* calls so far (atomic) */
	bool on_test_thread;	/* the last call ran on the test thread */
	enum dmae_context ctx;	/* the context of the last call */
	int id;			/* recorded into *order */
	int *order;		/* shared order array, or NULL */
	u32 *order_len;		/* its length (atomic) */
};

void at_cb_init(struct at_cb *cb, int id, int *order, u32 *order_len);
/* The dma_async_tx_callback of a probe. */
void at_cb_fn(void *param);
/* Wait for one call of @cb; false after AT_WAIT_MS. */
bool at_cb_wait(struct at_cb *cb);
static inline u32 at_cb_calls(struct at_cb *cb)
{
	return __atomic_load_n(&cb->calls, __ATOMIC_ACQUIRE);
}
#define assert_cb_wait(cb) assert_true(at_cb_wait(cb))

/* ------------------------------------------------------------ log capture */

/* Lines (not debug) logged since the last reset. */
int at_log_lines(void);
/* The last line logged ("" if none). */
const char *at_log_last(void);
void at_log_reset(void);
/* The current test expects lines: teardown does not fail on them. */
void at_log_expect(void);

#endif /* ASYNC_TEST_H */
