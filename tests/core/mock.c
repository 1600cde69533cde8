// SPDX-License-Identifier: MIT
/*
 * mock.c - the mock provider of the core tests (see mock.h): every op records
 * its call, descriptors come from a fixed pool, completion is synchronous and
 * callbacks run from a tasklet.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mock.h"

/* Mock devices alive, so that a failed test does not leak into the next. */
static LIST_HEAD(mock_live);
static u32 mock_stamp;

u32 mock_seq(void)
{
	return __atomic_add_fetch(&mock_stamp, 1, __ATOMIC_ACQ_REL);
}

static void mock_inc(u32 *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_ACQ_REL);
}

/* ------------------------------------------------------------ descriptors */

/* Back to the pool. Lock held. */
static void mock_desc_put(struct mock_desc *d)
{
	d->state = MOCK_DESC_FREE;
}

/* Every descriptor back to the pool, lists emptied. Lock held. */
static void mock_pool_reset(struct mock_chan *mc)
{
	for (int i = 0; i < MOCK_DESCS; i++)
		mock_desc_put(&mc->descs[i]);
	INIT_LIST_HEAD(&mc->submitted);
	INIT_LIST_HEAD(&mc->issued);
	INIT_LIST_HEAD(&mc->completed);
}

static dma_cookie_t mock_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct mock_desc *d = to_mock_desc(tx);
	struct mock_chan *mc = to_mock_chan(tx->chan);
	dma_cookie_t cookie;

	spin_lock(&mc->lock);
	/* A prepared descriptor, or a reusable one whose last run is over. */
	if (d->state != MOCK_DESC_PREPARED &&
	    !(d->state == MOCK_DESC_DONE && dmaengine_desc_test_reuse(tx))) {
		spin_unlock(&mc->lock);
		return -EINVAL;
	}
	cookie = dma_cookie_assign(tx);
	d->state = MOCK_DESC_SUBMITTED;
	list_add_tail(&d->node, &mc->submitted);
	mock_inc(&mc->nr_submit);
	spin_unlock(&mc->lock);
	return cookie;
}

static int mock_desc_free(struct dma_async_tx_descriptor *tx)
{
	struct mock_desc *d = to_mock_desc(tx);
	struct mock_chan *mc = to_mock_chan(tx->chan);
	int ret = 0;

	spin_lock(&mc->lock);
	if (d->state == MOCK_DESC_PREPARED || d->state == MOCK_DESC_DONE) {
		mock_desc_put(d);
		mock_inc(&mc->nr_desc_free);
	} else {
		ret = -EBUSY; /* queued or running */
	}
	spin_unlock(&mc->lock);
	return ret;
}

/* A free descriptor of @chan made ready for @op, or NULL when the pool is empty. */
static struct mock_desc *mock_desc_get(struct dma_chan *chan, enum dma_transaction_type op,
				       unsigned long flags)
{
	struct mock_chan *mc = to_mock_chan(chan);
	struct mock_desc *d = NULL;

	mock_inc(&mc->nr_prep);
	spin_lock(&mc->lock);
	for (int i = 0; i < MOCK_DESCS; i++) {
		if (mc->descs[i].state == MOCK_DESC_FREE) {
			d = &mc->descs[i];
			d->state = MOCK_DESC_PREPARED;
			break;
		}
	}
	spin_unlock(&mc->lock);
	if (!d)
		return NULL;
	memset(&d->tx, 0, sizeof(d->tx));
	dma_async_tx_descriptor_init(&d->tx, chan);
	d->tx.flags = (enum dma_ctrl_flags)flags;
	d->tx.cookie = -EBUSY;
	d->tx.tx_submit = mock_tx_submit;
	d->tx.desc_free = mock_desc_free;
	d->tx.metadata_ops = mc->md->md_ops;
	d->op = op;
	d->dst = 0;
	d->src = 0;
	d->len = 0;
	d->md_len = 0;
	d->client_md = NULL;
	d->client_md_len = 0;
	return d;
}

