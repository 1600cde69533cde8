// SPDX-License-Identifier: MIT
/*
 * conf_mapping.c - the suite's own use of the DMA mapping API, checked on
 * each device: copies between coherent and streaming buffers; on a
 * non-coherent device, that a hand-over left out shows as stale data (the
 * other tests rely on it to catch a missing sync); behind an IOMMU, that an
 * address nobody mapped, or a write against a mapping's direction, fails the
 * transfer and touches nothing.
 */
#include <dmaengine/iommu.h>

#include "conformance.h"

#define FLAGS (DMA_PREP_INTERRUPT | DMA_CTRL_ACK)
#define MAP_LEN 65536u

/* Copy @len bytes from byte 0 of @src to byte 0 of @dst and wait for it. */
static void copy_wait(struct conf_case *cc, struct gbuf *dst, struct gbuf *src, size_t len,
		      const char *what)
{
	struct dma_chan *chan = cc->chan;
	struct conf_track *t = conf_track_new(cc, chan, 1);
	struct dma_async_tx_descriptor *tx;

	tx = CONF_PREP(dmaengine_prep_dma_memcpy(chan, conf_bus(dst, 0), conf_bus(src, 0), len,
						 FLAGS));
	conf_track_set(t, tx, 0);
	t->cookie[0] = conf_submit(tx);
	t->check_status = true;
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, what);
}

/* Every way the suite maps memory, and back: coherent <-> streaming. */
static void mapping_kinds(struct conf_case *cc)
{
	static const enum conf_mem src_kind[] = { CONF_MEM_COHERENT, CONF_MEM_TO_DEV,
						  CONF_MEM_BIDI, CONF_MEM_COHERENT };
	static const enum conf_mem dst_kind[] = { CONF_MEM_COHERENT, CONF_MEM_FROM_DEV,
						  CONF_MEM_BIDI, CONF_MEM_BIDI };
	size_t a = conf_copy_align(cc->chan); /* misaligned by whole units of copy_align */
	char what[64];

	for (size_t k = 0; k < sizeof(src_kind) / sizeof(src_kind[0]); k++) {
		struct gbuf *src = conf_gbuf_mem(cc, cc->chan, src_kind[k], MAP_LEN, 5 * a);
		struct gbuf *dst = conf_gbuf_mem(cc, cc->chan, dst_kind[k], MAP_LEN, 11 * a);
		u8 *want = conf_alloc(cc, MAP_LEN);

		snprintf(what, sizeof(what), "copy between mappings of kinds %d -> %d",
			 (int)src_kind[k], (int)dst_kind[k]);
		conf_fill_src(src, conf_rand(&cc->rng));
		conf_fill_old(cc, dst, conf_rand(&cc->rng));
		memcpy(want, src->p, MAP_LEN);
		conf_dev(src);
		conf_dev(dst);
		copy_wait(cc, dst, src, MAP_LEN, what);
		conf_assert_image(dst, want, what);
	}
}

/*
 * On a non-coherent device: after the device wrote a streaming buffer, the
 * CPU's view stays stale until it takes the buffer back; a source the CPU
 * rewrote without handing it over is read stale by the device. Deliberate
 * misuse, to show that the non-coherent variant catches a missing sync.
 */
static void stale_without_sync(struct conf_case *cc)
{
	struct gbuf *src = conf_gbuf_mem(cc, cc->chan, CONF_MEM_TO_DEV, MAP_LEN, 0);
	struct gbuf *dst = conf_gbuf_mem(cc, cc->chan, CONF_MEM_BIDI, MAP_LEN, 0);
	u8 *first = conf_alloc(cc, MAP_LEN);

	conf_fill_src(src, 1);
	conf_fill_old(cc, dst, 2);
	memcpy(first, src->p, MAP_LEN);
	conf_dev(src);
	conf_dev(dst);
	copy_wait(cc, dst, src, MAP_LEN, "copy into a streaming buffer");
	/* The device's write is in the bounce buffer, not in the CPU's memory. */
	if (conf_diff(dst->p, dst->old, MAP_LEN) >= 0)
		fail_msg("non-coherent device: the CPU saw the device's write before dma_sync_single_for_cpu: streaming mappings are not bounced");
	conf_assert_image(dst, first, "copy, after the hand-over to the CPU");

	/* The CPU rewrites the source but does not hand it over: the device reads
	 * what it saw at the last hand-over. */
	conf_fill_src(src, 3);
	conf_fill_old(cc, dst, 4);
	conf_dev(dst);
	copy_wait(cc, dst, src, MAP_LEN, "copy from a source not handed over");
	conf_assert_image(dst, first, "copy from a source not handed over (stale data expected)");
	conf_dev(src);
	conf_restore(dst, 0, MAP_LEN);
	conf_dev(dst);
	copy_wait(cc, dst, src, MAP_LEN, "copy from a source handed over");
	conf_assert_image(dst, conf_cpu(src), "copy from a source handed over");
}

/* The result of one transfer that is expected to fail. */
struct fault_wait {
	struct dmaengine_result res; /* what the callback got */
	struct completion done;	     /* the callback ran */
};

static void fault_cb(void *param, const struct dmaengine_result *res)
{
	struct fault_wait *w = param;

	if (res)
		w->res = *res;
	else
		w->res.result = (enum dmaengine_tx_result)-1;
	complete(&w->done);
}

/* Copy @len bytes @src -> @dst (bus addresses), expect it to fail with @want;
 * @return its cookie. */
