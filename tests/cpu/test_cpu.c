// SPDX-License-Identifier: MIT
/*
 * test_cpu.c - the cpu provider's own rules: parameters and environment,
 * probe and removal, advertised capabilities, idle workers, limits, ACK
 * handling, pause of an idle channel and pause from a callback.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/provider.h>

#include "common/chan.h"
#include "drivers/cpu/cpu-dma.h" /* white-box: is a channel shared? */

#define to_shared(chan) (to_cpu_chan(chan)->shared)

/* ------------------------------------------------------------ log capture */

static char last_line[512]; /* the last line logged */
static int lines;	    /* lines logged since capture_reset */

static void capture(enum dmae_log_level level, const char *line, void *arg)
{
	if (level == DMAE_LOG_DEBUG)
		return;
	snprintf(last_line, sizeof(last_line), "%s", line);
	__atomic_add_fetch(&lines, 1, __ATOMIC_RELAXED);
}

static void capture_reset(void)
{
	__atomic_store_n(&lines, 0, __ATOMIC_RELAXED);
	last_line[0] = '\0';
}

/* --------------------------------------------------------------- helpers */

static struct dma_chan *grab(struct dma_device *dma)
{
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	return dma_request_channel(mask, only_dev, dma);
}

static struct dma_device *probe(unsigned int channels, unsigned int descs, bool ooo)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = channels;
	p.workers = 2;
	p.descs = descs;
	p.out_of_order = ooo;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

static void cb_complete(void *param)
{
	complete(param);
}

/* ------------------------------------------------------------------ tests */

static void test_params_env(void **state)
{
	struct dma_cpu_params p;

	setenv("DMAENGINE_CPU_CHANNELS", "3", 1);
	setenv("DMAENGINE_CPU_WORKERS", "1", 1);
	setenv("DMAENGINE_CPU_DESCS", "100", 1);
	setenv("DMAENGINE_CPU_ORDER", "any", 1);
	dma_cpu_params_init(&p);
	assert_int_equal(p.channels, 3);
	assert_int_equal(p.workers, 1);
	assert_int_equal(p.descs, 100);
	assert_true(p.out_of_order);

	capture_reset();
	setenv("DMAENGINE_CPU_CHANNELS", "three", 1);
	dma_cpu_params_init(&p);
	assert_int_equal(p.channels, 4);
	assert_int_equal(lines, 1);
	assert_non_null(strstr(last_line, "DMAENGINE_CPU_CHANNELS=three"));
	unsetenv("DMAENGINE_CPU_CHANNELS");
	unsetenv("DMAENGINE_CPU_WORKERS");
	unsetenv("DMAENGINE_CPU_DESCS");
	unsetenv("DMAENGINE_CPU_ORDER");
	dma_cpu_params_init(&p);
	assert_false(p.out_of_order);
}

static void test_probe_errors(void **state)
{
	struct dma_cpu_params p;
	struct dma_device dummy;

	dma_cpu_params_init(&p);
	p.channels = 0;
	capture_reset();
	assert_int_equal(PTR_ERR(dma_cpu_probe(&p)), -EINVAL);
	assert_int_equal(lines, 1);
	dma_cpu_params_init(&p);
	p.workers = 65;
	assert_int_equal(PTR_ERR(dma_cpu_probe(&p)), -EINVAL);
	dma_cpu_params_init(&p);
	p.descs = 8;
	assert_int_equal(PTR_ERR(dma_cpu_probe(&p)), -EINVAL);
	dma_cpu_params_init(&p);
	p.chunk = 100;
	assert_int_equal(PTR_ERR(dma_cpu_probe(&p)), -EINVAL);

	memset(&dummy, 0, sizeof(dummy));
	assert_int_equal(dma_cpu_remove(NULL), -EINVAL);
	assert_int_equal(dma_cpu_remove(&dummy), -EINVAL);
}

