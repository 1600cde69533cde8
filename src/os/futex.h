/* SPDX-License-Identifier: MIT */
/*
 * futex.h - the futex system call and the full memory barrier, private to src/os.
 *
 * Only src/os/lock.c and src/os/waitqueue.c sleep on futexes; everything else
 * in the library sleeps through locks and wait queues.
 */
#ifndef DMAE_OS_FUTEX_H
#define DMAE_OS_FUTEX_H

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <dmaengine/types.h>

/**
 * dmae__futex_wait - sleep while *@addr == @val, at most @timeout (NULL: no limit).
 * Returns early on a wake-up, a signal, or when *@addr differs; the caller
 * re-checks its condition. Context: process.
 */
static inline void dmae__futex_wait(u32 *addr, u32 val, const struct timespec *timeout)
{
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, timeout, NULL, 0);
}

/** dmae__futex_wake - wake up to @nr threads sleeping on @addr. Context: any. */
static inline void dmae__futex_wake(u32 *addr, int nr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, nr, NULL, NULL, 0);
}

/*
 * dmae__smp_mb - full barrier ordering earlier stores before later loads
 * (the store-load pair of a sleep/wake handshake). ThreadSanitizer does not
 * model fences, and gcc warns about that; the fence still executes, and the
 * happens-before TSan needs comes from the atomics around it.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
static inline void dmae__smp_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic pop
#endif

#endif /* DMAE_OS_FUTEX_H */
