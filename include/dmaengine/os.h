/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/os.h - execution contexts and primitives for providers and models.
 *
 * Provider API: not for applications. These are the kernel's primitives
 * (spinlock_t, struct mutex, struct completion, wait queues, tasklets,
 * interrupt lines, timers, jiffies) with the kernel's names and rules,
 * implemented in src/os, the only place that touches threads and clocks.
 *
 * Execution contexts, as in the kernel:
 *   process     the client's own threads; may sleep
 *   interrupt   an interrupt handler (request_irq); must not sleep
 *   completion  tasklets and timers (the kernel's softirq); callbacks run here;
 *               must not sleep
 * A call that may sleep, made where sleeping is not allowed, warns once with
 * one line and fails (-EDEADLK) instead of deadlocking; see dmae_might_sleep().
 *
 * All types here are valid when zero-filled, except where an init function is
 * named (the kernel's static initialisers are spelled as zero).
 */
#ifndef DMAENGINE_OS_H
#define DMAENGINE_OS_H

#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

/* ---------------------------------------------------------------- contexts */

enum dmae_context {
	DMAE_CTX_PROCESS = 0,	 /* a thread that may sleep */
	DMAE_CTX_IRQ = 1,	 /* an interrupt handler */
	DMAE_CTX_COMPLETION = 2, /* a tasklet, timer or completion callback */
};

/** The context the calling thread is in now. Context: any. */
DMAE_EXPORT enum dmae_context dmae_context(void);
/** Enter @ctx on this thread; returns the previous context for dmae_context_exit(). */
DMAE_EXPORT enum dmae_context dmae_context_enter(enum dmae_context ctx);
/** Leave the context entered last, back to @prev. */
DMAE_EXPORT void dmae_context_exit(enum dmae_context prev);
/** Name of a context: "process", "interrupt" or "completion". */
DMAE_EXPORT const char *dmae_context_name(enum dmae_context ctx);
/**
 * dmae_might_sleep - check that @func may sleep here.
 * Returns false in process context. Elsewhere prints one line
 * ("BUG: sleeping function called from invalid context: <func>() in <ctx> context")
 * and returns true: the caller must then fail with -EDEADLK.
 */
DMAE_EXPORT bool dmae_might_sleep(const char *func);

static inline bool in_interrupt(void) { return dmae_context() != DMAE_CTX_PROCESS; }
static inline bool in_hardirq(void) { return dmae_context() == DMAE_CTX_IRQ; }
static inline bool in_softirq(void) { return dmae_context() == DMAE_CTX_COMPLETION; }
static inline bool in_task(void) { return dmae_context() == DMAE_CTX_PROCESS; }

/* ------------------------------------------------------------------ clock */

#define HZ 1000 /* one jiffy is one millisecond */

/** Monotonic clock in nanoseconds. Context: any. */
DMAE_EXPORT u64 dmae_clock_ns(void);
/** The kernel's jiffies: monotonic milliseconds since an arbitrary start. */
DMAE_EXPORT unsigned long dmae_jiffies(void);
#define jiffies (dmae_jiffies())
static inline unsigned long msecs_to_jiffies(unsigned int ms) { return ms; }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return (unsigned int)j; }
static inline u64 ktime_get_ns(void) { return dmae_clock_ns(); }
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/** Number of CPUs the process may run on (at least 1). */
DMAE_EXPORT int dmae_cpu_count(void);
/** The CPU the calling thread runs on now (0 when unknown). */
DMAE_EXPORT int dmae_current_cpu(void);
/** Give up the CPU to another runnable thread. Context: any. */
DMAE_EXPORT void dmae_yield(void);

/* ---------------------------------------------------------------- threads */

struct dmae_thread;
/**
 * dmae_thread_create - start @fn(@arg) on a new thread called @name.
 * Returns 0 or -errno (-EAGAIN when the system has no threads left).
 */
DMAE_EXPORT int dmae_thread_create(struct dmae_thread **thread, void (*fn)(void *),
				   void *arg, const char *name);
/** Wait for the thread to return and free it. Context: process. */
DMAE_EXPORT void dmae_thread_join(struct dmae_thread *thread);
/**
 * dmae_thread_sched_ns - how long the calling thread, one of the library's,
 * has run on a CPU (*@on_cpu) and been runnable but waiting for one
 * (*@waiting), in ns since it started: the scheduler's statistics. A waiting
 * time that grows like the running time means more runnable threads than
 * CPUs. One system call. @return 0, or -ENOSYS when the system does not say
 * (or on a thread not from dmae_thread_create()).
 */
DMAE_EXPORT int dmae_thread_sched_ns(s64 *on_cpu, s64 *waiting);

/* ------------------------------------------------------------------ locks */

/* A lock that spins briefly, then sleeps: spinlock_t and struct mutex alike. */
typedef struct spinlock {
	u32 state; /* 0 free, 1 held, 2 held with sleepers */
} spinlock_t;

struct mutex {
	spinlock_t lock; /* same lock, sleeping allowed while held */
};

DMAE_EXPORT void dmae_lock(spinlock_t *lock);
DMAE_EXPORT bool dmae_trylock(spinlock_t *lock);
DMAE_EXPORT void dmae_unlock(spinlock_t *lock);
DMAE_EXPORT bool dmae_is_locked(const spinlock_t *lock);

#define DEFINE_SPINLOCK(x) spinlock_t x = { 0 }
#define DEFINE_MUTEX(x) struct mutex x = { { 0 } }
static inline void spin_lock_init(spinlock_t *l) { l->state = 0; }
static inline void spin_lock(spinlock_t *l) { dmae_lock(l); }
static inline void spin_unlock(spinlock_t *l) { dmae_unlock(l); }
static inline bool spin_trylock(spinlock_t *l) { return dmae_trylock(l); }
/*
 * Interrupt handlers run on threads of their own here: the lock alone
 * excludes them. The _irq and _bh forms also note, per thread, that this
 * thread has interrupts (softirqs) off, as the kernel's do for its CPU: a
 * simulated board does not make such a thread wait for the handlers of an
 * interrupt it raised (they would wait for the lock it holds).
 */
DMAE_EXPORT unsigned long dmae_local_irq_save(void);
DMAE_EXPORT void dmae_local_irq_restore(unsigned long flags);
DMAE_EXPORT void dmae_local_bh_disable(void);
DMAE_EXPORT void dmae_local_bh_enable(void);
/** irqs_disabled - the calling thread holds an _irq/_irqsave lock (or did local_irq_save). */
DMAE_EXPORT bool dmae_irqs_disabled(void);
/** The calling thread has softirqs off (spin_lock_bh, local_bh_disable). */
DMAE_EXPORT bool dmae_bh_disabled(void);
static inline bool irqs_disabled(void) { return dmae_irqs_disabled(); }
#define local_irq_save(flags) do { (flags) = dmae_local_irq_save(); } while (0)
#define local_irq_restore(flags) dmae_local_irq_restore(flags)
static inline void local_irq_disable(void) { (void)dmae_local_irq_save(); }
static inline void local_irq_enable(void) { dmae_local_irq_restore(0); }
static inline void local_bh_disable(void) { dmae_local_bh_disable(); }
static inline void local_bh_enable(void) { dmae_local_bh_enable(); }
static inline void spin_lock_bh(spinlock_t *l) { dmae_local_bh_disable(); dmae_lock(l); }
static inline void spin_unlock_bh(spinlock_t *l) { dmae_unlock(l); dmae_local_bh_enable(); }
static inline void spin_lock_irq(spinlock_t *l) { (void)dmae_local_irq_save(); dmae_lock(l); }
static inline void spin_unlock_irq(spinlock_t *l) { dmae_unlock(l); dmae_local_irq_restore(0); }
#define spin_lock_irqsave(l, flags) do { (flags) = dmae_local_irq_save(); dmae_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { dmae_unlock(l); dmae_local_irq_restore(flags); } while (0)
#define lockdep_assert_held(l) ((void)0)

static inline void mutex_init(struct mutex *m) { m->lock.state = 0; }
static inline void mutex_destroy(struct mutex *m) { (void)m; }
static inline void mutex_lock(struct mutex *m) { dmae_lock(&m->lock); }
static inline bool mutex_trylock(struct mutex *m) { return dmae_trylock(&m->lock); }
static inline void mutex_unlock(struct mutex *m) { dmae_unlock(&m->lock); }
static inline bool mutex_is_locked(const struct mutex *m) { return dmae_is_locked(&m->lock); }

/* ------------------------------------------------------------ wait queues */

typedef struct wait_queue_head {
	u32 seq;     /* bumped by every wake-up that found sleepers */
	u32 waiters; /* threads between prepare and finish */
	s32 cpu;     /* the CPU of the last thread to sleep here: a hint for wake relays */
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { 0, 0, -1 }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

static inline void init_waitqueue_head(wait_queue_head_t *wq)
{
	wq->seq = 0;
	wq->waiters = 0;
	wq->cpu = -1;
}
/** waitqueue_active - does anyone sleep on @wq (or prepare to)? No barrier: a hint. */
static inline bool waitqueue_active(wait_queue_head_t *wq)
{
	return __atomic_load_n(&wq->waiters, __ATOMIC_RELAXED) != 0;
}
/** Announce a waiter; returns the sequence to pass to dmae_wq_sleep(). */
DMAE_EXPORT u32 dmae_wq_prepare(wait_queue_head_t *wq);
/** Sleep until a wake-up after @seq, or @timeout_ns (< 0: no limit) passes. */
DMAE_EXPORT void dmae_wq_sleep(wait_queue_head_t *wq, u32 seq, s64 timeout_ns);
/** As dmae_wq_sleep, for a board thread that stays counted as running (quiescence groups). */
DMAE_EXPORT void dmae_wq_sleep_running(wait_queue_head_t *wq, u32 seq, s64 timeout_ns);
/** Retract the waiter announced by dmae_wq_prepare(). */
DMAE_EXPORT void dmae_wq_finish(wait_queue_head_t *wq);
/** Wake every sleeper; costs one load when there is none. Context: any. */
DMAE_EXPORT void dmae_wake_up(wait_queue_head_t *wq);
static inline void wake_up(wait_queue_head_t *wq) { dmae_wake_up(wq); }
#define wake_up_all(wq) wake_up(wq)
#define wake_up_interruptible(wq) wake_up(wq)

/*
 * Wake relays. Waking a thread that sleeps on another CPU costs the waker an
 * inter-processor interrupt; in a virtual machine that is a trip through the
 * hypervisor: 12 us of the waker's time on the machines we measure, against
 * 1.6 us to wake a thread of the waker's own CPU. A thread that polls anyway
 * (a provider's worker between its chunks of work) can make those system
 * calls for the CPU it runs on: it opens a relay and polls it. A thread whose
 * time counts more (the worker that runs a channel's callbacks) routes its
 * wake_up()s through a set of relays: a wake-up whose sleeper last slept
 * on the CPU of an open relay goes there; any other is made at once. Only the
 * system call moves: the wait queue itself is updated by wake_up(), so a
 * sleeper that wakes for another reason, returns and frees its wait queue
 * leaves the relay nothing to touch but an address.
 */
#define DMAE_WAKE_RELAY_SLOTS 4

struct dmae_wake_relay {
	u32 open; /* its owner polls it */
	s32 cpu;  /* where its owner runs */
	struct {
		u32 *addr; /* a futex word to wake, or NULL */
		u64 at;	   /* when it was handed over */
	} slot[DMAE_WAKE_RELAY_SLOTS];
} __attribute__((aligned(64)));

/** The calling thread polls @r from now on. Context: any. */
DMAE_EXPORT void dmae_wake_relay_open(struct dmae_wake_relay *r);
/** The owner of @r stops polling it: the wake-ups it holds are made now (returned: how many). */
DMAE_EXPORT unsigned int dmae_wake_relay_close(struct dmae_wake_relay *r);
/**
 * dmae_wake_relay_poll - the owner of @r makes the wake-ups handed to it, and
 * notes the CPU it runs on. Returns how many it made. Context: any.
 */
DMAE_EXPORT unsigned int dmae_wake_relay_poll(struct dmae_wake_relay *r);
/**
 * dmae_wake_relay_flush - another thread makes the wake-ups @r has held for
 * @age_ns or longer (0: all of them), for an owner that lost its CPU.
 * Returns how many it made.
 */
DMAE_EXPORT unsigned int dmae_wake_relay_flush(struct dmae_wake_relay *r, u64 age_ns);
/**
 * dmae_wake_route - route the calling thread's wake-ups through the @n relays
 * at @relays (n = 0: make them all at once, the default). The relays must
 * outlive the route.
 */
DMAE_EXPORT void dmae_wake_route(struct dmae_wake_relay *relays, unsigned int n);

/*
 * Quiescence groups, for simulated boards: how many of the threads acting
 * for a board could run now. A thread joins a board's group at its first
 * touch (an MMIO access); from then on each of its sleeps in a wait queue
 * counts it out and the wake_up() that ends it counts it in, inside the
 * waker, so the count never reads 0 between a complete() and the woken
 * thread running. @on_change runs when the count drops to 0. A thread is in
 * one group at most; thread exit leaves it.
 */
struct dmae_quiesce;
DMAE_EXPORT struct dmae_quiesce *dmae_quiesce_create(void (*on_change)(void *arg), void *arg);
DMAE_EXPORT void dmae_quiesce_destroy(struct dmae_quiesce *q);
/** The calling thread acts for @q: it joins (if in no group) and counts as running. */
DMAE_EXPORT void dmae_quiesce_touch(struct dmae_quiesce *q);
DMAE_EXPORT void dmae_quiesce_leave(void);
DMAE_EXPORT struct dmae_quiesce *dmae_quiesce_current(void);
/** Members of @q that could run now (neither asleep nor away). */
DMAE_EXPORT unsigned int dmae_quiesce_running(const struct dmae_quiesce *q);
/** A counter of @q's members' touches and wake-ups: unchanged means nothing happened. */
DMAE_EXPORT u64 dmae_quiesce_activity(const struct dmae_quiesce *q);
/** Count the running members out until their next touch or wake-up; returns how many. */
DMAE_EXPORT unsigned int dmae_quiesce_set_away(struct dmae_quiesce *q);

/* Sleep until @cond holds. Context: process (the caller checks dmae_might_sleep). */
#define wait_event(wq, cond)                                          \
	do {                                                          \
		for (;;) {                                            \
			u32 __dmae_seq = dmae_wq_prepare(&(wq));       \
			if (cond) {                                   \
				dmae_wq_finish(&(wq));                 \
				break;                                \
			}                                             \
			dmae_wq_sleep(&(wq), __dmae_seq, -1);          \
			dmae_wq_finish(&(wq));                         \
		}                                                     \
	} while (0)

/*
 * Sleep until @cond holds or @timeout jiffies pass. Evaluates to 0 when the
 * time ran out with @cond false, else the jiffies left (at least 1).
 */
#define wait_event_timeout(wq, cond, timeout)                                \
	__extension__({                                                      \
		u64 __dmae_end = (u64)(timeout) >= (1ull << 40) ? UINT64_MAX :   \
			dmae_clock_ns() + (u64)(timeout) * 1000000ull;            \
		long __dmae_left = 1;                                         \
		for (;;) {                                                   \
			u32 __dmae_seq = dmae_wq_prepare(&(wq));              \
			u64 __dmae_now;                                       \
			if (cond) {                                          \
				dmae_wq_finish(&(wq));                        \
				break;                                       \
			}                                                    \
			__dmae_now = dmae_clock_ns();                         \
			if (__dmae_now >= __dmae_end) {                       \
				dmae_wq_finish(&(wq));                        \
				__dmae_left = 0;                              \
				break;                                       \
			}                                                    \
			dmae_wq_sleep(&(wq), __dmae_seq,                      \
				      (s64)(__dmae_end - __dmae_now));         \
			dmae_wq_finish(&(wq));                                \
		}                                                            \
		if (__dmae_left) {                                           \
			u64 __dmae_n = dmae_clock_ns();                       \
			__dmae_left = __dmae_n >= __dmae_end ? 1 :            \
				(long)((__dmae_end - __dmae_n) / 1000000ull) + 1; \
		}                                                            \
		__dmae_left;                                                 \
	})

/* ------------------------------------------------------------ completions */

struct completion {
	u32 done;		/* completions not yet consumed; UINT_MAX/2 after complete_all */
	wait_queue_head_t wait; /* sleepers in wait_for_completion */
	spinlock_t lock;	/* held by complete() while it touches the completion */
};

#define COMPLETION_INITIALIZER(x) { 0, __WAIT_QUEUE_HEAD_INITIALIZER((x).wait), { 0 } }
#define DECLARE_COMPLETION(x) struct completion x = COMPLETION_INITIALIZER(x)

DMAE_EXPORT void dmae_init_completion(struct completion *x);
static inline void init_completion(struct completion *x) { dmae_init_completion(x); }
DMAE_EXPORT void dmae_reinit_completion(struct completion *x);
static inline void reinit_completion(struct completion *x) { dmae_reinit_completion(x); }
/** Let one waiter through. Context: any. */
DMAE_EXPORT void dmae_complete(struct completion *x);
static inline void complete(struct completion *x) { dmae_complete(x); }
/** Let every present and future waiter through. Context: any. */
DMAE_EXPORT void dmae_complete_all(struct completion *x);
static inline void complete_all(struct completion *x) { dmae_complete_all(x); }
/**
 * wait_for_completion - sleep until complete() is called.
 * Context: process; elsewhere it warns and returns at once without waiting.
 */
DMAE_EXPORT void dmae_wait_for_completion(struct completion *x);
static inline void wait_for_completion(struct completion *x) { dmae_wait_for_completion(x); }
/**
 * wait_for_completion_timeout - as wait_for_completion, at most @timeout jiffies.
 * Returns 0 on time-out, else the jiffies left (at least 1).
 * Context: process; elsewhere it warns and returns 0.
 */
DMAE_EXPORT unsigned long dmae_wait_for_completion_timeout(struct completion *x,
						      unsigned long timeout);
static inline unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return dmae_wait_for_completion_timeout(x, timeout);
}
/** Consume a completion if one is ready, without sleeping. Context: any. */
DMAE_EXPORT bool dmae_try_wait_for_completion(struct completion *x);
static inline bool try_wait_for_completion(struct completion *x)
{
	return dmae_try_wait_for_completion(x);
}
/** True if a wait would not sleep now. Context: any. */
DMAE_EXPORT bool dmae_completion_done(struct completion *x);
static inline bool completion_done(struct completion *x) { return dmae_completion_done(x); }

/* --------------------------------------------------------------- tasklets */

enum {
	TASKLET_STATE_SCHED = 0, /* bit: queued to run */
	TASKLET_STATE_RUN = 1,	 /* bit: running now */
};

struct tasklet_struct {
	struct tasklet_struct *next; /* link in the softirq queue */
	unsigned long state;	     /* TASKLET_STATE_* bits */
	int count;		     /* disable depth; runs only at 0 */
	bool use_callback;	     /* callback (true) or func(data) (false) */
	void (*func)(unsigned long data);	      /* legacy handler */
	void (*callback)(struct tasklet_struct *t); /* handler given the tasklet */
	unsigned long data;			      /* argument of func */
};

#define from_tasklet(var, callback_tasklet, tasklet_fieldname) \
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

DMAE_EXPORT void dmae_tasklet_setup(struct tasklet_struct *t,
			       void (*callback)(struct tasklet_struct *));
static inline void tasklet_setup(struct tasklet_struct *t,
				 void (*callback)(struct tasklet_struct *))
{
	dmae_tasklet_setup(t, callback);
}
DMAE_EXPORT void dmae_tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long),
			      unsigned long data);
