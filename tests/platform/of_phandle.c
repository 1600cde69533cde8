// SPDX-License-Identifier: MIT
/*
 * of_phandle.c - phandle lists with arguments (phandles.dts): entries with
 * 0, 1 and 2 cells, empty entries, counting, fixed counts, phandles to
 * nothing, lists cut short, more arguments than struct of_phandle_args
 * holds, targets without #cells, legacy linux,phandle.
 */
#include "platform/of_test.h"

static int setup_phandles(void **state)
{
	return of_setup_fixture(state, "phandles");
}

static struct device_node *consumer(void **state)
{
	return of_node(of_tree(state), "/consumer");
}

/* Entry @index of @list is @target with @n arguments @args... */
static void expect_entry(void **state, const char *list, int index, const char *target, int n,
			 ...)
{
	struct of_phandle_args args;
	va_list ap;

	memset(&args, 0xa5, sizeof(args));
	assert_int_equal(of_parse_phandle_with_args(consumer(state), list, "#foo-cells", index,
						    &args), 0);
	va_start(ap, n);
	of_assert_args(&args, of_node(of_tree(state), target), n, ap);
	va_end(ap);
}

static int parse(void **state, const char *list, int index)
{
	struct of_phandle_args args;

	return of_parse_phandle_with_args(consumer(state), list, "#foo-cells", index, &args);
}

static void test_entries(void **state)
{
	expect_entry(state, "foos", 0, "/provider1", 1, 10);
	expect_entry(state, "foos", 1, "/provider0", 0);
	expect_entry(state, "foos", 2, "/provider2", 2, 20, 21);
	assert_int_equal(parse(state, "foos", 3), -ENOENT); /* the empty entry <0> */
	expect_entry(state, "foos", 4, "/provider1", 1, 30);
	assert_int_equal(parse(state, "foos", 5), -ENOENT);
	assert_int_equal(parse(state, "foos", -1), -EINVAL);
	assert_int_equal(of_count_phandle_with_args(consumer(state), "foos", "#foo-cells"), 5);
	/* Without #cells each cell counts as a phandle. */
	assert_int_equal(of_count_phandle_with_args(consumer(state), "foos", NULL), 9);
	assert_int_equal(of_parse_phandle_with_args(consumer(state), "foos", "#foo-cells", 0,
						    NULL), 0);
	assert_int_equal(log_lines(), 0);
}

static void test_missing_and_empty(void **state)
{
	struct device_node *np = consumer(state);

	assert_int_equal(parse(state, "missing", 0), -ENOENT);
	assert_int_equal(of_count_phandle_with_args(np, "missing", "#foo-cells"), -ENOENT);
	assert_int_equal(of_count_phandle_with_args(np, "missing", NULL), -ENOENT);
	assert_int_equal(parse(state, "empty", 0), -ENOENT);
	assert_int_equal(of_count_phandle_with_args(np, "empty", "#foo-cells"), 0);
	assert_int_equal(of_parse_phandle_with_args(NULL, "foos", "#foo-cells", 0, NULL), -ENOENT);
	assert_int_equal(of_parse_phandle_with_args(np, NULL, "#foo-cells", 0, NULL), -EINVAL);
	/* Neither a cells property nor a fixed count. */
	assert_int_equal(dmae_of_parse_phandle_with_args(np, "foos", NULL, -1, 0, NULL), -EINVAL);
	assert_int_equal(log_lines(), 0);
}

static void test_dangling(void **state)
{
	expect_entry(state, "dangling", 0, "/provider1", 1, 1);
	assert_int_equal(log_lines(), 0);
	assert_int_equal(parse(state, "dangling", 1), -EINVAL);
	assert_one_line("/consumer", "could not find phandle 57005", "dangling");
	log_reset();
	assert_int_equal(of_count_phandle_with_args(consumer(state), "dangling", "#foo-cells"),
			 -EINVAL);
	assert_one_line("could not find phandle");
}

