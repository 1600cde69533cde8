/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/cpu.h - the cpu provider: a software DMA engine whose channels
 * are served by worker threads. It is the default platform: with no setup, a
 * request for a DMA_MEMCPY channel gets one of its channels.
 *
 * For applications that want to size or add cpu devices themselves.
 *
 * Capabilities: DMA_MEMCPY, DMA_MEMCPY_SG, DMA_MEMSET, DMA_MEMSET_SG,
 * DMA_INTERRUPT, DMA_INTERLEAVE (memory to memory), DMA_XOR, DMA_XOR_VAL,
 * DMA_PQ and DMA_PQ_VAL (max_xor and max_pq 64 sources, PQ with native
 * DMA_PREP_CONTINUE, any GF(2^8) coefficients) and, on in-order devices,
 * DMA_REPEAT and DMA_LOAD_EOT; DMA_COMPLETION_NO_ORDER on out-of-order
 * devices, which honour DMA_PREP_FENCE. Pause, resume, terminate and
 * synchronize act at chunk boundaries; residue has BURST granularity (a
 * chunk; in a shared run, what workers claim at once, up to four chunks);
 * descriptors are reusable. A device can be limited to a subset
 * of these (dma_cpu_params.caps), to stand in for a simpler engine.
 *
 * Sharing the work: on an in-order device, consecutive issued copies and
 * fills of one segment each (1 KiB or more, 32 KiB or more together) run as
 * one shared run, laid end to end, and a copy or fill with four chunks or
 * more still to go (256 KiB with the default chunk) is shared on its own.
 * The device's idle workers, and clients polling with dmaengine_tx_status()
 * for a cookie not yet complete, claim pieces of it in order alongside the
 * worker running it. Completion stays in order; descriptors of a run move
 * in parallel, as a hardware engine overlaps consecutive descriptors, so a
 * descriptor whose source is an earlier one's destination needs
 * DMA_PREP_FENCE on the earlier one (it ends the run, as async_tx does for
 * its dependencies). Pause, terminate, residue and bus faults stay exact at
 * piece boundaries. A worker that waits for its CPU more than 2/3 of the
 * time (a client thread spinning on the same CPU, say) stays out of shared
 * runs for a while; when a helper is slow to finish its last piece anyway,
 * sharing pauses for 1 ms, twice as long after each further slow one, up
 * to 1 s.
 *
 * Polling clients run small ones: while the worker of an in-order channel
 * sleeps, a client polling with dmaengine_tx_status() for a cookie not yet
 * complete runs the issued descriptors up to it itself, as long as they
 * need no completion context (no callback, no dependent, not DMA_PREP_REPEAT)
 * and come to 64 KiB at most; the first one that does not qualify, and all
 * after it, are left to the worker. A sleeping worker takes two context
 * switches to complete a copy on its client's CPU, or the wake-up of an idle
 * CPU (tens of microseconds in a VM); the poll takes well under one. The
 * worker, woken by issue_pending, waits for the client to finish. So that
 * the client gets there first, issue_pending makes way for a woken worker
 * (yields its CPU) unless its caller is the channel's only client and the
 * last descriptor it issued qualifies. A polling client that has seen no
 * progress on its channel (no completion, no chunk) for 20 us while the
 * worker is awake yields its CPU, which the worker may be waiting for: with
 * more busy threads than CPUs the worker would otherwise wait out the
 * client's whole time slice.
 *
 * Wake-ups from callbacks: a callback that wakes a sleeping client (with
 * wake_up() or complete()) runs on a worker, and waking a thread that last
 * slept on another CPU costs the waker an inter-processor interrupt, 12 us
 * in a VM here. The workers route these wake-ups through each other's wake
 * relays (dmaengine/os.h): an awake worker on the sleeper's CPU makes the
 * system call between its chunks, for 1.6 us, and the worker running the
 * channel goes on completing descriptors.
 *
 * Environment (read by dma_cpu_params_init):
 *   DMAENGINE_CPU_CHANNELS  channels of the default device (4)
 *   DMAENGINE_CPU_WORKERS   worker threads (the number of CPUs)
 *   DMAENGINE_CPU_DESCS     descriptors per channel (1024)
 *   DMAENGINE_CPU_ORDER     "any" for an out-of-order device ("in")
 *   DMAENGINE_CPU_SPIN_US   how long an idle worker polls before sleeping (50)
 *   DMAENGINE_CPU_IOMMU     1: put the device behind an IOMMU domain of its own (0)
 *   DMAENGINE_CPU_FAULT     a fault to inject from the start (none); see below
 *
 * Memory: the device reads and writes memory only through bus access
 * (dmaengine/bus.h) with its own struct device (dmaengine_get_dma_device()),
 * so clients give it bus addresses from the DMA mapping API on that device.
 * Without an IOMMU these are host addresses; behind one (params.iommu), they
 * are IOVAs, and an access outside the device's mappings, or against their
 * direction, fails: the descriptor completes with DMA_TRANS_READ_FAILED or
 * DMA_TRANS_WRITE_FAILED in its result (residue: the bytes not moved),
 * dmaengine_tx_status() says DMA_ERROR for the latest such cookie of an
 * in-order channel, and the IOMMU domain records the fault.
 *
 * Fault injection (in the spirit of SPDK's error bdev and the kernel's
 * fault-injection attributes): a device can be told to fail, corrupt or delay
 * every Nth descriptor it runs, so that a client's error paths and its data
 * verification can be tested without broken hardware:
 *
 *	struct dma_cpu_fault f = { .kind = DMA_CPU_FAULT_CORRUPT, .every_nth = 3 };
 *
 *	dma_cpu_inject_fault(dma, &f);	 ... run the client ...
 *	dma_cpu_inject_fault(dma, NULL); back to normal
 *
 * or from the environment, for the default device (and any other that starts
 * from dma_cpu_params_init()):
 *
 *	DMAENGINE_CPU_FAULT=<kind>[:<every_nth>][:<option>]...
 *	  kind       read | write | corrupt | delay | none
 *	  every_nth  fault the Nth, 2Nth, ... descriptor of the device (1: each; the default)
 *	  count=N    at most N faults (default: no limit)
 *	  <time>     delay: how long, with its unit: 500us, 10ms, 2s (1us to 1 hour); required
 *	  offset=N   corrupt: which byte of the destination (default 0)
 *	  mask=N     corrupt: the bits flipped (default 0xff)
 *	e.g. read:7, write:5:count=1, corrupt:3, corrupt:1:offset=100:mask=0x20, delay:10:500us,
 *	     delay:2ms (each descriptor)
 *
 * A malformed value is ignored with one warning line. Only descriptors that
 * move or check data count (not DMA_INTERRUPT ones), on every channel of the
 * device or on one (dma_cpu_fault.chan), in the order the workers start them.
 * What each kind does:
 *   READ, WRITE  the descriptor moves nothing and completes with
 *		  DMA_TRANS_READ_FAILED / DMA_TRANS_WRITE_FAILED, residue its whole
 *		  length, DMA_ERROR from dmaengine_tx_status() (in-order channels),
 *		  exactly as after a real bus fault (but no IOMMU fault is recorded)
 *   CORRUPT	  the descriptor completes normally (DMA_TRANS_NOERROR), then one
 *		  byte of its destination is XORed with the mask: the byte at offset
 *		  (modulo the length) counted through its segments, chunks and frames
 *		  in transfer order; for DMA_XOR the destination, for DMA_PQ P (Q when
 *		  P is disabled); for DMA_XOR_VAL and DMA_PQ_VAL the verdict is
 *		  flipped instead (SUM_CHECK_P_RESULT, or SUM_CHECK_Q_RESULT when only
 *		  Q is checked). Silent corruption: only verification catches it
 *   DELAY	  the descriptor waits, parked, for the time given before it runs;
 *		  the worker serves its other channels meanwhile and sleeps until the
 *		  due time when it has nothing else. On an in-order channel the
 *		  descriptors behind it wait too (as behind a slow transfer); residue
 *		  is the whole length while it waits; pause and terminate act on it
 *		  as on one that has not started
 * (A repeating transfer, DMA_PREP_REPEAT, is delayed before its first pass and
 * corrupted when it ends.)
 * The fast path pays one predictable branch on a per-device flag while no
 * fault is configured.
 */
