/* SPDX-License-Identifier: MIT */
/*
 * hwtest.h - private to the model tests and benchmarks: a test that is the
 * driver of a model (its registers mapped on the unbound platform device),
 * and a peripheral stand-in with a data register and a request line it
 * drives into another model's port, timed by its own events.
 *
 * The stand-in is the model of compatible "dmaengine,test-periph":
 *
 *	periph@40020000 {
 *		compatible = "dmaengine,test-periph";
 *		reg = <0x40020000 0x10>;		   DR at offset 0, 8/16/32-bit
 *		dmaengine,request = <&dma1 3>;		   line 3 of dma1's "requests" port
 *	};
 *
 * It receives (a write of DR takes an item: mem-to-periph) or transmits (a
 * read of DR gives one: periph-to-mem) items at a pace, keeping its request
 * high while it wants service; the access lowers it, at once, as a FIFO-less
 * peripheral does. Or the test drives the line by hand.
 */
#ifndef DMAE_TEST_HWTEST_H
#define DMAE_TEST_HWTEST_H

#include <dmaengine/hw/sim.h>
#include <dmaengine/platform_device.h>

struct dmae_hw;

struct hwtest_regs {
	struct platform_device *pdev; /* the device, its driver unbound */
	void __iomem *base;	      /* its reg 0, mapped */
};

/**
 * hwtest_regs_map - map @devname's reg 0 for a test, unbinding the driver
 * bound to it first. 0, or -ENODEV / the mapping's error (one line).
 */
int hwtest_regs_map(struct hwtest_regs *r, const char *devname);
/** hwtest_regs_unmap - release what the map claimed (devres of the device). */
void hwtest_regs_unmap(struct hwtest_regs *r);

/* ------------------------------------------------- the peripheral stand-in */

#define HWTEST_LOG 64 /* accesses of DR remembered */

struct hwtest_periph;

struct hwtest_periph_stats {
	u32 requests;		   /* times the line went high */
	u32 accesses;		   /* accesses of DR */
	u32 items;		   /* items given (rx) or taken (tx) */
	u32 overruns;		   /* rx: an item came before the last was read (it is lost) */
	u32 underruns;		   /* tx: the next item was due and the last was not written */
	u32 empty;		   /* accesses with nothing wanted (rx: reads 0; tx: dropped) */
	dmae_sim_time_t first_ps;  /* the first access */
	dmae_sim_time_t last_ps;   /* the last access */
	dmae_sim_time_t at[HWTEST_LOG]; /* the first accesses' times */
	u32 val[HWTEST_LOG];	   /* and their values */
};

/** hwtest_periph_get - the stand-in of device @name ("40020000.periph"), or NULL. */
struct hwtest_periph *hwtest_periph_get(const char *name);
/** hwtest_periph_hw - @p's model instance (to find its neighbours with dmae_hw_find). */
struct dmae_hw *hwtest_periph_hw(struct hwtest_periph *p);
/** hwtest_periph_sim - its board's virtual time. */
struct dmae_sim *hwtest_periph_sim(struct hwtest_periph *p);
/**
 * hwtest_periph_rx - @count items to be read from DR, the first ready at
 * virtual time @start_ps (now, if that has passed), each next @interval_ps
 * after the last (item i reads hwtest_pattern(i) at the access's width).
 * Clears the statistics.
 */
void hwtest_periph_rx(struct hwtest_periph *p, u32 count, dmae_sim_time_t start_ps,
		      dmae_sim_time_t interval_ps);
/**
 * hwtest_periph_tx - wants @count items written to DR, the first at
 * @start_ps, each next @interval_ps after the last was due (or at once, if
 * late). Clears the statistics.
 */
void hwtest_periph_tx(struct hwtest_periph *p, u32 count, dmae_sim_time_t start_ps,
		      dmae_sim_time_t interval_ps);
/** hwtest_periph_line - drive the request line by hand now, as a register access would. */
void hwtest_periph_line(struct hwtest_periph *p, bool level);
/** hwtest_periph_stats - a copy of its statistics, taken under the bus lock. */
void hwtest_periph_stats(struct hwtest_periph *p, struct hwtest_periph_stats *st);

/** hwtest_pattern - the value of item @i of a stand-in's stream. */
static inline u32 hwtest_pattern(u32 i)
{
	return (i * 0x9e3779b1u) ^ (i >> 3) ^ 0xa5c35a3cu;
}

#endif /* DMAE_TEST_HWTEST_H */
