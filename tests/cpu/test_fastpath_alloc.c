// SPDX-License-Identifier: MIT
/*
 * test_fastpath_alloc.c - the cpu provider's fast path allocates nothing:
 * prep, submit, issue, completion and callbacks of every operation it
 * offers, on in-order and out-of-order devices, callback-driven and polled.
 *
 * The test is linked with --wrap for malloc and its relatives, so every
 * allocation the library makes goes through the counter of
 * common/alloc_count.h (the real allocator, or a sanitizer's, still does the
 * work). Counting is switched on only around the measured loop, after a
 * warm-up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/os.h>

#include "common/alloc_count.h"
#include "common/chan.h"

/* --------------------------------------------------------------- helpers */

#define LEN 4096
#define NSRC 12 /* more than a descriptor holds inline: segment blocks too */

/* Sources, then a destination of its own for each operation (out of order,
 * the operations of a round run concurrently). */
enum { D_COPY = NSRC, D_SET, D_SG, D_SETSG, D_2D, D_XOR, D_P, D_Q, V_P, V_Q, NBUF };
static u8 buf[NBUF][LEN] __attribute__((aligned(64)));
static enum sum_check_flags verdict, verdict2; /* one per validation */

static dma_addr_t bus(const void *p)
{
	return (dma_addr_t)(uintptr_t)p;
}

static void on_done(void *param)
{
	__atomic_add_fetch((unsigned long *)param, 1, __ATOMIC_RELEASE);
}

/* Prep operation number @op on @chan; every capability the device offers. */
static struct dma_async_tx_descriptor *prep(struct dma_chan *chan, int op, unsigned int nsrc)
{
	static struct scatterlist dsg[3], ssg[3], fsg[3];
	static struct dma_interleaved_template *xt;
	static u8 xt_mem[sizeof(*xt) + sizeof(struct data_chunk)];
	static const u8 scf[NSRC] = { 1, 2, 4, 8, 16, 32, 64, 128, 29, 58, 116, 232 };
	dma_addr_t src[NSRC], pq[2] = { bus(buf[D_P]), bus(buf[D_Q]) };
	dma_addr_t pqv[2] = { bus(buf[V_P]), bus(buf[V_Q]) };
	unsigned long flags = DMA_CTRL_ACK | DMA_PREP_INTERRUPT;

	for (unsigned int i = 0; i < nsrc; i++)
		src[i] = bus(buf[i]);
	switch (op) {
	case 0:
		return dmaengine_prep_dma_memcpy(chan, bus(buf[D_COPY]), bus(buf[0]), LEN, flags);
	case 1:
		return dmaengine_prep_dma_memset(chan, bus(buf[D_SET]), 0x5a, LEN, flags);
	case 2:
		sg_init_table(dsg, 3);
		sg_init_table(ssg, 3);
		for (int i = 0; i < 3; i++) {
			sg_dma_address(&dsg[i]) = bus(buf[D_SG] + i * 1024);
			sg_dma_len(&dsg[i]) = 1024;
			sg_dma_address(&ssg[i]) = bus(buf[1] + i * 1024);
			sg_dma_len(&ssg[i]) = 1024;
		}
		return dmaengine_prep_dma_memcpy_sg(chan, dsg, 3, ssg, 3, flags);
	case 3:
		sg_init_table(fsg, 3);
		for (int i = 0; i < 3; i++) {
			sg_dma_address(&fsg[i]) = bus(buf[D_SETSG] + i * 1024);
			sg_dma_len(&fsg[i]) = 1024;
		}
		return dmaengine_prep_dma_memset_sg(chan, fsg, 3, 0x33, flags);
	case 4:
		return dmaengine_prep_dma_interrupt(chan, flags);
	case 5:
		xt = (struct dma_interleaved_template *)xt_mem;
		memset(xt, 0, sizeof(xt_mem));
		xt->src_start = bus(buf[2]);
		xt->dst_start = bus(buf[D_2D]);
		xt->dir = DMA_MEM_TO_MEM;
		xt->src_inc = xt->dst_inc = true;
		xt->numf = 4;
		xt->frame_size = 1;
		xt->sgl[0].size = 512;
		return dmaengine_prep_interleaved_dma(chan, xt, flags);
	case 6:
		return dmaengine_prep_dma_xor(chan, bus(buf[D_XOR]), src, nsrc, LEN, flags);
	case 7:
		return dmaengine_prep_dma_xor_val(chan, src, nsrc, LEN, &verdict, flags);
	case 8:
		return dmaengine_prep_dma_pq(chan, pq, src, nsrc, scf, LEN, flags);
	default:
		return dmaengine_prep_dma_pq_val(chan, pqv, src, nsrc, scf, LEN, &verdict2, flags);
	}
}
#define NOPS 10

static struct dma_device *probe(bool ooo)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 2;
	p.descs = 256;
	p.out_of_order = ooo;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

/* @rounds of every operation, in batches, waited for by callback count or
 * by polling the last cookie. */
static void run(struct dma_chan *chan, int rounds, bool polled)
{
	unsigned long done = 0, want = 0;

	for (int r = 0; r < rounds; r++) {
		dma_cookie_t last = 0;

		for (int op = 0; op < NOPS; op++) {
			struct dma_async_tx_descriptor *tx = prep(chan, op, r & 1 ? NSRC : 4);

			assert_non_null(tx);
			if (!polled) {
				tx->callback = on_done;
				tx->callback_param = &done;
				want++;
			}
			last = dmaengine_submit(tx);
			assert_true(last > 0);
		}
		dma_async_issue_pending(chan);
		if (polled) {
			if (dma_has_cap(DMA_COMPLETION_NO_ORDER, chan->device->cap_mask))
				dmaengine_synchronize(chan); /* no per-cookie status */
			else
				assert_int_equal(dma_sync_wait(chan, last), DMA_COMPLETE);
		} else {
			while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) != want)
				cpu_relax();
		}
	}
}

static void fast_path(bool ooo, bool polled)
{
	struct dma_device *dma = probe(ooo);
	struct dma_chan *chan = request_memcpy_chan(dma);
	unsigned long allocs;

	run(chan, 20, polled); /* warm-up: first-use setup may allocate */

	alloc_count_start();
	run(chan, 500, polled);
	allocs = alloc_count_stop();
	if (allocs)
		fprintf(stderr, "%lu allocations on the fast path\n", allocs);
	assert_int_equal(allocs, 0);

	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void test_in_order_callbacks(void **state) { fast_path(false, false); }
static void test_in_order_polled(void **state) { fast_path(false, true); }
static void test_out_of_order_callbacks(void **state) { fast_path(true, false); }

/* The counter counts: probing a device allocates its channels and pools. */
static void test_counter_counts(void **state)
{
	struct dma_device *dma;

	alloc_count_start();
	dma = probe(false);
	assert_true(alloc_count_stop() >= 4);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_counts),
		cmocka_unit_test(test_in_order_callbacks),
		cmocka_unit_test(test_in_order_polled),
		cmocka_unit_test(test_out_of_order_callbacks),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
