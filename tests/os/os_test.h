/* SPDX-License-Identifier: MIT */
/*
 * os_test.h - helpers shared by the src/os unit tests: log capture, threads,
 * flags to hand-shake with handlers that may not sleep.
 */
#ifndef DMAE_TESTS_OS_TEST_H
#define DMAE_TESTS_OS_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <dmaengine/os.h>

/* The warning dmae_might_sleep() prints, for @func in context @ctx. */
#define OS_SLEEP_BUG(func, ctx) \
	"BUG: sleeping function called from invalid context: " func "() in " ctx " context"

struct os_capture {
	spinlock_t lock;		/* protects the fields below */
	int lines;			/* lines received */
	enum dmae_log_level level;	/* level of the last line */
	char last[512];			/* the last line */
};

static inline void os_capture_fn(enum dmae_log_level level, const char *line, void *arg)
{
	struct os_capture *c = arg;

	spin_lock(&c->lock);
	c->lines++;
	c->level = level;
	strncpy(c->last, line, sizeof(c->last) - 1);
	spin_unlock(&c->lock);
}

/* os_capture_begin - route the library's log lines to @c until teardown. */
static inline void os_capture_begin(struct os_capture *c)
{
	memset(c, 0, sizeof(*c));
	dmae_set_log_handler(os_capture_fn, c);
}

static inline int os_capture_lines(struct os_capture *c)
{
	int n;

	spin_lock(&c->lock);
	n = c->lines;
	spin_unlock(&c->lock);
	return n;
}

/* Per-test teardown: back to standard error, whatever the test did. */
static inline int os_teardown(void **state)
{
	dmae_set_log_handler(NULL, NULL);
	return 0;
}

static inline struct dmae_thread *os_spawn(void (*fn)(void *), void *arg)
{
	struct dmae_thread *t = NULL;

	assert_int_equal(dmae_thread_create(&t, fn, arg, "os-test"), 0);
	return t;
}

static inline u32 os_load(const u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void os_store(u32 *p, u32 v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline u32 os_inc(u32 *p)
{
	return __atomic_add_fetch(p, 1, __ATOMIC_ACQ_REL);
}

/*
 * os_wait_flag - wait for *@flag to be set, without sleeping: for handlers
 * (which may not sleep) held until the test releases them.
 */
static inline void os_wait_flag(const u32 *flag)
{
	while (!os_load(flag))
		dmae_yield();
}

/* A thread body that sets the u32 flag it is given. */
static inline void os_set_flag_thread(void *flag)
{
	os_store(flag, 1);
}

/* os_sleep_ms - only to show that something does NOT happen meanwhile. */
static inline void os_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

#define OS_NEGATIVE_MS 20 /* how long "does not happen" is watched */

int os_sync_tests(void);
int os_relay_tests(void);
int os_tasklet_tests(void);
int os_irq_tests(void);
int os_timer_tests(void);

#endif /* DMAE_TESTS_OS_TEST_H */
