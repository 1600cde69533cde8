/* SPDX-License-Identifier: MIT */
/*
 * pin.h - private to the tests: finding a cpu device's worker threads by
 * name, and pinning threads to CPUs, for tests that need two threads on
 * two CPUs (or on one).
 */
#ifndef DMAE_TEST_PIN_H
#define DMAE_TEST_PIN_H

#include <sched.h>
#include <sys/types.h>

#include <dmaengine/dmaengine.h>

/**
 * worker_tid - the thread id of worker @idx of cpu device @dma (named
 * dma<id>w<idx>), waiting a while for it to start; -1 if there is none.
 */
pid_t worker_tid(struct dma_device *dma, unsigned int idx);
/** pin_tid - run thread @tid (0: the caller) on @cpu only; 0 or -1. */
int pin_tid(pid_t tid, int cpu);
/**
 * first_cpus - the first @n CPUs the caller may run on into @cpus, and its
 * affinity into *@was (to restore); returns how many it found.
 */
int first_cpus(int *cpus, int n, cpu_set_t *was);

#endif /* DMAE_TEST_PIN_H */
