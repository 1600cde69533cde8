// SPDX-License-Identifier: MIT
/*
 * sim.c - virtual time: the clock, the event queue (a binary heap ordered by
 * time, then by the order events were queued), and the board thread that
 * delivers the board's interrupts and moves the clock on, in free or paced
 * mode. docs/simulation.md has the design and its rules.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/err.h>
#include <dmaengine/hw/sim.h>
#include <dmaengine/trace.h>

#define DMAE_SIM_HEAP_MIN 64
/* A settle that waits this long (host time) is stuck: a lock held across an access. */
#define DMAE_SIM_SETTLE_LIMIT_NS (2ull * 1000000000ull)

struct dmae_sim {
	struct mutex lock;		  /* the bus: models, the queue, the clock */
	u32 lock_owner;			  /* thread token of the holder, 0 when free (atomic) */
	dmae_sim_time_t now;		  /* virtual time (atomic reads outside the lock) */
	struct dmae_sim_event **heap;	  /* queued events, a min-heap on (time, seq) */
	u32 nr_events;			  /* entries of heap */
	u32 heap_size;			  /* slots of heap */
	u64 seq;			  /* next event's seq */
	enum dmae_sim_mode mode;	  /* under lock */
	double scale;			  /* paced: virtual per host second */
	u64 anchor_host_ns;		  /* paced: host time at anchor_virt */
	dmae_sim_time_t anchor_virt;	  /* paced: virtual time at anchor_host_ns */
	dmae_sim_time_t access_ps;	  /* one CPU register access, free mode */
	u64 grace_ns;			  /* free mode: see dmae_sim_params */
	struct dmae_irq_domain *irqs;	  /* the board's lines, or NULL */
	struct dmae_quiesce *quiesce;	  /* the board's threads */
	wait_queue_head_t kick_wq;	  /* the board thread sleeps here */
	wait_queue_head_t settle_wq;	  /* dmae_sim_settle sleeps here */
	u32 in_irq;			  /* the board thread runs handlers (atomic) */
	u32 kicks;			  /* bumped by every kick (atomic) */
	u32 stopping;			  /* the board thread should return (atomic) */
	u32 wait_quiet;			  /* free mode: the board thread waits for quiet (atomic; cleared under lock) */
	struct dmae_thread *thread;	  /* the board thread */
	struct dmae_sim_stats stats;	  /* counters (atomic adds) */
	struct dmae_trace_unit trace;	  /* the board's process in the trace */
	char name[48];			  /* the board's name */
};

/* A token for the calling thread, never 0: the address of a thread-local. */
static _Thread_local char dmae_sim_self;
static u32 dmae_sim_token(void)
{
	return (u32)((uintptr_t)&dmae_sim_self >> 4) | 1u;
}

