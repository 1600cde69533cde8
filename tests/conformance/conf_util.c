// SPDX-License-Identifier: MIT
/*
 * conf_util.c - helpers of the conformance suite: time, errors recorded by
 * other threads, guarded buffers and patterns, comparisons, the callback
 * tracker, DMA buffers and their hand-overs between the CPU and the device.
 */
#include <errno.h>
#include <sys/prctl.h>
#include <time.h>

#include "conformance.h"

/* ------------------------------------------------------------ time */

u64 conf_now_ms(void)
{
	return dmae_clock_ns() / 1000000ull;
}

void conf_sleep_us(unsigned int us)
{
	static __thread bool slack_set;

	/* Sleep what is asked, not the default 50 us of timer slack more. */
	if (!slack_set) {
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
		slack_set = true;
	}
	struct timespec ts = { us / 1000000u, (long)(us % 1000000u) * 1000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void conf_backoff(unsigned int *spins)
{
	if (++*spins < 64)
		dmae_yield();
	else
		conf_sleep_us(50);
}

/* ------------------------------------------------------------ async errors */

#define CONF_ERR_KEEP 16
static spinlock_t err_lock;
static unsigned int err_count;
static char err_msgs[CONF_ERR_KEEP][256];

void conf_async_err(const char *fmt, ...)
{
	va_list ap;
	char line[256];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	spin_lock(&err_lock);
	if (err_count < CONF_ERR_KEEP)
		memcpy(err_msgs[err_count], line, sizeof(line));
	err_count++;
	spin_unlock(&err_lock);
	fprintf(stderr, "conformance: async error: %s\n", line);
}

unsigned int conf_async_errors(void)
{
	unsigned int n;

	spin_lock(&err_lock);
	n = err_count;
	spin_unlock(&err_lock);
	return n;
}

void conf_check_async(unsigned int since)
{
	unsigned int n = conf_async_errors();
	char first[256] = "";

	if (n == since)
		return;
	spin_lock(&err_lock);
	if (since < CONF_ERR_KEEP)
		memcpy(first, err_msgs[since], sizeof(first));
	spin_unlock(&err_lock);
	fail_msg("%u error(s) reported from callbacks/threads; first: %s", n - since,
		 first[0] ? first : "(not kept)");
}

/* ------------------------------------------------------------ allocations */

/* What a case holds until its teardown. */
enum conf_res {
	CONF_RES_MEM,  /* host memory: free() */
	CONF_RES_GBUF, /* a DMA buffer: conf_buf_free() */
	CONF_RES_SG,   /* a mapped scatterlist: dma_unmap_sg() */
};

struct conf_alloc {
	struct conf_alloc *next;
	enum conf_res kind;
	void *p;		     /* the memory, the struct gbuf or the scatterlist */
	struct device *dev;	     /* SG: mapped for */
	int nents;		     /* SG: as given to dma_map_sg(), 0 once unmapped */
	enum dma_data_direction dir; /* SG: its direction */
};

static struct conf_alloc *alloc_track(struct conf_case *cc, enum conf_res kind, void *p)
{
	struct conf_alloc *a = calloc(1, sizeof(*a));

	if (!a) {
		if (kind == CONF_RES_MEM)
			free(p);
		fail_msg("out of memory");
	}
	a->kind = kind;
	a->p = p;
	a->next = cc->allocs;
	cc->allocs = a;
	return a;
}

void *conf_alloc(struct conf_case *cc, size_t size)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, size ? size : 1))
		fail_msg("out of memory (%zu bytes)", size);
	alloc_track(cc, CONF_RES_MEM, p);
	return p;
}

void *conf_zalloc(struct conf_case *cc, size_t size)
{
	void *p = conf_alloc(cc, size);

	memset(p, 0, size);
	return p;
}

static void alloc_release(struct conf_alloc *a)
{
	switch (a->kind) {
	case CONF_RES_MEM:
		free(a->p);
		break;
	case CONF_RES_GBUF:
		conf_buf_free(&((struct gbuf *)a->p)->mem);
		break;
	case CONF_RES_SG:
		if (a->nents)
			dma_unmap_sg(a->dev, a->p, a->nents, a->dir);
		break;
	}
}

