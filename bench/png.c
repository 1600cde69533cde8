// SPDX-License-Identifier: MIT
/*
 * png.c - a truecolour PNG file from an RGB raster: the signature, IHDR, one
 * IDAT compressed by zlib (every row with filter type 0), IEND. Without zlib
 * at build time (DMABENCH_HAVE_ZLIB undefined) it says so and writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifdef DMABENCH_HAVE_ZLIB
#include <zlib.h>

static void put_be32(unsigned char *p, u32 v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC of type and data. */
static int put_chunk(FILE *f, const char *type, const unsigned char *data, u32 len)
{
	unsigned char head[8], crc[4];
	uLong c = crc32(0, (const Bytef *)type, 4);

	put_be32(head, len);
	memcpy(head + 4, type, 4);
	if (len)
		c = crc32(c, data, len);
	put_be32(crc, (u32)c);
	if (fwrite(head, 1, 8, f) != 8 || (len && fwrite(data, 1, len, f) != len) ||
	    fwrite(crc, 1, 4, f) != 4)
		return -1;
	return 0;
}

/* The rows, each after its filter byte, deflated; *@out is malloc'd. */
static int deflate_rows(const unsigned char *rgb, unsigned int w, unsigned int h,
			unsigned char **out, uLongf *outlen)
{
	size_t stride = (size_t)w * 3 + 1;
	unsigned char *raw = malloc(stride * h);
	int ret;

	if (!raw)
		return -1;
	for (unsigned int y = 0; y < h; y++) {
		raw[y * stride] = 0;
		memcpy(raw + y * stride + 1, rgb + (size_t)y * w * 3, (size_t)w * 3);
	}
	*outlen = compressBound(stride * h);
	*out = malloc(*outlen);
	ret = *out ? compress2(*out, outlen, raw, stride * h, 9) : Z_MEM_ERROR;
	free(raw);
	return ret == Z_OK ? 0 : -1;
}

int png_write(const char *path, const unsigned char *rgb, unsigned int w, unsigned int h,
	      char *why, size_t whylen)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[13] = { 0 };
	unsigned char *z = NULL;
	uLongf zlen;
	FILE *f;
	int ret = -1;

	put_be32(ihdr, w);
	put_be32(ihdr + 4, h);
	ihdr[8] = 8; /* bits per sample */
	ihdr[9] = 2; /* truecolour */
	if (deflate_rows(rgb, w, h, &z, &zlen)) {
		snprintf(why, whylen, "out of memory compressing the image");
		free(z);
		return -1;
	}
	f = fopen(path, "wb");
	if (!f) {
		snprintf(why, whylen, "cannot create %s", path);
		free(z);
		return -1;
	}
	if (fwrite(sig, 1, 8, f) == 8 && !put_chunk(f, "IHDR", ihdr, 13) &&
	    !put_chunk(f, "IDAT", z, (u32)zlen) && !put_chunk(f, "IEND", NULL, 0))
		ret = 0;
	if (fclose(f))
		ret = -1;
	if (ret)
		snprintf(why, whylen, "cannot write %s", path);
	free(z);
	return ret;
}
#else
int png_write(const char *path, const unsigned char *rgb, unsigned int w, unsigned int h,
	      char *why, size_t whylen)
{
	snprintf(why, whylen, "built without zlib (Debian: zlib1g-dev)");
	return -1;
}
#endif
