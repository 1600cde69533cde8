// SPDX-License-Identifier: MIT
/*
 * stm32-dma-engine.c - the STM32 DMA model's transfer engine: each stream's
 * machine (FIFO and threshold, packing, bursts, direct mode, circular and
 * double-buffer mode), the two ports' arbiters, the flags a transfer sets,
 * and runs of beats worked out at once while one stream has the controller
 * to itself.
 *
 * The engine counts cycles of the controller's clock. A stream does one
 * single or burst at a time, on whichever port it needs; each port serves
 * one stream at a time, granted by priority (PL, then the lower stream
 * number, RM0090 10.3.4) at every single or burst. Memory beats are applied
 * lazily, when someone looks (stm32_dma_hw_apply); what must happen at its
 * own time (a register beat, an interrupt line rising, a TCIF the MDMA
 * hears) is found ahead by a plan (stm32_dma_hw_plan), run on a copy of the
 * streams without touching the bus. docs/hw-stm32-dma.md has the rules.
 */
#include <stddef.h>
#include <string.h>

#include "stm32-dma-hw.h"

#define SNAPS 16	   /* states remembered to find a run's period */
#define PLAN_STEPS 4096	   /* completions a plan works through before it rests */
#define JUMP_MARGIN 16	   /* bytes kept clear of a buffer's end and middle */
#define STREAMS STM32_DMA_HW_STREAMS
#define FIFO STM32_DMA_HW_FIFO
#define NONE STM32_DMA_HW_NONE

/* A stream's state at an arbitration, to find the period of a run. */
struct snap {
	u64 cycle;  /* when */
	u32 ndtr;   /* items left on the peripheral side */
	u32 mofs;   /* memory side's bytes in the buffer */
	u32 epoch;  /* the stream's epoch: equal, no buffer end or flag came between */
	u8 level;   /* FIFO level */
	u16 modes;  /* drain (bytes), refill, starved */
};

/* One run of the engine: an apply (data, bus) or a plan (times only). */
struct run {
	struct stm32_dma_hw *d;		 /* the controller */
	struct stm32_dma_hw_engine *e;	 /* the streams it moves */
	bool apply;			 /* bus accesses and data; else a plan */
	u64 until;			 /* apply: the last cycle to reach */
	u64 notable;			 /* plan: the first cycle something must happen at */
	u32 steps;			 /* plan: completions so far */
	int solo;			 /* the stream whose states snaps holds, -1 */
	u32 nsnap;			 /* states in snaps (a ring) */
	struct snap snaps[SNAPS];	 /* its recent states at arbitrations */
};

/* Each stream in mask @m (a stream's bit is 1 << n), lowest first, as @i. */
#define for_each_stream(i, m) \
	for (u32 _m = (m); _m && ((i) = (unsigned int)__builtin_ctz(_m), true); _m &= _m - 1)

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

/* ------------------------------------------------------------ addresses */

/* The side data comes from: the peripheral side, except in memory-to-peripheral. */
static bool src_is_p(const struct stm32_dma_hw_stream *s)
{
	return s->cfg.dir != DMA_DIR_M2P;
}

/* The peripheral side's next item: SxPAR never moves (RM0090 10.5.7), an index does. */
static u32 paddr(const struct stm32_dma_hw_stream *s)
{
	return s->par + (s->ndt - s->ndtr) * s->cfg.pstep;
}

/* The memory side's next byte: the buffer CT names in double-buffer mode (10.3.9). */
static u32 maddr(const struct stm32_dma_hw_stream *s)
{
	u32 base = s->cfg.dbm && (s->cr & DMA_SxCR_CT) ? s->m1ar : s->m0ar;

	return base + (s->cfg.minc ? s->mofs : 0);
}

/* Whether a burst of @len bytes at @addr crosses a 1 KB boundary (10.3.11). */
static bool crosses_1k(u32 addr, u32 len)
{
	return (addr >> 10) != ((addr + len - 1) >> 10);
}

/* Bytes the destination has received in this buffer (HTIF and TCIF count these). */
static u32 dest_done(const struct stm32_dma_hw_stream *s)
{
	return src_is_p(s) ? s->mofs : (s->ndt - s->ndtr) * s->cfg.psize;
}

/* ---------------------------------------------------------------- flags */

static void set_flag(struct stm32_dma_hw_stream *s, u8 flag)
{
	s->flags |= flag;
	s->epoch++;
	s->lines_dirty = true;
}

bool stm32_dma_hw_line(const struct stm32_dma_hw_stream *s)
{
	u8 en = 0;

	en |= s->cr & DMA_SxCR_TCIE ? DMA_TCIF : 0;
	en |= s->cr & DMA_SxCR_HTIE ? DMA_HTIF : 0;
	en |= s->cr & DMA_SxCR_TEIE ? DMA_TEIF : 0;
	en |= s->cr & DMA_SxCR_DMEIE ? DMA_DMEIF : 0;
	en |= s->fcr & DMA_SxFCR_FEIE ? DMA_FEIF : 0;
	return s->flags & en;
}

