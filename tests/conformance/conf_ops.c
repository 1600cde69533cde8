// SPDX-License-Identifier: MIT
/*
 * conf_ops.c - the operations besides plain copies: memset, memset_sg,
 * memcpy_sg, interleaved 2-D copies (against a reference loop), and
 * DMA_PREP_REPEAT / DMA_PREP_LOAD_EOT.
 */
#include "conformance.h"

#define FLAGS (DMA_PREP_INTERRUPT | DMA_CTRL_ACK)

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}


/* ------------------------------------------------------------ memset */

void t_memset(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	size_t a = conf_fill_align(chan);
	const u32 n = 24;
	size_t slot = align_up(65536 + 64 + a, a) + 64;
	/* Mapped (DMA_FROM_DEVICE) once filled, unmapped before it is checked. */
	struct gbuf *dst = conf_gbuf_mem(cc, chan, CONF_MEM_FROM_DEV, slot * n, 0);
	struct conf_track *t = conf_track_new(cc, chan, n);
	u8 *exp;

	conf_fill_old(cc, dst, conf_rand(&cc->rng));
	exp = conf_expect(cc, dst);
	conf_dev(dst);
	t->check_status = true;
	for (u32 i = 0; i < n; i++) {
		size_t len = i == 0 ? 1 : i == 1 ? 4096 : i == 2 ? 65536 :
			     (size_t)conf_rand_range(&cc->rng, 1, 65536);
		size_t off = (size_t)i * slot + (size_t)conf_rand_range(&cc->rng, 0, 63) / a * a;
		/* The value is an int; only its low byte is the fill (bit 7 clear: never old). */
		int value = (int)(conf_rand_range(&cc->rng, 0, 0x7f) | ((i & 3) << 8));
		struct dma_async_tx_descriptor *tx;

		len = align_up(len, a);
		memset(exp + off, (u8)value, len);
		tx = CONF_PREP(dmaengine_prep_dma_memset(chan, conf_bus(dst, off), value, len,
							FLAGS));
		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, "memset");
	conf_assert_image(dst, exp, "memset");
}

/* ------------------------------------------------------------ scatterlists */

/* A cache line: what two DMA_FROM_DEVICE mappings may not share. */
#define CONF_CACHELINE 64u

/*
 * Put @n entries of random lengths into @buf (host memory) at increasing
 * offsets from *@pos, often back to back (dma_map_sg may merge those);
 * lengths and offsets are multiples of @a. The CPU side only (sg_set_buf):
 * conf_map_sg() gives the bus side. @written: the device writes the list, so
 * each entry starts (anywhere) in the cache line after the one where the
 * previous entry ends (DMA-API debug reports mappings the device writes that
 * share a line).
 */
static void sg_layout(struct conf_case *cc, struct scatterlist *sg, u32 n, u8 *buf, size_t *pos,
		      size_t minlen, size_t maxlen, size_t a, bool written)
{
	sg_init_table(sg, n);
	for (u32 i = 0; i < n; i++) {
		size_t len = align_up((size_t)conf_rand_range(&cc->rng, minlen, maxlen), a);
		size_t gap = conf_rand(&cc->rng) % 4 ? (size_t)conf_rand_range(&cc->rng, 1, 100) : 0;

		if (written && a < CONF_CACHELINE)
			*pos = align_up((size_t)(buf + *pos), CONF_CACHELINE) - (size_t)buf +
			       (size_t)conf_rand_range(&cc->rng, 0, CONF_CACHELINE - 1) / a * a;
		else
			*pos = align_up(*pos + gap, a);
		sg_set_buf(&sg[i], buf + *pos, (unsigned int)len);
		*pos += len;
	}
}

/* Offset of entry @sg in @base (CPU side). */
static size_t sg_off(struct scatterlist *sg, const u8 *base)
{
	return (size_t)((const u8 *)sg_virt(sg) - base);
}

