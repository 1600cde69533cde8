// SPDX-License-Identifier: MIT
/*
 * stm32-dma.c - the model of the STM32 DMA controller ("st,stm32-dma",
 * DMA1 and DMA2 of the STM32MP1): its registers as a table, their effects,
 * the streams' interrupt lines and request inputs, the TCIF signals to the
 * MDMA, and the model's place on the board's clock. The streams' transfers
 * are stm32-dma-engine.c's; docs/hw-stm32-dma.md describes the model.
 *
 * Sources, cited per rule: RM0090 chapter 10 (the same DMA on the STM32F4),
 * the STM32MP1 CMSIS header for the bits RM0090 lacks (TRBUFF), the Linux
 * driver drivers/dma/stm32/stm32-dma.c for what a driver relies on.
 */
#include <stddef.h>
#include <string.h>

#include "stm32-dma-hw.h"

#define DMA_SxCR_RW 0x0ffffffeu /* all but EN (written through its hook) and 31:28, reserved */
/* Writable while enabled: the interrupt enables and CIRC, which RM0090 10.5.5 does not protect. */
#define DMA_SxCR_RW_ENABLED (DMA_SxCR_IE | DMA_SxCR_CIRC)
#define DMA_SxFCR_RW (DMA_SxFCR_FEIE | DMA_SxFCR_DMDIS | DMA_SxFCR_FTH_Msk)
#define NO_FIELD ((size_t)-1) /* a register computed when read, stored nowhere */

/* Timing defaults, in controller cycles (docs/hw-stm32-dma.md, "Timing"). */
#define CYCLES_ARBITRATION 1
#define CYCLES_BURST 1
#define CYCLES_PER_BEAT 1
#define CYCLES_PER_REGISTER_BEAT 4

/* --------------------------------------------------------------- time */

/* The last cycle that has begun by now: its beats have happened. */
static u64 cycle_now(const struct stm32_dma_hw *d)
{
	dmae_sim_time_t now = dmae_sim_now(d->sim);
	u64 c = dmae_sim_ps_cycles(now, d->hz);

	if (dmae_sim_cycles_ps(c + 1, d->hz) <= now)
		c++;
	return c;
}

/*
 * The cycle an input takes effect at: the next clock edge, so that inputs
 * of one instant (two requests rising together) meet the arbiters together.
 */
static u64 cycle_next(const struct stm32_dma_hw *d)
{
	return cycle_now(d) + 1;
}

/* ---------------------------------------------------------- the MDMA */

/* The number of request lines a DMAMUX gives master @np: its dma-requests, else 8. */
static unsigned int master_lines(const struct device_node *np)
{
	u32 nr;

	return of_property_read_u32(np, "dma-requests", &nr) || !nr ? STM32_DMA_HW_STREAMS : nr;
}

/*
 * The DMAMUX under @np whose dma-masters names @me, or NULL; *@index: our
 * place among its masters, *@base: the first of its outputs that is ours
 * (the masters own consecutive outputs, each as many as its dma-requests).
 */
static const struct device_node *find_dmamux(const struct device_node *np,
					     const struct device_node *me, int *index,
					     unsigned int *base)
{
	const struct device_node *c, *found;
	struct device_node *m;
	int i;

	if (of_device_is_compatible(np, "st,stm32h7-dmamux")) {
		*base = 0;
		for (i = 0; (m = of_parse_phandle(np, "dma-masters", i)); i++) {
			if (m == me) {
				*index = i;
				return np;
			}
			*base += master_lines(m);
		}
		return NULL;
	}
	for (c = np->child; c; c = c->sibling)
		if ((found = find_dmamux(c, me, index, base)))
			return found;
	return NULL;
}

/*
 * Looked up once, after the board made every model. A stream's TCIF is the
 * MDMA's request 8 i + n, i our index among the DMAMUX's dma-masters (the
 * STM32MP1 HAL's MDMA request list; Linux's stm32-dma-mdma-chaining.rst).
 * Behind a DMAMUX, stream n's requests come from its output base + n, and
 * the end of each single or burst serving one is acknowledged on the
 * DMAMUX's "acks" line base + n (RM0090 10.3.3; RM0490 12.4.4, 12.4.5).
 */
