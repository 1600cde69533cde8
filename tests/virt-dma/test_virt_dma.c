// SPDX-License-Identifier: MIT
/*
 * test_virt_dma.c - virt-dma.
 *
 * Part 1, white box: a virtual channel on a bare struct dma_device, driven by
 * hand as a driver would (the test plays the interrupt handler), checking
 * which list every descriptor is on, cookies, callbacks from the tasklet,
 * freeing and recycling, cyclic callbacks, termination and synchronize.
 *
 * Part 2, end to end: the vchan-sim provider (tests/common/vchan_sim.c), a
 * driver written on virt-dma in front of a simulated engine, used through the
 * public consumer API: copies, callbacks, pause and residue, terminate (sync,
 * and async from a callback), descriptor reuse, interrupt descriptors.
 *
 * Nothing sleeps to synchronise: tests wait on completions with a bound. A
 * short quiet period is used only to show that something does not happen.
 */
#include <time.h> /* before os.h, whose timer_delete macro clashes with POSIX's */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/virt-dma.h>

#include "common/vchan_sim.h"

#define WAIT_MS 10000u	/* bound on every wait: a lost event fails the test */
#define QUIET_MS 20	/* how long "nothing more happens" is watched */

/* ------------------------------------------------------------ log capture */

struct log_capture {
	spinlock_t lock; /* protects the fields below */
	int lines;	 /* lines received since the last reset */
	char last[512];	 /* the last line */
};

static struct log_capture logcap;

static void log_capture_fn(enum dmae_log_level level, const char *line, void *arg)
{
	struct log_capture *c = arg;

	spin_lock(&c->lock);
	c->lines++;
	snprintf(c->last, sizeof(c->last), "%s", line);
	spin_unlock(&c->lock);
}

static void log_reset(void)
{
	spin_lock(&logcap.lock);
	logcap.lines = 0;
	logcap.last[0] = '\0';
	spin_unlock(&logcap.lock);
}

static int log_lines(void)
{
	int n;

	spin_lock(&logcap.lock);
	n = logcap.lines;
	spin_unlock(&logcap.lock);
	return n;
}

/* log_last_has - whether the last line captured contains @needle. */
static bool log_last_has(const char *needle)
{
	bool found;

	spin_lock(&logcap.lock);
	found = strstr(logcap.last, needle) != NULL;
	spin_unlock(&logcap.lock);
	return found;
}

static void log_capture_begin(void)
{
	log_reset();
	dmae_set_log_handler(log_capture_fn, &logcap);
}

/* -------------------------------------------------------------- helpers */

