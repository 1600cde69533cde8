// SPDX-License-Identifier: MIT
/*
 * raid.c - XOR and RAID6 P+Q over host memory.
 *
 * The bulk goes to ISA-L: xor_gen and pq_gen need 32-byte aligned pointers
 * (and whole 32-byte blocks), so a head and a tail may run in C around them;
 * any coefficients go through ec_encode_data with a two-row matrix {1...1,
 * scf}. Work that must not write the destination directly (accumulating,
 * checking, a destination that is also a source) runs in pieces through a
 * scratch buffer on the stack.
 */
#include <string.h>

#include <isa-l/erasure_code.h>
#include <isa-l/raid.h>

#include "raid/raid.h"

#define RAID_PIECE 4096	   /* bytes per scratch piece */
#define RAID_C_BLOCK 512   /* bytes per block of the C XOR loop */
#define ISAL_ALIGN 32	   /* what xor_gen and pq_gen want */

/* ------------------------------------------------------------ reference */

void dmae__raid_ref_xor(void *dst, void *const *src, unsigned int n, size_t len)
{
	for (size_t j = 0; j < len; j++) {
		u8 b = 0;

		for (unsigned int i = 0; i < n; i++)
			b ^= ((const u8 *)src[i])[j];
		((u8 *)dst)[j] = b;
	}
}

void dmae__raid_ref_pq(void *p, void *q, void *const *src, const u8 *scf, unsigned int n,
		       size_t len, unsigned int flags)
{
	for (size_t j = 0; j < len; j++) {
		u8 pp = 0, qq = 0;

		for (unsigned int i = 0; i < n; i++) {
			u8 b = ((const u8 *)src[i])[j];

			pp ^= b;
			qq ^= dmae__gf_mul(scf[i], b);
		}
		if (!(flags & DMAE_RAID_NO_P))
			((u8 *)p)[j] = (flags & DMAE_RAID_ACCUM) ? ((u8 *)p)[j] ^ pp : pp;
		if (!(flags & DMAE_RAID_NO_Q))
			((u8 *)q)[j] = (flags & DMAE_RAID_ACCUM) ? ((u8 *)q)[j] ^ qq : qq;
	}
}

/* ------------------------------------------------------------- helpers */

static u8 *at(const void *p, size_t off)
{
	return (u8 *)p + off;
}

/* Does [a, a+len) share a byte with [b, b+len)? */
static bool overlaps(const void *a, const void *b, size_t len)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	return x < y + len && y < x + len;
}

/* Portable XOR of @n sources into @dst, a block at a time (dst may be src[0]). */
static void xor_c(void *dst, void *const *src, unsigned int n, size_t off, size_t len)
{
	u64 acc[RAID_C_BLOCK / 8];

	while (len) {
		size_t b = len < RAID_C_BLOCK ? len : RAID_C_BLOCK;
		size_t words = b / 8;

		memcpy(acc, at(src[0], off), b);
		for (unsigned int i = 1; i < n; i++) {
			const u8 *s = at(src[i], off);
			size_t k;

			for (k = 0; k < words; k++) {
				u64 w;

				memcpy(&w, s + 8 * k, 8);
				acc[k] ^= w;
			}
			for (k = 8 * words; k < b; k++)
				((u8 *)acc)[k] ^= s[k];
		}
		memcpy(at(dst, off), acc, b);
		off += b;
		len -= b;
	}
}

/* The misalignment (mod 32) shared by all pointers, or -1 when they differ. */
static int common_misalign(void *const *ptrs, unsigned int n)
{
	unsigned int m = (uintptr_t)ptrs[0] % ISAL_ALIGN;

	for (unsigned int i = 1; i < n; i++)
		if ((uintptr_t)ptrs[i] % ISAL_ALIGN != m)
			return -1;
	return (int)m;
}

/* ----------------------------------------------------------------- XOR */

/* ISA-L takes int lengths: longer buffers go in slices of this many bytes. */
#define RAID_SLICE ((size_t)1 << 30)

