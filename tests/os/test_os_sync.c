// SPDX-License-Identifier: MIT
/*
 * test_os_sync.c - contexts, the clock, threads, locks, wait queues,
 * completions and logging.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "os_test.h"

/* ---------------------------------------------------------------- contexts */

static void test_context_default_is_process(void **state)
{
	assert_int_equal(dmae_context(), DMAE_CTX_PROCESS);
	assert_true(in_task());
	assert_false(in_interrupt());
	assert_string_equal(dmae_context_name(DMAE_CTX_PROCESS), "process");
	assert_string_equal(dmae_context_name(DMAE_CTX_IRQ), "interrupt");
	assert_string_equal(dmae_context_name(DMAE_CTX_COMPLETION), "completion");
}

static void test_context_enter_exit_nest(void **state)
{
	enum dmae_context outer = dmae_context_enter(DMAE_CTX_COMPLETION);
	enum dmae_context inner;

	assert_int_equal(outer, DMAE_CTX_PROCESS);
	assert_true(in_softirq());
	inner = dmae_context_enter(DMAE_CTX_IRQ);
	assert_int_equal(inner, DMAE_CTX_COMPLETION);
	assert_true(in_hardirq());
	assert_true(in_interrupt());
	dmae_context_exit(inner);
	assert_int_equal(dmae_context(), DMAE_CTX_COMPLETION);
	dmae_context_exit(outer);
	assert_int_equal(dmae_context(), DMAE_CTX_PROCESS);
}

static void context_probe_thread(void *arg)
{
	os_store(arg, (u32)dmae_context() + 1);
}

static void test_context_is_per_thread(void **state)
{
	enum dmae_context prev = dmae_context_enter(DMAE_CTX_IRQ);
	u32 seen = 0;

	dmae_thread_join(os_spawn(context_probe_thread, &seen));
	dmae_context_exit(prev);
	assert_int_equal(seen, DMAE_CTX_PROCESS + 1);
}

static void test_might_sleep_false_in_process(void **state)
{
	struct os_capture cap;

	os_capture_begin(&cap);
	assert_false(dmae_might_sleep("probe"));
	assert_int_equal(os_capture_lines(&cap), 0);
}

static void test_might_sleep_warns_one_line(void **state)
{
	struct os_capture cap;
	enum dmae_context prev;

	os_capture_begin(&cap);
	prev = dmae_context_enter(DMAE_CTX_IRQ);
	assert_true(dmae_might_sleep("probe"));
	dmae_context_exit(prev);
	assert_int_equal(os_capture_lines(&cap), 1);
	assert_int_equal(cap.level, DMAE_LOG_WARN);
	assert_string_equal(cap.last, OS_SLEEP_BUG("probe", "interrupt"));

	prev = dmae_context_enter(DMAE_CTX_COMPLETION);
	assert_true(dmae_might_sleep("other"));
	dmae_context_exit(prev);
	assert_int_equal(os_capture_lines(&cap), 2);
	assert_string_equal(cap.last, OS_SLEEP_BUG("other", "completion"));
}

/* ------------------------------------------------------------------- clock */

static void test_clock_is_monotonic(void **state)
{
	u64 a = dmae_clock_ns(), b = dmae_clock_ns();
	unsigned long j = dmae_jiffies();
	u64 c = dmae_clock_ns();

	assert_true(b >= a);
	/* jiffies are the same clock in milliseconds */
	assert_true(j >= b / 1000000ull && j <= c / 1000000ull);
	assert_true(time_after_eq(jiffies, j));
	assert_true(time_after(j + 1, j) && time_before(j, j + 1));
	assert_true(time_after(5UL, (unsigned long)-5)); /* across the wrap */
}

static void test_cpus(void **state)
{
	int n = dmae_cpu_count(), cpu = dmae_current_cpu();

	assert_true(n >= 1);
	assert_true(cpu >= 0 && cpu < CPU_SETSIZE);
	dmae_yield();
}

/* ----------------------------------------------------------------- threads */

static void thread_name_probe(void *arg)
{
	prctl(PR_GET_NAME, (unsigned long)arg, 0, 0, 0);
}

