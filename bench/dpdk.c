// SPDX-License-Identifier: MIT
/*
 * dpdk.c - the peer: DPDK's dma_skeleton (a software DMA device: one worker
 * thread per device, rte_memcpy, SPSC rings) through librte_dmadev, driven
 * the way a DPDK application drives a dmadev: rte_dma_copy for each copy,
 * rte_dma_submit per batch, rte_dma_completed to reap.
 *
 * The EAL is initialised once, in this process, with (by default)
 *
 *   --no-huge --no-pci -m 1024 --iova-mode=va --no-shconf --no-telemetry
 *   --log-level=warning -l C0,C1 --main-lcore=C0
 *   --vdev=dma_skeleton0,lcore=C0 --vdev=dma_skeleton1,lcore=C1
 *
 * where C0 and C1 are the first two CPUs the process may use (0 and 1 on a
 * 2-CPU machine, as in shared/reference/peers.md): each skeleton's worker is
 * pinned to a CPU of its own, as a DPDK deployment would do, so that the
 * two-client runs use one device per client and one CPU per device.
 * --no-shconf and --no-telemetry keep the EAL from creating files, sockets
 * and the threads that serve them (--in-memory would too, but --no-huge
 * forbids it), so that two runs do not collide either. Buffers come from
 * aligned_alloc and their addresses go to the device as IOVAs (IOVA as VA,
 * which the bench checks).
 *
 * What keeps the EAL from disturbing the library's threads:
 *   - rte_eal_init pins the calling thread to the main lcore's CPU, and
 *     every thread created afterwards inherits that. The bench saves the
 *     thread's affinity before rte_eal_init and restores it right after,
 *     before the library starts its workers (the cpu provider also sizes
 *     its worker count from the affinity mask) and before the bench's own
 *     client threads start.
 *   - The EAL's thread for the second lcore waits on a pipe: it uses no CPU.
 *   - A started skeleton's worker polls, and when idle sleeps 10 us at a
 *     time (thousands of wake-ups a second): a device is started only for
 *     its own measurements (rte_dma_start) and stopped right after
 *     (rte_dma_stop joins the thread), so that it never runs while the
 *     provider, memcpy or the idle CPU use are measured.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_version.h>

/* <sys/queue.h> (through DPDK) and dmaengine/list.h both define LIST_HEAD;
 * this file uses neither. */
#undef LIST_HEAD
#include "dpdk.h"

#define DPDK_NB_DESC 1024 /* ring entries per device (1023 usable) */
#define DPDK_MAX_ARGS 32

static struct bench_dpdk {
	char eal[512];			      /* the EAL arguments, as shown */
	char words[512];		      /* the same, cut into words for argv */
	char *argv[DPDK_MAX_ARGS];	      /* given to rte_eal_init, which keeps them */
	int16_t dev[BENCH_DPDK_MAX_DEVS];     /* dmadev ids in use */
	unsigned int window[BENCH_DPDK_MAX_DEVS]; /* copies in flight at most on each */
	bool started[BENCH_DPDK_MAX_DEVS];    /* its worker runs */
	unsigned int ndevs;		      /* devices set up */
	bool eal_up;			      /* rte_eal_init succeeded */
} dpdk;

/* The default EAL arguments, for the first two CPUs this thread may use. */
static void default_eal(char *buf, size_t len)
{
	cpu_set_t set;
	int cpu[2] = { 0, 0 }, n = 0;

	if (!sched_getaffinity(0, sizeof(set), &set))
		for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
			if (CPU_ISSET(c, &set))
				cpu[n++] = c;
	if (n < 2)
		snprintf(buf, len, "--no-huge --no-pci -m 1024 --iova-mode=va --no-shconf "
			 "--no-telemetry --log-level=warning -l %d --main-lcore=%d "
			 "--vdev=dma_skeleton0,lcore=%d", cpu[0], cpu[0], cpu[0]);
	else
		snprintf(buf, len, "--no-huge --no-pci -m 1024 --iova-mode=va --no-shconf "
			 "--no-telemetry --log-level=warning -l %d,%d --main-lcore=%d "
			 "--vdev=dma_skeleton0,lcore=%d --vdev=dma_skeleton1,lcore=%d",
			 cpu[0], cpu[1], cpu[0], cpu[0], cpu[1]);
}

/* Split dpdk.eal into dpdk.argv after a program name; returns argc. */
static int split_eal(void)
{
	static char prog[] = "dmabench";
	char *save = NULL, *w;
	int argc = 0;

	memcpy(dpdk.words, dpdk.eal, sizeof(dpdk.words));
	dpdk.argv[argc++] = prog;
	for (w = strtok_r(dpdk.words, " ", &save); w && argc < DPDK_MAX_ARGS - 1;
	     w = strtok_r(NULL, " ", &save))
		dpdk.argv[argc++] = w;
	dpdk.argv[argc] = NULL;
	return argc;
}

/* Configure device @id with one memory-to-memory vchan; 0, or -1. */
static int dev_setup(int16_t id, unsigned int *window)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vconf = { .direction = RTE_DMA_DIR_MEM_TO_MEM };
	struct rte_dma_info info;

	if (rte_dma_info_get(id, &info) || !(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM) ||
	    !(info.dev_capa & RTE_DMA_CAPA_OPS_COPY))
		return -1;
	vconf.nb_desc = DPDK_NB_DESC;
	if (vconf.nb_desc > info.max_desc)
		vconf.nb_desc = info.max_desc;
	if (rte_dma_configure(id, &conf) || rte_dma_vchan_setup(id, 0, &vconf))
		return -1;
	*window = vconf.nb_desc - 1;
	return 0;
}