static void test_remove_busy(void **state)
{
	struct dma_device *dma = probe(2, 64, false);
	struct dma_chan *chan = grab(dma);

	assert_non_null(chan);
	capture_reset();
	assert_int_equal(dma_cpu_remove(dma), -EBUSY);
	assert_int_equal(lines, 1);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void test_caps(void **state)
{
	struct dma_device *in = probe(3, 64, false), *ooo = probe(1, 64, true);
	struct dma_chan *chan;
	int n = 0;

	assert_true(dma_has_cap(DMA_MEMCPY, in->cap_mask));
	assert_true(dma_has_cap(DMA_MEMCPY_SG, in->cap_mask));
	assert_true(dma_has_cap(DMA_MEMSET, in->cap_mask));
	assert_true(dma_has_cap(DMA_MEMSET_SG, in->cap_mask));
	assert_true(dma_has_cap(DMA_INTERRUPT, in->cap_mask));
	assert_true(dma_has_cap(DMA_INTERLEAVE, in->cap_mask));
	assert_true(dma_has_cap(DMA_REPEAT, in->cap_mask));
	assert_true(dma_has_cap(DMA_LOAD_EOT, in->cap_mask));
	assert_false(dma_has_cap(DMA_COMPLETION_NO_ORDER, in->cap_mask));
	assert_true(dma_has_cap(DMA_XOR, in->cap_mask));
	assert_true(dma_has_cap(DMA_XOR_VAL, in->cap_mask));
	assert_true(dma_has_cap(DMA_PQ, in->cap_mask));
	assert_true(dma_has_cap(DMA_PQ_VAL, in->cap_mask));
	assert_true(dma_has_cap(DMA_ASYNC_TX, in->cap_mask));
	assert_false(dma_has_cap(DMA_SLAVE, in->cap_mask));
	assert_int_equal(in->max_xor, 64);
	assert_int_equal(dma_dev_to_maxpq(in), 64);
	assert_true(dma_dev_has_pq_continue(in));
	assert_int_equal(dma_maxpq(in, DMA_PREP_CONTINUE), 64);
	assert_true(dma_has_cap(DMA_COMPLETION_NO_ORDER, ooo->cap_mask));
	assert_false(dma_has_cap(DMA_REPEAT, ooo->cap_mask));
	assert_int_equal(in->residue_granularity, DMA_RESIDUE_GRANULARITY_BURST);
	assert_true(in->descriptor_reuse);
	assert_int_equal(in->chancnt, 3);
	list_for_each_entry(chan, &in->channels, device_node) {
		char want[32];

		snprintf(want, sizeof(want), "dma%dchan%d", in->dev_id, n++);
		assert_string_equal(dma_chan_name(chan), want);
	}
	assert_int_equal(dma_cpu_remove(in), 0);
	assert_int_equal(dma_cpu_remove(ooo), 0);
}

/* A device limited to some capabilities advertises those only, and its
 * channels are found (or not) by them. */
static void test_caps_limited(void **state)
{
	struct dma_cpu_params p;
	struct dma_device *dma;
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 1;
	p.descs = 16;
	dma_cap_set(DMA_MEMCPY, p.caps);
	dma_cap_set(DMA_SLAVE, p.caps); /* not something it can do: ignored */
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	assert_true(dma_has_cap(DMA_MEMCPY, dma->cap_mask));
	assert_false(dma_has_cap(DMA_SLAVE, dma->cap_mask));
	assert_false(dma_has_cap(DMA_INTERRUPT, dma->cap_mask));
	assert_false(dma_has_cap(DMA_XOR, dma->cap_mask));
	assert_false(dma_has_cap(DMA_REPEAT, dma->cap_mask));

	dma_cap_zero(mask);
	dma_cap_set(DMA_XOR, mask);
	chan = dma_request_channel(mask, NULL, NULL);
	assert_true(!chan || chan->device != dma);
	if (chan)
		dma_release_channel(chan);
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, NULL, NULL);
	assert_non_null(chan);
	assert_ptr_equal(chan->device, dma);
	/* The operation behind a missing capability is refused, not run. */
	assert_null(dmaengine_prep_dma_interrupt(chan, 0));
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/*
 * Segment blocks go back to their free stack while clients take them: the
 * worker frees a completed descriptor's chain of blocks between two pops of
 * a client building a chain of its own. Every copy must still be right: two
 * descriptors sharing a block would scramble each other's segments.
 */
#define SG_ROUNDS 4000
#define SG_WINDOW 6
#define SG_PIECE 64
static void test_segment_blocks_recycled(void **state)
{
	struct dma_device *dma = probe(1, 16, false); /* 8 segment blocks */
	struct dma_chan *chan = grab(dma);
	struct scatterlist dsg[SG_WINDOW][40], ssg[SG_WINDOW][40];
	static u8 src[SG_WINDOW][40 * SG_PIECE], dst[SG_WINDOW][40 * SG_PIECE];
	dma_cookie_t cookie[SG_WINDOW] = { 0 };
	unsigned int nents[SG_WINDOW] = { 0 }, seed = 1;

	for (int r = 0; r < SG_ROUNDS; r++) {
		int k = r % SG_WINDOW;
		struct dma_async_tx_descriptor *tx;
		unsigned int n;

		if (cookie[k] > 0) { /* the slot's previous copy: wait, check */
			assert_int_equal(dma_sync_wait(chan, cookie[k]), DMA_COMPLETE);
			assert_memory_equal(dst[k], src[k], nents[k] * SG_PIECE);
		}
		n = 1 + rand_r(&seed) % 40; /* 1 to 3 blocks of 14 segments */
		sg_init_table(dsg[k], n);
		sg_init_table(ssg[k], n);
		for (unsigned int i = 0; i < n; i++) {
			memset(src[k] + i * SG_PIECE, (int)(r * 7 + i), SG_PIECE);
			memset(dst[k] + i * SG_PIECE, 0, SG_PIECE);
			sg_set_buf(&ssg[k][i], src[k] + i * SG_PIECE, SG_PIECE);
			sg_set_buf(&dsg[k][i], dst[k] + i * SG_PIECE, SG_PIECE);
			sg_dma_address(&ssg[k][i]) = (dma_addr_t)(uintptr_t)(src[k] + i * SG_PIECE);
			sg_dma_len(&ssg[k][i]) = SG_PIECE;
			sg_dma_address(&dsg[k][i]) = (dma_addr_t)(uintptr_t)(dst[k] + i * SG_PIECE);
			sg_dma_len(&dsg[k][i]) = SG_PIECE;
		}
		nents[k] = n;
		do { /* blocks of acked descriptors come back as the worker runs */
			tx = dmaengine_prep_dma_memcpy_sg(chan, dsg[k], n, ssg[k], n, DMA_CTRL_ACK);
			if (!tx)
				dma_async_issue_pending(chan);
		} while (!tx);
		cookie[k] = dmaengine_submit(tx);
		assert_true(cookie[k] > 0);
		dma_async_issue_pending(chan);
	}
	for (int k = 0; k < SG_WINDOW; k++) {
		assert_int_equal(dma_sync_wait(chan, cookie[k]), DMA_COMPLETE);
		assert_memory_equal(dst[k], src[k], nents[k] * SG_PIECE);
	}
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* CPU time (clock ticks) used so far by this process's dma worker threads. */
static unsigned long worker_ticks(int *nthreads)
{
	unsigned long total = 0;
	struct dirent *e;
	DIR *dir = opendir("/proc/self/task");

	*nthreads = 0;
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		char path[300], buf[1024], comm[64];
		unsigned long ut, st;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) &&
		    sscanf(buf, "%*d (%63[^)]) %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			   comm, &ut, &st) == 3 && !strncmp(comm, "dma", 3) && strchr(comm, 'w')) {
			total += ut + st;
			(*nthreads)++;
		}
		fclose(f);
	}
	closedir(dir);
	return total;
}

