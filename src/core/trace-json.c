// SPDX-License-Identifier: MIT
/*
 * trace-json.c - the trace file: recorded events written as Chrome
 * trace-event JSON ("JSON Object Format" of the Trace Event Format), which
 * the Perfetto UI and chrome://tracing load.
 *
 * A device is a process (pid = dev_id + 1), a channel a thread of it (tid =
 * pid * 1000 + chan_id): tids are unique across the whole file, as Perfetto
 * wants them. Times are microseconds with three decimals (nanoseconds).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <dmaengine/dmaengine.h>

#include "core/trace-json.h"

static const char *const trace_event_names[DMAE_TRACE_NR] = {
	[DMAE_TRACE_PREP] = "prep",
	[DMAE_TRACE_SUBMIT] = "submit",
	[DMAE_TRACE_ISSUE] = "issue",
	[DMAE_TRACE_START] = "start",
	[DMAE_TRACE_COMPLETE] = "complete",
	[DMAE_TRACE_CALLBACK] = "callback",
	[DMAE_TRACE_ABORT] = "abort",
	[DMAE_TRACE_TERMINATE] = "terminate",
	[DMAE_TRACE_SYNCHRONIZE] = "synchronize",
	[DMAE_TRACE_PAUSE] = "pause",
	[DMAE_TRACE_RESUME] = "resume",
	[DMAE_TRACE_REG_READ] = "read",
	[DMAE_TRACE_REG_WRITE] = "write",
	[DMAE_TRACE_HW_EVENT] = "event",
	[DMAE_TRACE_IRQ_LINE] = "irq",
	[DMAE_TRACE_REQUEST] = "request",
};

/* The operation of a prep, by enum dma_transaction_type. */
static const char *const trace_op_names[DMA_TX_TYPE_END] = {
	[DMA_MEMCPY] = "memcpy",	 [DMA_MEMCPY_SG] = "memcpy_sg",
	[DMA_XOR] = "xor",		 [DMA_PQ] = "pq",
	[DMA_XOR_VAL] = "xor_val",	 [DMA_PQ_VAL] = "pq_val",
	[DMA_MEMSET] = "memset",	 [DMA_MEMSET_SG] = "memset_sg",
	[DMA_INTERRUPT] = "interrupt",	 [DMA_SLAVE] = "slave",
	[DMA_CYCLIC] = "cyclic",	 [DMA_INTERLEAVE] = "interleave",
};

/* The result of a completion, by enum dmaengine_tx_result. */
static const char *const trace_result_names[] = {
	[DMA_TRANS_NOERROR] = "noerror",
	[DMA_TRANS_READ_FAILED] = "read_failed",
	[DMA_TRANS_WRITE_FAILED] = "write_failed",
	[DMA_TRANS_ABORTED] = "aborted",
};

static const char *trace_op_name(unsigned int op)
{
	if (op < DMA_TX_TYPE_END && trace_op_names[op])
		return trace_op_names[op];
	return "unknown";
}

static const char *trace_result_name(unsigned int result)
{
	if (result < sizeof(trace_result_names) / sizeof(trace_result_names[0]))
		return trace_result_names[result];
	return "unknown";
}

static unsigned int trace_pid(const struct dmae_trace_rec *r)
{
	return r->dev_id + 1u;
}

static unsigned int trace_tid(const struct dmae_trace_rec *r)
{
	return trace_pid(r) * 1000u + r->chan_id;
}

/* ------------------------------------------------ output, without stdio formatting */

