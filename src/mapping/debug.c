// SPDX-License-Identifier: MIT
/*
 * debug.c - DMA-API debug: the kernel's kernel/dma/debug.c in user space.
 *
 * While debug is on, every mapping (dma_map_single/page, each mapped segment
 * of dma_map_sg, dma_alloc_coherent) becomes an entry in a hash table keyed
 * by (device, bus address). Unmaps, frees and syncs are checked against the
 * table and misuse is reported with the kernel's wording:
 *
 *   DMA-API: <driver> <device>: <what is wrong>
 *   DMA-API: <driver> <device>: Mapped at:
 *   DMA-API: <driver> <device>:  <frame> (<object>+<offset>)
 *
 * through the library's logger at error level, and counted. Device-writable
 * mappings (all but DMA_TO_DEVICE) are also on a list scanned at each map for
 * another writable mapping sharing a CPU cacheline.
 *
 * The table is bucketed by bus address >> DEBUG_HASH_SHIFT. An exact lookup
 * (unmap, dma_mapping_error) reads one bucket; a lookup for the mapping that
 * contains an address (sync) walks back as many buckets as the largest
 * mapping recorded can span.
 *
 * Locking: debug.lock protects the table, the writable list, their sizes and
 * the driver filter; the error counters and the on/off flag are atomics.
 * Nothing is logged and no backtrace is taken with the lock held: a report
 * works on an entry taken out of the table, or on a copy.
 */
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/dma-mapping.h>
#include <dmaengine/list.h>
#include <dmaengine/os.h>

#include "mapping/debug.h"

#define DEBUG_HASH_SHIFT 13   /* a bucket holds 8 KiB of bus addresses */
#define DEBUG_HASH_SIZE 4096  /* buckets (power of two) */
#define DEBUG_STACK_DEPTH 6   /* frames kept per mapping */
#define DEBUG_STACK_SKIP 2    /* record_stack() and the hook itself */
#define DEBUG_CACHELINE 64    /* overlap granularity (x86-64 L1 line) */
#define DEBUG_NAME_MAX 64     /* driver filter length, with the NUL */
#define DEBUG_MSG_MAX 448     /* one report, before the prefix */

enum dma_debug_type {
	dma_debug_single,   /* dma_map_single() / dma_map_page() */
	dma_debug_sg,	    /* one mapped segment of dma_map_sg() */
	dma_debug_coherent, /* dma_alloc_coherent() */
};

enum map_err_type {
	MAP_ERR_CHECK_NOT_APPLICABLE, /* sg and coherent: no dma_mapping_error() due */
	MAP_ERR_NOT_CHECKED,	      /* single, dma_mapping_error() not called yet */
	MAP_ERR_CHECKED,	      /* single, dma_mapping_error() called */
};

/* CPU memory a mapping covers; a merged sg segment may cover several. */
struct cpu_range {
	uintptr_t start; /* first byte */
	size_t len;	 /* bytes, > 0 */
};

/* One mapping, as dma_map_*() or dma_alloc_coherent() made it. */
struct dma_debug_entry {
	struct dma_debug_entry *next;	/* bucket chain */
	struct dma_debug_entry **pprev; /* what points to this entry in the chain */
	struct list_head writable;	/* in debug.writable unless DMA_TO_DEVICE */
	struct device *dev;		/* the device it was mapped for */
	u64 dev_addr;			/* bus address */
	u64 size;			/* bytes mapped (segment: sg_dma_len) */
	u64 cpu_addr;			/* CPU address of the first byte */
	int type;			/* enum dma_debug_type */
	int direction;			/* enum dma_data_direction */
	int sg_call_ents;		/* sg: nents passed to dma_map_sg() */
	int sg_mapped_ents;		/* sg: what it returned */
	enum map_err_type map_err;	/* whether dma_mapping_error() saw it */
	struct cpu_range *ranges;	/* CPU memory covered: &range or an array */
	int nranges;			/* entries in ranges */
	struct cpu_range range;		/* storage for a single range */
	int nframes;			/* valid entries in frames */
	void *frames[DEBUG_STACK_DEPTH]; /* where it was mapped, innermost first */
};

/* A lookup key: what an unmap, free or sync says about its mapping. */
struct dma_debug_ref {
	struct device *dev; /* device passed to the call */
	u64 dev_addr;	    /* bus address passed */
	u64 size;	    /* size passed */
	u64 cpu_addr;	    /* coherent free: CPU address passed */
	int type;	    /* enum dma_debug_type of the call */
	int direction;	    /* direction passed */
	int sg_call_ents;   /* sg calls: nents passed */
};

int dmae__dma_debug_enabled; /* see debug.h; written by dma_debug_set_enabled() */

