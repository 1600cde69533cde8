// SPDX-License-Identifier: MIT
/*
 * standin_hw.c - private to the tests: a peripheral stand-in, the simplest
 * device that raises DMA requests (compatible "dmaengine,test-periph"): one
 * data register, no FIFO, a request line it drives as a peripheral does.
 *
 *	standin@50000000 {
 *		compatible = "dmaengine,test-periph";
 *		reg = <0x50000000 0x10>;
 *		dmaengine,request = <&dma1 3>;	  // the line it drives: port "requests"
 *		dmaengine,item-ns = <1000>;	  // one item each microsecond
 *		dmaengine,width = <1>;		  // bytes per item (1, 2 or 4)
 *		dmas = <&dma1 3 0 0x400 0x0>, ...; dma-names = "rx", ...;
 *	};
 *
 * Register DR (offset 0): a read takes the next received item (RX), a write
 * sends one (TX); CTRL (4): bit 0 RX on, bit 1 TX on. RX: an item arrives
 * every item-ns (the pattern standin_item()); the request is high while one
 * waits; one that arrives while the last is unread is lost (counted). TX:
 * the device is ready for an item every item-ns; the request is high while
 * it is ready; what is written is kept for the test.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/hw/model.h>

#include "common/standin.h"

#define STANDIN_DR 0x0
#define STANDIN_CTRL 0x4
#define STANDIN_CTRL_RX 0x1u
#define STANDIN_CTRL_TX 0x2u
#define STANDIN_TX_MAX (1u << 20) /* items kept */

struct standin_hw {
	struct dmae_hw *hw;
	const struct dmae_hw_port *port; /* where its request goes */
	u32 line;			 /* which line of it */
	u32 width;			 /* bytes per item */
	dmae_sim_time_t item_ps;	 /* one item each */
	u32 ctrl;			 /* CTRL */
	bool request;			 /* the line's level */
	/* RX */
	u32 rx_next;			 /* index of the next item to arrive */
	bool rx_full;			 /* an item waits in DR */
	u32 rx_value;			 /* it */
	u32 rx_lost;			 /* items that came while DR was full */
	struct dmae_sim_event rx_ev;	 /* the next arrival */
	/* TX */
	bool tx_ready;			 /* DR may be written */
	u32 tx_count;			 /* items written */
	u32 *tx_items;			 /* the first STANDIN_TX_MAX of them */
	struct dmae_sim_event tx_ev;	 /* ready again */
};

u32 standin_item(u32 index, u32 width)
{
	u32 v = index * 2654435761u + 0x9e37u;

	return width == 4 ? v : width == 2 ? (v & 0xffff) : (v & 0xff);
}

static void standin_update(struct standin_hw *s)
{
	bool want = ((s->ctrl & STANDIN_CTRL_RX) && s->rx_full) ||
		    ((s->ctrl & STANDIN_CTRL_TX) && s->tx_ready);

	if (want == s->request)
		return;
	s->request = want;
	dmae_hw_signal(s->port, s->line, want);
}

static void standin_rx_arrive(struct dmae_sim_event *ev)
{
	struct standin_hw *s = container_of(ev, struct standin_hw, rx_ev);
	struct dmae_sim *sim = dmae_hw_sim(s->hw);

	if (!(s->ctrl & STANDIN_CTRL_RX))
		return;
	if (s->rx_full)
		s->rx_lost++;
	s->rx_value = standin_item(s->rx_next++, s->width);
	s->rx_full = true;
	dmae_sim_schedule(sim, &s->rx_ev, dmae_sim_now(sim) + s->item_ps);
	standin_update(s);
}

static void standin_tx_ready(struct dmae_sim_event *ev)
{
	struct standin_hw *s = container_of(ev, struct standin_hw, tx_ev);

	s->tx_ready = true;
	standin_update(s);
}

static u32 standin_read(void *priv, u32 off, unsigned int size)
{
	struct standin_hw *s = priv;
	u32 v = 0;

	if (off == STANDIN_CTRL)
		return s->ctrl;
	if (off == STANDIN_DR && s->rx_full) {
		v = s->rx_value;
		s->rx_full = false;
		standin_update(s);
	}
	return v;
}

