/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/dma-mapping.h - the kernel's DMA mapping API: DMA masks,
 * coherent allocations, streaming mappings of buffers, pages and
 * scatterlists, and their syncs.
 *
 * For providers (drivers map their clients' buffers for their device) and
 * applications that hand bus addresses to a channel.
 *
 * A bus address (dma_addr_t) is what one device sees. A device whose masks
 * reach a buffer and whose caches are coherent sees the host address itself
 * (the identity: a map costs a few comparisons). Otherwise its streaming
 * mappings go through bounce buffers (swiotlb): a pool of low memory that the
 * mask reaches, copied at map, unmap and sync as the direction requires. A
 * non-coherent device (dev->dma_coherent false) is always bounced, so that a
 * missing dma_sync_single_for_cpu() shows stale data, as on real hardware.
 *
 * Environment: DMAENGINE_SWIOTLB_MB, the bounce pool's size (64), allocated
 * below 2 GiB on first use.
 *
 * Context: any, except dma_alloc_coherent() / dma_free_coherent() (process).
 */
#ifndef DMAENGINE_DMA_MAPPING_H
#define DMAENGINE_DMA_MAPPING_H

#include <dmaengine/device.h>
#include <dmaengine/err.h>
#include <dmaengine/scatterlist.h>

DMAE_BEGIN_DECLS

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0, /* the device reads and writes */
	DMA_TO_DEVICE = 1,     /* the device reads */
	DMA_FROM_DEVICE = 2,   /* the device writes */
	DMA_NONE = 3,	       /* not a direction: refused */
};

#define DMA_BIT_MASK(n) (((n) >= 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)

static inline bool valid_dma_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/* ------------------------------------------------------------------ masks */

/**
 * dma_set_mask - the addresses @dev can generate for streaming mappings.
 * @return 0, or -EIO for a mask this system cannot serve (0, or narrower than
 * the bounce pool) or a device without a dma_mask pointer.
 */
DMAE_EXPORT int dma_set_mask(struct device *dev, u64 mask);
/** dma_set_coherent_mask - the same for dma_alloc_coherent(). */
DMAE_EXPORT int dma_set_coherent_mask(struct device *dev, u64 mask);
DMAE_EXPORT int dma_set_mask_and_coherent(struct device *dev, u64 mask);

static inline u64 dma_get_mask(const struct device *dev)
{
	return dev && dev->dma_mask && *dev->dma_mask ? *dev->dma_mask : DMA_BIT_MASK(32);
}

/** Segment limits for dma_map_sg() merging: -EIO without dev->dma_parms. */
DMAE_EXPORT int dma_set_max_seg_size(struct device *dev, unsigned int size);
DMAE_EXPORT int dma_set_seg_boundary(struct device *dev, unsigned long mask);

static inline unsigned int dma_get_max_seg_size(const struct device *dev)
{
	return dev->dma_parms && dev->dma_parms->max_segment_size ?
		       dev->dma_parms->max_segment_size : 65536;
}

static inline unsigned long dma_get_seg_boundary(const struct device *dev)
{
	return dev->dma_parms && dev->dma_parms->segment_boundary_mask ?
		       dev->dma_parms->segment_boundary_mask : ~0UL;
}

/* -------------------------------------------------------- streaming maps */

/**
 * dma_map_single - map @size bytes at @ptr for @dev, direction @dir.
 * @return the bus address, or DMA_MAPPING_ERROR (test with
 * dma_mapping_error()): NULL or zero-size buffer, bad direction, no bounce
 * space. Until it is unmapped the CPU must not touch the buffer except
 * between dma_sync_single_for_cpu() and dma_sync_single_for_device().
 */
DMAE_EXPORT dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
				      enum dma_data_direction dir);
/** Undo dma_map_single() with the same size and direction. */
DMAE_EXPORT void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir);

static inline dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset,
				      size_t size, enum dma_data_direction dir)
{
	return dma_map_single(dev, page ? (char *)page_address(page) + offset : NULL, size, dir);
}

static inline void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir)
{
	dma_unmap_single(dev, addr, size, dir);
}

/**
 * dma_mapping_error - @return -ENOMEM when @addr is DMA_MAPPING_ERROR, else 0.
 * Every mapping's result must go through it (DMA-API debug reports those
 * that do not when they are unmapped).
 */
DMAE_EXPORT int dma_mapping_error(struct device *dev, dma_addr_t addr);

/** Give [addr, addr+size) of a mapping to the CPU: it sees what the device wrote. */
DMAE_EXPORT void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
					 enum dma_data_direction dir);
/** Give it back to the device: it sees what the CPU wrote. */
DMAE_EXPORT void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
					    enum dma_data_direction dir);

