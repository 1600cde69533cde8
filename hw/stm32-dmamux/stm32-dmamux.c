// SPDX-License-Identifier: MIT
/*
 * stm32-dmamux.c - the STM32 DMAMUX request router ("st,stm32h7-dmamux",
 * DMAMUX1 of the STM32MP1): 16 multiplexer channels carry the request lines
 * of the peripherals (and of 8 request generators) to the DMA masters'
 * streams, with synchronisation, event generation and overrun flags.
 *
 * Rules after RM0490 chapter 12 (the same IP, smaller), sizes and
 * identification values after the STM32MP157 SVD, the trigger and sync input
 * wiring after the MP1 HAL (stm32mp1xx_hal_dma_ex.h). docs/hw-stm32-dmamux.md
 * says what the model does where those sources are silent.
 */
#include <errno.h>

#include <dmaengine/hw/model.h>
#include <dmaengine/hw/sim.h>
#include <dmaengine/of.h>

/* ------------------------------------------------------------ registers */

#define DMAMUX_CxCR(x) (0x000u + 4u * (x))
#define DMAMUX_CSR 0x080u
#define DMAMUX_CFR 0x084u
#define DMAMUX_RGxCR(x) (0x100u + 4u * (x))
#define DMAMUX_RGSR 0x140u
#define DMAMUX_RGCFR 0x144u
#define DMAMUX_HWCFGR2 0x3ECu
#define DMAMUX_HWCFGR1 0x3F0u
#define DMAMUX_VERR 0x3F4u
#define DMAMUX_IPIDR 0x3F8u
#define DMAMUX_SIDR 0x3FCu
#define DMAMUX_BLOCK 0x400u /* the register block (RM0490 table 54: up to 0x3FC) */

#define DMAMUX_CxCR_DMAREQ_ID 0x000000FFu /* 7:0 as CMSIS has it (the SVD says 6:0) */
#define DMAMUX_CxCR_SOIE 0x00000100u
#define DMAMUX_CxCR_EGE 0x00000200u
#define DMAMUX_CxCR_SE 0x00010000u
#define DMAMUX_CxCR_SPOL 0x00060000u
#define DMAMUX_CxCR_NBREQ 0x00F80000u
#define DMAMUX_CxCR_SYNC_ID 0x1F000000u
#define DMAMUX_CxCR_RW 0x1FFF03FFu

#define DMAMUX_RGxCR_SIG_ID 0x0000001Fu
#define DMAMUX_RGxCR_OIE 0x00000100u
#define DMAMUX_RGxCR_GE 0x00010000u
#define DMAMUX_RGxCR_GPOL 0x00060000u
#define DMAMUX_RGxCR_GNBREQ 0x00F80000u
#define DMAMUX_RGxCR_RW 0x00FF011Fu

/* SPOL and GPOL */
#define DMAMUX_POL_RISING 1u
#define DMAMUX_POL_FALLING 2u

/* Identification, from the STM32MP157 SVD (reset values of 0x3EC-0x3FC). */
#define DMAMUX_HWCFGR2_MP1 0x00000008u /* NUM_DMA_EXT_REQ 8 */
#define DMAMUX_HWCFGR1_MP1 0x08086C10u /* 8 generators, 8 triggers, 108 requests, 16 streams */
#define DMAMUX_VERR_MP1 0x00000011u    /* revision 1.1 */
#define DMAMUX_IPIDR_MP1 0x00100011u
#define DMAMUX_SIDR_MP1 0xA3C5DD01u

#define DMAMUX_CHANNELS 16
#define DMAMUX_GENERATORS 8    /* request IDs 1..8 are generators 0..7 (reference, MP1) */
#define DMAMUX_REQUESTS 128    /* request inputs 1..128 (dma-requests) */
#define DMAMUX_INPUTS 8	       /* sync inputs, and trigger inputs (HWCFGR1, HWCFGR2) */
#define DMAMUX_EVENT_INPUTS 3  /* inputs 0-2 are channels 0-2's events (MP1 HAL) */
#define DMAMUX_EDGE_CYCLES 3   /* an edge holds for more than two AHB cycles (RM0490 12.4.4) */
#define DMAMUX_MASK_CYCLES 3   /* events masked for three cycles after a write (12.4.4, 12.4.5) */
#define DMAMUX_STREAMS 8       /* a master without dma-requests: an STM32 DMA's streams */

