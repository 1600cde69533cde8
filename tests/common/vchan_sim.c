// SPDX-License-Identifier: MIT
/*
 * vchan_sim.c - a memory-to-memory DMA provider written the way kernel
 * drivers are written on virt-dma, in front of a simulated engine. Private to
 * the tests; it is also the model of how to write a provider.
 *
 * Two halves meet only at each channel's registers (struct sim_hw) and its
 * interrupt line, as a driver and its hardware do:
 *
 *   driver  prep       calloc a sim_desc, vchan_tx_prep      -> desc_allocated
 *           submit     vchan_tx_submit                       -> desc_submitted
 *           issue      vchan_issue_pending; if the channel is idle, take the
 *                      first issued descriptor off the list and program it
 *           interrupt  TC set: vchan_cookie_complete(running) -> desc_completed,
 *                      then program the next issued one right here (not in
 *                      the tasklet: the channel idles only for the interrupt
 *                      latency)
 *           tasklet    virt-dma calls the callbacks, then frees or recycles
 *   engine  one thread per device; for every enabled channel it copies one
 *           chunk of SIM_CHUNK bytes per pass, counting the count register
 *           down; at zero it sets TC, clears EN and raises the interrupt line.
 *           After every burst of SIM_BURST_CHUNKS chunks it leaves the bus
 *           for SIM_GAP_NS: a finite bandwidth (about 1 GB/s), which also
 *           lets the driver's lock go to others between bursts.
 *
 * The engine never reads a descriptor: what it needs was copied into the
 * registers when the transfer was programmed, so terminate may free the
 * running descriptor at once. It touches the client's buffers only inside a
 * chunk, through bus access (dmaengine/bus.h), and it begins a chunk only
 * while EN is set; terminate clears EN, and synchronize (or pause) then waits
 * for the chunk in flight to end. A bus fault ends the transfer with TC and
 * TE set: the descriptor completes with DMA_TRANS_READ_FAILED or
 * DMA_TRANS_WRITE_FAILED and the bytes not copied as its residue.
 *
 * Locking: vc.lock protects the driver state of a channel and its registers.
 * The engine takes it around every register access (registers are atomic on
 * real hardware), never while it copies.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/bus.h>
#include <dmaengine/virt-dma.h>

#include "common/vchan_sim.h"

#define SIM_DRIVER_NAME "vchan-sim"
#define SIM_CHUNK 4096u		/* bytes the engine copies between register checks */
#define SIM_MAX_CHANS 256u	/* chan_id values a struct dma_device can hand out */
#define SIM_MAX_LEN UINT32_MAX	/* the count register is 32 bits wide */
#define SIM_BURST_CHUNKS 16u	/* chunks the engine moves between two gaps */
#define SIM_GAP_NS 20000	/* how long the engine leaves the bus after a burst */

/* One transfer as the driver prepared it. */
struct sim_desc {
	struct virt_dma_desc vd; /* virt-dma bookkeeping; the client sees vd.tx */
	dma_addr_t dst;		 /* destination bus address */
	dma_addr_t src;		 /* source bus address */
	u32 len;		 /* bytes to copy; 0 for DMA_INTERRUPT */
};

/* The registers of one engine channel. All under the channel's vc.lock. */
struct sim_hw {
	dma_addr_t dst;	/* destination of the programmed transfer (bus address) */
	dma_addr_t src;	/* source of the programmed transfer (bus address) */
	u32 len;	/* programmed length */
	u32 count;	/* bytes still to copy: the residue counter */
	bool en;	/* enable: the engine works on the channel while set (atomic) */
	bool tc;	/* transfer complete status; the driver acknowledges it */
	u8 te;		/* transfer error with tc: the dmaengine_tx_result of a bus fault */
	u32 gen;	/* bumped at every (re)programming: older chunks do not count */
	bool busy;	/* the engine is inside a chunk of this channel */
	u32 chunks;	/* chunks ended so far; waiters watch it move */
};

struct sim_device;

