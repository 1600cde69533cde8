// SPDX-License-Identifier: MIT
/*
 * alloc_count.c - the allocation counter of alloc_count.h: the --wrap
 * definitions of the allocator's entry points, counting while switched on.
 */
#include <stddef.h>

#include "common/alloc_count.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **p, size_t align, size_t size);

static int counting;	     /* atomic */
static unsigned long allocs; /* atomic: allocations while counting */

static void count(void)
{
	if (__atomic_load_n(&counting, __ATOMIC_RELAXED))
		__atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
}

void *__wrap_malloc(size_t size);
void *__wrap_malloc(size_t size)
{
	count();
	return __real_malloc(size);
}
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size)
{
	count();
	return __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size)
{
	count();
	return __real_realloc(p, size);
}
void *__wrap_aligned_alloc(size_t align, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size)
{
	count();
	return __real_aligned_alloc(align, size);
}
int __wrap_posix_memalign(void **p, size_t align, size_t size);
int __wrap_posix_memalign(void **p, size_t align, size_t size)
{
	count();
	return __real_posix_memalign(p, align, size);
}

/* The count is zeroed before counting is switched on. The library's threads
 * see the switch through their own synchronisation with the test (a submit,
 * a lock, a callback), so relaxed accesses to the count suffice. */
void alloc_count_start(void)
{
	__atomic_store_n(&allocs, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&counting, 1, __ATOMIC_SEQ_CST);
}

unsigned long alloc_count_stop(void)
{
	__atomic_store_n(&counting, 0, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&allocs, __ATOMIC_RELAXED);
}