static void test_idle_workers_sleep(void **state)
{
	struct dma_device *dma = probe(2, 64, false);
	struct dma_chan *chan = grab(dma);
	struct dma_async_tx_descriptor *tx;
	struct completion done;
	static char a[4096], b[4096];
	unsigned long t0, t1;
	int n;

	/* Some work first, so the workers have been busy and then go idle. */
	init_completion(&done);
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a, (dma_addr_t)(uintptr_t)b,
				       sizeof(a), DMA_CTRL_ACK);
	assert_non_null(tx);
	tx->callback = cb_complete;
	tx->callback_param = &done;
	assert_true(dmaengine_submit(tx) > 0);
	dma_async_issue_pending(chan);
	assert_true(wait_for_completion_timeout(&done, 5000) > 0);

	usleep(20 * 1000); /* past the polling period */
	t0 = worker_ticks(&n);
	assert_int_equal(n, 2);
	usleep(500 * 1000); /* measure: idle workers must not use the CPU */
	t1 = worker_ticks(&n);
	/* 500 ms is 50 ticks at 100 Hz; allow 2 (4%) for both workers together. */
	assert_true(t1 - t0 <= 2);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void test_limits(void **state)
{
	struct dma_device *dma = probe(1, 64, false);
	struct dma_chan *chan = grab(dma);
	/* A template with one chunk, as a client allocates it. */
	union {
		struct dma_interleaved_template xt;
		char room[sizeof(struct dma_interleaved_template) + sizeof(struct data_chunk)];
	} t;

	capture_reset();
	assert_null(dmaengine_prep_dma_memcpy(chan, 0x100000, 0x200000, 0x100000000ull,
					      DMA_CTRL_ACK));
	assert_int_equal(lines, 1);
	assert_non_null(strstr(last_line, "exceeds"));

	memset(&t, 0, sizeof(t));
	t.xt.dir = DMA_MEM_TO_DEV;
	t.xt.src_inc = t.xt.dst_inc = true;
	t.xt.numf = 1;
	t.xt.frame_size = 1;
	t.xt.sgl[0].size = 16;
	capture_reset();
	assert_null(dmaengine_prep_interleaved_dma(chan, &t.xt, DMA_CTRL_ACK));
	assert_int_equal(lines, 1);
	t.xt.dir = DMA_MEM_TO_MEM;
	t.xt.dst_inc = false;
	assert_null(dmaengine_prep_interleaved_dma(chan, &t.xt, DMA_CTRL_ACK));
	assert_int_equal(lines, 2);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Without DMA_CTRL_ACK a completed descriptor stays the client's to chain. */
static void test_unacked_kept_until_ack(void **state)
{
	struct dma_device *dma = probe(1, 16, false);
	struct dma_chan *chan = grab(dma);
	struct dma_async_tx_descriptor *txs[16], *tx;
	static char a[64], b[64];
	dma_cookie_t last = 0;

	for (int i = 0; i < 16; i++) {
		txs[i] = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a,
						   (dma_addr_t)(uintptr_t)b, sizeof(a), 0);
		assert_non_null(txs[i]);
		last = dmaengine_submit(txs[i]);
		assert_true(last > 0);
	}
	assert_int_equal(dma_sync_wait(chan, last), DMA_COMPLETE);
	/* All 16 are done but none acked: the pool is empty. */
	assert_null(dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a,
					      (dma_addr_t)(uintptr_t)b, sizeof(a), DMA_CTRL_ACK));
	for (int i = 0; i < 16; i++)
		async_tx_ack(txs[i]);
	/* The worker reclaims them on its next visit; prep asks for one. */
	for (int tries = 0; tries < 1000000; tries++) {
		tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a,
					       (dma_addr_t)(uintptr_t)b, sizeof(a), DMA_CTRL_ACK);
		if (tx)
			break;
		dmae_yield();
	}
	assert_non_null(tx);
	assert_true(dmaengine_submit(tx) > 0);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

