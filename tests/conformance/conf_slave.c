// SPDX-License-Identifier: MIT
/*
 * conf_slave.c - slave and cyclic transfers, against a peripheral stand-in
 * of the tests (tests/common/standin_hw.c: a data register and a request
 * line), on a simulated board where one is wired to the channel under test.
 *
 * The channel is asked for as a peripheral's driver asks for it: by name,
 * through the stand-in's `dmas` (dma_request_chan), so that the controller's
 * device-tree translation configures it. The stand-in's items follow a known
 * pattern (standin_item), so what arrives is checked item by item, and what
 * was sent is read back from the stand-in.
 */
#include <dmaengine/board.h>
#include <dmaengine/io.h>
#include <dmaengine/platform_device.h>

#include "common/standin.h"
#include "conformance.h"

#define SLAVE_ITEMS 600	     /* items of a slave transfer */
#define CYCLIC_PERIODS 4     /* periods of the cyclic ring */
#define CYCLIC_PERIOD 64     /* items per period */

/* The stand-in wired to a channel. */
struct conf_rig {
	struct platform_device *pdev; /* its device: what requests the channel */
	void __iomem *regs;	      /* its registers, mapped for the test */
	struct dmae_hw *hw;	      /* its model, for what it received */
	u32 width;		      /* bytes per item */
	u32 dr;			      /* bus address of its data register */
	u32 rx0, tx0;		      /* its counts when the test began (it keeps counting) */
};

struct rig_search {
	struct dma_chan *chan;
	struct platform_device *found;
};

static int rig_match(struct platform_device *pdev, void *arg)
{
	struct rig_search *rs = arg;
	struct device_node *np = pdev->dev.of_node;
	struct of_phandle_args a;

	if (!of_device_is_compatible(np, "dmaengine,test-periph") ||
	    of_parse_phandle_with_fixed_args(np, "dmaengine,request", 1, 0, &a))
		return 0;
	if (a.np != rs->chan->device->dev->of_node || (int)a.args[0] != rs->chan->chan_id)
		return 0;
	rs->found = pdev;
	return 1;
}

static struct standin_state rig_state(struct conf_rig *rig);

/* At the case's teardown, once the channel is stopped and given back (the
 * test may have failed half-way): the stand-in stopped, its registers unmapped. */
static void conf_rig_cleanup(struct conf_case *cc)
{
	struct conf_rig *rig = cc->cleanup_arg;

	if (!IS_ERR_OR_NULL(rig->regs))
		writel(0, rig->regs + STANDIN_REG_CTRL);
	dmae_devres_release_all(&rig->pdev->dev);
}

/* The rig of cc->target, its registers mapped; fails the test when there is none. */
static struct conf_rig *conf_rig(struct conf_case *cc)
{
	struct rig_search rs = { .chan = cc->target };
	struct conf_rig *rig = conf_zalloc(cc, sizeof(*rig));
	struct resource *res;

	if (conf_board)
		dmaengine_board_for_each_device(conf_board, rig_match, &rs);
	if (!rs.found)
		fail_msg("no peripheral stand-in is wired to %s", dma_chan_name(cc->target));
	rig->pdev = rs.found;
	cc->cleanup = conf_rig_cleanup;
	cc->cleanup_arg = rig;
	res = platform_get_resource(rig->pdev, IORESOURCE_MEM, 0);
	rig->regs = devm_ioremap_resource(&rig->pdev->dev, res);
	assert_false(IS_ERR(rig->regs));
	rig->hw = dmaengine_board_hw(rig->pdev->board, rig->pdev->dev.of_node);
	assert_non_null(rig->hw);
	assert_int_equal(of_property_read_u32(rig->pdev->dev.of_node, "dmaengine,width",
					      &rig->width), 0);
	rig->dr = (u32)res->start + STANDIN_REG_DR;
	rig->rx0 = rig_state(rig).rx_sent;
	rig->tx0 = rig_state(rig).tx_count;
	return rig;
}