void conf_free_all(struct conf_case *cc)
{
	while (cc->allocs) {
		struct conf_alloc *a = cc->allocs;

		cc->allocs = a->next;
		alloc_release(a);
		free(a);
	}
}

/* ------------------------------------------------------------ DMA memory */

static enum dma_data_direction mem_dir(enum conf_mem kind)
{
	return kind == CONF_MEM_TO_DEV ? DMA_TO_DEVICE :
	       kind == CONF_MEM_FROM_DEV ? DMA_FROM_DEVICE : DMA_BIDIRECTIONAL;
}

static const char *const mem_name[] = { "coherent", "to-device", "bidirectional",
					"from-device", "host" };

/* Map @b for its device (a streaming kind); fails the test when refused. */
static void buf_map(struct conf_buf *b)
{
	b->dma = dma_map_single(b->dev, b->cpu, b->len, mem_dir(b->kind));
	if (dma_mapping_error(b->dev, b->dma)) {
		b->dma = DMA_MAPPING_ERROR;
		fail_msg("dma_map_single(%s, %zu bytes, %s) failed", dev_name(b->dev), b->len,
			 mem_name[b->kind]);
	}
}

void conf_buf_alloc(struct conf_buf *b, struct dma_chan *chan, enum conf_mem kind, size_t len)
{
	memset(b, 0, sizeof(*b));
	b->dev = dmaengine_get_dma_device(chan);
	b->len = len ? len : 1;
	b->kind = kind;
	b->dma = DMA_MAPPING_ERROR;
	if (kind == CONF_MEM_COHERENT) {
		b->cpu = dma_alloc_coherent(b->dev, b->len, &b->dma, GFP_KERNEL);
		if (!b->cpu)
			fail_msg("dma_alloc_coherent(%s, %zu bytes) failed", dev_name(b->dev), b->len);
		return;
	}
	if (posix_memalign(&b->cpu, 4096, b->len)) {
		b->cpu = NULL;
		fail_msg("out of memory (%zu bytes)", b->len);
	}
	memset(b->cpu, 0, b->len);
	if (kind == CONF_MEM_TO_DEV || kind == CONF_MEM_BIDI) {
		buf_map(b);
		/* The CPU owns it until conf_buf_for_dev(): it may fill it first. */
		dma_sync_single_for_cpu(b->dev, b->dma, b->len, mem_dir(kind));
	}
}

void conf_buf_free(struct conf_buf *b)
{
	if (!b->cpu)
		return;
	if (b->kind == CONF_MEM_COHERENT) {
		dma_free_coherent(b->dev, b->len, b->cpu, b->dma);
	} else {
		if (b->dma != DMA_MAPPING_ERROR)
			dma_unmap_single(b->dev, b->dma, b->len, mem_dir(b->kind));
		free(b->cpu);
	}
	b->cpu = NULL;
	b->dma = DMA_MAPPING_ERROR;
}

void conf_buf_for_cpu(struct conf_buf *b)
{
	if (!b->dev_owns)
		return;
	b->dev_owns = false;
	if (b->kind == CONF_MEM_TO_DEV || b->kind == CONF_MEM_BIDI) {
		dma_sync_single_for_cpu(b->dev, b->dma, b->len, mem_dir(b->kind));
	} else if (b->kind == CONF_MEM_FROM_DEV) {
		dma_unmap_single(b->dev, b->dma, b->len, DMA_FROM_DEVICE);
		b->dma = DMA_MAPPING_ERROR;
	}
}

void conf_buf_for_dev(struct conf_buf *b)
{
	if (b->dev_owns)
		return;
	if (b->kind == CONF_MEM_HOST) {
		fprintf(stderr, "conformance: internal: a host buffer handed to the device\n");
		abort();
	}
	b->dev_owns = true;
	if (b->kind == CONF_MEM_TO_DEV || b->kind == CONF_MEM_BIDI)
		dma_sync_single_for_device(b->dev, b->dma, b->len, mem_dir(b->kind));
	else if (b->kind == CONF_MEM_FROM_DEV)
		buf_map(b);
}

