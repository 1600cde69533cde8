/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/hw/sim.h - virtual time for simulated boards: a clock, an
 * ordered event queue, and the board thread that moves the clock on and
 * delivers the board's interrupts.
 *
 * For hardware models and platforms, not for drivers (drivers see time
 * through udelay, readl_poll_timeout and jiffies, as in the kernel).
 *
 * Time is in picoseconds (dmae_sim_time_t). A model never reads the host
 * clock: it reads dmae_sim_now() and schedules events. Everything a model
 * does (register accesses, events, bus-master accesses) runs with the
 * board's bus lock held (dmae_sim_lock), so a model needs no lock of its own.
 *
 * Two modes:
 *   free   the clock jumps to the next event as soon as the board's software
 *          has reacted to the last one: no interrupt pending or running, no
 *          tasklet queued or running, and every thread that acts for the
 *          board asleep in a wait of the library (dmaengine/os.h quiescence
 *          groups). Register accesses cost virtual time. The sequence of
 *          accesses, interrupts and events is the same on every run for a
 *          single-threaded client.
 *   paced  the clock follows the host clock times a scale (1.0: real time).
 * docs/simulation.md has the design.
 */
#ifndef DMAENGINE_HW_SIM_H
#define DMAENGINE_HW_SIM_H

#include <dmaengine/os.h>

DMAE_BEGIN_DECLS

typedef u64 dmae_sim_time_t; /* picoseconds */

#define DMAE_PS_PER_NS 1000ull
#define DMAE_PS_PER_US 1000000ull
#define DMAE_PS_PER_MS 1000000000ull
#define DMAE_PS_PER_S 1000000000000ull

enum dmae_sim_mode {
	DMAE_SIM_FREE = 0,  /* as fast as the host can, deterministic */
	DMAE_SIM_PACED = 1, /* at the host clock's pace, times a scale */
};

struct dmae_sim;
struct dmae_sim_event;

typedef void (*dmae_sim_event_fn)(struct dmae_sim_event *ev);

/* An event: embedded in the model that owns it (as a timer_list). */
struct dmae_sim_event {
	dmae_sim_time_t time;	/* when it runs, while queued */
	u64 seq;		/* order among events at the same time */
	dmae_sim_event_fn fn;	/* runs with the bus lock held, at dmae_sim_now() == time */
	const char *name;	/* for traces */
	int index;		/* heap slot, -1 when not queued */
};

struct dmae_sim_params {
	enum dmae_sim_mode mode; /* DMAE_SIM_FREE */
	double scale;		 /* paced: virtual seconds per host second (1.0) */
	dmae_sim_time_t access_ps; /* cost of one register access by the CPU (free mode) */
	unsigned int nr_irqs;	 /* interrupt lines of the board (0: none) */
	u64 grace_ns;		 /* free mode: host ns a board thread may run outside the
				  * library before the clock moves on without it (50 ms) */
	const char *name;	 /* the board's name, for threads and messages */
};

/** dmae_sim_params_init - the defaults above, then DMAENGINE_SIM (free, paced, paced:SCALE). */
DMAE_EXPORT void dmae_sim_params_init(struct dmae_sim_params *p);
/**
 * dmae_sim_parse_mode - "free", "paced" or "paced:SCALE" (0 < SCALE <= 1000)
 * into @p. @return 0, or -EINVAL with one line naming @what and the value.
 */
DMAE_EXPORT int dmae_sim_parse_mode(struct dmae_sim_params *p, const char *what, const char *s);

/**
 * dmae_sim_create - a simulation at time 0 with its board thread started.
 * @return it, or ERR_PTR(-EINVAL) (bad parameters), ERR_PTR(-ENOMEM),
 * ERR_PTR(-ENOSPC) (no interrupt lines left), ERR_PTR(-EAGAIN) (no thread).
 */
DMAE_EXPORT struct dmae_sim *dmae_sim_create(const struct dmae_sim_params *p);
/** dmae_sim_destroy - stop the board thread and free @sim; queued events are dropped. */
DMAE_EXPORT void dmae_sim_destroy(struct dmae_sim *sim);