void t_memset_sg(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	size_t a = conf_fill_align(chan);
	static const u32 nents[] = { 1, 5, 2, 40, 7 };
	const u32 nl = sizeof(nents) / sizeof(nents[0]);
	/* Host memory, each list mapped with dma_map_sg(DMA_FROM_DEVICE). */
	struct gbuf *dst = conf_gbuf_mem(cc, chan, CONF_MEM_HOST, 2u << 20, 0);
	struct scatterlist *sgs[sizeof(nents) / sizeof(nents[0])];
	struct conf_track *t = conf_track_new(cc, chan, nl);
	size_t pos = 0;
	u32 given = 0, mapped = 0;
	u8 *exp;

	conf_fill_old(cc, dst, conf_rand(&cc->rng));
	exp = conf_expect(cc, dst);
	t->check_status = true;
	for (u32 l = 0; l < nl; l++) {
		struct scatterlist *sg = sgs[l] = conf_zalloc(cc, sizeof(*sg) * nents[l]);
		u8 value = (u8)conf_rand_range(&cc->rng, 0, 0x7f);
		struct dma_async_tx_descriptor *tx;
		int n;

		sg_layout(cc, sg, nents[l], dst->p, &pos, 1, 20000, a, true);
		assert_true(pos < dst->len);
		for (u32 i = 0; i < nents[l]; i++)
			memset(exp + sg_off(&sg[i], dst->p), value, sg[i].length);
		n = conf_map_sg(cc, chan, sg, (int)nents[l], DMA_FROM_DEVICE);
		given += nents[l];
		mapped += (u32)n;
		tx = CONF_PREP(dmaengine_prep_dma_memset_sg(chan, sg, (unsigned int)n, value, FLAGS));
		conf_track_set(t, tx, l);
		t->cookie[l] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, "memset_sg");
	printf("    %s: dma_map_sg: %u entries mapped as %u\n", dma_chan_name(chan), given, mapped);
	for (u32 l = 0; l < nl; l++)
		conf_unmap_sg(cc, sgs[l]);
	conf_assert_image(dst, exp, "memset_sg");
}

/* Copy the byte stream of @src into the stream of @dst: min(total) bytes
 * (the CPU side of the lists: before they are mapped). */
static size_t sg_reference(u8 *exp, const u8 *dst_base, struct scatterlist *dsg, u32 dn,
			   struct scatterlist *ssg, u32 sn)
{
	size_t dtot = 0, stot = 0, done = 0;
	u32 di = 0, si = 0;
	size_t doff = 0, soff = 0;

	for (u32 i = 0; i < dn; i++)
		dtot += dsg[i].length;
	for (u32 i = 0; i < sn; i++)
		stot += ssg[i].length;
	while (di < dn && si < sn) {
		size_t dl = dsg[di].length - doff, sl = ssg[si].length - soff;
		size_t n = dl < sl ? dl : sl;

		memcpy(exp + sg_off(&dsg[di], dst_base) + doff, (const u8 *)sg_virt(&ssg[si]) + soff,
		       n);
		done += n;
		doff += n;
		soff += n;
		if (doff == dsg[di].length) {
			di++;
			doff = 0;
		}
		if (soff == ssg[si].length) {
			si++;
			soff = 0;
		}
	}
	assert_int_equal(done, dtot < stot ? dtot : stot);
	return done;
}

