// SPDX-License-Identifier: MIT
/*
 * conf_copy.c - sets of memory copies shared by several tests: layout,
 * patterns, expected image, and submission within the descriptor pool.
 */
#include "conformance.h"

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

struct cp_set *conf_cp_set(struct conf_case *cc, struct dma_chan *chan, u32 n, size_t minlen,
			   size_t maxlen, bool stream)
{
	size_t a = conf_copy_align(chan);
	size_t slot = align_up(maxlen + a, a) + 64 + 64;
	struct cp_set *s = conf_zalloc(cc, sizeof(*s));

	s->n = n;
	s->src = conf_gbuf_mem(cc, chan, stream ? CONF_MEM_TO_DEV : CONF_MEM_COHERENT, slot * n, 0);
	s->dst = conf_gbuf_mem(cc, chan, stream ? CONF_MEM_BIDI : CONF_MEM_COHERENT, slot * n, 0);
	conf_fill_src(s->src, conf_rand(&cc->rng));
	conf_fill_old(cc, s->dst, conf_rand(&cc->rng));
	s->exp = conf_expect(cc, s->dst);
	s->op = conf_zalloc(cc, sizeof(*s->op) * (n ? n : 1));
	for (u32 i = 0; i < n; i++) {
		struct cp_op *o = &s->op[i];

		o->len = align_up((size_t)conf_rand_range(&cc->rng, minlen, maxlen), a);
		o->soff = (size_t)i * slot + (size_t)conf_rand_range(&cc->rng, 0, 63) / a * a;
		o->doff = (size_t)i * slot + (size_t)conf_rand_range(&cc->rng, 0, 63) / a * a;
		memcpy(s->exp + o->doff, s->src->p + o->soff, o->len);
	}
	return s;
}

struct dma_async_tx_descriptor *conf_cp_prep(struct dma_chan *chan, struct cp_set *s, u32 i,
					     unsigned long flags)
{
	conf_dev(s->src);
	conf_dev(s->dst);
	return dmaengine_prep_dma_memcpy(chan, conf_bus(s->dst, s->op[i].doff),
					 conf_bus(s->src, s->op[i].soff), s->op[i].len, flags);
}

void conf_cp_submit_all(struct dma_chan *chan, struct cp_set *s, struct conf_track *t,
			unsigned long flags)
{
	u32 issued = 0;

	for (u32 i = 0; i < s->n; i++) {
		struct dma_async_tx_descriptor *tx = conf_cp_prep(chan, s, i, flags);

		if (!tx) {
			/* The pool is dry: start what we have and wait for descriptors. */
			if (issued < i) {
				dma_async_issue_pending(chan);
				issued = i;
			}
			tx = CONF_PREP(conf_cp_prep(chan, s, i, flags));
		}
		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
		if (i && t->cookie[i] != dma_cookie_next(t->cookie[i - 1]))
			fail_msg("cookie %d follows cookie %d: expected %d", t->cookie[i],
				 t->cookie[i - 1], dma_cookie_next(t->cookie[i - 1]));
	}
	dma_async_issue_pending(chan);
}
