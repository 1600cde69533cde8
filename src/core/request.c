// SPDX-License-Identifier: MIT
/*
 * request.c - channel requests and releases: private channels (by mask and
 * filter, by name through dma_slave_map tables, by pointer) and the public
 * channels of dmaengine_get()/dma_find_channel() for async_tx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/of_dma.h>

#include "core/core.h"

/* The public channel per operation type and CPU slot; read without the lock. */
static struct dma_chan *channel_table[DMA_TX_TYPE_END][DMAE_TABLE_CPUS];

int dmae__chan_get(struct dma_chan *chan)
{
	struct dma_device *device = chan->device;
	int ret;

	if (chan->client_count) {
		dmae__set_client_count(chan, chan->client_count + 1);
		return 0;
	}
	if (!device->ref)
		return -ENODEV;
	device->ref++;
	if (device->device_alloc_chan_resources) {
		ret = device->device_alloc_chan_resources(chan);
		if (ret < 0) {
			dmae__device_put(device);
			return ret;
		}
	}
	dmae__set_client_count(chan, 1);
	/* A public channel holds one reference per dmaengine_get(). */
	if (!dma_has_cap(DMA_PRIVATE, device->cap_mask))
		while (chan->client_count < dmae__ref_count)
			dmae__set_client_count(chan, chan->client_count + 1);
	return 0;
}

void dmae__chan_put(struct dma_chan *chan)
{
	struct dma_device *device = chan->device;

	if (!chan->client_count)
		return;
	dmae__set_client_count(chan, chan->client_count - 1);
	if (chan->client_count)
		return;
	/* The last client: make sure all operations have completed, then free. */
	if (device->device_free_chan_resources) {
		if (device->device_synchronize)
			device->device_synchronize(chan);
		device->device_free_chan_resources(chan);
	}
	if (chan->router && chan->router->route_free) {
		chan->router->route_free(chan->router->dev, chan->route_data);
		chan->router = NULL;
		chan->route_data = NULL;
	}
	/* dmae__chan_get took one device reference, for the first client. */
	dmae__device_put(device);
}

static bool device_satisfies_mask(const struct dma_device *device, const dma_cap_mask_t *want)
{
	return (device->cap_mask.bits[0] & want->bits[0]) == want->bits[0];
}

static struct dma_chan *private_candidate(const dma_cap_mask_t *mask, struct dma_device *dev,
					  dma_filter_fn fn, void *fn_param)
{
	struct dma_chan *chan;

	if (mask && !device_satisfies_mask(dev, mask)) {
		dev_dbg(dev->dev, "%s: wrong capabilities", __func__);
		return NULL;
	}
	/* A device's channels are all private or all public. */
	if (dev->chancnt > 1 && !dma_has_cap(DMA_PRIVATE, dev->cap_mask))
		list_for_each_entry(chan, &dev->channels, device_node)
			if (chan->client_count)
				return NULL;

	list_for_each_entry(chan, &dev->channels, device_node) {
		if (chan->client_count) {
			dev_dbg(dev->dev, "%s: %s busy", __func__, dma_chan_name(chan));
			continue;
		}
		if (fn && !fn(chan, fn_param)) {
			dev_dbg(dev->dev, "%s: %s filter said false", __func__, dma_chan_name(chan));
			continue;
		}
		return chan;
	}
	return NULL;
}

/* Grab a candidate channel of @device for private use. Lock held. */
static struct dma_chan *find_candidate(struct dma_device *device, const dma_cap_mask_t *mask,
				       dma_filter_fn fn, void *fn_param)
{
	struct dma_chan *chan = private_candidate(mask, device, fn, fn_param);
	int err;

	if (!chan)
		return ERR_PTR(-EPROBE_DEFER);
	/* DMA_PRIVATE keeps the channel out of the public table. */
	dma_cap_set(DMA_PRIVATE, device->cap_mask);
	device->privatecnt++;
	err = dmae__chan_get(chan);
	if (err) {
		dev_dbg(device->dev, "%s: failed to get %s: (%d)", __func__, dma_chan_name(chan),
			err);
		if (--device->privatecnt == 0)
			dma_cap_clear(DMA_PRIVATE, device->cap_mask);
		return ERR_PTR(err);
	}
	return chan;
}