enum {
	R_C0CR = 0,
	R_CSR = R_C0CR + DMAMUX_CHANNELS,
	R_CFR,
	R_RG0CR,
	R_RGSR = R_RG0CR + DMAMUX_GENERATORS,
	R_RGCFR,
	R_HWCFGR2,
	R_HWCFGR1,
	R_VERR,
	R_IPIDR,
	R_SIDR,
	R_NR,
	R_NONE = 0xFF,
};

struct stm32_dmamux_hw;

/* One register: reserved bits (~(rw | ro | w1c)) read 0 and ignore writes. */
struct dmamux_reg {
	const char *name; /* as RM0490 names it */
	u32 offset;	  /* in the block */
	u32 reset;	  /* value at reset */
	u32 rw;		  /* bits software writes */
	u32 ro;		  /* bits the hardware sets, software only reads */
	u32 w1c;	  /* write-only bits: a 1 clears that bit of register @clears */
	u8 clears;	  /* the status register a w1c register clears */
	/* Effect of a write (optional), after the value changed from @old. */
	void (*written)(struct stm32_dmamux_hw *m, unsigned int idx, u32 old);
};

/* ---------------------------------------------------------------- state */

/* A sync or trigger input, with its edge detector. */
struct dmamux_line {
	struct stm32_dmamux_hw *m;	/* the DMAMUX */
	unsigned int index;		/* input number (SYNC_ID, SIG_ID) */
	bool trigger;			/* a trigger input (else a sync input) */
	bool level;			/* as driven */
	bool stable;			/* as the edge detector has it */
	struct dmae_sim_event detect;	/* a new level has held long enough */
};

/* A request multiplexer channel: output c, to one stream of one master. */
struct dmamux_channel {
	struct stm32_dmamux_hw *m;	/* the DMAMUX */
	unsigned int index;		/* c */
	bool connected;			/* SE: a sync event let the input through, until underrun */
	u32 count;			/* the DMA request counter (NBREQ down to 0) */
	bool out;			/* the level its master sees */
	bool ack;			/* its acknowledge input */
	dmae_sim_time_t masked_until;	/* sync events ignored before this (a CxCR write) */
	struct dmae_sim_event event_end; /* the end of its one-cycle event pulse */
};

/* A request generator: request ID n + 1 of the multiplexer. */
struct dmamux_generator {
	struct stm32_dmamux_hw *m;	/* the DMAMUX */
	unsigned int index;		/* n */
	bool active;			/* from a trigger event to the counter's underrun */
	bool out;			/* a generated request is pending */
	u32 count;			/* requests left after this one */
	dmae_sim_time_t masked_until;	/* trigger events ignored before this (an RGxCR write) */
	struct dmae_sim_event next;	/* its next request, a cycle after one was served */
};

/* A DMA master of dma-masters: it owns outputs [base, base + nr). */
struct dmamux_master {
	struct device_node *np;		   /* its node */
	unsigned int base, nr;		   /* its outputs */
	const struct dmae_hw_port *port;   /* its "requests" port, found at first use */
	bool looked;			   /* port searched for (found or not) */
};

struct stm32_dmamux_hw {
	struct dmae_hw *hw;				/* the instance */
	struct dmae_sim *sim;				/* its clock and events */
	u64 hz;						/* the AHB clock (clocks[0]) */
	u32 regs[R_NR];					/* register values */
	u8 slot[DMAMUX_BLOCK / 4];			/* register index of each word */
	bool req[DMAMUX_REQUESTS + 1];			/* peripheral request inputs */
	struct dmamux_channel ch[DMAMUX_CHANNELS];	/* the multiplexer */
	struct dmamux_generator gen[DMAMUX_GENERATORS];	/* the request generator */
	struct dmamux_line sync[DMAMUX_INPUTS];		/* synchronisation inputs */
	struct dmamux_line trig[DMAMUX_INPUTS];		/* trigger inputs */
	struct dmamux_master masters[DMAMUX_CHANNELS];	/* dma-masters, in order */
	unsigned int nr_masters;			/* entries of masters */
	struct dmae_hw_port requests;			/* in: peripherals' requests, by ID */
	struct dmae_hw_port sync_port;			/* in: sync inputs 3-7 */
	struct dmae_hw_port trig_port;			/* in: trigger inputs 3-7 */
	struct dmae_hw_port acks;			/* in: masters' acknowledges, by output */
	bool has_irq;					/* the node has an interrupt */
	bool irq;					/* its level */
	bool self;					/* driving its own inputs (channel events) */
	bool updating, dirty;				/* in dmamux_update; asked again meanwhile */
	u32 warned_outputs;				/* outputs said to go nowhere */
	u32 warned_inputs;				/* inputs said not to be inputs */
};

