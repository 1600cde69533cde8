/* SPDX-License-Identifier: MIT */
/*
 * mapping/iommu.h - private to the library: the emulated IOMMU, as the DMA
 * mapping layer (mapping.c) and bus access (bus.c) use it.
 *
 * A domain is an IOVA allocator (iova.c) plus a four-level page table of 512
 * entries per level, 4 KiB pages, 48-bit IOVAs: each leaf entry holds the
 * host address of one page and its IOMMU_READ / IOMMU_WRITE permissions.
 * Mapping allocates IOVA pages under the device's mask and fills their
 * entries; unmapping clears them and frees the IOVAs. Both take the domain's
 * lock. Translation walks the table without a lock: entries are read and
 * written atomically, and tables, once published, live as long as the domain.
 */
#ifndef DMAE_MAPPING_IOMMU_H
#define DMAE_MAPPING_IOMMU_H

#include <dmaengine/iommu.h>
#include <dmaengine/os.h>

#include "mapping/iova.h"

#define DMAE_IOMMU_LEVELS 4
#define DMAE_IOMMU_BITS 9 /* index bits per level: 512 entries */
#define DMAE_IOMMU_PFN_BITS (DMAE_IOMMU_LEVELS * DMAE_IOMMU_BITS)

struct iommu_domain {
	spinlock_t lock;	      /* the allocator, table growth, map and unmap */
	struct dmae_iova_domain iovad;
	u64 *top;		      /* the top-level table (512 entries) */
	iommu_fault_handler_t handler;
	void *token;
	unsigned long faults;	      /* atomic */
	struct dmae_iommu_fault last; /* under lock */
	unsigned long mapped;	      /* pages mapped; under lock */
	unsigned int devices;	      /* attached devices; under lock */
};

/* IOMMU_READ / IOMMU_WRITE for a mapping made with @dir. */
static inline int dmae__iommu_prot(enum dma_data_direction dir)
{
	return dir == DMA_TO_DEVICE ? IOMMU_READ :
	       dir == DMA_FROM_DEVICE ? IOMMU_WRITE : IOMMU_READ | IOMMU_WRITE;
}

/*
 * dmae__iommu_alloc - IOVA pages for @npages pages, the range under @mask.
 * @return the IOVA of the first page, or DMA_MAPPING_ERROR when no space.
 */
dma_addr_t dmae__iommu_alloc(struct iommu_domain *d, u64 npages, u64 mask);

/*
 * dmae__iommu_reserve - keep [@start, @start + @size) of @d's IOVA space
 * from ever being handed out (a board's registers and RAM, which its
 * devices' addresses must not alias). 0, -EINVAL, -EBUSY (taken already).
 */
int dmae__iommu_reserve(struct iommu_domain *d, dma_addr_t start, u64 size);

/*
 * dmae__iommu_set - point the @npages pages from @iova (page aligned, inside
 * an allocated range) at the host pages from @host (page aligned), with @prot.
 * @return 0 or -ENOMEM (a page table could not be allocated).
 */
int dmae__iommu_set(struct iommu_domain *d, dma_addr_t iova, const void *host, u64 npages,
		    int prot);

/*
 * dmae__iommu_map - map the @size bytes at @host (any alignment) with @prot,
 * under @mask: the whole pages they touch. @return the IOVA of @host, or
 * DMA_MAPPING_ERROR.
 */
dma_addr_t dmae__iommu_map(struct iommu_domain *d, const void *host, size_t size, int prot,
			   u64 mask);

/*
 * dmae__iommu_unmap - undo the mapping whose first page holds @iova: clear
 * its entries and free its IOVAs. @npages is what the caller believes the
 * mapping has (0: do not check).
 * @return 0; -ENOENT when no mapping starts at @iova's page (nothing is
 * changed); -EINVAL when it has another size (it is unmapped all the same).
 */
int dmae__iommu_unmap(struct iommu_domain *d, dma_addr_t iova, u64 npages);

/* The host address @iova maps to, whatever the permissions, or NULL. Lock-free. */
void *dmae__iommu_host(struct iommu_domain *d, dma_addr_t iova);

/*
 * dmae__iommu_xlate - the host memory behind [@iova, @iova + @len) for an
 * access with permissions @prot: the address of @iova, and in *@span how
 * many bytes from it are contiguous and allowed (1..@len). NULL when the
 * first byte cannot be accessed (nothing is recorded: the caller reports the
 * fault). Lock-free.
 */
void *dmae__iommu_xlate(struct iommu_domain *d, dma_addr_t iova, size_t len, int prot,
			size_t *span);

/* Record and report a fault of @dev at @iova (IOMMU_FAULT_READ / _WRITE). */
void dmae__iommu_fault(struct iommu_domain *d, struct device *dev, dma_addr_t iova, int flags);

#endif /* DMAE_MAPPING_IOMMU_H */
