// SPDX-License-Identifier: MIT
/*
 * core_reuse.c - descriptor reuse (dmaengine_desc_set_reuse, desc_free) and
 * descriptor metadata (CLIENT and ENGINE modes, their mixing, missing ops).
 */
#include "core/core_test.h"

/* A registered device with @caps and its first channel, held. */
static struct dma_chan *hold_chan(struct mock_dev *md)
{
	struct dma_chan *chan;

	if (!md->dma.registered)
		assert_int_equal(mock_dev_register(md), 0);
	chan = dma_get_slave_channel(&md->chans[0].chan);
	assert_non_null(chan);
	return chan;
}

/* A descriptor of whatever kind the device can prepare. */
static struct dma_async_tx_descriptor *any_prep(struct dma_chan *chan)
{
	struct dma_async_tx_descriptor *tx;

	if (chan->device->device_prep_dma_memcpy)
		tx = core_prep_copy(chan, DMA_CTRL_ACK);
	else
		tx = dmaengine_prep_slave_single(chan, 0x1000, 64, DMA_MEM_TO_DEV, DMA_CTRL_ACK);
	assert_non_null(tx);
	return tx;
}

/* ----------------------------------------------------------------- reuse */

static void test_set_reuse_memcpy_unsupported(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));
	struct dma_chan *chan = hold_chan(md);
	struct dma_async_tx_descriptor *tx = any_prep(chan);

	assert_int_equal(dmaengine_desc_set_reuse(tx), -EPERM);
	assert_one_line("dma0chan0", "dmaengine_desc_set_reuse");
	assert_false(dmaengine_desc_test_reuse(tx));
	dma_release_channel(chan);
}

static void test_set_reuse_memcpy_supported(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));
	struct dma_chan *chan;
	struct dma_async_tx_descriptor *tx;

	md->dma.descriptor_reuse = true;
	chan = hold_chan(md);
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_set_reuse(tx), 0);
	assert_true(dmaengine_desc_test_reuse(tx));
	assert_true(tx->flags & DMA_CTRL_ACK); /* other flags kept */
	dmaengine_desc_clear_reuse(tx);
	assert_false(dmaengine_desc_test_reuse(tx));
	assert_int_equal(dmaengine_desc_set_reuse(tx), 0);
	/* A reusable descriptor is freed through the provider. */
	assert_int_equal(dmaengine_desc_free(tx), 0);
	assert_int_equal(mock_count(&md->chans[0].nr_desc_free), 1);
	assert_int_equal(mock_chan_descs_in_use(&md->chans[0]), 0);
	assert_log_lines(0);
	dma_release_channel(chan);
}

static void override_reuse_on(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	caps->descriptor_reuse = true;
}

static void override_reuse_off(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	caps->descriptor_reuse = false;
}

/* A slave device answers through dma_get_slave_caps, errors included. */
static void test_set_reuse_slave_follows_caps(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(SLAVE));
	struct dma_chan *chan;
	struct dma_async_tx_descriptor *tx;

	md->dma.descriptor_reuse = true;
	md->dma.directions = 0;
	chan = hold_chan(md);
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_set_reuse(tx), -ENXIO);
	assert_false(dmaengine_desc_test_reuse(tx));

	md->dma.directions = BIT(DMA_MEM_TO_DEV);
	assert_int_equal(dmaengine_desc_set_reuse(tx), 0);
	assert_true(dmaengine_desc_test_reuse(tx));

	dmaengine_desc_clear_reuse(tx);
	md->dma.descriptor_reuse = false;
	log_reset();
	assert_int_equal(dmaengine_desc_set_reuse(tx), -EPERM);
	assert_one_line("dmaengine_desc_set_reuse");

	md->dma.device_caps = override_reuse_on;
	assert_int_equal(dmaengine_desc_set_reuse(tx), 0);
	dmaengine_desc_clear_reuse(tx);
	md->dma.descriptor_reuse = true;
	md->dma.device_caps = override_reuse_off;
	assert_int_equal(dmaengine_desc_set_reuse(tx), -EPERM);
	dma_release_channel(chan);
}

