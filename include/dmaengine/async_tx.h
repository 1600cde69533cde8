/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/async_tx.h - the kernel's async_tx API: memory copy, XOR, RAID6
 * P+Q generation and validation, and RAID6 recovery, offloaded to public
 * DMA channels when one can do the operation and run synchronously when none
 * can.
 *
 * For applications (RAID and storage code) and for code ported from the
 * kernel's crypto/async_tx.
 *
 * Each call takes its buffers as struct page pointers plus offsets (see
 * scatterlist.h: a page is a page-aligned buffer; alloc_page() gives one) and
 * a struct async_submit_ctl that says what it depends on and what to call
 * when done. It returns:
 *   - a descriptor, when the operation went to a channel. The callback runs
 *     in completion context; it must not start new async_tx operations.
 *     Pass the descriptor as depend_tx of the next call, or wait for it with
 *     async_tx_quiesce(), or let it go with async_tx_ack();
 *   - NULL, when it ran synchronously in the caller (no channel can do it);
 *     the callback has then already run, in the caller's context;
 *   - an ERR_PTR (-EINVAL) for bad arguments (one log line says which), or
 *     the ERR_PTR given as depend_tx: an error travels down a chain, nothing
 *     runs. Check with IS_ERR() before using the result as a descriptor.
 *
 * The first call takes references on every public channel (dmaengine_get(),
 * as the kernel's async_tx module does when it loads), which starts the
 * default platform if nothing else has; async_tx_exit() gives them back
 * (done at process exit otherwise). Context: process; never from a callback
 * or an interrupt handler.
 */
#ifndef DMAENGINE_ASYNC_TX_H
#define DMAENGINE_ASYNC_TX_H

#include <dmaengine/dmaengine.h>
#include <dmaengine/scatterlist.h>

DMAE_BEGIN_DECLS

/** enum async_tx_flags - modifiers of an async_tx operation */
enum async_tx_flags {
	ASYNC_TX_XOR_ZERO_DST = (1 << 0), /* the destination is not a source: zero it first */
	ASYNC_TX_XOR_DROP_DST = (1 << 1), /* src[0] is the destination: drop it when run in software */
	ASYNC_TX_ACK = (1 << 2),	  /* acknowledge the descriptor: no one will depend on it */
	ASYNC_TX_FENCE = (1 << 3),	  /* the next operation in the chain reads this one's result */
	ASYNC_TX_PQ_XOR_DST = (1 << 4),	  /* XOR the new P/Q into the old (read-modify-write) */
};

/** struct async_submit_ctl - how to submit an async_tx operation */
struct async_submit_ctl {
	enum async_tx_flags flags;		   /* ASYNC_TX_* */
	struct dma_async_tx_descriptor *depend_tx; /* run after this one, or NULL */
	dma_async_tx_callback cb_fn;		   /* called when done, or NULL */
	void *cb_param;				   /* its argument */
	void *scribble; /* scratch space for address lists (optional here) */
};

/** Largest number of disks (data + P + Q) of a RAID6 stripe. */
#define ASYNC_TX_MAX_DISKS 255

static inline void init_async_submit(struct async_submit_ctl *args, enum async_tx_flags flags,
				     struct dma_async_tx_descriptor *tx,
				     dma_async_tx_callback cb_fn, void *cb_param, void *scribble)
{
	args->flags = flags;
	args->depend_tx = tx;
	args->cb_fn = cb_fn;
	args->cb_param = cb_param;
	args->scribble = scribble;
}

/** Copy @len bytes from @src + @src_offset to @dest + @dest_offset. */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_memcpy(struct page *dest, struct page *src, unsigned int dest_offset,
	     unsigned int src_offset, size_t len, struct async_submit_ctl *submit);

/**
 * async_xor - @dest = XOR of the @src_cnt pages of @src_list (NULL entries
 * are skipped), all at @offset; 2 <= @src_cnt <= 256. One of two layouts, as
 * the kernel's callers use: ASYNC_TX_XOR_ZERO_DST (dest is not a source), or
 * ASYNC_TX_XOR_DROP_DST with dest as src_list[0] (dest ^= the others); any
 * other combination is refused (-EINVAL), since the kernel's offloaded and
 * software paths give different results for it. More sources than the
 * channel's max_xor are split into fenced steps.
 */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor(struct page *dest, struct page **src_list, unsigned int offset, int src_cnt,
	  size_t len, struct async_submit_ctl *submit);

/** async_xor() with an offset per source (@src_offs, NULL for @offset everywhere). */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor_offs(struct page *dest, unsigned int offset, struct page **src_list,
	       unsigned int *src_offs, int src_cnt, size_t len, struct async_submit_ctl *submit);

/**
 * async_xor_val_offs - check that the XOR of the @src_cnt blocks of
 * @src_list (2 to 256, none NULL) is zero: *@result = 0 when it is,
 * SUM_CHECK_P_RESULT when it is not. As in the kernel, the parity @dest is
 * src_list[0] (or @dest is NULL). Unlike the kernel's software path, no
 * block is modified.
 */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor_val_offs(struct page *dest, unsigned int offset, struct page **src_list,
		   unsigned int *src_offs, int src_cnt, size_t len, enum sum_check_flags *result,
		   struct async_submit_ctl *submit);

DMAE_EXPORT struct dma_async_tx_descriptor *
async_xor_val(struct page *dest, struct page **src_list, unsigned int offset, int src_cnt,
	      size_t len, enum sum_check_flags *result, struct async_submit_ctl *submit);

/**
 * async_gen_syndrome - RAID6 P and Q of a stripe of @disks blocks: data in
 * blocks[0..disks-3] (NULL blocks count as zeros), P in blocks[disks-2] and
 * Q in blocks[disks-1] (one of them may be NULL: not generated). @offsets
 * gives each block's offset (NULL: 0). 3 <= @disks <= 255. GF(2^8),
 * polynomial 0x11d, generator {02}: Q = sum of {02}^i * D_i.
 */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_gen_syndrome(struct page **blocks, unsigned int *offsets, int disks, size_t len,
		   struct async_submit_ctl *submit);

/**
 * async_syndrome_val - check P and Q of a stripe (laid out as for
 * async_gen_syndrome; a NULL P or Q is not checked): *@pqres gets
 * SUM_CHECK_P_RESULT and/or SUM_CHECK_Q_RESULT for each mismatch, 0 when
 * both hold. @spare (at @s_off) is a scratch page, as in the kernel; it may
 * be NULL here. 4 <= @disks <= 255.
 */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_syndrome_val(struct page **blocks, unsigned int *offsets, int disks, size_t len,
		   enum sum_check_flags *pqres, struct page *spare, unsigned int s_off,
		   struct async_submit_ctl *submit);

/**
 * async_raid6_2data_recov - rebuild data blocks @faila and @failb of a stripe
 * of @disks blocks (P and Q intact) in place. The two must differ; they are
 * swapped if @faila > @failb.
 */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_raid6_2data_recov(int disks, size_t bytes, int faila, int failb, struct page **ptrs,
			unsigned int *offs, struct async_submit_ctl *submit);

/** async_raid6_datap_recov - rebuild data block @faila and P (Q intact) in place. */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_raid6_datap_recov(int disks, size_t bytes, int faila, struct page **ptrs,
			unsigned int *offs, struct async_submit_ctl *submit);

/**
 * async_trigger_callback - call submit->cb_fn once submit->depend_tx is done:
 * through an INTERRUPT descriptor on its channel when the device has one,
 * else after waiting for it, in the caller.
 */
DMAE_EXPORT struct dma_async_tx_descriptor *
async_trigger_callback(struct async_submit_ctl *submit);

/**
 * async_tx_quiesce - wait for *@tx (and what it waits for) to complete,
 * acknowledge it and set *@tx to NULL. Does nothing for NULL or an ERR_PTR
 * (which is also cleared). Context: process.
 */
DMAE_EXPORT void async_tx_quiesce(struct dma_async_tx_descriptor **tx);

/** Issue pending work on every public channel (dma_issue_pending_all()). */
DMAE_EXPORT void async_tx_issue_pending_all(void);

/**
 * dma_wait_for_async_tx - wait until @tx was submitted (its dependencies
 * ran) and completed. @return DMA_COMPLETE, or DMA_ERROR after 5 s.
 */
DMAE_EXPORT enum dma_status dma_wait_for_async_tx(struct dma_async_tx_descriptor *tx);

/**
 * async_tx_exit - give back the public channels async_tx took (after
 * waiting for nothing: quiesce your descriptors first). The next async_tx
 * call takes them again. Context: process.
 */
DMAE_EXPORT void async_tx_exit(void);

DMAE_END_DECLS

#endif /* DMAENGINE_ASYNC_TX_H */