static void test_cut_short(void **state)
{
	assert_int_equal(parse(state, "cut-short", 0), -EINVAL);
	assert_one_line("/consumer", "cut-short", "needs 2 cells, found 1");
	log_reset();
	/* #foo-cells = <100>: the list ends long before. */
	assert_int_equal(parse(state, "big", 0), -EINVAL);
	assert_one_line("/consumer", "big", "needs 100 cells, found 3");
	log_reset();
	assert_int_equal(of_count_phandle_with_args(consumer(state), "big", "#foo-cells"), -EINVAL);
	assert_one_line("needs 100 cells");
}

static void test_too_many_args(void **state)
{
	/* 17 cells are there, but an of_phandle_args holds 16: the kernel warns, we refuse. */
	assert_int_equal(parse(state, "seventeen", 0), -EINVAL);
	assert_one_line("/consumer", "seventeen", "17 argument cells, more than 16");
	log_reset();
	assert_int_equal(of_count_phandle_with_args(consumer(state), "seventeen", "#foo-cells"), 1);
	assert_int_equal(log_lines(), 0);
}

static void test_no_cells_property(void **state)
{
	struct of_phandle_args args;

	assert_int_equal(parse(state, "no-cells", 0), -EINVAL);
	assert_one_line("/consumer", "could not get #foo-cells for /provider-none");
	log_reset();
	/* With a fixed count too, the count stands in for the missing property. */
	assert_int_equal(dmae_of_parse_phandle_with_args(consumer(state), "no-cells", "#foo-cells",
							 1, 0, &args), 0);
	assert_ptr_equal(args.np, of_node(of_tree(state), "/provider-none"));
	assert_int_equal(args.args_count, 1);
	assert_int_equal(args.args[0], 1);
	assert_int_equal(log_lines(), 0);
}

static void test_legacy_phandle(void **state)
{
	struct device_node *legacy = of_node(of_tree(state), "/legacy");

	assert_int_equal(legacy->phandle, 0x4321);
	assert_ptr_equal(of_find_node_by_phandle(0x4321), legacy);
	expect_entry(state, "legacy-ref", 0, "/legacy", 1, 7);
	assert_null(of_find_node_by_phandle(0));
	assert_null(of_find_node_by_phandle(0xdead));
}

static void test_fixed_args(void **state)
{
	struct device_node *np = consumer(state);
	struct of_phandle_args args;

	assert_int_equal(of_parse_phandle_with_fixed_args(np, "fixed", 2, 1, &args), 0);
	assert_ptr_equal(args.np, of_node(of_tree(state), "/provider2"));
	assert_int_equal(args.args_count, 2);
	assert_int_equal(args.args[0], 3);
	assert_int_equal(args.args[1], 4);
	assert_int_equal(of_parse_phandle_with_fixed_args(np, "fixed", 2, 2, &args), -ENOENT);
	assert_int_equal(of_parse_phandle_with_fixed_args(np, "fixed", 3, 1, &args), -EINVAL);
	assert_one_line("fixed", "needs 3 cells");
	log_reset();
	assert_ptr_equal(of_parse_phandle(np, "plain", 0), of_node(of_tree(state), "/provider0"));
	assert_ptr_equal(of_parse_phandle(np, "plain", 1), of_node(of_tree(state), "/provider2"));
	assert_null(of_parse_phandle(np, "plain", 2));
	assert_null(of_parse_phandle(np, "plain", 3));
	assert_null(of_parse_phandle(np, "plain", -1));
	assert_int_equal(log_lines(), 0);
	/* A fixed-count entry pointing at nothing: an error, not a NULL node. */
	assert_int_equal(of_parse_phandle_with_fixed_args(np, "dangling", 1, 1, &args), -EINVAL);
	assert_one_line("could not find phandle 57005");
}

#define PHANDLE_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_phandles, of_teardown)

int of_phandle_tests(void)
{
	const struct CMUnitTest tests[] = {
		PHANDLE_TEST(test_entries),
		PHANDLE_TEST(test_missing_and_empty),
		PHANDLE_TEST(test_dangling),
		PHANDLE_TEST(test_cut_short),
		PHANDLE_TEST(test_too_many_args),
		PHANDLE_TEST(test_no_cells_property),
		PHANDLE_TEST(test_legacy_phandle),
		PHANDLE_TEST(test_fixed_args),
	};

	return cmocka_run_group_tests_name("of_phandle", tests, NULL, NULL);
}
