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

/*
 * Pools of a board's own (in its RAM, at its bus addresses): the same
 * mappings, and coherent allocations (slots with no original buffer).
 */
struct dmae_tlb_pool;
struct dmae_tlb_pool *dmae__tlb_pool_create(void *host, dma_addr_t bus, size_t size,
					    const char *name);
void dmae__tlb_pool_destroy(struct dmae_tlb_pool *p);
bool dmae__tlb_pool_owns(const struct dmae_tlb_pool *p, dma_addr_t addr);
dma_addr_t dmae__tlb_pool_map(struct dmae_tlb_pool *p, struct device *dev, void *orig,
			      size_t size);
void dmae__tlb_pool_unmap(struct dmae_tlb_pool *p, struct device *dev, dma_addr_t addr,
			  size_t size, enum dma_data_direction dir);
void dmae__tlb_pool_sync(struct dmae_tlb_pool *p, struct device *dev, dma_addr_t addr,
			 size_t size, bool for_cpu);
/* Zeroed coherent memory: host pointer, and its bus address in *@bus; NULL when full. */
void *dmae__tlb_pool_alloc(struct dmae_tlb_pool *p, size_t size, dma_addr_t *bus);
/* Free what dmae__tlb_pool_alloc gave; false if @host/@bus are not one of its allocations. */
bool dmae__tlb_pool_free(struct dmae_tlb_pool *p, void *host, dma_addr_t bus);
/* The host address behind bus address @bus of the pool, or NULL. */
void *dmae__tlb_pool_host(const struct dmae_tlb_pool *p, dma_addr_t bus);

#endif /* DMAE_SWIOTLB_H */
