// SPDX-License-Identifier: MIT
/*
 * platform.c - the platform bus: devices made from a board's tree, named as
 * Linux names them, drivers matched by of_match_table, probe and remove,
 * probe deferral retried whenever another device gets bound.
 *
 * Every bind, unbind and device change runs under one recursive lock (a
 * probe may populate child devices, which binds them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/platform_device.h>

#include "platform/board.h"

#define DMAE_MAX_DRIVERS 64

enum {
	DMAE_PDEV_DEFERRED = 1 << 0, /* on the deferred list */
	DMAE_PDEV_BOUND = 1 << 1,    /* on the bound list */
	DMAE_PDEV_CHILD = 1 << 2,    /* made by a driver's of_platform_populate */
};

static struct {
	struct mutex lock;		/* the bus */
	u32 owner;			/* token of the holder (recursion), 0 free; atomic */
	unsigned int depth;		/* nesting of the holder */
	struct platform_driver *drivers[DMAE_MAX_DRIVERS]; /* registration order */
	unsigned int nr_drivers;
	struct list_head deferred;	/* devices whose probe deferred, oldest first */
	struct list_head bound;		/* bound devices, in bind order */
	bool retrying;			/* a deferred retry is running */
	bool retry_again;		/* a bind happened during it */
} bus = {
	.deferred = LIST_HEAD_INIT(bus.deferred),
	.bound = LIST_HEAD_INIT(bus.bound),
};

static _Thread_local char bus_self;

static u32 bus_token(void)
{
	return (u32)((uintptr_t)&bus_self >> 4) | 1u;
}

void dmae__platform_lock(void)
{
	if (__atomic_load_n(&bus.owner, __ATOMIC_RELAXED) == bus_token()) {
		bus.depth++;
		return;
	}
	mutex_lock(&bus.lock);
	__atomic_store_n(&bus.owner, bus_token(), __ATOMIC_RELAXED);
	bus.depth = 1;
}

bool dmae__platform_locked(void)
{
	return __atomic_load_n(&bus.owner, __ATOMIC_RELAXED) == bus_token();
}

void dmae__platform_unlock(void)
{
	if (--bus.depth)
		return;
	__atomic_store_n(&bus.owner, 0, __ATOMIC_RELAXED);
	mutex_unlock(&bus.lock);
}

/* ---------------------------------------------------------------- match */

static const struct of_device_id *driver_match(const struct platform_driver *drv,
					       const struct platform_device *pdev)
{
	if (!drv->driver.of_match_table || !pdev->dev.of_node)
		return NULL;
	return of_match_node(drv->driver.of_match_table, pdev->dev.of_node);
}

static struct platform_driver *find_driver(const struct platform_device *pdev)
{
	for (unsigned int i = 0; i < bus.nr_drivers; i++)
		if (driver_match(bus.drivers[i], pdev))
			return bus.drivers[i];
	return NULL;
}

DMAE_EXPORT const void *dmae_of_device_get_match_data(const struct device *dev)
{
	const struct of_device_id *id;

	if (!dev || !dev->driver || !dev->driver->of_match_table || !dev->of_node)
		return NULL;
	id = of_match_node(dev->driver->of_match_table, dev->of_node);
	return id ? id->data : NULL;
}

/* ---------------------------------------------------------------- probe */

static void defer_add(struct platform_device *pdev, int err)
{
	pdev->defer_err = err;
	if (pdev->flags & DMAE_PDEV_DEFERRED)
		return;
	list_add_tail(&pdev->probe_node, &bus.deferred);
	pdev->flags |= DMAE_PDEV_DEFERRED;
}

static void defer_del(struct platform_device *pdev)
{
	if (!(pdev->flags & DMAE_PDEV_DEFERRED))
		return;
	list_del_init(&pdev->probe_node);
	pdev->flags &= ~DMAE_PDEV_DEFERRED;
}

static void retry_deferred(void);

