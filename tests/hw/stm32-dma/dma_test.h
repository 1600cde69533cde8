/* SPDX-License-Identifier: MIT */
/*
 * dma_test.h - private to the STM32 DMA model's tests: the test board
 * (stm32-dma-test.dts), a stream's interrupt caught, buffers in the board's DDR, and the timing arithmetic of the
 * model's documented figures (docs/hw-stm32-dma.md).
 */
#ifndef DMAE_TEST_STM32_DMA_H
#define DMAE_TEST_STM32_DMA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/board.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/io.h>

#include "common/hwtest.h"
#include "common/log_capture.h"
#include "hw/stm32-dma/rm0090.h"

#define DMA1 "48000000.dma-controller"
#define DMA2 "48001000.dma-controller"
#define DMA3 "48003000.dma-controller" /* slow memory: see the .dts */
#define PERIPH(n) ("40020" #n "00.periph") /* stand-in on DMA1 line n (0..5) */
#define PERIPH_NAME(n) ((const char *const[]){ PERIPH(0), PERIPH(1), PERIPH(2), PERIPH(3), \
					       PERIPH(4), PERIPH(5) }[n])
#define PERIPH_DMA3 "40021000.periph"	   /* stand-in on DMA3 line 1 */
#define PERIPH_DMA3_DR 0x40021000u
#define PERIPH_DR(n) (0x40020000u + 0x100u * (n))
#define NOWHERE 0x60000000u /* nothing answers there */
#define MCU_HZ 208877930ull	    /* clk-mcu */

/* The model's default timing (docs/hw-stm32-dma.md), DMA1 and DMA2. */
#define ARB 1
#define BURST 1
#define BEAT 1
#define REG_BEAT 4
#define LEAD (ARB + BURST)

/* A stream's interrupts, caught by the test's handler. */
struct dmat_line {
	struct completion done; /* each time the handler runs */
	u32 flags;		/* flags it found (and cleared), all so far */
	u32 count;		/* handler runs */
	dmae_sim_time_t at;	/* virtual time of the first run since dmat_arm() */
	dmae_sim_time_t last;	/* of the last run */
	int irq;		/* the Linux irq */
	unsigned int n;		/* the stream */
	void __iomem *base;	/* its controller */
};

struct dmat_buf {
	void *cpu;	/* the CPU's view */
	dma_addr_t bus; /* the DMA's */
	size_t len;	/* bytes */
};

#define DMAT_BUFS 16

#define DMAT_CTLS 3 /* DMA1, and two others a test maps */

/* The test's board: DMA1 mapped, lines caught on request. */
struct dmat {
	struct dmae_board *board;
	struct dmae_sim *sim;
	struct hwtest_regs regs[DMAT_CTLS];	   /* [0] DMA1, then dmat_other()'s */
	unsigned int nctl;			   /* entries of regs mapped */
	void __iomem *base;			   /* DMA1's registers */
	struct dmat_line line[DMAT_CTLS][8];	   /* caught, per controller and stream */
	struct dmat_buf bufs[DMAT_BUFS];	   /* allocated for the test */
	unsigned int nbufs;
};

extern struct dmat T;

int dmat_setup(void **state);
int dmat_teardown(void **state);

static inline u32 rd(u32 off)
{
	return readl(T.base + off);
}

static inline void wr(u32 off, u32 v)
{
	writel(v, T.base + off);
}

static inline dmae_sim_time_t now_ps(void)
{
	return dmae_sim_now(T.sim);
}

/** dmat_other - map another controller; its base. It is controller 1, then 2, of dmat_catch(). */
void __iomem *dmat_other(const char *name);
/** dmat_buf - @len bytes of the board's DDR for the DMA (coherent), filled with @fill. */
struct dmat_buf *dmat_buf(size_t len, int fill);
/** dmat_pattern - fill @b with a pattern that differs per byte, seeded by @seed. */
void dmat_pattern(struct dmat_buf *b, u32 seed);
/**
 * dmat_program - stream @n of the controller at @base, disabled: its
 * registers written as a driver does (SxCR without EN, SxPAR, SxM0AR, SxFCR,
 * SxM1AR, SxNDTR), its flags cleared.
 */
void dmat_program(void __iomem *base, unsigned int n, u32 cr, u32 fcr, u32 ndtr, u32 par,
		  u32 m0ar, u32 m1ar);
