// SPDX-License-Identifier: MIT
/*
 * report.c - the suite's table: ratios against each baseline, the issue's
 * targets marked PASS or MISS, printed for people and written as CSV.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MIB (1024u * 1024u)

struct bench_row *table_add(struct bench_table *t)
{
	if (t->n == t->cap) {
		unsigned int cap = t->cap ? t->cap * 2 : 64;
		struct bench_row *row = realloc(t->row, cap * sizeof(*row));

		if (!row) {
			fprintf(stderr, "dmabench: out of memory\n");
			exit(1);
		}
		t->row = row;
		t->cap = cap;
	}
	memset(&t->row[t->n], 0, sizeof(t->row[0]));
	return &t->row[t->n++];
}

void table_free(struct bench_table *t)
{
	free(t->row);
	memset(t, 0, sizeof(*t));
}

const char *bench_size_str(size_t size, char *buf, size_t len)
{
	if (size >= MIB && size % MIB == 0)
		snprintf(buf, len, "%zu MiB", size / MIB);
	else if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, len, "%zu KiB", size / 1024);
	else
		snprintf(buf, len, "%zu B", size);
	return buf;
}

const char *bench_sys_label(const struct bench_row *r)
{
	static const char *const label[] = {
		[SYS_MEMCPY] = "memcpy",     [SYS_MEMCPY_ALL] = "memcpy, all CPUs",
		[SYS_CPU] = "cpu-dma",	     [SYS_DPDK] = "DPDK skeleton",
		[SYS_ISAL] = "ISA-L",
	};

	return label[r->sys];
}

static const char *mode_str(const struct bench_row *r)
{
	if (r->sys == SYS_DPDK)
		return "polled";
	return r->mode < 0 ? "-" : bench_mode_name[r->mode];
}

/* The throughput row of @sys for @op and @size; @batch, @threads: 0 for any. */
static const struct bench_row *find(const struct bench_table *t, enum bench_op op,
				    enum bench_sys sys, size_t size, unsigned int batch,
				    unsigned int threads)
{
	for (unsigned int i = 0; i < t->n; i++) {
		const struct bench_row *r = &t->row[i];

		if (r->kind == ROW_TPUT && r->op == op && r->sys == sys && r->size == size &&
		    (!batch || r->batch == batch) && (!threads || r->threads == threads))
			return r;
	}
	return NULL;
}

static double ratio(const struct bench_row *r, const struct bench_row *base)
{
	return base && base != r && base->ops > 0 ? r->ops / base->ops : 0;
}

/* Name the target of @r and judge it: @got against @want (0: no baseline). */
static void target(struct bench_row *r, const char *what, double got, double want, bool le)
{
	snprintf(r->target, sizeof(r->target), "%s", what);
	if (got <= 0)
		r->verdict = VERDICT_NA;
	else
		r->verdict = (le ? got <= want : got >= want) ? VERDICT_PASS : VERDICT_MISS;
}

/* The throughput targets: single-client cpu-dma lines. */
static void tput_target(struct bench_row *r)
{
	if (r->sys != SYS_CPU || r->threads != 1)
		return;
	if (r->op != BENCH_MEMCPY) {
		if (r->size == 65536)
			target(r, ">= 0.9x ISA-L", r->vs_isal, 0.9, false);
		return;
	}
	/*
	 * Which client each target is judged with (docs/bench.md): 64 B copies,
	 * a matter of cost per descriptor, with the clients that spin
	 * (callback, polled), as DPDK's polls; copies that take more than one
	 * CPU's memcpy (4 KiB at 1.5x DPDK, 1 MiB and more at 0.9x all CPUs)
	 * with the clients that leave the CPUs to the copy (polled, whose polls
	 * help move it, and sleep): a client spinning on its own counter holds
	 * one of them.
	 */
	if (r->size == 64 && r->batch == 32 && r->mode != MODE_SLEEP)
		target(r, ">= 2x DPDK", r->vs_dpdk, 2.0, false);
	else if (r->size == 4096 && r->batch == 32 && r->mode != MODE_CALLBACK)
		target(r, ">= 1.5x DPDK", r->vs_dpdk, 1.5, false);
	else if (r->size >= MIB && r->mode != MODE_CALLBACK)
		target(r, ">= 0.9x all CPUs", r->vs_all, 0.9, false);
}

static void tput_compute(const struct bench_table *t, struct bench_row *r)
{
	if (r->op != BENCH_MEMCPY) {
		if (r->sys == SYS_CPU)
			r->vs_isal = ratio(r, find(t, r->op, SYS_ISAL, r->size, 0, 0));
		return;
	}
	r->vs_memcpy = ratio(r, find(t, r->op, SYS_MEMCPY, r->size, 0, 0));
	if (r->size >= MIB)
		r->vs_all = ratio(r, find(t, r->op, SYS_MEMCPY_ALL, r->size, 0, 0));
	if (r->sys == SYS_CPU)
		r->vs_dpdk = ratio(r, find(t, r->op, SYS_DPDK, r->size, r->batch, r->threads));
}

