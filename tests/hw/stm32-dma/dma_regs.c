// SPDX-License-Identifier: MIT
/*
 * dma_regs.c - the STM32 DMA model's registers: reset values, 32-bit
 * accesses only, the bits software can write, write protection while a
 * stream is enabled, the bits the hardware forces at enable, and EN reading
 * 1 until the stream has stopped (RM0090 10.5, 10.3.14).
 */
#include "hw/stm32-dma/dma_test.h"

/* RM0090 table 52: every register 0 but SxFCR, 0x21; reserved space reads 0. */
void test_reset_values(void **state)
{
	for (unsigned int n = 0; n < 8; n++) {
		assert_int_equal(rd(SCR(n)), 0);
		assert_int_equal(rd(SNDTR(n)), 0);
		assert_int_equal(rd(SPAR(n)), 0);
		assert_int_equal(rd(SM0AR(n)), 0);
		assert_int_equal(rd(SM1AR(n)), 0);
		assert_int_equal(rd(SFCR(n)), 0x21);
	}
	assert_int_equal(rd(LISR), 0);
	assert_int_equal(rd(HISR), 0);
	assert_int_equal(rd(LIFCR), 0);
	assert_int_equal(rd(HIFCR), 0);
	wr(0xd0, ~0u);
	assert_int_equal(rd(0xd0), 0);
	assert_int_equal(rd(0x3fc), 0);
}

/* 10.2: "AHB slave programming interface supporting only 32-bit accesses". */
void test_32bit_accesses(void **state)
{
	wr(SPAR(1), 0x12345678);
	assert_int_equal(readw(T.base + SPAR(1)), 0);
	assert_int_equal(log_find("bus error: readw at 0x48000030: 16-bit access"), 1);
	assert_int_equal(readb(T.base + SPAR(1) + 1), 0);
	writeb(0xff, T.base + SPAR(1));
	writew(0xffff, T.base + SPAR(1));
	assert_int_equal(rd(SPAR(1)), 0x12345678);
}

/* Each register keeps exactly its writable bits; status registers take nothing. */
void test_writable_bits(void **state)
{
	wr(SCR(2), 0xfffffffe); /* all but EN: reserved 31:28 stay 0 */
	assert_int_equal(rd(SCR(2)), 0x0ffffffe);
	wr(SNDTR(2), ~0u);
	assert_int_equal(rd(SNDTR(2)), 0xffff);
	wr(SPAR(2), ~0u);
	wr(SM0AR(2), 0xfffffff0);
	wr(SM1AR(2), 0x0000000f);
	assert_int_equal(rd(SPAR(2)), 0xffffffff);
	assert_int_equal(rd(SM0AR(2)), 0xfffffff0);
	assert_int_equal(rd(SM1AR(2)), 0x0000000f);
	wr(SFCR(2), ~0u); /* FEIE, DMDIS, FTH; FS reads the (empty) FIFO, bit 6 reserved */
	assert_int_equal(rd(SFCR(2)), FEIE | (FS_EMPTY << 3) | DMDIS | FTH(3));
	wr(LISR, ~0u);
	wr(HISR, ~0u);
	assert_int_equal(rd(LISR), 0);
	assert_int_equal(rd(HISR), 0);
	wr(SCR(2), 0);
	assert_int_equal(rd(SCR(2)), 0);
}

/* 10.5.5-10.5.10: configuration bits are protected while EN=1; the enables are not. */
void test_write_protection(void **state)
{
	struct dmat_buf *b = dmat_buf(64, 0);
	u32 cr = P2M | PSIZE(B8) | MSIZE(B8) | MINC | PL(1) | TCIE;

	/* Peripheral-paced, its request low: the stream stays enabled, waiting. */
	dmat_program(T.base, 0, cr, DMDIS | FTH(1), 16, PERIPH_DR(0), (u32)b->bus, 0x1000);
	dmat_enable(T.base, 0);
	assert_int_equal(rd(SCR(0)), cr | EN);
	wr(SCR(0), cr | EN | PSIZE(B32) | PL(3) | DBM | PINC | CT | PBURST(1) | M2P);
	assert_int_equal(rd(SCR(0)), cr | EN);
	wr(SCR(0), ((cr | HTIE | TEIE | DMEIE) & ~TCIE) | EN);
	assert_int_equal(rd(SCR(0)), ((cr | HTIE | TEIE | DMEIE) & ~TCIE) | EN);
	wr(SNDTR(0), 5);
	assert_int_equal(rd(SNDTR(0)), 16);
	wr(SPAR(0), 0x1234);
	wr(SM0AR(0), 0x5678);
	wr(SM1AR(0), 0x9abc);
	assert_int_equal(rd(SPAR(0)), PERIPH_DR(0));
	assert_int_equal(rd(SM0AR(0)), (u32)b->bus);
	assert_int_equal(rd(SM1AR(0)), 0x1000);
	assert_int_equal(dmat_flags(T.base, 0), 0); /* no DBM: ignored, no error */
	wr(SFCR(0), FEIE | FTH(3));
	assert_int_equal(rd(SFCR(0)), FEIE | (FS_EMPTY << 3) | DMDIS | FTH(1));
	/* Disabled, everything is writable again. */
	wr(SCR(0), rd(SCR(0)) & ~EN);
	assert_int_equal(rd(SCR(0)) & EN, 0);
	wr(SNDTR(0), 5);
	wr(SPAR(0), 0x1234);
	assert_int_equal(rd(SNDTR(0)), 5);
	assert_int_equal(rd(SPAR(0)), 0x1234);
}

