// SPDX-License-Identifier: MIT
/*
 * cpu-dma.c - the cpu provider's device: probe and removal, channel
 * resources, issue_pending, tx_status and the control operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/iommu.h>

#include "cpu-dma.h"

/* ------------------------------------------------------------- barrier */

/*
 * Bump the control generation and wait until every worker serving @c has
 * acknowledged it: then none is inside a descriptor or a callback of @c that
 * started before. A worker thread does not wait (it would wait for itself).
 */
static void chan_barrier(struct cpu_chan *c)
{
	u32 g = __atomic_add_fetch(&c->ctl_gen, 1, __ATOMIC_ACQ_REL);
	struct cpu_dev *cd = c->cd;

	dmae__cpu_wake(c, true);
	if (dmae__cpu_current_worker())
		return;
	for (unsigned int i = 0; i < cd->p.workers; i++) {
		struct cpu_lane *l = &c->lanes[i];

		if (!l->serving)
			continue;
		wait_event(c->ctl_wq, !cpu_ticket_before(__atomic_load_n(&l->seen_ctl,
								       __ATOMIC_ACQUIRE), g));
	}
}

/* ---------------------------------------------------------- channel ops */

static int cpu_alloc_chan_resources(struct dma_chan *chan)
{
	struct cpu_chan *c = to_cpu_chan(chan);

	dmae__cpu_pool_reset(c);
	__atomic_store_n(&c->error_cookie, 0, __ATOMIC_RELAXED); /* cookies start again */
	__atomic_store_n(&c->allocated, 1, __ATOMIC_RELEASE);
	return (int)c->ndescs;
}

static void cpu_free_chan_resources(struct dma_chan *chan)
{
	struct cpu_chan *c = to_cpu_chan(chan);

	__atomic_store_n(&c->allocated, 0, __ATOMIC_RELEASE);
	chan_barrier(c);
	for (unsigned int i = 0; i < c->cd->p.workers; i++) {
		c->lanes[i].cur = NULL;
		c->lanes[i].unacked = NULL;
	}
}

/*
 * Issued work wakes a sleeping worker, and the caller makes way for it on
 * its CPU (dmae__cpu_wake); unless it is the only client and the last
 * descriptor it issued needs no callback: then it polls for it, and runs it
 * itself meanwhile (dmae__cpu_client_run), or does not wait for it. Its own
 * descriptor, not issued yet: nobody else writes it.
 */
static void cpu_issue_pending(struct dma_chan *chan)
{
	struct cpu_chan *c = to_cpu_chan(chan);
	bool exclusive = cpu_client_enter(c);
	u32 t = (u32)__atomic_load_n(&c->submit_word, __ATOMIC_RELAXED);
	u32 cur = __atomic_load_n(&c->issued, __ATOMIC_RELAXED);

	if (exclusive) {
		/* The only client: a plain store, not a CAS (wake_up's barrier still
		 * orders it against a worker going to sleep). */
		bool raise = cpu_ticket_before(cur, t), make_way = true;

		if (raise && c->worker && waitqueue_active(&c->worker->wq)) {
			struct cpu_desc *d = cpu_ring_peek(c, t - 1);

			make_way = !d || !cpu_desc_client_may_run(d);
		}
		if (raise)
			__atomic_store_n(&c->issued, t, __ATOMIC_RELEASE);
		cpu_client_exit(c, true);
		if (raise)
			dmae__cpu_wake(c, make_way);
		return;
	}
	/* A watermark that only moves forward, whoever issues concurrently. */
	while (cpu_ticket_before(cur, t))
		if (__atomic_compare_exchange_n(&c->issued, &cur, t, true, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED)) {
			dmae__cpu_wake(c, true);
			return;
		}
}

/*
 * Residue of the not yet completed @cookie: the whole length while it waits
 * in the ring, the remaining bytes the worker published once it runs, 0 if it
 * completed meanwhile. The progress word names the ticket running now; a
 * ticket after it still in its ring slot has not started.
 */
static u32 cookie_ticket(dma_cookie_t cookie, u64 sw)
{
	dma_cookie_t used = (dma_cookie_t)(sw >> 32);
	u32 dist = (u32)(used >= cookie ? used - cookie : used - cookie + 0x7fffffff);

	return (u32)sw - 1 - dist;
}

/*
 * The channel's completed cookie, then its submit word into *@sw. In that
 * order, as in dma_cookie_status(): a cookie completes after it was
 * submitted, so the completed one is never ahead of the last one submitted.
 */