dma_addr_t conf_bus(const struct gbuf *b, size_t off)
{
	if (b->mem.dma == DMA_MAPPING_ERROR || off > b->len) {
		fprintf(stderr, "conformance: internal: bus address of byte %zu of a %zu-byte %s buffer%s\n",
			off, b->len, mem_name[b->mem.kind],
			b->mem.dma == DMA_MAPPING_ERROR ? " that is not mapped" : "");
		abort();
	}
	return b->mem.dma + (dma_addr_t)(b->p - b->raw) + off;
}

int conf_map_sg(struct conf_case *cc, struct dma_chan *chan, struct scatterlist *sg, int nents,
		enum dma_data_direction dir)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	int n = dma_map_sg(dev, sg, nents, dir);
	struct conf_alloc *a;

	if (n <= 0)
		fail_msg("dma_map_sg(%s, %d entries) returned %d", dev_name(dev), nents, n);
	a = alloc_track(cc, CONF_RES_SG, sg);
	a->dev = dev;
	a->nents = nents;
	a->dir = dir;
	if (n > nents)
		fail_msg("dma_map_sg(%s, %d entries) returned %d", dev_name(dev), nents, n);
	return n;
}

void conf_unmap_sg(struct conf_case *cc, struct scatterlist *sg)
{
	for (struct conf_alloc *a = cc->allocs; a; a = a->next)
		if (a->kind == CONF_RES_SG && a->p == sg && a->nents) {
			dma_unmap_sg(a->dev, sg, a->nents, a->dir);
			a->nents = 0;
			return;
		}
	fail_msg("conf_unmap_sg: scatterlist %p is not mapped", (void *)sg);
}

/* ------------------------------------------------------------ patterns */

/* Prime period: a copy from the wrong offset shows as a mismatch. */
#define PAT_PERIOD 65521u
static u8 pat_src[PAT_PERIOD];
static u8 pat_old[PAT_PERIOD];
static u8 pat_guard[CONF_GUARD * 2];
static bool pat_ready;

static void pat_init(void)
{
	u64 s = 0x9e3779b97f4a7c15ull;

	if (pat_ready)
		return;
	for (u32 i = 0; i < PAT_PERIOD; i++) {
		u64 r = conf_rand(&s);

		pat_src[i] = (u8)(r & 0x7f);	       /* bit 7 clear */
		pat_old[i] = (u8)(0x80 | (r >> 8));    /* bit 7 set: never equals a source byte */
	}
	for (u32 i = 0; i < sizeof(pat_guard); i++)
		pat_guard[i] = (u8)(0xa5 ^ (i * 29));
	pat_ready = true;
}

static void fill_tiled(u8 *p, size_t len, const u8 *tmpl, u64 start)
{
	size_t i = 0;

	while (i < len) {
		size_t o = (size_t)((start + i) % PAT_PERIOD);
		size_t n = PAT_PERIOD - o;

		if (n > len - i)
			n = len - i;
		memcpy(p + i, tmpl + o, n);
		i += n;
	}
}

/* Tile the guard pattern over @len bytes. */
static void guard_fill(u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i += sizeof(pat_guard))
		memcpy(p + i, pat_guard, len - i < sizeof(pat_guard) ? len - i : sizeof(pat_guard));
}

static bool guard_ok(const u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i += sizeof(pat_guard))
		if (memcmp(p + i, pat_guard,
			   len - i < sizeof(pat_guard) ? len - i : sizeof(pat_guard)))
			return false;
	return true;
}

struct gbuf *conf_gbuf_mem(struct conf_case *cc, struct dma_chan *chan, enum conf_mem kind,
			   size_t len, size_t misalign)
{
	struct gbuf *b = conf_zalloc(cc, sizeof(*b));
	size_t before;

	pat_init();
	misalign %= 64;
	before = CONF_GUARD + misalign;
	alloc_track(cc, CONF_RES_GBUF, b); /* first: freed even if the mapping fails */
	conf_buf_alloc(&b->mem, chan, kind, CONF_GUARD + 64 + len + CONF_GUARD);
	b->raw = b->mem.cpu;
	b->rawlen = b->mem.len;
	b->p = b->raw + before;
	b->len = len;
	guard_fill(b->raw, before);
	memset(b->p, 0, len);
	guard_fill(b->p + len, b->rawlen - before - len);
	return b;
}