void report_compute(struct bench_table *t)
{
	for (unsigned int i = 0; i < t->n; i++) {
		struct bench_row *r = &t->row[i];

		if (r->kind == ROW_TPUT) {
			tput_compute(t, r);
			tput_target(r);
		} else if (r->kind == ROW_LAT && r->sys == SYS_CPU) {
			target(r, "median <= 2 us", r->lat.median_us, 2.0, true);
		} else if (r->kind == ROW_IDLE) {
			/* not target(): 0% is a pass, not a missing figure */
			snprintf(r->target, sizeof(r->target), "< 1%% of a core");
			r->verdict = r->idle.lib_pct < 1.0 ? VERDICT_PASS : VERDICT_MISS;
		}
	}
}

static const char *verdict_str(enum bench_verdict v)
{
	static const char *const s[] = { "", "PASS", "MISS", "n/a" };

	return s[v];
}

static void print_ratio(FILE *f, double v, int width)
{
	if (v > 0)
		fprintf(f, " %*.2f", width, v);
	else
		fprintf(f, " %*s", width, "");
}

static void print_target(FILE *f, const struct bench_row *r)
{
	if (r->verdict != VERDICT_NONE)
		fprintf(f, "  %s %s", r->target, verdict_str(r->verdict));
	fputc('\n', f);
}

/* @v with an SI prefix and three significant digits: 61.0, 4.52k, 12.3M. */
static const char *si(double v, char *buf, size_t len)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.3gM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.3gk", v / 1e3);
	else
		snprintf(buf, len, "%.3g", v);
	return buf;
}

/* The columns of a throughput line; the header uses the same widths. */
#define COL_LEAD "  %-17s %-9s %5s %3s %10s %8s"

static void print_tput(FILE *f, const struct bench_row *r)
{
	char ops[32], batch[16], thr[16], gbps[32];

	snprintf(batch, sizeof(batch), r->batch ? "%u" : "-", r->batch);
	snprintf(thr, sizeof(thr), "%u", r->threads);
	snprintf(gbps, sizeof(gbps), "%.2f", r->ops * r->unit_bytes / 1e9);
	fprintf(f, COL_LEAD, bench_sys_label(r), mode_str(r), batch, thr,
		si(r->ops, ops, sizeof(ops)), gbps);
	if (r->op == BENCH_MEMCPY) {
		print_ratio(f, r->vs_memcpy, 8);
		print_ratio(f, r->vs_all, 9);
		print_ratio(f, r->vs_dpdk, 6);
	} else {
		print_ratio(f, r->vs_isal, 7);
	}
	print_target(f, r);
}

static void print_tput_header(FILE *f, const struct bench_row *r)
{
	char sz[32];

	bench_size_str(r->size, sz, sizeof(sz));
	if (r->op == BENCH_MEMCPY) {
		fprintf(f, "\ncopies of %s\n", sz);
		fprintf(f, COL_LEAD " %8s %9s %6s  %s\n", "system", "mode", "batch", "thr", "ops/s",
			"GB/s", "x memcpy", "x all-CPU", "x DPDK", "target");
	} else {
		fprintf(f, "\n%s of %u sources x %s\n", bench_op_name[r->op], r->sources, sz);
		fprintf(f, COL_LEAD " %7s  %s\n", "system", "mode", "batch", "thr", "ops/s",
			"GB/s src", "x ISA-L", "target");
	}
}

/* Every throughput line of @op, a block per size, in the order measured. */
static void print_tput_op(FILE *f, const struct bench_table *t, enum bench_op op)
{
	size_t done[64];
	unsigned int ndone = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct bench_row *r = &t->row[i];
		bool seen = false;

		if (r->kind != ROW_TPUT || r->op != op)
			continue;
		for (unsigned int k = 0; k < ndone; k++)
			seen |= done[k] == r->size;
		if (seen || ndone == 64)
			continue;
		done[ndone++] = r->size;
		print_tput_header(f, r);
		for (unsigned int j = i; j < t->n; j++)
			if (t->row[j].kind == ROW_TPUT && t->row[j].op == op &&
			    t->row[j].size == r->size)
				print_tput(f, &t->row[j]);
	}
}

static void print_latency(FILE *f, const struct bench_table *t)
{
	bool header = false;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct bench_row *r = &t->row[i];
		char gap[32];

		if (r->kind != ROW_LAT)
			continue;
		if (!header) {
			fprintf(f, "\nlatency: one %zu B copy at a time, submit to completion seen, %u samples a line\n",
				r->size, r->lat.n);
			fprintf(f, "  %-17s %-9s %-16s %9s %8s  %s\n", "system", "mode", "idle before each",
				"median us", "p99 us", "target");
		}
		header = true;
		if (r->gap_us)
			snprintf(gap, sizeof(gap), "%u us idle", r->gap_us);
		else
			snprintf(gap, sizeof(gap), "none");
		fprintf(f, "  %-17s %-9s %-16s %9.2f %8.2f", bench_sys_label(r), mode_str(r), gap,
			r->lat.median_us, r->lat.p99_us);
		print_target(f, r);
	}
}