/* ------------------------------------------------------------- prep ops */

static struct dma_async_tx_descriptor *mock_prep_memcpy(struct dma_chan *chan, dma_addr_t dst,
							dma_addr_t src, size_t len,
							unsigned long flags)
{
	struct mock_desc *d = mock_desc_get(chan, DMA_MEMCPY, flags);

	if (!d)
		return NULL;
	d->dst = dst;
	d->src = src;
	d->len = len;
	return &d->tx;
}

static struct dma_async_tx_descriptor *mock_prep_memset(struct dma_chan *chan, dma_addr_t dst,
							int value, size_t len,
							unsigned long flags)
{
	struct mock_desc *d = mock_desc_get(chan, DMA_MEMSET, flags);

	if (!d)
		return NULL;
	d->dst = dst;
	d->value = value;
	d->len = len;
	return &d->tx;
}

/* The ops that move no data in the mock: a descriptor and nothing else. */
static struct dma_async_tx_descriptor *mock_prep_nodata(struct dma_chan *chan,
							enum dma_transaction_type op,
							unsigned long flags)
{
	struct mock_desc *d = mock_desc_get(chan, op, flags);

	return d ? &d->tx : NULL;
}

static struct dma_async_tx_descriptor *
mock_prep_memcpy_sg(struct dma_chan *chan, struct scatterlist *dst_sg, unsigned int dst_nents,
		    struct scatterlist *src_sg, unsigned int src_nents, unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_MEMCPY_SG, flags);
}

static struct dma_async_tx_descriptor *mock_prep_xor(struct dma_chan *chan, dma_addr_t dst,
						     dma_addr_t *src, unsigned int src_cnt,
						     size_t len, unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_XOR, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_xor_val(struct dma_chan *chan, dma_addr_t *src, unsigned int src_cnt, size_t len,
		  enum sum_check_flags *result, unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_XOR_VAL, flags);
}

