// SPDX-License-Identifier: MIT
/*
 * core_request.c - channel requests and releases: by mask, by mask and
 * filter, by name through dma_slave_map, by pointer; DMA_PRIVATE and
 * privatecnt; alloc/free/synchronize calls; public channels (dmaengine_get,
 * dma_find_channel); dma_get_slave_caps.
 */
#include "core/core_test.h"

static dma_cap_mask_t mask_of(unsigned long caps)
{
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	mask.bits[0] = caps;
	return mask;
}

static bool dev_private(struct mock_dev *md)
{
	return dma_has_cap(DMA_PRIVATE, md->dma.cap_mask);
}

/* ------------------------------------------------------------ by mask */

static void test_request_by_mask_null(void **state)
{
	assert_int_equal(PTR_ERR(dma_request_chan_by_mask(NULL)), -ENODEV);
}

static void test_request_by_mask_no_devices(void **state)
{
	dma_cap_mask_t mask = mask_of(CAP(MEMCPY));

	assert_int_equal(PTR_ERR(dma_request_chan_by_mask(&mask)), -EPROBE_DEFER);
}

/* Devices exist but none covers the whole mask: -ENODEV. */
static void test_request_by_mask_no_caps(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY) | CAP(MEMSET));
	dma_cap_mask_t xor = mask_of(CAP(XOR));
	dma_cap_mask_t both = mask_of(CAP(MEMCPY) | CAP(XOR));

	assert_int_equal(PTR_ERR(dma_request_chan_by_mask(&xor)), -ENODEV);
	assert_int_equal(PTR_ERR(dma_request_chan_by_mask(&both)), -ENODEV);
	assert_false(dev_private(md));
	assert_int_equal(md->dma.privatecnt, 0);
	assert_int_equal(mock_count(&md->chans[0].nr_alloc), 0);
}

/* The first device covering the mask, its first free channel. */
static void test_request_by_mask_picks_device(void **state)
{
	struct mock_dev *a = mock_dev_create("mockA", 2, CAP(MEMCPY));
	struct mock_dev *b = mock_dev_create("mockB", 2, CAP(MEMCPY) | CAP(MEMSET));
	dma_cap_mask_t memset_mask = mask_of(CAP(MEMSET));
	dma_cap_mask_t memcpy_mask = mask_of(CAP(MEMCPY));
	struct dma_chan *c1, *c2, *c3;

	c1 = dma_request_chan_by_mask(&memset_mask);
	assert_ptr_equal(c1, &b->chans[0].chan);
	c2 = dma_request_chan_by_mask(&memcpy_mask);
	assert_ptr_equal(c2, &a->chans[0].chan);
	c3 = dma_request_chan_by_mask(&memcpy_mask);
	assert_ptr_equal(c3, &a->chans[1].chan);
	assert_int_equal(mock_count(&a->chans[1].nr_alloc), 1);
	assert_int_equal(chan_attr_num(c3, "in_use"), 1);
	dma_release_channel(c1);
	dma_release_channel(c2);
	dma_release_channel(c3);
	assert_log_lines(0);
}

/* ------------------------------------------------------------ by filter */

struct filter_log {
	struct dma_chan *seen[8]; /* channels the filter was shown, in order */
	int n;			  /* entries of seen */
	int reject;		  /* say false to the first @reject channels */
	void *param_seen;	  /* the filter_param it was given */
};

static bool record_filter(struct dma_chan *chan, void *param)
{
	struct filter_log *log = param;

	log->param_seen = param;
	log->seen[log->n++] = chan;
	return log->n > log->reject;
}

