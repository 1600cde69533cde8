// SPDX-License-Identifier: MIT
/*
 * test_async_chain.c - async_tx dependency chains across devices of
 * different capabilities, made with dma_cpu_params.caps: a copy engine
 * (MEMCPY, with or without INTERRUPT) and a RAID engine (XOR, XOR_VAL, PQ,
 * PQ_VAL, INTERRUPT, no MEMCPY). Each step must land on the device that can
 * do it; a channel switch goes through an INTERRUPT descriptor on the
 * dependency's channel, or through the caller waiting when that device has
 * no INTERRUPT; an operation no device can do runs in the caller after its
 * dependency. Callbacks run in dependency order and the data is right.
 *
 * No default platform (DMAENGINE_PLATFORM=none): only the devices each test
 * probes exist. Each test ends with async_tx_exit(), after which its devices
 * must be removable (async_tx gave their channels back).
 */
#include "async_tx/async_test.h"

#include <dmaengine/cpu.h>

#define LEN (2 * PAGE_SIZE)

/* The devices of the running test, removed by its teardown. */
static struct dma_device *devs[2];

static const enum dma_transaction_type all_types[] = {
	DMA_MEMCPY, DMA_MEMSET, DMA_INTERRUPT, DMA_XOR, DMA_XOR_VAL, DMA_PQ, DMA_PQ_VAL,
};

/* A cpu device that advertises exactly the @n types of @caps. */
static struct dma_device *probe_caps(int slot, const char *name,
				     const enum dma_transaction_type *caps, int n)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.name = name;
	p.channels = 2;
	p.workers = 2;
	dma_cap_zero(p.caps);
	for (int i = 0; i < n; i++)
		dma_cap_set(caps[i], p.caps);
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	devs[slot] = dma;
	for (unsigned int t = 0; t < ARRAY_SIZE(all_types); t++) {
		bool want = false;

		for (int i = 0; i < n; i++)
			want |= caps[i] == all_types[t];
		assert_int_equal(dma_has_cap(all_types[t], dma->cap_mask), want);
	}
	return dma;
}

#define PROBE(slot, name, ...)                                                       \
	probe_caps((slot), (name), (const enum dma_transaction_type[]){ __VA_ARGS__ }, \
		   (int)(sizeof((enum dma_transaction_type[]){ __VA_ARGS__ }) /      \
			 sizeof(enum dma_transaction_type)))

static struct dma_device *probe_copy(bool interrupt)
{
	if (interrupt)
		return PROBE(0, "copy-engine", DMA_MEMCPY, DMA_INTERRUPT);
	return PROBE(0, "copy-engine-noirq", DMA_MEMCPY);
}

static struct dma_device *probe_raid(void)
{
	return PROBE(1, "raid-engine", DMA_XOR, DMA_XOR_VAL, DMA_PQ, DMA_PQ_VAL, DMA_INTERRUPT);
}

static int chain_setup(void **state)
{
	devs[0] = devs[1] = NULL;
	return at_setup(state);
}

/* Give the channels back, then the devices must go. */
static int chain_teardown(void **state)
{
	int ret = 0;

	async_tx_exit();
	for (int i = 0; i < 2; i++) {
		if (devs[i] && dma_cpu_remove(devs[i])) {
			fprintf(stderr, "  device %d still busy after async_tx_exit()\n", i);
			ret = -1;
		}
		devs[i] = NULL;
	}
	return at_teardown(state) ? -1 : ret;
}

/* The device a fresh (not yet acked) descriptor went to. */
static struct dma_device *dev_of(struct dma_async_tx_descriptor *tx)
{
	assert_non_null(tx);
	assert_false(IS_ERR(tx));
	return tx->chan->device;
}

/* Position of @id in the callback order, -1 if absent. */
static int order_pos(const int *order, u32 len, int id)
{
	for (u32 i = 0; i < len; i++)
		if (order[i] == id)
			return (int)i;
	return -1;
}

/* The buffers of the copy -> xor -> copy chain. */
struct chain_bufs {
	struct page *src, *key, *mid, *x, *out;
	u8 want[LEN]; /* src ^ key */
};

static void bufs_make(struct chain_bufs *b, u64 salt)
{
	u64 rng = at_rng(salt);

	b->src = at_alloc(1);
	b->key = at_alloc(1);
	b->mid = at_alloc(1);
	b->x = at_alloc(1);
	b->out = at_alloc(1);
	at_fill(page_address(b->src), LEN, &rng);
	at_fill(page_address(b->key), LEN, &rng);
	for (size_t i = 0; i < LEN; i++)
		b->want[i] = at_ptr(b->src, 0)[i] ^ at_ptr(b->key, 0)[i];
}

