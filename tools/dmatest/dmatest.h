/* SPDX-License-Identifier: MIT */
/*
 * dmatest.h - the kernel's dmatest module as a program: shared types of
 * tools/dmatest. Private to the tool.
 *
 * The program does what "modprobe dmatest run=1 <params>" does: it reads the
 * module parameters, requests channels (MEMCPY, then MEMSET, XOR, PQ), adds
 * test threads to each ("dma0chan0-copy0", "-set", "-xor", "-pq"), starts
 * them and waits for them. Each thread runs the kernel's test loop: random
 * length and offsets, pattern fill, mapping through the DMA mapping API,
 * prep, submit, wait, unmap, verification, and one summary line at the end.
 *
 *   params.c    the module parameters, their parsing and --help
 *   channels.c  requesting channels, adding, starting and stopping threads
 *   thread.c    one test thread: the test loop
 *   pattern.c   the buffer patterns and their verification
 *   report.c    the log lines, the rate arithmetic, the --json summary
 *   main.c      the program
 */
#ifndef DMATEST_H
#define DMATEST_H

#include <stdbool.h>
#include <stdio.h>

#include <dmaengine/dmaengine.h>
#include <dmaengine/list.h>
#include <dmaengine/os.h>

#define DMATEST_CHANNEL_MAX 20	/* the kernel's channel string, with the NUL */
#define DMATEST_DEVICE_MAX 32	/* the kernel's device string, with the NUL */
#define DMATEST_MAX_CHANNEL_PARAMS 256 /* channel= given this often at most */
#define DMATEST_NO_PARAM_ITERATIONS 1000 /* iterations of a run without parameters */

/* What a test thread does; the dmatest= parameter picks among them. */
enum dmatest_type {
	DMATEST_MEMCPY = 0, /* "copy" threads, dmatest=0 */
	DMATEST_MEMSET = 1, /* "set" threads, dmatest=1 */
	DMATEST_XOR = 2,    /* "xor" threads: always with 0 and 1, alone with 2 */
	DMATEST_PQ = 3,	    /* "pq" threads: always with 0 and 1, alone with 3 */
};

/* The module parameters, with the kernel's names, types and defaults. */
struct dmatest_params {
	bool nobounce;			   /* buffers in low memory: no bounce buffers */
	unsigned int buf_size;		   /* test_buf_size: bytes of each buffer */
	char channel[DMATEST_CHANNEL_MAX]; /* the channel filter in force ("" any) */
	char device[DMATEST_DEVICE_MAX];   /* device filter: dev_name() ("" any) */
	unsigned int threads_per_chan;	   /* threads of each type per channel */
	unsigned int max_channels;	   /* channels to use at most (0 all) */
	unsigned int iterations;	   /* tests per thread (0 until stopped) */
	unsigned int dmatest;		   /* 0 memcpy, 1 memset, 2 xor, 3 pq */
	unsigned int xor_sources;	   /* XOR source buffers (made odd) */
	unsigned int pq_sources;	   /* PQ source buffers (made odd) */
	int timeout;			   /* ms to wait for a callback (< 0 forever) */
	bool noverify;			   /* no pattern fill and no verification */
	bool norandom;			   /* whole buffer, offsets 0 */
	bool verbose;			   /* also print "test passed" results */
	int alignment;			   /* log2 alignment (-1: the device's) */
	unsigned int transfer_size;	   /* fixed length (0: random) */
	bool polled;			   /* dma_sync_wait instead of callbacks */
	bool run;			   /* run=0: add the threads, start nothing */
	bool wait;			   /* accepted as modprobe takes it; always waits */
};

/* The command line: the parameters plus what the program adds. */
struct dmatest_options {
	struct dmatest_params params;	/* module parameters */
	char (*channels)[DMATEST_CHANNEL_MAX]; /* every channel= in order */
	unsigned int nr_channels;	/* entries in channels */
	bool any_param;			/* some module parameter was given */
	bool iterations_given;		/* iterations= was given */
	bool help;			/* --help */
	bool json;			/* --json: a JSON summary at the end */
	const char *json_path;		/* --json=FILE: there instead of stdout */
	bool seed_given;		/* --seed= was given */
	unsigned long long seed;	/* seed of the threads' random numbers */
	const char *trace_path;		/* trace=FILE: a Chrome/Perfetto trace of the run */
	const char *board;		/* board=SPEC: the platform (DMAENGINE_PLATFORM) */
};