static void links_lookup(struct stm32_dma_hw *d)
{
	const struct device_node *root = dmae_hw_node(d->hw), *mux;
	struct dmae_hw *mdma;
	unsigned int base = 0;
	int i = -1;

	if (d->links_looked)
		return;
	d->links_looked = true;
	while (root->parent)
		root = root->parent;
	mux = find_dmamux(root, dmae_hw_node(d->hw), &i, &base);
	if (!mux)
		return;
	d->acks = dmae_hw_port(dmae_hw_find(d->hw, mux), "acks");
	d->acks_base = base;
	if (d->acks && d->acks->nr < base + STM32_DMA_HW_STREAMS)
		d->acks = NULL; /* outputs beyond the DMAMUX's: nobody to acknowledge */
	mdma = dmae_hw_find_compatible(d->hw, "st,stm32h7-mdma");
	if (!mdma)
		return;
	d->mdma = dmae_hw_port(mdma, "requests");
	d->mdma_base = 8u * (unsigned int)i;
}

/* ------------------------------------------------ after the engine moved */

/* Lines follow flags and enables; TCIFs pulse the MDMA's request lines. */
static void post(struct stm32_dma_hw *d)
{
	u8 tc = d->tc;

	for (unsigned int n = 0; n < STM32_DMA_HW_STREAMS; n++) {
		struct stm32_dma_hw_stream *s = &d->e.s[n];
		bool line;

		if (!s->lines_dirty)
			continue;
		s->lines_dirty = false;
		line = stm32_dma_hw_line(s);
		if (line != s->irq) {
			s->irq = line;
			dmae_hw_set_irq(d->hw, n, line);
		}
	}
	d->tc = 0;
	if (!tc)
		return;
	links_lookup(d);
	for (unsigned int n = 0; d->mdma && n < STM32_DMA_HW_STREAMS; n++) {
		if (!(tc & (1u << n)))
			continue;
		dmae_hw_signal(d->mdma, d->mdma_base + n, true);
		dmae_hw_signal(d->mdma, d->mdma_base + n, false);
	}
}

/* The next thing that must happen at its own time gets the model's event. */
static void replan(struct stm32_dma_hw *d)
{
	u64 c;

	links_lookup(d);
	c = stm32_dma_hw_plan(d);
	if (c == STM32_DMA_HW_NONE)
		dmae_sim_cancel(d->sim, &d->ev);
	else if (!dmae_sim_event_pending(&d->ev) || d->ev.time != dmae_sim_cycles_ps(c, d->hz))
		dmae_sim_schedule(d->sim, &d->ev, dmae_sim_cycles_ps(c, d->hz));
}

/* Bring the streams to now, before anyone looks at them or changes them. */
static void sync(struct stm32_dma_hw *d)
{
	u64 c;

	if (d->in_engine)
		return;
	c = cycle_now(d);
	if (c > d->e.now || d->e.kick <= c)
		stm32_dma_hw_apply(d, c);
	post(d);
}

/* An input changed (a register, a request line): the arbiters look again at the next cycle. */
static void input(struct stm32_dma_hw *d)
{
	u64 c;

	/*
	 * Re-entered from one of our register beats (a peripheral answering
	 * it): the arbitration of that cycle follows, then the caller replans.
	 */
	if (d->in_engine)
		return;
	c = cycle_next(d);
	if (c < d->e.kick)
		d->e.kick = c;
	post(d);
	replan(d);
}

static void stm32_dma_hw_event(struct dmae_sim_event *ev)
{
	struct stm32_dma_hw *d = container_of(ev, struct stm32_dma_hw, ev);

	sync(d);
	replan(d);
}

/* ------------------------------------------------------------ registers */

struct stm32_dma_hw_reg {
	u32 offset;	   /* from the base (global) or the stream's base (stream registers) */
	const char *name;  /* as RM0090 names it */
	u32 reset;	   /* reset value (table 52) */
	u32 rw;		   /* bits software writes while the stream is disabled */
	u32 rw_enabled;	   /* bits it still writes while EN reads 1; the rest are protected */
	u32 w1c;	   /* bits a 1 clears */
	size_t field;	   /* stream registers: where it lives in struct stm32_dma_hw_stream */
	/* The value read (NULL: the stored one); @n: the stream, or the group for xISR/xIFCR. */
	u32 (*read)(struct stm32_dma_hw *d, unsigned int n, u32 stored);
	/* What a write does once the writable bits are stored (NULL: nothing more). */
	void (*write)(struct stm32_dma_hw *d, unsigned int n, u32 old, u32 val);
};

