// SPDX-License-Identifier: MIT
/*
 * async_xor.c - XOR of pages, and its zero check, on DMA_XOR / DMA_XOR_VAL
 * channels or in the caller.
 *
 * More sources than the channel takes (max_xor) run as a chain: each step
 * XORs up to max_xor sources into the destination, fenced, and the next one
 * takes the destination as its first source.
 */
#include <string.h>

#include "async_tx/internal.h"
#include "raid/raid.h"

/* The non-NULL sources of a list, as host pointers. @return how many. */
static int gather(struct page **src_list, unsigned int *src_offs, unsigned int offset,
		  int src_cnt, void **v)
{
	int n = 0;

	for (int i = 0; i < src_cnt; i++)
		if (src_list[i])
			v[n++] = dmae__async_ptr(src_list[i], src_offs ? src_offs[i] : offset);
	return n;
}

static bool all_xor_aligned(struct dma_device *dma, void *dest, void **v, int n, size_t len)
{
	for (int i = 0; i < n; i++)
		if (!is_dma_xor_aligned(dma, (uintptr_t)dest, (uintptr_t)v[i], len))
			return false;
	return true;
}

/* The software XOR, with the kernel's meaning of the flags: dest is a source
 * unless ZERO_DST. */
static void xor_sync(void *dest, void **v, int n, size_t len, enum async_tx_flags flags)
{
	void *w[DMAE_RAID_MAX_SRCS + 1];

	if (flags & ASYNC_TX_XOR_ZERO_DST) {
		if (n)
			dmae__raid_xor(dest, v, (unsigned int)n, len);
		else
			memset(dest, 0, len);
		return;
	}
	w[0] = dest;
	memcpy(&w[1], v, (size_t)n * sizeof(*v));
	dmae__raid_xor(dest, w, (unsigned int)n + 1, len);
}

/* Map @v[0..n) for @chan's device to read, then @dest (read and written). */
static struct dmaengine_unmap_data *xor_map(struct dma_chan *chan, void *dest, void **v, int n,
					    size_t len)
{
	void *buf[DMAE_RAID_MAX_SRCS + 1];

	memcpy(buf, v, (size_t)n * sizeof(buf[0]));
	buf[n] = dest;
	return dmae__async_map(chan, buf, n, 0, n + 1, len);
}

/*
 * Offload dest = XOR of @v[0..n) as a chain of steps on @chan, with the
 * mappings of xor_map() in @um (the reference is this function's). Returns
 * the last descriptor; NULL when it had to finish in software (callback done).
 */
static struct dma_async_tx_descriptor *xor_offload(struct dma_chan *chan,
						   struct dmaengine_unmap_data *um, void *dest,
						   void **v, int n, size_t len,
						   struct async_submit_ctl *submit)
{
	struct dma_device *dma = chan->device;
	struct async_submit_ctl cur = *submit;
	dma_addr_t a[DMAE_RAID_MAX_SRCS], dst = um->addr[n];
	int off = 0;

