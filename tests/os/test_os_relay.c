// SPDX-License-Identifier: MIT
/*
 * test_os_relay.c - wake relays: a wake-up routed to the relay of the
 * sleeper's CPU, made by the relay's owner; the cases made at once; and
 * sleepers woken through relays that open, close and poll meanwhile.
 */
#include <sched.h>
#include <stdlib.h>

#include "common/pin.h"
#include "os_test.h"

/* A CPU no thread runs on: a hint that is never the caller's own CPU. */
#define NO_SUCH_CPU 100000

/* Pretend the sleeper of @wq prepared on @cpu, and @r's owner runs there. */
static void relay_fake(struct dmae_wake_relay *r, wait_queue_head_t *wq, s32 cpu)
{
	wq->cpu = cpu;
	r->cpu = cpu;
}

static unsigned int relay_held(const struct dmae_wake_relay *r)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < DMAE_WAKE_RELAY_SLOTS; i++)
		n += __atomic_load_n(&r->slot[i].addr, __ATOMIC_ACQUIRE) != NULL;
	return n;
}

static int relay_teardown(void **state)
{
	dmae_wake_route(NULL, 0);
	return os_teardown(state);
}

static void test_relay_takes_wake_for_its_cpu(void **state)
{
	struct dmae_wake_relay r = { 0 };
	DECLARE_WAIT_QUEUE_HEAD(wq);
	u32 seq;

	dmae_wake_relay_open(&r);
	dmae_wake_route(&r, 1);
	seq = dmae_wq_prepare(&wq);
	relay_fake(&r, &wq, NO_SUCH_CPU);
	wake_up(&wq);
	/* The queue moved on at once; only the system call waits in the relay. */
	assert_int_equal(wq.seq, seq + 1);
	assert_int_equal(relay_held(&r), 1);
	assert_ptr_equal(r.slot[0].addr, &wq.seq);
	dmae_wq_sleep(&wq, seq, -1); /* returns: seq moved */
	dmae_wq_finish(&wq);
	dmae_wake_relay_poll(&r);
	assert_int_equal(relay_held(&r), 0);
	dmae_wake_relay_close(&r);
}

static void test_relay_not_used_unrouted_or_closed(void **state)
{
	struct dmae_wake_relay r = { 0 };
	DECLARE_WAIT_QUEUE_HEAD(wq);

	dmae_wq_prepare(&wq);
	relay_fake(&r, &wq, NO_SUCH_CPU);
	/* Not routed: open relays are not this thread's business. */
	dmae_wake_relay_open(&r);
	r.cpu = NO_SUCH_CPU;
	wake_up(&wq);
	assert_int_equal(relay_held(&r), 0);
	/* Routed, but closed. */
	dmae_wake_route(&r, 1);
	dmae_wake_relay_close(&r);
	wake_up(&wq);
	assert_int_equal(relay_held(&r), 0);
	/* Routed and open, but the sleeper gave no CPU. */
	dmae_wake_relay_open(&r);
	relay_fake(&r, &wq, -1);
	r.cpu = NO_SUCH_CPU;
	wake_up(&wq);
	assert_int_equal(relay_held(&r), 0);
	assert_int_equal(wq.seq, 3);
	dmae_wq_finish(&wq);
	dmae_wake_relay_close(&r);
}

/* A sleeper of the waker's own CPU is cheap to wake: no relay. */
static void test_relay_not_used_for_own_cpu(void **state)
{
	struct dmae_wake_relay r = { 0 };
	DECLARE_WAIT_QUEUE_HEAD(wq);
	cpu_set_t was;
	int cpu = dmae_current_cpu();

	if (sched_getaffinity(0, sizeof(was), &was) || pin_tid(0, cpu))
		skip();
	dmae_wake_relay_open(&r);
	dmae_wake_route(&r, 1);
	dmae_wq_prepare(&wq);
	relay_fake(&r, &wq, cpu);
	wake_up(&wq);
	assert_int_equal(relay_held(&r), 0);
	assert_int_equal(wq.seq, 1);
	dmae_wq_finish(&wq);
	dmae_wake_relay_close(&r);
	assert_int_equal(sched_setaffinity(0, sizeof(was), &was), 0);
}

static void test_relay_one_slot_per_queue_and_full(void **state)
{
	struct dmae_wake_relay r = { 0 };
	wait_queue_head_t wq[DMAE_WAKE_RELAY_SLOTS + 1];

	dmae_wake_relay_open(&r);
	dmae_wake_route(&r, 1);
	for (unsigned int i = 0; i <= DMAE_WAKE_RELAY_SLOTS; i++) {
		init_waitqueue_head(&wq[i]);
		dmae_wq_prepare(&wq[i]);
		relay_fake(&r, &wq[i], NO_SUCH_CPU);
	}
	wake_up(&wq[0]);
	wake_up(&wq[0]); /* held already: not twice */
	assert_int_equal(relay_held(&r), 1);
	assert_int_equal(wq[0].seq, 2);
	for (unsigned int i = 1; i <= DMAE_WAKE_RELAY_SLOTS; i++)
		wake_up(&wq[i]);
	/* The last one found no free slot and was made at once. */
	assert_int_equal(relay_held(&r), DMAE_WAKE_RELAY_SLOTS);
	for (unsigned int i = 0; i < DMAE_WAKE_RELAY_SLOTS; i++)
		assert_ptr_equal(r.slot[i].addr, &wq[i].seq);
	/* Closing makes what it holds. */
	dmae_wake_relay_close(&r);
	assert_int_equal(relay_held(&r), 0);
	for (unsigned int i = 0; i <= DMAE_WAKE_RELAY_SLOTS; i++)
		dmae_wq_finish(&wq[i]);
}