static void bufs_free(struct chain_bufs *b)
{
	__free_pages(b->src, 1);
	__free_pages(b->key, 1);
	__free_pages(b->mid, 1);
	__free_pages(b->x, 1);
	__free_pages(b->out, 1);
}

/*
 * copy src -> mid (copy engine), x = mid ^ key (RAID engine), copy x -> out
 * (copy engine), then a callback: four callbacks in @cb, order in @order.
 */
static struct dma_async_tx_descriptor *run_chain(struct chain_bufs *b, struct at_cb cb[4],
						 int order[4], u32 *order_len,
						 struct dma_device *copy, struct dma_device *raid,
						 bool copy_irq)
{
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct page *list[2];

	for (int i = 0; i < 4; i++)
		at_cb_init(&cb[i], i + 1, order, order_len);

	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, at_cb_fn, &cb[0], NULL);
	tx = async_memcpy(b->mid, b->src, 0, 0, LEN, &submit);
	assert_ptr_equal(dev_of(tx), copy);

	list[0] = b->mid;
	list[1] = b->key;
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_FENCE, tx, at_cb_fn, &cb[1],
			  NULL);
	tx = async_xor(b->x, list, 0, 2, LEN, &submit);
	assert_ptr_equal(dev_of(tx), raid);
	if (!copy_irq) {
		/* The copy engine cannot interrupt: the caller waited for the copy. */
		assert_memory_equal(page_address(b->mid), page_address(b->src), LEN);
	}

	init_async_submit(&submit, ASYNC_TX_FENCE, tx, at_cb_fn, &cb[2], NULL);
	tx = async_memcpy(b->out, b->x, 0, 0, LEN, &submit);
	assert_ptr_equal(dev_of(tx), copy);

	init_async_submit(&submit, 0, tx, at_cb_fn, &cb[3], NULL);
	tx = async_trigger_callback(&submit);
	if (copy_irq) {
		/* An INTERRUPT descriptor behind the copy, on its channel. */
		assert_ptr_equal(dev_of(tx), copy);
	} else {
		/* No INTERRUPT there: the caller waited and called back itself. */
		assert_null(tx);
		assert_int_equal(at_cb_calls(&cb[3]), 1);
		assert_true(cb[3].on_test_thread);
		assert_memory_equal(page_address(b->out), b->want, LEN);
	}
	return tx;
}

/* Copy engine with INTERRUPT: every switch is an INTERRUPT descriptor. */
static void test_chain_switch_interrupt(void **state)
{
	struct dma_device *copy = probe_copy(true), *raid = probe_raid();
	struct dma_async_tx_descriptor *tx;
	struct chain_bufs *b = malloc(sizeof(*b));
	int order[4] = { 0 };
	u32 order_len = 0;
	struct at_cb cb[4];

	assert_non_null(b);
	bufs_make(b, 1);
	tx = run_chain(b, cb, order, &order_len, copy, raid, true);
	async_tx_issue_pending_all();
	for (int i = 0; i < 4; i++) {
		assert_cb_wait(&cb[i]);
		assert_int_equal(cb[i].ctx, DMAE_CTX_COMPLETION);
		assert_false(cb[i].on_test_thread);
	}
	at_finish(&tx);
	assert_int_equal(__atomic_load_n(&order_len, __ATOMIC_ACQUIRE), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(order[i], i + 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(at_cb_calls(&cb[i]), 1);
	assert_memory_equal(page_address(b->mid), page_address(b->src), LEN);
	assert_memory_equal(page_address(b->out), b->want, LEN);
	bufs_free(b);
	free(b);
}

/* Copy engine without INTERRUPT: switches away from it make the caller wait. */
static void test_chain_switch_wait(void **state)
{
	struct dma_device *copy = probe_copy(false), *raid = probe_raid();
	struct dma_async_tx_descriptor *tx;
	struct chain_bufs *b = malloc(sizeof(*b));
	int order[4] = { 0 };
	u32 order_len = 0;
	struct at_cb cb[4];

	assert_non_null(b);
	bufs_make(b, 2);
	tx = run_chain(b, cb, order, &order_len, copy, raid, false);
	assert_null(tx);
	for (int i = 0; i < 3; i++) {
		assert_cb_wait(&cb[i]);
		assert_int_equal(cb[i].ctx, DMAE_CTX_COMPLETION);
	}
	assert_int_equal(__atomic_load_n(&order_len, __ATOMIC_ACQUIRE), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(at_cb_calls(&cb[i]), 1);
	/*
	 * The RAID engine interrupts: the second copy started after the XOR's
	 * callback. (Where the caller waited, a callback of the copy engine
	 * may still be running when the next step starts, as in the kernel.)
	 */
	assert_true(order_pos(order, 4, 2) < order_pos(order, 4, 3));
	assert_memory_equal(page_address(b->mid), page_address(b->src), LEN);
	assert_memory_equal(page_address(b->out), b->want, LEN);
	bufs_free(b);
	free(b);
}

/* No device can XOR: that step runs in the caller, after the copy it needs. */
static void test_chain_software_step(void **state)
{
	struct dma_device *copy = probe_copy(true);
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	struct chain_bufs *b = malloc(sizeof(*b));
	struct page *list[2];
	struct at_cb cb[3];

	assert_non_null(b);
	bufs_make(b, 3);
	for (int i = 0; i < 3; i++)
		at_cb_init(&cb[i], i + 1, NULL, NULL);

	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, at_cb_fn, &cb[0], NULL);
	tx = async_memcpy(b->mid, b->src, 0, 0, LEN, &submit);
	assert_ptr_equal(dev_of(tx), copy);
	list[0] = b->mid;
	list[1] = b->key;
	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, tx, at_cb_fn, &cb[1], NULL);
	tx = async_xor(b->x, list, 0, 2, LEN, &submit);
	assert_null(tx);
	assert_int_equal(at_cb_calls(&cb[1]), 1);
	assert_true(cb[1].on_test_thread);
	assert_memory_equal(page_address(b->x), b->want, LEN);

	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb[2], NULL);
	tx = async_memcpy(b->out, b->x, 0, 0, LEN, &submit);
	assert_ptr_equal(dev_of(tx), copy);
	at_finish(&tx);
	for (int i = 0; i < 3; i++)
		assert_cb_wait(&cb[i]);
	assert_memory_equal(page_address(b->out), b->want, LEN);
	bufs_free(b);
	free(b);
}

