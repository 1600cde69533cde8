// SPDX-License-Identifier: MIT
/*
 * conf_control.c - channel control: terminate (sync, from a callback, then
 * new work), synchronize guarantees, pause/resume without loss, residue.
 */
#include "conformance.h"

#define FLAGS (DMA_PREP_INTERRUPT | DMA_CTRL_ACK)

/* Bytes of long transfers: smaller under sanitizers. */
#define LONG_LEN ((size_t)(64u << 20) / (CONF_TSAN ? 4 : 1))

/*
 * After a terminate: each copy whose callback fired is exactly right, every
 * other one holds old or new bytes only; copies never prepared are untouched.
 */
static void check_after_terminate(struct conf_track *t, struct cp_set *s, u32 prepared,
				  const char *what)
{
	conf_cpu(s->dst);
	for (u32 i = 0; i < s->n; i++) {
		struct cp_op *o = &s->op[i];
		const u8 *got = s->dst->p + o->doff;
		long d;

		if (i < prepared && conf_track_fired(t, i))
			d = conf_diff(got, s->exp + o->doff, o->len);
		else if (i < prepared)
			d = conf_old_or_new(got, s->dst->old + o->doff, s->exp + o->doff, o->len);
		else
			d = conf_diff(got, s->dst->old + o->doff, o->len);
		if (d >= 0)
			fail_msg("%s: copy #%u (%s, callback %s): byte %ld is 0x%02x (old 0x%02x, new 0x%02x)",
				 what, i, i < prepared ? "submitted" : "never prepared",
				 conf_track_fired(t, i) ? "fired" : "not fired", d, got[d],
				 s->dst->old[o->doff + d], s->exp[o->doff + d]);
	}
	/* Bytes between the copies: untouched. */
	for (u32 i = 0; i <= s->n; i++) {
		size_t from = i ? s->op[i - 1].doff + s->op[i - 1].len : 0;
		size_t to = i < s->n ? s->op[i].doff : s->dst->len;
		long d = conf_diff(s->dst->p + from, s->dst->old + from, to - from);

		if (d >= 0)
			fail_msg("%s: byte %zu between copies written", what, from + (size_t)d);
	}
	if (!conf_guards_ok(s->dst))
		fail_msg("%s: guard zone overwritten", what);
}

/* Prep and submit as many of @s's copies as the pool gives (no waiting). */
static u32 submit_what_fits(struct dma_chan *chan, struct cp_set *s, struct conf_track *t)
{
	u32 i;

	for (i = 0; i < s->n; i++) {
		struct dma_async_tx_descriptor *tx = conf_cp_prep(chan, s, i, FLAGS);

		if (!tx)
			break;
		conf_track_set(t, tx, i);
		t->cookie[i] = conf_submit(tx);
	}
	if (!i)
		fail_msg("could not prepare a single copy");
	return i;
}

/* One copy after a terminate: a fresh cookie, completes, right data. */
static void works_again(struct conf_case *cc, dma_cookie_t last, const char *what)
{
	struct dma_chan *chan = cc->chan;
	struct cp_set *s = conf_cp_set(cc, chan, 3, 1, 20000, true);
	struct conf_track *t = conf_track_new(cc, chan, 3);

	t->check_status = true;
	conf_cp_submit_all(chan, s, t, FLAGS);
	if (last && !conf_cookie_after(t->cookie[0], last))
		fail_msg("%s: cookie %d handed out after cookie %d", what, t->cookie[0], last);
	if (!conf_track_wait(t))
		fail_msg("%s: only %u of 3 callbacks", what, conf_track_count(t));
	conf_assert_image(s->dst, s->exp, what);
	if (conf_in_order(chan))
		assert_int_equal(dmaengine_tx_status(chan, t->cookie[2], NULL), DMA_COMPLETE);
}

