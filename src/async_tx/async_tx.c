// SPDX-License-Identifier: MIT
/*
 * async_tx.c - the async_tx core: public channels, dependency chains,
 * channel switches, waiting, and async_trigger_callback.
 *
 * A dependency on the same channel is met by queue order (plus
 * DMA_PREP_FENCE where data flows). One on another channel is met by an
 * INTERRUPT descriptor queued behind the dependency: when it completes, the
 * provider's dma_run_dependencies() submits the dependent on its own
 * channel. A device without DMA_INTERRUPT makes the caller wait instead.
 */
#include <dmaengine/dma-mapping.h>

#include "async_tx/internal.h"

static DEFINE_MUTEX(async_lock);
static u32 async_ready; /* holding dmaengine_get(); atomic */

struct dma_async_tx_descriptor *dmae__async_begin(const char *func,
						  struct async_submit_ctl *submit)
{
	if (!submit)
		return async_inval(func, "no async_submit_ctl");
	if (IS_ERR(submit->depend_tx))
		return submit->depend_tx; /* an earlier step failed: nothing runs */
	if (dmae_might_sleep(func))
		return ERR_PTR(-EDEADLK);
	if (!__atomic_load_n(&async_ready, __ATOMIC_ACQUIRE)) {
		mutex_lock(&async_lock);
		if (!async_ready) {
			dmaengine_get();
			__atomic_store_n(&async_ready, 1, __ATOMIC_RELEASE);
		}
		mutex_unlock(&async_lock);
	}
	return NULL;
}

DMAE_EXPORT void async_tx_exit(void)
{
	if (dmae_might_sleep(__func__))
		return;
	mutex_lock(&async_lock);
	if (async_ready) {
		dmaengine_put();
		__atomic_store_n(&async_ready, 0, __ATOMIC_RELEASE);
	}
	mutex_unlock(&async_lock);
}

/* Before the default platform goes (its destructor has a lower priority). */
__attribute__((destructor(300))) static void async_tx_fini(void)
{
	if (__atomic_load_n(&async_ready, __ATOMIC_ACQUIRE))
		async_tx_exit();
}

struct dma_chan *dmae__async_find_channel(struct async_submit_ctl *submit,
					  enum dma_transaction_type type)
{
	struct dma_async_tx_descriptor *dep = submit->depend_tx;

	/* Staying on the dependency's channel needs no switch. */
	if (dep && dma_has_cap(type, dep->chan->device->cap_mask))
		return dep->chan;
	return dma_find_channel(type);
}

struct dmaengine_unmap_data *dmae__async_map(struct dma_chan *chan, void *const *buf, int to,
					     int from, int n, size_t len)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	struct dmaengine_unmap_data *u;

	if (!dev->dma_coherent)
		return NULL;
	u = dmaengine_get_unmap_data(dev, n, GFP_NOWAIT);
	if (!u)
		return NULL;
	u->len = len;
	for (int i = 0; i < n; i++) {
		enum dma_data_direction dir = i < to ? DMA_TO_DEVICE :
					      i < to + from ? DMA_FROM_DEVICE : DMA_BIDIRECTIONAL;
		dma_addr_t a = dma_map_single(dev, buf[i], len, dir);

		if (dma_mapping_error(dev, a)) {
			dmaengine_unmap_put(u); /* what is mapped so far */
			return NULL;
		}
		u->addr[i] = a;
		/* Counted as mapped, so that a put undoes exactly these. */
		if (dir == DMA_TO_DEVICE)
			u->to_cnt++;
		else if (dir == DMA_FROM_DEVICE)
			u->from_cnt++;
		else
			u->bidi_cnt++;
	}
	return u;
}

/* @tx waits for @dep, which runs on another channel. */
static void channel_switch(struct dma_async_tx_descriptor *dep, struct dma_async_tx_descriptor *tx)
{
	struct dma_chan *chan = dep->chan;
	struct dma_device *device = chan->device;
	struct dma_async_tx_descriptor *intr = NULL;

	if (dma_has_cap(DMA_INTERRUPT, device->cap_mask))
		/* Fenced so that an out-of-order engine runs it after dep too. */
		intr = device->device_prep_dma_interrupt(
			chan, dma_has_cap(DMA_COMPLETION_NO_ORDER, device->cap_mask) ?
				      DMA_PREP_FENCE : 0);
	if (intr)
		dmae_trace_prep(chan, DMA_INTERRUPT, intr);
	if (!intr) {
		if (dma_wait_for_async_tx(dep) != DMA_COMPLETE)
			pr_err("async_tx: DMA error waiting for a dependency on %s",
			       dma_chan_name(chan));
		dmae_tx_submit(tx);
		return;
	}
	intr->callback = NULL;
	intr->callback_result = NULL;
	intr->callback_param = NULL;
	txd_chain(intr, tx); /* not submitted yet: no lock needed */
	txd_lock(dep);
	if (txd_parent(dep)) {
		/* dep itself still waits: the interrupt goes in behind it. */
		txd_chain(dep, intr);
		async_tx_ack(intr);
		intr = NULL;
	}
	txd_unlock(dep);
	if (intr) {
		txd_clear_parent(intr);
		dmae_tx_submit(intr);
		async_tx_ack(intr);
	}
	dmae_trace_issue(chan);
	device->device_issue_pending(chan);
}

