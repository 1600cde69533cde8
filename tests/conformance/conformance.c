// SPDX-License-Identifier: MIT
/*
 * conformance.c - the runner of the conformance suite: registers the devices
 * under test, then runs, for every device, every test whose capability the
 * device advertises on every one of its channels (one cmocka group per
 * device), then the stress test over all channels of all devices at once.
 *
 * A capability that a device advertises but that no test covers fails the
 * device's "capabilities" test: new capabilities cannot slip through.
 *
 * Environment:
 *   CONF_SEED=n         random seed (default: from the clock; printed)
 *   CONF_FILTER=pat     run only tests whose name matches (cmocka wildcards)
 *   CONF_STRESS_OPS=n   operations per channel in the stress test
 */
#include <stdio.h>
#include <stdlib.h>

#include "conformance.h"
#include "common/vchan_sim.h"

#include <dmaengine/board.h>

/* Another engineer's simulated virt-dma provider: used when linked in. */
struct dma_device *vchan_sim_probe(const char *name, unsigned int nchans) __attribute__((weak));
int vchan_sim_remove(struct dma_device *dma) __attribute__((weak));

struct conf_dev conf_devs[CONF_MAX_DEVS];
struct dmae_board *conf_board;
unsigned int conf_ndevs;
u64 conf_seed;

size_t conf_big(const struct conf_case *cc, size_t len, size_t min)
{
	size_t l = len / (cc->dev->slow ? cc->dev->slow : 1);

	return l < min ? min : l;
}

/* ------------------------------------------------------------ the test table */

/*
 * Every capability a device may advertise, with its tests. DMA_PRIVATE and
 * DMA_ASYNC_TX are markers (set by the core), not operations.
 */
static const struct conf_test conf_tests[] = {
	{ "dma_mapping", DMA_MEMCPY, t_dma_mapping, false },
	{ "ordering", DMA_MEMCPY, t_ordering, false },
	{ "callbacks", DMA_MEMCPY, t_callbacks, false },
	{ "terminate_sync", DMA_MEMCPY, t_terminate_sync, false },
	{ "terminate_in_callback", DMA_MEMCPY, t_terminate_in_callback, false },
	{ "synchronize", DMA_MEMCPY, t_synchronize, false },
	{ "pause_resume", DMA_MEMCPY, t_pause_resume, false },
	{ "residue", DMA_MEMCPY, t_residue, false },
	{ "reuse", DMA_MEMCPY, t_reuse, false },
	{ "double_submit", DMA_MEMCPY, t_double_submit, false },
	{ "pool_exhaustion", DMA_MEMCPY, t_pool_exhaustion, false },
	{ "statistics", DMA_MEMCPY, t_statistics, false },
	{ "memcpy_sg", DMA_MEMCPY_SG, t_memcpy_sg, false },
	{ "pause_residue_sg", DMA_MEMCPY_SG, t_pause_residue_sg, false },
	{ "memset", DMA_MEMSET, t_memset, false },
	{ "memset_sg", DMA_MEMSET_SG, t_memset_sg, false },
	{ "interrupt", DMA_INTERRUPT, t_interrupt, false },
	{ "interleave", DMA_INTERLEAVE, t_interleave, false },
	{ "repeat", DMA_REPEAT, t_repeat, false },
	{ "load_eot", DMA_LOAD_EOT, t_load_eot, false },
	{ "out_of_order", DMA_COMPLETION_NO_ORDER, t_out_of_order, false },
	{ "xor", DMA_XOR, t_xor, false },
	{ "xor_fence", DMA_XOR, t_xor_fence, false },
	{ "xor_chunks", DMA_XOR, t_xor_chunks, false },
	{ "xor_val", DMA_XOR_VAL, t_xor_val, false },
	{ "pq", DMA_PQ, t_pq, false },
	{ "pq_chunks", DMA_PQ, t_pq_chunks, false },
	{ "pq_val", DMA_PQ_VAL, t_pq_val, false },
	/* Slave and cyclic: against a peripheral stand-in wired to the channel (a board). */
	{ "slave_rx", DMA_SLAVE, t_slave_rx, true },
	{ "slave_tx", DMA_SLAVE, t_slave_tx, true },
	{ "slave_pause_resume", DMA_SLAVE, t_slave_pause_resume, true },
	{ "slave_terminate", DMA_SLAVE, t_slave_terminate, true },
	{ "slave_bad_input", DMA_SLAVE, t_slave_bad_input, true },
	{ "cyclic", DMA_CYCLIC, t_cyclic, true },
};
#define CONF_NTESTS (sizeof(conf_tests) / sizeof(conf_tests[0]))

static bool cap_is_marker(int cap)
{
	return cap == DMA_PRIVATE || cap == DMA_ASYNC_TX;
}

