// SPDX-License-Identifier: MIT
/*
 * iommu.c - the emulated IOMMU: domains, their page tables, translation and
 * faults. See mapping/iommu.h for the layout and the locking.
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/dma-mapping.h>
#include <dmaengine/dmaengine.h> /* dmae_likely */

#include "mapping/iommu.h"

#define ENTRIES (1u << DMAE_IOMMU_BITS)
#define PTE_PROT (IOMMU_READ | IOMMU_WRITE)
#define PTE_ADDR (~(u64)(PAGE_SIZE - 1))
#define FAULTS_LOGGED 16 /* per domain, then one line saying the rest are not */

/* Index of @pfn in a table of level @lvl (0: top). */
static unsigned int pt_index(u64 pfn, int lvl)
{
	return (unsigned int)(pfn >> (DMAE_IOMMU_BITS * (DMAE_IOMMU_LEVELS - 1 - lvl))) &
	       (ENTRIES - 1);
}

/*
 * The leaf table holding @pfn's entry, or NULL when it does not exist; with
 * @grow, tables are created on the way (lock held). Lock-free without @grow.
 */
static u64 *leaf_table(struct iommu_domain *d, u64 pfn, bool grow)
{
	u64 *t = d->top;

	for (int lvl = 0; lvl < DMAE_IOMMU_LEVELS - 1; lvl++) {
		u64 *slot = &t[pt_index(pfn, lvl)];
		u64 *next = (u64 *)(uintptr_t)__atomic_load_n(slot, __ATOMIC_ACQUIRE);

		if (!next) {
			if (!grow)
				return NULL;
			next = calloc(ENTRIES, sizeof(u64));
			if (!next)
				return NULL;
			__atomic_store_n(slot, (u64)(uintptr_t)next, __ATOMIC_RELEASE);
		}
		t = next;
	}
	return t;
}

static void free_tables(u64 *t, int lvl)
{
	if (lvl < DMAE_IOMMU_LEVELS - 1)
		for (unsigned int i = 0; i < ENTRIES; i++)
			if (t[i])
				free_tables((u64 *)(uintptr_t)t[i], lvl + 1);
	free(t);
}

/* ---------------------------------------------------------------- domains */

DMAE_EXPORT struct iommu_domain *dmae_iommu_paging_domain_alloc(struct device *dev)
{
	struct iommu_domain *d;

	if (!dev)
		return ERR_PTR(-EINVAL);
	d = calloc(1, sizeof(*d));
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->top = calloc(ENTRIES, sizeof(u64));
	if (!d->top ||
	    dmae__iova_domain_init(&d->iovad, PAGE_SIZE, 1,
				   ((u64)1 << DMAE_IOMMU_PFN_BITS) - 1)) {
		free(d->top);
		free(d);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&d->lock);
	return d;
}

DMAE_EXPORT void dmae_iommu_domain_free(struct iommu_domain *d)
{
	if (!d)
		return;
	if (d->devices) {
		dmae_log(DMAE_LOG_ERR, "iommu: domain freed with %u device(s) attached: kept",
			 d->devices);
		return;
	}
	dmae__iova_domain_destroy(&d->iovad);
	free_tables(d->top, 0);
	free(d);
}

DMAE_EXPORT int dmae_iommu_attach_device(struct iommu_domain *d, struct device *dev)
{
	unsigned long flags;

	if (!d || !dev)
		return -EINVAL;
	if (dev->iommu_domain)
		return -EBUSY;
	spin_lock_irqsave(&d->lock, flags);
	d->devices++;
	spin_unlock_irqrestore(&d->lock, flags);
	dev->iommu_domain = d;
	return 0;
}

DMAE_EXPORT void dmae_iommu_detach_device(struct iommu_domain *d, struct device *dev)
{
	unsigned long flags;

	if (!d || !dev || dev->iommu_domain != d) {
		dev_err(dev, "iommu: detach from a domain it is not attached to");
		return;
	}
	dev->iommu_domain = NULL;
	spin_lock_irqsave(&d->lock, flags);
	d->devices--;
	spin_unlock_irqrestore(&d->lock, flags);
}

