/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/dmaengine.h - the DMA engine consumer API, as in the Linux kernel.
 *
 * For applications (DMA clients). The client flow:
 *
 *   chan = dma_request_chan_by_mask(&mask)    or dma_request_chan(dev, "rx")
 *   dmaengine_slave_config(chan, &cfg)         slave transfers only
 *   tx = dmaengine_prep_dma_memcpy(chan, dst, src, len, DMA_PREP_INTERRUPT | DMA_CTRL_ACK)
 *   tx->callback_result = done; tx->callback_param = ctx;
 *   cookie = dmaengine_submit(tx)              queued, not started; tx now belongs to the engine
 *   dma_async_issue_pending(chan)              start what was queued
 *   ... callback in completion context, or dmaengine_tx_status(chan, cookie, &state)
 *   dmaengine_terminate_sync(chan)             abort the rest; no callback afterwards
 *   dma_release_channel(chan)
 *
 * Errors are the kernel's: int functions return 0 or -errno, channel requests
 * return error pointers (never NULL, except the NULL-on-failure calls the
 * kernel has), prep functions return NULL, dmaengine_submit a negative cookie.
 * Every misuse the library can see prints one line saying what was wrong.
 *
 * dma_addr_t values are bus addresses of the channel's device
 * (dmaengine_get_dma_device()); on the default platform they equal host
 * addresses: (dma_addr_t)(uintptr_t)ptr.
 */
#ifndef DMAENGINE_DMAENGINE_H
#define DMAENGINE_DMAENGINE_H

#include <stdio.h>
#include <dmaengine/types.h>
#include <dmaengine/err.h>
#include <dmaengine/list.h>
#include <dmaengine/device.h>
#include <dmaengine/scatterlist.h>
#include <dmaengine/trace.h>

DMAE_BEGIN_DECLS

#if defined(__GNUC__)
#define dmae_likely(x) __builtin_expect(!!(x), 1)
#define dmae_unlikely(x) __builtin_expect(!!(x), 0)
#else
#define dmae_likely(x) (x)
#define dmae_unlikely(x) (x)
#endif

/* ---------------------------------------------------------------- cookies */

/** A transaction id: > 0 valid, < 0 an error code. */
typedef s32 dma_cookie_t;
#define DMA_MIN_COOKIE 1

/** The error carried by a cookie (< 0), else 0. */
static inline int dma_submit_error(dma_cookie_t cookie)
{
	return cookie < 0 ? cookie : 0;
}

enum dma_status {
	DMA_COMPLETE = 0,     /* transaction completed */
	DMA_IN_PROGRESS = 1,  /* transaction not yet processed */
	DMA_PAUSED = 2,	      /* transaction is paused */
	DMA_ERROR = 3,	      /* transaction failed */
	DMA_OUT_OF_ORDER = 4, /* cookie tracking is invalid on this channel */
};

/* ------------------------------------------------------ capabilities, flags */

enum dma_transaction_type {
	DMA_MEMCPY,
	DMA_MEMCPY_SG,
	DMA_XOR,
	DMA_PQ,
	DMA_XOR_VAL,
	DMA_PQ_VAL,
	DMA_MEMSET,
	DMA_MEMSET_SG,
	DMA_INTERRUPT,
	DMA_PRIVATE,
	DMA_ASYNC_TX,
	DMA_SLAVE,
	DMA_CYCLIC,
	DMA_INTERLEAVE,
	DMA_COMPLETION_NO_ORDER,
	DMA_REPEAT,
	DMA_LOAD_EOT,
	DMA_TX_TYPE_END, /* last transaction type, for the capability mask */
};

enum dma_transfer_direction {
	DMA_MEM_TO_MEM = 0,
	DMA_MEM_TO_DEV = 1,
	DMA_DEV_TO_MEM = 2,
	DMA_DEV_TO_DEV = 3,
	DMA_TRANS_NONE = 4,
};

enum dma_ctrl_flags {
	DMA_PREP_INTERRUPT = (1 << 0),	  /* call the completion callback */
	DMA_CTRL_ACK = (1 << 1),	  /* the client is done with the descriptor */
	DMA_PREP_PQ_DISABLE_P = (1 << 2), /* do not generate P */
	DMA_PREP_PQ_DISABLE_Q = (1 << 3), /* do not generate Q */
	DMA_PREP_CONTINUE = (1 << 4),	  /* continue a PQ computation */
	DMA_PREP_FENCE = (1 << 5),	  /* later operations depend on this one */
	DMA_CTRL_REUSE = (1 << 6),	  /* the descriptor may be resubmitted */
	DMA_PREP_CMD = (1 << 7),	  /* command-format descriptor */
	DMA_PREP_REPEAT = (1 << 8),	  /* repeat until replaced (interleaved) */
	DMA_PREP_LOAD_EOT = (1 << 9),	  /* replace a repeating transfer at its end */
};

enum sum_check_bits {
	SUM_CHECK_P = 0,
	SUM_CHECK_Q = 1,
};

enum sum_check_flags {
	SUM_CHECK_P_RESULT = (1 << SUM_CHECK_P), /* P parity mismatch */
	SUM_CHECK_Q_RESULT = (1 << SUM_CHECK_Q), /* Q syndrome mismatch */
};

/** A set of enum dma_transaction_type bits. */
typedef struct {
	unsigned long bits[1]; /* bit per transaction type */
} dma_cap_mask_t;

static inline void __dma_cap_set(enum dma_transaction_type tx, dma_cap_mask_t *m)
{
	m->bits[0] |= 1UL << tx;
}
static inline void __dma_cap_clear(enum dma_transaction_type tx, dma_cap_mask_t *m)
{
	m->bits[0] &= ~(1UL << tx);
}
static inline bool __dma_has_cap(enum dma_transaction_type tx, const dma_cap_mask_t *m)
{
	return (m->bits[0] >> tx) & 1UL;
}
#define dma_cap_set(tx, mask) __dma_cap_set((tx), &(mask))
#define dma_cap_clear(tx, mask) __dma_cap_clear((tx), &(mask))
#define dma_cap_zero(mask) ((mask).bits[0] = 0)
#define dma_has_cap(tx, mask) __dma_has_cap((tx), &(mask))
#define for_each_dma_cap_mask(cap, mask)                      \
	for ((cap) = 0; (cap) < DMA_TX_TYPE_END; (cap)++)    \
		if (!((mask).bits[0] & (1UL << (cap)))) {     \
		} else

/** Name of a capability ("DMA_MEMCPY"), or "DMA_UNKNOWN". */
DMAE_EXPORT const char *dma_cap_name(enum dma_transaction_type tx);

enum dma_residue_granularity {
	DMA_RESIDUE_GRANULARITY_DESCRIPTOR = 0, /* residue always 0 */
	DMA_RESIDUE_GRANULARITY_SEGMENT = 1,	/* per segment or cyclic period */
	DMA_RESIDUE_GRANULARITY_BURST = 2,	/* per burst (progress register) */
};