struct gbuf *conf_gbuf(struct conf_case *cc, size_t len, size_t misalign)
{
	return conf_gbuf_mem(cc, cc->chan, CONF_MEM_COHERENT, len, misalign);
}

bool conf_guards_ok(struct gbuf *b)
{
	size_t before = (size_t)(b->p - b->raw);

	conf_cpu(b);
	return guard_ok(b->raw, before) && guard_ok(b->p + b->len, b->rawlen - before - b->len);
}

void conf_fill_src(struct gbuf *b, u64 start)
{
	pat_init();
	fill_tiled(conf_cpu(b), b->len, pat_src, start);
}

void conf_fill_old(struct conf_case *cc, struct gbuf *b, u64 start)
{
	pat_init();
	fill_tiled(conf_cpu(b), b->len, pat_old, start);
	if (!b->old)
		b->old = conf_alloc(cc, b->len ? b->len : 1);
	memcpy(b->old, b->p, b->len);
}

void conf_restore(struct gbuf *b, size_t off, size_t len)
{
	memcpy(conf_cpu(b) + off, b->old + off, len);
}

u8 *conf_expect(struct conf_case *cc, const struct gbuf *b)
{
	u8 *e = conf_alloc(cc, b->len ? b->len : 1);

	memcpy(e, b->old, b->len);
	return e;
}

/* ------------------------------------------------------------ comparisons */

#define CMP_BLOCK 4096u

long conf_diff(const u8 *a, const u8 *b, size_t len)
{
	for (size_t off = 0; off < len; off += CMP_BLOCK) {
		size_t n = len - off < CMP_BLOCK ? len - off : CMP_BLOCK;

		if (memcmp(a + off, b + off, n))
			for (size_t i = 0; i < n; i++)
				if (a[off + i] != b[off + i])
					return (long)(off + i);
	}
	return -1;
}

long conf_diff_byte(const u8 *p, u8 v, size_t len)
{
	u8 blk[CMP_BLOCK];

	memset(blk, v, sizeof(blk));
	for (size_t off = 0; off < len; off += CMP_BLOCK) {
		size_t n = len - off < CMP_BLOCK ? len - off : CMP_BLOCK;

		if (memcmp(p + off, blk, n))
			for (size_t i = 0; i < n; i++)
				if (p[off + i] != v)
					return (long)(off + i);
	}
	return -1;
}

long conf_old_or_new(const u8 *p, const u8 *old, const u8 *newp, size_t len)
{
	for (size_t off = 0; off < len; off += CMP_BLOCK) {
		size_t n = len - off < CMP_BLOCK ? len - off : CMP_BLOCK;

		if (!memcmp(p + off, newp + off, n) || !memcmp(p + off, old + off, n))
			continue;
		for (size_t i = 0; i < n; i++)
			if (p[off + i] != old[off + i] && p[off + i] != newp[off + i])
				return (long)(off + i);
	}
	return -1;
}

long conf_old_or_fill(const u8 *p, const u8 *old, u8 v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != old[i] && p[i] != v)
			return (long)i;
	return -1;
}

void conf_assert_image(struct gbuf *b, const u8 *exp, const char *what)
{
	long d = conf_diff(conf_cpu(b), exp, b->len);

	if (d >= 0)
		fail_msg("%s: byte %ld is 0x%02x, expected 0x%02x (old 0x%02x)", what, d,
			 b->p[d], exp[d], b->old ? b->old[d] : 0);
	if (!conf_guards_ok(b))
		fail_msg("%s: guard zone overwritten", what);
}

/* ------------------------------------------------------------ peek, poke */

#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 8)
#define CONF_NO_TSAN __attribute__((no_sanitize("thread"), noinline))
#else
#define CONF_NO_TSAN __attribute__((noinline))
#endif

