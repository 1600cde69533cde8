// SPDX-License-Identifier: MIT
/*
 * test_async_raid6.c - RAID6 recovery of every pair of failed blocks, after
 * the kernel's crypto/async_tx/raid6test.c: for several stripe widths, fill
 * the data blocks with random bytes, generate P and Q with
 * async_gen_syndrome, then for every pair of blocks (data+data, data+P,
 * data+Q, P+Q) wipe both, rebuild them with the recipe for that pair, check
 * them against the originals and check that async_syndrome_val agrees.
 *
 * Run with channels (the default cpu platform: every call must return a
 * descriptor), with DMAENGINE_PLATFORM=none (every call must run in the
 * caller and return NULL) and with DMAENGINE_CPU_ORDER=any (out-of-order
 * channels: the chains must be fenced where one step reads another's result).
 */
#include "async_tx/async_test.h"

#define MAX_DISKS 64

/* A stripe under test. */
struct stripe {
	int disks;			   /* data + P + Q */
	size_t len;			   /* bytes per block */
	unsigned int order;		   /* each block's allocation is 2^order pages */
	struct page *blocks[MAX_DISKS];	   /* every block's pages */
	struct page *ptrs[MAX_DISKS];	   /* what the calls see: blocks[i], or NULL (zeros) */
	unsigned int offs[MAX_DISKS];	   /* each block's offset */
	u8 *golden[MAX_DISKS];		   /* the good contents (len bytes) */
	struct page *spare;		   /* scratch page of async_syndrome_val */
	unsigned int s_off;		   /* its offset */
	u64 rng;			   /* random state */
	unsigned int pairs;		   /* pairs recovered */
};

/* What a configuration varies. */
struct config {
	int disks;
	size_t len;
	bool offsets;	    /* random non-zero offsets per block */
	const int *present; /* data blocks that exist (-1 ends), NULL: all */
};

#define CANARY 0xa5

static size_t alloc_bytes(const struct stripe *st)
{
	return PAGE_SIZE << st->order;
}

/* The expected P and Q of the stripe's data, by the plain C reference. */
static void reference_pq(struct stripe *st, u8 *p, u8 *q)
{
	void *src[MAX_DISKS];
	u8 scf[MAX_DISKS];
	unsigned int n = 0;

	for (int i = 0; i < st->disks - 2; i++) {
		if (!st->ptrs[i])
			continue;
		src[n] = at_ptr(st->ptrs[i], st->offs[i]);
		scf[n++] = dmae__gf_exp[i];
	}
	if (!n) {
		memset(p, 0, st->len);
		memset(q, 0, st->len);
		return;
	}
	dmae__raid_ref_pq(p, q, src, scf, n, st->len, 0);
}

static void report_diff(const char *what, const u8 *got, const u8 *want, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			fprintf(stderr, "  %s: first difference at byte %zu: 0x%02x, want 0x%02x\n",
				what, i, got[i], want[i]);
			return;
		}
	}
}

static void stripe_create(struct stripe *st, const struct config *cfg, u64 salt)
{
	unsigned int maxoff = 0;

	memset(st, 0, sizeof(*st));
	st->disks = cfg->disks;
	st->len = cfg->len;
	st->rng = at_rng(salt);
	for (int i = 0; i < st->disks; i++) {
		st->offs[i] = cfg->offsets ? (unsigned int)at_rand_range(&st->rng, 1, PAGE_SIZE - 1) : 0;
		if (st->offs[i] > maxoff)
			maxoff = st->offs[i];
	}
	st->s_off = cfg->offsets ? (unsigned int)at_rand_range(&st->rng, 1, PAGE_SIZE - 1) : 0;
	if (st->s_off > maxoff)
		maxoff = st->s_off;
	while ((PAGE_SIZE << st->order) < maxoff + st->len)
		st->order++;
	for (int i = 0; i < st->disks; i++) {
		st->blocks[i] = at_alloc(st->order);
		memset(page_address(st->blocks[i]), CANARY, alloc_bytes(st));
		at_fill(at_ptr(st->blocks[i], st->offs[i]), st->len, &st->rng);
		st->ptrs[i] = st->blocks[i];
		st->golden[i] = malloc(st->len);
		assert_non_null(st->golden[i]);
	}
	if (cfg->present) {
		for (int i = 0; i < st->disks - 2; i++)
			st->ptrs[i] = NULL;
		for (const int *d = cfg->present; *d >= 0; d++)
			st->ptrs[*d] = st->blocks[*d];
	}
	st->spare = at_alloc(st->order);
}

/* The bytes around each block's data were never written. */
static void stripe_check_canaries(struct stripe *st)
{
	for (int i = 0; i < st->disks; i++) {
		u8 *base = page_address(st->blocks[i]);
		size_t end = st->offs[i] + st->len;

		if (!at_all(base, st->offs[i], CANARY) ||
		    !at_all(base + end, alloc_bytes(st) - end, CANARY)) {
			fprintf(stderr, "  block %d: bytes outside [%u, %zu) were written\n", i,
				st->offs[i], end);
			fail();
		}
	}
}

