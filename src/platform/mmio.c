// SPDX-License-Identifier: MIT
/*
 * mmio.c - a board's address map and the CPU's register accesses: the
 * reserved window that ioremap cookies point into, readl/writel decoded to
 * the model that owns the address at the board's virtual time, bus errors,
 * register claims, and the delays that count the board's time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <dmaengine/dma-mapping.h>
#include <dmaengine/io.h>
#include <dmaengine/trace.h>

#include "mapping/iommu.h"
#include "platform/board.h"

#define DMAE_MAX_WINDOWS 8
#define DMAE_WINDOW_SIZE (1ull << 32) /* a 32-bit physical space */
#define DMAE_BUS_ERRORS_LOGGED 20

/* Boards with a window, found without a lock by the accesses (set at load, cleared at unload). */
static struct dmae_board *windows[DMAE_MAX_WINDOWS];
static u32 bus_errors; /* logged so far (atomic) */

int dmae__board_window_init(struct dmae_board *b)
{
	void *p = mmap(NULL, DMAE_WINDOW_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int i;

	if (p == MAP_FAILED) {
		dmae_log(DMAE_LOG_ERR, "board %s: cannot reserve its register window", b->name);
		return -ENOMEM;
	}
	b->window = p;
	b->window_size = DMAE_WINDOW_SIZE;
	for (i = 0; i < DMAE_MAX_WINDOWS; i++) {
		struct dmae_board *none = NULL;

		if (__atomic_compare_exchange_n(&windows[i], &none, b, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return 0;
	}
	munmap(p, DMAE_WINDOW_SIZE);
	b->window = NULL;
	dmae_log(DMAE_LOG_ERR, "board %s: more than %d simulated boards loaded", b->name,
		 DMAE_MAX_WINDOWS);
	return -ENOSPC;
}

void dmae__board_window_fini(struct dmae_board *b)
{
	if (!b->window)
		return;
	for (int i = 0; i < DMAE_MAX_WINDOWS; i++)
		if (__atomic_load_n(&windows[i], __ATOMIC_ACQUIRE) == b)
			__atomic_store_n(&windows[i], NULL, __ATOMIC_RELEASE);
	munmap(b->window, b->window_size);
	b->window = NULL;
	free(b->regions);
	b->regions = NULL;
	b->nr_regions = 0;
}

/* The board whose window holds @addr, and the physical address; NULL if none. */
static struct dmae_board *decode(const volatile void *addr, u64 *phys)
{
	uintptr_t a = (uintptr_t)addr;

	for (int i = 0; i < DMAE_MAX_WINDOWS; i++) {
		struct dmae_board *b = __atomic_load_n(&windows[i], __ATOMIC_ACQUIRE);

		if (b && a >= (uintptr_t)b->window && a - (uintptr_t)b->window < b->window_size) {
			*phys = a - (uintptr_t)b->window;
			return b;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ the map */

int dmae__board_add_region(struct dmae_board *b, const struct dmae_region *r)
{
	struct dmae_region *map;
	unsigned int i;

	if (!r->size || r->start + r->size < r->start || r->start + r->size > DMAE_WINDOW_SIZE)
		return -EINVAL;
	for (i = 0; i < b->nr_regions; i++) {
		const struct dmae_region *o = &b->regions[i];

		if (r->start < o->start + o->size && o->start < r->start + r->size) {
			dmae_log(DMAE_LOG_ERR,
				 "board %s: %s at %#llx-%#llx overlaps %s at %#llx-%#llx", b->name,
				 r->name, (unsigned long long)r->start,
				 (unsigned long long)(r->start + r->size - 1), o->name,
				 (unsigned long long)o->start,
				 (unsigned long long)(o->start + o->size - 1));
			return -EBUSY;
		}
	}
	map = realloc(b->regions, (b->nr_regions + 1) * sizeof(*map));
	if (!map)
		return -ENOMEM;
	b->regions = map;
	for (i = b->nr_regions; i > 0 && map[i - 1].start > r->start; i--)
		map[i] = map[i - 1];
	map[i] = *r;
	b->nr_regions++;
	/* Behind the board's IOMMU no IOVA may alias what the bus routes elsewhere. */
	if (b->iommu && dmae__iommu_reserve(b->iommu, r->start, r->size))
		dmae_log(DMAE_LOG_WARN, "board %s: IOMMU: cannot reserve %s", b->name, r->name);
	return 0;
}

const struct dmae_region *dmae__board_region(const struct dmae_board *b, u64 addr)
{
	unsigned int lo = 0, hi = b->nr_regions;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct dmae_region *r = &b->regions[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr - r->start >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* The device that claimed @phys, for messages; NULL if none. */
static const struct device *claimant(const struct dmae_board *b, u64 phys)
{
	const struct dmae_claim *c;

	list_for_each_entry(c, &b->claims, node)
		if (phys >= c->start && phys - c->start < c->size)
			return c->dev;
	return NULL;
}

static const char *access_name(bool write, unsigned int size)
{
	static const char *const names[2][5] = {
		{ "?", "readb", "readw", "?", "readl" },
		{ "?", "writeb", "writew", "?", "writel" },
	};

	return size <= 4 ? names[write][size] : "?";
}

/* One line for a bad access (the first few of them). */
static void bus_error(const struct dmae_board *b, u64 phys, const volatile void *addr,
		      bool write, unsigned int size, const char *why)
{
	u32 n = __atomic_add_fetch(&bus_errors, 1, __ATOMIC_RELAXED);
	const struct device *dev;
	const char *who;

	if (n > DMAE_BUS_ERRORS_LOGGED)
		return;
	if (!b) {
		dmae_log(DMAE_LOG_ERR, "bus error: %s at %p: not an ioremapped address%s",
			 access_name(write, size), (const void *)addr,
			 n == DMAE_BUS_ERRORS_LOGGED ? " (further bus errors are not logged)" : "");
		return;
	}
	dev = claimant(b, phys);
	if (dev) {
		who = dev_name(dev);
	} else {
		const struct dmae_region *r = dmae__board_region(b, phys);

		who = r ? r->name : b->name;
	}
	dmae_log(DMAE_LOG_ERR, "%s: bus error: %s at %#llx: %s%s", who, access_name(write, size),
		 (unsigned long long)phys, why,
		 n == DMAE_BUS_ERRORS_LOGGED ? " (further bus errors are not logged)" : "");
}

/*
 * check - the register region for an access, or NULL after a bus error:
 * nothing there, misaligned, or a width the registers do not take.
 */
static const struct dmae_region *check(const struct dmae_board *b, u64 phys,
				       const volatile void *addr, bool write, unsigned int size)
{
	const struct dmae_region *r = dmae__board_region(b, phys);
	char why[80];

	if (!r || r->kind != DMAE_REGION_REGS || phys + size > r->start + r->size) {
		bus_error(b, phys, addr, write, size,
			  r && r->kind == DMAE_REGION_RAM ? "memory, not registers" : "no device there");
		return NULL;
	}
	if (phys & (size - 1)) {
		bus_error(b, phys, addr, write, size, "misaligned");
		return NULL;
	}
	if (!(r->ops->widths & (1u << size))) {
		snprintf(why, sizeof(why), "%u-bit access to %s, which takes%s%s%s only", size * 8,
			 r->name, r->ops->widths & DMAE_HW_W8 ? " 8" : "",
			 r->ops->widths & DMAE_HW_W16 ? " 16" : "",
			 r->ops->widths & DMAE_HW_W32 ? " 32-bit" : "");
		bus_error(b, phys, addr, write, size, why);
		return NULL;
	}
	return r;
}

static bool size_ok(unsigned int size)
{
	return size == 1 || size == 2 || size == 4;
}

DMAE_EXPORT u32 dmae_mmio_read(const volatile void __iomem *addr, unsigned int size)
{
	const struct dmae_region *r;
	struct dmae_board *b;
	u64 phys = 0;
	u32 v;

	b = decode(addr, &phys);
	if (!b || !size_ok(size)) {
		bus_error(b, phys, addr, false, size, "bad access size");
		return 0;
	}
	r = check(b, phys, addr, false, size);
	if (!r)
		return 0;
	dmae_sim_lock(b->sim);
	dmae_sim_access(b->sim);
	v = r->ops->read(r->priv, (u32)(phys - r->start), size);
	dmae_trace_board(&r->hw->trace, DMAE_TRACE_REG_READ, dmae_sim_now(b->sim), v,
			 (u32)(phys - r->start), (u8)size);
	dmae_sim_unlock(b->sim);
	dmae_sim_settle(b->sim);
	return v;
}

DMAE_EXPORT void dmae_mmio_write(volatile void __iomem *addr, u32 val, unsigned int size)
{
	const struct dmae_region *r;
	struct dmae_board *b;
	u64 phys = 0;

	b = decode(addr, &phys);
	if (!b || !size_ok(size)) {
		bus_error(b, phys, addr, true, size, "bad access size");
		return;
	}
	r = check(b, phys, addr, true, size);
	if (!r)
		return;
	dmae_sim_lock(b->sim);
	dmae_sim_access(b->sim);
	dmae_trace_board(&r->hw->trace, DMAE_TRACE_REG_WRITE, dmae_sim_now(b->sim), val,
			 (u32)(phys - r->start), (u8)size);
	r->ops->write(r->priv, (u32)(phys - r->start), val, size);
	dmae_sim_unlock(b->sim);
	dmae_sim_settle(b->sim);
}

/* ------------------------------------------------------------- claims */

struct dmae_board *dmae__board_of_dev(const struct device *dev);

static void claim_release(void *arg)
{
	struct dmae_claim *c = arg;

	dmae__platform_lock();
	list_del(&c->node);
	dmae__platform_unlock();
	free(c);
}

void dmae__claims_release_all(struct dmae_board *b)
{
	while (!list_empty(&b->claims)) {
		struct dmae_claim *c = list_first_entry(&b->claims, struct dmae_claim, node);

		list_del(&c->node);
		free(c);
	}
}

DMAE_EXPORT void __iomem *dmae_devm_ioremap_resource(struct device *dev,
						     const struct resource *res)
{
	struct dmae_claim *c, *o;
	struct dmae_board *b;

	if (!dev || !res || resource_type(res) != IORESOURCE_MEM || res->end < res->start) {
		dev_err(dev, "invalid resource");
		return ERR_PTR(-EINVAL);
	}
	b = dmae__board_of_dev(dev);
	if (!b || !b->window || res->end >= b->window_size) {
		dev_err(dev, "can't ioremap [mem %#010llx-%#010llx]: no simulated hardware there",
			(unsigned long long)res->start, (unsigned long long)res->end);
		return ERR_PTR(-ENXIO);
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->start = res->start;
	c->size = resource_size(res);
	c->dev = dev;
	c->board = b;
	dmae__platform_lock();
	list_for_each_entry(o, &b->claims, node) {
		if (c->start < o->start + o->size && o->start < c->start + c->size) {
			dmae__platform_unlock();
			free(c);
			dev_err(dev, "can't request region for resource [mem %#010llx-%#010llx]",
				(unsigned long long)res->start, (unsigned long long)res->end);
			return ERR_PTR(-EBUSY);
		}
	}
	list_add_tail(&c->node, &b->claims);
	dmae__platform_unlock();
	if (devm_add_action_or_reset(dev, claim_release, c))
		return ERR_PTR(-ENOMEM);
	return b->window + res->start;
}

/* --------------------------------------------------------------- time */

DMAE_EXPORT u64 dmae_io_clock_ns(const volatile void __iomem *addr)
{
	u64 phys;
	struct dmae_board *b = decode(addr, &phys);

	if (b && b->sim)
		return dmae_sim_now(b->sim) / DMAE_PS_PER_NS;
	return dmae_clock_ns();
}

static void host_delay(u64 ns, bool atomic)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };
	u64 end;

	if (!atomic && !in_interrupt()) {
		while (nanosleep(&ts, &ts))
			;
		return;
	}
	end = dmae_clock_ns() + ns;
	while (dmae_clock_ns() < end)
		cpu_relax();
}

DMAE_EXPORT void dmae_io_delay_ns(const volatile void __iomem *addr, u64 ns, bool atomic)
{
	u64 phys;
	struct dmae_board *b = decode(addr, &phys);

	if (b && b->sim)
		dmae_sim_delay(b->sim, ns * DMAE_PS_PER_NS);
	else
		host_delay(ns, atomic);
}

/* The simulated board the calling thread acts for, or NULL. */
static struct dmae_board *current_board(void)
{
	struct dmae_quiesce *q = dmae_quiesce_current();

	if (!q)
		return NULL;
	for (int i = 0; i < DMAE_MAX_WINDOWS; i++) {
		struct dmae_board *b = __atomic_load_n(&windows[i], __ATOMIC_ACQUIRE);

		if (b && b->sim && dmae_sim_quiesce(b->sim) == q)
			return b;
	}
	return NULL;
}

DMAE_EXPORT void dmae_delay_ns(u64 ns, bool atomic)
{
	struct dmae_board *b = current_board();

	if (b)
		dmae_sim_delay(b->sim, ns * DMAE_PS_PER_NS);
	else
		host_delay(ns, atomic);
}
