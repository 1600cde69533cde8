// SPDX-License-Identifier: MIT
/*
 * context.c - the execution context of each thread (process, interrupt,
 * completion) and the check that a sleeping call is allowed where it is made.
 */
#include <dmaengine/os.h>

/* The context of the calling thread; every thread starts in process context. */
static _Thread_local enum dmae_context dmae_current_context = DMAE_CTX_PROCESS;

/** dmae_context - the calling thread's context. Context: any. */
DMAE_EXPORT enum dmae_context dmae_context(void)
{
	return dmae_current_context;
}

/**
 * dmae_context_enter - switch this thread to @ctx; returns the context to
 * give back to dmae_context_exit(). Context: any (the threads of src/os).
 */
DMAE_EXPORT enum dmae_context dmae_context_enter(enum dmae_context ctx)
{
	enum dmae_context prev = dmae_current_context;

	dmae_current_context = ctx;
	return prev;
}

/** dmae_context_exit - return to @prev, from dmae_context_enter(). Context: any. */
DMAE_EXPORT void dmae_context_exit(enum dmae_context prev)
{
	dmae_current_context = prev;
}

/** dmae_context_name - "process", "interrupt" or "completion". Context: any. */
DMAE_EXPORT const char *dmae_context_name(enum dmae_context ctx)
{
	switch (ctx) {
	case DMAE_CTX_PROCESS:
		return "process";
	case DMAE_CTX_IRQ:
		return "interrupt";
	case DMAE_CTX_COMPLETION:
		return "completion";
	}
	return "unknown";
}

/**
 * dmae_might_sleep - true (after one warning line naming @func) if sleeping
 * is not allowed here. The kernel's might_sleep() splats and goes on into a
 * deadlock; here the caller is told to fail instead. Context: any.
 */
DMAE_EXPORT bool dmae_might_sleep(const char *func)
{
	enum dmae_context ctx = dmae_current_context;

	if (ctx == DMAE_CTX_PROCESS)
		return false;
	dmae_log(DMAE_LOG_WARN,
		 "BUG: sleeping function called from invalid context: %s() in %s context",
		 func, dmae_context_name(ctx));
	return true;
}

/*
 * Interrupts and softirqs "off" on this thread: what the kernel's
 * local_irq_save and local_bh_disable do to a CPU. Nothing is masked here
 * (handlers run on threads of their own); the state tells a simulated board
 * not to wait, on this thread, for handlers that may need the lock it holds.
 */
static _Thread_local unsigned long dmae_irqs_off;  /* 1 while interrupts are off */
static _Thread_local unsigned int dmae_bh_off;	   /* local_bh_disable depth */

/** dmae_local_irq_save - interrupts off; returns the previous state for restore. */
DMAE_EXPORT unsigned long dmae_local_irq_save(void)
{
	unsigned long prev = dmae_irqs_off;

	dmae_irqs_off = 1;
	return prev;
}

/** dmae_local_irq_restore - back to the state @flags from dmae_local_irq_save (0: on). */
DMAE_EXPORT void dmae_local_irq_restore(unsigned long flags)
{
	dmae_irqs_off = flags ? 1 : 0;
}

DMAE_EXPORT void dmae_local_bh_disable(void)
{
	dmae_bh_off++;
}

DMAE_EXPORT void dmae_local_bh_enable(void)
{
	if (dmae_bh_off)
		dmae_bh_off--;
}

DMAE_EXPORT bool dmae_irqs_disabled(void)
{
	return dmae_irqs_off != 0;
}

DMAE_EXPORT bool dmae_bh_disabled(void)
{
	return dmae_bh_off != 0;
}
