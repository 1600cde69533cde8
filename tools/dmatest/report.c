// SPDX-License-Identifier: MIT
/*
 * report.c - what dmatest prints: the module's log lines on standard output
 * (the kernel log's messages without its "[time]" prefix, with the module's
 * "dmatest: " prefix), the library's own lines among them, the kernel's
 * fixed-point rates, and the --json summary.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "dmatest.h"

/* The kernel's fixed-point rates: 8 fractional bits. */
#define FIXPT_SHIFT 8
#define FIXPNT_MASK 0xFF
#define FIXPT_TO_INT(a) ((a) >> FIXPT_SHIFT)
#define INT_TO_FIXPT(a) ((a) << FIXPT_SHIFT)
#define FIXPT_GET_FRAC(a) ((((a) & FIXPNT_MASK) * 100) >> FIXPT_SHIFT)

#define MAX_ERRNO 4095

static void dmatest_vpr(const char *fmt, va_list ap)
{
	flockfile(stdout);
	fputs("dmatest: ", stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	funlockfile(stdout);
}

/** dmatest_pr - one log line, "dmatest: " and @fmt (pr_info, pr_warn, pr_err). */
void dmatest_pr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dmatest_vpr(fmt, ap);
	va_end(ap);
}

/** dmatest_pr_debug - pr_debug: printed only when DMAENGINE_DEBUG is set. */
void dmatest_pr_debug(const char *fmt, ...)
{
	static int enabled = -1; /* read once; racing first readers agree */
	int on = __atomic_load_n(&enabled, __ATOMIC_RELAXED);
	va_list ap;

	if (on < 0) {
		on = getenv("DMAENGINE_DEBUG") != NULL;
		__atomic_store_n(&enabled, on, __ATOMIC_RELAXED);
	}
	if (!on)
		return;
	va_start(ap, fmt);
	dmatest_vpr(fmt, ap);
	va_end(ap);
}

/* The library's lines go where the module's go, as in the kernel log. */
static void dmatest_library_line(enum dmae_log_level level, const char *line, void *arg)
{
	fprintf(stdout, "%s\n", line);
}

/** dmatest_log_to_stdout - route the library's messages to standard output. */
void dmatest_log_to_stdout(void)
{
	dmae_set_log_handler(dmatest_library_line, NULL);
}

/**
 * dmatest_result - the kernel's result line of test @n of @thread. @data is
 * printed signed when it is an error code, as the kernel does.
 */
void dmatest_result(const struct dmatest_thread *thread, const char *err, unsigned int n,
		    unsigned int src_off, unsigned int dst_off, unsigned int len,
		    unsigned long data)
{
	if (data >= (unsigned long)-MAX_ERRNO)
		dmatest_pr("%s: result #%u: '%s' with src_off=0x%x dst_off=0x%x len=0x%x (%ld)",
			   thread->name, n, err, src_off, dst_off, len, (long)data);
	else
		dmatest_pr("%s: result #%u: '%s' with src_off=0x%x dst_off=0x%x len=0x%x (%lu)",
			   thread->name, n, err, src_off, dst_off, len, data);
}

/**
 * dmatest_persec - @val events in @runtime microseconds, per second, in the
 * kernel's fixed point (runtime reduced to 32 bits first, as it does).
 */
unsigned long long dmatest_persec(long long runtime, unsigned int val)
{
	unsigned long long per_sec = 1000000;

	if (runtime <= 0)
		return 0;
	while (runtime > UINT_MAX) {
		runtime >>= 1;
		per_sec <<= 1;
	}
	per_sec *= val;
	per_sec = INT_TO_FIXPT(per_sec);
	return per_sec / (u32)runtime;
}

/** dmatest_KBs - KiB per second of @len bytes in @runtime microseconds. */
unsigned long long dmatest_KBs(long long runtime, unsigned long long len)
{
	return FIXPT_TO_INT(dmatest_persec(runtime, (unsigned int)(len >> 10)));
}

/** dmatest_summary - the kernel's summary line of a finished thread. */
void dmatest_summary(const struct dmatest_thread *thread)
{
	unsigned long long iops = dmatest_persec(thread->runtime_us, thread->total_tests);

	dmatest_pr("%s: summary %u tests, %u failures %llu.%02llu iops %llu KB/s (%d)",
		   thread->name, thread->total_tests, thread->failed_tests, FIXPT_TO_INT(iops),
		   FIXPT_GET_FRAC(iops), dmatest_KBs(thread->runtime_us, thread->total_len),
		   thread->ret);
}

