// SPDX-License-Identifier: MIT
/*
 * enumerate.c - walking the registered devices, for tools (dmactl) that show
 * what /sys/class/dma and the debugfs directory show in the kernel.
 */
#include "core/core.h"

DMAE_EXPORT int dmaengine_for_each_device(int (*fn)(struct dma_device *device, void *arg),
					  void *arg)
{
	struct dma_device *device;
	int ret = 0;

	if (!fn)
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	mutex_lock(&dmae__list_mutex);
	list_for_each_entry(device, &dmae__device_list, global_node) {
		ret = fn(device, arg);
		if (ret)
			break;
	}
	mutex_unlock(&dmae__list_mutex);
	return ret;
}