/* The filter sees each free channel; false skips; the device turns PRIVATE. */
static void test_request_channel_filter(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 3, CAP(MEMCPY));
	dma_cap_mask_t mask = mask_of(CAP(MEMCPY));
	struct filter_log log = { .reject = 2 };
	struct dma_chan *c2, *c0;

	c2 = dma_request_channel(mask, record_filter, &log);
	assert_ptr_equal(c2, &md->chans[2].chan);
	assert_int_equal(log.n, 3);
	assert_ptr_equal(log.seen[0], &md->chans[0].chan);
	assert_ptr_equal(log.seen[1], &md->chans[1].chan);
	assert_ptr_equal(log.seen[2], &md->chans[2].chan);
	assert_ptr_equal(log.param_seen, &log);
	assert_true(dev_private(md));
	assert_int_equal(md->dma.privatecnt, 1);
	assert_int_equal(mock_count(&md->chans[2].nr_alloc), 1);
	assert_int_equal(mock_count(&md->chans[0].nr_alloc), 0);

	/* A held channel is not shown to the filter. */
	memset(&log, 0, sizeof(log));
	c0 = __dma_request_channel(&mask, record_filter, &log, NULL);
	assert_ptr_equal(c0, &md->chans[0].chan);
	assert_int_equal(log.n, 1);
	log.n = 0;
	log.reject = 8;
	assert_null(dma_request_channel(mask, record_filter, &log));
	assert_int_equal(log.n, 1);
	assert_ptr_equal(log.seen[0], &md->chans[1].chan);
	assert_int_equal(md->dma.privatecnt, 2);

	dma_release_channel(c2);
	assert_int_equal(md->dma.privatecnt, 1);
	assert_true(dev_private(md));
	dma_release_channel(c0);
	assert_int_equal(md->dma.privatecnt, 0);
	assert_false(dev_private(md));
	assert_log_lines(0);
}

/* A filter that refuses everything: NULL, and nothing changed. */
static void test_request_channel_filter_rejects_all(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	dma_cap_mask_t mask = mask_of(CAP(MEMCPY));
	struct filter_log log = { .reject = 8 };

	assert_null(dma_request_channel(mask, record_filter, &log));
	assert_int_equal(log.n, 2);
	assert_false(dev_private(md));
	assert_int_equal(md->dma.privatecnt, 0);
	assert_int_equal(chan_attr_num(&md->chans[0].chan, "in_use"), 0);
	assert_int_equal(mock_count(&md->chans[0].nr_alloc), 0);
}

/* A multi-channel device with a public channel in use gives no private one. */
static void test_request_channel_public_busy(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	dma_cap_mask_t mask = mask_of(CAP(MEMCPY));
	struct dma_chan *chan;

	core_get();
	assert_int_equal(chan_attr_num(&md->chans[0].chan, "in_use"), 1);
	assert_int_equal(chan_attr_num(&md->chans[1].chan, "in_use"), 1);
	assert_null(dma_request_channel(mask, NULL, NULL));
	assert_int_equal(PTR_ERR(dma_request_chan_by_mask(&mask)), -ENODEV);
	assert_false(dev_private(md));
	assert_int_equal(md->dma.privatecnt, 0);
	core_put();
	assert_int_equal(chan_attr_num(&md->chans[0].chan, "in_use"), 0);
	chan = dma_request_chan_by_mask(&mask);
	assert_ptr_equal(chan, &md->chans[0].chan);
	dma_release_channel(chan);
}

/* ----------------------------------------------------- by dma_slave_map */

static int param_spi_rx = 0, param_uart_rx = 1, param_uart_tx = 2;

static const struct dma_slave_map slave_map[] = {
	{ "spi1", "rx", &param_spi_rx },
	{ "uart0", "rx", &param_uart_rx },
	{ "uart0", "tx", &param_uart_tx },
};

static void *map_param_seen;

/* The provider's filter: the channel whose chan_id the map entry names. */
static bool map_filter(struct dma_chan *chan, void *param)
{
	map_param_seen = param;
	return chan->chan_id == *(int *)param;
}

static struct mock_dev *slave_dev_create(const char *name)
{
	struct mock_dev *md = mock_dev_alloc(name, 3, CAP(SLAVE));

	md->dma.filter.map = slave_map;
	md->dma.filter.mapcnt = 3;
	md->dma.filter.fn = map_filter;
	md->dma.directions = BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM);
	assert_int_equal(mock_dev_register(md), 0);
	return md;
}