/** The board's interrupt lines: line n of the board is Linux irq dmae_sim_irq_base() + n. */
DMAE_EXPORT struct dmae_irq_domain *dmae_sim_irqs(struct dmae_sim *sim);
/** The quiescence group of the board's threads. */
DMAE_EXPORT struct dmae_quiesce *dmae_sim_quiesce(struct dmae_sim *sim);
DMAE_EXPORT enum dmae_sim_mode dmae_sim_mode(const struct dmae_sim *sim);
DMAE_EXPORT const char *dmae_sim_name(const struct dmae_sim *sim);
/** dmae_sim_set_mode - switch modes while running; paced re-anchors at the current time. */
DMAE_EXPORT int dmae_sim_set_mode(struct dmae_sim *sim, enum dmae_sim_mode mode, double scale);

/* ------------------------------------------------------------- the lock */

/** The bus lock: models, the queue and the clock. Context: any, never from a model. */
DMAE_EXPORT void dmae_sim_lock(struct dmae_sim *sim);
DMAE_EXPORT void dmae_sim_unlock(struct dmae_sim *sim);
/** Whether the calling thread holds @sim's bus lock (models may assert it). */
DMAE_EXPORT bool dmae_sim_locked(const struct dmae_sim *sim);

/* ------------------------------------------------------ time and events */

/** The current virtual time. Lock held (or any, for a racy read). */
DMAE_EXPORT dmae_sim_time_t dmae_sim_now(const struct dmae_sim *sim);
DMAE_EXPORT void dmae_sim_event_init(struct dmae_sim_event *ev, dmae_sim_event_fn fn,
				     const char *name);
/** Queue @ev at @time (moved if queued; a time in the past means now). Lock held. */
DMAE_EXPORT void dmae_sim_schedule(struct dmae_sim *sim, struct dmae_sim_event *ev,
				   dmae_sim_time_t time);
/** Take @ev out of the queue if it is there. Lock held. */
DMAE_EXPORT void dmae_sim_cancel(struct dmae_sim *sim, struct dmae_sim_event *ev);
static inline bool dmae_sim_event_pending(const struct dmae_sim_event *ev)
{
	return ev->index >= 0;
}
/** The time of the next queued event, or UINT64_MAX. Lock held. */
DMAE_EXPORT dmae_sim_time_t dmae_sim_next(const struct dmae_sim *sim);

/**
 * dmae_sim_cycles_ps - @cycles of a @hz clock, in picoseconds, rounded down
 * (compute a run's end from its start and its whole cycle count, so rounding
 * never accumulates).
 */
static inline dmae_sim_time_t dmae_sim_cycles_ps(u64 cycles, u64 hz)
{
	return (dmae_sim_time_t)((unsigned __int128)cycles * DMAE_PS_PER_S / hz);
}
/** dmae_sim_ps_cycles - whole cycles of a @hz clock in @ps. */
static inline u64 dmae_sim_ps_cycles(dmae_sim_time_t ps, u64 hz)
{
	return (u64)((unsigned __int128)ps * hz / DMAE_PS_PER_S);
}

/* ------------------------------------------ for the platform's accesses */

/**
 * dmae_sim_access - a register access by the CPU is about to happen, with
 * the lock held: the calling thread acts for the board (it joins its
 * quiescence group), and time moves on by one access (free mode) or to the
 * host clock's (paced), running the events due on the way.
 */
DMAE_EXPORT void dmae_sim_access(struct dmae_sim *sim);
/**
 * dmae_sim_settle - after an access, with the lock released: in process
 * context with interrupts on, wait until the interrupts it raised have been
 * handled and the tasklets they queued have run (as the CPU would have taken
 * them before its next instruction). Elsewhere it returns at once.
 */
DMAE_EXPORT void dmae_sim_settle(struct dmae_sim *sim);
/**
 * dmae_sim_delay - @ps of virtual time pass for the caller (udelay and
 * friends on a board): a thread that may sleep sleeps until the board's
 * clock gets there; an interrupt handler, a tasklet, or a thread with
 * interrupts off moves the clock on itself.
 */
DMAE_EXPORT void dmae_sim_delay(struct dmae_sim *sim, dmae_sim_time_t ps);

/** Statistics of a run, for benchmarks and tests. */
struct dmae_sim_stats {
	u64 events;	   /* events run */
	u64 jumps;	   /* free mode: times the clock jumped to an event */
	u64 accesses;	   /* register accesses */
	u64 irq_runs;	   /* handler calls on the board thread */
	u64 aways;	   /* free mode: threads counted out after the grace time */
};
DMAE_EXPORT void dmae_sim_get_stats(const struct dmae_sim *sim, struct dmae_sim_stats *st);

DMAE_END_DECLS

#endif /* DMAENGINE_HW_SIM_H */
