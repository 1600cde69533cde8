// SPDX-License-Identifier: MIT
/*
 * toy_hw.c - private to the board tests: the toy device's model. It sees
 * only the model interface; the driver (toy.c) sees only its registers and
 * its line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmaengine/hw/model.h>

#include "board/toy_regs.h"

struct toy_log toy_log;

void toy_log_reset(void)
{
	spin_lock(&toy_log.lock);
	toy_log.n = 0;
	spin_unlock(&toy_log.lock);
}

static void toy_note(struct dmae_sim *sim, const char *fmt, u32 a, u32 b)
{
	char what[40];

	snprintf(what, sizeof(what), fmt, a, b);
	spin_lock(&toy_log.lock);
	if (toy_log.n < TOY_LOG)
		snprintf(toy_log.line[toy_log.n++], sizeof(toy_log.line[0]), "%s@%llu", what,
			 (unsigned long long)dmae_sim_now(sim));
	spin_unlock(&toy_log.lock);
}

/* ------------------------------------------------------------ the model */

struct toy_hw {
	struct dmae_hw *hw;
	u32 ctrl, status, src, dst, len;
	u64 hz;				/* its clock */
	struct dmae_sim_event timer;	/* TIMER's end */
	struct dmae_sim_event copy;	/* GO's end */
};

static void toy_hw_update_irq(struct toy_hw *t)
{
	dmae_hw_set_irq(t->hw, 0, (t->ctrl & TOY_CTRL_IE) && t->status);
}

static void toy_hw_timer(struct dmae_sim_event *ev)
{
	struct toy_hw *t = container_of(ev, struct toy_hw, timer);

	toy_note(dmae_hw_sim(t->hw), "timer", 0, 0);
	t->status |= TOY_STATUS_DONE;
	toy_hw_update_irq(t);
}

static void toy_hw_copy(struct dmae_sim_event *ev)
{
	struct toy_hw *t = container_of(ev, struct toy_hw, copy);
	u8 buf[4096];
	u32 done = 0;

	while (done < t->len) {
		u32 n = t->len - done < sizeof(buf) ? t->len - done : (u32)sizeof(buf);

		if (dmae_hw_bus_read(t->hw, t->src + done, buf, n, 4) ||
		    dmae_hw_bus_write(t->hw, t->dst + done, buf, n, 4)) {
			t->status |= TOY_STATUS_ERR;
			break;
		}
		done += n;
	}
	if (done == t->len)
		t->status |= TOY_STATUS_DONE;
	toy_note(dmae_hw_sim(t->hw), "copy %u status %u", done, t->status);
	toy_hw_update_irq(t);
}

static u32 toy_hw_read(void *priv, u32 off, unsigned int size)
{
	struct toy_hw *t = priv;
	u32 v = 0;

	switch (off) {
	case TOY_ID_REG:
		v = TOY_ID;
		break;
	case TOY_CTRL:
		v = t->ctrl;
		break;
	case TOY_STATUS:
		v = t->status;
		break;
	case TOY_SRC:
		v = t->src;
		break;
	case TOY_DST:
		v = t->dst;
		break;
	case TOY_LEN:
		v = t->len;
		break;
	}
	toy_note(dmae_hw_sim(t->hw), "r%02x=%x", off, v);
	return v;
}

static void toy_hw_write(void *priv, u32 off, u32 val, unsigned int size)
{
	struct toy_hw *t = priv;
	struct dmae_sim *sim = dmae_hw_sim(t->hw);

	toy_note(sim, "w%02x=%x", off, val);
	switch (off) {
	case TOY_CTRL:
		t->ctrl = val & TOY_CTRL_IE;
		break;
	case TOY_STATUS:
		t->status &= ~val;
		break;
	case TOY_TIMER:
		dmae_sim_schedule(sim, &t->timer, dmae_sim_now(sim) + dmae_sim_cycles_ps(val, t->hz));
		break;
	case TOY_SRC:
		t->src = val;
		break;
	case TOY_DST:
		t->dst = val;
		break;
	case TOY_LEN:
		t->len = val;
		break;
	case TOY_GO:
		if (val & 1)
			dmae_sim_schedule(sim, &t->copy,
					  dmae_sim_now(sim) + dmae_sim_cycles_ps(t->len, t->hz));
		break;
	}
	toy_hw_update_irq(t);
}

static const struct dmae_hw_regs_ops toy_hw_ops = {
	.read = toy_hw_read,
	.write = toy_hw_write,
	.widths = DMAE_HW_W32,
};

static int toy_hw_create(struct dmae_hw *hw)
{
	struct toy_hw *t = dmae_hw_priv(hw);
	u64 start, size;

	t->hw = hw;
	t->hz = dmae_hw_clock_hz(hw, 0);
	if (!t->hz || dmae_hw_reg(hw, 0, &start, &size))
		return -EINVAL;
	dmae_sim_event_init(&t->timer, toy_hw_timer, "toy-timer");
	dmae_sim_event_init(&t->copy, toy_hw_copy, "toy-copy");
	return dmae_hw_map_regs(hw, start, size, &toy_hw_ops, t);
}

static void toy_hw_destroy(struct dmae_hw *hw)
{
	struct toy_hw *t = dmae_hw_priv(hw);

	dmae_sim_cancel(dmae_hw_sim(hw), &t->timer);
	dmae_sim_cancel(dmae_hw_sim(hw), &t->copy);
}

static const char *const toy_hw_compat[] = { "test,toy", NULL };

static const struct dmae_hw_model toy_hw_model = {
	.name = "toy",
	.compatible = toy_hw_compat,
	.priv_size = sizeof(struct toy_hw),
	.create = toy_hw_create,
	.destroy = toy_hw_destroy,
};
DMAE_HW_MODEL(toy_hw_model);