/* 4a. terminate_sync of 500 queued 64 KiB copies. */
void t_terminate_sync(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	/* Coherent: 2 x 32 MiB on a host device, more than the bounce pool of a
	 * non-coherent one (a board's controller: 1/32 of it). */
	size_t each = conf_big(cc, 65536, 2048);
	struct cp_set *s = conf_cp_set(cc, chan, 500, each, each, false);
	struct conf_track *t = conf_track_new(cc, chan, s->n);
	u32 prepared, c0;

	t->check_status = true;
	prepared = submit_what_fits(chan, s, t);
	dma_async_issue_pending(chan);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	c0 = conf_track_count(t);
	conf_track_close(t);
	assert_int_equal(__atomic_load_n(&t->inside, __ATOMIC_ACQUIRE), 0);
	conf_sleep_ms(CONF_QUIET_MS);
	if (conf_track_count(t) != c0)
		fail_msg("%u callbacks after dmaengine_terminate_sync returned", conf_track_count(t) - c0);
	printf("    %s: %u of %u copies completed before terminate_sync\n", dma_chan_name(chan), c0,
	       prepared);
	if (conf_in_order(chan))
		for (u32 i = 0; i < prepared; i++)
			if (conf_track_fired(t, i) != (i < c0))
				fail_msg("in order: callbacks fired are not the first %u (copy #%u: %u)", c0,
					 i, conf_track_fired(t, i));
	check_after_terminate(t, s, prepared, "terminate_sync");
	works_again(cc, t->cookie[prepared - 1], "copies after terminate_sync");
	/* terminate_sync of an idle channel is fine too. */
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	works_again(cc, 0, "copies after terminating an idle channel");
}

/* 4b. terminate_async from inside a callback. */
void t_terminate_in_callback(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	const u32 at = 10;
	struct cp_set *s = conf_cp_set(cc, chan, 60, 16384, 16384, true);
	struct conf_track *t = conf_track_new(cc, chan, s->n);
	u32 prepared, c0;

	t->terminate_at = (int)at;
	/* A slow callback before it: the next ones complete meanwhile and reach
	 * the completion context together with the terminating one. */
	t->slow_at = (int)at - 1;
	t->slow_ns = 5000000;
	t->check_status = true;
	prepared = submit_what_fits(chan, s, t);
	if (prepared <= at)
		fail_msg("only %u descriptors: need more than %u", prepared, at);
	dma_async_issue_pending(chan);
	if (!wait_for_completion_timeout(&t->term_done, msecs_to_jiffies(CONF_TIMEOUT_MS)))
		fail_msg("the callback of copy #%u never ran (%u callbacks)", at, conf_track_count(t));
	assert_int_equal(t->term_ret, 0);
	if (t->sync_ret != -EDEADLK)
		fail_msg("dmaengine_synchronize from a callback returned %d, expected -EDEADLK",
			 t->sync_ret);
	if (t->term_sync_ret != -EDEADLK)
		fail_msg("dmaengine_terminate_sync from a callback returned %d, expected -EDEADLK",
			 t->term_sync_ret);
	assert_int_equal(dmaengine_synchronize(chan), 0);
	c0 = conf_track_count(t);
	conf_track_close(t);
	assert_int_equal(__atomic_load_n(&t->inside, __ATOMIC_ACQUIRE), 0);
	conf_sleep_ms(CONF_QUIET_MS);
	if (conf_track_count(t) != c0)
		fail_msg("%u callbacks after dmaengine_synchronize", conf_track_count(t) - c0);
	assert_int_equal(conf_track_fired(t, at), 1);
	if (conf_in_order(chan)) {
		u32 late = __atomic_load_n(&t->after_term, __ATOMIC_ACQUIRE);

		if (late)
			fail_msg("%u callback(s) ran after terminate_async in the callback of #%u", late,
				 at);
		for (u32 i = 0; i < prepared; i++)
			if (conf_track_fired(t, i) != (i <= at))
				fail_msg("copy #%u: %u callbacks (terminated in #%u's callback)", i,
					 conf_track_fired(t, i), at);
		assert_int_equal(c0, at + 1);
	}
	check_after_terminate(t, s, prepared, "terminate_async in a callback");
	works_again(cc, t->cookie[prepared - 1], "copies after terminate in a callback");
}