enum dmaengine_alignment {
	DMAENGINE_ALIGN_1_BYTE = 0,
	DMAENGINE_ALIGN_2_BYTES = 1,
	DMAENGINE_ALIGN_4_BYTES = 2,
	DMAENGINE_ALIGN_8_BYTES = 3,
	DMAENGINE_ALIGN_16_BYTES = 4,
	DMAENGINE_ALIGN_32_BYTES = 5,
	DMAENGINE_ALIGN_64_BYTES = 6,
	DMAENGINE_ALIGN_128_BYTES = 7,
	DMAENGINE_ALIGN_256_BYTES = 8,
};

enum dma_slave_buswidth {
	DMA_SLAVE_BUSWIDTH_UNDEFINED = 0,
	DMA_SLAVE_BUSWIDTH_1_BYTE = 1,
	DMA_SLAVE_BUSWIDTH_2_BYTES = 2,
	DMA_SLAVE_BUSWIDTH_3_BYTES = 3,
	DMA_SLAVE_BUSWIDTH_4_BYTES = 4,
	DMA_SLAVE_BUSWIDTH_8_BYTES = 8,
	DMA_SLAVE_BUSWIDTH_16_BYTES = 16,
	DMA_SLAVE_BUSWIDTH_32_BYTES = 32,
	DMA_SLAVE_BUSWIDTH_64_BYTES = 64,
	DMA_SLAVE_BUSWIDTH_128_BYTES = 128,
};

/** Slave channel parameters; applies to transfers prepared afterwards. */
struct dma_slave_config {
	enum dma_transfer_direction direction;	/* deprecated: use the prep argument */
	phys_addr_t src_addr;			/* device FIFO read by DEV_TO_MEM */
	phys_addr_t dst_addr;			/* device FIFO written by MEM_TO_DEV */
	enum dma_slave_buswidth src_addr_width; /* bytes per source access */
	enum dma_slave_buswidth dst_addr_width; /* bytes per destination access */
	u32 src_maxburst;			/* words of src_addr_width per burst */
	u32 dst_maxburst;			/* words of dst_addr_width per burst */
	u32 src_port_window_size;		/* source register window, in words */
	u32 dst_port_window_size;		/* destination register window, in words */
	bool device_fc;				/* the peripheral is the flow controller */
	void *peripheral_config;		/* controller-specific extra configuration */
	size_t peripheral_size;			/* size of peripheral_config */
};

/** What a slave channel can do (dma_get_slave_caps). */
struct dma_slave_caps {
	u32 src_addr_widths;	/* bit per enum dma_slave_buswidth */
	u32 dst_addr_widths;	/* bit per enum dma_slave_buswidth */
	u32 directions;		/* bit per enum dma_transfer_direction */
	u32 min_burst;		/* smallest burst, in words */
	u32 max_burst;		/* largest burst, in words */
	u32 max_sg_burst;	/* most sg entries in one burst (0: no limit) */
	bool cmd_pause;		/* dmaengine_pause works */
	bool cmd_resume;	/* dmaengine_resume works */
	bool cmd_terminate;	/* dmaengine_terminate_* works */
	enum dma_residue_granularity residue_granularity; /* how exact residue is */
	bool descriptor_reuse;	/* DMA_CTRL_REUSE accepted */
};

/* One chunk of an interleaved frame. */
struct data_chunk {
	size_t size;	/* bytes in this chunk */
	size_t icg;	/* gap after the chunk, both sides (when *_sgl) */
	size_t dst_icg; /* destination gap; overrides icg when non-zero */
	size_t src_icg; /* source gap; overrides icg when non-zero */
};

/* A 2-D transfer: numf frames of frame_size chunks each. */
struct dma_interleaved_template {
	dma_addr_t src_start;		 /* first source byte */
	dma_addr_t dst_start;		 /* first destination byte */
	enum dma_transfer_direction dir; /* MEM_TO_MEM for memory copies */
	bool src_inc;			 /* source address increments */
	bool dst_inc;			 /* destination address increments */
	bool src_sgl;			 /* apply gaps on the source side */
	bool dst_sgl;			 /* apply gaps on the destination side */
	size_t numf;			 /* frames */
	size_t frame_size;		 /* chunks per frame (entries of sgl) */
	struct data_chunk sgl[];	 /* the chunks of one frame */
};

/* One contiguous buffer of a dma_vec transfer. */
struct dma_vec {
	dma_addr_t addr; /* bus address */
	size_t len;	 /* bytes */
};

enum dma_desc_metadata_mode {
	DESC_METADATA_NONE = 0,
	DESC_METADATA_CLIENT = (1 << 0), /* the client owns the buffer */
	DESC_METADATA_ENGINE = (1 << 1), /* the engine owns the buffer */
};

/* ------------------------------------------------------- results, callbacks */

enum dmaengine_tx_result {
	DMA_TRANS_NOERROR = 0,	    /* success */
	DMA_TRANS_READ_FAILED = 1,  /* source read failed */
	DMA_TRANS_WRITE_FAILED = 2, /* destination write failed */
	DMA_TRANS_ABORTED = 3,	    /* operation aborted */
};

struct dmaengine_result {
	enum dmaengine_tx_result result; /* how the transfer ended */
	u32 residue;			 /* bytes not transferred */
};

typedef void (*dma_async_tx_callback)(void *dma_async_param);
typedef void (*dma_async_tx_callback_result)(void *dma_async_param,
					     const struct dmaengine_result *result);

struct dma_tx_state {
	dma_cookie_t last;   /* last completed cookie */
	dma_cookie_t used;   /* last issued cookie */
	u32 residue;	     /* bytes of the asked cookie not yet written */
	u32 in_flight_bytes; /* bytes in the engine's pipeline */
};

/* ------------------------------------------------------------ the objects */

struct dma_chan;
struct dma_device;
struct dma_async_tx_descriptor;
struct dmaengine_unmap_data;
struct seq_file;

struct dma_descriptor_metadata_ops {
	int (*attach)(struct dma_async_tx_descriptor *desc, void *data, size_t len);
	void *(*get_ptr)(struct dma_async_tx_descriptor *desc, size_t *payload_len,
			 size_t *max_len);
	int (*set_len)(struct dma_async_tx_descriptor *desc, size_t payload_len);
};

