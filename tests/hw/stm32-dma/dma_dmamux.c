// SPDX-License-Identifier: MIT
/*
 * dma_dmamux.c - the STM32 DMA model behind the DMAMUX model, end to end: a
 * request generator's requests, routed to a DMA1 stream, are served one
 * single each and acknowledged (RM0090 10.3.3: the DMA acknowledges a
 * request it served; RM0490 12.4.5: a generated request is deasserted when
 * served, and the generator's counter counts it), so that a trigger moves
 * exactly GNBREQ + 1 items and the generator is done before the next.
 */
#include "common/hwtest_dmamux.h"
#include "hw/stm32-dma/dma_test.h"

#define DMAMUX "48002000.dma-router"
#define CxCR(x) (0x04u * (x))
#define RGxCR(x) (0x100u + 0x04u * (x))
#define RGSR 0x140u
#define RGCFR 0x144u
#define GE (1u << 16)
#define GPOL_RISING (1u << 17)
#define GNBREQ(x) ((u32)(x) << 19)
#define REQ_GEN0 1u   /* DMAREQ_ID of generator 0's output */
#define TRIG_LPTIM1 3 /* trigger input 3 (LPTIM1 on the MP1), driven from outside */
#define STREAM 7      /* DMA1 stream 7 = DMAMUX output 7; no stand-in drives its line */
#define ITEMS 8
#define PER_TRIGGER 4 /* GNBREQ 3 */

static dmae_sim_time_t cycles(u64 n)
{
	return dmae_sim_cycles_ps(n, MCU_HZ);
}

/* A rising edge on trigger input 3, held 10 cycles (3 are needed to be seen), at @t. */
static void trigger_at(const struct dmae_hw_port *trig, struct hwtest_stim st[2],
		       dmae_sim_time_t t)
{
	hwtest_drive_at(&st[0], trig, TRIG_LPTIM1, true, t);
	hwtest_drive_at(&st[1], trig, TRIG_LPTIM1, false, t + cycles(10));
}

void test_dmamux_generator(void **state)
{
	struct hwtest_periph *sp = hwtest_periph_get(PERIPH(0));
	struct dmat_buf *src = dmat_buf(ITEMS, 0), *dst = dmat_buf(ITEMS, 0);
	struct hwtest_stim st[4];
	const struct dmae_hw_port *trig;
	struct hwtest_regs mux;
	struct dmat_line *l;
	dmae_sim_time_t t0, tc;

	assert_non_null(sp);
	assert_int_equal(hwtest_regs_map(&mux, DMAMUX), 0);
	trig = dmae_hw_port(dmae_hw_find(hwtest_periph_hw(sp), mux.pdev->dev.of_node), "triggers");
	assert_non_null(trig);
	dmat_pattern(src, 7);
	l = dmat_catch(T.base, 0, STREAM);
	dmat_arm(l);

	/* Generator 0: four requests per rising edge of LPTIM1; output 7 carries them. */
	writel(TRIG_LPTIM1 | GE | GPOL_RISING | GNBREQ(PER_TRIGGER - 1), mux.base + RGxCR(0));
	writel(REQ_GEN0, mux.base + CxCR(STREAM));
	/* Stream 7: a byte from "the peripheral" (memory, PINC) per request, direct mode. */
	dmat_program(T.base, STREAM, P2M | PSIZE(B8) | MSIZE(B8) | PINC | MINC | TCIE, 0, ITEMS,
		     (u32)src->bus, (u32)dst->bus, 0);
	t0 = dmat_enable(T.base, STREAM);

	trigger_at(trig, st, t0 + cycles(20));
	hwtest_run_until(T.sim, t0 + cycles(400));
	/* Four requests served, each acknowledged: four items, and the generator is done. */
	assert_int_equal(readl(T.base + SNDTR(STREAM)), ITEMS - PER_TRIGGER);
	assert_true(readl(T.base + SCR(STREAM)) & EN);
	assert_int_equal(dmat_flags(T.base, STREAM), HTIF); /* its half (HTIE off: no interrupt) */
	assert_int_equal(memcmp(dst->cpu, src->cpu, PER_TRIGGER), 0);
	assert_int_equal(((u8 *)dst->cpu)[PER_TRIGGER], 0);
	assert_int_equal(readl(mux.base + RGSR), 0);

	/* The next trigger finds it done (no overrun) and brings the other four: the end. */
	trigger_at(trig, st + 2, t0 + cycles(500));
	assert_true(dmat_wait(l) & TCIF);
	tc = __atomic_load_n(&l->at, __ATOMIC_RELAXED);
	assert_true(tc > t0 + cycles(500));
	/* Each request: the trigger seen, then a single read and write of LEAD + BEAT each. */
	assert_true(tc >= t0 + cycles(500 + 3 + PER_TRIGGER * 2 * (LEAD + BEAT)));
	assert_true(tc < t0 + cycles(900));
	assert_int_equal(readl(T.base + SNDTR(STREAM)), 0);
	dmat_wait_idle(T.base, STREAM);
	assert_int_equal(memcmp(dst->cpu, src->cpu, ITEMS), 0);
	assert_int_equal(readl(mux.base + RGSR), 0);
	writel(0, mux.base + CxCR(STREAM));
	writel(0, mux.base + RGxCR(0));
	hwtest_regs_unmap(&mux);
}
