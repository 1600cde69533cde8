// SPDX-License-Identifier: MIT
/*
 * test_trace.c - trace events (dmaengine/trace.h): the file is valid JSON in
 * the trace-event format, and holds every step of each descriptor's life in
 * order, on the cpu provider and on a virt-dma provider (vchan-sim), with the
 * device and channel names, aborts and terminates; the API's errors; and the
 * cost: no allocation between prep and callback, with tracing off (and no
 * file) and with tracing on.
 *
 * Linked with --wrap for malloc and its relatives, as test_fastpath_alloc:
 * every allocation goes through the counter of common/alloc_count.h, which
 * counts only while a test measures.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <dmaengine/cpu.h>
#include <dmaengine/os.h>
#include <dmaengine/trace.h>

#include "common/alloc_count.h"
#include "common/chan.h"
#include "common/vchan_sim.h"
#include "json.h"

/* ------------------------------------------------------------ helpers */

#define WAIT_MS 10000u	 /* bound on every wait */
#define NCOPIES 8	 /* copies with a callback per provider */
#define LEN 4096	 /* bytes of each of them */
#define BIG (8u << 20)	 /* a copy long enough to be terminated while it runs */

static u8 src[LEN], dst[NCOPIES][LEN];

static dma_addr_t bus(const void *p)
{
	return (dma_addr_t)(uintptr_t)p;
}

/* A path of its own for @name in the temporary directory. */
static void trace_path(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(buf, size, "%s/dmae-test-trace-%d-%s.json", dir ? dir : "/tmp", (int)getpid(),
		 name);
	unlink(buf);
}

static struct dma_device *cpu_probe(unsigned int channels)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.channels = channels;
	p.workers = 1;
	p.descs = 64;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	return dma;
}

static void on_done(void *param)
{
	complete(param);
}

