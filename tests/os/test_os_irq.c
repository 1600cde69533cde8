// SPDX-License-Identifier: MIT
/*
 * test_os_irq.c - interrupt lines: request/free errors, delivery in interrupt
 * context, masking, ordering, allocation, waits for running handlers.
 */
#include <errno.h>

#include "os_test.h"

#define ORDER_MAX 8

struct irq_probe {
	int irq;			/* the line under test */
	struct completion entered;	/* one complete() a handler start */
	struct completion done;		/* one complete() a handler end */
	u32 calls;			/* handler calls */
	u32 ctx;			/* dmae_context() seen by the handler, + 1 */
	u32 seen_irq;			/* irq argument seen, + 1 */
	u32 hold;			/* the first call waits for release */
	u32 release;			/* lets a held handler return */
	u32 finished;			/* a held handler returned */
	u32 reraise;			/* the first call raises its own line again */
	u32 slept;			/* dmae_might_sleep() result, + 1 */
	u32 order[ORDER_MAX];		/* lines in the order handled */
	u32 nr_order;			/* entries of order */
};

static void irq_probe_init(struct irq_probe *p)
{
	memset(p, 0, sizeof(*p));
	init_completion(&p->entered);
	init_completion(&p->done);
	p->irq = dmae_irq_alloc();
	assert_true(p->irq >= 0);
}

static void irq_probe_fini(struct irq_probe *p)
{
	free_irq((unsigned int)p->irq, p);
	dmae_irq_free((unsigned int)p->irq);
}

static irqreturn_t probe_irq_handler(int irq, void *dev_id)
{
	struct irq_probe *p = dev_id;
	u32 n = os_inc(&p->calls);
	u32 slot = os_inc(&p->nr_order) - 1;

	if (slot < ORDER_MAX)
		os_store(&p->order[slot], (u32)irq);
	os_store(&p->ctx, (u32)dmae_context() + 1);
	os_store(&p->seen_irq, (u32)irq + 1);
	complete(&p->entered);
	if (n == 1 && os_load(&p->hold)) {
		os_wait_flag(&p->release);
		os_store(&p->finished, 1);
	}
	if (n == 1 && os_load(&p->reraise))
		dmae_irq_raise((unsigned int)irq);
	complete(&p->done);
	return IRQ_HANDLED;
}

static int probe_request(struct irq_probe *p)
{
	return request_irq((unsigned int)p->irq, probe_irq_handler, 0, "probe", p);
}

static void test_irq_request_errors(void **state)
{
	static const char name[] = "probe";
	struct os_capture cap;
	struct irq_probe p;

	irq_probe_init(&p);
	assert_int_equal(request_irq(DMAE_NR_IRQS, probe_irq_handler, 0, name, &p), -EINVAL);
	assert_int_equal(request_irq((unsigned int)p.irq, NULL, 0, name, &p), -EINVAL);
	assert_int_equal(request_irq((unsigned int)p.irq, probe_irq_handler, 0, name, &p), 0);
	assert_int_equal(request_irq((unsigned int)p.irq, probe_irq_handler, IRQF_SHARED,
				     name, &p), -EBUSY);
	os_capture_begin(&cap);
	assert_null(free_irq((unsigned int)p.irq, NULL)); /* wrong dev_id */
	assert_int_equal(os_capture_lines(&cap), 1);
	assert_ptr_equal(free_irq((unsigned int)p.irq, &p), name);
	assert_null(free_irq((unsigned int)p.irq, &p)); /* already free */
	assert_null(free_irq(DMAE_NR_IRQS, &p));
	assert_int_equal(os_capture_lines(&cap), 3);
	dmae_irq_free((unsigned int)p.irq);
}

static void test_irq_handler_runs_in_interrupt_context(void **state)
{
	struct irq_probe p;

	irq_probe_init(&p);
	assert_int_equal(probe_request(&p), 0);
	assert_int_equal(dmae_irq_count((unsigned int)p.irq), 0);
	dmae_irq_raise((unsigned int)p.irq);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.ctx), DMAE_CTX_IRQ + 1);
	assert_int_equal(os_load(&p.seen_irq), (u32)p.irq + 1);
	assert_int_equal(dmae_irq_count((unsigned int)p.irq), 1);
	irq_probe_fini(&p);
}