struct sim_chan {
	struct virt_dma_chan vc; /* virt-dma channel; vc.chan is the dmaengine channel */
	struct sim_device *sd;	 /* the device it belongs to */
	struct sim_desc *desc;	 /* descriptor programmed in the engine, or NULL; vc.lock */
	bool paused;		 /* dmaengine_pause in force; vc.lock */
	struct sim_hw hw;	 /* the channel's registers; vc.lock */
	int irq;		 /* interrupt line from dmae_irq_alloc, or -1 */
	bool irq_requested;	 /* request_irq succeeded on irq */
};

struct sim_device {
	struct dma_device dma;	    /* what the core knows */
	struct device dev;	    /* the controller, named at probe */
	struct device_driver drv;   /* "vchan-sim" */
	struct sim_chan *chans;	    /* the channels */
	unsigned int nchans;	    /* entries of chans */
	struct dmae_thread *engine; /* the simulated hardware, or NULL */
	wait_queue_head_t engine_wq; /* the engine sleeps here while nothing is enabled */
	wait_queue_head_t chunk_wq;  /* woken at the end of every chunk */
	u32 nr_enabled;		    /* channels with hw.en set (atomic) */
	u32 stop;		    /* tells the engine thread to return (atomic) */
	u32 released;		    /* the core called device_release (atomic) */
};

/* A chunk the engine copies with no lock held. */
struct sim_job {
	dma_addr_t dst; /* where the chunk goes */
	dma_addr_t src; /* where it comes from */
	u32 n;		/* its size; 0 for a transfer of no bytes */
	u32 gen;	/* hw.gen when it began */
	u8 fault;	/* DMA_TRANS_READ_FAILED / _WRITE_FAILED: a bus access failed */
};

static inline struct sim_chan *to_sim_chan(struct dma_chan *chan)
{
	return container_of(to_virt_chan(chan), struct sim_chan, vc);
}

static inline struct sim_desc *to_sim_desc(struct virt_dma_desc *vd)
{
	return container_of(vd, struct sim_desc, vd);
}

static inline struct sim_device *to_sim_device(struct dma_device *dma)
{
	return container_of(dma, struct sim_device, dma);
}

/* =================================================== the simulated engine */

/*
 * sim_hw_set_en - write the enable bit. The device counts enabled channels
 * so that its engine can sleep while there are none.
 * Context: any; vc.lock held.
 */
static void sim_hw_set_en(struct sim_chan *sc, bool en)
{
	struct sim_device *sd = sc->sd;

	if (sc->hw.en == en)
		return;
	/* Atomic: the engine peeks at it without the lock (sim_engine_step). */
	__atomic_store_n(&sc->hw.en, en, __ATOMIC_RELAXED);
	if (!en) {
		__atomic_sub_fetch(&sd->nr_enabled, 1, __ATOMIC_RELAXED);
		return;
	}
	/* Release: the engine that sees the count sees the registers. */
	__atomic_add_fetch(&sd->nr_enabled, 1, __ATOMIC_RELEASE);
	wake_up(&sd->engine_wq);
}

/*
 * sim_hw_program - load @d into the registers; the engine starts at once
 * unless the channel is paused. Context: any; vc.lock held.
 */
static void sim_hw_program(struct sim_chan *sc, const struct sim_desc *d)
{
	sc->hw.dst = d->dst;
	sc->hw.src = d->src;
	sc->hw.len = d->len;
	sc->hw.count = d->len;
	sc->hw.tc = false;
	sc->hw.te = 0;
	sc->hw.gen++;
	sim_hw_set_en(sc, !sc->paused);
}

/* sim_hw_stop - abort the programmed transfer. Context: any; vc.lock held. */
static void sim_hw_stop(struct sim_chan *sc)
{
	sim_hw_set_en(sc, false);
	sc->hw.tc = false;
	sc->hw.te = 0;
	sc->hw.count = 0;
	sc->hw.gen++;
}