struct dmatest_chan;
struct dmatest_info;

/* One test thread, as the kernel's struct dmatest_thread. */
struct dmatest_thread {
	struct list_head node;		  /* in dmatest_chan.threads */
	struct dmatest_info *info;	  /* the run it belongs to */
	struct dmatest_chan *dtc;	  /* its channel */
	enum dmatest_type type;		  /* what it tests */
	char name[96];			  /* "dma0chan0-copy0" */
	struct dmae_thread *task;	  /* the running thread, NULL before start */
	struct completion done;		  /* completed by the descriptor's callback */
	struct dmaengine_result result;	  /* what the callback reported */
	unsigned long long rng;		  /* state of its random numbers */
	/* Results, written by the thread, read after it is joined. */
	unsigned int total_tests;	  /* tests run */
	unsigned int failed_tests;	  /* tests failed */
	unsigned long long total_len;	  /* bytes of every test */
	long long runtime_us;		  /* time spent in DMA, fill and verify excluded */
	int ret;			  /* 0, or -ENOMEM when it could not start */
};

/* A channel under test, as the kernel's struct dmatest_chan. */
struct dmatest_chan {
	struct list_head node;	  /* in dmatest_info.channels */
	struct dma_chan *chan;	  /* the channel, held until the end */
	struct list_head threads; /* struct dmatest_thread.node */
};

/* The run, as the kernel's struct dmatest_info. */
struct dmatest_info {
	struct dmatest_params params; /* parameters of every thread */
	struct list_head channels;    /* struct dmatest_chan.node */
	unsigned int nr_channels;     /* channels in channels */
	unsigned long long seed;      /* seed of the threads' random numbers */
	int stop;		      /* set (atomic) to stop every thread: kthread_stop */
};

/* params.c */
void dmatest_params_init(struct dmatest_params *p);
int dmatest_parse_args(int argc, char **argv, struct dmatest_options *opt);
int dmatest_check_params(const struct dmatest_options *opt);
void dmatest_usage(FILE *f);
void dmatest_options_free(struct dmatest_options *opt);

/* channels.c */
int dmatest_add_test(struct dmatest_info *info, const char *channel);
unsigned int dmatest_thread_count(const struct dmatest_info *info);
void dmatest_run_tests(struct dmatest_info *info);
void dmatest_wait_tests(struct dmatest_info *info);
void dmatest_release_channels(struct dmatest_info *info);

/* thread.c */
void dmatest_func(void *data);
const char *dmatest_type_name(enum dmatest_type type);

/* pattern.c */
void dmatest_init_srcs(u8 **bufs, unsigned int start, unsigned int len,
		       unsigned int buf_size, bool is_memset);
void dmatest_init_dsts(u8 **bufs, unsigned int start, unsigned int len,
		       unsigned int buf_size, bool is_memset);
unsigned int dmatest_verify(const char *name, u8 **bufs, unsigned int start, unsigned int end,
			    unsigned int counter, u8 pattern, bool is_srcbuf, bool is_memset);
#define PATTERN_SRC 0x80
#define PATTERN_DST 0x00
#define PATTERN_COPY 0x40
#define PATTERN_OVERWRITE 0x20

/* report.c */
void dmatest_pr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dmatest_pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dmatest_log_to_stdout(void);
void dmatest_result(const struct dmatest_thread *thread, const char *err, unsigned int n,
		    unsigned int src_off, unsigned int dst_off, unsigned int len,
		    unsigned long data);
unsigned long long dmatest_persec(long long runtime, unsigned int val);
unsigned long long dmatest_KBs(long long runtime, unsigned long long len);
void dmatest_summary(const struct dmatest_thread *thread);
int dmatest_write_json(const struct dmatest_info *info, const struct dmatest_options *opt);

#endif /* DMATEST_H */
