// SPDX-License-Identifier: MIT
/*
 * test_stm32_dmamux.c - the STM32 DMAMUX model through its registers, one
 * test per rule of the reference (RM0490 chapter 12, the MP1's SVD and HAL):
 * reset values and masks, identification, access widths and bus errors,
 * routing to each master and stream, request ID 0, re-routing, a request on
 * two channels, synchronisation (NBREQ, SPOL, the edge filter, the mask after
 * a write, SOF and its clear, the interrupt), event generation, the request
 * generators (GNBREQ, GPOL, OF and its clear), and the dtsi's narrow window.
 * The test is the driver: it maps the registers, drives request, sync and
 * trigger lines, and reads what the test masters saw, at virtual times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include <dmaengine/board.h>
#include <dmaengine/platform_device.h>

#include "common/hwtest_dmamux.h"
#include "common/log_capture.h"

#define MUX "48002000.dma-router"
#define NARROW "48012000.dma-router"
#define AHB_HZ 200000000ull

/* Registers and fields, as RM0490 12.6 names them. */
#define CxCR(c) (0x000u + 4u * (c))
#define RGxCR(g) (0x100u + 4u * (g))
enum {
	CSR = 0x080, CFR = 0x084, RGSR = 0x140, RGCFR = 0x144,
	HWCFGR2 = 0x3EC, HWCFGR1 = 0x3F0, VERR = 0x3F4, IPIDR = 0x3F8, SIDR = 0x3FC,
};
enum { POL_NONE = 0, POL_RISING = 1, POL_FALLING = 2, POL_BOTH = 3 };
#define SOIE (1u << 8)
#define EGE (1u << 9)
#define SE (1u << 16)
#define SPOL(p) ((u32)(p) << 17)
#define NBREQ(n) ((u32)(n) << 19)
#define SYNC_ID(s) ((u32)(s) << 24)
#define OIE (1u << 8)
#define GE (1u << 16)
#define GPOL(p) ((u32)(p) << 17)
#define GNBREQ(n) ((u32)(n) << 19)

/* SPOL and GPOL: which edges are events. */
static const struct {
	u32 pol;
	bool rise, fall;
} pols[] = {
	{ POL_NONE, false, false },
	{ POL_RISING, true, false },
	{ POL_FALLING, false, true },
	{ POL_BOTH, true, true },
};

static struct dmae_board *board;
static struct dmae_sim *sim;
static void __iomem *mux;
static struct hwtest_master *m1, *m2;
static const struct dmae_hw_port *req, *syncp, *trig, *acks;
static dmae_sim_time_t cyc;	 /* one AHB cycle */
static dmae_sim_time_t access; /* what a register access costs */
static struct hwtest_stim stims[64];
static unsigned int nr_stims;

static int setup(void **state)
{
	log_capture_start();
	board = dmaengine_board_load(DMAMUX_BOARD_DTB, NULL);
	if (IS_ERR(board)) {
		log_dump();
		return -1;
	}
	sim = dmaengine_board_sim(board);
	mux = hwtest_map(MUX);
	m1 = hwtest_master_get("48000000.dma-controller");
	m2 = hwtest_master_get("48001000.dma-controller");
	req = hwtest_port(m1, MUX, "requests");
	syncp = hwtest_port(m1, MUX, "sync");
	trig = hwtest_port(m1, MUX, "triggers");
	acks = hwtest_port(m1, MUX, "acks");
	cyc = dmae_sim_cycles_ps(1, AHB_HZ);
	access = dmae_sim_now(sim);
	readl(mux + VERR);
	access = dmae_sim_now(sim) - access;
	nr_stims = 0;
	return 0;
}

static int teardown(void **state)
{
	int ret;

	hwtest_unmap(MUX);
	hwtest_unmap(NARROW);
	ret = dmaengine_board_unload(board);
	log_capture_stop();
	dmae_quiesce_leave();
	return ret;
}

/* ------------------------------------------------------------- helpers */

/* Write a register; returns the virtual time of the write. */
static dmae_sim_time_t wr(u32 off, u32 val)
{
	writel(val, mux + off);
	return dmae_sim_now(sim);
}

static u32 rd(u32 off)
{
	return readl(mux + off);
}

static dmae_sim_time_t now(void)
{
	return dmae_sim_now(sim);
}

