// SPDX-License-Identifier: MIT
/*
 * setup.c - what dmactl does before its command, since a process sees only
 * its own devices: --add-cpu probes more cpu devices, and --demo acts as the
 * clients of a system would: it requests every channel the providers' slave
 * maps and the boards' device trees (`dmas`/`dma-names`) name, as
 * dma_request_chan(dev, name) does for a peripheral driver, and the free
 * DMA_MEMCPY channels, copies on each of those so that the counters
 * move, and holds them all while the command runs; dmactl_teardown() gives
 * everything back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dmaengine/board.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/of.h>
#include <dmaengine/platform_device.h>
#include <dmaengine/os.h>

#include "dmactl.h"

/* Descriptors in flight: half the smallest cpu pool, since a window's last
 * descriptor goes back to the pool only after its callback has returned. */
#define DEMO_WINDOW 8
#define DEMO_TIMEOUT_MS 5000 /* a window that takes longer has hung */
#define DEMO_CLIENTS_MAX 64  /* slave-map clients */

/* A channel held by --demo. */
struct demo_chan {
	struct dma_chan *chan;	 /* the held channel */
	struct completion done;	 /* the window's last callback ran */
	unsigned int remaining;	 /* callbacks the window still waits for; atomic */
	int result;		 /* a failed descriptor's result, or 0; atomic */
};

/* A peripheral of a slave map, as its driver would request its channel. */
struct demo_client {
	char devname[DMACTL_NAME_MAX]; /* the map's devname */
	char slave[DMACTL_NAME_MAX];   /* the map's channel name */
	struct device dev;	       /* the client device (chan->slave), for a map */
	struct device *board_dev;      /* or a board's platform device */
	const struct device_node *np;  /* a board's node: dev stands for it (no device yet) */
	struct dma_chan *chan;	       /* what dma_request_chan() gave, or NULL */
};

static struct dma_device *added[DMACTL_ADD_CPU_MAX]; /* --add-cpu devices */
static unsigned int nr_added;
static struct demo_chan *memcpy_chans;		       /* --demo DMA_MEMCPY channels */
static unsigned int nr_memcpy_chans;
static struct demo_client clients[DEMO_CLIENTS_MAX];   /* --demo slave-map clients */
static unsigned int nr_clients;

/* ------------------------------------------------------------- --add-cpu */