static struct {
	spinlock_t lock;				/* protects all below */
	struct dma_debug_entry *hash[DEBUG_HASH_SIZE];	/* entries by bus address */
	struct list_head writable;			/* entries the device may write */
	unsigned long nr_entries;			/* entries in hash; also read unlocked */
	u64 max_size;					/* largest size since hash was empty */
	char driver_filter[DEBUG_NAME_MAX];		/* report only this driver; "" all */
	u32 error_count;				/* errors found; atomic */
	int num_errors;					/* reports left to print, <0 all; atomic */
} debug = {
	.writable = LIST_HEAD_INIT(debug.writable),
	.num_errors = -1,
};

static const char *const type2name[] = {
	[dma_debug_single] = "single",
	[dma_debug_sg] = "scatter-gather",
	[dma_debug_coherent] = "coherent",
};

static const char *const dir2name[] = {
	[DMA_BIDIRECTIONAL] = "DMA_BIDIRECTIONAL",
	[DMA_TO_DEVICE] = "DMA_TO_DEVICE",
	[DMA_FROM_DEVICE] = "DMA_FROM_DEVICE",
	[DMA_NONE] = "DMA_NONE",
};

static const char *const maperr2str[] = {
	[MAP_ERR_CHECK_NOT_APPLICABLE] = "dma map error check not applicable",
	[MAP_ERR_NOT_CHECKED] = "dma map error not checked",
	[MAP_ERR_CHECKED] = "dma map error checked",
};

/* Names for the tables above that survive a bad direction from the caller. */
static const char *type_name(int type)
{
	return type >= 0 && type <= dma_debug_coherent ? type2name[type] : "unknown";
}

static const char *dir_name(int dir)
{
	return dir >= 0 && dir <= DMA_NONE ? dir2name[dir] : "DMA_INVALID";
}

/* --------------------------------------------------------------- switch */

/* debug_forget_all - drop every entry, as when debug goes off. */
static void debug_forget_all(void);

/**
 * dma_debug_from_env - DMAENGINE_DMA_DEBUG set to anything but "" or "0"
 * turns debug on from the start, before any mapping exists.
 */
__attribute__((constructor)) static void dma_debug_from_env(void)
{
	const char *env = getenv("DMAENGINE_DMA_DEBUG");

	if (env && *env && strcmp(env, "0") != 0)
		__atomic_store_n(&dmae__dma_debug_enabled, 1, __ATOMIC_RELAXED);
}

DMAE_EXPORT void dma_debug_set_enabled(bool on)
{
	/* Hooks add entries under the lock only while the flag says on, and
	 * the lock orders this store before the sweep: nothing is left behind. */
	__atomic_store_n(&dmae__dma_debug_enabled, on ? 1 : 0, __ATOMIC_RELAXED);
	if (!on)
		debug_forget_all();
}

DMAE_EXPORT bool dma_debug_enabled(void)
{
	return dmae__debug_on();
}

DMAE_EXPORT unsigned int dma_debug_error_count(void)
{
	return __atomic_load_n(&debug.error_count, __ATOMIC_RELAXED);
}

DMAE_EXPORT void dma_debug_set_num_errors(int n)
{
	__atomic_store_n(&debug.num_errors, n < 0 ? -1 : n, __ATOMIC_RELAXED);
}

DMAE_EXPORT void dma_debug_set_driver_filter(const char *name)
{
	dmae_lock(&debug.lock);
	snprintf(debug.driver_filter, sizeof(debug.driver_filter), "%s", name ? name : "");
	dmae_unlock(&debug.lock);
}

/* ------------------------------------------------------------ reporting */

