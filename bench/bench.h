/* SPDX-License-Identifier: MIT */
/*
 * bench.h - private to dmabench: what one measurement does, the buffers it
 * does it on, and the pieces the program is made of.
 *
 *   dmabench.c  options; the single-operation modes (--op=memcpy|xor|pq|map)
 *   suite.c     --op=all: every system, size, batch and client count in one run
 *   baseline.c  plain memcpy on one thread and on all CPUs; the copy buffers
 *   provider.c  the cpu provider through the consumer API, and ISA-L beside it
 *   dpdk.c      DPDK's dma_skeleton through librte_dmadev (built when found)
 *   latency.c   submit-to-completion latency, one descriptor at a time
 *   idle.c      CPU time of the library's threads while nothing happens
 *   team.c      the client threads, one per CPU, kept for the whole run
 *   stats.c     medians, percentiles, rates
 *   report.c    the table, its ratios and targets, the CSV file
 *   plot.c, png.c, font.c   the PNG chart
 *
 * Benchmarks are never tests: nothing here runs under ctest.
 */
#ifndef DMABENCH_BENCH_H
#define DMABENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <dmaengine/dmaengine.h>
#include <dmaengine/os.h>

#define BENCH_MAX_SRCS 64	    /* the cpu provider's max_xor and max_pq */
#define BENCH_ALIGN 64		    /* alignment of the xor/pq buffers */
#define BENCH_MAX_REPS 99	    /* --reps at most */
#define BENCH_MAX_THREADS 64	    /* team members at most */
#define BENCH_RING_BYTES (4u << 20) /* copies walk a ring of this many bytes (or one copy) */
#define BENCH_CLIENTS 2		    /* client threads of the suite, each on its own channel */

enum bench_op { BENCH_MEMCPY, BENCH_XOR, BENCH_PQ, BENCH_MAP, BENCH_ALL };

extern const char *const bench_op_name[];

/*
 * How the client learns of completions: callbacks it spins on, tx_status it
 * polls, or callbacks it sleeps on while the window is full (it leaves the
 * CPU to the worker, as a kernel client waiting on a completion would).
 */
enum bench_mode { MODE_CALLBACK, MODE_POLLED, MODE_SLEEP };

extern const char *const bench_mode_name[];

struct bench_opts {
	enum bench_op op;	  /* what is measured */
	size_t size;		  /* bytes per copy; bytes per source for xor and pq */
	unsigned int sources;	  /* xor and pq: sources per operation */
	unsigned int batch;	  /* descriptors per issue_pending */
	unsigned int window;	  /* descriptors in flight at most */
	unsigned int reps;	  /* repetitions, median reported */
	unsigned int ms;	  /* duration of one repetition */
	enum bench_mode mode;	  /* how completions are seen */
	bool csv;		  /* --csv alone: machine-readable lines on stdout */
	const char *csv_path;	  /* --csv=FILE: the suite's rows as CSV, or NULL */
	const char *png_path;	  /* --png=FILE: the suite's chart, or NULL */
	bool verbose;		  /* every repetition too, on stderr */
	bool quick;		  /* --quick: a short sanity run of the suite */
	bool dpdk;		  /* measure DPDK when built with it (--no-dpdk: no) */
	const char *eal;	  /* --dpdk-eal: EAL arguments instead of the default */
	unsigned int lat_samples; /* latency: descriptors per row */
	unsigned int lat_gap_us;  /* latency: idle time before each, in the "idle" rows */
	unsigned int idle_ms;	  /* idle: how long the CPU time is measured */
};

/*
 * The buffers of one client. Copies go slot after slot from src to dst (a
 * ring of BENCH_RING_BYTES, or one slot when a copy is bigger); xor and pq
 * run every operation on one stripe, laid out for ISA-L: ptrs[] holds the
 * sources, then P (the xor destination), then Q.
 */