/** A prepared transaction. After dmaengine_submit() it belongs to the engine. */
struct dma_async_tx_descriptor {
	dma_cookie_t cookie;		/* tracking cookie, 0 until submitted, -EBUSY while prepared */
	enum dma_ctrl_flags flags;	/* DMA_* flags; ACK and REUSE change later */
	dma_addr_t phys;		/* bus address of the hardware descriptor */
	struct dma_chan *chan;		/* the channel it runs on */
	dma_cookie_t (*tx_submit)(struct dma_async_tx_descriptor *tx);  /* queue it */
	int (*desc_free)(struct dma_async_tx_descriptor *tx);	    /* free a reusable one */
	dma_async_tx_callback callback;				    /* old-style callback */
	dma_async_tx_callback_result callback_result;		    /* wins over callback */
	void *callback_param;					    /* argument of both */
	struct dmaengine_unmap_data *unmap;			    /* mappings to undo */
	enum dma_desc_metadata_mode desc_metadata_mode;		    /* fixed by first use */
	struct dma_descriptor_metadata_ops *metadata_ops;	    /* provider hooks */
	struct dma_async_tx_descriptor *next;	/* async_tx: dependent to run after this */
	struct dma_async_tx_descriptor *parent; /* async_tx: the one this depends on */
	int lock;				/* async_tx: guards next/parent */
};

/** Counters of one channel, as in the kernel's per-CPU dma_chan_percpu. */
struct dma_chan_percpu {
	unsigned long memcpy_count;	 /* transactions completed */
	unsigned long bytes_transferred; /* bytes they moved */
};

/** A DMA request router between peripherals and controllers. */
struct dma_router {
	struct device *dev;					    /* the router device */
	void (*route_free)(struct device *dev, void *route_data); /* undo a route */
};

/** The sysfs-side identity of a channel. */
struct dma_chan_dev {
	struct dma_chan *chan; /* back pointer, NULL after unregister */
	struct device device;  /* named dma%dchan%d */
	int dev_id;	       /* id of the owning dma_device */
	bool chan_dma_dev;     /* the channel has its own DMA device */
};

struct dma_chan {
	struct dma_device *device;	   /* the provider */
	struct device *slave;		   /* client device of dma_request_chan */
	dma_cookie_t cookie;		   /* last cookie assigned */
	dma_cookie_t completed_cookie;	   /* last cookie completed */
	int chan_id;			   /* index within the device */
	struct dma_chan_dev *dev;	   /* name and sysfs identity */
	const char *name;		   /* "dma:<name>" when requested by name */
	char *dbg_client_name;		   /* "<dev>:<name>" for the summary */
	struct list_head device_node;	   /* entry in device->channels */
	struct dma_chan_percpu *local;	   /* statistics */
	int client_count;		   /* references held */
	int table_count;		   /* public-channel table slots */
	struct dma_router *router;	   /* router that routed it, or NULL */
	void *route_data;		   /* the router's data for the route */
#ifndef __cplusplus
	void *private;			   /* client data for filters */
#else
	void *private_;			   /* the same field ("private" is a C++ keyword) */
#endif
};

typedef bool (*dma_filter_fn)(struct dma_chan *chan, void *filter_param);

/** Board-file style channel lookup for dma_request_chan(). */
struct dma_slave_map {
	const char *devname; /* client device name */
	const char *slave;   /* channel name, e.g. "rx" */
	void *param;	     /* passed to the provider's filter */
};

struct dma_filter {
	dma_filter_fn fn;		  /* the provider's filter function */
	int mapcnt;			  /* entries in map */
	const struct dma_slave_map *map;  /* lookup table */
};

/** A DMA controller: what it can do and how (see dmaengine/provider.h). */
struct dma_device {
	unsigned int ref;			/* registration reference */
	unsigned int chancnt;			/* channels registered */
	unsigned int privatecnt;		/* private requests outstanding */
	struct list_head channels;		/* struct dma_chan.device_node */
	struct list_head global_node;		/* entry in the device list */
	struct dma_filter filter;		/* dma_request_chan lookups */
	dma_cap_mask_t cap_mask;		/* what it can do */
	enum dma_desc_metadata_mode desc_metadata_modes; /* metadata supported */
	unsigned short max_xor;			/* most XOR sources */
	unsigned short max_pq;			/* most PQ sources (| DMA_HAS_PQ_CONTINUE) */
	enum dmaengine_alignment copy_align;	/* log2 alignment for memcpy */
	enum dmaengine_alignment xor_align;	/* log2 alignment for xor */
	enum dmaengine_alignment pq_align;	/* log2 alignment for pq */
	enum dmaengine_alignment fill_align;	/* log2 alignment for memset */
#define DMA_HAS_PQ_CONTINUE (1 << 15)
	int dev_id;				/* dma%d number */
	struct device *dev;			/* the controller's struct device */
	u32 src_addr_widths;			/* bit per supported source width */
	u32 dst_addr_widths;			/* bit per supported destination width */
	u32 directions;				/* bit per supported slave direction */
	u32 min_burst;				/* smallest burst */
	u32 max_burst;				/* largest burst */
	u32 max_sg_burst;			/* most sg entries per burst */
	bool descriptor_reuse;			/* DMA_CTRL_REUSE supported */
	enum dma_residue_granularity residue_granularity; /* residue precision */
	unsigned long chan_ids[4];		/* bitmap of used chan_id values */
	bool registered;			/* between register and unregister */

	int (*device_alloc_chan_resources)(struct dma_chan *chan);
	int (*device_router_config)(struct dma_chan *chan);
	void (*device_free_chan_resources)(struct dma_chan *chan);

	struct dma_async_tx_descriptor *(*device_prep_dma_memcpy)(
		struct dma_chan *chan, dma_addr_t dst, dma_addr_t src, size_t len,
		unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_memcpy_sg)(
		struct dma_chan *chan, struct scatterlist *dst_sg, unsigned int dst_nents,
		struct scatterlist *src_sg, unsigned int src_nents, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_xor)(
		struct dma_chan *chan, dma_addr_t dst, dma_addr_t *src, unsigned int src_cnt,
		size_t len, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_xor_val)(
		struct dma_chan *chan, dma_addr_t *src, unsigned int src_cnt, size_t len,
		enum sum_check_flags *result, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_pq)(
		struct dma_chan *chan, dma_addr_t *dst, dma_addr_t *src, unsigned int src_cnt,
		const unsigned char *scf, size_t len, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_pq_val)(
		struct dma_chan *chan, dma_addr_t *pq, dma_addr_t *src, unsigned int src_cnt,
		const unsigned char *scf, size_t len, enum sum_check_flags *pqres,
		unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_memset)(
		struct dma_chan *chan, dma_addr_t dest, int value, size_t len,
		unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_memset_sg)(
		struct dma_chan *chan, struct scatterlist *sg, unsigned int nents, int value,
		unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_dma_interrupt)(
		struct dma_chan *chan, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_peripheral_dma_vec)(
		struct dma_chan *chan, const struct dma_vec *vecs, size_t nents,
		enum dma_transfer_direction direction, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_slave_sg)(
		struct dma_chan *chan, struct scatterlist *sgl, unsigned int sg_len,
		enum dma_transfer_direction direction, unsigned long flags, void *context);
	struct dma_async_tx_descriptor *(*device_prep_dma_cyclic)(
		struct dma_chan *chan, dma_addr_t buf_addr, size_t buf_len, size_t period_len,
		enum dma_transfer_direction direction, unsigned long flags);
	struct dma_async_tx_descriptor *(*device_prep_interleaved_dma)(
		struct dma_chan *chan, struct dma_interleaved_template *xt,
		unsigned long flags);