static void dmae_sim_stat(u64 *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ parameters */

DMAE_EXPORT void dmae_sim_params_init(struct dmae_sim_params *p)
{
	const char *env = getenv("DMAENGINE_SIM");

	memset(p, 0, sizeof(*p));
	p->mode = DMAE_SIM_FREE;
	p->scale = 1.0;
	p->access_ps = 20 * DMAE_PS_PER_NS;
	p->grace_ns = 50ull * 1000000ull;
	p->name = "board";
	if (env && *env && dmae_sim_parse_mode(p, "DMAENGINE_SIM", env))
		dmae_log(DMAE_LOG_WARN, "dmaengine: DMAENGINE_SIM ignored; using free mode");
	env = getenv("DMAENGINE_SIM_GRACE_MS");
	if (env && *env) {
		char *end;
		unsigned long ms = strtoul(env, &end, 10);

		if (*end || *env == '-' || !ms || ms > 3600000)
			dmae_log(DMAE_LOG_WARN,
				 "dmaengine: DMAENGINE_SIM_GRACE_MS=%s: not a number of ms in [1, 3600000]; using 50",
				 env);
		else
			p->grace_ns = (u64)ms * 1000000ull;
	}
}

DMAE_EXPORT int dmae_sim_parse_mode(struct dmae_sim_params *p, const char *what, const char *s)
{
	char *end;
	double scale;

	if (!strcmp(s, "free")) {
		p->mode = DMAE_SIM_FREE;
		return 0;
	}
	if (!strcmp(s, "paced")) {
		p->mode = DMAE_SIM_PACED;
		p->scale = 1.0;
		return 0;
	}
	if (!strncmp(s, "paced:", 6)) {
		scale = strtod(s + 6, &end);
		if (end != s + 6 && !*end && isfinite(scale) && scale > 0 && scale <= 1000) {
			p->mode = DMAE_SIM_PACED;
			p->scale = scale;
			return 0;
		}
	}
	dmae_log(DMAE_LOG_ERR,
		 "dmaengine: %s=%s: not a simulation mode (free, paced or paced:SCALE with 0 < SCALE <= 1000)",
		 what, s);
	return -EINVAL;
}

/* ------------------------------------------------------------------ heap */

static bool dmae_sim_before(const struct dmae_sim_event *a, const struct dmae_sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void dmae_sim_heap_set(struct dmae_sim *sim, u32 i, struct dmae_sim_event *ev)
{
	sim->heap[i] = ev;
	ev->index = (int)i;
}

static void dmae_sim_sift_up(struct dmae_sim *sim, u32 i)
{
	struct dmae_sim_event *ev = sim->heap[i];

	while (i) {
		u32 parent = (i - 1) / 2;

		if (!dmae_sim_before(ev, sim->heap[parent]))
			break;
		dmae_sim_heap_set(sim, i, sim->heap[parent]);
		i = parent;
	}
	dmae_sim_heap_set(sim, i, ev);
}

static void dmae_sim_sift_down(struct dmae_sim *sim, u32 i)
{
	struct dmae_sim_event *ev = sim->heap[i];

	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= sim->nr_events)
			break;
		if (c + 1 < sim->nr_events && dmae_sim_before(sim->heap[c + 1], sim->heap[c]))
			c++;
		if (!dmae_sim_before(sim->heap[c], ev))
			break;
		dmae_sim_heap_set(sim, i, sim->heap[c]);
		i = c;
	}
	dmae_sim_heap_set(sim, i, ev);
}

/* Take the event at slot @i out of the heap. */
static void dmae_sim_heap_remove(struct dmae_sim *sim, u32 i)
{
	struct dmae_sim_event *ev = sim->heap[i];
	struct dmae_sim_event *last = sim->heap[--sim->nr_events];

	ev->index = -1;
	if (i == sim->nr_events)
		return;
	dmae_sim_heap_set(sim, i, last);
	if (i && dmae_sim_before(last, sim->heap[(i - 1) / 2]))
		dmae_sim_sift_up(sim, i);
	else
		dmae_sim_sift_down(sim, i);
}

static int dmae_sim_heap_grow(struct dmae_sim *sim)
{
	u32 size = sim->heap_size ? sim->heap_size * 2 : DMAE_SIM_HEAP_MIN;
	struct dmae_sim_event **heap = realloc(sim->heap, size * sizeof(*heap));

	if (!heap)
		return -ENOMEM;
	sim->heap = heap;
	sim->heap_size = size;
	return 0;
}

/* ----------------------------------------------------------- the clock */

static dmae_sim_time_t dmae_sim_host_virt(const struct dmae_sim *sim)
{
	u64 host = dmae_clock_ns() - sim->anchor_host_ns;

	return sim->anchor_virt + (dmae_sim_time_t)((double)host * sim->scale * DMAE_PS_PER_NS);
}

