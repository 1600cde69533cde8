// SPDX-License-Identifier: MIT
/*
 * ram.c - a simulated board's memory: its RAM regions (the memory node's
 * DDR, the mmio-sram nodes) backed by host memory, the bus translation its
 * masters use, and how the mapping API maps for its devices: into the
 * board's DDR, through a bounce pool there (the kernel's restricted DMA
 * pool), since a device of the board sees only the board's memory.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <dmaengine/dma-mapping.h>
#include <dmaengine/iommu.h>

#include "mapping/iommu.h"
#include "mapping/swiotlb.h"
#include "platform/board.h"

#define DMAE_BOARD_POOL_MAX (64ull << 20) /* bounce and coherent memory at the top of DDR */
#define DMAE_BOARD_FAULTS_LOGGED 16

static struct dmae_board *board_of_space(struct dmae_bus_space *bs)
{
	return container_of(bs, struct dmae_board, bus);
}

/* ------------------------------------------------------ the bus, for masters */

static void *board_xlate(struct dmae_bus_space *bs, struct device *dev, dma_addr_t addr,
			 size_t len, unsigned int access, size_t *span)
{
	static u32 faults;
	struct dmae_board *b = board_of_space(bs);
	const struct dmae_region *r = dmae__board_region(b, addr);
	u32 n;

	if (r && r->kind == DMAE_REGION_RAM && addr <= *dev->dma_mask) {
		u64 left = r->start + r->size - addr;

		*span = len < left ? len : (size_t)left;
		return r->host + (addr - r->start);
	}
	*span = 0;
	n = __atomic_add_fetch(&faults, 1, __ATOMIC_RELAXED);
	if (n <= DMAE_BOARD_FAULTS_LOGGED)
		dev_err(dev, "bus: %s of %zu bytes at %#llx: %s%s",
			access & DMAE_BUS_WRITE ? "write" : "read", len, (unsigned long long)addr,
			!r ? "no memory there" : r->kind == DMAE_REGION_REGS ?
			"registers, not memory" : "beyond the device's DMA mask",
			n == DMAE_BOARD_FAULTS_LOGGED ? " (further faults are not logged)" : "");
	return NULL;
}

/* --------------------------------------------------------- mapping ops */

static struct dmae_board *board_of_dev(const struct device *dev)
{
	return board_of_space(dev->bus_space);
}

/* The bus address of host memory that is the board's own RAM, or DMA_MAPPING_ERROR. */
static dma_addr_t ram_bus_addr(const struct dmae_board *b, const void *p, size_t size)
{
	for (unsigned int i = 0; i < b->nr_regions; i++) {
		const struct dmae_region *r = &b->regions[i];
		uintptr_t off = (uintptr_t)p - (uintptr_t)r->host;

		if (r->kind == DMAE_REGION_RAM && (uintptr_t)p >= (uintptr_t)r->host &&
		    off < r->size && size <= r->size - off)
			return r->start + off;
	}
	return DMA_MAPPING_ERROR;
}

static dma_addr_t board_map(struct device *dev, void *ptr, size_t size,
			    enum dma_data_direction dir)
{
	struct dmae_board *b = board_of_dev(dev);
	dma_addr_t addr = ram_bus_addr(b, ptr, size);

	if (addr != DMA_MAPPING_ERROR && addr + size - 1 <= dma_get_mask(dev))
		return addr; /* already in the board's memory: seen as it is */
	if (!b->dma_pool) {
		dev_err(dev, "dma: board %s has no DDR to map %zu bytes into", b->name, size);
		return DMA_MAPPING_ERROR;
	}
	addr = dmae__tlb_pool_map(b->dma_pool, dev, ptr, size);
	if (addr != DMA_MAPPING_ERROR && addr + size - 1 > dma_get_mask(dev)) {
		dmae__tlb_pool_unmap(b->dma_pool, dev, addr, size, DMA_TO_DEVICE);
		dev_err(dev, "dma: mask %#llx cannot reach the board's DMA memory at %#llx",
			(unsigned long long)dma_get_mask(dev), (unsigned long long)addr);
		return DMA_MAPPING_ERROR;
	}
	return addr;
}

