// SPDX-License-Identifier: MIT
/*
 * test_iommu.c - IOMMU domains and bus access: a cpu device behind its own
 * IOMMU copies through IOVAs; an access outside its mappings, or against
 * their direction, fails the descriptor (READ_FAILED / WRITE_FAILED, the
 * residue, DMA_ERROR), is recorded in the domain and touches no memory; a
 * scatterlist maps to one IOVA range; a 32-bit device reaches high memory
 * without bouncing; a non-coherent device still needs its syncs; RAID
 * operations fault per buffer; and the identity path refuses what a device
 * cannot address.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <dmaengine/bus.h>
#include <dmaengine/cpu.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/iommu.h>
#include <dmaengine/os.h>

#include "drivers/cpu/cpu-dma.h" /* white-box: was the run shared? */
#include "map_util.h"

#define LEN (3 * 4096 + 100)

static struct dma_device *cpu;
static struct dma_chan *chan;
static struct device *dev;   /* the cpu device's struct device, behind the IOMMU */
static struct iommu_domain *dom;
static int lines;	     /* log lines since reset */
static char last_line[256];
static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;

static void capture(enum dmae_log_level level, const char *line, void *arg)
{
	/* DMA-API debug's reports (DMAENGINE_DMA_DEBUG=1) are not this test's. */
	if (level == DMAE_LOG_DEBUG || !strncmp(line, "DMA-API:", 8))
		return;
	/* Faults may be reported by several workers at once. */
	pthread_mutex_lock(&line_lock);
	snprintf(last_line, sizeof(last_line), "%s", line);
	pthread_mutex_unlock(&line_lock);
	__atomic_add_fetch(&lines, 1, __ATOMIC_RELAXED);
}

struct outcome {
	struct completion done;
	struct dmaengine_result res;
};

static void note_result(void *param, const struct dmaengine_result *res)
{
	struct outcome *o = param;

	o->res = *res;
	complete(&o->done);
}

/* Submit @tx, wait for its callback: its result, and its status in *@st. */
static struct dmaengine_result run(struct dma_async_tx_descriptor *tx, enum dma_status *st)
{
	struct outcome o;
	dma_cookie_t cookie;

	assert_non_null(tx);
	init_completion(&o.done);
	tx->callback_result = note_result;
	tx->callback_param = &o;
	cookie = dmaengine_submit(tx);
	assert_true(cookie > 0);
	dma_async_issue_pending(chan);
	wait_for_completion(&o.done);
	if (st)
		*st = dmaengine_tx_status(chan, cookie, NULL);
	return o.res;
}

static struct dmaengine_result copy(dma_addr_t dst, dma_addr_t src, size_t len,
				    enum dma_status *st)
{
	return run(dmaengine_prep_dma_memcpy(chan, dst, src, len, DMA_CTRL_ACK), st);
}

static int handler_calls, handler_flags;
static unsigned long handler_iova;

static int handler(struct iommu_domain *d, struct device *fdev, unsigned long iova, int flags,
		   void *token)
{
	assert_ptr_equal(d, dom);
	assert_ptr_equal(fdev, dev);
	assert_ptr_equal(token, &handler_calls);
	handler_iova = iova;
	handler_flags = flags;
	__atomic_add_fetch(&handler_calls, 1, __ATOMIC_RELAXED);
	return 0; /* handled: nothing logged */
}

static bool on_cpu(struct dma_chan *c, void *param)
{
	return c->device == param;
}

/* A cpu device of @workers workers behind its own IOMMU; its channel in *@c. */
static struct dma_device *probe_iommu_cpu(unsigned int workers, struct dma_chan **c)
{
	struct dma_cpu_params p;
	struct dma_device *dma;
	dma_cap_mask_t mask;

	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = workers;
	p.iommu = true;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	*c = dma_request_channel(mask, on_cpu, dma);
	assert_non_null(*c);
	return dma;
}

/* ------------------------------------------------------------------ tests */

