// SPDX-License-Identifier: MIT
/*
 * of_props.c - properties (numbers, strings, missing, empty, short,
 * unterminated: the kernel's errno each), availability, children, names,
 * paths, compatible scoring and matching (props.dts), aliases and paths
 * through them (aliases.dts).
 */
#include "platform/of_test.h"

static int setup_props(void **state)
{
	return of_setup_fixture(state, "props");
}

static int setup_aliases(void **state)
{
	return of_setup_fixture(state, "aliases");
}

static struct device_node *props_node(void **state)
{
	return of_node(of_tree(state), "/props");
}

static void test_u32(void **state)
{
	struct device_node *np = props_node(state);
	u32 v = 7, a[5] = { 9, 9, 9, 9, 9 };

	assert_int_equal(of_property_read_u32(np, "u32", &v), 0);
	assert_int_equal(v, 0x12345678);
	/* A string read as a number: its first four bytes, as the kernel reads them. */
	assert_int_equal(of_property_read_u32(np, "string", &v), 0);
	assert_int_equal(v, 0x68656c6c);
	v = 7;
	assert_int_equal(of_property_read_u32(np, "missing", &v), -EINVAL);
	assert_int_equal(of_property_read_u32(np, "empty", &v), -EOVERFLOW);
	assert_int_equal(of_property_read_u32(np, "odd", &v), -EOVERFLOW);
	assert_int_equal(v, 7);
	assert_int_equal(of_property_read_u32_array(np, "u32-array", a, 4), 0);
	assert_int_equal(a[0], 1);
	assert_int_equal(a[3], 4);
	assert_int_equal(a[4], 9);
	a[0] = 9;
	assert_int_equal(of_property_read_u32_array(np, "u32-array", a, 5), -EOVERFLOW);
	assert_int_equal(a[0], 9);
	assert_int_equal(of_property_read_u32_array(np, "u32-array", a, 0), 0);
	assert_int_equal(of_property_read_u32_array(np, "u32-array", NULL, 1), -EINVAL);
	assert_int_equal(of_property_read_u32_array(np, "u32-array", a, (size_t)1 << 40),
			 -EOVERFLOW);
	assert_int_equal(of_property_read_u32(NULL, "u32", &v), -EINVAL);
	assert_int_equal(of_property_read_u32(np, NULL, &v), -EINVAL);
	assert_int_equal(log_lines(), 0);
}

