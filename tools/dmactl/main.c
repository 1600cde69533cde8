// SPDX-License-Identifier: MIT
/*
 * main.c - dmactl: the DMA devices and channels of this process, as the
 * kernel shows them in /sys/class/dma and /sys/kernel/debug/dmaengine.
 *
 *   dmactl [options] [list [DEVICE] | summary | attr CHANNEL [ATTRIBUTE]]
 *
 * A process sees only the devices it registers: dmactl shows the default
 * platform (configured by the DMAENGINE_* variables), any --add-cpu devices,
 * and with --demo the channels held and used as clients would. Exit status:
 * 0, 1 when a device or a --demo copy failed, 2 for bad input (one line on
 * standard error says what). See docs/dmactl.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/board.h>

#include "dmactl.h"

#define DEMO_COPIES_MAX 256
#define DEMO_SIZE_MAX (1u << 20)
#define DEMO_TOTAL_MAX (16u << 20) /* copies * size, per channel */

static const char *const attr_names[] = { "memcpy_count", "bytes_transferred", "in_use" };

static void dmactl_usage(FILE *f)
{
	fputs("usage: dmactl [options] [command]\n"
	      "\n"
	      "The DMA devices and channels of this process (the default platform, configured\n"
	      "by the DMAENGINE_* variables), as the kernel shows them in /sys/class/dma and\n"
	      "/sys/kernel/debug/dmaengine/summary.\n"
	      "\n"
	      "Commands:\n"
	      "  list [DEVICE]            devices (all, or DEVICE: dma0 or cpu-dma.0) with their\n"
	      "                           capabilities, limits and slave caps, and each channel's\n"
	      "                           sysfs attributes (the default command)\n"
	      "  summary                  the debugfs dmaengine/summary text\n"
	      "  attr CHANNEL [ATTRIBUTE] /sys/class/dma/CHANNEL/ATTRIBUTE as the kernel's file reads\n"
	      "                           (memcpy_count, bytes_transferred, in_use); all three\n"
	      "                           as 'name: value' lines without ATTRIBUTE\n"
	      "  help                     this text\n"
	      "\n"
	      "Options:\n"
	      "  --json                   list: JSON instead of text\n"
	      "  --demo[=N]               before the command, act as clients: request every\n"
	      "                           channel the providers' slave maps name and N (default:\n"
	      "                           every) free DMA_MEMCPY channel, copy on the latter, and\n"
	      "                           hold them all while the command runs\n"
	      "  --copies=N               --demo: copies per DMA_MEMCPY channel, 0..256 (16)\n"
	      "  --size=N                 --demo: bytes per copy, 1..1048576 (4096)\n"
	      "  --add-cpu=SPEC           probe one more cpu device (up to 8): SPEC is N\n"
	      "                           (channels) or key=value,... with channels, workers,\n"
	      "                           descs, order=in|any, iommu=0|1, name=NAME and\n"
	      "                           caps=CAP+CAP... (e.g. caps=memcpy+interrupt)\n"
	      "  --board=SPEC             the platform instead of DMAENGINE_PLATFORM: a board\n"
	      "                           (stm32mp151), a .dtb file, default, none, or a\n"
	      "                           comma-separated list (stm32mp151,default)\n"
	      "  -h, --help               this text\n"
	      "\n"
	      "Exit status: 0; 1 a device or a --demo copy failed; 2 bad input.\n"
	      "Examples: dmactl --demo --copies=4 summary\n"
	      "          dmactl --board=stm32mp151 --demo summary\n", f);
}

int dmactl_parse_uint(const char *prefix, const char *key, const char *val, unsigned int lo,
		      unsigned int hi, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-' || v < lo || v > hi) {
		dmactl_err("%s%s=%s: expected a number in %u..%u", prefix, key, val, lo, hi);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* The value of "--name=value" when @arg is that option, else NULL. */
static const char *option_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && arg[n] == '=' ? arg + n + 1 : NULL;
}

static int parse_option(struct dmactl_options *opt, const char *arg)
{
	const char *v;

	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		opt->help = true;
		return 0;
	}
	if (!strcmp(arg, "--json")) {
		opt->json = true;
		return 0;
	}
	if (!strcmp(arg, "--demo")) {
		opt->demo = true;
		return 0;
	}
	if ((v = option_value(arg, "--demo"))) {
		opt->demo = true;
		return dmactl_parse_uint("", "--demo", v, 1, 1024, &opt->demo_channels);
	}
	if ((v = option_value(arg, "--copies")))
		return dmactl_parse_uint("", "--copies", v, 0, DEMO_COPIES_MAX, &opt->copies);
	if ((v = option_value(arg, "--size")))
		return dmactl_parse_uint("", "--size", v, 1, DEMO_SIZE_MAX, &opt->size);
	if ((v = option_value(arg, "--add-cpu")))
		return dmactl_parse_add_cpu(opt, v);
	if ((v = option_value(arg, "--board"))) {
		/* Checked now (one line naming a bad entry), loaded at setup. */
		opt->board = v;
		return dmaengine_platform_select(v) ? -EINVAL : 0;
	}
	dmactl_err("unknown option '%s' (try dmactl --help)", arg);
	return -EINVAL;
}

