/* SPDX-License-Identifier: MIT */
/*
 * chan.h - private to the tests: requesting a channel of one given device,
 * whatever else is registered.
 */
#ifndef DMAE_TEST_CHAN_H
#define DMAE_TEST_CHAN_H

#include <stdbool.h>

#include <dmaengine/dmaengine.h>

/** only_dev - dma_filter_fn: true for the channels of the device @param. */
bool only_dev(struct dma_chan *chan, void *param);
/**
 * request_memcpy_chan - a DMA_MEMCPY channel of @dma; fails the running
 * cmocka test when there is none. Context: process.
 */
struct dma_chan *request_memcpy_chan(struct dma_device *dma);

#endif /* DMAE_TEST_CHAN_H */
