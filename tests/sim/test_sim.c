// SPDX-License-Identifier: MIT
/*
 * test_sim.c - virtual time (src/sim): the event queue's order, free-mode
 * jumps only when the board's threads sleep, level interrupts delivered on
 * the board thread, settling after an access, delays, determinism of a
 * scenario run twice, the grace for a thread that leaves the library, and
 * paced mode's bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/err.h>
#include <dmaengine/hw/sim.h>

#include "common/log_capture.h"

#define LOG_MAX 64

/* A toy device on the board: a status flag, its interrupt line, a log of what happened. */
struct toy {
	struct dmae_sim *sim;
	unsigned int irq;		/* Linux irq of the board's line 0 */
	struct toy_event {
		struct dmae_sim_event ev;
		struct toy *toy;
	} ev[4];			/* its events */
	u32 flag;			/* "status register": the line is high while set */
	u32 handled;			/* handler calls */
	u32 ignore;			/* the handler returns IRQ_NONE and leaves the flag */
	u32 keep;			/* the handler leaves the flag set this many more calls */
	struct completion done;		/* completed by the handler (or a tasklet) */
	struct tasklet_struct task;	/* bottom half of the handler */
	bool use_tasklet;		/* the handler defers the complete() to it */
	char log[LOG_MAX][48];		/* what happened, with virtual times */
	u32 nlog;
	spinlock_t log_lock;
};

static void toy_log(struct toy *t, const char *what)
{
	spin_lock(&t->log_lock);
	if (t->nlog < LOG_MAX)
		snprintf(t->log[t->nlog++], sizeof(t->log[0]), "%s@%llu", what,
			 (unsigned long long)dmae_sim_now(t->sim));
	spin_unlock(&t->log_lock);
}

static struct toy *toy_of(struct dmae_sim_event *ev)
{
	return container_of(ev, struct toy_event, ev)->toy;
}

/* An event that sets the status flag and raises the line. */
static void toy_fire(struct dmae_sim_event *ev)
{
	struct toy *t = toy_of(ev);

	toy_log(t, "fire");
	__atomic_store_n(&t->flag, 1, __ATOMIC_RELEASE);
	dmae_irq_set_level(t->irq, true);
}

/* Clear the flag as a driver's write-1-to-clear would: under the bus lock, at access cost. */
static void toy_clear(struct toy *t)
{
	dmae_sim_lock(t->sim);
	dmae_sim_access(t->sim);
	__atomic_store_n(&t->flag, 0, __ATOMIC_RELEASE);
	dmae_irq_set_level(t->irq, false);
	dmae_sim_unlock(t->sim);
	dmae_sim_settle(t->sim);
}

static void toy_task(struct tasklet_struct *task)
{
	struct toy *t = from_tasklet(t, task, task);

	toy_log(t, "tasklet");
	complete(&t->done);
}

static irqreturn_t toy_irq(int irq, void *dev_id)
{
	struct toy *t = dev_id;

	__atomic_add_fetch(&t->handled, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&t->ignore, __ATOMIC_RELAXED))
		return IRQ_NONE;
	toy_log(t, in_hardirq() ? "irq" : "irq-wrong-context");
	if (t->keep) {
		t->keep--;
		return IRQ_HANDLED;
	}
	toy_clear(t);
	if (t->use_tasklet)
		tasklet_schedule(&t->task);
	else
		complete(&t->done);
	return IRQ_HANDLED;
}

static struct toy *toy_new(enum dmae_sim_mode mode, double scale)
{
	struct dmae_sim_params p;
	struct toy *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	dmae_sim_params_init(&p);
	p.mode = mode;
	p.scale = scale;
	p.nr_irqs = 4;
	p.name = "toy";
	/* No thread of these tests leaves the library for long: no grace needed, however loaded the host. */
	p.grace_ns = 60ull * 1000000000ull;
	t->sim = dmae_sim_create(&p);
	assert_false(IS_ERR(t->sim));
	t->irq = dmae_irq_domain_base(dmae_sim_irqs(t->sim));
	init_completion(&t->done);
	tasklet_setup(&t->task, toy_task);
	for (int i = 0; i < 4; i++) {
		dmae_sim_event_init(&t->ev[i].ev, toy_fire, "toy-fire");
		t->ev[i].toy = t;
	}
	assert_int_equal(request_irq(t->irq, toy_irq, 0, "toy", t), 0);
	return t;
}

static void toy_free(struct toy *t)
{
	free_irq(t->irq, t);
	tasklet_kill(&t->task);
	dmae_sim_destroy(t->sim);
	dmae_quiesce_leave();
	free(t);
}