static int parse_args(int argc, char **argv, struct dmactl_options *opt)
{
	bool copies = false, size = false;

	opt->copies = 16;
	opt->size = 4096;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg[0] == '-' && arg[1]) {
			copies |= !strncmp(arg, "--copies=", 9);
			size |= !strncmp(arg, "--size=", 7);
			if (parse_option(opt, arg))
				return -EINVAL;
		} else if (!opt->command) {
			opt->command = arg;
		} else if (opt->nr_args < 2) {
			opt->args[opt->nr_args++] = arg;
		} else {
			dmactl_err("%s: unexpected argument '%s'", opt->command, arg);
			return -EINVAL;
		}
	}
	if ((copies || size) && !opt->demo) {
		dmactl_err("%s needs --demo", copies ? "--copies" : "--size");
		return -EINVAL;
	}
	if ((size_t)opt->copies * opt->size > DEMO_TOTAL_MAX) {
		dmactl_err("--copies=%u --size=%u: more than %u bytes per channel", opt->copies,
			   opt->size, DEMO_TOTAL_MAX);
		return -EINVAL;
	}
	return 0;
}

/* The command and its operands make sense. @return 0 or -EINVAL after one line. */
static int check_command(struct dmactl_options *opt)
{
	static const struct {
		const char *name;   /* command */
		unsigned int min;   /* operands at least */
		unsigned int max;   /* operands at most */
	} commands[] = { { "list", 0, 1 }, { "summary", 0, 0 }, { "attr", 1, 2 }, { "help", 0, 0 } };
	size_t i;

	if (!opt->command)
		opt->command = "list";
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(opt->command, commands[i].name))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		dmactl_err("unknown command '%s' (try dmactl --help)", opt->command);
		return -EINVAL;
	}
	if (opt->nr_args < commands[i].min) {
		dmactl_err("%s: missing CHANNEL (e.g. dmactl attr dma0chan0 in_use)", opt->command);
		return -EINVAL;
	}
	if (opt->nr_args > commands[i].max) {
		dmactl_err("%s: unexpected argument '%s'", opt->command,
			   opt->args[commands[i].max]);
		return -EINVAL;
	}
	if (opt->json && strcmp(opt->command, "list")) {
		dmactl_err("--json: only the list command has a JSON form");
		return -EINVAL;
	}
	return 0;
}

static int cmd_list(const struct dmactl_options *opt)
{
	const struct dmactl_dev *only = NULL;
	struct dmactl_snapshot snap;

	if (dmactl_snapshot_take(&snap)) {
		dmactl_err("list: no memory");
		return 1;
	}
	if (opt->nr_args) {
		only = dmactl_snapshot_find(&snap, opt->args[0]);
		if (!only) {
			dmactl_err("%s: no such device", opt->args[0]);
			dmactl_snapshot_free(&snap);
			return 2;
		}
	}
	if (!snap.nr_devs && !opt->json)
		dmactl_err("no DMA device registered");
	if (opt->json)
		dmactl_list_json(stdout, &snap, only);
	else
		dmactl_list_text(stdout, &snap, only);
	dmactl_snapshot_free(&snap);
	return 0;
}

/* Print one attribute: its text alone, or "name: text" with @label. */
static int print_attr(const char *chan, const char *attr, bool label)
{
	char buf[DMACTL_ATTR_MAX];
	ssize_t n = dmaengine_chan_attr(chan, attr, buf, sizeof(buf));

	if (n == -ENODEV) {
		dmactl_err("%s: no such channel", chan);
		return 2;
	}
	if (n == -ENOENT) {
		dmactl_err("%s: no such attribute '%s' (memcpy_count, bytes_transferred, in_use)",
			   chan, attr);
		return 2;
	}
	if (n < 0) {
		dmactl_err("%s/%s: %s", chan, attr, strerror((int)-n));
		return 1;
	}
	if (label)
		printf("%s: ", attr);
	fputs(buf, stdout);
	return 0;
}

static int cmd_attr(const struct dmactl_options *opt)
{
	int ret = 0;

	if (opt->nr_args == 2)
		return print_attr(opt->args[0], opt->args[1], false);
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]) && !ret; i++)
		ret = print_attr(opt->args[0], attr_names[i], true);
	return ret;
}

static int run_command(const struct dmactl_options *opt)
{
	if (!strcmp(opt->command, "summary"))
		return dmaengine_summary_print(stdout) ? 1 : 0;
	if (!strcmp(opt->command, "attr"))
		return cmd_attr(opt);
	return cmd_list(opt);
}

int main(int argc, char **argv)
{
	static struct dmactl_options opt; /* large (--add-cpu storage): not on the stack */
	int status;

	if (parse_args(argc, argv, &opt) || (!opt.help && check_command(&opt)))
		return 2;
	if (opt.help || !strcmp(opt.command, "help")) {
		dmactl_usage(stdout);
		return 0;
	}
	status = dmactl_setup(&opt);
	if (!status)
		status = run_command(&opt);
	dmactl_teardown();
	if (fflush(stdout) || ferror(stdout)) {
		dmactl_err("writing the output: %s", strerror(errno));
		status = status ? status : 1;
	}
	return status;
}
