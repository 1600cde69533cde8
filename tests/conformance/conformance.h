/* SPDX-License-Identifier: MIT */
/*
 * conformance.h - private to the conformance suite: the devices under test,
 * the test table, guarded buffers, callback trackers and the helpers every
 * test uses.
 *
 * The suite is generic: a test only talks to a channel through the consumer
 * API and asks the device what it advertises (capabilities, residue
 * granularity, descriptor reuse, alignment). The runner (conformance.c)
 * registers the devices, then runs every test whose capability a device
 * advertises on every channel of that device.
 *
 * Rules the tests follow:
 *  - assertions (cmocka) only on the test's own thread; callbacks and helper
 *    threads record errors with conf_async_err(), checked by the test;
 *  - every wait is bounded (CONF_TIMEOUT_MS): a hang fails, it does not block;
 *  - a sleep only shows that something does NOT happen (conf_sleep_ms);
 *  - memory a DMA engine may be writing right now is only read with
 *    conf_peek_*() (the way a peripheral sees memory; invisible to TSan),
 *    and only in coherent buffers;
 *  - bus addresses come from the DMA mapping API on the channel's device,
 *    never from a CPU pointer (see "DMA memory").
 */
#ifndef CONF_CONFORMANCE_H
#define CONF_CONFORMANCE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/dmaengine.h>
#include <dmaengine/provider.h>
#include <dmaengine/os.h>
#include <dmaengine/cpu.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/scatterlist.h>

/* ------------------------------------------------------------ build flavour */

#if defined(__SANITIZE_THREAD__)
#define CONF_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CONF_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CONF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONF_ASAN 1
#endif
#endif
#ifndef CONF_TSAN
#define CONF_TSAN 0
#endif
#ifndef CONF_ASAN
#define CONF_ASAN 0
#endif
/* 1 in a plain build, larger under sanitizers: divide work by it. */
#define CONF_SLOW (CONF_TSAN ? 5 : CONF_ASAN ? 2 : 1)

#define CONF_TIMEOUT_MS 10000u /* any single wait */
#define CONF_QUIET_MS 50u      /* how long "nothing happens" is watched */
#define CONF_GUARD 4096u       /* guard zone before and after every buffer */

/* ------------------------------------------------------------ devices, tests */

#define CONF_MAX_DEVS 8
#define CONF_MAX_CHANS 64

struct conf_dev {
	const char *label;			 /* what the runner registered */
	struct dma_device *dma;			 /* the registered device */
	int (*remove)(struct dma_device *dma);	 /* how to remove it, or NULL */
	unsigned int nchans;			 /* channels found */
	struct dma_chan *chans[CONF_MAX_CHANS];	 /* its channels */
	/* Divisor of the long tests' work (terminate, pause, residue): 1 for a
	 * host device, more for a simulated board's controller, whose copies take
	 * board time and whose DMA memory is the board's. */
	unsigned int slow;
	/* Callbacks of the stress test on all its channels: a channel that waits
	 * while its siblings make progress is starved by the arbiter (fixed
	 * priorities, as the STM32 DMA's), not stuck. */
	unsigned long stress_fired;
};

struct conf_case;
typedef void (*conf_test_fn)(struct conf_case *cc);

struct conf_test {
	const char *name;		 /* short name */
	enum dma_transaction_type cap;	 /* run when the device advertises this */
	conf_test_fn fn;		 /* the test */
	bool own_request;		 /* the test requests the channel itself (cc->chan) */
};

struct conf_alloc;

/* One (device, channel, capability, test) run: the cmocka state. */
struct conf_case {
	struct conf_dev *dev;		/* device under test */
	struct dma_chan *target;	/* the channel to request */
	struct dma_chan *chan;		/* held during the test */
	const struct conf_test *test;	/* what runs */
	char name[192];			/* cmocka test name */
	u64 rng;			/* per-case random state */
	struct conf_alloc *allocs;	/* freed at teardown */
	unsigned int errors_at_start;	/* conf_async_err count at setup */
	void (*cleanup)(struct conf_case *cc); /* run at teardown once the channel is stopped */
	void *cleanup_arg;
	u64 t_start;			/* conf_now_ms() at setup */
};

/* @len for the long tests of @cc's device: @len / its slow divisor, at least @min. */
size_t conf_big(const struct conf_case *cc, size_t len, size_t min);

