// SPDX-License-Identifier: MIT
/*
 * summary.c - the debugfs summary text and the sysfs channel attributes, in
 * the kernel's exact formats.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

DMAE_EXPORT void dmae_seq_printf(struct seq_file *s, const char *fmt, ...)
{
	size_t room = s->count < s->size ? s->size - s->count : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? s->buf + s->count : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->count += (size_t)n;
}

DMAE_EXPORT void dmae_seq_puts(struct seq_file *s, const char *str)
{
	seq_printf(s, "%s", str);
}

static void dbg_summary_show(struct seq_file *s, struct dma_device *dma_dev)
{
	struct dma_chan *chan;

	list_for_each_entry(chan, &dma_dev->channels, device_node) {
		if (!chan->client_count)
			continue;
		seq_printf(s, " %-13s| %s", dma_chan_name(chan),
			   chan->dbg_client_name ? chan->dbg_client_name : "in-use");
		if (chan->router)
			seq_printf(s, " (via router: %s)\n", dev_name(chan->router->dev));
		else
			seq_puts(s, "\n");
	}
}

DMAE_EXPORT size_t dmaengine_summary(char *buf, size_t size)
{
	struct seq_file s = { buf, size, 0 };
	struct dma_device *dma_dev;

	if (buf && size)
		buf[0] = '\0';
	mutex_lock(&dmae__list_mutex);
	list_for_each_entry(dma_dev, &dmae__device_list, global_node) {
		seq_printf(&s, "dma%d (%s): number of channels: %u\n", dma_dev->dev_id,
			   dev_name(dma_dev->dev), dma_dev->chancnt);
		if (dma_dev->dbg_summary_show)
			dma_dev->dbg_summary_show(&s, dma_dev);
		else
			dbg_summary_show(&s, dma_dev);
		if (!list_is_last(&dma_dev->global_node, &dmae__device_list))
			seq_puts(&s, "\n");
	}
	mutex_unlock(&dmae__list_mutex);
	return s.count;
}

DMAE_EXPORT int dmaengine_summary_print(FILE *f)
{
	size_t len = dmaengine_summary(NULL, 0);
	char *buf = malloc(len + 64);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	len = dmaengine_summary(buf, len + 64);
	if (fwrite(buf, 1, strlen(buf), f) != strlen(buf))
		ret = -EIO;
	free(buf);
	return ret;
}

/* The registered channel called @name, or NULL. Lock held. */
static struct dma_chan *chan_by_name(const char *name)
{
	struct dma_device *device;
	struct dma_chan *chan;

	list_for_each_entry(device, &dmae__device_list, global_node)
		list_for_each_entry(chan, &device->channels, device_node)
			if (chan->dev && chan->dev->chan && !strcmp(dma_chan_name(chan), name))
				return chan;
	return NULL;
}

DMAE_EXPORT ssize_t dmaengine_chan_attr(const char *chan_name, const char *attr, char *buf,
					size_t size)
{
	struct dma_chan *chan;
	int n;

	if (!chan_name || !attr || !buf || !size)
		return -EINVAL;
	mutex_lock(&dmae__list_mutex);
	chan = chan_by_name(chan_name);
	if (!chan) {
		mutex_unlock(&dmae__list_mutex);
		return -ENODEV;
	}
	if (!strcmp(attr, "memcpy_count"))
		n = snprintf(buf, size, "%lu\n",
			     __atomic_load_n(&chan->local->memcpy_count, __ATOMIC_RELAXED));
	else if (!strcmp(attr, "bytes_transferred"))
		n = snprintf(buf, size, "%lu\n",
			     __atomic_load_n(&chan->local->bytes_transferred, __ATOMIC_RELAXED));
	else if (!strcmp(attr, "in_use"))
		n = snprintf(buf, size, "%d\n", chan->client_count);
	else
		n = -ENOENT;
	mutex_unlock(&dmae__list_mutex);
	if (n >= 0 && (size_t)n >= size)
		return -EINVAL;
	return n;
}
