// SPDX-License-Identifier: MIT
/*
 * registry.c - registering DMA devices and their channels, with the kernel's
 * checks, ids and names, and releasing them when the last reference goes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

DEFINE_MUTEX(dmae__list_mutex);
LIST_HEAD(dmae__device_list);
int dmae__ref_count;

/* dev_id values in use (the kernel's dma_ida). */
static unsigned long dma_ids[4];

static const char *const cap_names[DMA_TX_TYPE_END] = {
	[DMA_MEMCPY] = "DMA_MEMCPY",
	[DMA_MEMCPY_SG] = "DMA_MEMCPY_SG",
	[DMA_XOR] = "DMA_XOR",
	[DMA_PQ] = "DMA_PQ",
	[DMA_XOR_VAL] = "DMA_XOR_VAL",
	[DMA_PQ_VAL] = "DMA_PQ_VAL",
	[DMA_MEMSET] = "DMA_MEMSET",
	[DMA_MEMSET_SG] = "DMA_MEMSET_SG",
	[DMA_INTERRUPT] = "DMA_INTERRUPT",
	[DMA_PRIVATE] = "DMA_PRIVATE",
	[DMA_ASYNC_TX] = "DMA_ASYNC_TX",
	[DMA_SLAVE] = "DMA_SLAVE",
	[DMA_CYCLIC] = "DMA_CYCLIC",
	[DMA_INTERLEAVE] = "DMA_INTERLEAVE",
	[DMA_COMPLETION_NO_ORDER] = "DMA_COMPLETION_NO_ORDER",
	[DMA_REPEAT] = "DMA_REPEAT",
	[DMA_LOAD_EOT] = "DMA_LOAD_EOT",
};

DMAE_EXPORT const char *dma_cap_name(enum dma_transaction_type tx)
{
	if ((unsigned int)tx >= DMA_TX_TYPE_END)
		return "DMA_UNKNOWN";
	return cap_names[tx];
}

/* ida_alloc on a small bitmap: the lowest free id, or -ENOSPC. */
static int ida_alloc_bits(unsigned long *bits, size_t words)
{
	for (size_t i = 0; i < words * 64; i++) {
		if (!(bits[i / 64] & (1UL << (i % 64)))) {
			bits[i / 64] |= 1UL << (i % 64);
			return (int)i;
		}
	}
	return -ENOSPC;
}

static void ida_free_bit(unsigned long *bits, int id)
{
	if (id >= 0)
		bits[id / 64] &= ~(1UL << (id % 64));
}

/* A device that can do every async_tx operation never needs a channel switch. */
static bool device_has_all_tx_types(const struct dma_device *device)
{
	static const enum dma_transaction_type types[] = {
		DMA_INTERRUPT, DMA_MEMCPY, DMA_XOR, DMA_XOR_VAL, DMA_PQ, DMA_PQ_VAL,
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!dma_has_cap(types[i], device->cap_mask))
			return false;
	return true;
}

/* The kernel's CHECK_CAP: a claimed capability needs its prep op. */
static int check_caps(struct dma_device *device)
{
	static const struct {
		enum dma_transaction_type cap;
		size_t op; /* offset of the prep op in struct dma_device */
	} ops[] = {
		{ DMA_MEMCPY, offsetof(struct dma_device, device_prep_dma_memcpy) },
		{ DMA_MEMCPY_SG, offsetof(struct dma_device, device_prep_dma_memcpy_sg) },
		{ DMA_XOR, offsetof(struct dma_device, device_prep_dma_xor) },
		{ DMA_XOR_VAL, offsetof(struct dma_device, device_prep_dma_xor_val) },
		{ DMA_PQ, offsetof(struct dma_device, device_prep_dma_pq) },
		{ DMA_PQ_VAL, offsetof(struct dma_device, device_prep_dma_pq_val) },
		{ DMA_MEMSET, offsetof(struct dma_device, device_prep_dma_memset) },
		{ DMA_INTERRUPT, offsetof(struct dma_device, device_prep_dma_interrupt) },
		{ DMA_CYCLIC, offsetof(struct dma_device, device_prep_dma_cyclic) },
		{ DMA_INTERLEAVE, offsetof(struct dma_device, device_prep_interleaved_dma) },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		void *op;

		memcpy(&op, (char *)device + ops[i].op, sizeof(op));
		if (dma_has_cap(ops[i].cap, device->cap_mask) && !op) {
			dev_err(device->dev, "Device claims capability %s, but op is not defined",
				dma_cap_name(ops[i].cap));
			return -EIO;
		}
	}
	return 0;
}

static int chan_register(struct dma_device *device, struct dma_chan *chan, const char *name)
{
	int id;

	/* A line of its own: the completing thread updates it on every batch. */
	chan->local = aligned_alloc(64, 64);
	if (chan->local)
		memset(chan->local, 0, sizeof(*chan->local));
	chan->dev = calloc(1, sizeof(*chan->dev));
	if (!chan->local || !chan->dev)
		goto out_free;
	id = ida_alloc_bits(device->chan_ids, sizeof(device->chan_ids) / sizeof(long));
	if (id < 0)
		goto out_free;
	chan->chan_id = id;
	chan->device = device;
	chan->dev->chan = chan;
	chan->dev->dev_id = device->dev_id;
	chan->dev->device.parent = device->dev;
	if (name)
		dev_set_name(&chan->dev->device, "%s", name);
	else
		dev_set_name(&chan->dev->device, "dma%dchan%d", device->dev_id, chan->chan_id);
	chan->dev->device.dma_mask = device->dev->dma_mask;
	dmae__set_client_count(chan, 0);
	device->chancnt++;
	return 0;

out_free:
	free(chan->local);
	free(chan->dev);
	chan->local = NULL;
	chan->dev = NULL;
	return -ENOMEM;
}

