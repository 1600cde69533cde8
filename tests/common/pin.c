// SPDX-License-Identifier: MIT
/*
 * pin.c - worker threads by name, and pinning (see pin.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/os.h>

#include "pin.h"

/* One look through the process's threads for @want (with its newline). */
static pid_t tid_named(const char *want)
{
	char comm[32], path[300];
	DIR *dir = opendir("/proc/self/task");
	struct dirent *e;
	pid_t tid = -1;

	if (!dir)
		return -1;
	while (tid < 0 && (e = readdir(dir))) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			tid = atoi(e->d_name);
		fclose(f);
	}
	closedir(dir);
	return tid;
}

pid_t worker_tid(struct dma_device *dma, unsigned int idx)
{
	char want[32];
	pid_t tid = -1;

	snprintf(want, sizeof(want), "dma%dw%u\n", dma->dev_id, idx);
	/* A worker names itself as it starts. */
	for (unsigned int i = 0; i < 100000 && (tid = tid_named(want)) < 0; i++)
		dmae_yield();
	return tid;
}

int pin_tid(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set);
}

int first_cpus(int *cpus, int n, cpu_set_t *was)
{
	int found = 0;

	if (sched_getaffinity(0, sizeof(*was), was))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && found < n; c++)
		if (CPU_ISSET(c, was))
			cpus[found++] = c;
	return found;
}
