// SPDX-License-Identifier: MIT
/*
 * stm32-dmamux.c - the STM32 DMAMUX, a DMA request router: a client's
 * 3-cell `dmas` entry (request, stream config, features) takes the first
 * free DMAMUX output, writes the request into that output's CxCR, and is
 * rewritten into the 4 cells of the DMA master that owns the output (DMA1
 * stream n is output n, DMA2 stream n output 8 + n on the STM32MP1), as
 * Linux's drivers/dma/stm32/stm32-dmamux.c does. Releasing the channel
 * clears the CxCR.
 */
#include <stdlib.h>

#include <dmaengine/bitfield.h>
#include <dmaengine/clk.h>
#include <dmaengine/of_dma.h>
#include <dmaengine/platform_device.h>

#define STM32_DMAMUX_CCR(x) (0x4 * (x)) /* output x's request selection */
#define STM32_DMAMUX_MAX_DMA_REQUESTS 32 /* outputs, at most */
#define STM32_DMAMUX_MAX_REQUESTS 255	 /* request inputs, at most */

/* One route: a request input on an output, to a master's stream. */
struct stm32_dmamux {
	u32 master;  /* index in dma-masters */
	u32 request; /* the DMAMUX request input */
	u32 chan_id; /* the output */
};

struct stm32_dmamux_data {
	struct dma_router dmarouter;
	struct clk *clk;
	void __iomem *iomem;
	u32 dma_requests;     /* outputs: the masters' streams together */
	u32 dmamux_requests;  /* request inputs */
	spinlock_t lock;      /* the in-use map and CxCR writes */
	u64 dma_inuse;	      /* outputs taken, a bit each */
	u32 nr_masters;	      /* entries of dma_reqs */
	u32 dma_reqs[];	      /* outputs of each master, in dma-masters order */
};

static void stm32_dmamux_write(void __iomem *iomem, u32 reg, u32 val)
{
	writel_relaxed(val, iomem + reg);
}

static void stm32_dmamux_free(struct device *dev, void *route_data)
{
	struct stm32_dmamux_data *dmamux = dev_get_drvdata(dev);
	struct stm32_dmamux *mux = route_data;
	unsigned long flags;

	spin_lock_irqsave(&dmamux->lock, flags);
	stm32_dmamux_write(dmamux->iomem, STM32_DMAMUX_CCR(mux->chan_id), 0);
	dmamux->dma_inuse &= ~BIT_ULL(mux->chan_id);
	spin_unlock_irqrestore(&dmamux->lock, flags);
	dev_dbg(dev, "Unmapping DMAMUX(%u) to DMA%u(%u)", mux->request, mux->master,
		mux->chan_id);
	free(mux);
}

/* The first free output, taken; or dma_requests when all are. */
static u32 stm32_dmamux_take_output(struct stm32_dmamux_data *dmamux)
{
	unsigned long flags;
	u32 id;

	spin_lock_irqsave(&dmamux->lock, flags);
	for (id = 0; id < dmamux->dma_requests; id++)
		if (!(dmamux->dma_inuse & BIT_ULL(id)))
			break;
	if (id < dmamux->dma_requests)
		dmamux->dma_inuse |= BIT_ULL(id);
	spin_unlock_irqrestore(&dmamux->lock, flags);
	return id;
}

static void *stm32_dmamux_route_allocate(struct of_phandle_args *dma_spec, struct of_dma *ofdma)
{
	struct platform_device *pdev = of_find_device_by_node(ofdma->of_node);
	struct stm32_dmamux_data *dmamux = platform_get_drvdata(pdev);
	struct stm32_dmamux *mux;
	u32 i, min = 0;
	int ret = -EINVAL;

	if (dma_spec->args_count != 3) {
		dev_err(&pdev->dev, "invalid number of dma mux args");
		return ERR_PTR(-EINVAL);
	}
	if (dma_spec->args[0] > dmamux->dmamux_requests) {
		dev_err(&pdev->dev, "invalid mux request number: %d", (int)dma_spec->args[0]);
		return ERR_PTR(-EINVAL);
	}
	mux = calloc(1, sizeof(*mux));
	if (!mux)
		return ERR_PTR(-ENOMEM);
	mux->chan_id = stm32_dmamux_take_output(dmamux);
	if (mux->chan_id == dmamux->dma_requests) {
		dev_err(&pdev->dev, "Run out of free DMA requests");
		ret = -ENOMEM;
		goto err_free_mux;
	}
	/* The master that owns the output, and the output's place among its streams. */
	for (i = 0; i < dmamux->nr_masters && mux->chan_id >= min + dmamux->dma_reqs[i]; i++)
		min += dmamux->dma_reqs[i];
	mux->master = i;
	dma_spec->np = of_parse_phandle(ofdma->of_node, "dma-masters", (int)i);
	if (!dma_spec->np) {
		dev_err(&pdev->dev, "can't get dma master");
		goto err_clear_inuse;
	}
	mux->request = dma_spec->args[0];
	/* The master's four cells: stream, request line 0, config, features with the output. */
	dma_spec->args[3] = dma_spec->args[2] | mux->chan_id << 16;
	dma_spec->args[2] = dma_spec->args[1];
	dma_spec->args[1] = 0;
	dma_spec->args[0] = mux->chan_id - min;
	dma_spec->args_count = 4;
	stm32_dmamux_write(dmamux->iomem, STM32_DMAMUX_CCR(mux->chan_id), mux->request);
	dev_dbg(&pdev->dev, "Mapping DMAMUX(%u) to DMA%u(%u)", mux->request, mux->master,
		mux->chan_id);
	return mux;

err_clear_inuse:
	dmamux->dma_inuse &= ~BIT_ULL(mux->chan_id);
err_free_mux:
	free(mux);
	return ERR_PTR(ret);
}

