// SPDX-License-Identifier: MIT
/*
 * device.c - struct device naming and per-device log lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dmaengine/device.h>
#include <dmaengine/os.h>

DMAE_EXPORT void dmae_device_init(struct device *dev, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	if (name)
		snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->dma_mask_storage = ~0ULL;
	dev->dma_mask = &dev->dma_mask_storage;
	dev->coherent_dma_mask = ~0ULL;
	dev->dma_coherent = true;
}

DMAE_EXPORT int dmae_dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dev->name, sizeof(dev->name), fmt, ap);
	va_end(ap);
	return n < 0 ? -EINVAL : 0;
}

DMAE_EXPORT void dmae_dev_log(int level, const struct device *dev, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dmae_log((enum dmae_log_level)level, "%s %s: %s", dev_driver_string(dev), dev_name(dev),
		 msg);
}
