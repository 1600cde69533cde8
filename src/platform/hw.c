// SPDX-License-Identifier: MIT
/*
 * hw.c - hardware models on a board: the registry of models, an instance
 * per node that one models (made before any driver binds), their register
 * windows, lines and ports, and their accesses as bus masters.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/bus.h>
#include <dmaengine/hw/model.h>
#include <dmaengine/trace.h>

#include "platform/board.h"

#define DMAE_MAX_MODELS 64
#define DMAE_HW_FAULTS_LOGGED 16

static struct {
	spinlock_t lock;
	const struct dmae_hw_model *models[DMAE_MAX_MODELS]; /* registration order */
	unsigned int nr;
} registry;

DMAE_EXPORT int dmae_hw_model_register(const struct dmae_hw_model *model)
{
	int ret = 0;

	if (!model || !model->name || !model->compatible || !model->create)
		return -EINVAL;
	spin_lock(&registry.lock);
	for (unsigned int i = 0; i < registry.nr; i++)
		if (registry.models[i] == model || !strcmp(registry.models[i]->name, model->name))
			ret = -EBUSY;
	if (!ret && registry.nr == DMAE_MAX_MODELS)
		ret = -ENOSPC;
	if (!ret)
		registry.models[registry.nr++] = model;
	spin_unlock(&registry.lock);
	if (ret)
		dmae_log(DMAE_LOG_ERR, "hw: model %s not registered (%d)", model->name, ret);
	return ret;
}

DMAE_EXPORT void dmae_hw_model_unregister(const struct dmae_hw_model *model)
{
	spin_lock(&registry.lock);
	for (unsigned int i = 0; i < registry.nr; i++) {
		if (registry.models[i] != model)
			continue;
		memmove(&registry.models[i], &registry.models[i + 1],
			(registry.nr - i - 1) * sizeof(registry.models[0]));
		registry.nr--;
		break;
	}
	spin_unlock(&registry.lock);
}

/* The model of @np: the one whose compatible comes earliest in the node's list. */
static const struct dmae_hw_model *model_for(const struct device_node *np)
{
	const struct dmae_hw_model *best = NULL;
	int best_score = 0;

	spin_lock(&registry.lock);
	for (unsigned int i = 0; i < registry.nr; i++) {
		for (const char *const *c = registry.models[i]->compatible; *c; c++) {
			int score = of_device_is_compatible(np, *c);

			if (score > best_score) {
				best_score = score;
				best = registry.models[i];
			}
		}
	}
	spin_unlock(&registry.lock);
	return best;
}

/* ------------------------------------------------------------- instances */

static int hw_create(struct dmae_board *b, struct device_node *np,
		     const struct dmae_hw_model *model)
{
	char name[DMAE_DEV_NAME_MAX];
	struct dmae_hw *hw = calloc(1, sizeof(*hw) + model->priv_size);
	struct resource res;
	int ret;

	if (!hw)
		return -ENOMEM;
	hw->model = model;
	hw->board = b;
	hw->np = np;
	if (!of_address_to_resource(np, 0, &res))
		snprintf(name, sizeof(name), "%llx.%s", (unsigned long long)res.start, np->name);
	else
		snprintf(name, sizeof(name), "%s", np->full_name);
	dmae_device_init(&hw->master, name);
	hw->drv.name = model->name;
	dmae_trace_unit_init(&hw->trace, name);
	hw->master.driver = &hw->drv;
	hw->master.of_node = np;
	dmae__board_dev_dma_init(b, &hw->master, np);
	list_add_tail(&hw->node, &b->models);
	dmae_sim_lock(b->sim);
	ret = model->create(hw);
	dmae_sim_unlock(b->sim);
	if (ret) {
		dmae_log(DMAE_LOG_ERR, "hw: %s: model %s failed to start (%d): the node has no hardware",
			 name, model->name, ret);
		return 0; /* the rest of the board goes on without it */
	}
	hw->created = true;
	return 0;
}

static int scan_models(struct dmae_board *b, struct device_node *np)
{
	const struct dmae_hw_model *model;
	struct device_node *c;
	int ret = 0;

	if (np->parent && of_device_is_available(np)) {
		model = model_for(np);
		if (model)
			ret = hw_create(b, np, model);
	}
	for_each_child_of_node(np, c)
		if (!ret)
			ret = scan_models(b, c);
	return ret;
}

int dmae__board_models_create(struct dmae_board *b)
{
	if (!b->sim)
		return 0;
	return scan_models(b, dmae_of_tree_root(b->tree));
}

