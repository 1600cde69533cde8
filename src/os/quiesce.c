// SPDX-License-Identifier: MIT
/*
 * quiesce.c - quiescence groups: how many threads of a group could run now.
 *
 * A simulated board may move its clock on only when its software has
 * reacted to what happened: no thread of the board runnable. The threads
 * that touch a board join its group; the group counts them out when they
 * sleep in a wait queue (dmae_wq_sleep) and in again when a wake_up() of that
 * queue ends the sleep, and it does the latter in the waker, before the waker
 * goes on: so between a complete() and the woken thread running there is no
 * moment when the group looks idle. A thread that leaves the library for
 * long (it waits for something the library does not see) can be marked away
 * by the group's owner, and counts again from its next touch.
 *
 * One global lock serialises the bookkeeping; groups and members are few.
 * A thread is a member of at most one group.
 */
#include <pthread.h>
#include <stdlib.h>

#include <dmaengine/err.h>
#include <dmaengine/os.h>

#include "quiesce.h"

enum dmae_qstate {
	DMAE_Q_RUNNING = 0, /* counted in q->running */
	DMAE_Q_ASLEEP = 1,  /* in a wait queue; not counted */
	DMAE_Q_AWAY = 2,    /* marked away by the owner; not counted */
};

struct dmae_qmember {
	struct dmae_quiesce *q;	   /* the group, NULL when none (atomic) */
	enum dmae_qstate state;	   /* written under dmae_qlock; read lock-free by touch */
	bool credited;		   /* a wake_up counted it in already; under dmae_qlock */
	wait_queue_head_t *wq;	   /* where it sleeps, when asleep */
	struct dmae_qmember *next; /* in the group's member list */
	struct dmae_qmember *next_sleeper; /* in dmae_qsleepers while asleep */
};

/* A member's state: written under dmae_qlock, read without it by touch's fast path. */
static inline enum dmae_qstate qstate(const struct dmae_qmember *m)
{
	return __atomic_load_n(&m->state, __ATOMIC_RELAXED);
}

static inline void qstate_set(struct dmae_qmember *m, enum dmae_qstate st)
{
	__atomic_store_n(&m->state, st, __ATOMIC_RELAXED);
}

struct dmae_quiesce {
	u32 running;			  /* members counted (atomic; written under dmae_qlock) */
	u64 activity;			  /* bumped at each touch and credit (atomic) */
	struct dmae_qmember *members;	  /* every member */
	void (*on_change)(void *arg);	  /* called when running drops to 0 */
	void *arg;			  /* its argument */
};

static spinlock_t dmae_qlock;			 /* all groups' bookkeeping */
static struct dmae_qmember *dmae_qsleepers;	 /* members asleep, any group */
u32 dmae__quiesce_sleepers;			 /* entries of dmae_qsleepers (atomic) */
static _Thread_local struct dmae_qmember dmae_qself;
static pthread_key_t dmae_qkey;
static pthread_once_t dmae_qkey_once = PTHREAD_ONCE_INIT;

/* Count @m out of @q (running -> not); true if the group just went idle. Lock held. */
static bool dmae_q_uncount(struct dmae_quiesce *q)
{
	u32 n = __atomic_sub_fetch(&q->running, 1, __ATOMIC_SEQ_CST);

	return n == 0;
}

static void dmae_q_count(struct dmae_quiesce *q)
{
	__atomic_add_fetch(&q->running, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&q->activity, 1, __ATOMIC_RELAXED);
}

/* Take @m off its group's member list. Lock held. */
static void dmae_q_unlink(struct dmae_quiesce *q, struct dmae_qmember *m)
{
	struct dmae_qmember **link = &q->members;

	while (*link && *link != m)
		link = &(*link)->next;
	if (*link)
		*link = m->next;
	m->next = NULL;
}

/* dmae_q_detach - @m leaves its group; true if the group went idle. Lock held. */
static bool dmae_q_detach(struct dmae_qmember *m, struct dmae_quiesce *q)
{
	bool idle = false;

	if (qstate(m) == DMAE_Q_RUNNING)
		idle = dmae_q_uncount(q);
	dmae_q_unlink(q, m);
	__atomic_store_n(&m->q, NULL, __ATOMIC_RELEASE);
	qstate_set(m, DMAE_Q_RUNNING);
	return idle;
}