/* 5. After terminate_async + synchronize nothing writes and no callback runs. */
void t_synchronize(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	/* Coherent: 2 x 25 MiB on a host device, most of the bounce pool of a
	 * non-coherent one (a board's controller: 1/32 of it). */
	size_t each = conf_big(cc, 262144 / CONF_SLOW, 4096);
	struct cp_set *s = conf_cp_set(cc, chan, 100, each, each,
				       false);
	struct conf_track *t = conf_track_new(cc, chan, s->n);
	u32 prepared, c0;

	t->spin_ns = 300000; /* long callbacks: synchronize must wait for a running one */
	prepared = submit_what_fits(chan, s, t);
	dma_async_issue_pending(chan);
	if (!CONF_WAIT_UNTIL(conf_track_count(t) >= 1, CONF_TIMEOUT_MS))
		fail_msg("no callback within %u ms", CONF_TIMEOUT_MS);
	assert_int_equal(dmaengine_terminate_async(chan), 0);
	assert_int_equal(dmaengine_synchronize(chan), 0);
	if (__atomic_load_n(&t->inside, __ATOMIC_ACQUIRE))
		fail_msg("a callback is still running after dmaengine_synchronize returned");
	c0 = conf_track_count(t);
	conf_track_close(t);
	/* Everything the client gave the engine is the client's again: reuse it. */
	memset(conf_cpu(s->dst), 0x5a, s->dst->len);
	conf_dev(s->dst);
	conf_sleep_ms(CONF_QUIET_MS * 2);
	{
		long d = conf_diff_byte(conf_cpu(s->dst), 0x5a, s->dst->len);

		if (d >= 0)
			fail_msg("byte %ld of the destinations written after dmaengine_synchronize", d);
	}
	if (conf_track_count(t) != c0)
		fail_msg("%u callbacks after dmaengine_synchronize", conf_track_count(t) - c0);
	assert_true(conf_guards_ok(s->dst));
	printf("    %s: %u of %u copies completed before terminate\n", dma_chan_name(chan), c0,
	       prepared);
	works_again(cc, t->cookie[prepared - 1], "copies after synchronize");
}

/* ------------------------------------------------------------ pause, residue */

/*
 * The device's pause support: false (and checks resume agrees) when absent.
 * *@idle_ok tells whether pausing an idle channel works (it must then resume,
 * and a second resume is -EPERM); providers may refuse to pause an idle
 * channel, which the reference leaves open.
 */
static bool pause_supported(struct dma_chan *chan, bool *idle_ok)
{
	int r = dmaengine_pause(chan);

	*idle_ok = false;
	if (r == -ENOSYS) {
		assert_int_equal(dmaengine_resume(chan), -ENOSYS);
		return false;
	}
	if (r) {
		printf("    %s: dmaengine_pause of an idle channel: %d (refused)\n",
		       dma_chan_name(chan), r);
		if (dmaengine_resume(chan) != -EPERM)
			fail_msg("dmaengine_resume of a channel whose pause was refused did not return -EPERM");
		return true;
	}
	*idle_ok = true;
	assert_int_equal(dmaengine_resume(chan), 0);
	if (dmaengine_resume(chan) != -EPERM)
		fail_msg("dmaengine_resume of a channel that is not paused did not return -EPERM");
	return true;
}

/*
 * Pause a running single copy of @len bytes and check the rules.
 * Returns false if the copy finished before the pause took hold.
 */
/* The residue of @cookie says some of its @len bytes moved. */
static bool started(struct dma_chan *chan, dma_cookie_t cookie, size_t len)
{
	struct dma_tx_state st = { .residue = (u32)len };
	enum dma_status s = dmaengine_tx_status(chan, cookie, &st);

	return s == DMA_COMPLETE || st.residue < len;
}