	void (*device_caps)(struct dma_chan *chan, struct dma_slave_caps *caps);
	int (*device_config)(struct dma_chan *chan, struct dma_slave_config *config);
	int (*device_pause)(struct dma_chan *chan);
	int (*device_resume)(struct dma_chan *chan);
	int (*device_terminate_all)(struct dma_chan *chan);
	void (*device_synchronize)(struct dma_chan *chan);
	enum dma_status (*device_tx_status)(struct dma_chan *chan, dma_cookie_t cookie,
					    struct dma_tx_state *txstate);
	void (*device_issue_pending)(struct dma_chan *chan);
	void (*device_release)(struct dma_device *dev);
	void (*dbg_summary_show)(struct seq_file *s, struct dma_device *dev);
};

/* ------------------------------------------------------- channel requests */

/**
 * dma_request_chan - the channel called @name for client device @dev.
 * Looks in the providers' dma_slave_map tables (devname == dev_name(dev) and
 * slave == @name), then asks the provider's filter. The channel is exclusive
 * until dma_release_channel().
 * @return the channel, or an error pointer: -EPROBE_DEFER when nothing matches
 * (or no matching channel is free), -EINVAL for a NULL @dev or @name,
 * -EDEADLK from a callback or interrupt handler (channel requests may sleep),
 * another -errno from the provider's alloc_chan_resources. Never NULL.
 */
DMAE_EXPORT struct dma_chan *dma_request_chan(struct device *dev, const char *name);

/**
 * dma_request_chan_by_mask - an exclusive channel that can do everything in @mask.
 * @return the channel, or -ENODEV (NULL @mask, or no device can), -EPROBE_DEFER
 * (no device registered at all), -EDEADLK (from a callback or interrupt
 * handler) as error pointers.
 */
DMAE_EXPORT struct dma_chan *dma_request_chan_by_mask(const dma_cap_mask_t *mask);

/**
 * __dma_request_channel - first free channel of the first device covering
 * @mask (NULL: any) that @fn (NULL: any) accepts; the device becomes PRIVATE.
 * @return the channel, or NULL.
 */
DMAE_EXPORT struct dma_chan *__dma_request_channel(const dma_cap_mask_t *mask,
						   dma_filter_fn fn, void *fn_param,
						   struct device_node *np);
#define dma_request_channel(mask, x, y) __dma_request_channel(&(mask), x, y, NULL)

/** The deprecated NULL-on-failure form of dma_request_chan(). */
DMAE_EXPORT struct dma_chan *dma_request_slave_channel(struct device *dev, const char *name);

/** Exactly @chan, if nobody holds it; else NULL. */
DMAE_EXPORT struct dma_chan *dma_get_slave_channel(struct dma_chan *chan);
/** dma_get_slave_channel() for the first free channel of @device, or NULL. */
DMAE_EXPORT struct dma_chan *dma_get_any_slave_channel(struct dma_device *device);

/**
 * dma_release_channel - give back a channel from a request.
 * At the last reference the core synchronizes the channel and the provider
 * frees its resources. Releasing a channel not held, or from a callback or
 * interrupt handler, prints one line and does nothing.
 */
DMAE_EXPORT void dma_release_channel(struct dma_chan *chan);

/** Take a reference on every public channel (for async_tx). */
DMAE_EXPORT void dmaengine_get(void);
/** Drop the references of dmaengine_get(). */
DMAE_EXPORT void dmaengine_put(void);
/** A public channel for @tx_type chosen for this CPU, or NULL (needs dmaengine_get()). */
DMAE_EXPORT struct dma_chan *dma_find_channel(enum dma_transaction_type tx_type);
/** Issue pending work on every public channel. */
DMAE_EXPORT void dma_issue_pending_all(void);

/**
 * dma_get_slave_caps - what a slave channel can do.
 * @return 0; -EINVAL for NULL @chan or @caps; -ENXIO when the device has
 * neither DMA_SLAVE nor DMA_CYCLIC, or reports no directions.
 */
DMAE_EXPORT int dma_get_slave_caps(struct dma_chan *chan, struct dma_slave_caps *caps);

/** The device whose mappings the channel's transfers use. */
static inline struct device *dmaengine_get_dma_device(struct dma_chan *chan)
{
	if (chan->dev && chan->dev->chan_dma_dev)
		return &chan->dev->device;
	return chan->device->dev;
}

/** "dma%dchan%d". */
static inline const char *dma_chan_name(const struct dma_chan *chan)
{
	return chan->dev ? dev_name(&chan->dev->device) : "(unregistered)";
}

/* ------------------------------------------------- misuse reports (cold) */

/** Print one line "<chan>: <func>: <why>" (used by the inline wrappers). */
DMAE_EXPORT void dmae_misuse(const struct dma_chan *chan, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold));

/* A channel is usable when it exists, is held and its provider has @op. */
#define __dmae_chan_ready(chan, op, func)                                          \
	(dmae_likely((chan) && __atomic_load_n(&(chan)->client_count, __ATOMIC_RELAXED) > 0 && \
		     (chan)->device->op) ||                                         \
	 (dmae_misuse((chan), (func), "%s",                                          \
		      !(chan) ? "NULL channel" :                                     \
		      __atomic_load_n(&(chan)->client_count, __ATOMIC_RELAXED) <= 0 ? \
		      "channel not held (released or never requested)" :            \
		      "operation not supported by this device"), 0))

static inline bool dmaengine_check_align(enum dmaengine_alignment align, size_t off1,
					 size_t off2, size_t len)
{
	return !(((off1 | off2 | len)) & ((1UL << align) - 1));
}

static inline bool is_dma_copy_aligned(struct dma_device *dev, size_t off1, size_t off2,
				       size_t len)
{
	return dmaengine_check_align(dev->copy_align, off1, off2, len);
}
static inline bool is_dma_xor_aligned(struct dma_device *dev, size_t off1, size_t off2,
				      size_t len)
{
	return dmaengine_check_align(dev->xor_align, off1, off2, len);
}
static inline bool is_dma_pq_aligned(struct dma_device *dev, size_t off1, size_t off2,
				     size_t len)
{
	return dmaengine_check_align(dev->pq_align, off1, off2, len);
}
static inline bool is_dma_fill_aligned(struct dma_device *dev, size_t off1, size_t off2,
				       size_t len)
{
	return dmaengine_check_align(dev->fill_align, off1, off2, len);
}

/* -------------------------------------------------------------- prep */

