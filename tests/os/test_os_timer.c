// SPDX-License-Identifier: MIT
/*
 * test_os_timer.c - timers: context, mod_timer/del_timer results,
 * del_timer_sync against a running function, re-arming, order.
 */
#include "os_test.h"

#define REARMS 5

struct timer_probe {
	struct timer_list timer;	/* the timer under test */
	struct completion entered;	/* one complete() a function start */
	struct completion done;		/* one complete() a function end */
	u32 calls;			/* function calls */
	u32 ctx;			/* dmae_context() seen, + 1 */
	u32 hold;			/* the first call waits for release */
	u32 release;			/* lets a held function return */
	u32 finished;			/* a held function returned */
	u32 rearm;			/* re-arm until this many calls */
	u32 *order;			/* shared: where to record the firing order */
	u32 *nr_order;			/* shared: entries of order */
	u32 id;				/* recorded in order */
};

static void timer_probe_fn(struct timer_list *t)
{
	struct timer_probe *p = from_timer(p, t, timer);
	u32 n = os_inc(&p->calls);

	os_store(&p->ctx, (u32)dmae_context() + 1);
	if (p->order)
		os_store(&p->order[os_inc(p->nr_order) - 1], p->id);
	complete(&p->entered);
	if (n == 1 && os_load(&p->hold)) {
		os_wait_flag(&p->release);
		os_store(&p->finished, 1);
	}
	if (n < os_load(&p->rearm)) {
		mod_timer(t, jiffies + 1);
		return;
	}
	complete(&p->done);
}

static void timer_probe_init(struct timer_probe *p)
{
	memset(p, 0, sizeof(*p));
	timer_setup(&p->timer, timer_probe_fn, 0);
	init_completion(&p->entered);
	init_completion(&p->done);
}

static void test_timer_fires_in_completion_context(void **state)
{
	struct timer_probe p;

	timer_probe_init(&p);
	assert_false(timer_pending(&p.timer));
	assert_int_equal(mod_timer(&p.timer, jiffies + 1), 0);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.ctx), DMAE_CTX_COMPLETION + 1);
	assert_false(timer_pending(&p.timer));
	assert_int_equal(del_timer_sync(&p.timer), 0);
	assert_int_equal(os_load(&p.calls), 1);
}

static void test_timer_in_the_past_fires(void **state)
{
	struct timer_probe p;

	timer_probe_init(&p);
	assert_int_equal(mod_timer(&p.timer, jiffies - 10), 0);
	wait_for_completion(&p.done);
	p.timer.expires = jiffies;
	add_timer(&p.timer);
	wait_for_completion(&p.done);
	assert_int_equal(del_timer_sync(&p.timer), 0);
	assert_int_equal(os_load(&p.calls), 2);
}

static void test_mod_timer_and_del_timer_results(void **state)
{
	struct timer_probe p;

	timer_probe_init(&p);
	assert_int_equal(mod_timer(&p.timer, jiffies + 600000), 0);
	assert_true(timer_pending(&p.timer));
	assert_int_equal(mod_timer(&p.timer, jiffies + 700000), 1);
	assert_int_equal(del_timer(&p.timer), 1);
	assert_false(timer_pending(&p.timer));
	assert_int_equal(del_timer(&p.timer), 0);

	p.timer.expires = jiffies + 600000;
	add_timer(&p.timer);
	assert_true(timer_pending(&p.timer));
	assert_int_equal(dmae_timer_mod_ns(&p.timer, dmae_clock_ns() + 600000000000ull), 1);
	assert_int_equal(timer_delete_sync(&p.timer), 1);
	assert_int_equal(del_timer_sync(&p.timer), 0);
	assert_int_equal(os_load(&p.calls), 0);
}

static void test_del_timer_prevents_firing(void **state)
{
	struct timer_probe p;

	timer_probe_init(&p);
	assert_int_equal(mod_timer(&p.timer, jiffies + OS_NEGATIVE_MS / 2), 0);
	assert_int_equal(del_timer(&p.timer), 1);
	os_sleep_ms(OS_NEGATIVE_MS);
	assert_int_equal(os_load(&p.calls), 0);
}

static void test_del_timer_sync_waits_for_running_function(void **state)
{
	struct dmae_thread *releaser;
	struct timer_probe p;

	timer_probe_init(&p);
	p.hold = 1;
	mod_timer(&p.timer, jiffies);
	wait_for_completion(&p.entered);
	releaser = os_spawn(os_set_flag_thread, &p.release);
	assert_int_equal(del_timer_sync(&p.timer), 0);
	assert_int_equal(os_load(&p.finished), 1);
	dmae_thread_join(releaser);
}

