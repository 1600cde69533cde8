// SPDX-License-Identifier: MIT
/*
 * tasklet.c - tasklets, run in completion context by a small pool of
 * "softirq" threads started on the first tasklet_schedule().
 *
 * A scheduled tasklet (SCHED set) is in exactly one place: the queue, the
 * parked list (scheduled while disabled), a runner's hands, or handed over to
 * the runner that is running it (RERUN). SCHED is cleared just before the
 * handler runs, so a schedule from the handler queues it again; RUN makes sure
 * it never runs on two threads at once.
 */
#include <errno.h>
#include <stdio.h>

#include <dmaengine/os.h>

#include "waitqueue.h"

enum {
	DMAE_TASKLET_STATE_PARKED = 2, /* bit: on the parked list until tasklet_enable */
	DMAE_TASKLET_STATE_RERUN = 3,  /* bit: queued again while running; its runner requeues it */
};

#define DMAE_TASKLET_SCHED BIT(TASKLET_STATE_SCHED)
#define DMAE_TASKLET_RUN BIT(TASKLET_STATE_RUN)
#define DMAE_TASKLET_PARKED BIT(DMAE_TASKLET_STATE_PARKED)
#define DMAE_TASKLET_RERUN BIT(DMAE_TASKLET_STATE_RERUN)

#define DMAE_SOFTIRQ_MAX_THREADS 64

enum {
	DMAE_SOFTIRQ_STOPPED = 0,  /* no thread yet */
	DMAE_SOFTIRQ_STARTING = 1, /* one caller is creating the threads */
	DMAE_SOFTIRQ_RUNNING = 2,  /* threads serve the queue */
};

/* The softirq: one queue served by every thread, as ksoftirqd with one CPU list. */
static struct dmae_softirq {
	spinlock_t lock;		 /* protects head, last, parked, t->next */
	struct tasklet_struct *head;	 /* queued tasklets, oldest first */
	struct tasklet_struct *last;	 /* newest queued tasklet, NULL when empty */
	struct tasklet_struct *parked;	 /* scheduled while disabled */
	u32 nr_queued;			 /* length of the queue; runners sleep at 0 */
	u32 nr_busy;			 /* queued or in a runner's hands (atomic) */
	wait_queue_head_t work;		 /* idle runners sleep here */
	wait_queue_head_t idle;		 /* tasklet_kill/disable: woken after every run */
	u32 state;			 /* DMAE_SOFTIRQ_* */
	unsigned int nr_threads;	 /* entries of threads */
	struct dmae_thread *threads[DMAE_SOFTIRQ_MAX_THREADS]; /* live for the process */
} dmae_softirq;

/* Who wants to know when the softirq has nothing queued or running (simulated boards). */
#define DMAE_SOFTIRQ_WATCHERS 8
static struct dmae_softirq_watcher {
	void (*fn)(void *arg); /* NULL: free slot */
	void *arg;
} dmae_softirq_watchers[DMAE_SOFTIRQ_WATCHERS]; /* under dmae_softirq_watch_lock */
static spinlock_t dmae_softirq_watch_lock;

static unsigned long dmae_tasklet_state(const struct tasklet_struct *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_SEQ_CST);
}

/* dmae_tasklet_test_and_set - set @bits in t->state; true if one was set before. */
static bool dmae_tasklet_test_and_set(struct tasklet_struct *t, unsigned long bits)
{
	return __atomic_fetch_or(&t->state, bits, __ATOMIC_SEQ_CST) & bits;
}

static unsigned long dmae_tasklet_clear(struct tasklet_struct *t, unsigned long bits)
{
	return __atomic_fetch_and(&t->state, ~bits, __ATOMIC_SEQ_CST);
}

/* ------------------------------------------------------------ the queue */

static void dmae_softirq_enqueue_locked(struct tasklet_struct *t)
{
	t->next = NULL;
	if (dmae_softirq.last)
		dmae_softirq.last->next = t;
	else
		dmae_softirq.head = t;
	dmae_softirq.last = t;
	__atomic_store_n(&dmae_softirq.nr_queued, dmae_softirq.nr_queued + 1,
			 __ATOMIC_RELAXED);
	__atomic_add_fetch(&dmae_softirq.nr_busy, 1, __ATOMIC_SEQ_CST);
}