u32 stm32_dma_hw_fifo_status(const struct stm32_dma_hw_stream *s)
{
	if (!s->level)
		return DMA_FS_EMPTY;
	if (s->level == FIFO)
		return DMA_FS_FULL;
	return s->level / 4u;
}

/* The stream stops: EN reads 0 from now on (10.3.13). */
static void halt(struct stm32_dma_hw_engine *e, struct stm32_dma_hw_stream *s)
{
	if (s->busy)
		e->owner[s->xf.port] = -1;
	s->busy = false;
	s->state = STM32_DMA_HW_IDLE;
	s->cr &= ~DMA_SxCR_EN;
	s->epoch++;
	e->active &= (u8)~(1u << (s - e->s));
}

void stm32_dma_hw_abort(struct stm32_dma_hw_engine *e, unsigned int n)
{
	struct stm32_dma_hw_stream *s = &e->s[n];

	set_flag(s, DMA_TEIF);
	halt(e, s);
}

/* ---------------------------------------------------- choosing the next op */

static void xf_set(struct stm32_dma_hw_xfer *xf, u8 port, bool fill, u8 beats, u8 width, u8 take)
{
	*xf = (struct stm32_dma_hw_xfer){ .port = port, .fill = fill, .beats = beats,
					  .width = width, .take = take };
}

/* Beats of the peripheral side's next single or burst: singles for a tail (10.3.11). */
static u8 pbeats(const struct stm32_dma_hw_stream *s)
{
	return s->ndtr >= s->cfg.pburst ? s->cfg.pburst : 1;
}

/*
 * A burst that would cross a 1 KB boundary is done as singles (RM0090
 * 10.3.11: the silicon's AHB error is not reported in the DMA's registers).
 */
static void split_1k(struct stm32_dma_hw_xfer *xf, u32 addr, bool inc)
{
	if (xf->beats > 1 && inc && crosses_1k(addr, (u32)xf->beats * xf->width)) {
		xf->split = xf->beats * xf->width;
		xf->beats = 1;
	}
}

/* Peripheral-to-memory and memory-to-memory: a read from the peripheral side. */
static bool fill_p(struct run *r, struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	u8 beats = pbeats(s);

	if (s->state != STM32_DMA_HW_RUN || !s->ndtr || (c->dir == DMA_DIR_P2M && !s->req))
		return false;
	if ((unsigned int)beats * c->psize > FIFO - s->level)
		return false;
	xf_set(xf, STM32_DMA_HW_PPORT, true, beats, c->psize, c->psize);
	split_1k(xf, paddr(s), c->pstep);
	return true;
}

/* The source side is done (NDTR 0, not circular) or the stream was disabled: flush. */
static bool flushing(const struct stm32_dma_hw_stream *s)
{
	return s->state == STM32_DMA_HW_STOP || (!s->cfg.circ && !s->ndtr);
}

/*
 * Peripheral-to-memory and memory-to-memory: a write to memory. In FIFO
 * mode, each time the level reaches the threshold, the threshold's content
 * goes out, in whole bursts (10.3.6, table 49); a flush writes all that is
 * left, in singles below a burst, and a last partial unit at MSIZE (10.3.12).
 */
static bool drain_m(struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	u32 left = c->mtot - s->mofs, burst = (u32)c->mburst * c->msize;
	bool flush = flushing(s);
	u8 take;

	if (!s->level || !left || (!c->direct && !s->drain && !flush))
		return false;
	if (c->mburst > 1 && s->level >= burst && left >= burst && (flush || s->drain >= burst)) {
		xf_set(xf, STM32_DMA_HW_MPORT, false, c->mburst, c->msize, c->msize);
		split_1k(xf, maddr(s), c->minc);
		return true;
	}
	if (c->mburst > 1 && left >= burst && !flush)
		return false; /* a burst's worth has not come yet */
	take = (u8)min_u32(c->msize, left);
	if (s->level < take && !flush)
		return false;
	xf_set(xf, STM32_DMA_HW_MPORT, false, 1, c->msize, (u8)min_u32(take, s->level));
	return true;
}

/* Memory-to-peripheral: a write to the peripheral, on its request, from the FIFO. */
static bool drain_p(struct run *r, struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	u8 beats = pbeats(s);

	if (s->state != STM32_DMA_HW_RUN || !s->req || !s->ndtr)
		return false;
	if (s->level < (unsigned int)beats * c->psize)
		return false;
	xf_set(xf, STM32_DMA_HW_PPORT, false, beats, c->psize, c->psize);
	split_1k(xf, paddr(s), c->pstep);
	return true;
}

/*
 * Memory-to-peripheral: the size of the memory side's next read (a burst,
 * or a single for a tail shorter than one), and whether the FIFO has room.
 */