/* At thread exit: leave the group (the value is &dmae_qself of the dying thread). */
static void dmae_q_thread_exit(void *arg)
{
	struct dmae_qmember *m = arg;
	struct dmae_quiesce *q;
	bool idle = false;

	dmae_lock(&dmae_qlock);
	q = __atomic_load_n(&m->q, __ATOMIC_ACQUIRE);
	if (q)
		idle = dmae_q_detach(m, q);
	dmae_unlock(&dmae_qlock);
	if (idle)
		q->on_change(q->arg);
}

static void dmae_q_key_init(void)
{
	if (pthread_key_create(&dmae_qkey, dmae_q_thread_exit))
		pr_err("quiesce: no thread-exit hook: a board's threads that exit stay counted");
}

/**
 * dmae_quiesce_create - a group whose @on_change(@arg) is called each time
 * its last running member sleeps or leaves (from that member's thread, with
 * no lock held). @return the group or ERR_PTR(-ENOMEM) / ERR_PTR(-EINVAL).
 */
DMAE_EXPORT struct dmae_quiesce *dmae_quiesce_create(void (*on_change)(void *arg), void *arg)
{
	struct dmae_quiesce *q;

	if (!on_change)
		return ERR_PTR(-EINVAL);
	pthread_once(&dmae_qkey_once, dmae_q_key_init);
	q = calloc(1, sizeof(*q));
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->on_change = on_change;
	q->arg = arg;
	return q;
}

/**
 * dmae_quiesce_destroy - every member leaves @q, which is freed. A member
 * asleep at that moment simply wakes outside any group. NULL is ignored.
 */
DMAE_EXPORT void dmae_quiesce_destroy(struct dmae_quiesce *q)
{
	if (!q)
		return;
	dmae_lock(&dmae_qlock);
	while (q->members) {
		struct dmae_qmember *m = q->members;

		q->members = m->next;
		m->next = NULL;
		__atomic_store_n(&m->q, NULL, __ATOMIC_RELEASE);
	}
	dmae_unlock(&dmae_qlock);
	free(q);
}

/**
 * dmae_quiesce_touch - the calling thread acts for @q's board: it joins @q
 * if it is in no group, and a member marked away counts again. A member of
 * another group stays there. Context: any.
 */
DMAE_EXPORT void dmae_quiesce_touch(struct dmae_quiesce *q)
{
	struct dmae_qmember *m = &dmae_qself;
	struct dmae_quiesce *cur = __atomic_load_n(&m->q, __ATOMIC_ACQUIRE);

	if (cur == q && qstate(m) == DMAE_Q_RUNNING) {
		__atomic_add_fetch(&q->activity, 1, __ATOMIC_RELAXED);
		return;
	}
	if (cur && cur != q)
		return;
	dmae_lock(&dmae_qlock);
	if (!m->q) {
		qstate_set(m, DMAE_Q_RUNNING);
		m->next = q->members;
		q->members = m;
		__atomic_store_n(&m->q, q, __ATOMIC_RELEASE);
		dmae_q_count(q);
		pthread_setspecific(dmae_qkey, m);
	} else if (m->q == q && qstate(m) == DMAE_Q_AWAY) {
		qstate_set(m, DMAE_Q_RUNNING);
		dmae_q_count(q);
	}
	dmae_unlock(&dmae_qlock);
}

/** dmae_quiesce_leave - the calling thread leaves its group, if it has one. */
DMAE_EXPORT void dmae_quiesce_leave(void)
{
	dmae_q_thread_exit(&dmae_qself);
}

/** dmae_quiesce_current - the group of the calling thread, or NULL. */
DMAE_EXPORT struct dmae_quiesce *dmae_quiesce_current(void)
{
	return __atomic_load_n(&dmae_qself.q, __ATOMIC_ACQUIRE);
}