/* Copy @n buffers with a callback each; wait for all. @cookies: theirs. */
static void copy_with_callbacks(struct dma_chan *chan, int n, dma_cookie_t *cookies)
{
	struct completion done[NCOPIES];

	for (int i = 0; i < n; i++) {
		struct dma_async_tx_descriptor *tx;

		init_completion(&done[i]);
		tx = dmaengine_prep_dma_memcpy(chan, bus(dst[i]), bus(src), LEN,
					       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		assert_non_null(tx);
		tx->callback = on_done;
		tx->callback_param = &done[i];
		cookies[i] = dmaengine_submit(tx);
		assert_true(cookies[i] > 0);
	}
	dma_async_issue_pending(chan);
	for (int i = 0; i < n; i++)
		assert_true(wait_for_completion_timeout(&done[i], msecs_to_jiffies(WAIT_MS)) > 0);
}

/* ------------------------------------------------- reading the trace file */

/* One event of the file, the fields the checks use. */
struct ev {
	const char *name;   /* "name" */
	char ph;	    /* first character of "ph" */
	double ts, dur;	    /* microseconds */
	long pid, tid;	    /* -1 when absent */
	long cookie;	    /* args.cookie, -1 when absent */
	const char *desc;   /* args.desc */
	const char *id;	    /* id2.local (async) */
	const char *result; /* args.result */
	const char *label;  /* args.name (metadata) */
};

struct trace {
	struct json *root; /* the parsed file */
	struct ev *ev;	   /* its events in file order */
	size_t n;	   /* entries of ev */
	double dropped;	   /* otherData.dropped_events */
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	text = malloc((size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = '\0';
	fclose(f);
	return text;
}

static void ev_fill(struct ev *e, const struct json *j)
{
	const struct json *args = json_get(j, "args"), *id2 = json_get(j, "id2");
	const char *ph = json_get_str(j, "ph");

	assert_non_null(ph);
	e->name = json_get_str(j, "name");
	assert_non_null(e->name);
	e->ph = ph[0];
	e->ts = json_get_num(j, "ts", -1);
	e->dur = json_get_num(j, "dur", -1);
	e->pid = (long)json_get_num(j, "pid", -1);
	e->tid = (long)json_get_num(j, "tid", -1);
	e->cookie = (long)json_get_num(args, "cookie", -1);
	e->desc = json_get_str(args, "desc");
	e->result = json_get_str(args, "result");
	e->label = json_get_str(args, "name");
	e->id = json_get_str(id2, "local");
	/* What the Trace Event Format asks of each phase. */
	if (e->ph != 'M')
		assert_true(e->ts > 0);
	if (e->ph == 'X')
		assert_true(e->dur >= 0);
	if (e->ph == 'i')
		assert_non_null(json_get_str(j, "s"));
	if (e->ph == 'b' || e->ph == 'e')
		assert_non_null(e->id);
}

/* Parse @path: valid JSON, {"traceEvents":[...], "otherData":{...}}. */
static void trace_load(struct trace *t, const char *path)
{
	char *text = read_file(path), err[200];
	const struct json *events;

	t->root = json_parse(text, err, sizeof(err));
	if (!t->root)
		fail_msg("%s is not JSON: %s", path, err);
	free(text);
	events = json_get(t->root, "traceEvents");
	assert_non_null(events);
	assert_int_equal(events->type, JSON_ARRAY);
	t->n = events->n;
	t->ev = calloc(t->n, sizeof(*t->ev));
	for (size_t i = 0; i < t->n; i++) {
		assert_int_equal(events->items[i]->type, JSON_OBJECT);
		ev_fill(&t->ev[i], events->items[i]);
	}
	t->dropped = json_get_num(json_get(t->root, "otherData"), "dropped_events", -1);
}

static void trace_free(struct trace *t)
{
	json_free(t->root);
	free(t->ev);
}

static long pid_of(struct dma_chan *chan)
{
	return chan->device->dev_id + 1;
}

static long tid_of(struct dma_chan *chan)
{
	return pid_of(chan) * 1000 + chan->chan_id;
}

/* The earliest event on @tid named @name with @ph, matching @cookie (-1 any)
 * and @desc (NULL any), at or after @ts (the file is not in time order). */
static const struct ev *find(const struct trace *t, long tid, const char *name, char ph,
			     long cookie, const char *desc, double ts)
{
	const struct ev *best = NULL;

	for (size_t i = 0; i < t->n; i++) {
		const struct ev *e = &t->ev[i];

		if (e->tid != tid || e->ph != ph || strcmp(e->name, name) || e->ts < ts)
			continue;
		if (cookie >= 0 && e->cookie != cookie)
			continue;
		if (desc && (!e->desc || strcmp(e->desc, desc)))
			continue;
		if (!best || e->ts < best->ts)
			best = e;
	}
	return best;
}

static unsigned int count_named(const struct trace *t, long tid, const char *name, char ph)
{
	unsigned int n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->ev[i].tid == tid && t->ev[i].ph == ph && !strcmp(t->ev[i].name, name);
	return n;
}

/* The latest prep of @desc on @tid no later than @ts. */
static const struct ev *find_prep(const struct trace *t, long tid, const char *desc, double ts)
{
	const struct ev *best = NULL;

	for (size_t i = 0; i < t->n; i++) {
		const struct ev *e = &t->ev[i];

		if (e->tid == tid && e->ph == 'i' && !strcmp(e->name, "prep") && e->desc &&
		    !strcmp(e->desc, desc) && e->ts <= ts && (!best || e->ts > best->ts))
			best = e;
	}
	return best;
}

/* The async slice of @desc: begin at @b, end at @e. */
static void check_async(const struct trace *t, struct dma_chan *chan, const char *desc,
			double b, double e)
{
	bool begun = false, ended = false;

	for (size_t i = 0; i < t->n; i++) {
		const struct ev *a = &t->ev[i];

		if ((a->ph != 'b' && a->ph != 'e') || strcmp(a->id, desc) || a->pid != pid_of(chan))
			continue;
		assert_string_equal(a->name, dma_chan_name(chan));
		begun |= a->ph == 'b' && a->ts == b;
		ended |= a->ph == 'e' && a->ts == e;
	}
	assert_true(begun && ended);
}

/* One descriptor's whole life: prep <= submit <= issue <= start <= complete <= callback. */
static void check_life(const struct trace *t, struct dma_chan *chan, dma_cookie_t cookie)
{
	long tid = tid_of(chan);
	const struct ev *submit, *prep, *issue, *start, *comp, *cb;

	submit = find(t, tid, "submit", 'i', cookie, NULL, 0);
	assert_non_null(submit);
	assert_non_null(submit->desc);
	prep = find_prep(t, tid, submit->desc, submit->ts);
	assert_non_null(prep);
	for (issue = NULL; !issue || issue->cookie < cookie;) { /* the first that covers it */
		double after = issue ? issue->ts + 0.0005 : submit->ts;

		issue = find(t, tid, "issue", 'i', -1, NULL, after);
		assert_non_null(issue);
	}
	start = find(t, tid, "start", 'i', cookie, submit->desc, 0);
	comp = find(t, tid, "complete", 'i', cookie, submit->desc, 0);
	assert_non_null(start);
	assert_non_null(comp);
	assert_string_equal(comp->result, "noerror");
	cb = find(t, tid, "callback", 'X', -1, submit->desc, comp->ts);
	assert_non_null(cb);
	assert_true(prep->ts <= submit->ts);
	assert_true(submit->ts <= issue->ts);
	assert_true(issue->ts <= start->ts);
	assert_true(start->ts <= comp->ts);
	assert_true(comp->ts <= cb->ts);
	check_async(t, chan, submit->desc, submit->ts, comp->ts);
}

/* An aborted descriptor: submitted, then an abort; never started or completed. */
static void check_aborted(const struct trace *t, struct dma_chan *chan, dma_cookie_t cookie)
{
	long tid = tid_of(chan);
	const struct ev *submit = find(t, tid, "submit", 'i', cookie, NULL, 0);
	const struct ev *abort = find(t, tid, "abort", 'i', cookie, NULL, 0);

	assert_non_null(submit);
	assert_non_null(abort);
	assert_string_equal(abort->desc, submit->desc);
	assert_true(submit->ts <= abort->ts);
	assert_null(find(t, tid, "complete", 'i', cookie, submit->desc, 0));
	check_async(t, chan, submit->desc, submit->ts, abort->ts);
}

/* The metadata: the device's process and the channel's thread, named. */
static void check_names(const struct trace *t, struct dma_chan *chan)
{
	bool proc = false, thread = false;

	for (size_t i = 0; i < t->n; i++) {
		const struct ev *e = &t->ev[i];

		if (e->ph != 'M' || e->pid != pid_of(chan))
			continue;
		if (!strcmp(e->name, "process_name")) {
			assert_string_equal(e->label, dev_name(chan->device->dev));
			proc = true;
		}
		if (!strcmp(e->name, "thread_name") && e->tid == tid_of(chan)) {
			assert_string_equal(e->label, dma_chan_name(chan));
			thread = true;
		}
	}
	assert_true(proc && thread);
}

/* A terminate on the channel after @ts, and a synchronize after it. */
static void check_terminate(const struct trace *t, struct dma_chan *chan, double ts)
{
	const struct ev *term = find(t, tid_of(chan), "terminate", 'i', -1, NULL, ts);

	assert_non_null(term);
	assert_non_null(find(t, tid_of(chan), "synchronize", 'i', -1, NULL, term->ts));
}

/* ------------------------------------------------------------ the tests */

/* cpu provider: copies with callbacks, then one aborted by terminate_sync. */
static void test_cpu_life(void **state)
{
	struct dma_device *dma = cpu_probe(2);
	struct dma_chan *chan = request_memcpy_chan(dma);
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookies[NCOPIES], aborted;
	struct trace t;
	char path[256];

	trace_path(path, sizeof(path), "cpu");
	assert_int_equal(dmaengine_trace_start(path), 0);
	assert_true(dmaengine_trace_enabled());
	copy_with_callbacks(chan, NCOPIES, cookies);
	/* Paused: the next one is queued, never started, then terminated. */
	assert_int_equal(dmaengine_pause(chan), 0);
	tx = dmaengine_prep_dma_memcpy(chan, bus(dst[0]), bus(src), LEN, DMA_CTRL_ACK);
	assert_non_null(tx);
	aborted = dmaengine_submit(tx);
	assert_true(aborted > 0);
	dma_async_issue_pending(chan);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	assert_int_equal(dmaengine_trace_stop(), 0);
	assert_false(dmaengine_trace_enabled());

	trace_load(&t, path);
	assert_true(t.dropped == 0);
	for (int i = 0; i < NCOPIES; i++)
		check_life(&t, chan, cookies[i]);
	assert_int_equal(count_named(&t, tid_of(chan), "callback", 'X'), NCOPIES);
	check_aborted(&t, chan, aborted);
	assert_non_null(find(&t, tid_of(chan), "pause", 'i', -1, NULL, 0));
	check_terminate(&t, chan, 0);
	check_names(&t, chan);
	trace_free(&t);
	unlink(path);

	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* virt-dma (vchan-sim): copies with callbacks, then a running and a queued one terminated. */
static void test_vchan_life(void **state)
{
	struct dma_device *dma = vchan_sim_probe("trace-sim", 2);
	u8 *big = malloc(2 * BIG);
	struct dma_async_tx_descriptor *tx[2];
	dma_cookie_t cookies[NCOPIES], c[2];
	const struct ev *abort0, *comp0;
	struct dma_chan *chan;
	struct trace t;
	char path[256];

	assert_false(IS_ERR(dma));
	assert_non_null(big);
	chan = request_memcpy_chan(dma);
	trace_path(path, sizeof(path), "vchan");
	assert_int_equal(dmaengine_trace_start(path), 0);
	copy_with_callbacks(chan, NCOPIES, cookies);
	for (int i = 0; i < 2; i++) {
		tx[i] = dmaengine_prep_dma_memcpy(chan, bus(big + BIG), bus(big), BIG,
						  DMA_CTRL_ACK);
		assert_non_null(tx[i]);
		c[i] = dmaengine_submit(tx[i]);
		assert_true(c[i] > 0);
	}
	dma_async_issue_pending(chan);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	assert_int_equal(dmaengine_trace_stop(), 0);

	trace_load(&t, path);
	assert_true(t.dropped == 0);
	for (int i = 0; i < NCOPIES; i++)
		check_life(&t, chan, cookies[i]);
	/* The second waited behind an 8 MiB copy: aborted. The first ran: aborted or done. */
	check_aborted(&t, chan, c[1]);
	abort0 = find(&t, tid_of(chan), "abort", 'i', c[0], NULL, 0);
	comp0 = find(&t, tid_of(chan), "complete", 'i', c[0], NULL, 0);
	assert_true(!abort0 != !comp0);
	assert_non_null(find(&t, tid_of(chan), "start", 'i', c[0], NULL, 0));
	check_terminate(&t, chan, 0);
	check_names(&t, chan);
	trace_free(&t);
	unlink(path);

	dma_release_channel(chan);
	assert_int_equal(vchan_sim_remove(dma), 0);
	free(big);
}

/* Errors: bad paths, twice, stop when off; a second session has only its own events. */
static void test_api(void **state)
{
	struct dma_device *dma = cpu_probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	dma_cookie_t cookies[NCOPIES];
	char path[256], path2[256];
	struct trace t;

	trace_path(path, sizeof(path), "api1");
	trace_path(path2, sizeof(path2), "api2");
	assert_int_equal(dmaengine_trace_start(NULL), -EINVAL);
	assert_int_equal(dmaengine_trace_start(""), -EINVAL);
	assert_int_equal(dmaengine_trace_start("/nonexistent-dir/x.json"), -ENOENT);
	assert_int_equal(dmaengine_trace_stop(), -EINVAL);
	assert_false(dmaengine_trace_enabled());

	assert_int_equal(dmaengine_trace_start(path), 0);
	assert_int_equal(dmaengine_trace_start(path2), -EBUSY);
	copy_with_callbacks(chan, 2, cookies);
	assert_int_equal(dmaengine_trace_stop(), 0);
	assert_int_equal(dmaengine_trace_stop(), -EINVAL);
	assert_int_equal(access(path2, F_OK), -1);

	/* Between sessions nothing is recorded; the second file is a file of its own. */
	copy_with_callbacks(chan, 2, cookies);
	assert_int_equal(dmaengine_trace_start(path2), 0);
	copy_with_callbacks(chan, 3, cookies);
	assert_int_equal(dmaengine_trace_stop(), 0);
	trace_load(&t, path2);
	assert_int_equal(count_named(&t, tid_of(chan), "submit", 'i'), 3);
	assert_int_equal(count_named(&t, tid_of(chan), "callback", 'X'), 3);
	for (int i = 0; i < 3; i++)
		check_life(&t, chan, cookies[i]);
	trace_free(&t);
	trace_load(&t, path);
	assert_int_equal(count_named(&t, tid_of(chan), "submit", 'i'), 2);
	trace_free(&t);
	unlink(path);
	unlink(path2);

	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* A forked child that exits normally leaves the parent's file alone. */
/*
 * LeakSanitizer's check at exit stops the world with a tracer thread; in a
 * child forked from a process whose other threads were busy it was seen to
 * hang (1 run in 10 under load). The child's leaks are the parent's memory
 * anyway: the check is off there. LSan asks this hook before checking.
 */
static volatile int forked_child;

int __lsan_is_turned_off(void);
__attribute__((used, visibility("default"))) int __lsan_is_turned_off(void)
{
	return forked_child;
}

static void test_fork(void **state)
{
	struct dma_device *dma = cpu_probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	dma_cookie_t cookies[NCOPIES];
	char path[256];
	struct trace t;
	int status;
	pid_t pid;

	trace_path(path, sizeof(path), "fork");
	assert_int_equal(dmaengine_trace_start(path), 0);
	copy_with_callbacks(chan, 2, cookies);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) { /* the child: the library's destructor runs at exit */
		forked_child = 1;
		exit(dmaengine_trace_stop() == -EINVAL ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	copy_with_callbacks(chan, 2, cookies + 2);
	assert_int_equal(dmaengine_trace_stop(), 0);
	trace_load(&t, path);
	assert_int_equal(count_named(&t, tid_of(chan), "callback", 'X'), 4);
	for (int i = 0; i < 4; i++)
		check_life(&t, chan, cookies[i]);
	trace_free(&t);
	unlink(path);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* Rounds of copies with callbacks, counting allocations after a warm-up. */
static unsigned long allocations(struct dma_chan *chan)
{
	dma_cookie_t cookies[NCOPIES];

	for (int r = 0; r < 20; r++)
		copy_with_callbacks(chan, NCOPIES, cookies); /* warm-up */
	alloc_count_start();
	for (int r = 0; r < 200; r++)
		copy_with_callbacks(chan, NCOPIES, cookies);
	return alloc_count_stop();
}

/* Off: no file appears, nothing is allocated between prep and callback. */
static void test_off_costs_nothing(void **state)
{
	struct dma_device *dma = cpu_probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	char path[256];

	trace_path(path, sizeof(path), "off");
	assert_false(dmaengine_trace_enabled());
	assert_int_equal(allocations(chan), 0);
	assert_int_equal(access(path, F_OK), -1);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* On: the events go to preallocated buffers; nothing is allocated either. */
static void test_on_allocates_nothing(void **state)
{
	struct dma_device *dma = cpu_probe(1);
	struct dma_chan *chan = request_memcpy_chan(dma);
	unsigned long n;
	struct trace t;
	char path[256];

	trace_path(path, sizeof(path), "on");
	assert_int_equal(dmaengine_trace_start(path), 0);
	n = allocations(chan);
	assert_int_equal(dmaengine_trace_stop(), 0);
	assert_int_equal(n, 0);
	trace_load(&t, path);
	/* 220 rounds of NCOPIES, each a submit, unless the writer fell behind. */
	assert_int_equal(count_named(&t, tid_of(chan), "submit", 'i') + (unsigned int)t.dropped >=
			 220 * NCOPIES, 1);
	trace_free(&t);
	unlink(path);
	dma_release_channel(chan);
	assert_int_equal(dma_cpu_remove(dma), 0);
}

/* The JSON checker itself refuses what is not JSON. */
static void test_json_checker(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "[01]", "[1.]", "\"\\x\"", "[1] [2]",
		"{\"a\" 1}", "[tru]", "\"a\nb\"", "[\"\\ud800\"]",
	};
	char err[100];
	struct json *v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = json_parse(bad[i], err, sizeof(err));
		if (v)
			fail_msg("accepted %s", bad[i]);
	}
	v = json_parse(" {\"a\":[1,-2.5e3,true,false,null,\"\\u00e9\\n\"],\"b\":{}} ", err,
		       sizeof(err));
	assert_non_null(v);
	assert_int_equal(json_get(v, "a")->n, 6);
	assert_true(json_get(v, "a")->items[1]->number == -2500);
	assert_string_equal(json_get(v, "a")->items[5]->string, "\xc3\xa9\n");
	json_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test(test_cpu_life),
		cmocka_unit_test(test_vchan_life),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_off_costs_nothing),
		cmocka_unit_test(test_on_allocates_nothing),
	};

	setenv("DMAENGINE_PLATFORM", "none", 1);
	if (dmaengine_trace_enabled()) /* DMAENGINE_TRACE: the tests start their own */
		dmaengine_trace_stop();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
