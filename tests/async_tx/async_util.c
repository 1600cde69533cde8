// SPDX-License-Identifier: MIT
/*
 * async_util.c - the shared fixtures of the async_tx tests (see async_test.h).
 */
#include "async_tx/async_test.h"

bool at_offload;
u64 at_seed;
__thread bool at_on_test_thread;

/* ------------------------------------------------------------ log capture */

static struct {
	spinlock_t lock; /* protects the fields below; lines come from any thread */
	int lines;	 /* lines (not debug) since the last reset */
	char last[512];	 /* the last of them */
	bool expected;	 /* the running test expects lines */
} logcap; /* zeroed: the lock starts unlocked */

static void log_fn(enum dmae_log_level level, const char *line, void *arg)
{
	/* Echo everything: a failing test shows what the library said. */
	fprintf(stderr, "  [log] %s\n", line);
	if (level == DMAE_LOG_DEBUG)
		return;
	spin_lock(&logcap.lock);
	logcap.lines++;
	snprintf(logcap.last, sizeof(logcap.last), "%s", line);
	spin_unlock(&logcap.lock);
}

int at_log_lines(void)
{
	int n;

	spin_lock(&logcap.lock);
	n = logcap.lines;
	spin_unlock(&logcap.lock);
	return n;
}

const char *at_log_last(void)
{
	static char copy[512];

	spin_lock(&logcap.lock);
	memcpy(copy, logcap.last, sizeof(copy));
	spin_unlock(&logcap.lock);
	return copy;
}

void at_log_reset(void)
{
	spin_lock(&logcap.lock);
	logcap.lines = 0;
	logcap.last[0] = '\0';
	spin_unlock(&logcap.lock);
}

void at_log_expect(void)
{
	spin_lock(&logcap.lock);
	logcap.expected = true;
	spin_unlock(&logcap.lock);
}

int at_setup(void **state)
{
	at_log_reset();
	spin_lock(&logcap.lock);
	logcap.expected = false;
	spin_unlock(&logcap.lock);
	return 0;
}

int at_teardown(void **state)
{
	bool expected;
	int n = at_log_lines();

	spin_lock(&logcap.lock);
	expected = logcap.expected;
	spin_unlock(&logcap.lock);
	if (n && !expected) {
		fprintf(stderr, "  unexpected log lines: %d (last: %s)\n", n, at_log_last());
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ setup */

void at_init(const char *name)
{
	const char *platform = getenv("DMAENGINE_PLATFORM");
	const char *seed = getenv("ASYNC_SEED");

	/* Debug lines would only make the output long. */
	unsetenv("DMAENGINE_DEBUG");
	at_offload = !(platform && !strcmp(platform, "none"));
	at_seed = seed && *seed ? strtoull(seed, NULL, 0) : dmae_clock_ns() ^ 0x9e3779b97f4a7c15ull;
	if (!at_seed)
		at_seed = 1;
	printf("%s: %s, seed %llu (ASYNC_SEED=%llu to reproduce)\n", name,
	       at_offload ? "channels (offloaded)" : "no channels (synchronous fallback)",
	       (unsigned long long)at_seed, (unsigned long long)at_seed);
	fflush(stdout);
	at_on_test_thread = true;
	dmae_set_log_handler(log_fn, NULL);
}

/* ------------------------------------------------------------ randomness */

u64 at_rng(u64 salt)
{
	u64 s = at_seed ^ (salt * 0x9e3779b97f4a7c15ull);

	if (!s)
		s = 1;
	/* Decorrelate nearby salts. */
	for (int i = 0; i < 4; i++)
		at_rand(&s);
	return s;
}

void at_fill(void *p, size_t len, u64 *s)
{
	u8 *b = p;

	while (len >= 8) {
		u64 r = at_rand(s);

		memcpy(b, &r, 8);
		b += 8;
		len -= 8;
	}
	if (len) {
		u64 r = at_rand(s);

		memcpy(b, &r, len);
	}
}

/* ------------------------------------------------------------ buffers */

struct page *at_alloc(unsigned int order)
{
	struct page *pg = alloc_pages(GFP_KERNEL, order);

	assert_non_null(pg);
	assert_int_equal((uintptr_t)page_address(pg) & ~PAGE_MASK, 0);
	return pg;
}

bool at_all(const void *p, size_t len, u8 byte)
{
	const u8 *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != byte)
			return false;
	return true;
}

/* ------------------------------------------------------------ descriptors */

void at_check_tx_(const char *file, int line, struct dma_async_tx_descriptor *tx, bool offload,
		  const char *what)
{
	if (IS_ERR(tx)) {
		fprintf(stderr, "%s:%d: %s returned error %ld\n", file, line, what, PTR_ERR(tx));
		_fail(file, line);
	}
	if (offload && !tx) {
		fprintf(stderr, "%s:%d: %s ran synchronously; a channel should have done it\n",
			file, line, what);
		_fail(file, line);
	}
	if (!offload && tx) {
		fprintf(stderr, "%s:%d: %s returned a descriptor; no channel should exist\n", file,
			line, what);
		_fail(file, line);
	}
}

void at_finish(struct dma_async_tx_descriptor **tx)
{
	async_tx_quiesce(tx);
	assert_null(*tx);
}

/* ------------------------------------------------------------ callbacks */

void at_cb_init(struct at_cb *cb, int id, int *order, u32 *order_len)
{
	memset(cb, 0, sizeof(*cb));
	init_completion(&cb->done);
	cb->id = id;
	cb->order = order;
	cb->order_len = order_len;
	cb->ctx = (enum dmae_context)-1;
}

void at_cb_fn(void *param)
{
	struct at_cb *cb = param;

	cb->on_test_thread = at_on_test_thread;
	cb->ctx = dmae_context();
	if (cb->order) {
		u32 slot = __atomic_fetch_add(cb->order_len, 1, __ATOMIC_ACQ_REL);

		cb->order[slot] = cb->id;
	}
	__atomic_add_fetch(&cb->calls, 1, __ATOMIC_RELEASE);
	complete(&cb->done);
}

bool at_cb_wait(struct at_cb *cb)
{
	return wait_for_completion_timeout(&cb->done, msecs_to_jiffies(AT_WAIT_MS)) != 0;
}