/* LISR/HISR: the flags of streams 4 g .. 4 g + 3 (10.5.1, 10.5.2). */
static u32 isr_read(struct stm32_dma_hw *d, unsigned int g, u32 stored)
{
	u32 v = 0;

	for (unsigned int j = 0; j < 4; j++)
		v |= (u32)d->e.s[4 * g + j].flags << DMA_FLAGS_SHIFT(j);
	return v;
}

/* LIFCR/HIFCR: a 1 clears the flag at its place (10.5.3, 10.5.4); they read 0. */
static u32 ifcr_read(struct stm32_dma_hw *d, unsigned int g, u32 stored)
{
	return 0;
}

static void ifcr_write(struct stm32_dma_hw *d, unsigned int g, u32 old, u32 val)
{
	for (unsigned int j = 0; j < 4; j++)
		d->e.s[4 * g + j].flags &= (u8)~((val >> DMA_FLAGS_SHIFT(j)) & DMA_FLAGS);
}

/* SxCR: EN starts or stops the stream; CIRC may change on the fly, forced bits stay. */
static void cr_write(struct stm32_dma_hw *d, unsigned int n, u32 old, u32 val)
{
	struct stm32_dma_hw_stream *s = &d->e.s[n];

	if (s->state == STM32_DMA_HW_IDLE) {
		if (val & DMA_SxCR_EN)
			stm32_dma_hw_enable(d, n);
		return;
	}
	if (!(val & DMA_SxCR_EN))
		stm32_dma_hw_disable(d, n);
	if (s->cfg.dbm)
		s->cr |= DMA_SxCR_CIRC; /* forced by DBM (10.5.5) */
	if (s->cr & DMA_SxCR_PFCTRL)
		s->cr &= ~DMA_SxCR_CIRC; /* forced off by PFCTRL */
	s->cfg.circ = s->cr & DMA_SxCR_CIRC;
}

/* SxNDTR: what software writes while disabled is what enable (and circular mode) reloads. */
static void ndtr_write(struct stm32_dma_hw *d, unsigned int n, u32 old, u32 val)
{
	struct stm32_dma_hw_stream *s = &d->e.s[n];

	if (s->state == STM32_DMA_HW_IDLE)
		s->ndt = s->ndtr;
}

/*
 * SxM0AR/SxM1AR while enabled: protected, but in double-buffer mode the one
 * not in use takes the write, and a write to the one in use sets TEIF and
 * disables the stream (10.3.9, 10.5.8, 10.5.9).
 */
static void mar_write(struct stm32_dma_hw *d, unsigned int n, bool m1, u32 val)
{
	struct stm32_dma_hw_stream *s = &d->e.s[n];

	if (s->state == STM32_DMA_HW_IDLE || !s->cfg.dbm)
		return;
	if (!!(s->cr & DMA_SxCR_CT) == m1) {
		stm32_dma_hw_abort(&d->e, n);
		return;
	}
	*(m1 ? &s->m1ar : &s->m0ar) = val;
}

static void m0ar_write(struct stm32_dma_hw *d, unsigned int n, u32 old, u32 val)
{
	mar_write(d, n, false, val);
}

static void m1ar_write(struct stm32_dma_hw *d, unsigned int n, u32 old, u32 val)
{
	mar_write(d, n, true, val);
}

/* SxFCR: FS is the FIFO's level now (10.5.10). */
static u32 fcr_read(struct stm32_dma_hw *d, unsigned int n, u32 stored)
{
	return (stored & ~DMA_SxFCR_FS_Msk) |
	       stm32_dma_hw_fifo_status(&d->e.s[n]) << DMA_SxFCR_FS_Pos;
}

#define STREAM_REG(r) offsetof(struct stm32_dma_hw_stream, r)

