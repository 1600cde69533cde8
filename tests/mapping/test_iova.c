// SPDX-License-Identifier: MIT
/*
 * test_iova.c - the IOVA allocator of src/mapping: domain parameters,
 * top-down order, limits, size alignment, exhaustion and reuse,
 * fragmentation, bad frees leaving the domain as it was, find, destroy with
 * ranges still allocated, a failed malloc, a randomized run against a plain
 * per-page reference, and a domain as large as a 48-bit address space.
 * dmae__iova_check() verifies the tree's invariants along the way (after every
 * step in the directed tests, every few steps in the randomized ones).
 *
 * Random but reproducible: the seed is printed; IOVA_SEED=<n> replays a run.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dmaengine/os.h> /* dmae_clock_ns */

#include "mapping/iova.h"

#define SZ_4K 4096ull

/* ------------------------------------------------------------ randomness */

#include "common/rng.h"

/* ------------------------------------------------------------ malloc failure */

void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);

static int malloc_fail; /* fail this many of the next malloc calls */

void *__wrap_malloc(size_t size)
{
	if (malloc_fail > 0) {
		malloc_fail--;
		return NULL;
	}
	return __real_malloc(size);
}

/* ------------------------------------------------------------ helpers */

static void dom_init(struct dmae_iova_domain *dom, u64 start, u64 end)
{
	assert_int_equal(dmae__iova_domain_init(dom, SZ_4K, start, end), 0);
	assert_true(dmae__iova_check(dom));
}

/* Allocate and expect @want, then check the structure. */
static void alloc_expect(struct dmae_iova_domain *dom, u64 npages, u64 limit, bool aligned,
			 u64 want)
{
	u64 got = dmae__iova_alloc(dom, npages, limit, aligned);

	if (got != want)
		fail_msg("alloc(%llu pages, limit %llu, %s): %llu, expected %llu",
			 (unsigned long long)npages, (unsigned long long)limit,
			 aligned ? "aligned" : "unaligned", (unsigned long long)got,
			 (unsigned long long)want);
	assert_true(dmae__iova_check(dom));
}

static void free_expect(struct dmae_iova_domain *dom, u64 pfn, u64 npages, int want)
{
	int ret = dmae__iova_free(dom, pfn, npages);

	if (ret != want)
		fail_msg("free(%llu, %llu pages): %d, expected %d", (unsigned long long)pfn,
			 (unsigned long long)npages, ret, want);
	assert_true(dmae__iova_check(dom));
}

/* Expect page @pfn to be in the allocated range [@start, @start + @npages) (npages 0: free). */
static void find_expect(const struct dmae_iova_domain *dom, u64 pfn, u64 start, u64 npages)
{
	struct dmae_iova_range r = { 0, 0 };
	int ret = dmae__iova_find(dom, pfn, &r);

	if (!npages) {
		if (ret != -ENOENT)
			fail_msg("find(%llu): %d [%llu +%llu], expected -ENOENT",
				 (unsigned long long)pfn, ret, (unsigned long long)r.pfn,
				 (unsigned long long)r.npages);
		return;
	}
	if (ret || r.pfn != start || r.npages != npages)
		fail_msg("find(%llu): %d [%llu +%llu], expected [%llu +%llu]",
			 (unsigned long long)pfn, ret, (unsigned long long)r.pfn,
			 (unsigned long long)r.npages, (unsigned long long)start,
			 (unsigned long long)npages);
}

/* Expect every page of [@start, @start + @npages) to be found in that range. */
static void range_expect(const struct dmae_iova_domain *dom, u64 start, u64 npages)
{
	for (u64 p = start; p < start + npages; p++)
		find_expect(dom, p, start, npages);
}