static void dmamux_ccr_written(struct stm32_dmamux_hw *m, unsigned int idx, u32 old);
static void dmamux_rgcr_written(struct stm32_dmamux_hw *m, unsigned int idx, u32 old);

#define CCR(x)                                                                      \
	{ "DMAMUX_C" #x "CR", DMAMUX_CxCR(x), 0, DMAMUX_CxCR_RW, 0, 0, 0, dmamux_ccr_written }
#define RGCR(x)                                                                     \
	{ "DMAMUX_RG" #x "CR", DMAMUX_RGxCR(x), 0, DMAMUX_RGxCR_RW, 0, 0, 0, dmamux_rgcr_written }
#define IDREG(n, off, v) { n, off, v, 0, 0xFFFFFFFFu, 0, 0, NULL }

static const struct dmamux_reg dmamux_regs[R_NR] = {
	CCR(0), CCR(1), CCR(2), CCR(3), CCR(4), CCR(5), CCR(6), CCR(7),
	CCR(8), CCR(9), CCR(10), CCR(11), CCR(12), CCR(13), CCR(14), CCR(15),
	[R_CSR] = { "DMAMUX_CSR", DMAMUX_CSR, 0, 0, 0x0000FFFFu, 0, 0, NULL },
	[R_CFR] = { "DMAMUX_CFR", DMAMUX_CFR, 0, 0, 0, 0x0000FFFFu, R_CSR, NULL },
	RGCR(0), RGCR(1), RGCR(2), RGCR(3), RGCR(4), RGCR(5), RGCR(6), RGCR(7),
	[R_RGSR] = { "DMAMUX_RGSR", DMAMUX_RGSR, 0, 0, 0x000000FFu, 0, 0, NULL },
	[R_RGCFR] = { "DMAMUX_RGCFR", DMAMUX_RGCFR, 0, 0, 0, 0x000000FFu, R_RGSR, NULL },
	[R_HWCFGR2] = IDREG("DMAMUX_HWCFGR2", DMAMUX_HWCFGR2, DMAMUX_HWCFGR2_MP1),
	[R_HWCFGR1] = IDREG("DMAMUX_HWCFGR1", DMAMUX_HWCFGR1, DMAMUX_HWCFGR1_MP1),
	[R_VERR] = IDREG("DMAMUX_VERR", DMAMUX_VERR, DMAMUX_VERR_MP1),
	[R_IPIDR] = IDREG("DMAMUX_IPIDR", DMAMUX_IPIDR, DMAMUX_IPIDR_MP1),
	[R_SIDR] = IDREG("DMAMUX_SIDR", DMAMUX_SIDR, DMAMUX_SIDR_MP1),
};

/* ---------------------------------------------------------------- fields */

static inline u32 dmamux_field(u32 v, u32 mask)
{
	return (v & mask) / (mask & -mask);
}

static inline u32 dmamux_ccr(const struct stm32_dmamux_hw *m, unsigned int c)
{
	return m->regs[R_C0CR + c];
}

static inline u32 dmamux_rgcr(const struct stm32_dmamux_hw *m, unsigned int g)
{
	return m->regs[R_RG0CR + g];
}

static inline dmae_sim_time_t dmamux_later(const struct stm32_dmamux_hw *m, u64 cycles)
{
	return dmae_sim_now(m->sim) + dmae_sim_cycles_ps(cycles, m->hz);
}

/* Whether an edge (@rising or falling) is an event for polarity @pol (SPOL, GPOL). */
static inline bool dmamux_pol_matches(u32 pol, bool rising)
{
	return pol & (rising ? DMAMUX_POL_RISING : DMAMUX_POL_FALLING);
}

/* The level of multiplexer input @id: 0 is none, 1-8 the generators, 9-128 peripherals. */
static bool dmamux_input(const struct stm32_dmamux_hw *m, u32 id)
{
	if (id >= 1 && id <= DMAMUX_GENERATORS)
		return m->gen[id - 1].out;
	return id <= DMAMUX_REQUESTS && m->req[id];
}

/* Whether channel @c lets its input through: always; with SE from a sync event to underrun. */
static bool dmamux_forwards(const struct stm32_dmamux_hw *m, unsigned int c)
{
	return !(dmamux_ccr(m, c) & DMAMUX_CxCR_SE) || m->ch[c].connected;
}

/* ----------------------------------------------------- outputs and irq */

static struct dmamux_master *dmamux_master_of(struct stm32_dmamux_hw *m, unsigned int c)
{
	for (unsigned int i = 0; i < m->nr_masters; i++)
		if (c >= m->masters[i].base && c < m->masters[i].base + m->masters[i].nr)
			return &m->masters[i];
	return NULL;
}

/* The master's "requests" port, found when the first level goes out (models: tree order). */
static const struct dmae_hw_port *dmamux_master_port(struct stm32_dmamux_hw *m,
						     struct dmamux_master *dm)
{
	char path[128];

	if (dm->looked)
		return dm->port;
	dm->looked = true;
	dm->port = dmae_hw_port(dmae_hw_find(m->hw, dm->np), "requests");
	dmae_of_node_path(dm->np, path, sizeof(path));
	if (!dm->port)
		dmae_hw_log(m->hw, DMAE_LOG_WARN,
			    "DMA master %s has no model with a \"requests\" port: outputs %u-%u go nowhere",
			    path, dm->base, dm->base + dm->nr - 1);
	else if (dm->port->nr < dm->nr)
		dmae_hw_log(m->hw, DMAE_LOG_WARN,
			    "DMA master %s takes %u request lines, not %u: outputs %u-%u go nowhere",
			    path, dm->port->nr, dm->nr, dm->base + dm->port->nr, dm->base + dm->nr - 1);
	return dm->port;
}

/* Output @c changed: the level goes to its master's stream (DMA1 stream n = output n, ...). */
static void dmamux_drive(struct stm32_dmamux_hw *m, unsigned int c, bool level)
{
	struct dmamux_master *dm = dmamux_master_of(m, c);
	const struct dmae_hw_port *port = dm ? dmamux_master_port(m, dm) : NULL;

	if (!dm && !(m->warned_outputs & (1u << c))) {
		m->warned_outputs |= 1u << c;
		dmae_hw_log(m->hw, DMAE_LOG_WARN,
			    "output %u has no DMA master in dma-masters: its requests go nowhere", c);
	}
	if (port && c - dm->base < port->nr)
		dmae_hw_signal(port, c - dm->base, level);
}

/* The interrupt: some flag with its enable (RM0490 12.5, table 53). */
static void dmamux_update_irq(struct stm32_dmamux_hw *m)
{
	bool high = false;

	for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++)
		if ((m->regs[R_CSR] & (1u << c)) && (dmamux_ccr(m, c) & DMAMUX_CxCR_SOIE))
			high = true;
	for (unsigned int g = 0; g < DMAMUX_GENERATORS; g++)
		if ((m->regs[R_RGSR] & (1u << g)) && (dmamux_rgcr(m, g) & DMAMUX_RGxCR_OIE))
			high = true;
	if (high == m->irq)
		return;
	m->irq = high;
	if (m->has_irq)
		dmae_hw_set_irq(m->hw, 0, high);
}

/*
 * dmamux_update - bring every output and the interrupt line in line with
 * the state: routing is combinational (RM0490 12.4.4). A master that
 * answers a level by calling back into the model only marks it dirty.
 */
static void dmamux_update(struct stm32_dmamux_hw *m)
{
	if (m->updating) {
		m->dirty = true;
		return;
	}
	m->updating = true;
	do {
		m->dirty = false;
		for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++) {
			u32 id = dmamux_field(dmamux_ccr(m, c), DMAMUX_CxCR_DMAREQ_ID);
			bool want = dmamux_forwards(m, c) && dmamux_input(m, id);

			if (want == m->ch[c].out)
				continue;
			m->ch[c].out = want;
			dmamux_drive(m, c, want);
		}
		dmamux_update_irq(m);
	} while (m->dirty);
	m->updating = false;
}