static void test_relay_flush_by_age(void **state)
{
	struct dmae_wake_relay r = { 0 };
	DECLARE_WAIT_QUEUE_HEAD(wq);

	dmae_wake_relay_open(&r);
	dmae_wake_route(&r, 1);
	dmae_wq_prepare(&wq);
	relay_fake(&r, &wq, NO_SUCH_CPU);
	wake_up(&wq);
	dmae_wake_relay_flush(&r, 3600ull * 1000000000ull);
	assert_int_equal(relay_held(&r), 1);
	dmae_wake_relay_flush(&r, 0);
	assert_int_equal(relay_held(&r), 0);
	dmae_wq_finish(&wq);
	dmae_wake_relay_close(&r);
}

/* The relay touches nothing but the address: the queue may be gone (ASan). */
static void test_relay_outlives_the_queue(void **state)
{
	struct dmae_wake_relay r = { 0 };
	wait_queue_head_t *wq = malloc(sizeof(*wq));

	assert_non_null(wq);
	init_waitqueue_head(wq);
	dmae_wake_relay_open(&r);
	dmae_wake_route(&r, 1);
	dmae_wq_prepare(wq);
	relay_fake(&r, wq, NO_SUCH_CPU);
	wake_up(wq);
	dmae_wq_finish(wq);
	free(wq);
	assert_int_equal(relay_held(&r), 1);
	dmae_wake_relay_poll(&r);
	assert_int_equal(relay_held(&r), 0);
	dmae_wake_relay_close(&r);
}

/*
 * Ping-pong across two CPUs, the way a provider's worker meets a sleeping
 * client: the test wakes the other side through the relay of the other
 * CPU, owned by a third thread that polls it, and now and then closes and
 * reopens it (close while a wake-up is handed over). A lost wake-up leaves
 * a side asleep for ever: the test times out.
 */
#define RELAY_ROUNDS 20000

struct relay_game {
	wait_queue_head_t wq;	   /* both sides sleep here */
	u32 turn;		   /* even: the player's move; odd: the test's */
	u32 stop;		   /* the owner stops polling */
	struct dmae_wake_relay r;  /* the relay of the player's CPU */
	int cpu;		   /* the player's and the owner's CPU */
	u32 made;		   /* wake-ups the owner made */
};

static void relay_player(void *arg)
{
	struct relay_game *g = arg;

	pin_tid(0, g->cpu); /* a CPU the test may use */
	for (u32 i = 0; i < RELAY_ROUNDS; i++) {
		wait_event(g->wq, os_load(&g->turn) == 2 * i);
		os_store(&g->turn, 2 * i + 1);
		wake_up(&g->wq); /* not routed */
	}
}

static void relay_owner(void *arg)
{
	struct relay_game *g = arg;
	unsigned int n = 0;

	pin_tid(0, g->cpu); /* a CPU the test may use */
	dmae_wake_relay_open(&g->r);
	while (!os_load(&g->stop)) {
		g->made += dmae_wake_relay_poll(&g->r);
		if (++n % 64 == 0) {
			dmae_wake_relay_close(&g->r);
			dmae_wake_relay_open(&g->r);
		}
		dmae_yield(); /* the player shares this CPU */
	}
	dmae_wake_relay_close(&g->r);
}

static void test_relay_wakes_sleepers_across_cpus(void **state)
{
	struct relay_game *g = aligned_alloc(64, sizeof(*g));
	struct dmae_thread *player, *owner;
	cpu_set_t was;
	int cpus[2];
	u32 i;

	assert_non_null(g);
	memset(g, 0, sizeof(*g));
	init_waitqueue_head(&g->wq);
	if (first_cpus(cpus, 2, &was) < 2 || pin_tid(0, cpus[0])) {
		free(g);
		skip();
	}
	g->cpu = cpus[1];
	player = os_spawn(relay_player, g);
	owner = os_spawn(relay_owner, g);
	dmae_wake_route(&g->r, 1);
	for (i = 0; i < RELAY_ROUNDS; i++) {
		wait_event(g->wq, os_load(&g->turn) == 2 * i + 1);
		os_store(&g->turn, 2 * i + 2);
		wake_up(&g->wq);
	}
	dmae_thread_join(player);
	os_store(&g->stop, 1);
	dmae_thread_join(owner);
	assert_int_equal(g->turn, 2 * RELAY_ROUNDS);
	assert_int_equal(g->wq.waiters, 0);
	assert_int_equal(relay_held(&g->r), 0);
	assert_true(g->made > 0); /* the relay was used, not only passed by */
	free(g);
	assert_int_equal(sched_setaffinity(0, sizeof(was), &was), 0);
}

#define T(f) cmocka_unit_test_teardown(f, relay_teardown)

int os_relay_tests(void)
{
	const struct CMUnitTest tests[] = {
		T(test_relay_takes_wake_for_its_cpu),
		T(test_relay_not_used_unrouted_or_closed),
		T(test_relay_not_used_for_own_cpu),
		T(test_relay_one_slot_per_queue_and_full),
		T(test_relay_flush_by_age),
		T(test_relay_outlives_the_queue),
		T(test_relay_wakes_sleepers_across_cpus),
	};

	return cmocka_run_group_tests_name("os_relay", tests, NULL, NULL);
}