/* Read a register so that the read happens at @t (an access costs time). */
static u32 rd_at(u32 off, dmae_sim_time_t t)
{
	u32 v;

	hwtest_run_until(sim, t - access);
	v = rd(off);
	assert_int_equal(now(), t);
	return v;
}

/* Let time reach @t; returns it. */
static dmae_sim_time_t until(dmae_sim_time_t t)
{
	hwtest_run_until(sim, t);
	assert_int_equal(now(), t);
	return t;
}

static void at(const struct dmae_hw_port *port, unsigned int line, bool level, dmae_sim_time_t t)
{
	assert_true(nr_stims < ARRAY_SIZE(stims));
	hwtest_drive_at(&stims[nr_stims++], port, line, level, t);
}

/* A pulse on a sync or trigger line, each level held for @hold. */
static void pulse_at(const struct dmae_hw_port *port, unsigned int line, dmae_sim_time_t t,
		     dmae_sim_time_t hold)
{
	at(port, line, true, t);
	at(port, line, false, t + hold);
}

/* Change @i that @tm saw: @line went to @level at @t. */
static void saw(struct hwtest_master *tm, unsigned int i, unsigned int line, bool level,
		dmae_sim_time_t t)
{
	struct hwtest_level l = hwtest_master_change(tm, i);

	if (l.line != line || l.level != level || l.t != t)
		fail_msg("%s change %u: line %u %s at %llu ps, not line %u %s at %llu ps",
			 dmae_hw_name(hwtest_master_hw(tm)), i, l.line, l.level ? "high" : "low",
			 (unsigned long long)l.t, line, level ? "high" : "low",
			 (unsigned long long)t);
}

static bool mux_irq(void)
{
	return dmae_irq_level((unsigned int)platform_get_irq(dmae_platform_find_device(MUX), 0));
}

/* --------------------------------------------------------------- tests */

/* Reset values (RM0490 12.6.7) and the MP1's identification words (SVD). */
static void test_reset_values(void **state)
{
	for (unsigned int c = 0; c < 16; c++)
		assert_int_equal(rd(CxCR(c)), 0);
	for (unsigned int g = 0; g < 8; g++)
		assert_int_equal(rd(RGxCR(g)), 0);
	assert_int_equal(rd(CSR), 0);
	assert_int_equal(rd(CFR), 0);
	assert_int_equal(rd(RGSR), 0);
	assert_int_equal(rd(RGCFR), 0);
	assert_int_equal(rd(HWCFGR2), 0x00000008);
	assert_int_equal(rd(HWCFGR1), 0x08086C10);
	assert_int_equal(rd(VERR), 0x00000011);
	assert_int_equal(rd(IPIDR), 0x00100011);
	assert_int_equal(rd(SIDR), 0xA3C5DD01);
	assert_false(mux_irq());
}

/* Writable bits; reserved ones read 0; status and identification ignore writes. */
static void test_masks(void **state)
{
	static const u32 ro[] = { CSR, RGSR, HWCFGR2, HWCFGR1, VERR, IPIDR, SIDR };
	static const u32 reserved[] = { 0x040, 0x07C, 0x088, 0x0FC, 0x120, 0x13C, 0x148, 0x3E8 };

	wr(CxCR(3), 0xFFFFFFFF);
	assert_int_equal(rd(CxCR(3)), 0x1FFF03FF);
	wr(CxCR(3), 0);
	wr(RGxCR(5), 0xFFFFFFFF);
	assert_int_equal(rd(RGxCR(5)), 0x00FF011F);
	wr(RGxCR(5), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(ro); i++) {
		u32 v = rd(ro[i]);

		wr(ro[i], ~v);
		assert_int_equal(rd(ro[i]), v);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(reserved); i++) {
		wr(reserved[i], 0xFFFFFFFF);
		assert_int_equal(rd(reserved[i]), 0);
	}
	/* The clear registers are write-only: they read 0. */
	wr(CFR, 0xFFFF);
	wr(RGCFR, 0xFF);
	assert_int_equal(rd(CFR), 0);
	assert_int_equal(rd(RGCFR), 0);
	assert_int_equal(log_find("bus error"), 0);
}

