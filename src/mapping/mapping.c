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

#include "mapping/debug.h"
#include "mapping/iommu.h"
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

/*
 * Behind an IOMMU: IOVAs under the device's mask for the pages of the buffer,
 * or of its bounce buffer on a non-coherent device (any bounce slot will do:
 * the IOMMU remaps it).
 */
static dma_addr_t iommu_map_one(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir)
{
	dma_addr_t b = 0, iova;
	void *host = ptr;

	if (!dev->dma_coherent) {
		b = dmae__swiotlb_map(dev, ptr, size, ~0ULL);
		if (b == DMA_MAPPING_ERROR)
			return b;
		host = (void *)(uintptr_t)b;
	}
	iova = dmae__iommu_map(dev->iommu_domain, host, size, dmae__iommu_prot(dir),
			       dma_get_mask(dev));
	if (iova == DMA_MAPPING_ERROR) {
		dev_err(dev, "iommu: no IOVA space for %zu bytes under mask %#llx", size,
			(unsigned long long)dma_get_mask(dev));
		if (b)
			dmae__swiotlb_unmap(dev, b, size, DMA_TO_DEVICE); /* no copy back */
	}
	return iova;
}

/* Undo iommu_map_one(), copying a bounce buffer back as @dir requires. */
static void iommu_unmap_one(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir)
{
	struct iommu_domain *d = dev->iommu_domain;
	void *host = dmae__iommu_host(d, addr);
	int ret = dmae__iommu_unmap(d, addr, dmae__iova_pages(&d->iovad, addr & ~PAGE_MASK, size));

	if (ret == -ENOENT) {
		dev_err(dev, "iommu: unmap of %#llx, which does not start a mapping",
			(unsigned long long)addr);
		return;
	}
	if (ret)
		dev_err(dev, "iommu: unmap of %#llx with %zu bytes, not the mapped size",
			(unsigned long long)addr, size);
	if (dmae__swiotlb_owns((uintptr_t)host))
		dmae__swiotlb_unmap(dev, (uintptr_t)host, size, dir);
}

/* Map one buffer, without debug records (dma_map_sg() maps its entries with it). */
static dma_addr_t map_one(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir)
{
	if (dmae_unlikely(dev->dma_ops))
		return dev->dma_ops->map(dev, ptr, size, dir);
	if (dmae_likely(!dev->iommu_domain && direct_ok(dev, ptr, size)))
		return (dma_addr_t)(uintptr_t)ptr;
	if (dev->iommu_domain)
		return iommu_map_one(dev, ptr, size, dir);
	return dmae__swiotlb_map(dev, ptr, size, dma_get_mask(dev));
}

static void unmap_one(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	if (dmae_unlikely(dev->dma_ops))
		dev->dma_ops->unmap(dev, addr, size, dir);
	else if (dmae_unlikely(dev->iommu_domain))
		iommu_unmap_one(dev, addr, size, dir);
	else if (dmae_unlikely(dmae__swiotlb_owns(addr)))
		dmae__swiotlb_unmap(dev, addr, size, dir);
}

DMAE_EXPORT dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
				      enum dma_data_direction dir)
{
	dma_addr_t addr;

	if (dmae_unlikely(!dev || !ptr || !size || !valid_dma_direction(dir))) {
		dev_err(dev, "dma_map_single: %s", !ptr ? "NULL buffer" : !size ? "zero size" :
			!dev ? "NULL device" : "invalid direction");
		return DMA_MAPPING_ERROR;
	}
	addr = map_one(dev, ptr, size, dir);
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_map_single(dev, ptr, size, dir, addr);
	return addr;
}

DMAE_EXPORT int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_mapping_error(dev, addr);
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

DMAE_EXPORT void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir)
{
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_unmap_single(dev, addr, size, dir);
	if (dmae_unlikely(!dev || !valid_dma_direction(dir))) {
		dev_err(dev, "dma_unmap_single: %s", !dev ? "NULL device" : "invalid direction");
		return;
	}
	unmap_one(dev, addr, size, dir);
}

static void sync_one(struct device *dev, dma_addr_t addr, size_t size,
		     enum dma_data_direction dir, bool for_cpu)
{
	if (dmae_unlikely(!dev))
		return;
	if (dev->dma_ops) {
		dev->dma_ops->sync(dev, addr, size, dir, for_cpu);
		return;
	}
	if (dev->iommu_domain) /* a bounce buffer is behind the IOVA, if any */
		addr = (uintptr_t)dmae__iommu_host(dev->iommu_domain, addr);
	if (!dmae__swiotlb_owns(addr))
		return;
	if (for_cpu ? dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL :
		      dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
		dmae__swiotlb_sync(dev, addr, size, for_cpu);
}

DMAE_EXPORT void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
					 enum dma_data_direction dir)
{
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_sync_single(dev, addr, size, dir, true);
	sync_one(dev, addr, size, dir, true);
}