DMAE_EXPORT struct dma_chan *__dma_request_channel(const dma_cap_mask_t *mask,
						   dma_filter_fn fn, void *fn_param,
						   struct device_node *np)
{
	struct dma_device *device, *_d;
	struct dma_chan *chan = NULL;

	if (dmae_might_sleep("dma_request_channel"))
		return NULL;
	dmaengine_platform_init();
	mutex_lock(&dmae__list_mutex);
	list_for_each_entry_safe(device, _d, &dmae__device_list, global_node) {
		if (np && device->dev->of_node && np != device->dev->of_node)
			continue;
		chan = find_candidate(device, mask, fn, fn_param);
		if (!IS_ERR(chan))
			break;
		chan = NULL;
	}
	mutex_unlock(&dmae__list_mutex);
	return chan;
}

DMAE_EXPORT struct dma_chan *dma_request_chan_by_mask(const dma_cap_mask_t *mask)
{
	struct dma_chan *chan;

	if (!mask)
		return ERR_PTR(-ENODEV);
	if (dmae_might_sleep(__func__))
		return ERR_PTR(-EDEADLK);
	chan = __dma_request_channel(mask, NULL, NULL, NULL);
	if (!chan) {
		mutex_lock(&dmae__list_mutex);
		chan = ERR_PTR(list_empty(&dmae__device_list) ? -EPROBE_DEFER : -ENODEV);
		mutex_unlock(&dmae__list_mutex);
	}
	return chan;
}

static const struct dma_slave_map *dma_filter_match(struct dma_device *device,
						    const char *name, struct device *dev)
{
	for (int i = 0; i < device->filter.mapcnt; i++) {
		const struct dma_slave_map *map = &device->filter.map[i];

		if (!strcmp(map->devname, dev_name(dev)) && !strcmp(map->slave, name))
			return map;
	}
	return NULL;
}

DMAE_EXPORT struct dma_chan *dma_request_chan(struct device *dev, const char *name)
{
	struct dma_device *d, *_d;
	struct dma_chan *chan = NULL;

	if (!dev || !name) {
		dmae_log(DMAE_LOG_ERR, "dma_request_chan: NULL %s", !dev ? "device" : "name");
		return ERR_PTR(-EINVAL);
	}
	if (dmae_might_sleep(__func__))
		return ERR_PTR(-EDEADLK);
	dmaengine_platform_init();
	/* A device of a board's tree: its dmas and dma-names say where to go. */
	if (dev->of_node) {
		chan = of_dma_request_slave_channel(dev->of_node, name);
		if (PTR_ERR(chan) == -EPROBE_DEFER)
			return chan;
		if (!IS_ERR_OR_NULL(chan)) {
			mutex_lock(&dmae__list_mutex);
			goto found;
		}
		/* Not in the tree: a slave map may still have it; else this error stands. */
	}
	mutex_lock(&dmae__list_mutex);
	list_for_each_entry_safe(d, _d, &dmae__device_list, global_node) {
		dma_cap_mask_t mask;
		const struct dma_slave_map *map = dma_filter_match(d, name, dev);

		if (!map)
			continue;
		dma_cap_zero(mask);
		dma_cap_set(DMA_SLAVE, mask);
		chan = find_candidate(d, &mask, d->filter.fn, map->param);
		if (!IS_ERR(chan))
			break;
	}
	if (IS_ERR_OR_NULL(chan)) {
		mutex_unlock(&dmae__list_mutex);
		return chan ? chan : ERR_PTR(-EPROBE_DEFER);
	}
found:
	if (asprintf(&chan->dbg_client_name, "%s:%s", dev_name(dev), name) < 0)
		chan->dbg_client_name = NULL;
	{
		char *slave_name = NULL;

		if (asprintf(&slave_name, "dma:%s", name) < 0)
			slave_name = NULL;
		chan->name = slave_name;
	}
	chan->slave = dev;
	mutex_unlock(&dmae__list_mutex);
	return chan;
}

DMAE_EXPORT struct dma_chan *dma_request_slave_channel(struct device *dev, const char *name)
{
	struct dma_chan *ch = dma_request_chan(dev, name);

	return IS_ERR(ch) ? NULL : ch;
}

