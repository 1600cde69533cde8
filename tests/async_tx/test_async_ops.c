// SPDX-License-Identifier: MIT
/*
 * test_async_ops.c - each async_tx operation against the plain C reference:
 * async_memcpy, async_xor (random source counts up to several times
 * max_xor, NULL sources, random lengths and offsets, ZERO_DST and DROP_DST),
 * async_gen_syndrome (up to 255 disks, P only, Q only, PQ_XOR_DST, absent
 * blocks), async_xor_val and async_syndrome_val on good and damaged stripes,
 * async_trigger_callback, async_tx_quiesce, dma_wait_for_async_tx, where
 * callbacks run, and every misuse the API promises to refuse.
 *
 * Run with channels (the default cpu platform), with DMAENGINE_PLATFORM=none
 * (the synchronous fallback) and with DMAENGINE_CPU_ORDER=any (out-of-order
 * channels); see async_test.h.
 */
#include "async_tx/async_test.h"

#define CANARY 0xa5
#define BUF_ORDER 2 /* 16 KiB buffers: offset < 1 page, length <= 2 pages + 1 KiB */
#define BUF_BYTES (PAGE_SIZE << BUF_ORDER)
#define MAX_LEN (2 * PAGE_SIZE + 1024)
#define MAX_SRCS 300

static enum sum_check_flags garbage_result(void)
{
	return (enum sum_check_flags)0x5a;
}

/* @tx is ERR_PTR(-EINVAL), one line said why, and @cb never ran. */
static void assert_einval_(const char *file, int line, struct dma_async_tx_descriptor *tx,
			   struct at_cb *cb, const char *what)
{
	if (!IS_ERR(tx) || PTR_ERR(tx) != -EINVAL) {
		fprintf(stderr, "%s:%d: %s: want ERR_PTR(-EINVAL), got %p\n", file, line, what,
			(void *)tx);
		_fail(file, line);
	}
	if (at_log_lines() != 1) {
		fprintf(stderr, "%s:%d: %s: want one log line, got %d\n", file, line, what,
			at_log_lines());
		_fail(file, line);
	}
	if (at_cb_calls(cb)) {
		fprintf(stderr, "%s:%d: %s: the callback ran\n", file, line, what);
		_fail(file, line);
	}
	at_log_reset();
}
#define assert_einval(tx, cb, what) assert_einval_(__FILE__, __LINE__, (tx), (cb), (what))

/*
 * Should this operation go to a channel? With channels, yes, unless the
 * channel's device cannot take these offsets and length (the kernel then
 * runs it synchronously too). @offs_or is the OR of every offset involved.
 */
static bool want_offload(enum dma_transaction_type type, unsigned long offs_or, size_t len)
{
	struct dma_chan *chan;
	enum dmaengine_alignment align;

	if (!at_offload)
		return false;
	chan = dma_find_channel(type);
	if (!chan)
		return true; /* async_tx has not taken the channels yet: it will */
	switch (type) {
	case DMA_MEMCPY:
		align = chan->device->copy_align;
		break;
	case DMA_XOR:
	case DMA_XOR_VAL:
		align = chan->device->xor_align;
		break;
	default:
		align = chan->device->pq_align;
		break;
	}
	return dmaengine_check_align(align, offs_or, 0, len);
}

/* Pages for a test, freed together. */
struct pages {
	struct page *pg[MAX_SRCS + 2];
	int n;
};

static struct page *pages_get(struct pages *ps)
{
	struct page *pg = at_alloc(BUF_ORDER);

	assert_true(ps->n < MAX_SRCS + 2);
	memset(page_address(pg), CANARY, BUF_BYTES);
	ps->pg[ps->n++] = pg;
	return pg;
}

static void pages_put(struct pages *ps)
{
	for (int i = 0; i < ps->n; i++)
		__free_pages(ps->pg[i], BUF_ORDER);
	ps->n = 0;
}

/* Nothing outside [off, off + len) of @pg was written. */
static void assert_canaries(struct page *pg, unsigned int off, size_t len)
{
	u8 *base = page_address(pg);

	assert_true(at_all(base, off, CANARY));
	assert_true(at_all(base + off + len, BUF_BYTES - off - len, CANARY));
}

/* Wait for an operation started with a probe callback; check where it ran. */
static void finish_with_cb(struct dma_async_tx_descriptor *tx, struct at_cb *cb)
{
	if (!tx) {
		/* Synchronous: the callback already ran, here, before the return. */
		assert_int_equal(at_cb_calls(cb), 1);
		assert_true(cb->on_test_thread);
		assert_int_equal(cb->ctx, DMAE_CTX_PROCESS);
	}
	at_finish(&tx);
	assert_cb_wait(cb);
	assert_int_equal(at_cb_calls(cb), 1);
}

/* ------------------------------------------------------------ async_memcpy */

static void test_memcpy_random(void **state)
{
	u64 rng = at_rng(1);
	struct pages ps = { .n = 0 };
	struct page *src = pages_get(&ps), *dst = pages_get(&ps);

	for (int round = 0; round < 40; round++) {
		size_t len = at_rand_range(&rng, 1, MAX_LEN);
		unsigned int soff = (unsigned int)at_rand_range(&rng, 0, PAGE_SIZE - 1);
		unsigned int doff = (unsigned int)at_rand_range(&rng, 0, PAGE_SIZE - 1);
		struct dma_async_tx_descriptor *tx;
		struct async_submit_ctl submit;
		struct at_cb cb;

		memset(page_address(src), CANARY, BUF_BYTES);
		memset(page_address(dst), CANARY, BUF_BYTES);
		at_fill(at_ptr(src, soff), len, &rng);
		at_cb_init(&cb, 0, NULL, NULL);
		init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
		tx = async_memcpy(dst, src, doff, soff, len, &submit);
		at_check_tx(tx, want_offload(DMA_MEMCPY, soff | doff, len), "async_memcpy");
		finish_with_cb(tx, &cb);
		assert_memory_equal(at_ptr(dst, doff), at_ptr(src, soff), len);
		assert_canaries(dst, doff, len);
	}
	pages_put(&ps);
}

/* -------------------------------------------------------------- async_xor */

/*
 * One random XOR of @cnt sources: NULL sources now and then, one offset or
 * one per source, into a separate zeroed destination or into src[0].
 */