CONF_NO_TSAN bool conf_peek_eq(const void *p, const void *want, size_t len)
{
	const volatile u8 *a = p;
	const u8 *b = want;

	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

CONF_NO_TSAN u8 conf_peek_byte(const void *p)
{
	return *(const volatile u8 *)p;
}

CONF_NO_TSAN void conf_poke_fill(void *p, u8 v, size_t len)
{
	volatile u8 *a = p;

	for (size_t i = 0; i < len; i++)
		a[i] = v;
}

/* ------------------------------------------------------------ tracker */

struct conf_track *conf_track_new(struct conf_case *cc, struct dma_chan *chan, u32 n)
{
	struct conf_track *t = conf_zalloc(cc, sizeof(*t));

	t->chan = chan;
	t->n = n;
	t->in_order = conf_in_order(chan);
	t->cookie = conf_zalloc(cc, sizeof(*t->cookie) * (n ? n : 1));
	t->fired = conf_zalloc(cc, sizeof(*t->fired) * (n ? n : 1));
	t->order = conf_zalloc(cc, sizeof(*t->order) * (n ? n : 1));
	t->cbs = conf_zalloc(cc, sizeof(*t->cbs) * (n ? n : 1));
	for (u32 i = 0; i < n; i++) {
		t->cbs[i].t = t;
		t->cbs[i].idx = i;
		t->order[i] = UINT32_MAX;
	}
	t->expect = n;
	t->terminate_at = -1;
	t->slow_at = -1;
	init_completion(&t->done);
	init_completion(&t->term_done);
	return t;
}

static void track_common(struct conf_cb *cb, const struct dmaengine_result *res, bool has_res)
{
	struct conf_track *t = cb->t;
	u32 idx = cb->idx;
	u32 k;

	__atomic_add_fetch(&t->inside, 1, __ATOMIC_ACQ_REL);
	if (__atomic_load_n(&t->closed, __ATOMIC_ACQUIRE))
		conf_async_err("%s: callback of descriptor #%u after the test synchronized",
			       dma_chan_name(t->chan), idx);
	if (__atomic_load_n(&t->terminated, __ATOMIC_ACQUIRE))
		__atomic_add_fetch(&t->after_term, 1, __ATOMIC_ACQ_REL);
	if (dmae_context() != DMAE_CTX_COMPLETION) {
		__atomic_add_fetch(&t->ctx_errors, 1, __ATOMIC_RELAXED);
		conf_async_err("%s: callback of #%u in %s context, expected completion",
			       dma_chan_name(t->chan), idx, dmae_context_name(dmae_context()));
	}
	if (has_res && (!res || res->result != DMA_TRANS_NOERROR || res->residue))
		conf_async_err("%s: callback of #%u: result %d residue %u, expected NOERROR, 0",
			       dma_chan_name(t->chan), idx, res ? (int)res->result : -1,
			       res ? res->residue : 0);
	if (__atomic_fetch_add(&t->fired[idx], 1, __ATOMIC_ACQ_REL))
		conf_async_err("%s: callback of descriptor #%u fired more than once",
			       dma_chan_name(t->chan), idx);
	k = __atomic_fetch_add(&t->count, 1, __ATOMIC_ACQ_REL);
	if (k < t->n)
		__atomic_store_n(&t->order[k], idx, __ATOMIC_RELEASE);
	if (t->check_status) {
		dma_cookie_t c = t->cookie[idx];
		struct dma_tx_state st = { 0, 0, 0xdeadbeef, 0 };
		enum dma_status s = dmaengine_tx_status(t->chan, c, &st);

		if (!t->in_order) {
			if (s != DMA_OUT_OF_ORDER)
				conf_async_err("%s: tx_status(%d) in its callback: %d, expected DMA_OUT_OF_ORDER",
					       dma_chan_name(t->chan), c, s);
		} else {
			if (s != DMA_COMPLETE)
				conf_async_err("%s: tx_status(%d) in its callback: %d, expected DMA_COMPLETE",
					       dma_chan_name(t->chan), c, s);
			if (conf_cookie_after(c, st.last))
				conf_async_err("%s: in the callback of cookie %d the last completed cookie is %d",
					       dma_chan_name(t->chan), c, st.last);
			if (t->last_done && conf_cookie_after(t->last_done, st.last))
				conf_async_err("%s: completed cookie went back from %d to %d",
					       dma_chan_name(t->chan), t->last_done, st.last);
			t->last_done = st.last;
		}
	}
	if ((int)idx == t->terminate_at) {
		t->term_ret = dmaengine_terminate_async(t->chan);
		__atomic_store_n(&t->terminated, 1, __ATOMIC_RELEASE);
		t->sync_ret = dmaengine_synchronize(t->chan);
		t->term_sync_ret = dmaengine_terminate_sync(t->chan);
	}
	if (t->spin_ns || (int)idx == t->slow_at) {
		u64 end = dmae_clock_ns() + ((int)idx == t->slow_at ? t->slow_ns : t->spin_ns);

		while (dmae_clock_ns() < end)
			cpu_relax();
	}
	__atomic_sub_fetch(&t->inside, 1, __ATOMIC_ACQ_REL);
	if ((int)idx == t->terminate_at)
		complete(&t->term_done);
	if (k + 1 == t->expect)
		complete(&t->done);
}

static void track_cb_result(void *param, const struct dmaengine_result *res)
{
	track_common(param, res, true);
}

static void track_cb_plain(void *param)
{
	track_common(param, NULL, false);
}

static void forbidden_plain(void *param)
{
	struct conf_cb *cb = param;

	conf_async_err("%s: descriptor #%u: callback ran although callback_result was set",
		       dma_chan_name(cb->t->chan), cb->idx);
}

void conf_track_set(struct conf_track *t, struct dma_async_tx_descriptor *tx, u32 idx)
{
	tx->callback_result = track_cb_result;
	/* callback_result wins: the old-style one must not be called. */
	tx->callback = forbidden_plain;
	tx->callback_param = &t->cbs[idx];
}

void conf_track_set_plain(struct conf_track *t, struct dma_async_tx_descriptor *tx, u32 idx)
{
	tx->callback_result = NULL;
	tx->callback = track_cb_plain;
	tx->callback_param = &t->cbs[idx];
}

bool conf_track_wait(struct conf_track *t)
{
	return wait_for_completion_timeout(&t->done, msecs_to_jiffies(CONF_TIMEOUT_MS)) != 0;
}

void conf_track_wait_all(struct conf_track *t, const char *what)
{
	if (!conf_track_wait(t))
		fail_msg("%s: only %u of %u callbacks within %u ms", what, conf_track_count(t),
			 t->expect, CONF_TIMEOUT_MS);
	for (u32 i = 0; i < t->n; i++)
		if (conf_track_fired(t, i) != 1)
			fail_msg("%s: descriptor #%u had %u callbacks", what, i, conf_track_fired(t, i));
	if (t->in_order)
		for (u32 k = 0; k < t->n; k++)
			if (t->order[k] != k)
				fail_msg("%s: callbacks out of order (#%u came %u-th)", what, t->order[k],
					 k);
}

dma_cookie_t conf_submit(struct dma_async_tx_descriptor *tx)
{
	dma_cookie_t c = dmaengine_submit(tx);

	if (dma_submit_error(c) || c < DMA_MIN_COOKIE)
		fail_msg("dmaengine_submit returned %d, expected a cookie >= %d", c, DMA_MIN_COOKIE);
	return c;
}

/* ------------------------------------------------------------ attributes */

unsigned long conf_attr_ul(struct dma_chan *chan, const char *attr)
{
	char buf[64];
	ssize_t n = dmaengine_chan_attr(dma_chan_name(chan), attr, buf, sizeof(buf));
	char *end;
	unsigned long v;

	if (n <= 0)
		fail_msg("dmaengine_chan_attr(%s, %s) = %zd", dma_chan_name(chan), attr, n);
	if (buf[n - 1] != '\n')
		fail_msg("attribute %s of %s is \"%s\": no trailing newline", attr,
			 dma_chan_name(chan), buf);
	v = strtoul(buf, &end, 10);
	if (end == buf || *end != '\n')
		fail_msg("attribute %s of %s is \"%s\": not a number", attr, dma_chan_name(chan),
			 buf);
	return v;
}

bool conf_chan_reuse(struct dma_chan *chan)
{
	struct dma_device *d = chan->device;

	if (dma_has_cap(DMA_SLAVE, d->cap_mask) || dma_has_cap(DMA_CYCLIC, d->cap_mask)) {
		struct dma_slave_caps caps;

		if (dma_get_slave_caps(chan, &caps))
			return false;
		return caps.descriptor_reuse;
	}
	return d->descriptor_reuse;
}
