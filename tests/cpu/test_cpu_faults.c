// SPDX-License-Identifier: MIT
/*
 * test_cpu_faults.c - fault injection in the cpu provider: each kind does
 * exactly what it says (READ/WRITE: nothing moved, result, residue and
 * DMA_ERROR; CORRUPT: one byte, the one asked for, of every kind of
 * destination, or a flipped verdict; DELAY: at least the time asked for,
 * without blocking the worker's other channels or spinning), every Nth
 * counted across channels, count, the channel filter, clearing, the
 * environment syntax and the API's errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/provider.h>
#include <dmaengine/scatterlist.h>

#include "common/chan.h"
#include "drivers/cpu/cpu-dma.h" /* white-box: the fast-path flag */

#define LEN 4096
#define WAIT_MS 10000 /* any single wait */

/* ------------------------------------------------------------ log capture */

static char last_line[512]; /* the last warning or error */
static int lines;	    /* warnings and errors since capture_reset */
static int info_lines;	    /* info lines since capture_reset */

static void capture(enum dmae_log_level level, const char *line, void *arg)
{
	(void)arg;
	if (level == DMAE_LOG_DEBUG)
		return;
	if (level == DMAE_LOG_INFO) {
		__atomic_add_fetch(&info_lines, 1, __ATOMIC_RELAXED);
		return;
	}
	snprintf(last_line, sizeof(last_line), "%s", line);
	__atomic_add_fetch(&lines, 1, __ATOMIC_RELAXED);
}

static void capture_reset(void)
{
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&info_lines, 0, __ATOMIC_RELAXED);
	last_line[0] = '\0';
}

/* --------------------------------------------------------------- helpers */

static struct dma_device *probe(unsigned int channels, unsigned int workers, bool ooo)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = channels;
	p.workers = workers;
	p.descs = 64;
	p.out_of_order = ooo;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

static void inject(struct dma_device *dma, enum dma_cpu_fault_kind kind, unsigned int nth,
		   unsigned int count, struct dma_chan *chan)
{
	struct dma_cpu_fault f = { .kind = kind, .every_nth = nth, .count = count, .chan = chan };

	assert_int_equal(dma_cpu_inject_fault(dma, &f), 0);
}

static dma_addr_t bus(const void *p)
{
	return (dma_addr_t)(uintptr_t)p;
}

/* What a callback saw. */
struct rec {
	struct completion done;	  /* the callback ran */
	struct dmaengine_result res; /* its result */
	u64 t_ns;		  /* when */
};

static void rec_cb(void *param, const struct dmaengine_result *res)
{
	struct rec *r = param;

	r->res = *res;
	r->t_ns = dmae_clock_ns();
	complete(&r->done);
}

static dma_cookie_t submit(struct dma_async_tx_descriptor *tx, struct rec *r)
{
	dma_cookie_t cookie;

	assert_non_null(tx);
	init_completion(&r->done);
	r->res.result = (enum dmaengine_tx_result)-1;
	tx->callback_result = rec_cb;
	tx->callback_param = r;
	cookie = dmaengine_submit(tx);
	assert_false(dma_submit_error(cookie));
	return cookie;
}

static void wait_rec(struct rec *r)
{
	assert_true(wait_for_completion_timeout(&r->done, WAIT_MS) > 0);
}

/* One memcpy of @len bytes, waited for; its cookie. */
static dma_cookie_t copy(struct dma_chan *chan, u8 *dst, const u8 *src, size_t len,
			 struct rec *r)
{
	dma_cookie_t cookie = submit(dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), len,
							       DMA_PREP_INTERRUPT | DMA_CTRL_ACK), r);

	dma_async_issue_pending(chan);
	wait_rec(r);
	return cookie;
}

static void fill(u8 *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + seed * 13 + 1);
}

/* The one byte where @a and @b differ, or -1 (none) / -2 (several). */
static long one_diff(const u8 *a, const u8 *b, size_t len)
{
	long at = -1;

	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i]) {
			if (at != -1)
				return -2;
			at = (long)i;
		}
	return at;
}

/* Wait until @dma has injected @n faults: a descriptor has started with one. */
static void wait_injected(struct dma_device *dma, unsigned long n)
{
	u64 end = dmae_clock_ns() + WAIT_MS * 1000000ull;
	unsigned long got;

	do {
		assert_int_equal(dma_cpu_get_fault(dma, NULL, &got), 0);
		if (got >= n)
			return;
		dmae_yield();
	} while (dmae_clock_ns() < end);
	fail_msg("%lu faults injected after %u ms, expected %lu", got, WAIT_MS, n);
}

