// SPDX-License-Identifier: MIT
/*
 * test_dma_debug.c - DMA-API debug (src/mapping/debug.c): one test per kind
 * of misuse, each checking the exact report lines (the kernel's wording,
 * behind "DMA-API: <driver> <device>: ") and the error count; correct use
 * and debug off stay silent; leaks at dmae_device_release(); bad input does
 * not crash; the real mapping still behaves on bounced devices.
 *
 * Run with --env (and DMAENGINE_DMA_DEBUG=1, as ctest's test_dma_debug_env
 * does) it checks that the environment turns debug on from the start.
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

#include <dmaengine/dma-mapping.h>
#include <dmaengine/os.h>

#include "map_util.h"

#define LEN 8192
#define MAX_LINES 64
#define LINE_MAX_LEN 512

static const struct device_driver drv = { .name = "dbgtest" };

/* Every line the library logged since the last reset. */
static struct {
	pthread_mutex_t lock;			  /* the handler may run on any thread */
	int n;					  /* lines logged (may exceed MAX_LINES) */
	enum dmae_log_level level[MAX_LINES];	  /* their levels */
	char line[MAX_LINES][LINE_MAX_LEN];	  /* their text */
} cap = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned int errors_before; /* dma_debug_error_count() at reset */

static void capture(enum dmae_log_level level, const char *line, void *arg)
{
	pthread_mutex_lock(&cap.lock);
	if (cap.n < MAX_LINES) {
		cap.level[cap.n] = level;
		snprintf(cap.line[cap.n], LINE_MAX_LEN, "%s", line);
	}
	cap.n++;
	pthread_mutex_unlock(&cap.lock);
}

static void reset(void)
{
	pthread_mutex_lock(&cap.lock);
	cap.n = 0;
	pthread_mutex_unlock(&cap.lock);
	errors_before = dma_debug_error_count();
}

/* Errors counted since reset(). */
static unsigned int errors(void)
{
	return dma_debug_error_count() - errors_before;
}

/* The text after "DMA-API: <driver> <device>: ", or NULL for other lines. */
static const char *body(const char *line)
{
	const char *p;

	if (strncmp(line, "DMA-API: ", 9) != 0)
		return NULL;
	p = strstr(line + 9, ": ");
	return p ? p + 2 : NULL;
}

/* Is captured line @i a "Mapped at:" line or one of its frames? */
static bool is_trace(int i)
{
	const char *b = body(cap.line[i]);

	return b && (strcmp(b, "Mapped at:") == 0 || b[0] == ' ');
}

/* Index in cap of the @k-th report line (DMA-API, not a trace), or -1. */
static int report_index(int k)
{
	for (int i = 0; i < cap.n && i < MAX_LINES; i++)
		if (body(cap.line[i]) && !is_trace(i) && k-- == 0)
			return i;
	return -1;
}

static int nr_reports(void)
{
	int n = 0;

	while (report_index(n) >= 0)
		n++;
	return n;
}

/* Assert that report @k reads "DMA-API: dbgtest <dev>: <fmt...>". */
__attribute__((format(printf, 3, 4))) static void expect_report(int k, const struct device *dev,
								 const char *fmt, ...)
{
	char want[2 * LINE_MAX_LEN], msg[LINE_MAX_LEN];
	int i = report_index(k);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	assert_true(snprintf(want, sizeof(want), "DMA-API: %s %s: %s",
			     dev ? dev_driver_string(dev) : "NULL", dev ? dev_name(dev) : "NULL",
			     msg) < (int)sizeof(want));
	if (i < 0)
		fail_msg("no report %d; wanted \"%s\"", k, want);
	assert_string_equal(cap.line[i], want);
	assert_int_equal(cap.level[i], DMAE_LOG_ERR);
}

/* Assert that report @k is followed by "Mapped at:" and at least one frame. */
static void expect_trace(int k)
{
	int i = report_index(k);

	assert_true(i >= 0 && i + 2 < cap.n);
	assert_string_equal(body(cap.line[i + 1]), "Mapped at:");
	assert_true(body(cap.line[i + 2])[0] == ' ');
}

/* Assert that report @k has no trace after it. */
static void expect_no_trace(int k)
{
	int i = report_index(k);

	assert_true(i >= 0);
	assert_false(i + 1 < cap.n && is_trace(i + 1));
}

static void expect_silence(void)
{
	if (nr_reports())
		fail_msg("unexpected report: %s", cap.line[report_index(0)]);
	assert_int_equal(errors(), 0);
}

