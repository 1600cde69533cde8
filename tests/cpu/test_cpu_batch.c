// SPDX-License-Identifier: MIT
/*
 * test_cpu_batch.c - consecutive plain copies and fills of an in-order cpu
 * channel, shared out among the device's workers as one run: the data
 * arrives, completions and callbacks keep their order, DMA_PREP_FENCE makes
 * a later descriptor see an earlier one's result, and pause, resume and
 * terminate stay exact in the middle of a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/provider.h>

#include "common/chan.h"
#include "drivers/cpu/cpu-dma.h" /* white-box: were runs shared? */

#define NDESC 96		  /* descriptors per round */
#define BUF (NDESC * 24 * 1024) /* room for all of them end to end */

static const size_t sizes[] = { 1024, 4096, 8192 + 13, 20000, 3000, 65536 };

struct order {
	dma_cookie_t last;	   /* last cookie a callback saw */
	unsigned int calls;	   /* callbacks so far */
	unsigned int errors;	   /* callbacks out of order or not NOERROR */
	dma_cookie_t first;	   /* this one's callback completes started */
	dma_cookie_t target;	   /* this one's callback completes done */
	struct completion started, done;
};

/* The callback gets its own cookie through callback_param's slot. */
struct slot {
	struct order *o;
	dma_cookie_t cookie;
};

static void slot_cb(void *param, const struct dmaengine_result *res)
{
	struct slot *s = param;
	struct order *o = s->o;

	if (o->last && s->cookie != dma_cookie_next(o->last))
		o->errors++;
	o->last = s->cookie;
	if (res->result != DMA_TRANS_NOERROR || res->residue)
		o->errors++;
	o->calls++;
	if (s->cookie == __atomic_load_n(&o->first, __ATOMIC_ACQUIRE))
		complete(&o->started);
	if (s->cookie == __atomic_load_n(&o->target, __ATOMIC_ACQUIRE))
		complete(&o->done);
}

static struct dma_device *probe2(size_t chunk)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 2;
	p.descs = 256;
	p.chunk = chunk;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

static unsigned long batches(struct dma_device *dma)
{
	return __atomic_load_n(&container_of(dma, struct cpu_dev, dma)->assist.batches,
			       __ATOMIC_RELAXED);
}

/* Release @chan and remove @dma; with @shared, runs must have been shared. */
static void teardown(struct dma_device *dma, struct dma_chan *chan, bool shared)
{
	if (shared)
		assert_true(batches(dma) > 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void pattern(u8 *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(i * 131 + seed * 17 + (i >> 9));
}

static dma_addr_t bus(const void *p)
{
	return (dma_addr_t)(uintptr_t)p;
}

/* Prepare and submit a copy of @len bytes with DMA_CTRL_ACK | @flags: its cookie. */
static dma_cookie_t submit_copy(struct dma_chan *chan, void *dst, const void *src, size_t len,
				unsigned long flags)
{
	struct dma_async_tx_descriptor *tx =
		dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), len, DMA_CTRL_ACK | flags);
	dma_cookie_t cookie;

	assert_non_null(tx);
	cookie = dmaengine_submit(tx);
	assert_true(cookie > 0);
	return cookie;
}

/*
 * Rounds of copies and fills of mixed sizes, all issued at once: every byte
 * is right, every callback comes once, in cookie order, and runs were shared.
 */
static void test_batch_copies(void **state)
{
	struct dma_device *dma = probe2(4096);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(BUF), *dst = malloc(BUF), *want = malloc(BUF);
	static struct slot slots[NDESC];
	struct order o = { 0 };

	assert_non_null(src);
	assert_non_null(dst);
	assert_non_null(want);
	for (unsigned int round = 0; round < 40; round++) {
		size_t off = 0;

		pattern(src, BUF, round);
		memset(dst, 0, BUF);
		memset(want, 0, BUF);
		init_completion(&o.done);
		o.calls = 0;
		for (unsigned int i = 0; i < NDESC; i++) {
			size_t len = sizes[(i + round) % (sizeof(sizes) / sizeof(sizes[0]))];
			struct dma_async_tx_descriptor *tx;

			if (i % 7 == 3) {
				tx = dmaengine_prep_dma_memset(chan, bus(dst + off), (int)(i & 0xff),
							       len, DMA_CTRL_ACK);
				memset(want + off, (int)(i & 0xff), len);
			} else {
				tx = dmaengine_prep_dma_memcpy(chan, bus(dst + off), bus(src + off),
							       len, DMA_CTRL_ACK);
				memcpy(want + off, src + off, len);
			}
			assert_non_null(tx);
			slots[i].o = &o;
			tx->callback_result = slot_cb;
			tx->callback_param = &slots[i];
			slots[i].cookie = dmaengine_submit(tx);
			assert_true(slots[i].cookie > 0);
			off += len + 64; /* a gap that nothing may write */
		}
		__atomic_store_n(&o.target, slots[NDESC - 1].cookie, __ATOMIC_RELEASE);
		dma_async_issue_pending(chan);
		wait_for_completion(&o.done);
		assert_int_equal(o.calls, NDESC);
		assert_int_equal(o.errors, 0);
		assert_memory_equal(dst, want, BUF);
	}
	teardown(dma, chan, true);
	free(src);
	free(dst);
	free(want);
}