static void stripe_destroy(struct stripe *st)
{
	stripe_check_canaries(st);
	for (int i = 0; i < st->disks; i++) {
		__free_pages(st->blocks[i], st->order);
		free(st->golden[i]);
	}
	__free_pages(st->spare, st->order);
}

/* Generate P and Q, check them against the reference, keep the good copy. */
static void stripe_gen(struct stripe *st)
{
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	int d = st->disks;
	u8 *p = malloc(st->len), *q = malloc(st->len);
	struct at_cb cb;

	assert_non_null(p);
	assert_non_null(q);
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, NULL, at_cb_fn, &cb, NULL);
	tx = async_gen_syndrome(st->ptrs, st->offs, d, st->len, &submit);
	at_check_tx(tx, at_offload, "async_gen_syndrome");
	if (!at_offload) {
		/* Ran in the caller: so did its callback, before the return. */
		assert_int_equal(at_cb_calls(&cb), 1);
		assert_true(cb.on_test_thread);
	}
	at_finish(&tx);
	assert_cb_wait(&cb);
	assert_int_equal(at_cb_calls(&cb), 1);

	reference_pq(st, p, q);
	if (memcmp(at_ptr(st->ptrs[d - 2], st->offs[d - 2]), p, st->len)) {
		report_diff("P", at_ptr(st->ptrs[d - 2], st->offs[d - 2]), p, st->len);
		fail();
	}
	if (memcmp(at_ptr(st->ptrs[d - 1], st->offs[d - 1]), q, st->len)) {
		report_diff("Q", at_ptr(st->ptrs[d - 1], st->offs[d - 1]), q, st->len);
		fail();
	}
	for (int i = 0; i < d; i++)
		memcpy(st->golden[i], at_ptr(st->blocks[i], st->offs[i]), st->len);
	free(p);
	free(q);
}

static const char *pair_kind(const struct stripe *st, int a, int b)
{
	if (b == st->disks - 1)
		return a == st->disks - 2 ? "P+Q" : "data+Q";
	return b == st->disks - 2 ? "data+P" : "data+data";
}

/* Rebuild blocks @a < @b with the recipe for their kind. */
static struct dma_async_tx_descriptor *recover(struct stripe *st, int a, int b)
{
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	int d = st->disks;

	/* Fenced: the check that follows reads what this writes. */
	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
	if (b == d - 1 && a == d - 2) {
		/* P+Q: just generate them again. */
		tx = async_gen_syndrome(st->ptrs, st->offs, d, st->len, &submit);
		at_check_tx(tx, at_offload, "async_gen_syndrome (P+Q)");
	} else if (b == d - 1) {
		/* data+Q: the data block is the XOR of P and the other data
		 * (absent blocks are NULL and skipped), then Q again. */
		struct page *srcs[MAX_DISKS];
		unsigned int soffs[MAX_DISKS];
		int n = 0;

		for (int i = 0; i < d - 1; i++) {
			if (i == a)
				continue;
			srcs[n] = st->ptrs[i];
			soffs[n++] = st->offs[i];
		}
		init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_FENCE, NULL, NULL, NULL,
				  NULL);
		tx = async_xor_offs(st->ptrs[a], st->offs[a], srcs, soffs, n, st->len, &submit);
		at_check_tx(tx, at_offload, "async_xor_offs (data+Q)");
		init_async_submit(&submit, ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
		tx = async_gen_syndrome(st->ptrs, st->offs, d, st->len, &submit);
		at_check_tx(tx, at_offload, "async_gen_syndrome (data+Q)");
	} else if (b == d - 2) {
		tx = async_raid6_datap_recov(d, st->len, a, st->ptrs, st->offs, &submit);
		at_check_tx(tx, at_offload, "async_raid6_datap_recov");
	} else {
		/* Every other pair the other way round: the call swaps them. */
		if ((a + b) & 1)
			tx = async_raid6_2data_recov(d, st->len, b, a, st->ptrs, st->offs, &submit);
		else
			tx = async_raid6_2data_recov(d, st->len, a, b, st->ptrs, st->offs, &submit);
		at_check_tx(tx, at_offload, "async_raid6_2data_recov");
	}
	return tx;
}

