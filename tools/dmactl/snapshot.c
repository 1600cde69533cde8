// SPDX-License-Identifier: MIT
/*
 * snapshot.c - a copy of every registered device and channel: the fields are
 * copied during dmaengine_for_each_device() (under the registry lock), then
 * each channel's sysfs attributes are read by name with dmaengine_chan_attr(),
 * as a reader of /sys/class/dma/<chan>/<attr> would.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/dma-mapping.h>

#include "dmactl.h"

void dmactl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("dmactl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, DMACTL_NAME_MAX, "%s", src ? src : "");
}

static void snapshot_chan(struct dmactl_chan *c, struct dma_chan *chan)
{
	copy_name(c->name, dma_chan_name(chan));
	c->chan_id = chan->chan_id;
	if (chan->client_count)
		copy_name(c->client, chan->dbg_client_name ? chan->dbg_client_name : "in-use");
	if (chan->router)
		copy_name(c->router, dev_name(chan->router->dev));
}

static void snapshot_device_fields(struct dmactl_dev *d, struct dma_device *device)
{
	d->dev_id = device->dev_id;
	copy_name(d->name, dev_name(device->dev));
	copy_name(d->driver, dev_driver_string(device->dev));
	d->chancnt = device->chancnt;
	d->caps = device->cap_mask;
	d->max_xor = device->max_xor;
	d->max_pq = device->max_pq & ~DMA_HAS_PQ_CONTINUE;
	d->pq_continue = device->max_pq & DMA_HAS_PQ_CONTINUE;
	d->align[0] = device->copy_align;
	d->align[1] = device->xor_align;
	d->align[2] = device->pq_align;
	d->align[3] = device->fill_align;
	d->descriptor_reuse = device->descriptor_reuse;
	d->residue = device->residue_granularity;
	d->metadata_modes = device->desc_metadata_modes;
	d->dma_mask = dma_get_mask(device->dev);
	d->coherent_mask = device->dev->coherent_dma_mask;
	d->max_seg_size = dma_get_max_seg_size(device->dev);
	d->seg_boundary = dma_get_seg_boundary(device->dev);
	d->coherent = device->dev->dma_coherent;
	d->iommu = device->dev->iommu_domain != NULL;
}

/* Called for each device under the registry lock: copy, never call back in. */
static int snapshot_device(struct dma_device *device, void *arg)
{
	struct dmactl_snapshot *snap = arg;
	struct dmactl_dev *devs, *d;
	struct dma_chan *chan;
	unsigned int n = 0;

	devs = realloc(snap->devs, (snap->nr_devs + 1) * sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	snap->devs = devs;
	d = &devs[snap->nr_devs];
	memset(d, 0, sizeof(*d));
	snap->nr_devs++;
	snapshot_device_fields(d, device);
	list_for_each_entry(chan, &device->channels, device_node)
		n++;
	d->chans = calloc(n ? n : 1, sizeof(*d->chans));
	if (!d->chans)
		return -ENOMEM;
	d->slave_ret = -ENODEV; /* no channel to ask */
	list_for_each_entry(chan, &device->channels, device_node) {
		if (!d->nr_chans)
			d->slave_ret = dma_get_slave_caps(chan, &d->slave);
		snapshot_chan(&d->chans[d->nr_chans++], chan);
	}
	return 0;
}

/* One attribute's text, or "" when the channel went away meanwhile. */
static void read_attr(char *buf, const char *chan, const char *attr)
{
	if (dmaengine_chan_attr(chan, attr, buf, DMACTL_ATTR_MAX) < 0)
		buf[0] = '\0';
}

/**
 * dmactl_snapshot_take - copy every registered device and channel into @snap.
 * @return 0, or -ENOMEM (@snap is then freed).
 */
int dmactl_snapshot_take(struct dmactl_snapshot *snap)
{
	int ret;

	memset(snap, 0, sizeof(*snap));
	ret = dmaengine_for_each_device(snapshot_device, snap);
	if (ret) {
		dmactl_snapshot_free(snap);
		return ret;
	}
	for (unsigned int i = 0; i < snap->nr_devs; i++) {
		for (unsigned int j = 0; j < snap->devs[i].nr_chans; j++) {
			struct dmactl_chan *c = &snap->devs[i].chans[j];

			read_attr(c->memcpy_count, c->name, "memcpy_count");
			read_attr(c->bytes_transferred, c->name, "bytes_transferred");
			read_attr(c->in_use, c->name, "in_use");
		}
	}
	return 0;
}

void dmactl_snapshot_free(struct dmactl_snapshot *snap)
{
	for (unsigned int i = 0; i < snap->nr_devs; i++)
		free(snap->devs[i].chans);
	free(snap->devs);
	snap->devs = NULL;
	snap->nr_devs = 0;
}

/** The device called @name ("dma0" or its device name "cpu-dma.0"), or NULL. */
const struct dmactl_dev *dmactl_snapshot_find(const struct dmactl_snapshot *snap,
					      const char *name)
{
	char id[DMACTL_NAME_MAX];

	for (unsigned int i = 0; i < snap->nr_devs; i++) {
		snprintf(id, sizeof(id), "dma%d", snap->devs[i].dev_id);
		if (!strcmp(name, id) || !strcmp(name, snap->devs[i].name))
			return &snap->devs[i];
	}
	return NULL;
}