/* Bytes and half-words reach their part of the register (RM0490 12.6). */
static void test_access_widths(void **state)
{
	writeb(0x03, mux + CxCR(7) + 1);
	assert_int_equal(rd(CxCR(7)), SOIE | EGE);
	writew(0x1234, mux + CxCR(7) + 2);
	assert_int_equal(rd(CxCR(7)), 0x12340000 | SOIE | EGE);
	writeb(0x2A, mux + CxCR(7));
	assert_int_equal(readb(mux + CxCR(7)), 0x2A);
	assert_int_equal(readw(mux + CxCR(7)), 0x032A);
	assert_int_equal(readb(mux + HWCFGR1 + 1), 0x6C);
	assert_int_equal(readw(mux + HWCFGR1 + 2), 0x0808);
	assert_int_equal(readb(mux + SIDR + 3), 0xA3);
	assert_int_equal(log_find("bus error"), 0);
}

/* Misaligned accesses and a 64-bit one are bus errors: one line, reads 0, nothing changes. */
static void test_bad_accesses(void **state)
{
	unsigned int before = log_lines();

	wr(CxCR(1), 0x42);
	assert_int_equal(readw(mux + CxCR(1) + 1), 0);
	assert_int_equal(log_find("bus error: readw at 0x48002005: misaligned"), 1);
	assert_int_equal(readl(mux + CxCR(1) + 2), 0);
	assert_int_equal(log_find("bus error: readl at 0x48002006: misaligned"), 1);
	writel(0xFF, mux + CxCR(1) + 1);
	assert_int_equal(log_find("bus error: writel at 0x48002005: misaligned"), 1);
	assert_int_equal(dmae_mmio_read(mux + CxCR(1), 8), 0);
	assert_int_equal(log_find("bad access size"), 1);
	assert_int_equal(log_lines() - before, 4);
	assert_int_equal(rd(CxCR(1)), 0x42);
}

/* Output c goes to its master's stream: DMA1 stream n = output n, DMA2 stream n = output 8 + n. */
static void test_routing(void **state)
{
	for (unsigned int c = 0; c < 16; c++) {
		struct hwtest_master *tm = c < 8 ? m1 : m2, *other = c < 8 ? m2 : m1;
		u32 id = 9 + 7 * c;
		dmae_sim_time_t t;

		hwtest_master_forget(m1);
		hwtest_master_forget(m2);
		wr(CxCR(c), id);
		t = until(now() + 10 * cyc);
		hwtest_drive(req, id, true);
		until(t + 10 * cyc);
		hwtest_drive(req, id, false);
		assert_int_equal(hwtest_master_changes(tm), 2);
		saw(tm, 0, c % 8, true, t);
		saw(tm, 1, c % 8, false, t + 10 * cyc);
		assert_int_equal(hwtest_master_changes(other), 0);
		wr(CxCR(c), 0);
	}
}

/* DMAREQ_ID 0 selects no request (RM0490 12.4.4 note); nor does an ID beyond the 128 inputs. */
static void test_no_request(void **state)
{
	dmae_sim_time_t t;

	for (unsigned int id = 9; id <= 128; id++)
		hwtest_drive(req, id, true);
	wr(CxCR(0), 0);
	wr(CxCR(15), 200);
	until(now() + 100 * cyc);
	assert_int_equal(hwtest_master_changes(m1), 0);
	assert_int_equal(hwtest_master_changes(m2), 0);
	/* A request already high is forwarded the moment it is selected. */
	t = wr(CxCR(0), 50);
	saw(m1, 0, 0, true, t);
}

/* A new DMAREQ_ID takes effect at once, whatever the levels. */
static void test_reroute_while_high(void **state)
{
	dmae_sim_time_t t0, t1, t2;

	hwtest_drive(req, 30, true);
	t0 = wr(CxCR(2), 30);
	saw(m1, 0, 2, true, t0);
	t1 = wr(CxCR(2), 31);
	saw(m1, 1, 2, false, t1);
	hwtest_drive(req, 31, true);
	saw(m1, 2, 2, true, t1);
	wr(CxCR(2), 30); /* both high: the stream sees no change */
	assert_int_equal(hwtest_master_changes(m1), 3);
	t2 = until(now() + 5 * cyc);
	hwtest_drive(req, 30, false);
	saw(m1, 3, 2, false, t2);
	hwtest_drive(req, 31, false);
	assert_int_equal(hwtest_master_changes(m1), 4);
}