int bench_dpdk_init(const char *eal, char *why, size_t whylen)
{
	cpu_set_t saved;
	int16_t id;
	int argc, ret;
	bool restore;

	if (eal)
		snprintf(dpdk.eal, sizeof(dpdk.eal), "%s", eal);
	else
		default_eal(dpdk.eal, sizeof(dpdk.eal));
	argc = split_eal();
	restore = !sched_getaffinity(0, sizeof(saved), &saved);
	ret = rte_eal_init(argc, dpdk.argv);
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
	if (ret < 0) {
		snprintf(why, whylen, "rte_eal_init failed: %s", rte_strerror(rte_errno));
		return -1;
	}
	dpdk.eal_up = true;
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		snprintf(why, whylen, "the EAL chose IOVA as PA: the bench passes virtual addresses");
		return -1;
	}
	RTE_DMA_FOREACH_DEV(id) {
		if (dpdk.ndevs < BENCH_DPDK_MAX_DEVS && !dev_setup(id, &dpdk.window[dpdk.ndevs]))
			dpdk.dev[dpdk.ndevs++] = id;
	}
	if (!dpdk.ndevs) {
		snprintf(why, whylen, "no memory-to-memory dma device (is librte-dma-skeleton23 installed?)");
		return -1;
	}
	return 0;
}

const char *bench_dpdk_eal(void)
{
	return dpdk.eal;
}

const char *bench_dpdk_version(void)
{
	return rte_version();
}

unsigned int bench_dpdk_devs(void)
{
	return dpdk.ndevs;
}

int bench_dpdk_start(unsigned int d)
{
	if (d >= dpdk.ndevs || rte_dma_start(dpdk.dev[d]))
		return -1;
	dpdk.started[d] = true;
	return 0;
}

void bench_dpdk_stop(unsigned int d)
{
	if (d < dpdk.ndevs && dpdk.started[d]) {
		rte_dma_stop(dpdk.dev[d]);
		dpdk.started[d] = false;
	}
}

/* Copies completed since the last call; -1 when the device reports an error. */
static int reap(int16_t dev, unsigned int max)
{
	uint16_t last;
	bool error = false;
	uint16_t n = rte_dma_completed(dev, 0, (uint16_t)max, &last, &error);

	return error ? -1 : n;
}

/*
 * bench_dpdk_run - as dma_run() in polled mode: a batch of rte_dma_copy
 * calls then one rte_dma_submit, whenever the batch fits in the window;
 * completions reaped with rte_dma_completed on every turn; what is in
 * flight at the end is drained, and counts.
 */
int bench_dpdk_run(unsigned int d, const struct bench_opts *o, struct bench_bufs *b,
		   struct bench_tput *t)
{
	int16_t dev = dpdk.dev[d];
	unsigned int window = o->window < dpdk.window[d] ? o->window : dpdk.window[d];
	u64 submitted = 0, done = 0, start = dmae_clock_ns(), end = start + o->ms * 1000000ull;
	int n;

	for (;;) {
		if ((n = reap(dev, window)) < 0)
			return -1;
		done += (u64)n;
		if (submitted - done + o->batch > window) {
			cpu_relax();
			continue;
		}
		if (dmae_clock_ns() >= end)
			break;
		for (unsigned int i = 0; i < o->batch; i++, submitted++) {
			size_t off = (submitted % b->slots) * o->size;

			if (rte_dma_copy(dev, 0, (rte_iova_t)(uintptr_t)(b->src + off),
					 (rte_iova_t)(uintptr_t)(b->dst + off), (uint32_t)o->size,
					 0) < 0)
				break; /* ring full: submit what went in */
		}
		rte_dma_submit(dev, 0);
	}
	while (done < submitted) {
		if ((n = reap(dev, window)) < 0)
			return -1;
		done += (u64)n;
	}
	t->ops = submitted;
	t->ns = dmae_clock_ns() - start;
	return 0;
}

/* Wait for one completion on @dev; 0, or -1 (error, or none within a second). */
static int wait_one(int16_t dev)
{
	u64 limit = dmae_clock_ns() + 1000000000ull;
	int n;

	while (!(n = reap(dev, 1)))
		if (dmae_clock_ns() > limit)
			return -1;
	return n < 0 ? -1 : 0;
}

int bench_dpdk_check(unsigned int d, struct bench_bufs *b, size_t len)
{
	int16_t dev = dpdk.dev[d];

	memset(b->dst, 0, len);
	if (rte_dma_copy(dev, 0, (rte_iova_t)(uintptr_t)b->src, (rte_iova_t)(uintptr_t)b->dst,
			 (uint32_t)len, RTE_DMA_OP_FLAG_SUBMIT) < 0 || wait_one(dev)) {
		fprintf(stderr, "dmabench: a copy of %zu B through DPDK device %d failed\n", len, dev);
		return -1;
	}
	return copy_bufs_check(b, 0, len, "dma_skeleton");
}

u64 bench_dpdk_latency(unsigned int d, struct bench_bufs *b, size_t len)
{
	int16_t dev = dpdk.dev[d];
	u64 t0 = dmae_clock_ns();

	if (rte_dma_copy(dev, 0, (rte_iova_t)(uintptr_t)b->src, (rte_iova_t)(uintptr_t)b->dst,
			 (uint32_t)len, RTE_DMA_OP_FLAG_SUBMIT) < 0 || wait_one(dev))
		return 0;
	return dmae_clock_ns() - t0;
}

void bench_dpdk_exit(void)
{
	for (unsigned int d = 0; d < dpdk.ndevs; d++) {
		bench_dpdk_stop(d);
		rte_dma_close(dpdk.dev[d]);
	}
	dpdk.ndevs = 0;
	if (dpdk.eal_up)
		rte_eal_cleanup();
	dpdk.eal_up = false;
}