/** dmae_quiesce_running - members of @q that could run now. Context: any. */
DMAE_EXPORT unsigned int dmae_quiesce_running(const struct dmae_quiesce *q)
{
	return __atomic_load_n(&q->running, __ATOMIC_SEQ_CST);
}

/** dmae_quiesce_activity - a counter bumped by every touch and wake-up of @q's members. */
DMAE_EXPORT u64 dmae_quiesce_activity(const struct dmae_quiesce *q)
{
	return __atomic_load_n(&q->activity, __ATOMIC_RELAXED);
}

/**
 * dmae_quiesce_set_away - count @q's running members out until their next
 * touch or wake-up (the owner's way past a thread that waits for something
 * outside the library). @return how many were marked.
 */
DMAE_EXPORT unsigned int dmae_quiesce_set_away(struct dmae_quiesce *q)
{
	unsigned int n = 0;

	dmae_lock(&dmae_qlock);
	for (struct dmae_qmember *m = q->members; m; m = m->next) {
		if (qstate(m) != DMAE_Q_RUNNING)
			continue;
		qstate_set(m, DMAE_Q_AWAY);
		dmae_q_uncount(q);
		n++;
	}
	dmae_unlock(&dmae_qlock);
	return n;
}

/* ---------------------------------------------- the wait queue's hooks */

/**
 * dmae__quiesce_sleep_begin - the calling member is about to sleep on @wq
 * while its sequence is @seq: counted out, unless a wake-up came already
 * (then false: do not sleep). A thread in no group: true, nothing done.
 */
bool dmae__quiesce_sleep_begin(wait_queue_head_t *wq, u32 seq)
{
	struct dmae_qmember *m = &dmae_qself;
	struct dmae_quiesce *q;
	bool idle = false, sleep = true;

	if (!__atomic_load_n(&m->q, __ATOMIC_ACQUIRE))
		return true;
	dmae_lock(&dmae_qlock);
	q = m->q;
	if (q) {
		/* SEQ_CST against the waker's bump and its read of the sleepers count. */
		__atomic_add_fetch(&dmae__quiesce_sleepers, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&wq->seq, __ATOMIC_SEQ_CST) != seq) {
			__atomic_sub_fetch(&dmae__quiesce_sleepers, 1, __ATOMIC_SEQ_CST);
			sleep = false;
		} else {
			if (qstate(m) == DMAE_Q_RUNNING)
				idle = dmae_q_uncount(q);
			qstate_set(m, DMAE_Q_ASLEEP);
			m->credited = false;
			m->wq = wq;
			m->next_sleeper = dmae_qsleepers;
			dmae_qsleepers = m;
		}
	}
	dmae_unlock(&dmae_qlock);
	if (idle)
		q->on_change(q->arg);
	return sleep;
}

/** dmae__quiesce_sleep_end - the calling member woke (or timed out): counted in. */
void dmae__quiesce_sleep_end(void)
{
	struct dmae_qmember *m = &dmae_qself;
	struct dmae_qmember **link;

	dmae_lock(&dmae_qlock);
	if (qstate(m) == DMAE_Q_ASLEEP) {
		for (link = &dmae_qsleepers; *link && *link != m; link = &(*link)->next_sleeper)
			;
		if (*link) {
			*link = m->next_sleeper;
			__atomic_sub_fetch(&dmae__quiesce_sleepers, 1, __ATOMIC_SEQ_CST);
		}
		if (!m->credited && m->q)
			dmae_q_count(m->q);
		qstate_set(m, DMAE_Q_RUNNING);
		m->wq = NULL;
	}
	dmae_unlock(&dmae_qlock);
}

/**
 * dmae__quiesce_wake - wake_up(@wq) found sleepers: count in, now, every
 * member asleep on @wq. Called only when dmae__quiesce_sleepers is not 0.
 */
void dmae__quiesce_wake(wait_queue_head_t *wq)
{
	dmae_lock(&dmae_qlock);
	for (struct dmae_qmember *m = dmae_qsleepers; m; m = m->next_sleeper) {
		if (m->wq != wq || m->credited || !m->q)
			continue;
		m->credited = true;
		dmae_q_count(m->q);
	}
	dmae_unlock(&dmae_qlock);
}