	memcpy(a, um->addr, (size_t)n * sizeof(a[0]));
	for (;;) {
		int k = n < dma->max_xor ? n : dma->max_xor;
		struct async_submit_ctl s = k == n ? cur : dmae__async_step(&cur);
		struct dma_async_tx_descriptor *tx;
		unsigned int tries = 0;

		do {
			tx = dma->device_prep_dma_xor(chan, dst, &a[off], (unsigned int)k, len,
						      dmae__async_prep_flags(&s));
		} while (!tx && dmae__async_prep_retry(chan, &s, &tries));
		dmae_trace_prep(chan, DMA_XOR, tx);
		if (!tx) {
			/* Out of descriptors for good: wait, then finish in the caller. */
			dmaengine_unmap_put(um);
			async_tx_quiesce(&s.depend_tx);
			dmae__raid_xor(dest, &v[off], (unsigned int)n, len);
			dmae__async_sync_epilog(submit);
			return NULL;
		}
		dma_set_unmap(tx, um);
		dmae__async_submit(chan, tx, &s);
		if (k == n) {
			dmaengine_unmap_put(um);
			return tx;
		}
		cur.depend_tx = tx;
		/* The destination now holds the first k sources: it is the next first. */
		n -= k - 1;
		off += k - 1;
		a[off] = dst;
		v[off] = dest;
	}
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor_offs(struct page *dest, unsigned int offset, struct page **src_list,
	       unsigned int *src_offs, int src_cnt, size_t len, struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *tx = dmae__async_begin(__func__, submit);
	void *v[DMAE_RAID_MAX_SRCS];
	struct dmaengine_unmap_data *um;
	struct dma_chan *chan;
	void *d;
	int n;

	if (tx)
		return tx;
	if (!dest || !src_list || !len)
		return async_inval(__func__, "%s", !len ? "zero length" : "NULL destination or list");
	if (src_cnt < 2 || src_cnt > DMAE_RAID_MAX_SRCS)
		return async_inval(__func__, "%d sources: 2 to %d", src_cnt, DMAE_RAID_MAX_SRCS);
	d = dmae__async_ptr(dest, offset);
	/* Offloaded, dest is the XOR of the list; in software dest is also a
	 * source: only these layouts mean the same on both paths. */
	switch (submit->flags & (ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_XOR_DROP_DST)) {
	case ASYNC_TX_XOR_ZERO_DST:
		break;
	case ASYNC_TX_XOR_DROP_DST:
		if (src_list[0] && dmae__async_ptr(src_list[0], src_offs ? src_offs[0] : offset) == d)
			break;
		return async_inval(__func__, "ASYNC_TX_XOR_DROP_DST needs dest as src_list[0]");
	default:
		return async_inval(__func__, "need one of ASYNC_TX_XOR_ZERO_DST (dest is not a source) "
				   "and ASYNC_TX_XOR_DROP_DST (dest is src_list[0])");
	}
	n = gather(src_list, src_offs, offset, src_cnt, v);
	chan = dmae__async_find_channel(submit, DMA_XOR);
	if (chan && n && chan->device->max_xor >= 2 && all_xor_aligned(chan->device, d, v, n, len) &&
	    (um = xor_map(chan, d, v, n, len)))
		return xor_offload(chan, um, d, v, n, len, submit);

	async_tx_quiesce(&submit->depend_tx);
	if (submit->flags & ASYNC_TX_XOR_DROP_DST) /* dest is src_list[0]: implied */
		n = gather(src_list + 1, src_offs ? src_offs + 1 : NULL, offset, src_cnt - 1, v);
	xor_sync(d, v, n, len, submit->flags);
	dmae__async_sync_epilog(submit);
	return NULL;
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor(struct page *dest, struct page **src_list, unsigned int offset, int src_cnt,
	  size_t len, struct async_submit_ctl *submit)
{
	return async_xor_offs(dest, offset, src_list, NULL, src_cnt, len, submit);
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor_val_offs(struct page *dest, unsigned int offset, struct page **src_list,
		   unsigned int *src_offs, int src_cnt, size_t len, enum sum_check_flags *result,
		   struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *tx = dmae__async_begin(__func__, submit);
	void *v[DMAE_RAID_MAX_SRCS];
	struct dmaengine_unmap_data *um;
	struct dma_chan *chan;
	int n;

	if (tx)
		return tx;
	if (!src_list || !result || !len)
		return async_inval(__func__, "%s", !len ? "zero length" : "NULL list or result");
	if (src_cnt < 2 || src_cnt > DMAE_RAID_MAX_SRCS)
		return async_inval(__func__, "%d sources: 2 to %d", src_cnt, DMAE_RAID_MAX_SRCS);
	n = gather(src_list, src_offs, offset, src_cnt, v);
	if (n != src_cnt)
		return async_inval(__func__, "NULL source page");
	if (dest && dmae__async_ptr(dest, offset) != v[0])
		return async_inval(__func__, "dest (the parity) must be src_list[0]");
	chan = dmae__async_find_channel(submit, DMA_XOR_VAL);
	if (chan && n <= chan->device->max_xor && all_xor_aligned(chan->device, v[0], v, n, len) &&
	    (um = dmae__async_map(chan, v, n, 0, n, len))) {
		struct dma_device *dma = chan->device;
		unsigned int tries = 0;

		do {
			tx = dma->device_prep_dma_xor_val(chan, um->addr, (unsigned int)n, len, result,
							  dmae__async_prep_flags(submit));
		} while (!tx && dmae__async_prep_retry(chan, submit, &tries));
		dmae_trace_prep(chan, DMA_XOR_VAL, tx);
		if (dmae__async_submit_mapped(chan, tx, um, submit))
			return tx;
	}
	async_tx_quiesce(&submit->depend_tx);
	*result = dmae__raid_xor_zero(v, (unsigned int)n, len) ? 0 : SUM_CHECK_P_RESULT;
	dmae__async_sync_epilog(submit);
	return NULL;
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor_val(struct page *dest, struct page **src_list, unsigned int offset, int src_cnt,
	      size_t len, enum sum_check_flags *result, struct async_submit_ctl *submit)
{
	return async_xor_val_offs(dest, offset, src_list, NULL, src_cnt, len, result, submit);
}
