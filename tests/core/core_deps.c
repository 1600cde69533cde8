// SPDX-License-Identifier: MIT
/*
 * core_deps.c - dma_run_dependencies: descriptors chained by hand through
 * tx->next / tx->parent, as async_tx does, are submitted and issued when the
 * one they depend on completes; the run stops where the channel changes.
 */
#include "core/core_test.h"

#define WAIT(c) assert_true(wait_for_completion_timeout((c), CORE_WAIT_JIFFIES) != 0)

/* Callback probes of a chain, recording the order they ran in. */
struct chain {
	struct cb_probe probe[3]; /* one per descriptor */
	int order[3];		  /* ids in callback order */
	u32 order_len;		  /* entries of order (atomic) */
	struct dma_async_tx_descriptor *tx[3]; /* tx1, tx2, tx3 */
};

/* Prepare tx[i] on @chans[i] with a recording callback; link them in order. */
static void chain_build(struct chain *c, struct dma_chan *chans[3])
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 3; i++) {
		struct cb_probe *p = &c->probe[i];

		cb_probe_init(p);
		p->id = i + 1;
		p->order = c->order;
		p->order_len = &c->order_len;
		c->tx[i] = dmaengine_prep_dma_interrupt(chans[i], DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		assert_non_null(c->tx[i]);
		c->tx[i]->callback = cb_probe_fn;
		c->tx[i]->callback_param = p;
	}
	/* What async_tx_submit does for a dependency: parent and next. */
	c->tx[0]->next = c->tx[1];
	c->tx[1]->parent = c->tx[0];
	c->tx[1]->next = c->tx[2];
	c->tx[2]->parent = c->tx[1];
}

static struct dma_chan *hold(struct mock_dev *md, int i)
{
	struct dma_chan *chan = dma_get_slave_channel(&md->chans[i].chan);

	assert_non_null(chan);
	return chan;
}

/* Same channel: tx2 and tx3 are submitted together and issued once. */
static void test_deps_same_channel(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(INTERRUPT));
	struct mock_chan *mc = &md->chans[0];
	struct dma_chan *chan = hold(md, 0);
	struct dma_chan *chans[3] = { chan, chan, chan };
	dma_cookie_t last = 0, used = 0;
	struct chain c;

	chain_build(&c, chans);
	assert_int_equal(dmaengine_submit(c.tx[0]), 2);
	dma_async_issue_pending(chan);
	assert_true(cb_probe_wait(&c.probe[2]));
	assert_int_equal(__atomic_load_n(&c.order_len, __ATOMIC_ACQUIRE), 3);
	assert_int_equal(c.order[0], 1);
	assert_int_equal(c.order[1], 2);
	assert_int_equal(c.order[2], 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(mock_count(&c.probe[i].calls), 1);
	assert_int_equal(mock_count(&mc->nr_submit), 3);
	/* The client's issue, then one for the whole run of dependents. */
	assert_int_equal(mock_count(&mc->nr_issue), 2);
	assert_int_equal(dma_async_is_tx_complete(chan, 4, &last, &used), DMA_COMPLETE);
	assert_int_equal(last, 4);
	assert_int_equal(used, 4);
	dma_release_channel(chan);
	assert_log_lines(0);
}