static bool m_fill_fits(const struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	u32 left = c->mtot - s->mofs, burst = (u32)c->mburst * c->msize, space = FIFO - s->level;

	if (!left)
		return false;
	if (c->mburst > 1 && left >= burst) {
		xf_set(xf, STM32_DMA_HW_MPORT, true, c->mburst, c->msize, c->msize);
		return space >= burst;
	}
	xf_set(xf, STM32_DMA_HW_MPORT, true, 1, c->msize, (u8)min_u32(c->msize, left));
	return space >= xf->take;
}

/* Memory-to-peripheral: a read from memory into the FIFO (its prefetch and reloads). */
static bool fill_m(struct run *r, struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	if (s->state != STM32_DMA_HW_RUN || !m_fill_fits(s, xf))
		return false;
	if (s->cfg.direct ? s->level != 0 : !s->refill) /* direct mode preloads one item (10.3.6) */
		return false;
	split_1k(xf, maddr(s), s->cfg.minc);
	return true;
}

/* The destination's op, then the source's. */
static bool dest_op(struct run *r, struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	return src_is_p(s) ? drain_m(s, xf) : drain_p(r, s, xf);
}

static bool src_op(struct run *r, struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	return src_is_p(s) ? fill_p(r, s, xf) : fill_m(r, s, xf);
}

static u8 dest_port(const struct stm32_dma_hw_stream *s)
{
	return src_is_p(s) ? STM32_DMA_HW_MPORT : STM32_DMA_HW_PPORT;
}

/*
 * choose - the op stream @s takes now: its destination's if that port is
 * free and it has one, else its source's. A stream feeds its destination
 * first (10.3.6: "when the threshold level is reached, the FIFO contents
 * are drained"; a peripheral request to memory-to-peripheral is served
 * before the reload).
 */
static bool choose(struct run *r, struct stm32_dma_hw_stream *s, struct stm32_dma_hw_xfer *xf)
{
	const struct stm32_dma_hw_engine *e = r->e;
	u8 dp = dest_port(s);

	if (e->owner[dp] < 0 && dest_op(r, s, xf))
		return true;
	return e->owner[dp ^ 1] < 0 && src_op(r, s, xf);
}

/* ------------------------------------------------------- stream machine */

/* The FIFO's modes follow its level (10.3.6); a disabled stream finishes (10.3.14). */
static void settle(struct run *r, struct stm32_dma_hw_stream *s)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	struct stm32_dma_hw_xfer probe;

	if (s->state == STM32_DMA_HW_IDLE || s->busy)
		return;
	if (s->state == STM32_DMA_HW_STOP && (!src_is_p(s) || !s->level)) {
		set_flag(s, DMA_TCIF); /* set after any disable by software (10.3.14) */
		halt(r->e, s);
		return;
	}
	if (c->direct)
		return;
	if (src_is_p(s)) {
		if (!s->drain && s->level >= c->fth)
			s->drain = c->fth; /* the threshold's content goes out */
	} else {
		if (s->level <= c->fth)
			s->refill = true;
		if (s->refill && !m_fill_fits(s, &probe))
			s->refill = false; /* fully reloaded (10.3.6) */
	}
}

/*
 * Over- and underrun (10.3.18): a request the stream cannot serve for lack
 * of FIFO space (to memory) or data (from memory) while it has no transfer
 * going; FEIF once per episode, and the stream goes on.
 */
static void check_starved(struct stm32_dma_hw_stream *s)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	unsigned int need = (unsigned int)pbeats(s) * c->psize;
	bool starved = false;

	if (s->state != STM32_DMA_HW_RUN || s->busy || !s->req || !s->ndtr || c->dir == DMA_DIR_M2M)
		starved = false;
	else if (c->dir == DMA_DIR_P2M)
		starved = FIFO - s->level < need;
	else
		starved = s->level < need;
	if (starved && !s->starved)
		set_flag(s, DMA_FEIF);
	s->starved = starved;
}

/* ----------------------------------------------------------------- beats */

/* The next cycle stream @s has something done: its next register beat, or its burst's end. */
static u64 next_point(const struct stm32_dma_hw_stream *s)
{
	const struct stm32_dma_hw_xfer *xf = &s->xf;
	u8 k = xf->regs ? xf->done + 1 : xf->beats;

	return xf->start + xf->lead + (u64)k * xf->beat;
}