/* The host time at which paced virtual time reaches @t. */
static u64 dmae_sim_virt_host(const struct dmae_sim *sim, dmae_sim_time_t t)
{
	if (t <= sim->anchor_virt)
		return sim->anchor_host_ns;
	return sim->anchor_host_ns +
	       (u64)((double)(t - sim->anchor_virt) / (sim->scale * DMAE_PS_PER_NS));
}

static void dmae_sim_set_now(struct dmae_sim *sim, dmae_sim_time_t t)
{
	if (t > sim->now)
		__atomic_store_n(&sim->now, t, __ATOMIC_RELEASE);
}

/* Run one due event: the earliest. Lock held. */
static void dmae_sim_run_first(struct dmae_sim *sim)
{
	struct dmae_sim_event *ev = sim->heap[0];

	dmae_sim_heap_remove(sim, 0);
	dmae_sim_set_now(sim, ev->time);
	dmae_sim_stat(&sim->stats.events);
	dmae_trace_board(&sim->trace, DMAE_TRACE_HW_EVENT, ev->time, (uintptr_t)ev->name, 0, 0);
	ev->fn(ev);
}

/* dmae_sim_advance - run every event up to @t, then stand at @t. Lock held. */
static void dmae_sim_advance(struct dmae_sim *sim, dmae_sim_time_t t)
{
	while (sim->nr_events && sim->heap[0]->time <= t)
		dmae_sim_run_first(sim);
	dmae_sim_set_now(sim, t);
}

/* ------------------------------------------------------- the board thread */

/* Something the board thread waits for may have changed: it looks again. */
static void dmae_sim_poke(struct dmae_sim *sim)
{
	__atomic_add_fetch(&sim->kicks, 1, __ATOMIC_SEQ_CST);
	wake_up(&sim->kick_wq);
}

static void dmae_sim_kick(void *arg)
{
	dmae_sim_poke(arg);
}

/* The softirq ran dry: the board thread may go on, a settling thread may return. */
static void dmae_sim_softirq_idle(void *arg)
{
	struct dmae_sim *sim = arg;

	dmae_sim_poke(sim);
	wake_up(&sim->settle_wq);
}

static bool dmae_sim_irq_ready(struct dmae_sim *sim)
{
	return sim->irqs && dmae_irq_domain_pending(sim->irqs);
}

/* Deliver the board's ready lines on this thread. */
static void dmae_sim_deliver(struct dmae_sim *sim)
{
	unsigned int n;

	__atomic_store_n(&sim->in_irq, 1, __ATOMIC_SEQ_CST);
	n = dmae_irq_domain_run(sim->irqs);
	__atomic_store_n(&sim->in_irq, 0, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sim->stats.irq_runs, n, __ATOMIC_RELAXED);
	wake_up(&sim->settle_wq);
}

/* Free mode: nothing of the board's software can run. */
static bool dmae_sim_quiet(struct dmae_sim *sim)
{
	return !dmae_softirq_busy() && !dmae_quiesce_running(sim->quiesce) &&
	       !dmae_sim_irq_ready(sim);
}

/*
 * dmae_sim_free_step - one step of free mode: jump to the next event time
 * and run every event queued for it, if the board is quiet. Returns the host
 * ns to sleep at most (-1: until kicked), or 0 to go round again at once.
 */