static dma_cookie_t copy_faults(struct conf_case *cc, dma_addr_t dst, dma_addr_t src, size_t len,
			enum dmaengine_tx_result want, const char *what)
{
	struct dma_chan *chan = cc->chan;
	struct iommu_domain *dom = iommu_get_domain_for_dev(dmaengine_get_dma_device(chan));
	unsigned long faults = dmae_iommu_fault_count(dom);
	struct fault_wait *w = conf_zalloc(cc, sizeof(*w));
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie;

	init_completion(&w->done);
	tx = CONF_PREP(dmaengine_prep_dma_memcpy(chan, dst, src, len, FLAGS));
	tx->callback = NULL;
	tx->callback_result = fault_cb;
	tx->callback_param = w;
	cookie = conf_submit(tx);
	dma_async_issue_pending(chan);
	if (!wait_for_completion_timeout(&w->done, msecs_to_jiffies(CONF_TIMEOUT_MS)))
		fail_msg("%s: no callback within %u ms", what, CONF_TIMEOUT_MS);
	if (w->res.result != want)
		fail_msg("%s: result %d, expected %d", what, (int)w->res.result, (int)want);
	if (w->res.residue != len)
		fail_msg("%s: residue %u, expected %zu (nothing moved)", what, w->res.residue, len);
	if (dmae_iommu_fault_count(dom) == faults)
		fail_msg("%s: the IOMMU domain recorded no fault", what);
	if (conf_in_order(chan))
		assert_int_equal(dmaengine_tx_status(chan, cookie, NULL), DMA_ERROR);
	return cookie;
}

static bool filter_exact(struct dma_chan *chan, void *param)
{
	return chan == param;
}

/*
 * Release the channel and take it again: the new client starts clean. Its
 * cookies may start over; one equal to @failed (an earlier client's failed
 * transfer) must read DMA_COMPLETE once its copy is done, not DMA_ERROR.
 */
static void new_client_clean(struct conf_case *cc, struct gbuf *dst, struct gbuf *src,
			     dma_cookie_t failed)
{
	struct dma_chan *target = cc->chan;

	assert_int_equal(dmaengine_terminate_sync(cc->chan), 0);
	dma_release_channel(cc->chan);
	cc->chan = __dma_request_channel(NULL, filter_exact, target, NULL);
	if (cc->chan != target)
		fail_msg("could not take %s again", dma_chan_name(target));
	for (int i = 0; i < 64; i++) {
		struct dma_async_tx_descriptor *tx;
		dma_cookie_t c;

		tx = CONF_PREP(dmaengine_prep_dma_memcpy(cc->chan, conf_bus(dst, 0),
							 conf_bus(src, 0), 64, DMA_CTRL_ACK));
		c = conf_submit(tx);
		if (dma_sync_wait(cc->chan, c) != DMA_COMPLETE && conf_in_order(cc->chan))
			fail_msg("a new client's copy (cookie %d) is not DMA_COMPLETE%s", c,
				 c == failed ? ": the cookie of an earlier client's failed copy" : "");
		if (c == failed || conf_cookie_after(c, failed))
			break;
	}
}

/*
 * Behind an IOMMU, deliberate misuse: a host pointer passed as a bus address
 * (what this suite did before it mapped its buffers), and a write into a
 * mapping the device may only read. Each transfer fails, nothing is written,
 * and the channel goes on working.
 */
static void iommu_faults(struct conf_case *cc)
{
	struct gbuf *src = conf_gbuf_mem(cc, cc->chan, CONF_MEM_TO_DEV, MAP_LEN, 0);
	struct gbuf *dst = conf_gbuf_mem(cc, cc->chan, CONF_MEM_BIDI, MAP_LEN, 0);
	u8 *want = conf_alloc(cc, MAP_LEN);
	dma_cookie_t failed;

	conf_fill_src(src, 5);
	conf_fill_old(cc, dst, 6);
	memcpy(want, src->p, MAP_LEN);
	conf_dev(src);
	conf_dev(dst);
	printf("    %s: three IOMMU faults on purpose (each logged):\n", dma_chan_name(cc->chan));
	/* Misuse on purpose: CPU pointers as bus addresses. */
	copy_faults(cc, conf_bus(dst, 0), (dma_addr_t)(uintptr_t)src->p, MAP_LEN,
		    DMA_TRANS_READ_FAILED, "copy from a host pointer");
	copy_faults(cc, (dma_addr_t)(uintptr_t)dst->p, conf_bus(src, 0), MAP_LEN,
		    DMA_TRANS_WRITE_FAILED, "copy to a host pointer");
	/* Into a DMA_TO_DEVICE mapping: the device may only read it. */
	failed = copy_faults(cc, conf_bus(src, 0), conf_bus(dst, 0), MAP_LEN,
			     DMA_TRANS_WRITE_FAILED, "copy into a DMA_TO_DEVICE mapping");
	conf_assert_image(dst, dst->old, "destination of failed copies");
	conf_assert_image(src, want, "DMA_TO_DEVICE mapping written by a failed copy");
	conf_dev(src);
	conf_dev(dst);
	copy_wait(cc, dst, src, MAP_LEN, "copy after faults");
	conf_assert_image(dst, want, "copy after faults");
	new_client_clean(cc, dst, src, failed);
}

void t_dma_mapping(struct conf_case *cc)
{
	struct device *dev = dmaengine_get_dma_device(cc->chan);

	assert_non_null(dev);
	mapping_kinds(cc);
	if (!dev->dma_coherent)
		stale_without_sync(cc);
	if (iommu_get_domain_for_dev(dev))
		iommu_faults(cc);
}