/* The channel, as the stand-in's driver would have it; held as cc->chan. */
/* The rig's data register as @chan's device side in @dir, at its width. */
static void rig_config(struct conf_rig *rig, struct dma_chan *chan,
		       enum dma_transfer_direction dir, u32 maxburst)
{
	struct dma_slave_config cfg = { .direction = dir };

	if (dir == DMA_DEV_TO_MEM) {
		cfg.src_addr = rig->dr;
		cfg.src_addr_width = (enum dma_slave_buswidth)rig->width;
		cfg.src_maxburst = maxburst;
	} else {
		cfg.dst_addr = rig->dr;
		cfg.dst_addr_width = (enum dma_slave_buswidth)rig->width;
		cfg.dst_maxburst = maxburst;
	}
	assert_int_equal(dmaengine_slave_config(chan, &cfg), 0);
}

static struct dma_chan *rig_request(struct conf_case *cc, struct conf_rig *rig,
				    enum dma_transfer_direction dir, u32 maxburst)
{
	struct dma_chan *chan = dma_request_chan(&rig->pdev->dev, "ch");

	if (IS_ERR(chan))
		fail_msg("dma_request_chan(%s, \"ch\"): %ld", dev_name(&rig->pdev->dev),
			 PTR_ERR(chan));
	cc->chan = chan;
	assert_ptr_equal(chan, cc->target);
	rig_config(rig, chan, dir, maxburst);
	return chan;
}

static u32 item_at(const u8 *p, u32 i, u32 width)
{
	u32 v = 0;

	memcpy(&v, p + (size_t)i * width, width);
	return v;
}

/* Items [@from, @to) of @p are the stand-in's items @first.. : else fail naming the first wrong. */
static void check_items(const u8 *p, u32 from, u32 to, u32 first, u32 width, const char *what)
{
	for (u32 i = from; i < to; i++) {
		u32 want = standin_item(first + i - from, width), got = item_at(p, i, width);

		if (got != want)
			fail_msg("%s: item %u is %#x, expected %#x", what, i, got, want);
	}
}

static struct standin_state rig_state(struct conf_rig *rig)
{
	struct standin_state st;

	assert_int_equal(standin_state(rig->hw, &st), 0);
	return st;
}

