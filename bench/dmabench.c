// SPDX-License-Identifier: MIT
/*
 * dmabench.c - throughput of the cpu provider through the full consumer API
 * (prep + submit + issue + completion), side by side in one run with the same
 * work done directly on the client thread; medians of several repetitions.
 *
 *   --op=memcpy  plain memcpy vs DMA_MEMCPY descriptors of --size bytes
 *   --op=xor     ISA-L xor_gen vs DMA_XOR descriptors: --sources buffers of
 *                --size bytes each into one destination
 *   --op=pq      ISA-L pq_gen vs DMA_PQ descriptors: --sources buffers of
 *                --size bytes each into P and Q (coefficients {02}^i)
 *   --op=map     dma_map_single + dma_unmap_single of a --size buffer: ns per
 *                pair on the identity path, and through a bounce buffer
 *
 * xor and pq throughput is bytes of source data per second (sources x size
 * per operation); both sides work on the same 64-byte aligned buffers (size
 * a multiple of 32, as ISA-L wants), and the provider's result is checked
 * against ISA-L's before timing.
 *
 *   dmabench [--op=memcpy|xor|pq|map] [--size=64|65536] [--sources=8] [--batch=32]
 *            [--window=512] [--reps=7] [--ms=300] [--mode=callback|polled|sleep]
 *            [--csv] [--verbose]
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/raid.h>

#include <dmaengine/cpu.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/dmaengine.h>
#include <dmaengine/os.h>

#include "drivers/cpu/cpu-dma.h"

#define BENCH_MAX_SRCS 64 /* the cpu provider's max_xor and max_pq */
#define BENCH_ALIGN 64	  /* alignment of the xor/pq buffers */

enum bench_op { BENCH_MEMCPY, BENCH_XOR, BENCH_PQ, BENCH_MAP };

static const char *const bench_op_name[] = { "memcpy", "xor", "pq", "map" };

/*
 * How the client learns of completions: callbacks it spins on, tx_status it
 * polls, or callbacks it sleeps on while the window is full (it leaves the
 * CPU to the worker, as a kernel client waiting on a completion would).
 */
enum bench_mode { MODE_CALLBACK, MODE_POLLED, MODE_SLEEP };

static const char *const bench_mode_name[] = { "callback", "polled", "sleep" };

struct bench_opts {
	enum bench_op op;      /* what is measured */
	size_t size;	       /* bytes per copy; bytes per source for xor and pq */
	unsigned int sources;  /* xor and pq: sources per operation */
	unsigned int batch;    /* descriptors per issue_pending */
	unsigned int window;   /* descriptors in flight at most */
	unsigned int reps;     /* repetitions, median reported */
	unsigned int ms;       /* duration of one repetition */
	enum bench_mode mode;  /* how completions are seen */
	bool csv;	       /* machine-readable lines */
	bool verbose;	       /* every repetition too */
};

/*
 * The buffers. memcpy copies slot after slot of src to dst (4 MiB in all);
 * xor and pq run every operation on one stripe, laid out for ISA-L: ptrs[]
 * holds the sources, then P (the xor destination), then Q.
 */
struct bench_bufs {
	char *src, *dst;			/* memcpy: slots * size bytes each */
	size_t slots;				/* memcpy: copies before wrapping */
	void *ptrs[BENCH_MAX_SRCS + 2];		/* xor/pq: sources, P, Q */
	dma_addr_t srcs[BENCH_MAX_SRCS];	/* the sources as bus addresses */
	dma_addr_t pq[2];			/* P (xor: the destination) and Q */
	unsigned char scf[BENCH_MAX_SRCS];	/* pq: {02}^i, as ISA-L's pq_gen */
};

/*
 * Shared with the callbacks, on a cache line of its own; lives for the whole
 * run (a wake_up may still be on its way out of the wait queue when the
 * client has seen the count).
 */
struct bench_run {
	u64 completed;	      /* callbacks so far; written by the worker */
	u64 wake_at;	      /* sleep mode: callbacks from this count on wake the client */
	wait_queue_head_t wq; /* sleep mode: where the client sleeps */
} __attribute__((aligned(64)));

