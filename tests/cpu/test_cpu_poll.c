// SPDX-License-Identifier: MIT
/*
 * test_cpu_poll.c - a client polling an in-order cpu channel whose worker
 * sleeps runs the small plain copies up to its cookie itself: the data
 * arrives, completion stays in order, a descriptor with a callback (and all
 * after it) is left to the worker, a paused channel stays paused, and two
 * clients polling one channel take turns with the worker. And a client
 * polling on its awake worker's CPU lets the worker run.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/os.h>
#include <dmaengine/provider.h>

#include "common/chan.h"
#include "common/pin.h"
#include "drivers/cpu/cpu-dma.h" /* white-box: did the client run them? */

#define LEN 8192 /* bytes per buffer */

static struct dma_device *probe(unsigned int workers)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = workers;
	p.descs = 64;
	p.spin_ns = 0; /* the worker sleeps as soon as it has nothing to do */
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

static struct cpu_chan *cpu_chan_of(struct dma_chan *chan)
{
	return container_of(chan, struct cpu_chan, chan);
}

static unsigned long client_runs(struct dma_chan *chan)
{
	return __atomic_load_n(&cpu_chan_of(chan)->client_runs, __ATOMIC_RELAXED);
}

/* Wait for the channel's worker to be asleep (it never stays away long). */
static void wait_asleep(struct dma_chan *chan)
{
	struct cpu_worker *w = cpu_chan_of(chan)->worker;

	while (__atomic_load_n(&w->hold, __ATOMIC_ACQUIRE) != CPU_HOLD_ASLEEP)
		dmae_yield();
}

static void pattern(u8 *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(i * 29 + seed * 13 + (i >> 8));
}

static dma_addr_t bus(const void *p)
{
	return (dma_addr_t)(uintptr_t)p;
}

static dma_cookie_t submit(struct dma_chan *chan, void *dst, const void *src, size_t len,
			   dma_async_tx_callback cb, void *param)
{
	struct dma_async_tx_descriptor *tx =
		dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), len, DMA_CTRL_ACK);
	dma_cookie_t cookie;

	assert_non_null(tx);
	tx->callback = cb;
	tx->callback_param = param;
	cookie = dmaengine_submit(tx);
	assert_true(cookie > 0);
	return cookie;
}

static void poll_done(struct dma_chan *chan, dma_cookie_t cookie)
{
	enum dma_status st;

	while ((st = dmaengine_tx_status(chan, cookie, NULL)) != DMA_COMPLETE)
		assert_int_equal(st, DMA_IN_PROGRESS);
}

/*
 * Batches of small copies while the worker sleeps: the poller runs them.
 * Whether the poller comes first is the scheduler's call: a worker woken
 * on the poller's CPU preempts it. On CPUs of their own, the woken worker
 * needs a while to run, and the poller mostly wins.
 */
