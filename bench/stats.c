// SPDX-License-Identifier: MIT
/*
 * stats.c - medians, percentiles and rates of dmabench's measurements.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A sorted copy of @v's first @n, or NULL; the caller frees it. */
static double *sorted(const double *v, unsigned int n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

double bench_median(const double *v, unsigned int n)
{
	double *s = sorted(v, n), m;

	if (!s || !n) {
		free(s);
		return 0;
	}
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/* The nearest-rank percentile: the smallest value with @pct % of @v at or below it. */
double bench_percentile(const double *v, unsigned int n, double pct)
{
	double *s = sorted(v, n), p;
	unsigned int rank;

	if (!s || !n) {
		free(s);
		return 0;
	}
	rank = (unsigned int)(pct / 100.0 * n + 0.999999);
	p = s[rank ? (rank > n ? n : rank) - 1 : 0];
	free(s);
	return p;
}

double bench_rate(const struct bench_tput *t, unsigned int n)
{
	u64 ops = 0, ns = 0;

	for (unsigned int i = 0; i < n; i++) {
		ops += t[i].ops;
		if (t[i].ns > ns)
			ns = t[i].ns;
	}
	return ns ? (double)ops / ((double)ns / 1e9) : 0;
}

size_t bench_slots(size_t size)
{
	return BENCH_RING_BYTES / size ? BENCH_RING_BYTES / size : 1;
}