/* report_quota - may one more report be printed? Takes one from num_errors. */
static bool report_quota(void)
{
	int n = __atomic_load_n(&debug.num_errors, __ATOMIC_RELAXED);

	while (n > 0 && !__atomic_compare_exchange_n(&debug.num_errors, &n, n - 1, false,
						     __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return n != 0;
}

/* report_filter - does the driver filter let reports about @dev through? */
static bool report_filter(const struct device *dev)
{
	bool pass;

	dmae_lock(&debug.lock);
	pass = !debug.driver_filter[0] ||
	       (dev && strcmp(debug.driver_filter, dev_driver_string(dev)) == 0);
	dmae_unlock(&debug.lock);
	return pass;
}

/* print_frame - one "Mapped at:" frame: symbol if known, object and offset. */
static void print_frame(const char *drv, const char *name, void *frame)
{
	Dl_info info;

	if (!dladdr(frame, &info) || !info.dli_fname) {
		dmae_log(DMAE_LOG_ERR, "DMA-API: %s %s:  %p", drv, name, frame);
	} else if (info.dli_sname) {
		dmae_log(DMAE_LOG_ERR, "DMA-API: %s %s:  %s+0x%lx (%s+0x%lx)", drv, name,
			 info.dli_sname, (unsigned long)((char *)frame - (char *)info.dli_saddr),
			 info.dli_fname, (unsigned long)((char *)frame - (char *)info.dli_fbase));
	} else {
		dmae_log(DMAE_LOG_ERR, "DMA-API: %s %s:  %p (%s+0x%lx)", drv, name, frame,
			 info.dli_fname, (unsigned long)((char *)frame - (char *)info.dli_fbase));
	}
}

/**
 * err_report - count one error and, unless num_errors or the driver filter
 * holds it back, print it: each line of @fmt behind the "DMA-API: <driver>
 * <device>: " prefix, then where @entry (if any) was mapped.
 * Context: any; takes debug.lock briefly, not held by the caller.
 */
__attribute__((format(printf, 3, 4))) static void
err_report(const struct device *dev, const struct dma_debug_entry *entry, const char *fmt, ...)
{
	const char *drv = dev ? dev_driver_string(dev) : "NULL";
	const char *name = dev ? dev_name(dev) : "NULL";
	char msg[DEBUG_MSG_MAX], *line, *save;
	va_list ap;

	__atomic_add_fetch(&debug.error_count, 1, __ATOMIC_RELAXED);
	if (!report_quota() || !report_filter(dev))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		dmae_log(DMAE_LOG_ERR, "DMA-API: %s %s: %s", drv, name, line);
	if (!entry)
		return;
	dmae_log(DMAE_LOG_ERR, "DMA-API: %s %s: Mapped at:", drv, name);
	for (int i = 0; i < entry->nframes; i++)
		print_frame(drv, name, entry->frames[i]);
}

/* ------------------------------------------------------------- entries */

/* entry_new - a zeroed entry for @dev at @addr; NULL (and debug off) on ENOMEM. */
static struct dma_debug_entry *entry_new(struct device *dev, int type, u64 addr, u64 size,
					 int dir)
{
	struct dma_debug_entry *entry = calloc(1, sizeof(*entry));

	if (!entry) {
		dma_debug_set_enabled(false);
		dmae_log(DMAE_LOG_ERR, "DMA-API: debugging out of memory - disabling");
		return NULL;
	}
	INIT_LIST_HEAD(&entry->writable);
	entry->dev = dev;
	entry->type = type;
	entry->dev_addr = addr;
	entry->size = size;
	entry->direction = dir;
	return entry;
}

/* entry_set_cpu - the entry covers [@p, @p+@len) of CPU memory, one range. */
static void entry_set_cpu(struct dma_debug_entry *entry, const void *p, size_t len)
{
	entry->range.start = (uintptr_t)p;
	entry->range.len = len;
	entry->ranges = &entry->range;
	entry->nranges = 1;
	entry->cpu_addr = (uintptr_t)p;
}

static void entry_free(struct dma_debug_entry *entry)
{
	if (entry->ranges != &entry->range)
		free(entry->ranges);
	free(entry);
}

/**
 * record_stack - where the mapping is being made, from the hook's caller out.
 * noinline, and called from the hook itself, so that exactly two frames (this
 * one and the hook's) are ours.
 */
__attribute__((noinline)) static void record_stack(struct dma_debug_entry *entry)
{
	void *frames[DEBUG_STACK_DEPTH + DEBUG_STACK_SKIP];
	int n = backtrace(frames, DEBUG_STACK_DEPTH + DEBUG_STACK_SKIP);

	entry->nframes = n > DEBUG_STACK_SKIP ? n - DEBUG_STACK_SKIP : 0;
	memcpy(entry->frames, frames + DEBUG_STACK_SKIP, entry->nframes * sizeof(void *));
}

/* --------------------------------------------------------------- table */

static unsigned int hash_idx(u64 addr)
{
	return (unsigned int)(addr >> DEBUG_HASH_SHIFT) & (DEBUG_HASH_SIZE - 1);
}

/* hash_add - link @entry into its bucket. Lock held. */
static void hash_add(struct dma_debug_entry *entry)
{
	struct dma_debug_entry **head = &debug.hash[hash_idx(entry->dev_addr)];

	entry->next = *head;
	if (*head)
		(*head)->pprev = &entry->next;
	*head = entry;
	entry->pprev = head;
	if (entry->direction != DMA_TO_DEVICE)
		list_add_tail(&entry->writable, &debug.writable);
	/* Atomic: dmae_device_release() peeks at it without the lock. */
	__atomic_add_fetch(&debug.nr_entries, 1, __ATOMIC_RELAXED);
	if (entry->size > debug.max_size)
		debug.max_size = entry->size;
}

/* hash_del - unlink @entry from its bucket and the writable list. Lock held. */
static void hash_del(struct dma_debug_entry *entry)
{
	*entry->pprev = entry->next;
	if (entry->next)
		entry->next->pprev = entry->pprev;
	list_del_init(&entry->writable);
	if (__atomic_sub_fetch(&debug.nr_entries, 1, __ATOMIC_RELAXED) == 0)
		debug.max_size = 0;
}

/*
 * match_level - how well @entry fits what @ref says (0-4): the same size,
 * type, direction and sg entry count each count one. A buffer mapped twice
 * gives two entries at one bus address; the best fit is the one meant.
 */
static int match_level(const struct dma_debug_entry *entry, const struct dma_debug_ref *ref)
{
	return (entry->size == ref->size) + (entry->type == ref->type) +
	       (entry->direction == ref->direction) + (entry->sg_call_ents == ref->sg_call_ents);
}

/* exact_level - -1 unless @entry is of @ref's device at @ref's address; else match_level(). */
static int exact_level(const struct dma_debug_entry *entry, const struct dma_debug_ref *ref)
{
	if (entry->dev != ref->dev || entry->dev_addr != ref->dev_addr)
		return -1;
	return match_level(entry, ref);
}

/*
 * contain_level - -1 when @entry of @ref's device does not hold @ref's first
 * byte; else better when it holds all of @ref, then by match_level().
 */
static int contain_level(const struct dma_debug_entry *entry, const struct dma_debug_ref *ref)
{
	u64 off = ref->dev_addr - entry->dev_addr;

	if (entry->dev != ref->dev || ref->dev_addr < entry->dev_addr || off >= entry->size)
		return -1;
	return (ref->size <= entry->size - off ? 8 : 0) + match_level(entry, ref);
}

/*
 * best_in_bucket - the entry of bucket @idx that @level rates highest for
 * @ref, if it beats *@best_level (which it then updates), else *@best as is.
 */
static struct dma_debug_entry *
best_in_bucket(unsigned int idx, const struct dma_debug_ref *ref,
	       int (*level)(const struct dma_debug_entry *, const struct dma_debug_ref *),
	       struct dma_debug_entry *best, int *best_level)
{
	for (struct dma_debug_entry *entry = debug.hash[idx]; entry; entry = entry->next) {
		int l = level(entry, ref);

		if (l > *best_level) {
			best = entry;
			*best_level = l;
		}
	}
	return best;
}

/* find_exact - the best-fitting entry of @ref's device at @ref's address. Lock held. */
static struct dma_debug_entry *find_exact(const struct dma_debug_ref *ref)
{
	int best_level = -1;

	return best_in_bucket(hash_idx(ref->dev_addr), ref, exact_level, NULL, &best_level);
}

/*
 * find_containing - the best entry holding @ref's first byte, walking back
 * from its bucket as far as the largest mapping could reach. Lock held.
 */
static struct dma_debug_entry *find_containing(const struct dma_debug_ref *ref)
{
	u64 span = (debug.max_size >> DEBUG_HASH_SHIFT) + 2;
	unsigned int idx = hash_idx(ref->dev_addr);
	struct dma_debug_entry *best = NULL;
	int best_level = -1;

	if (span > DEBUG_HASH_SIZE)
		span = DEBUG_HASH_SIZE;
	for (u64 n = 0; n < span; n++, idx = (idx - 1) & (DEBUG_HASH_SIZE - 1))
		best = best_in_bucket(idx, ref, contain_level, best, &best_level);
	return best;
}

/* ranges_share_line - do @a and @b touch a common CPU cacheline? */
static bool ranges_share_line(const struct cpu_range *a, const struct cpu_range *b)
{
	uintptr_t mask = DEBUG_CACHELINE - 1;
	uintptr_t a0 = a->start & ~mask, a1 = (a->start + a->len - 1) | mask;
	uintptr_t b0 = b->start & ~mask, b1 = (b->start + b->len - 1) | mask;

	return a0 <= b1 && b0 <= a1;
}

static bool entries_share_line(const struct dma_debug_entry *a, const struct dma_debug_entry *b)
{
	for (int i = 0; i < a->nranges; i++)
		for (int j = 0; j < b->nranges; j++)
			if (ranges_share_line(&a->ranges[i], &b->ranges[j]))
				return true;
	return false;
}

/*
 * find_overlap - is there a device-writable mapping sharing a cacheline with
 * device-writable @entry? The CPU could then read a line the device is still
 * writing (or write back over it): the kernel's "cacheline tracking EEXIST".
 * Mappings the device only reads may overlap anything. Lock held.
 */
static bool find_overlap(const struct dma_debug_entry *entry)
{
	struct dma_debug_entry *other;

	if (entry->direction == DMA_TO_DEVICE)
		return false;
	list_for_each_entry(other, &debug.writable, writable)
		if (entries_share_line(entry, other))
			return true;
	return false;
}

/**
 * add_entry - record @entry (or free it if debug went off meanwhile) and
 * report an overlap with a writable mapping already there.
 * Context: any; takes debug.lock.
 */
static void add_entry(struct dma_debug_entry *entry)
{
	struct dma_debug_entry copy;
	bool overlap;

	dmae_lock(&debug.lock);
	if (!dmae__debug_on()) {
		dmae_unlock(&debug.lock);
		entry_free(entry);
		return;
	}
	overlap = find_overlap(entry);
	hash_add(entry);
	copy = *entry; /* the entry may be unmapped as soon as the lock goes */
	dmae_unlock(&debug.lock);
	if (overlap)
		err_report(copy.dev, &copy,
			   "cacheline tracking EEXIST, overlapping mappings aren't supported");
}

static void debug_forget_all(void)
{
	struct dma_debug_entry *entry;

	dmae_lock(&debug.lock);
	for (unsigned int i = 0; i < DEBUG_HASH_SIZE; i++) {
		while ((entry = debug.hash[i])) {
			hash_del(entry);
			entry_free(entry);
		}
	}
	dmae_unlock(&debug.lock);
}

/* ------------------------------------------------------ where memory is */

static __thread uintptr_t stack_lo, stack_hi; /* this thread's stack; hi 0: unknown */

/* on_stack - does [@p, @p+@len) touch the calling thread's stack? */
static bool on_stack(const void *p, size_t len)
{
	uintptr_t start = (uintptr_t)p;
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (!stack_hi && !pthread_getattr_np(pthread_self(), &attr)) {
		if (!pthread_attr_getstack(&attr, &addr, &size)) {
			stack_lo = (uintptr_t)addr;
			stack_hi = stack_lo + size;
		}
		pthread_attr_destroy(&attr);
	}
	return start < stack_hi && start + len > stack_lo;
}

/* What ro_segment() looks for, and whether it found it. */
struct ro_query {
	uintptr_t start, end; /* [start, end) asked about */
	bool hit;	      /* inside a read-only loaded segment */
};

static int ro_segment(struct dl_phdr_info *info, size_t size, void *data)
{
	struct ro_query *q = data;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W) && q->start < lo + ph->p_memsz &&
		    q->end > lo) {
			q->hit = true;
			return 1;
		}
	}
	return 0;
}