/* The data of @n beats of @s's transfer, through the bus. Returns the beats that worked. */
static unsigned int beats_io(struct run *r, struct stm32_dma_hw_stream *s, unsigned int n)
{
	const struct stm32_dma_hw_xfer *xf = &s->xf;
	bool p = xf->port == STM32_DMA_HW_PPORT;
	u32 addr = p ? paddr(s) : maddr(s);
	u32 step = p ? s->cfg.pstep : (s->cfg.minc ? s->cfg.msize : 0);
	unsigned int len = n * xf->width, done;
	u8 buf[FIFO * 4];

	if (!xf->regs && addr % xf->width) { /* registers: the bus itself refuses it */
		dmae_hw_log(r->d->hw, DMAE_LOG_ERR,
			    "stream %d: a %u-byte beat at %#x is not aligned (RM0090 10.3.6): transfer error",
			    (int)(s - r->e->s), xf->width, addr);
		return 0;
	}
	if (!xf->fill)
		stm32_dma_hw_fifo_peek(s, buf, len);
	if ((n == 1 || step == xf->width) &&
	    (xf->regs || n == 1 || stm32_dma_hw_is_ram(r->d, addr, len)) &&
	    !stm32_dma_hw_bus(r->d, !xf->fill, addr, buf, len, xf->width))
		done = n;
	else if (n == 1)
		done = 0;
	else /* beat by beat, to fail exactly where the bus does */
		for (done = 0; done < n; done++)
			if (stm32_dma_hw_bus(r->d, !xf->fill, addr + done * step, buf + done * xf->width,
					     xf->width, xf->width))
				break;
	if (xf->fill)
		for (unsigned int i = 0; i < done; i++)
			stm32_dma_hw_fifo_push(s, buf + i * xf->width, xf->take);
	return done;
}

/* The peripheral side moved @n items: NDTR counts them, and reloads in circular mode (10.3.8). */
static void p_moved(struct stm32_dma_hw_stream *s, unsigned int n)
{
	s->ndtr -= n;
	if (!s->ndtr && s->cfg.circ && src_is_p(s)) {
		s->ndtr = s->ndt;
		s->epoch++;
	}
}

/* The memory side moved @n bytes: at its buffer's end the pointers swap in double-buffer mode. */
static void m_moved(struct stm32_dma_hw_stream *s, unsigned int n)
{
	s->mofs += n;
	if (s->mofs != s->cfg.mtot || !s->cfg.circ)
		return;
	s->mofs = 0;
	if (s->cfg.dbm)
		s->cr ^= DMA_SxCR_CT; /* CT toggles at each end of transfer (10.3.9) */
	s->epoch++;
}

/* The destination got more: HTIF at its half, TCIF at its end (10.3.17, 10.3.13). */
static void dest_moved(struct run *r, struct stm32_dma_hw_stream *s)
{
	u32 done = dest_done(s), total = s->cfg.mtot;
	bool end = src_is_p(s) ? s->mofs == total : !s->ndtr;

	if (!s->ht && 2ull * done >= total) {
		s->ht = true;
		set_flag(s, DMA_HTIF);
	}
	if (!end)
		return;
	set_flag(s, DMA_TCIF);
	r->d->tc |= r->apply ? (u8)(1u << (s - r->e->s)) : 0;
	if (!s->cfg.circ) {
		halt(r->e, s);
		return;
	}
	s->ht = false;
	if (src_is_p(s))
		m_moved(s, 0); /* wraps the memory side */
	else
		s->ndtr = s->ndt;
}

/*
 * The request stream @n was served is acknowledged at the end of the single
 * or burst that served it (RM0090 10.3.3: the peripheral releases its
 * request on the acknowledge; RM0490 12.4.4: a served request is
 * deasserted). The DMAMUX lowers a generated request at once: this cycle's
 * arbitration, which follows, sees the line low.
 */
static void ack(struct stm32_dma_hw *d, unsigned int n)
{
	dmae_hw_signal(d->acks, d->acks_base + n, true);
	dmae_hw_signal(d->acks, d->acks_base + n, false);
}

/* @n more beats of @s's transfer are done. */
static void beats_done(struct run *r, struct stm32_dma_hw_stream *s, unsigned int n)
{
	struct stm32_dma_hw_xfer *xf = &s->xf;
	bool p = xf->port == STM32_DMA_HW_PPORT;
	unsigned int ok = r->apply ? beats_io(r, s, n) : n;

	if (!xf->fill) {
		s->head = (u8)((s->head + ok * xf->take) % FIFO);
		s->level = (u8)(s->level - ok * xf->take);
		if (!p)
			s->drain = (u8)(s->drain > ok * xf->take ? s->drain - ok * xf->take : 0);
	} else if (!r->apply) {
		s->level = (u8)(s->level + ok * xf->take);
	}
	xf->done = (u8)(xf->done + ok);
	if (p)
		p_moved(s, ok);
	else if (src_is_p(s) || !ok)
		s->mofs += ok * xf->take;
	else
		m_moved(s, ok * xf->take);
	if (!xf->fill && ok)
		dest_moved(r, s);
	if (ok < n) {
		stm32_dma_hw_abort(r->e, (unsigned int)(s - r->e->s));
		return;
	}
	if (s->busy && xf->done == xf->beats) {
		s->busy = false;
		r->e->owner[xf->port] = -1;
		if (p && r->apply && stm32_dma_hw_acks(r->d, s))
			ack(r->d, (unsigned int)(s - r->e->s));
	}
}

/* -------------------------------------------------------------- planning */

static void notable_at(struct run *r, u64 cycle)
{
	r->notable = min_u64(r->notable, cycle);
}