/*
 * RAID6 recovery when copies go to a device without INTERRUPT and the
 * GF(2^8) work to another: the small-stripe recipes copy, the rest multiply.
 */
static void raid6_across(int disks, u64 salt)
{
	struct dma_device *raid = devs[1];
	struct page *blocks[16], *ptrs[16];
	u8 *golden[16];
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	enum sum_check_flags res;
	u64 rng = at_rng(salt);
	int d = disks;

	for (int i = 0; i < d; i++) {
		blocks[i] = at_alloc(0);
		ptrs[i] = blocks[i];
		golden[i] = malloc(PAGE_SIZE);
		assert_non_null(golden[i]);
	}
	/* The data arrives by copy engine; the syndrome waits for it. */
	for (int i = 0; i < d - 2; i++) {
		at_fill(golden[i], PAGE_SIZE, &rng);
	}
	{
		struct page *staging = at_alloc(4);

		tx = NULL;
		for (int i = 0; i < d - 2; i++) {
			memcpy(at_ptr(staging, 0) + i * PAGE_SIZE, golden[i], PAGE_SIZE);
			init_async_submit(&submit, ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
			tx = async_memcpy(blocks[i], staging, 0, (unsigned int)(i * PAGE_SIZE),
					  PAGE_SIZE, &submit);
			assert_ptr_equal(dev_of(tx), devs[0]);
		}
		init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
		tx = async_gen_syndrome(ptrs, NULL, d, PAGE_SIZE, &submit);
		assert_ptr_equal(dev_of(tx), raid);
		at_finish(&tx);
		__free_pages(staging, 4);
	}
	for (int i = 0; i < d; i++)
		memcpy(golden[i], page_address(blocks[i]), PAGE_SIZE);

	for (int a = 0; a < d - 2; a++) {
		for (int b = a + 1; b < d - 1; b++) {
			memset(page_address(blocks[a]), 0xee, PAGE_SIZE);
			memset(page_address(blocks[b]), 0xdd, PAGE_SIZE);
			init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
			if (b == d - 2)
				tx = async_raid6_datap_recov(d, PAGE_SIZE, a, ptrs, NULL, &submit);
			else
				tx = async_raid6_2data_recov(d, PAGE_SIZE, a, b, ptrs, NULL, &submit);
			assert_non_null(tx);
			assert_false(IS_ERR(tx));
			res = (enum sum_check_flags)0x5a;
			init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
			tx = async_syndrome_val(ptrs, NULL, d, PAGE_SIZE, &res, NULL, 0, &submit);
			assert_ptr_equal(dev_of(tx), raid);
			at_finish(&tx);
			assert_int_equal(res, 0);
			for (int i = 0; i < d; i++) {
				if (memcmp(page_address(blocks[i]), golden[i], PAGE_SIZE)) {
					fprintf(stderr, "  %d disks, lost %d and %d: block %d wrong\n",
						d, a, b, i);
					fail();
				}
			}
		}
	}
	for (int i = 0; i < d; i++) {
		__free_page(blocks[i]);
		free(golden[i]);
	}
}

static void test_chain_raid6_across_devices(void **state)
{
	probe_copy(false);
	probe_raid();
	raid6_across(4, 4);
	raid6_across(5, 5);
	raid6_across(9, 9);
}

/* The same with a copy engine that can interrupt. */
static void test_chain_raid6_across_devices_irq(void **state)
{
	probe_copy(true);
	probe_raid();
	raid6_across(4, 14);
	raid6_across(5, 15);
	raid6_across(9, 19);
}

/* A small descriptor pool: 16 per channel, fewer than a chain needs. */
static struct dma_device *probe_small(void)
{
	struct dma_cpu_params p;
	struct dma_device *dma;

	dma_cpu_params_init(&p);
	p.name = "small-pool";
	p.channels = 1;
	p.workers = 1;
	p.descs = 16;
	dma = dma_cpu_probe(&p);
	assert_false(IS_ERR(dma));
	devs[0] = dma;
	return dma;
}

/*
 * A chain of 200 dependent copies, never issued by the client, on a channel
 * of 16 descriptors: the calls issue and wait for what they depend on to
 * get descriptors back, and the chain completes in order.
 */
static void test_chain_longer_than_pool(void **state)
{
	enum { STEPS = 200, SLICE = 256 };
	struct page *buf;
	struct dma_async_tx_descriptor *tx = NULL;
	struct async_submit_ctl submit;
	u64 rng = at_rng(20);
	int offloaded = 0;

	probe_small();
	buf = at_alloc(4); /* 64 KiB: 201 slices of 256 bytes */
	at_fill(page_address(buf), SLICE, &rng);
	for (int i = 0; i < STEPS; i++) {
		init_async_submit(&submit, ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
		tx = async_memcpy(buf, buf, (unsigned int)((i + 1) * SLICE),
				  (unsigned int)(i * SLICE), SLICE, &submit);
		assert_false(IS_ERR(tx));
		offloaded += tx != NULL;
	}
	at_finish(&tx);
	for (int i = 1; i <= STEPS; i++)
		assert_memory_equal(at_ptr(buf, (unsigned int)(i * SLICE)), page_address(buf), SLICE);
	assert_true(offloaded > 0);
	__free_pages(buf, 4);
}

/*
 * The client holds every descriptor of the channel (unacknowledged): the
 * next call cannot wait for them, and must still finish (in software).
 */
static void test_chain_pool_held(void **state)
{
	enum { HELD = 24 };
	struct dma_async_tx_descriptor *held[HELD], *tx;
	struct async_submit_ctl submit;
	struct page *src = at_alloc(0), *dst = at_alloc(0), *dst2 = at_alloc(0);
	u64 rng = at_rng(21);
	int n = 0;

	probe_small();
	at_fill(page_address(src), PAGE_SIZE, &rng);
	for (int i = 0; i < HELD; i++) {
		init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
		held[i] = async_memcpy(dst, src, (unsigned int)(i * 64), 0, 64, &submit);
		assert_false(IS_ERR(held[i]));
		n += held[i] != NULL;
	}
	/* The pool ran out: some ran in the caller. */
	assert_true(n > 0 && n < HELD);
	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
	tx = async_memcpy(dst2, src, 0, 0, PAGE_SIZE, &submit);
	assert_false(IS_ERR(tx));
	at_finish(&tx);
	assert_memory_equal(page_address(dst2), page_address(src), PAGE_SIZE);
	for (int i = 0; i < HELD; i++) {
		at_finish(&held[i]);
		assert_memory_equal(at_ptr(dst, (unsigned int)(i * 64)), page_address(src), 64);
	}
	__free_page(src);
	__free_page(dst);
	__free_page(dst2);
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_setup_teardown(f, chain_setup, chain_teardown)
	const struct CMUnitTest tests[] = {
		T(test_chain_switch_interrupt),
		T(test_chain_switch_wait),
		T(test_chain_software_step),
		T(test_chain_raid6_across_devices),
		T(test_chain_raid6_across_devices_irq),
		T(test_chain_longer_than_pool),
		T(test_chain_pool_held),
	};
#undef T

	/* Only the devices the tests probe. */
	setenv("DMAENGINE_PLATFORM", "none", 1);
	at_init("test_async_chain");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("async_tx chains", tests, NULL, NULL) ? 1 : 0;
}
