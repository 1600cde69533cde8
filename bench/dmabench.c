// SPDX-License-Identifier: MIT
/*
 * dmabench.c - throughput, latency and idle cost of the cpu provider through
 * the full consumer API (prep + submit + issue + completion), side by side in
 * one run with what it competes with; medians of several repetitions.
 *
 *   --op=memcpy  plain memcpy vs DMA_MEMCPY descriptors of --size bytes
 *   --op=xor     ISA-L xor_gen vs DMA_XOR descriptors: --sources buffers of
 *                --size bytes each into one destination
 *   --op=pq      ISA-L pq_gen vs DMA_PQ descriptors: --sources buffers of
 *                --size bytes each into P and Q (coefficients {02}^i)
 *   --op=map     dma_map_single + dma_unmap_single of a --size buffer: ns per
 *                pair on the identity path, through a bounce buffer, and
 *                behind an IOMMU
 *   --op=all     (or --suite) the whole matrix of suite.c: memcpy on one
 *                thread and on all CPUs, the provider (callback and polled,
 *                batches 1 and 32, one and two clients), DPDK's dma_skeleton
 *                when built with DPDK, ISA-L vs the provider's XOR and P+Q,
 *                latency on an idle channel, idle CPU use; a table with the
 *                ratios and the targets of issue 6, optionally CSV and a PNG
 *
 * xor and pq throughput is bytes of source data per second (sources x size
 * per operation); both sides work on the same 64-byte aligned buffers (size
 * a multiple of 32, as ISA-L wants), and the provider's result is checked
 * against ISA-L's before timing.
 *
 *   dmabench [--op=memcpy|xor|pq|map|all] [--suite] [--quick]
 *            [--size=N] [--sources=8] [--batch=32] [--window=512]
 *            [--reps=N] [--ms=N] [--mode=callback|polled|sleep]
 *            [--csv[=FILE]] [--png=FILE] [--no-dpdk] [--dpdk-eal=ARGS]
 *            [--lat-samples=N] [--lat-gap-us=N] [--idle-ms=N] [--verbose]
 *
 * Every option is described in the README's Benchmarks section and by --help.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/cpu.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/iommu.h>

#include "bench.h"
#include "drivers/cpu/cpu-dma.h"

const char *const bench_op_name[] = { "memcpy", "xor", "pq", "map", "all" };
const char *const bench_mode_name[] = { "callback", "polled", "sleep" };

static const char usage[] =
	"usage: dmabench [options]\n"
	"  --op=memcpy|xor|pq|map|all  what to measure (default memcpy); all = the suite\n"
	"  --suite                  the same as --op=all\n"
	"  --quick                  short repetitions and samples: a sanity run\n"
	"  --size=N                 bytes per copy / per xor-pq source / mapped (single ops)\n"
	"  --sources=N              xor/pq sources per operation (8)\n"
	"  --batch=N --window=N     descriptors per issue_pending (32), in flight at most (512)\n"
	"  --mode=callback|polled|sleep  how completions are seen (single ops; callback)\n"
	"  --reps=N --ms=N          repetitions (median kept) and ms each (7 x 300; suite 5 x 200;\n"
	"                           --quick 3 x 50)\n"
	"  --csv                    machine-readable output on stdout\n"
	"  --csv=FILE               suite: every line of the table as CSV into FILE\n"
	"  --png=FILE               suite: throughput against size as a PNG chart\n"
	"  --no-dpdk                suite: leave DPDK out even when built with it\n"
	"  --dpdk-eal=ARGS          suite: EAL arguments instead of the default (see README)\n"
	"  --lat-samples=N          suite: copies per latency line (1000; --quick 200)\n"
	"  --lat-gap-us=N           suite: idle time before each copy in the idle-latency lines (1000)\n"
	"  --idle-ms=N              suite: how long the idle CPU use is measured (1000; --quick 300)\n"
	"  --verbose                every repetition on stderr\n";

enum {
	OPT_SIZE = 256, OPT_BATCH, OPT_WINDOW, OPT_REPS, OPT_MS, OPT_MODE, OPT_CSV, OPT_OP,
	OPT_SOURCES, OPT_VERBOSE, OPT_SUITE, OPT_QUICK, OPT_PNG, OPT_NO_DPDK, OPT_EAL,
	OPT_LAT_SAMPLES, OPT_LAT_GAP, OPT_IDLE_MS, OPT_HELP,
};

/* What the user gave; the defaults of the rest depend on --op and --quick. */
struct bench_given {
	bool size, reps, ms, lat_samples, idle_ms; /* given on the command line */
};

static int parse_name(const char *arg, const char *const *names, unsigned int n, int *out)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(arg, names[i])) {
			*out = (int)i;
			return 0;
		}
	return -1;
}

static unsigned int num(const char *arg)
{
	return (unsigned int)strtoul(arg, NULL, 0);
}

