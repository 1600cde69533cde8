// SPDX-License-Identifier: MIT
/*
 * channels.c - the channels under test and their threads, as the kernel's
 * add_threaded_test(), run_pending_tests() and stop_threaded_test() handle
 * them: channels requested for DMA_MEMCPY, then DMA_MEMSET, DMA_XOR and
 * DMA_PQ, each one that passes the channel= and device= filters, until
 * max_channels; threads_per_chan threads of each operation per channel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dmatest.h"

static bool dmatest_match_channel(const struct dmatest_params *params, struct dma_chan *chan)
{
	return !params->channel[0] || !strcmp(dma_chan_name(chan), params->channel);
}

static bool dmatest_match_device(const struct dmatest_params *params, struct dma_device *device)
{
	return !params->device[0] || !strcmp(dev_name(device->dev), params->device);
}

static bool dmatest_filter(struct dma_chan *chan, void *param)
{
	return dmatest_match_channel(param, chan) && dmatest_match_device(param, chan->device);
}

/* Whether threads of @type go on a device that can do it (dmatest= decides). */
static bool dmatest_wants(const struct dmatest_params *params, enum dmatest_type type)
{
	switch (type) {
	case DMATEST_MEMCPY:
	case DMATEST_MEMSET:
		return params->dmatest == (unsigned int)type;
	case DMATEST_XOR:
	case DMATEST_PQ:
		/* The kernel adds them whatever dmatest= says; 2 and 3 pick one alone. */
		return params->dmatest <= DMATEST_MEMSET || params->dmatest == (unsigned int)type;
	}
	return false;
}

/* threads_per_chan threads of @type on @dtc, not started yet. @return how many. */
static unsigned int dmatest_add_threads(struct dmatest_info *info, struct dmatest_chan *dtc,
					enum dmatest_type type)
{
	static unsigned int serial; /* threads made so far: each gets its own random numbers */
	struct dmatest_thread *thread;
	unsigned int i;

	for (i = 0; i < info->params.threads_per_chan; i++) {
		thread = calloc(1, sizeof(*thread));
		if (!thread) {
			dmatest_pr("No memory for %s-%s%u", dma_chan_name(dtc->chan),
				   dmatest_type_name(type), i);
			break;
		}
		thread->info = info;
		thread->dtc = dtc;
		thread->type = type;
		thread->rng = info->seed + 0x632be59bd9b4e019ull * ++serial;
		snprintf(thread->name, sizeof(thread->name), "%s-%s%u", dma_chan_name(dtc->chan),
			 dmatest_type_name(type), i);
		init_completion(&thread->done);
		list_add_tail(&thread->node, &dtc->threads);
	}
	return i;
}

/* The kernel's dmatest_add_channel(): the threads, then "Added". */
static int dmatest_add_channel(struct dmatest_info *info, struct dma_chan *chan)
{
	static const enum dma_transaction_type caps[] = { DMA_MEMCPY, DMA_MEMSET, DMA_XOR,
							   DMA_PQ };
	struct dma_device *dma_dev = chan->device;
	unsigned int thread_count = 0;
	struct dmatest_chan *dtc;
	unsigned int type;

	dtc = calloc(1, sizeof(*dtc));
	if (!dtc) {
		dmatest_pr("No memory for %s", dma_chan_name(chan));
		return -ENOMEM;
	}
	dtc->chan = chan;
	INIT_LIST_HEAD(&dtc->threads);
	if (dma_has_cap(DMA_COMPLETION_NO_ORDER, dma_dev->cap_mask) && info->params.polled) {
		info->params.polled = false;
		dmatest_pr("DMA_COMPLETION_NO_ORDER, polled disabled");
	}
	for (type = DMATEST_MEMCPY; type <= DMATEST_PQ; type++) {
		if (dma_has_cap(caps[type], dma_dev->cap_mask) && dmatest_wants(&info->params, type))
			thread_count += dmatest_add_threads(info, dtc, (enum dmatest_type)type);
	}
	dmatest_pr("Added %u threads using %s", thread_count, dma_chan_name(chan));
	list_add_tail(&dtc->node, &info->channels);
	info->nr_channels++;
	return 0;
}