static bool pause_once(struct conf_case *cc, struct gbuf *src, struct gbuf *dst, size_t len,
		       u8 *snap)
{
	struct dma_chan *chan = cc->chan;
	struct conf_track *t = conf_track_new(cc, chan, 1);
	enum dma_residue_granularity gran = chan->device->residue_granularity;
	struct dma_async_tx_descriptor *tx;
	struct dma_tx_state st1, st2;
	enum dma_status s1, s2;
	dma_cookie_t cookie;
	long d;
	int r;

	conf_restore(dst, 0, dst->len);
	conf_dev(src);
	conf_dev(dst);
	tx = CONF_PREP(dmaengine_prep_dma_memcpy(chan, conf_bus(dst, 0), conf_bus(src, 0), len,
						 FLAGS));
	conf_track_set(t, tx, 0);
	cookie = t->cookie[0] = conf_submit(tx);
	dma_async_issue_pending(chan);
	/* Wait until it runs (the first byte is written, or the residue says it
	 * started: polling it is how a board's controller is watched, each read of
	 * its registers moving the board's clock on), then pause. */
	if (!CONF_WAIT_UNTIL(conf_peek_byte(dst->p) == src->p[0] ||
			     (conf_in_order(chan) && gran == DMA_RESIDUE_GRANULARITY_BURST &&
			      started(chan, cookie, len)),
			     CONF_TIMEOUT_MS))
		fail_msg("the copy did not start within %u ms", CONF_TIMEOUT_MS);
	r = dmaengine_pause(chan);
	if (r == -EPERM && conf_track_wait(t)) {
		/* Refused: the channel went idle first (the copy is done). */
		assert_int_equal(dmaengine_synchronize(chan), 0);
		return false;
	}
	assert_int_equal(r, 0);
	memset(&st1, 0xff, sizeof(st1));
	s1 = dmaengine_tx_status(chan, cookie, &st1);
	if (s1 == DMA_COMPLETE || conf_track_count(t)) {
		assert_int_equal(dmaengine_resume(chan), 0);
		if (!conf_track_wait(t))
			fail_msg("copy finished but no callback");
		assert_int_equal(dmaengine_synchronize(chan), 0);
		return false;
	}
	if (conf_in_order(chan)) {
		if (s1 != DMA_PAUSED)
			fail_msg("tx_status of the running cookie while paused: %d, expected DMA_PAUSED",
				 s1);
		if (!st1.residue || st1.residue > len)
			fail_msg("residue while paused: %u (length %zu)", st1.residue, len);
		if (gran != DMA_RESIDUE_GRANULARITY_DESCRIPTOR) {
			size_t done = len - st1.residue;

			d = conf_diff(dst->p, src->p, done);
			if (d >= 0)
				fail_msg("paused with residue %u: byte %ld (before len - residue = %zu) not written",
					 st1.residue, d, done);
			if (gran == DMA_RESIDUE_GRANULARITY_BURST) {
				d = conf_diff(dst->p + done, dst->old + done, len - done);
				if (d >= 0)
					fail_msg("paused with residue %u: byte %zu (beyond len - residue = %zu) already written",
						 st1.residue, done + (size_t)d, done);
			}
		}
		printf("    %s: paused at %zu of %zu bytes\n", dma_chan_name(chan),
		       len - st1.residue, len);
	} else if (s1 != DMA_OUT_OF_ORDER) {
		fail_msg("tx_status on a COMPLETION_NO_ORDER channel: %d", s1);
	}
	/* Nothing moves while paused. */
	memcpy(snap, dst->p, len);
	conf_sleep_ms(CONF_QUIET_MS);
	memset(&st2, 0xff, sizeof(st2));
	s2 = dmaengine_tx_status(chan, cookie, &st2);
	assert_int_equal(s2, s1);
	if (conf_in_order(chan) && st2.residue != st1.residue)
		fail_msg("residue changed while paused: %u -> %u", st1.residue, st2.residue);
	d = conf_diff(dst->p, snap, len);
	if (d >= 0)
		fail_msg("byte %ld written while the channel was paused", d);
	assert_int_equal(conf_track_count(t), 0);

	/* Resume, pause again at once: residue never grows. */
	assert_int_equal(dmaengine_resume(chan), 0);
	assert_int_equal(dmaengine_pause(chan), 0);
	memset(&st2, 0xff, sizeof(st2));
	s2 = dmaengine_tx_status(chan, cookie, &st2);
	if (conf_in_order(chan) && s2 != DMA_COMPLETE && st2.residue > st1.residue)
		fail_msg("residue grew across resume/pause: %u -> %u", st1.residue, st2.residue);
	assert_int_equal(dmaengine_resume(chan), 0);

	if (!conf_track_wait(t))
		fail_msg("the paused and resumed copy never completed");
	d = conf_diff(dst->p, src->p, len);
	if (d >= 0)
		fail_msg("after pause/resume byte %ld is 0x%02x, expected 0x%02x: data lost", d,
			 dst->p[d], src->p[d]);
	assert_true(conf_guards_ok(dst));
	if (conf_in_order(chan))
		assert_int_equal(dmaengine_tx_status(chan, cookie, NULL), DMA_COMPLETE);
	return true;
}