/*
 * really_probe - probe @pdev with @drv. On success it joins the bound list
 * and the deferred devices are tried again. Lock held.
 */
static int really_probe(struct platform_device *pdev, struct platform_driver *drv)
{
	int ret;

	pdev->dev.driver = &drv->driver;
	pdev->bound = drv;
	ret = drv->probe(pdev);
	if (ret) {
		dmae_devres_release_all(&pdev->dev);
		pdev->dev.driver = NULL;
		pdev->bound = NULL;
		dev_set_drvdata(&pdev->dev, NULL);
		if (ret == -EPROBE_DEFER) {
			dev_dbg(&pdev->dev, "Driver %s requests probe deferral", drv->driver.name);
			defer_add(pdev, ret);
		} else if (ret == -ENODEV || ret == -ENXIO) {
			defer_del(pdev);
			dmae_log(DMAE_LOG_DEBUG, "%s: probe of %s rejects match %d",
				 drv->driver.name, dev_name(&pdev->dev), ret);
		} else {
			defer_del(pdev);
			dmae_log(DMAE_LOG_WARN, "%s: probe of %s failed with error %d",
				 drv->driver.name, dev_name(&pdev->dev), ret);
		}
		return ret;
	}
	defer_del(pdev);
	list_add_tail(&pdev->probe_node, &bus.bound);
	pdev->flags |= DMAE_PDEV_BOUND;
	dev_dbg(&pdev->dev, "bound to %s", drv->driver.name);
	retry_deferred();
	return 0;
}

/* Bind @pdev to the first driver that matches it, if any. Lock held. */
static int device_attach(struct platform_device *pdev)
{
	struct platform_driver *drv;

	if (pdev->bound)
		return -EBUSY;
	if (pdev->board && pdev->board->unloading)
		return -ENODEV;
	drv = find_driver(pdev);
	if (!drv)
		return -ENODEV;
	return really_probe(pdev, drv);
}

/*
 * retry_deferred - try every deferred device again, oldest first, until a
 * round binds nothing (as Linux's deferred_probe_work_func after a bind).
 */
static void retry_deferred(void)
{
	if (bus.retrying) {
		bus.retry_again = true;
		return;
	}
	bus.retrying = true;
	do {
		struct platform_device *pdev, *n;
		LIST_HEAD(round);

		bus.retry_again = false;
		list_splice_init(&bus.deferred, &round);
		list_for_each_entry_safe(pdev, n, &round, probe_node) {
			list_del_init(&pdev->probe_node);
			pdev->flags &= ~DMAE_PDEV_DEFERRED;
			if (device_attach(pdev) == -ENODEV)
				continue; /* its driver went away meanwhile */
		}
	} while (bus.retry_again);
	bus.retrying = false;
}

/* Unbind @pdev: remove(), then its devm resources. Lock held. */
static void device_release_driver(struct platform_device *pdev)
{
	const struct platform_driver *drv = pdev->bound;

	defer_del(pdev);
	if (!drv)
		return;
	if (drv->remove)
		drv->remove(pdev);
	dmae_devres_release_all(&pdev->dev);
	list_del_init(&pdev->probe_node);
	pdev->flags &= ~DMAE_PDEV_BOUND;
	pdev->dev.driver = NULL;
	pdev->bound = NULL;
	dev_set_drvdata(&pdev->dev, NULL);
}

/* --------------------------------------------------------------- drivers */