struct dmae_board;
extern struct conf_dev conf_devs[CONF_MAX_DEVS];
extern struct dmae_board *conf_board; /* CONF_BOARD's, or NULL */
extern unsigned int conf_ndevs;
extern u64 conf_seed;

/* The tests, by file. */
void t_dma_mapping(struct conf_case *cc);
void t_slave_rx(struct conf_case *cc);
void t_slave_tx(struct conf_case *cc);
void t_slave_pause_resume(struct conf_case *cc);
void t_slave_terminate(struct conf_case *cc);
void t_slave_bad_input(struct conf_case *cc);
void t_cyclic(struct conf_case *cc);
void t_ordering(struct conf_case *cc);
void t_out_of_order(struct conf_case *cc);
void t_callbacks(struct conf_case *cc);
void t_interrupt(struct conf_case *cc);
void t_memset(struct conf_case *cc);
void t_memset_sg(struct conf_case *cc);
void t_memcpy_sg(struct conf_case *cc);
void t_interleave(struct conf_case *cc);
void t_repeat(struct conf_case *cc);
void t_load_eot(struct conf_case *cc);
void t_terminate_sync(struct conf_case *cc);
void t_terminate_in_callback(struct conf_case *cc);
void t_synchronize(struct conf_case *cc);
void t_pause_resume(struct conf_case *cc);
void t_pause_residue_sg(struct conf_case *cc);
void t_residue(struct conf_case *cc);
void t_reuse(struct conf_case *cc);
void t_double_submit(struct conf_case *cc);
void t_pool_exhaustion(struct conf_case *cc);
void t_statistics(struct conf_case *cc);
void t_xor(struct conf_case *cc);
void t_xor_fence(struct conf_case *cc);
void t_xor_chunks(struct conf_case *cc);
void t_xor_val(struct conf_case *cc);
void t_pq(struct conf_case *cc);
void t_pq_chunks(struct conf_case *cc);
void t_pq_val(struct conf_case *cc);
/* The stress test over every channel of every device (its own group). */
void conf_stress_run(void **state);

/* ------------------------------------------------------------ device queries */

static inline bool conf_in_order(struct dma_chan *chan)
{
	return !dma_has_cap(DMA_COMPLETION_NO_ORDER, chan->device->cap_mask);
}

static inline bool conf_has(struct dma_chan *chan, enum dma_transaction_type cap)
{
	return dma_has_cap(cap, chan->device->cap_mask);
}

/* Byte alignment the device needs for copies / fills. */
static inline size_t conf_copy_align(struct dma_chan *chan)
{
	return (size_t)1 << chan->device->copy_align;
}
static inline size_t conf_fill_align(struct dma_chan *chan)
{
	return (size_t)1 << chan->device->fill_align;
}

/* Does the channel accept DMA_CTRL_REUSE (the rule dmaengine_desc_set_reuse uses)? */
bool conf_chan_reuse(struct dma_chan *chan);

/* Wrap-aware "cookie a comes after cookie b" (cookies run 1..INT32_MAX). */
static inline bool conf_cookie_after(dma_cookie_t a, dma_cookie_t b)
{
	return a != b && (u32)(a - b) < 0x40000000u;
}

/* ------------------------------------------------------------ randomness */