/* Mappings are IOVAs that translate to the buffer; the device copies through them. */
static void test_map_and_copy(void **state)
{
	u8 *src = malloc(LEN), *dst = malloc(LEN);
	dma_addr_t s, d;
	enum dma_status st;
	struct dmaengine_result r;

	map_test_fill(src, LEN, 1);
	memset(dst, 0, LEN);
	s = dma_map_single(dev, src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, LEN, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(dev, s));
	assert_false(dma_mapping_error(dev, d));
	assert_true(s != (uintptr_t)src && d != (uintptr_t)dst);
	assert_true((s & 4095) == ((uintptr_t)src & 4095)); /* the page offset is kept */
	assert_true(iommu_iova_to_phys(dom, s) == (uintptr_t)src);
	assert_true(iommu_iova_to_phys(dom, d + LEN - 1) == (uintptr_t)dst + LEN - 1);
	assert_true(dmae_iommu_mapped_pages(dom) >= 8);

	r = copy(d, s, LEN, &st);
	assert_int_equal(r.result, DMA_TRANS_NOERROR);
	assert_int_equal(st, DMA_COMPLETE);
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, LEN, DMA_FROM_DEVICE);
	assert_memory_equal(dst, src, LEN);
	assert_int_equal(dmae_iommu_mapped_pages(dom), 0);
	assert_true(iommu_iova_to_phys(dom, s) == 0);
	free(src);
	free(dst);
}

/* A page-aligned buffer of @pages pages. */
static u8 *pages_alloc(size_t pages)
{
	u8 *p = aligned_alloc(4096, pages * 4096);

	assert_non_null(p);
	return p;
}

/*
 * Faults: a host pointer as a source, a write to a read-only mapping, a copy
 * running off the end of its mapping. Each fails its descriptor with the
 * right result and residue, is recorded, and touches nothing outside.
 */
static void test_faults(void **state)
{
	u8 *a = pages_alloc(3), *b = pages_alloc(3), *ref = pages_alloc(3);
	unsigned long before = dmae_iommu_fault_count(dom);
	struct dmae_iommu_fault f;
	dma_addr_t ma, mb;
	enum dma_status st;
	struct dmaengine_result r;

	map_test_fill(a, 3 * 4096, 2);
	map_test_fill(b, 3 * 4096, 3);
	memcpy(ref, b, 3 * 4096);
	/* Two pages of each mapped; the third is the canary. */
	ma = dma_map_single(dev, a, 8192, DMA_TO_DEVICE);
	mb = dma_map_single(dev, b, 8192, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(dev, ma) || dma_mapping_error(dev, mb));

	/* A host address is no bus address behind an IOMMU. */
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	r = copy(mb, (uintptr_t)a, 4096, &st);
	assert_int_equal(r.result, DMA_TRANS_READ_FAILED);
	assert_int_equal(r.residue, 4096);
	assert_int_equal(st, DMA_ERROR);
	assert_int_equal(dmae_iommu_fault_count(dom), before + 1);
	assert_int_equal(dmae_iommu_last_fault(dom, &f), 0);
	assert_ptr_equal(f.dev, dev);
	assert_true(f.iova == (uintptr_t)a);
	assert_int_equal(f.flags, IOMMU_FAULT_READ);
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 1); /* reported */
	assert_non_null(strstr(last_line, "iommu: unhandled read fault at iova"));

	/* The destination is mapped for the device to read only. */
	r = copy(ma, ma + 4096, 100, &st);
	assert_int_equal(r.result, DMA_TRANS_WRITE_FAILED);
	assert_int_equal(r.residue, 100);
	assert_int_equal(dmae_iommu_last_fault(dom, &f), 0);
	assert_int_equal(f.flags, IOMMU_FAULT_WRITE);
	assert_true(f.iova == ma);

	/* Off the end of b's mapping: 1000 bytes fit, then the write faults. */
	iommu_set_fault_handler(dom, handler, &handler_calls);
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	r = copy(mb + 8192 - 1000, ma, 3000, &st);
	assert_int_equal(r.result, DMA_TRANS_WRITE_FAILED);
	assert_int_equal(r.residue, 2000);
	assert_int_equal(st, DMA_ERROR);
	assert_int_equal(handler_calls, 1);
	assert_int_equal(handler_flags, IOMMU_FAULT_WRITE);
	assert_true(handler_iova == mb + 8192);
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 0); /* handled: no line */
	iommu_set_fault_handler(dom, NULL, NULL);

	/* A good copy afterwards completes, and its status is no longer an error. */
	r = copy(mb, ma, 8192, &st);
	assert_int_equal(r.result, DMA_TRANS_NOERROR);
	assert_int_equal(st, DMA_COMPLETE);

	dma_unmap_single(dev, ma, 8192, DMA_TO_DEVICE);
	dma_unmap_single(dev, mb, 8192, DMA_FROM_DEVICE);
	assert_memory_equal(b, a, 8192);
	assert_memory_equal(b + 8192, ref + 8192, 4096); /* the canary page */
	free(a);
	free(b);
	free(ref);
}