/* dmae_softirq_enqueue - queue @t and wake a runner. Context: any. */
static void dmae_softirq_enqueue(struct tasklet_struct *t)
{
	dmae_lock(&dmae_softirq.lock);
	dmae_softirq_enqueue_locked(t);
	dmae_unlock(&dmae_softirq.lock);
	dmae__wake_up_one(&dmae_softirq.work);
}

static struct tasklet_struct *dmae_softirq_dequeue(void)
{
	struct tasklet_struct *t;

	dmae_lock(&dmae_softirq.lock);
	t = dmae_softirq.head;
	if (t) {
		dmae_softirq.head = t->next;
		if (!dmae_softirq.head)
			dmae_softirq.last = NULL;
		__atomic_store_n(&dmae_softirq.nr_queued, dmae_softirq.nr_queued - 1,
				 __ATOMIC_RELAXED);
	}
	dmae_unlock(&dmae_softirq.lock);
	return t;
}

/* dmae_softirq_unpark - take @t off the parked list if it is there; SCHED stays. */
static bool dmae_softirq_unpark_locked(struct tasklet_struct *t)
{
	struct tasklet_struct **link = &dmae_softirq.parked;

	if (!(dmae_tasklet_state(t) & DMAE_TASKLET_PARKED))
		return false;
	while (*link != t)
		link = &(*link)->next;
	*link = t->next;
	dmae_tasklet_clear(t, DMAE_TASKLET_PARKED);
	return true;
}

static bool dmae_softirq_unpark(struct tasklet_struct *t)
{
	bool was_parked;

	dmae_lock(&dmae_softirq.lock);
	was_parked = dmae_softirq_unpark_locked(t);
	dmae_unlock(&dmae_softirq.lock);
	return was_parked;
}

/* ---------------------------------------------------------- the runners */

/*
 * dmae_tasklet_claim - take RUN for a dequeued @t. If another runner has it,
 * hand @t over (RERUN) and return false: that runner queues it again when its
 * handler returns, so nobody spins waiting for it.
 */