static void toy_schedule(struct toy *t, int i, dmae_sim_time_t at)
{
	dmae_sim_lock(t->sim);
	dmae_sim_access(t->sim); /* the test thread acts for the board */
	dmae_sim_schedule(t->sim, &t->ev[i].ev, at);
	dmae_sim_unlock(t->sim);
}

/* Queue event @i @delta after the board's current time (read under the lock, after an access). */
static void toy_schedule_in(struct toy *t, int i, dmae_sim_time_t delta)
{
	dmae_sim_lock(t->sim);
	dmae_sim_access(t->sim);
	dmae_sim_schedule(t->sim, &t->ev[i].ev, dmae_sim_now(t->sim) + delta);
	dmae_sim_unlock(t->sim);
}

/* ----------------------------------------------------------------- queue */

struct order_probe {
	struct dmae_sim_event ev[6];
	int ran[6];
	int n;
};

static struct order_probe *order_probe_of; /* the one test_queue_order runs */

static void order_fn(struct dmae_sim_event *ev)
{
	struct order_probe *p = order_probe_of;

	p->ran[p->n] = (int)(ev - p->ev);
	__atomic_store_n(&p->n, p->n + 1, __ATOMIC_RELEASE);
}

/* Events run by time, and in queueing order at the same time; cancel and move work. */
static void test_queue_order(void **state)
{
	struct dmae_sim_params prm;
	struct order_probe p = { .n = 0 };
	struct dmae_sim *sim;
	static const dmae_sim_time_t at[6] = { 50, 10, 30, 10, 30, 70 };

	dmae_sim_params_init(&prm);
	order_probe_of = &p;
	sim = dmae_sim_create(&prm);
	assert_false(IS_ERR(sim));
	dmae_sim_lock(sim);
	for (int i = 0; i < 6; i++) {
		dmae_sim_event_init(&p.ev[i], order_fn, "order");
		dmae_sim_schedule(sim, &p.ev[i], at[i] * DMAE_PS_PER_US);
	}
	dmae_sim_cancel(sim, &p.ev[5]);
	assert_false(dmae_sim_event_pending(&p.ev[5]));
	dmae_sim_schedule(sim, &p.ev[0], 20 * DMAE_PS_PER_US); /* moved earlier */
	assert_int_equal(dmae_sim_next(sim), 10 * DMAE_PS_PER_US);
	dmae_sim_unlock(sim);
	/* Nobody acts for this board: the clock runs through the queue at once. */
	for (int spins = 0; __atomic_load_n(&p.n, __ATOMIC_ACQUIRE) < 5; spins++) {
		assert_true(spins < 10000000);
		dmae_yield();
	}
	dmae_sim_lock(sim); /* the events ran under it */
	dmae_sim_unlock(sim);
	assert_int_equal(p.ran[0], 1);
	assert_int_equal(p.ran[1], 3);
	assert_int_equal(p.ran[2], 0);
	assert_int_equal(p.ran[3], 2);
	assert_int_equal(p.ran[4], 4);
	dmae_sim_lock(sim);
	assert_int_equal(dmae_sim_now(sim), 30 * DMAE_PS_PER_US);
	assert_int_equal(dmae_sim_next(sim), UINT64_MAX);
	dmae_sim_unlock(sim);
	dmae_sim_destroy(sim);
}

static void test_cycles(void **state)
{
	/* 209 MHz: 209 cycles are exactly one microsecond; 1 cycle rounds down. */
	assert_int_equal(dmae_sim_cycles_ps(209, 209000000), DMAE_PS_PER_US);
	assert_int_equal(dmae_sim_cycles_ps(1, 209000000), 4784);
	assert_int_equal(dmae_sim_ps_cycles(DMAE_PS_PER_US, 209000000), 209);
	assert_int_equal(dmae_sim_cycles_ps(1ull << 40, 1000000000), (1ull << 40) * 1000);
}

/* ------------------------------------------------------------ free mode */