static void test_irq_raise_during_handler_delivers_again(void **state)
{
	struct irq_probe p;

	irq_probe_init(&p);
	p.reraise = 1;
	assert_int_equal(probe_request(&p), 0);
	dmae_irq_raise((unsigned int)p.irq);
	wait_for_completion(&p.done);
	wait_for_completion(&p.done);
	assert_int_equal(dmae_irq_count((unsigned int)p.irq), 2);
	irq_probe_fini(&p);
}

static void test_irq_disable_holds_raises_until_enable(void **state)
{
	struct irq_probe p;

	irq_probe_init(&p);
	assert_int_equal(probe_request(&p), 0);
	disable_irq((unsigned int)p.irq);
	disable_irq_nosync((unsigned int)p.irq);
	dmae_irq_raise((unsigned int)p.irq);
	dmae_irq_raise((unsigned int)p.irq);
	dmae_irq_raise((unsigned int)p.irq);
	enable_irq((unsigned int)p.irq); /* still masked once */
	os_sleep_ms(OS_NEGATIVE_MS);
	assert_int_equal(dmae_irq_count((unsigned int)p.irq), 0);
	enable_irq((unsigned int)p.irq);
	wait_for_completion(&p.done);
	synchronize_irq((unsigned int)p.irq);
	assert_int_equal(dmae_irq_count((unsigned int)p.irq), 1); /* coalesced */
	irq_probe_fini(&p);
}

static void test_irq_unbalanced_enable_warns(void **state)
{
	struct os_capture cap;
	struct irq_probe p;

	irq_probe_init(&p);
	assert_int_equal(probe_request(&p), 0);
	os_capture_begin(&cap);
	enable_irq((unsigned int)p.irq);
	assert_int_equal(os_capture_lines(&cap), 1);
	dmae_irq_raise((unsigned int)p.irq); /* the line still works */
	wait_for_completion(&p.done);
	irq_probe_fini(&p);
}

static void test_irq_lowest_pending_line_first(void **state)
{
	struct irq_probe a, b, c;

	irq_probe_init(&a);
	irq_probe_init(&b);
	irq_probe_init(&c);
	assert_true(a.irq < b.irq && b.irq < c.irq);
	a.hold = 1;
	/* b and c record into a's order table: one sequence for all three */
	assert_int_equal(request_irq((unsigned int)a.irq, probe_irq_handler, 0, "a", &a), 0);
	assert_int_equal(request_irq((unsigned int)b.irq, probe_irq_handler, 0, "b", &a), 0);
	assert_int_equal(request_irq((unsigned int)c.irq, probe_irq_handler, 0, "c", &a), 0);
	dmae_irq_raise((unsigned int)a.irq);
	wait_for_completion(&a.entered);
	dmae_irq_raise((unsigned int)c.irq);
	dmae_irq_raise((unsigned int)b.irq);
	os_store(&a.release, 1);
	wait_for_completion(&a.done);
	wait_for_completion(&a.done);
	wait_for_completion(&a.done);
	assert_int_equal(os_load(&a.nr_order), 3);
	assert_int_equal(a.order[0], (u32)a.irq);
	assert_int_equal(a.order[1], (u32)b.irq);
	assert_int_equal(a.order[2], (u32)c.irq);
	free_irq((unsigned int)a.irq, &a);
	free_irq((unsigned int)b.irq, &a);
	free_irq((unsigned int)c.irq, &a);
	dmae_irq_free((unsigned int)a.irq);
	dmae_irq_free((unsigned int)b.irq);
	dmae_irq_free((unsigned int)c.irq);
}

static void test_disable_irq_waits_for_running_handler(void **state)
{
	struct dmae_thread *releaser;
	struct irq_probe p;

	irq_probe_init(&p);
	p.hold = 1;
	assert_int_equal(probe_request(&p), 0);
	dmae_irq_raise((unsigned int)p.irq);
	wait_for_completion(&p.entered);
	releaser = os_spawn(os_set_flag_thread, &p.release);
	disable_irq((unsigned int)p.irq);
	assert_int_equal(os_load(&p.finished), 1);
	enable_irq((unsigned int)p.irq);
	dmae_thread_join(releaser);
	irq_probe_fini(&p);
}

static void test_free_irq_waits_for_running_handler(void **state)
{
	struct dmae_thread *releaser;
	struct irq_probe p;

	irq_probe_init(&p);
	p.hold = 1;
	assert_int_equal(probe_request(&p), 0);
	dmae_irq_raise((unsigned int)p.irq);
	wait_for_completion(&p.entered);
	releaser = os_spawn(os_set_flag_thread, &p.release);
	assert_non_null(free_irq((unsigned int)p.irq, &p));
	assert_int_equal(os_load(&p.finished), 1);
	dmae_thread_join(releaser);
	dmae_irq_free((unsigned int)p.irq);
}

