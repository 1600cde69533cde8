// SPDX-License-Identifier: MIT
/*
 * list.c - the list command: each device with what its struct dma_device,
 * its struct device and dma_get_slave_caps() say, and each channel with its
 * sysfs attributes; as text (docs/dmactl.md) or as JSON (--json).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "dmactl.h"

static const char *const align_names[4] = { "copy_align", "xor_align", "pq_align",
					    "fill_align" };

static const char *direction_name(unsigned int dir)
{
	static const char *const names[] = { "DMA_MEM_TO_MEM", "DMA_MEM_TO_DEV", "DMA_DEV_TO_MEM",
					     "DMA_DEV_TO_DEV", "DMA_TRANS_NONE" };

	return dir < sizeof(names) / sizeof(names[0]) ? names[dir] : "DMA_UNKNOWN";
}

static const char *residue_name(enum dma_residue_granularity g)
{
	switch (g) {
	case DMA_RESIDUE_GRANULARITY_DESCRIPTOR:
		return "DMA_RESIDUE_GRANULARITY_DESCRIPTOR";
	case DMA_RESIDUE_GRANULARITY_SEGMENT:
		return "DMA_RESIDUE_GRANULARITY_SEGMENT";
	case DMA_RESIDUE_GRANULARITY_BURST:
		return "DMA_RESIDUE_GRANULARITY_BURST";
	}
	return "DMA_RESIDUE_GRANULARITY_UNKNOWN";
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* Why a device has no slave caps, from dma_get_slave_caps()'s error. */
static const char *slave_caps_why(const struct dmactl_dev *d)
{
	if (d->slave_ret == -ENODEV)
		return "no channel";
	if (dma_has_cap(DMA_SLAVE, d->caps) || dma_has_cap(DMA_CYCLIC, d->caps))
		return "no directions reported";
	return "memory to memory";
}

/* A counter attribute's value ("%lu\n" text), or -1 when it could not be read. */
static long long attr_value(const char *text)
{
	char *end;
	unsigned long long v;

	if (!text[0])
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text)
		return -1;
	return (long long)v;
}

/* ---------------------------------------------------------------- text */

static void text_bits(FILE *f, const char *key, u32 bits, bool widths)
{
	bool any = false;

	fprintf(f, "    %s:", key);
	for (unsigned int i = 0; i < 32; i++) {
		if (!(bits & (1u << i)))
			continue;
		if (widths)
			fprintf(f, " %u", i);
		else
			fprintf(f, " %s", direction_name(i));
		any = true;
	}
	fputs(any ? (widths ? " (bytes)\n" : "\n") : " none\n", f);
}

static void text_slave_caps(FILE *f, const struct dmactl_dev *d)
{
	const struct dma_slave_caps *s = &d->slave;

	if (d->slave_ret) {
		fprintf(f, "  slave_caps: n/a (%s)\n", slave_caps_why(d));
		return;
	}
	fputs("  slave_caps:\n", f);
	text_bits(f, "directions", s->directions, false);
	text_bits(f, "src_addr_widths", s->src_addr_widths, true);
	text_bits(f, "dst_addr_widths", s->dst_addr_widths, true);
	fprintf(f, "    min_burst: %u\n    max_burst: %u\n    max_sg_burst: %u\n", s->min_burst,
		s->max_burst, s->max_sg_burst);
	fprintf(f, "    cmd_pause: %s\n    cmd_resume: %s\n    cmd_terminate: %s\n",
		yes_no(s->cmd_pause), yes_no(s->cmd_resume), yes_no(s->cmd_terminate));
	fprintf(f, "    residue_granularity: %s\n    descriptor_reuse: %s\n",
		residue_name(s->residue_granularity), yes_no(s->descriptor_reuse));
}

static void text_caps(FILE *f, const struct dmactl_dev *d)
{
	unsigned int cap;

	fputs("  capabilities:", f);
	for_each_dma_cap_mask(cap, d->caps)
		fprintf(f, " %s", dma_cap_name((enum dma_transaction_type)cap));
	fputs("\n", f);
}

static void text_metadata(FILE *f, const struct dmactl_dev *d)
{
	fputs("  metadata_modes:", f);
	if (d->metadata_modes & DESC_METADATA_CLIENT)
		fputs(" DESC_METADATA_CLIENT", f);
	if (d->metadata_modes & DESC_METADATA_ENGINE)
		fputs(" DESC_METADATA_ENGINE", f);
	if (!(d->metadata_modes & (DESC_METADATA_CLIENT | DESC_METADATA_ENGINE)))
		fputs(" none", f);
	fputs("\n", f);
}