/* Exact devname and slave match; the provider's filter picks the channel. */
static void test_request_chan_map(void **state)
{
	struct mock_dev *md = slave_dev_create("mock0");
	struct device uart, spi;
	struct dma_chan *tx, *rx;
	char buf[512];

	dmae_device_init(&uart, "uart0");
	dmae_device_init(&spi, "spi1");
	map_param_seen = NULL;
	tx = dma_request_chan(&uart, "tx");
	assert_ptr_equal(tx, &md->chans[2].chan);
	assert_ptr_equal(map_param_seen, &param_uart_tx);
	assert_ptr_equal(tx->slave, &uart);
	assert_string_equal(tx->name, "dma:tx");
	assert_true(dev_private(md));
	rx = dma_request_chan(&spi, "rx");
	assert_ptr_equal(rx, &md->chans[0].chan);

	dmaengine_summary(buf, sizeof(buf));
	assert_non_null(strstr(buf, " dma0chan2    | uart0:tx\n"));
	assert_non_null(strstr(buf, " dma0chan0    | spi1:rx\n"));

	/* The channel the map names is taken: defer. */
	assert_int_equal(PTR_ERR(dma_request_chan(&uart, "tx")), -EPROBE_DEFER);
	dma_release_channel(tx);
	dma_release_channel(rx);
	dmaengine_summary(buf, sizeof(buf));
	assert_null(strstr(buf, "uart0:tx"));
	assert_false(dev_private(md));
	assert_log_lines(0);
}

/* No exact match: -EPROBE_DEFER; no channel is taken. */
static void test_request_chan_map_no_match(void **state)
{
	struct mock_dev *md = slave_dev_create("mock0");
	static const char *const names[] = { "uart", "uart00", "Uart0", "spi1" };
	struct device dev;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		dmae_device_init(&dev, names[i]);
		/* spi1 has only "rx"; the others match no devname at all */
		assert_int_equal(PTR_ERR(dma_request_chan(&dev, "tx")), -EPROBE_DEFER);
	}
	dmae_device_init(&dev, "uart0");
	assert_int_equal(PTR_ERR(dma_request_chan(&dev, "r")), -EPROBE_DEFER);
	assert_int_equal(PTR_ERR(dma_request_chan(&dev, "rx2")), -EPROBE_DEFER);
	assert_null(dma_request_slave_channel(&dev, "nope"));
	assert_int_equal(md->dma.privatecnt, 0);
	assert_false(dev_private(md));
	for (int i = 0; i < 3; i++)
		assert_int_equal(mock_count(&md->chans[i].nr_alloc), 0);
}

/* A map on a device without DMA_SLAVE is not used. */
static void test_request_chan_map_needs_slave(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 3, CAP(MEMCPY));
	struct device dev;

	md->dma.filter.map = slave_map;
	md->dma.filter.mapcnt = 3;
	md->dma.filter.fn = map_filter;
	assert_int_equal(mock_dev_register(md), 0);
	dmae_device_init(&dev, "uart0");
	assert_int_equal(PTR_ERR(dma_request_chan(&dev, "tx")), -EPROBE_DEFER);
}

static void test_request_chan_null_args(void **state)
{
	struct mock_dev *md = slave_dev_create("mock0");
	struct device dev;

	dmae_device_init(&dev, "uart0");
	assert_int_equal(PTR_ERR(dma_request_chan(NULL, "tx")), -EINVAL);
	assert_one_line("dma_request_chan");
	log_reset();
	assert_int_equal(PTR_ERR(dma_request_chan(&dev, NULL)), -EINVAL);
	assert_one_line("dma_request_chan");
	assert_int_equal(md->dma.privatecnt, 0);
}

/* -------------------------------------------------- by pointer, release */

static void test_get_slave_channel(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	struct dma_chan *c1 = &md->chans[1].chan;

	assert_null(dma_get_slave_channel(NULL));
	assert_ptr_equal(dma_get_slave_channel(c1), c1);
	assert_true(dev_private(md));
	assert_int_equal(md->dma.privatecnt, 1);
	assert_int_equal(mock_count(&md->chans[1].nr_alloc), 1);
	/* Held: NULL, and nothing counted twice. */
	assert_null(dma_get_slave_channel(c1));
	assert_int_equal(md->dma.privatecnt, 1);
	assert_int_equal(chan_attr_num(c1, "in_use"), 1);
	assert_int_equal(mock_count(&md->chans[1].nr_alloc), 1);
	dma_release_channel(c1);
	assert_false(dev_private(md));
	assert_ptr_equal(dma_get_slave_channel(c1), c1);
	dma_release_channel(c1);
	assert_log_lines(0);
}

