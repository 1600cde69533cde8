// SPDX-License-Identifier: MIT
/*
 * hwtest_dmamux.c - private to the tests: the test DMA master model
 * ("test,dma-master"), register access without a driver, line stimuli.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/platform_device.h>

#include "common/hwtest_dmamux.h"

#define HWTEST_MASTERS 8

struct hwtest_master;

/* A request being served: its acknowledge comes at the end. */
struct hwtest_ack {
	struct dmae_sim_event ev;	/* the acknowledge */
	struct hwtest_master *tm;	/* whose */
	unsigned int line;		/* for which line */
};

struct hwtest_master {
	struct dmae_hw *hw;				/* its instance */
	struct dmae_hw_port requests;			/* what the router drives */
	bool level[HWTEST_MASTER_LINES];		/* each line now */
	struct hwtest_level log[HWTEST_MASTER_LOG];	/* changes, oldest first */
	unsigned int n;					/* entries of log */
	const struct dmae_hw_port *acks;		/* where to acknowledge, or NULL */
	unsigned int ack_base;				/* its line for our line 0 */
	dmae_sim_time_t ack_delay;			/* from a request to its acknowledge */
	struct hwtest_ack ack[HWTEST_MASTER_LINES];	/* pending acknowledges */
};

/* Instances on the loaded boards; each one's fields are under its board's bus lock. */
static struct {
	spinlock_t lock;			/* protects m */
	struct hwtest_master *m[HWTEST_MASTERS]; /* instances, any order */
} masters;

static void hwtest_master_set(void *priv, unsigned int line, bool level)
{
	struct hwtest_master *tm = priv;
	struct dmae_sim *sim = dmae_hw_sim(tm->hw);

	if (tm->level[line] == level)
		return;
	tm->level[line] = level;
	if (tm->n < HWTEST_MASTER_LOG)
		tm->log[tm->n++] = (struct hwtest_level){ line, level, dmae_sim_now(sim) };
	if (level && tm->acks)
		dmae_sim_schedule(sim, &tm->ack[line].ev, dmae_sim_now(sim) + tm->ack_delay);
}

static void hwtest_master_ack(struct dmae_sim_event *ev)
{
	struct hwtest_ack *a = container_of(ev, struct hwtest_ack, ev);
	struct hwtest_master *tm = a->tm;

	if (!tm->acks || !tm->level[a->line])
		return;
	dmae_hw_signal(tm->acks, tm->ack_base + a->line, true);
	dmae_hw_signal(tm->acks, tm->ack_base + a->line, false);
}

static int hwtest_master_create(struct dmae_hw *hw)
{
	struct hwtest_master *tm = dmae_hw_priv(hw);
	u32 nr = 8;
	int ret = -ENOSPC;

	of_property_read_u32(dmae_hw_node(hw), "dma-requests", &nr);
	if (!nr || nr > HWTEST_MASTER_LINES)
		return -EINVAL;
	tm->hw = hw;
	for (unsigned int i = 0; i < HWTEST_MASTER_LINES; i++) {
		dmae_sim_event_init(&tm->ack[i].ev, hwtest_master_ack, "test-master-ack");
		tm->ack[i].tm = tm;
		tm->ack[i].line = i;
	}
	tm->requests = (struct dmae_hw_port){ .name = "requests", .nr = nr,
					      .set = hwtest_master_set, .priv = tm };
	spin_lock(&masters.lock);
	for (unsigned int i = 0; i < HWTEST_MASTERS && ret; i++)
		if (!masters.m[i]) {
			masters.m[i] = tm;
			ret = 0;
		}
	spin_unlock(&masters.lock);
	return ret ? ret : dmae_hw_export_port(hw, &tm->requests);
}

static void hwtest_master_destroy(struct dmae_hw *hw)
{
	struct hwtest_master *tm = dmae_hw_priv(hw);

	for (unsigned int i = 0; i < HWTEST_MASTER_LINES; i++)
		dmae_sim_cancel(dmae_hw_sim(hw), &tm->ack[i].ev);
	spin_lock(&masters.lock);
	for (unsigned int i = 0; i < HWTEST_MASTERS; i++)
		if (masters.m[i] == tm)
			masters.m[i] = NULL;
	spin_unlock(&masters.lock);
}

static const char *const hwtest_master_compat[] = { "test,dma-master", NULL };

static const struct dmae_hw_model hwtest_master_model = {
	.name = "test-dma-master",
	.compatible = hwtest_master_compat,
	.priv_size = sizeof(struct hwtest_master),
	.create = hwtest_master_create,
	.destroy = hwtest_master_destroy,
};
DMAE_HW_MODEL(hwtest_master_model);

/* ---------------------------------------------------------- for tests */

struct hwtest_master *hwtest_master_get(const char *name)
{
	struct hwtest_master *found = NULL;