/* The same ID on two channels (RM0490 12.4.4 caution): both streams get the request. */
static void test_same_request_twice(void **state)
{
	dmae_sim_time_t t;

	wr(CxCR(3), 40);
	wr(CxCR(12), 40);
	t = now();
	hwtest_drive(req, 40, true);
	saw(m1, 0, 3, true, t);
	saw(m2, 0, 4, true, t);
	hwtest_drive(req, 40, false);
	saw(m1, 1, 3, false, t);
	saw(m2, 1, 4, false, t);
}

/* Both channels count the service of a request they share, whatever one's event does. */
static void test_same_request_served_twice(void **state)
{
	dmae_sim_time_t ts;

	wr(RGxCR(0), 0 | GE | GPOL(POL_RISING));
	wr(CxCR(9), 1);
	wr(CxCR(0), 40 | EGE);					/* an event per service */
	wr(CxCR(12), 40 | SE | SPOL(POL_RISING) | SYNC_ID(3)); /* one request per sync event */
	hwtest_drive(req, 40, true);
	ts = now() + 10 * cyc;
	at(syncp, 3, true, ts);
	until(ts + 3 * cyc);
	assert_true(hwtest_master_line(m2, 4));
	hwtest_drive(req, 40, false);
	assert_true(hwtest_master_line(m2, 1)); /* channel 0's event started generator 0 */
	hwtest_drive(req, 40, true);
	assert_true(hwtest_master_line(m1, 0));
	assert_false(hwtest_master_line(m2, 4)); /* channel 12 had its one request */
	assert_int_equal(rd(CSR), 0);
}

/*
 * SE: the pending request goes through at a sync edge (after the edge has
 * held three cycles), NBREQ + 1 served requests later the channel waits for
 * the next edge (RM0490 12.4.4).
 */
static void test_sync_nbreq(void **state)
{
	dmae_sim_time_t ts, t;

	wr(CxCR(1), 60 | SE | SPOL(POL_RISING) | NBREQ(2) | SYNC_ID(3));
	hwtest_drive(req, 60, true);
	ts = now() + 100 * cyc;
	at(syncp, 3, true, ts);
	until(ts + 3 * cyc - 1);
	assert_int_equal(hwtest_master_changes(m1), 0);
	until(ts + 3 * cyc);
	saw(m1, 0, 1, true, ts + 3 * cyc);
	/* Three requests served (the peripheral lowers each): the third is the last. */
	for (unsigned int k = 0; k < 3; k++) {
		t = until(now() + 10 * cyc);
		hwtest_drive(req, 60, false);
		saw(m1, 1 + 2 * k, 1, false, t);
		t = until(now() + 10 * cyc);
		hwtest_drive(req, 60, true);
		if (k < 2)
			saw(m1, 2 + 2 * k, 1, true, t);
	}
	until(now() + 50 * cyc);
	assert_int_equal(hwtest_master_changes(m1), 6);
	assert_false(hwtest_master_line(m1, 1));
	/* The next edge lets the pending request through again; no overrun. */
	ts = now() + 10 * cyc;
	at(syncp, 3, false, ts);
	at(syncp, 3, true, ts + 10 * cyc);
	until(ts + 13 * cyc);
	saw(m1, 6, 1, true, ts + 13 * cyc);
	assert_int_equal(rd(CSR), 0);
}

/* A sync event with no request pending is discarded (RM0490 12.4.4 note). */
static void test_sync_discarded(void **state)
{
	dmae_sim_time_t ts;

	wr(CxCR(4), 70 | SE | SPOL(POL_RISING) | SYNC_ID(4));
	ts = now() + 10 * cyc;
	pulse_at(syncp, 4, ts, 10 * cyc);
	until(ts + 20 * cyc);
	hwtest_drive(req, 70, true);
	until(now() + 50 * cyc);
	assert_int_equal(hwtest_master_changes(m1), 0);
	ts = now() + 10 * cyc;
	at(syncp, 4, true, ts);
	until(ts + 3 * cyc);
	saw(m1, 0, 4, true, ts + 3 * cyc);
	assert_int_equal(rd(CSR), 0);
}

