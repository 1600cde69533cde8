// SPDX-License-Identifier: MIT
/*
 * virt-dma.c - virtual DMA channels: submit, lookup, the completion tasklet
 * and list freeing (see include/dmaengine/virt-dma.h for the lists).
 */
#include <string.h>

#include <dmaengine/virt-dma.h>

DMAE_EXPORT dma_cookie_t vchan_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct virt_dma_chan *vc = to_virt_chan(tx->chan);
	struct virt_dma_desc *vd = to_virt_desc(tx);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&vc->lock, flags);
	if (tx->cookie > 0) {
		spin_unlock_irqrestore(&vc->lock, flags);
		dmae_misuse(tx->chan, "dmaengine_submit",
			    "descriptor already submitted (cookie %d)", tx->cookie);
		return -EINVAL;
	}
	cookie = dma_cookie_assign(tx);
	list_move_tail(&vd->node, &vc->desc_submitted);
	spin_unlock_irqrestore(&vc->lock, flags);

	return cookie;
}

static bool vchan_on_list(const struct list_head *head, const struct virt_dma_desc *vd)
{
	const struct list_head *pos;

	list_for_each(pos, head)
		if (pos == &vd->node)
			return true;
	return false;
}

DMAE_EXPORT int vchan_tx_desc_free(struct dma_async_tx_descriptor *tx)
{
	struct virt_dma_chan *vc = to_virt_chan(tx->chan);
	struct virt_dma_desc *vd = to_virt_desc(tx);
	unsigned long flags;

	spin_lock_irqsave(&vc->lock, flags);
	if (!vchan_on_list(&vc->desc_allocated, vd)) {
		spin_unlock_irqrestore(&vc->lock, flags);
		dmae_misuse(tx->chan, "dmaengine_desc_free",
			    "descriptor is queued or running; terminate first");
		return -EBUSY;
	}
	list_del(&vd->node);
	spin_unlock_irqrestore(&vc->lock, flags);

	vc->desc_free(vd);
	return 0;
}

DMAE_EXPORT struct virt_dma_desc *vchan_find_desc(struct virt_dma_chan *vc,
						  dma_cookie_t cookie)
{
	struct virt_dma_desc *vd;

	list_for_each_entry(vd, &vc->desc_issued, node)
		if (vd->tx.cookie == cookie)
			return vd;
	return NULL;
}

/*
 * vchan_complete - the completion tasklet: take the completed list and the
 * cyclic descriptor under the lock, then call callbacks without it, each
 * before its descriptor is freed or recycled.
 */
static void vchan_complete(struct tasklet_struct *t)
{
	struct virt_dma_chan *vc = from_tasklet(vc, t, task);
	struct virt_dma_desc *vd, *_vd;
	struct dmaengine_desc_callback cb;
	struct dmaengine_result cyclic_result = { DMA_TRANS_NOERROR, 0 };
	LIST_HEAD(head);
	u32 gen;

	spin_lock_irq(&vc->lock);
	gen = vc->term_gen;
	list_splice_tail_init(&vc->desc_completed, &head);
	vd = vc->cyclic;
	if (vd) {
		vc->cyclic = NULL;
		dmaengine_desc_get_callback(&vd->tx, &cb);
		cyclic_result = vd->tx_result;
	} else {
		memset(&cb, 0, sizeof(cb));
	}
	spin_unlock_irq(&vc->lock);

	if (vd)
		dmae_trace_callback_begin(&vd->tx, &cb);
	dmaengine_desc_callback_invoke(&cb, &cyclic_result);
	if (vd)
		dmae_trace_callback_end(&vd->tx);

	list_for_each_entry_safe(vd, _vd, &head, node) {
		struct dmaengine_result result = vd->tx_result;

		/* A callback terminated the channel: the rest get no callback. */
		if (__atomic_load_n(&vc->term_gen, __ATOMIC_ACQUIRE) != gen) {
			spin_lock_irq(&vc->lock);
			list_splice_tail_init(&head, &vc->desc_terminated);
			spin_unlock_irq(&vc->lock);
			break;
		}
		dmaengine_desc_get_callback(&vd->tx, &cb);
		list_del(&vd->node);
		dmae_trace_callback_begin(&vd->tx, &cb);
		dmaengine_desc_callback_invoke(&cb, &result);
		dmae_trace_callback_end(&vd->tx);
		dma_run_dependencies(&vd->tx);
		vchan_vdesc_fini(vd);
	}
}

DMAE_EXPORT void vchan_dma_desc_free_list(struct virt_dma_chan *vc, struct list_head *head)
{
	struct virt_dma_desc *vd, *_vd;

	list_for_each_entry_safe(vd, _vd, head, node) {
		list_del(&vd->node);
		if (vd->tx.cookie > 0) /* submitted, never completed */
			dmae_trace_tx_abort(&vd->tx);
		/* Never completed: clear the cookie so a reusable one can be submitted again. */
		vd->tx.cookie = 0;
		vchan_vdesc_fini(vd);
	}
}

DMAE_EXPORT void vchan_init(struct virt_dma_chan *vc, struct dma_device *dmadev)
{
	dma_cookie_init(&vc->chan);

	spin_lock_init(&vc->lock);
	INIT_LIST_HEAD(&vc->desc_allocated);
	INIT_LIST_HEAD(&vc->desc_submitted);
	INIT_LIST_HEAD(&vc->desc_issued);
	INIT_LIST_HEAD(&vc->desc_completed);
	INIT_LIST_HEAD(&vc->desc_terminated);
	vc->cyclic = NULL;

	tasklet_setup(&vc->task, vchan_complete);

	vc->chan.device = dmadev;
	list_add_tail(&vc->chan.device_node, &dmadev->channels);
}
