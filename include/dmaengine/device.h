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

struct of_device_id;

struct device_driver {
	const char *name;			   /* driver name, printed before the device name */
	const struct of_device_id *of_match_table; /* device-tree compatibles it binds to */
};

struct device_dma_parameters {
	unsigned int max_segment_size;	     /* longest sg segment the device takes */
	unsigned long segment_boundary_mask; /* a segment may not cross this boundary */
};

struct device_node;
struct iommu_domain;
struct dmae_bus_space;
struct dmae_dma_map_ops;

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
	struct dmae_bus_space *bus_space;	 /* the address space it masters on (a board's
						  * physical space), or NULL: host memory */
	const struct dmae_dma_map_ops *dma_ops;	 /* how the mapping API maps for it, or NULL:
						  * direct, bounce pool, IOMMU */
	struct dmae_devres *devres;		 /* devm_ resources, newest first */
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

/* ---------------------------------------------------------------- devres */

/*
 * Device-managed resources, as the kernel's devres: released, newest first,
 * when the device's driver is unbound or its probe fails.
 */
DMAE_EXPORT int dmae_devm_add_action(struct device *dev, void (*action)(void *), void *data);
/** devm_add_action - call @action(@data) at unbind. 0 or -ENOMEM. */
static inline int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	return dmae_devm_add_action(dev, action, data);
}
/** devm_add_action_or_reset - as devm_add_action, but calls @action at once if it fails. */
static inline int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data)
{
	int ret = dmae_devm_add_action(dev, action, data);

	if (ret)
		action(data);
	return ret;
}
DMAE_EXPORT int dmae_devm_remove_action(struct device *dev, void (*action)(void *), void *data,
					bool call);
/** devm_remove_action - forget a registered action without calling it. */
static inline void devm_remove_action(struct device *dev, void (*action)(void *), void *data)
{
	dmae_devm_remove_action(dev, action, data, false);
}
/** devm_release_action - call a registered action now, and forget it. */
static inline void devm_release_action(struct device *dev, void (*action)(void *), void *data)
{
	dmae_devm_remove_action(dev, action, data, true);
}
DMAE_EXPORT void *dmae_devm_kmalloc(struct device *dev, size_t size, gfp_t gfp, bool zero);
/** devm_kzalloc - zeroed memory freed at unbind, or NULL. */
static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return dmae_devm_kmalloc(dev, size, gfp, true);
}
static inline void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return dmae_devm_kmalloc(dev, size, gfp, false);
}
static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t gfp)
{
	return size && n > (size_t)-1 / size ? NULL : dmae_devm_kmalloc(dev, n * size, gfp, true);
}
DMAE_EXPORT void dmae_devm_kfree(struct device *dev, const void *p);
/** devm_kfree - free devm memory early (a pointer that is not @dev's is reported). */
static inline void devm_kfree(struct device *dev, const void *p) { dmae_devm_kfree(dev, p); }
/**
 * dmae_devres_release_all - release @dev's resources, newest first (the bus
 * calls it at unbind and after a failed probe). Returns how many there were.
 */
DMAE_EXPORT unsigned int dmae_devres_release_all(struct device *dev);

/* One line, "<driver> <device>: <message>", through the library's log handler. */
DMAE_EXPORT void dmae_dev_log(int level, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define dev_err(dev, ...) dmae_dev_log(3, dev, __VA_ARGS__)
#define dev_warn(dev, ...) dmae_dev_log(4, dev, __VA_ARGS__)
#define dev_info(dev, ...) dmae_dev_log(6, dev, __VA_ARGS__)
#define dev_dbg(dev, ...) dmae_dev_log(7, dev, __VA_ARGS__)

DMAE_END_DECLS

#endif /* DMAENGINE_DEVICE_H */