#ifndef DMAENGINE_CPU_H
#define DMAENGINE_CPU_H

#include <dmaengine/dmaengine.h>

DMAE_BEGIN_DECLS

/** What to inject: see the file overview. */
enum dma_cpu_fault_kind {
	DMA_CPU_FAULT_NONE = 0,	   /* nothing: normal operation */
	DMA_CPU_FAULT_READ = 1,	   /* fail with DMA_TRANS_READ_FAILED, nothing moved */
	DMA_CPU_FAULT_WRITE = 2,   /* fail with DMA_TRANS_WRITE_FAILED, nothing moved */
	DMA_CPU_FAULT_CORRUPT = 3, /* complete, then flip bits of one destination byte */
	DMA_CPU_FAULT_DELAY = 4,   /* start delay_us later than the worker would */
};

/** A fault to inject into a cpu device; zero-initialised fields take their defaults. */
struct dma_cpu_fault {
	enum dma_cpu_fault_kind kind; /* what to inject */
	unsigned int every_nth;	      /* the Nth, 2Nth, ... descriptor (0 or 1: each one) */
	unsigned int count;	      /* faults to inject at most (0: no limit) */
	struct dma_chan *chan;	      /* only this channel's descriptors (NULL: every channel) */
	u64 delay_us;		      /* DELAY: how long, 1 us .. 1 hour */
	u64 offset;		      /* CORRUPT: destination byte (modulo the length) */
	u8 mask;		      /* CORRUPT: bits flipped (0: 0xff) */
};