static inline u64 conf_rand(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [lo, hi]. */
static inline u64 conf_rand_range(u64 *s, u64 lo, u64 hi)
{
	return lo + conf_rand(s) % (hi - lo + 1);
}

/* ------------------------------------------------------------ time */

u64 conf_now_ms(void);
/* Sleep: only to show that something does NOT happen meanwhile. */
void conf_sleep_us(unsigned int us);
static inline void conf_sleep_ms(unsigned int ms)
{
	conf_sleep_us(ms * 1000u);
}
/* Let other threads run while polling a condition. */
void conf_backoff(unsigned int *spins);

/* Poll @cond until it holds or @ms pass; evaluates to the final @cond. */
#define CONF_WAIT_UNTIL(cond, ms)                                         \
	__extension__({                                                   \
		u64 __conf_end = conf_now_ms() + (ms);                    \
		unsigned int __conf_spins = 0;                            \
		bool __conf_ok;                                           \
		for (;;) {                                                \
			__conf_ok = (cond);                               \
			if (__conf_ok || conf_now_ms() >= __conf_end)     \
				break;                                    \
			conf_backoff(&__conf_spins);                      \
		}                                                         \
		__conf_ok;                                                \
	})

/* ------------------------------------------------------------ errors from other threads */

/* Record an error seen by a callback or helper thread (any context). */
void conf_async_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int conf_async_errors(void);
/* Fail the running test if errors were recorded since @since. */
void conf_check_async(unsigned int since);
#define conf_check(cc) conf_check_async((cc)->errors_at_start)

/* ------------------------------------------------------------ memory */

/* Memory owned by the running case, freed at its teardown (after the channel
 * is released, so no engine or callback can still touch it). */
void *conf_alloc(struct conf_case *cc, size_t size);
void *conf_zalloc(struct conf_case *cc, size_t size);
/* Free (and unmap) everything conf_alloc(), conf_gbuf*() and conf_map_sg() gave @cc. */
void conf_free_all(struct conf_case *cc);

/* ------------------------------------------------------------ DMA memory */

/*
 * Every address a test hands to a prep call comes from the DMA mapping API on
 * the channel's device (dmaengine_get_dma_device()): a bus address is opaque,
 * only ever a mapping's bus address plus an offset inside that mapping. The
 * CPU and the device take turns on a streaming buffer: conf_cpu() gives it to
 * the CPU (dma_sync_*_for_cpu, or the unmap), conf_dev() to the device
 * (dma_sync_*_for_device, or the map). On a non-coherent device streaming
 * mappings are bounced, so a missing hand-over shows as stale data.
 */
enum conf_mem {
	CONF_MEM_COHERENT, /* dma_alloc_coherent(): no hand-over; for memory the test
			    * watches while the engine runs (conf_peek_*) */
	CONF_MEM_TO_DEV,   /* dma_map_single(DMA_TO_DEVICE) for its whole life, synced at
			    * each hand-over */
	CONF_MEM_BIDI,	   /* the same with DMA_BIDIRECTIONAL */
	CONF_MEM_FROM_DEV, /* dma_map_single(DMA_FROM_DEVICE) at each hand-over to the
			    * device, dma_unmap_single() at each one back (test thread only) */
	CONF_MEM_HOST,	   /* plain memory the test maps itself (conf_map_sg) */
};

/* One buffer and its mapping for one device. */
struct conf_buf {
	struct device *dev; /* whose bus address dma is */
	void *cpu;	    /* CPU address */
	dma_addr_t dma;	    /* bus address of cpu, or DMA_MAPPING_ERROR when not mapped */
	size_t len;	    /* bytes */
	enum conf_mem kind; /* how it is mapped */
	bool dev_owns;	    /* handed to the device (the CPU must not touch it) */
};

/* @len bytes of @kind for @chan's device, CPU-owned; fails the test when refused. */
void conf_buf_alloc(struct conf_buf *b, struct dma_chan *chan, enum conf_mem kind, size_t len);
/* Unmap / free what conf_buf_alloc() gave. */
void conf_buf_free(struct conf_buf *b);
/* Hand @b to the CPU / to the device; nothing when it already has it. Context: any
 * (CONF_MEM_FROM_DEV: the test's thread). */
void conf_buf_for_cpu(struct conf_buf *b);
void conf_buf_for_dev(struct conf_buf *b);

/* A DMA buffer with guard zones before and after (all inside its mapping). */
struct gbuf {
	struct conf_buf mem; /* the whole allocation, guards included */
	u8 *raw;	     /* mem.cpu */
	size_t rawlen;	     /* mem.len */
	u8 *p;		     /* the usable bytes */
	size_t len;	     /* how many */
	u8 *old;	     /* NULL, or the contents at conf_fill_old() time (host memory) */
};

/* @len usable coherent bytes for the case's channel, starting @misalign bytes
 * after a 64-byte boundary. */
struct gbuf *conf_gbuf(struct conf_case *cc, size_t len, size_t misalign);
/* The same, of @kind for @chan's device. */
struct gbuf *conf_gbuf_mem(struct conf_case *cc, struct dma_chan *chan, enum conf_mem kind,
			   size_t len, size_t misalign);

/* Give @b to the CPU (see what the device wrote); @return b->p. */
static inline u8 *conf_cpu(struct gbuf *b)
{
	conf_buf_for_cpu(&b->mem);
	return b->p;
}

/* Give @b to the device (it sees what the CPU wrote): before it is used by an
 * issued transfer (prep may come earlier). */
static inline void conf_dev(struct gbuf *b)
{
	conf_buf_for_dev(&b->mem);
}

/* The bus address of byte @off of @b (0 <= @off <= b->len): its mapping's bus
 * address plus the offset. Aborts on a test bug (not mapped, out of range). */
dma_addr_t conf_bus(const struct gbuf *b, size_t off);

/*
 * conf_map_sg - dma_map_sg() of the @nents entries of @sg (set up with
 * sg_set_buf, in CONF_MEM_HOST memory) for @chan's device, unmapped at
 * teardown unless conf_unmap_sg() did it before. Fails the test when nothing
 * is mapped. @return the number of mapped entries: what prep takes.
 */
int conf_map_sg(struct conf_case *cc, struct dma_chan *chan, struct scatterlist *sg, int nents,
		enum dma_data_direction dir);
/* dma_unmap_sg() of a list from conf_map_sg(): the CPU sees what the device wrote. */
void conf_unmap_sg(struct conf_case *cc, struct scatterlist *sg);

/* Fill with the source pattern (bytes 0x00-0x7f) from pattern index @start. */
void conf_fill_src(struct gbuf *b, u64 start);
/* Fill with the "old" pattern (bytes 0x80-0xff) and keep a copy in b->old. */
void conf_fill_old(struct conf_case *cc, struct gbuf *b, u64 start);
/* Restore b->old into [off, off + len). */
void conf_restore(struct gbuf *b, size_t off, size_t len);
/* Guards intact? */
bool conf_guards_ok(struct gbuf *b);
/* A fresh image of the expected contents: a copy of b->old. */
u8 *conf_expect(struct conf_case *cc, const struct gbuf *b);

/* Index of the first byte where @a and @b differ, or -1. */
long conf_diff(const u8 *a, const u8 *b, size_t len);
/* First byte of @p that is not @v, or -1. */
long conf_diff_byte(const u8 *p, u8 v, size_t len);
/* Every byte is either @old's or @new's: first offending index, or -1. */
long conf_old_or_new(const u8 *p, const u8 *old, const u8 *newp, size_t len);
/* Same, with a fill byte as the new value. */
long conf_old_or_fill(const u8 *p, const u8 *old, u8 v, size_t len);

/* Assert @b's contents equal @exp (and the guards), with a useful message. */
void conf_assert_image(struct gbuf *b, const u8 *exp, const char *what);

/* Reads and writes of memory an engine may be using right now. */
bool conf_peek_eq(const void *p, const void *want, size_t len);
u8 conf_peek_byte(const void *p);
void conf_poke_fill(void *p, u8 v, size_t len);

/* ------------------------------------------------------------ callback tracker */

struct conf_track;

struct conf_cb {
	struct conf_track *t; /* owner */
	u32 idx;	      /* descriptor index */
};

/*
 * Records the callbacks of @n descriptors: how often each fired, in which
 * order, and checks in the callback: completion context, result NOERROR with
 * residue 0, no callback once the test closed the tracker, and (when asked)
 * the channel's cookie status.
 */
struct conf_track {
	struct dma_chan *chan;	 /* their channel */
	u32 n;			 /* descriptors */
	bool in_order;		 /* the channel completes in order */
	bool check_status;	 /* call tx_status on the cookie in the callback */
	dma_cookie_t *cookie;	 /* per index, stored by the test before issue */
	u32 *fired;		 /* callbacks per index (atomic) */
	u32 *order;		 /* order[k]: index of the k-th callback */
	u32 count;		 /* callbacks so far (atomic) */
	u32 expect;		 /* complete(done) when count reaches it */
	struct completion done;	 /* see expect */
	dma_cookie_t last_done;	 /* last completed cookie seen in a callback */
	int terminate_at;	 /* index whose callback terminates, or -1 */
	int term_ret;		 /* dmaengine_terminate_async() there */
	int sync_ret;		 /* dmaengine_synchronize() there (-EDEADLK expected) */
	int term_sync_ret;	 /* dmaengine_terminate_sync() there (-EDEADLK expected) */
	struct completion term_done; /* the terminating callback finished */
	u32 terminated;		 /* a callback terminated the channel (atomic) */
	u32 after_term;		 /* callbacks that started after that (atomic) */
	u32 closed;		 /* the test synchronized: callbacks are errors (atomic) */
	u32 inside;		 /* callbacks running now (atomic) */
	u32 ctx_errors;		 /* callbacks outside completion context (atomic) */
	u64 spin_ns;		 /* busy time in each callback */
	int slow_at;		 /* index whose callback is slow (slow_ns), or -1 */
	u64 slow_ns;
	struct conf_cb *cbs;	 /* parameters, one per index */
};

struct conf_track *conf_track_new(struct conf_case *cc, struct dma_chan *chan, u32 n);
/* Set the callback of @tx to report index @idx of @t (callback_result). */
void conf_track_set(struct conf_track *t, struct dma_async_tx_descriptor *tx, u32 idx);
/* The same with the old-style callback. */
void conf_track_set_plain(struct conf_track *t, struct dma_async_tx_descriptor *tx, u32 idx);
/* Wait until t->expect callbacks came; false on time-out. */
bool conf_track_wait(struct conf_track *t);
/* Wait for every callback of @t: each exactly once, and in order on in-order
 * channels; a failure names @what. */
void conf_track_wait_all(struct conf_track *t, const char *what);
static inline u32 conf_track_count(struct conf_track *t)
{
	return __atomic_load_n(&t->count, __ATOMIC_ACQUIRE);
}
static inline u32 conf_track_fired(struct conf_track *t, u32 idx)
{
	return __atomic_load_n(&t->fired[idx], __ATOMIC_ACQUIRE);
}
static inline void conf_track_close(struct conf_track *t)
{
	__atomic_store_n(&t->closed, 1, __ATOMIC_RELEASE);
}

/* Submit @tx, assert a valid cookie; returns it. */
dma_cookie_t conf_submit(struct dma_async_tx_descriptor *tx);

/* ------------------------------------------------------------ channel attrs */

/* Read a numeric sysfs-style attribute of @chan; asserts success. */
unsigned long conf_attr_ul(struct dma_chan *chan, const char *attr);

/* ------------------------------------------------------------ sets of copies */

struct cp_op {
	size_t soff; /* in src */
	size_t doff; /* in dst */
	size_t len;  /* bytes */
};

/* @n copies laid out in slots of src and dst; exp is dst's expected image. */
struct cp_set {
	struct gbuf *src, *dst;
	u8 *exp;
	struct cp_op *op;
	u32 n;
};

/*
 * conf_cp_set - @n copies of @minlen..@maxlen bytes (random, rounded to the
 * device's copy alignment) at random aligned offsets, each in its own slot;
 * src filled with the source pattern, dst with the old pattern, exp updated.
 * @stream: src and dst are streaming mappings (TO_DEV, BIDI), else coherent
 * (needed when the test watches dst while the engine runs).
 */
struct cp_set *conf_cp_set(struct conf_case *cc, struct dma_chan *chan, u32 n, size_t minlen,
			   size_t maxlen, bool stream);
/* Prepare copy @i of @s (handing src and dst to the device). */
struct dma_async_tx_descriptor *conf_cp_prep(struct dma_chan *chan, struct cp_set *s, u32 i,
					     unsigned long flags);
/*
 * conf_cp_submit_all - prepare and submit copies [0, s->n) with the
 * callbacks of @t (index = copy), storing cookies in t->cookie; checks each
 * cookie follows the previous one. Issues once at the end, and also whenever
 * the descriptor pool runs dry (then waits for descriptors to come back).
 */
void conf_cp_submit_all(struct dma_chan *chan, struct cp_set *s, struct conf_track *t,
			unsigned long flags);
/* Wait until @prep (an expression) gives a descriptor; fails after the time-out. */
#define CONF_PREP(expr)                                                             \
	__extension__({                                                             \
		struct dma_async_tx_descriptor *__conf_tx = (expr);                 \
		if (!__conf_tx && !CONF_WAIT_UNTIL((__conf_tx = (expr)) != NULL,    \
						   CONF_TIMEOUT_MS))                \
			fail_msg("%s returned NULL for %u ms", #expr, CONF_TIMEOUT_MS); \
		__conf_tx;                                                          \
	})

#endif /* CONF_CONFORMANCE_H */