static dma_cookie_t chan_cookies(struct cpu_chan *c, u64 *sw)
{
	dma_cookie_t last = __atomic_load_n(&c->chan.completed_cookie, __ATOMIC_ACQUIRE);

	*sw = __atomic_load_n(&c->submit_word, __ATOMIC_ACQUIRE);
	return last;
}

static u32 cookie_residue(struct cpu_chan *c, dma_cookie_t cookie, u64 sw)
{
	u32 ticket = cookie_ticket(cookie, sw);
	u64 prog = __atomic_load_n(&c->progress, __ATOMIC_ACQUIRE);
	struct cpu_desc *d = cpu_ring_peek(c, ticket);
	u32 residue = 0;
	dma_cookie_t last;

	if ((u32)(prog >> 32) == ticket)
		residue = (u32)prog; /* running */
	else if (cpu_ticket_before((u32)(prog >> 32), ticket) && d)
		residue = (u32)__atomic_load_n(&d->len, __ATOMIC_RELAXED); /* not started */
	/* Completed while we looked: nothing is left. */
	last = chan_cookies(c, &sw);
	if (dma_async_is_complete(cookie, last, (dma_cookie_t)(sw >> 32)) == DMA_COMPLETE)
		return 0;
	return residue;
}

/*
 * A polling client on the CPU its channel's worker wants holds the worker
 * up until the scheduler preempts the client: a slice, milliseconds. In
 * dmabench, two clients polling two channels (four threads on two CPUs)
 * completed one 512-copy window per slice, 261k copies of 64 B a second.
 * A poll that has seen no progress on the channel (no completion, no chunk
 * published, none moved by the poll itself) for CPU_POLL_STALL_NS while the
 * worker is awake lets another thread run.
 */
#define CPU_POLL_STALL_NS 20000ull
/* Polls of an unchanged completed cookie between looks at the clock. */
#define CPU_POLL_STALL_EVERY 64

static __thread struct {
	const struct cpu_chan *c; /* the channel polled last */
	dma_cookie_t last;	  /* its completed cookie then */
	unsigned int polls;	  /* polls since it changed */
	u64 progress;		  /* the channel's progress word at since */
	u64 since;		  /* when it was read, or 0 */
} poll_watch;

/*
 * Cheap while completions come: the clock and the worker's line only every
 * 64 polls. A poll that moved chunks itself (@moved) is progress.
 */
static void poll_stall_check(struct cpu_chan *c, dma_cookie_t last, bool moved)
{
	u64 progress, now;

	if (poll_watch.c != c || poll_watch.last != last || moved) {
		poll_watch.c = c;
		poll_watch.last = last;
		poll_watch.polls = 0;
		poll_watch.since = 0;
		return;
	}
	if (++poll_watch.polls % CPU_POLL_STALL_EVERY)
		return;
	now = dmae_clock_ns();
	progress = __atomic_load_n(&c->progress, __ATOMIC_RELAXED);
	if (!poll_watch.since || progress != poll_watch.progress) {
		poll_watch.since = now; /* moving: a chunk at least since the last look */
		poll_watch.progress = progress;
		return;
	}
	if (now - poll_watch.since >= CPU_POLL_STALL_NS &&
	    __atomic_load_n(&c->worker->hold, __ATOMIC_RELAXED) == CPU_HOLD_WORKER) {
		__atomic_add_fetch(&c->poll_yields, 1, __ATOMIC_RELAXED);
		dmae_yield();
		poll_watch.since = dmae_clock_ns();
	}
}

static enum dma_status cpu_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				     struct dma_tx_state *state)
{
	struct cpu_chan *c = to_cpu_chan(chan);
	u64 sw;
	dma_cookie_t last = chan_cookies(c, &sw);
	dma_cookie_t used = (dma_cookie_t)(sw >> 32);
	enum dma_status st;

	dma_set_tx_state(state, last, used, 0);
	if (!c->worker)
		return DMA_OUT_OF_ORDER;
	st = dma_async_is_complete(cookie, last, used);
	/* While the worker sleeps, a polling client runs small copies itself. */
	if (st != DMA_COMPLETE &&
	    dmae_unlikely(__atomic_load_n(&c->worker->hold, __ATOMIC_RELAXED) == CPU_HOLD_ASLEEP) &&
	    !dmae__cpu_current_worker() && dmae__cpu_client_run(c, cookie_ticket(cookie, sw))) {
		last = chan_cookies(c, &sw);
		used = (dma_cookie_t)(sw >> 32);
		dma_set_tx_state(state, last, used, 0);
		st = dma_async_is_complete(cookie, last, used);
	}
	if (st == DMA_COMPLETE)
		/* The latest transfer that failed on a bus access says so. */
		return cookie == __atomic_load_n(&c->error_cookie, __ATOMIC_RELAXED) ? DMA_ERROR : st;
	if (state)
		state->residue = cookie_residue(c, cookie, sw);
	if (__atomic_load_n(&c->paused, __ATOMIC_ACQUIRE))
		return DMA_PAUSED;
	/* A client polling for a completion may as well move data meanwhile. */
	if (!dmae__cpu_current_worker())
		poll_stall_check(c, last, dmae__cpu_assist_poll(c->cd));
	return st;
}