static void bench_callback(void *param)
{
	struct bench_run *run = param;

	__atomic_store_n(&run->completed, run->completed + 1, __ATOMIC_RELEASE);
}

/* Sleep mode: count, and wake the client once the count it waits for is reached. */
static void bench_callback_wake(void *param)
{
	struct bench_run *run = param;
	u64 n = run->completed + 1;

	__atomic_store_n(&run->completed, n, __ATOMIC_RELEASE);
	/* wake_at only grows during a repetition: a stale value wakes early, never late */
	if (n >= __atomic_load_n(&run->wake_at, __ATOMIC_RELAXED))
		wake_up(&run->wq);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *in, unsigned int n)
{
	double v[99];

	memcpy(v, in, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Plain memcpy of the same size on this thread: operations per second. */
static double run_memcpy(const struct bench_opts *o, struct bench_bufs *b)
{
	u64 end = dmae_clock_ns() + (u64)o->ms * 1000000ull, start = dmae_clock_ns();
	u64 ops = 0;

	while (dmae_clock_ns() < end) {
		for (unsigned int i = 0; i < 1024; i++, ops++) {
			size_t k = ops % b->slots;

			memcpy(b->dst + k * o->size, b->src + k * o->size, o->size);
			__asm__ __volatile__("" ::: "memory");
		}
	}
	return ops / ((dmae_clock_ns() - start) / 1e9);
}

/* One xor_gen or pq_gen on the stripe; ISA-L's result (0 when it ran). */
static int isal_op(const struct bench_opts *o, struct bench_bufs *b)
{
	if (o->op == BENCH_XOR)
		return xor_gen((int)o->sources + 1, (int)o->size, b->ptrs);
	return pq_gen((int)o->sources + 2, (int)o->size, b->ptrs);
}

/* ISA-L called directly on this thread, on the same stripe: operations per second. */
static double run_isal(const struct bench_opts *o, struct bench_bufs *b)
{
	u64 start = dmae_clock_ns(), end = start + (u64)o->ms * 1000000ull;
	u64 ops = 0;

	do {
		isal_op(o, b);
		__asm__ __volatile__("" ::: "memory");
		ops++;
	} while (dmae_clock_ns() < end);
	return ops / ((dmae_clock_ns() - start) / 1e9);
}

/*
 * The descriptor of operation number @k, or NULL. DMA_CTRL_ACK on every op:
 * nothing depends on these descriptors, so the provider may recycle them at
 * completion (without it, each waits for an async_tx_ack()).
 */
static struct dma_async_tx_descriptor *prep_op(const struct bench_opts *o, struct dma_chan *chan,
					       struct bench_bufs *b, u64 k)
{
	size_t off;

	switch (o->op) {
	case BENCH_XOR:
		return dmaengine_prep_dma_xor(chan, b->pq[0], b->srcs, o->sources, o->size,
					      DMA_CTRL_ACK);
	case BENCH_PQ:
		return dmaengine_prep_dma_pq(chan, b->pq, b->srcs, o->sources, b->scf, o->size,
					     DMA_CTRL_ACK);
	case BENCH_MEMCPY:
	default:
		off = (k % b->slots) * o->size;
		return dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)(b->dst + off),
						 (dma_addr_t)(uintptr_t)(b->src + off), o->size,
						 DMA_CTRL_ACK);
	}
}

/* Completions so far: the callback count, or cookies polled in submission order. */
static u64 dma_done(const struct bench_opts *o, struct dma_chan *chan, struct bench_run *run,
		    const dma_cookie_t *cookies, u64 done, u64 submitted)
{
	if (o->mode != MODE_POLLED)
		return __atomic_load_n(&run->completed, __ATOMIC_ACQUIRE);
	while (done < submitted &&
	       dma_async_is_tx_complete(chan, cookies[done % o->window], NULL, NULL) == DMA_COMPLETE)
		done++;
	return done;
}

