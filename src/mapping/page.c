// SPDX-License-Identifier: MIT
/*
 * page.c - alloc_pages()/__free_pages(): struct page handles for RAID and
 * scatterlist code ported from the kernel. A page is page-aligned memory.
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/scatterlist.h>

DMAE_EXPORT struct page *dmae_alloc_pages(gfp_t gfp, unsigned int order)
{
	void *p;

	(void)gfp;
	if (order > 20)
		return NULL;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
	if (p)
		memset(p, 0, PAGE_SIZE << order);
	return (struct page *)p;
}

DMAE_EXPORT void dmae_free_pages(struct page *page, unsigned int order)
{
	(void)order;
	free(page);
}
