// SPDX-License-Identifier: MIT
/*
 * devres.c - device-managed resources: actions and memory recorded against a
 * device, undone newest first when its driver goes away.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/device.h>
#include <dmaengine/os.h>

struct dmae_devres {
	struct dmae_devres *next;	 /* older resource */
	void (*action)(void *data);	 /* an action, or NULL for memory */
	void *data;			 /* its argument */
	alignas(max_align_t) u8 mem[];	 /* devm memory */
};

/* One lock for every device's list: resources are added in probe, released at unbind. */
static DEFINE_SPINLOCK(devres_lock);

static void devres_push(struct device *dev, struct dmae_devres *dr)
{
	spin_lock(&devres_lock);
	dr->next = dev->devres;
	dev->devres = dr;
	spin_unlock(&devres_lock);
}

DMAE_EXPORT int dmae_devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct dmae_devres *dr;

	if (!dev || !action)
		return -EINVAL;
	dr = calloc(1, sizeof(*dr));
	if (!dr)
		return -ENOMEM;
	dr->action = action;
	dr->data = data;
	devres_push(dev, dr);
	return 0;
}

/* Unlink the first resource @match accepts; NULL if none. */
static struct dmae_devres *devres_take(struct device *dev,
				       bool (*match)(const struct dmae_devres *, const void *,
						     const void *),
				       const void *a, const void *b)
{
	struct dmae_devres **link, *dr = NULL;

	spin_lock(&devres_lock);
	for (link = &dev->devres; *link; link = &(*link)->next) {
		if (match(*link, a, b)) {
			dr = *link;
			*link = dr->next;
			break;
		}
	}
	spin_unlock(&devres_lock);
	return dr;
}

static bool devres_is_action(const struct dmae_devres *dr, const void *action, const void *data)
{
	return (const void *)dr->action == action && dr->data == data;
}

DMAE_EXPORT int dmae_devm_remove_action(struct device *dev, void (*action)(void *), void *data,
					bool call)
{
	struct dmae_devres *dr;

	if (!dev)
		return -EINVAL;
	dr = devres_take(dev, devres_is_action, (const void *)action, data);
	if (!dr) {
		dev_warn(dev, "devm_%s_action: no such action registered", call ? "release" : "remove");
		return -ENOENT;
	}
	if (call)
		dr->action(dr->data);
	free(dr);
	return 0;
}

DMAE_EXPORT void *dmae_devm_kmalloc(struct device *dev, size_t size, gfp_t gfp, bool zero)
{
	struct dmae_devres *dr;

	(void)gfp;
	if (!dev || size > ((size_t)1 << 40))
		return NULL;
	dr = zero ? calloc(1, sizeof(*dr) + size) : malloc(sizeof(*dr) + size);
	if (!dr)
		return NULL;
	dr->action = NULL;
	dr->data = NULL;
	devres_push(dev, dr);
	return dr->mem;
}

static bool devres_is_mem(const struct dmae_devres *dr, const void *p, const void *unused)
{
	return !dr->action && (const void *)dr->mem == p;
}

DMAE_EXPORT void dmae_devm_kfree(struct device *dev, const void *p)
{
	struct dmae_devres *dr;

	if (!dev || !p)
		return;
	dr = devres_take(dev, devres_is_mem, p, NULL);
	if (!dr) {
		dev_warn(dev, "devm_kfree: %p is not this device's", p);
		return;
	}
	free(dr);
}

DMAE_EXPORT unsigned int dmae_devres_release_all(struct device *dev)
{
	struct dmae_devres *dr;
	unsigned int n = 0;

	if (!dev)
		return 0;
	for (;;) {
		spin_lock(&devres_lock);
		dr = dev->devres;
		if (dr)
			dev->devres = dr->next;
		spin_unlock(&devres_lock);
		if (!dr)
			return n;
		if (dr->action)
			dr->action(dr->data);
		free(dr);
		n++;
	}
}
