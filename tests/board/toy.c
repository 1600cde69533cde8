// SPDX-License-Identifier: MIT
/*
 * toy.c - private to the board tests: the drivers of toy-board.dts: the
 * toy's driver, a client that needs it, a driver that fails, a toy DMA
 * controller and a router in front of it. They see the toy only through
 * its registers and its interrupt line, as a real driver would.
 */
#include <stdio.h>
#include <string.h>

#include <dmaengine/clk.h>
#include <dmaengine/of_dma.h>
#include <dmaengine/provider.h>

#include "board/toy.h"

struct toy_counts toy_counts;

/* ---------------------------------------------------------- the drivers */

static irqreturn_t toy_irq(int irq, void *dev_id)
{
	struct toy_drv *td = dev_id;
	u32 st = readl(td->base + TOY_STATUS);

	__atomic_add_fetch(&td->irqs, 1, __ATOMIC_RELAXED);
	if (!st)
		return IRQ_NONE;
	td->irq_context = in_hardirq();
	td->status = st;
	writel(st, td->base + TOY_STATUS);
	complete(&td->done);
	return IRQ_HANDLED;
}

static void toy_devres_count(void *arg)
{
	__atomic_add_fetch(&toy_counts.devres_released, 1, __ATOMIC_RELAXED);
}

static int toy_probe(struct platform_device *pdev)
{
	struct toy_drv *td = devm_kzalloc(&pdev->dev, sizeof(*td), GFP_KERNEL);
	struct clk *clk;
	int ret;

	__atomic_add_fetch(&toy_counts.toy_probes, 1, __ATOMIC_RELAXED);
	if (!td)
		return -ENOMEM;
	td->pdev = pdev;
	init_completion(&td->done);
	td->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(td->base))
		return (int)PTR_ERR(td->base);
	td->irq = platform_get_irq(pdev, 0);
	if (td->irq < 0)
		return td->irq;
	clk = devm_clk_get(&pdev->dev, NULL);
	if (IS_ERR(clk))
		return (int)PTR_ERR(clk);
	clk_prepare_enable(clk);
	td->rate = clk_get_rate(clk);
	if (readl(td->base + TOY_ID_REG) != TOY_ID) {
		dev_err(&pdev->dev, "not a toy");
		return -ENODEV;
	}
	ret = devm_request_irq(&pdev->dev, (unsigned int)td->irq, toy_irq, 0, NULL, td);
	if (ret)
		return ret;
	ret = devm_add_action(&pdev->dev, toy_devres_count, NULL);
	if (ret)
		return ret;
	writel(TOY_CTRL_IE, td->base + TOY_CTRL);
	platform_set_drvdata(pdev, td);
	return 0;
}

static void toy_remove(struct platform_device *pdev)
{
	struct toy_drv *td = platform_get_drvdata(pdev);

	writel(0, td->base + TOY_CTRL);
	__atomic_add_fetch(&toy_counts.toy_removes, 1, __ATOMIC_RELAXED);
}

static const struct of_device_id toy_match[] = {
	{ .compatible = "test,toy" },
	{ /* sentinel */ },
};

static struct platform_driver toy_driver = {
	.probe = toy_probe,
	.remove = toy_remove,
	.driver = { .name = "toy", .of_match_table = toy_match },
};
module_platform_driver(toy_driver);

static int toy_client_probe(struct platform_device *pdev)
{
	struct device_node *np = of_parse_phandle(pdev->dev.of_node, "toy", 0);
	struct platform_device *toy = of_find_device_by_node(np);

	__atomic_add_fetch(&toy_counts.client_probes, 1, __ATOMIC_RELAXED);
	if (!toy || !platform_get_drvdata(toy)) {
		__atomic_add_fetch(&toy_counts.client_defers, 1, __ATOMIC_RELAXED);
		return -EPROBE_DEFER;
	}
	platform_set_drvdata(pdev, toy);
	return 0;
}

static void toy_client_remove(struct platform_device *pdev)
{
	__atomic_add_fetch(&toy_counts.client_removes, 1, __ATOMIC_RELAXED);
}

static const struct of_device_id toy_client_match[] = {
	{ .compatible = "test,toy-client" },
	{ /* sentinel */ },
};

static struct platform_driver toy_client_driver = {
	.probe = toy_client_probe,
	.remove = toy_client_remove,
	.driver = { .name = "toy-client", .of_match_table = toy_client_match },
};
module_platform_driver(toy_client_driver);

static int bad_probe(struct platform_device *pdev)
{
	__atomic_add_fetch(&toy_counts.bad_probes, 1, __ATOMIC_RELAXED);
	return -EIO;
}

static const struct of_device_id bad_match[] = {
	{ .compatible = "test,bad" },
	{ /* sentinel */ },
};

static struct platform_driver bad_driver = {
	.probe = bad_probe,
	.driver = { .name = "bad", .of_match_table = bad_match },
};
module_platform_driver(bad_driver);

/* ---------------------------------------------- a DMA controller, a router */

#define TOY_DMA_CHANS 4

struct toy_dma {
	struct dma_device dma;
	struct dma_chan chans[TOY_DMA_CHANS];
};

static enum dma_status toy_dma_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
					 struct dma_tx_state *state)
{
	return dma_cookie_status(chan, cookie, state);
}

static void toy_dma_nop(struct dma_chan *chan)
{
}

