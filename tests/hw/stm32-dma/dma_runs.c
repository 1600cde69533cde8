// SPDX-License-Identifier: MIT
/*
 * dma_runs.c - the STM32 DMA model's runs of beats are exact: random
 * transfers on twin controllers, DMA4 (which skips whole periods of a run
 * at once) and DMA5 (dmaengine,step-beats: every burst worked out), started
 * one CPU access apart and read one access apart, so that both are always
 * looked at the same number of cycles into their transfer (at 200 MHz a
 * 20 ns access is 4 cycles): every register read and the memory must agree.
 * DMAT_SEED=n replays a run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/rng.h"
#include "hw/stm32-dma/dma_test.h"

#define DMA4 "48004000.dma-controller"
#define DMA5 "48005000.dma-controller"
#define TWIN_PS 5000u /* a cycle of their 200 MHz clock */
#define CASES 80
#define BUF 8192

struct twin {
	void __iomem *base[2];		/* DMA4, DMA5 */
	struct dmat_buf *src[2], *dst[2];
	struct hwtest_periph *req[2];	/* their line 0, held high for P2M and M2P */
	u32 cr, fcr, ndtr, par, m0ar, m1ar; /* offsets of the buffers in the address fields */
};

static u32 pick_pburst(u32 psz)
{
	u32 pb = (u32)rnd_range(0, 3);

	return (4u << pb) << psz > 16 ? 0 : pb; /* a burst larger than the FIFO would never fit */
}

/* A random stream configuration; addresses as offsets into the source and destination. */
static void pick(struct twin *tw)
{
	u32 dir = (u32)rnd_range(0, 4) % 3, psz = (u32)rnd_range(0, 2), msz = (u32)rnd_range(0, 2);
	u32 items = (u32)rnd_range(1, 4096u >> psz), align = 1u << (psz > msz ? psz : msz);
	bool direct = dir != 2 && !rnd_range(0, 2), circ = dir != 2 && !rnd_range(0, 3);

	tw->cr = (dir << 6) | PSIZE(psz) | MSIZE(msz) | PL(rnd_range(0, 3));
	tw->cr |= rnd_range(0, 7) ? PINC : 0;
	tw->cr |= rnd_range(0, 7) ? MINC : 0;
	tw->cr |= circ ? CIRC : 0;
	tw->cr |= circ && rnd_range(0, 1) ? DBM : 0;
	if (!direct)
		tw->cr |= PBURST(pick_pburst(psz)) | MBURST(rnd_range(0, 3));
	tw->fcr = (direct ? 0 : DMDIS) | FTH(rnd_range(0, 3));
	tw->ndtr = items;
	/* Mostly aligned to the bursts (64 bytes); sometimes only to the sizes. */
	tw->par = rnd_range(0, 3) ? 0 : (u32)rnd_range(0, 63) & ~(align - 1);
	tw->m0ar = rnd_range(0, 3) ? 0 : (u32)rnd_range(0, 63) & ~(align - 1);
	tw->m1ar = tw->m0ar + 4096;
}

/* Program stream 0 of twin @i with the buffers behind the offsets. */
static void program(struct twin *tw, unsigned int i)
{
	bool m2p = (tw->cr & (3u << 6)) == M2P;
	u32 src = (u32)tw->src[i]->bus, dst = (u32)tw->dst[i]->bus;

	dmat_program(tw->base[i], 0, tw->cr, tw->fcr, tw->ndtr, (m2p ? dst : src) + tw->par,
		     (m2p ? src : dst) + tw->m0ar, (m2p ? src : dst) + tw->m1ar);
}

/* Read @off on both twins, one access apart; they must agree. */
static u32 both(struct twin *tw, u32 off, u32 c)
{
	u32 a = readl(tw->base[0] + off), b = readl(tw->base[1] + off);

	if (a != b)
		fail_msg("case %u: register %#x: %#x with runs, %#x beat by beat (DMAT_SEED=%llu)", c,
			 off, a, b, (unsigned long long)seed);
	return a;
}

static void compare_all(struct twin *tw, u32 c)
{
	both(tw, SNDTR(0), c);
	both(tw, SFCR(0), c);
	both(tw, LISR, c);
	both(tw, SCR(0), c);
}

static void one_case(struct twin *tw, u32 c)
{
	u64 est = ((u64)tw->ndtr << ((tw->cr >> 11) & 3)) * 8 + 400; /* cycles, roughly */
	u64 end = est * rnd_range(2, 20) / 10 * TWIN_PS;
	u32 samples = (u32)rnd_range(2, 12);
	dmae_sim_time_t t0;

	for (unsigned int i = 0; i < 2; i++) {
		dmat_pattern(tw->src[i], c);
		memset(tw->dst[i]->cpu, 0xcc, BUF);
		program(tw, i);
	}
	/* Started one access apart: by EN, or by their request lines rising. */
	if ((tw->cr & (3u << 6)) == M2M) {
		t0 = now_ps();
		writel(tw->cr | EN, tw->base[0] + SCR(0));
		writel(tw->cr | EN, tw->base[1] + SCR(0));
	} else {
		writel(tw->cr | EN, tw->base[0] + SCR(0));
		writel(tw->cr | EN, tw->base[1] + SCR(0));
		t0 = now_ps() + DMAE_PS_PER_US;
		hwtest_periph_rx(tw->req[0], 1, t0, DMAE_PS_PER_US);
		hwtest_periph_rx(tw->req[1], 1, t0 + 20 * DMAE_PS_PER_NS, DMAE_PS_PER_US);
	}
	for (u32 k = 0; k < samples; k++) {
		sleep_until(t0 + end * (k + 1) / (samples + 1) + (u64)rnd_range(0, 40) * TWIN_PS / 8);
		compare_all(tw, c);
		assert_memory_equal(tw->dst[0]->cpu, tw->dst[1]->cpu, BUF);
	}
	sleep_until(t0 + end);
	if (both(tw, SCR(0), c) & EN) { /* disabled at the same point of both */
		writel(tw->cr, tw->base[0] + SCR(0));
		writel(tw->cr, tw->base[1] + SCR(0));
	}
	while (both(tw, SCR(0), c) & EN)
		udelay(1);
	compare_all(tw, c);
	assert_memory_equal(tw->dst[0]->cpu, tw->dst[1]->cpu, BUF);
	hwtest_periph_line(tw->req[0], false);
	hwtest_periph_line(tw->req[1], false);
}

void test_runs_are_exact(void **state)
{
	const char *env = getenv("DMAT_SEED");
	struct twin tw = { .base = { dmat_other(DMA4), dmat_other(DMA5) } };
	dmae_sim_time_t t;

	seed = env ? strtoull(env, NULL, 0) : 0x5eed5eedull;
	printf("DMAT_SEED=%llu\n", (unsigned long long)seed);
	/* One access is exactly four cycles of the twins' clock, or the check means nothing. */
	t = now_ps();
	readl(tw.base[0] + SCR(0));
	assert_int_equal((now_ps() - t) % TWIN_PS, 0);
	assert_int_equal(now_ps() - t, 20 * DMAE_PS_PER_NS);
	tw.req[0] = hwtest_periph_get("40022000.periph");
	tw.req[1] = hwtest_periph_get("40022100.periph");
	for (unsigned int i = 0; i < 2; i++) {
		tw.src[i] = dmat_buf(BUF, 0);
		tw.dst[i] = dmat_buf(BUF, 0);
	}
	for (u32 c = 0; c < CASES; c++) {
		rng_init(c);
		pick(&tw);
		one_case(&tw, c);
	}
}
