// SPDX-License-Identifier: MIT
/*
 * cpu-fault.c - fault injection in the cpu provider: which descriptors get a
 * fault (every Nth of the device, counted across its channels), what the
 * worker does with them (fail, corrupt, delay), and the configuration by API
 * and by DMAENGINE_CPU_FAULT. See dmaengine/cpu.h for what each kind means.
 *
 * The worker asks cpu_fault_pick() as each descriptor starts; while nothing
 * is configured that is one load of cd->fault_armed. Everything else here
 * runs only for a device with a fault configured, and takes cd->fault_lock.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/bus.h>

#include "cpu-dma.h"
#include "raid/raid.h"

#define FAULT_DELAY_MAX_US 3600000000ull /* one hour */

static const char *const fault_names[] = {
	[DMA_CPU_FAULT_NONE] = "none",	     [DMA_CPU_FAULT_READ] = "read",
	[DMA_CPU_FAULT_WRITE] = "write",     [DMA_CPU_FAULT_CORRUPT] = "corrupt",
	[DMA_CPU_FAULT_DELAY] = "delay",
};

/* ------------------------------------------------------------ configuration */

static const char *fault_dev_name(struct cpu_dev *cd)
{
	return cd ? dev_name(&cd->dev) : "dma_cpu_params.fault";
}

/**
 * dmae__cpu_fault_check - is @f a fault @cd can inject? (@cd NULL: one in
 * dma_cpu_params, before the channels exist.) @return 0 or -EINVAL, after
 * one line saying why.
 */
int dmae__cpu_fault_check(struct cpu_dev *cd, const struct dma_cpu_fault *f)
{
	if ((unsigned int)f->kind > DMA_CPU_FAULT_DELAY) {
		dmae_log(DMAE_LOG_ERR, "cpu-dma: %s: unknown fault kind %d", fault_dev_name(cd),
			 (int)f->kind);
		return -EINVAL;
	}
	if (f->kind == DMA_CPU_FAULT_DELAY && (!f->delay_us || f->delay_us > FAULT_DELAY_MAX_US)) {
		dmae_log(DMAE_LOG_ERR, "cpu-dma: %s: fault delay of %llu us out of range (1 us to 1 hour)",
			 fault_dev_name(cd), (unsigned long long)f->delay_us);
		return -EINVAL;
	}
	if (f->kind && f->chan && !cd) {
		dmae_log(DMAE_LOG_ERR, "cpu-dma: dma_cpu_params.fault.chan must be NULL: the channels do not exist before probe");
		return -EINVAL;
	}
	if (f->kind && f->chan && f->chan->device != &cd->dma) {
		dmae_log(DMAE_LOG_ERR, "cpu-dma: %s: fault channel %s is not a channel of this device",
			 dev_name(&cd->dev), dma_chan_name(f->chan));
		return -EINVAL;
	}
	return 0;
}

/* One line saying what @cd injects from now on. */
static void fault_announce(struct cpu_dev *cd, const struct dma_cpu_fault *f)
{
	static const char *const what[] = {
		[DMA_CPU_FAULT_READ] = "read failures", [DMA_CPU_FAULT_WRITE] = "write failures",
		[DMA_CPU_FAULT_CORRUPT] = "corruption", [DMA_CPU_FAULT_DELAY] = "delays",
	};
	char count[32] = "no limit", nth[32] = "every descriptor", how[48] = "";

	if (f->kind == DMA_CPU_FAULT_DELAY)
		snprintf(how, sizeof(how), " of %llu us", (unsigned long long)f->delay_us);
	if (f->count)
		snprintf(count, sizeof(count), "at most %u", f->count);
	if (f->every_nth > 1)
		snprintf(nth, sizeof(nth), "one descriptor in %u", f->every_nth);
	dmae_log(DMAE_LOG_INFO, "cpu-dma: %s: injecting %s%s into %s on %s%s, %s",
		 dev_name(&cd->dev), what[f->kind], how, nth, f->chan ? "channel " : "every channel",
		 f->chan ? dma_chan_name(f->chan) : "", count);
}

/* Put @f (checked) in force on @cd; counting starts again. */
static void fault_set(struct cpu_dev *cd, const struct dma_cpu_fault *f)
{
	unsigned long flags;

	spin_lock_irqsave(&cd->fault_lock, flags);
	memset(&cd->fault, 0, sizeof(cd->fault));
	if (f && f->kind)
		cd->fault = *f;
	cd->fault_seen = 0;
	cd->fault_hits = 0;
	/* Relaxed: a worker that sees the flag takes the lock, which orders the rest. */
	__atomic_store_n(&cd->fault_armed, cd->fault.kind != DMA_CPU_FAULT_NONE, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&cd->fault_lock, flags);
	if (f && f->kind)
		fault_announce(cd, f);
}

