// SPDX-License-Identifier: MIT
/*
 * consumer.c - the out-of-line consumer calls: channel control (terminate,
 * synchronize, pause, resume, slave config), polling, reuse, metadata,
 * dependency running, and the one-line misuse reports.
 */
#include <stdarg.h>
#include <stdio.h>

#include "core/core.h"

DMAE_EXPORT void dmae_misuse(const struct dma_chan *chan, const char *func, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (chan && chan->dev)
		dmae_log(DMAE_LOG_ERR, "%s: %s: %s", dma_chan_name(chan), func, msg);
	else
		dmae_log(DMAE_LOG_ERR, "dmaengine: %s: %s", func, msg);
}

DMAE_EXPORT void dmae_cookie_complete_twice(struct dma_async_tx_descriptor *tx)
{
	dmae_misuse(tx->chan, "dma_cookie_complete",
		    "descriptor completed twice or never submitted (cookie %d)", tx->cookie);
}

/* The channel is held: non-zero client count. Else one line, false. */
static bool chan_held(struct dma_chan *chan, const char *func)
{
	if (!chan) {
		dmae_misuse(NULL, func, "NULL channel");
		return false;
	}
	if (__atomic_load_n(&chan->client_count, __ATOMIC_RELAXED) <= 0) {
		dmae_misuse(chan, func, "channel not held (released or never requested)");
		return false;
	}
	return true;
}

DMAE_EXPORT enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie)
{
	u64 deadline = dmae_clock_ns() + 5000ull * 1000000ull;
	enum dma_status status;
	unsigned int spins = 0;

	if (!chan_held(chan, __func__))
		return DMA_ERROR;
	dma_async_issue_pending(chan);
	for (;;) {
		status = dma_async_is_tx_complete(chan, cookie, NULL, NULL);
		if (status != DMA_IN_PROGRESS)
			return status;
		if (dmae_clock_ns() >= deadline) {
			dmae_log(DMAE_LOG_ERR, "%s: timeout!", dma_chan_name(chan));
			return DMA_ERROR;
		}
		/* Share the CPU with the engine when it runs on the same core. */
		if (++spins % 64 == 0)
			dmae_yield();
		else
			cpu_relax();
	}
}

DMAE_EXPORT int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config)
{
	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (!config) {
		dmae_misuse(chan, __func__, "NULL config");
		return -EINVAL;
	}
	if (!chan->device->device_config)
		return -ENOSYS;
	return chan->device->device_config(chan, config);
}

DMAE_EXPORT int dmaengine_terminate_async(struct dma_chan *chan)
{
	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (!chan->device->device_terminate_all)
		return -EINVAL;
	if (dmae_trace_active())
		dmae_trace_chan_event(chan, DMAE_TRACE_TERMINATE);
	return chan->device->device_terminate_all(chan);
}

DMAE_EXPORT int dmaengine_terminate_all(struct dma_chan *chan)
{
	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (!chan->device->device_terminate_all)
		return -ENOSYS;
	if (dmae_trace_active())
		dmae_trace_chan_event(chan, DMAE_TRACE_TERMINATE);
	return chan->device->device_terminate_all(chan);
}

DMAE_EXPORT int dmaengine_synchronize(struct dma_chan *chan)
{
	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	if (chan->device->device_synchronize)
		chan->device->device_synchronize(chan);
	if (dmae_trace_active())
		dmae_trace_chan_event(chan, DMAE_TRACE_SYNCHRONIZE);
	return 0;
}

DMAE_EXPORT int dmaengine_terminate_sync(struct dma_chan *chan)
{
	int ret;

	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	ret = dmaengine_terminate_async(chan);
	if (ret)
		return ret;
	return dmaengine_synchronize(chan);
}

DMAE_EXPORT int dmaengine_pause(struct dma_chan *chan)
{
	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (!chan->device->device_pause)
		return -ENOSYS;
	if (dmae_trace_active())
		dmae_trace_chan_event(chan, DMAE_TRACE_PAUSE);
	return chan->device->device_pause(chan);
}

DMAE_EXPORT int dmaengine_resume(struct dma_chan *chan)
{
	if (!chan_held(chan, __func__))
		return -EINVAL;
	if (!chan->device->device_resume)
		return -ENOSYS;
	if (dmae_trace_active())
		dmae_trace_chan_event(chan, DMAE_TRACE_RESUME);
	return chan->device->device_resume(chan);
}

