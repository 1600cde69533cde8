// SPDX-License-Identifier: MIT
/*
 * log.c - the library's messages: one line a call, to standard error or to
 * the handler the application installed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/os.h>

#define DMAE_LOG_LINE_MAX 512 /* longer messages are cut */

enum {
	DMAE_LOG_DEBUG_UNKNOWN = 0, /* DMAENGINE_DEBUG not read yet */
	DMAE_LOG_DEBUG_OFF = 1,	    /* debug lines dropped */
	DMAE_LOG_DEBUG_ON = 2,	    /* debug lines printed */
};

static struct {
	spinlock_t lock;    /* makes fn and arg change together */
	dmae_log_fn fn;	    /* the application's handler; NULL: standard error */
	void *arg;	    /* argument of fn */
	u32 debug;	    /* DMAE_LOG_DEBUG_*, read once from the environment */
} dmae_logger;

/**
 * dmae_set_log_handler - send the library's lines to @fn(@arg) (NULL: standard
 * error). Returns the previous handler (NULL for standard error). Context: any.
 */
DMAE_EXPORT dmae_log_fn dmae_set_log_handler(dmae_log_fn fn, void *arg)
{
	dmae_log_fn prev;

	dmae_lock(&dmae_logger.lock);
	prev = dmae_logger.fn;
	dmae_logger.fn = fn;
	dmae_logger.arg = fn ? arg : NULL;
	dmae_unlock(&dmae_logger.lock);
	return prev;
}

/* The default handler: the line as given, one write to standard error. */
static void dmae_log_stderr(enum dmae_log_level level, const char *line, void *arg)
{
	fprintf(stderr, "%s\n", line);
}

/* dmae_log_debug_enabled - whether DMAENGINE_DEBUG is set; read once. */
static bool dmae_log_debug_enabled(void)
{
	u32 debug = __atomic_load_n(&dmae_logger.debug, __ATOMIC_RELAXED);

	if (debug == DMAE_LOG_DEBUG_UNKNOWN) {
		/* Two first callers may both read it: they read the same value. */
		debug = getenv("DMAENGINE_DEBUG") ? DMAE_LOG_DEBUG_ON : DMAE_LOG_DEBUG_OFF;
		__atomic_store_n(&dmae_logger.debug, debug, __ATOMIC_RELAXED);
	}
	return debug == DMAE_LOG_DEBUG_ON;
}

static void dmae_log_emit(enum dmae_log_level level, const char *line)
{
	dmae_log_fn fn;
	void *arg;

	dmae_lock(&dmae_logger.lock);
	fn = dmae_logger.fn;
	arg = dmae_logger.arg;
	dmae_unlock(&dmae_logger.lock);
	(fn ? fn : dmae_log_stderr)(level, line, arg);
}

/**
 * dmae_log - format one line and hand it to the handler; a trailing newline
 * is dropped, and debug lines unless DMAENGINE_DEBUG is set. Context: any.
 */
DMAE_EXPORT void dmae_log(enum dmae_log_level level, const char *fmt, ...)
{
	char line[DMAE_LOG_LINE_MAX];
	va_list ap;
	size_t len;

	if (level == DMAE_LOG_DEBUG && !dmae_log_debug_enabled())
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	dmae_log_emit(level, line);
}