/* A list of page-sized pieces of separate buffers maps to one IOVA segment. */
static void test_sg_one_range(void **state)
{
	struct scatterlist sg[4], dsg[1];
	u8 *piece[4], *src = pages_alloc(4), *back = pages_alloc(4);
	dma_addr_t s;
	int n;

	map_test_fill(src, 4 * 4096, 4);
	sg_init_table(sg, 4);
	for (int i = 0; i < 4; i++) {
		piece[i] = pages_alloc(1);
		memset(piece[i], 0, 4096);
		sg_set_buf(&sg[i], piece[i], 4096);
	}
	n = dma_map_sg(dev, sg, 4, DMA_BIDIRECTIONAL);
	assert_int_equal(n, 1); /* one contiguous IOVA range */
	assert_int_equal(sg_dma_len(&sg[0]), 4 * 4096);
	for (int i = 0; i < 4; i++)
		assert_true(iommu_iova_to_phys(dom, sg_dma_address(&sg[0]) + i * 4096) ==
			    (uintptr_t)piece[i]);
	s = dma_map_single(dev, src, 4 * 4096, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(dev, s));
	/* One descriptor across the four host pages. */
	assert_int_equal(copy(sg_dma_address(&sg[0]), s, 4 * 4096, NULL).result,
			 DMA_TRANS_NOERROR);
	dma_sync_sg_for_cpu(dev, sg, 4, DMA_BIDIRECTIONAL);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(piece[i], src + i * 4096, 4096);
	dma_unmap_single(dev, s, 4 * 4096, DMA_TO_DEVICE);

	/* Offsets that do not end and start on page boundaries stay separate. */
	sg_init_table(dsg, 1);
	sg_set_buf(&dsg[0], back + 10, 100);
	assert_int_equal(dma_map_sg(dev, dsg, 1, DMA_FROM_DEVICE), 1);
	assert_true((sg_dma_address(&dsg[0]) & 4095) == 10);
	assert_int_equal(copy(sg_dma_address(&dsg[0]), sg_dma_address(&sg[0]) + 5, 100, NULL).result,
			 DMA_TRANS_NOERROR);
	dma_unmap_sg(dev, dsg, 1, DMA_FROM_DEVICE);
	assert_memory_equal(back + 10, src + 5, 100);
	dma_unmap_sg(dev, sg, 4, DMA_BIDIRECTIONAL);
	assert_int_equal(dmae_iommu_mapped_pages(dom), 0);
	for (int i = 0; i < 4; i++)
		free(piece[i]);
	free(src);
	free(back);
}

