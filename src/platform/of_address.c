// SPDX-License-Identifier: MIT
/*
 * of_address.c - addresses in the device tree, as the kernel's
 * drivers/of/address.c reads them for a generic bus: #address-cells and
 * #size-cells, reg entries translated through every parent's ranges into
 * CPU addresses, dma-ranges, dma-coherent. PCI and ISA buses and the
 * flags-cell bus are not handled: every bus translates as a plain one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmaengine/os.h>

#include "platform/of_private.h"

#define OF_PATH_MAX 256 /* enough of a path for a message */

/* of_bus_cells - @name on @np or the nearest parent that has it, else @dflt. */
static int of_bus_cells(const struct device_node *np, const char *name, int dflt)
{
	u32 cells;

	for (; np; np = np->parent)
		if (!of_property_read_u32(np, name, &cells))
			return (int)cells;
	return dflt;
}

DMAE_EXPORT int dmae_of_n_addr_cells(const struct device_node *np)
{
	if (np && np->parent)
		np = np->parent;
	return of_bus_cells(np, "#address-cells", 2);
}

DMAE_EXPORT int dmae_of_n_size_cells(const struct device_node *np)
{
	if (np && np->parent)
		np = np->parent;
	return of_bus_cells(np, "#size-cells", 1);
}

/*
 * of_cells_ok - whether @na address and @ns size cells can be translated.
 * An address of 0 cells or a size of 0 cells is a boundary no address
 * crosses (cpus); counts beyond what a bus can hold are malformed: one line.
 */
static bool of_cells_ok(const struct device_node *bus, int na, int ns)
{
	char path[OF_PATH_MAX];

	if (na > DMAE_OF_MAX_ADDR_CELLS || na < 0 || ns > DMAE_OF_MAX_ADDR_CELLS || ns < 0) {
		pr_err("OF: %s: bad cell count (#address-cells %d, #size-cells %d)",
		       dmae_of_node_path(bus, path, sizeof(path)), na, ns);
		return false;
	}
	return na > 0 && ns > 0;
}

/* of_bus_map - the offset of @addr into the ranges entry @range, or OF_BAD_ADDR. */
static u64 of_bus_map(const __be32 *addr, const __be32 *range, int na, int ns, int pna)
{
	u64 cp = dmae__of_read_number(range, na);
	u64 s = dmae__of_read_number(range + na + pna, ns);
	u64 da = dmae__of_read_number(addr, na);

	if (da < cp || da - cp >= s)
		return OF_BAD_ADDR;
	return da - cp;
}

/* of_bus_translate - add @offset to the @na-cell address @addr. */
static void of_bus_translate(__be32 *addr, u64 offset, int na)
{
	u64 a = dmae__of_read_number(addr, na) + offset;

	memset(addr, 0, (size_t)na * 4);
	if (na > 1)
		addr[na - 2] = cpu_to_be32((u32)(a >> 32));
	addr[na - 1] = cpu_to_be32((u32)a);
}

/*
 * of_translate_one - move @addr from @bus's child address space to its
 * parent's through @bus's @rprop. Empty ranges: 1:1; missing ranges: not
 * translatable, except missing dma-ranges (1:1, as in the kernel). Returns
 * 0, or 1 when @addr does not translate.
 */
static int of_translate_one(const struct device_node *bus, __be32 *addr, int na, int ns,
			    int pna, const char *rprop)
{
	struct property *pp = dmae_of_find_property(bus, rprop, NULL);
	const __be32 *ranges;
	u64 offset = OF_BAD_ADDR;
	int rlen, rone;

	if (!pp && strcmp(rprop, "dma-ranges"))
		return 1;
	if (!pp || !pp->length) {
		offset = dmae__of_read_number(addr, na);
		memset(addr, 0, (size_t)pna * 4);
		goto finish;
	}
	ranges = pp->value;
	rlen = pp->length / 4;
	rone = na + pna + ns;
	for (; rlen >= rone; rlen -= rone, ranges += rone) {
		offset = of_bus_map(addr, ranges, na, ns, pna);
		if (offset != OF_BAD_ADDR)
			break;
	}
	if (offset == OF_BAD_ADDR)
		return 1;
	memcpy(addr, ranges + na, (size_t)pna * 4);
finish:
	of_bus_translate(addr, offset, pna);
	return 0;
}

/*
 * of_translate - the CPU address of the address at @in (of @np's bus; up to
 * @in_end, NULL: unbounded), through every parent's @rprop.
 */