/*
 * sim_engine_begin - the engine's register read before a chunk: false when
 * the channel is not enabled, else the chunk to copy, with busy set so that
 * synchronize and pause can wait for it.
 */
static bool sim_engine_begin(struct sim_chan *sc, struct sim_job *job)
{
	unsigned long flags;
	u32 off;

	spin_lock_irqsave(&sc->vc.lock, flags);
	if (!sc->hw.en) {
		spin_unlock_irqrestore(&sc->vc.lock, flags);
		return false;
	}
	off = sc->hw.len - sc->hw.count;
	job->n = sc->hw.count < SIM_CHUNK ? sc->hw.count : SIM_CHUNK;
	job->dst = sc->hw.dst + off;
	job->src = sc->hw.src + off;
	job->gen = sc->hw.gen;
	job->fault = 0;
	sc->hw.busy = true;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	return true;
}

/*
 * sim_engine_end - the register update after a chunk: count it, unless the
 * channel was reprogrammed meanwhile; at zero set TC, clear EN and raise the
 * interrupt line.
 */
static void sim_engine_end(struct sim_chan *sc, const struct sim_job *job)
{
	unsigned long flags;
	bool raise = false;

	spin_lock_irqsave(&sc->vc.lock, flags);
	sc->hw.busy = false;
	sc->hw.chunks++;
	if (job->gen == sc->hw.gen && job->fault) {
		/* A bus error ends the transfer where it stands, as TC with TE. */
		sc->hw.te = job->fault;
		sc->hw.tc = true;
		sim_hw_set_en(sc, false);
		raise = true;
	} else if (job->gen == sc->hw.gen) {
		sc->hw.count -= job->n;
		if (!sc->hw.count) {
			sc->hw.tc = true;
			sim_hw_set_en(sc, false);
			raise = true;
		}
	}
	spin_unlock_irqrestore(&sc->vc.lock, flags);

	wake_up(&sc->sd->chunk_wq);
	if (raise)
		dmae_irq_raise((unsigned int)sc->irq);
}

/*
 * sim_engine_step - one chunk of @sc's transfer, if the channel is enabled;
 * true if it did one. A disabled channel costs no lock: its users are left
 * alone.
 */
static bool sim_engine_step(struct sim_chan *sc)
{
	struct device *dev = sc->vc.chan.device->dev;
	struct sim_job job;
	const void *from;
	void *to = NULL;
	size_t span;

	if (!__atomic_load_n(&sc->hw.en, __ATOMIC_RELAXED) || !sim_engine_begin(sc, &job))
		return false;
	if (job.n) {
		/* Memory only through bus access: a fault is a transfer error. */
		from = dmae_bus_xlate(dev, job.src, job.n, DMAE_BUS_READ, &span);
		if (from) {
			job.n = (u32)span;
			to = dmae_bus_xlate(dev, job.dst, job.n, DMAE_BUS_WRITE, &span);
		}
		if (to) {
			job.n = (u32)span;
			memcpy(to, from, job.n);
		} else {
			job.fault = from ? DMA_TRANS_WRITE_FAILED : DMA_TRANS_READ_FAILED;
		}
	}
	sim_engine_end(sc, &job);
	return true;
}

/* sim_engine_gap - leave the bus for SIM_GAP_NS, or until stopped or kicked. */
static void sim_engine_gap(struct sim_device *sd)
{
	u32 seq = dmae_wq_prepare(&sd->engine_wq);

	if (!__atomic_load_n(&sd->stop, __ATOMIC_ACQUIRE))
		dmae_wq_sleep(&sd->engine_wq, seq, SIM_GAP_NS);
	dmae_wq_finish(&sd->engine_wq);
}

static bool sim_engine_has_work(struct sim_device *sd)
{
	return __atomic_load_n(&sd->nr_enabled, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&sd->stop, __ATOMIC_ACQUIRE);
}

