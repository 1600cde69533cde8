// SPDX-License-Identifier: MIT
/*
 * test_mapping.c - the DMA mapping API: masks, the identity path, bounce
 * buffers for a 32-bit device in every direction, stale data on a
 * non-coherent device without syncs, scatterlist merging, coherent memory,
 * and bad input. The "device" accesses go through a real cpu-provider
 * channel given the mapped bus addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/os.h>

#include "map_util.h"

#define LEN 8192

static struct dma_device *cpu;
static struct dma_chan *chan;
static int lines; /* log lines since reset */

static void capture(enum dmae_log_level level, const char *line, void *arg)
{
	if (level != DMAE_LOG_DEBUG)
		__atomic_add_fetch(&lines, 1, __ATOMIC_RELAXED);
}

/* The "device" copies @len bytes between two bus addresses. */
static void device_copy(dma_addr_t dst, dma_addr_t src, size_t len)
{
	struct dma_async_tx_descriptor *tx =
		dmaengine_prep_dma_memcpy(chan, dst, src, len, DMA_CTRL_ACK);
	dma_cookie_t cookie;

	assert_non_null(tx);
	cookie = dmaengine_submit(tx);
	assert_true(cookie > 0);
	assert_int_equal(dma_sync_wait(chan, cookie), DMA_COMPLETE);
}

static void device_fill(dma_addr_t dst, int value, size_t len)
{
	struct dma_async_tx_descriptor *tx =
		dmaengine_prep_dma_memset(chan, dst, value, len, DMA_CTRL_ACK);
	dma_cookie_t cookie;

	assert_non_null(tx);
	cookie = dmaengine_submit(tx);
	assert_true(cookie > 0);
	assert_int_equal(dma_sync_wait(chan, cookie), DMA_COMPLETE);
}

/* ------------------------------------------------------------------ tests */

static void test_masks(void **state)
{
	struct device dev, nomask;
	struct device_dma_parameters parms = { 0 };

	dmae_device_init(&dev, "masks");
	assert_int_equal(dma_get_mask(&dev), DMA_BIT_MASK(64));
	assert_int_equal(dma_set_mask(&dev, 0), -EIO);
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(24)), -EIO); /* below the pool */
	assert_int_equal(dma_get_mask(&dev), DMA_BIT_MASK(64));	      /* unchanged */
	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(32)), 0);
	assert_int_equal(dma_get_mask(&dev), DMA_BIT_MASK(32));
	assert_int_equal(dev.coherent_dma_mask, DMA_BIT_MASK(32));
	assert_int_equal(dma_set_coherent_mask(&dev, DMA_BIT_MASK(40)), 0);
	assert_int_equal(dev.coherent_dma_mask, DMA_BIT_MASK(40));
	assert_true(DMA_BIT_MASK(64) == ~0ULL);

	dmae_device_init(&nomask, "nomask");
	nomask.dma_mask = NULL;
	assert_int_equal(dma_set_mask(&nomask, DMA_BIT_MASK(32)), -EIO);

	/* Segment limits need dma_parms; defaults without. */
	assert_int_equal(dma_set_max_seg_size(&dev, 4096), -EIO);
	assert_int_equal(dma_get_max_seg_size(&dev), 65536);
	assert_true(dma_get_seg_boundary(&dev) == ~0UL);
	dev.dma_parms = &parms;
	assert_int_equal(dma_set_max_seg_size(&dev, 4096), 0);
	assert_int_equal(dma_set_seg_boundary(&dev, 0xffff), 0);
	assert_int_equal(dma_get_max_seg_size(&dev), 4096);
	assert_true(dma_get_seg_boundary(&dev) == 0xffff);
}

static void test_bad_input(void **state)
{
	struct device dev;
	static u8 buf[64];

	dmae_device_init(&dev, "bad");
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	assert_true(dma_mapping_error(&dev, dma_map_single(&dev, NULL, 64, DMA_TO_DEVICE)) ==
		    -ENOMEM);
	assert_true(dma_map_single(&dev, buf, 0, DMA_TO_DEVICE) == DMA_MAPPING_ERROR);
	assert_true(dma_map_single(&dev, buf, 64, DMA_NONE) == DMA_MAPPING_ERROR);
	assert_true(dma_map_page(&dev, NULL, 0, 64, DMA_TO_DEVICE) == DMA_MAPPING_ERROR);
	assert_int_equal(dma_map_sg(&dev, NULL, 1, DMA_TO_DEVICE), 0);
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 5); /* one line each */
	assert_int_equal(dma_mapping_error(&dev, (dma_addr_t)(uintptr_t)buf), 0);
	/* Unmapping what was never mapped on the identity path: nothing happens. */
	dma_unmap_single(&dev, (dma_addr_t)(uintptr_t)buf, 64, DMA_TO_DEVICE);
	assert_null(dma_alloc_coherent(&dev, 0, &(dma_addr_t){ 0 }, GFP_KERNEL));
}