static bool dmae_tasklet_claim(struct tasklet_struct *t)
{
	unsigned long s = __atomic_load_n(&t->state, __ATOMIC_RELAXED);
	unsigned long want;

	do {
		want = s | ((s & DMAE_TASKLET_RUN) ? DMAE_TASKLET_RERUN : DMAE_TASKLET_RUN);
	} while (!__atomic_compare_exchange_n(&t->state, &s, want, true,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return !(s & DMAE_TASKLET_RUN);
}

/*
 * dmae_tasklet_park - if @t is disabled, keep it (still scheduled) for
 * tasklet_enable and return true. The count is read under the lock that
 * tasklet_enable takes after its decrement, so one of them sees the other.
 */
static bool dmae_tasklet_park(struct tasklet_struct *t)
{
	bool park;

	dmae_lock(&dmae_softirq.lock);
	park = __atomic_load_n(&t->count, __ATOMIC_SEQ_CST) != 0;
	if (park) {
		__atomic_fetch_or(&t->state, DMAE_TASKLET_PARKED, __ATOMIC_SEQ_CST);
		dmae_tasklet_clear(t, DMAE_TASKLET_RUN);
		t->next = dmae_softirq.parked;
		dmae_softirq.parked = t;
	}
	dmae_unlock(&dmae_softirq.lock);
	return park;
}

static void dmae_tasklet_call(struct tasklet_struct *t)
{
	enum dmae_context prev = dmae_context_enter(DMAE_CTX_COMPLETION);

	if (t->use_callback) {
		if (t->callback)
			t->callback(t);
	} else if (t->func) {
		t->func(t->data);
	}
	dmae_context_exit(prev);
}

/* dmae_softirq_done - a dequeued tasklet is out of a runner's hands. */
static void dmae_softirq_done(void)
{
	if (__atomic_sub_fetch(&dmae_softirq.nr_busy, 1, __ATOMIC_SEQ_CST))
		return;
	dmae_lock(&dmae_softirq_watch_lock);
	for (int i = 0; i < DMAE_SOFTIRQ_WATCHERS; i++)
		if (dmae_softirq_watchers[i].fn)
			dmae_softirq_watchers[i].fn(dmae_softirq_watchers[i].arg);
	dmae_unlock(&dmae_softirq_watch_lock);
}

/* dmae_tasklet_run_one - run one dequeued tasklet, if it may run now. */
static void dmae_tasklet_run_one(struct tasklet_struct *t)
{
	if (!dmae_tasklet_claim(t))
		return;
	if (dmae_tasklet_park(t)) {
		wake_up(&dmae_softirq.idle); /* tasklet_disable waits for RUN */
		return;
	}
	dmae_tasklet_clear(t, DMAE_TASKLET_SCHED);
	dmae_tasklet_call(t);
	/* Still SCHED if handed over: tasklet_kill cannot return, t stays valid. */
	if (dmae_tasklet_clear(t, DMAE_TASKLET_RUN | DMAE_TASKLET_RERUN) & DMAE_TASKLET_RERUN)
		dmae_softirq_enqueue(t);
	wake_up(&dmae_softirq.idle);
}

static void dmae_tasklet_run(struct tasklet_struct *t)
{
	dmae_tasklet_run_one(t);
	dmae_softirq_done();
}

static bool dmae_softirq_has_work(void)
{
	return __atomic_load_n(&dmae_softirq.nr_queued, __ATOMIC_RELAXED) != 0;
}

/* A runner: drains the queue, then sleeps until more is queued. */
static void dmae_softirq_thread(void *arg)
{
	struct tasklet_struct *t;

	for (;;) {
		wait_event(dmae_softirq.work, dmae_softirq_has_work());
		while ((t = dmae_softirq_dequeue()))
			dmae_tasklet_run(t);
	}
}

static unsigned int dmae_softirq_nr_threads(void)
{
	unsigned int n = (unsigned int)dmae_cpu_count();

	/* At least two: one runner may be stuck in a long handler. */
	if (n < 2)
		n = 2;
	return n < DMAE_SOFTIRQ_MAX_THREADS ? n : DMAE_SOFTIRQ_MAX_THREADS;
}

/*
 * dmae_softirq_start - start the runners once. Callers that find them being
 * started go on: what they queue is served when the runners come up.
 */
static void dmae_softirq_start(void)
{
	u32 s = DMAE_SOFTIRQ_STOPPED;
	unsigned int i, n = dmae_softirq_nr_threads();
	char name[24]; /* cut to 15 by dmae_thread_create() */

	if (__atomic_load_n(&dmae_softirq.state, __ATOMIC_ACQUIRE) != DMAE_SOFTIRQ_STOPPED ||
	    !__atomic_compare_exchange_n(&dmae_softirq.state, &s, DMAE_SOFTIRQ_STARTING,
					 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "softirq/%u", i);
		if (dmae_thread_create(&dmae_softirq.threads[i], dmae_softirq_thread, NULL,
				       name))
			break;
	}
	dmae_softirq.nr_threads = i;
	if (!i)
		pr_err("tasklet: cannot start a softirq thread; tasklets wait for the next try");
	__atomic_store_n(&dmae_softirq.state, i ? DMAE_SOFTIRQ_RUNNING : DMAE_SOFTIRQ_STOPPED,
			 __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------ the API */

/** tasklet_setup - make @t a tasklet calling @callback(@t). Context: any, @t idle. */
DMAE_EXPORT void dmae_tasklet_setup(struct tasklet_struct *t,
			       void (*callback)(struct tasklet_struct *))
{
	t->next = NULL;
	t->state = 0;
	t->count = 0;
	t->use_callback = true;
	t->func = NULL;
	t->callback = callback;
	t->data = 0;
}

/** tasklet_init - make @t a tasklet calling @func(@data). Context: any, @t idle. */
DMAE_EXPORT void dmae_tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long),
			      unsigned long data)
{
	tasklet_setup(t, NULL);
	t->use_callback = false;
	t->func = func;
	t->data = data;
}

/**
 * tasklet_schedule - run @t once in completion context, soon; a schedule
 * while it is queued is the same run, one while it runs is another.
 * Context: any.
 */
DMAE_EXPORT void dmae_tasklet_schedule(struct tasklet_struct *t)
{
	if (dmae_tasklet_test_and_set(t, DMAE_TASKLET_SCHED))
		return; /* already queued, or not yet started */
	dmae_softirq_start();
	dmae_softirq_enqueue(t);
}

/*
 * dmae_tasklet_take_sched - own SCHED, as tasklet_kill does: set it while
 * clear, or take a parked (disabled) tasklet off the parked list.
 */
static bool dmae_tasklet_take_sched(struct tasklet_struct *t)
{
	return !dmae_tasklet_test_and_set(t, DMAE_TASKLET_SCHED) || dmae_softirq_unpark(t);
}

/**
 * tasklet_kill - wait until @t is neither queued nor running. Like the
 * kernel's, it holds SCHED itself meanwhile, so a schedule racing with it is
 * dropped; unlike the kernel's, it does not wait for ever for a disabled
 * tasklet: its deferred run is dropped.
 * Context: process; elsewhere it warns and returns without waiting.
 */
DMAE_EXPORT void dmae_tasklet_kill(struct tasklet_struct *t)
{
	if (dmae_might_sleep("tasklet_kill"))
		return;
	wait_event(dmae_softirq.idle, dmae_tasklet_take_sched(t));
	wait_event(dmae_softirq.idle, !(dmae_tasklet_state(t) & DMAE_TASKLET_RUN));
	dmae_tasklet_clear(t, DMAE_TASKLET_SCHED);
	wake_up(&dmae_softirq.idle); /* another tasklet_kill may wait for SCHED */
}

/**
 * tasklet_disable - keep @t from running until tasklet_enable (nesting); a
 * schedule meanwhile is deferred, not lost. Context: any; in process context
 * it also waits for a running handler, elsewhere (where waiting could
 * deadlock, e.g. in the handler itself) it does not.
 */
DMAE_EXPORT void dmae_tasklet_disable(struct tasklet_struct *t)
{
	__atomic_add_fetch(&t->count, 1, __ATOMIC_SEQ_CST);
	if (!in_task())
		return;
	wait_event(dmae_softirq.idle, !(dmae_tasklet_state(t) & DMAE_TASKLET_RUN));
}

/** tasklet_enable - undo one tasklet_disable; a deferred run happens now. Context: any. */
DMAE_EXPORT void dmae_tasklet_enable(struct tasklet_struct *t)
{
	bool queued;

	if (__atomic_sub_fetch(&t->count, 1, __ATOMIC_SEQ_CST) != 0)
		return;
	dmae_lock(&dmae_softirq.lock);
	queued = dmae_softirq_unpark_locked(t);
	if (queued)
		dmae_softirq_enqueue_locked(t);
	dmae_unlock(&dmae_softirq.lock);
	if (queued)
		dmae__wake_up_one(&dmae_softirq.work);
}

/** dmae_softirq_busy - a tasklet is queued or running (one disabled and parked is not). */
DMAE_EXPORT bool dmae_softirq_busy(void)
{
	return __atomic_load_n(&dmae_softirq.nr_busy, __ATOMIC_SEQ_CST) != 0;
}

/**
 * dmae_softirq_watch - call @fn(@arg) each time the softirq runs out of work
 * (on the runner, which must not be held up: @fn only wakes someone).
 * @return 0, or -ENOSPC when every watcher slot is taken.
 */
DMAE_EXPORT int dmae_softirq_watch(void (*fn)(void *arg), void *arg)
{
	int ret = -ENOSPC;

	dmae_lock(&dmae_softirq_watch_lock);
	for (int i = 0; i < DMAE_SOFTIRQ_WATCHERS; i++) {
		if (dmae_softirq_watchers[i].fn)
			continue;
		dmae_softirq_watchers[i].fn = fn;
		dmae_softirq_watchers[i].arg = arg;
		ret = 0;
		break;
	}
	dmae_unlock(&dmae_softirq_watch_lock);
	return ret;
}

/** dmae_softirq_unwatch - stop calling @fn(@arg); once this returns, it is not running. */
DMAE_EXPORT void dmae_softirq_unwatch(void (*fn)(void *arg), void *arg)
{
	dmae_lock(&dmae_softirq_watch_lock);
	for (int i = 0; i < DMAE_SOFTIRQ_WATCHERS; i++)
		if (dmae_softirq_watchers[i].fn == fn && dmae_softirq_watchers[i].arg == arg)
			dmae_softirq_watchers[i].fn = NULL;
	dmae_unlock(&dmae_softirq_watch_lock);
}