static inline void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long),
				 unsigned long data)
{
	dmae_tasklet_init(t, func, data);
}
/** Queue the tasklet to run once in completion context. Context: any. */
DMAE_EXPORT void dmae_tasklet_schedule(struct tasklet_struct *t);
static inline void tasklet_schedule(struct tasklet_struct *t) { dmae_tasklet_schedule(t); }
#define tasklet_hi_schedule(t) tasklet_schedule(t)
/**
 * tasklet_kill - wait until the tasklet is neither queued nor running.
 * Context: process; elsewhere it warns and returns without waiting.
 */
DMAE_EXPORT void dmae_tasklet_kill(struct tasklet_struct *t);
static inline void tasklet_kill(struct tasklet_struct *t) { dmae_tasklet_kill(t); }
DMAE_EXPORT void dmae_tasklet_disable(struct tasklet_struct *t);
static inline void tasklet_disable(struct tasklet_struct *t) { dmae_tasklet_disable(t); }
DMAE_EXPORT void dmae_tasklet_enable(struct tasklet_struct *t);
static inline void tasklet_enable(struct tasklet_struct *t) { dmae_tasklet_enable(t); }

/** A tasklet is queued or running now (for simulated boards). */
DMAE_EXPORT bool dmae_softirq_busy(void);
/** Call @fn(@arg) each time the tasklets run out of work; -ENOSPC when full. */
DMAE_EXPORT int dmae_softirq_watch(void (*fn)(void *arg), void *arg);
DMAE_EXPORT void dmae_softirq_unwatch(void (*fn)(void *arg), void *arg);

