// SPDX-License-Identifier: MIT
/*
 * mapping.c - the DMA mapping API over the identity (direct) path and the
 * bounce pool.
 *
 * A streaming mapping is direct when the device is cache-coherent and its
 * mask reaches the whole buffer: the bus address is the host address and
 * nothing is recorded. Otherwise it is bounced, and the pool knows it by its
 * address, so unmap and sync need no table either.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <dmaengine/dma-mapping.h>
#include <dmaengine/dmaengine.h> /* dmae_likely */
#include <dmaengine/os.h>

#include "mapping/swiotlb.h"


/* ------------------------------------------------------------------ masks */

/* Can this system serve @mask? The bounce pool must be reachable, and the
 * pool sits below 2 GiB: a mask of at least 31 bits. */
static bool mask_supported(u64 mask)
{
	return mask >= DMA_BIT_MASK(31);
}

DMAE_EXPORT int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev || !dev->dma_mask || !mask_supported(mask))
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

DMAE_EXPORT int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (!dev || !mask_supported(mask))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

DMAE_EXPORT int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int ret = dma_set_mask(dev, mask);

	return ret ? ret : dma_set_coherent_mask(dev, mask);
}

DMAE_EXPORT int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (!dev || !dev->dma_parms)
		return -EIO;
	dev->dma_parms->max_segment_size = size;
	return 0;
}

DMAE_EXPORT int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (!dev || !dev->dma_parms)
		return -EIO;
	dev->dma_parms->segment_boundary_mask = mask;
	return 0;
}

/* -------------------------------------------------------- streaming maps */

/* Does @dev see [@p, @p+@size) directly? */
static bool direct_ok(const struct device *dev, const void *p, size_t size)
{
	uintptr_t end = (uintptr_t)p + size - 1;

	return dev->dma_coherent && end >= (uintptr_t)p && end <= dma_get_mask(dev);
}

DMAE_EXPORT dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
				      enum dma_data_direction dir)
{
	if (dmae_unlikely(!dev || !ptr || !size || !valid_dma_direction(dir))) {
		dev_err(dev, "dma_map_single: %s", !ptr ? "NULL buffer" : !size ? "zero size" :
			!dev ? "NULL device" : "invalid direction");
		return DMA_MAPPING_ERROR;
	}
	if (dmae_likely(direct_ok(dev, ptr, size)))
		return (dma_addr_t)(uintptr_t)ptr;
	return dmae__swiotlb_map(dev, ptr, size, dma_get_mask(dev));
}

DMAE_EXPORT void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir)
{
	if (dmae_unlikely(!valid_dma_direction(dir))) {
		dev_err(dev, "dma_unmap_single: invalid direction %d", (int)dir);
		return;
	}
	if (dmae_unlikely(dmae__swiotlb_owns(addr)))
		dmae__swiotlb_unmap(dev, addr, size, dir);
}

DMAE_EXPORT void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
					 enum dma_data_direction dir)
{
	if (dmae__swiotlb_owns(addr) && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		dmae__swiotlb_sync(dev, addr, size, true);
}

DMAE_EXPORT void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
					    enum dma_data_direction dir)
{
	if (dmae__swiotlb_owns(addr) && (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
		dmae__swiotlb_sync(dev, addr, size, false);
}

/* ---------------------------------------------------------- scatterlists */

/* May a segment grow from [@start, @end) to @len bytes for @dev? */
static bool seg_fits(const struct device *dev, dma_addr_t start, size_t len)
{
	unsigned long boundary = dma_get_seg_boundary(dev);

	return len <= dma_get_max_seg_size(dev) &&
	       (start & ~(dma_addr_t)boundary) == ((start + len - 1) & ~(dma_addr_t)boundary);
}

DMAE_EXPORT int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
			   enum dma_data_direction dir)
{
	struct scatterlist *s, *out = NULL;
	bool bounced = false;
	int i, n = 0;