/* Wait for more completions: spin once, or sleep until @target of them. */
static void dma_wait(const struct bench_opts *o, struct bench_run *run, u64 target)
{
	if (o->mode != MODE_SLEEP) {
		cpu_relax();
		return;
	}
	__atomic_store_n(&run->wake_at, target, __ATOMIC_RELAXED);
	wait_event(run->wq, __atomic_load_n(&run->completed, __ATOMIC_ACQUIRE) >= target);
}

/*
 * The provider: operations per second through the whole API. A batch goes
 * out when it fits in the window; a sleeping client waits for the window to
 * be half empty, so that one wake-up covers many completions. A prep that
 * finds no free descriptor (they come back as work completes) ends the batch
 * early, and the next one waits for one more completion.
 */
static double run_dma(const struct bench_opts *o, struct dma_chan *chan, struct bench_bufs *b,
		      struct bench_run *run)
{
	dma_cookie_t *cookies = calloc(o->window, sizeof(*cookies));
	u64 submitted = 0, done = 0, start, end;
	u64 more = 0;	    /* after a failed prep: the completions to wait for */
	u64 starved_ns = 0; /* when prep failed with nothing in flight */

	run->completed = 0;
	run->wake_at = 0;
	start = dmae_clock_ns();
	end = start + (u64)o->ms * 1000000ull;
	for (;;) {
		u64 need = submitted + o->batch > o->window ? submitted + o->batch - o->window : 0;

		if (need < more)
			need = more;
		done = dma_done(o, chan, run, cookies, done, submitted);
		if (done < need) {
			u64 half = submitted > o->window / 2 ? submitted - o->window / 2 : 0;

			dma_wait(o, run, need > half ? need : half);
			continue;
		}
		if (dmae_clock_ns() >= end)
			break;
		more = 0;
		for (unsigned int i = 0; i < o->batch; i++, submitted++) {
			struct dma_async_tx_descriptor *tx = prep_op(o, chan, b, submitted);

			if (!tx) {
				/* Nothing in flight and still none free for a second: give up. */
				if (done == submitted && !starved_ns)
					starved_ns = dmae_clock_ns();
				if (starved_ns && dmae_clock_ns() - starved_ns > 1000000000ull) {
					fprintf(stderr, "dmabench: prep failed\n");
					exit(1);
				}
				more = done < submitted ? done + 1 : 0;
				break;
			}
			starved_ns = 0;
			if (o->mode != MODE_POLLED) {
				tx->callback = o->mode == MODE_SLEEP ? bench_callback_wake : bench_callback;
				tx->callback_param = run;
			}
			cookies[submitted % o->window] = dmaengine_submit(tx);
		}
		dma_async_issue_pending(chan);
	}
	/* Drain what is in flight; it counts, and so does its time. */
	while ((done = dma_done(o, chan, run, cookies, done, submitted)) < submitted)
		dma_wait(o, run, submitted);
	free(cookies);
	return submitted / ((dmae_clock_ns() - start) / 1e9);
}

/* xor/pq: the sources (a different byte pattern each), P, Q and the coefficients. */
static int stripe_alloc(const struct bench_opts *o, struct bench_bufs *b)
{
	size_t bytes = (o->size + BENCH_ALIGN - 1) / BENCH_ALIGN * BENCH_ALIGN;
	unsigned char g = 1;

	for (unsigned int i = 0; i < o->sources + 2; i++) {
		unsigned char *p = aligned_alloc(BENCH_ALIGN, bytes);

		if (!p)
			return -1;
		for (size_t j = 0; j < bytes; j++)
			p[j] = (unsigned char)(i < o->sources ? (j * 131 + i * 29 + (j >> 8)) : 0);
		b->ptrs[i] = p;
		if (i < o->sources)
			b->srcs[i] = (dma_addr_t)(uintptr_t)p;
		else
			b->pq[i - o->sources] = (dma_addr_t)(uintptr_t)p;
	}
	/* {02}^i in GF(2^8) with the RAID6 polynomial 0x11d */
	for (unsigned int i = 0; i < o->sources; i++) {
		b->scf[i] = g;
		g = (unsigned char)((g << 1) ^ (g & 0x80 ? 0x1d : 0));
	}
	return 0;
}