/* A coherent 64-bit device sees host addresses: nothing is copied. */
static void test_identity(void **state)
{
	struct device dev;
	struct page *pg = alloc_page(GFP_KERNEL);
	u8 *buf = map_test_high_buf(LEN);
	dma_addr_t a;

	dmae_device_init(&dev, "identity");
	a = dma_map_single(&dev, buf, LEN, DMA_BIDIRECTIONAL);
	assert_true(a == (dma_addr_t)(uintptr_t)buf);
	dma_sync_single_for_cpu(&dev, a, LEN, DMA_BIDIRECTIONAL);
	dma_unmap_single(&dev, a, LEN, DMA_BIDIRECTIONAL);
	a = dma_map_page(&dev, pg, 100, 200, DMA_TO_DEVICE);
	assert_true(a == (dma_addr_t)(uintptr_t)page_address(pg) + 100);
	dma_unmap_page(&dev, a, 200, DMA_TO_DEVICE);
	__free_page(pg);
	munmap(buf, LEN);
}

/* A 32-bit device and buffers above 4 GiB: bounced, and right both ways. */
static void test_bounce_32bit(void **state)
{
	struct device dev;
	u8 *src = map_test_high_buf(LEN), *dst = map_test_high_buf(LEN), *both = map_test_high_buf(LEN);
	u8 *ref = malloc(LEN);
	dma_addr_t s, d, b;

	assert_non_null(ref);
	dmae_device_init(&dev, "dev32");
	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(32)), 0);
	map_test_fill(src, LEN, 1);
	memset(dst, 0xee, LEN);

	/* TO_DEVICE and FROM_DEVICE: the device copies src to dst. */
	s = dma_map_single(&dev, src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(&dev, dst, LEN, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, s));
	assert_false(dma_mapping_error(&dev, d));
	assert_true(s <= DMA_BIT_MASK(32) && s + LEN - 1 <= DMA_BIT_MASK(32));
	assert_true(d <= DMA_BIT_MASK(32) && s != (dma_addr_t)(uintptr_t)src);
	device_copy(d, s, LEN);
	assert_true(dst[0] == 0xee); /* not back before the unmap */
	dma_unmap_single(&dev, d, LEN, DMA_FROM_DEVICE);
	dma_unmap_single(&dev, s, LEN, DMA_TO_DEVICE);
	assert_memory_equal(dst, src, LEN);

	/* BIDIRECTIONAL: the device reads the old content and writes new. */
	map_test_fill(both, LEN, 2);
	memcpy(ref, both, LEN);
	memset(dst, 0, LEN);
	b = dma_map_single(&dev, both, LEN, DMA_BIDIRECTIONAL);
	d = dma_map_single(&dev, dst, LEN, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, b));
	device_copy(d, b, LEN);		 /* reads what the CPU wrote */
	device_fill(b + 100, 0x5a, 300); /* writes */
	dma_unmap_single(&dev, d, LEN, DMA_FROM_DEVICE);
	dma_unmap_single(&dev, b, LEN, DMA_BIDIRECTIONAL);
	assert_memory_equal(dst, ref, LEN);
	memset(ref + 100, 0x5a, 300);
	assert_memory_equal(both, ref, LEN);
	free(ref);
	munmap(src, LEN);
	munmap(dst, LEN);
	munmap(both, LEN);
}

/* A non-coherent device: without a sync the CPU sees stale data, with one it
 * sees the device's; and the device sees the CPU's writes only after a sync
 * for the device. */