DMAE_EXPORT struct dma_chan *dma_get_slave_channel(struct dma_chan *chan)
{
	struct dma_device *device;
	int err;

	if (!chan || dmae_might_sleep(__func__))
		return NULL;
	mutex_lock(&dmae__list_mutex);
	device = chan->device;
	if (chan->client_count == 0 && device->registered) {
		dma_cap_set(DMA_PRIVATE, device->cap_mask);
		device->privatecnt++;
		err = dmae__chan_get(chan);
		if (err) {
			dev_dbg(device->dev, "%s: failed to get %s: (%d)", __func__,
				dma_chan_name(chan), err);
			chan = NULL;
			if (--device->privatecnt == 0)
				dma_cap_clear(DMA_PRIVATE, device->cap_mask);
		}
	} else {
		chan = NULL;
	}
	mutex_unlock(&dmae__list_mutex);
	return chan;
}

DMAE_EXPORT struct dma_chan *dma_get_any_slave_channel(struct dma_device *device)
{
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	if (!device || dmae_might_sleep(__func__))
		return NULL;
	dma_cap_zero(mask);
	dma_cap_set(DMA_SLAVE, mask);
	mutex_lock(&dmae__list_mutex);
	chan = device->registered ? find_candidate(device, &mask, NULL, NULL) : NULL;
	mutex_unlock(&dmae__list_mutex);
	return IS_ERR(chan) ? NULL : chan;
}

DMAE_EXPORT void dma_release_channel(struct dma_chan *chan)
{
	if (!chan) {
		dmae_misuse(NULL, __func__, "NULL channel");
		return;
	}
	if (dmae_might_sleep(__func__))
		return;
	mutex_lock(&dmae__list_mutex);
	if (chan->client_count != 1) {
		int count = chan->client_count;

		mutex_unlock(&dmae__list_mutex);
		dmae_misuse(chan, __func__, "chan reference count %d != 1%s", count,
			    count == 0 ? " (released twice?)" : "");
		return;
	}
	dmae__chan_put(chan);
	/* Drop the PRIVATE capability taken by the request. */
	if (chan->device->privatecnt && --chan->device->privatecnt == 0)
		dma_cap_clear(DMA_PRIVATE, chan->device->cap_mask);
	if (chan->slave) {
		free((void *)chan->name);
		chan->name = NULL;
		chan->slave = NULL;
	}
	free(chan->dbg_client_name);
	chan->dbg_client_name = NULL;
	mutex_unlock(&dmae__list_mutex);
}

/* The least used public channel with @cap. Lock held. */
static struct dma_chan *min_chan(enum dma_transaction_type cap)
{
	struct dma_device *device;
	struct dma_chan *chan, *min = NULL;

	list_for_each_entry(device, &dmae__device_list, global_node) {
		if (!dma_has_cap(cap, device->cap_mask) ||
		    dma_has_cap(DMA_PRIVATE, device->cap_mask))
			continue;
		list_for_each_entry(chan, &device->channels, device_node) {
			if (!chan->client_count)
				continue;
			if (!min || chan->table_count < min->table_count)
				min = chan;
		}
	}
	if (min)
		min->table_count++;
	return min;
}

void dmae__channel_rebalance(void)
{
	struct dma_device *device;
	struct dma_chan *chan;

	for (int cap = 0; cap < DMA_TX_TYPE_END; cap++)
		for (int cpu = 0; cpu < DMAE_TABLE_CPUS; cpu++)
			__atomic_store_n(&channel_table[cap][cpu], NULL, __ATOMIC_RELEASE);
	list_for_each_entry(device, &dmae__device_list, global_node) {
		if (dma_has_cap(DMA_PRIVATE, device->cap_mask))
			continue;
		list_for_each_entry(chan, &device->channels, device_node)
			chan->table_count = 0;
	}
	if (!dmae__ref_count)
		return;
	for (int cap = 0; cap < DMA_TX_TYPE_END; cap++) {
		/* Operations only: these capabilities move no data. */
		if (cap == DMA_INTERRUPT || cap == DMA_PRIVATE || cap == DMA_SLAVE)
			continue;
		for (int cpu = 0; cpu < DMAE_TABLE_CPUS; cpu++)
			__atomic_store_n(&channel_table[cap][cpu], min_chan(cap), __ATOMIC_RELEASE);
	}
}

