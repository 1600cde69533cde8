/* SPDX-License-Identifier: MIT */
/*
 * core_test.h - private to the core tests: log capture, per-test setup and
 * teardown, callback probes and the "the channel still works" check.
 */
#ifndef DMAE_TESTS_CORE_TEST_H
#define DMAE_TESTS_CORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/dmaengine.h>
#include <dmaengine/provider.h>

#include "common/log_capture.h"
#include "core/mock.h"

/* A capability as a bit of the mask mock_dev_alloc() takes. */
#define CAP(x) BIT(DMA_##x)

/* How long a wait may take before the test fails (a guard, never a delay). */
#define CORE_WAIT_JIFFIES 10000

/* ----------------------------------------------------- setup and teardown */

/* Capture logs; fail if an earlier test left a device registered. */
int core_setup(void **state);
/* Destroy what the test left, balance dmaengine_get(), restore logging. */
int core_teardown(void **state);
/* dmaengine_get()/dmaengine_put(), counted so that teardown can balance them. */
void core_get(void);
void core_put(void);

/* A cmocka test with the core fixtures. */
#define core_test(f) cmocka_unit_test_setup_teardown(f, core_setup, core_teardown)

/* ------------------------------------------------------- callback probes */

/*
 * What a descriptor callback saw; the action runs inside the callback.
 * The callback ends by setting done and waking a static wait queue: after
 * that it no longer touches the probe, so a probe on the waiter's stack may
 * go out of scope as soon as the wait returns.
 */
struct cb_probe {
	u32 done;			    /* set (release) at the end of the callback */
	u32 calls;			    /* times the callback ran (atomic) */
	enum dmae_context ctx;		    /* context it ran in */
	void (*action)(struct cb_probe *p); /* optional work done inside it */
	struct dma_chan *chan;		    /* for the action */
	int ret;			    /* the action's result */
	int id;				    /* for order checks */
	int *order;			    /* where to append id, or NULL */
	u32 *order_len;			    /* entries of order (atomic) */
};

void cb_probe_init(struct cb_probe *p);
/* dma_async_tx_callback: records, runs the action, sets done. */
void cb_probe_fn(void *param);
/* Wait for the probe's callback; false if it did not come in time. */
bool cb_probe_wait(struct cb_probe *p);

/* ---------------------------------------------------------------- helpers */

/* A held channel works: a 64-byte memcpy is prepared, submitted, issued,
 * completes with its callback in completion context, and the data moved. */
void core_assert_chan_works(const char *file, int line, struct dma_chan *chan);
#define assert_chan_works(chan) core_assert_chan_works(__FILE__, __LINE__, (chan))

/* A numeric sysfs attribute of @chan ("in_use", "memcpy_count"...), or -errno. */
long chan_attr_num(struct dma_chan *chan, const char *attr);

/* A memcpy descriptor of 64 bytes between two aligned static buffers. */
struct dma_async_tx_descriptor *core_prep_copy(struct dma_chan *chan, unsigned long flags);

/* ----------------------------------------------------------------- groups */

int core_cookie_tests(void);
int core_register_tests(void);
int core_request_tests(void);
int core_misuse_tests(void);
int core_context_tests(void);
int core_reuse_tests(void);
int core_summary_tests(void);
int core_deps_tests(void);

#endif /* DMAE_TESTS_CORE_TEST_H */