static u32 load32(const u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store32(u32 *p, u32 v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* A bounded wait that fails the test instead of hanging it. */
static void wait_done(struct completion *c)
{
	assert_true(wait_for_completion_timeout(c, WAIT_MS) != 0);
}

/* The quiet period: only to show that something does NOT happen. */
static void quiet_period(void)
{
	struct timespec ts = { 0, QUIET_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/* ===================================================== part 1: white box */

#define WB_MAX_DESCS 16	 /* descriptors one test may allocate */
#define WB_MAX_EVENTS 64 /* entries of the event log */
#define WB_LIST_MAX 64	 /* longer than any list a test builds: a bound for walks */

/* Event log entries: what happened to descriptor id. */
enum wb_event_kind {
	EV_CB_BEGIN = 0, /* its callback started */
	EV_CB_END = 1,	 /* its callback returned */
	EV_FREE = 2,	 /* desc_free was called */
};
#define EV(id, kind) ((id) * 4 + (kind))

/* Where a descriptor is: one of the five lists of struct virt_dma_chan. */
enum wb_list {
	WB_NONE = 0,	   /* on no list (running, or being completed) */
	WB_ALLOCATED = 1,  /* vc->desc_allocated */
	WB_SUBMITTED = 2,  /* vc->desc_submitted */
	WB_ISSUED = 3,	   /* vc->desc_issued */
	WB_COMPLETED = 4,  /* vc->desc_completed */
	WB_TERMINATED = 5, /* vc->desc_terminated */
	WB_CORRUPT = 6,	   /* some list is not a consistent ring */
};

struct wb;

struct wb_desc {
	struct virt_dma_desc vd;	 /* the descriptor under test */
	struct wb *wb;			 /* the fixture it belongs to */
	int id;				 /* index in wb->descs and in the event log */
	void (*hook)(struct wb_desc *d); /* extra work inside its callback */
};

struct wb {
	struct dma_device dd;		      /* bare device, never registered */
	struct virt_dma_chan vc;	      /* the channel under test */
	spinlock_t lock;		      /* protects descs, events, nevents */
	struct wb_desc *descs[WB_MAX_DESCS]; /* every descriptor made; NULL once freed */
	int ndescs;			      /* entries used in descs */
	int events[WB_MAX_EVENTS];	      /* EV() codes in the order they happened */
	int nevents;			      /* entries of events */
	u32 callbacks[WB_MAX_DESCS];	      /* callbacks per descriptor (atomic) */
	struct dmaengine_result results[WB_MAX_DESCS]; /* what callback_result got */
	struct completion callback_done;      /* one complete() per callback */
	struct completion freed;	      /* one complete() per desc_free */
	struct completion entered;	      /* a holding callback has started */
	u32 bad_context;		      /* a callback ran outside completion context */
	u32 wrong_callback;		      /* callback ran although callback_result was set */
	u32 release;			      /* lets a holding callback return */
	u32 hold_finished;		      /* a holding callback returned */
	dma_cookie_t resubmitted;	      /* cookie of a resubmission from a callback */
};

static void wb_record(struct wb *wb, int ev)
{
	spin_lock(&wb->lock);
	if (wb->nevents < WB_MAX_EVENTS)
		wb->events[wb->nevents++] = ev;
	spin_unlock(&wb->lock);
}

/* wb_events_are - whether the event log is exactly @n entries of @want. */
static bool wb_events_are(struct wb *wb, const int *want, int n)
{
	bool same;

	spin_lock(&wb->lock);
	same = wb->nevents == n && !memcmp(wb->events, want, sizeof(*want) * (size_t)n);
	spin_unlock(&wb->lock);
	return same;
}

static bool wb_freed(struct wb *wb, int id)
{
	bool freed;

	spin_lock(&wb->lock);
	freed = wb->descs[id] == NULL;
	spin_unlock(&wb->lock);
	return freed;
}

static u32 wb_calls(struct wb *wb, int id)
{
	return load32(&wb->callbacks[id]);
}

/* The common body of both callback styles; @result NULL for the old style. */
static void wb_callback_common(struct wb_desc *d, const struct dmaengine_result *result)
{
	struct wb *wb = d->wb;

	wb_record(wb, EV(d->id, EV_CB_BEGIN));
	if (dmae_context() != DMAE_CTX_COMPLETION)
		store32(&wb->bad_context, 1);
	if (result)
		wb->results[d->id] = *result;
	__atomic_add_fetch(&wb->callbacks[d->id], 1, __ATOMIC_ACQ_REL);
	if (d->hook)
		d->hook(d);
	wb_record(wb, EV(d->id, EV_CB_END));
	complete(&wb->callback_done);
}

static void wb_callback(void *param)
{
	wb_callback_common(param, NULL);
}

static void wb_callback_result(void *param, const struct dmaengine_result *result)
{
	wb_callback_common(param, result);
}

/* Set next to callback_result: must never run. */
static void wb_callback_never(void *param)
{
	struct wb_desc *d = param;

	store32(&d->wb->wrong_callback, 1);
}

/* The driver's desc_free: record the order, then free. */
static void wb_desc_free(struct virt_dma_desc *vd)
{
	struct wb_desc *d = container_of(vd, struct wb_desc, vd);
	struct wb *wb = d->wb;

	spin_lock(&wb->lock);
	wb->descs[d->id] = NULL;
	spin_unlock(&wb->lock);
	wb_record(wb, EV(d->id, EV_FREE));
	free(d);
	complete(&wb->freed);
}

/* wb_alloc - a zeroed descriptor, tracked by the fixture, not yet prepared. */
static struct wb_desc *wb_alloc(struct wb *wb)
{
	struct wb_desc *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	assert_true(wb->ndescs < WB_MAX_DESCS);
	d->wb = wb;
	spin_lock(&wb->lock);
	d->id = wb->ndescs;
	wb->descs[wb->ndescs++] = d;
	spin_unlock(&wb->lock);
	return d;
}

/* wb_prep - a prepared descriptor whose callback_result records. */
static struct wb_desc *wb_prep(struct wb *wb, unsigned long flags)
{
	struct wb_desc *d = wb_alloc(wb);

	assert_ptr_equal(vchan_tx_prep(&wb->vc, &d->vd, flags), &d->vd.tx);
	d->vd.tx.callback_result = wb_callback_result;
	d->vd.tx.callback_param = d;
	return d;
}

static dma_cookie_t wb_submit(struct wb_desc *d)
{
	dma_cookie_t cookie = dmaengine_submit(&d->vd.tx);

	assert_true(cookie >= DMA_MIN_COOKIE);
	return cookie;
}

static bool wb_issue(struct wb *wb)
{
	unsigned long flags;
	bool issued;

	spin_lock_irqsave(&wb->vc.lock, flags);
	issued = vchan_issue_pending(&wb->vc);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	return issued;
}

/* wb_complete - what an interrupt handler does for the running descriptor. */
static void wb_complete(struct wb_desc *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->wb->vc.lock, flags);
	list_del(&d->vd.node);
	vchan_cookie_complete(&d->vd);
	spin_unlock_irqrestore(&d->wb->vc.lock, flags);
}

/*
 * wb_tasklet_finish - wait until a tasklet run that has started (a callback
 * of it was seen) has returned: its descriptors are freed or recycled.
 */
static void wb_tasklet_finish(struct wb *wb)
{
	tasklet_disable(&wb->vc.task);
	tasklet_enable(&wb->vc.task);
}

/* list_sane - @head is a consistent ring of at most WB_LIST_MAX entries. */
static bool list_sane(const struct list_head *head)
{
	const struct list_head *p = head;
	int i;

	for (i = 0; i <= WB_LIST_MAX; i++) {
		if (p->next->prev != p)
			return false;
		p = p->next;
		if (p == head)
			return true;
	}
	return false;
}

/* list_pos - index of @node on the (sane) list @head, or -1. */
static int list_pos(const struct list_head *head, const struct list_head *node)
{
	const struct list_head *p;
	int i = 0;

	for (p = head->next; p != head && i < WB_LIST_MAX; p = p->next, i++)
		if (p == node)
			return i;
	return -1;
}

static struct list_head *wb_list(struct wb *wb, enum wb_list which)
{
	switch (which) {
	case WB_ALLOCATED:
		return &wb->vc.desc_allocated;
	case WB_SUBMITTED:
		return &wb->vc.desc_submitted;
	case WB_ISSUED:
		return &wb->vc.desc_issued;
	case WB_COMPLETED:
		return &wb->vc.desc_completed;
	case WB_TERMINATED:
		return &wb->vc.desc_terminated;
	default:
		return NULL;
	}
}

/* wb_lists_sane - all five lists are consistent rings. Context: vc.lock held. */
static bool wb_lists_sane(struct wb *wb)
{
	int l;

	for (l = WB_ALLOCATED; l <= WB_TERMINATED; l++)
		if (!list_sane(wb_list(wb, (enum wb_list)l)))
			return false;
	return true;
}

/* wb_where_locked - the list @d is on, and its index there in *@pos. */
static enum wb_list wb_where_locked(struct wb *wb, struct wb_desc *d, int *pos)
{
	int l;

	if (!wb_lists_sane(wb))
		return WB_CORRUPT;
	for (l = WB_ALLOCATED; l <= WB_TERMINATED; l++) {
		*pos = list_pos(wb_list(wb, (enum wb_list)l), &d->vd.node);
		if (*pos >= 0)
			return (enum wb_list)l;
	}
	return WB_NONE;
}

static enum wb_list wb_where_at(struct wb *wb, struct wb_desc *d, int *pos)
{
	unsigned long flags;
	enum wb_list where;

	spin_lock_irqsave(&wb->vc.lock, flags);
	where = wb_where_locked(wb, d, pos);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	return where;
}

/* Assert that @d is on list @which at index @pos. */
#define assert_on(wb, d, which, at)                              \
	do {                                                     \
		int __pos = -1;                                  \
		assert_int_equal(wb_where_at(wb, d, &__pos), which); \
		assert_int_equal(__pos, at);                     \
	} while (0)

static bool wb_list_empty(struct wb *wb, enum wb_list which)
{
	unsigned long flags;
	bool empty;

	spin_lock_irqsave(&wb->vc.lock, flags);
	empty = list_empty(wb_list(wb, which));
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	return empty;
}

/*
 * wb_lists_reset - forget the five lists after a test found them corrupt, so
 * that nothing walks them again; the fixture still frees every descriptor.
 */
static void wb_lists_reset(struct wb *wb)
{
	unsigned long flags;
	int l;

	spin_lock_irqsave(&wb->vc.lock, flags);
	for (l = WB_ALLOCATED; l <= WB_TERMINATED; l++)
		INIT_LIST_HEAD(wb_list(wb, (enum wb_list)l));
	wb->vc.cyclic = NULL;
	spin_unlock_irqrestore(&wb->vc.lock, flags);
}

static int wb_setup(void **state)
{
	struct wb *wb = calloc(1, sizeof(*wb));

	if (!wb)
		return -1;
	INIT_LIST_HEAD(&wb->dd.channels);
	wb->dd.descriptor_reuse = true;
	wb->vc.desc_free = wb_desc_free;
	vchan_init(&wb->vc, &wb->dd);
	init_completion(&wb->callback_done);
	init_completion(&wb->freed);
	init_completion(&wb->entered);
	log_capture_begin();
	*state = wb;
	return 0;
}

/* Free what a test left, whether it passed or not. */
static int wb_teardown(void **state)
{
	struct wb *wb = *state;
	unsigned long flags;
	bool sane;
	int i;

	store32(&wb->release, 1); /* a held callback may go */
	tasklet_kill(&wb->vc.task);
	spin_lock_irqsave(&wb->vc.lock, flags);
	sane = wb_lists_sane(wb);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	if (sane)
		vchan_free_chan_resources(&wb->vc);
	else
		wb_lists_reset(wb);
	for (i = 0; i < wb->ndescs; i++)
		free(wb->descs[i]);
	free(wb);
	dmae_set_log_handler(NULL, NULL);
	return 0;
}

/* ---------------------------------------------------------- prep, submit */

static void test_vchan_tx_prep_puts_on_allocated(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_alloc(wb);
	struct dma_async_tx_descriptor *tx;

	d->vd.tx_result.result = DMA_TRANS_ABORTED; /* stale values prep must reset */
	d->vd.tx_result.residue = 77;
	tx = vchan_tx_prep(&wb->vc, &d->vd, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);

	assert_ptr_equal(tx, &d->vd.tx);
	assert_on(wb, d, WB_ALLOCATED, 0);
	assert_int_equal(d->vd.tx_result.result, DMA_TRANS_NOERROR);
	assert_int_equal(d->vd.tx_result.residue, 0);
	assert_ptr_equal(tx->chan, &wb->vc.chan);
	assert_int_equal(tx->flags, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	assert_int_equal(tx->cookie, -EBUSY);
	assert_ptr_equal(tx->tx_submit, vchan_tx_submit);
	assert_ptr_equal(tx->desc_free, vchan_tx_desc_free);
}

static void test_vchan_tx_submit_assigns_cookies(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d[3];
	int i;

	for (i = 0; i < 3; i++)
		d[i] = wb_prep(wb, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(dmaengine_submit(&d[i]->vd.tx), 2 + i);
	for (i = 0; i < 3; i++)
		assert_on(wb, d[i], WB_SUBMITTED, i);
	assert_int_equal(wb->vc.chan.cookie, 4);

	/* A second submission is refused with one line, and changes nothing. */
	log_reset();
	assert_int_equal(dmaengine_submit(&d[0]->vd.tx), -EINVAL);
	assert_int_equal(log_lines(), 1);
	assert_true(log_last_has("already submitted"));
	assert_int_equal(d[0]->vd.tx.cookie, 2);
	assert_int_equal(wb->vc.chan.cookie, 4);
	assert_on(wb, d[0], WB_SUBMITTED, 0);
}

static void test_vchan_issue_pending_and_find_desc(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d[3], *prepared, *late;
	unsigned long flags;
	int i;

	assert_false(wb_issue(wb));
	for (i = 0; i < 3; i++) {
		d[i] = wb_prep(wb, 0);
		wb_submit(d[i]);
	}
	prepared = wb_prep(wb, 0);

	assert_true(wb_issue(wb));
	for (i = 0; i < 3; i++)
		assert_on(wb, d[i], WB_ISSUED, i);
	assert_true(wb_list_empty(wb, WB_SUBMITTED));
	assert_on(wb, prepared, WB_ALLOCATED, 0);

	late = wb_prep(wb, 0);
	assert_int_equal(wb_submit(late), 5);
	spin_lock_irqsave(&wb->vc.lock, flags);
	assert_ptr_equal(vchan_next_desc(&wb->vc), &d[0]->vd);
	assert_ptr_equal(vchan_find_desc(&wb->vc, 3), &d[1]->vd);
	assert_null(vchan_find_desc(&wb->vc, 5)); /* submitted, not issued */
	assert_null(vchan_find_desc(&wb->vc, -EBUSY)); /* prepared only */
	assert_null(vchan_find_desc(&wb->vc, 42));
	spin_unlock_irqrestore(&wb->vc.lock, flags);

	/* Issued work stays issued: true again, and the late one joins the tail. */
	assert_true(wb_issue(wb));
	assert_on(wb, late, WB_ISSUED, 3);
	spin_lock_irqsave(&wb->vc.lock, flags);
	assert_ptr_equal(vchan_find_desc(&wb->vc, 5), &late->vd);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
}

/* ------------------------------------------------ completion, callbacks */

static void test_vchan_complete_calls_back_in_order_then_frees(void **state)
{
	struct wb *wb = *state;
	static const int want[] = {
		EV(0, EV_CB_BEGIN), EV(0, EV_CB_END), EV(0, EV_FREE),
		EV(1, EV_CB_BEGIN), EV(1, EV_CB_END), EV(1, EV_FREE),
		EV(2, EV_CB_BEGIN), EV(2, EV_CB_END), EV(2, EV_FREE),
	};
	struct wb_desc *d[3];
	int i;

	for (i = 0; i < 3; i++)
		d[i] = wb_prep(wb, DMA_PREP_INTERRUPT);
	d[0]->vd.tx.callback_result = NULL; /* old style */
	d[0]->vd.tx.callback = wb_callback;
	d[1]->vd.tx.callback = wb_callback_never; /* callback_result wins */
	for (i = 0; i < 3; i++)
		wb_submit(d[i]);
	wb_issue(wb);

	tasklet_disable(&wb->vc.task);
	d[1]->vd.tx_result.result = DMA_TRANS_WRITE_FAILED; /* as a driver reports an error */
	d[1]->vd.tx_result.residue = 123;
	for (i = 0; i < 3; i++)
		wb_complete(d[i]);
	for (i = 0; i < 3; i++) {
		assert_on(wb, d[i], WB_COMPLETED, i);
		assert_int_equal(d[i]->vd.tx.cookie, 0);
	}
	assert_int_equal(wb->vc.chan.completed_cookie, 4);
	assert_true(wb_events_are(wb, want, 0)); /* nothing before the tasklet */
	tasklet_enable(&wb->vc.task);

	for (i = 0; i < 3; i++)
		wait_done(&wb->freed);
	assert_true(wb_events_are(wb, want, 9));
	assert_int_equal(load32(&wb->bad_context), 0);
	assert_int_equal(load32(&wb->wrong_callback), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(wb_calls(wb, i), 1);
	assert_int_equal(wb->results[1].result, DMA_TRANS_WRITE_FAILED);
	assert_int_equal(wb->results[1].residue, 123);
	assert_int_equal(wb->results[2].result, DMA_TRANS_NOERROR);
	assert_int_equal(wb->results[2].residue, 0);
}

/* ---------------------------------------------------------------- reuse */

static void test_vchan_reuse_returns_to_allocated(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, DMA_CTRL_ACK);
	const int id = d->id; /* d is gone once freed */
	dma_cookie_t first;

	wb->dd.descriptor_reuse = false;
	assert_int_equal(dmaengine_desc_set_reuse(&d->vd.tx), -EPERM);
	wb->dd.descriptor_reuse = true;
	assert_int_equal(dmaengine_desc_set_reuse(&d->vd.tx), 0);
	assert_true(dmaengine_desc_test_reuse(&d->vd.tx));

	first = wb_submit(d);
	wb_issue(wb);
	wb_complete(d);
	wait_done(&wb->callback_done);
	wb_tasklet_finish(wb);
	assert_on(wb, d, WB_ALLOCATED, 0);
	assert_false(wb_freed(wb, id));
	assert_int_equal(d->vd.tx.cookie, 0);

	/* Submitted again: a new cookie, and the same trip once more. */
	assert_int_equal(wb_submit(d), first + 1);
	assert_on(wb, d, WB_SUBMITTED, 0);
	wb_issue(wb);
	wb_complete(d);
	wait_done(&wb->callback_done);
	wb_tasklet_finish(wb);
	assert_on(wb, d, WB_ALLOCATED, 0);
	assert_int_equal(wb_calls(wb, id), 2);

	assert_int_equal(dmaengine_desc_free(&d->vd.tx), 0);
	assert_true(wb_freed(wb, id));
}

/* Hook: resubmit the descriptor from its own callback (first time only). */
static void wb_resubmit_once(struct wb_desc *d)
{
	if (wb_calls(d->wb, d->id) == 1)
		d->wb->resubmitted = dmaengine_submit(&d->vd.tx);
}

static void test_vchan_reuse_resubmitted_in_callback_stays_queued(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, DMA_CTRL_ACK);
	dma_cookie_t first;

	assert_int_equal(dmaengine_desc_set_reuse(&d->vd.tx), 0);
	d->hook = wb_resubmit_once;
	first = wb_submit(d);
	wb_issue(wb);
	wb_complete(d);
	wait_done(&wb->callback_done);
	wb_tasklet_finish(wb);

	assert_int_equal(wb->resubmitted, first + 1);
	assert_int_equal(d->vd.tx.cookie, first + 1);
	assert_on(wb, d, WB_SUBMITTED, 0);
	assert_false(wb_freed(wb, d->id));
}

/*
 * Hook: resubmit from the callback, and let the "hardware" finish the new
 * transfer at once, as an interrupt handler on another CPU may do before the
 * tasklet gets back to the descriptor after the callback. The tasklet's
 * second run is held back (disabled) so that the test can look first.
 */
static void wb_resubmit_and_complete_once(struct wb_desc *d)
{
	struct wb *wb = d->wb;
	unsigned long flags;

	if (wb_calls(wb, d->id) != 1)
		return;
	wb->resubmitted = dmaengine_submit(&d->vd.tx);
	tasklet_disable(&wb->vc.task);
	spin_lock_irqsave(&wb->vc.lock, flags);
	vchan_issue_pending(&wb->vc);
	list_del(&d->vd.node);
	vchan_cookie_complete(&d->vd);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
}

static void test_vchan_reuse_completed_again_before_tasklet_returns(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, DMA_CTRL_ACK);
	enum wb_list where;
	int pos = -1;

	assert_int_equal(dmaengine_desc_set_reuse(&d->vd.tx), 0);
	d->hook = wb_resubmit_and_complete_once;
	wb_submit(d);
	wb_issue(wb);
	wb_complete(d);
	wait_done(&wb->callback_done);
	tasklet_disable(&wb->vc.task); /* waits for the first run to return */

	/* The second completion must still be pending on desc_completed. */
	where = wb_where_at(wb, d, &pos);
	if (where == WB_CORRUPT)
		wb_lists_reset(wb); /* never let the tasklet walk a broken list */
	tasklet_enable(&wb->vc.task);
	tasklet_enable(&wb->vc.task);
	assert_int_equal(where, WB_COMPLETED);
	assert_int_equal(pos, 0);

	/* ...and its callback then runs, and the descriptor is recycled once more. */
	wait_done(&wb->callback_done);
	wb_tasklet_finish(wb);
	assert_int_equal(wb_calls(wb, d->id), 2);
	assert_on(wb, d, WB_ALLOCATED, 0);
}

/* --------------------------------------------- completing twice, cyclic */

static void test_vchan_cookie_complete_twice_is_reported_once(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, 0);
	const int id = d->id; /* d is gone once freed */
	unsigned long flags;
	enum wb_list where;
	int lines, pos = -1;
	bool single;

	wb_submit(d);
	wb_issue(wb);
	tasklet_disable(&wb->vc.task);
	wb_complete(d);

	/* A stale second completion, as from a spurious interrupt. */
	log_reset();
	spin_lock_irqsave(&wb->vc.lock, flags);
	vchan_cookie_complete(&d->vd);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	lines = log_lines();
	where = wb_where_at(wb, d, &pos);
	spin_lock_irqsave(&wb->vc.lock, flags);
	single = where == WB_COMPLETED && wb->vc.desc_completed.prev == &d->vd.node;
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	if (!single)
		wb_lists_reset(wb); /* never let the tasklet walk a broken list */
	tasklet_enable(&wb->vc.task);

	assert_int_equal(lines, 1);
	assert_true(log_last_has("completed twice"));
	assert_int_equal(where, WB_COMPLETED);
	assert_int_equal(pos, 0);
	assert_true(single);
	wait_done(&wb->freed);
	quiet_period();
	assert_int_equal(wb_calls(wb, id), 1);
}

static void test_vchan_cyclic_callbacks_coalesce(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, DMA_PREP_INTERRUPT);
	unsigned long flags;
	int i;

	wb_submit(d);
	wb_issue(wb);
	tasklet_disable(&wb->vc.task);
	spin_lock_irqsave(&wb->vc.lock, flags);
	for (i = 0; i < 3; i++)
		vchan_cyclic_callback(&d->vd); /* three periods end */
	assert_ptr_equal(wb->vc.cyclic, &d->vd);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	tasklet_enable(&wb->vc.task);

	wait_done(&wb->callback_done);
	wb_tasklet_finish(wb);
	quiet_period();
	assert_int_equal(wb_calls(wb, d->id), 1);
	assert_null(wb->vc.cyclic);
	assert_on(wb, d, WB_ISSUED, 0); /* a cyclic transfer runs on */
	assert_false(wb_freed(wb, d->id));
}

/* ------------------------------------------------ terminate, synchronize */

static void test_vchan_terminate_vdesc_then_synchronize(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, DMA_PREP_INTERRUPT);
	const int id = d->id; /* d is gone once freed */
	unsigned long flags;

	wb_submit(d);
	wb_issue(wb);
	tasklet_disable(&wb->vc.task);
	spin_lock_irqsave(&wb->vc.lock, flags);
	list_del(&d->vd.node); /* running: the driver took it off desc_issued */
	vchan_cyclic_callback(&d->vd);
	vchan_terminate_vdesc(&d->vd);
	assert_null(wb->vc.cyclic);
	spin_unlock_irqrestore(&wb->vc.lock, flags);
	assert_on(wb, d, WB_TERMINATED, 0);
	assert_false(wb_freed(wb, id));
	tasklet_enable(&wb->vc.task);

	vchan_synchronize(&wb->vc);
	assert_true(wb_freed(wb, id));
	assert_true(wb_list_empty(wb, WB_TERMINATED));
	quiet_period();
	assert_int_equal(wb_calls(wb, id), 0);
}