/* 6. pause/resume without loss, DMA_PAUSED and residue while paused. */
void t_pause_resume(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	size_t len = conf_big(cc, LONG_LEN, 1u << 20);
	struct dma_async_tx_descriptor *tx;
	struct gbuf *src, *dst;
	u8 *snap;
	int tries;
	bool idle_ok;

	if (!pause_supported(chan, &idle_ok)) {
		printf("    %s: no pause support (-ENOSYS): skipped\n", dma_chan_name(chan));
		skip();
	}
	/* The longest single copy the device takes, up to LONG_LEN. */
	src = conf_gbuf(cc, len, 0);
	dst = conf_gbuf(cc, len, 0);
	for (;;) {
		tx = dmaengine_prep_dma_memcpy(chan, conf_bus(dst, 0), conf_bus(src, 0), len, FLAGS);
		if (tx || len <= (1u << 20))
			break;
		len /= 2;
	}
	assert_non_null(tx);
	/* Never issued: terminating gives it back. */
	conf_submit(tx);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	if (len != src->len) {
		src = conf_gbuf(cc, len, 0);
		dst = conf_gbuf(cc, len, 0);
	}
	snap = conf_alloc(cc, len);
	conf_fill_src(src, conf_rand(&cc->rng));
	conf_fill_old(cc, dst, conf_rand(&cc->rng));
	for (tries = 0; tries < 6; tries++)
		if (pause_once(cc, src, dst, len, snap))
			break;
	if (tries == 6) {
		/* This thread never got the CPU while the copy ran (a loaded machine). */
		printf("    %s: a %zu-byte copy always finished before dmaengine_pause took hold: skipped\n",
		       dma_chan_name(chan), len);
		skip();
	}
	if (dmaengine_resume(chan) != -EPERM)
		fail_msg("dmaengine_resume of a channel that is not paused did not return -EPERM");
}

/* Busy-wait (keeping the CPU) until *@p is no longer @old, at most @us microseconds. */
static void spin_until_changed(const u8 *p, u8 old, u64 us)
{
	u64 end = dmae_clock_ns() + us * 1000ull;

	while (conf_peek_byte(p) == old && dmae_clock_ns() < end)
		cpu_relax();
}

struct sg_case {
	struct gbuf *src, *dst;	/* coherent: watched while the engine runs */
	struct scatterlist *dsg, *ssg;
	size_t *doff, *soff;	/* where each entry is in dst / src */
	u32 n;		/* entries of each list */
	size_t total;	/* bytes */
	u8 *exp;	/* expected destination */
	u8 *snap;	/* snapshot while paused */
};

/*
 * One attempt: issue while paused (nothing may run), let it run until its
 * first byte lands, pause, and check residue against memory.
 * Returns false when the copy completed before the pause took hold (this
 * thread lost its CPU meanwhile: nothing to see mid-way).
 */