static struct dma_async_tx_descriptor *mock_prep_pq(struct dma_chan *chan, dma_addr_t *dst,
						    dma_addr_t *src, unsigned int src_cnt,
						    const unsigned char *scf, size_t len,
						    unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_PQ, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_pq_val(struct dma_chan *chan, dma_addr_t *pq, dma_addr_t *src, unsigned int src_cnt,
		 const unsigned char *scf, size_t len, enum sum_check_flags *pqres,
		 unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_PQ_VAL, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_memset_sg(struct dma_chan *chan, struct scatterlist *sg, unsigned int nents, int value,
		    unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_MEMSET_SG, flags);
}

static struct dma_async_tx_descriptor *mock_prep_interrupt(struct dma_chan *chan,
							   unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_INTERRUPT, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl, unsigned int sg_len,
		   enum dma_transfer_direction dir, unsigned long flags, void *context)
{
	return mock_prep_nodata(chan, DMA_SLAVE, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_dma_vec(struct dma_chan *chan, const struct dma_vec *vecs, size_t nents,
		  enum dma_transfer_direction dir, unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_SLAVE, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_cyclic(struct dma_chan *chan, dma_addr_t buf, size_t buf_len, size_t period_len,
		 enum dma_transfer_direction dir, unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_CYCLIC, flags);
}

static struct dma_async_tx_descriptor *
mock_prep_interleaved(struct dma_chan *chan, struct dma_interleaved_template *xt,
		      unsigned long flags)
{
	return mock_prep_nodata(chan, DMA_INTERLEAVE, flags);
}

/* -------------------------------------------------------------- metadata */

static int mock_md_attach(struct dma_async_tx_descriptor *tx, void *data, size_t len)
{
	struct mock_desc *d = to_mock_desc(tx);

	d->client_md = data;
	d->client_md_len = len;
	return 0;
}

static void *mock_md_get_ptr(struct dma_async_tx_descriptor *tx, size_t *payload_len,
			     size_t *max_len)
{
	struct mock_desc *d = to_mock_desc(tx);

	*payload_len = d->md_len;
	*max_len = sizeof(d->md_buf);
	return d->md_buf;
}

static int mock_md_set_len(struct dma_async_tx_descriptor *tx, size_t payload_len)
{
	struct mock_desc *d = to_mock_desc(tx);

	if (payload_len > sizeof(d->md_buf))
		return -EINVAL;
	d->md_len = payload_len;
	return 0;
}

struct dma_descriptor_metadata_ops mock_metadata_ops = {
	.attach = mock_md_attach,
	.get_ptr = mock_md_get_ptr,
	.set_len = mock_md_set_len,
};

/* ------------------------------------------------------------- completion */

/* Do what the descriptor asked: only memcpy and memset touch memory. */
static void mock_desc_execute(struct mock_desc *d)
{
	if (d->op == DMA_MEMCPY && d->len)
		memcpy((void *)(uintptr_t)d->dst, (const void *)(uintptr_t)d->src, d->len);
	else if (d->op == DMA_MEMSET && d->len)
		memset((void *)(uintptr_t)d->dst, d->value, d->len);
}

/* Complete every descriptor on @list: cookie, data, onto completed. Lock held. */
static int mock_complete_list(struct mock_chan *mc, struct list_head *list)
{
	struct mock_desc *d, *n;
	int done = 0;

	list_for_each_entry_safe(d, n, list, node) {
		mock_desc_execute(d);
		dma_cookie_complete(&d->tx);
		d->state = MOCK_DESC_COMPLETED;
		list_move_tail(&d->node, &mc->completed);
		done++;
	}
	return done;
}

int mock_chan_complete(struct mock_chan *mc)
{
	int done;

	spin_lock(&mc->lock);
	done = mock_complete_list(mc, &mc->issued);
	spin_unlock(&mc->lock);
	if (done)
		tasklet_schedule(&mc->tasklet);
	return done;
}

/*
 * The completion tasklet, as kernel drivers have it: take the completed list
 * under the lock, then with no lock held invoke each callback, run the
 * async_tx dependents, and only then recycle the descriptor.
 */
static void mock_tasklet(struct tasklet_struct *t)
{
	struct mock_chan *mc = from_tasklet(mc, t, tasklet);
	struct dmaengine_result res = { DMA_TRANS_NOERROR, 0 };
	struct mock_desc *d, *n;
	LIST_HEAD(done);

	spin_lock(&mc->lock);
	list_splice_tail_init(&mc->completed, &done);
	spin_unlock(&mc->lock);
	list_for_each_entry_safe(d, n, &done, node) {
		dmaengine_desc_get_callback_invoke(&d->tx, &res);
		dma_run_dependencies(&d->tx);
		spin_lock(&mc->lock);
		list_del_init(&d->node);
		if (dmaengine_desc_test_reuse(&d->tx))
			d->state = MOCK_DESC_DONE;
		else
			mock_desc_put(d);
		spin_unlock(&mc->lock);
	}
}

/* ---------------------------------------------------------- channel ops */

static int mock_alloc_chan_resources(struct dma_chan *chan)
{
	struct mock_chan *mc = to_mock_chan(chan);

	mock_inc(&mc->nr_alloc);
	if (mc->alloc_ret < 0)
		return mc->alloc_ret;
	spin_lock(&mc->lock);
	mock_pool_reset(mc);
	spin_unlock(&mc->lock);
	dma_cookie_init(chan);
	/* Like many kernel drivers: the number of descriptors, not 0. */
	return MOCK_DESCS;
}

static void mock_free_chan_resources(struct dma_chan *chan)
{
	struct mock_chan *mc = to_mock_chan(chan);

	__atomic_store_n(&mc->seq_free, mock_seq(), __ATOMIC_RELEASE);
	mock_inc(&mc->nr_free);
	spin_lock(&mc->lock);
	mock_pool_reset(mc);
	spin_unlock(&mc->lock);
}

static void mock_issue_pending(struct dma_chan *chan)
{
	struct mock_chan *mc = to_mock_chan(chan);
	struct mock_desc *d, *n;
	int done = 0;

	mock_inc(&mc->nr_issue);
	spin_lock(&mc->lock);
	if (mc->manual) {
		list_for_each_entry_safe(d, n, &mc->submitted, node) {
			d->state = MOCK_DESC_ISSUED;
			list_move_tail(&d->node, &mc->issued);
		}
	} else {
		done = mock_complete_list(mc, &mc->submitted);
	}
	spin_unlock(&mc->lock);
	if (done)
		tasklet_schedule(&mc->tasklet);
	complete(&mc->issue_done);
}

static enum dma_status mock_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				      struct dma_tx_state *state)
{
	return dma_cookie_status(chan, cookie, state);
}

/* Abort what is queued: back to the pool, no callback. */
static int mock_terminate_all(struct dma_chan *chan)
{
	struct mock_chan *mc = to_mock_chan(chan);
	struct mock_desc *d, *n;

	mock_inc(&mc->nr_terminate);
	spin_lock(&mc->lock);
	list_for_each_entry_safe(d, n, &mc->submitted, node) {
		list_del_init(&d->node);
		mock_desc_put(d);
	}
	list_for_each_entry_safe(d, n, &mc->issued, node) {
		list_del_init(&d->node);
		mock_desc_put(d);
	}
	spin_unlock(&mc->lock);
	return 0;
}

/* No callback running or scheduled afterwards. Context: process. */
static void mock_synchronize(struct dma_chan *chan)
{
	struct mock_chan *mc = to_mock_chan(chan);

	__atomic_store_n(&mc->seq_sync, mock_seq(), __ATOMIC_RELEASE);
	mock_inc(&mc->nr_sync);
	tasklet_kill(&mc->tasklet);
}

static int mock_pause(struct dma_chan *chan)
{
	mock_inc(&to_mock_chan(chan)->nr_pause);
	return 0;
}

static int mock_resume(struct dma_chan *chan)
{
	mock_inc(&to_mock_chan(chan)->nr_resume);
	return 0;
}

static int mock_config(struct dma_chan *chan, struct dma_slave_config *cfg)
{
	mock_inc(&to_mock_chan(chan)->nr_config);
	return 0;
}

static void mock_release(struct dma_device *dma)
{
	struct mock_dev *md = container_of(dma, struct mock_dev, dma);

	mock_inc(&md->nr_release);
}

/* ----------------------------------------------------------- the device */

/* Set the prep op that capability @cap needs. */
static void mock_set_prep_op(struct dma_device *dma, enum dma_transaction_type cap)
{
	switch (cap) {
	case DMA_MEMCPY: dma->device_prep_dma_memcpy = mock_prep_memcpy; break;
	case DMA_MEMCPY_SG: dma->device_prep_dma_memcpy_sg = mock_prep_memcpy_sg; break;
	case DMA_XOR: dma->device_prep_dma_xor = mock_prep_xor; dma->max_xor = 8; break;
	case DMA_XOR_VAL: dma->device_prep_dma_xor_val = mock_prep_xor_val; break;
	case DMA_PQ: dma->device_prep_dma_pq = mock_prep_pq; dma->max_pq = 8; break;
	case DMA_PQ_VAL: dma->device_prep_dma_pq_val = mock_prep_pq_val; break;
	case DMA_MEMSET: dma->device_prep_dma_memset = mock_prep_memset; break;
	case DMA_MEMSET_SG: dma->device_prep_dma_memset_sg = mock_prep_memset_sg; break;
	case DMA_INTERRUPT: dma->device_prep_dma_interrupt = mock_prep_interrupt; break;
	case DMA_SLAVE:
		dma->device_prep_slave_sg = mock_prep_slave_sg;
		dma->device_prep_peripheral_dma_vec = mock_prep_dma_vec;
		break;
	case DMA_CYCLIC: dma->device_prep_dma_cyclic = mock_prep_cyclic; break;
	case DMA_INTERLEAVE: dma->device_prep_interleaved_dma = mock_prep_interleaved; break;
	default: break; /* a property, not an operation */
	}
}

static void mock_chan_init(struct mock_dev *md, struct mock_chan *mc)
{
	mc->md = md;
	mc->chan.device = &md->dma;
	spin_lock_init(&mc->lock);
	mock_pool_reset(mc);
	tasklet_setup(&mc->tasklet, mock_tasklet);
	init_completion(&mc->issue_done);
}

struct dma_chan *mock_chan_prepare_slot(struct mock_dev *md, unsigned int slot)
{
	mock_chan_init(md, &md->chans[slot]);
	return &md->chans[slot].chan;
}

struct mock_dev *mock_dev_alloc(const char *name, unsigned int nchans, unsigned long caps)
{
	struct mock_dev *md = calloc(1, sizeof(*md));
	struct dma_device *dma;

	if (!md || nchans > MOCK_MAX_CHANS)
		abort();
	dmae_device_init(&md->dev, name);
	dma = &md->dma;
	dma->dev = &md->dev;
	INIT_LIST_HEAD(&dma->channels);
	for (int cap = 0; cap < DMA_TX_TYPE_END; cap++) {
		if (!(caps & BIT(cap)))
			continue;
		dma_cap_set((enum dma_transaction_type)cap, dma->cap_mask);
		mock_set_prep_op(dma, (enum dma_transaction_type)cap);
	}
	dma->device_alloc_chan_resources = mock_alloc_chan_resources;
	dma->device_free_chan_resources = mock_free_chan_resources;
	dma->device_config = mock_config;
	dma->device_pause = mock_pause;
	dma->device_resume = mock_resume;
	dma->device_terminate_all = mock_terminate_all;
	dma->device_synchronize = mock_synchronize;
	dma->device_tx_status = mock_tx_status;
	dma->device_issue_pending = mock_issue_pending;
	dma->device_release = mock_release;
	md->nchans = nchans;
	for (unsigned int i = 0; i < nchans; i++) {
		mock_chan_init(md, &md->chans[i]);
		list_add_tail(&md->chans[i].chan.device_node, &dma->channels);
	}
	list_add_tail(&md->live, &mock_live);
	return md;
}

int mock_dev_register(struct mock_dev *md)
{
	return dma_async_device_register(&md->dma);
}

struct mock_dev *mock_dev_create(const char *name, unsigned int nchans, unsigned long caps)
{
	struct mock_dev *md = mock_dev_alloc(name, nchans, caps);

	if (mock_dev_register(md))
		abort(); /* the caller's setup is wrong, not the code under test */
	return md;
}

static bool mock_dev_held(struct mock_dev *md)
{
	for (int i = 0; i < MOCK_MAX_CHANS; i++)
		if (__atomic_load_n(&md->chans[i].chan.client_count, __ATOMIC_RELAXED))
			return true;
	return false;
}

void mock_dev_destroy(struct mock_dev *md)
{
	if (md->dma.registered)
		dma_async_device_unregister(&md->dma);
	for (int i = 0; i < MOCK_MAX_CHANS; i++)
		if (md->chans[i].md) /* slots never prepared have no tasklet */
			tasklet_kill(&md->chans[i].tasklet);
	list_del(&md->live);
	if (!mock_dev_held(md))
		free(md);
	/* else: deliberately leaked, the core still holds its channels */
}

int mock_cleanup(void)
{
	int n = 0;

	while (!list_empty(&mock_live)) {
		mock_dev_destroy(list_first_entry(&mock_live, struct mock_dev, live));
		n++;
	}
	return n;
}

int mock_chan_descs_in_use(struct mock_chan *mc)
{
	int n = 0;

	spin_lock(&mc->lock);
	for (int i = 0; i < MOCK_DESCS; i++)
		if (mc->descs[i].state != MOCK_DESC_FREE)
			n++;
	spin_unlock(&mc->lock);
	return n;
}