DMAE_EXPORT int dmae_platform_driver_register(struct platform_driver *drv)
{
	struct dmae_board *b;
	struct platform_device *pdev;
	int ret = 0;

	if (!drv || !drv->probe || !drv->driver.name) {
		dmae_log(DMAE_LOG_ERR, "platform_driver_register: %s",
			 !drv ? "NULL driver" : !drv->probe ? "no probe" : "no name");
		return -EINVAL;
	}
	dmae__platform_lock();
	for (unsigned int i = 0; i < bus.nr_drivers; i++)
		if (bus.drivers[i] == drv || !strcmp(bus.drivers[i]->driver.name, drv->driver.name))
			ret = -EBUSY;
	if (!ret && bus.nr_drivers == DMAE_MAX_DRIVERS)
		ret = -ENOSPC;
	if (ret) {
		dmae__platform_unlock();
		dmae_log(DMAE_LOG_ERR, "platform_driver_register: %s: %s", drv->driver.name,
			 ret == -EBUSY ? "a driver of that name is registered" : "too many drivers");
		return ret;
	}
	bus.drivers[bus.nr_drivers++] = drv;
	/* The board list only changes under the bus lock too: no other lock is needed. */
	list_for_each_entry(b, &dmae__boards, node)
		list_for_each_entry(pdev, &b->devices, board_node)
			if (!pdev->bound && !(pdev->flags & DMAE_PDEV_DEFERRED) &&
			    !b->unloading && driver_match(drv, pdev))
				really_probe(pdev, drv);
	retry_deferred();
	dmae__platform_unlock();
	return 0;
}

DMAE_EXPORT void dmae_platform_driver_unregister(struct platform_driver *drv)
{
	struct platform_device *pdev, *n;
	unsigned int i;

	dmae__platform_lock();
	for (i = 0; i < bus.nr_drivers && bus.drivers[i] != drv; i++)
		;
	if (i == bus.nr_drivers) {
		dmae__platform_unlock();
		return;
	}
	/* Newest binds first: a consumer goes before what it consumes. */
	list_for_each_entry_safe_reverse(pdev, n, &bus.bound, probe_node)
		if (pdev->bound == drv)
			device_release_driver(pdev);
	list_for_each_entry_safe(pdev, n, &bus.deferred, probe_node)
		if (driver_match(drv, pdev))
			defer_del(pdev);
	memmove(&bus.drivers[i], &bus.drivers[i + 1],
		(bus.nr_drivers - i - 1) * sizeof(bus.drivers[0]));
	bus.nr_drivers--;
	dmae__platform_unlock();
}

/* --------------------------------------------------------------- devices */

/*
 * make_bus_id - the device's name, as Linux's of_device_make_bus_id: the
 * translated first reg address and the node name ("48000000.dma-controller"),
 * prefixed to the names of parents without reg ("name:child") up to one that
 * has one.
 */
static void make_bus_id(struct device_node *np, char *buf, size_t size)
{
	char tmp[DMAE_DEV_NAME_MAX];

	buf[0] = '\0';
	for (; np && np->parent; np = np->parent) {
		const __be32 *reg = of_get_property(np, "reg", NULL);
		u64 addr = reg ? of_translate_address(np, reg) : OF_BAD_ADDR;

		snprintf(tmp, sizeof(tmp), "%s", buf);
		if (addr != OF_BAD_ADDR) {
			snprintf(buf, size, *tmp ? "%llx.%s:%s" : "%llx.%s", (unsigned long long)addr,
				 np->name, tmp);
			return;
		}
		snprintf(buf, size, *tmp ? "%s:%s" : "%s", np->full_name, tmp);
	}
}

int dmae__platform_irq_of(struct dmae_board *b, const struct device_node *np, int index)
{
	struct of_phandle_args irq;
	u32 hw;
	int ret = of_irq_parse_one(np, index, &irq);

	if (ret)
		return ret;
	if (!b->sim || irq.np != b->gic || irq.args_count < 2) {
		dmae_log(DMAE_LOG_ERR, "irq: %s: interrupts[%d] is not a specifier of the board's GIC",
			 np->full_name, index);
		return -EINVAL;
	}
	if (irq.args[0] == 0 && irq.args[1] < DMAE_GIC_LINES - DMAE_GIC_SPI_BASE) {
		hw = DMAE_GIC_SPI_BASE + irq.args[1];
	} else if (irq.args[0] == 1 && irq.args[1] < 16) {
		hw = 16 + irq.args[1];
	} else {
		dmae_log(DMAE_LOG_ERR, "irq: %s: interrupts[%d] = <%u %u ...>: no such GIC line",
			 np->full_name, index, irq.args[0], irq.args[1]);
		return -EINVAL;
	}
	return (int)(dmae_irq_domain_base(dmae_sim_irqs(b->sim)) + hw);
}

