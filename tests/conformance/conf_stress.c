// SPDX-License-Identifier: MIT
/*
 * conf_stress.c - every channel of every device at once: one client thread
 * per channel runs batches of random operations (memcpy, memset, memcpy_sg,
 * memset_sg, interrupt, as the device advertises) of random sizes and
 * alignments, while one chaos thread per device pauses and resumes channels
 * and asks clients to terminate. A client terminates (terminate_async then
 * synchronize) at a point of its choosing, as a real client must before it
 * reuses its buffers.
 *
 * Verified after every batch: an operation whose callback fired wrote exactly
 * the right bytes; one that did not (aborted) left each byte old or new; no
 * byte outside the operations changed, guards intact, sources untouched (every
 * 16th batch); no callback twice, none after synchronize, all in completion
 * context. The arenas are streaming mappings (DMA_BIDIRECTIONAL), handed to the
 * device for each batch and back to the CPU for its check.
 * The whole run has a deadline: exceeding it fails with the state of every
 * client instead of hanging.
 */
#include <unistd.h>

#include "conformance.h"

#define ST_MAX_OPS 16		/* operations per batch */
#define ST_RING 64		/* batch records per client (late callbacks land in old ones) */
#define ST_ARENA (256u * 1024)	/* bytes of source and of destination per client */
#define ST_MAXLEN 8192		/* bytes of one operation (or sg entry list) */
#define ST_MAX_SG 3		/* entries per scatterlist */
#define ST_MAX_PIECES (2 * ST_MAX_SG)
#define ST_DEADLINE_MS (CONF_TSAN ? 200000u : 120000u)

enum st_kind { ST_MEMCPY, ST_MEMSET, ST_MEMCPY_SG, ST_MEMSET_SG, ST_INTERRUPT, ST_NKINDS };

static const enum dma_transaction_type st_cap[ST_NKINDS] = {
	DMA_MEMCPY, DMA_MEMSET, DMA_MEMCPY_SG, DMA_MEMSET_SG, DMA_INTERRUPT,
};

/* What an operation does to the destination: len bytes at doff. */
struct st_piece {
	u32 doff; /* in the destination arena */
	u32 len;
	u32 soff; /* in the source arena (copies) */
	int fill; /* the fill byte, or -1 for a copy */
};

struct st_batch;

struct st_op {
	struct st_batch *b; /* owner */
	u32 fired;	    /* callbacks (atomic) */
	u8 kind;	    /* enum st_kind */
	u8 npieces;
	u8 dn, sn;	    /* scatterlist entries (memcpy_sg) */
	struct st_piece pc[ST_MAX_PIECES];
	struct scatterlist dsg[ST_MAX_SG], ssg[ST_MAX_SG];
};

struct st_batch {
	struct st_client *cl;
	u32 n;			 /* operations */
	u32 fired;		 /* callbacks (atomic) */
	u32 closed;		 /* checked or synchronized: a callback now is an error (atomic) */
	struct completion done;	 /* one complete() per callback */
	struct st_op op[ST_MAX_OPS];
};

struct st_client {
	struct conf_dev *dev;
	struct dma_chan *chan;
	u64 rng;
	u32 target, ops;	    /* operations to run, run so far */
	u32 term_req;		    /* the chaos thread asks for a terminate (atomic) */
	u32 finished;		    /* the thread is done (atomic) */
	u32 batches, completed, aborted, terminates, waits_paused;
	size_t align_copy, align_fill;
	int kinds[ST_NKINDS];
	int nkinds;
	struct gbuf *src, *dst;
	u8 *src_pristine;
	struct st_batch ring[ST_RING];
	struct dmae_thread *th;
	u32 state;		    /* where the thread is, for the deadline report */
};

struct st_chaos {
	struct conf_dev *dev;
	int idle_pause;	/* what pausing an idle channel returned at setup */
	struct st_client **cls;
	u32 ncl;
	u64 rng;
	u32 pauses, resume_eperm, term_reqs, pause_refused;
	struct dmae_thread *th;
};