static u64 of_translate(const struct device_node *np, const __be32 *in, const __be32 *in_end,
			const char *rprop)
{
	const struct device_node *dev = np, *parent = np->parent;
	__be32 addr[DMAE_OF_MAX_ADDR_CELLS];
	char path[OF_PATH_MAX];
	int na, ns, pna, pns;

	if (!parent)
		return OF_BAD_ADDR;
	na = dmae_of_n_addr_cells(dev);
	ns = dmae_of_n_size_cells(dev);
	if (!of_cells_ok(parent, na, ns))
		return OF_BAD_ADDR;
	if (in_end && in_end - in < na) {
		pr_err("OF: %s: address of %d cells cut short at %td", dmae_of_node_path(np, path,
		       sizeof(path)), na, in_end - in);
		return OF_BAD_ADDR;
	}
	memcpy(addr, in, (size_t)na * 4);
	for (;;) {
		dev = parent;
		parent = dev->parent;
		if (!parent)
			return dmae__of_read_number(addr, na);
		pna = dmae_of_n_addr_cells(dev);
		pns = dmae_of_n_size_cells(dev);
		if (!of_cells_ok(parent, pna, pns))
			return OF_BAD_ADDR;
		if (of_translate_one(dev, addr, na, ns, pna, rprop)) {
			pr_debug("OF: %s: no %s translates the address", dmae_of_node_path(dev, path,
				 sizeof(path)), rprop);
			return OF_BAD_ADDR;
		}
		na = pna;
		ns = pns;
	}
}

/* of_prop_cells_end - one past the cells of @pp from @addr on, if @addr is inside it. */
static const __be32 *of_prop_cells_end(const struct property *pp, const __be32 *addr)
{
	const char *start = pp->value, *a = (const char *)addr;

	if (!start || a < start || a >= start + pp->length)
		return NULL;
	return addr + (start + pp->length - a) / 4;
}

const __be32 *dmae__of_cells_end(const struct device_node *np, const __be32 *addr,
				 bool *inside)
{
	const struct dmae_of_tree *tree = np->tree;
	const char *a = (const char *)addr, *blob = tree->blob;
	const __be32 *end;

	for (const struct property *pp = np->properties; pp; pp = pp->next)
		if ((end = of_prop_cells_end(pp, addr)))
			goto found;
	for (unsigned int i = 0; i < tree->nr_props; i++)
		if ((end = of_prop_cells_end(&tree->props[i], addr)))
			goto found;
	/* Inside the blob but in no property: there are no cells to read there. */
	*inside = a >= blob && a < blob + tree->size;
	return NULL;
found:
	*inside = true;
	return end;
}

DMAE_EXPORT u64 dmae_of_translate_address(const struct device_node *np, const __be32 *addr)
{
	const __be32 *end;
	bool inside;

	if (!np || !addr)
		return OF_BAD_ADDR;
	end = dmae__of_cells_end(np, addr, &inside);
	if (inside && !end)
		return OF_BAD_ADDR;
	return of_translate(np, addr, end, "ranges");
}

/* of_reg_entry - entry @index of @np's reg: its address cells and size; NULL if none. */
static const __be32 *of_reg_entry(const struct device_node *np, int index, u64 *size,
				  const __be32 **end)
{
	struct property *pp = dmae_of_find_property(np, "reg", NULL);
	char path[OF_PATH_MAX];
	const __be32 *entry;
	u64 whole;
	int na, ns;

	if (!np->parent || !pp || index < 0)
		return NULL;
	na = dmae_of_n_addr_cells(np);
	ns = dmae_of_n_size_cells(np);
	if (na > DMAE_OF_MAX_ADDR_CELLS || na <= 0 || ns > DMAE_OF_MAX_ADDR_CELLS || ns < 0) {
		of_cells_ok(np->parent, na, ns);
		return NULL;
	}
	whole = (u64)pp->length / 4 / (u64)(na + ns);
	if (whole <= (u64)index) {
		if (whole == (u64)index && pp->length % (4 * (na + ns)))
			pr_err("OF: %s: reg entry %d is cut short (%d bytes for %d-cell entries)",
			       dmae_of_node_path(np, path, sizeof(path)), index, pp->length,
			       na + ns);
		return NULL;
	}
	entry = (const __be32 *)pp->value + (size_t)index * (size_t)(na + ns);
	*size = dmae__of_read_number(entry + na, ns);
	*end = (const __be32 *)pp->value + pp->length / 4;
	return entry;
}

DMAE_EXPORT int dmae_of_address_to_resource(const struct device_node *np, int index,
					    struct resource *r)
{
	const __be32 *entry, *end;
	const char *name = NULL;
	u64 taddr, size;

	if (!np || !r)
		return -EINVAL;
	entry = of_reg_entry(np, index, &size, &end);
	if (!entry)
		return -EINVAL;
	dmae_of_property_read_string_helper(np, "reg-names", &name, 1, index);
	taddr = of_translate(np, entry, end, "ranges");
	if (taddr == OF_BAD_ADDR)
		return -EINVAL;
	if (size && taddr + size - 1 < taddr)
		return -EOVERFLOW;
	memset(r, 0, sizeof(*r));
	r->start = taddr;
	r->end = taddr + size - 1;
	r->flags = IORESOURCE_MEM;
	r->name = name ? name : np->full_name;
	return 0;
}