static int parse_one(int c, struct bench_opts *o, struct bench_given *g)
{
	int v;

	switch (c) {
	case OPT_SIZE: o->size = strtoul(optarg, NULL, 0); g->size = true; break;
	case OPT_BATCH: o->batch = num(optarg); break;
	case OPT_WINDOW: o->window = num(optarg); break;
	case OPT_REPS: o->reps = num(optarg); g->reps = true; break;
	case OPT_MS: o->ms = num(optarg); g->ms = true; break;
	case OPT_SOURCES: o->sources = num(optarg); break;
	case OPT_VERBOSE: o->verbose = true; break;
	case OPT_SUITE: o->op = BENCH_ALL; break;
	case OPT_QUICK: o->quick = true; break;
	case OPT_PNG: o->png_path = optarg; break;
	case OPT_NO_DPDK: o->dpdk = false; break;
	case OPT_EAL: o->eal = optarg; break;
	case OPT_LAT_SAMPLES: o->lat_samples = num(optarg); g->lat_samples = true; break;
	case OPT_LAT_GAP: o->lat_gap_us = num(optarg); break;
	case OPT_IDLE_MS: o->idle_ms = num(optarg); g->idle_ms = true; break;
	case OPT_CSV:
		o->csv = true;
		o->csv_path = optarg;
		break;
	case OPT_MODE:
		if (parse_name(optarg, bench_mode_name, 3, &v))
			return -1;
		o->mode = (enum bench_mode)v;
		break;
	case OPT_OP:
		if (parse_name(optarg, bench_op_name, 5, &v))
			return -1;
		o->op = (enum bench_op)v;
		break;
	default:
		return -1;
	}
	return 0;
}

/* Defaults that depend on the operation and on --quick. */
static void parse_defaults(struct bench_opts *o, const struct bench_given *g)
{
	bool suite = o->op == BENCH_ALL;

	if (!g->size)
		o->size = o->op == BENCH_MEMCPY ? 64 : o->op == BENCH_MAP ? 4096 : 65536;
	if (!g->reps)
		o->reps = o->quick ? 3 : suite ? 5 : 7;
	if (!g->ms)
		o->ms = o->quick ? 50 : suite ? 200 : 300;
	if (!g->lat_samples)
		o->lat_samples = o->quick ? 200 : 1000;
	if (!g->idle_ms)
		o->idle_ms = o->quick ? 300 : 1000;
	/* --csv alone with the suite: the CSV on stdout instead of the table */
	if (suite && o->csv && !o->csv_path)
		o->csv_path = "-";
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "ms", required_argument, NULL, OPT_MS },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "csv", optional_argument, NULL, OPT_CSV },
		{ "op", required_argument, NULL, OPT_OP },
		{ "sources", required_argument, NULL, OPT_SOURCES },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "suite", no_argument, NULL, OPT_SUITE },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "png", required_argument, NULL, OPT_PNG },
		{ "no-dpdk", no_argument, NULL, OPT_NO_DPDK },
		{ "dpdk-eal", required_argument, NULL, OPT_EAL },
		{ "lat-samples", required_argument, NULL, OPT_LAT_SAMPLES },
		{ "lat-gap-us", required_argument, NULL, OPT_LAT_GAP },
		{ "idle-ms", required_argument, NULL, OPT_IDLE_MS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_given g = { 0 };
	int c;

	*o = (struct bench_opts){ .op = BENCH_MEMCPY, .sources = 8, .batch = 32, .window = 512,
				  .mode = MODE_CALLBACK, .dpdk = true, .lat_gap_us = 1000 };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			fputs(usage, stdout);
			exit(0);
		}
		if (parse_one(c, o, &g))
			return -1;
	}
	if (optind < argc)
		return -1;
	parse_defaults(o, &g);
	if (!o->size || !o->batch || o->window < o->batch || !o->reps ||
	    o->reps > BENCH_MAX_REPS || !o->ms || !o->lat_samples || !o->idle_ms)
		return -1;
	/* ISA-L: lengths in 32-byte multiples, an int; xor needs 2 sources */
	if ((o->op == BENCH_XOR || o->op == BENCH_PQ) &&
	    (o->size % 32 || o->size > INT_MAX))
		return -1;
	if (o->sources < 2 || o->sources > BENCH_MAX_SRCS)
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

/* The mapping layer's cost: the identity path, a bounced one (32-bit mask,
 * a buffer above 4 GiB) and one behind an IOMMU, medians of --reps. */
