/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/hw/model.h - the interface of register-level hardware models:
 * what a model sees of the simulated board it sits on.
 *
 * For hardware models only: a model never includes a driver header, and a
 * driver never includes this one; they meet at registers, interrupt lines
 * and the bus, as on real hardware.
 *
 * A model registers itself with the compatibles it models (DMAE_HW_MODEL);
 * when a board is loaded, every available node with one of them gets an
 * instance (struct dmae_hw), created before any driver is bound, in
 * device-tree order. Its create() maps its registers into the board's
 * address map and finds its clock and interrupt lines; from then on the
 * model runs only when called: a register access, one of its events
 * (dmaengine/hw/sim.h), a request line from another model. All of those run
 * with the board's bus lock held.
 *
 * A model is a bus master too: dmae_hw_bus_read()/write() reach the
 * board's RAM through the model's own struct device (its DMA mask, and the
 * emulated IOMMU if the node sits behind one) and other models' registers
 * (a DMA writing a UART's data register). A stray access is an error return,
 * never a crash: the model sets its error flag.
 */
#ifndef DMAENGINE_HW_MODEL_H
#define DMAENGINE_HW_MODEL_H

#include <dmaengine/device.h>
#include <dmaengine/hw/sim.h>
#include <dmaengine/of.h>

DMAE_BEGIN_DECLS

struct dmae_hw;
struct dmae_board;

struct dmae_hw_model {
	const char *name;		 /* the model's name, for messages and traces */
	const char *const *compatible;	 /* the compatibles it models, NULL-terminated */
	size_t priv_size;		 /* zeroed private state allocated per instance */
	/* Map registers, find lines and clocks, set reset values; 0 or -errno. */
	int (*create)(struct dmae_hw *hw);
	/* Undo create (optional); the board's lock is held, no driver is bound any more. */
	void (*destroy)(struct dmae_hw *hw);
};

DMAE_EXPORT int dmae_hw_model_register(const struct dmae_hw_model *model);
DMAE_EXPORT void dmae_hw_model_unregister(const struct dmae_hw_model *model);
/* Register @model at load time (library or program), as module_platform_driver does. */
#define DMAE_HW_MODEL(model)                                                        \
	__attribute__((constructor)) static void model##_dmae_hw_register(void)    \
	{                                                                           \
		dmae_hw_model_register(&(model));                                   \
	}                                                                           \
	__attribute__((destructor)) static void model##_dmae_hw_unregister(void)   \
	{                                                                           \
		dmae_hw_model_unregister(&(model));                                 \
	}

/* ------------------------------------------------------------- instance */

DMAE_EXPORT void *dmae_hw_priv(const struct dmae_hw *hw);
DMAE_EXPORT struct device_node *dmae_hw_node(const struct dmae_hw *hw);
/** The instance's name: its node's Linux device name ("48000000.dma-controller"). */
DMAE_EXPORT const char *dmae_hw_name(const struct dmae_hw *hw);
DMAE_EXPORT const struct dmae_hw_model *dmae_hw_model_of(const struct dmae_hw *hw);
DMAE_EXPORT struct dmae_sim *dmae_hw_sim(const struct dmae_hw *hw);
DMAE_EXPORT struct dmae_board *dmae_hw_board(const struct dmae_hw *hw);
/** The struct device the model masters the bus with (mask and IOMMU from its node). */
DMAE_EXPORT struct device *dmae_hw_master(struct dmae_hw *hw);
/**
 * dmae_hw_reg - entry @index of the node's reg, translated: @start, @size.
 * 0, or -EINVAL (no such entry).
 */
DMAE_EXPORT int dmae_hw_reg(const struct dmae_hw *hw, unsigned int index, u64 *start, u64 *size);
/** dmae_hw_irq - the board's Linux irq number for interrupts[@index], or -ENXIO. */
DMAE_EXPORT int dmae_hw_irq(const struct dmae_hw *hw, unsigned int index);
/**
 * dmae_hw_clock_hz - the rate of clocks[@index] (a fixed-clock's
 * clock-frequency), or the node's own clock-frequency; 0 when it has none.
 */
DMAE_EXPORT u64 dmae_hw_clock_hz(const struct dmae_hw *hw, unsigned int index);
/** dmae_hw_find - the model instance on node @np of the same board, or NULL. */
DMAE_EXPORT struct dmae_hw *dmae_hw_find(const struct dmae_hw *hw, const struct device_node *np);
/** dmae_hw_find_compatible - the first instance on the board modelling @compat, or NULL. */
DMAE_EXPORT struct dmae_hw *dmae_hw_find_compatible(const struct dmae_hw *hw,
						    const char *compat);

/* ------------------------------------------------------------ registers */

#define DMAE_HW_W8 (1u << 1)  /* 8-bit accesses allowed */
#define DMAE_HW_W16 (1u << 2) /* 16-bit */
#define DMAE_HW_W32 (1u << 4) /* 32-bit */

struct dmae_hw_regs_ops {
	/* A read of @size bytes at @offset (aligned, an allowed width). Lock held. */
	u32 (*read)(void *priv, u32 offset, unsigned int size);
	/* A write. Lock held. */
	void (*write)(void *priv, u32 offset, u32 val, unsigned int size);
	unsigned int widths; /* DMAE_HW_W* the registers take; others are bus errors */
};

/**
 * dmae_hw_map_regs - the model answers accesses to [@start, @start + @size)
 * of the board's physical space with @ops(@priv). 0, -EINVAL (empty or
 * overflowing range, no ops), -EBUSY (overlaps another window or RAM).
 */
DMAE_EXPORT int dmae_hw_map_regs(struct dmae_hw *hw, u64 start, u64 size,
				 const struct dmae_hw_regs_ops *ops, void *priv);

/* ---------------------------------------------------------------- lines */

/** dmae_hw_set_irq - drive interrupts[@index] high or low (level, as a GIC SPI). Lock held. */
DMAE_EXPORT void dmae_hw_set_irq(struct dmae_hw *hw, unsigned int index, bool high);

/*
 * Signals between models (DMA request lines, trigger outputs): a model
 * exports a named set of input lines; another finds them and drives them.
 * A line's level change calls the owner's @set at once, lock held.
 */
struct dmae_hw_port {
	const char *name;		/* "dma-requests", ... (a string that lives on) */
	unsigned int nr;		/* lines */
	void (*set)(void *priv, unsigned int line, bool level); /* a line changed */
	void *priv;			/* set's argument */
	struct dmae_hw *owner;		/* set by dmae_hw_export_port */
};
/** dmae_hw_export_port - @hw offers @port (which must live as long as @hw). 0, -EBUSY, -ENOMEM. */
DMAE_EXPORT int dmae_hw_export_port(struct dmae_hw *hw, struct dmae_hw_port *port);
/** dmae_hw_port - the port @name of instance @owner, or NULL. */
DMAE_EXPORT const struct dmae_hw_port *dmae_hw_port(const struct dmae_hw *owner, const char *name);
/** dmae_hw_signal - drive line @line of @port (ignored, with one line, if out of range). Lock held. */
DMAE_EXPORT void dmae_hw_signal(const struct dmae_hw_port *port, unsigned int line, bool level);

/* ------------------------------------------------------------ bus master */

/**
 * dmae_hw_bus_read - the model reads @len bytes at bus address @addr: other
 * models' registers in accesses of @width bytes (1, 2 or 4), memory through
 * the model's device. Lock held. 0, or -EFAULT (nothing there, a register
 * width or alignment it does not take, an IOMMU fault: one line, rate
 * limited; *@buf is zeroed), -EINVAL.
 */
DMAE_EXPORT int dmae_hw_bus_read(struct dmae_hw *hw, u64 addr, void *buf, size_t len,
				 unsigned int width);
/** dmae_hw_bus_write - the same for a write. */
DMAE_EXPORT int dmae_hw_bus_write(struct dmae_hw *hw, u64 addr, const void *buf, size_t len,
				  unsigned int width);
/** dmae_hw_bus_is_regs - whether @addr is in a model's register window (not memory). */
DMAE_EXPORT bool dmae_hw_bus_is_regs(const struct dmae_hw *hw, u64 addr);

/** dmae_hw_log - one line "<model> <name>: ...", through the library's log. */
DMAE_EXPORT void dmae_hw_log(const struct dmae_hw *hw, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

DMAE_END_DECLS

#endif /* DMAENGINE_HW_MODEL_H */