static void dev_setup(struct device *dev, const char *name)
{
	dmae_device_init(dev, name);
	dev->driver = &drv;
}

static unsigned long long ull(dma_addr_t a)
{
	return (unsigned long long)a;
}

static int before_each(void **state)
{
	dma_debug_set_num_errors(-1);
	dma_debug_set_driver_filter(NULL);
	dma_debug_set_enabled(true);
	reset();
	return 0;
}

static int after_each(void **state)
{
	dma_debug_set_enabled(false);
	return 0;
}

/* ------------------------------------------------------------- silence */

/* With debug off, misuse goes unreported and uncounted. */
static void test_off_is_silent(void **state)
{
	struct device dev;
	static u8 buf[256];

	dma_debug_set_enabled(false);
	reset();
	dev_setup(&dev, "off");
	assert_false(dma_debug_enabled());
	dma_unmap_single(&dev, (dma_addr_t)(uintptr_t)buf, 64, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(&dev, (dma_addr_t)(uintptr_t)buf, 64, DMA_FROM_DEVICE);
	dma_map_single(&dev, buf, 64, DMA_FROM_DEVICE); /* unchecked, never unmapped */
	dmae_device_release(&dev);
	assert_int_equal(cap.n, 0);
	assert_int_equal(errors(), 0);
}

/* Every mapping kind used right, on identity and bounced devices: silent. */
static void test_correct_use(void **state)
{
	struct device id, b32, nc, *devs[] = { &id, &b32, &nc };
	static u8 rw[4 * 64] __attribute__((aligned(64)));
	struct scatterlist sg[3];
	u8 *hi = map_test_high_buf(LEN);
	dma_addr_t a, c;
	void *cpu;

	dev_setup(&id, "ident");
	dev_setup(&b32, "dev32");
	dev_setup(&nc, "noncoh");
	assert_int_equal(dma_set_mask_and_coherent(&b32, DMA_BIT_MASK(32)), 0);
	nc.dma_coherent = false;

	for (int d = 0; d < 3; d++) {
		a = dma_map_single(devs[d], hi, LEN, DMA_FROM_DEVICE);
		assert_false(dma_mapping_error(devs[d], a));
		dma_sync_single_for_cpu(devs[d], a + 100, 50, DMA_FROM_DEVICE); /* partial */
		dma_sync_single_for_device(devs[d], a + LEN - 64, 64, DMA_FROM_DEVICE);
		dma_unmap_single(devs[d], a, LEN, DMA_FROM_DEVICE);

		sg_init_table(sg, 3);
		sg_set_buf(&sg[0], rw, 64);
		sg_set_buf(&sg[1], rw + 64, 64); /* merges with [0] on identity */
		sg_set_buf(&sg[2], rw + 192, 64);
		assert_true(dma_map_sg(devs[d], sg, 3, DMA_BIDIRECTIONAL) > 0);
		dma_sync_sg_for_cpu(devs[d], sg, 3, DMA_BIDIRECTIONAL);
		dma_sync_sg_for_device(devs[d], sg, 3, DMA_BIDIRECTIONAL);
		dma_unmap_sg(devs[d], sg, 3, DMA_BIDIRECTIONAL);

		/* Overlapping mappings the device only reads are fine. */
		a = dma_map_single(devs[d], rw, 100, DMA_TO_DEVICE);
		c = dma_map_single(devs[d], rw + 50, 100, DMA_TO_DEVICE);
		assert_false(dma_mapping_error(devs[d], a) || dma_mapping_error(devs[d], c));
		dma_unmap_single(devs[d], c, 100, DMA_TO_DEVICE);
		dma_unmap_single(devs[d], a, 100, DMA_TO_DEVICE);

		cpu = dma_alloc_coherent(devs[d], 3000, &c, GFP_KERNEL);
		assert_non_null(cpu);
		dma_free_coherent(devs[d], 3000, cpu, c);
		dmae_device_release(devs[d]);
	}
	dmae_device_release(&id); /* nothing left: silent */
	expect_silence();
	munmap(hi, LEN);
}

/* ------------------------------------------------------- unmap and free */

static void test_unmap_not_allocated(void **state)
{
	struct device dev;
	static u8 buf[256];
	dma_addr_t a = (dma_addr_t)(uintptr_t)buf;

	dev_setup(&dev, "notalloc");
	dma_unmap_single(&dev, a, 64, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver tries to free DMA memory it has not allocated "
		      "[device address=0x%016llx] [size=64 bytes]", ull(a));
	expect_no_trace(0);
	dma_unmap_single(&dev, DMA_MAPPING_ERROR, 64, DMA_TO_DEVICE);
	expect_report(1, &dev, "device driver tries to free an invalid DMA memory address");
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
}

/* A second unmap of the same mapping, on a bounced device: reported, no crash. */
static void test_double_unmap(void **state)
{
	struct device dev;
	u8 *hi = map_test_high_buf(LEN);
	dma_addr_t a;

	dev_setup(&dev, "double");
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(32)), 0);
	memset(hi, 0x11, LEN);
	a = dma_map_single(&dev, hi, LEN, DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(&dev, a));
	assert_true(a != (dma_addr_t)(uintptr_t)hi);
	memset((void *)(uintptr_t)a, 0x22, LEN); /* the device writes */
	dma_unmap_single(&dev, a, LEN, DMA_BIDIRECTIONAL);
	assert_true(hi[0] == 0x22 && hi[LEN - 1] == 0x22);
	assert_int_equal(nr_reports(), 0);
	memset(hi, 0x33, LEN);
	dma_unmap_single(&dev, a, LEN, DMA_BIDIRECTIONAL);
	assert_true(hi[0] == 0x33 && hi[LEN - 1] == 0x33); /* nothing copied back */
	expect_report(0, &dev,
		      "device driver tries to free DMA memory it has not allocated "
		      "[device address=0x%016llx] [size=%d bytes]", ull(a), LEN);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
	munmap(hi, LEN);
}