static void test_set_reuse_null(void **state)
{
	assert_int_equal(dmaengine_desc_set_reuse(NULL), -EINVAL);
	assert_one_line("dmaengine_desc_set_reuse");
}

/* desc_free needs DMA_CTRL_REUSE; the provider is not asked otherwise. */
static void test_desc_free_needs_reuse(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));
	struct dma_chan *chan;
	struct dma_async_tx_descriptor *tx;

	md->dma.descriptor_reuse = true;
	chan = hold_chan(md);
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_free(tx), -EPERM);
	assert_one_line("dma0chan0", "dmaengine_desc_free", "DMA_CTRL_REUSE");
	assert_int_equal(mock_count(&md->chans[0].nr_desc_free), 0);
	assert_int_equal(mock_chan_descs_in_use(&md->chans[0]), 1);
	log_reset();
	assert_int_equal(dmaengine_desc_free(NULL), -EINVAL);
	assert_one_line("dmaengine_desc_free");
	dma_release_channel(chan);
}

/* -------------------------------------------------------------- metadata */

static struct dma_chan *md_chan(enum dma_desc_metadata_mode modes,
				struct dma_descriptor_metadata_ops *ops)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 1, CAP(MEMCPY));

	md->dma.desc_metadata_modes = modes;
	md->md_ops = ops;
	return hold_chan(md);
}

static void test_metadata_unsupported(void **state)
{
	struct dma_chan *chan = md_chan(DESC_METADATA_NONE, &mock_metadata_ops);
	struct dma_async_tx_descriptor *tx = any_prep(chan);
	size_t payload = 1, max = 1;
	u8 buf[8];

	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, sizeof(buf)), -ENOTSUPP);
	assert_ptr_equal(dmaengine_desc_get_metadata_ptr(tx, &payload, &max), ERR_PTR(-ENOTSUPP));
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, 4), -ENOTSUPP);
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_NONE);
	assert_int_equal(to_mock_desc(tx)->client_md_len, 0);
	dma_release_channel(chan);
}

/* CLIENT mode: attach works, fixes the mode, ENGINE calls are then -EINVAL. */
static void test_metadata_client(void **state)
{
	struct dma_chan *chan = md_chan(DESC_METADATA_CLIENT, &mock_metadata_ops);
	struct dma_async_tx_descriptor *tx = any_prep(chan);
	size_t payload = 0, max = 0;
	u8 buf[8];

	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, sizeof(buf)), 0);
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_CLIENT);
	assert_ptr_equal(to_mock_desc(tx)->client_md, buf);
	assert_int_equal(to_mock_desc(tx)->client_md_len, sizeof(buf));
	assert_ptr_equal(dmaengine_desc_get_metadata_ptr(tx, &payload, &max), ERR_PTR(-EINVAL));
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, 4), -EINVAL);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, 4), 0);
	assert_int_equal(to_mock_desc(tx)->client_md_len, 4);
	/* ENGINE is not supported here: a fresh descriptor says -ENOTSUPP. */
	tx = any_prep(chan);
	assert_ptr_equal(dmaengine_desc_get_metadata_ptr(tx, &payload, &max), ERR_PTR(-ENOTSUPP));
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_NONE);
	dma_release_channel(chan);
}