/**
 * dmaengine_prep_dma_memcpy - copy @len bytes from @src to @dest.
 * @return a descriptor, or NULL (NULL/unheld channel, no DMA_MEMCPY op, zero
 * @len, addresses or length not aligned to copy_align, or the provider
 * refused: oversize, no free descriptor).
 */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_memcpy(struct dma_chan *chan, dma_addr_t dest, dma_addr_t src, size_t len,
			  unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_memcpy, __func__))
		return NULL;
	if (dmae_unlikely(!len || !is_dma_copy_aligned(chan->device, (size_t)src,
							(size_t)dest, len))) {
		dmae_misuse(chan, __func__, !len ? "zero length" :
			    "src, dest or len not aligned to 2^%d bytes", chan->device->copy_align);
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_MEMCPY,
			       chan->device->device_prep_dma_memcpy(chan, dest, src, len, flags));
}

/**
 * dmaengine_prep_dma_memcpy_sg - copy the bytes of @src_sg into @dst_sg; as
 * many bytes as the shorter list holds. @return a descriptor or NULL.
 */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_memcpy_sg(struct dma_chan *chan, struct scatterlist *dst_sg,
			     unsigned int dst_nents, struct scatterlist *src_sg,
			     unsigned int src_nents, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_memcpy_sg, __func__))
		return NULL;
	if (dmae_unlikely(!dst_sg || !src_sg || !dst_nents || !src_nents)) {
		dmae_misuse(chan, __func__, "empty scatterlist");
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_MEMCPY_SG,
			       chan->device->device_prep_dma_memcpy_sg(chan, dst_sg, dst_nents,
								       src_sg, src_nents, flags));
}

/**
 * dmaengine_prep_dma_memset - fill @len bytes at @dest with the byte @value.
 * @return a descriptor, or NULL (as dmaengine_prep_dma_memcpy, with fill_align).
 */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_memset(struct dma_chan *chan, dma_addr_t dest, int value, size_t len,
			  unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_memset, __func__))
		return NULL;
	if (dmae_unlikely(!len || !is_dma_fill_aligned(chan->device, (size_t)dest, 0, len))) {
		dmae_misuse(chan, __func__, !len ? "zero length" :
			    "dest or len not aligned to 2^%d bytes", chan->device->fill_align);
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_MEMSET,
			       chan->device->device_prep_dma_memset(chan, dest, value, len, flags));
}

/** Fill every entry of @sg with the byte @value. @return a descriptor or NULL. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_memset_sg(struct dma_chan *chan, struct scatterlist *sg, unsigned int nents,
			     int value, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_memset_sg, __func__))
		return NULL;
	if (dmae_unlikely(!sg || !nents)) {
		dmae_misuse(chan, __func__, "empty scatterlist");
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_MEMSET_SG,
			       chan->device->device_prep_dma_memset_sg(chan, sg, nents, value,
								       flags));
}

/** XOR @src_cnt buffers of @len bytes into @dest. @return a descriptor or NULL. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_xor(struct dma_chan *chan, dma_addr_t dest, dma_addr_t *src,
		       unsigned int src_cnt, size_t len, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_xor, __func__))
		return NULL;
	if (dmae_unlikely(!src || src_cnt < 2 || src_cnt > chan->device->max_xor || !len)) {
		dmae_misuse(chan, __func__, "need 2 to %u sources and a non-zero length",
			    chan->device->max_xor);
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_XOR,
			       chan->device->device_prep_dma_xor(chan, dest, src, src_cnt, len,
								 flags));
}

/** Check that the XOR of @src_cnt buffers is zero; the verdict goes to *@result. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_xor_val(struct dma_chan *chan, dma_addr_t *src, unsigned int src_cnt,
			   size_t len, enum sum_check_flags *result, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_xor_val, __func__))
		return NULL;
	if (dmae_unlikely(!src || !result || src_cnt < 2 || src_cnt > chan->device->max_xor ||
			  !len)) {
		dmae_misuse(chan, __func__, "need 2 to %u sources, a result and a length",
			    chan->device->max_xor);
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_XOR_VAL,
			       chan->device->device_prep_dma_xor_val(chan, src, src_cnt, len,
								     result, flags));
}

/* ---- PQ source limits, as the kernel's dma_maxpq() family. */
static inline bool dma_dev_has_pq_continue(const struct dma_device *dma)
{
	return (dma->max_pq & DMA_HAS_PQ_CONTINUE) == DMA_HAS_PQ_CONTINUE;
}
static inline unsigned short dma_dev_to_maxpq(const struct dma_device *dma)
{
	return dma->max_pq & ~DMA_HAS_PQ_CONTINUE;
}
/* With P disabled, continuing needs one implied source (Q) instead of three. */
static inline bool dmaf_continue(enum dma_ctrl_flags flags)
{
	return (flags & DMA_PREP_CONTINUE) == DMA_PREP_CONTINUE;
}
static inline bool dmaf_p_disabled_continue(enum dma_ctrl_flags flags)
{
	enum dma_ctrl_flags mask = (enum dma_ctrl_flags)(DMA_PREP_CONTINUE | DMA_PREP_PQ_DISABLE_P);

	return (flags & mask) == mask;
}
/**
 * dma_maxpq - the most sources one PQ descriptor of @dma takes with @flags:
 * a device without native continuation spends sources on the implied P and Q.
 */
static inline int dma_maxpq(const struct dma_device *dma, enum dma_ctrl_flags flags)
{
	if (dma_dev_has_pq_continue(dma) || !dmaf_continue(flags))
		return dma_dev_to_maxpq(dma);
	if (dmaf_p_disabled_continue(flags))
		return dma_dev_to_maxpq(dma) - 1;
	return dma_dev_to_maxpq(dma) - 3;
}

