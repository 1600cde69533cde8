// SPDX-License-Identifier: MIT
/*
 * dma_errors.c - the STM32 DMA model's error flags, each when and only when
 * RM0090 10.3.18 says: TEIF on a bus error on either port and on a write to
 * the memory register in use (both disable the stream), DMEIF in direct
 * mode to a fixed memory address, FEIF on a FIFO over- or underrun (the
 * stream goes on).
 */
#include "hw/stm32-dma/dma_test.h"

/* A bus error at the first beat on the peripheral port, then on the memory port; misalignment. */
void test_teif_bus_error(void **state)
{
	struct dmat_line *l = dmat_catch(T.base, 0, 6);
	struct dmat_buf *src = dmat_buf(64, 0x11), *dst = dmat_buf(64, 0x33);
	u32 cr = M2M | PSIZE(B32) | MSIZE(B32) | PINC | MINC | TEIE | TCIE;
	u64 c0;

	/* The source (peripheral port, mem-to-mem) answers nothing: the first read fails. */
	dmat_program(T.base, 6, cr, DMDIS | FTH(0), 16, NOWHERE, (u32)dst->bus, 0);
	c0 = cycle_after(dmat_enable(T.base, 6));
	assert_int_equal(dmat_wait_flag(l, TEIF), at_cycle(c0 + LEAD + BEAT));
	assert_int_equal(dmat_caught(l), TEIF); /* no TCIF: an error is not an end */
	assert_int_equal(rd(SCR(6)) & EN, 0);
	assert_int_equal(rd(SNDTR(6)), 16);
	assert_int_equal(((u8 *)dst->cpu)[0], 0x33);
	assert_int_equal(log_find("read of 4 bytes at 0x60000000: no memory there"), 1);
	/* The destination (memory port): one word read, its write fails. */
	dmat_arm(l);
	dmat_program(T.base, 6, cr, DMDIS | FTH(0), 16, (u32)src->bus, NOWHERE, 0);
	c0 = cycle_after(dmat_enable(T.base, 6));
	assert_int_equal(dmat_wait_flag(l, TEIF), at_cycle(c0 + 2 * (LEAD + BEAT)));
	assert_int_equal(rd(SCR(6)) & EN, 0);
	assert_int_equal(rd(SNDTR(6)), 15);
	assert_int_equal(log_find("write of 4 bytes at 0x60000000: no memory there"), 1);
	/* A word to a memory address that is not word aligned (10.3.6: it "has to be aligned"). */
	dmat_arm(l);
	dmat_program(T.base, 6, cr, DMDIS | FTH(0), 16, (u32)src->bus, (u32)dst->bus + 2, 0);
	c0 = cycle_after(dmat_enable(T.base, 6));
	assert_int_equal(dmat_wait_flag(l, TEIF), at_cycle(c0 + 2 * (LEAD + BEAT)));
	assert_int_equal(rd(SNDTR(6)), 15);
	assert_int_equal(((u8 *)dst->cpu)[2], 0x33);
	assert_int_equal(log_find("stream 6: a 4-byte beat at"), 1);
}

/*
 * 10.3.9: with DBM, the memory register not in use takes a write while the
 * stream runs; writing the one in use sets TEIF and disables the stream.
 */
void test_teif_register_in_use(void **state)
{
	struct dmat_line *l = dmat_catch(T.base, 0, 1);
	struct dmat_buf *a = dmat_buf(8, 0), *b = dmat_buf(8, 0);
	u32 cr = P2M | PSIZE(B8) | MSIZE(B8) | MINC | DBM | TEIE;
	dmae_sim_time_t t;

	/* Waiting for requests (none come), CT = 0: memory 0 is in use. */
	dmat_arm(l);
	dmat_program(T.base, 1, cr, 0, 8, PERIPH_DR(1), (u32)a->bus, (u32)b->bus);
	dmat_enable(T.base, 1);
	wr(SM1AR(1), (u32)b->bus + 4);
	assert_int_equal(rd(SM1AR(1)), (u32)b->bus + 4);
	assert_int_equal(dmat_flags(T.base, 1), 0);
	t = now_ps();
	wr(SM0AR(1), (u32)a->bus + 4); /* TEIF as it is written: the handler runs at once */
	assert_true(t < dmat_caught_at(l) && dmat_caught_at(l) < now_ps());
	assert_int_equal(dmat_caught(l), TEIF);
	assert_int_equal(rd(SCR(1)) & EN, 0);
	assert_int_equal(rd(SM0AR(1)), (u32)a->bus); /* the write was refused */
	/* Started on memory 1 (CT written while disabled): the other way round. */
	dmat_arm(l);
	dmat_program(T.base, 1, cr | CT, 0, 8, PERIPH_DR(1), (u32)a->bus, (u32)b->bus);
	dmat_enable(T.base, 1);
	assert_int_equal(rd(SCR(1)) & CT, CT);
	wr(SM0AR(1), (u32)a->bus + 4);
	assert_int_equal(rd(SM0AR(1)), (u32)a->bus + 4);
	wr(SM1AR(1), (u32)b->bus + 4);
	dmat_wait_flag(l, TEIF);
	assert_int_equal(rd(SCR(1)) & EN, 0);
	assert_int_equal(rd(SM1AR(1)), (u32)b->bus);
}