/* Totals over every thread; rates add up, the threads ran side by side. */
struct dmatest_totals {
	unsigned int threads;	 /* threads counted */
	unsigned int tests;	 /* their tests */
	unsigned int failures;	 /* their failed tests */
	unsigned int errors;	 /* threads that could not run (ret != 0) */
	unsigned long long iops; /* sum of their iops, fixed point */
	unsigned long long kbs;	 /* sum of their KB/s */
};

static void json_thread(FILE *f, const struct dmatest_thread *t, bool first,
			struct dmatest_totals *sum)
{
	unsigned long long iops = dmatest_persec(t->runtime_us, t->total_tests);
	unsigned long long kbs = dmatest_KBs(t->runtime_us, t->total_len);

	fprintf(f,
		"%s\n    {\"name\": \"%s\", \"channel\": \"%s\", \"type\": \"%s\", "
		"\"tests\": %u, \"failures\": %u, \"iops\": %llu.%02llu, \"kbps\": %llu, "
		"\"bytes\": %llu, \"runtime_us\": %lld, \"ret\": %d}",
		first ? "" : ",", t->name, dma_chan_name(t->dtc->chan),
		dmatest_type_name(t->type), t->total_tests, t->failed_tests, FIXPT_TO_INT(iops),
		FIXPT_GET_FRAC(iops), kbs, t->total_len, t->runtime_us, t->ret);
	sum->threads++;
	sum->tests += t->total_tests;
	sum->failures += t->failed_tests;
	sum->errors += t->ret != 0;
	sum->iops += iops;
	sum->kbs += kbs;
}

static void json_params(FILE *f, const struct dmatest_info *info)
{
	const struct dmatest_params *p = &info->params;

	fputs("  \"params\": {\"device\": ", f);
	json_write_string(f, p->device);
	fprintf(f,
		", \"nobounce\": %s, \"test_buf_size\": %u, "
		"\"threads_per_chan\": %u, \"max_channels\": %u, \"iterations\": %u, "
		"\"dmatest\": %u, \"xor_sources\": %u, \"pq_sources\": %u, \"timeout\": %d, "
		"\"noverify\": %s, \"norandom\": %s, \"verbose\": %s, \"alignment\": %d, "
		"\"transfer_size\": %u, \"polled\": %s},\n"
		"  \"seed\": %llu,\n",
		p->nobounce ? "true" : "false", p->buf_size, p->threads_per_chan,
		p->max_channels, p->iterations, p->dmatest, p->xor_sources, p->pq_sources,
		p->timeout, p->noverify ? "true" : "false", p->norandom ? "true" : "false",
		p->verbose ? "true" : "false", p->alignment, p->transfer_size,
		p->polled ? "true" : "false", info->seed);
}

static void json_write(FILE *f, const struct dmatest_info *info)
{
	struct dmatest_totals sum = { 0 };
	const struct dmatest_chan *dtc;
	const struct dmatest_thread *t;

	fputs("{\n", f);
	json_params(f, info);
	fputs("  \"threads\": [", f);
	list_for_each_entry(dtc, &info->channels, node)
		list_for_each_entry(t, &dtc->threads, node)
			json_thread(f, t, !sum.threads, &sum);
	fprintf(f,
		"\n  ],\n  \"totals\": {\"channels\": %u, \"threads\": %u, \"tests\": %u, "
		"\"failures\": %u, \"thread_errors\": %u, \"iops\": %llu.%02llu, \"kbps\": %llu},\n"
		"  \"passed\": %s\n}\n",
		info->nr_channels, sum.threads, sum.tests, sum.failures, sum.errors,
		FIXPT_TO_INT(sum.iops), FIXPT_GET_FRAC(sum.iops), sum.kbs,
		sum.failures || sum.errors ? "false" : "true");
}

/**
 * dmatest_write_json - the machine-readable summary, to standard output or
 * to the --json=FILE. @return 0, or -errno when the file cannot be written
 * (one line on standard error).
 */
int dmatest_write_json(const struct dmatest_info *info, const struct dmatest_options *opt)
{
	FILE *f = stdout;
	int ret = 0;

	if (opt->json_path) {
		f = fopen(opt->json_path, "w");
		if (!f) {
			ret = -errno;
			fprintf(stderr, "dmatest: %s: %s\n", opt->json_path, strerror(-ret));
			return ret;
		}
	}
	json_write(f, info);
	if (f != stdout && fclose(f)) {
		ret = -errno;
		fprintf(stderr, "dmatest: %s: %s\n", opt->json_path, strerror(-ret));
	} else if (f == stdout) {
		fflush(stdout);
	}
	return ret;
}
