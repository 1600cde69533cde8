// SPDX-License-Identifier: MIT
/*
 * test_raid.c - the XOR and RAID6 P+Q kernels of src/raid: the GF(2^8)
 * tables and their algebra, the fast kernels against the plain C reference
 * (random source counts, lengths, alignments, coefficients and flags,
 * destination aliasing, guard bytes around every destination, sources left
 * alone), the checks (xor_zero, pq_check) against single flipped bits, and Q
 * against Horner's rule computed here, independently of the tables.
 *
 * Random but reproducible: the seed is printed; RAID_SEED=<n> replays a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dmaengine/os.h> /* dmae_clock_ns */

#include "raid/raid.h"

/* ------------------------------------------------------------ build flavour */

/* Divide work by RAID_SLOW: sanitizers instrument the reference loops. */
#if defined(__SANITIZE_THREAD__)
#define RAID_SLOW 10
#elif defined(__SANITIZE_ADDRESS__)
#define RAID_SLOW 2
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RAID_SLOW 10
#elif __has_feature(address_sanitizer)
#define RAID_SLOW 2
#endif
#endif
#ifndef RAID_SLOW
#define RAID_SLOW 1
#endif

#define MAX_LEN (256u * 1024u) /* longest buffer */
#define GUARD 64u	       /* guard bytes on each side of a destination */
#define STD_MAX 253u	       /* sources of a RAID6 stripe with the standard coefficients */

/* ------------------------------------------------------------ randomness */

#include "common/rng.h"

static void fill_rand(u8 *p, size_t len)
{
	size_t i = 0;
	u64 r;

	for (; i + 8 <= len; i += 8) {
		r = rnd();
		memcpy(p + i, &r, 8);
	}
	if (i < len) {
		r = rnd();
		memcpy(p + i, &r, len - i);
	}
}

/* A length in 1..MAX_LEN: tiny, odd, exact multiples of 32 and 64, near the maximum. */
static size_t rand_len(void)
{
	switch (rnd() % 8) {
	case 0:
		return (size_t)rnd_range(1, 64);
	case 1:
		return (size_t)rnd_range(65, 4096);
	case 2:
		return 32 * (size_t)rnd_range(1, MAX_LEN / 32);
	case 3:
		return 64 * (size_t)rnd_range(1, MAX_LEN / 64);
	case 4:
		return (size_t)rnd_range(1, MAX_LEN);
	case 5:
		return MAX_LEN - (size_t)rnd_range(0, 7);
	case 6:
		return 64 * (size_t)rnd_range(1, MAX_LEN / 64 - 1) + (rnd() & 1 ? 1 : (size_t)-1);
	default:
		return 2 * (size_t)rnd_range(1, 4096) + 1;
	}
}

/* Shorten @len so that @n sources of it stay within @budget bytes. */
static size_t cap_len(size_t len, unsigned int n, size_t budget)
{
	size_t limit = budget / n;

	if (limit < 1)
		limit = 1;
	if (len > limit)
		len = (size_t)rnd_range(limit / 2 + 1, limit);
	return len;
}

/* A source count in 1..@max: mostly few, often up to 64, sometimes more. */
static unsigned int rand_n(unsigned int max)
{
	u64 r = rnd() % 10;

	if (r < 4)
		return (unsigned int)rnd_range(1, max < 8 ? max : 8);
	if (r < 9 || max <= 64)
		return (unsigned int)rnd_range(1, max < 64 ? max : 64);
	return (unsigned int)rnd_range(65, max);
}

/* ------------------------------------------------------------ GF(2^8), independently */

/* Multiply by {02} modulo x^8+x^4+x^3+x^2+1. */
static u8 mul2(u8 x)
{
	return (u8)((x << 1) ^ (x & 0x80 ? 0x1d : 0));
}

/* Shift-and-add multiplication: no tables. */
static u8 gf_mul_slow(u8 a, u8 b)
{
	u8 r = 0;

	while (b) {
		if (b & 1)
			r ^= a;
		a = mul2(a);
		b >>= 1;
	}
	return r;
}

/* ------------------------------------------------------------ buffers */

/* A destination with guard bytes just before and after it. */
struct dbuf {
	u8 *raw;
	u8 *p;
	size_t len;
	size_t before; /* guard bytes before p */
	size_t rawlen;
};