struct bench_bufs {
	char *src, *dst;		 /* copies: bytes bytes each */
	size_t bytes;			 /* copies: allocated size of src and dst */
	size_t slots;			 /* copies: copies of --size before wrapping */
	void *ptrs[BENCH_MAX_SRCS + 2];	 /* xor/pq: sources, P, Q */
	dma_addr_t srcs[BENCH_MAX_SRCS]; /* the sources as bus addresses */
	dma_addr_t pq[2];		 /* P (xor: the destination) and Q */
	unsigned char scf[BENCH_MAX_SRCS]; /* pq: {02}^i, as ISA-L's pq_gen */
};

/*
 * Shared with the callbacks, on a cache line of its own; lives for the whole
 * run (a wake_up may still be on its way out of the wait queue when the
 * client has seen the count).
 */
struct bench_run {
	u64 completed;	      /* callbacks so far; written by the worker */
	u64 wake_at;	      /* sleep mode: callbacks from this count on wake the client */
	wait_queue_head_t wq; /* sleep mode: where the client sleeps */
} __attribute__((aligned(64)));

/* What one thread did in one repetition. */
struct bench_tput {
	u64 ops; /* operations completed */
	u64 ns;	 /* from its first submission to its last completion */
};

/* stats.c: medians and percentiles of @v's first @n (@v is left as it was). */
double bench_median(const double *v, unsigned int n);
double bench_percentile(const double *v, unsigned int n, double pct);
/* Σ ops / the longest time: the rate of threads that ran side by side. */
double bench_rate(const struct bench_tput *t, unsigned int n);
/* Copies a ring takes for @size bytes each: BENCH_RING_BYTES / size, at least 1. */
size_t bench_slots(size_t size);

/* baseline.c */
int copy_bufs_alloc(struct bench_bufs *b, size_t bytes);
void copy_bufs_free(struct bench_bufs *b);
int copy_bufs_check(const struct bench_bufs *b, size_t off, size_t len, const char *who);
void memcpy_run(const struct bench_opts *o, struct bench_bufs *b, size_t from, size_t len,
		size_t piece, struct bench_tput *t);

/* provider.c */
void dma_run(const struct bench_opts *o, struct dma_chan *chan, struct bench_bufs *b,
	     struct bench_run *run, struct bench_tput *t);
int dma_copy_check(struct dma_chan *chan, struct bench_bufs *b, size_t len);
int isal_op(const struct bench_opts *o, struct bench_bufs *b);
void isal_run(const struct bench_opts *o, struct bench_bufs *b, struct bench_tput *t);
int stripe_alloc(const struct bench_opts *o, struct bench_bufs *b);
void stripe_free(const struct bench_opts *o, struct bench_bufs *b);
int stripe_check(const struct bench_opts *o, struct dma_chan *chan, struct bench_bufs *b);
void bench_run_init(struct bench_run *run);

/* team.c: the caller is member 0; members 1..n-1 are threads of their own. */
int team_start(unsigned int n);
unsigned int team_size(void);
void team_run(unsigned int n, void (*fn)(unsigned int idx, void *arg), void *arg);
void team_barrier(void);
pid_t team_tid(unsigned int idx);
void team_stop(void);

/* latency.c: one copy at a time, each after @gap_us of idleness. 0, or -1. */
struct lat_result {
	double median_us; /* median, microseconds */
	double p99_us;	  /* 99th percentile (nearest rank) */
	unsigned int n;	  /* samples */
};
int latency_cpu(struct dma_chan *chan, struct bench_bufs *b, size_t len, enum bench_mode mode,
		unsigned int gap_us, unsigned int n, struct lat_result *r);
int latency_dpdk(unsigned int dev, struct bench_bufs *b, size_t len, unsigned int gap_us,
		 unsigned int n, struct lat_result *r);

