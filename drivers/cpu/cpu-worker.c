// SPDX-License-Identifier: MIT
/*
 * cpu-worker.c - the cpu provider's worker threads: they consume issued
 * descriptors, move the data in chunks, publish completion, call callbacks
 * in completion context and answer control requests.
 */
#include <stdio.h>
#include <string.h>

#include <dmaengine/bus.h>

#include "cpu-dma.h"
#include "raid/raid.h"

static __thread struct cpu_worker *current_worker;

struct cpu_worker *dmae__cpu_current_worker(void)
{
	return current_worker;
}

/**
 * dmae__cpu_wake - wake the worker(s) serving @c; one load when none sleeps.
 * @make_way: yield, so that the worker runs at once on the caller's CPU
 * Context: any.
 */
void dmae__cpu_wake(struct cpu_chan *c, bool make_way)
{
	struct cpu_dev *cd = c->cd;

	if (c->worker) {
		bool slept = waitqueue_active(&c->worker->wq);

		wake_up(&c->worker->wq);
		/*
		 * The scheduler often puts a woken worker on its waker's CPU, where
		 * it waits until the client, spinning for the completion, is
		 * preempted: let it run now. (A worker issuing from a callback
		 * has nobody to make way for.)
		 */
		if (slept && make_way && !current_worker)
			dmae_yield();
		return;
	}
	for (unsigned int i = 0; i < cd->p.workers; i++)
		wake_up(&cd->workers[i].wq);
}

/* The descriptor published for @ticket; its submitter may be between the
 * ticket CAS and the ring store for a moment. */
static struct cpu_desc *ring_wait(struct cpu_chan *c, u32 ticket)
{
	for (unsigned int spins = 0;; spins++) {
		struct cpu_desc *d = cpu_ring_peek(c, ticket);

		if (d)
			return d;
		if (spins > 256)
			dmae_yield();
		else
			cpu_relax();
	}
}

/* Out of order: raise fence_hold to @v (never lower it). */
static void fence_raise(struct cpu_chan *c, u32 v)
{
	u32 old = __atomic_load_n(&c->fence_hold, __ATOMIC_RELAXED);

	while (cpu_ticket_before(old, v) &&
	       !__atomic_compare_exchange_n(&c->fence_hold, &old, v, true, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED))
		;
}

/*
 * Out of order: may ticket @t start? Not while a fenced descriptor before it
 * runs, and a fenced one not before everything ahead of it has finished.
 * Every ticket below head is claimed, so finished == t means all of them ran.
 */
static bool fence_allows(struct cpu_chan *c, u32 t)
{
	u32 fin = __atomic_load_n(&c->finished, __ATOMIC_ACQUIRE);
	struct cpu_desc *d;

	if (cpu_ticket_before(fin, __atomic_load_n(&c->fence_hold, __ATOMIC_ACQUIRE)))
		return false;
	d = cpu_ring_peek(c, t);
	if (!d)
		return false; /* not published yet: come back */
	if (!(__atomic_load_n((int *)&d->tx.flags, __ATOMIC_RELAXED) & DMA_PREP_FENCE))
		return true;
	if (fin != t)
		return false;
	/* Raised before head moves past t: whoever claims t + 1 sees it. A stale
	 * peek can only raise it needlessly, which delays and never reorders. */
	fence_raise(c, t + 1);
	return true;
}

/* Out of order: one more claimed ticket has run to its end (or was dropped). */
static void ticket_finished(struct cpu_chan *c)
{
	if (!c->worker)
		__atomic_fetch_add(&c->finished, 1, __ATOMIC_RELEASE);
}

/* Claim the next ticket below @end; false when there is none (or, with
 * @fence, when DMA_PREP_FENCE holds it back). */
