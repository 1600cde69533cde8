/* SPDX-License-Identifier: MIT */
/*
 * log_capture.h - private to the tests: the library's log lines, captured
 * through dmae_set_log_handler(), so that a test can check that bad input
 * got exactly one line saying what was wrong.
 */
#ifndef DMAE_TESTS_COMMON_LOG_CAPTURE_H
#define DMAE_TESTS_COMMON_LOG_CAPTURE_H

#include <dmaengine/os.h>

/* Start capturing the library's log lines (forgetting any captured before). */
void log_capture_start(void);
/* Back to standard error. */
void log_capture_stop(void);
/* Forget the lines captured so far. */
void log_reset(void);
/* Lines captured since the last reset. */
int log_lines(void);
/* Line @i (0 first) since the last reset, "" when there is none. */
const char *log_line(int i);
/* Level of line @i. */
enum dmae_log_level log_level(int i);

/* How many of the lines captured since the last reset contain @text. */
int log_find(const char *text);
/* Print the captured lines (cmocka's error output): for a failing test. */
void log_dump(void);

/* Fail unless exactly one line was captured and it contains every string given. */
void log_assert_one_line(const char *file, int line, ...);
#define assert_one_line(...) log_assert_one_line(__FILE__, __LINE__, __VA_ARGS__, (char *)NULL)
/* Fail unless exactly @n lines were captured. */
void log_assert_lines(const char *file, int line, int n);
#define assert_log_lines(n) log_assert_lines(__FILE__, __LINE__, (n))

#endif /* DMAE_TESTS_COMMON_LOG_CAPTURE_H */
