/* SPDX-License-Identifier: MIT */
/*
 * waitqueue.h - wait-queue helpers private to src/os.
 */
#ifndef DMAE_OS_WAITQUEUE_H
#define DMAE_OS_WAITQUEUE_H

#include <dmaengine/os.h>

/**
 * dmae__wake_up_one - wake one sleeper of @wq, for queues whose sleepers
 * are interchangeable workers that each drain all the work before sleeping.
 * Context: any.
 */
void dmae__wake_up_one(wait_queue_head_t *wq);

#endif /* DMAE_OS_WAITQUEUE_H */
