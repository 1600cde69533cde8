// SPDX-License-Identifier: MIT
/*
 * test_of_boards.c - the boards of boards/ as the build compiled them: every
 * one loads without a line; the simulated STM32MP151 has the real chip's
 * nodes, addresses, interrupts, DMA cells and clocks, and its devices get
 * the Linux names of ST's debugfs summary; the default board built into
 * the library holds the cpu provider's node.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/boards.h"
#include "platform/of_test.h"

#define GIC "/interrupt-controller@a0021000"
#define DMAMUX "/soc/dma-router@48002000"
#define MDMA "/soc/dma-controller@58000000"

/* The device name the kernel's of_device_make_bus_id gives @np ("4000e000.serial"). */
static void of_bus_id(const struct device_node *np, char *buf, size_t size)
{
	char tail[256] = "", part[256];
	int n = 0;

	buf[0] = '\0';
	/* Translated reg first, else the node's own name and up one level. */
	for (; np->parent && n >= 0; np = np->parent) {
		const __be32 *reg = of_get_property(np, "reg", NULL);
		u64 addr = reg ? of_translate_address(np, reg) : OF_BAD_ADDR;

		if (addr != OF_BAD_ADDR) {
			n = snprintf(buf, size, "%" PRIx64 ".%s%s", addr, np->name, tail);
			break;
		}
		n = snprintf(part, sizeof(part), ":%s%s", np->full_name, tail);
		memcpy(tail, part, sizeof(tail));
		n = snprintf(buf, size, "%s", tail + 1);
	}
	if (n < 0 || (size_t)n >= size)
		fail_msg("the device name of %s does not fit %zu bytes", np->full_name, size);
}

static int setup_sim(void **state)
{
	if (of_setup_plain(state))
		return -1;
	*state = of_load_file(DMAE_BOARDS_BUILD_DIR "/stm32mp151-sim.dtb");
	return 0;
}

static struct device_node *sim_node(void **state, const char *path)
{
	return of_node(of_tree(state), path);
}