/** dmae__cpu_fault_init - at probe: the lock, and the fault of the parameters. */
void dmae__cpu_fault_init(struct cpu_dev *cd)
{
	spin_lock_init(&cd->fault_lock);
	fault_set(cd, &cd->p.fault);
}

DMAE_EXPORT int dma_cpu_inject_fault(struct dma_device *dma, const struct dma_cpu_fault *f)
{
	struct cpu_dev *cd = dmae__cpu_dev(dma);

	if (!cd) {
		dmae_log(DMAE_LOG_ERR, "cpu-dma: dma_cpu_inject_fault: not a cpu device");
		return -EINVAL;
	}
	if (f && dmae__cpu_fault_check(cd, f))
		return -EINVAL;
	fault_set(cd, f);
	return 0;
}

DMAE_EXPORT int dma_cpu_get_fault(struct dma_device *dma, struct dma_cpu_fault *f,
				  unsigned long *injected)
{
	struct cpu_dev *cd = dmae__cpu_dev(dma);
	unsigned long flags;

	if (!cd)
		return -EINVAL;
	spin_lock_irqsave(&cd->fault_lock, flags);
	if (f)
		*f = cd->fault;
	if (injected)
		*injected = cd->fault_hits;
	spin_unlock_irqrestore(&cd->fault_lock, flags);
	return 0;
}

/* ------------------------------------------------------------ environment */

static bool parse_u64(const char *s, u64 *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	*v = strtoull(s, &end, 0);
	return !*end;
}

/* A delay: a number with its unit, us, ms or s. */
static bool parse_delay(const char *s, u64 *us)
{
	static const struct { const char *suffix; u64 mult; } units[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 },
	};
	char *end;
	u64 n;

	if (!isdigit((unsigned char)*s))
		return false;
	n = strtoull(s, &end, 10);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].suffix)) {
			if (n > FAULT_DELAY_MAX_US / units[i].mult)
				return false;
			*us = n * units[i].mult;
			return true;
		}
	return false;
}

/* One option (after kind and every_nth) into @f; NULL, or why it is wrong. */
static const char *parse_option(char *opt, struct dma_cpu_fault *f, bool *timed)
{
	char *eq = strchr(opt, '=');
	u64 v;

	if (!eq) {
		if (f->kind != DMA_CPU_FAULT_DELAY)
			return "a time is an option of delay only";
		if (!parse_delay(opt, &f->delay_us) || !f->delay_us)
			return "a delay is 1us to 1 hour with its unit, as 500us, 10ms or 2s";
		*timed = true;
		return NULL;
	}
	*eq = '\0';
	if (!parse_u64(eq + 1, &v))
		return "an option's value must be a number";
	if (!strcmp(opt, "count") && v <= 0xffffffffull) {
		f->count = (unsigned int)v;
	} else if (!strcmp(opt, "offset") && f->kind == DMA_CPU_FAULT_CORRUPT) {
		f->offset = v;
	} else if (!strcmp(opt, "mask") && f->kind == DMA_CPU_FAULT_CORRUPT && v && v <= 0xff) {
		f->mask = (u8)v;
	} else {
		return "options: count=N; offset=N and mask=1..0xff for corrupt; a time for delay";
	}
	return NULL;
}

