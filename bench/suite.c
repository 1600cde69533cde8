// SPDX-License-Identifier: MIT
/*
 * suite.c - dmabench --op=all: every system side by side in one run.
 *
 *   copies of 64 B, 256 B, 4 KiB, 64 KiB, 1 MiB and 64 MiB by
 *     memcpy on one thread, and on every CPU (each thread its slice);
 *     the cpu provider, callback and polled, batches of 1 and 32, one and
 *       two client threads (each on its own channel);
 *     DPDK's dma_skeleton, batches of 1 and 32, one and two client threads
 *       (each on its own device), when DPDK is installed;
 *   xor and pq of --sources x 64 KiB by ISA-L and by the provider;
 *   submit-to-completion latency of one 64 B copy at a time;
 *   the CPU the provider's threads use while idle.
 *
 * For each size, the repetitions go round every system in turn, so that a
 * drift of the machine hits all of them alike; the medians go to the table.
 * Every system's copies are checked once before timing.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "dpdk.h"
#include "drivers/cpu/cpu-dma.h"

#define MIB (1024u * 1024u)
#define SUITE_MAX_FOREIGN 64		/* DPDK threads remembered at most */
#define SUITE_INFLIGHT_BYTES (256u * MIB) /* copies in flight: at most this much data */
#define SUITE_RAID_SIZE 65536		/* xor and pq: bytes per source */
#define SUITE_LAT_SIZE 64		/* latency: bytes per copy */
#define SUITE_IDLE_QUIET_MS 10		/* idle: time without work before measuring */

static const size_t suite_sizes[] = { 64, 256, 4096, 65536, MIB, 64 * MIB };
static const unsigned int suite_batches[] = { 1, 32 };
static const enum bench_mode suite_modes[] = { MODE_CALLBACK, MODE_POLLED };

struct suite {
	const struct bench_opts *o;	   /* the options */
	struct bench_table table;	   /* the results */
	unsigned int ncpu;		   /* threads of memcpy on all CPUs */
	unsigned int nchan;		   /* provider clients: channels obtained */
	struct dma_chan *chan[BENCH_CLIENTS]; /* client k's channel, used by member k only */
	struct bench_bufs bufs[BENCH_CLIENTS]; /* client k's buffers */
	struct bench_run run[BENCH_CLIENTS];   /* client k's callback counter */
	unsigned int ndpdk;		   /* DPDK clients: devices ready (0: not measured) */
	char dpdk_why[192];		   /* why DPDK is not measured */
	pid_t foreign[SUITE_MAX_FOREIGN];  /* DPDK's threads (idle: counted apart) */
	unsigned int nforeign;		   /* entries in foreign */
};

/* One measurement, run by the first n members of the team. */
struct suite_job {
	struct suite *s;		      /* the suite */
	enum bench_sys sys;		      /* who copies */
	struct bench_opts o;		      /* size, batch, mode, window and ms of this case */
	unsigned int n;			      /* members taking part */
	size_t piece;			      /* memcpy on all CPUs: bytes per memcpy call */
	struct bench_tput t[BENCH_MAX_THREADS]; /* what each member did */
	int err;			      /* a member failed; atomic */
};

/* memcpy on all CPUs: member @idx copies its slice of client 0's ring. */
static void job_memcpy_all(struct suite_job *j, unsigned int idx)
{
	size_t slice = j->s->bufs[0].slots * j->o.size / j->n;

	memcpy_run(&j->o, &j->s->bufs[0], idx * slice, slice, j->piece, &j->t[idx]);
}

static void job_fn(unsigned int idx, void *arg)
{
	struct suite_job *j = arg;
	struct suite *s = j->s;
	struct bench_bufs *b = &s->bufs[idx < BENCH_CLIENTS ? idx : 0];

	team_barrier();
	switch (j->sys) {
	case SYS_MEMCPY_ALL:
		job_memcpy_all(j, idx);
		break;
	case SYS_MEMCPY:
		memcpy_run(&j->o, b, 0, b->slots * j->o.size, j->o.size, &j->t[idx]);
		break;
	case SYS_CPU:
		dma_run(&j->o, s->chan[idx], b, &s->run[idx], &j->t[idx]);
		break;
	case SYS_DPDK:
		if (bench_dpdk_run(idx, &j->o, b, &j->t[idx]))
			__atomic_store_n(&j->err, 1, __ATOMIC_RELAXED);
		break;
	default:
		break;
	}
}