void t_memcpy_sg(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	size_t a = conf_copy_align(chan);
	/* {dst entries, src entries}: different segmentations, either list shorter. */
	static const u32 shape[][2] = { { 3, 5 }, { 5, 3 }, { 1, 1 }, { 30, 17 }, { 2, 40 } };
	const u32 nl = sizeof(shape) / sizeof(shape[0]);
	/* Host memory, each list mapped with dma_map_sg() (TO_DEVICE / FROM_DEVICE). */
	struct gbuf *src = conf_gbuf_mem(cc, chan, CONF_MEM_HOST, 4u << 20, 3);
	struct gbuf *dst = conf_gbuf_mem(cc, chan, CONF_MEM_HOST, 4u << 20, 0);
	struct scatterlist *dsgs[sizeof(shape) / sizeof(shape[0])];
	struct scatterlist *ssgs[sizeof(shape) / sizeof(shape[0])];
	struct conf_track *t = conf_track_new(cc, chan, nl);
	size_t dpos = 0, spos = 0;
	u32 given = 0, mapped = 0;
	u8 *exp;

	conf_fill_src(src, conf_rand(&cc->rng));
	conf_fill_old(cc, dst, conf_rand(&cc->rng));
	exp = conf_expect(cc, dst);
	t->check_status = true;
	for (u32 l = 0; l < nl; l++) {
		struct scatterlist *dsg = dsgs[l] = conf_zalloc(cc, sizeof(*dsg) * shape[l][0]);
		struct scatterlist *ssg = ssgs[l] = conf_zalloc(cc, sizeof(*ssg) * shape[l][1]);
		struct dma_async_tx_descriptor *tx;
		size_t bytes;
		int dn, sn;

		sg_layout(cc, dsg, shape[l][0], dst->p, &dpos, 1, 30000, a, true);
		sg_layout(cc, ssg, shape[l][1], src->p, &spos, 1, 30000, a, false);
		assert_true(dpos < dst->len && spos < src->len);
		bytes = sg_reference(exp, dst->p, dsg, shape[l][0], ssg, shape[l][1]);
		assert_true(bytes > 0);
		/* The destination's bytes beyond the shorter stream are not written:
		 * a bounced FROM_DEVICE mapping keeps them (swiotlb fills at map). */
		dn = conf_map_sg(cc, chan, dsg, (int)shape[l][0], DMA_FROM_DEVICE);
		sn = conf_map_sg(cc, chan, ssg, (int)shape[l][1], DMA_TO_DEVICE);
		given += shape[l][0] + shape[l][1];
		mapped += (u32)(dn + sn);
		tx = CONF_PREP(dmaengine_prep_dma_memcpy_sg(chan, dsg, (unsigned int)dn, ssg,
							    (unsigned int)sn, FLAGS));
		conf_track_set(t, tx, l);
		t->cookie[l] = conf_submit(tx);
	}
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, "memcpy_sg");
	printf("    %s: dma_map_sg: %u entries mapped as %u\n", dma_chan_name(chan), given, mapped);
	for (u32 l = 0; l < nl; l++) {
		conf_unmap_sg(cc, dsgs[l]);
		conf_unmap_sg(cc, ssgs[l]);
	}
	conf_assert_image(dst, exp, "memcpy_sg");
}

/* ------------------------------------------------------------ interleaved */

/* The gap a side uses after a chunk (kernel's dmaengine_get_{src,dst}_icg). */
static size_t ref_gap(bool inc, bool sgl, size_t icg, size_t dir_icg)
{
	if (!inc)
		return 0;
	if (dir_icg)
		return dir_icg;
	return sgl ? icg : 0;
}

/* Bytes each side spans. */
static void xt_extent(const struct dma_interleaved_template *xt, size_t *sext, size_t *dext)
{
	size_t s = 0, d = 0;

	for (size_t f = 0; f < xt->numf; f++)
		for (size_t c = 0; c < xt->frame_size; c++) {
			const struct data_chunk *ch = &xt->sgl[c];

			s += ch->size + ref_gap(xt->src_inc, xt->src_sgl, ch->icg, ch->src_icg);
			d += ch->size + ref_gap(xt->dst_inc, xt->dst_sgl, ch->icg, ch->dst_icg);
		}
	*sext = s;
	*dext = d;
}

/* The reference loop: apply @xt, starting at src_base and exp, to exp. */
static void xt_reference(const struct dma_interleaved_template *xt, const u8 *src_base, u8 *exp)
{
	size_t s = 0, d = 0;

	for (size_t f = 0; f < xt->numf; f++)
		for (size_t c = 0; c < xt->frame_size; c++) {
			const struct data_chunk *ch = &xt->sgl[c];

			memcpy(exp + d, src_base + s, ch->size);
			s += ch->size + ref_gap(xt->src_inc, xt->src_sgl, ch->icg, ch->src_icg);
			d += ch->size + ref_gap(xt->dst_inc, xt->dst_sgl, ch->icg, ch->dst_icg);
		}
}

static struct dma_interleaved_template *xt_new(struct conf_case *cc, size_t numf,
					       size_t frame_size)
{
	struct dma_interleaved_template *xt =
		conf_zalloc(cc, sizeof(*xt) + frame_size * sizeof(struct data_chunk));

	xt->dir = DMA_MEM_TO_MEM;
	xt->src_inc = true;
	xt->dst_inc = true;
	xt->numf = numf;
	xt->frame_size = frame_size;
	return xt;
}

