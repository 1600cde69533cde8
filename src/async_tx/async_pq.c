// SPDX-License-Identifier: MIT
/*
 * async_pq.c - RAID6 P+Q generation and validation on DMA_PQ / DMA_PQ_VAL
 * channels or in the caller, and the GF(2^8) products the recovery recipes
 * use (Q-only PQ operations with chosen coefficients).
 *
 * A stripe with more data blocks than one descriptor takes (dma_maxpq) runs
 * as a chain of fenced steps; every step after the first continues the P and
 * Q of the one before (DMA_PREP_CONTINUE).
 */
#include <string.h>

#include "async_tx/internal.h"
#include "raid/raid.h"

/* The blocks of one P/Q computation, as host pointers. */
struct pq_job {
	void *p, *q;			/* destinations (NULL: not wanted) */
	void *src[DMAE_RAID_MAX_SRCS];	/* non-NULL sources */
	u8 scf[DMAE_RAID_MAX_SRCS];	/* their coefficients */
	int n;				/* how many */
	size_t len;
	unsigned int raid_flags;	/* DMAE_RAID_NO_P / NO_Q / ACCUM */
};

/* Data blocks of a stripe (NULL ones are zeros: left out) with {02}^i. */
static void stripe_job(struct pq_job *j, struct page **blocks, unsigned int *offsets, int disks,
		       size_t len)
{
	j->n = 0;
	j->len = len;
	for (int i = 0; i < disks - 2; i++) {
		if (!blocks[i])
			continue;
		j->src[j->n] = dmae__async_ptr(blocks[i], offsets ? offsets[i] : 0);
		j->scf[j->n++] = dmae__gf_exp[i];
	}
	j->p = blocks[disks - 2] ? dmae__async_ptr(blocks[disks - 2], offsets ? offsets[disks - 2] : 0)
				 : NULL;
	j->q = blocks[disks - 1] ? dmae__async_ptr(blocks[disks - 1], offsets ? offsets[disks - 1] : 0)
				 : NULL;
	j->raid_flags = (j->p ? 0 : DMAE_RAID_NO_P) | (j->q ? 0 : DMAE_RAID_NO_Q);
}

static void pq_sync(const struct pq_job *j)
{
	if (j->n) {
		dmae__raid_pq(j->p, j->q, j->src, j->scf, (unsigned int)j->n, j->len, j->raid_flags);
		return;
	}
	if (j->raid_flags & DMAE_RAID_ACCUM)
		return; /* XOR with zeros */
	if (j->p)
		memset(j->p, 0, j->len);
	if (j->q)
		memset(j->q, 0, j->len);
}

static bool pq_aligned(struct dma_device *dma, const struct pq_job *j)
{
	for (int i = 0; i < j->n; i++)
		if ((j->p && !is_dma_pq_aligned(dma, (uintptr_t)j->p, (uintptr_t)j->src[i], j->len)) ||
		    (j->q && !is_dma_pq_aligned(dma, (uintptr_t)j->q, (uintptr_t)j->src[i], j->len)))
			return false;
	return true;
}

static unsigned long pq_dma_flags(unsigned int raid_flags)
{
	return (raid_flags & DMAE_RAID_NO_P ? DMA_PREP_PQ_DISABLE_P : 0) |
	       (raid_flags & DMAE_RAID_NO_Q ? DMA_PREP_PQ_DISABLE_Q : 0) |
	       (raid_flags & DMAE_RAID_ACCUM ? DMA_PREP_CONTINUE : 0);
}

/*
 * Map a P/Q job for @chan's device: the sources for it to read (addr[0..n)),
 * then P and Q, those that are not NULL, with @pq_dir. @pq gets the bus
 * addresses of P and Q; a disabled one's is not used, and gets the other's.
 */
static struct dmaengine_unmap_data *pq_map(struct dma_chan *chan, struct pq_job *j,
					   enum dma_data_direction pq_dir, dma_addr_t pq[2])
{
	void *buf[DMAE_RAID_MAX_SRCS + 2];
	struct dmaengine_unmap_data *um;
	int n = j->n;