/* -------------------------------------------------------- interrupt lines */

#define DMAE_NR_IRQS 1024

typedef enum irqreturn {
	IRQ_NONE = 0,	     /* not ours */
	IRQ_HANDLED = 1,     /* handled */
	IRQ_WAKE_THREAD = 2, /* accepted as handled here */
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x80

/**
 * request_irq - install @handler for line @irq; it runs in interrupt context.
 * Returns 0, -EINVAL (bad line or NULL handler) or -EBUSY (line taken).
 */
DMAE_EXPORT int dmae_request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			    const char *name, void *dev_id);
static inline int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
				 const char *name, void *dev_id)
{
	return dmae_request_irq(irq, handler, flags, name, dev_id);
}
/** Remove the handler (waits for a running one). Returns the name given, or NULL. */
DMAE_EXPORT const void *dmae_free_irq(unsigned int irq, void *dev_id);
static inline const void *free_irq(unsigned int irq, void *dev_id)
{
	return dmae_free_irq(irq, dev_id);
}
/** Mask the line and wait for a running handler; raises are held pending. */
DMAE_EXPORT void dmae_disable_irq(unsigned int irq);
static inline void disable_irq(unsigned int irq) { dmae_disable_irq(irq); }
DMAE_EXPORT void dmae_disable_irq_nosync(unsigned int irq);
static inline void disable_irq_nosync(unsigned int irq) { dmae_disable_irq_nosync(irq); }
DMAE_EXPORT void dmae_enable_irq(unsigned int irq);
static inline void enable_irq(unsigned int irq) { dmae_enable_irq(irq); }
/** Wait until no handler of the line is running. */
DMAE_EXPORT void dmae_synchronize_irq(unsigned int irq);
static inline void synchronize_irq(unsigned int irq) { dmae_synchronize_irq(irq); }
/** For platforms and models: a free line number, or -ENOSPC. */
DMAE_EXPORT int dmae_irq_alloc(void);
DMAE_EXPORT void dmae_irq_free(unsigned int irq);
/** For platforms and models: an edge on line @irq; the handler runs soon. */
DMAE_EXPORT void dmae_irq_raise(unsigned int irq);
/**
 * For platforms and models: drive level line @irq high or low (it is
 * level-triggered from then on): its handler runs, and runs again, while it
 * stays high. A level line that keeps getting IRQ_NONE is disabled with the
 * kernel's "nobody cared" line.
 */