/* Start (or stop) the first @n DPDK devices; 0, or -1. */
static int dpdk_devs(unsigned int n, bool start)
{
	for (unsigned int d = 0; d < n; d++) {
		if (!start)
			bench_dpdk_stop(d);
		else if (bench_dpdk_start(d))
			return -1;
	}
	return 0;
}

/* One repetition of @sys with @n clients: operations of o->size per second, or -1. */
static double suite_measure(struct suite *s, enum bench_sys sys, const struct bench_opts *o,
			    unsigned int n)
{
	struct suite_job *j = calloc(1, sizeof(*j));
	double scale = 1, rate;

	if (!j)
		return -1;
	*j = (struct suite_job){ .s = s, .sys = sys, .o = *o, .n = n };
	if (sys == SYS_MEMCPY_ALL) {
		size_t slice = s->bufs[0].slots * o->size / n;

		j->piece = o->size < slice ? o->size : slice;
		scale = (double)j->piece / (double)o->size;
	}
	if (sys == SYS_DPDK && dpdk_devs(n, true)) {
		free(j);
		return -1;
	}
	team_run(n, job_fn, j);
	if (sys == SYS_DPDK)
		dpdk_devs(n, false);
	rate = j->err ? -1 : bench_rate(j->t, n) * scale;
	free(j);
	return rate;
}

static unsigned int add_tput(struct suite *s, enum bench_op op, enum bench_sys sys, int mode,
			     size_t size, unsigned int batch, unsigned int threads)
{
	struct bench_row *r = table_add(&s->table);

	r->kind = ROW_TPUT;
	r->op = op;
	r->sys = sys;
	r->mode = mode;
	r->size = size;
	r->batch = batch;
	r->threads = threads;
	r->unit_bytes = (double)size;
	if (op != BENCH_MEMCPY) {
		r->sources = s->o->sources;
		r->unit_bytes = (double)size * s->o->sources;
	}
	return s->table.n - 1;
}

/* The rows of one copy size, in the order they are measured. */
static void copy_rows(struct suite *s, size_t size)
{
	add_tput(s, BENCH_MEMCPY, SYS_MEMCPY, -1, size, 0, 1);
	add_tput(s, BENCH_MEMCPY, SYS_MEMCPY_ALL, -1, size, 0, s->ncpu);
	for (unsigned int n = 1; n <= s->nchan; n++)
		for (unsigned int b = 0; b < 2; b++) {
			for (unsigned int m = 0; m < 2; m++)
				add_tput(s, BENCH_MEMCPY, SYS_CPU, (int)suite_modes[m], size,
					 suite_batches[b], n);
			/* A client asleep until its callbacks wake it, as dmatest waits. */
			if (n == 1)
				add_tput(s, BENCH_MEMCPY, SYS_CPU, MODE_SLEEP, size,
					 suite_batches[b], n);
		}
	for (unsigned int n = 1; n <= s->ndpdk; n++)
		for (unsigned int b = 0; b < 2; b++)
			add_tput(s, BENCH_MEMCPY, SYS_DPDK, -1, size, suite_batches[b], n);
}

/* The options of one copy row: its size, batch and mode, a window that fits. */
static struct bench_opts copy_opts(const struct suite *s, const struct bench_row *r)
{
	struct bench_opts o = *s->o;
	size_t cap = SUITE_INFLIGHT_BYTES / r->size;

	o.op = BENCH_MEMCPY;
	o.size = r->size;
	o.batch = r->batch ? r->batch : 1;
	o.mode = r->mode < 0 ? MODE_POLLED : (enum bench_mode)r->mode;
	if (cap < o.batch)
		cap = o.batch;
	if (o.window > cap)
		o.window = (unsigned int)cap;
	if (o.window < o.batch)
		o.window = o.batch;
	return o;
}

static void verbose_rep(const struct suite *s, const struct bench_row *r, unsigned int rep)
{
	char sz[32];

	if (!s->o->verbose)
		return;
	fprintf(stderr, "  %s %s: %s %s batch %u x%u, rep %u: %.3f Mops/s, %.2f GB/s\n",
		bench_op_name[r->op], bench_size_str(r->size, sz, sizeof(sz)), bench_sys_label(r),
		r->mode < 0 ? "-" : bench_mode_name[r->mode], r->batch, r->threads, rep,
		r->rep[rep] / 1e6, r->rep[rep] * r->unit_bytes / 1e9);
}