static void board_unmap(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir)
{
	struct dmae_board *b = board_of_dev(dev);

	if (b->dma_pool && dmae__tlb_pool_owns(b->dma_pool, addr))
		dmae__tlb_pool_unmap(b->dma_pool, dev, addr, size, dir);
}

static void board_sync(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, bool for_cpu)
{
	struct dmae_board *b = board_of_dev(dev);

	if (!b->dma_pool || !dmae__tlb_pool_owns(b->dma_pool, addr))
		return;
	if (for_cpu ? dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL :
		      dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
		dmae__tlb_pool_sync(b->dma_pool, dev, addr, size, for_cpu);
}

static void *board_alloc(struct device *dev, size_t size, dma_addr_t *handle)
{
	struct dmae_board *b = board_of_dev(dev);
	void *p;

	if (!b->dma_pool)
		return NULL;
	p = dmae__tlb_pool_alloc(b->dma_pool, size, handle);
	if (p && *handle + size - 1 > dev->coherent_dma_mask) {
		dmae__tlb_pool_free(b->dma_pool, p, *handle);
		return NULL;
	}
	return p;
}

static bool board_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle)
{
	struct dmae_board *b = board_of_dev(dev);

	return b->dma_pool && dmae__tlb_pool_free(b->dma_pool, cpu_addr, handle);
}

static const struct dmae_dma_map_ops board_dma_ops = {
	.map = board_map,
	.unmap = board_unmap,
	.sync = board_sync,
	.alloc = board_alloc,
	.free = board_free,
};

/* The DMA mask that covers bus addresses up to @last. */
static u64 mask_covering(u64 last)
{
	return last >= (1ull << 63) ? ~0ull : (1ull << (64 - __builtin_clzll(last | 1))) - 1;
}

/*
 * The board's emulated IOMMU, for a node whose `iommus` points at a node
 * compatible with "dmaengine,sim-iommu": one domain for the board, its
 * registers and RAM reserved in it so that no IOVA aliases them. NULL for a
 * node without one.
 */
static struct iommu_domain *board_iommu(struct dmae_board *b, struct device *dev,
					struct device_node *np)
{
	struct device_node *mmu = of_parse_phandle(np, "iommus", 0);
	struct iommu_domain *d;

	if (!mmu)
		return NULL;
	if (!of_device_is_compatible(mmu, "dmaengine,sim-iommu") || !of_device_is_available(mmu)) {
		dmae_log(DMAE_LOG_WARN, "board %s: %s: iommus: %s is not an available simulated IOMMU: ignored",
			 b->name, np->full_name, mmu->full_name);
		return NULL;
	}
	if (b->iommu)
		return b->iommu;
	d = iommu_paging_domain_alloc(dev);
	if (IS_ERR(d))
		return NULL;
	for (unsigned int i = b->nr_regions; i-- > 0;)
		if (dmae__iommu_reserve(d, b->regions[i].start, b->regions[i].size))
			dmae_log(DMAE_LOG_WARN, "board %s: IOMMU: cannot reserve %s", b->name,
				 b->regions[i].name);
	b->iommu = d;
	return d;
}

void dmae__board_dev_dma_fini(struct device *dev)
{
	if (dev->iommu_domain)
		iommu_detach_device(dev->iommu_domain, dev);
}

/*
 * dmae__board_dev_dma_init - as Linux's of_dma_configure: a 32-bit mask by
 * default, narrowed by dma-ranges; coherent only with dma-coherent. On a
 * board with RAM the device masters the board's physical space; behind the
 * board's IOMMU (`iommus`) its addresses are IOVAs of the board's domain.
 */