/* One interleaved transfer checked against the reference loop. */
static void xt_check(struct conf_case *cc, struct dma_interleaved_template *xt, const char *what)
{
	struct dma_chan *chan = cc->chan;
	struct conf_track *t = conf_track_new(cc, chan, 1);
	size_t sext, dext;
	struct gbuf *src, *dst;
	struct dma_async_tx_descriptor *tx;
	u8 *exp;

	xt_extent(xt, &sext, &dext);
	/* Streaming: the gaps of dst keep their old bytes through the hand-overs. */
	src = conf_gbuf_mem(cc, chan, CONF_MEM_TO_DEV, sext, (size_t)conf_rand_range(&cc->rng, 0, 63));
	dst = conf_gbuf_mem(cc, chan, CONF_MEM_BIDI, dext, (size_t)conf_rand_range(&cc->rng, 0, 63));
	conf_fill_src(src, conf_rand(&cc->rng));
	conf_fill_old(cc, dst, conf_rand(&cc->rng));
	exp = conf_expect(cc, dst);
	xt_reference(xt, src->p, exp);
	conf_dev(src);
	conf_dev(dst);
	xt->src_start = conf_bus(src, 0);
	xt->dst_start = conf_bus(dst, 0);
	tx = dmaengine_prep_interleaved_dma(chan, xt, FLAGS);
	if (!tx)
		fail_msg("%s: dmaengine_prep_interleaved_dma returned NULL", what);
	conf_track_set(t, tx, 0);
	t->cookie[0] = conf_submit(tx);
	t->check_status = true;
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, what);
	conf_assert_image(dst, exp, what);
}

void t_interleave(struct conf_case *cc)
{
	static const struct {
		bool src_sgl, dst_sgl;
		const char *what;
	} modes[] = {
		{ true, false, "interleave src_sgl" },
		{ false, true, "interleave dst_sgl" },
		{ true, true, "interleave src_sgl+dst_sgl" },
		{ false, false, "interleave no sgl (per-side icg only)" },
	};

	/* Fixed frames: 3 chunks with icg, per-side icg overriding it, and a 1-byte chunk. */
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct dma_interleaved_template *xt = xt_new(cc, 7, 3);

		xt->src_sgl = modes[m].src_sgl;
		xt->dst_sgl = modes[m].dst_sgl;
		xt->sgl[0] = (struct data_chunk){ .size = 100, .icg = 10, .dst_icg = 7, .src_icg = 0 };
		xt->sgl[1] = (struct data_chunk){ .size = 1, .icg = 0, .dst_icg = 0, .src_icg = 5 };
		xt->sgl[2] = (struct data_chunk){ .size = 4000, .icg = 33, .dst_icg = 0, .src_icg = 0 };
		xt_check(cc, xt, modes[m].what);
	}
	/* Random templates, including frames larger than a chunk of the engine. */
	for (int r = 0; r < 6; r++) {
		size_t fs = (size_t)conf_rand_range(&cc->rng, 1, r == 5 ? 40 : 12);
		struct dma_interleaved_template *xt =
			xt_new(cc, (size_t)conf_rand_range(&cc->rng, 1, 20), fs);
		char what[64];

		xt->src_sgl = conf_rand(&cc->rng) & 1;
		xt->dst_sgl = conf_rand(&cc->rng) & 1;
		for (size_t c = 0; c < fs; c++) {
			u64 z = conf_rand(&cc->rng);

			xt->sgl[c].size = (size_t)conf_rand_range(&cc->rng, 1, r == 4 ? 70000 : 3000);
			xt->sgl[c].icg = z & 1 ? (size_t)conf_rand_range(&cc->rng, 1, 200) : 0;
			xt->sgl[c].src_icg = z & 2 ? (size_t)conf_rand_range(&cc->rng, 1, 200) : 0;
			xt->sgl[c].dst_icg = z & 4 ? (size_t)conf_rand_range(&cc->rng, 1, 200) : 0;
		}
		snprintf(what, sizeof(what), "interleave random #%d (%zux%zu, sgl %d/%d)", r,
			 xt->numf, fs, xt->src_sgl, xt->dst_sgl);
		xt_check(cc, xt, what);
	}
}