/* Releasing twice: one line, and the second does nothing at all. */
static void test_release_twice(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	struct mock_chan *mc = &md->chans[0];
	struct dma_chan *other = dma_get_slave_channel(&md->chans[1].chan);
	struct dma_chan *chan = dma_get_slave_channel(&mc->chan);

	assert_non_null(other);
	assert_non_null(chan);
	assert_int_equal(md->dma.privatecnt, 2);
	dma_release_channel(chan);
	assert_log_lines(0);
	assert_int_equal(md->dma.privatecnt, 1);
	dma_release_channel(chan);
	assert_one_line("dma0chan0", "dma_release_channel");
	assert_int_equal(md->dma.privatecnt, 1);
	assert_true(dev_private(md));
	assert_int_equal(mock_count(&mc->nr_free), 1);
	assert_int_equal(mock_count(&mc->nr_sync), 1);
	assert_int_equal(chan_attr_num(chan, "in_use"), 0);
	/* The device's reference was not dropped a second time. */
	dma_release_channel(other);
	assert_int_equal(mock_count(&md->nr_release), 0);
	dma_async_device_unregister(&md->dma);
	assert_int_equal(mock_count(&md->nr_release), 1);

	log_reset();
	dma_release_channel(NULL);
	assert_one_line("dma_release_channel", "NULL");
}

/* alloc_chan_resources fails: its errno comes back, the channel stays free. */
static void test_alloc_failure(void **state)
{
	struct mock_dev *md = slave_dev_create("mock0");
	struct mock_chan *mc = &md->chans[2];
	dma_cap_mask_t mask = mask_of(CAP(SLAVE));
	struct device uart;
	struct dma_chan *chan;

	dmae_device_init(&uart, "uart0");
	mc->alloc_ret = -ENOMEM;
	assert_int_equal(PTR_ERR(dma_request_chan(&uart, "tx")), -ENOMEM);
	assert_int_equal(mock_count(&mc->nr_alloc), 1);
	assert_int_equal(chan_attr_num(&mc->chan, "in_use"), 0);
	assert_int_equal(md->dma.privatecnt, 0);
	assert_false(dev_private(md));
	mc->alloc_ret = -EIO;
	assert_int_equal(PTR_ERR(dma_request_chan(&uart, "tx")), -EIO);
	assert_null(dma_get_slave_channel(&mc->chan));
	assert_int_equal(md->dma.privatecnt, 0);
	assert_int_equal(mock_count(&mc->nr_free), 0);

	/* The channel was left free: it can be had once alloc works. */
	mc->alloc_ret = 0;
	chan = dma_request_chan(&uart, "tx");
	assert_ptr_equal(chan, &mc->chan);
	dma_release_channel(chan);
	/* By mask, the other channels are still there. */
	chan = dma_request_chan_by_mask(&mask);
	assert_ptr_equal(chan, &md->chans[0].chan);
	dma_release_channel(chan);
	/* The device reference taken for the failed allocations was given back. */
	dma_async_device_unregister(&md->dma);
	assert_int_equal(mock_count(&md->nr_release), 1);
}

/* free_chan_resources and device_synchronize (first) at the last reference only. */
static void test_release_frees_at_last_reference(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	struct mock_chan *mc = &md->chans[0];
	struct dma_chan *chan;

	core_get();
	core_get();
	assert_int_equal(mock_count(&mc->nr_alloc), 1);
	assert_int_equal(chan_attr_num(&mc->chan, "in_use"), 2);
	core_put();
	assert_int_equal(mock_count(&mc->nr_free), 0);
	assert_int_equal(mock_count(&mc->nr_sync), 0);
	assert_int_equal(chan_attr_num(&mc->chan, "in_use"), 1);
	core_put();
	assert_int_equal(mock_count(&mc->nr_sync), 1);
	assert_int_equal(mock_count(&mc->nr_free), 1);
	assert_true(mock_count(&mc->seq_sync) < mock_count(&mc->seq_free));
	/* Balanced gets and puts leave the registered device alive. */
	assert_int_equal(mock_count(&md->nr_release), 0);
	assert_string_equal(dma_chan_name(&mc->chan), "dma0chan0");

	/* A private channel: the same at dma_release_channel. */
	chan = dma_get_slave_channel(&mc->chan);
	assert_non_null(chan);
	assert_int_equal(mock_count(&mc->nr_alloc), 2);
	assert_chan_works(chan);
	dma_release_channel(chan);
	assert_int_equal(mock_count(&mc->nr_sync), 2);
	assert_int_equal(mock_count(&mc->nr_free), 2);
	assert_true(mock_count(&mc->seq_sync) < mock_count(&mc->seq_free));
	assert_log_lines(0);
}

