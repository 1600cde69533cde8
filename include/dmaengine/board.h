/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/board.h - boards: a device tree loaded from a .dtb, its platform
 * devices bound to their drivers, and, for a simulated SoC, its hardware
 * models on a virtual clock.
 *
 * For applications, tools and tests. The default platform is a board too: a
 * built-in tree with one node, the cpu provider's, loaded the first time a
 * client asks for a channel. DMAENGINE_PLATFORM picks other boards instead
 * (a list, comma-separated):
 *
 *	DMAENGINE_PLATFORM=stm32mp151           the simulated STM32MP151 only
 *	DMAENGINE_PLATFORM=stm32mp151,default   the same, with the cpu provider beside it
 *	DMAENGINE_PLATFORM=./my-board.dtb       a tree of your own
 *	DMAENGINE_PLATFORM=none                 nothing (providers register themselves)
 *
 * A board name is looked up as <name>.dtb, then <name>-sim.dtb, in each
 * folder of DMAENGINE_BOARD_PATH (colon-separated), then in the build's
 * boards/ folder, then the installed one (share/dmaengine/boards).
 * DMAENGINE_SIM chooses the virtual clock's mode: "free" (the default: as
 * fast as the host can, deterministic) or "paced[:SCALE]" (the host's
 * clock, times SCALE). docs/simulation.md says how a board runs.
 */
#ifndef DMAENGINE_BOARD_H
#define DMAENGINE_BOARD_H

#include <dmaengine/hw/sim.h>
#include <dmaengine/of.h>
#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

struct dmae_board;
struct dmae_hw;
struct platform_device;

struct dmaengine_board_params {
	const char *sim; /* "free", "paced" or "paced:SCALE"; NULL: DMAENGINE_SIM, else free */
};

/**
 * dmaengine_board_load - load @board (a name, "default", or a path to a
 * .dtb), make its models and devices and bind their drivers.
 * @params: NULL for the defaults.
 * @return the board, or ERR_PTR(-ENOENT) (no such board: one line says
 * where it looked), ERR_PTR(-EINVAL) (not a device tree, or bad params: one
 * line), ERR_PTR(-EEXIST) (a board of that name is loaded), ERR_PTR(-ENOMEM).
 * A device whose driver fails to probe is reported and left unbound; the
 * rest of the board works. Context: process.
 */
DMAE_EXPORT struct dmae_board *dmaengine_board_load(const char *board,
						    const struct dmaengine_board_params *params);
/**
 * dmaengine_board_unload - unbind every driver of @board (newest first),
 * then free its models, clock and tree. @return 0, or -EBUSY (one line)
 * while a client outside the board holds a channel of its DMA controllers.
 */
DMAE_EXPORT int dmaengine_board_unload(struct dmae_board *board);
/** dmaengine_board_get - the loaded board called @name, or NULL. */
DMAE_EXPORT struct dmae_board *dmaengine_board_get(const char *name);
DMAE_EXPORT const char *dmaengine_board_name(const struct dmae_board *board);
/** dmaengine_board_origin - the file it was read from, or "built-in". */
DMAE_EXPORT const char *dmaengine_board_origin(const struct dmae_board *board);
/** dmaengine_board_sim - the board's virtual time, or NULL for a board without models. */
DMAE_EXPORT struct dmae_sim *dmaengine_board_sim(struct dmae_board *board);
DMAE_EXPORT struct device_node *dmaengine_board_root(const struct dmae_board *board);
/**
 * dmaengine_board_for_each_device - @fn for each platform device of the
 * board, in device-tree order, until it returns non-zero (returned).
 */
DMAE_EXPORT int dmaengine_board_for_each_device(struct dmae_board *board,
						int (*fn)(struct platform_device *pdev, void *arg),
						void *arg);

/**
 * dmaengine_board_hw - the hardware model instance on node @np of @board,
 * or NULL (for tests and tools that look at a model; drivers never do).
 */
DMAE_EXPORT struct dmae_hw *dmaengine_board_hw(struct dmae_board *board,
					       const struct device_node *np);

/**
 * dmaengine_platform_select - use @spec (a DMAENGINE_PLATFORM value) as the
 * platform: checked now, loaded by dmaengine_platform_init(). @return 0,
 * -EINVAL (one line naming the bad entry), -EBUSY (the platform is up with
 * another spec: dmaengine_platform_exit() first).
 */
DMAE_EXPORT int dmaengine_platform_select(const char *spec);
/** dmaengine_platform_board - board @i (0: first) of the platform, or NULL. */
DMAE_EXPORT struct dmae_board *dmaengine_platform_board(unsigned int i);

DMAE_END_DECLS

#endif /* DMAENGINE_BOARD_H */