static s64 dmae_sim_free_step(struct dmae_sim *sim, u64 *activity, u64 *since)
{
	dmae_sim_time_t t;
	u64 now_host;

	if (!dmae_sim_quiet(sim)) {
		/* A member that runs without a sign of life for the grace time is away. */
		u64 act = dmae_quiesce_activity(sim->quiesce);

		/*
		 * Whatever makes the board quiet kicks this thread (the group
		 * going idle, the softirq running dry, this thread delivering
		 * the lines), and the step that follows looks at the queue: a
		 * new first event needs no kick meanwhile (dmae_sim_schedule).
		 */
		__atomic_store_n(&sim->wait_quiet, 1, __ATOMIC_SEQ_CST);

		now_host = dmae_clock_ns();
		if (act != *activity || !*since) {
			*activity = act;
			*since = now_host;
		} else if (dmae_quiesce_running(sim->quiesce) && now_host - *since >= sim->grace_ns) {
			u64 n = dmae_quiesce_set_away(sim->quiesce);

			__atomic_add_fetch(&sim->stats.aways, n, __ATOMIC_RELAXED);
			*since = 0;
			return 0;
		}
		return (s64)sim->grace_ns;
	}
	*since = 0;
	dmae_sim_lock(sim);
	/* From here the queue is looked at under the lock: a new first event must kick again. */
	__atomic_store_n(&sim->wait_quiet, 0, __ATOMIC_SEQ_CST);
	if (sim->mode != DMAE_SIM_FREE || !sim->nr_events) {
		dmae_sim_unlock(sim);
		return -1;
	}
	t = sim->heap[0]->time;
	dmae_sim_stat(&sim->stats.jumps);
	while (sim->nr_events && sim->heap[0]->time == t)
		dmae_sim_run_first(sim);
	dmae_sim_set_now(sim, t);
	dmae_sim_unlock(sim);
	return 0;
}

/* Paced mode: run what the host clock has reached; sleep until the next one. */
static s64 dmae_sim_paced_step(struct dmae_sim *sim)
{
	dmae_sim_time_t virt;
	u64 due, now_host;
	s64 wait = -1;

	dmae_sim_lock(sim);
	if (sim->mode == DMAE_SIM_PACED) {
		virt = dmae_sim_host_virt(sim);
		dmae_sim_advance(sim, virt > sim->now ? virt : sim->now);
		if (sim->nr_events) {
			due = dmae_sim_virt_host(sim, sim->heap[0]->time);
			now_host = dmae_clock_ns();
			wait = due > now_host ? (s64)(due - now_host) : 0;
		}
	}
	dmae_sim_unlock(sim);
	return wait;
}

/*
 * The board thread: interrupts first, then a step of the mode. It sleeps
 * only when a step says so and no kick came since the step looked: it is no
 * waiter of kick_wq while it works, so what it does itself (queueing events)
 * costs no wake-up.
 */
static void dmae_sim_thread(void *arg)
{
	struct dmae_sim *sim = arg;
	u64 activity = 0, since = 0;

	for (;;) {
		u32 kicks = __atomic_load_n(&sim->kicks, __ATOMIC_SEQ_CST), seq;
		s64 wait;

		if (__atomic_load_n(&sim->stopping, __ATOMIC_ACQUIRE))
			break;
		if (dmae_sim_irq_ready(sim)) {
			dmae_sim_deliver(sim);
			continue;
		}
		if (__atomic_load_n(&sim->mode, __ATOMIC_ACQUIRE) == DMAE_SIM_FREE)
			wait = dmae_sim_free_step(sim, &activity, &since);
		else
			wait = dmae_sim_paced_step(sim);
		if (!wait)
			continue;
		seq = dmae_wq_prepare(&sim->kick_wq);
		if (__atomic_load_n(&sim->kicks, __ATOMIC_SEQ_CST) == kicks &&
		    !dmae_sim_irq_ready(sim))
			dmae_wq_sleep(&sim->kick_wq, seq, wait);
		dmae_wq_finish(&sim->kick_wq);
	}
}

/* ------------------------------------------------------------------ API */

static int dmae_sim_params_check(const struct dmae_sim_params *p)
{
	if (p->mode != DMAE_SIM_FREE && p->mode != DMAE_SIM_PACED)
		return -EINVAL;
	if (p->mode == DMAE_SIM_PACED && !(p->scale > 0 && p->scale <= 1000))
		return -EINVAL;
	if (p->nr_irqs > DMAE_NR_IRQS / 2)
		return -EINVAL;
	return 0;
}