/* ------------------------------------------------------ public channels */

static void test_find_channel(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1,
					      CAP(MEMCPY) | CAP(INTERRUPT) | CAP(SLAVE));
	struct dma_chan *chan = &md->chans[0].chan;
	struct mock_dev *late;

	assert_null(dma_find_channel(DMA_MEMCPY));
	core_get();
	assert_ptr_equal(dma_find_channel(DMA_MEMCPY), chan);
	assert_int_equal(chan_attr_num(chan, "in_use"), 1);
	/* Capabilities that are not operations never get a table entry. */
	assert_null(dma_find_channel(DMA_INTERRUPT));
	assert_null(dma_find_channel(DMA_PRIVATE));
	assert_null(dma_find_channel(DMA_SLAVE));
	assert_null(dma_find_channel(DMA_XOR));
	assert_null(dma_find_channel(DMA_TX_TYPE_END));

	/* A device registered while clients wait joins the public channels. */
	late = mock_dev_create("mock1", 1, CAP(MEMSET));
	assert_ptr_equal(dma_find_channel(DMA_MEMSET), &late->chans[0].chan);
	assert_int_equal(chan_attr_num(&late->chans[0].chan, "in_use"), 1);
	assert_int_equal(mock_count(&late->chans[0].nr_alloc), 1);

	core_put();
	assert_null(dma_find_channel(DMA_MEMCPY));
	assert_null(dma_find_channel(DMA_MEMSET));
	assert_int_equal(chan_attr_num(chan, "in_use"), 0);
	assert_int_equal(mock_count(&md->chans[0].nr_free), 1);
	assert_int_equal(mock_count(&late->chans[0].nr_free), 1);
	assert_log_lines(0);
}

/* dma_issue_pending_all issues on held public channels only. */
static void test_issue_pending_all(void **state)
{
	struct mock_dev *pub = mock_dev_create("mock0", 2, CAP(MEMCPY));
	struct mock_dev *priv = mock_dev_create("mock1", 2, CAP(MEMCPY));
	struct dma_chan *chan = dma_get_slave_channel(&priv->chans[0].chan);

	assert_non_null(chan);
	dma_issue_pending_all(); /* nothing public is held yet */
	assert_int_equal(mock_count(&pub->chans[0].nr_issue), 0);
	core_get();
	dma_issue_pending_all();
	assert_int_equal(mock_count(&pub->chans[0].nr_issue), 1);
	assert_int_equal(mock_count(&pub->chans[1].nr_issue), 1);
	assert_int_equal(mock_count(&priv->chans[0].nr_issue), 0);
	assert_int_equal(mock_count(&priv->chans[1].nr_issue), 0);
	core_put();
	dma_release_channel(chan);
}

/* dmaengine_put without dmaengine_get: one line, nothing released. */
static void test_put_without_get(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	struct dma_chan *chan = dma_get_slave_channel(&md->chans[0].chan);

	assert_non_null(chan);
	dmaengine_put();
	assert_one_line("dmaengine_put");
	assert_int_equal(chan_attr_num(chan, "in_use"), 1);
	assert_int_equal(mock_count(&md->chans[0].nr_free), 0);
	dma_release_channel(chan);
}

/* dma_get_any_slave_channel: the first free channel of a slave device. */
static void test_get_any_slave_channel(void **state)
{
	struct mock_dev *slave = mock_dev_create("mock0", 2, CAP(SLAVE));
	struct mock_dev *mem = mock_dev_create("mock1", 1, CAP(MEMCPY));
	struct dma_chan *c0, *c1;

	assert_null(dma_get_any_slave_channel(NULL));
	assert_null(dma_get_any_slave_channel(&mem->dma));
	c0 = dma_get_any_slave_channel(&slave->dma);
	assert_ptr_equal(c0, &slave->chans[0].chan);
	c1 = dma_get_any_slave_channel(&slave->dma);
	assert_ptr_equal(c1, &slave->chans[1].chan);
	assert_null(dma_get_any_slave_channel(&slave->dma));
	assert_int_equal(slave->dma.privatecnt, 2);
	dma_release_channel(c0);
	dma_release_channel(c1);
	assert_false(dev_private(slave));
}