/* Write @n bytes at @p to the file (no stdio: a forked child has nothing to flush twice). */
static void out_write(struct dmae_trace_json *j, const char *p, size_t n)
{
	while (n && !j->failed) {
		ssize_t w = write(j->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			j->failed = true;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Write what is buffered. */
static void out_flush(struct dmae_trace_json *j)
{
	out_write(j, j->out, j->len);
	j->len = 0;
}

/* Room for @n more bytes. */
static char *out_room(struct dmae_trace_json *j, size_t n)
{
	if (j->len + n > sizeof(j->out))
		out_flush(j);
	return j->out + j->len;
}

static void out_s(struct dmae_trace_json *j, const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof(j->out) / 2) {
		out_flush(j);
		out_write(j, s, n);
		return;
	}
	memcpy(out_room(j, n), s, n);
	j->len += n;
}

/* @v in decimal. */
static void out_u(struct dmae_trace_json *j, u64 v)
{
	char tmp[20], *p = out_room(j, sizeof(tmp));
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	j->len = (size_t)(p - j->out);
}

static void out_d(struct dmae_trace_json *j, s32 v)
{
	if (v < 0) {
		out_s(j, "-");
		out_u(j, (u64)-(s64)v);
	} else {
		out_u(j, (u64)v);
	}
}

/* "0x..." : an address, quoted (JSON numbers lose precision past 2^53). */
static void out_x(struct dmae_trace_json *j, u64 v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16], *p = out_room(j, sizeof(tmp) + 4);
	int n = 0;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	*p++ = '"';
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = tmp[--n];
	*p++ = '"';
	j->len = (size_t)(p - j->out);
}

/* Nanoseconds as microseconds with three decimals. */
static void out_us(struct dmae_trace_json *j, u64 ns)
{
	char *p;

	out_u(j, ns / 1000u);
	p = out_room(j, 4);
	p[0] = '.';
	p[1] = (char)('0' + ns / 100u % 10u);
	p[2] = (char)('0' + ns / 10u % 10u);
	p[3] = (char)('0' + ns % 10u);
	j->len += 4;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void out_str(struct dmae_trace_json *j, const char *s)
{
	char esc[8];

	out_s(j, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c < 0x20)
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		else
			snprintf(esc, sizeof(esc), "%c", c);
		out_s(j, esc);
	}
	out_s(j, "\"");
}

/* --------------------------------------------------------------- events */

/* The separator before each event of the array. */
static void trace_next(struct dmae_trace_json *j)
{
	out_s(j, j->events++ ? ",\n" : "\n");
}

/* {"name":...,"cat":...,"ph":...,"ts":...,"pid":...,"tid":... (left open). */
static void trace_head(struct dmae_trace_json *j, const struct dmae_trace_rec *r,
		       const char *name, const char *cat, const char *ph)
{
	trace_next(j);
	out_s(j, "{\"name\":\"");
	out_s(j, name);
	out_s(j, "\",\"cat\":\"");
	out_s(j, cat);
	out_s(j, "\",\"ph\":\"");
	out_s(j, ph);
	out_s(j, "\",\"ts\":");
	out_us(j, r->ts);
	out_s(j, ",\"pid\":");
	out_u(j, trace_pid(r));
	out_s(j, ",\"tid\":");
	out_u(j, trace_tid(r));
}

/* "cookie":N,"desc":"0x..." */
static void trace_cookie_desc(struct dmae_trace_json *j, const char *key,
			      const struct dmae_trace_rec *r)
{
	out_s(j, key);
	out_d(j, r->cookie);
	out_s(j, ",\"desc\":");
	out_x(j, r->desc);
}

/* The args of an instant event, by type. */
static void trace_args(struct dmae_trace_json *j, const struct dmae_trace_rec *r)
{
	switch (r->type) {
	case DMAE_TRACE_PREP:
		if (r->desc) {
			out_s(j, "\"desc\":");
			out_x(j, r->desc);
			out_s(j, ",");
		}
		out_s(j, "\"op\":\"");
		out_s(j, trace_op_name(r->arg));
		out_s(j, "\"");
		break;
	case DMAE_TRACE_SUBMIT:
		trace_cookie_desc(j, r->cookie > 0 ? "\"cookie\":" : "\"error\":", r);
		break;
	case DMAE_TRACE_START:
	case DMAE_TRACE_ABORT:
		trace_cookie_desc(j, "\"cookie\":", r);
		break;
	case DMAE_TRACE_COMPLETE:
		trace_cookie_desc(j, "\"cookie\":", r);
		out_s(j, ",\"result\":\"");
		out_s(j, trace_result_name(r->arg));
		out_s(j, "\"");
		break;
	default: /* channel events: the last cookie submitted on the channel */
		out_s(j, "\"cookie\":");
		out_d(j, r->cookie);
		break;
	}
}

static const char *trace_instant_name(const struct dmae_trace_rec *r)
{
	if (r->type == DMAE_TRACE_PREP && !r->desc)
		return "prep failed";
	if (r->type == DMAE_TRACE_SUBMIT && r->cookie <= 0)
		return "submit failed";
	return trace_event_names[r->type];
}

/* A step on the channel's track. */
static void trace_instant(struct dmae_trace_json *j, const struct dmae_trace_rec *r)
{
	trace_head(j, r, trace_instant_name(r), "dmaengine", "i");
	out_s(j, ",\"s\":\"t\",\"args\":{");
	trace_args(j, r);
	out_s(j, "}}");
}

/* The callback, a duration on the channel's track. */
static void trace_callback(struct dmae_trace_json *j, const struct dmae_trace_rec *r)
{
	trace_head(j, r, "callback", "dmaengine", "X");
	out_s(j, ",\"dur\":");
	out_us(j, r->dur);
	out_s(j, ",\"args\":{\"desc\":");
	out_x(j, r->desc);
	out_s(j, "}}");
}

/* Begin ("b") or end ("e") of the descriptor's async slice, submit to complete. */
static void trace_async(struct dmae_trace_json *j, const struct dmae_trace_rec *r,
			const char *ph)
{
	char name[32];

	snprintf(name, sizeof(name), "dma%uchan%u", r->dev_id, r->chan_id);
	trace_head(j, r, name, "dmaengine.desc", ph);
	out_s(j, ",\"id2\":{\"local\":");
	out_x(j, r->desc);
	out_s(j, "},\"args\":{\"cookie\":");
	out_d(j, r->cookie);
	out_s(j, "}}");
}

/* ----------------------------------------------------------- board units */

static void trace_meta_head(struct dmae_trace_json *j, const char *what, unsigned int pid,
			    unsigned int tid, const char *key);

/* A board unit is process 100000 + id; its tracks are threads pid * 10 + track. */
#define TRACE_UNIT_PID_BASE 100000u

enum { TRACK_REGISTERS = 0, TRACK_INTERRUPTS = 1, TRACK_EVENTS = 2, TRACK_REQUESTS = 3 };

static const char *const trace_track_names[DMAE_TRACE_UNIT_TRACKS] = {
	"registers", "interrupts", "events", "requests",
};

static unsigned int trace_unit_track(const struct dmae_trace_rec *r)
{
	switch (r->type) {
	case DMAE_TRACE_IRQ_LINE:
		return TRACK_INTERRUPTS;
	case DMAE_TRACE_HW_EVENT:
		return TRACK_EVENTS;
	case DMAE_TRACE_REQUEST:
		return TRACK_REQUESTS;
	default:
		return TRACK_REGISTERS;
	}
}

static void trace_unit_head(struct dmae_trace_json *j, const struct dmae_trace_rec *r,
			    const char *name)
{
	unsigned int pid = TRACE_UNIT_PID_BASE + r->dev_id;

	trace_next(j);
	out_s(j, "{\"name\":");
	out_str(j, name);
	out_s(j, ",\"cat\":\"board\",\"ph\":\"i\",\"s\":\"t\",\"ts\":");
	out_us(j, r->ts);
	out_s(j, ",\"pid\":");
	out_u(j, pid);
	out_s(j, ",\"tid\":");
	out_u(j, pid * 10u + trace_unit_track(r));
	out_s(j, ",\"args\":{\"host_us\":");
	out_us(j, r->dur);
}

/* A register access, an event, a line: an instant on its unit's track. */
static void trace_unit_rec(struct dmae_trace_json *j, const struct dmae_trace_rec *r)
{
	static const char *const sizes[5] = { "?", "b", "w", "?", "l" };
	char name[96];

	switch (r->type) {
	case DMAE_TRACE_REG_READ:
	case DMAE_TRACE_REG_WRITE:
		snprintf(name, sizeof(name), "%s%s +0x%x", r->type == DMAE_TRACE_REG_READ ?
			 "read" : "write", sizes[r->arg <= 4 ? r->arg : 0], (u32)r->cookie);
		trace_unit_head(j, r, name);
		out_s(j, ",\"value\":");
		out_x(j, r->desc);
		break;
	case DMAE_TRACE_HW_EVENT:
		trace_unit_head(j, r, r->desc ? (const char *)(uintptr_t)r->desc : "event");
		break;
	case DMAE_TRACE_IRQ_LINE:
		snprintf(name, sizeof(name), "irq %u %s", (u32)r->cookie, r->arg ? "high" : "low");
		trace_unit_head(j, r, name);
		break;
	default:
		snprintf(name, sizeof(name), "%s %u %s",
			 r->desc ? (const char *)(uintptr_t)r->desc : "line", (u32)r->cookie,
			 r->arg ? "high" : "low");
		trace_unit_head(j, r, name);
		break;
	}
	out_s(j, "}}");
	j->seen_units[r->dev_id % DMAE_TRACE_MAX_UNITS] |= (u8)(1u << trace_unit_track(r));
}

/* The names of the board units met, and of their tracks. */
static void trace_meta_units(struct dmae_trace_json *j, struct dmae_trace_unit_names *units)
{
	for (unsigned int u = 0; u < DMAE_TRACE_MAX_UNITS; u++) {
		unsigned int pid = TRACE_UNIT_PID_BASE + u;
		char name[DMAE_TRACE_UNIT_NAME];

		if (!j->seen_units[u])
			continue;
		spin_lock(&units->lock);
		snprintf(name, sizeof(name), "%s", units->unit[u] ? units->name[u] : "board unit");
		spin_unlock(&units->lock);
		trace_meta_head(j, "process_name", pid, 0, "name");
		out_str(j, name);
		out_s(j, "}}");
		for (unsigned int t = 0; t < DMAE_TRACE_UNIT_TRACKS; t++) {
			if (!(j->seen_units[u] & (1u << t)))
				continue;
			trace_meta_head(j, "thread_name", pid, pid * 10u + t, "name");
			out_str(j, trace_track_names[t]);
			out_s(j, "}}");
		}
	}
}

/**
 * dmae__trace_json_begin - the start of the file: the top-level object and
 * the opening of its event array. Context: the trace writer.
 */
void dmae__trace_json_begin(struct dmae_trace_json *j)
{
	j->events = 0;
	j->records = 0;
	j->len = 0;
	j->failed = false;
	memset(j->seen, 0, sizeof(j->seen));
	memset(j->seen_units, 0, sizeof(j->seen_units));
	out_s(j, "{\"traceEvents\":[");
}

/**
 * dmae__trace_json_rec - the JSON events of @r: its step (or its callback
 * slice) on the channel's track, and the begin or end of the descriptor's
 * async slice at submit, complete and abort. Context: the trace writer.
 */
void dmae__trace_json_rec(struct dmae_trace_json *j, const struct dmae_trace_rec *r)
{
	if (r->type >= DMAE_TRACE_NR)
		return;
	j->records++;
	if (r->type >= DMAE_TRACE_REG_READ) {
		trace_unit_rec(j, r);
		return;
	}
	j->seen[r->dev_id % DMAE_TRACE_MAX_DEVS][(r->chan_id % DMAE_TRACE_MAX_CHANS) / 64] |=
		1ull << (r->chan_id % 64);
	if (r->type == DMAE_TRACE_CALLBACK) {
		trace_callback(j, r);
		return;
	}
	trace_instant(j, r);
	if (r->type == DMAE_TRACE_SUBMIT && r->cookie > 0)
		trace_async(j, r, "b");
	else if (r->type == DMAE_TRACE_COMPLETE || (r->type == DMAE_TRACE_ABORT && r->cookie > 0))
		trace_async(j, r, "e");
}

/* A metadata event: "name" @what of @pid (and @tid, when not 0), args {@key: value}. */
static void trace_meta_head(struct dmae_trace_json *j, const char *what, unsigned int pid,
			    unsigned int tid, const char *key)
{
	trace_next(j);
	out_s(j, "{\"name\":\"");
	out_s(j, what);
	out_s(j, "\",\"ph\":\"M\",\"pid\":");
	out_u(j, pid);
	if (tid) {
		out_s(j, ",\"tid\":");
		out_u(j, tid);
	}
	out_s(j, ",\"args\":{\"");
	out_s(j, key);
	out_s(j, "\":");
}

/* process_name and process_sort_index of device @dev. */
static void trace_meta_device(struct dmae_trace_json *j, unsigned int dev, const char *name)
{
	trace_meta_head(j, "process_name", dev + 1, 0, "name");
	out_str(j, name);
	out_s(j, "}}");
	trace_meta_head(j, "process_sort_index", dev + 1, 0, "sort_index");
	out_u(j, dev);
	out_s(j, "}}");
}

/* thread_name and thread_sort_index of channel @chan of device @dev. */
static void trace_meta_chan(struct dmae_trace_json *j, unsigned int dev, unsigned int chan)
{
	unsigned int pid = dev + 1, tid = pid * 1000u + chan;
	char name[32];

	snprintf(name, sizeof(name), "dma%uchan%u", dev, chan);
	trace_meta_head(j, "thread_name", pid, tid, "name");
	out_str(j, name);
	out_s(j, "}}");
	trace_meta_head(j, "thread_sort_index", pid, tid, "sort_index");
	out_u(j, chan);
	out_s(j, "}}");
}

/* The names of every device and channel met. */
static void trace_meta(struct dmae_trace_json *j, struct dmae_trace_names *names)
{
	for (unsigned int dev = 0; dev < DMAE_TRACE_MAX_DEVS; dev++) {
		char name[DMAE_TRACE_NAME_MAX];
		bool any = false;

		for (unsigned int w = 0; w < DMAE_TRACE_MAX_CHANS / 64; w++)
			any |= j->seen[dev][w] != 0;
		if (!any)
			continue;
		spin_lock(&names->lock);
		if (names->dev[dev])
			snprintf(name, sizeof(name), "%s", names->name[dev]);
		else
			snprintf(name, sizeof(name), "dma%u", dev);
		spin_unlock(&names->lock);
		trace_meta_device(j, dev, name);
		for (unsigned int chan = 0; chan < DMAE_TRACE_MAX_CHANS; chan++)
			if (j->seen[dev][chan / 64] & (1ull << (chan % 64)))
				trace_meta_chan(j, dev, chan);
	}
}

/**
 * dmae__trace_json_end - close the file's JSON: the device and channel names
 * as metadata events, a global instant event when @dropped events were lost,
 * and the counts in otherData; everything handed to the file.
 * Context: the thread that stops tracing.
 */
void dmae__trace_json_end(struct dmae_trace_json *j, struct dmae_trace_names *names,
			  struct dmae_trace_unit_names *units, u64 dropped)
{
	trace_meta(j, names);
	trace_meta_units(j, units);
	if (dropped) {
		trace_next(j);
		out_s(j, "{\"name\":\"");
		out_u(j, dropped);
		out_s(j, " trace events dropped\",\"cat\":\"dmaengine\",\"ph\":\"i\",\"s\":\"g\","
		      "\"ts\":");
		out_us(j, dmae_clock_ns());
		out_s(j, ",\"pid\":0,\"tid\":0}");
	}
	out_s(j, "\n],\n\"otherData\":{\"generator\":\"dmaengine\",\"clock\":\"CLOCK_MONOTONIC\","
	      "\"events\":");
	out_u(j, j->records);
	out_s(j, ",\"dropped_events\":");
	out_u(j, dropped);
	out_s(j, "}}\n");
	out_flush(j);
}