static bool sg_pause_attempt(struct conf_case *cc, struct sg_case *k, int attempt)
{
	struct dma_chan *chan = cc->chan;
	enum dma_residue_granularity gran = chan->device->residue_granularity;
	struct gbuf *dst = k->dst;
	size_t first = k->doff[0];
	struct dma_async_tx_descriptor *tx;
	struct conf_track *t;
	struct dma_tx_state st1, st2;
	enum dma_status s1;
	dma_cookie_t cookie;
	u64 window = 1000;
	size_t done;
	u32 win;

	conf_restore(dst, 0, dst->len);
	conf_dev(k->src);
	conf_dev(dst);
	tx = CONF_PREP(dmaengine_prep_dma_memcpy_sg(chan, k->dsg, k->n, k->ssg, k->n, FLAGS));

	/* Issued while paused: nothing runs. */
	assert_int_equal(dmaengine_pause(chan), 0);
	t = conf_track_new(cc, chan, 1);
	conf_track_set(t, tx, 0);
	cookie = t->cookie[0] = conf_submit(tx);
	dma_async_issue_pending(chan);
	if (!attempt) {
		conf_sleep_ms(CONF_QUIET_MS);
		memset(&st1, 0xff, sizeof(st1));
		assert_int_equal(dmaengine_tx_status(chan, cookie, &st1), DMA_PAUSED);
		if (st1.residue != k->total)
			fail_msg("issued while paused: residue %u, expected the full %zu", st1.residue,
				 k->total);
		if (conf_diff(dst->p, dst->old, dst->len) >= 0)
			fail_msg("a transfer issued on a paused channel wrote memory");
		assert_int_equal(conf_track_count(t), 0);
	}

	/* Let it run until its first byte lands, then pause (mid-way, given its size). */
	for (win = 0;; win++) {
		assert_int_equal(dmaengine_resume(chan), 0);
		/* Two ways, as the scheduler may run the engine on this very CPU: */
		if (attempt % 2 == 0)	/* keep the CPU, pause when the first byte lands */
			spin_until_changed(dst->p + first, dst->old[first], window);
		else			/* give the CPU away a short while */
			conf_sleep_us((unsigned int)conf_rand_range(&cc->rng, 1,
								    20u << (win < 6 ? win : 6)));
		assert_int_equal(dmaengine_pause(chan), 0);
		memset(&st1, 0xff, sizeof(st1));
		s1 = dmaengine_tx_status(chan, cookie, &st1);
		if (s1 == DMA_COMPLETE || conf_track_count(t)) {
			assert_int_equal(dmaengine_resume(chan), 0);
			if (!conf_track_wait(t))
				fail_msg("completed, but no callback");
			assert_int_equal(dmaengine_synchronize(chan), 0);
			conf_assert_image(dst, k->exp, "scatter-gather copy");
			return false;
		}
		if (dst->p[first] != dst->old[first])
			break;
		if (win > 50)
			fail_msg("the copy made no progress in %u run windows", win);
		window *= 2;
	}
	if (s1 != DMA_PAUSED)
		fail_msg("tx_status while paused: %d, expected DMA_PAUSED", s1);
	if (!st1.residue || st1.residue > k->total)
		fail_msg("residue while paused: %u of %zu", st1.residue, k->total);
	done = k->total - st1.residue;
	printf("    %s: %u segments, paused at %zu of %zu bytes (residue), attempt %d\n",
	       dma_chan_name(chan), k->n, done, k->total, attempt + 1);
	/* Walk the destination stream: [0, done) written, [done, total) not (BURST). */
	{
		size_t so = 0;

		for (u32 i = 0; i < k->n; i++) {
			size_t off = k->doff[i];
			size_t len = sg_dma_len(&k->dsg[i]);
			size_t w = so >= done ? 0 : done - so > len ? len : done - so;
			long d;

			if (gran != DMA_RESIDUE_GRANULARITY_DESCRIPTOR &&
			    (d = conf_diff(dst->p + off, k->exp + off, w)) >= 0)
				fail_msg("residue %u says %zu bytes are written, but byte %zu of the stream is not",
					 st1.residue, done, so + (size_t)d);
			if (gran == DMA_RESIDUE_GRANULARITY_BURST &&
			    (d = conf_diff(dst->p + off + w, dst->old + off + w, len - w)) >= 0) {
				size_t real = so;

				/* How far the data really is, for the report. */
				for (u32 j = i; j < k->n; j++) {
					size_t o2 = k->doff[j];

					if (dst->p[o2] == dst->old[o2])
						break;
					real += sg_dma_len(&k->dsg[j]);
				}
				fail_msg("BURST granularity, paused: residue %u says %zu of %zu bytes are written, but byte %zu of the stream is written too (segment %u of %u; about %zu bytes really written)",
					 st1.residue, done, k->total, so + w + (size_t)d, i, k->n, real);
			}
			so += len;
		}
	}
	memcpy(k->snap, dst->p, dst->len);
	conf_sleep_ms(CONF_QUIET_MS);
	memset(&st2, 0xff, sizeof(st2));
	assert_int_equal(dmaengine_tx_status(chan, cookie, &st2), DMA_PAUSED);
	assert_int_equal(st2.residue, st1.residue);
	assert_true(conf_diff(dst->p, k->snap, dst->len) < 0);
	assert_int_equal(dmaengine_resume(chan), 0);
	if (!conf_track_wait(t))
		fail_msg("the paused scatter-gather copy never completed");
	conf_assert_image(dst, k->exp, "paused and resumed scatter-gather copy");
	return true;
}

