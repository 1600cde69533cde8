// SPDX-License-Identifier: MIT
/*
 * log_capture.c - the library's log lines, captured for tests to check
 * (see log_capture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/log_capture.h"

#define LOG_MAX_LINES 256
#define LOG_LINE_MAX 512

/* Lines the library printed; they may come from any thread. */
static struct {
	spinlock_t lock;			   /* protects the fields below */
	int lines;				   /* lines since the last reset */
	enum dmae_log_level level[LOG_MAX_LINES];  /* level of each kept line */
	char text[LOG_MAX_LINES][LOG_LINE_MAX];	   /* the first LOG_MAX_LINES lines */
} capture;

static void log_capture_fn(enum dmae_log_level level, const char *line, void *arg)
{
	spin_lock(&capture.lock);
	if (capture.lines < LOG_MAX_LINES) {
		capture.level[capture.lines] = level;
		snprintf(capture.text[capture.lines], LOG_LINE_MAX, "%s", line);
	}
	capture.lines++;
	spin_unlock(&capture.lock);
}

void log_reset(void)
{
	spin_lock(&capture.lock);
	capture.lines = 0;
	memset(capture.text, 0, sizeof(capture.text));
	spin_unlock(&capture.lock);
}

void log_capture_start(void)
{
	log_reset();
	dmae_set_log_handler(log_capture_fn, NULL);
}

void log_capture_stop(void)
{
	dmae_set_log_handler(NULL, NULL);
}

int log_lines(void)
{
	int n;

	spin_lock(&capture.lock);
	n = capture.lines;
	spin_unlock(&capture.lock);
	return n;
}

const char *log_line(int i)
{
	const char *s;

	spin_lock(&capture.lock);
	s = i >= 0 && i < capture.lines && i < LOG_MAX_LINES ? capture.text[i] : "";
	spin_unlock(&capture.lock);
	return s;
}

enum dmae_log_level log_level(int i)
{
	enum dmae_log_level level;

	spin_lock(&capture.lock);
	level = i >= 0 && i < LOG_MAX_LINES ? capture.level[i] : (enum dmae_log_level)0;
	spin_unlock(&capture.lock);
	return level;
}

int log_find(const char *text)
{
	int n = 0;

	spin_lock(&capture.lock);
	for (int i = 0; i < capture.lines && i < LOG_MAX_LINES; i++)
		n += strstr(capture.text[i], text) != NULL;
	spin_unlock(&capture.lock);
	return n;
}

void log_dump(void)
{
	int n = log_lines();

	print_error("captured %d line(s):\n", n);
	for (int i = 0; i < n && i < LOG_MAX_LINES; i++)
		print_error("  [%d] \"%s\"\n", i, log_line(i));
}

void log_assert_lines(const char *file, int line, int n)
{
	if (log_lines() == n)
		return;
	print_error("expected %d log line(s)\n", n);
	log_dump();
	_fail(file, line);
}

void log_assert_one_line(const char *file, int line, ...)
{
	const char *want;
	va_list ap;
	bool ok = log_lines() == 1;

	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (ok && !strstr(log_line(0), want)) {
			print_error("log line lacks \"%s\"\n", want);
			ok = false;
		}
	}
	va_end(ap);
	if (ok)
		return;
	print_error("expected exactly one log line\n");
	log_dump();
	_fail(file, line);
}

