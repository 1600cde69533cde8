// SPDX-License-Identifier: MIT
/*
 * thread.c - one dmatest thread: the kernel's dmatest_func. Until it has run
 * its iterations or is told to stop, each test
 *
 *   picks a length and offsets (random, aligned; or transfer_size / norandom),
 *   fills the buffers with the patterns (unless noverify),
 *   maps every buffer whole for the channel's DMA device: sources
 *     DMA_TO_DEVICE, destinations DMA_BIDIRECTIONAL, each checked with
 *     dma_mapping_error(),
 *   prepares the operation on the bus addresses (+ the offsets), submits it,
 *   waits: for the callback (callback_result, with the timeout) or, polled,
 *     with dma_sync_wait(),
 *   unmaps, then verifies all of every buffer,
 *
 * and prints a result line for each failure (each success too when verbose),
 * and a summary line at the end. Runs on its own thread (process context).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <dmaengine/dma-mapping.h>

#include "dmatest.h"

#define DMATEST_BUF_ALIGN 64 /* buffers start on their own cache line */

/* The buffers of one side (sources or destinations). */
struct dmatest_data {
	u8 **aligned;	  /* the buffers, NULL-terminated (the verify lists) */
	void **raw;	  /* what was allocated for each */
	size_t *raw_len;  /* mmap length of each (nobounce), or 0: malloc */
	dma_addr_t *addr; /* bus address of each, valid while mapped */
	unsigned int cnt; /* buffers */
	unsigned int mapped; /* buffers mapped so far in this test */
	unsigned int off; /* offset of the region in this test */
};

/* Everything a thread sets up once and uses in every test. */
struct dmatest_ctx {
	struct dmatest_thread *thread;	      /* the thread */
	const struct dmatest_params *params; /* the run's parameters */
	struct dma_chan *chan;		      /* the channel under test */
	struct device *dev;		      /* the device whose mappings it uses */
	struct dmatest_data src;	      /* source buffers */
	struct dmatest_data dst;	      /* destination buffers (P and Q for PQ) */
	dma_addr_t *srcs;		      /* source bus addresses + offset, for prep */
	dma_addr_t dma_pq[2];		      /* P and Q bus addresses + offset */
	u8 *pq_coefs;			      /* PQ coefficients: all 1, so P = Q = XOR */
	unsigned int buf_size;		      /* bytes of each buffer */
	u8 align;			      /* log2 alignment of lengths and offsets */
	bool is_memset;			      /* memset patterns */
	unsigned long flags;		      /* prep flags */
	u64 filltime_ns;		      /* time spent filling patterns */
	u64 comparetime_ns;		      /* time spent verifying */
};

/** dmatest_type_name - the operation part of a thread's name. */
const char *dmatest_type_name(enum dmatest_type type)
{
	static const char *const names[] = { "copy", "set", "xor", "pq" };

	return names[type];
}

