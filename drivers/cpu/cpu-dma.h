/* SPDX-License-Identifier: MIT */
/*
 * cpu-dma.h - private to the cpu provider: descriptors, channels, workers.
 *
 * The fast path takes no lock and makes no system call:
 *   prep     takes the next free descriptor of the pool in ring order: with
 *            in-order completion they free up in the order they are used, so
 *            client and worker stream through the pool like a ring
 *   submit   one CAS on submit_word hands out the cookie and the ring ticket
 *            together, then publishes the descriptor in ring[ticket]
 *   issue    raises the issued watermark; wakes the worker only if it sleeps
 *   worker   consumes tickets below the watermark in order, runs them in
 *            chunks, publishes completed_cookie, then calls callbacks in
 *            completion context and marks descriptors free
 * Control requests (terminate, pause, synchronize, release) bump ctl_gen; each
 * worker serving the channel acknowledges at the top of its next visit, where
 * it is neither inside a descriptor nor inside a callback of that channel.
 */
#ifndef CPU_DMA_H
#define CPU_DMA_H

#include <dmaengine/cpu.h>
#include <dmaengine/provider.h>

#define CPU_DMA_BATCH 128	 /* descriptors completed per visit at most */
#define CPU_SEGS_PER_BLOCK 14	 /* segments in one segment block */
#define CPU_DMA_MAX_LEN 0xffffffffull /* residue is a u32 */
#define CPU_PREFETCH 8		 /* descriptors fetched ahead of use */

enum cpu_desc_state {
	CPU_DESC_FREE = 0,     /* on the free stack */
	CPU_DESC_PREPARED = 1, /* owned by the client */
	CPU_DESC_QUEUED = 2,   /* in the ring or running */
	CPU_DESC_DONE = 3,     /* completed: callback phase, or waiting for ACK */
};
#define CPU_STATE(s) ((s) & 3u)
#define CPU_STATE_SUBS(s) ((s) >> 2) /* submissions so far */
#define CPU_STATE_MAKE(subs, st) (((subs) << 2) | (st))

enum cpu_desc_op {
	CPU_OP_COPY = 0, /* copy each segment src -> dst */
	CPU_OP_FILL = 1, /* fill each segment's dst with fill */
	CPU_OP_NOP = 2,	 /* no data (DMA_INTERRUPT) */
	CPU_OP_2D = 3,	 /* interleaved frames of chunks */
	CPU_OP_XOR = 4,	 /* seg0.dst = XOR of the sources */
	CPU_OP_XOR_VAL = 5, /* is the XOR of the sources zero? */
	CPU_OP_PQ = 6,	    /* P (seg0.dst) and Q (seg0.src) of the sources */
	CPU_OP_PQ_VAL = 7,  /* do P and Q match the sources? */
};

/*
 * RAID operations keep their sources as words: the source bus addresses in
 * words [0, nsegs), then (PQ, PQ_VAL) the coefficients packed eight to a
 * word; in the descriptor's raid_word when they fit, else in segment blocks.
 * seg0 holds P or the XOR destination (dst), Q (src) and the length.
 */
#define CPU_RAID_MAX_SRCS 64
#define CPU_WORDS_PER_BLOCK (CPU_SEGS_PER_BLOCK * 3)
/* Words a descriptor holds itself: a RAID operation of up to 8 sources
 * (9 words with PQ coefficients) needs no segment block. */
#define CPU_RAID_INLINE 9

/* A piece of work; for CPU_OP_2D a chunk: len bytes, then src/dst gaps. */
struct cpu_seg {
	dma_addr_t dst; /* destination, or the destination gap (2D) */
	dma_addr_t src; /* source, or the source gap (2D) */
	u64 len;	/* bytes */
};

struct cpu_seg_block {
	union {
		struct cpu_seg seg[CPU_SEGS_PER_BLOCK]; /* segments in order */
		u64 word[CPU_WORDS_PER_BLOCK];		/* RAID sources and coefficients */
	};
	u32 next;				/* index + 1 of the next block, 0 last */
	u32 free_next;				/* free stack link */
};