/*
 * In a plan, for a transfer granted (or found on a port as the plan
 * begins): its beats still to come that must happen at their own time: a
 * register beat, a beat the bus would refuse (the RAM the tree describes is
 * the hint), the beat where HTIF raises the line.
 */
static void plan_xfer(struct run *r, struct stm32_dma_hw_stream *s)
{
	const struct stm32_dma_hw_xfer *xf = &s->xf;
	bool p = xf->port == STM32_DMA_HW_PPORT;
	u32 addr = p ? paddr(s) : maddr(s);
	u32 step = p ? s->cfg.pstep : (s->cfg.minc ? s->cfg.msize : 0);
	u64 next = xf->start + xf->lead + (u64)(xf->done + 1) * xf->beat;

	if (xf->regs) {
		notable_at(r, next);
		return;
	}
	if (p && stm32_dma_hw_acks(r->d, s)) /* its acknowledge, at its own time */
		notable_at(r, xf->start + xf->lead + (u64)xf->beats * xf->beat);
	for (unsigned int k = 0; k < (unsigned int)(xf->beats - xf->done); k++)
		if (!stm32_dma_hw_is_ram(r->d, addr + k * step, xf->width) || addr % xf->width) {
			notable_at(r, next + (u64)k * xf->beat);
			return;
		}
	if (!xf->fill && !s->ht && (s->cr & DMA_SxCR_HTIE) && !s->irq) {
		u64 need = (s->cfg.mtot + 1) / 2, done = dest_done(s);
		u64 k = done >= need ? 1 : (need - done + xf->take - 1) / xf->take;

		if (k <= (u64)(xf->beats - xf->done))
			notable_at(r, next + (k - 1) * xf->beat);
	}
}

/* In a plan, after a step: a line of stream in @was that rises, a TCIF the MDMA must hear. */
static void plan_lines(struct run *r, u64 cycle, u32 was, const u8 *flags_before)
{
	unsigned int i;

	for_each_stream(i, was) {
		struct stm32_dma_hw_stream *s = &r->e->s[i];
		bool tc = (s->flags & ~flags_before[i]) & DMA_TCIF;

		if (stm32_dma_hw_line(s) && !s->irq) {
			s->irq = true;
			notable_at(r, cycle);
		}
		if (tc && r->d->mdma)
			notable_at(r, cycle);
	}
}

/* ----------------------------------------------------------- arbitration */

static void grant(struct run *r, struct stm32_dma_hw_stream *s, const struct stm32_dma_hw_xfer *xf)
{
	const struct stm32_dma_hw_timing *t = &r->d->t;
	struct stm32_dma_hw_engine *e = r->e;
	u32 addr;

	s->xf = *xf;
	addr = xf->port == STM32_DMA_HW_PPORT ? paddr(s) : maddr(s);
	s->xf.start = e->now;
	s->xf.regs = dmae_hw_bus_is_regs(r->d->hw, addr);
	s->xf.lead = t->arbitration + t->burst;
	s->xf.beat = s->xf.regs ? t->reg_beat : t->beat;
	s->busy = true;
	e->owner[xf->port] = (s8)(s - e->s);
	if (xf->split && r->apply && !s->warned) {
		s->warned = true;
		dmae_hw_log(r->d->hw, DMAE_LOG_WARN,
			    "stream %d: a %u-byte burst at %#x would cross a 1 KB boundary (an AHB error the DMA does not report, RM0090 10.3.11): done as single transfers",
			    (int)(s - e->s), xf->split, addr);
	}
	/* Direct mode, to memory, fixed address: a second item before the first left (10.3.18). */
	if (xf->fill && s->cfg.direct && s->cfg.dir == DMA_DIR_P2M && !s->cfg.minc && s->level)
		set_flag(s, DMA_DMEIF);
	if (!r->apply)
		plan_xfer(r, s);
}

/* The enabled streams in the order the arbiters favour them: PL, then the lower number. */
static unsigned int by_priority(const struct stm32_dma_hw_engine *e, u8 *order)
{
	unsigned int i, n = 0;

	for_each_stream(i, e->active) {
		unsigned int j = n++;

		while (j && e->s[order[j - 1]].cfg.pl < e->s[i].cfg.pl) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (u8)i;
	}
	return n;
}

/* Whether a run of @s could repeat: both sides step through memory, bursts aligned. */
static bool repeatable(const struct stm32_dma_hw_stream *s)
{
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	u32 pb = (u32)c->pburst * c->psize, mb = (u32)c->mburst * c->msize;

	if (s->state != STM32_DMA_HW_RUN || c->pstep != c->psize || !c->minc)
		return false;
	if (c->pburst > 1 && s->par % pb)
		return false;
	return c->mburst == 1 || (!(s->m0ar % mb) && (!c->dbm || !(s->m1ar % mb)));
}

/*
 * The one stream with anything to do while no transfer is on a port, if its
 * run could repeat; else -1.
 */