static void xor_round(u64 *rng, int cnt)
{
	struct pages ps = { .n = 0 };
	struct page *srcs[MAX_SRCS];
	unsigned int soffs[MAX_SRCS];
	void *ref_src[MAX_SRCS];
	size_t len = at_rand_range(rng, 1, MAX_LEN);
	bool zero_dst = at_rand(rng) & 1;
	bool per_src = at_rand(rng) & 1;
	unsigned int doff = (unsigned int)at_rand_range(rng, 0, PAGE_SIZE - 1);
	unsigned long offs_or = doff;
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct page *dest = pages_get(&ps);
	u8 *want = malloc(len);
	unsigned int n = 0, nonnull = 0;
	u64 fill_state;
	struct at_cb cb;

	assert_non_null(want);
	at_fill(at_ptr(dest, doff), len, rng); /* garbage, or src[0]'s data */
	for (int i = 0; i < cnt; i++) {
		soffs[i] = per_src ? (unsigned int)at_rand_range(rng, 0, PAGE_SIZE - 1) : doff;
		/* About one in eight absent, but at least two present. */
		if (i >= 2 && at_rand_range(rng, 0, 7) == 0)
			srcs[i] = NULL;
		else
			srcs[i] = pages_get(&ps);
	}
	if (!zero_dst) {
		srcs[0] = dest; /* the kernel's way: the destination is source 0 */
		soffs[0] = doff;
	}
	fill_state = *rng;
	for (int i = 0; i < cnt; i++) {
		if (!srcs[i])
			continue;
		nonnull++;
		offs_or |= soffs[i];
		if (srcs[i] != dest)
			at_fill(at_ptr(srcs[i], soffs[i]), len, rng);
		ref_src[n++] = at_ptr(srcs[i], soffs[i]);
	}
	assert_true(nonnull >= 2);
	dmae__raid_ref_xor(want, ref_src, n, len);

	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, zero_dst ? ASYNC_TX_XOR_ZERO_DST : ASYNC_TX_XOR_DROP_DST, NULL,
			  at_cb_fn, &cb, NULL);
	if (per_src)
		tx = async_xor_offs(dest, doff, srcs, soffs, cnt, len, &submit);
	else
		tx = async_xor(dest, srcs, doff, cnt, len, &submit);
	at_check_tx(tx, want_offload(DMA_XOR, offs_or, len), "async_xor");
	finish_with_cb(tx, &cb);

	if (memcmp(at_ptr(dest, doff), want, len)) {
		fprintf(stderr, "  xor of %d sources (%u present), %zu bytes, %s, %s: wrong\n", cnt,
			nonnull, len, zero_dst ? "ZERO_DST" : "DROP_DST",
			per_src ? "offsets per source" : "one offset");
		fail();
	}
	assert_canaries(dest, doff, len);
	/* The sources are as they were. */
	for (int i = 0; i < cnt; i++) {
		if (!srcs[i])
			continue;
		if (srcs[i] != dest) {
			at_fill(want, len, &fill_state);
			assert_memory_equal(at_ptr(srcs[i], soffs[i]), want, len);
			assert_canaries(srcs[i], soffs[i], len);
		}
	}
	free(want);
	pages_put(&ps);
}

/* Source counts around and well above max_xor (64): the split into fenced steps. */
static void test_xor_random(void **state)
{
	static const int counts[] = { 2, 3, 4, 7, 16, 33, 63, 64, 65, 66, 100, 127, 128, 129, 256 };
	u64 rng = at_rng(2);

	for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++)
		xor_round(&rng, counts[i]);
	for (int i = 0; i < 15; i++)
		xor_round(&rng, (int)at_rand_range(&rng, 2, 200));
}

/* Up to 256 sources (async_tx.h), far past max_xor; 257 is refused. */
static void test_xor_many_sources(void **state)
{
	u64 rng = at_rng(13);
	struct pages ps = { .n = 0 };
	struct page *list[257], *d;
	struct async_submit_ctl submit;
	struct at_cb cb;

	xor_round(&rng, 256);
	at_log_expect();
	d = pages_get(&ps);
	for (int i = 0; i < 257; i++)
		list[i] = d;
	at_cb_init(&cb, 0, NULL, NULL);
	at_log_reset();
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, NULL, at_cb_fn, &cb, NULL);
	assert_einval(async_xor(d, list, 0, 257, PAGE_SIZE, &submit), &cb, "257 sources");
	pages_put(&ps);
}

/* NULL sources are skipped down to a single one (or none): dest is a copy
 * of it (or zeros), or stays as it was with DROP_DST. */
static void test_xor_one_present(void **state)
{
	u64 rng = at_rng(14);
	struct pages ps = { .n = 0 };
	struct page *a = pages_get(&ps), *d = pages_get(&ps);
	struct page *list[3];
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	u8 *old = malloc(PAGE_SIZE);
	struct at_cb cb;

	assert_non_null(old);
	at_fill(page_address(a), PAGE_SIZE, &rng);
	at_fill(page_address(d), PAGE_SIZE, &rng);

	/* ZERO_DST, one source present: a copy. */
	list[0] = NULL;
	list[1] = a;
	list[2] = NULL;
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, NULL, at_cb_fn, &cb, NULL);
	tx = async_xor(d, list, 0, 3, PAGE_SIZE, &submit);
	assert_false(IS_ERR(tx));
	finish_with_cb(tx, &cb);
	assert_memory_equal(page_address(d), page_address(a), PAGE_SIZE);

	/* ZERO_DST, none present: zeros. */
	list[1] = NULL;
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, NULL, at_cb_fn, &cb, NULL);
	tx = async_xor(d, list, 0, 3, PAGE_SIZE, &submit);
	assert_false(IS_ERR(tx));
	finish_with_cb(tx, &cb);
	assert_true(at_all(page_address(d), PAGE_SIZE, 0));

	/* DROP_DST, only the destination present: unchanged. */
	at_fill(page_address(d), PAGE_SIZE, &rng);
	memcpy(old, page_address(d), PAGE_SIZE);
	list[0] = d;
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, ASYNC_TX_XOR_DROP_DST, NULL, at_cb_fn, &cb, NULL);
	tx = async_xor(d, list, 0, 3, PAGE_SIZE, &submit);
	assert_false(IS_ERR(tx));
	finish_with_cb(tx, &cb);
	assert_memory_equal(page_address(d), old, PAGE_SIZE);
	free(old);
	pages_put(&ps);
}

