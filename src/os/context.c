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