static void test_unmap_size(void **state)
{
	struct device dev;
	static u8 buf[512];
	dma_addr_t a;

	dev_setup(&dev, "size");
	a = dma_map_single(&dev, buf, 512, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_unmap_single(&dev, a, 256, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver frees DMA memory with different size "
		      "[device address=0x%016llx] [map size=512 bytes] [unmap size=256 bytes]",
		      ull(a));
	expect_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
}

static void test_unmap_direction(void **state)
{
	struct device dev;
	static u8 buf[512];
	dma_addr_t a;

	dev_setup(&dev, "dir");
	a = dma_map_single(&dev, buf, 512, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_unmap_single(&dev, a, 512, DMA_FROM_DEVICE);
	expect_report(0, &dev,
		      "device driver frees DMA memory with different direction "
		      "[device address=0x%016llx] [size=512 bytes] "
		      "[mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]",
		      ull(a));
	expect_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
}

/* Coherent memory handed to dma_unmap_single(): the wrong function. */
static void test_unmap_wrong_function(void **state)
{
	struct device dev;
	dma_addr_t h;
	void *cpu;

	dev_setup(&dev, "func");
	cpu = dma_alloc_coherent(&dev, 1024, &h, GFP_KERNEL);
	assert_non_null(cpu);
	dma_unmap_single(&dev, h, 1024, DMA_BIDIRECTIONAL);
	expect_report(0, &dev,
		      "device driver frees DMA memory with wrong function "
		      "[device address=0x%016llx] [size=1024 bytes] "
		      "[mapped as coherent] [unmapped as single]", ull(h));
	expect_trace(0);
	assert_int_equal(errors(), 1);
	dma_free_coherent(&dev, 1024, cpu, h); /* its record is gone */
	expect_report(1, &dev,
		      "device driver tries to free DMA memory it has not allocated "
		      "[device address=0x%016llx] [size=1024 bytes]", ull(h));
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
}

static void test_free_coherent_cpu_address(void **state)
{
	struct device dev;
	dma_addr_t h;
	u8 *cpu;

	dev_setup(&dev, "cpuaddr");
	cpu = dma_alloc_coherent(&dev, 4096, &h, GFP_KERNEL);
	assert_non_null(cpu);
	dma_free_coherent(&dev, 4096, cpu + 64, h); /* refused by the library too */
	expect_report(0, &dev,
		      "device driver frees DMA memory with different CPU address "
		      "[device address=0x%016llx] [size=4096 bytes] "
		      "[cpu alloc address=0x%016llx] [cpu free address=0x%016llx]",
		      ull(h), (unsigned long long)(uintptr_t)cpu,
		      (unsigned long long)(uintptr_t)(cpu + 64));
	expect_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
	cpu[0] = 1; /* still mapped: the bad free did not unmap it */
	dma_debug_set_enabled(false);
	dma_free_coherent(&dev, 4096, cpu, h);
}

/* dma_unmap_sg() given the count dma_map_sg() returned, not the one passed. */
static void test_unmap_sg_count(void **state)
{
	struct device dev;
	static u8 buf[3 * 256];
	struct scatterlist sg[3];
	int n;

	dev_setup(&dev, "sgcount");
	sg_init_table(sg, 3);
	for (int i = 0; i < 3; i++)
		sg_set_buf(&sg[i], buf + i * 256, 256); /* contiguous: merged */
	n = dma_map_sg(&dev, sg, 3, DMA_TO_DEVICE);
	assert_int_equal(n, 1);
	dma_unmap_sg(&dev, sg, n, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver frees DMA sg list with different entry count "
		      "[map count=3] [unmap count=1]");
	expect_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
}

/* The result of a map never given to dma_mapping_error(): reported at unmap.
 * On a bounced device the unmap still copies the device's data back. */
static void test_unchecked_map_error(void **state)
{
	struct device dev;
	u8 *hi = map_test_high_buf(LEN);
	dma_addr_t a;

	dev_setup(&dev, "unchecked");
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(32)), 0);
	memset(hi, 0, LEN);
	a = dma_map_single(&dev, hi, LEN, DMA_FROM_DEVICE);
	assert_true(a != DMA_MAPPING_ERROR && a != (dma_addr_t)(uintptr_t)hi);
	memset((void *)(uintptr_t)a, 0x5a, LEN); /* the device writes */
	dma_unmap_single(&dev, a, LEN, DMA_FROM_DEVICE);
	assert_true(hi[0] == 0x5a && hi[LEN - 1] == 0x5a);
	expect_report(0, &dev,
		      "device driver failed to check map error"
		      "[device address=0x%016llx] [size=%d bytes] [mapped as single]",
		      ull(a), LEN);
	expect_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
	munmap(hi, LEN);
}

