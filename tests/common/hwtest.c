// SPDX-License-Identifier: MIT
/*
 * hwtest.c - private to the model tests and benchmarks: registers mapped
 * for a test that is the driver, and the peripheral stand-in model
 * ("dmaengine,test-periph"). hwtest.h says how they are used.
 */
#include <string.h>

#include <dmaengine/err.h>
#include <dmaengine/hw/model.h>

#include "common/hwtest.h"

#define PERIPHS 16

int hwtest_regs_map(struct hwtest_regs *r, const char *devname)
{
	r->pdev = dmae_platform_find_device(devname);
	r->base = NULL;
	if (!r->pdev) {
		dmae_log(DMAE_LOG_ERR, "hwtest: no device %s", devname);
		return -ENODEV;
	}
	if (dmae_platform_driver_name(r->pdev))
		dmae_platform_unbind(devname); /* the test is the driver */
	r->base = devm_platform_ioremap_resource(r->pdev, 0);
	if (IS_ERR(r->base)) {
		int err = (int)PTR_ERR(r->base);

		r->base = NULL;
		return err;
	}
	return 0;
}

void hwtest_regs_unmap(struct hwtest_regs *r)
{
	if (r->pdev)
		dmae_devres_release_all(&r->pdev->dev);
	r->base = NULL;
}

/* ------------------------------------------------- the peripheral stand-in */

struct hwtest_periph {
	struct dmae_hw *hw;		  /* its instance */
	struct dmae_sim *sim;		  /* its board's time */
	struct device_node *target;	  /* the model its request line goes to */
	const char *port_name;		  /* the target's port */
	const struct dmae_hw_port *port;  /* found at the first use */
	unsigned int line;		  /* the line of that port */
	bool level;			  /* the line as driven */
	bool tx;			  /* it takes items (mem-to-periph); else gives them */
	bool want;			  /* an item waits to be read (rx) or written (tx) */
	u32 count;			  /* items of the stream */
	u32 item;			  /* rx: the item waiting or next; tx: items due so far */
	dmae_sim_time_t interval;	  /* between items */
	dmae_sim_time_t due;		  /* tx: when the item waited for was due */
	struct dmae_sim_event ev;	  /* the next item */
	struct hwtest_periph_stats st;	  /* what happened */
};

static struct {
	spinlock_t lock;
	struct hwtest_periph *p[PERIPHS]; /* the instances of loaded boards */
} periphs;

static void periph_drive(struct hwtest_periph *p, bool level)
{
	if (!p->port) {
		struct dmae_hw *t = dmae_hw_find(p->hw, p->target);

		p->port = t ? dmae_hw_port(t, p->port_name) : NULL;
		if (!p->port) {
			dmae_hw_log(p->hw, DMAE_LOG_ERR, "no port %s on %s", p->port_name,
				    p->target->full_name);
			return;
		}
	}
	if (level == p->level)
		return;
	p->level = level;
	p->st.requests += level;
	dmae_hw_signal(p->port, p->line, level);
}

/* The next item: rx, it can be read (an unread one is lost); tx, one is wanted. */
static void periph_event(struct dmae_sim_event *ev)
{
	struct hwtest_periph *p = container_of(ev, struct hwtest_periph, ev);
	dmae_sim_time_t now = dmae_sim_now(p->sim);

	if (p->tx) {
		p->want = true;
		p->due = now;
		periph_drive(p, true);
		return;
	}
	if (p->want) {
		p->st.overruns++;
		p->item++;
	}
	p->want = true;
	periph_drive(p, true);
	if (p->item + 1 < p->count)
		dmae_sim_schedule(p->sim, &p->ev, now + p->interval);
}

static void periph_note(struct hwtest_periph *p, u32 val)
{
	dmae_sim_time_t now = dmae_sim_now(p->sim);

	if (!p->st.accesses)
		p->st.first_ps = now;
	p->st.last_ps = now;
	if (p->st.accesses < HWTEST_LOG) {
		p->st.at[p->st.accesses] = now;
		p->st.val[p->st.accesses] = val;
	}
	p->st.accesses++;
}

static u32 width_mask(unsigned int size)
{
	return size == 4 ? ~0u : (1u << (8 * size)) - 1;
}

static u32 periph_read(void *priv, u32 off, unsigned int size)
{
	struct hwtest_periph *p = priv;
	u32 v = 0;

	if (off)
		return 0;
	if (!p->tx && p->want) {
		v = hwtest_pattern(p->item++) & width_mask(size);
		p->want = false;
		p->st.items++;
		periph_drive(p, false);
	} else {
		p->st.empty++;
	}
	periph_note(p, v);
	return v;
}

static void periph_write(void *priv, u32 off, u32 val, unsigned int size)
{
	struct hwtest_periph *p = priv;
	dmae_sim_time_t now = dmae_sim_now(p->sim), next;

	if (off)
		return;
	periph_note(p, val);
	if (!p->tx || !p->want) {
		p->st.empty++;
		return;
	}
	p->want = false;
	p->st.items++;
	periph_drive(p, false);
	if (++p->item >= p->count)
		return;
	next = p->due + p->interval;
	if (next < now) {
		p->st.underruns++;
		next = now;
	}
	dmae_sim_schedule(p->sim, &p->ev, next);
}