/* ------------------------------------------------------------ repeat, EOT */

/* A contiguous interleaved copy of @frames x @flen bytes from @src to @dst. */
static struct dma_interleaved_template *xt_flat(struct conf_case *cc, struct gbuf *src,
						struct gbuf *dst, size_t frames, size_t flen)
{
	struct dma_interleaved_template *xt = xt_new(cc, frames, 1);

	conf_dev(src);
	conf_dev(dst);
	xt->src_start = conf_bus(src, 0);
	xt->dst_start = conf_bus(dst, 0);
	xt->sgl[0].size = flen;
	return xt;
}

/* Zero @d while the engine repeats into it; it must be refilled from @want. */
static void expect_refill(struct gbuf *d, const u8 *want, const char *what)
{
	for (int round = 0; round < 3; round++) {
		conf_poke_fill(d->p, 0, d->len);
		if (!CONF_WAIT_UNTIL(conf_peek_eq(d->p, want, d->len), CONF_TIMEOUT_MS))
			fail_msg("%s: zeroed destination not rewritten (round %d): not repeating", what,
				 round);
	}
}

/* Start a repeating transfer src -> dst; returns its tracker (index 0). */
static struct conf_track *start_repeat(struct conf_case *cc, struct gbuf *src, struct gbuf *dst,
				       dma_cookie_t *cookie)
{
	struct dma_chan *chan = cc->chan;
	struct conf_track *t = conf_track_new(cc, chan, 2);
	struct dma_async_tx_descriptor *tx;

	t->check_status = true;
	if (!conf_has(chan, DMA_INTERLEAVE))
		fail_msg("DMA_REPEAT advertised without DMA_INTERLEAVE (repeat is for interleaved transfers)");
	tx = dmaengine_prep_interleaved_dma(chan, xt_flat(cc, src, dst, 4, src->len / 4),
					    DMA_PREP_REPEAT | FLAGS);
	if (!tx)
		fail_msg("prep_interleaved_dma(DMA_PREP_REPEAT) returned NULL on a DMA_REPEAT device");
	conf_track_set(t, tx, 0);
	*cookie = t->cookie[0] = conf_submit(tx);
	dma_async_issue_pending(chan);
	if (!CONF_WAIT_UNTIL(conf_peek_eq(dst->p, src->p, dst->len), CONF_TIMEOUT_MS))
		fail_msg("the repeating transfer never filled its destination");
	return t;
}

void t_repeat(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct gbuf *a = conf_gbuf(cc, 16384, 0), *d = conf_gbuf(cc, 16384, 0);
	struct gbuf *b = conf_gbuf(cc, 8192, 5), *f = conf_gbuf(cc, 8192, 9);
	struct conf_track *t;
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t rc, mc;
	u8 *fexp;

	conf_fill_src(a, conf_rand(&cc->rng));
	conf_fill_src(b, conf_rand(&cc->rng));
	conf_fill_old(cc, d, conf_rand(&cc->rng));
	conf_fill_old(cc, f, conf_rand(&cc->rng));
	fexp = conf_expect(cc, f);

	t = start_repeat(cc, a, d, &rc);
	expect_refill(d, a->p, "repeat");
	assert_int_equal(conf_track_count(t), 0);
	if (conf_in_order(chan))
		assert_int_equal(dmaengine_tx_status(chan, rc, NULL), DMA_IN_PROGRESS);

	/* A transfer without DMA_PREP_LOAD_EOT stays queued behind it. */
	conf_dev(b);
	conf_dev(f);
	if (conf_has(chan, DMA_MEMCPY))
		tx = dmaengine_prep_dma_memcpy(chan, conf_bus(f, 0), conf_bus(b, 0), f->len, FLAGS);
	else
		tx = dmaengine_prep_interleaved_dma(chan, xt_flat(cc, b, f, 1, f->len), FLAGS);
	assert_non_null(tx);
	conf_track_set(t, tx, 1);
	mc = t->cookie[1] = conf_submit(tx);
	dma_async_issue_pending(chan);
	conf_sleep_ms(CONF_QUIET_MS * 2);
	assert_int_equal(conf_track_count(t), 0);
	if (!conf_peek_eq(f->p, f->old, f->len))
		fail_msg("a non-EOT transfer queued behind a repeating one ran (destination written)");
	if (conf_in_order(chan))
		assert_int_equal(dmaengine_tx_status(chan, mc, NULL), DMA_IN_PROGRESS);
	expect_refill(d, a->p, "repeat with a transfer queued behind");

	/* Terminate: no callback, the queued transfer never ran. */
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	conf_track_close(t);
	conf_sleep_ms(CONF_QUIET_MS);
	assert_int_equal(conf_track_count(t), 0);
	conf_assert_image(f, fexp, "the transfer queued behind a repeating one");
	conf_assert_image(d, a->p, "the repeating transfer's destination");

	/* The channel works again. */
	{
		struct gbuf *e = conf_gbuf(cc, 4096, 1);
		struct conf_track *t2 = conf_track_new(cc, chan, 1);

		conf_fill_old(cc, e, 1);
		tx = CONF_PREP(dmaengine_prep_interleaved_dma(chan, xt_flat(cc, b, e, 2, 2048),
							      FLAGS));
		conf_track_set(t2, tx, 0);
		t2->cookie[0] = conf_submit(tx);
		if (!conf_cookie_after(t2->cookie[0], mc))
			fail_msg("cookie %d after terminate is not after %d", t2->cookie[0], mc);
		dma_async_issue_pending(chan);
		conf_track_wait_all(t2, "transfer after terminating a repeat");
		conf_assert_image(e, b->p, "transfer after terminating a repeat");
	}
}