void dmae__board_models_destroy(struct dmae_board *b)
{
	while (!list_empty(&b->models)) {
		struct dmae_hw *hw = list_last_entry(&b->models, struct dmae_hw, node);

		list_del(&hw->node);
		if (hw->created && hw->model->destroy) {
			dmae_sim_lock(b->sim);
			hw->model->destroy(hw);
			dmae_sim_unlock(b->sim);
		}
		dmae__board_dev_dma_fini(&hw->master);
		dmae_device_release(&hw->master);
		free(hw);
	}
}

DMAE_EXPORT void *dmae_hw_priv(const struct dmae_hw *hw)
{
	return (void *)hw->priv;
}

DMAE_EXPORT struct device_node *dmae_hw_node(const struct dmae_hw *hw)
{
	return hw->np;
}

DMAE_EXPORT const char *dmae_hw_name(const struct dmae_hw *hw)
{
	return dev_name(&hw->master);
}

DMAE_EXPORT const struct dmae_hw_model *dmae_hw_model_of(const struct dmae_hw *hw)
{
	return hw->model;
}

DMAE_EXPORT struct dmae_sim *dmae_hw_sim(const struct dmae_hw *hw)
{
	return hw->board->sim;
}

DMAE_EXPORT struct dmae_board *dmae_hw_board(const struct dmae_hw *hw)
{
	return hw->board;
}

DMAE_EXPORT struct device *dmae_hw_master(struct dmae_hw *hw)
{
	return &hw->master;
}

DMAE_EXPORT int dmae_hw_reg(const struct dmae_hw *hw, unsigned int index, u64 *start, u64 *size)
{
	struct resource res;

	if (of_address_to_resource(hw->np, (int)index, &res))
		return -EINVAL;
	*start = res.start;
	*size = resource_size(&res);
	return 0;
}

DMAE_EXPORT int dmae_hw_irq(const struct dmae_hw *hw, unsigned int index)
{
	int irq = dmae__platform_irq_of(hw->board, hw->np, (int)index);

	return irq < 0 ? -ENXIO : irq;
}

DMAE_EXPORT u64 dmae_hw_clock_hz(const struct dmae_hw *hw, unsigned int index)
{
	struct clk *clk = dmae__board_clock(hw->board, hw->np, (int)index, NULL);
	u32 hz;

	if (!IS_ERR_OR_NULL(clk))
		return clk->rate;
	return of_property_read_u32(hw->np, "clock-frequency", &hz) ? 0 : hz;
}

DMAE_EXPORT struct dmae_hw *dmae_hw_find(const struct dmae_hw *hw, const struct device_node *np)
{
	struct dmae_hw *o;

	list_for_each_entry(o, &hw->board->models, node)
		if (o->np == np && o->created)
			return o;
	return NULL;
}

DMAE_EXPORT struct dmae_hw *dmae_hw_find_compatible(const struct dmae_hw *hw, const char *compat)
{
	struct dmae_hw *o;

	list_for_each_entry(o, &hw->board->models, node)
		if (o->created && of_device_is_compatible(o->np, compat))
			return o;
	return NULL;
}

DMAE_EXPORT int dmae_hw_map_regs(struct dmae_hw *hw, u64 start, u64 size,
				 const struct dmae_hw_regs_ops *ops, void *priv)
{
	struct dmae_region r = { .start = start, .size = size, .kind = DMAE_REGION_REGS,
				 .ops = ops, .priv = priv, .hw = hw, .name = dmae_hw_name(hw) };

	if (!ops || !ops->read || !ops->write || !ops->widths)
		return -EINVAL;
	return dmae__board_add_region(hw->board, &r);
}

DMAE_EXPORT void dmae_hw_set_irq(struct dmae_hw *hw, unsigned int index, bool high)
{
	int irq = dmae_hw_irq(hw, index);

	if (irq < 0)
		return;
	if (dmae_irq_level((unsigned int)irq) != high)
		dmae_trace_board(&hw->trace, DMAE_TRACE_IRQ_LINE, dmae_sim_now(hw->board->sim), 0,
				 (u32)irq, high);
	dmae_irq_set_level((unsigned int)irq, high);
}

/* ------------------------------------------------------------------ ports */

DMAE_EXPORT int dmae_hw_export_port(struct dmae_hw *hw, struct dmae_hw_port *port)
{
	port->owner = hw;
	for (unsigned int i = 0; i < ARRAY_SIZE(hw->ports); i++) {
		if (hw->ports[i] && !strcmp(hw->ports[i]->name, port->name))
			return -EBUSY;
		if (!hw->ports[i]) {
			hw->ports[i] = port;
			return 0;
		}
	}
	return -ENOMEM;
}

