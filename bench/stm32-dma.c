// SPDX-License-Identifier: MIT
/*
 * stm32-dma.c - stm32dmabench: how fast the STM32 DMA model runs in free
 * mode, driven through its registers as a driver would: memory-to-memory
 * copies, and transfers paced by a peripheral at a 115200-baud UART's rate.
 * For each case, the medians of --runs runs (the cases interleaved, after a
 * warm-up round): events per run, virtual time, wall time and
 * the process's CPU time (all its threads), how many times faster than real
 * time by each, events per second, bytes per second. A benchmark, never a
 * test (docs/hw-stm32-dma.md, "Speed").
 *
 *	stm32dmabench [--runs=N] [--case=NAME] [--grouped] [--board=PATH.dtb]
 *
 * --grouped: each case's runs one after the other (its own warm-up first),
 * instead of interleaved with the other cases'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmaengine/board.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/err.h>
#include <dmaengine/io.h>

#include "common/hwtest.h"
#include "hw/stm32-dma/rm0090.h"

#define DMA1 "48000000.dma-controller"
#define PERIPH "40020000.periph"
#define PERIPH_DR 0x40020000u
#define RUNS_MAX 256
#define UART_BPS 11520u /* bytes per second of a 115200-baud UART (10 bits a byte) */

struct bench_case {
	const char *name;  /* for --case */
	const char *what;  /* one line */
	u32 cr, fcr, ndtr; /* stream 0's configuration */
	u32 bytes;	   /* moved by a run */
	u32 tcs;	   /* TCIFs a run waits for */
	bool paced;	   /* by the stand-in, at UART_BPS */
	double target;	   /* times faster than real time the issue asks for */
};

static const struct bench_case cases[] = {
	{ "m2m-word", "64 KiB memory to memory: words, INCR4, threshold full",
	  M2M | PSIZE(2) | MSIZE(2) | PBURST(1) | MBURST(1) | PINC | MINC, DMDIS | FTH(3), 16384,
	  65536, 1, false, 10 },
	{ "m2m-byte", "65520 B memory to memory: bytes, INCR16 (the Linux driver's memcpy)",
	  M2M | PSIZE(0) | MSIZE(0) | PBURST(3) | MBURST(3) | PINC | MINC, DMDIS | FTH(3), 0xfff0,
	  0xfff0, 1, false, 10 },
	{ "p2m-uart", "64 KiB from a UART-paced peripheral: direct mode, circular 32 KiB",
	  P2M | PSIZE(0) | MSIZE(0) | MINC | CIRC, 0, 32768, 65536, 2, true, 100 },
	{ "m2p-uart", "64 KiB to a UART-paced peripheral: FIFO 1/2, half-word INCR4, circular",
	  M2P | PSIZE(0) | MSIZE(1) | MBURST(1) | MINC | CIRC, DMDIS | FTH(1), 32768, 65536, 2, true,
	  100 },
};

struct bench_run {
	double wall_ns;	   /* host time of the run */
	double cpu_ns;	   /* CPU time of the process's threads in it */
	double virt_ns;	   /* board time of the run */
	double events;	   /* simulation events it took */
};

static struct {
	struct dmae_board *board;
	struct dmae_sim *sim;
	struct hwtest_regs regs;
	struct hwtest_periph *periph;
	struct completion tc;  /* one per TCIF */
	int irq;
	void *src, *dst;       /* 64 KiB each, the board's DDR */
	dma_addr_t src_bus, dst_bus;
} B;

static u64 clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static irqreturn_t on_stream0(int irq, void *arg)
{
	u32 f = readl(B.regs.base + LISR) & ALLF;

	if (!f)
		return IRQ_NONE;
	writel(f, B.regs.base + LIFCR);
	if (f & TCIF)
		complete(&B.tc);
	return IRQ_HANDLED;
}