/* ------------------------------------------------- counting and events */

static void dmamux_event_line(struct stm32_dmamux_hw *m, unsigned int c, bool level)
{
	bool was = m->self;

	if (c >= DMAMUX_EVENT_INPUTS)
		return; /* wired to nothing on the MP1 (HAL: sync and trigger inputs 0-2 only) */
	m->self = true;
	dmae_hw_signal(&m->sync_port, c, level);
	dmae_hw_signal(&m->trig_port, c, level);
	m->self = was;
}

/* EGE: a pulse of one AHB cycle at each reload of the counter (RM0490 12.4.4). */
static void dmamux_event(struct stm32_dmamux_hw *m, unsigned int c)
{
	dmamux_event_line(m, c, true);
	dmae_sim_schedule(m->sim, &m->ch[c].event_end, dmamux_later(m, 1));
}

static void dmamux_event_end(struct dmae_sim_event *ev)
{
	struct dmamux_channel *ch = container_of(ev, struct dmamux_channel, event_end);

	dmamux_event_line(ch->m, ch->index, false);
	dmamux_update(ch->m);
}

/*
 * dmamux_served - channel @c's forwarded request was served (deasserted):
 * the counter counts down; at its underrun it reloads NBREQ, SE disconnects
 * the input and EGE pulses the event (RM0490 12.4.4).
 */
