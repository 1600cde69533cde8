// SPDX-License-Identifier: MIT
/*
 * test_os_tasklet.c - tasklets: context, no self-concurrency, re-runs,
 * kill, disable/enable, and sleeping calls refused in them.
 */
#include "os_test.h"

struct probe {
	struct tasklet_struct t;	/* the tasklet under test */
	struct completion entered;	/* one complete() a handler start */
	struct completion done;		/* one complete() a handler end */
	u32 runs;			/* handler calls */
	u32 ctx;			/* dmae_context() seen by the handler, + 1 */
	u32 inside;			/* handler running now */
	u32 reentered;			/* handler found itself running */
	u32 hold;			/* first call waits for release */
	u32 release;			/* lets a held handler return */
	u32 finished;			/* a held handler returned */
	u32 slept;			/* dmae_might_sleep() result, + 1 */
	unsigned long left;		/* wait_for_completion_timeout() result */
	struct completion never;	/* nobody completes it */
	struct tasklet_struct *victim;	/* tasklet_kill()ed from the handler */
};

static void probe_init(struct probe *p, void (*fn)(struct tasklet_struct *))
{
	memset(p, 0, sizeof(*p));
	tasklet_setup(&p->t, fn);
	init_completion(&p->entered);
	init_completion(&p->done);
	init_completion(&p->never);
}

/* The common handler: counts, checks re-entry, may hold, signals. */
static void probe_handler(struct tasklet_struct *t)
{
	struct probe *p = from_tasklet(p, t, t);
	u32 n;

	if (__atomic_exchange_n(&p->inside, 1, __ATOMIC_ACQ_REL))
		os_inc(&p->reentered);
	os_store(&p->ctx, (u32)dmae_context() + 1);
	n = os_inc(&p->runs);
	complete(&p->entered);
	if (n == 1 && os_load(&p->hold)) {
		os_wait_flag(&p->release);
		os_store(&p->finished, 1);
	}
	dmae_yield(); /* widen the window for a concurrent run */
	__atomic_store_n(&p->inside, 0, __ATOMIC_RELEASE);
	complete(&p->done);
}

static void test_tasklet_runs_in_completion_context(void **state)
{
	struct probe p;

	probe_init(&p, probe_handler);
	tasklet_schedule(&p.t);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.ctx), DMAE_CTX_COMPLETION + 1);
	assert_int_equal(os_load(&p.runs), 1);
	tasklet_kill(&p.t);
	assert_int_equal(__atomic_load_n(&p.t.state, __ATOMIC_ACQUIRE), 0);
}

static void legacy_func(unsigned long data)
{
	struct probe *p = (struct probe *)data;

	os_store(&p->ctx, (u32)in_softirq() + 1);
	complete(&p->done);
}

static void test_tasklet_init_passes_data(void **state)
{
	struct probe p;

	probe_init(&p, NULL);
	tasklet_init(&p.t, legacy_func, (unsigned long)&p);
	tasklet_hi_schedule(&p.t);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.ctx), 2);
	tasklet_kill(&p.t);
}

#define SCHEDULERS 2
#define SCHEDULES 5000

static void scheduler_thread(void *arg)
{
	struct probe *p = arg;
	int i;

	for (i = 0; i < SCHEDULES; i++)
		tasklet_schedule(&p->t);
}

static void test_tasklet_never_runs_concurrently(void **state)
{
	struct dmae_thread *t[SCHEDULERS];
	struct probe p;
	int i;

	probe_init(&p, probe_handler);
	for (i = 0; i < SCHEDULERS; i++)
		t[i] = os_spawn(scheduler_thread, &p);
	for (i = 0; i < SCHEDULERS; i++)
		dmae_thread_join(t[i]);
	tasklet_kill(&p.t); /* every schedule done before: all runs are over */
	assert_int_equal(os_load(&p.reentered), 0);
	assert_true(os_load(&p.runs) >= 1);
	assert_int_equal(os_load(&p.inside), 0);
	assert_int_equal(__atomic_load_n(&p.t.state, __ATOMIC_ACQUIRE), 0);
}

static void test_tasklet_scheduled_while_running_runs_again(void **state)
{
	struct probe p;

	probe_init(&p, probe_handler);
	p.hold = 1;
	tasklet_schedule(&p.t);
	wait_for_completion(&p.entered);
	tasklet_schedule(&p.t); /* SCHED was cleared before the call: queued again */
	os_store(&p.release, 1);
	wait_for_completion(&p.done);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.runs), 2);
	assert_int_equal(os_load(&p.reentered), 0);
	tasklet_kill(&p.t);
}

static void test_tasklet_kill_waits_for_handler(void **state)
{
	struct dmae_thread *releaser;
	struct probe p;

	probe_init(&p, probe_handler);
	p.hold = 1;
	tasklet_schedule(&p.t);
	wait_for_completion(&p.entered);
	releaser = os_spawn(os_set_flag_thread, &p.release);
	tasklet_kill(&p.t);
	assert_int_equal(os_load(&p.finished), 1);
	dmae_thread_join(releaser);
	assert_int_equal(__atomic_load_n(&p.t.state, __ATOMIC_ACQUIRE), 0);
}

