// SPDX-License-Identifier: MIT
/*
 * clock.c - time (the monotonic clock, jiffies) and CPUs (count, current, yield).
 */
#include <sched.h>
#include <time.h>

#include <dmaengine/os.h>

/** dmae_clock_ns - CLOCK_MONOTONIC in nanoseconds. Context: any. */
DMAE_EXPORT u64 dmae_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/** dmae_jiffies - the same clock in milliseconds (HZ is 1000). Context: any. */
DMAE_EXPORT unsigned long dmae_jiffies(void)
{
	return (unsigned long)(dmae_clock_ns() / 1000000ull);
}

/**
 * dmae_cpu_count - the CPUs this process may run on (at least 1), from its
 * affinity mask so that taskset and cgroups are honoured. Context: any.
 */
DMAE_EXPORT int dmae_cpu_count(void)
{
	cpu_set_t set;
	int n;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	return n > 0 ? n : 1;
}

/** dmae_current_cpu - the CPU running the caller now, 0 if unknown. Context: any. */
DMAE_EXPORT int dmae_current_cpu(void)
{
	int cpu = sched_getcpu();

	return cpu >= 0 ? cpu : 0;
}

/** dmae_yield - let another runnable thread have the CPU. Context: any. */
DMAE_EXPORT void dmae_yield(void)
{
	sched_yield();
}
