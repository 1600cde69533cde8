// SPDX-License-Identifier: MIT
/*
 * core_misuse.c - misuse through the consumer API's inline wrappers and
 * control calls: each returns the kernel's failure value, prints exactly one
 * line saying what was wrong, and leaves the channel working.
 */
#include <stdlib.h>

#include "core/core_test.h"

/* A device with copy and fill alignment, one held and one released channel. */
struct misuse_env {
	struct mock_dev *md;	   /* MEMCPY, MEMSET, INTERLEAVE; 8-byte alignment */
	struct dma_chan *chan;	   /* held: dma0chan0 */
	struct dma_chan *released; /* requested then released: dma0chan1 */
	struct dma_interleaved_template *xt; /* one frame of one chunk */
};

static struct misuse_env env;

static _Alignas(64) u8 buf_a[128];
static _Alignas(64) u8 buf_b[128];
#define A(off) ((dma_addr_t)(uintptr_t)(buf_a + (off)))
#define B(off) ((dma_addr_t)(uintptr_t)(buf_b + (off)))

static struct dma_interleaved_template *xt_alloc(void)
{
	struct dma_interleaved_template *xt = calloc(1, sizeof(*xt) + sizeof(struct data_chunk));

	assert_non_null(xt);
	xt->src_start = A(0);
	xt->dst_start = B(0);
	xt->dir = DMA_MEM_TO_MEM;
	xt->src_inc = true;
	xt->dst_inc = true;
	xt->numf = 1;
	xt->frame_size = 1;
	xt->sgl[0].size = 64;
	return xt;
}

static int misuse_setup(void **state)
{
	struct dma_chan *c1;
	int ret = core_setup(state);

	if (ret)
		return ret;
	env.md = mock_dev_alloc("mock0", 2, CAP(MEMCPY) | CAP(MEMSET) | CAP(INTERLEAVE));
	env.md->dma.copy_align = DMAENGINE_ALIGN_8_BYTES;
	env.md->dma.fill_align = DMAENGINE_ALIGN_8_BYTES;
	if (mock_dev_register(env.md))
		return -1;
	env.chan = dma_get_slave_channel(&env.md->chans[0].chan);
	c1 = dma_get_slave_channel(&env.md->chans[1].chan);
	if (!env.chan || !c1)
		return -1;
	dma_release_channel(c1);
	env.released = c1;
	env.xt = xt_alloc();
	log_reset();
	return 0;
}

static int misuse_teardown(void **state)
{
	if (env.chan && chan_attr_num(env.chan, "in_use") == 1)
		dma_release_channel(env.chan);
	free(env.xt);
	memset(&env, 0, sizeof(env));
	return core_teardown(state);
}

#define misuse_test(f) cmocka_unit_test_setup_teardown(f, misuse_setup, misuse_teardown)

/* ------------------------------------------------------------- prep rows */

struct prep_row {
	const char *what;					/* for the failure report */
	struct dma_async_tx_descriptor *(*prep)(void);		/* the misuse */
	const char *says[3];					/* in the one line */
};

static struct dma_async_tx_descriptor *memcpy_null_chan(void)
{
	return dmaengine_prep_dma_memcpy(NULL, B(0), A(0), 64, 0);
}

static struct dma_async_tx_descriptor *memcpy_released(void)
{
	return dmaengine_prep_dma_memcpy(env.released, B(0), A(0), 64, 0);
}

static struct dma_async_tx_descriptor *memset_released(void)
{
	return dmaengine_prep_dma_memset(env.released, B(0), 0x5a, 64, 0);
}

static struct dma_async_tx_descriptor *interrupt_null_chan(void)
{
	return dmaengine_prep_dma_interrupt(NULL, 0);
}

static struct dma_async_tx_descriptor *xor_unsupported(void)
{
	dma_addr_t src[2] = { A(0), A(64) };

	return dmaengine_prep_dma_xor(env.chan, B(0), src, 2, 64, 0);
}

static struct dma_async_tx_descriptor *pq_unsupported(void)
{
	dma_addr_t src[2] = { A(0), A(64) };
	dma_addr_t dst[2] = { B(0), B(64) };
	static const unsigned char scf[2] = { 1, 2 };

	return dmaengine_prep_dma_pq(env.chan, dst, src, 2, scf, 64, 0);
}

static struct dma_async_tx_descriptor *interrupt_unsupported(void)
{
	return dmaengine_prep_dma_interrupt(env.chan, DMA_PREP_INTERRUPT);
}

static struct dma_async_tx_descriptor *slave_unsupported(void)
{
	return dmaengine_prep_slave_single(env.chan, A(0), 64, DMA_MEM_TO_DEV, 0);
}

