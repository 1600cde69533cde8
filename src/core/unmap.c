// SPDX-License-Identifier: MIT
/*
 * unmap.c - dmaengine_unmap_data: mappings held by descriptors until they
 * complete, undone by the last reference.
 */
#include <stdlib.h>

#include <dmaengine/dma-mapping.h>
#include <dmaengine/dmaengine.h>

DMAE_EXPORT struct dmaengine_unmap_data *dmaengine_get_unmap_data(struct device *dev, int nr,
								  gfp_t flags)
{
	struct dmaengine_unmap_data *u;

	(void)flags;
	if (!dev || nr < 1 || nr > 65535)
		return NULL;
	u = calloc(1, sizeof(*u) + (size_t)nr * sizeof(dma_addr_t));
	if (!u)
		return NULL;
	u->map_cnt = (u16)nr;
	u->dev = dev;
	u->refs = 1;
	return u;
}

DMAE_EXPORT void dmaengine_unmap_put(struct dmaengine_unmap_data *u)
{
	static const enum dma_data_direction dir[3] = { DMA_TO_DEVICE, DMA_FROM_DEVICE,
							DMA_BIDIRECTIONAL };
	unsigned int i = 0;

	if (!u || __atomic_sub_fetch(&u->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (int k = 0; k < 3; k++) {
		unsigned int end = i + (k == 0 ? u->to_cnt : k == 1 ? u->from_cnt : u->bidi_cnt);

		for (; i < end && i < u->map_cnt; i++)
			if (u->addr[i])
				dma_unmap_page(u->dev, u->addr[i], u->len, dir[k]);
	}
	free(u);
}