/* in_text_or_rodata - does [@p, @p+@len) touch a non-writable loaded segment? */
static bool in_text_or_rodata(const void *p, size_t len)
{
	struct ro_query q = { (uintptr_t)p, (uintptr_t)p + len, false };

	dl_iterate_phdr(ro_segment, &q);
	return q.hit;
}

/* check_cpu_memory - the kernel's check_for_stack() and check_for_illegal_area(). */
static void check_cpu_memory(struct device *dev, const void *p, size_t len)
{
	if (on_stack(p, len))
		err_report(dev, NULL, "device driver maps memory from stack [addr=%p]", p);
	if (in_text_or_rodata(p, len))
		err_report(dev, NULL,
			   "device driver maps memory from kernel text or rodata [addr=%p] [len=%lu]",
			   p, (unsigned long)len);
}

/* ------------------------------------------------------- unmap and sync */

/* report_not_found - an unmap or free of nothing recorded. */
static void report_not_found(const struct dma_debug_ref *ref)
{
	if (ref->dev_addr == DMA_MAPPING_ERROR)
		err_report(ref->dev, NULL, "device driver tries to free an invalid DMA memory address");
	else
		err_report(ref->dev, NULL,
			   "device driver tries to free DMA memory it has not allocated "
			   "[device address=0x%016llx] [size=%llu bytes]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)ref->size);
}

/* check_unmap_type - unmapped with another function, or freed at another CPU address. */
static void check_unmap_type(const struct dma_debug_ref *ref, const struct dma_debug_entry *entry)
{
	if (ref->type != entry->type)
		err_report(ref->dev, entry,
			   "device driver frees DMA memory with wrong function "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[mapped as %s] [unmapped as %s]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)ref->size,
			   type_name(entry->type), type_name(ref->type));
	else if (entry->type == dma_debug_coherent && ref->cpu_addr != entry->cpu_addr)
		err_report(ref->dev, entry,
			   "device driver frees DMA memory with different CPU address "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[cpu alloc address=0x%016llx] [cpu free address=0x%016llx]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)ref->size,
			   (unsigned long long)entry->cpu_addr, (unsigned long long)ref->cpu_addr);
}