/* ----------------------------------------------------------------- sync */

static void test_sync_not_allocated(void **state)
{
	struct device dev;
	static u8 buf[256];
	dma_addr_t a = (dma_addr_t)(uintptr_t)buf;

	dev_setup(&dev, "syncna");
	dma_sync_single_for_cpu(&dev, a, 128, DMA_FROM_DEVICE);
	expect_report(0, &dev,
		      "device driver tries to sync DMA memory it has not allocated "
		      "[device address=0x%016llx] [size=128 bytes]", ull(a));
	expect_no_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
}

/* A sync that starts inside a mapping and runs past its end. */
static void test_sync_outside(void **state)
{
	struct device dev;
	u8 *hi = map_test_high_buf(LEN);
	dma_addr_t a;

	dev_setup(&dev, "syncout");
	a = dma_map_single(&dev, hi, 4096, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_sync_single_for_cpu(&dev, a + 4000, 200, DMA_FROM_DEVICE);
	expect_report(0, &dev,
		      "device driver syncs DMA memory outside allocated range "
		      "[device address=0x%016llx] [allocation size=4096 bytes] "
		      "[sync offset+size=4200]", ull(a));
	expect_trace(0);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
	dma_unmap_single(&dev, a, 4096, DMA_FROM_DEVICE);
	assert_int_equal(errors(), 1);
	munmap(hi, LEN);
}

/* A large mapping (many hash buckets) synced near its end: found, silent. */
static void test_sync_far_inside(void **state)
{
	struct device dev;
	size_t len = 1 << 20;
	u8 *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dma_addr_t a;

	assert_true(p != MAP_FAILED);
	dev_setup(&dev, "far");
	a = dma_map_single(&dev, p, len, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_sync_single_for_cpu(&dev, a + len - 4096, 4096, DMA_FROM_DEVICE);
	dma_sync_single_for_device(&dev, a + len / 2 + 1, 10, DMA_FROM_DEVICE);
	dma_unmap_single(&dev, a, len, DMA_FROM_DEVICE);
	expect_silence();
	munmap(p, len);
}

/* Syncs against the mapping's direction, on a non-coherent (bounced) device. */
static void test_sync_direction(void **state)
{
	struct device dev;
	u8 *hi = map_test_high_buf(LEN);
	dma_addr_t a;

	dev_setup(&dev, "syncdir");
	dev.dma_coherent = false;
	a = dma_map_single(&dev, hi, 1024, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_sync_single_for_device(&dev, a, 1024, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver syncs DMA memory with different direction "
		      "[device address=0x%016llx] [size=1024 bytes] "
		      "[mapped with DMA_FROM_DEVICE] [synced with DMA_TO_DEVICE]", ull(a));
	expect_trace(0);
	expect_report(1, &dev,
		      "device driver syncs device write-only DMA memory to device "
		      "[device address=0x%016llx] [size=1024 bytes] "
		      "[mapped with DMA_FROM_DEVICE] [synced with DMA_TO_DEVICE]", ull(a));
	assert_int_equal(errors(), 2);
	dma_unmap_single(&dev, a, 1024, DMA_FROM_DEVICE);

	reset();
	a = dma_map_single(&dev, hi, 1024, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_sync_single_for_cpu(&dev, a + 512, 512, DMA_FROM_DEVICE);
	expect_report(0, &dev,
		      "device driver syncs DMA memory with different direction "
		      "[device address=0x%016llx] [size=1024 bytes] "
		      "[mapped with DMA_TO_DEVICE] [synced with DMA_FROM_DEVICE]", ull(a + 512));
	expect_report(1, &dev,
		      "device driver syncs device read-only DMA memory for cpu "
		      "[device address=0x%016llx] [size=1024 bytes] "
		      "[mapped with DMA_TO_DEVICE] [synced with DMA_FROM_DEVICE]", ull(a + 512));
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
	dma_unmap_single(&dev, a, 1024, DMA_TO_DEVICE);
	assert_int_equal(errors(), 2);
	munmap(hi, LEN);
}

static void test_sync_sg_count(void **state)
{
	struct device dev;
	static u8 buf[3 * 128] __attribute__((aligned(64)));
	struct scatterlist sg[3];

	dev_setup(&dev, "syncsg");
	sg_init_table(sg, 3);
	for (int i = 0; i < 3; i++)
		sg_set_buf(&sg[i], buf + i * 128, 64); /* gaps: three segments */
	assert_int_equal(dma_map_sg(&dev, sg, 3, DMA_FROM_DEVICE), 3);
	dma_sync_sg_for_cpu(&dev, sg, 2, DMA_FROM_DEVICE);
	for (int k = 0; k < 2; k++) {
		expect_report(k, &dev,
			      "device driver syncs DMA sg list with different entry count "
			      "[map count=3] [sync count=2]");
		expect_trace(k);
	}
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
	dma_unmap_sg(&dev, sg, 3, DMA_FROM_DEVICE);
	assert_int_equal(errors(), 2);
}

/* ---------------------------------------------------- what gets mapped */

static void test_map_stack(void **state)
{
	struct device dev;
	u8 local[256];
	dma_addr_t a;

	dev_setup(&dev, "stack");
	memset(local, 0, sizeof(local));
	a = dma_map_single(&dev, local, sizeof(local), DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	expect_report(0, &dev, "device driver maps memory from stack [addr=%p]", (void *)local);
	expect_no_trace(0);
	assert_int_equal(errors(), 1);
	dma_unmap_single(&dev, a, sizeof(local), DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 1);
	assert_int_equal(errors(), 1);
}

static const u8 rodata[256] = { 1, 2, 3 };

static void test_map_rodata(void **state)
{
	struct device dev;
	struct scatterlist sg;
	dma_addr_t a;

	dev_setup(&dev, "rodata");
	a = dma_map_single(&dev, (void *)rodata, sizeof(rodata), DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	expect_report(0, &dev,
		      "device driver maps memory from kernel text or rodata [addr=%p] [len=%zu]",
		      (void *)rodata, sizeof(rodata));
	dma_unmap_single(&dev, a, sizeof(rodata), DMA_TO_DEVICE);

	/* Code, through a scatterlist. */
	sg_init_one(&sg, (const void *)test_map_rodata, 16);
	assert_int_equal(dma_map_sg(&dev, &sg, 1, DMA_TO_DEVICE), 1);
	expect_report(1, &dev,
		      "device driver maps memory from kernel text or rodata [addr=%p] [len=16]",
		      (void *)test_map_rodata);
	dma_unmap_sg(&dev, &sg, 1, DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
}

static void test_sg_segment_limits(void **state)
{
	struct device dev;
	struct device_dma_parameters parms = { 0 };
	struct scatterlist sg;
	u8 *buf = aligned_alloc(65536, 2 * 65536);
	u8 *cross = buf + 65536 - 256;

	assert_non_null(buf);
	dev_setup(&dev, "seglim");
	dev.dma_parms = &parms;
	assert_int_equal(dma_set_max_seg_size(&dev, 4096), 0);
	assert_int_equal(dma_set_seg_boundary(&dev, 0xffff), 0);

	sg_init_one(&sg, buf, 8192);
	assert_int_equal(dma_map_sg(&dev, &sg, 1, DMA_TO_DEVICE), 1);
	expect_report(0, &dev,
		      "mapping sg segment longer than device claims to support "
		      "[len=8192] [max=4096]");
	dma_unmap_sg(&dev, &sg, 1, DMA_TO_DEVICE);

	sg_init_one(&sg, cross, 512);
	assert_int_equal(dma_map_sg(&dev, &sg, 1, DMA_TO_DEVICE), 1);
	expect_report(1, &dev,
		      "mapping sg segment across boundary "
		      "[start=0x%016llx] [end=0x%016llx] [boundary=0x000000000000ffff]",
		      (unsigned long long)(uintptr_t)cross,
		      (unsigned long long)(uintptr_t)cross + 511);
	dma_unmap_sg(&dev, &sg, 1, DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
	free(buf);
}

/* Two device-writable mappings sharing a cacheline, anywhere in their range. */
static void test_overlap(void **state)
{
	struct device dev;
	static u8 buf[8192] __attribute__((aligned(64)));
	dma_addr_t a, b;

	dev_setup(&dev, "overlap");
	a = dma_map_single(&dev, buf, 100, DMA_FROM_DEVICE);
	b = dma_map_single(&dev, buf + 100, 100, DMA_FROM_DEVICE); /* shares line 64..127 */
	assert_false(dma_mapping_error(&dev, a) || dma_mapping_error(&dev, b));
	expect_report(0, &dev, "cacheline tracking EEXIST, overlapping mappings aren't supported");
	expect_trace(0);
	assert_int_equal(errors(), 1);
	dma_unmap_single(&dev, b, 100, DMA_FROM_DEVICE);
	dma_unmap_single(&dev, a, 100, DMA_FROM_DEVICE);

	/* Not the first line: deep inside a large bidirectional mapping. */
	a = dma_map_single(&dev, buf, 8192, DMA_BIDIRECTIONAL);
	b = dma_map_single(&dev, buf + 6000, 64, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, a) || dma_mapping_error(&dev, b));
	expect_report(1, &dev, "cacheline tracking EEXIST, overlapping mappings aren't supported");
	assert_int_equal(errors(), 2);
	dma_unmap_single(&dev, b, 64, DMA_FROM_DEVICE);

	/* The device only reads the second: no overlap that matters. */
	b = dma_map_single(&dev, buf + 6000, 64, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, b));
	dma_unmap_single(&dev, b, 64, DMA_TO_DEVICE);
	dma_unmap_single(&dev, a, 8192, DMA_BIDIRECTIONAL);

	/* Once unmapped, the same lines are free again. */
	a = dma_map_single(&dev, buf + 6000, 64, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_unmap_single(&dev, a, 64, DMA_FROM_DEVICE);
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);
}

/* ------------------------------------------------------ device release */

static void test_leak_on_release(void **state)
{
	struct device dev, other;
	static u8 buf[2][4096];
	dma_addr_t a[2];
	const char *p;
	int i;

	dev_setup(&dev, "leaky");
	dev_setup(&other, "other");
	for (i = 0; i < 2; i++) {
		a[i] = dma_map_single(&dev, buf[i], 4096, DMA_TO_DEVICE);
		assert_false(dma_mapping_error(&dev, a[i]));
	}
	a[0] = dma_map_single(&other, buf[0], 64, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&other, a[0]));
	dmae_device_release(&dev);
	expect_report(0, &dev,
		      "device driver has pending DMA allocations while released from device "
		      "[count=2]");
	/* One of the two, either. */
	assert_true(report_index(1) >= 0);
	p = strstr(cap.line[report_index(1)], "[device address=0x");
	assert_non_null(p);
	i = strtoull(p + strlen("[device address=0x"), NULL, 16) == (uintptr_t)buf[1];
	expect_report(1, &dev,
		      "One of leaked entries details: [device address=0x%016llx] "
		      "[size=4096 bytes] [mapped with DMA_TO_DEVICE] [mapped as single]",
		      (unsigned long long)(uintptr_t)buf[i]);
	expect_trace(1);
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 1);

	/* Forgotten: a second release finds nothing; the other device kept its own. */
	dmae_device_release(&dev);
	assert_int_equal(errors(), 1);
	dma_unmap_single(&other, a[0], 64, DMA_TO_DEVICE);
	dmae_device_release(&other);
	dmae_device_release(NULL);
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 1);
}

/* ----------------------------------------------------------- controls */

static void test_num_errors_and_filter(void **state)
{
	struct device dev;

	dev_setup(&dev, "knobs");
	dma_debug_set_num_errors(1);
	dma_unmap_single(&dev, 0x1000, 64, DMA_TO_DEVICE);
	dma_unmap_single(&dev, 0x2000, 64, DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 1); /* the first only */
	assert_int_equal(errors(), 2);	   /* both counted */
	dma_debug_set_num_errors(-1);

	reset();
	dma_debug_set_driver_filter("someone-else");
	dma_unmap_single(&dev, 0x1000, 64, DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 0);
	assert_int_equal(errors(), 1);
	dma_debug_set_driver_filter("dbgtest");
	dma_unmap_single(&dev, 0x1000, 64, DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 1);
	dma_debug_set_driver_filter(NULL);
	assert_int_equal(errors(), 2);
}

static void test_dump_mappings(void **state)
{
	struct device dev;
	static u8 buf[128];
	char want[LINE_MAX_LEN];
	dma_addr_t a;

	dev_setup(&dev, "dump");
	a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
	dma_debug_dump_mappings(&dev);
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.level[0], DMAE_LOG_INFO);
	snprintf(want, sizeof(want), " P=%llx D=%llx L=80 DMA_TO_DEVICE dma map error not checked",
		 (unsigned long long)(uintptr_t)buf, ull(a));
	assert_non_null(strstr(cap.line[0], "dbgtest dump: single idx "));
	assert_non_null(strstr(cap.line[0], want));
	assert_false(dma_mapping_error(&dev, a));
	dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);
	reset();
	dma_debug_dump_mappings(&dev);
	assert_int_equal(cap.n, 0);
}

/* Turned on after a mapping was made, debug does not know it (documented). */
static void test_enable_late(void **state)
{
	struct device dev;
	static u8 buf[128];
	dma_addr_t a;

	dev_setup(&dev, "late");
	dma_debug_set_enabled(false);
	a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
	dma_debug_set_enabled(true);
	assert_true(dma_debug_enabled());
	dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver tries to free DMA memory it has not allocated "
		      "[device address=0x%016llx] [size=128 bytes]", ull(a));
	assert_int_equal(errors(), 1);
}

