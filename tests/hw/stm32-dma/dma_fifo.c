// SPDX-License-Identifier: MIT
/*
 * dma_fifo.c - the STM32 DMA model's FIFO: each threshold / memory burst
 * combination (RM0090 table 49), packing and unpacking between PSIZE and
 * MSIZE (table 47) with odd lengths, the flush when a stream is disabled,
 * FS read back live, and the address increments (PINC, MINC, PINCOS).
 */
#include "hw/stm32-dma/dma_test.h"

/*
 * RM0090 table 49, written out: for MSIZE byte, half-word and word, and each
 * threshold (1/4, 1/2, 3/4, full), the memory bursts allowed, as a bit per
 * MBURST value (1 INCR4, 2 INCR8, 3 INCR16). Singles are always allowed.
 */
static const u8 table49[3][4] = {
	{ 1 << 1, 1 << 1 | 1 << 2, 1 << 1, 1 << 1 | 1 << 2 | 1 << 3 },
	{ 0, 1 << 1, 0, 1 << 1 | 1 << 2 },
	{ 0, 0, 0, 1 << 1 },
};

/* Allowed combinations run to TCIF with the data right; forbidden ones set FEIF and disable. */
void test_threshold_burst(void **state)
{
	struct dmat_buf *src = dmat_buf(64, 0), *dst = dmat_buf(64, 0);

	dmat_pattern(src, 3);
	for (u32 size = B8; size <= B32; size++)
		for (u32 fth = 0; fth < 4; fth++)
			for (u32 mb = 0; mb < 4; mb++) {
				bool ok = !mb || (table49[size][fth] & (1u << mb));
				u32 cr = M2M | PSIZE(size) | MSIZE(size) | MBURST(mb) | PINC | MINC;
				u32 ndtr = 64u >> size;

				memset(dst->cpu, 0, 64);
				dmat_program(T.base, 5, cr, DMDIS | FTH(fth), ndtr, (u32)src->bus,
					     (u32)dst->bus, 0);
				dmat_enable(T.base, 5);
				if (!ok) {
					/* At once: FEIF, EN cleared, nothing moved. */
					assert_int_equal(rd(SCR(5)) & EN, 0);
					assert_int_equal(dmat_flags(T.base, 5), FEIF);
					assert_int_equal(rd(SNDTR(5)), ndtr);
					assert_int_equal(((u8 *)dst->cpu)[0], 0);
					continue;
				}
				dmat_wait_idle(T.base, 5);
				if (dmat_flags(T.base, 5) != (HTIF | TCIF))
					fail_msg("size %u fth %u mburst %u: flags %#x", size, fth, mb,
						 dmat_flags(T.base, 5));
				assert_int_equal(rd(SNDTR(5)), 0);
				assert_memory_equal(dst->cpu, src->cpu, 64);
			}
}

/* Table 47: bytes read one by one from a peripheral land in memory packed, little-endian. */
void test_packing_byte_to_word(void **state)
{
	struct dmat_paced p = { .n = 0, .cr = P2M | PSIZE(B8) | MSIZE(B32) | MINC,
				.fcr = DMDIS | FTH(1), .buf = dmat_buf(32, 0), .count = 32,
				.interval = 100 * DMAE_PS_PER_NS };
	const u8 *m = p.buf->cpu;

	p.start = now_ps() + DMAE_PS_PER_US;
	dmat_run_paced(&p);
	assert_int_equal(p.st.items, 32);
	assert_int_equal(p.st.overruns, 0);
	for (unsigned int i = 0; i < 32; i++) {
		assert_int_equal(m[i], (u8)hwtest_pattern(i));
		assert_int_equal(p.st.val[i], hwtest_pattern(i) & 0xff); /* byte reads */
	}
}