static void test_thread_runs_named_and_joins(void **state)
{
	char name[32] = "";
	struct dmae_thread *t;

	assert_int_equal(dmae_thread_create(&t, thread_name_probe, name,
					    "a-very-long-thread-name"), 0);
	dmae_thread_join(t);
	assert_string_equal(name, "a-very-long-thr"); /* cut to 15 characters */
}

/* ------------------------------------------------------------------- locks */

#define LOCK_THREADS 4
#define LOCK_ROUNDS 100000

struct lock_test {
	spinlock_t lock;	 /* protects counter */
	struct mutex mutex;	 /* protects mcounter */
	unsigned long counter;	 /* plain: the lock is all that keeps it right */
	unsigned long mcounter;	 /* same, through the mutex API */
	u32 got;		 /* set by the contender once it has the lock */
};

static void lock_hammer_thread(void *arg)
{
	struct lock_test *lt = arg;
	int i;

	for (i = 0; i < LOCK_ROUNDS; i++) {
		spin_lock(&lt->lock);
		lt->counter++;
		spin_unlock(&lt->lock);
		if (i % 16 == 0) {
			mutex_lock(&lt->mutex);
			lt->mcounter++;
			mutex_unlock(&lt->mutex);
		}
	}
}

static void test_lock_mutual_exclusion(void **state)
{
	static struct lock_test lt; /* zero-filled: the locks need no init */
	struct dmae_thread *t[LOCK_THREADS];
	int i;

	for (i = 0; i < LOCK_THREADS; i++)
		t[i] = os_spawn(lock_hammer_thread, &lt);
	for (i = 0; i < LOCK_THREADS; i++)
		dmae_thread_join(t[i]);
	assert_int_equal(lt.counter, LOCK_THREADS * LOCK_ROUNDS);
	assert_int_equal(lt.mcounter, LOCK_THREADS * (LOCK_ROUNDS / 16));
	assert_false(dmae_is_locked(&lt.lock));
}

static void test_lock_trylock_and_is_locked(void **state)
{
	DEFINE_SPINLOCK(lock);
	DEFINE_MUTEX(m);

	assert_false(dmae_is_locked(&lock));
	assert_true(spin_trylock(&lock));
	assert_true(dmae_is_locked(&lock));
	assert_false(spin_trylock(&lock));
	spin_unlock(&lock);
	assert_false(dmae_is_locked(&lock));

	mutex_lock(&m);
	assert_true(mutex_is_locked(&m));
	assert_false(mutex_trylock(&m));
	mutex_unlock(&m);
	assert_true(mutex_trylock(&m));
	mutex_unlock(&m);
	assert_false(mutex_is_locked(&m));
}

static void lock_contender_thread(void *arg)
{
	struct lock_test *lt = arg;

	spin_lock(&lt->lock);
	os_store(&lt->got, 1);
	spin_unlock(&lt->lock);
}

/* A contender that gave up spinning sleeps (state 2) and is woken by unlock. */
static void test_lock_wakes_sleeper(void **state)
{
	struct lock_test lt = { 0 };
	struct dmae_thread *t;

	spin_lock(&lt.lock);
	t = os_spawn(lock_contender_thread, &lt);
	while (__atomic_load_n(&lt.lock.state, __ATOMIC_ACQUIRE) != 2)
		dmae_yield();
	assert_int_equal(os_load(&lt.got), 0);
	spin_unlock(&lt.lock);
	dmae_thread_join(t);
	assert_int_equal(lt.got, 1);
	assert_false(dmae_is_locked(&lt.lock));
}

/* ------------------------------------------------------------- wait queues */

#define PING_PONG_ROUNDS 10000

struct ping_pong {
	wait_queue_head_t wq; /* both sides sleep here */
	u32 turn;	      /* even: the thread's move; odd: the test's */
};

static void ping_thread(void *arg)
{
	struct ping_pong *pp = arg;
	u32 i;

	for (i = 0; i < PING_PONG_ROUNDS; i++) {
		wait_event(pp->wq, os_load(&pp->turn) == 2 * i);
		os_store(&pp->turn, 2 * i + 1);
		wake_up(&pp->wq);
	}
}

