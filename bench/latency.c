// SPDX-License-Identifier: MIT
/*
 * latency.c - submit-to-completion latency on an idle channel: one copy at
 * a time, nothing else in flight, the channel left idle for a while (the
 * gap) before each. With no gap the next copy goes as soon as the last one
 * completed, while the provider's worker still polls; with a gap longer
 * than its polling time (DMAENGINE_CPU_SPIN_US, 50 us) the worker is asleep
 * and the latency includes its wake-up.
 *
 * Times come from CLOCK_MONOTONIC (dmae_clock_ns, a vDSO call of about
 * 20 ns): from just before dmaengine_submit to the first line of the
 * callback (callback mode, the time taken on the worker's CPU), or to the
 * poll that sees DMA_COMPLETE (polled mode); for DPDK from just before
 * rte_dma_copy(..., RTE_DMA_OP_FLAG_SUBMIT) to the rte_dma_completed call
 * that returns it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "dpdk.h"

#define LAT_WARMUP 16 /* samples taken and dropped first */

/* Where the callback leaves its time; its own cache line. */
struct lat_probe {
	u64 t_done; /* dmae_clock_ns() in the callback */
	u32 fired;  /* the callback ran; atomic */
} __attribute__((aligned(64)));

static void lat_callback(void *param)
{
	struct lat_probe *p = param;

	p->t_done = dmae_clock_ns();
	__atomic_store_n(&p->fired, 1, __ATOMIC_RELEASE);
}

static void lat_gap(unsigned int gap_us)
{
	struct timespec ts = { gap_us / 1000000, (long)(gap_us % 1000000) * 1000 };

	if (gap_us)
		nanosleep(&ts, NULL);
}

/* One copy through @chan: ns from submit to completion seen, or 0 on failure. */
static u64 lat_cpu_one(struct dma_chan *chan, struct bench_bufs *b, size_t len, bool polled)
{
	static struct lat_probe probe;
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie;
	u64 t0, limit;

	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)b->dst,
				       (dma_addr_t)(uintptr_t)b->src, len, DMA_CTRL_ACK);
	if (!tx)
		return 0;
	probe.fired = 0;
	if (!polled) {
		tx->callback = lat_callback;
		tx->callback_param = &probe;
	}
	t0 = dmae_clock_ns();
	cookie = dmaengine_submit(tx);
	dma_async_issue_pending(chan);
	limit = t0 + 1000000000ull;
	if (polled) {
		while (dma_async_is_tx_complete(chan, cookie, NULL, NULL) != DMA_COMPLETE)
			if (dmae_clock_ns() > limit)
				return 0;
		return dmae_clock_ns() - t0;
	}
	while (!__atomic_load_n(&probe.fired, __ATOMIC_ACQUIRE))
		if (dmae_clock_ns() > limit)
			return 0;
	return probe.t_done - t0;
}

/* Median and 99th percentile of @ns[0..n) into @r. */
static void lat_summary(const double *ns, unsigned int n, struct lat_result *r)
{
	r->n = n;
	r->median_us = bench_median(ns, n) / 1e3;
	r->p99_us = bench_percentile(ns, n, 99) / 1e3;
}

/*
 * lat_measure - @n samples (after LAT_WARMUP dropped ones) of @one(@ctx),
 * each after @gap_us of idleness. 0, or -1 when a copy failed.
 */
static int lat_measure(u64 (*one)(void *ctx), void *ctx, unsigned int gap_us, unsigned int n,
		       struct lat_result *r)
{
	double *ns = calloc(n ? n : 1, sizeof(*ns));
	int ret = 0;

	if (!ns)
		return -1;
	for (unsigned int i = 0; i < n + LAT_WARMUP; i++) {
		u64 t;

		lat_gap(gap_us);
		t = one(ctx);
		if (!t) {
			ret = -1;
			break;
		}
		if (i >= LAT_WARMUP)
			ns[i - LAT_WARMUP] = (double)t;
	}
	if (!ret)
		lat_summary(ns, n, r);
	free(ns);
	return ret;
}

struct lat_cpu_ctx {
	struct dma_chan *chan;	 /* the channel measured */
	struct bench_bufs *b;	 /* copy from b->src to b->dst */
	size_t len;		 /* bytes per copy */
	bool polled;		 /* poll tx_status instead of a callback */
};

static u64 lat_cpu_sample(void *ctx)
{
	struct lat_cpu_ctx *c = ctx;

	return lat_cpu_one(c->chan, c->b, c->len, c->polled);
}

int latency_cpu(struct dma_chan *chan, struct bench_bufs *b, size_t len, enum bench_mode mode,
		unsigned int gap_us, unsigned int n, struct lat_result *r)
{
	struct lat_cpu_ctx c = { chan, b, len, mode == MODE_POLLED };

	return lat_measure(lat_cpu_sample, &c, gap_us, n, r);
}

struct lat_dpdk_ctx {
	unsigned int dev;     /* the bench's DPDK device index */
	struct bench_bufs *b; /* copy from b->src to b->dst */
	size_t len;	      /* bytes per copy */
};

static u64 lat_dpdk_sample(void *ctx)
{
	struct lat_dpdk_ctx *c = ctx;

	return bench_dpdk_latency(c->dev, c->b, c->len);
}

int latency_dpdk(unsigned int dev, struct bench_bufs *b, size_t len, unsigned int gap_us,
		 unsigned int n, struct lat_result *r)
{
	struct lat_dpdk_ctx c = { dev, b, len };

	return lat_measure(lat_dpdk_sample, &c, gap_us, n, r);
}