/* The engine: one chunk per enabled channel per pass, asleep when none is. */
static void sim_engine_thread(void *arg)
{
	struct sim_device *sd = arg;
	unsigned int i, burst = 0;

	for (;;) {
		wait_event(sd->engine_wq, sim_engine_has_work(sd));
		if (__atomic_load_n(&sd->stop, __ATOMIC_ACQUIRE))
			return;
		for (i = 0; i < sd->nchans; i++)
			burst += sim_engine_step(&sd->chans[i]);
		if (burst >= SIM_BURST_CHUNKS) {
			sim_engine_gap(sd);
			burst = 0;
		}
	}
}

/* sim_chunk_ended - whether @sc's chunk count moved past @seen. */
static bool sim_chunk_ended(struct sim_chan *sc, u32 seen)
{
	unsigned long flags;
	u32 now;

	spin_lock_irqsave(&sc->vc.lock, flags);
	now = sc->hw.chunks;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	return now != seen;
}

/*
 * sim_wait_chunk - wait until the chunk of @sc the engine may be inside now
 * has ended. With EN clear beforehand, the engine then no longer touches the
 * channel's buffers. Context: any; sleeps in process context, else yields
 * (a chunk is short).
 */
static void sim_wait_chunk(struct sim_chan *sc)
{
	unsigned long flags;
	bool busy;
	u32 seen;

	spin_lock_irqsave(&sc->vc.lock, flags);
	busy = sc->hw.busy;
	seen = sc->hw.chunks;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	if (!busy)
		return;
	if (in_task()) {
		wait_event(sc->sd->chunk_wq, sim_chunk_ended(sc, seen));
		return;
	}
	while (!sim_chunk_ended(sc, seen))
		dmae_yield();
}

/* ============================================================ the driver */

/*
 * sim_start_next - program the first issued descriptor, if any: it leaves
 * desc_issued for sc->desc. Context: any; vc.lock held.
 */
static void sim_start_next(struct sim_chan *sc)
{
	struct virt_dma_desc *vd = vchan_next_desc(&sc->vc);

	sc->desc = NULL;
	if (!vd)
		return;
	list_del(&vd->node);
	sc->desc = to_sim_desc(vd);
	sim_hw_program(sc, sc->desc);
}

/* sim_complete_running - hand the finished descriptor to virt-dma. vc.lock held. */
static void sim_complete_running(struct sim_chan *sc)
{
	struct sim_desc *d = sc->desc;

	sc->desc = NULL;
	if (d->len)
		dma_chan_stats_add(&sc->vc.chan, 1, d->len);
	vchan_cookie_complete(&d->vd);
}

/*
 * sim_handle_tc - if the engine reports transfer complete, acknowledge TC,
 * complete the running descriptor and program the next one. False when TC
 * is clear (terminate came first, or it was handled already).
 * Context: any; vc.lock held.
 */
static bool sim_handle_tc(struct sim_chan *sc)
{
	if (!sc->hw.tc || !sc->desc)
		return false;
	sc->hw.tc = false;
	if (sc->hw.te) {
		sc->desc->vd.tx_result.result = (enum dmaengine_tx_result)sc->hw.te;
		sc->desc->vd.tx_result.residue = sc->hw.count;
		sc->hw.te = 0;
	}
	sim_complete_running(sc);
	sim_start_next(sc);
	return true;
}

/* sim_irq_handler - the channel's interrupt: transfer complete. Context: interrupt. */
static irqreturn_t sim_irq_handler(int irq, void *dev_id)
{
	struct sim_chan *sc = dev_id;
	bool handled;

	spin_lock(&sc->vc.lock);
	handled = sim_handle_tc(sc);
	spin_unlock(&sc->vc.lock);
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

static void sim_desc_free(struct virt_dma_desc *vd)
{
	free(to_sim_desc(vd));
}

/* sim_prep - a descriptor for @len bytes from @src to @dst. Context: any. */
static struct dma_async_tx_descriptor *sim_prep(struct dma_chan *chan, dma_addr_t dst,
						dma_addr_t src, size_t len,
						unsigned long flags)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_desc *d;

	if (len > SIM_MAX_LEN)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->dst = dst;
	d->src = src;
	d->len = (u32)len;
	return vchan_tx_prep(&sc->vc, &d->vd, flags);
}

