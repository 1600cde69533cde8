// SPDX-License-Identifier: MIT
/*
 * conf_pool.c - descriptors and channel bookkeeping: reuse, double submit,
 * pool exhaustion, statistics attributes.
 */
#include "conformance.h"

#define FLAGS (DMA_PREP_INTERRUPT | DMA_CTRL_ACK)

/* 8a. A reusable descriptor runs five times, then is freed. */
void t_reuse(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct cp_set *s = conf_cp_set(cc, chan, 1, 100000, 100000, true);
	struct conf_track *t = conf_track_new(cc, chan, 5);
	struct conf_track *t2 = conf_track_new(cc, chan, 1);
	struct dma_async_tx_descriptor *tx = CONF_PREP(conf_cp_prep(chan, s, 0, FLAGS));
	dma_cookie_t prev = 0;
	int r = dmaengine_desc_set_reuse(tx);

	t->check_status = true;
	if (!conf_chan_reuse(chan)) {
		if (r != -EPERM)
			fail_msg("dmaengine_desc_set_reuse on a channel without reuse: %d, expected -EPERM",
				 r);
		assert_false(dmaengine_desc_test_reuse(tx));
		conf_track_set(t2, tx, 0);
		t2->cookie[0] = conf_submit(tx);
		dma_async_issue_pending(chan);
		if (!conf_track_wait(t2))
			fail_msg("no callback");
		conf_assert_image(s->dst, s->exp, "copy");
		printf("    %s: no descriptor reuse: only -EPERM checked\n", dma_chan_name(chan));
		return;
	}
	if (r)
		fail_msg("dmaengine_desc_set_reuse: %d on a device with descriptor_reuse", r);
	assert_true(dmaengine_desc_test_reuse(tx));
	for (u32 round = 0; round < 5; round++) {
		dma_cookie_t c;

		conf_restore(s->dst, 0, s->dst->len);
		/* Resubmitted without a prep: the client hands the memory over itself. */
		conf_dev(s->dst);
		t->expect = round + 1;
		conf_track_set(t, tx, round);
		c = conf_submit(tx);
		if (round && !conf_cookie_after(c, prev))
			fail_msg("resubmission #%u got cookie %d, not after %d", round, c, prev);
		prev = t->cookie[round] = c;
		dma_async_issue_pending(chan);
		if (!conf_track_wait(t))
			fail_msg("submission #%u of the reused descriptor: no callback", round);
		/* The descriptor is the client's again once no callback can be running:
		 * in virt-dma only after the completion tasklet is done. */
		assert_int_equal(dmaengine_synchronize(chan), 0);
		conf_assert_image(s->dst, s->exp, "copy by a reused descriptor");
		if (conf_in_order(chan))
			assert_int_equal(dmaengine_tx_status(chan, c, NULL), DMA_COMPLETE);
	}
	for (u32 round = 0; round < 5; round++)
		assert_int_equal(conf_track_fired(t, round), 1);
	r = dmaengine_desc_free(tx);
	if (r)
		fail_msg("dmaengine_desc_free of a completed reusable descriptor: %d", r);

	/* Without DMA_CTRL_REUSE desc_free refuses, the descriptor stays usable. */
	tx = CONF_PREP(conf_cp_prep(chan, s, 0, FLAGS));
	assert_int_equal(dmaengine_desc_free(tx), -EPERM);
	/* Written by the CPU after the prep: handed over again before the submit. */
	conf_restore(s->dst, 0, s->dst->len);
	conf_dev(s->dst);
	conf_track_set(t2, tx, 0);
	t2->cookie[0] = conf_submit(tx);
	dma_async_issue_pending(chan);
	if (!conf_track_wait(t2))
		fail_msg("descriptor refused by desc_free never completed");
	conf_assert_image(s->dst, s->exp, "copy after a refused desc_free");
}

/* 8b. Submitting a queued descriptor again fails; the channel keeps working. */
void t_double_submit(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct cp_set *s = conf_cp_set(cc, chan, 2, 1u << 20, 1u << 20, true);
	struct conf_track *t = conf_track_new(cc, chan, 2);
	struct dma_async_tx_descriptor *tx = CONF_PREP(conf_cp_prep(chan, s, 0, FLAGS));
	dma_cookie_t c1, c2;

	t->expect = 1;
	conf_track_set(t, tx, 0);
	c1 = t->cookie[0] = conf_submit(tx);
	c2 = dmaengine_submit(tx);
	if (c2 >= 0)
		fail_msg("second dmaengine_submit of a queued descriptor returned %d, expected a negative cookie",
			 c2);
	dma_async_issue_pending(chan);
	if (!conf_track_wait(t))
		fail_msg("the doubly submitted descriptor never completed");
	conf_sleep_ms(CONF_QUIET_MS);
	assert_int_equal(conf_track_fired(t, 0), 1);
	assert_int_equal(conf_track_count(t), 1);
	if (conf_in_order(chan))
		assert_int_equal(dmaengine_tx_status(chan, c1, NULL), DMA_COMPLETE);

	/* Still working. */
	t->expect = 2;
	tx = CONF_PREP(conf_cp_prep(chan, s, 1, FLAGS));
	conf_track_set(t, tx, 1);
	t->cookie[1] = conf_submit(tx);
	if (!conf_cookie_after(t->cookie[1], c1))
		fail_msg("cookie %d after %d", t->cookie[1], c1);
	dma_async_issue_pending(chan);
	if (!conf_track_wait(t))
		fail_msg("copy after the failed double submit never completed");
	conf_assert_image(s->dst, s->exp, "copies around a double submit");
}