static void test_timer_rearms_itself(void **state)
{
	struct timer_probe p;

	timer_probe_init(&p);
	p.rearm = REARMS;
	mod_timer(&p.timer, jiffies + 1);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.calls), REARMS);
	assert_false(timer_pending(&p.timer));
	assert_int_equal(del_timer_sync(&p.timer), 0);
}

/* del_timer_sync must also catch a timer that re-arms itself while it waits. */
static void test_del_timer_sync_stops_rearming_timer(void **state)
{
	struct dmae_thread *releaser;
	struct timer_probe p;
	u32 calls;

	timer_probe_init(&p);
	p.hold = 1;
	p.rearm = 1000000;
	mod_timer(&p.timer, jiffies);
	wait_for_completion(&p.entered);
	releaser = os_spawn(os_set_flag_thread, &p.release);
	del_timer_sync(&p.timer);
	calls = os_load(&p.calls);
	assert_false(timer_pending(&p.timer));
	assert_int_equal(os_load(&p.finished), 1);
	dmae_thread_join(releaser);
	os_sleep_ms(OS_NEGATIVE_MS); /* no call after del_timer_sync returned */
	assert_false(timer_pending(&p.timer));
	assert_int_equal(os_load(&p.calls), calls);
}

static void test_timers_fire_in_deadline_order(void **state)
{
	struct timer_probe p[3];
	u32 order[3] = { 0 }, nr = 0;
	u64 base = dmae_clock_ns() + 20000000ull;
	static const u32 slot[3] = { 2, 0, 1 }; /* deadline rank of each timer */
	int i;

	for (i = 0; i < 3; i++) {
		timer_probe_init(&p[i]);
		p[i].order = order;
		p[i].nr_order = &nr;
		p[i].id = (u32)i;
	}
	for (i = 0; i < 3; i++)
		dmae_timer_mod_ns(&p[i].timer, base + slot[i] * 1000000ull);
	for (i = 0; i < 3; i++)
		wait_for_completion(&p[i].done);
	assert_int_equal(os_load(&nr), 3);
	assert_int_equal(os_load(&order[0]), 1);
	assert_int_equal(os_load(&order[1]), 2);
	assert_int_equal(os_load(&order[2]), 0);
	assert_true(dmae_clock_ns() >= base);
}

struct self_deleter {
	struct timer_list timer;	/* deletes itself from its function */
	struct completion done;		/* the function returned */
	int ret;			/* del_timer_sync() result in the function */
};

static void self_delete_fn(struct timer_list *t)
{
	struct self_deleter *s = from_timer(s, t, timer);

	mod_timer(t, jiffies + 600000);
	s->ret = del_timer_sync(t); /* would wait for itself: refused, as del_timer */
	complete(&s->done);
}

static void test_del_timer_sync_in_function_warns(void **state)
{
	struct os_capture cap;
	struct self_deleter s;

	timer_setup(&s.timer, self_delete_fn, 0);
	init_completion(&s.done);
	s.ret = -1;
	os_capture_begin(&cap);
	mod_timer(&s.timer, jiffies);
	wait_for_completion(&s.done);
	assert_int_equal(s.ret, 1);
	assert_false(timer_pending(&s.timer));
	assert_int_equal(os_capture_lines(&cap), 1);
	assert_string_equal(cap.last, OS_SLEEP_BUG("del_timer_sync", "completion"));
	assert_int_equal(del_timer_sync(&s.timer), 0);
}

#define T(f) cmocka_unit_test_teardown(f, os_teardown)

int os_timer_tests(void)
{
	const struct CMUnitTest tests[] = {
		T(test_timer_fires_in_completion_context),
		T(test_timer_in_the_past_fires),
		T(test_mod_timer_and_del_timer_results),
		T(test_del_timer_prevents_firing),
		T(test_del_timer_sync_waits_for_running_function),
		T(test_timer_rearms_itself),
		T(test_del_timer_sync_stops_rearming_timer),
		T(test_timers_fire_in_deadline_order),
		T(test_del_timer_sync_in_function_warns),
	};

	return cmocka_run_group_tests_name("os_timer", tests, NULL, NULL);
}