/* "memcpy+xor" or "DMA_MEMCPY+DMA_XOR" into @mask. @return 0 or -EINVAL. */
static int parse_caps(const char *list, dma_cap_mask_t *mask)
{
	char buf[512], *save, *tok; /* room for the whole --add-cpu value */
	unsigned int cap;

	snprintf(buf, sizeof(buf), "%s", list);
	dma_cap_zero(*mask);
	for (tok = strtok_r(buf, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
		const char *want = strncasecmp(tok, "DMA_", 4) ? tok : tok + 4;

		for (cap = 0; cap < DMA_TX_TYPE_END; cap++)
			if (!strcasecmp(want, dma_cap_name((enum dma_transaction_type)cap) + 4))
				break;
		if (cap == DMA_TX_TYPE_END) {
			dmactl_err("--add-cpu: caps=%s: unknown capability '%s'", list, tok);
			return -EINVAL;
		}
		dma_cap_set((enum dma_transaction_type)cap, *mask);
	}
	if (!mask->bits[0]) {
		dmactl_err("--add-cpu: caps=%s: no capability", list);
		return -EINVAL;
	}
	return 0;
}

/* @val within @lo..@hi (the ranges dmaengine/cpu.h documents) into @out. */
static int parse_uint(const char *key, const char *val, unsigned int lo, unsigned int hi,
		      unsigned int *out)
{
	return dmactl_parse_uint("--add-cpu: ", key, val, lo, hi, out);
}

/* One key=value of an --add-cpu spec into @p. @return 0 or -EINVAL. */
static int parse_add_cpu_key(struct dmactl_options *opt, struct dma_cpu_params *p, char *kv)
{
	char *val = strchr(kv, '=');
	char *name = opt->add_cpu_names[opt->nr_add_cpu];

	if (!val)
		return parse_uint("channels", kv, 1, 256, &p->channels);
	*val++ = '\0';
	if (!strcmp(kv, "channels"))
		return parse_uint(kv, val, 1, 256, &p->channels);
	if (!strcmp(kv, "workers"))
		return parse_uint(kv, val, 1, 64, &p->workers);
	if (!strcmp(kv, "descs"))
		return parse_uint(kv, val, 16, 65536, &p->descs);
	if (!strcmp(kv, "caps"))
		return parse_caps(val, &p->caps);
	if (!strcmp(kv, "name") && val[0] && strlen(val) < DMAE_DEV_NAME_MAX) {
		snprintf(name, DMACTL_NAME_MAX, "%s", val);
		p->name = name;
		return 0;
	}
	if (!strcmp(kv, "order") && (!strcmp(val, "in") || !strcmp(val, "any"))) {
		p->out_of_order = !strcmp(val, "any");
		return 0;
	}
	if (!strcmp(kv, "iommu") && (!strcmp(val, "0") || !strcmp(val, "1"))) {
		p->iommu = val[0] == '1';
		return 0;
	}
	dmactl_err("--add-cpu: '%s=%s': expected channels=N, workers=N, descs=N, order=in|any, "
		   "iommu=0|1, name=NAME or caps=CAP+CAP...", kv, val);
	return -EINVAL;
}

/**
 * dmactl_parse_add_cpu - one --add-cpu=SPEC: "N" or "key=value,..." over the
 * cpu provider's defaults (and DMAENGINE_CPU_* variables).
 * @return 0, or -EINVAL after one line on standard error.
 */
int dmactl_parse_add_cpu(struct dmactl_options *opt, const char *spec)
{
	struct dma_cpu_params *p;
	char buf[512], *save, *tok;
	int ret = 0;

	if (opt->nr_add_cpu == DMACTL_ADD_CPU_MAX) {
		dmactl_err("--add-cpu: at most %d devices", DMACTL_ADD_CPU_MAX);
		return -EINVAL;
	}
	if (!spec[0] || strlen(spec) >= sizeof(buf)) {
		dmactl_err("--add-cpu=%s: expected N or key=value,...", spec);
		return -EINVAL;
	}
	p = &opt->add_cpu[opt->nr_add_cpu];
	dma_cpu_params_init(p);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save))
		ret = parse_add_cpu_key(opt, p, tok);
	if (!ret)
		opt->nr_add_cpu++;
	return ret;
}

static int add_cpu_devices(const struct dmactl_options *opt)
{
	struct dma_device *dma;

	for (unsigned int i = 0; i < opt->nr_add_cpu; i++) {
		dma = dma_cpu_probe(&opt->add_cpu[i]);
		if (IS_ERR(dma)) {
			dmactl_err("--add-cpu: the cpu provider refused device %u: %s", i + 1,
				   strerror((int)-PTR_ERR(dma)));
			return PTR_ERR(dma) == -EINVAL ? 2 : 1;
		}
		added[nr_added++] = dma;
	}
	return 0;
}

/* ----------------------------------------------------------- --demo clients */

/* Copy the slave maps' entries (under the registry lock: copy only). */
static int collect_map(struct dma_device *device, void *arg)
{
	for (int i = 0; i < device->filter.mapcnt && nr_clients < DEMO_CLIENTS_MAX; i++) {
		struct demo_client *c = &clients[nr_clients++];

		snprintf(c->devname, sizeof(c->devname), "%s", device->filter.map[i].devname);
		snprintf(c->slave, sizeof(c->slave), "%s", device->filter.map[i].slave);
	}
	return 0;
}

/* Each channel @np names in its dma-names, for @dev or, without one, a device of ours. */
static int collect_node(const struct device_node *np, struct device *dev, const char *devname)
{
	const char *name;

	for (int i = 0; !of_property_read_string_index(np, "dma-names", i, &name); i++) {
		struct demo_client *c;

		if (nr_clients == DEMO_CLIENTS_MAX)
			return 1;
		c = &clients[nr_clients++];
		snprintf(c->devname, sizeof(c->devname), "%s", devname);
		snprintf(c->slave, sizeof(c->slave), "%s", name);
		c->board_dev = dev;
		c->np = np;
	}
	return 0;
}

/*
 * A board's device, in tree order, and its children that no driver has
 * populated yet (the SAI's sub-blocks, made devices by the SAI's driver):
 * named as Linux will name them.
 */
