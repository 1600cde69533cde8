// SPDX-License-Identifier: MIT
/*
 * of_irq.c - interrupt specifiers, as the kernel's drivers/of/irq.c reads
 * them: interrupts-extended, or interrupts with the interrupt parent found
 * upwards (interrupt-parent, else the parent node) and its #interrupt-cells,
 * followed up to the interrupt controller. interrupt-map (nexus nodes) is
 * not handled: a specifier that would need it gets -EINVAL.
 */
#include <errno.h>
#include <stdio.h>

#include <dmaengine/os.h>

#include "platform/of_private.h"

#define OF_PATH_MAX 256 /* enough of a path for a message */

/*
 * of_irq_find_parent - the kernel's of_irq_find_parent: from @child, follow
 * interrupt-parent (else the parent node) to the first node with
 * #interrupt-cells, into *@parent. 0; -ENOENT when there is none; -EINVAL
 * (one line) for an interrupt-parent to no node or a chain that goes round
 * in a loop.
 */
static int of_irq_find_parent(const struct device_node *child, struct device_node **parent)
{
	unsigned int steps = child->tree->nr_nodes;
	char path[OF_PATH_MAX];
	struct device_node *p;

	do {
		u32 ph;

		if (of_property_read_u32(child, "interrupt-parent", &ph)) {
			p = child->parent;
		} else if (!(p = dmae__of_find_phandle(child->tree, ph))) {
			pr_err("OF: %s: interrupt-parent %u points at no node",
			       dmae_of_node_path(child, path, sizeof(path)), ph);
			return -EINVAL;
		}
		child = p;
	} while (p && !dmae_of_find_property(p, "#interrupt-cells", NULL) && steps--);
	if (p && !dmae_of_find_property(p, "#interrupt-cells", NULL)) {
		pr_err("OF: %s: interrupt-parent links go round in a loop",
		       dmae_of_node_path(p, path, sizeof(path)));
		return -EINVAL;
	}
	*parent = p;
	return p ? 0 : -ENOENT;
}

/*
 * of_irq_parse_raw - follow @out's specifier from its parent up to an
 * interrupt controller, as the kernel's of_irq_parse_raw does for a tree
 * without interrupt-map. 0; -EINVAL (no #interrupt-cells, a specifier of
 * the wrong size, an interrupt-map, a malformed parent chain); -ENOENT (no
 * controller upwards).
 */
static int of_irq_parse_raw(struct of_phandle_args *out)
{
	struct device_node *ipar = out->np;
	unsigned int steps = ipar->tree->nr_nodes;
	char path[OF_PATH_MAX];
	u32 intsize;
	int ret;

	if (of_property_read_u32(ipar, "#interrupt-cells", &intsize)) {
		ret = of_irq_find_parent(ipar, &ipar);
		if (ret || of_property_read_u32(ipar, "#interrupt-cells", &intsize))
			return -EINVAL;
	}
	if ((u32)out->args_count != intsize)
		return -EINVAL;
	while (steps--) {
		if (dmae_of_find_property(ipar, "interrupt-map", NULL)) {
			pr_err("OF: %s: interrupt-map is not supported",
			       dmae_of_node_path(ipar, path, sizeof(path)));
			return -EINVAL;
		}
		if (dmae_of_find_property(ipar, "interrupt-controller", NULL)) {
			out->np = ipar;
			return 0;
		}
		ret = of_irq_find_parent(ipar, &ipar);
		if (ret)
			return ret;
	}
	return -ENOENT;
}

/* of_irq_parse_interrupts - specifier @index of @np's interrupts, sized by its parent. */
static int of_irq_parse_interrupts(const struct device_node *np, int index,
				   struct of_phandle_args *out)
{
	char path[OF_PATH_MAX];
	struct device_node *p;
	u32 intsize;
	int ret;

	ret = of_irq_find_parent(np, &p);
	if (ret == -ENOENT && dmae_of_find_property(np, "interrupts", NULL))
		pr_err("OF: %s: interrupts without an interrupt parent",
		       dmae_of_node_path(np, path, sizeof(path)));
	if (ret || of_property_read_u32(p, "#interrupt-cells", &intsize))
		return -EINVAL;
	if (intsize > MAX_PHANDLE_ARGS) {
		pr_err("OF: %s: #interrupt-cells = %u is more than %d",
		       dmae_of_node_path(p, path, sizeof(path)), intsize, MAX_PHANDLE_ARGS);
		return -EINVAL;
	}
	out->np = p;
	out->args_count = (int)intsize;
	for (u32 i = 0; i < intsize; i++) {
		u64 cell = (u64)index * intsize + i;

		if (cell > UINT32_MAX)
			return -EOVERFLOW;
		ret = dmae_of_property_read_u32_index(np, "interrupts", (u32)cell, &out->args[i]);
		if (ret)
			return ret;
	}
	return 0;
}

DMAE_EXPORT int dmae_of_irq_parse_one(const struct device_node *np, int index,
				      struct of_phandle_args *out_irq)
{
	int ret;

	if (!np || !out_irq || index < 0)
		return -EINVAL;
	ret = dmae_of_parse_phandle_with_args(np, "interrupts-extended", "#interrupt-cells", -1,
					      index, out_irq);
	if (!ret)
		return of_irq_parse_raw(out_irq);
	ret = of_irq_parse_interrupts(np, index, out_irq);
	if (ret)
		return ret;
	return of_irq_parse_raw(out_irq);
}

DMAE_EXPORT int dmae_of_irq_count(const struct device_node *np)
{
	struct of_phandle_args irq;
	int nr = 0;

	while (nr < INT32_MAX && !dmae_of_irq_parse_one(np, nr, &irq))
		nr++;
	return nr;
}