static void dmamux_served(struct stm32_dmamux_hw *m, unsigned int c)
{
	struct dmamux_channel *ch = &m->ch[c];
	u32 cr = dmamux_ccr(m, c);

	if (!(cr & (DMAMUX_CxCR_SE | DMAMUX_CxCR_EGE)))
		return;
	if (ch->count) {
		ch->count--;
		return;
	}
	ch->count = dmamux_field(cr, DMAMUX_CxCR_NBREQ);
	ch->connected = false;
	if (cr & DMAMUX_CxCR_EGE)
		dmamux_event(m, c);
}

/*
 * dmamux_input_changed - multiplexer input @id went to @level; a fall that
 * is a service ends the request on every channel that forwarded it.
 */
static void dmamux_input_changed(struct stm32_dmamux_hw *m, u32 id, bool level, bool served)
{
	u32 forwarded = 0; /* taken first: an event of one channel may update the others */

	for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++)
		if (m->ch[c].out && dmamux_field(dmamux_ccr(m, c), DMAMUX_CxCR_DMAREQ_ID) == id)
			forwarded |= 1u << c;
	if (!level && served)
		for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++)
			if (forwarded & (1u << c))
				dmamux_served(m, c);
	dmamux_update(m);
}

/* ---------------------------------------------------- request generator */

static void dmamux_gen_out(struct stm32_dmamux_hw *m, unsigned int g, bool level, bool served)
{
	if (m->gen[g].out == level)
		return;
	m->gen[g].out = level;
	dmamux_input_changed(m, g + 1, level, served);
}

/*
 * A trigger event: GNBREQ + 1 requests follow; a trigger before the counter's
 * underrun is an overrun, OFx (RM0490 12.4.5, "Trigger overrun and interrupt").
 */
static void dmamux_trigger(struct stm32_dmamux_hw *m, unsigned int g)
{
	struct dmamux_generator *gen = &m->gen[g];

	if (gen->active) {
		m->regs[R_RGSR] |= 1u << g;
		return;
	}
	gen->active = true;
	gen->count = dmamux_field(dmamux_rgcr(m, g), DMAMUX_RGxCR_GNBREQ);
	dmamux_gen_out(m, g, true, false);
}

/*
 * The master acknowledged generator @g's request: it is deasserted, the
 * counter counts down, and the next request follows a cycle later; at the
 * underrun the generator stops until the next trigger (RM0490 12.4.5).
 */
static void dmamux_gen_served(struct stm32_dmamux_hw *m, unsigned int g)
{
	struct dmamux_generator *gen = &m->gen[g];

	if (!gen->out)
		return;
	if (gen->count) {
		gen->count--;
		dmae_sim_schedule(m->sim, &gen->next, dmamux_later(m, 1));
	} else {
		gen->active = false;
	}
	dmamux_gen_out(m, g, false, true);
}

static void dmamux_gen_next(struct dmae_sim_event *ev)
{
	struct dmamux_generator *gen = container_of(ev, struct dmamux_generator, next);

	if (gen->active)
		dmamux_gen_out(gen->m, gen->index, true, false);
}

/* -------------------------------------------------- sync and triggers */

/*
 * A sync event on channel @c: a pending request is let through; none
 * pending, the event is discarded; already let through (the counter has not
 * run out), it is an overrun, SOFx (RM0490 12.4.4).
 */
static void dmamux_sync_event(struct stm32_dmamux_hw *m, unsigned int c)
{
	struct dmamux_channel *ch = &m->ch[c];

	if (ch->connected) {
		m->regs[R_CSR] |= 1u << c;
		return;
	}
	if (dmamux_input(m, dmamux_field(dmamux_ccr(m, c), DMAMUX_CxCR_DMAREQ_ID)))
		ch->connected = true;
}