/* A 32-bit device behind an IOMMU gets IOVAs below 4 GiB for high memory: no bounce. */
static void test_32bit_high_memory(void **state)
{
	u8 *src = map_test_high_buf(LEN), *dst = map_test_high_buf(LEN);
	u64 mask = dma_get_mask(dev);
	dma_addr_t s, d;

	assert_int_equal(dma_set_mask(dev, DMA_BIT_MASK(32)), 0);
	map_test_fill(src, LEN, 5);
	s = dma_map_single(dev, src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, LEN, DMA_FROM_DEVICE);
	assert_true(s + LEN - 1 <= DMA_BIT_MASK(32) && d + LEN - 1 <= DMA_BIT_MASK(32));
	assert_true(iommu_iova_to_phys(dom, s) == (uintptr_t)src); /* not a bounce buffer */
	assert_int_equal(copy(d, s, LEN, NULL).result, DMA_TRANS_NOERROR);
	assert_memory_equal(dst, src, LEN); /* visible before unmap: nothing bounced */
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, LEN, DMA_FROM_DEVICE);
	assert_int_equal(dma_set_mask(dev, mask), 0);
	munmap(src, LEN);
	munmap(dst, LEN);
}

/* A non-coherent device behind an IOMMU still bounces: without a sync the CPU sees stale data. */
static void test_noncoherent(void **state)
{
	u8 *src = malloc(LEN), *dst = malloc(LEN), *old = malloc(LEN);
	dma_addr_t s, d;

	dev->dma_coherent = false;
	map_test_fill(src, LEN, 6);
	map_test_fill(dst, LEN, 7);
	memcpy(old, dst, LEN);
	s = dma_map_single(dev, src, LEN, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, LEN, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(dev, s) || dma_mapping_error(dev, d));
	assert_true(iommu_iova_to_phys(dom, s) != (uintptr_t)src); /* a bounce buffer */
	assert_int_equal(copy(d, s, LEN, NULL).result, DMA_TRANS_NOERROR);
	assert_memory_equal(dst, old, LEN); /* stale */
	dma_sync_single_for_cpu(dev, d, LEN, DMA_FROM_DEVICE);
	assert_memory_equal(dst, src, LEN);
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, d, LEN, DMA_FROM_DEVICE);
	dev->dma_coherent = true;
	assert_int_equal(dmae_iommu_mapped_pages(dom), 0);
	free(src);
	free(dst);
	free(old);
}

/* Coherent memory behind an IOMMU: an IOVA handle, shared without syncs. */
static void test_coherent(void **state)
{
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(dev, LEN, &h, GFP_KERNEL);
	u8 *src = malloc(LEN);
	dma_addr_t s;

	assert_non_null(p);
	assert_true(h != (uintptr_t)p);
	assert_true(iommu_iova_to_phys(dom, h) == (uintptr_t)p);
	map_test_fill(src, LEN, 8);
	s = dma_map_single(dev, src, LEN, DMA_TO_DEVICE);
	assert_int_equal(copy(h, s, LEN, NULL).result, DMA_TRANS_NOERROR);
	assert_memory_equal(p, src, LEN);
	dma_unmap_single(dev, s, LEN, DMA_TO_DEVICE);
	/* A wrong handle is refused and the memory kept. */
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	dma_free_coherent(dev, LEN, p, h + 4096);
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 1);
	assert_true(iommu_iova_to_phys(dom, h) == (uintptr_t)p);
	dma_free_coherent(dev, LEN, p, h);
	assert_int_equal(dmae_iommu_mapped_pages(dom), 0);
	free(src);
}

