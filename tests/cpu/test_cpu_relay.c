// SPDX-License-Identifier: MIT
/*
 * test_cpu_relay.c - a client that sleeps until its callback wakes it, on
 * the CPU of a worker that polls while another worker runs the channel:
 * the callback's wake-up goes through the polling worker's relay, and
 * none is lost, whether the workers poll or come and go.
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
#include "drivers/cpu/cpu-dma.h" /* white-box: how many went through a relay? */

#define LEN 16384 /* bytes per copy */
#define COPIES 4  /* per round; the last one's callback wakes the client */
#define ROUNDS 400

static struct dma_device *probe(u64 spin_ns)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 2;
	p.descs = 64;
	p.spin_ns = spin_ns;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

static unsigned long relay_wakes(struct dma_device *dma)
{
	return __atomic_load_n(&dmae__cpu_dev(dma)->relay_wakes, __ATOMIC_RELAXED);
}

/*
 * The channel's worker on one CPU; the other worker and this thread on
 * another. False when there are not two CPUs to do it with.
 */
static bool pin_apart(struct dma_device *dma, struct dma_chan *chan, cpu_set_t *was)
{
	unsigned int own = container_of(chan, struct cpu_chan, chan)->worker->idx;
	pid_t tid[2] = { worker_tid(dma, 0), worker_tid(dma, 1) };
	int cpus[2];

	assert_true(tid[0] > 0 && tid[1] > 0);
	return first_cpus(cpus, 2, was) == 2 && !pin_tid(tid[own], cpus[0]) &&
	       !pin_tid(tid[!own], cpus[1]) && !pin_tid(0, cpus[1]);
}

struct waiter {
	wait_queue_head_t wq; /* the client sleeps here */
	u32 rounds;	      /* rounds whose last callback ran; atomic */
};

static void round_done(void *param)
{
	struct waiter *w = param;

	__atomic_add_fetch(&w->rounds, 1, __ATOMIC_RELEASE);
	wake_up(&w->wq);
}

/* ROUNDS rounds of COPIES copies; the client sleeps until each round's end. */
static void run_rounds(struct dma_chan *chan)
{
	u8 *src = malloc(COPIES * LEN), *dst = malloc(COPIES * LEN);
	struct waiter w = { .rounds = 0 };

	assert_non_null(src);
	assert_non_null(dst);
	init_waitqueue_head(&w.wq);
	for (u32 k = 0; k < ROUNDS; k++) {
		for (size_t i = 0; i < COPIES * LEN; i++)
			src[i] = (u8)(i * 31 + k * 7 + (i >> 9));
		memset(dst, 0, COPIES * LEN);
		for (unsigned int i = 0; i < COPIES; i++) {
			struct dma_async_tx_descriptor *tx = dmaengine_prep_dma_memcpy(
				chan, (dma_addr_t)(uintptr_t)(dst + i * LEN),
				(dma_addr_t)(uintptr_t)(src + i * LEN), LEN, DMA_CTRL_ACK);

			assert_non_null(tx);
			if (i == COPIES - 1) {
				tx->callback = round_done;
				tx->callback_param = &w;
			}
			assert_true(dmaengine_submit(tx) > 0);
		}
		dma_async_issue_pending(chan);
		/* A lost wake-up leaves the client asleep: the test times out. */
		wait_event(w.wq, __atomic_load_n(&w.rounds, __ATOMIC_ACQUIRE) == k + 1);
		assert_memory_equal(dst, src, COPIES * LEN);
	}
	free(src);
	free(dst);
}

/* The other worker polls (it never sleeps): the callbacks' wake-ups go through it. */
static void test_wakes_through_polling_worker(void **state)
{
	struct dma_device *dma = probe(1000000000ull);
	struct dma_chan *chan = request_memcpy_chan(dma);
	unsigned long before = relay_wakes(dma);
	cpu_set_t was;
	bool apart;

	(void)state;
	apart = pin_apart(dma, chan, &was);
	if (!apart)
		print_message("one CPU: no wake-up to relay\n");
	run_rounds(chan);
	print_message("%lu of %u wake-ups relayed\n", relay_wakes(dma) - before, ROUNDS);
	if (apart)
		assert_true(relay_wakes(dma) - before > 0);
	assert_int_equal(sched_setaffinity(0, sizeof(was), &was), 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Workers that sleep as soon as they are idle close their relays: still none lost. */
static void test_wakes_with_sleeping_workers(void **state)
{
	struct dma_device *dma = probe(0);
	struct dma_chan *chan = request_memcpy_chan(dma);
	cpu_set_t was;

	(void)state;
	pin_apart(dma, chan, &was);
	run_rounds(chan);
	assert_int_equal(sched_setaffinity(0, sizeof(was), &was), 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wakes_through_polling_worker),
		cmocka_unit_test(test_wakes_with_sleeping_workers),
	};

	return cmocka_run_group_tests_name("cpu_relay", tests, NULL, NULL);
}
