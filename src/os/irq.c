// SPDX-License-Identifier: MIT
/*
 * irq.c - interrupt lines: handlers installed with request_irq, raised by
 * platforms and models, run in interrupt context on one "hardirq" thread.
 *
 * Lines are edge-triggered: a raise sets the line's pending bit, and the
 * thread clears it just before calling the handler, so raises that come
 * before the call are one interrupt and a raise during the call is another.
 * A masked line (disable_irq) keeps its pending bit until enable_irq.
 */
#include <errno.h>

#include <dmaengine/os.h>

#include "waitqueue.h"

#define DMAE_IRQ_WORDS (DMAE_NR_IRQS / 64) /* u64 words of a line bitmap */

enum {
	DMAE_IRQ_THREAD_STOPPED = 0,  /* no thread yet */
	DMAE_IRQ_THREAD_STARTING = 1, /* one caller is creating it */
	DMAE_IRQ_THREAD_RUNNING = 2,  /* delivering */
};

struct dmae_irq_line {
	irq_handler_t handler;	/* NULL when free; under dmae_irqs.lock */
	void *dev_id;		/* handler's argument */
	const char *name;	/* as given to request_irq, returned by free_irq */
	unsigned int depth;	/* disable_irq nesting; masked while > 0 */
	bool requested;		/* had a handler: not given out by dmae_irq_alloc */
	bool allocated;		/* given out by dmae_irq_alloc */
	unsigned long count;	/* handler calls since request_irq or dmae_irq_free (atomic) */
};

static struct dmae_irq_controller {
	spinlock_t lock;			/* protects lines[] but count, and masked writes */
	struct dmae_irq_line lines[DMAE_NR_IRQS]; /* every line */
	u64 pending[DMAE_IRQ_WORDS];		/* raised, not yet delivered (atomic) */
	u64 masked[DMAE_IRQ_WORDS];		/* disabled lines (atomic) */
	u32 running;				/* line whose handler runs, plus 1; 0 none */
	wait_queue_head_t work;			/* the thread sleeps here for a raise */
	wait_queue_head_t done;			/* synchronize_irq sleeps here */
	u32 thread_state;			/* DMAE_IRQ_THREAD_* */
	struct dmae_thread *thread;		/* the "hardirq" thread, lives for the process */
} dmae_irqs;

static u64 dmae_irq_bit(unsigned int irq)
{
	return 1ull << (irq % 64);
}

static void dmae_irq_set(u64 *map, unsigned int irq)
{
	__atomic_fetch_or(&map[irq / 64], dmae_irq_bit(irq), __ATOMIC_SEQ_CST);
}

static void dmae_irq_clear(u64 *map, unsigned int irq)
{
	__atomic_fetch_and(&map[irq / 64], ~dmae_irq_bit(irq), __ATOMIC_SEQ_CST);
}

/* dmae_irq_next - the lowest line pending and not masked, or -1. */
static int dmae_irq_next(void)
{
	int w;

	for (w = 0; w < DMAE_IRQ_WORDS; w++) {
		u64 bits = __atomic_load_n(&dmae_irqs.pending[w], __ATOMIC_SEQ_CST) &
			   ~__atomic_load_n(&dmae_irqs.masked[w], __ATOMIC_SEQ_CST);

		if (bits)
			return w * 64 + __builtin_ctzll(bits);
	}
	return -1;
}

static bool dmae_irq_running(unsigned int irq)
{
	return __atomic_load_n(&dmae_irqs.running, __ATOMIC_ACQUIRE) == irq + 1;
}

/* ------------------------------------------------------ the hardirq thread */

/*
 * dmae_irq_claim - take line @irq's pending interrupt for delivery; false
 * if it was masked meanwhile or has no handler (then the raise is dropped).
 */
static bool dmae_irq_claim(unsigned int irq, irq_handler_t *handler, void **dev_id)
{
	struct dmae_irq_line *line = &dmae_irqs.lines[irq];
	bool claimed;

	dmae_lock(&dmae_irqs.lock);
	claimed = line->handler && !line->depth;
	if (claimed || !line->handler)
		dmae_irq_clear(dmae_irqs.pending, irq);
	if (claimed) {
		*handler = line->handler;
		*dev_id = line->dev_id;
		/* Under the lock: disable_irq after this sees the handler running. */
		__atomic_store_n(&dmae_irqs.running, irq + 1, __ATOMIC_RELEASE);
	}
	dmae_unlock(&dmae_irqs.lock);
	return claimed;
}