static void stripe_free(const struct bench_opts *o, struct bench_bufs *b)
{
	for (unsigned int i = 0; i < o->sources + 2; i++)
		free(b->ptrs[i]);
}

/*
 * One operation by ISA-L, then the same through the provider into the same
 * destinations: they must agree, or the figures compare different work.
 */
static int stripe_check(const struct bench_opts *o, struct dma_chan *chan, struct bench_bufs *b)
{
	unsigned int ndst = o->op == BENCH_PQ ? 2 : 1;
	struct dma_async_tx_descriptor *tx;
	unsigned char *want = malloc(ndst * o->size);
	int ret = 0;

	if (!want)
		return -1;
	if (isal_op(o, b)) {
		fprintf(stderr, "dmabench: ISA-L %s_gen refused %u sources x %zu B\n",
			bench_op_name[o->op], o->sources, o->size);
		free(want);
		return -1;
	}
	for (unsigned int d = 0; d < ndst; d++) {
		memcpy(want + d * o->size, b->ptrs[o->sources + d], o->size);
		memset(b->ptrs[o->sources + d], 0x5a, o->size);
	}
	tx = prep_op(o, chan, b, 0);
	if (!tx || dma_sync_wait(chan, dmaengine_submit(tx)) != DMA_COMPLETE) {
		fprintf(stderr, "dmabench: %s through %s failed\n", bench_op_name[o->op],
			dma_chan_name(chan));
		free(want);
		return -1;
	}
	for (unsigned int d = 0; d < ndst; d++) {
		if (memcmp(want + d * o->size, b->ptrs[o->sources + d], o->size)) {
			fprintf(stderr, "dmabench: %s: the provider's %s differs from ISA-L's\n",
				bench_op_name[o->op], d ? "Q" : o->op == BENCH_PQ ? "P" : "result");
			ret = -1;
		}
	}
	free(want);
	return ret;
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' }, { "batch", required_argument, NULL, 'b' },
		{ "window", required_argument, NULL, 'w' }, { "reps", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' }, { "mode", required_argument, NULL, 'M' },
		{ "csv", no_argument, NULL, 'c' }, { "op", required_argument, NULL, 'o' },
		{ "sources", required_argument, NULL, 'n' }, { "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool size_given = false;
	int c;

	/* the size's default depends on the operation: set below */
	*o = (struct bench_opts){ BENCH_MEMCPY, 0, 8, 32, 512, 7, 300, MODE_CALLBACK, false, false };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->size = strtoul(optarg, NULL, 0); size_given = true; break;
		case 'b': o->batch = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'w': o->window = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'r': o->reps = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'm': o->ms = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'M':
			if (!strcmp(optarg, "callback"))
				o->mode = MODE_CALLBACK;
			else if (!strcmp(optarg, "polled"))
				o->mode = MODE_POLLED;
			else if (!strcmp(optarg, "sleep"))
				o->mode = MODE_SLEEP;
			else
				return -1;
			break;
		case 'c': o->csv = true; break;
		case 'n': o->sources = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'v': o->verbose = true; break;
		case 'o':
			if (!strcmp(optarg, "memcpy"))
				o->op = BENCH_MEMCPY;
			else if (!strcmp(optarg, "xor"))
				o->op = BENCH_XOR;
			else if (!strcmp(optarg, "pq"))
				o->op = BENCH_PQ;
			else if (!strcmp(optarg, "map"))
				o->op = BENCH_MAP;
			else
				return -1;
			break;
		default: return -1;
		}
	}
	if (!size_given)
		o->size = o->op == BENCH_MEMCPY ? 64 : o->op == BENCH_MAP ? 4096 : 65536;
	if (!o->size || !o->batch || o->window < o->batch || !o->reps || o->reps > 99)
		return -1;
	/* ISA-L: lengths in 32-byte multiples, an int; xor needs 2 sources */
	if (o->op != BENCH_MEMCPY && (o->size % 32 || o->size > INT_MAX || o->sources < 2 ||
				      o->sources > BENCH_MAX_SRCS))
		return -1;
	return 0;
}