static int setup(const char *dtb)
{
	struct device *dev;

	B.board = dmaengine_board_load(dtb, &(struct dmaengine_board_params){ .sim = "free" });
	if (IS_ERR(B.board))
		return (int)PTR_ERR(B.board);
	B.sim = dmaengine_board_sim(B.board);
	B.periph = hwtest_periph_get(PERIPH);
	if (!B.sim || !B.periph || hwtest_regs_map(&B.regs, DMA1)) {
		fprintf(stderr, "stm32dmabench: %s has not the board's DMA1 and stand-in\n", dtb);
		return -ENODEV;
	}
	dev = &B.regs.pdev->dev;
	B.src = dma_alloc_coherent(dev, 65536, &B.src_bus, GFP_KERNEL);
	B.dst = dma_alloc_coherent(dev, 65536, &B.dst_bus, GFP_KERNEL);
	if (!B.src || !B.dst)
		return -ENOMEM;
	for (u32 i = 0; i < 65536; i++)
		((u8 *)B.src)[i] = (u8)(hwtest_pattern(i) >> 8);
	init_completion(&B.tc);
	B.irq = platform_get_irq(B.regs.pdev, 0);
	return B.irq < 0 ? B.irq : request_irq((unsigned int)B.irq, on_stream0, 0, "bench", &B);
}

static void teardown(void)
{
	struct device *dev = &B.regs.pdev->dev;

	if (B.irq > 0)
		free_irq((unsigned int)B.irq, &B);
	if (B.src)
		dma_free_coherent(dev, 65536, B.src, B.src_bus);
	if (B.dst)
		dma_free_coherent(dev, 65536, B.dst, B.dst_bus);
	hwtest_regs_unmap(&B.regs);
	dmaengine_board_unload(B.board);
}

/* What a run moved is right: the copy, the peripheral's bytes, or what it was given. */
static bool check(const struct bench_case *c)
{
	struct hwtest_periph_stats st;

	if (!c->paced)
		return !memcmp(B.dst, B.src, c->bytes);
	hwtest_periph_stats(B.periph, &st);
	if (st.items != c->bytes || st.overruns || st.underruns)
		return false;
	if (c->cr & M2P)
		return true;
	for (u32 i = 0; i < c->ndtr; i++) /* the second half of the stream, in the ring */
		if (((u8 *)B.dst)[i] != (u8)hwtest_pattern(c->ndtr + i))
			return false;
	return true;
}

