// SPDX-License-Identifier: MIT
/*
 * timer.c - timers: functions run in completion context at a deadline, by
 * one "timer" thread started on the first arming.
 *
 * Pending timers sit on one list sorted by deadline; the thread sleeps until
 * the first one is due or an earlier one is armed.
 */
#include <dmaengine/os.h>

enum {
	DMAE_TIMER_THREAD_STOPPED = 0,	/* no thread yet */
	DMAE_TIMER_THREAD_STARTING = 1, /* one caller is creating it */
	DMAE_TIMER_THREAD_RUNNING = 2,	/* serving the list */
};

#define DMAE_NSEC_PER_JIFFY 1000000ull

static struct dmae_timer_base {
	spinlock_t lock;		/* protects head, t->next, t->expires*, t->pending writes */
	struct timer_list *head;	/* pending timers, earliest first */
	struct timer_list *running;	/* timer whose function runs now, or NULL (atomic) */
	wait_queue_head_t work;		/* the thread sleeps here */
	wait_queue_head_t done;		/* del_timer_sync sleeps here */
	u32 thread_state;		/* DMAE_TIMER_THREAD_* */
	struct dmae_thread *thread;	/* the timer thread, lives for the process */
} dmae_timers;

static void dmae_timer_set_pending(struct timer_list *timer, u32 pending)
{
	__atomic_store_n(&timer->pending, pending, __ATOMIC_RELAXED);
}

/* dmae_timer_detach_locked - take @timer off the list; 1 if it was there. */
static int dmae_timer_detach_locked(struct timer_list *timer)
{
	struct timer_list **link = &dmae_timers.head;

	if (!timer->pending)
		return 0;
	while (*link != timer)
		link = &(*link)->next;
	*link = timer->next;
	timer->next = NULL;
	dmae_timer_set_pending(timer, 0);
	return 1;
}

/* dmae_timer_insert_locked - queue @timer after those due no later; true if first. */
static bool dmae_timer_insert_locked(struct timer_list *timer)
{
	struct timer_list **link = &dmae_timers.head;

	while (*link && (*link)->expires_ns <= timer->expires_ns)
		link = &(*link)->next;
	timer->next = *link;
	*link = timer;
	dmae_timer_set_pending(timer, 1);
	return link == &dmae_timers.head;
}

/* ------------------------------------------------------ the timer thread */

static void dmae_timer_run(struct timer_list *timer)
{
	enum dmae_context prev = dmae_context_enter(DMAE_CTX_COMPLETION);

	if (timer->function)
		timer->function(timer);
	dmae_context_exit(prev);
}

/*
 * dmae_timer_next_locked - the first due timer, taken off the list and marked
 * running; NULL if none is due, with *@sleep_ns set to the time to the first
 * deadline (-1: the list is empty).
 */
static struct timer_list *dmae_timer_next_locked(s64 *sleep_ns)
{
	struct timer_list *timer = dmae_timers.head;
	u64 now;

	*sleep_ns = -1;
	if (!timer)
		return NULL;
	now = dmae_clock_ns();
	if (timer->expires_ns > now) {
		*sleep_ns = (s64)(timer->expires_ns - now);
		return NULL;
	}
	dmae_timer_detach_locked(timer);
	__atomic_store_n(&dmae_timers.running, timer, __ATOMIC_RELAXED);
	return timer;
}

/*
 * The wait queue is joined under the lock, so an arming after the list was
 * read bumps it and the sleep ends at once.
 */
static void dmae_timer_thread(void *arg)
{
	struct timer_list *timer;
	s64 sleep_ns;
	u32 seq;

	dmae_lock(&dmae_timers.lock);
	for (;;) {
		timer = dmae_timer_next_locked(&sleep_ns);
		if (timer) {
			dmae_unlock(&dmae_timers.lock);
			dmae_timer_run(timer);
			dmae_lock(&dmae_timers.lock);
			__atomic_store_n(&dmae_timers.running, NULL, __ATOMIC_RELEASE);
			wake_up(&dmae_timers.done);
			continue;
		}
		seq = dmae_wq_prepare(&dmae_timers.work);
		dmae_unlock(&dmae_timers.lock);
		dmae_wq_sleep(&dmae_timers.work, seq, sleep_ns);
		dmae_wq_finish(&dmae_timers.work);
		dmae_lock(&dmae_timers.lock);
	}
}

