// SPDX-License-Identifier: MIT
/*
 * swiotlb.c - the bounce pool. Slots are 2 KiB; a mapping takes a run of
 * them, found first-fit from a rotating hint under a spinlock, and its first
 * slot remembers the original buffer and size. The pool is mmap()ed below
 * 2 GiB (MAP_32BIT) on first use, so 31-bit and wider masks reach it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <dmaengine/os.h>

#include "mapping/swiotlb.h"

#define SLOT ((size_t)1 << DMAE_IO_TLB_SHIFT)

struct slot {
	void *orig;  /* first slot of a mapping: the original buffer */
	size_t size; /* its size; 0 in the other slots */
	u32 run;     /* slots in the mapping (first slot), 0 when free */
	bool used;   /* part of a mapping */
};

static struct {
	spinlock_t lock;
	u8 *base;	    /* the pool, or NULL */
	size_t nslots;	    /* its slots */
	size_t hint;	    /* where the next search starts */
	struct slot *slots; /* per slot */
	u32 ready;	    /* set up (or failed for good); atomic */
	bool failed;
} tlb;

static DEFINE_MUTEX(tlb_setup);

static u8 *cpu_ptr(dma_addr_t addr)
{
	return (u8 *)(uintptr_t)addr;
}

static void setup(void)
{
	const char *env = getenv("DMAENGINE_SWIOTLB_MB");
	size_t mb = env ? strtoul(env, NULL, 10) : 64;
	void *p;

	mutex_lock(&tlb_setup);
	if (tlb.ready)
		goto out;
	if (!mb || mb > 1024)
		mb = 64;
	p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT | MAP_NORESERVE, -1, 0);
	tlb.slots = calloc((mb << 20) / SLOT, sizeof(*tlb.slots));
	if (p == MAP_FAILED || !tlb.slots) {
		dmae_log(DMAE_LOG_ERR, "swiotlb: no %zu MiB bounce pool below 2 GiB", mb);
		if (p != MAP_FAILED)
			munmap(p, mb << 20);
		free(tlb.slots);
		tlb.slots = NULL;
		tlb.failed = true;
	} else {
		tlb.base = p;
		tlb.nslots = (mb << 20) / SLOT;
	}
	__atomic_store_n(&tlb.ready, 1, __ATOMIC_RELEASE);
out:
	mutex_unlock(&tlb_setup);
}

bool dmae__swiotlb_owns(dma_addr_t addr)
{
	uintptr_t base = (uintptr_t)__atomic_load_n(&tlb.base, __ATOMIC_ACQUIRE);

	return base && addr >= base && addr < base + tlb.nslots * SLOT;
}

dma_addr_t dmae__swiotlb_end(void)
{
	return tlb.base ? (dma_addr_t)(uintptr_t)tlb.base + tlb.nslots * SLOT - 1 : 0;
}

dma_addr_t dmae__swiotlb_map(struct device *dev, void *orig, size_t size, u64 mask)
{
	size_t need = (size + SLOT - 1) / SLOT, i, start = 0, found = (size_t)-1;
	unsigned long flags;

	if (!__atomic_load_n(&tlb.ready, __ATOMIC_ACQUIRE))
		setup();
	if (tlb.failed)
		return DMA_MAPPING_ERROR;
	if (dmae__swiotlb_end() > mask) {
		dev_err(dev, "swiotlb: mask %#llx cannot reach the bounce pool",
			(unsigned long long)mask);
		return DMA_MAPPING_ERROR;
	}
	if (need > tlb.nslots)
		goto full;
	spin_lock_irqsave(&tlb.lock, flags);
	/* First fit from the hint, wrapping once. */
	for (size_t n = 0, run = 0; n < tlb.nslots + need; n++) {
		i = (tlb.hint + n) % tlb.nslots;
		if (i == 0)
			run = 0; /* a run cannot wrap */
		if (tlb.slots[i].used) {
			run = 0;
			continue;
		}
		if (!run++)
			start = i;
		if (run == need) {
			found = start;
			break;
		}
	}
	if (found != (size_t)-1) {
		for (i = found; i < found + need; i++)
			tlb.slots[i].used = true;
		tlb.slots[found].orig = orig;
		tlb.slots[found].size = size;
		tlb.slots[found].run = (u32)need;
		tlb.hint = (found + need) % tlb.nslots;
	}
	spin_unlock_irqrestore(&tlb.lock, flags);
	if (found == (size_t)-1)
		goto full;
	/* Filled for every direction: the device never sees stale pool data. */
	memcpy(tlb.base + found * SLOT, orig, size);
	return (dma_addr_t)(uintptr_t)(tlb.base + found * SLOT);
full:
	dev_err(dev, "swiotlb buffer is full (sz: %zu bytes)", size);
	return DMA_MAPPING_ERROR;
}

/* The first slot of the mapping holding @addr, or -1. Lock held. */
static long mapping_of(dma_addr_t addr)
{
	size_t i = (size_t)(addr - (uintptr_t)tlb.base) / SLOT;

	while (i > 0 && tlb.slots[i].used && !tlb.slots[i].run)
		i--;
	return tlb.slots[i].used && tlb.slots[i].run ? (long)i : -1;
}

void dmae__swiotlb_sync(struct device *dev, dma_addr_t addr, size_t size, bool for_cpu)
{
	unsigned long flags;
	long first;
	size_t off;
	u8 *orig;

	spin_lock_irqsave(&tlb.lock, flags);
	first = mapping_of(addr);
	if (first < 0) {
		spin_unlock_irqrestore(&tlb.lock, flags);
		dev_err(dev, "swiotlb: sync of %#llx, which is not mapped",
			(unsigned long long)addr);
		return;
	}
	orig = tlb.slots[first].orig;
	off = (size_t)(addr - (uintptr_t)(tlb.base + (size_t)first * SLOT));
	if (off + size > tlb.slots[first].size)
		size = off < tlb.slots[first].size ? tlb.slots[first].size - off : 0;
	spin_unlock_irqrestore(&tlb.lock, flags);
	if (for_cpu)
		memcpy(orig + off, cpu_ptr(addr), size);
	else
		memcpy(cpu_ptr(addr), orig + off, size);
}

void dmae__swiotlb_unmap(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir)
{
	unsigned long flags;
	long first;

	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
		dmae__swiotlb_sync(dev, addr, size, true);
	spin_lock_irqsave(&tlb.lock, flags);
	first = mapping_of(addr);
	if (first >= 0) {
		for (size_t i = (size_t)first; i < (size_t)first + tlb.slots[first].run; i++)
			tlb.slots[i].used = false;
		tlb.slots[first].run = 0;
		tlb.slots[first].size = 0;
		tlb.slots[first].orig = NULL;
	}
	spin_unlock_irqrestore(&tlb.lock, flags);
}