static bool cap_is_tested(int cap)
{
	for (size_t i = 0; i < CONF_NTESTS; i++)
		if ((int)conf_tests[i].cap == cap)
			return true;
	return false;
}

/* ------------------------------------------------------------ fixtures */

static bool filter_exact(struct dma_chan *chan, void *param)
{
	return chan == param;
}

static int case_setup(void **state)
{
	struct conf_case *cc = *state;
	char buf[32];

	cc->errors_at_start = conf_async_errors();
	cc->allocs = NULL;
	cc->t_start = conf_now_ms();
	cc->rng = conf_seed ^ (u64)(uintptr_t)cc ^ 0x5bd1e995ull;
	if (!cc->rng)
		cc->rng = 1;
	if (!cc->target || cc->test->own_request)
		return 0; /* a device-level case, or one that asks for its channel itself */
	cc->chan = __dma_request_channel(NULL, filter_exact, cc->target, NULL);
	if (!cc->chan) {
		print_error("%s: __dma_request_channel could not get %s\n", cc->name,
			    dma_chan_name(cc->target));
		return -1;
	}
	if (cc->chan != cc->target) {
		print_error("%s: asked for %s, got %s\n", cc->name, dma_chan_name(cc->target),
			    dma_chan_name(cc->chan));
		return -1;
	}
	if (dmaengine_chan_attr(dma_chan_name(cc->chan), "in_use", buf, sizeof(buf)) < 0 ||
	    strcmp(buf, "1\n")) {
		print_error("%s: in_use of a held channel is not \"1\\n\"\n", cc->name);
		return -1;
	}
	return 0;
}

static int case_teardown(void **state)
{
	struct conf_case *cc = *state;
	int ret = 0;

	if (cc->chan) {
		char buf[32];
		int r;

		/* Whatever the test left (it may have failed half-way): stop it, so
		 * no engine or callback touches the memory freed below. */
		r = dmaengine_terminate_sync(cc->chan);
		if (r) {
			print_error("%s: dmaengine_terminate_sync at teardown: %d\n", cc->name, r);
			ret = -1;
		}
		dma_release_channel(cc->chan);
		if (dmaengine_chan_attr(dma_chan_name(cc->chan), "in_use", buf, sizeof(buf)) < 0 ||
		    strcmp(buf, "0\n")) {
			print_error("%s: in_use of a released channel is not \"0\\n\"\n", cc->name);
			ret = -1;
		}
		cc->chan = NULL;
	}
	if (cc->cleanup) {
		cc->cleanup(cc);
		cc->cleanup = NULL;
	}
	conf_free_all(cc);
	if (conf_now_ms() - cc->t_start >= 500)
		printf("    %s: %llu ms\n", cc->name, (unsigned long long)(conf_now_ms() - cc->t_start));
	if (conf_async_errors() != cc->errors_at_start) {
		print_error("%s: %u error(s) reported from callbacks/threads\n", cc->name,
			    conf_async_errors() - cc->errors_at_start);
		cc->errors_at_start = conf_async_errors();
		ret = -1;
	}
	return ret;
}

static void case_run(void **state)
{
	struct conf_case *cc = *state;

	cc->test->fn(cc);
	conf_check(cc);
}

/* The device-level check: every advertised capability has tests. */
static void t_capabilities(void **state)
{
	struct conf_case *cc = *state;
	struct dma_device *d = cc->dev->dma;
	char bad[512] = "";
	int cap;
	unsigned int idx = 0;

	for_each_dma_cap_mask(cap, d->cap_mask) {
		if (cap_is_marker(cap) || cap_is_tested(cap))
			continue;
		snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " %s",
			 dma_cap_name((enum dma_transaction_type)cap));
	}
	if (bad[0])
		fail_msg("%s advertises capabilities the conformance suite has no test for:%s",
			 cc->dev->label, bad);
	assert_true(cc->dev->nchans > 0);
	assert_int_equal(d->chancnt, cc->dev->nchans);
	assert_true(d->residue_granularity <= DMA_RESIDUE_GRANULARITY_BURST);
	for (unsigned int i = 0; i < cc->dev->nchans; i++) {
		char want[32];

		snprintf(want, sizeof(want), "dma%dchan%d", d->dev_id, cc->dev->chans[i]->chan_id);
		assert_string_equal(dma_chan_name(cc->dev->chans[i]), want);
		assert_true(cc->dev->chans[i]->chan_id >= 0);
		idx++;
	}
	assert_int_equal(idx, cc->dev->nchans);
}

/* ------------------------------------------------------------ devices */