static void test_u32_index_u64(void **state)
{
	struct device_node *np = props_node(state);
	u32 v = 7;
	u64 w = 7;

	assert_int_equal(of_property_read_u32_index(np, "u32-array", 3, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(of_property_read_u32_index(np, "u32-array", 4, &v), -EOVERFLOW);
	assert_int_equal(of_property_read_u32_index(np, "u32-array", 0xffffffffu, &v),
			 -EOVERFLOW);
	assert_int_equal(of_property_read_u32_index(np, "missing", 0, &v), -EINVAL);
	assert_int_equal(of_property_read_u32_index(np, "u32", 0, NULL), -EINVAL);
	assert_int_equal(v, 4);
	assert_int_equal(of_property_read_u64(np, "u64", &w), 0);
	assert_int_equal(w, 0x1122334455667788ull);
	assert_int_equal(of_property_read_u64(np, "u32", &w), -EOVERFLOW);
	assert_int_equal(of_property_read_u64(np, "missing", &w), -EINVAL);
	assert_int_equal(of_property_read_u64(np, "u64", NULL), -EINVAL);
	assert_int_equal(w, 0x1122334455667788ull);
}

static void test_count_and_bool(void **state)
{
	struct device_node *np = props_node(state);
	int len = -1;

	assert_int_equal(of_property_count_u32_elems(np, "u32-array"), 4);
	assert_int_equal(of_property_count_u32_elems(np, "empty"), 0);
	assert_int_equal(of_property_count_u32_elems(np, "missing"), -EINVAL);
	assert_int_equal(log_lines(), 0);
	assert_int_equal(of_property_count_u32_elems(np, "odd"), -EINVAL);
	assert_one_line("odd", "/props", "not a multiple of 4");
	log_reset();
	assert_int_equal(dmae_of_property_count_elems_of_size(np, "u32", 0), -EINVAL);
	assert_one_line("u32", "/props", "not positive");
	assert_true(of_property_read_bool(np, "empty"));
	assert_true(of_property_present(np, "u32"));
	assert_false(of_property_read_bool(np, "missing"));
	assert_non_null(of_get_property(np, "empty", &len));
	assert_int_equal(len, 0);
	assert_non_null(of_get_property(np, "odd", &len));
	assert_int_equal(len, 3);
	assert_null(of_get_property(np, "missing", NULL));
	assert_null(of_find_property(NULL, "u32", NULL));
}

static void test_strings(void **state)
{
	struct device_node *np = props_node(state);
	const char *s = "untouched", *list[4] = { NULL };

	assert_int_equal(of_property_read_string(np, "string", &s), 0);
	assert_string_equal(s, "hello");
	assert_int_equal(of_property_read_string(np, "empty-string", &s), 0);
	assert_string_equal(s, "");
	s = "untouched";
	assert_int_equal(of_property_read_string(np, "empty", &s), -ENODATA);
	assert_int_equal(of_property_read_string(np, "unterminated", &s), -EILSEQ);
	assert_int_equal(of_property_read_string(np, "u32", &s), -EILSEQ);
	assert_int_equal(of_property_read_string(np, "missing", &s), -EINVAL);
	assert_string_equal(s, "untouched");
	assert_int_equal(of_property_read_string_index(np, "strings", 2, &s), 0);
	assert_string_equal(s, "ccc");
	assert_int_equal(of_property_read_string_index(np, "strings", 3, &s), -ENODATA);
	assert_int_equal(of_property_read_string_index(np, "strings", -1, &s), -EINVAL);
	assert_int_equal(of_property_read_string_index(np, "bad-list", 0, &s), 0);
	assert_string_equal(s, "ok");
	assert_int_equal(of_property_read_string_index(np, "bad-list", 1, &s), -EILSEQ);
	assert_int_equal(of_property_count_strings(np, "strings"), 3);
	assert_int_equal(of_property_count_strings(np, "bad-list"), -EILSEQ);
	assert_int_equal(of_property_count_strings(np, "empty"), -ENODATA);
	assert_int_equal(of_property_count_strings(np, "missing"), -EINVAL);
	assert_int_equal(dmae_of_property_read_string_helper(np, "strings", list, 4, 0), 3);
	assert_string_equal(list[1], "bb");
	assert_null(list[3]);
	assert_int_equal(dmae_of_property_read_string_helper(np, "strings", list, 2, 1), 2);
	assert_string_equal(list[0], "bb");
	assert_string_equal(list[1], "ccc");
	assert_int_equal(log_lines(), 0);
}

static void test_match_string(void **state)
{
	struct device_node *np = props_node(state);

	assert_int_equal(of_property_match_string(np, "strings", "a"), 0);
	assert_int_equal(of_property_match_string(np, "strings", "bb"), 1);
	assert_int_equal(of_property_match_string(np, "strings", "b"), -ENODATA);
	assert_int_equal(of_property_match_string(np, "bad-list", "ok"), 0);
	assert_int_equal(of_property_match_string(np, "bad-list", "no"), -EILSEQ);
	assert_int_equal(of_property_match_string(np, "empty", "a"), -ENODATA);
	assert_int_equal(of_property_match_string(np, "missing", "a"), -EINVAL);
	assert_int_equal(of_property_match_string(np, "strings", NULL), -EINVAL);
}

static void test_available(void **state)
{
	struct device_node *parent = of_node(of_tree(state), "/available"), *np;
	const char *want[] = { "okay", "ok", "none" };
	int n = 0;

	assert_true(of_device_is_available(of_node(of_tree(state), "/available/okay")));
	assert_true(of_device_is_available(of_node(of_tree(state), "/available/ok")));
	assert_true(of_device_is_available(of_node(of_tree(state), "/available/none")));
	assert_false(of_device_is_available(of_node(of_tree(state), "/available/disabled")));
	assert_false(of_device_is_available(of_node(of_tree(state), "/available/unterminated")));
	assert_false(of_device_is_available(NULL));
	for_each_available_child_of_node(parent, np)
		assert_string_equal(np->name, want[n++]);
	assert_int_equal(n, 3);
}

static void test_children_names(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);
	struct device_node *parent = of_node(tree, "/parent"), *c1, *np;
	char buf[64];

	c1 = of_node(tree, "/parent/child@1");
	assert_int_equal(of_get_child_count(parent), 3);
	assert_int_equal(of_get_child_count(c1), 0);
	assert_int_equal(of_get_child_count(NULL), 0);
	assert_ptr_equal(of_get_child_by_name(parent, "child"), c1);
	assert_ptr_equal(of_get_child_by_name(parent, "other"), of_node(tree, "/parent/other"));
	assert_null(of_get_child_by_name(parent, "child@1"));
	assert_null(of_get_child_by_name(parent, "nothing"));
	assert_ptr_equal(of_get_parent(c1), parent);
	assert_ptr_equal(c1->sibling, of_node(tree, "/parent/child@2"));
	assert_true(of_node_name_eq(c1, "child"));
	assert_false(of_node_name_eq(c1, "child@1"));
	assert_false(of_node_name_eq(NULL, "child"));
	assert_string_equal(of_node_full_name(c1), "child@1");
	assert_string_equal(of_node_full_name(NULL), "<no-node>");
	np = of_find_node_by_name(NULL, "child");
	assert_ptr_equal(np, c1);
	np = of_find_node_by_name(np, "child");
	assert_ptr_equal(np, of_node(tree, "/parent/child@2"));
	assert_null(of_find_node_by_name(np, "child"));
	assert_string_equal(dmae_of_node_path(c1, buf, sizeof(buf)), "/parent/child@1");
	assert_string_equal(dmae_of_node_path(dmae_of_tree_root(tree), buf, sizeof(buf)), "/");
	assert_string_equal(dmae_of_node_path(NULL, buf, sizeof(buf)), "(null)");
	assert_string_equal(dmae_of_node_path(c1, buf, 8), "/parent");
	assert_string_equal(dmae_of_node_path(c1, buf, 1), "");
	assert_null(dmae_of_node_path(c1, NULL, 8));
}

static void test_compatible(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);
	struct device_node *np = of_node(tree, "/compat"), *bad = of_node(tree, "/compat-bad");
	int first = of_device_is_compatible(np, "test,first");
	int second = of_device_is_compatible(np, "test,second");
	int third = of_device_is_compatible(np, "test,third");

	/* Earlier entries score higher; the comparison ignores case. */
	assert_true(first > second);
	assert_true(second > third);
	assert_true(third > 0);
	assert_int_equal(of_device_is_compatible(np, "test,fourth"), 0);
	assert_int_equal(of_device_is_compatible(np, "test"), 0);
	assert_int_equal(of_device_is_compatible(np, ""), 0);
	assert_int_equal(of_device_is_compatible(NULL, "test,first"), 0);
	/* An unterminated last entry matches nothing, and nothing is read past it. */
	assert_true(of_device_is_compatible(bad, "test,ok") > 0);
	assert_int_equal(of_device_is_compatible(bad, "test"), 0);
}

