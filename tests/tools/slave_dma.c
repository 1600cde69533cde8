// SPDX-License-Identifier: MIT
/*
 * slave_dma.c - a peripheral (slave) DMA controller that only describes
 * itself, linked into a copy of dmactl (dmactl_slave) so that the tests can
 * check how dmactl shows slave capabilities, slave-map clients and routers.
 * Private to the tests.
 *
 * Device "48000000.dma-controller", driver "slave-dma", registered before
 * main (dma0, ahead of the default platform's cpu-dma.0), 8 channels:
 * DMA_SLAVE and DMA_CYCLIC, MEM_TO_DEV and DEV_TO_MEM, 1-, 2- and 4-byte
 * widths, bursts of 1 to 16 (4 sg entries per burst), SEGMENT residue, no
 * descriptor reuse, client metadata; pause and terminate but no resume. Its
 * slave map names three peripheral channels, as a board file would:
 *   4000e000.serial rx -> dma0chan0, tx -> dma0chan1,
 *   4000b000.audio-controller tx -> dma0chan2, through the router
 *   48002000.dma-router (set when the channel is allocated, as of_dma does).
 * Every prep returns NULL: there is no engine behind it.
 */
#include <stdint.h>

#include <dmaengine/provider.h>

#define SLAVE_CHANS 8
#define SLAVE_ROUTED_CHAN 2

static struct device slave_dev;
static struct device router_dev;
static struct device_driver slave_drv = { .name = "slave-dma" };
static struct dma_device slave_dma;
static struct dma_chan slave_chans[SLAVE_CHANS];

static const struct dma_slave_map slave_map[] = {
	{ "4000e000.serial", "rx", (void *)(uintptr_t)0 },
	{ "4000e000.serial", "tx", (void *)(uintptr_t)1 },
	{ "4000b000.audio-controller", "tx", (void *)(uintptr_t)SLAVE_ROUTED_CHAN },
};

static void slave_route_free(struct device *dev, void *route_data)
{
}

static struct dma_router slave_router = { &router_dev, slave_route_free };

/* The map's parameter is the channel's index. */
static bool slave_filter(struct dma_chan *chan, void *param)
{
	return chan->chan_id == (int)(uintptr_t)param;
}

static int slave_alloc_chan_resources(struct dma_chan *chan)
{
	if (chan->chan_id == SLAVE_ROUTED_CHAN)
		chan->router = &slave_router;
	return 0;
}

static struct dma_async_tx_descriptor *slave_prep_cyclic(struct dma_chan *chan, dma_addr_t buf,
							 size_t len, size_t period,
							 enum dma_transfer_direction dir,
							 unsigned long flags)
{
	return NULL;
}

static struct dma_async_tx_descriptor *slave_prep_sg(struct dma_chan *chan,
						     struct scatterlist *sgl, unsigned int sg_len,
						     enum dma_transfer_direction dir,
						     unsigned long flags, void *context)
{
	return NULL;
}

static enum dma_status slave_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				       struct dma_tx_state *state)
{
	return dma_cookie_status(chan, cookie, state);
}

static void slave_nop(struct dma_chan *chan)
{
}

static int slave_ctl(struct dma_chan *chan)
{
	return 0;
}

static void slave_release(struct dma_device *dma)
{
}

static void slave_setup_device(struct dma_device *dma)
{
	u32 widths = (1u << DMA_SLAVE_BUSWIDTH_1_BYTE) | (1u << DMA_SLAVE_BUSWIDTH_2_BYTES) |
		     (1u << DMA_SLAVE_BUSWIDTH_4_BYTES);

	dma_cap_set(DMA_SLAVE, dma->cap_mask);
	dma_cap_set(DMA_CYCLIC, dma->cap_mask);
	dma->directions = (1u << DMA_MEM_TO_DEV) | (1u << DMA_DEV_TO_MEM);
	dma->src_addr_widths = widths;
	dma->dst_addr_widths = widths;
	dma->min_burst = 1;
	dma->max_burst = 16;
	dma->max_sg_burst = 4;
	dma->residue_granularity = DMA_RESIDUE_GRANULARITY_SEGMENT;
	dma->desc_metadata_modes = DESC_METADATA_CLIENT;
	dma->filter.fn = slave_filter;
	dma->filter.map = slave_map;
	dma->filter.mapcnt = sizeof(slave_map) / sizeof(slave_map[0]);
	dma->device_alloc_chan_resources = slave_alloc_chan_resources;
	dma->device_free_chan_resources = slave_nop;
	dma->device_prep_slave_sg = slave_prep_sg;
	dma->device_prep_dma_cyclic = slave_prep_cyclic;
	dma->device_tx_status = slave_tx_status;
	dma->device_issue_pending = slave_nop;
	dma->device_pause = slave_ctl;
	dma->device_terminate_all = slave_ctl;
	dma->device_synchronize = slave_nop;
	dma->device_release = slave_release;
}

__attribute__((constructor)) static void slave_dma_register(void)
{
	dmae_device_init(&slave_dev, "48000000.dma-controller");
	dmae_device_init(&router_dev, "48002000.dma-router");
	slave_dev.driver = &slave_drv;
	INIT_LIST_HEAD(&slave_dma.channels);
	slave_dma.dev = &slave_dev;
	slave_setup_device(&slave_dma);
	for (unsigned int i = 0; i < SLAVE_CHANS; i++) {
		slave_chans[i].device = &slave_dma;
		list_add_tail(&slave_chans[i].device_node, &slave_dma.channels);
	}
	if (dma_async_device_register(&slave_dma))
		fprintf(stderr, "slave-dma: registration failed\n");
}

__attribute__((destructor)) static void slave_dma_unregister(void)
{
	dma_async_device_unregister(&slave_dma);
}
