// SPDX-License-Identifier: MIT
/*
 * cpu-prep.c - the cpu provider's descriptor and segment pools, its prep
 * operations and tx_submit: everything a client thread runs.
 */
#include <string.h>

#include "cpu-dma.h"
#include "os/membarrier.h"
#include "raid/raid.h"

static dma_cookie_t cpu_tx_submit(struct dma_async_tx_descriptor *tx);
static int cpu_desc_free(struct dma_async_tx_descriptor *tx);

/* ------------------------------------------------------- the owner thread */

__thread char dmae__cpu_thread_token; /* its address identifies the thread */

/* A second client thread came: from now on every client uses CAS. */
static void cpu_chan_share(struct cpu_chan *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->ctl_lock, flags);
	if (!__atomic_load_n(&c->shared, __ATOMIC_RELAXED)) {
		__atomic_store_n(&c->shared, 1, __ATOMIC_RELAXED);
		/* The owner either sees shared, or is seen busy and finishes its operation. */
		dmae__membarrier();
		while (__atomic_load_n(&c->owner_busy, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
	spin_unlock_irqrestore(&c->ctl_lock, flags);
}

/**
 * dmae__cpu_client_slow - the first client thread becomes the owner (when
 * the system has membarrier); any other one makes the channel shared.
 * Returns true when the caller is the owner of an unshared channel and has
 * marked itself busy. Context: any.
 */
bool dmae__cpu_client_slow(struct cpu_chan *c)
{
	void *none = NULL;

	if (__atomic_load_n(&c->shared, __ATOMIC_ACQUIRE))
		return false;
	if (!__atomic_load_n(&c->owner, __ATOMIC_ACQUIRE) && dmae__membarrier_available() &&
	    __atomic_compare_exchange_n(&c->owner, &none, &dmae__cpu_thread_token, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return cpu_client_enter(c);
	cpu_chan_share(c);
	return false;
}

/* ------------------------------------------------ free segment blocks */

/*
 * Free segment blocks form a Treiber stack of pool indices. The head packs
 * {tag:32, index+1:32}; the tag changes on every update, so a pop that raced
 * a pop-and-push (ABA) fails its CAS. Links are atomics: a popper may read a
 * link being rewritten.
 */
static u32 block_pop(struct cpu_chan *c)
{
	u64 *head = &c->block_head;
	u64 old = __atomic_load_n(head, __ATOMIC_ACQUIRE);

	for (;;) {
		u32 top = (u32)old;
		u64 nw;

		if (!top)
			return 0;
		nw = ((old >> 32) + 1) << 32 |
		     __atomic_load_n(&c->blocks[top - 1].free_next, __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(head, &old, nw, true, __ATOMIC_ACQUIRE,
						__ATOMIC_ACQUIRE))
			return top;
	}
}

/* Push the chain starting at @first, whose last link is @last_link, in one CAS. */
static void block_push(struct cpu_chan *c, u32 *last_link, u32 first)
{
	u64 *head = &c->block_head;
	u64 old = __atomic_load_n(head, __ATOMIC_RELAXED);

	for (;;) {
		u64 nw = ((old >> 32) + 1) << 32 | first;

		__atomic_store_n(last_link, (u32)old, __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(head, &old, nw, true, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return;
	}
}

/* Give back a descriptor's chain of blocks: its next links become free
 * links (a stale free link from an earlier life would corrupt the stack). */
static void blocks_release(struct cpu_chan *c, u32 first)
{
	u32 last = first, nx;

	while ((nx = c->blocks[last - 1].next)) {
		__atomic_store_n(&c->blocks[last - 1].free_next, nx, __ATOMIC_RELAXED);
		last = nx;
	}
	block_push(c, &c->blocks[last - 1].free_next, first);
}

/**
 * dmae__cpu_desc_release - mark @d free (its segment blocks go back now).
 * Context: any; @d must be owned by the caller.
 */
void dmae__cpu_desc_release(struct cpu_chan *c, struct cpu_desc *d)
{
	u32 s = __atomic_load_n(&d->state, __ATOMIC_RELAXED);

	if (d->blocks) {
		blocks_release(c, d->blocks);
		d->blocks = 0;
	}
	/* Release: the next owner sees everything done with it. */
	__atomic_store_n(&d->state, CPU_STATE_MAKE(CPU_STATE_SUBS(s), CPU_DESC_FREE),
			 __ATOMIC_RELEASE);
}

/** Every descriptor and block free, rings empty, cookies restarted. Context: alloc/free. */
void dmae__cpu_pool_reset(struct cpu_chan *c)
{
	for (u32 i = 0; i < c->ndescs; i++) {
		struct cpu_desc *d = &c->descs[i];

		memset(d, 0, sizeof(*d));
		d->index = i;
		dma_async_tx_descriptor_init(&d->tx, &c->chan);
		d->tx.tx_submit = cpu_tx_submit;
		d->tx.desc_free = cpu_desc_free;
	}
	for (u32 i = 0; i < c->nblocks; i++) {
		memset(&c->blocks[i], 0, sizeof(c->blocks[i]));
		c->blocks[i].free_next = i + 1 < c->nblocks ? i + 2 : 0;
	}
	memset(c->ring, 0, sizeof(*c->ring) * (c->ring_mask + 1));
	__atomic_store_n(&c->alloc_idx, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->owner, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&c->shared, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->owner_busy, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->block_head, c->nblocks ? 1 : 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->submit_word, (u64)DMA_MIN_COOKIE << 32, __ATOMIC_RELAXED);
	__atomic_store_n(&c->issued, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->finished, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->fence_hold, 0, __ATOMIC_RELAXED);
	/* No ticket runs: the one before the first. */
	__atomic_store_n(&c->progress, (u64)0xffffffffu << 32, __ATOMIC_RELAXED);
	__atomic_store_n(&c->paused, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->term_ticket, 0, __ATOMIC_RELAXED);
	dma_cookie_init(&c->chan);
}

/* --------------------------------------------------------------- submit */

static dma_cookie_t cpu_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct cpu_desc *d = to_cpu_desc(tx);
	struct cpu_chan *c = to_cpu_chan(tx->chan);
	u32 s = __atomic_load_n(&d->state, __ATOMIC_ACQUIRE);
	u64 old, nw;
	dma_cookie_t cookie;
	u32 st = CPU_STATE(s);
	bool exclusive;

	if (dmae_unlikely(!(st == CPU_DESC_PREPARED ||
			    (st == CPU_DESC_DONE && dmaengine_desc_test_reuse(tx))))) {
		dmae_misuse(tx->chan, "dmaengine_submit", "descriptor is %s",
			    st == CPU_DESC_QUEUED ? "already submitted" : "not prepared (freed?)");
		return -EINVAL;
	}
	/*
	 * The client owns a prepared descriptor, so a plain store queues it; the
	 * worker's CAS from DONE (after a callback) fails on the new count.
	 */
	__atomic_store_n(&d->state, CPU_STATE_MAKE(CPU_STATE_SUBS(s) + 1, CPU_DESC_QUEUED),
			 __ATOMIC_RELAXED);
	d->gen = __atomic_load_n(&c->term_gen, __ATOMIC_ACQUIRE);
	/* The cookie and the ring position come together: ring order is cookie order. */
	exclusive = cpu_client_enter(c);
	old = __atomic_load_n(&c->submit_word, __ATOMIC_RELAXED);
	if (exclusive) {
		cookie = dma_cookie_next((dma_cookie_t)(old >> 32));
		__atomic_store_n(&c->submit_word, (u64)(u32)cookie << 32 | (u32)(old + 1),
				 __ATOMIC_RELAXED);
	} else {
		do {
			cookie = dma_cookie_next((dma_cookie_t)(old >> 32));
			nw = (u64)(u32)cookie << 32 | (u32)(old + 1);
		} while (!__atomic_compare_exchange_n(&c->submit_word, &old, nw, true,
						      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	}
	cpu_client_exit(c, exclusive);
	__atomic_store_n(&tx->cookie, cookie, __ATOMIC_RELAXED);
	/*
	 * Release, twice: a ring slot keeps its last descriptor, so the worker may
	 * find this descriptor there from an earlier lap; the ticket it reads
	 * (acquire) then publishes the descriptor as well as the slot does.
	 */
	__atomic_store_n(&d->ticket, (u32)old, __ATOMIC_RELEASE);
	/* Release: the worker that sees the slot sees the whole descriptor. */
	__atomic_store_n(&c->ring[(u32)old & c->ring_mask], d, __ATOMIC_RELEASE);
	return cookie;
}

static int cpu_desc_free(struct dma_async_tx_descriptor *tx)
{
	struct cpu_desc *d = to_cpu_desc(tx);
	struct cpu_chan *c = to_cpu_chan(tx->chan);
	u32 s = __atomic_load_n(&d->state, __ATOMIC_ACQUIRE);

	if (CPU_STATE(s) != CPU_DESC_PREPARED ||
	    !__atomic_compare_exchange_n(&d->state, &s, CPU_STATE_MAKE(CPU_STATE_SUBS(s),
					 CPU_DESC_FREE), false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		dmae_misuse(tx->chan, "dmaengine_desc_free",
			    "descriptor is queued or running; terminate first");
		return -EBUSY;
	}
	dmae__cpu_desc_release(c, d);
	return 0;
}

/* ----------------------------------------------------------------- prep */

/*
 * Claim the next free descriptor in ring order, skipping ones still in use
 * (reusable, waiting for ACK, completed out of order); NULL when none is free.
 * The claim is the descriptor's own FREE -> PREPARED transition (a CAS when
 * the channel is shared), so a client that laps the ring cannot take a
 * descriptor another one has just claimed; alloc_idx is only where to look.
 */
static struct cpu_desc *desc_claim(struct cpu_chan *c, bool exclusive)
{
	u32 i = __atomic_load_n(&c->alloc_idx, __ATOMIC_RELAXED);

	for (u32 tries = 0; tries <= c->ndescs; tries++, i++) {
		struct cpu_desc *d = &c->descs[i & c->desc_mask];
		u32 s = __atomic_load_n(&d->state, __ATOMIC_ACQUIRE);
		u32 prepared = CPU_STATE_MAKE(CPU_STATE_SUBS(s), CPU_DESC_PREPARED);

		if (CPU_STATE(s) != CPU_DESC_FREE)
			continue;
		if (exclusive)
			__atomic_store_n(&d->state, prepared, __ATOMIC_RELAXED);
		else if (!__atomic_compare_exchange_n(&d->state, &s, prepared, false,
						      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue; /* another client took it */
		__atomic_store_n(&c->alloc_idx, i + 1, __ATOMIC_RELAXED);
		/* The worker wrote later ones last: fetch them while this one fills. */
		cpu_desc_prefetch(&c->descs[(i + CPU_PREFETCH) & c->desc_mask]);
		return d;
	}
	__atomic_store_n(&c->alloc_idx, i, __ATOMIC_RELAXED);
	return NULL;
}

/* A fresh descriptor for the client, or NULL when the pool is empty. */
static struct cpu_desc *desc_get(struct cpu_chan *c, unsigned long flags, enum cpu_desc_op op)
{
	bool exclusive = cpu_client_enter(c);
	struct cpu_desc *d = desc_claim(c, exclusive);

	cpu_client_exit(c, exclusive);

	if (dmae_unlikely(!d)) {
		/* Descriptors waiting for DMA_CTRL_ACK are reclaimed on the worker's next visit. */
		__atomic_fetch_add(&c->ctl_gen, 1, __ATOMIC_RELEASE);
		dmae__cpu_wake(c, true);
		dev_dbg(c->cd->dma.dev, "%s: no free descriptor", dma_chan_name(&c->chan));
		return NULL;
	}
	/* Atomic: an out-of-order worker may peek at a recycled descriptor's flags. */
	__atomic_store_n((int *)&d->tx.flags, (int)flags, __ATOMIC_RELAXED);
	__atomic_store_n(&d->tx.cookie, -EBUSY, __ATOMIC_RELAXED);
	d->tx.callback = NULL;
	d->tx.callback_result = NULL;
	d->tx.callback_param = NULL;
	if (dmae_unlikely(d->tx.unmap || d->tx.next || d->tx.parent || d->tx.desc_metadata_mode)) {
		d->tx.unmap = NULL;
		d->tx.next = NULL;
		d->tx.parent = NULL;
		d->tx.desc_metadata_mode = DESC_METADATA_NONE;
	}
	d->op = (u8)op;
	d->blocks = 0;
	return d;
}

static bool len_ok(struct cpu_chan *c, u64 len, const char *func)
{
	if (dmae_likely(len <= CPU_DMA_MAX_LEN))
		return true;
	dmae_misuse(&c->chan, func, "length %llu exceeds the %llu bytes of one descriptor",
		    (unsigned long long)len, (unsigned long long)CPU_DMA_MAX_LEN);
	return false;
}

static struct dma_async_tx_descriptor *cpu_prep_memcpy(struct dma_chan *chan, dma_addr_t dst,
						       dma_addr_t src, size_t len,
						       unsigned long flags)
{
	struct cpu_chan *c = to_cpu_chan(chan);
	struct cpu_desc *d;

	if (!len_ok(c, len, "dmaengine_prep_dma_memcpy"))
		return NULL;
	d = desc_get(c, flags, CPU_OP_COPY);
	if (!d)
		return NULL;
	d->nsegs = 1;
	d->seg0.dst = dst;
	d->seg0.src = src;
	d->seg0.len = len;
	__atomic_store_n(&d->len, len, __ATOMIC_RELAXED);
	return &d->tx;
}

static struct dma_async_tx_descriptor *cpu_prep_memset(struct dma_chan *chan, dma_addr_t dst,
						       int value, size_t len,
						       unsigned long flags)
{
	struct cpu_chan *c = to_cpu_chan(chan);
	struct cpu_desc *d;

	if (!len_ok(c, len, "dmaengine_prep_dma_memset"))
		return NULL;
	d = desc_get(c, flags, CPU_OP_FILL);
	if (!d)
		return NULL;
	d->fill = (u8)value;
	d->nsegs = 1;
	d->seg0.dst = dst;
	d->seg0.src = 0;
	d->seg0.len = len;
	__atomic_store_n(&d->len, len, __ATOMIC_RELAXED);
	return &d->tx;
}

static struct dma_async_tx_descriptor *cpu_prep_interrupt(struct dma_chan *chan,
							  unsigned long flags)
{
	struct cpu_desc *d = desc_get(to_cpu_chan(chan), flags, CPU_OP_NOP);

	if (!d)
		return NULL;
	d->nsegs = 0;
	__atomic_store_n(&d->len, 0, __ATOMIC_RELAXED);
	return &d->tx;
}

/* A chain of @need segment blocks for @d (none: seg0 only). */
static int blocks_alloc(struct cpu_chan *c, struct cpu_desc *d, u32 need)
{
	u32 prev = 0;

	d->blocks = 0;
	for (u32 i = 0; i < need; i++) {
		u32 b = block_pop(c);

		if (!b) {
			if (d->blocks)
				blocks_release(c, d->blocks);
			d->blocks = 0;
			return -ENOMEM;
		}
		c->blocks[b - 1].next = 0;
		if (prev)
			c->blocks[prev - 1].next = b;
		else
			d->blocks = b;
		prev = b;
	}
	return 0;
}

/* Segment storage for @n segments: seg0 alone, or a chain of blocks. */
static int segs_alloc(struct cpu_chan *c, struct cpu_desc *d, u32 n)
{
	d->nsegs = n;
	return blocks_alloc(c, d, n <= 1 ? 0 : (n + CPU_SEGS_PER_BLOCK - 1) / CPU_SEGS_PER_BLOCK);
}

/* The @i-th segment of @d (prep-time access; the worker walks blocks itself). */
static struct cpu_seg *seg_at(struct cpu_chan *c, struct cpu_desc *d, u32 i)
{
	u32 b = d->blocks;

	if (!b)
		return &d->seg0;
	while (i >= CPU_SEGS_PER_BLOCK) {
		b = c->blocks[b - 1].next;
		i -= CPU_SEGS_PER_BLOCK;
	}
	return &c->blocks[b - 1].seg[i];
}

/*
 * Out of segment blocks for now: like running out of descriptors, a
 * transient state. Blocks of completed descriptors come back once they are
 * acknowledged, which the worker notices on its next visit: make it visit.
 */
static struct dma_async_tx_descriptor *blocks_busy(struct cpu_chan *c, struct cpu_desc *d)
{
	dmae__cpu_desc_release(c, d);
	__atomic_fetch_add(&c->ctl_gen, 1, __ATOMIC_RELEASE);
	dmae__cpu_wake(c, true);
	dev_dbg(c->cd->dma.dev, "%s: no free segment block", dma_chan_name(&c->chan));
	return NULL;
}

/* More segments than the whole pool holds: this can never succeed. */
static bool segs_fit(struct cpu_chan *c, u64 n, const char *func)
{
	if (dmae_likely(n <= (u64)c->nblocks * CPU_SEGS_PER_BLOCK))
		return true;
	dmae_misuse(&c->chan, func, "%llu segments; a descriptor of this channel holds %u at most",
		    (unsigned long long)n, c->nblocks * CPU_SEGS_PER_BLOCK);
	return false;
}

/* Pieces of a copy between two scatterlists: at most dst + src - 1. */
static u32 sg_pieces(struct scatterlist *dst, unsigned int dn, struct scatterlist *src,
		     unsigned int sn, struct cpu_chan *c, struct cpu_desc *d, u64 *total)
{
	u64 doff = 0, soff = 0;
	u32 n = 0;

	*total = 0;
	while (dn && sn) {
		u64 dl = sg_dma_len(dst) - doff, sl = sg_dma_len(src) - soff;
		u64 len = dl < sl ? dl : sl;

		if (len) {
			if (d) {
				struct cpu_seg *s = seg_at(c, d, n);

				s->dst = sg_dma_address(dst) + doff;
				s->src = sg_dma_address(src) + soff;
				s->len = len;
			}
			n++;
			*total += len;
		}
		doff += len;
		soff += len;
		if (doff == sg_dma_len(dst)) {
			dst = --dn ? sg_next(dst) : NULL;
			doff = 0;
		}
		if (soff == sg_dma_len(src)) {
			src = --sn ? sg_next(src) : NULL;
			soff = 0;
		}
		if ((dn && !dst) || (sn && !src))
			break;
	}
	return n;
}

static struct dma_async_tx_descriptor *
cpu_prep_memcpy_sg(struct dma_chan *chan, struct scatterlist *dst_sg, unsigned int dst_nents,
		   struct scatterlist *src_sg, unsigned int src_nents, unsigned long flags)
{
	static const char func[] = "dmaengine_prep_dma_memcpy_sg";
	struct cpu_chan *c = to_cpu_chan(chan);
	struct cpu_desc *d;
	u64 total;
	u32 n = sg_pieces(dst_sg, dst_nents, src_sg, src_nents, c, NULL, &total);

	if (!n) {
		dmae_misuse(chan, func, "nothing to copy (zero-length lists)");
		return NULL;
	}
	if (!len_ok(c, total, func) || !segs_fit(c, n, func))
		return NULL;
	d = desc_get(c, flags, CPU_OP_COPY);
	if (!d)
		return NULL;
	if (segs_alloc(c, d, n))
		return blocks_busy(c, d);
	sg_pieces(dst_sg, dst_nents, src_sg, src_nents, c, d, &total);
	__atomic_store_n(&d->len, total, __ATOMIC_RELAXED);
	return &d->tx;
}

static struct dma_async_tx_descriptor *cpu_prep_memset_sg(struct dma_chan *chan,
							  struct scatterlist *sg,
							  unsigned int nents, int value,
							  unsigned long flags)
{
	static const char func[] = "dmaengine_prep_dma_memset_sg";
	struct cpu_chan *c = to_cpu_chan(chan);
	struct scatterlist *s;
	struct cpu_desc *d;
	u64 total = 0;
	unsigned int i;

	for_each_sg(sg, s, nents, i) {
		if (!s)
			break;
		total += sg_dma_len(s);
	}
	if (!total) {
		dmae_misuse(chan, func, "nothing to fill (zero-length list)");
		return NULL;
	}
	if (!len_ok(c, total, func) || !segs_fit(c, nents, func))
		return NULL;
	d = desc_get(c, flags, CPU_OP_FILL);
	if (!d)
		return NULL;
	d->fill = (u8)value;
	if (segs_alloc(c, d, nents))
		return blocks_busy(c, d);
	for_each_sg(sg, s, nents, i) {
		struct cpu_seg *seg = seg_at(c, d, i);

		seg->dst = sg_dma_address(s);
		seg->src = 0;
		seg->len = sg_dma_len(s);
	}
	__atomic_store_n(&d->len, total, __ATOMIC_RELAXED);
	return &d->tx;
}

/* The kernel's dmaengine_get_icg(): the gap a side uses after a chunk. */
static size_t chunk_gap(bool inc, bool sgl, size_t icg, size_t dir_icg)
{
	if (inc) {
		if (dir_icg)
			return dir_icg;
		if (sgl)
			return icg;
	}
	return 0;
}

static struct dma_async_tx_descriptor *
cpu_prep_interleaved(struct dma_chan *chan, struct dma_interleaved_template *xt,
		     unsigned long flags)
{
	static const char func[] = "dmaengine_prep_interleaved_dma";
	struct cpu_chan *c = to_cpu_chan(chan);
	struct cpu_desc *d;
	u64 frame = 0;

	if (xt->dir != DMA_MEM_TO_MEM || !xt->src_inc || !xt->dst_inc) {
		dmae_misuse(chan, func, "only memory-to-memory templates with incrementing addresses");
		return NULL;
	}
	if (xt->frame_size > (size_t)c->nblocks * CPU_SEGS_PER_BLOCK) {
		dmae_misuse(chan, func, "frame of %zu chunks is too large", xt->frame_size);
		return NULL;
	}
	for (size_t i = 0; i < xt->frame_size; i++)
		frame += xt->sgl[i].size;
	if (!frame || frame > CPU_DMA_MAX_LEN / xt->numf) {
		dmae_misuse(chan, func, !frame ? "zero-length frame" :
			    "transfer exceeds the bytes of one descriptor");
		return NULL;
	}
	d = desc_get(c, flags, CPU_OP_2D);
	if (!d)
		return NULL;
	if (segs_alloc(c, d, (u32)xt->frame_size))
		return blocks_busy(c, d);
	for (u32 i = 0; i < xt->frame_size; i++) {
		const struct data_chunk *ch = &xt->sgl[i];
		struct cpu_seg *s = seg_at(c, d, i);

		s->len = ch->size;
		s->src = chunk_gap(xt->src_inc, xt->src_sgl, ch->icg, ch->src_icg);
		s->dst = chunk_gap(xt->dst_inc, xt->dst_sgl, ch->icg, ch->dst_icg);
	}
	d->numf = xt->numf;
	d->src_start = xt->src_start;
	d->dst_start = xt->dst_start;
	__atomic_store_n(&d->len, frame * xt->numf, __ATOMIC_RELAXED);
	return &d->tx;
}

/* ----------------------------------------------------------------- RAID */

struct raid_args {
	enum cpu_desc_op op;
	dma_addr_t p, q;	 /* P or XOR destination, Q */
	const dma_addr_t *src;	 /* sources */
	unsigned int n;		 /* how many */
	const unsigned char *scf; /* PQ coefficients, or NULL */
	size_t len;
	void *result;		 /* VAL verdict */
	u8 raid_flags;		 /* DMAE_RAID_* */
};

static struct dma_async_tx_descriptor *raid_prep(struct cpu_chan *c, const struct raid_args *a,
						 unsigned long flags, const char *func)
{
	u32 words = cpu_raid_words(a->n, (u8)a->op);
	struct cpu_desc *d;
	u32 b, w = 0;

	if (a->n < 1 || a->n > CPU_RAID_MAX_SRCS) {
		dmae_misuse(&c->chan, func, "%u sources: this device takes 1 to %u", a->n,
			    CPU_RAID_MAX_SRCS);
		return NULL;
	}
	if (!len_ok(c, a->len, func))
		return NULL;
	d = desc_get(c, flags, a->op);
	if (!d)
		return NULL;
	if (words <= CPU_RAID_INLINE)
		d->blocks = 0;
	else if (blocks_alloc(c, d, (words + CPU_WORDS_PER_BLOCK - 1) / CPU_WORDS_PER_BLOCK))
		return blocks_busy(c, d);
	/* Sources, then coefficients eight to a word, filling the chain in order. */
	for (b = d->blocks; w < words; w++) {
		u64 v = 0;

		if (w < a->n) {
			v = a->src[w];
		} else {
			for (u32 k = 0, i = (w - a->n) * 8; k < 8 && i < a->n; k++, i++)
				v |= (u64)a->scf[i] << (8 * k);
		}
		*cpu_raid_word(c, d, &b, w) = v;
	}
	d->nsegs = a->n;
	d->seg0.dst = a->p;
	d->seg0.src = a->q;
	d->seg0.len = a->len;
	d->result = a->result;
	d->raid_flags = a->raid_flags;
	__atomic_store_n(&d->len, a->len, __ATOMIC_RELAXED);
	return &d->tx;
}

/* DMAE_RAID_* for the P/Q flags of a prep; 0xff when both are disabled. */
static u8 pq_raid_flags(unsigned long flags, bool val)
{
	u8 f = 0;

	if (flags & DMA_PREP_PQ_DISABLE_P)
		f |= DMAE_RAID_NO_P;
	if (flags & DMA_PREP_PQ_DISABLE_Q)
		f |= DMAE_RAID_NO_Q;
	if (!val && (flags & DMA_PREP_CONTINUE))
		f |= DMAE_RAID_ACCUM;
	return (f & (DMAE_RAID_NO_P | DMAE_RAID_NO_Q)) == (DMAE_RAID_NO_P | DMAE_RAID_NO_Q) ? 0xff : f;
}

static struct dma_async_tx_descriptor *cpu_prep_xor(struct dma_chan *chan, dma_addr_t dest,
						    dma_addr_t *src, unsigned int src_cnt,
						    size_t len, unsigned long flags)
{
	struct raid_args a = { .op = CPU_OP_XOR, .p = dest, .src = src, .n = src_cnt, .len = len };

	return raid_prep(to_cpu_chan(chan), &a, flags, "dmaengine_prep_dma_xor");
}

static struct dma_async_tx_descriptor *cpu_prep_xor_val(struct dma_chan *chan, dma_addr_t *src,
							unsigned int src_cnt, size_t len,
							enum sum_check_flags *result,
							unsigned long flags)
{
	struct raid_args a = { .op = CPU_OP_XOR_VAL, .src = src, .n = src_cnt, .len = len,
			       .result = result };

	return raid_prep(to_cpu_chan(chan), &a, flags, "dmaengine_prep_dma_xor_val");
}

static struct dma_async_tx_descriptor *cpu_prep_pq(struct dma_chan *chan, dma_addr_t *dst,
						   dma_addr_t *src, unsigned int src_cnt,
						   const unsigned char *scf, size_t len,
						   unsigned long flags)
{
	struct raid_args a = { .op = CPU_OP_PQ, .p = dst[0], .q = dst[1], .src = src,
			       .n = src_cnt, .scf = scf, .len = len,
			       .raid_flags = pq_raid_flags(flags, false) };

	if (a.raid_flags == 0xff) {
		dmae_misuse(chan, "dmaengine_prep_dma_pq", "both P and Q disabled");
		return NULL;
	}
	return raid_prep(to_cpu_chan(chan), &a, flags, "dmaengine_prep_dma_pq");
}

static struct dma_async_tx_descriptor *
cpu_prep_pq_val(struct dma_chan *chan, dma_addr_t *pq, dma_addr_t *src, unsigned int src_cnt,
		const unsigned char *scf, size_t len, enum sum_check_flags *pqres,
		unsigned long flags)
{
	struct raid_args a = { .op = CPU_OP_PQ_VAL, .p = pq[0], .q = pq[1], .src = src,
			       .n = src_cnt, .scf = scf, .len = len, .result = pqres,
			       .raid_flags = pq_raid_flags(flags, true) };

	if (a.raid_flags == 0xff) {
		dmae_misuse(chan, "dmaengine_prep_dma_pq_val", "both P and Q disabled");
		return NULL;
	}
	return raid_prep(to_cpu_chan(chan), &a, flags, "dmaengine_prep_dma_pq_val");
}

/* The prep operations of the capabilities the device advertises (it may be
 * limited to some: an operation it does not advertise is not offered). */
void dmae__cpu_set_prep_ops(struct dma_device *dma)
{
#define CPU_OP(cap, op, fn)                        \
	do {                                       \
		if (dma_has_cap(cap, dma->cap_mask)) \
			dma->op = fn;              \
	} while (0)
	CPU_OP(DMA_MEMCPY, device_prep_dma_memcpy, cpu_prep_memcpy);
	CPU_OP(DMA_MEMCPY_SG, device_prep_dma_memcpy_sg, cpu_prep_memcpy_sg);
	CPU_OP(DMA_MEMSET, device_prep_dma_memset, cpu_prep_memset);
	CPU_OP(DMA_MEMSET_SG, device_prep_dma_memset_sg, cpu_prep_memset_sg);
	CPU_OP(DMA_INTERRUPT, device_prep_dma_interrupt, cpu_prep_interrupt);
	CPU_OP(DMA_INTERLEAVE, device_prep_interleaved_dma, cpu_prep_interleaved);
	CPU_OP(DMA_XOR, device_prep_dma_xor, cpu_prep_xor);
	CPU_OP(DMA_XOR_VAL, device_prep_dma_xor_val, cpu_prep_xor_val);
	CPU_OP(DMA_PQ, device_prep_dma_pq, cpu_prep_pq);
	CPU_OP(DMA_PQ_VAL, device_prep_dma_pq_val, cpu_prep_pq_val);
#undef CPU_OP
}
