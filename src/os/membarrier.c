// SPDX-License-Identifier: MIT
/*
 * membarrier.c - asymmetric memory barriers: a rare slow side (membarrier
 * system call) lets a frequent fast side go without fences or locked
 * instructions. Used by the cpu provider's single-client fast path.
 */
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os/futex.h"
#include "os/membarrier.h"

static int mb_state; /* 0 unknown, 1 usable, -1 not available; atomic */

bool dmae__membarrier_available(void)
{
	int s = __atomic_load_n(&mb_state, __ATOMIC_ACQUIRE);

	if (!s) {
		long q = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

		s = -1;
		if (q > 0 && (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
		    !syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0))
			s = 1;
		__atomic_store_n(&mb_state, s, __ATOMIC_RELEASE);
	}
	return s > 0;
}

void dmae__membarrier(void)
{
	dmae__smp_mb();
	syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	dmae__smp_mb();
}