/* Hook: hold the tasklet inside the callback until the test lets it go. */
static void wb_hold(struct wb_desc *d)
{
	struct wb *wb = d->wb;

	complete(&wb->entered);
	while (!load32(&wb->release))
		dmae_yield();
	store32(&wb->hold_finished, 1);
}

struct sync_thread {
	struct virt_dma_chan *vc;  /* channel to synchronize */
	struct wb *wb;		   /* fixture, for hold_finished */
	u32 saw_finished;	   /* the callback had returned when synchronize did */
	u32 returned;		   /* vchan_synchronize returned */
	struct completion done;	   /* complete() once it returned */
};

static void sync_thread_fn(void *arg)
{
	struct sync_thread *st = arg;

	vchan_synchronize(st->vc);
	store32(&st->saw_finished, load32(&st->wb->hold_finished));
	store32(&st->returned, 1);
	complete(&st->done);
}

static void test_vchan_synchronize_waits_for_running_callback(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *d = wb_prep(wb, DMA_PREP_INTERRUPT);
	const int id = d->id; /* d is gone once freed */
	struct sync_thread st = { .vc = &wb->vc, .wb = wb };
	struct dmae_thread *thread = NULL;

	init_completion(&st.done);
	d->hook = wb_hold;
	wb_submit(d);
	wb_issue(wb);
	wb_complete(d);
	wait_done(&wb->entered);

	assert_int_equal(dmae_thread_create(&thread, sync_thread_fn, &st, "vd-sync"), 0);
	quiet_period();
	assert_int_equal(load32(&st.returned), 0);
	store32(&wb->release, 1);
	wait_done(&st.done);
	dmae_thread_join(thread);
	assert_int_equal(load32(&st.saw_finished), 1);
	assert_true(wb_freed(wb, id));
}

