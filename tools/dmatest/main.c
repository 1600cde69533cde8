// SPDX-License-Identifier: MIT
/*
 * main.c - dmatest: the kernel's DMA engine test module as a program.
 *
 *   dmatest [name=value | --name=value]... [--json[=FILE]] [--seed=N] [trace=FILE]
 *           [board=SPEC] [--help]
 *
 * Does what "modprobe dmatest run=1 wait=1 <params>" does, then exits:
 * 0 when every test passed, 1 when one failed (or a thread could not run),
 * 2 for bad parameters or when there is no channel to test. Interrupted
 * (SIGINT, SIGTERM), the threads stop after their current test and print
 * their summaries, as "echo 0 > run" makes them. See docs/dmatest.md.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <dmaengine/trace.h>

#include "dmatest.h"

static struct dmatest_info dmatest_info; /* the run; the signal handler stops it */

/*
 * SIGINT and SIGTERM are blocked in every thread (the mask is set before the
 * library makes any) and taken by one thread in sigwait(): a handler could
 * land on a thread asleep in a raw futex, where TSan never runs it. The
 * first stops the tests; a second kills, as the default action does.
 */
static sigset_t dmatest_sigs;

static void dmatest_block_signals(void)
{
	sigemptyset(&dmatest_sigs);
	sigaddset(&dmatest_sigs, SIGINT);
	sigaddset(&dmatest_sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &dmatest_sigs, NULL);
}

static void *dmatest_signal_thread(void *arg)
{
	int sig;

	(void)arg;
	if (sigwait(&dmatest_sigs, &sig))
		return NULL;
	__atomic_store_n(&dmatest_info.stop, 1, __ATOMIC_RELAXED);
	if (sigwait(&dmatest_sigs, &sig))
		return NULL;
	signal(sig, SIG_DFL);
	pthread_sigmask(SIG_UNBLOCK, &dmatest_sigs, NULL);
	raise(sig);
	return NULL;
}

static void dmatest_catch_signals(void)
{
	pthread_t t;

	if (!pthread_create(&t, NULL, dmatest_signal_thread, NULL))
		pthread_detach(t);
}

static unsigned long long dmatest_random_seed(void)
{
	unsigned long long seed;

	if (getrandom(&seed, sizeof(seed), 0) == (ssize_t)sizeof(seed))
		return seed;
	return (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
}

/* Why channel= @name added nothing: one line on standard error. */
static void dmatest_explain_channel(const struct dmatest_info *info, const char *name)
{
	const struct dmatest_params *p = &info->params;
	char in_use[16];
	ssize_t n;

	n = dmaengine_chan_attr(name, "in_use", in_use, sizeof(in_use));
	if (n < 0)
		fprintf(stderr, "dmatest: channel=%s: no such channel\n", name);
	else if (p->max_channels && info->nr_channels >= p->max_channels)
		fprintf(stderr, "dmatest: channel=%s: max_channels=%u reached before it\n", name,
			p->max_channels);
	else if (atoi(in_use))
		fprintf(stderr, "dmatest: channel=%s: channel busy\n", name);
	else if (p->device[0])
		fprintf(stderr, "dmatest: channel=%s: not a channel of device=%s\n", name,
			p->device);
	else
		fprintf(stderr, "dmatest: channel=%s: can do none of memcpy, memset, xor, pq\n",
			name);
}

/* Request the channels, as the channel parameter and run=1 do. @return 0 or -ENODEV. */
static int dmatest_add_channels(struct dmatest_info *info, const struct dmatest_options *opt)
{
	unsigned int i;

	if (!opt->nr_channels) {
		if (opt->params.run)
			dmatest_pr("No channels configured, continue with any");
		if (dmatest_add_test(info, "") > 0)
			return 0;
		if (opt->params.device[0])
			fprintf(stderr, "dmatest: device=%s: no such device, or no free channel on it\n",
				opt->params.device);
		else
			fprintf(stderr, "dmatest: no free DMA channel to test\n");
		return -ENODEV;
	}
	for (i = 0; i < opt->nr_channels; i++) {
		if (dmatest_add_test(info, opt->channels[i]) <= 0) {
			dmatest_explain_channel(info, opt->channels[i]);
			return -ENODEV;
		}
	}
	return 0;
}

/* trace=FILE: trace the run into FILE. One line and -errno when it cannot. */
static int dmatest_trace_start(const char *path)
{
	int ret = dmaengine_trace_start(path);

	if (ret == -EBUSY)
		fprintf(stderr, "dmatest: trace=%s: tracing is on already (DMAENGINE_TRACE)\n",
			path);
	else if (ret)
		fprintf(stderr, "dmatest: trace=%s: %s\n", path, strerror(-ret));
	return ret;
}

/* Complete the trace file. One line and -errno when it could not be written. */
static int dmatest_trace_stop(const char *path)
{
	int ret = dmaengine_trace_stop();

	if (ret)
		fprintf(stderr, "dmatest: trace=%s: %s\n", path, strerror(-ret));
	return ret;
}

/* 1 if a thread failed a test or could not run, else 0. */
static int dmatest_exit_status(const struct dmatest_info *info)
{
	const struct dmatest_thread *thread;
	const struct dmatest_chan *dtc;

	list_for_each_entry(dtc, &info->channels, node)
		list_for_each_entry(thread, &dtc->threads, node)
			if (thread->failed_tests || thread->ret)
				return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct dmatest_info *info = &dmatest_info;
	struct dmatest_options opt;
	int status = 2;

	dmatest_block_signals();
	memset(&opt, 0, sizeof(opt));
	if (dmatest_parse_args(argc, argv, &opt))
		goto out;
	if (opt.help) {
		dmatest_usage(stdout);
		status = 0;
		goto out;
	}
	if (dmatest_check_params(&opt))
		goto out;

	if (opt.trace_path && dmatest_trace_start(opt.trace_path))
		goto out;
	setvbuf(stdout, NULL, _IOLBF, 0);
	dmatest_log_to_stdout();
	info->params = opt.params;
	info->seed = opt.seed_given ? opt.seed : dmatest_random_seed();
	INIT_LIST_HEAD(&info->channels);
	dmaengine_platform_init();
	if (dmatest_add_channels(info, &opt))
		goto out_release;
	if (!info->params.run) {
		status = 0;
		goto out_release;
	}
	if (!dmatest_thread_count(info)) {
		fprintf(stderr, "dmatest: no thread to run: the channels can do none of what "
			"dmatest=%u asks\n", info->params.dmatest);
		goto out_release;
	}

	dmatest_catch_signals();
	dmatest_run_tests(info);
	dmatest_wait_tests(info);
	status = dmatest_exit_status(info);
	if (opt.json && dmatest_write_json(info, &opt))
		status = status ? status : 1;
out_release:
	dmatest_release_channels(info);
	if (opt.trace_path && dmatest_trace_stop(opt.trace_path) && status != 2)
		status = status ? status : 1;
out:
	dmatest_options_free(&opt);
	return status;
}
