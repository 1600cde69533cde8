// SPDX-License-Identifier: MIT
/*
 * test_of.c - runs the unit tests of the device-tree layer against the
 * fixtures in tests/platform/dts; an argument selects tests by name (a
 * cmocka pattern, e.g. "*phandle*").
 */
#include <stdlib.h>

#include "platform/of_test.h"

int main(int argc, char **argv)
{
	int failed = 0;

	/* Debug lines would count as the one line bad input gets. */
	unsetenv("DMAENGINE_DEBUG");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	failed += of_fdt_load_tests();
	failed += of_props_tests();
	failed += of_phandle_tests();
	failed += of_address_tests();
	failed += of_irq_tests();
	return failed ? 1 : 0;
}