/* A chain on one channel: xor -> xor into the result -> copy of it. */
static void test_xor_chain(void **state)
{
	u64 rng = at_rng(3);
	struct pages ps = { .n = 0 };
	struct page *a = pages_get(&ps), *b = pages_get(&ps), *c = pages_get(&ps);
	struct page *d = pages_get(&ps), *out = pages_get(&ps);
	struct page *list[3];
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	size_t len = 2 * PAGE_SIZE;
	u8 *want = malloc(len);
	struct at_cb cb;

	assert_non_null(want);
	at_fill(page_address(a), len, &rng);
	at_fill(page_address(b), len, &rng);
	at_fill(page_address(c), len, &rng);
	for (size_t i = 0; i < len; i++)
		want[i] = at_ptr(a, 0)[i] ^ at_ptr(b, 0)[i] ^ at_ptr(c, 0)[i];

	list[0] = a;
	list[1] = b;
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
	tx = async_xor(d, list, 0, 2, len, &submit);
	at_check_tx(tx, at_offload, "async_xor 1");
	list[0] = d;
	list[1] = c;
	init_async_submit(&submit, ASYNC_TX_XOR_DROP_DST | ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
	tx = async_xor(d, list, 0, 2, len, &submit);
	at_check_tx(tx, at_offload, "async_xor 2");
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, tx, at_cb_fn, &cb, NULL);
	tx = async_memcpy(out, d, 0, 0, len, &submit);
	at_check_tx(tx, at_offload, "async_memcpy");
	finish_with_cb(tx, &cb);
	assert_memory_equal(page_address(d), want, len);
	assert_memory_equal(page_address(out), want, len);
	free(want);
	pages_put(&ps);
}

/* ---------------------------------------------------- async_gen_syndrome */

enum pq_mode { PQ_BOTH, PQ_P_ONLY, PQ_Q_ONLY };

static void gen_round(u64 *rng, int disks, enum pq_mode mode, bool xor_dst)
{
	struct pages ps = { .n = 0 };
	struct page *blocks[ASYNC_TX_MAX_DISKS];
	unsigned int offs[ASYNC_TX_MAX_DISKS];
	void *ref_src[ASYNC_TX_MAX_DISKS];
	u8 scf[ASYNC_TX_MAX_DISKS];
	size_t len = at_rand_range(rng, 1, MAX_LEN);
	unsigned long offs_or = 0;
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	u8 *wp = malloc(len), *wq = malloc(len);
	unsigned int n = 0, flags = 0;
	int p = disks - 2, q = disks - 1;
	struct at_cb cb;
	bool offload;

	assert_non_null(wp);
	assert_non_null(wq);
	for (int i = 0; i < disks; i++) {
		offs[i] = (unsigned int)at_rand_range(rng, 0, PAGE_SIZE - 1);
		/* About one data block in six absent, but one present. */
		if (i < p && i > 0 && at_rand_range(rng, 0, 5) == 0) {
			blocks[i] = NULL;
			continue;
		}
		blocks[i] = pages_get(&ps);
		offs_or |= offs[i];
		at_fill(at_ptr(blocks[i], offs[i]), len, rng); /* data, or old P/Q */
		if (i < p) {
			ref_src[n] = at_ptr(blocks[i], offs[i]);
			scf[n++] = dmae__gf_exp[i];
		}
	}
	if (mode == PQ_Q_ONLY) {
		blocks[p] = NULL;
		flags |= DMAE_RAID_NO_P;
	}
	if (mode == PQ_P_ONLY) {
		blocks[q] = NULL;
		flags |= DMAE_RAID_NO_Q;
	}
	if (xor_dst) {
		flags |= DMAE_RAID_ACCUM;
		if (blocks[p])
			memcpy(wp, at_ptr(blocks[p], offs[p]), len);
		if (blocks[q])
			memcpy(wq, at_ptr(blocks[q], offs[q]), len);
	}
	dmae__raid_ref_pq(wp, wq, ref_src, scf, n, len, flags);

	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, xor_dst ? ASYNC_TX_PQ_XOR_DST : 0, NULL, at_cb_fn, &cb, NULL);
	tx = async_gen_syndrome(blocks, offs, disks, len, &submit);
	offload = want_offload(DMA_PQ, offs_or, len);
	if (xor_dst && offload) {
		/* The kernel always computes PQ_XOR_DST in software; either is right. */
		assert_false(IS_ERR(tx));
		offload = tx != NULL;
	}
	at_check_tx(tx, offload, "async_gen_syndrome");
	finish_with_cb(tx, &cb);

	if ((blocks[p] && memcmp(at_ptr(blocks[p], offs[p]), wp, len)) ||
	    (blocks[q] && memcmp(at_ptr(blocks[q], offs[q]), wq, len))) {
		fprintf(stderr, "  syndrome of %d disks (%u data present), %zu bytes, %s%s: %s wrong\n",
			disks, n, len,
			mode == PQ_BOTH ? "P+Q" : mode == PQ_P_ONLY ? "P only" : "Q only",
			xor_dst ? ", PQ_XOR_DST" : "",
			blocks[p] && memcmp(at_ptr(blocks[p], offs[p]), wp, len) ? "P" : "Q");
		fail();
	}
	for (int i = 0; i < disks; i++)
		if (blocks[i])
			assert_canaries(blocks[i], offs[i], len);
	free(wp);
	free(wq);
	pages_put(&ps);
}

/* Stripe widths around and well above max_pq (64 sources): continued PQ. */
static void test_gen_syndrome_random(void **state)
{
	static const int disks[] = { 3, 4, 5, 6, 10, 18, 64, 65, 66, 67, 68, 100, 130, 200, 255 };
	u64 rng = at_rng(4);

	for (unsigned int i = 0; i < ARRAY_SIZE(disks); i++)
		gen_round(&rng, disks[i], PQ_BOTH, false);
	for (int i = 0; i < 12; i++)
		gen_round(&rng, (int)at_rand_range(&rng, 3, 255), (enum pq_mode)(i % 3), false);
}

static void test_gen_syndrome_p_only_q_only(void **state)
{
	static const int disks[] = { 3, 4, 12, 66, 200 };
	u64 rng = at_rng(5);

	for (unsigned int i = 0; i < ARRAY_SIZE(disks); i++) {
		gen_round(&rng, disks[i], PQ_P_ONLY, false);
		gen_round(&rng, disks[i], PQ_Q_ONLY, false);
	}
}