/**
 * dma_map_sg - map the @nents entries of @sg. Entries the device sees as
 * contiguous are merged (within its max segment size and segment boundary),
 * so the result may be fewer: @return the number of mapped entries, whose
 * sg_dma_address() / sg_dma_len() to use, or 0 on failure (nothing mapped).
 */
DMAE_EXPORT int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
			   enum dma_data_direction dir);
/** Undo dma_map_sg(); @nents is the count passed to it, not the one returned. */
DMAE_EXPORT void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir);
DMAE_EXPORT void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nents,
				     enum dma_data_direction dir);
DMAE_EXPORT void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nents,
					enum dma_data_direction dir);

/* ------------------------------------------------------- coherent memory */

/**
 * dma_alloc_coherent - @size zeroed bytes that @dev and the CPU share without
 * syncs, reachable through the device's coherent mask; *@handle gets the bus
 * address. @return the CPU address, or NULL. Context: process.
 */
DMAE_EXPORT void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
				     gfp_t gfp);
DMAE_EXPORT void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
				   dma_addr_t handle);

/* -------------------------------------------------------- DMA-API debug */

/*
 * DMA-API debug (the kernel's CONFIG_DMA_API_DEBUG): while on, every mapping
 * is recorded with where it was made, and misuse is reported with the
 * kernel's wording, through the log handler at error level (see
 * dmae_set_log_handler()), one line a call:
 *
 *   DMA-API: <driver> <device>: device driver frees DMA memory with different size [...]
 *   DMA-API: <driver> <device>: Mapped at:
 *   DMA-API: <driver> <device>:  <symbol>+0x<off> (<object>+0x<off>)
 *
 * It finds: unmaps and frees of memory never mapped or already unmapped, or
 * with another size, direction, function (single / scatter-gather /
 * coherent), CPU address or sg entry count; mappings whose
 * dma_mapping_error() was never called (at unmap); syncs outside any mapping
 * or in the wrong direction; mappings of the caller's stack or of read-only
 * memory (text, rodata); sg segments over the device's max segment size or
 * across its segment boundary; two device-writable mappings sharing a CPU
 * cacheline; mappings still held at dmae_device_release().
 *
 * Environment: DMAENGINE_DMA_DEBUG=1 turns it on at load, before any mapping
 * exists. Turned on later, mappings made before are unknown to it: their
 * unmaps and syncs are reported as "not allocated". Turning it off forgets
 * every mapping recorded. Off, a mapping call pays one relaxed load.
 *
 * Unlike the kernel, which prints only the first error by default, every
 * error is printed until dma_debug_set_num_errors() says otherwise.
 *
 * Context: any (dma_debug_dump_mappings() included).
 */

/** dma_debug_set_enabled - turn DMA-API debug on or off (off: all records dropped). */
DMAE_EXPORT void dma_debug_set_enabled(bool on);
/** @return whether DMA-API debug is on. */
DMAE_EXPORT bool dma_debug_enabled(void);
/** @return errors found so far (the kernel's debugfs error_count), printed or not. */
DMAE_EXPORT unsigned int dma_debug_error_count(void);
/**
 * dma_debug_set_num_errors - print only the next @n errors (the kernel's
 * num_errors); @n < 0 prints every error (all_errors; the default). Errors
 * not printed are still counted.
 */
DMAE_EXPORT void dma_debug_set_num_errors(int n);
/**
 * dma_debug_set_driver_filter - print only errors of devices whose
 * dev_driver_string() is @name (the kernel's driver_filter); NULL or ""
 * prints them all. Errors filtered out are still counted.
 */
DMAE_EXPORT void dma_debug_set_driver_filter(const char *name);
/**
 * dma_debug_dump_mappings - log every mapping recorded for @dev (NULL: all
 * devices) at info level, one "<type> idx <bucket> P=<cpu> D=<bus> L=<len>
 * <direction> <map error state>" line each.
 */
DMAE_EXPORT void dma_debug_dump_mappings(struct device *dev);

/*
 * How the mapping API maps for a device that does not master on the host's
 * memory, such as a simulated board's device, whose bus addresses are the
 * board's physical ones (struct device's dma_ops). For platforms.
 */
struct dmae_dma_map_ops {
	/* A bus address for [@ptr, @ptr + @size), or DMA_MAPPING_ERROR. */
	dma_addr_t (*map)(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir);
	void (*unmap)(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir);
	void (*sync)(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir,
		     bool for_cpu);
	/* Zeroed coherent memory of @size (page multiple), its bus address in *@handle. */
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *handle);
	/* false if @cpu_addr / @handle are not one of alloc's. */
	bool (*free)(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle);
};

DMAE_END_DECLS

#endif /* DMAENGINE_DMA_MAPPING_H */