/* Forget a channel's identity; its sysfs view reads -ENODEV from now on. */
static void chan_unregister(struct dma_device *device, struct dma_chan *chan)
{
	if (!chan->dev || !chan->dev->chan)
		return;
	if (chan->client_count)
		dev_warn(device->dev, "%s called while %d clients hold a reference",
			 "dma_async_device_unregister", chan->client_count);
	device->chancnt--;
	chan->dev->chan = NULL;
}

static void chan_free(struct dma_device *device, struct dma_chan *chan)
{
	ida_free_bit(device->chan_ids, chan->chan_id);
	free(chan->local);
	free(chan->dev);
	chan->local = NULL;
	chan->dev = NULL;
}

DMAE_EXPORT int dma_async_device_register(struct dma_device *device)
{
	struct dma_chan *chan;
	int rc;

	if (!device)
		return -ENODEV;
	if (!device->dev) {
		dmae_log(DMAE_LOG_ERR, "DMAdevice must have dev");
		return -EIO;
	}
	rc = check_caps(device);
	if (rc)
		return rc;
	if (!device->device_tx_status) {
		dev_err(device->dev, "Device tx_status is not defined");
		return -EIO;
	}
	if (!device->device_issue_pending) {
		dev_err(device->dev, "Device issue_pending is not defined");
		return -EIO;
	}
	if (!device->device_release)
		dev_warn(device->dev, "WARN: Device release is not defined so it is not safe to unbind this driver while in use");

	mutex_lock(&dmae__list_mutex);
	if (device->registered) {
		mutex_unlock(&dmae__list_mutex);
		dev_err(device->dev, "device already registered");
		return -EBUSY;
	}
	device->ref = 1;
	if (device_has_all_tx_types(device))
		dma_cap_set(DMA_ASYNC_TX, device->cap_mask);
	rc = ida_alloc_bits(dma_ids, sizeof(dma_ids) / sizeof(long));
	if (rc < 0)
		goto out_unlock;
	device->dev_id = rc;
	device->chancnt = 0;
	memset(device->chan_ids, 0, sizeof(device->chan_ids));
	list_for_each_entry(chan, &device->channels, device_node) {
		rc = chan_register(device, chan, NULL);
		if (rc < 0)
			goto out_channels;
	}
	/* Public devices join clients that are already waiting for channels. */
	if (dmae__ref_count && !dma_has_cap(DMA_PRIVATE, device->cap_mask))
		list_for_each_entry(chan, &device->channels, device_node)
			dmae__chan_get(chan);
	list_add_tail(&device->global_node, &dmae__device_list);
	if (dma_has_cap(DMA_PRIVATE, device->cap_mask))
		device->privatecnt++; /* always private */
	device->registered = true;
	dmae__channel_rebalance();
	mutex_unlock(&dmae__list_mutex);
	return 0;

out_channels:
	list_for_each_entry(chan, &device->channels, device_node)
		if (chan->dev)
			chan_free(device, chan);
	device->chancnt = 0;
	ida_free_bit(dma_ids, device->dev_id);
out_unlock:
	mutex_unlock(&dmae__list_mutex);
	return rc;
}

/* The last reference is gone: free channel identities, let the driver go. */
static void device_release(struct dma_device *device)
{
	struct dma_chan *chan;

	list_for_each_entry(chan, &device->channels, device_node)
		if (chan->dev)
			chan_free(device, chan);
	if (device->device_release)
		device->device_release(device);
}

void dmae__device_put(struct dma_device *device)
{
	if (device->ref && --device->ref == 0)
		device_release(device);
}

DMAE_EXPORT void dma_async_device_unregister(struct dma_device *device)
{
	struct dma_chan *chan;

	if (!device)
		return;
	mutex_lock(&dmae__list_mutex);
	if (!device->registered) {
		mutex_unlock(&dmae__list_mutex);
		dmae_log(DMAE_LOG_WARN, "dma_async_device_unregister: device not registered");
		return;
	}
	list_for_each_entry(chan, &device->channels, device_node)
		chan_unregister(device, chan);
	/* DMA_PRIVATE keeps a device being torn down out of the channel table. */
	dma_cap_set(DMA_PRIVATE, device->cap_mask);
	list_del(&device->global_node);
	device->registered = false;
	dmae__trace_device_gone(device);
	dmae__channel_rebalance();
	ida_free_bit(dma_ids, device->dev_id);
	dmae__device_put(device);
	mutex_unlock(&dmae__list_mutex);
}

DMAE_EXPORT int dma_async_device_channel_register(struct dma_device *device,
						  struct dma_chan *chan, const char *name)
{
	int rc;

	if (!device || !chan)
		return -EINVAL;
	mutex_lock(&dmae__list_mutex);
	chan->device = device;
	list_add_tail(&chan->device_node, &device->channels);
	rc = chan_register(device, chan, name);
	if (rc)
		list_del(&chan->device_node);
	else
		dmae__channel_rebalance();
	mutex_unlock(&dmae__list_mutex);
	return rc;
}

DMAE_EXPORT void dma_async_device_channel_unregister(struct dma_device *device,
						     struct dma_chan *chan)
{
	if (!device || !chan)
		return;
	mutex_lock(&dmae__list_mutex);
	chan_unregister(device, chan);
	if (!chan->client_count) {
		chan_free(device, chan);
		list_del(&chan->device_node);
	}
	dmae__channel_rebalance();
	mutex_unlock(&dmae__list_mutex);
}