/* P ^= P(data), Q ^= Q(data): the read-modify-write of a partial stripe. */
static void test_gen_syndrome_xor_dst(void **state)
{
	static const int disks[] = { 3, 5, 12, 66, 130 };
	u64 rng = at_rng(6);

	for (unsigned int i = 0; i < ARRAY_SIZE(disks); i++) {
		gen_round(&rng, disks[i], PQ_BOTH, true);
		gen_round(&rng, disks[i], (enum pq_mode)(1 + i % 2), true);
	}
}

/* Every data block absent: P and Q of nothing are zeros. */
static void test_gen_syndrome_all_absent(void **state)
{
	struct pages ps = { .n = 0 };
	struct page *blocks[8] = { NULL };
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct at_cb cb;

	blocks[6] = pages_get(&ps);
	blocks[7] = pages_get(&ps);
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	tx = async_gen_syndrome(blocks, NULL, 8, PAGE_SIZE, &submit);
	assert_false(IS_ERR(tx));
	finish_with_cb(tx, &cb);
	assert_true(at_all(page_address(blocks[6]), PAGE_SIZE, 0));
	assert_true(at_all(page_address(blocks[7]), PAGE_SIZE, 0));
	assert_canaries(blocks[6], 0, PAGE_SIZE);
	pages_put(&ps);
}

/* ------------------------------------------------------------ validation */

/* Flip one random bit of @len bytes at @p. */
static void flip_bit(u8 *p, size_t len, u64 *rng)
{
	size_t byte = at_rand_range(rng, 0, len - 1);

	p[byte] ^= (u8)(1u << at_rand_range(rng, 0, 7));
}

/*
 * async_xor_val_offs over @cnt blocks: dest = P at its offset, the data in
 * src_list; @with_dest: src_list[0] is P again (the kernel's layout).
 */
static enum sum_check_flags xor_val(struct page *pdest, unsigned int poff, struct page **data,
				    unsigned int *doffs, int ndata, size_t len, bool with_dest,
				    bool per_src)
{
	struct page *list[MAX_SRCS + 1];
	unsigned int offs[MAX_SRCS + 1];
	enum sum_check_flags result = garbage_result();
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	unsigned long offs_or = poff;
	int cnt = 0;
	struct at_cb cb;

	if (with_dest) {
		list[cnt] = pdest;
		offs[cnt++] = poff;
	}
	for (int i = 0; i < ndata; i++) {
		list[cnt] = data[i];
		offs[cnt++] = per_src ? doffs[i] : poff;
		offs_or |= per_src ? doffs[i] : poff;
	}
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	if (per_src)
		tx = async_xor_val_offs(pdest, poff, list, offs, cnt, len, &result, &submit);
	else
		tx = async_xor_val(pdest, list, poff, cnt, len, &result, &submit);
	/* More blocks than one descriptor takes may be checked in software. */
	if (at_offload && ndata + 1 > 64) {
		assert_false(IS_ERR(tx));
	} else {
		at_check_tx(tx, want_offload(DMA_XOR_VAL, offs_or, len), "async_xor_val");
	}
	finish_with_cb(tx, &cb);
	return result;
}

/* One check of test_xor_val, described when it fails. */
#define XOR_VAL_EXPECT(want, what)                                                           \
	do {                                                                                 \
		enum sum_check_flags got_ =                                                  \
			xor_val(pdest, poff, data, doffs, ndata, len, with_dest, per_src);    \
		if (got_ != (want)) {                                                        \
			fprintf(stderr,                                                      \
				"  xor_val, P + %d data blocks (%s, %s), %zu bytes, %s: "    \
				"result %#x, want %#x\n",                                    \
				ndata, with_dest ? "P also src_list[0]" : "P not listed",    \
				per_src ? "offsets per source" : "one offset", len, (what),  \
				(unsigned int)got_, (unsigned int)(want));                   \
			fail();                                                              \
		}                                                                            \
	} while (0)

/*
 * P + @counts data blocks, good, with a bit of P flipped, with a bit of data
 * flipped. @listed: P is src_list[0] too (the kernel's layout, md's way);
 * else only @dest names it (the header allows both).
 */
static void xor_val_forms(bool listed, u64 salt)
{
	static const int counts[] = { 1, 2, 7, 63, 64, 99 }; /* data blocks */
	u64 rng = at_rng(salt);

	for (unsigned int c = 0; c < ARRAY_SIZE(counts); c++) {
		for (int form = 0; form < 2; form++) {
			bool with_dest = listed, per_src = form & 1;
			int ndata = counts[c];
			struct pages ps = { .n = 0 };
			struct page *data[MAX_SRCS], *pdest = pages_get(&ps);
			unsigned int doffs[MAX_SRCS];
			void *ref_src[MAX_SRCS];
			size_t len = at_rand_range(&rng, 1, MAX_LEN);
			unsigned int poff = (unsigned int)at_rand_range(&rng, 0, PAGE_SIZE - 1);
			int victim = (int)at_rand_range(&rng, 0, ndata - 1);
			u8 *pp = at_ptr(pdest, poff);

			/* src_cnt >= 2, as in the kernel. */
			if (ndata == 1 && !with_dest)
				continue;
			for (int i = 0; i < ndata; i++) {
				data[i] = pages_get(&ps);
				doffs[i] = per_src ? (unsigned int)at_rand_range(&rng, 0, PAGE_SIZE - 1)
						   : poff;
				at_fill(at_ptr(data[i], doffs[i]), len, &rng);
				ref_src[i] = at_ptr(data[i], doffs[i]);
			}
			dmae__raid_ref_xor(pp, ref_src, (unsigned int)ndata, len);
			XOR_VAL_EXPECT(0, "good data");

			/* A bit of P. */
			dmae__raid_ref_xor(pp, ref_src, (unsigned int)ndata, len);
			flip_bit(pp, len, &rng);
			XOR_VAL_EXPECT(SUM_CHECK_P_RESULT, "a bit of P flipped");

			/* A bit of a data block. */
			dmae__raid_ref_xor(pp, ref_src, (unsigned int)ndata, len);
			flip_bit(at_ptr(data[victim], doffs[victim]), len, &rng);
			XOR_VAL_EXPECT(SUM_CHECK_P_RESULT, "a bit of data flipped");
			for (int i = 0; i < ndata; i++)
				assert_canaries(data[i], doffs[i], len);
			pages_put(&ps);
		}
	}
}

