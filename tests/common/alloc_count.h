/* SPDX-License-Identifier: MIT */
/*
 * alloc_count.h - private to the tests: counts the allocations a test program
 * makes while it measures (malloc, calloc, realloc, aligned_alloc,
 * posix_memalign; the real allocator, or a sanitizer's, still does the work).
 *
 * Only for programs linked with --wrap for those five, which
 * dmae_count_allocations() in tests/CMakeLists.txt adds: alloc_count.c
 * defines the __wrap_ functions, and is pulled out of the static test library
 * only by a program that calls alloc_count_start(), so the others keep the
 * allocator untouched.
 */
#ifndef DMAE_TEST_ALLOC_COUNT_H
#define DMAE_TEST_ALLOC_COUNT_H

/** alloc_count_start - zero the count, then count every allocation. Context: any. */
void alloc_count_start(void);
/** alloc_count_stop - stop counting. @return the allocations since the start. */
unsigned long alloc_count_stop(void);

#endif /* DMAE_TEST_ALLOC_COUNT_H */