static void print_idle(FILE *f, const struct bench_row *r)
{
	const struct idle_result *d = &r->idle;

	fprintf(f, "\nidle, %u ms after the last work, over %.0f ms%s:\n", r->gap_us / 1000,
		d->window_ms, d->fine ? "" : " (clock ticks: 1% resolution)");
	fprintf(f, "  the library's %u threads used %.3f%% of one core (most: %s, %.3f%%)",
		d->lib_threads, d->lib_pct, d->busiest[0] ? d->busiest : "-", d->busiest_pct);
	print_target(f, r);
	fprintf(f, "  DPDK's threads %.3f%%; every thread but main (getrusage) %.3f%%\n",
		d->other_pct, d->all_pct);
}

static void print_targets(FILE *f, const struct bench_table *t)
{
	char sz[32];

	fprintf(f, "\ntargets (issue 6):\n");
	for (unsigned int i = 0; i < t->n; i++) {
		const struct bench_row *r = &t->row[i];

		if (r->verdict == VERDICT_NONE)
			continue;
		fprintf(f, "  %-4s  %-17s", verdict_str(r->verdict), r->target);
		if (r->kind == ROW_IDLE) {
			fprintf(f, " idle: %.3f%% of a core\n", r->idle.lib_pct);
			continue;
		}
		bench_size_str(r->size, sz, sizeof(sz));
		if (r->verdict == VERDICT_NA) {
			fprintf(f, " %s %s, %s, batch %u: no baseline measured\n",
				r->op == BENCH_MEMCPY ? "copy" : bench_op_name[r->op], sz,
				mode_str(r), r->batch);
			continue;
		}
		if (r->kind == ROW_LAT) {
			fprintf(f, " latency %s, gap %u us: median %.2f us\n", mode_str(r),
				r->gap_us, r->lat.median_us);
			continue;
		}
		fprintf(f, " %s %s, %s, batch %u: %.2fx\n",
			r->op == BENCH_MEMCPY ? "copy" : bench_op_name[r->op], sz, mode_str(r),
			r->batch, r->op != BENCH_MEMCPY ? r->vs_isal :
				  r->size >= MIB ? r->vs_all : r->vs_dpdk);
	}
}

void report_print(FILE *f, const struct bench_table *t)
{
	print_tput_op(f, t, BENCH_MEMCPY);
	print_tput_op(f, t, BENCH_XOR);
	print_tput_op(f, t, BENCH_PQ);
	print_latency(f, t);
	for (unsigned int i = 0; i < t->n; i++)
		if (t->row[i].kind == ROW_IDLE)
			print_idle(f, &t->row[i]);
	print_targets(f, t);
}

static void csv_num(FILE *f, double v, const char *fmt)
{
	fputc(',', f);
	if (v > 0)
		fprintf(f, fmt, v);
}

static void csv_row(FILE *f, const struct bench_row *r)
{
	static const char *const kind[] = { "throughput", "latency", "idle" };
	static const char *const sys[] = { "memcpy", "memcpy_all_cpus", "cpu-dma",
					   "dpdk_skeleton", "isa-l" };

	fprintf(f, "%s,%s,%s,%s,%zu,%u,%u,%u,%u,%u", kind[r->kind],
		r->kind == ROW_IDLE ? "" : bench_op_name[r->op], sys[r->sys],
		r->mode < 0 && r->sys != SYS_DPDK ? "" : mode_str(r), r->size, r->sources,
		r->batch, r->threads, r->gap_us, r->nreps);
	csv_num(f, r->ops, "%.0f");
	csv_num(f, r->ops * r->unit_bytes / 1e9, "%.3f");
	csv_num(f, r->vs_memcpy, "%.4f");
	csv_num(f, r->vs_all, "%.4f");
	csv_num(f, r->vs_dpdk, "%.4f");
	csv_num(f, r->vs_isal, "%.4f");
	csv_num(f, r->kind == ROW_LAT ? r->lat.median_us : 0, "%.3f");
	csv_num(f, r->kind == ROW_LAT ? r->lat.p99_us : 0, "%.3f");
	fputc(',', f);
	if (r->kind == ROW_IDLE)
		fprintf(f, "%.4f", r->idle.lib_pct);
	fprintf(f, ",%s,%s,", r->target, verdict_str(r->verdict));
	for (unsigned int k = 0; k < r->nreps; k++)
		fprintf(f, "%s%.0f", k ? ";" : "", r->rep[k]);
	fputc('\n', f);
}

/* Every row as CSV into @path ("-": stdout). 0, or -1 (said why). */
int report_csv(const char *path, const struct bench_table *t)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "kind,op,system,mode,size,sources,batch,threads,gap_us,reps,ops_per_s,gb_per_s,"
		   "vs_memcpy,vs_memcpy_all_cpus,vs_dpdk,vs_isal,latency_median_us,latency_p99_us,"
		   "idle_pct_of_core,target,verdict,rep_ops_per_s\n");
	for (unsigned int i = 0; i < t->n; i++)
		csv_row(f, &t->row[i]);
	if (f != stdout && fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}