/* The kernel's layout: src_list[0] is the destination (P). */
static void test_xor_val(void **state)
{
	xor_val_forms(true, 7);
}

/* The parity must be src_list[0] (async_tx.h, the kernel's layout): a list
 * without it is refused rather than checked wrongly. */
static void test_xor_val_dest_not_listed(void **state)
{
	struct pages ps = { .n = 0 };
	struct page *p, *list[3];
	enum sum_check_flags res = garbage_result();
	struct async_submit_ctl submit;
	struct at_cb cb;

	at_log_expect();
	p = pages_get(&ps);
	for (int i = 0; i < 3; i++)
		list[i] = pages_get(&ps);
	at_cb_init(&cb, 0, NULL, NULL);
	at_log_reset();
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	assert_einval(async_xor_val(p, list, 0, 3, PAGE_SIZE, &res, &submit), &cb,
		      "parity not in the list");
	assert_int_equal(res, garbage_result());
	pages_put(&ps);
}

/* A stripe whose P and Q are right, for async_syndrome_val. */
struct vstripe {
	struct pages ps;
	struct page *blocks[ASYNC_TX_MAX_DISKS];
	unsigned int offs[ASYNC_TX_MAX_DISKS];
	void *ref_src[ASYNC_TX_MAX_DISKS];
	u8 scf[ASYNC_TX_MAX_DISKS];
	unsigned int n;	  /* data blocks present */
	unsigned long offs_or;
	int disks;
	size_t len;
};

static void vstripe_make(struct vstripe *vs, int disks, u64 *rng)
{
	memset(vs, 0, sizeof(*vs));
	vs->disks = disks;
	vs->len = at_rand_range(rng, 1, MAX_LEN);
	for (int i = 0; i < disks; i++) {
		vs->offs[i] = (unsigned int)at_rand_range(rng, 0, PAGE_SIZE - 1);
		if (i < disks - 2 && i > 0 && at_rand_range(rng, 0, 7) == 0)
			continue; /* absent */
		vs->blocks[i] = pages_get(&vs->ps);
		vs->offs_or |= vs->offs[i];
		if (i < disks - 2) {
			at_fill(at_ptr(vs->blocks[i], vs->offs[i]), vs->len, rng);
			vs->ref_src[vs->n] = at_ptr(vs->blocks[i], vs->offs[i]);
			vs->scf[vs->n++] = dmae__gf_exp[i];
		}
	}
}

/* Make P and Q right again. */
static void vstripe_fix(struct vstripe *vs)
{
	dmae__raid_ref_pq(at_ptr(vs->blocks[vs->disks - 2], vs->offs[vs->disks - 2]),
			  at_ptr(vs->blocks[vs->disks - 1], vs->offs[vs->disks - 1]), vs->ref_src,
			  vs->scf, vs->n, vs->len, 0);
}

/* async_syndrome_val of @vs, without P (@no_p) or Q (@no_q) if asked. */
static enum sum_check_flags vstripe_val(struct vstripe *vs, bool no_p, bool no_q,
					struct page *spare)
{
	struct page *blocks[ASYNC_TX_MAX_DISKS];
	enum sum_check_flags result = garbage_result();
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct at_cb cb;

	memcpy(blocks, vs->blocks, sizeof(blocks));
	if (no_p)
		blocks[vs->disks - 2] = NULL;
	if (no_q)
		blocks[vs->disks - 1] = NULL;
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	tx = async_syndrome_val(blocks, vs->offs, vs->disks, vs->len, &result, spare, 0, &submit);
	/* Wider than one descriptor: may be checked in software. */
	if (at_offload && vs->disks > 64)
		assert_false(IS_ERR(tx));
	else
		at_check_tx(tx, want_offload(DMA_PQ_VAL, vs->offs_or, vs->len),
			    "async_syndrome_val");
	finish_with_cb(tx, &cb);
	return result;
}

static void test_syndrome_val(void **state)
{
	static const int widths[] = { 4, 5, 12, 64, 66, 100, 255 };
	u64 rng = at_rng(8);
	struct vstripe *vs = malloc(sizeof(*vs));
	struct page *spare_pg = at_alloc(BUF_ORDER);

	assert_non_null(vs);
	for (unsigned int w = 0; w < ARRAY_SIZE(widths); w++) {
		struct page *spare = (w & 1) ? spare_pg : NULL;
		int d = widths[w];
		u8 *pp, *qp, *dp;
		int victim;

		vstripe_make(vs, d, &rng);
		pp = at_ptr(vs->blocks[d - 2], vs->offs[d - 2]);
		qp = at_ptr(vs->blocks[d - 1], vs->offs[d - 1]);
		do
			victim = (int)at_rand_range(&rng, 0, d - 3);
		while (!vs->blocks[victim]);
		dp = at_ptr(vs->blocks[victim], vs->offs[victim]);

		vstripe_fix(vs);
		assert_int_equal(vstripe_val(vs, false, false, spare), 0);
		assert_int_equal(vstripe_val(vs, true, false, spare), 0);
		assert_int_equal(vstripe_val(vs, false, true, spare), 0);

		flip_bit(pp, vs->len, &rng);
		assert_int_equal(vstripe_val(vs, false, false, spare), SUM_CHECK_P_RESULT);
		assert_int_equal(vstripe_val(vs, true, false, spare), 0); /* P not checked */
		vstripe_fix(vs);

		flip_bit(qp, vs->len, &rng);
		assert_int_equal(vstripe_val(vs, false, false, spare), SUM_CHECK_Q_RESULT);
		assert_int_equal(vstripe_val(vs, false, true, spare), 0); /* Q not checked */
		vstripe_fix(vs);

		flip_bit(dp, vs->len, &rng);
		assert_int_equal(vstripe_val(vs, false, false, spare),
				 SUM_CHECK_P_RESULT | SUM_CHECK_Q_RESULT);
		assert_int_equal(vstripe_val(vs, true, false, spare), SUM_CHECK_Q_RESULT);
		assert_int_equal(vstripe_val(vs, false, true, spare), SUM_CHECK_P_RESULT);

		/* The check wrote nothing of the stripe. */
		for (int i = 0; i < d; i++)
			if (vs->blocks[i])
				assert_canaries(vs->blocks[i], vs->offs[i], vs->len);
		pages_put(&vs->ps);
	}
	__free_pages(spare_pg, BUF_ORDER);
	free(vs);
}

