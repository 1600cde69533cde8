// SPDX-License-Identifier: MIT
/*
 * dmabench.c - throughput of the cpu provider through the full consumer API
 * (prep + submit + issue + completion), side by side with plain memcpy on
 * the client thread, in one run; medians of several repetitions.
 *
 *   dmabench [--size=64] [--batch=32] [--window=512] [--reps=7] [--ms=300]
 *            [--mode=callback|polled] [--csv]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/cpu.h>
#include <dmaengine/dmaengine.h>
#include <dmaengine/os.h>

#include "drivers/cpu/cpu-dma.h"

struct bench_opts {
	size_t size;	     /* bytes per copy */
	unsigned int batch;  /* descriptors per issue_pending */
	unsigned int window; /* descriptors in flight at most */
	unsigned int reps;   /* repetitions, median reported */
	unsigned int ms;     /* duration of one repetition */
	bool polled;	     /* poll tx_status instead of callbacks */
	bool csv;	     /* machine-readable lines */
};

struct bench_run {
	u64 completed; /* callbacks so far; written by the worker */
};

static void bench_callback(void *param)
{
	struct bench_run *run = param;

	__atomic_store_n(&run->completed, run->completed + 1, __ATOMIC_RELEASE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Plain memcpy of the same size on this thread: operations per second. */
static double run_memcpy(const struct bench_opts *o, char *dst, const char *src, size_t slots)
{
	u64 end = dmae_clock_ns() + (u64)o->ms * 1000000ull, start = dmae_clock_ns();
	u64 ops = 0;

	while (dmae_clock_ns() < end) {
		for (unsigned int i = 0; i < 1024; i++, ops++) {
			size_t k = ops % slots;

			memcpy(dst + k * o->size, src + k * o->size, o->size);
			__asm__ __volatile__("" ::: "memory");
		}
	}
	return ops / ((dmae_clock_ns() - start) / 1e9);
}

/* The provider: operations per second through the whole API. */
static double run_dma(const struct bench_opts *o, struct dma_chan *chan, char *dst,
		      const char *src, size_t slots)
{
	struct bench_run run = { 0 };
	u64 submitted = 0, start, end;
	dma_cookie_t *cookies = calloc(o->window, sizeof(*cookies));
	u64 done = 0;

	start = dmae_clock_ns();
	end = start + (u64)o->ms * 1000000ull;
	for (;;) {
		if (o->polled) {
			while (done < submitted &&
			       dma_async_is_tx_complete(chan, cookies[done % o->window], NULL, NULL) ==
			       DMA_COMPLETE)
				done++;
		} else {
			done = __atomic_load_n(&run.completed, __ATOMIC_ACQUIRE);
		}
		if (submitted + o->batch > done + o->window) {
			cpu_relax();
			continue;
		}
		if (dmae_clock_ns() >= end)
			break;
		for (unsigned int i = 0; i < o->batch; i++, submitted++) {
			size_t k = submitted % slots;
			struct dma_async_tx_descriptor *tx;

			tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)(dst + k * o->size),
						       (dma_addr_t)(uintptr_t)(src + k * o->size),
						       o->size, DMA_CTRL_ACK);
			if (!tx) {
				fprintf(stderr, "dmabench: prep failed\n");
				exit(1);
			}
			if (!o->polled) {
				tx->callback = bench_callback;
				tx->callback_param = &run;
			}
			cookies[submitted % o->window] = dmaengine_submit(tx);
		}
		dma_async_issue_pending(chan);
	}
	/* Drain what is in flight; it counts, and so does its time. */
	while ((o->polled ? done : __atomic_load_n(&run.completed, __ATOMIC_ACQUIRE)) < submitted) {
		if (o->polled && dma_async_is_tx_complete(chan, cookies[done % o->window], NULL,
							  NULL) == DMA_COMPLETE)
			done++;
		cpu_relax();
	}
	free(cookies);
	return submitted / ((dmae_clock_ns() - start) / 1e9);
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' }, { "batch", required_argument, NULL, 'b' },
		{ "window", required_argument, NULL, 'w' }, { "reps", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' }, { "mode", required_argument, NULL, 'M' },
		{ "csv", no_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct bench_opts){ 64, 32, 512, 7, 300, false, false };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->size = strtoul(optarg, NULL, 0); break;
		case 'b': o->batch = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'w': o->window = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'r': o->reps = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'm': o->ms = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'M': o->polled = !strcmp(optarg, "polled"); break;
		case 'c': o->csv = true; break;
		default: return -1;
		}
	}
	if (!o->size || !o->batch || o->window < o->batch || !o->reps || o->reps > 99) {
		fprintf(stderr, "dmabench: bad arguments\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	double base[99], dma[99], b, d;
	dma_cap_mask_t mask;
	struct dma_chan *chan;
	size_t slots;
	char *src, *dst;

	if (parse(argc, argv, &o))
		return 2;
	slots = (4u << 20) / o.size ? (4u << 20) / o.size : 1;
	src = aligned_alloc(4096, slots * o.size + 4096);
	dst = aligned_alloc(4096, slots * o.size + 4096);
	memset(src, 1, slots * o.size);
	memset(dst, 0, slots * o.size);
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan)) {
		fprintf(stderr, "dmabench: no channel (%ld)\n", PTR_ERR(chan));
		return 1;
	}
	for (unsigned int r = 0; r < o.reps; r++) {
		base[r] = run_memcpy(&o, dst, src, slots);
		dma[r] = run_dma(&o, chan, dst, src, slots);
	}
	b = median(base, o.reps);
	d = median(dma, o.reps);
	if (o.csv)
		printf("size,batch,mode,memcpy_ops,dma_ops,ratio\n%zu,%u,%s,%.0f,%.0f,%.3f\n", o.size,
		       o.batch, o.polled ? "polled" : "callback", b, d, d / b);
	else
		printf("%zu B copies, batch %u, %s: memcpy %.2f Mops/s (%.1f ns), cpu-dma %.2f Mops/s (%.1f ns/op), ratio %.3f; descriptor %zu B\n",
		       o.size, o.batch, o.polled ? "polled" : "callback", b / 1e6, 1e9 / b, d / 1e6,
		       1e9 / d, d / b, sizeof(struct cpu_desc));
	dma_release_channel(chan);
	free(src);
	free(dst);
	return 0;
}
