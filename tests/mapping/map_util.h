/* SPDX-License-Identifier: MIT */
/*
 * map_util.h - helpers shared by the mapping tests (include after cmocka.h).
 */
#ifndef DMAE_TESTS_MAP_UTIL_H
#define DMAE_TESTS_MAP_UTIL_H

#include <sys/mman.h>

#include <dmaengine/dma-mapping.h>

/* A buffer surely above 4 GiB (what a 32-bit device cannot reach): an
 * anonymous mapping high in the address space. Free with munmap(). */
static inline u8 *map_test_high_buf(size_t len)
{
	u8 *p = mmap((void *)0x600000000000ull, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_true((uintptr_t)p > DMA_BIT_MASK(32));
	return p;
}

/* A pattern that differs for every @seed and along the buffer. */
static inline void map_test_fill(u8 *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(seed * 31 + i * 7 + (i >> 8));
}

#endif /* DMAE_TESTS_MAP_UTIL_H */
