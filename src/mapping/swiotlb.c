// SPDX-License-Identifier: MIT
/*
 * swiotlb.c - bounce pools. Slots are 2 KiB; a mapping takes a run of them,
 * found first-fit from a rotating hint under a spinlock, and its first slot
 * remembers the original buffer and size. The default pool is mmap()ed below
 * 2 GiB (MAP_32BIT) on first use, so 31-bit and wider masks reach it, and its
 * bus addresses are its host addresses; a simulated board makes a pool of
 * its own in its RAM, whose bus addresses are the board's physical ones (the
 * kernel's restricted DMA pools). A pool also hands out coherent memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <dmaengine/os.h>

#include "mapping/swiotlb.h"

#define SLOT ((size_t)1 << DMAE_IO_TLB_SHIFT)

struct slot {
	void *orig;  /* first slot of a mapping: the original buffer (NULL: coherent) */
	size_t size; /* its size; 0 in the other slots */
	u32 run;     /* slots in the mapping (first slot), 0 when free */
	bool used;   /* part of a mapping */
};

struct dmae_tlb_pool {
	spinlock_t lock;
	u8 *base;	    /* host address of slot 0 */
	dma_addr_t bus;	    /* bus address of slot 0 */
	size_t nslots;	    /* slots */
	size_t hint;	    /* where the next search starts */
	struct slot *slots; /* per slot */
	char name[32];	    /* for messages */
};

static struct dmae_tlb_pool tlb;      /* the default pool */
static u32 tlb_ready;		      /* set up (or failed for good); atomic */
static bool tlb_failed;
static DEFINE_MUTEX(tlb_setup);

static u8 *cpu_ptr(const struct dmae_tlb_pool *p, dma_addr_t addr)
{
	return p->base + (size_t)(addr - p->bus);
}

static int pool_init(struct dmae_tlb_pool *p, void *host, dma_addr_t bus, size_t size,
		     const char *name)
{
	p->slots = calloc(size / SLOT, sizeof(*p->slots));
	if (!p->slots)
		return -ENOMEM;
	p->base = host;
	p->bus = bus;
	p->nslots = size / SLOT;
	p->hint = 0;
	snprintf(p->name, sizeof(p->name), "%s", name);
	return 0;
}

static void setup(void)
{
	const char *env = getenv("DMAENGINE_SWIOTLB_MB");
	size_t mb = env ? strtoul(env, NULL, 10) : 64;
	void *p;

	mutex_lock(&tlb_setup);
	if (tlb_ready)
		goto out;
	if (!mb || mb > 1024)
		mb = 64;
	p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED || pool_init(&tlb, p, (dma_addr_t)(uintptr_t)p, mb << 20, "swiotlb")) {
		dmae_log(DMAE_LOG_ERR, "swiotlb: no %zu MiB bounce pool below 2 GiB", mb);
		if (p != MAP_FAILED)
			munmap(p, mb << 20);
		tlb_failed = true;
	}
	__atomic_store_n(&tlb_ready, 1, __ATOMIC_RELEASE);
out:
	mutex_unlock(&tlb_setup);
}

static bool pool_owns(const struct dmae_tlb_pool *p, dma_addr_t addr)
{
	return p->nslots && addr >= p->bus && addr - p->bus < p->nslots * SLOT;
}

static dma_addr_t pool_end(const struct dmae_tlb_pool *p)
{
	return p->nslots ? p->bus + p->nslots * SLOT - 1 : 0;
}

