// SPDX-License-Identifier: MIT
/*
 * trace.c - trace events: the recording half of the hooks, their buffers,
 * the writer thread, and starting and stopping (DMAENGINE_TRACE,
 * dmaengine_trace_start/stop). trace-json.c writes the file.
 *
 * Buffers: TRACE_SHARDS bounded multi-producer queues (Dmitry Vyukov's
 * bounded queue, one consumer), allocated by the first start and kept for
 * the life of the process, so that a hook racing with a stop never writes
 * freed memory. A thread always records into the same queue (picked round
 * robin at its first event): few threads share one. A full queue drops the
 * event and counts it; a hook never waits for the writer.
 *
 * The writer thread drains the queues every TRACE_PERIOD_NS, or sooner when
 * a queue is half full, and formats the events into the file. Events older
 * than the current session (left behind by hooks that raced with an earlier
 * stop) are skipped. Memory: TRACE_SHARDS * TRACE_SHARD_RECS * 48 bytes
 * (6 MiB) plus 256 KiB of per-channel cookies, once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "core/trace-json.h"

#define TRACE_SHARDS 8		  /* event queues; a power of two */
#define TRACE_SHARD_RECS 16384u	  /* events per queue; a power of two */
#define TRACE_PERIOD_NS 2000000	  /* the writer drains every 2 ms */
#define TRACE_CB_DEPTH 4	  /* callbacks nested on one thread, at most */
#define TRACE_CB_WAIT_NS 200000000 /* how long a stop waits for running callbacks */

enum {
	TRACE_OFF = 0,	    /* hooks record nothing */
	TRACE_ON = 1,	    /* hooks record */
	TRACE_STOPPING = 2, /* only the ends of callbacks begun while on */
};

/* One event queue. Slot i starts with seq i; see trace_put and trace_drain_shard. */
struct trace_shard {
	u64 tail __attribute__((aligned(64))); /* next position producers claim; atomic */
	u64 dropped;			       /* events lost to a full queue; atomic */
	u32 callbacks;			       /* traced callbacks running on it; atomic */
	u64 head __attribute__((aligned(64))); /* next position the writer reads; atomic */
	struct dmae_trace_rec *recs;	       /* TRACE_SHARD_RECS slots */
};

/* What the hooks touch: allocated by the first start, never freed. */
struct trace_buffers {
	struct trace_shard shard[TRACE_SHARDS]; /* the event queues */
	struct dmae_trace_names names;		/* device names */
	struct dmae_trace_unit_names units;	/* board unit names */
	s32 last_cookie[DMAE_TRACE_MAX_DEVS][DMAE_TRACE_MAX_CHANS]; /* last submitted; atomic */
};

static struct {
	struct mutex lock;	     /* serialises start and stop */
	struct trace_buffers *buf;   /* NULL until the first start, then published; atomic */
	struct dmae_thread *writer;  /* the writer thread while tracing; lock */
	wait_queue_head_t wq;	     /* where the writer sleeps between drains */
	u32 stop;		     /* asks the writer for a last drain; atomic */
	u32 session;		     /* bumped by every start; atomic */
	u64 start_ns;		     /* start of the session: older events are skipped */
	u64 dropped0;		     /* drop count when the session started */
	pid_t pid;		     /* the process that started it (not a forked child) */
	struct dmae_trace_json json; /* the file; the writer's while it runs */
} trace;

/* TRACE_OFF, TRACE_ON or TRACE_STOPPING: the state every hook reads. */
DMAE_EXPORT int dmae_trace_on;

static u32 trace_next_shard;		/* round robin over the queues; atomic */
static __thread u32 trace_thread_shard; /* this thread's queue + 1; 0 before its first event */

/* The callbacks running on this thread that began while tracing. */
static __thread struct {
	u32 session;				   /* the session they began in */
	u32 depth;				   /* entries of frame in use */
	struct dmae_trace_rec frame[TRACE_CB_DEPTH]; /* their events, without duration */
} trace_cb;

/* The buffers, or NULL before the first start. Acquire: their contents. */
static struct trace_buffers *trace_bufs(void)
{
	return __atomic_load_n(&trace.buf, __ATOMIC_ACQUIRE);
}