/* Nonsense in: reports, never a crash. */
static void test_bad_input(void **state)
{
	struct device dev;
	static u8 buf[256];
	struct scatterlist sg[2];
	dma_addr_t a;

	dev_setup(&dev, "bad");
	assert_int_equal(dma_mapping_error(NULL, 0x1000), 0);
	dma_unmap_single(NULL, 0x1000, 64, DMA_TO_DEVICE);
	expect_report(0, NULL,
		      "device driver tries to free DMA memory it has not allocated "
		      "[device address=0x0000000000001000] [size=64 bytes]");
	dma_sync_single_for_device(NULL, 0x1000, 64, DMA_TO_DEVICE);
	expect_report(1, NULL,
		      "device driver tries to sync DMA memory it has not allocated "
		      "[device address=0x0000000000001000] [size=64 bytes]");
	assert_int_equal(errors(), 2);

	/* A bad direction at unmap: reported; the library refuses the unmap. */
	reset();
	a = dma_map_single(&dev, buf, 64, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev, a));
	dma_unmap_single(&dev, a, 64, (enum dma_data_direction)7);
	expect_report(0, &dev,
		      "device driver frees DMA memory with different direction "
		      "[device address=0x%016llx] [size=64 bytes] "
		      "[mapped with DMA_TO_DEVICE] [unmapped with DMA_INVALID]", ull(a));
	assert_int_equal(errors(), 1);

	/* A list never mapped, and an unmap or sync of nothing. */
	reset();
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], buf, 64);
	sg_set_buf(&sg[1], buf + 128, 64);
	dma_unmap_sg(&dev, sg, 2, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver tries to free DMA memory it has not allocated "
		      "[device address=0x0000000000000000] [size=0 bytes]");
	dma_sync_sg_for_cpu(&dev, sg, 2, DMA_TO_DEVICE);
	assert_int_equal(nr_reports(), 2);
	dma_unmap_sg(&dev, sg, 0, DMA_TO_DEVICE);
	dma_sync_sg_for_device(&dev, sg, 0, DMA_TO_DEVICE);
	dma_free_coherent(&dev, 64, NULL, 0);
	assert_int_equal(nr_reports(), 2);
	assert_int_equal(errors(), 2);

	/* Failed maps are not recorded. */
	reset();
	assert_true(dma_map_single(&dev, NULL, 64, DMA_TO_DEVICE) == DMA_MAPPING_ERROR);
	assert_int_equal(dma_map_sg(&dev, sg, 0, DMA_TO_DEVICE), 0);
	dmae_device_release(&dev);
	assert_int_equal(nr_reports(), 0);
	assert_int_equal(errors(), 0);
}