/* The clock stands while the board's thread runs; it jumps when the thread sleeps. */
static void test_free_jumps_when_asleep(void **state)
{
	struct toy *t = toy_new(DMAE_SIM_FREE, 1.0);
	struct dmae_sim_stats s0, s1;
	dmae_sim_time_t before;

	toy_schedule(t, 0, 5 * DMAE_PS_PER_MS);
	dmae_sim_get_stats(t->sim, &s0);
	/*
	 * The test thread is a member now, and running: no jump, whatever the
	 * host does. A few yields give the board thread its chances; what is
	 * asserted is what it did with them (no jump, nobody counted away),
	 * never how long they took.
	 */
	for (int i = 0; i < 20; i++)
		dmae_yield();
	dmae_sim_get_stats(t->sim, &s1);
	before = dmae_sim_now(t->sim);
	assert_true(before < DMAE_PS_PER_US);
	assert_int_equal(t->nlog, 0);
	assert_int_equal(s1.jumps, s0.jumps);
	assert_int_equal(s1.aways, s0.aways);
	wait_for_completion(&t->done);
	/* fire at 5 ms, the handler at 5 ms plus its one access. */
	assert_int_equal(t->nlog, 2);
	assert_string_equal(t->log[0], "fire@5000000000");
	assert_string_equal(t->log[1], "irq@5000000000");
	assert_int_equal(t->handled, 1);
	assert_false(dmae_irq_level(t->irq));
	toy_free(t);
}

/* A level line is delivered again while it stays high; each call in interrupt context. */
static void test_level_redelivered(void **state)
{
	struct toy *t = toy_new(DMAE_SIM_FREE, 1.0);

	t->keep = 3;
	toy_schedule(t, 0, DMAE_PS_PER_US);
	wait_for_completion(&t->done);
	assert_int_equal(t->handled, 4);
	for (u32 i = 1; i < t->nlog; i++)
		assert_non_null(strstr(t->log[i], "irq@"));
	toy_free(t);
}

/* A level line nobody handles is shut with the kernel's lines; the board goes on. */
static void test_nobody_cared(void **state)
{
	struct toy *t = toy_new(DMAE_SIM_FREE, 1.0);

	log_capture_start();
	t->ignore = 1;
	toy_schedule(t, 0, DMAE_PS_PER_US);
	toy_schedule(t, 1, 2 * DMAE_PS_PER_US);
	/* Once the line is shut the second event is the last thing left. */
	dmae_sim_delay(t->sim, 10 * DMAE_PS_PER_US);
	log_capture_stop();
	assert_int_equal(t->handled, 1000);
	assert_int_equal(log_find("nobody cared"), 1);
	assert_int_equal(log_find("Disabling IRQ #"), 1);
	assert_true(dmae_sim_now(t->sim) >= 10 * DMAE_PS_PER_US);
	assert_int_equal(t->nlog, 2); /* both events fired */
	__atomic_store_n(&t->ignore, 0, __ATOMIC_RELAXED);
	enable_irq(t->irq);
	wait_for_completion(&t->done); /* still high: delivered once enabled */
	toy_free(t);
}

/* An access that runs an event which raises the line returns after the handler ran. */
static void test_settle_after_access(void **state)
{
	struct toy *t = toy_new(DMAE_SIM_FREE, 1.0);

	t->use_tasklet = true;
	toy_schedule(t, 0, 0); /* due at once: the next access runs it */
	dmae_sim_lock(t->sim);
	dmae_sim_access(t->sim);
	dmae_sim_unlock(t->sim);
	dmae_sim_settle(t->sim);
	/* Handler and tasklet both done, as if the CPU took the interrupt. */
	assert_true(try_wait_for_completion(&t->done));
	assert_int_equal(t->nlog, 3);
	assert_non_null(strstr(t->log[0], "fire@"));
	assert_non_null(strstr(t->log[1], "irq@"));
	assert_non_null(strstr(t->log[2], "tasklet@"));
	toy_free(t);
}

/* A delay sleeps until the board's clock gets there; events due meanwhile run first. */
static void test_delay(void **state)
{
	struct toy *t = toy_new(DMAE_SIM_FREE, 1.0);
	dmae_sim_time_t start;

	toy_schedule(t, 0, 3 * DMAE_PS_PER_US);
	start = dmae_sim_now(t->sim);
	dmae_sim_delay(t->sim, 10 * DMAE_PS_PER_US);
	assert_int_equal(dmae_sim_now(t->sim), start + 10 * DMAE_PS_PER_US);
	assert_true(try_wait_for_completion(&t->done));
	assert_string_equal(t->log[0], "fire@3000000");
	toy_free(t);
}

/* Run a scenario of events, interrupts, tasklets and wake-ups; keep its log. */
static void scenario(char out[LOG_MAX][48], u32 *n)
{
	struct toy *t = toy_new(DMAE_SIM_FREE, 1.0);

	t->use_tasklet = true;
	for (int round = 0; round < 8; round++) {
		toy_schedule_in(t, round % 4, (dmae_sim_time_t)(round + 1) * 777777);
		wait_for_completion(&t->done);
		toy_log(t, "woke");
	}
	memcpy(out, t->log, sizeof(t->log));
	*n = t->nlog;
	toy_free(t);
}