/* 9. Prepare until the pool is dry; everything still works. */
void t_pool_exhaustion(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	/* Bound for providers whose pools grow (virt-dma allocates per prep);
	 * a board's share, whose copies each take an interrupt in board time. */
	const u32 max = (u32)conf_big(cc, 20000 / CONF_SLOW, 1000);
	const size_t unit = 64;
	size_t a = conf_copy_align(chan);
	/* Streaming: thousands of transfers within two mappings. */
	struct gbuf *src = conf_gbuf_mem(cc, chan, CONF_MEM_TO_DEV, unit, 0);
	struct gbuf *dst = conf_gbuf_mem(cc, chan, CONF_MEM_BIDI, (size_t)max * unit, 0);
	struct dma_async_tx_descriptor **txs = conf_zalloc(cc, sizeof(*txs) * max);
	u8 *pat = conf_alloc(cc, unit);
	struct conf_track *t;
	u8 *exp;
	u32 got = 0;

	assert_true(unit % a == 0);
	conf_fill_src(src, conf_rand(&cc->rng));
	conf_fill_old(cc, dst, conf_rand(&cc->rng));
	memcpy(pat, src->p, unit);
	exp = conf_expect(cc, dst);
	conf_dev(src);
	conf_dev(dst);
	while (got < max) {
		struct dma_async_tx_descriptor *tx =
			dmaengine_prep_dma_memcpy(chan, conf_bus(dst, (size_t)got * unit),
						  conf_bus(src, 0), unit, FLAGS);

		if (!tx)
			break;
		txs[got] = tx;
		memcpy(exp + (size_t)got * unit, pat, unit);
		got++;
	}
	printf("    %s: %u descriptors prepared before %s\n", dma_chan_name(chan), got,
	       got < max ? "NULL" : "the bound (no exhaustion)");
	assert_true(got > 0);
	t = conf_track_new(cc, chan, got);
	t->check_status = true;
	for (u32 i = 0; i < got; i++) {
		conf_track_set(t, txs[i], i);
		t->cookie[i] = conf_submit(txs[i]);
	}
	dma_async_issue_pending(chan);
	if (!conf_track_wait(t))
		fail_msg("only %u of %u callbacks", conf_track_count(t), got);
	for (u32 i = 0; i < got; i++)
		if (conf_track_fired(t, i) != 1)
			fail_msg("descriptor #%u: %u callbacks", i, conf_track_fired(t, i));
	conf_assert_image(dst, exp, "copies of a whole pool");

	/* The pool refills: a second full round works. */
	{
		struct conf_track *t2 = conf_track_new(cc, chan, got);

		conf_restore(dst, 0, dst->len);
		conf_dev(dst);
		for (u32 i = 0; i < got; i++) {
			struct dma_async_tx_descriptor *tx = CONF_PREP(dmaengine_prep_dma_memcpy(
				chan, conf_bus(dst, (size_t)i * unit), conf_bus(src, 0), unit, FLAGS));

			conf_track_set(t2, tx, i);
			t2->cookie[i] = conf_submit(tx);
			if (i % 64 == 63)
				dma_async_issue_pending(chan);
		}
		dma_async_issue_pending(chan);
		if (!conf_track_wait(t2))
			fail_msg("second round: only %u of %u callbacks", conf_track_count(t2), got);
		conf_assert_image(dst, exp, "copies of a whole pool, second round");
	}
}

/* 11. memcpy_count / bytes_transferred / in_use. */
void t_statistics(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	const char *name = dma_chan_name(chan);
	struct cp_set *s = conf_cp_set(cc, chan, 10, 1000, 50000, true);
	struct conf_track *t = conf_track_new(cc, chan, s->n);
	unsigned long c0, b0, c1 = 0, b1 = 0, sum = 0;
	char buf[64];

	assert_int_equal(dmaengine_chan_attr(name, "in_use", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "1\n");
	assert_int_equal(dmaengine_chan_attr(name, "no_such_attr", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(dmaengine_chan_attr("dma999chan999", "in_use", buf, sizeof(buf)), -ENODEV);
	c0 = conf_attr_ul(chan, "memcpy_count");
	b0 = conf_attr_ul(chan, "bytes_transferred");
	for (u32 i = 0; i < s->n; i++)
		sum += s->op[i].len;
	conf_cp_submit_all(chan, s, t, FLAGS);
	if (!conf_track_wait(t))
		fail_msg("only %u of %u callbacks", conf_track_count(t), s->n);
	/* Counters may be updated right after the callbacks: allow a moment. */
	CONF_WAIT_UNTIL((c1 = conf_attr_ul(chan, "memcpy_count")) - c0 >= s->n &&
				(b1 = conf_attr_ul(chan, "bytes_transferred")) - b0 >= sum,
			1000);
	c1 = conf_attr_ul(chan, "memcpy_count");
	b1 = conf_attr_ul(chan, "bytes_transferred");
	if (c1 - c0 != s->n)
		fail_msg("memcpy_count grew by %lu, expected %u", c1 - c0, s->n);
	if (b1 - b0 != sum)
		fail_msg("bytes_transferred grew by %lu, expected %lu", b1 - b0, sum);
	conf_assert_image(s->dst, s->exp, "copies counted");
	assert_int_equal(dmaengine_chan_attr(name, "in_use", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "1\n");
}