/* RAID operations fault per buffer: an unmapped source, a read-only P. */
static void test_raid_faults(void **state)
{
	u8 *buf = pages_alloc(4), *pq = pages_alloc(2);
	dma_addr_t src[3], dst[2], x, keep;
	unsigned char coef[3] = { 1, 2, 4 };
	struct dmaengine_result r;

	map_test_fill(buf, 4 * 4096, 9);
	for (int i = 0; i < 3; i++)
		src[i] = dma_map_single(dev, buf + i * 4096, 4096, DMA_TO_DEVICE);
	x = dma_map_single(dev, buf + 3 * 4096, 4096, DMA_FROM_DEVICE);
	/* XOR: a good run, then with one source given as a host pointer. */
	r = run(dmaengine_prep_dma_xor(chan, x, src, 3, 4096, DMA_CTRL_ACK), NULL);
	assert_int_equal(r.result, DMA_TRANS_NOERROR);
	keep = src[2];
	src[2] = (uintptr_t)(buf + 2 * 4096);
	r = run(dmaengine_prep_dma_xor(chan, x, src, 3, 4096, DMA_CTRL_ACK), NULL);
	assert_int_equal(r.result, DMA_TRANS_READ_FAILED);
	assert_int_equal(r.residue, 4096);
	src[2] = keep;
	/* PQ with P mapped for the device to read only. */
	dst[0] = dma_map_single(dev, pq, 4096, DMA_TO_DEVICE);
	dst[1] = dma_map_single(dev, pq + 4096, 4096, DMA_FROM_DEVICE);
	r = run(dmaengine_prep_dma_pq(chan, dst, src, 3, coef, 4096, DMA_CTRL_ACK), NULL);
	assert_int_equal(r.result, DMA_TRANS_WRITE_FAILED);
	/* With P disabled its address is never used. */
	r = run(dmaengine_prep_dma_pq(chan, dst, src, 3, coef, 4096,
				      DMA_CTRL_ACK | DMA_PREP_PQ_DISABLE_P), NULL);
	assert_int_equal(r.result, DMA_TRANS_NOERROR);
	for (int i = 0; i < 3; i++)
		dma_unmap_single(dev, src[i], 4096, DMA_TO_DEVICE);
	dma_unmap_single(dev, x, 4096, DMA_FROM_DEVICE);
	dma_unmap_single(dev, dst[0], 4096, DMA_TO_DEVICE);
	dma_unmap_single(dev, dst[1], 4096, DMA_FROM_DEVICE);
	assert_int_equal(dmae_iommu_mapped_pages(dom), 0);
	free(buf);
	free(pq);
}

/*
 * A large copy shared among two workers behind an IOMMU: right data, and a
 * fault in the middle ends it with the exact residue; nothing is written
 * beyond the destination's mapping.
 */
static void test_shared_copy_fault(void **state)
{
	const size_t len = 1 << 20, mapped = 600 * 1024 + 100;
	struct dma_chan *saved = chan, *c2;
	struct dma_device *two = probe_iommu_cpu(2, &c2);
	struct device *d2 = dmaengine_get_dma_device(c2);
	u8 *src = pages_alloc(len / 4096), *dst = pages_alloc(len / 4096);
	dma_addr_t s, d;
	struct dmaengine_result r;

	chan = c2;
	map_test_fill(src, len, 13);
	memset(dst, 0, len);
	s = dma_map_single(d2, src, len, DMA_TO_DEVICE);
	d = dma_map_single(d2, dst, len, DMA_FROM_DEVICE);
	r = copy(d, s, len, NULL);
	assert_int_equal(r.result, DMA_TRANS_NOERROR);
	dma_unmap_single(d2, d, len, DMA_FROM_DEVICE);
	assert_memory_equal(dst, src, len);

	/* Only the first 600 KiB + 100 B of the destination are mapped. */
	memset(dst, 0, len);
	d = dma_map_single(d2, dst, mapped, DMA_FROM_DEVICE);
	r = copy(d, s, len, NULL);
	assert_int_equal(r.result, DMA_TRANS_WRITE_FAILED);
	assert_true(dmae_iommu_fault_count(iommu_get_domain_for_dev(d2)) >= 1);
	/* The mapping covers whole pages: the fault is at the end of its last page. */
	assert_int_equal(r.residue, len - ((mapped + 4095) & ~(size_t)4095));
	dma_unmap_single(d2, d, mapped, DMA_FROM_DEVICE);
	dma_unmap_single(d2, s, len, DMA_TO_DEVICE);
	assert_memory_equal(dst, src, len - r.residue);
	for (size_t i = len - r.residue; i < len; i++)
		if (dst[i])
			fail_msg("byte %zu written beyond the mapping", i);
	chan = saved;
	dma_release_channel(c2);
	assert_int_equal(dma_cpu_remove(two), 0);
	free(src);
	free(dst);
}