DMAE_EXPORT void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
					    enum dma_data_direction dir)
{
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_sync_single(dev, addr, size, dir, false);
	sync_one(dev, addr, size, dir, false);
}

/* ---------------------------------------------------------- scatterlists */

/* May a segment grow from [@start, @end) to @len bytes for @dev? */
static bool seg_fits(const struct device *dev, dma_addr_t start, size_t len)
{
	unsigned long boundary = dma_get_seg_boundary(dev);

	return len <= dma_get_max_seg_size(dev) &&
	       (start & ~(dma_addr_t)boundary) == ((start + len - 1) & ~(dma_addr_t)boundary);
}

/*
 * Merge the mapped entries of @sg that the device sees as one run (within its
 * segment limits) into the first entries. @return how many there are now.
 */
static int merge_sg(struct device *dev, struct scatterlist *sg, int nents)
{
	struct scatterlist *s, *out = NULL;
	int i, n = 0;

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

/* The IOVA pages that the entries of @sg take, each from its own first page. */
static u64 iommu_sg_pages(struct device *dev, struct scatterlist *sg, int nents)
{
	struct iommu_domain *d = dev->iommu_domain;
	struct scatterlist *s;
	u64 total = 0;
	int i;

	for_each_sg(sg, s, nents, i)
		total += dmae__iova_pages(&d->iovad, (uintptr_t)sg_virt(s) & ~PAGE_MASK, s->length);
	return total;
}

/*
 * A coherent device behind an IOMMU: the whole list in one IOVA range, each
 * entry from a new page at its own page offset, so that entries which end and
 * start on page boundaries become one segment.
 */
static int iommu_map_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir)
{
	struct iommu_domain *d = dev->iommu_domain;
	u64 total = iommu_sg_pages(dev, sg, nents), at = 0;
	dma_addr_t base = dmae__iommu_alloc(d, total, dma_get_mask(dev));
	struct scatterlist *s;
	int i;

	if (base == DMA_MAPPING_ERROR) {
		dev_err(dev, "iommu: no IOVA space for %llu pages under mask %#llx",
			(unsigned long long)total, (unsigned long long)dma_get_mask(dev));
		return 0;
	}
	for_each_sg(sg, s, nents, i) {
		uintptr_t h = (uintptr_t)sg_virt(s), off = h & ~PAGE_MASK;
		u64 n = dmae__iova_pages(&d->iovad, off, s->length);

		if (dmae__iommu_set(d, base + at * PAGE_SIZE, (void *)(h - off), n,
				    dmae__iommu_prot(dir))) {
			dmae__iommu_unmap(d, base, 0);
			return 0;
		}
		s->dma_address = base + at * PAGE_SIZE + off;
		s->dma_length = s->length;
		at += n;
	}
	return merge_sg(dev, sg, nents);
}

/* Does dma_map_sg() put the list in one IOVA range (else: entry by entry)? */
static bool iommu_sg_whole(const struct device *dev)
{
	return dev->iommu_domain && dev->dma_coherent;
}

/*
 * Map each entry of @sg on its own, then merge. Bounce buffers are not
 * merged: each stays with its entry (so does each IOVA range of a
 * non-coherent device behind an IOMMU).
 */
static int map_sg(struct device *dev, struct scatterlist *sg, int nents,
		  enum dma_data_direction dir)
{
	struct scatterlist *s, *t;
	bool separate = dev->iommu_domain != NULL || dev->dma_ops != NULL;
	int i, j;

	if (iommu_sg_whole(dev))
		return iommu_map_sg(dev, sg, nents, dir);
	for_each_sg(sg, s, nents, i) {
		s->dma_address = map_one(dev, sg_virt(s), s->length, dir);
		s->dma_length = s->length;
		if (s->dma_address == DMA_MAPPING_ERROR) {
			for_each_sg(sg, t, i, j)
				unmap_one(dev, t->dma_address, t->dma_length, dir);
			return 0;
		}
		separate |= dmae__swiotlb_owns(s->dma_address);
	}
	return separate ? nents : merge_sg(dev, sg, nents);
}

DMAE_EXPORT int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
			   enum dma_data_direction dir)
{
	struct scatterlist *s;
	int i, n;

	if (!dev || !sg || nents <= 0 || !valid_dma_direction(dir)) {
		dev_err(dev, "dma_map_sg: %s", !sg || nents <= 0 ? "empty scatterlist" :
			!dev ? "NULL device" : "invalid direction");
		return 0;
	}
	for_each_sg(sg, s, nents, i)
		if (!sg_virt(s) || !s->length) {
			dev_err(dev, "dma_map_sg: entry %d: %s", i,
				!s->length ? "zero length" : "NULL buffer");
			return 0;
		}
	n = map_sg(dev, sg, nents, dir);
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_map_sg(dev, sg, nents, n, dir);
	return n;
}