static int solo(struct run *r)
{
	struct stm32_dma_hw_xfer probe;
	int who = -1;
	unsigned int i;

	if (r->e->owner[0] >= 0 || r->e->owner[1] >= 0 || r->e->kick != NONE)
		return -1;
	for_each_stream(i, r->e->active) {
		struct stm32_dma_hw_stream *s = &r->e->s[i];
		/* Each acknowledge is an input of the DMAMUX's at its own time: no run skipped. */
		bool rep = repeatable(s) && !stm32_dma_hw_acks(r->d, s);

		if (!rep && !s->busy && who < 0 && r->e->active == 1u << i)
			return -1; /* alone, but it never repeats: no need to look further */
		if (!choose(r, s, &probe))
			continue;
		if (who >= 0 || !rep)
			return -1;
		who = (int)i;
	}
	return who;
}

/* How many more periods of @per bytes fit before @limit, keeping one period and a margin. */
static u64 periods_before(u64 done, u64 limit, u64 per)
{
	u64 keep = per + JUMP_MARGIN;

	return done + keep >= limit ? 0 : (limit - done - keep) / per;
}

/* The periods of @len bytes each that both sides' memory can take from here (the hint). */
static u64 periods_in_ram(struct run *r, u32 src, u32 dst, u64 per, u64 k)
{
	while (k && (!stm32_dma_hw_is_ram(r->d, src, k * per) ||
		     !stm32_dma_hw_is_ram(r->d, dst, k * per)))
		k /= 2;
	/* Reads run ahead of writes by at most a FIFO: the two must not meet. */
	if (k && src < (u64)dst + k * per + 2 * FIFO && dst < (u64)src + k * per + 2 * FIFO)
		return 0;
	return k;
}

/*
 * The data of @k periods of @per bytes at once: the FIFO's bytes first,
 * then the source's, with the FIFO ending as stepping would leave it.
 */
static bool jump_data(struct run *r, struct stm32_dma_hw_stream *s, u32 src, u32 dst, u64 total)
{
	u8 buf[FIFO];
	unsigned int push = (s->head + s->level) % FIFO;

	if (s->level) {
		stm32_dma_hw_fifo_peek(s, buf, s->level);
		if (stm32_dma_hw_bus(r->d, true, dst, buf, s->level, 1))
			return false;
	}
	if (stm32_dma_hw_stream_copy(r->d, dst + s->level, src, total - s->level) !=
	    total - s->level)
		return false;
	if (stm32_dma_hw_bus(r->d, false, src + total - FIFO, buf, FIFO, 1))
		return false;
	for (unsigned int j = 0; j < FIFO; j++)
		s->fifo[(push + total - FIFO + j) % FIFO] = buf[j];
	return true;
}

/* Skip @k whole periods of stream @s, found between @old and now. */
static bool jump(struct run *r, struct stm32_dma_hw_stream *s, const struct snap *old)
{
	struct stm32_dma_hw_engine *e = r->e;
	const struct stm32_dma_hw_cfg *c = &s->cfg;
	u64 dc = e->now - old->cycle, dn = old->ndtr - s->ndtr, dm = s->mofs - old->mofs;
	u64 per = dn * c->psize, k = NONE;
	u32 src = src_is_p(s) ? paddr(s) : maddr(s), dst = src_is_p(s) ? maddr(s) : paddr(s);

	if (!dc || !per || per != dm)
		return false;
	if (r->apply)
		k = (r->until - e->now) / dc;
	k = min_u64(k, periods_before((u64)(s->ndt - s->ndtr) + c->pburst, s->ndt, dn));
	k = min_u64(k, periods_before(s->mofs + (u64)c->mburst * c->msize, c->mtot, dm));
	/* The half may be jumped over, unless a plan must find when HTIF raises the line. */
	if (!s->ht && !r->apply && (s->cr & DMA_SxCR_HTIE) && !s->irq)
		k = min_u64(k, periods_before(dest_done(s), c->mtot / 2, per));
	k = periods_in_ram(r, src, dst, per, k);
	if (k * per < FIFO)
		return false;
	if (r->apply && !jump_data(r, s, src, dst, k * per))
		return false;
	e->now += k * dc;
	s->ndtr -= (u32)(k * dn);
	s->mofs += (u32)(k * dm);
	s->head = (u8)((s->head + k * per) % FIFO);
	if (!s->ht && 2ull * dest_done(s) >= c->mtot) {
		s->ht = true;
		set_flag(s, DMA_HTIF);
	}
	return true;
}

/*
 * A stream alone on the controller repeats itself: when its state at an
 * arbitration matches one seen before (with nothing in between that breaks
 * the pattern), the run's period is known, and whole periods are skipped.
 */