/*
 * A copy into a buffer, fenced, then a copy out of it, in one issue with
 * others around them: the second always sees the first one's data. Copies
 * over 64 KiB, which a client polling with dma_sync_wait() never runs
 * itself while the worker sleeps: they go to the worker, as runs.
 */
static void test_batch_fence(void **state)
{
	const size_t len = 96 * 1024;
	struct dma_device *dma = probe2(16384);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(len), *mid = malloc(len), *dst = malloc(len), *other = malloc(4 * len);

	assert_non_null(src);
	assert_non_null(mid);
	assert_non_null(dst);
	assert_non_null(other);
	memset(other, 0x3c, 4 * len);
	for (unsigned int round = 0; round < 200; round++) {
		dma_cookie_t last;

		pattern(src, len, round);
		memset(mid, 0, len);
		memset(dst, 0, len);
		submit_copy(chan, other + len, other, len, 0);
		submit_copy(chan, mid, src, len, DMA_PREP_FENCE);
		submit_copy(chan, dst, mid, len, 0);
		last = submit_copy(chan, other + 3 * len, other + 2 * len, len, 0);
		assert_int_equal(dma_sync_wait(chan, last), DMA_COMPLETE);
		assert_memory_equal(dst, src, len);
	}
	teardown(dma, chan, true);
	free(src);
	free(mid);
	free(dst);
	free(other);
}

/*
 * Copies of 256 KiB issued at once, paused as soon as the first is done, then
 * resumed; then again, terminated as soon as the first is done. The
 * completed ones form a prefix in cookie order, each with its callback and
 * its data; after a pause every one completes, after a terminate the others
 * get no callback; the residue does not move while paused.
 */
static void test_batch_pause_terminate(void **state)
{
	const size_t len = 256 * 1024;
	const unsigned int n = 64;
	struct dma_device *dma = probe2(4096);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(n * len), *dst = malloc(n * len);
	static struct slot slots[64];
	struct order o = { 0 };

	assert_non_null(src);
	assert_non_null(dst);
	for (unsigned int round = 0; round < 20; round++) {
		bool terminate = round & 1;
		unsigned int done = 0;

		pattern(src, n * len, round);
		memset(dst, 0, n * len);
		init_completion(&o.started);
		init_completion(&o.done);
		o.calls = 0;
		o.last = 0;
		for (unsigned int i = 0; i < n; i++) {
			struct dma_async_tx_descriptor *tx =
				dmaengine_prep_dma_memcpy(chan, bus(dst + i * len),
							  bus(src + i * len), len, DMA_CTRL_ACK);

			assert_non_null(tx);
			slots[i].o = &o;
			tx->callback_result = slot_cb;
			tx->callback_param = &slots[i];
			slots[i].cookie = dmaengine_submit(tx);
		}
		__atomic_store_n(&o.first, slots[0].cookie, __ATOMIC_RELEASE);
		__atomic_store_n(&o.target, slots[n - 1].cookie, __ATOMIC_RELEASE);
		dma_async_issue_pending(chan);
		/*
		 * The first completes with the first run; the second run (8 MiB)
		 * is then likely still moving. Sleeping leaves the CPUs to it.
		 */
		wait_for_completion(&o.started);
		if (terminate) {
			assert_int_equal(dmaengine_terminate_sync(chan), 0);
		} else {
			struct dma_tx_state st;
			u32 residue = (u32)len;

			assert_int_equal(dmaengine_pause(chan), 0);
			/* Paused: nothing moves, so the residue stays put. */
			for (unsigned int i = 0; i < n; i++)
				if (dmaengine_tx_status(chan, slots[i].cookie, &st) != DMA_COMPLETE) {
					residue = st.residue;
					break;
				}
			for (unsigned int i = 0; i < n; i++)
				if (dmaengine_tx_status(chan, slots[i].cookie, &st) != DMA_COMPLETE) {
					assert_true(st.residue <= residue);
					break;
				}
			assert_int_equal(dmaengine_resume(chan), 0);
			wait_for_completion(&o.done);
		}
		/* Completed: a prefix, each with its data; the rest untouched by callbacks. */
		while (done < n && dma_async_is_tx_complete(chan, slots[done].cookie, NULL, NULL) ==
					   DMA_COMPLETE)
			done++;
		/* A terminate may also drop the callbacks of some completed ones. */
		if (!terminate)
			assert_int_equal(done, n);
		assert_true(terminate ? o.calls <= done : o.calls == done);
		assert_int_equal(o.errors, 0);
		assert_memory_equal(dst, src, done * len);
	}
	/* The channel still works. */
	memset(dst, 0, len);
	assert_int_equal(dma_sync_wait(chan, submit_copy(chan, dst, src, len, 0)), DMA_COMPLETE);
	assert_memory_equal(dst, src, len);
	teardown(dma, chan, false);
	free(src);
	free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_copies),
		cmocka_unit_test(test_batch_fence),
		cmocka_unit_test(test_batch_pause_terminate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
