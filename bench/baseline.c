// SPDX-License-Identifier: MIT
/*
 * baseline.c - the ceiling: plain memcpy on the client thread, and the copy
 * buffers every system of the benchmark works on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/*
 * Source and destination of @bytes each, page aligned and touched: the
 * source holds a pattern (so that a copy that moved nothing shows), the
 * destination zeros.
 */
int copy_bufs_alloc(struct bench_bufs *b, size_t bytes)
{
	size_t words = bytes / sizeof(u64);

	b->src = aligned_alloc(4096, bytes);
	b->dst = aligned_alloc(4096, bytes);
	if (!b->src || !b->dst) {
		copy_bufs_free(b);
		return -1;
	}
	for (size_t i = 0; i < words; i++)
		((u64 *)b->src)[i] = (i + 1) * 0x9e3779b97f4a7c15ull;
	memset(b->dst, 0, bytes);
	b->bytes = bytes;
	return 0;
}

void copy_bufs_free(struct bench_bufs *b)
{
	free(b->src);
	free(b->dst);
	b->src = b->dst = NULL;
	b->bytes = 0;
}

/* Does dst hold src's bytes in [off, off + len)? Says which system failed when not. */
int copy_bufs_check(const struct bench_bufs *b, size_t off, size_t len, const char *who)
{
	if (!memcmp(b->dst + off, b->src + off, len))
		return 0;
	fprintf(stderr, "dmabench: %s: a copy of %zu B left the wrong bytes\n", who, len);
	return -1;
}

/*
 * memcpy_run - copy [@from, @from + @len) of the ring from src to dst, in
 * pieces of @piece bytes, over and over for --ms. @t->ops counts pieces.
 * The clock is read about every 256 KiB so that its cost stays out of the
 * small copies and a big one is not overrun by much.
 */
void memcpy_run(const struct bench_opts *o, struct bench_bufs *b, size_t from, size_t len,
		size_t piece, struct bench_tput *t)
{
	size_t pieces = len / piece ? len / piece : 1;
	unsigned int per_check = (unsigned int)(piece < (256u << 10) ? (256u << 10) / piece : 1);
	u64 start = dmae_clock_ns(), end = start + (u64)o->ms * 1000000ull, now, ops = 0;

	do {
		for (unsigned int i = 0; i < per_check; i++, ops++) {
			size_t off = from + (ops % pieces) * piece;

			memcpy(b->dst + off, b->src + off, piece);
			__asm__ __volatile__("" ::: "memory");
		}
		now = dmae_clock_ns();
	} while (now < end);
	t->ops = ops;
	t->ns = now - start;
}