/* ------------------------------------------------ collecting and freeing */

static void test_vchan_get_all_descriptors_takes_five_lists(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *a, *s, *i, *c, *t;
	unsigned long flags;
	LIST_HEAD(head);
	int l, c_id, want[4];

	a = wb_prep(wb, 0);
	i = wb_prep(wb, 0);
	c = wb_prep(wb, 0);
	t = wb_prep(wb, 0);
	s = wb_prep(wb, 0);
	/* The frees expected, noted while the descriptors still exist. */
	want[0] = EV(a->id, EV_FREE);
	want[1] = EV(s->id, EV_FREE);
	want[2] = EV(c->id, EV_FREE);
	want[3] = EV(t->id, EV_FREE);
	c_id = c->id;
	assert_int_equal(dmaengine_desc_set_reuse(&i->vd.tx), 0);
	wb_submit(i);
	wb_submit(c);
	wb_submit(t);
	wb_issue(wb);
	wb_submit(s);

	tasklet_disable(&wb->vc.task);
	spin_lock_irqsave(&wb->vc.lock, flags);
	list_del(&c->vd.node);
	vchan_cookie_complete(&c->vd);
	list_del(&t->vd.node);
	vchan_terminate_vdesc(&t->vd);
	vchan_get_all_descriptors(&wb->vc, &head);
	for (l = WB_ALLOCATED; l <= WB_TERMINATED; l++)
		assert_true(list_empty(wb_list(wb, (enum wb_list)l)));
	assert_int_equal(list_pos(&head, &a->vd.node), 0);
	assert_int_equal(list_pos(&head, &s->vd.node), 1);
	assert_int_equal(list_pos(&head, &i->vd.node), 2);
	assert_int_equal(list_pos(&head, &c->vd.node), 3);
	assert_int_equal(list_pos(&head, &t->vd.node), 4);
	spin_unlock_irqrestore(&wb->vc.lock, flags);

	/* Freed in list order; the reusable one goes back to desc_allocated. */
	vchan_dma_desc_free_list(&wb->vc, &head);
	assert_true(wb_events_are(wb, want, 4));
	assert_on(wb, i, WB_ALLOCATED, 0);
	assert_int_equal(i->vd.tx.cookie, 0);
	wb_submit(i); /* and can be submitted again */
	assert_on(wb, i, WB_SUBMITTED, 0);

	tasklet_enable(&wb->vc.task);
	tasklet_kill(&wb->vc.task); /* lets the scheduled run happen, then waits */
	assert_int_equal(wb_calls(wb, c_id), 0);
}