struct cpu_desc {
	/*
	 * The first line holds all a plain copy or fill needs besides tx: prep,
	 * submit and the worker write it, and it travels between their caches
	 * with tx's first line. tx's second line and the rest are written only
	 * off the fast path, so both sides keep them.
	 */
	u32 state;	     /* CPU_STATE_MAKE(subs, state); atomic */
	u32 ticket;	     /* ring position of the current submission; atomic */
	u32 gen;	     /* terminate generation seen at submit */
	u32 nsegs;	     /* segments (COPY/FILL) or chunks per frame (2D) */
	u64 len;	     /* bytes of one pass; atomic (read by tx_status) */
	struct cpu_seg seg0; /* the only segment when blocks == 0 */
	u32 blocks;	     /* index + 1 of the first segment block, 0: seg0 only */
	u8 op;		     /* enum cpu_desc_op */
	u8 fill;	     /* memset byte */
	u8 fault;	     /* enum dmaengine_tx_result of a failed bus access, or NOERROR */
	u8 inject;	     /* enum dma_cpu_fault_kind picked for this run (cpu-fault.c) */
	u8 raid_flags;	     /* DMAE_RAID_* of a PQ operation */
	u8 raid_res;	     /* SUM_CHECK_* bits found so far (VAL operations) */
	u8 inject_mask;	     /* CORRUPT: bits to flip */

	struct dma_async_tx_descriptor tx __attribute__((aligned(64))); /* what the client sees */
	u32 index;	     /* position in the channel's pool */
	u32 fault_residue;   /* bytes not moved when the access failed */
	u64 numf;	     /* 2D: frames */
	dma_addr_t src_start, dst_start; /* 2D: first addresses */
	struct cpu_desc *unacked_next;	 /* lane's list of descriptors waiting for ACK */
	void *result;			 /* XOR_VAL / PQ_VAL: where the verdict goes */
	u64 raid_word[CPU_RAID_INLINE];	 /* RAID words when blocks == 0 */
	u64 inject_arg;	/* DELAY: due time (dmae_clock_ns); CORRUPT: destination byte */
} __attribute__((aligned(64)));

/* Where a worker stands in a descriptor. */
struct cpu_pos {
	u32 block;	/* current block (index + 1), 0 for seg0 */
	u32 i;		/* segment in the block */
	u32 seg;	/* segment number (2D: chunk in frame) */
	u64 off;	/* bytes done in the segment */
	u64 frame;	/* 2D: frame */
	dma_addr_t src; /* 2D: address of the current chunk's source */
	dma_addr_t dst; /* 2D: address of the current chunk's destination */
	u64 done;	/* bytes done in this pass */
	u64 published;	/* done when progress was last published */
};

/* The state of one worker on one channel. */
struct cpu_lane {
	struct cpu_desc *cur;	  /* descriptor stopped mid-way (pause, repeat), or NULL */
	struct cpu_pos pos;	  /* progress in cur */
	u32 seen_ctl;		  /* ctl_gen acknowledged; atomic */
	u32 seen_term;		  /* term_gen handled */
	struct cpu_desc *unacked; /* completed, waiting for DMA_CTRL_ACK */
	bool serving;		  /* this worker serves the channel */
} __attribute__((aligned(64)));

struct cpu_dev;
struct cpu_worker;

struct cpu_chan {
	struct dma_chan chan;	 /* the dmaengine channel */

	/*
	 * Read-only once the channel is probed: on a line no thread writes, so
	 * that reading them costs neither side a cache miss.
	 */
	struct cpu_dev *cd __attribute__((aligned(64))); /* owning device */
	struct cpu_worker *worker;     /* the worker of an in-order channel */
	struct cpu_lane *lanes;	       /* one per worker of the device */
	struct cpu_desc *descs;	       /* descriptor pool */
	struct cpu_seg_block *blocks;  /* segment block pool */
	struct cpu_desc **ring;	       /* submitted descriptors by ticket */
	u32 ndescs, nblocks, ring_mask; /* sizes (ndescs a power of two) */
	u32 desc_mask;		       /* ndescs - 1 */

	/*
	 * Client side: written by prep and submit, read by no worker. While one
	 * thread alone uses the channel (owner), it updates alloc_idx and
	 * submit_word with plain stores; the first other thread turns the
	 * channel shared for good (cpu_chan_share) and from then on every client
	 * uses CAS.
	 */
	void *owner __attribute__((aligned(64))); /* the one client thread, or NULL */
	u32 shared;				  /* a second thread came: CAS only; atomic */
	u32 owner_busy;				  /* the owner is inside prep/submit; atomic */
	u64 submit_word;			  /* last cookie << 32 | next ticket */
	u32 alloc_idx;				  /* where prep looks for a free descriptor */

	/* Its own line: clients raise it once per batch, the worker polls it. */
	u32 issued __attribute__((aligned(64))); /* tickets below it are issued */