DMAE_EXPORT struct iommu_domain *dmae_iommu_get_domain_for_dev(struct device *dev)
{
	return dev ? dev->iommu_domain : NULL;
}

DMAE_EXPORT void dmae_iommu_set_fault_handler(struct iommu_domain *d, iommu_fault_handler_t handler,
					 void *token)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->handler = handler;
	d->token = token;
	spin_unlock_irqrestore(&d->lock, flags);
}

DMAE_EXPORT unsigned long dmae_iommu_fault_count(struct iommu_domain *d)
{
	return __atomic_load_n(&d->faults, __ATOMIC_ACQUIRE);
}

DMAE_EXPORT int dmae_iommu_last_fault(struct iommu_domain *d, struct dmae_iommu_fault *f)
{
	unsigned long flags;
	int ret = -ENOENT;

	spin_lock_irqsave(&d->lock, flags);
	if (d->faults) {
		*f = d->last;
		ret = 0;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

DMAE_EXPORT unsigned long dmae_iommu_mapped_pages(struct iommu_domain *d)
{
	unsigned long flags, n;

	spin_lock_irqsave(&d->lock, flags);
	n = d->mapped;
	spin_unlock_irqrestore(&d->lock, flags);
	return n;
}

/* ---------------------------------------------------------------- mapping */

dma_addr_t dmae__iommu_alloc(struct iommu_domain *d, u64 npages, u64 mask)
{
	unsigned long flags;
	u64 pfn;

	spin_lock_irqsave(&d->lock, flags);
	pfn = dmae__iova_alloc(&d->iovad, npages, mask >> PAGE_SHIFT, true);
	spin_unlock_irqrestore(&d->lock, flags);
	return pfn ? dmae__iova_addr(&d->iovad, pfn) : DMA_MAPPING_ERROR;
}

int dmae__iommu_reserve(struct iommu_domain *d, dma_addr_t start, u64 size)
{
	u64 first = start >> PAGE_SHIFT, last = (start + size - 1) >> PAGE_SHIFT, pfn;
	unsigned long flags;

	if (!size || start + size - 1 < start)
		return -EINVAL;
	spin_lock_irqsave(&d->lock, flags);
	/* Top-down: the highest free range under last is the range itself, if it is free. */
	pfn = dmae__iova_alloc(&d->iovad, last - first + 1, last, false);
	if (pfn && pfn != first) {
		dmae__iova_free(&d->iovad, pfn, last - first + 1);
		pfn = 0;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return pfn ? 0 : -EBUSY;
}

int dmae__iommu_set(struct iommu_domain *d, dma_addr_t iova, const void *host, u64 npages,
		    int prot)
{
	u64 pfn = iova >> PAGE_SHIFT, page = (u64)(uintptr_t)host;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&d->lock, flags);
	for (u64 i = 0; i < npages; i++, pfn++, page += PAGE_SIZE) {
		u64 *t = leaf_table(d, pfn, true);

		if (!t) {
			ret = -ENOMEM;
			break;
		}
		__atomic_store_n(&t[pfn & (ENTRIES - 1)], page | (u64)prot, __ATOMIC_RELEASE);
		d->mapped++;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

dma_addr_t dmae__iommu_map(struct iommu_domain *d, const void *host, size_t size, int prot,
			   u64 mask)
{
	uintptr_t h = (uintptr_t)host, off = h & (PAGE_SIZE - 1);
	u64 npages = dmae__iova_pages(&d->iovad, off, size);
	dma_addr_t iova = dmae__iommu_alloc(d, npages, mask);

	if (iova == DMA_MAPPING_ERROR)
		return iova;
	if (dmae__iommu_set(d, iova, (const void *)(h - off), npages, prot)) {
		dmae__iommu_unmap(d, iova, 0);
		return DMA_MAPPING_ERROR;
	}
	return iova + off;
}

int dmae__iommu_unmap(struct iommu_domain *d, dma_addr_t iova, u64 npages)
{
	u64 pfn = iova >> PAGE_SHIFT;
	struct dmae_iova_range r;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	if (dmae__iova_find(&d->iovad, pfn, &r) || r.pfn != pfn) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -ENOENT;
	}
	for (u64 p = r.pfn; p < r.pfn + r.npages; p++) {
		u64 *t = leaf_table(d, p, false);

		if (t && __atomic_load_n(&t[p & (ENTRIES - 1)], __ATOMIC_RELAXED)) {
			__atomic_store_n(&t[p & (ENTRIES - 1)], 0, __ATOMIC_RELEASE);
			d->mapped--;
		}
	}
	dmae__iova_free(&d->iovad, r.pfn, r.npages);
	spin_unlock_irqrestore(&d->lock, flags);
	return npages && npages != r.npages ? -EINVAL : 0;
}

/* ------------------------------------------------------------ translation */

static u64 pte_get(struct iommu_domain *d, u64 pfn)
{
	u64 *t = leaf_table(d, pfn, false);

	return t ? __atomic_load_n(&t[pfn & (ENTRIES - 1)], __ATOMIC_ACQUIRE) : 0;
}

void *dmae__iommu_host(struct iommu_domain *d, dma_addr_t iova)
{
	u64 pte;

	if (iova >> PAGE_SHIFT >> DMAE_IOMMU_PFN_BITS)
		return NULL;
	pte = pte_get(d, iova >> PAGE_SHIFT);
	return pte ? (void *)(uintptr_t)((pte & PTE_ADDR) | (iova & (PAGE_SIZE - 1))) : NULL;
}

DMAE_EXPORT phys_addr_t dmae_iommu_iova_to_phys(struct iommu_domain *d, dma_addr_t iova)
{
	return d ? (phys_addr_t)(uintptr_t)dmae__iommu_host(d, iova) : 0;
}

void *dmae__iommu_xlate(struct iommu_domain *d, dma_addr_t iova, size_t len, int prot,
			size_t *span)
{
	u64 pfn = iova >> PAGE_SHIFT, off = iova & (PAGE_SIZE - 1), pte, next;
	size_t n;
	u64 *t;

	*span = 0;
	if (pfn >> DMAE_IOMMU_PFN_BITS)
		return NULL;
	t = leaf_table(d, pfn, false);
	pte = t ? __atomic_load_n(&t[pfn & (ENTRIES - 1)], __ATOMIC_ACQUIRE) : 0;
	if ((pte & (u64)prot) != (u64)prot || !(pte & PTE_PROT))
		return NULL;
	/* Extend over following pages while they are allowed and contiguous on the host. */
	n = PAGE_SIZE - off;
	next = (pte & PTE_ADDR) + PAGE_SIZE;
	while (n < len) {
		u64 e;

		if (!(++pfn & (ENTRIES - 1))) /* the next leaf table */
			t = pfn >> DMAE_IOMMU_PFN_BITS ? NULL : leaf_table(d, pfn, false);
		e = t ? __atomic_load_n(&t[pfn & (ENTRIES - 1)], __ATOMIC_ACQUIRE) : 0;
		if ((e & (u64)prot) != (u64)prot || (e & PTE_ADDR) != next)
			break;
		n += PAGE_SIZE;
		next += PAGE_SIZE;
	}
	*span = n < len ? n : len;
	return (void *)(uintptr_t)((pte & PTE_ADDR) | off);
}

void dmae__iommu_fault(struct iommu_domain *d, struct device *dev, dma_addr_t iova, int flags)
{
	iommu_fault_handler_t handler;
	unsigned long irq, n;
	void *token;

	spin_lock_irqsave(&d->lock, irq);
	d->last.dev = dev;
	d->last.iova = iova;
	d->last.flags = flags;
	n = __atomic_add_fetch(&d->faults, 1, __ATOMIC_RELEASE);
	handler = d->handler;
	token = d->token;
	spin_unlock_irqrestore(&d->lock, irq);
	if (handler && !handler(d, dev, (unsigned long)iova, flags, token))
		return;
	if (n <= FAULTS_LOGGED)
		dev_err(dev, "iommu: unhandled %s fault at iova %#llx%s",
			flags == IOMMU_FAULT_WRITE ? "write" : "read", (unsigned long long)iova,
			n == FAULTS_LOGGED ? " (further faults are counted, not logged)" : "");
}
