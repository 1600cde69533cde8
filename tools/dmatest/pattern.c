// SPDX-License-Identifier: MIT
/*
 * pattern.c - the kernel dmatest's buffer patterns and their verification.
 *
 * Every source byte has bit 7 set (PATTERN_SRC), every destination byte has
 * it clear (PATTERN_DST). Inside the region to transfer, source bytes also
 * have bit 6 (PATTERN_COPY) and destination bytes bit 5 (PATTERN_OVERWRITE).
 * The low five bits are the inverse of the byte's index (of 1 for memset,
 * whose destination gets one value). After a transfer the destination region
 * must hold the source region's bytes, and everything else its old pattern:
 * a byte written outside the region shows bit 7 where it must be clear.
 * Buffer lists are NULL-terminated, as in the kernel.
 */
#include <string.h>

#include "dmatest.h"

#define PATTERN_COUNT_MASK 0x1f /* the index bits */
#define PATTERN_MEMSET_IDX 0x01 /* the index of every memset byte */
#define MAX_ERROR_COUNT 32	/* mismatches printed per region */

/* The low bits of byte @index: its index inverted. */
static inline u8 gen_inv_idx(unsigned int index, bool is_memset)
{
	u8 val = is_memset ? PATTERN_MEMSET_IDX : (u8)index;

	return (u8)(~val & PATTERN_COUNT_MASK);
}

#define PATTERN_PERIOD 32 /* the index bits repeat every 32 bytes */

/*
 * Bytes [@from, @to) of @buf: @pattern with each one's index bits. One
 * period is written byte by byte, the rest copied from what is already
 * written, doubling (few library calls: cheap under sanitizers too).
 */
static void fill_range(u8 *buf, unsigned int from, unsigned int to, u8 pattern,
		       bool is_memset)
{
	unsigned int len = to - from, n, i;
	u8 *p = buf + from;

	if (from >= to)
		return;
	if (is_memset) {
		memset(p, pattern | gen_inv_idx(0, true), len);
		return;
	}
	n = len < PATTERN_PERIOD ? len : PATTERN_PERIOD;
	for (i = 0; i < n; i++)
		p[i] = pattern | gen_inv_idx(from + i, false);
	for (; n < len; n *= 2)
		memcpy(p + n, p, len - n < n ? len - n : n);
}

/*
 * Whether bytes [@start, @end) of @buf hold @pattern with the index bits of
 * @counter onwards: the first period compared byte by byte, then each next
 * stretch against the stretch before it, doubling. Exact: a stretch equal to
 * a verified one of the same phase is right.
 */
static bool range_ok(const u8 *buf, unsigned int start, unsigned int end, unsigned int counter,
		     u8 pattern, bool is_memset)
{
	unsigned int len = end - start, n, i;
	const u8 *p = buf + start;

	if (start >= end)
		return true;
	n = len < PATTERN_PERIOD ? len : PATTERN_PERIOD;
	for (i = 0; i < n; i++)
		if (p[i] != (pattern | gen_inv_idx(counter + i, is_memset)))
			return false;
	for (; n < len; n *= 2)
		if (memcmp(p + n, p, len - n < n ? len - n : n))
			return false;
	return true;
}

/**
 * dmatest_init_srcs - fill every source buffer: PATTERN_SRC, plus
 * PATTERN_COPY over [@start, @start + @len).
 */
void dmatest_init_srcs(u8 **bufs, unsigned int start, unsigned int len,
		       unsigned int buf_size, bool is_memset)
{
	for (; *bufs; bufs++) {
		fill_range(*bufs, 0, start, PATTERN_SRC, is_memset);
		fill_range(*bufs, start, start + len, PATTERN_SRC | PATTERN_COPY, is_memset);
		fill_range(*bufs, start + len, buf_size, PATTERN_SRC, is_memset);
	}
}

/**
 * dmatest_init_dsts - fill every destination buffer: PATTERN_DST, plus
 * PATTERN_OVERWRITE over [@start, @start + @len).
 */
void dmatest_init_dsts(u8 **bufs, unsigned int start, unsigned int len,
		       unsigned int buf_size, bool is_memset)
{
	for (; *bufs; bufs++) {
		fill_range(*bufs, 0, start, PATTERN_DST, is_memset);
		fill_range(*bufs, start, start + len, PATTERN_DST | PATTERN_OVERWRITE, is_memset);
		fill_range(*bufs, start + len, buf_size, PATTERN_DST, is_memset);
	}
}

/*
 * One wrong byte, named as the kernel names it: a source byte changed; a
 * destination byte of the region that did not get its source byte; one
 * outside the region that got a source byte; anything else.
 */
static void dmatest_mismatch(const char *name, u8 actual, u8 pattern, unsigned int index,
			     unsigned int counter, bool is_srcbuf, bool is_memset)
{
	u8 diff = actual ^ pattern;
	u8 expected = pattern | gen_inv_idx(counter, is_memset);

	if (is_srcbuf)
		dmatest_pr("%s: srcbuf[0x%x] overwritten! Expected %02x, got %02x", name, index,
			   expected, actual);
	else if ((pattern & PATTERN_COPY) && (diff & (PATTERN_COPY | PATTERN_OVERWRITE)))
		dmatest_pr("%s: dstbuf[0x%x] not copied! Expected %02x, got %02x", name, index,
			   expected, actual);
	else if (diff & PATTERN_SRC)
		dmatest_pr("%s: dstbuf[0x%x] was copied! Expected %02x, got %02x", name, index,
			   expected, actual);
	else
		dmatest_pr("%s: dstbuf[0x%x] mismatch! Expected %02x, got %02x", name, index,
			   expected, actual);
}

/**
 * dmatest_verify - check bytes [@start, @end) of every buffer of @bufs
 * against @pattern, the first byte's index bits being those of @counter.
 * Prints the first MAX_ERROR_COUNT mismatches of the region (all buffers
 * together), then how many more there were.
 * @return the number of wrong bytes.
 */
unsigned int dmatest_verify(const char *name, u8 **bufs, unsigned int start, unsigned int end,
			    unsigned int counter, u8 pattern, bool is_srcbuf, bool is_memset)
{
	unsigned int error_count = 0;
	unsigned int i, c;

	for (; *bufs; bufs++) {
		const u8 *buf = *bufs;

		if (range_ok(buf, start, end, counter, pattern, is_memset))
			continue;
		for (i = start, c = counter; i < end; i++, c++) {
			u8 actual = buf[i];

			if (actual == (pattern | gen_inv_idx(c, is_memset)))
				continue;
			if (error_count < MAX_ERROR_COUNT)
				dmatest_mismatch(name, actual, pattern, i, c, is_srcbuf,
						 is_memset);
			error_count++;
		}
	}
	if (error_count > MAX_ERROR_COUNT)
		dmatest_pr("%s: %u errors suppressed", name, error_count - MAX_ERROR_COUNT);
	return error_count;
}