static u32 st_stop;		/* chaos threads: stop (atomic) */
static u32 st_left;		/* clients still running (atomic) */
static struct completion st_all_done;
static u64 st_deadline;

enum { ST_S_PREP = 1, ST_S_WAIT, ST_S_TERM, ST_S_CHECK, ST_S_DONE };

static void st_cb(void *param, const struct dmaengine_result *res)
{
	struct st_op *op = param;
	struct st_batch *b = op->b;

	if (__atomic_load_n(&b->closed, __ATOMIC_ACQUIRE))
		conf_async_err("stress %s: callback after the batch was synchronized/checked",
			       dma_chan_name(b->cl->chan));
	if (dmae_context() != DMAE_CTX_COMPLETION)
		conf_async_err("stress %s: callback in %s context", dma_chan_name(b->cl->chan),
			       dmae_context_name(dmae_context()));
	if (!res || res->result != DMA_TRANS_NOERROR || res->residue)
		conf_async_err("stress %s: callback result %d residue %u",
			       dma_chan_name(b->cl->chan), res ? (int)res->result : -1,
			       res ? res->residue : 0);
	if (__atomic_fetch_add(&op->fired, 1, __ATOMIC_ACQ_REL))
		conf_async_err("stress %s: callback fired twice", dma_chan_name(b->cl->chan));
	__atomic_add_fetch(&b->fired, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&b->cl->dev->stress_fired, 1, __ATOMIC_RELAXED);
	complete(&b->done);
}

