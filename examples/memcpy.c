// SPDX-License-Identifier: MIT
/*
 * memcpy.c - the client flow of the spec, end to end: request a MEMCPY
 * channel, prepare a copy, set a callback, submit, issue, wait with a
 * timeout, check the data, terminate and release.
 *
 * Run: ./memcpy [bytes]   (default 1 MiB). Exit status 0 when the copy is right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/dmaengine.h>
#include <dmaengine/os.h>

struct copy_done {
	struct completion done;		/* completed by the callback */
	struct dmaengine_result result; /* what the engine reported */
};

/* Runs in the channel's completion context: no sleeping here. */
static void copy_callback(void *param, const struct dmaengine_result *result)
{
	struct copy_done *cd = param;

	cd->result = *result;
	complete(&cd->done);
}

int main(int argc, char **argv)
{
	size_t len = argc > 1 ? strtoul(argv[1], NULL, 0) : 1 << 20;
	struct dma_async_tx_descriptor *tx;
	struct copy_done cd;
	struct dma_tx_state state;
	dma_cap_mask_t mask;
	struct dma_chan *chan;
	dma_cookie_t cookie;
	char *src, *dst;
	int ret = 1;

	src = malloc(len);
	dst = malloc(len);
	if (!len || !src || !dst) {
		fprintf(stderr, "memcpy: need a length > 0 and memory for it\n");
		return 2;
	}
	for (size_t i = 0; i < len; i++)
		src[i] = (char)(i * 7 + 3);
	memset(dst, 0, len);

	/* 1. Request a channel that can copy memory. */
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan)) {
		fprintf(stderr, "memcpy: no MEMCPY channel: %s\n", strerror((int)-PTR_ERR(chan)));
		goto out_free;
	}
	printf("channel %s of %s\n", dma_chan_name(chan), dev_name(dmaengine_get_dma_device(chan)));

	/* 2. Prepare the copy; addresses are bus addresses of the channel's device. */
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)dst, (dma_addr_t)(uintptr_t)src,
				       len, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx) {
		fprintf(stderr, "memcpy: prep failed\n");
		goto out_release;
	}
	init_completion(&cd.done);
	tx->callback_result = copy_callback;
	tx->callback_param = &cd;

	/* 3. Submit (queued, not started), then issue. */
	cookie = dmaengine_submit(tx);
	if (dma_submit_error(cookie)) {
		fprintf(stderr, "memcpy: submit failed: %d\n", cookie);
		goto out_release;
	}
	dma_async_issue_pending(chan);

	/* 4. Wait for the callback, at most 3 seconds. */
	if (!wait_for_completion_timeout(&cd.done, msecs_to_jiffies(3000))) {
		fprintf(stderr, "memcpy: timed out\n");
		dmaengine_terminate_sync(chan);
		goto out_release;
	}
	if (dmaengine_tx_status(chan, cookie, &state) != DMA_COMPLETE ||
	    cd.result.result != DMA_TRANS_NOERROR) {
		fprintf(stderr, "memcpy: transfer failed (result %d)\n", cd.result.result);
		goto out_terminate;
	}
	if (memcmp(src, dst, len)) {
		fprintf(stderr, "memcpy: data mismatch\n");
		goto out_terminate;
	}
	printf("copied %zu bytes, cookie %d, residue %u: OK\n", len, cookie, state.residue);
	ret = 0;

out_terminate:
	/* 5. Nothing may touch the buffers once this returns. */
	dmaengine_terminate_sync(chan);
out_release:
	dma_release_channel(chan);
out_free:
	free(src);
	free(dst);
	return ret;
}
