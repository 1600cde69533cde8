// SPDX-License-Identifier: MIT
/*
 * dma_modes.c - the STM32 DMA model's transfer modes and ends: EN clearing
 * itself and NDTR reloading at enable, circular mode reloading NDTR, double
 * buffering with CT and the memory pointers swapping, HTIF at the half, the
 * memory-to-peripheral prefetch, and each TCIF heard on the MDMA's request
 * lines (RM0090 10.3.8, 10.3.9, 10.3.13, 10.3.17).
 */
#include <dmaengine/hw/model.h>

#include "hw/stm32-dma/dma_test.h"

/* 10.3.13: at the end of a normal transfer EN clears itself; 10.5.6: enable reloads NDTR. */
void test_en_autoclear(void **state)
{
	struct dmat_buf *src = dmat_buf(64, 0), *dst = dmat_buf(64, 0);
	u32 cr = M2M | PSIZE(B8) | MSIZE(B8) | PINC | MINC;

	dmat_pattern(src, 1);
	dmat_program(T.base, 6, cr, DMDIS | FTH(3), 64, (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(T.base, 6);
	dmat_wait_idle(T.base, 6);
	assert_int_equal(rd(SCR(6)), cr);
	assert_int_equal(rd(SNDTR(6)), 0);
	assert_int_equal(dmat_flags(T.base, 6), HTIF | TCIF);
	assert_memory_equal(dst->cpu, src->cpu, 64);
	/* Enabled again without writing NDTR: the 64 items programmed are reloaded. */
	wr(IFCR(6), ALLF << FLAG_SHIFT(6));
	dmat_pattern(src, 2);
	dmat_enable(T.base, 6);
	dmat_wait_idle(T.base, 6);
	assert_int_equal(dmat_flags(T.base, 6), HTIF | TCIF);
	assert_memory_equal(dst->cpu, src->cpu, 64);
}

/* The memory write that completes a peripheral item read at @read (direct mode, byte). */
static dmae_sim_time_t written(dmae_sim_time_t read)
{
	return at_cycle(cycle_at(read) + LEAD + BEAT);
}

/* 10.3.8: in circular mode NDTR reloads at each end and requests keep being served. */
void test_circular_reload(void **state)
{
	struct hwtest_periph *p = hwtest_periph_get(PERIPH(4));
	struct dmat_line *l = dmat_catch(T.base, 0, 4);
	struct dmat_buf *dst = dmat_buf(8, 0);
	struct hwtest_periph_stats st;
	const u8 *m = dst->cpu;
	dmae_sim_time_t t0, tc1, tc2;

	dmat_program(T.base, 4, P2M | PSIZE(B8) | MSIZE(B8) | MINC | CIRC | TCIE, 0, 8,
		     PERIPH_DR(4), (u32)dst->bus, 0);
	dmat_enable(T.base, 4);
	t0 = now_ps() + DMAE_PS_PER_US;
	hwtest_periph_rx(p, 20, t0, DMAE_PS_PER_US);
	tc1 = dmat_wait_next(l);
	tc2 = dmat_wait_next(l);
	sleep_until(t0 + 21 * DMAE_PS_PER_US);
	hwtest_periph_stats(p, &st);
	assert_int_equal(st.items, 20);
	assert_int_equal(tc1, written(st.at[7]));
	assert_int_equal(tc2, written(st.at[15]));
	assert_int_equal(dmat_count(l), 2);
	assert_int_equal(rd(SCR(4)) & EN, EN); /* still running */
	assert_int_equal(rd(SNDTR(4)), 8 - (20 - 16));
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(m[i], (u8)hwtest_pattern(i < 4 ? 16 + i : 8 + i));
}

/* 10.3.9: CT toggles at each end, the buffers alternate, the idle pointer may be rewritten. */
void test_double_buffer(void **state)
{
	struct hwtest_periph *p = hwtest_periph_get(PERIPH(5));
	struct dmat_line *l = dmat_catch(T.base, 0, 5);
	struct dmat_buf *a = dmat_buf(8, 0), *b = dmat_buf(8, 0), *c = dmat_buf(8, 0);
	const u8 *ma = a->cpu, *mb = b->cpu, *mc = c->cpu;

	dmat_program(T.base, 5, P2M | PSIZE(B8) | MSIZE(B8) | MINC | DBM | TCIE, 0, 8,
		     PERIPH_DR(5), (u32)a->bus, (u32)b->bus);
	dmat_enable(T.base, 5);
	assert_int_equal(rd(SCR(5)) & CT, 0);
	hwtest_periph_rx(p, 24, now_ps() + DMAE_PS_PER_US, DMAE_PS_PER_US);
	dmat_wait(l);
	assert_int_equal(rd(SCR(5)) & CT, CT); /* memory 1 is the target now */
	wr(SM0AR(5), (u32)c->bus);		/* memory 0 is idle: it takes the write */
	assert_int_equal(rd(SM0AR(5)), (u32)c->bus);
	dmat_wait(l);
	assert_int_equal(rd(SCR(5)) & CT, 0);
	dmat_wait(l);
	assert_int_equal(rd(SCR(5)) & CT, CT);
	assert_int_equal(dmat_caught(l), HTIF | TCIF); /* HTIF too, TCIE's run clears it */
	assert_int_equal(rd(SNDTR(5)), 8);
	for (unsigned int i = 0; i < 8; i++) {
		assert_int_equal(ma[i], (u8)hwtest_pattern(i));
		assert_int_equal(mb[i], (u8)hwtest_pattern(8 + i));
		assert_int_equal(mc[i], (u8)hwtest_pattern(16 + i));
	}
}

/* 10.3.17: HTIF once half the data have gone out of the destination port, TCIF at the end. */
void test_htif_at_half(void **state)
{
	struct dmat_paced p = { .n = 3, .cr = M2P | PSIZE(B8) | MSIZE(B8) | MINC | HTIE,
				.buf = dmat_buf(10, 0), .count = 10, .interval = DMAE_PS_PER_US };

	/* To a peripheral: the destination is the peripheral port. */
	dmat_pattern(p.buf, 4);
	p.start = now_ps() + DMAE_PS_PER_US;
	dmat_run_paced(&p);
	assert_int_equal(p.ht, p.st.at[4]);
	assert_int_equal(p.tc, p.st.at[9]);
	/* From a peripheral: the memory port, one write after each read. */
	p.cr = P2M | PSIZE(B8) | MSIZE(B8) | MINC | HTIE;
	p.start = now_ps() + DMAE_PS_PER_US;
	dmat_run_paced(&p);
	assert_int_equal(p.ht, written(p.st.at[4]));
	assert_int_equal(p.tc, written(p.st.at[9]));
}

/* 10.3.6: memory-to-peripheral fills the FIFO at enable, before any request. */
void test_m2p_prefetch(void **state)
{
	struct hwtest_periph *p = hwtest_periph_get(PERIPH(0));
	struct dmat_buf *src = dmat_buf(64, 0);
	struct hwtest_periph_stats st;
	dmae_sim_time_t t;

	dmat_pattern(src, 9);
	dmat_program(T.base, 0, M2P | PSIZE(B8) | MSIZE(B32) | MBURST(1) | MINC, DMDIS | FTH(3),
		     64, PERIPH_DR(0), (u32)src->bus, 0);
	t = dmat_enable(T.base, 0);
	sleep_until(t + 100 * DMAE_PS_PER_NS); /* one INCR4 of words: 6 cycles */
	assert_int_equal(FS(rd(SFCR(0))), FS_FULL);
	assert_int_equal(rd(SNDTR(0)), 64);
	wr(SCR(0), rd(SCR(0)) & ~EN);
	dmat_wait_idle(T.base, 0);
	/* Direct mode preloads one item: a request is served with no memory read first. */
	dmat_program(T.base, 0, M2P | PSIZE(B8) | MSIZE(B8) | MINC, 0, 4, PERIPH_DR(0),
		     (u32)src->bus, 0);
	dmat_enable(T.base, 0);
	t = now_ps() + DMAE_PS_PER_US;
	hwtest_periph_tx(p, 1, t, DMAE_PS_PER_US);
	sleep_until(t + DMAE_PS_PER_US);
	hwtest_periph_stats(p, &st);
	assert_int_equal(st.items, 1);
	assert_int_equal(st.at[0], at_cycle(cycle_after(t) + LEAD + REG_BEAT));
	assert_int_equal(st.val[0], ((u8 *)src->cpu)[0]);
}

/* ------------------------------------------------------ the MDMA's ears */

#define PROBE_LOG 16

/* In the MDMA's place on the test board: its "requests" port, every edge noted. */
struct mdma_probe {
	struct dmae_hw_port port;	/* 32 request lines */
	u32 n;				/* edges seen */
	struct {
		u32 line;
		bool level;
		dmae_sim_time_t at;
	} edge[PROBE_LOG];		/* the first ones */
	struct dmae_sim *sim;
};

static struct mdma_probe *probe;

static void probe_set(void *priv, unsigned int line, bool level)
{
	struct mdma_probe *pr = priv;

	if (pr->n < PROBE_LOG) {
		pr->edge[pr->n].line = line;
		pr->edge[pr->n].level = level;
		pr->edge[pr->n].at = dmae_sim_now(pr->sim);
	}
	pr->n++;
}

static int probe_create(struct dmae_hw *hw)
{
	struct mdma_probe *pr = dmae_hw_priv(hw);

	pr->sim = dmae_hw_sim(hw);
	pr->port = (struct dmae_hw_port){ .name = "requests", .nr = 32, .set = probe_set,
					  .priv = pr };
	probe = pr;
	return dmae_hw_export_port(hw, &pr->port);
}

static const char *const probe_compat[] = { "test,mdma-probe", NULL };
static const struct dmae_hw_model probe_model = {
	.name = "mdma-probe",
	.compatible = probe_compat,
	.priv_size = sizeof(struct mdma_probe),
	.create = probe_create,
};
DMAE_HW_MODEL(probe_model);

static dmae_sim_time_t copy_16(void __iomem *base, unsigned int c, unsigned int n)
{
	struct dmat_line *l = dmat_catch(base, c, n);
	struct dmat_buf *src = dmat_buf(16, 1), *dst = dmat_buf(16, 0);

	dmat_program(base, n, M2M | PSIZE(B8) | MSIZE(B8) | PINC | MINC | TCIE, DMDIS | FTH(3), 16,
		     (u32)src->bus, (u32)dst->bus, 0);
	dmat_enable(base, n);
	return dmat_wait_flag(l, TCIF);
}

/* What the probe heard, copied under the bus lock (assertions come after). */
static u32 probe_edges(struct mdma_probe *out)
{
	dmae_sim_lock(T.sim);
	*out = *probe;
	probe->n = 0;
	dmae_sim_unlock(T.sim);
	return out->n;
}

/*
 * A stream's TCIF pulses MDMA request 8 i + n, i the controller's index in
 * the DMAMUX's dma-masters (the STM32MP1 HAL's MDMA request list): DMA2
 * stream 3 is request 11, DMA1 stream 0 request 0.
 */
void test_mdma_pulse(void **state)
{
	struct mdma_probe seen;
	dmae_sim_time_t t;

	assert_non_null(probe);
	probe_edges(&seen);
	t = copy_16(dmat_other(DMA2), 1, 3);
	assert_int_equal(probe_edges(&seen), 2);
	assert_int_equal(seen.edge[0].line, 11);
	assert_true(seen.edge[0].level);
	assert_int_equal(seen.edge[1].line, 11);
	assert_false(seen.edge[1].level);
	assert_int_equal(seen.edge[0].at, t);
	assert_int_equal(seen.edge[1].at, t);
	t = copy_16(T.base, 0, 0);
	assert_int_equal(probe_edges(&seen), 2);
	assert_int_equal(seen.edge[0].line, 0);
	assert_int_equal(seen.edge[0].at, t);
}
