// SPDX-License-Identifier: MIT
/*
 * of_address.c - cells and addresses (address.dts): reg translated through
 * nested ranges, empty ranges (1:1), a bus without ranges and #size-cells 0
 * (not translatable), 64-bit child addresses, resources with reg-names,
 * dma-ranges (merged, nested, empty) and dma-coherent; and the malformed
 * ones (malformed.dts): cell counts out of range, reg cut short, dma-ranges
 * that hold no entry or do not translate, each with its one line.
 */
#include "platform/of_test.h"

static int setup_address(void **state)
{
	return of_setup_fixture(state, "address");
}

static int setup_malformed(void **state)
{
	return of_setup_fixture(state, "malformed");
}

/* The translated address of entry @index of @path's reg. */
static u64 reg_addr(void **state, const char *path, int index)
{
	struct device_node *np = of_node(of_tree(state), path);
	int na = of_n_addr_cells(np), ns = of_n_size_cells(np);
	const __be32 *reg = of_get_property(np, "reg", NULL);

	assert_non_null(reg);
	return of_translate_address(np, reg + index * (na + ns));
}

/* of_address_to_resource() of entry @index of @path's reg. */
static int resource_of(void **state, const char *path, int index)
{
	struct resource r;

	return of_address_to_resource(of_node(of_tree(state), path), index, &r);
}

static void test_cells(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);

	assert_int_equal(of_n_addr_cells(of_node(tree, "/direct@1000")), 1);
	assert_int_equal(of_n_size_cells(of_node(tree, "/direct@1000")), 1);
	assert_int_equal(of_n_addr_cells(of_node(tree, "/bus@10000000/sub@80000/deep@100000020")), 2);
	assert_int_equal(of_n_size_cells(of_node(tree, "/wide-bus@80000000/dev@100000000")), 2);
	assert_int_equal(of_n_size_cells(of_node(tree, "/no-size/item@7")), 0);
	/* The root reads its own, as the kernel's of_n_addr_cells does. */
	assert_int_equal(of_n_addr_cells(dmae_of_tree_root(tree)), 1);
}

static void test_translate(void **state)
{
	assert_int_equal(reg_addr(state, "/direct@1000", 0), 0x1000);
	assert_int_equal(reg_addr(state, "/direct@1000", 1), 0x2000);
	assert_int_equal(reg_addr(state, "/bus@10000000/dev@100", 0), 0x10000100);
	assert_int_equal(reg_addr(state, "/bus@10000000/sub@80000/deep@100000020", 0), 0x10080020);
	assert_int_equal(reg_addr(state, "/identity-bus/dev@3000", 0), 0x3000);
	assert_int_equal(reg_addr(state, "/wide-bus@80000000/dev@100000000", 0), 0x80000000);
	assert_int_equal(log_lines(), 0);
}

static void test_translate_fails(void **state)
{
	struct device_node *np = of_node(of_tree(state), "/bus@10000000/dev@100");
	const __be32 mine[] = { cpu_to_be32(0x400) };

	/* Outside every ranges entry; a bus without ranges; #size-cells 0: no address, no line. */
	assert_int_equal(reg_addr(state, "/bus@10000000/outside@200000", 0), OF_BAD_ADDR);
	assert_int_equal(reg_addr(state, "/closed-bus/dev@4000", 0), OF_BAD_ADDR);
	assert_int_equal(reg_addr(state, "/no-size/item@7", 0), OF_BAD_ADDR);
	assert_int_equal(of_translate_address(dmae_of_tree_root(of_tree(state)),
					      mine), OF_BAD_ADDR);
	assert_int_equal(of_translate_address(NULL, mine), OF_BAD_ADDR);
	assert_int_equal(of_translate_address(np, NULL), OF_BAD_ADDR);
	assert_int_equal(log_lines(), 0);
	/* The caller's own cells translate as well as the tree's. */
	assert_int_equal(of_translate_address(np, mine), 0x10000400);
	/* A pointer into the blob that is in no property: nothing to read there. */
	assert_int_equal(of_translate_address(np, (const __be32 *)np->full_name), OF_BAD_ADDR);
}

static void expect_resource(void **state, const char *path, int index, u64 start, u64 size,
			    const char *name)
{
	struct resource r;

	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(of_address_to_resource(of_node(of_tree(state), path), index, &r), 0);
	assert_int_equal(r.start, start);
	assert_int_equal(resource_size(&r), size);
	assert_int_equal(resource_type(&r), IORESOURCE_MEM);
	assert_string_equal(r.name, name);
}

static void test_resources(void **state)
{
	struct device_node *np = of_node(of_tree(state), "/direct@1000");
	struct resource r;

	expect_resource(state, "/direct@1000", 0, 0x1000, 0x100, "first");
	expect_resource(state, "/direct@1000", 1, 0x2000, 0x10, "second");
	expect_resource(state, "/bus@10000000/dev@100", 0, 0x10000100, 0x40, "dev@100");
	expect_resource(state, "/bus@10000000/sub@80000/deep@100000020", 0, 0x10080020, 8,
			"deep@100000020");
	expect_resource(state, "/wide-bus@80000000/dev@100000000", 0, 0x80000000, 0x1000,
			"dev@100000000");
	assert_int_equal(of_address_to_resource(np, 2, &r), -EINVAL);
	assert_int_equal(of_address_to_resource(np, -1, &r), -EINVAL);
	assert_int_equal(of_address_to_resource(np, 0, NULL), -EINVAL);
	assert_int_equal(resource_of(state, "/closed-bus/dev@4000", 0), -EINVAL);
	assert_int_equal(resource_of(state, "/identity-bus", 0), -EINVAL);
	assert_int_equal(of_address_to_resource(dmae_of_tree_root(of_tree(state)), 0, &r),
			 -EINVAL);
	assert_int_equal(log_lines(), 0);
}

