// SPDX-License-Identifier: MIT
/*
 * test_board.c - the platform on a small simulated board (toy-board.dts):
 * devices named as Linux names them, probe order and deferral, a failing
 * probe, resources, unbind and rebind with devres, register accesses and
 * bus errors, level interrupts, virtual time in polls, a model as a bus
 * master into the board's DDR, of_dma through a router, bad boards, a busy
 * unload, the platform spec, and a scenario that runs the same twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <dmaengine/board.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/iommu.h>
#include <dmaengine/provider.h>
#include <dmaengine/trace.h>

#include "board/toy.h"
#include "common/log_capture.h"
#include "trace/json.h"

static struct dmae_board *board;

static struct platform_device *dev_named(const char *name)
{
	struct platform_device *pdev = dmae_platform_find_device(name);

	assert_non_null(pdev);
	return pdev;
}

static struct toy_drv *toy0(void)
{
	struct toy_drv *td = platform_get_drvdata(dev_named("40000000.toy"));

	assert_non_null(td);
	return td;
}

static int setup(void **state)
{
	memset(&toy_counts, 0, sizeof(toy_counts));
	toy_log_reset();
	log_capture_start();
	board = dmaengine_board_load(TOY_BOARD_DTB, NULL);
	if (IS_ERR(board)) {
		log_dump();
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	int ret = dmaengine_board_unload(board);

	log_capture_stop();
	dmae_quiesce_leave();
	return ret;
}

/* Names as Linux makes them, in tree order; each bound to its driver or not at all. */
static void test_devices(void **state)
{
	static const struct {
		const char *name, *driver;
	} want[] = {
		{ "20000000.sram", NULL },
		{ "soc", NULL },
		{ "40001000.client", "toy-client" },
		{ "40000000.toy", "toy" },
		{ "40002000.bad", NULL },
		{ "soc:narrow-bus", NULL },
		{ "40003000.toy", "toy" },
		{ "40005000.dma-controller", "toy-dma" },
		{ "40010000.iommu", NULL },
		{ "4000a000.toy", "toy" },
		{ "40006000.dma-router", "toy-router" },
		{ "40007000.dma-controller", NULL },
		{ "40008000.dma-client", "dma-client" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct platform_device *pdev = dmae_platform_find_device(want[i].name);
		const char *drv;

		if (!pdev)
			fail_msg("no device %s", want[i].name);
		drv = dmae_platform_driver_name(pdev);
		if (want[i].driver)
			assert_string_equal(drv ? drv : "(none)", want[i].driver);
		else
			assert_null(drv);
	}
	/* Disabled nodes, the GIC, clocks, memory: no devices. */
	assert_null(dmae_platform_find_device("40004000.off"));
	assert_null(dmae_platform_find_device("a0021000.interrupt-controller"));
	assert_null(dmae_platform_find_device("clk-bus"));
	/* The client came first and deferred until the toy was bound. */
	assert_true(toy_counts.client_defers >= 1);
	assert_int_equal(toy_counts.client_probes, toy_counts.client_defers + 1);
	/* The failing probe: the kernel's line, and the rest of the board works. */
	assert_int_equal(toy_counts.bad_probes, 1);
	assert_int_equal(log_find("bad: probe of 40002000.bad failed with error -5"), 1);
	assert_int_equal(readl(toy0()->base + TOY_ID_REG), TOY_ID);
}

static void test_resources(void **state)
{
	struct platform_device *pdev = dev_named("40000000.toy");
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	struct dmae_sim *sim = dmaengine_board_sim(board);
	int base = (int)dmae_irq_domain_base(dmae_sim_irqs(sim));

	assert_non_null(r);
	assert_int_equal(r->start, 0x40000000);
	assert_int_equal(r->end, 0x400000ff);
	assert_null(platform_get_resource(pdev, IORESOURCE_MEM, 1));
	assert_int_equal(platform_get_irq(pdev, 0), base + 32 + 10);
	assert_int_equal(platform_get_irq(dev_named("40003000.toy"), 0), base + 32 + 11);
	assert_int_equal(platform_get_irq_optional(pdev, 1), -ENXIO);
	assert_int_equal(toy0()->rate, 100000000);
	/* A 32-bit master by default, 24-bit behind the narrow bus's dma-ranges; not coherent. */
	assert_int_equal(dma_get_mask(&pdev->dev), 0xffffffffull);
	assert_int_equal(dma_get_mask(&dev_named("40003000.toy")->dev), 0xffffffull);
	assert_false(pdev->dev.dma_coherent);
	/* A second claim of the same registers fails as the kernel's does. */
	assert_ptr_equal(devm_ioremap_resource(&dev_named("40001000.client")->dev, r),
			 ERR_PTR(-EBUSY));
	assert_int_equal(log_find("can't request region for resource [mem 0x40000000-0x400000ff]"), 1);
}

/* Bad accesses: one line naming the address and the device; reads give 0. */
static void test_bus_errors(void **state)
{
	void __iomem *base = toy0()->base;
	unsigned int before = log_lines();
	u32 word = 0;

	writel(0x1234, base + TOY_SRC);
	assert_int_equal(readl(base + TOY_SRC), 0x1234);
	assert_int_equal(readw(base + TOY_SRC), 0);
	assert_int_equal(log_find("40000000.toy: bus error: readw at 0x40000010: 16-bit access"), 1);
	assert_int_equal(readl(base + 2), 0);
	assert_int_equal(log_find("bus error: readl at 0x40000002: misaligned"), 1);
	writel(1, base + 0x9000);
	assert_int_equal(log_find("bus error: writel at 0x40009000: no device there"), 1);
	assert_int_equal(readl((void __iomem *)&word), 0);
	assert_int_equal(log_find("not an ioremapped address"), 1);
	assert_int_equal(log_lines() - before, 4);
	/* The write that faulted changed nothing. */
	assert_int_equal(readl(base + TOY_SRC), 0x1234);
}

/* A level interrupt from a model event: handled once, in interrupt context, on time. */
static void test_level_interrupt(void **state)
{
	struct toy_drv *td = toy0();
	struct dmae_sim *sim = dmaengine_board_sim(board);
	dmae_sim_time_t t0;

	toy_log_reset();
	writel(1000, td->base + TOY_TIMER); /* 1000 cycles at 100 MHz: 10 us */
	t0 = dmae_sim_now(sim);
	wait_for_completion(&td->done);
	assert_int_equal(td->status, TOY_STATUS_DONE);
	assert_int_equal(td->irqs, 1);
	assert_true(td->irq_context);
	assert_false(dmae_irq_level((unsigned int)td->irq));
	/* The log: our write, the timer 10 us after it, the handler's read and clear. */
	assert_true(toy_log.n >= 4);
	{
		unsigned long long tw, tt;

		assert_int_equal(sscanf(toy_log.line[0], "w0c=3e8@%llu", &tw), 1);
		assert_int_equal(sscanf(toy_log.line[1], "timer@%llu", &tt), 1);
		assert_int_equal(tt - tw, 10 * DMAE_PS_PER_US);
		assert_true(tw <= t0);
	}
	assert_non_null(strstr(toy_log.line[2], "r08=1@"));
	assert_non_null(strstr(toy_log.line[3], "w08=1@"));
}

/* readl_poll_timeout counts the board's time: it waits out 500 us, or times out. */
static void test_poll_virtual_time(void **state)
{
	struct toy_drv *td = toy0();
	struct dmae_sim *sim = dmaengine_board_sim(board);
	dmae_sim_time_t t0;
	u32 v;

	writel(0, td->base + TOY_CTRL); /* polled, no interrupt */
	t0 = dmae_sim_now(sim);
	writel(50000, td->base + TOY_TIMER);
	assert_int_equal(readl_poll_timeout(td->base + TOY_STATUS, v, v & TOY_STATUS_DONE, 10,
					    100000), 0);
	assert_true(dmae_sim_now(sim) >= t0 + 500 * DMAE_PS_PER_US);
	assert_true(dmae_sim_now(sim) < t0 + 600 * DMAE_PS_PER_US);
	writel(TOY_STATUS_DONE, td->base + TOY_STATUS);
	/* 10 s of timer against a 100 us time-out, in board time. */
	t0 = dmae_sim_now(sim);
	writel(1000000000, td->base + TOY_TIMER);
	assert_int_equal(readl_poll_timeout(td->base + TOY_STATUS, v, v & TOY_STATUS_DONE, 10, 100),
			 -ETIMEDOUT);
	assert_true(dmae_sim_now(sim) >= t0 + 100 * DMAE_PS_PER_US);
	assert_true(dmae_sim_now(sim) < t0 + DMAE_PS_PER_MS);
	/* udelay on a board thread is the board's time too. */
	t0 = dmae_sim_now(sim);
	udelay(250);
	assert_true(dmae_sim_now(sim) >= t0 + 250 * DMAE_PS_PER_US);
}

/* The toy copies @len bytes from bus address @s to @d; returns the STATUS its handler saw. */
static u32 toy_copy(struct toy_drv *td, dma_addr_t s, dma_addr_t d, size_t len)
{
	writel((u32)s, td->base + TOY_SRC);
	writel((u32)d, td->base + TOY_DST);
	writel((u32)len, td->base + TOY_LEN);
	writel(1, td->base + TOY_GO);
	wait_for_completion(&td->done);
	return td->status;
}

/* The model copies between the driver's mappings, which live in the board's DDR. */
static void test_bus_master(void **state)
{
	struct toy_drv *td = toy0();
	struct device *dev = &td->pdev->dev;
	size_t len = 10000;
	u8 *src = malloc(len), *dst = calloc(1, len);
	dma_addr_t s, d;

	for (size_t i = 0; i < len; i++)
		src[i] = (u8)(i * 7 + 3);
	s = dma_map_single(dev, src, len, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, len, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(dev, s));
	assert_false(dma_mapping_error(dev, d));
	/* Bus addresses are the board's: in its DDR, under the 32-bit mask. */
	assert_true(s >= 0x80000000 && s < 0x84000000);
	assert_true(d >= 0x80000000 && d < 0x84000000);
	assert_int_equal(toy_copy(td, s, d, len), TOY_STATUS_DONE);
	/* Not coherent: the CPU's buffer is stale until the unmap copies it back. */
	assert_int_equal(dst[0], 0);
	dma_unmap_single(dev, d, len, DMA_FROM_DEVICE);
	dma_unmap_single(dev, s, len, DMA_TO_DEVICE);
	assert_memory_equal(src, dst, len);
	/* A copy to an address nothing answers: the model's error flag, one line. */
	assert_int_equal(toy_copy(td, s, 0x40009000, 16), TOY_STATUS_ERR);
	assert_int_equal(log_find("toy 40000000.toy: bus: write of 16 bytes at 0x40009000: no memory there"), 1);
	/* A 24-bit master cannot reach the DDR at all. */
	s = dma_map_single(&dev_named("40003000.toy")->dev, src, 64, DMA_TO_DEVICE);
	assert_int_equal(s, DMA_MAPPING_ERROR);
	free(src);
	free(dst);
}

/* Behind the board's IOMMU: the model copies through IOVAs; an unmapped one faults. */
static void test_iommu(void **state)
{
	struct toy_drv *td = platform_get_drvdata(dev_named("4000a000.toy"));
	struct device *dev;
	size_t len = 8192;
	u8 *src = malloc(len), *dst = calloc(1, len);
	dma_addr_t s, d;

	assert_non_null(td);
	dev = &td->pdev->dev;
	assert_non_null(dev->iommu_domain);
	for (size_t i = 0; i < len; i++)
		src[i] = (u8)(i ^ 0x5a);
	s = dma_map_single(dev, src, len, DMA_TO_DEVICE);
	d = dma_map_single(dev, dst, len, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(dev, s));
	assert_false(dma_mapping_error(dev, d));
	/* IOVAs never alias the board's RAM or registers. */
	assert_false(s >= 0x80000000 && s < 0x84000000);
	assert_false(d >= 0x40000000 && d < 0x40011000);
	assert_int_equal(toy_copy(td, s, d, len), TOY_STATUS_DONE);
	dma_unmap_single(dev, d, len, DMA_FROM_DEVICE);
	dma_unmap_single(dev, s, len, DMA_TO_DEVICE);
	assert_memory_equal(src, dst, len);
	/* The unmapped source is an IOMMU fault: the model's error flag, nothing read. */
	assert_int_equal(toy_copy(td, s, d, 64), TOY_STATUS_ERR);
	assert_true(dmae_iommu_fault_count(dev->iommu_domain) >= 1);
	free(src);
	free(dst);
}

static void test_unbind_rebind(void **state)
{
	struct platform_device *pdev = dev_named("40000000.toy");
	u32 probes = toy_counts.toy_probes;

	assert_int_equal(dmae_platform_unbind("40000000.toy"), 0);
	assert_int_equal(toy_counts.toy_removes, 1);
	assert_int_equal(toy_counts.devres_released, 1);
	assert_null(platform_get_drvdata(pdev));
	assert_null(pdev->dev.driver);
	assert_int_equal(dmae_platform_unbind("40000000.toy"), -ENOENT);
	assert_int_equal(dmae_platform_unbind("nothing"), -ENODEV);
	/* Rebinding claims the registers and the line again: devres let them go. */
	assert_int_equal(dmae_platform_bind("40000000.toy"), 0);
	assert_int_equal(toy_counts.toy_probes, probes + 1);
	assert_int_equal(dmae_platform_bind("40000000.toy"), -EBUSY);
	assert_int_equal(readl(toy0()->base + TOY_ID_REG), TOY_ID);
	writel(10, toy0()->base + TOY_TIMER);
	wait_for_completion(&toy0()->done);
}

static bool summary_has(const char *line)
{
	char buf[4096];

	dmaengine_summary(buf, sizeof(buf));
	if (strstr(buf, line))
		return true;
	fprintf(stderr, "summary:\n%s", buf);
	return false;
}

static void test_of_dma(void **state)
{
	struct device *dev = &dev_named("40008000.dma-client")->dev;
	struct dma_chan *rx, *tx, *again;

	/* At probe the "ghost" controller had no driver: the kernel's deferral. */
	assert_int_equal(toy_counts.dma_client_err, -EPROBE_DEFER);
	assert_ptr_equal(dma_request_chan(dev, "ghost"), ERR_PTR(-EPROBE_DEFER));
	assert_ptr_equal(dma_request_chan(dev, "nosuch"), ERR_PTR(-ENODEV));
	rx = dma_request_chan(dev, "rx");
	assert_false(IS_ERR(rx));
	assert_int_equal(toy_counts.routes, 1);
	assert_int_equal(rx->chan_id, 6 % 4);
	assert_non_null(rx->router);
	tx = dma_request_chan(dev, "tx");
	assert_false(IS_ERR(tx));
	assert_int_equal(tx->chan_id, 1);
	assert_null(tx->router);
	assert_true(summary_has("chan2    | 40008000.dma-client:rx (via router: 40006000.dma-router)"));
	assert_true(summary_has("chan1    | 40008000.dma-client:tx\n"));
	/* The routed channel is taken: the route is undone, no channel. */
	again = dma_request_chan(dev, "rx");
	assert_ptr_equal(again, ERR_PTR(-ENODEV));
	assert_int_equal(toy_counts.route_frees, 1);
	dma_release_channel(rx);
	assert_int_equal(toy_counts.route_frees, 2);
	dma_release_channel(tx);
	/* A channel held from outside the board: the board will not unload. */
	{
		dma_cap_mask_t mask;
		struct dma_chan *held;

		dma_cap_zero(mask);
		dma_cap_set(DMA_SLAVE, mask);
		held = dma_request_chan_by_mask(&mask);
		assert_false(IS_ERR(held));
		assert_int_equal(dmaengine_board_unload(board), -EBUSY);
		assert_int_equal(log_find("dmaengine: board toy-board is busy: "), 1);
		dma_release_channel(held);
	}
}

static void test_bad_boards(void **state)
{
	char path[] = "/tmp/dmae-bad-XXXXXX";
	int fd = mkstemp(path);
	unsigned int before;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "this is not a device tree, not even close", 41), 41);
	close(fd);
	before = log_lines();
	assert_ptr_equal(dmaengine_board_load(path, NULL), ERR_PTR(-EINVAL));
	assert_int_equal(log_lines() - before, 1);
	unlink(path);
	assert_ptr_equal(dmaengine_board_load("no-such-board", NULL), ERR_PTR(-ENOENT));
	assert_int_equal(log_find("no board 'no-such-board'"), 1);
	assert_ptr_equal(dmaengine_board_load(TOY_BOARD_DTB, NULL), ERR_PTR(-EEXIST));
	assert_ptr_equal(dmaengine_board_load(TOY_BOARD_DTB, &(struct dmaengine_board_params){
						     .sim = "warp" }),
			 ERR_PTR(-EEXIST));
	assert_int_equal(dmaengine_platform_select("garbage"), -EINVAL);
	assert_int_equal(log_find("platform=garbage: no board 'garbage'"), 1);
	/* Nothing of the above touched the loaded board. */
	assert_int_equal(readl(toy0()->base + TOY_ID_REG), TOY_ID);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* The first event named @name in the trace, or NULL. */