/* idle.c */
struct idle_result {
	double window_ms;	  /* how long was measured */
	double lib_pct;		  /* the library's threads: % of one core */
	unsigned int lib_threads; /* how many they were */
	char busiest[16];	  /* the name of the one that used most */
	double busiest_pct;	  /* and what it used */
	double other_pct;	  /* DPDK's threads, % of one core */
	double all_pct;		  /* getrusage: every thread but the caller */
	bool fine;		  /* per-thread times in ns (schedstat), not clock ticks */
};
unsigned int tasks_snapshot(pid_t *tids, unsigned int max);
int idle_measure(unsigned int quiet_ms, unsigned int ms, const pid_t *bench, unsigned int nbench,
		 const pid_t *foreign, unsigned int nforeign, bool verbose, struct idle_result *r);

/* The systems compared. */
enum bench_sys { SYS_MEMCPY, SYS_MEMCPY_ALL, SYS_CPU, SYS_DPDK, SYS_ISAL };

enum bench_row_kind { ROW_TPUT, ROW_LAT, ROW_IDLE };

enum bench_verdict { VERDICT_NONE, VERDICT_PASS, VERDICT_MISS, VERDICT_NA };

/* One line of the suite's table. */
struct bench_row {
	enum bench_row_kind kind;  /* throughput, latency or idle CPU */
	enum bench_op op;	   /* BENCH_MEMCPY (copies), BENCH_XOR or BENCH_PQ */
	enum bench_sys sys;	   /* who did the work */
	int mode;		   /* enum bench_mode, or -1 (not a DMA client) */
	size_t size;		   /* bytes per copy; per source for xor and pq */
	unsigned int sources;	   /* xor and pq: sources per operation */
	unsigned int batch;	   /* descriptors per issue (0: not batched) */
	unsigned int threads;	   /* client threads (memcpy: copying threads) */
	unsigned int gap_us;	   /* idle time before each copy (idle: before measuring) */
	double unit_bytes;	   /* bytes per operation, for GB/s */
	unsigned int nreps;	   /* repetitions measured */
	double rep[BENCH_MAX_REPS]; /* ops/s of each */
	double ops;		   /* their median */
	struct lat_result lat;	   /* ROW_LAT */
	struct idle_result idle;   /* ROW_IDLE */
	/* Filled by report_compute(); 0: no such ratio. */
	double vs_memcpy;	   /* / memcpy on one thread, same size */
	double vs_all;		   /* / memcpy on all CPUs, same size (>= 1 MiB) */
	double vs_dpdk;		   /* / DPDK, same size, batch and threads */
	double vs_isal;		   /* / ISA-L, same operation */
	char target[24];	   /* the target for this line, or "" */
	enum bench_verdict verdict; /* and whether it was met */
};

struct bench_table {
	struct bench_row *row; /* rows in the order measured */
	unsigned int n, cap;   /* used, allocated */
};

/* report.c */
struct bench_row *table_add(struct bench_table *t);
void table_free(struct bench_table *t);
void report_compute(struct bench_table *t);
void report_print(FILE *f, const struct bench_table *t);
int report_csv(const char *path, const struct bench_table *t);
const char *bench_size_str(size_t size, char *buf, size_t len);
const char *bench_sys_label(const struct bench_row *r);

/*
 * font.c: glyphs of ' ' .. '~', advanced BENCH_FONT_W pixels a character,
 * BENCH_FONT_H rows from the top of a capital to the foot of a descender,
 * of which the top BENCH_FONT_CAP rows stand on the baseline.
 */
#define BENCH_FONT_W 6
#define BENCH_FONT_H 9
#define BENCH_FONT_CAP 7
/* Whether character @c inks pixel (@x, @y) of its cell, (0, 0) top left. */
bool bench_font_px(int c, int x, int y);

/* png.c: an RGB raster (3 bytes a pixel, rows top down) into @path. */
int png_write(const char *path, const unsigned char *rgb, unsigned int w, unsigned int h,
	      char *why, size_t whylen);

/* plot.c: throughput against size; 0, or -1 with the reason in @why. */
int plot_png(const char *path, const struct bench_table *t, char *why, size_t whylen);

/* suite.c */
int bench_suite(const struct bench_opts *o);

#endif /* DMABENCH_BENCH_H */
