// SPDX-License-Identifier: MIT
/*
 * provider.c - the cpu provider through the whole consumer API (prep,
 * submit, issue, completion by callback or by polling), and ISA-L's
 * xor_gen / pq_gen called directly on the same stripes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/raid.h>

#include "bench.h"

void bench_run_init(struct bench_run *run)
{
	run->completed = 0;
	run->wake_at = 0;
	init_waitqueue_head(&run->wq);
}

static void bench_callback(void *param)
{
	struct bench_run *run = param;

	__atomic_store_n(&run->completed, run->completed + 1, __ATOMIC_RELEASE);
}

/* Sleep mode: count, and wake the client once the count it waits for is reached. */
static void bench_callback_wake(void *param)
{
	struct bench_run *run = param;
	u64 n = run->completed + 1;

	__atomic_store_n(&run->completed, n, __ATOMIC_RELEASE);
	/* wake_at only grows during a repetition: a stale value wakes early, never late */
	if (n >= __atomic_load_n(&run->wake_at, __ATOMIC_RELAXED))
		wake_up(&run->wq);
}

/* One xor_gen or pq_gen on the stripe; ISA-L's result (0 when it ran). */
int isal_op(const struct bench_opts *o, struct bench_bufs *b)
{
	if (o->op == BENCH_XOR)
		return xor_gen((int)o->sources + 1, (int)o->size, b->ptrs);
	return pq_gen((int)o->sources + 2, (int)o->size, b->ptrs);
}

/* ISA-L called directly on this thread, on the same stripe, for --ms. */
void isal_run(const struct bench_opts *o, struct bench_bufs *b, struct bench_tput *t)
{
	u64 start = dmae_clock_ns(), end = start + (u64)o->ms * 1000000ull, now, ops = 0;

	do {
		isal_op(o, b);
		__asm__ __volatile__("" ::: "memory");
		ops++;
		now = dmae_clock_ns();
	} while (now < end);
	t->ops = ops;
	t->ns = now - start;
}

/*
 * The descriptor of operation number @k, or NULL. DMA_CTRL_ACK on every op:
 * nothing depends on these descriptors, so the provider may recycle them at
 * completion (without it, each waits for an async_tx_ack()).
 */
static struct dma_async_tx_descriptor *prep_op(const struct bench_opts *o, struct dma_chan *chan,
					       struct bench_bufs *b, u64 k)
{
	size_t off;

	switch (o->op) {
	case BENCH_XOR:
		return dmaengine_prep_dma_xor(chan, b->pq[0], b->srcs, o->sources, o->size,
					      DMA_CTRL_ACK);
	case BENCH_PQ:
		return dmaengine_prep_dma_pq(chan, b->pq, b->srcs, o->sources, b->scf, o->size,
					     DMA_CTRL_ACK);
	default:
		off = (k % b->slots) * o->size;
		return dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)(b->dst + off),
						 (dma_addr_t)(uintptr_t)(b->src + off), o->size,
						 DMA_CTRL_ACK);
	}
}

/* Completions so far: the callback count, or cookies polled in submission order. */
static u64 dma_done(const struct bench_opts *o, struct dma_chan *chan, struct bench_run *run,
		    const dma_cookie_t *cookies, u64 done, u64 submitted)
{
	if (o->mode != MODE_POLLED)
		return __atomic_load_n(&run->completed, __ATOMIC_ACQUIRE);
	while (done < submitted &&
	       dma_async_is_tx_complete(chan, cookies[done % o->window], NULL, NULL) == DMA_COMPLETE)
		done++;
	return done;
}

/* Wait for more completions: spin once, or sleep until @target of them. */
static void dma_wait(const struct bench_opts *o, struct bench_run *run, u64 target)
{
	if (o->mode != MODE_SLEEP) {
		cpu_relax();
		return;
	}
	__atomic_store_n(&run->wake_at, target, __ATOMIC_RELAXED);
	wait_event(run->wq, __atomic_load_n(&run->completed, __ATOMIC_ACQUIRE) >= target);
}

/* After a failed prep: give up when nothing has been in flight for a second. */
static void dma_starved(u64 *since, bool idle)
{
	if (idle && !*since)
		*since = dmae_clock_ns();
	if (*since && dmae_clock_ns() - *since > 1000000000ull) {
		fprintf(stderr, "dmabench: prep failed\n");
		exit(1);
	}
}

/*
 * dma_run - operations through the whole API for --ms, on @chan from this
 * thread alone. A batch goes out when it fits in the window; a sleeping
 * client waits for the window to be half empty, so that one wake-up covers
 * many completions. A prep that finds no free descriptor (they come back as
 * work completes) ends the batch early, and the next one waits for one more
 * completion. What is in flight at the end is drained, and counts.
 */
void dma_run(const struct bench_opts *o, struct dma_chan *chan, struct bench_bufs *b,
	     struct bench_run *run, struct bench_tput *t)
{
	dma_cookie_t *cookies = calloc(o->window, sizeof(*cookies));
	u64 submitted = 0, done = 0, start, end;
	u64 more = 0;	    /* after a failed prep: the completions to wait for */
	u64 starved_ns = 0; /* when prep failed with nothing in flight */

