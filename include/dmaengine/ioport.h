/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/ioport.h - struct resource, as the kernel's linux/ioport.h: a
 * range of a board's physical address space (registers or memory) or an
 * interrupt line, as a platform device's resources describe them.
 *
 * For drivers.
 */
#ifndef DMAENGINE_IOPORT_H
#define DMAENGINE_IOPORT_H

#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

typedef u64 resource_size_t;

#define IORESOURCE_TYPE_BITS 0x00001f00 /* the resource's type */
#define IORESOURCE_IO 0x00000100	/* port I/O (unused here) */
#define IORESOURCE_MEM 0x00000200	/* memory-mapped: registers or memory */
#define IORESOURCE_REG 0x00000300	/* register offsets */
#define IORESOURCE_IRQ 0x00000400	/* an interrupt line (start = Linux irq number) */
#define IORESOURCE_DMA 0x00000800	/* a DMA request line */

struct resource {
	resource_size_t start; /* first address (or irq number) */
	resource_size_t end;   /* last address, inclusive */
	const char *name;      /* reg-names entry, or the node's full name */
	unsigned long flags;   /* IORESOURCE_* */
};

#define DEFINE_RES_NAMED(_start, _size, _name, _flags) \
	((struct resource){ .start = (_start), .end = (_start) + (_size) - 1, \
			    .name = (_name), .flags = (_flags) })
#define DEFINE_RES_MEM(_start, _size) DEFINE_RES_NAMED((_start), (_size), NULL, IORESOURCE_MEM)
#define DEFINE_RES_IRQ(_irq) DEFINE_RES_NAMED((_irq), 1, NULL, IORESOURCE_IRQ)

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

static inline unsigned long resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}

DMAE_END_DECLS

#endif /* DMAENGINE_IOPORT_H */