/* The same client gives the same sequence at the same virtual times, run after run. */
static void test_deterministic(void **state)
{
	static char a[LOG_MAX][48], b[LOG_MAX][48];
	u32 na, nb;

	scenario(a, &na);
	scenario(b, &nb);
	assert_int_equal(na, 32);
	assert_int_equal(na, nb);
	for (u32 i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static u32 grace_flag;

static void grace_fire(struct dmae_sim_event *ev)
{
	__atomic_store_n(&grace_flag, 1, __ATOMIC_RELEASE);
}

/* A member that spins outside the library is counted out after the grace time. */
static void test_grace(void **state)
{
	struct dmae_sim_params p;
	struct dmae_sim_stats st;
	struct dmae_sim_event ev;
	struct dmae_sim *sim;

	dmae_sim_params_init(&p);
	p.grace_ns = 20ull * 1000000ull;
	sim = dmae_sim_create(&p);
	assert_false(IS_ERR(sim));
	dmae_sim_event_init(&ev, grace_fire, "grace");
	grace_flag = 0;
	dmae_sim_lock(sim);
	dmae_sim_access(sim);
	dmae_sim_schedule(sim, &ev, DMAE_PS_PER_MS);
	dmae_sim_unlock(sim);
	while (!__atomic_load_n(&grace_flag, __ATOMIC_ACQUIRE))
		dmae_yield(); /* not a library wait: the board sees a running thread */
	dmae_sim_get_stats(sim, &st);
	assert_int_equal(st.aways, 1);
	assert_int_equal(dmae_quiesce_running(dmae_sim_quiesce(sim)), 0);
	/* Its next access counts it in again. */
	dmae_sim_lock(sim);
	dmae_sim_access(sim);
	dmae_sim_unlock(sim);
	assert_int_equal(dmae_quiesce_running(dmae_sim_quiesce(sim)), 1);
	dmae_sim_destroy(sim);
	dmae_quiesce_leave();
}

/* ----------------------------------------------------------- paced mode */

/* Paced: virtual time does not run ahead of the host clock times the scale. */
static void test_paced_bounds(void **state)
{
	struct toy *t = toy_new(DMAE_SIM_PACED, 4.0);
	u64 host0 = dmae_clock_ns(), host;

	toy_schedule_in(t, 0, 40 * DMAE_PS_PER_MS);
	wait_for_completion(&t->done);
	host = dmae_clock_ns() - host0;
	/* 40 ms of virtual time at 4x: at least 10 ms of host time; generous upper bound. */
	assert_true(host >= 10ull * 1000000ull);
	assert_true(host < 10ull * 1000000000ull);
	assert_true(dmae_sim_now(t->sim) >= 40 * DMAE_PS_PER_MS);
	/* Back to free mode: the next event comes without waiting for the host clock. */
	assert_int_equal(dmae_sim_set_mode(t->sim, DMAE_SIM_FREE, 1.0), 0);
	toy_schedule_in(t, 1, 3600 * DMAE_PS_PER_S);
	wait_for_completion(&t->done);
	assert_true(dmae_sim_now(t->sim) >= 3600 * DMAE_PS_PER_S);
	assert_int_equal(dmae_sim_set_mode(t->sim, DMAE_SIM_PACED, 0), -EINVAL);
	toy_free(t);
}

static void test_parse_mode(void **state)
{
	struct dmae_sim_params p;

	dmae_sim_params_init(&p);
	assert_int_equal(dmae_sim_parse_mode(&p, "x", "paced:2.5"), 0);
	assert_int_equal(p.mode, DMAE_SIM_PACED);
	assert_true(p.scale == 2.5);
	assert_int_equal(dmae_sim_parse_mode(&p, "x", "free"), 0);
	assert_int_equal(p.mode, DMAE_SIM_FREE);
	log_capture_start();
	assert_int_equal(dmae_sim_parse_mode(&p, "board", "paced:0"), -EINVAL);
	assert_int_equal(dmae_sim_parse_mode(&p, "board", "paced:2x"), -EINVAL);
	assert_int_equal(dmae_sim_parse_mode(&p, "board", "fast"), -EINVAL);
	log_capture_stop();
	assert_int_equal(log_lines(), 3);
	assert_int_equal(log_find("board=fast: not a simulation mode"), 1);
	assert_int_equal(p.mode, DMAE_SIM_FREE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_order),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_free_jumps_when_asleep),
		cmocka_unit_test(test_level_redelivered),
		cmocka_unit_test(test_nobody_cared),
		cmocka_unit_test(test_settle_after_access),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_grace),
		cmocka_unit_test(test_paced_bounds),
		cmocka_unit_test(test_parse_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