/* The resources of @pdev's node: each reg entry, then each interrupt. */
static int make_resources(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	int nreg = 0, nirq = of_irq_count(np), i, irq;
	struct resource r, *res;

	while (of_address_to_resource(np, nreg, &r) == 0)
		nreg++;
	if (nirq < 0)
		nirq = 0;
	if (!nreg && !nirq)
		return 0;
	res = calloc((size_t)(nreg + nirq), sizeof(*res));
	if (!res)
		return -ENOMEM;
	for (i = 0; i < nreg; i++)
		of_address_to_resource(np, i, &res[i]);
	for (i = 0; i < nirq; i++) {
		irq = pdev->board ? dmae__platform_irq_of(pdev->board, np, i) : -ENXIO;
		/* A line that cannot be mapped stays a resource that says so (start 0, no flags). */
		if (irq >= 0)
			res[nreg + i] = DEFINE_RES_IRQ((resource_size_t)irq);
		res[nreg + i].name = np->full_name;
	}
	pdev->resource = res;
	pdev->num_resources = (u32)(nreg + nirq);
	return 0;
}

static struct platform_device *device_create(struct dmae_board *b, struct device_node *np,
					     struct device *parent)
{
	struct platform_device *pdev = calloc(1, sizeof(*pdev));
	char name[DMAE_DEV_NAME_MAX];

	if (!pdev)
		return NULL;
	make_bus_id(np, name, sizeof(name));
	dmae_device_init(&pdev->dev, name);
	pdev->name = pdev->dev.name;
	pdev->id = PLATFORM_DEVID_NONE;
	pdev->board = b;
	pdev->dev.of_node = np;
	pdev->dev.parent = parent;
	INIT_LIST_HEAD(&pdev->probe_node);
	if (make_resources(pdev)) {
		free(pdev);
		return NULL;
	}
	dmae__board_dev_dma_init(b, &pdev->dev, np);
	np->data = pdev;
	np->_flags |= 1ul << OF_POPULATED;
	list_add_tail(&pdev->board_node, &b->devices);
	return pdev;
}

static void device_destroy(struct platform_device *pdev)
{
	device_release_driver(pdev);
	list_del(&pdev->board_node);
	pdev->dev.of_node->data = NULL;
	pdev->dev.of_node->_flags &= ~(1ul << OF_POPULATED);
	dmae__board_dev_dma_fini(&pdev->dev);
	dmae_device_release(&pdev->dev);
	free(pdev->resource);
	free(pdev);
}

DMAE_EXPORT const struct of_device_id dmae_of_default_bus_match_table[] = {
	{ .compatible = "simple-bus" },
	{ .compatible = "simple-mfd" },
	{ .compatible = "isa" },
	{ .compatible = "arm,amba-bus" },
	{ /* sentinel */ },
};

static struct dmae_board *board_of_node(const struct device_node *np)
{
	struct dmae_board *b;

	list_for_each_entry(b, &dmae__boards, node)
		if (b->tree == np->tree)
			return b;
	return NULL;
}

/*
 * bus_create - a device for @np (if it has a compatible and is available),
 * bound at once, and the same for its children if it is a bus. Lock held.
 */
static int bus_create(struct dmae_board *b, struct device_node *np,
		      const struct of_device_id *matches, struct device *parent, bool child)
{
	struct platform_device *pdev;
	struct device_node *c;

	if (!of_get_property(np, "compatible", NULL) || !of_device_is_available(np) ||
	    (np->_flags & (1ul << OF_POPULATED)))
		return 0;
	pdev = device_create(b, np, parent);
	if (!pdev)
		return -ENOMEM;
	if (child)
		pdev->flags |= DMAE_PDEV_CHILD;
	device_attach(pdev);
	if (!matches || !of_match_node(matches, np))
		return 0;
	for_each_child_of_node(np, c) {
		int ret = bus_create(b, c, matches, &pdev->dev, child);

		if (ret)
			return ret;
	}
	return 0;
}