/*
 * Eight copies of 16 KiB issued at once on two workers, which share them out
 * as one run: the fourth one's destination is mapped only in part. It alone
 * fails, with the exact residue and nothing written beyond the mapping; the
 * others complete and their data arrives.
 */
static void test_batch_fault(void **state)
{
	const size_t len = 16384, n = 8, mapped = 8192 + 100;
	struct dma_chan *saved = chan, *c2;
	struct dma_device *two = probe_iommu_cpu(2, &c2);
	struct device *d2 = dmaengine_get_dma_device(c2);
	u8 *src = pages_alloc(n * len / 4096), *dst = pages_alloc(n * len / 4096);
	dma_addr_t s, d[8];
	static struct outcome o[8];
	dma_cookie_t cookie = 0;

	chan = c2;
	map_test_fill(src, n * len, 21);
	memset(dst, 0, n * len);
	s = dma_map_single(d2, src, n * len, DMA_TO_DEVICE);
	for (size_t i = 0; i < n; i++) {
		struct dma_async_tx_descriptor *tx;

		d[i] = dma_map_single(d2, dst + i * len, i == 3 ? mapped : len, DMA_FROM_DEVICE);
		tx = dmaengine_prep_dma_memcpy(chan, d[i], s + i * len, len, DMA_CTRL_ACK);
		assert_non_null(tx);
		init_completion(&o[i].done);
		tx->callback_result = note_result;
		tx->callback_param = &o[i];
		cookie = dmaengine_submit(tx);
		assert_true(cookie > 0);
	}
	dma_async_issue_pending(chan);
	for (size_t i = 0; i < n; i++)
		wait_for_completion(&o[i].done);
	for (size_t i = 0; i < n; i++) {
		if (i == 3) {
			assert_int_equal(o[i].res.result, DMA_TRANS_WRITE_FAILED);
			/* The mapping covers whole pages: the fault is at the end of the last one. */
			assert_int_equal(o[i].res.residue, len - ((mapped + 4095) & ~(size_t)4095));
		} else {
			assert_int_equal(o[i].res.result, DMA_TRANS_NOERROR);
			assert_int_equal(o[i].res.residue, 0);
		}
		dma_unmap_single(d2, d[i], i == 3 ? mapped : len, DMA_FROM_DEVICE);
	}
	dma_unmap_single(d2, s, n * len, DMA_TO_DEVICE);
	for (size_t i = 0; i < n; i++) {
		size_t good = i == 3 ? len - o[i].res.residue : len;

		assert_memory_equal(dst + i * len, src + i * len, good);
		for (size_t j = good; j < len; j++)
			if (dst[i * len + j])
				fail_msg("copy %zu: byte %zu written beyond the mapping", i, j);
	}
	assert_true(container_of(two, struct cpu_dev, dma)->assist.batches > 0);
	chan = saved;
	dma_release_channel(c2);
	assert_int_equal(dma_cpu_remove(two), 0);
	free(src);
	free(dst);
}

/* Bus access on the identity path, and its copies. */
static void test_bus_identity(void **state)
{
	struct device plain;
	u8 buf[64], out[64];
	size_t span;

	dmae_device_init(&plain, "plain");
	map_test_fill(buf, sizeof(buf), 10);
	assert_ptr_equal(dmae_bus_xlate(&plain, (uintptr_t)buf, 64, DMAE_BUS_READ, &span), buf);
	assert_int_equal(span, 64);
	assert_int_equal(dmae_bus_read(&plain, out, (uintptr_t)buf, 64), 0);
	assert_memory_equal(out, buf, 64);
	assert_int_equal(dmae_bus_write(&plain, (uintptr_t)out, "abc", 3), 0);
	assert_memory_equal(out, "abc", 3);
	/* The NULL page and addresses beyond the mask are faults. */
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	assert_null(dmae_bus_xlate(&plain, 16, 4, DMAE_BUS_READ, &span));
	assert_int_equal(span, 0);
	assert_int_equal(dma_set_mask(&plain, DMA_BIT_MASK(32)), 0);
	assert_null(dmae_bus_xlate(&plain, 0x100000000ull, 4, DMAE_BUS_WRITE, &span));
	assert_int_equal(dmae_bus_write(&plain, 0xfffffffeull, "abcd", 4), -EFAULT);
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 3);
}

