// SPDX-License-Identifier: MIT
/*
 * plot.c - the suite's chart: copy throughput (GB/s) against copy size,
 * both axes logarithmic, one line per system, drawn into an RGB raster and
 * written by png.c. No plotting tool is needed; without zlib the chart is
 * skipped and the run goes on.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define PLOT_W 1000
#define PLOT_H 700
#define PLOT_LEFT 80		  /* the plot area, in pixels */
#define PLOT_RIGHT (PLOT_W - 40)
#define PLOT_TOP 60
#define PLOT_BOTTOM 480
#define PLOT_LEGEND_Y 540	  /* first legend line */
#define PLOT_MAX_POINTS 16

struct plot_series {
	enum bench_sys sys;   /* whose lines */
	int mode;	      /* enum bench_mode, -1 any */
	unsigned int batch;   /* 0: any */
	unsigned int threads; /* 0: any */
	const char *label;    /* in the legend */
	u32 rgb;	      /* 0xRRGGBB */
};

static const struct plot_series plot_series[] = {
	{ SYS_MEMCPY, -1, 0, 1, "memcpy, 1 thread", 0x000000 },
	{ SYS_MEMCPY_ALL, -1, 0, 0, "memcpy, all CPUs", 0x8c8c8c },
	{ SYS_CPU, MODE_CALLBACK, 32, 1, "cpu-dma callback, batch 32", 0x1f77b4 },
	{ SYS_CPU, MODE_POLLED, 32, 1, "cpu-dma polled, batch 32", 0x2ca02c },
	{ SYS_CPU, MODE_CALLBACK, 1, 1, "cpu-dma callback, batch 1", 0x17becf },
	{ SYS_CPU, MODE_CALLBACK, 32, 2, "cpu-dma callback, batch 32, 2 clients", 0x9467bd },
	{ SYS_DPDK, -1, 32, 1, "DPDK skeleton, batch 32", 0xd62728 },
	{ SYS_DPDK, -1, 1, 1, "DPDK skeleton, batch 1", 0xe377c2 },
	{ SYS_DPDK, -1, 32, 2, "DPDK skeleton, batch 32, 2 clients", 0xff7f0e },
};

#define PLOT_NSERIES (sizeof(plot_series) / sizeof(plot_series[0]))

struct raster {
	unsigned char px[PLOT_H][PLOT_W][3]; /* RGB, rows top down */
};

/* The axes' ranges: log2 of bytes, log10 of GB/s. */
struct plot_axes {
	double x0, x1; /* log2(size) at the left and right edges */
	double y0, y1; /* log10(GB/s) at the bottom and top edges */
};

struct plot_line {
	unsigned int n;			/* points */
	double size[PLOT_MAX_POINTS];	/* bytes */
	double gbps[PLOT_MAX_POINTS];	/* GB/s */
};

static void set_px(struct raster *r, int x, int y, u32 rgb)
{
	if (x < 0 || y < 0 || x >= PLOT_W || y >= PLOT_H)
		return;
	r->px[y][x][0] = (unsigned char)(rgb >> 16);
	r->px[y][x][1] = (unsigned char)(rgb >> 8);
	r->px[y][x][2] = (unsigned char)rgb;
}

static void fill(struct raster *r, int x, int y, int w, int h, u32 rgb)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++)
			set_px(r, i, j, rgb);
}