struct dma_cpu_params {
	const char *name;     /* device name (default "cpu-dma.<n>") */
	unsigned int channels; /* channels, 1..256 */
	unsigned int workers;  /* worker threads, 1..64 */
	unsigned int descs;    /* descriptors per channel, 16..65536 (rounded up to a power of 2) */
	bool out_of_order;     /* every worker serves every channel; no completion order */
	size_t chunk;	       /* bytes between pause/terminate checks (4 KiB..16 MiB) */
	u64 spin_ns;	       /* idle polling before a worker sleeps */
	dma_cap_mask_t caps;   /* only these capabilities; empty: all of them */
	bool iommu;	       /* behind an IOMMU domain of its own (dmaengine/iommu.h) */
	struct dma_cpu_fault fault; /* injected from the start (fault.chan must be NULL) */
};

/** Fill @p with the defaults, overridden by the environment variables above. */
DMAE_EXPORT void dma_cpu_params_init(struct dma_cpu_params *p);

/**
 * dma_cpu_probe - create, start and register a cpu device.
 * @p: parameters, NULL for dma_cpu_params_init() defaults.
 * @return the registered device, or ERR_PTR(-EINVAL) for parameters out of
 * range, -ENOMEM, -EAGAIN (threads), or a registration error.
 */
DMAE_EXPORT struct dma_device *dma_cpu_probe(const struct dma_cpu_params *p);

/**
 * dma_cpu_remove - unregister a device from dma_cpu_probe() and stop its
 * workers. @return 0, -EINVAL (not a cpu device), -EBUSY (channels held).
 * Context: process.
 */
DMAE_EXPORT int dma_cpu_remove(struct dma_device *dma);

/**
 * dma_cpu_inject_fault - set or clear the fault a cpu device injects.
 * @dma: a device from dma_cpu_probe()
 * @f: the fault, copied; NULL or kind DMA_CPU_FAULT_NONE: inject nothing
 * Counting of every_nth and count starts again from this call. Descriptors
 * that have started keep what they got (a parked DELAY keeps its due time).
 * @return 0, or -EINVAL: not a cpu device, an unknown kind, a DELAY of 0 or
 * more than an hour, or a channel of another device (one line each).
 * Context: any.
 */
DMAE_EXPORT int dma_cpu_inject_fault(struct dma_device *dma, const struct dma_cpu_fault *f);

/**
 * dma_cpu_get_fault - the fault a cpu device injects, and how many so far.
 * @f: set to the fault in force (kind DMA_CPU_FAULT_NONE when none); may be NULL
 * @injected: set to the faults injected since it was set; may be NULL. A
 * fault whose count is used up stays in @f, with @injected == count.
 * @return 0, or -EINVAL (not a cpu device). Context: any.
 */
DMAE_EXPORT int dma_cpu_get_fault(struct dma_device *dma, struct dma_cpu_fault *f,
				  unsigned long *injected);

DMAE_END_DECLS

#endif /* DMAENGINE_CPU_H */