static const struct of_device_id stm32_stm32dma_master_match[] = {
	{ .compatible = "st,stm32-dma" },
	{ /* sentinel */ },
};

/* Each master's outputs: its dma-requests, or the maximum with a note. 0 or -errno. */
static int stm32_dmamux_count_outputs(struct platform_device *pdev,
				      struct stm32_dmamux_data *dmamux)
{
	struct device_node *node = pdev->dev.of_node;
	u32 total = 0;

	for (u32 i = 0; i < dmamux->nr_masters; i++) {
		struct device_node *dma_node = of_parse_phandle(node, "dma-masters", (int)i);

		if (!of_match_node(stm32_stm32dma_master_match, dma_node)) {
			dev_err(&pdev->dev, "DMA master is not supported");
			return -EINVAL;
		}
		if (of_property_read_u32(dma_node, "dma-requests", &dmamux->dma_reqs[i])) {
			dev_info(&pdev->dev, "Missing MUX output information, using %u.",
				 STM32_DMAMUX_MAX_DMA_REQUESTS);
			dmamux->dma_reqs[i] = STM32_DMAMUX_MAX_DMA_REQUESTS;
		}
		total += dmamux->dma_reqs[i];
	}
	if (total > STM32_DMAMUX_MAX_DMA_REQUESTS) {
		dev_err(&pdev->dev, "Too many DMA Master Requests to manage");
		return -ENODEV;
	}
	dmamux->dma_requests = total;
	return 0;
}

static int stm32_dmamux_probe(struct platform_device *pdev)
{
	struct device_node *node = pdev->dev.of_node;
	struct stm32_dmamux_data *dmamux;
	int count, ret;

	if (!node)
		return -ENODEV;
	count = of_property_count_u32_elems(node, "dma-masters");
	if (count < 0) {
		dev_err(&pdev->dev, "Can't get DMA master(s) node");
		return -ENODEV;
	}
	dmamux = devm_kzalloc(&pdev->dev, sizeof(*dmamux) + sizeof(u32) * (size_t)count,
			      GFP_KERNEL);
	if (!dmamux)
		return -ENOMEM;
	dmamux->nr_masters = (u32)count;
	ret = stm32_dmamux_count_outputs(pdev, dmamux);
	if (ret)
		return ret;
	if (of_property_read_u32(node, "dma-requests", &dmamux->dmamux_requests)) {
		dmamux->dmamux_requests = STM32_DMAMUX_MAX_REQUESTS;
		dev_warn(&pdev->dev, "DMAMUX defaulting on %u requests", dmamux->dmamux_requests);
	}
	dmamux->iomem = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(dmamux->iomem))
		return (int)PTR_ERR(dmamux->iomem);
	spin_lock_init(&dmamux->lock);
	dmamux->clk = devm_clk_get(&pdev->dev, NULL);
	if (IS_ERR(dmamux->clk)) {
		ret = (int)PTR_ERR(dmamux->clk);
		if (ret != -EPROBE_DEFER)
			dev_err(&pdev->dev, "Missing clock controller");
		return ret;
	}
	ret = clk_prepare_enable(dmamux->clk);
	if (ret < 0) {
		dev_err(&pdev->dev, "clk_prep_enable error: %d", ret);
		return ret;
	}
	dmamux->dmarouter.dev = &pdev->dev;
	dmamux->dmarouter.route_free = stm32_dmamux_free;
	platform_set_drvdata(pdev, dmamux);
	for (u32 i = 0; i < dmamux->dma_requests; i++)
		stm32_dmamux_write(dmamux->iomem, STM32_DMAMUX_CCR(i), 0);
	ret = of_dma_router_register(node, stm32_dmamux_route_allocate, &dmamux->dmarouter);
	if (ret)
		clk_disable_unprepare(dmamux->clk);
	return ret;
}

/* Linux's driver cannot be unbound; here a board can be unloaded. */
static void stm32_dmamux_remove(struct platform_device *pdev)
{
	struct stm32_dmamux_data *dmamux = platform_get_drvdata(pdev);

	of_dma_router_free(pdev->dev.of_node);
	clk_disable_unprepare(dmamux->clk);
}

static const struct of_device_id stm32_dmamux_match[] = {
	{ .compatible = "st,stm32h7-dmamux" },
	{ /* sentinel */ },
};

static struct platform_driver stm32_dmamux_driver = {
	.probe = stm32_dmamux_probe,
	.remove = stm32_dmamux_remove,
	.driver = {
		.name = "stm32-dmamux",
		.of_match_table = stm32_dmamux_match,
	},
};
module_platform_driver(stm32_dmamux_driver);