static void test_pause_idle_channel(void **state)
{
	struct dma_device *dma = probe(1, 64, false);
	struct dma_chan *chan = grab(dma);
	struct dma_async_tx_descriptor *tx;
	static char a[8192], b[8192];
	struct dma_tx_state st;
	struct completion done;
	dma_cookie_t cookie;

	memset(a, 0, sizeof(a));
	memset(b, 0x5a, sizeof(b));
	assert_int_equal(dmaengine_pause(chan), 0);
	capture_reset();
	assert_int_equal(dmaengine_pause(chan), -EPERM);
	assert_int_equal(lines, 1);
	init_completion(&done);
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a, (dma_addr_t)(uintptr_t)b,
				       sizeof(a), DMA_CTRL_ACK);
	tx->callback = cb_complete;
	tx->callback_param = &done;
	cookie = dmaengine_submit(tx);
	dma_async_issue_pending(chan);
	/* Paused: it must not run. */
	assert_int_equal(wait_for_completion_timeout(&done, 50), 0);
	assert_int_equal(dmaengine_tx_status(chan, cookie, &st), DMA_PAUSED);
	assert_int_equal(st.residue, sizeof(a));
	assert_int_equal(a[0], 0);
	assert_int_equal(dmaengine_resume(chan), 0);
	assert_true(wait_for_completion_timeout(&done, 5000) > 0);
	assert_memory_equal(a, b, sizeof(a));
	capture_reset();
	assert_int_equal(dmaengine_resume(chan), -EPERM);
	assert_int_equal(lines, 1);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

