/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/iommu.h - IOMMU domains: an I/O address space that devices are
 * attached to. A device attached to a domain sees only what the DMA mapping
 * API has mapped for it: dma_map_*() and dma_alloc_coherent() hand out I/O
 * virtual addresses (IOVAs) from the domain, page by page, with the
 * permissions of the mapping's direction, and a scatterlist maps to one
 * contiguous IOVA range. Any other access by the device - an address nobody
 * mapped, or a write to a mapping the device may only read - is a fault:
 * recorded in the domain, passed to its fault handler, reported, and never a
 * host memory access. The provider's descriptor then completes with
 * DMA_TRANS_READ_FAILED or DMA_TRANS_WRITE_FAILED.
 *
 * The emulated IOMMU has 4 KiB pages and a 48-bit I/O address space,
 * allocated top-down under the device's DMA mask (so a 32-bit device gets
 * IOVAs below 4 GiB, whatever host memory backs them: no bounce buffers).
 *
 *	dom = iommu_paging_domain_alloc(dev);
 *	if (IS_ERR(dom)) ...
 *	iommu_attach_device(dom, dev);		before the device maps anything
 *	...
 *	iommu_detach_device(dom, dev);		after it has unmapped everything
 *	iommu_domain_free(dom);
 *
 * The cpu provider puts its device behind a domain of its own with
 * dma_cpu_params.iommu (or DMAENGINE_CPU_IOMMU=1 for the default device).
 *
 * Context: process for allocation, attach, detach and free; any for the rest.
 */
#ifndef DMAENGINE_IOMMU_H
#define DMAENGINE_IOMMU_H

#include <dmaengine/device.h>
#include <dmaengine/err.h>

DMAE_BEGIN_DECLS

struct iommu_domain;

/* Mapping permissions, for the device. */
#define IOMMU_READ (1 << 0)  /* the device may read (DMA_TO_DEVICE) */
#define IOMMU_WRITE (1 << 1) /* the device may write (DMA_FROM_DEVICE) */

/* Fault flags given to a fault handler. */
#define IOMMU_FAULT_READ 0x0
#define IOMMU_FAULT_WRITE 0x1

/**
 * iommu_fault_handler_t - called for each fault of a device in @domain, in the
 * context of the device's access (for the cpu provider: its worker thread).
 * @return 0 when the handler dealt with it (nothing is logged), anything else
 * to have it reported as unhandled. The access fails either way.
 */
typedef int (*iommu_fault_handler_t)(struct iommu_domain *domain, struct device *dev,
				     unsigned long iova, int flags, void *token);

/**
 * iommu_paging_domain_alloc - an empty domain for devices like @dev.
 * @return the domain, or ERR_PTR(-ENOMEM) / ERR_PTR(-EINVAL) (@dev NULL).
 */
DMAE_EXPORT struct iommu_domain *dmae_iommu_paging_domain_alloc(struct device *dev);
static inline struct iommu_domain *iommu_paging_domain_alloc(struct device *dev)
{
	return dmae_iommu_paging_domain_alloc(dev);
}

/**
 * iommu_domain_free - free a domain with no device attached, and every
 * mapping still in it. A domain that still has devices is left alone (an
 * error line says so).
 */
DMAE_EXPORT void dmae_iommu_domain_free(struct iommu_domain *domain);
static inline void iommu_domain_free(struct iommu_domain *domain)
{
	dmae_iommu_domain_free(domain);
}

/**
 * iommu_attach_device - put @dev behind @domain: from now on its bus
 * addresses are IOVAs of the domain. Attach before the device maps anything.
 * @return 0, -EINVAL (NULL argument), -EBUSY (@dev is already attached).
 */
DMAE_EXPORT int dmae_iommu_attach_device(struct iommu_domain *domain, struct device *dev);
static inline int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	return dmae_iommu_attach_device(domain, dev);
}

/** iommu_detach_device - take @dev out of @domain (its mappings stay in the domain). */
DMAE_EXPORT void dmae_iommu_detach_device(struct iommu_domain *domain, struct device *dev);
static inline void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	dmae_iommu_detach_device(domain, dev);
}

/** iommu_get_domain_for_dev - the domain @dev is attached to, or NULL. */
DMAE_EXPORT struct iommu_domain *dmae_iommu_get_domain_for_dev(struct device *dev);
static inline struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	return dmae_iommu_get_domain_for_dev(dev);
}

/** iommu_set_fault_handler - call @handler(..., @token) on each fault. */
DMAE_EXPORT void dmae_iommu_set_fault_handler(struct iommu_domain *domain,
					 iommu_fault_handler_t handler, void *token);
static inline void iommu_set_fault_handler(struct iommu_domain *domain,
				 iommu_fault_handler_t handler, void *token)
{
	dmae_iommu_set_fault_handler(domain, handler, token);
}

/**
 * iommu_iova_to_phys - the host (CPU) address that @iova maps to, whatever
 * the permissions, or 0 when it is not mapped.
 */
DMAE_EXPORT phys_addr_t dmae_iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);
static inline phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	return dmae_iommu_iova_to_phys(domain, iova);
}

/* A fault, as the domain records it. */
struct dmae_iommu_fault {
	struct device *dev; /* the device that made the access */
	dma_addr_t iova;    /* the first address it could not access */
	int flags;	    /* IOMMU_FAULT_READ or IOMMU_FAULT_WRITE */
};

/** dmae_iommu_fault_count - faults in @domain since it was allocated. */
DMAE_EXPORT unsigned long dmae_iommu_fault_count(struct iommu_domain *domain);

/** dmae_iommu_last_fault - the latest fault: 0, or -ENOENT when there was none. */
DMAE_EXPORT int dmae_iommu_last_fault(struct iommu_domain *domain, struct dmae_iommu_fault *f);

/** dmae_iommu_mapped_pages - pages mapped in @domain now (mappings not yet undone). */
DMAE_EXPORT unsigned long dmae_iommu_mapped_pages(struct iommu_domain *domain);

DMAE_END_DECLS

#endif /* DMAENGINE_IOMMU_H */