	/* Control: terminate, pause, barrier; read on the fast path, written rarely. */
	spinlock_t ctl_lock __attribute__((aligned(64))); /* serialises terminate requests */
	u32 term_gen;		   /* terminate generation; atomic */
	u32 term_ticket;	   /* tickets below it are aborted (latest terminate) */
	u32 ctl_gen;		   /* bumped by every control request; atomic */
	u32 paused;		   /* dmaengine_pause in force; atomic */
	u32 allocated;		   /* between alloc and free_chan_resources; atomic */
	wait_queue_head_t ctl_wq;  /* sleepers waiting for acknowledgements */
	/* Read by every tx_status of a completed cookie, written only on a fault. */
	dma_cookie_t error_cookie; /* latest transfer that failed a bus access; atomic */

	/* Free segment blocks: taken by prep, given back by whoever frees. */
	u64 block_head __attribute__((aligned(64))); /* {tag, index+1} */

	/* Worker side. */
	u32 head __attribute__((aligned(64))); /* next ticket to consume */
	/* Out of order: DMA_PREP_FENCE. Tickets from fence_hold on wait until
	 * finished (descriptors run to the end or aborted) reaches it. */
	u32 finished;
	u32 fence_hold;
	u64 progress;		 /* ticket << 32 | bytes done of the running one */

	/* A polling client running descriptors for the sleeping worker (cpu-worker.c). */
	unsigned long client_runs __attribute__((aligned(64))); /* descriptors polling
								  * clients ran; atomic */
	unsigned long poll_yields; /* polls that let the held-up worker run (cpu-dma.c); atomic */
} __attribute__((aligned(64)));

struct cpu_worker {
	struct cpu_dev *cd;	    /* owning device */
	unsigned int idx;	    /* index in cd->workers and lanes */
	struct dmae_thread *thread; /* the thread */
	wait_queue_head_t wq;	    /* where it sleeps when idle */
	struct cpu_chan **chans;    /* channels it serves */
	unsigned int nchans;	    /* entries in chans */
	u32 stop;		    /* asked to exit; atomic */
	struct cpu_desc *done[CPU_DMA_BATCH]; /* completed in the current visit */
	struct cpu_desc *run[CPU_DMA_BATCH];  /* the shared run it owns, in ring order */
	unsigned int nrun;		    /* entries in run */
	u64 next_due;		    /* earliest due time of a parked DELAY seen since it slept, 0 none */
	u64 assist_at;		    /* helping: offset of its chunk of the shared span, or
				     * CPU_ASSIST_IDLE / CPU_ASSIST_CLAIMING; atomic */
	/* Crowding: does it wait for its CPU (more runnable threads than CPUs)? */
	u64 crowd_at;		    /* when its statistics were last read (ns) */
	s64 crowd_run, crowd_wait;  /* the times of the last verdict (dmae_thread_sched_ns) */
	u64 crowd_hold_ns;	    /* how long the last crowded verdict holds; 0 not crowded */
	u64 crowded_until;	    /* no helping with shared runs before this (ns); atomic */
	/* Its own line: polling clients read it while the worker runs. */
	u32 hold __attribute__((aligned(64))); /* who may touch its lanes: CPU_HOLD_*; atomic */
} __attribute__((aligned(64)));

/* cpu_worker.hold: the worker runs, sleeps, or a polling client holds its lanes. */
#define CPU_HOLD_WORKER 0
#define CPU_HOLD_ASLEEP 1
#define CPU_HOLD_CLIENT 2

#define CPU_ASSIST_CLIENTS 4	   /* polling clients that may help at once */
#define CPU_ASSIST_POLL_CHUNKS 4   /* chunks a poll moves at most */
#define CPU_ASSIST_IDLE (~0ull)		/* no chunk of the shared span */
#define CPU_ASSIST_CLAIMING (~0ull - 1) /* taking one: its offset is not known yet */

/* One piece of a shared run: a descriptor's copy or fill, or what is left of a span. */
struct cpu_assist_piece {
	dma_addr_t dst, src; /* where the piece's offset 0 is */
	u64 start;	     /* offset of its first byte in the run */
	u64 fault;	     /* lowest failing offset in the run << 2 | dmaengine_tx_result,
			      * or ~0; atomic */
	u8 op;		     /* CPU_OP_COPY or CPU_OP_FILL */
	u8 fill;	     /* memset byte */
};

/*
 * Copies and fills shared out among the device's workers and polling
 * clients, a chunk at a time (cpu-worker.c): the rest of one large span, or
 * a run of consecutive plain descriptors of an in-order channel, laid end to
 * end. One at a time per device: its owner (the worker running the
 * descriptors) takes it, offers it with open, claims chunks in order like the
 * helpers, and before it returns closes it and waits until no helper is
 * inside a chunk: then every claimed chunk is done, and the bytes below next
 * are a moved prefix of the run.
 */