static struct dma_async_tx_descriptor *cyclic_unsupported(void)
{
	return dmaengine_prep_dma_cyclic(env.chan, A(0), 128, 64, DMA_DEV_TO_MEM, 0);
}

static struct dma_async_tx_descriptor *memcpy_sg_unsupported(void)
{
	struct scatterlist src, dst;

	sg_init_table(&src, 1);
	sg_init_table(&dst, 1);
	return dmaengine_prep_dma_memcpy_sg(env.chan, &dst, 1, &src, 1, 0);
}

static struct dma_async_tx_descriptor *memcpy_zero_len(void)
{
	return dmaengine_prep_dma_memcpy(env.chan, B(0), A(0), 0, 0);
}

static struct dma_async_tx_descriptor *memset_zero_len(void)
{
	return dmaengine_prep_dma_memset(env.chan, B(0), 0x5a, 0, 0);
}

static struct dma_async_tx_descriptor *memcpy_src_misaligned(void)
{
	return dmaengine_prep_dma_memcpy(env.chan, B(0), A(4), 64, 0);
}

static struct dma_async_tx_descriptor *memcpy_dst_misaligned(void)
{
	return dmaengine_prep_dma_memcpy(env.chan, B(1), A(0), 64, 0);
}

static struct dma_async_tx_descriptor *memcpy_len_misaligned(void)
{
	return dmaengine_prep_dma_memcpy(env.chan, B(0), A(0), 60, 0);
}

static struct dma_async_tx_descriptor *memset_dst_misaligned(void)
{
	return dmaengine_prep_dma_memset(env.chan, B(2), 0x5a, 64, 0);
}

static struct dma_async_tx_descriptor *memset_len_misaligned(void)
{
	return dmaengine_prep_dma_memset(env.chan, B(0), 0x5a, 12, 0);
}

static struct dma_async_tx_descriptor *interleaved_repeat(void)
{
	return dmaengine_prep_interleaved_dma(env.chan, env.xt, DMA_PREP_REPEAT);
}

static struct dma_async_tx_descriptor *interleaved_load_eot(void)
{
	return dmaengine_prep_interleaved_dma(env.chan, env.xt, DMA_PREP_LOAD_EOT);
}

static const struct prep_row prep_rows[] = {
	{ "memcpy on NULL", memcpy_null_chan,
	  { "dmaengine_prep_dma_memcpy", "NULL channel" } },
	{ "interrupt on NULL", interrupt_null_chan,
	  { "dmaengine_prep_dma_interrupt", "NULL channel" } },
	{ "memcpy on released", memcpy_released,
	  { "dma0chan1", "dmaengine_prep_dma_memcpy", "not held" } },
	{ "memset on released", memset_released,
	  { "dma0chan1", "dmaengine_prep_dma_memset", "not held" } },
	{ "xor unsupported", xor_unsupported, { "dma0chan0", "dmaengine_prep_dma_xor", "not supported" } },
	{ "pq unsupported", pq_unsupported, { "dma0chan0", "dmaengine_prep_dma_pq", "not supported" } },
	{ "interrupt unsupported", interrupt_unsupported,
	  { "dma0chan0", "dmaengine_prep_dma_interrupt", "not supported" } },
	{ "slave unsupported", slave_unsupported,
	  { "dma0chan0", "dmaengine_prep_slave_single", "not supported" } },
	{ "cyclic unsupported", cyclic_unsupported,
	  { "dma0chan0", "dmaengine_prep_dma_cyclic", "not supported" } },
	{ "memcpy_sg unsupported", memcpy_sg_unsupported,
	  { "dma0chan0", "dmaengine_prep_dma_memcpy_sg", "not supported" } },
	{ "memcpy zero length", memcpy_zero_len,
	  { "dma0chan0", "dmaengine_prep_dma_memcpy", "zero length" } },
	{ "memset zero length", memset_zero_len,
	  { "dma0chan0", "dmaengine_prep_dma_memset", "zero length" } },
	{ "memcpy src misaligned", memcpy_src_misaligned,
	  { "dma0chan0", "dmaengine_prep_dma_memcpy", "aligned" } },
	{ "memcpy dst misaligned", memcpy_dst_misaligned,
	  { "dma0chan0", "dmaengine_prep_dma_memcpy", "aligned" } },
	{ "memcpy len misaligned", memcpy_len_misaligned,
	  { "dma0chan0", "dmaengine_prep_dma_memcpy", "aligned" } },
	{ "memset dst misaligned", memset_dst_misaligned,
	  { "dma0chan0", "dmaengine_prep_dma_memset", "aligned" } },
	{ "memset len misaligned", memset_len_misaligned,
	  { "dma0chan0", "dmaengine_prep_dma_memset", "aligned" } },
	{ "REPEAT without DMA_REPEAT", interleaved_repeat,
	  { "dma0chan0", "dmaengine_prep_interleaved_dma", "DMA_PREP_REPEAT" } },
	{ "LOAD_EOT without DMA_LOAD_EOT", interleaved_load_eot,
	  { "dma0chan0", "dmaengine_prep_interleaved_dma", "DMA_PREP_LOAD_EOT" } },
};