static void try_jump(struct run *r)
{
	int who = r->d->step_beats ? -1 : solo(r);
	struct stm32_dma_hw_stream *s;
	struct snap now;

	if (who < 0 || who != r->solo)
		r->nsnap = 0;
	r->solo = who;
	if (who < 0)
		return;
	s = &r->e->s[who];
	now = (struct snap){ .cycle = r->e->now, .ndtr = s->ndtr, .mofs = s->mofs,
			     .epoch = s->epoch, .level = s->level,
			     .modes = (u16)(s->drain | s->refill << 8 | s->starved << 9) };
	for (u32 i = 0; i < min_u32(r->nsnap, SNAPS); i++) {
		const struct snap *o = &r->snaps[i];

		if (o->epoch == now.epoch && o->level == now.level && o->modes == now.modes &&
		    jump(r, s, o)) {
			r->nsnap = 0;
			return;
		}
	}
	r->snaps[r->nsnap++ % SNAPS] = now;
}

/* Every stream settles, then each free port goes to the stream the arbiters favour. */
static void arbitrate(struct run *r)
{
	struct stm32_dma_hw_engine *e = r->e;
	u8 order[STREAMS];
	unsigned int i, n;

	for_each_stream(i, e->active)
		settle(r, &e->s[i]);
	try_jump(r);
	n = by_priority(e, order);
	for (i = 0; i < n; i++) {
		struct stm32_dma_hw_stream *s = &e->s[order[i]];
		struct stm32_dma_hw_xfer xf;

		if (s->state != STM32_DMA_HW_IDLE && !s->busy && choose(r, s, &xf))
			grant(r, s, &xf);
	}
	for_each_stream(i, e->active)
		check_starved(&e->s[i]);
}

/* --------------------------------------------------------------- the run */

static u64 next_time(const struct stm32_dma_hw_engine *e)
{
	u64 t = e->kick;
	unsigned int i;

	for_each_stream(i, e->active)
		if (e->s[i].busy)
			t = min_u64(t, next_point(&e->s[i]));
	return t;
}

/* Everything due at cycle @t: beats in stream order, then the arbiters. */
static void step(struct run *r, u64 t)
{
	struct stm32_dma_hw_engine *e = r->e;
	u32 was = e->active;
	u8 before[STREAMS];
	unsigned int i;

	for_each_stream(i, was)
		before[i] = e->s[i].flags;
	e->now = t;
	for_each_stream(i, was) {
		struct stm32_dma_hw_stream *s = &e->s[i];

		if (s->busy && next_point(s) == t)
			beats_done(r, s, s->xf.regs ? 1u : (unsigned int)(s->xf.beats - s->xf.done));
	}
	if (e->kick <= t)
		e->kick = NONE;
	arbitrate(r);
	if (!r->apply)
		plan_lines(r, e->now, was, before);
}

/* Apply: the beats of transfers in progress that end by the run's last cycle. */
static void finish_partial(struct run *r)
{
	unsigned int i;

	for_each_stream(i, r->e->active) {
		struct stm32_dma_hw_stream *s = &r->e->s[i];
		const struct stm32_dma_hw_xfer *xf = &s->xf;
		u64 first = xf->start + xf->lead + xf->beat;
		u64 k;

		if (!s->busy || xf->regs || r->until < first)
			continue;
		k = min_u64(xf->beats, (r->until - xf->start - xf->lead) / xf->beat);
		if (k > xf->done)
			beats_done(r, s, (unsigned int)(k - xf->done));
	}
}

static void run(struct run *r)
{
	r->solo = -1;
	for (;;) {
		u64 t = next_time(r->e);

		if (t == NONE || (r->apply ? t > r->until : t >= r->notable))
			break;
		if (!r->apply && ++r->steps > PLAN_STEPS) {
			notable_at(r, t); /* rest here: an event picks it up */
			break;
		}
		step(r, t);
	}
	if (r->apply) {
		finish_partial(r);
		if (r->e->now < r->until)
			r->e->now = r->until;
	}
}

void stm32_dma_hw_apply(struct stm32_dma_hw *d, u64 until)
{
	struct run r = { .d = d, .e = &d->e, .apply = true, .until = until, .notable = NONE };

	d->in_engine = true;
	run(&r);
	d->in_engine = false;
}

u64 stm32_dma_hw_plan(struct stm32_dma_hw *d)
{
	struct stm32_dma_hw_engine copy;
	struct run r = { .d = d, .e = &copy, .notable = NONE };
	unsigned int i;

	/* A plan only ever looks at the streams enabled as it starts. */
	memcpy(&copy, &d->e, offsetof(struct stm32_dma_hw_engine, s));
	for_each_stream(i, copy.active) {
		copy.s[i] = d->e.s[i];
		if (copy.s[i].busy)
			plan_xfer(&r, &copy.s[i]);
	}
	run(&r);
	return r.notable;
}

/* -------------------------------------------------------- enable, disable */

