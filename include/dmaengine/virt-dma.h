/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/virt-dma.h - virtual DMA channels: the kernel's helper that keeps
 * a channel's descriptors on five lists and calls callbacks from a tasklet.
 *
 * Provider API: not for applications.
 *
 * A descriptor moves
 *   prep:      vchan_tx_prep            -> desc_allocated
 *   submit:    vchan_tx_submit          -> desc_submitted   (cookie assigned)
 *   issue:     vchan_issue_pending      -> desc_issued      (the driver starts the first)
 *   done:      vchan_cookie_complete    -> desc_completed   (tasklet scheduled)
 *   tasklet:   callback, then freed, or back to desc_allocated if DMA_CTRL_REUSE
 *   terminate: vchan_terminate_vdesc    -> desc_terminated  (freed by vchan_synchronize)
 * All five lists and cyclic are protected by vc->lock. Interrupt handlers
 * take the lock; the tasklet calls callbacks without it.
 */
#ifndef DMAENGINE_VIRT_DMA_H
#define DMAENGINE_VIRT_DMA_H

#include <dmaengine/provider.h>

DMAE_BEGIN_DECLS

struct virt_dma_desc {
	struct dma_async_tx_descriptor tx;  /* what the client sees */
	struct dmaengine_result tx_result;  /* passed to callback_result */
	struct list_head node;		    /* on one of the vc lists; vc->lock */
};

struct virt_dma_chan {
	struct dma_chan chan;			   /* the dmaengine channel */
	struct tasklet_struct task;		   /* completion: vchan_complete */
	void (*desc_free)(struct virt_dma_desc *); /* the driver's free */
	spinlock_t lock;			   /* protects everything below */
	struct list_head desc_allocated;	   /* prepared, not submitted */
	struct list_head desc_submitted;	   /* submitted, not issued */
	struct list_head desc_issued;		   /* issued; the first may be running */
	struct list_head desc_completed;	   /* done, callback pending */
	struct list_head desc_terminated;	   /* aborted, freed by synchronize */
	struct virt_dma_desc *cyclic;		   /* cyclic period callback pending */
	u32 term_gen;				   /* bumped by every terminate; atomic */
};

static inline struct virt_dma_chan *to_virt_chan(struct dma_chan *chan)
{
	return container_of(chan, struct virt_dma_chan, chan);
}

static inline struct virt_dma_desc *to_virt_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct virt_dma_desc, tx);
}

/** Initialise @vc and add its channel to @dmadev->channels. */
DMAE_EXPORT void vchan_init(struct virt_dma_chan *vc, struct dma_device *dmadev);
/** tx_submit of virt-dma descriptors: cookie, then desc_submitted. -EINVAL if queued already. */
DMAE_EXPORT dma_cookie_t vchan_tx_submit(struct dma_async_tx_descriptor *tx);
/** desc_free of virt-dma descriptors (dmaengine_desc_free); -EBUSY unless allocated. */
DMAE_EXPORT int vchan_tx_desc_free(struct dma_async_tx_descriptor *tx);
/** The issued descriptor with @cookie, or NULL. Context: vc->lock held. */
DMAE_EXPORT struct virt_dma_desc *vchan_find_desc(struct virt_dma_chan *vc, dma_cookie_t cookie);
/** Free (or, if reusable, return to desc_allocated) every descriptor on @head. */
DMAE_EXPORT void vchan_dma_desc_free_list(struct virt_dma_chan *vc, struct list_head *head);

/**
 * vchan_tx_prep - set up a freshly allocated descriptor and put it on
 * desc_allocated. Context: any.
 */
static inline struct dma_async_tx_descriptor *vchan_tx_prep(struct virt_dma_chan *vc,
							    struct virt_dma_desc *vd,
							    unsigned long tx_flags)
{
	unsigned long flags;

	dma_async_tx_descriptor_init(&vd->tx, &vc->chan);
	vd->tx.flags = (enum dma_ctrl_flags)tx_flags;
	vd->tx.tx_submit = vchan_tx_submit;
	vd->tx.desc_free = vchan_tx_desc_free;
	vd->tx.cookie = -EBUSY;
	vd->tx_result.result = DMA_TRANS_NOERROR;
	vd->tx_result.residue = 0;

	spin_lock_irqsave(&vc->lock, flags);
	list_add_tail(&vd->node, &vc->desc_allocated);
	spin_unlock_irqrestore(&vc->lock, flags);

	return &vd->tx;
}