/* Rows [first, table.n): each measured --reps times in turn; their medians. */
static int measure_rows(struct suite *s, unsigned int first)
{
	for (unsigned int rep = 0; rep < s->o->reps; rep++) {
		for (unsigned int i = first; i < s->table.n; i++) {
			struct bench_row *r = &s->table.row[i];
			struct bench_opts o = copy_opts(s, r);
			double v = suite_measure(s, r->sys, &o, r->threads);

			if (v < 0) {
				fprintf(stderr, "dmabench: %s failed\n", bench_sys_label(r));
				return -1;
			}
			r->rep[rep] = v;
			r->nreps = rep + 1;
			verbose_rep(s, r, rep);
		}
	}
	for (unsigned int i = first; i < s->table.n; i++)
		s->table.row[i].ops = bench_median(s->table.row[i].rep, s->table.row[i].nreps);
	return 0;
}

static int suite_copies(struct suite *s)
{
	for (unsigned int k = 0; k < sizeof(suite_sizes) / sizeof(suite_sizes[0]); k++) {
		unsigned int first = s->table.n;
		char sz[32];

		for (unsigned int c = 0; c < BENCH_CLIENTS; c++)
			s->bufs[c].slots = bench_slots(suite_sizes[k]);
		copy_rows(s, suite_sizes[k]);
		fprintf(stderr, "dmabench: copies of %s: %u lines x %u repetitions\n",
			bench_size_str(suite_sizes[k], sz, sizeof(sz)), s->table.n - first,
			s->o->reps);
		if (measure_rows(s, first))
			return -1;
	}
	return 0;
}

/* xor or pq of --sources x 64 KiB: ISA-L, then the provider in each mode. */
static int suite_raid(struct suite *s, enum bench_op op)
{
	static const enum bench_mode modes[] = { MODE_CALLBACK, MODE_POLLED, MODE_SLEEP };
	struct bench_opts o = *s->o;
	struct bench_bufs stripe = { 0 };
	unsigned int first = s->table.n;
	int ret = -1;

	o.op = op;
	o.size = SUITE_RAID_SIZE;
	o.batch = 32;
	if (stripe_alloc(&o, &stripe) || stripe_check(&o, s->chan[0], &stripe))
		goto out_free;
	fprintf(stderr, "dmabench: %s of %u x 64 KiB: 4 lines x %u repetitions\n",
		bench_op_name[op], o.sources, o.reps);
	add_tput(s, op, SYS_ISAL, -1, o.size, 0, 1);
	for (unsigned int m = 0; m < 3; m++)
		add_tput(s, op, SYS_CPU, (int)modes[m], o.size, o.batch, 1);
	for (unsigned int rep = 0; rep < o.reps; rep++) {
		for (unsigned int i = first; i < s->table.n; i++) {
			struct bench_row *r = &s->table.row[i];
			struct bench_tput t;

			o.mode = r->mode < 0 ? MODE_CALLBACK : (enum bench_mode)r->mode;
			if (r->sys == SYS_ISAL)
				isal_run(&o, &stripe, &t);
			else
				dma_run(&o, s->chan[0], &stripe, &s->run[0], &t);
			r->rep[rep] = bench_rate(&t, 1);
			r->nreps = rep + 1;
			verbose_rep(s, r, rep);
		}
	}
	for (unsigned int i = first; i < s->table.n; i++)
		s->table.row[i].ops = bench_median(s->table.row[i].rep, s->table.row[i].nreps);
	ret = 0;
out_free:
	stripe_free(&o, &stripe);
	return ret;
}

static struct bench_row *add_lat(struct suite *s, enum bench_sys sys, int mode, unsigned int gap)
{
	struct bench_row *r = table_add(&s->table);

	r->kind = ROW_LAT;
	r->op = BENCH_MEMCPY;
	r->sys = sys;
	r->mode = mode;
	r->size = SUITE_LAT_SIZE;
	r->threads = 1;
	r->gap_us = gap;
	return r;
}

/* Latency back to back, then after --lat-gap-us of idleness: provider and DPDK. */
static int suite_latency(struct suite *s)
{
	const unsigned int gaps[2] = { 0, s->o->lat_gap_us };
	const unsigned int n = s->o->lat_samples;
	struct bench_row *r;

	fprintf(stderr, "dmabench: latency: %u samples per line\n", n);
	for (unsigned int g = 0; g < 2; g++) {
		for (unsigned int m = 0; m < 2; m++) {
			r = add_lat(s, SYS_CPU, (int)suite_modes[m], gaps[g]);
			if (latency_cpu(s->chan[0], &s->bufs[0], r->size, suite_modes[m], gaps[g], n,
					&r->lat))
				return -1;
		}
		if (!s->ndpdk)
			continue;
		r = add_lat(s, SYS_DPDK, -1, gaps[g]);
		if (dpdk_devs(1, true) || latency_dpdk(0, &s->bufs[0], r->size, gaps[g], n, &r->lat))
			return -1;
		dpdk_devs(1, false);
	}
	return 0;
}