static void test_every_board_loads(void **state)
{
	DIR *dir = opendir(DMAE_BOARDS_BUILD_DIR);
	struct dirent *e;
	int boards = 0;

	assert_non_null(dir);
	while ((e = readdir(dir))) {
		char path[1024];
		size_t len = strlen(e->d_name);
		struct dmae_of_tree *tree;

		if (len < 4 || strcmp(e->d_name + len - 4, ".dtb"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", DMAE_BOARDS_BUILD_DIR, e->d_name);
		tree = of_load_file(path);
		assert_int_equal(log_lines(), 0);
		dmae_of_tree_free(tree);
		boards++;
	}
	closedir(dir);
	assert_true(boards >= 2);
}

static void test_default_board(void **state)
{
	struct dmae_of_tree *tree = NULL;
	struct device_node *root, *cpu;
	size_t size;
	void *built = of_read_file(DMAE_BOARDS_BUILD_DIR "/default.dtb", &size);
	const char *model;
	char name[64];

	/* The embedded blob is the one dtc built. */
	assert_int_equal(dmae__board_default_dtb_size, size);
	assert_memory_equal(dmae__board_default_dtb, built, size);
	free(built);
	assert_int_equal(dmae_of_tree_load(dmae__board_default_dtb, dmae__board_default_dtb_size,
					   "default", &tree), 0);
	root = dmae_of_tree_root(tree);
	assert_true(of_device_is_compatible(root, "dmaengine,default") > 0);
	assert_int_equal(of_property_read_string(root, "model", &model), 0);
	assert_string_equal(model, "dmaengine default platform");
	cpu = of_node(tree, "/cpu-dma");
	assert_true(of_device_is_compatible(cpu, "dmaengine,cpu-dma") > 0);
	assert_true(of_device_is_available(cpu));
	assert_int_equal(of_get_child_count(root), 1);
	/* No #address-cells anywhere: the defaults. */
	assert_int_equal(of_n_addr_cells(cpu), 2);
	assert_int_equal(of_n_size_cells(cpu), 1);
	of_bus_id(cpu, name, sizeof(name));
	assert_string_equal(name, "cpu-dma");
	dmae_of_tree_free(tree);
}

static void test_sim_root(void **state)
{
	struct device_node *root = dmae_of_tree_root(of_tree(state)), *np, *cpu = NULL;
	int cpus = 0;

	assert_true(of_device_is_compatible(root, "st,stm32mp151") > 0);
	for_each_child_of_node(sim_node(state, "/cpus"), np) {
		cpu = np;
		cpus++;
	}
	assert_int_equal(cpus, 1);
	assert_true(of_device_is_compatible(cpu, "arm,cortex-a7") > 0);
	np = sim_node(state, GIC);
	assert_true(of_device_is_compatible(np, "arm,cortex-a7-gic") > 0);
	assert_true(of_property_read_bool(np, "interrupt-controller"));
	assert_ptr_equal(of_parse_phandle(sim_node(state, "/soc"), "interrupt-parent", 0), np);
}

struct sim_region {
	const char *path;   /* node */
	int index;	    /* reg entry */
	u64 start;	    /* translated address */
	u64 size;	    /* bytes */
	const char *compat; /* compatible, or NULL */
};

static const struct sim_region sim_regions[] = {
	{ "/memory@c0000000", 0, 0xc0000000, 0x10000000, NULL },
	{ "/sram@2ffc0000", 0, 0x2ffc0000, 0x40000, "mmio-sram" },
	{ "/sram@10000000", 0, 0x10000000, 0x20000, "mmio-sram" },
	{ "/sram@10020000", 0, 0x10020000, 0x20000, "mmio-sram" },
	{ "/sram@10040000", 0, 0x10040000, 0x10000, "mmio-sram" },
	{ "/sram@10050000", 0, 0x10050000, 0x10000, "mmio-sram" },
	{ GIC, 0, 0xa0021000, 0x1000, "arm,cortex-a7-gic" },
	{ GIC, 1, 0xa0022000, 0x2000, "arm,cortex-a7-gic" },
	{ MDMA, 0, 0x58000000, 0x1000, "st,stm32h7-mdma" },
	{ "/soc/dma-controller@48000000", 0, 0x48000000, 0x400, "st,stm32-dma" },
	{ "/soc/dma-controller@48001000", 0, 0x48001000, 0x400, "st,stm32-dma" },
	{ DMAMUX, 0, 0x48002000, 0x40, "st,stm32h7-dmamux" },
	{ "/soc/serial@4000e000", 0, 0x4000e000, 0x400, "st,stm32h7-uart" },
	{ "/soc/audio-controller@4000b000", 0, 0x4000b000, 0x400, "st,stm32h7-i2s" },
	{ "/soc/sai@4400b000", 0, 0x4400b000, 0x4, "st,stm32h7-sai" },
	{ "/soc/sai@4400b000", 1, 0x4400b3f0, 0x10, "st,stm32h7-sai" },
	{ "/soc/sai@4400b000/audio-controller@4400b004", 0, 0x4400b004, 0x20,
	  "st,stm32-sai-sub-a" },
	{ "/soc/sai@4400b000/audio-controller@4400b024", 0, 0x4400b024, 0x20,
	  "st,stm32-sai-sub-b" },
	{ "/soc/hash@54002000", 0, 0x54002000, 0x400, "st,stm32f756-hash" },
	{ "/soc/spi@44004000", 0, 0x44004000, 0x400, "st,stm32h7-spi" },
};

static void test_sim_regions(void **state)
{
	for (size_t i = 0; i < sizeof(sim_regions) / sizeof(sim_regions[0]); i++) {
		const struct sim_region *w = &sim_regions[i];
		struct device_node *np = sim_node(state, w->path);
		struct resource r;

		if (of_address_to_resource(np, w->index, &r))
			fail_msg("%s reg %d does not translate", w->path, w->index);
		if (r.start != w->start || resource_size(&r) != w->size)
			fail_msg("%s reg %d: %#llx+%#llx, expected %#llx+%#llx", w->path, w->index,
				 (unsigned long long)r.start,
				 (unsigned long long)resource_size(&r),
				 (unsigned long long)w->start, (unsigned long long)w->size);
		if (w->compat && of_device_is_compatible(np, w->compat) <= 0)
			fail_msg("%s is not compatible with %s", w->path, w->compat);
		assert_true(of_device_is_available(np));
	}
}

/* The Linux device names of ST's debugfs summary (spec 004, section 5.2.2), and the rest. */
static const char *const sim_names[] = {
	"58000000.dma-controller", "48000000.dma-controller", "48001000.dma-controller",
	"48002000.dma-router",	   "4000e000.serial",	      "4000b000.audio-controller",
	"4400b000.sai",		   "4400b004.audio-controller", "4400b024.audio-controller",
	"54002000.hash",	   "44004000.spi",
};

static void test_sim_device_names(void **state)
{
	struct device_node *soc = sim_node(state, "/soc"), *np, *sub;
	size_t n = 0;
	char name[128];

	/* Every available node on soc and the SAI's sub-blocks, in tree (probe) order. */
	for_each_available_child_of_node(soc, np) {
		of_bus_id(np, name, sizeof(name));
		assert_true(n < sizeof(sim_names) / sizeof(sim_names[0]));
		assert_string_equal(name, sim_names[n++]);
		for_each_available_child_of_node(np, sub) {
			of_bus_id(sub, name, sizeof(name));
			assert_string_equal(name, sim_names[n++]);
		}
	}
	assert_int_equal(n, sizeof(sim_names) / sizeof(sim_names[0]));
}

static void expect_irqs(void **state, const char *path, int n, const unsigned int *spi)
{
	struct device_node *np = sim_node(state, path);

	assert_int_equal(of_irq_count(np), n);
	for (int i = 0; i < n; i++) {
		struct of_phandle_args irq;

		assert_int_equal(of_irq_parse_one(np, i, &irq), 0);
		assert_ptr_equal(irq.np, sim_node(state, GIC));
		assert_int_equal(irq.args_count, 3);
		assert_int_equal(irq.args[0], 0); /* GIC_SPI */
		assert_int_equal(irq.args[1], spi[i]);
		assert_int_equal(irq.args[2], 4); /* IRQ_TYPE_LEVEL_HIGH */
	}
}

static void test_sim_interrupts(void **state)
{
	static const unsigned int dma1[] = { 11, 12, 13, 14, 15, 16, 17, 47 };
	static const unsigned int dma2[] = { 56, 57, 58, 59, 60, 68, 69, 70 };

	expect_irqs(state, "/soc/dma-controller@48000000", 8, dma1);
	expect_irqs(state, "/soc/dma-controller@48001000", 8, dma2);
	expect_irqs(state, MDMA, 1, (const unsigned int[]){ 122 });
	expect_irqs(state, "/soc/serial@4000e000", 1, (const unsigned int[]){ 38 });
	expect_irqs(state, "/soc/audio-controller@4000b000", 1, (const unsigned int[]){ 36 });
	expect_irqs(state, "/soc/sai@4400b000", 1, (const unsigned int[]){ 91 });
	expect_irqs(state, "/soc/hash@54002000", 1, (const unsigned int[]){ 80 });
	expect_irqs(state, "/soc/spi@44004000", 1, (const unsigned int[]){ 35 });
	expect_irqs(state, DMAMUX, 0, NULL);
}

struct sim_dma {
	const char *path;	 /* client */
	const char *name;	 /* dma-names entry */
	const char *controller;	 /* what its dmas entry points at */
	int cells;		 /* #dma-cells of it */
	u32 args[5];		 /* the cells */
};

static const struct sim_dma sim_dmas[] = {
	{ "/soc/serial@4000e000", "rx", DMAMUX, 3, { 43, 0x400, 0x15 } },
	{ "/soc/serial@4000e000", "tx", DMAMUX, 3, { 44, 0x400, 0x11 } },
	{ "/soc/audio-controller@4000b000", "rx", DMAMUX, 3, { 39, 0x400, 0x01 } },
	{ "/soc/audio-controller@4000b000", "tx", DMAMUX, 3, { 40, 0x400, 0x01 } },
	{ "/soc/sai@4400b000/audio-controller@4400b004", "tx", DMAMUX, 3, { 89, 0x400, 0x01 } },
	{ "/soc/sai@4400b000/audio-controller@4400b024", "rx", DMAMUX, 3, { 90, 0x400, 0x01 } },
	{ "/soc/hash@54002000", "in", MDMA, 5, { 31, 0x2, 0x1000a02, 0, 0 } },
	{ "/soc/spi@44004000", "rx", DMAMUX, 3, { 37, 0x400, 0x05 } },
	{ "/soc/spi@44004000", "tx", DMAMUX, 3, { 38, 0x400, 0x05 } },
};

static void test_sim_dmas(void **state)
{
	for (size_t i = 0; i < sizeof(sim_dmas) / sizeof(sim_dmas[0]); i++) {
		const struct sim_dma *w = &sim_dmas[i];
		struct device_node *np = sim_node(state, w->path);
		int index = of_property_match_string(np, "dma-names", w->name);
		struct of_phandle_args args;

		if (index < 0)
			fail_msg("%s has no dma-names \"%s\"", w->path, w->name);
		assert_int_equal(of_parse_phandle_with_args(np, "dmas", "#dma-cells", index, &args),
				 0);
		assert_ptr_equal(args.np, sim_node(state, w->controller));
		assert_int_equal(args.args_count, w->cells);
		for (int c = 0; c < w->cells; c++)
			if (args.args[c] != w->args[c])
				fail_msg("%s %s cell %d: %#x, expected %#x", w->path, w->name, c,
					 args.args[c], w->args[c]);
	}
}

static void expect_u32(void **state, const char *path, const char *prop, u32 want)
{
	u32 v;

	if (of_property_read_u32(sim_node(state, path), prop, &v) || v != want)
		fail_msg("%s %s is not %u", path, prop, want);
}

static void test_sim_controllers(void **state)
{
	struct device_node *mux = sim_node(state, DMAMUX);
	const char *dma1 = "/soc/dma-controller@48000000", *dma2 = "/soc/dma-controller@48001000";

	expect_u32(state, dma1, "#dma-cells", 4);
	expect_u32(state, dma1, "dma-requests", 8);
	expect_u32(state, dma2, "#dma-cells", 4);
	expect_u32(state, dma2, "dma-requests", 8);
	assert_true(of_property_read_bool(sim_node(state, dma1), "st,mem2mem"));
	assert_true(of_property_read_bool(sim_node(state, dma2), "st,mem2mem"));
	expect_u32(state, DMAMUX, "#dma-cells", 3);
	expect_u32(state, DMAMUX, "dma-requests", 128);
	expect_u32(state, DMAMUX, "dma-channels", 16);
	expect_u32(state, MDMA, "#dma-cells", 5);
	expect_u32(state, MDMA, "dma-channels", 32);
	expect_u32(state, MDMA, "dma-requests", 48);
	assert_int_equal(of_count_phandle_with_args(mux, "dma-masters", NULL), 2);
	assert_ptr_equal(of_parse_phandle(mux, "dma-masters", 0), sim_node(state, dma1));
	assert_ptr_equal(of_parse_phandle(mux, "dma-masters", 1), sim_node(state, dma2));
	/* No DMA-to-MDMA chaining yet. */
	assert_false(of_property_present(sim_node(state, dma1), "dmas"));
	assert_false(of_property_present(sim_node(state, dma2), "dmas"));
}

struct sim_clock {
	const char *path; /* device */
	int index;	  /* clocks entry */
	u32 hz;		  /* the fixed clock's frequency */
};

static const struct sim_clock sim_clocks[] = {
	{ MDMA, 0, 266500000 },
	{ "/soc/dma-controller@48000000", 0, 208877930 },
	{ "/soc/dma-controller@48001000", 0, 208877930 },
	{ DMAMUX, 0, 208877930 },
	{ "/soc/serial@4000e000", 0, 64000000 },
	{ "/soc/audio-controller@4000b000", 0, 104438965 },
	{ "/soc/audio-controller@4000b000", 1, 24573874 },
	{ "/soc/sai@4400b000", 0, 104438965 },
	{ "/soc/sai@4400b000/audio-controller@4400b004", 0, 24573874 },
	{ "/soc/hash@54002000", 0, 266500000 },
	{ "/soc/spi@44004000", 0, 24573874 },
};

static void test_sim_clocks(void **state)
{
	for (size_t i = 0; i < sizeof(sim_clocks) / sizeof(sim_clocks[0]); i++) {
		const struct sim_clock *w = &sim_clocks[i];
		struct of_phandle_args clk;
		u32 hz;

		assert_int_equal(of_parse_phandle_with_args(sim_node(state, w->path), "clocks",
							    "#clock-cells", w->index, &clk), 0);
		assert_int_equal(clk.args_count, 0);
		assert_true(of_device_is_compatible(clk.np, "fixed-clock") > 0);
		assert_int_equal(of_property_read_u32(clk.np, "clock-frequency", &hz), 0);
		if (hz != w->hz)
			fail_msg("%s clock %d: %u Hz, expected %u", w->path, w->index, hz, w->hz);
	}
}

static void test_sim_aliases_chosen(void **state)
{
	struct device_node *usart2 = sim_node(state, "/soc/serial@4000e000");
	const char *out;

	assert_ptr_equal(of_find_node_by_path("serial0"), usart2);
	assert_int_equal(of_alias_get_id(usart2, "serial"), 0);
	assert_int_equal(of_property_read_string(sim_node(state, "/chosen"), "stdout-path", &out),
			 0);
	assert_ptr_equal(of_find_node_by_path(out), usart2);
}

static void test_sim_mlahb(void **state)
{
	struct device_node *m4 = sim_node(state, "/ahb/m4@10000000");
	u64 dma, cpu, size;

	assert_false(of_device_is_available(m4));
	/* What the Cortex-M4 sees at 0 is RETRAM. */
	assert_int_equal(dmae_of_dma_get_range(m4, &dma, &cpu, &size), 0);
	assert_int_equal(dma, 0);
	assert_int_equal(cpu, 0x38000000);
	assert_int_equal(size, 0x10000);
	assert_int_equal(dmae_of_dma_get_range(sim_node(state, "/soc/serial@4000e000"), &dma, &cpu,
					       &size), -ENODEV);
	assert_int_equal(log_lines(), 0);
}

#define SIM_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_sim, of_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_board_loads, of_setup_plain, of_teardown),
		cmocka_unit_test_setup_teardown(test_default_board, of_setup_plain, of_teardown),
		SIM_TEST(test_sim_root),
		SIM_TEST(test_sim_regions),
		SIM_TEST(test_sim_device_names),
		SIM_TEST(test_sim_interrupts),
		SIM_TEST(test_sim_dmas),
		SIM_TEST(test_sim_controllers),
		SIM_TEST(test_sim_clocks),
		SIM_TEST(test_sim_aliases_chosen),
		SIM_TEST(test_sim_mlahb),
	};

	unsetenv("DMAENGINE_DEBUG");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("of_boards", tests, NULL, NULL);
}