static void test_irq_alloc(void **state)
{
	static int lines[DMAE_NR_IRQS];
	int first = dmae_irq_alloc(), hand, n = 0;

	assert_true(first >= 0);
	dmae_irq_free((unsigned int)first);
	assert_int_equal(dmae_irq_alloc(), first); /* the lowest free line again */
	dmae_irq_free((unsigned int)first);

	/* A line requested by number is never handed out afterwards. */
	hand = first;
	assert_int_equal(request_irq((unsigned int)hand, probe_irq_handler, 0, "hand", NULL), 0);
	assert_non_null(free_irq((unsigned int)hand, NULL));
	first = dmae_irq_alloc();
	assert_true(first > hand);
	dmae_irq_free((unsigned int)first);

	while ((lines[n] = dmae_irq_alloc()) >= 0)
		n++;
	assert_int_equal(lines[n], -ENOSPC);
	assert_true(n > 0 && n < DMAE_NR_IRQS);
	while (n--)
		dmae_irq_free((unsigned int)lines[n]);
	assert_int_equal(dmae_irq_alloc(), first);
	dmae_irq_free((unsigned int)first);
}

static irqreturn_t sleepy_irq_handler(int irq, void *dev_id)
{
	struct irq_probe *p = dev_id;

	os_store(&p->slept, (u32)dmae_might_sleep("probe_irq") + 1);
	synchronize_irq((unsigned int)irq); /* would wait for itself: refused */
	complete(&p->done);
	return IRQ_HANDLED;
}

static void test_irq_might_sleep_warns_in_handler(void **state)
{
	struct os_capture cap;
	struct irq_probe p;

	irq_probe_init(&p);
	assert_int_equal(request_irq((unsigned int)p.irq, sleepy_irq_handler, 0, "s", &p), 0);
	os_capture_begin(&cap);
	dmae_irq_raise((unsigned int)p.irq);
	wait_for_completion(&p.done);
	assert_int_equal(os_load(&p.slept), 2);
	assert_int_equal(os_capture_lines(&cap), 2);
	assert_string_equal(cap.last, OS_SLEEP_BUG("synchronize_irq", "interrupt"));
	spin_lock(&cap.lock);
	cap.lines = 0;
	spin_unlock(&cap.lock);
	irq_probe_fini(&p);
	assert_int_equal(os_capture_lines(&cap), 0);
}

/* A raise on a line without handler is dropped, silently. */
static void test_irq_raise_without_handler_dropped(void **state)
{
	struct os_capture cap;
	struct irq_probe silent, p;

	irq_probe_init(&silent);
	irq_probe_init(&p);
	assert_int_equal(probe_request(&p), 0);
	os_capture_begin(&cap);
	dmae_irq_raise((unsigned int)silent.irq);
	dmae_irq_raise(DMAE_NR_IRQS);
	dmae_irq_raise((unsigned int)p.irq); /* handled after the lower, silent line */
	wait_for_completion(&p.done);
	assert_int_equal(dmae_irq_count((unsigned int)silent.irq), 0);
	assert_int_equal(dmae_irq_count(DMAE_NR_IRQS), 0);
	assert_int_equal(os_capture_lines(&cap), 0);
	irq_probe_fini(&p);
	dmae_irq_free((unsigned int)silent.irq);
}

#define T(f) cmocka_unit_test_teardown(f, os_teardown)

int os_irq_tests(void)
{
	const struct CMUnitTest tests[] = {
		T(test_irq_request_errors),
		T(test_irq_handler_runs_in_interrupt_context),
		T(test_irq_raise_during_handler_delivers_again),
		T(test_irq_disable_holds_raises_until_enable),
		T(test_irq_unbalanced_enable_warns),
		T(test_irq_lowest_pending_line_first),
		T(test_disable_irq_waits_for_running_handler),
		T(test_free_irq_waits_for_running_handler),
		T(test_irq_alloc),
		T(test_irq_might_sleep_warns_in_handler),
		T(test_irq_raise_without_handler_dropped),
	};

	return cmocka_run_group_tests_name("os_irq", tests, NULL, NULL);
}