static void xor_slice(void *dst, void *const *src, unsigned int n, size_t len)
{
	void *v[DMAE_RAID_MAX_SRCS + 1];
	size_t head, body;
	int m;

	if (!len)
		return;
	if (n == 1) {
		if (dst != src[0])
			memmove(dst, src[0], len);
		return;
	}
	memcpy(v, src, n * sizeof(*v));
	v[n] = dst;
	m = common_misalign(v, n + 1);
	if (m < 0) {
		xor_c(dst, src, n, 0, len);
		return;
	}
	head = (ISAL_ALIGN - (size_t)m) % ISAL_ALIGN;
	if (head > len)
		head = len;
	body = (len - head) & ~(size_t)(ISAL_ALIGN - 1);
	if (head)
		xor_c(dst, src, n, 0, head);
	if (body) {
		for (unsigned int i = 0; i <= n; i++)
			v[i] = at(v[i], head);
		if (xor_gen((int)n + 1, (int)body, v))
			xor_c(dst, src, n, head, body);
	}
	if (head + body < len)
		xor_c(dst, src, n, head + body, len - head - body);
}

void dmae__raid_xor(void *dst, void *const *src, unsigned int n, size_t len)
{
	void *s[DMAE_RAID_MAX_SRCS];

	if (len <= RAID_SLICE) {
		xor_slice(dst, src, n, len);
		return;
	}
	for (size_t off = 0; off < len; off += RAID_SLICE) {
		for (unsigned int i = 0; i < n; i++)
			s[i] = at(src[i], off);
		xor_slice(at(dst, off), s, n, len - off < RAID_SLICE ? len - off : RAID_SLICE);
	}
}

bool dmae__raid_xor_zero(void *const *src, unsigned int n, size_t len)
{
	u64 t[RAID_PIECE / 8] __attribute__((aligned(64)));
	void *s[DMAE_RAID_MAX_SRCS];

	for (size_t off = 0; off < len; off += RAID_PIECE) {
		size_t b = len - off < RAID_PIECE ? len - off : RAID_PIECE;

		for (unsigned int i = 0; i < n; i++)
			s[i] = at(src[i], off);
		dmae__raid_xor(t, s, n, b);
		for (size_t k = 0; k < b / 8; k++)
			if (t[k])
				return false;
		for (size_t k = b / 8 * 8; k < b; k++)
			if (((u8 *)t)[k])
				return false;
	}
	return true;
}

/* ---------------------------------------------------------------- P + Q */

/* Are the coefficients {02}^0, {02}^1, ... (what pq_gen computes)? */
static bool standard_scf(const u8 *scf, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (scf[i] != dmae__gf_exp[i])
			return false;
	return true;
}

/*
 * P and/or Q of @n sources straight into @p/@q (neither overlaps a source),
 * over [off, off+len) of every buffer. @tbls holds ec_init_tables() of the
 * rows wanted, P's first.
 */
static void pq_direct(void *p, void *q, void *const *src, unsigned int n, size_t off, size_t len,
		      unsigned int flags, u8 *tbls, bool std)
{
	void *v[DMAE_RAID_MAX_SRCS + 2];
	u8 *out[2];
	int rows = 0;

	for (unsigned int i = 0; i < n; i++)
		v[i] = at(src[i], off);
	if (!(flags & DMAE_RAID_NO_P))
		out[rows++] = at(p, off);
	if (!(flags & DMAE_RAID_NO_Q))
		out[rows++] = at(q, off);

	/* pq_gen: the usual syndrome, every pointer aligned, whole blocks. */
	if (std && rows == 2 && n >= 2) {
		size_t body = len & ~(size_t)(ISAL_ALIGN - 1);

		v[n] = out[0];
		v[n + 1] = out[1];
		if (body && common_misalign(v, n + 2) == 0 && !pq_gen((int)n + 2, (int)body, v)) {
			if (body == len)
				return;
			for (unsigned int i = 0; i < n; i++)
				v[i] = at(v[i], body);
			out[0] += body;
			out[1] += body;
			len -= body;
		}
	}
	ec_encode_data((int)len, (int)n, rows, tbls, (u8 **)v, out);
}

/* The ec_init_tables() of the rows @flags asks for. */
static void pq_tables(u8 *tbls, const u8 *scf, unsigned int n, unsigned int flags)
{
	u8 a[2 * DMAE_RAID_MAX_SRCS];
	int rows = 0;

	if (!(flags & DMAE_RAID_NO_P))
		memset(&a[n * rows++], 1, n);
	if (!(flags & DMAE_RAID_NO_Q))
		memcpy(&a[n * rows++], scf, n);
	ec_init_tables((int)n, rows, a, tbls);
}