DMAE_EXPORT void dmaengine_get(void)
{
	struct dma_device *device, *_d;
	struct dma_chan *chan;
	int err;

	if (dmae_might_sleep(__func__))
		return;
	dmaengine_platform_init();
	mutex_lock(&dmae__list_mutex);
	dmae__ref_count++;
	list_for_each_entry_safe(device, _d, &dmae__device_list, global_node) {
		if (dma_has_cap(DMA_PRIVATE, device->cap_mask))
			continue;
		list_for_each_entry(chan, &device->channels, device_node) {
			err = dmae__chan_get(chan);
			if (err)
				dev_dbg(device->dev, "%s: failed to get %s: (%d)", __func__,
					dma_chan_name(chan), err);
		}
	}
	if (dmae__ref_count == 1)
		dmae__channel_rebalance();
	mutex_unlock(&dmae__list_mutex);
}

DMAE_EXPORT void dmaengine_put(void)
{
	struct dma_device *device, *_d;
	struct dma_chan *chan;

	if (dmae_might_sleep(__func__))
		return;
	mutex_lock(&dmae__list_mutex);
	if (dmae__ref_count <= 0) {
		mutex_unlock(&dmae__list_mutex);
		dmae_log(DMAE_LOG_ERR, "dmaengine_put: called without dmaengine_get");
		return;
	}
	dmae__ref_count--;
	list_for_each_entry_safe(device, _d, &dmae__device_list, global_node) {
		if (dma_has_cap(DMA_PRIVATE, device->cap_mask))
			continue;
		list_for_each_entry(chan, &device->channels, device_node)
			dmae__chan_put(chan);
	}
	dmae__channel_rebalance();
	mutex_unlock(&dmae__list_mutex);
}

DMAE_EXPORT struct dma_chan *dma_find_channel(enum dma_transaction_type tx_type)
{
	if ((unsigned int)tx_type >= DMA_TX_TYPE_END)
		return NULL;
	return __atomic_load_n(&channel_table[tx_type][dmae_current_cpu() % DMAE_TABLE_CPUS],
			       __ATOMIC_ACQUIRE);
}

DMAE_EXPORT void dma_issue_pending_all(void)
{
	struct dma_device *device;
	struct dma_chan *chan;

	if (dmae_might_sleep(__func__))
		return;
	mutex_lock(&dmae__list_mutex);
	list_for_each_entry(device, &dmae__device_list, global_node) {
		if (dma_has_cap(DMA_PRIVATE, device->cap_mask))
			continue;
		list_for_each_entry(chan, &device->channels, device_node) {
			if (!chan->client_count)
				continue;
			dmae_trace_issue(chan);
			device->device_issue_pending(chan);
		}
	}
	mutex_unlock(&dmae__list_mutex);
}

DMAE_EXPORT int dma_get_slave_caps(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	struct dma_device *device;

	if (!chan || !caps)
		return -EINVAL;
	device = chan->device;
	if (!(dma_has_cap(DMA_SLAVE, device->cap_mask) || dma_has_cap(DMA_CYCLIC, device->cap_mask)))
		return -ENXIO;
	/* A device that fills no directions reports no slave capabilities. */
	if (!device->directions)
		return -ENXIO;

	caps->src_addr_widths = device->src_addr_widths;
	caps->dst_addr_widths = device->dst_addr_widths;
	caps->directions = device->directions;
	caps->min_burst = device->min_burst;
	caps->max_burst = device->max_burst;
	caps->max_sg_burst = device->max_sg_burst;
	caps->residue_granularity = device->residue_granularity;
	caps->descriptor_reuse = device->descriptor_reuse;
	caps->cmd_pause = !!device->device_pause;
	caps->cmd_resume = !!device->device_resume;
	caps->cmd_terminate = !!device->device_terminate_all;
	if (device->device_caps)
		device->device_caps(chan, caps);
	return 0;
}
