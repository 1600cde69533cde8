/* SPDX-License-Identifier: MIT */
/*
 * quiesce.h - the wait queue's hooks into quiescence groups, private to src/os.
 */
#ifndef DMAE_OS_QUIESCE_H
#define DMAE_OS_QUIESCE_H

#include <dmaengine/os.h>

extern u32 dmae__quiesce_sleepers; /* members asleep in wait queues (atomic) */

bool dmae__quiesce_sleep_begin(wait_queue_head_t *wq, u32 seq);
void dmae__quiesce_sleep_end(void);
void dmae__quiesce_wake(wait_queue_head_t *wq);

#endif /* DMAE_OS_QUIESCE_H */
