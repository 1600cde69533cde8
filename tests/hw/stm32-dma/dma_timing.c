// SPDX-License-Identifier: MIT
/*
 * dma_timing.c - the STM32 DMA model in time: arbitration by PL then
 * stream number (RM0090 10.3.4), a 64 KiB memory-to-memory copy taking
 * exactly the cycles of the documented figures, a peripheral-paced transfer
 * following its requests, registers and memory read in the middle of a run
 * showing exactly the beats done by then, a pause stopping at a beat
 * boundary and resuming as the Linux driver does, and each stream's line
 * being the OR of its flags and enables.
 */
#include "hw/stm32-dma/dma_test.h"

#define K64 65536u

/* A memory-to-memory copy of @len bytes on stream @n, words, INCR4 both sides. */
static void copy_words(unsigned int n, u32 pl, struct dmat_buf *src, struct dmat_buf *dst,
		       u32 len, u32 extra)
{
	dmat_program(T.base, n,
		     M2M | PSIZE(B32) | MSIZE(B32) | PBURST(1) | MBURST(1) | PINC | MINC | PL(pl) |
			     extra,
		     DMDIS | FTH(3), len / 4, (u32)src->bus, (u32)dst->bus, 0);
}

/*
 * Copies of 4 KiB on streams @a then @b (enabled in that order), single
 * word reads and INCR4 writes: both want the peripheral port most of the
 * time, so the arbiters decide. Returns the stream whose copy ended first.
 */
static unsigned int race(unsigned int a, u32 pla, unsigned int b, u32 plb)
{
	struct dmat_line *la = &T.line[0][a], *lb = &T.line[0][b];
	struct dmat_buf *sa = dmat_buf(4096, 1), *da = dmat_buf(4096, 0);
	struct dmat_buf *sb = dmat_buf(4096, 2), *db = dmat_buf(4096, 0);
	u32 cr = M2M | PSIZE(B32) | MSIZE(B32) | MBURST(1) | PINC | MINC | TCIE;
	dmae_sim_time_t ta, tb;

	if (la->irq <= 0)
		dmat_catch(T.base, 0, a);
	if (lb->irq <= 0)
		dmat_catch(T.base, 0, b);
	dmat_arm(la);
	dmat_arm(lb);
	dmat_program(T.base, a, cr | PL(pla), DMDIS | FTH(3), 1024, (u32)sa->bus, (u32)da->bus, 0);
	dmat_program(T.base, b, cr | PL(plb), DMDIS | FTH(3), 1024, (u32)sb->bus, (u32)db->bus, 0);
	dmat_enable(T.base, a);
	dmat_enable(T.base, b);
	ta = dmat_wait_flag(la, TCIF);
	tb = dmat_wait_flag(lb, TCIF);
	assert_memory_equal(da->cpu, sa->cpu, 4096);
	assert_memory_equal(db->cpu, sb->cpu, 4096);
	assert_true(ta != tb);
	return ta < tb ? a : b;
}

/* PL first: a later copy of higher priority ends first; at equal PL, the lower stream number. */
void test_arbitration(void **state)
{
	assert_int_equal(race(5, 0, 6, 3), 6);
	assert_int_equal(race(4, 1, 2, 1), 2);
	assert_int_equal(race(2, 0, 4, 2), 4);
}

/*
 * Two requests rising at the same instant: one arbitration, the favoured
 * stream's register beat first, the other's when the port is free again.
 */
