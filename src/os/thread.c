// SPDX-License-Identifier: MIT
/*
 * thread.c - the library's threads: created named, with signals blocked,
 * joined and freed. The only place that creates a pthread.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmaengine/os.h>

#define DMAE_THREAD_NAME_MAX 16 /* the kernel's TASK_COMM_LEN, with the NUL */

struct dmae_thread {
	pthread_t id;			  /* the pthread behind it */
	void (*fn)(void *);		  /* what the thread runs */
	void *arg;			  /* argument of fn */
	char name[DMAE_THREAD_NAME_MAX];  /* shown by ps, top and debuggers */
	u32 returned;			  /* fn returned (atomic) */
	wait_queue_head_t exit_wq;	  /* dmae_thread_join sleeps here */
};

/* On a library thread: its scheduler statistics file, opened on first use
 * (DMAE_STAT_UNOPENED), or -1 when there is none. Other threads: unset. */
#define DMAE_STAT_UNSET (-3)
#define DMAE_STAT_UNOPENED (-2)
static __thread int stat_fd = DMAE_STAT_UNSET;

static void *dmae_thread_main(void *p)
{
	struct dmae_thread *thread = p;

	pthread_setname_np(pthread_self(), thread->name);
	stat_fd = DMAE_STAT_UNOPENED;
	thread->fn(thread->arg);
	/* A wait queue, not only pthread_join: a joiner's sleep counts as one (quiesce.c). */
	__atomic_store_n(&thread->returned, 1, __ATOMIC_RELEASE);
	wake_up(&thread->exit_wq);
	if (stat_fd >= 0)
		close(stat_fd);
	stat_fd = DMAE_STAT_UNSET;
	return NULL;
}

DMAE_EXPORT int dmae_thread_sched_ns(s64 *on_cpu, s64 *waiting)
{
	char buf[96], *end;
	ssize_t n;

	if (stat_fd == DMAE_STAT_UNOPENED)
		/* "<ns on the CPU> <ns waiting for it> <time slices>" (Linux schedstat) */
		stat_fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	if (stat_fd < 0)
		return -ENOSYS;
	n = pread(stat_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -ENOSYS;
	buf[n] = '\0';
	*on_cpu = (s64)strtoull(buf, &end, 10);
	if (end == buf)
		return -ENOSYS;
	*waiting = (s64)strtoull(end, NULL, 10);
	return 0;
}

/**
 * dmae_thread_create - start @fn(@arg) on a thread named @name (cut to 15
 * characters). The library's threads never take the application's
 * asynchronous signals: they start with every signal blocked (the mask is
 * inherited from the creator, whose own is restored at once).
 * Returns 0, -ENOMEM or -errno of pthread_create (-EAGAIN). Context: any.
 */
DMAE_EXPORT int dmae_thread_create(struct dmae_thread **thread, void (*fn)(void *),
				   void *arg, const char *name)
{
	struct dmae_thread *t;
	sigset_t all, old;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	init_waitqueue_head(&t->exit_wq);
	strncpy(t->name, name ? name : "dmaengine", sizeof(t->name) - 1);

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t->id, NULL, dmae_thread_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		free(t);
		return -err;
	}
	*thread = t;
	return 0;
}

/**
 * dmae_thread_join - wait for @thread to return, then free it (NULL: nothing).
 * Context: process, not on @thread itself.
 */
DMAE_EXPORT void dmae_thread_join(struct dmae_thread *thread)
{
	if (!thread)
		return;
	wait_event(thread->exit_wq, __atomic_load_n(&thread->returned, __ATOMIC_ACQUIRE));
	pthread_join(thread->id, NULL);
	free(thread);
}