static void test_vchan_free_chan_resources_frees_reusable(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *r1 = wb_prep(wb, 0), *r2 = wb_prep(wb, 0), *p = wb_prep(wb, 0);
	int l;

	assert_int_equal(dmaengine_desc_set_reuse(&r1->vd.tx), 0);
	assert_int_equal(dmaengine_desc_set_reuse(&r2->vd.tx), 0);
	wb_submit(p);
	wb_issue(wb);
	wb_submit(r2);

	vchan_free_chan_resources(&wb->vc);
	for (l = 0; l < 3; l++) /* r1, r2, p: ids 0, 1, 2 */
		assert_true(wb_freed(wb, l));
	for (l = WB_ALLOCATED; l <= WB_TERMINATED; l++)
		assert_true(wb_list_empty(wb, (enum wb_list)l));
}

static void test_vchan_desc_free(void **state)
{
	struct wb *wb = *state;
	struct wb_desc *plain = wb_prep(wb, 0), *idle = wb_prep(wb, 0), *queued = wb_prep(wb, 0);

	assert_int_equal(dmaengine_desc_free(NULL), -EINVAL);

	log_reset();
	assert_int_equal(dmaengine_desc_free(&plain->vd.tx), -EPERM);
	assert_int_equal(log_lines(), 1);
	assert_on(wb, plain, WB_ALLOCATED, 0);

	assert_int_equal(dmaengine_desc_set_reuse(&idle->vd.tx), 0);
	assert_int_equal(dmaengine_desc_free(&idle->vd.tx), 0);
	assert_true(wb_freed(wb, 1)); /* idle */

	assert_int_equal(dmaengine_desc_set_reuse(&queued->vd.tx), 0);
	wb_submit(queued);
	log_reset();
	assert_int_equal(dmaengine_desc_free(&queued->vd.tx), -EBUSY);
	assert_int_equal(log_lines(), 1);
	assert_on(wb, queued, WB_SUBMITTED, 0);
	wb_issue(wb);
	assert_int_equal(dmaengine_desc_free(&queued->vd.tx), -EBUSY);
	assert_on(wb, queued, WB_ISSUED, 0);
	assert_false(wb_freed(wb, queued->id));
}

/* ============================================ part 2: through vchan-sim */

#define E2E_SLOTS 80		/* descriptors one test may follow */
#define E2E_CHANS 2		/* channels of the simulated device */
#define SRC_BIT 0x80		/* set in every source byte, clear in fresh destinations */

struct e2e;

/* One descriptor's callback record. */
struct e2e_slot {
	struct e2e *t;			  /* the fixture */
	int idx;			  /* index in t->slots */
	dma_cookie_t cookie;		  /* from dmaengine_submit */
	struct dmaengine_result result;	  /* what callback_result received */
	u32 calls;			  /* callbacks so far (atomic) */
	struct completion done;		  /* one complete() per callback */
	void (*hook)(struct e2e_slot *s); /* extra work in the callback */
	const u8 *check_dst;		  /* hook: region that must be copied by now */
	const u8 *check_src;		  /* hook: what it must hold */
	size_t check_len;		  /* hook: its length */
	u32 check_ok;			  /* hook: it was */
};

struct e2e {
	struct dma_device *dma;		     /* the simulated device */
	struct dma_chan *chan;		     /* the channel under test */
	spinlock_t lock;		     /* protects order, nr_order */
	int order[E2E_SLOTS * 3];	     /* slot indices in callback order */
	int nr_order;			     /* entries of order */
	u32 bad_context;		     /* a callback ran outside completion context */
	int term_ret;			     /* terminate_async from a callback returned */
	dma_cookie_t term_last;		     /* last completed cookie right after it */
	struct e2e_slot slots[E2E_SLOTS];    /* one per descriptor */
};

static void e2e_callback(void *param, const struct dmaengine_result *result)
{
	struct e2e_slot *s = param;
	struct e2e *t = s->t;

	if (dmae_context() != DMAE_CTX_COMPLETION)
		store32(&t->bad_context, 1);
	s->result = *result;
	spin_lock(&t->lock);
	if (t->nr_order < (int)(sizeof(t->order) / sizeof(t->order[0])))
		t->order[t->nr_order++] = s->idx;
	spin_unlock(&t->lock);
	__atomic_add_fetch(&s->calls, 1, __ATOMIC_ACQ_REL);
	if (s->hook)
		s->hook(s);
	complete(&s->done);
}

static int e2e_nr_order(struct e2e *t)
{
	int n;

	spin_lock(&t->lock);
	n = t->nr_order;
	spin_unlock(&t->lock);
	return n;
}

/*
 * e2e_order_prefix - the number of callbacks so far if they were slots 0, 1,
 * 2... in that order, each once; else -1.
 */
static int e2e_order_prefix(struct e2e *t)
{
	int i, n;

	spin_lock(&t->lock);
	n = t->nr_order;
	for (i = 0; i < n; i++)
		if (t->order[i] != i)
			n = -1;
	spin_unlock(&t->lock);
	return n;
}

/* e2e_order_is_sequence - callbacks so far were slots @first..@first+@n-1, in order. */
static bool e2e_order_is_sequence(struct e2e *t, int first, int n)
{
	bool ok;
	int i;

	spin_lock(&t->lock);
	ok = t->nr_order == n;
	for (i = 0; ok && i < n; i++)
		ok = t->order[i] == first + i;
	spin_unlock(&t->lock);
	return ok;
}

/* e2e_reset - forget the callbacks seen so far (none may be pending). */
static void e2e_reset(struct e2e *t)
{
	int i;

	spin_lock(&t->lock);
	t->nr_order = 0;
	spin_unlock(&t->lock);
	for (i = 0; i < E2E_SLOTS; i++) {
		struct e2e_slot *s = &t->slots[i];

		memset(s, 0, sizeof(*s));
		s->t = t;
		s->idx = i;
		init_completion(&s->done);
	}
}

static int e2e_setup(void **state)
{
	struct e2e *t = calloc(1, sizeof(*t));
	dma_cap_mask_t mask;

	if (!t)
		return -1;
	log_capture_begin();
	e2e_reset(t);
	t->dma = vchan_sim_probe("vchan-sim-test", E2E_CHANS);
	if (IS_ERR(t->dma))
		return -1;
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	t->chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(t->chan))
		return -1;
	*state = t;
	return 0;
}

static int e2e_teardown(void **state)
{
	struct e2e *t = *state;
	int ret;

	dma_release_channel(t->chan);
	ret = vchan_sim_remove(t->dma);
	free(t);
	dmae_set_log_handler(NULL, NULL);
	return ret ? -1 : 0;
}

