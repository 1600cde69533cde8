/* SPDX-License-Identifier: MIT */
/*
 * membarrier.h - asymmetric barriers, private to the library.
 *
 * The fast side orders its accesses with compiler barriers only; the slow
 * side calls dmae__membarrier(), which runs a full barrier on every thread of
 * the process, so that each fast-side thread is either seen past a point or
 * sees the slow side's earlier stores.
 */
#ifndef DMAE_OS_MEMBARRIER_H
#define DMAE_OS_MEMBARRIER_H

#include <dmaengine/types.h>

/* True once the process is registered for expedited private membarriers. */
bool dmae__membarrier_available(void);
/* A full barrier on every thread of the process. Context: process; slow. */
void dmae__membarrier(void);

#endif /* DMAE_OS_MEMBARRIER_H */