static int cpu_terminate_all(struct dma_chan *chan)
{
	struct cpu_chan *c = to_cpu_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&c->ctl_lock, flags);
	/* Everything submitted so far is aborted; the ticket before the generation. */
	__atomic_store_n(&c->term_ticket, (u32)__atomic_load_n(&c->submit_word, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->term_gen, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->paused, 0, __ATOMIC_RELEASE);
	__atomic_add_fetch(&c->ctl_gen, 1, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&c->ctl_lock, flags);
	dmae__cpu_wake(c, true);
	return 0;
}

static void cpu_synchronize(struct dma_chan *chan)
{
	chan_barrier(to_cpu_chan(chan));
}

static int cpu_pause(struct dma_chan *chan)
{
	struct cpu_chan *c = to_cpu_chan(chan);

	if (__atomic_exchange_n(&c->paused, 1, __ATOMIC_ACQ_REL)) {
		dmae_misuse(chan, "dmaengine_pause", "channel already paused");
		return -EPERM;
	}
	chan_barrier(c);
	return 0;
}

static int cpu_resume(struct dma_chan *chan)
{
	struct cpu_chan *c = to_cpu_chan(chan);

	if (!__atomic_exchange_n(&c->paused, 0, __ATOMIC_ACQ_REL)) {
		dmae_misuse(chan, "dmaengine_resume", "channel not paused");
		return -EPERM;
	}
	__atomic_add_fetch(&c->ctl_gen, 1, __ATOMIC_RELEASE);
	dmae__cpu_wake(c, true);
	return 0;
}

