// SPDX-License-Identifier: MIT
/*
 * core_register.c - dma_async_device_register: the kernel's checks in the
 * kernel's order, DMA_ASYNC_TX, dev_id and channel ids and names, chancnt,
 * double registration, and unregistering (also while a channel is held).
 */
#include <stdio.h>

#include "core/core_test.h"

/* Times @needle occurs in @hay. */
static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Nothing registered: the summary is empty. */
static void assert_registry_empty(void)
{
	assert_int_equal(dmaengine_summary(NULL, 0), 0);
}

static void test_register_null(void **state)
{
	assert_int_equal(dma_async_device_register(NULL), -ENODEV);
	assert_registry_empty();
}

/* No struct device: -EIO, and that is checked before the capabilities. */
static void test_register_no_dev(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));

	md->dma.dev = NULL;
	md->dma.device_prep_dma_memcpy = NULL; /* would fail the next check */
	assert_int_equal(mock_dev_register(md), -EIO);
	assert_one_line("must have dev");
	assert_registry_empty();
}

struct cap_op_row {
	enum dma_transaction_type cap; /* capability claimed */
	size_t op;		       /* offset of the op left NULL */
	const char *line;	       /* what the one line says */
};

#define CAP_OP_ROW(cap, field)                                  \
	{ DMA_##cap, offsetof(struct dma_device, field),        \
	  "Device claims capability DMA_" #cap ", but op is not defined" }

/* Each capability whose prep op is missing: -EIO and one line naming it. */
static void test_register_cap_without_op(void **state)
{
	static const struct cap_op_row rows[] = {
		CAP_OP_ROW(MEMCPY, device_prep_dma_memcpy),
		CAP_OP_ROW(XOR, device_prep_dma_xor),
		CAP_OP_ROW(XOR_VAL, device_prep_dma_xor_val),
		CAP_OP_ROW(PQ, device_prep_dma_pq),
		CAP_OP_ROW(PQ_VAL, device_prep_dma_pq_val),
		CAP_OP_ROW(MEMSET, device_prep_dma_memset),
		CAP_OP_ROW(INTERRUPT, device_prep_dma_interrupt),
		CAP_OP_ROW(CYCLIC, device_prep_dma_cyclic),
		CAP_OP_ROW(INTERLEAVE, device_prep_interleaved_dma),
		CAP_OP_ROW(MEMCPY_SG, device_prep_dma_memcpy_sg),
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct mock_dev *md = mock_dev_alloc("mock0", 1, BIT(rows[i].cap));

		memset((char *)&md->dma + rows[i].op, 0, sizeof(void (*)(void)));
		log_reset();
		assert_int_equal(mock_dev_register(md), -EIO);
		assert_one_line(rows[i].line);
		assert_int_equal(log_level(0), DMAE_LOG_ERR);
		assert_registry_empty();
		mock_dev_destroy(md);
		/* The same device with its op registers. */
		md = mock_dev_alloc("mock0", 1, BIT(rows[i].cap));
		assert_int_equal(mock_dev_register(md), 0);
		mock_dev_destroy(md);
	}
}

/* Capabilities before tx_status, tx_status before issue_pending. */
static void test_register_check_order(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));

	md->dma.device_prep_dma_memcpy = NULL;
	md->dma.device_tx_status = NULL;
	md->dma.device_issue_pending = NULL;
	assert_int_equal(mock_dev_register(md), -EIO);
	assert_one_line("Device claims capability DMA_MEMCPY, but op is not defined");

	log_reset();
	dma_cap_clear(DMA_MEMCPY, md->dma.cap_mask);
	assert_int_equal(mock_dev_register(md), -EIO);
	assert_one_line("tx_status");

	log_reset();
	md->dma.device_tx_status = dma_cookie_status;
	assert_int_equal(mock_dev_register(md), -EIO);
	assert_one_line("issue_pending");
	assert_registry_empty();
}

/* Without device_release the device registers, with one warning. */
static void test_register_no_release_warns(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));

	md->dma.device_release = NULL;
	assert_int_equal(mock_dev_register(md), 0);
	assert_one_line("release is not defined");
	assert_int_equal(log_level(0), DMAE_LOG_WARN);
	assert_true(md->dma.registered);
	mock_dev_destroy(md);
}

/* DMA_ASYNC_TX only for a device with every async_tx operation. */
static void test_register_async_tx(void **state)
{
	static const enum dma_transaction_type need[] = {
		DMA_INTERRUPT, DMA_MEMCPY, DMA_XOR, DMA_XOR_VAL, DMA_PQ, DMA_PQ_VAL,
	};
	unsigned long all = 0;
	struct mock_dev *md;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		all |= BIT(need[i]);
	md = mock_dev_create("mock0", 1, all | CAP(MEMSET));
	assert_true(dma_has_cap(DMA_ASYNC_TX, md->dma.cap_mask));
	mock_dev_destroy(md);
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		md = mock_dev_create("mock0", 1, all & ~BIT(need[i]));
		if (dma_has_cap(DMA_ASYNC_TX, md->dma.cap_mask))
			print_error("DMA_ASYNC_TX set without %s\n", dma_cap_name(need[i]));
		assert_false(dma_has_cap(DMA_ASYNC_TX, md->dma.cap_mask));
		mock_dev_destroy(md);
	}
	assert_log_lines(0);
}