/* memcpy: the line dmabench has always printed. */
static void report_memcpy(const struct bench_opts *o, double b, double d)
{
	if (o->csv)
		printf("size,batch,mode,memcpy_ops,dma_ops,ratio\n%zu,%u,%s,%.0f,%.0f,%.3f\n", o->size,
		       o->batch, bench_mode_name[o->mode], b, d, d / b);
	else
		printf("%zu B copies, batch %u, %s: memcpy %.2f Mops/s (%.1f ns), cpu-dma %.2f Mops/s (%.1f ns/op), ratio %.3f; descriptor %zu B\n",
		       o->size, o->batch, bench_mode_name[o->mode], b / 1e6, 1e9 / b, d / 1e6,
		       1e9 / d, d / b, sizeof(struct cpu_desc));
}

/* xor/pq: GB/s of source data, from operations per second. */
static void report_raid(const struct bench_opts *o, const char *chan, double b, double d)
{
	double bytes = (double)o->sources * o->size;

	if (o->csv) {
		printf("op,sources,size,batch,mode,isal_gbps,dma_gbps,ratio\n%s,%u,%zu,%u,%s,%.2f,%.2f,%.3f\n",
		       bench_op_name[o->op], o->sources, o->size, o->batch,
		       bench_mode_name[o->mode], b * bytes / 1e9, d * bytes / 1e9, d / b);
		return;
	}
	printf("%u sources x %zu B, batch %u, window %u, %s, %s; medians of %u x %u ms, GB/s of source data\n",
	       o->sources, o->size, o->batch, o->window, bench_mode_name[o->mode], chan,
	       o->reps, o->ms);
	printf("%-6s %12s %12s %8s %14s %14s\n", "op", "ISA-L GB/s", "cpu-dma GB/s", "ratio",
	       "ISA-L us/op", "cpu-dma us/op");
	printf("%-6s %12.2f %12.2f %8.3f %14.2f %14.2f\n", bench_op_name[o->op], b * bytes / 1e9,
	       d * bytes / 1e9, d / b, 1e6 / b, 1e6 / d);
}

/* ns per dma_map_single + dma_unmap_single pair of @dev for --ms. */
static double run_map(const struct bench_opts *o, struct device *dev, void *buf)
{
	u64 t0 = dmae_clock_ns(), t, n = 0;

	do {
		for (int i = 0; i < 1024; i++) {
			dma_addr_t a = dma_map_single(dev, buf, o->size, DMA_TO_DEVICE);

			if (dma_mapping_error(dev, a))
				return -1;
			dma_unmap_single(dev, a, o->size, DMA_TO_DEVICE);
		}
		n += 1024;
		t = dmae_clock_ns();
	} while (t - t0 < o->ms * 1000000ull);
	return (double)(t - t0) / (double)n;
}

/* The mapping layer's cost: the identity path, and a bounced one (32-bit
 * mask, a buffer above 4 GiB), medians of --reps. */