static struct dma_async_tx_descriptor *sim_prep_dma_memcpy(struct dma_chan *chan,
							   dma_addr_t dst, dma_addr_t src,
							   size_t len, unsigned long flags)
{
	if (!len)
		return NULL;
	return sim_prep(chan, dst, src, len, flags);
}

/* An interrupt descriptor is a transfer of no bytes: TC as soon as it runs. */
static struct dma_async_tx_descriptor *sim_prep_dma_interrupt(struct dma_chan *chan,
							      unsigned long flags)
{
	return sim_prep(chan, 0, 0, 0, flags);
}

/* Start the issued work if the channel is idle. Context: any. */
static void sim_issue_pending(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&sc->vc.lock, flags);
	if (vchan_issue_pending(&sc->vc) && !sc->desc)
		sim_start_next(sc);
	spin_unlock_irqrestore(&sc->vc.lock, flags);
}

/* A queued (submitted or issued, not running) descriptor with @cookie, or NULL. */
static struct sim_desc *sim_find_queued(struct sim_chan *sc, dma_cookie_t cookie)
{
	struct virt_dma_desc *vd = vchan_find_desc(&sc->vc, cookie);

	if (vd)
		return to_sim_desc(vd);
	list_for_each_entry(vd, &sc->vc.desc_submitted, node)
		if (vd->tx.cookie == cookie)
			return to_sim_desc(vd);
	return NULL;
}

/*
 * sim_residue - bytes of @cookie not yet written: the count register for the
 * running descriptor, the whole length for a queued one. False if @cookie is
 * neither (it completed meanwhile, or was aborted). vc.lock held.
 */
static bool sim_residue(struct sim_chan *sc, dma_cookie_t cookie, u32 *residue)
{
	struct sim_desc *d;

	if (sc->desc && sc->desc->vd.tx.cookie == cookie) {
		*residue = sc->hw.count;
		return true;
	}
	d = sim_find_queued(sc, cookie);
	if (!d)
		return false;
	*residue = d->len;
	return true;
}

/* Status of @cookie, with its residue; DMA_PAUSED while the channel is paused. */
static enum dma_status sim_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				     struct dma_tx_state *state)
{
	struct sim_chan *sc = to_sim_chan(chan);
	enum dma_status status;
	unsigned long flags;
	u32 residue = 0;

	status = dma_cookie_status(chan, cookie, state);
	if (status == DMA_COMPLETE)
		return status;

	spin_lock_irqsave(&sc->vc.lock, flags);
	if (!sim_residue(sc, cookie, &residue))
		status = dma_cookie_status(chan, cookie, state); /* completed meanwhile? */
	if (status == DMA_IN_PROGRESS && sc->paused)
		status = DMA_PAUSED;
	spin_unlock_irqrestore(&sc->vc.lock, flags);

	dma_set_residue(state, residue);
	return status;
}

/*
 * sim_terminate_all - stop the engine and drop every descriptor; no callback
 * for any of them. The engine may still be inside a chunk when this returns:
 * sim_synchronize waits for it. Context: any, including a callback.
 */
static int sim_terminate_all(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&sc->vc.lock, flags);
	sim_hw_stop(sc);
	sc->paused = false;
	if (sc->desc) {
		vchan_terminate_vdesc(&sc->desc->vd);
		sc->desc = NULL;
	}
	vchan_get_all_descriptors(&sc->vc, &head);
	spin_unlock_irqrestore(&sc->vc.lock, flags);

	vchan_dma_desc_free_list(&sc->vc, &head);
	return 0;
}

/*
 * sim_synchronize - after this, the engine no longer touches buffers of
 * terminated transfers and no callback runs or is scheduled. Context: process.
 */
static void sim_synchronize(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);

	sim_wait_chunk(sc);
	vchan_synchronize(&sc->vc);
}