/* dev_id is the lowest free id; channel names follow it. */
static void test_register_dev_ids(void **state)
{
	struct mock_dev *a = mock_dev_create("mockA", 1, CAP(MEMCPY));
	struct mock_dev *b = mock_dev_create("mockB", 1, CAP(MEMCPY));
	struct mock_dev *c = mock_dev_create("mockC", 1, CAP(MEMCPY));
	struct mock_dev *d, *e;

	assert_int_equal(a->dma.dev_id, 0);
	assert_int_equal(b->dma.dev_id, 1);
	assert_int_equal(c->dma.dev_id, 2);
	mock_dev_destroy(b);
	d = mock_dev_create("mockD", 1, CAP(MEMCPY));
	assert_int_equal(d->dma.dev_id, 1);
	assert_string_equal(dma_chan_name(&d->chans[0].chan), "dma1chan0");
	e = mock_dev_create("mockE", 1, CAP(MEMCPY));
	assert_int_equal(e->dma.dev_id, 3);
	assert_string_equal(dma_chan_name(&e->chans[0].chan), "dma3chan0");
}

/* Channels are named dma%dchan%d, chan_id the lowest free; chancnt counts them. */
static void test_register_channel_ids(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 3, CAP(MEMCPY));
	struct dma_chan *chan;

	assert_int_equal(md->dma.chancnt, 3);
	for (int i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "dma0chan%d", i);
		assert_int_equal(md->chans[i].chan.chan_id, i);
		assert_string_equal(dma_chan_name(&md->chans[i].chan), name);
	}
	dma_async_device_channel_unregister(&md->dma, &md->chans[1].chan);
	assert_int_equal(md->dma.chancnt, 2);
	/* A new channel takes the id just freed. */
	chan = mock_chan_prepare_slot(md, 3);
	assert_int_equal(dma_async_device_channel_register(&md->dma, chan, NULL), 0);
	assert_int_equal(chan->chan_id, 1);
	assert_string_equal(dma_chan_name(chan), "dma0chan1");
	assert_int_equal(md->dma.chancnt, 3);
	/* A channel registered with a name keeps it; its id is the next free one. */
	chan = mock_chan_prepare_slot(md, 1);
	assert_int_equal(dma_async_device_channel_register(&md->dma, chan, "mock0-extra"), 0);
	assert_int_equal(chan->chan_id, 3);
	assert_string_equal(dma_chan_name(chan), "mock0-extra");
	assert_int_equal(md->dma.chancnt, 4);
	assert_log_lines(0);
}

/* A second registration of the same device is refused. */
static void test_register_twice(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	char buf[256];

	assert_int_equal(mock_dev_register(md), -EBUSY);
	dmaengine_summary(buf, sizeof(buf));
	assert_int_equal(count_substr(buf, "number of channels"), 1);
	assert_int_equal(md->dma.dev_id, 0);
	assert_int_equal(md->dma.chancnt, 2);
}

/* A failed registration consumes no id. */
static void test_register_failure_keeps_ids(void **state)
{
	struct mock_dev *bad = mock_dev_alloc("bad", 1, CAP(MEMCPY));
	struct mock_dev *md;

	bad->dma.device_issue_pending = NULL;
	assert_int_equal(mock_dev_register(bad), -EIO);
	md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	assert_int_equal(md->dma.dev_id, 0);
	assert_string_equal(dma_chan_name(&md->chans[0].chan), "dma0chan0");
}

/* Unregister releases the device; registering it again works. */
static void test_register_again_after_unregister(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	dma_async_device_unregister(&md->dma);
	assert_int_equal(mock_count(&md->nr_release), 1);
	assert_false(md->dma.registered);
	assert_registry_empty();

	assert_int_equal(mock_dev_register(md), 0);
	assert_int_equal(md->dma.dev_id, 0);
	assert_int_equal(md->dma.chancnt, 2);
	assert_string_equal(dma_chan_name(&md->chans[1].chan), "dma0chan1");
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	assert_false(IS_ERR(chan));
	assert_ptr_equal(chan->device, &md->dma);
	assert_chan_works(chan);
	dma_release_channel(chan);
	assert_log_lines(0);
}

/* Unregister with a channel held: one warning; the release still works later. */
static void test_unregister_while_held(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	struct mock_chan *mc = &md->chans[0];
	struct dma_chan *chan = dma_get_slave_channel(&mc->chan);
	char buf[16];

	assert_ptr_equal(chan, &mc->chan);
	dma_async_device_unregister(&md->dma);
	assert_one_line("called while 1 clients hold a reference");
	assert_int_equal(log_level(0), DMAE_LOG_WARN);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "in_use", buf, sizeof(buf)), -ENODEV);
	/* The held channel keeps the device alive. */
	assert_int_equal(mock_count(&md->nr_release), 0);
	assert_int_equal(mock_count(&mc->nr_free), 0);

	log_reset();
	dma_release_channel(chan);
	assert_log_lines(0);
	assert_int_equal(mock_count(&mc->nr_sync), 1);
	assert_int_equal(mock_count(&mc->nr_free), 1);
	assert_int_equal(mock_count(&md->nr_release), 1);
	assert_registry_empty();
}

int core_register_tests(void)
{
	const struct CMUnitTest tests[] = {
		core_test(test_register_null),
		core_test(test_register_no_dev),
		core_test(test_register_cap_without_op),
		core_test(test_register_check_order),
		core_test(test_register_no_release_warns),
		core_test(test_register_async_tx),
		core_test(test_register_dev_ids),
		core_test(test_register_channel_ids),
		core_test(test_register_twice),
		core_test(test_register_failure_keeps_ids),
		core_test(test_register_again_after_unregister),
		core_test(test_unregister_while_held),
	};

	return cmocka_run_group_tests_name("core_register", tests, NULL, NULL);
}