struct cpu_assist {
	u32 taken;	     /* an owner holds it; atomic */
	u32 open;	     /* helpers may claim; atomic, seq_cst with busy */
	u32 busy;	     /* helpers between their check of open and their last chunk */
	u32 npieces;	     /* pieces of the run, 1..CPU_DMA_BATCH */
	struct device *dev;  /* whose bus access */
	u64 end;	     /* offset where the run ends */
	u64 chunk;	     /* bytes per claim */
	u64 next;	     /* next offset to claim; atomic */
	u64 quiet_until;     /* no sharing before this time (ns); atomic */
	u64 backoff_ns;	     /* the next pause after a slow close; owner only */
	struct cpu_assist_piece piece[CPU_DMA_BATCH]; /* in run order */
	/* Polling clients helping (dmae__cpu_assist_poll): like assist_at. */
	u64 client_at[CPU_ASSIST_CLIENTS];
	u64 polled_at;	     /* when a client last polled for a completion (ns); atomic */
	unsigned long client_helps; /* times a polling client moved chunks; atomic */
	unsigned long batches;	     /* runs of descriptors shared out; atomic */
} __attribute__((aligned(64)));

struct cpu_dev {
	struct dma_device dma;	    /* the dmaengine device */
	struct device dev;	    /* its struct device */
	struct device_driver drv;   /* driver name "cpu-dma" */
	struct dma_cpu_params p;    /* parameters, validated */
	struct cpu_chan *chans;	    /* p.channels channels */
	struct cpu_worker *workers; /* p.workers workers */
	struct dmae_wake_relay *relays; /* one per worker: wake-ups for its CPU */
	unsigned long relay_wakes;	/* wake-ups the workers made through them; atomic */
	u32 released;		    /* device_release called */
	struct cpu_assist assist;   /* a large span shared among the workers */
	/* Fault injection (cpu-fault.c). */
	u32 fault_armed;	     /* a fault is to be injected; atomic, read per descriptor */
	spinlock_t fault_lock;	     /* guards the three fields below */
	struct dma_cpu_fault fault;  /* what to inject */
	u64 fault_seen;		     /* descriptors that could have got it, since set */
	unsigned long fault_hits;    /* faults injected since set */
};

static inline struct cpu_chan *to_cpu_chan(struct dma_chan *chan)
{
	return container_of(chan, struct cpu_chan, chan);
}

static inline struct cpu_desc *to_cpu_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct cpu_desc, tx);
}

/* Words of a RAID descriptor: its sources, then PQ coefficients eight to a word. */
static inline u32 cpu_raid_words(u32 nsrc, u8 op)
{
	return nsrc + (op >= CPU_OP_PQ ? (nsrc + 7) / 8 : 0);
}

/*
 * cpu_raid_word - word @w of RAID descriptor @d: in d->raid_word when *@b is
 * 0, else in its chain of blocks, which *@b (start: d->blocks) follows as @w
 * goes up one at a time from 0.
 */
static inline u64 *cpu_raid_word(struct cpu_chan *c, struct cpu_desc *d, u32 *b, u32 w)
{
	if (!*b)
		return &d->raid_word[w];
	if (w && w % CPU_WORDS_PER_BLOCK == 0)
		*b = c->blocks[*b - 1].next;
	return &c->blocks[*b - 1].word[w % CPU_WORDS_PER_BLOCK];
}

/* Wrap-aware "a is before b" on 32-bit tickets. */
static inline bool cpu_ticket_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/*
 * cpu_ring_peek - the descriptor submitted with @ticket if it is in its ring
 * slot, else NULL. A slot keeps its last descriptor, so the descriptor's own
 * ticket (stored with release by submit) says which lap it belongs to.
 */
static inline struct cpu_desc *cpu_ring_peek(struct cpu_chan *c, u32 ticket)
{
	struct cpu_desc *d = __atomic_load_n(&c->ring[ticket & c->ring_mask], __ATOMIC_ACQUIRE);

	if (d && __atomic_load_n(&d->ticket, __ATOMIC_ACQUIRE) == ticket)
		return d;
	return NULL;
}

/* Ask for the lines of @d a copy or fill reads, if @d is not NULL. */
static inline void cpu_desc_prefetch(const struct cpu_desc *d)
{
	if (d) {
		__builtin_prefetch((const char *)d, 1);
		__builtin_prefetch((const char *)d + 64, 1);
		__builtin_prefetch((const char *)d + 128, 0);
	}
}

/*
 * cpu_client_enter - start a client operation on @c; true when this thread
 * is the channel's only client and may use plain stores until
 * cpu_client_exit(). Context: any.
 */