/* The "forced bits" of 10.5.5 and 10.5.10, each as the stream is enabled. */
void test_forced_bits(void **state)
{
	struct dmat_buf *src = dmat_buf(64, 0x11), *dst = dmat_buf(64, 0);
	u32 cr;

	/* Direct mode: MSIZE = PSIZE, single transfers, no PINCOS. */
	cr = P2M | PSIZE(B16) | MSIZE(B32) | PBURST(1) | MBURST(2) | PINC | PINCOS | MINC;
	dmat_program(T.base, 0, cr, FTH(1), 8, PERIPH_DR(0), (u32)dst->bus, 0);
	dmat_enable(T.base, 0);
	assert_int_equal(rd(SCR(0)), P2M | PSIZE(B16) | MSIZE(B16) | PINC | MINC | EN);
	/* FIFO mode with peripheral bursts: PINCOS forced low, the bursts kept. */
	cr = P2M | PSIZE(B8) | MSIZE(B8) | PBURST(1) | PINC | PINCOS | MINC;
	dmat_program(T.base, 1, cr, DMDIS | FTH(3), 8, PERIPH_DR(1), (u32)dst->bus, 0);
	dmat_enable(T.base, 1);
	assert_int_equal(rd(SCR(1)), (cr & ~PINCOS) | EN);
	/* Double buffer: CIRC forced. */
	cr = P2M | PSIZE(B8) | MSIZE(B8) | MINC | DBM;
	dmat_program(T.base, 2, cr, 0, 8, PERIPH_DR(2), (u32)dst->bus, (u32)dst->bus + 32);
	dmat_enable(T.base, 2);
	assert_int_equal(rd(SCR(2)), cr | CIRC | EN);
	/* Peripheral flow control: CIRC forced off, NDTR forced to 0xFFFF. */
	cr = P2M | PSIZE(B8) | MSIZE(B8) | MINC | PFCTRL | CIRC;
	dmat_program(T.base, 3, cr, 0, 10, PERIPH_DR(3), (u32)dst->bus, 0);
	dmat_enable(T.base, 3);
	assert_int_equal(rd(SCR(3)), (cr & ~CIRC) | EN);
	assert_int_equal(rd(SNDTR(3)), 0xffff);
	/* Memory-to-memory: DMDIS set (no direct mode), PFCTRL cleared; it runs in FIFO mode. */
	cr = M2M | PSIZE(B8) | MSIZE(B8) | PINC | MINC | PFCTRL;
	dmat_program(T.base, 4, cr, FTH(3), 64, (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(T.base, 4);
	assert_int_equal(rd(SFCR(4)) & DMDIS, DMDIS);
	dmat_wait_idle(T.base, 4);
	assert_int_equal(rd(SCR(4)), cr & ~PFCTRL);
	assert_int_equal(dmat_flags(T.base, 4), HTIF | TCIF);
	assert_memory_equal(dst->cpu, src->cpu, 64);
	for (unsigned int n = 0; n < 4; n++) {
		wr(SCR(n), rd(SCR(n)) & ~EN);
		assert_int_equal(rd(SCR(n)) & EN, 0);
	}
}

/*
 * 10.3.14, 10.5.5: EN written 0 is not immediately effective: the burst
 * going on completes, the FIFO is flushed, then TCIF and EN reads 0. NDTR
 * keeps the items read. On DMA3, whose slow memory makes a burst last.
 */
void test_en_reads_1_until_stopped(void **state)
{
	void __iomem *base = dmat_other(DMA3);
	struct dmat_line *l = dmat_catch(base, 1, 2);
	struct dmat_buf *src = dmat_buf(256, 0), *dst = dmat_buf(256, 0x5a);
	const u64 lead = 2 + 3, beat = 20, burst = lead + 16 * beat; /* DMA3's timing */
	u32 cr = M2M | PSIZE(B8) | MSIZE(B8) | PBURST(3) | MBURST(3) | PINC | MINC | TCIE;
	dmae_sim_time_t t_en, t_tc;
	u64 c0;

	dmat_pattern(src, 1);
	dmat_program(base, 2, cr, DMDIS | FTH(3), 256, (u32)src->bus, (u32)dst->bus, 0);
	t_en = dmat_enable(base, 2);
	c0 = cycle_after(t_en);
	udelay(1); /* into the first read burst (1.56 us) */
	writel(cr, base + SCR(2));
	assert_true(now_ps() < at_cycle(c0 + burst));
	assert_int_equal(readl(base + SCR(2)) & EN, EN);
	t_tc = dmat_wait_flag(l, TCIF);
	/* The read burst ends, then its 16 bytes are flushed: one more burst. */
	assert_int_equal(t_tc, at_cycle(c0 + 2 * burst));
	assert_int_equal(readl(base + SCR(2)) & EN, 0);
	assert_int_equal(readl(base + SNDTR(2)), 256 - 16);
	assert_memory_equal(dst->cpu, src->cpu, 16);
	assert_int_equal(((u8 *)dst->cpu)[16], 0x5a);
}