void t_load_eot(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct gbuf *a = conf_gbuf(cc, 16384, 0), *d = conf_gbuf(cc, 16384, 0);
	struct gbuf *b = conf_gbuf(cc, 8192, 5), *e = conf_gbuf(cc, 8192, 9);
	struct conf_track *t;
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t rc = 0;

	conf_fill_src(a, conf_rand(&cc->rng));
	conf_fill_src(b, conf_rand(&cc->rng));
	conf_fill_old(cc, d, conf_rand(&cc->rng));
	conf_fill_old(cc, e, conf_rand(&cc->rng));

	if (!conf_has(chan, DMA_REPEAT)) {
		/* Nothing to replace: an EOT transfer is an ordinary one. */
		t = conf_track_new(cc, chan, 1);
		tx = dmaengine_prep_interleaved_dma(chan, xt_flat(cc, b, e, 2, 4096),
						    DMA_PREP_LOAD_EOT | FLAGS);
		assert_non_null(tx);
		conf_track_set(t, tx, 0);
		t->cookie[0] = conf_submit(tx);
		dma_async_issue_pending(chan);
		conf_track_wait_all(t, "EOT transfer without a repeating one");
		conf_assert_image(e, b->p, "EOT transfer");
		return;
	}
	t = start_repeat(cc, a, d, &rc);
	expect_refill(d, a->p, "repeat before EOT");
	assert_int_equal(conf_track_count(t), 0);

	tx = dmaengine_prep_interleaved_dma(chan, xt_flat(cc, b, e, 2, 4096),
					    DMA_PREP_LOAD_EOT | FLAGS);
	if (!tx)
		fail_msg("prep_interleaved_dma(DMA_PREP_LOAD_EOT) returned NULL on a DMA_LOAD_EOT device");
	conf_track_set(t, tx, 1);
	t->cookie[1] = conf_submit(tx);
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, "repeat replaced by EOT");
	assert_int_equal(t->order[0], 0);
	assert_int_equal(t->order[1], 1);
	conf_assert_image(e, b->p, "EOT transfer");
	conf_assert_image(d, a->p, "the replaced repeating transfer");

	/* The repeat stopped: its destination is not rewritten any more. */
	memset(d->p, 0, d->len);
	conf_sleep_ms(CONF_QUIET_MS);
	if (conf_diff_byte(d->p, 0, d->len) >= 0)
		fail_msg("the repeating transfer still writes after it was replaced");
	assert_int_equal(conf_track_count(t), 2);
	assert_int_equal(conf_track_fired(t, 0), 1);
	assert_int_equal(dmaengine_tx_status(chan, rc, NULL), DMA_COMPLETE);
	assert_int_equal(dmaengine_tx_status(chan, t->cookie[1], NULL), DMA_COMPLETE);
}