/*
 * sim_pause - stop the running transfer at the end of the chunk in flight;
 * returns once the engine has stopped. A transfer that finished meanwhile
 * (its interrupt still pending) is completed here, and the next one is
 * programmed but not started: a paused channel never reports a running
 * transfer with nothing left to do.
 * -EPERM when nothing runs or the channel is paused already. Context: any.
 */
static int sim_pause(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	const char *why = NULL;
	unsigned long flags;

	spin_lock_irqsave(&sc->vc.lock, flags);
	if (sc->paused) {
		why = "channel already paused";
	} else if (!sc->desc) {
		why = "channel not running";
	} else {
		sc->paused = true;
		sim_hw_set_en(sc, false);
	}
	spin_unlock_irqrestore(&sc->vc.lock, flags);

	if (why) {
		dmae_misuse(chan, "dmaengine_pause", "%s", why);
		return -EPERM;
	}
	sim_wait_chunk(sc);

	spin_lock_irqsave(&sc->vc.lock, flags);
	sim_handle_tc(sc);
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	return 0;
}

/* sim_resume - go on where pause stopped; -EPERM when not paused. Context: any. */
static int sim_resume(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;
	bool paused;

	spin_lock_irqsave(&sc->vc.lock, flags);
	paused = sc->paused;
	sc->paused = false;
	/* A transfer that finished while paused waits for its interrupt, not the engine. */
	if (paused && sc->desc && !sc->hw.tc)
		sim_hw_set_en(sc, true);
	spin_unlock_irqrestore(&sc->vc.lock, flags);

	if (!paused) {
		dmae_misuse(chan, "dmaengine_resume", "channel not paused");
		return -EPERM;
	}
	return 0;
}

/* Descriptors are allocated at prep time: nothing to set up. */
static int sim_alloc_chan_resources(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&sc->vc.lock, flags);
	sc->paused = false;
	spin_unlock_irqrestore(&sc->vc.lock, flags);
	return 0;
}

/* The last client went: stop whatever it left running, free every descriptor. */
static void sim_free_chan_resources(struct dma_chan *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);

	sim_terminate_all(chan);
	sim_synchronize(chan);
	vchan_free_chan_resources(&sc->vc);
}

/* The core let go of the device; vchan_sim_remove frees it. */
static void sim_device_release(struct dma_device *dma)
{
	__atomic_store_n(&to_sim_device(dma)->released, 1, __ATOMIC_RELEASE);
}

/* ==================================================== probe and removal */

static void sim_dev_setup(struct sim_device *sd, const char *name)
{
	static int instances;
	struct dma_device *dma = &sd->dma;

	dmae_device_init(&sd->dev, NULL);
	if (name)
		dev_set_name(&sd->dev, "%s", name);
	else
		dev_set_name(&sd->dev, SIM_DRIVER_NAME ".%d",
			     __atomic_fetch_add(&instances, 1, __ATOMIC_RELAXED));
	sd->drv.name = SIM_DRIVER_NAME;
	sd->dev.driver = &sd->drv;

	INIT_LIST_HEAD(&dma->channels);
	dma->dev = &sd->dev;
	dma_cap_set(DMA_MEMCPY, dma->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dma->cap_mask);
	dma->copy_align = DMAENGINE_ALIGN_1_BYTE;
	dma->residue_granularity = DMA_RESIDUE_GRANULARITY_SEGMENT;
	dma->descriptor_reuse = true;
	dma->directions = 0;
	dma->device_alloc_chan_resources = sim_alloc_chan_resources;
	dma->device_free_chan_resources = sim_free_chan_resources;
	dma->device_prep_dma_memcpy = sim_prep_dma_memcpy;
	dma->device_prep_dma_interrupt = sim_prep_dma_interrupt;
	dma->device_issue_pending = sim_issue_pending;
	dma->device_tx_status = sim_tx_status;
	dma->device_terminate_all = sim_terminate_all;
	dma->device_synchronize = sim_synchronize;
	dma->device_pause = sim_pause;
	dma->device_resume = sim_resume;
	dma->device_release = sim_device_release;
}