static u8 guard_byte(size_t i)
{
	return (u8)(0x5a ^ (i * 0x9d));
}

static void dbuf_new(struct dbuf *b, size_t len, size_t misalign)
{
	void *raw = NULL;

	b->before = GUARD + misalign % 64;
	b->rawlen = b->before + len + GUARD;
	assert_int_equal(posix_memalign(&raw, 64, b->rawlen), 0);
	b->raw = raw;
	b->p = b->raw + b->before;
	b->len = len;
	for (size_t i = 0; i < b->before; i++)
		b->raw[i] = guard_byte(i);
	for (size_t i = b->before + len; i < b->rawlen; i++)
		b->raw[i] = guard_byte(i);
}

/* First damaged guard byte as an offset from p (negative: before), or 0 when intact. */
static long dbuf_guard_damage(const struct dbuf *b)
{
	for (size_t i = 0; i < b->before; i++)
		if (b->raw[i] != guard_byte(i))
			return (long)i - (long)b->before;
	for (size_t i = b->before + b->len; i < b->rawlen; i++)
		if (b->raw[i] != guard_byte(i))
			return (long)(i - b->before);
	return 0;
}

static void dbuf_free(struct dbuf *b)
{
	free(b->raw);
	b->raw = b->p = NULL;
}

static u8 *dup_mem(const void *p, size_t len)
{
	u8 *d = malloc(len ? len : 1);

	assert_non_null(d);
	memcpy(d, p, len);
	return d;
}