/* dmae_timer_start - start the timer thread once; a failure is retried next time. */
static void dmae_timer_start(void)
{
	u32 s = DMAE_TIMER_THREAD_STOPPED;
	int err;

	if (__atomic_load_n(&dmae_timers.thread_state, __ATOMIC_ACQUIRE) !=
		    DMAE_TIMER_THREAD_STOPPED ||
	    !__atomic_compare_exchange_n(&dmae_timers.thread_state, &s,
					 DMAE_TIMER_THREAD_STARTING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	err = dmae_thread_create(&dmae_timers.thread, dmae_timer_thread, NULL, "timer");
	if (err)
		pr_err("timer: cannot start the timer thread (%d); timers wait for the next try",
		       err);
	__atomic_store_n(&dmae_timers.thread_state,
			 err ? DMAE_TIMER_THREAD_STOPPED : DMAE_TIMER_THREAD_RUNNING,
			 __ATOMIC_RELEASE);
}

/* dmae_timer_arm - (re)queue @timer for @expires / @expires_ns; 1 if it was pending. */
static int dmae_timer_arm(struct timer_list *timer, unsigned long expires, u64 expires_ns)
{
	bool first;
	int was;

	dmae_timer_start();
	dmae_lock(&dmae_timers.lock);
	was = dmae_timer_detach_locked(timer);
	timer->expires = expires;
	timer->expires_ns = expires_ns;
	first = dmae_timer_insert_locked(timer);
	if (first)
		wake_up(&dmae_timers.work);
	dmae_unlock(&dmae_timers.lock);
	return was;
}

/* dmae_jiffies_to_ns - the clock time of jiffy @j, compared as the kernel does. */
static u64 dmae_jiffies_to_ns(unsigned long j)
{
	u64 now = dmae_clock_ns();
	unsigned long now_j = (unsigned long)(now / DMAE_NSEC_PER_JIFFY);
	long delta = (long)(j - now_j);

	if (delta <= 0)
		return now; /* due already */
	return ((u64)now_j + (u64)delta) * DMAE_NSEC_PER_JIFFY;
}

/* ------------------------------------------------------------ the API */

/** timer_setup - make @timer an idle timer calling @fn. Context: any, @timer idle. */
DMAE_EXPORT void dmae_timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *),
			     unsigned int flags)
{
	timer->next = NULL;
	timer->expires = 0;
	timer->expires_ns = 0;
	timer->function = fn;
	timer->flags = flags;
	timer->pending = 0;
}

/**
 * mod_timer - (re)arm @timer to run its function at jiffy @expires (at once
 * if that is past). Returns 1 if it was pending, else 0. Context: any.
 */
DMAE_EXPORT int dmae_mod_timer(struct timer_list *timer, unsigned long expires)
{
	return dmae_timer_arm(timer, expires, dmae_jiffies_to_ns(expires));
}

/** dmae_timer_mod_ns - as mod_timer, at @expires_ns on dmae_clock_ns(). Context: any. */
DMAE_EXPORT int dmae_timer_mod_ns(struct timer_list *timer, u64 expires_ns)
{
	return dmae_timer_arm(timer, (unsigned long)(expires_ns / DMAE_NSEC_PER_JIFFY),
			      expires_ns);
}

/** add_timer - arm @timer for timer->expires (jiffies). Context: any. */
DMAE_EXPORT void dmae_add_timer(struct timer_list *timer)
{
	mod_timer(timer, timer->expires);
}

/**
 * del_timer - disarm @timer; returns 1 if it was pending, else 0. Its
 * function may still be running. Context: any.
 */
DMAE_EXPORT int dmae_del_timer(struct timer_list *timer)
{
	int was;

	dmae_lock(&dmae_timers.lock);
	was = dmae_timer_detach_locked(timer);
	dmae_unlock(&dmae_timers.lock);
	return was;
}

static bool dmae_timer_running(const struct timer_list *timer)
{
	return __atomic_load_n(&dmae_timers.running, __ATOMIC_ACQUIRE) == timer;
}

/*
 * dmae_timer_try_del - disarm @timer unless its function runs: 1 or 0 as
 * del_timer, -1 if it runs (it may re-arm itself, so try again after it).
 */
static int dmae_timer_try_del(struct timer_list *timer)
{
	int ret = -1;

	dmae_lock(&dmae_timers.lock);
	if (!dmae_timer_running(timer))
		ret = dmae_timer_detach_locked(timer);
	dmae_unlock(&dmae_timers.lock);
	return ret;
}

/**
 * del_timer_sync - disarm @timer and wait for its running function; returns 1
 * if it was pending when disarmed. Context: process; elsewhere it warns and
 * does del_timer() only.
 */
DMAE_EXPORT int dmae_del_timer_sync(struct timer_list *timer)
{
	int ret;

	if (dmae_might_sleep("del_timer_sync"))
		return del_timer(timer);
	while ((ret = dmae_timer_try_del(timer)) < 0)
		wait_event(dmae_timers.done, !dmae_timer_running(timer));
	return ret;
}

/** timer_pending - whether @timer is armed and has not fired. Context: any. */
DMAE_EXPORT bool dmae_timer_pending(const struct timer_list *timer)
{
	return __atomic_load_n(&timer->pending, __ATOMIC_RELAXED) != 0;
}
