// SPDX-License-Identifier: MIT
/*
 * conf_order.c - completion order and callbacks: ordering (in order or
 * DMA_OUT_OF_ORDER), one callback per descriptor in completion context,
 * callback_result over callback, silent descriptors, interrupt descriptors.
 */
#include "conformance.h"

#define FLAGS (DMA_PREP_INTERRUPT | DMA_CTRL_ACK)

/* Each descriptor's callback fired exactly once. */
static void assert_each_once(struct conf_track *t)
{
	for (u32 i = 0; i < t->n; i++)
		if (conf_track_fired(t, i) != 1)
			fail_msg("descriptor #%u: %u callbacks, expected 1", i, conf_track_fired(t, i));
	assert_int_equal(conf_track_count(t), t->n);
}

/* Callbacks came in submission (= cookie) order. */
static void assert_in_order(struct conf_track *t)
{
	for (u32 k = 0; k < t->n; k++)
		if (t->order[k] != k)
			fail_msg("callback #%u was for descriptor #%u: callbacks out of cookie order", k,
				 t->order[k]);
}

/* 1. 200 copies of random sizes and alignments, all issued at once. */
static void ordering(struct conf_case *cc, bool want_ooo)
{
	struct dma_chan *chan = cc->chan;
	struct cp_set *s = conf_cp_set(cc, chan, 200, 1, 65536, true);
	struct conf_track *t = conf_track_new(cc, chan, s->n);
	struct dma_tx_state st;
	enum dma_status status;
	bool in_order = conf_in_order(chan);
	u32 reordered = 0;

	assert_true(want_ooo == !in_order);
	t->check_status = true;
	conf_cp_submit_all(chan, s, t, FLAGS);
	if (!conf_track_wait(t))
		fail_msg("only %u of %u callbacks within %u ms", conf_track_count(t), s->n,
			 CONF_TIMEOUT_MS);
	assert_each_once(t);
	for (u32 k = 0; k < s->n; k++)
		reordered += t->order[k] != k;
	conf_assert_image(s->dst, s->exp, "copies");

	memset(&st, 0xff, sizeof(st));
	status = dmaengine_tx_status(chan, t->cookie[s->n - 1], &st);
	if (in_order) {
		assert_in_order(t);
		assert_int_equal(status, DMA_COMPLETE);
		assert_int_equal(st.last, t->cookie[s->n - 1]);
		assert_int_equal(st.used, t->cookie[s->n - 1]);
		assert_int_equal(st.residue, 0);
		for (u32 i = 0; i < s->n; i++)
			assert_int_equal(dmaengine_tx_status(chan, t->cookie[i], NULL), DMA_COMPLETE);
		/* A cookie never handed out reads COMPLETE (dma_async_is_complete). */
		assert_int_equal(dmaengine_tx_status(chan, dma_cookie_next(t->cookie[s->n - 1]) + 5,
						     NULL), DMA_COMPLETE);
	} else {
		assert_int_equal(status, DMA_OUT_OF_ORDER);
		assert_int_equal(dmaengine_tx_status(chan, t->cookie[0], NULL), DMA_OUT_OF_ORDER);
		printf("    %s: %u of %u callbacks came out of submission order\n",
		       dma_chan_name(chan), reordered, s->n);
	}
}

void t_ordering(struct conf_case *cc)
{
	ordering(cc, !conf_in_order(cc->chan));
}

/* DMA_COMPLETION_NO_ORDER: status is DMA_OUT_OF_ORDER before, during, after;
 * every callback exactly once whatever the order; work issued in pieces. */
void t_out_of_order(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct cp_set *s;
	struct conf_track *t;
	u32 issued = 0;

	if (!conf_has(chan, DMA_MEMCPY))
		fail_msg("DMA_COMPLETION_NO_ORDER is only tested with DMA_MEMCPY");
	ordering(cc, true);

	/* Issued in several pieces while earlier ones run. */
	s = conf_cp_set(cc, chan, 120, 1, 32768, true);
	t = conf_track_new(cc, chan, s->n);
	for (u32 i = 0; i < s->n; i++) {
		struct dma_async_tx_descriptor *tx = CONF_PREP(conf_cp_prep(chan, s, i, FLAGS));

		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
		if (dmaengine_tx_status(chan, t->cookie[i], NULL) != DMA_OUT_OF_ORDER)
			fail_msg("tx_status of a queued cookie on a COMPLETION_NO_ORDER channel is not DMA_OUT_OF_ORDER");
		if (i % 17 == 16 || i + 1 == s->n) {
			dma_async_issue_pending(chan);
			issued = i + 1;
		}
	}
	assert_int_equal(issued, s->n);
	if (!conf_track_wait(t))
		fail_msg("only %u of %u callbacks", conf_track_count(t), s->n);
	assert_each_once(t);
	conf_assert_image(s->dst, s->exp, "copies issued in pieces");
	for (u32 i = 0; i < s->n; i++)
		assert_int_equal(dmaengine_tx_status(chan, t->cookie[i], NULL), DMA_OUT_OF_ORDER);
}