	if (n < 0 || n > DMAE_RAID_MAX_SRCS)
		return NULL;
	memcpy(buf, j->src, (size_t)n * sizeof(buf[0]));
	if (j->p)
		buf[n++] = j->p;
	if (j->q)
		buf[n++] = j->q;
	um = dmae__async_map(chan, buf, pq_dir == DMA_TO_DEVICE ? n : j->n, 0, n, j->len);
	if (um) {
		pq[0] = um->addr[j->n];
		pq[1] = um->addr[n - 1];
	}
	return um;
}

/*
 * Run a P/Q job: offloaded as a chain on @chan (NULL: in the caller).
 * @return the last descriptor, or NULL when it ran in software.
 */
static struct dma_async_tx_descriptor *pq_run(struct dma_chan *chan, struct pq_job *j,
					      struct async_submit_ctl *submit)
{
	struct async_submit_ctl cur = *submit;
	unsigned long base = pq_dma_flags(j->raid_flags);
	struct dmaengine_unmap_data *um;
	dma_addr_t pq[2];
	struct dma_device *dma;
	int off = 0;

	if (!chan || !j->n || !pq_aligned(chan->device, j))
		goto software;
	dma = chan->device;
	if (!dma_dev_has_pq_continue(dma) && j->n > dma_maxpq(dma, (enum dma_ctrl_flags)base))
		goto software; /* the device cannot chain steps */
	um = pq_map(chan, j, DMA_BIDIRECTIONAL, pq);
	if (!um)
		goto software;
	for (;;) {
		int max = dma_maxpq(dma, (enum dma_ctrl_flags)(base | (off ? DMA_PREP_CONTINUE : 0)));
		int k = j->n - off < max ? j->n - off : max;
		bool last = off + k == j->n;
		struct async_submit_ctl s = last ? cur : dmae__async_step(&cur);
		unsigned long flags = base | (off ? DMA_PREP_CONTINUE : 0) | dmae__async_prep_flags(&s);
		struct dma_async_tx_descriptor *tx;
		unsigned int tries = 0;

		do {
			tx = dma->device_prep_dma_pq(chan, pq, &um->addr[off], (unsigned int)k,
						     &j->scf[off], j->len, flags);
		} while (!tx && dmae__async_prep_retry(chan, &s, &tries));
		dmae_trace_prep(chan, DMA_PQ, tx);
		if (!tx) {
			/* Out of descriptors for good: wait, then finish in the caller. */
			dmaengine_unmap_put(um);
			async_tx_quiesce(&s.depend_tx);
			memmove(j->src, &j->src[off], (size_t)(j->n - off) * sizeof(j->src[0]));
			memmove(j->scf, &j->scf[off], (size_t)(j->n - off));
			j->n -= off;
			if (off)
				j->raid_flags |= DMAE_RAID_ACCUM;
			pq_sync(j);
			dmae__async_sync_epilog(submit);
			return NULL;
		}
		dma_set_unmap(tx, um);
		dmae__async_submit(chan, tx, &s);
		if (last) {
			dmaengine_unmap_put(um);
			return tx;
		}
		cur.depend_tx = tx;
		off += k;
	}
software:
	async_tx_quiesce(&submit->depend_tx);
	pq_sync(j);
	dmae__async_sync_epilog(submit);
	return NULL;
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_gen_syndrome(struct page **blocks, unsigned int *offsets, int disks, size_t len,
		   struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *tx = dmae__async_begin(__func__, submit);
	struct pq_job j;

	if (tx)
		return tx;
	if (!blocks || !len)
		return async_inval(__func__, "%s", !len ? "zero length" : "NULL block list");
	if (disks < 3 || disks > ASYNC_TX_MAX_DISKS)
		return async_inval(__func__, "%d disks: 3 to %d", disks, ASYNC_TX_MAX_DISKS);
	if (!blocks[disks - 2] && !blocks[disks - 1])
		return async_inval(__func__, "both P and Q are NULL");
	stripe_job(&j, blocks, offsets, disks, len);
	if (submit->flags & ASYNC_TX_PQ_XOR_DST)
		j.raid_flags |= DMAE_RAID_ACCUM;
	return pq_run(dmae__async_find_channel(submit, DMA_PQ), &j, submit);
}

/* Is [p, p+len) all zeros? */
static bool all_zero(const u8 *p, size_t len)
{
	return !len || (!p[0] && !memcmp(p, p + 1, len - 1));
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_syndrome_val(struct page **blocks, unsigned int *offsets, int disks, size_t len,
		   enum sum_check_flags *pqres, struct page *spare, unsigned int s_off,
		   struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *tx = dmae__async_begin(__func__, submit);
	struct dmaengine_unmap_data *um;
	struct dma_chan *chan;
	dma_addr_t pq[2];
	struct pq_job j;

	(void)spare;
	(void)s_off;
	if (tx)
		return tx;
	if (!blocks || !pqres || !len)
		return async_inval(__func__, "%s", !len ? "zero length" : "NULL block list or result");
	if (disks < 4 || disks > ASYNC_TX_MAX_DISKS)
		return async_inval(__func__, "%d disks: 4 to %d", disks, ASYNC_TX_MAX_DISKS);
	if (!blocks[disks - 2] && !blocks[disks - 1])
		return async_inval(__func__, "both P and Q are NULL");
	stripe_job(&j, blocks, offsets, disks, len);
	chan = dmae__async_find_channel(submit, DMA_PQ_VAL);
	if (chan && j.n && j.n <= dma_maxpq(chan->device, 0) && pq_aligned(chan->device, &j) &&
	    (um = pq_map(chan, &j, DMA_TO_DEVICE, pq))) {
		struct dma_device *dma = chan->device;
		unsigned int tries = 0;

		do {
			tx = dma->device_prep_dma_pq_val(chan, pq, um->addr, (unsigned int)j.n, j.scf, len,
							 pqres,
							 pq_dma_flags(j.raid_flags) |
								 dmae__async_prep_flags(submit));
		} while (!tx && dmae__async_prep_retry(chan, submit, &tries));
		dmae_trace_prep(chan, DMA_PQ_VAL, tx);
		if (dmae__async_submit_mapped(chan, tx, um, submit))
			return tx;
	}
	async_tx_quiesce(&submit->depend_tx);
	if (j.n) {
		*pqres = (enum sum_check_flags)dmae__raid_pq_check(j.p, j.q, j.src, j.scf,
								   (unsigned int)j.n, len,
								   j.raid_flags);
	} else { /* no data: P and Q must be zero */
		*pqres = (enum sum_check_flags)((j.p && !all_zero(j.p, len) ? SUM_CHECK_P_RESULT : 0) |
						(j.q && !all_zero(j.q, len) ? SUM_CHECK_Q_RESULT : 0));
	}
	dmae__async_sync_epilog(submit);
	return NULL;
}

struct dma_async_tx_descriptor *dmae__async_sum_product(void *dest, void *a, void *b,
							const u8 coef[2], size_t len,
							struct async_submit_ctl *submit)
{
	struct pq_job j = { .q = dest, .n = 2, .len = len, .raid_flags = DMAE_RAID_NO_P };

	j.src[0] = a;
	j.src[1] = b;
	j.scf[0] = coef[0];
	j.scf[1] = coef[1];
	return pq_run(dmae__async_find_channel(submit, DMA_PQ), &j, submit);
}

struct dma_async_tx_descriptor *dmae__async_mult(void *dest, void *src, u8 coef, size_t len,
						 struct async_submit_ctl *submit)
{
	struct pq_job j = { .q = dest, .n = 1, .len = len, .raid_flags = DMAE_RAID_NO_P };

	j.src[0] = src;
	j.scf[0] = coef;
	return pq_run(dmae__async_find_channel(submit, DMA_PQ), &j, submit);
}