/*
 * Stream 0, very high priority, copies memory with long memory bursts;
 * stream 1 takes bytes from a fast peripheral in direct mode. While stream
 * 0 holds the memory port, stream 1 serves a second request before its
 * first byte went to memory: DMEIF, only when MINC is clear.
 */
static u32 direct_mode_race(bool minc)
{
	struct hwtest_periph *p = hwtest_periph_get(PERIPH(1));
	struct dmat_buf *src = dmat_buf(4096, 0), *dst = dmat_buf(4096, 0), *rx = dmat_buf(64, 0);

	dmat_program(T.base, 0, M2M | PSIZE(B8) | MSIZE(B8) | MBURST(3) | PINC | MINC | PL(3),
		     DMDIS | FTH(3), 4096, (u32)src->bus, (u32)dst->bus, 0);
	dmat_program(T.base, 1, P2M | PSIZE(B8) | MSIZE(B8) | (minc ? MINC : 0), 0, 32,
		     PERIPH_DR(1), (u32)rx->bus, 0);
	dmat_enable(T.base, 1);
	dmat_enable(T.base, 0);
	hwtest_periph_rx(p, 1000, now_ps(), 20 * DMAE_PS_PER_NS);
	dmat_wait_idle(T.base, 0);
	dmat_wait_idle(T.base, 1);
	assert_int_equal(rd(SNDTR(1)), 0);
	return dmat_flags(T.base, 1);
}

void test_dmeif(void **state)
{
	assert_int_equal(direct_mode_race(false) & DMEIF, DMEIF);
	wr(IFCR(1), ALLF << FLAG_SHIFT(1));
	assert_int_equal(direct_mode_race(true) & DMEIF, 0);
}

/*
 * The note of 10.3.11: a peripheral burst of the FIFO's size with the 3/4
 * threshold. The burst fills the FIFO, the threshold's 12 bytes go out, and
 * the next burst never fits: FEIF (overrun), the stream still enabled.
 */
void test_feif_overrun(void **state)
{
	struct hwtest_periph *p = hwtest_periph_get(PERIPH(2));
	struct dmat_line *l = dmat_catch(T.base, 0, 2);
	struct dmat_buf *dst = dmat_buf(256, 0);
	dmae_sim_time_t t;

	dmat_program(T.base, 2, P2M | PSIZE(B32) | MSIZE(B32) | PBURST(1) | MINC,
		     DMDIS | FTH(2) | FEIE, 64, PERIPH_DR(2), (u32)dst->bus, 0);
	dmat_enable(T.base, 2);
	hwtest_periph_line(p, true); /* requests all the time */
	t = now_ps();
	/* One burst of four register beats, three single words out, then stuck. */
	assert_int_equal(dmat_wait_flag(l, FEIF),
			 at_cycle(cycle_after(t) + LEAD + 4 * REG_BEAT + 3 * (LEAD + BEAT)));
	assert_int_equal(rd(SCR(2)) & EN, EN);
	assert_int_equal(rd(SNDTR(2)), 60);
	assert_int_equal(FS(rd(SFCR(2))), 1);
	wr(SCR(2), rd(SCR(2)) & ~EN); /* the flush writes the last word */
	dmat_wait_idle(T.base, 2);
	assert_int_equal(rd(SNDTR(2)), 60);
	assert_int_equal(FS(rd(SFCR(2))), FS_EMPTY);
	hwtest_periph_line(p, false);
}

/*
 * On DMA3 (slow memory): stream 0, very high priority, holds the memory
 * port for long bursts; stream 1 feeds a peripheral in direct mode, and a
 * request comes before its next item could be fetched: FEIF (underrun).
 */
void test_feif_underrun(void **state)
{
	void __iomem *base = dmat_other(DMA3);
	struct hwtest_periph *p = hwtest_periph_get(PERIPH_DMA3);
	struct dmat_line *l = dmat_catch(base, 1, 1);
	struct dmat_buf *src = dmat_buf(4096, 0), *dst = dmat_buf(4096, 0), *tx = dmat_buf(64, 0);
	struct hwtest_periph_stats st;

	dmat_program(base, 1, M2P | PSIZE(B8) | MSIZE(B8) | MINC, FEIE, 64, PERIPH_DMA3_DR,
		     (u32)tx->bus, 0);
	dmat_program(base, 0, M2M | PSIZE(B8) | MSIZE(B8) | MBURST(3) | PINC | MINC | PL(3),
		     DMDIS | FTH(3), 4096, (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(base, 1);
	dmat_enable(base, 0);
	hwtest_periph_tx(p, 64, now_ps() + DMAE_PS_PER_US, 200 * DMAE_PS_PER_NS);
	dmat_wait_flag(l, FEIF);
	assert_int_equal(readl(base + SCR(1)) & EN, EN); /* it goes on */
	dmat_wait_idle(base, 1);
	hwtest_periph_stats(p, &st);
	assert_int_equal(st.items, 64); /* nothing lost: the request waited */
}
