// SPDX-License-Identifier: MIT
/*
 * default.c - the default platform: one cpu provider device, probed the first
 * time a client asks for a channel, removed at exit when nothing holds it.
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/cpu.h>
#include <dmaengine/provider.h>

static DEFINE_MUTEX(platform_lock);
static u32 platform_done;		   /* init ran; atomic */
static struct dma_device *platform_cpu;	   /* the default cpu device, or NULL */

DMAE_EXPORT int dmaengine_platform_init(void)
{
	const char *which;
	struct dma_device *dma;
	int ret = 0;

	if (__atomic_load_n(&platform_done, __ATOMIC_ACQUIRE))
		return 0;
	mutex_lock(&platform_lock);
	if (platform_done)
		goto out_unlock;
	which = getenv("DMAENGINE_PLATFORM");
	if (which && !strcmp(which, "none"))
		goto out_done;
	dma = dma_cpu_probe(NULL);
	if (IS_ERR(dma)) {
		ret = (int)PTR_ERR(dma);
		dmae_log(DMAE_LOG_ERR, "dmaengine: default platform: cpu provider failed (%d)", ret);
		goto out_done;
	}
	platform_cpu = dma;
out_done:
	__atomic_store_n(&platform_done, 1, __ATOMIC_RELEASE);
out_unlock:
	mutex_unlock(&platform_lock);
	return ret;
}

DMAE_EXPORT int dmaengine_platform_exit(void)
{
	int ret = 0;

	mutex_lock(&platform_lock);
	if (platform_cpu) {
		ret = dma_cpu_remove(platform_cpu);
		if (!ret)
			platform_cpu = NULL;
	}
	if (!ret)
		__atomic_store_n(&platform_done, 0, __ATOMIC_RELEASE);
	mutex_unlock(&platform_lock);
	return ret;
}

/* At exit, stop the default device's workers if no client still holds one. */
__attribute__((destructor(200))) static void platform_fini(void)
{
	if (__atomic_load_n(&platform_done, __ATOMIC_ACQUIRE))
		dmaengine_platform_exit();
}
