/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/of_dma.h - DMA controllers and request routers in the device
 * tree, as the kernel's linux/of_dma.h: a controller registers how it
 * translates a client's `dmas` cells into a channel; a router (a request
 * multiplexer such as the STM32 DMAMUX) rewrites them into its target
 * controller's cells. dma_request_chan(dev, name) goes through here for a
 * device with a node.
 *
 * For provider drivers.
 */
#ifndef DMAENGINE_OF_DMA_H
#define DMAENGINE_OF_DMA_H

#include <dmaengine/dmaengine.h>
#include <dmaengine/list.h>
#include <dmaengine/of.h>

DMAE_BEGIN_DECLS

struct of_dma {
	struct list_head of_dma_controllers; /* in the list of controllers */
	struct device_node *of_node;	     /* the controller's (or router's) node */
	struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *dma_spec, struct of_dma *ofdma);
	void *(*of_dma_route_allocate)(struct of_phandle_args *dma_spec, struct of_dma *ofdma);
	struct dma_router *dma_router;	     /* a router's, else NULL */
	void *of_dma_data;		     /* the driver's data for xlate */
};

/* of_dma_simple_xlate's data: the capabilities to ask for and the filter. */
struct of_dma_filter_info {
	dma_cap_mask_t dma_cap;
	dma_filter_fn filter_fn;
};

DMAE_EXPORT int dmae_of_dma_controller_register(struct device_node *np,
						struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *,
										 struct of_dma *),
						void *data);
/**
 * of_dma_controller_register - @np's `dmas` cells are translated by
 * @of_dma_xlate(spec, ofdma) with @data as ofdma->of_dma_data. 0, -EINVAL
 * (NULL node or xlate), -ENOMEM.
 */
static inline int of_dma_controller_register(struct device_node *np,
					     struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *,
									      struct of_dma *),
					     void *data)
{
	return dmae_of_dma_controller_register(np, of_dma_xlate, data);
}
DMAE_EXPORT void dmae_of_dma_controller_free(struct device_node *np);
/** of_dma_controller_free - forget @np's controller (or router). */
static inline void of_dma_controller_free(struct device_node *np)
{
	dmae_of_dma_controller_free(np);
}
DMAE_EXPORT int dmae_of_dma_router_register(struct device_node *np,
					    void *(*of_dma_route_allocate)(struct of_phandle_args *,
									   struct of_dma *),
					    struct dma_router *dma_router);
/**
 * of_dma_router_register - @np is a router: @of_dma_route_allocate rewrites
 * a client's spec in place into its target controller's (np and cells) and
 * returns its route data (or an error pointer); the target's xlate then
 * gives the channel, and @dma_router->route_free undoes the route when the
 * channel is released or the request fails. 0, -EINVAL, -ENOMEM.
 */
static inline int of_dma_router_register(struct device_node *np,
					 void *(*of_dma_route_allocate)(struct of_phandle_args *,
									struct of_dma *),
					 struct dma_router *dma_router)
{
	return dmae_of_dma_router_register(np, of_dma_route_allocate, dma_router);
}
#define of_dma_router_free of_dma_controller_free

DMAE_EXPORT struct dma_chan *dmae_of_dma_request_slave_channel(struct device_node *np,
							       const char *name);
/**
 * of_dma_request_slave_channel - the channel that @np's `dmas` entry named
 * @name in `dma-names` translates to. ERR_PTR(-ENODEV) (no dmas, no such
 * name, or no controller gives a channel), ERR_PTR(-EPROBE_DEFER) (the
 * controller is not registered yet), or the controller's error.
 */
static inline struct dma_chan *of_dma_request_slave_channel(struct device_node *np,
							    const char *name)
{
	return dmae_of_dma_request_slave_channel(np, name);
}
DMAE_EXPORT struct dma_chan *dmae_of_dma_simple_xlate(struct of_phandle_args *dma_spec,
						      struct of_dma *ofdma);
/** of_dma_simple_xlate - one cell, given to the of_dma_filter_info's filter. */
static inline struct dma_chan *of_dma_simple_xlate(struct of_phandle_args *dma_spec,
						   struct of_dma *ofdma)
{
	return dmae_of_dma_simple_xlate(dma_spec, ofdma);
}
DMAE_EXPORT struct dma_chan *dmae_of_dma_xlate_by_chan_id(struct of_phandle_args *dma_spec,
							  struct of_dma *ofdma);
/** of_dma_xlate_by_chan_id - one cell: the chan_id of a channel of the dma_device in data. */
static inline struct dma_chan *of_dma_xlate_by_chan_id(struct of_phandle_args *dma_spec,
						       struct of_dma *ofdma)
{
	return dmae_of_dma_xlate_by_chan_id(dma_spec, ofdma);
}

DMAE_END_DECLS

#endif /* DMAENGINE_OF_DMA_H */
