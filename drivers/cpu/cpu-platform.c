// SPDX-License-Identifier: MIT
/*
 * cpu-platform.c - the cpu provider as a platform driver: a node with
 * compatible "dmaengine,cpu-dma" (the default board has one) gets a cpu
 * device, sized by the DMAENGINE_CPU_* variables as dma_cpu_probe() does.
 */
#include <dmaengine/cpu.h>
#include <dmaengine/platform_device.h>

static int cpu_dma_platform_probe(struct platform_device *pdev)
{
	struct dma_device *dma = dma_cpu_probe(NULL);

	if (IS_ERR(dma)) {
		dev_err(&pdev->dev, "cpu provider failed (%ld)", PTR_ERR(dma));
		return (int)PTR_ERR(dma);
	}
	/* The cpu device is the platform device's child: it belongs to the board. */
	dma->dev->parent = &pdev->dev;
	platform_set_drvdata(pdev, dma);
	return 0;
}

static void cpu_dma_platform_remove(struct platform_device *pdev)
{
	struct dma_device *dma = platform_get_drvdata(pdev);
	int ret = dma_cpu_remove(dma);

	if (ret)
		dev_err(&pdev->dev, "%s stays registered: its channels are held (%d)",
			dev_name(dma->dev), ret);
}

static const struct of_device_id cpu_dma_of_match[] = {
	{ .compatible = "dmaengine,cpu-dma" },
	{ /* sentinel */ },
};

static struct platform_driver cpu_dma_platform_driver = {
	.probe = cpu_dma_platform_probe,
	.remove = cpu_dma_platform_remove,
	.driver = {
		.name = "cpu-dma",
		.of_match_table = cpu_dma_of_match,
	},
};
module_platform_driver(cpu_dma_platform_driver);