/** RAID6 P (dst[0]) and Q (dst[1]) of @src_cnt sources with coefficients @scf. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_pq(struct dma_chan *chan, dma_addr_t *dst, dma_addr_t *src,
		      unsigned int src_cnt, const unsigned char *scf, size_t len,
		      unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_pq, __func__))
		return NULL;
	if (dmae_unlikely(!dst || !src || !scf || !src_cnt || !len ||
			  (int)src_cnt > dma_maxpq(chan->device, (enum dma_ctrl_flags)flags) ||
			  (flags & (DMA_PREP_PQ_DISABLE_P | DMA_PREP_PQ_DISABLE_Q)) ==
				  (DMA_PREP_PQ_DISABLE_P | DMA_PREP_PQ_DISABLE_Q))) {
		dmae_misuse(chan, __func__,
			    "need destinations, 1 to %d sources, coefficients, a length and P or Q",
			    dma_maxpq(chan->device, (enum dma_ctrl_flags)flags));
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_PQ,
			       chan->device->device_prep_dma_pq(chan, dst, src, src_cnt, scf, len,
								flags));
}

/** Check P (pq[0]) and Q (pq[1]); mismatches go to *@pqres as SUM_CHECK_*_RESULT. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_pq_val(struct dma_chan *chan, dma_addr_t *pq, dma_addr_t *src,
			  unsigned int src_cnt, const unsigned char *scf, size_t len,
			  enum sum_check_flags *pqres, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_pq_val, __func__))
		return NULL;
	if (dmae_unlikely(!pq || !src || !scf || !pqres || !src_cnt || !len ||
			  (int)src_cnt > dma_maxpq(chan->device, (enum dma_ctrl_flags)flags) ||
			  (flags & (DMA_PREP_PQ_DISABLE_P | DMA_PREP_PQ_DISABLE_Q)) ==
				  (DMA_PREP_PQ_DISABLE_P | DMA_PREP_PQ_DISABLE_Q))) {
		dmae_misuse(chan, __func__,
			    "need P or Q, 1 to %d sources, coefficients, a result and a length",
			    dma_maxpq(chan->device, (enum dma_ctrl_flags)flags));
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_PQ_VAL,
			       chan->device->device_prep_dma_pq_val(chan, pq, src, src_cnt, scf,
								    len, pqres, flags));
}

/** A descriptor that moves no data; its callback fires in order. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_interrupt(struct dma_chan *chan, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_interrupt, __func__))
		return NULL;
	return dmae_trace_prep(chan, DMA_INTERRUPT,
			       chan->device->device_prep_dma_interrupt(chan, flags));
}

/** Slave scatter-gather to or from the configured device address. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl, unsigned int sg_len,
			enum dma_transfer_direction dir, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_slave_sg, __func__))
		return NULL;
	if (dmae_unlikely(!sgl || !sg_len)) {
		dmae_misuse(chan, __func__, "empty scatterlist");
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_SLAVE,
			       chan->device->device_prep_slave_sg(chan, sgl, sg_len, dir, flags,
								  NULL));
}

/** One buffer to or from the configured device address. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_slave_single(struct dma_chan *chan, dma_addr_t buf, size_t len,
			    enum dma_transfer_direction dir, unsigned long flags)
{
	struct scatterlist sg;

	if (!__dmae_chan_ready(chan, device_prep_slave_sg, __func__))
		return NULL;
	sg_init_table(&sg, 1);
	sg_dma_address(&sg) = buf;
	sg_dma_len(&sg) = (unsigned int)len;
	return dmae_trace_prep(chan, DMA_SLAVE,
			       chan->device->device_prep_slave_sg(chan, &sg, 1, dir, flags, NULL));
}

/** Cyclic transfer over @buf_len bytes in periods of @period_len, until terminated. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_dma_cyclic(struct dma_chan *chan, dma_addr_t buf_addr, size_t buf_len,
			  size_t period_len, enum dma_transfer_direction dir, unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_dma_cyclic, __func__))
		return NULL;
	if (dmae_unlikely(!buf_len || !period_len || buf_len % period_len)) {
		dmae_misuse(chan, __func__, "buffer length must be a non-zero multiple of the period");
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_CYCLIC,
			       chan->device->device_prep_dma_cyclic(chan, buf_addr, buf_len,
								    period_len, dir, flags));
}

/**
 * dmaengine_prep_interleaved_dma - a 2-D transfer described by @xt.
 * DMA_PREP_REPEAT needs DMA_REPEAT, DMA_PREP_LOAD_EOT needs DMA_LOAD_EOT.
 * @return a descriptor or NULL.
 */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_interleaved_dma(struct dma_chan *chan, struct dma_interleaved_template *xt,
			       unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_interleaved_dma, __func__))
		return NULL;
	if (dmae_unlikely(!xt || !xt->numf || !xt->frame_size)) {
		dmae_misuse(chan, __func__, "empty template");
		return NULL;
	}
	if (dmae_unlikely((flags & DMA_PREP_REPEAT) &&
			  !dma_has_cap(DMA_REPEAT, chan->device->cap_mask))) {
		dmae_misuse(chan, __func__, "DMA_PREP_REPEAT without the DMA_REPEAT capability");
		return NULL;
	}
	if (dmae_unlikely((flags & DMA_PREP_LOAD_EOT) &&
			  !dma_has_cap(DMA_LOAD_EOT, chan->device->cap_mask))) {
		dmae_misuse(chan, __func__, "DMA_PREP_LOAD_EOT without the DMA_LOAD_EOT capability");
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_INTERLEAVE,
			       chan->device->device_prep_interleaved_dma(chan, xt, flags));
}

/** A transfer over an array of buffers to or from a peripheral. */
static inline struct dma_async_tx_descriptor *
dmaengine_prep_peripheral_dma_vec(struct dma_chan *chan, const struct dma_vec *vecs,
				  size_t nents, enum dma_transfer_direction dir,
				  unsigned long flags)
{
	if (!__dmae_chan_ready(chan, device_prep_peripheral_dma_vec, __func__))
		return NULL;
	if (dmae_unlikely(!vecs || !nents)) {
		dmae_misuse(chan, __func__, "empty vector");
		return NULL;
	}
	return dmae_trace_prep(chan, DMA_SLAVE,
			       chan->device->device_prep_peripheral_dma_vec(chan, vecs, nents, dir,
									    flags));
}

/* -------------------------------------------------- submit, issue, status */

/*
 * dmae_tx_submit - @tx->tx_submit(@tx), traced: dmaengine_submit() without
 * its NULL check, for the library's callers that submit a descriptor they
 * hold (async_tx, dependency chains).
 */
static inline dma_cookie_t dmae_tx_submit(struct dma_async_tx_descriptor *tx)
{
	if (dmae_trace_active())
		return dmae_trace_submit(tx); /* records, then calls tx_submit */
	return tx->tx_submit(tx);
}

/**
 * dmaengine_submit - queue a prepared descriptor; it starts at the next
 * dma_async_issue_pending(). Afterwards the pointer belongs to the engine.
 * @return its cookie (> 0), or a negative errno: -EINVAL for NULL, or what
 * the provider returns (-EINVAL for a descriptor already submitted, -EBUSY...).
 */
static inline dma_cookie_t dmaengine_submit(struct dma_async_tx_descriptor *desc)
{
	if (dmae_unlikely(!desc)) {
		dmae_misuse(NULL, __func__, "NULL descriptor");
		return -EINVAL;
	}
	return dmae_tx_submit(desc);
}

/** Start the transfers submitted so far. Context: any. */
static inline void dma_async_issue_pending(struct dma_chan *chan)
{
	if (!__dmae_chan_ready(chan, device_issue_pending, __func__))
		return;
	dmae_trace_issue(chan);
	chan->device->device_issue_pending(chan);
}

/**
 * dmaengine_tx_status - where transaction @cookie stands; @state may be NULL.
 * @return DMA_COMPLETE, DMA_IN_PROGRESS, DMA_PAUSED, DMA_ERROR (also for a
 * NULL or unheld channel) or DMA_OUT_OF_ORDER. Context: any.
 */