static void test_poller_runs_them(void **state)
{
	struct dma_device *dma = probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(LEN), *dst = malloc(LEN);
	unsigned long before = client_runs(chan);
	pid_t tid = worker_tid(dma, 0);
	int cpus[2];
	bool pinned;
	cpu_set_t was;

	(void)state;
	assert_non_null(src);
	assert_non_null(dst);
	assert_true(tid > 0);
	pinned = first_cpus(cpus, 2, &was) == 2 && !pin_tid(0, cpus[0]) && !pin_tid(tid, cpus[1]);
	if (!pinned)
		print_message("one CPU: whoever the scheduler runs first moves the data\n");
	for (unsigned int k = 0; k < 100; k++) {
		unsigned int n = 1 + k % 8;
		size_t len = LEN / 8 - k % 13;
		dma_cookie_t cookie = 0;

		pattern(src, LEN, k);
		memset(dst, 0, LEN);
		wait_asleep(chan);
		for (unsigned int i = 0; i < n; i++)
			cookie = submit(chan, dst + i * (LEN / 8), src + i * (LEN / 8), len, NULL,
					NULL);
		dma_async_issue_pending(chan);
		poll_done(chan, cookie);
		for (unsigned int i = 0; i < n; i++) {
			assert_memory_equal(dst + i * (LEN / 8), src + i * (LEN / 8), len);
			if (len < LEN / 8) /* and not a byte more */
				assert_int_equal(dst[i * (LEN / 8) + len], 0);
		}
	}
	print_message("the poller ran %lu of 450\n", client_runs(chan) - before);
	/* The worker wakes now and then before the poll: most, not all. */
	if (pinned)
		assert_true(client_runs(chan) - before > 100);
	assert_int_equal(sched_setaffinity(0, sizeof(was), &was), 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
	free(src);
	free(dst);
}

struct seen {
	unsigned int calls;   /* callbacks so far; atomic */
	unsigned int off_worker; /* callbacks not on a worker thread; atomic */
};

static void seen_cb(void *param)
{
	struct seen *s = param;

	if (!dmae__cpu_current_worker())
		__atomic_add_fetch(&s->off_worker, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELEASE);
}

/*
 * A copy with a callback, then plain ones: the poller runs none of them
 * (they would complete before the callback's), and the callback comes from
 * the worker. Polling for the plain one alone, with a callback one behind
 * it, the poller runs the plain one.
 */
static void test_callback_left_to_worker(void **state)
{
	struct dma_device *dma = probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(LEN), *dst = malloc(LEN);
	struct seen s = { 0 };

	(void)state;
	assert_non_null(src);
	assert_non_null(dst);
	for (unsigned int k = 0; k < 20; k++) {
		unsigned long before;
		dma_cookie_t cookie;

		pattern(src, LEN, k);
		memset(dst, 0, LEN);
		wait_asleep(chan);
		before = client_runs(chan);
		submit(chan, dst, src, 512, seen_cb, &s);
		cookie = submit(chan, dst + 512, src + 512, 512, NULL, NULL);
		dma_async_issue_pending(chan);
		poll_done(chan, cookie);
		assert_int_equal(client_runs(chan), before);
		/* In order: the callback's copy completed before the plain one. */
		assert_memory_equal(dst, src, 1024);
		while (__atomic_load_n(&s.calls, __ATOMIC_ACQUIRE) != k + 1)
			dmae_yield();
	}
	assert_int_equal(__atomic_load_n(&s.off_worker, __ATOMIC_RELAXED), 0);

	wait_asleep(chan);
	{
		unsigned long before = client_runs(chan);
		dma_cookie_t first = submit(chan, dst, src, 512, NULL, NULL);

		submit(chan, dst + 512, src + 512, 512, seen_cb, &s);
		dma_async_issue_pending(chan);
		poll_done(chan, first);
		/* The worker may have woken first; if the poller ran it, that one only. */
		assert_true(client_runs(chan) - before <= 1);
		while (__atomic_load_n(&s.calls, __ATOMIC_ACQUIRE) != 21)
			dmae_yield();
	}
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
	free(src);
	free(dst);
}

/* Paused: polling moves nothing; resumed, it completes. */
static void test_paused_stays_paused(void **state)
{
	struct dma_device *dma = probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(LEN), *dst = calloc(1, LEN), *zero = calloc(1, LEN);
	unsigned long before = client_runs(chan);
	dma_cookie_t cookie;
	struct dma_tx_state st;

	(void)state;
	assert_non_null(src);
	assert_non_null(dst);
	assert_non_null(zero);
	pattern(src, LEN, 7);
	assert_int_equal(dmaengine_pause(chan), 0);
	wait_asleep(chan);
	cookie = submit(chan, dst, src, LEN, NULL, NULL);
	dma_async_issue_pending(chan);
	for (unsigned int i = 0; i < 1000; i++) {
		assert_int_equal(dmaengine_tx_status(chan, cookie, &st), DMA_PAUSED);
		assert_int_equal(st.residue, LEN);
	}
	assert_memory_equal(dst, zero, LEN);
	assert_int_equal(client_runs(chan), before);
	assert_int_equal(dmaengine_resume(chan), 0);
	poll_done(chan, cookie);
	assert_memory_equal(dst, src, LEN);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
	free(src);
	free(dst);
	free(zero);
}

#define ROUNDS 300

struct poller {
	struct dma_chan *chan;
	u8 *src, *dst; /* its own LEN bytes of each */
	unsigned int seed;
	unsigned int bad; /* rounds whose data was wrong */
};

static void poller_main(void *arg)
{
	struct poller *p = arg;

	for (unsigned int k = 0; k < ROUNDS; k++) {
		size_t len = 64 + (k * 97) % (LEN - 64);
		dma_cookie_t cookie;

		pattern(p->src, LEN, p->seed + k);
		memset(p->dst, 0, LEN);
		cookie = submit(p->chan, p->dst, p->src, len, NULL, NULL);
		dma_async_issue_pending(p->chan);
		poll_done(p->chan, cookie);
		if (memcmp(p->dst, p->src, len) || p->dst[len])
			p->bad++;
	}
}

/* Two clients of one channel poll their copies while the worker comes and goes. */
static void test_two_pollers(void **state)
{
	struct dma_device *dma = probe(2);
	struct dma_chan *chan = request_memcpy_chan(dma);
	u8 *src = malloc(2 * LEN), *dst = malloc(2 * LEN);
	struct poller p[2];
	struct dmae_thread *th[2];

	(void)state;
	assert_non_null(src);
	assert_non_null(dst);
	for (unsigned int i = 0; i < 2; i++) {
		p[i] = (struct poller){ chan, src + i * LEN, dst + i * LEN, i * 1000, 0 };
		assert_int_equal(dmae_thread_create(&th[i], poller_main, &p[i], "poller"), 0);
	}
	for (unsigned int i = 0; i < 2; i++) {
		dmae_thread_join(th[i]);
		assert_int_equal(p[i].bad, 0);
	}
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
	free(src);
	free(dst);
}

/*
 * A client polling on the one CPU its channel's awake worker may use: the
 * worker runs only when the client lets it, and a poll that sees no
 * progress for a while does. Copies of 128 KiB, which the client never runs
 * itself. Without the yields the worker would wait out the client's slice.
 */
static void test_poller_yields_to_its_worker(void **state)
{
	const size_t len = 128 * 1024;
	struct dma_cpu_params p;
	struct dma_device *dma;
	struct dma_chan *chan;
	u8 *src = malloc(4 * len), *dst = malloc(4 * len);
	pid_t tid;
	int cpus[1];
	cpu_set_t was;

	(void)state;
	assert_non_null(src);
	assert_non_null(dst);
	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 1;
	p.spin_ns = 1000000000ull; /* awake all along */
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	chan = request_memcpy_chan(dma);
	tid = worker_tid(dma, 0);
	assert_true(tid > 0);
	if (first_cpus(cpus, 1, &was) < 1 || pin_tid(0, cpus[0]) || pin_tid(tid, cpus[0])) {
		dma_release_channel(chan);
		assert_int_equal(dma_cpu_remove(dma), 0);
		free(src);
		free(dst);
		skip();
	}
	for (unsigned int k = 0; k < 50; k++) {
		dma_cookie_t cookie = 0;

		pattern(src, 4 * len, k);
		memset(dst, 0, 4 * len);
		for (unsigned int i = 0; i < 4; i++)
			cookie = submit(chan, dst + i * len, src + i * len, len, NULL, NULL);
		dma_async_issue_pending(chan);
		poll_done(chan, cookie);
		assert_memory_equal(dst, src, 4 * len);
	}
	print_message("%lu polls yielded\n", cpu_chan_of(chan)->poll_yields);
	assert_true(cpu_chan_of(chan)->poll_yields > 0);
	assert_int_equal(client_runs(chan), 0);
	assert_int_equal(sched_setaffinity(0, sizeof(was), &was), 0);
	assert_int_equal(sched_setaffinity(tid, sizeof(was), &was), 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
	free(src);
	free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poller_runs_them),
		cmocka_unit_test(test_callback_left_to_worker),
		cmocka_unit_test(test_paused_stays_paused),
		cmocka_unit_test(test_two_pollers),
		cmocka_unit_test(test_poller_yields_to_its_worker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
