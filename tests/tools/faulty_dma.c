// SPDX-License-Identifier: MIT
/*
 * faulty_dma.c - a small, deliberately broken DMA provider, linked into a
 * copy of dmatest (dmatest_faulty) so that the tests can watch dmatest catch
 * each kind of fault and report it as the kernel's dmatest does. Private to
 * the tests.
 *
 * Device "faulty-dma" (dma0, registered before main), two channels, DMA_MEMCPY
 * and DMA_MEMSET, written on virt-dma like any provider: the "engine" runs the
 * issued descriptors at once in device_issue_pending and completes them; the
 * virt-dma tasklet calls the callbacks. It touches memory only through bus
 * access on its own device.
 *
 * Environment, read at each issue:
 *   FAULTY_DMA_MODE   what goes wrong (default "none"):
 *     none       nothing: a correct engine
 *     short      the last byte of the region is not written      ("not copied!")
 *     nothing    no byte is written                              (32 lines + "errors suppressed")
 *     overrun    one byte after the region is written too        ("was copied!")
 *     flip       bit 0 of the region's first byte is flipped     ("mismatch!")
 *     srcwrite   the source's first region byte is overwritten   ("srcbuf ... overwritten!")
 *     error      nothing is written; the result is WRITE_FAILED and
 *                dmaengine_tx_status() says DMA_ERROR            ("completion error status")
 *     hang       the descriptor never completes                  ("test timed out")
 *   FAULTY_DMA_EVERY  fault only every Nth descriptor of a channel (1)
 * and, read once at start:
 *   FAULTY_DMA_COHERENT  0: a non-coherent device, whose streaming mappings
 *                     are bounced (1: coherent, it sees host addresses)
 *
 * "overrun" writes past the region: use it with norandom=1 and a
 * transfer_size below test_buf_size, so that the byte stays in the buffer.
 * "srcwrite" needs a coherent device: a write to a bounced source is lost.
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/bus.h>
#include <dmaengine/virt-dma.h>

#define FAULTY_CHANS 2

enum faulty_mode { F_NONE, F_SHORT, F_NOTHING, F_OVERRUN, F_FLIP, F_SRCWRITE, F_ERROR, F_HANG };

struct faulty_desc {
	struct virt_dma_desc vd; /* virt-dma bookkeeping; the client sees vd.tx */
	dma_addr_t dst;		 /* destination bus address */
	dma_addr_t src;		 /* source bus address (memcpy) */
	int value;		 /* fill byte (memset) */
	bool memset;		 /* a memset, not a copy */
	size_t len;		 /* bytes */
};

struct faulty_chan {
	struct virt_dma_chan vc;    /* the channel */
	unsigned long issued;	    /* descriptors run so far; vc.lock */
	dma_cookie_t error_cookie;  /* the last cookie that failed; atomic */
};

static struct device faulty_dev;
static struct device_driver faulty_drv = { .name = "faulty-dma" };
static struct dma_device faulty_dma;
static struct faulty_chan faulty_chans[FAULTY_CHANS];

static enum faulty_mode faulty_mode(void)
{
	static const char *const names[] = { "none", "short", "nothing", "overrun",
					     "flip", "srcwrite", "error", "hang" };
	const char *m = getenv("FAULTY_DMA_MODE");
	unsigned int i;

	for (i = 0; m && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(m, names[i]))
			return (enum faulty_mode)i;
	return F_NONE;
}

static unsigned long faulty_every(void)
{
	const char *e = getenv("FAULTY_DMA_EVERY");
	unsigned long n = e ? strtoul(e, NULL, 0) : 1;

	return n ? n : 1;
}

static u8 *faulty_xlate(dma_addr_t addr, size_t len, unsigned int access)
{
	size_t span;
	u8 *p = dmae_bus_xlate(&faulty_dev, addr, len, access, &span);

	return p && span == len ? p : NULL;
}

/* Run @d with fault @mode. Context: issue_pending, vc.lock held. */
static void faulty_run(struct faulty_chan *fc, struct faulty_desc *d, enum faulty_mode mode)
{
	size_t n = d->len;
	u8 *dst = faulty_xlate(d->dst, n + (mode == F_OVERRUN), DMAE_BUS_WRITE);
	u8 *src = d->memset ? NULL : faulty_xlate(d->src, n, DMAE_BUS_READ | DMAE_BUS_WRITE);

	if (!dst || (!d->memset && !src)) {
		d->vd.tx_result.result = DMA_TRANS_WRITE_FAILED;
		d->vd.tx_result.residue = (u32)n;
		return;
	}
	if (mode == F_NOTHING || mode == F_ERROR)
		n = 0;
	else if (mode == F_SHORT)
		n--;
	else if (mode == F_OVERRUN)
		n++;
	if (d->memset)
		memset(dst, d->value, n);
	else
		memcpy(dst, src, n); /* overrun: one source byte past the region */
	if (mode == F_FLIP)
		dst[0] ^= 1;
	if (mode == F_SRCWRITE && src)
		src[0] ^= 0x80;
	if (mode == F_ERROR) {
		d->vd.tx_result.result = DMA_TRANS_WRITE_FAILED;
		d->vd.tx_result.residue = (u32)d->len;
		__atomic_store_n(&fc->error_cookie, d->vd.tx.cookie, __ATOMIC_RELAXED);
	}
}

