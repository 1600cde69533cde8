// SPDX-License-Identifier: MIT
/*
 * conf_raid.c - XOR, XOR validation, RAID6 P+Q and P+Q validation through the
 * consumer API, checked against the plain C reference of src/raid: source
 * counts up to the device's limits, random lengths and alignments (as
 * xor_align / pq_align allow), disabled P or Q, continuation, verdicts for
 * good and corrupted data, misuse refused by the wrappers, DMA_PREP_FENCE
 * chains, and operations spanning many chunks under pause and terminate.
 */
#include "conformance.h"
#include "raid/raid.h"

#define FLAGS (DMA_PREP_INTERRUPT | DMA_CTRL_ACK)
#define PQ_OFF (DMA_PREP_PQ_DISABLE_P | DMA_PREP_PQ_DISABLE_Q)

/* Bytes of sources one ordinary operation reads at most. */
#define OP_BUDGET ((size_t)(2u << 20) / CONF_SLOW)
/* Bytes of each buffer of an operation that spans many chunks. */
#define BIG_LEN ((size_t)(4u << 20) / CONF_SLOW)
/* What a verdict holds before the engine writes it. */
#define RES_POISON ((enum sum_check_flags)0x5a5a)

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

static size_t xor_align(struct dma_chan *chan)
{
	return (size_t)1 << chan->device->xor_align;
}

static size_t pq_align(struct dma_chan *chan)
{
	return (size_t)1 << chan->device->pq_align;
}

/* An offset from a 64-byte boundary (what conf_gbuf takes) that keeps @a alignment. */
static size_t rand_misalign(struct conf_case *cc, size_t a)
{
	return a >= 64 ? 0 : (size_t)conf_rand_range(&cc->rng, 0, 63) / a * a;
}

static void fill_random(struct conf_case *cc, u8 *p, size_t len)
{
	size_t i = 0;
	u64 r;

	for (; i + 8 <= len; i += 8) {
		r = conf_rand(&cc->rng);
		memcpy(p + i, &r, 8);
	}
	if (i < len) {
		r = conf_rand(&cc->rng);
		memcpy(p + i, &r, len - i);
	}
}

/* A length (a multiple of @a) for an operation of @n sources. */
static size_t rand_len(struct conf_case *cc, unsigned int n, size_t a)
{
	size_t max = OP_BUDGET / n, len;

	switch (conf_rand(&cc->rng) % 4) {
	case 0:
		len = (size_t)conf_rand_range(&cc->rng, 1, 256);
		break;
	case 1:
		len = (size_t)conf_rand_range(&cc->rng, 1, 8192);
		break;
	case 2:
		len = 64 * (size_t)conf_rand_range(&cc->rng, 1, 1024);
		break;
	default:
		len = (size_t)conf_rand_range(&cc->rng, 1, max);
		break;
	}
	if (len > max)
		len = max;
	len = align_up(len, a);
	return len ? len : a;
}

/* Flip one random bit of byte @pos of @p. */
static void flip_bit(struct conf_case *cc, u8 *p, size_t pos)
{
	p[pos] ^= (u8)(1u << (conf_rand(&cc->rng) % 8));
}

/* The first byte, the last, or anywhere. */
static size_t pick_pos(struct conf_case *cc, size_t len, u32 k)
{
	return k % 3 == 0 ? 0 : k % 3 == 1 ? len - 1 : (size_t)conf_rand_range(&cc->rng, 0, len - 1);
}

/* Prepare; if the pool is dry, issue what is queued and wait for a descriptor. */
#define RAID_PREP(chan, expr)                                           \
	__extension__({                                                 \
		struct dma_async_tx_descriptor *__rtx = (expr);         \
		if (!__rtx) {                                           \
			dma_async_issue_pending(chan);                  \
			__rtx = CONF_PREP(expr);                        \
		}                                                       \
		__rtx;                                                  \
	})

/* ------------------------------------------------------------ operations */

/* One XOR or P+Q operation: its sources, destinations and expected images. */
struct rop {
	unsigned int n;		/* sources */
	unsigned int nbuf;	/* source buffers (src[]) */
	size_t len;		/* bytes of each buffer */
	struct gbuf **src;	/* sources */
	u8 **src_was;		/* the sources at prep time (NULL: not kept) */
	void **srcv;		/* host addresses, for the reference */
	dma_addr_t *srca;	/* bus addresses, for prep */
	u8 *scf;		/* coefficients */
	struct gbuf *dst[2];	/* XOR: dst[0]; P+Q: P, Q */
	u8 *exp[2];		/* their expected images */
	dma_addr_t dsta[2];	/* bus addresses of P and Q as given to prep */
	enum sum_check_flags result; /* verdict of a validation */
	u32 want;		/* the expected verdict */
	bool alias;		/* XOR: dst[0] is src[0] */
};

/*
 * rop_new - @n sources of @len bytes at random offsets keeping @a alignment,
 * random bytes (@random) or the source pattern (bit 7 clear, so that an XOR
 * of them never equals an old-pattern byte), and @ndst destinations holding
 * the old pattern. Coefficients: the standard ones, {02}^i. @stream:
 * sources mapped DMA_TO_DEVICE and destinations DMA_BIDIRECTIONAL, else
 * coherent. The CPU owns them all until rop_dev().
 */
static struct rop *rop_new(struct conf_case *cc, unsigned int n, size_t len, size_t a,
			   unsigned int ndst, bool random, bool stream)
{
	struct dma_chan *chan = cc->chan;
	struct rop *o = conf_zalloc(cc, sizeof(*o));

	o->n = n;
	o->nbuf = n;
	o->len = len;
	o->src = conf_zalloc(cc, sizeof(*o->src) * n);
	o->srcv = conf_zalloc(cc, sizeof(*o->srcv) * n);
	o->srca = conf_zalloc(cc, sizeof(*o->srca) * n);
	o->scf = conf_zalloc(cc, n);
	for (unsigned int i = 0; i < n; i++) {
		o->src[i] = conf_gbuf_mem(cc, chan, stream ? CONF_MEM_TO_DEV : CONF_MEM_COHERENT, len,
					  rand_misalign(cc, a));
		if (random)
			fill_random(cc, o->src[i]->p, len);
		else
			conf_fill_src(o->src[i], conf_rand(&cc->rng));
		o->srcv[i] = o->src[i]->p;
		o->srca[i] = conf_bus(o->src[i], 0);
		o->scf[i] = dmae__gf_exp[i % 255];
	}
	for (unsigned int d = 0; d < ndst; d++) {
		o->dst[d] = conf_gbuf_mem(cc, chan, stream ? CONF_MEM_BIDI : CONF_MEM_COHERENT, len,
					  rand_misalign(cc, a));
		conf_fill_old(cc, o->dst[d], conf_rand(&cc->rng));
		o->exp[d] = conf_expect(cc, o->dst[d]);
		o->dsta[d] = conf_bus(o->dst[d], 0);
	}
	return o;
}