	if (!dev || !sg || nents <= 0 || !valid_dma_direction(dir)) {
		dev_err(dev, "dma_map_sg: %s", !sg || nents <= 0 ? "empty scatterlist" :
			!dev ? "NULL device" : "invalid direction");
		return 0;
	}
	for_each_sg(sg, s, nents, i) {
		s->dma_address = dma_map_single(dev, sg_virt(s), s->length, dir);
		s->dma_length = s->length;
		if (dma_mapping_error(dev, s->dma_address)) {
			dma_unmap_sg(dev, sg, i, dir);
			return 0;
		}
		bounced |= dmae__swiotlb_owns(s->dma_address);
	}
	if (bounced)
		return nents; /* each bounce buffer stays with its entry */
	/* Merge what the device sees as one run, into the first entries. */
	for_each_sg(sg, s, nents, i) {
		dma_addr_t a = s->dma_address;
		unsigned int l = s->dma_length;

		if (out && out->dma_address + out->dma_length == a &&
		    seg_fits(dev, out->dma_address, (size_t)out->dma_length + l)) {
			out->dma_length += l;
		} else {
			out = out ? sg_next(out) : sg;
			out->dma_address = a;
			out->dma_length = l;
			n++;
		}
	}
	/* The entries left over say they map nothing. */
	for (s = sg_next(out); s && n < nents; s = sg_next(s)) {
		s->dma_address = DMA_MAPPING_ERROR;
		s->dma_length = 0;
		if (sg_is_last(s))
			break;
	}
	return n;
}

DMAE_EXPORT void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, nents, i)
		if (s->dma_length && dmae__swiotlb_owns(s->dma_address))
			dma_unmap_single(dev, s->dma_address, s->dma_length, dir);
}

/* Sync each mapped entry of @sg with @sync. */
static void sync_sg(struct device *dev, struct scatterlist *sg, int nents,
		    enum dma_data_direction dir,
		    void (*sync)(struct device *, dma_addr_t, size_t, enum dma_data_direction))
{
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, nents, i)
		if (s->dma_length)
			sync(dev, s->dma_address, s->dma_length, dir);
}

DMAE_EXPORT void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nents,
				     enum dma_data_direction dir)
{
	sync_sg(dev, sg, nents, dir, dma_sync_single_for_cpu);
}

DMAE_EXPORT void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nents,
					enum dma_data_direction dir)
{
	sync_sg(dev, sg, nents, dir, dma_sync_single_for_device);
}

/* ------------------------------------------------------- coherent memory */

DMAE_EXPORT void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
				     gfp_t gfp)
{
	size_t len = (size + PAGE_SIZE - 1) & PAGE_MASK;
	void *p;

	(void)gfp;
	if (!dev || !handle || !size) {
		dev_err(dev, "dma_alloc_coherent: %s", !size ? "zero size" : "NULL argument");
		return NULL;
	}
	if (dmae_might_sleep(__func__))
		return NULL;
	/* Full 64-bit reach: anywhere; else below 2 GiB, which a 31-bit mask covers. */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | (dev->coherent_dma_mask < DMA_BIT_MASK(64) ?
						MAP_32BIT : 0), -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if ((uintptr_t)p + len - 1 > dev->coherent_dma_mask) {
		munmap(p, len);
		dev_err(dev, "dma_alloc_coherent: no memory under mask %#llx",
			(unsigned long long)dev->coherent_dma_mask);
		return NULL;
	}
	*handle = (dma_addr_t)(uintptr_t)p;
	return p;
}

DMAE_EXPORT void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
				   dma_addr_t handle)
{
	if (!cpu_addr)
		return;
	if (handle != (dma_addr_t)(uintptr_t)cpu_addr) {
		dev_err(dev, "dma_free_coherent: handle %#llx is not that of %p",
			(unsigned long long)handle, cpu_addr);
		return;
	}
	munmap(cpu_addr, (size + PAGE_SIZE - 1) & PAGE_MASK);
}