/* Receive SLAVE_ITEMS items in three sg entries; every item, in order, none lost. */
void t_slave_rx(struct conf_case *cc)
{
	struct conf_rig *rig = conf_rig(cc);
	struct dma_chan *chan = rig_request(cc, rig, DMA_DEV_TO_MEM, 1);
	u32 w = rig->width, n = SLAVE_ITEMS, cut1 = 100, cut2 = 353;
	struct gbuf *b = conf_gbuf(cc, (size_t)n * w, 0);
	struct conf_track *t = conf_track_new(cc, chan, 1);
	struct scatterlist sg[3];
	struct dma_async_tx_descriptor *tx;

	conf_fill_old(cc, b, 1);
	sg_init_table(sg, 3);
	sg_dma_address(&sg[0]) = conf_bus(b, 0);
	sg_dma_len(&sg[0]) = cut1 * w;
	sg_dma_address(&sg[1]) = conf_bus(b, (size_t)cut1 * w);
	sg_dma_len(&sg[1]) = (cut2 - cut1) * w;
	sg_dma_address(&sg[2]) = conf_bus(b, (size_t)cut2 * w);
	sg_dma_len(&sg[2]) = (n - cut2) * w;
	tx = dmaengine_prep_slave_sg(chan, sg, 3, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	conf_track_set(t, tx, 0);
	conf_submit(tx);
	dma_async_issue_pending(chan);
	writel(STANDIN_CTRL_RX_ON, rig->regs + STANDIN_REG_CTRL);
	conf_track_wait_all(t, "slave rx");
	check_items(conf_cpu(b), 0, n, rig->rx0, w, "slave rx");
	assert_int_equal(rig_state(rig).rx_lost, 0);
	assert_true(conf_guards_ok(b));
}

/* Send SLAVE_ITEMS items: the stand-in got each, in order. */
void t_slave_tx(struct conf_case *cc)
{
	struct conf_rig *rig = conf_rig(cc);
	struct dma_chan *chan = rig_request(cc, rig, DMA_MEM_TO_DEV, 1);
	u32 w = rig->width, n = SLAVE_ITEMS;
	struct gbuf *b = conf_gbuf(cc, (size_t)n * w, 0);
	struct conf_track *t = conf_track_new(cc, chan, 1);
	struct dma_async_tx_descriptor *tx;
	u8 *p = conf_cpu(b);

	for (u32 i = 0; i < n; i++) {
		u32 v = standin_item(i, w);

		memcpy(p + (size_t)i * w, &v, w);
	}
	conf_dev(b);
	writel(STANDIN_CTRL_TX_ON, rig->regs + STANDIN_REG_CTRL);
	tx = dmaengine_prep_slave_single(chan, conf_bus(b, 0), (size_t)n * w, DMA_MEM_TO_DEV,
					 DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	conf_track_set(t, tx, 0);
	conf_submit(tx);
	dma_async_issue_pending(chan);
	conf_track_wait_all(t, "slave tx");
	assert_int_equal(rig_state(rig).tx_count - rig->tx0, n);
	for (u32 i = 0; i < n; i++)
		if (standin_tx_item(rig->hw, rig->tx0 + i) != standin_item(i, w))
			fail_msg("slave tx: item %u sent as %#x, expected %#x", i,
				 standin_tx_item(rig->hw, rig->tx0 + i), standin_item(i, w));
}

static u32 residue_of(struct dma_chan *chan, dma_cookie_t cookie, enum dma_status *st)
{
	struct dma_tx_state state = { 0 };

	*st = dmaengine_tx_status(chan, cookie, &state);
	return state.residue;
}

/*
 * A receive of @b on @chan, issued and fed by the stand-in, polled until its
 * residue is at most @residue: each poll reads the stream's registers, so
 * the board's time moves on. Returns its cookie.
 */
static dma_cookie_t rx_until(struct conf_rig *rig, struct dma_chan *chan, struct gbuf *b,
			     struct conf_track *t, size_t residue, const char *what)
{
	struct dma_async_tx_descriptor *tx;
	enum dma_status st;
	dma_cookie_t cookie;

	tx = dmaengine_prep_slave_single(chan, conf_bus(b, 0), b->len, DMA_DEV_TO_MEM,
					 DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	conf_track_set(t, tx, 0);
	cookie = conf_submit(tx);
	dma_async_issue_pending(chan);
	writel(STANDIN_CTRL_RX_ON, rig->regs + STANDIN_REG_CTRL);
	for (unsigned int spins = 0; residue_of(chan, cookie, &st) > residue; spins++)
		if (spins > 10000000)
			fail_msg("%s: the transfer never got to a residue of %zu", what, residue);
	return cookie;
}

/*
 * Pause in the middle of a receive, with the stand-in stopped meanwhile (a
 * FIFO-less peripheral would overrun): the residue stands still, and after
 * the resume every item arrives, none twice, none lost.
 */
void t_slave_pause_resume(struct conf_case *cc)
{
	struct conf_rig *rig = conf_rig(cc);
	struct dma_chan *chan = rig_request(cc, rig, DMA_DEV_TO_MEM, 1);
	u32 w = rig->width, n = SLAVE_ITEMS, r1, r2;
	size_t len = (size_t)n * w;
	struct gbuf *b = conf_gbuf(cc, len, 0);
	struct conf_track *t = conf_track_new(cc, chan, 1);
	enum dma_status st;
	dma_cookie_t cookie;

	conf_fill_old(cc, b, 3);
	cookie = rx_until(rig, chan, b, t, len / 2, "slave pause");
	assert_int_equal(dmaengine_pause(chan), 0);
	writel(0, rig->regs + STANDIN_REG_CTRL);
	r1 = residue_of(chan, cookie, &st);
	assert_int_equal(st, DMA_PAUSED);
	assert_true(r1 > 0 && r1 < len);
	udelay(200); /* the board's time: nothing may move while paused */
	r2 = residue_of(chan, cookie, &st);
	assert_int_equal(r2, r1);
	assert_int_equal(conf_track_count(t), 0);
	assert_int_equal(dmaengine_resume(chan), 0);
	writel(STANDIN_CTRL_RX_ON, rig->regs + STANDIN_REG_CTRL);
	conf_track_wait_all(t, "slave pause/resume");
	check_items(conf_cpu(b), 0, n, rig->rx0, w, "slave pause/resume");
	assert_int_equal(rig_state(rig).rx_lost, 0);
}

/* Terminate in the middle: no callback, the rest of the buffer untouched, the channel usable. */
void t_slave_terminate(struct conf_case *cc)
{
	struct conf_rig *rig = conf_rig(cc);
	struct dma_chan *chan = rig_request(cc, rig, DMA_DEV_TO_MEM, 1);
	u32 w = rig->width, n = SLAVE_ITEMS, got;
	size_t len = (size_t)n * w;
	struct gbuf *b = conf_gbuf(cc, len, 0);
	struct conf_track *t = conf_track_new(cc, chan, 1), *t2;
	struct dma_async_tx_descriptor *tx;
	u8 *p;

	conf_fill_old(cc, b, 5);
	rx_until(rig, chan, b, t, len / 3, "slave terminate");
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	writel(0, rig->regs + STANDIN_REG_CTRL);
	got = rig_state(rig).rx_sent - rig->rx0;
	assert_true(got > 0 && got < n);
	assert_int_equal(conf_track_count(t), 0);
	p = conf_cpu(b);
	/* What arrived is the pattern; after it nothing was written. */
	check_items(p, 0, got, rig->rx0, w, "slave terminate");
	if (conf_diff(p + (size_t)got * w, b->old + (size_t)got * w, len - (size_t)got * w) >= 0)
		fail_msg("slave terminate: bytes written after the terminate");
	/* And the channel takes a new transfer at once. */
	t2 = conf_track_new(cc, chan, 1);
	conf_fill_old(cc, b, 6);
	tx = dmaengine_prep_slave_single(chan, conf_bus(b, 0), 16 * w, DMA_DEV_TO_MEM,
					 DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	conf_track_set(t2, tx, 0);
	conf_submit(tx);
	dma_async_issue_pending(chan);
	writel(STANDIN_CTRL_RX_ON, rig->regs + STANDIN_REG_CTRL);
	conf_track_wait_all(t2, "slave after terminate");
	/* The stand-in goes on from where it stopped: items got, got + 1, ... */
	check_items(conf_cpu(b), 0, 16, rig->rx0 + got, w, "slave after terminate");
}

/*
 * What the hardware cannot do is refused at prep (NULL, the driver's line),
 * and the channel then works: a width the device side cannot take, a
 * period that does not divide the buffer, more items in a segment than
 * NDTR holds.
 */
void t_slave_bad_input(struct conf_case *cc)
{
	struct conf_rig *rig = conf_rig(cc);
	struct dma_chan *chan = rig_request(cc, rig, DMA_DEV_TO_MEM, 1);
	u32 w = rig->width, n = SLAVE_ITEMS;
	struct gbuf *big = conf_gbuf(cc, (size_t)0x10000 * 4, 0);
	struct gbuf *b = conf_gbuf(cc, (size_t)n * w, 0);
	struct conf_track *t = conf_track_new(cc, chan, 1);
	struct dma_slave_config cfg = { .direction = DMA_DEV_TO_MEM };

	cfg.src_addr = rig->dr;
	cfg.src_addr_width = DMA_SLAVE_BUSWIDTH_8_BYTES;
	cfg.src_maxburst = 1;
	assert_int_equal(dmaengine_slave_config(chan, &cfg), 0);
	assert_null(dmaengine_prep_slave_single(chan, conf_bus(b, 0), (size_t)n * w,
						DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT));
	rig_config(rig, chan, DMA_DEV_TO_MEM, 1); /* the good one again */
	assert_null(dmaengine_prep_dma_cyclic(chan, conf_bus(b, 0), (size_t)n * w,
					      (size_t)(n / 3 + 1) * w, DMA_DEV_TO_MEM,
					      DMA_PREP_INTERRUPT));
	/* 0x10000 items of the device's width in one segment: NDTR holds 0xFFFF. */
	assert_null(dmaengine_prep_slave_single(chan, conf_bus(big, 0), (size_t)0x10000 * w,
						DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT));
	conf_fill_old(cc, b, 7);
	rx_until(rig, chan, b, t, 0, "slave after bad input");
	conf_track_wait_all(t, "slave after bad input");
	check_items(conf_cpu(b), 0, n, rig->rx0, w, "slave after bad input");
	assert_int_equal(rig_state(rig).rx_lost, 0);
}

/* The cyclic callback: counts periods; at the last one of the first pass, stops the stand-in. */
struct cyclic_probe {
	u32 periods;		   /* callbacks so far (atomic) */
	u32 stop_at;		   /* stop the stand-in at this callback */
	void __iomem *ctrl;	   /* the stand-in's CTRL */
	struct completion done;	   /* stop_at reached */
	u32 wrong_ctx;		   /* callbacks outside completion context (atomic) */
};

static void cyclic_cb(void *param, const struct dmaengine_result *res)
{
	struct cyclic_probe *cp = param;
	u32 n = __atomic_add_fetch(&cp->periods, 1, __ATOMIC_ACQ_REL);

	if (dmae_context() != DMAE_CTX_COMPLETION)
		__atomic_add_fetch(&cp->wrong_ctx, 1, __ATOMIC_RELAXED);
	if (n == cp->stop_at) {
		/* The board's clock stands while a callback runs: no item comes meanwhile. */
		writel(0, cp->ctrl);
		complete(&cp->done);
	}
}

/*
 * A ring of CYCLIC_PERIODS periods: a callback per period, the data of two
 * passes in order (the ring wraps), then pause, resume and terminate.
 */
void t_cyclic(struct conf_case *cc)
{
	struct conf_rig *rig = conf_rig(cc);
	struct dma_chan *chan = rig_request(cc, rig, DMA_DEV_TO_MEM, 1);
	u32 w = rig->width, per = CYCLIC_PERIOD, total = CYCLIC_PERIODS * CYCLIC_PERIOD;
	size_t period = (size_t)per * w, len = (size_t)total * w;
	struct gbuf *b = conf_gbuf(cc, len, 0);
	struct cyclic_probe *cp = conf_zalloc(cc, sizeof(*cp));
	struct dma_async_tx_descriptor *tx;
	u32 passes = 2;

	cp->stop_at = passes * CYCLIC_PERIODS;
	cp->ctrl = rig->regs + STANDIN_REG_CTRL;
	init_completion(&cp->done);
	conf_fill_old(cc, b, 7);
	tx = dmaengine_prep_dma_cyclic(chan, conf_bus(b, 0), len, period, DMA_DEV_TO_MEM,
				       DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	tx->callback_result = cyclic_cb;
	tx->callback_param = cp;
	conf_submit(tx);
	dma_async_issue_pending(chan);
	writel(STANDIN_CTRL_RX_ON, rig->regs + STANDIN_REG_CTRL);
	if (!wait_for_completion_timeout(&cp->done, msecs_to_jiffies(CONF_TIMEOUT_MS)))
		fail_msg("cyclic: %u of %u period callbacks", __atomic_load_n(&cp->periods,
			 __ATOMIC_ACQUIRE), cp->stop_at);
	/* Pause and resume work on a cyclic transfer too; then it ends. */
	assert_int_equal(dmaengine_pause(chan), 0);
	assert_int_equal(dmaengine_resume(chan), 0);
	assert_int_equal(dmaengine_terminate_sync(chan), 0);
	assert_int_equal(__atomic_load_n(&cp->periods, __ATOMIC_ACQUIRE), cp->stop_at);
	/* The second pass overwrote the first: the ring holds items total..2*total-1. */
	check_items(conf_cpu(b), 0, total, rig->rx0 + total, w, "cyclic");
	assert_int_equal(rig_state(rig).rx_lost, 0);
	assert_int_equal(__atomic_load_n(&cp->wrong_ctx, __ATOMIC_RELAXED), 0);
}