/* A lost wake-up leaves one side asleep for ever: the test times out. */
static void test_wait_event_ping_pong(void **state)
{
	struct ping_pong pp;
	struct dmae_thread *t;
	u32 i;

	init_waitqueue_head(&pp.wq);
	pp.turn = 0;
	t = os_spawn(ping_thread, &pp);
	for (i = 0; i < PING_PONG_ROUNDS; i++) {
		wait_event(pp.wq, os_load(&pp.turn) == 2 * i + 1);
		os_store(&pp.turn, 2 * i + 2);
		wake_up(&pp.wq);
	}
	dmae_thread_join(t);
	assert_int_equal(pp.turn, 2 * PING_PONG_ROUNDS);
	assert_int_equal(pp.wq.waiters, 0);
}

struct producer {
	wait_queue_head_t wq; /* the consumer sleeps here */
	u32 items;	      /* produced so far */
};

static void producer_thread(void *arg)
{
	struct producer *p = arg;
	int i;

	for (i = 0; i < 1000; i++) {
		__atomic_add_fetch(&p->items, 1, __ATOMIC_RELEASE);
		wake_up(&p->wq);
	}
}

static void test_wait_event_with_producer(void **state)
{
	struct producer p = { __WAIT_QUEUE_HEAD_INITIALIZER(p.wq), 0 };
	struct dmae_thread *t = os_spawn(producer_thread, &p);
	u32 want;

	for (want = 1; want <= 1000; want += 7)
		wait_event(p.wq, os_load(&p.items) >= want);
	wait_event(p.wq, os_load(&p.items) == 1000);
	dmae_thread_join(t);
}

static void test_wait_event_timeout(void **state)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	u32 flag = 0;
	u64 start = dmae_clock_ns();
	long left = wait_event_timeout(wq, os_load(&flag), 20);

	assert_int_equal(left, 0);
	assert_true(dmae_clock_ns() - start >= 20 * 1000000ull);
	os_store(&flag, 1);
	left = wait_event_timeout(wq, os_load(&flag), 1000);
	assert_true(left > 0 && left <= 1000);
	assert_int_equal(wq.waiters, 0);
}

static void test_wait_event_timeout_woken(void **state)
{
	struct producer p = { __WAIT_QUEUE_HEAD_INITIALIZER(p.wq), 0 };
	struct dmae_thread *t = os_spawn(producer_thread, &p);
	long left = wait_event_timeout(p.wq, os_load(&p.items) == 1000, 60000);

	dmae_thread_join(t);
	assert_true(left > 0 && left <= 60000);
}

static void test_wake_up_without_waiters_keeps_seq(void **state)
{
	wait_queue_head_t wq;

	init_waitqueue_head(&wq);
	wake_up(&wq);
	wake_up_all(&wq);
	assert_int_equal(wq.seq, 0);
	assert_int_equal(dmae_wq_prepare(&wq), 0);
	wake_up(&wq);
	dmae_wq_sleep(&wq, 0, -1); /* woken already: returns */
	dmae_wq_finish(&wq);
	assert_int_equal(wq.seq, 1);
	assert_int_equal(wq.waiters, 0);
}

/* ------------------------------------------------------------- completions */

static void test_completion_counts(void **state)
{
	struct completion x;

	init_completion(&x);
	assert_false(completion_done(&x));
	assert_false(try_wait_for_completion(&x));
	complete(&x);
	complete(&x);
	assert_true(completion_done(&x));
	assert_true(try_wait_for_completion(&x));
	assert_true(try_wait_for_completion(&x));
	assert_false(try_wait_for_completion(&x));
	assert_false(completion_done(&x));

	complete_all(&x);
	complete(&x); /* no effect after complete_all */
	assert_true(try_wait_for_completion(&x));
	assert_true(try_wait_for_completion(&x));
	assert_true(try_wait_for_completion(&x));
	wait_for_completion(&x);
	assert_true(completion_done(&x));
	reinit_completion(&x);
	assert_false(completion_done(&x));
	assert_false(try_wait_for_completion(&x));
}