/* 2. callback_result wins, old-style callback works, no callback is silent. */
void t_callbacks(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	/* Coherent: out of order, the test watches memory to see the silent copy done. */
	struct cp_set *s = conf_cp_set(cc, chan, 4, 1000, 70000, false);
	struct conf_track *t = conf_track_new(cc, chan, 4);
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t silent;

	/* #0: both callbacks set: only callback_result may run (with the result). */
	tx = CONF_PREP(conf_cp_prep(chan, s, 0, FLAGS));
	conf_track_set(t, tx, 0);
	t->cookie[0] = conf_submit(tx);
	/* #1: old-style callback only. */
	tx = CONF_PREP(conf_cp_prep(chan, s, 1, FLAGS));
	conf_track_set_plain(t, tx, 1);
	t->cookie[1] = conf_submit(tx);
	/* #2: no callback at all, no DMA_PREP_INTERRUPT. */
	tx = CONF_PREP(conf_cp_prep(chan, s, 2, DMA_CTRL_ACK));
	tx->callback = NULL;
	tx->callback_result = NULL;
	silent = conf_submit(tx);
	t->cookie[2] = silent;
	/* #3: callback_result after the silent one. */
	tx = CONF_PREP(conf_cp_prep(chan, s, 3, FLAGS));
	conf_track_set(t, tx, 3);
	t->cookie[3] = conf_submit(tx);
	t->expect = 3;
	t->check_status = true;
	dma_async_issue_pending(chan);

	if (!conf_track_wait(t))
		fail_msg("only %u of 3 callbacks", conf_track_count(t));
	conf_sleep_ms(CONF_QUIET_MS / 5);
	assert_int_equal(conf_track_fired(t, 0), 1);
	assert_int_equal(conf_track_fired(t, 1), 1);
	assert_int_equal(conf_track_fired(t, 2), 0);
	assert_int_equal(conf_track_fired(t, 3), 1);
	assert_int_equal(__atomic_load_n(&t->ctx_errors, __ATOMIC_ACQUIRE), 0);
	if (conf_in_order(chan)) {
		struct dma_tx_state st;

		assert_int_equal(t->order[0], 0);
		assert_int_equal(t->order[1], 1);
		assert_int_equal(t->order[2], 3);
		/* The silent one completed before #3's callback. */
		memset(&st, 0xff, sizeof(st));
		assert_int_equal(dmaengine_tx_status(chan, silent, &st), DMA_COMPLETE);
		assert_int_equal(st.residue, 0);
	} else {
		/* Out of order: only memory tells that the silent copy is done. */
		if (!CONF_WAIT_UNTIL(conf_peek_eq(s->dst->p + s->op[2].doff, s->exp + s->op[2].doff,
						  s->op[2].len), CONF_TIMEOUT_MS))
			fail_msg("the copy without callback never completed");
		/* Then the memory is the client's once the engine is quiet. */
		assert_int_equal(dmaengine_synchronize(chan), 0);
	}
	conf_assert_image(s->dst, s->exp, "callback test copies");

	/* Polling instead of callbacks: dma_sync_wait issues and waits. */
	{
		struct cp_set *s2 = conf_cp_set(cc, chan, 1, 100000, 300000, false);
		enum dma_status st;

		tx = CONF_PREP(conf_cp_prep(chan, s2, 0, DMA_CTRL_ACK));
		tx->callback = NULL;
		tx->callback_result = NULL;
		silent = conf_submit(tx);
		st = dma_sync_wait(chan, silent);
		if (conf_in_order(chan)) {
			assert_int_equal(st, DMA_COMPLETE);
		} else {
			assert_int_equal(st, DMA_OUT_OF_ORDER);
			if (!CONF_WAIT_UNTIL(conf_peek_eq(s2->dst->p + s2->op[0].doff,
							  s2->exp + s2->op[0].doff, s2->op[0].len),
					     CONF_TIMEOUT_MS))
				fail_msg("the copy waited for with dma_sync_wait never completed");
			assert_int_equal(dmaengine_synchronize(chan), 0);
		}
		conf_assert_image(s2->dst, s2->exp, "copy waited for with dma_sync_wait");
	}
}

/* 3. Interrupt descriptors between copies: callbacks in order, each once. */
void t_interrupt(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	bool copies = conf_has(chan, DMA_MEMCPY);
	const u32 n = 120;
	struct cp_set *s = conf_cp_set(cc, chan, n, 1, 4096, true);
	struct conf_track *t = conf_track_new(cc, chan, n);

	t->check_status = true;
	/* Interrupt-only descriptors carry no data: nothing to copy for them. */
	for (u32 i = 0; i < n; i++) {
		struct dma_async_tx_descriptor *tx;

		if (copies && i % 2 == 0) {
			tx = CONF_PREP(conf_cp_prep(chan, s, i, FLAGS));
		} else {
			struct cp_op *o = &s->op[i];

			/* Undo the copy in the expected image: none happens. */
			memcpy(s->exp + o->doff, s->dst->old + o->doff, o->len);
			tx = CONF_PREP(dmaengine_prep_dma_interrupt(chan, FLAGS));
		}
		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
		if (i && t->cookie[i] != dma_cookie_next(t->cookie[i - 1]))
			fail_msg("cookie %d follows %d", t->cookie[i], t->cookie[i - 1]);
		/* Issue as we go: callbacks (which read the cookies) race submissions. */
		if (i % 4 == 3)
			dma_async_issue_pending(chan);
	}
	dma_async_issue_pending(chan);
	if (!conf_track_wait(t))
		fail_msg("only %u of %u callbacks", conf_track_count(t), n);
	assert_each_once(t);
	if (conf_in_order(chan)) {
		assert_in_order(t);
		assert_int_equal(dmaengine_tx_status(chan, t->cookie[n - 1], NULL), DMA_COMPLETE);
	}
	conf_assert_image(s->dst, s->exp, "copies between interrupt descriptors");
}