static void add_dev(const char *label, struct dma_device *dma, int (*remove)(struct dma_device *))
{
	struct conf_dev *cd;
	struct dma_chan *chan;

	if (IS_ERR_OR_NULL(dma)) {
		fprintf(stderr, "conformance: could not register %s: %ld\n", label,
			dma ? PTR_ERR(dma) : 0L);
		exit(1);
	}
	cd = &conf_devs[conf_ndevs++];
	cd->label = label;
	cd->dma = dma;
	cd->remove = remove;
	cd->slow = 1;
	list_for_each_entry(chan, &dma->channels, device_node)
		if (cd->nchans < CONF_MAX_CHANS)
			cd->chans[cd->nchans++] = chan;
}

static struct dma_device *cpu_dev(const char *name, unsigned int channels, bool ooo,
				  size_t chunk, unsigned int descs)
{
	struct dma_cpu_params p;

	dma_cpu_params_init(&p);
	p.name = name;
	p.channels = channels;
	p.out_of_order = ooo;
	if (chunk)
		p.chunk = chunk;
	if (descs)
		p.descs = descs;
	return dma_cpu_probe(&p);
}

static void register_devices(void)
{
	/* (a) defaults: in order, 4 channels */
	add_dev("cpu-inorder", cpu_dev("conf-cpu-inorder", 4, false, 0, 1024), dma_cpu_remove);
	/* (b) out of order, 2 channels */
	add_dev("cpu-ooo", cpu_dev("conf-cpu-ooo", 2, true, 0, 1024), dma_cpu_remove);
	/* (c) small chunks and few descriptors: pool exhaustion, chunked pause/residue */
	add_dev("cpu-small", cpu_dev("conf-cpu-small", 2, false, 4096, 64), dma_cpu_remove);
	/* (d) a device limited to RAID operations (and interrupts, for the stress
	 *     test), small chunks: the RAID tests without DMA_MEMCPY to lean on */
	{
		struct dma_cpu_params p;

		dma_cpu_params_init(&p);
		p.name = "conf-cpu-raid";
		p.channels = 2;
		p.chunk = 4096;
		dma_cap_zero(p.caps);
		dma_cap_set(DMA_XOR, p.caps);
		dma_cap_set(DMA_XOR_VAL, p.caps);
		dma_cap_set(DMA_PQ, p.caps);
		dma_cap_set(DMA_PQ_VAL, p.caps);
		dma_cap_set(DMA_INTERRUPT, p.caps);
		add_dev("cpu-raid", dma_cpu_probe(&p), dma_cpu_remove);
	}
	/*
	 * The two mapping variants are about memory, not channels: one channel
	 * each keeps the suite's time down.
	 * (e) the defaults, but not cache-coherent: every streaming mapping is
	 *     bounced, so a missing dma_sync_*() shows as stale data
	 */
	{
		struct dma_device *dma = cpu_dev("conf-cpu-noncoherent", 1, false, 0, 1024);

		if (!IS_ERR_OR_NULL(dma))
			dma->dev->dma_coherent = false;
		add_dev("cpu-noncoherent", dma, dma_cpu_remove);
	}
	/* (f) the defaults behind an IOMMU domain of its own: bus addresses are
	 *     IOVAs, and the device reaches only what is mapped for it */
	{
		struct dma_cpu_params p;

		dma_cpu_params_init(&p);
		p.name = "conf-cpu-iommu";
		p.channels = 1;
		p.descs = 1024;
		p.iommu = true;
		add_dev("cpu-iommu", dma_cpu_probe(&p), dma_cpu_remove);
	}
	/* (g) the virt-dma based simulator, when linked in */
	if (vchan_sim_probe)
		add_dev("vchan-sim", vchan_sim_probe("vchan-sim", 2),
			vchan_sim_remove ? vchan_sim_remove : NULL);
	else
		printf("conformance: vchan-sim not linked in: skipped\n");
}

/*
 * CONF_BOARD=<.dtb>: the devices under test are the DMA controllers of that
 * board (with peripheral stand-ins wired to their channels), instead of the
 * cpu and simulated devices above.
 */
static int add_board_dev(struct dma_device *dma, void *arg)
{
	struct dma_device **list = arg;

	for (unsigned int i = 0; i < CONF_MAX_DEVS; i++) {
		if (!list[i]) {
			list[i] = dma;
			break;
		}
	}
	return 0;
}

static void register_board(const char *path)
{
	static struct dma_device *list[CONF_MAX_DEVS];
	struct dmae_board *b = dmaengine_board_load(path, NULL);

	if (IS_ERR(b)) {
		fprintf(stderr, "conformance: cannot load the board %s: %ld\n", path, PTR_ERR(b));
		exit(1);
	}
	conf_board = b;
	dmaengine_for_each_device(add_board_dev, list);
	for (unsigned int i = 0; i < CONF_MAX_DEVS && list[i]; i++) {
		add_dev(dev_name(list[i]->dev), list[i], NULL);
		/* Board time runs at the model's speed: 1/32 of the long tests' work
		 * (still many bursts, segments and interrupts). */
		conf_devs[conf_ndevs - 1].slow = 32;
	}
}