struct gate {
	struct completion go;	  /* the waiters wait for this */
	struct completion passed; /* one complete() per waiter through */
	u32 through;		  /* waiters through */
};

static void gate_thread(void *arg)
{
	struct gate *g = arg;

	wait_for_completion(&g->go);
	os_inc(&g->through);
	complete(&g->passed);
}

static void test_completion_lets_one_waiter_per_complete(void **state)
{
	struct gate g;
	struct dmae_thread *t[3];
	int i;

	init_completion(&g.go);
	init_completion(&g.passed);
	g.through = 0;
	for (i = 0; i < 3; i++)
		t[i] = os_spawn(gate_thread, &g);
	complete(&g.go);
	complete(&g.go);
	wait_for_completion(&g.passed);
	wait_for_completion(&g.passed);
	os_sleep_ms(OS_NEGATIVE_MS); /* the third must stay blocked */
	assert_int_equal(os_load(&g.through), 2);
	assert_false(completion_done(&g.go));
	complete(&g.go);
	for (i = 0; i < 3; i++)
		dmae_thread_join(t[i]);
	assert_int_equal(g.through, 3);
}

static void test_complete_all_lets_everyone_through(void **state)
{
	struct gate g;
	struct dmae_thread *t[4];
	int i;

	init_completion(&g.go);
	init_completion(&g.passed);
	g.through = 0;
	for (i = 0; i < 4; i++)
		t[i] = os_spawn(gate_thread, &g);
	complete_all(&g.go);
	for (i = 0; i < 4; i++)
		dmae_thread_join(t[i]);
	assert_int_equal(g.through, 4);
	assert_true(completion_done(&g.go)); /* never consumed */
	wait_for_completion(&g.go);
}

static void test_completion_timeout(void **state)
{
	struct completion x;
	unsigned long left;

	init_completion(&x);
	assert_int_equal(wait_for_completion_timeout(&x, 20), 0);
	assert_int_equal(wait_for_completion_timeout(&x, 0), 0);
	complete(&x);
	left = wait_for_completion_timeout(&x, 1000);
	assert_true(left > 0 && left <= 1000);
	assert_false(completion_done(&x)); /* consumed */
	complete(&x);
	left = wait_for_completion_timeout(&x, MAX_SCHEDULE_TIMEOUT);
	assert_true(left > 0);
}

static void completer_thread(void *arg)
{
	complete(arg);
}

static void test_completion_across_threads(void **state)
{
	struct completion x;
	struct dmae_thread *t;
	unsigned long left;

	init_completion(&x);
	t = os_spawn(completer_thread, &x);
	left = wait_for_completion_timeout(&x, 60000);
	dmae_thread_join(t);
	assert_true(left > 0 && left <= 60000);
	assert_false(completion_done(&x));
}

/* Completes a heap completion that its waiter frees as soon as it returns. */
static void complete_heap_thread(void *arg)
{
	complete(arg);
}

/*
 * Once a wait returns, complete() is done with the completion: the waiter may
 * free it at once (ASan sees a use after free otherwise). Both waits and the
 * non-sleeping checks are covered.
 */
static void test_completion_freed_right_after_wait(void **state)
{
	for (int i = 0; i < 300; i++) {
		struct completion *x = malloc(sizeof(*x));
		struct dmae_thread *t;

		assert_non_null(x);
		init_completion(x);
		t = os_spawn(complete_heap_thread, x);
		switch (i % 3) {
		case 0:
			wait_for_completion(x);
			break;
		case 1:
			assert_true(wait_for_completion_timeout(x, 60000) > 0);
			break;
		default:
			while (!try_wait_for_completion(x))
				dmae_yield();
			break;
		}
		free(x);
		dmae_thread_join(t);
	}
}