DMAE_EXPORT void dmae_irq_set_level(unsigned int irq, bool high);
/** Whether level line @irq is high now. */
DMAE_EXPORT bool dmae_irq_level(unsigned int irq);
/** Handlers run so far on line @irq (for tests and statistics). */
DMAE_EXPORT unsigned long dmae_irq_count(unsigned int irq);

/*
 * Interrupt domains: a range of level lines (a simulated board's interrupt
 * controller) delivered not by the hardirq thread but by a thread of the
 * domain's owner, which @kick wakes when a line may be ready and which then
 * calls dmae_irq_domain_run(). For platforms.
 */
struct dmae_irq_domain;
DMAE_EXPORT struct dmae_irq_domain *dmae_irq_domain_create(unsigned int nr,
							   void (*kick)(void *arg), void *arg,
							   const char *name);
DMAE_EXPORT void dmae_irq_domain_destroy(struct dmae_irq_domain *d);
DMAE_EXPORT unsigned int dmae_irq_domain_base(const struct dmae_irq_domain *d);
DMAE_EXPORT unsigned int dmae_irq_domain_size(const struct dmae_irq_domain *d);
DMAE_EXPORT bool dmae_irq_domain_pending(const struct dmae_irq_domain *d);
DMAE_EXPORT unsigned int dmae_irq_domain_run(struct dmae_irq_domain *d);

