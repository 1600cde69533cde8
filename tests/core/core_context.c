// SPDX-License-Identifier: MIT
/*
 * core_context.c - calls that may sleep, made from a descriptor callback
 * (completion context) or an interrupt handler: terminate_sync and
 * synchronize return -EDEADLK, dma_release_channel does nothing, each with
 * exactly one warning line; the calls allowed there still work.
 */
#include <stdio.h>

#include "core/core_test.h"

#define SLEEP_BUG "BUG: sleeping function called from invalid context: "

struct ctx_env {
	struct mock_dev *md;   /* one MEMCPY channel */
	struct dma_chan *chan; /* held by the test */
};

static struct ctx_env env;

static int ctx_setup(void **state)
{
	int ret = core_setup(state);

	if (ret)
		return ret;
	env.md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	env.chan = dma_get_slave_channel(&env.md->chans[0].chan);
	return env.chan ? 0 : -1;
}

static int ctx_teardown(void **state)
{
	if (env.chan && chan_attr_num(env.chan, "in_use") == 1)
		dma_release_channel(env.chan);
	memset(&env, 0, sizeof(env));
	return core_teardown(state);
}

#define ctx_test(f) cmocka_unit_test_setup_teardown(f, ctx_setup, ctx_teardown)

/* ------------------------------------------------------------- actions */

static void act_terminate_sync(struct cb_probe *p)
{
	p->ret = dmaengine_terminate_sync(p->chan);
}

static void act_synchronize(struct cb_probe *p)
{
	p->ret = dmaengine_synchronize(p->chan);
}

static void act_release(struct cb_probe *p)
{
	dma_release_channel(p->chan);
	p->ret = 0;
}

static void act_terminate_async(struct cb_probe *p)
{
	p->ret = dmaengine_terminate_async(p->chan);
}

/* Prepare, submit and issue new work: allowed in a callback. */
static struct cb_probe second;

static void act_resubmit(struct cb_probe *p)
{
	struct dma_async_tx_descriptor *tx = core_prep_copy(p->chan, DMA_PREP_INTERRUPT);

	p->ret = -ENOMEM;
	if (!tx)
		return;
	tx->callback = cb_probe_fn;
	tx->callback_param = &second;
	p->ret = dmaengine_submit(tx);
	dma_async_issue_pending(p->chan);
}

/* ----------------------------------------------------------- the runners */

