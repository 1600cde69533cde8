/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/platform_device.h - the platform bus, as the kernel's
 * linux/platform_device.h and linux/of_platform.h: a device for each node of
 * a loaded board's device tree, named as Linux names them
 * ("48000000.dma-controller"), drivers bound by of_match_table, probe
 * deferral, device-managed resources released at unbind.
 *
 * For drivers. A driver registers itself (module_platform_driver, a
 * constructor) and is bound to every matching device of every board loaded
 * before or after it; a probe returning -EPROBE_DEFER is retried each time
 * another device gets bound, as in Linux.
 *
 *	static int foo_probe(struct platform_device *pdev)
 *	{
 *		void __iomem *base = devm_platform_ioremap_resource(pdev, 0);
 *		int irq = platform_get_irq(pdev, 0);
 *		...
 *	}
 *	static const struct of_device_id foo_match[] = {
 *		{ .compatible = "vendor,foo" }, { }
 *	};
 *	static struct platform_driver foo_driver = {
 *		.probe = foo_probe, .remove = foo_remove,
 *		.driver = { .name = "foo", .of_match_table = foo_match },
 *	};
 *	module_platform_driver(foo_driver);
 */
#ifndef DMAENGINE_PLATFORM_DEVICE_H
#define DMAENGINE_PLATFORM_DEVICE_H

#include <dmaengine/device.h>
#include <dmaengine/err.h>
#include <dmaengine/io.h>
#include <dmaengine/ioport.h>
#include <dmaengine/list.h>
#include <dmaengine/of.h>
#include <dmaengine/os.h>

DMAE_BEGIN_DECLS

struct dmae_board;

#define PLATFORM_DEVID_NONE (-1)

struct platform_device {
	const char *name;	     /* the device's name, as dev_name() */
	int id;			     /* PLATFORM_DEVID_NONE for device-tree devices */
	struct device dev;	     /* the device itself */
	u32 num_resources;	     /* entries of resource */
	struct resource *resource;   /* registers (IORESOURCE_MEM), then IRQs */
	struct dmae_board *board;    /* the board it is on */
	/* private to the platform bus: */
	struct list_head board_node; /* in the board's list, device-tree order */
	struct list_head probe_node; /* in the deferred list, or the bound list */
	const struct platform_driver *bound; /* its driver while bound */
	int defer_err;		     /* the last probe's error, while deferred */
	unsigned long flags;	     /* DMAE_PDEV_* */
};

#define to_platform_device(d) container_of((d), struct platform_device, dev)

struct platform_driver {
	int (*probe)(struct platform_device *pdev);  /* 0, -EPROBE_DEFER or -errno */
	void (*remove)(struct platform_device *pdev); /* undo probe (devm_ goes after) */
	struct device_driver driver;		      /* .name, .of_match_table */
};

#define to_platform_driver(d) container_of((d), struct platform_driver, driver)

DMAE_EXPORT int dmae_platform_driver_register(struct platform_driver *drv);
/**
 * platform_driver_register - make @drv known and bind it to every matching
 * device of the loaded boards now, and of those loaded later. @return 0,
 * -EINVAL (no probe, no name), -EBUSY (a driver of that name is registered),
 * -ENOSPC (too many drivers).
 */
static inline int platform_driver_register(struct platform_driver *drv)
{
	return dmae_platform_driver_register(drv);
}
DMAE_EXPORT void dmae_platform_driver_unregister(struct platform_driver *drv);
/** platform_driver_unregister - unbind @drv from its devices and forget it. */
static inline void platform_driver_unregister(struct platform_driver *drv)
{
	dmae_platform_driver_unregister(drv);
}

/* Register @drv when the library (or program) is loaded, unregister at exit. */
#define module_platform_driver(drv)                                                    \
	__attribute__((constructor)) static void drv##_dmae_register(void)             \
	{                                                                              \
		platform_driver_register(&(drv));                                      \
	}                                                                              \
	__attribute__((destructor)) static void drv##_dmae_unregister(void)            \
	{                                                                              \
		platform_driver_unregister(&(drv));                                    \
	}

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}
static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

DMAE_EXPORT struct resource *dmae_platform_get_resource(struct platform_device *pdev,
							unsigned int type, unsigned int num);
/** platform_get_resource - the @num'th resource of @type (IORESOURCE_MEM, _IRQ), or NULL. */
static inline struct resource *platform_get_resource(struct platform_device *pdev,
						     unsigned int type, unsigned int num)
{
	return dmae_platform_get_resource(pdev, type, num);
}
DMAE_EXPORT struct resource *dmae_platform_get_resource_byname(struct platform_device *pdev,
							       unsigned int type,
							       const char *name);
static inline struct resource *platform_get_resource_byname(struct platform_device *pdev,
							    unsigned int type, const char *name)
{
	return dmae_platform_get_resource_byname(pdev, type, name);
}
DMAE_EXPORT int dmae_platform_get_irq(struct platform_device *pdev, unsigned int num,
				      bool optional);
/**
 * platform_get_irq - the Linux irq number of interrupt @num of the device,
 * or -ENXIO (with the kernel's "IRQ index %u not found" line).
 */