static void interleave(u32 pl1, u32 pl3, unsigned int first)
{
	struct hwtest_periph *p1 = hwtest_periph_get(PERIPH(1)), *p3 = hwtest_periph_get(PERIPH(3));
	struct dmat_buf *b1 = dmat_buf(4, 0), *b3 = dmat_buf(4, 0);
	struct hwtest_periph_stats st1, st3;
	dmae_sim_time_t t;
	u64 c;

	dmat_program(T.base, 1, P2M | PSIZE(B8) | MSIZE(B8) | MINC | PL(pl1), 0, 4, PERIPH_DR(1),
		     (u32)b1->bus, 0);
	dmat_program(T.base, 3, P2M | PSIZE(B8) | MSIZE(B8) | MINC | PL(pl3), 0, 4, PERIPH_DR(3),
		     (u32)b3->bus, 0);
	dmat_enable(T.base, 1);
	dmat_enable(T.base, 3);
	t = now_ps() + DMAE_PS_PER_US;
	hwtest_periph_rx(p3, 1, t, DMAE_PS_PER_US);
	hwtest_periph_rx(p1, 1, t, DMAE_PS_PER_US);
	sleep_until(t + DMAE_PS_PER_US);
	hwtest_periph_stats(p1, &st1);
	hwtest_periph_stats(p3, &st3);
	c = cycle_after(t);
	assert_int_equal((first == 1 ? st1 : st3).at[0], at_cycle(c + LEAD + REG_BEAT));
	assert_int_equal((first == 1 ? st3 : st1).at[0], at_cycle(c + 2 * (LEAD + REG_BEAT)));
	wr(SCR(1), rd(SCR(1)) & ~EN);
	wr(SCR(3), rd(SCR(3)) & ~EN);
	dmat_wait_idle(T.base, 3);
}

void test_request_interleave(void **state)
{
	interleave(1, 1, 1); /* same PL: the lower stream number */
	interleave(1, 2, 3); /* PL first */
}

/*
 * The timing check: 64 KiB memory to memory takes the cycles the
 * documented figures give, exactly; and runs of beats cost a handful of
 * events, not one per beat.
 */
void test_m2m_64k_timing(void **state)
{
	struct dmat_line *l = dmat_catch(T.base, 0, 7);
	struct dmat_buf *src = dmat_buf(K64, 0), *dst = dmat_buf(K64, 0);
	struct dmae_sim_stats before, after;
	dmae_sim_time_t t;
	u64 c0;

	dmat_pattern(src, 21);
	/* Words, INCR4 both sides, threshold full: 4096 x (a read burst, then a write burst). */
	copy_words(7, 0, src, dst, K64, TCIE);
	dmae_sim_get_stats(T.sim, &before);
	c0 = cycle_after(dmat_enable(T.base, 7));
	t = dmat_wait_flag(l, TCIF);
	dmae_sim_get_stats(T.sim, &after);
	assert_int_equal(t, at_cycle(c0 + 4096 * 2 * (LEAD + 4 * BEAT)));
	assert_memory_equal(dst->cpu, src->cpu, K64);
	assert_true(after.events - before.events < 8);
	/* Bytes, INCR16 both sides (the Linux driver's memcpy): 4096 x 2 x (2 + 16). */
	dmat_arm(l);
	memset(dst->cpu, 0, K64);
	wr(IFCR(7), ALLF << FLAG_SHIFT(7));
	dmat_program(T.base, 7,
		     M2M | PSIZE(B8) | MSIZE(B8) | PBURST(3) | MBURST(3) | PINC | MINC | TCIE,
		     DMDIS | FTH(3), 0xfff0, (u32)src->bus, (u32)dst->bus, 0);
	c0 = cycle_after(dmat_enable(T.base, 7));
	t = dmat_wait_flag(l, TCIF);
	assert_int_equal(t, at_cycle(c0 + 0xfff0 / 16 * 2 * (LEAD + 16 * BEAT)));
	assert_memory_equal(dst->cpu, src->cpu, 0xfff0);
	assert_int_equal(((u8 *)dst->cpu)[0xfff0], 0);
}