static void text_attr(FILE *f, const char *text, int width)
{
	long long v = attr_value(text);

	if (v < 0)
		fprintf(f, " %*s", width, "-");
	else
		fprintf(f, " %*lld", width, v);
}

static void text_channels(FILE *f, const struct dmactl_dev *d)
{
	fprintf(f, "  %-13s %12s %17s %6s  %s\n", "channel", "memcpy_count", "bytes_transferred",
		"in_use", "client");
	for (unsigned int i = 0; i < d->nr_chans; i++) {
		const struct dmactl_chan *c = &d->chans[i];

		fprintf(f, "  %-13s", c->name);
		text_attr(f, c->memcpy_count, 12);
		text_attr(f, c->bytes_transferred, 17);
		text_attr(f, c->in_use, 6);
		fprintf(f, "  %s", c->client[0] ? c->client : "-");
		if (c->router[0])
			fprintf(f, " (via router: %s)", c->router);
		fputs("\n", f);
	}
}

static void text_device(FILE *f, const struct dmactl_dev *d)
{
	fprintf(f, "dma%d (%s): number of channels: %u\n", d->dev_id, d->name, d->chancnt);
	fprintf(f, "  driver: %s\n", d->driver);
	text_caps(f, d);
	fprintf(f, "  max_xor: %u\n", d->max_xor);
	fprintf(f, "  max_pq: %u%s\n", d->max_pq, d->pq_continue ? " (DMA_HAS_PQ_CONTINUE)" : "");
	for (unsigned int i = 0; i < 4; i++)
		fprintf(f, "  %s: %u byte%s\n", align_names[i], 1u << d->align[i],
			d->align[i] ? "s" : "");
	fprintf(f, "  descriptor_reuse: %s\n", yes_no(d->descriptor_reuse));
	fprintf(f, "  residue_granularity: %s\n", residue_name(d->residue));
	text_metadata(f, d);
	fprintf(f, "  dma_mask: 0x%llx\n  coherent_dma_mask: 0x%llx\n", d->dma_mask,
		d->coherent_mask);
	fprintf(f, "  max_segment_size: %u\n  segment_boundary_mask: 0x%lx\n", d->max_seg_size,
		d->seg_boundary);
	fprintf(f, "  dma_coherent: %s\n  iommu: %s\n", yes_no(d->coherent), yes_no(d->iommu));
	text_slave_caps(f, d);
	text_channels(f, d);
}

/** dmactl_list_text - every device (or @only), a blank line between devices. */
void dmactl_list_text(FILE *f, const struct dmactl_snapshot *snap, const struct dmactl_dev *only)
{
	bool first = true;

	for (unsigned int i = 0; i < snap->nr_devs; i++) {
		if (only && only != &snap->devs[i])
			continue;
		if (!first)
			fputs("\n", f);
		text_device(f, &snap->devs[i]);
		first = false;
	}
}

/* ---------------------------------------------------------------- JSON */

/* "key": "value", or "key": null for an empty value. */
static void json_str_or_null(FILE *f, const char *key, const char *value)
{
	fprintf(f, "\"%s\": ", key);
	if (value[0])
		json_write_string(f, value);
	else
		fputs("null", f);
}

static void json_bits(FILE *f, const char *key, u32 bits, bool widths)
{
	const char *sep = "";

	fprintf(f, "\"%s\": [", key);
	for (unsigned int i = 0; i < 32; i++) {
		if (!(bits & (1u << i)))
			continue;
		if (widths)
			fprintf(f, "%s%u", sep, i);
		else
			fprintf(f, "%s\"%s\"", sep, direction_name(i));
		sep = ", ";
	}
	fputs("]", f);
}

static void json_slave_caps(FILE *f, const struct dmactl_dev *d)
{
	const struct dma_slave_caps *s = &d->slave;

	if (d->slave_ret) {
		fputs("null", f);
		return;
	}
	fputs("{", f);
	json_bits(f, "directions", s->directions, false);
	fputs(", ", f);
	json_bits(f, "src_addr_widths", s->src_addr_widths, true);
	fputs(", ", f);
	json_bits(f, "dst_addr_widths", s->dst_addr_widths, true);
	fprintf(f, ", \"min_burst\": %u, \"max_burst\": %u, \"max_sg_burst\": %u", s->min_burst,
		s->max_burst, s->max_sg_burst);
	fprintf(f, ", \"cmd_pause\": %s, \"cmd_resume\": %s, \"cmd_terminate\": %s",
		s->cmd_pause ? "true" : "false", s->cmd_resume ? "true" : "false",
		s->cmd_terminate ? "true" : "false");
	fprintf(f, ", \"residue_granularity\": \"%s\", \"descriptor_reuse\": %s}",
		residue_name(s->residue_granularity), s->descriptor_reuse ? "true" : "false");
}