static void test_completion_wait_refused_outside_process(void **state)
{
	DECLARE_COMPLETION(never);
	struct os_capture cap;
	enum dmae_context prev;
	unsigned long left;

	os_capture_begin(&cap);
	prev = dmae_context_enter(DMAE_CTX_IRQ);
	wait_for_completion(&never);
	assert_int_equal(os_capture_lines(&cap), 1);
	assert_string_equal(cap.last, OS_SLEEP_BUG("wait_for_completion", "interrupt"));
	left = wait_for_completion_timeout(&never, 60000);
	dmae_context_exit(prev);
	assert_int_equal(left, 0);
	assert_int_equal(os_capture_lines(&cap), 2);
	assert_string_equal(cap.last,
			    OS_SLEEP_BUG("wait_for_completion_timeout", "interrupt"));
}

/* ----------------------------------------------------------------- logging */

static void other_log_fn(enum dmae_log_level level, const char *line, void *arg)
{
}

static void test_log_line_and_level(void **state)
{
	struct os_capture cap;

	os_capture_begin(&cap);
	pr_err("x=%d\n", 5);
	assert_int_equal(cap.lines, 1);
	assert_int_equal(cap.level, DMAE_LOG_ERR);
	assert_string_equal(cap.last, "x=5");
	pr_info("two\n\n"); /* one newline stripped, not two */
	assert_int_equal(cap.level, DMAE_LOG_INFO);
	assert_string_equal(cap.last, "two\n");
	pr_warn("%s", "");
	assert_int_equal(cap.lines, 3);
	assert_string_equal(cap.last, "");
}

static void test_log_debug_dropped_without_env(void **state)
{
	struct os_capture cap;

	os_capture_begin(&cap);
	pr_debug("hidden %d", 1);
	assert_int_equal(cap.lines, 0);
}

static void test_log_long_line_cut(void **state)
{
	char big[1000];
	struct os_capture cap;

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	os_capture_begin(&cap);
	pr_warn("%s", big);
	assert_int_equal(cap.lines, 1);
	assert_int_equal(strlen(cap.last), 511);
}

static void test_log_handler_swap_returns_previous(void **state)
{
	struct os_capture cap;

	assert_null(dmae_set_log_handler(other_log_fn, NULL));
	assert_ptr_equal(dmae_set_log_handler(os_capture_fn, &cap), other_log_fn);
	assert_ptr_equal(dmae_set_log_handler(NULL, NULL), os_capture_fn);
	assert_null(dmae_set_log_handler(NULL, NULL));
}

/* The default handler writes the line and a newline to standard error. */
static void test_log_default_writes_stderr(void **state)
{
	char path[] = "/tmp/dmae-test-log-XXXXXX", buf[64] = "";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	unlink(path);
	fflush(stderr);
	dup2(fd, 2);
	pr_err("plain line %d\n", 7);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	assert_int_equal(n, (ssize_t)strlen("plain line 7\n"));
	assert_string_equal(buf, "plain line 7\n");
}

#define T(f) cmocka_unit_test_teardown(f, os_teardown)

int os_sync_tests(void)
{
	const struct CMUnitTest tests[] = {
		T(test_context_default_is_process),
		T(test_context_enter_exit_nest),
		T(test_context_is_per_thread),
		T(test_might_sleep_false_in_process),
		T(test_might_sleep_warns_one_line),
		T(test_clock_is_monotonic),
		T(test_cpus),
		T(test_thread_runs_named_and_joins),
		T(test_lock_mutual_exclusion),
		T(test_lock_trylock_and_is_locked),
		T(test_lock_wakes_sleeper),
		T(test_wait_event_ping_pong),
		T(test_wait_event_with_producer),
		T(test_wait_event_timeout),
		T(test_wait_event_timeout_woken),
		T(test_wake_up_without_waiters_keeps_seq),
		T(test_completion_counts),
		T(test_completion_lets_one_waiter_per_complete),
		T(test_complete_all_lets_everyone_through),
		T(test_completion_timeout),
		T(test_completion_across_threads),
		T(test_completion_freed_right_after_wait),
		T(test_completion_wait_refused_outside_process),
		T(test_log_line_and_level),
		T(test_log_debug_dropped_without_env),
		T(test_log_long_line_cut),
		T(test_log_handler_swap_returns_previous),
		T(test_log_default_writes_stderr),
	};

	return cmocka_run_group_tests_name("os_sync", tests, NULL, NULL);
}