/* A device in private use stays out of the public table. */
static void test_find_channel_skips_private(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	struct dma_chan *chan = dma_get_slave_channel(&md->chans[0].chan);

	assert_non_null(chan);
	core_get();
	assert_null(dma_find_channel(DMA_MEMCPY));
	assert_int_equal(chan_attr_num(&md->chans[1].chan, "in_use"), 0);
	core_put();
	dma_release_channel(chan);
}

/* ------------------------------------------------------------ slave caps */

static void override_caps(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	caps->max_burst = 99;
	caps->cmd_pause = false;
}

static void test_slave_caps(void **state)
{
	struct mock_dev *mem = mock_dev_create("mem", 1, CAP(MEMCPY));
	struct mock_dev *nodir = mock_dev_create("nodir", 1, CAP(SLAVE));
	struct mock_dev *cyc = mock_dev_alloc("cyclic", 1, CAP(CYCLIC));
	struct dma_slave_caps caps;

	cyc->dma.directions = BIT(DMA_DEV_TO_MEM);
	cyc->dma.src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	cyc->dma.dst_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) | BIT(DMA_SLAVE_BUSWIDTH_2_BYTES);
	cyc->dma.min_burst = 1;
	cyc->dma.max_burst = 16;
	cyc->dma.max_sg_burst = 4;
	cyc->dma.residue_granularity = DMA_RESIDUE_GRANULARITY_SEGMENT;
	cyc->dma.descriptor_reuse = true;
	cyc->dma.device_resume = NULL;
	assert_int_equal(mock_dev_register(cyc), 0);

	assert_int_equal(dma_get_slave_caps(NULL, &caps), -EINVAL);
	assert_int_equal(dma_get_slave_caps(&cyc->chans[0].chan, NULL), -EINVAL);
	assert_int_equal(dma_get_slave_caps(&mem->chans[0].chan, &caps), -ENXIO);
	assert_int_equal(dma_get_slave_caps(&nodir->chans[0].chan, &caps), -ENXIO);

	memset(&caps, 0xa5, sizeof(caps));
	assert_int_equal(dma_get_slave_caps(&cyc->chans[0].chan, &caps), 0);
	assert_int_equal(caps.directions, BIT(DMA_DEV_TO_MEM));
	assert_int_equal(caps.src_addr_widths, BIT(DMA_SLAVE_BUSWIDTH_4_BYTES));
	assert_int_equal(caps.dst_addr_widths,
			 BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) | BIT(DMA_SLAVE_BUSWIDTH_2_BYTES));
	assert_int_equal(caps.min_burst, 1);
	assert_int_equal(caps.max_burst, 16);
	assert_int_equal(caps.max_sg_burst, 4);
	assert_int_equal(caps.residue_granularity, DMA_RESIDUE_GRANULARITY_SEGMENT);
	assert_true(caps.descriptor_reuse);
	assert_true(caps.cmd_pause);
	assert_false(caps.cmd_resume);
	assert_true(caps.cmd_terminate);

	/* The provider's device_caps has the last word. */
	cyc->dma.device_caps = override_caps;
	cyc->dma.device_terminate_all = NULL;
	assert_int_equal(dma_get_slave_caps(&cyc->chans[0].chan, &caps), 0);
	assert_int_equal(caps.max_burst, 99);
	assert_false(caps.cmd_pause);
	assert_false(caps.cmd_terminate);
	assert_int_equal(caps.min_burst, 1);
}

int core_request_tests(void)
{
	const struct CMUnitTest tests[] = {
		core_test(test_request_by_mask_null),
		core_test(test_request_by_mask_no_devices),
		core_test(test_request_by_mask_no_caps),
		core_test(test_request_by_mask_picks_device),
		core_test(test_request_channel_filter),
		core_test(test_request_channel_filter_rejects_all),
		core_test(test_request_channel_public_busy),
		core_test(test_request_chan_map),
		core_test(test_request_chan_map_no_match),
		core_test(test_request_chan_map_needs_slave),
		core_test(test_request_chan_null_args),
		core_test(test_get_slave_channel),
		core_test(test_release_twice),
		core_test(test_alloc_failure),
		core_test(test_release_frees_at_last_reference),
		core_test(test_find_channel),
		core_test(test_find_channel_skips_private),
		core_test(test_issue_pending_all),
		core_test(test_put_without_get),
		core_test(test_get_any_slave_channel),
		core_test(test_slave_caps),
	};

	return cmocka_run_group_tests_name("core_request", tests, NULL, NULL);
}
