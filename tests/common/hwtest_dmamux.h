/* SPDX-License-Identifier: MIT */
/*
 * hwtest_dmamux.h - private to the tests: what register-level tests of
 * request routing share. A test DMA master (a model for compatible
 * "test,dma-master": a "requests" port of dma-requests lines that records
 * every level it is sent, with its virtual time, and can acknowledge each
 * request as a DMA that served it would); a device's registers without its
 * driver; line stimuli now or at a virtual time.
 */
#ifndef DMAE_TEST_HWTEST_DMAMUX_H
#define DMAE_TEST_HWTEST_DMAMUX_H

#include <stdbool.h>

#include <dmaengine/hw/model.h>
#include <dmaengine/io.h>

#define HWTEST_MASTER_LINES 32	  /* request lines a test master takes at most */
#define HWTEST_MASTER_LOG 1024	  /* level changes it keeps */

/* One level a test master was sent. */
struct hwtest_level {
	unsigned int line;	/* its request line */
	bool level;		/* high: a request */
	dmae_sim_time_t t;	/* when */
};

struct hwtest_master;

/** hwtest_master_get - the test master on the device called @name ("48000000.dma-controller"). */
struct hwtest_master *hwtest_master_get(const char *name);
/** hwtest_master_hw - its model instance (to find its neighbours with dmae_hw_find). */
struct dmae_hw *hwtest_master_hw(struct hwtest_master *tm);
/** hwtest_master_changes - level changes recorded since the last hwtest_master_forget. */
unsigned int hwtest_master_changes(struct hwtest_master *tm);
/** hwtest_master_change - change @i (0: the oldest); asserts that there is one. */
struct hwtest_level hwtest_master_change(struct hwtest_master *tm, unsigned int i);
/** hwtest_master_line - the level of request line @line now. */
bool hwtest_master_line(struct hwtest_master *tm, unsigned int line);
/** hwtest_master_forget - drop the recorded changes (the levels stay). */
void hwtest_master_forget(struct hwtest_master *tm);
/**
 * hwtest_master_autoack - from now on, @delay after each request (a line
 * going high) the master pulses line @base + line of @acks if the request
 * is still there: a DMA that took @delay to serve it. @acks NULL: never.
 */
void hwtest_master_autoack(struct hwtest_master *tm, const struct dmae_hw_port *acks,
			   unsigned int base, dmae_sim_time_t delay);

/** hwtest_port - port @port of the model on device @device, of @tm's board; asserts it exists. */
const struct dmae_hw_port *hwtest_port(struct hwtest_master *tm, const char *device,
				       const char *port);

/**
 * hwtest_map - the registers (reg 0) of device @device, mapped for the
 * test, which is its driver: a bound driver is unbound first.
 */
void __iomem *hwtest_map(const char *device);
/** hwtest_unmap - release what hwtest_map claimed. */
void hwtest_unmap(const char *device);

/** hwtest_drive - drive line @line of @port to @level now (takes the bus lock). */
void hwtest_drive(const struct dmae_hw_port *port, unsigned int line, bool level);

/* A level to drive at a virtual time; the storage is the test's until it has run. */
struct hwtest_stim {
	struct dmae_sim_event ev;	   /* when */
	const struct dmae_hw_port *port;   /* where */
	unsigned int line;		   /* which line */
	bool level;			   /* what */
};
/** hwtest_drive_at - drive line @line of @port to @level at @t (not in the past). */
void hwtest_drive_at(struct hwtest_stim *s, const struct dmae_hw_port *port, unsigned int line,
		     bool level, dmae_sim_time_t t);
/** hwtest_run_until - let the board's virtual time reach @t (its events up to @t run). */
void hwtest_run_until(struct dmae_sim *sim, dmae_sim_time_t t);

#endif /* DMAE_TEST_HWTEST_DMAMUX_H */