/* SPOL: no event, rising, falling, both (RM0490 12.6.1). */
static void test_sync_polarity(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(pols); i++) {
		dmae_sim_time_t ts;
		unsigned int n = 0;

		hwtest_master_forget(m1);
		wr(CxCR(5), 80 | SE | SPOL(pols[i].pol) | SYNC_ID(5));
		hwtest_drive(req, 80, true);
		ts = now() + 10 * cyc;
		at(syncp, 5, true, ts);
		at(syncp, 5, false, ts + 20 * cyc);
		until(ts + 19 * cyc);
		if (pols[i].rise) {
			saw(m1, n++, 5, true, ts + 3 * cyc);
			hwtest_drive(req, 80, false); /* served: NBREQ 0 was the one */
			hwtest_drive(req, 80, true);
			saw(m1, n++, 5, false, now());
		}
		until(ts + 40 * cyc);
		if (pols[i].fall)
			saw(m1, n++, 5, true, ts + 23 * cyc);
		assert_int_equal(hwtest_master_changes(m1), n);
		hwtest_drive(req, 80, false);
		wr(CxCR(5), 0);
		assert_int_equal(rd(CSR), 0);
	}
}

/* An edge is one only if the new level holds for more than two AHB cycles (RM0490 12.4.4). */
static void test_sync_edge_filter(void **state)
{
	dmae_sim_time_t ts;

	wr(CxCR(6), 81 | SE | SPOL(POL_BOTH) | SYNC_ID(6));
	hwtest_drive(req, 81, true);
	ts = now() + 10 * cyc;
	pulse_at(syncp, 6, ts, 2 * cyc);	    /* two cycles high: a glitch */
	pulse_at(syncp, 6, ts + 10 * cyc, cyc); /* one cycle */
	until(ts + 50 * cyc);
	assert_int_equal(hwtest_master_changes(m1), 0);
	pulse_at(syncp, 6, ts + 50 * cyc, 3 * cyc); /* three: an edge */
	until(ts + 60 * cyc);
	saw(m1, 0, 6, true, ts + 53 * cyc);
	/* ... and its falling edge, three cycles low, an overrun: nothing was served. */
	assert_int_equal(rd(CSR), 1u << 6);
}

/* Sync events are masked for three AHB cycles after a write of CxCR (RM0490 12.4.4). */
static void test_sync_masked_after_write(void **state)
{
	u32 cr = 82 | SE | SPOL(POL_RISING) | SYNC_ID(7);
	dmae_sim_time_t t0, w;

	wr(CxCR(8), cr);
	hwtest_drive(req, 82, true);
	until(now() + 10 * cyc);
	/* Detected two cycles before the end of the mask: ignored. */
	t0 = now();
	at(syncp, 7, true, t0 + access - 2 * cyc);
	w = wr(CxCR(8), cr);
	assert_int_equal(w, t0 + access);
	until(w + 10 * cyc);
	assert_int_equal(hwtest_master_changes(m2), 0);
	/* Detected as the mask ends: an event. */
	at(syncp, 7, false, now());
	until(now() + 10 * cyc);
	t0 = now();
	at(syncp, 7, true, t0 + access);
	w = wr(CxCR(8), cr);
	until(w + 10 * cyc);
	saw(m2, 0, 0, true, w + 3 * cyc);
}

/* SOF: a sync event before the counter ran out; SOIE makes it the interrupt; CFR clears it. */
static void test_sync_overrun(void **state)
{
	dmae_sim_time_t ts;

	wr(CxCR(9), 83 | SE | SPOL(POL_RISING) | NBREQ(1) | SYNC_ID(3));
	hwtest_drive(req, 83, true);
	ts = now() + 10 * cyc;
	pulse_at(syncp, 3, ts, 10 * cyc);
	until(ts + 15 * cyc);
	saw(m2, 0, 1, true, ts + 3 * cyc);
	hwtest_drive(req, 83, false); /* one of two served */
	hwtest_drive(req, 83, true);
	pulse_at(syncp, 3, ts + 30 * cyc, 10 * cyc);
	assert_int_equal(rd_at(CSR, ts + 33 * cyc - 1), 0);
	assert_int_equal(rd(CSR), 1u << 9); /* an access later */
	/* Still forwarding: the overrun changes nothing else. */
	assert_true(hwtest_master_line(m2, 1));
	assert_false(mux_irq());
	wr(CxCR(9), rd(CxCR(9)) | SOIE);
	assert_true(mux_irq());
	wr(CFR, ~(1u << 9) & 0xFFFF);
	assert_int_equal(rd(CSR), 1u << 9);
	assert_true(mux_irq());
	wr(CFR, 1u << 9);
	assert_int_equal(rd(CSR), 0);
	assert_false(mux_irq());
	/* With SOIE set, the line rises with the flag. */
	pulse_at(syncp, 3, now() + 10 * cyc, 10 * cyc);
	ts = now() + 10 * cyc;
	until(ts + 3 * cyc - 1);
	assert_false(mux_irq());
	until(ts + 3 * cyc);
	assert_true(mux_irq());
	assert_int_equal(rd(CSR), 1u << 9);
}