static inline enum dma_status dmaengine_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
						  struct dma_tx_state *state)
{
	if (!__dmae_chan_ready(chan, device_tx_status, __func__))
		return DMA_ERROR;
	return chan->device->device_tx_status(chan, cookie, state);
}

/**
 * dma_async_is_complete - test a cookie against the channel's last completed
 * (@last_complete) and last issued (@last_used) cookies, with wrap-around.
 */
static inline enum dma_status dma_async_is_complete(dma_cookie_t cookie,
						    dma_cookie_t last_complete,
						    dma_cookie_t last_used)
{
	if (last_complete <= last_used) {
		if (cookie <= last_complete || cookie > last_used)
			return DMA_COMPLETE;
	} else {
		if (cookie <= last_complete && cookie > last_used)
			return DMA_COMPLETE;
	}
	return DMA_IN_PROGRESS;
}

/** dmaengine_tx_status() that also reports the last completed and issued cookies. */
static inline enum dma_status dma_async_is_tx_complete(struct dma_chan *chan,
						       dma_cookie_t cookie,
						       dma_cookie_t *last, dma_cookie_t *used)
{
	struct dma_tx_state state = { 0, 0, 0, 0 };
	/* Without @last and @used nothing of the state is wanted: spare the
	 * provider working out a residue. */
	enum dma_status status = dmaengine_tx_status(chan, cookie, last || used ? &state : NULL);

	if (last)
		*last = state.last;
	if (used)
		*used = state.used;
	return status;
}

/**
 * dma_sync_wait - issue pending work and poll until @cookie is done.
 * @return its status; DMA_ERROR after 5000 ms ("<chan>: timeout!").
 */
DMAE_EXPORT enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie);

/* ------------------------------------------------------ control of a channel */

/**
 * dmaengine_slave_config - parameters for later slave transfers.
 * @return 0, -EINVAL (NULL arguments or channel not held), -ENOSYS (no device_config).
 */
DMAE_EXPORT int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config);

/**
 * dmaengine_terminate_async - abort everything queued or running; no callback
 * for what was aborted. The hardware may still run and a callback may still
 * be executing when it returns: dmaengine_synchronize() waits for both.
 * Context: any, including a callback.
 * @return 0, -EINVAL (no device_terminate_all op, or a bad channel).
 */
DMAE_EXPORT int dmaengine_terminate_async(struct dma_chan *chan);

/**
 * dmaengine_synchronize - wait until the engine no longer touches memory of
 * earlier descriptors and no callback runs or is scheduled.
 * Context: process. @return 0, -EINVAL (bad channel), -EDEADLK (called from a
 * callback or interrupt handler: one warning line, no wait).
 * The kernel's returns void; see docs/differences.md.
 */
DMAE_EXPORT int dmaengine_synchronize(struct dma_chan *chan);

/**
 * dmaengine_terminate_sync - dmaengine_terminate_async() then
 * dmaengine_synchronize(). Context: process.
 * @return 0, the error of terminate_async, or -EDEADLK from a callback or
 * interrupt handler (nothing is terminated then).
 */
DMAE_EXPORT int dmaengine_terminate_sync(struct dma_chan *chan);

/** Deprecated: terminate_async without a fallback; -ENOSYS without the op. */
DMAE_EXPORT int dmaengine_terminate_all(struct dma_chan *chan);

/**
 * dmaengine_pause - stop the channel without losing data (at the engine's
 * next boundary; synchronous). @return 0, -ENOSYS (unsupported), -EINVAL
 * (bad channel), or the provider's error.
 */
DMAE_EXPORT int dmaengine_pause(struct dma_chan *chan);

/**
 * dmaengine_resume - continue a paused channel. @return 0, -ENOSYS
 * (unsupported), -EINVAL (bad channel), -EPERM (not paused, for providers
 * that track it, as the cpu provider does).
 */
DMAE_EXPORT int dmaengine_resume(struct dma_chan *chan);

/* ------------------------------------------------------------ unmap data */

/*
 * Mappings that a descriptor holds until it completes (the kernel's
 * dmaengine_unmap_data): a client maps its buffers, records the bus
 * addresses here, attaches the data to each descriptor that uses them
 * (dma_set_unmap) and drops its own reference; the provider calls
 * dma_descriptor_unmap() when the descriptor completes or is aborted, and
 * the last reference unmaps everything: the first to_cnt addresses with
 * DMA_TO_DEVICE, the next from_cnt with DMA_FROM_DEVICE, the next bidi_cnt
 * with DMA_BIDIRECTIONAL (an address of 0 is skipped), all of len bytes.
 */
struct dmaengine_unmap_data {
	u16 map_cnt;	    /* entries in addr[] */
	u16 to_cnt;	    /* the counts are u8 in the kernel; u16 here, for */
	u16 from_cnt;	    /* async_xor's 256 sources */
	u16 bidi_cnt;
	struct device *dev; /* the device they are mapped for */
	int refs;	    /* references; atomic */
	size_t len;	    /* bytes of each mapping */
	dma_addr_t addr[];  /* the bus addresses */
};

/**
 * dmaengine_get_unmap_data - room for @nr mappings of @dev, one reference
 * held by the caller; counts 0. @return it, or NULL (no memory, @nr out of
 * 1..65535).
 */
DMAE_EXPORT struct dmaengine_unmap_data *dmaengine_get_unmap_data(struct device *dev, int nr,
								  gfp_t flags);
/** dmaengine_unmap_put - drop a reference; the last one unmaps and frees. */
DMAE_EXPORT void dmaengine_unmap_put(struct dmaengine_unmap_data *unmap);

/** dma_set_unmap - @tx holds a reference to @unmap until it completes. */
static inline void dma_set_unmap(struct dma_async_tx_descriptor *tx,
				 struct dmaengine_unmap_data *unmap)
{
	__atomic_add_fetch(&unmap->refs, 1, __ATOMIC_RELAXED);
	tx->unmap = unmap;
}

/** dma_descriptor_unmap - for providers: @tx completed or was aborted; drop its mappings. */
static inline void dma_descriptor_unmap(struct dma_async_tx_descriptor *tx)
{
	if (dmae_likely(!tx->unmap))
		return;
	dmaengine_unmap_put(tx->unmap);
	tx->unmap = NULL;
}

/* -------------------------------------------------------------- ack, reuse */

/*
 * The async_tx dependency links of a descriptor, as the kernel's txd_*():
 * @parent is what it waits for (set until it is submitted), @next what waits
 * for it. txd_lock() guards both. Context: any (a short spin).
 */
