// SPDX-License-Identifier: MIT
/*
 * test_core.c - runs the core unit tests against the mock provider; an
 * argument selects tests by name (a cmocka pattern, e.g. "*register*").
 *
 * The default platform is switched off (DMAENGINE_PLATFORM=none) so that no
 * cpu device appears behind the tests' back: the registry holds exactly the
 * mock devices each test registers. test_core_platform tests the default.
 */
#include <stdlib.h>

#include "core/core_test.h"

int main(int argc, char **argv)
{
	int failed = 0;

	setenv("DMAENGINE_PLATFORM", "none", 1);
	/* Debug lines would count as misuse lines. */
	unsetenv("DMAENGINE_DEBUG");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	failed += core_cookie_tests();
	failed += core_register_tests();
	failed += core_request_tests();
	failed += core_misuse_tests();
	failed += core_context_tests();
	failed += core_reuse_tests();
	failed += core_summary_tests();
	failed += core_deps_tests();
	return failed ? 1 : 0;
}