struct pause_in_cb {
	struct dma_chan *chan; /* the channel to pause */
	int ret;	       /* what dmaengine_pause returned */
	struct completion done; /* the callback ran */
};

static void cb_pause(void *param)
{
	struct pause_in_cb *p = param;

	p->ret = dmaengine_pause(p->chan);
	complete(&p->done);
}

static void test_pause_from_callback(void **state)
{
	struct dma_device *dma = probe(1, 64, false);
	struct dma_chan *chan = grab(dma);
	struct dma_async_tx_descriptor *tx;
	static char a[4096], b[4096], c[4096];
	struct pause_in_cb p = { .chan = chan, .ret = 1 };
	struct completion second;
	dma_cookie_t cookie;

	memset(b, 7, sizeof(b));
	memset(c, 0, sizeof(c));
	init_completion(&p.done);
	init_completion(&second);
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a, (dma_addr_t)(uintptr_t)b,
				       sizeof(a), DMA_CTRL_ACK);
	tx->callback = cb_pause;
	tx->callback_param = &p;
	dmaengine_submit(tx);
	dma_async_issue_pending(chan);
	assert_true(wait_for_completion_timeout(&p.done, 5000) > 0);
	assert_int_equal(p.ret, 0);
	/* The channel is paused now: new work waits. */
	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)c, (dma_addr_t)(uintptr_t)b,
				       sizeof(c), DMA_CTRL_ACK);
	tx->callback = cb_complete;
	tx->callback_param = &second;
	cookie = dmaengine_submit(tx);
	dma_async_issue_pending(chan);
	assert_int_equal(wait_for_completion_timeout(&second, 50), 0);
	assert_int_equal(dmaengine_tx_status(chan, cookie, NULL), DMA_PAUSED);
	assert_int_equal(dmaengine_resume(chan), 0);
	assert_true(wait_for_completion_timeout(&second, 5000) > 0);
	assert_memory_equal(c, b, sizeof(c));
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* ----------------------------------------- several client threads, one channel */

#define SHARE_THREADS 3
#define SHARE_OPS 3000