/* An edge of input @l reached the detector: the channels and generators that select it. */
static void dmamux_line_edge(struct stm32_dmamux_hw *m, struct dmamux_line *l, bool rising)
{
	dmae_sim_time_t now = dmae_sim_now(m->sim);

	if (l->trigger) {
		for (unsigned int g = 0; g < DMAMUX_GENERATORS; g++) {
			u32 cr = dmamux_rgcr(m, g);

			if ((cr & DMAMUX_RGxCR_GE) && dmamux_field(cr, DMAMUX_RGxCR_SIG_ID) == l->index &&
			    dmamux_pol_matches(dmamux_field(cr, DMAMUX_RGxCR_GPOL), rising) &&
			    now >= m->gen[g].masked_until)
				dmamux_trigger(m, g);
		}
	} else {
		for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++) {
			u32 cr = dmamux_ccr(m, c);

			if ((cr & DMAMUX_CxCR_SE) && dmamux_field(cr, DMAMUX_CxCR_SYNC_ID) == l->index &&
			    dmamux_pol_matches(dmamux_field(cr, DMAMUX_CxCR_SPOL), rising) &&
			    now >= m->ch[c].masked_until)
				dmamux_sync_event(m, c);
		}
	}
	dmamux_update(m);
}

/* The new level held for more than two AHB cycles: an edge (RM0490 12.4.4, 12.4.5 notes). */
static void dmamux_line_detect(struct dmae_sim_event *ev)
{
	struct dmamux_line *l = container_of(ev, struct dmamux_line, detect);

	l->stable = l->level;
	dmamux_line_edge(l->m, l, l->stable);
}

static void dmamux_line_set(struct stm32_dmamux_hw *m, struct dmamux_line *l, bool level)
{
	if (l->index < DMAMUX_EVENT_INPUTS && !m->self) {
		u32 bit = 1u << (l->index + (l->trigger ? 8 : 0));

		if (!(m->warned_inputs & bit))
			dmae_hw_log(m->hw, DMAE_LOG_WARN,
				    "%s input %u is channel %u's event, not a line to drive: ignored",
				    l->trigger ? "trigger" : "sync", l->index, l->index);
		m->warned_inputs |= bit;
		return;
	}
	if (level == l->level)
		return;
	/* A level that held exactly the three cycles, changing as they end, was an edge. */
	if (dmae_sim_event_pending(&l->detect) && l->detect.time <= dmae_sim_now(m->sim)) {
		dmae_sim_cancel(m->sim, &l->detect);
		dmamux_line_detect(&l->detect);
	}
	l->level = level;
	if (m->self) {
		/* A channel event is the DMAMUX's own, on its clock: no filter. */
		l->stable = level;
		dmamux_line_edge(m, l, level);
	} else if (level == l->stable) {
		dmae_sim_cancel(m->sim, &l->detect); /* a glitch: no edge */
	} else {
		dmae_sim_schedule(m->sim, &l->detect, dmamux_later(m, DMAMUX_EDGE_CYCLES));
	}
}

/* ---------------------------------------------------------------- ports */

static void dmamux_requests_set(void *priv, unsigned int line, bool level)
{
	struct stm32_dmamux_hw *m = priv;

	if (line <= DMAMUX_GENERATORS) {
		if (!(m->warned_inputs & (1u << (16 + line))) && line)
			dmae_hw_log(m->hw, DMAE_LOG_WARN,
				    "request %u is generator %u's output, not a line to drive: ignored",
				    line, line - 1);
		else if (!(m->warned_inputs & (1u << 16)))
			dmae_hw_log(m->hw, DMAE_LOG_WARN,
				    "request 0 selects nothing, not a line to drive: ignored");
		m->warned_inputs |= 1u << (16 + line);
		return;
	}
	if (m->req[line] == level)
		return;
	m->req[line] = level;
	/* With the level protocol a peripheral lowers its request when the DMA served it. */
	dmamux_input_changed(m, line, level, true);
}

static void dmamux_sync_set(void *priv, unsigned int line, bool level)
{
	struct stm32_dmamux_hw *m = priv;

	dmamux_line_set(m, &m->sync[line], level);
}

static void dmamux_trig_set(void *priv, unsigned int line, bool level)
{
	struct stm32_dmamux_hw *m = priv;

	dmamux_line_set(m, &m->trig[line], level);
}

/*
 * A master acknowledges (rising edge) the request it served on output
 * @line. A generated request has no peripheral to lower it: the
 * acknowledge is what deasserts it. A peripheral lowers its own request.
 */
static void dmamux_acks_set(void *priv, unsigned int line, bool level)
{
	struct stm32_dmamux_hw *m = priv;
	struct dmamux_channel *ch = &m->ch[line];
	u32 id = dmamux_field(dmamux_ccr(m, line), DMAMUX_CxCR_DMAREQ_ID);
	bool rising = level && !ch->ack;

	ch->ack = level;
	if (rising && ch->out && id >= 1 && id <= DMAMUX_GENERATORS)
		dmamux_gen_served(m, id - 1);
}

/* ------------------------------------------------------- register hooks */

