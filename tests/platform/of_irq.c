// SPDX-License-Identifier: MIT
/*
 * of_irq.c - interrupt specifiers (irq.dts): interrupt-parent inherited
 * from the root and from a bus, overridden on a node, interrupts-extended
 * across two controllers, counting; and the malformed ones (malformed.dts):
 * an interrupt-parent to nothing or in a loop, a list cut short, more cells
 * than a specifier holds, no controller upwards, an interrupt-map, no
 * parent at all.
 */
#include "platform/of_test.h"

static int setup_irq(void **state)
{
	return of_setup_fixture(state, "irq");
}

static int setup_malformed(void **state)
{
	return of_setup_fixture(state, "malformed");
}

static int parse_irq(void **state, const char *path, int index, struct of_phandle_args *irq)
{
	memset(irq, 0xa5, sizeof(*irq));
	return of_irq_parse_one(of_node(of_tree(state), path), index, irq);
}

/* Interrupt @index of @path is on @parent with @n cells @cells... */
static void expect_irq(void **state, const char *path, int index, const char *parent, int n,
		       ...)
{
	struct of_phandle_args irq;
	va_list ap;

	assert_int_equal(parse_irq(state, path, index, &irq), 0);
	va_start(ap, n);
	of_assert_args(&irq, of_node(of_tree(state), parent), n, ap);
	va_end(ap);
}

static void test_inherited_parent(void **state)
{
	struct of_phandle_args irq;

	/* uart@3000 has no interrupt-parent; soc neither; the root names the GIC. */
	expect_irq(state, "/soc/uart@3000", 0, "/interrupt-controller@1000", 3, 0, 38, 4);
	expect_irq(state, "/soc/uart@3000", 1, "/interrupt-controller@1000", 3, 0, 39, 4);
	assert_int_equal(parse_irq(state, "/soc/uart@3000", 2, &irq), -EOVERFLOW);
	assert_int_equal(of_irq_count(of_node(of_tree(state), "/soc/uart@3000")), 2);
	/* The EXTI's own interrupt goes to the root's interrupt-parent too. */
	expect_irq(state, "/interrupt-controller@2000", 0, "/interrupt-controller@1000", 3, 0, 5,
		   4);
	assert_int_equal(log_lines(), 0);
}

static void test_own_and_bus_parent(void **state)
{
	expect_irq(state, "/soc/gpio@4000", 0, "/interrupt-controller@2000", 2, 7, 1);
	assert_int_equal(of_irq_count(of_node(of_tree(state), "/soc/gpio@4000")), 1);
	/* deep@6000 takes the interrupt-parent of its bus, sub. */
	expect_irq(state, "/soc/sub/deep@6000", 0, "/interrupt-controller@2000", 2, 9, 4);
	assert_int_equal(log_lines(), 0);
}

static void test_extended(void **state)
{
	struct of_phandle_args irq;

	expect_irq(state, "/soc/ext@5000", 0, "/interrupt-controller@1000", 3, 0, 10, 4);
	expect_irq(state, "/soc/ext@5000", 1, "/interrupt-controller@2000", 2, 3, 2);
	/* Past interrupts-extended, interrupts is tried, and there is none. */
	assert_int_equal(parse_irq(state, "/soc/ext@5000", 2, &irq), -EINVAL);
	assert_int_equal(of_irq_count(of_node(of_tree(state), "/soc/ext@5000")), 2);
	assert_int_equal(log_lines(), 0);
}

static void test_none(void **state)
{
	struct device_node *np = of_node(of_tree(state), "/soc/quiet@7000");
	struct of_phandle_args irq;

	assert_int_equal(parse_irq(state, "/soc/quiet@7000", 0, &irq), -EINVAL);
	assert_int_equal(of_irq_count(np), 0);
	assert_int_equal(of_irq_parse_one(np, -1, &irq), -EINVAL);
	assert_int_equal(of_irq_parse_one(np, 0, NULL), -EINVAL);
	assert_int_equal(of_irq_parse_one(NULL, 0, &irq), -EINVAL);
	assert_int_equal(of_irq_count(NULL), 0);
	assert_int_equal(log_lines(), 0);
}

static void test_bad_parents(void **state)
{
	struct of_phandle_args irq;

	assert_int_equal(parse_irq(state, "/irq-users/to-nothing", 0, &irq), -EINVAL);
	assert_one_line("/irq-users/to-nothing", "interrupt-parent 48879 points at no node");
	log_reset();
	assert_int_equal(parse_irq(state, "/irq-users/looped", 0, &irq), -EINVAL);
	assert_one_line("interrupt-parent links go round in a loop");
	log_reset();
	assert_int_equal(parse_irq(state, "/irq-users/orphan", 0, &irq), -EINVAL);
	assert_one_line("/irq-users/orphan", "interrupts without an interrupt parent");
	log_reset();
	/* A parent with #interrupt-cells, but no controller anywhere above it. */
	assert_int_equal(parse_irq(state, "/irq-users/no-controller", 0, &irq), -ENOENT);
	assert_int_equal(log_lines(), 0);
	assert_int_equal(parse_irq(state, "/irq-users/mapped-user", 0, &irq), -EINVAL);
	assert_one_line("/mapped", "interrupt-map is not supported");
}

static void test_bad_specifiers(void **state)
{
	struct of_phandle_args irq;

	expect_irq(state, "/irq-users/short", 0, "/intc", 2, 1, 2);
	assert_int_equal(parse_irq(state, "/irq-users/short", 1, &irq), -EOVERFLOW);
	assert_int_equal(of_irq_count(of_node(of_tree(state), "/irq-users/short")), 1);
	assert_int_equal(log_lines(), 0);
	assert_int_equal(parse_irq(state, "/irq-users/big", 0, &irq), -EINVAL);
	assert_one_line("/big-intc", "#interrupt-cells = 17 is more than 16");
	log_reset();
	/* interrupts-extended cut short, and no interrupts to fall back on. */
	assert_int_equal(parse_irq(state, "/irq-users/ext-short", 0, &irq), -EINVAL);
	assert_one_line("/irq-users/ext-short", "interrupts-extended", "needs 2 cells, found 1");
}

#define IRQ_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_irq, of_teardown)
#define MALFORMED_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_malformed, of_teardown)

int of_irq_tests(void)
{
	const struct CMUnitTest tests[] = {
		IRQ_TEST(test_inherited_parent),
		IRQ_TEST(test_own_and_bus_parent),
		IRQ_TEST(test_extended),
		IRQ_TEST(test_none),
		MALFORMED_TEST(test_bad_parents),
		MALFORMED_TEST(test_bad_specifiers),
	};

	return cmocka_run_group_tests_name("of_irq", tests, NULL, NULL);
}
