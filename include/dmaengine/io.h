/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/io.h - register access and delays, as the kernel's linux/io.h,
 * linux/iopoll.h and linux/delay.h.
 *
 * For drivers. The cookie from devm_ioremap_resource() points into a
 * reserved, inaccessible window: readl()/writel() decode it to the model that
 * owns the address on the board, at the board's current virtual time, and a
 * stray dereference faults at once instead of corrupting memory. An access
 * no model owns, of a width the register does not take, or misaligned, is a
 * bus error: one line naming the address and the device; a read gives 0, a
 * write is dropped.
 *
 * On a simulated board, time in these calls is the board's: udelay() and the
 * poll helpers' sleeps and time-outs count virtual time, so a slow host never
 * makes a poll time out. Elsewhere they count the host's clock.
 */
#ifndef DMAENGINE_IO_H
#define DMAENGINE_IO_H

#include <dmaengine/err.h>
#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

#ifndef __iomem
#define __iomem
#endif

/* An access of @size bytes (1, 2 or 4) at @addr. Context: any. */
DMAE_EXPORT u32 dmae_mmio_read(const volatile void __iomem *addr, unsigned int size);
DMAE_EXPORT void dmae_mmio_write(volatile void __iomem *addr, u32 val, unsigned int size);

static inline u32 readl(const volatile void __iomem *addr) { return dmae_mmio_read(addr, 4); }
static inline u16 readw(const volatile void __iomem *addr)
{
	return (u16)dmae_mmio_read(addr, 2);
}
static inline u8 readb(const volatile void __iomem *addr) { return (u8)dmae_mmio_read(addr, 1); }
static inline void writel(u32 val, volatile void __iomem *addr) { dmae_mmio_write(addr, val, 4); }
static inline void writew(u16 val, volatile void __iomem *addr) { dmae_mmio_write(addr, val, 2); }
static inline void writeb(u8 val, volatile void __iomem *addr) { dmae_mmio_write(addr, val, 1); }
/* No caches or write buffers between the CPU and the models: relaxed is the same. */
#define readl_relaxed(a) readl(a)
#define readw_relaxed(a) readw(a)
#define readb_relaxed(a) readb(a)
#define writel_relaxed(v, a) writel(v, a)
#define writew_relaxed(v, a) writew(v, a)
#define writeb_relaxed(v, a) writeb(v, a)
#define ioread32(a) readl(a)
#define iowrite32(v, a) writel(v, a)

/**
 * dmae_io_clock_ns - the clock that times accesses to @addr: the virtual time
 * of the board whose registers @addr maps (in ns), else the host's
 * (dmae_clock_ns()). Context: any.
 */
DMAE_EXPORT u64 dmae_io_clock_ns(const volatile void __iomem *addr);
/**
 * dmae_io_delay_ns - let @ns pass on @addr's clock: on a board, virtual time
 * (a thread that may sleep sleeps until the board gets there; a handler or a
 * thread with interrupts off moves the clock itself); else the host's, by
 * sleeping (@atomic: by spinning).
 */
DMAE_EXPORT void dmae_io_delay_ns(const volatile void __iomem *addr, u64 ns, bool atomic);

/*
 * read_poll_timeout-style loop: read with @op until @cond holds, waiting
 * @delay_us between reads, for at most @timeout_us (0: no limit) on the
 * register's clock. Evaluates to 0, or -ETIMEDOUT with @val the last read.
 */
#define dmae_read_poll_timeout(op, val, cond, delay_us, timeout_us, atomic, addr)          \
	__extension__({                                                                      \
		u64 __dmae_end = dmae_io_clock_ns(addr) + (u64)(timeout_us) * 1000ull;         \
		int __dmae_ret = 0;                                                          \
		for (;;) {                                                                   \
			(val) = op(addr);                                                    \
			if (cond)                                                            \
				break;                                                       \
			if ((timeout_us) && dmae_io_clock_ns(addr) > __dmae_end) {           \
				(val) = op(addr);                                            \
				__dmae_ret = (cond) ? 0 : -ETIMEDOUT;                        \
				break;                                                       \
			}                                                                    \
			if (delay_us)                                                        \
				dmae_io_delay_ns(addr, (u64)(delay_us) * 1000ull, atomic);   \
		}                                                                            \
		__dmae_ret;                                                                  \
	})
#define readl_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	dmae_read_poll_timeout(readl, val, cond, delay_us, timeout_us, false, addr)
#define readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	dmae_read_poll_timeout(readl, val, cond, delay_us, timeout_us, true, addr)
#define readl_relaxed_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readl_poll_timeout(addr, val, cond, delay_us, timeout_us)
#define readl_relaxed_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us)

/**
 * dmae_delay_ns - the kernel's delays: on a thread that acts for a
 * simulated board, @ns of the board's virtual time; elsewhere of the host's
 * (@atomic: spinning, as udelay; else sleeping, as msleep).
 */
DMAE_EXPORT void dmae_delay_ns(u64 ns, bool atomic);
static inline void ndelay(unsigned long ns) { dmae_delay_ns(ns, true); }
static inline void udelay(unsigned long us) { dmae_delay_ns((u64)us * 1000ull, true); }
static inline void mdelay(unsigned long ms) { dmae_delay_ns((u64)ms * 1000000ull, true); }
static inline void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	dmae_delay_ns((u64)min * 1000ull, false);
}
static inline void msleep(unsigned int ms) { dmae_delay_ns((u64)ms * 1000000ull, false); }

DMAE_END_DECLS

#endif /* DMAENGINE_IO_H */