static const struct dmae_hw_regs_ops periph_ops = {
	.read = periph_read,
	.write = periph_write,
	.widths = DMAE_HW_W8 | DMAE_HW_W16 | DMAE_HW_W32,
};

static int periph_create(struct dmae_hw *hw)
{
	struct hwtest_periph *p = dmae_hw_priv(hw);
	struct device_node *np = dmae_hw_node(hw);
	struct of_phandle_args args;
	u64 start, size;
	int ret;

	p->hw = hw;
	p->sim = dmae_hw_sim(hw);
	dmae_sim_event_init(&p->ev, periph_event, "test-periph");
	if (of_parse_phandle_with_fixed_args(np, "dmaengine,request", 1, 0, &args) ||
	    dmae_hw_reg(hw, 0, &start, &size)) {
		dmae_hw_log(hw, DMAE_LOG_ERR, "needs reg and dmaengine,request = <&target line>");
		return -EINVAL;
	}
	p->target = args.np;
	p->line = args.args[0];
	if (of_property_read_string(np, "dmaengine,request-port", &p->port_name))
		p->port_name = "requests";
	ret = dmae_hw_map_regs(hw, start, size, &periph_ops, p);
	if (ret)
		return ret;
	spin_lock(&periphs.lock);
	for (unsigned int i = 0; i < PERIPHS; i++)
		if (!periphs.p[i]) {
			periphs.p[i] = p;
			break;
		}
	spin_unlock(&periphs.lock);
	return 0;
}

static void periph_destroy(struct dmae_hw *hw)
{
	struct hwtest_periph *p = dmae_hw_priv(hw);

	dmae_sim_cancel(p->sim, &p->ev);
	spin_lock(&periphs.lock);
	for (unsigned int i = 0; i < PERIPHS; i++)
		if (periphs.p[i] == p)
			periphs.p[i] = NULL;
	spin_unlock(&periphs.lock);
}

static const char *const periph_compat[] = { "dmaengine,test-periph", NULL };

static const struct dmae_hw_model hwtest_periph_model = {
	.name = "test-periph",
	.compatible = periph_compat,
	.priv_size = sizeof(struct hwtest_periph),
	.create = periph_create,
	.destroy = periph_destroy,
};
DMAE_HW_MODEL(hwtest_periph_model);

struct hwtest_periph *hwtest_periph_get(const char *name)
{
	struct hwtest_periph *found = NULL;

	spin_lock(&periphs.lock);
	for (unsigned int i = 0; i < PERIPHS && !found; i++)
		if (periphs.p[i] && !strcmp(dmae_hw_name(periphs.p[i]->hw), name))
			found = periphs.p[i];
	spin_unlock(&periphs.lock);
	return found;
}

struct dmae_hw *hwtest_periph_hw(struct hwtest_periph *p)
{
	return p->hw;
}

struct dmae_sim *hwtest_periph_sim(struct hwtest_periph *p)
{
	return p->sim;
}

/* The test acts on the board as a register access would: under the lock, at its cost. */
static void periph_begin(struct hwtest_periph *p)
{
	dmae_sim_lock(p->sim);
	dmae_sim_access(p->sim);
}

static void periph_end(struct hwtest_periph *p)
{
	dmae_sim_unlock(p->sim);
	dmae_sim_settle(p->sim);
}

static void periph_start(struct hwtest_periph *p, bool tx, u32 count, dmae_sim_time_t start_ps,
			 dmae_sim_time_t interval_ps)
{
	periph_begin(p);
	memset(&p->st, 0, sizeof(p->st));
	p->tx = tx;
	p->want = false;
	p->count = count;
	p->item = 0;
	p->interval = interval_ps;
	periph_drive(p, false);
	if (count)
		dmae_sim_schedule(p->sim, &p->ev, start_ps);
	periph_end(p);
}

void hwtest_periph_rx(struct hwtest_periph *p, u32 count, dmae_sim_time_t start_ps,
		      dmae_sim_time_t interval_ps)
{
	periph_start(p, false, count, start_ps, interval_ps);
}

void hwtest_periph_tx(struct hwtest_periph *p, u32 count, dmae_sim_time_t start_ps,
		      dmae_sim_time_t interval_ps)
{
	periph_start(p, true, count, start_ps, interval_ps);
}

void hwtest_periph_line(struct hwtest_periph *p, bool level)
{
	periph_begin(p);
	dmae_sim_cancel(p->sim, &p->ev);
	p->want = false;
	p->count = 0;
	periph_drive(p, level);
	periph_end(p);
}

void hwtest_periph_stats(struct hwtest_periph *p, struct hwtest_periph_stats *st)
{
	dmae_sim_lock(p->sim);
	*st = p->st;
	dmae_sim_unlock(p->sim);
}