static inline int platform_get_irq(struct platform_device *pdev, unsigned int num)
{
	return dmae_platform_get_irq(pdev, num, false);
}
static inline int platform_get_irq_optional(struct platform_device *pdev, unsigned int num)
{
	return dmae_platform_get_irq(pdev, num, true);
}
DMAE_EXPORT int dmae_platform_irq_count(struct platform_device *pdev);
static inline int platform_irq_count(struct platform_device *pdev)
{
	return dmae_platform_irq_count(pdev);
}

DMAE_EXPORT void __iomem *dmae_devm_ioremap_resource(struct device *dev,
						     const struct resource *res);
/**
 * devm_ioremap_resource - claim @res and map it: the cookie readl/writel
 * take. ERR_PTR(-EINVAL) (not a memory resource), ERR_PTR(-EBUSY) (claimed
 * by another device: "can't request region for resource"), ERR_PTR(-ENOMEM).
 * Unmapped when the driver is unbound.
 */
static inline void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res)
{
	return dmae_devm_ioremap_resource(dev, res);
}
static inline void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev,
							   unsigned int index)
{
	return devm_ioremap_resource(&pdev->dev,
				     platform_get_resource(pdev, IORESOURCE_MEM, index));
}
static inline void __iomem *devm_platform_get_and_ioremap_resource(struct platform_device *pdev,
								   unsigned int index,
								   struct resource **res)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, index);

	if (res)
		*res = r;
	return devm_ioremap_resource(&pdev->dev, r);
}

DMAE_EXPORT int dmae_devm_request_irq(struct device *dev, unsigned int irq,
				      irq_handler_t handler, unsigned long flags, const char *name,
				      void *dev_id);
/** devm_request_irq - request_irq, freed when the driver is unbound. */
static inline int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
				   unsigned long flags, const char *name, void *dev_id)
{
	return dmae_devm_request_irq(dev, irq, handler, flags, name, dev_id);
}

DMAE_EXPORT const void *dmae_of_device_get_match_data(const struct device *dev);
/** of_device_get_match_data - the .data of the of_match_table entry @dev matched. */
static inline const void *of_device_get_match_data(const struct device *dev)
{
	return dmae_of_device_get_match_data(dev);
}

/* The bus nodes whose children of_platform_populate also makes devices of. */
DMAE_EXPORT extern const struct of_device_id dmae_of_default_bus_match_table[];
#define of_default_bus_match_table dmae_of_default_bus_match_table

DMAE_EXPORT int dmae_of_platform_populate(struct device_node *root,
					  const struct of_device_id *matches,
					  struct device *parent);
/**
 * of_platform_populate - a platform device for each available child of
 * @root that has a compatible, recursing into children that match @matches
 * (a bus); each is bound to its driver at once. @return 0 or -errno.
 */
static inline int of_platform_populate(struct device_node *root,
				       const struct of_device_id *matches,
				       const void *lookup, struct device *parent)
{
	(void)lookup;
	return dmae_of_platform_populate(root, matches, parent);
}
DMAE_EXPORT void dmae_of_platform_depopulate(struct device *parent);
/** of_platform_depopulate - unbind and remove the devices made for @parent's children. */
static inline void of_platform_depopulate(struct device *parent)
{
	dmae_of_platform_depopulate(parent);
}
DMAE_EXPORT int dmae_devm_of_platform_populate(struct device *dev);
/** devm_of_platform_populate - of_platform_populate of @dev's node, undone at unbind. */
static inline int devm_of_platform_populate(struct device *dev)
{
	return dmae_devm_of_platform_populate(dev);
}
DMAE_EXPORT struct platform_device *dmae_of_find_device_by_node(const struct device_node *np);
/** of_find_device_by_node - the platform device made from @np, or NULL. */
static inline struct platform_device *of_find_device_by_node(const struct device_node *np)
{
	return dmae_of_find_device_by_node(np);
}

/* ---------------------------------------------- binding, for tools and tests */

/** dmae_platform_find_device - the device called @name on any loaded board, or NULL. */
DMAE_EXPORT struct platform_device *dmae_platform_find_device(const char *name);
/**
 * dmae_platform_unbind - as writing the device's name to the driver's
 * "unbind" file: its driver's remove() runs, then its devm resources go.
 * @return 0, -ENODEV (no such device), -ENOENT (not bound).
 */
DMAE_EXPORT int dmae_platform_unbind(const char *name);
/**
 * dmae_platform_bind - as writing it to "bind" (or drivers_probe): match and
 * probe now. @return 0, -ENODEV, -EBUSY (bound), -EPROBE_DEFER (deferred:
 * retried when another device binds), or the probe's error.
 */
DMAE_EXPORT int dmae_platform_bind(const char *name);
/** dmae_platform_driver_name - the name of the driver bound to @pdev, or NULL. */
DMAE_EXPORT const char *dmae_platform_driver_name(const struct platform_device *pdev);

DMAE_END_DECLS

#endif /* DMAENGINE_PLATFORM_DEVICE_H */