static void json_attr(FILE *f, const char *key, const char *text)
{
	long long v = attr_value(text);

	if (v < 0)
		fprintf(f, ", \"%s\": null", key);
	else
		fprintf(f, ", \"%s\": %lld", key, v);
}

static void json_channel(FILE *f, const struct dmactl_chan *c)
{
	fputs("        {\"name\": ", f);
	json_write_string(f, c->name);
	fprintf(f, ", \"chan_id\": %d", c->chan_id);
	json_attr(f, "memcpy_count", c->memcpy_count);
	json_attr(f, "bytes_transferred", c->bytes_transferred);
	json_attr(f, "in_use", c->in_use);
	fputs(", ", f);
	json_str_or_null(f, "client", c->client);
	fputs(", ", f);
	json_str_or_null(f, "router", c->router);
	fputs("}", f);
}

static void json_caps(FILE *f, const struct dmactl_dev *d)
{
	const char *sep = "";
	unsigned int cap;

	fputs("      \"capabilities\": [", f);
	for_each_dma_cap_mask(cap, d->caps) {
		fprintf(f, "%s\"%s\"", sep, dma_cap_name((enum dma_transaction_type)cap));
		sep = ", ";
	}
	fputs("],\n", f);
}

static void json_metadata(FILE *f, const struct dmactl_dev *d)
{
	fputs("      \"metadata_modes\": [", f);
	if (d->metadata_modes & DESC_METADATA_CLIENT)
		fputs("\"DESC_METADATA_CLIENT\"", f);
	if ((d->metadata_modes & DESC_METADATA_CLIENT) && (d->metadata_modes & DESC_METADATA_ENGINE))
		fputs(", ", f);
	if (d->metadata_modes & DESC_METADATA_ENGINE)
		fputs("\"DESC_METADATA_ENGINE\"", f);
	fputs("],\n", f);
}

static void json_device(FILE *f, const struct dmactl_dev *d)
{
	fprintf(f, "    {\n      \"name\": \"dma%d\",\n      \"dev_id\": %d,\n      \"device\": ",
		d->dev_id, d->dev_id);
	json_write_string(f, d->name);
	fputs(",\n      \"driver\": ", f);
	json_write_string(f, d->driver);
	fprintf(f, ",\n      \"number_of_channels\": %u,\n", d->chancnt);
	json_caps(f, d);
	fprintf(f, "      \"max_xor\": %u,\n      \"max_pq\": %u,\n      \"pq_continue\": %s,\n",
		d->max_xor, d->max_pq, d->pq_continue ? "true" : "false");
	for (unsigned int i = 0; i < 4; i++)
		fprintf(f, "      \"%s\": %u,\n", align_names[i], 1u << d->align[i]);
	fprintf(f, "      \"descriptor_reuse\": %s,\n      \"residue_granularity\": \"%s\",\n",
		d->descriptor_reuse ? "true" : "false", residue_name(d->residue));
	json_metadata(f, d);
	fprintf(f, "      \"dma_mask\": \"0x%llx\",\n      \"coherent_dma_mask\": \"0x%llx\",\n",
		d->dma_mask, d->coherent_mask);
	fprintf(f, "      \"max_segment_size\": %u,\n      \"segment_boundary_mask\": \"0x%lx\",\n",
		d->max_seg_size, d->seg_boundary);
	fprintf(f, "      \"dma_coherent\": %s,\n      \"iommu\": %s,\n      \"slave_caps\": ",
		d->coherent ? "true" : "false", d->iommu ? "true" : "false");
	json_slave_caps(f, d);
	fputs(",\n      \"channels\": [\n", f);
	for (unsigned int i = 0; i < d->nr_chans; i++) {
		json_channel(f, &d->chans[i]);
		fputs(i + 1 < d->nr_chans ? ",\n" : "\n", f);
	}
	fputs("      ]\n    }", f);
}

/** dmactl_list_json - {"devices": [...]}: every device (or @only). */
void dmactl_list_json(FILE *f, const struct dmactl_snapshot *snap, const struct dmactl_dev *only)
{
	bool first = true;

	fputs("{\n  \"devices\": [\n", f);
	for (unsigned int i = 0; i < snap->nr_devs; i++) {
		if (only && only != &snap->devs[i])
			continue;
		if (!first)
			fputs(",\n", f);
		json_device(f, &snap->devs[i]);
		first = false;
	}
	fputs(first ? "  ]\n}\n" : "\n  ]\n}\n", f);
}
