// SPDX-License-Identifier: MIT
/*
 * stm32-dma-bus.c - the STM32 DMA model's data path: the stream FIFOs, its
 * accesses as a bus master, the copies of a run worked out at once, and
 * what it knows of the board's RAM (read from the tree, so that a plan can
 * tell which beat the bus will refuse without touching the bus).
 */
#include <string.h>

#include "stm32-dma-hw.h"

#define COPY_PIECE 4096u /* a run's copy goes in pieces that never cross a page */

/* ---------------------------------------------------------------- FIFO */

void stm32_dma_hw_fifo_push(struct stm32_dma_hw_stream *s, const u8 *buf, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		s->fifo[(s->head + s->level + i) % STM32_DMA_HW_FIFO] = buf[i];
	s->level = (u8)(s->level + len);
}

/*
 * Past the level, the bytes are what the FIFO held there before: a flush's
 * last unit written at MSIZE carries them (RM0090 10.3.12, "memory is
 * written with an undesired value").
 */
void stm32_dma_hw_fifo_peek(const struct stm32_dma_hw_stream *s, u8 *buf, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		buf[i] = s->fifo[(s->head + i) % STM32_DMA_HW_FIFO];
}

/* ----------------------------------------------------------------- bus */

int stm32_dma_hw_bus(struct stm32_dma_hw *d, bool write, u64 addr, u8 *buf, unsigned int len,
		     unsigned int width)
{
	int ret = write ? dmae_hw_bus_write(d->hw, addr, buf, len, width) :
			  dmae_hw_bus_read(d->hw, addr, buf, len, width);

	return ret ? -EFAULT : 0;
}

static u64 piece(u64 dst, u64 src, u64 left)
{
	u64 n = left < COPY_PIECE ? left : COPY_PIECE;
	u64 to_page = COPY_PIECE - (src % COPY_PIECE), to_dpage = COPY_PIECE - (dst % COPY_PIECE);

	n = n < to_page ? n : to_page;
	return n < to_dpage ? n : to_dpage;
}

u64 stm32_dma_hw_stream_copy(struct stm32_dma_hw *d, u64 dst, u64 src, u64 len)
{
	u8 buf[COPY_PIECE];
	u64 done = 0;

	while (done < len) {
		u64 n = piece(dst + done, src + done, len - done);

		if (dmae_hw_bus_read(d->hw, src + done, buf, n, 4) ||
		    dmae_hw_bus_write(d->hw, dst + done, buf, n, 4))
			break;
		done += n;
	}
	return done;
}

/* ------------------------------------------------------------------ RAM */

static void add_ram(struct stm32_dma_hw *d, const struct resource *res)
{
	if (d->nr_ram == STM32_DMA_HW_RAM)
		return;
	d->ram[d->nr_ram].start = res->start;
	d->ram[d->nr_ram].end = res->end + 1;
	d->nr_ram++;
}

static bool is_memory_node(const struct device_node *np)
{
	const char *type;

	return !of_property_read_string(np, "device_type", &type) && !strcmp(type, "memory");
}

/* The RAM a board makes of its tree: every reg of the memory nodes, each mmio-sram. */
static void scan(struct stm32_dma_hw *d, const struct device_node *np)
{
	struct resource res;
	struct device_node *c;

	if (is_memory_node(np)) {
		for (int i = 0; !of_address_to_resource(np, i, &res); i++)
			add_ram(d, &res);
	} else if (of_device_is_compatible(np, "mmio-sram") && of_device_is_available(np) &&
		   !of_address_to_resource(np, 0, &res)) {
		add_ram(d, &res);
	}
	for (c = np->child; c; c = c->sibling)
		scan(d, c);
}

void stm32_dma_hw_ram_scan(struct stm32_dma_hw *d)
{
	const struct device_node *root = dmae_hw_node(d->hw);
	struct device *master = dmae_hw_master(d->hw);

	while (root->parent)
		root = root->parent;
	d->nr_ram = 0;
	scan(d, root);
	d->mask = master->dma_mask ? *master->dma_mask : 0xffffffffull;
}

bool stm32_dma_hw_is_ram(const struct stm32_dma_hw *d, u64 addr, u64 len)
{
	u64 last = addr + len - 1;

	if (!len || last < addr || last > d->mask)
		return false;
	for (unsigned int i = 0; i < d->nr_ram; i++)
		if (addr >= d->ram[i].start && last < d->ram[i].end)
			return true;
	return false;
}