static int dmae_sim_setup(struct dmae_sim *sim, const struct dmae_sim_params *p)
{
	sim->quiesce = dmae_quiesce_create(dmae_sim_kick, sim);
	if (IS_ERR(sim->quiesce))
		return (int)PTR_ERR(sim->quiesce);
	if (p->nr_irqs) {
		sim->irqs = dmae_irq_domain_create(p->nr_irqs, dmae_sim_kick, sim, sim->name);
		if (IS_ERR(sim->irqs)) {
			int err = (int)PTR_ERR(sim->irqs);

			sim->irqs = NULL;
			return err;
		}
	}
	if (dmae_softirq_watch(dmae_sim_softirq_idle, sim))
		return -ENOSPC;
	return dmae_thread_create(&sim->thread, dmae_sim_thread, sim, "board");
}

static void dmae_sim_free(struct dmae_sim *sim)
{
	dmae_softirq_unwatch(dmae_sim_softirq_idle, sim);
	dmae_irq_domain_destroy(sim->irqs);
	if (!IS_ERR_OR_NULL(sim->quiesce))
		dmae_quiesce_destroy(sim->quiesce);
	free(sim->heap);
	free(sim);
}

DMAE_EXPORT struct dmae_sim *dmae_sim_create(const struct dmae_sim_params *p)
{
	struct dmae_sim *sim;
	int err;

	if (!p || dmae_sim_params_check(p))
		return ERR_PTR(-EINVAL);
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return ERR_PTR(-ENOMEM);
	mutex_init(&sim->lock);
	init_waitqueue_head(&sim->kick_wq);
	init_waitqueue_head(&sim->settle_wq);
	snprintf(sim->name, sizeof(sim->name), "%s", p->name ? p->name : "board");
	{
		char unit[DMAE_TRACE_UNIT_NAME];

		snprintf(unit, sizeof(unit), "board %s", sim->name);
		dmae_trace_unit_init(&sim->trace, unit);
	}
	sim->mode = p->mode;
	sim->scale = p->mode == DMAE_SIM_PACED ? p->scale : 1.0;
	sim->access_ps = p->access_ps;
	sim->grace_ns = p->grace_ns ? p->grace_ns : 50ull * 1000000ull;
	sim->anchor_host_ns = dmae_clock_ns();
	err = dmae_sim_setup(sim, p);
	if (err) {
		dmae_sim_free(sim);
		return ERR_PTR(err);
	}
	return sim;
}

DMAE_EXPORT void dmae_sim_destroy(struct dmae_sim *sim)
{
	if (!sim)
		return;
	__atomic_store_n(&sim->stopping, 1, __ATOMIC_RELEASE);
	dmae_sim_poke(sim);
	dmae_thread_join(sim->thread);
	dmae_sim_free(sim);
}

DMAE_EXPORT struct dmae_irq_domain *dmae_sim_irqs(struct dmae_sim *sim)
{
	return sim->irqs;
}

DMAE_EXPORT struct dmae_quiesce *dmae_sim_quiesce(struct dmae_sim *sim)
{
	return sim->quiesce;
}

DMAE_EXPORT enum dmae_sim_mode dmae_sim_mode(const struct dmae_sim *sim)
{
	return __atomic_load_n(&sim->mode, __ATOMIC_ACQUIRE);
}

DMAE_EXPORT const char *dmae_sim_name(const struct dmae_sim *sim)
{
	return sim->name;
}

DMAE_EXPORT int dmae_sim_set_mode(struct dmae_sim *sim, enum dmae_sim_mode mode, double scale)
{
	if ((mode != DMAE_SIM_FREE && mode != DMAE_SIM_PACED) ||
	    (mode == DMAE_SIM_PACED && !(scale > 0 && scale <= 1000)))
		return -EINVAL;
	dmae_sim_lock(sim);
	sim->scale = mode == DMAE_SIM_PACED ? scale : 1.0;
	sim->anchor_host_ns = dmae_clock_ns();
	sim->anchor_virt = sim->now;
	__atomic_store_n(&sim->mode, mode, __ATOMIC_RELEASE);
	dmae_sim_unlock(sim);
	dmae_sim_poke(sim);
	return 0;
}