/*
 * Scatter-gather with small segments (below any chunk of the engine), paused
 * mid-way: residue and memory must agree, nothing moves while paused.
 */
void t_pause_residue_sg(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	struct dma_async_tx_descriptor *tx = NULL;
	struct sg_case k;
	int attempt;
	bool idle_ok;

	if (!pause_supported(chan, &idle_ok)) {
		printf("    %s: no pause support (-ENOSYS): skipped\n", dma_chan_name(chan));
		skip();
	}
	if (!idle_ok) {
		printf("    %s: cannot pause an idle channel (issue while paused): skipped\n",
		       dma_chan_name(chan));
		skip();
	}
	if (!conf_in_order(chan)) {
		printf("    %s: residue is not tracked on COMPLETION_NO_ORDER channels: skipped\n",
		       dma_chan_name(chan));
		skip();
	}
	memset(&k, 0, sizeof(k));
	k.src = conf_gbuf(cc, 4096u * 3000, 0);
	k.dst = conf_gbuf(cc, 4096u * 3100, 0);
	k.snap = conf_alloc(cc, k.dst->len);
	k.dsg = conf_zalloc(cc, sizeof(*k.dsg) * 4096);
	k.ssg = conf_zalloc(cc, sizeof(*k.ssg) * 4096);
	k.doff = conf_zalloc(cc, sizeof(*k.doff) * 4096);
	k.soff = conf_zalloc(cc, sizeof(*k.soff) * 4096);
	conf_fill_src(k.src, conf_rand(&cc->rng));
	conf_fill_old(cc, k.dst, conf_rand(&cc->rng));

	/* As many segments as the device takes in one descriptor (down to 16). */
	for (k.n = 4096; k.n >= 16; k.n /= 2) {
		size_t spos = 0, dpos = 0;

		sg_init_table(k.dsg, k.n);
		sg_init_table(k.ssg, k.n);
		k.total = 0;
		for (u32 i = 0; i < k.n; i++) {
			size_t len = (size_t)conf_rand_range(&cc->rng, 500, 3000);

			dpos += (size_t)conf_rand_range(&cc->rng, 0, 64);
			k.soff[i] = spos;
			k.doff[i] = dpos;
			sg_dma_address(&k.ssg[i]) = conf_bus(k.src, spos);
			sg_dma_len(&k.ssg[i]) = (unsigned int)len;
			sg_dma_address(&k.dsg[i]) = conf_bus(k.dst, dpos);
			sg_dma_len(&k.dsg[i]) = (unsigned int)len;
			spos += len;
			dpos += len;
			k.total += len;
		}
		tx = dmaengine_prep_dma_memcpy_sg(chan, k.dsg, k.n, k.ssg, k.n, FLAGS);
		if (tx)
			break;
	}
	if (!tx)
		fail_msg("dmaengine_prep_dma_memcpy_sg of 16 segments returned NULL");
	/* Never issued: terminating gives it back. */
	conf_submit(tx);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	k.exp = conf_expect(cc, k.dst);
	for (u32 i = 0; i < k.n; i++)
		memcpy(k.exp + k.doff[i], k.src->p + k.soff[i], sg_dma_len(&k.dsg[i]));
	for (attempt = 0; attempt < 30; attempt++)
		if (sg_pause_attempt(cc, &k, attempt))
			return;
	printf("    %s: the copy always completed before the pause took hold (CPU contention?): skipped\n",
	       dma_chan_name(chan));
	skip();
}