/* "kind[:every_nth][:option]..." into @f; NULL, or why it is malformed. */
static const char *fault_parse(const char *value, struct dma_cpu_fault *f)
{
	char buf[128], *field, *next;
	bool timed = false;
	unsigned int k;
	u64 n;

	memset(f, 0, sizeof(*f));
	if (strlen(value) >= sizeof(buf))
		return "too long";
	strcpy(buf, value);
	next = strchr(buf, ':');
	if (next)
		*next++ = '\0';
	for (k = 0; k <= DMA_CPU_FAULT_DELAY && strcmp(buf, fault_names[k]); k++)
		;
	if (k > DMA_CPU_FAULT_DELAY)
		return "the kind is read, write, corrupt, delay or none";
	f->kind = (enum dma_cpu_fault_kind)k;
	if (k == DMA_CPU_FAULT_NONE)
		return next ? "none takes no options" : NULL;
	for (unsigned int i = 0; next; i++) {
		const char *why;

		field = next;
		next = strchr(field, ':');
		if (next)
			*next++ = '\0';
		if (!*field)
			return "an empty field";
		/* The second field: every_nth, unless a delay's time comes straight after the kind. */
		if (i == 0 && !strchr(field, '=') && (k != DMA_CPU_FAULT_DELAY || !parse_delay(field, &n))) {
			if (!parse_u64(field, &n) || !n || n > 0xffffffffull)
				return "every_nth must be a number from 1";
			f->every_nth = (unsigned int)n;
			continue;
		}
		why = parse_option(field, f, &timed);
		if (why)
			return why;
	}
	if (k == DMA_CPU_FAULT_DELAY && !timed)
		return "delay needs a time, as delay:1:500us";
	return NULL;
}

/**
 * dmae__cpu_fault_from_env - @f from DMAENGINE_CPU_FAULT (none when unset or
 * malformed; then one warning line).
 */
void dmae__cpu_fault_from_env(struct dma_cpu_fault *f)
{
	const char *value = getenv("DMAENGINE_CPU_FAULT");
	const char *why;

	memset(f, 0, sizeof(*f));
	if (!value || !*value)
		return;
	why = fault_parse(value, f);
	if (!why)
		return;
	memset(f, 0, sizeof(*f));
	dmae_log(DMAE_LOG_WARN, "cpu-dma: ignoring DMAENGINE_CPU_FAULT=%s (%s)", value, why);
}

/* ------------------------------------------------------------ the worker's side */

/**
 * dmae__cpu_fault_pick - @d starts on @c of a device with a fault armed: is
 * it the Nth? Sets d->inject and what the fault needs. Context: its worker.
 */
void dmae__cpu_fault_pick(struct cpu_chan *c, struct cpu_desc *d)
{
	struct cpu_dev *cd = c->cd;
	struct dma_cpu_fault *f = &cd->fault;
	u8 kind = DMA_CPU_FAULT_NONE;
	unsigned long flags;

	if (d->op == CPU_OP_NOP)
		return; /* no data: nothing to fail, corrupt or delay */
	spin_lock_irqsave(&cd->fault_lock, flags);
	if (f->kind && (!f->chan || f->chan == &c->chan) &&
	    ++cd->fault_seen % (f->every_nth ? f->every_nth : 1) == 0 &&
	    (!f->count || cd->fault_hits < f->count)) {
		kind = (u8)f->kind;
		cd->fault_hits++;
		/* Used up: back to the fast path. */
		if (f->count && cd->fault_hits == f->count)
			__atomic_store_n(&cd->fault_armed, 0, __ATOMIC_RELAXED);
		d->inject_mask = f->mask ? f->mask : 0xff;
		d->inject_arg = kind == DMA_CPU_FAULT_DELAY ? f->delay_us * 1000 : f->offset;
	}
	spin_unlock_irqrestore(&cd->fault_lock, flags);
	if (!kind)
		return;
	if (kind == DMA_CPU_FAULT_DELAY)
		d->inject_arg += dmae_clock_ns(); /* the due time */
	d->inject = kind;
	dev_dbg(&cd->dev, "%s: injecting a %s fault into cookie %d", dma_chan_name(&c->chan),
		fault_names[kind], __atomic_load_n(&d->tx.cookie, __ATOMIC_RELAXED));
}

/**
 * dmae__cpu_fault_start - @d with a fault is about to run (or run on).
 * @return true to run it; false when it must not: failed (d->fault set, it
 * completes so) or parked (a DELAY not yet due). Context: its worker.
 */
bool dmae__cpu_fault_start(struct cpu_chan *c, struct cpu_desc *d)
{
	(void)c;
	switch (d->inject) {
	case DMA_CPU_FAULT_READ:
	case DMA_CPU_FAULT_WRITE:
		/* As a real engine's error: nothing moved, all of it left. */
		d->fault = d->inject == DMA_CPU_FAULT_READ ? DMA_TRANS_READ_FAILED :
							     DMA_TRANS_WRITE_FAILED;
		d->fault_residue = (u32)__atomic_load_n(&d->len, __ATOMIC_RELAXED);
		return false;
	case DMA_CPU_FAULT_DELAY:
		if (dmae_clock_ns() < d->inject_arg)
			return false;
		d->inject = DMA_CPU_FAULT_NONE; /* due: it runs as any other */
		return true;
	default:
		return true;
	}
}

