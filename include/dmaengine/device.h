/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/device.h - a minimal struct device: a named device with DMA
 * limits, as clients pass to dma_request_chan() and providers register.
 *
 * For applications and providers alike.
 */
#ifndef DMAENGINE_DEVICE_H
#define DMAENGINE_DEVICE_H

#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

struct device_driver {
	const char *name; /* driver name, printed before the device name */
};

struct device_dma_parameters {
	unsigned int max_segment_size;	     /* longest sg segment the device takes */
	unsigned long segment_boundary_mask; /* a segment may not cross this boundary */
};

struct device_node;
struct iommu_domain;

#define DMAE_DEV_NAME_MAX 64

struct device {
	char name[DMAE_DEV_NAME_MAX];		 /* dev_name(), set by dev_set_name */
	struct device *parent;			 /* bus parent, or NULL */
	const struct device_driver *driver;	 /* bound driver, or NULL */
	u64 *dma_mask;				 /* streaming mask, or NULL (no DMA) */
	u64 coherent_dma_mask;			 /* mask for coherent allocations */
	struct device_dma_parameters *dma_parms; /* segment limits, or NULL */
	bool dma_coherent;			 /* caches coherent with the device */
	struct iommu_domain *iommu_domain;	 /* the IOMMU it is behind, or NULL */
	struct device_node *of_node;		 /* device-tree node, or NULL */
	void *platform_data;			 /* board data for the driver */
	void *driver_data;			 /* dev_get_drvdata() */
	u64 dma_mask_storage;			 /* what dma_mask points to by default */
};

/**
 * device_initialize - zero-fill @dev, name it, and give it a full 64-bit DMA mask.
 * @name may be NULL.
 */
DMAE_EXPORT void dmae_device_init(struct device *dev, const char *name);
DMAE_EXPORT int dmae_dev_set_name(struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define dev_set_name(...) dmae_dev_set_name(__VA_ARGS__)

/**
 * dmae_device_release - @dev is going away (its driver unbound). With DMA-API
 * debug on, mappings it still holds are reported as leaks (the count and one
 * of them); on or off, they are forgotten, so that a new device at the same
 * address starts clean. NULL is ignored. Context: any.
 */
DMAE_EXPORT void dmae_device_release(struct device *dev);

static inline const char *dev_name(const struct device *dev)
{
	return dev ? dev->name : "(NULL device *)";
}

static inline const char *dev_driver_string(const struct device *dev)
{
	return dev && dev->driver && dev->driver->name ? dev->driver->name : "dmaengine";
}

static inline void *dev_get_drvdata(const struct device *dev) { return dev->driver_data; }
static inline void dev_set_drvdata(struct device *dev, void *data) { dev->driver_data = data; }

/* One line, "<driver> <device>: <message>", through the library's log handler. */
DMAE_EXPORT void dmae_dev_log(int level, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define dev_err(dev, ...) dmae_dev_log(3, dev, __VA_ARGS__)
#define dev_warn(dev, ...) dmae_dev_log(4, dev, __VA_ARGS__)
#define dev_info(dev, ...) dmae_dev_log(6, dev, __VA_ARGS__)
#define dev_dbg(dev, ...) dmae_dev_log(7, dev, __VA_ARGS__)

DMAE_END_DECLS

#endif /* DMAENGINE_DEVICE_H */
