/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/trace.h - trace events of every descriptor's life, written as a
 * Chrome / Perfetto trace-event JSON file (load it in https://ui.perfetto.dev
 * or chrome://tracing).
 *
 * For applications: the first section. Either
 *
 *   DMAENGINE_TRACE=dma.json ./program          traced from load to exit
 *
 * or, around the part of a program to look at,
 *
 *   dmaengine_trace_start("dma.json");
 *   ... prep, submit, issue, callbacks, terminate ...
 *   dmaengine_trace_stop();                      the file is complete here
 *
 * What is recorded, with its CLOCK_MONOTONIC time, on the channel it happens on:
 *
 *   prep         a prep call returned a descriptor (or failed: "prep failed")
 *   submit       dmaengine_submit() gave it a cookie (time taken before the call)
 *   issue        dma_async_issue_pending(): everything submitted up to a cookie
 *   start        the engine begins the descriptor              (provider hook)
 *   complete     the engine is done; its cookie is complete     (provider hook)
 *   callback     the completion callback, begin to end          (provider hooks)
 *   abort        a terminate dropped the descriptor             (provider hook)
 *   terminate    dmaengine_terminate_async() / _all() / _sync()
 *   synchronize  dmaengine_synchronize() returned
 *   pause, resume
 *
 * The file: {"traceEvents":[...], "otherData":{...}}, timestamps ("ts") in
 * microseconds with three decimals.
 * Each DMA device is a process (pid dev_id + 1, process_name its dev_name()),
 * each channel a thread of it (tid pid * 1000 + chan_id, thread_name
 * "dma0chan1"). Steps are instant events ("ph":"i") on the channel with
 * args {"cookie", "desc"}; callbacks are duration events ("ph":"X"); each
 * descriptor's time in flight, submit to complete (or abort), is an async
 * slice ("ph":"b"/"e", "id2":{"local": its address}) named after the channel.
 * otherData counts the events written and those dropped. (On a device that
 * completes out of order with several workers per channel, the callbacks of
 * one channel may overlap in time; viewers then show them as best they can.)
 *
 * Cost: with tracing off, every hook is one relaxed load and a branch not
 * taken; nothing is allocated. With tracing on, an event is a few dozen
 * nanoseconds: the clock, and a lock-free enqueue into one of a few
 * preallocated buffers, from which a writer thread formats the file. When
 * the writer falls behind, events are dropped, never waited for, and the
 * count of dropped events goes into the file.
 *
 * For providers: the second section. The core records prep, submit, issue,
 * terminate, synchronize, pause and resume itself; virt-dma records start
 * (vchan_next_desc()), complete (vchan_cookie_complete()), callbacks (its
 * tasklet) and aborts (vchan_dma_desc_free_list()). A provider that does
 * not use virt-dma calls the dmae_trace_tx_*() and dmae_trace_callback_*()
 * hooks itself where its engine starts, completes, aborts a descriptor and
 * calls its callback.
 */
#ifndef DMAENGINE_TRACE_H
#define DMAENGINE_TRACE_H

#include <stdbool.h>
#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

struct dma_chan;
struct dma_async_tx_descriptor;
struct dmaengine_desc_callback;

/* ---------------------------------------------------------- applications */

/**
 * dmaengine_trace_start - record every descriptor's life into the trace-event
 * JSON file @path (created or truncated now) until dmaengine_trace_stop() or
 * the normal end of the process.
 * @return 0; -EINVAL (NULL or empty @path); -EBUSY (tracing is on already,
 * perhaps from DMAENGINE_TRACE); -ENOMEM; the -errno of opening @path; the
 * -errno of starting the writer thread; -EDEADLK (called from a callback or
 * an interrupt handler: one warning line). Context: process.
 */
DMAE_EXPORT int dmaengine_trace_start(const char *path);

/**
 * dmaengine_trace_stop - stop recording and complete the file: the events
 * still buffered, the device and channel names, the counts. Callbacks that
 * are running are waited for (up to 200 ms) so that their ends are in the
 * file; other hooks running at the same moment may be left out.
 * @return 0; -EINVAL (tracing is not on, or was started by the parent of
 * this forked process, whose file it leaves alone); -EIO (the file could not
 * be written completely: full disk...); -EDEADLK (called from a callback or
 * an interrupt handler: one warning line). Context: process.
 */
DMAE_EXPORT int dmaengine_trace_stop(void);

/** Whether tracing is on. Context: any. */
DMAE_EXPORT bool dmaengine_trace_enabled(void);

/* ------------------------------------------------------------ the events */

enum dmae_trace_event {
	DMAE_TRACE_PREP = 0,	    /* a prep call returned */
	DMAE_TRACE_SUBMIT = 1,	    /* dmaengine_submit */
	DMAE_TRACE_ISSUE = 2,	    /* dma_async_issue_pending */
	DMAE_TRACE_START = 3,	    /* the engine begins a descriptor */
	DMAE_TRACE_COMPLETE = 4,    /* the engine finished it */
	DMAE_TRACE_CALLBACK = 5,    /* its callback ran (a duration) */
	DMAE_TRACE_ABORT = 6,	    /* a terminate dropped it */
	DMAE_TRACE_TERMINATE = 7,   /* dmaengine_terminate_* */
	DMAE_TRACE_SYNCHRONIZE = 8, /* dmaengine_synchronize returned */
	DMAE_TRACE_PAUSE = 9,	    /* dmaengine_pause */
	DMAE_TRACE_RESUME = 10,	    /* dmaengine_resume */
	/* Simulated boards, stamped with virtual time (host time beside): */
	DMAE_TRACE_REG_READ = 11,   /* a register read by the CPU, and its value */
	DMAE_TRACE_REG_WRITE = 12,  /* a register write by the CPU */
	DMAE_TRACE_HW_EVENT = 13,   /* a model's event ran */
	DMAE_TRACE_IRQ_LINE = 14,   /* a model's interrupt line went high or low */
	DMAE_TRACE_REQUEST = 15,    /* a request line between models changed */
	DMAE_TRACE_NR = 16,	    /* number of event types */
};

/* ------------------------------------------------- hooks (core, providers) */

/*
 * The tracing state every hook reads (relaxed): 0 off, 1 on, 2 stopping
 * (only the ends of callbacks begun while on are still recorded).
 */
DMAE_EXPORT extern int dmae_trace_on;

static inline bool dmae_trace_active(void)
{
	return __builtin_expect(__atomic_load_n(&dmae_trace_on, __ATOMIC_RELAXED) == 1, 0);
}

/* The recording halves of the hooks below: called only while tracing is on. */
DMAE_EXPORT void dmae_trace_prep_event(struct dma_chan *chan, unsigned int op,
				       struct dma_async_tx_descriptor *tx);
DMAE_EXPORT s32 dmae_trace_submit(struct dma_async_tx_descriptor *tx);
DMAE_EXPORT void dmae_trace_chan_event(struct dma_chan *chan, enum dmae_trace_event type);
DMAE_EXPORT void dmae_trace_tx_event(struct dma_async_tx_descriptor *tx,
				     enum dmae_trace_event type, unsigned int result);
DMAE_EXPORT void dmae_trace_callback_enter(struct dma_async_tx_descriptor *tx,
					   const struct dmaengine_desc_callback *cb);
DMAE_EXPORT void dmae_trace_callback_exit(struct dma_async_tx_descriptor *tx);

/**
 * dmae_trace_prep - record that a prep of @op (enum dma_transaction_type) on
 * @chan returned @tx (NULL: it failed). @return @tx. For the core's prep
 * wrappers and for code that calls a provider's prep op directly.
 */
static inline struct dma_async_tx_descriptor *
dmae_trace_prep(struct dma_chan *chan, unsigned int op, struct dma_async_tx_descriptor *tx)
{
	if (dmae_trace_active())
		dmae_trace_prep_event(chan, op, tx);
	return tx;
}

/** dmae_trace_issue - issue_pending on @chan, for code that calls the op directly. */
static inline void dmae_trace_issue(struct dma_chan *chan)
{
	if (dmae_trace_active())
		dmae_trace_chan_event(chan, DMAE_TRACE_ISSUE);
}

/**
 * dmae_trace_tx_start - the engine begins @tx (submitted: its cookie set).
 * Context: any; where the provider takes the descriptor to run it.
 */
static inline void dmae_trace_tx_start(struct dma_async_tx_descriptor *tx)
{
	if (dmae_trace_active())
		dmae_trace_tx_event(tx, DMAE_TRACE_START, 0);
}

/**
 * dmae_trace_tx_complete - the engine finished @tx with @result (enum
 * dmaengine_tx_result). Call it before the cookie is completed
 * (dma_cookie_complete() clears tx->cookie). Context: any.
 */
static inline void dmae_trace_tx_complete(struct dma_async_tx_descriptor *tx,
					  unsigned int result)
{
	if (dmae_trace_active())
		dmae_trace_tx_event(tx, DMAE_TRACE_COMPLETE, result);
}

/**
 * dmae_trace_tx_abort - a terminate dropped @tx (never completed, or
 * completed without its callback). Context: any; before @tx is freed.
 */
static inline void dmae_trace_tx_abort(struct dma_async_tx_descriptor *tx)
{
	if (dmae_trace_active())
		dmae_trace_tx_event(tx, DMAE_TRACE_ABORT, 0);
}

/**
 * dmae_trace_callback_begin - the callback @cb of @tx is about to run (the
 * copy taken with dmaengine_desc_get_callback(); nothing is recorded when it
 * has no function). Pair it with dmae_trace_callback_end() on the same
 * thread. Context: completion.
 */
static inline void dmae_trace_callback_begin(struct dma_async_tx_descriptor *tx,
					     const struct dmaengine_desc_callback *cb)
{
	if (dmae_trace_active())
		dmae_trace_callback_enter(tx, cb);
}

/**
 * dmae_trace_callback_end - the callback begun with dmae_trace_callback_begin()
 * returned. @tx is not read: the callback may have resubmitted or freed it.
 */
static inline void dmae_trace_callback_end(struct dma_async_tx_descriptor *tx)
{
	if (__builtin_expect(__atomic_load_n(&dmae_trace_on, __ATOMIC_RELAXED) != 0, 0))
		dmae_trace_callback_exit(tx);
}

/* ------------------------------------------------- hooks (simulated boards) */

/*
 * A traced unit of a simulated board: the board itself (its events and
 * lines) or a model instance (its registers and request lines). Each is a
 * process of the trace file, with tracks "registers", "interrupts",
 * "events" and "requests"; its events carry virtual time in "ts" and the
 * host's time in their args.
 */
#define DMAE_TRACE_UNIT_NAME 64
struct dmae_trace_unit {
	u16 id;				 /* its trace id (dmae_trace_unit_init) */
	char name[DMAE_TRACE_UNIT_NAME]; /* shown as the process name */
};

/** dmae_trace_unit_init - give @u an id and the name @name. Context: any. */
DMAE_EXPORT void dmae_trace_unit_init(struct dmae_trace_unit *u, const char *name);
/* The recording half of dmae_trace_board(). */
DMAE_EXPORT void dmae_trace_board_event(const struct dmae_trace_unit *u,
					enum dmae_trace_event type, u64 virt_ps, u64 value,
					u32 where, u8 arg);

/**
 * dmae_trace_board - record a board event of @u at virtual time @virt_ps:
 * REG_READ/REG_WRITE (@value, offset @where, size @arg), HW_EVENT (@value: a
 * static name string), IRQ_LINE (@where: the Linux irq, @arg: the level),
 * REQUEST (@value: a static port name, @where: the line, @arg: the level).
 */
static inline void dmae_trace_board(const struct dmae_trace_unit *u, enum dmae_trace_event type,
				    u64 virt_ps, u64 value, u32 where, u8 arg)
{
	if (dmae_trace_active())
		dmae_trace_board_event(u, type, virt_ps, value, where, arg);
}

DMAE_END_DECLS

#endif /* DMAENGINE_TRACE_H */