static const struct stm32_dma_hw_reg global_regs[] = {
	{ DMA_LISR, "LISR", 0, 0, 0, 0, NO_FIELD, isr_read, NULL },
	{ DMA_HISR, "HISR", 0, 0, 0, 0, NO_FIELD, isr_read, NULL },
	{ DMA_LIFCR, "LIFCR", 0, 0, 0, DMA_xISR_MASK, NO_FIELD, ifcr_read, ifcr_write },
	{ DMA_HIFCR, "HIFCR", 0, 0, 0, DMA_xISR_MASK, NO_FIELD, ifcr_read, ifcr_write },
};

static const struct stm32_dma_hw_reg stream_regs[] = {
	{ DMA_SxCR, "SxCR", 0, DMA_SxCR_RW, DMA_SxCR_RW_ENABLED, 0, STREAM_REG(cr), NULL, cr_write },
	{ DMA_SxNDTR, "SxNDTR", 0, DMA_SxNDTR_NDT, 0, 0, STREAM_REG(ndtr), NULL, ndtr_write },
	{ DMA_SxPAR, "SxPAR", 0, ~0u, 0, 0, STREAM_REG(par), NULL, NULL },
	{ DMA_SxM0AR, "SxM0AR", 0, ~0u, 0, 0, STREAM_REG(m0ar), NULL, m0ar_write },
	{ DMA_SxM1AR, "SxM1AR", 0, ~0u, 0, 0, STREAM_REG(m1ar), NULL, m1ar_write },
	{ DMA_SxFCR, "SxFCR", DMA_SxFCR_RESET, DMA_SxFCR_RW, DMA_SxFCR_FEIE, 0, STREAM_REG(fcr),
	  fcr_read, NULL },
};

/* The register at @off and its stream (or group); NULL for a reserved offset. */
static const struct stm32_dma_hw_reg *reg_at(u32 off, unsigned int *n)
{
	if (off < DMA_S0) {
		*n = (off / 4) & 1; /* LISR/LIFCR: group 0; HISR/HIFCR: group 1 */
		return &global_regs[off / 4];
	}
	if (off >= DMA_REGS_END)
		return NULL;
	*n = (off - DMA_S0) / DMA_SxSTRIDE;
	return &stream_regs[(off - DMA_S0) % DMA_SxSTRIDE / 4];
}

static u32 *stored(struct stm32_dma_hw *d, const struct stm32_dma_hw_reg *reg, unsigned int n)
{
	return reg->field != NO_FIELD ? (u32 *)((u8 *)&d->e.s[n] + reg->field) : NULL;
}

static u32 stm32_dma_hw_read(void *priv, u32 off, unsigned int size)
{
	struct stm32_dma_hw *d = priv;
	const struct stm32_dma_hw_reg *reg;
	unsigned int n;
	u32 *v;

	sync(d);
	reg = reg_at(off, &n);
	if (!reg)
		return 0;
	v = stored(d, reg, n);
	return reg->read ? reg->read(d, n, v ? *v : 0) : *v;
}

static void stm32_dma_hw_write(void *priv, u32 off, u32 val, unsigned int size)
{
	struct stm32_dma_hw *d = priv;
	const struct stm32_dma_hw_reg *reg;
	unsigned int n;
	u32 *v, old = 0;

	sync(d);
	reg = reg_at(off, &n);
	if (!reg)
		return;
	v = stored(d, reg, n);
	if (v) {
		u32 mask = d->e.s[n].state == STM32_DMA_HW_IDLE ? reg->rw : reg->rw_enabled;

		old = *v;
		*v = (old & ~mask) | (val & mask);
	}
	if (reg->write)
		reg->write(d, n, old, reg->w1c ? val & reg->w1c : val);
	for (unsigned int i = 0; i < STM32_DMA_HW_STREAMS; i++)
		d->e.s[i].lines_dirty = true; /* an enable or a flag may have changed */
	input(d);
}

static const struct dmae_hw_regs_ops stm32_dma_hw_ops = {
	.read = stm32_dma_hw_read,
	.write = stm32_dma_hw_write,
	.widths = DMAE_HW_W32, /* 32-bit accesses only (10.2) */
};

/* ------------------------------------------------------- request lines */