/*
 * EGE: an event pulse of one AHB cycle at each reload of the counter, i.e.
 * after every NBREQ + 1 served requests (RM0490 12.4.4). Channel 0's event is
 * trigger input 0 (MP1 HAL): generator 0 turns it into request 1, routed to
 * DMA2 stream 1, so the event is seen at its exact time.
 */
static void test_event_generation(void **state)
{
	dmae_sim_time_t t;

	wr(RGxCR(0), 0 | GE | GPOL(POL_RISING) | GNBREQ(0));
	wr(CxCR(9), 1);
	wr(CxCR(0), 90 | EGE | NBREQ(1));
	for (unsigned int k = 0; k < 2; k++) {
		until(now() + 10 * cyc);
		hwtest_drive(req, 90, true);
		t = until(now() + 10 * cyc);
		hwtest_drive(req, 90, false);
	}
	/* The second served request reloads the counter: the event, and the generated request. */
	assert_int_equal(hwtest_master_changes(m2), 1);
	saw(m2, 0, 1, true, t);
	assert_int_equal(hwtest_master_changes(m1), 4);
	/* The pulse ends a cycle later: a falling-edge generator sees it then. */
	hwtest_master_forget(m2);
	wr(RGxCR(0), 0);
	wr(RGxCR(0), 0 | GE | GPOL(POL_FALLING));
	for (unsigned int k = 0; k < 2; k++) {
		until(now() + 10 * cyc);
		hwtest_drive(req, 90, true);
		t = until(now() + 10 * cyc);
		hwtest_drive(req, 90, false);
	}
	assert_int_equal(hwtest_master_changes(m2), 1); /* the withdrawn request: down */
	until(t + cyc);
	saw(m2, 1, 1, true, t + cyc);
}

/* EGE with NBREQ 0: an event after each served request (RM0490 12.4.4 note). */
static void test_event_every_request(void **state)
{
	wr(RGxCR(1), 1 | GE | GPOL(POL_RISING) | GNBREQ(31));
	wr(CxCR(10), 2);
	wr(CxCR(1), 91 | EGE);
	for (unsigned int k = 0; k < 3; k++) {
		until(now() + 10 * cyc);
		hwtest_drive(req, 91, true);
		until(now() + 10 * cyc);
		hwtest_drive(req, 91, false);
	}
	/* Three events: the first starts 32 requests, the others overrun it (nothing served them). */
	assert_int_equal(hwtest_master_changes(m2), 1);
	assert_int_equal(rd(RGSR), 1u << 1);
}

/*
 * A request generator: a trigger edge starts GNBREQ + 1 requests, each ended
 * by the master's acknowledge, the next a cycle later (RM0490 12.4.5).
 */
static void test_generator(void **state)
{
	dmae_sim_time_t ts, d = 50 * DMAE_PS_PER_NS, r;

	hwtest_master_autoack(m2, acks, 8, d);
	wr(RGxCR(2), 4 | GE | GPOL(POL_RISING) | GNBREQ(3));
	wr(CxCR(9), 3); /* generator 2 is request 3 */
	ts = now() + 10 * cyc;
	pulse_at(trig, 4, ts, 10 * cyc);
	until(ts + 3 * cyc + 4 * (d + cyc) + 100 * cyc);
	assert_int_equal(hwtest_master_changes(m2), 8);
	r = ts + 3 * cyc;
	for (unsigned int k = 0; k < 4; k++) {
		saw(m2, 2 * k, 1, true, r);
		saw(m2, 2 * k + 1, 1, false, r + d);
		r += d + cyc;
	}
	assert_int_equal(rd(RGSR), 0);
	/* The next trigger starts four more. */
	hwtest_master_forget(m2);
	ts = now() + 10 * cyc;
	pulse_at(trig, 4, ts, 10 * cyc);
	until(ts + 200 * cyc);
	assert_int_equal(hwtest_master_changes(m2), 8);
	saw(m2, 0, 1, true, ts + 3 * cyc);
}

