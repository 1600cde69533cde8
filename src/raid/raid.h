/* SPDX-License-Identifier: MIT */
/*
 * raid/raid.h - XOR and RAID6 P+Q kernels on host memory, shared by the cpu
 * provider's workers and async_tx's synchronous path, and the GF(2^8)
 * arithmetic of RAID6 (polynomial 0x11d, generator {02}).
 *
 * The fast kernels use ISA-L (xor_gen, pq_gen, ec_encode_data; it picks its
 * instruction set at run time) where its constraints hold and portable C
 * elsewhere; the dmae__raid_ref_* functions are a plain C reference that the
 * tests use to cross-check them. Buffers may have any alignment and length.
 * A destination may be the same buffer as a source (the kernel's async_xor
 * passes dest as src[0]); it must not partly overlap one.
 *
 * Context: any (no allocation, no lock, no sleep; up to ~24 KiB of stack).
 */
#ifndef DMAE_RAID_H
#define DMAE_RAID_H

#include <dmaengine/types.h>

/* Sources one call takes at most (a RAID6 stripe has at most 253 data blocks). */
#define DMAE_RAID_MAX_SRCS 256

/* GF(2^8) tables: exp[i] = {02}^i (i < 255, exp[255] = exp[0]), log[exp[i]] = i
 * (log[0] unused), inv[a] * a = 1 (inv[0] = 0), exi[x] = inv(exp[x] ^ 1). */
extern const u8 dmae__gf_exp[256];
extern const u8 dmae__gf_log[256];
extern const u8 dmae__gf_inv[256];
extern const u8 dmae__gf_exi[256];

static inline u8 dmae__gf_mul(u8 a, u8 b)
{
	unsigned int l;

	if (!a || !b)
		return 0;
	l = (unsigned int)dmae__gf_log[a] + dmae__gf_log[b];
	return dmae__gf_exp[l >= 255 ? l - 255 : l];
}

/* Flags of dmae__raid_pq / dmae__raid_pq_check. */
#define DMAE_RAID_NO_P 0x1  /* leave P alone (p may be NULL) */
#define DMAE_RAID_NO_Q 0x2  /* leave Q alone (q may be NULL) */
#define DMAE_RAID_ACCUM 0x4 /* P ^= new P, Q ^= new Q (continue a computation) */

/** @dst = @src[0] ^ ... ^ @src[n-1] over @len bytes; n >= 1. */
void dmae__raid_xor(void *dst, void *const *src, unsigned int n, size_t len);

/** true when @src[0] ^ ... ^ @src[n-1] is zero over @len bytes. */
bool dmae__raid_xor_zero(void *const *src, unsigned int n, size_t len);

/**
 * dmae__raid_pq - P = XOR of the sources, Q = sum over i of scf[i] * src[i]
 * in GF(2^8), over @len bytes; @flags as above. n >= 1.
 */
void dmae__raid_pq(void *p, void *q, void *const *src, const u8 *scf, unsigned int n,
		   size_t len, unsigned int flags);

/**
 * dmae__raid_pq_check - compare @p and @q with the P and Q of the sources.
 * @return 0 when they hold, else bit 0 (P differs) and/or bit 1 (Q differs):
 * the values of SUM_CHECK_P_RESULT / SUM_CHECK_Q_RESULT. DMAE_RAID_NO_P /
 * NO_Q skip a check.
 */
unsigned int dmae__raid_pq_check(const void *p, const void *q, void *const *src, const u8 *scf,
				 unsigned int n, size_t len, unsigned int flags);

/* The plain C reference: same contracts, byte at a time. */
void dmae__raid_ref_xor(void *dst, void *const *src, unsigned int n, size_t len);
void dmae__raid_ref_pq(void *p, void *q, void *const *src, const u8 *scf, unsigned int n,
		       size_t len, unsigned int flags);

#endif /* DMAE_RAID_H */