static size_t st_align(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

static u32 st_len(struct st_client *c, size_t a)
{
	u64 r = conf_rand(&c->rng);
	size_t len = r & 1 ? (size_t)conf_rand_range(&c->rng, 1, 256) :
			     (size_t)conf_rand_range(&c->rng, 1, ST_MAXLEN);

	return (u32)st_align(len, a);
}

/* Reserve @len bytes of the destination after a random gap; false if full. */
static bool st_reserve(struct st_client *c, size_t *pos, size_t len, size_t a, u32 *off)
{
	size_t p = st_align(*pos + (size_t)conf_rand_range(&c->rng, 0, 64), a);

	if (p + len > ST_ARENA)
		return false;
	*off = (u32)p;
	*pos = p + len;
	return true;
}

static u32 st_src_off(struct st_client *c, size_t len, size_t a)
{
	return (u32)((size_t)conf_rand_range(&c->rng, 0, ST_ARENA - len) / a * a);
}

/* Lay out op @o of a random kind; false when the arena is full. */
static bool st_build(struct st_client *c, struct st_op *o, size_t *pos)
{
	o->kind = (u8)c->kinds[conf_rand(&c->rng) % (u64)c->nkinds];
	o->npieces = 0;
	o->fired = 0;
	switch (o->kind) {
	case ST_MEMCPY: {
		struct st_piece *p = &o->pc[0];

		p->len = st_len(c, c->align_copy);
		if (!st_reserve(c, pos, p->len, c->align_copy, &p->doff))
			return false;
		p->soff = st_src_off(c, p->len, c->align_copy);
		p->fill = -1;
		o->npieces = 1;
		return true;
	}
	case ST_MEMSET: {
		struct st_piece *p = &o->pc[0];

		p->len = st_len(c, c->align_fill);
		if (!st_reserve(c, pos, p->len, c->align_fill, &p->doff))
			return false;
		p->fill = (int)conf_rand_range(&c->rng, 0, 0x7f);
		o->npieces = 1;
		return true;
	}
	case ST_MEMSET_SG: {
		u32 n = (u32)conf_rand_range(&c->rng, 1, ST_MAX_SG);
		int fill = (int)conf_rand_range(&c->rng, 0, 0x7f);

		sg_init_table(o->dsg, n);
		for (u32 i = 0; i < n; i++) {
			struct st_piece *p = &o->pc[i];

			p->len = st_len(c, c->align_fill);
			if (!st_reserve(c, pos, p->len, c->align_fill, &p->doff))
				return false;
			p->fill = fill;
			sg_dma_address(&o->dsg[i]) = conf_bus(c->dst, p->doff);
			sg_dma_len(&o->dsg[i]) = p->len;
		}
		o->npieces = (u8)n;
		return true;
	}
	case ST_MEMCPY_SG: {
		u32 dn = (u32)conf_rand_range(&c->rng, 1, ST_MAX_SG);
		u32 sn = (u32)conf_rand_range(&c->rng, 1, ST_MAX_SG);
		u32 doffs[ST_MAX_SG], dlen[ST_MAX_SG], soffs[ST_MAX_SG], slen[ST_MAX_SG];
		u32 di = 0, si = 0, dd = 0, ss = 0;

		sg_init_table(o->dsg, dn);
		sg_init_table(o->ssg, sn);
		for (u32 i = 0; i < dn; i++) {
			dlen[i] = (u32)st_align((size_t)conf_rand_range(&c->rng, 1, ST_MAXLEN / 2),
						c->align_copy);
			if (!st_reserve(c, pos, dlen[i], c->align_copy, &doffs[i]))
				return false;
			sg_dma_address(&o->dsg[i]) = conf_bus(c->dst, doffs[i]);
			sg_dma_len(&o->dsg[i]) = dlen[i];
		}
		for (u32 i = 0; i < sn; i++) {
			slen[i] = (u32)st_align((size_t)conf_rand_range(&c->rng, 1, ST_MAXLEN / 2),
						c->align_copy);
			soffs[i] = st_src_off(c, slen[i], c->align_copy);
			sg_dma_address(&o->ssg[i]) = conf_bus(c->src, soffs[i]);
			sg_dma_len(&o->ssg[i]) = slen[i];
		}
		/* The destination stream takes min(totals) bytes of the source stream. */
		while (di < dn && si < sn) {
			u32 n = dlen[di] - dd < slen[si] - ss ? dlen[di] - dd : slen[si] - ss;
			struct st_piece *p = &o->pc[o->npieces++];

			p->doff = doffs[di] + dd;
			p->soff = soffs[si] + ss;
			p->len = n;
			p->fill = -1;
			dd += n;
			ss += n;
			if (dd == dlen[di]) {
				di++;
				dd = 0;
			}
			if (ss == slen[si]) {
				si++;
				ss = 0;
			}
		}
		o->dn = (u8)dn;
		o->sn = (u8)sn;
		return true;
	}
	default: /* ST_INTERRUPT */
		return true;
	}
}

static struct dma_async_tx_descriptor *st_prep(struct st_client *c, struct st_op *o)
{
	const unsigned long fl = DMA_PREP_INTERRUPT | DMA_CTRL_ACK;

	switch (o->kind) {
	case ST_MEMCPY:
		return dmaengine_prep_dma_memcpy(c->chan, conf_bus(c->dst, o->pc[0].doff),
						 conf_bus(c->src, o->pc[0].soff), o->pc[0].len, fl);
	case ST_MEMSET:
		return dmaengine_prep_dma_memset(c->chan, conf_bus(c->dst, o->pc[0].doff),
						 o->pc[0].fill, o->pc[0].len, fl);
	case ST_MEMSET_SG:
		return dmaengine_prep_dma_memset_sg(c->chan, o->dsg, o->npieces, o->pc[0].fill, fl);
	case ST_MEMCPY_SG:
		return dmaengine_prep_dma_memcpy_sg(c->chan, o->dsg, o->dn, o->ssg, o->sn,
						    fl);
	default:
		return dmaengine_prep_dma_interrupt(c->chan, fl);
	}
}

/* Check the destination after a batch; returns false (and reports) on error. */
static bool st_check(struct st_client *c, struct st_batch *b, bool terminated, size_t end)
{
	const u8 *d = conf_cpu(c->dst), *old = c->dst->old, *s = c->src_pristine;
	const char *name = dma_chan_name(c->chan);
	size_t prev = 0;

	for (u32 j = 0; j < b->n; j++) {
		struct st_op *o = &b->op[j];
		bool fired = __atomic_load_n(&o->fired, __ATOMIC_ACQUIRE) != 0;

		if (fired)
			c->completed++;
		else
			c->aborted++;
		if (!fired && !terminated) {
			conf_async_err("stress %s: op %u (kind %u) of a batch not terminated: no callback",
				       name, j, o->kind);
			return false;
		}
		for (u32 k = 0; k < o->npieces; k++) {
			const struct st_piece *p = &o->pc[k];
			long x;

			if (p->doff < prev) {
				conf_async_err("stress: internal: pieces not in order");
				return false;
			}
			x = conf_diff(d + prev, old + prev, p->doff - prev);
			if (x >= 0) {
				conf_async_err("stress %s: byte %zu outside any operation written (0x%02x, old 0x%02x)",
					       name, prev + (size_t)x, d[prev + x], old[prev + x]);
				return false;
			}
			if (fired)
				x = p->fill >= 0 ? conf_diff_byte(d + p->doff, (u8)p->fill, p->len) :
						   conf_diff(d + p->doff, s + p->soff, p->len);
			else
				x = p->fill >= 0 ?
					    conf_old_or_fill(d + p->doff, old + p->doff, (u8)p->fill,
							     p->len) :
					    conf_old_or_new(d + p->doff, old + p->doff, s + p->soff,
							    p->len);
			if (x >= 0) {
				conf_async_err("stress %s: op kind %u (%s) piece %u: byte %ld of %u is 0x%02x, old 0x%02x, new 0x%02x",
					       name, o->kind, fired ? "callback fired" : "aborted", k, x,
					       p->len, d[p->doff + x], old[p->doff + x],
					       p->fill >= 0 ? (u8)p->fill : s[p->soff + x]);
				return false;
			}
			prev = p->doff + p->len;
		}
	}
	{
		long x = conf_diff(d + prev, old + prev, ST_ARENA - prev);

		if (x >= 0) {
			conf_async_err("stress %s: byte %zu after the operations written", name,
				       prev + (size_t)x);
			return false;
		}
	}
	if (!conf_guards_ok(c->dst)) {
		conf_async_err("stress %s: guard zone overwritten", name);
		return false;
	}
	/* The source now and then (taking it back costs a copy when bounced). */
	if (c->batches % 16 == 0 &&
	    (memcmp(conf_cpu(c->src), c->src_pristine, ST_ARENA) || !conf_guards_ok(c->src))) {
		conf_async_err("stress %s: source arena or its guards written", name);
		return false;
	}
	memcpy(c->dst->p, c->dst->old, end);
	return true;
}

static bool st_terminate(struct st_client *c)
{
	int r = dmaengine_terminate_async(c->chan);

	c->terminates++;
	if (r) {
		conf_async_err("stress %s: dmaengine_terminate_async: %d", dma_chan_name(c->chan), r);
		return false;
	}
	/* A random short delay between the two, as clients have. */
	if (conf_rand(&c->rng) & 1)
		dmae_yield();
	r = dmaengine_synchronize(c->chan);
	if (r) {
		conf_async_err("stress %s: dmaengine_synchronize: %d", dma_chan_name(c->chan), r);
		return false;
	}
	return true;
}

static bool st_batch_run(struct st_client *c)
{
	struct st_batch *b = &c->ring[c->batches % ST_RING];
	const char *name = dma_chan_name(c->chan);
	u32 want = (u32)conf_rand_range(&c->rng, 1, ST_MAX_OPS);
	bool terminated = false, term_wanted = false;
	u32 term_after;
	size_t pos = 0;
	unsigned long dev_fired;
	u64 until;

	c->batches++;
	b->cl = c;
	b->n = 0;
	__atomic_store_n(&b->fired, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&b->closed, 0, __ATOMIC_RELEASE);
	reinit_completion(&b->done);
	if (want > c->target - c->ops)
		want = c->target - c->ops;
	c->state = ST_S_PREP;
	conf_dev(c->src);
	conf_dev(c->dst);
	for (u32 j = 0; j < want; j++) {
		struct st_op *o = &b->op[j];
		struct dma_async_tx_descriptor *tx;
		dma_cookie_t cookie;

		o->b = b;
		if (!st_build(c, o, &pos))
			break;
		/* The pool refills as callbacks of earlier batches return. */
		if (!CONF_WAIT_UNTIL((tx = st_prep(c, o)) != NULL, CONF_TIMEOUT_MS)) {
			conf_async_err("stress %s: prep of kind %u returned NULL for %u ms", name,
				       o->kind, CONF_TIMEOUT_MS);
			return false;
		}
		tx->callback = NULL;
		tx->callback_result = st_cb;
		tx->callback_param = o;
		b->n = j + 1;
		cookie = dmaengine_submit(tx);
		if (cookie < DMA_MIN_COOKIE) {
			conf_async_err("stress %s: dmaengine_submit: %d", name, cookie);
			return false;
		}
		if (conf_rand(&c->rng) % 4 == 0)
			dma_async_issue_pending(c->chan);
	}
	dma_async_issue_pending(c->chan);
	c->ops += b->n;

	/* Terminate: when the chaos thread asks, and now and then on our own. */
	term_after = (u32)conf_rand_range(&c->rng, 0, b->n);
	if (__atomic_exchange_n(&c->term_req, 0, __ATOMIC_ACQ_REL) || conf_rand(&c->rng) % 50 == 0)
		term_wanted = true;
	c->state = ST_S_WAIT;
	until = conf_now_ms() + CONF_TIMEOUT_MS;
	dev_fired = __atomic_load_n(&c->dev->stress_fired, __ATOMIC_RELAXED);
	while (__atomic_load_n(&b->fired, __ATOMIC_ACQUIRE) < b->n) {
		/* Other channels of the device moving: starved by priority, so wait on. */
		if (__atomic_load_n(&c->dev->stress_fired, __ATOMIC_RELAXED) != dev_fired) {
			dev_fired = __atomic_load_n(&c->dev->stress_fired, __ATOMIC_RELAXED);
			until = conf_now_ms() + CONF_TIMEOUT_MS;
		}
		if (!term_wanted && __atomic_exchange_n(&c->term_req, 0, __ATOMIC_ACQ_REL))
			term_wanted = true;
		if (term_wanted && __atomic_load_n(&b->fired, __ATOMIC_ACQUIRE) >= term_after) {
			c->state = ST_S_TERM;
			if (!st_terminate(c))
				return false;
			terminated = true;
			break;
		}
		if (!wait_for_completion_timeout(&b->done, 5) && conf_now_ms() > until) {
			conf_async_err("stress %s: batch stuck: %u of %u callbacks after %u ms", name,
				       __atomic_load_n(&b->fired, __ATOMIC_ACQUIRE), b->n,
				       CONF_TIMEOUT_MS);
			return false;
		}
	}
	__atomic_store_n(&b->closed, 1, __ATOMIC_RELEASE);
	c->state = ST_S_CHECK;
	return st_check(c, b, terminated, pos);
}

static void st_client_main(void *arg)
{
	struct st_client *c = arg;

	while (c->ops < c->target) {
		if (conf_now_ms() > st_deadline) {
			conf_async_err("stress %s: deadline passed after %u of %u operations",
				       dma_chan_name(c->chan), c->ops, c->target);
			break;
		}
		if (!st_batch_run(c))
			break;
	}
	/* Leave the channel idle: nothing of ours in flight any more. */
	if (dmaengine_terminate_sync(c->chan))
		conf_async_err("stress %s: final terminate_sync failed", dma_chan_name(c->chan));
	c->state = ST_S_DONE;
	__atomic_store_n(&c->finished, 1, __ATOMIC_RELEASE);
	if (__atomic_sub_fetch(&st_left, 1, __ATOMIC_ACQ_REL) == 0)
		complete(&st_all_done);
}

static void st_chaos_main(void *arg)
{
	struct st_chaos *ch = arg;
	bool can_pause = true;

	while (!__atomic_load_n(&st_stop, __ATOMIC_ACQUIRE)) {
		struct st_client *c = ch->cls[conf_rand(&ch->rng) % ch->ncl];
		u64 r = conf_rand(&ch->rng) % 100;

		if (__atomic_load_n(&c->finished, __ATOMIC_ACQUIRE)) {
			conf_sleep_us(100);
			continue;
		}
		if (r < 40 && can_pause) {
			int ret = dmaengine_pause(c->chan);

			if (ret == -ENOSYS) {
				can_pause = false;
			} else if (ret && ret == ch->idle_pause) {
				/* This device refuses to pause an idle channel: it may be idle. */
				ch->pause_refused++;
			} else if (ret) {
				conf_async_err("stress chaos %s: dmaengine_pause: %d",
					       dma_chan_name(c->chan), ret);
			} else {
				ch->pauses++;
				conf_sleep_us((unsigned int)conf_rand_range(&ch->rng, 0, 300));
				ret = dmaengine_resume(c->chan);
				/* -EPERM: the client terminated meanwhile, which unpauses. */
				if (ret == -EPERM)
					ch->resume_eperm++;
				else if (ret)
					conf_async_err("stress chaos %s: dmaengine_resume: %d",
						       dma_chan_name(c->chan), ret);
			}
		} else if (r < 70) {
			__atomic_store_n(&c->term_req, 1, __ATOMIC_RELEASE);
			ch->term_reqs++;
		}
		conf_sleep_us((unsigned int)conf_rand_range(&ch->rng, 0, 400));
	}
}

static bool filter_exact(struct dma_chan *chan, void *param)
{
	return chan == param;
}

static u32 st_ops_per_chan(void)
{
	const char *e = getenv("CONF_STRESS_OPS");

	if (e && *e)
		return (u32)strtoul(e, NULL, 0);
	return 10000u / CONF_SLOW;
}

void conf_stress_run(void **state)
{
	struct conf_case scc = { 0 };
	struct st_client *cls[CONF_MAX_DEVS * CONF_MAX_CHANS];
	struct st_chaos chaos[CONF_MAX_DEVS];
	u32 ncl = 0, ops = st_ops_per_chan();
	unsigned int errs0 = conf_async_errors();
	u64 t0 = conf_now_ms();
	u32 total_completed = 0, total_aborted = 0, total_terms = 0, total_pauses = 0;

	(void)state;
	scc.rng = conf_seed ^ 0x51ed270b27a3ull;
	__atomic_store_n(&st_stop, 0, __ATOMIC_RELAXED);
	init_completion(&st_all_done);
	st_deadline = t0 + ST_DEADLINE_MS;

	for (unsigned int i = 0; i < conf_ndevs; i++) {
		struct conf_dev *cd = &conf_devs[i];

		memset(&chaos[i], 0, sizeof(chaos[i]));
		chaos[i].dev = cd;
		chaos[i].rng = conf_rand(&scc.rng) | 1;
		chaos[i].cls = &cls[ncl];
		for (unsigned int k = 0; k < cd->nchans; k++) {
			struct st_client *c = conf_zalloc(&scc, sizeof(*c));
			size_t a;

			c->dev = cd;
			c->chan = __dma_request_channel(NULL, filter_exact, cd->chans[k], NULL);
			if (!c->chan)
				fail_msg("stress: could not get %s", dma_chan_name(cd->chans[k]));
			c->rng = conf_rand(&scc.rng) | 1;
			/* A board device's copies take board time: its share, as for the long tests. */
			c->target = cd->slow > 1 ? ops / cd->slow + 64 : ops;
			c->align_copy = conf_copy_align(c->chan);
			c->align_fill = conf_fill_align(c->chan);
			for (int kd = 0; kd < ST_NKINDS; kd++)
				if (conf_has(c->chan, st_cap[kd]))
					c->kinds[c->nkinds++] = kd;
			if (!c->nkinds)
				fail_msg("stress: %s has no operation the stress test knows",
					 dma_chan_name(c->chan));
			/*
			 * Streaming, both ways: the source is checked through the device's
			 * view. Misaligned by a multiple of what the channel needs.
			 */
			a = c->align_copy > c->align_fill ? c->align_copy : c->align_fill;
			c->src = conf_gbuf_mem(&scc, c->chan, CONF_MEM_BIDI, ST_ARENA,
					       (size_t)conf_rand(&scc.rng) % 64 / a * a);
			c->dst = conf_gbuf_mem(&scc, c->chan, CONF_MEM_BIDI, ST_ARENA,
					       (size_t)conf_rand(&scc.rng) % 64 / a * a);
			conf_fill_src(c->src, conf_rand(&scc.rng));
			conf_fill_old(&scc, c->dst, conf_rand(&scc.rng));
			c->src_pristine = conf_alloc(&scc, ST_ARENA);
			memcpy(c->src_pristine, c->src->p, ST_ARENA);
			for (int r = 0; r < ST_RING; r++)
				init_completion(&c->ring[r].done);
			cls[ncl++] = c;
			chaos[i].ncl++;
		}
		/* Does this device pause an idle channel? (Then it must always pause.) */
		if (chaos[i].ncl) {
			struct dma_chan *ch0 = chaos[i].cls[0]->chan;

			chaos[i].idle_pause = dmaengine_pause(ch0);
			if (!chaos[i].idle_pause)
				assert_int_equal(dmaengine_resume(ch0), 0);
		}
	}
	printf("    stress: %u channels on %u devices, %u operations each (a board's channels their share)\n", ncl,
	       conf_ndevs, ops);
	__atomic_store_n(&st_left, ncl, __ATOMIC_RELEASE);
	for (u32 i = 0; i < ncl; i++) {
		char name[24];

		snprintf(name, sizeof(name), "stress%u", i % 1000u);
		if (dmae_thread_create(&cls[i]->th, st_client_main, cls[i], name))
			fail_msg("stress: could not start a client thread");
	}
	for (unsigned int i = 0; i < conf_ndevs; i++)
		if (chaos[i].ncl && dmae_thread_create(&chaos[i].th, st_chaos_main, &chaos[i], "chaos"))
			fail_msg("stress: could not start a chaos thread");

	if (!wait_for_completion_timeout(&st_all_done,
					 msecs_to_jiffies(ST_DEADLINE_MS + CONF_TIMEOUT_MS * 2))) {
		fprintf(stderr, "stress: global deadline of %u ms exceeded: deadlock or livelock\n",
			ST_DEADLINE_MS);
		for (u32 i = 0; i < ncl; i++)
			fprintf(stderr, "  %s (%s): finished %u, state %u, %u/%u ops, %u batches, %u terminates\n",
				dma_chan_name(cls[i]->chan), cls[i]->dev->label, cls[i]->finished,
				cls[i]->state, cls[i]->ops, cls[i]->target, cls[i]->batches,
				cls[i]->terminates);
		fflush(stdout);
		fflush(stderr);
		/* Threads are stuck inside the library with our buffers: no clean way on. */
		_exit(2);
	}
	__atomic_store_n(&st_stop, 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < conf_ndevs; i++)
		if (chaos[i].th)
			dmae_thread_join(chaos[i].th);
	for (u32 i = 0; i < ncl; i++) {
		struct st_client *c = cls[i];

		dmae_thread_join(c->th);
		printf("    stress %s (%s): %u ops in %u batches: %u completed, %u aborted, %u terminates\n",
		       dma_chan_name(c->chan), c->dev->label, c->ops, c->batches, c->completed,
		       c->aborted, c->terminates);
		total_completed += c->completed;
		total_aborted += c->aborted;
		total_terms += c->terminates;
		dma_release_channel(c->chan);
	}
	for (unsigned int i = 0; i < conf_ndevs; i++) {
		printf("    stress chaos %s: %u pauses (%u refused, %u resumes found the channel unpaused), %u terminate requests\n",
		       conf_devs[i].label, chaos[i].pauses, chaos[i].pause_refused,
		       chaos[i].resume_eperm, chaos[i].term_reqs);
		total_pauses += chaos[i].pauses;
	}
	printf("    stress: %u completed, %u aborted, %u terminates, %u pauses in %llu ms\n",
	       total_completed, total_aborted, total_terms, total_pauses,
	       (unsigned long long)(conf_now_ms() - t0));
	conf_free_all(&scc);
	conf_check_async(errs0);
	assert_true(total_completed > 0);
	if (ops >= 100)
		assert_true(total_terms > 0);
}