/* Reserve a run of slots for @size bytes: the first slot's index, or -1. */
static long pool_take(struct dmae_tlb_pool *p, void *orig, size_t size)
{
	size_t need = (size + SLOT - 1) / SLOT, i, start = 0;
	long found = -1;
	unsigned long flags;

	if (!need || need > p->nslots)
		return -1;
	spin_lock_irqsave(&p->lock, flags);
	/* First fit from the hint, wrapping once. */
	for (size_t n = 0, run = 0; n < p->nslots + need; n++) {
		i = (p->hint + n) % p->nslots;
		if (i == 0)
			run = 0; /* a run cannot wrap */
		if (p->slots[i].used) {
			run = 0;
			continue;
		}
		if (!run++)
			start = i;
		if (run == need) {
			found = (long)start;
			break;
		}
	}
	if (found >= 0) {
		for (i = (size_t)found; i < (size_t)found + need; i++)
			p->slots[i].used = true;
		p->slots[found].orig = orig;
		p->slots[found].size = size;
		p->slots[found].run = (u32)need;
		p->hint = ((size_t)found + need) % p->nslots;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return found;
}

static dma_addr_t pool_map(struct dmae_tlb_pool *p, struct device *dev, void *orig, size_t size)
{
	long first = pool_take(p, orig, size);

	if (first < 0) {
		dev_err(dev, "%s buffer is full (sz: %zu bytes)", p->name, size);
		return DMA_MAPPING_ERROR;
	}
	/* Filled for every direction: the device never sees stale pool data. */
	memcpy(p->base + (size_t)first * SLOT, orig, size);
	return p->bus + (size_t)first * SLOT;
}

/* The first slot of the mapping holding @addr, or -1. Lock held. */
static long mapping_of(const struct dmae_tlb_pool *p, dma_addr_t addr)
{
	size_t i = (size_t)(addr - p->bus) / SLOT;

	while (i > 0 && p->slots[i].used && !p->slots[i].run)
		i--;
	return p->slots[i].used && p->slots[i].run ? (long)i : -1;
}

static void pool_sync(struct dmae_tlb_pool *p, struct device *dev, dma_addr_t addr, size_t size,
		      bool for_cpu)
{
	unsigned long flags;
	long first;
	size_t off;
	u8 *orig;

	spin_lock_irqsave(&p->lock, flags);
	first = mapping_of(p, addr);
	if (first < 0 || !p->slots[first].orig) {
		spin_unlock_irqrestore(&p->lock, flags);
		if (first < 0)
			dev_err(dev, "%s: sync of %#llx, which is not mapped", p->name,
				(unsigned long long)addr);
		return;
	}
	orig = p->slots[first].orig;
	off = (size_t)(addr - (p->bus + (size_t)first * SLOT));
	if (off + size > p->slots[first].size)
		size = off < p->slots[first].size ? p->slots[first].size - off : 0;
	spin_unlock_irqrestore(&p->lock, flags);
	if (for_cpu)
		memcpy(orig + off, cpu_ptr(p, addr), size);
	else
		memcpy(cpu_ptr(p, addr), orig + off, size);
}

/* Free the mapping that starts at @addr's slot run; false if there is none. */
static bool pool_release(struct dmae_tlb_pool *p, dma_addr_t addr)
{
	unsigned long flags;
	long first;

	spin_lock_irqsave(&p->lock, flags);
	first = mapping_of(p, addr);
	if (first >= 0) {
		for (size_t i = (size_t)first; i < (size_t)first + p->slots[first].run; i++)
			p->slots[i].used = false;
		p->slots[first].run = 0;
		p->slots[first].size = 0;
		p->slots[first].orig = NULL;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return first >= 0;
}

static void pool_unmap(struct dmae_tlb_pool *p, struct device *dev, dma_addr_t addr,
		       size_t size, enum dma_data_direction dir)
{
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
		pool_sync(p, dev, addr, size, true);
	pool_release(p, addr);
}

/* --------------------------------------------------------- default pool */

bool dmae__swiotlb_owns(dma_addr_t addr)
{
	return __atomic_load_n(&tlb_ready, __ATOMIC_ACQUIRE) && pool_owns(&tlb, addr);
}

dma_addr_t dmae__swiotlb_end(void)
{
	return __atomic_load_n(&tlb_ready, __ATOMIC_ACQUIRE) ? pool_end(&tlb) : 0;
}

dma_addr_t dmae__swiotlb_map(struct device *dev, void *orig, size_t size, u64 mask)
{
	if (!__atomic_load_n(&tlb_ready, __ATOMIC_ACQUIRE))
		setup();
	if (tlb_failed)
		return DMA_MAPPING_ERROR;
	if (pool_end(&tlb) > mask) {
		dev_err(dev, "swiotlb: mask %#llx cannot reach the bounce pool",
			(unsigned long long)mask);
		return DMA_MAPPING_ERROR;
	}
	return pool_map(&tlb, dev, orig, size);
}

void dmae__swiotlb_sync(struct device *dev, dma_addr_t addr, size_t size, bool for_cpu)
{
	pool_sync(&tlb, dev, addr, size, for_cpu);
}

void dmae__swiotlb_unmap(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir)
{
	pool_unmap(&tlb, dev, addr, size, dir);
}

/* ---------------------------------------------------------- other pools */

struct dmae_tlb_pool *dmae__tlb_pool_create(void *host, dma_addr_t bus, size_t size,
					    const char *name)
{
	struct dmae_tlb_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (size < SLOT || pool_init(p, host, bus, size, name)) {
		free(p);
		return NULL;
	}
	return p;
}

void dmae__tlb_pool_destroy(struct dmae_tlb_pool *p)
{
	if (!p)
		return;
	free(p->slots);
	free(p);
}

bool dmae__tlb_pool_owns(const struct dmae_tlb_pool *p, dma_addr_t addr)
{
	return pool_owns(p, addr);
}

dma_addr_t dmae__tlb_pool_map(struct dmae_tlb_pool *p, struct device *dev, void *orig,
			      size_t size)
{
	return pool_map(p, dev, orig, size);
}

void dmae__tlb_pool_unmap(struct dmae_tlb_pool *p, struct device *dev, dma_addr_t addr,
			  size_t size, enum dma_data_direction dir)
{
	if (!pool_owns(p, addr)) {
		dev_err(dev, "%s: unmap of %#llx, which is not mapped", p->name,
			(unsigned long long)addr);
		return;
	}
	pool_unmap(p, dev, addr, size, dir);
}

void dmae__tlb_pool_sync(struct dmae_tlb_pool *p, struct device *dev, dma_addr_t addr,
			 size_t size, bool for_cpu)
{
	if (pool_owns(p, addr))
		pool_sync(p, dev, addr, size, for_cpu);
}

void *dmae__tlb_pool_alloc(struct dmae_tlb_pool *p, size_t size, dma_addr_t *bus)
{
	long first = pool_take(p, NULL, size);

	if (first < 0)
		return NULL;
	*bus = p->bus + (size_t)first * SLOT;
	memset(p->base + (size_t)first * SLOT, 0, size);
	return p->base + (size_t)first * SLOT;
}

bool dmae__tlb_pool_free(struct dmae_tlb_pool *p, void *host, dma_addr_t bus)
{
	size_t i = (size_t)(bus - p->bus) / SLOT;

	/* Only the start of a coherent allocation frees it. */
	if (!pool_owns(p, bus) || cpu_ptr(p, bus) != host || (bus - p->bus) % SLOT ||
	    !p->slots[i].run || p->slots[i].orig)
		return false;
	return pool_release(p, bus);
}

void *dmae__tlb_pool_host(const struct dmae_tlb_pool *p, dma_addr_t bus)
{
	return pool_owns(p, bus) ? cpu_ptr(p, bus) : NULL;
}