/* The provider's threads while nothing happens; the channels stay allocated. */
static int suite_idle(struct suite *s)
{
	struct bench_row *r = table_add(&s->table);
	pid_t bench[BENCH_MAX_THREADS];
	unsigned int nbench = team_size();

	fprintf(stderr, "dmabench: idle CPU use over %u ms\n", s->o->idle_ms);
	for (unsigned int i = 0; i < nbench; i++)
		bench[i] = team_tid(i);
	r->kind = ROW_IDLE;
	r->sys = SYS_CPU;
	r->mode = -1;
	r->gap_us = SUITE_IDLE_QUIET_MS * 1000;
	return idle_measure(SUITE_IDLE_QUIET_MS, s->o->idle_ms, bench, nbench, s->foreign,
			    s->nforeign, s->o->verbose, &r->idle);
}

/* DPDK's EAL, before anything else starts a thread; its threads are remembered. */
static void suite_dpdk_init(struct suite *s)
{
	pid_t before[SUITE_MAX_FOREIGN], after[SUITE_MAX_FOREIGN];
	unsigned int nb, na;

	if (!s->o->dpdk) {
		snprintf(s->dpdk_why, sizeof(s->dpdk_why), "--no-dpdk");
		return;
	}
	nb = tasks_snapshot(before, SUITE_MAX_FOREIGN);
	if (bench_dpdk_init(s->o->eal, s->dpdk_why, sizeof(s->dpdk_why)))
		return;
	s->ndpdk = bench_dpdk_devs() < BENCH_CLIENTS ? bench_dpdk_devs() : BENCH_CLIENTS;
	na = tasks_snapshot(after, SUITE_MAX_FOREIGN);
	for (unsigned int i = 0; i < na; i++) {
		bool old = false;

		for (unsigned int k = 0; k < nb; k++)
			old |= before[k] == after[i];
		if (!old && s->nforeign < SUITE_MAX_FOREIGN)
			s->foreign[s->nforeign++] = after[i];
	}
}

/* Client @idx's check, on its own thread: one copy of each size through each system. */
static void check_fn(unsigned int idx, void *arg)
{
	struct suite_job *j = arg;
	struct suite *s = j->s;

	team_barrier();
	for (unsigned int k = 0; k < sizeof(suite_sizes) / sizeof(suite_sizes[0]); k++) {
		size_t len = suite_sizes[k];

		if ((idx < s->nchan && dma_copy_check(s->chan[idx], &s->bufs[idx], len)) ||
		    (idx < s->ndpdk && bench_dpdk_check(idx, &s->bufs[idx], len)))
			__atomic_store_n(&j->err, 1, __ATOMIC_RELAXED);
	}
}

static int suite_check(struct suite *s)
{
	struct suite_job j = { .s = s };
	unsigned int n = s->nchan > s->ndpdk ? s->nchan : s->ndpdk;

	if (dpdk_devs(s->ndpdk, true))
		return -1;
	team_run(n, check_fn, &j);
	dpdk_devs(s->ndpdk, false);
	return j.err ? -1 : 0;
}

/* Channels for the clients, buffers for each; 0, or -1 (said why). */
static int suite_setup(struct suite *s)
{
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	for (unsigned int c = 0; c < BENCH_CLIENTS; c++) {
		struct dma_chan *chan = dma_request_chan_by_mask(&mask);

		if (IS_ERR(chan))
			break;
		s->chan[s->nchan++] = chan;
	}
	if (!s->nchan) {
		fprintf(stderr, "dmabench: no DMA_MEMCPY channel\n");
		return -1;
	}
	for (unsigned int c = 0; c < BENCH_CLIENTS; c++) {
		bench_run_init(&s->run[c]);
		if (copy_bufs_alloc(&s->bufs[c], 64 * MIB)) {
			fprintf(stderr, "dmabench: out of memory\n");
			return -1;
		}
	}
	return 0;
}

static void suite_teardown(struct suite *s)
{
	for (unsigned int c = 0; c < s->nchan; c++)
		dma_release_channel(s->chan[c]);
	for (unsigned int c = 0; c < BENCH_CLIENTS; c++)
		copy_bufs_free(&s->bufs[c]);
	team_stop();
	bench_dpdk_exit();
	table_free(&s->table);
}