bool dmae__cpu_client_slow(struct cpu_chan *c);
extern __thread char dmae__cpu_thread_token;

static inline bool cpu_client_enter(struct cpu_chan *c)
{
	if (dmae_likely(__atomic_load_n(&c->owner, __ATOMIC_RELAXED) == &dmae__cpu_thread_token)) {
		__atomic_store_n(&c->owner_busy, 1, __ATOMIC_RELAXED);
		/* Ordered against cpu_chan_share() by its membarrier, not by a fence here. */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (dmae_likely(!__atomic_load_n(&c->shared, __ATOMIC_RELAXED)))
			return true;
		__atomic_store_n(&c->owner_busy, 0, __ATOMIC_RELEASE);
		return false;
	}
	return dmae__cpu_client_slow(c);
}

static inline void cpu_client_exit(struct cpu_chan *c, bool exclusive)
{
	if (exclusive)
		__atomic_store_n(&c->owner_busy, 0, __ATOMIC_RELEASE);
}

/* The worker serving this thread, or NULL (cpu-worker.c). */
struct cpu_worker *dmae__cpu_current_worker(void);

/* cpu-prep.c */
void dmae__cpu_pool_reset(struct cpu_chan *c);
void dmae__cpu_desc_release(struct cpu_chan *c, struct cpu_desc *d);
void dmae__cpu_set_prep_ops(struct dma_device *dma);

/* cpu-dma.c */
struct cpu_dev *dmae__cpu_dev(struct dma_device *dma);

/* cpu-fault.c */
void dmae__cpu_fault_init(struct cpu_dev *cd);
int dmae__cpu_fault_check(struct cpu_dev *cd, const struct dma_cpu_fault *f);
void dmae__cpu_fault_from_env(struct dma_cpu_fault *f);
void dmae__cpu_fault_pick(struct cpu_chan *c, struct cpu_desc *d);
bool dmae__cpu_fault_start(struct cpu_chan *c, struct cpu_desc *d);
void dmae__cpu_fault_finish(struct cpu_chan *c, struct cpu_desc *d);

/*
 * cpu_fault_pick - when @d starts: does it get a fault? One relaxed load and
 * a predictable branch while none is configured. Context: its worker.
 */
static inline void cpu_fault_pick(struct cpu_chan *c, struct cpu_desc *d)
{
	d->inject = DMA_CPU_FAULT_NONE;
	if (dmae_unlikely(__atomic_load_n(&c->cd->fault_armed, __ATOMIC_RELAXED)))
		dmae__cpu_fault_pick(c, d);
}

/* A DELAY not yet due holds @d back; @d sits in its lane's cur meanwhile. */
static inline bool cpu_desc_parked(const struct cpu_desc *d)
{
	return dmae_unlikely(d->inject == DMA_CPU_FAULT_DELAY);
}

/*
 * A client polling for a descriptor while the worker sleeps runs it itself
 * (dmae__cpu_client_run) if it needs no completion context: no callback, not
 * repeating (and no dependent); and is small (CPU_CLIENT_RUN_BYTES with the
 * ones before it in the same poll). Context: whoever owns @d (the thread that
 * submitted it on an unshared channel, or whoever holds the worker's lanes
 * while @d waits in the ring).
 */
#define CPU_CLIENT_RUN_BYTES (64u << 10)

static inline bool cpu_desc_client_may_run(const struct cpu_desc *d)
{
	return !d->tx.callback && !d->tx.callback_result &&
	       !(__atomic_load_n((const int *)&d->tx.flags, __ATOMIC_RELAXED) & DMA_PREP_REPEAT) &&
	       __atomic_load_n(&d->len, __ATOMIC_RELAXED) <= CPU_CLIENT_RUN_BYTES;
}

/* cpu-worker.c */
int dmae__cpu_workers_start(struct cpu_dev *cd);
bool dmae__cpu_assist_poll(struct cpu_dev *cd);
bool dmae__cpu_client_run(struct cpu_chan *c, u32 ticket);
void dmae__cpu_workers_stop(struct cpu_dev *cd);
void dmae__cpu_wake(struct cpu_chan *c, bool make_way);
/* A terminate after @d's submission covers it. */
static inline bool cpu_desc_aborted(struct cpu_chan *c, const struct cpu_desc *d)
{
	if (dmae_likely(d->gen == __atomic_load_n(&c->term_gen, __ATOMIC_ACQUIRE)))
		return false;
	return cpu_ticket_before(__atomic_load_n(&d->ticket, __ATOMIC_RELAXED),
				 __atomic_load_n(&c->term_ticket, __ATOMIC_RELAXED));
}

#endif /* CPU_DMA_H */