void dmae__board_dev_dma_init(struct dmae_board *b, struct device *dev, struct device_node *np)
{
	u64 dma_start, paddr, size, mask = DMA_BIT_MASK(32);
	struct iommu_domain *iommu;

	dev->dma_coherent = of_dma_is_coherent(np);
	if (!dmae_of_dma_get_range(np, &dma_start, &paddr, &size) && size)
		mask = mask_covering(dma_start + size - 1);
	if (!b->nr_regions && !b->sim) {
		/* A board without memory of its own (the default one): host memory, as before. */
		dev->dma_coherent = true;
		return;
	}
	dev->dma_mask_storage = mask;
	dev->dma_mask = &dev->dma_mask_storage;
	dev->coherent_dma_mask = mask;
	dev->bus_space = &b->bus;
	iommu = board_iommu(b, dev, np);
	if (iommu && !iommu_attach_device(iommu, dev))
		return; /* the mapping API maps through the IOMMU */
	dev->dma_ops = &board_dma_ops;
}

/* ------------------------------------------------------------- regions */

static int add_ram(struct dmae_board *b, struct device_node *np, u64 start, u64 size)
{
	struct dmae_region r = { .start = start, .size = size, .kind = DMAE_REGION_RAM,
				 .name = np->full_name };
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int ret;

	if (p == MAP_FAILED) {
		dmae_log(DMAE_LOG_ERR, "board %s: no host memory for %s (%llu bytes)", b->name,
			 np->full_name, (unsigned long long)size);
		return -ENOMEM;
	}
	r.host = p;
	ret = dmae__board_add_region(b, &r);
	if (ret)
		munmap(p, size);
	return ret;
}

static bool is_memory(const struct device_node *np)
{
	const char *type;

	return !of_property_read_string(np, "device_type", &type) && !strcmp(type, "memory");
}

/* Walk every node: the memory nodes' reg entries and the mmio-sram nodes. */
static int scan_ram(struct dmae_board *b, struct device_node *np)
{
	struct resource res;
	struct device_node *c;
	int ret = 0;

	if (is_memory(np) || (of_device_is_compatible(np, "mmio-sram") &&
			      of_device_is_available(np))) {
		for (int i = 0; !ret && !of_address_to_resource(np, i, &res); i++) {
			ret = add_ram(b, np, res.start, resource_size(&res));
			if (!ret && is_memory(np) && !b->ddr_size) {
				b->ddr_start = res.start;
				b->ddr_size = resource_size(&res);
			}
			if (!is_memory(np))
				break;
		}
	}
	for_each_child_of_node(np, c)
		if (!ret)
			ret = scan_ram(b, c);
	return ret;
}

int dmae__board_ram_init(struct dmae_board *b)
{
	const struct dmae_region *ddr;
	u64 pool;
	int ret;

	b->bus.xlate = board_xlate;
	ret = scan_ram(b, dmae_of_tree_root(b->tree));
	if (ret || !b->ddr_size)
		return ret;
	pool = b->ddr_size / 4 < DMAE_BOARD_POOL_MAX ? b->ddr_size / 4 : DMAE_BOARD_POOL_MAX;
	pool &= ~(u64)(PAGE_SIZE - 1);
	ddr = dmae__board_region(b, b->ddr_start);
	if (!pool || !ddr)
		return 0;
	b->dma_pool = dmae__tlb_pool_create(ddr->host + (b->ddr_size - pool),
					    b->ddr_start + (b->ddr_size - pool), pool, b->name);
	return b->dma_pool ? 0 : -ENOMEM;
}

void dmae__board_ram_fini(struct dmae_board *b)
{
	if (b->iommu)
		iommu_domain_free(b->iommu);
	b->iommu = NULL;
	dmae__tlb_pool_destroy(b->dma_pool);
	b->dma_pool = NULL;
	for (unsigned int i = 0; i < b->nr_regions; i++)
		if (b->regions[i].kind == DMAE_REGION_RAM)
			munmap(b->regions[i].host, b->regions[i].size);
}