static int run_case(const struct bench_case *c, struct bench_run *out)
{
	bool m2p = (c->cr & (3u << 6)) == M2P;
	dmae_sim_time_t interval = DMAE_PS_PER_S / UART_BPS, v0;
	struct dmae_sim_stats s0, s1;
	void __iomem *base = B.regs.base;
	u64 t0, cpu0;
	u32 v;

	memset(B.dst, 0, 65536);
	writel(c->cr, base + SCR(0));
	writel(m2p ? PERIPH_DR : c->paced ? PERIPH_DR : (u32)B.src_bus, base + SPAR(0));
	writel(m2p ? (u32)B.src_bus : (u32)B.dst_bus, base + SM0AR(0));
	writel(c->fcr, base + SFCR(0));
	writel(c->ndtr, base + SNDTR(0));
	writel(ALLF, base + LIFCR);
	reinit_completion(&B.tc);
	dmae_sim_get_stats(B.sim, &s0);
	t0 = clock_of(CLOCK_MONOTONIC);
	cpu0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
	v0 = dmae_sim_now(B.sim);
	writel(c->cr | TCIE | EN, base + SCR(0));
	if (c->paced && m2p)
		hwtest_periph_tx(B.periph, c->bytes, v0, interval);
	else if (c->paced)
		hwtest_periph_rx(B.periph, c->bytes, v0, interval);
	for (u32 i = 0; i < c->tcs; i++)
		wait_for_completion(&B.tc);
	out->wall_ns = (double)(clock_of(CLOCK_MONOTONIC) - t0);
	out->cpu_ns = (double)(clock_of(CLOCK_PROCESS_CPUTIME_ID) - cpu0);
	out->virt_ns = (double)(dmae_sim_now(B.sim) - v0) / DMAE_PS_PER_NS;
	dmae_sim_get_stats(B.sim, &s1);
	out->events = (double)(s1.events - s0.events);
	writel(c->cr, base + SCR(0));
	if (readl_poll_timeout(base + SCR(0), v, !(v & EN), 1, 100000))
		return -ETIMEDOUT;
	return check(c) ? 0 : -EIO;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(buf, len, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

/* A case's runs, for its medians. */
struct bench_series {
	double wall[RUNS_MAX], cpu[RUNS_MAX], virt[RUNS_MAX], evs[RUNS_MAX], ev[RUNS_MAX];
};

static void report(const struct bench_case *c, struct bench_series *r, unsigned int runs)
{
	double v = median(r->virt, runs), w = median(r->wall, runs), u = median(r->cpu, runs);

	printf("%-9s %6u  %11.1f  %10.1f  %6.1fx  %10.1f  %6.1fx  %7.0f  %9.0f  %8.1f  %s (>= %gx)\n",
	       c->name, c->bytes, v / 1e3, w / 1e3, v / w, u / 1e3, v / u, median(r->ev, runs),
	       median(r->evs, runs), c->bytes / (w / 1e9) / 1e6, v / w >= c->target ? "ok" : "BELOW",
	       c->target);
	printf("          %s\n", c->what);
}

/*
 * The cases' runs interleaved (round i runs every case once), after a
 * round that warms the caches and the board up and is not counted: a
 * spell of load on the host spreads over every case instead of one.
 */
static int bench(const struct bench_case **sel, unsigned int ncases, unsigned int runs)
{
	static struct bench_series series[ARRAY_SIZE(cases)];
	struct bench_run r;

	for (unsigned int i = 0; i <= runs; i++) {
		for (unsigned int k = 0; k < ncases; k++) {
			struct bench_series *s = &series[k];
			int err = run_case(sel[k], &r);

			if (err) {
				fprintf(stderr, "stm32dmabench: %s: run %u failed (%d)\n", sel[k]->name,
					i, err);
				return err;
			}
			if (!i)
				continue; /* the warm-up round */
			s->wall[i - 1] = r.wall_ns;
			s->cpu[i - 1] = r.cpu_ns;
			s->virt[i - 1] = r.virt_ns;
			s->ev[i - 1] = r.events;
			s->evs[i - 1] = r.events / (r.wall_ns / 1e9);
		}
	}
	for (unsigned int k = 0; k < ncases; k++)
		report(sel[k], &series[k], runs);
	return 0;
}

int main(int argc, char **argv)
{
	const struct bench_case *sel[ARRAY_SIZE(cases)];
	const char *dtb = STM32_DMA_BENCH_DTB, *only = NULL;
	unsigned int runs = 9, nsel = 0;
	bool grouped = false;
	char cpu[200];
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--runs=", 7))
			runs = (unsigned int)strtoul(argv[i] + 7, NULL, 0);
		else if (!strncmp(argv[i], "--case=", 7))
			only = argv[i] + 7;
		else if (!strcmp(argv[i], "--grouped"))
			grouped = true;
		else if (!strncmp(argv[i], "--board=", 8))
			dtb = argv[i] + 8;
		else {
			fprintf(stderr, "usage: stm32dmabench [--runs=N] [--case=NAME] [--grouped] [--board=PATH]\n");
			return 2;
		}
	}
	if (!runs || runs > RUNS_MAX) {
		fprintf(stderr, "stm32dmabench: --runs takes 1 to %d\n", RUNS_MAX);
		return 2;
	}
	setenv("DMAENGINE_PLATFORM", "none", 1);
	err = setup(dtb);
	if (err) {
		fprintf(stderr, "stm32dmabench: cannot set the board up (%d)\n", err);
		return 1;
	}
	cpu_model(cpu, sizeof(cpu));
	printf("stm32dmabench: the STM32 DMA model (hw/stm32-dma) through its registers, free mode,\n"
	       "medians of %u %s runs after a warm-up round; CPU: %s\n\n", runs,
	       grouped ? "grouped" : "interleaved", cpu);
	printf("%-9s %6s  %11s  %10s  %7s  %10s  %7s  %7s  %9s  %8s\n", "case", "bytes",
	       "virtual us", "wall us", "x wall", "CPU us", "x CPU", "events", "events/s", "MB/s");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (!only || !strcmp(only, cases[i].name))
			sel[nsel++] = &cases[i];
	if (!nsel) {
		fprintf(stderr, "stm32dmabench: no case %s\n", only);
		err = 2;
	} else if (!grouped) {
		err = bench(sel, nsel, runs);
	} else {
		err = 0;
		for (unsigned int k = 0; k < nsel && !err; k++)
			err = bench(&sel[k], 1, runs);
	}
	teardown();
	return err ? 1 : 0;
}
