/* SPDX-License-Identifier: MIT */
/*
 * mapping/debug.h - private to the library: the DMA-API debug hooks (the
 * kernel's kernel/dma/debug.c). mapping.c calls them around every mapping
 * operation when dmae__debug_on() says debugging is on; debug.c records each
 * mapping by device and bus address and reports misuse with the kernel's
 * wording ("DMA-API: <driver> <device>: ...").
 *
 * The hooks see the operation as the caller asked for it: map hooks run after
 * the mapping (with its result, DMA_MAPPING_ERROR included), unmap and free
 * hooks before it. They never change what the mapping layer does: that path
 * must be safe on its own, debug or not.
 *
 * Context: any (they take debug.c's own lock; nothing else).
 */
#ifndef DMAE_MAPPING_DEBUG_H
#define DMAE_MAPPING_DEBUG_H

#include <dmaengine/dma-mapping.h>

extern int dmae__dma_debug_enabled; /* atomic; set by dma_debug_set_enabled() or the env */

/* Is DMA-API debug on? One relaxed load: the identity path stays fast. */
static inline bool dmae__debug_on(void)
{
	return __atomic_load_n(&dmae__dma_debug_enabled, __ATOMIC_RELAXED);
}

/* dma_map_single() / dma_map_page() of [@ptr, @ptr+@size) returned @addr. */
void dmae__debug_map_single(struct device *dev, const void *ptr, size_t size,
			    enum dma_data_direction dir, dma_addr_t addr);
/* dma_mapping_error() was called on @addr: the mapping's error is checked. */
void dmae__debug_mapping_error(struct device *dev, dma_addr_t addr);
/* dma_unmap_single() / dma_unmap_page() is about to unmap @addr. */
void dmae__debug_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
			      enum dma_data_direction dir);

/* dma_map_sg() of @nents entries returned @mapped (0: failure). */
void dmae__debug_map_sg(struct device *dev, struct scatterlist *sg, int nents, int mapped,
			enum dma_data_direction dir);
/* dma_unmap_sg() is about to unmap the list, @nents as the caller passed it. */
void dmae__debug_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			  enum dma_data_direction dir);

/* dma_sync_single_for_cpu() (@for_cpu) or _for_device(). */
void dmae__debug_sync_single(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir, bool for_cpu);
/* dma_sync_sg_for_cpu() (@for_cpu) or _for_device(). */
void dmae__debug_sync_sg(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, bool for_cpu);

/* dma_alloc_coherent() returned @virt at @addr (virt NULL: failed). */
void dmae__debug_alloc_coherent(struct device *dev, size_t size, void *virt, dma_addr_t addr);
/* dma_free_coherent() is about to free @virt at @addr. */
void dmae__debug_free_coherent(struct device *dev, size_t size, void *virt, dma_addr_t addr);

#endif /* DMAE_MAPPING_DEBUG_H */