static int toy_dma_terminate(struct dma_chan *chan)
{
	return 0;
}

static struct dma_async_tx_descriptor *toy_dma_prep_sg(struct dma_chan *chan,
						       struct scatterlist *sgl,
						       unsigned int sg_len,
						       enum dma_transfer_direction dir,
						       unsigned long flags, void *context)
{
	return NULL;
}

static int toy_dma_probe(struct platform_device *pdev)
{
	struct toy_dma *td = devm_kzalloc(&pdev->dev, sizeof(*td), GFP_KERNEL);
	struct dma_device *dma;
	int ret;

	if (!td)
		return -ENOMEM;
	dma = &td->dma;
	dma->dev = &pdev->dev;
	INIT_LIST_HEAD(&dma->channels);
	dma_cap_set(DMA_SLAVE, dma->cap_mask);
	dma_cap_set(DMA_PRIVATE, dma->cap_mask);
	dma->directions = BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_DEV);
	dma->src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dma->dst_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dma->residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;
	dma->device_prep_slave_sg = toy_dma_prep_sg;
	dma->device_tx_status = toy_dma_tx_status;
	dma->device_issue_pending = toy_dma_nop;
	dma->device_terminate_all = toy_dma_terminate;
	for (int i = 0; i < TOY_DMA_CHANS; i++) {
		td->chans[i].device = dma;
		list_add_tail(&td->chans[i].device_node, &dma->channels);
	}
	ret = dma_async_device_register(dma);
	if (ret)
		return ret;
	ret = of_dma_controller_register(pdev->dev.of_node, of_dma_xlate_by_chan_id, dma);
	if (ret) {
		dma_async_device_unregister(dma);
		return ret;
	}
	platform_set_drvdata(pdev, td);
	return 0;
}

static void toy_dma_remove(struct platform_device *pdev)
{
	struct toy_dma *td = platform_get_drvdata(pdev);

	of_dma_controller_free(pdev->dev.of_node);
	dma_async_device_unregister(&td->dma);
}

static const struct of_device_id toy_dma_match[] = {
	{ .compatible = "test,toy-dma" },
	{ /* sentinel */ },
};

static struct platform_driver toy_dma_driver = {
	.probe = toy_dma_probe,
	.remove = toy_dma_remove,
	.driver = { .name = "toy-dma", .of_match_table = toy_dma_match },
};
module_platform_driver(toy_dma_driver);

struct toy_router {
	struct dma_router router;
	struct device_node *master;
};

static void toy_route_free(struct device *dev, void *route_data)
{
	__atomic_add_fetch(&toy_counts.route_frees, 1, __ATOMIC_RELAXED);
}

/* Request n goes to the master's channel n % 4: the spec is rewritten in place. */
static void *toy_route_allocate(struct of_phandle_args *spec, struct of_dma *ofdma)
{
	struct platform_device *pdev = of_find_device_by_node(ofdma->of_node);
	struct toy_router *tr = platform_get_drvdata(pdev);

	if (spec->args_count != 1) {
		dev_err(&pdev->dev, "invalid number of dma mux args");
		return ERR_PTR(-EINVAL);
	}
	spec->np = tr->master;
	spec->args[0] %= TOY_DMA_CHANS;
	__atomic_add_fetch(&toy_counts.routes, 1, __ATOMIC_RELAXED);
	return tr;
}

static int toy_router_probe(struct platform_device *pdev)
{
	struct toy_router *tr = devm_kzalloc(&pdev->dev, sizeof(*tr), GFP_KERNEL);

	if (!tr)
		return -ENOMEM;
	tr->master = of_parse_phandle(pdev->dev.of_node, "dma-masters", 0);
	if (!tr->master)
		return -ENODEV;
	tr->router.dev = &pdev->dev;
	tr->router.route_free = toy_route_free;
	platform_set_drvdata(pdev, tr);
	return of_dma_router_register(pdev->dev.of_node, toy_route_allocate, &tr->router);
}

static void toy_router_remove(struct platform_device *pdev)
{
	of_dma_router_free(pdev->dev.of_node);
}

static const struct of_device_id toy_router_match[] = {
	{ .compatible = "test,toy-router" },
	{ /* sentinel */ },
};

static struct platform_driver toy_router_driver = {
	.probe = toy_router_probe,
	.remove = toy_router_remove,
	.driver = { .name = "toy-router", .of_match_table = toy_router_match },
};
module_platform_driver(toy_router_driver);

/* A client that only checks, at probe, what its "ghost" channel gives. */
static int dma_client_probe(struct platform_device *pdev)
{
	struct dma_chan *ghost = dma_request_chan(&pdev->dev, "ghost");

	__atomic_add_fetch(&toy_counts.dma_client_probes, 1, __ATOMIC_RELAXED);
	toy_counts.dma_client_err = IS_ERR(ghost) ? (int)PTR_ERR(ghost) : 0;
	if (!IS_ERR(ghost))
		dma_release_channel(ghost);
	return 0;
}

static const struct of_device_id dma_client_match[] = {
	{ .compatible = "test,dma-client" },
	{ /* sentinel */ },
};

static struct platform_driver dma_client_driver = {
	.probe = dma_client_probe,
	.driver = { .name = "dma-client", .of_match_table = dma_client_match },
};
module_platform_driver(dma_client_driver);