/* 7. Residue: for the cookie asked, never growing, 0 when complete. */
void t_residue(struct conf_case *cc)
{
	struct dma_chan *chan = cc->chan;
	enum dma_residue_granularity gran = chan->device->residue_granularity;
	const u32 k = 8;
	size_t base = conf_big(cc, (size_t)(4u << 20) / CONF_SLOW, 65536);
	struct cp_set *s;
	struct conf_track *t;
	u32 *prev, *done, samples = 0, queued_checks = 0;
	u64 end;
	bool all = false;

	if (!conf_in_order(chan)) {
		assert_int_equal(dmaengine_tx_status(chan, 12345, NULL), DMA_OUT_OF_ORDER);
		printf("    %s: COMPLETION_NO_ORDER: residue is not tracked: skipped\n",
		       dma_chan_name(chan));
		skip();
	}
	/* Coherent: the test reads what residue says is written while it runs. */
	s = conf_cp_set(cc, chan, k, base, base + 65536, false);
	t = conf_track_new(cc, chan, k);
	prev = conf_zalloc(cc, sizeof(*prev) * k);
	done = conf_zalloc(cc, sizeof(*done) * k);
	for (u32 i = 0; i < k; i++)
		prev[i] = (u32)s->op[i].len;
	conf_cp_submit_all(chan, s, t, FLAGS);

	end = conf_now_ms() + CONF_TIMEOUT_MS;
	while (!all && conf_now_ms() < end) {
		bool later_complete = false;
		u32 last_res = UINT32_MAX;

		all = true;
		/* From the last cookie to the first: a later cookie complete means every
		 * earlier one (sampled after it) is complete too. */
		for (u32 j = k; j-- > 0;) {
			struct cp_op *o = &s->op[j];
			struct dma_tx_state st;
			enum dma_status sts;

			memset(&st, 0xff, sizeof(st));
			sts = dmaengine_tx_status(chan, t->cookie[j], &st);
			samples++;
			if (sts == DMA_COMPLETE) {
				if (st.residue)
					fail_msg("cookie %d COMPLETE with residue %u", t->cookie[j],
						 st.residue);
				done[j] = 1;
				later_complete = true;
				continue;
			}
			all = false;
			if (sts != DMA_IN_PROGRESS)
				fail_msg("cookie %d: status %d, expected IN_PROGRESS or COMPLETE",
					 t->cookie[j], sts);
			if (done[j])
				fail_msg("cookie %d was COMPLETE, now IN_PROGRESS again", t->cookie[j]);
			if (later_complete)
				fail_msg("cookie %d IN_PROGRESS although a later cookie completed before (in order)",
					 t->cookie[j]);
			if (st.residue > o->len)
				fail_msg("cookie %d: residue %u larger than its %zu bytes", t->cookie[j],
					 st.residue, o->len);
			if (gran == DMA_RESIDUE_GRANULARITY_DESCRIPTOR) {
				if (st.residue)
					fail_msg("DESCRIPTOR granularity but residue %u", st.residue);
				continue;
			}
			if (st.residue > prev[j])
				fail_msg("cookie %d: residue grew from %u to %u (of %zu)", t->cookie[j],
					 prev[j], st.residue, o->len);
			prev[j] = st.residue;
			/* What residue says is written must be written (data only grows). */
			if (st.residue < o->len) {
				size_t w = o->len - st.residue;

				if (conf_peek_byte(s->dst->p + o->doff + w - 1) !=
				    s->exp[o->doff + w - 1])
					fail_msg("cookie %d: residue %u says %zu of %zu bytes are written, but byte %zu is not",
						 t->cookie[j], st.residue, w, o->len, w - 1);
			}
			if (j == k - 1)
				last_res = st.residue;
		}
		/* The last cookie was sampled first: if the first copy is still not
		 * finished now, the last one was only queued then: full residue. */
		if (last_res != UINT32_MAX && !done[0] &&
		    conf_peek_byte(s->dst->p + s->op[0].doff + s->op[0].len - 1) !=
			    s->exp[s->op[0].doff + s->op[0].len - 1]) {
			queued_checks++;
			if (last_res != s->op[k - 1].len)
				fail_msg("queued cookie %d reports residue %u, expected its full length %zu",
					 t->cookie[k - 1], last_res, s->op[k - 1].len);
		}
	}
	if (!all)
		fail_msg("copies not complete within %u ms", CONF_TIMEOUT_MS);
	if (!conf_track_wait(t))
		fail_msg("only %u of %u callbacks", conf_track_count(t), k);
	conf_assert_image(s->dst, s->exp, "copies whose residue was polled");
	printf("    %s: %u status samples, %u while the last cookie was queued\n",
	       dma_chan_name(chan), samples, queued_checks);
}