static void test_match_node(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);
	struct device_node *typed = of_node(tree, "/typed"), *untyped = of_node(tree, "/untyped");
	const struct of_device_id by_compat[] = {
		{ .compatible = "test,second", .data = "second" },
		{ .compatible = "test,first", .data = "first" },
		{ .compatible = "" },
	};
	const struct of_device_id by_type[] = {
		{ .compatible = "test,second" },
		{ .type = "widget", .compatible = "test,second" },
		{ .name = "untyped" },
		{ .compatible = "" },
	};
	const struct of_device_id none[] = { { .compatible = "test,none" }, { .compatible = "" } };

	/* The best entry wins, not the first that matches. */
	assert_string_equal(of_match_node(by_compat, of_node(tree, "/compat"))->data, "first");
	assert_ptr_equal(of_match_node(by_type, typed), &by_type[1]);
	assert_ptr_equal(of_match_node(by_type, untyped), &by_type[0]);
	assert_null(of_match_node(none, typed));
	assert_null(of_match_node(NULL, typed));
	assert_null(of_match_node(by_type, NULL));
}

static void test_find_compatible(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "test,second");
	assert_ptr_equal(np, of_node(tree, "/compat"));
	np = of_find_compatible_node(np, NULL, "test,second");
	assert_ptr_equal(np, of_node(tree, "/typed"));
	np = of_find_compatible_node(np, NULL, "test,second");
	assert_ptr_equal(np, of_node(tree, "/untyped"));
	assert_null(of_find_compatible_node(np, NULL, "test,second"));
	assert_ptr_equal(of_find_compatible_node(NULL, "widget", "test,second"),
			 of_node(tree, "/typed"));
	assert_ptr_equal(of_find_compatible_node(NULL, NULL, "test,props"),
			 dmae_of_tree_root(tree));
	assert_null(of_find_compatible_node(NULL, "gadget", "test,second"));
}