static int collect_board_device(struct platform_device *pdev, void *arg)
{
	const struct device_node *np = pdev->dev.of_node, *child;
	char name[DMACTL_NAME_MAX];
	struct resource res;

	(void)arg;
	if (!np)
		return 0;
	if (collect_node(np, &pdev->dev, dev_name(&pdev->dev)))
		return 1;
	for (child = np->child; child; child = child->sibling) {
		if (child->data || !of_device_is_available(child) ||
		    !of_property_present(child, "dma-names"))
			continue;
		if (of_address_to_resource(child, 0, &res))
			continue;
		snprintf(name, sizeof(name), "%llx.%s", (unsigned long long)res.start, child->name);
		if (collect_node(child, NULL, name))
			return 1;
	}
	return 0;
}

/* Request each slave-map and board channel by name, as its peripheral's driver would. */
static void request_slave_clients(void)
{
	struct dmae_board *board;

	dmaengine_for_each_device(collect_map, NULL);
	for (unsigned int b = 0; (board = dmaengine_platform_board(b)); b++)
		dmaengine_board_for_each_device(board, collect_board_device, NULL);
	for (unsigned int i = 0; i < nr_clients; i++) {
		struct demo_client *c = &clients[i];
		struct dma_chan *chan;

		if (!c->board_dev) {
			dmae_device_init(&c->dev, c->devname);
			c->dev.of_node = (struct device_node *)c->np;
		}
		chan = dma_request_chan(c->board_dev ? c->board_dev : &c->dev, c->slave);
		if (IS_ERR(chan)) {
			dmactl_err("--demo: %s:%s: no channel (%s)", c->devname, c->slave,
				   PTR_ERR(chan) == -EPROBE_DEFER ?
					   "-EPROBE_DEFER: its DMA controller has no driver yet" :
					   strerror((int)-PTR_ERR(chan)));
			continue;
		}
		c->chan = chan;
	}
}

/* Hold up to @max (0: every) free DMA_MEMCPY channel. @return 0 or -ENOMEM. */
static int request_memcpy_channels(unsigned int max)
{
	dma_cap_mask_t mask;
	struct demo_chan *dcs;
	struct dma_chan *chan;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	while (!max || nr_memcpy_chans < max) {
		chan = dma_request_chan_by_mask(&mask);
		if (IS_ERR(chan))
			break;
		dcs = realloc(memcpy_chans, (nr_memcpy_chans + 1) * sizeof(*dcs));
		if (!dcs) {
			dma_release_channel(chan);
			return -ENOMEM;
		}
		memcpy_chans = dcs;
		memset(&dcs[nr_memcpy_chans], 0, sizeof(*dcs));
		dcs[nr_memcpy_chans].chan = chan; /* done: initialised once the array stops moving */
		nr_memcpy_chans++;
	}
	return 0;
}

/* ------------------------------------------------------------ --demo copies */

/*
 * Completion context: count the window's callbacks down, keep a failure. A
 * callback touches @dc only before its decrement (the last one also after,
 * to complete): once the count is 0 the next window may reset it.
 */
static void demo_callback(void *param, const struct dmaengine_result *res)
{
	struct demo_chan *dc = param;

	if (res->result != DMA_TRANS_NOERROR)
		__atomic_store_n(&dc->result, (int)res->result, __ATOMIC_RELAXED);
	/* acq_rel: the last callback, and through complete() the waiter, see every result. */
	if (!__atomic_sub_fetch(&dc->remaining, 1, __ATOMIC_ACQ_REL))
		complete(&dc->done);
}