static u64 pow2_roundup(u64 n)
{
	u64 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* ------------------------------------------------------------ parameters */

static void test_init_args(void **state)
{
	struct dmae_iova_domain dom, before;
	struct dmae_iova_range r;

	(void)state;
	memset(&dom, 0xa5, sizeof(dom));
	before = dom;
	assert_int_equal(dmae__iova_domain_init(&dom, 0, 1, 100), -EINVAL);
	assert_int_equal(dmae__iova_domain_init(&dom, 1, 1, 100), -EINVAL);
	assert_int_equal(dmae__iova_domain_init(&dom, 2048, 1, 100), -EINVAL);
	assert_int_equal(dmae__iova_domain_init(&dom, 4095, 1, 100), -EINVAL);
	assert_int_equal(dmae__iova_domain_init(&dom, 6 * 1024, 1, 100), -EINVAL);
	assert_int_equal(dmae__iova_domain_init(&dom, SZ_4K, 0, 100), -EINVAL);  /* pfn 0 */
	assert_int_equal(dmae__iova_domain_init(&dom, SZ_4K, 101, 100), -EINVAL); /* empty */
	assert_int_equal(dmae__iova_domain_init(&dom, SZ_4K, 1, (UINT64_MAX >> 12) + 1), -EINVAL);
	assert_int_equal(dmae__iova_domain_init(&dom, 1ull << 20, 1, (UINT64_MAX >> 20) + 1),
			 -EINVAL);
	assert_memory_equal(&dom, &before, sizeof(dom)); /* untouched */

	/* The extremes that are valid: one page; the last page ending at U64_MAX. */
	assert_int_equal(dmae__iova_domain_init(&dom, SZ_4K, 7, 7), 0);
	assert_true(dmae__iova_check(&dom));
	alloc_expect(&dom, 1, UINT64_MAX, true, 7);
	alloc_expect(&dom, 1, UINT64_MAX, false, 0);
	dmae__iova_domain_destroy(&dom);
	assert_int_equal(dmae__iova_domain_init(&dom, 1ull << 63, 1, 1), 0);
	assert_int_equal(dom.shift, 63);
	alloc_expect(&dom, 1, UINT64_MAX, false, 1);
	assert_true(dmae__iova_addr(&dom, 1) == 1ull << 63);
	dmae__iova_domain_destroy(&dom);

	assert_int_equal(dmae__iova_domain_init(&dom, 1ull << 16, 3, 1000), 0);
	assert_int_equal(dom.granule, 1ull << 16);
	assert_int_equal(dom.shift, 16);
	assert_int_equal(dom.start_pfn, 3);
	assert_int_equal(dom.end_pfn, 1000);
	assert_int_equal(dom.nr_ranges, 0);
	assert_int_equal(dom.nr_pages, 0);
	assert_int_equal(dmae__iova_find(&dom, 500, &r), -ENOENT);
	assert_true(dmae__iova_check(&dom));
	dmae__iova_domain_destroy(&dom);
}

static void test_alloc_args(void **state)
{
	struct dmae_iova_domain dom;

	(void)state;
	dom_init(&dom, 16, 1039); /* 1024 pages */
	alloc_expect(&dom, 0, UINT64_MAX, false, 0);
	alloc_expect(&dom, 0, UINT64_MAX, true, 0);
	alloc_expect(&dom, 1025, UINT64_MAX, false, 0);
	alloc_expect(&dom, UINT64_MAX, UINT64_MAX, true, 0);
	alloc_expect(&dom, 1, 15, false, 0);   /* limit below the domain */
	alloc_expect(&dom, 1, 0, false, 0);
	alloc_expect(&dom, 4, 18, false, 0);   /* start + 4 - 1 > limit */
	alloc_expect(&dom, 4, 19, false, 16);  /* exactly fits */
	alloc_expect(&dom, 4, 23, true, 20);   /* aligned to 4 */
	alloc_expect(&dom, 1, 24, false, 24);
	alloc_expect(&dom, 8, 34, true, 0);    /* 25..34 holds 8 pages, but not 8-aligned ones */
	alloc_expect(&dom, 7, 34, true, 0);    /* aligned to 8 too */
	alloc_expect(&dom, 8, 34, false, 27);
	assert_int_equal(dom.nr_ranges, 4);
	assert_int_equal(dom.nr_pages, 17);
	free_expect(&dom, 16, 4, 0);
	free_expect(&dom, 20, 4, 0);
	free_expect(&dom, 24, 1, 0);
	free_expect(&dom, 27, 8, 0);
	alloc_expect(&dom, 1024, UINT64_MAX, false, 16); /* the whole domain */
	alloc_expect(&dom, 1, UINT64_MAX, false, 0);
	free_expect(&dom, 16, 1024, 0);
	alloc_expect(&dom, 1024, UINT64_MAX, true, 0);	 /* 1024-aligned: 1024..2047 too high */
	alloc_expect(&dom, 1024, 1039, false, 16);
	dmae__iova_domain_destroy(&dom);
}

/* ------------------------------------------------------------ placement */

static void test_top_down(void **state)
{
	struct dmae_iova_domain dom;
	u64 top = 1000;

	(void)state;
	dom_init(&dom, 1, 1000);
	/* Unaligned ranges pack downwards from the top, each right below the last. */
	for (u64 n = 1; n <= 10; n++) {
		alloc_expect(&dom, n, UINT64_MAX, false, top - n + 1);
		range_expect(&dom, top - n + 1, n);
		top -= n;
	}
	find_expect(&dom, top, 0, 0);
	assert_int_equal(dom.nr_pages, 55);
	/* The highest free range is taken again after a free... */
	free_expect(&dom, 1000, 1, 0);
	alloc_expect(&dom, 1, UINT64_MAX, false, 1000);
	/* ... but only by what fits in it: a 5-page gap at 995..999 after freeing 2+3 pages. */
	free_expect(&dom, 998, 2, 0);
	free_expect(&dom, 995, 3, 0);
	alloc_expect(&dom, 6, UINT64_MAX, false, top - 6 + 1);
	alloc_expect(&dom, 5, UINT64_MAX, false, 995);
	alloc_expect(&dom, 1, UINT64_MAX, false, top - 6);
	/* Aligned ranges: the highest aligned start whose range fits. */
	alloc_expect(&dom, 3, UINT64_MAX, true, (top - 7 - 2) & ~3ull);
	dmae__iova_domain_destroy(&dom);
}

static void test_limit(void **state)
{
	struct dmae_iova_domain dom;
	const u64 L = 0x7ffff; /* the last pfn under 2 GiB */
	u64 end = 1u << 20, limit, n, pfn;

	(void)state;
	rng_init(1);
	dom_init(&dom, 1, end);
	/* Above the domain: the domain's end. */
	alloc_expect(&dom, 2, UINT64_MAX, false, end - 1);
	alloc_expect(&dom, 2, end + 100, false, end - 3);
	alloc_expect(&dom, 2, end, false, end - 5);
	/* In a free stretch under the limit, a range ends exactly at the limit... */
	alloc_expect(&dom, 16, L - 1, false, L - 16);
	alloc_expect(&dom, 16, L - 1, false, L - 32);
	/* ... unless aligned: [L - 48, L - 33] starts at 0x7ffcf; 0x7ffc0 is the one. */
	alloc_expect(&dom, 16, L - 1, true, L - 63);
	/* A limit inside an allocated range: the free pages below it. */
	alloc_expect(&dom, 1, L - 10, false, L - 33);
	alloc_expect(&dom, 16, L - 10, false, L - 79); /* 14 free pages there: too few */
	alloc_expect(&dom, 14, L - 10, false, L - 47);
	alloc_expect(&dom, 1, L - 10, false, L - 80);
	/* Random limits and sizes: never above the limit, never below the domain. */
	for (int i = 0; i < 2000; i++) {
		limit = rnd_range(0, end + 16);
		n = rnd_range(1, 64);
		pfn = dmae__iova_alloc(&dom, n, limit, rnd() & 1);
		if (!pfn)
			continue;
		if (pfn < 1 || pfn + n - 1 > limit || pfn + n - 1 > end)
			fail_msg("alloc(%llu, limit %llu) = %llu (IOVA_SEED=%llu)",
				 (unsigned long long)n, (unsigned long long)limit,
				 (unsigned long long)pfn, (unsigned long long)seed);
		range_expect(&dom, pfn, n);
	}
	assert_true(dmae__iova_check(&dom));
	dmae__iova_domain_destroy(&dom);
}

static void test_size_aligned(void **state)
{
	struct dmae_iova_domain dom;
	u64 pfn;

	(void)state;
	dom_init(&dom, 3, 50000); /* odd start: alignment is of the pfn itself */
	alloc_expect(&dom, 3, UINT64_MAX, true, 49996); /* 50000 is 4-aligned, but 50000..50002 ends past 50000 */
	alloc_expect(&dom, 2, UINT64_MAX, false, 49999);
	alloc_expect(&dom, 1, UINT64_MAX, false, 49995);
	for (u64 n = 1; n <= 130; n++) {
		pfn = dmae__iova_alloc(&dom, n, UINT64_MAX, true);
		assert_true(pfn >= 3);
		if (pfn % pow2_roundup(n))
			fail_msg("%llu pages at %llu: not aligned to %llu", (unsigned long long)n,
				 (unsigned long long)pfn, (unsigned long long)pow2_roundup(n));
		range_expect(&dom, pfn, n);
		assert_true(dmae__iova_check(&dom));
	}
	dmae__iova_domain_destroy(&dom);

	/* An aligned range goes only where its alignment lets it, even when it fits elsewhere. */
	dom_init(&dom, 1, 64);
	alloc_expect(&dom, 1, UINT64_MAX, false, 64);
	alloc_expect(&dom, 1, 62, false, 62);
	alloc_expect(&dom, 32, UINT64_MAX, true, 0);  /* 32..63 holds 62; 0 is not in the domain */
	alloc_expect(&dom, 31, UINT64_MAX, true, 0);  /* aligned to 32 too */
	alloc_expect(&dom, 16, UINT64_MAX, true, 32); /* 48..63 holds 62 */
	alloc_expect(&dom, 15, UINT64_MAX, true, 16);
	alloc_expect(&dom, 1, UINT64_MAX, true, 63);
	alloc_expect(&dom, 14, UINT64_MAX, false, 48); /* free: 1..15, 31, 48..61 */
	alloc_expect(&dom, 2, UINT64_MAX, false, 14);
	alloc_expect(&dom, 2, UINT64_MAX, true, 12);
	alloc_expect(&dom, 1, UINT64_MAX, true, 31);
	alloc_expect(&dom, 12, UINT64_MAX, false, 0);  /* 11 pages left */
	alloc_expect(&dom, 11, UINT64_MAX, false, 1);
	assert_int_equal(dom.nr_pages, 64);
	dmae__iova_domain_destroy(&dom);
}

static void test_exhaust_free_reuse(void **state)
{
	struct dmae_iova_domain dom;

	(void)state;
	dom_init(&dom, 100, 1123); /* 1024 pages */
	for (u64 p = 1123; p >= 100; p--)
		assert_int_equal(dmae__iova_alloc(&dom, 1, UINT64_MAX, false), p);
	assert_true(dmae__iova_check(&dom));
	assert_int_equal(dom.nr_ranges, 1024);
	alloc_expect(&dom, 1, UINT64_MAX, false, 0);
	alloc_expect(&dom, 1, UINT64_MAX, true, 0);

	/* Three single holes: a 2-page range fits in none, single pages reuse them top-down. */
	free_expect(&dom, 500, 1, 0);
	free_expect(&dom, 900, 1, 0);
	free_expect(&dom, 700, 1, 0);
	alloc_expect(&dom, 2, UINT64_MAX, false, 0);
	alloc_expect(&dom, 1, UINT64_MAX, false, 900);
	alloc_expect(&dom, 1, UINT64_MAX, false, 700);
	alloc_expect(&dom, 1, 699, false, 500);
	alloc_expect(&dom, 1, UINT64_MAX, false, 0);

	/* A 2-page hole at an odd start fits 2 pages, but not 2 aligned ones. */
	free_expect(&dom, 601, 1, 0);
	free_expect(&dom, 602, 1, 0);
	free_expect(&dom, 300, 1, 0);
	free_expect(&dom, 301, 1, 0);
	alloc_expect(&dom, 2, UINT64_MAX, true, 300);
	alloc_expect(&dom, 2, UINT64_MAX, true, 0);
	alloc_expect(&dom, 2, UINT64_MAX, false, 601);
	range_expect(&dom, 601, 2);
	range_expect(&dom, 300, 2);

	/* Everything back, then the whole domain in one range. */
	for (u64 p = 100; p <= 1123; p++) {
		if (p == 300 || p == 601)
			free_expect(&dom, p++, 2, 0);
		else
			assert_int_equal(dmae__iova_free(&dom, p, 1), 0);
	}
	assert_true(dmae__iova_check(&dom));
	assert_int_equal(dom.nr_ranges, 0);
	assert_int_equal(dom.nr_pages, 0);
	alloc_expect(&dom, 1024, UINT64_MAX, false, 100);
	dmae__iova_domain_destroy(&dom);
}

static void test_fragmentation(void **state)
{
	const u64 end = 1u << 16;
	struct dmae_iova_domain dom;

	(void)state;
	dom_init(&dom, 1, end);
	/* Range k of 4 pages: [end - 4k - 3, end - 4k]. */
	for (u64 k = 0; k < 4096; k++)
		assert_int_equal(dmae__iova_alloc(&dom, 4, UINT64_MAX, false), end - 4 * k - 3);
	assert_true(dmae__iova_check(&dom));
	/* Free every other one: 2048 holes of 4 pages; below them 49152 free pages. */
	for (u64 k = 0; k < 4096; k += 2)
		assert_int_equal(dmae__iova_free(&dom, end - 4 * k - 3, 4), 0);
	assert_true(dmae__iova_check(&dom));
	assert_int_equal(dom.nr_pages, 4 * 2048);
	/* Two 12-page holes: k = 1000..1002 and k = 3000..3002. */
	free_expect(&dom, end - 4 * 1001 - 3, 4, 0);
	free_expect(&dom, end - 4 * 3001 - 3, 4, 0);
	find_expect(&dom, end - 4 * 1000, 0, 0);
	range_expect(&dom, end - 4 * 1003 - 3, 4);
	/* 12 pages fit only in the two 12-page holes, highest first; then in the space below. */
	alloc_expect(&dom, 12, UINT64_MAX, false, end - 4 * 1002 - 3);
	alloc_expect(&dom, 9, UINT64_MAX, false, end - 4 * 3000 - 8);
	alloc_expect(&dom, 5, UINT64_MAX, false, end - 4 * 4096 - 4); /* the 3 left are too few */
	/* 4-page holes start at 1 mod 4: 4 aligned pages go below everything... */
	alloc_expect(&dom, 4, UINT64_MAX, true, end - 4 * 4096 - 8);
	/* ... unaligned ones, and smaller ones, take the highest hole. */
	alloc_expect(&dom, 3, UINT64_MAX, false, end - 2);
	alloc_expect(&dom, 1, UINT64_MAX, false, end - 3);
	alloc_expect(&dom, 4, UINT64_MAX, false, end - 4 * 2 - 3);
	alloc_expect(&dom, 3, end - 4 * 3000, false, end - 4 * 3002 - 3); /* the 3 left */
	/* 2 aligned pages fit at the 2-aligned half of a hole, below the limit. */
	alloc_expect(&dom, 2, end - 4 * 10, true, end - 4 * 10 - 2);
	assert_true(dmae__iova_check(&dom));
	dmae__iova_domain_destroy(&dom);
}

/* ------------------------------------------------------------ free and find */

/* Expect the domain to hold exactly the three ranges of test_bad_free. */
static void three_ranges(const struct dmae_iova_domain *dom, const u64 pfn[3], const u64 n[3])
{
	assert_true(dmae__iova_check(dom));
	assert_int_equal(dom->nr_ranges, 3);
	assert_int_equal(dom->nr_pages, n[0] + n[1] + n[2]);
	for (int i = 0; i < 3; i++) {
		range_expect(dom, pfn[i], n[i]);
		find_expect(dom, pfn[i] - 1, 0, 0);
		find_expect(dom, pfn[i] + n[i], 0, 0);
	}
}

static void test_bad_free(void **state)
{
	const u64 n[3] = { 8, 1, 16 };
	struct dmae_iova_domain dom;
	u64 pfn[3];

	(void)state;
	dom_init(&dom, 1, 4096);
	pfn[0] = dmae__iova_alloc(&dom, n[0], UINT64_MAX, false);   /* 4089..4096 */
	pfn[1] = dmae__iova_alloc(&dom, n[1], 4000, false);	    /* 4000 */
	pfn[2] = dmae__iova_alloc(&dom, n[2], UINT64_MAX, true);    /* 4064..4079 */
	assert_int_equal(pfn[0], 4089);
	assert_int_equal(pfn[1], 4000);
	assert_int_equal(pfn[2], 4064);
	three_ranges(&dom, pfn, n);

	free_expect(&dom, 0, 1, -EINVAL);	       /* never a range */
	free_expect(&dom, 100, 1, -EINVAL);	       /* free pages */
	free_expect(&dom, pfn[0], 0, -EINVAL);	       /* no pages */
	free_expect(&dom, pfn[0], 7, -EINVAL);	       /* too few */
	free_expect(&dom, pfn[0], 9, -EINVAL);	       /* too many */
	free_expect(&dom, pfn[0] + 1, 7, -EINVAL);     /* the tail */
	free_expect(&dom, pfn[0] + 1, 1, -EINVAL);     /* one page inside */
	free_expect(&dom, pfn[0] - 1, 9, -EINVAL);     /* one free page and the range */
	free_expect(&dom, pfn[1], 2, -EINVAL);
	free_expect(&dom, pfn[2], 8, -EINVAL);	       /* half of it */
	free_expect(&dom, pfn[2] + 8, 8, -EINVAL);     /* the other half */
	free_expect(&dom, pfn[2], 16 + 9, -EINVAL);    /* it, the free gap and the next one */
	free_expect(&dom, 4097, 1, -EINVAL);	       /* past the end (the anchor) */
	free_expect(&dom, 4097, 0, -EINVAL);
	free_expect(&dom, UINT64_MAX, 1, -EINVAL);
	free_expect(&dom, UINT64_MAX, UINT64_MAX, -EINVAL);
	three_ranges(&dom, pfn, n);

	/* A double free: the second one fails and leaves the others alone. */
	free_expect(&dom, pfn[1], 1, 0);
	free_expect(&dom, pfn[1], 1, -EINVAL);
	find_expect(&dom, pfn[1], 0, 0);
	assert_int_equal(dom.nr_ranges, 2);
	range_expect(&dom, pfn[0], n[0]);
	range_expect(&dom, pfn[2], n[2]);
	alloc_expect(&dom, 1, 4000, false, 4000); /* and it is reusable */
	three_ranges(&dom, pfn, n);
	dmae__iova_domain_destroy(&dom);
}

static void test_find(void **state)
{
	struct dmae_iova_domain dom;
	struct dmae_iova_range r;

	(void)state;
	dom_init(&dom, 10, 1000);
	find_expect(&dom, 500, 0, 0);
	alloc_expect(&dom, 5, UINT64_MAX, false, 996);
	alloc_expect(&dom, 1, UINT64_MAX, false, 995);
	alloc_expect(&dom, 3, 12, false, 10);
	range_expect(&dom, 996, 5);
	range_expect(&dom, 995, 1);
	range_expect(&dom, 10, 3);
	find_expect(&dom, 994, 0, 0);
	find_expect(&dom, 13, 0, 0);
	find_expect(&dom, 9, 0, 0);
	find_expect(&dom, 0, 0, 0);
	find_expect(&dom, 1001, 0, 0); /* the anchor's pfn */
	find_expect(&dom, UINT64_MAX, 0, 0);
	free_expect(&dom, 996, 5, 0);
	for (u64 p = 996; p <= 1001; p++)
		find_expect(&dom, p, 0, 0);
	range_expect(&dom, 995, 1);
	/* @range is written only on success. */
	r.pfn = 77;
	r.npages = 88;
	assert_int_equal(dmae__iova_find(&dom, 500, &r), -ENOENT);
	assert_int_equal(r.pfn, 77);
	assert_int_equal(r.npages, 88);
	dmae__iova_domain_destroy(&dom);
}

static void test_destroy_live(void **state)
{
	struct dmae_iova_domain dom;
	struct dmae_iova_range r;
	u64 pfn;

	(void)state;
	rng_init(2);
	/* Destroying an empty domain, twice. */
	dom_init(&dom, 1, 100);
	dmae__iova_domain_destroy(&dom);
	dmae__iova_domain_destroy(&dom);

	/* 5000 live ranges: destroy frees them all (ASan's leak check would say otherwise). */
	dom_init(&dom, 1, 1u << 24);
	for (int i = 0; i < 5000; i++)
		assert_true(dmae__iova_alloc(&dom, rnd_range(1, 100), UINT64_MAX, rnd() & 1) != 0);
	assert_int_equal(dom.nr_ranges, 5000);
	pfn = dmae__iova_alloc(&dom, 1, UINT64_MAX, false);
	dmae__iova_domain_destroy(&dom);
	assert_int_equal(dom.nr_ranges, 0);
	assert_int_equal(dom.nr_pages, 0);
	assert_true(dmae__iova_check(&dom));
	/* A destroyed domain hands out nothing and finds nothing. */
	assert_int_equal(dmae__iova_alloc(&dom, 1, UINT64_MAX, false), 0);
	assert_int_equal(dmae__iova_free(&dom, pfn, 1), -EINVAL);
	assert_int_equal(dmae__iova_find(&dom, pfn, &r), -ENOENT);
	dmae__iova_domain_destroy(&dom);

	/* Initialised again, it works as new. */
	dom_init(&dom, 1, 1u << 24);
	alloc_expect(&dom, 1, UINT64_MAX, false, 1u << 24);
	dmae__iova_domain_destroy(&dom);
}

static void test_malloc_failure(void **state)
{
	struct dmae_iova_domain dom;

	(void)state;
	dom_init(&dom, 1, 1000);
	alloc_expect(&dom, 10, UINT64_MAX, false, 991);
	malloc_fail = 1;
	alloc_expect(&dom, 10, UINT64_MAX, false, 0);
	assert_int_equal(malloc_fail, 0); /* the allocator did call malloc */
	assert_int_equal(dom.nr_ranges, 1);
	assert_int_equal(dom.nr_pages, 10);
	find_expect(&dom, 990, 0, 0);
	range_expect(&dom, 991, 10);
	alloc_expect(&dom, 10, UINT64_MAX, false, 981); /* the gap was left as it was */
	dmae__iova_domain_destroy(&dom);
}

/* ------------------------------------------------------------ against a reference */

/* The reference: for every page of the domain, the first pfn of its range, or 0 when free. */
struct model {
	u64 start, end;	  /* the domain */
	u64 *owner;	  /* per page: first pfn of its range, or 0 */
	u64 *live_pfn;	  /* allocated ranges, unordered */
	u64 *live_n;	  /* their sizes */
	size_t nr_live;	  /* ranges allocated */
	size_t peak;	  /* most ranges allocated at once */
	u64 used;	  /* pages allocated */
};

/* The highest aligned start of @n free pages ending at or below @limit, or 0. */
static u64 model_alloc(const struct model *m, u64 n, u64 limit, bool aligned)
{
	u64 mask = aligned ? pow2_roundup(n) - 1 : 0;
	u64 last = limit < m->end ? limit : m->end;
	u64 run = 0;

	if (!n || n > m->end - m->start + 1 || last < m->start)
		return 0;
	for (u64 p = last; p >= m->start; p--) {
		run = m->owner[p - m->start] ? 0 : run + 1;
		if (run >= n && !(p & mask))
			return p;
	}
	return 0;
}

static void model_set(struct model *m, u64 pfn, u64 n, u64 owner)
{
	for (u64 p = pfn; p < pfn + n; p++)
		m->owner[p - m->start] = owner;
}

/* Every page: find() agrees with the reference. */
static void model_compare(const struct model *m, const struct dmae_iova_domain *dom)
{
	struct dmae_iova_range r;
	u64 own;
	int ret;

	assert_true(dmae__iova_check(dom));
	assert_int_equal(dom->nr_ranges, m->nr_live);
	assert_int_equal(dom->nr_pages, m->used);
	for (u64 p = m->start; p <= m->end; p++) {
		own = m->owner[p - m->start];
		ret = dmae__iova_find(dom, p, &r);
		if (own ? ret || r.pfn != own : ret != -ENOENT)
			fail_msg("page %llu: find %d at %llu, reference %llu (IOVA_SEED=%llu)",
				 (unsigned long long)p, ret, ret ? 0ull : (unsigned long long)r.pfn,
				 (unsigned long long)own, (unsigned long long)seed);
	}
}

/* @ops random operations on a domain of @size pages from @start; dmae__iova_check()
 * every @check_every of them, a page-by-page comparison every 16 * @check_every. */
static void model_run(u64 start, u64 size, int ops, int check_every, u64 salt)
{
	struct dmae_iova_domain dom;
	struct model m = { .start = start, .end = start + size - 1 };
	u64 n, limit, want, got, pfn;
	size_t i;
	int op, ret;
	bool aligned;

	rng_init(salt);
	m.owner = calloc(size, sizeof(*m.owner));
	m.live_pfn = calloc(size, sizeof(*m.live_pfn));
	m.live_n = calloc(size, sizeof(*m.live_n));
	assert_non_null(m.owner);
	assert_non_null(m.live_pfn);
	assert_non_null(m.live_n);
	dom_init(&dom, m.start, m.end);
	for (op = 0; op < ops; op++) {
		switch (rnd() % 20) {
		case 0 ... 9: /* allocate: mostly small, sometimes large, sometimes limited */
			n = rnd() % 8 ? rnd_range(1, 16) : rnd_range(1, size / 4 + 1);
			limit = rnd() & 1 ? UINT64_MAX : rnd_range(start > 4 ? start - 4 : 0, m.end + 4);
			aligned = rnd() & 1;
			want = model_alloc(&m, n, limit, aligned);
			got = dmae__iova_alloc(&dom, n, limit, aligned);
			if (got != want)
				fail_msg("op %d: alloc(%llu, limit %llu, %s) = %llu, reference %llu (IOVA_SEED=%llu)",
					 op, (unsigned long long)n, (unsigned long long)limit,
					 aligned ? "aligned" : "unaligned", (unsigned long long)got,
					 (unsigned long long)want, (unsigned long long)seed);
			if (!got)
				break;
			model_set(&m, got, n, got);
			m.live_pfn[m.nr_live] = got;
			m.live_n[m.nr_live++] = n;
			m.used += n;
			if (m.nr_live > m.peak)
				m.peak = m.nr_live;
			break;
		case 10 ... 16: /* free a live range */
			if (!m.nr_live)
				break;
			i = rnd() % m.nr_live;
			assert_int_equal(dmae__iova_free(&dom, m.live_pfn[i], m.live_n[i]), 0);
			model_set(&m, m.live_pfn[i], m.live_n[i], 0);
			m.used -= m.live_n[i];
			m.live_pfn[i] = m.live_pfn[--m.nr_live];
			m.live_n[i] = m.live_n[m.nr_live];
			break;
		case 17 ... 18: /* a bad free: unless it names exactly a live range, -EINVAL */
			pfn = rnd_range(start - 1, m.end + 1);
			n = rnd_range(0, 20);
			want = pfn >= start && pfn <= m.end && m.owner[pfn - start] == pfn;
			if (want) {
				for (i = 0; i < m.nr_live && m.live_pfn[i] != pfn; i++)
					;
				want = m.live_n[i] == n;
			}
			if (want)
				n++; /* make it wrong */
			ret = dmae__iova_free(&dom, pfn, n);
			if (ret != -EINVAL)
				fail_msg("op %d: free(%llu, %llu) = %d (IOVA_SEED=%llu)", op,
					 (unsigned long long)pfn, (unsigned long long)n, ret,
					 (unsigned long long)seed);
			break;
		default: /* find one page */
			pfn = rnd_range(start - 1, m.end + 1);
			if (pfn >= start && pfn <= m.end && m.owner[pfn - start]) {
				for (i = 0; m.live_pfn[i] != m.owner[pfn - start]; i++)
					;
				find_expect(&dom, pfn, m.live_pfn[i], m.live_n[i]);
			} else {
				find_expect(&dom, pfn, 0, 0);
			}
			break;
		}
		if (dom.nr_pages != m.used || (op % check_every == 0 && !dmae__iova_check(&dom)))
			fail_msg("op %d: domain inconsistent (IOVA_SEED=%llu)", op,
				 (unsigned long long)seed);
		if (op % (16 * check_every) == 0)
			model_compare(&m, &dom);
	}
	model_compare(&m, &dom);
	print_message("%llu pages from %llu: up to %zu ranges live\n", (unsigned long long)size,
		      (unsigned long long)start, m.peak);
	/* Free half of what is left, then allocate all the free space page by page,
	 * top-down: it is exactly the reference's free pages. */
	for (i = m.nr_live / 2; m.nr_live > i; m.nr_live--) {
		free_expect(&dom, m.live_pfn[m.nr_live - 1], m.live_n[m.nr_live - 1], 0);
		model_set(&m, m.live_pfn[m.nr_live - 1], m.live_n[m.nr_live - 1], 0);
	}
	for (u64 p = m.end; p >= start; p--) {
		if (m.owner[p - start])
			continue;
		got = dmae__iova_alloc(&dom, 1, UINT64_MAX, false);
		if (got != p)
			fail_msg("refill: %llu, reference %llu (IOVA_SEED=%llu)",
				 (unsigned long long)got, (unsigned long long)p,
				 (unsigned long long)seed);
	}
	alloc_expect(&dom, 1, UINT64_MAX, false, 0);
	dmae__iova_domain_destroy(&dom);
	free(m.owner);
	free(m.live_pfn);
	free(m.live_n);
}

static void test_model_small(void **state)
{
	(void)state;
	model_run(1, 256, 20000, 1, 3); /* exhausted often; checked after every step */
}

static void test_model_medium(void **state)
{
	(void)state;
	model_run(1000 + (seed % 7), 4096, 20000, 16, 4);
}

static void test_model_odd(void **state)
{
	(void)state;
	model_run(3, 1021, 20000, 4, 5); /* odd bounds: aligned ranges never reach them */
}

static void test_model_large(void **state)
{
	(void)state;
	model_run(1 + (seed % 5), 32768, 30000, 256, 7); /* thousands of ranges live */
}

/* ------------------------------------------------------------ a 48-bit space */

static void test_huge_domain(void **state)
{
	const u64 end = (1ull << 36) - 1; /* 2^48 bytes of 4 KiB pages, less pfn 0 */
	const u64 pfn32 = (1ull << 20) - 1; /* the last pfn under 4 GiB */
	struct dmae_iova_domain dom;
	u64 pfn, n, *live;
	int i;

	(void)state;
	rng_init(6);
	dom_init(&dom, 1, end);
	assert_true(dmae__iova_addr(&dom, end) + SZ_4K - 1 == (1ull << 48) - 1);
	assert_true(dmae__iova_pfn(&dom, (1ull << 48) - 1) == end);
	assert_true(dmae__iova_offset(&dom, 0x12345) == 0x345);
	assert_true(dmae__iova_pages(&dom, 0xfff, 2) == 2);
	assert_true(dmae__iova_pages(&dom, 0, SZ_4K) == 1);

	alloc_expect(&dom, 1, UINT64_MAX, false, end);
	alloc_expect(&dom, 1, pfn32, false, pfn32);
	alloc_expect(&dom, 1ull << 35, UINT64_MAX, true, 0); /* its aligned place holds `end` */
	alloc_expect(&dom, 1ull << 35, UINT64_MAX, false, (1ull << 35) - 1);
	alloc_expect(&dom, (1ull << 34) + 1, UINT64_MAX, true, 0); /* aligned to 2^35: no room */
	alloc_expect(&dom, 1ull << 34, UINT64_MAX, true, 0); /* [2^34, 2^35) holds 2^35 - 1 */
	alloc_expect(&dom, 1ull << 33, UINT64_MAX, true, 1ull << 34);
	alloc_expect(&dom, 1ull << 33, UINT64_MAX, false, 1ull << 33); /* 2^33 - 1 left above */
	assert_int_equal(dom.nr_pages, 2 + (1ull << 35) + (1ull << 34));

	/* 10,000 ranges under 4 GiB; the tree stays as shallow as AVL promises. */
	live = calloc(10000, sizeof(*live));
	assert_non_null(live);
	for (i = 0; i < 10000; i++) {
		n = rnd_range(1, 8);
		pfn = dmae__iova_alloc(&dom, n, pfn32, true);
		assert_true(pfn >= 1 && pfn + n - 1 < pfn32 && pfn % pow2_roundup(n) == 0);
		live[i] = pfn;
	}
	assert_true(dmae__iova_check(&dom));
	assert_true(dom.root->height <= 22); /* 1.44 * log2(10007) + 2 */
	for (i = 0; i < 10000; i += 2) {
		struct dmae_iova_range r;

		assert_int_equal(dmae__iova_find(&dom, live[i], &r), 0);
		assert_int_equal(dmae__iova_free(&dom, r.pfn, r.npages), 0);
	}
	assert_true(dmae__iova_check(&dom));
	free_expect(&dom, (1ull << 35) - 1, 1ull << 35, 0);
	alloc_expect(&dom, 1ull << 35, UINT64_MAX, false, (1ull << 35) - 1);
	assert_int_equal(dom.nr_ranges, 5 + 5000);
	free(live);
	dmae__iova_domain_destroy(&dom);

	/* The last page of the 64-bit space. */
	dom_init(&dom, 1, UINT64_MAX >> 12);
	alloc_expect(&dom, 1, UINT64_MAX, false, UINT64_MAX >> 12);
	assert_true(dmae__iova_addr(&dom, UINT64_MAX >> 12) + SZ_4K - 1 == UINT64_MAX);
	alloc_expect(&dom, 1ull << 51, UINT64_MAX, true, 0);
	alloc_expect(&dom, 1ull << 51, UINT64_MAX, false, (1ull << 51) - 1);
	alloc_expect(&dom, 1ull << 50, UINT64_MAX, true, 0);
	alloc_expect(&dom, 1ull << 49, UINT64_MAX, true, 1ull << 50);
	range_expect(&dom, UINT64_MAX >> 12, 1);
	free_expect(&dom, UINT64_MAX >> 12, 1, 0);
	dmae__iova_domain_destroy(&dom);
}

int main(void)
{
	const char *env = getenv("IOVA_SEED");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_args),
		cmocka_unit_test(test_alloc_args),
		cmocka_unit_test(test_top_down),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_size_aligned),
		cmocka_unit_test(test_exhaust_free_reuse),
		cmocka_unit_test(test_fragmentation),
		cmocka_unit_test(test_bad_free),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_destroy_live),
		cmocka_unit_test(test_malloc_failure),
		cmocka_unit_test(test_model_small),
		cmocka_unit_test(test_model_medium),
		cmocka_unit_test(test_model_odd),
		cmocka_unit_test(test_model_large),
		cmocka_unit_test(test_huge_domain),
	};

	seed = env && *env ? strtoull(env, NULL, 0) : dmae_clock_ns() ^ 0x510e527fade682d1ull;
	if (!seed)
		seed = 1;
	printf("test_iova: seed %llu (IOVA_SEED=%llu to reproduce)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