struct share_client {
	struct dma_chan *chan;	  /* the shared channel */
	unsigned int id;	  /* thread number */
	char src[64], dst[SHARE_OPS][64]; /* one destination per operation */
	dma_cookie_t cookies[SHARE_OPS];  /* what submit returned */
	struct completion started;	  /* the thread runs */
	struct completion *go;		  /* the others may start */
};

static u32 share_seen[SHARE_THREADS][SHARE_OPS]; /* callbacks per operation */
static dma_cookie_t share_last;			 /* last cookie seen by a callback */
static u32 share_order_errors;			 /* callbacks out of cookie order */
static struct completion share_done;		 /* all callbacks ran */
static u32 share_left;				 /* callbacks still to come */

static void share_cb(void *param, const struct dmaengine_result *res)
{
	uintptr_t v = (uintptr_t)param;
	struct share_client *sc = NULL;
	unsigned int t = (unsigned int)(v >> 16), i = (unsigned int)(v & 0xffff);

	(void)sc;
	__atomic_add_fetch(&share_seen[t][i], 1, __ATOMIC_RELAXED);
	if (__atomic_sub_fetch(&share_left, 1, __ATOMIC_ACQ_REL) == 0)
		complete(&share_done);
}

static dma_cookie_t share_target; /* the callback of this cookie completes share_done */

static void share_order_cb(void *param, const struct dmaengine_result *res)
{
	dma_cookie_t c = (dma_cookie_t)(uintptr_t)param;

	if (share_last && c != dma_cookie_next(share_last))
		share_order_errors++;
	share_last = c;
	if (c == __atomic_load_n(&share_target, __ATOMIC_ACQUIRE))
		complete(&share_done);
}

/* Submit one copy from another thread, which becomes the channel's owner. */
static void share_first(void *arg)
{
	static char a[64], b[64];
	struct dma_chan *chan = arg;
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a, (dma_addr_t)(uintptr_t)b,
				       sizeof(a), DMA_CTRL_ACK);
	assert_non_null(tx);
	tx->callback_result = share_order_cb;
	tx->callback_param = (void *)(uintptr_t)dmaengine_submit(tx);
}

static void share_thread(void *arg)
{
	struct share_client *sc = arg;

	complete(&sc->started);
	if (sc->go)
		wait_for_completion(sc->go);
	for (unsigned int i = 0; i < SHARE_OPS; i++) {
		struct dma_async_tx_descriptor *tx = NULL;

		while (!tx) {
			tx = dmaengine_prep_dma_memcpy(sc->chan, (dma_addr_t)(uintptr_t)sc->dst[i],
						       (dma_addr_t)(uintptr_t)sc->src,
						       sizeof(sc->src), DMA_CTRL_ACK);
			if (!tx)
				dmae_yield(); /* pool empty: the worker frees some */
		}
		tx->callback_result = share_cb;
		tx->callback_param = (void *)(uintptr_t)((sc->id << 16) | i);
		sc->cookies[i] = dmaengine_submit(tx);
		if (i % 8 == 7)
			dma_async_issue_pending(sc->chan);
	}
	dma_async_issue_pending(sc->chan);
}

/*
 * The first client thread owns the channel's fast path; others joining make
 * it shared. Every submission gets a distinct cookie and exactly one
 * callback, whoever submitted it, and the data arrives.
 */