static void standin_write(void *priv, u32 off, u32 val, unsigned int size)
{
	struct standin_hw *s = priv;
	struct dmae_sim *sim = dmae_hw_sim(s->hw);

	if (off == STANDIN_CTRL) {
		u32 was = s->ctrl;

		s->ctrl = val & (STANDIN_CTRL_RX | STANDIN_CTRL_TX);
		if ((s->ctrl & STANDIN_CTRL_RX) && !(was & STANDIN_CTRL_RX))
			dmae_sim_schedule(sim, &s->rx_ev, dmae_sim_now(sim) + s->item_ps);
		if ((s->ctrl & STANDIN_CTRL_TX) && !(was & STANDIN_CTRL_TX))
			s->tx_ready = true;
		standin_update(s);
		return;
	}
	if (off != STANDIN_DR || !(s->ctrl & STANDIN_CTRL_TX))
		return;
	if (s->tx_count < STANDIN_TX_MAX)
		s->tx_items[s->tx_count] = val;
	s->tx_count++;
	s->tx_ready = false;
	dmae_sim_schedule(sim, &s->tx_ev, dmae_sim_now(sim) + s->item_ps);
	standin_update(s);
}

static const struct dmae_hw_regs_ops standin_ops = {
	.read = standin_read,
	.write = standin_write,
	.widths = DMAE_HW_W8 | DMAE_HW_W16 | DMAE_HW_W32,
};

/* The port and line of dmaengine,request = <&owner line>. */
static int standin_find_port(struct standin_hw *s)
{
	struct of_phandle_args a;
	struct dmae_hw *owner;

	if (of_parse_phandle_with_fixed_args(dmae_hw_node(s->hw), "dmaengine,request", 1, 0, &a))
		return -EINVAL;
	owner = dmae_hw_find(s->hw, a.np);
	s->port = dmae_hw_port(owner, "requests");
	s->line = a.args[0];
	return s->port ? 0 : -ENODEV;
}

static int standin_create(struct dmae_hw *hw)
{
	struct standin_hw *s = dmae_hw_priv(hw);
	u32 ns = 1000, width = 1;
	u64 start, size;
	int ret;

	s->hw = hw;
	of_property_read_u32(dmae_hw_node(hw), "dmaengine,item-ns", &ns);
	of_property_read_u32(dmae_hw_node(hw), "dmaengine,width", &width);
	if (!ns || (width != 1 && width != 2 && width != 4) || dmae_hw_reg(hw, 0, &start, &size))
		return -EINVAL;
	s->item_ps = (dmae_sim_time_t)ns * DMAE_PS_PER_NS;
	s->width = width;
	ret = standin_find_port(s);
	if (ret)
		return ret;
	s->tx_items = calloc(STANDIN_TX_MAX, sizeof(*s->tx_items));
	if (!s->tx_items)
		return -ENOMEM;
	dmae_sim_event_init(&s->rx_ev, standin_rx_arrive, "standin-rx");
	dmae_sim_event_init(&s->tx_ev, standin_tx_ready, "standin-tx");
	return dmae_hw_map_regs(hw, start, size, &standin_ops, s);
}

static void standin_destroy(struct dmae_hw *hw)
{
	struct standin_hw *s = dmae_hw_priv(hw);

	dmae_sim_cancel(dmae_hw_sim(hw), &s->rx_ev);
	dmae_sim_cancel(dmae_hw_sim(hw), &s->tx_ev);
	free(s->tx_items);
}

static const char *const standin_compat[] = { "dmaengine,test-periph", NULL };

static const struct dmae_hw_model standin_model = {
	.name = "test-periph",
	.compatible = standin_compat,
	.priv_size = sizeof(struct standin_hw),
	.create = standin_create,
	.destroy = standin_destroy,
};
DMAE_HW_MODEL(standin_model);

/* ------------------------------------------------- what the tests see */

static struct standin_hw *standin_of(struct dmae_hw *hw)
{
	return hw && dmae_hw_model_of(hw) == &standin_model ? dmae_hw_priv(hw) : NULL;
}

int standin_state(struct dmae_hw *hw, struct standin_state *st)
{
	struct standin_hw *s = standin_of(hw);

	if (!s)
		return -EINVAL;
	dmae_sim_lock(dmae_hw_sim(hw));
	st->rx_sent = s->rx_next - (s->rx_full ? 1 : 0);
	st->rx_lost = s->rx_lost;
	st->tx_count = s->tx_count;
	st->request = s->request;
	dmae_sim_unlock(dmae_hw_sim(hw));
	return 0;
}

u32 standin_tx_item(struct dmae_hw *hw, u32 index)
{
	struct standin_hw *s = standin_of(hw);
	u32 v = 0;

	if (!s || index >= STANDIN_TX_MAX)
		return 0;
	dmae_sim_lock(dmae_hw_sim(hw));
	if (index < s->tx_count)
		v = s->tx_items[index];
	dmae_sim_unlock(dmae_hw_sim(hw));
	return v;
}