DMAE_EXPORT void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir)
{
	struct scatterlist *s;
	int i;

	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_unmap_sg(dev, sg, nents, dir);
	if (!dev || !sg || nents <= 0) {
		dev_err(dev, "dma_unmap_sg: %s", !dev ? "NULL device" : "empty scatterlist");
		return;
	}
	if (iommu_sg_whole(dev)) {
		struct iommu_domain *d = dev->iommu_domain;

		if (dmae__iommu_unmap(d, sg->dma_address, iommu_sg_pages(dev, sg, nents)))
			dev_err(dev, "dma_unmap_sg: %#llx is not the start of a list of %d entries",
				(unsigned long long)sg->dma_address, nents);
		return;
	}
	for_each_sg(sg, s, nents, i)
		if (s->dma_length)
			unmap_one(dev, s->dma_address, s->dma_length, dir);
}

/* Sync each mapped entry of @sg. */
static void sync_sg(struct device *dev, struct scatterlist *sg, int nents,
		    enum dma_data_direction dir, bool for_cpu)
{
	struct scatterlist *s;
	int i;

	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_sync_sg(dev, sg, nents, dir, for_cpu);
	if (!dev || !sg || nents <= 0) {
		dev_err(dev, "dma_sync_sg_for_%s: %s", for_cpu ? "cpu" : "device",
			!dev ? "NULL device" : "empty scatterlist");
		return;
	}
	for_each_sg(sg, s, nents, i)
		if (s->dma_length)
			sync_one(dev, s->dma_address, s->dma_length, dir, for_cpu);
}

DMAE_EXPORT void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nents,
				     enum dma_data_direction dir)
{
	sync_sg(dev, sg, nents, dir, true);
}

DMAE_EXPORT void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nents,
					enum dma_data_direction dir)
{
	sync_sg(dev, sg, nents, dir, false);
}

/* ------------------------------------------------------- coherent memory */

DMAE_EXPORT void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
				     gfp_t gfp)
{
	size_t len = (size + PAGE_SIZE - 1) & PAGE_MASK;
	struct iommu_domain *d;
	u64 mask;
	void *p;

	(void)gfp;
	if (!dev || !handle || !size) {
		dev_err(dev, "dma_alloc_coherent: %s", !size ? "zero size" : "NULL argument");
		return NULL;
	}
	if (dmae_might_sleep(__func__))
		return NULL;
	if (dev->dma_ops) {
		p = dev->dma_ops->alloc(dev, len, handle);
		if (!p)
			dev_err(dev, "dma_alloc_coherent: no %zu bytes of coherent memory", len);
		else if (dmae_unlikely(dmae__debug_on()))
			dmae__debug_alloc_coherent(dev, size, p, *handle);
		return p;
	}
	d = dev->iommu_domain;
	mask = dev->coherent_dma_mask;
	/*
	 * Behind an IOMMU, or with full 64-bit reach: anywhere. Else below 2 GiB,
	 * which a 31-bit mask covers.
	 */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | (!d && mask < DMA_BIT_MASK(64) ? MAP_32BIT : 0),
		 -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (d) {
		*handle = dmae__iommu_map(d, p, len, IOMMU_READ | IOMMU_WRITE, mask);
	} else {
		*handle = (uintptr_t)p + len - 1 > mask ? DMA_MAPPING_ERROR : (uintptr_t)p;
	}
	if (*handle == DMA_MAPPING_ERROR) {
		munmap(p, len);
		dev_err(dev, "dma_alloc_coherent: no %s under mask %#llx",
			d ? "IOVA space" : "memory", (unsigned long long)mask);
		return NULL;
	}
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_alloc_coherent(dev, size, p, *handle);
	return p;
}

DMAE_EXPORT void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
				   dma_addr_t handle)
{
	size_t len = (size + PAGE_SIZE - 1) & PAGE_MASK;
	struct iommu_domain *d;

	if (!cpu_addr)
		return;
	if (dmae_unlikely(dmae__debug_on()))
		dmae__debug_free_coherent(dev, size, cpu_addr, handle);
	if (!dev) {
		dev_err(dev, "dma_free_coherent: NULL device");
		return;
	}
	if (dev->dma_ops) {
		if (!dev->dma_ops->free(dev, len, cpu_addr, handle))
			dev_err(dev, "dma_free_coherent: handle %#llx is not that of %p",
				(unsigned long long)handle, cpu_addr);
		return;
	}
	d = dev->iommu_domain;
	if (d ? dmae__iommu_host(d, handle) != cpu_addr ||
			(handle & ~PAGE_MASK) ||
			dmae__iommu_unmap(d, handle, len >> PAGE_SHIFT) :
		handle != (dma_addr_t)(uintptr_t)cpu_addr) {
		/* Kept rather than freed: it may be someone else's. */
		dev_err(dev, "dma_free_coherent: handle %#llx is not that of %p",
			(unsigned long long)handle, cpu_addr);
		return;
	}
	munmap(cpu_addr, len);
}