/* Peripheral-paced: each access follows its request by the lead and a register beat. */
void test_periph_paced_timing(void **state)
{
	struct dmat_paced p = { .n = 2, .cr = P2M | PSIZE(B8) | MSIZE(B8) | MINC,
				.buf = dmat_buf(48, 0), .count = 48,
				.interval = 1234 * DMAE_PS_PER_NS };
	const u8 *m = p.buf->cpu;

	p.start = now_ps() + DMAE_PS_PER_US;
	dmat_run_paced(&p);
	assert_int_equal(p.st.items, 48);
	for (unsigned int k = 0; k < 48; k++) {
		assert_int_equal(p.st.at[k],
				 at_cycle(cycle_after(p.start + k * p.interval) + LEAD + REG_BEAT));
		assert_int_equal(m[k], (u8)hwtest_pattern(k));
	}
	/* The last byte's memory write ends the transfer. */
	assert_int_equal(p.tc, at_cycle(cycle_at(p.st.at[47]) + LEAD + BEAT));
	/* And to the peripheral: each write follows its request the same way (preloaded). */
	dmat_pattern(p.buf, 3);
	p.cr = M2P | PSIZE(B8) | MSIZE(B8) | MINC;
	p.start = now_ps() + DMAE_PS_PER_US;
	dmat_run_paced(&p);
	for (unsigned int k = 0; k < 48; k++) {
		assert_int_equal(p.st.at[k],
				 at_cycle(cycle_after(p.start + k * p.interval) + LEAD + REG_BEAT));
		assert_int_equal(p.st.val[k], m[k]);
	}
	assert_int_equal(p.tc, p.st.at[47]);
}

/*
 * The words copy_words() moves by cycle @c of a run started at @c0: reads
 * (NDTR) and writes (memory), each burst's beats one cycle apart after the
 * lead, a read burst then a write burst, 12 cycles a period.
 */
static void copied_by(u64 c0, u64 c, u32 *read, u32 *written)
{
	const u64 op = LEAD + 4 * BEAT;
	u64 d = c - c0, i = d / (2 * op), r = d % (2 * op);

	*read = (u32)(4 * i + (r < LEAD ? 0 : r - LEAD > 4 ? 4 : r - LEAD));
	r = r < op ? 0 : r - op;
	*written = (u32)(4 * i + (r < LEAD ? 0 : r - LEAD > 4 ? 4 : r - LEAD));
}

static unsigned int fs_of(u32 level)
{
	return !level ? FS_EMPTY : level == 16 ? FS_FULL : level / 4;
}

/* NDTR, FS, the flags and the memory, read anywhere in a run: exactly the beats done then. */
void test_read_mid_run(void **state)
{
	struct dmat_buf *src = dmat_buf(K64, 0), *dst = dmat_buf(K64, 0xcc);
	const u8 *d = dst->cpu;
	u32 read, written, ndtr, fcr;
	u64 c0;

	dmat_pattern(src, 33);
	copy_words(3, 0, src, dst, K64, 0);
	c0 = cycle_after(dmat_enable(T.base, 3));
	for (unsigned int k = 0; k < 40; k++) {
		sleep_until(at_cycle(c0) + (1000 + 37 * k) * DMAE_PS_PER_NS);
		ndtr = rd(SNDTR(3));
		copied_by(c0, cycle_at(now_ps()), &read, &written);
		assert_int_equal(ndtr, K64 / 4 - read);
		fcr = rd(SFCR(3));
		copied_by(c0, cycle_at(now_ps()), &read, &written);
		assert_int_equal(FS(fcr), fs_of(4 * (read - written)));
		assert_int_equal(dmat_flags(T.base, 3), 0);
		copied_by(c0, cycle_at(now_ps()), &read, &written);
		assert_memory_equal(d, src->cpu, 4 * written);
		assert_int_equal(d[4 * written], 0xcc);
	}
	dmat_wait_idle(T.base, 3);
	assert_memory_equal(d, src->cpu, K64);
}

/*
 * EN cleared in the middle: the burst going on ends (a beat boundary), the
 * FIFO is flushed, TCIF; SxPAR and SxM0AR never moved. The driver's resume
 * (the addresses advanced by what NDTR says went, NDTR written back) finishes
 * the copy with nothing lost or doubled.
 */