/* sim_chan_init - a virt-dma channel with its own interrupt line. */
static int sim_chan_init(struct sim_device *sd, struct sim_chan *sc)
{
	int ret;

	sc->sd = sd;
	sc->vc.desc_free = sim_desc_free;
	vchan_init(&sc->vc, &sd->dma);

	sc->irq = dmae_irq_alloc();
	if (sc->irq < 0)
		return sc->irq;
	ret = request_irq((unsigned int)sc->irq, sim_irq_handler, 0, dev_name(&sd->dev), sc);
	if (ret)
		return ret;
	sc->irq_requested = true;
	return 0;
}

static void sim_chan_fini(struct sim_chan *sc)
{
	if (sc->irq_requested)
		free_irq((unsigned int)sc->irq, sc);
	if (sc->irq >= 0)
		dmae_irq_free((unsigned int)sc->irq);
	tasklet_kill(&sc->vc.task);
}

static void sim_engine_stop(struct sim_device *sd)
{
	if (!sd->engine)
		return;
	__atomic_store_n(&sd->stop, 1, __ATOMIC_RELEASE);
	wake_up(&sd->engine_wq);
	dmae_thread_join(sd->engine);
	sd->engine = NULL;
}

/* sim_free - undo what probe set up, in reverse; the device is not registered. */
static void sim_free(struct sim_device *sd)
{
	unsigned int i;

	sim_engine_stop(sd);
	for (i = 0; i < sd->nchans; i++)
		sim_chan_fini(&sd->chans[i]);
	free(sd->chans);
	free(sd);
}

static struct sim_device *sim_alloc(unsigned int nchans)
{
	struct sim_device *sd = calloc(1, sizeof(*sd));
	unsigned int i;

	if (!sd)
		return NULL;
	sd->chans = calloc(nchans, sizeof(*sd->chans));
	if (!sd->chans) {
		free(sd);
		return NULL;
	}
	sd->nchans = nchans;
	for (i = 0; i < nchans; i++)
		sd->chans[i].irq = -1;
	init_waitqueue_head(&sd->engine_wq);
	init_waitqueue_head(&sd->chunk_wq);
	return sd;
}

struct dma_device *vchan_sim_probe(const char *name, unsigned int nchans)
{
	struct sim_device *sd;
	unsigned int i;
	int ret;

	if (!nchans || nchans > SIM_MAX_CHANS)
		return ERR_PTR(-EINVAL);
	sd = sim_alloc(nchans);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	sim_dev_setup(sd, name);
	for (i = 0; i < nchans; i++) {
		ret = sim_chan_init(sd, &sd->chans[i]);
		if (ret)
			goto out_free;
	}
	ret = dmae_thread_create(&sd->engine, sim_engine_thread, sd, SIM_DRIVER_NAME);
	if (ret)
		goto out_free;
	ret = dma_async_device_register(&sd->dma);
	if (ret)
		goto out_free;
	return &sd->dma;

out_free:
	sim_free(sd);
	return ERR_PTR(ret);
}

int vchan_sim_remove(struct dma_device *dma)
{
	struct sim_device *sd;
	unsigned int i;

	if (!dma || dma->device_alloc_chan_resources != sim_alloc_chan_resources)
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	sd = to_sim_device(dma);
	for (i = 0; i < sd->nchans; i++) {
		struct dma_chan *chan = &sd->chans[i].vc.chan;

		if (__atomic_load_n(&chan->client_count, __ATOMIC_RELAXED)) {
			dev_err(&sd->dev, "channel %s still held", dma_chan_name(chan));
			return -EBUSY;
		}
	}
	dma_async_device_unregister(dma);
	if (!__atomic_load_n(&sd->released, __ATOMIC_ACQUIRE))
		dev_warn(&sd->dev, "removed while the core still holds the device");
	sim_free(sd);
	return 0;
}