/* The kernel's dmatest_random(): an unsigned long of random bits (splitmix64). */
static unsigned long dmatest_random(struct dmatest_thread *thread)
{
	u64 z = (thread->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (unsigned long)(z ^ (z >> 31));
}

static unsigned int min_odd(unsigned int x, unsigned int y)
{
	unsigned int val = x < y ? x : y;

	return val % 2 ? val : val - 1;
}

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* --------------------------------------------------------------- buffers */

/*
 * One buffer of @size bytes aligned to @align. nobounce takes it from the
 * low 2 GiB (MAP_32BIT, the nearest thing to the kernel's GFP_DMA), which a
 * device with a 32-bit mask reaches without bounce buffers.
 */
static u8 *dmatest_buf_alloc(size_t size, size_t align, bool low, void **raw, size_t *raw_len)
{
	void *p = NULL;

	*raw_len = 0;
#ifdef MAP_32BIT
	if (low) {
		size_t len = (size + align + 4095) & ~(size_t)4095;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (p != MAP_FAILED) {
			*raw = p;
			*raw_len = len;
			return (u8 *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
		}
	}
#endif
	(void)low;
	if (posix_memalign(&p, align, (size + align - 1) & ~(align - 1)))
		return NULL;
	*raw = p;
	return p;
}

static void dmatest_free_data(struct dmatest_data *d)
{
	unsigned int i;

	for (i = 0; d->raw && d->raw_len && i < d->cnt; i++) {
		if (d->raw_len[i])
			munmap(d->raw[i], d->raw_len[i]);
		else
			free(d->raw[i]);
	}
	free(d->aligned);
	free(d->raw);
	free(d->raw_len);
	free(d->addr);
	d->aligned = NULL;
	d->raw = NULL;
}

/* The kernel's dmatest_alloc_test_data(), with room for the bus addresses. */
static int dmatest_alloc_data(struct dmatest_data *d, unsigned int buf_size, u8 align,
			      bool low)
{
	size_t a = (size_t)1 << align;
	unsigned int i;

	if (a < DMATEST_BUF_ALIGN)
		a = DMATEST_BUF_ALIGN;
	d->aligned = calloc(d->cnt + 1, sizeof(*d->aligned));
	d->raw = calloc(d->cnt, sizeof(*d->raw));
	d->raw_len = calloc(d->cnt, sizeof(*d->raw_len));
	d->addr = calloc(d->cnt, sizeof(*d->addr));
	if (!d->aligned || !d->raw || !d->raw_len || !d->addr)
		goto err;
	for (i = 0; i < d->cnt; i++) {
		d->aligned[i] = dmatest_buf_alloc(buf_size, a, low, &d->raw[i], &d->raw_len[i]);
		if (!d->aligned[i])
			goto err;
		memset(d->aligned[i], 0, buf_size); /* noverify never fills them */
	}
	return 0;
err:
	dmatest_free_data(d);
	return -ENOMEM;
}

/* --------------------------------------------------------------- set up */

/* Counts and alignment of the thread's operation, as the kernel picks them. */
static int dmatest_setup_type(struct dmatest_ctx *c)
{
	const struct dmatest_params *p = c->params;
	struct dma_device *dev = c->chan->device;
	int align = -1;

	switch (c->thread->type) {
	case DMATEST_MEMCPY:
		align = dev->copy_align;
		c->src.cnt = c->dst.cnt = 1;
		break;
	case DMATEST_MEMSET:
		align = dev->fill_align;
		c->src.cnt = c->dst.cnt = 1;
		c->is_memset = true;
		break;
	case DMATEST_XOR:
		/* An odd number of equal sources XORs to the source itself. */
		c->src.cnt = min_odd(p->xor_sources | 1, dev->max_xor);
		c->dst.cnt = 1;
		align = dev->xor_align;
		break;
	case DMATEST_PQ:
		c->src.cnt = min_odd(p->pq_sources | 1, (unsigned int)dma_maxpq(dev, 0));
		c->dst.cnt = 2;
		align = dev->pq_align;
		c->pq_coefs = malloc(c->src.cnt < 255 ? c->src.cnt : 1);
		if (!c->pq_coefs)
			return -ENOMEM;
		if (c->src.cnt < 255)
			memset(c->pq_coefs, 1, c->src.cnt);
		break;
	}
	c->align = (u8)(p->alignment < 0 ? align : p->alignment);
	return 0;
}

/* What the kernel checks and allocates before its loop; -ENOMEM as it reports. */
static int dmatest_setup(struct dmatest_ctx *c)
{
	const struct dmatest_params *p = c->params;

	if (dmatest_setup_type(c))
		return -ENOMEM;
	if (c->src.cnt >= 255 || c->src.cnt + c->dst.cnt >= 255) {
		dmatest_pr("too many buffers (%d of 255 supported)", c->src.cnt + c->dst.cnt);
		return -ENOMEM;
	}
	c->buf_size = p->buf_size;
	if (c->align > 30 || (1u << c->align) > c->buf_size) {
		dmatest_pr("%u-byte buffer too small for %d-byte alignment", c->buf_size,
			   c->align > 30 ? -1 : 1 << c->align);
		return -ENOMEM;
	}
	if (dmatest_alloc_data(&c->src, c->buf_size, c->align, p->nobounce) ||
	    dmatest_alloc_data(&c->dst, c->buf_size, c->align, p->nobounce))
		return -ENOMEM;
	c->srcs = calloc(c->src.cnt, sizeof(*c->srcs));
	if (!c->srcs)
		return -ENOMEM;
	c->flags = p->polled ? DMA_CTRL_ACK : DMA_CTRL_ACK | DMA_PREP_INTERRUPT;
	return 0;
}

static void dmatest_teardown(struct dmatest_ctx *c)
{
	free(c->srcs);
	dmatest_free_data(&c->dst);
	dmatest_free_data(&c->src);
	free(c->pq_coefs);
}

/* ----------------------------------------------------------- one test */

/* The kernel's choice of length and offsets. */
static unsigned int dmatest_pick(struct dmatest_ctx *c)
{
	const struct dmatest_params *p = c->params;
	struct dmatest_thread *t = c->thread;
	unsigned int len;

	if (p->transfer_size)
		len = p->transfer_size;
	else if (p->norandom)
		len = c->buf_size;
	else
		len = (unsigned int)(dmatest_random(t) % c->buf_size + 1);
	/* A length the user gave is used as given. */
	if (!p->transfer_size) {
		len = (len >> c->align) << c->align;
		if (!len)
			len = 1u << c->align;
	}
	if (p->norandom) {
		c->src.off = 0;
		c->dst.off = 0;
	} else {
		c->src.off = (unsigned int)(dmatest_random(t) % (c->buf_size - len + 1));
		c->dst.off = (unsigned int)(dmatest_random(t) % (c->buf_size - len + 1));
		c->src.off = (c->src.off >> c->align) << c->align;
		c->dst.off = (c->dst.off >> c->align) << c->align;
	}
	return len;
}

static void dmatest_unmap(struct dmatest_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->src.mapped; i++)
		dma_unmap_page(c->dev, c->src.addr[i], c->buf_size, DMA_TO_DEVICE);
	for (i = 0; i < c->dst.mapped; i++)
		dma_unmap_page(c->dev, c->dst.addr[i], c->buf_size, DMA_BIDIRECTIONAL);
	c->src.mapped = 0;
	c->dst.mapped = 0;
}

/* Map every buffer of @d whole; on failure, the result line and -errno. */
static int dmatest_map_data(struct dmatest_ctx *c, struct dmatest_data *d,
			    enum dma_data_direction dir, const char *what, unsigned int n,
			    unsigned int len)
{
	unsigned int i;
	int ret;

	for (i = 0; i < d->cnt; i++) {
		u8 *buf = d->aligned[i];

		d->addr[i] = dma_map_page(c->dev, virt_to_page(buf), offset_in_page(buf),
					  c->buf_size, dir);
		ret = dma_mapping_error(c->dev, d->addr[i]);
		if (ret) {
			dmatest_result(c->thread, what, n, c->src.off, c->dst.off, len,
				       (unsigned long)(long)ret);
			return ret;
		}
		d->mapped++;
	}
	return 0;
}

/* Sources to the device; destinations both ways, to force writeback and invalidate. */
static int dmatest_map(struct dmatest_ctx *c, unsigned int n, unsigned int len)
{
	unsigned int i;
	int ret;

	ret = dmatest_map_data(c, &c->src, DMA_TO_DEVICE, "src mapping error", n, len);
	if (!ret)
		ret = dmatest_map_data(c, &c->dst, DMA_BIDIRECTIONAL, "dst mapping error", n, len);
	if (ret) {
		dmatest_unmap(c);
		return ret;
	}
	for (i = 0; i < c->src.cnt; i++)
		c->srcs[i] = c->src.addr[i] + c->src.off;
	return 0;
}

static struct dma_async_tx_descriptor *dmatest_prep(struct dmatest_ctx *c, unsigned int len)
{
	dma_addr_t dst = c->dst.addr[0] + c->dst.off;

	switch (c->thread->type) {
	case DMATEST_MEMCPY:
		return dmaengine_prep_dma_memcpy(c->chan, dst, c->srcs[0], len, c->flags);
	case DMATEST_MEMSET:
		/* The value: the source byte at the offset, as in the kernel. */
		return dmaengine_prep_dma_memset(c->chan, dst, c->src.aligned[0][c->src.off], len,
						 c->flags);
	case DMATEST_XOR:
		return dmaengine_prep_dma_xor(c->chan, dst, c->srcs, c->src.cnt, len, c->flags);
	case DMATEST_PQ:
		c->dma_pq[0] = dst;
		c->dma_pq[1] = c->dst.addr[1] + c->dst.off;
		return dmaengine_prep_dma_pq(c->chan, c->dma_pq, c->srcs, c->src.cnt, c->pq_coefs,
					     len, c->flags);
	}
	return NULL;
}

/* Completion context: keep the result, wake the thread. Never sleeps. */
static void dmatest_callback(void *arg, const struct dmaengine_result *result)
{
	struct dmatest_thread *thread = arg;

	thread->result = *result;
	complete(&thread->done);
}

/*
 * Wait for the transfer of @cookie. @return whether it ended; *@status is
 * what the channel says of it. A transfer that did not end is terminated, so
 * that nothing touches the buffers once they are unmapped.
 */
static bool dmatest_wait(struct dmatest_ctx *c, dma_cookie_t cookie, enum dma_status *status)
{
	const struct dmatest_params *p = c->params;
	bool done;

	if (p->polled) {
		*status = dma_sync_wait(c->chan, cookie);
		/* dma_sync_wait() says DMA_ERROR for its own time-out too. */
		if (*status == DMA_ERROR)
			*status = dma_async_is_tx_complete(c->chan, cookie, NULL, NULL);
		done = *status != DMA_IN_PROGRESS;
	} else {
		dma_async_issue_pending(c->chan);
		if (p->timeout < 0) {
			wait_for_completion(&c->thread->done);
			done = true;
		} else {
			done = wait_for_completion_timeout(&c->thread->done,
							   msecs_to_jiffies((unsigned int)p->timeout));
		}
		*status = dma_async_is_tx_complete(c->chan, cookie, NULL, NULL);
	}
	if (!done)
		dmaengine_terminate_sync(c->chan);
	return done;
}

/* Submit, wait and judge one transfer. @return 0, or 1 after its failure line. */
static int dmatest_transfer(struct dmatest_ctx *c, struct dma_async_tx_descriptor *tx,
			    unsigned int n, unsigned int len)
{
	struct dmatest_thread *t = c->thread;
	enum dma_status status;
	dma_cookie_t cookie;
	bool no_order;

	reinit_completion(&t->done);
	t->result.result = DMA_TRANS_NOERROR;
	t->result.residue = 0;
	if (!c->params->polled) {
		tx->callback_result = dmatest_callback;
		tx->callback_param = t;
	}
	cookie = dmaengine_submit(tx);
	if (dma_submit_error(cookie)) {
		dmatest_result(t, "submit error", n, c->src.off, c->dst.off, len, 0);
		msleep(100);
		return 1;
	}
	if (!dmatest_wait(c, cookie, &status)) {
		dmatest_result(t, "test timed out", n, c->src.off, c->dst.off, len, 0);
		return 1;
	}
	no_order = dma_has_cap(DMA_COMPLETION_NO_ORDER, c->chan->device->cap_mask);
	if (status == DMA_COMPLETE || (no_order && status == DMA_OUT_OF_ORDER)) {
		if (t->result.result == DMA_TRANS_NOERROR)
			return 0;
		status = DMA_ERROR; /* the callback saw what the status did not */
	}
	/* In parentheses: the callback's dmaengine_tx_result (0 polled). */
	dmatest_result(t, status == DMA_ERROR ? "completion error status" :
		       "completion busy status", n, c->src.off, c->dst.off, len, t->result.result);
	return 1;
}

/* The kernel's three checks of each side: before, inside and after the region. */
static unsigned int dmatest_check(struct dmatest_ctx *c, unsigned int len)
{
	const char *name = c->thread->name;
	unsigned int so = c->src.off, doff = c->dst.off, end = c->buf_size;
	bool ms = c->is_memset;
	unsigned int errors;

	dmatest_pr_debug("%s: verifying source buffer...", name);
	errors = dmatest_verify(name, c->src.aligned, 0, so, 0, PATTERN_SRC, true, ms);
	errors += dmatest_verify(name, c->src.aligned, so, so + len, so,
				 PATTERN_SRC | PATTERN_COPY, true, ms);
	errors += dmatest_verify(name, c->src.aligned, so + len, end, so + len, PATTERN_SRC,
				 true, ms);
	dmatest_pr_debug("%s: verifying dest buffer...", name);
	errors += dmatest_verify(name, c->dst.aligned, 0, doff, 0, PATTERN_DST, false, ms);
	errors += dmatest_verify(name, c->dst.aligned, doff, doff + len, so,
				 PATTERN_SRC | PATTERN_COPY, false, ms);
	errors += dmatest_verify(name, c->dst.aligned, doff + len, end, doff + len, PATTERN_DST,
				 false, ms);
	return errors;
}

static void dmatest_passed(struct dmatest_ctx *c, unsigned int n, unsigned int len)
{
	if (c->params->verbose)
		dmatest_result(c->thread, "test passed", n, c->src.off, c->dst.off, len, 0);
	else
		dmatest_pr_debug("%s: result #%u: '%s' with src_off=0x%x dst_off=0x%x len=0x%x (%lu)",
				 c->thread->name, n, "test passed", c->src.off, c->dst.off, len,
				 0ul);
}

/* Test number @n. @return 0 passed, 1 failed (its result line printed). */
static int dmatest_test_one(struct dmatest_ctx *c, unsigned int n)
{
	struct dma_async_tx_descriptor *tx;
	unsigned int len, errors;
	u64 start;

	len = dmatest_pick(c);
	c->thread->total_len += len;
	if (!c->params->noverify) {
		start = dmae_clock_ns();
		dmatest_init_srcs(c->src.aligned, c->src.off, len, c->buf_size, c->is_memset);
		dmatest_init_dsts(c->dst.aligned, c->dst.off, len, c->buf_size, c->is_memset);
		c->filltime_ns += dmae_clock_ns() - start;
	}
	if (dmatest_map(c, n, len))
		return 1;
	tx = dmatest_prep(c, len);
	if (!tx) {
		dmatest_result(c->thread, "prep error", n, c->src.off, c->dst.off, len, 0);
		msleep(100);
		dmatest_unmap(c);
		return 1;
	}
	if (dmatest_transfer(c, tx, n, len)) {
		dmatest_unmap(c);
		return 1;
	}
	dmatest_unmap(c);
	if (c->params->noverify) {
		dmatest_passed(c, n, len);
		return 0;
	}
	start = dmae_clock_ns();
	errors = dmatest_check(c, len);
	c->comparetime_ns += dmae_clock_ns() - start;
	if (errors) {
		dmatest_result(c->thread, "data error", n, c->src.off, c->dst.off, len, errors);
		return 1;
	}
	dmatest_passed(c, n, len);
	return 0;
}

static bool dmatest_should_stop(struct dmatest_thread *thread)
{
	unsigned int iterations = thread->info->params.iterations;

	return __atomic_load_n(&thread->info->stop, __ATOMIC_RELAXED) ||
	       (iterations && thread->total_tests >= iterations);
}

/**
 * dmatest_func - the thread: set up, test until done, print the summary.
 * @data: its struct dmatest_thread. Context: process (its own thread).
 */
void dmatest_func(void *data)
{
	struct dmatest_thread *thread = data;
	struct dmatest_ctx c;
	u64 start;

	memset(&c, 0, sizeof(c));
	c.thread = thread;
	c.params = &thread->info->params;
	c.chan = thread->dtc->chan;
	c.dev = dmaengine_get_dma_device(c.chan);
	thread->ret = -ENOMEM;
	if (!dmatest_setup(&c)) {
		start = dmae_clock_ns();
		while (!dmatest_should_stop(thread)) {
			thread->total_tests++;
			thread->failed_tests += dmatest_test_one(&c, thread->total_tests);
		}
		thread->runtime_us = (long long)((dmae_clock_ns() - start - c.comparetime_ns -
						  c.filltime_ns) / 1000);
		thread->ret = 0;
	}
	dmatest_teardown(&c);
	dmatest_summary(thread);
}