/* GPOL: no event, rising, falling, both (RM0490 12.6.4). */
static void test_generator_polarity(void **state)
{
	hwtest_master_autoack(m1, acks, 0, 10 * cyc);
	wr(CxCR(6), 7); /* generator 6 */
	for (unsigned int i = 0; i < ARRAY_SIZE(pols); i++) {
		dmae_sim_time_t ts = now() + 10 * cyc;
		unsigned int n = 0;

		hwtest_master_forget(m1);
		wr(RGxCR(6), 5 | GE | GPOL(pols[i].pol));
		pulse_at(trig, 5, ts, 40 * cyc);
		until(ts + 100 * cyc);
		if (pols[i].rise) {
			saw(m1, n++, 6, true, ts + 3 * cyc);
			saw(m1, n++, 6, false, ts + 13 * cyc);
		}
		if (pols[i].fall) {
			saw(m1, n++, 6, true, ts + 43 * cyc);
			saw(m1, n++, 6, false, ts + 53 * cyc);
		}
		assert_int_equal(hwtest_master_changes(m1), n);
	}
	assert_int_equal(rd(RGSR), 0);
}

/* OF: a trigger before all requests were served; OIE: the interrupt; RGCFR clears it. */
static void test_generator_overrun(void **state)
{
	dmae_sim_time_t ts;

	wr(RGxCR(5), 6 | GE | GPOL(POL_RISING) | GNBREQ(1));
	wr(CxCR(11), 6);
	ts = now() + 10 * cyc;
	pulse_at(trig, 6, ts, 10 * cyc);
	pulse_at(trig, 6, ts + 30 * cyc, 10 * cyc);
	assert_int_equal(rd_at(RGSR, ts + 33 * cyc - 1), 0);
	assert_int_equal(rd(RGSR), 1u << 5); /* an access later */
	assert_int_equal(hwtest_master_changes(m2), 1); /* one request, still pending */
	assert_false(mux_irq());
	wr(RGxCR(5), rd(RGxCR(5)) | OIE);
	assert_true(mux_irq());
	wr(RGCFR, 0xFF & ~(1u << 5));
	assert_true(mux_irq());
	wr(RGCFR, 1u << 5);
	assert_int_equal(rd(RGSR), 0);
	assert_false(mux_irq());
	/* GE cleared: the pending request is withdrawn, and triggers do nothing. */
	ts = wr(RGxCR(5), 6 | GPOL(POL_RISING) | OIE);
	saw(m2, 1, 3, false, ts);
	pulse_at(trig, 6, now() + 10 * cyc, 10 * cyc);
	until(now() + 50 * cyc);
	assert_int_equal(rd(RGSR), 0);
	assert_int_equal(hwtest_master_changes(m2), 2);
	assert_false(mux_irq());
}

/* Trigger events are masked for three AHB cycles after a write of RGxCR (RM0490 12.4.5). */
static void test_generator_masked_after_write(void **state)
{
	u32 cr = 7 | GE | GPOL(POL_RISING);
	dmae_sim_time_t t0, w;

	wr(CxCR(7), 8); /* generator 7 */
	wr(RGxCR(7), cr);
	until(now() + 10 * cyc);
	t0 = now();
	at(trig, 7, true, t0 + access - 2 * cyc);
	w = wr(RGxCR(7), cr);
	until(w + 10 * cyc);
	assert_int_equal(hwtest_master_changes(m1), 0);
	at(trig, 7, false, now());
	until(now() + 10 * cyc);
	t0 = now();
	at(trig, 7, true, t0 + access);
	w = wr(RGxCR(7), cr);
	until(w + 10 * cyc);
	saw(m1, 0, 7, true, w + 3 * cyc);
}