static const struct json *trace_find(const struct json *events, const char *name)
{
	for (size_t i = 0; i < events->n; i++) {
		const char *n = json_get_str(events->items[i], "name");

		if (n && !strcmp(n, name))
			return events->items[i];
	}
	return NULL;
}

/* Register accesses, the model's event and its line, in the trace, at virtual times. */
static void test_trace(void **state)
{
	char path[] = "/tmp/dmae-board-trace-XXXXXX";
	struct toy_drv *td = toy0();
	const struct json *events, *w, *ev, *hi, *name;
	struct json *root;
	char err[128], *text;
	int fd = mkstemp(path);
	char irqname[32];

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(dmaengine_trace_start(path), 0);
	writel(500, td->base + TOY_TIMER); /* 5 us */
	wait_for_completion(&td->done);
	assert_int_equal(dmaengine_trace_stop(), 0);
	text = slurp(path);
	unlink(path);
	root = json_parse(text, err, sizeof(err));
	if (!root)
		fail_msg("trace is not JSON: %s", err);
	events = json_get(root, "traceEvents");
	assert_non_null(events);
	w = trace_find(events, "writel +0xc");
	ev = trace_find(events, "toy-timer");
	snprintf(irqname, sizeof(irqname), "irq %d high", td->irq);
	hi = trace_find(events, irqname);
	assert_non_null(w);
	assert_non_null(ev);
	assert_non_null(hi);
	assert_string_equal(json_get_str(json_get(w, "args"), "value"), "0x1f4");
	/* Virtual time: the event 5 us after the write; the line at the event. */
	assert_true(json_get_num(ev, "ts", 0) - json_get_num(w, "ts", 0) > 4.999);
	assert_true(json_get_num(ev, "ts", 0) - json_get_num(w, "ts", 0) < 5.001);
	assert_true(json_get_num(hi, "ts", 0) == json_get_num(ev, "ts", 0));
	assert_true(json_get_num(json_get(w, "args"), "host_us", 0) > 0);
	/* The toy is a process of its own; the board's events another. */
	name = NULL;
	for (size_t i = 0; i < events->n; i++) {
		const struct json *e = events->items[i];
		const char *nm = json_get_str(e, "name");

		if (nm && !strcmp(nm, "process_name") &&
		    json_get_num(e, "pid", 0) == json_get_num(w, "pid", -1))
			name = json_get(e, "args");
	}
	assert_non_null(name);
	assert_string_equal(json_get_str(name, "name"), "40000000.toy");
	json_free(root);
	free(text);
}