/* ------------------------------------------------------------- threads */

#define THREADS 4
#define ROUNDS 2000

static u8 thread_buf[THREADS][4096] __attribute__((aligned(64)));

static void *map_loop(void *arg)
{
	int t = (int)(uintptr_t)arg;
	struct device dev;
	char name[16];

	snprintf(name, sizeof(name), "thr%d", t);
	dev_setup(&dev, name);
	for (int r = 0; r < ROUNDS; r++) {
		size_t off = (size_t)(r % 32) * 64;
		dma_addr_t a = dma_map_single(&dev, thread_buf[t] + off, 1024,
					      r % 2 ? DMA_FROM_DEVICE : DMA_BIDIRECTIONAL);

		if (dma_mapping_error(&dev, a))
			return (void *)1;
		dma_sync_single_for_cpu(&dev, a + 512, 128, r % 2 ? DMA_FROM_DEVICE :
								 DMA_BIDIRECTIONAL);
		dma_unmap_single(&dev, a, 1024, r % 2 ? DMA_FROM_DEVICE : DMA_BIDIRECTIONAL);
	}
	dmae_device_release(&dev);
	return NULL;
}

/* Correct use from several threads at once: silent (and clean under TSan). */
static void test_threads(void **state)
{
	pthread_t th[THREADS];
	void *ret;

	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, map_loop, (void *)(uintptr_t)t), 0);
	for (int t = 0; t < THREADS; t++) {
		assert_int_equal(pthread_join(th[t], &ret), 0);
		assert_null(ret);
	}
	expect_silence();
}