static void test_noncoherent_sync(void **state)
{
	struct device dev;
	static u8 buf[LEN], out[LEN];
	dma_addr_t a, o;

	dmae_device_init(&dev, "noncoherent");
	dev.dma_coherent = false;
	memset(buf, 0x11, LEN);
	a = dma_map_single(&dev, buf, LEN, DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(&dev, a));
	assert_true(a != (dma_addr_t)(uintptr_t)buf);

	device_fill(a, 0x22, LEN);
	assert_int_equal(buf[0], 0x11); /* stale: no sync yet */
	dma_sync_single_for_cpu(&dev, a, LEN, DMA_BIDIRECTIONAL);
	assert_int_equal(buf[0], 0x22);
	assert_int_equal(buf[LEN - 1], 0x22);

	/* The CPU writes; the device reads the old data until synced for it. */
	memset(buf, 0x33, LEN);
	o = dma_map_single(&dev, out, LEN, DMA_FROM_DEVICE);
	device_copy(o, a, LEN);
	dma_sync_single_for_cpu(&dev, o, LEN, DMA_FROM_DEVICE);
	assert_int_equal(out[0], 0x22); /* the device did not see it */
	dma_sync_single_for_device(&dev, a, LEN, DMA_BIDIRECTIONAL);
	device_copy(o, a, LEN);
	dma_unmap_single(&dev, o, LEN, DMA_FROM_DEVICE);
	assert_int_equal(out[0], 0x33);
	assert_int_equal(out[LEN - 1], 0x33);
	dma_unmap_single(&dev, a, LEN, DMA_BIDIRECTIONAL);

	/* A partial sync copies just that part. */
	memset(buf, 0x44, LEN);
	a = dma_map_single(&dev, buf, LEN, DMA_FROM_DEVICE);
	device_fill(a, 0x55, LEN);
	dma_sync_single_for_cpu(&dev, a + 1024, 512, DMA_FROM_DEVICE);
	assert_int_equal(buf[1023], 0x44);
	assert_int_equal(buf[1024], 0x55);
	assert_int_equal(buf[1535], 0x55);
	assert_int_equal(buf[1536], 0x44);
	dma_unmap_single(&dev, a, LEN, DMA_FROM_DEVICE);
	assert_int_equal(buf[LEN - 1], 0x55);
}

/* Adjacent entries merge, within the segment size and boundary. */
static void test_sg_merge(void **state)
{
	struct device dev;
	struct device_dma_parameters parms = { 0 };
	static u8 buf[16384] __attribute__((aligned(4096)));
	struct scatterlist sg[8], *s;
	int n, i;

	dmae_device_init(&dev, "sg");
	sg_init_table(sg, 8);
	for (i = 0; i < 8; i++)
		sg_set_buf(&sg[i], buf + i * 1024, 1024);
	n = dma_map_sg(&dev, sg, 8, DMA_TO_DEVICE);
	assert_int_equal(n, 1);
	assert_true(sg_dma_address(&sg[0]) == (dma_addr_t)(uintptr_t)buf);
	assert_int_equal(sg_dma_len(&sg[0]), 8192);
	assert_int_equal(sg_dma_len(&sg[1]), 0); /* the rest map nothing */
	dma_unmap_sg(&dev, sg, 8, DMA_TO_DEVICE);

	/* At most 2 KiB per segment: 4 entries. */
	dev.dma_parms = &parms;
	dma_set_max_seg_size(&dev, 2048);
	n = dma_map_sg(&dev, sg, 8, DMA_TO_DEVICE);
	assert_int_equal(n, 4);
	for_each_sg(sg, s, n, i) {
		assert_true(sg_dma_address(s) == (dma_addr_t)(uintptr_t)(buf + i * 2048));
		assert_int_equal(sg_dma_len(s), 2048);
	}
	dma_unmap_sg(&dev, sg, 8, DMA_TO_DEVICE);

	/* A 4 KiB boundary with 3 KiB entries starting at 1 KiB: no merge across it. */
	dma_set_max_seg_size(&dev, 65536);
	dma_set_seg_boundary(&dev, 4095);
	sg_init_table(sg, 4);
	for (i = 0; i < 4; i++)
		sg_set_buf(&sg[i], buf + 1024 + i * 3072, 3072);
	n = dma_map_sg(&dev, sg, 4, DMA_TO_DEVICE);
	assert_int_equal(n, 4); /* each merge would cross a 4 KiB line */
	for_each_sg(sg, s, n, i) {
		assert_true(sg_dma_address(s) == (dma_addr_t)(uintptr_t)(buf + 1024 + i * 3072));
		assert_int_equal(sg_dma_len(s), 3072);
	}
	/* Without the boundary the four are one run. */
	dma_unmap_sg(&dev, sg, 4, DMA_TO_DEVICE);
	dma_set_seg_boundary(&dev, ~0UL);
	assert_int_equal(dma_map_sg(&dev, sg, 4, DMA_TO_DEVICE), 1);
	assert_int_equal(sg_dma_len(&sg[0]), 4 * 3072);
	dma_unmap_sg(&dev, sg, 4, DMA_TO_DEVICE);

	/* Entries that are not adjacent stay apart. */
	dma_set_seg_boundary(&dev, ~0UL);
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], buf, 512);
	sg_set_buf(&sg[1], buf + 4096, 512);
	sg_set_buf(&sg[2], buf + 4608, 512);
	n = dma_map_sg(&dev, sg, 3, DMA_TO_DEVICE);
	assert_int_equal(n, 2);
	assert_true(sg_dma_address(&sg[1]) == (dma_addr_t)(uintptr_t)(buf + 4096));
	assert_int_equal(sg_dma_len(&sg[1]), 1024);
	dma_unmap_sg(&dev, sg, 3, DMA_TO_DEVICE);
}