static void stm32_dma_hw_request(void *priv, unsigned int line, bool level)
{
	struct stm32_dma_hw *d = priv;
	struct stm32_dma_hw_stream *s = &d->e.s[line];

	sync(d); /* (nothing to do when a peripheral answers one of our beats) */
	if (s->req == level)
		return;
	s->req = level;
	input(d);
}

/* ------------------------------------------------------------ instance */

static void reset(struct stm32_dma_hw *d)
{
	struct stm32_dma_hw_engine *e = &d->e;

	memset(e, 0, sizeof(*e));
	e->kick = STM32_DMA_HW_NONE;
	e->owner[0] = e->owner[1] = -1;
	for (unsigned int n = 0; n < STM32_DMA_HW_STREAMS; n++)
		for (unsigned int i = 0; i < ARRAY_SIZE(stream_regs); i++)
			*stored(d, &stream_regs[i], n) = stream_regs[i].reset;
}

static int timing_prop(struct stm32_dma_hw *d, const char *name, u32 dflt, u32 min, u32 *out)
{
	if (of_property_read_u32(dmae_hw_node(d->hw), name, out))
		*out = dflt;
	if (*out >= min)
		return 0;
	dmae_hw_log(d->hw, DMAE_LOG_ERR, "%s = <%u>: must be at least %u", name, *out, min);
	return -EINVAL;
}

/* The timing parameters: the node's dmaengine,cycles-* properties, or the defaults. */
static int timing(struct stm32_dma_hw *d)
{
	struct stm32_dma_hw_timing *t = &d->t;

	return timing_prop(d, "dmaengine,cycles-arbitration", CYCLES_ARBITRATION, 0,
			   &t->arbitration) ?:
	       timing_prop(d, "dmaengine,cycles-burst", CYCLES_BURST, 0, &t->burst) ?:
	       timing_prop(d, "dmaengine,cycles-per-beat", CYCLES_PER_BEAT, 1, &t->beat) ?:
	       timing_prop(d, "dmaengine,cycles-per-register-beat", CYCLES_PER_REGISTER_BEAT, 1,
			   &t->reg_beat);
}

static int stm32_dma_hw_create(struct dmae_hw *hw)
{
	struct stm32_dma_hw *d = dmae_hw_priv(hw);
	u64 start, size;
	int ret;

	d->hw = hw;
	d->sim = dmae_hw_sim(hw);
	d->hz = dmae_hw_clock_hz(hw, 0);
	if (!d->hz) {
		dmae_hw_log(hw, DMAE_LOG_ERR, "no clock: the node needs clocks or clock-frequency");
		return -EINVAL;
	}
	if (dmae_hw_reg(hw, 0, &start, &size) || size < DMA_REGS_END) {
		dmae_hw_log(hw, DMAE_LOG_ERR, "reg must cover the registers (%#x bytes)",
			    DMA_REGS_END);
		return -EINVAL;
	}
	ret = timing(d);
	if (ret)
		return ret;
	d->step_beats = of_property_read_bool(dmae_hw_node(hw), "dmaengine,step-beats");
	reset(d);
	dmae_sim_event_init(&d->ev, stm32_dma_hw_event, "stm32-dma");
	d->requests = (struct dmae_hw_port){ .name = "requests", .nr = STM32_DMA_HW_STREAMS,
					     .set = stm32_dma_hw_request, .priv = d };
	ret = dmae_hw_export_port(hw, &d->requests);
	if (ret)
		return ret;
	stm32_dma_hw_ram_scan(d);
	return dmae_hw_map_regs(hw, start, size, &stm32_dma_hw_ops, d);
}

static void stm32_dma_hw_destroy(struct dmae_hw *hw)
{
	struct stm32_dma_hw *d = dmae_hw_priv(hw);

	dmae_sim_cancel(d->sim, &d->ev);
}

static const char *const stm32_dma_hw_compat[] = { "st,stm32-dma", NULL };

static const struct dmae_hw_model stm32_dma_hw_model = {
	.name = "stm32-dma",
	.compatible = stm32_dma_hw_compat,
	.priv_size = sizeof(struct stm32_dma_hw),
	.create = stm32_dma_hw_create,
	.destroy = stm32_dma_hw_destroy,
};
DMAE_HW_MODEL(stm32_dma_hw_model);
