// SPDX-License-Identifier: MIT
/* chan.c - requesting a channel of one given device (chan.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "common/chan.h"

bool only_dev(struct dma_chan *chan, void *param)
{
	return chan->device == param;
}

struct dma_chan *request_memcpy_chan(struct dma_device *dma)
{
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, only_dev, dma);
	assert_non_null(chan);
	return chan;
}