/* Hand the buffers of @o to the device: after the CPU filled them, before issue. */
static void rop_dev(struct rop *o)
{
	for (unsigned int i = 0; i < o->nbuf; i++)
		conf_dev(o->src[i]);
	for (int d = 0; d < 2 && o->dst[d]; d++)
		conf_dev(o->dst[d]);
}

/* Random coefficients, never 0 (a corrupted source then always changes Q). */
static void rop_random_scf(struct conf_case *cc, struct rop *o)
{
	for (unsigned int i = 0; i < o->n; i++)
		o->scf[i] = (u8)conf_rand_range(&cc->rng, 1, 255);
}

/* Remember the sources: nothing may write them. */
static void rop_seal(struct conf_case *cc, struct rop *o)
{
	o->src_was = conf_zalloc(cc, sizeof(*o->src_was) * o->n);
	for (unsigned int i = 0; i < o->n; i++) {
		o->src_was[i] = conf_alloc(cc, o->len);
		memcpy(o->src_was[i], conf_cpu(o->src[i]), o->len);
	}
}

static void rop_check_sources(struct rop *o, const char *what)
{
	for (unsigned int i = o->alias ? 1 : 0; i < o->n; i++) {
		long d = o->src_was ? conf_diff(conf_cpu(o->src[i]), o->src_was[i], o->len) : -1;

		if (d >= 0)
			fail_msg("%s: source %u written at byte %ld", what, i, d);
		if (!conf_guards_ok(o->src[i]))
			fail_msg("%s: guard zone of source %u overwritten", what, i);
	}
}

/*
 * After prep the caller's arrays are its own again (the kernel's drivers copy
 * them into their descriptors; async_tx passes arrays from its stack): point
 * src[0] and the destinations at decoys and change every coefficient. A
 * provider that kept the caller's arrays computes something else.
 */
static void rop_scribble(struct conf_case *cc, struct rop *o, dma_addr_t *dsta)
{
	struct gbuf *decoy = conf_gbuf(cc, o->len, 0);

	fill_random(cc, decoy->p, o->len);
	o->srca[0] = conf_bus(decoy, 0);
	for (unsigned int i = 0; i < o->n; i++)
		o->scf[i] ^= 0x5a;
	if (dsta) {
		struct gbuf *sink = conf_gbuf(cc, o->len, 0);

		dsta[0] = conf_bus(sink, 0);
		dsta[1] = conf_bus(sink, 0);
	}
}

/* Wait for every callback of @t: each exactly once, in order on in-order channels,
 * and the last cookie COMPLETE with residue 0 there. */
static void wait_all(struct conf_track *t, const char *what)
{
	conf_track_wait_all(t, what);
	if (t->in_order) {
		struct dma_tx_state st;

		memset(&st, 0xff, sizeof(st));
		if (dmaengine_tx_status(t->chan, t->cookie[t->n - 1], &st) != DMA_COMPLETE)
			fail_msg("%s: the last cookie is not DMA_COMPLETE after its callback", what);
		if (st.residue)
			fail_msg("%s: residue %u after completion", what, st.residue);
	}
}

/* ------------------------------------------------------------ verdicts */

/* A validation's callback: what *result held when it ran, then the tracker's. */
struct val_cb {
	dma_async_tx_callback_result next; /* the tracker's callback */
	void *next_param;
	enum sum_check_flags *result;
	u32 seen; /* *result in the callback (atomic) */
	u32 ran;  /* the callback ran (atomic) */
};

static void val_cb_fn(void *param, const struct dmaengine_result *res)
{
	struct val_cb *v = param;

	__atomic_store_n(&v->seen, (u32)*v->result, __ATOMIC_RELAXED);
	__atomic_store_n(&v->ran, 1, __ATOMIC_RELEASE);
	v->next(v->next_param, res);
}

static void val_track_set(struct conf_track *t, struct dma_async_tx_descriptor *tx, u32 idx,
			  struct val_cb *v, enum sum_check_flags *result)
{
	conf_track_set(t, tx, idx);
	v->next = tx->callback_result;
	v->next_param = tx->callback_param;
	v->result = result;
	tx->callback_result = val_cb_fn;
	tx->callback_param = v;
}

static void check_verdict(const struct val_cb *v, const struct rop *o, const char *what)
{
	if (!__atomic_load_n(&v->ran, __ATOMIC_ACQUIRE))
		fail_msg("%s: callback did not run", what);
	if (__atomic_load_n(&v->seen, __ATOMIC_RELAXED) != o->want)
		fail_msg("%s: the verdict in the callback was 0x%x, expected 0x%x%s", what,
			 __atomic_load_n(&v->seen, __ATOMIC_RELAXED), o->want,
			 __atomic_load_n(&v->seen, __ATOMIC_RELAXED) == (u32)RES_POISON ?
				 " (not written before the callback)" : "");
	if ((u32)o->result != o->want)
		fail_msg("%s: verdict 0x%x, expected 0x%x", what, (u32)o->result, o->want);
}

/* ------------------------------------------------------------ XOR */

static void xor_misuse(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	unsigned int max = chan->device->max_xor;
	size_t a = xor_align(chan), len = align_up(64, a);
	struct rop *o = rop_new(cc, max + 1, len, a, 1, true, false);
	dma_addr_t dest = o->dsta[0];

	if (dmaengine_prep_dma_xor(chan, dest, o->srca, 1, len, FLAGS))
		fail_msg("dmaengine_prep_dma_xor with 1 source did not return NULL");
	if (dmaengine_prep_dma_xor(chan, dest, o->srca, 0, len, FLAGS))
		fail_msg("dmaengine_prep_dma_xor with 0 sources did not return NULL");
	if (dmaengine_prep_dma_xor(chan, dest, o->srca, max + 1, len, FLAGS))
		fail_msg("dmaengine_prep_dma_xor with max_xor + 1 = %u sources did not return NULL",
			 max + 1);
	if (dmaengine_prep_dma_xor(chan, dest, NULL, 2, len, FLAGS))
		fail_msg("dmaengine_prep_dma_xor with NULL sources did not return NULL");
	if (dmaengine_prep_dma_xor(chan, dest, o->srca, 2, 0, FLAGS))
		fail_msg("dmaengine_prep_dma_xor of 0 bytes did not return NULL");
	if (dmaengine_prep_dma_xor(NULL, dest, o->srca, 2, len, FLAGS))
		fail_msg("dmaengine_prep_dma_xor on a NULL channel did not return NULL");
	conf_assert_image(o->dst[0], o->exp[0], "destination of refused xor preps");
}