static u64 cpu_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static u8 src[LEN], dst[LEN], ref[LEN];

/* ------------------------------------------------------------ API and env */

static void test_api_errors(void **state)
{
	struct dma_device *dma = probe(1, 1, false), *other = probe(1, 1, false);
	struct dma_chan *foreign = request_memcpy_chan(other);
	struct dma_cpu_fault f = { .kind = DMA_CPU_FAULT_DELAY }, got;
	struct dma_device fake;
	struct dma_cpu_params p;
	unsigned long n = 99;

	(void)state;
	memset(&fake, 0, sizeof(fake));
	capture_reset();
	assert_int_equal(dma_cpu_inject_fault(NULL, NULL), -EINVAL);
	assert_int_equal(dma_cpu_inject_fault(&fake, NULL), -EINVAL);
	assert_int_equal(dma_cpu_get_fault(&fake, &got, &n), -EINVAL);
	assert_int_equal(lines, 2);
	capture_reset();
	assert_int_equal(dma_cpu_inject_fault(dma, &f), -EINVAL); /* DELAY of 0 */
	assert_int_equal(lines, 1);
	assert_non_null(strstr(last_line, "out of range"));
	f.delay_us = 3600000001ull;
	assert_int_equal(dma_cpu_inject_fault(dma, &f), -EINVAL);
	f = (struct dma_cpu_fault){ .kind = (enum dma_cpu_fault_kind)5 };
	assert_int_equal(dma_cpu_inject_fault(dma, &f), -EINVAL);
	f = (struct dma_cpu_fault){ .kind = DMA_CPU_FAULT_READ, .chan = foreign };
	assert_int_equal(dma_cpu_inject_fault(dma, &f), -EINVAL);
	assert_non_null(strstr(last_line, "not a channel of this device"));
	assert_int_equal(lines, 4);
	assert_int_equal(info_lines, 0);
	/* Nothing was armed by the failures. */
	assert_int_equal(dma_cpu_get_fault(dma, &got, &n), 0);
	assert_int_equal(got.kind, DMA_CPU_FAULT_NONE);
	assert_int_equal(n, 0);
	assert_int_equal(__atomic_load_n(&to_cpu_chan(foreign)->cd->fault_armed, 0), 0);
	/* A channel in the parameters: channels do not exist yet. */
	dma_cpu_params_init(&p);
	p.fault = (struct dma_cpu_fault){ .kind = DMA_CPU_FAULT_READ, .chan = foreign };
	capture_reset();
	assert_int_equal(PTR_ERR(dma_cpu_probe(&p)), -EINVAL);
	assert_int_equal(lines, 1);
	/* Set, read back (one info line), clear. */
	f = (struct dma_cpu_fault){ .kind = DMA_CPU_FAULT_CORRUPT, .every_nth = 3, .count = 2,
				    .offset = 7, .mask = 0x20 };
	capture_reset();
	assert_int_equal(dma_cpu_inject_fault(dma, &f), 0);
	assert_int_equal(info_lines, 1);
	assert_int_equal(dma_cpu_get_fault(dma, &got, NULL), 0);
	assert_memory_equal(&got, &f, sizeof(f));
	assert_int_equal(dma_cpu_inject_fault(dma, NULL), 0);
	assert_int_equal(dma_cpu_get_fault(dma, &got, NULL), 0);
	assert_int_equal(got.kind, DMA_CPU_FAULT_NONE);
	assert_int_equal(lines, 0);
	dma_release_channel(foreign);
	assert_int_equal(dma_cpu_remove(other), 0);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* DMAENGINE_CPU_FAULT=@v into a fresh params; the warnings it gave. */
static int env_parse(const char *v, struct dma_cpu_fault *f)
{
	struct dma_cpu_params p;

	setenv("DMAENGINE_CPU_FAULT", v, 1);
	capture_reset();
	dma_cpu_params_init(&p);
	*f = p.fault;
	return lines;
}

static void test_env_syntax(void **state)
{
	static const char *const bad[] = {
		"foo", "read:0", "read:x", "read:7:count=", "read:7:count=-1", "read:7:500us",
		"read:7:offset=3", "corrupt:1:mask=0", "corrupt:1:mask=256", "delay:10",
		"delay:10:5h", "delay:0", "delay:3:0ms", "delay:1:2h", "none:3", "read:7:bogus=1",
		"read::7", "Read", "read:7:", "delay:4:250", "delay:1:3601s", "read:4294967296",
	};
	struct dma_cpu_params p;
	struct dma_cpu_fault f;
	struct dma_device *dma;
	unsigned long n;

	(void)state;
	assert_int_equal(env_parse("read:7", &f), 0);
	assert_int_equal(f.kind, DMA_CPU_FAULT_READ);
	assert_int_equal(f.every_nth, 7);
	assert_int_equal(f.count, 0);
	assert_int_equal(env_parse("write", &f), 0);
	assert_int_equal(f.kind, DMA_CPU_FAULT_WRITE);
	assert_int_equal(f.every_nth, 0);
	assert_int_equal(env_parse("write:5:count=1", &f), 0);
	assert_true(f.kind == DMA_CPU_FAULT_WRITE && f.every_nth == 5 && f.count == 1);
	assert_int_equal(env_parse("corrupt:3", &f), 0);
	assert_true(f.kind == DMA_CPU_FAULT_CORRUPT && f.every_nth == 3 && !f.offset && !f.mask);
	assert_int_equal(env_parse("corrupt:1:offset=100:mask=0x20:count=4", &f), 0);
	assert_true(f.offset == 100 && f.mask == 0x20 && f.count == 4);
	assert_int_equal(env_parse("delay:10:500us", &f), 0);
	assert_true(f.kind == DMA_CPU_FAULT_DELAY && f.every_nth == 10 && f.delay_us == 500);
	assert_int_equal(env_parse("delay:1:10ms:count=2", &f), 0);
	assert_true(f.delay_us == 10000 && f.count == 2);
	assert_int_equal(env_parse("delay:2s", &f), 0);
	assert_true(f.every_nth == 0 && f.delay_us == 2000000);
	assert_int_equal(env_parse("delay:4:250us", &f), 0);
	assert_true(f.every_nth == 4 && f.delay_us == 250);
	assert_int_equal(env_parse("delay:1:3600s", &f), 0);
	assert_true(f.delay_us == 3600000000ull);
	assert_int_equal(env_parse("none", &f), 0);
	assert_int_equal(f.kind, DMA_CPU_FAULT_NONE);
	assert_int_equal(env_parse("", &f), 0);
	assert_int_equal(f.kind, DMA_CPU_FAULT_NONE);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (env_parse(bad[i], &f) != 1)
			fail_msg("DMAENGINE_CPU_FAULT=%s: %d warnings", bad[i], lines);
		assert_int_equal(f.kind, DMA_CPU_FAULT_NONE);
		assert_non_null(strstr(last_line, "ignoring DMAENGINE_CPU_FAULT="));
		assert_non_null(strstr(last_line, bad[i]));
	}
	/* A device probed from the environment injects from the start. */
	setenv("DMAENGINE_CPU_FAULT", "write:2:count=3", 1);
	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 1;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	assert_int_equal(dma_cpu_get_fault(dma, &f, &n), 0);
	assert_true(f.kind == DMA_CPU_FAULT_WRITE && f.every_nth == 2 && f.count == 3 && n == 0);
	unsetenv("DMAENGINE_CPU_FAULT");
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* ------------------------------------------------------------ READ / WRITE */

static void test_read_write_every_nth(void **state)
{
	struct dma_device *dma = probe(1, 1, false);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct dma_tx_state st;
	dma_cookie_t cookie, ok_cookie = 0;
	unsigned long n;
	struct rec r;

	(void)state;
	fill(src, LEN, 1);
	inject(dma, DMA_CPU_FAULT_READ, 3, 0, NULL);
	for (unsigned int i = 1; i <= 9; i++) {
		size_t len = 1000 + i;

		memset(dst, 0xee, LEN);
		cookie = copy(chan, dst, src, len, &r);
		if (i % 3) {
			assert_int_equal(r.res.result, DMA_TRANS_NOERROR);
			assert_int_equal(r.res.residue, 0);
			assert_memory_equal(dst, src, len);
			assert_int_equal(dmaengine_tx_status(chan, cookie, NULL), DMA_COMPLETE);
			ok_cookie = cookie;
			continue;
		}
		/* A real engine's error: nothing moved, all of it left. */
		assert_int_equal(r.res.result, DMA_TRANS_READ_FAILED);
		assert_int_equal(r.res.residue, len);
		for (size_t k = 0; k < LEN; k++)
			if (dst[k] != 0xee)
				fail_msg("byte %zu written by a failed transfer", k);
		assert_int_equal(dmaengine_tx_status(chan, cookie, &st), DMA_ERROR);
		assert_int_equal(dmaengine_tx_status(chan, ok_cookie, NULL), DMA_COMPLETE);
	}
	assert_int_equal(dma_cpu_get_fault(dma, NULL, &n), 0);
	assert_int_equal(n, 3);
	/* Polled, a WRITE failure: dma_sync_wait says DMA_ERROR. */
	inject(dma, DMA_CPU_FAULT_WRITE, 1, 1, NULL);
	cookie = dmaengine_submit(dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), 64,
							    DMA_CTRL_ACK));
	assert_int_equal(dma_sync_wait(chan, cookie), DMA_ERROR);
	cookie = copy(chan, dst, src, 64, &r); /* count used up */
	assert_int_equal(r.res.result, DMA_TRANS_NOERROR);
	assert_int_equal(dma_sync_wait(chan, cookie), DMA_COMPLETE);
	/* Cleared: all good again. */
	inject(dma, DMA_CPU_FAULT_WRITE, 1, 0, NULL);
	copy(chan, dst, src, 64, &r);
	assert_int_equal(r.res.result, DMA_TRANS_WRITE_FAILED);
	assert_int_equal(r.res.residue, 64);
	assert_int_equal(dma_cpu_inject_fault(dma, NULL), 0);
	for (unsigned int i = 0; i < 5; i++) {
		memset(dst, 0, LEN);
		copy(chan, dst, src, LEN, &r);
		assert_int_equal(r.res.result, DMA_TRANS_NOERROR);
		assert_memory_equal(dst, src, LEN);
	}
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Every Nth counts the device's descriptors, whichever channel; count; the filter. */
static void test_count_across_channels(void **state)
{
	struct dma_device *dma = probe(2, 2, false);
	struct dma_chan *a = request_memcpy_chan(dma), *b = request_memcpy_chan(dma);
	struct cpu_dev *cd = to_cpu_chan(a)->cd;
	struct rec r;
	unsigned long n;

	(void)state;
	fill(src, LEN, 2);
	/* Alternating A, B, A, B: per device, B's are the even ones. */
	inject(dma, DMA_CPU_FAULT_READ, 2, 0, NULL);
	for (unsigned int i = 0; i < 6; i++) {
		copy(i % 2 ? b : a, dst, src, 128, &r);
		assert_int_equal(r.res.result, i % 2 ? DMA_TRANS_READ_FAILED : DMA_TRANS_NOERROR);
	}
	/* DMA_INTERRUPT descriptors do not count. */
	inject(dma, DMA_CPU_FAULT_WRITE, 2, 0, NULL);
	for (unsigned int i = 0; i < 4; i++) {
		submit(dmaengine_prep_dma_interrupt(a, DMA_PREP_INTERRUPT | DMA_CTRL_ACK), &r);
		dma_async_issue_pending(a);
		wait_rec(&r);
		assert_int_equal(r.res.result, DMA_TRANS_NOERROR);
		copy(a, dst, src, 128, &r);
		assert_int_equal(r.res.result, i % 2 ? DMA_TRANS_WRITE_FAILED : DMA_TRANS_NOERROR);
	}
	/* count: two faults, then back to the fast path by itself. */
	inject(dma, DMA_CPU_FAULT_READ, 1, 2, NULL);
	assert_int_equal(__atomic_load_n(&cd->fault_armed, __ATOMIC_RELAXED), 1);
	for (unsigned int i = 0; i < 5; i++) {
		copy(b, dst, src, 128, &r);
		assert_int_equal(r.res.result, i < 2 ? DMA_TRANS_READ_FAILED : DMA_TRANS_NOERROR);
	}
	assert_int_equal(__atomic_load_n(&cd->fault_armed, __ATOMIC_RELAXED), 0);
	assert_int_equal(dma_cpu_get_fault(dma, NULL, &n), 0);
	assert_int_equal(n, 2);
	/* One channel only: B never fails, and only A's descriptors count. */
	inject(dma, DMA_CPU_FAULT_READ, 2, 0, a);
	for (unsigned int i = 0; i < 8; i++) {
		copy(i % 4 < 2 ? b : a, dst, src, 128, &r);
		assert_int_equal(r.res.result, i % 4 == 3 ? DMA_TRANS_READ_FAILED : DMA_TRANS_NOERROR);
	}
	assert_int_equal(dma_cpu_get_fault(dma, NULL, &n), 0);
	assert_int_equal(n, 2);
	dma_release_channel(a);
	dma_release_channel(b);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* ------------------------------------------------------------ CORRUPT */

static void corrupt(struct dma_device *dma, u64 offset, u8 mask)
{
	struct dma_cpu_fault f = { .kind = DMA_CPU_FAULT_CORRUPT, .count = 1, .offset = offset,
				   .mask = mask };

	assert_int_equal(dma_cpu_inject_fault(dma, &f), 0);
}

static void run_wait(struct dma_chan *chan, struct dma_async_tx_descriptor *tx, struct rec *r)
{
	dma_cookie_t cookie = submit(tx, r);

	dma_async_issue_pending(chan);
	wait_rec(r);
	/* Silent: the transfer says it went well. */
	assert_int_equal(r->res.result, DMA_TRANS_NOERROR);
	assert_int_equal(dmaengine_tx_status(chan, cookie, NULL), DMA_COMPLETE);
}

static void test_corrupt_copy_fill(void **state)
{
	struct dma_device *dma = probe(1, 1, false);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct scatterlist dsg[3], ssg[1];
	const unsigned int off[3] = { 0, 1000, 3000 }, len[3] = { 100, 50, 200 };
	struct rec r;

	(void)state;
	fill(src, LEN, 3);
	/* memcpy: the byte at the offset, every bit flipped by default. */
	memset(dst, 0, LEN);
	corrupt(dma, 1234, 0);
	run_wait(chan, dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), 2000, DMA_CTRL_ACK), &r);
	assert_int_equal(one_diff(dst, src, 2000), 1234);
	assert_int_equal(dst[1234], (u8)~src[1234]);
	/* The offset wraps inside the destination. */
	memset(dst, 0, LEN);
	corrupt(dma, 2000 * 5 + 17, 0x20);
	run_wait(chan, dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), 2000, DMA_CTRL_ACK), &r);
	assert_int_equal(one_diff(dst, src, 2000), 17);
	assert_int_equal(dst[17], src[17] ^ 0x20);
	assert_int_equal(dst[2000], 0);
	/* memset */
	memset(dst, 0, LEN);
	memset(ref, 0x5a, 300);
	corrupt(dma, 1000, 0x01); /* 1000 % 300 = 100 */
	run_wait(chan, dmaengine_prep_dma_memset(chan, bus(dst), 0x5a, 300, DMA_CTRL_ACK), &r);
	assert_int_equal(one_diff(dst, ref, 300), 100);
	assert_int_equal(dst[100], 0x5b);
	/* memcpy_sg: counted through the destination entries in order. */
	memset(dst, 0, LEN);
	sg_init_table(dsg, 3);
	sg_init_table(ssg, 1);
	for (int i = 0; i < 3; i++) {
		sg_dma_address(&dsg[i]) = bus(dst + off[i]);
		sg_dma_len(&dsg[i]) = len[i];
	}
	sg_dma_address(&ssg[0]) = bus(src);
	sg_dma_len(&ssg[0]) = 350;
	corrupt(dma, 120, 0x80); /* the second entry's byte 20 */
	run_wait(chan, dmaengine_prep_dma_memcpy_sg(chan, dsg, 3, ssg, 1, DMA_CTRL_ACK), &r);
	memset(ref, 0, LEN);
	for (int i = 0, s = 0; i < 3; s += len[i], i++)
		memcpy(ref + off[i], src + s, len[i]);
	assert_int_equal(one_diff(dst, ref, LEN), 1000 + 20);
	assert_int_equal(dst[1020], ref[1020] ^ 0x80);
	/* Cleared by count: the next copy is right. */
	memset(dst, 0, LEN);
	run_wait(chan, dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), LEN, DMA_CTRL_ACK), &r);
	assert_memory_equal(dst, src, LEN);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void test_corrupt_interleave(void **state)
{
	struct dma_device *dma = probe(1, 1, false);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct dma_interleaved_template *xt = calloc(1, sizeof(*xt) + 2 * sizeof(xt->sgl[0]));
	size_t order[64], n = 0, d = 0;
	struct rec r;

	(void)state;
	assert_non_null(xt);
	fill(src, LEN, 4);
	memset(dst, 0, LEN);
	xt->dir = DMA_MEM_TO_MEM;
	xt->src_inc = xt->dst_inc = true;
	xt->dst_sgl = true;
	xt->numf = 3;
	xt->frame_size = 2;
	xt->sgl[0] = (struct data_chunk){ .size = 4, .icg = 3 };
	xt->sgl[1] = (struct data_chunk){ .size = 6, .icg = 5 };
	xt->src_start = bus(src);
	xt->dst_start = bus(dst);
	/* Where each byte goes, in transfer order. */
	for (size_t f = 0; f < xt->numf; f++)
		for (size_t c = 0; c < xt->frame_size; c++) {
			for (size_t k = 0; k < xt->sgl[c].size; k++)
				order[n++] = d++;
			d += xt->sgl[c].icg;
		}
	for (size_t i = 0; i < n; i++)
		ref[order[i]] = src[i];
	corrupt(dma, 16, 0x04); /* frame 1, chunk 1, its byte 2 */
	run_wait(chan, dmaengine_prep_interleaved_dma(chan, xt, DMA_CTRL_ACK), &r);
	for (size_t i = 0; i < n; i++)
		if (dst[order[i]] != (i == 16 ? ref[order[i]] ^ 0x04 : ref[order[i]]))
			fail_msg("byte %zu (dst[%zu]) is %02x", i, order[i], dst[order[i]]);
	assert_int_equal(order[16], 18 + 4 + 3 + 2);
	free(xt);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void test_corrupt_raid(void **state)
{
	static u8 s0[LEN], s1[LEN], s2[LEN], p[LEN], q[LEN], p2[LEN], q2[LEN];
	const unsigned char scf[3] = { 1, 2, 4 };
	struct dma_device *dma = probe(1, 1, false);
	struct dma_chan *chan = request_memcpy_chan(dma);
	dma_addr_t srcs[3] = { bus(s0), bus(s1), bus(s2) }, pq[2] = { bus(p), bus(q) };
	dma_addr_t pq2[2] = { bus(p2), bus(q2) };
	enum sum_check_flags res;
	struct rec r;

	(void)state;
	fill(s0, LEN, 5);
	fill(s1, LEN, 6);
	for (size_t i = 0; i < LEN; i++)
		s2[i] = s0[i] ^ s1[i];
	/* XOR: the destination; a clean run first as the reference. */
	run_wait(chan, dmaengine_prep_dma_xor(chan, bus(ref), srcs, 2, LEN, DMA_CTRL_ACK), &r);
	assert_memory_equal(ref, s2, LEN);
	corrupt(dma, 99, 0x10);
	run_wait(chan, dmaengine_prep_dma_xor(chan, bus(dst), srcs, 2, LEN, DMA_CTRL_ACK), &r);
	assert_int_equal(one_diff(dst, ref, LEN), 99);
	assert_int_equal(dst[99], ref[99] ^ 0x10);
	/* PQ: P; with P disabled, Q. */
	run_wait(chan, dmaengine_prep_dma_pq(chan, pq, srcs, 3, scf, LEN, DMA_CTRL_ACK), &r);
	corrupt(dma, 5, 0);
	run_wait(chan, dmaengine_prep_dma_pq(chan, pq2, srcs, 3, scf, LEN, DMA_CTRL_ACK), &r);
	assert_int_equal(one_diff(p2, p, LEN), 5);
	assert_int_equal(one_diff(q2, q, LEN), -1);
	memset(q2, 0, LEN);
	corrupt(dma, 6, 0);
	run_wait(chan, dmaengine_prep_dma_pq(chan, pq2, srcs, 3, scf, LEN,
					     DMA_CTRL_ACK | DMA_PREP_PQ_DISABLE_P), &r);
	assert_int_equal(one_diff(q2, q, LEN), 6);
	/* XOR_VAL: s0 ^ s1 ^ s2 is zero, but the verdict says otherwise. */
	corrupt(dma, 0, 0);
	run_wait(chan, dmaengine_prep_dma_xor_val(chan, srcs, 3, LEN, &res, DMA_CTRL_ACK), &r);
	assert_int_equal(res, SUM_CHECK_P_RESULT);
	run_wait(chan, dmaengine_prep_dma_xor_val(chan, srcs, 3, LEN, &res, DMA_CTRL_ACK), &r);
	assert_int_equal(res, 0);
	/* PQ_VAL: P's verdict; Q's when only Q is checked. */
	corrupt(dma, 0, 0);
	run_wait(chan, dmaengine_prep_dma_pq_val(chan, pq, srcs, 3, scf, LEN, &res, DMA_CTRL_ACK),
		 &r);
	assert_int_equal(res, SUM_CHECK_P_RESULT);
	corrupt(dma, 0, 0);
	run_wait(chan, dmaengine_prep_dma_pq_val(chan, pq, srcs, 3, scf, LEN, &res,
						 DMA_CTRL_ACK | DMA_PREP_PQ_DISABLE_P), &r);
	assert_int_equal(res, SUM_CHECK_Q_RESULT);
	run_wait(chan, dmaengine_prep_dma_pq_val(chan, pq, srcs, 3, scf, LEN, &res, DMA_CTRL_ACK),
		 &r);
	assert_int_equal(res, 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* ------------------------------------------------------------ DELAY */

static void delay(struct dma_device *dma, u64 us, unsigned int nth, unsigned int count,
		  struct dma_chan *chan)
{
	struct dma_cpu_fault f = { .kind = DMA_CPU_FAULT_DELAY, .every_nth = nth, .count = count,
				   .chan = chan, .delay_us = us };

	assert_int_equal(dma_cpu_inject_fault(dma, &f), 0);
}

/*
 * One worker serves both channels: A's delayed copy does not hold up B, the
 * worker sleeps meanwhile, and A completes no earlier than asked.
 */
static void test_delay(void **state)
{
	static u8 dst_b[LEN];
	struct dma_device *dma = probe(2, 1, false);
	struct dma_chan *a = request_memcpy_chan(dma), *b = request_memcpy_chan(dma);
	struct rec ra, rb, rx[4];
	struct dma_tx_state st;
	dma_cookie_t ca;
	u64 t0, cpu0, cpu;

	(void)state;
	fill(src, LEN, 7);
	memset(dst, 0, LEN);
	memset(dst_b, 0, LEN);
	delay(dma, 500000, 1, 1, a);
	t0 = dmae_clock_ns();
	cpu0 = cpu_time_ns();
	ca = submit(dmaengine_prep_dma_memcpy(a, bus(dst), bus(src), LEN,
					      DMA_PREP_INTERRUPT | DMA_CTRL_ACK), &ra);
	dma_async_issue_pending(a);
	copy(b, dst_b, src, LEN, &rb);
	assert_int_equal(rb.res.result, DMA_TRANS_NOERROR);
	assert_memory_equal(dst_b, src, LEN);
	if (rb.t_ns - t0 < 400000000ull) { /* B was done well before A's due time */
		assert_false(completion_done(&ra.done));
		assert_int_equal(dmaengine_tx_status(a, ca, &st), DMA_IN_PROGRESS);
		assert_int_equal(st.residue, LEN);
	}
	wait_rec(&ra);
	cpu = cpu_time_ns() - cpu0;
	assert_int_equal(ra.res.result, DMA_TRANS_NOERROR);
	assert_memory_equal(dst, src, LEN);
	if (ra.t_ns - t0 < 500000000ull)
		fail_msg("completed %llu us after submission, asked for 500000",
			 (unsigned long long)(ra.t_ns - t0) / 1000);
	/* The worker slept: far less CPU than the delay. */
	if (cpu > 250000000ull)
		fail_msg("%llu ms of CPU during a 500 ms delay", (unsigned long long)cpu / 1000000);
	/* Every 2nd of four on one channel, 50 ms: the last one 100 ms later at least. */
	delay(dma, 50000, 2, 0, NULL);
	t0 = dmae_clock_ns();
	for (int i = 0; i < 4; i++)
		submit(dmaengine_prep_dma_memcpy(a, bus(dst + i * 1024), bus(src + i * 1024), 1024,
						 DMA_PREP_INTERRUPT | DMA_CTRL_ACK), &rx[i]);
	memset(dst, 0, LEN);
	dma_async_issue_pending(a);
	for (int i = 0; i < 4; i++) {
		wait_rec(&rx[i]);
		assert_int_equal(rx[i].res.result, DMA_TRANS_NOERROR);
		if (i)
			assert_true(rx[i].t_ns >= rx[i - 1].t_ns); /* in order */
	}
	assert_true(rx[1].t_ns - t0 >= 50000000ull);
	assert_true(rx[3].t_ns - t0 >= 100000000ull);
	assert_memory_equal(dst, src, LEN);
	assert_int_equal(dma_cpu_inject_fault(dma, NULL), 0);
	dma_release_channel(a);
	dma_release_channel(b);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* A parked descriptor pauses, resumes and terminates as one not started. */
static void test_delay_pause_terminate(void **state)
{
	struct dma_device *dma = probe(1, 1, false);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct dma_tx_state st;
	dma_cookie_t cookie;
	struct rec r, r2;
	u64 t0;

	(void)state;
	fill(src, LEN, 8);
	memset(dst, 0, LEN);
	/* Ten seconds: terminate_sync does not wait for them. */
	delay(dma, 10000000, 1, 1, NULL);
	t0 = dmae_clock_ns();
	cookie = submit(dmaengine_prep_dma_memcpy(chan, bus(dst), bus(src), LEN,
						  DMA_PREP_INTERRUPT | DMA_CTRL_ACK), &r);
	dma_async_issue_pending(chan);
	wait_injected(dma, 1); /* it has started: parked now */
	assert_int_equal(dmaengine_pause(chan), 0);
	assert_int_equal(dmaengine_tx_status(chan, cookie, &st), DMA_PAUSED);
	assert_int_equal(st.residue, LEN);
	assert_int_equal(dmaengine_resume(chan), 0);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	assert_true(dmae_clock_ns() - t0 < 5000000000ull);
	assert_false(completion_done(&r.done)); /* no callback after terminate */
	assert_int_equal(dst[0], 0);
	/* The channel works on: count was 1. */
	copy(chan, dst, src, LEN, &r2);
	assert_int_equal(r2.res.result, DMA_TRANS_NOERROR);
	assert_memory_equal(dst, src, LEN);
	assert_false(completion_done(&r.done));
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Out of order: the others complete past a delayed one. */
static void test_delay_out_of_order(void **state)
{
	struct dma_device *dma = probe(1, 2, true);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct rec r[6];
	int late = 0;
	u64 t0;

	(void)state;
	fill(src, LEN, 9);
	memset(dst, 0, LEN);
	delay(dma, 300000, 1, 1, NULL);
	for (int i = 0; i < 6; i++)
		submit(dmaengine_prep_dma_memcpy(chan, bus(dst + i * 512), bus(src + i * 512), 512,
						 DMA_PREP_INTERRUPT | DMA_CTRL_ACK), &r[i]);
	t0 = dmae_clock_ns();
	dma_async_issue_pending(chan);
	for (int i = 0; i < 6; i++)
		wait_rec(&r[i]);
	/* The first to start (either worker's) was held; the others passed it. */
	for (int i = 0; i < 6; i++)
		if (r[i].t_ns > r[late].t_ns)
			late = i;
	assert_true(r[late].t_ns - t0 >= 300000000ull);
	for (int i = 0; i < 6; i++)
		assert_true(i == late || r[i].t_ns < r[late].t_ns);
	assert_memory_equal(dst, src, 6 * 512);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Out of order: READ faults too, seen by the callback (tx_status says DMA_OUT_OF_ORDER). */
static void test_fault_out_of_order(void **state)
{
	struct dma_device *dma = probe(1, 2, true);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct rec r;

	(void)state;
	inject(dma, DMA_CPU_FAULT_READ, 2, 0, NULL);
	for (int i = 0; i < 6; i++) {
		copy(chan, dst, src, 256, &r);
		assert_int_equal(r.res.result, i % 2 ? DMA_TRANS_READ_FAILED : DMA_TRANS_NOERROR);
		assert_int_equal(r.res.residue, i % 2 ? 256 : 0);
	}
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_errors),
		cmocka_unit_test(test_env_syntax),
		cmocka_unit_test(test_read_write_every_nth),
		cmocka_unit_test(test_count_across_channels),
		cmocka_unit_test(test_corrupt_copy_fill),
		cmocka_unit_test(test_corrupt_interleave),
		cmocka_unit_test(test_corrupt_raid),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_delay_pause_terminate),
		cmocka_unit_test(test_delay_out_of_order),
		cmocka_unit_test(test_fault_out_of_order),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	unsetenv("DMAENGINE_CPU_FAULT");
	dmae_set_log_handler(capture, NULL);
	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* one test by name (wildcards) */
	return cmocka_run_group_tests_name("cpu faults", tests, NULL, NULL);
}
