/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/err.h - error pointers, as in the kernel: a pointer in the last
 * page of the address space carries a negative errno.
 *
 * For applications and providers alike.
 */
#ifndef DMAENGINE_ERR_H
#define DMAENGINE_ERR_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

/* Kernel-internal errnos that user space does not define. */
#ifndef ENOTSUPP
#define ENOTSUPP 524 /* operation is not supported */
#endif
#ifndef EPROBE_DEFER
#define EPROBE_DEFER 517 /* driver requests probe retry */
#endif

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) ((uintptr_t)(void *)(x) >= (uintptr_t)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)(intptr_t)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)(intptr_t)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((uintptr_t)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE((uintptr_t)ptr);
}

static inline void *ERR_CAST(const void *ptr)
{
	return (void *)(uintptr_t)ptr;
}

static inline int PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

#endif /* DMAENGINE_ERR_H */