DMAE_EXPORT int dmae_of_platform_populate(struct device_node *root,
					  const struct of_device_id *matches,
					  struct device *parent)
{
	struct dmae_board *b;
	struct device_node *c;
	int ret = 0;

	if (!root)
		return -EINVAL;
	dmae__platform_lock();
	b = board_of_node(root);
	if (!b) {
		dmae__platform_unlock();
		return -ENODEV;
	}
	for_each_child_of_node(root, c) {
		ret = bus_create(b, c, matches, parent, parent != NULL);
		if (ret)
			break;
	}
	dmae__platform_unlock();
	return ret;
}

/* Remove the devices whose parent is @parent, newest first. Lock held. */
static void depopulate_children(struct dmae_board *b, struct device *parent)
{
	for (;;) {
		struct platform_device *pdev, *last = NULL;

		list_for_each_entry_reverse(pdev, &b->devices, board_node) {
			if (pdev->dev.parent == parent) {
				last = pdev;
				break;
			}
		}
		if (!last)
			return;
		depopulate_children(b, &last->dev);
		device_destroy(last);
	}
}

DMAE_EXPORT void dmae_of_platform_depopulate(struct device *parent)
{
	struct platform_device *pdev;

	if (!parent || !parent->of_node)
		return;
	dmae__platform_lock();
	pdev = parent->of_node->data;
	if (pdev && pdev->board)
		depopulate_children(pdev->board, parent);
	dmae__platform_unlock();
}

static void devm_depopulate(void *dev)
{
	dmae_of_platform_depopulate(dev);
}

DMAE_EXPORT int dmae_devm_of_platform_populate(struct device *dev)
{
	int ret;

	if (!dev || !dev->of_node)
		return -EINVAL;
	ret = dmae_of_platform_populate(dev->of_node, NULL, dev);
	if (ret) {
		dmae_of_platform_depopulate(dev);
		return ret;
	}
	return devm_add_action_or_reset(dev, devm_depopulate, dev);
}

int dmae__board_populate(struct dmae_board *b)
{
	struct device_node *root = dmae_of_tree_root(b->tree);
	struct platform_device *pdev;
	struct device_node *c;
	int ret = 0;

	dmae__platform_lock();
	for_each_child_of_node(root, c) {
		ret = bus_create(b, c, of_default_bus_match_table, NULL, false);
		if (ret)
			break;
	}
	/* What is still deferred now waits for a driver or board that is not there. */
	list_for_each_entry(pdev, &bus.deferred, probe_node)
		if (pdev->board == b)
			dev_info(&pdev->dev, "deferred probe pending");
	dmae__platform_unlock();
	return ret;
}

void dmae__board_depopulate(struct dmae_board *b)
{
	struct platform_device *pdev, *n;

	dmae__platform_lock();
	b->unloading = true;
	/* Unbind in reverse bind order, then free in reverse tree order. */
	list_for_each_entry_safe_reverse(pdev, n, &bus.bound, probe_node)
		if (pdev->board == b)
			device_release_driver(pdev);
	while (!list_empty(&b->devices))
		device_destroy(list_last_entry(&b->devices, struct platform_device, board_node));
	dmae__platform_unlock();
}

/* -------------------------------------------------------------- resources */

DMAE_EXPORT struct resource *dmae_platform_get_resource(struct platform_device *pdev,
							unsigned int type, unsigned int num)
{
	if (!pdev)
		return NULL;
	for (u32 i = 0; i < pdev->num_resources; i++) {
		struct resource *r = &pdev->resource[i];

		if (resource_type(r) == type && num-- == 0)
			return r;
	}
	return NULL;
}