/* Every free channel of @type that passes the filters, up to max_channels. */
static void dmatest_request_channels(struct dmatest_info *info, enum dma_transaction_type type)
{
	struct dmatest_params *params = &info->params;
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	dma_cap_zero(mask);
	dma_cap_set(type, mask);
	/* The kernel checks max_channels after each request, so that each of
	 * its four passes adds a channel: here the limit holds for them all. */
	while (!params->max_channels || info->nr_channels < params->max_channels) {
		chan = dma_request_channel(mask, dmatest_filter, params);
		if (!chan)
			break;
		if (dmatest_add_channel(info, chan)) {
			dma_release_channel(chan);
			break;
		}
	}
}

/**
 * dmatest_add_test - request the channels @channel names ("" any), as
 * setting the kernel's channel parameter does. @return the channels added.
 */
int dmatest_add_test(struct dmatest_info *info, const char *channel)
{
	unsigned int before = info->nr_channels;

	snprintf(info->params.channel, sizeof(info->params.channel), "%s", channel);
	dmatest_request_channels(info, DMA_MEMCPY);
	dmatest_request_channels(info, DMA_MEMSET);
	dmatest_request_channels(info, DMA_XOR);
	dmatest_request_channels(info, DMA_PQ);
	return (int)(info->nr_channels - before);
}

/** dmatest_thread_count - threads added on every channel. */
unsigned int dmatest_thread_count(const struct dmatest_info *info)
{
	const struct dmatest_chan *dtc;
	unsigned int n = 0;

	list_for_each_entry(dtc, &info->channels, node)
		n += (unsigned int)list_count_nodes(&dtc->threads);
	return n;
}

/**
 * dmatest_run_tests - start every thread, channel by channel, as the kernel's
 * run_pending_tests(): "Started %u threads using %s" for each channel.
 */
void dmatest_run_tests(struct dmatest_info *info)
{
	struct dmatest_thread *thread;
	struct dmatest_chan *dtc;
	unsigned int thread_count;
	int ret;

	list_for_each_entry(dtc, &info->channels, node) {
		thread_count = 0;
		list_for_each_entry(thread, &dtc->threads, node) {
			ret = dmae_thread_create(&thread->task, dmatest_func, thread, thread->name);
			if (ret) {
				dmatest_pr("Failed to create thread %s", thread->name);
				thread->ret = ret;
				continue;
			}
			thread_count++;
		}
		dmatest_pr("Started %u threads using %s", thread_count, dma_chan_name(dtc->chan));
	}
}

/** dmatest_wait_tests - wait for every started thread to end. */
void dmatest_wait_tests(struct dmatest_info *info)
{
	struct dmatest_thread *thread;
	struct dmatest_chan *dtc;

	list_for_each_entry(dtc, &info->channels, node) {
		list_for_each_entry(thread, &dtc->threads, node) {
			dmae_thread_join(thread->task);
			thread->task = NULL;
		}
	}
}

/**
 * dmatest_release_channels - terminate and give back every channel, as the
 * kernel's stop_threaded_test() (the threads have ended), and free them.
 */
void dmatest_release_channels(struct dmatest_info *info)
{
	struct dmatest_thread *thread, *tn;
	struct dmatest_chan *dtc, *cn;

	list_for_each_entry_safe(dtc, cn, &info->channels, node) {
		list_for_each_entry_safe(thread, tn, &dtc->threads, node) {
			list_del(&thread->node);
			free(thread);
		}
		dmaengine_terminate_sync(dtc->chan);
		dma_release_channel(dtc->chan);
		list_del(&dtc->node);
		free(dtc);
	}
	info->nr_channels = 0;
}