/* A bounced scatterlist: every entry its own bounce buffer, right after unmap. */
static void test_sg_bounce(void **state)
{
	struct device dev;
	u8 *buf = map_test_high_buf(4 * 4096);
	static u8 src[4 * 3000];
	struct scatterlist sg[4];
	int n;

	dmae_device_init(&dev, "sg32");
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(32)), 0);
	map_test_fill(src, sizeof(src), 3);
	sg_init_table(sg, 4);
	for (int i = 0; i < 4; i++)
		sg_set_buf(&sg[i], buf + i * 4096 + 7, 3000);
	n = dma_map_sg(&dev, sg, 4, DMA_FROM_DEVICE);
	assert_int_equal(n, 4);
	for (int i = 0; i < 4; i++) {
		assert_true(sg_dma_address(&sg[i]) <= DMA_BIT_MASK(32));
		device_copy(sg_dma_address(&sg[i]), (dma_addr_t)(uintptr_t)(src + i * 3000), 3000);
	}
	dma_unmap_sg(&dev, sg, 4, DMA_FROM_DEVICE);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(buf + i * 4096 + 7, src + i * 3000, 3000);
	munmap(buf, 4 * 4096);
}

static void test_coherent(void **state)
{
	struct device dev;
	dma_addr_t h;
	u8 *p;

	dmae_device_init(&dev, "coherent");
	p = dma_alloc_coherent(&dev, 10000, &h, GFP_KERNEL);
	assert_non_null(p);
	assert_true(h == (dma_addr_t)(uintptr_t)p);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(p[i], 0);
	device_fill(h, 0x77, 10000); /* shared: no sync needed */
	assert_int_equal(p[9999], 0x77);
	dma_free_coherent(&dev, 10000, p, h);

	assert_int_equal(dma_set_coherent_mask(&dev, DMA_BIT_MASK(32)), 0);
	p = dma_alloc_coherent(&dev, 4096, &h, GFP_KERNEL);
	assert_non_null(p);
	assert_true(h + 4095 <= DMA_BIT_MASK(32));
	dma_free_coherent(&dev, 4096, p, h);
}

/* The pool runs out with one line, and works again once mappings go. */
static void test_bounce_pool_full(void **state)
{
	struct device dev;
	size_t big = 3u << 20; /* the pool is 8 MiB here (DMAENGINE_SWIOTLB_MB) */
	u8 *buf = map_test_high_buf(big);
	dma_addr_t a[3];

	dmae_device_init(&dev, "full");
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(32)), 0);
	a[0] = dma_map_single(&dev, buf, big, DMA_TO_DEVICE);
	a[1] = dma_map_single(&dev, buf, big, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a[0]));
	assert_false(dma_mapping_error(&dev, a[1]));
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	a[2] = dma_map_single(&dev, buf, big, DMA_TO_DEVICE);
	assert_true(dma_mapping_error(&dev, a[2]));
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 1);
	dma_unmap_single(&dev, a[0], big, DMA_TO_DEVICE);
	a[2] = dma_map_single(&dev, buf, big, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a[2]));
	dma_unmap_single(&dev, a[1], big, DMA_TO_DEVICE);
	dma_unmap_single(&dev, a[2], big, DMA_TO_DEVICE);
	munmap(buf, big);
}

static int setup(void **state)
{
	struct dma_cpu_params p;
	dma_cap_mask_t mask;

	dmae_set_log_handler(capture, NULL);
	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 1;
	cpu = dma_cpu_probe(&p);
	assert_false(IS_ERR(cpu));
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, NULL, NULL);
	assert_non_null(chan);
	return 0;
}

static int teardown(void **state)
{
	dma_release_channel(chan);
	return dma_cpu_remove(cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_bounce_32bit),
		cmocka_unit_test(test_noncoherent_sync),
		cmocka_unit_test(test_sg_merge),
		cmocka_unit_test(test_sg_bounce),
		cmocka_unit_test(test_coherent),
		cmocka_unit_test(test_bounce_pool_full),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	setenv("DMAENGINE_SWIOTLB_MB", "8", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