/* And back: words from memory reach a byte peripheral one byte at a time, in order. */
void test_unpacking_word_to_byte(void **state)
{
	struct dmat_paced p = { .n = 1, .cr = M2P | PSIZE(B8) | MSIZE(B32) | MINC,
				.fcr = DMDIS | FTH(3), .buf = dmat_buf(16, 0), .count = 16,
				.interval = 100 * DMAE_PS_PER_NS };
	const u8 *m = p.buf->cpu;

	dmat_pattern(p.buf, 7);
	p.start = now_ps() + DMAE_PS_PER_US;
	dmat_run_paced(&p);
	assert_int_equal(p.st.items, 16);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(p.st.val[i], m[i]);
	assert_int_equal(rd(SNDTR(1)), 0); /* NDTR counted peripheral (byte) items */
}

/*
 * Table 48 broken on purpose: 7 bytes into words. The last partial word is
 * written at MSIZE (10.3.12): its fourth byte is what the FIFO held there
 * before, an "undesired value"; past it, memory is untouched.
 */
void test_packing_odd_length(void **state)
{
	struct dmat_buf *old = dmat_buf(16, 0xee), *src = dmat_buf(16, 0), *dst = dmat_buf(16, 0x55);
	struct dmat_buf *sink = dmat_buf(16, 0);
	u32 cr = M2M | PSIZE(B8) | MSIZE(B32) | PINC | MINC;
	u8 *m = dst->cpu;

	/* First 16 bytes of 0xee through the stream: they stay in the FIFO's cells. */
	dmat_program(T.base, 3, cr, DMDIS | FTH(3), 16, (u32)old->bus, (u32)sink->bus, 0);
	dmat_enable(T.base, 3);
	dmat_wait_idle(T.base, 3);
	dmat_pattern(src, 11);
	dmat_program(T.base, 3, cr, DMDIS | FTH(3), 7, (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(T.base, 3);
	dmat_wait_idle(T.base, 3);
	assert_int_equal(dmat_flags(T.base, 3), HTIF | TCIF);
	assert_int_equal(rd(SNDTR(3)), 0);
	assert_memory_equal(m, src->cpu, 7);
	assert_int_equal(m[7], 0xee);
	for (unsigned int i = 8; i < 16; i++)
		assert_int_equal(m[i], 0x55);
}

/*
 * 10.3.12 "FIFO flush": disabling a peripheral-to-memory stream writes what
 * the FIFO holds (a word, then a partial word at MSIZE), then sets TCIF;
 * NDTR keeps the items the peripheral gave.
 */
void test_flush_on_disable(void **state)
{
	struct hwtest_periph *p = hwtest_periph_get(PERIPH(2));
	struct dmat_line *l = dmat_catch(T.base, 0, 2);
	struct dmat_buf *dst = dmat_buf(32, 0x5a);
	struct hwtest_periph_stats st;
	u8 *m = dst->cpu;
	dmae_sim_time_t t0;

	dmat_program(T.base, 2, P2M | PSIZE(B8) | MSIZE(B32) | MINC | TCIE, DMDIS | FTH(3), 32,
		     PERIPH_DR(2), (u32)dst->bus, 0);
	dmat_enable(T.base, 2);
	t0 = now_ps() + DMAE_PS_PER_US;
	hwtest_periph_rx(p, 6, t0, 100 * DMAE_PS_PER_NS);
	sleep_until(t0 + DMAE_PS_PER_US);
	hwtest_periph_stats(p, &st);
	assert_int_equal(st.items, 6);
	/* Below the threshold: all six bytes wait in the FIFO (1/4 <= level < 1/2). */
	assert_int_equal(FS(rd(SFCR(2))), 1);
	assert_int_equal(m[0], 0x5a);
	assert_int_equal(rd(SNDTR(2)), 26);
	wr(SCR(2), rd(SCR(2)) & ~EN);
	dmat_wait_flag(l, TCIF);
	assert_int_equal(rd(SCR(2)) & EN, 0);
	assert_int_equal(rd(SNDTR(2)), 26);
	assert_int_equal(FS(rd(SFCR(2))), FS_EMPTY);
	for (unsigned int i = 0; i < 6; i++)
		assert_int_equal(m[i], (u8)hwtest_pattern(i));
	/* The partial word: two bytes of data, two of the FIFO's old cells (never used: 0). */
	assert_int_equal(m[6], 0);
	assert_int_equal(m[7], 0);
	assert_int_equal(m[8], 0x5a);
}

static unsigned int fs_of(unsigned int level)
{
	return !level ? FS_EMPTY : level == 16 ? FS_FULL : level / 4;
}

/*
 * 10.5.10: FS follows the FIFO's level as bytes arrive, at the moment it is
 * read, up to full; at the threshold (full) the FIFO drains. On DMA3, whose
 * slow memory keeps the FIFO full long enough to be seen.
 */
void test_fifo_status_live(void **state)
{
	void __iomem *base = dmat_other(DMA3);
	struct hwtest_periph *p = hwtest_periph_get(PERIPH_DMA3);
	struct dmat_buf *dst = dmat_buf(32, 0);
	const u64 lead = 2 + 3, reg_beat = 5, beat = 20; /* DMA3's timing */
	const dmae_sim_time_t interval = 3 * DMAE_PS_PER_US;
	dmae_sim_time_t t0, read;

	dmat_program(base, 1, P2M | PSIZE(B8) | MSIZE(B8) | MINC, DMDIS | FTH(3), 32,
		     PERIPH_DMA3_DR, (u32)dst->bus, 0);
	dmat_enable(base, 1);
	assert_int_equal(FS(readl(base + SFCR(1))), FS_EMPTY);
	t0 = now_ps() + DMAE_PS_PER_US;
	hwtest_periph_rx(p, 17, t0, interval);
	for (unsigned int k = 0; k < 16; k++) {
		/* item k's read: at the request's next edge, after the lead and one register beat */
		read = at_cycle(cycle_after(t0 + k * interval) + lead + reg_beat);
		sleep_until(read + 20 * DMAE_PS_PER_NS);
		assert_int_equal(FS(readl(base + SFCR(1))), fs_of(k + 1));
		assert_int_equal(readl(base + SNDTR(1)), 32 - (k + 1));
	}
	/* Sixteen singles out, 25 cycles each: empty again before the next byte comes. */
	sleep_until(read + dmae_sim_cycles_ps(16 * (lead + beat) + 1, MCU_HZ));
	assert_int_equal(FS(readl(base + SFCR(1))), FS_EMPTY);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(((u8 *)dst->cpu)[i], (u8)hwtest_pattern(i));
}

/* 10.3.7: PINC with PINCOS steps the peripheral side by 4 whatever PSIZE; no MINC, no PINC. */
void test_pinc_minc_pincos(void **state)
{
	struct dmat_buf *src = dmat_buf(64, 0), *dst = dmat_buf(16, 0x77);
	const u8 *s = src->cpu;
	u8 *d = dst->cpu;

	dmat_pattern(src, 5);
	dmat_program(T.base, 4, M2M | PSIZE(B8) | MSIZE(B8) | PINC | PINCOS | MINC, DMDIS | FTH(3),
		     8, (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(T.base, 4);
	dmat_wait_idle(T.base, 4);
	assert_int_equal(rd(SCR(4)) & PINCOS, PINCOS); /* kept: FIFO mode, single transfers */
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(d[i], s[4 * i]);
	/* MINC clear: every byte to the same address, the last one stays. */
	memset(d, 0x77, 16);
	dmat_program(T.base, 4, M2M | PSIZE(B8) | MSIZE(B8) | PINC, DMDIS | FTH(3), 8,
		     (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(T.base, 4);
	dmat_wait_idle(T.base, 4);
	assert_int_equal(d[0], s[7]);
	assert_int_equal(d[1], 0x77);
	/* PINC clear: the same source byte eight times. */
	memset(d, 0x77, 16);
	dmat_program(T.base, 4, M2M | PSIZE(B8) | MSIZE(B8) | MINC, DMDIS | FTH(3), 8,
		     (u32)src->bus + 9, (u32)dst->bus, 0);
	dmat_enable(T.base, 4);
	dmat_wait_idle(T.base, 4);
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(d[i], s[9]);
	assert_int_equal(d[8], 0x77);
}