/* The stripe is left as it was by a good check (the scratch goes to @spare). */
static void test_syndrome_val_preserves(void **state)
{
	u64 rng = at_rng(9);
	struct vstripe *vs = malloc(sizeof(*vs));
	u8 *copy[12];

	assert_non_null(vs);
	vstripe_make(vs, 12, &rng);
	vstripe_fix(vs);
	for (int i = 0; i < 12; i++) {
		copy[i] = malloc(vs->len);
		assert_non_null(copy[i]);
		if (vs->blocks[i])
			memcpy(copy[i], at_ptr(vs->blocks[i], vs->offs[i]), vs->len);
	}
	assert_int_equal(vstripe_val(vs, false, false, NULL), 0);
	for (int i = 0; i < 12; i++) {
		if (vs->blocks[i])
			assert_memory_equal(copy[i], at_ptr(vs->blocks[i], vs->offs[i]), vs->len);
		free(copy[i]);
	}
	pages_put(&vs->ps);
	free(vs);
}

/* ------------------------------------------------ callbacks and waiting */

/* Without a dependency there is nothing to wait for: the callback runs in
 * the caller at once, channels or not (as in the kernel). */
static void test_trigger_callback_alone(void **state)
{
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct at_cb cb;

	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	tx = async_trigger_callback(&submit);
	at_check_tx(tx, false, "async_trigger_callback");
	finish_with_cb(tx, &cb);
}

/* Data a callback saw when it ran. */
struct seen {
	struct at_cb cb;
	const u8 *dst, *src; /* compared when the callback runs */
	size_t len;
	bool data_ok;
};

static void seen_fn(void *param)
{
	struct seen *s = param;

	s->data_ok = !memcmp(s->dst, s->src, s->len);
	at_cb_fn(&s->cb);
}

/* After a copy: the callback sees the copy done. */
static void test_trigger_callback_after(void **state)
{
	u64 rng = at_rng(10);
	struct pages ps = { .n = 0 };
	struct page *src = pages_get(&ps), *dst = pages_get(&ps);
	struct dma_async_tx_descriptor *tx, *trig;
	struct async_submit_ctl submit;
	struct dma_chan *chan;
	struct seen s;

	at_fill(page_address(src), BUF_BYTES, &rng);
	memset(&s, 0, sizeof(s));
	at_cb_init(&s.cb, 0, NULL, NULL);
	s.dst = page_address(dst);
	s.src = page_address(src);
	s.len = BUF_BYTES;
	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
	tx = async_memcpy(dst, src, 0, 0, BUF_BYTES, &submit);
	at_check_tx(tx, at_offload, "async_memcpy");
	chan = tx ? tx->chan : NULL; /* tx is not ours once it is a dependency */
	init_async_submit(&submit, 0, tx, seen_fn, &s, NULL);
	trig = async_trigger_callback(&submit);
	at_check_tx(trig, at_offload, "async_trigger_callback");
	if (trig) {
		/* On the copy's channel (it can interrupt). */
		assert_ptr_equal(trig->chan, chan);
		async_tx_issue_pending_all();
		assert_cb_wait(&s.cb);
		assert_int_equal(s.cb.ctx, DMAE_CTX_COMPLETION);
		at_finish(&trig);
	} else {
		finish_with_cb(trig, &s.cb);
	}
	assert_true(s.data_ok);
	pages_put(&ps);
}

static void test_quiesce_null_and_error(void **state)
{
	struct dma_async_tx_descriptor *tx = NULL;

	async_tx_quiesce(&tx);
	assert_null(tx);
	tx = ERR_PTR(-EIO);
	async_tx_quiesce(&tx);
	assert_null(tx);
	async_tx_issue_pending_all(); /* with or without channels */
}

/* dma_wait_for_async_tx issues what it waits for, chain and all. */
static void test_wait_for_async_tx(void **state)
{
	u64 rng = at_rng(11);
	struct pages ps = { .n = 0 };
	struct page *a = pages_get(&ps), *b = pages_get(&ps), *c = pages_get(&ps);
	struct page *x = pages_get(&ps);
	struct page *list[2] = { a, b };
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;

	at_fill(page_address(a), PAGE_SIZE, &rng);
	at_fill(page_address(b), PAGE_SIZE, &rng);
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
	tx = async_xor(x, list, 0, 2, PAGE_SIZE, &submit);
	at_check_tx(tx, at_offload, "async_xor");
	init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
	tx = async_memcpy(c, x, 0, 0, PAGE_SIZE, &submit);
	at_check_tx(tx, at_offload, "async_memcpy");
	if (tx) {
		assert_int_equal(dma_wait_for_async_tx(tx), DMA_COMPLETE);
		async_tx_ack(tx);
	}
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(at_ptr(c, 0)[i], at_ptr(a, 0)[i] ^ at_ptr(b, 0)[i]);
	pages_put(&ps);
}

/*
 * Every operation calls its callback once: in the caller before it returns
 * (synchronous), or in completion context (offloaded).
 */
static void test_callback_context(void **state)
{
	static const char *const op_names[] = {
		"async_memcpy",		   "async_xor",		       "async_xor_val",
		"async_gen_syndrome",	   "async_syndrome_val",      "async_raid6_2data_recov",
		"async_raid6_datap_recov", "async_trigger_callback",
	};
	u64 rng = at_rng(12);
	struct pages ps = { .n = 0 };
	struct page *blk[6], *list[4];
	enum sum_check_flags res;
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct at_cb cb;

	for (int i = 0; i < 6; i++) {
		blk[i] = pages_get(&ps);
		at_fill(page_address(blk[i]), PAGE_SIZE, &rng);
	}
	for (int op = 0; op < 8; op++) {
		at_cb_init(&cb, 0, NULL, NULL);
		init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
		switch (op) {
		case 0:
			tx = async_memcpy(blk[0], blk[1], 0, 0, PAGE_SIZE, &submit);
			break;
		case 1:
			list[0] = blk[0];
			list[1] = blk[1];
			list[2] = blk[2];
			submit.flags = ASYNC_TX_XOR_DROP_DST;
			tx = async_xor(blk[0], list, 0, 3, PAGE_SIZE, &submit);
			break;
		case 2:
			list[0] = blk[0];
			list[1] = blk[1];
			tx = async_xor_val(blk[0], list, 0, 2, PAGE_SIZE, &res, &submit);
			break;
		case 3:
			tx = async_gen_syndrome(blk, NULL, 6, PAGE_SIZE, &submit);
			break;
		case 4:
			tx = async_syndrome_val(blk, NULL, 6, PAGE_SIZE, &res, NULL, 0, &submit);
			break;
		case 5:
			tx = async_raid6_2data_recov(6, PAGE_SIZE, 0, 2, blk, NULL, &submit);
			break;
		case 6:
			tx = async_raid6_datap_recov(6, PAGE_SIZE, 1, blk, NULL, &submit);
			break;
		default:
			tx = async_trigger_callback(&submit);
			break;
		}
		/* async_trigger_callback without a dependency: always the caller. */
		at_check_tx(tx, at_offload && op != 7, op_names[op]);
		if (tx) {
			async_tx_issue_pending_all();
			assert_cb_wait(&cb);
			assert_int_equal(cb.ctx, DMAE_CTX_COMPLETION);
			assert_false(cb.on_test_thread);
			at_finish(&tx);
			assert_int_equal(at_cb_calls(&cb), 1);
		} else {
			finish_with_cb(tx, &cb);
		}
	}
	pages_put(&ps);
}