/* ENGINE mode: get_ptr and set_len through the provider; attach is -EINVAL. */
static void test_metadata_engine(void **state)
{
	struct dma_chan *chan = md_chan(DESC_METADATA_CLIENT | DESC_METADATA_ENGINE,
					&mock_metadata_ops);
	struct dma_async_tx_descriptor *tx = any_prep(chan);
	size_t payload = 99, max = 99;
	u8 buf[8];
	void *p;

	p = dmaengine_desc_get_metadata_ptr(tx, &payload, &max);
	assert_ptr_equal(p, to_mock_desc(tx)->md_buf);
	assert_int_equal(payload, 0);
	assert_int_equal(max, MOCK_MD_MAX);
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_ENGINE);
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, 8), 0);
	p = dmaengine_desc_get_metadata_ptr(tx, &payload, &max);
	assert_int_equal(payload, 8);
	/* The provider's own error comes back. */
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, MOCK_MD_MAX + 1), -EINVAL);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, sizeof(buf)), -EINVAL);
	assert_null(to_mock_desc(tx)->client_md);

	/* set_len alone also fixes ENGINE mode. */
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, 2), 0);
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_ENGINE);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, sizeof(buf)), -EINVAL);
	dma_release_channel(chan);
}

static void test_metadata_null_desc(void **state)
{
	size_t payload, max;
	u8 buf[4];

	assert_int_equal(dmaengine_desc_attach_metadata(NULL, buf, sizeof(buf)), -EINVAL);
	assert_ptr_equal(dmaengine_desc_get_metadata_ptr(NULL, &payload, &max), ERR_PTR(-EINVAL));
	assert_int_equal(dmaengine_desc_set_metadata_len(NULL, 1), -EINVAL);
}

/* Mode supported but the provider gave no (or partial) ops: -ENOTSUPP. */
static void test_metadata_ops_missing(void **state)
{
	static struct dma_descriptor_metadata_ops attach_only;
	struct dma_chan *chan = md_chan(DESC_METADATA_CLIENT | DESC_METADATA_ENGINE, NULL);
	struct dma_async_tx_descriptor *tx;
	size_t payload, max;
	u8 buf[4];

	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, sizeof(buf)), -ENOTSUPP);
	tx = any_prep(chan);
	assert_ptr_equal(dmaengine_desc_get_metadata_ptr(tx, &payload, &max), ERR_PTR(-ENOTSUPP));
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, 1), -ENOTSUPP);

	attach_only.attach = mock_metadata_ops.attach;
	to_mock_chan(chan)->md->md_ops = &attach_only;
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, buf, sizeof(buf)), 0);
	tx = any_prep(chan);
	assert_ptr_equal(dmaengine_desc_get_metadata_ptr(tx, &payload, &max), ERR_PTR(-ENOTSUPP));
	tx = any_prep(chan);
	assert_int_equal(dmaengine_desc_set_metadata_len(tx, 1), -ENOTSUPP);
	dma_release_channel(chan);
}

static void test_metadata_mode_supported(void **state)
{
	struct dma_chan *chan = md_chan(DESC_METADATA_CLIENT, &mock_metadata_ops);

	assert_false(dmaengine_is_metadata_mode_supported(NULL, DESC_METADATA_CLIENT));
	assert_true(dmaengine_is_metadata_mode_supported(chan, DESC_METADATA_CLIENT));
	assert_false(dmaengine_is_metadata_mode_supported(chan, DESC_METADATA_ENGINE));
	assert_false(dmaengine_is_metadata_mode_supported(chan, DESC_METADATA_NONE));
	chan->device->desc_metadata_modes = DESC_METADATA_ENGINE;
	assert_true(dmaengine_is_metadata_mode_supported(chan, DESC_METADATA_ENGINE));
	assert_false(dmaengine_is_metadata_mode_supported(chan, DESC_METADATA_CLIENT));
	dma_release_channel(chan);
}

int core_reuse_tests(void)
{
	const struct CMUnitTest tests[] = {
		core_test(test_set_reuse_memcpy_unsupported),
		core_test(test_set_reuse_memcpy_supported),
		core_test(test_set_reuse_slave_follows_caps),
		core_test(test_set_reuse_null),
		core_test(test_desc_free_needs_reuse),
		core_test(test_metadata_unsupported),
		core_test(test_metadata_client),
		core_test(test_metadata_engine),
		core_test(test_metadata_null_desc),
		core_test(test_metadata_ops_missing),
		core_test(test_metadata_mode_supported),
	};

	return cmocka_run_group_tests_name("core_reuse", tests, NULL, NULL);
}