static void expect_dma_range(void **state, const char *path, u64 dma, u64 cpu, u64 size)
{
	u64 d = 1, c = 1, s = 1;

	assert_int_equal(dmae_of_dma_get_range(of_node(of_tree(state), path), &d, &c, &s), 0);
	assert_int_equal(d, dma);
	assert_int_equal(c, cpu);
	assert_int_equal(s, size);
}

static void test_dma_ranges(void **state)
{
	u64 d = 1, c = 1, s = 1;

	/* Two contiguous entries merge into one range, as the kernel's range parser does. */
	expect_dma_range(state, "/dma-bus/master@100", 0, 0x80000000, 0x2000);
	/* An empty dma-ranges is skipped for the one above. */
	expect_dma_range(state, "/dma-bus/inner/master@200", 0, 0x80000000, 0x2000);
	/* The CPU side goes on through the outer bus's dma-ranges. */
	expect_dma_range(state, "/dma-bus/nested/master@300", 0x100, 0x80000800, 0x100);
	assert_int_equal(dmae_of_dma_get_range(of_node(of_tree(state), "/direct@1000"), &d, &c,
					       &s), -ENODEV);
	assert_true(!d && !c && !s);
	assert_int_equal(dmae_of_dma_get_range(of_node(of_tree(state), "/closed-bus/dev@4000"),
					       NULL, NULL, NULL), -ENODEV);
	assert_int_equal(dmae_of_dma_get_range(NULL, &d, &c, &s), -ENODEV);
	assert_int_equal(log_lines(), 0);
}

static void test_coherent(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);

	assert_true(of_dma_is_coherent(of_node(tree, "/coherent-bus/dev@5000")));
	assert_true(of_dma_is_coherent(of_node(tree, "/coherent-bus")));
	assert_false(of_dma_is_coherent(of_node(tree, "/coherent-bus/noncoherent@6000")));
	assert_false(of_dma_is_coherent(of_node(tree, "/direct@1000")));
	assert_false(of_dma_is_coherent(NULL));
}

static void test_bad_cells(void **state)
{
	assert_int_equal(reg_addr(state, "/five-cells/dev@0", 0), OF_BAD_ADDR);
	assert_one_line("/five-cells", "bad cell count", "#address-cells 5");
	log_reset();
	assert_int_equal(resource_of(state, "/five-cells/dev@0", 0), -EINVAL);
	assert_one_line("/five-cells", "bad cell count");
	log_reset();
	assert_int_equal(resource_of(state, "/huge-size/dev@0", 0), -EINVAL);
	assert_one_line("/huge-size", "#size-cells 100");
	log_reset();
	assert_int_equal(resource_of(state, "/negative/dev@0", 0), -EINVAL);
	assert_one_line("/negative", "#address-cells -1");
}

static void test_reg_cut_short(void **state)
{
	/* reg = <0x1> where a child of two-cells needs two address cells. */
	assert_int_equal(reg_addr(state, "/two-cells/short@0", 0), OF_BAD_ADDR);
	assert_one_line("/two-cells/short@0", "address of 2 cells cut short at 1");
	log_reset();
	assert_int_equal(resource_of(state, "/two-cells/short@0", 0), -EINVAL);
	assert_one_line("/two-cells/short@0", "reg entry 0 is cut short");
	log_reset();
	expect_resource(state, "/half-reg@9000", 0, 0x9000, 0x10, "half-reg@9000");
	assert_int_equal(log_lines(), 0);
	assert_int_equal(resource_of(state, "/half-reg@9000", 1), -EINVAL);
	assert_one_line("/half-reg@9000", "reg entry 1 is cut short");
	log_reset();
	assert_int_equal(resource_of(state, "/half-reg@9000", 2), -EINVAL);
	assert_int_equal(log_lines(), 0);
}

static void test_bad_dma_ranges(void **state)
{
	u64 d, c, s;

	assert_int_equal(dmae_of_dma_get_range(of_node(of_tree(state), "/bad-dma/m@0"), &d, &c,
					       &s), -EINVAL);
	assert_one_line("/bad-dma", "dma-ranges of 8 bytes holds no 3-cell entry");
	log_reset();
	assert_int_equal(dmae_of_dma_get_range(of_node(of_tree(state), "/bad-dma-cells/m@0"), &d,
					       &c, &s), -EINVAL);
	assert_one_line("/bad-dma-cells", "bad cell count");
	log_reset();
	/* The inner bus maps to 0x5000, which the outer bus's dma-ranges do not cover. */
	assert_int_equal(dmae_of_dma_get_range(of_node(of_tree(state),
						       "/outer-dma/inner-dma/m@0"), &d, &c, &s),
			 -EINVAL);
	assert_one_line("translation of DMA address(0) to CPU address failed",
			"/outer-dma/inner-dma");
}

#define ADDRESS_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_address, of_teardown)
#define MALFORMED_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_malformed, of_teardown)

int of_address_tests(void)
{
	const struct CMUnitTest tests[] = {
		ADDRESS_TEST(test_cells),
		ADDRESS_TEST(test_translate),
		ADDRESS_TEST(test_translate_fails),
		ADDRESS_TEST(test_resources),
		ADDRESS_TEST(test_dma_ranges),
		ADDRESS_TEST(test_coherent),
		MALFORMED_TEST(test_bad_cells),
		MALFORMED_TEST(test_reg_cut_short),
		MALFORMED_TEST(test_bad_dma_ranges),
	};

	return cmocka_run_group_tests_name("of_address", tests, NULL, NULL);
}
