// SPDX-License-Identifier: MIT
/*
 * core_util.c - the shared fixtures of the core tests (see core_test.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/core_test.h"

/* References taken with core_get() and not yet dropped. */
static int core_refs;

/* ----------------------------------------------------- setup and teardown */

int core_setup(void **state)
{
	size_t left;

	log_capture_start();
	left = dmaengine_summary(NULL, 0);
	if (left) {
		print_error("a device is still registered before the test (%zu bytes)\n", left);
		return -1;
	}
	return 0;
}

void core_get(void)
{
	dmaengine_get();
	core_refs++;
}

void core_put(void)
{
	core_refs--;
	dmaengine_put();
}

int core_teardown(void **state)
{
	while (core_refs > 0)
		core_put();
	mock_cleanup();
	log_capture_stop();
	if (dmaengine_summary(NULL, 0)) {
		print_error("a device is still registered after the test\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------- callback probes */

/* Waiters for every probe; never re-initialised, a waker may still be in it. */
static wait_queue_head_t probe_wq;

void cb_probe_init(struct cb_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->ctx = (enum dmae_context)-1;
}

void cb_probe_fn(void *param)
{
	struct cb_probe *p = param;

	p->ctx = dmae_context();
	if (p->order)
		p->order[__atomic_fetch_add(p->order_len, 1, __ATOMIC_ACQ_REL)] = p->id;
	if (p->action)
		p->action(p);
	__atomic_add_fetch(&p->calls, 1, __ATOMIC_ACQ_REL);
	/* Release: the waiter sees everything above. Last access to @p. */
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	wake_up(&probe_wq);
}

bool cb_probe_wait(struct cb_probe *p)
{
	return wait_event_timeout(probe_wq, __atomic_load_n(&p->done, __ATOMIC_ACQUIRE),
				  CORE_WAIT_JIFFIES) != 0;
}

/* ---------------------------------------------------------------- helpers */

static _Alignas(64) u8 copy_src[64];
static _Alignas(64) u8 copy_dst[64];

struct dma_async_tx_descriptor *core_prep_copy(struct dma_chan *chan, unsigned long flags)
{
	return dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)copy_dst,
					 (dma_addr_t)(uintptr_t)copy_src, sizeof(copy_src), flags);
}

void core_assert_chan_works(const char *file, int line, struct dma_chan *chan)
{
	struct dma_async_tx_descriptor *tx;
	struct cb_probe probe;
	dma_cookie_t cookie;
	int lines = log_lines();

	cb_probe_init(&probe);
	for (size_t i = 0; i < sizeof(copy_src); i++) {
		copy_src[i] = (u8)(i * 7 + 1);
		copy_dst[i] = 0;
	}
	tx = core_prep_copy(chan, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	_assert_true(tx != NULL, "prep_dma_memcpy != NULL", file, line);
	tx->callback = cb_probe_fn;
	tx->callback_param = &probe;
	cookie = dmaengine_submit(tx);
	_assert_true(cookie >= DMA_MIN_COOKIE, "cookie >= DMA_MIN_COOKIE", file, line);
	dma_async_issue_pending(chan);
	_assert_true(cb_probe_wait(&probe), "callback came", file, line);
	_assert_int_equal(probe.ctx, DMAE_CTX_COMPLETION, file, line);
	_assert_int_equal(memcmp(copy_src, copy_dst, sizeof(copy_src)), 0, file, line);
	_assert_int_equal(dmaengine_tx_status(chan, cookie, NULL), DMA_COMPLETE, file, line);
	/* A working channel says nothing. */
	_assert_int_equal(log_lines(), lines, file, line);
}

long chan_attr_num(struct dma_chan *chan, const char *attr)
{
	char buf[32];
	ssize_t n = dmaengine_chan_attr(dma_chan_name(chan), attr, buf, sizeof(buf));

	if (n < 0)
		return n;
	return strtol(buf, NULL, 10);
}