DMAE_EXPORT const struct dmae_hw_port *dmae_hw_port(const struct dmae_hw *owner, const char *name)
{
	if (!owner)
		return NULL;
	for (unsigned int i = 0; i < ARRAY_SIZE(owner->ports); i++)
		if (owner->ports[i] && !strcmp(owner->ports[i]->name, name))
			return owner->ports[i];
	return NULL;
}

DMAE_EXPORT void dmae_hw_signal(const struct dmae_hw_port *port, unsigned int line, bool level)
{
	if (!port)
		return;
	if (line >= port->nr) {
		dmae_log(DMAE_LOG_ERR, "hw: line %u of port %s: out of range (%u lines)", line,
			 port->name, port->nr);
		return;
	}
	dmae_trace_board(&port->owner->trace, DMAE_TRACE_REQUEST,
			 dmae_sim_now(port->owner->board->sim), (uintptr_t)port->name, line, level);
	port->set(port->priv, line, level);
}

/* ------------------------------------------------------------ bus master */

static void hw_fault(const struct dmae_hw *hw, bool write, u64 addr, size_t len, const char *why)
{
	static u32 faults;
	u32 n = __atomic_add_fetch(&faults, 1, __ATOMIC_RELAXED);

	if (n <= DMAE_HW_FAULTS_LOGGED)
		dmae_log(DMAE_LOG_ERR, "%s: bus error: %s of %zu bytes at %#llx: %s%s",
			 dmae_hw_name(hw), write ? "write" : "read", len, (unsigned long long)addr,
			 why, n == DMAE_HW_FAULTS_LOGGED ? " (further bus errors are not logged)" : "");
}

/* Register accesses of @width bytes by a master, lock held. 0 or -EFAULT. */
static int regs_access(struct dmae_hw *hw, const struct dmae_region *r, u64 addr, u8 *buf,
		       size_t len, unsigned int width, bool write)
{
	if ((width != 1 && width != 2 && width != 4) || len % width || addr % width ||
	    !(r->ops->widths & (1u << width)) || addr + len > r->start + r->size) {
		hw_fault(hw, write, addr, len, "an access the registers do not take");
		return -EFAULT;
	}
	for (size_t off = 0; off < len; off += width) {
		u32 v = 0;

		if (write) {
			memcpy(&v, buf + off, width);
			r->ops->write(r->priv, (u32)(addr + off - r->start), v, width);
		} else {
			v = r->ops->read(r->priv, (u32)(addr + off - r->start), width);
			memcpy(buf + off, &v, width);
		}
	}
	return 0;
}

static int bus_access(struct dmae_hw *hw, u64 addr, void *buf, size_t len, unsigned int width,
		      bool write)
{
	const struct dmae_region *r;

	if (!len || !buf)
		return -EINVAL;
	r = dmae__board_region(hw->board, addr);
	if (r && r->kind == DMAE_REGION_REGS)
		return regs_access(hw, r, addr, buf, len, width, write);
	if (write ? dmae_bus_write(&hw->master, addr, buf, len) :
		    dmae_bus_read(&hw->master, buf, addr, len)) {
		if (!write)
			memset(buf, 0, len);
		return -EFAULT;
	}
	return 0;
}

DMAE_EXPORT int dmae_hw_bus_read(struct dmae_hw *hw, u64 addr, void *buf, size_t len,
				 unsigned int width)
{
	return bus_access(hw, addr, buf, len, width, false);
}

DMAE_EXPORT int dmae_hw_bus_write(struct dmae_hw *hw, u64 addr, const void *buf, size_t len,
				  unsigned int width)
{
	return bus_access(hw, addr, (void *)buf, len, width, true);
}

DMAE_EXPORT bool dmae_hw_bus_is_regs(const struct dmae_hw *hw, u64 addr)
{
	const struct dmae_region *r = dmae__board_region(hw->board, addr);

	return r && r->kind == DMAE_REGION_REGS;
}

DMAE_EXPORT void dmae_hw_log(const struct dmae_hw *hw, int level, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dmae_log((enum dmae_log_level)level, "%s %s: %s", hw->model->name, dmae_hw_name(hw), msg);
}

DMAE_EXPORT struct dmae_hw *dmaengine_board_hw(struct dmae_board *board,
					       const struct device_node *np)
{
	struct dmae_hw *o, *found = NULL;

	if (!board || !np)
		return NULL;
	dmae__platform_lock();
	list_for_each_entry(o, &board->models, node)
		if (o->np == np && o->created)
			found = o;
	dmae__platform_unlock();
	return found;
}
