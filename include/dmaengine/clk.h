/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/clk.h - clocks, as the kernel's linux/clk.h: the clocks a
 * board's tree gives a device (`clocks`, `clock-names`), which on a
 * simulated board are fixed-clock nodes.
 *
 * For drivers. Enabling a clock is counted and checked (a disable without an
 * enable is reported), and changes nothing else: the models run on their
 * clock's rate whether or not a driver enabled it.
 */
#ifndef DMAENGINE_CLK_H
#define DMAENGINE_CLK_H

#include <dmaengine/device.h>
#include <dmaengine/err.h>

DMAE_BEGIN_DECLS

struct clk;

DMAE_EXPORT struct clk *dmae_devm_clk_get(struct device *dev, const char *id, bool optional);
/**
 * devm_clk_get - the clock @id (an entry of clock-names; NULL: the first) of
 * @dev. ERR_PTR(-ENOENT) when the device has none (-EINVAL for a malformed
 * clocks property).
 */
static inline struct clk *devm_clk_get(struct device *dev, const char *id)
{
	return dmae_devm_clk_get(dev, id, false);
}
/** devm_clk_get_optional - as devm_clk_get, but NULL when there is none. */
static inline struct clk *devm_clk_get_optional(struct device *dev, const char *id)
{
	return dmae_devm_clk_get(dev, id, true);
}
DMAE_EXPORT int dmae_clk_enable(struct clk *clk);
DMAE_EXPORT void dmae_clk_disable(struct clk *clk);
/** clk_get_rate - the rate in Hz (0 for NULL). */
DMAE_EXPORT unsigned long dmae_clk_get_rate(struct clk *clk);
static inline int clk_prepare_enable(struct clk *clk) { return dmae_clk_enable(clk); }
static inline void clk_disable_unprepare(struct clk *clk) { dmae_clk_disable(clk); }
static inline int clk_enable(struct clk *clk) { return dmae_clk_enable(clk); }
static inline void clk_disable(struct clk *clk) { dmae_clk_disable(clk); }
static inline int clk_prepare(struct clk *clk) { (void)clk; return 0; }
static inline void clk_unprepare(struct clk *clk) { (void)clk; }
static inline unsigned long clk_get_rate(struct clk *clk) { return dmae_clk_get_rate(clk); }

DMAE_END_DECLS

#endif /* DMAENGINE_CLK_H */
