// SPDX-License-Identifier: MIT
/*
 * irq.c - interrupt lines: handlers installed with request_irq, raised by
 * platforms and models, run in interrupt context.
 *
 * A line is edge-triggered (dmae_irq_raise) or level-triggered
 * (dmae_irq_set_level, as a GIC SPI): an edge sets the line's pending bit,
 * cleared just before the handler runs, so edges before the call are one
 * interrupt and an edge during it another; a level line is delivered for as
 * long as it is high, the handler called again each time it returns with
 * the line still up. A masked line (disable_irq) keeps its state until
 * enable_irq.
 *
 * Lines are delivered by the "hardirq" thread, or, for the lines of an
 * interrupt domain (a simulated board's interrupt controller), by whoever
 * runs the domain: dmae_irq_domain_run(), called by the board's own thread
 * when the domain's kick says a line is ready.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmaengine/err.h>
#include <dmaengine/os.h>

#include "waitqueue.h"

#define DMAE_IRQ_WORDS (DMAE_NR_IRQS / 64) /* u64 words of a line bitmap */

/* A level line that keeps returning IRQ_NONE this many times is nobody's. */
#define DMAE_IRQ_UNHANDLED_LIMIT 1000
/* A level line handled this many times without ever going low is stuck. */
#define DMAE_IRQ_STUCK_LIMIT 1000000
/* Deliveries of one domain run before it returns to its caller's loop. */
#define DMAE_IRQ_DOMAIN_BATCH 64

enum {
	DMAE_IRQ_THREAD_STOPPED = 0,  /* no thread yet */
	DMAE_IRQ_THREAD_STARTING = 1, /* one caller is creating it */
	DMAE_IRQ_THREAD_RUNNING = 2,  /* delivering */
};

struct dmae_irq_domain {
	unsigned int base;	  /* first line */
	unsigned int nr;	  /* lines */
	void (*kick)(void *arg);  /* a line became ready: call dmae_irq_domain_run() */
	void *arg;		  /* kick's argument */
	const char *name;	  /* for messages */
};

struct dmae_irq_line {
	irq_handler_t handler;	/* NULL when free; under dmae_irqs.lock */
	void *dev_id;		/* handler's argument */
	const char *name;	/* as given to request_irq, returned by free_irq */
	unsigned int depth;	/* disable_irq nesting; masked while > 0 */
	bool requested;		/* had a handler: not given out by dmae_irq_alloc */
	bool allocated;		/* given out by dmae_irq_alloc or to a domain */
	bool level;		/* level-triggered */
	struct dmae_irq_domain *domain; /* who delivers it; NULL: the hardirq thread */
	u32 unhandled;		/* consecutive IRQ_NONE with the level still high */
	u32 stuck;		/* consecutive deliveries with the level still high */
	unsigned long count;	/* handler calls since request_irq or dmae_irq_free (atomic) */
};