/* check_unmap_entry - compare an unmap or free with the mapping it ends. */
static void check_unmap_entry(const struct dma_debug_ref *ref, const struct dma_debug_entry *entry)
{
	if (ref->size != entry->size)
		err_report(ref->dev, entry,
			   "device driver frees DMA memory with different size "
			   "[device address=0x%016llx] [map size=%llu bytes] [unmap size=%llu bytes]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)entry->size,
			   (unsigned long long)ref->size);
	check_unmap_type(ref, entry);
	if (ref->sg_call_ents && ref->type == dma_debug_sg &&
	    ref->sg_call_ents != entry->sg_call_ents)
		err_report(ref->dev, entry,
			   "device driver frees DMA sg list with different entry count "
			   "[map count=%d] [unmap count=%d]",
			   entry->sg_call_ents, ref->sg_call_ents);
	if (ref->direction != entry->direction)
		err_report(ref->dev, entry,
			   "device driver frees DMA memory with different direction "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[mapped with %s] [unmapped with %s]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)ref->size,
			   dir_name(entry->direction), dir_name(ref->direction));
	if (entry->map_err == MAP_ERR_NOT_CHECKED)
		err_report(ref->dev, entry,
			   "device driver failed to check map error"
			   "[device address=0x%016llx] [size=%llu bytes] [mapped as %s]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)ref->size,
			   type_name(entry->type));
}

