/* SPDX-License-Identifier: MIT */
/*
 * mapping/iova.h - private to the library: the IOVA allocator, which hands
 * out ranges of page frames of one I/O virtual address space (the kernel's
 * drivers/iommu/iova.c). The IOMMU emulation keeps one domain per device
 * address space and turns its page frame numbers (pfns) into dma_addr_t with
 * dmae__iova_addr().
 *
 *	dmae__iova_domain_init(&dom, SZ_4K, 1, end_pfn);
 *	pfn = dmae__iova_alloc(&dom, npages, dma_mask >> dom.shift, true);
 *	...				(0: nothing fits)
 *	dmae__iova_find(&dom, dma_addr >> dom.shift, &range);
 *	dmae__iova_free(&dom, pfn, npages);
 *	dmae__iova_domain_destroy(&dom);
 *
 * Policy, as the kernel's: top-down. An allocation gets the highest range of
 * free pages that fits under its limit (and its alignment), so that devices
 * with a narrow DMA mask keep the low addresses for themselves.
 *
 * Cost: ranges are the nodes of an AVL tree ordered by address; each node
 * also holds the free gap just below it and a summary of the gaps of its
 * subtree (the largest, and how large an aligned range fits in them), so an
 * allocation goes straight to the highest gap that can take it, aligned or
 * not. Allocation, free and find are O(log n) in the number of allocated
 * ranges, whatever the size of the domain and however fragmented it is (the
 * kernel's rbtree walk is linear in the worst case). Memory is one malloc'd
 * node of 72 bytes per allocated range.
 *
 * Context: any that may call malloc. The allocator takes no lock and keeps no
 * global state: the caller serializes every call on one domain with its own
 * lock; different domains are independent.
 */
#ifndef DMAE_MAPPING_IOVA_H
#define DMAE_MAPPING_IOVA_H

#include <dmaengine/types.h>

/* One allocated range; fields private to iova.c. */
struct dmae_iova_node {
	u64 pfn_lo;			     /* first page frame of the range */
	u64 npages;			     /* pages in the range; 0 for the anchor */
	u64 gap;			     /* free pages between the previous range and this one */
	u64 max_gap;			     /* largest gap in this subtree */
	u64 fit[2];			     /* most pages of a range aligned to 2^o in one gap of
					      * this subtree, o = order and order + 1 */
	struct dmae_iova_node *left, *right; /* subtrees: lower and higher ranges */
	int height;			     /* height of this subtree (a leaf is 1) */
	unsigned int order;		     /* log2(max_gap); 0 when max_gap is 0 */
};

/* An I/O virtual address space: page frames [start_pfn, end_pfn]. */
struct dmae_iova_domain {
	struct dmae_iova_node *root;  /* AVL tree of the allocated ranges and the anchor */
	struct dmae_iova_node anchor; /* empty range at end_pfn + 1, the last node: its gap is
				       * the free space at the top of the domain */
	u64 granule;		      /* bytes per page: a power of two, at least 4096 */
	unsigned int shift;	      /* log2(granule) */
	u64 start_pfn;		      /* lowest page frame handed out; at least 1 */
	u64 end_pfn;		      /* highest page frame handed out */
	u64 nr_ranges;		      /* ranges allocated */
	u64 nr_pages;		      /* pages allocated */
};

/* A range of page frames, as dmae__iova_find() reports it. */
struct dmae_iova_range {
	u64 pfn;    /* first page frame */
	u64 npages; /* number of pages */
};

/**
 * dmae__iova_domain_init - an empty domain of page frames [start_pfn, end_pfn]
 * @granule: the page size in bytes, a power of two, at least 4096
 * @start_pfn: lowest page frame to hand out, at least 1: pfn 0 means "no
 *	space" to dmae__iova_alloc()'s callers (the kernel's domains start at 1
 *	too, so that IOVA 0 is never a valid mapping)
 * @end_pfn: highest page frame to hand out; its last byte must fit in a
 *	dma_addr_t (end_pfn <= U64_MAX >> log2(granule))
 *
 * Allocates nothing: a domain of 2^36 pages costs what an empty one does.
 * Return: 0, or -EINVAL for a bad granule or range (@dom left untouched).
 */
int dmae__iova_domain_init(struct dmae_iova_domain *dom, u64 granule, u64 start_pfn,
			   u64 end_pfn);

/**
 * dmae__iova_domain_destroy - free every range still allocated
 *
 * Afterwards the domain is empty and hands out nothing (alloc returns 0, free
 * -EINVAL) until dmae__iova_domain_init() is called on it again.
 */
void dmae__iova_domain_destroy(struct dmae_iova_domain *dom);

/**
 * dmae__iova_alloc - allocate @npages contiguous page frames, top-down
 * @limit_pfn: the highest page frame the range may use (inclusive, as the
 *	kernel's alloc_iova()); above end_pfn it is end_pfn
 * @size_aligned: start at a multiple (in pfns, not relative to start_pfn) of
 *	@npages rounded up to a power of two, as the kernel does
 *
 * Return: the first page frame of the highest free range that fits, or 0 when
 * none does, @npages is 0 or larger than the domain, or malloc fails.
 */
u64 dmae__iova_alloc(struct dmae_iova_domain *dom, u64 npages, u64 limit_pfn, bool size_aligned);

/**
 * dmae__iova_free - give back a range that dmae__iova_alloc() returned
 *
 * Return: 0, or -EINVAL when [@pfn, @pfn + @npages) is not exactly one
 * allocated range (never allocated, already freed, part of a range, a wrong
 * size, @npages 0); the domain is then left as it was.
 */
int dmae__iova_free(struct dmae_iova_domain *dom, u64 pfn, u64 npages);

/**
 * dmae__iova_find - the allocated range that contains page frame @pfn
 * @range: filled in when found
 *
 * Return: 0, or -ENOENT when no allocated range contains @pfn.
 */
int dmae__iova_find(const struct dmae_iova_domain *dom, u64 pfn, struct dmae_iova_range *range);

/**
 * dmae__iova_check - whether the domain's structure is consistent
 *
 * For tests and assert(): ranges in order, inside the domain and disjoint,
 * every gap and subtree summary right (the summaries against each gap looked
 * at one by one), the tree balanced, the counters right. O(n log n).
 */
bool dmae__iova_check(const struct dmae_iova_domain *dom);

/* Conversions between addresses and page frames (the kernel's iova_*()). */

/** dmae__iova_addr - the I/O virtual address of page frame @pfn */
static inline dma_addr_t dmae__iova_addr(const struct dmae_iova_domain *dom, u64 pfn)
{
	return (dma_addr_t)pfn << dom->shift;
}

/** dmae__iova_pfn - the page frame that holds address @addr */
static inline u64 dmae__iova_pfn(const struct dmae_iova_domain *dom, dma_addr_t addr)
{
	return addr >> dom->shift;
}

/** dmae__iova_offset - the offset of @addr in its page */
static inline u64 dmae__iova_offset(const struct dmae_iova_domain *dom, dma_addr_t addr)
{
	return addr & (dom->granule - 1);
}

/** dmae__iova_pages - the pages that @size bytes at page offset @offset span */
static inline u64 dmae__iova_pages(const struct dmae_iova_domain *dom, u64 offset, u64 size)
{
	return (offset + size + dom->granule - 1) >> dom->shift;
}

#endif /* DMAE_MAPPING_IOVA_H */