static void test_paths_and_aliases(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);
	struct device_node *uart0 = of_node(tree, "/soc/uart@1000");
	struct device_node *root = dmae_of_tree_root(tree);
	const char *stdout_path;

	assert_ptr_equal(of_find_node_by_path("/"), root);
	assert_ptr_equal(of_find_node_by_path("/soc/uart@1000:opts"), uart0);
	assert_null(of_find_node_by_path("/soc/uart"));
	assert_null(of_find_node_by_path("/soc/"));
	assert_null(of_find_node_by_path("/nowhere"));
	assert_null(of_find_node_by_path(""));
	assert_null(of_find_node_by_path(NULL));
	assert_ptr_equal(of_find_node_by_path("serial0"), uart0);
	assert_ptr_equal(of_find_node_by_path("serial0:115200n8"), uart0);
	assert_ptr_equal(of_find_node_by_path("serial1"), of_node(tree, "/soc/uart@2000"));
	assert_ptr_equal(of_find_node_by_path("ethernet"), of_node(tree, "/soc/ethernet@3000"));
	assert_ptr_equal(of_find_node_by_path("i2c10/sensor@48"),
			 of_node(tree, "/soc/i2c@4000/sensor@48"));
	assert_ptr_equal(of_find_node_by_path("top4"), root);
	assert_null(of_find_node_by_path("dangling2"));
	assert_null(of_find_node_by_path("relative3"));
	assert_null(of_find_node_by_path("serial"));
	assert_int_equal(of_property_read_string(of_node(tree, "/chosen"), "stdout-path",
						 &stdout_path), 0);
	assert_ptr_equal(of_find_node_by_path(stdout_path), uart0);
	assert_int_equal(log_lines(), 0);
}

static void test_alias_ids(void **state)
{
	struct dmae_of_tree *tree = of_tree(state);
	struct device_node *uart0 = of_node(tree, "/soc/uart@1000");

	assert_int_equal(of_alias_get_id(uart0, "serial"), 0);
	assert_int_equal(of_alias_get_id(of_node(tree, "/soc/uart@2000"), "serial"), 1);
	assert_int_equal(of_alias_get_id(of_node(tree, "/soc/i2c@4000"), "i2c"), 10);
	/* An alias without a number has no id; nor has a node under another stem. */
	assert_int_equal(of_alias_get_id(of_node(tree, "/soc/ethernet@3000"), "ethernet"),
			 -ENODEV);
	assert_int_equal(of_alias_get_id(uart0, "i2c"), -ENODEV);
	assert_int_equal(of_alias_get_id(uart0, "serial0"), -ENODEV);
	assert_int_equal(of_alias_get_id(dmae_of_tree_root(tree), "top"), 4);
	assert_int_equal(of_alias_get_id(NULL, "serial"), -ENODEV);
	assert_int_equal(of_alias_get_id(uart0, NULL), -ENODEV);
}

#define PROPS_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_props, of_teardown)
#define ALIASES_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_aliases, of_teardown)

int of_props_tests(void)
{
	const struct CMUnitTest tests[] = {
		PROPS_TEST(test_u32),
		PROPS_TEST(test_u32_index_u64),
		PROPS_TEST(test_count_and_bool),
		PROPS_TEST(test_strings),
		PROPS_TEST(test_match_string),
		PROPS_TEST(test_available),
		PROPS_TEST(test_children_names),
		PROPS_TEST(test_compatible),
		PROPS_TEST(test_match_node),
		PROPS_TEST(test_find_compatible),
		ALIASES_TEST(test_paths_and_aliases),
		ALIASES_TEST(test_alias_ids),
	};

	return cmocka_run_group_tests_name("of_props", tests, NULL, NULL);
}
