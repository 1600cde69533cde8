/* SPDX-License-Identifier: MIT */
/*
 * mapping/swiotlb.h - bounce buffers: a pool of low memory, in 2 KiB slots,
 * standing in for buffers a device cannot reach (or must not see directly).
 */
#ifndef DMAE_SWIOTLB_H
#define DMAE_SWIOTLB_H

#include <dmaengine/dma-mapping.h>

#define DMAE_IO_TLB_SHIFT 11 /* 2 KiB slots, as the kernel's IO_TLB_SIZE */

/* Is @addr inside the pool (then it is a bounce address)? Context: any. */
bool dmae__swiotlb_owns(dma_addr_t addr);

/* The highest bus address of the pool (0 before it exists). */
dma_addr_t dmae__swiotlb_end(void);

/*
 * dmae__swiotlb_map - a bounce buffer for [@orig, @orig+@size) that @mask
 * reaches, filled from the original. @return its bus address, or
 * DMA_MAPPING_ERROR (no pool, full, or the mask cannot reach the pool).
 */
dma_addr_t dmae__swiotlb_map(struct device *dev, void *orig, size_t size, u64 mask);

/* Copy back as @dir requires, then free: @addr and @size as mapped. */
void dmae__swiotlb_unmap(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir);

/* Copy [@addr, @addr+@size) of a bounce mapping toward the CPU or the device. */
void dmae__swiotlb_sync(struct device *dev, dma_addr_t addr, size_t size, bool for_cpu);

#endif /* DMAE_SWIOTLB_H */