/*
 * CxCR: sync events are masked for three cycles after the write (RM0490
 * 12.4.4); NBREQ, written while SE and EGE are 0 (the rule for software),
 * loads the counter; setting SE waits for a sync event.
 */
static void dmamux_ccr_written(struct stm32_dmamux_hw *m, unsigned int idx, u32 old)
{
	struct dmamux_channel *ch = &m->ch[idx - R_C0CR];
	u32 cr = m->regs[idx];

	ch->masked_until = dmamux_later(m, DMAMUX_MASK_CYCLES);
	if (!(old & (DMAMUX_CxCR_SE | DMAMUX_CxCR_EGE)))
		ch->count = dmamux_field(cr, DMAMUX_CxCR_NBREQ);
	if (!(cr & DMAMUX_CxCR_SE) || !(old & DMAMUX_CxCR_SE))
		ch->connected = false;
}

/*
 * RGxCR: trigger events are masked for three cycles after the write (RM0490
 * 12.4.5); GNBREQ has no write protection and counts from the next trigger;
 * clearing GE withdraws a pending request.
 */
static void dmamux_rgcr_written(struct stm32_dmamux_hw *m, unsigned int idx, u32 old)
{
	unsigned int g = idx - R_RG0CR;
	struct dmamux_generator *gen = &m->gen[g];

	gen->masked_until = dmamux_later(m, DMAMUX_MASK_CYCLES);
	if (m->regs[idx] & DMAMUX_RGxCR_GE)
		return;
	gen->active = false;
	dmae_sim_cancel(m->sim, &gen->next);
	dmamux_gen_out(m, g, false, false);
}

/* ------------------------------------------------------------ accesses */

static inline u32 dmamux_bytes(unsigned int size)
{
	return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

/* 8-, 16- and 32-bit accesses, aligned (RM0490 12.6); reserved words read 0. */
static u32 dmamux_read(void *priv, u32 offset, unsigned int size)
{
	struct stm32_dmamux_hw *m = priv;
	unsigned int idx = m->slot[offset / 4];
	const struct dmamux_reg *r;

	if (idx == R_NONE)
		return 0;
	r = &dmamux_regs[idx];
	return ((m->regs[idx] & (r->rw | r->ro)) >> (8 * (offset & 3))) & dmamux_bytes(size);
}

static void dmamux_write(void *priv, u32 offset, u32 val, unsigned int size)
{
	struct stm32_dmamux_hw *m = priv;
	unsigned int idx = m->slot[offset / 4];
	u32 bytes = dmamux_bytes(size) << (8 * (offset & 3));
	u32 v = val << (8 * (offset & 3));
	const struct dmamux_reg *r;
	u32 old;

	if (idx == R_NONE)
		return;
	r = &dmamux_regs[idx];
	if (r->w1c)
		m->regs[r->clears] &= ~(v & bytes & r->w1c);
	old = m->regs[idx];
	m->regs[idx] = (old & ~(bytes & r->rw)) | (v & bytes & r->rw);
	if (r->written)
		r->written(m, idx, old);
	dmamux_update(m);
}

static const struct dmae_hw_regs_ops dmamux_ops = {
	.read = dmamux_read,
	.write = dmamux_write,
	.widths = DMAE_HW_W8 | DMAE_HW_W16 | DMAE_HW_W32,
};

/* --------------------------------------------------------- the instance */

/* dma-masters in order, each owning as many outputs as its dma-requests. */
static void dmamux_find_masters(struct stm32_dmamux_hw *m)
{
	struct device_node *np = dmae_hw_node(m->hw);
	unsigned int base = 0;

	for (unsigned int i = 0; base < DMAMUX_CHANNELS; i++) {
		struct device_node *mnp = of_parse_phandle(np, "dma-masters", (int)i);
		struct dmamux_master *dm = &m->masters[m->nr_masters];
		char path[128];
		u32 nr;

		if (!mnp)
			break;
		if (of_property_read_u32(mnp, "dma-requests", &nr) || !nr) {
			dmae_hw_log(m->hw, DMAE_LOG_WARN, "DMA master %s has no dma-requests: %u streams",
				    dmae_of_node_path(mnp, path, sizeof(path)), DMAMUX_STREAMS);
			nr = DMAMUX_STREAMS;
		}
		dm->np = mnp;
		dm->base = base;
		dm->nr = nr < DMAMUX_CHANNELS - base ? nr : DMAMUX_CHANNELS - base;
		base += dm->nr;
		m->nr_masters++;
	}
}

static void dmamux_reset(struct stm32_dmamux_hw *m)
{
	for (unsigned int i = 0; i < DMAMUX_BLOCK / 4; i++)
		m->slot[i] = R_NONE;
	for (unsigned int i = 0; i < R_NR; i++) {
		m->regs[i] = dmamux_regs[i].reset;
		m->slot[dmamux_regs[i].offset / 4] = (u8)i;
	}
	for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++) {
		m->ch[c].m = m;
		m->ch[c].index = c;
		dmae_sim_event_init(&m->ch[c].event_end, dmamux_event_end, "dmamux-event");
	}
	for (unsigned int g = 0; g < DMAMUX_GENERATORS; g++) {
		m->gen[g].m = m;
		m->gen[g].index = g;
		dmae_sim_event_init(&m->gen[g].next, dmamux_gen_next, "dmamux-generator");
	}
	for (unsigned int i = 0; i < DMAMUX_INPUTS; i++) {
		m->sync[i] = (struct dmamux_line){ .m = m, .index = i };
		m->trig[i] = (struct dmamux_line){ .m = m, .index = i, .trigger = true };
		dmae_sim_event_init(&m->sync[i].detect, dmamux_line_detect, "dmamux-sync-edge");
		dmae_sim_event_init(&m->trig[i].detect, dmamux_line_detect, "dmamux-trigger-edge");
	}
}