static bool claim_ticket(struct cpu_chan *c, u32 end, u32 *ticket, bool fence)
{
	u32 t;

	if (c->worker) { /* in order: this worker owns head, and order is the fence */
		t = __atomic_load_n(&c->head, __ATOMIC_RELAXED);
		if (!cpu_ticket_before(t, end))
			return false;
		__atomic_store_n(&c->head, t + 1, __ATOMIC_RELAXED);
		*ticket = t;
		return true;
	}
	/* Acquire: whoever moved head past a fenced ticket raised fence_hold first. */
	t = __atomic_load_n(&c->head, __ATOMIC_ACQUIRE);
	do {
		if (!cpu_ticket_before(t, end))
			return false;
		if (fence && !fence_allows(c, t))
			return false;
	} while (!__atomic_compare_exchange_n(&c->head, &t, t + 1, true, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	*ticket = t;
	return true;
}

/* An aborted or never-run descriptor goes back to its owner: the client if
 * it is reusable, else the free stack. No callback. */
static void desc_abort(struct cpu_chan *c, struct cpu_desc *d)
{
	u32 s = __atomic_load_n(&d->state, __ATOMIC_RELAXED);

	dmae_trace_tx_abort(&d->tx);
	dma_descriptor_unmap(&d->tx);
	if (dmaengine_desc_test_reuse(&d->tx)) {
		__atomic_store_n(&d->tx.cookie, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&d->state, CPU_STATE_MAKE(CPU_STATE_SUBS(s), CPU_DESC_PREPARED),
				 __ATOMIC_RELEASE);
		return;
	}
	dmae__cpu_desc_release(c, d);
}

/* Free every unacked descriptor the client has acknowledged since (all on @all). */
static void reclaim_unacked(struct cpu_chan *c, struct cpu_lane *l, bool all)
{
	struct cpu_desc **pp = &l->unacked;

	while (*pp) {
		struct cpu_desc *d = *pp;

		if (all || async_tx_test_ack(&d->tx)) {
			*pp = d->unacked_next;
			dmae__cpu_desc_release(c, d);
		} else {
			pp = &d->unacked_next;
		}
	}
}

/* A terminate came: drop what it covers, up to its ticket. */
static void handle_terminate(struct cpu_chan *c, struct cpu_lane *l)
{
	u32 end = __atomic_load_n(&c->term_ticket, __ATOMIC_RELAXED);
	u32 t;

	if (l->cur && cpu_desc_aborted(c, l->cur)) {
		desc_abort(c, l->cur);
		ticket_finished(c);
		l->cur = NULL;
	}
	while (claim_ticket(c, end, &t, false)) {
		desc_abort(c, ring_wait(c, t));
		ticket_finished(c);
	}
	reclaim_unacked(c, l, true);
	if (c->worker) /* nothing runs: the ticket before the next one */
		__atomic_store_n(&c->progress,
				 (u64)(__atomic_load_n(&c->head, __ATOMIC_RELAXED) - 1) << 32,
				 __ATOMIC_RELEASE);
}

enum run_result {
	RUN_DONE,    /* the descriptor finished */
	RUN_STOPPED, /* paused or repeating: resume from l->pos later */
	RUN_ABORTED, /* a terminate covers it */
	RUN_FAULT,   /* a bus access failed: it completes with d->fault */
	RUN_PARKED,  /* an injected delay holds it: run it again from l->cur when due */
};

/* Between chunks: has a control request stopped this descriptor? */
static enum run_result check_stop(struct cpu_chan *c, struct cpu_desc *d, u32 ctl)
{
	if (dmae_likely(__atomic_load_n(&c->ctl_gen, __ATOMIC_ACQUIRE) == ctl))
		return RUN_DONE;
	if (cpu_desc_aborted(c, d))
		return RUN_ABORTED;
	if (__atomic_load_n(&c->paused, __ATOMIC_ACQUIRE))
		return RUN_STOPPED;
	return RUN_DONE;
}

/* Publish the bytes @d still has to write (in-order channels, for residue). */
static void progress_set(struct cpu_chan *c, struct cpu_desc *d, u64 done)
{
	if (c->worker)
		__atomic_store_n(&c->progress, (u64)d->ticket << 32 |
				 (u32)(__atomic_load_n(&d->len, __ATOMIC_RELAXED) - done),
				 __ATOMIC_RELEASE);
}

static struct cpu_seg *pos_seg(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p)
{
	return p->block ? &c->blocks[p->block - 1].seg[p->i] : &d->seg0;
}

static void pos_next_seg(struct cpu_chan *c, struct cpu_pos *p)
{
	p->seg++;
	p->off = 0;
	if (p->block && ++p->i == CPU_SEGS_PER_BLOCK) {
		p->block = c->blocks[p->block - 1].next;
		p->i = 0;
	}
}

static void pos_start(struct cpu_desc *d, struct cpu_pos *p)
{
	memset(p, 0, sizeof(*p));
	d->raid_res = 0;
	d->fault = DMA_TRANS_NOERROR;
	p->block = d->blocks;
	if (d->op == CPU_OP_2D) {
		p->src = d->src_start;
		p->dst = d->dst_start;
	}
}

/*
 * The host memory behind @len bytes at bus address @addr, for one access
 * (@acc) of the channel's device; *@n shrinks to what it covers. On a fault
 * (already recorded and reported by bus access), note on @d how it ends:
 * @p->done bytes were moved.
 */
static void *bus(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p, dma_addr_t addr,
		 u64 *n, unsigned int acc)
{
	size_t span;
	void *host = dmae_bus_xlate(&c->cd->dev, addr, *n, acc, &span);

	if (dmae_unlikely(!host)) {
		d->fault = acc == DMAE_BUS_READ ? DMA_TRANS_READ_FAILED : DMA_TRANS_WRITE_FAILED;
		d->fault_residue = (u32)(__atomic_load_n(&d->len, __ATOMIC_RELAXED) - p->done);
		return NULL;
	}
	if (span < *n)
		*n = span;
	return host;
}

/*
 * move_piece - @dev copies up to @n bytes from bus address @src to @dst (or
 * fills @dst with @fill, for CPU_OP_FILL): as much as bus access gives in one
 * piece. @return the bytes moved, or 0 with *@fault the result of the access
 * that failed (the source first: a device reads before it writes).
 */
static size_t move_piece(struct device *dev, u8 op, u8 fill, dma_addr_t dst, dma_addr_t src,
			 size_t n, u8 *fault)
{
	const void *from = NULL;
	size_t span;
	void *to;

	if (op != CPU_OP_FILL) {
		from = dmae_bus_xlate(dev, src, n, DMAE_BUS_READ, &span);
		if (dmae_unlikely(!from)) {
			*fault = DMA_TRANS_READ_FAILED;
			return 0;
		}
		n = span;
	}
	to = dmae_bus_xlate(dev, dst, n, DMAE_BUS_WRITE, &span);
	if (dmae_unlikely(!to)) {
		*fault = DMA_TRANS_WRITE_FAILED;
		return 0;
	}
	if (op == CPU_OP_FILL)
		memset(to, fill, span);
	else
		memcpy(to, from, span);
	return span;
}

/* ----------------------------------------------------------- shared spans */

/* A copy or fill with this many chunks still to go is shared among the workers. */
#define CPU_ASSIST_MIN_CHUNKS 4
/*
 * Closing waits for the helpers' last chunks. A wait longer than this means
 * a helper lost its CPU (more runnable threads than CPUs: a client spinning
 * for its completion, say), and sharing then costs more than it gains: it
 * pauses, 1 ms the first time, twice as long each time again, up to 1 s, and
 * a quick close ends the pauses.
 */
#define CPU_ASSIST_SLOW_NS 50000ull
#define CPU_ASSIST_BACKOFF_MIN_NS 1000000ull
/* Clients that polled this recently keep the workers out of shared spans. */
#define CPU_ASSIST_POLL_RECENT_NS 1000000ull
#define CPU_ASSIST_BACKOFF_MAX_NS 1000000000ull

/* The piece of @a that offset @off falls in. */
static unsigned int assist_piece(const struct cpu_assist *a, u64 off)
{
	unsigned int lo = 0, hi = a->npieces - 1;

	while (lo < hi) {
		unsigned int mid = (lo + hi + 1) / 2;

		if (a->piece[mid].start <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Where piece @k of @a ends. */
static u64 assist_piece_end(const struct cpu_assist *a, unsigned int k)
{
	return k + 1 < a->npieces ? a->piece[k + 1].start : a->end;
}

/*
 * Move [@off, @off + @n) of the shared run @a, piece by piece, in the parts
 * bus access gives. A failed access is recorded in its piece (the lowest
 * offset wins), and the rest of that piece within the chunk is skipped.
 */
static void assist_chunk(struct cpu_assist *a, u64 off, u64 n)
{
	u64 stop = off + n;

	for (unsigned int k = assist_piece(a, off); off < stop; k++) {
		struct cpu_assist_piece *pc = &a->piece[k];
		u64 pend = assist_piece_end(a, k);

		if (pend > stop)
			pend = stop;
		while (off < pend) {
			u64 rel = off - pc->start, cur;
			u8 kind = DMA_TRANS_NOERROR;
			size_t m = move_piece(a->dev, pc->op, pc->fill, pc->dst + rel, pc->src + rel,
					      pend - off, &kind);

			if (dmae_likely(m)) {
				off += m;
				continue;
			}
			cur = __atomic_load_n(&pc->fault, __ATOMIC_RELAXED);
			while ((off << 2 | kind) < cur &&
			       !__atomic_compare_exchange_n(&pc->fault, &cur, off << 2 | kind, true,
							    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
				;
			off = pend;
		}
	}
}

/*
 * Wake relays (dmae_wake_route). A worker that runs a client's callbacks
 * would pay 12 us for each cross-CPU wake-up of a sleeping client (this
 * VM kind; measured in dmabench, 4 KiB copies in sleep mode, that was a
 * quarter of the owner's time). Each worker routes its wake-ups through the
 * device's relays and, awake, keeps its own open, making those meant for
 * its CPU between chunks and between visits. A wake-up a relay has held this
 * long (its worker lost its CPU) is made by whichever worker sees it first;
 * a worker that goes to sleep makes all that are held.
 */
#define CPU_RELAY_STALE_NS 20000ull

/* Count @n wake-ups made through relays (most calls make none). */
static void relay_count(struct cpu_dev *cd, unsigned int n)
{
	if (n)
		__atomic_add_fetch(&cd->relay_wakes, n, __ATOMIC_RELAXED);
}

/* A worker makes the wake-ups handed to its relay; nothing for other threads. */
static void relay_poll(void)
{
	struct cpu_worker *w = current_worker;

	if (w)
		relay_count(w->cd, dmae_wake_relay_poll(&w->cd->relays[w->idx]));
}

/* The wake-ups the other workers' relays have held for @age_ns or longer (0: all). */
static void relay_flush_others(struct cpu_worker *w, u64 age_ns)
{
	for (unsigned int i = 0; i < w->cd->p.workers; i++)
		if (i != w->idx)
			relay_count(w->cd, dmae_wake_relay_flush(&w->cd->relays[i], age_ns));
}

/* @w stops polling its relay: it makes what its relay and the others' hold. */
static void relays_leave(struct cpu_worker *w, struct dmae_wake_relay *relay)
{
	relay_count(w->cd, dmae_wake_relay_close(relay));
	relay_flush_others(w, 0);
}

/*
 * A claim costs about 0.4 us (the run's line and the claimer's announcement
 * go from CPU to CPU), a ninth of a 64 KiB chunk's copy here: in dmabench,
 * 1 MiB copies in sleep mode, each worker copied 90 to 92% of the time and
 * the gaps between its chunks were the rest (94 to 96% with the guided
 * claims below, clocks read around each chunk). So claims are guided: a
 * chunk per CPU_ASSIST_GUIDE still to go, CPU_ASSIST_CLAIM_MAX at most, and
 * single chunks towards the end, where the last claims set how long the
 * owner waits at the close. A polling client's poll still moves
 * CPU_ASSIST_POLL_CHUNKS at most, in fewer claims. The moved prefix, and
 * with it the residue a running descriptor reports, advances a claim at a
 * time; at a pause or a terminate the run closes after the claims in
 * flight, at a chunk boundary.
 */
#define CPU_ASSIST_GUIDE 4
#define CPU_ASSIST_CLAIM_MAX 4

/* Claim the next chunks of @a, @most at most: the offset and *@n bytes, or false when none is left. */
static bool assist_claim(struct cpu_assist *a, u64 *off, u64 *n, unsigned int most)
{
	u64 next = __atomic_load_n(&a->next, __ATOMIC_RELAXED);
	u64 k = next < a->end ? (a->end - next) / (CPU_ASSIST_GUIDE * a->chunk) : 0;
	u64 step;

	k = k > CPU_ASSIST_CLAIM_MAX ? CPU_ASSIST_CLAIM_MAX : k;
	k = k > most ? most : k;
	step = a->chunk * (k < 1 ? 1 : k);
	*off = __atomic_fetch_add(&a->next, step, __ATOMIC_RELAXED);
	if (*off >= a->end)
		return false;
	*n = a->end - *off < step ? a->end - *off : step;
	return true;
}

/*
 * A helper's part: @max chunks of @a at most (~0u: no limit), while it is
 * open and has chunks left, in guided claims (assist_claim); the helper
 * announces each claim in *@at.
 */
static bool assist_work(struct cpu_assist *a, u64 *at, unsigned int max)
{
	bool moved = false;
	u64 off, n;

	/* Busy before open is read again: the owner that closes it waits for us. */
	__atomic_add_fetch(&a->busy, 1, __ATOMIC_SEQ_CST);
	/* open again before each claim: a closed span takes no new chunk. The
	 * owner's prefix (assist_prefix) sees every claim through *at. */
	while (max && __atomic_load_n(&a->open, __ATOMIC_SEQ_CST)) {
		u64 chunks;

		__atomic_store_n(at, CPU_ASSIST_CLAIMING, __ATOMIC_SEQ_CST);
		if (!assist_claim(a, &off, &n, max))
			break;
		__atomic_store_n(at, off, __ATOMIC_SEQ_CST);
		assist_chunk(a, off, n);
		moved = true;
		relay_poll();
		chunks = (n + a->chunk - 1) / a->chunk;
		max = max > chunks ? max - (unsigned int)chunks : 0;
	}
	__atomic_store_n(at, CPU_ASSIST_IDLE, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&a->busy, 1, __ATOMIC_RELEASE);
	return moved;
}

/*
 * Clients polling for completions lately? They help with spans, and on a
 * machine with few CPUs a spinning client and a helping worker would only
 * take turns on one: workers then leave the span to the owner and clients.
 */
static bool assist_clients_poll(struct cpu_assist *a)
{
	return dmae_clock_ns() - __atomic_load_n(&a->polled_at, __ATOMIC_RELAXED) <
	       CPU_ASSIST_POLL_RECENT_NS;
}

/* The next pause of a doubling backoff: @min first, then twice @cur, at most @max. */
static u64 backoff_next(u64 cur, u64 min, u64 max)
{
	return !cur ? min : cur * 2 < max ? cur * 2 : max;
}

/*
 * Is worker @w crowded: lately, has it waited for its CPU more than 2/3 of
 * the time it wanted one? Then a thread that is not the library's (a client
 * spinning for its completions, say) holds that CPU. Measured in dmabench,
 * 4 KiB copies: with a callback-mode client the helper waits 99% of the
 * time; with a client that sleeps between batches, a third (0.28 to 0.44).
 * A helper that loses its CPU in the middle of a chunk holds up the whole
 * run, and takes the CPU from a client that would submit more: a crowded
 * worker stays out of shared runs for a while, 1 ms, twice as long after
 * each crowded verdict in a row, up to 8 ms. The statistics
 * are read at most once a period, and judged once they cover a period of
 * wanting a CPU (sleep does not count). Unknown counts as not crowded.
 */
#define CPU_CROWD_PERIOD_NS 250000ull
#define CPU_CROWD_HOLD_MIN_NS 1000000ull
#define CPU_CROWD_HOLD_MAX_NS 8000000ull

static bool worker_crowded(struct cpu_worker *w, u64 now)
{
	s64 run, wait, dr, dw;

	if (now - w->crowd_at >= CPU_CROWD_PERIOD_NS && !dmae_thread_sched_ns(&run, &wait)) {
		w->crowd_at = now;
		dr = run - w->crowd_run;
		dw = wait - w->crowd_wait;
		if (dr + dw >= (s64)CPU_CROWD_PERIOD_NS) {
			if (dw * 3 > (dr + dw) * 2) {
				w->crowd_hold_ns = backoff_next(w->crowd_hold_ns, CPU_CROWD_HOLD_MIN_NS,
								 CPU_CROWD_HOLD_MAX_NS);
				__atomic_store_n(&w->crowded_until, now + w->crowd_hold_ns,
						 __ATOMIC_RELAXED);
			} else {
				w->crowd_hold_ns = 0;
			}
			w->crowd_run = run;
			w->crowd_wait = wait;
		}
	}
	return now < __atomic_load_n(&w->crowded_until, __ATOMIC_RELAXED);
}

/* A worker's help with its device's open span, if there is one: all of it. */
static bool assist_help(struct cpu_worker *w)
{
	struct cpu_assist *a = &w->cd->assist;

	if (!__atomic_load_n(&a->open, __ATOMIC_RELAXED) || assist_clients_poll(a) ||
	    worker_crowded(w, dmae_clock_ns()))
		return false;
	assist_work(a, &w->assist_at, ~0u);
	return true;
}

/**
 * dmae__cpu_assist_poll - a client polling for a completion lends its thread
 * to the device's open span, if there is one and a client slot is free: it
 * moves up to CPU_ASSIST_POLL_CHUNKS chunks. Returns whether it moved any.
 * Context: any but a worker.
 */
bool dmae__cpu_assist_poll(struct cpu_dev *cd)
{
	struct cpu_assist *a = &cd->assist;
	u64 now = dmae_clock_ns();

	/* Noted now and then, not on every poll: the line stays shared. */
	if (now - __atomic_load_n(&a->polled_at, __ATOMIC_RELAXED) > CPU_ASSIST_POLL_RECENT_NS / 4)
		__atomic_store_n(&a->polled_at, now, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&a->open, __ATOMIC_RELAXED))
		return false;
	for (unsigned int i = 0; i < CPU_ASSIST_CLIENTS; i++) {
		u64 idle = CPU_ASSIST_IDLE;

		/* Claiming: the owner's prefix waits until this slot names a chunk. */
		if (__atomic_compare_exchange_n(&a->client_at[i], &idle, CPU_ASSIST_CLAIMING, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			__atomic_add_fetch(&a->client_helps, 1, __ATOMIC_RELAXED);
			return assist_work(a, &a->client_at[i], CPU_ASSIST_POLL_CHUNKS);
		}
	}
	return false;
}

/* Lower *@m to the chunk a helper announces in *@at; false while it claims. */
static bool assist_lower(u64 *at, u64 *m)
{
	u64 v = __atomic_load_n(at, __ATOMIC_SEQ_CST);

	if (v == CPU_ASSIST_CLAIMING)
		return false;
	if (v < *m)
		*m = v;
	return true;
}

/*
 * The owner's view of the shared span, between its own chunks: every chunk
 * below the returned offset has moved (chunks are claimed in order, and the
 * ones still moving are the helpers', at their assist_at). @prev is the last
 * answer, kept while a helper is between a claim and its offset.
 */
static u64 assist_prefix(struct cpu_dev *cd, u64 prev)
{
	struct cpu_assist *a = &cd->assist;
	u64 m = __atomic_load_n(&a->next, __ATOMIC_SEQ_CST);

	m = m < a->end ? m : a->end;
	for (unsigned int i = 0; i < cd->p.workers; i++)
		if (!assist_lower(&cd->workers[i].assist_at, &m))
			return prev;
	for (unsigned int i = 0; i < CPU_ASSIST_CLIENTS; i++)
		if (!assist_lower(&a->client_at[i], &m))
			return prev;
	return m > prev ? m : prev;
}

/* Offer the run set up in cd->assist from offset @start to the helpers. */
static void assist_open(struct cpu_dev *cd, u64 start)
{
	struct cpu_assist *a = &cd->assist;
	u64 now;

	a->dev = &cd->dev;
	__atomic_store_n(&a->next, start, __ATOMIC_RELAXED);
	__atomic_store_n(&a->open, 1, __ATOMIC_SEQ_CST);
	if (assist_clients_poll(a))
		return; /* the workers stay out: see assist_clients_poll */
	now = dmae_clock_ns();
	for (unsigned int i = 0; i < cd->p.workers; i++)
		if (&cd->workers[i] != current_worker &&
		    now >= __atomic_load_n(&cd->workers[i].crowded_until, __ATOMIC_RELAXED))
			wake_up(&cd->workers[i].wq);
}

/*
 * assist_own - the owner's part of the open run: chunks in order, like the
 * helpers, until none is left or a control request stops the claims (the
 * verdict of check_stop on @descs[0]: every descriptor of a run was issued
 * before any request that can stop it). Meanwhile the residue of the piece
 * that the moved prefix has reached is published: descs[k] has moved @base
 * bytes before its piece. Then it closes the run and waits for the helpers'
 * chunks; *@end is the offset below which every byte has moved. The caller
 * reads what it needs of the pieces, then lets go of the run (assist_done).
 */
static enum run_result assist_own(struct cpu_chan *c, struct cpu_desc *const *descs, u64 base,
				  u32 ctl, u64 *end)
{
	struct cpu_dev *cd = c->cd;
	struct cpu_assist *a = &cd->assist;
	u64 prefix = __atomic_load_n(&a->next, __ATOMIC_RELAXED), off, n, t_close;
	enum run_result r;
	unsigned int spins = 0;

	for (;;) {
		unsigned int k;

		r = check_stop(c, descs[0], ctl);
		if (dmae_unlikely(r != RUN_DONE) || !assist_claim(a, &off, &n, ~0u))
			break;
		assist_chunk(a, off, n);
		relay_poll();
		/* Residue: what is moved below the first chunk still moving. */
		prefix = assist_prefix(cd, prefix);
		k = assist_piece(a, prefix);
		progress_set(c, descs[k], base + prefix - a->piece[k].start);
	}
	__atomic_store_n(&a->open, 0, __ATOMIC_SEQ_CST);
	t_close = dmae_clock_ns();
	while (__atomic_load_n(&a->busy, __ATOMIC_SEQ_CST))
		if (++spins > 64)
			dmae_yield();
		else
			cpu_relax();
	if (dmae_unlikely(spins > 64) && dmae_clock_ns() - t_close > CPU_ASSIST_SLOW_NS) {
		a->backoff_ns = backoff_next(a->backoff_ns, CPU_ASSIST_BACKOFF_MIN_NS,
					     CPU_ASSIST_BACKOFF_MAX_NS);
		__atomic_store_n(&a->quiet_until, dmae_clock_ns() + a->backoff_ns,
				 __ATOMIC_RELAXED);
	} else {
		a->backoff_ns = 0;
	}
	*end = __atomic_load_n(&a->next, __ATOMIC_ACQUIRE);
	if (*end > a->end)
		*end = a->end;
	return r;
}

/* The owner is through with the run: the next owner may take it. */
static void assist_done(struct cpu_assist *a)
{
	__atomic_store_n(&a->taken, 0, __ATOMIC_RELEASE);
}

/* Is the device's run free (and not paused after slow closes)? Take it. */
static bool assist_take(struct cpu_dev *cd)
{
	struct cpu_assist *a = &cd->assist;

	return !__atomic_load_n(&a->taken, __ATOMIC_RELAXED) &&
	       dmae_clock_ns() >= __atomic_load_n(&a->quiet_until, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&a->taken, 1, __ATOMIC_ACQUIRE);
}

/* Piece @k of the run: @d's copy or fill at @dst/@src, from offset @start of the run. */
static void assist_piece_set(struct cpu_assist *a, unsigned int k, const struct cpu_desc *d,
			     dma_addr_t dst, dma_addr_t src, u64 start)
{
	struct cpu_assist_piece *pc = &a->piece[k];

	pc->dst = dst;
	pc->src = src;
	pc->start = start;
	pc->op = d->op;
	pc->fill = d->fill;
	__atomic_store_n(&pc->fault, ~0ull, __ATOMIC_RELAXED);
}

/*
 * Run [p->off, @len) of a copy or fill with the device's other workers,
 * which claim chunks in order as the owner does. A control request stops the
 * claims; closing waits for the helpers' chunks, so the bytes below the last
 * claim have moved, and the position there is exact for resume and residue.
 */
static enum run_result run_shared(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p,
				  u32 ctl, dma_addr_t dst, dma_addr_t src, u64 len)
{
	struct cpu_assist *a = &c->cd->assist;
	u64 start = p->off, end, fault;
	enum run_result r;

	a->npieces = 1;
	a->end = len;
	a->chunk = c->cd->p.chunk;
	assist_piece_set(a, 0, d, dst, src, 0);
	assist_open(c->cd, start);
	r = assist_own(c, &d, p->done - start, ctl, &end);
	fault = __atomic_load_n(&a->piece[0].fault, __ATOMIC_RELAXED);
	assist_done(a);
	if (dmae_unlikely(fault != ~0ull)) {
		p->done += (fault >> 2) - start;
		p->off = fault >> 2;
		d->fault = (u8)(fault & 3);
		d->fault_residue = (u32)(__atomic_load_n(&d->len, __ATOMIC_RELAXED) - p->done);
		return RUN_FAULT;
	}
	if (end == len) /* all of it moved: done, whatever stopped the claims */
		r = RUN_DONE;
	p->done += end - start;
	p->off = end;
	progress_set(c, d, p->done);
	p->published = p->done;
	return r;
}

/* Should [p->off, @len) be shared out, and is the device's span free? */
static bool share_span(struct cpu_chan *c, struct cpu_pos *p, u64 len)
{
	struct cpu_dev *cd = c->cd;

	/* With one worker too: clients polling for completions may help. A
	 * client running descriptors itself (dmae__cpu_client_run) does not share. */
	return len - p->off >= CPU_ASSIST_MIN_CHUNKS * cd->p.chunk && current_worker &&
	       assist_take(cd);
}

/*
 * Move @len bytes from @src to @dst (or fill @dst), from offset p->off on, a
 * chunk at a time, stopping between chunks when a control request says so.
 */
static enum run_result run_span(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p,
				u32 ctl, dma_addr_t dst, dma_addr_t src, u64 len)
{
	size_t chunk = c->cd->p.chunk;

	if (share_span(c, p, len))
		return run_shared(c, d, p, ctl, dst, src, len);
	while (p->off < len) {
		u64 n = len - p->off < chunk ? len - p->off : chunk;
		enum run_result r = check_stop(c, d, ctl);

		if (dmae_unlikely(r != RUN_DONE)) {
			progress_set(c, d, p->done); /* exact where it stopped */
			return r;
		}
		n = move_piece(&c->cd->dev, d->op, d->fill, dst + p->off, src + p->off, n, &d->fault);
		if (dmae_unlikely(!n)) {
			d->fault_residue = (u32)(__atomic_load_n(&d->len, __ATOMIC_RELAXED) - p->done);
			return RUN_FAULT;
		}
		p->off += n;
		p->done += n;
		/* Segments may be shorter than a chunk: publish every chunk's worth. */
		if (p->done - p->published >= chunk) {
			progress_set(c, d, p->done);
			p->published = p->done;
		}
	}
	return RUN_DONE;
}

/* Run the linear segments of a COPY or FILL descriptor from l->pos. */
static enum run_result run_linear(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p,
				  u32 ctl)
{
	while (p->seg < d->nsegs) {
		struct cpu_seg *s = pos_seg(c, d, p);
		enum run_result r = run_span(c, d, p, ctl, s->dst, s->src, s->len);

		if (r != RUN_DONE)
			return r;
		pos_next_seg(c, p);
	}
	return RUN_DONE;
}

/* Run the frames of an interleaved descriptor from l->pos. */
static enum run_result run_2d(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p, u32 ctl)
{
	while (p->frame < d->numf) {
		while (p->seg < d->nsegs) {
			struct cpu_seg *s = pos_seg(c, d, p); /* len, then the src/dst gaps */
			enum run_result r = run_span(c, d, p, ctl, p->dst, p->src, s->len);

			if (r != RUN_DONE)
				return r;
			p->src += s->len + s->src;
			p->dst += s->len + s->dst;
			pos_next_seg(c, p);
		}
		p->frame++;
		p->seg = 0;
		p->i = 0;
		p->block = d->blocks;
	}
	return RUN_DONE;
}

/*
 * The destinations of a RAID step: the XOR result, or P and Q (NULL when
 * disabled), which a PQ continuation also reads and a PQ check only reads.
 */
static bool raid_dests(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p, u64 *step,
		       void *dst[2])
{
	unsigned int acc = d->op == CPU_OP_PQ_VAL ? DMAE_BUS_READ : DMAE_BUS_WRITE;
	dma_addr_t addr[2] = { d->seg0.dst + p->off, d->seg0.src + p->off };

	dst[0] = dst[1] = NULL;
	if (d->op == CPU_OP_XOR_VAL)
		return true;
	for (int i = 0; i < (d->op == CPU_OP_XOR ? 1 : 2); i++) {
		if (d->op != CPU_OP_XOR && (d->raid_flags & (i ? DMAE_RAID_NO_Q : DMAE_RAID_NO_P)))
			continue;
		if ((d->raid_flags & DMAE_RAID_ACCUM) &&
		    !bus(c, d, p, addr[i], step, DMAE_BUS_READ))
			return false;
		dst[i] = bus(c, d, p, addr[i], step, acc);
		if (!dst[i])
			return false;
	}
	return true;
}

/*
 * Run a RAID descriptor from p->off, a chunk of every buffer at a time. The
 * verdict of a validation goes to the client's result before the descriptor
 * completes.
 */
static enum run_result run_raid(struct cpu_chan *c, struct cpu_desc *d, struct cpu_pos *p,
				u32 ctl)
{
	dma_addr_t src[CPU_RAID_MAX_SRCS];
	void *s[CPU_RAID_MAX_SRCS], *dst[2];
	u8 scf[CPU_RAID_MAX_SRCS];
	u32 n = d->nsegs, words = cpu_raid_words(n, d->op);
	u64 len = d->seg0.len;
	size_t chunk = c->cd->p.chunk;
	u32 b = d->blocks;

	for (u32 w = 0; w < words; w++) {
		u64 v = *cpu_raid_word(c, d, &b, w);

		if (w < n)
			src[w] = v;
		else
			for (u32 k = 0, i = (w - n) * 8; k < 8 && i < n; k++, i++)
				scf[i] = (u8)(v >> (8 * k));
	}
	while (p->off < len) {
		u64 step = len - p->off < chunk ? len - p->off : chunk;
		enum run_result r = check_stop(c, d, ctl);
		unsigned int skip;

		if (dmae_unlikely(r != RUN_DONE)) {
			progress_set(c, d, p->done);
			return r;
		}
		for (u32 i = 0; i < n; i++)
			if (!(s[i] = bus(c, d, p, src[i] + p->off, &step, DMAE_BUS_READ)))
				return RUN_FAULT;
		if (!raid_dests(c, d, p, &step, dst))
			return RUN_FAULT;
		switch (d->op) {
		case CPU_OP_XOR:
			dmae__raid_xor(dst[0], s, n, step);
			break;
		case CPU_OP_XOR_VAL:
			if (!d->raid_res && !dmae__raid_xor_zero(s, n, step))
				d->raid_res = SUM_CHECK_P_RESULT;
			break;
		case CPU_OP_PQ:
			dmae__raid_pq(dst[0], dst[1], s, scf, n, step, d->raid_flags);
			break;
		default: /* PQ_VAL: skip what is already known to differ */
			skip = d->raid_flags | (d->raid_res & SUM_CHECK_P_RESULT ? DMAE_RAID_NO_P : 0) |
			       (d->raid_res & SUM_CHECK_Q_RESULT ? DMAE_RAID_NO_Q : 0);
			d->raid_res |= (u8)dmae__raid_pq_check(dst[0], dst[1], s, scf, n, step, skip);
			break;
		}
		p->off += step;
		p->done += step;
		progress_set(c, d, p->done);
	}
	if (d->op == CPU_OP_XOR_VAL || d->op == CPU_OP_PQ_VAL)
		*(enum sum_check_flags *)d->result = (enum sum_check_flags)d->raid_res;
	return RUN_DONE;
}

/* A repeating transfer ends only when the next queued one asks to replace it. */
static bool repeat_replaced(struct cpu_chan *c)
{
	u32 t = __atomic_load_n(&c->head, __ATOMIC_RELAXED);
	struct cpu_desc *next;

	if (!cpu_ticket_before(t, __atomic_load_n(&c->issued, __ATOMIC_ACQUIRE)))
		return false;
	next = cpu_ring_peek(c, t);
	if (!next)
		return false;
	return __atomic_load_n((int *)&next->tx.flags, __ATOMIC_RELAXED) & DMA_PREP_LOAD_EOT;
}

static enum run_result run_desc(struct cpu_chan *c, struct cpu_lane *l, struct cpu_desc *d,
				u32 ctl)
{
	enum run_result r;

	/* Fault injection (cpu-fault.c): fail it, or hold it back. */
	if (dmae_unlikely(d->inject) && !dmae__cpu_fault_start(c, d))
		return d->fault ? RUN_FAULT : RUN_PARKED;
	if (d->op == CPU_OP_NOP)
		return check_stop(c, d, ctl) == RUN_ABORTED ? RUN_ABORTED : RUN_DONE;
	if (d->op >= CPU_OP_XOR) {
		r = run_raid(c, d, &l->pos, ctl);
	} else {
		r = d->op == CPU_OP_2D ? run_2d(c, d, &l->pos, ctl) :
					 run_linear(c, d, &l->pos, ctl);
		/* A fault ends a repeating transfer too. */
		if (r == RUN_DONE &&
		    (__atomic_load_n((int *)&d->tx.flags, __ATOMIC_RELAXED) & DMA_PREP_REPEAT) &&
		    !repeat_replaced(c)) {
			pos_start(d, &l->pos); /* again, from the start */
			progress_set(c, d, 0);
			return RUN_STOPPED;
		}
	}
	/* An injected corruption spoils the result before it completes. */
	if (dmae_unlikely(d->inject) && r == RUN_DONE)
		dmae__cpu_fault_finish(c, d);
	return r;
}

/* @d waits for an injected delay: sleep no later than its due time. */
static void park(struct cpu_worker *w, struct cpu_desc *d)
{
	if (!w->next_due || d->inject_arg < w->next_due)
		w->next_due = d->inject_arg;
}

/* After the callback: the client's again (reusable), free (acked) or parked. */
static void desc_recycle(struct cpu_chan *c, struct cpu_lane *l, struct cpu_desc *d, u32 s)
{
	if (dmaengine_desc_test_reuse(&d->tx)) {
		/* Fails harmlessly when the callback resubmitted it. */
		__atomic_compare_exchange_n(&d->state, &s,
					    CPU_STATE_MAKE(CPU_STATE_SUBS(s), CPU_DESC_PREPARED),
					    false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	} else if (async_tx_test_ack(&d->tx)) {
		dmae__cpu_desc_release(c, d);
	} else {
		d->unacked_next = l->unacked;
		l->unacked = d;
	}
}

/* ----------------------------------------------------- shared descriptors */

/*
 * A run of consecutive issued descriptors of an in-order channel is shared
 * out when it holds this many bytes; a descriptor shorter than MIN_LEN ends
 * it (small ones go faster one by one), and it stops growing at MAX_CHUNKS
 * chunks, so that completions come at least that often. Its claims are a
 * sixteenth of it, at least MIN_GRAIN, at most a chunk.
 */
#define CPU_BATCH_MIN_BYTES (32u << 10)
#define CPU_BATCH_MAX_CHUNKS 64u
#define CPU_BATCH_MIN_LEN 1024u
#define CPU_BATCH_MIN_GRAIN (8u << 10)
/* Shared runs one visit of a worker to a channel may hold at most. */
#define CPU_VISIT_RUNS 4

/*
 * May @d (with tx.flags @flags) join a shared run? A plain copy or fill of
 * one segment, long enough, not repeating and not aborted. (No run is
 * offered while a fault is injected: faults are picked descriptor by
 * descriptor as they start.)
 */
static bool batch_fits(struct cpu_chan *c, struct cpu_desc *d, int flags)
{
	return (d->op == CPU_OP_COPY || d->op == CPU_OP_FILL) && !d->blocks && d->nsegs == 1 &&
	       d->seg0.len >= CPU_BATCH_MIN_LEN && !(flags & DMA_PREP_REPEAT) &&
	       !cpu_desc_aborted(c, d);
}

/*
 * batch_open - offer the issued descriptors from head on (below @end) as one
 * shared run, in w->run, when they fit and may have helpers: clients polling
 * for completions, or other workers. They move in parallel, as a hardware
 * engine overlaps consecutive descriptors; one with DMA_PREP_FENCE ends the
 * run, so that what depends on it waits until it is done. @return false
 * when there is no run (they go one by one).
 */
static bool batch_open(struct cpu_worker *w, struct cpu_chan *c, u32 end)
{
	struct cpu_dev *cd = c->cd;
	struct cpu_assist *a = &cd->assist;
	u32 head = __atomic_load_n(&c->head, __ATOMIC_RELAXED);
	u64 total = 0, cap = CPU_BATCH_MAX_CHUNKS * cd->p.chunk, grain, off = 0;
	unsigned int k = 0;

	if (__atomic_load_n(&cd->fault_armed, __ATOMIC_RELAXED) ||
	    (cd->p.workers < 2 && !assist_clients_poll(a)))
		return false;
	while (k < CPU_DMA_BATCH && total < cap && cpu_ticket_before(head + k, end)) {
		struct cpu_desc *d = cpu_ring_peek(c, head + k);
		int flags = d ? __atomic_load_n((int *)&d->tx.flags, __ATOMIC_RELAXED) : 0;

		if (!d || !batch_fits(c, d, flags))
			break;
		w->run[k++] = d;
		total += d->seg0.len;
		if (flags & DMA_PREP_FENCE)
			break;
	}
	if (total < CPU_BATCH_MIN_BYTES || !assist_take(cd))
		return false;
	w->nrun = k;
	grain = (total / 16 + 4095) & ~4095ull;
	grain = grain < CPU_BATCH_MIN_GRAIN ? CPU_BATCH_MIN_GRAIN : grain;
	a->chunk = grain < cd->p.chunk ? grain : cd->p.chunk;
	a->npieces = k;
	a->end = total;
	for (unsigned int i = 0; i < k; off += w->run[i]->seg0.len, i++) {
		struct cpu_desc *d = w->run[i];

		assist_piece_set(a, i, d, d->seg0.dst, d->seg0.src, off);
		d->inject = DMA_CPU_FAULT_NONE;
		d->fault = DMA_TRANS_NOERROR;
		dmae_trace_tx_start(&d->tx);
	}
	progress_set(c, w->run[0], 0);
	__atomic_store_n(&a->batches, a->batches + 1, __ATOMIC_RELAXED);
	assist_open(cd, 0);
	return true;
}

/*
 * batch_finish - this worker's part of the run in w->run, then its end. The
 * descriptors complete in order: those moved whole (or failed on a bus
 * access) go to w->done from *@n on; a control request that stopped the run
 * mid-way leaves the descriptor it was in as l->cur, at its exact position,
 * and the rest in the ring.
 */
static void batch_finish(struct cpu_worker *w, struct cpu_chan *c, struct cpu_lane *l, u32 ctl,
			 u32 end, unsigned int *n)
{
	struct cpu_assist *a = &c->cd->assist;
	u64 moved;
	u32 t;

	assist_own(c, w->run, 0, ctl, &moved);
	for (unsigned int i = 0; i < w->nrun; i++) {
		struct cpu_desc *d = w->run[i];
		struct cpu_assist_piece *pc = &a->piece[i];
		u64 len = assist_piece_end(a, i) - pc->start;
		u64 fault = __atomic_load_n(&pc->fault, __ATOMIC_RELAXED);
		u64 got = moved > pc->start ? moved - pc->start : 0;

		if (!got)
			break; /* not started: it runs later, from the ring */
		claim_ticket(c, end, &t, false);
		if (dmae_unlikely(fault != ~0ull)) {
			d->fault = (u8)(fault & 3);
			d->fault_residue = (u32)(len - ((fault >> 2) - pc->start));
			got = len;
		}
		if (dmae_unlikely(cpu_desc_aborted(c, d))) {
			desc_abort(c, d);
			ticket_finished(c);
			continue;
		}
		if (got < len) { /* stopped (paused) in it: resume from there */
			pos_start(d, &l->pos);
			l->pos.off = l->pos.done = l->pos.published = got;
			progress_set(c, d, got);
			l->cur = d;
			break;
		}
		w->done[(*n)++] = d;
		ticket_finished(c);
	}
	assist_done(a);
}

/* Fetch the lines of the descriptor in @ticket's ring slot (issued: the slot
 * is filled or about to be; a stale one costs a useless fetch only). */
static void ring_prefetch(struct cpu_chan *c, u32 ticket)
{
	cpu_desc_prefetch(__atomic_load_n(&c->ring[ticket & c->ring_mask], __ATOMIC_RELAXED));
}

/* Publish the visit's completions, then call their callbacks without locks. */
static void complete_batch(struct cpu_desc *const *done, struct cpu_chan *c, struct cpu_lane *l,
			   unsigned int n)
{
	unsigned long bytes = 0;
	u32 states[CPU_DMA_BATCH];
	dma_cookie_t last = 0;
	enum dmae_context prev;

	for (unsigned int i = 0; i < n; i++) {
		struct cpu_desc *d = done[i];
		u32 s = __atomic_load_n(&d->state, __ATOMIC_RELAXED);

		bytes += __atomic_load_n(&d->len, __ATOMIC_RELAXED);
		states[i] = CPU_STATE_MAKE(CPU_STATE_SUBS(s), CPU_DESC_DONE);
		__atomic_store_n(&d->state, states[i], __ATOMIC_RELAXED);
		last = __atomic_load_n(&d->tx.cookie, __ATOMIC_RELAXED);
		if (dmae_unlikely(d->fault)) {
			bytes -= d->fault_residue;
			__atomic_store_n(&c->error_cookie, last, __ATOMIC_RELAXED);
		}
		dmae_trace_tx_complete(&d->tx, d->fault);
		/* Release: a waiter that sees 0 (async_tx) sees the data and results. */
		__atomic_store_n(&d->tx.cookie, 0, __ATOMIC_RELEASE);
	}
	if (c->worker) {
		/* In order: the last cookie of the batch completes all before it. */
		__atomic_store_n(&c->chan.completed_cookie, last, __ATOMIC_RELEASE);
		/* and one thread at a time completes (its worker, or a client
		 * holding the worker's lanes): no locked add */
		dma_chan_stats_add_single(&c->chan, n, bytes);
	} else {
		dma_chan_stats_add(&c->chan, n, bytes);
	}

	prev = dmae_context_enter(DMAE_CTX_COMPLETION);
	for (unsigned int i = 0; i < n; i++) {
		struct cpu_desc *d = done[i];
		struct dmaengine_desc_callback cb;
		static const struct dmaengine_result ok = { DMA_TRANS_NOERROR, 0 };

		/* Completed, but a terminate came before its callback: no callback. */
		if (dmae_unlikely(cpu_desc_aborted(c, d))) {
			desc_abort(c, d);
			continue;
		}
		dma_descriptor_unmap(&d->tx); /* before the callback, as the kernel's drivers */
		dmaengine_desc_get_callback(&d->tx, &cb);
		dmae_trace_callback_begin(&d->tx, &cb);
		if (dmae_likely(!d->fault)) {
			dmaengine_desc_callback_invoke(&cb, &ok);
		} else {
			struct dmaengine_result res = { (enum dmaengine_tx_result)d->fault,
							d->fault_residue };

			dmaengine_desc_callback_invoke(&cb, &res);
		}
		dmae_trace_callback_end(&d->tx);
		if (d->tx.next)
			dma_run_dependencies(&d->tx);
		desc_recycle(c, l, d, states[i]);
	}
	dmae_context_exit(prev);
}

/* Acknowledge the control generation seen at the top of a visit. */
static void ack_ctl(struct cpu_chan *c, struct cpu_lane *l, u32 ctl)
{
	if (l->seen_ctl != ctl) {
		__atomic_store_n(&l->seen_ctl, ctl, __ATOMIC_RELEASE);
		wake_up(&c->ctl_wq);
	}
}

/* Run @d, a descriptor just claimed, from its start on lane @l. */
static enum run_result start_desc(struct cpu_chan *c, struct cpu_lane *l, struct cpu_desc *d,
				  u32 ctl)
{
	pos_start(d, &l->pos);
	progress_set(c, d, 0);
	cpu_fault_pick(c, d);
	dmae_trace_tx_start(&d->tx);
	return run_desc(c, l, d, ctl);
}

/*
 * Where @d goes after start_desc() said @r: onto @done[*@n] (complete or
 * failed), back to its owner (aborted), or into l->cur, to go on from l->pos
 * later (paused, repeating, parked). @return false in the last case.
 */
static bool desc_settle(struct cpu_chan *c, struct cpu_lane *l, struct cpu_desc *d,
			enum run_result r, struct cpu_desc **done, unsigned int *n)
{
	if (r == RUN_DONE || r == RUN_FAULT) {
		done[(*n)++] = d;
	} else if (r == RUN_ABORTED) {
		desc_abort(c, d);
	} else {
		l->cur = d;
		return false;
	}
	ticket_finished(c);
	return true;
}

/* One visit of worker @w to channel @c. Returns true if it moved anything. */
static bool chan_visit(struct cpu_worker *w, struct cpu_chan *c)
{
	struct cpu_lane *l = &c->lanes[w->idx];
	u32 ctl = __atomic_load_n(&c->ctl_gen, __ATOMIC_ACQUIRE);
	unsigned int n = 0;
	bool moved = false;
	u32 t, end;

	if (!__atomic_load_n(&c->allocated, __ATOMIC_ACQUIRE)) {
		ack_ctl(c, l, ctl);
		return false;
	}
	if (dmae_unlikely(l->seen_term != __atomic_load_n(&c->term_gen, __ATOMIC_ACQUIRE))) {
		l->seen_term = __atomic_load_n(&c->term_gen, __ATOMIC_ACQUIRE);
		handle_terminate(c, l);
	}
	if (dmae_unlikely(l->unacked))
		reclaim_unacked(c, l, false);
	ack_ctl(c, l, ctl);
	if (__atomic_load_n(&c->paused, __ATOMIC_ACQUIRE))
		return false;

	if (l->cur) {
		enum run_result r = run_desc(c, l, l->cur, ctl);

		if (r == RUN_STOPPED)
			return true;
		if (r == RUN_PARKED) {
			park(w, l->cur);
			return false;
		}
		if (r == RUN_ABORTED)
			desc_abort(c, l->cur);
		else
			w->done[n++] = l->cur;
		ticket_finished(c);
		l->cur = NULL;
		moved = true;
	}
	end = __atomic_load_n(&c->issued, __ATOMIC_ACQUIRE);
	/*
	 * Shared runs: each one opens before the previous one's completions, so
	 * that helpers move data while this worker calls the callbacks. A few
	 * per visit, and none once a control request came: the next visit
	 * acknowledges it.
	 */
	if (c->worker && batch_open(w, c, end)) {
		for (unsigned int runs = 1;; runs++) {
			if (n) {
				complete_batch(w->done, c, l, n);
				n = 0;
			}
			batch_finish(w, c, l, ctl, end, &n);
			if (l->cur || runs == CPU_VISIT_RUNS ||
			    __atomic_load_n(&c->ctl_gen, __ATOMIC_ACQUIRE) != ctl)
				break;
			end = __atomic_load_n(&c->issued, __ATOMIC_ACQUIRE);
			if (!batch_open(w, c, end))
				break;
		}
		moved = true;
		goto out;
	}
	t = __atomic_load_n(&c->head, __ATOMIC_RELAXED);
	for (u32 i = 0; i < CPU_PREFETCH && cpu_ticket_before(t + i, end); i++)
		ring_prefetch(c, t + i);
	while (n < CPU_DMA_BATCH && claim_ticket(c, end, &t, true)) {
		struct cpu_desc *d = ring_wait(c, t);
		enum run_result r;

		/* Later ones' lines are on their way while this one runs. */
		if (cpu_ticket_before(t + CPU_PREFETCH, end))
			ring_prefetch(c, t + CPU_PREFETCH);
		moved = true;
		if (dmae_unlikely(cpu_desc_aborted(c, d))) {
			desc_abort(c, d);
			ticket_finished(c);
			continue;
		}
		r = start_desc(c, l, d, ctl);
		if (!desc_settle(c, l, d, r, w->done, &n)) {
			if (r == RUN_PARKED)
				park(w, d);
			break;
		}
	}
out:
	if (n)
		complete_batch(w->done, c, l, n);
	return moved;
}

/* ------------------------------------------- polling clients run small ones */

/*
 * While the worker of an in-order channel sleeps, a client polling with
 * dmaengine_tx_status() for a cookie not yet complete runs the channel's
 * issued descriptors up to that cookie itself, as a polling client helps
 * with a shared run. The worker, woken by issue_pending, needs a context
 * switch each way on the client's CPU (2 us in all), or the wake-up of an
 * idle CPU (40 us in a VM); a 64-byte copy takes 20 ns. So the client runs
 * what needs no completion context: descriptors without a callback or a
 * dependent, not repeating, small ones (CPU_CLIENT_RUN_BYTES together), none
 * while a fault is armed, a control request waits for the worker or a
 * descriptor is part-way. Meanwhile it holds the worker's lanes
 * (cpu_worker.hold): the worker, once awake, waits for it.
 */
#define CPU_CLIENT_RUN_DESCS 16u

/* May a polling client run @d, with *@bytes run before it? Adds its length. */
static bool client_may_run(struct cpu_chan *c, struct cpu_desc *d, u64 *bytes)
{
	u64 len = __atomic_load_n(&d->len, __ATOMIC_RELAXED);

	if (!cpu_desc_client_may_run(d) || d->tx.next || cpu_desc_aborted(c, d) ||
	    len > CPU_CLIENT_RUN_BYTES - *bytes)
		return false;
	*bytes += len;
	return true;
}

/* The lanes of @w held by the calling client: anything to stop it running? */
static bool client_blocked(struct cpu_chan *c, struct cpu_lane *l, u32 ctl)
{
	return l->cur || l->seen_ctl != ctl || __atomic_load_n(&c->paused, __ATOMIC_ACQUIRE) ||
	       !__atomic_load_n(&c->allocated, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&c->cd->fault_armed, __ATOMIC_RELAXED);
}

/**
 * dmae__cpu_client_run - a client polls in-order channel @c for the cookie
 * of @ticket, not complete yet: if the channel's worker sleeps, run the
 * issued descriptors up to it that qualify (see above). The caller has seen
 * the worker's hold word at CPU_HOLD_ASLEEP. Context: a thread that is not a
 * worker.
 * @return true if it ran (or dropped, terminated) any.
 */
bool dmae__cpu_client_run(struct cpu_chan *c, u32 ticket)
{
	struct cpu_worker *w = c->worker;
	struct cpu_desc *done[CPU_CLIENT_RUN_DESCS], *d;
	struct cpu_lane *l;
	u32 hold = CPU_HOLD_ASLEEP, ctl, end, t;
	unsigned int n = 0, claimed = 0;
	u64 bytes = 0;

	/* Paused: nothing to run, and nothing for the worker either (no yield). */
	if (__atomic_load_n(&c->paused, __ATOMIC_RELAXED) ||
	    !__atomic_compare_exchange_n(&w->hold, &hold, CPU_HOLD_CLIENT, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	/* Not before: the worker writes that line as it runs. */
	l = &c->lanes[w->idx];
	ctl = __atomic_load_n(&c->ctl_gen, __ATOMIC_ACQUIRE);
	end = __atomic_load_n(&c->issued, __ATOMIC_ACQUIRE);
	if (client_blocked(c, l, ctl))
		goto out;
	while (n < CPU_CLIENT_RUN_DESCS) {
		t = __atomic_load_n(&c->head, __ATOMIC_RELAXED);
		if (!cpu_ticket_before(t, end) || cpu_ticket_before(ticket, t))
			break;
		d = ring_wait(c, t);
		if (!client_may_run(c, d, &bytes) || !claim_ticket(c, end, &t, false))
			break;
		claimed++;
		/* Stopped by a control request, it stays in l->cur: the worker goes on. */
		if (!desc_settle(c, l, d, start_desc(c, l, d, ctl), done, &n))
			break;
	}
	if (n) {
		complete_batch(done, c, l, n);
		__atomic_add_fetch(&c->client_runs, n, __ATOMIC_RELAXED);
	}
out:
	/* Release: the worker, taking its lanes back, sees all of the above. */
	__atomic_store_n(&w->hold, CPU_HOLD_ASLEEP, __ATOMIC_RELEASE);
	/* The worker has it: woken, it may be waiting for this very CPU. */
	if (!claimed)
		dmae_yield();
	return claimed;
}

/* A worker out of its sleep takes its lanes back, once a client running
 * descriptors for it (dmae__cpu_client_run) is done. */
static void worker_hold(struct cpu_worker *w)
{
	u32 asleep = CPU_HOLD_ASLEEP;

	for (unsigned int spins = 0;
	     !__atomic_compare_exchange_n(&w->hold, &asleep, CPU_HOLD_WORKER, false,
					  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	     spins++) {
		asleep = CPU_HOLD_ASLEEP;
		if (spins > 64)
			dmae_yield(); /* the client may be waiting for this CPU */
		else
			cpu_relax();
	}
}

/* Anything for @w to do on its channels right now? */
static bool worker_has_work(struct cpu_worker *w)
{
	if (__atomic_load_n(&w->cd->assist.open, __ATOMIC_ACQUIRE))
		return true;
	for (unsigned int i = 0; i < w->nchans; i++) {
		struct cpu_chan *c = w->chans[i];
		struct cpu_lane *l = &c->lanes[w->idx];

		if (__atomic_load_n(&c->ctl_gen, __ATOMIC_ACQUIRE) != l->seen_ctl)
			return true;
		if (!__atomic_load_n(&c->allocated, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&c->paused, __ATOMIC_ACQUIRE))
			continue;
		/* Parked by an injected delay: the sleep's time-out comes back for it. */
		if (l->cur && cpu_desc_parked(l->cur))
			continue;
		if (l->cur || cpu_ticket_before(__atomic_load_n(&c->head, __ATOMIC_RELAXED),
						__atomic_load_n(&c->issued, __ATOMIC_ACQUIRE)))
			return true;
	}
	return false;
}

/* How long an idle worker may sleep: until the first parked delay is due, or no limit. */
static s64 sleep_limit(struct cpu_worker *w)
{
	u64 now;

	if (dmae_likely(!w->next_due))
		return -1;
	now = dmae_clock_ns();
	return w->next_due > now ? (s64)(w->next_due - now) : 0;
}

/* An idle worker polling for work yields its CPU this often. */
#define CPU_IDLE_YIELD_NS 2000

static void worker_main(void *arg)
{
	struct cpu_worker *w = arg;
	struct dmae_wake_relay *relay = &w->cd->relays[w->idx];
	u64 idle_since = 0, yielded = 0, now;
	bool woken = false;

	current_worker = w;
	if (w->cd->p.workers > 1)
		dmae_wake_route(w->cd->relays, w->cd->p.workers);
	dmae_wake_relay_open(relay);
	for (;;) {
		bool moved = false;
		u32 seq;

		relay_poll();
		relay_flush_others(w, CPU_RELAY_STALE_NS);

		for (unsigned int i = 0; i < w->nchans; i++)
			moved |= chan_visit(w, w->chans[i]);
		if (!moved)
			moved = assist_help(w); /* idle: help with another's large copy */
		if (moved) {
			idle_since = 0;
			continue;
		}
		if (__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
			break;
		/*
		 * Poll a while: a client streaming work gets it without a wake-up.
		 * Now and then let a thread waiting for this CPU run: a wake-up
		 * often puts the worker on its client's CPU, and the client, which
		 * is what the worker polls for, would wait out the whole poll.
		 */
		now = dmae_clock_ns();
		if (!idle_since) {
			idle_since = now;
			/* Just woken: quite likely on the CPU of the client that woke it. */
			yielded = woken ? now - CPU_IDLE_YIELD_NS : now;
			woken = false;
		}
		if (now - idle_since < w->cd->p.spin_ns) {
			if (now - yielded >= CPU_IDLE_YIELD_NS) {
				dmae_yield();
				yielded = now;
			}
			for (int i = 0; i < 16; i++)
				cpu_relax();
			continue;
		}
		seq = dmae_wq_prepare(&w->wq);
		if (!worker_has_work(w) && !__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
			/* Asleep, it polls nothing: no wake-up may wait on it. */
			relays_leave(w, relay);
			/* Release: a client taking the lanes sees them as left. */
			__atomic_store_n(&w->hold, CPU_HOLD_ASLEEP, __ATOMIC_RELEASE);
			dmae_wq_sleep(&w->wq, seq, sleep_limit(w));
			worker_hold(w);
			dmae_wake_relay_open(relay);
		}
		dmae_wq_finish(&w->wq);
		w->next_due = 0; /* the next round of visits finds what is still parked */
		idle_since = 0;
		woken = true;
	}
	relays_leave(w, relay);
	dmae_wake_route(NULL, 0);
	current_worker = NULL;
}

int dmae__cpu_workers_start(struct cpu_dev *cd)
{
	for (unsigned int i = 0; i < cd->p.workers; i++) {
		struct cpu_worker *w = &cd->workers[i];
		char name[16];
		int ret;

		snprintf(name, sizeof(name), "dma%dw%u", cd->dma.dev_id, i);
		ret = dmae_thread_create(&w->thread, worker_main, w, name);
		if (ret) {
			dmae__cpu_workers_stop(cd);
			return ret;
		}
	}
	return 0;
}

void dmae__cpu_workers_stop(struct cpu_dev *cd)
{
	for (unsigned int i = 0; i < cd->p.workers; i++) {
		struct cpu_worker *w = &cd->workers[i];

		if (!w->thread)
			continue;
		__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
		wake_up(&w->wq);
		dmae_thread_join(w->thread);
		w->thread = NULL;
	}
}