/* Segment walk: *@b the block (index + 1; 0: seg0 only), *@i the index in it. */
static struct cpu_seg *walk_seg(struct cpu_chan *c, struct cpu_desc *d, u32 *b, u32 *i)
{
	struct cpu_seg *s;

	if (!*b)
		return &d->seg0;
	s = &c->blocks[*b - 1].seg[*i];
	if (++*i == CPU_SEGS_PER_BLOCK) {
		*b = c->blocks[*b - 1].next;
		*i = 0;
	}
	return s;
}

/* The bus address of byte @k of a COPY or FILL descriptor's destination. */
static dma_addr_t linear_addr(struct cpu_chan *c, struct cpu_desc *d, u64 k)
{
	u32 b = d->blocks, i = 0;
	struct cpu_seg *s = &d->seg0;

	for (u32 n = 0; n < d->nsegs; n++) {
		s = walk_seg(c, d, &b, &i);
		if (k < s->len)
			break;
		k -= s->len;
	}
	return s->dst + k;
}

/* The bus address of byte @k of an interleaved descriptor's destination. */
static dma_addr_t frames_addr(struct cpu_chan *c, struct cpu_desc *d, u64 k)
{
	u64 frame = __atomic_load_n(&d->len, __ATOMIC_RELAXED) / d->numf, stride = 0;
	u32 b = d->blocks, i = 0;
	dma_addr_t addr;

	for (u32 n = 0; n < d->nsegs; n++) {
		struct cpu_seg *s = walk_seg(c, d, &b, &i); /* len, then the destination gap */

		stride += s->len + s->dst;
	}
	addr = d->dst_start + k / frame * stride;
	k %= frame;
	b = d->blocks;
	i = 0;
	for (u32 n = 0; n < d->nsegs; n++) {
		struct cpu_seg *s = walk_seg(c, d, &b, &i);

		if (k < s->len)
			break;
		addr += s->len + s->dst;
		k -= s->len;
	}
	return addr + k;
}

/* Flip d->inject_mask in one byte of @d's destination, through bus access. */
static void corrupt_byte(struct cpu_chan *c, struct cpu_desc *d)
{
	u64 len = __atomic_load_n(&d->len, __ATOMIC_RELAXED), k;
	dma_addr_t addr;
	size_t span;
	u8 *p;

	if (!len)
		return;
	k = d->inject_arg % len;
	switch (d->op) {
	case CPU_OP_XOR:
		addr = d->seg0.dst + k;
		break;
	case CPU_OP_PQ:
		if ((d->raid_flags & (DMAE_RAID_NO_P | DMAE_RAID_NO_Q)) ==
		    (DMAE_RAID_NO_P | DMAE_RAID_NO_Q))
			return;
		addr = (d->raid_flags & DMAE_RAID_NO_P ? d->seg0.src : d->seg0.dst) + k;
		break;
	case CPU_OP_2D:
		addr = frames_addr(c, d, k);
		break;
	default:
		addr = linear_addr(c, d, k);
		break;
	}
	p = dmae_bus_xlate(&c->cd->dev, addr, 1, DMAE_BUS_WRITE, &span);
	if (p)
		*p ^= d->inject_mask;
}

/* Flip a validation's verdict: P's, or Q's when only Q is checked. */
static void corrupt_verdict(struct cpu_desc *d)
{
	enum sum_check_flags *res = d->result;
	u8 flags = d->op == CPU_OP_PQ_VAL ? d->raid_flags : 0;

	if (!(flags & DMAE_RAID_NO_P))
		*res = (enum sum_check_flags)(*res ^ SUM_CHECK_P_RESULT);
	else if (!(flags & DMAE_RAID_NO_Q))
		*res = (enum sum_check_flags)(*res ^ SUM_CHECK_Q_RESULT);
}

/**
 * dmae__cpu_fault_finish - @d with a fault has run to its end: a CORRUPT
 * fault now spoils its result. Context: its worker, before the completion.
 */
void dmae__cpu_fault_finish(struct cpu_chan *c, struct cpu_desc *d)
{
	if (d->inject != DMA_CPU_FAULT_CORRUPT)
		return;
	d->inject = DMA_CPU_FAULT_NONE;
	if (d->op == CPU_OP_XOR_VAL || d->op == CPU_OP_PQ_VAL)
		corrupt_verdict(d);
	else
		corrupt_byte(c, d);
}
