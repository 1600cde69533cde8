/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/scatterlist.h - struct scatterlist and its helpers, as in the
 * kernel, and struct page as a page-sized buffer handle.
 *
 * For applications and providers alike.
 *
 * A struct page pointer here is the address of a page-aligned page of memory:
 * page_address(virt_to_page(p)) + offset_in_page(p) == p for any pointer p.
 */
#ifndef DMAENGINE_SCATTERLIST_H
#define DMAENGINE_SCATTERLIST_H

#include <string.h>
#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

struct page; /* never defined: a page-aligned address */

static inline void *page_address(const struct page *page) { return (void *)page; }
static inline struct page *virt_to_page(const void *addr)
{
	return (struct page *)((uintptr_t)addr & PAGE_MASK);
}
static inline unsigned long offset_in_page(const void *addr)
{
	return (uintptr_t)addr & ~PAGE_MASK;
}

/**
 * alloc_pages - 2^@order zeroed, page-aligned pages, or NULL when out of
 * memory. @gfp is accepted for the kernel's sake (GFP_KERNEL, GFP_ATOMIC...).
 * Free with __free_pages() and the same order. Context: any but a callback
 * that must not allocate.
 */
DMAE_EXPORT struct page *dmae_alloc_pages(gfp_t gfp, unsigned int order);
static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return dmae_alloc_pages(gfp, order);
}
DMAE_EXPORT void dmae_free_pages(struct page *page, unsigned int order);
static inline void __free_pages(struct page *page, unsigned int order)
{
	dmae_free_pages(page, order);
}
static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }
static inline void __free_page(struct page *page) { __free_pages(page, 0); }

struct scatterlist {
	unsigned long page_link; /* page address | SG_CHAIN | SG_END */
	unsigned int offset;	 /* start of the data in the page */
	unsigned int length;	 /* bytes of data */
	dma_addr_t dma_address;	 /* bus address, once mapped */
	unsigned int dma_length; /* bus length, once mapped */
};

#define SG_CHAIN 0x01UL
#define SG_END 0x02UL
#define SG_PAGE_LINK_MASK (SG_CHAIN | SG_END)

#define sg_dma_address(sg) ((sg)->dma_address)
#define sg_dma_len(sg) ((sg)->dma_length)

static inline bool sg_is_chain(const struct scatterlist *sg) { return sg->page_link & SG_CHAIN; }
static inline bool sg_is_last(const struct scatterlist *sg) { return sg->page_link & SG_END; }
static inline struct scatterlist *sg_chain_ptr(const struct scatterlist *sg)
{
	return (struct scatterlist *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

static inline struct page *sg_page(const struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	sg->page_link = (sg->page_link & SG_END) | (uintptr_t)page;
}

static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
			       unsigned int offset)
{
	sg_assign_page(sg, page);
	sg->offset = offset;
	sg->length = len;
}

static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, (unsigned int)offset_in_page(buf));
}

static inline void *sg_virt(const struct scatterlist *sg)
{
	return (char *)page_address(sg_page(sg)) + sg->offset;
}

static inline phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return (phys_addr_t)(uintptr_t)sg_virt(sg);
}

static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link = (sg->page_link & ~SG_CHAIN) | SG_END;
}

static inline void sg_unmark_end(struct scatterlist *sg) { sg->page_link &= ~SG_END; }

static inline void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	if (nents)
		sg_mark_end(&sgl[nents - 1]);
}

static inline void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

/* Make the last entry of @prv (of @prv_nents) a link to @sgl. */
static inline void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
			    struct scatterlist *sgl)
{
	prv[prv_nents - 1].offset = 0;
	prv[prv_nents - 1].length = 0;
	prv[prv_nents - 1].page_link = ((uintptr_t)sgl | SG_CHAIN) & ~SG_END;
}

static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (sg_is_chain(sg))
		sg = sg_chain_ptr(sg);
	return sg;
}

#define for_each_sg(sglist, sg, nr, __i) \
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))

/* Entries up to and including the one marked last. */
static inline int sg_nents(struct scatterlist *sg)
{
	int nents;

	for (nents = 0; sg; sg = sg_next(sg))
		nents++;
	return nents;
}

/* Entries needed to cover @len bytes, or -EINVAL if the list is shorter. */
static inline int sg_nents_for_len(struct scatterlist *sg, u64 len)
{
	int nents;
	u64 total;

	if (!len)
		return 0;
	for (nents = 0, total = 0; sg; sg = sg_next(sg)) {
		nents++;
		total += sg->length;
		if (total >= len)
			return nents;
	}
	return -22; /* -EINVAL */
}

DMAE_END_DECLS

#endif /* DMAENGINE_SCATTERLIST_H */