/* e2e_prep_copy - a memcpy descriptor reporting to slot @idx (not submitted). */
static struct dma_async_tx_descriptor *e2e_prep_copy(struct e2e *t, int idx, void *dst,
						     const void *src, size_t len)
{
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_dma_memcpy(t->chan, (dma_addr_t)(uintptr_t)dst,
				       (dma_addr_t)(uintptr_t)src, len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	assert_non_null(tx);
	tx->callback_result = e2e_callback;
	tx->callback_param = &t->slots[idx];
	return tx;
}

static dma_cookie_t e2e_submit(struct e2e *t, int idx, struct dma_async_tx_descriptor *tx)
{
	dma_cookie_t cookie = dmaengine_submit(tx);

	assert_true(cookie >= DMA_MIN_COOKIE);
	t->slots[idx].cookie = cookie;
	return cookie;
}

/* e2e_copy - prep and submit a copy for slot @idx; not issued. */
static dma_cookie_t e2e_copy(struct e2e *t, int idx, void *dst, const void *src, size_t len)
{
	return e2e_submit(t, idx, e2e_prep_copy(t, idx, dst, src, len));
}

static void e2e_wait_slot(struct e2e *t, int idx)
{
	wait_done(&t->slots[idx].done);
}

static u32 e2e_calls(struct e2e *t, int idx)
{
	return load32(&t->slots[idx].calls);
}

/* A source buffer: every byte has SRC_BIT, so a copied byte is told from a fresh one. */
static u8 *src_alloc(size_t len, unsigned int seed)
{
	u8 *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = (u8)(SRC_BIT | ((i * 31u + seed) & 0x7f));
	return p;
}

static u8 *dst_alloc(size_t len)
{
	u8 *p = calloc(1, len ? len : 1);

	assert_non_null(p);
	return p;
}

/* all_bytes - every byte of @p[0..@len) equals @v. */
static bool all_bytes(const u8 *p, size_t len, u8 v)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* copied_up_to - @dst holds @src up to @done, and nothing was written after it. */
static bool copied_up_to(const u8 *dst, const u8 *src, size_t len, size_t done)
{
	return !memcmp(dst, src, done) && all_bytes(dst + done, len - done, 0);
}

static enum dma_status e2e_status(struct e2e *t, dma_cookie_t cookie, u32 *residue)
{
	struct dma_tx_state st = { 0, 0, 0, 0 };
	enum dma_status status = dmaengine_tx_status(t->chan, cookie, &st);

	if (residue)
		*residue = st.residue;
	return status;
}

/* The last completed cookie of the channel. */
static dma_cookie_t e2e_last_completed(struct e2e *t, dma_cookie_t any)
{
	dma_cookie_t last = 0;

	dma_async_is_tx_complete(t->chan, any, &last, NULL);
	return last;
}

/* --------------------------------------------------- probe and request */

static void test_sim_probe_request_remove(void **state)
{
	struct dma_slave_caps caps;
	struct dma_device *dma;
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	char name[32];

	log_capture_begin();
	assert_ptr_equal(vchan_sim_probe("none", 0), ERR_PTR(-EINVAL));
	assert_int_equal(vchan_sim_remove(NULL), -EINVAL);
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	assert_ptr_equal(dma_request_chan_by_mask(&mask), ERR_PTR(-EPROBE_DEFER));

	dma = vchan_sim_probe("sim-probe", 3);
	assert_false(IS_ERR(dma));
	assert_string_equal(dev_name(dma->dev), "sim-probe");
	assert_string_equal(dev_driver_string(dma->dev), "vchan-sim");
	assert_int_equal(dma->chancnt, 3);
	assert_true(dma_has_cap(DMA_MEMCPY, dma->cap_mask));
	assert_true(dma_has_cap(DMA_INTERRUPT, dma->cap_mask));
	assert_false(dma_has_cap(DMA_SLAVE, dma->cap_mask));
	assert_true(dma->descriptor_reuse);
	assert_int_equal(dma->residue_granularity, DMA_RESIDUE_GRANULARITY_SEGMENT);
	assert_int_equal(dma->directions, 0);

	{
		dma_cap_mask_t xor_mask;

		dma_cap_zero(xor_mask);
		dma_cap_set(DMA_XOR, xor_mask);
		assert_ptr_equal(dma_request_chan_by_mask(&xor_mask), ERR_PTR(-ENODEV));
	}
	chan = dma_request_chan_by_mask(&mask);
	assert_false(IS_ERR(chan));
	snprintf(name, sizeof(name), "dma%dchan0", dma->dev_id);
	assert_string_equal(dma_chan_name(chan), name);
	assert_int_equal(dma_get_slave_caps(chan, &caps), -ENXIO);
	assert_int_equal(dmaengine_pause(chan), -EPERM); /* nothing running */
	assert_int_equal(dmaengine_resume(chan), -EPERM); /* not paused */

	assert_int_equal(vchan_sim_remove(dma), -EBUSY);
	dma_release_channel(chan);
	assert_int_equal(vchan_sim_remove(dma), 0);
	dmae_set_log_handler(NULL, NULL);
}

/* ---------------------------------------------------------------- copies */

#define GUARD 64	/* bytes checked on each side of a destination */
#define GUARD_BYTE 0x5a /* what they hold */

static void test_sim_copies_of_several_sizes(void **state)
{
	static const size_t sizes[] = { 1, 3, 4095, 4096, 4097, 65536 + 13, (1u << 20) + 7 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	struct e2e *t = *state;
	u8 *src[N], *dst[N];
	unsigned long bytes = 0;
	char buf[32];
	int i;

	for (i = 0; i < N; i++) {
		src[i] = src_alloc(sizes[i], (unsigned int)i);
		dst[i] = dst_alloc(sizes[i] + 2 * GUARD);
		memset(dst[i], GUARD_BYTE, sizes[i] + 2 * GUARD);
		e2e_copy(t, i, dst[i] + GUARD, src[i], sizes[i]);
		bytes += sizes[i];
	}
	dma_async_issue_pending(t->chan);
	for (i = 0; i < N; i++)
		e2e_wait_slot(t, i);

	assert_true(e2e_order_is_sequence(t, 0, N));
	assert_int_equal(load32(&t->bad_context), 0);
	for (i = 0; i < N; i++) {
		u32 residue = 1;

		assert_int_equal(e2e_calls(t, i), 1);
		assert_int_equal(t->slots[i].result.result, DMA_TRANS_NOERROR);
		assert_int_equal(t->slots[i].result.residue, 0);
		assert_memory_equal(dst[i] + GUARD, src[i], sizes[i]);
		assert_true(all_bytes(dst[i], GUARD, GUARD_BYTE));
		assert_true(all_bytes(dst[i] + GUARD + sizes[i], GUARD, GUARD_BYTE));
		assert_int_equal(e2e_status(t, t->slots[i].cookie, &residue), DMA_COMPLETE);
		assert_int_equal(residue, 0);
		free(src[i]);
		free(dst[i]);
	}
	assert_true(dmaengine_chan_attr(dma_chan_name(t->chan), "memcpy_count", buf, sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), N);
	assert_true(dmaengine_chan_attr(dma_chan_name(t->chan), "bytes_transferred", buf,
					sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), bytes);
}

/* ---------------------------------------------------------- pause, resume */

#define PAUSE_LEN (8u << 20) /* long enough to be caught running */
#define QUEUED_LEN (64u << 10)
#define PAUSE_TRIES 5

/*
 * e2e_wait_progress - poll until @cookie's residue drops below @below or it
 * completes. It spins, to catch the transfer a chunk or so later; it yields
 * now and then in case the engine shares the CPU.
 */
static void e2e_wait_progress(struct e2e *t, dma_cookie_t cookie, u32 below)
{
	u64 end = dmae_clock_ns() + WAIT_MS * 1000000ull;
	unsigned int spins = 0;
	u32 residue;

	while (e2e_status(t, cookie, &residue) != DMA_COMPLETE && residue >= below) {
		assert_true(dmae_clock_ns() < end);
		if (++spins % 256 == 0)
			dmae_yield();
		else
			cpu_relax();
	}
}

/*
 * e2e_check_paused - the channel is paused in the big transfer: its residue
 * holds still and matches the destination exactly. Returns the residue.
 */
static u32 e2e_check_paused(struct e2e *t, const u8 *dst, const u8 *src)
{
	u32 residue, again;

	assert_int_equal(e2e_status(t, t->slots[0].cookie, &residue), DMA_PAUSED);
	assert_true(residue > 0 && residue <= PAUSE_LEN);
	assert_true(copied_up_to(dst, src, PAUSE_LEN, PAUSE_LEN - residue));
	quiet_period();
	assert_int_equal(e2e_status(t, t->slots[0].cookie, &again), DMA_PAUSED);
	assert_int_equal(again, residue);
	assert_true(copied_up_to(dst, src, PAUSE_LEN, PAUSE_LEN - residue));
	return residue;
}

/*
 * e2e_pause_running - pause the big transfer. False if it finished first
 * (then it is let run to its end): the caller tries again.
 */
static bool e2e_pause_running(struct e2e *t)
{
	int ret = dmaengine_pause(t->chan);
	u32 residue;

	if (ret == -EPERM) /* finished before the pause: nothing runs */
		return false;
	assert_int_equal(ret, 0);
	/* Running on, unless its last chunk ended before the pause took hold. */
	if (e2e_status(t, t->slots[0].cookie, &residue) != DMA_COMPLETE && residue)
		return true;
	assert_int_equal(dmaengine_resume(t->chan), 0);
	return false;
}

/* One attempt at pausing the big transfer twice; false if it ran out first. */
static bool e2e_pause_attempt(struct e2e *t, u8 *dst, const u8 *src, u8 *qdst, const u8 *qsrc)
{
	u32 r1, r2, residue;

	e2e_reset(t);
	memset(dst, 0, PAUSE_LEN);
	e2e_copy(t, 0, dst, src, PAUSE_LEN);
	e2e_copy(t, 1, qdst, qsrc, QUEUED_LEN);
	dma_async_issue_pending(t->chan);
	if (!e2e_pause_running(t))
		goto out_drain;
	r1 = e2e_check_paused(t, dst, src);
	assert_int_equal(e2e_status(t, t->slots[1].cookie, &residue), DMA_PAUSED);
	assert_int_equal(residue, QUEUED_LEN); /* queued: nothing written yet */
	assert_int_equal(dmaengine_pause(t->chan), -EPERM);

	assert_int_equal(dmaengine_resume(t->chan), 0);
	assert_int_equal(dmaengine_resume(t->chan), -EPERM);
	e2e_wait_progress(t, t->slots[0].cookie, r1);
	if (!e2e_pause_running(t))
		goto out_drain;
	r2 = e2e_check_paused(t, dst, src);
	assert_true(r2 < r1);
	assert_int_equal(dmaengine_resume(t->chan), 0);
	e2e_wait_slot(t, 0);
	e2e_wait_slot(t, 1);
	return true;

out_drain:
	e2e_wait_slot(t, 0);
	e2e_wait_slot(t, 1);
	return false;
}

static void test_sim_pause_residue_resume(void **state)
{
	struct e2e *t = *state;
	u8 *src = src_alloc(PAUSE_LEN, 3), *dst = dst_alloc(PAUSE_LEN);
	u8 *qsrc = src_alloc(QUEUED_LEN, 4), *qdst = dst_alloc(QUEUED_LEN);
	bool paused = false;
	int i;

	assert_int_equal(dmaengine_pause(t->chan), -EPERM); /* idle */
	for (i = 0; i < PAUSE_TRIES && !paused; i++)
		paused = e2e_pause_attempt(t, dst, src, qdst, qsrc);
	assert_true(paused);

	assert_true(e2e_order_is_sequence(t, 0, 2));
	assert_int_equal(e2e_calls(t, 0), 1);
	assert_int_equal(t->slots[0].result.result, DMA_TRANS_NOERROR);
	assert_memory_equal(dst, src, PAUSE_LEN);
	assert_memory_equal(qdst, qsrc, QUEUED_LEN);
	assert_int_equal(e2e_status(t, t->slots[0].cookie, NULL), DMA_COMPLETE);
	free(src);
	free(dst);
	free(qsrc);
	free(qdst);
}

/* ------------------------------------------------------------- terminate */

#define TERM_N 64		/* descriptors in the long queue */
#define TERM_LEN (128u << 10)	/* bytes each */
#define TERM_TRIES 4

/*
 * e2e_check_cut - after a termination, with @last the last completed cookie:
 * the descriptors up to @last have their data; the callbacks were theirs, in
 * order, once each (a completed one whose callback was still pending is
 * dropped with the rest: virt-dma's terminate takes desc_completed too), and
 * none was for an aborted one. Returns how many completed.
 */
static int e2e_check_cut(struct e2e *t, dma_cookie_t last, const u8 *dst, const u8 *src)
{
	int ncomp = last - t->slots[0].cookie + 1, ncb = e2e_order_prefix(t), i;

	assert_true(ncomp >= 1 && ncomp <= TERM_N);
	assert_true(ncb >= 1 && ncb <= ncomp);
	for (i = 0; i < TERM_N; i++)
		assert_int_equal(e2e_calls(t, i), i < ncb ? 1 : 0);
	assert_memory_equal(dst, src, (size_t)ncomp * TERM_LEN);
	return ncomp;
}

/* One long queue cut by terminate_sync; false if it all finished first. */
static bool e2e_terminate_attempt(struct e2e *t, u8 *dst, const u8 *src, int *ncomp)
{
	int i;

	e2e_reset(t);
	memset(dst, 0, (size_t)TERM_N * TERM_LEN);
	for (i = 0; i < TERM_N; i++)
		e2e_copy(t, i, dst + (size_t)i * TERM_LEN, src + (size_t)i * TERM_LEN, TERM_LEN);
	dma_async_issue_pending(t->chan);
	e2e_wait_slot(t, 0); /* well under way */
	assert_int_equal(dmaengine_terminate_sync(t->chan), 0);
	*ncomp = e2e_check_cut(t, e2e_last_completed(t, t->slots[0].cookie), dst, src);
	return *ncomp < TERM_N;
}

static void test_sim_terminate_sync_stops_long_queue(void **state)
{
	struct e2e *t = *state;
	size_t total = (size_t)TERM_N * TERM_LEN;
	u8 *src = src_alloc(total, 5), *dst = dst_alloc(total);
	u8 *xsrc = src_alloc(TERM_LEN, 6), *xdst = dst_alloc(TERM_LEN);
	bool cut = false;
	int i, ncb, ncomp = 0;

	for (i = 0; i < TERM_TRIES && !cut; i++)
		cut = e2e_terminate_attempt(t, dst, src, &ncomp);
	assert_true(cut);
	ncb = e2e_nr_order(t);
	assert_int_equal(e2e_status(t, t->slots[TERM_N - 1].cookie, NULL), DMA_IN_PROGRESS);

	/* Nothing may write the destination any more: guard it, let time pass. */
	memset(dst, GUARD_BYTE, total);
	e2e_copy(t, TERM_N, xdst, xsrc, TERM_LEN);
	dma_async_issue_pending(t->chan);
	e2e_wait_slot(t, TERM_N);
	assert_memory_equal(xdst, xsrc, TERM_LEN);
	quiet_period();
	assert_true(all_bytes(dst, total, GUARD_BYTE));
	assert_int_equal(e2e_nr_order(t), ncb + 1);
	for (i = ncomp; i < TERM_N; i++)
		assert_int_equal(e2e_calls(t, i), 0);
	free(src);
	free(dst);
	free(xsrc);
	free(xdst);
}

/* Hook: terminate the channel from the callback, and note where it stood. */
static void e2e_terminate_hook(struct e2e_slot *s)
{
	struct e2e *t = s->t;

	t->term_ret = dmaengine_terminate_async(t->chan);
	t->term_last = e2e_last_completed(t, s->cookie);
}

#define ASYNC_N 6		/* a small one, a long one, four more */
#define ASYNC_LEN (64u << 10)

static void test_sim_terminate_async_from_callback(void **state)
{
	struct e2e *t = *state;
	size_t big = 8u << 20;
	u8 *src = src_alloc(big, 7), *dst = dst_alloc(big);
	struct dma_async_tx_descriptor *tx;
	int i, ncb, ncomp;

	tx = e2e_prep_copy(t, 0, dst, src, 4096);
	t->slots[0].hook = e2e_terminate_hook;
	e2e_submit(t, 0, tx);
	e2e_copy(t, 1, dst, src, big);
	for (i = 2; i < ASYNC_N; i++)
		e2e_copy(t, i, dst + (size_t)i * ASYNC_LEN, src, ASYNC_LEN);
	dma_async_issue_pending(t->chan);
	e2e_wait_slot(t, 0);
	assert_int_equal(dmaengine_synchronize(t->chan), 0);

	/*
	 * Called back: the terminating one, and at most those that had
	 * completed before it (see e2e_check_cut), in order.
	 */
	assert_int_equal(t->term_ret, 0);
	ncomp = t->term_last - t->slots[0].cookie + 1;
	assert_true(ncomp >= 1 && ncomp <= ASYNC_N);
	ncb = e2e_order_prefix(t);
	assert_true(ncb >= 1 && ncb <= ncomp);
	quiet_period();
	assert_int_equal(e2e_nr_order(t), ncb);

	/* The channel works on. */
	memset(dst, 0, ASYNC_LEN);
	e2e_copy(t, ASYNC_N, dst, src, ASYNC_LEN);
	dma_async_issue_pending(t->chan);
	e2e_wait_slot(t, ASYNC_N);
	assert_memory_equal(dst, src, ASYNC_LEN);
	assert_int_equal(e2e_nr_order(t), ncb + 1);
	assert_int_equal(load32(&t->bad_context), 0);
	free(src);
	free(dst);
}

/* ----------------------------------------------------------------- reuse */

#define REUSE_LEN (64u << 10)

static void test_sim_descriptor_reused_three_times(void **state)
{
	struct e2e *t = *state;
	u8 *src = src_alloc(REUSE_LEN, 0), *dst = dst_alloc(REUSE_LEN);
	struct dma_async_tx_descriptor *tx = e2e_prep_copy(t, 0, dst, src, REUSE_LEN);
	dma_cookie_t cookie, prev = 0;
	unsigned int round;
	size_t i;

	assert_int_equal(dmaengine_desc_set_reuse(tx), 0);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < REUSE_LEN; i++)
			src[i] = (u8)(SRC_BIT | ((i + round * 17u) & 0x7f));
		memset(dst, 0, REUSE_LEN);
		cookie = dmaengine_submit(tx);
		assert_true(cookie > prev);
		prev = cookie;
		dma_async_issue_pending(t->chan);
		wait_done(&t->slots[0].done);
		assert_memory_equal(dst, src, REUSE_LEN);
		assert_int_equal(t->slots[0].result.result, DMA_TRANS_NOERROR);
		assert_int_equal(e2e_status(t, cookie, NULL), DMA_COMPLETE);
		/*
		 * The descriptor is back on desc_allocated once the tasklet is
		 * done with it, which synchronize waits for.
		 */
		assert_int_equal(dmaengine_synchronize(t->chan), 0);
	}
	assert_int_equal(e2e_calls(t, 0), 3);
	assert_int_equal(e2e_nr_order(t), 3);
	assert_int_equal(dmaengine_desc_free(tx), 0);
	free(src);
	free(dst);
}