static void dmae_irq_deliver(unsigned int irq)
{
	irq_handler_t handler;
	enum dmae_context prev;
	void *dev_id;

	if (!dmae_irq_claim(irq, &handler, &dev_id))
		return;
	__atomic_add_fetch(&dmae_irqs.lines[irq].count, 1, __ATOMIC_RELAXED);
	prev = dmae_context_enter(DMAE_CTX_IRQ);
	handler((int)irq, dev_id);
	dmae_context_exit(prev);
	__atomic_store_n(&dmae_irqs.running, 0, __ATOMIC_RELEASE);
	wake_up(&dmae_irqs.done);
}

static void dmae_irq_thread(void *arg)
{
	int irq;

	for (;;) {
		wait_event(dmae_irqs.work, dmae_irq_next() >= 0);
		while ((irq = dmae_irq_next()) >= 0)
			dmae_irq_deliver((unsigned int)irq);
	}
}

/* dmae_irq_start - start the delivery thread once; 0 or -errno. */
static int dmae_irq_start(void)
{
	u32 s = DMAE_IRQ_THREAD_STOPPED;
	int err;

	if (__atomic_load_n(&dmae_irqs.thread_state, __ATOMIC_ACQUIRE) != DMAE_IRQ_THREAD_STOPPED ||
	    !__atomic_compare_exchange_n(&dmae_irqs.thread_state, &s, DMAE_IRQ_THREAD_STARTING,
					 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	err = dmae_thread_create(&dmae_irqs.thread, dmae_irq_thread, NULL, "hardirq");
	__atomic_store_n(&dmae_irqs.thread_state,
			 err ? DMAE_IRQ_THREAD_STOPPED : DMAE_IRQ_THREAD_RUNNING, __ATOMIC_RELEASE);
	return err;
}

/* ------------------------------------------------------------ the API */

static bool dmae_irq_valid(unsigned int irq)
{
	return irq < DMAE_NR_IRQS;
}

/**
 * request_irq - install @handler on line @irq, unmasked, its count reset.
 * @flags is accepted and ignored: a line has one handler (IRQF_SHARED or not).
 * Returns 0, -EINVAL (bad line, NULL handler), -EBUSY (line has a handler),
 * or -EAGAIN (the delivery thread could not be started). Context: any.
 */
DMAE_EXPORT int dmae_request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			    const char *name, void *dev_id)
{
	struct dmae_irq_line *line;
	int err;

	if (!dmae_irq_valid(irq) || !handler)
		return -EINVAL;
	line = &dmae_irqs.lines[irq];
	err = dmae_irq_start();
	if (err)
		return err;
	dmae_lock(&dmae_irqs.lock);
	if (line->handler) {
		dmae_unlock(&dmae_irqs.lock);
		return -EBUSY;
	}
	line->dev_id = dev_id;
	line->name = name;
	line->depth = 0;
	line->requested = true;
	__atomic_store_n(&line->count, 0, __ATOMIC_RELAXED);
	dmae_irq_clear(dmae_irqs.pending, irq); /* raises before now had no handler */
	dmae_irq_clear(dmae_irqs.masked, irq);
	line->handler = handler;
	dmae_unlock(&dmae_irqs.lock);
	return 0;
}

/**
 * free_irq - remove the handler of @irq installed with @dev_id; in process
 * context, wait for it to return if it runs. Returns the name given to
 * request_irq, or NULL (with a warning) if no such handler is installed.
 * Context: process; elsewhere it warns and does not wait.
 */
DMAE_EXPORT const void *dmae_free_irq(unsigned int irq, void *dev_id)
{
	struct dmae_irq_line *line;
	const char *name = NULL;

	if (!dmae_irq_valid(irq))
		goto out_warn;
	line = &dmae_irqs.lines[irq];
	dmae_lock(&dmae_irqs.lock);
	if (line->handler && line->dev_id == dev_id) {
		name = line->name;
		line->handler = NULL;
		line->dev_id = NULL;
		line->name = NULL;
		dmae_irq_clear(dmae_irqs.pending, irq);
	}
	dmae_unlock(&dmae_irqs.lock);
	if (!name)
		goto out_warn;
	synchronize_irq(irq);
	return name;

out_warn:
	pr_warn("free_irq: trying to free already-free IRQ %u", irq);
	return NULL;
}

/** disable_irq_nosync - mask @irq (nesting); raises are held pending. Context: any. */
DMAE_EXPORT void dmae_disable_irq_nosync(unsigned int irq)
{
	if (!dmae_irq_valid(irq))
		return;
	dmae_lock(&dmae_irqs.lock);
	if (dmae_irqs.lines[irq].depth++ == 0)
		dmae_irq_set(dmae_irqs.masked, irq);
	dmae_unlock(&dmae_irqs.lock);
}

/**
 * disable_irq - mask @irq and wait for its running handler. Context: process;
 * elsewhere it warns and does not wait (as disable_irq_nosync).
 */
DMAE_EXPORT void dmae_disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

/** enable_irq - undo one disable_irq; a held interrupt is delivered. Context: any. */
DMAE_EXPORT void dmae_enable_irq(unsigned int irq)
{
	struct dmae_irq_line *line;
	bool unmasked = false, unbalanced = false;

	if (!dmae_irq_valid(irq))
		return;
	line = &dmae_irqs.lines[irq];
	dmae_lock(&dmae_irqs.lock);
	if (!line->depth)
		unbalanced = true;
	else if (--line->depth == 0)
		unmasked = true;
	if (unmasked)
		dmae_irq_clear(dmae_irqs.masked, irq);
	dmae_unlock(&dmae_irqs.lock);
	if (unbalanced)
		pr_warn("enable_irq: unbalanced enable for IRQ %u", irq);
	if (unmasked)
		wake_up(&dmae_irqs.work);
}

/**
 * synchronize_irq - wait until no handler of @irq runs. Context: process;
 * elsewhere it warns and returns (it would wait for itself).
 */
DMAE_EXPORT void dmae_synchronize_irq(unsigned int irq)
{
	if (!dmae_irq_valid(irq) || dmae_might_sleep("synchronize_irq"))
		return;
	wait_event(dmae_irqs.done, !dmae_irq_running(irq));
}

/**
 * dmae_irq_alloc - reserve the lowest line neither allocated nor ever
 * requested (a line numbered by hand, e.g. in a device tree, is not given
 * out). Returns the line or -ENOSPC. Context: any.
 */
DMAE_EXPORT int dmae_irq_alloc(void)
{
	int irq;

	dmae_lock(&dmae_irqs.lock);
	for (irq = 0; irq < DMAE_NR_IRQS; irq++) {
		struct dmae_irq_line *line = &dmae_irqs.lines[irq];

		if (!line->allocated && !line->requested) {
			line->allocated = true;
			break;
		}
	}
	dmae_unlock(&dmae_irqs.lock);
	return irq < DMAE_NR_IRQS ? irq : -ENOSPC;
}

/**
 * dmae_irq_free - give back a line from dmae_irq_alloc, after free_irq; it
 * may be handed out again, its count reset. A line that still has a handler
 * is kept (warning). Context: any.
 */
DMAE_EXPORT void dmae_irq_free(unsigned int irq)
{
	struct dmae_irq_line *line;
	bool busy;

	if (!dmae_irq_valid(irq))
		return;
	line = &dmae_irqs.lines[irq];
	dmae_lock(&dmae_irqs.lock);
	busy = line->handler != NULL;
	if (!busy) {
		line->allocated = false;
		line->requested = false;
		__atomic_store_n(&line->count, 0, __ATOMIC_RELAXED);
	}
	dmae_unlock(&dmae_irqs.lock);
	if (busy)
		pr_warn("dmae_irq_free: IRQ %u still has a handler; free_irq first", irq);
}

/** dmae_irq_raise - assert line @irq; a line without a handler drops it. Context: any. */
DMAE_EXPORT void dmae_irq_raise(unsigned int irq)
{
	if (!dmae_irq_valid(irq))
		return;
	dmae_irq_set(dmae_irqs.pending, irq);
	wake_up(&dmae_irqs.work);
}

/** dmae_irq_count - handler calls on @irq (0 for a bad line). Context: any. */
DMAE_EXPORT unsigned long dmae_irq_count(unsigned int irq)
{
	if (!dmae_irq_valid(irq))
		return 0;
	return __atomic_load_n(&dmae_irqs.lines[irq].count, __ATOMIC_RELAXED);
}