DMAE_EXPORT struct resource *dmae_platform_get_resource_byname(struct platform_device *pdev,
							       unsigned int type, const char *name)
{
	if (!pdev || !name)
		return NULL;
	for (u32 i = 0; i < pdev->num_resources; i++) {
		struct resource *r = &pdev->resource[i];

		if (resource_type(r) == type && r->name && !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

DMAE_EXPORT int dmae_platform_irq_count(struct platform_device *pdev)
{
	int n = pdev && pdev->dev.of_node ? of_irq_count(pdev->dev.of_node) : 0;

	return n < 0 ? 0 : n;
}

DMAE_EXPORT int dmae_platform_get_irq(struct platform_device *pdev, unsigned int num,
				      bool optional)
{
	struct resource *r;
	unsigned int seen = 0;

	if (!pdev)
		return -EINVAL;
	/* Each interrupt is a resource; one that could not be mapped has no type. */
	for (u32 i = 0; i < pdev->num_resources; i++) {
		r = &pdev->resource[i];
		if (r->flags && resource_type(r) != IORESOURCE_IRQ)
			continue;
		if (seen++ != num)
			continue;
		if (!r->flags)
			break;
		return (int)r->start;
	}
	if (!optional)
		dev_err(&pdev->dev, "IRQ index %u not found", num);
	return -ENXIO;
}

/* ----------------------------------------------------------------- lookup */

DMAE_EXPORT struct platform_device *dmae_of_find_device_by_node(const struct device_node *np)
{
	return np ? np->data : NULL;
}

DMAE_EXPORT struct platform_device *dmae_platform_find_device(const char *name)
{
	struct platform_device *pdev, *found = NULL;
	struct dmae_board *b;

	if (!name)
		return NULL;
	dmae__platform_lock();
	list_for_each_entry(b, &dmae__boards, node)
		list_for_each_entry(pdev, &b->devices, board_node)
			if (!found && !strcmp(dev_name(&pdev->dev), name))
				found = pdev;
	dmae__platform_unlock();
	return found;
}

DMAE_EXPORT int dmae_platform_unbind(const char *name)
{
	struct platform_device *pdev;
	int ret = 0;

	dmae__platform_lock();
	pdev = dmae_platform_find_device(name);
	if (!pdev)
		ret = -ENODEV;
	else if (!pdev->bound)
		ret = -ENOENT;
	else
		device_release_driver(pdev);
	dmae__platform_unlock();
	return ret;
}

DMAE_EXPORT int dmae_platform_bind(const char *name)
{
	struct platform_device *pdev;
	int ret;

	dmae__platform_lock();
	pdev = dmae_platform_find_device(name);
	ret = pdev ? device_attach(pdev) : -ENODEV;
	dmae__platform_unlock();
	return ret;
}

DMAE_EXPORT const char *dmae_platform_driver_name(const struct platform_device *pdev)
{
	return pdev && pdev->bound ? pdev->bound->driver.name : NULL;
}

/* ------------------------------------------------------------- devm irq */

struct devm_irq {
	unsigned int irq; /* the line */
	void *dev_id;	  /* as given to request_irq */
};

static void devm_irq_release(void *arg)
{
	struct devm_irq *d = arg;

	free_irq(d->irq, d->dev_id);
}

DMAE_EXPORT int dmae_devm_request_irq(struct device *dev, unsigned int irq,
				      irq_handler_t handler, unsigned long flags, const char *name,
				      void *dev_id)
{
	struct devm_irq *d = devm_kzalloc(dev, sizeof(*d), GFP_KERNEL);
	int ret;

	if (!d)
		return -ENOMEM;
	ret = request_irq(irq, handler, flags, name ? name : dev_name(dev), dev_id);
	if (ret) {
		dev_err(dev, "failed to request IRQ %u: %d", irq, ret);
		return ret;
	}
	d->irq = irq;
	d->dev_id = dev_id;
	return devm_add_action_or_reset(dev, devm_irq_release, d);
}