/** Move submitted to issued; true if anything is issued. Context: vc->lock held. */
static inline bool vchan_issue_pending(struct virt_dma_chan *vc)
{
	list_splice_tail_init(&vc->desc_submitted, &vc->desc_issued);
	return !list_empty(&vc->desc_issued);
}

/**
 * vchan_cookie_complete - @vd is done: complete its cookie, queue it for the
 * tasklet (traced as its "complete", with vd->tx_result).
 * Context: vc->lock held (typically the interrupt handler).
 */
static inline void vchan_cookie_complete(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	/* A stale completion (a spurious interrupt) must not touch the lists. */
	if (dmae_unlikely(vd->tx.cookie < DMA_MIN_COOKIE)) {
		dmae_cookie_complete_twice(&vd->tx);
		return;
	}
	dmae_trace_tx_complete(&vd->tx, vd->tx_result.result);
	dma_cookie_complete(&vd->tx);
	list_add_tail(&vd->node, &vc->desc_completed);
	tasklet_schedule(&vc->task);
}

/** Free @vd, or return it to desc_allocated when reusable. */
static inline void vchan_vdesc_fini(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	if (dmaengine_desc_test_reuse(&vd->tx)) {
		unsigned long flags;

		spin_lock_irqsave(&vc->lock, flags);
		/*
		 * A callback may have resubmitted it, and it may even have completed
		 * again: leave it where it is. list_del() leaves a node on no list.
		 */
		if (list_empty(&vd->node))
			list_add(&vd->node, &vc->desc_allocated);
		spin_unlock_irqrestore(&vc->lock, flags);
	} else {
		vc->desc_free(vd);
	}
}

/** A cyclic period ended: one callback for however many ends before the tasklet runs. */
static inline void vchan_cyclic_callback(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	vc->cyclic = vd;
	tasklet_schedule(&vc->task);
}

/** Abort @vd: onto desc_terminated until vchan_synchronize. Context: vc->lock held. */
static inline void vchan_terminate_vdesc(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	list_add_tail(&vd->node, &vc->desc_terminated);
	if (vc->cyclic == vd)
		vc->cyclic = NULL;
}

/**
 * vchan_next_desc - the first issued descriptor, or NULL. The driver calls it
 * to take the descriptor it starts next: traced as the descriptor's "start".
 * Context: vc->lock held.
 */
static inline struct virt_dma_desc *vchan_next_desc(struct virt_dma_chan *vc)
{
	struct virt_dma_desc *vd =
		list_first_entry_or_null(&vc->desc_issued, struct virt_dma_desc, node);

	if (vd)
		dmae_trace_tx_start(&vd->tx);
	return vd;
}

/** Take every descriptor off every list onto @head. Context: vc->lock held. */
static inline void vchan_get_all_descriptors(struct virt_dma_chan *vc, struct list_head *head)
{
	/* A completion tasklet running callbacks stops calling them. */
	__atomic_add_fetch(&vc->term_gen, 1, __ATOMIC_RELEASE);
	list_splice_tail_init(&vc->desc_allocated, head);
	list_splice_tail_init(&vc->desc_submitted, head);
	list_splice_tail_init(&vc->desc_issued, head);
	list_splice_tail_init(&vc->desc_completed, head);
	list_splice_tail_init(&vc->desc_terminated, head);
}

/** Free every descriptor of the channel, reusable ones included. Context: process. */
static inline void vchan_free_chan_resources(struct virt_dma_chan *vc)
{
	struct virt_dma_desc *vd;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&vc->lock, flags);
	vchan_get_all_descriptors(vc, &head);
	list_for_each_entry(vd, &head, node)
		dmaengine_desc_clear_reuse(&vd->tx);
	spin_unlock_irqrestore(&vc->lock, flags);

	vchan_dma_desc_free_list(vc, &head);
}

/**
 * vchan_synchronize - wait for the tasklet, then free what was terminated.
 * Afterwards no callback of the channel runs or is scheduled. Context: process.
 */
static inline void vchan_synchronize(struct virt_dma_chan *vc)
{
	unsigned long flags;
	LIST_HEAD(head);

	tasklet_kill(&vc->task);

	spin_lock_irqsave(&vc->lock, flags);
	list_splice_tail_init(&vc->desc_terminated, &head);
	spin_unlock_irqrestore(&vc->lock, flags);

	vchan_dma_desc_free_list(vc, &head);
}

DMAE_END_DECLS

#endif /* DMAENGINE_VIRT_DMA_H */