/* Bus access behind the IOMMU, in pieces where host pages are not contiguous. */
static void test_bus_iommu(void **state)
{
	struct scatterlist sg[2];
	u8 *p0 = pages_alloc(1), *p1 = pages_alloc(1), out[8192];
	size_t span;
	dma_addr_t a;

	map_test_fill(p0, 4096, 11);
	map_test_fill(p1, 4096, 12);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], p0, 4096);
	sg_set_buf(&sg[1], p1, 4096);
	assert_int_equal(dma_map_sg(dev, sg, 2, DMA_TO_DEVICE), 1);
	a = sg_dma_address(&sg[0]);
	assert_ptr_equal(dmae_bus_xlate(dev, a + 100, 8000, DMAE_BUS_READ, &span), p0 + 100);
	assert_int_equal(span, p1 == p0 + 4096 ? 8000 : 3996);
	assert_int_equal(dmae_bus_read(dev, out, a, 8192), 0);
	assert_memory_equal(out, p0, 4096);
	assert_memory_equal(out + 4096, p1, 4096);
	/* Read-only: a write faults, and so does a read past the end. */
	assert_null(dmae_bus_xlate(dev, a, 1, DMAE_BUS_WRITE, &span));
	assert_int_equal(dmae_bus_read(dev, out, a + 4096, 8192), -EFAULT);
	dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE);
	assert_null(dmae_bus_xlate(dev, a, 1, DMAE_BUS_READ, &span));
	free(p0);
	free(p1);
}

/* Bad input: unmapping what is not mapped, domain misuse. Nothing breaks. */
static void test_bad_input(void **state)
{
	struct device other;
	u8 buf[64];
	dma_addr_t a;

	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	dma_unmap_single(dev, 0x123456789000ull, 64, DMA_TO_DEVICE); /* never mapped */
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 1);
	a = dma_map_single(dev, buf, sizeof(buf), DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(dev, a));
	dma_unmap_single(dev, a, sizeof(buf), DMA_BIDIRECTIONAL);
	dma_unmap_single(dev, a, sizeof(buf), DMA_BIDIRECTIONAL); /* twice */
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 2);
	assert_true(IS_ERR(iommu_paging_domain_alloc(NULL)));
	assert_int_equal(iommu_attach_device(dom, dev), -EBUSY);
	assert_int_equal(iommu_attach_device(NULL, dev), -EINVAL);
	dmae_device_init(&other, "other");
	iommu_detach_device(dom, &other); /* not attached: a line, nothing else */
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);
	iommu_domain_free(dom); /* a device is attached: kept */
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);
	assert_int_equal(__atomic_load_n(&lines, __ATOMIC_RELAXED), 4);
}

static int setup(void **state)
{
	dmae_set_log_handler(capture, NULL);
	cpu = probe_iommu_cpu(1, &chan);
	dev = dmaengine_get_dma_device(chan);
	dom = iommu_get_domain_for_dev(dev);
	assert_non_null(dom);
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
		cmocka_unit_test(test_map_and_copy),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_sg_one_range),
		cmocka_unit_test(test_32bit_high_memory),
		cmocka_unit_test(test_noncoherent),
		cmocka_unit_test(test_coherent),
		cmocka_unit_test(test_raid_faults),
		cmocka_unit_test(test_shared_copy_fault),
		cmocka_unit_test(test_batch_fault),
		cmocka_unit_test(test_bus_identity),
		cmocka_unit_test(test_bus_iommu),
		cmocka_unit_test(test_bad_input),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	setenv("DMAENGINE_SWIOTLB_MB", "8", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
