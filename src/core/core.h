/* SPDX-License-Identifier: MIT */
/*
 * core.h - private to the core: the device list, its lock, and the helpers
 * shared by registration, channel requests and the summary.
 */
#ifndef DMAE_CORE_H
#define DMAE_CORE_H

#include <dmaengine/provider.h>

/* Slots of the public channel table (the kernel's per-CPU table). */
#define DMAE_TABLE_CPUS 64

/* Protects dmae__device_list, every dma_device's channel list membership,
 * client_count, privatecnt, the PRIVATE capability bit and the channel table. */
extern struct mutex dmae__list_mutex;
/* Registered devices, by dma_device.global_node. */
extern struct list_head dmae__device_list;
/* References taken by dmaengine_get(). */
extern int dmae__ref_count;

/* Take a client reference on @chan (first one: alloc_chan_resources). Lock held. */
int dmae__chan_get(struct dma_chan *chan);
/* Drop a client reference (last one: synchronize, free_chan_resources). Lock held. */
void dmae__chan_put(struct dma_chan *chan);
/* Drop a reference on the device; the last one releases it. Lock held. */
void dmae__device_put(struct dma_device *device);
/* Redistribute public channels over the channel table. Lock held. */
void dmae__channel_rebalance(void);
/* The trace forgets @device's name: a later device may get its address and id. */
void dmae__trace_device_gone(const struct dma_device *device);
/* Set a channel's client_count (read without the lock by the fast path). */
static inline void dmae__set_client_count(struct dma_chan *chan, int count)
{
	__atomic_store_n(&chan->client_count, count, __ATOMIC_RELAXED);
}

#endif /* DMAE_CORE_H */