static void test_clients_share_channel(void **state)
{
	struct dma_device *dma = probe(1, 256, false);
	struct dma_chan *chan = grab(dma);
	static struct share_client sc[SHARE_THREADS];
	struct dmae_thread *th[SHARE_THREADS];
	struct completion go;
	static dma_cookie_t all[SHARE_THREADS * SHARE_OPS];

	memset(share_seen, 0, sizeof(share_seen));
	share_left = SHARE_THREADS * SHARE_OPS;
	init_completion(&share_done);
	init_completion(&go);
	for (unsigned int t = 0; t < SHARE_THREADS; t++) {
		memset(&sc[t], 0, sizeof(sc[t]));
		sc[t].chan = chan;
		sc[t].id = t;
		memset(sc[t].src, 'a' + t, sizeof(sc[t].src));
		init_completion(&sc[t].started);
		sc[t].go = t ? &go : NULL; /* thread 0 starts alone and becomes the owner */
		assert_int_equal(dmae_thread_create(&th[t], share_thread, &sc[t], "share"), 0);
		wait_for_completion(&sc[t].started);
	}
	complete_all(&go);
	for (unsigned int t = 0; t < SHARE_THREADS; t++)
		dmae_thread_join(th[t]);
	assert_true(wait_for_completion_timeout(&share_done, 20000) > 0);

	for (unsigned int t = 0; t < SHARE_THREADS; t++)
		for (unsigned int i = 0; i < SHARE_OPS; i++) {
			assert_int_equal(share_seen[t][i], 1);
			assert_true(sc[t].cookies[i] > 0);
			assert_memory_equal(sc[t].dst[i], sc[t].src, sizeof(sc[t].src));
			all[t * SHARE_OPS + i] = sc[t].cookies[i];
		}
	/* Cookies are distinct: 2 .. 2 + n - 1 in some order. */
	for (unsigned int k = 0; k < SHARE_THREADS * SHARE_OPS; k++) {
		dma_cookie_t c = all[k];

		assert_true(c >= 2 && c < 2 + SHARE_THREADS * SHARE_OPS);
		for (unsigned int j = k + 1; j < SHARE_THREADS * SHARE_OPS; j++)
			if (all[j] == c)
				fail_msg("cookie %d handed out twice", c);
	}
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Shared or not, an in-order channel calls back in cookie order. */
static void test_shared_channel_in_order(void **state)
{
	struct dma_device *dma = probe(1, 256, false);
	struct dma_chan *chan = grab(dma);
	static char a[64], b[64];
	struct dmae_thread *th;
	dma_cookie_t last = 0;

	share_last = 0;
	share_order_errors = 0;
	share_target = 0;
	init_completion(&share_done);
	/* Another thread submits first and owns the fast path; this one makes it shared. */
	assert_int_equal(dmae_thread_create(&th, share_first, chan, "owner"), 0);
	dmae_thread_join(th);
	for (int i = 0; i < 2000; i++) {
		struct dma_async_tx_descriptor *tx = NULL;

		while (!tx) {
			tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)a,
						       (dma_addr_t)(uintptr_t)b, sizeof(a),
						       DMA_CTRL_ACK);
			if (!tx)
				dmae_yield();
		}
		tx->callback_result = share_order_cb;
		last = dmaengine_submit(tx);
		tx->callback_param = (void *)(uintptr_t)last; /* before issue: it cannot run yet */
		if (i % 16 == 15 && i != 1999)
			dma_async_issue_pending(chan);
	}
	__atomic_store_n(&share_target, last, __ATOMIC_RELEASE);
	dma_async_issue_pending(chan);
	assert_true(wait_for_completion_timeout(&share_done, 20000) > 0);
	assert_true(__atomic_load_n(&to_shared(chan), __ATOMIC_RELAXED));
	assert_int_equal(share_order_errors, 0);
	assert_int_equal(share_last, last);
	assert_int_equal(last, 2 + 2000); /* the first thread's cookie was 2 */
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* ------------------------------------------------ polling clients help */

#define HELP_LEN (4u << 20) /* bytes per copy: 1024 chunks of 4 KiB */
#define HELP_COPIES 4	  /* copies at least */
#define HELP_COPIES_MAX 100 /* at most, until the clients have helped */

struct help_poll {
	struct dma_chan *chan;
	dma_cookie_t cookie; /* polled for; atomic */
	u32 stop;	     /* atomic */
};

