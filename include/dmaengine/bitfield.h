/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/bitfield.h - register fields and arithmetic helpers, as the
 * kernel's linux/bits.h, linux/bitfield.h and the parts of linux/kernel.h
 * drivers use: GENMASK, FIELD_PREP, FIELD_GET, DIV_ROUND_UP, ALIGN, min_t.
 *
 * For drivers and models. All are macros, none is exported.
 */
#ifndef DMAENGINE_BITFIELD_H
#define DMAENGINE_BITFIELD_H

#include <dmaengine/types.h>

#ifndef GENMASK
/* Bits @l..@h set (h >= l), as an unsigned long. */
#define GENMASK(h, l) ((~0UL >> (sizeof(unsigned long) * 8 - 1 - (h))) & (~0UL << (l)))
#endif
#ifndef GENMASK_ULL
#define GENMASK_ULL(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#endif

/* The lowest set bit of a non-zero mask: the field's shift. */
#define DMAE_FIELD_SHIFT(mask) (__builtin_ctzll((unsigned long long)(mask)))
/* @val placed into field @mask. */
#define FIELD_PREP(mask, val) \
	((__typeof__(mask))(((unsigned long long)(val) << DMAE_FIELD_SHIFT(mask)) & (mask)))
/* Field @mask of @reg. */
#define FIELD_GET(mask, reg) \
	((__typeof__(mask))(((reg) & (mask)) >> DMAE_FIELD_SHIFT(mask)))

#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#endif
#ifndef ALIGN
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#endif
#ifndef ALIGN_DOWN
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif
#ifndef min_t
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#endif
#ifndef max_t
#define max_t(type, a, b) ((type)(a) > (type)(b) ? (type)(a) : (type)(b))
#endif

#endif /* DMAENGINE_BITFIELD_H */