/* ---------------------------------------------------- interrupt descriptors */

#define IRQ_N 9			/* copies at even slots, interrupts at odd ones */
#define IRQ_LEN (16u << 10)

/* Hook of an interrupt descriptor: the copy queued before it is complete. */
static void e2e_check_hook(struct e2e_slot *s)
{
	store32(&s->check_ok, !memcmp(s->check_dst, s->check_src, s->check_len));
}

static struct dma_async_tx_descriptor *e2e_prep_interrupt(struct e2e *t, int idx)
{
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_dma_interrupt(t->chan, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	assert_non_null(tx);
	tx->callback_result = e2e_callback;
	tx->callback_param = &t->slots[idx];
	return tx;
}

static void test_sim_interrupt_descriptors_in_order(void **state)
{
	struct e2e *t = *state;
	u8 *src = src_alloc(IRQ_N * IRQ_LEN, 9), *dst = dst_alloc(IRQ_N * IRQ_LEN);
	int i;

	for (i = 0; i < IRQ_N; i++) {
		struct e2e_slot *s = &t->slots[i];

		if (i % 2 == 0) {
			e2e_copy(t, i, dst + (size_t)i * IRQ_LEN, src + (size_t)i * IRQ_LEN,
				 IRQ_LEN);
			continue;
		}
		s->hook = e2e_check_hook;
		s->check_dst = dst + (size_t)(i - 1) * IRQ_LEN;
		s->check_src = src + (size_t)(i - 1) * IRQ_LEN;
		s->check_len = IRQ_LEN;
		e2e_submit(t, i, e2e_prep_interrupt(t, i));
	}
	dma_async_issue_pending(t->chan);
	for (i = 0; i < IRQ_N; i++)
		e2e_wait_slot(t, i);

	assert_true(e2e_order_is_sequence(t, 0, IRQ_N));
	for (i = 0; i < IRQ_N; i++) {
		assert_int_equal(e2e_calls(t, i), 1);
		assert_int_equal(t->slots[i].result.result, DMA_TRANS_NOERROR);
		if (i % 2)
			assert_int_equal(load32(&t->slots[i].check_ok), 1);
		assert_int_equal(e2e_status(t, t->slots[i].cookie, NULL), DMA_COMPLETE);
	}
	free(src);
	free(dst);
}

/* ------------------------------------------------------------------ main */

#define WB_TEST(f) cmocka_unit_test_setup_teardown(f, wb_setup, wb_teardown)
#define E2E_TEST(f) cmocka_unit_test_setup_teardown(f, e2e_setup, e2e_teardown)

int main(void)
{
	const struct CMUnitTest lists[] = {
		WB_TEST(test_vchan_tx_prep_puts_on_allocated),
		WB_TEST(test_vchan_tx_submit_assigns_cookies),
		WB_TEST(test_vchan_issue_pending_and_find_desc),
		WB_TEST(test_vchan_complete_calls_back_in_order_then_frees),
		WB_TEST(test_vchan_reuse_returns_to_allocated),
		WB_TEST(test_vchan_reuse_resubmitted_in_callback_stays_queued),
		WB_TEST(test_vchan_reuse_completed_again_before_tasklet_returns),
		WB_TEST(test_vchan_cookie_complete_twice_is_reported_once),
		WB_TEST(test_vchan_cyclic_callbacks_coalesce),
		WB_TEST(test_vchan_terminate_vdesc_then_synchronize),
		WB_TEST(test_vchan_synchronize_waits_for_running_callback),
		WB_TEST(test_vchan_get_all_descriptors_takes_five_lists),
		WB_TEST(test_vchan_free_chan_resources_frees_reusable),
		WB_TEST(test_vchan_desc_free),
	};
	const struct CMUnitTest sim[] = {
		cmocka_unit_test(test_sim_probe_request_remove),
		E2E_TEST(test_sim_copies_of_several_sizes),
		E2E_TEST(test_sim_pause_residue_resume),
		E2E_TEST(test_sim_terminate_sync_stops_long_queue),
		E2E_TEST(test_sim_terminate_async_from_callback),
		E2E_TEST(test_sim_descriptor_reused_three_times),
		E2E_TEST(test_sim_interrupt_descriptors_in_order),
	};
	int failed;

	/* Only the devices the tests probe: no default cpu provider. */
	setenv("DMAENGINE_PLATFORM", "none", 1);
	failed = cmocka_run_group_tests_name("virt-dma lists", lists, NULL, NULL);
	failed += cmocka_run_group_tests_name("virt-dma through vchan-sim", sim, NULL, NULL);
	return failed;
}