void test_pause_mid_run(void **state)
{
	struct dmat_line *l = dmat_catch(T.base, 0, 1);
	struct dmat_buf *src = dmat_buf(K64, 0), *dst = dmat_buf(K64, 0xcc);
	const u64 op = LEAD + 4 * BEAT;
	u32 read, written, left, done;
	u64 c0, cs, end, k;
	dmae_sim_time_t tc;

	dmat_pattern(src, 44);
	copy_words(1, 0, src, dst, K64, TCIE);
	c0 = cycle_after(dmat_enable(T.base, 1));
	sleep_until(at_cycle(c0) + 5003 * DMAE_PS_PER_NS);
	wr(SCR(1), rd(SCR(1)) & ~EN);
	cs = cycle_after(now_ps()); /* where the disable takes effect */
	tc = dmat_wait_flag(l, TCIF);
	/* The burst granted last before cs ends; after a read burst, its 16 bytes are flushed. */
	k = (cs - 1 - c0) / op;
	end = c0 + (k + 1) * op;
	if (!(k % 2))
		end += op;
	assert_int_equal(tc, at_cycle(end));
	copied_by(c0, end, &read, &written);
	assert_int_equal(read, written);
	left = rd(SNDTR(1));
	assert_int_equal(left, K64 / 4 - read);
	assert_int_equal(rd(SPAR(1)), (u32)src->bus);
	assert_int_equal(rd(SM0AR(1)), (u32)dst->bus);
	assert_memory_equal(dst->cpu, src->cpu, 4 * read);
	assert_int_equal(((u8 *)dst->cpu)[4 * read], 0xcc);
	/* Resume as stm32_dma_resume() does. */
	done = (K64 / 4 - left) << 2;
	dmat_arm(l);
	wr(SPAR(1), (u32)src->bus + done);
	wr(SM0AR(1), (u32)dst->bus + done);
	wr(SNDTR(1), left);
	wr(IFCR(1), ALLF << FLAG_SHIFT(1));
	dmat_enable(T.base, 1);
	dmat_wait_flag(l, TCIF);
	assert_memory_equal(dst->cpu, src->cpu, K64);
}

/* 10.4: each stream's line is the OR of (flag AND its enable); nothing else raises it. */
void test_irq_line_or(void **state)
{
	struct platform_device *pdev = T.regs[0].pdev;
	unsigned int irq = (unsigned int)platform_get_irq(pdev, 7);
	u32 cr = P2M | PSIZE(B32) | MSIZE(B32) | MINC | MBURST(1);

	/* TCIF by a software disable, TCIE clear: the flag, no line. */
	dmat_program(T.base, 7, cr, DMDIS | FTH(3), 4, 0x40030000, 0xc0000000, 0);
	dmat_enable(T.base, 7);
	wr(SCR(7), cr);
	assert_int_equal(dmat_flags(T.base, 7), TCIF);
	assert_false(dmae_irq_level(irq));
	wr(SCR(7), cr | TCIE); /* the enable: the line, at once */
	assert_true(dmae_irq_level(irq));
	wr(HIFCR, TCIF << FLAG_SHIFT(7));
	assert_false(dmae_irq_level(irq));
	/* FEIF from a forbidden threshold (word INCR4 at 1/4), FEIE clear. */
	wr(SFCR(7), DMDIS | FTH(0));
	wr(SCR(7), cr | EN);
	assert_int_equal(dmat_flags(T.base, 7), FEIF);
	assert_false(dmae_irq_level(irq));
	wr(SFCR(7), DMDIS | FTH(0) | FEIE);
	assert_true(dmae_irq_level(irq));
	/* Two flags, one enabled: the line follows that one. */
	wr(SFCR(7), DMDIS | FTH(3) | FEIE);
	dmat_enable(T.base, 7);
	wr(SCR(7), cr); /* TCIF, TCIE clear */
	assert_int_equal(dmat_flags(T.base, 7), FEIF | TCIF);
	assert_true(dmae_irq_level(irq));
	wr(HIFCR, FEIF << FLAG_SHIFT(7));
	assert_false(dmae_irq_level(irq));
	assert_int_equal(dmat_flags(T.base, 7), TCIF);
	wr(HIFCR, TCIF << FLAG_SHIFT(7));
}