static void cpu_device_release(struct dma_device *dma)
{
	struct cpu_dev *cd = container_of(dma, struct cpu_dev, dma);

	__atomic_store_n(&cd->released, 1, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------ parameters */

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return def;
	n = strtoul(v, &end, 0);
	if (*end) {
		dmae_log(DMAE_LOG_WARN, "cpu-dma: ignoring %s=%s (not a number)", name, v);
		return def;
	}
	return n;
}

DMAE_EXPORT void dma_cpu_params_init(struct dma_cpu_params *p)
{
	const char *order = getenv("DMAENGINE_CPU_ORDER");
	int ncpu = dmae_cpu_count();

	memset(p, 0, sizeof(*p));
	p->channels = (unsigned int)env_ulong("DMAENGINE_CPU_CHANNELS", 4);
	p->workers = (unsigned int)env_ulong("DMAENGINE_CPU_WORKERS", ncpu > 64 ? 64 : ncpu);
	p->descs = (unsigned int)env_ulong("DMAENGINE_CPU_DESCS", 1024);
	p->out_of_order = order && !strcmp(order, "any");
	p->chunk = 64 * 1024;
	p->spin_ns = env_ulong("DMAENGINE_CPU_SPIN_US", 50) * 1000ull;
	p->iommu = env_ulong("DMAENGINE_CPU_IOMMU", 0) != 0;
	dmae__cpu_fault_from_env(&p->fault);
}

static int params_check(const struct dma_cpu_params *p)
{
	if (p->channels < 1 || p->channels > 256)
		return -EINVAL;
	if (p->workers < 1 || p->workers > 64)
		return -EINVAL;
	if (p->descs < 16 || p->descs > 65536)
		return -EINVAL;
	if (p->chunk < 4096 || p->chunk > 16u << 20)
		return -EINVAL;
	return 0;
}

/* ----------------------------------------------------------- probe, remove */

static u32 pow2_at_least(u32 n)
{
	u32 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static int chan_init(struct cpu_dev *cd, struct cpu_chan *c, unsigned int idx)
{
	c->cd = cd;
	c->ndescs = pow2_at_least(cd->p.descs);
	c->desc_mask = c->ndescs - 1;
	c->nblocks = c->ndescs / 2;
	c->ring_mask = pow2_at_least(c->ndescs) - 1;
	c->descs = aligned_alloc(64, sizeof(*c->descs) * c->ndescs);
	c->blocks = calloc(c->nblocks, sizeof(*c->blocks));
	c->ring = calloc(c->ring_mask + 1, sizeof(*c->ring));
	c->lanes = aligned_alloc(64, sizeof(*c->lanes) * cd->p.workers);
	if (!c->descs || !c->blocks || !c->ring || !c->lanes)
		return -ENOMEM;
	memset(c->lanes, 0, sizeof(*c->lanes) * cd->p.workers);
	spin_lock_init(&c->ctl_lock);
	init_waitqueue_head(&c->ctl_wq);
	c->chan.device = &cd->dma;
	dmae__cpu_pool_reset(c);
	if (!cd->p.out_of_order) {
		c->worker = &cd->workers[idx % cd->p.workers];
		c->lanes[c->worker->idx].serving = true;
		c->worker->chans[c->worker->nchans++] = c;
	} else {
		for (unsigned int i = 0; i < cd->p.workers; i++) {
			c->lanes[i].serving = true;
			cd->workers[i].chans[cd->workers[i].nchans++] = c;
		}
	}
	list_add_tail(&c->chan.device_node, &cd->dma.channels);
	return 0;
}

static void cd_free(struct cpu_dev *cd)
{
	struct iommu_domain *dom = cd->dev.iommu_domain;

	if (dom) {
		iommu_detach_device(dom, &cd->dev);
		iommu_domain_free(dom);
	}
	if (cd->chans)
		for (unsigned int i = 0; i < cd->p.channels; i++) {
			free(cd->chans[i].descs);
			free(cd->chans[i].blocks);
			free(cd->chans[i].ring);
			free(cd->chans[i].lanes);
		}
	if (cd->workers)
		for (unsigned int i = 0; i < cd->p.workers; i++)
			free(cd->workers[i].chans);
	free(cd->chans);
	free(cd->workers);
	free(cd->relays);
	free(cd);
}

static void dev_setup(struct cpu_dev *cd)
{
	static int instances;
	struct dma_device *dma = &cd->dma;

	dmae_device_init(&cd->dev, NULL);
	if (cd->p.name)
		dev_set_name(&cd->dev, "%s", cd->p.name);
	else
		dev_set_name(&cd->dev, "cpu-dma.%d", __atomic_fetch_add(&instances, 1,
									__ATOMIC_RELAXED));
	cd->drv.name = "cpu-dma";
	cd->dev.driver = &cd->drv;
	INIT_LIST_HEAD(&dma->channels);
	dma->dev = &cd->dev;
	dma_cap_set(DMA_MEMCPY, dma->cap_mask);
	dma_cap_set(DMA_MEMCPY_SG, dma->cap_mask);
	dma_cap_set(DMA_MEMSET, dma->cap_mask);
	dma_cap_set(DMA_MEMSET_SG, dma->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dma->cap_mask);
	dma_cap_set(DMA_INTERLEAVE, dma->cap_mask);
	dma_cap_set(DMA_XOR, dma->cap_mask);
	dma_cap_set(DMA_XOR_VAL, dma->cap_mask);
	dma_cap_set(DMA_PQ, dma->cap_mask);
	dma_cap_set(DMA_PQ_VAL, dma->cap_mask);
	if (cd->p.out_of_order) {
		dma_cap_set(DMA_COMPLETION_NO_ORDER, dma->cap_mask);
	} else {
		dma_cap_set(DMA_REPEAT, dma->cap_mask);
		dma_cap_set(DMA_LOAD_EOT, dma->cap_mask);
	}
	/* A device limited to some of these, standing in for a simpler engine. */
	if (cd->p.caps.bits[0])
		dma->cap_mask.bits[0] &= cd->p.caps.bits[0];
	dma->max_xor = CPU_RAID_MAX_SRCS;
	dma->max_pq = CPU_RAID_MAX_SRCS | DMA_HAS_PQ_CONTINUE;
	dma->xor_align = DMAENGINE_ALIGN_1_BYTE;
	dma->pq_align = DMAENGINE_ALIGN_1_BYTE;
	dma->residue_granularity = DMA_RESIDUE_GRANULARITY_BURST;
	dma->descriptor_reuse = true;
	dma->copy_align = DMAENGINE_ALIGN_1_BYTE;
	dma->fill_align = DMAENGINE_ALIGN_1_BYTE;
	dma->device_alloc_chan_resources = cpu_alloc_chan_resources;
	dma->device_free_chan_resources = cpu_free_chan_resources;
	dma->device_issue_pending = cpu_issue_pending;
	dma->device_tx_status = cpu_tx_status;
	dma->device_terminate_all = cpu_terminate_all;
	dma->device_synchronize = cpu_synchronize;
	dma->device_pause = cpu_pause;
	dma->device_resume = cpu_resume;
	dma->device_release = cpu_device_release;
	dmae__cpu_set_prep_ops(dma);
}

DMAE_EXPORT struct dma_device *dma_cpu_probe(const struct dma_cpu_params *params)
{
	struct dma_cpu_params defaults;
	struct cpu_dev *cd;
	int ret = -ENOMEM;

	if (!params) {
		dma_cpu_params_init(&defaults);
		params = &defaults;
	}
	if (params_check(params)) {
		dmae_log(DMAE_LOG_ERR, "cpu-dma: parameters out of range (channels 1-256, workers 1-64, descs 16-65536, chunk 4 KiB-16 MiB)");
		return ERR_PTR(-EINVAL);
	}
	if (dmae__cpu_fault_check(NULL, &params->fault))
		return ERR_PTR(-EINVAL);
	cd = aligned_alloc(64, sizeof(*cd));
	if (!cd)
		return ERR_PTR(-ENOMEM);
	memset(cd, 0, sizeof(*cd));
	cd->p = *params;
	cd->chans = aligned_alloc(64, sizeof(*cd->chans) * cd->p.channels);
	cd->workers = aligned_alloc(64, sizeof(*cd->workers) * cd->p.workers);
	cd->relays = aligned_alloc(64, sizeof(*cd->relays) * cd->p.workers);
	if (!cd->chans || !cd->workers || !cd->relays)
		goto out_free;
	memset(cd->chans, 0, sizeof(*cd->chans) * cd->p.channels);
	memset(cd->workers, 0, sizeof(*cd->workers) * cd->p.workers);
	memset(cd->relays, 0, sizeof(*cd->relays) * cd->p.workers);
	dev_setup(cd);
	dmae__cpu_fault_init(cd);
	if (cd->p.iommu) {
		struct iommu_domain *dom = iommu_paging_domain_alloc(&cd->dev);

		if (IS_ERR(dom)) {
			ret = (int)PTR_ERR(dom);
			goto out_free;
		}
		iommu_attach_device(dom, &cd->dev);
	}
	for (unsigned int i = 0; i < CPU_ASSIST_CLIENTS; i++)
		cd->assist.client_at[i] = CPU_ASSIST_IDLE;
	for (unsigned int i = 0; i < cd->p.workers; i++) {
		cd->workers[i].cd = cd;
		cd->workers[i].idx = i;
		cd->workers[i].assist_at = CPU_ASSIST_IDLE;
		init_waitqueue_head(&cd->workers[i].wq);
		cd->workers[i].chans = calloc(cd->p.channels, sizeof(struct cpu_chan *));
		if (!cd->workers[i].chans)
			goto out_free;
	}
	for (unsigned int i = 0; i < cd->p.channels; i++)
		if (chan_init(cd, &cd->chans[i], i))
			goto out_free;
	ret = dma_async_device_register(&cd->dma);
	if (ret)
		goto out_free;
	ret = dmae__cpu_workers_start(cd);
	if (ret) {
		dma_async_device_unregister(&cd->dma);
		goto out_free;
	}
	return &cd->dma;

out_free:
	cd_free(cd);
	return ERR_PTR(ret);
}

/** dmae__cpu_dev - the cpu device behind @dma, or NULL when it is not one. */
struct cpu_dev *dmae__cpu_dev(struct dma_device *dma)
{
	if (!dma || dma->device_alloc_chan_resources != cpu_alloc_chan_resources)
		return NULL;
	return container_of(dma, struct cpu_dev, dma);
}

DMAE_EXPORT int dma_cpu_remove(struct dma_device *dma)
{
	struct cpu_dev *cd;

	if (!dma || dma->device_alloc_chan_resources != cpu_alloc_chan_resources)
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	cd = container_of(dma, struct cpu_dev, dma);
	for (unsigned int i = 0; i < cd->p.channels; i++)
		if (__atomic_load_n(&cd->chans[i].chan.client_count, __ATOMIC_RELAXED)) {
			dmae_log(DMAE_LOG_ERR, "cpu-dma: %s: channel %s still held",
				 dev_name(&cd->dev), dma_chan_name(&cd->chans[i].chan));
			return -EBUSY;
		}
	dma_async_device_unregister(dma);
	dmae__cpu_workers_stop(cd);
	dmae_device_release(&cd->dev); /* DMA-API debug: mappings still held are leaks */
	cd_free(cd);
	return 0;
}