/* ------------------------------------------------------------ misuse */


static void test_misuse_arguments(void **state)
{
	struct pages ps = { .n = 0 };
	struct page *blk[ASYNC_TX_MAX_DISKS + 1], *list[3];
	enum sum_check_flags res;
	struct async_submit_ctl submit;
	struct at_cb cb;

	at_log_expect();
	for (int i = 0; i < 8; i++)
		blk[i] = pages_get(&ps);
	for (int i = 8; i <= ASYNC_TX_MAX_DISKS; i++)
		blk[i] = blk[i % 8];
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, NULL, at_cb_fn, &cb, NULL);
	at_log_reset();

	/* async_xor: two sources at least, a destination, the kernel's layout. */
	list[0] = blk[1];
	list[1] = blk[2];
	list[2] = blk[3];
	assert_einval(async_xor(blk[0], list, 0, 1, PAGE_SIZE, &submit), &cb, "xor of 1 source");
	assert_einval(async_xor(blk[0], list, 0, 0, PAGE_SIZE, &submit), &cb, "xor of 0 sources");
	assert_einval(async_xor(blk[0], list, 0, -2, PAGE_SIZE, &submit), &cb,
		      "xor of -2 sources");
	assert_einval(async_xor(NULL, list, 0, 2, PAGE_SIZE, &submit), &cb, "xor without dest");
	assert_einval(async_xor(blk[0], NULL, 0, 2, PAGE_SIZE, &submit), &cb,
		      "xor without sources");
	assert_einval(async_xor(blk[0], list, 0, 2, PAGE_SIZE, NULL), &cb, "xor without submit");
	submit.flags = ASYNC_TX_XOR_ZERO_DST;
	assert_einval(async_xor_val(blk[0], list, 0, 0, PAGE_SIZE, &res, &submit), &cb,
		      "xor_val of no source");
	assert_einval(async_xor_val(blk[0], list, 0, 2, PAGE_SIZE, NULL, &submit), &cb,
		      "xor_val without result");
	assert_einval(async_memcpy(NULL, blk[0], 0, 0, PAGE_SIZE, &submit), &cb,
		      "memcpy without dest");
	assert_einval(async_memcpy(blk[1], blk[0], 0, 0, PAGE_SIZE, NULL), &cb,
		      "memcpy without submit");

	/* async_gen_syndrome: 3 to 255 disks, P or Q. */
	submit.flags = 0;
	assert_einval(async_gen_syndrome(blk, NULL, ASYNC_TX_MAX_DISKS + 1, PAGE_SIZE, &submit),
		      &cb, "gen_syndrome of 256 disks");
	assert_einval(async_gen_syndrome(blk, NULL, 2, PAGE_SIZE, &submit), &cb,
		      "gen_syndrome of 2 disks");
	list[0] = blk[0];
	list[1] = NULL;
	list[2] = NULL;
	assert_einval(async_gen_syndrome(list, NULL, 3, PAGE_SIZE, &submit), &cb,
		      "gen_syndrome without P and Q");
	assert_einval(async_gen_syndrome(NULL, NULL, 4, PAGE_SIZE, &submit), &cb,
		      "gen_syndrome without blocks");
	assert_einval(async_gen_syndrome(blk, NULL, 4, PAGE_SIZE, NULL), &cb,
		      "gen_syndrome without submit");

	/* async_syndrome_val: 4 to 255 disks, a result. */
	assert_einval(async_syndrome_val(blk, NULL, 3, PAGE_SIZE, &res, NULL, 0, &submit), &cb,
		      "syndrome_val of 3 disks");
	assert_einval(async_syndrome_val(blk, NULL, ASYNC_TX_MAX_DISKS + 1, PAGE_SIZE, &res, NULL,
					 0, &submit),
		      &cb, "syndrome_val of 256 disks");
	assert_einval(async_syndrome_val(blk, NULL, 6, PAGE_SIZE, NULL, NULL, 0, &submit), &cb,
		      "syndrome_val without result");

	/* Recovery: two different data blocks; one data block and P. */
	assert_einval(async_raid6_2data_recov(6, PAGE_SIZE, 1, 1, blk, NULL, &submit), &cb,
		      "2data_recov of one block twice");
	assert_einval(async_raid6_2data_recov(6, PAGE_SIZE, 1, 4, blk, NULL, &submit), &cb,
		      "2data_recov of P");
	assert_einval(async_raid6_2data_recov(6, PAGE_SIZE, -1, 2, blk, NULL, &submit), &cb,
		      "2data_recov of block -1");
	assert_einval(async_raid6_2data_recov(ASYNC_TX_MAX_DISKS + 1, PAGE_SIZE, 0, 1, blk, NULL,
					      &submit),
		      &cb, "2data_recov of 256 disks");
	assert_einval(async_raid6_2data_recov(6, PAGE_SIZE, 0, 1, NULL, NULL, &submit), &cb,
		      "2data_recov without blocks");
	assert_einval(async_raid6_datap_recov(6, PAGE_SIZE, 4, blk, NULL, &submit), &cb,
		      "datap_recov of P");
	assert_einval(async_raid6_datap_recov(6, PAGE_SIZE, 7, blk, NULL, &submit), &cb,
		      "datap_recov of block 7 of 6");
	assert_einval(async_raid6_datap_recov(6, PAGE_SIZE, 0, blk, NULL, NULL), &cb,
		      "datap_recov without submit");
	assert_einval(async_trigger_callback(NULL), &cb, "trigger_callback without submit");

	/* Still usable afterwards. */
	at_log_reset();
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	{
		struct dma_async_tx_descriptor *tx = async_memcpy(blk[1], blk[0], 0, 0, PAGE_SIZE,
								  &submit);

		at_check_tx(tx, at_offload, "async_memcpy after misuse");
		finish_with_cb(tx, &cb);
	}
	assert_int_equal(at_log_lines(), 0);
	pages_put(&ps);
}

