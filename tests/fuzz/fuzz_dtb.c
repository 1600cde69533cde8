// SPDX-License-Identifier: MIT
/*
 * fuzz_dtb.c - libFuzzer target: arbitrary bytes loaded as a device tree,
 * then every node and every property read through the of_* API (numbers,
 * strings, phandle lists with the usual #cells names, reg, interrupts,
 * dma-ranges, paths, aliases). A read past a property, a crash or a hang is
 * a bug; an error code is not. Seed corpus: tests/fuzz/corpus/fuzz_dtb/, the
 * blobs of the test fixtures and the boards (after a change to their sources:
 * cp build/gcc/tests/platform/dts/*.dtb build/gcc/boards/*.dtb there).
 */
#include <stdint.h>
#include <stdio.h>

#include <dmaengine/of.h>
#include <dmaengine/os.h>

/* Lines of malformed input are expected by the thousand: drop them. */
static void quiet(enum dmae_log_level level, const char *line, void *arg)
{
	(void)level;
	(void)line;
	(void)arg;
}

static const char *const cells_names[] = {
	"#dma-cells", "#interrupt-cells", "#clock-cells", "#foo-cells", NULL,
};

/* walk_property - read @pp of @np every way the API allows. */
static void walk_property(const struct device_node *np, const struct property *pp)
{
	const char *s, *strs[4];
	u32 v, arr[4];
	u64 w;
	int n;

	of_property_read_u32(np, pp->name, &v);
	of_property_read_u32_array(np, pp->name, arr, 4);
	of_property_read_u32_index(np, pp->name, 3, &v);
	of_property_read_u64(np, pp->name, &w);
	of_property_count_u32_elems(np, pp->name);
	dmae_of_property_count_elems_of_size(np, pp->name, 3);
	of_property_read_string(np, pp->name, &s);
	dmae_of_property_read_string_helper(np, pp->name, strs, 4, 1);
	n = of_property_count_strings(np, pp->name);
	of_property_match_string(np, pp->name, "okay");
	for (int i = 0; i < 3; i++) {
		struct of_phandle_args args;

		for (const char *const *c = cells_names; *c; c++)
			of_parse_phandle_with_args(np, pp->name, *c, i, &args);
		of_parse_phandle_with_fixed_args(np, pp->name, i, i, &args);
		of_parse_phandle(np, pp->name, i);
	}
	for (const char *const *c = cells_names; *c; c++)
		of_count_phandle_with_args(np, pp->name, *c);
	/* Any property's cells as an address of this node's bus. */
	of_translate_address(np, pp->value);
	if (n > 0 && of_property_read_string(np, pp->name, &s) == 0) {
		of_find_node_by_path(s);
		of_device_is_compatible(np, s);
	}
}

/* walk_node - everything the API says about @np. */
static void walk_node(struct device_node *np)
{
	static const struct of_device_id ids[] = {
		{ .compatible = "st,stm32-dma" },
		{ .type = "memory" },
		{ .name = "cpu" },
		{ .compatible = "" },
	};
	struct of_phandle_args irq;
	struct resource r;
	char path[128];
	u64 a, b, c;
	int n;

	for (struct property *pp = np->properties; pp; pp = pp->next)
		walk_property(np, pp);
	of_find_node_by_path(dmae_of_node_path(np, path, sizeof(path)));
	of_find_node_by_phandle(np->phandle);
	of_device_is_available(np);
	of_match_node(ids, np);
	of_get_child_count(np);
	of_get_child_by_name(np, "aliases");
	of_alias_get_id(np, "serial");
	of_n_addr_cells(np);
	of_n_size_cells(np);
	for (int i = 0; i < 4; i++)
		of_address_to_resource(np, i, &r);
	dmae_of_dma_get_range(np, &a, &b, &c);
	of_dma_is_coherent(np);
	n = of_irq_count(np);
	for (int i = 0; i <= n && i < 64; i++)
		of_irq_parse_one(np, i, &irq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmae_of_tree *tree;
	struct device_node *np;

	dmae_set_log_handler(quiet, NULL);
	if (dmae_of_tree_load(data, size, "fuzz", &tree))
		return 0;
	/* Depth first without recursion: a blob may nest thousands of levels. */
	for (np = dmae_of_tree_root(tree); np;) {
		walk_node(np);
		if (np->child) {
			np = np->child;
			continue;
		}
		while (np && !np->sibling)
			np = np->parent;
		if (np)
			np = np->sibling;
	}
	for (np = of_find_compatible_node(NULL, NULL, "simple-bus"); np;
	     np = of_find_compatible_node(np, NULL, "simple-bus"))
		;
	of_find_node_by_path("serial0:115200n8");
	dmae_of_tree_free(tree);
	return 0;
}