/* Step by step: nothing moves before tx1 completes; then both, in order. */
static void test_deps_same_channel_steps(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(INTERRUPT));
	struct mock_chan *mc = &md->chans[0];
	struct dma_chan *chan = hold(md, 0);
	struct dma_chan *chans[3] = { chan, chan, chan };
	struct chain c;

	mc->manual = true;
	chain_build(&c, chans);
	assert_int_equal(dmaengine_submit(c.tx[0]), 2);
	dma_async_issue_pending(chan);
	assert_int_equal(c.tx[1]->cookie, -EBUSY);
	assert_int_equal(c.tx[2]->cookie, -EBUSY);
	assert_int_equal(mock_count(&mc->nr_submit), 1);

	reinit_completion(&mc->issue_done);
	assert_int_equal(mock_chan_complete(mc), 1);
	WAIT(&mc->issue_done);
	assert_int_equal(c.tx[1]->cookie, 3);
	assert_int_equal(c.tx[2]->cookie, 4);
	assert_null(c.tx[0]->next);
	assert_null(c.tx[1]->next);
	assert_null(c.tx[1]->parent);
	assert_null(c.tx[2]->parent);
	assert_int_equal(mock_count(&mc->nr_submit), 3);
	assert_int_equal(mock_count(&mc->nr_issue), 2);

	assert_int_equal(mock_chan_complete(mc), 2);
	assert_true(cb_probe_wait(&c.probe[2]));
	assert_int_equal(c.order[1], 2);
	assert_int_equal(c.order[2], 3);
	assert_int_equal(mock_count(&mc->nr_issue), 2);
	dma_release_channel(chan);
}

/* tx3 is on another channel: the run stops at tx2; tx3 goes when tx2 completes. */
static void test_deps_channel_switch(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(INTERRUPT));
	struct mock_chan *ma = &md->chans[0], *mb = &md->chans[1];
	struct dma_chan *a = hold(md, 0), *b = hold(md, 1);
	struct dma_chan *chans[3] = { a, a, b };
	struct chain c;

	ma->manual = true;
	mb->manual = true;
	chain_build(&c, chans);
	assert_int_equal(dmaengine_submit(c.tx[0]), 2);
	dma_async_issue_pending(a);

	reinit_completion(&ma->issue_done);
	assert_int_equal(mock_chan_complete(ma), 1);
	WAIT(&ma->issue_done);
	assert_int_equal(c.tx[1]->cookie, 3);
	assert_null(c.tx[1]->parent);
	/* The switch: tx3 stays chained behind tx2, unsubmitted. */
	assert_ptr_equal(c.tx[1]->next, c.tx[2]);
	assert_ptr_equal(c.tx[2]->parent, c.tx[1]);
	assert_int_equal(c.tx[2]->cookie, -EBUSY);
	assert_int_equal(mock_count(&ma->nr_submit), 2);
	assert_int_equal(mock_count(&ma->nr_issue), 2);
	assert_int_equal(mock_count(&mb->nr_submit), 0);
	assert_int_equal(mock_count(&mb->nr_issue), 0);

	reinit_completion(&mb->issue_done);
	assert_int_equal(mock_chan_complete(ma), 1);
	WAIT(&mb->issue_done);
	assert_int_equal(c.tx[2]->cookie, 2); /* the first cookie of channel b */
	assert_null(c.tx[2]->parent);
	assert_int_equal(mock_count(&mb->nr_submit), 1);
	assert_int_equal(mock_count(&mb->nr_issue), 1);
	assert_int_equal(mock_count(&ma->nr_issue), 2);

	assert_int_equal(mock_chan_complete(mb), 1);
	assert_true(cb_probe_wait(&c.probe[2]));
	assert_int_equal(c.order[0], 1);
	assert_int_equal(c.order[1], 2);
	assert_int_equal(c.order[2], 3);
	dma_release_channel(a);
	dma_release_channel(b);
	assert_log_lines(0);
}

/* No dependents: nothing is submitted or issued. */
static void test_deps_none(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(INTERRUPT));
	struct mock_chan *mc = &md->chans[0];
	struct dma_chan *chan = hold(md, 0);
	struct dma_async_tx_descriptor *tx = dmaengine_prep_dma_interrupt(chan, 0);

	assert_non_null(tx);
	dma_run_dependencies(tx);
	assert_int_equal(mock_count(&mc->nr_issue), 0);
	assert_int_equal(mock_count(&mc->nr_submit), 0);
	dma_release_channel(chan);
}

int core_deps_tests(void)
{
	const struct CMUnitTest tests[] = {
		core_test(test_deps_same_channel),
		core_test(test_deps_same_channel_steps),
		core_test(test_deps_channel_switch),
		core_test(test_deps_none),
	};

	return cmocka_run_group_tests_name("core_deps", tests, NULL, NULL);
}
