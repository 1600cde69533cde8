// SPDX-License-Identifier: MIT
/*
 * async_memcpy.c - a copy between two pages, on a DMA_MEMCPY channel or in
 * the caller.
 */
#include <string.h>

#include "async_tx/internal.h"

DMAE_EXPORT struct dma_async_tx_descriptor *
async_memcpy(struct page *dest, struct page *src, unsigned int dest_offset,
	     unsigned int src_offset, size_t len, struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *tx = dmae__async_begin(__func__, submit);
	struct dmaengine_unmap_data *um;
	void *d, *s;
	struct dma_chan *chan;
	unsigned int tries = 0;

	if (tx)
		return tx;
	if (!dest || !src || !len)
		return async_inval(__func__, "%s", !len ? "zero length" : "NULL page");
	d = dmae__async_ptr(dest, dest_offset);
	s = dmae__async_ptr(src, src_offset);
	chan = dmae__async_find_channel(submit, DMA_MEMCPY);
	if (chan && is_dma_copy_aligned(chan->device, (uintptr_t)s, (uintptr_t)d, len) &&
	    (um = dmae__async_map(chan, (void *[]){ s, d }, 1, 1, 2, len))) {
		do {
			tx = chan->device->device_prep_dma_memcpy(chan, um->addr[1], um->addr[0], len,
								  dmae__async_prep_flags(submit));
		} while (!tx && dmae__async_prep_retry(chan, submit, &tries));
		dmae_trace_prep(chan, DMA_MEMCPY, tx);
		if (dmae__async_submit_mapped(chan, tx, um, submit))
			return tx;
	}
	async_tx_quiesce(&submit->depend_tx);
	memcpy(d, s, len);
	dmae__async_sync_epilog(submit);
	return NULL;
}
