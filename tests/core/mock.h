/* SPDX-License-Identifier: MIT */
/*
 * mock.h - private to the core tests: a small DMA provider whose capabilities
 * and ops each test chooses, and whose channels count every call the core
 * makes into them.
 *
 * Completion is synchronous: device_issue_pending completes what was
 * submitted at once (dma_cookie_complete, the copy or fill done then) and
 * schedules the channel's tasklet, which invokes the callbacks in completion
 * context, runs async_tx dependencies (dma_run_dependencies) and recycles the
 * descriptors. A channel in manual mode only moves issued work aside; the
 * test completes it with mock_chan_complete(), as an interrupt would.
 *
 * Use: md = mock_dev_alloc(name, nchans, caps); adjust md->dma (clear an op,
 * set an alignment, a filter map...); mock_dev_register(md); ...;
 * mock_dev_destroy(md). mock_cleanup() destroys whatever a failed test left.
 */
#ifndef DMAE_TESTS_CORE_MOCK_H
#define DMAE_TESTS_CORE_MOCK_H

#include <dmaengine/provider.h>

#define MOCK_MAX_CHANS 4 /* channel slots of a mock device */
#define MOCK_DESCS 16	 /* descriptors per channel */
#define MOCK_MD_MAX 32	 /* bytes of an ENGINE-mode metadata buffer */

/* Where a mock descriptor is in its life; changes under mock_chan.lock. */
enum mock_desc_state {
	MOCK_DESC_FREE = 0,	 /* in the pool */
	MOCK_DESC_PREPARED,	 /* returned by a prep op, not submitted */
	MOCK_DESC_SUBMITTED,	 /* on mc->submitted */
	MOCK_DESC_ISSUED,	 /* on mc->issued (manual mode) */
	MOCK_DESC_COMPLETED,	 /* on mc->completed, callback not yet run */
	MOCK_DESC_DONE,		 /* callback ran; kept because DMA_CTRL_REUSE */
};

struct mock_desc {
	struct dma_async_tx_descriptor tx; /* what the core and the client see */
	struct list_head node;		   /* on one of the channel's lists */
	enum mock_desc_state state;	   /* see enum mock_desc_state */
	enum dma_transaction_type op;	   /* the prep op that made it */
	dma_addr_t dst;			   /* memcpy/memset destination */
	dma_addr_t src;			   /* memcpy source */
	size_t len;			   /* bytes */
	int value;			   /* memset byte */
	u8 md_buf[MOCK_MD_MAX];		   /* ENGINE-mode metadata */
	size_t md_len;			   /* payload length set by the client */
	void *client_md;		   /* CLIENT-mode buffer attached */
	size_t client_md_len;		   /* its length */
};

struct mock_dev;

struct mock_chan {
	struct dma_chan chan;		  /* registered with the core */
	struct mock_dev *md;		  /* owner */
	spinlock_t lock;		  /* protects the lists, the pool, desc state */
	struct list_head submitted;	  /* submitted, waiting for issue_pending */
	struct list_head issued;	  /* issued, not complete (manual mode) */
	struct list_head completed;	  /* complete, callback pending */
	struct tasklet_struct tasklet;	  /* callbacks, in completion context */
	struct mock_desc descs[MOCK_DESCS]; /* the descriptor pool */
	bool manual;			  /* issue_pending does not complete */
	int alloc_ret;			  /* alloc_chan_resources returns this if < 0 */
	struct completion issue_done;	  /* completed by every issue_pending */
	/* Calls made into the channel; atomic, read with mock_count(). */
	u32 nr_prep;			  /* device_prep_* of any kind */
	u32 nr_alloc;			  /* device_alloc_chan_resources */
	u32 nr_free;			  /* device_free_chan_resources */
	u32 nr_sync;			  /* device_synchronize */
	u32 nr_issue;			  /* device_issue_pending */
	u32 nr_submit;			  /* tx_submit that succeeded */
	u32 nr_terminate;		  /* device_terminate_all */
	u32 nr_pause;			  /* device_pause */
	u32 nr_resume;			  /* device_resume */
	u32 nr_config;			  /* device_config */
	u32 nr_desc_free;		  /* desc_free of a reusable descriptor */
	u32 seq_sync;			  /* mock_seq() stamp of the last synchronize */
	u32 seq_free;			  /* mock_seq() stamp of the last free */
};

struct mock_dev {
	struct dma_device dma;			/* what is registered */
	struct device dev;			/* the controller, named as given */
	struct mock_chan chans[MOCK_MAX_CHANS]; /* slots; nchans of them listed */
	unsigned int nchans;			/* channels put on dma.channels */
	struct dma_descriptor_metadata_ops *md_ops; /* given to each descriptor */
	u32 nr_release;				/* device_release calls (atomic) */
	struct list_head live;			/* on the list mock_cleanup() walks */
};

/** The metadata hooks of a fully working provider. */
extern struct dma_descriptor_metadata_ops mock_metadata_ops;

/**
 * mock_dev_alloc - a mock device called @name with @nchans channels and the
 * capabilities of @caps (a mask of BIT(DMA_*)); every prep op a capability
 * needs is set, and so are alloc/free, config, pause, resume, terminate_all,
 * synchronize, tx_status, issue_pending and release. Not registered.
 */
struct mock_dev *mock_dev_alloc(const char *name, unsigned int nchans, unsigned long caps);
/** Register @md; returns what dma_async_device_register() returns. */
int mock_dev_register(struct mock_dev *md);
/** mock_dev_alloc() and mock_dev_register(), asserting success. */
struct mock_dev *mock_dev_create(const char *name, unsigned int nchans, unsigned long caps);
/**
 * mock_dev_destroy - unregister (if registered), stop the tasklets and free.
 * A device whose channels are still held is left allocated: the core still
 * points at it (only a failed test gets there).
 */
void mock_dev_destroy(struct mock_dev *md);
/** Destroy every mock device still alive; returns how many there were. */
int mock_cleanup(void);

/** Prepare mock slot @slot (>= md->nchans) to be added with dma_async_device_channel_register. */
struct dma_chan *mock_chan_prepare_slot(struct mock_dev *md, unsigned int slot);

static inline struct mock_chan *to_mock_chan(struct dma_chan *chan)
{
	return container_of(chan, struct mock_chan, chan);
}

static inline struct mock_desc *to_mock_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct mock_desc, tx);
}

/** Read a call counter of a mock channel. */
static inline u32 mock_count(const u32 *counter)
{
	return __atomic_load_n(counter, __ATOMIC_ACQUIRE);
}

/** A global, increasing stamp to check the order of calls. */
u32 mock_seq(void);

/**
 * mock_chan_complete - complete everything issued on a manual channel, as the
 * hardware's interrupt would, and schedule the callbacks. Returns how many.
 */
int mock_chan_complete(struct mock_chan *mc);
/** Descriptors of @mc not in the pool (prepared, queued or kept for reuse). */
int mock_chan_descs_in_use(struct mock_chan *mc);

#endif /* DMAE_TESTS_CORE_MOCK_H */