/* Not lines to drive: a generator's request, inputs 0-2 (events); acks of peripherals. */
static void test_lines_that_are_not_inputs(void **state)
{
	wr(CxCR(0), 3);
	hwtest_drive(req, 3, true);
	assert_int_equal(log_find("request 3 is generator 2's output, not a line to drive"), 1);
	hwtest_drive(req, 0, true);
	assert_int_equal(log_find("request 0 selects nothing"), 1);
	wr(CxCR(1), 20 | SE | SPOL(POL_RISING) | SYNC_ID(1));
	hwtest_drive(req, 20, true);
	hwtest_drive(syncp, 1, true);
	assert_int_equal(log_find("sync input 1 is channel 1's event, not a line to drive"), 1);
	hwtest_drive(trig, 2, true);
	assert_int_equal(log_find("trigger input 2 is channel 2's event"), 1);
	until(now() + 20 * cyc);
	assert_int_equal(hwtest_master_changes(m1), 0);
	/* An acknowledge of a peripheral's request: the peripheral lowers its own. */
	wr(CxCR(2), 21);
	hwtest_drive(req, 21, true);
	hwtest_drive(acks, 2, true);
	hwtest_drive(acks, 2, false);
	assert_true(hwtest_master_line(m1, 2));
	assert_int_equal(hwtest_master_changes(m1), 1);
}

/*
 * The dtsi's node: reg covers C0CR-C15CR only, so the rest is not there; no
 * interrupt. Its masters: one test master (outputs 0-7), a node without a
 * model (8-11); outputs 12-15 have none.
 */
static void test_narrow_window(void **state)
{
	void __iomem *nm = hwtest_map(NARROW);
	struct hwtest_master *m3 = hwtest_master_get("48010000.dma-controller");
	const struct dmae_hw_port *nreq = hwtest_port(m3, NARROW, "requests");
	dmae_sim_time_t t;

	writel(33, nm + CxCR(2));
	t = now();
	hwtest_drive(nreq, 33, true);
	saw(m3, 0, 2, true, t);
	assert_int_equal(readl(nm + CxCR(2)), 33);
	assert_int_equal(readl(nm + CSR), 0);
	assert_int_equal(log_find("bus error: readl at 0x48012080: no device there"), 1);
	writel(33, nm + CxCR(9));
	assert_int_equal(log_find("DMA master /soc/dma-controller@48011000 has no model "
					   "with a \"requests\" port: outputs 8-11 go nowhere"),
			 1);
	writel(33, nm + CxCR(13));
	assert_int_equal(log_find("output 13 has no DMA master in dma-masters"), 1);
	/* Said once. */
	writel(0, nm + CxCR(9));
	writel(33, nm + CxCR(10));
	writel(0, nm + CxCR(13));
	writel(33, nm + CxCR(13));
	assert_int_equal(log_find("go nowhere"), 2);
	/* The other DMAMUX's masters saw none of it. */
	assert_int_equal(hwtest_master_changes(m1) + hwtest_master_changes(m2), 0);
}

static int teardown_bad(void **state)
{
	hwtest_unmap("48002000.dma-router");
	hwtest_unmap("48003000.dma-router");
	return teardown(state);
}

/* Nodes the model copes with: no clock (no hardware, one line); a master without dma-requests. */
static void test_bad_nodes(void **state)
{
	struct hwtest_master *tm;
	void __iomem *dead, *live;

	log_capture_start();
	board = dmaengine_board_load(DMAMUX_BAD_DTB, NULL);
	assert_false(IS_ERR(board));
	sim = dmaengine_board_sim(board);
	assert_int_equal(log_find("stm32-dmamux 48002000.dma-router: no clock "
					   "(clocks or clock-frequency)"), 1);
	assert_int_equal(log_find("48002000.dma-router: model stm32-dmamux failed to "
					   "start (-22)"), 1);
	assert_int_equal(log_find("DMA master /soc/dma-controller@48000000 has no "
					   "dma-requests: 8 streams"), 1);
	dead = hwtest_map("48002000.dma-router");
	assert_int_equal(readl(dead), 0);
	assert_int_equal(log_find("bus error: readl at 0x48002000: no device there"), 1);
	/* Eight outputs for that master: output 7 is its stream 7. */
	tm = hwtest_master_get("48000000.dma-controller");
	live = hwtest_map("48003000.dma-router");
	writel(20, live + CxCR(7));
	hwtest_drive(hwtest_port(tm, "48003000.dma-router", "requests"), 20, true);
	assert_true(hwtest_master_line(tm, 7));
	assert_int_equal(log_find("go nowhere"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reroute_while_high, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_request_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_request_served_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_nbreq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_discarded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_polarity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_edge_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_masked_after_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_every_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generator_polarity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generator_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generator_masked_after_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_that_are_not_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_narrow_window, setup, teardown),
		cmocka_unit_test_teardown(test_bad_nodes, teardown_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