DMAE_EXPORT bool dmae_of_dma_is_coherent(const struct device_node *np)
{
	for (; np; np = np->parent) {
		if (dmae_of_find_property(np, "dma-coherent", NULL))
			return true;
		if (dmae_of_find_property(np, "dma-noncoherent", NULL))
			return false;
	}
	return false;
}

/* of_dma_ranges_node - the bus whose dma-ranges apply to @np's children, or NULL. */
static const struct device_node *of_dma_ranges_node(const struct device_node *np)
{
	bool found = false;

	/* As the kernel's of_dma_get_range: empty ones are skipped; a missing one after the first stops. */
	for (; np; np = np->parent) {
		struct property *pp = dmae_of_find_property(np, "dma-ranges", NULL);

		if (pp && pp->length > 0)
			return np;
		if (found && !pp)
			return NULL;
		found = true;
	}
	return NULL;
}

/* The kernel's struct of_range, one entry (or contiguous entries) of dma-ranges. */
struct of_dma_range {
	u64 bus;  /* child bus address */
	u64 cpu;  /* CPU address, or OF_BAD_ADDR */
	u64 size; /* bytes */
};

/* of_dma_range_read - the entry at @p (@nc cells of which @na child, @pna parent). */
static void of_dma_range_read(const struct device_node *bus, const __be32 *p,
			      const __be32 *end, int na, int pna, int ns,
			      struct of_dma_range *r)
{
	r->bus = dmae__of_read_number(p, na);
	r->cpu = of_translate(bus, p + na, end, "dma-ranges");
	r->size = dmae__of_read_number(p + na + pna, ns);
}

/* of_dma_range_next - the next range at *@p, merged with the contiguous ones after it. */
static bool of_dma_range_next(const struct device_node *bus, const __be32 **p,
			      const __be32 *end, int na, int pna, int ns,
			      struct of_dma_range *r)
{
	int nc = na + pna + ns;
	struct of_dma_range next;

	if (end - *p < nc)
		return false;
	of_dma_range_read(bus, *p, end, na, pna, ns, r);
	for (*p += nc; end - *p >= nc; *p += nc) {
		of_dma_range_read(bus, *p, end, na, pna, ns, &next);
		if (next.bus != r->bus + r->size || next.cpu != r->cpu + r->size)
			break;
		r->size += next.size;
	}
	return true;
}

DMAE_EXPORT int dmae_of_dma_get_range(const struct device_node *np, u64 *dma_start, u64 *paddr,
				      u64 *size)
{
	const struct device_node *bus;
	const __be32 *p, *end;
	struct property *pp;
	struct of_dma_range r;
	char path[OF_PATH_MAX];
	int na, pna, ns;

	if (dma_start)
		*dma_start = 0;
	if (paddr)
		*paddr = 0;
	if (size)
		*size = 0;
	bus = np ? of_dma_ranges_node(np->parent) : NULL;
	if (!bus)
		return -ENODEV;
	na = of_bus_cells(bus, "#address-cells", 2);
	ns = of_bus_cells(bus, "#size-cells", 1);
	pna = dmae_of_n_addr_cells(bus);
	if (na <= 0 || na > DMAE_OF_MAX_ADDR_CELLS || pna <= 0 ||
	    pna > DMAE_OF_MAX_ADDR_CELLS || ns < 0 || ns > DMAE_OF_MAX_ADDR_CELLS) {
		pr_err("OF: %s: dma-ranges: bad cell count (#address-cells %d, parent's %d, "
		       "#size-cells %d)", dmae_of_node_path(bus, path, sizeof(path)), na, pna, ns);
		return -EINVAL;
	}
	pp = dmae_of_find_property(bus, "dma-ranges", NULL);
	p = pp->value;
	end = p + pp->length / 4;
	if (end - p < na + pna + ns) {
		pr_err("OF: %s: dma-ranges of %d bytes holds no %d-cell entry",
		       dmae_of_node_path(bus, path, sizeof(path)), pp->length, na + pna + ns);
		return -EINVAL;
	}
	/* As the kernel: an entry whose CPU address does not translate is skipped, with a line. */
	while (of_dma_range_next(bus, &p, end, na, pna, ns, &r)) {
		if (r.cpu == OF_BAD_ADDR) {
			pr_err("OF: translation of DMA address(%llx) to CPU address failed node(%s)",
			       (unsigned long long)r.bus, dmae_of_node_path(bus, path, sizeof(path)));
			continue;
		}
		if (dma_start)
			*dma_start = r.bus;
		if (paddr)
			*paddr = r.cpu;
		if (size)
			*size = r.size;
		return 0;
	}
	return -EINVAL;
}
