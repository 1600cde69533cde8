/* SPDX-License-Identifier: MIT */
/*
 * async_tx/internal.h - what the async_tx operations share: the entry check,
 * channel lookup, submission with dependencies, and the synchronous epilog.
 */
#ifndef DMAE_ASYNC_TX_INTERNAL_H
#define DMAE_ASYNC_TX_INTERNAL_H

#include <dmaengine/async_tx.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/os.h>
#include <dmaengine/provider.h>

/* A bad argument: one line, and the error for the caller. */
#define async_inval(func, fmt, ...) \
	(dmae_log(DMAE_LOG_ERR, "%s: " fmt, (func), ##__VA_ARGS__), ERR_PTR(-EINVAL))

/*
 * dmae__async_begin - common checks of every operation: NULL when it may go
 * on, else what to return (an error, or the ERR_PTR of depend_tx). Takes the
 * public channels on first use. Context: process.
 */
struct dma_async_tx_descriptor *dmae__async_begin(const char *func,
						  struct async_submit_ctl *submit);

/* The channel for @type: depend_tx's when its device can do it, else public. */
struct dma_chan *dmae__async_find_channel(struct async_submit_ctl *submit,
					  enum dma_transaction_type type);

/* Queue @tx on @chan behind submit->depend_tx; set its callback; ack as asked. */
void dmae__async_submit(struct dma_chan *chan, struct dma_async_tx_descriptor *tx,
			struct async_submit_ctl *submit);

/*
 * dmae__async_submit_mapped - end a one-descriptor offload: @tx (NULL when
 * its prep failed for good) holds @um's mappings and is submitted as
 * dmae__async_submit() does; the caller's reference to @um is dropped
 * either way. @return @tx.
 */
struct dma_async_tx_descriptor *dmae__async_submit_mapped(struct dma_chan *chan,
							  struct dma_async_tx_descriptor *tx,
							  struct dmaengine_unmap_data *um,
							  struct async_submit_ctl *submit);

/* The software path is done: call the callback in the caller. */
static inline void dmae__async_sync_epilog(struct async_submit_ctl *submit)
{
	if (submit->cb_fn)
		submit->cb_fn(submit->cb_param);
}

/* The dma_ctrl_flags of one descriptor of an operation. */
static inline unsigned long dmae__async_prep_flags(const struct async_submit_ctl *submit)
{
	return (submit->cb_fn ? DMA_PREP_INTERRUPT : 0) |
	       (submit->flags & ASYNC_TX_FENCE ? DMA_PREP_FENCE : 0);
}

/* The submit of an intermediate step: fenced, unacked, no callback. */
static inline struct async_submit_ctl dmae__async_step(const struct async_submit_ctl *submit)
{
	struct async_submit_ctl s = *submit;

	s.flags = (enum async_tx_flags)((s.flags & ~ASYNC_TX_ACK) | ASYNC_TX_FENCE);
	s.cb_fn = NULL;
	s.cb_param = NULL;
	return s;
}

/*
 * dmae__async_map - map the @n buffers of @buf, @len bytes each, for @chan's
 * device, as the kernel's async_tx does with dma_map_page(): the first @to
 * for the device to read, the next @from for it to write, the rest for both.
 * @return unmap data holding the bus addresses (addr[i] for buf[i]) with the
 * caller's reference, to attach to each descriptor (dma_set_unmap) and put;
 * or NULL (nothing stays mapped): no memory, a mapping failed, or the device
 * is not cache-coherent. Such a device bounces its streaming mappings, which
 * copies at map time, before the operations this one depends on have run:
 * async_tx runs the operation in the caller instead.
 */
struct dmaengine_unmap_data *dmae__async_map(struct dma_chan *chan, void *const *buf, int to,
					     int from, int n, size_t len);

static inline void *dmae__async_ptr(struct page *page, unsigned int off)
{
	return (char *)page_address(page) + off;
}

/*
 * A prep that found no free descriptor: issue what is queued, wait for the
 * dependency (which may hold descriptors), and let the caller retry. After
 * 100,000 such tries (each yields the CPU) it gives up (@return false) and
 * the caller runs the rest in software. Context: process.
 */
bool dmae__async_prep_retry(struct dma_chan *chan, struct async_submit_ctl *submit,
			    unsigned int *tries);

/* Q-only PQ operations of the recovery recipes (async_pq.c), on host memory. */
/* @dest = coef[0] * @a + coef[1] * @b in GF(2^8); dest may be a or b. */
struct dma_async_tx_descriptor *dmae__async_sum_product(void *dest, void *a, void *b,
							const u8 coef[2], size_t len,
							struct async_submit_ctl *submit);
/* @dest = @coef * @src; dest may be src. */
struct dma_async_tx_descriptor *dmae__async_mult(void *dest, void *src, u8 coef, size_t len,
						 struct async_submit_ctl *submit);

#endif /* DMAE_ASYNC_TX_INTERNAL_H */