static int bench_map(const struct bench_opts *o)
{
	struct device direct, bounce;
	double id[99], bo[99];
	void *buf = aligned_alloc(4096, o->size + 4096);

	if (!buf)
		return 1;
	dmae_device_init(&direct, "bench-direct");
	dmae_device_init(&bounce, "bench-bounce");
	dma_set_mask(&bounce, DMA_BIT_MASK(32));
	if ((uintptr_t)buf <= DMA_BIT_MASK(32))
		fprintf(stderr, "dmabench: buffer below 4 GiB: the bounce row is the identity\n");
	for (unsigned int r = 0; r < o->reps; r++) {
		id[r] = run_map(o, &direct, buf);
		bo[r] = run_map(o, &bounce, buf);
		if (id[r] < 0 || bo[r] < 0) {
			fprintf(stderr, "dmabench: mapping failed\n");
			return 1;
		}
	}
	if (o->csv)
		printf("op,size,identity_ns,bounce_ns\nmap,%zu,%.2f,%.2f\n", o->size,
		       median(id, o->reps), median(bo, o->reps));
	else
		printf("dma_map_single + dma_unmap_single of %zu B, medians of %u x %u ms:\n"
		       "  identity path %8.2f ns per pair\n  bounce buffer %8.2f ns per pair\n",
		       o->size, o->reps, o->ms, median(id, o->reps), median(bo, o->reps));
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench_run run;
	struct bench_bufs bufs = { 0 };
	struct bench_opts o;
	double base[99], dma[99], b, d;
	dma_cap_mask_t mask;
	struct dma_chan *chan;
	unsigned int max_srcs;
	double unit;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "dmabench: bad arguments\n");
		return 2;
	}
	if (o.op == BENCH_MAP)
		return bench_map(&o);
	init_waitqueue_head(&run.wq);
	dma_cap_zero(mask);
	if (o.op == BENCH_MEMCPY) {
		bufs.slots = (4u << 20) / o.size ? (4u << 20) / o.size : 1;
		bufs.src = aligned_alloc(4096, bufs.slots * o.size + 4096);
		bufs.dst = aligned_alloc(4096, bufs.slots * o.size + 4096);
		memset(bufs.src, 1, bufs.slots * o.size);
		memset(bufs.dst, 0, bufs.slots * o.size);
		dma_cap_set(DMA_MEMCPY, mask);
		chan = dma_request_chan_by_mask(&mask);
		if (IS_ERR(chan)) {
			fprintf(stderr, "dmabench: no channel (%ld)\n", PTR_ERR(chan));
			return 1;
		}
	} else {
		if (stripe_alloc(&o, &bufs)) {
			fprintf(stderr, "dmabench: out of memory\n");
			return 1;
		}
		dma_cap_set(o.op == BENCH_XOR ? DMA_XOR : DMA_PQ, mask);
		chan = dma_request_channel(mask, NULL, NULL);
		if (!chan) {
			fprintf(stderr, "dmabench: no channel can do DMA_%s\n",
				o.op == BENCH_XOR ? "XOR" : "PQ");
			return 1;
		}
		max_srcs = o.op == BENCH_XOR ? chan->device->max_xor :
					       (unsigned int)dma_maxpq(chan->device, 0);
		if (o.sources > max_srcs) {
			fprintf(stderr, "dmabench: %s takes at most %u sources\n", dma_chan_name(chan),
				max_srcs);
			return 1;
		}
		if (stripe_check(&o, chan, &bufs))
			return 1;
	}
	/* Baseline and provider alternate, so that drift hits both alike. */
	unit = o.op == BENCH_MEMCPY ? 1 : (double)o.sources * o.size / 1e9;
	for (unsigned int r = 0; r < o.reps; r++) {
		base[r] = o.op == BENCH_MEMCPY ? run_memcpy(&o, &bufs) : run_isal(&o, &bufs);
		dma[r] = run_dma(&o, chan, &bufs, &run);
		if (o.verbose)
			fprintf(stderr, "rep %u: %s %.2f, cpu-dma %.2f %s\n", r,
				o.op == BENCH_MEMCPY ? "memcpy" : "ISA-L", base[r] * unit,
				dma[r] * unit, o.op == BENCH_MEMCPY ? "ops/s" : "GB/s");
	}
	b = median(base, o.reps);
	d = median(dma, o.reps);
	if (o.op == BENCH_MEMCPY)
		report_memcpy(&o, b, d);
	else
		report_raid(&o, dma_chan_name(chan), b, d);
	dma_release_channel(chan);
	if (o.op == BENCH_MEMCPY) {
		free(bufs.src);
		free(bufs.dst);
	} else {
		stripe_free(&o, &bufs);
	}
	return 0;
}
