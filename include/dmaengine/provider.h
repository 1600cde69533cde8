/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/provider.h - the DMA engine provider API: registration, cookie
 * and callback helpers for drivers. Not for applications.
 *
 * A provider fills a struct dma_device (capabilities, ops, channels on
 * device->channels) and calls dma_async_device_register(). It completes
 * descriptors with dma_cookie_complete() and calls callbacks through
 * dmaengine_desc_get_callback_invoke() from completion context (a tasklet),
 * holding none of its locks. dmaengine/virt-dma.h does most of this.
 */
#ifndef DMAENGINE_PROVIDER_H
#define DMAENGINE_PROVIDER_H

#include <dmaengine/dmaengine.h>
#include <dmaengine/os.h>

DMAE_BEGIN_DECLS

/* -------------------------------------------------------------- registration */

/**
 * dma_async_device_register - validate and publish a DMA device.
 * Checks, in the kernel's order: NULL device -ENODEV; no dev -EIO; a
 * capability without its prep op -EIO ("Device claims capability %s, but op
 * is not defined"); no device_tx_status -EIO; no device_issue_pending -EIO;
 * no device_release: a warning. Then sets DMA_ASYNC_TX when every async_tx
 * type is there, assigns dev_id, names channels dma%dchan%d.
 * @return 0 or -errno (-ENOMEM, -EBUSY for a device already registered).
 */
DMAE_EXPORT int dma_async_device_register(struct dma_device *device);
/**
 * dma_async_device_unregister - withdraw a device. Channels still held are
 * reported ("called while %d clients hold a reference") and their sysfs
 * attributes read -ENODEV from then on.
 */
DMAE_EXPORT void dma_async_device_unregister(struct dma_device *device);
/** Add one channel to a registered device. @return 0 or -errno. */
DMAE_EXPORT int dma_async_device_channel_register(struct dma_device *device,
						  struct dma_chan *chan, const char *name);
/** Remove one channel (not held) from a registered device. */
DMAE_EXPORT void dma_async_device_channel_unregister(struct dma_device *device,
						     struct dma_chan *chan);

/* ------------------------------------------------------------------ cookies */

/** Start cookies at DMA_MIN_COOKIE: the first one handed out is 2. */
static inline void dma_cookie_init(struct dma_chan *chan)
{
	chan->cookie = DMA_MIN_COOKIE;
	chan->completed_cookie = DMA_MIN_COOKIE;
}

/** The cookie after @last: last + 1, wrapping to DMA_MIN_COOKIE. */
static inline dma_cookie_t dma_cookie_next(dma_cookie_t last)
{
	u32 next = (u32)last + 1u;

	if ((s32)next < DMA_MIN_COOKIE)
		next = DMA_MIN_COOKIE;
	return (dma_cookie_t)next;
}

/** Give @tx the channel's next cookie. Context: under the channel's lock. */
static inline dma_cookie_t dma_cookie_assign(struct dma_async_tx_descriptor *tx)
{
	struct dma_chan *chan = tx->chan;
	dma_cookie_t cookie = dma_cookie_next(chan->cookie);

	/* Read without the lock by dma_cookie_status(). */
	__atomic_store_n(&chan->cookie, cookie, __ATOMIC_RELEASE);
	tx->cookie = cookie;
	return cookie;
}

/* Report a cookie completed twice (the kernel's BUG_ON). */
DMAE_EXPORT void dmae_cookie_complete_twice(struct dma_async_tx_descriptor *tx);

/** Mark @tx complete: completed_cookie = tx->cookie, tx->cookie = 0. Under the lock. */
static inline void dma_cookie_complete(struct dma_async_tx_descriptor *tx)
{
	if (dmae_unlikely(tx->cookie < DMA_MIN_COOKIE)) {
		dmae_cookie_complete_twice(tx);
		return;
	}
	__atomic_store_n(&tx->chan->completed_cookie, tx->cookie, __ATOMIC_RELEASE);
	tx->cookie = 0;
}

static inline void dma_set_tx_state(struct dma_tx_state *st, dma_cookie_t last,
				    dma_cookie_t used, u32 residue)
{
	if (!st)
		return;
	st->last = last;
	st->used = used;
	st->residue = residue;
}

static inline void dma_set_residue(struct dma_tx_state *state, u32 residue)
{
	if (state)
		state->residue = residue;
}

static inline void dma_set_in_flight_bytes(struct dma_tx_state *state, u32 in_flight_bytes)
{
	if (state)
		state->in_flight_bytes = in_flight_bytes;
}

