/* SPDX-License-Identifier: MIT */
/*
 * dpdk.h - private to dmabench: DPDK's software DMA device (the dma_skeleton
 * driver, through librte_dmadev) as a peer of the cpu provider.
 *
 * Built only when pkg-config finds libdpdk at configure time
 * (DMABENCH_HAVE_DPDK); otherwise every call says why it is absent and the
 * suite prints "DPDK not installed: skipped". See dpdk.c for how the EAL is
 * run so that it does not disturb the library's threads.
 */
#ifndef DMABENCH_DPDK_H
#define DMABENCH_DPDK_H

#include <stdio.h>

#include "bench.h"

#define BENCH_DPDK_MAX_DEVS 8 /* skeleton devices used at most */

#ifdef DMABENCH_HAVE_DPDK
/* Start the EAL once (@eal: its arguments, NULL for the default) and set up
 * every dma device found. 0, or -1 with the reason in @why. */
int bench_dpdk_init(const char *eal, char *why, size_t whylen);
/* The EAL arguments used; the DPDK version. */
const char *bench_dpdk_eal(void);
const char *bench_dpdk_version(void);
/* Devices ready (0 before bench_dpdk_init or after a failure). */
unsigned int bench_dpdk_devs(void);
/* Start or stop device @d's worker thread (it polls while started). */
int bench_dpdk_start(unsigned int d);
void bench_dpdk_stop(unsigned int d);
/* Copies of --size bytes through device @d from this thread, as dma_run(). */
int bench_dpdk_run(unsigned int d, const struct bench_opts *o, struct bench_bufs *b,
		   struct bench_tput *t);
/* One copy of @len bytes from the start of the buffers through @d, checked. */
int bench_dpdk_check(unsigned int d, struct bench_bufs *b, size_t len);
/* One copy, from rte_dma_copy to rte_dma_completed seeing it: ns, or 0 on failure. */
u64 bench_dpdk_latency(unsigned int d, struct bench_bufs *b, size_t len);
void bench_dpdk_exit(void);
#else
static inline int bench_dpdk_init(const char *eal, char *why, size_t whylen)
{
#ifdef DMABENCH_DPDK_OFF
	snprintf(why, whylen, "DPDK left out at build time (-DDMABENCH_DPDK=OFF)");
#else
	snprintf(why, whylen, "DPDK not installed");
#endif
	return -1;
}
static inline const char *bench_dpdk_eal(void) { return ""; }
static inline const char *bench_dpdk_version(void) { return ""; }
static inline unsigned int bench_dpdk_devs(void) { return 0; }
static inline int bench_dpdk_start(unsigned int d) { return -1; }
static inline void bench_dpdk_stop(unsigned int d) { }
static inline int bench_dpdk_run(unsigned int d, const struct bench_opts *o,
				 struct bench_bufs *b, struct bench_tput *t)
{
	return -1;
}
static inline int bench_dpdk_check(unsigned int d, struct bench_bufs *b, size_t len)
{
	return -1;
}
static inline u64 bench_dpdk_latency(unsigned int d, struct bench_bufs *b, size_t len)
{
	return 0;
}
static inline void bench_dpdk_exit(void) { }
#endif

#endif /* DMABENCH_DPDK_H */