static struct trace_shard *trace_thread_queue(struct trace_buffers *b)
{
	u32 i = trace_thread_shard;

	if (dmae_unlikely(!i)) {
		i = __atomic_fetch_add(&trace_next_shard, 1, __ATOMIC_RELAXED) % TRACE_SHARDS + 1;
		trace_thread_shard = i;
	}
	return &b->shard[i - 1];
}

/*
 * trace_put - enqueue @ev, or count it dropped when the queue is full.
 * A slot whose seq equals the position is free for that lap: claim the
 * position (CAS on tail), fill the slot, then publish it with seq = pos + 1.
 * The writer frees it again with seq = pos + TRACE_SHARD_RECS. Context: any.
 */
static void trace_put(struct trace_buffers *b, const struct dmae_trace_rec *ev)
{
	struct trace_shard *s = trace_thread_queue(b);
	u64 pos = __atomic_load_n(&s->tail, __ATOMIC_RELAXED);
	struct dmae_trace_rec *slot;

	for (;;) {
		u64 seq;

		slot = &s->recs[pos & (TRACE_SHARD_RECS - 1)];
		/* Acquire: the writer's reads of the slot's last lap are done. */
		seq = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
		if (seq == pos) {
			if (__atomic_compare_exchange_n(&s->tail, &pos, pos + 1, true,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
				break;
		} else if ((s64)(seq - pos) < 0) {
			__atomic_add_fetch(&s->dropped, 1, __ATOMIC_RELAXED);
			return;
		} else {
			pos = __atomic_load_n(&s->tail, __ATOMIC_RELAXED);
		}
	}
	slot->ts = ev->ts;
	slot->dur = ev->dur;
	slot->desc = ev->desc;
	slot->cookie = ev->cookie;
	slot->dev_id = ev->dev_id;
	slot->chan_id = ev->chan_id;
	slot->type = ev->type;
	slot->arg = ev->arg;
	/* Release: the writer that sees the sequence sees the event. */
	__atomic_store_n(&slot->seq, pos + 1, __ATOMIC_RELEASE);
	/* Now and then: wake the writer early when the queue is half full. */
	if (dmae_unlikely(!(pos & (TRACE_SHARD_RECS / 8 - 1))) &&
	    pos - __atomic_load_n(&s->head, __ATOMIC_RELAXED) >= TRACE_SHARD_RECS / 2)
		wake_up(&trace.wq);
}

/* Keep the name of @device (dev_id @dev) for the file. Context: any. */
static void trace_name_device(struct trace_buffers *b, const struct dma_device *device,
			      unsigned int dev)
{
	struct dmae_trace_names *n = &b->names;

	spin_lock(&n->lock);
	if (device->dev)
		snprintf(n->name[dev], sizeof(n->name[dev]), "%s", dev_name(device->dev));
	else
		snprintf(n->name[dev], sizeof(n->name[dev]), "dma%u", dev);
	__atomic_store_n(&n->dev[dev], device, __ATOMIC_RELEASE);
	spin_unlock(&n->lock);
}

/* In names.dev[]: the device named there is gone; matches no device. */
#define TRACE_DEVICE_GONE ((const struct dma_device *)&trace)

void dmae__trace_device_gone(const struct dma_device *device)
{
	struct trace_buffers *b = trace_bufs();
	unsigned int dev = (unsigned int)device->dev_id % DMAE_TRACE_MAX_DEVS;

	if (!b)
		return;
	/* The name stays for the file; the next device of this id names itself anew. */
	spin_lock(&b->names.lock);
	if (__atomic_load_n(&b->names.dev[dev], __ATOMIC_RELAXED) == device)
		__atomic_store_n(&b->names.dev[dev], TRACE_DEVICE_GONE, __ATOMIC_RELEASE);
	spin_unlock(&b->names.lock);
}

/* Fill the channel fields of @ev from @chan; its device named once. */
static void trace_set_chan(struct trace_buffers *b, struct dmae_trace_rec *ev,
			   const struct dma_chan *chan)
{
	const struct dma_device *device = chan->device;
	unsigned int dev = (unsigned int)device->dev_id % DMAE_TRACE_MAX_DEVS;

	ev->dev_id = (u16)dev;
	ev->chan_id = (u16)((unsigned int)chan->chan_id % DMAE_TRACE_MAX_CHANS);
	if (dmae_unlikely(__atomic_load_n(&b->names.dev[dev], __ATOMIC_ACQUIRE) != device))
		trace_name_device(b, device, dev);
}

/* The last cookie submitted on the channel of @ev, as the submit hook saw it. */
static s32 *trace_last_cookie(struct trace_buffers *b, const struct dmae_trace_rec *ev)
{
	return &b->last_cookie[ev->dev_id][ev->chan_id];
}

/*
 * trace_cookie_later - whether cookie @a came after @b (0: none yet). Cookies
 * run 1..INT_MAX and wrap; racing submits are close, so a difference of half
 * the range or more is a wrap.
 */
static bool trace_cookie_later(s32 a, s32 b)
{
	if (!b)
		return true;
	return a > b ? a - b < (1 << 30) : b - a >= (1 << 30);
}

/* *@last = @cookie if it is later: submits racing on one channel store out of order. */
static void trace_raise_cookie(s32 *last, s32 cookie)
{
	s32 old = __atomic_load_n(last, __ATOMIC_RELAXED);

	while (trace_cookie_later(cookie, old) &&
	       !__atomic_compare_exchange_n(last, &old, cookie, true, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/*
 * trace_event - fill @ev (type, desc, cookie, arg, ts set by the caller) for
 * @chan. False when there is nowhere to record it.
 */
static bool trace_event(struct trace_buffers *b, struct dmae_trace_rec *ev,
			const struct dma_chan *chan)
{
	if (!b || !chan || !chan->device)
		return false;
	ev->dur = 0;
	trace_set_chan(b, ev, chan);
	return true;
}

DMAE_EXPORT void dmae_trace_prep_event(struct dma_chan *chan, unsigned int op,
				       struct dma_async_tx_descriptor *tx)
{
	struct trace_buffers *b = trace_bufs();
	struct dmae_trace_rec ev = {
		.ts = dmae_clock_ns(), .desc = (uintptr_t)tx, .type = DMAE_TRACE_PREP,
		.arg = (u8)op,
	};

	if (trace_event(b, &ev, chan))
		trace_put(b, &ev);
}

/* The submit's time is taken before tx_submit: the engine may run it at once. */
DMAE_EXPORT s32 dmae_trace_submit(struct dma_async_tx_descriptor *tx)
{
	struct trace_buffers *b = trace_bufs();
	struct dmae_trace_rec ev = {
		.ts = dmae_clock_ns(), .desc = (uintptr_t)tx, .type = DMAE_TRACE_SUBMIT,
	};
	struct dma_chan *chan = tx->chan; /* tx is the engine's after tx_submit */

	ev.cookie = tx->tx_submit(tx);
	if (!trace_event(b, &ev, chan))
		return ev.cookie;
	if (ev.cookie > 0)
		trace_raise_cookie(trace_last_cookie(b, &ev), ev.cookie);
	trace_put(b, &ev);
	return ev.cookie;
}

DMAE_EXPORT void dmae_trace_chan_event(struct dma_chan *chan, enum dmae_trace_event type)
{
	struct trace_buffers *b = trace_bufs();
	struct dmae_trace_rec ev = { .ts = dmae_clock_ns(), .type = (u8)type };

	if (!trace_event(b, &ev, chan))
		return;
	ev.cookie = __atomic_load_n(trace_last_cookie(b, &ev), __ATOMIC_RELAXED);
	trace_put(b, &ev);
}

DMAE_EXPORT void dmae_trace_tx_event(struct dma_async_tx_descriptor *tx,
				     enum dmae_trace_event type, unsigned int result)
{
	struct trace_buffers *b = trace_bufs();
	struct dmae_trace_rec ev = {
		.ts = dmae_clock_ns(), .desc = (uintptr_t)tx, .type = (u8)type, .arg = (u8)result,
	};

	if (!tx || !trace_event(b, &ev, tx->chan))
		return;
	/* Written by submit on another thread; the provider's own ordering covers it. */
	ev.cookie = __atomic_load_n(&tx->cookie, __ATOMIC_RELAXED);
	if (ev.cookie < 0)
		ev.cookie = 0; /* prepared, never submitted */
	trace_put(b, &ev);
}

/* ------------------------------------------------------- board events */

static u32 trace_next_unit; /* ids handed out (atomic) */

DMAE_EXPORT void dmae_trace_unit_init(struct dmae_trace_unit *u, const char *name)
{
	u->id = (u16)(__atomic_fetch_add(&trace_next_unit, 1, __ATOMIC_RELAXED) %
		      DMAE_TRACE_MAX_UNITS);
	snprintf(u->name, sizeof(u->name), "%s", name);
}

/* Keep @u's name for the file, once per unit that takes the id. */
static void trace_name_unit(struct trace_buffers *b, const struct dmae_trace_unit *u)
{
	struct dmae_trace_unit_names *n = &b->units;

	if (__atomic_load_n(&n->unit[u->id], __ATOMIC_ACQUIRE) == u)
		return;
	spin_lock(&n->lock);
	snprintf(n->name[u->id], sizeof(n->name[u->id]), "%s", u->name);
	__atomic_store_n(&n->unit[u->id], u, __ATOMIC_RELEASE);
	spin_unlock(&n->lock);
}

DMAE_EXPORT void dmae_trace_board_event(const struct dmae_trace_unit *u,
					enum dmae_trace_event type, u64 virt_ps, u64 value,
					u32 where, u8 arg)
{
	struct trace_buffers *b = trace_bufs();
	struct dmae_trace_rec ev = {
		.ts = virt_ps / 1000, .dur = dmae_clock_ns(), .desc = value,
		.cookie = (s32)where, .type = (u8)type, .arg = arg,
	};

	if (!b || !u || type < DMAE_TRACE_REG_READ || type >= DMAE_TRACE_NR)
		return;
	ev.dev_id = u->id % DMAE_TRACE_MAX_UNITS;
	trace_name_unit(b, u);
	trace_put(b, &ev);
}

/*
 * The begin time and channel of the callback go on this thread's stack, and
 * its queue counts it running, so that a stop waits for its end: the
 * increment comes before the check of the state, and a stop changes the
 * state before it reads the counts (both sequentially consistent), so
 * either the stop waits for this callback or this callback sees the stop.
 */
DMAE_EXPORT void dmae_trace_callback_enter(struct dma_async_tx_descriptor *tx,
					   const struct dmaengine_desc_callback *cb)
{
	struct trace_buffers *b = trace_bufs();
	u32 session = __atomic_load_n(&trace.session, __ATOMIC_RELAXED);
	struct trace_shard *s;
	struct dmae_trace_rec *ev;

	if (!b || !tx || !cb || !dmaengine_desc_callback_valid(cb))
		return;
	if (trace_cb.session != session) {
		trace_cb.session = session; /* what began in an earlier session is forgotten */
		trace_cb.depth = 0;
	}
	if (trace_cb.depth == TRACE_CB_DEPTH)
		return;
	ev = &trace_cb.frame[trace_cb.depth];
	ev->desc = (uintptr_t)tx;
	ev->type = DMAE_TRACE_CALLBACK;
	ev->cookie = 0; /* completed: the cookie is gone */
	ev->arg = 0;
	if (!trace_event(b, ev, tx->chan))
		return;
	s = trace_thread_queue(b);
	__atomic_add_fetch(&s->callbacks, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&dmae_trace_on, __ATOMIC_SEQ_CST) != TRACE_ON) {
		__atomic_sub_fetch(&s->callbacks, 1, __ATOMIC_RELEASE);
		return;
	}
	trace_cb.depth++;
	ev->ts = dmae_clock_ns();
}

DMAE_EXPORT void dmae_trace_callback_exit(struct dma_async_tx_descriptor *tx)
{
	struct trace_buffers *b = trace_bufs();
	u64 now = dmae_clock_ns();
	u32 i = trace_cb.depth;

	if (!b || trace_cb.session != __atomic_load_n(&trace.session, __ATOMIC_RELAXED))
		return;
	while (i && trace_cb.frame[i - 1].desc != (uintptr_t)tx)
		i--;
	if (!i)
		return; /* begun with tracing off, or no callback function */
	trace_cb.depth = i - 1;
	trace_cb.frame[i - 1].dur = now - trace_cb.frame[i - 1].ts;
	trace_put(b, &trace_cb.frame[i - 1]);
	/* Release: the stop that sees the count drop sees the event. */
	__atomic_sub_fetch(&trace_thread_queue(b)->callbacks, 1, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------ the writer */

/* Hand the published events of @s to the file, oldest first. Context: the writer. */
static void trace_drain_shard(struct trace_shard *s)
{
	u64 head = __atomic_load_n(&s->head, __ATOMIC_RELAXED); /* only the writer moves it */

	for (;; head++) {
		struct dmae_trace_rec *slot = &s->recs[head & (TRACE_SHARD_RECS - 1)];

		/* Acquire: pairs with trace_put's release of the event. */
		if (__atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE) != head + 1)
			break;
		/* A board's event carries virtual time in ts and the host's in dur. */
		if ((slot->type >= DMAE_TRACE_REG_READ ? slot->dur : slot->ts) >= trace.start_ns)
			dmae__trace_json_rec(&trace.json, slot);
		/* Release: the slot is free for the next lap once it is read. */
		__atomic_store_n(&slot->seq, head + TRACE_SHARD_RECS, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&s->head, head, __ATOMIC_RELAXED); /* read by trace_put's wake-up */
}

/* Wait (a bounded time) until no callback begun while on is still running. */
static void trace_wait_callbacks(struct trace_buffers *b)
{
	u64 end = dmae_clock_ns() + TRACE_CB_WAIT_NS;

	for (;;) {
		u32 n = 0;

		for (unsigned int i = 0; i < TRACE_SHARDS; i++)
			n += __atomic_load_n(&b->shard[i].callbacks, __ATOMIC_ACQUIRE);
		if (!n || dmae_clock_ns() >= end)
			return;
		dmae_yield();
	}
}

static u64 trace_dropped(struct trace_buffers *b)
{
	u64 n = 0;

	for (unsigned int i = 0; i < TRACE_SHARDS; i++)
		n += __atomic_load_n(&b->shard[i].dropped, __ATOMIC_RELAXED);
	return n;
}

/* The writer thread: drain, sleep a period or until stopped; a last drain. */
static void trace_writer(void *arg)
{
	struct trace_buffers *b = arg;

	for (;;) {
		bool stop = __atomic_load_n(&trace.stop, __ATOMIC_ACQUIRE);
		u32 seq;

		for (unsigned int i = 0; i < TRACE_SHARDS; i++)
			trace_drain_shard(&b->shard[i]);
		if (stop)
			return;
		seq = dmae_wq_prepare(&trace.wq);
		if (!__atomic_load_n(&trace.stop, __ATOMIC_ACQUIRE))
			dmae_wq_sleep(&trace.wq, seq, TRACE_PERIOD_NS);
		dmae_wq_finish(&trace.wq);
	}
}

/* ---------------------------------------------------------- start, stop */

/* The buffers, allocated once. Lock held. */
static int trace_alloc(void)
{
	struct trace_buffers *b;

	if (trace.buf)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (unsigned int i = 0; i < TRACE_SHARDS; i++) {
		struct trace_shard *s = &b->shard[i];

		s->recs = calloc(TRACE_SHARD_RECS, sizeof(*s->recs));
		if (!s->recs)
			goto out_free;
		for (u64 k = 0; k < TRACE_SHARD_RECS; k++)
			s->recs[k].seq = k;
	}
	spin_lock_init(&b->names.lock);
	spin_lock_init(&b->units.lock);
	/* Release: a hook that sees the pointer sees initialised queues. */
	__atomic_store_n(&trace.buf, b, __ATOMIC_RELEASE);
	return 0;

out_free:
	for (unsigned int i = 0; i < TRACE_SHARDS; i++)
		free(b->shard[i].recs);
	free(b);
	return -ENOMEM;
}

/* Open @path for the session (written in 64 KiB blocks, see trace-json.c). Lock held. */
static int trace_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0)
		return -errno;
	trace.json.fd = fd;
	trace.pid = getpid();
	dmae__trace_json_begin(&trace.json);
	return 0;
}

/* Close the file; -EIO if anything failed to reach it. Lock held. */
static int trace_close(void)
{
	int ret = trace.json.failed ? -EIO : 0;

	if (close(trace.json.fd))
		ret = -EIO;
	trace.json.fd = -1;
	return ret;
}

DMAE_EXPORT int dmaengine_trace_start(const char *path)
{
	int ret;

	if (!path || !*path)
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	mutex_lock(&trace.lock);
	ret = -EBUSY;
	if (trace.writer)
		goto out_unlock;
	ret = trace_alloc();
	if (ret)
		goto out_unlock;
	ret = trace_open(path);
	if (ret)
		goto out_unlock;
	trace.start_ns = dmae_clock_ns();
	trace.dropped0 = trace_dropped(trace.buf);
	for (unsigned int i = 0; i < TRACE_SHARDS; i++) /* callbacks of older sessions */
		__atomic_store_n(&trace.buf->shard[i].callbacks, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&trace.stop, 0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&trace.session, 1, __ATOMIC_RELAXED);
	ret = dmae_thread_create(&trace.writer, trace_writer, trace.buf, "dmae-trace");
	if (ret) {
		trace.writer = NULL;
		trace_close();
		unlink(path);
		goto out_unlock;
	}
	/* Release: a hook that sees the state sees the session's start. */
	__atomic_store_n(&dmae_trace_on, TRACE_ON, __ATOMIC_RELEASE);
out_unlock:
	mutex_unlock(&trace.lock);
	return ret;
}

DMAE_EXPORT int dmaengine_trace_stop(void)
{
	int ret;

	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	mutex_lock(&trace.lock);
	if (!trace.writer) {
		mutex_unlock(&trace.lock);
		return -EINVAL;
	}
	if (trace.pid != getpid()) {
		/* A forked child: the writer and the file are the parent's. */
		__atomic_store_n(&dmae_trace_on, TRACE_OFF, __ATOMIC_SEQ_CST);
		trace.writer = NULL;
		mutex_unlock(&trace.lock);
		return -EINVAL;
	}
	__atomic_store_n(&dmae_trace_on, TRACE_STOPPING, __ATOMIC_SEQ_CST);
	trace_wait_callbacks(trace.buf);
	__atomic_store_n(&dmae_trace_on, TRACE_OFF, __ATOMIC_SEQ_CST);
	__atomic_store_n(&trace.stop, 1, __ATOMIC_RELEASE);
	wake_up(&trace.wq);
	dmae_thread_join(trace.writer); /* after its last drain */
	trace.writer = NULL;
	dmae__trace_json_end(&trace.json, &trace.buf->names, &trace.buf->units,
			     trace_dropped(trace.buf) - trace.dropped0);
	ret = trace_close();
	mutex_unlock(&trace.lock);
	return ret;
}

DMAE_EXPORT bool dmaengine_trace_enabled(void)
{
	return __atomic_load_n(&dmae_trace_on, __ATOMIC_RELAXED) == TRACE_ON;
}

/* DMAENGINE_TRACE=file.json: trace from the library's load to the exit. */
__attribute__((constructor)) static void trace_from_env(void)
{
	const char *path = getenv("DMAENGINE_TRACE");
	int ret;

	if (!path || !*path)
		return;
	ret = dmaengine_trace_start(path);
	if (ret)
		dmae_log(DMAE_LOG_ERR, "dmaengine: DMAENGINE_TRACE=%s: %s", path, strerror(-ret));
}

/* At exit, after the other destructors of the library (lower priority runs later). */
__attribute__((destructor(101))) static void trace_fini(void)
{
	if (dmaengine_trace_enabled())
		dmaengine_trace_stop();
}
