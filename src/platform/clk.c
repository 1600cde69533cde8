// SPDX-License-Identifier: MIT
/*
 * clk.c - a board's clocks: every fixed-clock node of its tree, found by a
 * device's `clocks` and `clock-names`.
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/clk.h>

#include "platform/board.h"

static unsigned int count_fixed(struct device_node *np)
{
	unsigned int n = of_device_is_compatible(np, "fixed-clock") ? 1 : 0;
	struct device_node *c;

	for_each_child_of_node(np, c)
		n += count_fixed(c);
	return n;
}

static void add_fixed(struct dmae_board *b, struct device_node *np)
{
	struct device_node *c;
	u32 rate = 0;

	if (of_device_is_compatible(np, "fixed-clock")) {
		struct clk *clk = &b->clocks[b->nr_clocks++];

		if (of_property_read_u32(np, "clock-frequency", &rate))
			dmae_log(DMAE_LOG_WARN, "board %s: fixed clock %s has no clock-frequency",
				 b->name, np->full_name);
		clk->np = np;
		clk->rate = rate;
		if (of_property_read_string(np, "clock-output-names", &clk->name))
			clk->name = np->name;
	}
	for_each_child_of_node(np, c)
		add_fixed(b, c);
}

int dmae__board_clocks_init(struct dmae_board *b)
{
	struct device_node *root = dmae_of_tree_root(b->tree);
	unsigned int n = count_fixed(root);

	if (!n)
		return 0;
	b->clocks = calloc(n, sizeof(*b->clocks));
	if (!b->clocks)
		return -ENOMEM;
	add_fixed(b, root);
	return 0;
}

void dmae__board_clocks_fini(struct dmae_board *b)
{
	free(b->clocks);
	b->clocks = NULL;
	b->nr_clocks = 0;
}

/*
 * dmae__board_clock - clock @index of @np's clocks (or the one named @id in
 * clock-names), or an error pointer: -ENOENT (none), -EINVAL (malformed),
 * -EPROBE_DEFER (a provider the board does not have).
 */
struct clk *dmae__board_clock(struct dmae_board *b, const struct device_node *np, int index,
			      const char *id)
{
	struct of_phandle_args spec;

	if (id) {
		index = of_property_match_string(np, "clock-names", id);
		if (index < 0)
			return ERR_PTR(-ENOENT);
	}
	if (of_parse_phandle_with_args(np, "clocks", "#clock-cells", index, &spec))
		return ERR_PTR(of_find_property(np, "clocks", NULL) ? -EINVAL : -ENOENT);
	for (unsigned int i = 0; i < b->nr_clocks; i++)
		if (b->clocks[i].np == spec.np)
			return &b->clocks[i];
	/* A phandle to a clock provider the board does not simulate. */
	return ERR_PTR(-EPROBE_DEFER);
}

struct dmae_board *dmae__board_of_dev(const struct device *dev);

DMAE_EXPORT struct clk *dmae_devm_clk_get(struct device *dev, const char *id, bool optional)
{
	struct dmae_board *b;
	struct clk *clk;

	if (!dev || !dev->of_node)
		return optional ? NULL : ERR_PTR(-ENOENT);
	b = dmae__board_of_dev(dev);
	if (!b)
		return optional ? NULL : ERR_PTR(-ENOENT);
	clk = dmae__board_clock(b, dev->of_node, 0, id);
	if (IS_ERR(clk) && PTR_ERR(clk) == -ENOENT && optional)
		return NULL;
	if (IS_ERR(clk) && PTR_ERR(clk) == -EPROBE_DEFER)
		dev_dbg(dev, "clock provider not found: probe deferred");
	return clk;
}

DMAE_EXPORT int dmae_clk_enable(struct clk *clk)
{
	if (!clk)
		return 0;
	if (IS_ERR(clk))
		return -EINVAL;
	__atomic_add_fetch(&clk->enabled, 1, __ATOMIC_RELAXED);
	return 0;
}

DMAE_EXPORT void dmae_clk_disable(struct clk *clk)
{
	u32 n;

	if (IS_ERR_OR_NULL(clk))
		return;
	n = __atomic_load_n(&clk->enabled, __ATOMIC_RELAXED);
	if (!n) {
		dmae_log(DMAE_LOG_WARN, "clk: %s already disabled", clk->name);
		return;
	}
	__atomic_sub_fetch(&clk->enabled, 1, __ATOMIC_RELAXED);
}

DMAE_EXPORT unsigned long dmae_clk_get_rate(struct clk *clk)
{
	return IS_ERR_OR_NULL(clk) ? 0 : (unsigned long)clk->rate;
}