/* ----------------------------------------------------------------- timers */

struct timer_list {
	struct timer_list *next;		 /* link in the timer queue */
	unsigned long expires;			 /* jiffies, as given to mod_timer */
	u64 expires_ns;				 /* the same on dmae_clock_ns() */
	void (*function)(struct timer_list *);	 /* runs in completion context */
	u32 flags;				 /* as given to timer_setup */
	u32 pending;				 /* queued */
};

#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)

DMAE_EXPORT void dmae_timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *),
			     unsigned int flags);
static inline void timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *),
				 unsigned int flags)
{
	dmae_timer_setup(timer, fn, flags);
}
/** (Re)arm the timer for @expires jiffies; returns 1 if it was pending, else 0. */
DMAE_EXPORT int dmae_mod_timer(struct timer_list *timer, unsigned long expires);
static inline int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return dmae_mod_timer(timer, expires);
}
/** (Re)arm the timer for @expires_ns on dmae_clock_ns(). */
DMAE_EXPORT int dmae_timer_mod_ns(struct timer_list *timer, u64 expires_ns);
DMAE_EXPORT void dmae_add_timer(struct timer_list *timer);
static inline void add_timer(struct timer_list *timer) { dmae_add_timer(timer); }
/** Disarm; returns 1 if it was pending. Its function may still be running. */
DMAE_EXPORT int dmae_del_timer(struct timer_list *timer);
static inline int del_timer(struct timer_list *timer) { return dmae_del_timer(timer); }
/** Disarm and wait for a running function. Context: process. */
DMAE_EXPORT int dmae_del_timer_sync(struct timer_list *timer);
static inline int del_timer_sync(struct timer_list *timer) { return dmae_del_timer_sync(timer); }
DMAE_EXPORT bool dmae_timer_pending(const struct timer_list *timer);
static inline bool timer_pending(const struct timer_list *timer)
{
	return dmae_timer_pending(timer);
}
/* (No timer_delete(): POSIX <time.h> owns that name.) */
#define timer_delete_sync(t) del_timer_sync(t)

/* ---------------------------------------------------------------- logging */

enum dmae_log_level { DMAE_LOG_ERR = 3, DMAE_LOG_WARN = 4, DMAE_LOG_INFO = 6, DMAE_LOG_DEBUG = 7 };
/* Where messages go: one complete line (without '\n') a call. */
typedef void (*dmae_log_fn)(enum dmae_log_level level, const char *line, void *arg);
/** Route the library's messages to @fn (NULL: standard error). Returns the previous handler. */
DMAE_EXPORT dmae_log_fn dmae_set_log_handler(dmae_log_fn fn, void *arg);
/** Print one line at @level (debug lines only when DMAENGINE_DEBUG is set). */
DMAE_EXPORT void dmae_log(enum dmae_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define pr_err(...) dmae_log(DMAE_LOG_ERR, __VA_ARGS__)
#define pr_warn(...) dmae_log(DMAE_LOG_WARN, __VA_ARGS__)
#define pr_info(...) dmae_log(DMAE_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) dmae_log(DMAE_LOG_DEBUG, __VA_ARGS__)

DMAE_END_DECLS

#endif /* DMAENGINE_OS_H */