/** Status of @cookie from the channel's cookies; residue 0. */
static inline enum dma_status dma_cookie_status(struct dma_chan *chan, dma_cookie_t cookie,
						struct dma_tx_state *state)
{
	/*
	 * Completed first, then used: a cookie completes after it was
	 * submitted, so complete is never ahead of used. The other way round,
	 * other threads submitting and completing in between would make a
	 * stale used look like a wrap-around, and a completed cookie in
	 * progress.
	 */
	dma_cookie_t complete = __atomic_load_n(&chan->completed_cookie, __ATOMIC_ACQUIRE);
	dma_cookie_t used = __atomic_load_n(&chan->cookie, __ATOMIC_ACQUIRE);

	dma_set_tx_state(state, complete, used, 0);
	return dma_async_is_complete(cookie, complete, used);
}

/* ---------------------------------------------------------------- descriptors */

static inline void dma_async_tx_descriptor_init(struct dma_async_tx_descriptor *tx,
						struct dma_chan *chan)
{
	tx->chan = chan;
	tx->lock = 0;
}

/* ----------------------------------------------------------------- callbacks */

/* A descriptor's callback, copied out so the descriptor can be recycled first. */
struct dmaengine_desc_callback {
	dma_async_tx_callback callback;		      /* old-style callback */
	dma_async_tx_callback_result callback_result; /* wins when set */
	void *callback_param;			      /* argument */
};

static inline void dmaengine_desc_get_callback(struct dma_async_tx_descriptor *tx,
					       struct dmaengine_desc_callback *cb)
{
	cb->callback = tx->callback;
	cb->callback_result = tx->callback_result;
	cb->callback_param = tx->callback_param;
}

static inline bool dmaengine_desc_callback_valid(const struct dmaengine_desc_callback *cb)
{
	return cb->callback || cb->callback_result;
}

/**
 * dmaengine_desc_callback_invoke - call callback_result (with @result, or
 * {NOERROR, 0} when NULL) if set, else callback. Context: completion, no
 * provider lock held.
 */
static inline void dmaengine_desc_callback_invoke(const struct dmaengine_desc_callback *cb,
						  const struct dmaengine_result *result)
{
	static const struct dmaengine_result dummy = { DMA_TRANS_NOERROR, 0 };

	if (cb->callback_result) {
		cb->callback_result(cb->callback_param, result ? result : &dummy);
	} else if (cb->callback) {
		cb->callback(cb->callback_param);
	}
}

static inline void dmaengine_desc_get_callback_invoke(struct dma_async_tx_descriptor *tx,
						      const struct dmaengine_result *result)
{
	struct dmaengine_desc_callback cb;

	dmaengine_desc_get_callback(tx, &cb);
	dmaengine_desc_callback_invoke(&cb, result);
}

/**
 * dma_run_dependencies - submit the descriptors chained behind @tx (async_tx)
 * until the channel changes, then issue them. Called by providers after a
 * descriptor completes.
 */
DMAE_EXPORT void dma_run_dependencies(struct dma_async_tx_descriptor *tx);

/* ---------------------------------------------------------------- statistics */

/** Count @count completed transactions of @bytes in total on @chan. Context: any. */
static inline void dma_chan_stats_add(struct dma_chan *chan, unsigned long count,
				      unsigned long bytes)
{
	if (!chan->local)
		return;
	__atomic_fetch_add(&chan->local->memcpy_count, count, __ATOMIC_RELAXED);
	__atomic_fetch_add(&chan->local->bytes_transferred, bytes, __ATOMIC_RELAXED);
}

/**
 * dma_chan_stats_add_single - dma_chan_stats_add() for a channel on which one
 * thread alone completes transactions: no locked instruction, so the stores
 * before it need not drain first. Context: that thread.
 */
static inline void dma_chan_stats_add_single(struct dma_chan *chan, unsigned long count,
					     unsigned long bytes)
{
	struct dma_chan_percpu *p = chan->local;

	if (!p)
		return;
	__atomic_store_n(&p->memcpy_count,
			 __atomic_load_n(&p->memcpy_count, __ATOMIC_RELAXED) + count,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&p->bytes_transferred,
			 __atomic_load_n(&p->bytes_transferred, __ATOMIC_RELAXED) + bytes,
			 __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------ seq_file */

/* Text output of dbg_summary_show, as the kernel's seq_file. */
struct seq_file {
	char *buf;    /* output, NUL-terminated when size > 0 */
	size_t size;  /* room in buf */
	size_t count; /* length of the whole text written so far */
};

DMAE_EXPORT void dmae_seq_printf(struct seq_file *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define seq_printf(...) dmae_seq_printf(__VA_ARGS__)
DMAE_EXPORT void dmae_seq_puts(struct seq_file *s, const char *str);
static inline void seq_puts(struct seq_file *s, const char *str) { dmae_seq_puts(s, str); }

/** The client name a channel shows in the summary, or NULL. */
static inline const char *dmaengine_get_debugfs_client_name(struct dma_chan *chan)
{
	return chan->dbg_client_name;
}

DMAE_END_DECLS

#endif /* DMAENGINE_PROVIDER_H */