static void test_tasklet_kill_idle_returns(void **state)
{
	struct probe p;

	probe_init(&p, probe_handler);
	tasklet_kill(&p.t);
	tasklet_schedule(&p.t); /* still usable */
	wait_for_completion(&p.done);
	tasklet_kill(&p.t);
	assert_int_equal(os_load(&p.runs), 1);
}

static void test_tasklet_disable_defers_until_enable(void **state)
{
	struct probe p;

	probe_init(&p, probe_handler);
	tasklet_disable(&p.t);
	tasklet_disable(&p.t);
	tasklet_schedule(&p.t);
	tasklet_enable(&p.t); /* still disabled once */
	os_sleep_ms(OS_NEGATIVE_MS);
	assert_int_equal(os_load(&p.runs), 0);
	tasklet_enable(&p.t);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.runs), 1);
	tasklet_kill(&p.t);
}

static void test_tasklet_disable_waits_for_handler(void **state)
{
	struct dmae_thread *releaser;
	struct probe p;

	probe_init(&p, probe_handler);
	p.hold = 1;
	tasklet_schedule(&p.t);
	wait_for_completion(&p.entered);
	releaser = os_spawn(os_set_flag_thread, &p.release);
	tasklet_disable(&p.t);
	assert_int_equal(os_load(&p.finished), 1);
	tasklet_enable(&p.t);
	dmae_thread_join(releaser);
	tasklet_kill(&p.t);
}

/* Kill drops a run deferred by tasklet_disable instead of waiting for ever. */
static void test_tasklet_kill_drops_disabled_run(void **state)
{
	struct probe p;

	probe_init(&p, probe_handler);
	tasklet_disable(&p.t);
	tasklet_schedule(&p.t);
	tasklet_kill(&p.t);
	tasklet_enable(&p.t);
	assert_int_equal(__atomic_load_n(&p.t.state, __ATOMIC_ACQUIRE), 0);
	tasklet_schedule(&p.t);
	wait_for_completion(&p.done);
	tasklet_kill(&p.t);
	assert_int_equal(os_load(&p.runs), 1);
}

static void sleepy_handler(struct tasklet_struct *t)
{
	struct probe *p = from_tasklet(p, t, t);

	os_store(&p->slept, (u32)dmae_might_sleep("probe_sleep") + 1);
	complete(&p->done);
}

static void test_tasklet_might_sleep_warns_once(void **state)
{
	struct os_capture cap;
	struct probe p;

	probe_init(&p, sleepy_handler);
	os_capture_begin(&cap);
	tasklet_schedule(&p.t);
	wait_for_completion(&p.done);
	tasklet_kill(&p.t);
	assert_int_equal(os_load(&p.slept), 2);
	assert_int_equal(os_capture_lines(&cap), 1);
	assert_int_equal(cap.level, DMAE_LOG_WARN);
	assert_string_equal(cap.last, OS_SLEEP_BUG("probe_sleep", "completion"));
}

static void waiting_handler(struct tasklet_struct *t)
{
	struct probe *p = from_tasklet(p, t, t);

	wait_for_completion(&p->never);
	p->left = wait_for_completion_timeout(&p->never, 60000);
	tasklet_kill(p->victim);
	complete(&p->done);
}

/* Sleeping calls in a tasklet warn and return instead of hanging. */
static void test_tasklet_sleeping_calls_return(void **state)
{
	struct os_capture cap;
	struct probe p, victim;

	probe_init(&p, waiting_handler);
	probe_init(&victim, probe_handler);
	p.victim = &victim.t;
	p.left = 1;
	os_capture_begin(&cap);
	tasklet_schedule(&p.t);
	assert_true(wait_for_completion_timeout(&p.done, 60000) > 0);
	tasklet_kill(&p.t);
	assert_int_equal(p.left, 0);
	assert_int_equal(os_capture_lines(&cap), 3);
	assert_string_equal(cap.last, OS_SLEEP_BUG("tasklet_kill", "completion"));
}

#define T(f) cmocka_unit_test_teardown(f, os_teardown)

int os_tasklet_tests(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tasklet_runs_in_completion_context),
		T(test_tasklet_init_passes_data),
		T(test_tasklet_never_runs_concurrently),
		T(test_tasklet_scheduled_while_running_runs_again),
		T(test_tasklet_kill_waits_for_handler),
		T(test_tasklet_kill_idle_returns),
		T(test_tasklet_disable_defers_until_enable),
		T(test_tasklet_disable_waits_for_handler),
		T(test_tasklet_kill_drops_disabled_run),
		T(test_tasklet_might_sleep_warns_once),
		T(test_tasklet_sleeping_calls_return),
	};

	return cmocka_run_group_tests_name("os_tasklet", tests, NULL, NULL);
}