/* Copies @first..@first+@n-1 of @src into their slices of @dst; wait for them. */
static int demo_window(struct demo_chan *dc, dma_addr_t dst, dma_addr_t src, unsigned int size,
		       unsigned int first, unsigned int n)
{
	struct dma_async_tx_descriptor *tx;

	reinit_completion(&dc->done);
	__atomic_store_n(&dc->remaining, n, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < n; i++) {
		tx = dmaengine_prep_dma_memcpy(dc->chan, dst + (dma_addr_t)(first + i) * size, src,
					       size, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (!tx)
			return -EIO;
		tx->callback_result = demo_callback;
		tx->callback_param = dc;
		if (dma_submit_error(dmaengine_submit(tx)))
			return -EIO;
	}
	dma_async_issue_pending(dc->chan);
	if (!wait_for_completion_timeout(&dc->done, msecs_to_jiffies(DEMO_TIMEOUT_MS)))
		return -ETIMEDOUT;
	return __atomic_load_n(&dc->result, __ATOMIC_RELAXED) ? -EIO : 0;
}

/* @copies copies of @src through @dc into consecutive slices of @dst. */
static int demo_copy(struct demo_chan *dc, void *dst, void *src, unsigned int copies,
		     unsigned int size)
{
	struct device *dev = dmaengine_get_dma_device(dc->chan);
	size_t total = (size_t)copies * size;
	dma_addr_t s, d;
	int ret = 0;

	s = dma_map_single(dev, src, size, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, s))
		return -ENOMEM;
	d = dma_map_single(dev, dst, total, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, d)) {
		dma_unmap_single(dev, s, size, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < copies && !ret; i += DEMO_WINDOW)
		ret = demo_window(dc, d, s, size, i,
				  copies - i < DEMO_WINDOW ? copies - i : DEMO_WINDOW);
	if (ret)
		dmaengine_terminate_sync(dc->chan);
	dma_unmap_single(dev, d, total, DMA_FROM_DEVICE);
	dma_unmap_single(dev, s, size, DMA_TO_DEVICE);
	return ret;
}

/* Copy on one held channel and check every byte. @return 0 or 1 (one line said why). */
static int demo_channel(struct demo_chan *dc, unsigned int copies, unsigned int size)
{
	size_t total = (size_t)copies * size;
	unsigned char *src = malloc(size), *dst = calloc(1, total);
	int ret = 1;

	if (!src || !dst) {
		dmactl_err("--demo: %s: no memory for %zu bytes", dma_chan_name(dc->chan), total);
		goto out_free;
	}
	for (unsigned int i = 0; i < size; i++)
		src[i] = (unsigned char)(i * 7 + dc->chan->chan_id + 1);
	init_completion(&dc->done);
	ret = demo_copy(dc, dst, src, copies, size);
	if (ret) {
		dmactl_err("--demo: %s: copies failed (%s)", dma_chan_name(dc->chan),
			   strerror(-ret));
		ret = 1;
		goto out_free;
	}
	for (unsigned int i = 0; i < copies && !ret; i++) {
		if (memcmp(dst + (size_t)i * size, src, size)) {
			dmactl_err("--demo: %s: copy %u: wrong data", dma_chan_name(dc->chan), i);
			ret = 1;
		}
	}
out_free:
	free(src);
	free(dst);
	return ret;
}

/**
 * dmactl_setup - probe the default platform and the --add-cpu devices, then,
 * with --demo, request and hold the channels and copy on them.
 * @return 0, 1 (a device or a copy failed) or 2 (bad --add-cpu parameters);
 * one line on standard error said why.
 */
int dmactl_setup(const struct dmactl_options *opt)
{
	int ret;

	dmaengine_platform_init();
	ret = add_cpu_devices(opt);
	if (ret || !opt->demo)
		return ret;
	request_slave_clients();
	if (request_memcpy_channels(opt->demo_channels)) {
		dmactl_err("--demo: no memory");
		return 1;
	}
	if (!nr_memcpy_chans && !nr_clients) {
		dmactl_err("--demo: no channel to hold: no DMA_MEMCPY channel is free and no "
			   "provider has a slave map, nor a board a device with dmas");
		return 1;
	}
	for (unsigned int i = 0; i < nr_memcpy_chans; i++)
		if (opt->copies && demo_channel(&memcpy_chans[i], opt->copies, opt->size))
			return 1;
	return 0;
}

/** dmactl_teardown - release what --demo holds and remove the --add-cpu devices. */
void dmactl_teardown(void)
{
	for (unsigned int i = 0; i < nr_memcpy_chans; i++)
		dma_release_channel(memcpy_chans[i].chan);
	free(memcpy_chans);
	memcpy_chans = NULL;
	nr_memcpy_chans = 0;
	for (unsigned int i = 0; i < nr_clients; i++)
		if (clients[i].chan)
			dma_release_channel(clients[i].chan);
	nr_clients = 0;
	while (nr_added)
		dma_cpu_remove(added[--nr_added]);
}