/* The forced bits of an enabled stream (RM0090 10.5.5, 10.5.10, 10.3.15). */
static void force_bits(struct stm32_dma_hw_stream *s)
{
	u32 cr = s->cr;

	if (((cr & DMA_SxCR_DIR_Msk) >> DMA_SxCR_DIR_Pos) == DMA_DIR_M2M) {
		s->fcr |= DMA_SxFCR_DMDIS; /* no direct mode in memory-to-memory */
		cr &= ~DMA_SxCR_PFCTRL;	   /* the DMA is the flow controller */
	}
	if (!(s->fcr & DMA_SxFCR_DMDIS)) { /* direct mode: MSIZE = PSIZE, single transfers */
		cr &= ~(DMA_SxCR_MSIZE_Msk | DMA_SxCR_MBURST_Msk | DMA_SxCR_PBURST_Msk);
		cr |= ((cr & DMA_SxCR_PSIZE_Msk) >> DMA_SxCR_PSIZE_Pos) << DMA_SxCR_MSIZE_Pos;
	}
	if (!(s->fcr & DMA_SxFCR_DMDIS) || (cr & DMA_SxCR_PBURST_Msk))
		cr &= ~DMA_SxCR_PINCOS;
	if (cr & DMA_SxCR_DBM)
		cr |= DMA_SxCR_CIRC;
	if (cr & DMA_SxCR_PFCTRL) {
		cr &= ~DMA_SxCR_CIRC;
		s->ndt = DMA_SxNDTR_NDT; /* whatever was written (10.3.15) */
	}
	s->cr = cr;
}

/* Table 49: the threshold's content must be whole memory bursts. */
static bool threshold_allowed(u32 fth_bytes, u32 msize, u32 mburst)
{
	return !((fth_bytes / msize) % mburst);
}

static u8 beats_of(u32 field)
{
	return (u8)(field ? 2u << field : 1u); /* single, INCR4, INCR8, INCR16 */
}

/* Latch what the stream runs with; 0, or -EINVAL for a reserved encoding. */
static int latch(struct stm32_dma_hw_stream *s)
{
	struct stm32_dma_hw_cfg *c = &s->cfg;
	u32 cr = s->cr, psz = (cr & DMA_SxCR_PSIZE_Msk) >> DMA_SxCR_PSIZE_Pos;
	u32 msz = (cr & DMA_SxCR_MSIZE_Msk) >> DMA_SxCR_MSIZE_Pos;

	c->dir = (u8)((cr & DMA_SxCR_DIR_Msk) >> DMA_SxCR_DIR_Pos);
	if (c->dir == 3 || psz == 3 || msz == 3)
		return -EINVAL;
	c->psize = (u8)(1u << psz);
	c->msize = (u8)(1u << msz);
	c->pburst = beats_of((cr & DMA_SxCR_PBURST_Msk) >> DMA_SxCR_PBURST_Pos);
	c->mburst = beats_of((cr & DMA_SxCR_MBURST_Msk) >> DMA_SxCR_MBURST_Pos);
	c->pstep = !(cr & DMA_SxCR_PINC) ? 0 : (cr & DMA_SxCR_PINCOS) ? 4 : c->psize;
	c->minc = cr & DMA_SxCR_MINC;
	c->direct = !(s->fcr & DMA_SxFCR_DMDIS);
	c->circ = cr & DMA_SxCR_CIRC;
	c->dbm = cr & DMA_SxCR_DBM;
	c->fth = (u8)(((s->fcr & DMA_SxFCR_FTH_Msk) + 1) * 4);
	c->pl = (u8)((cr & DMA_SxCR_PL_Msk) >> DMA_SxCR_PL_Pos);
	return 0;
}

void stm32_dma_hw_enable(struct stm32_dma_hw *d, unsigned int n)
{
	struct stm32_dma_hw_stream *s = &d->e.s[n];
	struct stm32_dma_hw_cfg *c = &s->cfg;
	u32 cr = s->cr, fcr = s->fcr, ndt = s->ndt;

	force_bits(s);
	if (latch(s)) {
		dmae_hw_log(d->hw, DMAE_LOG_ERR,
			    "stream %u: SxCR %#x has a reserved DIR, PSIZE or MSIZE: not enabled", n, cr);
		goto out_restore;
	}
	if (!c->direct && !threshold_allowed(c->fth, c->msize, c->mburst)) {
		set_flag(s, DMA_FEIF); /* and the stream disables itself (10.3.12) */
		goto out_restore;
	}
	s->ndtr = s->ndt; /* reloaded at each enable (10.5.6) */
	c->mtot = s->ndt * c->psize;
	s->mofs = 0;
	s->head = 0;
	s->level = 0;
	s->drain = 0;
	s->refill = c->dir == DMA_DIR_M2P;
	s->ht = false;
	s->starved = false;
	s->warned = false;
	s->state = STM32_DMA_HW_RUN;
	s->cr |= DMA_SxCR_EN;
	s->epoch++;
	d->e.active |= (u8)(1u << n);
	return;

out_restore: /* it never ran: the registers keep what software wrote */
	s->cr = cr;
	s->fcr = fcr;
	s->ndt = ndt;
}

void stm32_dma_hw_disable(struct stm32_dma_hw *d, unsigned int n)
{
	struct stm32_dma_hw_stream *s = &d->e.s[n];

	if (s->state == STM32_DMA_HW_RUN) {
		s->state = STM32_DMA_HW_STOP;
		s->epoch++;
	}
}
