// SPDX-License-Identifier: MIT
/*
 * bus.c - bus access for providers: the slow half of dmae_bus_xlate() (a
 * device behind an IOMMU, or an address the identity path refuses), and
 * copies between host memory and bus addresses.
 */
#include <string.h>

#include <dmaengine/bus.h>

#include "mapping/iommu.h"

#define IDENTITY_FAULTS_LOGGED 16

/* An access the identity path cannot make: report it (a bounded number of times). */
static void identity_fault(struct device *dev, dma_addr_t addr, size_t len, unsigned int access)
{
	static unsigned long faults;
	unsigned long n = __atomic_add_fetch(&faults, 1, __ATOMIC_RELAXED);

	if (n <= IDENTITY_FAULTS_LOGGED)
		dev_err(dev, "bus: %s of %zu bytes at %#llx: %s%s",
			access & DMAE_BUS_WRITE ? "write" : "read", len, (unsigned long long)addr,
			addr < PAGE_SIZE ? "NULL page" : "beyond the device's DMA mask",
			n == IDENTITY_FAULTS_LOGGED ? " (further faults are not logged)" : "");
}

DMAE_EXPORT void *dmae__bus_xlate(struct device *dev, dma_addr_t addr, size_t len,
				  unsigned int access, size_t *span)
{
	struct iommu_domain *d = dev->iommu_domain;
	size_t rspan = len;
	void *p;

	*span = 0;
	if (!len)
		return NULL;
	if (!d && dev->bus_space)
		return dev->bus_space->xlate(dev->bus_space, dev, addr, len, access, span);
	if (!d) {
		dma_addr_t last = addr + len - 1;

		if (addr < PAGE_SIZE || last < addr || last > dma_get_mask(dev)) {
			identity_fault(dev, addr, len, access);
			return NULL;
		}
		*span = len;
		return (void *)(uintptr_t)addr;
	}
	/* Read permission first: a device reads before it writes back. */
	if (access & DMAE_BUS_READ) {
		p = dmae__iommu_xlate(d, addr, len, IOMMU_READ, &rspan);
		if (!p) {
			dmae__iommu_fault(d, dev, addr, IOMMU_FAULT_READ);
			return NULL;
		}
		if (!(access & DMAE_BUS_WRITE)) {
			*span = rspan;
			return p;
		}
	}
	p = dmae__iommu_xlate(d, addr, rspan, IOMMU_WRITE, span);
	if (!p)
		dmae__iommu_fault(d, dev, addr, IOMMU_FAULT_WRITE);
	return p;
}

DMAE_EXPORT int dmae_bus_read(struct device *dev, void *dst, dma_addr_t src, size_t len)
{
	while (len) {
		size_t n;
		const void *p = dmae_bus_xlate(dev, src, len, DMAE_BUS_READ, &n);

		if (!p)
			return -EFAULT;
		memcpy(dst, p, n);
		dst = (u8 *)dst + n;
		src += n;
		len -= n;
	}
	return 0;
}

DMAE_EXPORT int dmae_bus_write(struct device *dev, dma_addr_t dst, const void *src, size_t len)
{
	while (len) {
		size_t n;
		void *p = dmae_bus_xlate(dev, dst, len, DMAE_BUS_WRITE, &n);

		if (!p)
			return -EFAULT;
		memcpy(p, src, n);
		src = (const u8 *)src + n;
		dst += n;
		len -= n;
	}
	return 0;
}
