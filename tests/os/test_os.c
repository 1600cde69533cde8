// SPDX-License-Identifier: MIT
/*
 * test_os.c - runs the src/os unit tests; an argument selects tests by name
 * (a cmocka pattern, e.g. "*tasklet*").
 */
#include <stdlib.h>

#include "os_test.h"

int main(int argc, char **argv)
{
	int failed = 0;

	/* Debug lines must be dropped, as the log tests expect. */
	unsetenv("DMAENGINE_DEBUG");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	failed += os_sync_tests();
	failed += os_relay_tests();
	failed += os_tasklet_tests();
	failed += os_irq_tests();
	failed += os_timer_tests();
	return failed ? 1 : 0;
}