DMAE_EXPORT void dmae_sim_lock(struct dmae_sim *sim)
{
	mutex_lock(&sim->lock);
	__atomic_store_n(&sim->lock_owner, dmae_sim_token(), __ATOMIC_RELAXED);
}

DMAE_EXPORT void dmae_sim_unlock(struct dmae_sim *sim)
{
	__atomic_store_n(&sim->lock_owner, 0, __ATOMIC_RELAXED);
	mutex_unlock(&sim->lock);
}

DMAE_EXPORT bool dmae_sim_locked(const struct dmae_sim *sim)
{
	return __atomic_load_n(&sim->lock_owner, __ATOMIC_RELAXED) == dmae_sim_token();
}

DMAE_EXPORT dmae_sim_time_t dmae_sim_now(const struct dmae_sim *sim)
{
	return __atomic_load_n(&sim->now, __ATOMIC_ACQUIRE);
}

DMAE_EXPORT void dmae_sim_event_init(struct dmae_sim_event *ev, dmae_sim_event_fn fn,
				     const char *name)
{
	memset(ev, 0, sizeof(*ev));
	ev->fn = fn;
	ev->name = name;
	ev->index = -1;
}

DMAE_EXPORT void dmae_sim_schedule(struct dmae_sim *sim, struct dmae_sim_event *ev,
				   dmae_sim_time_t time)
{
	bool first;

	if (ev->index >= 0)
		dmae_sim_heap_remove(sim, (u32)ev->index);
	if (sim->nr_events == sim->heap_size && dmae_sim_heap_grow(sim)) {
		dmae_log(DMAE_LOG_ERR, "%s: out of memory for an event (%s): dropped", sim->name,
			 ev->name ? ev->name : "?");
		return;
	}
	ev->time = time < sim->now ? sim->now : time;
	ev->seq = sim->seq++;
	dmae_sim_heap_set(sim, sim->nr_events++, ev);
	dmae_sim_sift_up(sim, (u32)ev->index);
	first = ev->index == 0;
	/*
	 * The board thread sleeps until the first event, or until kicked: a
	 * new first one kicks, unless in free mode the thread waits for the
	 * board to go quiet, which kicks it anyway (dmae_sim_free_step): a
	 * running thread of the board queueing an event (a register write that
	 * starts a transfer, before it waits for the end) costs no wake-up.
	 */
	if (first && !(sim->mode == DMAE_SIM_FREE &&
		       __atomic_load_n(&sim->wait_quiet, __ATOMIC_SEQ_CST)))
		dmae_sim_poke(sim);
}

DMAE_EXPORT void dmae_sim_cancel(struct dmae_sim *sim, struct dmae_sim_event *ev)
{
	if (ev->index >= 0)
		dmae_sim_heap_remove(sim, (u32)ev->index);
}

DMAE_EXPORT dmae_sim_time_t dmae_sim_next(const struct dmae_sim *sim)
{
	return sim->nr_events ? sim->heap[0]->time : UINT64_MAX;
}

/* ------------------------------------------------------------ accesses */

DMAE_EXPORT void dmae_sim_access(struct dmae_sim *sim)
{
	dmae_sim_time_t t;

	if (in_task())
		dmae_quiesce_touch(sim->quiesce);
	dmae_sim_stat(&sim->stats.accesses);
	if (sim->mode == DMAE_SIM_FREE) {
		t = sim->now + sim->access_ps;
	} else {
		t = dmae_sim_host_virt(sim);
		if (t < sim->now)
			t = sim->now;
	}
	dmae_sim_advance(sim, t);
}