/* Calls to the prep ops of both channels so far. */
static u32 preps_made(void)
{
	return mock_count(&env.md->chans[0].nr_prep) + mock_count(&env.md->chans[1].nr_prep);
}

/* Every prep misuse: NULL, one line, the provider not asked, the channel works. */
static void test_prep_misuse_table(void **state)
{
	for (size_t i = 0; i < sizeof(prep_rows) / sizeof(prep_rows[0]); i++) {
		const struct prep_row *r = &prep_rows[i];
		struct dma_async_tx_descriptor *tx;
		u32 preps = preps_made();

		print_message("  misuse: %s\n", r->what);
		log_reset();
		tx = r->prep();
		assert_null(tx);
		assert_one_line(r->says[0], r->says[1] ? r->says[1] : "",
				r->says[2] ? r->says[2] : "");
		assert_int_equal(log_level(0), DMAE_LOG_ERR);
		assert_int_equal(preps_made(), preps);
		log_reset();
		assert_chan_works(env.chan);
	}
}

/* The same calls done right succeed: alignment and flags are not over-checked. */
static void test_prep_aligned_ok(void **state)
{
	struct dma_async_tx_descriptor *tx;
	struct cb_probe probe;

	memset(buf_b, 0, sizeof(buf_b));
	cb_probe_init(&probe);
	tx = dmaengine_prep_dma_memset(env.chan, B(8), 0x5a, 16, DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	tx->callback = cb_probe_fn;
	tx->callback_param = &probe;
	assert_true(dmaengine_submit(tx) >= DMA_MIN_COOKIE);
	dma_async_issue_pending(env.chan);
	assert_true(cb_probe_wait(&probe));
	assert_int_equal(buf_b[7], 0);
	assert_int_equal(buf_b[8], 0x5a);
	assert_int_equal(buf_b[23], 0x5a);
	assert_int_equal(buf_b[24], 0);
	tx = dmaengine_prep_dma_memcpy(env.chan, B(8), A(16), 8, 0);
	assert_non_null(tx);
	assert_int_equal(dmaengine_desc_free(tx), -EPERM); /* not reusable: stays */
	tx = dmaengine_prep_interleaved_dma(env.chan, env.xt, 0);
	assert_non_null(tx);
	log_reset();
	assert_chan_works(env.chan);
}

/* With DMA_REPEAT and DMA_LOAD_EOT the same interleaved flags are accepted. */
static void test_prep_repeat_with_cap(void **state)
{
	struct mock_dev *md = mock_dev_alloc("mock1", 1, CAP(INTERLEAVE) | CAP(REPEAT) |
							 CAP(LOAD_EOT));
	struct dma_chan *chan;

	assert_int_equal(mock_dev_register(md), 0);
	chan = dma_get_slave_channel(&md->chans[0].chan);
	assert_non_null(chan);
	assert_non_null(dmaengine_prep_interleaved_dma(chan, env.xt, DMA_PREP_REPEAT));
	assert_non_null(dmaengine_prep_interleaved_dma(chan, env.xt,
						       DMA_PREP_REPEAT | DMA_PREP_LOAD_EOT));
	assert_log_lines(0);
	dma_release_channel(chan);
}

/* ------------------------------------------------------ submit and status */

static void test_submit_null(void **state)
{
	assert_int_equal(dmaengine_submit(NULL), -EINVAL);
	assert_one_line("dmaengine_submit", "NULL");
	log_reset();
	assert_chan_works(env.chan);
}

static void test_tx_status_released(void **state)
{
	struct dma_tx_state st = { 0, 0, 0, 0 };

	assert_int_equal(dmaengine_tx_status(env.released, 2, &st), DMA_ERROR);
	assert_one_line("dma0chan1", "dmaengine_tx_status", "not held");
	log_reset();
	assert_int_equal(dmaengine_tx_status(NULL, 2, NULL), DMA_ERROR);
	assert_one_line("dmaengine_tx_status", "NULL channel");
	log_reset();
	assert_chan_works(env.chan);
}

static void test_sync_wait_released(void **state)
{
	assert_int_equal(dma_sync_wait(env.released, 2), DMA_ERROR);
	assert_one_line("dma0chan1", "dma_sync_wait", "not held");
	log_reset();
	assert_chan_works(env.chan);
}

static void test_issue_pending_released(void **state)
{
	struct mock_chan *mc = &env.md->chans[1];
	u32 issued = mock_count(&mc->nr_issue);

	dma_async_issue_pending(env.released);
	assert_one_line("dma0chan1", "dma_async_issue_pending", "not held");
	assert_int_equal(mock_count(&mc->nr_issue), issued);
	log_reset();
	assert_chan_works(env.chan);
}

/* --------------------------------------------------------- control calls */

/* Without the ops: the kernel's codes; nothing reaches the provider. */
static void test_control_ops_missing(void **state)
{
	struct dma_slave_config cfg = { .direction = DMA_MEM_TO_DEV };
	struct dma_device *dma = &env.md->dma;

	dma->device_terminate_all = NULL;
	dma->device_pause = NULL;
	dma->device_resume = NULL;
	dma->device_config = NULL;
	assert_int_equal(dmaengine_terminate_async(env.chan), -EINVAL);
	assert_int_equal(dmaengine_terminate_all(env.chan), -ENOSYS);
	assert_int_equal(dmaengine_terminate_sync(env.chan), -EINVAL);
	assert_int_equal(dmaengine_pause(env.chan), -ENOSYS);
	assert_int_equal(dmaengine_resume(env.chan), -ENOSYS);
	assert_int_equal(dmaengine_slave_config(env.chan, &cfg), -ENOSYS);
	/* terminate_sync stopped at the failed terminate: no synchronize. */
	assert_int_equal(mock_count(&env.md->chans[0].nr_sync), 0);
	log_reset();
	assert_chan_works(env.chan);
}

/* With the ops: each reaches the provider once and returns its value. */
static void test_control_ops_present(void **state)
{
	struct dma_slave_config cfg = { .direction = DMA_MEM_TO_DEV };
	struct mock_chan *mc = &env.md->chans[0];

	assert_int_equal(dmaengine_pause(env.chan), 0);
	assert_int_equal(dmaengine_resume(env.chan), 0);
	assert_int_equal(dmaengine_slave_config(env.chan, &cfg), 0);
	assert_int_equal(dmaengine_terminate_async(env.chan), 0);
	assert_int_equal(dmaengine_terminate_all(env.chan), 0);
	assert_int_equal(dmaengine_terminate_sync(env.chan), 0);
	assert_int_equal(dmaengine_synchronize(env.chan), 0);
	assert_int_equal(mock_count(&mc->nr_pause), 1);
	assert_int_equal(mock_count(&mc->nr_resume), 1);
	assert_int_equal(mock_count(&mc->nr_config), 1);
	assert_int_equal(mock_count(&mc->nr_terminate), 3);
	assert_int_equal(mock_count(&mc->nr_sync), 2);
	assert_log_lines(0);

	/* A NULL configuration is a misuse. */
	assert_int_equal(dmaengine_slave_config(env.chan, NULL), -EINVAL);
	assert_one_line("dma0chan0", "dmaengine_slave_config");
	assert_int_equal(mock_count(&mc->nr_config), 1);
	log_reset();
	assert_chan_works(env.chan);
}

/* Control calls on a channel not held: one line each, the provider untouched. */
static void test_control_on_released(void **state)
{
	struct mock_chan *mc = &env.md->chans[1];
	int (*const calls[])(struct dma_chan *) = {
		dmaengine_pause, dmaengine_resume, dmaengine_terminate_async,
		dmaengine_terminate_all, dmaengine_terminate_sync, dmaengine_synchronize,
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		log_reset();
		assert_int_equal(calls[i](env.released), -EINVAL);
		assert_one_line("dma0chan1", "not held");
	}
	assert_int_equal(mock_count(&mc->nr_pause), 0);
	assert_int_equal(mock_count(&mc->nr_resume), 0);
	assert_int_equal(mock_count(&mc->nr_terminate), 0);
	log_reset();
	assert_int_equal(dmaengine_pause(NULL), -EINVAL);
	assert_one_line("dmaengine_pause", "NULL channel");
	log_reset();
	assert_chan_works(env.chan);
}

int core_misuse_tests(void)
{
	const struct CMUnitTest tests[] = {
		misuse_test(test_prep_misuse_table),
		misuse_test(test_prep_aligned_ok),
		misuse_test(test_prep_repeat_with_cap),
		misuse_test(test_submit_null),
		misuse_test(test_tx_status_released),
		misuse_test(test_sync_wait_released),
		misuse_test(test_issue_pending_released),
		misuse_test(test_control_ops_missing),
		misuse_test(test_control_ops_present),
		misuse_test(test_control_on_released),
	};

	return cmocka_run_group_tests_name("core_misuse", tests, NULL, NULL);
}