/** dmat_enable - set EN (keeping SxCR); @return the virtual time of that write. */
dmae_sim_time_t dmat_enable(void __iomem *base, unsigned int n);
/** dmat_catch - catch stream @n's line of controller @c (0: DMA1, then dmat_other()'s) at @base. */
struct dmat_line *dmat_catch(void __iomem *base, unsigned int c, unsigned int n);
/** dmat_arm - forget what @l caught so far. */
void dmat_arm(struct dmat_line *l);
/** dmat_wait - until @l's handler ran (fails the test after 10 s of host time); its flags. */
u32 dmat_wait(struct dmat_line *l);
/** dmat_wait_next - until @l's handler ran once more; the virtual time of that run. */
dmae_sim_time_t dmat_wait_next(struct dmat_line *l);
/** dmat_count - @l's handler runs since dmat_arm(). */
static inline u32 dmat_count(struct dmat_line *l)
{
	return __atomic_load_n(&l->count, __ATOMIC_ACQUIRE);
}
/** dmat_caught - the flags @l's handler found since dmat_arm(). */
static inline u32 dmat_caught(struct dmat_line *l)
{
	return __atomic_load_n(&l->flags, __ATOMIC_ACQUIRE);
}
/** dmat_caught_at - the virtual time of @l's first handler run since dmat_arm(). */
static inline dmae_sim_time_t dmat_caught_at(struct dmat_line *l)
{
	return __atomic_load_n(&l->at, __ATOMIC_ACQUIRE);
}
/** dmat_wait_flag - until @l caught @flag; the virtual time of that handler run. */
dmae_sim_time_t dmat_wait_flag(struct dmat_line *l, u32 flag);
/** dmat_flags - stream @n's flags as LISR/HISR show them (not cleared). */
u32 dmat_flags(void __iomem *base, unsigned int n);
/** dmat_wait_idle - poll SxCR until EN reads 0 (board time); @return that time. */
dmae_sim_time_t dmat_wait_idle(void __iomem *base, unsigned int n);

/* A peripheral-paced transfer between DMA1 stream n and its stand-in PERIPH(n). */
struct dmat_paced {
	unsigned int n;			  /* the stream, and the stand-in */
	u32 cr, fcr;			  /* SxCR (P2M or M2P; TCIE is added), SxFCR */
	struct dmat_buf *buf;		  /* the memory side */
	u32 count;			  /* items (NDTR) */
	dmae_sim_time_t start, interval;  /* the stand-in's first item, and the pace */
	dmae_sim_time_t ht, tc;		  /* out: HTIF's (with HTIE) and TCIF's handler runs */
	struct hwtest_periph_stats st;	  /* out: the stand-in's */
};

/** dmat_run_paced - program, enable, start the stand-in, wait for TCIF. */
void dmat_run_paced(struct dmat_paced *p);

/** The last cycle begun by @t: what ended at it has happened (the cycle of an event at @t). */
static inline u64 cycle_at(dmae_sim_time_t t)
{
	u64 c = dmae_sim_ps_cycles(t, MCU_HZ);

	if (dmae_sim_cycles_ps(c + 1, MCU_HZ) <= t)
		c++;
	return c;
}

/** The cycle an input made at @t takes effect at: the next edge (the model's rule). */
static inline u64 cycle_after(dmae_sim_time_t t)
{
	return cycle_at(t) + 1;
}

/** The time cycle @c ends. */
static inline dmae_sim_time_t at_cycle(u64 c)
{
	return dmae_sim_cycles_ps(c, MCU_HZ);
}

/** sleep_until - let board time pass (the test's thread sleeps) until about @t. */
static inline void sleep_until(dmae_sim_time_t t)
{
	dmae_sim_time_t n = now_ps();

	if (t > n)
		ndelay((unsigned long)((t - n + 999) / 1000));
}

/* The tests, one file per part of the reference. */
void test_reset_values(void **state);
void test_32bit_accesses(void **state);
void test_writable_bits(void **state);
void test_write_protection(void **state);
void test_forced_bits(void **state);
void test_en_reads_1_until_stopped(void **state);
void test_threshold_burst(void **state);
void test_packing_byte_to_word(void **state);
void test_unpacking_word_to_byte(void **state);
void test_packing_odd_length(void **state);
void test_flush_on_disable(void **state);
void test_fifo_status_live(void **state);
void test_pinc_minc_pincos(void **state);
void test_en_autoclear(void **state);
void test_circular_reload(void **state);
void test_double_buffer(void **state);
void test_htif_at_half(void **state);
void test_m2p_prefetch(void **state);
void test_teif_bus_error(void **state);
void test_teif_register_in_use(void **state);
void test_dmeif(void **state);
void test_feif_overrun(void **state);
void test_feif_underrun(void **state);
void test_arbitration(void **state);
void test_request_interleave(void **state);
void test_m2m_64k_timing(void **state);
void test_periph_paced_timing(void **state);
void test_read_mid_run(void **state);
void test_pause_mid_run(void **state);
void test_irq_line_or(void **state);
void test_mdma_pulse(void **state);
void test_runs_are_exact(void **state);
void test_dmamux_generator(void **state);

#endif /* DMAE_TEST_STM32_DMA_H */
