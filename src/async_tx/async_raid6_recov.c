// SPDX-License-Identifier: MIT
/*
 * async_raid6_recov.c - rebuilding two lost blocks of a RAID6 stripe from
 * the rest, as chains of async_tx steps (each offloaded or run in the
 * caller).
 *
 * With data blocks a < b lost, P' and Q' (the syndrome without them) give
 *   Pd = P + P' = Da + Db,   Qd = Q + Q' = g^a Da + g^b Db
 * so  Db = exi[b - a] Pd + inv(g^a + g^b) Qd  and  Da = Pd + Db,
 * where exi[x] = 1 / (g^x + 1). With data block a and P lost, Qd = g^a Da
 * gives Da = inv(g^a) Qd, then P = P' + Da. The lost blocks' own pages hold
 * the intermediate results. Small stripes avoid syndromes of zero or one
 * source, which some engines do not take: a stripe whose only data are the
 * two lost blocks uses P and Q directly, and one with a single good block
 * derives P' and Q' from it by a copy and a multiplication.
 */
#include "async_tx/internal.h"
#include "raid/raid.h"

struct recov {
	struct async_submit_ctl *submit; /* the caller's: flags and callback of the last step */
	size_t len;
	struct dma_async_tx_descriptor *tx; /* the chain so far */
};

/* The submit of the next step: an intermediate one, or the caller's last. */
static struct async_submit_ctl *next_step(struct recov *r, struct async_submit_ctl *s, bool last)
{
	if (last) {
		*s = *r->submit;
		s->depend_tx = r->tx;
	} else {
		init_async_submit(s, ASYNC_TX_FENCE, r->tx, NULL, NULL, r->submit->scribble);
	}
	return s;
}

/* @dest ^= @src (dest is the first source). */
static void xor_into(struct recov *r, void *dest, void *src, bool last)
{
	struct async_submit_ctl s;
	struct page *pages[2] = { virt_to_page(dest), virt_to_page(src) };
	unsigned int offs[2] = { (unsigned int)offset_in_page(dest),
				 (unsigned int)offset_in_page(src) };

	next_step(r, &s, last);
	s.flags = (enum async_tx_flags)(s.flags | ASYNC_TX_XOR_DROP_DST);
	r->tx = async_xor_offs(pages[0], offs[0], pages, offs, 2, r->len, &s);
}

static void copy(struct recov *r, void *dest, void *src)
{
	struct async_submit_ctl s;

	r->tx = async_memcpy(virt_to_page(dest), virt_to_page(src),
			     (unsigned int)offset_in_page(dest), (unsigned int)offset_in_page(src),
			     r->len, next_step(r, &s, false));
}

static void mult(struct recov *r, void *dest, void *src, u8 coef, bool last)
{
	struct async_submit_ctl s;

	r->tx = dmae__async_mult(dest, src, coef, r->len, next_step(r, &s, last));
}

static void *blk(struct page **blocks, unsigned int *offs, int i)
{
	return dmae__async_ptr(blocks[i], offs ? offs[i] : 0);
}

/*
 * P' and Q' of the stripe without the lost blocks, into @dp and @dq: by a
 * syndrome over the rest, or from the single good block @good (>= 0).
 */
static void partial_syndrome(struct recov *r, struct page **blocks, unsigned int *offs,
			     int disks, int lost_a, int lost_b, int good, void *dp, void *dq)
{
	struct page *b[ASYNC_TX_MAX_DISKS];
	unsigned int o[ASYNC_TX_MAX_DISKS];
	struct async_submit_ctl s;

	if (good >= 0) {
		void *g = blk(blocks, offs, good);

		copy(r, dp, g);
		mult(r, dq, g, dmae__gf_exp[good], false);
		return;
	}
	for (int i = 0; i < disks; i++) {
		b[i] = blocks[i];
		o[i] = offs ? offs[i] : 0;
	}
	b[lost_a] = NULL;
	if (lost_b >= 0)
		b[lost_b] = NULL;
	b[disks - 2] = virt_to_page(dp);
	o[disks - 2] = (unsigned int)offset_in_page(dp);
	b[disks - 1] = virt_to_page(dq);
	o[disks - 1] = (unsigned int)offset_in_page(dq);
	r->tx = async_gen_syndrome(b, o, disks, r->len, next_step(r, &s, false));
}