/* "Without ASYNC_TX_XOR_ZERO_DST the destination must be src_list[0] and
 * ASYNC_TX_XOR_DROP_DST set" (async_tx.h): the library can see both. */
static void test_misuse_xor_layout(void **state)
{
	struct pages ps = { .n = 0 };
	struct page *blk[4], *list[3];
	struct async_submit_ctl submit;
	struct at_cb cb;

	at_log_expect();
	for (int i = 0; i < 4; i++)
		blk[i] = pages_get(&ps);
	at_cb_init(&cb, 0, NULL, NULL);
	list[0] = blk[1];
	list[1] = blk[2];
	list[2] = blk[3];
	at_log_reset();
	init_async_submit(&submit, ASYNC_TX_XOR_DROP_DST, NULL, at_cb_fn, &cb, NULL);
	assert_einval(async_xor(blk[0], list, 0, 3, PAGE_SIZE, &submit), &cb,
		      "DROP_DST but dest is not src_list[0]");
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	assert_einval(async_xor(blk[0], list, 0, 3, PAGE_SIZE, &submit), &cb,
		      "neither ZERO_DST nor DROP_DST");
	list[0] = blk[0];
	assert_einval(async_xor(blk[0], list, 0, 3, PAGE_SIZE, &submit), &cb,
		      "dest is src_list[0] but no DROP_DST");
	assert_true(at_all(page_address(blk[0]), BUF_BYTES, CANARY));
	pages_put(&ps);
}

/* An error given as depend_tx comes back; nothing runs, nothing is written. */
static void test_misuse_error_dependency(void **state)
{
	struct dma_async_tx_descriptor *err = ERR_PTR(-EIO), *tx;
	struct pages ps = { .n = 0 };
	struct page *blk[6], *list[2];
	enum sum_check_flags res = garbage_result();
	struct async_submit_ctl submit;
	struct at_cb cb;

	for (int i = 0; i < 6; i++)
		blk[i] = pages_get(&ps);
	at_cb_init(&cb, 0, NULL, NULL);
	list[0] = blk[1];
	list[1] = blk[2];
	for (int op = 0; op < 8; op++) {
		init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, err, at_cb_fn, &cb, NULL);
		switch (op) {
		case 0:
			tx = async_memcpy(blk[0], blk[1], 0, 0, PAGE_SIZE, &submit);
			break;
		case 1:
			tx = async_xor(blk[0], list, 0, 2, PAGE_SIZE, &submit);
			break;
		case 2:
			tx = async_xor_val(blk[0], list, 0, 2, PAGE_SIZE, &res, &submit);
			break;
		case 3:
			submit.flags = 0;
			tx = async_gen_syndrome(blk, NULL, 6, PAGE_SIZE, &submit);
			break;
		case 4:
			submit.flags = 0;
			tx = async_syndrome_val(blk, NULL, 6, PAGE_SIZE, &res, NULL, 0, &submit);
			break;
		case 5:
			submit.flags = 0;
			tx = async_raid6_2data_recov(6, PAGE_SIZE, 0, 1, blk, NULL, &submit);
			break;
		case 6:
			submit.flags = 0;
			tx = async_raid6_datap_recov(6, PAGE_SIZE, 0, blk, NULL, &submit);
			break;
		default:
			submit.flags = 0;
			tx = async_trigger_callback(&submit);
			break;
		}
		assert_ptr_equal(tx, err);
	}
	assert_int_equal(at_cb_calls(&cb), 0);
	assert_int_equal(res, garbage_result());
	for (int i = 0; i < 6; i++)
		assert_canaries(blk[i], 0, 0); /* still all canary */

	/* Down a chain: a bad call's error travels through the next ones. */
	at_log_expect();
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, NULL, NULL, NULL, NULL);
	tx = async_xor(blk[0], list, 0, 1, PAGE_SIZE, &submit);
	assert_true(IS_ERR(tx));
	init_async_submit(&submit, 0, tx, at_cb_fn, &cb, NULL);
	tx = async_memcpy(blk[3], blk[0], 0, 0, PAGE_SIZE, &submit);
	assert_int_equal(PTR_ERR(tx), -EINVAL);
	init_async_submit(&submit, 0, tx, at_cb_fn, &cb, NULL);
	tx = async_trigger_callback(&submit);
	assert_int_equal(PTR_ERR(tx), -EINVAL);
	async_tx_quiesce(&tx);
	assert_null(tx);
	assert_int_equal(at_cb_calls(&cb), 0);
	assert_true(at_all(page_address(blk[3]), BUF_BYTES, CANARY));
	pages_put(&ps);
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_setup_teardown(f, at_setup, at_teardown)
	const struct CMUnitTest tests[] = {
		T(test_memcpy_random),
		T(test_xor_random),
		T(test_xor_many_sources),
		T(test_xor_one_present),
		T(test_xor_chain),
		T(test_gen_syndrome_random),
		T(test_gen_syndrome_p_only_q_only),
		T(test_gen_syndrome_xor_dst),
		T(test_gen_syndrome_all_absent),
		T(test_xor_val),
		T(test_xor_val_dest_not_listed),
		T(test_syndrome_val),
		T(test_syndrome_val_preserves),
		T(test_trigger_callback_alone),
		T(test_trigger_callback_after),
		T(test_quiesce_null_and_error),
		T(test_wait_for_async_tx),
		T(test_callback_context),
		T(test_misuse_arguments),
		T(test_misuse_xor_layout),
		T(test_misuse_error_dependency),
	};
#undef T
	int failed;

	at_init("test_async_ops");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	failed = cmocka_run_group_tests_name("async_tx operations", tests, NULL, NULL);
	async_tx_exit();
	return failed ? 1 : 0;
}
