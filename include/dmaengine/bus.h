/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/bus.h - bus access for providers and hardware models: the one
 * way a device reads and writes memory by dma_addr_t.
 *
 * For provider drivers. A provider never dereferences a bus address; it asks
 * for the host memory behind a range, for one device and one kind of access,
 * and gets it or a fault:
 *
 *	size_t span;
 *	void *p = dmae_bus_xlate(dev, addr, len, DMAE_BUS_WRITE, &span);
 *
 *	if (!p)
 *		... the access faulted: complete with DMA_TRANS_WRITE_FAILED
 *	... p is good for span bytes (1..len); translate addr + span next
 *
 * A device without an IOMMU sees host addresses (identity): the range only
 * has to lie within its DMA mask and above the NULL page, and the whole of it
 * comes back at once, inline, for the cost of a few comparisons. A device
 * behind an IOMMU (dmaengine/iommu.h) sees what its domain maps: the range
 * is translated page by page, with the permissions of each mapping, and it
 * comes back in pieces wherever the host pages behind it are not contiguous.
 * A fault is recorded (in the device's IOMMU domain), reported through the
 * domain's fault handler or the log, and the call returns NULL; nothing is
 * read or written.
 *
 * Context: any. Lock-free; safe against concurrent mapping and unmapping of
 * other ranges.
 */
#ifndef DMAENGINE_BUS_H
#define DMAENGINE_BUS_H

#include <dmaengine/dma-mapping.h>
#include <dmaengine/dmaengine.h> /* dmae_likely */

DMAE_BEGIN_DECLS

/* What the device does with the memory; DMAE_BUS_READ | DMAE_BUS_WRITE for both. */
enum dmae_bus_access {
	DMAE_BUS_READ = 1 << 0,	 /* the device reads: the mapping must allow IOMMU_READ */
	DMAE_BUS_WRITE = 1 << 1, /* the device writes: IOMMU_WRITE */
};

/*
 * An address space a device masters on other than the host's memory: a
 * simulated board's physical space (its RAM regions). For platforms.
 */
struct dmae_bus_space {
	/* The host memory behind [@addr, @addr + @len), as dmae_bus_xlate; NULL on a fault. */
	void *(*xlate)(struct dmae_bus_space *bs, struct device *dev, dma_addr_t addr, size_t len,
		       unsigned int access, size_t *span);
};

/* The general case: see dmae_bus_xlate(). */
DMAE_EXPORT void *dmae__bus_xlate(struct device *dev, dma_addr_t addr, size_t len,
				  unsigned int access, size_t *span);

/**
 * dmae_bus_xlate - the host memory behind [@addr, @addr + @len) for @dev.
 * @len: bytes, at least 1
 * @access: DMAE_BUS_READ and/or DMAE_BUS_WRITE
 * @span: set to how many bytes from @addr the returned pointer covers
 *	(1..@len; all of @len on the identity path)
 * @return the host address of @addr, or NULL on a fault (recorded and
 * reported; then *@span is 0).
 */
static inline void *dmae_bus_xlate(struct device *dev, dma_addr_t addr, size_t len,
				   unsigned int access, size_t *span)
{
	dma_addr_t last = addr + len - 1;

	if (dmae_likely(!dev->iommu_domain && !dev->bus_space && addr >= PAGE_SIZE &&
			last >= addr && dev->dma_mask && last <= *dev->dma_mask)) {
		*span = len;
		return (void *)(uintptr_t)addr;
	}
	return dmae__bus_xlate(dev, addr, len, access, span);
}

/**
 * dmae_bus_read - the device reads @len bytes at @src into @dst (host memory).
 * @return 0, or -EFAULT when part of the range faulted (the bytes before the
 * fault have been read).
 */
DMAE_EXPORT int dmae_bus_read(struct device *dev, void *dst, dma_addr_t src, size_t len);

/** dmae_bus_write - the device writes @len bytes from @src (host) at @dst. Same return. */
DMAE_EXPORT int dmae_bus_write(struct device *dev, dma_addr_t dst, const void *src, size_t len);

DMAE_END_DECLS

#endif /* DMAENGINE_BUS_H */
