// SPDX-License-Identifier: MIT
/*
 * core_summary.c - the debugfs summary text and the sysfs channel
 * attributes, byte for byte as the kernel writes them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/core_test.h"

static const struct dma_slave_map uart_map[] = {
	{ "uart0", "rx", NULL },
};

/* The route the router made, and how often it was freed. */
static int route_token;
static int route_frees;
static void *route_freed_data;
static struct device *route_freed_dev;

static void route_free(struct device *dev, void *route_data)
{
	route_frees++;
	route_freed_dev = dev;
	route_freed_data = route_data;
}

static bool chan1_filter(struct dma_chan *chan, void *param)
{
	return chan->chan_id == 1;
}

static void test_summary_empty(void **state)
{
	char buf[16] = "junk";

	assert_int_equal(dmaengine_summary(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(dmaengine_summary(NULL, 0), 0);
}

/* A client name, "in-use", a router, a blank line between devices. */
static void test_summary_text(void **state)
{
	static const char want[] =
		"dma0 (mockA): number of channels: 2\n"
		" dma0chan1    | uart0:rx\n"
		"\n"
		"dma1 (mockB): number of channels: 3\n"
		" dma1chan0    | in-use\n"
		" dma1chan2    | in-use (via router: 4a002000.dma-router)\n";
	struct mock_dev *a = mock_dev_alloc("mockA", 2, CAP(SLAVE));
	struct dma_router router = { .route_free = route_free };
	struct device uart, rdev;
	struct mock_dev *b;
	dma_cap_mask_t mask;
	struct dma_chan *rx, *c0, *c2;
	char buf[512];

	a->dma.filter.map = uart_map;
	a->dma.filter.mapcnt = 1;
	a->dma.filter.fn = chan1_filter;
	assert_int_equal(mock_dev_register(a), 0);
	b = mock_dev_create("mockB", 3, CAP(MEMCPY));
	dmae_device_init(&uart, "uart0");
	dmae_device_init(&rdev, "4a002000.dma-router");
	router.dev = &rdev;

	rx = dma_request_chan(&uart, "rx");
	assert_ptr_equal(rx, &a->chans[1].chan);
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	c0 = dma_request_chan_by_mask(&mask);
	assert_ptr_equal(c0, &b->chans[0].chan);
	c2 = dma_get_slave_channel(&b->chans[2].chan);
	assert_non_null(c2);
	c2->router = &router;
	c2->route_data = &route_token;

	assert_int_equal(dmaengine_summary(buf, sizeof(buf)), strlen(want));
	assert_string_equal(buf, want);

	/* Release frees the route once and forgets the router. */
	route_frees = 0;
	dma_release_channel(c2);
	assert_int_equal(route_frees, 1);
	assert_ptr_equal(route_freed_dev, &rdev);
	assert_ptr_equal(route_freed_data, &route_token);
	assert_null(c2->router);
	dma_release_channel(rx);
	dma_release_channel(c0);
	dmaengine_summary(buf, sizeof(buf));
	assert_string_equal(buf, "dma0 (mockA): number of channels: 2\n"
				 "\n"
				 "dma1 (mockB): number of channels: 3\n");
	assert_log_lines(0);
}

/* Public channels (no client name) read "in-use". */
static void test_summary_public(void **state)
{
	char buf[256];

	mock_dev_create("mock0", 2, CAP(MEMCPY));
	core_get();
	dmaengine_summary(buf, sizeof(buf));
	assert_string_equal(buf, "dma0 (mock0): number of channels: 2\n"
				 " dma0chan0    | in-use\n"
				 " dma0chan1    | in-use\n");
	core_put();
}

/* Truncation: NUL-terminated prefix, the return value the whole length. */
static void test_summary_truncation(void **state)
{
	static const char want[] = "dma0 (mock0): number of channels: 1\n";
	char buf[64];

	mock_dev_create("mock0", 1, CAP(MEMCPY));
	assert_int_equal(dmaengine_summary(NULL, 0), strlen(want));
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(dmaengine_summary(buf, 10), strlen(want));
	assert_string_equal(buf, "dma0 (moc");
	assert_int_equal(buf[10], 'x'); /* nothing written past size */
	assert_int_equal(dmaengine_summary(buf, 1), strlen(want));
	assert_string_equal(buf, "");
	assert_int_equal(dmaengine_summary(buf, strlen(want)), strlen(want));
	assert_int_equal(strlen(buf), strlen(want) - 1);
	assert_int_equal(dmaengine_summary(buf, strlen(want) + 1), strlen(want));
	assert_string_equal(buf, want);
}

static void custom_show(struct seq_file *s, struct dma_device *dma)
{
	seq_printf(s, " custom %u\n", dma->chancnt);
}

/* A provider's dbg_summary_show replaces the channel lines. */
static void test_summary_provider_show(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock0", 2, CAP(MEMCPY));
	struct dma_chan *chan;
	char buf[128];

	md->dma.dbg_summary_show = custom_show;
	assert_int_equal(mock_dev_register(md), 0);
	chan = dma_get_slave_channel(&md->chans[0].chan);
	dmaengine_summary(buf, sizeof(buf));
	assert_string_equal(buf, "dma0 (mock0): number of channels: 2\n custom 2\n");
	dma_release_channel(chan);
}

/* dmaengine_summary_print writes the same text. */
static void test_summary_print(void **state)
{
	char want[256], *text = NULL;
	size_t len = 0;
	FILE *f;

	mock_dev_create("mock0", 1, CAP(MEMCPY));
	mock_dev_create("mock1", 1, CAP(MEMCPY));
	dmaengine_summary(want, sizeof(want));
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(dmaengine_summary_print(f), 0);
	fclose(f);
	assert_string_equal(text, want);
	free(text);
}

/* ----------------------------------------------------------- attributes */

/* Read @attr of @chan: the text must be @want and the return its length. */
static void attr_check(const char *file, int line, const char *chan, const char *attr,
		       const char *want)
{
	char buf[64] = "";
	ssize_t n = dmaengine_chan_attr(chan, attr, buf, sizeof(buf));

	if (n != (ssize_t)strlen(want))
		print_error("%s/%s: returned %zd, want %zu\n", chan, attr, n, strlen(want));
	_assert_int_equal(n, strlen(want), file, line);
	_assert_string_equal(buf, want, file, line);
}
#define assert_attr(chan, attr, want) attr_check(__FILE__, __LINE__, (chan), (attr), (want))

static void test_chan_attr_values(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 2, CAP(MEMCPY));
	struct dma_chan *chan;

	assert_attr("dma0chan1", "in_use", "0\n");
	assert_attr("dma0chan1", "memcpy_count", "0\n");
	assert_attr("dma0chan1", "bytes_transferred", "0\n");
	chan = dma_get_slave_channel(&md->chans[1].chan);
	assert_attr("dma0chan1", "in_use", "1\n");
	dma_chan_stats_add(chan, 3, 4096);
	assert_attr("dma0chan1", "memcpy_count", "3\n");
	assert_attr("dma0chan1", "bytes_transferred", "4096\n");
	dma_chan_stats_add(chan, 2, 100);
	assert_attr("dma0chan1", "memcpy_count", "5\n");
	assert_attr("dma0chan1", "bytes_transferred", "4196\n");
	/* Counters are per channel. */
	assert_attr("dma0chan0", "memcpy_count", "0\n");
	dma_release_channel(chan);
	assert_attr("dma0chan1", "in_use", "0\n");
	/* Public references count too. */
	core_get();
	core_get();
	assert_attr("dma0chan0", "in_use", "2\n");
	core_put();
	core_put();
	assert_attr("dma0chan0", "in_use", "0\n");
	assert_log_lines(0);
}

static void test_chan_attr_errors(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	char buf[64];

	dma_chan_stats_add(&md->chans[0].chan, 1, 4196);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "nope", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(dmaengine_chan_attr("dma9chan9", "in_use", buf, sizeof(buf)), -ENODEV);
	assert_int_equal(dmaengine_chan_attr("dma0chan", "in_use", buf, sizeof(buf)), -ENODEV);
	assert_int_equal(dmaengine_chan_attr(NULL, "in_use", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "in_use", NULL, 8), -EINVAL);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "in_use", buf, 0), -EINVAL);
	/* "4196\n" needs 6 bytes with its NUL. */
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "bytes_transferred", buf, 5), -EINVAL);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "bytes_transferred", buf, 6), 5);
	assert_string_equal(buf, "4196\n");
	/* After unregister the channel's attributes are gone. */
	dma_async_device_unregister(&md->dma);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "in_use", buf, sizeof(buf)), -ENODEV);
	assert_int_equal(dmaengine_chan_attr("dma0chan0", "memcpy_count", buf, sizeof(buf)),
			 -ENODEV);
}

int core_summary_tests(void)
{
	const struct CMUnitTest tests[] = {
		core_test(test_summary_empty),
		core_test(test_summary_text),
		core_test(test_summary_public),
		core_test(test_summary_truncation),
		core_test(test_summary_provider_show),
		core_test(test_summary_print),
		core_test(test_chan_attr_values),
		core_test(test_chan_attr_errors),
	};

	return cmocka_run_group_tests_name("core_summary", tests, NULL, NULL);
}