/**
 * check_unmap - take the mapping @ref ends out of the table and report how
 * the call differs from it. Context: any; takes debug.lock.
 */
static void check_unmap(const struct dma_debug_ref *ref)
{
	struct dma_debug_entry *entry;

	dmae_lock(&debug.lock);
	entry = find_exact(ref);
	if (entry)
		hash_del(entry);
	dmae_unlock(&debug.lock);
	if (!entry) {
		report_not_found(ref);
		return;
	}
	check_unmap_entry(ref, entry);
	entry_free(entry);
}

/* check_sync_dir - the direction rules of a sync against a one-way mapping. */
static void check_sync_dir(const struct dma_debug_ref *ref, const struct dma_debug_entry *entry,
			   bool for_cpu)
{
	unsigned long long addr = ref->dev_addr, size = entry->size;
	const char *mapped = dir_name(entry->direction), *synced = dir_name(ref->direction);

	if (ref->direction != entry->direction)
		err_report(ref->dev, entry,
			   "device driver syncs DMA memory with different direction "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[mapped with %s] [synced with %s]",
			   addr, size, mapped, synced);
	if (for_cpu && entry->direction != DMA_FROM_DEVICE && ref->direction != DMA_TO_DEVICE)
		err_report(ref->dev, entry,
			   "device driver syncs device read-only DMA memory for cpu "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[mapped with %s] [synced with %s]",
			   addr, size, mapped, synced);
	if (!for_cpu && entry->direction != DMA_TO_DEVICE && ref->direction != DMA_FROM_DEVICE)
		err_report(ref->dev, entry,
			   "device driver syncs device write-only DMA memory to device "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[mapped with %s] [synced with %s]",
			   addr, size, mapped, synced);
}

/**
 * check_sync - a sync must fall inside a mapping of the device, in its
 * direction. Context: any; takes debug.lock.
 */
static void check_sync(const struct dma_debug_ref *ref, bool for_cpu)
{
	struct dma_debug_entry *found, entry;
	u64 end;

	dmae_lock(&debug.lock);
	found = find_containing(ref);
	if (found)
		entry = *found; /* it may be unmapped as soon as the lock goes */
	dmae_unlock(&debug.lock);
	if (!found) {
		err_report(ref->dev, NULL,
			   "device driver tries to sync DMA memory it has not allocated "
			   "[device address=0x%016llx] [size=%llu bytes]",
			   (unsigned long long)ref->dev_addr, (unsigned long long)ref->size);
		return;
	}
	end = ref->dev_addr - entry.dev_addr + ref->size;
	if (end > entry.size)
		err_report(ref->dev, &entry,
			   "device driver syncs DMA memory outside allocated range "
			   "[device address=0x%016llx] [allocation size=%llu bytes] "
			   "[sync offset+size=%llu]",
			   (unsigned long long)entry.dev_addr, (unsigned long long)entry.size,
			   (unsigned long long)end);
	if (entry.direction == DMA_BIDIRECTIONAL)
		return;
	check_sync_dir(ref, &entry, for_cpu);
	if (ref->sg_call_ents && ref->type == dma_debug_sg &&
	    ref->sg_call_ents != entry.sg_call_ents)
		err_report(ref->dev, &entry,
			   "device driver syncs DMA sg list with different entry count "
			   "[map count=%d] [sync count=%d]",
			   entry.sg_call_ents, ref->sg_call_ents);
}

/* ---------------------------------------------------------------- hooks */

void dmae__debug_map_single(struct device *dev, const void *ptr, size_t size,
			    enum dma_data_direction dir, dma_addr_t addr)
{
	struct dma_debug_entry *entry;

	if (addr == DMA_MAPPING_ERROR)
		return;
	entry = entry_new(dev, dma_debug_single, addr, size, dir);
	if (!entry)
		return;
	record_stack(entry);
	entry->map_err = MAP_ERR_NOT_CHECKED;
	entry_set_cpu(entry, ptr, size);
	check_cpu_memory(dev, ptr, size);
	add_entry(entry);
}

void dmae__debug_mapping_error(struct device *dev, dma_addr_t addr)
{
	struct dma_debug_entry *entry;

	dmae_lock(&debug.lock);
	for (entry = debug.hash[hash_idx(addr)]; entry; entry = entry->next) {
		/* Of several mappings at one address, mark the first unchecked. */
		if (entry->dev == dev && entry->dev_addr == addr &&
		    entry->map_err == MAP_ERR_NOT_CHECKED) {
			entry->map_err = MAP_ERR_CHECKED;
			break;
		}
	}
	dmae_unlock(&debug.lock);
}

void dmae__debug_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
			      enum dma_data_direction dir)
{
	struct dma_debug_ref ref = {
		.dev = dev, .dev_addr = addr, .size = size, .type = dma_debug_single,
		.direction = dir,
	};

	check_unmap(&ref);
}

