/* SPDX-License-Identifier: MIT */
/*
 * toy.h - private to the board tests: the drivers of
 * tests/board/dts/toy-board.dts (toy.c), and what the tests can see of them.
 */
#ifndef DMAE_TEST_TOY_H
#define DMAE_TEST_TOY_H

#include <dmaengine/hw/sim.h>
#include <dmaengine/io.h>
#include <dmaengine/platform_device.h>

#include "board/toy_regs.h"

/* The driver's state for one toy. */
struct toy_drv {
	struct platform_device *pdev;
	void __iomem *base;	 /* its registers */
	int irq;		 /* its line */
	unsigned long rate;	 /* its clock */
	struct completion done;	 /* completed by the handler on DONE or ERR */
	u32 status;		 /* STATUS the handler saw last */
	u32 irqs;		 /* handler calls */
	bool irq_context;	 /* the handler ran in interrupt context */
};

/* Counters of the test drivers' calls (atomic). */
struct toy_counts {
	u32 toy_probes, toy_removes, devres_released;
	u32 client_probes, client_defers, client_removes;
	u32 bad_probes;
	u32 routes, route_frees;
	u32 dma_client_probes;
	int dma_client_err; /* what the dma client's probe got for "ghost" */
};

extern struct toy_counts toy_counts;

#endif /* DMAE_TEST_TOY_H */