static void pq_slice(void *p, void *q, void *const *src, const u8 *scf, unsigned int n,
		     size_t len, unsigned int flags)
{
	u8 tbls[2 * 32 * DMAE_RAID_MAX_SRCS];
	u8 tp[RAID_PIECE] __attribute__((aligned(64)));
	u8 tq[RAID_PIECE] __attribute__((aligned(64)));
	unsigned int gen = flags & (DMAE_RAID_NO_P | DMAE_RAID_NO_Q);
	bool want_p = !(flags & DMAE_RAID_NO_P), want_q = !(flags & DMAE_RAID_NO_Q);
	bool std = standard_scf(scf, n), alias = false;

	if (!len || (!want_p && !want_q))
		return;
	for (unsigned int i = 0; i < n && !alias; i++)
		alias = (want_p && overlaps(src[i], p, len)) || (want_q && overlaps(src[i], q, len));
	if (!(flags & DMAE_RAID_ACCUM) && !alias && std && want_p && want_q && n >= 2 &&
	    len % ISAL_ALIGN == 0) {
		/* The common case straight to pq_gen, without building tables. */
		void *v[DMAE_RAID_MAX_SRCS + 2];

		memcpy(v, src, n * sizeof(*v));
		v[n] = p;
		v[n + 1] = q;
		if (common_misalign(v, n + 2) == 0 && !pq_gen((int)n + 2, (int)len, v))
			return;
	}
	pq_tables(tbls, scf, n, gen);
	if (!(flags & DMAE_RAID_ACCUM) && !alias) {
		pq_direct(p, q, src, n, 0, len, gen, tbls, std);
		return;
	}
	for (size_t off = 0; off < len; off += RAID_PIECE) {
		size_t b = len - off < RAID_PIECE ? len - off : RAID_PIECE;
		void *s[DMAE_RAID_MAX_SRCS];
		void *t[2] = { tp, tq };

		for (unsigned int i = 0; i < n; i++)
			s[i] = at(src[i], off);
		pq_direct(tp, tq, s, n, 0, b, gen, tbls, std);
		for (int k = 0; k < 2; k++) {
			u8 *d;

			if (k ? !want_q : !want_p)
				continue;
			d = at(k ? q : p, off);
			if (flags & DMAE_RAID_ACCUM) {
				void *x[2] = { d, t[k] };

				dmae__raid_xor(d, x, 2, b);
			} else {
				memcpy(d, t[k], b);
			}
		}
	}
}

void dmae__raid_pq(void *p, void *q, void *const *src, const u8 *scf, unsigned int n,
		   size_t len, unsigned int flags)
{
	void *s[DMAE_RAID_MAX_SRCS];

	if (len <= RAID_SLICE) {
		pq_slice(p, q, src, scf, n, len, flags);
		return;
	}
	for (size_t off = 0; off < len; off += RAID_SLICE) {
		for (unsigned int i = 0; i < n; i++)
			s[i] = at(src[i], off);
		/* A disabled destination may be NULL: leave it so. */
		pq_slice(p ? at(p, off) : NULL, q ? at(q, off) : NULL, s, scf, n,
			 len - off < RAID_SLICE ? len - off : RAID_SLICE, flags);
	}
}

unsigned int dmae__raid_pq_check(const void *p, const void *q, void *const *src, const u8 *scf,
				 unsigned int n, size_t len, unsigned int flags)
{
	u8 tbls[2 * 32 * DMAE_RAID_MAX_SRCS];
	u8 tp[RAID_PIECE] __attribute__((aligned(64)));
	u8 tq[RAID_PIECE] __attribute__((aligned(64)));
	unsigned int gen = flags & (DMAE_RAID_NO_P | DMAE_RAID_NO_Q);
	unsigned int want = (gen & DMAE_RAID_NO_P ? 0 : 1) | (gen & DMAE_RAID_NO_Q ? 0 : 2);
	unsigned int res = 0;
	bool std = standard_scf(scf, n);

	if (!want)
		return 0;
	pq_tables(tbls, scf, n, gen);
	for (size_t off = 0; off < len && res != want; off += RAID_PIECE) {
		size_t b = len - off < RAID_PIECE ? len - off : RAID_PIECE;
		void *s[DMAE_RAID_MAX_SRCS];

		for (unsigned int i = 0; i < n; i++)
			s[i] = at(src[i], off);
		pq_direct(tp, tq, s, n, 0, b, gen, tbls, std);
		if ((want & 1) && memcmp(tp, at(p, off), b))
			res |= 1;
		if ((want & 2) && memcmp(tq, at(q, off), b))
			res |= 2;
	}
	return res;
}
