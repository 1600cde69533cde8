// SPDX-License-Identifier: MIT
/*
 * params.c - dmatest's module parameters: their names, types and defaults as
 * in the kernel, parsed from "name=value" words (as modprobe takes them, also
 * "dmatest.name=value" as on the kernel command line) or "--name=value"
 * options, and checked before anything runs.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dmaengine/board.h>

#include "dmatest.h"

enum dmatest_param_kind {
	PARAM_BOOL,   /* y/n/1/0/on/off/yes/no/true/false; the bare name is true */
	PARAM_UINT,   /* kstrtouint(base 0): decimal, 0x hex, 0 octal */
	PARAM_INT,    /* kstrtoint(base 0) */
	PARAM_STRING, /* copied; at most maxlen - 1 characters */
};

struct dmatest_param_desc {
	const char *name;	     /* the module parameter's name */
	enum dmatest_param_kind kind; /* how its value is read */
	size_t offset;		     /* of the field in struct dmatest_params */
	size_t maxlen;		     /* PARAM_STRING: room with the NUL */
	const char *help;	     /* one line for --help */
};

#define P(name, kind, field, maxlen, help) \
	{ name, kind, offsetof(struct dmatest_params, field), maxlen, help }

/* The kernel's parameters, in the order of its source. "channel" is special:
 * each one given adds that channel, as each write to the kernel's does. */
static const struct dmatest_param_desc dmatest_param_table[] = {
	P("nobounce", PARAM_BOOL, nobounce, 0,
	  "buffers in low memory: no bounce buffers for 32-bit devices (n)"),
	P("test_buf_size", PARAM_UINT, buf_size, 0, "bytes of each test buffer (16384)"),
	P("device", PARAM_STRING, device, DMATEST_DEVICE_MAX,
	  "only channels of the DMA device with this name (any)"),
	P("channel", PARAM_STRING, channel, DMATEST_CHANNEL_MAX,
	  "test this channel, e.g. dma0chan0; may be repeated (any)"),
	P("threads_per_chan", PARAM_UINT, threads_per_chan, 0,
	  "threads of each operation per channel (1)"),
	P("max_channels", PARAM_UINT, max_channels, 0, "channels to use at most (0: all)"),
	P("iterations", PARAM_UINT, iterations, 0,
	  "tests per thread, 0 until interrupted (0; 1000 with no parameter)"),
	P("dmatest", PARAM_UINT, dmatest, 0,
	  "0 memcpy, 1 memset (both with xor and pq), 2 xor, 3 pq (0)"),
	P("xor_sources", PARAM_UINT, xor_sources, 0, "XOR source buffers, made odd (3)"),
	P("pq_sources", PARAM_UINT, pq_sources, 0, "P+Q source buffers, made odd (3)"),
	P("timeout", PARAM_INT, timeout, 0, "ms to wait for each transfer, -1 forever (3000)"),
	P("noverify", PARAM_BOOL, noverify, 0, "no pattern fill and no verification (n)"),
	P("norandom", PARAM_BOOL, norandom, 0, "whole buffers at offset 0, no random (n)"),
	P("verbose", PARAM_BOOL, verbose, 0, "also print a result line for each test passed (n)"),
	P("alignment", PARAM_INT, alignment, 0,
	  "log2 of the address and length alignment (-1: the device's)"),
	P("transfer_size", PARAM_UINT, transfer_size, 0, "bytes of each transfer (0: random)"),
	P("polled", PARAM_BOOL, polled, 0, "poll with dma_sync_wait instead of callbacks (n)"),
	P("run", PARAM_BOOL, run, 0, "run the tests; run=0 only adds the threads (y)"),
	P("wait", PARAM_BOOL, wait, 0, "wait for the tests to end (always: y)"),
};

#undef P

/** dmatest_params_init - the kernel's defaults (run: set, the program runs). */
void dmatest_params_init(struct dmatest_params *p)
{
	memset(p, 0, sizeof(*p));
	p->buf_size = 16384;
	p->threads_per_chan = 1;
	p->xor_sources = 3;
	p->pq_sources = 3;
	p->timeout = 3000;
	p->alignment = -1;
	p->run = true;
	p->wait = true;
}

static void dmatest_bad_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on standard error: what was wrong with the command line. */
static void dmatest_bad_input(const char *fmt, ...)
{
	va_list ap;

	fputs("dmatest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct dmatest_param_desc *dmatest_find_param(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(dmatest_param_table) / sizeof(dmatest_param_table[0]); i++) {
		const struct dmatest_param_desc *d = &dmatest_param_table[i];

		if (strlen(d->name) == len && !strncmp(d->name, name, len))
			return d;
	}
	return NULL;
}