static void header_provider(const struct suite *s)
{
	struct cpu_dev *cd = dmae__cpu_dev(s->chan[0]->device);

	printf("  cpu-dma   ");
	if (cd)
		printf("%s: %u channels, %u workers, %s, idle workers poll %llu us; ",
		       dev_name(&cd->dev), cd->p.channels, cd->p.workers,
		       cd->p.out_of_order ? "out of order" : "in order",
		       (unsigned long long)(cd->p.spin_ns / 1000));
	printf("clients on");
	for (unsigned int c = 0; c < s->nchan; c++) {
		struct cpu_chan *cc = cd ? to_cpu_chan(s->chan[c]) : NULL;

		printf("%s %s", c ? "," : "", dma_chan_name(s->chan[c]));
		if (cc && cc->worker)
			printf(" (worker %u)", cc->worker->idx);
	}
	printf("%s\n", s->nchan < BENCH_CLIENTS ? "; one channel only: no two-client lines" : "");
}

static void suite_header(const struct suite *s)
{
	const struct bench_opts *o = s->o;

	printf("dmabench --op=all%s: %u CPUs; medians of %u repetitions x %u ms\n",
	       o->quick ? " --quick" : "", s->ncpu, o->reps, o->ms);
	header_provider(s);
	if (s->ndpdk)
		printf("  DPDK      %s dma_skeleton x%u, polled with rte_dma_completed; EAL: %s\n",
		       bench_dpdk_version(), s->ndpdk, bench_dpdk_eal());
	else
		printf("  DPDK      %s: skipped\n", s->dpdk_why);
	printf("  memcpy    glibc, on 1 thread and on %u (all CPUs, each its slice); copies walk a 4 MiB ring\n",
	       s->ncpu);
	printf("  window    %u copies in flight at most (at least one batch, at most 256 MiB of data)\n",
	       o->window);
	printf("  GB/s      bytes copied per second; xor and pq: bytes of source data\n");
}

/* The CSV on stdout instead of the table (--csv without a file)? */
static bool csv_on_stdout(const struct bench_opts *o)
{
	return o->csv_path && !strcmp(o->csv_path, "-");
}

/* The CSV file and the chart, when asked for; what became of them on @f. */
static int suite_outputs(const struct suite *s, FILE *f)
{
	char why[160];
	int ret = 0;

	if (s->o->csv_path) {
		if (report_csv(s->o->csv_path, &s->table))
			ret = -1;
		else if (!csv_on_stdout(s->o))
			fprintf(f, "\ncsv: %s\n", s->o->csv_path);
	}
	if (s->o->png_path) {
		if (plot_png(s->o->png_path, &s->table, why, sizeof(why)))
			fprintf(f, "plot skipped: %s\n", why);
		else
			fprintf(f, "plot: %s\n", s->o->png_path);
	}
	return ret;
}

static int suite_measure_all(struct suite *s)
{
	if (suite_check(s)) {
		fprintf(stderr, "dmabench: a copy came out wrong: no figures\n");
		return -1;
	}
	if (suite_copies(s) || suite_raid(s, BENCH_XOR) || suite_raid(s, BENCH_PQ) ||
	    suite_latency(s) || suite_idle(s))
		return -1;
	return 0;
}

/*
 * bench_suite - the whole matrix. DPDK's EAL comes first (it pins the
 * calling thread; dpdk.c restores it) so that the library's workers and the
 * bench's client threads, all started later, inherit the full CPU mask.
 */
int bench_suite(const struct bench_opts *o)
{
	static struct suite s;
	int ret = 1;

	s.o = o;
	suite_dpdk_init(&s);
	s.ncpu = (unsigned int)dmae_cpu_count();
	if (s.ncpu > BENCH_MAX_THREADS)
		s.ncpu = BENCH_MAX_THREADS;
	if (team_start(s.ncpu > BENCH_CLIENTS ? s.ncpu : BENCH_CLIENTS) || suite_setup(&s))
		goto out;
	if (suite_measure_all(&s))
		goto out;
	report_compute(&s.table);
	if (!csv_on_stdout(o)) {
		suite_header(&s);
		report_print(stdout, &s.table);
	}
	ret = suite_outputs(&s, csv_on_stdout(o) ? stderr : stdout) ? 1 : 0;
out:
	suite_teardown(&s);
	return ret;
}
