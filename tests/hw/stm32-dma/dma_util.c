// SPDX-License-Identifier: MIT
/*
 * dma_util.c - private to the STM32 DMA model's tests: the board loaded and
 * DMA1 mapped for each test, buffers, stream programming, caught lines.
 */
#include <stdio.h>
#include <stdlib.h>

#include <dmaengine/err.h>

#include "hw/stm32-dma/dma_test.h"

struct dmat T;

int dmat_setup(void **state)
{
	memset(&T, 0, sizeof(T));
	log_capture_start();
	T.board = dmaengine_board_load(STM32_DMA_TEST_DTB, NULL);
	if (IS_ERR(T.board)) {
		log_dump();
		return -1;
	}
	T.sim = dmaengine_board_sim(T.board);
	if (hwtest_regs_map(&T.regs[0], DMA1)) {
		log_dump();
		return -1;
	}
	T.nctl = 1;
	T.base = T.regs[0].base;
	return 0;
}

static void release_lines(unsigned int c)
{
	for (unsigned int n = 0; n < 8; n++)
		if (T.line[c][n].irq > 0)
			free_irq((unsigned int)T.line[c][n].irq, &T.line[c][n]);
}

int dmat_teardown(void **state)
{
	int ret;

	for (unsigned int c = 0; c < T.nctl; c++)
		release_lines(c);
	for (unsigned int i = 0; i < T.nbufs; i++)
		dma_free_coherent(&T.regs[0].pdev->dev, T.bufs[i].len, T.bufs[i].cpu, T.bufs[i].bus);
	for (unsigned int c = T.nctl; c-- > 0;)
		hwtest_regs_unmap(&T.regs[c]);
	ret = dmaengine_board_unload(T.board);
	log_capture_stop();
	dmae_quiesce_leave();
	return ret;
}

void __iomem *dmat_other(const char *name)
{
	assert_true(T.nctl < DMAT_CTLS);
	assert_int_equal(hwtest_regs_map(&T.regs[T.nctl], name), 0);
	return T.regs[T.nctl++].base;
}

struct dmat_buf *dmat_buf(size_t len, int fill)
{
	struct dmat_buf *b;

	assert_true(T.nbufs < DMAT_BUFS);
	b = &T.bufs[T.nbufs++];
	b->len = len;
	b->cpu = dma_alloc_coherent(&T.regs[0].pdev->dev, len, &b->bus, GFP_KERNEL);
	assert_non_null(b->cpu);
	/* The board's DDR, as the DMA sees it (docs/simulation.md). */
	assert_true(b->bus >= 0xc0000000ull && b->bus + len <= 0xc4000000ull);
	memset(b->cpu, fill, len);
	return b;
}

void dmat_pattern(struct dmat_buf *b, u32 seed)
{
	u8 *p = b->cpu;

	for (size_t i = 0; i < b->len; i++)
		p[i] = (u8)(hwtest_pattern((u32)i + seed) >> 8);
}

void dmat_program(void __iomem *base, unsigned int n, u32 cr, u32 fcr, u32 ndtr, u32 par,
		  u32 m0ar, u32 m1ar)
{
	writel(cr & ~EN, base + SCR(n));
	writel(par, base + SPAR(n));
	writel(m0ar, base + SM0AR(n));
	writel(fcr, base + SFCR(n));
	writel(m1ar, base + SM1AR(n));
	writel(ndtr, base + SNDTR(n));
	writel(ALLF << FLAG_SHIFT(n), base + IFCR(n));
}

dmae_sim_time_t dmat_enable(void __iomem *base, unsigned int n)
{
	writel(readl(base + SCR(n)) | EN, base + SCR(n));
	return now_ps();
}

static irqreturn_t dmat_handler(int irq, void *arg)
{
	struct dmat_line *l = arg;
	dmae_sim_time_t t = now_ps();
	u32 f = (readl(l->base + ISR(l->n)) >> FLAG_SHIFT(l->n)) & ALLF;

	if (!f)
		return IRQ_NONE;
	writel(f << FLAG_SHIFT(l->n), l->base + IFCR(l->n));
	if (!__atomic_load_n(&l->count, __ATOMIC_ACQUIRE))
		__atomic_store_n(&l->at, t, __ATOMIC_RELAXED);
	__atomic_store_n(&l->last, t, __ATOMIC_RELAXED);
	__atomic_or_fetch(&l->flags, f, __ATOMIC_RELAXED);
	__atomic_add_fetch(&l->count, 1, __ATOMIC_RELEASE);
	complete(&l->done);
	return IRQ_HANDLED;
}

struct dmat_line *dmat_catch(void __iomem *base, unsigned int c, unsigned int n)
{
	struct hwtest_regs *r = &T.regs[c];
	struct dmat_line *l = &T.line[c][n];

	l->n = n;
	l->base = base;
	init_completion(&l->done);
	l->irq = platform_get_irq(r->pdev, n);
	assert_true(l->irq > 0);
	assert_int_equal(request_irq((unsigned int)l->irq, dmat_handler, 0, "dmat", l), 0);
	return l;
}

void dmat_arm(struct dmat_line *l)
{
	__atomic_store_n(&l->flags, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->count, 0, __ATOMIC_RELEASE);
	reinit_completion(&l->done);
}

u32 dmat_wait(struct dmat_line *l)
{
	if (!wait_for_completion_timeout(&l->done, msecs_to_jiffies(10000))) {
		log_dump();
		fail_msg("stream %u: no interrupt in 10 s", l->n);
	}
	return __atomic_load_n(&l->flags, __ATOMIC_ACQUIRE);
}

dmae_sim_time_t dmat_wait_next(struct dmat_line *l)
{
	dmat_wait(l);
	return __atomic_load_n(&l->last, __ATOMIC_RELAXED);
}

dmae_sim_time_t dmat_wait_flag(struct dmat_line *l, u32 flag)
{
	while (!(dmat_wait(l) & flag))
		;
	return __atomic_load_n(&l->last, __ATOMIC_RELAXED);
}

u32 dmat_flags(void __iomem *base, unsigned int n)
{
	return (readl(base + ISR(n)) >> FLAG_SHIFT(n)) & ALLF;
}

dmae_sim_time_t dmat_wait_idle(void __iomem *base, unsigned int n)
{
	u32 v;

	assert_int_equal(readl_poll_timeout(base + SCR(n), v, !(v & EN), 1, 100000), 0);
	return now_ps();
}

void dmat_run_paced(struct dmat_paced *p)
{
	struct hwtest_periph *sp = hwtest_periph_get(PERIPH_NAME(p->n));
	struct dmat_line *l = &T.line[0][p->n];

	assert_non_null(sp);
	if (l->irq <= 0)
		dmat_catch(T.base, 0, p->n);
	dmat_arm(l);
	dmat_program(T.base, p->n, p->cr | TCIE, p->fcr, p->count, PERIPH_DR(p->n),
		     (u32)p->buf->bus, 0);
	dmat_enable(T.base, p->n);
	if ((p->cr & M2P) == M2P)
		hwtest_periph_tx(sp, p->count, p->start, p->interval);
	else
		hwtest_periph_rx(sp, p->count, p->start, p->interval);
	if (p->cr & HTIE)
		p->ht = dmat_wait_flag(l, HTIF);
	p->tc = dmat_wait_flag(l, TCIF);
	hwtest_periph_stats(sp, &p->st);
}