/* Run @action inside the completion callback of a memcpy on the channel. */
static void run_in_callback(struct cb_probe *p, void (*action)(struct cb_probe *))
{
	struct dma_async_tx_descriptor *tx;

	cb_probe_init(p);
	p->action = action;
	p->chan = env.chan;
	tx = core_prep_copy(env.chan, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	assert_non_null(tx);
	tx->callback = cb_probe_fn;
	tx->callback_param = p;
	assert_true(dmaengine_submit(tx) >= DMA_MIN_COOKIE);
	dma_async_issue_pending(env.chan);
	assert_true(cb_probe_wait(p));
	assert_int_equal(p->ctx, DMAE_CTX_COMPLETION);
}

static irqreturn_t probe_irq_handler(int irq, void *dev_id)
{
	cb_probe_fn(dev_id);
	return IRQ_HANDLED;
}

/* Run @action inside an interrupt handler on a line of our own. */
static void run_in_irq(struct cb_probe *p, void (*action)(struct cb_probe *))
{
	int irq = dmae_irq_alloc();

	assert_true(irq >= 0);
	cb_probe_init(p);
	p->action = action;
	p->chan = env.chan;
	assert_int_equal(request_irq((unsigned int)irq, probe_irq_handler, 0, "core-test", p), 0);
	dmae_irq_raise((unsigned int)irq);
	assert_true(cb_probe_wait(p));
	free_irq((unsigned int)irq, p);
	dmae_irq_free((unsigned int)irq);
	assert_int_equal(p->ctx, DMAE_CTX_IRQ);
}

/* The one warning a sleeping call made in @ctx prints. */
static void assert_sleep_bug(const char *func, const char *ctx)
{
	char want[160];

	snprintf(want, sizeof(want), SLEEP_BUG "%s() in %s context", func, ctx);
	assert_one_line(want);
	assert_string_equal(log_line(0), want);
	assert_int_equal(log_level(0), DMAE_LOG_WARN);
}

/* After a refused call the channel is still held and still works. */
static void assert_still_held(void)
{
	struct mock_chan *mc = &env.md->chans[0];

	assert_int_equal(chan_attr_num(env.chan, "in_use"), 1);
	assert_int_equal(mock_count(&mc->nr_terminate), 0);
	assert_int_equal(mock_count(&mc->nr_free), 0);
	log_reset();
	assert_chan_works(env.chan);
}

/* ---------------------------------------------------- completion context */

static void test_callback_terminate_sync(void **state)
{
	struct cb_probe p;

	run_in_callback(&p, act_terminate_sync);
	assert_int_equal(p.ret, -EDEADLK);
	assert_sleep_bug("dmaengine_terminate_sync", "completion");
	assert_int_equal(mock_count(&env.md->chans[0].nr_sync), 0);
	assert_still_held();
}

static void test_callback_synchronize(void **state)
{
	struct cb_probe p;

	run_in_callback(&p, act_synchronize);
	assert_int_equal(p.ret, -EDEADLK);
	assert_sleep_bug("dmaengine_synchronize", "completion");
	assert_int_equal(mock_count(&env.md->chans[0].nr_sync), 0);
	assert_still_held();
}

static void test_callback_release(void **state)
{
	struct cb_probe p;

	run_in_callback(&p, act_release);
	assert_sleep_bug("dma_release_channel", "completion");
	assert_still_held();
	/* Released properly from process context afterwards. */
	dma_release_channel(env.chan);
	assert_int_equal(chan_attr_num(env.chan, "in_use"), 0);
	assert_int_equal(mock_count(&env.md->chans[0].nr_free), 1);
}

/* What a callback may do: terminate_async, and prep/submit/issue new work. */
static void test_callback_allowed_calls(void **state)
{
	struct mock_chan *mc = &env.md->chans[0];
	struct cb_probe p;

	run_in_callback(&p, act_terminate_async);
	assert_int_equal(p.ret, 0);
	assert_int_equal(mock_count(&mc->nr_terminate), 1);
	assert_log_lines(0);

	cb_probe_init(&second);
	run_in_callback(&p, act_resubmit);
	assert_true(p.ret >= DMA_MIN_COOKIE);
	assert_true(cb_probe_wait(&second));
	assert_int_equal(second.ctx, DMAE_CTX_COMPLETION);
	assert_int_equal(dmaengine_tx_status(env.chan, p.ret, NULL), DMA_COMPLETE);
	assert_log_lines(0);
}

/* ----------------------------------------------------- interrupt context */

static void test_irq_terminate_sync(void **state)
{
	struct cb_probe p;

	run_in_irq(&p, act_terminate_sync);
	assert_int_equal(p.ret, -EDEADLK);
	assert_sleep_bug("dmaengine_terminate_sync", "interrupt");
	assert_still_held();
}

static void test_irq_synchronize(void **state)
{
	struct cb_probe p;

	run_in_irq(&p, act_synchronize);
	assert_int_equal(p.ret, -EDEADLK);
	assert_sleep_bug("dmaengine_synchronize", "interrupt");
	assert_still_held();
}

static void test_irq_release(void **state)
{
	struct cb_probe p;

	run_in_irq(&p, act_release);
	assert_sleep_bug("dma_release_channel", "interrupt");
	assert_still_held();
}

static void test_irq_terminate_async(void **state)
{
	struct cb_probe p;

	run_in_irq(&p, act_terminate_async);
	assert_int_equal(p.ret, 0);
	assert_int_equal(mock_count(&env.md->chans[0].nr_terminate), 1);
	assert_log_lines(0);
}

int core_context_tests(void)
{
	const struct CMUnitTest tests[] = {
		ctx_test(test_callback_terminate_sync),
		ctx_test(test_callback_synchronize),
		ctx_test(test_callback_release),
		ctx_test(test_callback_allowed_calls),
		ctx_test(test_irq_terminate_sync),
		ctx_test(test_irq_synchronize),
		ctx_test(test_irq_release),
		ctx_test(test_irq_terminate_async),
	};

	return cmocka_run_group_tests_name("core_context", tests, NULL, NULL);
}