/* One run of a scenario: timer, copy and interrupts, with the model's log. */
static void scenario(char out[TOY_LOG][64], unsigned int *n)
{
	struct toy_drv *td;
	u8 *buf = calloc(1, 4096);
	dma_addr_t a;

	board = dmaengine_board_load(TOY_BOARD_DTB, NULL);
	assert_false(IS_ERR(board));
	td = toy0();
	toy_log_reset();
	a = dma_map_single(&td->pdev->dev, buf, 4096, DMA_BIDIRECTIONAL);
	for (int i = 0; i < 6; i++) {
		writel(100 * (u32)(i + 1), td->base + TOY_TIMER);
		wait_for_completion(&td->done);
		toy_copy(td, a, a + 2048, 1024);
	}
	dma_unmap_single(&td->pdev->dev, a, 4096, DMA_BIDIRECTIONAL);
	memcpy(out, toy_log.line, sizeof(toy_log.line));
	*n = toy_log.n;
	assert_int_equal(dmaengine_board_unload(board), 0);
	board = NULL;
	free(buf);
}

/* The same single-threaded client gets the same accesses at the same virtual times. */
static void test_deterministic(void **state)
{
	static char a[TOY_LOG][64], b[TOY_LOG][64];
	unsigned int na, nb;

	assert_int_equal(dmaengine_board_unload(board), 0);
	scenario(a, &na);
	scenario(b, &nb);
	assert_true(na > 60);
	assert_int_equal(na, nb);
	for (unsigned int i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
	board = dmaengine_board_load(TOY_BOARD_DTB, NULL); /* for the teardown */
	assert_false(IS_ERR(board));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_virtual_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_master, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iommu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbind_rebind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_of_dma, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_boards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