DMAE_EXPORT int dmaengine_desc_set_reuse(struct dma_async_tx_descriptor *tx)
{
	struct dma_device *device;
	struct dma_slave_caps caps;
	bool reuse;
	int ret;

	if (!tx || !tx->chan) {
		dmae_misuse(NULL, __func__, "NULL descriptor");
		return -EINVAL;
	}
	device = tx->chan->device;
	if (dma_has_cap(DMA_SLAVE, device->cap_mask) || dma_has_cap(DMA_CYCLIC, device->cap_mask)) {
		ret = dma_get_slave_caps(tx->chan, &caps);
		if (ret)
			return ret;
		reuse = caps.descriptor_reuse;
	} else {
		reuse = device->descriptor_reuse;
	}
	if (!reuse) {
		dmae_misuse(tx->chan, __func__, "the channel does not support descriptor reuse");
		return -EPERM;
	}
	__atomic_fetch_or((int *)&tx->flags, DMA_CTRL_REUSE, __ATOMIC_RELAXED);
	return 0;
}

DMAE_EXPORT int dmaengine_desc_free(struct dma_async_tx_descriptor *desc)
{
	if (!desc) {
		dmae_misuse(NULL, __func__, "NULL descriptor");
		return -EINVAL;
	}
	if (!dmaengine_desc_test_reuse(desc)) {
		dmae_misuse(desc->chan, __func__, "DMA_CTRL_REUSE is not set");
		return -EPERM;
	}
	return desc->desc_free(desc);
}

/* Fix a descriptor's metadata mode on first use; modes never mix. */
static int desc_check_and_set_metadata_mode(struct dma_async_tx_descriptor *desc,
					    enum dma_desc_metadata_mode mode)
{
	if (!desc->desc_metadata_mode) {
		if (!dmaengine_is_metadata_mode_supported(desc->chan, mode))
			return -ENOTSUPP;
		desc->desc_metadata_mode = mode;
	} else if (desc->desc_metadata_mode != mode) {
		return -EINVAL;
	}
	return 0;
}

DMAE_EXPORT int dmaengine_desc_attach_metadata(struct dma_async_tx_descriptor *desc, void *data,
					       size_t len)
{
	int ret;

	if (!desc)
		return -EINVAL;
	ret = desc_check_and_set_metadata_mode(desc, DESC_METADATA_CLIENT);
	if (ret)
		return ret;
	if (!desc->metadata_ops || !desc->metadata_ops->attach)
		return -ENOTSUPP;
	return desc->metadata_ops->attach(desc, data, len);
}

DMAE_EXPORT void *dmaengine_desc_get_metadata_ptr(struct dma_async_tx_descriptor *desc,
						  size_t *payload_len, size_t *max_len)
{
	int ret;

	if (!desc)
		return ERR_PTR(-EINVAL);
	ret = desc_check_and_set_metadata_mode(desc, DESC_METADATA_ENGINE);
	if (ret)
		return ERR_PTR(ret);
	if (!desc->metadata_ops || !desc->metadata_ops->get_ptr)
		return ERR_PTR(-ENOTSUPP);
	return desc->metadata_ops->get_ptr(desc, payload_len, max_len);
}

DMAE_EXPORT int dmaengine_desc_set_metadata_len(struct dma_async_tx_descriptor *desc,
						size_t payload_len)
{
	int ret;

	if (!desc)
		return -EINVAL;
	ret = desc_check_and_set_metadata_mode(desc, DESC_METADATA_ENGINE);
	if (ret)
		return ret;
	if (!desc->metadata_ops || !desc->metadata_ops->set_len)
		return -ENOTSUPP;
	return desc->metadata_ops->set_len(desc, payload_len);
}

DMAE_EXPORT void dma_run_dependencies(struct dma_async_tx_descriptor *tx)
{
	struct dma_async_tx_descriptor *dep, *dep_next;
	struct dma_chan *chan;

	txd_lock(tx);
	dep = tx->next;
	tx->next = NULL;
	txd_unlock(tx);
	if (!dep)
		return;
	chan = dep->chan;
	/* Submit until a channel switch; the switch's own completion goes on. */
	for (; dep; dep = dep_next) {
		txd_lock(dep);
		dep->parent = NULL;
		dep_next = dep->next;
		if (dep_next && dep_next->chan == chan)
			dep->next = NULL; /* submitted now */
		else
			dep_next = NULL; /* submit this one and stop */
		txd_unlock(dep);
		dmae_tx_submit(dep);
	}
	dmae_trace_issue(chan);
	chan->device->device_issue_pending(chan);
}