static u64 hash(const u8 *p, size_t len)
{
	u64 h = 0xcbf29ce484222325ull, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/*
 * Sources: each its own allocation, ending exactly where the allocation ends
 * (ASan sees a read past the end), starting 0..63 bytes after a 64-byte
 * boundary; random contents, hashed to show that nothing writes them.
 */
struct srcs {
	unsigned int n;
	size_t len;
	u8 *raw[DMAE_RAID_MAX_SRCS];
	void *v[DMAE_RAID_MAX_SRCS];
	size_t off[DMAE_RAID_MAX_SRCS];
	u64 h[DMAE_RAID_MAX_SRCS];
};

static struct srcs *srcs_new(unsigned int n, size_t len)
{
	struct srcs *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	assert_true(n >= 1 && n <= DMAE_RAID_MAX_SRCS);
	s->n = n;
	s->len = len;
	for (unsigned int i = 0; i < n; i++) {
		void *raw = NULL;

		s->off[i] = (size_t)rnd_range(0, 63);
		assert_int_equal(posix_memalign(&raw, 64, s->off[i] + len), 0);
		s->raw[i] = raw;
		s->v[i] = s->raw[i] + s->off[i];
		fill_rand(s->v[i], len);
	}
	return s;
}

/* Remember the sources' contents (after the test arranged them). */
static void srcs_seal(struct srcs *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		s->h[i] = hash(s->v[i], s->len);
}

/* Assert sources [from, n) still hold what srcs_seal saw. */
static void srcs_check(const struct srcs *s, unsigned int from, const char *what)
{
	for (unsigned int i = from; i < s->n; i++)
		if (hash(s->v[i], s->len) != s->h[i])
			fail_msg("%s: source %u was written (RAID_SEED=%llu)", what, i,
				 (unsigned long long)seed);
}

static void srcs_free(struct srcs *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		free(s->raw[i]);
	free(s);
}

static long first_diff(const u8 *a, const u8 *b, size_t len)
{
	if (!memcmp(a, b, len))
		return -1;
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

/* Assert @got equals @want over @len bytes, naming the case. */
static void expect_bytes(const u8 *got, const u8 *want, size_t len, const char *buf,
			 const char *what)
{
	long d = first_diff(got, want, len);

	if (d >= 0)
		fail_msg("%s: %s byte %ld of %zu is 0x%02x, expected 0x%02x (RAID_SEED=%llu)", what,
			 buf, d, len, got[d], want[d], (unsigned long long)seed);
}

static void expect_guards(const struct dbuf *b, const char *buf, const char *what)
{
	long d = dbuf_guard_damage(b);

	if (d)
		fail_msg("%s: %s written at offset %ld, outside its %zu bytes (RAID_SEED=%llu)", what,
			 buf, d, b->len, (unsigned long long)seed);
}

/* Standard RAID6 coefficients, or random ones (sometimes 0 and 1). */
static void make_scf(u8 *scf, unsigned int n, bool std)
{
	for (unsigned int i = 0; i < n; i++) {
		u64 r = rnd();

		if (std)
			scf[i] = dmae__gf_exp[i];
		else
			scf[i] = (r & 7) == 0 ? 0 : (r & 7) == 1 ? 1 : (u8)(r >> 8);
	}
}

/* ------------------------------------------------------------ GF tables */

static void test_gf_exp_log(void **state)
{
	u8 x = 1;

	/* The polynomial: x^8 = x^4 + x^3 + x^2 + 1. */
	assert_int_equal(mul2(0x80), 0x1d);
	assert_int_equal(dmae__gf_mul(0x80, 2), 0x1d);
	assert_int_equal(dmae__gf_mul(2, 0x80), 0x1d);
	/* exp[i] = {02}^i, computed here by repeated doubling. */
	for (unsigned int i = 0; i < 255; i++) {
		if (dmae__gf_exp[i] != x)
			fail_msg("gf_exp[%u] = 0x%02x, {02}^%u = 0x%02x", i, dmae__gf_exp[i], i, x);
		/* {02} generates: no power below 255 is 1 again. */
		if (i && x == 1)
			fail_msg("{02}^%u = 1: {02} is not a generator", i);
		x = mul2(x);
	}
	assert_int_equal(x, 1); /* {02}^255 = 1 */
	assert_int_equal(dmae__gf_exp[255], dmae__gf_exp[0]);
	assert_int_equal(dmae__gf_exp[0], 1);
	assert_int_equal(dmae__gf_exp[1], 2);
	/* log and exp are inverse bijections between 0..254 and 1..255. */
	for (unsigned int i = 0; i < 255; i++)
		if (dmae__gf_log[dmae__gf_exp[i]] != i)
			fail_msg("gf_log[gf_exp[%u] = 0x%02x] = %u", i, dmae__gf_exp[i],
				 dmae__gf_log[dmae__gf_exp[i]]);
	for (unsigned int a = 1; a < 256; a++) {
		if (dmae__gf_log[a] >= 255)
			fail_msg("gf_log[0x%02x] = %u, out of 0..254", a, dmae__gf_log[a]);
		if (dmae__gf_exp[dmae__gf_log[a]] != a)
			fail_msg("gf_exp[gf_log[0x%02x]] = 0x%02x", a, dmae__gf_exp[dmae__gf_log[a]]);
	}
}

static void test_gf_mul(void **state)
{
	rng_init(1);
	/* Every product, against shift-and-add. */
	for (unsigned int a = 0; a < 256; a++)
		for (unsigned int b = 0; b < 256; b++) {
			u8 got = dmae__gf_mul((u8)a, (u8)b), want = gf_mul_slow((u8)a, (u8)b);

			if (got != want)
				fail_msg("gf_mul(0x%02x, 0x%02x) = 0x%02x, expected 0x%02x", a, b, got,
					 want);
		}
	for (unsigned int a = 0; a < 256; a++) {
		assert_int_equal(dmae__gf_mul((u8)a, 0), 0);
		assert_int_equal(dmae__gf_mul(0, (u8)a), 0);
		assert_int_equal(dmae__gf_mul((u8)a, 1), a);
		assert_int_equal(dmae__gf_mul((u8)a, 2), mul2((u8)a));
	}
	/* The field laws on random values. */
	for (int i = 0; i < 200000; i++) {
		u64 r = rnd();
		u8 a = (u8)r, b = (u8)(r >> 8), c = (u8)(r >> 16);

		if (dmae__gf_mul(a, b) != dmae__gf_mul(b, a))
			fail_msg("gf_mul not commutative at 0x%02x, 0x%02x", a, b);
		if (dmae__gf_mul(dmae__gf_mul(a, b), c) != dmae__gf_mul(a, dmae__gf_mul(b, c)))
			fail_msg("gf_mul not associative at 0x%02x, 0x%02x, 0x%02x", a, b, c);
		if (dmae__gf_mul(a, (u8)(b ^ c)) != (dmae__gf_mul(a, b) ^ dmae__gf_mul(a, c)))
			fail_msg("gf_mul not distributive at 0x%02x, 0x%02x, 0x%02x", a, b, c);
	}
}

static void test_gf_inv_exi(void **state)
{
	assert_int_equal(dmae__gf_inv[0], 0);
	for (unsigned int a = 1; a < 256; a++) {
		if (dmae__gf_mul((u8)a, dmae__gf_inv[a]) != 1)
			fail_msg("gf_inv[0x%02x] = 0x%02x: product 0x%02x", a, dmae__gf_inv[a],
				 dmae__gf_mul((u8)a, dmae__gf_inv[a]));
		if (gf_mul_slow((u8)a, dmae__gf_inv[a]) != 1)
			fail_msg("gf_inv[0x%02x] = 0x%02x is no inverse (shift-and-add)", a,
				 dmae__gf_inv[a]);
		assert_int_equal(dmae__gf_inv[dmae__gf_inv[a]], a);
	}
	/* exi[x] = inv({02}^x + 1): what RAID6 two-data recovery divides by. */
	for (unsigned int x = 0; x < 256; x++) {
		u8 d = (u8)(dmae__gf_exp[x] ^ 1);

		if (dmae__gf_exi[x] != dmae__gf_inv[d])
			fail_msg("gf_exi[%u] = 0x%02x, expected inv(0x%02x) = 0x%02x", x,
				 dmae__gf_exi[x], d, dmae__gf_inv[d]);
		if (d && gf_mul_slow(dmae__gf_exi[x], d) != 1)
			fail_msg("gf_exi[%u] * ({02}^%u + 1) != 1", x, x);
	}
}

/* ------------------------------------------------------------ XOR */

/* One XOR of @n random sources over @len bytes, fast kernel against the reference. */
static void xor_one(unsigned int n, size_t len, bool alias)
{
	struct srcs *s = srcs_new(n, len);
	struct dbuf d;
	u8 *exp = malloc(len);
	char what[160];

	assert_non_null(exp);
	if (alias) {
		/* dest is src[0] (as the kernel's async_xor passes it), with guards around it. */
		dbuf_new(&d, len, s->off[0]);
		memcpy(d.p, s->v[0], len);
		s->v[0] = d.p;
	} else {
		dbuf_new(&d, len, (size_t)rnd_range(0, 63));
		fill_rand(d.p, len);
	}
	srcs_seal(s);
	snprintf(what, sizeof(what), "xor n=%u len=%zu dst+%zu src0+%zu%s", n, len,
		 d.before - GUARD, s->off[0], alias ? " dst=src0" : "");
	dmae__raid_ref_xor(exp, s->v, n, len);
	/* The reference itself, against a loop written here (on the first 64 KiB). */
	for (size_t b = 0; b < len && b < 65536; b++) {
		u8 x = 0;

		for (unsigned int i = 0; i < n; i++)
			x ^= ((const u8 *)s->v[i])[b];
		if (exp[b] != x)
			fail_msg("%s: the reference gives 0x%02x at byte %zu, expected 0x%02x", what,
				 exp[b], b, x);
	}
	dmae__raid_xor(d.p, s->v, n, len);
	expect_bytes(d.p, exp, len, "dest", what);
	expect_guards(&d, "dest", what);
	srcs_check(s, alias ? 1 : 0, what);
	dbuf_free(&d);
	free(exp);
	srcs_free(s);
}

static const size_t edge_lens[] = {
	1,     2,     3,     7,     8,     15,    16,    17,    31,    32,     33,     63,
	64,    65,    95,    96,    97,    127,   128,   129,   255,   256,    257,    511,
	512,   513,   1023,  1024,  1025,  4095,  4096,  4097,  65535, 65536,  65537,  131072 + 32,
	262143, 262144,
};
#define N_EDGE_LENS (sizeof(edge_lens) / sizeof(edge_lens[0]))

static const unsigned int edge_ns[] = { 1,  2,  3,  4,   5,   6,   7,   8,   9,   15,  16,
					17, 31, 32, 33,  63,  64,  65,  127, 128, 253, 254,
					255, 256 };
#define N_EDGE_NS (sizeof(edge_ns) / sizeof(edge_ns[0]))

static void test_xor(void **state)
{
	const size_t budget = (8u << 20) / RAID_SLOW;
	const int iters = 400 / RAID_SLOW;

	rng_init(2);
	/* Every edge length, with random counts and alignments; with and without aliasing. */
	for (size_t k = 0; k < N_EDGE_LENS; k++)
		for (int alias = 0; alias < 2; alias++) {
			unsigned int n = rand_n(DMAE_RAID_MAX_SRCS);

			xor_one(n, cap_len(edge_lens[k], n, budget), alias);
		}
	/* Every edge count. */
	for (size_t k = 0; k < N_EDGE_NS; k++)
		xor_one(edge_ns[k], cap_len(rand_len(), edge_ns[k], budget), rnd() % 4 == 0);
	/* Random cases. */
	for (int it = 0; it < iters; it++) {
		unsigned int n = rand_n(DMAE_RAID_MAX_SRCS);

		xor_one(n, cap_len(rand_len(), n, budget), rnd() % 4 == 0);
	}
}

/* ------------------------------------------------------------ P+Q */

static const char *pq_flags_name(unsigned int flags)
{
	static const char *const names[] = { "-", "NO_P", "NO_Q", "NO_P|NO_Q", "ACCUM",
					     "ACCUM|NO_P", "ACCUM|NO_Q", "ACCUM|NO_P|NO_Q" };

	return names[flags & 7];
}

/* One P+Q of @n random sources over @len bytes with @flags, fast against reference. */
static void pq_one(unsigned int n, size_t len, unsigned int flags, bool std)
{
	struct srcs *s = srcs_new(n, len);
	u8 scf[DMAE_RAID_MAX_SRCS];
	struct dbuf P, Q;
	u8 *oldp, *oldq, *ep, *eq;
	void *pp, *qq;
	char what[192];

	dbuf_new(&P, len, (size_t)rnd_range(0, 63));
	dbuf_new(&Q, len, (size_t)rnd_range(0, 63));
	fill_rand(P.p, len);
	fill_rand(Q.p, len);
	oldp = dup_mem(P.p, len);
	oldq = dup_mem(Q.p, len);
	ep = dup_mem(P.p, len);
	eq = dup_mem(Q.p, len);
	make_scf(scf, n, std);
	srcs_seal(s);
	snprintf(what, sizeof(what), "pq n=%u len=%zu flags=%s %s coefficients P+%zu Q+%zu src0+%zu",
		 n, len, pq_flags_name(flags), std ? "standard" : "random", P.before - GUARD,
		 Q.before - GUARD, s->off[0]);

	dmae__raid_ref_pq(ep, eq, s->v, scf, n, len, flags);
	/* The reference itself, against shift-and-add (on the first 4 KiB). */
	for (size_t b = 0; b < len && b < 4096; b++) {
		u8 p = flags & DMAE_RAID_ACCUM ? oldp[b] : 0, q = flags & DMAE_RAID_ACCUM ? oldq[b] : 0;

		for (unsigned int i = 0; i < n; i++) {
			u8 v = ((const u8 *)s->v[i])[b];

			p ^= v;
			q ^= gf_mul_slow(scf[i], v);
		}
		if (flags & DMAE_RAID_NO_P)
			p = oldp[b];
		if (flags & DMAE_RAID_NO_Q)
			q = oldq[b];
		if (ep[b] != p || eq[b] != q)
			fail_msg("%s: the reference gives P 0x%02x Q 0x%02x at byte %zu, expected 0x%02x 0x%02x",
				 what, ep[b], eq[b], b, p, q);
	}

	/* With P (Q) disabled its pointer may be NULL; sometimes it is. */
	pp = flags & DMAE_RAID_NO_P && rnd() & 1 ? NULL : P.p;
	qq = flags & DMAE_RAID_NO_Q && rnd() & 1 ? NULL : Q.p;
	dmae__raid_pq(pp, qq, s->v, scf, n, len, flags);
	expect_bytes(P.p, ep, len, flags & DMAE_RAID_NO_P ? "P (disabled)" : "P", what);
	expect_bytes(Q.p, eq, len, flags & DMAE_RAID_NO_Q ? "Q (disabled)" : "Q", what);
	expect_guards(&P, "P", what);
	expect_guards(&Q, "Q", what);
	srcs_check(s, 0, what);

	free(oldp);
	free(oldq);
	free(ep);
	free(eq);
	dbuf_free(&P);
	dbuf_free(&Q);
	srcs_free(s);
}

static const unsigned int pq_flag_sets[] = {
	0,
	DMAE_RAID_NO_P,
	DMAE_RAID_NO_Q,
	DMAE_RAID_ACCUM,
	DMAE_RAID_ACCUM | DMAE_RAID_NO_P,
	DMAE_RAID_ACCUM | DMAE_RAID_NO_Q,
	DMAE_RAID_NO_P | DMAE_RAID_NO_Q, /* nothing to do: nothing may change */
};
#define N_PQ_FLAG_SETS (sizeof(pq_flag_sets) / sizeof(pq_flag_sets[0]))

static void test_pq(void **state)
{
	const size_t budget = (4u << 20) / RAID_SLOW;
	const int iters = 24 / RAID_SLOW;

	rng_init(3);
	/* Edge lengths, standard coefficients, each with a random flag set. */
	for (size_t k = 0; k < N_EDGE_LENS; k++) {
		unsigned int n = rand_n(STD_MAX);
		unsigned int f = pq_flag_sets[rnd() % N_PQ_FLAG_SETS];

		pq_one(n, cap_len(edge_lens[k], n, budget), f, rnd() % 3 != 0);
	}
	/* Edge counts (the standard coefficients stop at 253 sources). */
	for (size_t k = 0; k < N_EDGE_NS; k++) {
		bool std = edge_ns[k] <= STD_MAX && rnd() % 3 != 0;

		pq_one(edge_ns[k], cap_len(rand_len(), edge_ns[k], budget),
		       pq_flag_sets[rnd() % N_PQ_FLAG_SETS], std);
	}
	/* Every flag set with both kinds of coefficients. */
	for (size_t f = 0; f < N_PQ_FLAG_SETS; f++)
		for (int std = 0; std < 2; std++)
			for (int it = 0; it < iters; it++) {
				unsigned int n = rand_n(std ? STD_MAX : DMAE_RAID_MAX_SRCS);

				pq_one(n, cap_len(rand_len(), n, budget), pq_flag_sets[f], std);
			}
}

/* ------------------------------------------------------------ checks */

/* Flip bit @bit of byte @pos in @p. */
static void flip(void *p, size_t pos, unsigned int bit)
{
	((u8 *)p)[pos] ^= (u8)(1u << bit);
}

/* Where to corrupt: the first byte, the last, or anywhere. */
static size_t flip_pos(size_t len, int k)
{
	return k % 3 == 0 ? 0 : k % 3 == 1 ? len - 1 : (size_t)rnd_range(0, len - 1);
}

static void test_xor_zero(void **state)
{
	const size_t budget = (2u << 20) / RAID_SLOW;
	const int iters = 120 / RAID_SLOW;

	rng_init(4);
	for (int it = 0; it < iters; it++) {
		unsigned int n = it < (int)N_EDGE_NS ? edge_ns[it] : rand_n(DMAE_RAID_MAX_SRCS);
		size_t len = cap_len(it % 3 == 0 ? edge_lens[rnd() % N_EDGE_LENS] : rand_len(), n,
				     budget);
		struct srcs *s = srcs_new(n, len);
		char what[128];

		snprintf(what, sizeof(what), "xor_zero n=%u len=%zu src0+%zu", n, len, s->off[0]);
		/* The last source cancels the others. */
		if (n == 1) {
			memset(s->v[0], 0, len);
		} else {
			u8 *x = malloc(len);

			assert_non_null(x);
			dmae__raid_ref_xor(x, s->v, n - 1, len);
			memcpy(s->v[n - 1], x, len);
			free(x);
		}
		srcs_seal(s);
		if (!dmae__raid_xor_zero(s->v, n, len))
			fail_msg("%s: false on sources whose XOR is zero (RAID_SEED=%llu)", what,
				 (unsigned long long)seed);
		for (int k = 0; k < 3; k++) {
			unsigned int j = (unsigned int)rnd_range(0, n - 1), bit = rnd() % 8;
			size_t pos = flip_pos(len, k);

			flip(s->v[j], pos, bit);
			if (dmae__raid_xor_zero(s->v, n, len))
				fail_msg("%s: true with bit %u of byte %zu of source %u flipped (RAID_SEED=%llu)",
					 what, bit, pos, j, (unsigned long long)seed);
			flip(s->v[j], pos, bit);
		}
		assert_true(dmae__raid_xor_zero(s->v, n, len));
		srcs_check(s, 0, what);
		srcs_free(s);
	}
}

static void test_pq_check(void **state)
{
	static const unsigned int sets[] = { 0, DMAE_RAID_NO_P, DMAE_RAID_NO_Q,
					     DMAE_RAID_NO_P | DMAE_RAID_NO_Q };
	const size_t budget = (1u << 20) / RAID_SLOW;
	const int iters = 60 / RAID_SLOW;

	rng_init(5);
	for (int it = 0; it < iters; it++) {
		bool std = it % 2 == 0;
		unsigned int n = rand_n(std ? STD_MAX : DMAE_RAID_MAX_SRCS);
		size_t len = cap_len(it % 3 == 0 ? edge_lens[rnd() % N_EDGE_LENS] : rand_len(), n,
				     budget);
		struct srcs *s = srcs_new(n, len);
		u8 scf[DMAE_RAID_MAX_SRCS];
		struct dbuf P, Q;
		u8 *sp, *sq;
		char what[160];

		make_scf(scf, n, std);
		dbuf_new(&P, len, (size_t)rnd_range(0, 63));
		dbuf_new(&Q, len, (size_t)rnd_range(0, 63));
		dmae__raid_ref_pq(P.p, Q.p, s->v, scf, n, len, 0);
		sp = dup_mem(P.p, len);
		sq = dup_mem(Q.p, len);
		srcs_seal(s);
		for (size_t f = 0; f < sizeof(sets) / sizeof(sets[0]); f++) {
			unsigned int fl = sets[f];
			unsigned int want_p = fl & DMAE_RAID_NO_P ? 0 : 1;
			unsigned int want_q = fl & DMAE_RAID_NO_Q ? 0 : 2;
			const void *pp = fl & DMAE_RAID_NO_P && rnd() & 1 ? NULL : P.p;
			const void *qq = fl & DMAE_RAID_NO_Q && rnd() & 1 ? NULL : Q.p;
			unsigned int got, j, bit;
			size_t pos;

			snprintf(what, sizeof(what), "pq_check n=%u len=%zu flags=%s %s coefficients", n,
				 len, pq_flags_name(fl), std ? "standard" : "random");
			got = dmae__raid_pq_check(pp, qq, s->v, scf, n, len, fl);
			if (got)
				fail_msg("%s: %u on consistent P and Q (RAID_SEED=%llu)", what, got,
					 (unsigned long long)seed);

			pos = flip_pos(len, (int)f);
			bit = rnd() % 8;
			flip(P.p, pos, bit);
			got = dmae__raid_pq_check(pp, qq, s->v, scf, n, len, fl);
			if (got != want_p)
				fail_msg("%s: P flipped at byte %zu: %u, expected %u (RAID_SEED=%llu)", what,
					 pos, got, want_p, (unsigned long long)seed);
			flip(P.p, pos, bit);

			pos = flip_pos(len, (int)f + 1);
			flip(Q.p, pos, bit);
			got = dmae__raid_pq_check(pp, qq, s->v, scf, n, len, fl);
			if (got != want_q)
				fail_msg("%s: Q flipped at byte %zu: %u, expected %u (RAID_SEED=%llu)", what,
					 pos, got, want_q, (unsigned long long)seed);
			flip(Q.p, pos, bit);

			/* A data bit changes P, and Q unless its coefficient is 0. */
			j = (unsigned int)rnd_range(0, n - 1);
			pos = flip_pos(len, (int)f + 2);
			flip(s->v[j], pos, bit);
			got = dmae__raid_pq_check(pp, qq, s->v, scf, n, len, fl);
			if (got != (want_p | (scf[j] ? want_q : 0)))
				fail_msg("%s: source %u (coefficient 0x%02x) flipped at byte %zu: %u, expected %u (RAID_SEED=%llu)",
					 what, j, scf[j], pos, got, want_p | (scf[j] ? want_q : 0),
					 (unsigned long long)seed);
			flip(s->v[j], pos, bit);
		}
		/* The checks only read. */
		expect_bytes(P.p, sp, len, "P", "pq_check");
		expect_bytes(Q.p, sq, len, "Q", "pq_check");
		expect_guards(&P, "P", "pq_check");
		expect_guards(&Q, "Q", "pq_check");
		srcs_check(s, 0, "pq_check");
		free(sp);
		free(sq);
		dbuf_free(&P);
		dbuf_free(&Q);
		srcs_free(s);
	}
}

/* ------------------------------------------------------------ Q by Horner's rule */

/*
 * Q = D0 + {02} D1 + {02}^2 D2 + ... = ((D_{n-1} {02} + D_{n-2}) {02} + ...) {02} + D0,
 * computed here with mul2 only, against the reference and the fast kernel
 * with the standard coefficients (the fast path).
 */
static void horner_one(unsigned int n, size_t len)
{
	struct srcs *s = srcs_new(n, len);
	u8 scf[DMAE_RAID_MAX_SRCS];
	u8 *hp = malloc(len), *hq = malloc(len), *rp = malloc(len), *rq = malloc(len);
	struct dbuf P, Q;
	char what[96];

	assert_true(hp && hq && rp && rq);
	snprintf(what, sizeof(what), "Horner n=%u len=%zu", n, len);
	make_scf(scf, n, true);
	for (size_t b = 0; b < len; b++) {
		u8 p = 0, q = 0;

		for (unsigned int i = n; i-- > 0;) {
			u8 v = ((const u8 *)s->v[i])[b];

			q = (u8)(mul2(q) ^ v);
			p ^= v;
		}
		hp[b] = p;
		hq[b] = q;
	}
	dmae__raid_ref_pq(rp, rq, s->v, scf, n, len, 0);
	expect_bytes(rp, hp, len, "reference P", what);
	expect_bytes(rq, hq, len, "reference Q", what);
	dbuf_new(&P, len, (size_t)rnd_range(0, 63));
	dbuf_new(&Q, len, (size_t)rnd_range(0, 63));
	fill_rand(P.p, len);
	fill_rand(Q.p, len);
	dmae__raid_pq(P.p, Q.p, s->v, scf, n, len, 0);
	expect_bytes(P.p, hp, len, "fast P", what);
	expect_bytes(Q.p, hq, len, "fast Q", what);
	expect_guards(&P, "P", what);
	expect_guards(&Q, "Q", what);
	dbuf_free(&P);
	dbuf_free(&Q);
	free(hp);
	free(hq);
	free(rp);
	free(rq);
	srcs_free(s);
}

static void test_q_horner(void **state)
{
	static const unsigned int ns[] = { 1, 2, 3, 4, 5, 8, 16, 17, 31, 32, 33, 64, 100, 253 };

	rng_init(6);
	/* A hand-checked value: D0 = 1, D1 = 1, D2 = 0x80: Q = 1 ^ 2 ^ {02}^2 * 0x80 = 0x3a ^ 3. */
	{
		u8 d0 = 1, d1 = 1, d2 = 0x80, p, q;
		void *src[3] = { &d0, &d1, &d2 };
		const u8 scf[3] = { 1, 2, 4 };

		dmae__raid_ref_pq(&p, &q, src, scf, 3, 1, 0);
		assert_int_equal(p, 0x80);
		assert_int_equal(q, 0x3a ^ 3);
		p = q = 0;
		dmae__raid_pq(&p, &q, src, scf, 3, 1, 0);
		assert_int_equal(p, 0x80);
		assert_int_equal(q, 0x3a ^ 3);
	}
	for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		horner_one(ns[k], (size_t)rnd_range(1, 300));
		horner_one(ns[k], 4096 + 7);
	}
	horner_one(64, 65536 / RAID_SLOW);
}

int main(void)
{
	const char *env = getenv("RAID_SEED");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gf_exp_log),
		cmocka_unit_test(test_gf_mul),
		cmocka_unit_test(test_gf_inv_exi),
		cmocka_unit_test(test_q_horner),
		cmocka_unit_test(test_xor),
		cmocka_unit_test(test_pq),
		cmocka_unit_test(test_xor_zero),
		cmocka_unit_test(test_pq_check),
	};

	seed = env && *env ? strtoull(env, NULL, 0) : dmae_clock_ns() ^ 0x6a09e667f3bcc909ull;
	if (!seed)
		seed = 1;
	printf("test_raid: seed %llu (RAID_SEED=%llu to reproduce)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