static struct dmae_irq_controller {
	spinlock_t lock;			/* protects lines[], and bitmap writes but running's */
	struct dmae_irq_line lines[DMAE_NR_IRQS]; /* every line */
	u64 pending[DMAE_IRQ_WORDS];		/* edges raised, not yet delivered (atomic) */
	u64 high[DMAE_IRQ_WORDS];		/* level lines asserted (atomic) */
	u64 masked[DMAE_IRQ_WORDS];		/* disabled lines (atomic) */
	u64 armed[DMAE_IRQ_WORDS];		/* lines with a handler (atomic) */
	u64 domained[DMAE_IRQ_WORDS];		/* lines of a domain (atomic) */
	u64 running[DMAE_IRQ_WORDS];		/* handler running (atomic) */
	wait_queue_head_t work;			/* the hardirq thread sleeps here */
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

static bool dmae_irq_test(const u64 *map, unsigned int irq)
{
	return __atomic_load_n(&map[irq / 64], __ATOMIC_SEQ_CST) & dmae_irq_bit(irq);
}

static u64 dmae_irq_word(const u64 *map, int w)
{
	return __atomic_load_n(&map[w], __ATOMIC_SEQ_CST);
}

/* The lines of word @w that a delivery would take now. */
static u64 dmae_irq_ready_word(int w)
{
	return (dmae_irq_word(dmae_irqs.pending, w) | dmae_irq_word(dmae_irqs.high, w)) &
	       dmae_irq_word(dmae_irqs.armed, w) & ~dmae_irq_word(dmae_irqs.masked, w);
}

/* dmae_irq_next - the lowest ready line in [@lo, @hi), of a domain or not; -1 if none. */
static int dmae_irq_next(unsigned int lo, unsigned int hi, bool domained)
{
	for (unsigned int w = lo / 64; w * 64 < hi; w++) {
		u64 bits = dmae_irq_ready_word((int)w);
		u64 dom = dmae_irq_word(dmae_irqs.domained, (int)w);

		bits &= domained ? dom : ~dom;
		if (w == lo / 64)
			bits &= ~0ull << (lo % 64);
		if ((w + 1) * 64 > hi && hi % 64)
			bits &= (1ull << (hi % 64)) - 1;
		if (bits)
			return (int)(w * 64 + (unsigned int)__builtin_ctzll(bits));
	}
	return -1;
}

static bool dmae_irq_valid(unsigned int irq)
{
	return irq < DMAE_NR_IRQS;
}

/* dmae_irq_notify - tell whoever delivers @irq that it may be ready. Context: any. */
static void dmae_irq_notify(unsigned int irq)
{
	struct dmae_irq_domain *d = __atomic_load_n(&dmae_irqs.lines[irq].domain,
						    __ATOMIC_ACQUIRE);

	if (d)
		d->kick(d->arg);
	else
		wake_up(&dmae_irqs.work);
}

/* ------------------------------------------------------------- delivery */

/*
 * dmae_irq_claim - take line @irq for a handler call; false if it was
 * masked meanwhile or has no handler (then an edge is dropped).
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
		dmae_irq_set(dmae_irqs.running, irq);
	}
	dmae_unlock(&dmae_irqs.lock);
	return claimed;
}

/* Mask @irq for good after a storm: @why is printed. Lock held. */
static void dmae_irq_shut(unsigned int irq, const char *why)
{
	struct dmae_irq_line *line = &dmae_irqs.lines[irq];

	pr_err("irq %u: %s", irq, why);
	pr_err("Disabling IRQ #%u", irq);
	if (line->depth++ == 0)
		dmae_irq_set(dmae_irqs.masked, irq);
}

/* dmae_irq_account - after a handler call: catch a level line nobody lowers. */
static void dmae_irq_account(unsigned int irq, irqreturn_t ret)
{
	struct dmae_irq_line *line = &dmae_irqs.lines[irq];

	dmae_lock(&dmae_irqs.lock);
	if (!line->level || !dmae_irq_test(dmae_irqs.high, irq)) {
		line->unhandled = 0;
		line->stuck = 0;
	} else if (ret == IRQ_NONE && ++line->unhandled >= DMAE_IRQ_UNHANDLED_LIMIT) {
		dmae_irq_shut(irq, "nobody cared (the handler returned IRQ_NONE while the line stayed high)");
		line->unhandled = 0;
	} else if (ret != IRQ_NONE && ++line->stuck >= DMAE_IRQ_STUCK_LIMIT) {
		dmae_irq_shut(irq, "stuck high: handled a million times without the device lowering it");
		line->stuck = 0;
	}
	dmae_unlock(&dmae_irqs.lock);
}

static void dmae_irq_deliver(unsigned int irq)
{
	irq_handler_t handler;
	enum dmae_context prev;
	irqreturn_t ret;
	void *dev_id;

	if (!dmae_irq_claim(irq, &handler, &dev_id))
		return;
	__atomic_add_fetch(&dmae_irqs.lines[irq].count, 1, __ATOMIC_RELAXED);
	prev = dmae_context_enter(DMAE_CTX_IRQ);
	ret = handler((int)irq, dev_id);
	dmae_context_exit(prev);
	dmae_irq_account(irq, ret);
	dmae_irq_clear(dmae_irqs.running, irq);
	wake_up(&dmae_irqs.done);
}

static void dmae_irq_thread(void *arg)
{
	int irq;

	for (;;) {
		wait_event(dmae_irqs.work, dmae_irq_next(0, DMAE_NR_IRQS, false) >= 0);
		while ((irq = dmae_irq_next(0, DMAE_NR_IRQS, false)) >= 0)
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
	if (!__atomic_load_n(&line->domain, __ATOMIC_ACQUIRE)) {
		err = dmae_irq_start();
		if (err)
			return err;
	}
	dmae_lock(&dmae_irqs.lock);
	if (line->handler) {
		dmae_unlock(&dmae_irqs.lock);
		return -EBUSY;
	}
	line->dev_id = dev_id;
	line->name = name;
	line->depth = 0;
	line->requested = true;
	line->unhandled = 0;
	line->stuck = 0;
	__atomic_store_n(&line->count, 0, __ATOMIC_RELAXED);
	dmae_irq_clear(dmae_irqs.pending, irq); /* edges before now had no handler */
	dmae_irq_clear(dmae_irqs.masked, irq);
	line->handler = handler;
	dmae_irq_set(dmae_irqs.armed, irq);
	dmae_unlock(&dmae_irqs.lock);
	if (dmae_irq_test(dmae_irqs.high, irq))
		dmae_irq_notify(irq); /* a level already up is delivered now */
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
		dmae_irq_clear(dmae_irqs.armed, irq);
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

/** disable_irq_nosync - mask @irq (nesting); its state is held. Context: any. */
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
		dmae_irq_notify(irq);
}

/**
 * synchronize_irq - wait until no handler of @irq runs. Context: process;
 * elsewhere it warns and returns (it would wait for itself).
 */
DMAE_EXPORT void dmae_synchronize_irq(unsigned int irq)
{
	if (!dmae_irq_valid(irq) || dmae_might_sleep("synchronize_irq"))
		return;
	wait_event(dmae_irqs.done, !dmae_irq_test(dmae_irqs.running, irq));
}

/* dmae_irq_take - mark line @irq given out; false if it is taken. Lock held. */
static bool dmae_irq_take(unsigned int irq)
{
	struct dmae_irq_line *line = &dmae_irqs.lines[irq];

	if (line->allocated || line->requested)
		return false;
	line->allocated = true;
	return true;
}

/**
 * dmae_irq_alloc - reserve the lowest line neither allocated nor ever
 * requested (a line numbered by hand is not given out). Returns the line or
 * -ENOSPC. Context: any.
 */
DMAE_EXPORT int dmae_irq_alloc(void)
{
	int irq;

	dmae_lock(&dmae_irqs.lock);
	for (irq = 0; irq < DMAE_NR_IRQS; irq++)
		if (dmae_irq_take((unsigned int)irq))
			break;
	dmae_unlock(&dmae_irqs.lock);
	return irq < DMAE_NR_IRQS ? irq : -ENOSPC;
}

/* dmae_irq_release - give line @irq back; false if it still has a handler. Lock held. */
static bool dmae_irq_release(unsigned int irq)
{
	struct dmae_irq_line *line = &dmae_irqs.lines[irq];

	if (line->handler)
		return false;
	line->allocated = false;
	line->requested = false;
	line->level = false;
	line->domain = NULL;
	dmae_irq_clear(dmae_irqs.high, irq);
	dmae_irq_clear(dmae_irqs.pending, irq);
	dmae_irq_clear(dmae_irqs.domained, irq);
	__atomic_store_n(&line->count, 0, __ATOMIC_RELAXED);
	return true;
}

/**
 * dmae_irq_free - give back a line from dmae_irq_alloc, after free_irq; it
 * may be handed out again, its count reset. A line that still has a handler
 * is kept (warning). Context: any.
 */
DMAE_EXPORT void dmae_irq_free(unsigned int irq)
{
	bool freed;

	if (!dmae_irq_valid(irq))
		return;
	dmae_lock(&dmae_irqs.lock);
	freed = dmae_irq_release(irq);
	dmae_unlock(&dmae_irqs.lock);
	if (!freed)
		pr_warn("dmae_irq_free: IRQ %u still has a handler; free_irq first", irq);
}

/** dmae_irq_raise - an edge on line @irq; a line without a handler drops it. Context: any. */
DMAE_EXPORT void dmae_irq_raise(unsigned int irq)
{
	if (!dmae_irq_valid(irq))
		return;
	dmae_irq_set(dmae_irqs.pending, irq);
	dmae_irq_notify(irq);
}

/**
 * dmae_irq_set_level - drive level line @irq high or low; the line is
 * level-triggered from now on. A handler is called while it stays high.
 * Context: any (models call it under their own lock).
 */
DMAE_EXPORT void dmae_irq_set_level(unsigned int irq, bool high)
{
	struct dmae_irq_line *line;

	if (!dmae_irq_valid(irq))
		return;
	line = &dmae_irqs.lines[irq];
	if (!__atomic_load_n(&line->level, __ATOMIC_RELAXED))
		__atomic_store_n(&line->level, true, __ATOMIC_RELAXED);
	if (!high) {
		dmae_irq_clear(dmae_irqs.high, irq);
		return;
	}
	if (dmae_irq_test(dmae_irqs.high, irq))
		return;
	dmae_irq_set(dmae_irqs.high, irq);
	dmae_irq_notify(irq);
}

/** dmae_irq_level - whether level line @irq is high now. Context: any. */
DMAE_EXPORT bool dmae_irq_level(unsigned int irq)
{
	return dmae_irq_valid(irq) && dmae_irq_test(dmae_irqs.high, irq);
}

/** dmae_irq_count - handler calls on @irq (0 for a bad line). Context: any. */
DMAE_EXPORT unsigned long dmae_irq_count(unsigned int irq)
{
	if (!dmae_irq_valid(irq))
		return 0;
	return __atomic_load_n(&dmae_irqs.lines[irq].count, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------- domains */

/* Give @d the @nr lines from @base. Lock held; the lines are free. */
static void dmae_irq_domain_claim(struct dmae_irq_domain *d)
{
	for (unsigned int i = 0; i < d->nr; i++) {
		struct dmae_irq_line *line = &dmae_irqs.lines[d->base + i];

		line->allocated = true;
		line->level = true;
		__atomic_store_n(&line->domain, d, __ATOMIC_RELEASE);
		dmae_irq_set(dmae_irqs.domained, d->base + i);
	}
}

/* The first of @nr consecutive free lines, or -1. Lock held. */
static int dmae_irq_find_range(unsigned int nr)
{
	unsigned int run = 0;

	for (unsigned int irq = 0; irq < DMAE_NR_IRQS; irq++) {
		const struct dmae_irq_line *line = &dmae_irqs.lines[irq];

		run = line->allocated || line->requested ? 0 : run + 1;
		if (run == nr)
			return (int)(irq + 1 - nr);
	}
	return -1;
}

/**
 * dmae_irq_domain_create - @nr consecutive level lines delivered by the
 * caller's thread instead of the hardirq thread: when one may be ready,
 * @kick(@arg) is called (from any context, possibly under a model's lock: it
 * must only wake the thread), which then calls dmae_irq_domain_run().
 * @return the domain, or ERR_PTR(-EINVAL) (@nr 0 or too large, no @kick),
 * ERR_PTR(-ENOSPC) (not enough consecutive free lines), ERR_PTR(-ENOMEM).
 */
DMAE_EXPORT struct dmae_irq_domain *dmae_irq_domain_create(unsigned int nr,
							   void (*kick)(void *arg), void *arg,
							   const char *name)
{
	struct dmae_irq_domain *d;
	int base;

	if (!nr || nr > DMAE_NR_IRQS || !kick)
		return ERR_PTR(-EINVAL);
	d = calloc(1, sizeof(*d));
	if (!d)
		return ERR_PTR(-ENOMEM);
	dmae_lock(&dmae_irqs.lock);
	base = dmae_irq_find_range(nr);
	if (base >= 0) {
		d->base = (unsigned int)base;
		d->nr = nr;
		d->kick = kick;
		d->arg = arg;
		d->name = name;
		dmae_irq_domain_claim(d);
	}
	dmae_unlock(&dmae_irqs.lock);
	if (base < 0) {
		pr_err("irq: no %u consecutive free lines for %s", nr, name ? name : "a domain");
		free(d);
		return ERR_PTR(-ENOSPC);
	}
	return d;
}

/**
 * dmae_irq_domain_destroy - give the domain's lines back. Every handler must
 * have been freed (a line that still has one is kept, with a warning). Not
 * while dmae_irq_domain_run() runs. NULL is ignored.
 */
DMAE_EXPORT void dmae_irq_domain_destroy(struct dmae_irq_domain *d)
{
	unsigned int busy = 0;

	if (!d)
		return;
	dmae_lock(&dmae_irqs.lock);
	for (unsigned int i = 0; i < d->nr; i++)
		busy += !dmae_irq_release(d->base + i);
	dmae_unlock(&dmae_irqs.lock);
	if (busy)
		pr_warn("irq: %s destroyed with %u handlers still installed", d->name ? d->name : "domain",
			busy);
	free(d);
}

/** dmae_irq_domain_base - the first line of @d (line n of the domain is base + n). */
DMAE_EXPORT unsigned int dmae_irq_domain_base(const struct dmae_irq_domain *d)
{
	return d->base;
}

/** dmae_irq_domain_size - how many lines @d has. */
DMAE_EXPORT unsigned int dmae_irq_domain_size(const struct dmae_irq_domain *d)
{
	return d->nr;
}

/** dmae_irq_domain_pending - whether a line of @d would be delivered now. Context: any. */
DMAE_EXPORT bool dmae_irq_domain_pending(const struct dmae_irq_domain *d)
{
	return dmae_irq_next(d->base, d->base + d->nr, true) >= 0;
}

/**
 * dmae_irq_domain_run - deliver the ready lines of @d, lowest first, each
 * handler in interrupt context on the calling thread; a level line still
 * high afterwards is delivered again. Returns after a bounded number of
 * calls (call again while dmae_irq_domain_pending()). @return the handler
 * calls made. Context: process, on the one thread that runs @d.
 */
DMAE_EXPORT unsigned int dmae_irq_domain_run(struct dmae_irq_domain *d)
{
	unsigned int n = 0;
	int irq;

	while (n < DMAE_IRQ_DOMAIN_BATCH &&
	       (irq = dmae_irq_next(d->base, d->base + d->nr, true)) >= 0) {
		dmae_irq_deliver((unsigned int)irq);
		n++;
	}
	return n;
}