/* Interrupts raised and not yet handled, or tasklets they queued, that a CPU would run first. */
static bool dmae_sim_unsettled(struct dmae_sim *sim)
{
	if (dmae_sim_irq_ready(sim) || __atomic_load_n(&sim->in_irq, __ATOMIC_SEQ_CST))
		return true;
	return !dmae_bh_disabled() && dmae_softirq_busy();
}

DMAE_EXPORT void dmae_sim_settle(struct dmae_sim *sim)
{
	u64 end;

	if (!in_task() || dmae_irqs_disabled() || !dmae_sim_unsettled(sim))
		return;
	end = dmae_clock_ns() + DMAE_SIM_SETTLE_LIMIT_NS;
	for (;;) {
		u32 seq = dmae_wq_prepare(&sim->settle_wq);
		u64 now;

		if (!dmae_sim_unsettled(sim)) {
			dmae_wq_finish(&sim->settle_wq);
			return;
		}
		now = dmae_clock_ns();
		if (now >= end) {
			dmae_wq_finish(&sim->settle_wq);
			dmae_log(DMAE_LOG_WARN,
				 "%s: waited 2 s for the interrupts and tasklets a register access raised: is a lock they need held across it with interrupts on?",
				 sim->name);
			return;
		}
		/* Counted as running: the clock must not move on while it waits. */
		dmae_wq_sleep_running(&sim->settle_wq, seq, (s64)(end - now));
		dmae_wq_finish(&sim->settle_wq);
	}
}

/* A thread waiting out a delay: woken by its event. */
struct dmae_sim_sleeper {
	struct dmae_sim_event ev; /* at the end of the delay */
	struct completion done;	  /* the event ran; safe to free once waited for */
};

static void dmae_sim_sleeper_wake(struct dmae_sim_event *ev)
{
	struct dmae_sim_sleeper *s = container_of(ev, struct dmae_sim_sleeper, ev);

	complete(&s->done);
}

/* Busy-wait (paced, may not sleep): the host clock reaches virtual @t. */
static void dmae_sim_spin_until(struct dmae_sim *sim, dmae_sim_time_t t)
{
	u64 due;

	dmae_sim_lock(sim);
	due = dmae_sim_virt_host(sim, t);
	dmae_sim_unlock(sim);
	while (dmae_clock_ns() < due)
		cpu_relax();
}

DMAE_EXPORT void dmae_sim_delay(struct dmae_sim *sim, dmae_sim_time_t ps)
{
	struct dmae_sim_sleeper s;
	dmae_sim_time_t t;

	if (in_task() && !dmae_irqs_disabled()) {
		dmae_sim_event_init(&s.ev, dmae_sim_sleeper_wake, "delay");
		init_completion(&s.done);
		dmae_sim_lock(sim);
		dmae_quiesce_touch(sim->quiesce);
		dmae_sim_schedule(sim, &s.ev, sim->now + ps);
		dmae_sim_unlock(sim);
		wait_for_completion(&s.done);
		dmae_sim_settle(sim);
		return;
	}
	dmae_sim_lock(sim);
	t = sim->now + ps;
	dmae_sim_unlock(sim);
	if (dmae_sim_mode(sim) == DMAE_SIM_PACED)
		dmae_sim_spin_until(sim, t);
	dmae_sim_lock(sim);
	dmae_sim_advance(sim, t);
	dmae_sim_unlock(sim);
}

DMAE_EXPORT void dmae_sim_get_stats(const struct dmae_sim *sim, struct dmae_sim_stats *st)
{
	st->events = __atomic_load_n(&sim->stats.events, __ATOMIC_RELAXED);
	st->jumps = __atomic_load_n(&sim->stats.jumps, __ATOMIC_RELAXED);
	st->accesses = __atomic_load_n(&sim->stats.accesses, __ATOMIC_RELAXED);
	st->irq_runs = __atomic_load_n(&sim->stats.irq_runs, __ATOMIC_RELAXED);
	st->aways = __atomic_load_n(&sim->stats.aways, __ATOMIC_RELAXED);
}