/* sg_ref - what a call on @sg's entry @s says about its mapped segment. */
static struct dma_debug_ref sg_ref(struct device *dev, const struct scatterlist *s, int nents,
				   enum dma_data_direction dir)
{
	return (struct dma_debug_ref){
		.dev = dev, .dev_addr = sg_dma_address(s), .size = sg_dma_len(s),
		.type = dma_debug_sg, .direction = dir, .sg_call_ents = nents,
	};
}

/*
 * sg_set_cpu - the CPU memory behind a mapped segment: the input entries
 * from *@next on whose lengths add up to its size, as merging joins
 * consecutive entries. Moves *@next past them; *@left counts what remains.
 * @return 0 or -ENOMEM.
 */
static int sg_set_cpu(struct dma_debug_entry *entry, struct scatterlist **next, int *left)
{
	struct scatterlist *s;
	u64 covered = 0;
	int n = 0;

	for (s = *next; s && n < *left && covered < entry->size; s = sg_next(s), n++)
		covered += s->length;
	if (n == 1) {
		entry_set_cpu(entry, sg_virt(*next), (*next)->length);
	} else if (n > 1) {
		entry->ranges = calloc(n, sizeof(*entry->ranges));
		if (!entry->ranges)
			return -ENOMEM;
		entry->nranges = n;
		entry->cpu_addr = (uintptr_t)sg_virt(*next);
		s = *next;
		for (int j = 0; j < n; j++, s = sg_next(s))
			entry->ranges[j] = (struct cpu_range){ (uintptr_t)sg_virt(s), s->length };
	}
	*next = s;
	*left -= n;
	return 0;
}

/* check_sg_segment - the device's max segment size and boundary (DMA_API_DEBUG_SG). */
static void check_sg_segment(struct device *dev, const struct scatterlist *s)
{
	unsigned int max_seg = dma_get_max_seg_size(dev);
	u64 boundary = dma_get_seg_boundary(dev);
	u64 start = sg_dma_address(s), end = start + sg_dma_len(s) - 1;

	if (sg_dma_len(s) > max_seg)
		err_report(dev, NULL,
			   "mapping sg segment longer than device claims to support "
			   "[len=%u] [max=%u]",
			   sg_dma_len(s), max_seg);
	if ((start ^ end) & ~boundary)
		err_report(dev, NULL,
			   "mapping sg segment across boundary "
			   "[start=0x%016llx] [end=0x%016llx] [boundary=0x%016llx]",
			   (unsigned long long)start, (unsigned long long)end,
			   (unsigned long long)boundary);
}

/*
 * map_sg_segment - record mapped segment @s of a list of @nents that mapped
 * to @mapped, made at @where; its CPU memory is input entries from *@next on.
 */
static void map_sg_segment(struct device *dev, struct scatterlist *s, struct scatterlist **next,
			   int *left, int nents, int mapped, enum dma_data_direction dir,
			   const struct dma_debug_entry *where)
{
	struct dma_debug_entry *entry =
		entry_new(dev, dma_debug_sg, sg_dma_address(s), sg_dma_len(s), dir);

	if (!entry)
		return;
	entry->sg_call_ents = nents;
	entry->sg_mapped_ents = mapped;
	entry->nframes = where->nframes;
	memcpy(entry->frames, where->frames, sizeof(entry->frames));
	if (sg_set_cpu(entry, next, left)) {
		entry_free(entry);
		return;
	}
	check_sg_segment(dev, s);
	add_entry(entry);
}

void dmae__debug_map_sg(struct device *dev, struct scatterlist *sg, int nents, int mapped,
			enum dma_data_direction dir)
{
	struct dma_debug_entry where = { 0 };
	struct scatterlist *s, *next = sg;
	int i, left = nents;

	if (!sg || nents <= 0)
		return;
	record_stack(&where);
	for_each_sg(sg, s, nents, i)
		check_cpu_memory(dev, sg_virt(s), s->length);
	for_each_sg(sg, s, mapped, i)
		map_sg_segment(dev, s, &next, &left, nents, mapped, dir, &where);
}

/* sg_mapped_ents - what dma_map_sg() returned for the list @ref heads; 0: unknown. */
static int sg_mapped_ents(const struct dma_debug_ref *ref)
{
	struct dma_debug_entry *entry;
	int mapped;

	dmae_lock(&debug.lock);
	entry = find_exact(ref);
	mapped = entry ? entry->sg_mapped_ents : 0;
	dmae_unlock(&debug.lock);
	return mapped;
}

void dmae__debug_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			  enum dma_data_direction dir)
{
	struct scatterlist *s;
	int i, mapped = 0;

	if (!sg || nents <= 0)
		return;
	for_each_sg(sg, s, nents, i) {
		struct dma_debug_ref ref = sg_ref(dev, s, nents, dir);

		if (!i)
			mapped = sg_mapped_ents(&ref);
		/* Unknown list: its mapped entries end where dma_map_sg() left 0. */
		if (mapped ? i >= mapped : i && !sg_dma_len(s))
			break;
		check_unmap(&ref);
	}
}