static void print_devices(void)
{
	for (unsigned int i = 0; i < conf_ndevs; i++) {
		struct conf_dev *cd = &conf_devs[i];
		int cap;

		printf("conformance: device %s = dma%d (%s), %u channel(s), caps:", cd->label,
		       cd->dma->dev_id, dev_name(cd->dma->dev), cd->nchans);
		for_each_dma_cap_mask(cap, cd->dma->cap_mask)
			printf(" %s", dma_cap_name((enum dma_transaction_type)cap));
		printf("; residue granularity %d, reuse %d, %scoherent\n",
		       cd->dma->residue_granularity, cd->dma->descriptor_reuse,
		       cd->dma->dev->dma_coherent ? "" : "not ");
	}
}

/* ------------------------------------------------------------ groups */

static int run_device(struct conf_dev *cd)
{
	size_t max = 1 + (size_t)cd->nchans * CONF_NTESTS;
	struct CMUnitTest *tests = calloc(max, sizeof(*tests));
	struct conf_case *cases = calloc(max, sizeof(*cases));
	size_t n = 0;
	char group[128];
	u64 t0;
	int ret;

	if (!tests || !cases) {
		fprintf(stderr, "conformance: out of memory\n");
		exit(1);
	}
	cases[n].dev = cd;
	snprintf(cases[n].name, sizeof(cases[n].name), "%s capabilities", cd->label);
	tests[n] = (struct CMUnitTest){ cases[n].name, t_capabilities, case_setup, case_teardown,
					&cases[n] };
	n++;
	for (unsigned int c = 0; c < cd->nchans; c++)
		for (size_t i = 0; i < CONF_NTESTS; i++) {
			const struct conf_test *t = &conf_tests[i];

			if (!dma_has_cap(t->cap, cd->dma->cap_mask))
				continue;
			cases[n].dev = cd;
			cases[n].target = cd->chans[c];
			cases[n].test = t;
			snprintf(cases[n].name, sizeof(cases[n].name), "%s %s %s %s", cd->label,
				 dma_chan_name(cd->chans[c]), dma_cap_name(t->cap), t->name);
			tests[n] = (struct CMUnitTest){ cases[n].name, case_run, case_setup,
							case_teardown, &cases[n] };
			n++;
		}
	snprintf(group, sizeof(group), "conformance %s (dma%d)", cd->label, cd->dma->dev_id);
	t0 = conf_now_ms();
	ret = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	printf("conformance: %s: %zu cases in %llu ms\n", cd->label, n,
	       (unsigned long long)(conf_now_ms() - t0));
	free(tests);
	free(cases);
	return ret;
}

static int run_stress(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conf_stress_run),
	};

	return cmocka_run_group_tests_name("conformance stress (all devices)", tests, NULL, NULL);
}

int main(void)
{
	const char *seed = getenv("CONF_SEED");
	const char *filter = getenv("CONF_FILTER");
	const char *board = getenv("CONF_BOARD");
	u64 t0;
	int failed = 0;

	setenv("DMAENGINE_PLATFORM", "none", 1);
	conf_seed = seed && *seed ? strtoull(seed, NULL, 0) : dmae_clock_ns() ^ 0x2545f491ull;
	if (!conf_seed)
		conf_seed = 1;
	printf("conformance: seed %llu (CONF_SEED=%llu to reproduce)%s%s\n",
	       (unsigned long long)conf_seed, (unsigned long long)conf_seed,
	       CONF_TSAN ? ", TSan build" : "", CONF_ASAN ? ", ASan build" : "");
	if (filter && *filter)
		cmocka_set_test_filter(filter);
	t0 = conf_now_ms();
	if (board && *board)
		register_board(board);
	else
		register_devices();
	print_devices();

	for (unsigned int i = 0; i < conf_ndevs; i++)
		failed += run_device(&conf_devs[i]);
	failed += run_stress();

	for (unsigned int i = 0; i < conf_ndevs; i++) {
		struct conf_dev *cd = &conf_devs[i];
		int r;

		if (!cd->remove)
			continue;
		r = cd->remove(cd->dma);
		if (r) {
			fprintf(stderr, "conformance: removing %s: %d\n", cd->label, r);
			failed++;
		}
	}
	if (conf_board && dmaengine_board_unload(conf_board)) {
		fprintf(stderr, "conformance: the board would not unload\n");
		failed++;
	}
	printf("conformance: %s in %llu ms\n", failed ? "FAILED" : "passed",
	       (unsigned long long)(conf_now_ms() - t0));
	return failed ? 1 : 0;
}