/* The common argument checks; NULL when fine. */
static struct dma_async_tx_descriptor *recov_check(const char *func, int disks, size_t bytes,
						   int faila, int failb, struct page **blocks)
{
	if (!blocks || !bytes)
		return async_inval(func, "%s", !bytes ? "zero length" : "NULL block list");
	if (disks < 4 || disks > ASYNC_TX_MAX_DISKS)
		return async_inval(func, "%d disks: 4 to %d", disks, ASYNC_TX_MAX_DISKS);
	if (faila < 0 || faila >= disks - 2 || failb < 0 || failb >= disks - 2)
		return async_inval(func, "failed block %d is not a data block (0 to %d)",
				   faila < 0 || faila >= disks - 2 ? faila : failb, disks - 3);
	if (!blocks[faila] || !blocks[failb] || !blocks[disks - 2] || !blocks[disks - 1])
		return async_inval(func, "the failed blocks, P and Q need pages");
	return NULL;
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_raid6_2data_recov(int disks, size_t bytes, int faila, int failb, struct page **blocks,
			unsigned int *offs, struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *err = dmae__async_begin(__func__, submit);
	struct recov r = { submit, bytes, NULL };
	struct async_submit_ctl s;
	void *a, *b, *p, *q;
	int data = 0, good = -1;
	u8 coef[2];

	if (err)
		return err;
	if (faila == failb)
		return async_inval(__func__, "faila == failb (%d)", faila);
	if (faila > failb) {
		int t = faila;

		faila = failb;
		failb = t;
	}
	err = recov_check(__func__, disks, bytes, faila, failb, blocks);
	if (err)
		return err;
	for (int i = 0; i < disks - 2; i++) {
		if (!blocks[i])
			continue;
		data++;
		if (i != faila && i != failb)
			good = i;
	}
	r.tx = submit->depend_tx;
	a = blk(blocks, offs, faila);
	b = blk(blocks, offs, failb);
	p = blk(blocks, offs, disks - 2);
	q = blk(blocks, offs, disks - 1);
	coef[0] = dmae__gf_exi[failb - faila];
	coef[1] = dmae__gf_inv[dmae__gf_exp[faila] ^ dmae__gf_exp[failb]];

	if (data == 2) {
		/* Only the lost blocks hold data: Pd = P and Qd = Q. */
		r.tx = dmae__async_sum_product(b, p, q, coef, bytes, next_step(&r, &s, false));
	} else {
		partial_syndrome(&r, blocks, offs, disks, faila, failb, data == 3 ? good : -1, a, b);
		xor_into(&r, a, p, false); /* a = Pd */
		xor_into(&r, b, q, false); /* b = Qd */
		r.tx = dmae__async_sum_product(b, a, b, coef, bytes, next_step(&r, &s, false));
	}
	/* Da = Pd + Db; with no other data, Pd is P itself. */
	if (data == 2) {
		struct page *pages[2] = { virt_to_page(p), virt_to_page(b) };
		unsigned int o[2] = { (unsigned int)offset_in_page(p), (unsigned int)offset_in_page(b) };

		next_step(&r, &s, true);
		s.flags = (enum async_tx_flags)(s.flags | ASYNC_TX_XOR_ZERO_DST);
		return async_xor_offs(virt_to_page(a), (unsigned int)offset_in_page(a), pages, o, 2,
				      bytes, &s);
	}
	xor_into(&r, a, b, true);
	return r.tx;
}

DMAE_EXPORT struct dma_async_tx_descriptor *
async_raid6_datap_recov(int disks, size_t bytes, int faila, struct page **blocks,
			unsigned int *offs, struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *err = dmae__async_begin(__func__, submit);
	struct recov r = { submit, bytes, NULL };
	int good_cnt = 0, good = -1;
	void *dq, *p, *q;

	if (err)
		return err;
	err = recov_check(__func__, disks, bytes, faila, faila, blocks);
	if (err)
		return err;
	for (int i = 0; i < disks - 2; i++) {
		if (blocks[i] && i != faila) {
			good_cnt++;
			good = i;
		}
	}
	r.tx = submit->depend_tx;
	dq = blk(blocks, offs, faila);
	p = blk(blocks, offs, disks - 2);
	q = blk(blocks, offs, disks - 1);

	/* P' into P's own page, Q' into the lost block's page. */
	partial_syndrome(&r, blocks, offs, disks, faila, -1, good_cnt == 1 ? good : -1, p, dq);
	xor_into(&r, dq, q, false);					  /* Qd = g^a Da */
	mult(&r, dq, dq, dmae__gf_inv[dmae__gf_exp[faila]], false);	  /* Da */
	xor_into(&r, p, dq, true);					  /* P = P' + Da */
	return r.tx;
}