/* A line @pen pixels wide (Bresenham, a square pen); @dash: on/off period, 0 solid. */
static void line(struct raster *r, int x0, int y0, int x1, int y1, int pen, int dash, u32 rgb)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int err = dx + dy, step = 0;

	for (;;) {
		int e2 = 2 * err;

		if (!dash || (step++ / dash) % 2 == 0)
			fill(r, x0 - pen / 2, y0 - pen / 2, pen, pen, rgb);
		if (x0 == x1 && y0 == y1)
			return;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

/* @s with the top left corner of its first capital at (@x, @y). */
static void text(struct raster *r, int x, int y, const char *s, u32 rgb)
{
	for (; *s; s++, x += BENCH_FONT_W)
		for (int row = 0; row < BENCH_FONT_H; row++)
			for (int col = 0; col < BENCH_FONT_W; col++)
				if (bench_font_px(*s, col, row))
					set_px(r, x + col, y + row, rgb);
}

static int text_w(const char *s)
{
	return *s ? (int)strlen(s) * BENCH_FONT_W - 1 : 0; /* no gap after the last */
}

static int px_x(const struct plot_axes *a, double size)
{
	return PLOT_LEFT + (int)lround((log2(size) - a->x0) / (a->x1 - a->x0) *
				       (PLOT_RIGHT - PLOT_LEFT));
}

static int px_y(const struct plot_axes *a, double gbps)
{
	return PLOT_BOTTOM - (int)lround((log10(gbps) - a->y0) / (a->y1 - a->y0) *
					 (PLOT_BOTTOM - PLOT_TOP));
}

static bool series_has(const struct plot_series *s, const struct bench_row *r)
{
	return r->kind == ROW_TPUT && r->op == BENCH_MEMCPY && r->sys == s->sys &&
	       (s->mode < 0 || r->mode == s->mode) && (!s->batch || r->batch == s->batch) &&
	       (!s->threads || r->threads == s->threads) && r->ops > 0;
}

static void collect(const struct bench_table *t, const struct plot_series *s, struct plot_line *l)
{
	l->n = 0;
	for (unsigned int i = 0; i < t->n && l->n < PLOT_MAX_POINTS; i++) {
		const struct bench_row *r = &t->row[i];

		if (!series_has(s, r))
			continue;
		l->size[l->n] = (double)r->size;
		l->gbps[l->n++] = r->ops * r->unit_bytes / 1e9;
	}
}

/* Ranges that hold every point: whole decades of GB/s, half a step of margin on sizes. */
static int axes_fit(const struct plot_line *lines, struct plot_axes *a)
{
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;

	for (unsigned int s = 0; s < PLOT_NSERIES; s++)
		for (unsigned int i = 0; i < lines[s].n; i++) {
			xmin = fmin(xmin, log2(lines[s].size[i]));
			xmax = fmax(xmax, log2(lines[s].size[i]));
			ymin = fmin(ymin, log10(lines[s].gbps[i]));
			ymax = fmax(ymax, log10(lines[s].gbps[i]));
		}
	if (xmin > xmax)
		return -1;
	a->x0 = xmin - 0.5;
	a->x1 = xmax + 0.5;
	a->y0 = floor(ymin);
	a->y1 = ceil(ymax) > a->y0 ? ceil(ymax) : a->y0 + 1;
	return 0;
}

/* Grid and labels: sizes at each power of 4; GB/s at 1, 2 and 5 of each decade. */
static void draw_axes(struct raster *r, const struct plot_axes *a)
{
	char buf[32];

	for (double p = ceil(a->x0 / 2) * 2; p <= a->x1; p += 2) {
		int x = px_x(a, exp2(p));

		line(r, x, PLOT_TOP, x, PLOT_BOTTOM, 1, 3, 0xd0d0d0);
		bench_size_str((size_t)exp2(p), buf, sizeof(buf));
		text(r, x - text_w(buf) / 2, PLOT_BOTTOM + 8, buf, 0x000000);
	}
	for (double d = a->y0; d < a->y1 + 0.01; d += 1)
		for (int m = 1; m <= 5; m += m == 1 ? 1 : 3) {
			double v = pow(10, d) * m;
			int y = px_y(a, v);

			if (log10(v) > a->y1 + 1e-9)
				break;
			line(r, PLOT_LEFT, y, PLOT_RIGHT, y, 1, m == 1 ? 0 : 3,
			     m == 1 ? 0xb0b0b0 : 0xe0e0e0);
			snprintf(buf, sizeof(buf), "%g", v);
			text(r, PLOT_LEFT - 8 - text_w(buf), y - BENCH_FONT_CAP / 2, buf, 0x000000);
		}
	line(r, PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM, 1, 0, 0x000000);
	line(r, PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, 1, 0, 0x000000);
	line(r, PLOT_RIGHT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM, 1, 0, 0x000000);
	line(r, PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_TOP, 1, 0, 0x000000);
	text(r, PLOT_LEFT, 16, "dmabench: copy throughput against copy size", 0x000000);
	text(r, PLOT_LEFT, PLOT_TOP - 20, "GB/s (log scale)", 0x000000);
	text(r, (PLOT_LEFT + PLOT_RIGHT) / 2 - text_w("bytes per copy (log scale)") / 2,
	     PLOT_BOTTOM + 30, "bytes per copy (log scale)", 0x000000);
}

static void draw_line(struct raster *r, const struct plot_axes *a, const struct plot_line *l,
		      u32 rgb)
{
	for (unsigned int i = 0; i < l->n; i++) {
		int x = px_x(a, l->size[i]), y = px_y(a, l->gbps[i]);

		fill(r, x - 3, y - 3, 7, 7, rgb);
		if (i)
			line(r, px_x(a, l->size[i - 1]), px_y(a, l->gbps[i - 1]), x, y, 2, 0, rgb);
	}
}

/* The legend below the chart, two columns, only for lines drawn. */
static void draw_legend(struct raster *r, const struct plot_line *lines)
{
	unsigned int k = 0;

	for (unsigned int s = 0; s < PLOT_NSERIES; s++) {
		int x = PLOT_LEFT + (int)(k % 2) * 440, y = PLOT_LEGEND_Y + (int)(k / 2) * 22;

		if (!lines[s].n)
			continue;
		line(r, x, y + BENCH_FONT_CAP / 2, x + 30, y + BENCH_FONT_CAP / 2, 2, 0,
		     plot_series[s].rgb);
		fill(r, x + 12, y + BENCH_FONT_CAP / 2 - 3, 7, 7, plot_series[s].rgb);
		text(r, x + 40, y, plot_series[s].label, 0x000000);
		k++;
	}
}

int plot_png(const char *path, const struct bench_table *t, char *why, size_t whylen)
{
	struct plot_line lines[PLOT_NSERIES];
	struct plot_axes a;
	struct raster *r;
	int ret;

	for (unsigned int s = 0; s < PLOT_NSERIES; s++)
		collect(t, &plot_series[s], &lines[s]);
	if (axes_fit(lines, &a)) {
		snprintf(why, whylen, "no copy throughput to plot");
		return -1;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memset(r, 0xff, sizeof(*r));
	draw_axes(r, &a);
	for (unsigned int s = 0; s < PLOT_NSERIES; s++)
		draw_line(r, &a, &lines[s], plot_series[s].rgb);
	draw_legend(r, lines);
	ret = png_write(path, &r->px[0][0][0], PLOT_W, PLOT_H, why, whylen);
	free(r);
	return ret;
}