static int dmamux_export(struct stm32_dmamux_hw *m, struct dmae_hw_port *port, const char *name,
			 unsigned int nr, void (*set)(void *priv, unsigned int line, bool level))
{
	*port = (struct dmae_hw_port){ .name = name, .nr = nr, .set = set, .priv = m };
	return dmae_hw_export_port(m->hw, port);
}

static int dmamux_create(struct dmae_hw *hw)
{
	struct stm32_dmamux_hw *m = dmae_hw_priv(hw);
	u64 start, size;
	int ret;

	m->hw = hw;
	m->sim = dmae_hw_sim(hw);
	m->hz = dmae_hw_clock_hz(hw, 0);
	if (!m->hz) {
		dmae_hw_log(hw, DMAE_LOG_ERR, "no clock (clocks or clock-frequency)");
		return -EINVAL;
	}
	if (dmae_hw_reg(hw, 0, &start, &size) || size < 4) {
		dmae_hw_log(hw, DMAE_LOG_ERR, "no register range (reg)");
		return -EINVAL;
	}
	dmamux_reset(m);
	dmamux_find_masters(m);
	m->has_irq = dmae_hw_irq(hw, 0) >= 0; /* the MP1's node has none: flags only */
	ret = dmamux_export(m, &m->requests, "requests", DMAMUX_REQUESTS + 1, dmamux_requests_set);
	if (!ret)
		ret = dmamux_export(m, &m->sync_port, "sync", DMAMUX_INPUTS, dmamux_sync_set);
	if (!ret)
		ret = dmamux_export(m, &m->trig_port, "triggers", DMAMUX_INPUTS, dmamux_trig_set);
	if (!ret)
		ret = dmamux_export(m, &m->acks, "acks", DMAMUX_CHANNELS, dmamux_acks_set);
	if (ret)
		return ret;
	/* The dtsi maps C0CR-C15CR only (0x40): the model answers what the node maps. */
	return dmae_hw_map_regs(hw, start, size < DMAMUX_BLOCK ? size : DMAMUX_BLOCK, &dmamux_ops, m);
}

static void dmamux_destroy(struct dmae_hw *hw)
{
	struct stm32_dmamux_hw *m = dmae_hw_priv(hw);

	for (unsigned int c = 0; c < DMAMUX_CHANNELS; c++)
		dmae_sim_cancel(m->sim, &m->ch[c].event_end);
	for (unsigned int g = 0; g < DMAMUX_GENERATORS; g++)
		dmae_sim_cancel(m->sim, &m->gen[g].next);
	for (unsigned int i = 0; i < DMAMUX_INPUTS; i++) {
		dmae_sim_cancel(m->sim, &m->sync[i].detect);
		dmae_sim_cancel(m->sim, &m->trig[i].detect);
	}
}

static const char *const dmamux_compatible[] = { "st,stm32h7-dmamux", NULL };

static const struct dmae_hw_model stm32_dmamux_hw_model = {
	.name = "stm32-dmamux",
	.compatible = dmamux_compatible,
	.priv_size = sizeof(struct stm32_dmamux_hw),
	.create = dmamux_create,
	.destroy = dmamux_destroy,
};
DMAE_HW_MODEL(stm32_dmamux_hw_model);