/* 16 XORs of 2..max_xor sources, random lengths and alignments, some into src[0]. */
void t_xor(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct dma_device *dev = chan->device;
	size_t a = xor_align(chan);
	unsigned int max = dev->max_xor;
	enum { NOPS = 16 };
	struct rop *ops[NOPS];
	struct conf_track *t;
	char what[128];

	if (max < 2)
		fail_msg("DMA_XOR advertised with max_xor %u: at least 2 sources", max);
	xor_misuse(cc);
	t = conf_track_new(cc, chan, NOPS);
	t->check_status = true;
	for (u32 i = 0; i < NOPS; i++) {
		unsigned int n = i == 0 ? max : i == 1 ? 2 :
				 (unsigned int)conf_rand_range(&cc->rng, 2, max);
		size_t len = i == 2 ? a : rand_len(cc, n, a);
		/* Streaming: sources to the device, the destination both ways. */
		struct rop *o = ops[i] = rop_new(cc, n, len, a, 1, true, true);
		struct dma_async_tx_descriptor *tx;

		if (i % 4 == 3) {
			/* dest is src[0], as the kernel's async_xor passes it. */
			o->alias = true;
			memcpy(o->dst[0]->p, o->src[0]->p, len);
			o->srcv[0] = o->dst[0]->p;
			o->srca[0] = o->dsta[0];
		}
		assert_true(is_dma_xor_aligned(dev, (size_t)o->dsta[0], (size_t)o->srca[n - 1], len));
		dmae__raid_ref_xor(o->exp[0], o->srcv, n, len);
		rop_seal(cc, o);
		rop_dev(o);
		tx = RAID_PREP(chan, dmaengine_prep_dma_xor(chan, o->dsta[0], o->srca, n, len, FLAGS));
		if (i % 2)
			rop_scribble(cc, o, NULL);
		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	wait_all(t, "xor");
	for (u32 i = 0; i < NOPS; i++) {
		snprintf(what, sizeof(what), "xor #%u (%u sources, %zu bytes%s%s)", i, ops[i]->n,
			 ops[i]->len, ops[i]->alias ? ", dest = src[0]" : "",
			 i % 2 ? ", caller's array reused after prep" : "");
		conf_assert_image(ops[i]->dst[0], ops[i]->exp[0], what);
		rop_check_sources(ops[i], what);
	}
}

/* ------------------------------------------------------------ XOR_VAL */

/* Sources whose XOR is zero: the last one cancels the others. */
static struct rop *xor_val_rop(struct conf_case *cc, unsigned int n, size_t len, size_t a)
{
	struct rop *o = rop_new(cc, n, len, a, 0, true, false);

	dmae__raid_ref_xor(o->src[n - 1]->p, o->srcv, n - 1, len);
	return o;
}

void t_xor_val(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	size_t a = xor_align(chan);
	unsigned int max = chan->device->max_xor;
	enum { NOPS = 12 };
	struct rop *ops[NOPS];
	struct val_cb *vcb = conf_zalloc(cc, sizeof(*vcb) * NOPS);
	struct conf_track *t;
	char what[128];

	if (max < 2)
		fail_msg("DMA_XOR_VAL advertised with max_xor %u: at least 2 sources", max);
	/* Misuse: no result, too few or too many sources. */
	{
		struct rop *o = rop_new(cc, max + 1, align_up(64, a), a, 0, true, false);
		enum sum_check_flags res = RES_POISON;

		if (dmaengine_prep_dma_xor_val(chan, o->srca, 2, o->len, NULL, FLAGS))
			fail_msg("dmaengine_prep_dma_xor_val without a result did not return NULL");
		if (dmaengine_prep_dma_xor_val(chan, o->srca, 1, o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_xor_val with 1 source did not return NULL");
		if (dmaengine_prep_dma_xor_val(chan, o->srca, max + 1, o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_xor_val with max_xor + 1 sources did not return NULL");
		if (dmaengine_prep_dma_xor_val(chan, NULL, 2, o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_xor_val with NULL sources did not return NULL");
		if (dmaengine_prep_dma_xor_val(chan, o->srca, 2, 0, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_xor_val of 0 bytes did not return NULL");
		assert_int_equal(res, RES_POISON);
	}

	t = conf_track_new(cc, chan, NOPS);
	t->check_status = true;
	for (u32 i = 0; i < NOPS; i++) {
		unsigned int n = i < 2 ? max : i < 4 ? 2 : (unsigned int)conf_rand_range(&cc->rng, 2, max);
		size_t len = rand_len(cc, n, a);
		struct rop *o = ops[i] = xor_val_rop(cc, n, len, a);
		struct dma_async_tx_descriptor *tx;

		/* Odd ones: one bit of one source flipped (first, last or any byte). */
		if (i % 2) {
			unsigned int j = (unsigned int)conf_rand_range(&cc->rng, 0, n - 1);

			flip_bit(cc, o->src[j]->p, pick_pos(cc, len, i / 2));
			o->want = SUM_CHECK_P_RESULT;
		}
		if (dmae__raid_xor_zero(o->srcv, n, len) != !o->want)
			fail_msg("xor_val #%u: the test's own data is wrong", i);
		rop_seal(cc, o);
		o->result = RES_POISON;
		tx = RAID_PREP(chan, dmaengine_prep_dma_xor_val(chan, o->srca, n, len, &o->result,
								FLAGS));
		if (i % 4 == 2) /* a good one: a provider reading the decoy says "bad" */
			rop_scribble(cc, o, NULL);
		val_track_set(t, tx, i, &vcb[i], &o->result);
		t->cookie[i] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	wait_all(t, "xor_val");
	for (u32 i = 0; i < NOPS; i++) {
		snprintf(what, sizeof(what), "xor_val #%u (%u sources, %zu bytes, %s)", i, ops[i]->n,
			 ops[i]->len, ops[i]->want ? "one bit flipped" : "XOR zero");
		check_verdict(&vcb[i], ops[i], what);
		rop_check_sources(ops[i], what);
	}

	/* Polled: after dma_sync_wait the verdicts are there (in-order channels only:
	 * elsewhere a cookie says nothing). */
	if (conf_in_order(chan)) {
		struct rop *good = xor_val_rop(cc, 3, align_up(100000, a), a);
		struct rop *bad = xor_val_rop(cc, max, align_up(3000, a), a);
		struct dma_async_tx_descriptor *tx;
		dma_cookie_t c;

		flip_bit(cc, bad->src[max - 1]->p, bad->len - 1);
		bad->result = good->result = RES_POISON;
		tx = RAID_PREP(chan, dmaengine_prep_dma_xor_val(chan, bad->srca, bad->n, bad->len,
								&bad->result, DMA_CTRL_ACK));
		tx->callback = NULL;
		tx->callback_result = NULL;
		conf_submit(tx);
		tx = RAID_PREP(chan, dmaengine_prep_dma_xor_val(chan, good->srca, good->n, good->len,
								&good->result, DMA_CTRL_ACK));
		tx->callback = NULL;
		tx->callback_result = NULL;
		c = conf_submit(tx);
		assert_int_equal(dma_sync_wait(chan, c), DMA_COMPLETE);
		if (bad->result != SUM_CHECK_P_RESULT)
			fail_msg("xor_val waited for with dma_sync_wait: verdict 0x%x on bad data",
				 (u32)bad->result);
		if (good->result != 0)
			fail_msg("xor_val waited for with dma_sync_wait: verdict 0x%x on good data",
				 (u32)good->result);
	}
}

/* ------------------------------------------------------------ P+Q */

/* The reference's flags for a prep's flags. */
static unsigned int raid_flags(unsigned long flags)
{
	return (flags & DMA_PREP_PQ_DISABLE_P ? DMAE_RAID_NO_P : 0) |
	       (flags & DMA_PREP_PQ_DISABLE_Q ? DMAE_RAID_NO_Q : 0) |
	       (flags & DMA_PREP_CONTINUE ? DMAE_RAID_ACCUM : 0);
}

static const char *pq_flags_name(unsigned long flags)
{
	switch (flags & (PQ_OFF | DMA_PREP_CONTINUE)) {
	case 0:
		return "P+Q";
	case DMA_PREP_PQ_DISABLE_P:
		return "DISABLE_P";
	case DMA_PREP_PQ_DISABLE_Q:
		return "DISABLE_Q";
	case DMA_PREP_CONTINUE:
		return "CONTINUE";
	case DMA_PREP_CONTINUE | DMA_PREP_PQ_DISABLE_P:
		return "CONTINUE|DISABLE_P";
	case DMA_PREP_CONTINUE | DMA_PREP_PQ_DISABLE_Q:
		return "CONTINUE|DISABLE_Q";
	default:
		return "?";
	}
}

static void pq_misuse(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct dma_device *dev = chan->device;
	int maxn = dma_maxpq(dev, 0);
	size_t a = pq_align(chan), len = align_up(64, a);
	struct rop *o = rop_new(cc, (unsigned int)maxn + 1, len, a, 2, true, false);

	if (dmaengine_prep_dma_pq(chan, o->dsta, o->srca, (unsigned int)maxn + 1, o->scf, len, FLAGS))
		fail_msg("dmaengine_prep_dma_pq with dma_maxpq + 1 = %d sources did not return NULL",
			 maxn + 1);
	if (dmaengine_prep_dma_pq(chan, o->dsta, o->srca, 0, o->scf, len, FLAGS))
		fail_msg("dmaengine_prep_dma_pq with 0 sources did not return NULL");
	if (dmaengine_prep_dma_pq(chan, o->dsta, o->srca, 2, o->scf, len, FLAGS | PQ_OFF))
		fail_msg("dmaengine_prep_dma_pq with P and Q disabled did not return NULL");
	if (dmaengine_prep_dma_pq(chan, o->dsta, o->srca, 2, NULL, len, FLAGS))
		fail_msg("dmaengine_prep_dma_pq without coefficients did not return NULL");
	if (dmaengine_prep_dma_pq(chan, NULL, o->srca, 2, o->scf, len, FLAGS))
		fail_msg("dmaengine_prep_dma_pq without destinations did not return NULL");
	if (dmaengine_prep_dma_pq(chan, o->dsta, NULL, 2, o->scf, len, FLAGS))
		fail_msg("dmaengine_prep_dma_pq without sources did not return NULL");
	if (dmaengine_prep_dma_pq(chan, o->dsta, o->srca, 2, o->scf, 0, FLAGS))
		fail_msg("dmaengine_prep_dma_pq of 0 bytes did not return NULL");
	if (dma_dev_has_pq_continue(dev)) {
		int maxc = dma_maxpq(dev, DMA_PREP_CONTINUE);

		if (maxc + 1 <= maxn + 1 &&
		    dmaengine_prep_dma_pq(chan, o->dsta, o->srca, (unsigned int)maxc + 1, o->scf, len,
					  FLAGS | DMA_PREP_CONTINUE))
			fail_msg("dmaengine_prep_dma_pq(CONTINUE) with dma_maxpq + 1 sources did not return NULL");
	}
	conf_assert_image(o->dst[0], o->exp[0], "P of refused pq preps");
	conf_assert_image(o->dst[1], o->exp[1], "Q of refused pq preps");
}

/*
 * Every flag set (P+Q, DISABLE_P, DISABLE_Q, and with DMA_PREP_CONTINUE when
 * the device continues natively) with standard and random coefficients, then
 * a computation split over two descriptors with CONTINUE.
 */
void t_pq(struct conf_case *cc)
{
	static const unsigned long sets[] = {
		0,
		DMA_PREP_PQ_DISABLE_P,
		DMA_PREP_PQ_DISABLE_Q,
		DMA_PREP_CONTINUE,
		DMA_PREP_CONTINUE | DMA_PREP_PQ_DISABLE_P,
		DMA_PREP_CONTINUE | DMA_PREP_PQ_DISABLE_Q,
	};
	struct dma_chan *chan = cc->chan;
	struct dma_device *dev = chan->device;
	bool cont = dma_dev_has_pq_continue(dev);
	u32 nsets = cont ? 6 : 3, nops = nsets * 2;
	size_t a = pq_align(chan);
	struct rop **ops = conf_zalloc(cc, sizeof(*ops) * nops);
	unsigned long *opflags = conf_zalloc(cc, sizeof(*opflags) * nops);
	struct conf_track *t;
	char what[160];

	if (dma_maxpq(dev, 0) < 1)
		fail_msg("DMA_PQ advertised with max_pq 0x%x: no source fits", dev->max_pq);
	pq_misuse(cc);
	t = conf_track_new(cc, chan, nops);
	t->check_status = true;
	for (u32 i = 0; i < nops; i++) {
		unsigned long flags = sets[i / 2];
		int maxn = dma_maxpq(dev, (enum dma_ctrl_flags)flags);
		unsigned int n = i % 4 == 0 ? (unsigned int)maxn : i % 4 == 1 ? 1 :
				 (unsigned int)conf_rand_range(&cc->rng, 1, (u64)maxn);
		size_t len = rand_len(cc, n, a);
		struct rop *o;
		struct dma_async_tx_descriptor *tx;

		assert_true(maxn >= 1);
		o = ops[i] = rop_new(cc, n, len, a, 2, true, false);
		opflags[i] = flags;
		if (i % 2)
			rop_random_scf(cc, o);
		/* A disabled destination's address is ignored: sometimes 0, as async_tx passes. */
		if (flags & DMA_PREP_PQ_DISABLE_P && conf_rand(&cc->rng) & 1)
			o->dsta[0] = 0;
		if (flags & DMA_PREP_PQ_DISABLE_Q && conf_rand(&cc->rng) & 1)
			o->dsta[1] = 0;
		assert_true(is_dma_pq_aligned(dev, (size_t)conf_bus(o->dst[0], 0),
					      (size_t)conf_bus(o->dst[1], 0), len));
		assert_true(is_dma_pq_aligned(dev, (size_t)o->srca[0], (size_t)o->srca[n - 1], len));
		dmae__raid_ref_pq(o->exp[0], o->exp[1], o->srcv, o->scf, n, len, raid_flags(flags));
		rop_seal(cc, o);
		tx = RAID_PREP(chan, dmaengine_prep_dma_pq(chan, o->dsta, o->srca, n, o->scf, len,
							   flags | FLAGS));
		if (i % 3 == 1)
			rop_scribble(cc, o, o->dsta);
		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	wait_all(t, "pq");
	for (u32 i = 0; i < nops; i++) {
		snprintf(what, sizeof(what), "pq #%u (%s, %u sources, %zu bytes, %s coefficients%s)", i,
			 pq_flags_name(opflags[i]), ops[i]->n, ops[i]->len,
			 i % 2 ? "random" : "standard",
			 i % 3 == 1 ? ", caller's arrays reused after prep" : "");
		conf_assert_image(ops[i]->dst[0], ops[i]->exp[0], what);
		conf_assert_image(ops[i]->dst[1], ops[i]->exp[1], what);
		rop_check_sources(ops[i], what);
	}

	/* P and Q of n1 + n2 sources in two descriptors: the second continues the first. */
	if (cont) {
		unsigned int n1 = (unsigned int)conf_rand_range(&cc->rng, 1, (u64)dma_maxpq(dev, 0));
		unsigned int n2 = (unsigned int)conf_rand_range(
			&cc->rng, 1, (u64)dma_maxpq(dev, DMA_PREP_CONTINUE));
		size_t len = rand_len(cc, n1 + n2, a);
		struct rop *o = rop_new(cc, n1 + n2, len, a, 2, true, false);
		struct conf_track *t2 = conf_track_new(cc, chan, 2);
		struct dma_async_tx_descriptor *tx;

		t2->check_status = true;
		dmae__raid_ref_pq(o->exp[0], o->exp[1], o->srcv, o->scf, n1 + n2, len, 0);
		/* The first must be done before the second reads P and Q: FENCE. */
		tx = RAID_PREP(chan, dmaengine_prep_dma_pq(chan, o->dsta, o->srca, n1, o->scf, len,
							   FLAGS | DMA_PREP_FENCE));
		conf_track_set(t2, tx, 0);
		t2->cookie[0] = conf_submit(tx);
		tx = RAID_PREP(chan, dmaengine_prep_dma_pq(chan, o->dsta, o->srca + n1, n2,
							   o->scf + n1, len,
							   FLAGS | DMA_PREP_CONTINUE));
		conf_track_set(t2, tx, 1);
		t2->cookie[1] = conf_submit(tx);
		dma_async_issue_pending(chan);
		wait_all(t2, "pq continued");
		snprintf(what, sizeof(what), "pq of %u + %u sources (%zu bytes) continued", n1, n2,
			 len);
		conf_assert_image(o->dst[0], o->exp[0], what);
		conf_assert_image(o->dst[1], o->exp[1], what);
	}
}

/* ------------------------------------------------------------ PQ_VAL */

void t_pq_val(struct conf_case *cc)
{
	static const unsigned long sets[] = { 0, DMA_PREP_PQ_DISABLE_P, DMA_PREP_PQ_DISABLE_Q };
	static const char *const corrupt_name[] = { "nothing", "P", "Q", "a source" };
	struct dma_chan *chan = cc->chan;
	struct dma_device *dev = chan->device;
	size_t a = pq_align(chan);
	enum { NOPS = 12 };
	struct rop *ops[NOPS];
	struct val_cb *vcb = conf_zalloc(cc, sizeof(*vcb) * NOPS);
	struct conf_track *t;
	int maxn = dma_maxpq(dev, 0);
	char what[160];

	if (maxn < 1)
		fail_msg("DMA_PQ_VAL advertised with max_pq 0x%x: no source fits", dev->max_pq);
	/* Misuse: no verdict, P and Q both disabled, too many sources. */
	{
		struct rop *o = rop_new(cc, (unsigned int)maxn + 1, align_up(64, a), a, 2, true, false);
		enum sum_check_flags res = RES_POISON;

		if (dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, 2, o->scf, o->len, NULL, FLAGS))
			fail_msg("dmaengine_prep_dma_pq_val without a result did not return NULL");
		if (dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, 2, o->scf, o->len, &res,
					      FLAGS | PQ_OFF))
			fail_msg("dmaengine_prep_dma_pq_val with P and Q disabled did not return NULL");
		if (dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, (unsigned int)maxn + 1, o->scf,
					      o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_pq_val with dma_maxpq + 1 sources did not return NULL");
		if (dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, 0, o->scf, o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_pq_val with 0 sources did not return NULL");
		if (dmaengine_prep_dma_pq_val(chan, NULL, o->srca, 2, o->scf, o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_pq_val without P/Q did not return NULL");
		if (dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, 2, NULL, o->len, &res, FLAGS))
			fail_msg("dmaengine_prep_dma_pq_val without coefficients did not return NULL");
		assert_int_equal(res, RES_POISON);
	}

	t = conf_track_new(cc, chan, NOPS);
	t->check_status = true;
	for (u32 i = 0; i < NOPS; i++) {
		unsigned long flags = sets[i / 4];
		u32 corrupt = i % 4;
		u32 p_bit = flags & DMA_PREP_PQ_DISABLE_P ? 0 : SUM_CHECK_P_RESULT;
		u32 q_bit = flags & DMA_PREP_PQ_DISABLE_Q ? 0 : SUM_CHECK_Q_RESULT;
		unsigned int n = i == 0 ? (unsigned int)maxn :
				 (unsigned int)conf_rand_range(&cc->rng, 1, (u64)maxn);
		size_t len = rand_len(cc, n, a);
		/* Streaming: the CPU writes P, Q and corruptions, then hands them over. */
		struct rop *o = ops[i] = rop_new(cc, n, len, a, 2, true, true);
		struct dma_async_tx_descriptor *tx;

		if (i % 2)
			rop_random_scf(cc, o);
		dmae__raid_ref_pq(o->dst[0]->p, o->dst[1]->p, o->srcv, o->scf, n, len, 0);
		switch (corrupt) {
		case 0:
			o->want = 0;
			break;
		case 1:
			flip_bit(cc, o->dst[0]->p, pick_pos(cc, len, i));
			o->want = p_bit;
			break;
		case 2:
			flip_bit(cc, o->dst[1]->p, pick_pos(cc, len, i));
			o->want = q_bit;
			break;
		default:
			flip_bit(cc, o->src[conf_rand_range(&cc->rng, 0, n - 1)]->p,
				 pick_pos(cc, len, i));
			o->want = p_bit | q_bit; /* coefficients are never 0 */
			break;
		}
		/* Validation writes nothing: P and Q stay as they are now. */
		memcpy(o->exp[0], o->dst[0]->p, len);
		memcpy(o->exp[1], o->dst[1]->p, len);
		if (flags & DMA_PREP_PQ_DISABLE_P && conf_rand(&cc->rng) & 1)
			o->dsta[0] = 0;
		if (flags & DMA_PREP_PQ_DISABLE_Q && conf_rand(&cc->rng) & 1)
			o->dsta[1] = 0;
		rop_seal(cc, o);
		rop_dev(o);
		o->result = RES_POISON;
		tx = RAID_PREP(chan, dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, n, o->scf, len,
							       &o->result, flags | FLAGS));
		val_track_set(t, tx, i, &vcb[i], &o->result);
		t->cookie[i] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	wait_all(t, "pq_val");
	for (u32 i = 0; i < NOPS; i++) {
		snprintf(what, sizeof(what), "pq_val #%u (%s, %u sources, %zu bytes, %s corrupted)", i,
			 pq_flags_name(sets[i / 4]), ops[i]->n, ops[i]->len, corrupt_name[i % 4]);
		check_verdict(&vcb[i], ops[i], what);
		conf_assert_image(ops[i]->dst[0], ops[i]->exp[0], what);
		conf_assert_image(ops[i]->dst[1], ops[i]->exp[1], what);
		rop_check_sources(ops[i], what);
	}

	/* Polled with dma_sync_wait (in-order channels). */
	if (conf_in_order(chan)) {
		struct rop *o = rop_new(cc, (unsigned int)maxn, align_up(50000, a), a, 2, true, true);
		struct dma_async_tx_descriptor *tx;
		dma_cookie_t c;

		dmae__raid_ref_pq(o->dst[0]->p, o->dst[1]->p, o->srcv, o->scf, o->n, o->len, 0);
		flip_bit(cc, o->dst[1]->p, o->len / 2);
		rop_dev(o);
		o->result = RES_POISON;
		tx = RAID_PREP(chan, dmaengine_prep_dma_pq_val(chan, o->dsta, o->srca, o->n, o->scf,
							       o->len, &o->result, DMA_CTRL_ACK));
		tx->callback = NULL;
		tx->callback_result = NULL;
		c = conf_submit(tx);
		assert_int_equal(dma_sync_wait(chan, c), DMA_COMPLETE);
		if (o->result != SUM_CHECK_Q_RESULT)
			fail_msg("pq_val waited for with dma_sync_wait: verdict 0x%x, expected Q (0x%x)",
				 (u32)o->result, SUM_CHECK_Q_RESULT);
	}
}

/* ------------------------------------------------------------ fences */

/* A copy @src -> @dst: memcpy when the device has it, else an XOR with zeros. */
static struct dma_async_tx_descriptor *prep_copy(struct dma_chan *chan, struct gbuf *dst,
						 struct gbuf *src, struct gbuf *zeros, size_t len,
						 unsigned long flags, dma_addr_t *xs)
{
	if (conf_has(chan, DMA_MEMCPY))
		return RAID_PREP(chan, dmaengine_prep_dma_memcpy(chan, conf_bus(dst, 0),
								  conf_bus(src, 0), len, flags));
	xs[0] = conf_bus(src, 0);
	xs[1] = conf_bus(zeros, 0);
	return RAID_PREP(chan, dmaengine_prep_dma_xor(chan, conf_bus(dst, 0), xs, 2, len, flags));
}

/*
 * DMA_PREP_FENCE: copy A -> B, then XOR B ^ C -> D reading the copy's result,
 * submitted back to back. Even rounds fence the copy (it completes before
 * the XOR starts); odd rounds fence the XOR (it starts after the copy ended
 * and completes before a copy D -> E starts). On COMPLETION_NO_ORDER
 * channels this is what keeps the XOR from reading stale B; in-order
 * channels must give the same results.
 */
void t_xor_fence(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	bool ooo = !conf_in_order(chan);
	size_t a = xor_align(chan);
	u32 rounds = (ooo ? 200u : 20u) / CONF_SLOW;
	size_t len;
	struct gbuf *A, *B, *C, *D, *E, *Z;
	dma_addr_t xs[2], cs[2], ds[2];
	u8 *expd;

	if (conf_has(chan, DMA_MEMCPY) && conf_copy_align(chan) > a)
		a = conf_copy_align(chan);
	len = align_up((size_t)conf_rand_range(&cc->rng, 16384, (512u << 10) / CONF_SLOW), a);
	A = conf_gbuf(cc, len, rand_misalign(cc, a));
	B = conf_gbuf(cc, len, rand_misalign(cc, a));
	C = conf_gbuf(cc, len, rand_misalign(cc, a));
	D = conf_gbuf(cc, len, rand_misalign(cc, a));
	E = conf_gbuf(cc, len, rand_misalign(cc, a));
	Z = conf_gbuf(cc, len, 0); /* zeros */
	expd = conf_alloc(cc, len);
	fill_random(cc, C->p, len);
	for (u32 r = 0; r < rounds; r++) {
		bool fence_xor = r & 1;
		struct conf_track *t = conf_track_new(cc, chan, fence_xor ? 3 : 2);
		struct dma_async_tx_descriptor *tx;
		void *v[2] = { A->p, C->p };
		char what[96];

		conf_fill_src(A, conf_rand(&cc->rng));
		conf_fill_old(cc, B, conf_rand(&cc->rng));
		conf_fill_old(cc, D, conf_rand(&cc->rng));
		conf_fill_old(cc, E, conf_rand(&cc->rng));
		dmae__raid_ref_xor(expd, v, 2, len);
		t->check_status = true;

		tx = prep_copy(chan, B, A, Z, len, FLAGS | (fence_xor ? 0 : DMA_PREP_FENCE), cs);
		conf_track_set(t, tx, 0);
		t->cookie[0] = conf_submit(tx);
		xs[0] = conf_bus(B, 0);
		xs[1] = conf_bus(C, 0);
		tx = RAID_PREP(chan, dmaengine_prep_dma_xor(chan, conf_bus(D, 0), xs, 2, len,
							    FLAGS | (fence_xor ? DMA_PREP_FENCE : 0)));
		conf_track_set(t, tx, 1);
		t->cookie[1] = conf_submit(tx);
		if (fence_xor) {
			tx = prep_copy(chan, E, D, Z, len, FLAGS, ds);
			conf_track_set(t, tx, 2);
			t->cookie[2] = conf_submit(tx);
		}
		dma_async_issue_pending(chan);
		snprintf(what, sizeof(what), "fence round %u (%zu bytes, fence on the %s)", r, len,
			 fence_xor ? "xor" : "copy");
		wait_all(t, what);
		conf_assert_image(B, A->p, what);
		conf_assert_image(D, expd, what);
		if (fence_xor)
			conf_assert_image(E, expd, what);
	}
	printf("    %s: %u fenced copy -> xor chains of %zu bytes right\n", dma_chan_name(chan),
	       rounds, len);
}

/* ------------------------------------------------------------ many chunks */

/* Sources of a long operation: up to BIG_SRCS, reading BIG_BUFS buffers in turn. */
#define BIG_SRCS 32u
#define BIG_BUFS 8u

/*
 * A long operation: XOR or P+Q of up to BIG_SRCS sources of BIG_LEN bytes,
 * the sources reading BIG_BUFS buffers round robin (long work, moderate
 * memory). The expected images come from the reference run on the distinct
 * buffers: P is the XOR of those read an odd number of times, Q uses the sum
 * of each buffer's coefficients. o->src / o->srcv are the distinct buffers;
 * o->n, o->srca, o->scf are what prep gets.
 */
static struct rop *big_new(struct conf_case *cc, bool pq)
{
	struct dma_chan *chan = cc->chan;
	struct dma_device *dev = chan->device;
	size_t a = pq ? pq_align(chan) : xor_align(chan);
	unsigned int maxn = pq ? (unsigned int)dma_maxpq(dev, 0) : dev->max_xor;
	unsigned int n = maxn < BIG_SRCS ? maxn : BIG_SRCS;
	unsigned int k = n < BIG_BUFS ? n : BIG_BUFS, m = 0;
	/* Pattern sources: P and the XOR have bit 7 clear, the old bytes bit 7 set,
	 * so every byte of them changes and the first one shows the start. */
	/* Coherent: the tests watch the destinations while the engine runs. */
	struct rop *o = rop_new(cc, k, align_up(BIG_LEN, a), a, pq ? 2 : 1, false, false);
	dma_addr_t *srca = conf_zalloc(cc, sizeof(*srca) * n);
	u8 *scf = conf_zalloc(cc, n);
	u8 comb[BIG_BUFS] = { 0 }, odd[BIG_BUFS] = { 0 };
	void *v[BIG_BUFS];

	for (unsigned int i = 0; i < n; i++) {
		srca[i] = o->srca[i % k];
		scf[i] = dmae__gf_exp[i];
		comb[i % k] ^= scf[i];
		odd[i % k] ^= 1;
	}
	for (unsigned int j = 0; j < k; j++)
		if (odd[j])
			v[m++] = o->srcv[j];
	if (m)
		dmae__raid_ref_xor(o->exp[0], v, m, o->len);
	else
		memset(o->exp[0], 0, o->len);
	if (pq)
		dmae__raid_ref_pq(NULL, o->exp[1], o->srcv, comb, k, o->len, DMAE_RAID_NO_P);
	o->n = n;
	o->srca = srca;
	o->scf = scf;
	return o;
}

static struct dma_async_tx_descriptor *big_prep(struct dma_chan *chan, struct rop *o, bool pq)
{
	if (pq)
		return dmaengine_prep_dma_pq(chan, o->dsta, o->srca, o->n, o->scf, o->len, FLAGS);
	return dmaengine_prep_dma_xor(chan, o->dsta[0], o->srca, o->n, o->len, FLAGS);
}

static void big_restore(struct rop *o)
{
	for (int d = 0; d < 2 && o->dst[d]; d++)
		conf_restore(o->dst[d], 0, o->len);
}

static void big_check(struct rop *o, const char *what)
{
	for (int d = 0; d < 2 && o->dst[d]; d++)
		conf_assert_image(o->dst[d], o->exp[d], what);
}

static const char *big_dst_name(bool pq, int d)
{
	return d ? "Q" : pq ? "P" : "the destination";
}

/* Submit and issue @o; wait until its first byte landed. */
static dma_cookie_t big_start(struct conf_case *cc, struct rop *o, bool pq, struct conf_track *t)
{
	struct dma_chan *chan = cc->chan;
	struct dma_async_tx_descriptor *tx;

	big_restore(o);
	tx = CONF_PREP(big_prep(chan, o, pq));
	conf_track_set(t, tx, 0);
	t->cookie[0] = conf_submit(tx);
	dma_async_issue_pending(chan);
	if (!CONF_WAIT_UNTIL(conf_peek_byte(o->dst[0]->p) != o->dst[0]->old[0], CONF_TIMEOUT_MS))
		fail_msg("the %s of %zu bytes did not start within %u ms", pq ? "pq" : "xor", o->len,
			 CONF_TIMEOUT_MS);
	return t->cookie[0];
}

/*
 * Is the middle byte still to be written? Then half the operation, many
 * chunks, is still ahead: a pause or terminate asked now must stop it first
 * (both act at the next chunk boundary). Tries where it is not are late: the
 * client lost its CPU meanwhile.
 */
static bool big_early(const struct rop *o)
{
	return conf_peek_byte(o->dst[0]->p + o->len / 2) == o->dst[0]->old[o->len / 2];
}

/*
 * Pause a running long operation: as for a copy, nothing moves while paused,
 * tx_status says DMA_PAUSED with a residue that memory agrees with (in-order
 * channels), and after resume the result is complete and right.
 * Returns 1 when checked, 0 when it finished before the pause took hold
 * (*@early: although the pause was asked before its middle), -ENOSYS without
 * pause support.
 */
static int big_pause_once(struct conf_case *cc, struct rop *o, bool pq, u8 **snap, bool *early)
{
	struct dma_chan *chan = cc->chan;
	enum dma_residue_granularity gran = chan->device->residue_granularity;
	struct conf_track *t = conf_track_new(cc, chan, 1);
	struct dma_tx_state st1, st2;
	enum dma_status s1, s2;
	dma_cookie_t cookie = big_start(cc, o, pq, t);
	int r, nd = pq ? 2 : 1;

	*early = big_early(o);
	r = dmaengine_pause(chan);

	if (r == -ENOSYS) {
		if (!conf_track_wait(t))
			fail_msg("no callback for the long operation");
		return -ENOSYS;
	}
	assert_int_equal(r, 0);
	memset(&st1, 0xff, sizeof(st1));
	s1 = dmaengine_tx_status(chan, cookie, &st1);
	if (s1 == DMA_COMPLETE || conf_track_count(t)) {
		assert_int_equal(dmaengine_resume(chan), 0);
		if (!conf_track_wait(t))
			fail_msg("finished, but no callback");
		assert_int_equal(dmaengine_synchronize(chan), 0);
		big_check(o, "long operation finished before the pause");
		return 0;
	}
	if (conf_in_order(chan)) {
		if (s1 != DMA_PAUSED)
			fail_msg("tx_status of the paused operation: %d, expected DMA_PAUSED", s1);
		if (!st1.residue || st1.residue > o->len)
			fail_msg("residue while paused: %u (length %zu)", st1.residue, o->len);
		if (gran != DMA_RESIDUE_GRANULARITY_DESCRIPTOR) {
			size_t done = o->len - st1.residue;

			for (int d = 0; d < nd; d++) {
				long x = conf_diff(o->dst[d]->p, o->exp[d], done);

				if (x >= 0)
					fail_msg("paused with residue %u: byte %ld of %s (before len - residue = %zu) not written",
						 st1.residue, x, big_dst_name(pq, d), done);
				if (gran == DMA_RESIDUE_GRANULARITY_BURST &&
				    (x = conf_diff(o->dst[d]->p + done, o->dst[d]->old + done,
						   o->len - done)) >= 0)
					fail_msg("paused with residue %u: byte %zu of %s (beyond len - residue = %zu) already written",
						 st1.residue, done + (size_t)x, big_dst_name(pq, d),
						 done);
			}
		}
		printf("    %s: %s paused at %zu of %zu bytes\n", dma_chan_name(chan),
		       pq ? "pq" : "xor", o->len - st1.residue, o->len);
	} else if (s1 != DMA_OUT_OF_ORDER) {
		fail_msg("tx_status on a COMPLETION_NO_ORDER channel: %d", s1);
	}
	for (int d = 0; d < nd; d++)
		memcpy(snap[d], o->dst[d]->p, o->len);
	conf_sleep_ms(CONF_QUIET_MS);
	memset(&st2, 0xff, sizeof(st2));
	s2 = dmaengine_tx_status(chan, cookie, &st2);
	assert_int_equal(s2, s1);
	if (conf_in_order(chan) && st2.residue != st1.residue)
		fail_msg("residue changed while paused: %u -> %u", st1.residue, st2.residue);
	for (int d = 0; d < nd; d++) {
		long x = conf_diff(o->dst[d]->p, snap[d], o->len);

		if (x >= 0)
			fail_msg("byte %ld of %s written while the channel was paused", x,
				 big_dst_name(pq, d));
	}
	assert_int_equal(conf_track_count(t), 0);
	assert_int_equal(dmaengine_resume(chan), 0);
	if (!conf_track_wait(t))
		fail_msg("the paused and resumed %s never completed", pq ? "pq" : "xor");
	big_check(o, "long operation paused and resumed");
	if (conf_in_order(chan)) {
		memset(&st2, 0xff, sizeof(st2));
		assert_int_equal(dmaengine_tx_status(chan, cookie, &st2), DMA_COMPLETE);
		assert_int_equal(st2.residue, 0);
	}
	return 1;
}

/*
 * Terminate a running long operation: no callback after terminate_sync, each
 * byte old or new, guards intact; then the channel works again.
 * Returns true when it stopped mid-way (no callback, some byte not written);
 * *@early as for big_pause_once.
 */
static bool big_terminate(struct conf_case *cc, struct rop *o, bool pq, bool *early)
{
	struct dma_chan *chan = cc->chan;
	struct conf_track *t = conf_track_new(cc, chan, 1);
	bool midway;
	u32 c0;

	big_start(cc, o, pq, t);
	*early = big_early(o);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	c0 = conf_track_count(t);
	conf_track_close(t);
	assert_int_equal(__atomic_load_n(&t->inside, __ATOMIC_ACQUIRE), 0);
	conf_sleep_ms(CONF_QUIET_MS);
	if (conf_track_count(t) != c0)
		fail_msg("a callback after dmaengine_terminate_sync returned");
	for (int d = 0; d < 2 && o->dst[d]; d++) {
		long x = c0 ? conf_diff(o->dst[d]->p, o->exp[d], o->len) :
			      conf_old_or_new(o->dst[d]->p, o->dst[d]->old, o->exp[d], o->len);

		if (x >= 0)
			fail_msg("terminated %s (callback %s): byte %ld of %s is 0x%02x (old 0x%02x, new 0x%02x)",
				 pq ? "pq" : "xor", c0 ? "fired" : "not fired", x, big_dst_name(pq, d),
				 o->dst[d]->p[x], o->dst[d]->old[x], o->exp[d][x]);
		if (!conf_guards_ok(o->dst[d]))
			fail_msg("terminated %s: guard zone of %s overwritten", pq ? "pq" : "xor",
				 big_dst_name(pq, d));
	}
	midway = !c0 && conf_diff(o->dst[0]->p, o->exp[0], o->len) >= 0;
	printf("    %s: %s terminated %s\n", dma_chan_name(chan), pq ? "pq" : "xor",
	       midway ? "mid-way" : c0 ? "after it completed" : "after its last byte (no callback)");

	/* The channel works again. */
	{
		size_t a = pq ? pq_align(chan) : xor_align(chan);
		struct rop *s = rop_new(cc, 2, align_up(5000, a), a, pq ? 2 : 1, true, true);
		struct conf_track *t2 = conf_track_new(cc, chan, 1);
		struct dma_async_tx_descriptor *tx;

		if (pq)
			dmae__raid_ref_pq(s->exp[0], s->exp[1], s->srcv, s->scf, 2, s->len, 0);
		else
			dmae__raid_ref_xor(s->exp[0], s->srcv, 2, s->len);
		rop_dev(s);
		tx = CONF_PREP(big_prep(chan, s, pq));
		conf_track_set(t2, tx, 0);
		t2->cookie[0] = conf_submit(tx);
		if (!conf_cookie_after(t2->cookie[0], t->cookie[0]))
			fail_msg("cookie %d after terminate is not after %d", t2->cookie[0], t->cookie[0]);
		dma_async_issue_pending(chan);
		wait_all(t2, "operation after terminate");
		big_check(s, "operation after terminate");
	}
	return midway;
}

static void big_run(struct conf_case *cc, bool pq)
{
	struct dma_chan *chan = cc->chan;
	struct rop *o = big_new(cc, pq);
	struct conf_track *t = conf_track_new(cc, chan, 1);
	u8 *snap[2] = { conf_alloc(cc, o->len), pq ? conf_alloc(cc, o->len) : NULL };
	const char *op = pq ? "pq" : "xor";
	char what[96];
	int tries, r = 0, early_misses = 0;
	bool early, midway = false;

	/* Whole: many chunks, right result. */
	snprintf(what, sizeof(what), "%s of %u sources x %zu bytes", op, o->n, o->len);
	t->check_status = true;
	big_start(cc, o, pq, t);
	wait_all(t, what);
	big_check(o, what);

	/* Paused mid-way. */
	for (tries = 0; tries < 8; tries++) {
		r = big_pause_once(cc, o, pq, snap, &early);
		if (r)
			break;
		early_misses += early;
	}
	if (r == -ENOSYS) {
		printf("    %s: no pause support (-ENOSYS): pause not checked\n", dma_chan_name(chan));
	} else if (!r) {
		if (early_misses >= 2)
			fail_msg("dmaengine_pause did not stop a running %s (%zu bytes, %u sources) in %d of %d tries although asked before the middle of the data was written",
				 op, o->len, o->n, early_misses, tries);
		printf("    %s: a %zu-byte %s always finished before dmaengine_pause took hold (late tries)\n",
		       dma_chan_name(chan), o->len, op);
	}
	/* Terminated mid-way. */
	early_misses = 0;
	for (tries = 0; tries < 4 && !midway; tries++) {
		midway = big_terminate(cc, o, pq, &early);
		early_misses += !midway && early;
	}
	if (!midway && early_misses >= 2)
		fail_msg("dmaengine_terminate_sync did not stop a running %s (%zu bytes, %u sources) before its end in %d of %d tries although asked before the middle of the data was written",
			 op, o->len, o->n, early_misses, tries);
}

void t_xor_chunks(struct conf_case *cc)
{
	big_run(cc, false);
}

void t_pq_chunks(struct conf_case *cc)
{
	big_run(cc, true);
}
