/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/cpu.h - the cpu provider: a software DMA engine whose channels
 * are served by worker threads. It is the default platform: with no setup, a
 * request for a DMA_MEMCPY channel gets one of its channels.
 *
 * For applications that want to size or add cpu devices themselves.
 *
 * Capabilities: DMA_MEMCPY, DMA_MEMCPY_SG, DMA_MEMSET, DMA_MEMSET_SG,
 * DMA_INTERRUPT, DMA_INTERLEAVE (memory to memory), DMA_XOR, DMA_XOR_VAL,
 * DMA_PQ and DMA_PQ_VAL (max_xor and max_pq 64 sources, PQ with native
 * DMA_PREP_CONTINUE, any GF(2^8) coefficients) and, on in-order devices,
 * DMA_REPEAT and DMA_LOAD_EOT; DMA_COMPLETION_NO_ORDER on out-of-order
 * devices, which honour DMA_PREP_FENCE. Pause, resume, terminate and
 * synchronize act at chunk boundaries; residue has BURST (chunk)
 * granularity; descriptors are reusable. A device can be limited to a subset
 * of these (dma_cpu_params.caps), to stand in for a simpler engine.
 *
 * Environment (read by dma_cpu_params_init):
 *   DMAENGINE_CPU_CHANNELS  channels of the default device (4)
 *   DMAENGINE_CPU_WORKERS   worker threads (the number of CPUs)
 *   DMAENGINE_CPU_DESCS     descriptors per channel (1024)
 *   DMAENGINE_CPU_ORDER     "any" for an out-of-order device ("in")
 *   DMAENGINE_CPU_SPIN_US   how long an idle worker polls before sleeping (50)
 *   DMAENGINE_CPU_IOMMU     1: put the device behind an IOMMU domain of its own (0)
 *
 * Memory: the device reads and writes memory only through bus access
 * (dmaengine/bus.h) with its own struct device (dmaengine_get_dma_device()),
 * so clients give it bus addresses from the DMA mapping API on that device.
 * Without an IOMMU these are host addresses; behind one (params.iommu), they
 * are IOVAs, and an access outside the device's mappings, or against their
 * direction, fails: the descriptor completes with DMA_TRANS_READ_FAILED or
 * DMA_TRANS_WRITE_FAILED in its result (residue: the bytes not moved),
 * dmaengine_tx_status() says DMA_ERROR for the latest such cookie of an
 * in-order channel, and the IOMMU domain records the fault.
 */
#ifndef DMAENGINE_CPU_H
#define DMAENGINE_CPU_H

#include <dmaengine/dmaengine.h>

DMAE_BEGIN_DECLS

struct dma_cpu_params {
	const char *name;     /* device name (default "cpu-dma.<n>") */
	unsigned int channels; /* channels, 1..256 */
	unsigned int workers;  /* worker threads, 1..64 */
	unsigned int descs;    /* descriptors per channel, 16..65536 (rounded up to a power of 2) */
	bool out_of_order;     /* every worker serves every channel; no completion order */
	size_t chunk;	       /* bytes between pause/terminate checks (4 KiB..16 MiB) */
	u64 spin_ns;	       /* idle polling before a worker sleeps */
	dma_cap_mask_t caps;   /* only these capabilities; empty: all of them */
	bool iommu;	       /* behind an IOMMU domain of its own (dmaengine/iommu.h) */
};

/** Fill @p with the defaults, overridden by the environment variables above. */
DMAE_EXPORT void dma_cpu_params_init(struct dma_cpu_params *p);

/**
 * dma_cpu_probe - create, start and register a cpu device.
 * @p: parameters, NULL for dma_cpu_params_init() defaults.
 * @return the registered device, or ERR_PTR(-EINVAL) for parameters out of
 * range, -ENOMEM, -EAGAIN (threads), or a registration error.
 */
DMAE_EXPORT struct dma_device *dma_cpu_probe(const struct dma_cpu_params *p);

/**
 * dma_cpu_remove - unregister a device from dma_cpu_probe() and stop its
 * workers. @return 0, -EINVAL (not a cpu device), -EBUSY (channels held).
 * Context: process.
 */
DMAE_EXPORT int dma_cpu_remove(struct dma_device *dma);

DMAE_END_DECLS

#endif /* DMAENGINE_CPU_H */