/* A second client polling the same cookies as the test's thread. */
static void help_poller(void *arg)
{
	struct help_poll *hp = arg;

	while (!__atomic_load_n(&hp->stop, __ATOMIC_ACQUIRE)) {
		dma_cookie_t c = __atomic_load_n(&hp->cookie, __ATOMIC_ACQUIRE);

		if (c > 0)
			dma_async_is_tx_complete(hp->chan, c, NULL, NULL);
		else
			cpu_relax();
	}
}

/*
 * A device with one worker: large copies are still shared out, and clients
 * polling for their completion move chunks of them. Every byte arrives, the
 * residue a poll reports never grows, and the helper slots end idle.
 */
static void test_polling_clients_help(void **state)
{
	struct dma_cpu_params p;
	struct dma_device *dma;
	struct cpu_dev *cd;
	struct dma_chan *chan;
	struct help_poll hp = { 0 };
	struct dmae_thread *th;
	u8 *src = malloc(HELP_LEN), *dst = malloc(HELP_LEN);

	assert_non_null(src);
	assert_non_null(dst);
	dma_cpu_params_init(&p);
	p.channels = 1;
	p.workers = 1;
	p.chunk = 4096;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	cd = container_of(dma, struct cpu_dev, dma);
	chan = grab(dma);
	assert_non_null(chan);
	hp.chan = chan;
	assert_int_equal(dmae_thread_create(&th, help_poller, &hp, "poller"), 0);

	/*
	 * On a loaded machine the worker may move a whole copy before either
	 * client runs: go on until they have helped (the event), within reason.
	 */
	for (unsigned int k = 0;
	     k < HELP_COPIES || (k < HELP_COPIES_MAX &&
				 !__atomic_load_n(&cd->assist.client_helps, __ATOMIC_RELAXED));
	     k++) {
		struct dma_async_tx_descriptor *tx;
		struct dma_tx_state st;
		u32 last_residue = HELP_LEN;
		dma_cookie_t cookie;

		for (u32 i = 0; i < HELP_LEN; i++)
			src[i] = (u8)(i * 31 + k * 7 + (i >> 12));
		memset(dst, 0, HELP_LEN);
		tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)(uintptr_t)dst,
					       (dma_addr_t)(uintptr_t)src, HELP_LEN, DMA_CTRL_ACK);
		assert_non_null(tx);
		cookie = dmaengine_submit(tx);
		assert_true(cookie > 0);
		__atomic_store_n(&hp.cookie, cookie, __ATOMIC_RELEASE);
		dma_async_issue_pending(chan);
		while (dmaengine_tx_status(chan, cookie, &st) != DMA_COMPLETE) {
			assert_true(st.residue <= last_residue);
			last_residue = st.residue;
		}
		assert_memory_equal(dst, src, HELP_LEN);
	}
	__atomic_store_n(&hp.stop, 1, __ATOMIC_RELEASE);
	dmae_thread_join(th);
	/* Two threads polled while thousands of chunks moved: they took some. */
	assert_true(__atomic_load_n(&cd->assist.client_helps, __ATOMIC_RELAXED) > 0);
	for (unsigned int i = 0; i < CPU_ASSIST_CLIENTS; i++)
		assert_true(cd->assist.client_at[i] == CPU_ASSIST_IDLE);
	assert_int_equal(__atomic_load_n(&cd->assist.busy, __ATOMIC_RELAXED), 0);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
	free(src);
	free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_env),
		cmocka_unit_test(test_probe_errors),
		cmocka_unit_test(test_remove_busy),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_caps_limited),
		cmocka_unit_test(test_idle_workers_sleep),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_unacked_kept_until_ack),
		cmocka_unit_test(test_pause_idle_channel),
		cmocka_unit_test(test_pause_from_callback),
		cmocka_unit_test(test_clients_share_channel),
		cmocka_unit_test(test_shared_channel_in_order),
		cmocka_unit_test(test_segment_blocks_recycled),
		cmocka_unit_test(test_polling_clients_help),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	dmae_set_log_handler(capture, NULL);
	return cmocka_run_group_tests_name("cpu", tests, NULL, NULL);
}