/* Lose blocks @a and @b, rebuild them, check the data and the syndrome. */
static void test_pair(struct stripe *st, int a, int b)
{
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	enum sum_check_flags pqres = (enum sum_check_flags)0x5a;
	bool by_callback = st->pairs & 1; /* wait both ways, alternately */
	struct at_cb cb;

	at_fill(at_ptr(st->blocks[a], st->offs[a]), st->len, &st->rng);
	at_fill(at_ptr(st->blocks[b], st->offs[b]), st->len, &st->rng);

	tx = recover(st, a, b);
	at_cb_init(&cb, 0, NULL, NULL);
	init_async_submit(&submit, 0, tx, by_callback ? at_cb_fn : NULL, &cb, NULL);
	tx = async_syndrome_val(st->ptrs, st->offs, st->disks, st->len, &pqres, st->spare,
				st->s_off, &submit);
	at_check_tx(tx, at_offload, "async_syndrome_val");
	if (by_callback) {
		if (!at_offload)
			assert_int_equal(at_cb_calls(&cb), 1);
		async_tx_issue_pending_all();
		assert_cb_wait(&cb);
	}
	at_finish(&tx);

	for (int i = 0; i < st->disks; i++) {
		if (memcmp(at_ptr(st->blocks[i], st->offs[i]), st->golden[i], st->len)) {
			fprintf(stderr, "  disks %d, len %zu, lost %d and %d (%s): block %d differs\n",
				st->disks, st->len, a, b, pair_kind(st, a, b), i);
			report_diff("block", at_ptr(st->blocks[i], st->offs[i]), st->golden[i],
				    st->len);
			fail();
		}
	}
	if (pqres != 0) {
		fprintf(stderr, "  disks %d, lost %d and %d (%s): syndrome check says %#x\n",
			st->disks, a, b, pair_kind(st, a, b), (unsigned int)pqres);
		fail();
	}
	st->pairs++;
}

static void run_config(const struct config *cfg)
{
	struct stripe st;

	stripe_create(&st, cfg, (u64)cfg->disks * 1000003u + cfg->len + (cfg->present ? 7 : 0));
	stripe_gen(&st);
	for (int a = 0; a < st.disks; a++) {
		if (!st.ptrs[a])
			continue;
		for (int b = a + 1; b < st.disks; b++) {
			if (st.ptrs[b])
				test_pair(&st, a, b);
		}
	}
	printf("  %d disks, %zu bytes%s%s: %u pairs recovered\n", st.disks, st.len,
	       cfg->offsets ? " at offsets" : "", cfg->present ? " (some blocks absent)" : "",
	       st.pairs);
	stripe_destroy(&st);
	if (at_offload) {
		/* The operations were offloaded: channels exist for them. */
		assert_non_null(dma_find_channel(DMA_PQ));
		assert_non_null(dma_find_channel(DMA_XOR));
	}
}

/* ------------------------------------------------------------------ tests */

#define DISKS_TEST(n)                                                         \
	static void test_raid6_disks_##n(void **state)                        \
	{                                                                     \
		const struct config cfg = { .disks = n, .len = PAGE_SIZE };   \
		run_config(&cfg);                                             \
	}

DISKS_TEST(4)
DISKS_TEST(5)
DISKS_TEST(11)
DISKS_TEST(12)
DISKS_TEST(16)
DISKS_TEST(64)

/* Three pages per block, each block (and the spare) at its own offset. */
static void test_raid6_three_pages_at_offsets(void **state)
{
	const struct config cfg = { .disks = 16, .len = 3 * PAGE_SIZE, .offsets = true };

	run_config(&cfg);
}

/* A length that is no multiple of anything, at odd offsets. */
static void test_raid6_odd_length(void **state)
{
	const struct config cfg = { .disks = 11, .len = 1000, .offsets = true };

	run_config(&cfg);
}

/* Two data blocks in a 12-disk stripe, the others absent (NULL, zeros):
 * losing both is the kernel's 4-disk recipe. */
static void test_raid6_absent_two_data(void **state)
{
	static const int present[] = { 3, 7, -1 };
	const struct config cfg = { .disks = 12, .len = PAGE_SIZE, .present = present };

	run_config(&cfg);
}

/* Three data blocks present: losing two of them is the 5-disk recipe. */
static void test_raid6_absent_three_data(void **state)
{
	static const int present[] = { 0, 5, 9, -1 };
	const struct config cfg = { .disks = 12, .len = PAGE_SIZE, .present = present };

	run_config(&cfg);
}

/* A single data block: lost with P, nothing else to rebuild it from but Q;
 * lost with Q, it is P itself. */
static void test_raid6_absent_one_data(void **state)
{
	static const int present[] = { 4, -1 };
	const struct config cfg = { .disks = 12, .len = PAGE_SIZE, .present = present };

	run_config(&cfg);
}

/* Every other data block absent, at offsets. */
static void test_raid6_absent_sparse(void **state)
{
	static const int present[] = { 1, 3, 5, 7, 9, 11, 13, -1 };
	const struct config cfg = { .disks = 16, .len = 2 * PAGE_SIZE, .offsets = true,
				    .present = present };

	run_config(&cfg);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_raid6_disks_4, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_disks_5, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_disks_11, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_disks_12, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_disks_16, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_disks_64, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_three_pages_at_offsets, at_setup,
						at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_odd_length, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_absent_two_data, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_absent_three_data, at_setup,
						at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_absent_one_data, at_setup, at_teardown),
		cmocka_unit_test_setup_teardown(test_raid6_absent_sparse, at_setup, at_teardown),
	};
	int failed;

	at_init("test_async_raid6");
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	failed = cmocka_run_group_tests_name("async_tx raid6", tests, NULL, NULL);
	async_tx_exit();
	return failed ? 1 : 0;
}