	spin_lock(&masters.lock);
	for (unsigned int i = 0; i < HWTEST_MASTERS; i++)
		if (masters.m[i] && !strcmp(dmae_hw_name(masters.m[i]->hw), name))
			found = masters.m[i];
	spin_unlock(&masters.lock);
	if (!found)
		fail_msg("no test master %s", name);
	return found;
}

struct dmae_hw *hwtest_master_hw(struct hwtest_master *tm)
{
	return tm->hw;
}

unsigned int hwtest_master_changes(struct hwtest_master *tm)
{
	struct dmae_sim *sim = dmae_hw_sim(tm->hw);
	unsigned int n;

	dmae_sim_lock(sim);
	n = tm->n;
	dmae_sim_unlock(sim);
	return n;
}

struct hwtest_level hwtest_master_change(struct hwtest_master *tm, unsigned int i)
{
	struct dmae_sim *sim = dmae_hw_sim(tm->hw);
	struct hwtest_level l = { 0 };
	bool there;

	dmae_sim_lock(sim);
	there = i < tm->n;
	if (there)
		l = tm->log[i];
	dmae_sim_unlock(sim);
	if (!there)
		fail_msg("%s: no change %u (%u recorded)", dmae_hw_name(tm->hw), i, tm->n);
	return l;
}

bool hwtest_master_line(struct hwtest_master *tm, unsigned int line)
{
	struct dmae_sim *sim = dmae_hw_sim(tm->hw);
	bool level;

	dmae_sim_lock(sim);
	level = line < HWTEST_MASTER_LINES && tm->level[line];
	dmae_sim_unlock(sim);
	return level;
}

void hwtest_master_forget(struct hwtest_master *tm)
{
	struct dmae_sim *sim = dmae_hw_sim(tm->hw);

	dmae_sim_lock(sim);
	tm->n = 0;
	dmae_sim_unlock(sim);
}

void hwtest_master_autoack(struct hwtest_master *tm, const struct dmae_hw_port *acks,
			   unsigned int base, dmae_sim_time_t delay)
{
	struct dmae_sim *sim = dmae_hw_sim(tm->hw);

	dmae_sim_lock(sim);
	tm->acks = acks;
	tm->ack_base = base;
	tm->ack_delay = delay;
	dmae_sim_unlock(sim);
}

const struct dmae_hw_port *hwtest_port(struct hwtest_master *tm, const char *device,
				       const char *port)
{
	struct platform_device *pdev = dmae_platform_find_device(device);
	const struct dmae_hw_port *p;

	if (!pdev)
		fail_msg("no device %s", device);
	p = dmae_hw_port(dmae_hw_find(tm->hw, pdev->dev.of_node), port);
	if (!p)
		fail_msg("no model with a port %s on %s", port, device);
	return p;
}

void __iomem *hwtest_map(const char *device)
{
	struct platform_device *pdev = dmae_platform_find_device(device);
	void __iomem *base;

	if (!pdev)
		fail_msg("no device %s", device);
	if (dmae_platform_driver_name(pdev))
		assert_int_equal(dmae_platform_unbind(device), 0);
	base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(base))
		fail_msg("%s: registers not mapped (%ld)", device, PTR_ERR(base));
	return base;
}

void hwtest_unmap(const char *device)
{
	struct platform_device *pdev = dmae_platform_find_device(device);

	if (pdev)
		dmae_devres_release_all(&pdev->dev);
}

void hwtest_drive(const struct dmae_hw_port *port, unsigned int line, bool level)
{
	struct dmae_sim *sim = dmae_hw_sim(port->owner);

	dmae_sim_lock(sim);
	dmae_hw_signal(port, line, level);
	dmae_sim_unlock(sim);
}

static void hwtest_stim_run(struct dmae_sim_event *ev)
{
	struct hwtest_stim *s = container_of(ev, struct hwtest_stim, ev);

	dmae_hw_signal(s->port, s->line, s->level);
}

void hwtest_drive_at(struct hwtest_stim *s, const struct dmae_hw_port *port, unsigned int line,
		     bool level, dmae_sim_time_t t)
{
	struct dmae_sim *sim = dmae_hw_sim(port->owner);
	bool past;

	dmae_sim_event_init(&s->ev, hwtest_stim_run, "test-stimulus");
	s->port = port;
	s->line = line;
	s->level = level;
	dmae_sim_lock(sim);
	past = t < dmae_sim_now(sim);
	if (!past)
		dmae_sim_schedule(sim, &s->ev, t);
	dmae_sim_unlock(sim);
	if (past)
		fail_msg("a stimulus at %llu ps, in the past", (unsigned long long)t);
}

void hwtest_run_until(struct dmae_sim *sim, dmae_sim_time_t t)
{
	dmae_sim_time_t now = dmae_sim_now(sim);

	if (t > now)
		dmae_sim_delay(sim, t - now);
}
