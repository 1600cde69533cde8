// SPDX-License-Identifier: MIT
/*
 * test_core_platform.c - the default platform: with no setup a DMA_MEMCPY
 * request gets a channel of the cpu provider; dmaengine_platform_exit refuses
 * while a channel is held; DMAENGINE_PLATFORM=none turns the default off.
 *
 * Unlike test_core, DMAENGINE_PLATFORM is not set here. Each test leaves the
 * platform exited (and the variable unset), so the next one probes afresh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/dmaengine.h>

static dma_cap_mask_t memcpy_mask(void)
{
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	return mask;
}

/* Start each test with the platform down and the environment clean. */
static int platform_setup(void **state)
{
	unsetenv("DMAENGINE_PLATFORM");
	return dmaengine_platform_exit();
}

static int platform_teardown(void **state)
{
	unsetenv("DMAENGINE_PLATFORM");
	return dmaengine_platform_exit();
}

#define platform_test(f) cmocka_unit_test_setup_teardown(f, platform_setup, platform_teardown)

/* No setup at all: a memcpy channel of a "cpu-dma" device, and it copies. */
static void test_default_memcpy_channel(void **state)
{
	static u8 src[4096], dst[4096];
	dma_cap_mask_t mask = memcpy_mask();
	struct dma_async_tx_descriptor *tx;
	struct dma_chan *chan;
	dma_cookie_t cookie;

	chan = dma_request_chan_by_mask(&mask);
	assert_false(IS_ERR_OR_NULL(chan));
	assert_true(dma_has_cap(DMA_MEMCPY, chan->device->cap_mask));
	assert_int_equal(strncmp(dev_name(chan->device->dev), "cpu-dma", 7), 0);

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 13 + 5);
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)dst,
				       (dma_addr_t)(uintptr_t)src, sizeof(src), DMA_CTRL_ACK);
	assert_non_null(tx);
	cookie = dmaengine_submit(tx);
	assert_true(cookie >= DMA_MIN_COOKIE);
	assert_int_equal(dma_sync_wait(chan, cookie), DMA_COMPLETE);
	assert_memory_equal(src, dst, sizeof(src));
	dma_release_channel(chan);
}

/* Exit refuses while a channel is held, and succeeds after the release. */
static void test_default_exit_busy(void **state)
{
	dma_cap_mask_t mask = memcpy_mask();
	struct dma_chan *chan = dma_request_chan_by_mask(&mask);
	size_t len;

	assert_false(IS_ERR_OR_NULL(chan));
	assert_int_equal(dmaengine_platform_exit(), -EBUSY);
	/* Still registered and usable. */
	assert_true(dmaengine_summary(NULL, 0) > 0);
	dma_release_channel(chan);
	assert_int_equal(dmaengine_platform_exit(), 0);
	len = dmaengine_summary(NULL, 0);
	assert_int_equal(len, 0);
}

/* DMAENGINE_PLATFORM=none: nothing is probed, so a request must defer. */
static void test_default_none_defers(void **state)
{
	dma_cap_mask_t mask = memcpy_mask();
	struct dma_chan *chan;

	setenv("DMAENGINE_PLATFORM", "none", 1);
	assert_int_equal(dmaengine_platform_exit(), 0);
	assert_int_equal(dmaengine_platform_init(), 0);
	assert_int_equal(dmaengine_summary(NULL, 0), 0);
	assert_int_equal(PTR_ERR(dma_request_chan_by_mask(&mask)), -EPROBE_DEFER);

	/* Back to the default: the next request probes the cpu device again. */
	unsetenv("DMAENGINE_PLATFORM");
	assert_int_equal(dmaengine_platform_exit(), 0);
	chan = dma_request_chan_by_mask(&mask);
	assert_false(IS_ERR_OR_NULL(chan));
	assert_int_equal(strncmp(dev_name(chan->device->dev), "cpu-dma", 7), 0);
	dma_release_channel(chan);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		platform_test(test_default_memcpy_channel),
		platform_test(test_default_exit_busy),
		platform_test(test_default_none_defers),
	};

	unsetenv("DMAENGINE_DEBUG");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("core_platform", tests, NULL, NULL) ? 1 : 0;
}