/* -------------------------------------------------------- environment */

/* Run with DMAENGINE_DMA_DEBUG=1: on before the first call, and reporting. */
static void test_env_enables(void **state)
{
	struct device dev;
	static u8 buf[128];
	dma_addr_t a;

	assert_true(dma_debug_enabled());
	reset();
	dev_setup(&dev, "env");
	a = dma_map_single(&dev, buf, 128, DMA_TO_DEVICE);
	dma_unmap_single(&dev, a, 128, DMA_TO_DEVICE);
	expect_report(0, &dev,
		      "device driver failed to check map error"
		      "[device address=0x%016llx] [size=128 bytes] [mapped as single]", ull(a));
	assert_int_equal(errors(), 1);
}

/* Without the variable, debug starts off. */
static void test_default_off(void **state)
{
	const char *env = getenv("DMAENGINE_DMA_DEBUG");

	if (env && *env && strcmp(env, "0") != 0)
		skip();
	assert_false(dma_debug_enabled());
}

static int setup(void **state)
{
	dmae_set_log_handler(capture, NULL);
	return 0;
}

static int teardown(void **state)
{
	dmae_set_log_handler(NULL, NULL);
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, before_each, after_each)

int main(int argc, char **argv)
{
	const struct CMUnitTest env_tests[] = {
		cmocka_unit_test(test_env_enables),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_off),
		T(test_off_is_silent),
		T(test_correct_use),
		T(test_unmap_not_allocated),
		T(test_double_unmap),
		T(test_unmap_size),
		T(test_unmap_direction),
		T(test_unmap_wrong_function),
		T(test_free_coherent_cpu_address),
		T(test_unmap_sg_count),
		T(test_unchecked_map_error),
		T(test_sync_not_allocated),
		T(test_sync_outside),
		T(test_sync_far_inside),
		T(test_sync_direction),
		T(test_sync_sg_count),
		T(test_map_stack),
		T(test_map_rodata),
		T(test_sg_segment_limits),
		T(test_overlap),
		T(test_leak_on_release),
		T(test_num_errors_and_filter),
		T(test_dump_mappings),
		T(test_enable_late),
		T(test_bad_input),
		T(test_threads),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	setenv("DMAENGINE_SWIOTLB_MB", "8", 1);
	if (argc > 1 && strcmp(argv[1], "--env") == 0)
		return cmocka_run_group_tests(env_tests, setup, teardown);
	return cmocka_run_group_tests(tests, setup, teardown);
}