static struct dma_async_tx_descriptor *faulty_prep(struct dma_chan *chan, dma_addr_t dst,
						   dma_addr_t src, int value, bool memset,
						   size_t len, unsigned long flags)
{
	struct faulty_desc *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->dst = dst;
	d->src = src;
	d->value = value;
	d->memset = memset;
	d->len = len;
	return vchan_tx_prep(to_virt_chan(chan), &d->vd, flags);
}

static struct dma_async_tx_descriptor *faulty_prep_memcpy(struct dma_chan *chan, dma_addr_t dst,
							  dma_addr_t src, size_t len,
							  unsigned long flags)
{
	return faulty_prep(chan, dst, src, 0, false, len, flags);
}

static struct dma_async_tx_descriptor *faulty_prep_memset(struct dma_chan *chan, dma_addr_t dst,
							  int value, size_t len,
							  unsigned long flags)
{
	return faulty_prep(chan, dst, 0, value, true, len, flags);
}

/* The engine: everything issued runs now, except what hangs. */
static void faulty_issue_pending(struct dma_chan *chan)
{
	struct faulty_chan *fc = container_of(to_virt_chan(chan), struct faulty_chan, vc);
	enum faulty_mode mode = faulty_mode();
	unsigned long every = faulty_every(), flags;
	struct virt_dma_desc *vd, *next;

	spin_lock_irqsave(&fc->vc.lock, flags);
	vchan_issue_pending(&fc->vc);
	list_for_each_entry_safe(vd, next, &fc->vc.desc_issued, node) {
		struct faulty_desc *d = container_of(vd, struct faulty_desc, vd);

		if (d->len == SIZE_MAX) /* hung earlier: stays */
			continue;
		if (++fc->issued % every || mode == F_NONE) {
			faulty_run(fc, d, F_NONE);
		} else if (mode == F_HANG) {
			d->len = SIZE_MAX;
			continue;
		} else {
			faulty_run(fc, d, mode);
		}
		list_del(&vd->node);
		vchan_cookie_complete(vd);
	}
	spin_unlock_irqrestore(&fc->vc.lock, flags);
}

static enum dma_status faulty_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
					struct dma_tx_state *state)
{
	struct faulty_chan *fc = container_of(to_virt_chan(chan), struct faulty_chan, vc);
	enum dma_status status = dma_cookie_status(chan, cookie, state);

	if (status == DMA_COMPLETE &&
	    cookie == __atomic_load_n(&fc->error_cookie, __ATOMIC_RELAXED))
		return DMA_ERROR;
	return status;
}

static int faulty_terminate_all(struct dma_chan *chan)
{
	struct virt_dma_chan *vc = to_virt_chan(chan);
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&vc->lock, flags);
	vchan_get_all_descriptors(vc, &head);
	spin_unlock_irqrestore(&vc->lock, flags);
	vchan_dma_desc_free_list(vc, &head);
	return 0;
}

static void faulty_synchronize(struct dma_chan *chan)
{
	vchan_synchronize(to_virt_chan(chan));
}

static void faulty_free_chan_resources(struct dma_chan *chan)
{
	vchan_free_chan_resources(to_virt_chan(chan));
}

static void faulty_desc_free(struct virt_dma_desc *vd)
{
	free(container_of(vd, struct faulty_desc, vd));
}

static void faulty_release(struct dma_device *dma)
{
}

__attribute__((constructor)) static void faulty_dma_register(void)
{
	const char *coherent = getenv("FAULTY_DMA_COHERENT");
	unsigned int i;

	dmae_device_init(&faulty_dev, "faulty-dma");
	faulty_dev.driver = &faulty_drv;
	faulty_dev.dma_coherent = !coherent || strcmp(coherent, "0");
	INIT_LIST_HEAD(&faulty_dma.channels);
	faulty_dma.dev = &faulty_dev;
	dma_cap_set(DMA_MEMCPY, faulty_dma.cap_mask);
	dma_cap_set(DMA_MEMSET, faulty_dma.cap_mask);
	faulty_dma.device_prep_dma_memcpy = faulty_prep_memcpy;
	faulty_dma.device_prep_dma_memset = faulty_prep_memset;
	faulty_dma.device_issue_pending = faulty_issue_pending;
	faulty_dma.device_tx_status = faulty_tx_status;
	faulty_dma.device_terminate_all = faulty_terminate_all;
	faulty_dma.device_synchronize = faulty_synchronize;
	faulty_dma.device_free_chan_resources = faulty_free_chan_resources;
	faulty_dma.device_release = faulty_release;
	for (i = 0; i < FAULTY_CHANS; i++) {
		faulty_chans[i].vc.desc_free = faulty_desc_free;
		vchan_init(&faulty_chans[i].vc, &faulty_dma);
	}
	if (dma_async_device_register(&faulty_dma))
		abort();
}

__attribute__((destructor)) static void faulty_dma_unregister(void)
{
	dma_async_device_unregister(&faulty_dma);
}
