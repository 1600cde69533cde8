// SPDX-License-Identifier: MIT
/*
 * of_dma.c - DMA controllers and routers of the device tree: how a
 * client's `dmas` and `dma-names` become a channel (Linux drivers/dma/of-dma.c).
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/of_dma.h>
#include <dmaengine/os.h>

static DEFINE_MUTEX(of_dma_lock);
static LIST_HEAD(of_dma_list); /* registered controllers and routers, under of_dma_lock */
static u32 last_index;	       /* spreads requests over entries of the same name (atomic) */

/* The controller of @spec's node. Lock held. */
static struct of_dma *of_dma_find_controller(const struct of_phandle_args *spec)
{
	struct of_dma *ofdma;

	list_for_each_entry(ofdma, &of_dma_list, of_dma_controllers)
		if (ofdma->of_node == spec->np)
			return ofdma;
	dmae_log(DMAE_LOG_DEBUG, "of_dma_find_controller: can't find DMA controller %s",
		 spec->np->full_name);
	return NULL;
}

static int add_controller(struct of_dma *ofdma)
{
	mutex_lock(&of_dma_lock);
	list_add_tail(&ofdma->of_dma_controllers, &of_dma_list);
	mutex_unlock(&of_dma_lock);
	return 0;
}

DMAE_EXPORT int dmae_of_dma_controller_register(struct device_node *np,
						struct dma_chan *(*of_dma_xlate)(struct of_phandle_args *,
										 struct of_dma *),
						void *data)
{
	struct of_dma *ofdma;

	if (!np || !of_dma_xlate) {
		dmae_log(DMAE_LOG_ERR, "of_dma_controller_register: not enough information provided");
		return -EINVAL;
	}
	ofdma = calloc(1, sizeof(*ofdma));
	if (!ofdma)
		return -ENOMEM;
	ofdma->of_node = np;
	ofdma->of_dma_xlate = of_dma_xlate;
	ofdma->of_dma_data = data;
	return add_controller(ofdma);
}

DMAE_EXPORT void dmae_of_dma_controller_free(struct device_node *np)
{
	struct of_dma *ofdma;

	mutex_lock(&of_dma_lock);
	list_for_each_entry(ofdma, &of_dma_list, of_dma_controllers) {
		if (ofdma->of_node == np) {
			list_del(&ofdma->of_dma_controllers);
			free(ofdma);
			break;
		}
	}
	mutex_unlock(&of_dma_lock);
}

/*
 * of_dma_router_xlate - route, then ask the target controller; the route is
 * freed if no channel comes of it. Lock held.
 */
static struct dma_chan *of_dma_router_xlate(struct of_phandle_args *dma_spec,
					    struct of_dma *ofdma)
{
	struct of_phandle_args target = *dma_spec;
	struct of_dma *ofdma_target;
	struct dma_chan *chan;
	void *route_data;

	route_data = ofdma->of_dma_route_allocate(&target, ofdma);
	if (IS_ERR(route_data))
		return NULL;
	ofdma_target = of_dma_find_controller(&target);
	if (!ofdma_target) {
		ofdma->dma_router->route_free(ofdma->dma_router->dev, route_data);
		return ERR_PTR(-EPROBE_DEFER);
	}
	chan = ofdma_target->of_dma_xlate(&target, ofdma_target);
	if (IS_ERR_OR_NULL(chan)) {
		ofdma->dma_router->route_free(ofdma->dma_router->dev, route_data);
	} else {
		chan->router = ofdma->dma_router;
		chan->route_data = route_data;
	}
	return chan;
}

DMAE_EXPORT int dmae_of_dma_router_register(struct device_node *np,
					    void *(*of_dma_route_allocate)(struct of_phandle_args *,
									   struct of_dma *),
					    struct dma_router *dma_router)
{
	struct of_dma *ofdma;

	if (!np || !of_dma_route_allocate || !dma_router || !dma_router->route_free) {
		dmae_log(DMAE_LOG_ERR, "of_dma_router_register: not enough information provided");
		return -EINVAL;
	}
	ofdma = calloc(1, sizeof(*ofdma));
	if (!ofdma)
		return -ENOMEM;
	ofdma->of_node = np;
	ofdma->of_dma_xlate = of_dma_router_xlate;
	ofdma->of_dma_route_allocate = of_dma_route_allocate;
	ofdma->dma_router = dma_router;
	return add_controller(ofdma);
}

/* Entry @index of dma-names is @name: its dmas spec in @spec. */
static int of_dma_match_channel(struct device_node *np, const char *name, int index,
				struct of_phandle_args *spec)
{
	const char *s;

	if (of_property_read_string_index(np, "dma-names", index, &s) || strcmp(name, s))
		return -ENODEV;
	if (of_parse_phandle_with_args(np, "dmas", "#dma-cells", index, spec))
		return -ENODEV;
	return 0;
}

DMAE_EXPORT struct dma_chan *dmae_of_dma_request_slave_channel(struct device_node *np,
							       const char *name)
{
	struct dma_chan *chan = NULL;
	struct of_phandle_args spec;
	struct of_dma *ofdma;
	int count, i, start, ret_no_channel = -ENODEV;

	if (!np || !name) {
		dmae_log(DMAE_LOG_ERR, "of_dma_request_slave_channel: not enough information provided");
		return ERR_PTR(-ENODEV);
	}
	if (!of_property_present(np, "dmas"))
		return ERR_PTR(-ENODEV);
	count = of_property_count_strings(np, "dma-names");
	if (count < 0) {
		dmae_log(DMAE_LOG_ERR,
			 "of_dma_request_slave_channel: dma-names property of node '%s' missing or empty",
			 np->full_name);
		return ERR_PTR(-ENODEV);
	}
	start = (int)__atomic_add_fetch(&last_index, 1, __ATOMIC_RELAXED);
	for (i = 0; i < count; i++) {
		if (of_dma_match_channel(np, name, (i + start) % count, &spec))
			continue;
		mutex_lock(&of_dma_lock);
		ofdma = of_dma_find_controller(&spec);
		if (ofdma) {
			chan = ofdma->of_dma_xlate(&spec, ofdma);
		} else {
			ret_no_channel = -EPROBE_DEFER;
			chan = NULL;
		}
		mutex_unlock(&of_dma_lock);
		if (chan)
			return chan;
	}
	return ERR_PTR(ret_no_channel);
}

DMAE_EXPORT struct dma_chan *dmae_of_dma_simple_xlate(struct of_phandle_args *dma_spec,
						      struct of_dma *ofdma)
{
	struct of_dma_filter_info *info = ofdma->of_dma_data;

	if (!info || !info->filter_fn || dma_spec->args_count != 1)
		return NULL;
	return __dma_request_channel(&info->dma_cap, info->filter_fn, &dma_spec->args[0],
				     dma_spec->np);
}

DMAE_EXPORT struct dma_chan *dmae_of_dma_xlate_by_chan_id(struct of_phandle_args *dma_spec,
							  struct of_dma *ofdma)
{
	struct dma_device *dev = ofdma->of_dma_data;
	struct dma_chan *chan, *candidate = NULL;

	if (!dev || dma_spec->args_count != 1)
		return NULL;
	list_for_each_entry(chan, &dev->channels, device_node) {
		if (chan->chan_id == (int)dma_spec->args[0]) {
			candidate = chan;
			break;
		}
	}
	return candidate ? dma_get_slave_channel(candidate) : NULL;
}