/* kstrtobool, strictly: a word that is not one of these is an error. */
static int dmatest_parse_bool(const char *val, bool *out)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	size_t i;

	if (!val) {
		*out = true;
		return 0;
	}
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(val, yes[i]) || !strcasecmp(val, no[i])) {
			*out = !strcasecmp(val, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

/* kstrtoull(base 0): "+"?, then 0x hex, 0 octal or decimal; one trailing newline. */
static int dmatest_parse_ull(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned int base = 10, digits = 0;

	if (*s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] && s[1] != '\n') {
		base = 8;
		s++;
	}
	for (; *s && !(s[0] == '\n' && !s[1]); s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	return 0;
}

static int dmatest_parse_uint(const char *val, unsigned int *out)
{
	unsigned long long v;

	if (!val || dmatest_parse_ull(val, &v) || v > UINT_MAX)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int dmatest_parse_int(const char *val, int *out)
{
	unsigned long long v;
	bool neg;

	if (!val)
		return -EINVAL;
	neg = *val == '-';
	if (dmatest_parse_ull(val + neg, &v) || v > (unsigned long long)INT_MAX + neg)
		return -EINVAL;
	*out = neg ? (int)(0 - v) : (int)v;
	return 0;
}

/* Add one channel= value to the list, in order. */
static int dmatest_add_channel_param(struct dmatest_options *opt, const char *val)
{
	if (opt->nr_channels == DMATEST_MAX_CHANNEL_PARAMS) {
		dmatest_bad_input("channel: given more than %d times", DMATEST_MAX_CHANNEL_PARAMS);
		return -EINVAL;
	}
	if (!opt->channels) {
		opt->channels = calloc(DMATEST_MAX_CHANNEL_PARAMS, sizeof(*opt->channels));
		if (!opt->channels) {
			dmatest_bad_input("out of memory");
			return -ENOMEM;
		}
	}
	strcpy(opt->channels[opt->nr_channels++], val);
	return 0;
}

/* Set parameter @d from @val (NULL: the bare name). */
static int dmatest_set_param(struct dmatest_options *opt, const struct dmatest_param_desc *d,
			     const char *val)
{
	void *field = (char *)&opt->params + d->offset;
	int ret = -EINVAL;

	switch (d->kind) {
	case PARAM_BOOL:
		ret = dmatest_parse_bool(val, field);
		break;
	case PARAM_UINT:
		ret = dmatest_parse_uint(val, field);
		break;
	case PARAM_INT:
		ret = dmatest_parse_int(val, field);
		break;
	case PARAM_STRING:
		if (!val)
			break;
		if (strlen(val) >= d->maxlen) {
			dmatest_bad_input("%s: string doesn't fit in %zu chars.", d->name,
					  d->maxlen - 1);
			return -ENOSPC;
		}
		if (!strcmp(d->name, "channel"))
			return *val ? dmatest_add_channel_param(opt, val) : 0;
		strcpy(field, val);
		ret = 0;
		break;
	}
	if (ret)
		dmatest_bad_input("'%s' invalid for parameter '%s'", val ? val : "", d->name);
	return ret;
}

/* trace=FILE (also --trace=FILE): where the run's trace goes. */
static int dmatest_parse_trace(const char *arg, struct dmatest_options *opt)
{
	const char *path = strchr(arg, '=') + 1;

	if (!*path) {
		dmatest_bad_input("trace=: needs a file name");
		return -EINVAL;
	}
	opt->trace_path = path;
	return 0;
}

/* board=SPEC (also --board=SPEC): the platform, as DMAENGINE_PLATFORM names it. */
static int dmatest_parse_board(const char *arg, struct dmatest_options *opt)
{
	const char *spec = strchr(arg, '=') + 1;

	if (!*spec) {
		dmatest_bad_input("board=: needs a board (stm32mp151), a .dtb file, default or none");
		return -EINVAL;
	}
	/* Checked now: one line from the library names a bad entry. */
	if (dmaengine_platform_select(spec))
		return -EINVAL;
	opt->board = spec;
	return 0;
}

/* The program's own options: --help, --json[=FILE], --seed=N, trace=FILE, board=SPEC. 1 if not one of them. */
static int dmatest_parse_option(const char *arg, struct dmatest_options *opt)
{
	if (!strncmp(arg, "trace=", 6) || !strncmp(arg, "--trace=", 8))
		return dmatest_parse_trace(arg, opt);
	if (!strncmp(arg, "board=", 6) || !strncmp(arg, "--board=", 8))
		return dmatest_parse_board(arg, opt);
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		opt->help = true;
		return 0;
	}
	if (!strcmp(arg, "--json")) {
		opt->json = true;
		return 0;
	}
	if (!strncmp(arg, "--json=", 7)) {
		if (!arg[7]) {
			dmatest_bad_input("--json=: needs a file name");
			return -EINVAL;
		}
		opt->json = true;
		opt->json_path = arg + 7;
		return 0;
	}
	if (!strncmp(arg, "--seed=", 7)) {
		if (dmatest_parse_ull(arg + 7, &opt->seed)) {
			dmatest_bad_input("'%s' invalid for option '--seed'", arg + 7);
			return -EINVAL;
		}
		opt->seed_given = true;
		return 0;
	}
	return 1;
}

/* One command-line word: an option, or [--][dmatest.]name[=value]. */
static int dmatest_parse_word(const char *arg, struct dmatest_options *opt)
{
	const struct dmatest_param_desc *d;
	const char *name = arg, *eq;
	int ret;

	ret = dmatest_parse_option(arg, opt);
	if (ret <= 0)
		return ret;
	if (!strncmp(name, "--", 2))
		name += 2;
	if (!strncmp(name, "dmatest.", 8))
		name += 8;
	eq = strchr(name, '=');
	d = dmatest_find_param(name, eq ? (size_t)(eq - name) : strlen(name));
	if (!d) {
		dmatest_bad_input("unknown parameter '%.*s' (see --help)",
				  (int)(eq ? eq - name : (ptrdiff_t)strlen(name)), name);
		return -ENOENT;
	}
	ret = dmatest_set_param(opt, d, eq ? eq + 1 : NULL);
	if (ret)
		return ret;
	opt->any_param = true;
	if (!strcmp(d->name, "iterations"))
		opt->iterations_given = true;
	return 0;
}

/**
 * dmatest_parse_args - read the command line into @opt (zeroed by the
 * caller). A bad word prints one line on standard error.
 * @return 0 or -errno.
 */
int dmatest_parse_args(int argc, char **argv, struct dmatest_options *opt)
{
	int i, ret;

	dmatest_params_init(&opt->params);
	for (i = 1; i < argc; i++) {
		ret = dmatest_parse_word(argv[i], opt);
		if (ret)
			return ret;
	}
	if (!opt->any_param && !opt->iterations_given)
		opt->params.iterations = DMATEST_NO_PARAM_ITERATIONS;
	return 0;
}

/**
 * dmatest_check_params - refuse values the kernel would crash on, or that
 * could only fail every test. One line on standard error. @return 0 or -EINVAL.
 */
int dmatest_check_params(const struct dmatest_options *opt)
{
	const struct dmatest_params *p = &opt->params;

	if (!p->buf_size) {
		dmatest_bad_input("test_buf_size must be at least 1");
	} else if (!p->threads_per_chan) {
		dmatest_bad_input("threads_per_chan must be at least 1");
	} else if (p->dmatest > DMATEST_PQ) {
		dmatest_bad_input("dmatest must be 0 (memcpy), 1 (memset), 2 (xor) or 3 (pq), not %u",
				  p->dmatest);
	} else if (p->xor_sources < 2) {
		dmatest_bad_input("xor_sources must be at least 2, not %u", p->xor_sources);
	} else if (p->alignment < -1 || p->alignment > 30) {
		dmatest_bad_input("alignment must be -1 (the device's) or 0..30, not %d",
				  p->alignment);
	} else if (p->alignment >= 0 && (1u << p->alignment) > p->buf_size) {
		dmatest_bad_input("%u-byte buffer too small for %d-byte alignment", p->buf_size,
				  1 << p->alignment);
	} else if (p->transfer_size && p->transfer_size >= p->buf_size) {
		dmatest_bad_input("%u-byte transfer size must be lower than %u-buffer size",
				  p->transfer_size, p->buf_size);
	} else {
		return 0;
	}
	return -EINVAL;
}

/** dmatest_usage - the --help text. */
void dmatest_usage(FILE *f)
{
	size_t i;

	fputs("usage: dmatest [name=value | --name=value]... [--json[=FILE]] [--seed=N]\n"
	      "               [trace=FILE] [board=SPEC] [--help]\n"
	      "\n"
	      "The Linux kernel's dmatest module as a program: tests every DMA channel\n"
	      "(or those chosen) with memcpy, memset, XOR and P+Q transfers and prints\n"
	      "the module's log lines. With no parameter: iterations=1000 on every channel\n"
	      "of the default platform. Exit status: 0 all tests passed, 1 a test failed,\n"
	      "2 bad parameters or no channel to test.\n"
	      "\n"
	      "Module parameters (default in parentheses):\n", f);
	for (i = 0; i < sizeof(dmatest_param_table) / sizeof(dmatest_param_table[0]); i++)
		fprintf(f, "  %-17s %s\n", dmatest_param_table[i].name, dmatest_param_table[i].help);
	fputs("\n"
	      "Options:\n"
	      "  --json            a JSON summary on standard output after the log lines\n"
	      "  --json=FILE       the JSON summary into FILE\n"
	      "  --seed=N          seed of the random lengths and offsets (default: random)\n"
	      "  trace=FILE        a Chrome/Perfetto trace (JSON) of every descriptor into FILE\n"
	      "                    (also --trace=FILE; open it in https://ui.perfetto.dev)\n"
	      "  board=SPEC        the platform instead of DMAENGINE_PLATFORM: a simulated\n"
	      "                    board (stm32mp151), a .dtb file, default, none, or a list\n"
	      "                    (stm32mp151,default); also --board=SPEC\n"
	      "  --help            this text\n"
	      "\n"
	      "Example: dmatest channel=dma0chan0 iterations=100 timeout=2000 verbose=1\n", f);
}

/** dmatest_options_free - what dmatest_parse_args() allocated. */
void dmatest_options_free(struct dmatest_options *opt)
{
	free(opt->channels);
	opt->channels = NULL;
	opt->nr_channels = 0;
}
