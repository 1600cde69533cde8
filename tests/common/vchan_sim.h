/* SPDX-License-Identifier: MIT */
/*
 * vchan_sim.h - private to the tests: a small memory-to-memory DMA provider
 * built the way kernel drivers are, on virt-dma, with a simulated engine that
 * raises an interrupt line when a descriptor is done. The conformance suite
 * runs against it as well as against the cpu provider.
 *
 * Capabilities: DMA_MEMCPY, DMA_INTERRUPT (plus pause/resume/terminate,
 * SEGMENT residue, descriptor reuse).
 */
#ifndef VCHAN_SIM_H
#define VCHAN_SIM_H

#include <dmaengine/provider.h>

/**
 * vchan_sim_probe - create and register a device called @name with @nchans
 * channels. @return the device or an error pointer.
 */
struct dma_device *vchan_sim_probe(const char *name, unsigned int nchans);
/** Unregister and free; -EBUSY while a channel is held. */
int vchan_sim_remove(struct dma_device *dma);

#endif /* VCHAN_SIM_H */