static int bench_map(const struct bench_opts *o)
{
	struct device direct, bounce, iommu;
	double id[BENCH_MAX_REPS], bo[BENCH_MAX_REPS], io[BENCH_MAX_REPS];
	void *buf = aligned_alloc(4096, o->size + 4096);
	struct iommu_domain *dom;
	int ret = 0;

	if (!buf)
		return 1;
	dmae_device_init(&direct, "bench-direct");
	dmae_device_init(&bounce, "bench-bounce");
	dmae_device_init(&iommu, "bench-iommu");
	dma_set_mask(&bounce, DMA_BIT_MASK(32));
	dom = iommu_paging_domain_alloc(&iommu);
	if (IS_ERR(dom) || iommu_attach_device(dom, &iommu)) {
		fprintf(stderr, "dmabench: no IOMMU domain\n");
		free(buf);
		return 1;
	}
	if ((uintptr_t)buf <= DMA_BIT_MASK(32))
		fprintf(stderr, "dmabench: buffer below 4 GiB: the bounce row is the identity\n");
	for (unsigned int r = 0; r < o->reps; r++) {
		id[r] = run_map(o, &direct, buf);
		bo[r] = run_map(o, &bounce, buf);
		io[r] = run_map(o, &iommu, buf);
		if (id[r] < 0 || bo[r] < 0 || io[r] < 0) {
			fprintf(stderr, "dmabench: mapping failed\n");
			ret = 1;
			goto out;
		}
	}
	if (o->csv)
		printf("op,size,identity_ns,bounce_ns,iommu_ns\nmap,%zu,%.2f,%.2f,%.2f\n", o->size,
		       bench_median(id, o->reps), bench_median(bo, o->reps),
		       bench_median(io, o->reps));
	else
		printf("dma_map_single + dma_unmap_single of %zu B, medians of %u x %u ms:\n"
		       "  identity path %8.2f ns per pair\n  bounce buffer %8.2f ns per pair\n"
		       "  behind IOMMU  %8.2f ns per pair\n",
		       o->size, o->reps, o->ms, bench_median(id, o->reps), bench_median(bo, o->reps),
		       bench_median(io, o->reps));
out:
	iommu_detach_device(dom, &iommu);
	iommu_domain_free(dom);
	free(buf);
	return ret;
}

/* A channel that can do --op, with the buffers the operation needs; NULL on failure. */
static struct dma_chan *single_setup(const struct bench_opts *o, struct bench_bufs *b)
{
	enum dma_transaction_type cap = o->op == BENCH_MEMCPY ? DMA_MEMCPY :
					o->op == BENCH_XOR    ? DMA_XOR : DMA_PQ;
	dma_cap_mask_t mask;
	struct dma_chan *chan;
	unsigned int max_srcs;

	dma_cap_zero(mask);
	dma_cap_set(cap, mask);
	if (o->op == BENCH_MEMCPY ? copy_bufs_alloc(b, bench_slots(o->size) * o->size) :
				    stripe_alloc(o, b)) {
		fprintf(stderr, "dmabench: out of memory\n");
		return NULL;
	}
	b->slots = bench_slots(o->size);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan)) {
		fprintf(stderr, "dmabench: no channel can do %s (%ld)\n", bench_op_name[o->op],
			PTR_ERR(chan));
		return NULL;
	}
	if (o->op == BENCH_MEMCPY)
		return chan;
	max_srcs = o->op == BENCH_XOR ? chan->device->max_xor :
					(unsigned int)dma_maxpq(chan->device, 0);
	if (o->sources > max_srcs) {
		fprintf(stderr, "dmabench: %s takes at most %u sources\n", dma_chan_name(chan),
			max_srcs);
		dma_release_channel(chan);
		return NULL;
	}
	if (stripe_check(o, chan, b)) {
		dma_release_channel(chan);
		return NULL;
	}
	return chan;
}

/* --op=memcpy|xor|pq: the baseline and the provider, alternately, one line. */
static int bench_single(const struct bench_opts *o)
{
	static struct bench_run run;
	struct bench_bufs bufs = { 0 };
	double base[BENCH_MAX_REPS], dma[BENCH_MAX_REPS], unit;
	struct dma_chan *chan;

	bench_run_init(&run);
	chan = single_setup(o, &bufs);
	if (!chan)
		return 1;
	/* Baseline and provider alternate, so that drift hits both alike. */
	unit = o->op == BENCH_MEMCPY ? 1 : (double)o->sources * o->size / 1e9;
	for (unsigned int r = 0; r < o->reps; r++) {
		struct bench_tput t;

		if (o->op == BENCH_MEMCPY)
			memcpy_run(o, &bufs, 0, bufs.slots * o->size, o->size, &t);
		else
			isal_run(o, &bufs, &t);
		base[r] = bench_rate(&t, 1);
		dma_run(o, chan, &bufs, &run, &t);
		dma[r] = bench_rate(&t, 1);
		if (o->verbose)
			fprintf(stderr, "rep %u: %s %.2f, cpu-dma %.2f %s\n", r,
				o->op == BENCH_MEMCPY ? "memcpy" : "ISA-L", base[r] * unit,
				dma[r] * unit, o->op == BENCH_MEMCPY ? "ops/s" : "GB/s");
	}
	if (o->op == BENCH_MEMCPY)
		report_memcpy(o, bench_median(base, o->reps), bench_median(dma, o->reps));
	else
		report_raid(o, dma_chan_name(chan), bench_median(base, o->reps),
			    bench_median(dma, o->reps));
	dma_release_channel(chan);
	if (o->op == BENCH_MEMCPY)
		copy_bufs_free(&bufs);
	else
		stripe_free(o, &bufs);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "dmabench: bad arguments (see --help)\n");
		return 2;
	}
	switch (o.op) {
	case BENCH_MAP:
		return bench_map(&o);
	case BENCH_ALL:
		return bench_suite(&o);
	default:
		return bench_single(&o);
	}
}