	if (!cookies) {
		fprintf(stderr, "dmabench: out of memory\n");
		exit(1);
	}
	run->completed = 0;
	run->wake_at = 0;
	start = dmae_clock_ns();
	end = start + (u64)o->ms * 1000000ull;
	for (;;) {
		u64 need = submitted + o->batch > o->window ? submitted + o->batch - o->window : 0;

		if (need < more)
			need = more;
		done = dma_done(o, chan, run, cookies, done, submitted);
		if (done < need) {
			u64 half = submitted > o->window / 2 ? submitted - o->window / 2 : 0;

			dma_wait(o, run, need > half ? need : half);
			continue;
		}
		if (dmae_clock_ns() >= end)
			break;
		more = 0;
		for (unsigned int i = 0; i < o->batch; i++, submitted++) {
			struct dma_async_tx_descriptor *tx = prep_op(o, chan, b, submitted);

			if (!tx) {
				dma_starved(&starved_ns, done == submitted);
				more = done < submitted ? done + 1 : 0;
				break;
			}
			starved_ns = 0;
			if (o->mode != MODE_POLLED) {
				tx->callback = o->mode == MODE_SLEEP ? bench_callback_wake : bench_callback;
				tx->callback_param = run;
			}
			cookies[submitted % o->window] = dmaengine_submit(tx);
		}
		dma_async_issue_pending(chan);
	}
	while ((done = dma_done(o, chan, run, cookies, done, submitted)) < submitted)
		dma_wait(o, run, submitted);
	t->ops = submitted;
	t->ns = dmae_clock_ns() - start;
	free(cookies);
}

/* One copy of @len bytes from the start of the buffers through @chan, checked. */
int dma_copy_check(struct dma_chan *chan, struct bench_bufs *b, size_t len)
{
	struct dma_async_tx_descriptor *tx;

	memset(b->dst, 0, len);
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)b->dst,
				       (dma_addr_t)(uintptr_t)b->src, len, DMA_CTRL_ACK);
	if (!tx || dma_sync_wait(chan, dmaengine_submit(tx)) != DMA_COMPLETE) {
		fprintf(stderr, "dmabench: a copy of %zu B through %s failed\n", len,
			dma_chan_name(chan));
		return -1;
	}
	return copy_bufs_check(b, 0, len, dma_chan_name(chan));
}

/* xor/pq: the sources (a different byte pattern each), P, Q and the coefficients. */
int stripe_alloc(const struct bench_opts *o, struct bench_bufs *b)
{
	size_t bytes = (o->size + BENCH_ALIGN - 1) / BENCH_ALIGN * BENCH_ALIGN;
	unsigned char g = 1;

	for (unsigned int i = 0; i < o->sources + 2; i++) {
		unsigned char *p = aligned_alloc(BENCH_ALIGN, bytes);

		if (!p)
			return -1;
		for (size_t j = 0; j < bytes; j++)
			p[j] = (unsigned char)(i < o->sources ? (j * 131 + i * 29 + (j >> 8)) : 0);
		b->ptrs[i] = p;
		if (i < o->sources)
			b->srcs[i] = (dma_addr_t)(uintptr_t)p;
		else
			b->pq[i - o->sources] = (dma_addr_t)(uintptr_t)p;
	}
	/* {02}^i in GF(2^8) with the RAID6 polynomial 0x11d */
	for (unsigned int i = 0; i < o->sources; i++) {
		b->scf[i] = g;
		g = (unsigned char)((g << 1) ^ (g & 0x80 ? 0x1d : 0));
	}
	return 0;
}

void stripe_free(const struct bench_opts *o, struct bench_bufs *b)
{
	for (unsigned int i = 0; i < o->sources + 2; i++) {
		free(b->ptrs[i]);
		b->ptrs[i] = NULL;
	}
}

/*
 * One operation by ISA-L, then the same through the provider into the same
 * destinations: they must agree, or the figures compare different work.
 */
int stripe_check(const struct bench_opts *o, struct dma_chan *chan, struct bench_bufs *b)
{
	unsigned int ndst = o->op == BENCH_PQ ? 2 : 1;
	struct dma_async_tx_descriptor *tx;
	unsigned char *want = malloc(ndst * o->size);
	int ret = 0;

	if (!want)
		return -1;
	if (isal_op(o, b)) {
		fprintf(stderr, "dmabench: ISA-L %s_gen refused %u sources x %zu B\n",
			bench_op_name[o->op], o->sources, o->size);
		free(want);
		return -1;
	}
	for (unsigned int d = 0; d < ndst; d++) {
		memcpy(want + d * o->size, b->ptrs[o->sources + d], o->size);
		memset(b->ptrs[o->sources + d], 0x5a, o->size);
	}
	tx = prep_op(o, chan, b, 0);
	if (!tx || dma_sync_wait(chan, dmaengine_submit(tx)) != DMA_COMPLETE) {
		fprintf(stderr, "dmabench: %s through %s failed\n", bench_op_name[o->op],
			dma_chan_name(chan));
		free(want);
		return -1;
	}
	for (unsigned int d = 0; d < ndst; d++) {
		if (memcmp(want + d * o->size, b->ptrs[o->sources + d], o->size)) {
			fprintf(stderr, "dmabench: %s: the provider's %s differs from ISA-L's\n",
				bench_op_name[o->op], d ? "Q" : o->op == BENCH_PQ ? "P" : "result");
			ret = -1;
		}
	}
	free(want);
	return ret;
}