void dmae__async_submit(struct dma_chan *chan, struct dma_async_tx_descriptor *tx,
			struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *dep = submit->depend_tx;
	enum { CHAINED, SWITCH, DIRECT } how = DIRECT;

	tx->callback = submit->cb_fn;
	tx->callback_result = NULL;
	tx->callback_param = submit->cb_param;
	if (dep) {
		/* A dependency is used once, and only while not acknowledged. */
		if (async_tx_test_ack(dep) || txd_next(dep))
			pr_err("async_tx: dependency on %s is acknowledged or already has a dependent",
			       dma_chan_name(dep->chan));
		txd_lock(dep);
		if (dep->chan != chan)
			how = SWITCH;
		else if (txd_parent(dep))
			how = CHAINED, txd_chain(dep, tx); /* submitted with dep */
		txd_unlock(dep);
	}
	switch (how) {
	case CHAINED:
		break;
	case SWITCH:
		channel_switch(dep, tx);
		break;
	case DIRECT:
		txd_clear_parent(tx);
		dmae_tx_submit(tx);
		break;
	}
	if (submit->flags & ASYNC_TX_ACK)
		async_tx_ack(tx);
	if (dep)
		async_tx_ack(dep);
}

struct dma_async_tx_descriptor *dmae__async_submit_mapped(struct dma_chan *chan,
							  struct dma_async_tx_descriptor *tx,
							  struct dmaengine_unmap_data *um,
							  struct async_submit_ctl *submit)
{
	if (tx) {
		dma_set_unmap(tx, um); /* before submit: it may complete at once */
		dmae__async_submit(chan, tx, submit);
	}
	dmaengine_unmap_put(um);
	return tx;
}

bool dmae__async_prep_retry(struct dma_chan *chan, struct async_submit_ctl *submit,
			    unsigned int *tries)
{
	if (++*tries > 100000)
		return false;
	async_tx_quiesce(&submit->depend_tx);
	dma_async_issue_pending(chan);
	dmae_yield();
	return true;
}

DMAE_EXPORT enum dma_status dma_wait_for_async_tx(struct dma_async_tx_descriptor *tx)
{
	u64 deadline = dmae_clock_ns() + 5000ull * 1000000ull;
	enum dma_status status;
	dma_cookie_t cookie;

	if (!tx || IS_ERR(tx))
		return DMA_COMPLETE;
	if (dmae_might_sleep(__func__))
		return DMA_ERROR;
	/* Not submitted while its own dependencies run. */
	for (unsigned int spins = 0;; spins++) {
		bool waiting;

		txd_lock(tx);
		waiting = txd_parent(tx) != NULL;
		txd_unlock(tx);
		cookie = __atomic_load_n(&tx->cookie, __ATOMIC_ACQUIRE);
		if (!waiting && cookie != -EBUSY)
			break;
		if (dmae_clock_ns() >= deadline) {
			dev_err(tx->chan->device->dev, "%s timeout waiting for descriptor submission",
				__func__);
			return DMA_ERROR;
		}
		if (spins % 64 == 63)
			dmae_yield();
		else
			cpu_relax();
	}
	/* Completion clears the cookie (with release: the data is there). */
	if (cookie <= 0)
		return DMA_COMPLETE;
	status = dma_sync_wait(tx->chan, cookie);
	if (status != DMA_OUT_OF_ORDER)
		return status;
	/* An out-of-order channel says nothing per cookie: watch the descriptor,
	 * which stays until it is acknowledged. */
	for (unsigned int spins = 0; __atomic_load_n(&tx->cookie, __ATOMIC_ACQUIRE) > 0; spins++) {
		if (dmae_clock_ns() >= deadline) {
			dev_err(tx->chan->device->dev, "%s: timeout!", dma_chan_name(tx->chan));
			return DMA_ERROR;
		}
		if (spins % 64 == 63)
			dmae_yield();
		else
			cpu_relax();
	}
	return DMA_COMPLETE;
}

DMAE_EXPORT void async_tx_quiesce(struct dma_async_tx_descriptor **tx)
{
	if (!tx || !*tx)
		return;
	if (IS_ERR(*tx)) {
		*tx = NULL;
		return;
	}
	if (dmae_might_sleep(__func__))
		return;
	if (async_tx_test_ack(*tx)) {
		/* It may already be someone else's descriptor: do not wait on it. */
		pr_err("async_tx_quiesce: descriptor was already acknowledged");
		*tx = NULL;
		return;
	}
	if (dma_wait_for_async_tx(*tx) != DMA_COMPLETE)
		pr_err("async_tx: DMA error waiting for transaction");
	async_tx_ack(*tx);
	*tx = NULL;
}

DMAE_EXPORT void async_tx_issue_pending_all(void)
{
	dma_issue_pending_all();
}

DMAE_EXPORT struct dma_async_tx_descriptor *async_trigger_callback(struct async_submit_ctl *submit)
{
	struct dma_async_tx_descriptor *tx = dmae__async_begin(__func__, submit);
	struct dma_async_tx_descriptor *dep;

	if (tx)
		return tx;
	dep = submit->depend_tx;
	if (dep && dma_has_cap(DMA_INTERRUPT, dep->chan->device->cap_mask))
		tx = dep->chan->device->device_prep_dma_interrupt(
			dep->chan, dma_has_cap(DMA_COMPLETION_NO_ORDER,
					       dep->chan->device->cap_mask) ? DMA_PREP_FENCE : 0);
	if (tx) {
		dmae_trace_prep(dep->chan, DMA_INTERRUPT, tx);
		dmae__async_submit(dep->chan, tx, submit);
		return tx;
	}
	async_tx_quiesce(&submit->depend_tx);
	dmae__async_sync_epilog(submit);
	return NULL;
}