static inline void txd_lock(struct dma_async_tx_descriptor *txd)
{
	while (__atomic_exchange_n(&txd->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&txd->lock, __ATOMIC_RELAXED))
			;
}
static inline void txd_unlock(struct dma_async_tx_descriptor *txd)
{
	__atomic_store_n(&txd->lock, 0, __ATOMIC_RELEASE);
}
static inline void txd_chain(struct dma_async_tx_descriptor *txd,
			     struct dma_async_tx_descriptor *next)
{
	txd->next = next;
	next->parent = txd;
}
static inline void txd_clear_parent(struct dma_async_tx_descriptor *txd) { txd->parent = NULL; }
static inline void txd_clear_next(struct dma_async_tx_descriptor *txd) { txd->next = NULL; }
static inline struct dma_async_tx_descriptor *txd_parent(struct dma_async_tx_descriptor *txd)
{
	return txd->parent;
}
static inline struct dma_async_tx_descriptor *txd_next(struct dma_async_tx_descriptor *txd)
{
	return txd->next;
}

static inline void async_tx_ack(struct dma_async_tx_descriptor *tx)
{
	__atomic_fetch_or((int *)&tx->flags, DMA_CTRL_ACK, __ATOMIC_RELEASE);
}
static inline void async_tx_clear_ack(struct dma_async_tx_descriptor *tx)
{
	__atomic_fetch_and((int *)&tx->flags, ~DMA_CTRL_ACK, __ATOMIC_RELAXED);
}
static inline bool async_tx_test_ack(struct dma_async_tx_descriptor *tx)
{
	return (__atomic_load_n((int *)&tx->flags, __ATOMIC_ACQUIRE) & DMA_CTRL_ACK) ==
	       DMA_CTRL_ACK;
}

/**
 * dmaengine_desc_set_reuse - allow @tx to be submitted again after completion.
 * @return 0; -EINVAL (NULL); -EPERM when the channel does not support reuse.
 * Devices with slave capabilities answer through dma_get_slave_caps() as in
 * the kernel (whose errors it returns); memory-to-memory devices through their
 * descriptor_reuse field (docs/differences.md).
 */
DMAE_EXPORT int dmaengine_desc_set_reuse(struct dma_async_tx_descriptor *tx);

static inline void dmaengine_desc_clear_reuse(struct dma_async_tx_descriptor *tx)
{
	__atomic_fetch_and((int *)&tx->flags, ~DMA_CTRL_REUSE, __ATOMIC_RELAXED);
}
static inline bool dmaengine_desc_test_reuse(struct dma_async_tx_descriptor *tx)
{
	return (__atomic_load_n((int *)&tx->flags, __ATOMIC_RELAXED) & DMA_CTRL_REUSE) ==
	       DMA_CTRL_REUSE;
}

/**
 * dmaengine_desc_free - free a reusable descriptor that is not queued.
 * @return 0; -EINVAL (NULL); -EPERM (DMA_CTRL_REUSE not set); the provider's
 * error (-EBUSY while it is queued or running).
 */
DMAE_EXPORT int dmaengine_desc_free(struct dma_async_tx_descriptor *desc);

/* ---------------------------------------------------------------- metadata */

static inline bool dmaengine_is_metadata_mode_supported(struct dma_chan *chan,
							enum dma_desc_metadata_mode mode)
{
	if (!chan)
		return false;
	return !!(chan->device->desc_metadata_modes & mode);
}

/**
 * dmaengine_desc_attach_metadata - attach the client's metadata buffer
 * (DESC_METADATA_CLIENT). @return 0, -EINVAL (NULL @desc, or the descriptor
 * already uses ENGINE mode), -ENOTSUPP (mode or op not supported).
 */
DMAE_EXPORT int dmaengine_desc_attach_metadata(struct dma_async_tx_descriptor *desc, void *data,
					       size_t len);
/**
 * dmaengine_desc_get_metadata_ptr - the engine's metadata buffer
 * (DESC_METADATA_ENGINE); valid until the completion callback returns.
 * @return the pointer, or ERR_PTR(-EINVAL / -ENOTSUPP) as above.
 */
DMAE_EXPORT void *dmaengine_desc_get_metadata_ptr(struct dma_async_tx_descriptor *desc,
						  size_t *payload_len, size_t *max_len);
/** Tell the engine how many metadata bytes the client wrote; errors as above. */
DMAE_EXPORT int dmaengine_desc_set_metadata_len(struct dma_async_tx_descriptor *desc,
						size_t payload_len);

/* ----------------------------------------------------- statistics, summary */

/**
 * dmaengine_chan_attr - read a sysfs attribute of a channel by name, like
 * /sys/class/dma/<chan>/<attr>: "memcpy_count", "bytes_transferred" ("%lu\n")
 * or "in_use" ("%d\n").
 * @return bytes written to @buf (NUL-terminated), -ENODEV (no such channel,
 * or unregistered), -ENOENT (no such attribute), -EINVAL (NULL or no room).
 */
DMAE_EXPORT ssize_t dmaengine_chan_attr(const char *chan_name, const char *attr, char *buf,
					size_t size);

/**
 * dmaengine_summary - the debugfs "dmaengine/summary" text, as the kernel
 * writes it, into @buf (NUL-terminated, truncated to @size).
 * @return the length of the whole text (which may exceed @size - 1).
 */
DMAE_EXPORT size_t dmaengine_summary(char *buf, size_t size);
/** Write the summary to @f. @return 0 or -errno. */
DMAE_EXPORT int dmaengine_summary_print(FILE *f);

/**
 * dmaengine_for_each_device - call @fn for each registered device, in
 * registration order, until it returns non-zero: what the kernel's
 * /sys/class/dma and debugfs readers walk (a library extension, for tools
 * such as dmactl).
 *
 * @fn runs with the registry lock held: it may read the device and its
 * channels (device->channels, dma_chan_name(), chan->local, client_count)
 * and call dma_get_slave_caps(), dma_cap_name() and dev_name(), but must not
 * call anything that takes the registry lock (channel requests and releases,
 * registration, dmaengine_chan_attr(), dmaengine_summary()): that would
 * deadlock. Copy what it needs and act after the walk.
 *
 * @return 0 once every device was visited, @fn's first non-zero value,
 * -EINVAL for a NULL @fn, -EDEADLK from a callback or interrupt handler.
 * Context: process (the lock may sleep). Does not probe the default platform
 * (dmaengine_platform_init() does).
 */
DMAE_EXPORT int dmaengine_for_each_device(int (*fn)(struct dma_device *device, void *arg),
					  void *arg);

/* ------------------------------------------------------------------ platform */

/**
 * dmaengine_platform_init - probe the default platform (the cpu provider),
 * once. Channel requests call it themselves; DMAENGINE_PLATFORM=none turns it
 * off. @return 0 or -errno.
 */
DMAE_EXPORT int dmaengine_platform_init(void);
/** Remove what dmaengine_platform_init() probed. -EBUSY while channels are held. */
DMAE_EXPORT int dmaengine_platform_exit(void);

DMAE_END_DECLS

#endif /* DMAENGINE_DMAENGINE_H */
