/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/types.h - the kernel's basic types (u8..u64, dma_addr_t, ...).
 *
 * For applications and providers alike.
 */
#ifndef DMAENGINE_TYPES_H
#define DMAENGINE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/** A bus address as seen by one device (identity to host addresses without an IOMMU). */
typedef uint64_t dma_addr_t;
/** A CPU physical address; in user space, the host virtual address. */
typedef uint64_t phys_addr_t;
typedef unsigned int gfp_t;

#define GFP_KERNEL 0x0cc0u
#define GFP_NOWAIT 0x0800u
#define GFP_ATOMIC 0x0820u

#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif
#ifndef BIT_ULL
#define BIT_ULL(nr) (1ULL << (nr))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

#if defined(__GNUC__)
#define DMAE_EXPORT __attribute__((visibility("default")))
#else
#define DMAE_EXPORT
#endif

#ifdef __cplusplus
#define DMAE_BEGIN_DECLS extern "C" {
#define DMAE_END_DECLS }
#else
#define DMAE_BEGIN_DECLS
#define DMAE_END_DECLS
#endif

#endif /* DMAENGINE_TYPES_H */