void dmae__debug_sync_single(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir, bool for_cpu)
{
	struct dma_debug_ref ref = {
		.dev = dev, .dev_addr = addr, .size = size, .type = dma_debug_single,
		.direction = dir,
	};

	check_sync(&ref, for_cpu);
}

void dmae__debug_sync_sg(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, bool for_cpu)
{
	struct scatterlist *s;
	int i, mapped = 0;

	if (!sg || nents <= 0)
		return;
	for_each_sg(sg, s, nents, i) {
		struct dma_debug_ref ref = sg_ref(dev, s, nents, dir);

		if (!i)
			mapped = sg_mapped_ents(&ref);
		/* An unknown list is reported once, at its first entry. */
		if (i >= (mapped ? mapped : 1))
			break;
		check_sync(&ref, for_cpu);
	}
}

void dmae__debug_alloc_coherent(struct device *dev, size_t size, void *virt, dma_addr_t addr)
{
	struct dma_debug_entry *entry;

	if (!virt)
		return;
	entry = entry_new(dev, dma_debug_coherent, addr, size, DMA_BIDIRECTIONAL);
	if (!entry)
		return;
	record_stack(entry);
	entry_set_cpu(entry, virt, size);
	add_entry(entry);
}

void dmae__debug_free_coherent(struct device *dev, size_t size, void *virt, dma_addr_t addr)
{
	struct dma_debug_ref ref = {
		.dev = dev, .dev_addr = addr, .size = size, .cpu_addr = (uintptr_t)virt,
		.type = dma_debug_coherent, .direction = DMA_BIDIRECTIONAL,
	};

	check_unmap(&ref);
}

/* ------------------------------------------------- devices and the dump */

/* take_device_entries - unlink @dev's entries onto a chain; @return their count. */
static int take_device_entries(struct device *dev, struct dma_debug_entry **chain)
{
	struct dma_debug_entry *entry, *next;
	int count = 0;

	dmae_lock(&debug.lock);
	for (unsigned int i = 0; i < DEBUG_HASH_SIZE; i++) {
		for (entry = debug.hash[i]; entry; entry = next) {
			next = entry->next;
			if (entry->dev != dev)
				continue;
			hash_del(entry);
			entry->next = *chain;
			*chain = entry;
			count++;
		}
	}
	dmae_unlock(&debug.lock);
	return count;
}

DMAE_EXPORT void dmae_device_release(struct device *dev)
{
	struct dma_debug_entry *chain = NULL, *entry;
	int count;

	if (!dev || !__atomic_load_n(&debug.nr_entries, __ATOMIC_RELAXED))
		return;
	count = take_device_entries(dev, &chain);
	if (count && dmae__debug_on())
		err_report(dev, chain,
			   "device driver has pending DMA allocations while released from device "
			   "[count=%d]\nOne of leaked entries details: "
			   "[device address=0x%016llx] [size=%llu bytes] "
			   "[mapped with %s] [mapped as %s]",
			   count, (unsigned long long)chain->dev_addr,
			   (unsigned long long)chain->size, dir_name(chain->direction),
			   type_name(chain->type));
	while ((entry = chain)) {
		chain = entry->next;
		entry_free(entry);
	}
}

/* What dma_debug_dump_mappings() prints of one entry. */
struct dump_line {
	struct device *dev; /* the entry's device */
	unsigned int idx;   /* its bucket */
	u64 cpu_addr, dev_addr, size;
	int type, direction;
	enum map_err_type map_err;
};

/* dump_snapshot - copy the entries of @dev (NULL: all); @return how many, -1 ENOMEM. */
static long dump_snapshot(struct device *dev, struct dump_line **out)
{
	struct dma_debug_entry *e;
	long n = 0;

	dmae_lock(&debug.lock);
	*out = malloc((debug.nr_entries + 1) * sizeof(**out));
	for (unsigned int i = 0; *out && i < DEBUG_HASH_SIZE; i++)
		for (e = debug.hash[i]; e; e = e->next)
			if (!dev || e->dev == dev)
				(*out)[n++] = (struct dump_line){ e->dev, i, e->cpu_addr,
								  e->dev_addr, e->size, e->type,
								  e->direction, e->map_err };
	dmae_unlock(&debug.lock);
	return *out ? n : -1;
}

DMAE_EXPORT void dma_debug_dump_mappings(struct device *dev)
{
	struct dump_line *lines;
	long n = dump_snapshot(dev, &lines);

	for (long i = 0; i < n; i++)
		dev_info(lines[i].dev, "%s idx %u P=%llx D=%llx L=%llx %s %s",
			 type_name(lines[i].type), lines[i].idx,
			 (unsigned long long)lines[i].cpu_addr,
			 (unsigned long long)lines[i].dev_addr, (unsigned long long)lines[i].size,
			 dir_name(lines[i].direction), maperr2str[lines[i].map_err]);
	free(lines);
}
